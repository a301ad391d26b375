# In the guest (with-mips --no-setup, a kernel without the legacy loader):
# the legacy in-kernel VPE API (vpe_legacy.ko) on vpe_rproc.ko, driven by
# the test modules as Lantiq's voice driver and a mainline user drive it,
# and arbitrated against remoteproc's sysfs and fuse-vpe's /dev/vpe1.  TAP.
#
#   sh api.sh
#
# /add holds vpe-raw.bin (the raw fixture) and echo.elf (a legacy image).
. /vpe/lib/tap.sh
set -u
# shellcheck disable=SC2086
set -- $WITH_MIPS_REGION
BASE=$1 SIZE=$2
A3=$WITH_MIPS_A3
R=/sys/class/remoteproc/remoteproc0
LIB=/vpe/lib
P=/sys/module
cp /add/vpe-raw.bin /add/echo.elf /lib/firmware/
# the mainline test starts 1 MiB into the region: any address there works
KSEG1_AT=$(printf "0x%x" $((0xa0000000 + BASE + 0x100000)))

# Kernel lines off the console the firmware shares; dmesg keeps them.
dmesg -n 1

MARK=0
mark() { MARK=$(dmesg | wc -l); }
since() { dmesg | tail -n +$((MARK + 1)); }
logged() { since | grep -q -F -- "$1"; }

# ktest NAME MODULE ARGS...: load a test module; its TAP lines in the log
# become ours, and it must load (its init fails when a check failed)
ktest() {
	_name=$1 _mod=$2
	shift 2
	mark
	insmod "$LIB/$_mod.ko" "$@" 2>/tmp/insmod.err
	_st=$?
	since | sed -n "s/^\(\[[^]]*\] \)\{0,1\}$_mod: \(\(not \)\{0,1\}ok [0-9]* - .*\)/\2/p" \
		>/tmp/ktap
	while IFS= read -r _l; do
		case $_l in
		"ok "*) pass "$_name: ${_l#ok * - }" ;;
		*) fail "$_name: ${_l#not ok * - }" ;;
		esac
	done </tmp/ktap
	if [ $_st -eq 0 ]; then
		pass "$_name: $_mod loads ($(wc -l </tmp/ktap) checks)"
	else
		fail "$_name: $_mod loads" "$(cat /tmp/insmod.err; since | tail -n 20)"
	fi
	return $_st
}

param() { cat "$P/$1/parameters/$2"; }
state() { cat "$R/state"; }
wait_state() {
	wait_until 5 sh -c "[ \"\$(cat $R/state)\" = $1 ]"
}

# wr FILE VALUE: one write(2) of VALUE to FILE; prints ok or the errno
wr() {
	printf 'open a %s wronly\nwrite a "%s"\nclose a\n' "$1" "$2" |
		rtlxscript | sed -n 's/^write .* => \([0-9]*\)$/ok/p; s/^write .* => \(E[A-Z0-9]*\)$/\1/p'
}
# sysw ATTR VALUE: the same to remoteproc0's ATTR
sysw() { wr "$R/$1" "$2"; }

no_oops() {
	if dmesg | grep -E -q 'WARNING:|Oops|BUG:|Call Trace|Unable to handle'; then
		fail "$1: no warning or oops in the kernel log" \
			"$(dmesg | grep -E -A 12 'WARNING:|Oops|BUG:|Call Trace|Unable to handle' | head -n 40)"
	else
		pass "$1: no warning or oops in the kernel log"
	fi
}

# ---- no remote processor: every call fails, nothing oopses ---------------------
insmod "$LIB/vpe_rproc.ko"
check "no region: vpe_rproc.ko loads with no instance" test ! -e "$R"
check "vpe_legacy.ko loads" insmod "$LIB/vpe_legacy.ko"
ktest "no remote" ltq_vmmc_test mode=absent
rmmod ltq_vmmc_test
check "vpe_legacy.ko unloads" rmmod vpe_legacy
rmmod vpe_rproc

