/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpe_rproc: what the remoteproc driver's files share.
 */
#ifndef VPE_RPROC_H
#define VPE_RPROC_H

#include <linux/firmware.h>
#include <linux/list.h>
#include <linux/remoteproc.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "vpe_rproc_api.h"	/* also the KSEG constants */

/*
 * The ELF helpers of the remoteproc core are exported, but declared only in
 * drivers/remoteproc/remoteproc_internal.h, which an out-of-tree module
 * cannot include.  In the kernel tree this block becomes that #include.
 */
int rproc_elf_sanity_check(struct rproc *rproc, const struct firmware *fw);
int rproc_elf_load_segments(struct rproc *rproc, const struct firmware *fw);
int rproc_elf_load_rsc_table(struct rproc *rproc, const struct firmware *fw);
struct resource_table *rproc_elf_find_loaded_rsc_table(struct rproc *rproc,
						       const struct firmware *fw);

/* The MIPS MT view of the remote: one TC, bound to one VPE of this core. */
struct vpe_mt {
	unsigned int tc;	/* the TC that runs the firmware */
	unsigned int vpe;	/* the VPE it is bound to */
	unsigned int ntcs;	/* TCs of the core that Linux does not use */
};

int vpe_mt_init(struct vpe_mt *mt, struct device *dev, unsigned int tc,
		unsigned int vpe);
int vpe_mt_start(const struct vpe_mt *mt, unsigned long pc,
		 unsigned long a2, unsigned long a3);
void vpe_mt_stop(const struct vpe_mt *mt);
bool vpe_mt_running(const struct vpe_mt *mt);
int vpe_mt_linux_cpu(const struct vpe_mt *mt);

/* What vpe_elf_check() learnt about an image. */
struct vpe_elf_info {
	bool has_rsc_table;	/* a .resource_table section */
	bool has_start;		/* a __start symbol */
	u32 start;		/* its value */
	bool has_shared;	/* a vpe_shared symbol */
	u32 shared;		/* its value */
	u32 entry;		/* e_entry */
};

/* The physical memory kept from Linux for the remote. */
struct vpe_region {
	phys_addr_t base;
	size_t size;
	void *va;		/* the kernel's (KSEG0) view */
};

struct vpe_rproc {
	struct device *dev;
	struct rproc *rproc;
	struct vpe_region region;
	struct vpe_mt mt;
	struct vpe_elf_info elf;	/* of the image being started */
	struct delayed_work watch;
	unsigned int ntcs;		/* $a2 at start (the legacy ntcs) */
	u32 attach_pc;			/* vpe_rproc_run(): where to start */
	void *shared;			/* the running image's vpe_shared */
	struct list_head node;		/* in vpe_rproc_api.c's list */
};

int vpe_elf_check(struct device *dev, const struct firmware *fw,
		  const struct vpe_region *region, struct vpe_elf_info *info);
bool vpe_region_lookup(const struct vpe_region *region, u64 addr, size_t len,
		       size_t *offset);

/* vpe_rproc_class.c: /sys/class/vpe/vpe1/{kill,ntcs} */
int vpe_rproc_class_init(void);
void vpe_rproc_class_exit(void);
int vpe_rproc_class_add(struct vpe_rproc *vr);

/* vpe_rproc_api.c: the instances, and what happens to them, for vpe_legacy */
int vpe_rproc_api_add(struct vpe_rproc *vr);
void vpe_rproc_api_event(struct vpe_rproc *vr, unsigned long event);

#endif /* VPE_RPROC_H */
