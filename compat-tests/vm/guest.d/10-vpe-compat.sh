#!/bin/sh
# Guest step: vpe_compat.ko in test mode (a vmalloc'd window and the
# remote's node).  Load, map, doorbells both ways, several openers,
# deprecation lines read back from the real dmesg, unload refused while a
# mapping lives, removal under open files, unload, a clean kernel log, and
# leaks.  Needs /lib/vpe-compat/vpe_compat.ko and /bin/vpetest.
. /lib/tap.sh
. /lib/guest-lib.sh

KO=/lib/vpe-compat/vpe_compat.ko
L=/dev/vpe_compat0
R=/dev/vpe_compat0_remote
SIZE=1048576

# ---- load -----------------------------------------------------------------
check "insmod vpe_compat.ko test_size=$SIZE" insmod "$KO" test_size=$SIZE
if ! grep -q '^vpe_compat ' /proc/modules; then
	log_since | tap_diag
	tap_end
	exit 1
fi
check "the module logs its test window" \
	sh -c "dmesg | grep -q 'vpe-compat: vpe_compat0: test window of 1024 KiB'"
check "/dev/vpe_compat0 and /dev/vpe_compat0_remote are character devices" \
	test -c $L -a -c $R
check "both nodes are mode 0600" \
	sh -c "[ \"\$(stat -c %a $L $R | tr '\n' ' ')\" = '600 600 ' ]"
check_show "INFO: 1 MiB test window, flags TEST|DOORBELL|KICK|CACHED (+REMOTE), unknown ioctl ENOTTY" \
	vpetest info $SIZE

# ---- memory ---------------------------------------------------------------
check_show "mmap: both nodes see the same bytes, both ways, at any offset" \
	vpetest share
check "mmap past the window or MAP_PRIVATE fails with EINVAL (both nodes)" \
	vpetest bounds
check "vmalloc'd window: /proc/vmallocinfo shows it, from vpe_compat" \
	sh -c "grep vpe_compat /proc/vmallocinfo | grep -q vmalloc"

# ---- doorbells --------------------------------------------------------------
check_show "10000 kicks from the remote node: counted exactly 10000 by the Linux node" \
	vpetest bells remote 10000
check_show "10000 kicks from the Linux node: counted exactly 10000 by the remote node" \
	vpetest bells linux 10000
check_show "two openers: own read positions, POLLIN per fd, shared mapping; two concurrent readers see all 1000 rings" \
	vpetest openers 1000
check_show "read: 4-byte read EINVAL, O_NONBLOCK EAGAIN, blocking read wakes, EINTR on a signal, no ring lost" \
	vpetest readsem

# ---- deprecation lines ------------------------------------------------------
repl="remoteproc (/sys/class/remoteproc)"
for i in 1 2 3; do
	check "deprecation ioctl for legacyapp[4242] /dev/rtlx$i" \
		vpetest deprecate 4242 legacyapp /dev/rtlx$i "$repl"
done
for i in 1 2 3; do
	line="vpe-compat: legacyapp[4242] uses /dev/rtlx$i, which is deprecated; use $repl"
	n=$(log_count "$line")
	if [ "$n" = 1 ]; then
		pass "dmesg has exactly one line: $line"
	else
		fail "dmesg has exactly one line: $line" "found $n times"
	fi
done
tag=$$
check "invalid deprecation requests (pid, flags, lengths, NUL, control characters) fail with EINVAL" \
	vpetest badargs $tag
n=$(log_count "bad-$tag")
if [ "$n" = 0 ]; then
	pass "invalid deprecation requests log nothing"
else
	fail "invalid deprecation requests log nothing" "$(log_since | grep -F "bad-$tag")"
fi

vpetest flood 30 $tag >/tmp/flood.out 2>&1
st=$?
nok=$(grep -c '^ok ' /tmp/flood.out)
nagain=$(grep -c '^eagain ' /tmp/flood.out)
lines=$(log_count "/dev/flood-$tag-")
if [ $st -eq 0 ] && [ $((nok + nagain)) -eq 30 ] && [ "$nok" -ge 1 ] &&
	[ "$nok" -le 10 ] && [ "$nagain" -ge 1 ] && [ "$lines" -eq "$nok" ]; then
	pass "rate limit: 30 calls at once: $nok logged, $nagain refused with EAGAIN, $lines lines"
