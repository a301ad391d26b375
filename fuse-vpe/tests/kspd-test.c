// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kspd unit tests (TAP): the SDE system-call service against a fake
 * remote (fakeremote.h), both byte orders, in a directory of its own.
 * What a hostile firmware can send: paths that climb out (.., absolute,
 * symbolic links), pointers outside the window or running off it, sizes
 * and counts past every limit, unknown calls, descriptors it does not
 * have. Then the link over RTLX channel 2: requests split across the
 * ring's wrap and in time, a firmware that never reads its replies, the
 * program stopping with files open, exit, and /dev/rtlx2 held.
 *
 * Nothing here needs root: the credentials are the test's own.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakeremote.h"
#include "kspd.h"
#include "kspd_link.h"
#include "rtlx.h"
#include "unit.h"
#include "warn.h"

#define SIZE	0x10000u
#define PHYS	0x00800000u
#define PATH_AT	0x8000u		/* where the tests put a path */
#define BUF_AT	0x9000u		/* and a buffer */

static char dir[PATH_MAX];	/* the --kspd DIR */
static char log_path[64];

/* ---- the service alone -------------------------------------------------- */

struct env {
	struct fakeremote fr;
	struct kspd k;
};

static bool env_open(struct env *e, bool big, size_t size)
{
	memset(e, 0, sizeof(*e));
	if (fr_open(&e->fr, size, PHYS, big))
		return ok(false, "fakeremote opens");
	window_set_big_endian(&e->fr.win, big);
	if (kspd_init(&e->k, dir)) {
		fr_close(&e->fr);
		return ok(false, "kspd_init");
	}
	return !kspd_begin(&e->k, &e->fr.win, NULL);
}

static void env_close(struct env *e)
{
	kspd_destroy(&e->k);
	fr_close(&e->fr);
}

static int32_t call(struct env *e, int32_t cmd, uint32_t a0, uint32_t a1,
		    uint32_t a2)
{
	struct kspd_req req = { .cmd = cmd, .size = 12, .arg = { a0, a1, a2 } };
	bool exited;

	return kspd_serve(&e->k, &req, &exited);
}

static uint32_t put_path(struct env *e, const char *path)
{
	memcpy(e->fr.mem + PATH_AT, path, strlen(path) + 1);
	return fr_addr(&e->fr, PATH_AT);
}

static int32_t open_path(struct env *e, const char *path, uint32_t flags)
{
	return call(e, KSPD_OPEN, put_path(e, path), flags, 0644);
}

static void test_parse(bool big)
{
	uint8_t buf[KSPD_REQ_MAX + 8] = { 0 };
	struct kspd_req req;
	int i;

	buf[big ? 3 : 0] = KSPD_WRITE;
	buf[5] = 12;
	ok(kspd_parse(buf, 7, big, &req) == 0, "parse %s: 7 bytes: wait",
	   big ? "eb" : "el");
	ok(kspd_parse(buf, 19, big, &req) == 0, "... the header and 11 of 12 argument bytes: wait");
	buf[8 + (big ? 3 : 0)] = 5;
	ok(kspd_parse(buf, 20, big, &req) == 20 && req.cmd == KSPD_WRITE &&
	   req.arg[0] == 5 && req.arg[1] == 0, "... all 20: the request, its arguments");
	buf[5] = 255;
	for (i = 0; i < 255; i++)
		buf[8 + i] = (uint8_t)i;
	ok(kspd_parse(buf, KSPD_REQ_MAX, big, &req) == KSPD_REQ_MAX &&
	   req.size == 255 && req.arg[6] == (big ? 0x18191a1bu : 0x1b1a1918u),
	   "... size 255: all 263 bytes taken, seven words kept, the rest dropped");
	buf[5] = 2;
	ok(kspd_parse(buf, 10, big, &req) == 10 && req.arg[0] == 0,
	   "... size 2: no whole word, arguments 0");
}

static bool file_is(const char *name, const char *want)
{
	char path[PATH_MAX * 2], got[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, got, sizeof(got) - 1);
	close(fd);
	got[n > 0 ? n : 0] = '\0';
	return !strcmp(got, want);
}

