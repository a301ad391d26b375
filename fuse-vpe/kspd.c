// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kspd: the SDE system calls of a firmware, served (kspd.h says how, and
 * where it differs from the kernel's).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kspd.h"
#include "warn.h"

/* ---- numbers the firmware uses --------------------------------------- */

struct flag_map {
	uint32_t from;
	int to;
};

/* SDE open flags (docs/legacy-abi.md §8.4); the others are dropped. */
static const struct flag_map sde_flags[] = {
	{ 0x0001, O_WRONLY }, { 0x0002, O_RDWR }, { 0x0004, O_NONBLOCK },
	{ 0x0008, O_APPEND }, { 0x0100, O_NOFOLLOW }, { 0x0200, O_CREAT },
	{ 0x0400, O_TRUNC },
};

/* MIPS Linux open flags, for the raw o32 open (4005). */
static const struct flag_map mips_flags[] = {
	{ 0x0001, O_WRONLY }, { 0x0002, O_RDWR }, { 0x0008, O_APPEND },
	{ 0x0010, O_DSYNC }, { 0x0080, O_NONBLOCK }, { 0x0100, O_CREAT },
	{ 0x0200, O_TRUNC }, { 0x0400, O_EXCL }, { 0x4000, O_SYNC },
	{ 0x10000, O_DIRECTORY }, { 0x20000, O_NOFOLLOW },
};

/*
 * The host's errno as MIPS numbers it: 1 to 34 are the same everywhere,
 * the rest the firmware might see differ.
 */
static int32_t mips_errno(int err)
{
	static const struct {
		int host, mips;
	} table[] = {
		{ ENAMETOOLONG, 78 }, { EOVERFLOW, 79 }, { ENOSYS, 89 },
		{ ELOOP, 90 }, { ENOTEMPTY, 93 }, { EOPNOTSUPP, 122 },
		{ EDQUOT, 1133 }, { ENOLCK, 46 },
		{ ETIMEDOUT, 145 }, { ESTALE, 151 },
	};
	unsigned int i;

	if (err >= 1 && err <= 34)
		return -err;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].host == err)
			return -table[i].mips;
	return -5;	/* EIO: nothing the firmware could have known */
}

static int translate(uint32_t in, const struct flag_map *t, size_t n)
{
	int out = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (in & t[i].from)
			out |= t[i].to;
	return out;
}

#define TRANSLATE(in, table) \
	translate(in, table, sizeof(table) / sizeof(table[0]))

#define MIPS_ENOSYS	(-89)
#define MIPS_EFAULT	(-14)
#define MIPS_EBADF	(-9)
#define MIPS_EMFILE	(-24)
#define MIPS_EINVAL	(-22)
#define MIPS_EPERM	(-1)
#define MIPS_ENOENT	(-2)

/* ---- credentials of the serving thread ------------------------------- */

/*
 * Raw system calls: glibc's setgroups() changes every thread of the
 * daemon; these change the calling thread's only.
 */
static int thread_fsids(uid_t uid, gid_t gid, int ngroups,
			const gid_t *groups)
{
#ifdef SYS_setgroups32
	long nr_groups = SYS_setgroups32;
#else
	long nr_groups = SYS_setgroups;
#endif
#ifdef SYS_setfsuid32
	long nr_uid = SYS_setfsuid32, nr_gid = SYS_setfsgid32;
#else
	long nr_uid = SYS_setfsuid, nr_gid = SYS_setfsgid;
#endif

	if (syscall(nr_groups, ngroups, groups) < 0)
		return -errno;
	syscall(nr_gid, gid);
	syscall(nr_uid, uid);
	/* setfs[ug]id() tell no error: ask again */
	if ((uid_t)syscall(nr_uid, -1) != uid ||
	    (gid_t)syscall(nr_gid, -1) != gid)
		return -EPERM;
	return 0;
}

/* ---- life cycle ---------------------------------------------------------- */

int kspd_init(struct kspd *k, const char *dir)
{
	int i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < KSPD_FILES; i++)
		k->files[i] = -1;
	k->root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return k->root < 0 ? -errno : 0;
}

