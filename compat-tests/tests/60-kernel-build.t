#!/bin/sh
# vpe_compat.ko builds cleanly: natively against Debian's amd64 headers and
# cross for mipsel (4kc-malta headers, where the MIPS MT and GIC kick hooks
# are compiled), both with W=1 and not one warning; checkpatch --strict is
# clean on every source and header; the uapi header stands alone in user
# space with the same layout on 64-bit, 32-bit little- and big-endian.
# Without the packages (no mirror, nothing cached) it is skipped.

here=$(cd "$(dirname "$0")/.." && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/kernel.sh"
W=$VPE_BUILD/kernel-check
K=$top/kernel

t0=$(now)
kernel_env "vpe_compat.ko builds"

# build NAME WHAT MAKE-ARGS...: a W=1 build from scratch; passes if make
# succeeds and prints no warning at all
build() {
	_name=$1
	_what=$2
	shift 2
	rm -rf "${W:?}/$_name"
	_t=$(now)
	if make -C "$K" MO="$W/$_name" W=1 "$@" >"$W/$_name.log" 2>&1; then
		if grep -i -E 'warning|error' "$W/$_name.log" >"$W/$_name.warn"
		then
			fail "$_what: W=1, no warnings" "$(head -n 40 "$W/$_name.warn")"
		else
			pass "$_what: W=1, no warnings ($(since "$_t") s)"
		fi
	else
		fail "$_what: W=1, no warnings" "$(tail -n 40 "$W/$_name.log")"
	fi
}

mkdir -p "$W"

# ---- native -------------------------------------------------------------------
build native "native build against $VPE_KDIR_NATIVE" KDIR="$VPE_KDIR_NATIVE"
check "native: vpe_compat.ko is an x86-64 module for $VPE_KVER" \
	sh -c "strings -a '$W/native/vpe_compat.ko' | grep -q '^vermagic=$VPE_KVER ' &&
		od -An -tx1 -j18 -N2 '$W/native/vpe_compat.ko' | grep -q '3e 00'"
check_fails "native: the MIPS hooks are not compiled" \
	test -e "$W/native/vpe_mips.o"

# ---- cross, mipsel ------------------------------------------------------------
kmips=$(basename "$VPE_KDIR_MIPS")
build mips "cross build against ${kmips#linux-headers-}" \
	KDIR="$VPE_KDIR_MIPS" ARCH=mips CROSS_COMPILE=mipsel-linux-gnu-
check "cross: vpe_compat.ko is a 32-bit little-endian MIPS module for ${kmips#linux-headers-}" \
	sh -c "strings -a '$W/mips/vpe_compat.ko' | grep -q '^vermagic=${kmips#linux-headers-} ' &&
		mipsel-linux-gnu-readelf -h '$W/mips/vpe_compat.ko' |
		grep -q 'Machine: *MIPS R3000'"
check "cross: the kernel config has MIPS MT and the GIC" \
	grep -q -x -e CONFIG_MIPS_MT=y "$VPE_KDIR_MIPS/.config"
check "cross: both kick hooks (MT settc/Cause.SW0, GIC WEDGE) are compiled in" \
	sh -c "grep -q -x CONFIG_MIPS_GIC=y '$VPE_KDIR_MIPS/.config' &&
		mipsel-linux-gnu-objdump -d '$W/mips/vpe_mips.o' | grep -q mttc0 &&
		mipsel-linux-gnu-strings -a '$W/mips/vpe_mips.o' | grep -q 'mti,gic'"

# ---- Kbuild's conventions -----------------------------------------------------
# MO: the objects elsewhere, the source tree untouched (the top Makefile's way)
rm -rf "$W/default"
check "make -C kernel MO=DIR finds installed headers by itself" \
	sh -c "make -C '$K' MO='$W/default' >'$W/default.log' 2>&1 &&
		test -f '$W/default/vpe_compat.ko'"
check "the build leaves the source tree clean" \
	sh -c "cd '$K' && ! ls *.o *.ko *.mod* .*.cmd modules.order Module.symvers 2>/dev/null | grep -q ."

# in place, KERNEL_SRC and modules_install, as Yocto's module.bbclass, DKMS
# and OpenWrt build an external module (on a copy of the tree)
rm -rf "$W/inplace" "$W/root"
cp -R "$K" "$W/inplace"
check "in place with KERNEL_SRC=: vpe_compat.ko beside its sources" \
	sh -c "make -C '$W/inplace' KERNEL_SRC='$VPE_KDIR_NATIVE' >'$W/inplace.log' 2>&1 &&
		test -f '$W/inplace/vpe_compat.ko'"
check "modules_install INSTALL_MOD_PATH=: lib/modules/$VPE_KVER/updates or extra" \
	sh -c "make -C '$W/inplace' KERNEL_SRC='$VPE_KDIR_NATIVE' INSTALL_MOD_PATH='$W/root' \
		DEPMOD=true modules_install >'$W/install.log' 2>&1 &&
		ls '$W/root/lib/modules/$VPE_KVER'/*/vpe_compat.ko"
check "make -C KDIR M=DIR, Kbuild alone, builds it too" \
	sh -c "make -C '$VPE_KDIR_NATIVE' M='$W/inplace' clean >/dev/null 2>&1 &&
		make -C '$VPE_KDIR_NATIVE' M='$W/inplace' modules >'$W/m.log' 2>&1 &&
		test -f '$W/inplace/vpe_compat.ko'"
check_fails "without a kernel tree: make fails" \
	sh -c "make -s -C '$W/inplace' KDIR='$W/nowhere' >/dev/null 2>'$W/nokdir.err'"
check "and names what it looked for" grep -q "is not a kernel tree" "$W/nokdir.err"

# ---- checkpatch ---------------------------------------------------------------
for f in "$K"/*.c "$K"/*.h "$K"/uapi/*.h \
	"$here"/fullsys/kmod/*.c "$here"/fullsys/kmod/*.h; do
	rel=${f#"$top"/}
	out=$(perl "$VPE_CHECKPATCH" --strict --no-tree --no-summary \
		--no-color -q -f "$f" 2>&1)
	if [ -z "$out" ]; then
		pass "checkpatch --strict: $rel"
	else
		fail "checkpatch --strict: $rel" "$out"
	fi
done

# ---- the uapi header in user space ---------------------------------------------
cat >"$W/uapi-check.c" <<'EOF'
#include <stddef.h>
#include "vpe_compat.h"
_Static_assert(sizeof(struct vpe_compat_info) == 32, "info size");
_Static_assert(offsetof(struct vpe_compat_info, flags) == 24, "flags");
_Static_assert(sizeof(struct vpe_compat_deprecation) == 216, "depr size");
_Static_assert(offsetof(struct vpe_compat_deprecation, comm) == 8, "comm");
_Static_assert(offsetof(struct vpe_compat_deprecation, replacement) == 88,
	       "replacement");
unsigned long vpe_uapi_cmds[] = {
	VPE_COMPAT_IOC_INFO, VPE_COMPAT_IOC_KICK, VPE_COMPAT_IOC_DEPRECATED
};
EOF
check "uapi header includes only linux/types.h and linux/ioctl.h" \
	sh -c "[ \"\$(grep '^#include' '$K/uapi/vpe_compat.h' | sort | tr '\n' ' ')\" = \
		'#include <linux/ioctl.h> #include <linux/types.h> ' ]"
for cc in gcc mipsel-linux-gnu-gcc mips-linux-gnu-gcc; do
	if command -v $cc >/dev/null; then
		check "uapi header: $cc -std=c11 -pedantic -Werror, same layout" \
			$cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$K/uapi" \
			-c "$W/uapi-check.c" -o "$W/uapi-check.o"
	else
		skip "uapi header: $cc" "$cc is not installed"
	fi
done

echo "# packages: $VPE_KPKGS"
echo "# whole test: $(since "$t0") s"
tap_end
