/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A 4 KiB aligned exception-vector section, as the real fixtures have. */
	.section .text.vectors, "ax", @progbits
	.balign 4096
	.globl	vectors
	.set	noreorder
vectors:
	b	__start			/* R_MIPS_PC16 to another section */
	nop
	j	fw_report		/* R_MIPS_26 */
	nop
	.org	0x180
	lui	$k0, %hi(fw_report_count)	/* the general exception vector */
	lw	$k1, %lo(fw_report_count)($k0)
	eret
	nop
