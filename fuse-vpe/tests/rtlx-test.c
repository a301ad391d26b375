// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlx unit tests (TAP): the channel engine against a fake remote
 * (fakeremote.h) in both byte orders and both rtlx_info layouts
 * (docs/legacy-abi.md §7.3): attach and layout detection, ring wraps,
 * full and empty rings, short reads and writes, poll masks, the open
 * rules of §7.6, every hostile field the remote can write, and programs
 * stopping and starting (§7.13).
 *
 * The window sits between inaccessible pages: a hostile field that made
 * rtlx read or write outside it would end the run with a fault (and an
 * ASan report in the SANITIZE=1 build) instead of a result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fakeremote.h"
#include "rtlx.h"
#include "unit.h"
#include "warn.h"

#define SIZE	0x10000u	/* the window */
#define PHYS	0x00800000u	/* its physical address */
#define RING	64u		/* the usual ring */

#define POLL_IN		(POLLIN | POLLRDNORM)
#define POLL_OUT	(POLLOUT | POLLWRNORM)

struct env {
	struct fakeremote fr;
	struct rtlx r;
	int changed;		/* rtlx_hooks.changed calls */
};

static char log_path[64];

static void changed(void *ctx)
{
	((struct env *)ctx)->changed++;
}

static void log_reset(void)
{
	if (truncate(log_path, 0))
		diag("cannot truncate %s", log_path);
}

/* Is @text in a line rtlx logged since the last log_reset()? */
static bool logged(const char *text)
{
	char buf[8192];
	ssize_t n;
	int fd = open(log_path, O_RDONLY);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, text);
}

static void start(struct env *e)
{
	rtlx_started(&e->r, true, fr_phys(&e->fr, e->fr.shared), e->fr.big);
}

/*
 * A window with the standard structure (fr_standard) of @layout, rings of
 * @ring bytes, the program started; rtlx told @layout_opt.
 */
static bool setup(struct env *e, int layout, bool big, uint32_t ring,
		  int layout_opt)
{
	const struct rtlx_hooks hooks = { .changed = changed, .ctx = e };

	memset(e, 0, sizeof(*e));
	if (fr_open(&e->fr, SIZE, PHYS, big))
		return ok(false, "fakeremote opens");
	fr_standard(&e->fr, layout, ring);
	if (rtlx_init(&e->r, &e->fr.win, layout_opt, &hooks)) {
		fr_close(&e->fr);
		return ok(false, "rtlx_init");
	}
	start(e);
	log_reset();
	return true;
}

static void teardown(struct env *e)
{
	rtlx_destroy(&e->r);
	fr_close(&e->fr);
}

static int open_ch(struct env *e, int ch, bool nonblock)
{
	int err = rtlx_open_begin(&e->r, ch);

	return err ? err : rtlx_open_try(&e->r, ch, nonblock);
}

static void fill(uint8_t *buf, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)(seed + i * 7);
}

static const char *order(bool big)
{
	return big ? "big-endian" : "little-endian";
}

/* ---- close, then open: the release comes after the close --------------- */

struct late_release {
	struct rtlx *r;
	int ch;
};

static void *release_later(void *arg)
{
	struct late_release *lr = arg;
	struct timespec ts = { 0, 50 * 1000000 };

	nanosleep(&ts, NULL);
	rtlx_release(lr->r, lr->ch);
	return NULL;
}

static void test_release_after_close(void)
{
	struct late_release lr;
	pthread_t t;
	struct env e;

	if (!setup(&e, 296, false, RING, 0))
		return;
	ok(open_ch(&e, 1, false) == 0, "an open");
	ok(!rtlx_wait_release(&e.r, 1, 1000),
	   "not closed: no wait for a release, the channel is held");
	rtlx_flush(&e.r, 1);
	ok(open_ch(&e, 1, true) == -EBUSY,
	   "closed, its release not yet here: still held (EBUSY)");
	lr.r = &e.r;
	lr.ch = 1;
	if (pthread_create(&t, NULL, release_later, &lr))
		return (void)ok(false, "a thread for the late release");
	ok(rtlx_wait_release(&e.r, 1, 5000),
	   "the release comes 50 ms after: the wait sees the channel free");
	pthread_join(t, NULL);
	ok(open_ch(&e, 1, true) == 0, "and it opens");
	rtlx_flush(&e.r, 1);
	ok(!rtlx_wait_release(&e.r, 1, 100),
	   "closed, but no release comes (a duplicate holds it): the wait times out");
	rtlx_release(&e.r, 1);
	teardown(&e);
}

/* ---- attach, both layouts and byte orders ----------------------------- */

