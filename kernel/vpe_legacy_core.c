// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_legacy: the legacy in-kernel VPE API on vpe_rproc.ko, for drivers
 * that still call it (Lantiq voice: ltq-vmmc) on a kernel without the
 * legacy loader.
 *
 * This file keeps what the loader kept: one VPE record (taken by
 * vpe_alloc()), whether the program on the VPE is one this API started,
 * and the notifiers.  The API files translate each legacy call into these.
 *
 * Arbitration: every program runs through vpe_rproc, which runs one at a
 * time.  A start here fails while remoteproc runs a program loaded through
 * sysfs or /dev/vpe1, and those fail while a program started here runs;
 * the stops here stop only a program started here.
 *
 * Notifiers are told of every start and stop of the VPE, whoever made it,
 * as the loader told them of /dev/vpe1 loads and kills: start(1) once a
 * program runs, stop(1) before one is stopped through remoteproc (sysfs
 * "stop", a new image on /dev/vpe1), never by the API's own stops
 * (vpe_stop(), vpe_free(), vpe1_sw_stop()), which never told them.
 *
 * Locking: vpe_legacy_lock serialises the API and is held across calls into
 * vpe_rproc, which take the remoteproc core's lock.  The notifier list has
 * its own lock, taken inside the core's (vpe_legacy_event() runs there), so
 * a notifier callback must not call this API.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <linux/sched.h>

#include "vpe_legacy.h"
#include "vpe_legacy_core.h"
#include "vpe_rproc_api.h"

static DEFINE_MUTEX(vpe_legacy_lock);
static bool vpe_legacy_allocated;	/* vpe_alloc() without vpe_free() */
static bool vpe_legacy_ours;		/* the program on the VPE is ours */
static struct task_struct *vpe_legacy_quiet;	/* stopping, no notifiers */

static DEFINE_MUTEX(vpe_legacy_notify_lock);
static LIST_HEAD(vpe_legacy_notifiers);

static struct vpe_rproc *vpe_legacy_get(void)
{
	struct vpe_rproc *vr = vpe_rproc_get();

	if (!vr)
		pr_err("no VPE remote processor: load vpe_rproc with the memory kept for the remote\n");
	return vr;
}

/**
 * vpe_legacy_start() - start a program already in the region
 * @pc: KSEG0 or KSEG1 address to start at
 *
 * As the loader, a program this API started must be stopped first (the
 * loader found its TC active and failed, having paused the program; here
 * it keeps running).
 *
 * Return: 0, -ENODEV (no remote processor), -ENOEXEC (ours is still on the
 * VPE), -EBUSY (remoteproc runs another program), -ERANGE (@pc outside the
 * region), or what starting it returned.
 */
int vpe_legacy_start(u32 pc)
{
	struct vpe_rproc *vr = vpe_legacy_get();
	int ret;

	if (!vr)
		return -ENODEV;
	mutex_lock(&vpe_legacy_lock);
	if (READ_ONCE(vpe_legacy_ours) && vpe_rproc_busy(vr)) {
		pr_err("VPE 1 is already active: stop it first (vpe1_sw_stop(), vpe_stop())\n");
		ret = -ENOEXEC;
	} else {
		ret = vpe_rproc_run(vr, pc);
		if (!ret)
			WRITE_ONCE(vpe_legacy_ours, true);
	}
	mutex_unlock(&vpe_legacy_lock);
	vpe_rproc_put(vr);
	return ret;
}

/* Stop the program this API started, telling no notifier; 0 if none. */
int vpe_legacy_stop(void)
{
	struct vpe_rproc *vr = vpe_rproc_get();
	int ret = 0;

	if (!vr)
		return 0;
	mutex_lock(&vpe_legacy_lock);
	if (READ_ONCE(vpe_legacy_ours)) {
		WRITE_ONCE(vpe_legacy_quiet, current);
		ret = vpe_rproc_halt(vr);
		WRITE_ONCE(vpe_legacy_quiet, NULL);
		if (!ret)
			WRITE_ONCE(vpe_legacy_ours, false);
	}
	mutex_unlock(&vpe_legacy_lock);
	vpe_rproc_put(vr);
	return ret;
}

/* vpe_alloc(): the one record, if there is a VPE and nobody holds it. */
bool vpe_legacy_take(void)
{
	struct vpe_rproc *vr = vpe_legacy_get();
	bool taken = false;

	if (!vr)
		return false;
	mutex_lock(&vpe_legacy_lock);
	if (vpe_legacy_allocated) {
		pr_err("vpe_alloc: VPE 1 is allocated already; vpe_free() it first\n");
	} else {
		vpe_legacy_allocated = true;
		taken = true;
	}
	mutex_unlock(&vpe_legacy_lock);
	vpe_rproc_put(vr);
	return taken;
}

void vpe_legacy_release(void)
{
	mutex_lock(&vpe_legacy_lock);
	vpe_legacy_allocated = false;
	mutex_unlock(&vpe_legacy_lock);
}

bool vpe_legacy_taken(void)
{
	bool taken;

	mutex_lock(&vpe_legacy_lock);
	taken = vpe_legacy_allocated;
	mutex_unlock(&vpe_legacy_lock);
	return taken;
}