void kspd_destroy(struct kspd *k)
{
	kspd_end(k);
	if (k->root >= 0)
		close(k->root);
	k->root = -1;
}

/* Where the loader's cwd is inside DIR, or "" (DIR itself). */
static void find_prefix(struct kspd *k, const char *cwd)
{
	char root[PATH_MAX], link[64];
	size_t n;
	ssize_t len;

	k->prefix[0] = '\0';
	snprintf(link, sizeof(link), "/proc/self/fd/%d", k->root);
	len = readlink(link, root, sizeof(root) - 1);
	if (len <= 0)
		return;
	root[len] = '\0';
	n = strlen(root);
	if (!strcmp(root, "/"))
		n = 0;
	if (!strncmp(cwd, root, n) && cwd[n] == '/' && cwd[n + 1])
		snprintf(k->prefix, sizeof(k->prefix), "%s", cwd + n + 1);
}

int kspd_begin(struct kspd *k, struct window *win,
	       const struct loader_id *who)
{
	int err;

	kspd_end(k);
	k->umask = 022;
	memset(k->warned, 0, sizeof(k->warned));
	if (!who) {
		k->win = win;
		return 0;
	}
	if (!who->known) {
		warn_log(LOG_ERR,
			 "vpe-compat: KSPD: who loaded the program is not known (it was not loaded through /dev/vpe1 by this daemon): its requests are refused");
		return -EPERM;
	}
	find_prefix(k, who->cwd);
	k->umask = who->umask;
	k->nsaved = getgroups(LOADER_ID_GROUPS, k->saved_groups);
	if (k->nsaved < 0)
		k->nsaved = 0;
	k->switched = true;
	err = thread_fsids(who->fsuid, who->fsgid, who->ngroups, who->groups);
	if (err) {
		warn_log(LOG_ERR,
			 "vpe-compat: KSPD: cannot take uid %u gid %u for the program's files: %s",
			 (unsigned int)who->fsuid, (unsigned int)who->fsgid,
			 strerror(-err));
		return err;
	}
	k->win = win;
	return 0;
}

void kspd_end(struct kspd *k)
{
	int i;

	for (i = 0; i < KSPD_FILES; i++) {
		if (k->files[i] >= 0)
			close(k->files[i]);
		k->files[i] = -1;
	}
	k->win = NULL;
	if (k->switched)
		thread_fsids(geteuid(), getegid(), k->nsaved, k->saved_groups);
	k->switched = false;
}

/* ---- requests -------------------------------------------------------- */

