#!/bin/sh
# vpe-compat against the real legacy driver: the same legacy calls and
# programs (guest/diff.sh) run once on the kernel's own VPE loader and RTLX
# (with-mips --legacy) and once on vpe-compat, on both guest kernels, with
# a program that rings Linux's doorbell as legacy SP programs did (bell)
# and one that does not (echo).  Every difference between the two
# transcripts must be one of fullsys/differences, which says why (and
# docs/migration.md tells users); a listed difference that no longer
# occurs fails too, so the list stays true (unless the list marks its
# legacy result as one that depends on timing).

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/fullsys.sh"
LIST=$here/fullsys/differences

FS_KERNELS="6.1 6.12 6.1-be" fullsys_need "vpe-compat against the legacy driver"

D=$FS_DIR/diff
mkdir -p "$D"
echo "not an image" >"$D/notelf.txt"

# compare KERNEL KIND LEGACY VPECOMPAT: prints one line per problem
compare() {
	awk -F '\t' -v k="$1" -v kind="$2" -v leg="$3" -v cmp="$4" '
	function matches(list, v,   n, i, a) {
		n = split(list, a, ",")
		for (i = 1; i <= n; i++)
			if (a[i] == "*" || a[i] == v)
				return 1
		return 0
	}
	FILENAME == ARGV[1] {
		if ($0 ~ /^#/ || NF < 6)
			next
		if (matches($1, k) && matches($2, kind)) {
			legacy = $4
			# "~": the legacy result depends on timing; it may match
			used[$3] = sub(/^~/, "", legacy) ? -1 : 0
			want[$3] = legacy "\t" $5
		}
		next
	}
	FILENAME == leg { lk[++nl] = $0; next }
	FILENAME == cmp { ck[++nc] = $0; next }
	END {
		if (nl != nc)
			printf "%d lines on the legacy driver, %d on vpe-compat\n", nl, nc
		for (i = 1; i <= nl && i <= nc; i++) {
			a = lk[i]; b = ck[i]
			ka = a; sub(/ => .*/, "", ka)
			kb = b; sub(/ => .*/, "", kb)
			if (ka != kb) {
				printf "line %d: legacy \"%s\", vpe-compat \"%s\": the runs went apart\n", i, a, b
				exit
			}
			if (a == b)
				continue
			ra = a; sub(/^.* => /, "", ra)
			rb = b; sub(/^.* => /, "", rb)
			if ((ka in want) && want[ka] == ra "\t" rb)
				used[ka] = 1
			else
				printf "not listed: %s: legacy \"%s\", vpe-compat \"%s\"\n", ka, ra, rb
		}
		for (key in used)
			if (used[key] == 0)
				printf "listed but not seen: %s (%s)\n", key, want[key]
	}' "$LIST" "$3" "$4"
}

for k in 6.1 6.12 6.1-be; do
	case $k in 6.1|6.1-*) l=300 ;; *) l=296 ;; esac
	case $k in *-be) e=eb ;; *) e=el ;; esac
	# big-endian: the echo program (on this MT SMP kernel the bell
	# program's doorbell is an IPI, as on little-endian 6.1)
	kinds="echo bell"
	[ $e = el ] || kinds=echo
	for kind in $kinds; do
		cp "$FW/$kind-$e-$l.elf" "$D/fw.elf"
		for mode in legacy vpe-compat; do
			opt=
			[ $mode = legacy ] && opt=--legacy
			# shellcheck disable=SC2086
			guest "$k, $kind, $mode: diff.sh" --kernel $k $opt --timeout 600 \
				--add "$D/fw.elf" --add "$D/notelf.txt" \
				--add "$here/fullsys/guest/diff.sh" -- sh /add/diff.sh $kind
			grep ' => \|^##' "$FS_OUT" >"$D/$k-$kind-$mode.txt"
			grep '^#-' "$FS_OUT" >"$D/$k-$kind-$mode.programs"
		done
		problems=$(compare $k $kind "$D/$k-$kind-legacy.txt" "$D/$k-$kind-vpe-compat.txt")
		n=$(grep -c ' => ' "$D/$k-$kind-legacy.txt")
		if [ -z "$problems" ] && [ "$n" -gt 40 ]; then
			pass "$k, $kind: $n calls, every difference listed in fullsys/differences"
		else
			fail "$k, $kind: $n calls, every difference listed in fullsys/differences" \
				"$problems"
			diff "$D/$k-$kind-legacy.txt" "$D/$k-$kind-vpe-compat.txt" | tap_diag
		fi
	done
done
echo "# transcripts: $D"
tap_end
