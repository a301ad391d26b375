/*
 * Common definitions for the legacy VPE-loader firmware fixtures.
 * Shared by C and assembly sources.
 */
#ifndef FW_H
#define FW_H

#include "report.h"

/* CP0 registers used here */
#define CP0_VPECONTROL	$1, 1		/* MT ASE */
#define CP0_TCHALT	$2, 4		/* MT ASE */
#define CP0_BADVADDR	$8
#define CP0_COUNT	$9
#define CP0_COMPARE	$11
#define CP0_STATUS	$12
#define CP0_CAUSE	$13
#define CP0_EPC		$14
#define CP0_EBASE	$15, 1

#define ST0_IE		0x00000001
#define ST0_EXL		0x00000002
#define ST0_ERL		0x00000004
#define ST0_IM0		0x00000100	/* software interrupt 0 (E3/E4 doorbell) */
#define ST0_IM7		0x00008000	/* CP0 timer (IntCtl.IPTI = 7) */
#define ST0_BEV		0x00400000

#define CAUSE_EXCCODE	0x0000007c
#define CAUSE_IP_SW	0x00000300	/* IP1..0, software writable */

/*
 * The CP0 Count rate is not discoverable; the fixtures assume QEMU Malta's
 * (320 MHz CPU clock, Count every second cycle).  Real boards differ only in
 * how long "1 ms" and "1 s" below really are.
 */
#define FW_COUNT_HZ		160000000u
#define FW_TICK_COUNTS		(FW_COUNT_HZ / 1000)	/* idle wake period: 1 ms */
#define FW_IDLE_SPIN_COUNTS	(FW_COUNT_HZ / 500)	/* spin 2 ms before sleeping */
#define FW_CRASH_COUNTS		FW_COUNT_HZ		/* crash fixture: 1 s */

/* Malta: writing 0x42 to SOFTRES resets the board (QEMU -no-reboot: exits) */
#define MALTA_SOFTRES		0xbf000500
#define MALTA_SOFTRES_RESET	0x42

#define FW_STACK_SIZE		8192
#define FW_GP_MAGIC		0x600dc0de	/* fw_gp_probe's value */

#ifndef __ASSEMBLER__
#include <stdint.h>

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

/* full barrier: orders data against index updates (both directions) */
static inline void fw_sync(void)
{
	__asm__ __volatile__("sync" : : : "memory");
}

static inline uint32_t fw_count(void)
{
	uint32_t c;

	__asm__ __volatile__("mfc0 %0, $9" : "=r"(c));
	return c;
}

extern volatile struct fw_report fw_report;

/*
 * Ring Linux's doorbell as legacy programs did: raise software interrupt 0
 * in the Cause register of the VPE that TC 0 (Linux's) is bound to.  MT
 * ASE; the loader made this VPE a master VPE, which may reach other TCs.
 */
static inline void fw_ring_linux(void)
{
	uint32_t ctl, cause;

	__asm__ __volatile__(
		"	.set	push\n"
		"	.set	mt\n"
		"	mfc0	%0, $1, 1\n"		/* VPEControl */
		"	ins	%0, $0, 0, 8\n"		/* TargTC = 0 */
		"	mtc0	%0, $1, 1\n"
		"	ehb\n"
		"	mftc0	%1, $13\n"		/* that VPE's Cause */
		"	ori	%1, %1, 0x100\n"	/* IP0 */
		"	mttc0	%1, $13\n"
		"	ehb\n"
		"	.set	pop\n"
		: "=&r"(ctl), "=&r"(cause) : : "memory");
}

/* lib.S */
void fw_idle_wait(uint32_t counts);
void __attribute__((noreturn)) fw_fault(void);

/* uart.c */
void fw_puts(const char *s);
void fw_puthex(uint32_t v);
void fw_putdec(uint32_t v);

/* rtlx.c */
uint32_t fw_rtlx_init(void);
unsigned int fw_rtlx_service(void);
/* a channel the program talks on itself (the kspd fixture's channel 2) */
uint32_t fw_chan_send(unsigned int chan, const void *buf, uint32_t n);
uint32_t fw_chan_recv(unsigned int chan, void *buf, uint32_t n);

/* sde.c: the kspd fixture's system calls, then exit */
void fw_sde_run(void);

/* checksum.c */
uint32_t fw_checksum(const uint32_t *p, uint32_t nwords);

/* main.c: called by rtlx.c for every byte of channel 7 in the crash fixture */
void __attribute__((noreturn)) fw_crash_now(uint32_t trigger);
#endif /* !__ASSEMBLER__ */

#endif /* FW_H */
