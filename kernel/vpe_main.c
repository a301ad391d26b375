// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_compat: where the windows come from.
 *
 * - Device tree: a "vpe-compat,window" node with a reserved-memory region
 *   and, optionally, the remote-to-Linux interrupt (see README.md).
 * - A remoteproc driver's memory: vpe_rproc.ko registers a "vpe-compat"
 *   device with the same properties in a software node, the memory as
 *   "vpe-compat,memory" = <base size>.
 * - Module parameters, for boards without a device tree: phys_base,
 *   phys_size and irq describe one window.
 * - Test mode: test_size backs one window with vmalloc'd memory and adds
 *   the remote's node, so the module can be tested without the hardware.
 *
 * Every window is a platform device bound to this driver; those from module
 * parameters carry their struct vpe_window_config as platform data.
 * Unbinding a device removes its window (a devm action calls
 * vpe_window_destroy()).
 */

#define pr_fmt(fmt) "vpe-compat: " fmt

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/property.h>

#include "vpe_compat.h"

static unsigned long long vpe_phys_base;
module_param_named(phys_base, vpe_phys_base, ullong, 0444);
MODULE_PARM_DESC(phys_base, "Physical base of a window (boards without DT)");

static unsigned long long vpe_phys_size;
module_param_named(phys_size, vpe_phys_size, ullong, 0444);
MODULE_PARM_DESC(phys_size, "Size in bytes of that window; 0: no window");

static unsigned long long vpe_dev_base;
module_param_named(dev_base, vpe_dev_base, ullong, 0444);
MODULE_PARM_DESC(dev_base, "The remote's address of the window (0: phys_base)");

static int vpe_irq = -1;
module_param_named(irq, vpe_irq, int, 0444);
MODULE_PARM_DESC(irq, "Remote-to-Linux interrupt of that window (-1: none)");

static bool vpe_irq_shared;
module_param_named(irq_shared, vpe_irq_shared, bool, 0444);
MODULE_PARM_DESC(irq_shared, "Request irq as a shared interrupt");

static int vpe_mt_tc = -1;
module_param_named(mt_tc, vpe_mt_tc, int, 0444);
MODULE_PARM_DESC(mt_tc, "MIPS MT: kick the VPE of this TC with SW0 (-1: no)");

static int vpe_gic_kick = -1;
module_param_named(gic_kick, vpe_gic_kick, int, 0444);
MODULE_PARM_DESC(gic_kick, "MIPS GIC: kick with this shared interrupt (-1: no)");

static unsigned long long vpe_gic_base;
module_param_named(gic_base, vpe_gic_base, ullong, 0444);
MODULE_PARM_DESC(gic_base, "MIPS GIC physical base (0: from the device tree)");

static unsigned long vpe_test_size;
module_param_named(test_size, vpe_test_size, ulong, 0444);
MODULE_PARM_DESC(test_size, "Test mode: a vmalloc'd window of this many bytes");

#define VPE_TEST_SIZE_MAX	(256UL << 20)

#define VPE_DRIVER_NAME		"vpe-compat"

/* Windows from module parameters are platform devices with this data. */
static struct platform_device *vpe_param_pdev;
static struct platform_device *vpe_test_pdev;

/*
 * The window's memory: a MEM resource, "vpe-compat,memory" = <base size>
 * (a device made by vpe_rproc for memory hidden with memmap=, which cannot
 * be a resource), else the device tree's memory-region.
 */
static int vpe_fw_memory(struct platform_device *pdev,
			 struct vpe_window_config *cfg)
{
	struct device *dev = &pdev->dev;
	const struct resource *res;
	struct reserved_mem *rmem;
	struct device_node *mem;
	u64 range[2];

	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (res) {
		cfg->phys = res->start;
		cfg->size = resource_size(res);
		return 0;
	}
	if (!device_property_read_u64_array(dev, "vpe-compat,memory", range,
					    2)) {
		cfg->phys = range[0];
		cfg->size = range[1];
		return 0;
	}
	mem = of_parse_phandle(dev->of_node, "memory-region", 0);
	if (!mem)
		return dev_err_probe(dev, -EINVAL, "no memory-region\n");
	rmem = of_reserved_mem_lookup(mem);
	of_node_put(mem);
	if (!rmem)
		return dev_err_probe(dev, -EINVAL,
				     "memory-region is not reserved memory\n");
	cfg->phys = rmem->base;
	cfg->size = rmem->size;
	return 0;
}

/*
 * A device-tree node, or a device that a remoteproc driver registered for
 * its memory (a MEM resource and the same properties, as a software node).
 */
static int vpe_fw_config(struct platform_device *pdev,
			 struct vpe_window_config *cfg)
{
	struct device *dev = &pdev->dev;
	u64 da;
	u32 val;
	int ret;

