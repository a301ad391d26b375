# In the guest (with-mips, vpe-compat mode): the whole stack as a legacy
# board used it: images loaded through /dev/vpe1, the legacy programs on
# /dev/rtlx0..7, reloads and stops under open channels, a crash, the
# deprecation lines, the modules and the daemon taken down and brought up
# again, KSPD serving an SDE program's file I/O on the MIPS kernel.  TAP.
#
#   sh stack.sh LAYOUT [BULK]      BULK: bytes per channel of the 8-channel
#                                  bulk run (default 1M)
#
# /add: echo.elf echo.o bell.elf crash.elf large.elf (large-2m) kspd.elf
# notelf.txt
. /vpe/lib/tap.sh
set -u
LAYOUT=$1
BULK=${2:-1M}
R=/sys/class/remoteproc/remoteproc0
A=/add

state() { cat "$R/state"; }
echo0() { printf 'Hello World\n' | rtlxcon -c "${1:-0}" -e -w 10 -t 10; }
rings() { awk '/vpe_compat0/ { print $2 }' /proc/interrupts; }
has_doorbell() { grep -q vpe_compat0 /proc/interrupts; }

# The firmware prints its banner on the UART that is also the kernel's
# console: kernel lines printed at the same moment (the driver's "started
# TC 1" among them) would cut into it. They stay in dmesg (its end is
# printed after a failure).
dmesg -n 1

# ---- loading ----------------------------------------------------------------------
check "cat echo.elf > /dev/vpe1 (ET_EXEC)" sh -c "cat $A/echo.elf > /dev/vpe1"
is "... remoteproc runs it" running state
is "... rtlxcon on /dev/rtlx0: the case-inverted echo" "hELLO wORLD" echo0
check "dd of=/dev/vpe1 of the ET_REL object (relocated by fuse-vpe)" \
	sh -c "dd if=$A/echo.o of=/dev/vpe1 bs=1k 2>/dev/null"
is "... rtlxcon on /dev/rtlx3: the echo" "Hello World" echo0 3
check "a 2 MiB image through cat (its checksum: the host reads its banner)" \
	sh -c "cat $A/large.elf > /dev/vpe1"
is "... runs" running state
# It prints its banner once its data is checked, then echoes: an echo means
# the banner is out, before the next load stops it.
is "... its data checked, it echoes" "hELLO wORLD" \
	sh -c "printf 'Hello World\n' | rtlxcon -c 0 -e -w 60 -t 10"
is "a file that is no image: its first write fails with ENOEXEC" \
	"vpeload: write: ENOEXEC (Exec format error)" vpeload "$A/notelf.txt"
check "... the legacy log line is there" \
	sh -c "dmesg | grep -q 'VPE loader: only elf files are supported'"

# ---- the legacy programs ------------------------------------------------------------
check "cat echo.elf > /dev/vpe1 again" sh -c "cat $A/echo.elf > /dev/vpe1"
check "rtlxthreads: 1 MiB through one fd shared by two threads" rtlxthreads -c 1 -n 1M -t 120
check "rtlxpoll: all eight channels, non-blocking, poll()" rtlxpoll -c 0-7 -n 10000 -t 60
check "rtlxbulk: 8 channels x $BULK each way, checksummed" \
	rtlxbulk -c 0-7 -n "$BULK" -t 600
is "rtlxprobe: a second open of a channel: EBUSY" EBUSY rtlxprobe open-twice 4
is "rtlxprobe: an empty non-blocking read: 0, never EAGAIN" 0 rtlxprobe read-nonblock 4
is "rtlxprobe: a signal in a blocking read: 0, never EINTR" "0 signals=1" rtlxprobe -t 0.5 read-signal 4
check "rtlxprobe: full rings, non-blocking: short writes, then EAGAIN after 2 x 2047 bytes" \
	sh -c "rtlxprobe write-full 5 | grep -qx 'EAGAIN bytes=4094 short=[1-9][0-9]*'"
is "... drained" 4094 rtlxprobe drain 5

# ---- the doorbells ---------------------------------------------------------------
if has_doorbell; then
	# write-wait opens without blocking: once the program has published
	check "the bell program (rings Linux's doorbell) loads" \
		sh -c "cat $A/bell.elf > /dev/vpe1 && rtlxprobe -t 20 open 6 >/dev/null"
	before=$(rings)
	is "a blocking write on full rings, woken when a reader frees them" \
		100 rtlxprobe write-wait 6
	check "rtlxthreads' blocking reads, woken by the program's doorbell" \
		rtlxthreads -c 1 -n 256K -t 120
	check "... its doorbell rang Linux (software interrupt 0)" \
		sh -c "[ \$(awk '/vpe_compat0/ { print \$2 }' /proc/interrupts) -gt $before ]"
else
	pass "no doorbell from the remote in this kernel (SMP: software interrupt 0 is an IPI): fuse-vpe polls"
	check "... and the bell program's blocking calls complete all the same" \
		sh -c "cat $A/bell.elf > /dev/vpe1 && rtlxprobe -t 20 open 6 >/dev/null &&
			rtlxprobe write-wait 6 | grep -qx 100"
