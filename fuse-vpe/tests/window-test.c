// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * window unit tests (TAP): the window spec, address translation with its
 * bounds (KSEG0, KSEG1, physical, the 512 MiB edge, a window not at 0),
 * 32-bit fields in both byte orders, and the copies that refuse anything
 * not wholly inside. The window sits between inaccessible pages
 * (fakeremote.h): a stray access ends the test with a fault.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fakeremote.h"
#include "legacy.h"
#include "unit.h"
#include "window.h"

#define SIZE	0x4000u
#define PHYS	0x01000000u

static void test_spec(void)
{
	struct window w;
	char spec[PATH_MAX + 64], path[64];
	int fd, err;

	fd = memfd_create("window-test", MFD_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	snprintf(spec, sizeof(spec), "file:%s", path);
	ok(window_open(&w, spec) == -EINVAL, "an empty file: EINVAL");
	ok(ftruncate(fd, 3 * 4096) == 0, "the memfd takes a size");

	err = window_open(&w, spec);
	ok(!err && w.size == 3 * 4096 && w.phys_base == 0 && !w.module &&
	   w.fd >= 0, "file:PATH: the whole file at physical 0, no module (%d)",
	   err);
	ok(window_doorbell_fd(&w) == -1, "a file has no doorbell");
	window_kick(&w);	/* nothing to ring: must not fail or block */
	window_doorbell_ack(&w);
	window_close(&w);
	ok(w.base == NULL && w.fd == -1, "closed: no mapping, no fd");
	window_close(&w);	/* twice is harmless */

	snprintf(spec, sizeof(spec), "file:%s@0x1000000", path);
	err = window_open(&w, spec);
	ok(!err && w.phys_base == 0x1000000, "file:PATH@0x1000000: phys_base");
	if (!err)
		window_close(&w);
	snprintf(spec, sizeof(spec), "file:%s@4096", path);
	err = window_open(&w, spec);
	ok(!err && w.phys_base == 4096, "file:PATH@4096: decimal phys_base");
	if (!err)
		window_close(&w);

	snprintf(spec, sizeof(spec), "file:%s@", path);
	ok(window_open(&w, spec) == -EINVAL, "file:PATH@: EINVAL");
	snprintf(spec, sizeof(spec), "file:%s@0x10zz", path);
	ok(window_open(&w, spec) == -EINVAL, "file:PATH@0x10zz: EINVAL");
	ok(window_open(&w, "file:") == -EINVAL, "file: with no path: EINVAL");
	ok(window_open(&w, "file:@0x100") == -EINVAL, "file:@PHYS: EINVAL");
	ok(window_open(&w, "file:/nonexistent/ram") == -ENOENT,
	   "a missing file: ENOENT");
	ok(window_open(&w, "/nonexistent/vpe_compat0") == -ENOENT,
	   "a missing module node: ENOENT");
	/* a file that is not a vpe_compat.ko node refuses its ioctl */
	ok(window_open(&w, path) == -ENOTTY,
	   "a plain file named as a module node: ENOTTY");

	memset(spec, 'a', sizeof(spec) - 1);
	spec[sizeof(spec) - 1] = '\0';
	memcpy(spec, "file:", 5);
	ok(window_open(&w, spec) == -ENAMETOOLONG, "a path too long: ENAMETOOLONG");
	spec[0] = '/';
	ok(window_open(&w, spec) == -ENAMETOOLONG,
	   "a module path too long: ENAMETOOLONG");
	close(fd);
}

static bool offset_is(const struct window *w, uint32_t addr, uint32_t len,
		      bool phys, size_t want)
{
	size_t off = (size_t)-1;

	return window_offset(w, addr, len, phys, &off) && off == want;
}

static bool refused(const struct window *w, uint32_t addr, uint32_t len,
		    bool phys)
{
	size_t off = 12345;

	/* and *off is left alone */
	return !window_offset(w, addr, len, phys, &off) && off == 12345;
}

static void test_offset(void)
{
	struct fakeremote fr;
	struct window *w = &fr.win;

	if (fr_open(&fr, SIZE, PHYS, false)) {
		ok(false, "fakeremote opens");
		return;
	}
	ok(offset_is(w, 0x80000000 | PHYS, 4, false, 0), "KSEG0 start of the window");
	ok(offset_is(w, 0xa0000000 | PHYS, 4, false, 0), "KSEG1 start of the window");
	ok(offset_is(w, PHYS + 8, 4, true, 8), "physical address + 8");
	ok(offset_is(w, 0x80000000 | (PHYS + SIZE - 4), 4, false, SIZE - 4),
	   "the last word");
	ok(offset_is(w, 0x80000000 | PHYS, SIZE, false, 0), "the whole window");
	ok(offset_is(w, PHYS + SIZE, 0, true, SIZE),
	   "zero bytes at the very end");
	ok(refused(w, 0x80000000 | (PHYS + SIZE - 2), 4, false),
	   "a word straddling the end");
	ok(refused(w, 0x80000000 | (PHYS + SIZE), 1, false), "one past the end");
	ok(refused(w, 0x80000000 | PHYS, SIZE + 1, false), "one byte too long");
	ok(refused(w, 0x80000000 | (PHYS - 4), 4, false), "just below the window");
	ok(refused(w, 0x80000000 | (PHYS - 2), 4, false),
	   "straddling the start");
	ok(refused(w, PHYS + 4, 0xffffffff, true), "a length of 4 GiB");
	ok(refused(w, PHYS, 4, false), "a KUSEG (mapped) address");
	ok(refused(w, 0xc0000000 | PHYS, 4, false), "a KSEG2 address");
	ok(refused(w, 0xe0000000 | PHYS, 4, false), "a KSEG3 address");
	ok(refused(w, 0x80000000 | PHYS, 4, true),
	   "a KSEG0 address taken as physical");
	ok(refused(w, 0xfffffffc, 8, true), "physical, past 4 GiB");
	fr_close(&fr);

	/* a window across the top of the 512 MiB KSEG0 shows */
	if (fr_open(&fr, 2 * SIZE, LEGACY_KSEG_SIZE - SIZE, false)) {
		ok(false, "fakeremote opens at the top of KSEG0");
		return;
	}
	ok(offset_is(w, 0x9ffffffc, 4, false, SIZE - 4),
	   "the last KSEG0 word (0x9ffffffc)");
	ok(offset_is(w, 0xbffffffc, 4, false, SIZE - 4),
	   "the last KSEG1 word (0xbffffffc)");
	ok(refused(w, 0x9ffffffc, 8, false),
	   "a KSEG0 span running past 512 MiB (no wrap into KSEG1)");
	ok(refused(w, 0xbffffffc, 8, false), "a KSEG1 span running into KSEG2");
	ok(offset_is(w, LEGACY_KSEG_SIZE - 4, 8, true, SIZE - 4),
	   "the same span as a physical address: inside the window");
	ok(refused(w, 0x80000000, 4, false), "KSEG0 0x80000000 is below this window");
	fr_close(&fr);
}

static void test_words(bool big)
{
	const char *order = big ? "big-endian" : "little-endian";
	const uint8_t want_be[4] = { 0x12, 0x34, 0x56, 0x78 };
	const uint8_t want_le[4] = { 0x78, 0x56, 0x34, 0x12 };
	struct fakeremote fr;

	if (fr_open(&fr, SIZE, 0, big)) {
		ok(false, "fakeremote opens");
		return;
	}
	window_set_big_endian(&fr.win, big);
	window_store32(&fr.win, 16, 0x12345678);
	ok(!memcmp(fr.mem + 16, big ? want_be : want_le, 4),
	   "%s firmware: store32 writes its byte order", order);
	ok(fr_get32(&fr, 16) == 0x12345678, "%s: the remote reads it back", order);
	fr_put32(&fr, SIZE - 4, 0xcafef00d);
	ok(window_load32(&fr.win, SIZE - 4) == 0xcafef00d,
	   "%s: load32 reads the remote's last word", order);
	window_set_big_endian(&fr.win, !big);
	ok(window_load32(&fr.win, SIZE - 4) == 0x0df0feca,
	   "%s read in the other order: swapped", order);
	fr_close(&fr);
}

static void test_copies(void)
{
	struct fakeremote fr;
	uint8_t buf[64], zero[64] = { 0 };
	size_t i;

	if (fr_open(&fr, SIZE, PHYS, false)) {
		ok(false, "fakeremote opens");
		return;
	}
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i + 1);
	ok(window_copy_in(&fr.win, SIZE - 64, buf, 64) &&
	   !memcmp(fr.mem + SIZE - 64, buf, 64), "copy_in of the last 64 bytes");
	memset(buf, 0, sizeof(buf));
	ok(window_copy_out(&fr.win, SIZE - 64, buf, 64) && buf[0] == 1 &&
	   buf[63] == 64, "copy_out of the last 64 bytes");
	ok(window_copy_out(&fr.win, SIZE, buf, 0) &&
	   window_copy_in(&fr.win, SIZE, buf, 0), "zero bytes at the end");

	memset(buf, 0xee, sizeof(buf));
	ok(!window_copy_in(&fr.win, SIZE - 63, buf, 64) &&
	   fr.mem[SIZE - 63] == 2, "copy_in one byte too long: refused, nothing written");
	ok(!window_copy_in(&fr.win, SIZE + 1, buf, 0), "copy_in past the end: refused");
	ok(!window_copy_in(&fr.win, 1, buf, (size_t)-1),
	   "copy_in of SIZE_MAX bytes (offset + length wraps): refused");
	ok(!window_copy_in(&fr.win, (size_t)-1, buf, 2),
	   "copy_in at offset SIZE_MAX: refused");
	memset(buf, 0, sizeof(buf));
	ok(!window_copy_out(&fr.win, SIZE - 63, buf, 64) &&
	   !memcmp(buf, zero, sizeof(buf)),
	   "copy_out one byte too long: refused, nothing copied");
	ok(!window_copy_out(&fr.win, 8, buf, (size_t)-1 - 4),
	   "copy_out with a wrapping length: refused");
	fr_close(&fr);
}

/* Does touching @p kill a child with SIGSEGV? */
static bool faults(volatile const uint8_t *p)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		(void)*p;
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

/* What every other test relies on: a stray access faults. */
static void test_guards(void)
{
	struct fakeremote fr;

	if (fr_open(&fr, SIZE, PHYS, false)) {
		ok(false, "fakeremote opens");
		return;
	}
	ok(!faults(fr.win.base) && !faults(fr.win.base + SIZE - 1),
	   "fakeremote: the window's first and last bytes are readable");
	ok(faults(fr.win.base + SIZE), "fakeremote: the byte after the window faults");
	ok(faults(fr.win.base - 1), "fakeremote: the byte before the window faults");
	fr_close(&fr);
}

int main(void)
{
	test_guards();
	test_spec();
	test_offset();
	test_words(false);
	test_words(true);
	test_copies();
	return done();
}
