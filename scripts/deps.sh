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

# The fuzz targets (make fuzz, compat-tests 02-fuzz.t): clang, libFuzzer
# and the sanitizers' runtimes, llvm-profdata and llvm-cov. Installed
# without recommends (llvm-14-dev, python3 are not needed), which is why
# libclang-rt-14-dev, only a recommendation of clang-14's, is named.
LEAN_PACKAGES="
clang-14 libclang-rt-14-dev llvm-14
"

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
# shellcheck disable=SC2086
missing_lean=$(not_installed $LEAN_PACKAGES)

if [ -z "$missing$missing_lean" ]; then
	echo "deps: all build and test packages are installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing$missing_lean" >&2
	echo "deps: run as root (or: sudo apt-get install -y$missing$missing_lean)" >&2
	exit 1
fi

echo "deps: installing:$missing$missing_lean"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
[ -z "$missing" ] || apt-get install -y $missing
# shellcheck disable=SC2086
[ -z "$missing_lean" ] || apt-get install -y --no-install-recommends $missing_lean
