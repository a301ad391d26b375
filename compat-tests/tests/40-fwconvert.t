#!/bin/sh
# 40-fwconvert: the legacy-image converter (vpe-fwconvert, fwimage).
#
# - fwimage's unit tests (exact relocation results, every truncation);
# - every row of badimg/cases.txt: the errno, the legacy kernel-log line,
#   the precise line, and nothing left behind;
# - the firmware fixtures (or, until they exist, minifw): each converts to
#   an image remoteproc's ELF loader accepts, entry = __start, with its
#   symbols; each ET_REL is relocated exactly as GNU ld relocates it at the
#   same addresses, and equals its ET_EXEC where both have one layout;
# - the command line: --info, --load-addr, --endian, --max-size, atomic
#   output, a full file system;
# - ASan/UBSan: every image above, and a fixed-seed random-mutation run.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
: "${VPE_BUILD:=$here/../build}"
src=$(cd "$here/.." && pwd)
BIN=$VPE_BUILD/fuse-vpe
CONV=$BIN/vpe-fwconvert
CHECK=$BIN/tests/rproc-check
BADIMG=$VPE_BUILD/badimg/badimg
CASES=$here/badimg/cases.txt
FW=$VPE_BUILD/firmware
FUZZ_SEED=20240611
FUZZ_COUNT=2000

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- build what is missing ------------------------------------------------
build() {
	make -s -C "$1" O="$2" ${3:+"$3"} >"$work/build.log" 2>&1
}

if [ ! -x "$CONV" ] || [ ! -x "$CHECK" ]; then
	build "$src/fuse-vpe" "$BIN" ||
		fail "fuse-vpe builds" "$(cat "$work/build.log")"
fi
if [ ! -x "$BADIMG" ]; then
	build "$here/badimg" "$VPE_BUILD/badimg" ||
		fail "badimg builds" "$(cat "$work/build.log")"
fi
if [ ! -x "$CONV" ] || [ ! -x "$BADIMG" ]; then
	tap_end
	exit 1
fi

# Conversion helpers: "$work/err" holds stderr of the last run.
convert() {
	"$CONV" -v "$@" >"$work/out" 2>"$work/err"
}

errno_text() {
	case $1 in
	ENOEXEC) echo "Exec format error" ;;
	ENOMEM) echo "Cannot allocate memory" ;;
	EINVAL) echo "Invalid argument" ;;
	esac
}

order_of() {
	case $(od -An -tx1 -j5 -N1 "$1" | tr -d ' ') in
	02) echo big ;;
	*) echo little ;;
	esac
}

have() {
	command -v "$1" >/dev/null 2>&1
}

# --- unit tests -----------------------------------------------------------
check "fwimage unit tests: relocation results, truncations, options" \
	"$BIN/tests/fwimage-test"

# --- the table of malformed images ----------------------------------------
mkdir "$work/img" "$work/out.d"
"$BADIMG" "$work/img" || fail "badimg writes its images"
grep -v '^#' "$CASES" | grep -v '^$' >"$work/cases"
cut -d'|' -f1 "$work/cases" | sort >"$work/listed"
"$BADIMG" --list | sort >"$work/made"
if cmp -s "$work/listed" "$work/made"; then
	pass "cases.txt and badimg know the same $(wc -l <"$work/made") images"
else
	fail "cases.txt and badimg know the same images" \
		"$(comm -3 "$work/listed" "$work/made")"
fi

