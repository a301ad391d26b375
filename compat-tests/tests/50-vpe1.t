#!/bin/sh
# /dev/vpe1: legacy images loaded the legacy ways, onto remoteproc.
#
# Each part runs inside with-sim (simulator + fuse-vpe) and prints its own
# TAP lines; the runner numbers them. Every program is verified by itself
# (fw_report and rtlx_info in the remote's RAM), never by fuse-vpe's word.

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/parts.sh"
: "${VPE_BUILD:=$here/../build}"
export VPE_BUILD

# ---- parts, run inside with-sim --------------------------------------------

# Every legacy way of loading, every kind of image, in one byte order.
part_loaders() {
	e=$1
	for loader in cat dd cp tee vpeload; do
		check "$loader: echo-$e-296.elf runs" \
			loads $loader "$FW/echo-$e-296.elf" runs_echo
	done
	for img in echo-$e-296.o echo-$e-300.elf echo-$e-300.o; do
		check "cat: $img runs" loads cat "$FW/$img" runs_echo
	done
	for img in large-2m-$e.elf large-2m-$e.o large-16m-$e.elf large-16m-$e.o; do
		check "cat: $img runs and its data checksum is right" \
			loads cat "$FW/$img" runs_large
	done
	[ "$(qemu_count)" = 1 ] && pass "one remote core runs after 12 loads" ||
		fail "one remote core runs after 12 loads" "$(qemu_count) QEMU"
}

