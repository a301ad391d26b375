// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_compat: ringing the remote's doorbell on MIPS.
 *
 * MIPS MT (34K, 1004K): the remote runs on another VPE of this core.  Set
 * software interrupt 0 (Cause.IP0) in the CP0 Cause register of the VPE
 * that TC @mt_tc is bound to, as the legacy RTLX driver did with TC 1.
 *
 * MIPS CPS with a GIC (interAptiv, P5600, ...): the remote is a core that
 * Linux does not run on.  Assert a GIC shared interrupt routed to it by
 * writing the GIC's WEDGE register, which is how the GIC sends IPIs.  The
 * kernel's IPI domain is not available to modules, so the interrupt is
 * named by the device tree or a module parameter, and the firmware routes
 * it to itself.
 */

#define pr_fmt(fmt) "vpe-compat: " fmt

#include <linux/bits.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/of.h>
#include <linux/of_address.h>

#include <asm/cpu-features.h>
#include <asm/mipsmtregs.h>
#include <asm/mipsregs.h>

#include "vpe_compat.h"

/*
 * The MT ASE's registers, not the kernel's MT support: a uniprocessor
 * kernel without CONFIG_MIPS_MT leaves VPE1 to the remote all the same.
 */
static int vpe_mt_init(struct vpe_kick *kick, int tc)
{
	unsigned int ntc;

	if (!cpu_has_mipsmt) {
		pr_err("mt_tc is set, but this CPU has no MT ASE\n");
		return -ENODEV;
	}
	ntc = ((read_c0_mvpconf0() & MVPCONF0_PTC) >> MVPCONF0_PTC_SHIFT) + 1;
	/* TC 0 runs Linux. */
	if (tc < 1 || tc >= ntc) {
		pr_err("mt_tc %d: this core has TCs 1 to %u besides Linux's\n",
		       tc, ntc - 1);
		return -EINVAL;
	}
	kick->method = VPE_KICK_MT;
	kick->mt_tc = tc;
	return 0;
}

static void vpe_mt_kick(struct vpe_kick *kick)
{
	unsigned long flags;
	unsigned int vpeflags, oldtc;

	local_irq_save(flags);
	vpeflags = dvpe();
	oldtc = read_c0_vpecontrol() & VPECONTROL_TARGTC;
	settc(kick->mt_tc);
	write_vpe_c0_cause(read_vpe_c0_cause() | C_SW0);
	settc(oldtc);
	evpe(vpeflags);
	local_irq_restore(flags);
}

#ifdef CONFIG_MIPS_GIC
#define VPE_GIC_SH_WEDGE	0x280	/* shared section: WEDGE */
#define VPE_GIC_WEDGE_RW	BIT(31)	/* 1: assert, 0: clear */
#define VPE_GIC_SHARED_MAX	256

static int vpe_gic_init(struct vpe_kick *kick,
			const struct vpe_kick_config *cfg)
{
	phys_addr_t base = cfg->gic_phys;
	struct device_node *np;
	struct resource res;

	if (cfg->gic_irq >= VPE_GIC_SHARED_MAX) {
		pr_err("gic_kick %d is not a GIC shared interrupt\n",
		       cfg->gic_irq);
		return -EINVAL;
	}
	if (!base) {
		np = of_find_compatible_node(NULL, NULL, "mti,gic");
		if (np && !of_address_to_resource(np, 0, &res))
			base = res.start;
		of_node_put(np);
	}
	if (!base) {
		pr_err("gic_kick is set, but no GIC was found (gic_base)\n");
		return -ENODEV;
	}

	kick->gic_wedge = ioremap(base + VPE_GIC_SH_WEDGE, sizeof(u32));
	if (!kick->gic_wedge)
		return -ENOMEM;
	kick->method = VPE_KICK_GIC;
	kick->gic_irq = cfg->gic_irq;
	return 0;
}

static void vpe_gic_kick(struct vpe_kick *kick)
{
	/* The remote sees our writes to the window before the interrupt. */
	wmb();
	__raw_writel(VPE_GIC_WEDGE_RW | kick->gic_irq, kick->gic_wedge);
}

static void vpe_gic_exit(struct vpe_kick *kick)
{
	iounmap(kick->gic_wedge);
	kick->gic_wedge = NULL;
}
#else
static int vpe_gic_init(struct vpe_kick *kick,
			const struct vpe_kick_config *cfg)
{
	pr_err("gic_kick is set, but this kernel has no MIPS GIC support\n");
	return -EOPNOTSUPP;
}

static void vpe_gic_kick(struct vpe_kick *kick)
{
}

static void vpe_gic_exit(struct vpe_kick *kick)
{
}
#endif

int vpe_arch_kick_init(struct vpe_kick *kick, const struct vpe_kick_config *cfg)
{
	kick->method = VPE_KICK_NONE;

	if (cfg->mt_tc >= 0 && cfg->gic_irq >= 0) {
		pr_err("kick by MT or by GIC, not both\n");
		return -EINVAL;
	}
	if (cfg->mt_tc >= 0)
		return vpe_mt_init(kick, cfg->mt_tc);
	if (cfg->gic_irq >= 0)
		return vpe_gic_init(kick, cfg);
	return 0;
}

void vpe_arch_kick_exit(struct vpe_kick *kick)
{
	if (kick->method == VPE_KICK_GIC)
		vpe_gic_exit(kick);
	kick->method = VPE_KICK_NONE;
}

/* Called with interrupts disabled, under the window's lock. */
void vpe_arch_kick(struct vpe_kick *kick)
{
	switch (kick->method) {
	case VPE_KICK_MT:
		vpe_mt_kick(kick);
		break;
	case VPE_KICK_GIC:
		vpe_gic_kick(kick);
		break;
	default:
		break;
	}
}
