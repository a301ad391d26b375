/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpe_rproc: what it offers other kernel modules (the
 * legacy VPE API, vpe_legacy.ko): a program already in the memory kept for
 * the remote, started at an address of the caller's choosing.
 *
 * Such a program runs through the remoteproc core as one it did not load:
 * the instance shows "attached" in sysfs while it runs and "crashed" when
 * it stops itself or its watchdog fires, and "echo stop > state" stops it.
 * One program at a time: vpe_rproc_run() refuses (-EBUSY) while remoteproc
 * has another (loaded through sysfs or /dev/vpe1), and remoteproc refuses
 * a firmware name (-EBUSY) while this one runs.
 */
#ifndef VPE_RPROC_API_H
#define VPE_RPROC_API_H

#include <linux/notifier.h>
#include <linux/types.h>

/* The unmapped segments the remote runs from: each shows physical 0-512 MiB. */
#define VPE_KSEG0	0x80000000U	/* cached */
#define VPE_KSEG1	0xa0000000U	/* uncached */
#define VPE_KSEG2	0xc0000000U	/* mapped again */
#define VPE_SEG_SIZE	0x20000000U

struct vpe_rproc;

/* The first bound instance, referenced (vpe_rproc_put()), or NULL. */
struct vpe_rproc *vpe_rproc_get(void);
void vpe_rproc_put(struct vpe_rproc *vr);

/* The memory kept for the remote: physical base and size. */
void vpe_rproc_memory(struct vpe_rproc *vr, phys_addr_t *base, size_t *size);

/* Start at @pc, a KSEG0 or KSEG1 address inside the region; sleeps. */
int vpe_rproc_run(struct vpe_rproc *vr, u32 pc);
/* Stop what runs, whoever started it; 0 if nothing runs. Sleeps. */
int vpe_rproc_halt(struct vpe_rproc *vr);
/* Is a program on the VPE (running, attached or crashed)? */
bool vpe_rproc_busy(struct vpe_rproc *vr);
/* The address of the running ELF image's vpe_shared word, or NULL. */
void *vpe_rproc_shared(struct vpe_rproc *vr);
/* Report the program dead (a watchdog fired); returns once it is marked. */
void vpe_rproc_report_crash(struct vpe_rproc *vr);

/*
 * Told of every start and stop, whatever started or stopped it, with the
 * instance as data.  Called with the remoteproc core's lock held: a
 * callback must not start or stop a program.
 */
#define VPE_RPROC_STARTED	1	/* after the program started */
#define VPE_RPROC_STOPPING	2	/* before it is stopped */
int vpe_rproc_register_notifier(struct notifier_block *nb);
int vpe_rproc_unregister_notifier(struct notifier_block *nb);

#endif /* VPE_RPROC_API_H */
