#!/bin/sh
# /dev/rtlx0..7: legacy channel programs, unchanged, byte for byte and errno
# for errno (docs/legacy-abi.md §7, §11 items 7-13), on the echo firmware:
# channel 0 answers with letters case-inverted, channels 1..7 unchanged.
#
# Each part runs inside with-sim (simulator + fuse-vpe). VPE_BULK_BYTES
# sets the per-channel volume of the 8-channel stream (default 64M).

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/parts.sh"
: "${VPE_BUILD:=$here/../build}"
export VPE_BUILD
A=$VPE_BUILD/apps
P=$A/rtlxprobe

# prints WANT CMD...: the command prints exactly WANT (for check)
prints() {
	_want=$1
	shift
	_got=$("$@" 2>&1)
	[ "$_got" = "$_want" ] || { echo "wanted '$_want', got '$_got'"; return 1; }
}

# like WANT CMD...: the output starts with WANT
like() {
	_want=$1
	shift
	_got=$("$@" 2>&1)
	case "$_got" in "$_want"*) ;; *) echo "wanted '$_want...', got '$_got'"; return 1 ;; esac
}

# ---- parts, run inside with-sim --------------------------------------------

# The simplest legacy use, and every legacy program, in one configuration.
part_echo() {
	img=$1
	load_with cat "$FW/$img"
	echo "Hello World" >/dev/rtlx0
	out=$(head -c 12 /dev/rtlx0)
	[ "$out" = "hELLO wORLD" ] &&
		pass "$img: echo \"Hello World\" > /dev/rtlx0, then reading it: hELLO wORLD" ||
		fail "$img: echo \"Hello World\" > /dev/rtlx0, then reading it: hELLO wORLD" "got '$out'"
	check "$img: rtlxcon (select loop console)" \
		prints "hELLO wORLD" sh -c "printf 'Hello World\n' | $A/rtlxcon -c 0 -e"
	check "$img: rtlxthreads (reader and writer threads on one fd), channel 1" \
		"$A/rtlxthreads" -c 1 -n 256K -t 30
	check "$img: rtlxthreads on channel 0 (case inverted)" \
		"$A/rtlxthreads" -c 0 -n 64K -t 30
	check "$img: rtlxpoll (non-blocking poller), channels 0-7" \
		"$A/rtlxpoll" -c 0-7 -n 3000 -t 10
	check "$img: rtlxbulk, 1 MiB each way on 2 channels" \
		"$A/rtlxbulk" -c 2,5 -n 1M -t 60
	# one line per process and channel, threads or not
	for ch in 2 5; do
		n=$(grep -c "rtlxbulk\[[0-9]*\] uses /dev/rtlx$ch, which is deprecated; use rpmsg" "$VPE_KMSG")
		[ "$n" = 1 ] &&
			pass "$img: one deprecation line for the threaded rtlxbulk on rtlx$ch" ||
			fail "$img: one deprecation line for the threaded rtlxbulk on rtlx$ch" "$(cat "$VPE_KMSG")"
	done
	n=$(grep -c "rtlxthreads\[[0-9]*\] uses /dev/rtlx" "$VPE_KMSG")
	[ "$n" = 2 ] && pass "$img: two rtlxthreads processes, two lines" ||
		fail "$img: two rtlxthreads processes, two lines" "$(cat "$VPE_KMSG")"
}

