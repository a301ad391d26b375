#!/bin/sh
# The simulator's sysfs attributes: contents, modes, and every write error
# as the writer's errno, for the 4.x and 5.19 state semantics; the kernel's
# ELF and resource-table checks, each rejection EINVAL (ENOMEM for a
# carveout outside RAM) with the kernel's message and the remote still
# offline.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/sim/simtest.sh"
sim_setup

R=$SIM_R
have_cross=1
tiny_image el "$SIM_FW/tiny.elf" >"$SIM_WORK/tiny.out" 2>&1 &&
	tiny_image eb "$SIM_FW/tiny-eb.elf" >>"$SIM_WORK/tiny.out" 2>&1 ||
	have_cross=0

# ---- 4.x ------------------------------------------------------------------
check "the simulator comes up (4.x)" sim_start --kernel 4.x --ram-size 64M

check "name reads the instance name" is "$R/name" mips-cpu1
check "firmware reads the default name" is "$R/firmware" rproc-mips-cpu1-fw
check "state reads offline" is "$R/state" offline
check "recovery reads disabled (the simulator's default)" is "$R/recovery" disabled
modes=$(cd "$R" && bounded stat -c %A firmware name recovery state | tr '\n' ' ')
if [ "$modes" = "-rw-r--r-- -r--r--r-- -rw-r--r-- -rw-r--r-- " ]; then
	pass "modes are 0644, 0444, 0644, 0644"
else
	fail "modes are 0644, 0444, 0644, 0644" "$modes"
fi
check "name cannot be opened for writing" expect "open: EACCES" "$R/name" x
check "no new file can be created" expect "open: ENOENT" "$R/new" x

check "firmware: a name is cut at the first newline" expect OK "$R/firmware" 'a.elf\nb'
check "firmware: ... and reads back" is "$R/firmware" a.elf
check "firmware: an empty write does nothing (sysfs calls no store)" expect OK "$R/firmware" ''
check "firmware: ... it still reads a.elf" is "$R/firmware" a.elf
check "firmware: a lone newline (an empty name) is EINVAL" expect EINVAL "$R/firmware" '\n'
check "firmware: unchanged by a refused write" is "$R/firmware" a.elf
check "firmware: echo through the shell works" bounded sh -c "echo b.elf > '$R/firmware'"
check "firmware: ... and reads back" is "$R/firmware" b.elf

check "state: an unknown word is EINVAL" expect EINVAL "$R/state" bogus
check "state: two trailing newlines are EINVAL" expect EINVAL "$R/state" 'start\n\n'
check "state: a prefix is EINVAL" expect EINVAL "$R/state" sta
check "state: stop while offline is EINVAL" expect EINVAL "$R/state" stop
check "state: detach is EINVAL (4.x knows no detach)" expect EINVAL "$R/state" detach
check "state: missing firmware file is ENOENT" expect ENOENT "$R/state" start
check "state: ... and the remote stays offline" is "$R/state" offline

check "recovery: enabled" expect OK "$R/recovery" 'enabled\n'
check "recovery: reads enabled" is "$R/recovery" enabled
check "recovery: recover while not crashed does nothing" expect OK "$R/recovery" recover
check "recovery: disabled" expect OK "$R/recovery" disabled
check "recovery: reads disabled" is "$R/recovery" disabled
check "recovery: an unknown word is EINVAL" expect EINVAL "$R/recovery" on

# rejected ERRNO MESSAGE NAME: starting NAME fails with ERRNO and the
# kernel's MESSAGE in the log; the remote stays offline.
rejected() {
	_lines=$(wc -l <"$SIM_LOG")
	expect OK "$R/firmware" "$3" || return 1
	expect "$1" "$R/state" start || return 1
	is "$R/state" offline || return 1
	tail -n "+$((_lines + 1))" "$SIM_LOG" | grep -F -q -- "$2" && return 0
	echo "the log lacks '$2':"
	tail -n "+$((_lines + 1))" "$SIM_LOG"
	return 1
}

# bad NAME: a fresh copy of the good image to patch
bad() {
	cp "$SIM_FW/tiny.elf" "$SIM_FW/$1"
	echo "$SIM_FW/$1"
}