static uint32_t get32(const uint8_t *p, bool big)
{
	if (big)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static void put32(uint8_t *p, uint32_t v, bool big)
{
	int i;

	for (i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

size_t kspd_parse(const uint8_t *buf, size_t len, bool big,
		  struct kspd_req *req)
{
	size_t need, i;

	if (len < KSPD_HDR_SIZE)
		return 0;
	need = KSPD_HDR_SIZE + buf[5];
	if (len < need)
		return 0;
	memset(req, 0, sizeof(*req));
	req->cmd = (int32_t)get32(buf, big);
	req->size = buf[5];
	for (i = 0; i < KSPD_ARGS && 4 * (i + 1) <= req->size; i++)
		req->arg[i] = get32(buf + KSPD_HDR_SIZE + 4 * i, big);
	return need;
}

void kspd_reply(int32_t retval, bool big, uint8_t out[KSPD_REPLY_SIZE])
{
	put32(out, (uint32_t)retval, big);
	put32(out + 4, 0, big);
}

/*
 * A command not served: the legacy line, or @why; once per number (modulo
 * 128) and program, so that a firmware in a loop does not flood the log.
 */
static void say_once(struct kspd *k, int32_t cmd, const char *why)
{
	uint32_t slot = (uint32_t)cmd % 128;

	if (k->warned[slot / 32] & (1u << slot % 32))
		return;
	k->warned[slot / 32] |= 1u << slot % 32;
	if (why)
		warn_log(LOG_WARNING, "vpe-compat: KSPD: call %d not served: %s",
			 cmd, why);
	else
		warn_log(LOG_WARNING, "KSPD: Unknown SP syscall number %d", cmd);
}

/* PIPEFREQ: the CPU clock in Hz, as cpufreq knows it. */
static int32_t serve_pipefreq(struct kspd *k)
{
	unsigned long khz = 0;
	FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq",
			"re");

	if (f) {
		if (fscanf(f, "%lu", &khz) != 1)
			khz = 0;
		fclose(f);
	}
	if (!khz || khz > INT32_MAX / 1000) {
		say_once(k, KSPD_PIPEFREQ, "the CPU clock is not known here (no cpufreq)");
		return MIPS_ENOSYS;
	}
	return (int32_t)(khz * 1000);
}

static int *file_slot(struct kspd *k, uint32_t fd)
{
	if (fd < KSPD_FD_BASE || fd - KSPD_FD_BASE >= KSPD_FILES ||
	    k->files[fd - KSPD_FD_BASE] < 0)
		return NULL;
	return &k->files[fd - KSPD_FD_BASE];
}

/*
 * The NUL-terminated path at firmware address @addr, into @path: at most
 * PATH_MAX bytes, and none past the window's end.
 */
static int32_t read_path(struct kspd *k, uint32_t addr, char *path)
{
	const char *nul;
	size_t off, len;

	if (!window_offset(k->win, addr, 1, false, &off))
		return MIPS_EFAULT;
	len = k->win->size - off < PATH_MAX ? k->win->size - off : PATH_MAX;
	window_copy_out(k->win, off, path, len);
	nul = memchr(path, '\0', len);
	if (!nul)	/* it runs off the window, or is too long */
		return len < PATH_MAX ? MIPS_EFAULT : mips_errno(ENAMETOOLONG);
	return nul == path ? MIPS_ENOENT : 0;	/* as open("") */
}

static int32_t serve_open(struct kspd *k, uint32_t addr, int flags,
			  uint32_t mode)
{
	char path[PATH_MAX], full[2 * PATH_MAX + 2];
	/*
	 * Non-blocking whatever the firmware asked: a FIFO or a device
	 * beneath DIR must not stall the serving thread (its stop could not
	 * end a read that waits).
	 */
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int32_t ret;
	int fd, i;

	for (i = 0; i < KSPD_FILES && k->files[i] >= 0; i++)
		;
	if (i == KSPD_FILES)
		return MIPS_EMFILE;
	ret = read_path(k, addr, path);
	if (ret)
		return ret;
	if (flags & O_CREAT)
		how.mode = mode & 07777 & ~(uint32_t)k->umask;
	/* relative: from the loader's cwd; absolute: from DIR, its "/" */
	snprintf(full, sizeof(full), "%s%s%s",
		 path[0] == '/' ? "" : k->prefix,
		 path[0] == '/' || !k->prefix[0] ? "" : "/", path);
	fd = (int)syscall(SYS_openat2, k->root, full, &how, sizeof(how));
	if (fd < 0)
		return mips_errno(errno);
	k->files[i] = fd;
	return (int32_t)(KSPD_FD_BASE + i);
}

static int32_t serve_io(struct kspd *k, const struct kspd_req *req,
			bool write_it)
{
	uint32_t addr = req->arg[1], count = req->arg[2];
	uint8_t buf[65536];
	int *fd = file_slot(k, req->arg[0]);
	uint32_t done = 0;
	size_t off;

	if (!fd)
		return MIPS_EBADF;
	if (!count)
		return 0;
	if (count > KSPD_IO_MAX)
		count = KSPD_IO_MAX;
	if (!window_offset(k->win, addr, count, false, &off))
		return MIPS_EFAULT;
	while (done < count) {
		size_t chunk = count - done < sizeof(buf) ? count - done
							  : sizeof(buf);
		ssize_t n;

		if (write_it) {
			window_copy_out(k->win, off + done, buf, chunk);
			n = write(*fd, buf, chunk);
		} else {
			n = read(*fd, buf, chunk);
			if (n > 0)
				window_copy_in(k->win, off + done, buf, (size_t)n);
		}
		if (n < 0)
			return done ? (int32_t)done : mips_errno(errno);
		done += (uint32_t)n;
		if ((size_t)n < chunk)
			break;
	}
	return (int32_t)done;
}

static int32_t serve_close(struct kspd *k, uint32_t fdnum)
{
	int *fd = file_slot(k, fdnum);

	if (!fd)
		return MIPS_EBADF;
	close(*fd);
	*fd = -1;
	return 0;
}

static int32_t serve_lseek(struct kspd *k, const struct kspd_req *req)
{
	int *fd = file_slot(k, req->arg[0]);
	off_t pos;

	if (!fd)
		return MIPS_EBADF;
	if (req->arg[2] > SEEK_END)
		return MIPS_EINVAL;
	pos = lseek(*fd, (off_t)(int32_t)req->arg[1], (int)req->arg[2]);
	if (pos < 0)
		return mips_errno(errno);
	if (pos > INT32_MAX)
		return mips_errno(EOVERFLOW);
	return (int32_t)pos;
}

/* o32 gettimeofday: a struct timeval (two words) at arg0, if not NULL. */
static int32_t serve_gettimeofday(struct kspd *k, uint32_t addr)
{
	struct timespec ts;
	uint8_t tv[8];
	size_t off;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (!addr)
		return 0;
	if (!window_offset(k->win, addr, sizeof(tv), false, &off))
		return MIPS_EFAULT;
	put32(tv, (uint32_t)ts.tv_sec, window_big_endian(k->win));
	put32(tv + 4, (uint32_t)(ts.tv_nsec / 1000), window_big_endian(k->win));
	window_copy_in(k->win, off, tv, sizeof(tv));
	return 0;
}

static int32_t serve_exit(const struct kspd_req *req, bool *exited)
{
	warn_log(LOG_INFO, "vpe-compat: KSPD: the program exited with code %d",
		 (int)req->arg[0]);
	*exited = true;
	return -1;
}

/* The raw o32 calls served: those the SDE commands are too. */
static int32_t serve_o32(struct kspd *k, const struct kspd_req *req,
			 bool *exited)
{
	switch (req->cmd - KSPD_O32_BASE) {
	case 1:
		return serve_exit(req, exited);
	case 3:
		return serve_io(k, req, false);
	case 4:
		return serve_io(k, req, true);
	case 5:
		return serve_open(k, req->arg[0],
				  TRANSLATE(req->arg[1], mips_flags),
				  req->arg[2]);
	case 6:
		return serve_close(k, req->arg[0]);
	case 19:
		return serve_lseek(k, req);
	case 78:
		return serve_gettimeofday(k, req->arg[0]);
	default:
		say_once(k, req->cmd,
			 "of the raw o32 calls, only exit, read, write, open, close, lseek and gettimeofday are");
		return MIPS_ENOSYS;
	}
}

int32_t kspd_serve(struct kspd *k, const struct kspd_req *req, bool *exited)
{
	struct timespec ts;

	*exited = false;
	if (!k->win)
		return MIPS_EPERM;
	switch (req->cmd) {
	case KSPD_EXIT:
		return serve_exit(req, exited);
	case KSPD_OPEN:
		return serve_open(k, req->arg[0],
				  TRANSLATE(req->arg[1], sde_flags),
				  req->arg[2]);
	case KSPD_READ:
		return serve_io(k, req, false);
	case KSPD_WRITE:
		return serve_io(k, req, true);
	case KSPD_CLOSE:
		return serve_close(k, req->arg[0]);
	case KSPD_LSEEK32:
		return serve_lseek(k, req);
	case KSPD_PIPEFREQ:
		return serve_pipefreq(k);
	case KSPD_GETTOD:
		clock_gettime(CLOCK_REALTIME, &ts);
		return (int32_t)ts.tv_sec;
	case KSPD_IOCTL:
		say_once(k, req->cmd, "ioctl: its argument cannot be checked");
		return MIPS_ENOSYS;
	default:
		if (req->cmd >= KSPD_O32_BASE && req->cmd <= KSPD_O32_BASE + 999)
			return serve_o32(k, req, exited);
		say_once(k, req->cmd, NULL);	/* ISATTY, GETTIME too, as before */
		return -1;
	}
}
