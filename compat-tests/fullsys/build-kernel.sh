#!/bin/sh
# Build (once) the full-system guest's kernel and what the guest runs from
# Debian's packages, in the cache; print the path of a file describing it.
#
#   build-kernel.sh NAME         6.1, 6.12, 6.1-noloader, ... (see kernels)
#   VPE_CACHE=DIR                cache (default /var/cache/vpe-compat)
#
# What it makes, under $VPE_CACHE/fullsys/:
#   debs/                  the downloaded packages (linux-source-VERSION,
#                          VERSION being NAME up to its first "-"),
#                          and for mipsel: busybox-static, libfuse3)
#   src/linux-PKGVER/      the unpacked kernel source
#   mipsel/                busybox and libfuse3 for mipsel, unpacked
#   kernel-NAME-KEY/       the build: .config, vmlinux with the guest's
#                          initramfs (busybox and init) built in, and
#                          Module.symvers for out-of-tree modules.  KEY
#                          hashes the source version, the configuration
#                          fragments and the cross compiler, so a change
#                          to any of them builds anew (and drops the old).
#   kernel-NAME.env        what the harness and the tests source
#
# A change to init or busybox only relinks vmlinux (seconds).  Without the
# mirror a cached build is used as it is.  Exit status: 0 ready (the env
# file's path on stdout), 1 not possible (the reason on stderr).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${VPE_CACHE:-/var/cache/vpe-compat}
FS=$CACHE/fullsys
KVER=${1:-}
HOST_PACKAGES="make gcc flex bison bc xz-utils gcc-mipsel-linux-gnu
binutils-mipsel-linux-gnu gcc-mips-linux-gnu binutils-mips-linux-gnu
qemu-system-mips"
# The kernel's end must stay below the memory kept for VPE1 (8 MiB).
REGION_KSEG0=0x80800000

say() { echo "build-kernel: $*" >&2; }
die() { say "$*"; exit 1; }

kind=$(awk -v v="$KVER" '$1 == v { print $2 }' "$here/kernels")
[ -n "$KVER" ] && [ -n "$kind" ] ||
	die "usage: build-kernel.sh NAME (one of: $(awk '!/^#/ { printf "%s ", $1 }' "$here/kernels"))"
SRCVER=${KVER%%-*}
# KIND "...+be": a big-endian kernel and user space (the Lantiq SoCs' order)
case +$kind+ in
*+be+*) ENDIAN=eb CROSS=mips-linux-gnu- QEMU=qemu-system-mips ;;
*) ENDIAN=el CROSS=mipsel-linux-gnu- QEMU=qemu-system-mipsel ;;
esac

mkdir -p "$FS"
if [ -z "${VPE_FULLSYS_LOCKED:-}" ] && command -v flock >/dev/null; then
	VPE_FULLSYS_LOCKED=1 exec flock "$FS/.lock" sh "$0" "$@"
fi

# ---- host packages -------------------------------------------------------------
. "$top/scripts/apt.sh"
# shellcheck disable=SC2086
apt_need $HOST_PACKAGES || die "the host packages are missing"

# newest DIR/NAME_*.deb
newest_deb() {
	ls "$1"/"$2"_*.deb 2>/dev/null | sort -V | tail -n 1
}

# ---- downloads (kept: a later run without the mirror uses them) ------------------
DEBS=$FS/debs
mkdir -p "$DEBS"
src_deb=$(newest_deb "$DEBS" "linux-source-$SRCVER")
if [ -z "$src_deb" ]; then
	say "downloading linux-source-$SRCVER"
	(cd "$DEBS" && apt-get -q -o APT::Sandbox::User=root download \
		"linux-source-$SRCVER" >&2) ||
		die "cannot download linux-source-$SRCVER (is the Debian mirror reachable?)"
	src_deb=$(newest_deb "$DEBS" "linux-source-$SRCVER")
