/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * legacy: facts of the legacy MIPS VPE loader and RTLX that more than one
 * module needs (docs/legacy-abi.md): the unmapped segments programs run
 * from, the shared structure's constants, the log lines scripts grep for,
 * the device names.  Constants only.
 */
#ifndef VPE_LEGACY_H
#define VPE_LEGACY_H

#include <stdbool.h>
#include <stdint.h>

/* MIPS32 kernel segments: [base, base + 512 MiB) show physical [0, 512 MiB). */
#define LEGACY_KSEG0		0x80000000u	/* cached */
#define LEGACY_KSEG1		0xa0000000u	/* uncached */
#define LEGACY_KSEG2		0xc0000000u	/* mapped again */
#define LEGACY_KSEG_SIZE	0x20000000u
#define LEGACY_PHYS_MASK	0x1fffffffu

static inline bool legacy_unmapped(uint32_t addr)
{
	return addr >= LEGACY_KSEG0 && addr < LEGACY_KSEG2;
}

/* RTLX (docs/legacy-abi.md §7.2, §7.3) */
#define RTLX_CHANNELS		8
#define RTLX_ID			0x12345602u
#define RTLX_STATE_OPENED	3

/* The device names, under /dev and in the mount. */
#define LEGACY_VPE_NAME		"vpe1"
#define LEGACY_RTLX_NAME	"rtlx"		/* + the channel number */
#define LEGACY_KILL_PATH	"/sys/class/vpe/vpe1/kill"

/* The loader's log lines (docs/legacy-abi.md §10), exactly. */
#define LEGACY_MSG_NOT_ELF	"VPE loader: only elf files are supported"
#define LEGACY_MSG_BAD_ARCH	"VPE loader: program wrong arch or weird elf version"
#define LEGACY_MSG_TRUNC	"VPE loader: program length %u truncated"
#define LEGACY_MSG_TRUNC_REL	"VPE program length %u truncated"
#define LEGACY_MSG_TOO_BIG	"VPE loader: elf size too big. Perhaps strip unneeded symbols"
#define LEGACY_MSG_LOAD_FAILED	"VPE loader: ELF load failed."

#endif
