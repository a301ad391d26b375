#!/bin/sh
# The legacy RTLX programs against /dev/rtlx0..7: the rows of
# docs/legacy-abi.md §7 and §11 items 7-13 that 70-rtlx.t does not cover:
# the console waiting for the firmware, rtlxpoll's counters (reads that
# return 0, never EAGAIN; short writes), readiness of a full ring, exact
# ring arithmetic, short reads, channel 2 without kspd, stale bytes seen by
# the next opener, a held fd across stop and reload.
#
# Rows marked "(fuse-vpe)" check where fuse-vpe answers otherwise than the
# legacy kernel, on purpose or because FUSE cannot (docs/migration.md).

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/parts.sh"
: "${VPE_BUILD:=$here/../build}"
export VPE_BUILD
A=$VPE_BUILD/apps
P=$A/rtlxprobe


# ---- parts, run inside with-sim (or on a board) ------------------------------

# Nothing loaded yet, then the echo program arrives under waiting programs.
part_waiting() {
	e=$1
	out=$("$A/rtlxcon" -c 0 -w 0.5 </dev/null 2>&1)
	st=$?
	[ $st = 1 ] && [ "$out" = "rtlxcon: open /dev/rtlx0: no SP program after 0.5 s" ] &&
		pass "7: rtlxcon -w 0.5 with no program: gives up, status 1" ||
		fail "7: rtlxcon -w 0.5 with no program: gives up, status 1" "$st: $out"
	out=$("$A/rtlxpoll" -c 0 -t 1 2>&1)
	st=$?
	[ $st = 1 ] && [ "$out" = "rtlxpoll: open /dev/rtlx0: No such device or address" ] &&
		pass "7 (fuse-vpe): rtlxpoll with no program: ENXIO at open (legacy ENOSYS)" ||
		fail "7 (fuse-vpe): rtlxpoll with no program: ENXIO at open (legacy ENOSYS)" "$st: $out"
	is "7 (fuse-vpe): a waiting open ends at the first signal, SA_RESTART or not" \
		"EINTR signals=1" "$P" -t 0.3 open-restart 0

	# a console and a threaded program started before the firmware
	printf 'Hello World\n' | "$A/rtlxcon" -c 0 -e -w 30 >/tmp/rtlx-con.$$ 2>&1 &
	con=$!
	"$A/rtlxthreads" -c 1 -n 64K -t 30 >/tmp/rtlx-thr.$$ 2>&1 &
	thr=$!
	sleep 0.5
	load_with cat "$FW/echo-$e-296.elf"
	wait $con
	st=$?
	[ $st = 0 ] && [ "$(cat /tmp/rtlx-con.$$)" = "hELLO wORLD" ] &&
		pass "7: rtlxcon started before the firmware waits in open, then echoes" ||
		fail "7: rtlxcon started before the firmware waits in open, then echoes" \
			"$st: $(cat /tmp/rtlx-con.$$)"
	wait $thr
	st=$?
	[ $st = 0 ] && pass "7: so does rtlxthreads" ||
		fail "7: so does rtlxthreads" "$st: $(cat /tmp/rtlx-thr.$$)"
	rm -f /tmp/rtlx-con.$$ /tmp/rtlx-thr.$$
}