static void test_attach(int layout, bool big, int layout_opt)
{
	uint8_t out[32], in[32];
	struct env e;
	ssize_t n;
	int err;

	if (!setup(&e, layout, big, RING, layout_opt))
		return;
	err = open_ch(&e, 3, true);
	ok(!err && e.r.layout == layout,
	   "%d-byte %s structure (layout option %d): channel 3 opens as %d (%d)",
	   layout, order(big), layout_opt, e.r.layout, err);
	ok(fr_field(&e.fr, 3, FR_LX_STATE) == RTLX_STATE_OPENED,
	   "lx_state = OPENED in the firmware's byte order");
	ok(fr_field(&e.fr, 2, FR_LX_STATE) == 0, "other channels' lx_state untouched");
	ok(rtlx_poll(&e.r, 3) == POLL_OUT, "empty rings poll POLLOUT|POLLWRNORM only");

	fill(out, sizeof(out), 1);
	n = rtlx_write(&e.r, 3, out, 20);
	ok(n == 20 && fr_recv(&e.fr, 3, in, sizeof(in)) == 20 && !memcmp(in, out, 20),
	   "20 bytes written arrive at the remote intact");
	ok(fr_field(&e.fr, 3, FR_RT_WRITE) == 20 &&
	   fr_field(&e.fr, 3, FR_RT_READ) == 20,
	   "rt_write moved to 20 in the firmware's byte order");

	fill(out, sizeof(out), 100);
	fr_send(&e.fr, 3, out, 11);
	ok(rtlx_poll(&e.r, 3) == (POLL_IN | POLL_OUT), "data: POLLIN|POLLRDNORM too");
	memset(in, 0, sizeof(in));
	n = rtlx_read(&e.r, 3, in, sizeof(in));
	ok(n == 11 && !memcmp(in, out, 11), "11 bytes from the remote read intact (%zd)", n);
	ok(fr_field(&e.fr, 3, FR_LX_READ) == 11, "lx_read moved to 11");
	ok(rtlx_read(&e.r, 3, in, sizeof(in)) == -EAGAIN, "then empty: -EAGAIN");

	rtlx_release(&e.r, 3);
	ok(fr_field(&e.fr, 3, FR_LX_STATE) == 0 &&
	   fr_field(&e.fr, 3, FR_LX_READ) == 11 &&
	   fr_field(&e.fr, 3, FR_RT_WRITE) == 20,
	   "release: lx_state UNUSED, indices kept");
	teardown(&e);
}

/* Detection on a structure with one good channel: the rest zero. */
static void test_detect_one(int layout)
{
	struct env e;
	int ch;

	if (!setup(&e, layout, false, RING, 0))
		return;
	for (ch = 0; ch < RTLX_CHANNELS; ch++)
		if (ch != 5)
			fr_ring(&e.fr, ch, 0, 0, 0);
	ok(open_ch(&e, 5, true) == 0 && e.r.layout == layout,
	   "%d-byte structure with only channel 5 set up: detected as %d",
	   layout, e.r.layout);
	ok(open_ch(&e, 4, true) == -EIO, "channel 4 (no ring): EIO");
	teardown(&e);
}

/* A program built for the other layout (§7.3: misread, 4 bytes off). */
static void test_wrong_layout(int layout, int forced)
{
	uint8_t buf[8] = "abc";
	struct env e;

	if (!setup(&e, layout, true, RING, forced))
		return;
	ok(open_ch(&e, 0, true) == -EIO,
	   "%d-byte structure read as %d: open EIO", layout, forced);
	ok(rtlx_poll(&e.r, 0) == POLLERR, "... poll POLLERR");
	ok(rtlx_read(&e.r, 0, buf, 8) == -EIO && rtlx_write(&e.r, 0, buf, 3) == -EIO,
	   "... read and write EIO");
	teardown(&e);
}

/* ---- rings ----------------------------------------------------------- */

/* Put both rings of channel 0 at index @at, empty. */
static void rings_at(struct env *e, uint32_t at)
{
	fr_set(&e->fr, 0, FR_RT_WRITE, at);
	fr_set(&e->fr, 0, FR_RT_READ, at);
	fr_set(&e->fr, 0, FR_LX_WRITE, at);
	fr_set(&e->fr, 0, FR_LX_READ, at);
}

