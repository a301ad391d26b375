#!/bin/sh
# 10-firmware.t: the legacy firmware fixtures.
#
# Builds compat-tests/firmware and compat-tests/tools into $VPE_BUILD, checks
# the ELF properties the legacy VPE loader depends on (types, byte orders,
# __start != e_entry, vpe_shared, the relocation types of the ET_REL
# images), then boots fixtures under QEMU Malta and talks to them through
# the RAM file with fwprobe.  There is no converter yet, so QEMU boots a copy
# whose e_entry was set to __start (objcopy --set-start).
#
# Every wait is bounded; every QEMU is killed and its RAM file removed by the
# EXIT trap, also when the test is interrupted.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"

BUILD=${VPE_BUILD:-$top/build}
FW=$BUILD/firmware
PROBE=$BUILD/tools/fwprobe
SHM=${VPE_SHM:-/dev/shm}
[ -d "$SHM" ] && [ -w "$SHM" ] || SHM=${TMPDIR:-/tmp}

work=$(mktemp -d "${TMPDIR:-/tmp}/fwtest.XXXXXX") || exit 1
fw_pids=
fw_rams=

fw_cleanup() {
	for p in $fw_pids; do
		kill "$p" 2>/dev/null
	done
	for p in $fw_pids; do
		wait "$p" 2>/dev/null
	done
	for f in $fw_rams; do
		rm -f "$f"
	done
	[ -n "${FW_KEEP:-}" ] || rm -rf "$work"
}
trap fw_cleanup EXIT
trap 'exit 130' INT TERM HUP

EXEC_IMAGES="echo-el-296 echo-el-300 echo-eb-296 echo-eb-300
	large-2m-el large-2m-eb large-16m-el large-16m-eb
	nosym-el nosym-eb crash-el crash-eb"
REL_IMAGES="echo-el-296 echo-el-300 echo-eb-296 echo-eb-300
	large-2m-el large-2m-eb large-16m-el large-16m-eb nosym-el nosym-eb"
LEGACY_RELOCS="R_MIPS_HI16 R_MIPS_LO16 R_MIPS_26 R_MIPS_32 R_MIPS_GPREL16 R_MIPS_PC16"

fw_endian() {
	case $1 in
	*-el | *-el-*) echo el ;;
	*) echo eb ;;
	esac
}

fw_cross() {
	if [ "$(fw_endian "$1")" = el ]; then
		echo mipsel-linux-gnu-
	else
		echo mips-linux-gnu-
	fi
}

# byte order of an ELF file from e_ident[EI_DATA]: el or eb
fw_file_endian() {
	case $(od -An -tu1 -j5 -N1 "$1" | tr -d ' ') in
	1) echo el ;;
	*) echo eb ;;
	esac
}

# symbol value of $2 in ELF $1 as 8 hex digits (nm prints 64-bit values)
fw_sym() {
	"$(fw_cross "x-$(fw_file_endian "$1")")nm" "$1" 2>/dev/null |
		awk -v s="$2" '$3 == s { v = $1 } END { if (v != "") print substr(v, length(v) - 7) }'
}

fw_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j2 -C "$1" O="$2"
}

# ---- build ------------------------------------------------------------------

check "firmware fixtures build warning-free (-Werror)" \
	fw_make "$top/compat-tests/firmware" "$FW"
check "fwprobe builds (-Wall -Wextra -Werror)" \
	fw_make "$top/compat-tests/tools" "$BUILD/tools"

# ---- ELF properties ---------------------------------------------------------

# fw_header FILE TYPE ENDIAN: ELF32 MIPS of that type and byte order
fw_header() {
	h=$("$(fw_cross "$1")readelf" -h "$1") || return 1
	printf '%s\n' "$h" | grep -q 'Class:[[:space:]]*ELF32' || { echo "not ELF32"; return 1; }
	printf '%s\n' "$h" | grep -q 'Machine:[[:space:]]*MIPS' || { echo "not MIPS"; return 1; }
	printf '%s\n' "$h" | grep -q "Type:[[:space:]]*$2 " || { echo "not $2"; printf '%s\n' "$h"; return 1; }
	if [ "$3" = el ]; then order="little endian"; else order="big endian"; fi
	printf '%s\n' "$h" | grep -q "Data:.*$order" || { echo "not $order"; return 1; }
}