	ret = vpe_fw_memory(pdev, cfg);
	if (ret)
		return ret;
	cfg->dev_base = cfg->phys;
	if (!device_property_read_u64(dev, "vpe-compat,device-address", &da))
		cfg->dev_base = da;
	else if (!device_property_read_u32(dev, "vpe-compat,device-address",
					   &val))
		cfg->dev_base = val;
	if (!device_property_read_u32(dev, "vpe-compat,mt-tc", &val))
		cfg->kick.mt_tc = val;
	if (!device_property_read_u32(dev, "vpe-compat,gic-kick", &val))
		cfg->kick.gic_irq = val;

	ret = platform_get_irq_optional(pdev, 0);
	if (ret < 0 && ret != -ENXIO)
		return ret;
	if (ret > 0)
		cfg->irq = ret;
	return 0;
}

static void vpe_destroy_action(void *win)
{
	vpe_window_destroy(win);
}

static int vpe_compat_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	const struct vpe_window_config *pdata = dev_get_platdata(dev);
	struct vpe_window_config cfg = {
		.irq = -1,
		.kick = { .mt_tc = -1, .gic_irq = -1 },
	};
	struct vpe_window *win;
	int ret;

	if (pdata) {
		cfg = *pdata;
	} else {
		ret = vpe_fw_config(pdev, &cfg);
		if (ret)
			return ret;
	}
	cfg.dev = dev;

	win = vpe_window_create(&cfg);
	if (IS_ERR(win))
		return PTR_ERR(win);
	platform_set_drvdata(pdev, win);
	/* Removed with its device: no .remove (its type changed in 6.11). */
	return devm_add_action_or_reset(dev, vpe_destroy_action, win);
}

static const struct of_device_id vpe_of_match[] = {
	{ .compatible = "vpe-compat,window" },
	{ }
};
MODULE_DEVICE_TABLE(of, vpe_of_match);

static struct platform_driver vpe_driver = {
	.probe = vpe_compat_probe,
	.driver = {
		.name = VPE_DRIVER_NAME,
		.of_match_table = vpe_of_match,
	},
};

static struct platform_device *vpe_add_window(const struct vpe_window_config *cfg)
{
	struct platform_device *pdev;

	pdev = platform_device_register_data(NULL, VPE_DRIVER_NAME,
					     PLATFORM_DEVID_AUTO, cfg,
					     sizeof(*cfg));
	if (IS_ERR(pdev))
		return pdev;
	/* Report a window that could not be made, as a DT probe cannot. */
	if (!platform_get_drvdata(pdev)) {
		platform_device_unregister(pdev);
		return ERR_PTR(-ENODEV);
	}
	return pdev;
}

static void vpe_remove_windows(void)
{
	if (!IS_ERR_OR_NULL(vpe_test_pdev))
		platform_device_unregister(vpe_test_pdev);
	if (!IS_ERR_OR_NULL(vpe_param_pdev))
		platform_device_unregister(vpe_param_pdev);
	vpe_test_pdev = NULL;
	vpe_param_pdev = NULL;
}

static int __init vpe_add_param_windows(void)
{
	struct vpe_window_config cfg = {
		.irq = vpe_irq,
		.irq_shared = vpe_irq_shared,
		.kick = { .mt_tc = vpe_mt_tc, .gic_irq = vpe_gic_kick,
			  .gic_phys = vpe_gic_base },
	};

	if (!vpe_phys_size && (vpe_phys_base || vpe_irq >= 0 ||
			       vpe_mt_tc >= 0 || vpe_gic_kick >= 0)) {
		pr_err("phys_base, irq, mt_tc and gic_kick need phys_size\n");
		return -EINVAL;
	}
	if (vpe_test_size > VPE_TEST_SIZE_MAX) {
		pr_err("test_size %lu is over %lu\n", vpe_test_size,
		       VPE_TEST_SIZE_MAX);
		return -EINVAL;
	}

	if (vpe_phys_size) {
		cfg.phys = vpe_phys_base;
		cfg.size = vpe_phys_size;
		cfg.dev_base = vpe_dev_base ? vpe_dev_base : vpe_phys_base;
		vpe_param_pdev = vpe_add_window(&cfg);
		if (IS_ERR(vpe_param_pdev))
			return PTR_ERR(vpe_param_pdev);
	}

	if (vpe_test_size) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.test = true;
		cfg.size = PAGE_ALIGN(vpe_test_size);
		cfg.irq = -1;
		cfg.kick.mt_tc = -1;
		cfg.kick.gic_irq = -1;
		vpe_test_pdev = vpe_add_window(&cfg);
		if (IS_ERR(vpe_test_pdev))
			return PTR_ERR(vpe_test_pdev);
	}
	return 0;
}

static int __init vpe_compat_init(void)
{
	int ret;

	ret = platform_driver_register(&vpe_driver);
	if (ret)
		return ret;

	ret = vpe_add_param_windows();
	if (ret) {
		vpe_remove_windows();
		platform_driver_unregister(&vpe_driver);
	}
	return ret;
}
module_init(vpe_compat_init);

static void __exit vpe_compat_exit(void)
{
	vpe_remove_windows();
	platform_driver_unregister(&vpe_driver);
}
module_exit(vpe_compat_exit);

MODULE_DESCRIPTION("Remote processor memory window and doorbells for VPE-loader compatibility");
MODULE_LICENSE("GPL");