fi
if [ -z "$(newest_deb "$DEBS" busybox-static)" ] ||
   [ -z "$(newest_deb "$DEBS" libfuse3-dev)" ]; then
	say "downloading busybox-static and libfuse3 for mipsel"
	{ apt_mipsel_init "$CACHE" &&
	  apt_mipsel "$DEBS" busybox-static libfuse3-dev libfuse3-3; } ||
		die "cannot download the mipsel packages (is the Debian mirror reachable?)"
fi

# ---- big-endian user space: built from Debian's sources --------------------------------
if [ $ENDIAN = eb ]; then
	sh "$here/build-userspace.sh" "$FS/mips-eb" || die "no big-endian user space"
fi

# ---- mipsel user space: busybox, libfuse3 ------------------------------------------
MIPSEL=$FS/mipsel
stamp="$(basename "$(newest_deb "$DEBS" busybox-static)") $(basename "$(newest_deb "$DEBS" libfuse3-dev)")"
if [ "$(cat "$MIPSEL/.done" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$MIPSEL"
	mkdir -p "$MIPSEL"
	for d in busybox-static libfuse3-dev libfuse3-3; do
		dpkg-deb -x "$(newest_deb "$DEBS" "$d")" "$MIPSEL/root"
	done
	[ -x "$MIPSEL/root/bin/busybox" ] || die "busybox-static has no /bin/busybox"
	echo "$stamp" >"$MIPSEL/.done"
fi

# ---- the kernel source -----------------------------------------------------------
pkgver=$(dpkg-deb -f "$src_deb" Version)
SRC=$FS/src/linux-$pkgver
if [ ! -f "$SRC/.done" ]; then
	rm -rf "$FS/src/linux-$SRCVER".*
	mkdir -p "$SRC"
	say "unpacking linux-source-$SRCVER $pkgver"
	dpkg-deb --fsys-tarfile "$src_deb" |
		tar -xO "./usr/src/linux-source-$SRCVER.tar.xz" | xz -dc |
		tar -x -C "$SRC" --strip-components=1 ||
		die "cannot unpack $src_deb"
	touch "$SRC/.done"
fi

# ---- configuration and build ------------------------------------------------------
# KIND "smp+noloader": kconfig-smp.fragment, then kconfig-noloader.fragment.
frags="$here/kconfig.fragment"
for part in $(echo "$kind" | tr + ' '); do
	frags="$frags $here/kconfig-$part.fragment"
done
key=$( { echo "$pkgver"; cat $frags; ${CROSS}gcc --version | head -n 1; } |
	sha256sum | cut -c1-12)
KB=$FS/kernel-$KVER-$key
MAKE="make -s ARCH=mips CROSS_COMPILE=$CROSS -C $SRC O=$KB"

# A kernel without the legacy loader ("NAME-noloader") is NAME with a few
# options off: it starts from NAME's objects (building NAME first, which
# the tests need anyway), and kbuild rebuilds only what those options
# touch: about a minute instead of three.
case $KVER in
*-noloader)
	if [ ! -f "$KB/.built" ] && benv=$(sh "$0" "${KVER%-noloader}"); then
		bkb=$(. "$benv" && echo "$FS_KB")
		say "starting $KVER from the objects of ${KVER%-noloader}"
		rm -rf "$KB"
		cp -a "$bkb" "$KB"
		rm -f "$KB/.config" "$KB/.built" "$KB/fragment"
	fi
	;;
esac

# The initramfs: busybox, and init as PID 1.  Copied here, so that its
# list names fixed paths; kbuild relinks when their contents change.
mkdir -p "$KB/initramfs"
if [ $ENDIAN = eb ]; then
	MROOT=$FS/mips-eb/root
	FUSE_LIB=$MROOT/usr/lib/libfuse3.a
else
	MROOT=$MIPSEL/root
	FUSE_LIB=$MROOT/usr/lib/mipsel-linux-gnu/libfuse3.a
