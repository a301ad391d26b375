/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vpe_compat: what the module's files share.
 */
#ifndef VPE_COMPAT_INTERNAL_H
#define VPE_COMPAT_INTERNAL_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

/* The two ends of a window: Linux, and (test mode only) the remote. */
enum vpe_side {
	VPE_SIDE_LINUX,
	VPE_SIDE_REMOTE,
	VPE_SIDES
};

/* A doorbell: how often it was rung, and who waits for the next ring. */
struct vpe_bell {
	atomic64_t count;
	wait_queue_head_t wait;
};

enum vpe_kick_method {
	VPE_KICK_NONE,
	VPE_KICK_MT,		/* MIPS MT: software interrupt 0 on a VPE */
	VPE_KICK_GIC,		/* MIPS GIC: a shared interrupt, via WEDGE */
};

/* How Linux rings the remote's doorbell (filled in by the arch hooks). */
struct vpe_kick {
	enum vpe_kick_method method;
	int mt_tc;
	u32 gic_irq;
	void __iomem *gic_wedge;
};

/* How to ring the remote; a negative number means "not this way". */
struct vpe_kick_config {
	int mt_tc;		/* MIPS MT: a TC bound to the remote VPE */
	int gic_irq;		/* MIPS GIC: shared interrupt routed to it */
	u64 gic_phys;		/* GIC base; 0: from the "mti,gic" node */
};

struct vpe_window_config {
	struct device *dev;	/* the platform device, or NULL */
	phys_addr_t phys;	/* physical base (ignored in test mode) */
	u64 size;		/* bytes */
	u64 dev_base;		/* the remote's address of offset 0 */
	int irq;		/* remote-to-Linux interrupt, or -1 */
	bool irq_shared;	/* request it with IRQF_SHARED */
	bool test;		/* back the window with vmalloc'd memory */
	struct vpe_kick_config kick;
};

struct vpe_window;

/* One misc device: /dev/vpe_compatN or /dev/vpe_compatN_remote. */
struct vpe_node {
	struct miscdevice misc;
	struct vpe_window *win;
	enum vpe_side side;
	bool registered;
	char name[32];
};

/**
 * struct vpe_window - a remote memory window and its doorbells
 * @kref: one reference for the creator, one per open file
 * @lock: serialises kicks against teardown
 * @dead: set once the window is torn down; files keep the memory alive
 * @id: N in /dev/vpe_compatN
 * @phys: physical base (0 in test mode)
 * @vbuf: test mode: the vmalloc'd memory
 * @size: window size in bytes, page aligned
 * @dev_base: the remote's address of window offset 0
 * @irq: remote-to-Linux interrupt, or -1
 * @test: test mode (vbuf, remote node, crossed doorbells)
 * @bell: rung towards the Linux side and towards the remote side
 * @node: the misc devices of the two sides
 * @kick: Linux-to-remote doorbell on real hardware
 */
struct vpe_window {
	struct kref kref;
	spinlock_t lock;	/* serialises kicks against teardown */
	bool dead;
	int id;
	phys_addr_t phys;
	void *vbuf;
	u64 size;
	u64 dev_base;
	int irq;
	bool test;
	struct vpe_bell bell[VPE_SIDES];
	struct vpe_node node[VPE_SIDES];
	struct vpe_kick kick;
};

struct vpe_window *vpe_window_create(const struct vpe_window_config *cfg);
void vpe_window_destroy(struct vpe_window *win);

#ifdef CONFIG_MIPS
int vpe_arch_kick_init(struct vpe_kick *kick,
		       const struct vpe_kick_config *cfg);
void vpe_arch_kick_exit(struct vpe_kick *kick);
void vpe_arch_kick(struct vpe_kick *kick);
#else
static inline int vpe_arch_kick_init(struct vpe_kick *kick,
				     const struct vpe_kick_config *cfg)
{
	kick->method = VPE_KICK_NONE;
	if (cfg->mt_tc >= 0 || cfg->gic_irq >= 0)
		return -EOPNOTSUPP;
	return 0;
}

static inline void vpe_arch_kick_exit(struct vpe_kick *kick)
{
}

static inline void vpe_arch_kick(struct vpe_kick *kick)
{
}
#endif

#endif /* VPE_COMPAT_INTERNAL_H */