static void test_read_wrap(bool big)
{
	uint8_t out[16], in[32];
	struct env e;
	ssize_t n;

	if (!setup(&e, 296, big, 16, 0))
		return;
	rings_at(&e, 12);
	open_ch(&e, 0, true);
	fill(out, sizeof(out), 9);
	fr_send(&e.fr, 0, out, 10);
	n = rtlx_read(&e.r, 0, in, sizeof(in));
	ok(n == 10 && !memcmp(in, out, 10) && fr_field(&e.fr, 0, FR_LX_READ) == 6,
	   "%s: a read crossing the ring's end (12 -> 6) gets 10 bytes in order",
	   order(big));

	/* exactly full: size - 1 bytes */
	ok(fr_send(&e.fr, 0, out, 16) == 15, "the remote fills the 16-byte ring with 15");
	ok(rtlx_poll(&e.r, 0) & POLLIN, "full ring: POLLIN");
	n = rtlx_read(&e.r, 0, in, 4);
	ok(n == 4 && !memcmp(in, out, 4), "a short read: 4 of 15");
	n = rtlx_read(&e.r, 0, in, sizeof(in));
	ok(n == 11 && !memcmp(in, out + 4, 11), "then the 11 left, across the end");
	ok(!(rtlx_poll(&e.r, 0) & POLLIN) && rtlx_read(&e.r, 0, in, 1) == -EAGAIN,
	   "exactly empty again: no POLLIN, -EAGAIN");
	ok(fr_field(&e.fr, 0, FR_LX_READ) == fr_field(&e.fr, 0, FR_LX_WRITE),
	   "lx_read caught up with lx_write");
	ok(rtlx_read(&e.r, 0, in, 0) == -EAGAIN, "a 0-byte read of an empty ring: -EAGAIN");
	teardown(&e);
}

static void test_write_wrap(bool big)
{
	uint8_t out[32], in[32];
	struct env e;
	ssize_t n;

	if (!setup(&e, 300, big, 16, 0))
		return;
	rings_at(&e, 10);
	open_ch(&e, 0, true);
	fill(out, sizeof(out), 50);
	n = rtlx_write(&e.r, 0, out, 12);
	ok(n == 12 && fr_field(&e.fr, 0, FR_RT_WRITE) == 6,
	   "%s: a write crossing the ring's end (10 -> 6) takes 12 bytes", order(big));
	ok(fr_recv(&e.fr, 0, in, sizeof(in)) == 12 && !memcmp(in, out, 12),
	   "the remote gets them in order");

	n = rtlx_write(&e.r, 0, out, 20);
	ok(n == 15, "20 bytes into an empty 16-byte ring: a short write of 15 (%zd)", n);
	ok(!(rtlx_poll(&e.r, 0) & POLLOUT), "exactly full: no POLLOUT");
	ok(rtlx_write(&e.r, 0, out, 1) == -EAGAIN, "exactly full: -EAGAIN");
	ok(fr_recv(&e.fr, 0, in, 5) == 5 && !memcmp(in, out, 5), "the remote takes 5");
	ok(rtlx_poll(&e.r, 0) & POLLOUT, "room again: POLLOUT");
	n = rtlx_write(&e.r, 0, out + 15, 10);
	ok(n == 5, "10 more: a short write of 5");
	ok(fr_recv(&e.fr, 0, in, sizeof(in)) == 15 && !memcmp(in, out + 5, 15),
	   "the remote gets the 15 in order");
	ok(rtlx_write(&e.r, 0, out, 0) == 0, "a 0-byte write: 0");
	teardown(&e);
}

/* The smallest ring rtlx takes: 2 bytes, one usable. */
static void test_tiny_ring(void)
{
	uint8_t c = 'x', d = 0;
	struct env e;

	if (!setup(&e, 296, false, 2, 0))
		return;
	open_ch(&e, 7, true);
	ok(rtlx_write(&e.r, 7, "ab", 2) == 1 && rtlx_write(&e.r, 7, "b", 1) == -EAGAIN,
	   "2-byte ring: one byte per write, then full");
	ok(fr_recv(&e.fr, 7, &d, 1) == 1 && d == 'a', "the remote gets it");
	ok(fr_send(&e.fr, 7, &c, 1) == 1 && rtlx_read(&e.r, 7, &d, 8) == 1 && d == 'x',
	   "2-byte ring: one byte read");
	teardown(&e);
}

/* Unread data wait for the next opener (§7.7). */
static void test_reopen_keeps_data(void)
{
	uint8_t buf[8];
	struct env e;

	if (!setup(&e, 296, false, RING, 0))
		return;
	open_ch(&e, 1, true);
	fr_send(&e.fr, 1, "kept", 4);
	rtlx_release(&e.r, 1);
	ok(open_ch(&e, 1, true) == 0 && rtlx_read(&e.r, 1, buf, 8) == 4 &&
	   !memcmp(buf, "kept", 4), "data sent before a close is read after the reopen");
	teardown(&e);
}

/* ---- open (§7.6) ------------------------------------------------------ */

