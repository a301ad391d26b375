#!/bin/sh
# Build the kernel test VM's initramfs: a gzip'd newc cpio made with the
# cached busybox (no cpio needed on the host).
#
#   mkinitramfs.sh -o OUT -b BUSYBOX [-k KMODDIR] [-m MODULE]...
#                  [-f SRC=DEST]... [-s STEPDIR]...
#
#   -o OUT        the initramfs to write
#   -b BUSYBOX    a static busybox: the guest's /bin
#   -k KMODDIR    the booted kernel's /lib/modules/KVER (from its package)
#   -m MODULE     a module of that kernel to include with what it depends on;
#                 in the guest: `modprobe MODULE` (needs -k)
#   -f SRC=DEST   a file (a program, an out-of-tree .ko) to put at DEST
#   -s STEPDIR    guest test steps: STEPDIR/*.sh go to /guest.d, and run in
#                 name order (see init)
#
# Always included: init and guest-lib.sh (this directory's) and
# compat-tests/lib/tap.sh, as /init, /lib/guest-lib.sh and /lib/tap.sh.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out='' busybox='' kmoddir='' mods='' files='' steps=''
usage() {
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}
while getopts o:b:k:m:f:s: opt; do
	case $opt in
	o) out=$OPTARG ;;
	b) busybox=$OPTARG ;;
	k) kmoddir=$OPTARG ;;
	m) mods="$mods $OPTARG" ;;
	f) files="$files
$OPTARG" ;;
	s) steps="$steps
$OPTARG" ;;
	*) usage ;;
	esac
done
[ -n "$out" ] && [ -x "$busybox" ] || usage
[ -z "$mods" ] || [ -d "$kmoddir" ] || {
	echo "mkinitramfs: -m needs -k KMODDIR" >&2
	exit 2
}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/lib" "$root/guest.d" "$root/proc" "$root/sys" \
	"$root/dev" "$root/tmp" "$root/etc"
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init" "$root/bin/busybox"
cp "$here/../lib/tap.sh" "$root/lib/tap.sh"
cp "$here/guest-lib.sh" "$root/lib/guest-lib.sh"

# ---- modules of the booted kernel, with their dependencies --------------------
# modpath NAME: the module's path relative to KMODDIR
modpath() {
	_n=$(echo "$1" | tr '_' '-')
	_p=$(cd "$kmoddir" && find kernel -name "$1.ko" -o -name "$_n.ko" |
		head -n 1)
	[ -n "$_p" ] || {
		echo "mkinitramfs: no module $1 in $kmoddir" >&2
		exit 1
	}
	echo "$_p"
}
# moddeps PATH: the modules PATH depends on (its .modinfo "depends=")
moddeps() {
	strings -a "$kmoddir/$1" | sed -n 's/^depends=//p' | tr ',' ' '
}
if [ -n "$mods" ]; then
	kver=$(basename "$kmoddir")
	mdir=$root/lib/modules/$kver
	mkdir -p "$mdir"
	todo=$mods
	done_list=" "
	while [ -n "$(echo $todo)" ]; do
		set -- $todo
		m=$1
		shift
		todo="$*"
		case $done_list in *" $m "*) continue ;; esac
		done_list="$done_list$m "
		p=$(modpath "$m")
		mkdir -p "$mdir/$(dirname "$p")"
		cp "$kmoddir/$p" "$mdir/$p"
		deps=""
		for d in $(moddeps "$p"); do
			deps="$deps $(modpath "$d")"
			todo="$todo $d"
		done
		echo "$p:$deps" >>"$mdir/modules.dep"
	done
	cp "$kmoddir/modules.builtin" "$mdir/" 2>/dev/null || true
fi

# ---- files and steps -----------------------------------------------------------
echo "$files" | while IFS= read -r spec; do
	[ -n "$spec" ] || continue
	src=${spec%%=*}
	dest=${spec#*=}
	mkdir -p "$root$(dirname "$dest")"
	cp "$src" "$root$dest"
done
echo "$steps" | while IFS= read -r dir; do
	[ -n "$dir" ] || continue
	for s in "$dir"/*.sh; do
		[ -f "$s" ] && cp "$s" "$root/guest.d/"
	done
done

(cd "$root" && find . | "$busybox" cpio -o -H newc -R 0:0 2>/dev/null) |
	gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