# one_case NAME ERRNO LEGACY PRECISE: prints why it failed, if it did
one_case() {
	out=$work/out.d/$1.rproc
	convert "$work/img/$1.img" "$out"
	st=$?
	if [ "$2" = OK ]; then
		[ "$st" -eq 0 ] || echo "exit status $st, wanted 0"
		[ ! -f "$out" ] || "$CHECK" "$out" >"$work/check" ||
			echo "remoteproc would refuse it: $(cat "$work/check")"
	else
		[ "$st" -eq 1 ] || echo "exit status $st, wanted 1"
		grep -qF "$(errno_text "$2")" "$work/err" ||
			echo "no '$(errno_text "$2")'"
		[ -z "$(ls -A "$work/out.d")" ] ||
			echo "left behind: $(ls -A "$work/out.d")"
	fi
	[ "$3" = - ] || grep -qF -- "$3" "$work/err" ||
		echo "no legacy line with: $3"
	[ "$4" = - ] || grep -qF -- "$4" "$work/err" ||
		echo "no line with: $4"
	rm -f "$work"/out.d/* "$work"/out.d/.??*
}

while IFS='|' read -r name errno legacy precise; do
	why=$(one_case "$name" "$errno" "$legacy" "$precise")
	if [ "$errno" = OK ]; then
		what="$name loads; remoteproc accepts the output"
	else
		what="$name: $errno, legacy and precise lines, no output"
	fi
	if [ -z "$why" ]; then
		pass "$what"
	else
		fail "$what" "$why
$(cat "$work/err")"
	fi
done <"$work/cases"

# --- the fixtures ---------------------------------------------------------
fixtures=$(ls "$FW"/*.o "$FW"/*.elf 2>/dev/null)
if [ -z "$fixtures" ]; then
	fixtures=$(ls "$VPE_BUILD"/badimg/minifw-*.o \
		"$VPE_BUILD"/badimg/minifw-*.elf 2>/dev/null)
	[ -z "$fixtures" ] ||
		echo "# no firmware fixtures in $FW: using minifw"
fi
[ -n "$fixtures" ] ||
	skip "fixtures convert" "no fixtures and no MIPS cross compiler for minifw"

symbol() {	# symbol ELF NAME: its value, as 8 hex digits
	readelf -sW "$1" | awk -v n="$2" '$8 == n { v = $2 } END { print v }'
}

# check_fixture FILE: prints what is wrong with its conversion
check_fixture() {
	f=$1
	out=$work/fx/$(basename "$f").rproc
	convert "$f" "$out" || { echo "conversion failed"; cat "$work/err"; return; }
	"$CHECK" --endian "$(order_of "$f")" "$out" >"$work/check" ||
		echo "remoteproc would refuse it: $(cat "$work/check")"
	! grep -q "outside the carveout" "$work/check" ||
		echo "entry outside the carveout: $(cat "$work/check")"
	have readelf || return
	readelf -hW "$out" | grep -q 'Type: *EXEC' || echo "not ET_EXEC"
	entry=$(readelf -hW "$out" | sed -n 's/.*Entry point address: *0x//p')
	start=$(symbol "$out" __start)
	[ -n "$start" ] && [ "$((0x$entry))" -eq "$((0x$start))" ] ||
		echo "entry 0x$entry is not __start (0x$start)"
	readelf -SW "$out" | grep -q '\.resource_table' ||
		echo "no .resource_table section"
	[ -n "$(symbol "$out" fw_report)" ] || echo "no fw_report symbol"
	case $(basename "$f") in
	nosym-*)
		[ -z "$(symbol "$out" vpe_shared)" ] ||
			echo "nosym has a vpe_shared symbol"
		grep -q "Unable to use AMVP" "$work/err" ||
			echo "no legacy vpe_shared warning"
		;;
	*)
		[ -n "$(symbol "$out" vpe_shared)" ] || echo "no vpe_shared symbol"
		;;
	esac
}

mkdir "$work/fx"
for f in $fixtures; do
	why=$(check_fixture "$f")
	what="$(basename "$f") converts: remoteproc accepts it, entry = __start, symbols kept"
	if [ -z "$why" ]; then
		pass "$what"
	else
		fail "$what" "$why"
	fi
done

# sections ELF: "name address size" of its loaded PROGBITS sections
sections() {
	readelf -SW "$1" | awk '
		/^ *\[ *[0-9]+\]/ {
			sub(/^ *\[ *[0-9]+\] */, "")
			if ($2 == "PROGBITS" && $3 ~ /^8/) print $1, $3, $5
		}'
}