static void test_open_rules(void)
{
	struct env e;

	if (!setup(&e, 296, false, RING, 0))
		return;
	ok(open_ch(&e, 0, false) == 0, "an open");
	ok(open_ch(&e, 0, false) == -EBUSY && open_ch(&e, 0, true) == -EBUSY,
	   "a second open of the held channel: EBUSY");
	ok(fr_field(&e.fr, 0, FR_LX_STATE) == RTLX_STATE_OPENED, "still OPENED");
	fr_set(&e.fr, 0, FR_LX_STATE, 0);
	ok(open_ch(&e, 0, true) == -EBUSY,
	   "the remote cleared lx_state: still EBUSY while our file holds it");
	rtlx_release(&e.r, 0);
	ok(open_ch(&e, 0, true) == 0, "after release it opens again");
	rtlx_release(&e.r, 0);

	fr_set(&e.fr, 2, FR_LX_STATE, RTLX_STATE_OPENED);
	ok(open_ch(&e, 2, true) == -EBUSY,
	   "lx_state OPENED in the remote's memory: EBUSY");
	fr_set(&e.fr, 2, FR_LX_STATE, 0xdeadbeef);
	fr_set(&e.fr, 2, FR_RT_STATE, 0xdeadbeef);
	fr_put32(&e.fr, e.fr.info + 4, 0xdeadbeef);
	ok(open_ch(&e, 2, true) == 0 &&
	   fr_field(&e.fr, 2, FR_LX_STATE) == RTLX_STATE_OPENED,
	   "garbage lx_state, rt_state and info state: ignored, lx_state set to OPENED");
	teardown(&e);
}

static void test_open_waits(void)
{
	struct env e;
	uint8_t buf[4];

	if (!setup(&e, 296, false, RING, 0))
		return;
	rtlx_stopped(&e.r);
	fr_unpublish(&e.fr);
	ok(open_ch(&e, 0, true) == -ENOSYS, "no program, O_NONBLOCK: ENOSYS");
	ok(open_ch(&e, 0, false) == -EAGAIN, "no program, blocking: waits (-EAGAIN)");
	ok(rtlx_open_begin(&e.r, 0) == -EBUSY,
	   "another open while one waits: EBUSY");
	ok(rtlx_open_try(&e.r, 0, false) == -EAGAIN, "the waiting open tries again: -EAGAIN");
	start(&e);
	ok(rtlx_open_try(&e.r, 0, false) == -EAGAIN,
	   "a program that has not published (vpe_shared 0): still waits");
	ok(rtlx_poll(&e.r, 0) == 0, "... poll 0");
	ok(rtlx_read(&e.r, 0, buf, 4) == 0, "... read 0 (legacy)");
	ok(rtlx_write(&e.r, 0, "x", 1) == -EAGAIN, "... write waits (-EAGAIN)");
	ok(open_ch(&e, 1, true) == -ENOSYS, "... O_NONBLOCK open of another: ENOSYS");
	fr_put32(&e.fr, e.fr.shared, fr_addr(&e.fr, e.fr.info));
	ok(rtlx_open_try(&e.r, 0, false) == 0, "published: the waiting open succeeds");
	ok(open_ch(&e, 1, true) == 0, "and a new one too");

	rtlx_open_cancel(&e.r, 2);	/* nothing waits: harmless */
	rtlx_stopped(&e.r);
	ok(open_ch(&e, 2, false) == -EAGAIN, "stopped: a blocking open waits");
	rtlx_open_cancel(&e.r, 2);
	ok(rtlx_open_begin(&e.r, 2) == 0, "cancelled (a signal): the channel can be opened again");
	rtlx_open_cancel(&e.r, 2);

	rtlx_started(&e.r, false, 0, false);
	ok(open_ch(&e, 2, true) == -ENOSYS,
	   "a program without vpe_shared, O_NONBLOCK: ENOSYS");
	ok(open_ch(&e, 3, false) == -EAGAIN, "... blocking: waits");
	rtlx_open_cancel(&e.r, 3);
	teardown(&e);
}

/* ---- hostile structures ----------------------------------------------- */

/* Open, read, write and poll on channel @ch all refuse, as documented. */
static void refuses(struct env *e, int ch, int open_err, unsigned int mask,
		    const char *what)
{
	uint8_t buf[16];
	int err = open_ch(e, ch, true);
	unsigned int got = rtlx_poll(&e->r, ch);
	ssize_t rd = rtlx_read(&e->r, ch, buf, sizeof(buf));
	ssize_t wr = rtlx_write(&e->r, ch, "data", 4);

	ok(err == open_err && got == mask && rd == (open_err == -EIO ? -EIO : 0) &&
	   wr == -EIO, "%s: open %d, poll 0x%x, read %zd, write %zd", what, err,
	   got, rd, wr);
}

