#!/bin/sh
# Install, from Debian's packages, exactly what building and testing vpe-compat
# needs. Idempotent: when everything is present it touches neither the network
# nor the package database.
set -eu

# Everything without recommends (they pulled in some 200 packages nothing
# here uses: a desktop's mesa, speech data), so what a recommendation
# brought that is needed is named: the cross compilers' C libraries (the
# static MIPS programs the guests and boards run).
PACKAGES="
make gcc libc6-dev pkg-config
libfuse3-dev fuse3 libelf-dev
gcc-mipsel-linux-gnu binutils-mipsel-linux-gnu libc6-dev-mipsel-cross
gcc-mips-linux-gnu binutils-mips-linux-gnu libc6-dev-mips-cross
qemu-system-mips
util-linux procps psmisc coreutils groff-base
systemd udev busybox
dpkg-dev debhelper dh-dkms dkms lintian
clang-14 libclang-rt-14-dev llvm-14
"
# systemd, udev: systemd-analyze, which checks the service unit, and
# udevadm, which applies the udev rule to faked devices (06-service).
# busybox: its sh and cat, as boards run them, load images (50-vpe1).
# dpkg-dev ... lintian: the Debian packages are built, checked and their
# DKMS build run (07-packages).
# clang-14, libclang-rt-14-dev, llvm-14: the fuzz targets (make fuzz,
# 02-fuzz): clang, libFuzzer and the sanitizers' runtimes, llvm-profdata
# and llvm-cov (libclang-rt-14-dev is only a recommendation of clang-14's).

# not_installed PKG...: those of them dpkg does not have installed
not_installed() {
	for p in "$@"; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
		case "$status" in
		ii*) ;;
		*) printf ' %s' "$p" ;;
		esac
	done
}

# shellcheck disable=SC2086
missing=$(not_installed $PACKAGES)

if [ -z "$missing" ]; then
	echo "deps: all build and test packages are installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root (or: sudo apt-get install -y --no-install-recommends$missing)" >&2
	exit 1
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
