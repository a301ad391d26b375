#!/bin/sh
# Boot the kernel test VM once: Debian's amd64 kernel under
# qemu-system-x86_64 (TCG), the initramfs from mkinitramfs.sh, the console
# on the first serial port, kept in a file.  QEMU is always killed: at the
# end marker, at the time limit, or when this script is interrupted.
#
#   run-vm.sh -k VMLINUZ -i INITRAMFS -l CONSOLE_LOG [-t SECONDS] [-m MiB]
#             [-c CPUS] [-a APPEND]
#
# Prints "boot=S run=S" (seconds to the guest's first line, and in all).
# Exit status: 0 the guest finished (@@VPE-VM-END@@); 1 it did not (time
# limit, panic, QEMU failure: see the console log); 2 usage.
set -u

kernel='' initrd='' log='' limit=180 mem=512 cpus=2 append=''
while getopts k:i:l:t:m:c:a: opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	l) log=$OPTARG ;;
	t) limit=$OPTARG ;;
	m) mem=$OPTARG ;;
	c) cpus=$OPTARG ;;
	a) append=$OPTARG ;;
	*) exit 2 ;;
	esac
done
if [ -z "$kernel" ] || [ -z "$initrd" ] || [ -z "$log" ]; then
	echo "usage: run-vm.sh -k VMLINUZ -i INITRAMFS -l LOG [-t S]" >&2
	exit 2
fi
command -v qemu-system-x86_64 >/dev/null || {
	echo "run-vm.sh: qemu-system-x86_64 is not installed" >&2
	exit 2
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

: >"$log"
t0=$(now)
# panic=-1 and -no-reboot: a guest panic ends QEMU at once.
timeout -k 5 $((limit + 10)) qemu-system-x86_64 \
	-M pc -accel tcg -smp "$cpus" -m "$mem" \
	-nodefaults -no-user-config -display none -no-reboot \
	-serial "file:$log" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 loglevel=4 panic=-1 rdinit=/init $append" \
	</dev/null >"$log.qemu" 2>&1 &
qpid=$!
trap 'kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null' EXIT
trap 'exit 130' INT TERM HUP

boot=
status=1
while :; do
	if [ -z "$boot" ] && grep -q '@@VPE-VM-BEGIN@@' "$log" 2>/dev/null; then
		boot=$(elapsed "$t0")
	fi
	if grep -q '@@VPE-VM-END@@' "$log" 2>/dev/null; then
		status=0
		# give poweroff a moment, then the trap kills what is left
		i=0
		while kill -0 "$qpid" 2>/dev/null && [ $i -lt 20 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		break
	fi
	kill -0 "$qpid" 2>/dev/null || break
	if [ "$(awk -v a="$t0" -v b="$(now)" -v l="$limit" \
		'BEGIN { print (b - a > l) }')" = 1 ]; then
		echo "run-vm.sh: no end marker after ${limit}s; killing QEMU" >>"$log"
		break
	fi
	sleep 0.1
done
cat "$log.qemu" >>"$log" 2>/dev/null
rm -f "$log.qemu"
echo "boot=${boot:-none} run=$(elapsed "$t0")"
exit $status
