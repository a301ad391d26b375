// SPDX-License-Identifier: GPL-2.0
/*
 * ltq_vmmc_test: what OpenWrt's Lantiq voice driver (ltq-vmmc, drv_vmmc
 * 1.9.0) does with the VPE, step by step, against vpe_legacy.ko: size
 * check, load address, reset, raw copy to KSEG1 with plain stores, start
 * at that address, wait up to 3 s for "download done", the vendor
 * watchdog, restart without copying again, stop.  The firmware is the raw
 * fixture (compat-tests/firmware/raw.S), whose mailbox stands in for the
 * MPS "download done" interrupt.
 *
 * mode=sequence  all of it; init fails unless every check passes
 * mode=hold      start the firmware and keep it until rmmod (wdog=1: arm
 *                the watchdog and freeze the heartbeat, so it fires)
 * mode=busy      remoteproc runs another program: starts are refused,
 *                stops leave it alone
 * mode=absent    no remote processor: every call fails cleanly
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/device.h>
#include <linux/firmware.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <asm/addrspace.h>

#include "ktap.h"
#include "rawtest.h"

static char *mode = "sequence";
module_param(mode, charp, 0444);
static char *fw = "vpe-raw.bin";
module_param(fw, charp, 0444);
static uint expect_mem;
module_param(expect_mem, uint, 0444);
MODULE_PARM_DESC(expect_mem, "what vpe1_get_max_mem(0) must say");
static uint expect_a2;
module_param(expect_a2, uint, 0444);
MODULE_PARM_DESC(expect_a2, "the firmware's $a2 (the TCs it may use); 0: any but 0");
static uint expect_a3;
module_param(expect_a3, uint, 0444);
static bool wdog;
module_param(wdog, bool, 0444);

/* What the watchdog handler saw; read by the guest script. */
static uint fired;
module_param(fired, uint, 0444);

#define WDOG_MS		100	/* the period drv_vmmc clamps to 20..5000 ms */

static unsigned long fired_at;
static u32 load_addr;		/* KSEG0, from vpe1_get_load_addr() */

static int wdog_reset(uint32_t good_looks)
{
	fired_at = jiffies;
	WRITE_ONCE(fired, fired + 1);
	pr_info("watchdog handler: %u good looks before\n", good_looks);
	return 0;
}

static u32 *mbox(unsigned int off)
{
	return (u32 *)(CKSEG1ADDR(load_addr) + off);
}

static bool beat_moves(void)
{
	u32 before = READ_ONCE(*mbox(RAW_MB_BEAT));

	msleep(100);
	return READ_ONCE(*mbox(RAW_MB_BEAT)) != before;
}

/* drv_vmmc's first check, with the limit the kernel gives */
static int vmmc_fits(size_t size)
{
	u32 max = vpe1_get_max_mem(0);

	if (size > max) {
		pr_info("firmware memory exceeds reserved space (%zu > %u)!\n",
			size, max);
		return -EFBIG;
	}
	return 0;
}

static int load(struct device *dev, struct ktap *t)
{
	const struct firmware *image;
	int ret;

	ret = request_firmware(&image, fw, dev);
	if (!ktap_ok(t, !ret, "the raw image %s is there", fw))
		return ret;
	ktap_ok(t, !vmmc_fits(image->size), "%zu bytes fit", image->size);
	/* As drv_vmmc: straight to the uncached alias, no cache maintenance. */
	memcpy((void *)CKSEG1ADDR(load_addr), image->data, image->size);
	release_firmware(image);
	return 0;
}

static bool start(void)
{
	*mbox(RAW_MB_MAGIC) = 0;
	*mbox(RAW_MB_CMD) = RAW_CMD_RUN;
	return vpe1_sw_start((void *)CKSEG1ADDR(load_addr), 0, 0) == 0 &&
	       raw_ready(CKSEG1ADDR(load_addr));
}

