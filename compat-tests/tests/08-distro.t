#!/bin/sh
# The recipes of dist/ for the distributions MIPS boards run (an OpenWrt
# feed, a Buildroot package, Yocto recipes): their own build and install
# steps, run with Debian's cross compilers for mipsel standing in for the
# SDKs' (compat-tests/distro/: what the build systems define around them),
# and DKMS cross-building the modules for a MIPS kernel,
# against the full-system guest's 6.12 kernel (without the legacy loader)
# and Debian's libfuse3 for mipsel; and what each installs, checked.

here=$(cd "$(dirname "$0")/.." && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/fullsys.sh"
STAND=$here/distro
W=$VPE_BUILD/distro
K=6.12-noloader

FS_KERNELS=$K fullsys_need "the distributions' recipes"
. "$VPE_CACHE/fullsys/kernel-$K.env"
KSRC=$VPE_CACHE/fullsys/src/linux-${FS_KPKG#* }
KVER=$(make -s -C "$KSRC" O="$FS_KB" kernelrelease 2>/dev/null)
CROSS=mipsel-linux-gnu-
rm -rf "$W"
mkdir -p "$W"

# pkg-config for Debian's libfuse3 for mipsel, unpacked (build-kernel.sh)
cat >"$W/pkg-config" <<PC
#!/bin/sh
PKG_CONFIG_LIBDIR=$FS_MIPSEL_ROOT/usr/lib/mipsel-linux-gnu/pkgconfig \\
PKG_CONFIG_SYSROOT_DIR=$FS_MIPSEL_ROOT exec pkg-config "\$@"
PC
chmod +x "$W/pkg-config"
check "pkg-config finds libfuse3 for mipsel" "$W/pkg-config" --exists fuse3

# a copy of the tree, as a source tarball would unpack
src() {
	rm -rf "$1"
	mkdir -p "$1"
	(cd "$top" && git ls-files -co --exclude-standard | grep -v '^build/' |
		tar -cf - -T -) | tar -xf - -C "$1"
}
mips_elf() { ${CROSS}readelf -h "$1" 2>/dev/null | grep -q 'Machine: *MIPS'; }
kmod_for() { strings -a "$1" | grep -q "^vermagic=$KVER "; }

# ---- OpenWrt ------------------------------------------------------------------------
O=$W/openwrt
src "$O/src"
owrt() {
	make -f "$top/dist/openwrt/vpe-compat/Makefile" -C "$top/dist/openwrt/vpe-compat" \
		TOPDIR="$STAND/openwrt" LINUX_DIR="$FS_KB" TARGET_CROSS=$CROSS \
		TARGET_PKG_CONFIG="$W/pkg-config" PKG_BUILD_DIR="$O/build" \
		VPE_COMPAT_SRC="$O/src" DEST="$O/root" CONFIG_BIG_ENDIAN= "$@"
}
if owrt compile >"$O.log" 2>&1; then
	pass "OpenWrt: Build/Prepare and Build/Compile"
else
	fail "OpenWrt: Build/Prepare and Build/Compile" "$(tail -n 30 "$O.log")"
fi
for f in $(owrt -s show-KMOD_FILES); do
	check "OpenWrt: kmod-vpe-compat's $(basename "$f") is built for $KVER" kmod_for "$f"
done
is "OpenWrt: AUTOLOAD" "vpe_rproc vpe_compat vpe_legacy" owrt -s show-KMOD_AUTOLOAD
is "OpenWrt: KCONFIG" "CONFIG_REMOTEPROC=y" owrt -s show-KMOD_KCONFIG
check "OpenWrt: Package/fuse-vpe/install" owrt install-fuse-vpe
check "OpenWrt: ... /usr/sbin/fuse-vpe, MIPS" mips_elf "$O/root/fuse-vpe/usr/sbin/fuse-vpe"
check "OpenWrt: ... /etc/init.d/fuse-vpe: procd, foreground, respawn" \
	sh -c "f='$O/root/fuse-vpe/etc/init.d/fuse-vpe'; test -x \"\$f\" &&
		grep -q USE_PROCD=1 \"\$f\" && grep -q 'procd_set_param respawn' \"\$f\" &&
		grep -q -- '--foreground' \"\$f\""
check "OpenWrt: ... the init script is valid sh" sh -n "$O/root/fuse-vpe/etc/init.d/fuse-vpe"
check "OpenWrt: Package/vpe-compat-tests/install" owrt install-vpe-compat-tests
for f in usr/bin/vpe-compat-selftest usr/lib/vpe-compat/selftest/bin/rtlxprobe \
	 usr/lib/vpe-compat/selftest/firmware/echo-el-296.elf \
	 usr/lib/vpe-compat/selftest/firmware/echo-el-300.elf; do
	check "OpenWrt: ... /$f" test -f "$O/root/vpe-compat-tests/$f"
done
check "OpenWrt: ... the helpers are static MIPS programs" \
	sh -c "${CROSS}readelf -l '$O/root/vpe-compat-tests/usr/lib/vpe-compat/selftest/bin/rtlxscript' |
		grep -q LOAD && ! ${CROSS}readelf -l '$O/root/vpe-compat-tests/usr/lib/vpe-compat/selftest/bin/rtlxscript' | grep -q INTERP"

# ---- Buildroot ------------------------------------------------------------------------
B=$W/buildroot
src "$B/build"
if make -f "$STAND/buildroot/package.mk" PKGDIR="$top/dist/buildroot/package/vpe-compat" \
	BUILDDIR="$B/build" TARGET_DIR="$B/target" LINUX_DIR="$FS_KB" \
	TARGET_CROSS=$CROSS TARGET_PKG_CONFIG="$W/pkg-config" BR2_ENDIAN=LITTLE \
	BR2_PACKAGE_VPE_COMPAT_TESTS=y install >"$B.log" 2>&1; then
	pass "Buildroot: build and target install"
else
	fail "Buildroot: build and target install" "$(tail -n 30 "$B.log")"
fi
check "Buildroot: /usr/sbin/fuse-vpe, MIPS" mips_elf "$B/target/usr/sbin/fuse-vpe"
check "Buildroot: /etc/init.d/S60fuse-vpe, valid sh" \
	sh -c "test -x '$B/target/etc/init.d/S60fuse-vpe' && sh -n '$B/target/etc/init.d/S60fuse-vpe'"
for m in vpe_rproc vpe_compat vpe_legacy; do
	check "Buildroot: /lib/modules/$KVER/.../$m.ko" \
		sh -c "ls '$B/target/lib/modules/$KVER'/*/$m.ko"
done
check "Buildroot: the selftest and the echo programs" \
	test -f "$B/target/usr/lib/vpe-compat/selftest/firmware/echo-el-296.elf" -a \
		-x "$B/target/usr/bin/vpe-compat-selftest"
check "Buildroot: Config.in names its package" \
	grep -q '^config BR2_PACKAGE_VPE_COMPAT$' "$top/dist/buildroot/package/vpe-compat/Config.in"

# ---- Yocto ---------------------------------------------------------------------------
Y=$W/yocto
. "$STAND/yocto.sh"
MOD=$top/dist/yocto/recipes-kernel/vpe-compat-mod/vpe-compat-mod_0.1.0.bb
FV=$top/dist/yocto/recipes-support/fuse-vpe/fuse-vpe_0.1.0.bb
src "$Y/git"
export ARCH=mips CROSS_COMPILE=$CROSS
S=$Y/git/kernel D=$Y/image-mod STAGING_KERNEL_DIR=$KSRC STAGING_KERNEL_BUILDDIR=$FS_KB \
	KERNEL_VERSION=$KVER
if (module_compile "$MOD" && module_install "$MOD") >"$Y-mod.log" 2>&1; then
	pass "Yocto: vpe-compat-mod with module.bbclass (KERNEL_SRC, the kernel's O=)"
else
	fail "Yocto: vpe-compat-mod with module.bbclass (KERNEL_SRC, the kernel's O=)" \
		"$(tail -n 30 "$Y-mod.log")"
fi
for m in vpe_rproc vpe_compat vpe_legacy; do
	check "Yocto: \${D}/lib/modules/$KVER/.../$m.ko" \
		sh -c "ls '$Y/image-mod/lib/modules/$KVER'/*/$m.ko"
done
unset ARCH CROSS_COMPILE
S=$Y/git B=$Y/build D=$Y/image prefix=/usr systemd_system_unitdir=/lib/systemd/system \
	nonarch_base_libdir=/lib
if (CC=${CROSS}gcc PKG_CONFIG=$W/pkg-config yocto_run "$FV" do_compile &&
    CC=${CROSS}gcc PKG_CONFIG=$W/pkg-config yocto_run "$FV" do_install) >"$Y-fv.log" 2>&1; then
	pass "Yocto: fuse-vpe's do_compile and do_install"
else
	fail "Yocto: fuse-vpe's do_compile and do_install" "$(tail -n 30 "$Y-fv.log")"
fi
check "Yocto: \${D}/usr/sbin/fuse-vpe, MIPS" mips_elf "$Y/image/usr/sbin/fuse-vpe"
check "Yocto: \${D}\${systemd_system_unitdir}/fuse-vpe.service" \
	test -f "$Y/image/lib/systemd/system/fuse-vpe.service"
check "Yocto: \${D}/lib/udev/rules.d/60-vpe-compat.rules" \
	test -f "$Y/image/lib/udev/rules.d/60-vpe-compat.rules"
# LIC_FILES_CHKSUM: the md5 of the named lines, as BitBake checks it
lic() {
	_f=$(yocto_var "$1" LIC_FILES_CHKSUM)
	_file=$2/$(echo "$_f" | sed 's|^file://\([^;]*\);.*|\1|')
	_want=$(echo "$_f" | sed 's|.*md5=\([0-9a-f]*\).*|\1|')
	[ "$(head -n 1 "$_file" | md5sum | cut -c1-32)" = "$_want" ]
}
check "Yocto: vpe-compat-mod's LIC_FILES_CHKSUM matches" lic "$MOD" "$top/kernel"
check "Yocto: fuse-vpe's LIC_FILES_CHKSUM matches" lic "$FV" "$top"

# ---- DKMS, cross: the modules for the MIPS kernel -------------------------------------
if command -v dkms >/dev/null; then
	K2=$W/dkms
	mkdir -p "$K2/tree" "$K2/src"
	version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/kernel/dkms.conf")
	make -s -C "$top/kernel" install-sources DESTDIR="$K2/src/vpe-compat-$version"
	DKMS="dkms --dkmstree $K2/tree --sourcetree $K2/src"
	if $DKMS add -m vpe-compat -v "$version" >"$K2.log" 2>&1 &&
	   ARCH=mips CROSS_COMPILE=$CROSS $DKMS build -m vpe-compat -v "$version" \
		-k "$KVER" --arch mips --kernelsourcedir "$FS_KB" >>"$K2.log" 2>&1; then
		pass "DKMS: dkms build -k $KVER --arch mips (cross)"
	else
		fail "DKMS: dkms build -k $KVER --arch mips (cross)" "$(tail -n 30 "$K2.log")"
	fi
	for m in vpe_rproc vpe_compat vpe_legacy; do
		check "DKMS: ... $m.ko, for $KVER" \
			kmod_for "$K2/tree/vpe-compat/$version/$KVER/mips/module/$m.ko"
	done
else
	skip "DKMS, cross" "no dkms (make deps installs it)"
fi
tap_end
