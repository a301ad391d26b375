#!/bin/sh
# handconvert.sh IN OUT: hand-convert a legacy ET_EXEC fixture (linked and
# loaded at KSEG0 addresses, entry __start, no resource table) into an image
# the remoteproc ELF loader accepts, with binutils and printf only:
#   - every section's LMA moved down by 0x80000000, so p_paddr is physical;
#   - the entry point set to __start;
#   - a .resource_table section (version 1, one RSC_CARVEOUT "firmware"
#     with da = pa = the physical start of the loaded span and len covering
#     it and the table) in the image's byte order. The section is not
#     loaded; its address is just past the loaded span, inside the
#     carveout, so the kernel copies the table there before the start.
# A stand-in for the real converter (vpe-fwconvert), for the tests.
# Cross binutils: $CROSS_COMPILE, else mipsel-linux-gnu- / mips-linux-gnu-.
set -eu

die() {
	echo "handconvert: $*" >&2
	exit 1
}

[ $# -eq 2 ] || die "usage: handconvert.sh IN.elf OUT.elf"
in=$1
out=$2
[ -f "$in" ] || die "$in: no such file"

export LC_ALL=C
readelf=${CROSS_COMPILE:-mipsel-linux-gnu-}readelf
header=$("$readelf" -h "$in") || die "$in: not an ELF file"
case "$header" in
*"little endian"*) endian=little; cross=${CROSS_COMPILE:-mipsel-linux-gnu-} ;;
*"big endian"*) endian=big; cross=${CROSS_COMPILE:-mips-linux-gnu-} ;;
*) die "$in: unknown byte order" ;;
esac
case "$header" in
*"EXEC (Executable file)"*) ;;
*) die "$in: not an ET_EXEC image" ;;
esac

# nm prints MIPS addresses sign-extended to 64 bits: keep the low 32.
start=$("${cross}nm" "$in" | awk '$3 == "__start" { print substr($1, length($1) - 7) }')
[ -n "$start" ] || die "$in: no __start symbol"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"${cross}objcopy" --change-section-lma '*-0x80000000' "$in" "$tmp/phys.elf"

# The loaded span: PT_LOAD segments with a memory size, at physical p_paddr.
lo=
hi=0
while read -r type _ vaddr paddr _ memsz _; do
	[ "$type" = LOAD ] || continue
	[ $((memsz)) -ne 0 ] || continue
	[ $((paddr)) -lt $((0x20000000)) ] ||
		die "$in: segment at $vaddr is not in KSEG0 (p_paddr $paddr)"
	[ -n "$lo" ] && [ $((paddr)) -ge "$lo" ] || lo=$((paddr))
	[ $((paddr + memsz)) -le "$hi" ] || hi=$((paddr + memsz))
done <<EOF2
$("$readelf" -lW "$tmp/phys.elf")
EOF2
[ -n "$lo" ] || die "$in: no loadable segment"

# struct resource_table + one offset + fw_rsc_hdr + fw_rsc_carveout.
table_size=$((16 + 4 + 4 + 52))
table=$(((hi + 15) & ~15))
len=$(((table + table_size - lo + 4095) & ~4095))

# u32 VALUE...: each value as 4 bytes in the image's byte order.
u32() {
	for v in "$@"; do
		b0=$((v & 255)) b1=$((v >> 8 & 255))
		b2=$((v >> 16 & 255)) b3=$((v >> 24 & 255))
		if [ "$endian" = little ]; then
			set -- "$b0" "$b1" "$b2" "$b3"
		else
			set -- "$b3" "$b2" "$b1" "$b0"
		fi
		# shellcheck disable=SC2059 # the format is the byte string
		printf "$(printf '\\%03o' "$@")"
	done
}

{
	u32 1 1 0 0 20        # ver, num, reserved[2], offset[0]
	u32 0                 # RSC_CARVEOUT
	u32 "$lo" "$lo" "$len" 0 0   # da, pa, len, flags, reserved
	printf 'firmware'
	u32 0 0 0 0 0 0       # name[32]: "firmware" and 24 NULs
} >"$tmp/rsc.bin"
[ "$(wc -c <"$tmp/rsc.bin")" -eq "$table_size" ] || die "bad table size"

"${cross}objcopy" --set-start "0x$start" \
	--add-section .resource_table="$tmp/rsc.bin" \
	--set-section-flags .resource_table=contents,readonly \
	--change-section-address .resource_table="$table" \
	"$tmp/phys.elf" "$tmp/table.elf"
# objcopy ignores the alignment of a section it adds in the same run.
"${cross}objcopy" --set-section-alignment .resource_table=4 \
	"$tmp/table.elf" "$out"
