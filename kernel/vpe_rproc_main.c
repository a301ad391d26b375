// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_rproc: a remoteproc driver for the second VPE of a MIPS MT core
 * (34K, 1004K, interAptiv; the Lantiq SoCs), where the legacy VPE loader
 * (/dev/vpe1) used to run firmware beside Linux.
 *
 * The program runs unmapped from memory kept from Linux: a reserved-memory
 * region (device tree "memory-region") or, for boards without one, the
 * phys_base/phys_size module parameters over memory hidden with memmap= or
 * mem=.  Any size works: nothing is allocated at boot or at load time.
 *
 * Images: ET_EXEC, 32-bit MIPS, the kernel's byte order, every segment in
 * the region.  With a resource table, they start at e_entry and each
 * carveout must name its place in the region; without one (a legacy image)
 * they start at __start, as the legacy loader did, so
 * "echo fw.elf > firmware; echo start > state" runs legacy firmware.  The
 * program gets the legacy loader's registers: $a2 = the number of TCs it
 * may use, $a3 = the a3 parameter (the memory size up to Linux 6.2, 0
 * since), Status = Cause = 0.
 *
 * A program that halts its own TC is reported as crashed.  The region is
 * also offered to vpe_compat.ko (a "vpe-compat" child device), which maps
 * it and rings the doorbells for fuse-vpe, and other kernel code may start
 * a program it put in the region itself (vpe_rproc_api.c: the legacy VPE
 * API of vpe_legacy.ko). The legacy loader's /sys/class/vpe/vpe1/kill and
 * ntcs are vpe_rproc_class.c's.
 */

#include <linux/elf.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/workqueue.h>

#include <asm/cacheflush.h>
#include <asm/irq.h>

#include "vpe_rproc.h"
#include "vpe_rproc_api.h"

static unsigned long long vpe_phys_base;
module_param_named(phys_base, vpe_phys_base, ullong, 0444);
MODULE_PARM_DESC(phys_base, "Physical base of the memory kept for the remote (boards without a device tree)");

static unsigned long long vpe_phys_size;
module_param_named(phys_size, vpe_phys_size, ullong, 0444);
MODULE_PARM_DESC(phys_size, "Its size in bytes; 0: no such region");

static unsigned int vpe_tc = 1;
module_param_named(tc, vpe_tc, uint, 0444);
MODULE_PARM_DESC(tc, "The TC that runs the program (default 1)");

static unsigned int vpe_ntcs;
module_param_named(ntcs, vpe_ntcs, uint, 0444);
MODULE_PARM_DESC(ntcs, "$a2 at start: TCs the program may use (0: all Linux does not; later: /sys/class/vpe/vpe1/ntcs)");

static unsigned int vpe_a3;
module_param_named(a3, vpe_a3, uint, 0644);
MODULE_PARM_DESC(a3, "$a3 at start (legacy loaders up to Linux 6.2 passed the memory size)");

static unsigned int vpe_watch_ms = 100;
module_param_named(watch_ms, vpe_watch_ms, uint, 0644);
MODULE_PARM_DESC(watch_ms, "How often to look for a program that stopped itself (ms; 0: never)");

#define VPE_DRIVER_NAME		"vpe-rproc"
#define VPE_REMOTE_VPE		1	/* the VPE the legacy loader used */

static struct platform_device *vpe_param_pdev;

static int vpe_rproc_sanity_check(struct rproc *rproc,
				  const struct firmware *fw)
{
	struct vpe_rproc *vr = rproc->priv;
	int ret;

	ret = vpe_elf_check(&rproc->dev, fw, &vr->region, &vr->elf);
	if (ret)
		return ret;
	return rproc_elf_sanity_check(rproc, fw);
}

static u64 vpe_rproc_boot_addr(struct rproc *rproc, const struct firmware *fw)
{
	struct vpe_rproc *vr = rproc->priv;

	return vr->elf.has_rsc_table ? vr->elf.entry : vr->elf.start;
}

static void *vpe_rproc_da_to_va(struct rproc *rproc, u64 da, size_t len,
				bool *is_iomem)
{
	struct vpe_rproc *vr = rproc->priv;
	size_t off;

	if (!vpe_region_lookup(&vr->region, da, len, &off))
		return NULL;
	return vr->region.va + off;
}

