#!/bin/sh
# Running fuse-vpe as a service: make install puts a systemd unit and a udev
# rule where PREFIX says; systemd-analyze verifies the unit against what
# was installed beside it (and refuses one whose daemon is missing); and
# fuse-vpe tells a service manager it is ready (Type=notify, READY=1) only
# once /dev/vpe1 and /dev/rtlx0..7 lead into its live mount.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/parts.sh"
: "${VPE_BUILD:=$here/../build}"
export VPE_BUILD
NL=$VPE_BUILD/tools/notify-listen

# ---- inside with-sim: readiness ------------------------------------------
part_ready() {
	daemon_save || return
	trap daemon_again_stop EXIT
	check "the daemon with-sim started ends on SIGTERM" daemon_kill TERM
	check "... taking its links with it" test ! -e /dev/vpe1
	nsock=/tmp/notify.$$.sock nout=/tmp/notify.$$.out
	rm -f "$nsock"
	daemon_run "$NL $nsock 20 -- " >"$nout" 2>&1 &
	daemon_new=$!
	wait "$daemon_new"
	st=$?
	daemon_new=$(sed -n 's/^pid //p' "$nout")
	rm -f "$nsock"
	is "READY=1 arrives" 0 echo "$st"
	# checked as soon as notify-listen returned: nothing waited for them
	check "by then /dev/vpe1 leads into the live mount" test -e /dev/vpe1
	check "... and so do /dev/rtlx0../dev/rtlx7" \
		sh -c 'for c in 0 1 2 3 4 5 6 7; do test -e /dev/rtlx$c || exit 1; done'
	check "... and the mount answers" daemon_up
	check "a load through it works" loads cat "$FW/echo-el-296.elf" runs_echo
	tap_diag <"$nout"
	rm -f "$nout"
}

parts_dispatch "$@"

# ---- outside: the files and the unit -------------------------------------
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
check "make install DESTDIR=... PREFIX=/usr" \
	make -s -C "$here/.." install BUILD="$VPE_BUILD" DESTDIR="$dest" PREFIX=/usr
unit=$dest/usr/lib/systemd/system/fuse-vpe.service
check "installs /usr/lib/systemd/system/fuse-vpe.service" test -f "$unit"
check "installs /usr/lib/udev/rules.d/60-vpe-compat.rules" \
	test -f "$dest/usr/lib/udev/rules.d/60-vpe-compat.rules"
check "the unit runs /usr/sbin/fuse-vpe in the foreground" \
	grep -q '^ExecStart=/usr/sbin/fuse-vpe --foreground ' "$unit"
# systemd-analyze verify: the unit as installed, its daemon where the
# unit says (here under DESTDIR) and the host's own targets to order against
tmpl=$here/../dist/systemd/fuse-vpe.service.in
is "the installed unit is the template with PREFIX's sbin" "" \
	sh -c "sed 's|@SBINDIR@|/usr/sbin|' '$tmpl' | diff - '$unit'"
mkdir -p "$dest/verify"
sed "s|@SBINDIR@|$dest/usr/sbin|" "$tmpl" >"$dest/verify/fuse-vpe.service"
if command -v systemd-analyze >/dev/null; then
	check "systemd-analyze verify: the unit is sound" \
		systemd-analyze --man=no verify "$dest/verify/fuse-vpe.service"
	sed "s|@SBINDIR@|$dest/nowhere|" "$tmpl" >"$dest/verify/fuse-vpe.service"
	check_fails "systemd-analyze verify refuses it without its daemon" \
		systemd-analyze --man=no verify "$dest/verify/fuse-vpe.service"
else
	skip "systemd-analyze verify" "no systemd-analyze (package systemd)"
fi

# ---- the udev rule, applied by udev's own rule engine ----------------------
# (udev-try: the devices the modules announce, faked in a private mount
# namespace; nothing of the host's /sys, /dev or /run is touched)
udev_try() {
	"$here/tools/udev-try" "$dest/usr/lib/udev/rules.d" "$@" >"$dest/udev.out" 2>&1
}
udev_has() { grep -qx -- "$1" "$dest/udev.out"; }
if [ "$(id -u)" -ne 0 ]; then
	skip "the udev rule under udevadm test" "needs root (a private mount namespace)"
elif ! command -v udevadm >/dev/null; then
	skip "the udev rule under udevadm test" "no udevadm (package udev)"
else
	misc=/devices/virtual/misc
	check "udevadm test: vpe_compat0 (a node made 0666 nobody)" \
		udev_try $misc/vpe_compat0 misc 10:121
	check "... the node becomes 0600 root:root" udev_has "node 600 root root"
	check "... tagged for systemd (dev-vpe_compat0.device)" udev_has "TAGS=:systemd:"
	check "... and it wants fuse-vpe.service" udev_has "SYSTEMD_WANTS=fuse-vpe.service"
	check "udevadm test: vpe_compat1" udev_try $misc/vpe_compat1 misc 10:122
	check "... 0600 root:root as well" udev_has "node 600 root root"
	check_fails "... but only the first window starts the daemon" \
		grep -q SYSTEMD_WANTS "$dest/udev.out"
	check "udevadm test: another misc device (fuse)" udev_try $misc/fuse misc 10:229
	check "... is left alone" udev_has "node 666 nobody nogroup"
	check_fails "... not tagged" grep -q "TAGS=" "$dest/udev.out"
	check "udevadm test: remoteproc0 named vpe1" \
		udev_try /devices/platform/vpe-rproc/remoteproc/remoteproc0 remoteproc name=vpe1
	check "... tagged for systemd" udev_has "TAGS=:systemd:"
	check "... with the alias the unit orders itself after" \
		udev_has "SYSTEMD_ALIAS=/sys/subsystem/remoteproc/devices/vpe1"
	check "the unit names those device units" sh -c "
		grep -qx 'After=$(systemd-escape --path --suffix=device /sys/subsystem/remoteproc/devices/vpe1)' '$unit' &&
		grep -qx 'BindsTo=$(systemd-escape --path --suffix=device /dev/vpe_compat0)' '$unit'"
	[ "$TAP_FAILED" -eq 0 ] || tap_diag <"$dest/udev.out"
fi

parts_need_root
part_run -- ready
[ "$TAP_FAILED" -eq 0 ] || PARTS_STATUS=1
exit $PARTS_STATUS
