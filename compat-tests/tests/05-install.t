#!/bin/sh
# make install puts the daemon, the converter and their man pages where
# PREFIX and DESTDIR say, and what it installed runs.

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
tap_end
