// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_rproc: the legacy loader's sysfs files, /sys/class/vpe/vpe1/kill and
 * /sys/class/vpe/vpe1/ntcs, for the scripts that still write them.
 *
 * The legacy loader (arch/mips/kernel/vpe.c and vpe-mt.c) registered a
 * class "vpe" with one device "vpe1":
 *   kill  (0200) any write stops the program; it always succeeded.
 *   ntcs  (0644) "%d\n", the $a2 of the next start, the TCs the program
 *         may use; a write takes a number in any base kstrtoul() reads,
 *         from 1 to the TCs Linux does not use, else -EINVAL (-ERANGE past
 *         an unsigned long).
 * Here kill stops whatever runs on the VPE, through remoteproc (as "echo
 * stop" to its state would), and fails only when the stop does. The
 * device has no dev_t: /dev/vpe1 is fuse-vpe's.
 *
 * A kernel built with that loader has the class already: it is left to it.
 */

#define pr_fmt(fmt) "vpe-rproc: " fmt

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/remoteproc.h>

#include "vpe_rproc.h"

static ssize_t kill_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct vpe_rproc *vr = dev_get_drvdata(dev);
	int ret = vpe_rproc_halt(vr);

	return ret ? ret : count;
}
static DEVICE_ATTR_WO(kill);

static ssize_t ntcs_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct vpe_rproc *vr = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(vr->ntcs));
}

static ssize_t ntcs_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct vpe_rproc *vr = dev_get_drvdata(dev);
	unsigned long val;
	int ret;

	ret = kstrtoul(buf, 0, &val);
	if (ret)
		return ret;
	if (!val || val > vr->mt.ntcs)
		return -EINVAL;
	WRITE_ONCE(vr->ntcs, val);
	return count;
}
static DEVICE_ATTR_RW(ntcs);

static struct attribute *vpe_class_attrs[] = {
	&dev_attr_kill.attr,
	&dev_attr_ntcs.attr,
	NULL
};
ATTRIBUTE_GROUPS(vpe_class);

static struct class vpe_class = {
	.name = "vpe",
	.dev_groups = vpe_class_groups,
};

static bool vpe_class_registered;

int vpe_rproc_class_init(void)
{
	int ret;

	if (IS_ENABLED(CONFIG_MIPS_VPE_LOADER)) {
		pr_info("/sys/class/vpe belongs to this kernel's legacy VPE loader (CONFIG_MIPS_VPE_LOADER): its kill and ntcs are not added\n");
		return 0;
	}
	ret = class_register(&vpe_class);
	if (ret) {
		pr_warn("cannot register the class \"vpe\" (%d): no /sys/class/vpe/vpe1/kill or ntcs\n",
			ret);
		return 0;	/* the remote processor works without them */
	}
	vpe_class_registered = true;
	return 0;
}

void vpe_rproc_class_exit(void)
{
	if (vpe_class_registered)
		class_unregister(&vpe_class);
}

static void vpe_rproc_class_remove(void *data)
{
	device_unregister(data);
}

/* /sys/class/vpe/vpe1 for the instance, if the class is ours to fill. */
int vpe_rproc_class_add(struct vpe_rproc *vr)
{
	struct device *dev;

	if (!vpe_class_registered)
		return 0;
	dev = device_create(&vpe_class, vr->dev, MKDEV(0, 0), vr, "vpe%u",
			    vr->mt.vpe);
	if (IS_ERR(dev)) {
		dev_warn(vr->dev, "no /sys/class/vpe/vpe%u (%ld): another instance has it\n",
			 vr->mt.vpe, PTR_ERR(dev));
		return 0;
	}
	return devm_add_action_or_reset(vr->dev, vpe_rproc_class_remove, dev);
}
