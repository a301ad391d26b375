# TAP helpers for the migration test suite (POSIX sh; source this file).
#
#   check "what is verified" command [args...]   pass if the command exits 0
#   check_fails "what" command [args...]         pass if it exits non-zero
#   is "what" WANT command [args...]             pass if it prints exactly WANT
#   pass "what" / fail "what" [diagnostic]        record a result directly
#   skip "what" "why"                             never counted as a pass
#   wait_until SECONDS command [args...]          poll until true or time out
#   tap_end                                       print the plan, exit status
#
# Diagnostics go to stdout as "# " lines so the runner keeps them in the log.

TAP_N=0
TAP_FAILED=0
TAP_LOG=${TMPDIR:-/tmp}/tap.$$.out

tap_diag() {
	sed 's/^/# /'
}

pass() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}

fail() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	[ $# -lt 2 ] || printf '%s\n' "$2" | tap_diag
}

skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

check() {
	_what=$1
	shift
	if "$@" >"$TAP_LOG" 2>&1; then
		pass "$_what"
	else
		fail "$_what" "command failed (status $?): $*"
		tap_diag <"$TAP_LOG"
	fi
	rm -f "$TAP_LOG"
}

check_fails() {
	_what=$1
	shift
	if "$@" >"$TAP_LOG" 2>&1; then
		fail "$_what" "command unexpectedly succeeded: $*"
		tap_diag <"$TAP_LOG"
	else
		pass "$_what"
	fi
	rm -f "$TAP_LOG"
}

is() {
	_what=$1 _want=$2
	shift 2
	_got=$("$@" 2>&1)
	if [ "$_got" = "$_want" ]; then
		pass "$_what"
	else
		fail "$_what" "wanted '$_want', got '$_got'"
	fi
}

# wait_until SECONDS command...: poll every 20 ms; status 0 once the command
# succeeds, 1 when the time is up.
wait_until() {
	_limit=$(($1 * 50))
	shift
	_i=0
	while ! "$@" >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ "$_i" -lt "$_limit" ] || return 1
		sleep 0.02
	done
	return 0
}

tap_end() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