static void test_hostile_shared(void)
{
	struct env e;

	if (!setup(&e, 296, false, RING, 0))
		return;
	rtlx_started(&e.r, true, PHYS + SIZE, false);
	refuses(&e, 0, -EIO, 0, "vpe_shared just past the window");
	ok(logged("vpe_shared (physical 0x00810000) is outside the memory window"),
	   "... and says so in the log");
	rtlx_started(&e.r, true, PHYS + SIZE - 2, false);
	refuses(&e, 0, -EIO, 0, "vpe_shared straddling the window's end");
	rtlx_started(&e.r, true, PHYS - 4, false);
	refuses(&e, 0, -EIO, 0, "vpe_shared below the window");
	rtlx_started(&e.r, true, PHYS + 0x42, false);
	refuses(&e, 0, -EIO, 0, "vpe_shared misaligned");
	rtlx_started(&e.r, true, 0xffffffff, false);
	refuses(&e, 0, -EIO, 0, "vpe_shared at 0xffffffff");

	fr_put32(&e.fr, SIZE - 4, fr_addr(&e.fr, e.fr.info));
	rtlx_started(&e.r, true, PHYS + SIZE - 4, false);
	ok(open_ch(&e, 0, true) == 0, "vpe_shared in the window's last word: works");
	teardown(&e);
}

/* vpe_shared pointing at @info (an address): the open fails with @err. */
static void bad_info(struct env *e, uint32_t info, int err, const char *what)
{
	uint8_t buf[4];

	fr_put32(&e->fr, e->fr.shared, info);
	start(e);
	log_reset();
	ok(open_ch(e, 0, true) == err && rtlx_poll(&e->r, 0) == 0 &&
	   rtlx_read(&e->r, 0, buf, 4) == (err == -EIO ? -EIO : 0) &&
	   rtlx_write(&e->r, 0, "x", 1) == -EIO, "%s: open %d, poll 0, read %s, write EIO",
	   what, err, err == -EIO ? "EIO" : "0");
}

static void test_hostile_info(void)
{
	struct env e;

	if (!setup(&e, 300, false, RING, 0))
		return;
	bad_info(&e, 0x1234, -ENOSYS, "rtlx_info below KSEG0 (an error code)");
	ok(logged("vpe_get_shared returned an invalid pointer maybe an error code 4660"),
	   "... the legacy line");
	/* -EFAULT is no address below KSEG0: legacy dereferenced it */
	bad_info(&e, 0xfffffff2, -EIO, "rtlx_info at 0xfffffff2 (-EFAULT, KSEG3)");
	bad_info(&e, fr_addr(&e.fr, SIZE), -EIO, "rtlx_info just past the window");
	ok(logged("is outside the memory window or unaligned"), "... says so");
	bad_info(&e, fr_addr(&e.fr, SIZE - 296), -EIO,
		 "rtlx_info in the last 296 bytes (300 may be read)");
	bad_info(&e, fr_addr(&e.fr, 0) - 4, -EIO, "rtlx_info below the window");
	bad_info(&e, fr_addr(&e.fr, e.fr.info + 2), -EIO, "rtlx_info misaligned");
	bad_info(&e, 0xc0000000 | fr_phys(&e.fr, e.fr.info), -EIO, "rtlx_info in KSEG2");
	bad_info(&e, 0x9ffffff0, -EIO, "rtlx_info at the top of KSEG0");

	fr_put32(&e.fr, e.fr.info, 0x12345603);
	bad_info(&e, fr_addr(&e.fr, e.fr.info), -ENOEXEC, "a wrong id");
	ok(logged("no valid RTLX id at 0x80800100 0x12345603"), "... the legacy line");
	fr_put32(&e.fr, e.fr.info, RTLX_ID);

	fr_put32(&e.fr, e.fr.shared, 0xa0000000 | fr_phys(&e.fr, e.fr.info));
	start(&e);
	ok(open_ch(&e, 0, true) == 0 && rtlx_write(&e.r, 0, "x", 1) == 1,
	   "rtlx_info through KSEG1: works");
	teardown(&e);
}

/* A whole, valid 300-byte structure ending at the window's last byte. */
static void test_info_at_end(void)
{
	uint8_t buf[8];
	struct env e;

	if (!setup(&e, 300, true, RING, 0))
		return;
	fr_publish(&e.fr, 300, 0x40, SIZE - 300);
	fr_ring(&e.fr, 7, RING, 0x400, 0x400 + RING);
	start(&e);
	ok(open_ch(&e, 7, true) == 0 && rtlx_write(&e.r, 7, "end", 3) == 3 &&
	   fr_recv(&e.fr, 7, buf, 8) == 3, "rtlx_info in the window's last 300 bytes: channel 7 works");
	teardown(&e);
}

/* Channel 4 gets @field = @val; it fails, channel 5 does not. */
static void bad_field(enum fr_field field, uint32_t val, unsigned int mask,
		      const char *what)
{
	uint8_t buf[8];
	struct env e;

	if (!setup(&e, 296, false, RING, 0))
		return;
	fr_set(&e.fr, 4, field, val);
	refuses(&e, 4, -EIO, mask, what);
	ok(open_ch(&e, 5, true) == 0 && rtlx_write(&e.r, 5, "ok", 2) == 2 &&
	   fr_recv(&e.fr, 5, buf, 8) == 2, "... channel 5 goes on");
	teardown(&e);
}