# fw_exec_props NAME: header, __start != e_entry, vpe_shared as expected
fw_exec_props() {
	f=$FW/$1.elf
	[ -s "$f" ] || { echo "missing $f"; return 1; }
	fw_header "$f" EXEC "$(fw_endian "$1")" || return 1
	entry=$("$(fw_cross "$1")readelf" -h "$f" | awk '/Entry point address/ { print $4 }')
	start=$(fw_sym "$f" __start)
	[ -n "$start" ] || { echo "no __start"; return 1; }
	if [ $((entry)) -eq $((0x$start)) ]; then
		echo "e_entry $entry is __start"
		return 1
	fi
	[ -n "$(fw_sym "$f" fw_report)" ] || { echo "no fw_report"; return 1; }
	fw_shared_as_expected "$1" "$f"
}

fw_shared_as_expected() {
	shared=$(fw_sym "$2" vpe_shared)
	case $1 in
	nosym-*) [ -z "$shared" ] || { echo "nosym image has vpe_shared"; return 1; } ;;
	*) [ -n "$shared" ] || { echo "no vpe_shared"; return 1; } ;;
	esac
}

# fw_rel_props NAME: header, relocation types, HI16 HI16 LO16, GPREL16 against
# a global symbol, nothing the legacy loader cannot apply, no undefined symbol
fw_rel_props() {
	f=$FW/$1.o
	cross=$(fw_cross "$1")
	[ -s "$f" ] || { echo "missing $f"; return 1; }
	fw_header "$f" REL "$(fw_endian "$1")" || return 1
	fw_shared_as_expected "$1" "$f" || return 1
	r=$("${cross}readelf" -rW "$f") || return 1
	for t in $LEGACY_RELOCS; do
		printf '%s\n' "$r" | grep -q " $t " || { echo "no $t"; return 1; }
	done
	other=$(printf '%s\n' "$r" | awk '$3 ~ /^R_MIPS_/ { print $3 }' | sort -u |
		grep -v -x -e R_MIPS_NONE -e R_MIPS_HI16 -e R_MIPS_LO16 -e R_MIPS_26 \
			-e R_MIPS_32 -e R_MIPS_GPREL16 -e R_MIPS_PC16)
	[ -z "$other" ] || { echo "relocation types the legacy loader lacks: $other"; return 1; }
	printf '%s\n' "$r" | awk '
		$3 == "R_MIPS_LO16" && t1 == "R_MIPS_HI16" && t2 == "R_MIPS_HI16" &&
		    s1 == $5 && s2 == $5 { ok = 1 }
		{ t2 = t1; s2 = s1; t1 = $3; s1 = $5 }
		END { exit !ok }' || { echo "no HI16, HI16, LO16 sequence of one symbol"; return 1; }
	printf '%s\n' "$r" | grep -q 'R_MIPS_GPREL16 .* fw_gp_probe$' ||
		{ echo "GPREL16 not against fw_gp_probe"; return 1; }
	"${cross}nm" "$f" | grep -q ' [DG] fw_gp_probe$' || { echo "fw_gp_probe not global data"; return 1; }
	"${cross}nm" "$f" | grep -q ' [DG] _gp$' || { echo "_gp not defined as global"; return 1; }
	"${cross}readelf" -SW "$f" | grep -q -E '\.rel\.(pdr|eh_frame|debug)' &&
		{ echo "relocations in non-ALLOC sections"; return 1; }
	undef=$("${cross}nm" -u "$f")
	[ -z "$undef" ] || { echo "undefined symbols: $undef"; return 1; }
}

for n in $EXEC_IMAGES; do
	check "$n.elf: ET_EXEC, $(fw_endian "$n"), __start != e_entry, vpe_shared as expected" \
		fw_exec_props "$n"
done
for n in $REL_IMAGES; do
	check "$n.o: ET_REL, $(fw_endian "$n"), HI16/LO16/26/32/GPREL16/PC16 relocations only" \
		fw_rel_props "$n"
done

# ---- under QEMU ---------------------------------------------------------------

# fw_boot TAG IMAGE [raw]: start QEMU Malta on a copy of IMAGE whose entry is
# __start (or on IMAGE itself with "raw"); sets QPID, RAM, IMG
fw_boot() {
	if [ "$(fw_file_endian "$2")" = el ]; then
		qemu=qemu-system-mipsel
		cross=mipsel-linux-gnu-
	else
		qemu=qemu-system-mips
		cross=mips-linux-gnu-
	fi
	IMG=$2
	if [ "${3:-}" != raw ]; then
		IMG=$work/$1.elf
		"${cross}objcopy" --set-start="0x$(fw_sym "$2" __start)" "$2" "$IMG" || return 1
	fi
	RAM=$SHM/vpe-fwtest.$$.$1
	rm -f "$RAM"
	fw_rams="$fw_rams $RAM"
	"$qemu" -M malta -cpu 34Kf -m 256M \
		-object memory-backend-file,id=ram,size=256M,mem-path="$RAM",share=on \
		-machine memory-backend=ram -kernel "$IMG" -nodefaults -display none \
		-no-reboot -serial file:"$work/$1.log" </dev/null >"$work/$1.qemu" 2>&1 &
	QPID=$!
	fw_pids="$fw_pids $QPID"
}

