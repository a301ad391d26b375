# In the guest (with-mips --no-setup): vpe_rproc.ko and vpe_compat.ko on
# their own, through sysfs, as a remoteproc user would drive them.  TAP.
#
#   sh driver.sh LAYOUT
#
# /add holds the images (the host test makes the ones that are not
# fixtures): echo.elf, echo.o, echo-eb.elf, bell.elf, crash.elf,
# large-16m.elf, conv.elf (vpe-fwconvert of echo.o), moved.elf (echo.elf
# linked 16 MiB higher), stripped.elf (no symbols), notelf.txt.
. /vpe/lib/tap.sh
set -u
# shellcheck disable=SC2086
set -- $WITH_MIPS_REGION
BASE=$1 SIZE=$2
R=/sys/class/remoteproc/remoteproc0
LIB=/vpe/lib
cp /add/*.elf /add/*.o /add/*.txt /lib/firmware/

rproc_ins() {
	insmod "$LIB/vpe_rproc.ko" "$@" >/dev/null 2>&1
}

# logged TEXT: the kernel log has TEXT since the last mark
MARK=0
mark() { MARK=$(dmesg | wc -l); }
logged() { dmesg | tail -n +$((MARK + 1)) | grep -q -F -- "$1"; }
everlogged() { dmesg | grep -q -F -- "$1"; }

# The echo program's banner goes to the UART that is also the kernel's
# console: keep kernel lines (the driver's "started TC 1" comes at that very
# moment) off it; the checks read them from dmesg.
dmesg -n 1

# sysw ATTR VALUE: write VALUE to remoteproc0's ATTR; prints ok or the errno
sysw() {
	printf 'open a %s/%s wronly\nwrite a "%s"\nclose a\n' "$R" "$1" "$2" |
		rtlxscript | sed -n 's/^write .* => \([0-9]*\)$/ok/p; s/^write .* => \(E[A-Z0-9]*\)$/\1/p'
}


# boot IMAGE: firmware = IMAGE, then start; prints ok or the errno
boot() {
	_r=$(sysw firmware "$1")
	[ "$_r" = ok ] || { echo "firmware: $_r"; return; }
	sysw state start
}

state() { cat "$R/state"; }

# wait_state STATE: up to 5 s
wait_state() {
	wait_until 5 sh -c "[ \"\$(cat $R/state)\" = $1 ]"
}

# ---- where the memory is -----------------------------------------------------
# bad_region WHAT PARAMETERS LOGLINE
bad_region() {
	mark
	# shellcheck disable=SC2086
	check_fails "$1 is refused" rproc_ins $2
	check "... saying so" logged "$3"
}
bad_region "a region Linux uses" "phys_base=0x2000000 phys_size=0x100000" \
	"is memory Linux uses: keep the region from Linux"
bad_region "a region over the kernel's image" "phys_base=0x100000 phys_size=0x100000" \
	"(see /proc/iomem)"
bad_region "a region that is not page aligned" "phys_base=0x800800 phys_size=0x1000" \
	"page aligned, inside the low 512 MiB"
bad_region "a region above 4 GiB" "phys_base=0x100800000 phys_size=0x100000" \
	"page aligned, inside the low 512 MiB"
bad_region "a region past 512 MiB" "phys_base=0x1ff00000 phys_size=0x200000" \
	"page aligned, inside the low 512 MiB"
bad_region "ntcs past the TCs Linux does not use" \
	"phys_base=$BASE phys_size=$SIZE ntcs=9" "ntcs=9: more than the 1 TC(s) Linux does not use"
check "without a region the module loads and makes no instance" \
	sh -c "insmod $LIB/vpe_rproc.ko && [ ! -e $R ] && rmmod vpe_rproc"

mark
check "the kept memory: remoteproc0 appears" rproc_ins phys_base="$BASE" phys_size="$SIZE" a3="$WITH_MIPS_A3"
is "its name is vpe1" vpe1 cat $R/name
is "it is offline" offline state
is "recovery is disabled (a crashed program stays crashed, as before)" disabled cat $R/recovery
check "the region is claimed in /proc/iomem" grep -q "00800000-00ffffff : vpe-rproc" /proc/iomem
# this kernel has the legacy loader: /sys/class/vpe is its own
check "the legacy loader's /sys/class/vpe is left to it, and the log says so" \
	logged "/sys/class/vpe belongs to this kernel's legacy VPE loader"

# ---- images ------------------------------------------------------------------
mark
is "a legacy ET_EXEC (no resource table) starts through sysfs" ok boot echo.elf
is "... and runs" running state
check "... from __start, not e_entry" logged "no resource table (a legacy image): starting at __start 0x80800000"
check "... with the legacy registers" logged "\$a2 1, \$a3 $(printf '0x%x' "$WITH_MIPS_A3")"
is "stop" ok sysw state stop
is "... offline" offline state
is "stop while offline: EINVAL" EINVAL sysw state stop
is "a converted image (resource table, carveout in the region) starts" ok boot conv.elf
is "... and runs" running state
is "start again while running: counted, not a second start (remoteproc 5.19+)" ok sysw state start
is "... one stop leaves it running" ok sysw state stop
is "... still running" running state
is "... the second stop stops it" ok sysw state stop
is "... offline" offline state

mark
is "an image outside the region: ERANGE" "ERANGE" boot moved.elf
check "... saying where" logged "is outside the memory kept for the remote (0x00800000+0x800000)"
mark
is "an image larger than the region: ERANGE" "ERANGE" boot large-16m.elf
check "... saying so" logged "is outside the memory kept for the remote"
mark
is "a relocatable object: ENOEXEC" ENOEXEC boot echo.o
check "... saying how to place it" logged "a relocatable object: place it with vpe-fwconvert"
mark
is "not an ELF file: ENOEXEC" ENOEXEC boot notelf.txt
check "... saying so" logged "not an ELF file"
mark
is "the other byte order: ENOEXEC" ENOEXEC boot echo-eb.elf
check "... saying so" logged "a big-endian image: this kernel is little-endian"
mark
is "no resource table and no __start: ENOEXEC" ENOEXEC boot stripped.elf
check "... saying so" logged "no resource table and no __start symbol"
is "after all that: offline" offline state
is "... and a good image still starts" ok boot echo.elf
is "... stop" ok sysw state stop

# ---- a program that crashes --------------------------------------------------
mark
is "the crash fixture starts" ok boot crash.elf
check "it crashes within 5 s (it halts its TC one second in)" wait_state crashed
check "... the driver says why" logged "the program on VPE 1 stopped itself (TC 1 halted or deactivated)"
is "stop after a crash" ok sysw state stop
is "... offline" offline state
is "it crashes again" ok boot crash.elf
check "... crashed" wait_state crashed
is "recover restarts it (remoteproc's recovery)" ok sysw recovery recover
check "... running again" wait_state running
is "... and it stops" ok sysw state stop

# ---- the window and the doorbells ---------------------------------------------
check "vpe_compat.ko makes /dev/vpe_compat0 over the region" \
	sh -c "insmod $LIB/vpe_compat.ko && [ -c /dev/vpe_compat0 ]"
check "... at the remote's address 0x80800000, kicking TC 1" \
	logged "vpe_compat0: window 0x00800000+0x800000, remote address 0x80800000"
if grep -q vpe_compat0 /proc/interrupts; then
	rings() { awk '/vpe_compat0/ { print $2 }' /proc/interrupts; }
	before=$(rings)
	is "the bell fixture starts" ok boot bell.elf
	check "its doorbell reaches Linux (software interrupt 0)" \
		wait_until 5 sh -c "[ \$(awk '/vpe_compat0/ { print \$2 }' /proc/interrupts) -gt $before ]"
	is "... stop" ok sysw state stop
else
	check "no doorbell from the remote: software interrupt 0 is an IPI here" \
		everlogged "software interrupt 0 is an IPI in this kernel"
fi

# ---- unloading ------------------------------------------------------------------
is "a program runs" ok boot echo.elf
check "vpe_compat unloads" rmmod vpe_compat
check "vpe_rproc unloads with the program running" rmmod vpe_rproc
check "... and takes the region out of /proc/iomem" sh -c '! grep -q vpe-rproc /proc/iomem'
check "loaded again" rproc_ins phys_base="$BASE" phys_size="$SIZE"
is "... the TC was halted: a program starts again" ok boot echo.elf
is "... runs" running state
check "unload and load again, twice" sh -c "
	for i in 1 2; do
		rmmod vpe_rproc && insmod $LIB/vpe_rproc.ko phys_base=$BASE phys_size=$SIZE &&
		insmod $LIB/vpe_compat.ko && rmmod vpe_compat || exit 1
	done"
is "... still offline and usable" ok boot echo.elf
is "... stop" ok sysw state stop
check "the kernel log has no warning, bug or oops" \
	sh -c "! dmesg | grep -E 'WARNING|BUG|Oops|Call Trace|cut here'"
# failures are reported above; the status says the script ran to its end
tap_end || true