check "a '..' component is EINVAL" rejected EINVAL "path contains '..'" ../fw/tiny.elf
check "a '..' inside the name is EINVAL" rejected EINVAL "path contains '..'" sub/../tiny.elf
: >"$SIM_FW/empty.elf"
check "an empty file is ENOENT" rejected ENOENT "Direct firmware load for empty.elf failed" empty.elf
echo "not an ELF file at all, but long enough to be one: padding padding" >"$SIM_FW/text.elf"
check "not ELF: EINVAL" rejected EINVAL "Image is corrupted (bad magic)" text.elf
printf '\177ELF' >"$SIM_FW/short.elf"
check "shorter than an ELF header: EINVAL" rejected EINVAL "Image is too small" short.elf

if [ "$have_cross" -eq 1 ]; then
	tab=$(section "$SIM_FW/tiny.elf" .resource_table off)
	ph=$(phdr_offset "$SIM_FW/tiny.elf")

	head -c 1000 "$SIM_FW/tiny.elf" >"$SIM_FW/cut.elf"
	check "truncated (section headers cut off): EINVAL" rejected EINVAL "Image is too small" cut.elf
	poke8 "$(bad elf64.elf)" 4 2
	check "ELF64: EINVAL" rejected EINVAL "Unsupported class: 2" elf64.elf
	check "wrong byte order: EINVAL" rejected EINVAL "Unsupported firmware endianness" tiny-eb.elf
	poke16 "$(bad nophdr.elf)" 44 0
	check "no program headers: EINVAL" rejected EINVAL "No loadable segments" nophdr.elf
	cp "$SIM_WORK/tiny-el.elf" "$SIM_FW/legacy.elf"
	check "no .resource_table (the legacy image): EINVAL" rejected EINVAL "Failed to find resource table" legacy.elf
	poke32 "$(bad ver2.elf)" "$tab" 2
	check "table version 2: EINVAL" rejected EINVAL "unsupported fw ver: 2" ver2.elf
	poke32 "$(bad reserved.elf)" $((tab + 8)) 1
	check "table reserved word set: EINVAL" rejected EINVAL "non zero reserved bytes" reserved.elf
	poke32 "$(bad num.elf)" $((tab + 4)) 100
	check "offsets overflowing the section: EINVAL" rejected EINVAL "resource table incomplete" num.elf
	poke32 "$(bad entry.elf)" $((tab + 16)) 0x1000
	check "an entry outside the section: EINVAL" rejected EINVAL "rsc table is truncated" entry.elf
	poke32 "$(bad devmem.elf)" $((tab + 20)) 1
	check "a devmem entry: EINVAL" rejected EINVAL "Failed to process resources: -22" devmem.elf
	poke32 "$(bad small.elf)" $((tab + 32)) 16
	check "segment outside the carveout: EINVAL" rejected EINVAL "bad phdr da 0x100000" small.elf
	poke32 "$(bad memsz.elf)" $((ph + 20)) 1
	check "p_filesz > p_memsz: EINVAL" rejected EINVAL "bad phdr filesz" memsz.elf
	poke32 "$(bad any.elf)" $((tab + 24)) 0xffffffff
	check "an ANY carveout is allocated at the top of RAM" \
		rejected EINVAL "carveout firmware: da 0x3fff000 pa 0x3fff000 len 0x1000 (allocated)" any.elf
	check "... where the image's fixed segment is not: EINVAL" \
		grep -q "bad phdr da 0x100000" "$SIM_LOG"
	poke32 "$(bad huge.elf)" $((tab + 32)) 0x4000000
	check "carveout outside RAM: ENOMEM" rejected ENOMEM "failed to allocate dma memory: len 0x4000000" huge.elf
	# Physical 0x2000 is where QEMU's Malta loader puts its boot
	# environment: QEMU refuses to load an image there.
	img=$(bad low.elf)
	poke32 "$img" $((ph + 12)) 0x2000
	poke32 "$img" $((tab + 24)) 0x2000
	check "QEMU refusing the image: EINVAL, its message in the log" \
		rejected EINVAL "qemu: qemu-system-mipsel: Some ROM regions are overlapping" low.elf
	check "nothing was started by the rejected images" no_qemu

	check "start without a newline" expect OK "$R/firmware" tiny.elf
	check "start boots the remote" expect OK "$R/state" start
	check "state reads running" is "$R/state" running
	check "firmware while running: EBUSY" expect EBUSY "$R/firmware" other.elf
	check "4.x: start while running: EBUSY" expect EBUSY "$R/state" start
	check "4.x: start+newline while running: EBUSY" expect EBUSY "$R/state" 'start\n'
	check "detach while running: EINVAL" expect EINVAL "$R/state" detach
	check "still running" is "$R/state" running
	check "stop with a newline" expect OK "$R/state" 'stop\n'
	check "state reads offline" is "$R/state" offline
	check "QEMU is gone after stop" wait_until 5 no_qemu
	check "start with a newline" expect OK "$R/state" 'start\n'
	check "echo stop through the shell" bounded sh -c "echo stop > '$R/state'"
	check "state reads offline again" is "$R/state" offline
	check "the log reads like the kernel's" grep -q \
		"remoteproc remoteproc0: remote processor mips-cpu1 is now up" "$SIM_LOG"
