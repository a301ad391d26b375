# In the guest, in either mode (with-mips or with-mips --legacy): what a
# legacy program sees, call by call, as a transcript to set beside the
# other mode's.  Every line is "KEY => RESULT"; lines starting with "##"
# name the part.  Nothing in it depends on timing: reads that wait for the
# program's echo loop on non-blocking files, times are cut from the
# programs' reports.
#
#   sh diff.sh KIND          KIND: echo (rings no doorbell) or bell (rings
#                            Linux's doorbell, as legacy programs did)
#
# /add: fw.elf (the fixture), notelf.txt
set -u
KIND=$1

# t KEY CMD...: one transcript line with the command's output (one line)
t() {
	_key=$1
	shift
	echo "$_key => $("$@" 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
}
probe() { t "probe $*" rtlxprobe "$@"; }
script() { rtlxscript | sed "s/^/$1: /"; }

kill_program() {
	if [ "$WITH_MIPS_MODE" = legacy ]; then
		echo 1 >/sys/class/vpe/vpe1/kill
	else
		echo 1 >/run/vpe-compat/kill
	fi
}

# The program has published its channels (legacy: no doorbell may come).
published() {
	_i=0
	until [ "$(rtlxprobe -t 0.2 open-nonblock 1 2>&1)" = OK ]; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || { echo "## the program never published"; return 1; }
		sleep 0.1
	done
}

# prog KEY CMD...: a legacy program on clean channels; its status is the
# transcript line, its report goes along as "#-" lines (not compared: how
# far a failing program got depends on timing)
prog() {
	_key=$1
	shift
	for _c in 0 1 2 3 4 5 6 7; do
		rtlxprobe -t 0.2 drain $_c >/dev/null 2>&1
	done
	"$@" >/tmp/prog.out 2>&1
	echo "$_key => status $?"
	sed 's/^/#- /' /tmp/prog.out
}
console() { printf 'Hello World\n' | rtlxcon -c 0 -e -t 5 -w 5; }

echo "## before any program"
script before <<'EOF'
open a /dev/rtlx0 nonblock
alarm 300
open b /dev/rtlx0
EOF
probe -t 0.3 -w 0.3 read-signal 0

echo "## load"
echo "load /add/fw.elf" | script load
published || exit 0

echo "## one channel, call by call"
script ch0 <<'EOF'
open a /dev/rtlx0 nonblock
write a "Hello World"
readall a 11 5000
read a 64
poll a inout 200
select a 200
ioctl a
mmap a
lseek a
fsync a
open b /dev/rtlx0 nonblock
nonblock a off
alarm 300
read a 64
close a
open a /dev/rtlx0 nonblock
write a "abc"
close a
open a /dev/rtlx0 nonblock
readall a 3 5000
close a
open c /dev/rtlx2 nonblock
close c
EOF

echo "## rtlxprobe"
probe open-twice 4
probe read-nonblock 4
probe -t 0.3 read-signal 4
probe -t 0.3 read-fcntl 4
probe -t 0.3 poll 4
probe -t 0.3 poll-out 4
probe -t 0.3 select 4
probe -t 0.3 epoll 4
probe ioctl 4
probe mmap 4
probe lseek 4
probe fsync 4
t "probe write-full 5" sh -c "rtlxprobe write-full 5 | sed 's/short=[1-9][0-9]*/short=N/'"
probe -t 0.3 poll-out 5
probe drain 5
t "probe write-block 5" rtlxprobe -t 0.5 write-block 5
probe drain 5

echo "## a file held across a stop"
exec 9<>/dev/rtlx3
t "write on the held fd" rtlxprobe -f 9 write hello
t "its echo" sh -c "rtlxprobe -t 2 -f 9 drain"
kill_program
t "after the stop: read on the held fd" rtlxprobe -t 0.5 -f 9 read
t "after the stop: non-blocking open of another channel" rtlxprobe open-nonblock 4
t "after the stop: write on the held fd" rtlxprobe -t 0.5 -f 9 write x
exec 9<&-
echo "load /add/fw.elf" | script reload
published || exit 0

echo "## programs"
# the legacy poll() looks at the rings again only when the program rings
# the doorbell: without one it reports no echo (rtlxpoll times out)
prog "rtlxpoll 0-7" rtlxpoll -c 0-7 -n 4000 -t 5
if [ "$KIND" = bell ]; then
	# blocking calls that only the program's doorbell wakes (legacy)
	t "rtlxprobe write-wait 6" rtlxprobe -t 5 write-wait 6
	prog "rtlxcon echo" console
	prog "rtlxthreads 64K" rtlxthreads -c 1 -n 64K -t 6
	prog "rtlxbulk 0-7 64K" rtlxbulk -c 0-7 -n 64K -t 10
fi

echo "## a load that fails"
echo "load /add/notelf.txt" | script bad
t "then: non-blocking open" rtlxprobe open-nonblock 4

echo "## loaded again"
echo "load /add/fw.elf" | script again
published || exit 0
script again <<'EOF'
open a /dev/rtlx0 nonblock
write a "Hello World"
readall a 11 5000
close a
EOF
