#!/bin/sh
# The whole stack in a real MIPS Linux (QEMU Malta, 34Kf): vpe_rproc.ko,
# vpe_compat.ko and fuse-vpe (static, mipsel) under the legacy programs,
# on both guest kernels (guest/stack.sh), 8 channels x 16 MiB on 6.12;
# the harness itself (with-mips): status, time limit, nothing left behind,
# and the two modes, vpe-compat and the kernel's own legacy loader.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/fullsys.sh"
WM=$here/fullsys/with-mips

FS_KERNELS="6.1 6.12 6.1-be" fullsys_need "the vpe-compat stack in a MIPS guest"

# ---- with-mips ---------------------------------------------------------------------
check "with-mips: a missing --add file is a usage error (2)" \
	sh -c "'$WM' --add /nonexistent -- true; [ \$? = 2 ]"
guest "with-mips: the command's status comes back" -- sh -c 'exit 0'
"$WM" -- sh -c 'echo out; echo err >&2; exit 7' >"$FS_OUT" 2>&1
st=$?
[ $st = 7 ] && [ "$(grep -c -x -e out -e err "$FS_OUT")" = 2 ] &&
	pass "with-mips: exit 7 and both output streams" ||
	fail "with-mips: exit 7 and both output streams" "status $st: $(cat "$FS_OUT")"
t0=$(date +%s)
"$WM" --timeout 20 -- sleep 600 >"$FS_OUT" 2>&1
st=$?
[ $st = 124 ] && [ $(( $(date +%s) - t0 )) -lt 120 ] &&
	pass "with-mips --timeout 20: a guest that does not end is killed (124)" ||
	fail "with-mips --timeout 20: a guest that does not end is killed (124)" "status $st"
check "... no QEMU is left" sh -c '! pgrep -x qemu-system-mipsel && ! pgrep -x qemu-system-mips'

# the acceptance commands of the issue
cp "$FW/echo-el-296.elf" "$FS_DIR/fw.elf"
"$WM" --add "$FS_DIR/fw.elf" -- sh -c \
	'cat /add/fw.elf > /dev/vpe1 && cat /sys/class/remoteproc/remoteproc0/state' \
	>"$FS_OUT" 2>&1
check "vpe-compat: cat /add/fw.elf > /dev/vpe1 && cat .../state prints running" \
	grep -qx running "$FS_OUT"
"$WM" --legacy --add "$FS_DIR/fw.elf" -- sh -c \
	'cat /add/fw.elf > /dev/vpe1 && [ -c /dev/vpe1 ] && dmesg | grep -q "^ elf loaded" && echo legacy-loaded' \
	>"$FS_OUT" 2>&1
check "--legacy: the same load goes through the kernel's own loader" \
	grep -qx legacy-loaded "$FS_OUT"

# ---- the stack on both kernels, and big-endian ------------------------------------------
I=$FS_DIR/stack
for k in 6.1 6.12 6.1-be; do
	case $k in 6.1|6.1-*) l=300 bulk=1M ;; *) l=296 bulk=16M ;; esac
	case $k in *-be) e=eb ;; *) e=el ;; esac
	rm -rf "$I" && mkdir -p "$I"
	cp "$FW/echo-$e-$l.elf" "$I/echo.elf"
	cp "$FW/echo-$e-$l.o" "$I/echo.o"
	cp "$FW/bell-$e-$l.elf" "$I/bell.elf"
	cp "$FW/crash-$e.elf" "$I/crash.elf"
	cp "$FW/large-2m-$e.elf" "$I/large.elf"
	cp "$FW/kspd-$e.elf" "$I/kspd.elf"
	echo "not an image" >"$I/notelf.txt"
	adds=
	for f in "$I"/*; do
		adds="$adds --add $f"
	done
	# shellcheck disable=SC2086
	guest_tap "$k: stack.sh" --kernel $k --timeout 900 $adds -- stack.sh $l $bulk
	check "$k: the 2 MiB program found its data intact (its banner)" \
		grep -q "vpe-compat fixture large $e layout 296 .* checksum ok running" "$FS_CONSOLE"
done
tap_end