/* Create, write, read back, seek, read, close: as the SDE library does. */
static void test_files(bool big)
{
	const char *o = big ? "eb" : "el";
	struct env e;
	int32_t fd;

	if (!env_open(&e, big, SIZE))
		return;
	fd = open_path(&e, "file.txt", 0x0001 | 0x0200 | 0x0400);
	ok(fd == KSPD_FD_BASE, "%s: open(O_WRONLY|O_CREAT|O_TRUNC) gives %d", o, fd);
	memcpy(e.fr.mem + BUF_AT, "hello kspd\n", 11);
	ok(call(&e, KSPD_WRITE, (uint32_t)fd, fr_addr(&e.fr, BUF_AT), 11) == 11,
	   "%s: write 11 bytes", o);
	ok(call(&e, KSPD_CLOSE, (uint32_t)fd, 0, 0) == 0, "%s: close", o);
	ok(file_is("file.txt", "hello kspd\n"), "%s: the file holds them", o);
	fd = open_path(&e, "/file.txt", 0);
	ok(fd >= KSPD_FD_BASE, "%s: an absolute path is DIR's: /file.txt opens", o);
	memset(e.fr.mem + BUF_AT, 0, 16);
	ok(call(&e, KSPD_READ, (uint32_t)fd, fr_addr(&e.fr, BUF_AT), 64) == 11 &&
	   !memcmp(e.fr.mem + BUF_AT, "hello kspd\n", 11),
	   "%s: read them back into the firmware's memory", o);
	ok(call(&e, KSPD_LSEEK32, (uint32_t)fd, 6, SEEK_SET) == 6 &&
	   call(&e, KSPD_READ, (uint32_t)fd, fr_addr(&e.fr, BUF_AT), 4) == 4 &&
	   !memcmp(e.fr.mem + BUF_AT, "kspd", 4), "%s: lseek, read", o);
	ok(call(&e, KSPD_LSEEK32, (uint32_t)fd, (uint32_t)-5, SEEK_SET) == -22,
	   "%s: lseek before the start: -EINVAL", o);
	ok(call(&e, KSPD_LSEEK32, (uint32_t)fd, 0, 3) == -22,
	   "%s: lseek whence 3: -EINVAL", o);
	ok(call(&e, KSPD_READ, (uint32_t)fd, fr_addr(&e.fr, BUF_AT), 0) == 0,
	   "%s: a read of 0 bytes: 0", o);
	ok(call(&e, KSPD_CLOSE, (uint32_t)fd, 0, 0) == 0 &&
	   call(&e, KSPD_CLOSE, (uint32_t)fd, 0, 0) == -9,
	   "%s: a second close: -EBADF", o);
	env_close(&e);
}

/* Paths that climb out of DIR find nothing outside it. */
static void test_escapes(void)
{
	static const char *const escapes[] = {
		"../outside/secret", "../../../../outside/secret",
		"/../outside/secret", "up/outside/secret", "up/up/etc/passwd",
		"abs/passwd", "/etc/passwd", "sub/../../outside/secret",
	};
	char path[PATH_MAX * 2];
	struct env e;
	unsigned int i;

	if (!env_open(&e, false, SIZE))
		return;
	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++)
		ok(open_path(&e, escapes[i], 0) == -2,
		   "escape: \"%s\" is looked for beneath DIR: -ENOENT", escapes[i]);
	ok(open_path(&e, "up/file.txt", 0) >= KSPD_FD_BASE,
	   "escape: a link to .. stays at DIR's top (up/file.txt is DIR's)");
	ok(open_path(&e, "../outside/new", 0x0201) == -2,
	   "escape: nothing created outside either");
	snprintf(path, sizeof(path), "%s/../outside/new", dir);
	ok(access(path, F_OK) < 0, "escape: ... checked from outside");
	ok(open_path(&e, "", 0) == -2, "an empty path: -ENOENT");
	ok(open_path(&e, "fifo", 0x0001) == -6,
	   "a FIFO beneath DIR with no reader: -ENXIO at once, no wait");
	i = (unsigned int)open_path(&e, "fifo", 0);
	ok((int32_t)i >= KSPD_FD_BASE &&
	   call(&e, KSPD_READ, i, fr_addr(&e.fr, BUF_AT), 16) == 0,
	   "... opened to read: a read gives 0 at once");
	memset(path, 'a', 300);
	path[300] = '\0';
	ok(open_path(&e, path, 0) == -78,
	   "a 300-byte name: -ENAMETOOLONG, MIPS numbered (78)");
	env_close(&e);
}

