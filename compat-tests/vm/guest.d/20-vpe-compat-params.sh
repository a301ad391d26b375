#!/bin/sh
# Guest step: vpe_compat.ko with a window from module parameters (boards
# without a device tree): 2 MiB of RAM that the kernel command line
# reserved (memmap=2M$0x10000000), mapped through the module and checked at
# its physical address; a hardware doorbell (IRQ 1, shared with the i8042
# driver); refused parameters; a parameter window and a test window side by
# side.  Needs /lib/vpe-compat/vpe_compat.ko, /bin/vpetest.
. /lib/tap.sh
. /lib/guest-lib.sh

KO=/lib/vpe-compat/vpe_compat.ko
PHYS=0x10000000
SIZE=0x200000
DEV=0x80000000

gone() {
	! grep -q '^vpe_compat ' /proc/modules &&
		! ls /dev/vpe_compat* >/dev/null 2>&1
}

# ---- a physical window -------------------------------------------------------
if grep -q 'memmap=2M\$0x10000000' /proc/cmdline; then
	check "the region is reserved RAM (/proc/iomem)" \
		grep -q '10000000-101fffff : Reserved' /proc/iomem
	check "insmod phys_base=$PHYS phys_size=$SIZE dev_base=$DEV" \
		insmod "$KO" phys_base=$PHYS phys_size=$SIZE dev_base=$DEV
	check "only /dev/vpe_compat0, no remote node" \
		sh -c "test -c /dev/vpe_compat0 && ! test -e /dev/vpe_compat0_remote"
	check_show "INFO as given, no doorbells (EOPNOTSUPP), bounds EINVAL, the same bytes through two files and at the physical address" \
		vpetest phys $PHYS $SIZE $DEV
	check "rmmod" rmmod vpe_compat
	check "the module and its node are gone" gone
else
	skip "a window from module parameters" \
		"the VM was booted without memmap=2M\$0x10000000"
fi

# ---- a hardware doorbell -----------------------------------------------------
# IRQ 1 (the i8042 keyboard controller, which can be made to raise it)
# shared with its driver stands in for the remote's interrupt.
if grep -q 'memmap=2M\$0x10000000' /proc/cmdline && grep -q i8042 /proc/interrupts
then
	check "insmod with irq=1 irq_shared=1" \
		insmod "$KO" phys_base=$PHYS phys_size=$SIZE irq=1 irq_shared=1
	check "/proc/interrupts lists vpe_compat0 on IRQ 1" \
		sh -c "grep '^ *1:' /proc/interrupts | grep -q vpe_compat0"
	check_show "200 interrupts: each wakes a blocked read, counted exactly" \
		vpetest irqbell 200
	check "rmmod frees the interrupt" \
		sh -c "rmmod vpe_compat && ! grep -q vpe_compat0 /proc/interrupts"
else
	skip "a hardware doorbell on IRQ 1" "no i8042 or no reserved window"
fi

# ---- parameters refused, nothing left behind -----------------------------------
check_fails "insmod refuses irq without phys_size" insmod "$KO" irq=5
check_fails "insmod refuses an unaligned phys_base" \
	insmod "$KO" phys_base=0x10000800 phys_size=0x1000
check_fails "insmod refuses mt_tc on a kernel without MIPS MT" \
	insmod "$KO" phys_base=$PHYS phys_size=$SIZE mt_tc=1
check_fails "insmod refuses test_size over 256 MiB" \
	insmod "$KO" test_size=536870912
check "after the refused loads: no module, no nodes" gone

# ---- two windows at once -----------------------------------------------------
if grep -q 'memmap=2M\$0x10000000' /proc/cmdline; then
	check "insmod with a parameter window and a 64 KiB test window" \
		insmod "$KO" phys_base=$PHYS phys_size=$SIZE test_size=65536
	check "vpe_compat0 is the parameter window, vpe_compat1 the test window" \
		sh -c "VPE_NODE=/dev/vpe_compat1 vpetest info 65536 &&
			vpetest phys $PHYS $SIZE $PHYS"
	check "the test window's doorbells work next to it" \
		env VPE_NODE=/dev/vpe_compat1 vpetest bells remote 100
	check "rmmod" rmmod vpe_compat
	check "both windows are gone" gone
fi

check_log_clean "module parameters"
tap_end
