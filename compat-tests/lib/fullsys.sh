# Helpers for the full-system tests (8x-fullsys-*.t). Source after tap.sh
# with $here set to compat-tests/:
#
#   fullsys_need WHAT          root and the guest kernels (built once, cached
#                              under $VPE_CACHE/fullsys), or skip WHAT and exit;
#                              FS_KERNELS names them (default "6.1 6.12")
#   guest NAME [WITH-MIPS OPTS] -- COMMAND...
#                              one guest boot: its output relayed (TAP lines
#                              counted here, the rest as "# " diagnostics),
#                              its status checked (NAME: "the guest ran ...")
#   guest_tap NAME [OPTS] -- SCRIPT [ARGS]
#                              the same for a guest TAP script of
#                              compat-tests/fullsys/guest (copied in, run by sh)
#   FS_BOOT_AGAIN=WHY guest ...  a failed boot is booted once more, and only
#                              the second counts (for what QEMU, not our
#                              code, breaks now and then: WHY says what)
#   fullsys_relay [FILE [PREFIX]]
#                              a guest's TAP as ours (guest does it itself)
#   FS_OUT                     the last boot's output, FS_CONSOLE its console
#
# Guest scripts print TAP with /vpe/lib/tap.sh; their plan lines are dropped
# (the runner renumbers everything).

: "${here:?set here to compat-tests/ before sourcing fullsys.sh}"
: "${VPE_BUILD:=$here/../build}"
: "${VPE_CACHE:=/var/cache/vpe-compat}"
export VPE_BUILD VPE_CACHE
FS_DIR=$VPE_BUILD/fullsys-tests
FS_OUT=$FS_DIR/out
FS_CONSOLE=$FS_DIR/console
FW=$VPE_BUILD/firmware
mkdir -p "$FS_DIR"

fullsys_need() {
	if [ "$(id -u)" -ne 0 ]; then
		skip "$1" "needs root (the guest kernels' cache, QEMU)"
		tap_end
		exit 0
	fi
	for _k in ${FS_KERNELS:-6.1 6.12}; do
		_t=$(date +%s)
		if ! _log=$(sh "$here/fullsys/build-kernel.sh" "$_k" 2>&1); then
			skip "$1" "guest kernel $_k: $(printf '%s\n' "$_log" | tail -n 1)"
			tap_end
			exit 0
		fi
		echo "# guest kernel $_k ready in $(( $(date +%s) - _t )) s"
		. "$VPE_CACHE/fullsys/kernel-$_k.env"
		if ! make -s -C "$here/fullsys" O="$VPE_BUILD/$FS_PROGRAMS_DIR" \
			CROSS="$FS_CROSS" MIPS_ROOT="$FS_MIPS_ROOT" FUSE_LIB="$FS_FUSE_LIB" \
			KVER="$_k" KDIR="$FS_KB" programs modules >"$FS_DIR/make.log" 2>&1; then
			fail "$1: the guest's programs build for $_k" "$(tail -n 30 "$FS_DIR/make.log")"
			tap_end
			exit 1
		fi
	done
	# with-mips need not check all that again
	WITH_MIPS_READY=1
	export WITH_MIPS_READY
}

# fullsys_relay [FILE [PREFIX]]: a guest's TAP lines (FILE, default the
# last boot's output) as ours, named "PREFIX: ..." when given, everything
# else as diagnostics; "ok N - name" and kselftest's "ok N name" alike
fullsys_relay() {
	_p=${2:+$2: }
	while IFS= read -r _l; do
		case $_l in
		"ok "*"# SKIP"*)
			skip "$_p$(printf '%s\n' "$_l" | sed 's/^ok [0-9]* \(- \)\{0,1\}//; s/ # SKIP.*//')" \
				"$(printf '%s\n' "$_l" | sed 's/.* # SKIP //')" ;;
		"ok "*) pass "$_p$(printf '%s\n' "$_l" | sed 's/^ok [0-9]* \(- \)\{0,1\}//')" ;;
		"not ok "*) fail "$_p$(printf '%s\n' "$_l" | sed 's/^not ok [0-9]* \(- \)\{0,1\}//')" ;;
		"1.."*) ;;
		"#"*) echo "$_l" ;;
		*) echo "# $_l" ;;
		esac
	done <"${1:-$FS_OUT}"
}

guest() {
	_name=$1
	shift
	_t=$(date +%s)
	"$here/fullsys/with-mips" --console "$FS_CONSOLE" "$@" >"$FS_OUT" 2>&1
	_st=$?
	if [ $_st -ne 0 ] && [ -n "${FS_BOOT_AGAIN:-}" ]; then
		echo "# $_name: with-mips status $_st ($FS_BOOT_AGAIN): booted once more"
		tail -n 10 "$FS_OUT" | tap_diag
		grep -v '^@@' "$FS_CONSOLE" 2>/dev/null | tail -n 10 | tap_diag
		"$here/fullsys/with-mips" --console "$FS_CONSOLE" "$@" >"$FS_OUT" 2>&1
		_st=$?
	fi
	fullsys_relay
	if [ $_st -eq 0 ]; then
		pass "$_name: the guest ran it ($(( $(date +%s) - _t )) s)"
	else
		fail "$_name: the guest ran it" "with-mips status $_st"
		grep -v '^@@' "$FS_CONSOLE" 2>/dev/null | tail -n 30 | tap_diag
	fi
	return $_st
}

guest_tap() {
	_name=$1
	shift
	_opts=
	while [ "$1" != -- ]; do
		_opts="$_opts $1"
		shift
	done
	shift
	_script=$1
	shift
	# shellcheck disable=SC2086
	guest "$_name" $_opts --add "$here/fullsys/guest/$_script" -- \
		sh "/add/$_script" "$@"
}
