/*
 * raw.S: a raw (not ELF) firmware image, as Lantiq voice firmware is
 * loaded: copied to the start of VPE1's memory and started at its first
 * byte, with no stack and no gp, from KSEG1 (uncached) as ltq-vmmc starts
 * it.  Position-independent: it finds its base with bal, so any address
 * works.
 *
 * It announces readiness in a mailbox at a fixed offset (raw.h) with the
 * registers it was started with, then counts a heartbeat until told to
 * freeze it (a firmware whose watchdog must fire) or to halt its own TC
 * (a firmware that stopped itself).
 */
#include "raw.h"

	.set	noreorder
	.set	noat
	.text
	.globl	raw_start
raw_start:
	bal	1f
	 nop
1:	addiu	$t0, $ra, -8		/* $t0: our base, the mailbox's too */
	sw	$a2, RAW_MB_A2($t0)
	sw	$a3, RAW_MB_A3($t0)
	sw	$t0, RAW_MB_BASE($t0)
	sw	$zero, RAW_MB_BEAT($t0)
	sync
	li	$t1, RAW_READY
	sw	$t1, RAW_MB_MAGIC($t0)	/* last: the rest is valid once seen */
	sync
	li	$t3, RAW_CMD_HALT
loop:
	lw	$t2, RAW_MB_CMD($t0)
	beq	$t2, $t3, halt
	 nop
	bnez	$t2, pause		/* RAW_CMD_FREEZE */
	 nop
	lw	$t1, RAW_MB_BEAT($t0)
	addiu	$t1, $t1, 1
	sw	$t1, RAW_MB_BEAT($t0)
pause:
	li	$t4, 20000
2:	addiu	$t4, $t4, -1
	bnez	$t4, 2b
	 nop
	b	loop
	 nop

halt:	li	$t1, 1
	mtc0	$t1, $2, 4		/* TCHalt.H: this TC stops */
	ehb
3:	b	3b
	 nop

	.org	RAW_MB_OFFSET
	.space	RAW_MB_SIZE