/* A carveout of the firmware's resource table: a named place in the region. */
static int vpe_rproc_carveout(struct rproc *rproc,
			      const struct fw_rsc_carveout *rsc)
{
	struct vpe_rproc *vr = rproc->priv;
	struct device *dev = &rproc->dev;
	struct rproc_mem_entry *mem;
	size_t off;

	if (strnlen(rsc->name, sizeof(rsc->name)) == sizeof(rsc->name)) {
		dev_err(dev, "a carveout's name is not terminated\n");
		return -EINVAL;
	}
	if (rsc->da == FW_RSC_ADDR_ANY) {
		dev_err(dev, "carveout %s: no address given; it must lie in %pa+%#zx\n",
			rsc->name, &vr->region.base, vr->region.size);
		return -EINVAL;
	}
	if (!vpe_region_lookup(&vr->region, rsc->da, rsc->len, &off)) {
		dev_err(dev, "carveout %s at %#x+%#x is outside the memory kept for the remote (%pa+%#zx)\n",
			rsc->name, rsc->da, rsc->len, &vr->region.base,
			vr->region.size);
		return -ERANGE;
	}

	/* Registered by name, the core uses it instead of allocating one. */
	mem = rproc_mem_entry_init(dev, vr->region.va + off,
				   vr->region.base + off, rsc->len, rsc->da,
				   NULL, NULL, "%s", rsc->name);
	if (!mem)
		return -ENOMEM;
	rproc_add_carveout(rproc, mem);
	return 0;
}

static int vpe_rproc_resources(struct rproc *rproc)
{
	struct resource_table *table = rproc->table_ptr;
	struct device *dev = &rproc->dev;
	const struct fw_rsc_hdr *hdr;
	unsigned int i;
	u32 off;
	int ret;

	/* rproc_elf_load_rsc_table() checked the header and offset[]. */
	for (i = 0; i < table->num; i++) {
		off = table->offset[i];
		/* Entries cut short are the core's to report. */
		if (off > rproc->table_sz || rproc->table_sz - off < sizeof(*hdr))
			continue;
		hdr = (void *)table + off;
		switch (hdr->type) {
		case RSC_CARVEOUT:
			if (rproc->table_sz - off - sizeof(*hdr) <
			    sizeof(struct fw_rsc_carveout))
				continue;
			ret = vpe_rproc_carveout(rproc, (void *)(hdr + 1));
			if (ret)
				return ret;
			break;
		case RSC_VDEV:
			dev_err(dev, "virtio devices are not supported: nothing tells Linux when the remote kicks a virtqueue\n");
			return -EINVAL;
		default:
			break;
		}
	}
	return 0;
}

static int vpe_rproc_parse_fw(struct rproc *rproc, const struct firmware *fw)
{
	struct vpe_rproc *vr = rproc->priv;
	int ret;

	if (vr->elf.has_rsc_table) {
		ret = rproc_elf_load_rsc_table(rproc, fw);
		if (ret)
			return ret;
		ret = vpe_rproc_resources(rproc);
		if (ret)
			return ret;
	} else {
		dev_info(&rproc->dev, "no resource table (a legacy image): starting at __start %#x\n",
			 vr->elf.start);
	}
	/* A core dump holds the whole region. */
	return rproc_coredump_add_segment(rproc, vr->region.base,
					  vr->region.size);
}

static int vpe_rproc_load(struct rproc *rproc, const struct firmware *fw)
{
	struct vpe_rproc *vr = rproc->priv;
	unsigned long va = (unsigned long)vr->region.va;
	int ret;

	ret = rproc_elf_load_segments(rproc, fw);
	if (ret)
		return ret;
	/* The VPEs share the caches, but not the copy's lines in the I-cache. */
	flush_icache_range(va, va + vr->region.size);
	return 0;
}

static void vpe_rproc_watch(struct work_struct *work)
{
	struct vpe_rproc *vr = container_of(to_delayed_work(work),
					    struct vpe_rproc, watch);

	if (!vpe_mt_running(&vr->mt)) {
		dev_err(&vr->rproc->dev, "the program on VPE %u stopped itself (TC %u halted or deactivated)\n",
			vr->mt.vpe, vr->mt.tc);
		rproc_report_crash(vr->rproc, RPROC_FATAL_ERROR);
		return;
	}
	schedule_delayed_work(&vr->watch, msecs_to_jiffies(vpe_watch_ms));
}

