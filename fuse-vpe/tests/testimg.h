/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testimg: small synthetic legacy SP images, built with elfgen, whose
 * every byte is known: the base of the malformed-image generator
 * (compat-tests/badimg) and of the fwimage unit tests.
 *
 * The ET_REL object, laid out at 0x80800000 by the legacy rules:
 *   .text    0x80800000  0x40   __start +0, local_func +0x20, fw_report +0x30
 *   .rodata  0x80800040  0x08
 *   .data    0x80800050  0x10   vpe_shared +0
 *   .bss     0x80800060  0x40   counter +0
 *   commons  0x808000a0  0x20   common_buf (SHN_COMMON, align 16)
 * The ET_EXEC: .text at 0x80800000, .data at 0x80801000, .bss after it.
 */
#ifndef TESTIMG_H
#define TESTIMG_H

#include "elfgen.h"

/* ET_REL sections */
enum { TI_SHSTRTAB = 1, TI_TEXT, TI_RELTEXT, TI_RODATA, TI_DATA, TI_RELDATA,
       TI_BSS, TI_SYMTAB, TI_STRTAB };
/* ET_EXEC sections */
enum { TX_SHSTRTAB = 1, TX_TEXT, TX_DATA, TX_BSS, TX_SYMTAB, TX_STRTAB };
/* ET_REL symbols (the ET_EXEC has __start, vpe_shared, fw_report: 1..3) */
enum { TS_TEXT = 1, TS_DATA, TS_LOCAL_FUNC, TS_START, TS_VPE_SHARED,
       TS_FW_REPORT, TS_COUNTER, TS_COMMON, TS_WEAK };
/* entries of .rel.text (.rela.text) */
enum { TR_HI_SHARED, TR_LO_SHARED, TR_JAL_LOCAL, TR_B_REPORT, TR_HI_COUNTER,
       TR_LO_COUNTER };
/* entries of .rel.data */
enum { TD_START, TD_LOCAL_FUNC, TD_COMMON };

#define TI_LOAD_ADDR	0x80800000u

/* Fill eg (not built yet) with the object; rela: SHT_RELA sections. */
void ti_rel(struct elfgen *eg, bool msb, bool rela);
/* Fill eg with the executable. */
void ti_exec(struct elfgen *eg, bool msb);

/*
 * The six synthetic images (object with REL, with RELA, executable; each
 * little- and big-endian), built: number @i (0..TI_SYNTHETICS-1), its
 * name ("synthetic-rel-el" ...) and byte order.  The caller frees it.
 */
#define TI_SYNTHETICS	6
uint8_t *ti_synthetic(unsigned int i, const char **name, bool *msb,
		      size_t *len);

/* Where symbol sym's name is in a built image (to rename it in place). */
size_t ti_name_off(const struct elfgen *eg, unsigned int strtab,
		   unsigned int sym);

#endif
