/*
 * fw_report: what a fixture tells the tests about itself.
 *
 * The firmware keeps one instance at the global symbol `fw_report`; tests
 * find it through the image's symbol table and read it from the simulator's
 * RAM file.  Every field is a 32-bit word in the firmware's byte order, so
 * the byte offsets below are the whole contract.  This header is shared by
 * the firmware (C and assembly) and by the host tool tools/fwprobe.c.
 *
 * Bump FW_REPORT_VERSION when a field moves or changes meaning; adding a
 * field at the end keeps the version.
 */
#ifndef FW_REPORT_H
#define FW_REPORT_H

#define FW_REPORT_MAGIC		0x56504552	/* 'VPER' */
#define FW_REPORT_VERSION	1

/* fixture kind */
#define FW_KIND_ECHO		1
#define FW_KIND_LARGE		2
#define FW_KIND_NOSYM		3
#define FW_KIND_CRASH		4
#define FW_KIND_BELL		5	/* echo, and rings Linux's doorbell */
#define FW_KIND_KSPD		6	/* SDE system calls on channel 2 (sde.c) */

/* life cycle; 0 means the image has not been loaded (RAM still zero) */
#define FW_STATE_BOOTING	1	/* statically initialised value */
#define FW_STATE_RUNNING	2	/* rtlx published (if any), main loop */
#define FW_STATE_CRASHED	3	/* exception taken, see exc_* */
#define FW_STATE_BAD_ENTRY	4	/* started at e_entry instead of __start */

/* what made the crash fixture crash */
#define FW_TRIGGER_NONE		0
#define FW_TRIGGER_TIMER	1	/* one second after start */
#define FW_TRIGGER_BANG		2	/* '!' received on channel 7 */

/* byte offsets (also used by the assembly start-up and exception code) */
#define FW_REP_MAGIC		0
#define FW_REP_VERSION		4
#define FW_REP_KIND		8
#define FW_REP_LAYOUT		12	/* 296 or 300; 0 without rtlx */
#define FW_REP_STATE		16
#define FW_REP_HEARTBEAT	20	/* +1 per main-loop pass */
#define FW_REP_ENTRY_A2		24	/* $a2 at __start (ntcs) */
#define FW_REP_ENTRY_A3		28	/* $a3 at __start (memsize or 0) */
#define FW_REP_SUM_EXPECTED	32	/* large: checksum computed at build */
#define FW_REP_SUM_ACTUAL	36	/* large: checksum computed at run */
#define FW_REP_SUM_OK		40	/* large: 1 if equal, else 0 */
#define FW_REP_SUM_BYTES	44	/* large: bytes checksummed; else 0 */
#define FW_REP_ECHOED		48	/* bytes moved SP->Linux, all channels */
#define FW_REP_EXC_CAUSE	52	/* CP0 Cause of the fatal exception */
#define FW_REP_EXC_EPC		56
#define FW_REP_EXC_BADVADDR	60
#define FW_REP_CRASH_TRIGGER	64	/* FW_TRIGGER_* */
#define FW_REP_BAD_INDEX	68	/* times a peer index was >= size */
#define FW_REP_SLEEPS		72	/* times the idle loop ran `wait` */
#define FW_REP_COUNT		76	/* CP0 Count at the last heartbeat */
#define FW_REP_COUNT_HZ		80	/* Count rate the firmware assumes */
#define FW_REP_SUM_COUNTS	84	/* large: Count ticks spent summing */
#define FW_REP_RTLX		88	/* &rtlx_info (KSEG0), 0 without rtlx */
#define FW_REP_ENTRY_STATUS	92	/* CP0 Status at __start */
#define FW_REP_BELLS		96	/* bell: doorbells rung towards Linux */
#define FW_REP_KSPD_STEP	100	/* kspd: the last step that went as planned */
#define FW_REP_KSPD_FAIL	104	/* kspd: the step that did not, 0: none */
#define FW_REP_KSPD_GOT		108	/* kspd: what that step's call returned */
#define FW_REP_KSPD_TIME	112	/* kspd: the seconds GETTOD returned */
#define FW_REP_SIZE		116

#ifndef __ASSEMBLER__
#include <stdint.h>

struct fw_report {
	uint32_t magic;
	uint32_t version;
	uint32_t kind;
	uint32_t layout;
	uint32_t state;
	uint32_t heartbeat;
	uint32_t entry_a2;
	uint32_t entry_a3;
	uint32_t sum_expected;
	uint32_t sum_actual;
	uint32_t sum_ok;
	uint32_t sum_bytes;
	uint32_t echoed;
	uint32_t exc_cause;
	uint32_t exc_epc;
	uint32_t exc_badvaddr;
	uint32_t crash_trigger;
	uint32_t bad_index;
	uint32_t sleeps;
	uint32_t count;
	uint32_t count_hz;
	uint32_t sum_counts;
	uint32_t rtlx;
	uint32_t entry_status;
	uint32_t bells;
	uint32_t kspd_step;
	uint32_t kspd_fail;
	uint32_t kspd_got;
	uint32_t kspd_time;
};

#define FW_REP_CHECK(field, off) \
	_Static_assert(__builtin_offsetof(struct fw_report, field) == (off), \
		       "fw_report." #field " moved")
FW_REP_CHECK(magic, FW_REP_MAGIC);
FW_REP_CHECK(state, FW_REP_STATE);
FW_REP_CHECK(entry_a2, FW_REP_ENTRY_A2);
FW_REP_CHECK(entry_a3, FW_REP_ENTRY_A3);
FW_REP_CHECK(sum_bytes, FW_REP_SUM_BYTES);
FW_REP_CHECK(exc_cause, FW_REP_EXC_CAUSE);
FW_REP_CHECK(exc_epc, FW_REP_EXC_EPC);
FW_REP_CHECK(exc_badvaddr, FW_REP_EXC_BADVADDR);
FW_REP_CHECK(crash_trigger, FW_REP_CRASH_TRIGGER);
FW_REP_CHECK(rtlx, FW_REP_RTLX);
FW_REP_CHECK(entry_status, FW_REP_ENTRY_STATUS);
FW_REP_CHECK(bells, FW_REP_BELLS);
FW_REP_CHECK(kspd_time, FW_REP_KSPD_TIME);
_Static_assert(sizeof(struct fw_report) == FW_REP_SIZE, "fw_report size");
#undef FW_REP_CHECK
#endif /* !__ASSEMBLER__ */

#endif /* FW_REPORT_H */
