/*
 * Start-up of a legacy VPE-loader program.
 *
 * The legacy loader jumps to the symbol __start (never e_entry) with
 * Status = Cause = 0, $a2 = ntcs, $a3 = memsize (or 0) and nothing else set
 * up: no stack, no $gp, EBase still whatever it was.  QEMU's Malta boot stub
 * instead arrives with BEV set (the reset state).  __start therefore
 * establishes the whole CPU state itself, and keeps the Status it found:
 * BEV tells a program started alone from one started beside Linux.
 *
 * Several instructions here are written so that the relocatable (ld -r)
 * build carries every relocation type the legacy loader implements, and
 * the code checks at run time that a loader applied them correctly:
 *   R_MIPS_HI16 x2 + R_MIPS_LO16   two %hi(fw_report), then one %lo
 *   R_MIPS_GPREL16                 %gp_rel(fw_gp_probe)($gp), global symbol
 *   R_MIPS_PC16                    bal fw_zero_bss (global, in lib.S)
 *   R_MIPS_26                      jal main
 *   R_MIPS_32                      fw_vector_base_ptr: .word fw_vector_page
 * A wrong relocation ends in `break`, i.e. a CRASHED report with
 * ExcCode 9 (Bp) and EPC inside __start.
 */
#include "fw.h"

	.set	noreorder

	.section .text.start, "ax", @progbits
	.globl	__start
	.type	__start, @function
	.ent	__start
__start:
	move	$s0, $a2			/* keep the loader's arguments */
	move	$s1, $a3
	mfc0	$s2, CP0_STATUS			/* BEV: started alone, out of reset */

	/* kernel mode, ERL/EXL clear, interrupts off; BEV set while EBase changes */
	li	$t0, ST0_BEV
	mtc0	$t0, CP0_STATUS
	ehb
	mtc0	$zero, CP0_CAUSE		/* IV = 0: interrupts use the +0x180 vector */

	lui	$t0, %hi(fw_vector_base_ptr)
	lw	$t0, %lo(fw_vector_base_ptr)($t0)
	mtc0	$t0, CP0_EBASE
	ehb

	/* BEV clear; timer and SW0 unmasked but IE stays off (see lib.S) */
	li	$t0, ST0_IM7 | ST0_IM0
	mtc0	$t0, CP0_STATUS
	ehb

	lui	$sp, %hi(fw_stack + FW_STACK_SIZE)
	addiu	$sp, $sp, %lo(fw_stack + FW_STACK_SIZE)
	lui	$gp, %hi(_gp)
	addiu	$gp, $gp, %lo(_gp)

	lui	$a0, %hi(fw_bss_start)
	addiu	$a0, $a0, %lo(fw_bss_start)
	lui	$a1, %hi(fw_bss_end)
	bal	fw_zero_bss		/* R_MIPS_PC16 against a global symbol */
	 addiu	$a1, $a1, %lo(fw_bss_end)

	/*
	 * Two HI16 of the same symbol share one LO16 (the legacy loader
	 * queues HI16s until the LO16 arrives).  Both must have received the
	 * same high half: $t0 - $t1 must be a sign-extended 16-bit value.
	 */
	lui	$t0, %hi(fw_report)
	lui	$t1, %hi(fw_report)
	addiu	$t0, $t0, %lo(fw_report)
	subu	$t3, $t0, $t1
	sra	$t3, $t3, 15		/* 0 or -1 when within +-32 KiB */
	addiu	$t3, $t3, 1
	sltiu	$t3, $t3, 2
	beqz	$t3, fw_reloc_bad
	 nop
	sw	$s0, FW_REP_ENTRY_A2($t0)
	sw	$s1, FW_REP_ENTRY_A3($t0)
	sw	$s2, FW_REP_ENTRY_STATUS($t0)

	/* gp-relative access to a global small variable */
	lw	$t3, %gp_rel(fw_gp_probe)($gp)
	li	$t4, FW_GP_MAGIC
	bne	$t3, $t4, fw_reloc_bad
	 nop

	jal	main
	 nop
fw_reloc_bad:
	break	0x1d
	b	fw_reloc_bad
	 nop
	.end	__start
	.size	__start, . - __start

/*
 * e_entry points here.  A loader that honours e_entry (unlike the legacy
 * one) lands in this stub, which says so in the report and stops the
 * program (fw_stop), so the mistake is visible rather than silent.
 */
	.text
	.globl	_legacy_elf_entry
	.type	_legacy_elf_entry, @function
	.ent	_legacy_elf_entry
_legacy_elf_entry:
	lui	$t0, %hi(fw_report)
	addiu	$t0, $t0, %lo(fw_report)
	li	$t1, FW_STATE_BAD_ENTRY
	sw	$t1, FW_REP_STATE($t0)
	mfc0	$t1, CP0_STATUS		/* as the loader left it */
	sw	$t1, FW_REP_ENTRY_STATUS($t0)
	sync
	j	fw_stop
	 nop
	.end	_legacy_elf_entry
	.size	_legacy_elf_entry, . - _legacy_elf_entry

/*
 * Small data.  _gp is defined here (not by a linker script) so that the
 * legacy loader's "_gp" symbol rule and the ET_EXEC link agree on it.
 */
	.section .sdata, "aw", @progbits
	.balign	4
	.globl	_gp
_gp:
	.globl	fw_gp_probe
	.type	fw_gp_probe, @object
fw_gp_probe:
	.word	FW_GP_MAGIC
	.size	fw_gp_probe, 4

	.data
	.balign	4
	.globl	fw_vector_base_ptr
	.type	fw_vector_base_ptr, @object
fw_vector_base_ptr:
	.word	fw_vector_page		/* R_MIPS_32 */
	.size	fw_vector_base_ptr, 4

/* start of .bss: this object is linked first (end.S marks the end) */
	.bss
	.balign	8
	.globl	fw_bss_start
fw_bss_start:
	.globl	fw_stack
	.type	fw_stack, @object
fw_stack:
	.space	FW_STACK_SIZE
	.size	fw_stack, FW_STACK_SIZE

	.section .note.GNU-stack, "", @progbits