part_behaviour() {
	# a second image replaces the first
	load_with cat "$FW/echo-el-296.elf"
	check "a second image replaces the first" \
		loads cat "$FW/large-2m-el.elf" runs_large
	check "... it is the large program that runs" \
		test "$(report_field kind)" = large

	# (cat a; cat b) > /dev/vpe1 loads once, whole
	img=$FW/echo-el-300.elf
	size=$(wc -c <"$img")
	head -c $((size / 2)) "$img" >/tmp/vpe1-a.$$
	tail -c +$((size / 2 + 1)) "$img" >/tmp/vpe1-b.$$
	kmsg_mark
	(cat /tmp/vpe1-a.$$; cat /tmp/vpe1-b.$$) >/dev/vpe1
	check "(cat a; cat b) > /dev/vpe1 loads the whole image" runs_echo
	check "... the 300-byte layout one" test "$(report_field layout)" = 300
	n=$(kmsg_since | grep -c ' elf loaded')
	[ "$n" = 1 ] && pass "... and exactly one load happened" ||
		fail "... and exactly one load happened" "$(kmsg_since)"
	rm -f /tmp/vpe1-a.$$ /tmp/vpe1-b.$$

	# two writers at once: each loads its own whole image, never a mix
	"$VPELOAD" -c 512 "$FW/echo-el-296.elf" >/tmp/vpe1-w1.$$ 2>&1 &
	w1=$!
	"$VPELOAD" -c 512 "$FW/large-2m-el.elf" >/tmp/vpe1-w2.$$ 2>&1 &
	w2=$!
	wait $w1; s1=$?
	wait $w2; s2=$?
	if [ $s1 = 0 ] && [ $s2 = 0 ] && runs_echo >/dev/null; then
		pass "two writers at once each load a whole image; one runs"
	else
		fail "two writers at once each load a whole image; one runs" \
			"$(cat /tmp/vpe1-w1.$$ /tmp/vpe1-w2.$$)"
	fi
	rm -f /tmp/vpe1-w1.$$ /tmp/vpe1-w2.$$

	# vpe-fwconvert's output, loaded through remoteproc directly, runs:
	# the simulator applies the kernel's ELF and resource-table checks
	conv=$VPE_BUILD/fuse-vpe/vpe-fwconvert
	echo stop >"$VPE_SIM_RPROC/state"
	check "vpe-fwconvert output of an ET_REL passes the kernel's checks and boots" \
		sh -c "'$conv' '$FW/echo-el-300.o' '$VPE_SIM_FWDIR/converted.elf' >/dev/null &&
		       echo converted.elf >'$VPE_SIM_RPROC/firmware' &&
		       echo start >'$VPE_SIM_RPROC/state'"
	check "... and the program runs" runs_echo

	# opening stops the program; kill stops it
	load_with cat "$FW/echo-el-296.elf"
	exec 3>/dev/vpe1
	check "opening /dev/vpe1 stops the running program" state_is offline
	exec 3>&-
	load_with cat "$FW/echo-el-296.elf"
	echo 1 >"$MNT/kill"
	check "writing kill stops the program" state_is offline

	# an ELF for the other byte order is refused before remoteproc sees
	# it, by the first write (its header is there)
	out=$("$VPELOAD" "$FW/echo-eb-296.elf")
	[ "$out" = "vpeload: write: ENOEXEC (Exec format error)" ] &&
		pass "a big-endian image on a little-endian remote: ENOEXEC" ||
		fail "a big-endian image on a little-endian remote: ENOEXEC" "$out"

	# nosym: runs, but its channels cannot be used
	kmsg_mark
	check "nosym loads and runs" loads cat "$FW/nosym-el.elf" runs_alone
	check "... with the legacy warning about vpe_shared" \
		grep -q 'does not contain vpe_shared symbol' "$VPE_KMSG"

	# the legacy shell idioms report errors (bash: the writer is the opener)
	for loader in cat dd cp tee; do
		out=$(load_with $loader /bin/ls 2>&1)
		st=$?
		if [ $st != 0 ] && [ "$(printf '%s\n' "$out" | grep -c 'Exec format error')" = 1 ] &&
			state_is offline; then
			pass "$loader of a non-MIPS ELF fails: Exec format error (once)"
		else
			fail "$loader of a non-MIPS ELF fails: Exec format error (once)" "status $st: $out"
		fi
	done

	# deprecation lines: one per process, naming it and the replacement
	kmsg_mark
	bash -c 'for i in 1 2 3; do exec 3>/dev/vpe1; exec 3>&-; done'
	n=$(kmsg_since | grep -c 'bash\[[0-9]*\] uses /dev/vpe1')
	[ "$n" = 1 ] && pass "deprecation: one line for a process opening three times" ||
		fail "deprecation: one line for a process opening three times" "$(kmsg_since)"
	kmsg_mark
	"$VPELOAD" "$FW/echo-el-296.elf" >/dev/null
	"$VPELOAD" "$FW/echo-el-296.elf" >/dev/null
	n=$(kmsg_since | grep -c 'vpeload\[[0-9]*\] uses /dev/vpe1, which is deprecated; use remoteproc')
	[ "$n" = 2 ] && pass "deprecation: each process named once, with the replacement" ||
		fail "deprecation: each process named once, with the replacement" "$(kmsg_since)"
	n=$(kmsg_since | grep -c "$VPE_SIM_RPROC/firmware")
	[ "$n" = 2 ] && pass "deprecation: the line names this instance's sysfs path" ||
		fail "deprecation: the line names this instance's sysfs path" "$(kmsg_since)"
}

# The images of the table whose end never comes (truncated): no write can
# tell them apart from the first part of an image still being written,
# so their verdict waits for the opener's close. Every other bad image is
# refused by the write that settles it.
TRUNCATED="empty short-3 trunc-ident trunc-ehdr trunc-shdrs trunc-shdrs-eb shnum-huge
trunc-rel trunc-symtab trunc-strtab section-beyond exec-trunc-phdrs
exec-segment-beyond exec-trunc-symtab"

truncated() {
	case " $(echo $TRUNCATED) " in *" $1 "*) return 0 ;; esac
	return 1
}

