# Helpers for the simulator's own tests (tests/20-sim-attrs.t,
# tests/21-sim-boot.t). Source after lib/tap.sh, then call sim_setup.
#
#   sim_setup             work directory, exit trap; skips the whole test
#                         when the simulator cannot run here
#   sim_start [OPTION...] mount a simulator on $SIM_MNT, wait until it is up
#   sim_stop              unmount and reap it (bounded; SIGKILL if need be);
#                         its exit status
#   expect WANT FILE TEXT one write() of TEXT (\n escapes) gives WANT: OK or
#                         an errno name (EBUSY, EINVAL, ...)
#   is FILE TEXT          FILE reads TEXT
#   no_qemu               no QEMU of this test is left (matched by RAM file)
#   bounded CMD...        CMD with a time limit (a hung simulator must not
#                         hang the test: FUSE requests wait for it)
#   tiny_image el|eb OUT  a legacy ET_EXEC spin loop, hand-converted
#   poke8|poke16|poke32 FILE OFFSET VALUE   patch a file (byte order:
#                         $POKE_ENDIAN, little or big); peek32 FILE OFFSET
#   section IMAGE NAME addr|off, phdr_offset IMAGE, symbol IMAGE NAME
#
# $SIM_R is the instance directory, $SIM_FW the firmware directory, $SIM_LOG
# the simulated dmesg, $SIM_RAM the RAM file (unique to this test run).

: "${VPE_BUILD:=$(cd "$(dirname "$0")/../.." && pwd)/build}"
SIM_SRC=$(cd "$(dirname "$0")/.." && pwd)
SIM_BIN=$VPE_BUILD/sim/rproc-sim
SIM_WRITE=$VPE_BUILD/sim/sysfs-write
HANDCONVERT=$SIM_SRC/lib/handconvert.sh
SIM_PID=

sim_cleanup() {
	sim_stop >/dev/null 2>&1
	[ -z "${SIM_WORK:-}" ] || rm -rf "$SIM_WORK"
}

sim_setup() {
	if [ ! -x "$SIM_BIN" ] || [ ! -x "$SIM_WRITE" ]; then
		fail "the simulator is built" "$SIM_BIN or $SIM_WRITE missing (run make)"
		tap_end
		exit 1
	fi
	if [ "$(id -u)" -ne 0 ] || [ ! -w /dev/fuse ]; then
		skip "simulator tests" "need root and /dev/fuse"
		tap_end
		exit 0
	fi
	SIM_WORK=$(mktemp -d "${TMPDIR:-/tmp}/rproc-simtest.XXXXXX")
	SIM_MNT=$SIM_WORK/mnt
	SIM_R=$SIM_MNT/remoteproc0
	SIM_FW=$SIM_WORK/fw
	SIM_RAM=$SIM_WORK/ram
	SIM_LOG=$SIM_WORK/dmesg
	SIM_UART=$SIM_WORK/uart.log
	mkdir "$SIM_MNT" "$SIM_FW"
	: >"$SIM_LOG"
	trap sim_cleanup EXIT
	trap 'exit 143' TERM INT HUP
}