# §11 items 7-13, one row at a time.
part_semantics() {
	# 7: opening before and while nothing runs
	check "7: O_NONBLOCK open with no program: ENXIO (ENOSYS cannot cross FUSE)" \
		prints ENXIO "$P" open-nonblock 0
	check "7: blocking open with no program, then a signal: EINTR" \
		prints "EINTR signals=1" "$P" -t 0.3 open-signal 0
	"$P" -t 20 open 0 >/tmp/rtlx-open.$$ &
	waiter=$!
	sleep 0.3
	load_with cat "$FW/echo-el-296.elf"
	wait $waiter
	check "7: a blocking open waits for the program, then succeeds" \
		prints OK cat /tmp/rtlx-open.$$
	rm -f /tmp/rtlx-open.$$
	check "7: a second opener: EBUSY" prints EBUSY "$P" open-twice 0
	check "7: an open while another waits: EBUSY" \
		like EBUSY "$P" open-while-waiting 0

	# 8: reads return 0 where the legacy driver did, never EAGAIN or EINTR
	check "8: non-blocking read of an empty ring: 0" prints 0 "$P" read-nonblock 1
	check "8: O_NONBLOCK set with fcntl after open: 0" prints 0 "$P" read-fcntl 1
	check "8: a signal during a blocking read: 0, not EINTR" \
		prints "0 signals=1" "$P" -t 0.3 read-signal 1
	check "8: a read returns what is there" prints "hi" "$P" echo 1 hi

	# 9: short writes, EAGAIN, blocking writes
	check "9, 13: a full ring: EAGAIN after 2 x 2047 bytes (one slot stays empty)" \
		like "EAGAIN bytes=4094" "$P" write-full 2
	check "... drained" prints 4094 "$P" drain 2
	check "9: a blocking write on a full ring, then a signal: EINTR" \
		prints "EINTR signals=1" "$P" -t 0.3 write-block 2
	"$P" drain 2 >/dev/null
	check "9: a blocking write on a full ring completes when space comes" \
		prints 100 "$P" write-wait 2
	"$P" drain 2 >/dev/null

	# 10: readiness from ring state
	check "10: poll of an idle channel: writable only" \
		prints "POLLOUT|POLLWRNORM" "$P" poll 3
	check "10: poll for input on an empty ring times out" \
		prints timeout "$P" -t 0.3 poll-in 3
	check "10: poll wakes when the echo arrives" \
		prints "POLLIN|POLLRDNORM" "$P" poll-echo 3
	check "10: select: writable" prints write "$P" -t 0.3 select 3
	check "10: epoll: writable" prints "EPOLLOUT|EPOLLWRNORM" "$P" -t 0.3 epoll 3

	# 11: data left in a ring survive close and reopen
	"$P" send 4 kept >/dev/null
	sleep 0.2
	check "11: unread data survive close/reopen" prints kept "$P" recv 4 4

	# 13: no ioctl, no mmap
	check "13: ioctl: ENOTTY" prints ENOTTY "$P" ioctl 0
	check "13: mmap: ENODEV" prints ENODEV "$P" mmap 0

	# 8, 10: the program stops under an open file
	exec 9<>/dev/rtlx5
	"$P" -t 20 -f 9 read >/tmp/rtlx-read.$$ &
	reader=$!
	sleep 0.3
	echo 1 >"$MNT/kill"
	wait $reader
	check "8: a blocked read returns 0 when the program stops" \
		prints 0 cat /tmp/rtlx-read.$$
	rm -f /tmp/rtlx-read.$$
	check "10: nothing is reported while no program runs" \
		prints timeout "$P" -t 0.3 -f 9 poll
	check "9: a write with no program: EIO (the legacy kernel oopsed)" \
		prints EIO "$P" -f 9 write x
	exec 9>&-
	check "7: O_NONBLOCK open after the program stopped: ENXIO" \
		prints ENXIO "$P" open-nonblock 5
}

# Reloading under open files, and the 300-byte layout's program after it.
part_reload() {
	load_with cat "$FW/echo-el-296.elf"
	exec 8<>/dev/rtlx1
	"$P" -t 20 read 6 >/tmp/rtlx-reload.$$ 2>&1 &
	reader=$!
	sleep 0.3
	load_with cat "$FW/echo-el-300.elf"
	wait $reader
	check "a blocked read returns 0 when a new program is loaded" \
		prints 0 cat /tmp/rtlx-reload.$$
	rm -f /tmp/rtlx-reload.$$
	check "an fd opened before the reload talks to the new program" \
		prints "new" "$P" -f 8 echo new
	check "... whose layout is the 300-byte one" \
		test "$(probe report | sed -n 's/^rtlx_layout=//p')" = 300
	"$P" -f 8 send stale >/dev/null
	sleep 0.2
	load_with cat "$FW/echo-el-296.elf"
	check "no byte of the old program is read as the new one's" \
		prints 0 "$P" -f 8 read-nonblock
	exec 8>&-

	# a blocked reader is killable at once
	"$P" -t 60 read 0 >/dev/null 2>&1 &
	victim=$!
	sleep 0.3
	start=$(date +%s%N)
	kill -KILL $victim
	wait $victim 2>/dev/null
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$ms" -lt 1000 ] && pass "SIGKILL reaps a blocked reader (${ms} ms)" ||
		fail "SIGKILL reaps a blocked reader (${ms} ms)"
	check "... and the channel opens again" prints OK "$P" open-nonblock 0
}

# All 8 channels at once, random chunk sizes, checksummed, both ways.
part_bulk() {
	load_with cat "$FW/echo-el-296.elf"
	check "8 channels x ${VPE_BULK_BYTES:-64M} each way: no byte lost, duplicated or reordered" \
		"$A/rtlxbulk" -c 0-7 -n "${VPE_BULK_BYTES:-64M}" -s 7 -t 600
}

# poke32 KSEG0-ADDRESS VALUE: a little-endian word into the remote's RAM
poke32() {
	_off=$(( $1 & 0x1fffffff ))
	_v=$(( $2 ))
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((_v & 255)) \
		$(((_v >> 8) & 255)) $(((_v >> 16) & 255)) $(((_v >> 24) & 255)))" |
		dd of="$VPE_SIM_RAM" bs=1 seek="$_off" conv=notrunc status=none
}

