/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ring: the RTLX rings of a running firmware, reached directly through the
 * remote's memory (the simulator's RAM file: physical address X = offset X),
 * the way an in-kernel driver reaches them. The bench baseline.
 *
 * Protocol as the legacy kernel's rtlx.c (docs/legacy-abi.md 7.8-7.11):
 * Linux owns rt_write (Linux -> remote) and lx_read (remote -> Linux);
 * fence before sampling the peer's index, copy, fence, one store of our
 * index. Every address read from the image or the remote's memory is
 * bounds-checked against the mapping before use.
 */
#ifndef BENCH_RING_H
#define BENCH_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RING_CHANNELS 8

struct win {
	uint8_t *base;
	size_t size;
	bool big_endian;	/* the firmware's byte order */
};

/* one direction of one channel, checked at attach time */
struct ring {
	uint32_t size;
	uint8_t *buf;
	uint8_t *prod;		/* the producer's index field */
	uint8_t *cons;		/* the consumer's index field */
};

struct chan {
	struct ring tx;		/* Linux -> remote */
	struct ring rx;		/* remote -> Linux */
};

/*
 * Map the RAM file read-write and find the channels of the program whose
 * image is @elf (an ET_EXEC: vpe_shared and the byte order come from it).
 * NULL on success, else a message.
 */
const char *ring_attach(const char *ram, const char *elf, struct win *w,
			struct chan ch[RING_CHANNELS]);

/* Up to @len bytes in / out; bytes moved, or -1 for an index out of range. */
long ring_put(const struct win *w, const struct ring *r, const void *src,
	      size_t len);
long ring_take(const struct win *w, const struct ring *r, void *dst,
	       size_t len);

#endif
