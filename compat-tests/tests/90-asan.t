#!/bin/sh
# /dev/vpe1 and /dev/rtlxN again (tests 50 and 70), with fuse-vpe built with
# AddressSanitizer and UndefinedBehaviorSanitizer: the same checks pass, and
# no sanitizer report (error, undefined behaviour, leak) is written. The
# hostile-memory and crash cases are the point; the bulk stream is smaller.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
: "${VPE_BUILD:=$here/../build}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! make -s -C "$here/../fuse-vpe" O="$VPE_BUILD/asan" SANITIZE=1 \
	"$VPE_BUILD/asan/fuse-vpe" >"$work/build.log" 2>&1; then
	fail "fuse-vpe builds with SANITIZE=1" "$(cat "$work/build.log")"
	tap_end
	exit 1
fi
pass "fuse-vpe builds with SANITIZE=1"

# the build tree, with the sanitized daemon in place of the plain one
mkdir "$work/build" "$work/build/fuse-vpe" "$work/reports"
for d in "$VPE_BUILD"/*; do
	[ "$(basename "$d")" = fuse-vpe ] || ln -s "$d" "$work/build/"
done
for f in "$VPE_BUILD"/fuse-vpe/*; do
	[ "$(basename "$f")" = fuse-vpe ] || ln -s "$f" "$work/build/fuse-vpe/"
done
ln -s "$VPE_BUILD/asan/fuse-vpe" "$work/build/fuse-vpe/fuse-vpe"

export ASAN_OPTIONS="log_path=$work/reports/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$work/reports/ubsan:print_stacktrace=1:halt_on_error=0"
status=0
VPE_BUILD=$work/build sh "$here/tests/50-vpe1.t" || status=1
VPE_BUILD=$work/build VPE_BULK_BYTES=4M sh "$here/tests/70-rtlx.t" || status=1

reports=$(ls "$work/reports")
if [ -z "$reports" ]; then
	pass "no sanitizer report from any fuse-vpe run"
else
	fail "no sanitizer report from any fuse-vpe run" "$(cat "$work"/reports/*)"
fi
tap_end && exit $status
