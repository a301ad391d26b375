// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-rtlx: libFuzzer target for the channel engine (rtlx.c, window.c)
 * against hostile remote memory. The input (fuzz-rtlx.h) is the window's
 * contents plus a sequence of operations: opens, reads, writes, polls,
 * releases, stops, starts, crashes and the remote storing words.
 *
 * The window is a heap buffer of exactly the input's size, so ASan sees
 * any access outside it. Beyond not crashing, every operation is held to
 * its contract by an oracle of its own (no window.c, no rtlx.c):
 *  - results are among those rtlx.h documents, counts are exact;
 *  - a read returns the bytes of the ring as they were, in ring order;
 *    a write leaves its bytes in the ring;
 *  - Linux stores only what it owns (docs/legacy-abi.md §7.3): lx_state,
 *    lx_read after a read, rt_write and the ring's bytes after a write;
 *    nothing at all while no structure is attached.
 * A breach aborts, which libFuzzer reports as a crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-rtlx.h"
#include "rtlx.h"

#define CH_SIZE		36
#define MAX_IO		65536

enum { F_LX_STATE = 4, F_SIZE = 8, F_RT_WRITE = 12, F_RT_READ = 16,
       F_RT_BUFFER = 20, F_LX_WRITE = 24, F_LX_READ = 28, F_LX_BUFFER = 32 };

struct fuzz {
	struct window win;
	struct rtlx r;
	bool big;
	bool has_shared;
	uint32_t shared_phys;
	uint8_t *snap;			/* the window before the operation */
	bool opening[RTLX_CHANNELS];	/* a blocking open waits */
	bool open[RTLX_CHANNELS];	/* a file holds the channel */
};

static uint8_t io[MAX_IO], pattern[MAX_IO];

static void breach(const char *what, int op, int ch, long val)
{
	fprintf(stderr, "fuzz-rtlx: %s (op %d, channel %d, %ld)\n", what, op,
		ch, val);
	abort();
}

/* The oracle's own view of the remote's memory. */
static uint32_t get32(const struct fuzz *f, const uint8_t *mem, size_t off)
{
	const uint8_t *p = mem + off;

	if (f->big)
		return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | p[2] << 16 | p[1] << 8 | p[0];
}

/* A ring's window offset, by the oracle's own translation; false if bad. */
static bool ring_off(const struct fuzz *f, uint32_t addr, uint32_t size,
		     size_t *off)
{
	uint64_t pa = addr & 0x1fffffffu;

	if (addr < 0x80000000u || addr >= 0xc0000000u ||
	    pa + size > 0x20000000u || pa < f->win.phys_base)
		return false;
	pa -= f->win.phys_base;
	if (pa > f->win.size || size > f->win.size - pa)
		return false;
	*off = pa;
	return true;
}

/* Channel @ch as the snapshot shows it, if rtlx is attached. */
struct chview {
	size_t chan;
	uint32_t size, wr, rd;
	size_t data;
	bool ok;
};

static void view(const struct fuzz *f, int ch, bool lx, struct chview *v)
{
	memset(v, 0, sizeof(*v));
	if (!f->r.attached)
		return;
	v->chan = f->r.info_off + (f->r.layout == 300 ? 12 : 8) + CH_SIZE * ch;
	v->size = get32(f, f->snap, v->chan + F_SIZE);
	v->wr = get32(f, f->snap, v->chan + (lx ? F_LX_WRITE : F_RT_WRITE));
	v->rd = get32(f, f->snap, v->chan + (lx ? F_LX_READ : F_RT_READ));
	v->ok = v->size >= 2 && v->size <= (16u << 20) && v->wr < v->size &&
		v->rd < v->size &&
		ring_off(f, get32(f, f->snap,
				  v->chan + (lx ? F_LX_BUFFER : F_RT_BUFFER)),
			 v->size, &v->data);
}

/* Is window byte @off one Linux may store to in this operation? */
static bool may_store(const struct fuzz *f, size_t off, int op,
		      const struct chview *v)
{
	size_t info = f->r.info_off + (f->r.layout == 300 ? 12 : 8);
	int i;

	if (!f->r.attached)
		return false;
	for (i = 0; i < RTLX_CHANNELS; i++)
		if (off - (info + CH_SIZE * i + F_LX_STATE) < 4)
			return true;
	if (op == FZ_READ && v->ok)
		return off - (v->chan + F_LX_READ) < 4;
	if (op == FZ_WRITE && v->ok)
		return off - (v->chan + F_RT_WRITE) < 4 ||
		       off - v->data < v->size;
	return false;
}