fw_stop() {
	kill "$QPID" 2>/dev/null
	wait "$QPID" 2>/dev/null
	rm -f "$RAM"
}

# QEMU has exited (a zombie until waited for)
fw_exited() {
	st=$(ps -o stat= -p "$QPID" 2>/dev/null) || return 0
	case $st in
	Z*) return 0 ;;
	esac
	return 1
}

probe() {
	"$PROBE" --ram "$RAM" --elf "$IMG" "$@"
}

# fw_report_has KEY=VALUE...: every pair appears in the report
fw_report_has() {
	rep=$(probe report) || return 1
	for kv in "$@"; do
		printf '%s\n' "$rep" | grep -q -x -F "$kv" || {
			echo "want $kv in:"
			printf '%s\n' "$rep"
			return 1
		}
	done
}

fw_report_get() {
	probe report | sed -n "s/^$1=//p"
}

# fw_echo_is CHANNEL TEXT EXPECTED
fw_echo_is() {
	got=$(probe echo --timeout 5 --channel "$1" "$2") || return 1
	[ "$got" = "$3" ] || { echo "channel $1: sent '$2', got '$got', want '$3'"; return 1; }
}

# fw_stream CHANNEL BYTES: checked echo with wrap-around in both rings
fw_stream() {
	out=$(probe stream --timeout 10 --channel "$1" --count "$2" --chunk 700) || return 1
	echo "$out"
	case $out in
	*" ok tx_wraps=0 "* | *" rx_wraps=0 "*) echo "no wrap-around"; return 1 ;;
	*" ok "*) return 0 ;;
	esac
	return 1
}

# idle: few host CPU ticks while nobody talks (Linux /proc only)
fw_idle_cheap() {
	[ -r "/proc/$QPID/stat" ] || return 0
	t0=$(awk '{ print $14 + $15 }' "/proc/$QPID/stat")
	sleep 0.5
	t1=$(awk '{ print $14 + $15 }' "/proc/$QPID/stat")
	echo "QEMU used $((t1 - t0)) ticks in 0.5 s"
	[ $((t1 - t0)) -lt 25 ]
}

fw_heartbeat_moves() {
	a=$(fw_report_get heartbeat)
	sleep 0.05
	b=$(fw_report_get heartbeat)
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ] || { echo "heartbeat $a -> $b"; return 1; }
}

fw_bad_index_ignored() {
	probe set --channel 1 rt_write 5000 || return 1
	probe set --channel 2 lx_read 0xffffffff || return 1
	before=$(fw_report_get bad_index)
	wait_until 2 fw_bad_index_above "$before" || { echo "bad_index stayed $before"; return 1; }
	probe set --channel 1 rt_write 0 || return 1
	probe set --channel 2 lx_read 0 || return 1
	fw_report_has state=RUNNING && fw_echo_is 1 "still alive" "still alive" &&
		fw_echo_is 2 "still alive" "still alive"
}

fw_bad_index_above() {
	[ "$(fw_report_get bad_index)" -gt "$1" ]
}

fw_have_qemu=yes
for t in qemu-system-mips qemu-system-mipsel; do
	command -v "$t" >/dev/null 2>&1 || fw_have_qemu="no $t"
done
[ -x "$PROBE" ] || fw_have_qemu="no fwprobe"

if [ "$fw_have_qemu" != yes ]; then
	skip "fixtures under QEMU" "$fw_have_qemu"
	tap_end
	exit $?
fi

