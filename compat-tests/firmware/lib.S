/*
 * Exception vectors, idle wait and small helpers.
 */
#include "fw.h"

	.set	noreorder

/*
 * The vector page.  EBase points here (4 KiB aligned, KSEG0).  Offsets:
 * +0x000 TLB refill (e.g. a NULL dereference through KUSEG), +0x100 cache
 * error, +0x180 general exception, +0x200 interrupt when Cause.IV is set.
 * Only +0x180 is expected; the others are crashes too.
 */
	.section .vectors, "ax", @progbits
	.balign	4096
	.globl	fw_vector_page
fw_vector_page:
	j	fw_crash
	 nop

	.org	0x100
	j	fw_crash
	 nop

	.org	0x180
	.globl	fw_general_exception
fw_general_exception:
	mfc0	$k0, CP0_CAUSE
	andi	$k0, $k0, CAUSE_EXCCODE
	bnez	$k0, fw_crash		/* anything but an interrupt is fatal */
	 nop

	/*
	 * Interrupt.  Ack the timer by rewriting Compare with its own value
	 * (lib.S's idle code re-arms it) and clear the software doorbells.
	 */
	mfc0	$k0, CP0_COMPARE
	mtc0	$k0, CP0_COMPARE
	mfc0	$k0, CP0_CAUSE
	li	$k1, ~CAUSE_IP_SW
	and	$k0, $k0, $k1
	mtc0	$k0, CP0_CAUSE

	/*
	 * Interrupted between `ei` and `wait` (fw_idle_wait)?  Then resume
	 * after the `wait`: returning to it would sleep until the next
	 * interrupt, and with Compare just acked that is a Count wrap away.
	 */
	mfc0	$k0, CP0_EPC
	lui	$k1, %hi(fw_wait_insn)
	addiu	$k1, $k1, %lo(fw_wait_insn)
	subu	$k0, $k1, $k0
	sltiu	$k0, $k0, 5		/* EPC == wait or wait - 4 */
	beqz	$k0, 1f
	 addiu	$k1, $k1, 4
	mtc0	$k1, CP0_EPC
1:	ehb
	eret
	nop

	.org	0x200
	j	fw_crash
	 nop

/*
 * Fatal exception: record it in the report and stop (fw_stop).  Uses only
 * k0/k1.
 */
	.text
	.globl	fw_crash
	.type	fw_crash, @function
	.ent	fw_crash
fw_crash:
	lui	$k0, %hi(fw_report)
	addiu	$k0, $k0, %lo(fw_report)
	mfc0	$k1, CP0_CAUSE
	sw	$k1, FW_REP_EXC_CAUSE($k0)
	mfc0	$k1, CP0_EPC
	sw	$k1, FW_REP_EXC_EPC($k0)
	mfc0	$k1, CP0_BADVADDR
	sw	$k1, FW_REP_EXC_BADVADDR($k0)
	li	$k1, FW_STATE_CRASHED
	sync				/* the exc_* fields before the state */
	sw	$k1, FW_REP_STATE($k0)
	sync
	.end	fw_crash
	.size	fw_crash, . - fw_crash
	/* falls through */

/*
 * Stop for good.  Started alone, out of reset (Status.BEV set at __start;
 * fw_report.entry_status has it): reset the Malta board, which QEMU run
 * with -no-reboot turns into an exit, how the simulator notices.  Started
 * by a VPE loader beside Linux (which clears Status, BEV included): the
 * board is Linux's too, so halt this TC instead, the end a remoteproc
 * driver can see.  Stay here if neither happens.  Uses only k0/k1.
 */
	.globl	fw_stop
	.type	fw_stop, @function
	.ent	fw_stop
fw_stop:
	lui	$k0, %hi(fw_report)
	addiu	$k0, $k0, %lo(fw_report)
	lw	$k1, FW_REP_ENTRY_STATUS($k0)
	lui	$k0, %hi(ST0_BEV)
	and	$k1, $k1, $k0
	beqz	$k1, 2f
	 nop
	li	$k0, MALTA_SOFTRES
	li	$k1, MALTA_SOFTRES_RESET
	sw	$k1, 0($k0)
	sync
	b	1f
	 nop
2:	li	$k1, 1			/* TCHalt.H: this TC stops after this */
	mtc0	$k1, CP0_TCHALT
	ehb
1:	b	1b
	 nop
	.end	fw_stop
	.size	fw_stop, . - fw_stop

/*
 * void fw_idle_wait(uint32_t counts)
 *
 * Sleep until the CP0 timer fires `counts` ticks from now (or any other
 * unmasked interrupt).  Called and returning with Status.IE clear.
 *  - `wait` with IE clear never wakes on 24Kf/34Kf, so IE is set around it.
 *  - Compare is written, then Count re-read: if Count already ran past the
 *    new Compare (we were slow), waiting would take a full Count wrap
 *    (~27 s at 160 MHz), so return at once.
 *  - The ei..wait race is closed by the exception handler (see above).
 */
	.globl	fw_idle_wait
	.type	fw_idle_wait, @function
	.ent	fw_idle_wait
fw_idle_wait:
	mfc0	$t0, CP0_COUNT
	addu	$t1, $t0, $a0
	mtc0	$t1, CP0_COMPARE		/* also clears a stale timer interrupt */
	ehb
	mfc0	$t2, CP0_COUNT
	subu	$t2, $t2, $t0		/* ticks elapsed since t0 */
	sltu	$t2, $t2, $a0
	beqz	$t2, 2f			/* Compare already behind Count */
	 nop
	ei
	ehb
	.globl	fw_wait_insn
fw_wait_insn:
	wait
	di
	ehb
2:	jr	$ra
	 nop
	.end	fw_idle_wait
	.size	fw_idle_wait, . - fw_idle_wait

/*
 * void fw_zero_bss(uint32_t *start, uint32_t *end)
 * Leaf, no stack: runs before the stack (which lives in .bss) is usable.
 */
	.globl	fw_zero_bss
	.type	fw_zero_bss, @function
	.ent	fw_zero_bss
fw_zero_bss:
	sltu	$t0, $a0, $a1
	beqz	$t0, 2f
	 nop
1:	sw	$zero, 0($a0)
	addiu	$a0, $a0, 4
	sltu	$t0, $a0, $a1
	bnez	$t0, 1b
	 nop
2:	jr	$ra
	 nop
	.end	fw_zero_bss
	.size	fw_zero_bss, . - fw_zero_bss

/*
 * void fw_fault(void): take a real Address Error (AdEL) by loading a word
 * from an odd address.  Written in assembly so no compiler can "fix" it.
 */
	.globl	fw_fault
	.type	fw_fault, @function
	.ent	fw_fault
fw_fault:
	lui	$t0, %hi(fw_report)
	addiu	$t0, $t0, %lo(fw_report)
	lw	$t1, 1($t0)
	b	fw_fault
	 nop
	.end	fw_fault
	.size	fw_fault, . - fw_fault

	.section .note.GNU-stack, "", @progbits