fi
cp "$MROOT/bin/busybox" "$KB/initramfs/busybox.new"
cp "$here/init" "$KB/initramfs/init.new"
for f in busybox init; do
	if cmp -s "$KB/initramfs/$f.new" "$KB/initramfs/$f"; then
		rm "$KB/initramfs/$f.new"
	else
		mv "$KB/initramfs/$f.new" "$KB/initramfs/$f"
	fi
done
cat >"$KB/initramfs/list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
dir /bin 0755 0 0
dir /sbin 0755 0 0
dir /lib 0755 0 0
dir /lib/firmware 0755 0 0
file /bin/busybox $KB/initramfs/busybox 0755 0 0
slink /bin/sh busybox 0777 0 0
file /init $KB/initramfs/init 0755 0 0
EOF

if [ ! -f "$KB/.config" ]; then
	rm -rf "$KB.tmp"
	# (the key has 12 characters: kernel-6.1-KEY is not kernel-6.1-noloader-KEY)
	for old in "$FS"/kernel-"$KVER"-????????????; do
		[ "$old" = "$KB" ] || rm -rf "$old"
	done
	cat $frags | sed "s|@INITRAMFS@|$KB/initramfs/list|" >"$KB/fragment"
	say "configuring $KVER ($kind) from $pkgver"
	$MAKE KCONFIG_ALLCONFIG="$KB/fragment" allnoconfig >&2 ||
		die "cannot configure the kernel"
	grep '^CONFIG' "$KB/fragment" | while read -r line; do
		grep -qx "$line" "$KB/.config" ||
			say "note: $line did not survive allnoconfig"
	done
fi
# What the build read besides the source the key names: once built from
# them, kbuild has nothing to do (and takes seconds to find that out).
inputs() {
	cat "$KB/.config" "$KB/initramfs/list" "$KB/initramfs/busybox" \
		"$KB/initramfs/init" | sha256sum | cut -c1-16
}
if [ ! -f "$KB/.built" ]; then
	say "building linux $pkgver for the guest ($kind; 3-9 minutes)"
fi
if [ "$(cat "$KB/.built" 2>/dev/null)" != "$(inputs)" ]; then
	t0=$(date +%s)
	$MAKE -j"$(nproc)" vmlinux modules >&2 || die "the kernel does not build"
	[ -f "$KB/.built" ] || say "built in $(( $(date +%s) - t0 )) s"
	inputs >"$KB/.built"	# after the build: kbuild may rewrite .config
fi

# (nm shows the 32-bit kernel's addresses sign-extended to 64 bits)
end=$(${CROSS}nm "$KB/vmlinux" |
	awk '$3 == "_end" { print substr($1, length($1) - 7) }')
[ -n "$end" ] && [ $((0x$end)) -lt $((REGION_KSEG0)) ] ||
	die "the kernel ends at 0x$end, inside the memory kept for VPE1 ($REGION_KSEG0)"

cat >"$FS/kernel-$KVER.env.tmp" <<EOF
# Written by compat-tests/fullsys/build-kernel.sh
FS_KVER='$KVER'
FS_KIND='$kind'
FS_KPKG='linux-source-$SRCVER $pkgver'
FS_KB='$KB'
FS_VMLINUX='$KB/vmlinux'
FS_MIPSEL_ROOT='$MIPSEL/root'
FS_ENDIAN='$ENDIAN'
FS_CROSS='$CROSS'
FS_QEMU='$QEMU'
FS_MIPS_ROOT='$MROOT'
FS_FUSE_LIB='$FUSE_LIB'
FS_PROGRAMS_DIR='fullsys$( [ $ENDIAN = el ] || echo -eb)'
FS_KERNEL_END='0x$end'
EOF
mv "$FS/kernel-$KVER.env.tmp" "$FS/kernel-$KVER.env"
echo "$FS/kernel-$KVER.env"
