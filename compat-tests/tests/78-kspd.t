#!/bin/sh
# KSPD: the SDE system calls of a firmware on channel 2, served by fuse-vpe
# --kspd DIR (docs/legacy-abi.md §8). The kspd fixture (firmware/sde.c)
# creates, writes, reads back, seeks and closes a file, climbs out of DIR
# and finds nothing, asks the time and for a raw o32 call that is not
# served, then exits; its report says how each step went, and Linux checks
# the file, who owns it and that the program stopped. Hostile requests
# (escapes, pointers outside the window, oversized sizes, unknown calls,
# requests across the ring's wrap, replies never read) are in kspd-test.
# Without --kspd, channel 2 is a plain channel.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/parts.sh"
: "${VPE_BUILD:=$here/../build}"
export VPE_BUILD
ROOT=$VPE_BUILD/kspd-root
export ROOT
P=$VPE_BUILD/apps/rtlxprobe
NOBODY=65534

# ---- inside with-sim -----------------------------------------------------

kmsg_has() {
	kmsg_since | grep -qF -- "$1"
}

# as_user CMD: CMD as uid/gid 65534, no groups, with CAP_DAC_OVERRIDE only
# to open the root-only /dev/vpe1 (a board's udev rule would make it the
# group's instead)
as_user() {
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		--inh-caps=-all,+dac_override --ambient-caps=-all,+dac_override \
		sh -c "$1"
}

# ran_script: the program exited after every step went as planned
ran_script() {
	wait_until 20 state_is offline || { echo "state: $(cat "$VPE_SIM_RPROC/state")"; return 1; }
	step=$(report_field kspd_step) fail=$(report_field kspd_fail)
	[ "$step" = 11 ] && [ "$fail" = 0 ] ||
		{ echo "step $step, failed at $fail: $(report_field kspd_got)"; return 1; }
}

part_serve() {
	e=$1
	fw=$FW/kspd-$e.elf
	mkdir -p "$ROOT/sub" "$ROOT/u" "$ROOT/ro"
	chown $NOBODY:$NOBODY "$ROOT/u"
	rm -f "$ROOT"/*/kspd-out.txt "$ROOT/kspd-out.txt"

	kmsg_mark
	check "$e: root loads the kspd fixture from DIR/sub" \
		sh -c "cd '$ROOT/sub' && cat '$fw' >/dev/vpe1"
	check "... it ran its script and exited (offline)" ran_script
	is "... the file it wrote, beside the loader's working directory" \
		"hello from the SP" cat "$ROOT/sub/kspd-out.txt"
	is "... owned by root, as its loader" "0 0" stat -c '%u %g' "$ROOT/sub/kspd-out.txt"
	is "... mode 0644 (it asked for 0644, the loader's umask is 022)" 644 \
		stat -c %a "$ROOT/sub/kspd-out.txt"
	now=$(date +%s) t=$(report_field kspd_time)
	check "... the time it was given is the host's ($t)" \
		test $((now - t)) -ge 0 -a $((now - t)) -lt 120
	check "... the log: its exit code" kmsg_has "KSPD: the program exited with code 42"
	check "... the log: the raw o32 call not served" kmsg_has "KSPD: call 4020 not served"

	check "$e: uid $NOBODY loads it from DIR/u, with umask 077" \
		as_user "umask 077 && cd '$ROOT/u' && cat '$fw' >/dev/vpe1"
	check "... it ran its script and exited" ran_script
	is "... the file is uid $NOBODY's" "$NOBODY $NOBODY" stat -c '%u %g' "$ROOT/u/kspd-out.txt"
	is "... with the loader's umask: 0600" 600 stat -c %a "$ROOT/u/kspd-out.txt"

	check "$e: uid $NOBODY in DIR/ro, a directory it may not write" \
		as_user "cd '$ROOT/ro' && cat '$fw' >/dev/vpe1"
	check "... the program stopped" wait_until 20 state_is offline
	is "... its first call (creating the file) failed" 1 report_field kspd_fail
	is "... with EACCES (MIPS 13)" 0xfffffff3 report_field kspd_got
	check "... nothing was created" test ! -e "$ROOT/ro/kspd-out.txt"

	check "$e: loaded from outside DIR (/tmp): paths are DIR's" \
		sh -c "cd /tmp && cat '$fw' >/dev/vpe1"
	check "... it ran its script" ran_script
	check "... the file is in DIR itself" test -f "$ROOT/kspd-out.txt"
	check "... not in /tmp" test ! -e /tmp/kspd-out.txt
}

# A daemon started with umask 077 (as some init systems do): the files get
# the loader's umask, not the daemon's as well.
part_daemon_umask() {
	rm -f "$ROOT/sub/kspd-out.txt"
	check "daemon umask 077, loader umask 022: the program runs its script" \
		sh -c "umask 022 && cd '$ROOT/sub' && cat '$FW/kspd-el.elf' >/dev/vpe1"
	check "... and exits" ran_script
	is "... its file is 0644 all the same" 644 stat -c %a "$ROOT/sub/kspd-out.txt"
}

# While KSPD serves channel 2, a program's open of /dev/rtlx2 finds it
# taken, as when the kernel's kspd held it.
part_busy() {
	load_with cat "$FW/echo-el-296.elf"
	check "the echo program runs under --kspd" runs_echo
	check "/dev/rtlx2 is KSPD's: an open gets EBUSY" wait_until 5 sh -c \
		"[ \"\$('$P' open-nonblock 2)\" = EBUSY ]"
	is "/dev/rtlx1 is not" OK "$P" open-nonblock 1
}

# Without --kspd, the fixture's first request waits in channel 2 for
# whoever reads it: header (OPEN, size 12) and arguments, native order.
part_plain() {
	load_with cat "$FW/kspd-el.elf"
	check "without --kspd the fixture runs" probe wait-ready --timeout 20
	is "its first request is there to read on /dev/rtlx2: OPEN, 12 bytes of arguments" \
		"01 00 00 00 00 0c" sh -c "timeout 5 head -c 6 /dev/rtlx2 | od -An -tx1 | sed 's/^ //'"
	is "... and it waits for a reply (still running)" running cat "$VPE_SIM_RPROC/state"
	echo 1 >"$MNT/kill"
}

parts_dispatch "$@"

# ---- outside -------------------------------------------------------------
parts_need_root
rm -rf "$ROOT"
mkdir -p "$ROOT"
check "fuse-vpe refuses --kspd without --window, saying why" sh -c \
	"out=\$('$VPE_BUILD/fuse-vpe/fuse-vpe' --kspd '$ROOT' /tmp 2>&1); [ \$? -ne 0 ] && printf '%s' \"\$out\" | grep -q 'needs --window'"
VPE_DAEMON_OPTS="--kspd $ROOT" part_run --endian little -- serve el
VPE_DAEMON_OPTS="--kspd $ROOT" part_run --endian big -- serve eb
VPE_DAEMON_OPTS="--kspd $ROOT" part_run -- busy
(umask 077 && VPE_DAEMON_OPTS="--kspd $ROOT" part_run -- daemon_umask) || PARTS_STATUS=1
part_run -- plain
rm -rf "$ROOT"
[ "$TAP_FAILED" -eq 0 ] || PARTS_STATUS=1
exit $PARTS_STATUS
