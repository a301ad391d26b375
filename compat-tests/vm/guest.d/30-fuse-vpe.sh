#!/bin/sh
# Guest step: fuse-vpe on vpe_compat.ko, in a real kernel.  The module (test
# mode) gives the memory window and the doorbells; rtlxremote plays the
# legacy SP program on the remote node; fuse-vpe serves /dev/rtlx0..7 from
# the window, sleeping on the doorbell; legacy programs talk through them;
# the deprecation lines come back from the real dmesg.
#
# This kernel has no remoteproc: a directory of plain files stands in for
# the instance (fuse-vpe only reads its name and state here), and the
# program is announced with --vpe-shared, as for one started before the
# daemon. /dev/vpe1 is exercised against the simulator, not here.
. /lib/tap.sh
. /lib/guest-lib.sh

KO=/lib/vpe-compat/vpe_compat.ko
RPROC=/run/rproc/remoteproc0
MNT=/run/vpe-compat

daemon=
remote=
cleanup() {
	[ -z "$daemon" ] || kill "$daemon" 2>/dev/null
	[ -z "$remote" ] || kill "$remote" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

check "insmod vpe_compat.ko in test mode" insmod "$KO" test_size=1048576
check "modprobe fuse" modprobe fuse

mkdir -p "$RPROC" /run/fw "$MNT"
echo vm-remote >"$RPROC/name"
echo running >"$RPROC/state"
echo none >"$RPROC/firmware"

rtlxremote >/tmp/remote.out 2>&1 &
remote=$!
i=0
while ! grep -q '^vpe_shared=' /tmp/remote.out && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
shared=$(sed -n 's/^vpe_shared=//p' /tmp/remote.out)
check "the stand-in program published its rtlx_info ($shared)" test -n "$shared"

fuse-vpe -f --rproc "$RPROC" --fw-dir /run/fw --window /dev/vpe_compat0 \
	--vpe-shared "$shared" --endian little --kmsg /dev/kmsg \
	--link-dir /dev "$MNT" >/tmp/fuse-vpe.log 2>&1 &
daemon=$!
i=0
while [ ! -e /dev/rtlx0 ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "fuse-vpe mounts and links /dev/rtlx0..7" test -e /dev/rtlx7
tap_diag </tmp/fuse-vpe.log

log_mark
echo "Hello World" >/dev/rtlx0
out=$(timeout 5 head -c 12 /dev/rtlx0)
[ "$out" = "hELLO wORLD" ] &&
	pass "echo \"Hello World\" > /dev/rtlx0, then reading it: hELLO wORLD" ||
	fail "echo \"Hello World\" > /dev/rtlx0, then reading it: hELLO wORLD" "got '$out'"
check_show "a legacy console (rtlxcon) through the module's window" \
	sh -c "printf 'Hello World\n' | timeout 10 rtlxcon -c 0 -e | grep -qx 'hELLO wORLD'"
check_show "poll wakes when the echo arrives (doorbell path)" \
	sh -c "[ \"\$(timeout 10 rtlxprobe poll-echo 3)\" = 'POLLIN|POLLRDNORM' ]"
check_show "a blocked write completes when the remote makes room" \
	sh -c "[ \"\$(timeout 10 rtlxprobe write-wait 2)\" = 100 ]"
# what write-wait left in the rings stays there (legacy): take it out
timeout 10 rtlxprobe -t 5 drain 2 >/dev/null

for who in head rtlxcon rtlxprobe; do
	n=$(log_since | grep -c "vpe-compat: $who\[[0-9]*\] uses /dev/rtlx[0-9], which is deprecated; use rpmsg")
	[ "$n" -ge 1 ] && pass "dmesg: the module logged $who's deprecation line" ||
		fail "dmesg: the module logged $who's deprecation line" "$(log_since)"
done
dups=$(log_since | sed -n 's/.*vpe-compat: \([^ ]*\) uses \([^,]*\),.*/\1 \2/p' | sort | uniq -d)
[ -z "$dups" ] && pass "dmesg: one line per process and channel, never two" ||
	fail "dmesg: one line per process and channel, never two" "$dups"

check_show "8 channels x 64 KiB each way, checksummed, through the module" \
	timeout 120 rtlxbulk -c 0-7 -n 64K -t 100

kill "$daemon"
wait "$daemon" 2>/dev/null
daemon=
check "SIGTERM: fuse-vpe removed its links" test ! -L /dev/rtlx0
kill "$remote"
wait "$remote" 2>/dev/null
remote=
check "rmmod: nothing keeps the window mapped" rmmod vpe_compat
check_log_clean "no warning, oops or taint from the module under fuse-vpe"
tap_end