# Every image of the table: its errno from the write that settles it (from
# close() for the truncated ones), its legacy log line and the precise
# one, and nothing left running. Big-endian images (EI_DATA 2)
# go to a big-endian remote, all others to a little-endian one.
part_bad() {
	e=$1
	dir=$(mktemp -d)
	"$VPE_BUILD/badimg/badimg" "$dir" >/dev/null
	grep -v '^#' "$here/badimg/cases.txt" | grep -v '^$' |
	while IFS='|' read -r name want legacy precise; do
		data=$(od -An -tu1 -j5 -N1 "$dir/$name.img" 2>/dev/null | tr -d ' ')
		if [ "$e" = eb ]; then
			[ "$data" = 2 ] || continue
		else
			[ "$data" != 2 ] || continue
		fi
		load_with cat "$FW/echo-$e-296.elf"
		kmsg_mark
		out=$("$VPELOAD" "$dir/$name.img")
		case "$want" in
		OK) got_ok="vpeload: loaded" ;;
		*) got_ok="vpeload: $(truncated $name && echo close || echo write): $want" ;;
		esac
		what=$want
		[ "$want" = OK ] || what="${got_ok#vpeload: }"
		log=$(kmsg_since)
		why=
		case "$out" in "$got_ok"*) ;; *) why="vpeload gave: $out" ;; esac
		[ "$legacy" = - ] || printf '%s\n' "$log" | grep -qF -- "$legacy" ||
			why="$why; no legacy line '$legacy'"
		[ "$precise" = - ] || printf '%s\n' "$log" | grep -qF -- "$precise" ||
			why="$why; no precise line '$precise'"
		if [ "$want" != OK ] && ! state_is offline; then
			why="$why; state $(cat "$VPE_SIM_RPROC/state")"
		fi
		if [ -z "$why" ]; then
			pass "bad image $name: $what"
		else
			fail "bad image $name: $what" "$why
$log"
		fi
	done
	rm -rf "$dir"
}

part_max() {
	out=$(cat "$FW/large-2m-el.elf" 2>&1 >/dev/vpe1)
	st=$?
	if [ $st != 0 ] && printf '%s' "$out" | grep -q 'Cannot allocate memory' &&
		grep -q 'elf size too big. Perhaps strip unneeded symbols' "$VPE_KMSG" &&
		state_is offline; then
		pass "an image over --max-image: ENOMEM, legacy message, nothing runs"
	else
		fail "an image over --max-image: ENOMEM, legacy message, nothing runs" "$out"
	fi
	check "an image under the maximum still loads" \
		loads cat "$FW/echo-el-296.elf" runs_echo
}

# in_shell SH COMMAND: COMMAND under dash or under busybox sh, with
# busybox's own cat there
in_shell() {
	case $1 in
	dash) dash -c "$2" ;;
	busybox) busybox sh -c "$(printf '%s' "$2" | sed 's/\bcat /busybox cat /g')" ;;
	esac
}

loads_since_mark() {
	kmsg_since | grep -c ' elf loaded'
}

