// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * warn: kernel-log lines and once-per-process deprecation lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <vpe_compat.h>

#include "warn.h"

/* How many (process, interface) pairs are remembered; the oldest go first. */
#define WARN_SEEN_MAX 256

struct warn_seen {
	pid_t pid;
	unsigned long long start_time;
	char iface[32];
};

static struct {
	pthread_mutex_t lock;
	int fd;
	int module_fd;	/* vpe_compat.ko, or -1 */
	bool is_kmsg;	/* /dev/kmsg takes "<level>" prefixes, one record per write */
	struct warn_seen seen[WARN_SEEN_MAX];
	unsigned int nseen;
	unsigned int next;
} warn = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.fd = -1,
	.module_fd = -1,
};

int warn_open(const char *path)
{
	struct stat st;
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	pthread_mutex_lock(&warn.lock);
	if (warn.fd >= 0)
		close(warn.fd);
	warn.fd = fd;
	/* kmsg is the character device 1:11 */
	warn.is_kmsg = S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
		       minor(st.st_rdev) == 11;
	pthread_mutex_unlock(&warn.lock);
	return 0;
}

void warn_use_module(int fd)
{
	warn.module_fd = fd;
}

/*
 * The module writes the line itself, as the kernel's. EAGAIN is its rate
 * limit speaking: the line is dropped on purpose. Any other failure (an
 * older module, a string it refuses) falls back to our own sink.
 */
/* Copy what fits, always NUL-terminated (truncation is fine here). */
static void copy_field(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool deprecated_by_module(pid_t pid, const char *comm,
				 const char *iface, const char *replacement)
{
	struct vpe_compat_deprecation d = { .pid = pid };

	if (warn.module_fd < 0)
		return false;
	copy_field(d.comm, sizeof(d.comm), comm);
	copy_field(d.iface, sizeof(d.iface), iface);
	copy_field(d.replacement, sizeof(d.replacement), replacement);
	return ioctl(warn.module_fd, VPE_COMPAT_IOC_DEPRECATED, &d) == 0 ||
	       errno == EAGAIN;
}

void warn_close(void)
{
	pthread_mutex_lock(&warn.lock);
	if (warn.fd >= 0)
		close(warn.fd);
	warn.fd = -1;
	pthread_mutex_unlock(&warn.lock);
}

static void warn_write_line(enum warn_level level, const char *text)
{
	char line[1024];
	int n;

	if (warn.is_kmsg)
		n = snprintf(line, sizeof(line), "<%d>%s\n", level, text);
	else
		n = snprintf(line, sizeof(line), "%s\n", text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	pthread_mutex_lock(&warn.lock);
	if (warn.fd >= 0 && write(warn.fd, line, n) < 0) {
		/* the log is best effort: nothing else to tell */
	}
	pthread_mutex_unlock(&warn.lock);
}

void warn_log(enum warn_level level, const char *fmt, ...)
{
	char text[900];
	char *line, *save = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* one record per line, as printk splits a message with "\n" in it */
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		warn_write_line(level, line);
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

/*
 * FUSE names the calling thread, not its process: the deprecation line is
 * per process, so find the thread group. 0 if the thread is gone.
 */
static pid_t thread_group(pid_t tid)
{
	char buf[1024], *p;

	if (!read_proc(tid, "status", buf, sizeof(buf)))
		return 0;
	p = strstr(buf, "\nTgid:");
	return p ? (pid_t)strtol(p + 6, NULL, 10) : 0;
}

/* Remember (pid, start, iface); false if it was already there. */
static bool warn_first_time(pid_t pid, unsigned long long start,
			    const char *iface)
{
	struct warn_seen *s;
	bool first = true;
	unsigned int i;

	pthread_mutex_lock(&warn.lock);
	for (i = 0; i < warn.nseen; i++) {
		s = &warn.seen[i];
		if (s->pid == pid && s->start_time == start &&
		    !strcmp(s->iface, iface)) {
			first = false;
			break;
		}
	}
	if (first) {
		s = &warn.seen[warn.next];
		s->pid = pid;
		s->start_time = start;
		snprintf(s->iface, sizeof(s->iface), "%s", iface);
		warn.next = (warn.next + 1) % WARN_SEEN_MAX;
		if (warn.nseen < WARN_SEEN_MAX)
			warn.nseen++;
	}
	pthread_mutex_unlock(&warn.lock);
	return first;
}

void warn_deprecated(pid_t tid, const char *iface, const char *replacement)
{
	pid_t pid = thread_group(tid);
	char comm[64];

	if (!pid)
		pid = tid;
	if (!warn_first_time(pid, process_start_time(pid), iface))
		return;
	process_name(pid, comm, sizeof(comm));
	if (deprecated_by_module(pid, comm, iface, replacement))
		return;
	warn_log(WARN_WARNING,
		 "vpe-compat: %s[%d] uses %s, which is deprecated; use %s",
		 comm, (int)pid, iface, replacement);
}