/*
 * An index out of its ring breaks that direction: the channel polls
 * POLLERR; a bad lx index fails reads, a bad rt index writes.
 */
static void bad_index(enum fr_field field, uint32_t val, const char *what)
{
	bool lx = field == FR_LX_WRITE || field == FR_LX_READ;
	uint8_t buf[8];
	struct env e;
	ssize_t rd, wr;

	if (!setup(&e, 300, true, RING, 0))
		return;
	fr_set(&e.fr, 4, field, val);
	if (!lx)
		fr_send(&e.fr, 4, "in", 2);
	ok(open_ch(&e, 4, true) == 0, "%s: the open works", what);
	rd = rtlx_read(&e.r, 4, buf, sizeof(buf));
	wr = rtlx_write(&e.r, 4, "out", 3);
	ok(rtlx_poll(&e.r, 4) == POLLERR && rd == (lx ? -EIO : 2) &&
	   wr == (lx ? 3 : -EIO), "%s: poll POLLERR, read %zd, write %zd", what,
	   rd, wr);
	ok(fr_field(&e.fr, 4, field) == val, "... and the index is left as it was");
	teardown(&e);
}

static void test_hostile_channel(void)
{
	struct env e;
	uint8_t buf[8];

	bad_field(FR_SIZE, 0, POLLERR, "buffer_size 0");
	bad_field(FR_SIZE, 1, POLLERR, "buffer_size 1");
	bad_field(FR_SIZE, (16u << 20) + 1, POLLERR, "buffer_size 16 MiB + 1");
	bad_field(FR_SIZE, 0xffffffff, POLLERR, "buffer_size 0xffffffff");
	bad_field(FR_SIZE, SIZE, POLLERR, "buffer_size the whole window (rings run past it)");
	bad_field(FR_RT_BUFFER, 0, POLLERR, "rt_buffer NULL");
	bad_field(FR_RT_BUFFER, LEGACY_KSEG0 | (PHYS + SIZE), POLLERR,
		  "rt_buffer past the window");
	bad_field(FR_RT_BUFFER, LEGACY_KSEG0 | (PHYS + SIZE - RING + 1), POLLERR,
		  "rt_buffer's ring crossing the window's end");
	bad_field(FR_LX_BUFFER, LEGACY_KSEG0 | (PHYS - RING), POLLERR,
		  "lx_buffer below the window");
	bad_field(FR_LX_BUFFER, LEGACY_KSEG2 | PHYS, POLLERR, "lx_buffer in KSEG2");
	bad_field(FR_LX_BUFFER, PHYS + 0x400, POLLERR, "lx_buffer a physical (KUSEG) address");
	bad_field(FR_LX_BUFFER, 0x9fffffc0, POLLERR, "lx_buffer at the top of KSEG0");

	bad_index(FR_LX_WRITE, RING, "lx_write = buffer_size");
	bad_index(FR_LX_READ, 0xffffffff, "lx_read 0xffffffff");
	bad_index(FR_RT_WRITE, RING + 1, "rt_write past buffer_size");
	bad_index(FR_RT_READ, 0x80000000, "rt_read 0x80000000");

	/*
	 * The rings' bytes are the remote's business: misaligned, overlapping
	 * each other or the structure itself, they stay inside the window.
	 */
	if (!setup(&e, 296, false, 16, 0))
		return;
	fr_set(&e.fr, 0, FR_RT_BUFFER, fr_addr(&e.fr, 0x801));
	fr_set(&e.fr, 0, FR_LX_BUFFER, fr_addr(&e.fr, 0x801));
	open_ch(&e, 0, true);
	ok(rtlx_write(&e.r, 0, "loop", 4) == 4 && fr_recv(&e.fr, 0, buf, 8) == 4 &&
	   !memcmp(buf, "loop", 4), "misaligned rings sharing their bytes: data intact");
	fr_set(&e.fr, 1, FR_RT_BUFFER, fr_addr(&e.fr, e.fr.info));
	open_ch(&e, 1, true);
	ok(rtlx_write(&e.r, 1, "\x02\x56\x34\x12", 4) == 4 &&
	   rtlx_poll(&e.r, 1) & POLLOUT,
	   "a ring over the structure: the write lands there, nothing outside");
	/* rt_write is 4 now: this write lands on channel 0's buffer_size */
	fr_set(&e.fr, 1, FR_RT_BUFFER, fr_addr(&e.fr, e.fr.info + 12));
	ok(rtlx_write(&e.r, 1, "\xff\xff\xff\xff", 4) == 4 &&
	   rtlx_poll(&e.r, 0) == POLLERR,
	   "... writing over channel 0's buffer_size: channel 0 is broken now");
	teardown(&e);
}