static void check_place(struct ktap *t)
{
	u32 max = vpe1_get_max_mem(0);

	ktap_ok(t, max == expect_mem, "vpe1_get_max_mem(0) %#x (expected %#x)",
		max, expect_mem);
	ktap_ok(t, vmmc_fits((size_t)max + 1) == -EFBIG,
		"an image larger than the reserved space is refused");
	load_addr = vpe1_get_load_addr(0);
	ktap_ok(t, load_addr >= CKSEG0 && load_addr < CKSEG1 &&
		!(load_addr & (SZ_1M - 1)),
		"vpe1_get_load_addr(0) %#x: KSEG0, 1 MiB aligned", load_addr);
}

/* As drv_vmmc arms it: the heartbeat word, the period in ms made jiffies */
static void arm_watchdog(struct ktap *t)
{
	vpe1_wdog_ctr = CKSEG1ADDR(load_addr) + RAW_MB_BEAT;
	vpe1_wdog_timeout = WDOG_MS;
	vpe1_wdog_timeout = vpe1_wdog_timeout * HZ / 1000;
	vpe1_sw_wdog_register_reset_handler(wdog_reset);
	ktap_ok(t, vpe1_sw_wdog_start(0) == 0, "watchdog started");
}

static void check_watchdog(struct ktap *t)
{
	unsigned long frozen;

	arm_watchdog(t);
	msleep(5 * WDOG_MS);
	ktap_ok(t, READ_ONCE(fired) == 0, "quiet while the heartbeat moves");

	frozen = jiffies;
	*mbox(RAW_MB_CMD) = RAW_CMD_FREEZE;
	while (!READ_ONCE(fired) &&
	       time_before(jiffies, frozen + msecs_to_jiffies(READY_MS)))
		msleep(20);
	ktap_ok(t, READ_ONCE(fired) == 1,
		"a frozen heartbeat fires the handler (after %u ms)",
		jiffies_to_msecs(fired_at - frozen));
	/* Noticed at the first look that finds it still: within two periods. */
	ktap_ok(t, fired && time_before_eq(fired_at, frozen +
					   msecs_to_jiffies(2 * WDOG_MS + 1000)),
		"within two periods of %u ms", WDOG_MS);
	msleep(3 * WDOG_MS);
	ktap_ok(t, READ_ONCE(fired) == 1, "once");
	vpe1_sw_wdog_stop(0);
}

static bool a2_ok(void)
{
	u32 a2 = *mbox(RAW_MB_A2);

	return expect_a2 ? a2 == expect_a2 : a2 >= 1;
}

static void sequence(struct device *dev, struct ktap *t)
{
	u32 beat;

	check_place(t);
	ktap_ok(t, vpe1_sw_stop(0) == 0, "vpe1_sw_stop(0) with nothing running");
	ktap_ok(t, vpe_notify(1, &notes) == 0, "vpe_notify");
	if (load(dev, t))
		return;

	*mbox(RAW_MB_MAGIC) = 0;
	ktap_ok(t, vpe1_sw_start((void *)CKSEG1ADDR(load_addr), 1, 0) == -1,
		"a nonzero tcmask is refused");
	ktap_ok(t, vpe1_sw_start((void *)CKSEG1ADDR(load_addr), 0, 1) == -1,
		"nonzero flags are refused");
	msleep(200);
	ktap_ok(t, *mbox(RAW_MB_MAGIC) == 0, "and nothing started");

	ktap_ok(t, start(), "started at KSEG1 %#x, ready within %u ms",
		(u32)CKSEG1ADDR(load_addr), READY_MS);
	ktap_ok(t, a2_ok() && *mbox(RAW_MB_A3) == expect_a3,
		"$a2 %u (TCs), $a3 %#x", *mbox(RAW_MB_A2), *mbox(RAW_MB_A3));
	ktap_ok(t, *mbox(RAW_MB_BASE) == CKSEG1ADDR(load_addr),
		"the firmware runs from KSEG1");
	ktap_ok(t, beat_moves(), "its heartbeat moves");
	ktap_ok(t, starts == 1 && stops == 0, "notifiers: start(1) once");
	ktap_ok(t, vpe1_sw_start((void *)CKSEG1ADDR(load_addr), 0, 0) == -1,
		"a second start without a stop is refused");
	ktap_ok(t, beat_moves(), "and the firmware runs on");

	check_watchdog(t);

	ktap_ok(t, vpe1_sw_stop(0) == 0, "vpe1_sw_stop(0) after the watchdog");
	beat = *mbox(RAW_MB_BEAT);
	*mbox(RAW_MB_CMD) = RAW_CMD_RUN;
	msleep(200);
	ktap_ok(t, *mbox(RAW_MB_BEAT) == beat, "stopped: no heartbeat");
	ktap_ok(t, start(), "restarted without copying again (FIO_DEV_RESTART)");
	ktap_ok(t, beat_moves(), "its heartbeat moves");
	ktap_ok(t, vpe1_sw_stop(0) == 0, "vpe1_sw_stop(0)");
	ktap_ok(t, vpe1_sw_stop(0) == 0, "vpe1_sw_stop(0) again");
	ktap_ok(t, starts == 2 && stops == 0,
		"notifiers: start(1) twice, stop(1) never (%u, %u)", starts,
		stops);
	ktap_ok(t, vpe_notify_remove(1, &notes) == 0, "vpe_notify_remove");
}