/* The address of the image's vpe_shared word, where the kernel reaches it. */
static void *vpe_rproc_shared_word(struct vpe_rproc *vr)
{
	size_t off;

	if (!vr->elf.has_shared || vr->elf.shared < VPE_KSEG0 ||
	    vr->elf.shared >= VPE_KSEG2 ||
	    !vpe_region_lookup(&vr->region, vr->elf.shared, 4, &off))
		return NULL;
	/* As the legacy loader: the symbol's own KSEG0 or KSEG1 address. */
	return (void *)(unsigned long)vr->elf.shared;
}

static int vpe_rproc_go(struct vpe_rproc *vr, u32 pc, void *shared)
{
	struct device *dev = &vr->rproc->dev;
	unsigned int ntcs = READ_ONCE(vr->ntcs);
	int ret;

	ret = vpe_mt_start(&vr->mt, pc, ntcs, vpe_a3);
	if (ret == -EBUSY) {
		dev_err(dev, "TC %u is already active: is another loader (the legacy VPE loader?) running a program on it?\n",
			vr->mt.tc);
		return ret;
	}
	dev_info(dev, "started TC %u on VPE %u at %#x, $a2 %u, $a3 %#x\n",
		 vr->mt.tc, vr->mt.vpe, pc, ntcs, vpe_a3);
	WRITE_ONCE(vr->shared, shared);
	if (vpe_watch_ms)
		schedule_delayed_work(&vr->watch,
				      msecs_to_jiffies(vpe_watch_ms));
	vpe_rproc_api_event(vr, VPE_RPROC_STARTED);
	return 0;
}

static int vpe_rproc_start(struct rproc *rproc)
{
	struct vpe_rproc *vr = rproc->priv;

	return vpe_rproc_go(vr, rproc->bootaddr, vpe_rproc_shared_word(vr));
}

/* A program vpe_rproc_run() was asked for: already in the region. */
static int vpe_rproc_attach(struct rproc *rproc)
{
	struct vpe_rproc *vr = rproc->priv;

	return vpe_rproc_go(vr, vr->attach_pc, NULL);
}

static int vpe_rproc_stop(struct rproc *rproc)
{
	struct vpe_rproc *vr = rproc->priv;

	vpe_rproc_api_event(vr, VPE_RPROC_STOPPING);
	cancel_delayed_work_sync(&vr->watch);
	WRITE_ONCE(vr->shared, NULL);
	vpe_mt_stop(&vr->mt);
	return 0;
}

static const struct rproc_ops vpe_rproc_ops = {
	.start = vpe_rproc_start,
	.stop = vpe_rproc_stop,
	.attach = vpe_rproc_attach,
	.da_to_va = vpe_rproc_da_to_va,
	.parse_fw = vpe_rproc_parse_fw,
	.load = vpe_rproc_load,
	.sanity_check = vpe_rproc_sanity_check,
	.get_boot_addr = vpe_rproc_boot_addr,
	.find_loaded_rsc_table = rproc_elf_find_loaded_rsc_table,
};

static void vpe_rproc_unclaim(void *res)
{
	remove_resource(res);
}

/*
 * Claim the region in /proc/iomem, inside "System RAM" if it is there.  It
 * must not overlap or contain what is already in it: the kernel's code,
 * data and bss, a crash kernel, another driver's memory.
 */
static int vpe_rproc_claim(struct device *dev, const struct vpe_region *r)
{
	struct resource *res, *parent;

	res = devm_kzalloc(dev, sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	res->name = dev_name(dev);
	res->start = r->base;
	res->end = r->base + r->size - 1;
	res->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	if (insert_resource(&iomem_resource, res)) {
		dev_err(dev, "the region overlaps memory in use (see /proc/iomem)\n");
		return -EBUSY;
	}
	parent = res->parent;
	if (res->child || (parent != &iomem_resource &&
			   !(parent->flags & IORESOURCE_SYSTEM_RAM))) {
		dev_err(dev, "the region contains or lies in \"%s\" (see /proc/iomem)\n",
			res->child ? res->child->name : parent->name);
		remove_resource(res);
		return -EBUSY;
	}
	return devm_add_action_or_reset(dev, vpe_rproc_unclaim, res);
}

/* The program overwrites every page: none may be Linux's. */
static int vpe_rproc_region_unused(struct device *dev,
				   const struct vpe_region *r)
{
	unsigned long pfn;

	for (pfn = PHYS_PFN(r->base); pfn < PHYS_PFN(r->base + r->size); pfn++) {
		if (pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn))) {
			dev_err(dev, "physical %#llx is memory Linux uses: keep the region from Linux (memmap=SIZE$BASE, mem=, or reserved-memory)\n",
				(unsigned long long)PFN_PHYS(pfn));
			return -EBUSY;
		}
	}
	return 0;
}