# gone PID: exited (a zombie waiting for our wait counts as gone)
gone() {
	[ ! -d "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

sim_start() {
	: >"$SIM_LOG"	# each simulator's own log
	"$SIM_BIN" -f --fw-dir "$SIM_FW" --ram "$SIM_RAM" --log "$SIM_LOG" \
		--uart-log "$SIM_UART" "$@" "$SIM_MNT" \
		</dev/null >>"$SIM_WORK/sim.out" 2>&1 &
	SIM_PID=$!
	if ! wait_until 10 test -f "$SIM_R/state"; then
		cat "$SIM_WORK/sim.out"
		return 1
	fi
}

sim_stop() {
	[ -n "$SIM_PID" ] || return 0
	gone "$SIM_PID" || fusermount3 -u "$SIM_MNT" 2>/dev/null ||
		kill -TERM "$SIM_PID" 2>/dev/null
	wait_until 10 gone "$SIM_PID" || kill -KILL "$SIM_PID" 2>/dev/null
	wait "$SIM_PID"
	_st=$?
	SIM_PID=
	# a killed simulator leaves a dead mount behind
	umount -l "$SIM_MNT" 2>/dev/null
	return $_st
}

bounded() {
	timeout -k 2 30 "$@"
}

expect() {
	_got=$(bounded "$SIM_WRITE" -e "$2" "$3" 2>&1)
	[ "$_got" = "$1" ] && return 0
	echo "write '$3' to $2: got $_got, wanted $1"
	tail -n 5 "$SIM_LOG"
	return 1
}

is() {
	_got=$(bounded cat "$1" 2>&1)
	[ "$_got" = "$2" ] && return 0
	echo "$1 reads '$_got', wanted '$2'"
	return 1
}

no_qemu() {
	! pgrep -f "qemu-system-mips.*$SIM_RAM" >/dev/null
}

# The least a legacy image is: __start spinning, a vpe_shared word, KSEG0.
tiny_image() {
	_cross=mipsel-linux-gnu-
	[ "$1" = el ] || _cross=mips-linux-gnu-
	cat >"$SIM_WORK/tiny.S" <<-'EOS'
		.text
		.globl __start
	__start:
		b	__start
		nop
		.data
		.globl vpe_shared
	vpe_shared:
		.word	0
	EOS
	cat >"$SIM_WORK/tiny.ld" <<-'EOS'
	ENTRY(__start)
	SECTIONS {
		. = 0x80100000;
		.text : { *(.text) }
		.data : { *(.data) }
		/DISCARD/ : { *(.MIPS.abiflags) *(.reginfo) *(.gnu.attributes) }
	}
	EOS
	"${_cross}as" -march=mips32r2 -o "$SIM_WORK/tiny-$1.o" "$SIM_WORK/tiny.S" &&
		"${_cross}ld" -T "$SIM_WORK/tiny.ld" -o "$SIM_WORK/tiny-$1.elf" \
			"$SIM_WORK/tiny-$1.o" &&
		sh "$HANDCONVERT" "$SIM_WORK/tiny-$1.elf" "$2"
}

# poke FILE OFFSET BYTE...: overwrite bytes in place
poke() {
	_f=$1 _o=$2
	shift 2
	# shellcheck disable=SC2059 # the format is the byte string
	printf "$(printf '\\%03o' "$@")" |
		dd of="$_f" bs=1 seek="$_o" conv=notrunc 2>/dev/null
}

poke8() {
	poke "$1" "$2" $(($3 & 255))
}

poke16() {
	if [ "${POKE_ENDIAN:-little}" = little ]; then
		poke "$1" "$2" $(($3 & 255)) $(($3 >> 8 & 255))
	else
		poke "$1" "$2" $(($3 >> 8 & 255)) $(($3 & 255))
	fi
}

poke32() {
	if [ "${POKE_ENDIAN:-little}" = little ]; then
		poke "$1" "$2" $(($3 & 255)) $(($3 >> 8 & 255)) \
			$(($3 >> 16 & 255)) $(($3 >> 24 & 255))
	else
		poke "$1" "$2" $(($3 >> 24 & 255)) $(($3 >> 16 & 255)) \
			$(($3 >> 8 & 255)) $(($3 & 255))
	fi
}

# section IMAGE NAME addr|off: a section's address or file offset (decimal)
section() {
	_v=$(LC_ALL=C mipsel-linux-gnu-readelf -SW "$1" |
		sed -n "s/^.*\] $2 *[A-Z_]* *\([0-9a-f]*\) *\([0-9a-f]*\) .*/\1 \2/p")
	[ -n "$_v" ] || return 1
	# shellcheck disable=SC2086 # split into address and offset
	set -- "$3" $_v
	if [ "$1" = addr ]; then echo $((0x$2)); else echo $((0x$3)); fi
}

# phdr_offset IMAGE: e_phoff
phdr_offset() {
	LC_ALL=C mipsel-linux-gnu-readelf -h "$1" |
		sed -n 's/^ *Start of program headers: *\([0-9]*\) .*/\1/p'
}

# symbol IMAGE NAME: a symbol's value (decimal)
symbol() {
	_v=$(LC_ALL=C mipsel-linux-gnu-readelf -sW "$1" |
		awk -v n="$2" '$8 == n { print $2; exit }')
	[ -n "$_v" ] && echo $((0x$_v))
}

# peek32 FILE OFFSET: a 32-bit word in $POKE_ENDIAN order, as 8 hex digits
peek32() {
	od -A n -t x4 --endian="${POKE_ENDIAN:-little}" -j "$2" -N 4 "$1" |
		tr -d ' \n'
}