static void hold(struct device *dev, struct ktap *t)
{
	check_place(t);
	ktap_ok(t, vpe_notify(1, &notes) == 0, "vpe_notify");
	if (load(dev, t))
		return;
	ktap_ok(t, start(), "started");
	if (expect_a2)
		ktap_ok(t, a2_ok(), "$a2 %u (TCs)", *mbox(RAW_MB_A2));
	if (wdog) {
		arm_watchdog(t);
		*mbox(RAW_MB_CMD) = RAW_CMD_FREEZE;
	}
}

static void busy(struct ktap *t)
{
	load_addr = vpe1_get_load_addr(0);
	ktap_ok(t, vpe1_sw_start((void *)CKSEG1ADDR(load_addr), 0, 0) == -1,
		"vpe1_sw_start refused while remoteproc runs a program");
	ktap_ok(t, vpe1_sw_stop(0) == 0,
		"vpe1_sw_stop(0) succeeds and leaves that program alone");
}

static void absent(struct ktap *t)
{
	ktap_ok(t, vpe1_get_load_addr(0) == 0, "no load address");
	ktap_ok(t, vpe1_get_max_mem(0) == 0, "no memory");
	ktap_ok(t, vpe1_sw_start((void *)CKSEG1ADDR(SZ_8M), 0, 0) == -1,
		"vpe1_sw_start fails");
	ktap_ok(t, vpe1_sw_stop(0) == 0, "vpe1_sw_stop succeeds");
	ktap_ok(t, vpe_notify(1, &notes) == -1, "vpe_notify fails");
}

/* As drv_vmmc's ifx_mps_shutdown(). */
static void shutdown(void)
{
	vpe1_sw_wdog_stop(0);
	vpe1_sw_wdog_register_reset_handler(NULL);
	if (strcmp(mode, "busy"))
		vpe1_sw_stop(0);
	vpe_notify_remove(1, &notes);
}

static int __init ltq_vmmc_test_init(void)
{
	struct ktap t = { };
	struct device *dev;
	int ret;

	dev = root_device_register(KBUILD_MODNAME);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	if (!strcmp(mode, "sequence"))
		sequence(dev, &t);
	else if (!strcmp(mode, "hold"))
		hold(dev, &t);
	else if (!strcmp(mode, "busy"))
		busy(&t);
	else if (!strcmp(mode, "absent"))
		absent(&t);
	else
		ktap_ok(&t, false, "mode=%s: sequence, hold, busy or absent", mode);
	root_device_unregister(dev);
	ret = ktap_done(&t);
	if (ret)
		shutdown();
	return ret;
}
module_init(ltq_vmmc_test_init);

static void __exit ltq_vmmc_test_exit(void)
{
	shutdown();
}
module_exit(ltq_vmmc_test_exit);

MODULE_DESCRIPTION("ltq-vmmc's use of the legacy VPE API, as a test");
MODULE_LICENSE("GPL");