/* Rings up to 16 MiB: more is nonsense even when it fits the window. */
static void test_big_ring(void)
{
	const uint32_t mib16 = 16u << 20;
	struct fakeremote fr;
	struct rtlx r;
	uint8_t buf[4];

	if (fr_open(&fr, 2 * mib16 + 0x10000, 0, false)) {
		ok(false, "a 32 MiB fakeremote");
		return;
	}
	fr_publish(&fr, 296, 0x40, 0x100);
	fr_ring(&fr, 0, mib16, 0x10000, 0x10000 + mib16);
	fr_ring(&fr, 1, mib16 + 4, 0x10000, 0x10000 + mib16 - 4);
	rtlx_init(&r, &fr.win, 0, NULL);
	rtlx_started(&r, true, fr_phys(&fr, fr.shared), false);
	ok(rtlx_open_begin(&r, 0) == 0 && rtlx_open_try(&r, 0, true) == 0 &&
	   rtlx_write(&r, 0, "big", 3) == 3 && fr_recv(&fr, 0, buf, 4) == 3,
	   "16 MiB rings: work");
	ok(rtlx_open_begin(&r, 1) == 0 && rtlx_open_try(&r, 1, true) == -EIO &&
	   rtlx_poll(&r, 1) == POLLERR,
	   "16 MiB + 4 rings, inside the window: EIO, POLLERR");
	rtlx_destroy(&r);
	fr_close(&fr);
}

/* The structure changes under open files: checked again every time. */
static void test_changes_after_attach(void)
{
	uint8_t buf[8];
	struct env e;

	if (!setup(&e, 296, true, RING, 0))
		return;
	open_ch(&e, 6, true);
	fr_send(&e.fr, 6, "abc", 3);
	fr_put32(&e.fr, e.fr.info, 0);
	ok(rtlx_read(&e.r, 6, buf, 8) == -EIO && rtlx_write(&e.r, 6, "x", 1) == -EIO &&
	   rtlx_poll(&e.r, 6) == POLLERR, "the id overwritten after the open: EIO, POLLERR");
	fr_put32(&e.fr, e.fr.info, RTLX_ID);
	ok(rtlx_read(&e.r, 6, buf, 8) == 3, "the id back: the data are read");

	fr_set(&e.fr, 6, FR_LX_WRITE, 40);
	fr_set(&e.fr, 6, FR_SIZE, 32);
	ok(rtlx_read(&e.r, 6, buf, 8) == -EIO && rtlx_poll(&e.r, 6) == POLLERR,
	   "buffer_size shrunk under the indices: EIO, POLLERR");
	fr_set(&e.fr, 6, FR_SIZE, RING);
	fr_set(&e.fr, 6, FR_LX_BUFFER, fr_addr(&e.fr, SIZE - 8));
	ok(rtlx_read(&e.r, 6, buf, 8) == -EIO, "lx_buffer moved to the window's edge: EIO");
	fr_set(&e.fr, 6, FR_LX_BUFFER, fr_addr(&e.fr, SIZE - RING));
	fr_set(&e.fr, 6, FR_LX_WRITE, 3);
	fr_set(&e.fr, 6, FR_LX_READ, RING - 2);
	memcpy(e.fr.mem + SIZE - 2, "yz", 2);
	memcpy(e.fr.mem + SIZE - RING, "abc", 3);
	ok(rtlx_read(&e.r, 6, buf, 8) == 5 && !memcmp(buf, "yzabc", 5),
	   "moved to the window's last bytes: a read wrapping there works");
	rtlx_release(&e.r, 6);

	/* vpe_shared is read once: a new value waits for the next start */
	fr_unpublish(&e.fr);
	ok(open_ch(&e, 6, true) == 0, "vpe_shared cleared after attach: the cached structure serves");
	teardown(&e);
}

/* ---- stop, start, crash (§7.13) --------------------------------------- */

