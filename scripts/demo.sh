#!/bin/sh
# make demo: the main job, on the emulated remote processor.
#
# A legacy firmware image is loaded with cat, as scripts always did, and
# legacy programs talk to it through /dev/rtlx0, unchanged. fuse-vpe turns
# both into remoteproc and the firmware's own memory; the simulator plays
# the remoteproc instance and runs the firmware on QEMU Malta.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
: "${VPE_BUILD:=$top/build}"
export VPE_BUILD

step() {
	printf '\n== %s\n' "$*"
}

demo_inside() {
	fw=$VPE_BUILD/firmware/echo-el-296.elf
	apps=$VPE_BUILD/apps
	step "the remote processor: $VPE_SIM_RPROC"
	printf 'name: %s   state: %s\n' "$(cat "$VPE_SIM_RPROC/name")" \
		"$(cat "$VPE_SIM_RPROC/state")"

	step "cat $(basename "$fw") > /dev/vpe1"
	cat "$fw" >/dev/vpe1
	printf 'state: %s   firmware: %s\n' "$(cat "$VPE_SIM_RPROC/state")" \
		"$(cat "$VPE_SIM_RPROC/firmware")"

	step 'echo "Hello World" > /dev/rtlx0; head -c 12 /dev/rtlx0'
	echo "Hello World" >/dev/rtlx0
	head -c 12 /dev/rtlx0

	step "a legacy console program (select loop) on channel 0"
	printf 'The firmware inverts the case of what it gets on channel 0.\n' |
		"$apps/rtlxcon" -c 0 -e

	step "a legacy bulk checker: 8 channels, 1 MiB each way, checksummed"
	"$apps/rtlxbulk" -c 0-7 -n 1M -t 60 | tail -n 1

	step "what remoteproc logged (simulated kernel log)"
	cat "$VPE_SIM_LOG"
	step "what fuse-vpe logged (deprecation and legacy loader lines)"
	sort -u "$VPE_KMSG"
}

if [ "${1:-}" = --inside ]; then
	demo_inside
	exit
fi
exec "$top/compat-tests/sim/with-sim" -- sh "$0" --inside
