#!/bin/sh
# make install puts the product (the daemon, the converter, their man
# pages, the docs) where PREFIX and DESTDIR say, builds nothing else for
# it, and what it installed runs; make install-tests adds the board's
# migration check, vpe-compat-selftest, with its helpers and programs.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
: "${VPE_BUILD:=$here/../build}"

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

check "make install DESTDIR=... PREFIX=/usr" \
	make -s -C "$here/.." install BUILD="$VPE_BUILD" DESTDIR="$dest" PREFIX=/usr
for f in sbin/fuse-vpe bin/vpe-fwconvert share/man/man8/fuse-vpe.8 \
	 share/man/man1/vpe-fwconvert.1 share/doc/vpe-compat/migration.md; do
	check "installs /usr/$f" test -f "$dest/usr/$f"
done
check "the installed fuse-vpe runs" "$dest/usr/sbin/fuse-vpe" --version
check "the installed vpe-fwconvert runs" "$dest/usr/bin/vpe-fwconvert" --version
for page in man8/fuse-vpe.8 man1/vpe-fwconvert.1; do
	check "$page formats without a groff warning" \
		sh -c "groff -man -ww -z '$dest/usr/share/man/$page' 2>&1 | (! grep .)"
done
check_fails "make install installs no test (no vpe-compat-selftest)" \
	test -e "$dest/usr/bin/vpe-compat-selftest"

# a fresh build directory: what make install builds is the product alone
fresh=$(mktemp -d)
trap 'rm -rf "$dest" "$fresh"' EXIT
check "make install from a fresh build directory" \
	make -s -C "$here/.." install BUILD="$fresh/build" DESTDIR="$fresh/root" PREFIX=/usr
check "... built fuse-vpe and vpe-fwconvert" \
	test -x "$fresh/build/fuse-vpe/fuse-vpe" -a -x "$fresh/build/fuse-vpe/vpe-fwconvert"
is "... and nothing else" "fuse-vpe" ls "$fresh/build"

check "make install-tests DESTDIR=... PREFIX=/usr" \
	make -s -C "$here/.." install-tests BUILD="$VPE_BUILD" DESTDIR="$dest" PREFIX=/usr
check "installs /usr/bin/vpe-compat-selftest" test -x "$dest/usr/bin/vpe-compat-selftest"
for f in bin/rtlxprobe bin/rtlxscript firmware/echo-el-296.elf \
	 firmware/echo-el-300.elf firmware/echo-eb-296.elf firmware/echo-eb-300.elf; do
	check "installs /usr/lib/vpe-compat/selftest/$f" \
		test -f "$dest/usr/lib/vpe-compat/selftest/$f"
done
check "the helpers are static (a board has no matching libc)" \
	sh -c "readelf -l '$dest/usr/lib/vpe-compat/selftest/bin/rtlxprobe' | grep -q LOAD &&
		! readelf -l '$dest/usr/lib/vpe-compat/selftest/bin/rtlxprobe' | grep -q INTERP"
is "vpe-compat-selftest with a bad option: usage, status 2" 2 \
	sh -c "'$dest/usr/bin/vpe-compat-selftest' --bogus >/dev/null 2>&1; echo \$?"
tap_end
