#!/bin/sh
# selftest.sh [BUILD_DIR]: the rtlx programs' own logic (short writes,
# random chunking, checksums, the difference diagnosis, poll loops,
# timeouts, usage and exit statuses) against rtlxloop, the pty stand-in.
# No /dev/rtlxN, daemon or QEMU needed; TAP output. BUILD_DIR holds the
# programs and testing/rtlxloop (default: ../../build/apps).
#
# A pty is not RTLX: where the two differ the expected values here are the
# pty's (EAGAIN instead of 0 for an empty non-blocking read, EINTR instead
# of 0 for a read interrupted by a signal, a second open succeeds, TCGETS
# succeeds, the tty buffers add to the ring). The RTLX values are checked by
# tests/70-rtlx.t and 72-rtlx-apps.t against the real device files.

here=$(cd "$(dirname "$0")/../.." && pwd)	# compat-tests
. "$here/lib/tap.sh"
B=${1:-$here/../build/apps}
B=$(cd "$B" && pwd)

work=$(mktemp -d)
loop=
stop_loop() {
	[ -z "$loop" ] || { kill "$loop" 2>/dev/null; wait "$loop" 2>/dev/null; }
	loop=
}
trap 'stop_loop; rm -rf "$work"' EXIT

# start_loop [rtlxloop options]: fresh stand-in (stream offsets from 0)
start_loop() {
	stop_loop
	rm -f "$work/loop.out"	# (the child truncates it only once it runs)
	"$B/testing/rtlxloop" -p "$work/rtlx" "$@" >"$work/loop.out" 2>&1 &
	loop=$!
	wait_until 5 grep -q ready "$work/loop.out"
}

D="-d $work/rtlx"
probe() {
	"$B/rtlxprobe" $D "$@" 2>&1
}

# is WHAT GOT WANT: pass if equal
is() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', wanted '$3'"; fi
}

# like WHAT GOT PATTERN: pass if GOT matches the shell pattern
like() {
	case "$2" in
	$3) pass "$1" ;;
	*) fail "$1" "got '$2', wanted $3" ;;
	esac
}

for p in rtlxcon rtlxthreads rtlxpoll rtlxbulk rtlxprobe testing/rtlxloop; do
	"$B/$p" -h >"$work/h" 2>&1
	st=$?
	[ $st = 0 ] && grep -q "^usage: ${p#testing/} " "$work/h" &&
		pass "$p -h: usage, status 0" || fail "$p -h: usage, status 0" "status $st"
	"$B/$p" -Z >"$work/h" 2>&1
	is "$p with a bad option: status 2" $? 2
done

start_loop || { fail "rtlxloop starts" "$(cat "$work/loop.out")"; tap_end; exit 1; }

# ---- rtlxcon ---------------------------------------------------------------
out=$(printf 'Hello World\n' | "$B/rtlxcon" $D -c 0 -e)
is "rtlxcon: 'Hello World' on channel 0 comes back as 'hELLO wORLD'" "$out" "hELLO wORLD"
out=$(printf 'Hello World\n' | "$B/rtlxcon" $D -c 3 -e)
is "rtlxcon: channel 3 echoes unchanged" "$out" "Hello World"
t0=$(date +%s%N)
out=$(printf 'abc\n' | "$B/rtlxcon" $D -c 2 -t 0.5)
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
if [ "$out" = abc ] && [ $ms -ge 450 ] && [ $ms -lt 2000 ]; then
	pass "rtlxcon: without -e it lingers -t seconds after stdin ends (${ms} ms)"
else
	fail "rtlxcon: without -e it lingers -t seconds after stdin ends" "'$out' after $ms ms"
fi
out=$("$B/rtlxcon" $D -c 2 -t 0 </dev/null)
is "rtlxcon: empty stdin, -t 0: ends at once, prints nothing" "$out" ""
# a pty's blocking write waits for all its bytes (RTLX returns short), so
# a big input through the console loop needs a stand-in buffer that never
# fills; the loop itself still interleaves input and output
start_loop -r 1048576
head -c 3000000 /dev/urandom >"$work/rnd"
"$B/rtlxcon" $D -c 5 -e <"$work/rnd" >"$work/rnd.out"
st=$?
[ $st = 0 ] && cmp -s "$work/rnd" "$work/rnd.out" &&
	pass "rtlxcon: 3 MB of binary data on channel 5 come back byte for byte" ||
	fail "rtlxcon: 3 MB of binary data on channel 5 come back byte for byte" \
		"status $st, $(wc -c <"$work/rnd.out") bytes"