static void check_stores(const struct fuzz *f, int op, int ch,
			 const struct chview *v)
{
	size_t off, info = f->r.info_off + (f->r.layout == 300 ? 12 : 8);
	uint32_t state;
	int i;

	if (!memcmp(f->win.base, f->snap, f->win.size))
		return;
	for (off = 0; off < f->win.size; off++)
		if (f->win.base[off] != f->snap[off] &&
		    !may_store(f, off, op, v))
			breach("stored where Linux owns nothing", op, ch, (long)off);
	/* lx_state: UNUSED or OPENED (§7.3), unless a write's ring covers it */
	for (i = 0; i < RTLX_CHANNELS; i++) {
		off = info + CH_SIZE * i + F_LX_STATE;
		if (op == FZ_WRITE && v->ok && off + 4 > v->data &&
		    off < v->data + v->size)
			continue;
		if (memcmp(f->win.base + off, f->snap + off, 4)) {
			state = get32(f, f->win.base, off);
			if (state && state != RTLX_STATE_OPENED)
				breach("lx_state", op, i, state);
		}
	}
}

static void check_read(const struct fuzz *f, int ch, size_t count, ssize_t n)
{
	struct chview v;
	uint32_t avail;
	ssize_t i;

	if (n != -EAGAIN && n != -EIO && (n < 0 || (size_t)n > count))
		breach("read result", FZ_READ, ch, n);
	if (n <= 0)
		return;
	view(f, ch, true, &v);
	if (!v.ok)
		breach("read from a broken channel", FZ_READ, ch, n);
	avail = (v.wr + v.size - v.rd) % v.size;
	if ((size_t)n != (count < avail ? count : avail))
		breach("read count", FZ_READ, ch, n);
	for (i = 0; i < n; i++)
		if (io[i] != f->snap[v.data + (v.rd + i) % v.size])
			breach("read bytes not the ring's", FZ_READ, ch, i);
}

static void check_write(const struct fuzz *f, int ch, size_t count,
			ssize_t n, const uint8_t *data)
{
	struct chview v;
	uint32_t space;
	size_t pos;
	ssize_t i;

	if (n != -EAGAIN && n != -EIO && (n < 0 || (size_t)n > count))
		breach("write result", FZ_WRITE, ch, n);
	if (n == 0 && count)
		breach("a write of nothing", FZ_WRITE, ch, n);
	if (n <= 0)
		return;
	view(f, ch, false, &v);
	if (!v.ok)
		breach("wrote to a broken channel", FZ_WRITE, ch, n);
	space = v.size - 1 - (v.wr + v.size - v.rd) % v.size;
	if ((size_t)n != (count < space ? count : space))
		breach("write count", FZ_WRITE, ch, n);
	for (i = 0; i < n; i++) {
		pos = v.data + (v.wr + i) % v.size;
		/* rt_write is stored after the bytes: it wins where they meet */
		if (pos - (v.chan + F_RT_WRITE) >= 4 && f->win.base[pos] != data[i])
			breach("written bytes not in the ring", FZ_WRITE, ch, i);
	}
	if (get32(f, f->win.base, v.chan + F_RT_WRITE) != (v.wr + n) % v.size)
		breach("rt_write", FZ_WRITE, ch, n);
}

static void check_poll(unsigned int mask, int ch)
{
	const unsigned int all = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;

	if (mask & ~(all | POLLERR) || (mask & POLLERR && mask != POLLERR) ||
	    !(mask & POLLIN) != !(mask & POLLRDNORM) ||
	    !(mask & POLLOUT) != !(mask & POLLWRNORM))
		breach("poll mask", FZ_POLL, ch, mask);
}

static void do_open(struct fuzz *f, int ch, bool nonblock, bool retry)
{
	int err;

	if (retry && !f->opening[ch])
		return;
	if (!retry && (f->opening[ch] || f->open[ch])) {
		/* a second open while one waits or holds it */
		err = rtlx_open_begin(&f->r, ch);
		if (f->opening[ch] ? err != -EBUSY : err && err != -EBUSY)
			breach("open_begin", FZ_OPEN, ch, err);
		if (err)
			return;
		err = rtlx_open_try(&f->r, ch, true);
		if (err != -EBUSY && err != -EIO && err != -ENOSYS &&
		    err != -ENOEXEC)
			breach("a second open", FZ_OPEN, ch, err);
		return;
	}
	if (!retry && rtlx_open_begin(&f->r, ch))
		breach("open_begin of a free channel", FZ_OPEN, ch, 0);
	err = rtlx_open_try(&f->r, ch, nonblock && !retry);
	if (err && err != -EAGAIN && err != -ENOSYS && err != -ENOEXEC &&
	    err != -EIO && err != -EBUSY)
		breach("open result", FZ_OPEN, ch, err);
	if (err == -EAGAIN && nonblock && !retry)
		breach("a non-blocking open waits", FZ_OPEN, ch, err);
	f->opening[ch] = err == -EAGAIN;
	f->open[ch] = !err;
}

