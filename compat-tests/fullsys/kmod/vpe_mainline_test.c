// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_mainline_test: the mainline in-kernel VPE API (vpe_alloc, vpe_start,
 * vpe_stop, vpe_free, vpe_get_shared, vpe_notify) against vpe_legacy.ko.
 *
 * mode=sequence  the raw fixture at addr (KSEG1): alloc, notifiers, start,
 *                the refusals, stop, free; init fails unless all pass
 * mode=shared    a legacy ELF image runs (loaded through /dev/vpe1):
 *                vpe_get_shared() gives its vpe_shared word, which points
 *                at its RTLX structure
 * mode=leak      register a notifier and never take it back: unloading
 *                must not leave vpe_legacy calling into freed text
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/device.h>
#include <linux/firmware.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/string.h>

#include <asm/addrspace.h>

#include "ktap.h"
#include "rawtest.h"

static char *mode = "sequence";
module_param(mode, charp, 0444);
static char *fw = "vpe-raw.bin";
module_param(fw, charp, 0444);
static uint addr;
module_param(addr, uint, 0444);
MODULE_PARM_DESC(addr, "KSEG1 address to copy the raw image to and start");

#define RTLX_ID		0x12345602	/* rtlx_info.id (docs/legacy-abi.md) */

static u32 *mbox(unsigned int off)
{
	return (u32 *)((unsigned long)addr + off);
}

static int load(struct ktap *t)
{
	const struct firmware *image;
	struct device *dev;
	int ret;

	dev = root_device_register(KBUILD_MODNAME);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	ret = request_firmware(&image, fw, dev);
	if (ktap_ok(t, !ret, "the raw image %s is there", fw)) {
		memcpy((void *)(unsigned long)addr, image->data, image->size);
		release_firmware(image);
	}
	root_device_unregister(dev);
	return ret;
}

static void sequence(struct ktap *t)
{
	void *vpe;
	u32 beat;

	if (!ktap_ok(t, addr >= CKSEG1 && addr < CKSEG2, "addr %#x is KSEG1", addr))
		return;
	vpe = vpe_alloc();
	if (!ktap_ok(t, vpe, "vpe_alloc"))
		return;
	ktap_ok(t, !vpe_alloc(), "a second vpe_alloc gets nothing");
	ktap_ok(t, vpe_notify(1, &notes) == 0, "vpe_notify");
	if (load(t))
		goto free;

	*mbox(RAW_MB_MAGIC) = 0;
	ktap_ok(t, vpe_start(vpe, addr) == 0, "vpe_start at %#x", addr);
	ktap_ok(t, raw_ready(addr), "the program is ready");
	ktap_ok(t, starts == 1, "start(1) seen");
	ktap_ok(t, vpe_start(vpe, addr) == -ENOEXEC,
		"a second vpe_start: -ENOEXEC");
	ktap_ok(t, !vpe_get_shared(1), "vpe_get_shared: nothing (a raw program)");
	ktap_ok(t, vpe_stop(vpe) == 0, "vpe_stop");
	beat = *mbox(RAW_MB_BEAT);
	msleep(200);
	ktap_ok(t, *mbox(RAW_MB_BEAT) == beat, "stopped: no heartbeat");
	ktap_ok(t, stops == 0, "vpe_stop tells no notifier");

	*mbox(RAW_MB_MAGIC) = 0;
	ktap_ok(t, vpe_start(vpe, addr) == 0 && raw_ready(addr),
		"vpe_start after vpe_stop");
	ktap_ok(t, vpe_start(vpe, 0x1000) == -ENOEXEC,
		"vpe_start while it runs, anywhere: -ENOEXEC");
free:
	ktap_ok(t, vpe_free(vpe) == 0, "vpe_free");
	ktap_ok(t, vpe_start(vpe, addr) == -EINVAL, "a freed handle: -EINVAL");
	ktap_ok(t, starts == 2 && stops == 0, "start(1) twice, stop(1) never");
	ktap_ok(t, vpe_notify_remove(1, &notes) == 0, "vpe_notify_remove");
	vpe = vpe_alloc();
	ktap_ok(t, vpe && vpe_start(vpe, 0x1000) == -ERANGE,
		"allocated again; an address outside the region: -ERANGE");
	if (vpe)
		vpe_free(vpe);
}

static void shared(struct ktap *t)
{
	u32 **word = vpe_get_shared(1);

	if (!ktap_ok(t, word, "vpe_get_shared: the image's vpe_shared word"))
		return;
	ktap_ok(t, (unsigned long)*word >= CKSEG0 &&
		(unsigned long)*word < CKSEG2 && **word == RTLX_ID,
		"it points at the RTLX structure (%p)", *word);
}

static int __init vpe_mainline_test_init(void)
{
	struct ktap t = { };

	if (!strcmp(mode, "sequence"))
		sequence(&t);
	else if (!strcmp(mode, "shared"))
		shared(&t);
	else if (!strcmp(mode, "leak"))
		ktap_ok(&t, vpe_notify(1, &notes) == 0, "a notifier left behind");
	else
		ktap_ok(&t, false, "mode=%s: sequence, shared or leak", mode);
	return ktap_done(&t);
}
module_init(vpe_mainline_test_init);

static void __exit vpe_mainline_test_exit(void)
{
}
module_exit(vpe_mainline_test_exit);

MODULE_DESCRIPTION("The mainline in-kernel VPE API, as a test");
MODULE_LICENSE("GPL");