# ---- as ltq-vmmc, and as a mainline user ---------------------------------------
up() {
	insmod "$LIB/vpe_rproc.ko" phys_base="$BASE" phys_size="$SIZE" a3="$A3" &&
	insmod "$LIB/vpe_legacy.ko" vpe1_mem=2M
}
check "vpe_rproc.ko over the region, vpe_legacy.ko with vpe1_mem=2M" up
ktest "ltq-vmmc" ltq_vmmc_test mode=sequence expect_mem=0x200000 \
	expect_a3="$A3"
is "the watchdog left the instance crashed until vpe1_sw_stop: offline now" \
	offline state
check "the watchdog's crash was remoteproc's" logged "handling crash #1"
rmmod ltq_vmmc_test
ktest "mainline" vpe_mainline_test mode=sequence addr="$KSEG1_AT"
rmmod vpe_mainline_test
is "offline after vpe_free" offline state
no_oops "the sequences"

# ---- the legacy /sys/class/vpe/vpe1: kill and ntcs ---------------------------------
V=/sys/class/vpe/vpe1
check "class: /sys/class/vpe/vpe1 is there" test -d "$V"
is "class: kill is write-only (0200)" 200 stat -c %a "$V/kill"
is "class: ntcs is 0644" 644 stat -c %a "$V/ntcs"
check "class: no device node of its own (/dev/vpe1 is fuse-vpe's)" \
	test ! -e /dev/vpe1 -a ! -e "$V/dev"
N=$(cat "$V/ntcs")
check "class: ntcs reads the TCs Linux does not use ($N)" test "$N" -ge 1
is "class: ntcs 0 is refused" EINVAL wr "$V/ntcs" 0
is "class: ntcs past the free TCs is refused" EINVAL wr "$V/ntcs" $((N + 1))
is "class: ntcs \"abc\" is refused" EINVAL wr "$V/ntcs" abc
is "class: ntcs \"1x\" is refused" EINVAL wr "$V/ntcs" 1x
is "class: ntcs past an unsigned long: ERANGE" ERANGE wr "$V/ntcs" 99999999999999999999
is "class: ntcs \"0x1\" (any base)" ok wr "$V/ntcs" 0x1
is "class: ... reads 1" 1 cat "$V/ntcs"
ktest "ntcs" ltq_vmmc_test mode=hold expect_mem=0x200000 expect_a2=1
is "class: kill stops the API's program" ok wr "$V/kill" 1
is "class: ... offline" offline state
is "class: ... stop(1) told to the API's notifiers" 1 param ltq_vmmc_test stops
rmmod ltq_vmmc_test
is "class: kill with nothing running succeeds, as it did" ok wr "$V/kill" 1
echo "$N" >"$V/ntcs"
is "class: ntcs back to $N" "$N" cat "$V/ntcs"

# ---- a program started through the API, seen from remoteproc -----------------------
ktest "held" ltq_vmmc_test mode=hold expect_mem=0x200000
is "held: remoteproc shows it attached" attached state
is "held: a firmware name is refused (EBUSY)" EBUSY sysw firmware echo.elf
is "held: \"echo start\" is not a second start" ok sysw state start
is "held: still attached" attached state
rmmod ltq_vmmc_test
is "held: vpe1_sw_stop at rmmod stopped it (all of remoteproc's references)" \
	offline state

ktest "held" ltq_vmmc_test mode=hold expect_mem=0x200000
mark
is "held: \"echo stop\" stops it" ok sysw state stop
is "held: offline" offline state
is "held: stop(1) told to the notifiers" 1 param ltq_vmmc_test stops
check "held: the log says who stopped it" \
	logged "stopped through remoteproc"
rmmod ltq_vmmc_test

ktest "watchdog" ltq_vmmc_test mode=hold expect_mem=0x200000 wdog=1
check "watchdog: the frozen heartbeat makes the instance crashed" \
	wait_state crashed
