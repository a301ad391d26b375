#!/bin/sh
# What goes wrong around the daemon, and what each caller and the log see:
# a remote that stops mid-stream, the remoteproc instance going away (its
# driver unbound), a firmware directory that is read-only or full, staging
# memory that runs out. Every time: a clear errno at the caller, a precise
# log line, the daemon up, nothing half-written in the firmware directory.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/parts.sh"
: "${VPE_BUILD:=$here/../build}"
export VPE_BUILD
P=$VPE_BUILD/apps/rtlxprobe

# ---- inside with-sim -----------------------------------------------------

no_qemu() {
	[ -z "$(qemu_pid)" ]
}

# kmsg_has TEXT: a line since kmsg_mark says TEXT
kmsg_has() {
	kmsg_since | grep -qF -- "$1"
}

# The remote's CPU stops mid-stream (SIGSTOP to QEMU: remoteproc still says
# running): writers wait as they did with the legacy driver, and after 10 s
# the log says why; a signal ends the wait; when the remote goes on, every
# byte written before arrives.
part_stall() {
	load_with cat "$FW/echo-el-296.elf"
	check "the echo program runs" runs_echo
	qemu=$(qemu_pid)
	kill -STOP "$qemu"
	kmsg_mark
	is "the remote stopped: the ring fills, a blocking write waits until a signal: EINTR" \
		"EINTR signals=1" "$P" -t 11 write-block 2
	check "... and the log said the remote is not reading the channel" kmsg_has \
		"/dev/rtlx2: a write has waited 10 s for room: the remote program is not reading the channel"
	is "a non-blocking read meanwhile: 0 (nothing), as the legacy driver gave" 0 \
		"$P" read-nonblock 2
	check "the daemon is up" daemon_up
	kill -CONT "$qemu"
	is "the remote goes on: the 2047 bytes written before come back, once" 2047 \
		"$P" -t 3 drain 2
	is "the other channels work" "hELLO wORLD" "$P" echo 0 "Hello World"
}

# The driver is unbound (rproc-sim: SIGUSR1): the remote stops and the
# instance leaves sysfs.
part_unbind() {
	load_with cat "$FW/echo-el-296.elf"
	check "the echo program runs" runs_echo
	"$P" -t 20 read 1 >/tmp/unbind-read.$$ 2>&1 &
	reader=$!
	sleep 0.3
	kmsg_mark
	kill -USR1 "$(pgrep -x rproc-sim)"
	check "the remote stops with the instance" wait_until 10 no_qemu
	wait_until 10 sh -c "! kill -0 $reader"
	is "a blocked reader gets 0 (the program is gone), not a hang" 0 cat /tmp/unbind-read.$$
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	rm -f /tmp/unbind-read.$$
	check "the log names the instance and says it is gone" kmsg_has \
		"remoteproc instance $VPE_SIM_NAME ($VPE_SIM_RPROC) is gone: its driver was unbound"
	is "cat fw > /dev/vpe1 fails: ENODEV" "vpeload: open: ENODEV (No such device)" \
		"$VPELOAD" "$FW/echo-el-296.elf"
	is "a channel open: no program (O_NONBLOCK: ENXIO)" ENXIO "$P" open-nonblock 0
	check "the daemon is up" daemon_up
}

# fw_listing: the firmware directory's names and sizes (hidden files too)
fw_listing() {
	ls -lA --time-style=+ "$VPE_SIM_FWDIR" | awk 'NR > 1 { print $5, $NF }'
}

# The firmware directory on a 1 MiB tmpfs (the daemon restarted on it, so
# that its directory descriptor is the new one), full, then read-only.
part_fwdir() {
	trap 'daemon_again_stop; umount "$VPE_SIM_FWDIR" 2>/dev/null' EXIT
	load_with cat "$FW/echo-el-296.elf"
	check "the daemon stops cleanly" daemon_kill TERM
	keep=/tmp/fw-keep.$$
	mkdir -p $keep && cp -a "$VPE_SIM_FWDIR"/. $keep/
	mount -t tmpfs -o size=1m fwfull "$VPE_SIM_FWDIR" && cp -a $keep/. "$VPE_SIM_FWDIR"/
	rm -rf $keep
	check "fuse-vpe comes up on a 1 MiB firmware directory" daemon_again
	before=$(fw_listing)

	kmsg_mark
	is "a 2 MiB image into 1 MiB: the write fails with ENOSPC" \
		"vpeload: write: ENOSPC (No space left on device)" \
		"$VPELOAD" -c 65536 "$FW/large-2m-el.elf"
	check "... the log says where and how much" kmsg_has \
		"cannot stage the image in $VPE_SIM_FWDIR ("
	is "... nothing was left in the firmware directory" "$before" fw_listing
	check "... the daemon is up" daemon_up
	check "a small image still loads and runs" loads cat "$FW/echo-el-296.elf" runs_echo

	mount -o remount,ro "$VPE_SIM_FWDIR"
	before=$(fw_listing)
	kmsg_mark
	is "a read-only firmware directory: the first write fails with EROFS" \
		"vpeload: write: EROFS (Read-only file system)" \
		"$VPELOAD" "$FW/echo-el-296.elf"
	check "... the log names the directory" kmsg_has \
		"cannot stage an image in the firmware directory $VPE_SIM_FWDIR: Read-only file system"
	is "... nothing changed in it" "$before" fw_listing
	check "... the daemon is up" daemon_up
	mount -o remount,rw "$VPE_SIM_FWDIR"
	check "writable again: loads work" loads cat "$FW/echo-el-296.elf" runs_echo
}

# Limits on the daemon's own resources (prlimit): a file-size limit fails
# the staging write (EFBIG, not a SIGXFSZ that kills the daemon); an
# address-space limit fails the conversion (ENOMEM at close).
part_limits() {
	pid=$(pgrep -x fuse-vpe)
	prlimit --pid "$pid" --fsize=1048576:unlimited
	before=$(fw_listing)
	kmsg_mark
	is "a file-size limit of 1 MiB, a 2 MiB image: EFBIG" \
		"vpeload: write: EFBIG (File too large)" \
		"$VPELOAD" -c 65536 "$FW/large-2m-el.elf"
	check "... said in the log" kmsg_has "File too large"
	is "... nothing left in the firmware directory" "$before" fw_listing
	check "... the daemon is up" daemon_up
	prlimit --pid "$pid" --fsize=unlimited:unlimited

	vm=$(awk '/^VmSize/ { print $2 * 1024 }' "/proc/$pid/status")
	prlimit --pid "$pid" --as=$((vm + 1048576)):unlimited
	kmsg_mark
	is "an address-space limit: a 2 MiB relocatable image fails at close: ENOMEM" \
		"vpeload: close: ENOMEM (Cannot allocate memory)" \
		"$VPELOAD" -c 65536 "$FW/large-2m-el.o"
	check "... the log says what could not be had" kmsg_has \
		"to convert it: Cannot allocate memory"
	check "... the daemon is up" daemon_up
	prlimit --pid "$pid" --as=unlimited:unlimited
	check "no limit: the same image loads and runs" loads cat "$FW/large-2m-el.o" runs_large
}

parts_dispatch "$@"
parts_need_root
part_run -- stall
part_run -- unbind
part_run -- fwdir
part_run -- limits
exit $PARTS_STATUS