# The echo program runs.
part_running() {
	e=$1
	load_with cat "$FW/echo-$e-296.elf"
	probe wait-ready --timeout 20 >/dev/null 2>&1

	# 8, 9: rtlxpoll's own counters. Whether a read right after a write
	# finds the ring empty depends on how fast the remote echoes (70-rtlx.t
	# reads an empty ring for certain); that no read gives EAGAIN does not.
	out=$("$A/rtlxpoll" -c 0-7 -n 10000 -t 30 2>&1)
	st=$?
	n_ok=$(echo "$out" | grep -c ': ok: sent 10000, echoed 10000 of 10000 bytes')
	n_short=$(echo "$out" | grep -c 'short [1-9]')
	n_again=$(echo "$out" | grep -c 'returned 0 [0-9]*, EAGAIN 0)')
	[ $st = 0 ] && [ "$n_ok" = 8 ] && [ "$n_short" = 8 ] && [ "$n_again" = 8 ] &&
		pass "8, 9: rtlxpoll: short writes; non-blocking reads never give EAGAIN" ||
		fail "8, 9: rtlxpoll: short writes; non-blocking reads never give EAGAIN" "$out"

	# 10: a full ring: readable (the SP->Linux ring), not writable, never HUP/ERR
	"$P" write-full 1 >/dev/null
	is "10: poll of a full ring: readable only" "POLLIN|POLLRDNORM" "$P" -t 0.3 poll 1
	is "10: poll for output on a full ring times out" timeout "$P" -t 0.3 poll-out 1
	is "10: select on a full ring: read" read "$P" -t 0.3 select 1
	is "10: epoll on a full ring: readable" "EPOLLIN|EPOLLRDNORM" "$P" -t 0.3 epoll 1
	is "9, 13: both rings held 2047 bytes" 4094 "$P" drain 1

	# 9, 13: ring arithmetic: full (2 x 2047), read 2047, write 100 -> 2147 left
	"$P" write-full 1 >/dev/null
	is "9: a blocking write on full rings goes through once a reader makes room" \
		100 "$P" -t 5 write-wait 1
	is "13: ... and exactly 2047 + 100 bytes are left" 2147 "$P" drain 1

	# 8: short reads
	"$P" send 3 abcdef >/dev/null
	sleep 0.2
	is "8: a read takes what was asked for" 2 "$P" read 3 2
	is "8: ... the next one the rest, short" 4 "$P" read 3 10
	is "8: ... then nothing: 0 on the signal" "0 signals=1" "$P" -t 0.3 read 3

	# 12: no kspd holds channel 2 on the eras the layer emulates
	is "12: channel 2 is free (no kspd)" OK "$P" open-nonblock 2

	# 13 (7.15): lseek and fsync
	is "7.15 (fuse-vpe): lseek on a stream: ESPIPE (legacy: ignored)" ESPIPE "$P" lseek 0
	is "7.15: no fsync operation: EINVAL" EINVAL "$P" fsync 0

	# programs under load
	head -c 1048576 /dev/urandom >/tmp/rtlx-rnd.$$
	"$A/rtlxcon" -c 5 -e </tmp/rtlx-rnd.$$ >/tmp/rtlx-rnd.out.$$
	st=$?
	[ $st = 0 ] && cmp -s /tmp/rtlx-rnd.$$ /tmp/rtlx-rnd.out.$$ &&
		pass "rtlxcon: 1 MiB of binary data on channel 5, byte for byte" ||
		fail "rtlxcon: 1 MiB of binary data on channel 5, byte for byte" \
			"status $st, $(wc -c </tmp/rtlx-rnd.out.$$) bytes back"
	rm -f /tmp/rtlx-rnd.$$ /tmp/rtlx-rnd.out.$$
	check "rtlxthreads: 4 MiB on channel 0, calls of 1..3000 bytes" \
		"$A/rtlxthreads" -c 0 -n 4M -m 3000 -t 60
	check "rtlxbulk: 64 MiB on channel 1 in chunks up to 64 KiB" \
		"$A/rtlxbulk" -c 1 -n 64M -m 64K -t 300

	# 11: what one program left in a ring, the next opener reads first
	"$P" send 6 stale >/dev/null
	sleep 0.2
	"$A/rtlxbulk" -c 6 -n 64K -t 30 >/dev/null 2>/tmp/rtlx-stale.$$
	st=$?
	[ $st = 1 ] && grep -q 'channel 6: offset 0: 5 unexpected byte(s) inserted (first 0x73)' \
		/tmp/rtlx-stale.$$ &&
		pass "11: 5 bytes left in channel 6 reach the next opener first (rtlxbulk: inserted at 0)" ||
		fail "11: 5 bytes left in channel 6 reach the next opener first (rtlxbulk: inserted at 0)" \
			"$st: $(cat /tmp/rtlx-stale.$$)"
	rm -f /tmp/rtlx-stale.$$
	check "... after which channel 6 is clean" "$A/rtlxbulk" -c 6 -n 64K -t 30
}

# 7.13: the program stops, then another starts, under a held fd.
part_stopped() {
	e=$1
	load_with cat "$FW/echo-$e-296.elf"
	probe wait-ready --timeout 20 >/dev/null 2>&1
	exec 9<>/dev/rtlx6
	"$P" send 4 left >/dev/null
	sleep 0.2
	echo 1 >"$MNT/kill"
	is "8: stopped: a blocking read of an empty ring returns 0 at once" 0 "$P" -t 2 -f 9 read
	is "8: stopped: a non-blocking read returns 0" 0 "$P" -f 9 read-nonblock
	is "7.13 (fuse-vpe): stopped: the program's memory is not read any more" \
		ENXIO "$P" open-nonblock 4
	load_with cat "$FW/echo-$e-296.elf"
	probe wait-ready --timeout 20 >/dev/null 2>&1
	is "8: restarted: the old fd reads 0" 0 "$P" -f 9 read-nonblock
	is "10, 7.13 (fuse-vpe): restarted: the old fd sees the new program at once" \
		"POLLOUT|POLLWRNORM" "$P" -t 0.3 -f 9 poll
	is "a new opener talks to the new program" "hELLO wORLD" "$P" echo 0 "Hello World"
	exec 9>&-
}

parts_dispatch "$@"
parts_need_root
part_run --endian little -- waiting el
part_run --endian big -- waiting eb
part_run --endian little -- running el
part_run --endian little -- stopped el
exit $PARTS_STATUS
