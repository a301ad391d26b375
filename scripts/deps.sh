#!/bin/sh
# Install, from Debian's packages, exactly what building and testing vpe-compat
# needs. Idempotent: when everything is present it touches neither the network
# nor the package database.
set -eu

PACKAGES="
make gcc libc6-dev pkg-config
libfuse3-dev fuse3 libelf-dev
gcc-mipsel-linux-gnu binutils-mipsel-linux-gnu
gcc-mips-linux-gnu binutils-mips-linux-gnu
qemu-system-mips
util-linux procps psmisc coreutils groff-base
"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$status" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all build and test packages are installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root (or: sudo apt-get install -y$missing)" >&2
	exit 1
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y $missing
