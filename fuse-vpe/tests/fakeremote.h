/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fakeremote: a remote processor's memory for the unit tests, and the
 * remote's side of the RTLX rings (docs/legacy-abi.md §7.3, §7.8, §7.9).
 *
 * The memory is a memfd. The daemon's side opens it as fuse-vpe does, with
 * window_open("file:/proc/self/fd/N@PHYS"), then the mapping is moved
 * between two inaccessible pages, so that a read or write one byte before
 * or after the window faults at once, with or without ASan. The remote's
 * side is a second mapping of the same memory, written here byte by byte
 * in the firmware's order without window.c: what a test checks does not
 * go through the code under test.
 */
#ifndef FAKEREMOTE_H
#define FAKEREMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "window.h"

/* struct rtlx_channel's fields (docs/legacy-abi.md §7.3) */
enum fr_field {
	FR_RT_STATE = 0,
	FR_LX_STATE = 4,
	FR_SIZE = 8,
	FR_RT_WRITE = 12,
	FR_RT_READ = 16,
	FR_RT_BUFFER = 20,
	FR_LX_WRITE = 24,
	FR_LX_READ = 28,
	FR_LX_BUFFER = 32,
};

#define FR_CHANNEL_SIZE	36
#define FR_STATE_REMOTE_READY	2

struct fakeremote {
	struct window win;	/* the daemon's view, through window.c */
	uint8_t *mem;		/* the remote's view of the same bytes */
	size_t size;
	uint32_t phys;		/* physical address of the first byte */
	bool big;		/* the firmware's byte order */
	int layout;		/* of the published structure: 296 or 300 */
	size_t shared;		/* offset of vpe_shared */
	size_t info;		/* offset of struct rtlx_info */
	int memfd;
	uint8_t *guard;		/* the reservation around win.base */
	size_t guard_len;
};

/*
 * @size bytes (a multiple of the page size, so that the guard page starts
 * right at the end) at physical @phys, zeroed. 0 or -errno.
 */
int fr_open(struct fakeremote *fr, size_t size, uint32_t phys, bool big);
void fr_close(struct fakeremote *fr);

/* The remote's KSEG0 address of offset @off, and its physical one. */
uint32_t fr_addr(const struct fakeremote *fr, size_t off);
uint32_t fr_phys(const struct fakeremote *fr, size_t off);

/* A 32-bit word at @off in the firmware's byte order (aborts outside). */
uint32_t fr_get32(const struct fakeremote *fr, size_t off);
void fr_put32(struct fakeremote *fr, size_t off, uint32_t val);

/*
 * Write an rtlx_info of @layout at @info (id, state, every channel
 * UNUSED with no ring) and publish it: vpe_shared at @shared = its
 * address. fr_unpublish() zeroes vpe_shared again.
 */
void fr_publish(struct fakeremote *fr, int layout, size_t shared,
		size_t info);
void fr_unpublish(struct fakeremote *fr);

/* Offset of channel @ch's struct rtlx_channel; its fields. */
size_t fr_chan(const struct fakeremote *fr, int ch);
uint32_t fr_field(const struct fakeremote *fr, int ch, enum fr_field f);
void fr_set(struct fakeremote *fr, int ch, enum fr_field f, uint32_t val);

/* Give channel @ch rings of @size bytes at offsets @rt and @lx, empty. */
void fr_ring(struct fakeremote *fr, int ch, uint32_t size, size_t rt,
	     size_t lx);

/*
 * The usual picture: vpe_shared at 0x40, rtlx_info at 0x100, every
 * channel with two @ring byte rings from 0x400 on (needs 0x400 + 16 *
 * @ring bytes).
 */
void fr_standard(struct fakeremote *fr, int layout, uint32_t ring);

/*
 * The remote's side of channel @ch, as legacy firmware does it:
 * fr_send puts up to @n bytes into the remote -> Linux ring (what fits,
 * one slot kept empty) and moves lx_write; fr_recv takes up to @n bytes
 * Linux wrote and moves rt_read. Both return the count.
 */
size_t fr_send(struct fakeremote *fr, int ch, const void *buf, size_t n);
size_t fr_recv(struct fakeremote *fr, int ch, void *buf, size_t n);
/* Bytes waiting in the ring Linux writes (rt) and the one it reads (lx). */
uint32_t fr_rt_used(const struct fakeremote *fr, int ch);
uint32_t fr_lx_used(const struct fakeremote *fr, int ch);

#endif