/* Pointers the firmware gives: outside the window, off its end. */
static void test_pointers(void)
{
	struct env e;
	int32_t fd;

	if (!env_open(&e, false, SIZE))
		return;
	fd = open_path(&e, "file.txt", 0x0002);
	ok(call(&e, KSPD_OPEN, 0x1000, 0, 0) == -14,
	   "a path at KUSEG 0x1000: -EFAULT");
	ok(call(&e, KSPD_OPEN, 0xc0000000u, 0, 0) == -14,
	   "a path in KSEG2: -EFAULT");
	memset(e.fr.mem + SIZE - 16, 'x', 16);
	ok(call(&e, KSPD_OPEN, fr_addr(&e.fr, SIZE - 16), 0, 0) == -14,
	   "a path running off the window's end: -EFAULT");
	ok(call(&e, KSPD_READ, (uint32_t)fd, fr_addr(&e.fr, SIZE - 4), 8) == -14,
	   "a read buffer running off the window: -EFAULT");
	ok(call(&e, KSPD_WRITE, (uint32_t)fd, fr_addr(&e.fr, 0), 0x7fffffff) == -14,
	   "a write of 2 GiB from a 64 KiB window: -EFAULT");
	ok(call(&e, KSPD_WRITE, (uint32_t)fd, 0x00800000u, 4) == -14,
	   "a physical address is not one the firmware runs at: -EFAULT");
	ok(call(&e, 4078, fr_addr(&e.fr, SIZE - 4), 0, 0) == -14,
	   "o32 gettimeofday into the window's last word: -EFAULT");
	ok(call(&e, 4078, fr_addr(&e.fr, BUF_AT), 0, 0) == 0 &&
	   fr_get32(&e.fr, BUF_AT) > 1600000000u && fr_get32(&e.fr, BUF_AT + 4) < 1000000,
	   "o32 gettimeofday: seconds and microseconds, the firmware's order");
	env_close(&e);
}

/* A read or write is cut to KSPD_IO_MAX: a short count, as POSIX allows. */
static void test_io_max(void)
{
	struct env e;
	int32_t fd;

	if (!env_open(&e, true, 4u << 20))
		return;
	fd = open_path(&e, "big.bin", 0x0001 | 0x0200 | 0x0400);
	ok(call(&e, KSPD_WRITE, (uint32_t)fd, fr_addr(&e.fr, 0), 3u << 20) ==
	   (int32_t)KSPD_IO_MAX, "a 3 MiB write moves 1 MiB");
	env_close(&e);
}

static void test_numbers(void)
{
	struct env e;
	int i, n = 0;

	if (!env_open(&e, false, SIZE))
		return;
	ok(call(&e, KSPD_ISATTY, 0, 0, 0) == -1 && call(&e, KSPD_GETTIME, 0, 0, 0) == -1,
	   "ISATTY and GETTIME: -1, as the kernel's kspd answered");
	ok(call(&e, 99, 0, 0, 0) == -1 && call(&e, -7, 0, 0, 0) == -1,
	   "unknown commands (99, -7): -1");
	ok(call(&e, KSPD_IOCTL, 3, 0x5401, 0) == -89,
	   "ioctl: -ENOSYS (its argument cannot be checked)");
	ok(call(&e, 4020, 0, 0, 0) == -89 && call(&e, 4011, 0, 0, 0) == -89,
	   "o32 getpid, execve: -ENOSYS, not run");
	ok(call(&e, KSPD_READ, 0, 0, 0) == -9 && call(&e, KSPD_READ, 2, 0, 0) == -9 &&
	   call(&e, KSPD_READ, 99, 0, 0) == -9 && call(&e, KSPD_CLOSE, (uint32_t)-1, 0, 0) == -9,
	   "descriptors it was not given (0, 2, 99, -1): -EBADF");
	for (i = 0; i < KSPD_FILES; i++)
		n += open_path(&e, "file.txt", 0) >= KSPD_FD_BASE;
	ok(n == KSPD_FILES && open_path(&e, "file.txt", 0) == -24,
	   "%d files at once, then -EMFILE", KSPD_FILES);
	env_close(&e);
}