start_loop
"$B/rtlxcon" -d "$work/none" </dev/null >"$work/err" 2>&1
st=$?
[ $st = 1 ] && grep -q "^rtlxcon: open $work/none0: No such file or directory" "$work/err" &&
	pass "rtlxcon: a missing device: 'rtlxcon: open ...: strerror', status 1" ||
	fail "rtlxcon: a missing device: 'rtlxcon: open ...: strerror', status 1" "$(cat "$work/err")"

# ---- rtlxthreads -----------------------------------------------------------
for c in 0 1; do
	out=$("$B/rtlxthreads" $D -c $c -n 4M -s 42)
	st=$?
	like "rtlxthreads: channel $c, 4 MiB, every byte checked" "$st $out" \
		"0 rtlxthreads: channel $c: 4194304 bytes echoed and verified, *"
done
out=$("$B/rtlxthreads" $D -c 4 -n 1M -m 1)
like "rtlxthreads: one byte per call" "$out" "rtlxthreads: channel 4: 1048576 bytes echoed and verified*"
start_loop -x 1:flip:1000:1
"$B/rtlxthreads" $D -c 1 -n 100000 >"$work/out" 2>&1
st=$?
[ $st = 1 ] && grep -q '^rtlxthreads: channel 1: offset 1000: got 0x' "$work/out" &&
	grep -q 'FAILED: 100000 of 100000 bytes received, 1 mismatched' "$work/out" &&
	pass "rtlxthreads: a corrupted byte is found at its offset, status 1" ||
	fail "rtlxthreads: a corrupted byte is found at its offset, status 1" "$(cat "$work/out")"
start_loop -S 6
t0=$(date +%s)
"$B/rtlxthreads" $D -c 6 -n 100000 -t 1 >"$work/out" 2>&1
st=$?
t1=$(date +%s)
[ $st = 1 ] && [ $((t1 - t0)) -le 3 ] &&
	grep -q '^rtlxthreads: channel 6: timed out after .*received 0 of 100000' "$work/out" &&
	pass "rtlxthreads: no echo: times out after -t with the progress, status 1" ||
	fail "rtlxthreads: no echo: times out after -t with the progress, status 1" "$(cat "$work/out")"

# ---- rtlxpoll ----------------------------------------------------------------
start_loop
out=$("$B/rtlxpoll" $D -c 0,3,5)
st=$?
[ $st = 0 ] && [ "$(echo "$out" | grep -c ': ok: sent 256, echoed 256 of 256 bytes')" = 3 ] &&
	pass "rtlxpoll: channels 0,3,5 echo" || fail "rtlxpoll: channels 0,3,5 echo" "$out"
out=$("$B/rtlxpoll" $D -c 0-7 -n 100000)
st=$?
if [ $st = 0 ] && [ "$(echo "$out" | grep -c ': ok: ')" = 8 ] &&
	echo "$out" | grep -q 'short [1-9]'; then
	pass "rtlxpoll: 8 channels with full buffers: short writes, all echoes right"
else
	fail "rtlxpoll: 8 channels with full buffers: short writes, all echoes right" "$out"
fi
start_loop -S 2
out=$("$B/rtlxpoll" $D -c 1,2 -n 5000 -t 0.5)
st=$?
[ $st = 1 ] && echo "$out" | grep -q 'channel 1: ok' &&
	echo "$out" | grep -q 'channel 2: TIMED OUT: sent [0-9]*, echoed 0 of 5000' &&
	pass "rtlxpoll: a channel without echo times out, status 1" ||
	fail "rtlxpoll: a channel without echo times out, status 1" "$out"
start_loop -x 3:flip:10:1
"$B/rtlxpoll" $D -c 3 >"$work/out" 2>&1
st=$?
[ $st = 1 ] && grep -q 'channel 3: offset 10: got' "$work/out" &&
	grep -q 'channel 3: WRONG ECHO' "$work/out" &&
	pass "rtlxpoll: a wrong echo byte is reported at its offset, status 1" ||
	fail "rtlxpoll: a wrong echo byte is reported at its offset, status 1" "$(cat "$work/out")"

# ---- rtlxbulk ------------------------------------------------------------------
start_loop
out=$("$B/rtlxbulk" $D -c 0-7 -n 4M -s 3)
st=$?
[ $st = 0 ] && [ "$(echo "$out" | grep -c ': ok: 4194304 bytes each way, crc32 0x')" = 8 ] &&
	echo "$out" | grep -q '^rtlxbulk: total: 8 channel(s), 33554432 bytes each way, .*: ok$' &&
	pass "rtlxbulk: 8 channels x 4 MiB both ways at once, byte-exact" ||
	fail "rtlxbulk: 8 channels x 4 MiB both ways at once, byte-exact" "$out"
