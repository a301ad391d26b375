// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_rproc: programs started by other kernel code (vpe_rproc_api.h).
 *
 * The legacy VPE API starts a program its caller copied into the region
 * itself, at an address of its choosing.  Nothing is left for the
 * remoteproc core to load, so such a program goes through the core's path
 * for a remote started by someone else: the instance is marked detached,
 * rproc_boot() attaches to it and our .attach op starts the TC.  The core
 * then knows the VPE is taken, as for any program: it refuses a firmware
 * name while the program runs, and a crash or "stop" goes the usual way.
 */

#include <linux/device.h>
#include <linux/export.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/remoteproc.h>
#include <linux/workqueue.h>

#include "vpe_rproc.h"
#include "vpe_rproc_api.h"

static LIST_HEAD(vpe_rproc_list);
static DEFINE_MUTEX(vpe_rproc_list_lock);
static BLOCKING_NOTIFIER_HEAD(vpe_rproc_chain);

static void vpe_rproc_api_remove(void *data)
{
	struct vpe_rproc *vr = data;

	mutex_lock(&vpe_rproc_list_lock);
	list_del(&vr->node);
	mutex_unlock(&vpe_rproc_list_lock);
}

/* Called by the probe once the instance is registered. */
int vpe_rproc_api_add(struct vpe_rproc *vr)
{
	mutex_lock(&vpe_rproc_list_lock);
	list_add_tail(&vr->node, &vpe_rproc_list);
	mutex_unlock(&vpe_rproc_list_lock);
	return devm_add_action_or_reset(vr->dev, vpe_rproc_api_remove, vr);
}

void vpe_rproc_api_event(struct vpe_rproc *vr, unsigned long event)
{
	blocking_notifier_call_chain(&vpe_rproc_chain, event, vr);
}

struct vpe_rproc *vpe_rproc_get(void)
{
	struct vpe_rproc *vr;

	mutex_lock(&vpe_rproc_list_lock);
	vr = list_first_entry_or_null(&vpe_rproc_list, struct vpe_rproc, node);
	/* The rproc holds vr: it outlives an unbind while referenced. */
	if (vr)
		get_device(&vr->rproc->dev);
	mutex_unlock(&vpe_rproc_list_lock);
	return vr;
}
EXPORT_SYMBOL_GPL(vpe_rproc_get);

void vpe_rproc_put(struct vpe_rproc *vr)
{
	if (vr)
		put_device(&vr->rproc->dev);
}
EXPORT_SYMBOL_GPL(vpe_rproc_put);

void vpe_rproc_memory(struct vpe_rproc *vr, phys_addr_t *base, size_t *size)
{
	*base = vr->region.base;
	*size = vr->region.size;
}
EXPORT_SYMBOL_GPL(vpe_rproc_memory);

static const char *vpe_rproc_state_name(enum rproc_state state)
{
	switch (state) {
	case RPROC_RUNNING:
		return "a program loaded through remoteproc (sysfs or /dev/vpe1) runs";
	case RPROC_ATTACHED:
		return "a program started through the legacy VPE API runs";
	case RPROC_CRASHED:
		return "a crashed program waits to be stopped";
	default:
		return "a program is being started or stopped";
	}
}

int vpe_rproc_run(struct vpe_rproc *vr, u32 pc)
{
	struct rproc *rproc = vr->rproc;
	size_t off;
	int ret;

	if (pc < VPE_KSEG0 || pc >= VPE_KSEG2 ||
	    !vpe_region_lookup(&vr->region, pc, 4, &off)) {
		dev_err(&rproc->dev, "start address %#x: not a KSEG0 or KSEG1 address in the memory kept for the remote (%pa+%#zx)\n",
			pc, &vr->region.base, vr->region.size);
		return -ERANGE;
	}

	mutex_lock(&rproc->lock);
	if (rproc->state != RPROC_OFFLINE) {
		dev_err(&rproc->dev, "cannot start a program at %#x: %s; stop it first\n",
			pc, vpe_rproc_state_name(rproc->state));
		mutex_unlock(&rproc->lock);
		return -EBUSY;
	}
	vr->attach_pc = pc;
	rproc->state = RPROC_DETACHED;
	mutex_unlock(&rproc->lock);

	ret = rproc_boot(rproc);
	if (ret) {
		/* Not attached: the next boot loads firmware again. */
		mutex_lock(&rproc->lock);
		if (rproc->state == RPROC_DETACHED)
			rproc->state = RPROC_OFFLINE;
		mutex_unlock(&rproc->lock);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(vpe_rproc_run);

bool vpe_rproc_busy(struct vpe_rproc *vr)
{
	return READ_ONCE(vr->rproc->state) != RPROC_OFFLINE;
}
EXPORT_SYMBOL_GPL(vpe_rproc_busy);

/*
 * rproc_shutdown() only drops one power reference, and "echo start" on a
 * running instance takes one more without a word: drop them all.
 */
#define VPE_HALT_TRIES	16

int vpe_rproc_halt(struct vpe_rproc *vr)
{
	struct rproc *rproc = vr->rproc;
	enum rproc_state state;
	int i, ret;

	for (i = 0; i < VPE_HALT_TRIES; i++) {
		mutex_lock(&rproc->lock);
		state = rproc->state;
		mutex_unlock(&rproc->lock);
		if (state == RPROC_OFFLINE)
			return 0;
		if (state == RPROC_DETACHED)
			return -EBUSY;	/* another caller is starting it */
		ret = rproc_shutdown(rproc);
		if (ret)
			return ret;
	}
	dev_err(&rproc->dev, "still running after %d stops\n", VPE_HALT_TRIES);
	return -EBUSY;
}
EXPORT_SYMBOL_GPL(vpe_rproc_halt);

void *vpe_rproc_shared(struct vpe_rproc *vr)
{
	return READ_ONCE(vr->shared);
}
EXPORT_SYMBOL_GPL(vpe_rproc_shared);

void vpe_rproc_report_crash(struct vpe_rproc *vr)
{
	rproc_report_crash(vr->rproc, RPROC_WATCHDOG);
	/* Marked on return: a restart right after is not taken for dead. */
	flush_work(&vr->rproc->crash_handler);
}
EXPORT_SYMBOL_GPL(vpe_rproc_report_crash);

int vpe_rproc_register_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&vpe_rproc_chain, nb);
}
EXPORT_SYMBOL_GPL(vpe_rproc_register_notifier);

int vpe_rproc_unregister_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&vpe_rproc_chain, nb);
}
EXPORT_SYMBOL_GPL(vpe_rproc_unregister_notifier);
