#!/bin/sh
# The simulator boots real fixtures: hand-converted echo images, little- and
# big-endian, run in QEMU with their memory in the RAM file (physical X =
# offset X: rtlx_info is found through vpe_shared), the resource table is
# copied into RAM with pa filled in, carveouts are cleared; the 5.19 power
# count; crashes, the crash state and recovery; stop, SIGTERM and SIGKILL
# leave no QEMU.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/sim/simtest.sh"
sim_setup

R=$SIM_R
FW=$VPE_BUILD/firmware
FWPROBE=$VPE_BUILD/tools/fwprobe

for f in echo-el-296 echo-eb-296 crash-el crash-eb; do
	if [ ! -f "$FW/$f.elf" ]; then
		skip "booting fixtures" "$FW/$f.elf is not built (make)"
		tap_end
		exit 0
	fi
done
for q in qemu-system-mipsel qemu-system-mips; do
	if ! command -v "$q" >/dev/null; then
		skip "booting fixtures" "$q is not installed"
		tap_end
		exit 0
	fi
done

# rtlx_ok IMAGE: vpe_shared points at an rtlx_info whose id is RTLX_ID,
# read straight from the RAM file (KSEG0 address & 0x1fffffff = offset).
rtlx_ok() {
	_vs=$(symbol "$1" vpe_shared) || return 1
	_p=$(peek32 "$SIM_RAM" $((_vs & 0x1fffffff)))
	[ -n "$_p" ] && [ $((0x$_p)) -ge $((0x80000000)) ] &&
		[ "$(peek32 "$SIM_RAM" $((0x$_p & 0x1fffffff)))" = 12345602 ]
}

state_is() {
	[ "$(bounded cat "$R/state")" = "$1" ]
}

# log_has TEXT [N]: TEXT appears at least N (1) times in the simulated dmesg
log_has() {
	[ "$(grep -c -F -- "$1" "$SIM_LOG")" -ge "${2:-1}" ] && return 0
	echo "the log has '$1' fewer than ${2:-1} times:"
	cat "$SIM_LOG"
	return 1
}

# ---- echo, both byte orders -------------------------------------------------
for e in el eb; do
	POKE_ENDIAN=little
	[ "$e" = el ] || POKE_ENDIAN=big
	img=$SIM_FW/echo-$e.elf
	check "handconvert.sh converts echo-$e-296" \
		sh "$HANDCONVERT" "$FW/echo-$e-296.elf" "$img"
	# The simulator must fill in pa: give it a table whose pa is 0.
	tab=$(section "$img" .resource_table off)
	tab_addr=$(section "$img" .resource_table addr)
	poke32 "$img" $((tab + 28)) 0
	da=$((0x$(peek32 "$img" $((tab + 24)))))
	cv_end=$((da + 0x$(peek32 "$img" $((tab + 32)))))

	check "$e: the simulator comes up (--endian $POKE_ENDIAN)" \
		sim_start --endian "$POKE_ENDIAN"
	# Stale data inside and just past the carveout.
	poke32 "$SIM_RAM" $((cv_end - 16)) 0xdeadbeef
	poke32 "$SIM_RAM" $((cv_end + 16)) 0xdeadbeef
	check "$e: firmware set" expect OK "$R/firmware" "echo-$e.elf"
	t0=$(date +%s%N)
	check "$e: start boots it" expect OK "$R/state" start
	t1=$(date +%s%N)
	echo "# $e: start took $(((t1 - t0) / 1000000)) ms"
	check "$e: state reads running" is "$R/state" running
	check "$e: rtlx_info with id 0x12345602 appears in the shared RAM" \
		wait_until 10 rtlx_ok "$img"
	check "$e: the table in RAM has pa filled in" \
		test "$(peek32 "$SIM_RAM" $((tab_addr + 28)))" = "$(printf %08x "$da")"
	check "$e: the carveout was cleared" \
		test "$(peek32 "$SIM_RAM" $((cv_end - 16)))" = 00000000
	check "$e: memory outside it was not" \
		test "$(peek32 "$SIM_RAM" $((cv_end + 16)))" = deadbeef
	if [ -x "$FWPROBE" ]; then
		out=$("$FWPROBE" --ram "$SIM_RAM" --elf "$img" echo --channel 0 "Hello World" 2>&1)
		if [ "$out" = "hELLO wORLD" ]; then
			pass "$e: the fixture echoes on channel 0"
		else
			fail "$e: the fixture echoes on channel 0" "$out"
		fi
	else
		skip "$e: the fixture echoes on channel 0" "fwprobe is not built"
	fi
	check "$e: its banner reached the UART log" \
		grep -q "vpe-compat fixture echo $e" "$SIM_UART"
	check "$e: stop" expect OK "$R/state" stop
	check "$e: state reads offline" is "$R/state" offline
	check "$e: stop ended QEMU" wait_until 5 no_qemu
	check "$e: the simulator exits cleanly" sim_stop
