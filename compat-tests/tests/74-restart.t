#!/bin/sh
# fuse-vpe killed with SIGKILL while a program runs and channels are open
# (fuse-vpe/restart.h): the callers get an error (ECONNABORTED for a call
# in flight, ENOTCONN after) and nothing hangs; a new
# fuse-vpe with the same options detaches the dead mount, finds the running
# program's vpe_shared in the image it handed remoteproc (no --vpe-shared),
# releases the dead daemon's channel claims, and serves the channels from
# where the rings stand: no byte is lost or duplicated.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/parts.sh"
: "${VPE_BUILD:=$here/../build}"
export VPE_BUILD
P=$VPE_BUILD/apps/rtlxprobe

# ---- inside with-sim -----------------------------------------------------

# a text of N bytes that shows any loss, duplication or reordering
pattern() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%c", 65 + (i * 7 + int(i / 26)) % 26 }'
}

part_restart() {
	trap daemon_again_stop EXIT
	t=/tmp/restart.$$
	mkdir -p $t
	load_with cat "$FW/echo-el-296.elf"
	check "the echo program runs" runs_echo
	qemu=$(qemu_pid)

	# channel 1: a blocked reader; channel 3: held open; channel 2: 1000
	# bytes echoed back and waiting in the ring, unread
	"$P" -t 30 read 1 >$t/read1 2>&1 &
	reader=$!
	"$P" -t 30 hold 3 >$t/hold3 2>&1 &
	holder=$!
	msg=$(pattern 1000)
	is "1000 bytes sent on channel 2" 1000 "$P" send 2 "$msg"
	is "... echoed back, waiting in the ring" "POLLIN|POLLRDNORM" \
		"$P" -t 5 poll-in 2
	wait_until 5 grep -q OK $t/hold3
	sleep 0.3	# the echo of the last bytes, and the reader blocked

	check "fuse-vpe killed with SIGKILL" daemon_kill KILL
	# the kernel ends the calls in flight with ECONNABORTED, later ones
	# with ENOTCONN (fs/fuse/dev.c, fuse_abort_conn())
	check "the blocked reader gets ECONNABORTED at once" \
		wait_until 5 grep -q ECONNABORTED $t/read1
	wait "$reader" 2>/dev/null
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	is "a new open while no daemon runs: ENOTCONN" ENOTCONN "$P" open-nonblock 0

	# a write the dead daemon had begun in the firmware directory
	stale="$VPE_SIM_FWDIR/.$(cat "$VPE_SIM_RPROC/firmware").999999.tmp"
	echo partial >"$stale"
	kmsg_mark
	check "a new fuse-vpe with the same options (no --vpe-shared) comes up" \
		daemon_again
	check "... it said it took over the running program" \
		sh -c "grep -q 'loaded by an earlier fuse-vpe: serving its channels again' '$VPE_KMSG'"
	check "... and removed the dead writer's temporary file" test ! -e "$stale"
	check "the program was not restarted" test "$(qemu_pid)" = "$qemu"

	is "the 1000 bytes waiting on channel 2 arrive, in order" "$msg" \
		"$P" -t 10 recv 2 1000
	is "... exactly once (nothing more follows)" 0 "$P" -t 1 drain 2
	is "channel 3, held by a client of the dead daemon, opens again" OK \
		"$P" open-nonblock 3
	is "channel 1 works again" "abc" "$P" echo 1 abc
	is "channel 0 works again" "hELLO wORLD" "$P" echo 0 "Hello World"
	check "cat fw > /dev/vpe1 still loads" loads cat "$FW/echo-el-296.elf" runs_echo
	daemon_again_stop
	rm -rf $t
}

# The program remoteproc runs is not one fuse-vpe wrote: said, not served.
part_foreign() {
	trap daemon_again_stop EXIT
	img=$FW/echo-el-296.elf
	"$VPE_BUILD/fuse-vpe/vpe-fwconvert" "$img" "$VPE_SIM_FWDIR/other.elf" || return
	check "kill the daemon" daemon_kill KILL
	echo other.elf >"$VPE_SIM_RPROC/firmware"
	echo start >"$VPE_SIM_RPROC/state"
	check "a foreign program runs" runs_echo
	kmsg_mark
	check "fuse-vpe comes up" daemon_again
	check "... and says it cannot serve a program it did not write" \
		sh -c "grep -q 'runs a firmware fuse-vpe did not write' '$VPE_KMSG'"
	is "... whose channels then wait for a program (O_NONBLOCK: ENXIO)" ENXIO \
		"$P" open-nonblock 0
	daemon_again_stop
}

# Nothing runs: the new daemon starts as if first.  A second one beside a
# live daemon refuses, and the first keeps serving.
part_idle() {
	trap daemon_again_stop EXIT
	stat "$MNT/vpe1" >/dev/null	# the root's attributes now cached
	daemon_twice
	st=$?
	is "a second fuse-vpe on a served mount point exits with status 1" 1 \
		echo "$st"
	check "... saying so" grep -q "a running fuse-vpe serves it already" \
		$DAEMON_LOG
	is "... and the first keeps serving" ENXIO "$P" open-nonblock 0
	check "kill the daemon" daemon_kill KILL
	check "fuse-vpe comes up over the dead mount" daemon_again
	is "no program: O_NONBLOCK open gives ENXIO" ENXIO "$P" open-nonblock 0
	check "cat fw > /dev/vpe1 loads" loads cat "$FW/echo-el-296.elf" runs_echo
	daemon_again_stop
}

parts_dispatch "$@"
parts_need_root
part_run -- restart
part_run -- foreign
part_run -- idle
exit $PARTS_STATUS