static int count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && (de = readdir(d)))
		n++;
	if (d)
		closedir(d);
	return n;
}

static void test_end_closes(void)
{
	struct env e;
	int before, i;
	struct loader_id unknown = { .known = false };
	bool exited;
	struct kspd_req req = { .cmd = KSPD_EXIT, .size = 4, .arg = { 7 } };

	if (!env_open(&e, false, SIZE))
		return;
	before = count_fds();
	for (i = 0; i < 5; i++)
		open_path(&e, "file.txt", 0);
	ok(count_fds() == before + 5, "five files open");
	ok(kspd_serve(&e.k, &req, &exited) == -1 && exited,
	   "exit: -1, and the caller is told");
	kspd_end(&e.k);
	ok(count_fds() == before, "the program's end closes them all");
	ok(kspd_begin(&e.k, &e.fr.win, &unknown) == -EPERM &&
	   call(&e, KSPD_GETTOD, 0, 0, 0) == -1,
	   "a program whose loader is not known is refused (-EPERM)");
	env_close(&e);
	ok(kspd_init(&e.k, "/nonexistent/kspd") == -ENOENT,
	   "--kspd DIR that is not there: -ENOENT");
}

/* ---- over channel 2 --------------------------------------------------- */

struct link_env {
	struct fakeremote fr;
	struct rtlx r;
	struct kspd_link l;
	int exits, code;
};

static bool exited_once(void *arg)
{
	return __atomic_load_n(&((struct link_env *)arg)->exits, __ATOMIC_SEQ_CST) == 1;
}

static void exited(void *ctx, int code)
{
	struct link_env *le = ctx;

	le->code = code;
	__atomic_add_fetch(&le->exits, 1, __ATOMIC_SEQ_CST);
}

static bool link_open(struct link_env *le, bool big, uint32_t ring)
{
	const struct kspd_link_hooks hooks = { .exited = exited, .ctx = le };
	const struct rtlx_hooks rh = { 0 };

	memset(le, 0, sizeof(*le));
	if (fr_open(&le->fr, SIZE, PHYS, big))
		return ok(false, "fakeremote opens");
	fr_standard(&le->fr, 296, ring);
	if (rtlx_init(&le->r, &le->fr.win, 0, &rh) ||
	    kspd_link_init(&le->l, dir, &le->r, &le->fr.win, &hooks) ||
	    kspd_link_start(&le->l))
		return ok(false, "the link starts");
	rtlx_started(&le->r, true, fr_phys(&le->fr, le->fr.shared), big);
	kspd_link_started(&le->l, NULL);
	return true;
}

static void link_stop(struct link_env *le)
{
	kspd_link_stopped(&le->l);
	rtlx_stopped(&le->r);
}

static void link_close(struct link_env *le)
{
	kspd_link_destroy(&le->l);
	rtlx_destroy(&le->r);
	fr_close(&le->fr);
}

static void req_bytes(uint8_t *out, bool big, int32_t cmd, uint32_t a0)
{
	uint32_t v[2] = { (uint32_t)cmd, a0 };
	int w, i;

	memset(out, 0, 12);
	for (w = 0; w < 2; w++)
		for (i = 0; i < 4; i++)
			out[(w ? 8 : 0) + (big ? 3 - i : i)] = (uint8_t)(v[w] >> (8 * i));
	out[5] = 4;
}

/* The 8-byte reply's retval, within @ms; false if none came. */
static bool get_reply(struct link_env *le, int32_t *ret, long ms)
{
	uint8_t b[8];
	size_t got = 0;
	int64_t end = unit_now_ms() + ms;

	while (got < 8 && unit_now_ms() < end) {
		got += fr_recv(&le->fr, KSPD_CHANNEL, b + got, 8 - got);
		if (got < 8)
			unit_sleep_ms(1);
	}
	if (got < 8)
		return false;
	*ret = (int32_t)(le->fr.big ? (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
				    : (uint32_t)b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]);
	return true;
}