static void test_stop_start(void)
{
	uint8_t *snap, buf[16];
	unsigned int gen, gen2;
	struct env e;

	if (!setup(&e, 296, false, RING, 0))
		return;
	ok(rtlx_running(&e.r, &gen) && gen == 1 && e.changed == 1,
	   "started: running, generation 1, hook called once");
	open_ch(&e, 0, true);
	open_ch(&e, 1, true);
	fr_send(&e.fr, 0, "left", 4);

	rtlx_stopped(&e.r);
	ok(!rtlx_running(&e.r, &gen2) && gen2 == gen + 1 && e.changed == 2,
	   "stopped: not running, generation bumped, hook called");
	snap = malloc(SIZE);
	memcpy(snap, e.fr.mem, SIZE);
	ok(rtlx_read(&e.r, 0, buf, sizeof(buf)) == 0, "after a stop: read 0");
	ok(rtlx_write(&e.r, 0, "x", 1) == -EIO, "after a stop: write EIO");
	ok(rtlx_poll(&e.r, 0) == 0, "after a stop: poll 0");
	ok(open_ch(&e, 2, true) == -ENOSYS, "after a stop: O_NONBLOCK open ENOSYS");
	rtlx_release(&e.r, 0);
	ok(!memcmp(snap, e.fr.mem, SIZE),
	   "after a stop the program's memory is not touched (release included)");
	free(snap);

	/* a new program, elsewhere; channel 1 is still held by a file */
	fr_publish(&e.fr, 300, 0x80, 0x2000);
	fr_ring(&e.fr, 1, 32, 0x3000, 0x3100);
	fr_ring(&e.fr, 0, 32, 0x3200, 0x3300);
	start(&e);
	ok(rtlx_running(&e.r, &gen) && gen == gen2 + 1 && e.changed == 3,
	   "a new start: running, generation bumped again");
	ok(open_ch(&e, 0, true) == 0 && e.r.layout == 300 && e.r.info_off == 0x2000,
	   "the new structure (300 bytes, elsewhere) is found");
	ok(fr_field(&e.fr, 1, FR_LX_STATE) == RTLX_STATE_OPENED,
	   "the channel an old file still holds is marked OPENED in it");
	ok(open_ch(&e, 1, true) == -EBUSY, "... and stays busy");
	ok(rtlx_write(&e.r, 1, "new", 3) == 3 && fr_recv(&e.fr, 1, buf, 8) == 3,
	   "the old file writes to the new program");

	rtlx_lost(&e.r, gen - 1);
	ok(rtlx_running(&e.r, &gen2) && gen2 == gen, "rtlx_lost of an older generation: ignored");
	log_reset();
	rtlx_lost(&e.r, gen);
	ok(!rtlx_running(&e.r, &gen2) && gen2 == gen + 1 && e.changed == 4,
	   "rtlx_lost of this one: stopped, generation bumped, hook called");
	ok(logged("the remote program stopped, not through /dev/vpe1"), "... and logged");
	rtlx_lost(&e.r, gen + 1);
	ok(e.changed == 4 && gen2 == gen + 1, "lost while stopped: nothing");
	teardown(&e);
}

/* A program found running (a daemon before us died): its claims are stale. */
static void test_adopted(void)
{
	unsigned int gen;
	struct env e;

	if (!setup(&e, 300, true, RING, 0))
		return;
	fr_set(&e.fr, 2, FR_LX_STATE, RTLX_STATE_OPENED);
	fr_set(&e.fr, 3, FR_LX_STATE, RTLX_STATE_OPENED);
	rtlx_adopted(&e.r, fr_phys(&e.fr, e.fr.shared), true);
	ok(rtlx_running(&e.r, &gen) && e.changed == 2, "adopted: running, hook called");
	ok(open_ch(&e, 2, true) == 0, "adopted: a channel left OPENED by the old daemon opens");
	ok(fr_field(&e.fr, 3, FR_LX_STATE) == 0, "... and every stale claim was released");
	ok(open_ch(&e, 3, true) == 0, "... channel 3 opens too");
	rtlx_release(&e.r, 2);
	fr_set(&e.fr, 2, FR_LX_STATE, RTLX_STATE_OPENED);
	ok(open_ch(&e, 2, true) == -EBUSY,
	   "after the attach, lx_state OPENED is the remote's word again: EBUSY");
	teardown(&e);
}

static void test_combinations(void)
{
	static const int layouts[] = { 296, 300 };
	int i, b;

	for (i = 0; i < 2; i++)
		for (b = 0; b < 2; b++) {
			test_attach(layouts[i], b, 0);
			test_attach(layouts[i], b, layouts[i]);
		}
	test_detect_one(296);
	test_detect_one(300);
	test_wrong_layout(296, 300);
	test_wrong_layout(300, 296);
}

int main(void)
{
	/* rtlx logs to the kernel log in production: never from a test */
	if (!unit_log_file(log_path, sizeof(log_path)) || warn_open(log_path)) {
		ok(false, "a log file for warn_open");
		return done();
	}
	test_combinations();
	test_read_wrap(false);
	test_read_wrap(true);
	test_write_wrap(false);
	test_write_wrap(true);
	test_tiny_ring();
	test_reopen_keeps_data();
	test_open_rules();
	test_release_after_close();
	test_open_waits();
	test_hostile_shared();
	test_hostile_info();
	test_info_at_end();
	test_hostile_channel();
	test_big_ring();
	test_changes_after_attach();
	test_stop_start();
	test_adopted();
	warn_close();
	return done();
}
