#!/bin/sh
# with-sim: the harness that runs a command against the emulated remote.
# Checks the environment it gives, that the host's /dev and mount table are
# never touched, that COMMAND's status comes back, and that nothing survives
# it: neither when COMMAND fails or is killed, nor when with-sim is killed.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
: "${VPE_BUILD:=$here/../build}"
export VPE_BUILD
WITH_SIM=$here/sim/with-sim
HANDCONVERT=$here/lib/handconvert.sh
FWPROBE=$VPE_BUILD/tools/fwprobe
FW=$VPE_BUILD/firmware

work=$(mktemp -d)
bg_pid=
cleanup() {
	[ -z "$bg_pid" ] || kill -KILL "$bg_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	skip "with-sim" "needs root for mount and PID namespaces"
	tap_end
	exit
fi

# Our processes only: the simulator's RAM file lives in with-sim's private
# /dev, so any QEMU or simulator naming /dev/vpe-sim is one of ours.
leftovers() {
	pgrep -f 'vpe-sim/[r]am' || true
}

no_leftovers() {
	wait_until 5 sh -c "! pgrep -f 'vpe-sim/[r]am' >/dev/null"
}

host_dev_before=$(ls -A /dev | sort | tr '\n' ' ')
host_mounts_before=$(wc -l </proc/self/mountinfo)

# --- the environment COMMAND gets -----------------------------------------
cat >"$work/env.sh" <<'EOF'
set -e
for v in VPE_SIM_CLASS VPE_SIM_RPROC VPE_SIM_NAME VPE_SIM_FWDIR VPE_SIM_RAM \
	 VPE_SIM_LOG VPE_SIM_UART VPE_SIM_ENDIAN VPE_SIM_KERNEL VPE_KMSG; do
	eval "val=\${$v:-}"
	[ -n "$val" ] || { echo "$v unset"; exit 1; }
done
[ "$(cat "$VPE_SIM_RPROC/state")" = offline ]
[ "$(cat "$VPE_SIM_RPROC/name")" = "$VPE_SIM_NAME" ]
[ -d "$VPE_SIM_FWDIR" ] && [ -w "$VPE_KMSG" ]
[ -c /dev/null ] && [ -c /dev/fuse ] && [ -d /dev/shm ]
# a private /dev: nothing of the host's is here
[ ! -e /dev/vda ] && [ ! -e /dev/kmsg ]
echo "$VPE_SIM_ENDIAN $VPE_SIM_KERNEL"
EOF
out=$("$WITH_SIM" -- sh "$work/env.sh" 2>&1)
if [ "$out" = "little 4.x" ]; then
	pass "COMMAND sees the simulator, its paths and a private /dev"
else
	fail "COMMAND sees the simulator, its paths and a private /dev" "$out"
fi
out=$("$WITH_SIM" --endian big --kernel 5.19 -- sh "$work/env.sh" 2>&1)
if [ "$out" = "big 5.19" ]; then
	pass "--endian and --kernel reach the simulator"
else
	fail "--endian and --kernel reach the simulator" "$out"
fi

# --- exit status and stdio ------------------------------------------------
"$WITH_SIM" -- sh -c 'exit 7' >/dev/null 2>&1
st=$?
[ "$st" -eq 7 ] && pass "COMMAND's exit status is with-sim's" ||
	fail "COMMAND's exit status is with-sim's" "got $st, wanted 7"

"$WITH_SIM" -- /nonexistent/command >/dev/null 2>&1
st=$?
[ "$st" -eq 127 ] && pass "a command that cannot run gives 127" ||
	fail "a command that cannot run gives 127" "got $st"

out=$("$WITH_SIM" -- sh -c 'cat; echo ran' <&- 2>&1)
[ "$out" = "ran" ] && pass "a closed stdin (as in CI) reaches COMMAND as /dev/null" ||
	fail "a closed stdin (as in CI) reaches COMMAND as /dev/null" "$out"

out=$(echo "through stdin" | "$WITH_SIM" -- cat 2>&1)
[ "$out" = "through stdin" ] && pass "stdin and stdout pass through" ||
	fail "stdin and stdout pass through" "$out"

"$WITH_SIM" -- sh -c 'kill -KILL $$' >/dev/null 2>&1
st=$?
[ "$st" -eq 137 ] && pass "a COMMAND killed by SIGKILL gives 137" ||
	fail "a COMMAND killed by SIGKILL gives 137" "got $st"
check "nothing survives a killed COMMAND" no_leftovers

check_fails "bad --endian is refused" "$WITH_SIM" --endian middle -- true

# --- a booted remote, then with-sim killed from outside -------------------
boot_echo() {
	# $1 = el|eb: hand-convert the echo fixture, boot it through the
	# simulated sysfs and wait until it publishes its rtlx_info.
	cat >"$work/boot.sh" <<EOF
set -e
sh "$HANDCONVERT" "$FW/echo-$1-296.elf" "\$VPE_SIM_FWDIR/echo.rproc"
echo echo.rproc > "\$VPE_SIM_RPROC/firmware"
echo start > "\$VPE_SIM_RPROC/state"
[ "\$(cat "\$VPE_SIM_RPROC/state")" = running ]
"$FWPROBE" --ram "\$VPE_SIM_RAM" --elf "\$VPE_SIM_FWDIR/echo.rproc" wait-ready --timeout 20
"$FWPROBE" --ram "\$VPE_SIM_RAM" --elf "\$VPE_SIM_FWDIR/echo.rproc" echo --channel 0 "Hello World"
EOF
}

for e in el eb; do
	endian=little
	[ "$e" = el ] || endian=big
	boot_echo "$e"
	out=$("$WITH_SIM" --endian "$endian" -- sh "$work/boot.sh" 2>&1)
	if [ "$(printf '%s\n' "$out" | tail -n 1)" = "hELLO wORLD" ]; then
		pass "$endian-endian echo boots under with-sim and answers"
	else
		fail "$endian-endian echo boots under with-sim and answers" "$out"
	fi
	check "nothing survives ($endian)" no_leftovers
done

boot_echo el
printf 'sleep 120\n' >>"$work/boot.sh"
"$WITH_SIM" -- sh "$work/boot.sh" >"$work/killed.out" 2>&1 &
bg_pid=$!
if wait_until 30 grep -q 'hELLO wORLD' "$work/killed.out" &&
	[ -n "$(leftovers)" ]; then
	pass "a remote is running inside with-sim"
else
	fail "a remote is running inside with-sim" "$(cat "$work/killed.out")"
fi
kill -KILL "$bg_pid"
wait "$bg_pid" 2>/dev/null
bg_pid=
check "with-sim killed by SIGKILL leaves no QEMU, simulator or daemon" no_leftovers

# --- the host was never touched -------------------------------------------
host_dev_after=$(ls -A /dev | sort | tr '\n' ' ')
[ "$host_dev_before" = "$host_dev_after" ] && pass "the host's /dev is unchanged" ||
	fail "the host's /dev is unchanged" "before: $host_dev_before
after: $host_dev_after"
wait_until 5 sh -c "[ \$(wc -l </proc/self/mountinfo) -eq $host_mounts_before ]"
[ "$(wc -l </proc/self/mountinfo)" -eq "$host_mounts_before" ] &&
	pass "the host's mount table is unchanged" ||
	fail "the host's mount table is unchanged" "$(cat /proc/self/mountinfo)"

tap_end