# same_sections OURS REFERENCE: the sections of OURS whose loaded bytes
# differ in REFERENCE
same_sections() {
	sections "$1" >"$work/sections"
	[ -s "$work/sections" ] || echo "no sections"
	while read -r sname addr size; do
		"$CHECK" --peek "0x$addr" "0x$size" "$1" >"$work/a.bin" &&
			"$CHECK" --peek "0x$addr" "0x$size" "$2" >"$work/b.bin" &&
			cmp -s "$work/a.bin" "$work/b.bin" || echo "$sname differs"
	done <"$work/sections"
}

# relink OBJ OURS: GNU ld puts every section of OBJ where fwimage put it
relink() {
	ld=mipsel-linux-gnu-ld
	[ "$(order_of "$1")" = little ] || ld=mips-linux-gnu-ld
	have "$ld" || { echo "SKIP no $ld"; return; }
	args=$(readelf -SW "$2" | awk '
		/^ *\[ *[0-9]+\]/ {
			sub(/^ *\[ *[0-9]+\] */, "")
			if ($3 ~ /^8/) printf " --section-start=%s=0x%s", $1, $3
		}')
	echo 'ENTRY(__start)' >"$work/empty.ld"
	# shellcheck disable=SC2086
	"$ld" -static -nostdlib -T "$work/empty.ld" $args -o "$work/ref.elf" \
		"$1" >"$work/ld.log" 2>&1 || { cat "$work/ld.log"; return; }
	same_sections "$2" "$work/ref.elf"
}

for f in $fixtures; do
	case $f in *.o) ;; *) continue ;; esac
	b=$(basename "$f")
	what="$b: every section relocated as GNU ld relocates it at the same addresses"
	have readelf || { skip "$what" "no readelf"; continue; }
	why=$(relink "$f" "$work/fx/$b.rproc")
	case $why in
	"SKIP "*) skip "$what" "${why#SKIP }" ;;
	"") pass "$what" ;;
	*) fail "$what" "$why" ;;
	esac

	exe=${f%.o}.elf
	[ -f "$exe" ] || continue
	what="$b and $(basename "$exe") load the same bytes"
	sections "$work/fx/$b.rproc" | sort >"$work/l1"
	sections "$work/fx/$(basename "$exe").rproc" | sort >"$work/l2"
	if ! cmp -s "$work/l1" "$work/l2"; then
		echo "# $(basename "$exe") has a layout of its own: not compared"
		continue
	fi
	why=$(same_sections "$work/fx/$b.rproc" "$work/fx/$(basename "$exe").rproc")
	[ -z "$why" ] && pass "$what" || fail "$what" "$why"
done

# --- the command line -----------------------------------------------------
# a small object and its executable, whichever fixtures there are
obj=$(echo "$fixtures" | grep -E '(echo-el-296|minifw-el)\.o$' | head -n 1)
exe=$(echo "$fixtures" | grep -E '(echo-eb-296|minifw-eb)\.elf$' | head -n 1)
good=$work/img/good-rel-el.img
[ -n "$obj" ] || obj=$good
[ -n "$exe" ] || exe=$work/img/good-exec-eb.img

check "--help" sh -c "'$CONV' --help | grep -q '^Usage: vpe-fwconvert'"
check "--version" sh -c "'$CONV' --version | grep -q '^vpe-fwconvert (vpe-compat) [0-9]'"
"$CONV" >/dev/null 2>&1
[ $? -eq 2 ] && pass "no arguments: usage error, status 2" ||
	fail "no arguments: usage error, status 2"
"$CONV" --load-addr zz "$obj" "$work/x" >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e "$work/x" ] && pass "--load-addr zz: usage error" ||
	fail "--load-addr zz: usage error"

info_ok() {	# FILE: prints what is wrong with --info FILE
	"$CONV" --info "$1" >"$work/info" 2>"$work/err" || {
		echo "failed"
		cat "$work/err"
		return
	}
	"$CONV" "$1" "$work/info.rproc" 2>/dev/null
	start=$(symbol "$work/info.rproc" __start)
	shared=$(symbol "$work/info.rproc" vpe_shared)
	type=ET_REL
	case $1 in *.elf | *exec*) type=ET_EXEC ;; esac
	for want in "type: $type" "byte-order: $(order_of "$1")-endian" \
		"__start: 0x$start" "entry: 0x$start" "vpe_shared: 0x$shared physical" \
		"carveout: da 0x" "resource-table: physical 0x" "segment: physical 0x"; do
		grep -q "^$want" "$work/info" || echo "no '$want'"
	done
	[ ! -e "$work/info.out" ] || echo "--info wrote a file"
}
if have readelf; then
	for f in "$obj" "$exe"; do
		why=$(info_ok "$f")
		[ -z "$why" ] && pass "--info $(basename "$f")" ||
			fail "--info $(basename "$f")" "$why