/*
 * The region: "vpe-compat,memory" = <base size> (a device made from the
 * module parameters), else the device tree's memory-region.  Not a MEM
 * resource: memory hidden with memmap= is still System RAM to the resource
 * tree, where a device's resource could not be inserted.
 */
static int vpe_rproc_region(struct device *dev, struct vpe_region *r)
{
	struct reserved_mem *rmem;
	struct device_node *np;
	u64 mem[2];
	int ret;

	if (device_property_read_u64_array(dev, "vpe-compat,memory", mem, 2)) {
		np = of_parse_phandle(dev->of_node, "memory-region", 0);
		if (!np)
			return dev_err_probe(dev, -EINVAL, "no memory-region\n");
		rmem = of_reserved_mem_lookup(np);
		of_node_put(np);
		if (!rmem)
			return dev_err_probe(dev, -EINVAL,
					     "memory-region is not reserved memory\n");
		mem[0] = rmem->base;
		mem[1] = rmem->size;
	}

	/* Checked as u64: phys_addr_t may be 32 bits wide. */
	if (!mem[1] || !PAGE_ALIGNED(mem[0]) || !PAGE_ALIGNED(mem[1]) ||
	    mem[0] >= VPE_SEG_SIZE || mem[1] > VPE_SEG_SIZE - mem[0])
		return dev_err_probe(dev, -EINVAL,
				     "region %#llx+%#llx: page aligned, inside the low 512 MiB (the remote runs from KSEG0)\n",
				     mem[0], mem[1]);
	r->base = mem[0];
	r->size = mem[1];
	/* KSEG0: unmapped and cached, as the remote sees it. */
	r->va = (void *)(unsigned long)(VPE_KSEG0 + r->base);
	ret = vpe_rproc_claim(dev, r);
	if (ret)
		return ret;
	return vpe_rproc_region_unused(dev, r);
}

/*
 * The window for vpe_compat.ko: the region at the remote's KSEG0 address,
 * its doorbell (software interrupt 0 of the TC), and, where the kernel
 * leaves it free, Linux's software interrupt 0 as the remote's doorbell.
 */
static void vpe_rproc_window_remove(void *pdev)
{
	platform_device_unregister(pdev);
}

static int vpe_rproc_add_window(struct vpe_rproc *vr)
{
	const struct resource irq = DEFINE_RES_IRQ(MIPS_CPU_IRQ_BASE);
	const u64 mem[] = { vr->region.base, vr->region.size };
	const struct property_entry props[] = {
		PROPERTY_ENTRY_U64_ARRAY("vpe-compat,memory", mem),
		PROPERTY_ENTRY_U64("vpe-compat,device-address",
				   VPE_KSEG0 + vr->region.base),
		PROPERTY_ENTRY_U32("vpe-compat,mt-tc", vr->mt.tc),
		{ }
	};
	struct platform_device_info info = {
		.parent = vr->dev,
		.name = "vpe-compat",
		.id = PLATFORM_DEVID_AUTO,
		.res = &irq,
		.num_res = 1,
		.properties = props,
	};
	struct platform_device *pdev;

	/* With MT SMP support, software interrupts 0 and 1 are IPIs. */
	if (IS_ENABLED(CONFIG_GENERIC_IRQ_IPI)) {
		info.num_res = 0;
		dev_info(vr->dev, "software interrupt 0 is an IPI in this kernel: the remote cannot ring Linux\n");
	}
	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	return devm_add_action_or_reset(vr->dev, vpe_rproc_window_remove, pdev);
}

/* After rproc_del(): whatever still runs there stops with the driver. */
static void vpe_rproc_halt_on_unbind(void *data)
{
	struct vpe_rproc *vr = data;

	cancel_delayed_work_sync(&vr->watch);
	vpe_mt_stop(&vr->mt);
}

