#!/bin/sh
# The Debian packages (debian/): built from a copy of the tree with
# dpkg-buildpackage, lintian-clean (no error, no warning), each with what
# it must hold; and the DKMS package's modules built for Debian's kernel
# headers with dkms build -k, in a private DKMS tree.

here=$(cd "$(dirname "$0")/.." && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib/tap.sh"
: "${VPE_BUILD:=$here/../build}"
W=$VPE_BUILD/packages

for tool in dpkg-buildpackage dh lintian dkms; do
	if ! command -v $tool >/dev/null; then
		skip "the Debian packages" "no $tool (make deps installs it)"
		tap_end
		exit 0
	fi
done

version=$(sed -n '1s/^vpe-compat (\([^)]*\)).*/\1/p' "$top/debian/changelog")
is "debian/changelog and kernel/dkms.conf name one version" "PACKAGE_VERSION=\"$version\"" \
	grep '^PACKAGE_VERSION=' "$top/kernel/dkms.conf"

# ---- build ------------------------------------------------------------------
rm -rf "$W"
mkdir -p "$W/vpe-compat-$version"
(cd "$top" && git ls-files -co --exclude-standard 2>/dev/null || find . -path ./build -prune -o -type f -print) |
	grep -v '^build/' | (cd "$top" && tar -cf - -T -) | tar -xf - -C "$W/vpe-compat-$version"
t0=$(date +%s)
if (cd "$W/vpe-compat-$version" && dpkg-buildpackage -us -uc -b) >"$W/build.log" 2>&1; then
	pass "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - t0 )) s)"
else
	fail "dpkg-buildpackage -us -uc -b" "$(tail -n 30 "$W/build.log")"
fi
arch=$(dpkg --print-architecture)
for p in fuse-vpe_${version}_$arch vpe-fwconvert_${version}_$arch \
	 vpe-compat-dkms_${version}_all vpe-compat-tests_${version}_$arch; do
	check "${p%%_*}: built" test -f "$W/$p.deb"
done

# ---- lintian ------------------------------------------------------------------
lintian --tag-display-limit 0 "$W"/*.changes >"$W/lintian.log" 2>&1
if grep -q -E '^[EW]: ' "$W/lintian.log"; then
	fail "lintian: no error, no warning" "$(grep -E '^[EW]: ' "$W/lintian.log" | head -n 30)"
else
	pass "lintian: no error, no warning"
fi

# ---- contents -----------------------------------------------------------------
# has PACKAGE PATH: the package holds PATH
has() {
	dpkg-deb -c "$W/$1"_*.deb | awk '{ print $6 }' | grep -q -x "./$2"
}
for f in usr/sbin/fuse-vpe usr/share/man/man8/fuse-vpe.8.gz \
	 lib/systemd/system/fuse-vpe.service lib/udev/rules.d/60-vpe-compat.rules; do
	check "fuse-vpe holds /$f" has fuse-vpe "$f"
done
check "vpe-fwconvert holds /usr/bin/vpe-fwconvert" has vpe-fwconvert usr/bin/vpe-fwconvert
for f in dkms.conf Makefile Kbuild vpe_rproc_main.c vpe_legacy_core.c uapi/vpe_compat.h; do
	check "vpe-compat-dkms holds /usr/src/vpe-compat-$version/$f" \
		has vpe-compat-dkms "usr/src/vpe-compat-$version/$f"
done
check "vpe-compat-dkms depends on dkms and registers the modules" \
	sh -c "dpkg-deb -f '$W'/vpe-compat-dkms_*.deb Depends | grep -q dkms &&
		dpkg-deb -I '$W'/vpe-compat-dkms_*.deb postinst | grep -q dkms"
for f in usr/bin/vpe-compat-selftest usr/lib/vpe-compat/selftest/bin/rtlxprobe \
	 usr/lib/vpe-compat/selftest/firmware/echo-eb-296.elf; do
	check "vpe-compat-tests holds /$f" has vpe-compat-tests "$f"
done
check "fuse-vpe depends on fuse3 and its libraries" \
	sh -c "dpkg-deb -f '$W'/fuse-vpe_*.deb Depends | grep -q 'fuse3' &&
		dpkg-deb -f '$W'/fuse-vpe_*.deb Depends | grep -q 'libfuse3'"

# ---- DKMS --------------------------------------------------------------------------
. "$here/lib/kernel.sh"
kernel_env "dkms build against Debian's kernel headers"
D=$W/dkms
mkdir -p "$D/tree" "$D/src"
dpkg-deb -x "$W"/vpe-compat-dkms_*.deb "$D/root"
cp -R "$D/root/usr/src/vpe-compat-$version" "$D/src/"
DKMS="dkms --dkmstree $D/tree --sourcetree $D/src"
check "dkms add" sh -c "$DKMS add -m vpe-compat -v $version >'$D/add.log' 2>&1"
if $DKMS build -m vpe-compat -v "$version" -k "$VPE_KVER" \
	--kernelsourcedir "$VPE_KDIR_NATIVE" >"$D/build.log" 2>&1; then
	pass "dkms build -k $VPE_KVER"
else
	fail "dkms build -k $VPE_KVER" "$(tail -n 30 "$D/build.log")"
fi
check "... made vpe_compat.ko for $VPE_KVER" \
	sh -c "ls '$D'/tree/vpe-compat/$version/$VPE_KVER/*/module/vpe_compat.ko*"
tap_end