$(cat "$work/info")"
	done
else
	skip "--info" "no readelf"
fi

"$CONV" --info "$work/img/good-no-vpe-shared.img" >"$work/info" 2>/dev/null
grep -q '^vpe_shared: absent' "$work/info" &&
	pass "--info without vpe_shared says absent" ||
	fail "--info without vpe_shared says absent" "$(cat "$work/info")"

# --load-addr moves the object and its carveout
"$CONV" --info --load-addr 0x81000000 "$good" >"$work/info" 2>"$work/err"
grep -q '^__start: 0x81000000' "$work/info" &&
	grep -q '^carveout: da 0x01000000 pa 0x01000000' "$work/info" &&
	pass "--load-addr 0x81000000 places the object and the carveout there" ||
	fail "--load-addr 0x81000000" "$(cat "$work/info" "$work/err")"
"$CONV" --load-addr 0x81000100 "$good" "$work/x" 2>"$work/err"
[ $? -eq 2 ] && grep -q "not 4 KiB aligned" "$work/err" && [ ! -e "$work/x" ] &&
	pass "--load-addr not 4 KiB aligned: a usage error, said" ||
	fail "--load-addr not 4 KiB aligned: a usage error, said" "$(cat "$work/err")"
"$CONV" --load-addr 0x1000 "$good" "$work/x" 2>"$work/err"
[ $? -eq 2 ] && grep -q "not in KSEG0" "$work/err" && [ ! -e "$work/x" ] &&
	pass "--load-addr outside KSEG0: a usage error, said" ||
	fail "--load-addr outside KSEG0: a usage error, said" "$(cat "$work/err")"
for bad in -1 0 0x100000000 12x; do
	"$CONV" --max-size "$bad" "$good" "$work/x" 2>"$work/err"
	[ $? -eq 2 ] && grep -q -- "bad --max-size '$bad'" "$work/err" &&
		pass "--max-size $bad: a usage error, said" ||
		fail "--max-size $bad: a usage error, said" "$(cat "$work/err")"
done

# --endian: the remote's byte order
"$CONV" --endian big "$work/img/good-rel-el.img" "$work/x" 2>"$work/err"
[ $? -eq 1 ] && grep -q "wrong arch" "$work/err" &&
	grep -q "the image is little-endian, the remote is big-endian" "$work/err" &&
	pass "--endian big refuses a little-endian image" ||
	fail "--endian big refuses a little-endian image" "$(cat "$work/err")"
check "--endian big takes a big-endian image" \
	"$CONV" --endian big "$work/img/good-rel-eb.img" "$work/x.rproc"

# --max-size: beyond it, the legacy "too big" and ENOMEM
"$CONV" --max-size 1K "$obj" "$work/x" 2>"$work/err"
[ $? -eq 1 ] && grep -q "elf size too big" "$work/err" &&
	grep -q "Cannot allocate memory" "$work/err" &&
	pass "--max-size 1K: an image over it gives ENOMEM" ||
	fail "--max-size 1K: an image over it gives ENOMEM" "$(cat "$work/err")"

# Atomic output: a failed conversion leaves the old OUT, a good one
# replaces it, neither leaves a temporary file.
mkdir "$work/atomic"
echo old >"$work/atomic/fw.rproc"
"$CONV" "$work/img/hi16-no-lo16.img" "$work/atomic/fw.rproc" 2>/dev/null
[ "$(cat "$work/atomic/fw.rproc")" = old ] &&
	[ "$(ls -A "$work/atomic")" = fw.rproc ] &&
	pass "a failed conversion leaves OUT as it was" ||
	fail "a failed conversion leaves OUT as it was" "$(ls -A "$work/atomic")"
