#!/bin/sh
# The big-endian guest's user space, which Debian does not ship (it has no
# big-endian MIPS port): busybox (static) and libfuse3 (a static library,
# for fuse-vpe), cross-built for mips-linux-gnu from Debian's own source
# packages, once, in the cache.  Called by build-kernel.sh.
#
#   build-userspace.sh DIR     makes DIR/root: bin/busybox,
#                              usr/include/fuse3, usr/lib/libfuse3.a
#
# Keyed by the source versions and the cross compiler: a change of either
# builds anew.  Exit status 0, or 1 with the reason on stderr.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${VPE_CACHE:-/var/cache/vpe-compat}
OUT=${1:?usage: build-userspace.sh DIR}
CROSS=mips-linux-gnu-

say() { echo "build-userspace: $*" >&2; }
die() { say "$*"; exit 1; }

. "$top/scripts/apt.sh"
apt_need meson ninja-build gcc-mips-linux-gnu libc6-dev-mips-cross bzip2 ||
	die "the host packages are missing"

SRCS=$CACHE/fullsys/srcs
if ! ls "$SRCS"/busybox_*.dsc >/dev/null 2>&1 ||
   ! ls "$SRCS"/fuse3_*.dsc >/dev/null 2>&1; then
	say "downloading the sources of busybox and fuse3"
	apt_src_init "$CACHE" && apt_src "$SRCS" --download-only busybox fuse3 ||
		die "cannot download the sources (is the Debian mirror reachable? it needs deb-src)"
fi
bb_dsc=$(ls "$SRCS"/busybox_*.dsc | sort -V | tail -n 1)
fu_dsc=$(ls "$SRCS"/fuse3_*.dsc | sort -V | tail -n 1)
stamp="$(basename "$bb_dsc") $(basename "$fu_dsc") $(${CROSS}gcc --version | head -n 1)"
[ "$(cat "$OUT/.done" 2>/dev/null)" != "$stamp" ] || exit 0

rm -rf "$OUT"
mkdir -p "$OUT/src" "$OUT/root/bin"
say "building busybox and libfuse3 for big-endian MIPS (about a minute)"
(cd "$OUT/src" && dpkg-source -x "$bb_dsc" busybox >/dev/null &&
	dpkg-source -x "$fu_dsc" fuse3 >/dev/null) || die "cannot unpack the sources"

# busybox: its default configuration, static
B=$OUT/src/busybox-build
mkdir -p "$B"
make -s -C "$OUT/src/busybox" O="$B" defconfig >"$OUT/busybox.log" 2>&1 ||
	die "busybox: defconfig: $(tail -n 5 "$OUT/busybox.log")"
sed -i 's/^# CONFIG_STATIC is not set$/CONFIG_STATIC=y/' "$B/.config"
make -s -C "$B" CROSS_COMPILE=$CROSS -j"$(nproc)" >>"$OUT/busybox.log" 2>&1 ||
	die "busybox does not build: $(tail -n 20 "$OUT/busybox.log")"
cp "$B/busybox" "$OUT/root/bin/busybox"

# libfuse3: the library alone, static
cat >"$OUT/src/cross.txt" <<CROSSFILE
[binaries]
c = '${CROSS}gcc'
ar = '${CROSS}ar'
strip = '${CROSS}strip'
[host_machine]
system = 'linux'
cpu_family = 'mips'
cpu = 'mips32r2'
endian = 'big'
CROSSFILE
{ meson setup "$OUT/src/fuse3-build" "$OUT/src/fuse3" \
	--cross-file "$OUT/src/cross.txt" -Ddefault_library=static \
	-Dexamples=false -Dutils=false -Dtests=false -Dprefix=/usr \
	-Dudevrulesdir="$OUT/src/unused" -Dinitscriptdir= &&
  ninja -C "$OUT/src/fuse3-build" &&
  DESTDIR="$OUT/root" meson install -C "$OUT/src/fuse3-build"; } \
	>"$OUT/fuse3.log" 2>&1 || die "libfuse3 does not build: $(tail -n 20 "$OUT/fuse3.log")"
[ -f "$OUT/root/usr/lib/libfuse3.a" ] || die "libfuse3: no libfuse3.a"
rm -rf "$OUT/src"
echo "$stamp" >"$OUT/.done"