done
POKE_ENDIAN=little

# ---- 5.19: the power count on a real image ----------------------------------
check "5.19: the simulator comes up" sim_start --kernel 5.19
check "5.19: firmware set" expect OK "$R/firmware" echo-el.elf
check "5.19: start" expect OK "$R/state" start
check "5.19: a second start succeeds" expect OK "$R/state" 'start\n'
check "5.19: the first stop leaves it running" expect OK "$R/state" stop
check "5.19: ... running" is "$R/state" running
check "5.19: ... and answering" wait_until 10 rtlx_ok "$SIM_FW/echo-el.elf"
check "5.19: the second stop stops it" expect OK "$R/state" stop
check "5.19: ... offline" is "$R/state" offline
check "5.19: ... QEMU gone" wait_until 5 no_qemu

# ---- crashes, 5.19, recovery disabled ---------------------------------------
check "crash fixture converted" sh "$HANDCONVERT" "$FW/crash-el.elf" "$SIM_FW/crash.elf"
check "crash: firmware set" expect OK "$R/firmware" crash.elf
check "crash: start" expect OK "$R/state" start
check "crash: running at first" is "$R/state" running
check "crash: the crash is seen as crashed" wait_until 10 state_is crashed
check "crash: logged like the kernel" \
	log_has "remoteproc remoteproc0: crash detected in mips-cpu1: type fatal error"
check "crash: its QEMU is gone" wait_until 5 no_qemu
check "crash: stop on a crashed remote: EINVAL" expect EINVAL "$R/state" stop
check "crash: firmware on a crashed remote: EBUSY" expect EBUSY "$R/firmware" echo-el.elf
check "crash: start only counts (the crash kept the power count)" expect OK "$R/state" start
check "crash: ... still crashed" is "$R/state" crashed
check "crash: writing enabled to recovery recovers it" expect OK "$R/recovery" enabled
check "crash: ... running again" is "$R/state" running
check "crash: ... the kernel's recovery lines" log_has "recovering mips-cpu1"
check "crash: disable recovery" expect OK "$R/recovery" disabled
check "crash: it crashes again" wait_until 10 state_is crashed
check "crash: recover" expect OK "$R/recovery" recover
check "crash: ... running" is "$R/state" running
check "crash: one stop of two users leaves it running" expect OK "$R/state" stop
check "crash: ... running" is "$R/state" running
check "crash: the second stop stops it" expect OK "$R/state" stop
check "crash: ... offline" is "$R/state" offline
check "crash: ... no QEMU" wait_until 5 no_qemu
check "crash: the simulator exits cleanly" sim_stop

# ---- --recovery enabled (the kernel's default), big-endian, 4.x --------------
check "crash-eb fixture converted" sh "$HANDCONVERT" "$FW/crash-eb.elf" "$SIM_FW/crash-eb.elf"
check "recovery: the simulator comes up (--recovery enabled)" \
	sim_start --endian big --recovery enabled
check "recovery: reads enabled" is "$R/recovery" enabled
check "recovery: firmware set" expect OK "$R/firmware" crash-eb.elf
check "recovery: start" expect OK "$R/state" start
check "recovery: the crash is recovered by itself" \
	wait_until 10 log_has "is now up" 2
check "recovery: ... handled as crash #1" log_has "handling crash #1 in mips-cpu1"
check "recovery: ... running" is "$R/state" running
check "recovery: 4.x start while running: EBUSY" expect EBUSY "$R/state" start
check "recovery: stop" expect OK "$R/state" stop
check "recovery: ... offline" is "$R/state" offline
check "recovery: ... no QEMU" wait_until 5 no_qemu
check "recovery: the simulator exits cleanly" sim_stop

# ---- the simulator ending with a running remote ------------------------------
check "SIGTERM: the simulator comes up" sim_start
check "SIGTERM: a remote runs" bounded sh -c "echo echo-el.elf >'$R/firmware' && echo start >'$R/state'"
kill -TERM "$SIM_PID"
check "SIGTERM: the simulator ends" wait_until 10 gone "$SIM_PID"
check "SIGTERM: ... with status 0" sim_stop
check "SIGTERM: no QEMU is left" wait_until 5 no_qemu
check "SIGTERM: the remote was stopped" log_has "stopped remote processor mips-cpu1"

check "SIGKILL: the simulator comes up" sim_start
check "SIGKILL: a remote runs" bounded sh -c "echo echo-el.elf >'$R/firmware' && echo start >'$R/state'"
kill -KILL "$SIM_PID"
sim_stop
check "SIGKILL: no QEMU is left (PR_SET_PDEATHSIG)" wait_until 5 no_qemu

check "nothing of this test runs any more" \
	sh -c "! pgrep -f '$SIM_WORK/[r]am'"
tap_end
