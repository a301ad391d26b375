// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_rproc: starting, stopping and watching a program on a VPE through
 * the MIPS MT ASE, as the legacy VPE loader did (arch/mips/kernel/vpe-mt.c:
 * vpe_run(), cleanup_tc(), vpe_stop(), vpe_free()).
 *
 * Linux runs on VPE 0 with TC 0.  The program gets a TC of its own, bound
 * to the remote VPE; every register of that TC and VPE is reached from
 * Linux's VPE with settc() and the mftc0/mttc0 family, with the other VPEs
 * stopped (dvpe) and the core in configuration state (MVPControl.VPC) while
 * anything changes.  These registers belong to the core, so the code must
 * run on a VPE of the same core: the driver refuses multi-core systems.
 */

#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/irqflags.h>
#include <linux/smp.h>

#include <asm/cpu-features.h>
#include <asm/cpu-info.h>
#include <asm/hazards.h>
#include <asm/mipsmtregs.h>
#include <asm/mipsregs.h>

#include "vpe_rproc.h"

/* Since 6.4 mttgpr() takes register names ($6), before that numbers (6). */
#ifdef _ASM_SET_MTTGPR
#define vpe_set_a2(v)	mttgpr($6, v)
#define vpe_set_a3(v)	mttgpr($7, v)
#else
#define vpe_set_a2(v)	mttgpr(6, v)
#define vpe_set_a3(v)	mttgpr(7, v)
#endif

/* MT register access: interrupts off, other VPEs and TCs stopped. */
struct vpe_mt_lock {
	unsigned long irqflags;
	unsigned int vpeflags;
	unsigned int mtflags;
	unsigned int oldtc;
};

static void vpe_mt_enter(struct vpe_mt_lock *l, unsigned int tc)
{
	local_irq_save(l->irqflags);
	l->mtflags = dmt();
	l->vpeflags = dvpe();
	set_c0_mvpcontrol(MVPCONTROL_VPC);
	l->oldtc = read_c0_vpecontrol() & VPECONTROL_TARGTC;
	settc(tc);
}

static void vpe_mt_leave(struct vpe_mt_lock *l, bool enable_vpes)
{
	settc(l->oldtc);
	clear_c0_mvpcontrol(MVPCONTROL_VPC);
	/*
	 * A kernel that never started another VPE (uniprocessor, or SMP
	 * booted with nosmp) may have left MVPControl.EVP clear; the remote
	 * only runs once it is set.
	 */
	evpe(enable_vpes ? EVPE_ENABLE : l->vpeflags);
	emt(l->mtflags);
	local_irq_restore(l->irqflags);
}

static bool vpe_mt_tc_idle(void)
{
	return !(read_tc_c0_tcstatus() & TCSTATUS_A) &&
	       (read_tc_c0_tchalt() & TCHALT_H);
}

/**
 * vpe_mt_linux_cpu() - the Linux CPU that runs on the remote VPE
 * @mt: the remote
 *
 * Return: that CPU's number if it is online, else -1.
 */
int vpe_mt_linux_cpu(const struct vpe_mt *mt)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		if (cpu_vpe_id(&cpu_data[cpu]) == mt->vpe)
			return cpu;
	}
	return -1;
}

static int vpe_mt_check_core(struct device *dev)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		if (cpu_core(&cpu_data[cpu]) != cpu_core(&cpu_data[0])) {
			dev_err(dev, "CPU%u is on another core: multi-core systems are not supported\n",
				cpu);
			return -ENODEV;
		}
	}
	return 0;
}

/**
 * vpe_mt_init() - check that @tc and @vpe exist and are free for a program
 * @mt: filled in
 * @dev: for messages
 * @tc: the TC to run the program on (TC 0 is Linux's)
 * @vpe: the VPE to bind it to (VPE 0 is Linux's)
 *
 * Return: 0, or -ENODEV when the CPU has no such TC or VPE, -EBUSY when
 * Linux runs there.
 */
int vpe_mt_init(struct vpe_mt *mt, struct device *dev, unsigned int tc,
		unsigned int vpe)
{
	unsigned int mvpconf0, ntc, nvpe;
	int cpu, ret;

	if (!cpu_has_mipsmt) {
		dev_err(dev, "this CPU has no MT ASE: there is no second VPE to run a program on\n");
		return -ENODEV;
	}
	ret = vpe_mt_check_core(dev);
	if (ret)
		return ret;

	mvpconf0 = read_c0_mvpconf0();
	ntc = ((mvpconf0 & MVPCONF0_PTC) >> MVPCONF0_PTC_SHIFT) + 1;
	nvpe = ((mvpconf0 & MVPCONF0_PVPE) >> MVPCONF0_PVPE_SHIFT) + 1;
	if (nvpe < 2) {
		dev_err(dev, "this core has one VPE, which runs Linux\n");
		return -ENODEV;
	}
	if (vpe == 0 || vpe >= nvpe) {
		dev_err(dev, "VPE %u: this core has VPEs 1 to %u besides Linux's\n",
			vpe, nvpe - 1);
		return -ENODEV;
	}
	if (tc == 0 || tc >= ntc) {
		dev_err(dev, "TC %u: this core has TCs 1 to %u besides Linux's\n",
			tc, ntc - 1);
		return -ENODEV;
	}

	mt->tc = tc;
	mt->vpe = vpe;
	mt->ntcs = ntc - tc;
	cpu = vpe_mt_linux_cpu(mt);
	if (cpu >= 0) {
		dev_err(dev, "VPE %u runs Linux as CPU%d: boot with \"nosmp\" to keep it for a program\n",
			vpe, cpu);
		return -EBUSY;
	}
	return 0;
}

