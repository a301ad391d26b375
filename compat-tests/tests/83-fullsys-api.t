#!/bin/sh
# The legacy in-kernel VPE API (vpe_legacy.ko) in a real MIPS Linux: on
# kernels built without the legacy loader (6.1 MT SMP booted with nosmp,
# as OpenWrt's Lantiq kernels, in both byte orders; 6.12 uniprocessor),
# test modules drive it as
# Lantiq's voice driver (ltq-vmmc) and as a mainline user do, with a raw
# firmware image that announces readiness and keeps a heartbeat, against
# remoteproc's sysfs and fuse-vpe's /dev/vpe1 (guest/api.sh).  On a kernel
# with the legacy loader, vpe_legacy.ko is not built, and the build says so.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/fullsys.sh"
K=$here/../kernel

API_KERNELS="6.1-noloader 6.12-noloader 6.1-be-noloader"
FS_KERNELS=$API_KERNELS fullsys_need "the legacy VPE API in a MIPS guest"

# ---- the modules build with W=1, no warning; the refusal on a loader kernel --------
for k in $API_KERNELS 6.1; do
	[ -f "$VPE_CACHE/fullsys/kernel-$k.env" ] || sh "$here/fullsys/build-kernel.sh" "$k" >/dev/null 2>&1
	. "$VPE_CACHE/fullsys/kernel-$k.env"
	log=$FS_DIR/api-build-$k.log
	rm -rf "$FS_DIR/api-modules-$k"
	make -j"$(nproc)" -C "$K" MO="$FS_DIR/api-modules-$k" KDIR="$FS_KB" ARCH=mips \
		CROSS_COMPILE="$FS_CROSS" W=1 >"$log" 2>&1
	st=$?
	case $k in
	*noloader)
		if [ $st -eq 0 ] && ! grep -q -i -E 'warning|error' "$log"; then
			pass "$k: vpe_legacy.ko builds with W=1, no warning"
		else
			fail "$k: vpe_legacy.ko builds with W=1, no warning" "$(tail -n 30 "$log")"
		fi
		check "$k: vpe_legacy.ko is there" test -f "$FS_DIR/api-modules-$k/vpe_legacy.ko"
		;;
	*)
		check "$k (legacy loader built in): the others build" test $st -eq 0
		check "$k: vpe_legacy.ko is not built" test ! -e "$FS_DIR/api-modules-$k/vpe_legacy.ko"
		check "$k: and the build says why" \
			grep -q "vpe_legacy.ko not built: this kernel has the legacy VPE loader" "$log"
		;;
	esac
done

# ---- in the guests ---------------------------------------------------------------
for k in $API_KERNELS; do
	. "$VPE_CACHE/fullsys/kernel-$k.env"
	case $k in 6.1|6.1-*) l=300 ;; *) l=296 ;; esac
	check "$k: the raw fixture is there" test -f "$FW/raw-$FS_ENDIAN.bin"
	cp "$FW/raw-$FS_ENDIAN.bin" "$FS_DIR/vpe-raw.bin"
	cp "$FW/echo-$FS_ENDIAN-$l.elf" "$FS_DIR/echo.elf"
	guest_tap "$k: api.sh" --kernel $k --no-setup --add "$FS_DIR/vpe-raw.bin" \
		--add "$FS_DIR/echo.elf" -- api.sh
	check "$k: the raw firmware ran (its mailbox said ready)" \
		grep -q "ok .* - ltq-vmmc: started at KSEG1" "$FS_OUT"
done
tap_end
