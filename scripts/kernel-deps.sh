#!/bin/sh
# Fetch, from Debian's packages, what vpe_compat.ko's builds and its VM test
# need, and write $VPE_CACHE/kernel-env.sh describing it (sourced by the
# tests 60 and 61).  Idempotent: when everything is cached it touches neither
# the network nor the package database.
#
#   sh scripts/kernel-deps.sh          fetch what is missing
#   VPE_CACHE=DIR                      cache (default /var/cache/vpe-compat)
#
# What it provides:
#   host (apt-get install): linux-headers-amd64 (the native module build),
#     qemu-system-x86, gcc, make, libc6-dev (static test programs),
#     gcc-mipsel-linux-gnu (the cross build), perl and xz-utils;
#   cache (apt-get download + dpkg-deb -x, never installed):
#     image-KVER/        linux-image-KVER: the vmlinuz and modules the VM
#                        boots, KVER being exactly the native headers' version
#     busybox-VER/       busybox-static: the VM's shell
#     mipsel-ABI/        linux-headers-ABI-4kc-malta, linux-headers-ABI-common,
#                        linux-kbuild-6.1 (amd64 host tools) and a modpost
#                        rebuilt for 32-bit little-endian targets
#     linux-src-VER/     from linux-source-6.1: scripts/checkpatch.pl with its
#                        data files, and modpost's sources
#     apt-mipsel/        private apt lists for the mipsel architecture
#
# Exit status: 0 ready; 1 something could not be had (the reason is on
# stderr; tests turn it into a SKIP).
set -eu

CACHE=${VPE_CACHE:-/var/cache/vpe-compat}
ENV_FILE=$CACHE/kernel-env.sh
HOST_PACKAGES="make gcc libc6-dev perl xz-utils linux-headers-amd64
qemu-system-x86 gcc-mipsel-linux-gnu binutils-mipsel-linux-gnu"

say() { echo "kernel-deps: $*" >&2; }
die() { say "$*"; exit 1; }

[ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ] ||
	die "needs a Debian amd64 host (the VM boots Debian's amd64 kernel)"

mkdir -p "$CACHE" || die "cannot create $CACHE"
# One run at a time (the tests may call this concurrently).
if [ -z "${VPE_KDEPS_LOCKED:-}" ] && command -v flock >/dev/null; then
	VPE_KDEPS_LOCKED=1 exec flock "$CACHE/.lock" sh "$0" "$@"
fi

APT_DL="apt-get -q -o APT::Sandbox::User=root download"

# fetch DIR PKG[=VER]...: download .debs into DIR
fetch() {
	_dir=$1
	shift
	mkdir -p "$_dir"
	say "downloading $*"
	(cd "$_dir" && $APT_DL "$@" >&2) ||
		die "cannot download $* (is the Debian mirror reachable?)"
}

# ---- host packages -----------------------------------------------------------
. "$(dirname "$0")/apt.sh"
# shellcheck disable=SC2086
apt_need $HOST_PACKAGES || die "the host packages are missing"

# The native headers' version, which the VM's kernel must match exactly.
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64) ||
	die "linux-headers-amd64 is not installed"
