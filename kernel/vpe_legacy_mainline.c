// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_legacy: the mainline API (arch/mips/kernel/vpe.c and vpe-mt.c,
 * exported up to today, declared in <asm/vpe.h> from 6.17).
 *
 * As the loader: one VPE whatever the index, notifiers prepended, start(1)
 * after a start, vpe_get_shared() the address of the vpe_shared word of an
 * image loaded as ELF (through /dev/vpe1 or sysfs here), a second
 * vpe_start() without a stop -ENOEXEC.  Unlike it:
 *  - where there is no VPE, every call fails instead of dereferencing NULL;
 *  - vpe_alloc() gives the record to one holder at a time (NULL to a second
 *    caller: the loader handed the same record out twice);
 *  - vpe_stop() stops the program (the loader only cleared VPEConf0.VPA,
 *    pausing it for good: it could not be started again before vpe_free());
 *  - vpe_notify_remove() takes a notifier back.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/printk.h>

#include "vpe_legacy.h"
#include "vpe_legacy_core.h"

/* The handle vpe_alloc() gives: only its address matters. */
static int vpe_legacy_record;

static bool vpe_legacy_handle_ok(void *vpe, const char *fn)
{
	if (vpe == &vpe_legacy_record && vpe_legacy_taken())
		return true;
	pr_err("%s: %p is not a VPE from vpe_alloc()\n", fn, vpe);
	return false;
}

void *vpe_alloc(void)
{
	return vpe_legacy_take() ? &vpe_legacy_record : NULL;
}
EXPORT_SYMBOL(vpe_alloc);

int vpe_start(void *vpe, unsigned long start)
{
	if (!vpe_legacy_handle_ok(vpe, __func__))
		return -EINVAL;
	if (start > U32_MAX)
		return -ERANGE;
	return vpe_legacy_start(start);
}
EXPORT_SYMBOL(vpe_start);

int vpe_stop(void *vpe)
{
	if (!vpe_legacy_handle_ok(vpe, __func__))
		return -EINVAL;
	return vpe_legacy_stop();
}
EXPORT_SYMBOL(vpe_stop);

int vpe_free(void *vpe)
{
	int ret;

	if (!vpe_legacy_handle_ok(vpe, __func__))
		return -EINVAL;
	ret = vpe_legacy_stop();
	if (!ret)
		vpe_legacy_release();
	return ret;
}
EXPORT_SYMBOL(vpe_free);

void *vpe_get_shared(int index)
{
	return vpe_legacy_shared();
}
EXPORT_SYMBOL(vpe_get_shared);

int vpe_notify(int index, struct vpe_notifications *notify)
{
	return vpe_legacy_notify_add(notify) ? -1 : 0;
}
EXPORT_SYMBOL(vpe_notify);

int vpe_notify_remove(int index, struct vpe_notifications *notify)
{
	return vpe_legacy_notify_remove(notify);
}
EXPORT_SYMBOL(vpe_notify_remove);
