# Tests made of parts that each run inside with-sim (simulator + fuse-vpe).
# Source after tap.sh, define the part_NAME functions, then:
#
#   parts_dispatch "$@"             inside with-sim: run one part, exit
#   parts_need_root                 outside: skip the whole test unless root
#   part_run [WITH-SIM OPTS] -- NAME [ARG]   outside: one with-sim per part
#   exit $PARTS_STATUS              outside: non-zero if any part failed
#
# Inside, lib/vpe.sh is sourced, so the parts can use its helpers.

: "${here:?set here to compat-tests/ before sourcing parts.sh}"
PARTS_STATUS=0

parts_dispatch() {
	[ "${1:-}" = --inside ] || return 0
	. "$here/lib/vpe.sh"
	shift
	"part_$1" "$2"
	tap_end
	exit
}

parts_need_root() {
	[ "$(id -u)" -ne 0 ] || return 0
	skip "$(basename "$0") through with-sim" "needs root (namespaces, FUSE)"
	tap_end
	exit 0
}

part_run() {
	_opts=
	while [ "$1" != -- ]; do
		_opts="$_opts $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	"$here/sim/with-sim" $_opts -- bash "$0" --inside "$@" || PARTS_STATUS=1
}
