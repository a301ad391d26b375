// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_legacy: OpenWrt's Lantiq extension (CONFIG_IFX_VPE_EXT, its patch
 * "lantiq: VPE" to arch/mips/kernel/vpe.c and vpe-mt.c), which ltq-vmmc
 * uses to run the voice firmware on VPE1:
 *
 *	max = vpe1_get_max_mem(0);	image must fit
 *	addr = vpe1_get_load_addr(0);	KSEG0, 1 MiB aligned
 *	copy the raw image to KSEG1ADDR(addr), plain stores
 *	vpe1_sw_start((void *)KSEG1ADDR(addr), 0, 0);
 *	...
 *	vpe1_sw_stop(0);
 *
 * The boot arguments vpe1_load_addr= and vpe1_mem= are this module's
 * parameters of those names (vpe_legacy.vpe1_load_addr= on the command
 * line); without them the place is the memory kept for the remote, as
 * vpe_rproc has it.  Unlike the patch, both are checked against that
 * memory: the caller copies up to vpe1_get_max_mem() bytes there, and more
 * would land on Linux's.  Starts and stops go through vpe_legacy_core.c.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include "vpe_legacy.h"
#include "vpe_legacy_core.h"
#include "vpe_rproc_api.h"

static unsigned int vpe1_load_addr;
module_param(vpe1_load_addr, uint, 0444);
MODULE_PARM_DESC(vpe1_load_addr, "KSEG0 address of the firmware (default: the start of the memory kept for the remote)");

static unsigned long long vpe1_mem;

/* "2M", "512K", as the boot argument took it */
static int vpe_legacy_mem_set(const char *val, const struct kernel_param *kp)
{
	unsigned long long size;
	char *end;

	size = memparse(val, &end);
	if (end == val || (*end && *end != '\n'))
		return -EINVAL;
	*(unsigned long long *)kp->arg = size;
	return 0;
}

static const struct kernel_param_ops vpe_legacy_mem_ops = {
	.set = vpe_legacy_mem_set,
	.get = param_get_ullong,
};
module_param_cb(vpe1_mem, &vpe_legacy_mem_ops, &vpe1_mem, 0444);
MODULE_PARM_DESC(vpe1_mem, "Memory for the firmware, K/M suffixes (default: to the end of the memory kept for the remote)");

/* Where the firmware goes and how much fits there; -errno if nowhere. */
static int vpe_legacy_place(u32 *addr, u32 *size)
{
	phys_addr_t base;
	size_t len;
	u64 phys, room;

	if (vpe_legacy_region(&base, &len))
		return -ENODEV;
	phys = base;
	if (vpe1_load_addr) {
		phys = (vpe1_load_addr - VPE_KSEG0) & (VPE_SEG_SIZE - 1);
		if (vpe1_load_addr < VPE_KSEG0 || vpe1_load_addr >= VPE_KSEG2 ||
		    phys < base || phys >= base + len) {
			pr_err("vpe1_load_addr %#x is not in the memory kept for the remote (%pa+%#zx, at KSEG0 %#llx)\n",
			       vpe1_load_addr, &base, len,
			       (unsigned long long)VPE_KSEG0 + base);
			return -ERANGE;
		}
	}
	room = base + len - phys;
	if (vpe1_mem > room)
		pr_warn("vpe1_mem %#llx: only %#llx bytes are kept for the remote from %#llx\n",
			vpe1_mem, room, (unsigned long long)VPE_KSEG0 + phys);
	*addr = VPE_KSEG0 + phys;
	*size = min_t(u64, vpe1_mem ? vpe1_mem : room, room);
	return 0;
}

uint32_t vpe1_get_load_addr(uint32_t flags)
{
	u32 addr, size;

	return vpe_legacy_place(&addr, &size) ? 0 : addr;
}
EXPORT_SYMBOL(vpe1_get_load_addr);

uint32_t vpe1_get_max_mem(uint32_t flags)
{
	u32 addr, size;

	return vpe_legacy_place(&addr, &size) ? 0 : size;
}
EXPORT_SYMBOL(vpe1_get_max_mem);

int32_t vpe1_sw_start(void *sw_start_addr, uint32_t tcmask, uint32_t flags)
{
	u32 pc = (unsigned long)sw_start_addr;
	int ret;

	if (tcmask || flags) {
		pr_warn("%s: tcmask and flags must be 0 (nothing else was ever supported)\n",
			__func__);
		return -1;
	}
	ret = vpe_legacy_start(pc);
	if (ret) {
		pr_err("%s: VPE 1 not started at %#x: %d\n", __func__, pc, ret);
		return -1;
	}
	return 0;
}
EXPORT_SYMBOL(vpe1_sw_start);

int32_t vpe1_sw_stop(uint32_t flags)
{
	int ret = vpe_legacy_stop();

	if (ret) {
		pr_err("%s: VPE 1 not stopped: %d\n", __func__, ret);
		return -1;
	}
	return 0;
}
EXPORT_SYMBOL(vpe1_sw_stop);