# echo: both byte orders, both layouts
for n in echo-el-296 echo-el-300 echo-eb-296 echo-eb-300; do
	layout=${n##*-}
	fw_boot "$n" "$FW/$n.elf"
	check "$n: reaches RUNNING and publishes rtlx" probe wait-ready --timeout 10
	check "$n: rtlx id 0x12345602, layout $layout, \$a3 recorded" fw_report_has \
		state=RUNNING kind=echo layout="$layout" rtlx_id=0x12345602 \
		rtlx_layout="$layout" entry_a3=0x10000000
	check "$n: channel 0 answers 'Hello World' with 'hELLO wORLD'" \
		fw_echo_is 0 "Hello World" "hELLO wORLD"
	check "$n: channel 3 echoes unchanged" fw_echo_is 3 "Hello World" "Hello World"
	check "$n: 12 KiB through channel 7 with wrap-around" fw_stream 7 12288
	check "$n: 10 KiB through channel 0 (case-inverted) with wrap-around" fw_stream 0 10240
	if [ "$n" = echo-el-296 ]; then
		check "$n: heartbeat advances" fw_heartbeat_moves
		check "$n: idles in 'wait' (sleeps counted, host CPU low)" \
			eval 'fw_idle_cheap && [ "$(fw_report_get sleeps)" -gt 0 ]'
		check "$n: out-of-range Linux indices are ignored, echo continues" \
			fw_bad_index_ignored
	fi
	fw_stop
done

# large: checksum of the built-in data, then echo
for n in large-2m-el large-2m-eb large-16m-el large-16m-eb; do
	case $n in *-2m-*) bytes=2097152 ;; *) bytes=16777216 ;; esac
	fw_boot "$n" "$FW/$n.elf"
	check "$n: reaches RUNNING" probe wait-ready --timeout 15
	check "$n: checksum of $bytes bytes ok" fw_report_has \
		state=RUNNING kind=large sum_ok=1 sum_bytes="$bytes" rtlx_layout=296
	check "$n: echoes after the checksum" fw_echo_is 0 "Hello World" "hELLO wORLD"
	fw_stop
done

# large with one data byte changed: must say "not ok"
fw_corrupt() {
	cp "$FW/$1.elf" "$work/$1-bad.elf" || return 1
	off=$("$PROBE" --elf "$work/$1-bad.elf" file-offset fw_blob "$2") || return 1
	b=$(od -An -tu1 -j "$off" -N1 "$work/$1-bad.elf" | tr -d ' ')
	printf "\\$(printf '%03o' $((255 - b)))" |
		dd of="$work/$1-bad.elf" bs=1 seek="$off" conv=notrunc 2>/dev/null
	! cmp -s "$FW/$1.elf" "$work/$1-bad.elf"
}

for n in large-2m-el large-16m-eb; do
	if check "$n: copy with one data byte flipped" fw_corrupt "$n" 1234567; then
		fw_boot "$n-bad" "$work/$n-bad.elf"
		check "$n (corrupted): runs" probe wait-ready --timeout 15
		check "$n (corrupted): report says checksum not ok" eval \
			'fw_report_has state=RUNNING sum_ok=0 &&
			 [ "$(fw_report_get sum_expected)" != "$(fw_report_get sum_actual)" ]'
		fw_stop
	fi
done

# nosym: no vpe_shared, still runs
for n in nosym-el nosym-eb; do
	fw_boot "$n" "$FW/$n.elf"
	check "$n: reaches RUNNING without vpe_shared" probe wait-ready --timeout 10
	check "$n: report RUNNING, no rtlx" fw_report_has state=RUNNING kind=nosym vpe_shared=none
	check "$n: heartbeat advances" fw_heartbeat_moves
	fw_stop
done

# crash: '!' on channel 7 -> AdEL -> SOFTRES -> QEMU exits by itself
fw_crashed_as() {
	fw_report_has state=CRASHED crash_trigger="$1" || return 1
	code=$(fw_report_get exc_code)
	[ "$code" -ne 0 ] || { echo "crash with an interrupt Cause"; return 1; }
	[ "$code" -eq 4 ] || { echo "ExcCode $code, expected 4 (AdEL)"; return 1; }
}

fw_probe_sees_crash() {
	probe echo --timeout 2 --channel 0 x
	[ $? -eq 3 ]
}

for n in crash-el crash-eb; do
	fw_boot "$n" "$FW/$n.elf"
	check "$n: reaches RUNNING" probe wait-ready --timeout 10
	check "$n: echoes on channel 7 before the crash" fw_echo_is 7 abc abc
	check "$n: '!' sent on channel 7" probe send --channel 7 '!'
	check "$n: QEMU exits on its own" wait_until 5 fw_exited
	check "$n: report CRASHED by '!', non-interrupt Cause (AdEL)" fw_crashed_as bang
	check "$n: fwprobe echo reports the crash (status 3)" fw_probe_sees_crash
	fw_stop
done

fw_boot crash-el-timer "$FW/crash-el.elf"
check "crash-el: untouched, crashes by itself after ~1 s" wait_until 5 fw_exited
check "crash-el: report CRASHED by the timer, AdEL" fw_crashed_as timer
fw_stop

# a loader that uses e_entry instead of __start must visibly fail
fw_boot echo-el-296-entry "$FW/echo-el-296.elf" raw
check "echo-el-296 started at e_entry: QEMU exits" wait_until 5 fw_exited
check "echo-el-296 started at e_entry: report BAD_ENTRY" fw_report_has state=BAD_ENTRY
fw_stop

tap_end
