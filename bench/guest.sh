# bench/guest.sh VPE_SHARED: in the MIPS guest (with-mips --legacy), the
# legacy in-kernel RTLX and vpe-compat side by side, on the same program in
# the same boot of the same kernel.  Prints "key value" lines for
# bench/fullsys.
#
# The kernel's legacy loader starts /add/fw.elf (the bell program: it rings
# Linux's doorbell, without which the legacy driver's blocking calls never
# wake); fuse-vpe then serves the same program's other channels through
# vpe_compat.ko's window over its memory, with a stand-in for the remoteproc
# instance (the legacy loader owns VPE1 here).  The legacy RTLX holds
# Linux's software interrupt 0, so fuse-vpe polls: its worst case on a
# uniprocessor kernel, its only way on SMP ones.
set -eu
SHARED=$1
RTT_N=${BENCH_GUEST_RTT:-400}
ROUNDS=${BENCH_GUEST_ROUNDS:-3}
B=/add

put() { echo "$1 $2"; }
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

cat "$B/fw.elf" >/dev/vpe1
i=0
until [ "$(rtlxprobe -t 0.2 open-nonblock 1 2>&1)" = OK ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "the program never published" >&2; exit 1; }
	sleep 0.1
done

insmod /vpe/lib/vpe_compat.ko phys_base=0x800000 phys_size=0x800000 \
	dev_base=0x80800000 mt_tc=1
mkdir -p /tmp/rproc /tmp/fw /run/vc
echo vpe1 >/tmp/rproc/name
echo running >/tmp/rproc/state
echo none >/tmp/rproc/firmware
fuse-vpe --rproc /tmp/rproc --fw-dir /tmp/fw --window /dev/vpe_compat0 \
	--vpe-shared "$SHARED" --link-dir none /run/vc

put fullsys.kernel "$(uname -r)"
put fullsys.doorbell.vpe "$(grep -c vpe_compat0 /proc/interrupts || true)"

# round trips, the two paths interleaved: legacy channel 1, vpe-compat 2
r=0
while [ $r -lt "$ROUNDS" ]; do
	rtt -n "$RTT_N" -w 50 -o /tmp/rtt-legacy.txt /dev/rtlx1 >/dev/null
	rtt -n "$RTT_N" -w 50 -o /tmp/rtt-vpe.txt /run/vc/rtlx2 >/dev/null
	r=$((r + 1))
done
for m in legacy vpe; do
	line=$(stats "/tmp/rtt-$m.txt")
	for k in n p50_ns p90_ns p99_ns max_ns; do
		put "fullsys.rtt.$m.${k%_ns}" "$(field "$k" "$line")"
	done
done

# throughput, one channel each, both ways at once
r=1
while [ $r -le "$ROUNDS" ]; do
	line=$(thru -c 3 -d /dev/rtlx -s 2 -W 0.5 -t 60)
	put "fullsys.thru.legacy.tx.r$r" "$(field tx_Bps "$line")"
	put "fullsys.thru.legacy.rx.r$r" "$(field rx_Bps "$line")"
	line=$(thru -c 4 -d /run/vc/rtlx -s 2 -W 0.5 -t 60)
	put "fullsys.thru.vpe.tx.r$r" "$(field tx_Bps "$line")"
	put "fullsys.thru.vpe.rx.r$r" "$(field rx_Bps "$line")"
	r=$((r + 1))
done
