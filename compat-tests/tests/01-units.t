#!/bin/sh
# 01-units: the channel modules' unit tests, first because they take
# seconds and need neither root, QEMU nor FUSE.
#
# window-test, rtlx-test, chan-test and kspd-test (fuse-vpe/tests/) run
# against a fake remote in a memfd (fakeremote.h): address translation,
# both byte orders and rtlx_info layouts, ring wraps, every hostile field,
# program stops and starts, chan's waits, signals and teardown through a
# fake front end, and KSPD's answers to a hostile firmware. Each runs twice: built as usual, and with ASan and UBSan
# (SANITIZE=1, in its own build directory). Their TAP lines are re-emitted
# here under the program's name; a program that crashes, reports a
# sanitizer error or stops before its plan fails too.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
: "${VPE_BUILD:=$here/../build}"
src=$(cd "$here/../fuse-vpe" && pwd)
PROGS="window-test rtlx-test chan-test kspd-test"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# build DIR [SANITIZE=1]: the unit programs into DIR/tests
build() {
	_dir=$1
	shift
	# shellcheck disable=SC2046
	make -s -C "$src" O="$_dir" "$@" \
		$(for p in $PROGS; do echo "$_dir/tests/$p"; done) \
		>"$work/build.log" 2>&1
}

# emit LABEL FILE: the program's TAP lines as ours, "LABEL: " before each
emit() {
	_label=$1
	while IFS= read -r line; do
		case $line in
		"ok "*"# SKIP "*)
			_d=${line#ok }
			_d=${_d#* - }
			skip "$_label: ${_d%% # SKIP *}" "${_d#* # SKIP }"
			;;
		"ok "*)
			_d=${line#ok }
			pass "$_label: ${_d#* - }"
			;;
		"not ok "*)
			_d=${line#not ok }
			fail "$_label: ${_d#* - }"
			;;
		"1.."*) ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$2"
}

# run_prog DIR PROG LABEL: run it, re-emit its lines, then judge the run
run_prog() {
	_out=$work/$(basename "$1")-$2.out
	_err=$work/$(basename "$1")-$2.err
	( cd "$work" && exec "$1/tests/$2" ) >"$_out" 2>"$_err"
	_st=$?
	emit "$3" "$_out"
	_n=$(grep -c '^\(not \)\{0,1\}ok ' "$_out")
	_plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$_out")
	_why=
	[ "$_st" -eq 0 ] || _why="exit status $_st"
	[ "$_plan" = "$_n" ] || _why="$_why; plan '${_plan:-none}' for $_n tests"
	! grep -q 'Sanitizer\|runtime error' "$_err" || _why="$_why; sanitizer report"
	if [ -z "$_why" ] && [ "$_n" -gt 0 ]; then
		pass "$3: ran to its end, $_n tests, no sanitizer report"
	else
		fail "$3: ran to its end" "${_why:-no test}
$(head -n 40 "$_err")"
	fi
}

if build "$VPE_BUILD/fuse-vpe"; then
	for p in $PROGS; do
		run_prog "$VPE_BUILD/fuse-vpe" "$p" "${p%-test}"
	done
else
	fail "the unit tests build" "$(cat "$work/build.log")"
fi

# the same sanitized build directory as 90-asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if build "$VPE_BUILD/asan" SANITIZE=1; then
	for p in $PROGS; do
		run_prog "$VPE_BUILD/asan" "$p" "${p%-test} (ASan/UBSan)"
	done
else
	fail "the unit tests build with SANITIZE=1" "$(cat "$work/build.log")"
fi

tap_end
