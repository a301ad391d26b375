#!/bin/sh
# Run the libFuzzer targets one after another (make fuzz, compat-tests
# 02-fuzz.t) and sum each up in one line.
#
#   fuzz-run.sh [-r RUNS] [-t SECONDS] [-c] [-s SUBDIR] FUZZDIR TARGET...
#
# FUZZDIR is what `make fuzz-build` made ($(O)/fuzz): fuzz-TARGET, cov/,
# seeds/TARGET/. Each target runs, niced, on one core until RUNS
# executions (0: no limit) or SECONDS (0: no limit), from the corpus in
# FUZZDIR/SUBDIR/corpus/TARGET (default SUBDIR: the persistent "run",
# grown from one run to the next) and the seeds; crash inputs go to
# FUZZDIR/SUBDIR/crashes/TARGET/, the log to FUZZDIR/SUBDIR/TARGET.log.
# With -c, the final corpus is replayed through cov/fuzz-TARGET for line
# coverage of the code under test (llvm-profdata-14, llvm-cov-14).
#
# Prints, per target:
#   fuzz-TARGET: N executions in S s (E exec/s), cov C, ft F, corpus K, crashes 0
# and, with -c, "line coverage: FILE P% ..." lines. Exits non-zero if
# any target crashed or did not run.
set -u

runs=0
secs=0
cov=
sub=run
while getopts r:t:cs: opt; do
	case $opt in
	r) runs=$OPTARG ;;
	t) secs=$OPTARG ;;
	c) cov=1 ;;
	s) sub=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || { echo "usage: fuzz-run.sh [-r RUNS] [-t S] [-c] [-s SUBDIR] FUZZDIR TARGET..." >&2; exit 2; }
fz=$(cd "$1" && pwd) || exit 2
shift
src=$(cd "$(dirname "$0")/.." && pwd)
status=0

# libFuzzer's largest input, per target
max_len() {
	case $1 in
	fwimage) echo 32768 ;;	# the fixtures are 12-18 KiB
	*) echo 8192 ;;		# seeds: a 4 KiB window and its operations
	esac
}

# stat NAME LOG: the value of libFuzzer's final "stat::NAME:"
stat() {
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

# the last "cov: C ft: F corp: K/..." status line's numbers
status_field() {
	grep -o "$1: [0-9]*" "$2" | tail -n 1 | sed 's/.* //'
}

line_coverage() {	# TARGET
	c=$fz/$sub/cov-$1
	rm -rf "$c"
	mkdir -p "$c"
	LLVM_PROFILE_FILE="$c/%p.profraw" "$fz/cov/fuzz-$1" -runs=0 \
		-max_len="$(max_len "$1")" "$fz/$sub/corpus/$1" \
		"$fz/seeds/$1" >"$c/replay.log" 2>&1 || {
		echo "# $1: the coverage replay failed"
		return
	}
	if ! llvm-profdata-14 merge -sparse "$c"/*.profraw -o "$c/all.profdata" \
		>"$c/report.txt" 2>&1; then
		echo "# $1: llvm-profdata failed: $(head -n 3 "$c/report.txt")"
		return
	fi
	# shellcheck disable=SC2086 # $2: the file names
	if ! (cd "$src" && llvm-cov-14 report "$fz/cov/fuzz-$1" \
		-instr-profile="$c/all.profdata" $2) >"$c/report.txt" 2>&1; then
		echo "# $1: llvm-cov failed: $(head -n 3 "$c/report.txt")"
		return
	fi
	# Filename Regions Missed Cover Functions Missed Executed Lines Missed Cover ...
	awk '$1 ~ /\.c$/ || $1 == "TOTAL" {
		printf "line coverage: %s %s (%d of %d lines)\n", $1, $10, $8 - $9, $8
	}' "$c/report.txt"
}

for t in "$@"; do
	bin=$fz/fuzz-$t
	corpus=$fz/$sub/corpus/$t
	crashes=$fz/$sub/crashes/$t
	log=$fz/$sub/$t.log
	mkdir -p "$corpus" "$crashes"
	if [ ! -x "$bin" ] || [ ! -d "$fz/seeds/$t" ]; then
		echo "fuzz-$t: not built (make fuzz-build)"
		status=1
		continue
	fi
	start=$(date +%s)
	# one process, one core; -rss_limit_mb: fwimage may allocate up to
	# its 64 MiB image limit per input, under ASan
	[ "$runs" -gt 0 ] || runs=-1	# libFuzzer's "no limit"
	nice -n 10 "$bin" -runs="$runs" -max_total_time="$secs" \
		-max_len="$(max_len "$t")" -print_final_stats=1 \
		-rss_limit_mb=4096 -artifact_prefix="$crashes/" \
		"$corpus" "$fz/seeds/$t" >"$log" 2>&1
	st=$?
	took=$(($(date +%s) - start))
	execs=$(stat number_of_executed_units "$log")
	rate=$(stat average_exec_per_sec "$log")
	ncrash=$(find "$crashes" -type f | wc -l)
	echo "fuzz-$t: ${execs:-0} executions in $took s (${rate:-0} exec/s)," \
		"cov $(status_field cov "$log"), ft $(status_field ft "$log")," \
		"corpus $(find "$corpus" -type f | wc -l), crashes $ncrash"
	if [ "$st" -ne 0 ] || [ "$ncrash" -ne 0 ] || [ -z "$execs" ]; then
		echo "# fuzz-$t: status $st; the end of $log:"
		tail -n 40 "$log" | sed 's/^/# /'
		status=1
	fi
	if [ -n "$cov" ]; then
		case $t in
		# fwimage_inspect() reads outputs back: not the target's code
		fwimage) files=$(cd "$src" && for f in fwimage*.c; do
				[ "$f" = fwimage-inspect.c ] || echo "$f"; done) ;;
		rtlx) files="rtlx.c window.c" ;;
		esac
		line_coverage "$t" "$files"
	fi
done
exit $status