is "watchdog: the handler ran once" 1 param ltq_vmmc_test fired
rmmod ltq_vmmc_test
is "watchdog: vpe1_sw_stop at rmmod stops the crashed program" offline state
no_oops "the held programs"

# ---- a program loaded through /dev/vpe1, seen from the API ---------------------------
insmod "$LIB/vpe_compat.ko"
mkdir -p /run/vpe-compat
fuse-vpe --rproc-name vpe1 --window /dev/vpe_compat0 /run/vpe-compat
check "fuse-vpe is up" wait_until 5 test -e /dev/rtlx0
check "/dev/vpe1: cat echo.elf > /dev/vpe1" sh -c 'cat /add/echo.elf >/dev/vpe1'
is "/dev/vpe1: running" running state
# an open waits for the program to publish its RTLX structure
printf 'open a /dev/rtlx0 rdwr\nclose a\n' | rtlxscript >/dev/null
ktest "busy" ltq_vmmc_test mode=busy
is "busy: the /dev/vpe1 program still runs" running state
rmmod ltq_vmmc_test
ktest "shared" vpe_mainline_test mode=shared
rmmod vpe_mainline_test

is "/dev/vpe1: the kill file stops it" ok sh -c 'echo 1 >/run/vpe-compat/kill && echo ok'
check "/dev/vpe1: offline" wait_state offline

# /sys/class/vpe/vpe1/kill under fuse-vpe: a blocked reader learns of it
check "/dev/vpe1: loaded again" sh -c 'cat /add/echo.elf >/dev/vpe1'
printf 'open a /dev/rtlx0 rdwr\nclose a\n' | rtlxscript >/dev/null
printf 'open a /dev/rtlx0 rdonly\nread a 64\nclose a\n' | rtlxscript >/tmp/blocked &
reader=$!
sleep 1
is "class: kill stops the /dev/vpe1 program" ok wr "$V/kill" 1
is "class: ... offline" offline state
check "class: ... the blocked reader returns" wait_until 5 sh -c "! kill -0 $reader 2>/dev/null"
check "class: ... with 0 bytes, as after the legacy kill" grep -q "read a 64 => 0" /tmp/blocked

# legacy: opening /dev/vpe1 stops whatever runs, here a program of the API's
ktest "replaced" ltq_vmmc_test mode=hold expect_mem=0x200000
check "/dev/vpe1 while the API's program runs: it is replaced" \
	sh -c 'cat /add/echo.elf >/dev/vpe1'
is "replaced: running (the /dev/vpe1 program)" running state
is "replaced: stop(1) told to the API's notifiers" 1 param ltq_vmmc_test stops
rmmod ltq_vmmc_test
is "replaced: vpe1_sw_stop left the /dev/vpe1 program alone" running state
echo 1 >/run/vpe-compat/kill
wait_state offline

# ---- a module that never took its notifier back -------------------------------------
ktest "leak" vpe_mainline_test mode=leak
mark
rmmod vpe_mainline_test
check "leak: vpe_legacy drops the notifier of the module that went" \
	logged "vpe_mainline_test left a VPE notifier registered"
ktest "after the leak" ltq_vmmc_test mode=hold expect_mem=0x200000
rmmod ltq_vmmc_test
no_oops "the leak"

# ---- everything unloads and loads again -----------------------------------------------
umount /run/vpe-compat
check "unload: fuse-vpe ends with its mount" \
	wait_until 5 sh -c '! pidof fuse-vpe >/dev/null'
check "unload: vpe_compat" rmmod vpe_compat
check "unload: vpe_legacy" rmmod vpe_legacy
check "unload: vpe_rproc" rmmod vpe_rproc
check "reload" up
ktest "reloaded" ltq_vmmc_test mode=sequence expect_mem=0x200000 \
	expect_a3="$A3"
rmmod ltq_vmmc_test
no_oops "the reload"
tap_end
