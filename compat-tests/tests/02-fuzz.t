#!/bin/sh
# 02-fuzz: 30 seconds of libFuzzer on each fuzz target, side by side, from
# the seeds (fuse-vpe/tests/fuzz-*.c; the long runs are `make fuzz`,
# docs/testing.md):
#
# - fwimage: fwimage_convert() on arbitrary bytes and options; a success
#   must pass remoteproc's checks, a failure be ENOEXEC, ENOMEM or EINVAL
#   with its message;
# - rtlx: the channel engine on hostile remote memory, with oracles for
#   results, bytes and what Linux may store;
# - kspd: KSPD's requests from a hostile firmware: the decoder's framing,
#   replies within the contract, no file ever outside its directory.
#
# Any crash, sanitizer report or broken contract fails, with the input
# kept under the build directory. A fresh corpus each time, so the run
# does not depend on earlier ones.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
: "${VPE_BUILD:=$here/../build}"
src=$(cd "$here/../fuse-vpe" && pwd)
SECS=${VPE_FUZZ_SECONDS:-30}
TARGETS="fwimage rtlx kspd"
fz=$VPE_BUILD/fuse-vpe/fuzz

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# libFuzzer comes with Debian's clang as libclang-rt-14-dev
why=
if ! command -v clang-14 >/dev/null 2>&1; then
	why="no clang-14 (scripts/deps.sh installs it)"
elif [ ! -f "$(clang-14 -print-file-name=libclang_rt.fuzzer-x86_64.a)" ] &&
	[ -z "$(find /usr/lib/llvm-14 -name 'libclang_rt.fuzzer*.a' 2>/dev/null)" ]; then
	why="no libFuzzer (libclang-rt-14-dev; scripts/deps.sh installs it)"
fi
if [ -n "$why" ]; then
	for t in $TARGETS; do
		skip "fuzz-$t: $SECS s from the seeds" "$why"
	done
	tap_end
	exit 0
fi

if make -s -C "$src" O="$VPE_BUILD/fuse-vpe" FW="$VPE_BUILD/firmware" \
	fuzz-build >"$work/build.log" 2>&1; then
	pass "the fuzz targets and their seeds build (clang-14, libFuzzer, ASan, UBSan)"
else
	fail "the fuzz targets and their seeds build" "$(cat "$work/build.log")"
	tap_end
	exit 1
fi
nfw=$(find "$fz/seeds/fwimage" -name '*.elf*' | wc -l)
[ "$nfw" -gt 0 ] ||
	echo "# no firmware fixtures in $VPE_BUILD/firmware: fwimage starts from the synthetic images only"

# the targets side by side: $SECS s of each, in $SECS s of the suite
rm -rf "$fz/smoke"
for t in $TARGETS; do
	{ sh "$src/tests/fuzz-run.sh" -t "$SECS" -s smoke "$fz" "$t" \
		>"$work/$t.out" 2>&1; echo $? >"$work/$t.status"; } &
done
wait
for t in $TARGETS; do
	st=$(cat "$work/$t.status")
	line=$(grep "^fuzz-$t: " "$work/$t.out")
	execs=$(echo "$line" | sed -n 's/^fuzz-[a-z]*: \([0-9]*\) executions.*/\1/p')
	# a run that could not get going proves nothing
	if [ "$st" -eq 0 ] && [ "${execs:-0}" -ge 10000 ]; then
		pass "${line#fuzz-}"
	else
		fail "fuzz-$t: $SECS s from the seeds without a crash" \
			"$(cat "$work/$t.out")
crash inputs: $fz/smoke/crashes/$t/"
	fi
done

tap_end
