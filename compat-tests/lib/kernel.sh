# Helpers for the kernel module's tests (60, 61). Source after tap.sh with
# $top set to the repository: it sets VPE_BUILD and VPE_CACHE, and
#
#   kernel_env WHAT    fetch (or find cached) the kernel packages and load
#                      their paths; without them, skip WHAT and exit
#   now / since T      a timestamp, and the seconds since one

VPE_BUILD=${VPE_BUILD:-$top/build}
VPE_CACHE=${VPE_CACHE:-/var/cache/vpe-compat}
export VPE_CACHE

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

kernel_env() {
	if ! _deps=$(sh "$top/scripts/kernel-deps.sh" 2>&1); then
		skip "$1" "kernel packages unavailable: $(printf '%s\n' "$_deps" | tail -n 1)"
		tap_end
		exit 0
	fi
	. "$VPE_CACHE/kernel-env.sh"
}