# window_set CH FIELD VALUE: what a hostile remote could write into its
# own structure (296-byte layout: channels at 8 + 36 * CH)
window_set() {
	case "$2" in
	lx_state) _f=4 ;; buffer_size) _f=8 ;; rt_write) _f=12 ;;
	rt_read) _f=16 ;; rt_buffer) _f=20 ;; lx_write) _f=24 ;;
	lx_read) _f=28 ;; lx_buffer) _f=32 ;;
	esac
	poke32 $(( RTLX + 8 + 36 * $1 + _f )) "$3"
}

part_hostile() {
	load_with cat "$FW/echo-el-296.elf"
	probe wait-ready --timeout 20 >/dev/null
	RTLX=$(probe report | sed -n 's/^rtlx=//p')
	exec 9<>/dev/rtlx5
	window_set 5 buffer_size 0x7fffffff
	check "hostile buffer_size: a read on an open fd gives EIO" \
		prints EIO "$P" -f 9 read-nonblock
	check "... a write too" prints EIO "$P" -f 9 write x
	exec 9>&-
	check "... and so does opening it" prints EIO "$P" open-nonblock 5
	window_set 6 rt_buffer 0x9fffff00
	check "rt_buffer outside the window: EIO" prints EIO "$P" open-nonblock 6
	window_set 7 lx_buffer 0x12345678
	check "lx_buffer not even in KSEG0/KSEG1: EIO" prints EIO "$P" open-nonblock 7
	exec 9<>/dev/rtlx3
	window_set 3 lx_write 5000
	check "an index past the ring: EIO" prints EIO "$P" -f 9 read-nonblock
	check "... poll says POLLERR" prints POLLERR "$P" -t 0.3 -f 9 poll
	exec 9>&-
	check "the other channels keep working" prints "hELLO wORLD" "$P" echo 0 "Hello World"
	window_set 4 lx_state 3
	check "a remote that marks a channel opened keeps it busy: EBUSY" \
		prints EBUSY "$P" open-nonblock 4

	exec 9<>/dev/rtlx1
	poke32 "$RTLX" 0xdeadbeef
	check "a changed id: EIO on an open channel" prints EIO "$P" -f 9 write x
	check "... and on opening another" prints EIO "$P" open-nonblock 2
	poke32 "$RTLX" 0x12345602
	check "the id restored: the channel works again" prints "y" "$P" -f 9 echo y
	exec 9>&-
	check "the daemon survived all of it" test -e "$MNT/vpe1"

	# a remote that publishes garbage
	load_with cat "$FW/echo-el-296.elf"
	probe wait-ready --timeout 20 >/dev/null
	shared=$(probe report | sed -n 's/^vpe_shared_addr=//p')
	poke32 "$shared" 0x40000000
	check "vpe_shared pointing below KSEG0: ENXIO (legacy ENOSYS)" \
		prints ENXIO "$P" open-nonblock 0
	poke32 "$shared" 0x9ffffff0
	check "vpe_shared pointing outside the window: EIO" prints EIO "$P" open-nonblock 0
}

# The remote crashes under a blocked reader and a blocked writer.
part_crash() {
	# (the crash fixture also crashes by itself 1 s after it starts)
	load_with cat "$FW/crash-el.elf"
	probe wait-ready --timeout 20 >/dev/null
	"$P" write-full 2 >/dev/null
	"$P" -t 20 write 2 x >/tmp/rtlx-crash-w.$$ 2>&1 &
	writer=$!
	"$P" -t 20 read 3 >/tmp/rtlx-crash-r.$$ 2>&1 &
	reader=$!
	sleep 0.2
	"$P" send 7 '!' >/dev/null 2>&1
	wait $reader
	wait $writer
	check "the remote crashed" test "$(cat "$VPE_SIM_RPROC/state")" = crashed
	check "a blocked reader gets 0" prints 0 cat /tmp/rtlx-crash-r.$$
	check "a blocked writer gets an error (EIO)" prints EIO cat /tmp/rtlx-crash-w.$$
	rm -f /tmp/rtlx-crash-r.$$ /tmp/rtlx-crash-w.$$
	check "the daemon survived" test -e "$MNT/rtlx0"
	check "cat fw > /dev/vpe1 brings the channels back" \
		loads cat "$FW/echo-el-296.elf" runs_echo
	check "... through /dev/rtlx0 too" prints "hELLO wORLD" "$P" echo 0 "Hello World"
}

parts_dispatch "$@"
parts_need_root
for img in echo-el-296.elf echo-el-300.o; do
	part_run --endian little -- echo "$img"
done
for img in echo-eb-300.elf echo-eb-296.o; do
	part_run --endian big -- echo "$img"
done
part_run -- semantics
part_run --kernel 5.19 -- reload
part_run -- hostile
part_run -- crash
part_run -- bulk
exit $PARTS_STATUS
