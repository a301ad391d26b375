/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both test modules do the same way: count what their
 * notifier is told (module parameters the guest script reads), and wait
 * for the raw fixture (compat-tests/firmware/raw.S) to say it is ready.
 * Included once, by each module's single source file.
 */
#ifndef RAWTEST_H
#define RAWTEST_H

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>

#include "raw.h"
#include "vpe_legacy.h"

#define READY_MS	3000	/* drv_vmmc's wait for "download done" */

static uint starts, stops;
module_param(starts, uint, 0444);
MODULE_PARM_DESC(starts, "start(1) calls seen");
module_param(stops, uint, 0444);
MODULE_PARM_DESC(stops, "stop(1) calls seen");

static void seen_start(int vpe)
{
	if (vpe == 1)
		starts++;
}

static void seen_stop(int vpe)
{
	if (vpe == 1)
		stops++;
}

static struct vpe_notifications notes = {
	.start = seen_start,
	.stop = seen_stop,
};

/* The fixture at KSEG1 @base wrote RAW_READY within READY_MS. */
static bool raw_ready(unsigned long base)
{
	u32 *magic = (u32 *)(base + RAW_MB_MAGIC);
	unsigned long end = jiffies + msecs_to_jiffies(READY_MS);

	while (READ_ONCE(*magic) != RAW_READY) {
		if (time_after(jiffies, end))
			return false;
		msleep(20);
	}
	return true;
}

#endif /* RAWTEST_H */