part_shells() {
	sh=$1
	dir=$(mktemp -d)
	"$VPE_BUILD/badimg/badimg" "$dir" >/dev/null
	good=$FW/echo-el-296.elf
	printf 'not a program\n' >"$dir/text"
	load_with cat "$good"
	check_fails "$sh: a wrong-arch image (the host's /bin/true) fails" \
		in_shell $sh "cat /bin/true >/dev/vpe1"
	check "... and nothing runs" state_is offline
	check_fails "$sh: a file that is not ELF fails" \
		in_shell $sh "cat $dir/text >/dev/vpe1"
	check_fails "$sh: an ELF with no __start fails" \
		in_shell $sh "cat $dir/no-start.img >/dev/vpe1"
	check_fails "$sh: an image past --max-image (1 MiB here) fails" \
		in_shell $sh "cat $FW/large-2m-el.elf >/dev/vpe1"
	check "$sh: a good image loads, status 0" in_shell $sh "cat $good >/dev/vpe1"
	check "... and runs" runs_echo

	# in a script: the shell opens the redirection, a child cat writes
	check_fails "$sh, in a script (the shell opens, cat writes): a non-ELF file fails" \
		in_shell $sh "cat $dir/text >/dev/vpe1; exit \$?"
	check_fails "... an ELF with no __start fails" \
		in_shell $sh "cat $dir/no-start.img >/dev/vpe1; exit \$?"
	check "... a good image loads, status 0" \
		in_shell $sh "cat $good >/dev/vpe1; exit \$?"
	check "... and runs" runs_echo

	# a split image: the first writer's close finds it incomplete
	size=$(wc -c <"$good")
	head -c $((size / 2)) "$good" >"$dir/a"
	tail -c +$((size / 2 + 1)) "$good" >"$dir/b"
	kmsg_mark
	check "$sh: (cat a; cat b) > /dev/vpe1: status 0" \
		in_shell $sh "(cat $dir/a; cat $dir/b) >/dev/vpe1"
	check "... the whole image runs" runs_echo
	is "... loaded once" 1 loads_since_mark

	# a flash partition's padding after the image: not waited for
	{ cat "$good"; head -c 65536 /dev/zero | tr '\0' '\377'; } >"$dir/padded"
	check "$sh: an image with 64 KiB of padding after it loads" \
		in_shell $sh "cat $dir/padded >/dev/vpe1"
	check "... and runs" runs_echo

	# more writes after the image was loaded at its writer's close
	kmsg_mark
	check_fails "$sh: a write after the image was loaded fails" \
		in_shell $sh "(cat $good; echo more) >/dev/vpe1"
	check "... the log says it was loaded already" \
		sh -c "tail -n +$((KMSG_LINES + 1)) '$VPE_KMSG' |
			grep -q 'was loaded when process [0-9]* closed it; open /dev/vpe1 again'"
	check "... the image runs" runs_echo
	is "... loaded once" 1 loads_since_mark
	rm -rf "$dir"
}

# Every little-endian image of the table, cat by busybox's cat under
# busybox sh: the bad ones fail, the precise line in the log. Except the
# truncated ones: their end never comes, so their verdict waits for the
# opener's close (the shell's, which drops it), as a split image's first
# half does; the log still says why.
part_bad_busybox() {
	dir=$(mktemp -d)
	"$VPE_BUILD/badimg/badimg" "$dir" >/dev/null
	grep -v '^#' "$here/badimg/cases.txt" | grep -v '^$' |
	while IFS='|' read -r name want legacy precise; do
		[ "$(od -An -tu1 -j5 -N1 "$dir/$name.img" 2>/dev/null | tr -d ' ')" != 2 ] ||
			continue
		expect=1
		{ [ "$want" = OK ] || truncated "$name"; } && expect=0
		kmsg_mark
		in_shell busybox "cat $dir/$name.img >/dev/vpe1" 2>/dev/null
		st=$?
		why=
		[ $st -eq 0 ] && [ $expect = 1 ] && why="status 0"
		[ $st -ne 0 ] && [ $expect = 0 ] && why="status $st"
		[ "$precise" = - ] || kmsg_since | grep -qF -- "$precise" ||
			why="$why; no precise line '$precise'"
		what="status $([ $expect = 1 ] && echo non-zero || echo 0)"
		if [ -z "$why" ]; then
			pass "busybox: image $name: $what"
		else
			fail "busybox: image $name: $what" "$why
$(kmsg_since)"
		fi
	done
	rm -rf "$dir"
}

part_legacy_close() {
	out=$("$VPELOAD" /bin/ls)
	[ "$out" = "vpeload: loaded" ] &&
		pass "--legacy-close: close() succeeds for a bad image, as it used to" ||
		fail "--legacy-close: close() succeeds for a bad image, as it used to" "$out"
	check "... and the kernel log still says why" \
		grep -q 'VPE loader: ELF load failed.' "$VPE_KMSG"
	check "--legacy-close: busybox cat's writes of a bad image succeed too" \
		busybox sh -c "busybox cat /bin/ls >/dev/vpe1"
}

