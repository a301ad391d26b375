// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_legacy: the software watchdog of the Lantiq vendor kernels, which
 * their voice driver armed over the firmware's heartbeat: the firmware
 * counts in a word (vpe1_wdog_ctr, e.g. in the MPS SRAM), and a counter
 * that has not moved in vpe1_wdog_timeout jiffies means a dead firmware.
 *
 * As there: vpe1_sw_wdog_start() zeroes the word and looks at it every
 * period; the first look that finds it unchanged stops looking and calls
 * the registered handler once, with the number of good looks before.  Here
 * the remote processor is also reported crashed first (remoteproc's crash
 * path: "crashed" in sysfs), so a handler that restarts the firmware finds
 * the instance stopped-for-a-reason rather than running.  The looks run in
 * a workqueue and the handler in its own work, where it may sleep, and may
 * stop or re-arm the watchdog.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "vpe_legacy.h"
#include "vpe_legacy_core.h"
#include "vpe_rproc_api.h"

/* The vendor driver writes both before vpe1_sw_wdog_start(). */
u32 vpe1_wdog_ctr;
EXPORT_SYMBOL(vpe1_wdog_ctr);
u32 vpe1_wdog_timeout;
EXPORT_SYMBOL(vpe1_wdog_timeout);

static DEFINE_MUTEX(vpe_wdog_lock);	/* start, stop, the mapping */
static void __iomem *vpe_wdog_word;
static unsigned long vpe_wdog_period;
static u32 vpe_wdog_last;
static u32 vpe_wdog_good;

static DEFINE_SPINLOCK(vpe_wdog_handler_lock);
static VPE_SW_WDOG_RESET vpe_wdog_handler;

static void vpe_wdog_fire(struct work_struct *work)
{
	struct vpe_rproc *vr = vpe_rproc_get();
	VPE_SW_WDOG_RESET handler;

	if (vr) {
		vpe_rproc_report_crash(vr);
		vpe_rproc_put(vr);
	}
	spin_lock(&vpe_wdog_handler_lock);
	handler = vpe_wdog_handler;
	spin_unlock(&vpe_wdog_handler_lock);
	if (handler)
		handler(READ_ONCE(vpe_wdog_good));
}

static DECLARE_WORK(vpe_wdog_fire_work, vpe_wdog_fire);

static void vpe_wdog_look(struct work_struct *work);
static DECLARE_DELAYED_WORK(vpe_wdog_look_work, vpe_wdog_look);

static void vpe_wdog_look(struct work_struct *work)
{
	u32 now = __raw_readl(vpe_wdog_word);

	if (now == vpe_wdog_last) {
		pr_err("VPE 1 watchdog: the counter at %#x stayed %u for %u ms; the firmware is taken for dead\n",
		       vpe1_wdog_ctr, now, jiffies_to_msecs(vpe_wdog_period));
		schedule_work(&vpe_wdog_fire_work);
		return;
	}
	vpe_wdog_last = now;
	WRITE_ONCE(vpe_wdog_good, vpe_wdog_good + 1);
	schedule_delayed_work(&vpe_wdog_look_work, vpe_wdog_period);
}

/* Not looking any more, and the word unmapped; under vpe_wdog_lock. */
static void vpe_wdog_disarm(void)
{
	cancel_delayed_work_sync(&vpe_wdog_look_work);
	if (vpe_wdog_word)
		iounmap(vpe_wdog_word);
	vpe_wdog_word = NULL;
}

uint32_t vpe1_sw_wdog_start(uint32_t flags)
{
	u32 addr = READ_ONCE(vpe1_wdog_ctr);
	u32 period = READ_ONCE(vpe1_wdog_timeout);

	if (addr < VPE_KSEG0 || addr >= VPE_KSEG2 || addr % 4 || !period) {
		pr_err("%s: vpe1_wdog_ctr %#x must be an aligned KSEG0 or KSEG1 address and vpe1_wdog_timeout (%u jiffies) more than 0\n",
		       __func__, addr, period);
		return -EINVAL;
	}

	mutex_lock(&vpe_wdog_lock);
	vpe_wdog_disarm();
	vpe_wdog_word = ioremap((addr - VPE_KSEG0) & (VPE_SEG_SIZE - 1), 4);
	if (!vpe_wdog_word) {
		mutex_unlock(&vpe_wdog_lock);
		return -ENOMEM;
	}
	__raw_writel(0, vpe_wdog_word);
	vpe_wdog_last = 0;
	vpe_wdog_good = 0;
	vpe_wdog_period = period;
	schedule_delayed_work(&vpe_wdog_look_work, period);
	mutex_unlock(&vpe_wdog_lock);
	return 0;
}
EXPORT_SYMBOL(vpe1_sw_wdog_start);

uint32_t vpe1_sw_wdog_stop(uint32_t flags)
{
	mutex_lock(&vpe_wdog_lock);
	vpe_wdog_disarm();
	mutex_unlock(&vpe_wdog_lock);
	return 0;
}
EXPORT_SYMBOL(vpe1_sw_wdog_stop);

int32_t vpe1_sw_wdog_register_reset_handler(VPE_SW_WDOG_RESET reset_fn)
{
	spin_lock(&vpe_wdog_handler_lock);
	vpe_wdog_handler = reset_fn;
	spin_unlock(&vpe_wdog_handler_lock);
	return 0;
}
EXPORT_SYMBOL(vpe1_sw_wdog_register_reset_handler);

/* A module that goes takes its handler with it. */
void vpe_legacy_wdog_forget(const struct module *mod)
{
	spin_lock(&vpe_wdog_handler_lock);
	if (vpe_wdog_handler &&
	    within_module((unsigned long)vpe_wdog_handler, mod)) {
		vpe_wdog_handler = NULL;
		pr_warn("%s left a VPE watchdog handler registered; dropped\n",
			mod->name);
	}
	spin_unlock(&vpe_wdog_handler_lock);
}

void vpe_legacy_wdog_exit(void)
{
	mutex_lock(&vpe_wdog_lock);
	vpe_wdog_disarm();
	mutex_unlock(&vpe_wdog_lock);
	cancel_work_sync(&vpe_wdog_fire_work);
}
