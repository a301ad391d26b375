/*
 * raw.h: the mailbox of the raw fixture (raw.S), RAW_MB_OFFSET bytes into
 * the image, 32-bit words in the CPU's byte order.  Shared with the
 * kernel test modules (compat-tests/fullsys/kmod), which read and write it
 * through KSEG1.
 */
#ifndef RAW_H
#define RAW_H

#define RAW_MB_OFFSET	0x100
#define RAW_MB_MAGIC	(RAW_MB_OFFSET + 0)	/* RAW_READY once started */
#define RAW_MB_A2	(RAW_MB_OFFSET + 4)	/* $a2 at start: TCs */
#define RAW_MB_A3	(RAW_MB_OFFSET + 8)	/* $a3 at start */
#define RAW_MB_BASE	(RAW_MB_OFFSET + 12)	/* where it found itself */
#define RAW_MB_BEAT	(RAW_MB_OFFSET + 16)	/* heartbeat */
#define RAW_MB_CMD	(RAW_MB_OFFSET + 20)	/* written by Linux */
#define RAW_MB_SIZE	32

#define RAW_READY	0x52454459	/* "REDY" */
#define RAW_CMD_RUN	0
#define RAW_CMD_FREEZE	1	/* stop counting the heartbeat */
#define RAW_CMD_HALT	2	/* halt this TC */

#endif /* RAW_H */