# the CRC32 is zlib's, over the expected echo (channel 0: case-inverted)
want=$(python3 -c '
import zlib
M = (1 << 64) - 1
def mix(z):
    z = (z + 0x9e3779b97f4a7c15) & M
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return z ^ (z >> 31)
for ch in (0, 1):
    key, b = mix(7 * 8 + ch), bytearray()
    for i in range(5000):
        x = (mix((key + (i >> 3)) & M) >> (8 * (i & 7))) & 0xff
        if ch == 0 and (65 <= x <= 90 or 97 <= x <= 122):
            x ^= 0x20
        b.append(x)
    print("0x%08x" % zlib.crc32(bytes(b)))
' 2>/dev/null | tr '\n' ' ')
got=$("$B/rtlxbulk" $D -c 0,1 -n 5000 -s 7 | sed -n 's/.*: ok: .*crc32 \(0x[0-9a-f]*\),.*/\1/p' | tr '\n' ' ')
if [ -z "$want" ]; then
	skip "rtlxbulk: CRC32 agrees with zlib" "no python3"
else
	is "rtlxbulk: CRC32 agrees with zlib (channel 0 case-inverted)" "$got" "$want"
fi
out=$("$B/rtlxbulk" $D -c 2 -n 2M -m 1M)
like "rtlxbulk: chunks up to 1 MiB" "$out" "*channel 2: ok: 2097152 bytes*"

N=1048576
start_loop -x 1:lose:100000:5 -x 2:dup:200000:7 -x 3:insert:300000:3 -x 4:flip:400000:2 \
	-x 5:swap:500000:16 -x 6:lose:$((N - 3)):3 -x 7:dup:$((N - 4)):4 -x 0:flip:$((N - 2)):2
"$B/rtlxbulk" $D -c 0-7 -n 1M -t 20 >"$work/out" 2>"$work/err"
st=$?
is "rtlxbulk: faults injected: status 1" $st 1
check_line() {
	grep -qF -- "$2" "$work/err" && pass "rtlxbulk: $1" ||
		fail "rtlxbulk: $1" "no line '$2' in:
$(cat "$work/err")"
}
check_line "5 bytes lost at 100000" "channel 1: offset 100000: 5 byte(s) lost (data continue with offset 100005)"
check_line "7 bytes duplicated after 200000" "channel 2: offset 200007: received the bytes of offset 200000 again (7 back"
check_line "3 bytes inserted at 300000" "channel 3: offset 300000: 3 unexpected byte(s) inserted"
check_line "2 bytes corrupted at 400000" "channel 4: offset 400000: 2 byte(s) corrupted"
check_line "two 16-byte blocks swapped at 500000 (1/3)" "channel 5: offset 500000: 16 byte(s) lost"
check_line "two 16-byte blocks swapped at 500000 (2/3)" "channel 5: offset 500032: received the bytes of offset 500000 again (32 back"
check_line "two 16-byte blocks swapped at 500000 (3/3)" "channel 5: offset 500016: 16 byte(s) lost"
check_line "the last 3 bytes missing" "channel 6: offset 1048573: the stream ends, 3 byte(s) missing"
check_line "4 bytes after the end" "channel 7: 4 byte(s) after the end of the stream"
check_line "the last 2 bytes corrupted" "channel 0: offset 1048574: the last 2 byte(s) differ"
n=$(grep -c ': FAILED: ' "$work/out")
is "rtlxbulk: all 8 channels FAILED, with the counts" "$n" 8
like "rtlxbulk: ... and the total says FAILED" "$(tail -n 1 "$work/out")" "rtlxbulk: total: *: FAILED"
start_loop -S 4
"$B/rtlxbulk" $D -c 3,4 -n 256K -t 3 >"$work/out" 2>&1
st=$?
[ $st = 1 ] && grep -q 'channel 3: done' "$work/out" &&
	grep -q 'channel 4: TIMED OUT: sent' "$work/out" &&
	grep -q 'FAILED: timed out after 3 s' "$work/out" &&
	pass "rtlxbulk: a channel without echo times out with the progress, status 1" ||
	fail "rtlxbulk: a channel without echo times out with the progress, status 1" \
		"$(cat "$work/out")"

# ---- rtlxprobe -----------------------------------------------------------------
start_loop -S 7
is "rtlxprobe open 0" "$(probe open 0)" OK
is "rtlxprobe open-nonblock 0" "$(probe open-nonblock 0)" OK
is "rtlxprobe echo 0 'Hello World'" "$(probe echo 0 'Hello World')" "hELLO wORLD"
is "rtlxprobe send 3 persist" "$(probe send 3 persist)" 7
is "rtlxprobe recv 3 7: what came back survives the close" "$(probe recv 3 7)" persist
is "rtlxprobe read-nonblock 0: a pty says EAGAIN (RTLX: 0)" "$(probe read-nonblock 0)" EAGAIN
is "rtlxprobe read-fcntl 0: the same after fcntl" "$(probe read-fcntl 0)" EAGAIN
is "rtlxprobe -t 0.2 read-signal 0: a pty says EINTR (RTLX: 0)" \
	"$(probe -t 0.2 read-signal 0)" "EINTR signals=1"
is "rtlxprobe poll 0: empty, writable" "$(probe poll 0)" "POLLOUT|POLLWRNORM"
is "rtlxprobe -t 0.2 poll-in 0: nothing to read: timeout" "$(probe -t 0.2 poll-in 0)" timeout
is "rtlxprobe poll-echo 0" "$(probe poll-echo 0)" "POLLIN|POLLRDNORM"
is "rtlxprobe select 0" "$(probe select 0)" write
is "rtlxprobe epoll 0" "$(probe epoll 0)" "EPOLLOUT|EPOLLWRNORM"
is "rtlxprobe write 1 abc" "$(probe write 1 abc)" 3
is "rtlxprobe drain 1: the echo of abc" "$(probe drain 1)" 3
like "rtlxprobe write-full 7 (no echo): EAGAIN after the buffers, short writes" \
	"$(probe write-full 7)" "EAGAIN bytes=[1-9]* short=[1-9]*"
is "rtlxprobe -t 0.2 write-block 7: EINTR" "$(probe -t 0.2 write-block 7)" "EINTR signals=1"
is "rtlxprobe -t 0.2 poll-out 7: full: timeout" "$(probe -t 0.2 poll-out 7)" timeout
is "rtlxprobe -t 0.2 select 7: full: timeout" "$(probe -t 0.2 select 7)" timeout
is "rtlxprobe -t 3 write-wait 1: a reader frees space, the write goes through" \
	"$(probe -t 3 write-wait 1)" 100
like "rtlxprobe drain 1: everything back" "$(probe drain 1)" "[1-9]*"
is "rtlxprobe ioctl 0: a pty answers TCGETS (RTLX: ENOTTY)" "$(probe ioctl 0)" OK
is "rtlxprobe mmap 0" "$(probe mmap 0)" ENODEV
is "rtlxprobe lseek 0: a pty says ESPIPE" "$(probe lseek 0)" ESPIPE
is "rtlxprobe fsync 0" "$(probe fsync 0)" EINVAL
like "rtlxprobe open-while-waiting 0: the child opened and holds" \
	"$(probe open-while-waiting 0)" "OK waiter=blocked-or-holding"
is "rtlxprobe open-restart 0: nothing to interrupt" "$(probe open-restart 0)" OK
exec 9<>"$work/rtlx3"
is "rtlxprobe -f 9 write hi" "$("$B/rtlxprobe" -f 9 write hi)" 2
sleep 0.1
is "rtlxprobe -f 9 poll: readable now" "$("$B/rtlxprobe" -f 9 poll)" \
	"POLLIN|POLLOUT|POLLRDNORM|POLLWRNORM"
is "rtlxprobe -f 9 read-nonblock" "$("$B/rtlxprobe" -f 9 read-nonblock)" 2
exec 9>&-
"$B/rtlxprobe" -f 9 open >/dev/null 2>&1
is "rtlxprobe -f with an operation that opens: status 2" $? 2
probe nosuch 0 >/dev/null
is "rtlxprobe with an unknown operation: status 2" $? 2
out=$(probe -t 0.3 recv 1 5)
is "rtlxprobe -t 0.3 recv 1 5 with nothing coming: status 1" $? 1
out=$("$B/rtlxprobe" -d "$work/none" read 0 2>&1)
st=$?
[ $st = 1 ] && [ "$out" = "rtlxprobe: open $work/none0: ENOENT (No such file or directory)" ] &&
	pass "rtlxprobe: a failed preparatory open: status 1, errno name on stderr" ||
	fail "rtlxprobe: a failed preparatory open: status 1, errno name on stderr" "$st: $out"
out=$("$B/rtlxprobe" -d "$work/none" open-nonblock 0 2>&1)
is "rtlxprobe open-nonblock of a missing node: ENOENT, status 0" "$? $out" "0 ENOENT"

tap_end