# The daemon itself: options, links it will not replace, clean shutdown.
part_daemon() {
	daemon=$VPE_BUILD/fuse-vpe/fuse-vpe
	check "--help names every option" sh -c "'$daemon' --help | grep -q -- --legacy-close"
	check "--version" sh -c "'$daemon' --version | grep -q '^fuse-vpe '"
	check_fails "an unknown option is refused" "$daemon" --frobnicate /tmp
	# every number is checked, and the refusal names the option and value
	for bad in "--max-image 1G" "--max-image 0" "--max-image 4Q" \
		"--rtlx-mode 9" "--rtlx-mode 0755" "--rtlx-mode -1" \
		"--rtlx-layout 298" "--rtlx-layout 300x" \
		"--load-addr 0x81000100" "--load-addr 0x1000" \
		"--vpe-shared 0xc0000000" "--vpe-shared 0x30000000" \
		"--vpe-shared ' 1'"; do
		eval "set -- $bad"
		out=$("$daemon" "$@" /tmp 2>&1)
		st=$?
		[ $st = 2 ] && printf '%s' "$out" | grep -q -- "$1 '$2'" &&
			pass "$bad is refused, named" ||
			fail "$bad is refused, named" "$st: $out"
	done

	mkdir -p /tmp/vpe1-links.$$ /tmp/vpe1-mnt.$$
	: >/tmp/vpe1-links.$$/vpe1
	out=$("$daemon" -f --rproc "$VPE_SIM_RPROC" --fw-dir "$VPE_SIM_FWDIR" \
		--kmsg /dev/null --link-dir /tmp/vpe1-links.$$ /tmp/vpe1-mnt.$$ 2>&1)
	st=$?
	if [ $st != 0 ] && printf '%s' "$out" | grep -q 'not our link; not replaced' &&
		[ -f /tmp/vpe1-links.$$/vpe1 ] && ! grep -q vpe1-mnt /proc/mounts; then
		pass "a file where the link goes is never replaced; nothing stays mounted"
	else
		fail "a file where the link goes is never replaced; nothing stays mounted" "$st: $out"
	fi
	out=$("$daemon" -f --rproc "$VPE_SIM_RPROC" --fw-dir "$VPE_SIM_FWDIR" \
		--kmsg /dev/null /tmp/vpe1-mnt.$$ 2>&1)
	[ $? != 0 ] && printf '%s' "$out" | grep -q '/dev/vpe1: exists and is not our link' &&
		pass "another daemon's /dev/vpe1 is not taken over" ||
		fail "another daemon's /dev/vpe1 is not taken over" "$out"
	rm -rf /tmp/vpe1-links.$$ /tmp/vpe1-mnt.$$

	out=$("$daemon" --rproc-class "$VPE_SIM_CLASS" --rproc-name nosuch \
		--kmsg /dev/null /tmp 2>&1)
	[ $? != 0 ] && printf '%s' "$out" | grep -q 'nosuch: No such device' &&
		pass "an unknown remoteproc name is reported" ||
		fail "an unknown remoteproc name is reported" "$out"

	load_with cat "$FW/echo-el-296.elf"
	pid=$(pgrep -x fuse-vpe)
	kill -TERM "$pid"
	wait_until 5 sh -c "! kill -0 $pid 2>/dev/null"
	check "SIGTERM: the daemon exits" sh -c "! kill -0 $pid 2>/dev/null"
	check "SIGTERM: /dev/vpe1 is removed" test ! -e /dev/vpe1 -a ! -L /dev/vpe1
	check "SIGTERM: the mount is gone" sh -c "! grep -q ' $MNT fuse' /proc/mounts"
	check "SIGTERM: the remote program keeps running" state_is running
}

parts_dispatch "$@"
parts_need_root
part_run --endian little -- loaders el
part_run --endian big -- loaders eb
part_run --kernel 5.19 -- behaviour
part_run --endian little -- bad el
part_run --endian big -- bad eb
VPE_DAEMON_OPTS="--max-image 1M" part_run -- max
VPE_DAEMON_OPTS="--max-image 1M" part_run -- shells dash
VPE_DAEMON_OPTS="--max-image 1M" part_run -- shells busybox
part_run -- bad_busybox
VPE_DAEMON_OPTS="--legacy-close" part_run -- legacy_close
part_run -- daemon
exit $PARTS_STATUS