static void do_start(struct fuzz *f, bool adopted)
{
	if (adopted)
		rtlx_adopted(&f->r, f->shared_phys, f->big);
	else
		rtlx_started(&f->r, f->has_shared, f->shared_phys, f->big);
}

static void do_lost(struct fuzz *f, bool older)
{
	unsigned int gen;

	rtlx_running(&f->r, &gen);
	rtlx_lost(&f->r, older ? gen - 1 : gen);
}

static void do_poke(struct fuzz *f, unsigned int word, uint8_t which)
{
	size_t off = (size_t)word * 4;

	if (off + 4 <= f->win.size)
		window_store32(&f->win, off, fz_poke_values[which % 8]);
}

static void one_op(struct fuzz *f, const uint8_t *p)
{
	int op = (p[0] & 0x0f) % FZ_NOPS, ch = (p[0] >> 4) & 7;
	bool nonblock = p[0] & 0x80;
	size_t count = (size_t)(p[2] | p[3] << 8);
	struct chview v;
	ssize_t n;

	memcpy(f->snap, f->win.base, f->win.size);
	switch (op) {
	case FZ_OPEN:
	case FZ_OPEN_RETRY:
		do_open(f, ch, nonblock, op == FZ_OPEN_RETRY);
		break;
	case FZ_OPEN_CANCEL:
		if (f->opening[ch])
			rtlx_open_cancel(&f->r, ch);
		f->opening[ch] = false;
		break;
	case FZ_READ:
		n = rtlx_read(&f->r, ch, io, count);
		check_read(f, ch, count, n);
		break;
	case FZ_WRITE:
		n = rtlx_write(&f->r, ch, pattern, count);
		check_write(f, ch, count, n, pattern);
		break;
	case FZ_POLL:
		check_poll(rtlx_poll(&f->r, ch), ch);
		break;
	case FZ_RELEASE:
		if (f->open[ch])
			rtlx_release(&f->r, ch);
		f->open[ch] = false;
		break;
	case FZ_STOP:
		rtlx_stopped(&f->r);
		break;
	case FZ_START:
		do_start(f, p[1] & 1);
		break;
	case FZ_LOST:
		do_lost(f, p[1] & 1);
		break;
	case FZ_POKE:
		do_poke(f, count, p[1]);
		return;		/* the remote may store anything */
	}
	view(f, ch, op == FZ_READ, &v);
	check_stores(f, op, ch, &v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz f;
	unsigned int nops, i;
	int layouts[4] = { 0, 296, 300, 0 };
	int16_t shared;

	if (!pattern[1])
		for (i = 0; i < MAX_IO; i++)	/* no two neighbours alike */
			pattern[i] = (uint8_t)(i * 7 + 1 + (i >> 8));
	if (size < FZ_HEADER)
		return 0;
	nops = data[3] % (FZ_MAX_OPS + 1);
	if (size < FZ_HEADER + FZ_OP_SIZE * nops + 4)
		return 0;
	memset(&f, 0, sizeof(f));
	f.win.fd = -1;
	f.win.size = size - FZ_HEADER - FZ_OP_SIZE * nops;
	/* exactly the window: ASan sees a byte outside it */
	f.win.base = malloc(f.win.size);
	f.snap = malloc(f.win.size);
	memcpy(f.win.base, data + FZ_HEADER + FZ_OP_SIZE * nops, f.win.size);
	f.win.phys_base = fz_bases[(data[0] >> 4) & 3];
	f.big = data[0] & FZ_BIG;
	f.has_shared = !(data[0] & FZ_NO_SHARED);
	shared = (int16_t)(data[1] | data[2] << 8);
	f.shared_phys = (uint32_t)(f.win.phys_base + shared);

	rtlx_init(&f.r, &f.win, layouts[(data[0] >> 1) & 3], NULL);
	do_start(&f, false);
	for (i = 0; i < nops; i++)
		one_op(&f, data + FZ_HEADER + FZ_OP_SIZE * i);
	rtlx_destroy(&f.r);
	free(f.win.base);
	free(f.snap);
	return 0;
}
