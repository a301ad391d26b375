#!/bin/sh
# The board's migration check, vpe-compat-selftest, run where a board runs
# it: in the full-system guest, first on the kernel's legacy loader (it
# records a transcript), then on vpe-compat (it compares against it), on
# the little- and the big-endian 6.1 kernels.  Its TAP is checked for form (version line, plan
# first, as many results as planned) and every result of it counts here.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/fullsys.sh"
top=$(cd "$here/.." && pwd)

FS_KERNELS="6.1 6.1-be" fullsys_need "vpe-compat-selftest in a MIPS guest"

# The selftest as installed: the script, its helpers (the guest's own
# static rtlxprobe, in /vpe/bin) and the echo fixtures in both layouts.
S=$FS_DIR/selftest
rm -rf "$S"
mkdir -p "$S/lib/firmware"
cp "$top/selftest/vpe-compat-selftest" "$S/"
cp "$FW"/echo-el-296.elf "$FW"/echo-el-300.elf "$FW"/echo-eb-296.elf \
	"$FW"/echo-eb-300.elf "$S/lib/firmware/"

# run MODE KERNEL ARGS...: the selftest in a guest; its TAP in $S/out.MODE
run() {
	_mode=$1 _k=$2
	shift 2
	_opt=
	[ "$_mode" = vpe-compat ] || _opt=--legacy
	"$here/fullsys/with-mips" --kernel "$_k" $_opt --console "$FS_CONSOLE" \
		--add "$S/vpe-compat-selftest" --add "$S/lib" ${REC:+--add "$REC"} -- \
		sh -c 'mkdir -p /tmp/st && ln -s /vpe/bin /tmp/st/bin &&
			ln -s /add/lib/firmware /tmp/st/firmware &&
			VPE_SELFTEST_LIB=/tmp/st sh /add/vpe-compat-selftest "$@"
			st=$?; [ ! -f /tmp/rec ] || { echo @@transcript; cat /tmp/rec; }
			exit $st' sh "$@" >"$S/out.$_mode" 2>&1
	ST=$?
}

# tap_form FILE: version line, then the plan, then that many results
tap_form() {
	_plan=$(sed -n 2p "$1" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
	[ "$(sed -n 1p "$1")" = "TAP version 13" ] && [ -n "$_plan" ] &&
		[ "$(grep -c -E '^(not )?ok [0-9]+ ' "$1")" = "$_plan" ]
}

# its exit status: 1 with a failed test, else 0 (with-mips passes it on)
status_ok() {
	if grep -q '^not ok' "$S/out.$1"; then
		[ "$ST" = 1 ]
	else
		[ "$ST" = 0 ]
	fi
}

for k in 6.1 6.1-be; do
	REC=
	run legacy $k --record /tmp/rec
	check "$k legacy: TAP version 13, the plan first, every result" tap_form "$S/out.legacy"
	fullsys_relay "$S/out.legacy" "$k legacy"
	sed -n '/^@@transcript$/,$p' "$S/out.legacy" | sed 1d >"$S/rec"
	check "$k legacy: its exit status says how it went ($ST)" status_ok legacy
	check "$k legacy: a transcript came out" test -s "$S/rec"
	REC=$S/rec
	run vpe-compat $k --compare /add/rec
	check "$k vpe-compat: TAP version 13, the plan first, every result" tap_form "$S/out.vpe-compat"
	fullsys_relay "$S/out.vpe-compat" "$k vpe-compat"
	check "$k vpe-compat: its exit status says how it went ($ST)" status_ok vpe-compat
done
tap_end