/* Requests across the ring's end, and split in time. */
static void test_link_wrap(bool big)
{
	const char *o = big ? "eb" : "el";
	struct link_env le;
	uint8_t req[12];
	int32_t ret = 0;
	int i, good = 0;

	if (!link_open(&le, big, 64))
		return;
	/* 12-byte requests in a 64-byte ring: they wrap every few */
	for (i = 0; i < 12; i++) {
		req_bytes(req, big, KSPD_CLOSE, 99);
		if (i % 3 == 1) {	/* half now, half a moment later */
			fr_send(&le.fr, KSPD_CHANNEL, req, 5);
			unit_sleep_ms(30);
			fr_send(&le.fr, KSPD_CHANNEL, req + 5, 7);
		} else {
			fr_send(&le.fr, KSPD_CHANNEL, req, 12);
		}
		good += get_reply(&le, &ret, 2000) && ret == -9;
	}
	ok(good == 12, "link %s: 12 requests, wrapping the ring and split in time: 12 replies (%d)",
	   o, good);
	ok(!rtlx_open_begin(&le.r, KSPD_CHANNEL) &&
	   rtlx_open_try(&le.r, KSPD_CHANNEL, true) == -EBUSY,
	   "link %s: channel 2 is KSPD's while it serves (EBUSY)", o);
	req_bytes(req, big, KSPD_EXIT, 42);
	fr_send(&le.fr, KSPD_CHANNEL, req, 12);
	ok(get_reply(&le, &ret, 2000) && ret == -1, "link %s: exit: -1", o);
	ok(wait_for_ms(exited_once, &le, 2000) && le.code == 42,
	   "link %s: the exit hook ran, code 42", o);
	link_close(&le);
	ok(le.exits == 1, "link %s: ... once", o);
}

/*
 * A firmware that never reads its replies: KSPD waits for room for as
 * long as the program runs; its stop ends the wait, the files it opened
 * are closed, and the daemon's thread ends when asked.
 */
static void test_link_stall(void)
{
	struct link_env le;
	uint8_t req[12];
	int before, i;
	int64_t t0;

	if (!link_open(&le, false, 16))	/* 15 bytes: one reply fits */
		return;
	before = count_fds();
	memcpy(le.fr.mem + PATH_AT, "file.txt", 9);
	req_bytes(req, false, KSPD_OPEN, fr_addr(&le.fr, PATH_AT));
	fr_send(&le.fr, KSPD_CHANNEL, req, 12);
	for (i = 0; i < 2; i++) {
		unit_sleep_ms(50);
		fr_send(&le.fr, KSPD_CHANNEL, req, 12);
	}
	unit_sleep_ms(200);
	ok(fr_rt_used(&le.fr, KSPD_CHANNEL) == 15,
	   "stall: the first reply and what fits of the second are in the ring, the rest waits");
	ok(count_fds() == before + 2, "stall: two files open for it, the third request waits");
	t0 = unit_now_ms();
	link_stop(&le);
	unit_sleep_ms(100);
	ok(count_fds() == before, "stall: the program's stop closed them");
	link_close(&le);
	ok(unit_now_ms() - t0 < 2000, "stall: the thread ended when asked (%lld ms)",
	   (long long)(unit_now_ms() - t0));
}

int main(void)
{
	char base[] = "/tmp/kspd-test.XXXXXX", path[PATH_MAX * 2];

	if (!unit_log_file(log_path, sizeof(log_path)) || warn_open(log_path) ||
	    !mkdtemp(base))
		return 1;
	snprintf(dir, sizeof(dir), "%s/root", base);
	snprintf(path, sizeof(path), "%s/outside", base);
	if (mkdir(dir, 0755) || mkdir(path, 0755))
		return 1;
	snprintf(path, sizeof(path), "%s/outside/secret", base);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof(path), "%s/up", dir);
	if (symlink("..", path))
		return 1;
	snprintf(path, sizeof(path), "%s/abs", dir);
	if (symlink("/etc", path))
		return 1;
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	if (mkfifo(path, 0600))
		return 1;

	test_parse(false);
	test_parse(true);
	test_files(false);
	test_files(true);
	test_escapes();
	test_pointers();
	test_io_max();
	test_numbers();
	test_end_closes();
	test_link_wrap(false);
	test_link_wrap(true);
	test_link_stall();

	snprintf(path, sizeof(path), "rm -rf '%s'", base);
	if (system(path))
		diag("cannot remove %s", base);
	return done();
}
