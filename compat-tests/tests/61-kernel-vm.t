#!/bin/sh
# vpe_compat.ko in a VM.  Debian's own amd64 kernel (linux-image-KVER,
# unpacked in the cache, never installed) boots under qemu-system-x86_64
# (TCG) with an initramfs: busybox, the module built against that exact
# kernel's headers, static test programs, and the guest steps of
# compat-tests/vm/guest.d, which print TAP on the serial console.  This test
# re-reports the guest's results, with a time limit for the whole VM run.
# Without the packages (no mirror, nothing cached) it is skipped.

here=$(cd "$(dirname "$0")/.." && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/kernel.sh"
VM_LIMIT=${VPE_VM_TIMEOUT:-180}
W=$VPE_BUILD/kernel-vm
VM=$top/compat-tests/vm

t0=$(now)
kernel_env "vpe_compat.ko in a VM"
echo "# kernel $VPE_KVER; packages: $VPE_KPKGS"

stop() {
	tap_end
	exit 1
}

# must WHAT CMD...: like check, but the test cannot go on without it
must() {
	_what=$1
	shift
	if "$@" >"$W/must.log" 2>&1; then
		pass "$_what"
	else
		fail "$_what" "command failed (status $?): $*"
		tail -n 40 "$W/must.log" | tap_diag
		stop
	fi
}

# ---- build what the guest runs ------------------------------------------------
tb=$(now)
mkdir -p "$W"
rm -f "$W/initramfs.gz"
must "vpe_compat.ko builds against $VPE_KDIR_NATIVE" \
	make -C "$top/kernel" MO="$W/module" KDIR="$VPE_KDIR_NATIVE"
must "the module's vermagic is the booted kernel's ($VPE_KVER)" \
	sh -c "strings -a '$W/module/vpe_compat.ko' | grep -q '^vermagic=$VPE_KVER '"
must "the guest's test programs build (static)" \
	make -C "$VM" O="$W/guest"
must "the initramfs builds (busybox, module, programs, guest steps)" \
	sh "$VM/mkinitramfs.sh" -o "$W/initramfs.gz" -b "$VPE_BUSYBOX" \
	-k "$VPE_KMODDIR" \
	-f "$W/module/vpe_compat.ko=/lib/vpe-compat/vpe_compat.ko" \
	-f "$W/guest/vpetest=/bin/vpetest" \
	-f "$W/guest/rtlxremote=/bin/rtlxremote" \
	-f "$W/guest/fuse-vpe=/bin/fuse-vpe" \
	-f "$W/guest/rtlxcon=/bin/rtlxcon" \
	-f "$W/guest/rtlxprobe=/bin/rtlxprobe" \
	-f "$W/guest/rtlxbulk=/bin/rtlxbulk" \
	-m fuse \
	-s "$VM/guest.d"
echo "# build: $(since "$tb") s"

# ---- run the VM -------------------------------------------------------------
LOG=$W/console.log
# memmap: 2 MiB of reserved RAM for the physical-window step
times=$(sh "$VM/run-vm.sh" -k "$VPE_VMLINUZ" -i "$W/initramfs.gz" \
	-l "$LOG" -t "$VM_LIMIT" -a 'memmap=2M$0x10000000')
vmstatus=$?
echo "# VM: $times (seconds: to the guest's first line, whole run; limit ${VM_LIMIT}s)"

# ---- the guest's results -----------------------------------------------------
tr -d '\r' <"$LOG" >"$LOG.txt"
begun=0 ended=0 step=
while IFS= read -r line; do
	case $line in
	*"@@VPE-VM-BEGIN@@ "*)
		begun=1
		echo "# guest: ${line#*@@VPE-VM-BEGIN@@ }"
		;;
	*"@@VPE-STEP@@ "*)
		step=${line#*@@VPE-STEP@@ }
		echo "# guest step $step"
		;;
	*"@@VPE-STEP-END@@ "*)
		set -- ${line#*@@VPE-STEP-END@@ }
		if [ "${2:-255}" != 0 ]; then
			fail "guest step $1 finished" "exit status ${2:-none}"
		fi
		;;
	*"@@VPE-VM-END@@"*)
		ended=1
		;;
	*"@@VPE@@ "*)
		l=${line#*@@VPE@@ }
		case $l in
		"ok "*"# SKIP"*)
			d=$(printf '%s\n' "$l" | sed 's/^ok [0-9]* - //; s/ # SKIP.*//')
			skip "$d" "$(printf '%s\n' "$l" | sed 's/.* # SKIP //')"
			;;
		"ok "*)
			pass "$(printf '%s\n' "$l" | sed 's/^ok [0-9]* - //')"
			;;
		"not ok "*)
			fail "$(printf '%s\n' "$l" | sed 's/^not ok [0-9]* - //')"
			;;
		"1.."*) ;;
		"#"*) echo "$l" ;;
		*) echo "# $l" ;;
		esac
		;;
	esac
done <"$LOG.txt"

if [ $begun = 1 ]; then
	pass "the VM booted $VPE_KVER to the test init"
else
	fail "the VM booted $VPE_KVER to the test init" \
		"$(tail -n 40 "$LOG.txt")"
fi
if [ $ended = 1 ] && [ $vmstatus -eq 0 ]; then
	pass "the guest ran every step and powered off within ${VM_LIMIT}s"
else
	fail "the guest ran every step and powered off within ${VM_LIMIT}s" \
		"$(tail -n 40 "$LOG.txt")"
fi
echo "# console log: $LOG"
echo "# whole test: $(since "$t0") s"
tap_end
