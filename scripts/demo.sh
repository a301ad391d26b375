#!/bin/sh
# make demo: the main job on the emulated remote processor.
#
# A legacy firmware image is loaded with cat, as scripts always did, and a
# legacy program talks to it. Every step is shown with what it printed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
: "${VPE_BUILD:=$top/build}"
export VPE_BUILD

step() {
	printf '\n== %s\n' "$*"
}

demo_inside() {
	fw=$VPE_BUILD/firmware/echo-el-296.elf
	step "the remote processor (simulated remoteproc sysfs: $VPE_SIM_RPROC)"
	printf 'name: %s   state: %s\n' "$(cat "$VPE_SIM_RPROC/name")" \
		"$(cat "$VPE_SIM_RPROC/state")"

	if [ ! -e /dev/vpe1 ]; then
		step "fuse-vpe is not built yet: no /dev/vpe1. Booting the legacy echo firmware by hand instead"
		sh "$top/compat-tests/lib/handconvert.sh" "$fw" "$VPE_SIM_FWDIR/echo.rproc"
		echo echo.rproc >"$VPE_SIM_RPROC/firmware"
		echo start >"$VPE_SIM_RPROC/state"
		image=$VPE_SIM_FWDIR/echo.rproc
	else
		step "cat $(basename "$fw") > /dev/vpe1"
		cat "$fw" >/dev/vpe1
		image=$(ls "$VPE_SIM_FWDIR"/*.elf | head -n 1)
	fi
	printf 'state: %s\n' "$(cat "$VPE_SIM_RPROC/state")"
	"$VPE_BUILD/tools/fwprobe" --ram "$VPE_SIM_RAM" --elf "$image" wait-ready --timeout 20
	"$VPE_BUILD/tools/fwprobe" --ram "$VPE_SIM_RAM" --elf "$image" report |
		grep -E '^(state|rtlx_id|rtlx_layout)='

	if [ -e /dev/rtlx0 ]; then
		step 'echo "Hello World" > /dev/rtlx0; read it back'
		echo "Hello World" >/dev/rtlx0
		head -c 12 /dev/rtlx0
	else
		step "no /dev/rtlx0 yet: talking to channel 0 through the RAM window directly"
		"$VPE_BUILD/tools/fwprobe" --ram "$VPE_SIM_RAM" --elf "$image" \
			echo --channel 0 "Hello World"
	fi

	step "the simulated kernel log"
	cat "$VPE_SIM_LOG"
	if [ -s "$VPE_KMSG" ]; then
		step "the kernel log lines of fuse-vpe (deprecation, legacy loader messages)"
		cat "$VPE_KMSG"
	fi
}

if [ "${1:-}" = --inside ]; then
	demo_inside
	exit
fi
exec "$top/compat-tests/sim/with-sim" -- sh "$0" --inside
