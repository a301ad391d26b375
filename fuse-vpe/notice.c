// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * notice: once-per-process deprecation lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <vpe_compat.h>

#include "notice.h"
#include "warn.h"

/* How many (process, interface) pairs are remembered; the oldest go first. */
#define NOTICE_SEEN_MAX 256
/* Threads an interface remembers (legacy programs use one fd from two). */
#define NOTICE_THREADS 8

struct seen {
	pid_t pid;
	unsigned long long start_time;
	enum notice_iface iface;
};

static struct {
	pthread_mutex_t lock;
	int module_fd;		/* vpe_compat.ko, or -1 */
	char loader_repl[PATH_MAX + 64];
	char channel_repl[PATH_MAX + 64];
	struct seen seen[NOTICE_SEEN_MAX];
	unsigned int nseen, next;
	/* per interface, the threads already named (lock-free) */
	pid_t threads[NOTICE_IFACES][NOTICE_THREADS];
	unsigned int next_thread[NOTICE_IFACES];
} notice = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.module_fd = -1,
};

void notice_init(const char *rproc_path)
{
	snprintf(notice.loader_repl, sizeof(notice.loader_repl),
		 "remoteproc (%s/firmware, then \"start\" in state)", rproc_path);
	snprintf(notice.channel_repl, sizeof(notice.channel_repl),
		 "rpmsg (/dev/rpmsgN) with a firmware that speaks it, on %s",
		 rproc_path);
}

void notice_use_module(int fd)
{
	notice.module_fd = fd;
}

/* The start of /proc/PID/FILE as a string; false if the process is gone. */
static bool read_proc(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* Field 22 of /proc/PID/stat: start time in clock ticks since boot. */
static unsigned long long process_start_time(pid_t pid)
{
	unsigned long long start = 0;
	char buf[1024], *p;
	int field;

	if (!read_proc(pid, "stat", buf, sizeof(buf)))
		return 0;
	/* the command name may hold spaces and ')': skip to the last ')' */
	p = strrchr(buf, ')');
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p + 1, "%llu", &start);
	return start;
}

static void process_name(pid_t pid, char *name, size_t size)
{
	if (!read_proc(pid, "comm", name, size))
		snprintf(name, size, "?");
	name[strcspn(name, "\n")] = '\0';
}

/* The process of thread @tid; 0 if the thread is gone. */
static pid_t thread_group(pid_t tid)
{
	char buf[1024], *p;

	if (!read_proc(tid, "status", buf, sizeof(buf)))
		return 0;
	p = strstr(buf, "\nTgid:");
	return p ? (pid_t)strtol(p + 6, NULL, 10) : 0;
}

/* Remember (pid, start, iface); false if it was already there. */
static bool first_time(pid_t pid, unsigned long long start,
		       enum notice_iface iface)
{
	struct seen *s;
	bool first = true;
	unsigned int i;

	pthread_mutex_lock(&notice.lock);
	for (i = 0; i < notice.nseen && first; i++) {
		s = &notice.seen[i];
		first = !(s->pid == pid && s->start_time == start &&
			  s->iface == iface);
	}
	if (first) {
		notice.seen[notice.next] = (struct seen){ pid, start, iface };
		notice.next = (notice.next + 1) % NOTICE_SEEN_MAX;
		if (notice.nseen < NOTICE_SEEN_MAX)
			notice.nseen++;
	}
	pthread_mutex_unlock(&notice.lock);
	return first;
}

/* Copy what fits, always NUL-terminated (truncation is fine here). */
static void copy_field(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * The module writes the line itself, as the kernel's. EAGAIN is its rate
 * limit speaking: the line is dropped on purpose. Any other failure (an
 * older module, a string it refuses) falls back to our own sink.
 */
static bool by_module(pid_t pid, const char *comm, const char *iface,
		      const char *replacement)
{
	struct vpe_compat_deprecation d = { .pid = pid };

	if (notice.module_fd < 0)
		return false;
	copy_field(d.comm, sizeof(d.comm), comm);
	copy_field(d.iface, sizeof(d.iface), iface);
	copy_field(d.replacement, sizeof(d.replacement), replacement);
	return ioctl(notice.module_fd, VPE_COMPAT_IOC_DEPRECATED, &d) == 0 ||
	       errno == EAGAIN;
}

static void iface_name(enum notice_iface iface, char *buf, size_t size)
{
	if (iface == NOTICE_LOADER)
		snprintf(buf, size, "/dev/%s", LEGACY_VPE_NAME);
	else if (iface == NOTICE_KILL)
		snprintf(buf, size, "%s", LEGACY_KILL_PATH);
	else
		snprintf(buf, size, "/dev/%s%d", LEGACY_RTLX_NAME,
			 iface - NOTICE_CHANNEL0);
}

static void say(enum notice_iface iface, pid_t tid)
{
	pid_t pid = thread_group(tid);
	const char *repl;
	char comm[64], name[64];

	if (!pid)
		pid = tid;
	if (!first_time(pid, process_start_time(pid), iface))
		return;
	process_name(pid, comm, sizeof(comm));
	iface_name(iface, name, sizeof(name));
	repl = iface < NOTICE_CHANNEL0 ? notice.loader_repl : notice.channel_repl;
	if (by_module(pid, comm, name, repl))
		return;
	warn_log(LOG_WARNING,
		 "vpe-compat: %s[%d] uses %s, which is deprecated; use %s",
		 comm, (int)pid, name, repl);
}

/* Has @iface named @tid already? Remembers it if not. A lost race only
 * means one more lookup. */
static bool thread_known(enum notice_iface iface, pid_t tid)
{
	pid_t *known = notice.threads[iface];
	unsigned int i;

	for (i = 0; i < NOTICE_THREADS; i++)
		if (__atomic_load_n(&known[i], __ATOMIC_RELAXED) == tid)
			return true;
	i = __atomic_fetch_add(&notice.next_thread[iface], 1, __ATOMIC_RELAXED);
	__atomic_store_n(&known[i % NOTICE_THREADS], tid, __ATOMIC_RELAXED);
	return false;
}

void notice_use(enum notice_iface iface, pid_t tid)
{
	if (!thread_known(iface, tid))
		say(iface, tid);
}

void notice_forget(enum notice_iface iface)
{
	unsigned int i;

	for (i = 0; i < NOTICE_THREADS; i++)
		__atomic_store_n(&notice.threads[iface][i], 0, __ATOMIC_RELAXED);
}