else
	fail "rate limit: 30 calls at once: at most 10 logged, the rest EAGAIN, one line each" \
		"status $st, ok $nok, eagain $nagain, lines $lines"
	tap_diag </tmp/flood.out
fi
bad=""
for i in $(sed -n 's/^ok //p' /tmp/flood.out); do
	[ "$(log_count "/dev/flood-$tag-$i,")" = 1 ] || bad="$bad ok:$i"
done
for i in $(sed -n 's/^eagain //p' /tmp/flood.out); do
	[ "$(log_count "/dev/flood-$tag-$i,")" = 0 ] || bad="$bad eagain:$i"
done
if [ -z "$bad" ]; then
	pass "rate limit: each logged call has one line, each refused call none"
else
	fail "rate limit: each logged call has one line, each refused call none" \
		"wrong line counts for:$bad"
fi

# ---- unload with a mapping alive ----------------------------------------------
rm -f /tmp/held
vpetest holdmap /tmp/held 60 >/tmp/holdmap.out 2>&1 &
holder=$!
if wait_until 20 test -e /tmp/held; then
	check_fails "rmmod is refused while a mapping is alive (its file closed)" \
		rmmod vpe_compat
	check "the module and its nodes survive the refused rmmod" \
		sh -c "grep -q '^vpe_compat ' /proc/modules && test -c $L"
	kill -TERM $holder
	if wait $holder; then
		pass "the mapping stayed usable until munmap"
	else
		fail "the mapping stayed usable until munmap"
	fi
	tap_diag </tmp/holdmap.out
else
	fail "a process maps the window and closes its file" "$(cat /tmp/holdmap.out)"
	kill -KILL $holder 2>/dev/null
	wait $holder
fi

# ---- removal under open files ---------------------------------------------------
check_show "unbind with open files: blocked read ENODEV, POLLHUP, kick ENODEV, mapping stays valid; bind again" \
	vpetest unbind

# ---- unload -------------------------------------------------------------------
check "rmmod vpe_compat" rmmod vpe_compat
check "the module and its nodes are gone" \
	sh -c "! grep -q '^vpe_compat ' /proc/modules && ! test -e $L && ! test -e $R"

# ---- a clean kernel log -------------------------------------------------------
check_log_clean "load, use, unload"

# ---- leaks -------------------------------------------------------------------
vmalloc_kb() {
	sed -n 's/^VmallocUsed: *\([0-9]*\) kB/\1/p' /proc/meminfo
}
km=/sys/kernel/debug/kmemleak
if [ -e $km ]; then
	echo scan >$km
	echo clear >$km
fi
before=$(vmalloc_kb)
ok=1
for i in 1 2 3; do
	insmod "$KO" test_size=8388608 || ok=0
	vpetest share >/dev/null || ok=0
	vpetest bells remote 100 >/dev/null || ok=0
	rmmod vpe_compat || ok=0
done
after=$(vmalloc_kb)
if [ $ok = 1 ] && [ $((after - before)) -lt 4096 ]; then
	pass "no vmalloc leak over 3 load/use/unload cycles of an 8 MiB window (VmallocUsed $before kB -> $after kB)"
else
	fail "no vmalloc leak over 3 load/use/unload cycles of an 8 MiB window" \
		"cycles ok=$ok, VmallocUsed $before kB -> $after kB"
fi
if [ -e $km ]; then
	echo scan >$km
	sleep 1
	echo scan >$km
	if grep -q vpe_compat $km; then
		fail "kmemleak: no leak" "$(head -n 40 $km)"
	else
		pass "kmemleak: no leak"
	fi
else
	skip "kmemleak: no leak" "kmemleak not available ($km missing: CONFIG_DEBUG_KMEMLEAK is off in this kernel)"
fi

tap_end
