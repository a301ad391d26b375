/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rproc-elf: what the kernel's remoteproc ELF loader checks, written
 * independently of fwimage from the kernel's drivers/remoteproc/
 * remoteproc_elf_loader.c (rproc_elf_sanity_check(), rproc_elf_load_segments(),
 * rproc_elf_load_rsc_table()), so the tests
 * can tell whether a converted image would boot. Also reads an ELF's
 * loaded bytes by virtual address, to compare two images' memory.
 */
#ifndef RPROC_ELF_H
#define RPROC_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rproc_elf_report {
	uint32_t entry;
	bool entry_in_carveout;		/* as a KSEG0/KSEG1 address */
	uint32_t rsc_addr, rsc_size;
	uint32_t carveout_da, carveout_pa, carveout_len;
	char carveout_name[33];
	unsigned int nload;		/* PT_LOADs with p_memsz != 0 */
};

/*
 * Run the checks (and, on top, that pa = da). order: 0 for the image's
 * own byte order, else 1 (LSB) or 2 (MSB) for the kernel's. Returns 0, or
 * -1 with the kernel's complaint (or ours) in why.
 */
int rproc_elf_check(const uint8_t *fw, size_t size, int order,
		    struct rproc_elf_report *rep, char *why, size_t whylen);

/*
 * Copy len bytes of what the PT_LOAD segments put at virtual address
 * vaddr (p_vaddr; use_paddr: p_paddr) into out. -1 if any byte is not
 * loaded by a segment.
 */
int rproc_elf_peek(const uint8_t *fw, size_t size, uint32_t vaddr,
		   uint32_t len, bool use_paddr, uint8_t *out);

#endif