static int vpe_rproc_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct vpe_rproc *vr;
	struct rproc *rproc;
	struct vpe_mt mt;
	char name[16];
	int ret;

	ret = vpe_mt_init(&mt, dev, vpe_tc, VPE_REMOTE_VPE);
	if (ret)
		return ret;

	snprintf(name, sizeof(name), "vpe%u", mt.vpe);
	rproc = devm_rproc_alloc(dev, name, &vpe_rproc_ops, NULL, sizeof(*vr));
	if (!rproc)
		return -ENOMEM;
	vr = rproc->priv;
	vr->dev = dev;
	vr->rproc = rproc;
	vr->mt = mt;
	if (vpe_ntcs > mt.ntcs)
		return dev_err_probe(dev, -EINVAL,
				     "ntcs=%u: more than the %u TC(s) Linux does not use\n",
				     vpe_ntcs, mt.ntcs);
	vr->ntcs = vpe_ntcs ? vpe_ntcs : mt.ntcs;
	INIT_DELAYED_WORK(&vr->watch, vpe_rproc_watch);

	ret = vpe_rproc_region(dev, &vr->region);
	if (ret)
		return ret;

	/* As the legacy loader: nothing runs until loaded, nothing restarts. */
	rproc->auto_boot = false;
	rproc->recovery_disabled = true;
	rproc_coredump_set_elf_info(rproc, ELFCLASS32, EM_MIPS);

	ret = devm_add_action_or_reset(dev, vpe_rproc_halt_on_unbind, vr);
	if (ret)
		return ret;
	ret = devm_rproc_add(dev, rproc);
	if (ret)
		return dev_err_probe(dev, ret, "cannot register the remote processor\n");

	ret = vpe_rproc_add_window(vr);
	if (ret)
		return dev_err_probe(dev, ret, "cannot offer the window to vpe_compat\n");
	ret = vpe_rproc_api_add(vr);
	if (!ret)
		ret = vpe_rproc_class_add(vr);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, vr);
	dev_info(dev, "%s: TC %u on VPE %u, memory %pa+%#zx\n",
		 dev_name(&rproc->dev), mt.tc, mt.vpe, &vr->region.base,
		 vr->region.size);
	return 0;
}

static const struct of_device_id vpe_rproc_of_match[] = {
	{ .compatible = "vpe-compat,mips-mt-vpe" },
	{ }
};
MODULE_DEVICE_TABLE(of, vpe_rproc_of_match);

static struct platform_driver vpe_rproc_driver = {
	.probe = vpe_rproc_probe,
	.driver = {
		.name = VPE_DRIVER_NAME,
		.of_match_table = vpe_rproc_of_match,
	},
};

/* The region of the module parameters, as a device of its own. */
static int __init vpe_rproc_add_param_device(void)
{
	const u64 mem[] = { vpe_phys_base, vpe_phys_size };
	const struct property_entry props[] = {
		PROPERTY_ENTRY_U64_ARRAY("vpe-compat,memory", mem),
		{ }
	};
	const struct platform_device_info info = {
		.name = VPE_DRIVER_NAME,
		.id = PLATFORM_DEVID_NONE,
		.properties = props,
	};

	vpe_param_pdev = platform_device_register_full(&info);
	if (IS_ERR(vpe_param_pdev))
		return PTR_ERR(vpe_param_pdev);
	/* Fail the load for the reason the probe logged, as DT cannot. */
	if (!platform_get_drvdata(vpe_param_pdev)) {
		platform_device_unregister(vpe_param_pdev);
		return -ENODEV;
	}
	return 0;
}

static int __init vpe_rproc_init(void)
{
	int ret;

	ret = vpe_rproc_class_init();
	if (ret)
		return ret;
	ret = platform_driver_register(&vpe_rproc_driver);
	if (!ret && vpe_phys_size) {
		ret = vpe_rproc_add_param_device();
		if (ret)
			platform_driver_unregister(&vpe_rproc_driver);
	}
	if (ret)
		vpe_rproc_class_exit();
	return ret;
}
module_init(vpe_rproc_init);

static void __exit vpe_rproc_exit(void)
{
	platform_device_unregister(vpe_param_pdev);
	platform_driver_unregister(&vpe_rproc_driver);
	vpe_rproc_class_exit();
}
module_exit(vpe_rproc_exit);

MODULE_DESCRIPTION("Remote processor driver for the second VPE of MIPS MT cores");
MODULE_LICENSE("GPL");
