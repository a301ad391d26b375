/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpe_legacy: what its files share.  vpe_legacy_core.c owns the one VPE
 * record and serialises every call; the API files only translate.
 */
#ifndef VPE_LEGACY_CORE_H
#define VPE_LEGACY_CORE_H

#include <linux/types.h>

struct vpe_notifications;

/* The legacy loader's VPE number: what notifiers get, what "index" meant. */
#define VPE_LEGACY_VPE	1

int vpe_legacy_start(u32 pc);
int vpe_legacy_stop(void);
bool vpe_legacy_take(void);
void vpe_legacy_release(void);
bool vpe_legacy_taken(void);
void *vpe_legacy_shared(void);
int vpe_legacy_region(phys_addr_t *base, size_t *size);
int vpe_legacy_notify_add(struct vpe_notifications *n);
int vpe_legacy_notify_remove(struct vpe_notifications *n);

/* vpe_legacy_wdog.c */
struct module;
void vpe_legacy_wdog_forget(const struct module *mod);
void vpe_legacy_wdog_exit(void);

#endif /* VPE_LEGACY_CORE_H */