"$CONV" "$obj" "$work/atomic/fw.rproc" 2>/dev/null &&
	"$CHECK" "$work/atomic/fw.rproc" >/dev/null &&
	[ "$(ls -A "$work/atomic")" = fw.rproc ] &&
	pass "a good conversion replaces OUT, no temporary file left" ||
	fail "a good conversion replaces OUT" "$(ls -A "$work/atomic")"
"$CONV" "$obj" "$work/no/such/dir/fw.rproc" 2>"$work/err"
[ $? -eq 1 ] && grep -q "No such file or directory" "$work/err" &&
	pass "OUT in a missing directory: a clean error" ||
	fail "OUT in a missing directory: a clean error" "$(cat "$work/err")"
"$CONV" "$work/no-such.o" "$work/x" 2>"$work/err"
[ $? -eq 1 ] && grep -q "no-such.o: No such file or directory" "$work/err" &&
	pass "IN missing: a clean error" ||
	fail "IN missing: a clean error" "$(cat "$work/err")"

# A full file system, as the file-size limit does it (SIGXFSZ ignored:
# write() fails with EFBIG, as it fails with ENOSPC on a full disk).
mkdir "$work/full"
(
	trap '' XFSZ
	ulimit -f 4
	exec "$CONV" "$obj" "$work/full/fw.rproc"
) 2>"$work/err"
st=$?
size=$(wc -c <"$obj")
if [ "$size" -lt 8192 ]; then
	skip "a full file system" "$(basename "$obj") converts to less than the limit"
elif [ "$st" -eq 1 ] && grep -q "File too large" "$work/err" &&
	[ -z "$(ls -A "$work/full")" ]; then
	pass "a full file system: a clean error, nothing left behind"
else
	fail "a full file system: a clean error, nothing left behind" \
		"status $st: $(cat "$work/err"); left: $(ls -A "$work/full")"
fi

# --- ASan and UBSan -------------------------------------------------------
asan=$work/asan
if build "$src/fuse-vpe" "$asan" SANITIZE=1; then
	pass "fuse-vpe builds with ASan and UBSan"
else
	fail "fuse-vpe builds with ASan and UBSan" "$(cat "$work/build.log")"
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1

if [ -x "$asan/vpe-fwconvert" ]; then
	check "fwimage unit tests under ASan/UBSan" "$asan/tests/fwimage-test"
	n=0
	reports=
	for f in "$work"/img/*.img $fixtures; do
		n=$((n + 1))
		"$asan/vpe-fwconvert" "$f" "$work/asan.rproc" >/dev/null 2>"$work/err"
		st=$?
		if [ "$st" -gt 1 ] || grep -q 'Sanitizer\|runtime error' "$work/err"; then
			reports="$reports
$(basename "$f") (status $st): $(head -n 20 "$work/err")"
		fi
		rm -f "$work/asan.rproc"
	done
	[ -z "$reports" ] &&
		pass "$n good and bad images under ASan/UBSan: no report" ||
		fail "$n good and bad images under ASan/UBSan: no report" "$reports"

	small=
	for f in $fixtures; do
		[ "$(wc -c <"$f")" -le 1048576 ] && small="$small $f"
	done
	mkdir "$work/fuzz"
	# shellcheck disable=SC2086
	"$asan/tests/fwimage-fuzz" --seed "$FUZZ_SEED" --count "$FUZZ_COUNT" \
		--save "$work/fuzz" $small >"$work/fuzz.log" 2>&1
	st=$?
	if [ "$st" -eq 0 ] && ! grep -q 'Sanitizer\|runtime error' "$work/fuzz.log"; then
		pass "$FUZZ_COUNT mutated images (seed $FUZZ_SEED) under ASan/UBSan: converted or ENOEXEC/ENOMEM"
	else
		fail "$FUZZ_COUNT mutated images (seed $FUZZ_SEED) under ASan/UBSan" \
			"$(head -n 60 "$work/fuzz.log")"
	fi
	tap_diag <"$work/fuzz.log"
else
	skip "conversions under ASan/UBSan" "the sanitizer build failed"
fi

tap_end
