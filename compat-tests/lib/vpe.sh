# Helpers for tests that run inside with-sim with fuse-vpe (source after
# tap.sh). The running program is always checked by itself: its fw_report
# and RTLX structure in the remote's RAM, read through fwprobe with the
# symbols of the image fuse-vpe handed to remoteproc.

: "${VPE_BUILD:?}"
FW=$VPE_BUILD/firmware
FWPROBE=$VPE_BUILD/tools/fwprobe
VPELOAD=$VPE_BUILD/apps/vpeload
MNT=/dev/vpe-sim/mnt

# the image remoteproc was given: the one named in its firmware attribute
loaded_image() {
	echo "$VPE_SIM_FWDIR/$(cat "$VPE_SIM_RPROC/firmware")"
}

probe() {
	"$FWPROBE" --ram "$VPE_SIM_RAM" --elf "$(loaded_image)" "$@"
}

state_is() {
	[ "$(cat "$VPE_SIM_RPROC/state")" = "$1" ]
}

# report_field NAME: one value of the running program's fw_report
report_field() {
	probe report | sed -n "s/^$1=//p"
}

# runs_echo: the program is up, published its rtlx_info and echoes on
# channel 0 with the case inverted.
runs_echo() {
	state_is running || { echo "state: $(cat "$VPE_SIM_RPROC/state")"; return 1; }
	probe wait-ready --timeout 20 || return 1
	out=$(probe echo --channel 0 "Hello World") || return 1
	[ "$out" = "hELLO wORLD" ] || { echo "echo gave '$out'"; return 1; }
}

# runs_large: as runs_echo, and the program's own checksum of its data
# matches what was built into it.
runs_large() {
	runs_echo || return 1
	[ "$(report_field sum_ok)" = 1 ] || { probe report; return 1; }
}

# runs_alone: a program without channels (nosym) is up and reports so
runs_alone() {
	state_is running && probe wait-ready --timeout 20
}

# loads LOADER IMAGE CHECK: load one way, then verify with CHECK
loads() {
	load_with "$1" "$2" && "$3"
}

# load_with LOADER IMAGE: the legacy ways of loading
load_with() {
	case "$1" in
	cat) cat "$2" >/dev/vpe1 ;;
	dd) dd if="$2" of=/dev/vpe1 bs=64k status=none ;;
	cp) cp "$2" /dev/vpe1 ;;
	tee) tee /dev/vpe1 <"$2" >/dev/null ;;
	vpeload) "$VPELOAD" -c 1000 "$2" >/dev/null ;;
	*) echo "no loader $1"; return 2 ;;
	esac
}

# kmsg_mark / kmsg_since: the deprecation and loader lines of one step
kmsg_mark() {
	KMSG_LINES=$(wc -l <"$VPE_KMSG")
}

kmsg_since() {
	tail -n +"$((KMSG_LINES + 1))" "$VPE_KMSG"
}

# qemu_pid: the remote core's QEMU, if one runs
qemu_pid() {
	pgrep -f 'qemu-system-mips.*vpe-sim/[r]am'
}

# qemu_count: how many remote cores run (one at most, ever)
qemu_count() {
	pgrep -c -f 'qemu-system-mips.*vpe-sim/[r]am' || true
}

# ---- the daemon itself: stop it, start it again with its own options ------
#
#   daemon_kill SIGNAL   end the running fuse-vpe with SIGNAL (TERM: clean,
#                        KILL: as a crash), keep its command line
#   daemon_again         the same command line again, until its files are up
#   daemon_twice         the running fuse-vpe's command line once more, in
#                        the foreground (10 s at most): its status, its
#                        output in $DAEMON_LOG
#   daemon_again_stop    end what daemon_again started (a test's EXIT trap)
#   daemon_up            a live fuse-vpe serves $MNT

DAEMON_ARGS=/tmp/daemon-args.$$
DAEMON_LOG=/tmp/daemon-log.$$
daemon_new=

daemon_save() {
	_old=$(pgrep -x fuse-vpe) || { echo "no fuse-vpe runs"; return 1; }
	tr '\0' '\n' <"/proc/$_old/cmdline" >$DAEMON_ARGS
}

daemon_kill() {
	daemon_save || return
	kill "-$1" "$_old"
	wait_until 5 sh -c "! kill -0 $_old"
}

# run the saved command line with $1 before it
daemon_run() {
	_pre=$1
	set --
	while IFS= read -r _a; do
		set -- "$@" "$_a"
	done <$DAEMON_ARGS
	$_pre "$@" </dev/null >>$DAEMON_LOG 2>&1
}

daemon_twice() {
	daemon_save || return
	daemon_run "timeout -k 2 10"
}

# daemon_up: a live fuse-vpe mount at $MNT (a dead one answers statfs with
# ENOTCONN, and a name in it may still be found in the cache for a second)
daemon_up() {
	grep -q " $MNT .* - fuse\.vpe " /proc/self/mountinfo &&
		stat -f "$MNT" >/dev/null 2>&1 && test -e "$MNT/vpe1"
}

daemon_again() {
	daemon_run "" &
	daemon_new=$!
	wait_until 10 daemon_up || { cat $DAEMON_LOG; return 1; }
}

daemon_again_stop() {
	if [ -n "$daemon_new" ]; then
		kill -TERM "$daemon_new" 2>/dev/null
		wait_until 5 sh -c "! kill -0 $daemon_new" ||
			kill -KILL "$daemon_new" 2>/dev/null
		wait "$daemon_new" 2>/dev/null
		daemon_new=
	fi
	rm -f $DAEMON_ARGS $DAEMON_LOG
}
