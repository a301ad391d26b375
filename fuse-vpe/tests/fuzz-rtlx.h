/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-rtlx: the input format of the channel engine's fuzz target, shared
 * with the seed generator (fuzz-seeds.c).
 *
 * An input is a header, a list of operations, then the window: the remote's
 * memory as the fuzzer wrote it.
 *
 *   [0]          config: bit 0 big-endian firmware; bits 1-2 the layout
 *                option (0 detect, 1: 296, 2: 300, 3: detect); bit 3 the
 *                program has no vpe_shared; bits 4-5 the window's physical
 *                base (fz_bases[])
 *   [1..2]       vpe_shared's offset from that base, signed, little-endian
 *   [3]          n, the number of operations (at most FZ_MAX_OPS)
 *   [4..4+4n)    the operations, 4 bytes each:
 *                  op: bits 0-3 what (enum fz_op), 4-6 the channel,
 *                      7 O_NONBLOCK
 *                  arg8, arg16 (little-endian): see enum fz_op
 *   the rest     the window, at least 4 bytes
 */
#ifndef FUZZ_RTLX_H
#define FUZZ_RTLX_H

#include <stdint.h>

#define FZ_HEADER	4
#define FZ_OP_SIZE	4
#define FZ_MAX_OPS	32

#define FZ_BIG		0x01
#define FZ_LAYOUT(l)	((l) == 296 ? 0x02 : (l) == 300 ? 0x04 : 0)
#define FZ_NO_SHARED	0x08
#define FZ_BASE(i)	((i) << 4)
#define FZ_NONBLOCK	0x80

static const uint32_t fz_bases[4] = {
	0x00000000, 0x00800000,
	0x1fff0000,	/* the top of what KSEG0 reaches */
	0x20000000,	/* beyond it: only physical addresses work */
};

enum fz_op {
	FZ_OPEN,	/* begin and try */
	FZ_OPEN_RETRY,	/* try a waiting open again */
	FZ_OPEN_CANCEL,	/* a waiting open gets a signal */
	FZ_READ,	/* arg16 bytes */
	FZ_WRITE,	/* arg16 bytes */
	FZ_POLL,
	FZ_RELEASE,	/* an open file closes */
	FZ_STOP,
	FZ_START,	/* the same program again; arg8 bit 0: adopted */
	FZ_LOST,	/* arg8 bit 0: an older generation */
	FZ_POKE,	/* the remote stores fz_poke_values[arg8 % 8] at word arg16 */
	FZ_NOPS,
};

static const uint32_t fz_poke_values[8] = {
	0, 1, 2, 3, 0xffffffffu, 0x12345602u, 0x80000000u, 0x00010000u,
};

#endif