fi

# ---- reload and stop under open channels ------------------------------------------
check "the echo program again" sh -c "cat $A/echo.elf > /dev/vpe1"
exec 9<>/dev/rtlx2
is "an fd held on /dev/rtlx2 echoes" "5" rtlxprobe -f 9 write hello
check "... and reads the echo" sh -c "rtlxprobe -t 2 -f 9 read | grep -qx 5"
check "reload while it is held: cat echo.elf > /dev/vpe1" sh -c "cat $A/echo.elf > /dev/vpe1"
is "... the held fd sees the new program at once (poll)" "POLLOUT|POLLWRNORM" rtlxprobe -t 2 -f 9 poll
is "... and writes to it" 5 rtlxprobe -f 9 write hello
check "... and reads its echo" sh -c "rtlxprobe -t 2 -f 9 read | grep -qx 5"
check "stop through the mount's kill file" sh -c "echo 1 > /run/vpe-compat/kill"
is "... remoteproc: offline" offline state
is "... the held fd reads 0 at once" 0 rtlxprobe -t 2 -f 9 read
is "... a new blocking open waits (ends at the signal)" "EINTR signals=1" rtlxprobe -t 1 open 2
exec 9<&-
check "load again after the stop" sh -c "cat $A/echo.elf > /dev/vpe1"
is "... echo" "hELLO wORLD" echo0

# ---- a crash -------------------------------------------------------------------------
check "the crash program loads" sh -c "cat $A/crash.elf > /dev/vpe1"
# a reader on a channel opened before the crash, blocked or about to be:
# either way its read ends with 0 once fuse-vpe sees the crash
exec 8<>/dev/rtlx1
rtlxprobe -t 10 -f 8 read >/tmp/crash-read 2>&1 &
reader=$!
is "... '!' on channel 7 makes it crash" 1 rtlxprobe write 7 '!'
check "... remoteproc: crashed" wait_until 10 sh -c "[ \"\$(cat $R/state)\" = crashed ]"
wait $reader
is "... a reader of a channel opened before it: 0" 0 cat /tmp/crash-read
exec 8<&-
check "a load after the crash works" sh -c "cat $A/echo.elf > /dev/vpe1"
is "... echo" "hELLO wORLD" echo0

# ---- the deprecation lines ---------------------------------------------------------
check "the kernel log names the loader and the legacy interface" \
	sh -c "dmesg | grep -q 'vpe-compat: cat\[[0-9]*\] uses /dev/vpe1, which is deprecated; use remoteproc'"
check "... and the channel programs" \
	sh -c "dmesg | grep -q 'vpe-compat: rtlxcon\[[0-9]*\] uses /dev/rtlx0, which is deprecated; use rpmsg'"

# ---- down and up again ---------------------------------------------------------------
gone() { ! pidof fuse-vpe && [ ! -e /dev/vpe1 ] && [ ! -e /dev/rtlx0 ] &&
	! grep -q /run/vpe-compat /proc/mounts; }
check "fuse-vpe ends on SIGTERM" kill "$(pidof fuse-vpe)"
check "... its links and its mount go" wait_until 10 gone
is "... the program keeps running" running state
check "vpe_compat and vpe_rproc unload (the program is stopped)" \
	sh -c "rmmod vpe_compat && rmmod vpe_rproc"
check "everything comes up again" \
	sh -c "VPE_RPROC_OPTS=a3=$WITH_MIPS_A3 vpe-compat-up $WITH_MIPS_REGION"
check "... loads" sh -c "cat $A/echo.elf > /dev/vpe1"
is "... echo" "hELLO wORLD" echo0
# ---- KSPD -------------------------------------------------------------------------------
check "fuse-vpe ends again" kill "$(pidof fuse-vpe)"
wait_until 10 gone
mkdir -p /tmp/kspd/sub
check "fuse-vpe --kspd /tmp/kspd" \
	fuse-vpe --rproc-name vpe1 --window /dev/vpe_compat0 --kspd /tmp/kspd /run/vpe-compat
check "... its links" wait_until 5 test -e /dev/rtlx7
check "an SDE program loaded from /tmp/kspd/sub" \
	sh -c "cd /tmp/kspd/sub && cat $A/kspd.elf > /dev/vpe1"
check "... runs its file I/O and exits: offline" \
	wait_until 20 sh -c "[ \"\$(cat $R/state)\" = offline ]"
is "... the file it wrote, beside its loader's directory" "hello from the SP" \
	cat /tmp/kspd/sub/kspd-out.txt
check "... the log has its exit code" \
	sh -c "dmesg | grep -q 'KSPD: the program exited with code 42'"
check "the kernel log has no warning, bug or oops" \
	sh -c "! dmesg | grep -E 'WARNING|BUG|Oops|Call Trace|cut here'"
# the console showed no kernel lines (above): on a failure, the log's end
[ "$TAP_FAILED" -eq 0 ] || dmesg | tail -n 40 | sed 's/^/# dmesg: /'
tap_end || true
