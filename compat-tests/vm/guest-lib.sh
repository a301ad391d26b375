# Helpers for guest steps (POSIX sh, busybox).  Source after /lib/tap.sh:
#
#   . /lib/tap.sh
#   . /lib/guest-lib.sh
#
#   log_mark                  start a kernel-log section (done once on source)
#   log_since                 the kernel log since the mark
#   log_count TEXT            how many lines since the mark contain TEXT
#   check_show WHAT CMD...    like check, and shows the output either way
#   check_log_clean WHAT      no WARN/BUG/oops since the mark, no new taint

log_mark() {
	_vpe_mark=vpe-guest-$$-$(cut -d' ' -f1 /proc/uptime)
	echo "vpe-guest: mark $_vpe_mark" >/dev/kmsg
	_vpe_taint0=$(cat /proc/sys/kernel/tainted)
}

log_since() {
	dmesg | sed -n "/vpe-guest: mark $_vpe_mark/,\$p"
}

log_count() {
	log_since | grep -c -F -- "$1"
}

check_show() {
	_what=$1
	shift
	if "$@" >/tmp/.check-show 2>&1; then
		pass "$_what"
	else
		fail "$_what" "command failed (status $?): $*"
	fi
	tap_diag </tmp/.check-show
	rm -f /tmp/.check-show
}

# Kernel-log patterns of trouble, and the taint bits they leave:
# 32 B (bad page), 128 D (oops), 512 W (warning).
_vpe_bad='WARNING:|BUG:|Oops|Call Trace|general protection|kernel BUG|refcount_t|list_add corruption|list_del corruption|UBSAN|KASAN|sleeping function called|scheduling while atomic|Bad page|double free|use-after-free'

check_log_clean() {
	if log_since | grep -E -q "$_vpe_bad"; then
		fail "$1: no WARN, BUG or oops in dmesg" \
			"$(log_since | grep -E -A12 "$_vpe_bad" | head -n 60)"
	else
		pass "$1: no WARN, BUG or oops in dmesg"
	fi
	_t=$(cat /proc/sys/kernel/tainted)
	if [ $(( (_t & ~_vpe_taint0) & (32 | 128 | 512) )) -eq 0 ]; then
		pass "$1: no new oops, warning or bad-page taint ($_vpe_taint0 -> $_t)"
	else
		fail "$1: no new oops, warning or bad-page taint" \
			"taint $_vpe_taint0 -> $_t"
	fi
}

log_mark