void *vpe_legacy_shared(void)
{
	struct vpe_rproc *vr = vpe_rproc_get();
	void *shared;

	if (!vr)
		return NULL;
	shared = vpe_rproc_shared(vr);
	vpe_rproc_put(vr);
	return shared;
}

int vpe_legacy_region(phys_addr_t *base, size_t *size)
{
	struct vpe_rproc *vr = vpe_rproc_get();

	if (!vr)
		return -ENODEV;
	vpe_rproc_memory(vr, base, size);
	vpe_rproc_put(vr);
	return 0;
}

/* As the loader: the newest first, and no VPE, no notifier. */
int vpe_legacy_notify_add(struct vpe_notifications *n)
{
	struct vpe_rproc *vr = vpe_legacy_get();

	if (!vr)
		return -ENODEV;
	vpe_rproc_put(vr);
	mutex_lock(&vpe_legacy_notify_lock);
	list_add(&n->list, &vpe_legacy_notifiers);
	mutex_unlock(&vpe_legacy_notify_lock);
	return 0;
}

int vpe_legacy_notify_remove(struct vpe_notifications *n)
{
	struct vpe_notifications *it;
	int ret = -ENOENT;

	mutex_lock(&vpe_legacy_notify_lock);
	list_for_each_entry(it, &vpe_legacy_notifiers, list) {
		if (it == n) {
			list_del(&n->list);
			ret = 0;
			break;
		}
	}
	mutex_unlock(&vpe_legacy_notify_lock);
	return ret;
}

static void vpe_legacy_tell(unsigned long event)
{
	struct vpe_notifications *n;

	mutex_lock(&vpe_legacy_notify_lock);
	list_for_each_entry(n, &vpe_legacy_notifiers, list) {
		if (event == VPE_RPROC_STARTED && n->start)
			n->start(VPE_LEGACY_VPE);
		else if (event == VPE_RPROC_STOPPING && n->stop)
			n->stop(VPE_LEGACY_VPE);
	}
	mutex_unlock(&vpe_legacy_notify_lock);
}

static int vpe_legacy_event(struct notifier_block *nb, unsigned long event,
			    void *data)
{
	if (event == VPE_RPROC_STOPPING) {
		if (READ_ONCE(vpe_legacy_quiet) == current)
			return NOTIFY_OK;
		/* As the loader's open of /dev/vpe1 and its sysfs "kill". */
		if (READ_ONCE(vpe_legacy_ours))
			pr_info("the program started through the legacy VPE API is stopped through remoteproc (sysfs, /dev/vpe1)\n");
		WRITE_ONCE(vpe_legacy_ours, false);
	}
	vpe_legacy_tell(event);
	return NOTIFY_OK;
}

static struct notifier_block vpe_legacy_rproc_nb = {
	.notifier_call = vpe_legacy_event,
};

static bool vpe_legacy_in(const void *p, const struct module *mod)
{
	return within_module((unsigned long)p, mod);
}

/*
 * Mainline has no way to take a notifier back, so a module that registered
 * one and was unloaded left it dangling.  Drop such entries as the module
 * goes, before anything calls into its freed text.
 */
static int vpe_legacy_module_going(struct notifier_block *nb,
				   unsigned long action, void *data)
{
	struct vpe_notifications *n, *tmp;
	struct module *mod = data;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&vpe_legacy_notify_lock);
	list_for_each_entry_safe(n, tmp, &vpe_legacy_notifiers, list) {
		if (vpe_legacy_in(n, mod) || vpe_legacy_in(n->start, mod) ||
		    vpe_legacy_in(n->stop, mod)) {
			list_del(&n->list);
			pr_warn("%s left a VPE notifier registered (no vpe_notify_remove()); dropped\n",
				mod->name);
		}
	}
	mutex_unlock(&vpe_legacy_notify_lock);
	vpe_legacy_wdog_forget(mod);
	return NOTIFY_OK;
}

static struct notifier_block vpe_legacy_module_nb = {
	.notifier_call = vpe_legacy_module_going,
};

static int __init vpe_legacy_init(void)
{
	int ret;

	ret = register_module_notifier(&vpe_legacy_module_nb);
	if (ret)
		return ret;
	ret = vpe_rproc_register_notifier(&vpe_legacy_rproc_nb);
	if (ret)
		unregister_module_notifier(&vpe_legacy_module_nb);
	return ret;
}
module_init(vpe_legacy_init);

static void __exit vpe_legacy_exit(void)
{
	vpe_legacy_wdog_exit();
	/* Its callers are gone (they needed this module): so is its reason. */
	if (READ_ONCE(vpe_legacy_ours)) {
		pr_info("stopping the program the legacy VPE API started\n");
		vpe_legacy_stop();
	}
	vpe_rproc_unregister_notifier(&vpe_legacy_rproc_nb);
	unregister_module_notifier(&vpe_legacy_module_nb);
}
module_exit(vpe_legacy_exit);

MODULE_DESCRIPTION("The legacy in-kernel MIPS VPE API (mainline and Lantiq) on vpe_rproc");
MODULE_LICENSE("GPL");
