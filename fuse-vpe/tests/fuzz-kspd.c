// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-kspd: libFuzzer target for the KSPD request decoder and service
 * (kspd.c) against a hostile firmware. Input:
 *   [0]          bit 0: the firmware is big-endian
 *   [1..2]       N, little-endian: the length of the request stream
 *   [3, 3+N)     requests, as the firmware writes them to channel 2
 *   the rest     the firmware's memory: a 4 KiB window at physical
 *                0x00800000 (KSEG0 0x80800000), zero past the input
 * The window is a heap buffer of exactly 4 KiB, so ASan sees any access
 * outside it. Every request is held to kspd.h: parse takes exactly its
 * 8 + size bytes, a reply is a result, -1 or a MIPS errno the table
 * knows, an open gives a descriptor from KSPD_FD_BASE; and no file ever
 * appears outside DIR (a sentinel directory beside it, which DIR's
 * symbolic links point at, stays empty). Requests are served as uid
 * 65534 when the fuzzer runs as root, so an escape could not harm the
 * host; the directories go at exit.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kspd.h"

#define WIN_SIZE	4096u
#define WIN_PHYS	0x00800000u
#define NOBODY		65534

static struct kspd k;
static struct window win;
static char root[256], outside[256];
static unsigned long runs;

static void breach(const char *what, int32_t cmd, long val)
{
	fprintf(stderr, "fuzz-kspd: %s (cmd %d, %ld)\n", what, (int)cmd, val);
	abort();
}

static void mk(const char *path, int (*make)(const char *), const char *what)
{
	if (make(path)) {
		perror(what);
		abort();
	}
}

static int mkdir_755(const char *p)
{
	return mkdir(p, 0755);
}

static bool as_nobody;
static char base_dir[256];

/* The files as nobody's, only while KSPD serves (libFuzzer writes too). */
static void fs_ids(bool nobody)
{
	if (!as_nobody)
		return;
	syscall(SYS_setfsgid, nobody ? NOBODY : 0);
	syscall(SYS_setfsuid, nobody ? NOBODY : 0);
}

static void cleanup(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base_dir);
	if (system(cmd))
		fprintf(stderr, "fuzz-kspd: cannot remove %s\n", base_dir);
}

static void setup(void)
{
	char base[] = "/tmp/fuzz-kspd.XXXXXX", path[512];

	if (!mkdtemp(base))
		breach("mkdtemp", 0, errno);
	snprintf(base_dir, sizeof(base_dir), "%s", base);
	snprintf(root, sizeof(root), "%s/root", base);
	snprintf(outside, sizeof(outside), "%s/outside", base);
	mk(root, mkdir_755, root);
	mk(outside, mkdir_755, outside);
	snprintf(path, sizeof(path), "%s/sub", root);
	mk(path, mkdir_755, path);
	snprintf(path, sizeof(path), "%s/up", root);
	if (symlink("..", path) || (snprintf(path, sizeof(path), "%s/out", root),
				    symlink(outside, path)))
		breach("symlink", 0, errno);
	if (geteuid() == 0) {
		/* this thread's files as nobody's: an escape could write nothing */
		if (chown(base, NOBODY, NOBODY) || chown(root, NOBODY, NOBODY) ||
		    chown(outside, NOBODY, NOBODY) ||
		    (snprintf(path, sizeof(path), "%s/sub", root),
		     chown(path, NOBODY, NOBODY)))
			breach("chown", 0, errno);
		as_nobody = true;
	}
	atexit(cleanup);
	if (kspd_init(&k, root))
		breach("kspd_init", 0, errno);
	win.base = malloc(WIN_SIZE);
	win.size = WIN_SIZE;
	win.phys_base = WIN_PHYS;
	win.fd = -1;
}

static bool known_errno(int32_t e)
{
	static const int32_t mips[] = { 78, 79, 89, 90, 93, 122, 1133, 46,
					145, 151 };
	unsigned int i;

	if (e >= 1 && e <= 34)
		return true;
	for (i = 0; i < sizeof(mips) / sizeof(mips[0]); i++)
		if (mips[i] == e)
			return true;
	return false;
}

static int is_entry(const struct dirent *de)
{
	return strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
}

static int entries(const char *dir, bool remove)
{
	struct dirent **list;
	char path[512];
	int i, n = scandir(dir, &list, is_entry, NULL);

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (remove && list[i]->d_type == DT_REG)
			unlink(path);
		free(list[i]);
	}
	free(n >= 0 ? list : NULL);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *req_bytes;
	struct kspd_req req;
	size_t n, at = 0, used;
	bool big, exited;
	int32_t ret;

	if (!root[0])
		setup();
	if (size < 3)
		return 0;
	big = data[0] & 1;
	n = (size_t)data[1] | (size_t)data[2] << 8;
	n = n < size - 3 ? n : size - 3;
	req_bytes = data + 3;
	memset(win.base, 0, WIN_SIZE);
	memcpy(win.base, data + 3 + n,
	       size - 3 - n < WIN_SIZE ? size - 3 - n : WIN_SIZE);
	window_set_big_endian(&win, big);
	fs_ids(true);
	kspd_begin(&k, &win, NULL);

	while ((used = kspd_parse(req_bytes + at, n - at, big, &req))) {
		if (used != KSPD_HDR_SIZE + req_bytes[at + 5])
			breach("parse took another length", req.cmd, (long)used);
		ret = kspd_serve(&k, &req, &exited);
		if (ret < -1 && !known_errno(-ret))
			breach("a reply outside the contract", req.cmd, ret);
		if (req.cmd == KSPD_OPEN && ret >= 0 &&
		    (ret < KSPD_FD_BASE || ret >= KSPD_FD_BASE + KSPD_FILES))
			breach("an open gave a descriptor out of range", req.cmd, ret);
		at += used;
		if (exited)
			break;
	}
	kspd_end(&k);
	fs_ids(false);
	if (entries(outside, false) != 0)
		breach("a file appeared outside DIR", 0, 0);
	if (++runs % 512 == 0) {
		char sub[512];

		entries(root, true);
		snprintf(sub, sizeof(sub), "%s/sub", root);
		entries(sub, true);
	}
	return 0;
}