else
	skip "ELF checks and boots" "no MIPS cross binutils: $(cat "$SIM_WORK/tiny.out")"
fi
check "the simulator exits cleanly on unmount (4.x)" sim_stop

# ---- 5.19 -----------------------------------------------------------------
check "the simulator comes up (5.19, --name dsp0)" sim_start --kernel 5.19 --ram-size 64M --name dsp0
check "--name: name reads it" is "$R/name" dsp0
check "--name: the default firmware name follows" is "$R/firmware" rproc-dsp0-fw
check "5.19: stop while offline: EINVAL" expect EINVAL "$R/state" stop
check "5.19: detach while offline: EINVAL" expect EINVAL "$R/state" detach
check "5.19: missing firmware file: ENOENT" expect ENOENT "$R/state" 'start\n'
if [ "$have_cross" -eq 1 ]; then
	check "5.19: set the firmware" expect OK "$R/firmware" 'tiny.elf\n'
	check "5.19: start" expect OK "$R/state" start
	check "5.19: start while running counts (no EBUSY)" expect OK "$R/state" start
	check "5.19: start+newline while running counts too" expect OK "$R/state" 'start\n'
	check "5.19: firmware while running: EBUSY" expect EBUSY "$R/firmware" tiny.elf
	check "5.19: detach while running: EINVAL" expect EINVAL "$R/state" detach
	check "5.19: stop 1 of 3" expect OK "$R/state" stop
	check "5.19: ... still running" is "$R/state" running
	check "5.19: stop 2 of 3" expect OK "$R/state" 'stop\n'
	check "5.19: ... still running" is "$R/state" running
	check "5.19: stop 3 of 3" expect OK "$R/state" stop
	check "5.19: ... offline" is "$R/state" offline
	check "5.19: a fourth stop: EINVAL" expect EINVAL "$R/state" stop
	check "5.19: QEMU is gone" wait_until 5 no_qemu
	count_is() {
		[ "$(grep -c "$1" "$SIM_LOG")" -eq "$2" ] && return 0
		echo "'$1' is not $2 times in the log:"
		cat "$SIM_LOG"
		return 1
	}
	check "5.19: the remote came up once" count_is "processor dsp0 is now up" 1
	check "5.19: ... and stopped once" count_is "stopped remote processor dsp0" 1
else
	skip "5.19 power count" "no MIPS cross binutils"
fi
check "the simulator exits cleanly on unmount (5.19)" sim_stop

# ---- QEMU cannot be started --------------------------------------------------
check "the simulator comes up (--qemu /nonexistent/)" \
	sim_start --ram-size 64M --qemu /nonexistent/qemu-system-
if [ "$have_cross" -eq 1 ]; then
	check "no QEMU: start is EINVAL, the reason in the log" \
		rejected EINVAL "cannot execute QEMU" tiny.elf
else
	skip "no QEMU: start is EINVAL" "no MIPS cross binutils"
fi
check "the simulator exits cleanly on unmount (no QEMU)" sim_stop
check "no QEMU is left" wait_until 5 no_qemu

tap_end