KPKG=${dep%% *}
KVER=${KPKG#linux-headers-}
KPKGVER=$(dpkg-query -W -f='${Version}' "$KPKG") ||
	die "$KPKG (from linux-headers-amd64) is not installed"
KDIR_NATIVE=/usr/src/$KPKG
[ -f "$KDIR_NATIVE/Makefile" ] || die "$KDIR_NATIVE has no Makefile"

# ---- the VM's kernel ---------------------------------------------------------
IMG=$CACHE/image-$KVER
if [ ! -f "$IMG/.done" ]; then
	rm -rf "$IMG" "$IMG.tmp"
	fetch "$IMG.tmp/deb" "linux-image-$KVER=$KPKGVER"
	dpkg-deb -x "$IMG.tmp"/deb/*.deb "$IMG.tmp"
	rm -rf "$IMG.tmp/deb" "$IMG.tmp/usr/share"
	echo "linux-image-$KVER $KPKGVER" >"$IMG.tmp/.done"
	mv "$IMG.tmp" "$IMG"
fi
[ -f "$IMG/boot/vmlinuz-$KVER" ] || die "$IMG has no vmlinuz-$KVER"

# ---- busybox ------------------------------------------------------------------
BB_DIR=$(ls -d "$CACHE"/busybox-*/ 2>/dev/null | sort -V | tail -n 1)
BB_DIR=${BB_DIR%/}
if [ -z "$BB_DIR" ] || [ ! -f "$BB_DIR/.done" ]; then
	tmp=$CACHE/busybox.tmp
	rm -rf "$tmp"
	fetch "$tmp/deb" busybox-static
	dpkg-deb -x "$tmp"/deb/*.deb "$tmp/root"
	ver=$(dpkg-deb -f "$tmp"/deb/*.deb Version)
	BB_DIR=$CACHE/busybox-$(echo "$ver" | tr ':' '_')
	rm -rf "$BB_DIR"
	mkdir -p "$BB_DIR"
	mv "$tmp/root/bin/busybox" "$BB_DIR/busybox"
	rm -rf "$tmp"
	echo "busybox-static $ver" >"$BB_DIR/.done"
fi
BUSYBOX=$BB_DIR/busybox

# ---- linux-source: checkpatch and modpost's sources ----------------------------
SRC_DIR=$(ls -d "$CACHE"/linux-src-*/ 2>/dev/null | sort -V | tail -n 1)
SRC_DIR=${SRC_DIR%/}
if [ -z "$SRC_DIR" ] || [ ! -f "$SRC_DIR/.done" ]; then
	tmp=$CACHE/linux-src.tmp
	rm -rf "$tmp"
	fetch "$tmp/deb" linux-source-6.1
	ver=$(dpkg-deb -f "$tmp"/deb/*.deb Version)
	say "extracting checkpatch and modpost from linux-source-6.1 $ver"
	mkdir -p "$tmp/root"
	dpkg-deb --fsys-tarfile "$tmp"/deb/*.deb |
		tar -xO ./usr/src/linux-source-6.1.tar.xz | xz -dc |
		tar -x -C "$tmp/root" --strip-components=1 --wildcards \
			'linux-source-6.1/scripts/checkpatch.pl' \
			'linux-source-6.1/scripts/spelling.txt' \
			'linux-source-6.1/scripts/const_structs.checkpatch' \
			'linux-source-6.1/scripts/mod/*' \
			'linux-source-6.1/include/linux/license.h' \
			'linux-source-6.1/include/linux/mod_devicetable.h'
	SRC_DIR=$CACHE/linux-src-$ver
	rm -rf "$SRC_DIR"
	mv "$tmp/root" "$SRC_DIR"
	rm -rf "$tmp"
	echo "linux-source-6.1 $ver" >"$SRC_DIR/.done"
fi
CHECKPATCH=$SRC_DIR/scripts/checkpatch.pl
[ -f "$CHECKPATCH" ] || die "$CHECKPATCH is missing"

# ---- mipsel 4kc-malta headers -------------------------------------------------
# They cannot be installed next to the native compiler: download them with a
# private apt configuration for mipsel (only Debian's own archives) and
# unpack them into the cache.
MIPS_DIR=$(ls -d "$CACHE"/mipsel-*/ 2>/dev/null | sort -V | tail -n 1)
MIPS_DIR=${MIPS_DIR%/}
if [ -z "$MIPS_DIR" ] || [ ! -f "$MIPS_DIR/.done" ]; then
	say "reading the mipsel package lists"
	apt_mipsel_init "$CACHE" ||
		die "cannot read the mipsel package lists (is the Debian mirror reachable?)"
	hdr=$(apt-cache $APTM search --names-only \
		'^linux-headers-6\.1\.0-[0-9]+-4kc-malta$' | cut -d' ' -f1 |
		sort -V | tail -n 1)
	[ -n "$hdr" ] || die "no linux-headers-6.1.0-N-4kc-malta in the archive"
	abi=${hdr#linux-headers-}
	abi=${abi%-4kc-malta}
	hver=$(apt-cache $APTM show "$hdr" | sed -n 's/^Version: //p' |
		sort -V | tail -n 1)
	tmp=$CACHE/mipsel.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp/deb"
	say "downloading $hdr linux-headers-$abi-common $hver"
	(cd "$tmp/deb" && apt-get -q $APTM download "$hdr=$hver" \
		"linux-headers-$abi-common=$hver" >&2) ||
		die "cannot download $hdr (is the Debian mirror reachable?)"
	# The host tools: amd64 linux-kbuild-6.1 of the same version if the
	# archive still has it, else the current one (the headers need >=).
	(cd "$tmp/deb" && $APT_DL "linux-kbuild-6.1=$hver" >&2 2>/dev/null) ||
		fetch "$tmp/deb" linux-kbuild-6.1
	for d in "$tmp"/deb/*.deb; do
		dpkg-deb -x "$d" "$tmp/root"
	done
	kb_ver=$(dpkg-deb -f "$tmp"/deb/linux-kbuild-6.1_*.deb Version)
	K=$tmp/root/usr/src/linux-headers-$abi-4kc-malta
	[ -f "$K/Makefile" ] || die "$hdr has no Makefile"
	MIPS_DIR=$CACHE/mipsel-$abi
	# Its Makefile includes the common headers by absolute path: point it
	# at the unpacked tree here, then where the tree will live.
	sed -i "s|^include /usr/src/|include $tmp/root/usr/src/|" "$K/Makefile"

	# linux-kbuild's modpost is built with the amd64 (64-bit) device-table
	# layout whatever the ELF class, and rejects a 32-bit module's
	# of_device_id table.  Build one with the target's layout, as the
	# kernel's scripts/mod/Makefile does.
	say "building modpost for mipsel"
	M=$tmp/modpost
	mkdir -p "$M/scripts" "$M/include"
	cp -R "$SRC_DIR/scripts/mod" "$M/scripts/mod"
	cp -R "$SRC_DIR/include/linux" "$M/include/linux"
	mkdir -p "$M/offsets"
	cp "$M/scripts/mod/devicetable-offsets.c" "$M/offsets/"
	echo 'obj-m := devicetable-offsets.o' >"$M/offsets/Kbuild"
	make -s -C "$K" M="$M/offsets" ARCH=mips \
		CROSS_COMPILE=mipsel-linux-gnu- devicetable-offsets.s >&2 ||
		die "cannot compile devicetable-offsets.c for mipsel"
	sed -i "s|^include $tmp/root/usr/src/|include $MIPS_DIR/root/usr/src/|" \
		"$K/Makefile"
	{
		echo '#ifndef __DEVICETABLE_OFFSETS_H__'
		echo '#define __DEVICETABLE_OFFSETS_H__'
		sed -n 's/^[[:space:]]*\.ascii[[:space:]]*"->\([^ ]*\) [$#]*\([^ ]*\) .*/#define \1 \2/p' \
			"$M/offsets/devicetable-offsets.s"
		echo '#endif'
	} >"$M/scripts/mod/devicetable-offsets.h"
	grep -q 'SIZE_of_device_id' "$M/scripts/mod/devicetable-offsets.h" ||
		die "no device-table offsets for mipsel"
	(
		cd "$M/scripts/mod"
		mipsel-linux-gnu-gcc -c empty.c -o empty.o
		gcc -O2 -o mk_elfconfig mk_elfconfig.c
		./mk_elfconfig <empty.o >elfconfig.h
		gcc -O2 -w -o modpost modpost.c file2alias.c sumversion.c
	) >&2 || die "cannot build modpost for mipsel"
	MP=$tmp/root/usr/lib/linux-kbuild-6.1/scripts/mod
	mv "$MP/modpost" "$MP/modpost.debian"
	cp "$M/scripts/mod/modpost" "$MP/modpost"
	rm -rf "$M"

	rm -rf "$MIPS_DIR"
	mkdir -p "$MIPS_DIR"
	mv "$tmp/root" "$MIPS_DIR/root"
	echo "$hdr linux-headers-$abi-common $hver; linux-kbuild-6.1 $kb_ver (amd64)" \
		>"$MIPS_DIR/.done"
	rm -rf "$tmp"
fi
KDIR_MIPS=$(ls -d "$MIPS_DIR"/root/usr/src/linux-headers-*-4kc-malta | tail -n 1)

# ---- the description ------------------------------------------------------------
cat >"$ENV_FILE.tmp" <<EOF
# Written by scripts/kernel-deps.sh; sourced by the kernel tests.
VPE_KVER='$KVER'
VPE_KDIR_NATIVE='$KDIR_NATIVE'
VPE_KDIR_MIPS='$KDIR_MIPS'
VPE_VMLINUZ='$IMG/boot/vmlinuz-$KVER'
VPE_KMODDIR='$IMG/lib/modules/$KVER'
VPE_BUSYBOX='$BUSYBOX'
VPE_CHECKPATCH='$CHECKPATCH'
VPE_KPKGS='$KPKG $KPKGVER (installed); $(cat "$IMG/.done"); $(cat "$BB_DIR/.done"); $(cat "$SRC_DIR/.done"); $(cat "$MIPS_DIR/.done")'
EOF
mv "$ENV_FILE.tmp" "$ENV_FILE"
say "ready: $ENV_FILE"