/**
 * vpe_mt_start() - start the program at @pc on the remote VPE
 * @mt: the remote
 * @pc: where it starts (KSEG0 or KSEG1)
 * @a2: its $a2 (the legacy loader passed the number of TCs)
 * @a3: its $a3 (the legacy loader passed the memory size, or 0)
 *
 * The legacy vpe_run() sequence: the TC restarts at @pc, activated and not
 * interrupt exempt, bound to the VPE, which becomes the TC's only one,
 * master (so the program can reach Linux's VPE, e.g. to raise its
 * software interrupt), and is given Linux's Config (the KSEG0 cache
 * attribute: both VPEs share the caches), Status = Cause = 0.
 *
 * Return: 0, or -EBUSY if the TC is active (not ours to take).
 */
int vpe_mt_start(const struct vpe_mt *mt, unsigned long pc,
		 unsigned long a2, unsigned long a3)
{
	struct vpe_mt_lock l;
	unsigned long conf0;

	vpe_mt_enter(&l, mt->tc);
	if (!vpe_mt_tc_idle()) {
		vpe_mt_leave(&l, false);
		return -EBUSY;
	}

	write_tc_c0_tcrestart(pc);
	write_tc_c0_tccontext(0);
	write_tc_c0_tcstatus((read_tc_c0_tcstatus() &
			      ~(TCSTATUS_DA | TCSTATUS_IXMT)) | TCSTATUS_A);
	write_tc_c0_tchalt(read_tc_c0_tchalt() & ~TCHALT_H);
	vpe_set_a2(a2);
	vpe_set_a3(a3);

	/* From here on the VPE registers are those of the TC's VPE. */
	write_tc_c0_tcbind((read_tc_c0_tcbind() & ~TCBIND_CURVPE) | mt->vpe);
	write_vpe_c0_vpeconf0(read_vpe_c0_vpeconf0() & ~VPECONF0_VPA);
	back_to_back_c0_hazard();
	conf0 = read_vpe_c0_vpeconf0() & ~VPECONF0_XTC;
	write_vpe_c0_vpeconf0(conf0 | VPECONF0_MVP |
			      (mt->tc << VPECONF0_XTC_SHIFT));
	back_to_back_c0_hazard();
	write_vpe_c0_vpecontrol(read_vpe_c0_vpecontrol() & ~VPECONTROL_TE);
	write_vpe_c0_config(read_c0_config());
	write_vpe_c0_status(0);
	write_vpe_c0_cause(0);
	write_vpe_c0_vpeconf0(read_vpe_c0_vpeconf0() | VPECONF0_VPA);
	back_to_back_c0_hazard();

	vpe_mt_leave(&l, true);
	return 0;
}

/**
 * vpe_mt_stop() - halt the program
 * @mt: the remote
 *
 * The legacy "kill" sequence: the VPE is disabled, the TC halted,
 * deactivated and made interrupt exempt.  The program's memory is not
 * touched.
 */
void vpe_mt_stop(const struct vpe_mt *mt)
{
	struct vpe_mt_lock l;

	vpe_mt_enter(&l, mt->tc);
	write_vpe_c0_vpeconf0(read_vpe_c0_vpeconf0() & ~VPECONF0_VPA);
	write_tc_c0_tchalt(TCHALT_H);
	instruction_hazard();
	write_tc_c0_tcstatus((read_tc_c0_tcstatus() &
			      ~(TCSTATUS_A | TCSTATUS_DA)) | TCSTATUS_IXMT);
	vpe_mt_leave(&l, false);
}

/**
 * vpe_mt_running() - is the program still running?
 * @mt: the remote
 *
 * A program that halted or deactivated its own TC, or disabled its VPE,
 * has stopped: the only end of a program the hardware shows.
 */
bool vpe_mt_running(const struct vpe_mt *mt)
{
	unsigned long flags;
	unsigned int oldtc;
	bool running;

	/* Reading only: no need to stop the remote. */
	local_irq_save(flags);
	oldtc = read_c0_vpecontrol() & VPECONTROL_TARGTC;
	settc(mt->tc);
	running = (read_tc_c0_tcstatus() & TCSTATUS_A) &&
		  !(read_tc_c0_tchalt() & TCHALT_H) &&
		  (read_vpe_c0_vpeconf0() & VPECONF0_VPA);
	settc(oldtc);
	local_irq_restore(flags);
	return running;
}
