/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpe_legacy: the legacy in-kernel VPE API as vpe_legacy.ko exports it,
 * for drivers written against the kernel's VPE loader (arch/mips/kernel/
 * vpe.c, vpe-mt.c) or OpenWrt's Lantiq extension of it (CONFIG_IFX_VPE_EXT:
 * ltq-vmmc's vpe1_*).  The prototypes are the kernels' own; what each call
 * does on vpe_rproc.ko, and where it differs, is in kernel/README.md.
 */
#ifndef VPE_LEGACY_H
#define VPE_LEGACY_H

#include <linux/types.h>
#include <asm/vpe.h>	/* struct vpe_notifications, vpe_notify, vpe_get_shared */

/* Mainline (arch/mips/kernel/vpe-mt.c; declared in <asm/vpe.h> from 6.17). */
void *vpe_alloc(void);
int vpe_start(void *vpe, unsigned long start);
int vpe_stop(void *vpe);
int vpe_free(void *vpe);

/* Ours: mainline has no way to take a notifier back. */
int vpe_notify_remove(int index, struct vpe_notifications *notify);

/* OpenWrt's Lantiq patch (CONFIG_IFX_VPE_EXT). */
int32_t vpe1_sw_start(void *sw_start_addr, uint32_t tcmask, uint32_t flags);
int32_t vpe1_sw_stop(uint32_t flags);
uint32_t vpe1_get_load_addr(uint32_t flags);
uint32_t vpe1_get_max_mem(uint32_t flags);

/* The Lantiq vendor kernels' software watchdog. */
typedef int (*VPE_SW_WDOG_RESET)(uint32_t wdog_cleared_ok_count);
extern u32 vpe1_wdog_ctr;		/* KSEG0/KSEG1 address of the counter */
extern u32 vpe1_wdog_timeout;	/* period, in jiffies when started */
uint32_t vpe1_sw_wdog_start(uint32_t flags);
uint32_t vpe1_sw_wdog_stop(uint32_t flags);
int32_t vpe1_sw_wdog_register_reset_handler(VPE_SW_WDOG_RESET reset_fn);

#endif /* VPE_LEGACY_H */
