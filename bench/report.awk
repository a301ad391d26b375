# report.awk: docs/performance.md and docs/performance.json from the
# results.txt of bench/run ("key value" lines). POSIX awk (mawk).
#   awk -v md=FILE -v json=FILE -v plotvars=FILE -v notes=FILE -f report.awk results.txt

{
	k = $1
	v = $0
	sub(/^[^ ]+ ?/, "", v)
	V[k] = v
}

# ---- values ---------------------------------------------------------------

function has(k) { return (k in V) && V[k] != "" }

function num(k) {
	if (!has(k)) {
		printf "report: %s missing from the results\n", k > "/dev/stderr"
		bad = 1
		return 0
	}
	return V[k] + 0
}

function str(k) { return has(k) ? V[k] : "unknown" }

# the repetitions PREFIX.r1, PREFIX.r2, ... sorted into S[1..n]; returns n
function reps(prefix,    i, j, n, t) {
	n = 0
	for (i = 1; has(prefix ".r" i); i++)
		S[++n] = V[prefix ".r" i] + 0
	for (i = 2; i <= n; i++) {
		t = S[i]
		for (j = i - 1; j >= 1 && S[j] > t; j--)
			S[j + 1] = S[j]
		S[j + 1] = t
	}
	if (!n) {
		printf "report: no repetitions of %s\n", prefix > "/dev/stderr"
		bad = 1
	}
	return n
}

function median(prefix,    n) {
	n = reps(prefix)
	if (!n)
		return 0
	return n % 2 ? S[(n + 1) / 2] : (S[n / 2] + S[n / 2 + 1]) / 2
}

function lo(prefix,    n) { n = reps(prefix); return n ? S[1] : 0 }
function hi(prefix,    n) { n = reps(prefix); return n ? S[n] : 0 }
function count(prefix) { return reps(prefix) }

# ---- formatting -------------------------------------------------------------

function us(ns) { return ns < 100000 ? sprintf("%.1f", ns / 1000) : sprintf("%.0f", ns / 1000) }
function ms(ns) { return ns < 100e6 ? sprintf("%.1f", ns / 1e6) : sprintf("%.0f", ns / 1e6) }
function mbs(b) { return b < 100e6 ? sprintf("%.1f", b / 1e6) : sprintf("%.0f", b / 1e6) }
function mib(kb) { return sprintf("%.2f", kb / 1024) }
function x(r) { return sprintf("%.2f×", r) }
function pct(r) { return sprintf("%.0f %%", 100 * r) }
function div(a, b) { return b ? a / b : 0 }
function mark(ok) { return ok ? "**met**" : "**missed**" }

function jstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}

function jnum(v) { return v == int(v) ? sprintf("%.0f", v) : sprintf("%.6g", v) }

# a target: its line in the summary and in the JSON
function target(id, figure, value, baseline, ratio, limit, ok, unit,    line) {
	T++
	TID[T] = id
	TFIG[T] = figure
	TVAL[T] = value
	TBASE[T] = baseline
	TRATIO[T] = ratio
	TLIM[T] = limit
	TOK[T] = ok
	TUNIT[T] = unit
	if (!ok)
		missed++
	return ok
}

function p(s) { print s > md }

END {
	if (!NR) {
		print "report: empty results" > "/dev/stderr"
		exit 1
	}
	quick = str("run.quick") == "1"

	# ---- 1. round trips ---------------------------------------------------
	split("fuse floor direct", M, " ")
	for (i = 1; i <= 3; i++) {
		m = M[i]
		RN[m] = num("rtt." m ".n")
		R50[m] = num("rtt." m ".p50")
		R90[m] = num("rtt." m ".p90")
		R99[m] = num("rtt." m ".p99")
		R999[m] = num("rtt." m ".p999")
		RMAX[m] = num("rtt." m ".max")
		RMIN[m] = num("rtt." m ".min")
	}
	rtt_med_ratio = div(R50["fuse"], R50["floor"])
	rtt_p99_ratio = div(R99["fuse"], R99["floor"])
	rtt_med_ok = target("rtt_median", "round trip, median", R50["fuse"], R50["floor"],
		rtt_med_ratio, 1.3, rtt_med_ratio <= 1.3, "ns")
	rtt_p99_ok = target("rtt_p99", "round trip, p99", R99["fuse"], R99["floor"],
		rtt_p99_ratio, 3, rtt_p99_ratio <= 3, "ns")
	proccost = num("rtt.proccost_ns")

	# ---- 2. throughput ----------------------------------------------------
	split("1 8", NC, " ")
	split("tx rx", DIR, " ")
	DIRNAME["tx"] = "Linux → remote"
	DIRNAME["rx"] = "remote → Linux"
	thru_ok = 1
	for (i = 1; i <= 2; i++) {
		for (j = 1; j <= 2; j++) {
			n = NC[i]; d = DIR[j]
			F[n, d] = median("thru.fuse" n "." d)
			D[n, d] = median("thru.direct" n "." d)
			L[n, d] = median("thru.floor" n "." d)
			ok = target("thru_" n "ch_" d, "throughput, " n " channel" (n > 1 ? "s" : "") ", " DIRNAME[d],
				F[n, d], D[n, d], div(F[n, d], D[n, d]), 0.8, div(F[n, d], D[n, d]) >= 0.8, "B/s")
			if (!ok)
				thru_ok = 0
		}
		CPUS[NC[i]] = median("cpu.stream" NC[i])
	}
	# what fuse-vpe adds to any FUSE daemon: its share of the floor
	for (i = 1; i <= 2; i++) {
		n = NC[i]
		ok = target("thru_floor_" n "ch", "throughput, " n " channel" (n > 1 ? "s" : "") ", remote → Linux, against the floor",
			F[n, "rx"], L[n, "rx"], div(F[n, "rx"], L[n, "rx"]), 0.9, div(F[n, "rx"], L[n, "rx"]) >= 0.9, "B/s")
		if (!ok)
			thru_ok = 0
	}
	thru_rounds = count("thru.fuse1.tx")

	# ---- 3. loads -----------------------------------------------------------
	nsizes = split("256k 2m 16m 64m", SZ, " ")
	SZNAME["256k"] = "256 KiB"; SZNAME["2m"] = "2 MiB"; SZNAME["16m"] = "16 MiB"; SZNAME["64m"] = "64 MiB"
	for (i = 1; i <= nsizes; i++) {
		s = SZ[i]
		LF[s] = median("load." s ".fuse")
		LD[s] = median("load." s ".direct")
		LX[s] = median("load." s ".floor")
		LC[s] = num("load." s ".convert")
		LB[s] = num("load." s ".bytes")
	}
	load_reps = count("load.16m.fuse")
	LLIM["16m"] = 1.2; LLIM["64m"] = 1.3
	load_ratio = div(LF["16m"], LD["16m"])
	load_ok = target("load_16m", "firmware load, 16 MiB", LF["16m"], LD["16m"], load_ratio,
		LLIM["16m"], load_ratio <= LLIM["16m"], "ns")
	load64_ratio = div(LF["64m"], LD["64m"])
	load64_ok = target("load_64m", "firmware load, 64 MiB", LF["64m"], LD["64m"], load64_ratio,
		LLIM["64m"], load64_ratio <= LLIM["64m"], "ns")

	# ---- 4. footprint -----------------------------------------------------------
	rss_idle = num("mem.idle_kb")
	rss_open = num("mem.open8_kb")
	rss_after = num("mem.after_channels_kb")
	rss_before64 = num("mem.before_load64_kb")
	rss_after64 = num("mem.after_load64_kb")
	rss_fresh = num("mem.fresh_kb")
	hwm = num("mem.hwm_kb")
	f_idle = num("floor.mem.idle_kb")
	f_open = num("floor.mem.open8_kb")
	f_after = num("floor.mem.after_channels_kb")
	cpu_idle = num("cpu.idle.pct")
	cpu_idle_run = num("cpu.idle.run_pct")
	f_cpu_idle = num("floor.cpu.idle.pct")
	cpu_reader = num("cpu.reader.pct")
	cpu_reader_run = num("cpu.reader.run_pct")
	cpu_secs = num("cpu.idle.seconds")
	target("rss_idle", "RSS idle, program running", rss_idle * 1024, f_idle * 1024,
		div(rss_idle, f_idle), 4096, rss_idle <= 4096, "B")
	target("rss_open8", "RSS with all 8 channels open", rss_open * 1024, f_open * 1024,
		div(rss_open, f_open), 8192, rss_open <= 8192, "B")
	target("rss_idle_after_channels", "RSS idle after the channel benchmarks", rss_after * 1024,
		f_after * 1024, div(rss_after, f_after), 4096, rss_after <= 4096, "B")
	rss64_ok = target("rss_after_load64", "RSS idle after 64 MiB loads (staging returned)",
		rss_after64 * 1024, rss_idle * 1024, div(rss_after64, rss_idle), 4096, rss_after64 <= 4096, "B")
	cpu_ok = target("cpu_idle", "daemon CPU, idle with a program running", cpu_idle, f_cpu_idle,
		"", 1, cpu_idle <= 1, "%")

	if (bad)
		exit 1

	# ---- performance.md -----------------------------------------------------------
	p("# Performance: what the FUSE detour costs")
	p("")
	p("Generated by `make bench` (`bench/run`, see `bench/README.md`); do not edit,")
	p("run it again. Every figure was measured side by side with its baseline in")
	p("the same run, the two interleaved, and is judged as a ratio to that")
	p("baseline, so the verdicts hold on any machine; the absolute numbers are")
	p("this machine's. Raw data: `performance.json` (and, after a run, the samples")
	p("in `build/bench/results/`).")
	if (quick) {
		p("")
		p("**This is a smoke run (`BENCH_QUICK=1`): too few repetitions to quote.**")
	}
	p("")
	p("## Machine")
	p("")
	p("| | |")
	p("|---|---|")
	p("| CPU | " str("machine.cpu") ", " str("machine.nproc") " cores (nproc) |")
	p("| memory | " str("machine.mem_mib") " MiB |")
	p("| system | " str("machine.os") ", " str("machine.kernel") " |")
	p("| remote | QEMU " str("machine.qemu") ", Malta 34Kf under TCG (the simulator) |")
	p("| libfuse | " str("machine.libfuse") " |")
	p("| daemon | `fuse-vpe " str("run.daemon_opts") "` (started by `with-sim`) |")
	p("| run | " str("run.date") ", " str("run.seconds") " s; load average " \
		str("run.loadavg_start") " at the start, " str("run.loadavg_end") " at the end |")
	p("")
	p("## Summary")
	p("")
	p("| figure | fuse-vpe | baseline (same run) | ratio | target | |")
	p("|---|---:|---:|---:|---|---|")
	for (i = 1; i <= T; i++) {
		if (TUNIT[i] == "ns" && TID[i] ~ /^rtt/)
			line = us(TVAL[i]) " µs | " us(TBASE[i]) " µs (FUSE floor)"
		else if (TUNIT[i] == "ns")
			line = ms(TVAL[i]) " ms | " ms(TBASE[i]) " ms (direct sysfs)"
		else if (TUNIT[i] == "B/s" && TID[i] ~ /^thru_floor/)
			line = mbs(TVAL[i]) " MB/s | " mbs(TBASE[i]) " MB/s (FUSE floor)"
		else if (TUNIT[i] == "B/s")
			line = mbs(TVAL[i]) " MB/s | " mbs(TBASE[i]) " MB/s (direct window)"
		else if (TID[i] == "rss_after_load64")
			line = mib(TVAL[i] / 1024) " MiB | " mib(TBASE[i] / 1024) " MiB (idle before any load)"
		else if (TUNIT[i] == "B")
			line = mib(TVAL[i] / 1024) " MiB | " mib(TBASE[i] / 1024) " MiB (FUSE floor daemon)"
		else
			line = sprintf("%.2f %%", TVAL[i]) " | " sprintf("%.2f %%", TBASE[i]) " (FUSE floor daemon)"
		if (TUNIT[i] == "B/s")
			lim = "≥ " pct(TLIM[i]) (TID[i] ~ /^thru_floor/ ? " of floor" : " of direct")
		else if (TUNIT[i] == "ns" && TID[i] ~ /^rtt/)
			lim = "≤ " TLIM[i] "× floor"
		else if (TUNIT[i] == "ns")
			lim = "≤ " TLIM[i] "× direct"
		else if (TUNIT[i] == "B")
			lim = "≤ " TLIM[i] / 1024 " MiB"
		else
			lim = "≤ " TLIM[i] " %"
		if (TRATIO[i] == "")
			r = "—"
		else if (TUNIT[i] == "B/s")
			r = pct(TRATIO[i])
		else
			r = x(TRATIO[i])
		p("| " TFIG[i] " | " line " | " r " | " lim " | " mark(TOK[i]) " |")
	}
	p("")
	p(missed ? missed " of " T " targets missed: see [Missed targets](#missed-targets-why-and-what-it-would-take)." : \
		"All " T " targets met.")
	p("")
	p("## Method")
	p("")
	p("Everything runs inside one `compat-tests/sim/with-sim`: the simulated")
	p("remoteproc instance, the remote (the fixtures under QEMU, RAM in a shared")
	p("file) and fuse-vpe, the daemon under test, exactly as the migration suite")
	p("runs them. The baselines, measured in the same run:")
	p("")
	p("- **direct window** (`bench/direct`): the same firmware's RTLX rings reached by")
	p("  mapping the remote's RAM file and following `vpe_shared`, the protocol of")
	p("  the legacy kernel's `rtlx.c`, one polling thread: what an in-kernel driver")
	p("  pays, without a system call.")
	p("- **FUSE floor** (`bench/floorfs`): a libfuse 3 low-level file system whose")
	p("  `echo` file answers a write and a 1-byte read at once (and `bulkN` a read of")
	p("  any size), mounted and served as fuse-vpe is (same options, `direct_io`,")
	p("  the multithreaded loop configured as fuse-vpe's `serve()`): the cost of the")
	p("  FUSE round trip itself. While it is measured, `bench/direct keepalive`")
	p("  puts a byte every 0.5 ms on channel 7, so the firmware stays awake and its")
	p("  QEMU vCPU takes a host core, as during the measurements through the")
	p("  firmware; left asleep, it would give the floor a core more (measured here")
	p("  during development: the floor's round trip about 2× slower that way, its")
	p("  wake-ups crossing CPUs).")
	p("- **direct sysfs** (firmware load): the pre-converted image (`vpe-fwconvert`,")
	p("  not timed) copied into the firmware directory, then `firmware` and")
	p("  `state` = `start` written, from the same stopped state.")
	p("")
	p("1. Round trip: `bench/rtt` writes 1 byte (`#`, not a letter: channel 0 of the")
	p("   echo firmware inverts letters) and reads the echo, timing each round trip")
	p("   with `CLOCK_MONOTONIC`; the same through the window and through the floor.")
	p("   " RN["fuse"] " round trips per path, in " (RN["fuse"] / num("rtt.block")) \
		" blocks of " num("rtt.block") " interleaved path by path, each")
	p("   after " num("rtt.warm") " unmeasured round trips (the firmware spins while it is busy")
	p("   and sleeps on a 1 ms timer after 2 ms without traffic). Percentiles are")
	p("   nearest-rank over all samples of a path.")
	p("2. Throughput: `bench/thru` streams through one fd per channel, a writer")
	p("   thread and a reader thread, in `write()`s and `read()`s of at most 2048")
	p("   bytes (the rings' size), every byte of the echo checked; `bench/direct")
	p("   stream` does the same on the rings with one polling thread. Both")
	p("   directions stream at once (the echo couples them); each direction's rate")
	p("   is the bytes that crossed it during the measured " str("thru.seconds") " s, after")
	p("   " str("thru.warm") " s of warm-up. " thru_rounds " rounds, path after path; medians (and")
	p("   min–max) of the rounds. Channel 1, and channels 0–7 at once.")
	p("3. Firmware load: `cat IMAGE > /dev/vpe1` timed by `bench/timeit` from fork")
	p("   to exit (the close returns once remoteproc reports `running`), against the")
	p("   direct sysfs path, " load_reps " times each, alternating which goes first, the")
	p("   remote stopped through sysfs before each; medians. Images: the `large`")
	p("   fixture with 256 KiB, 2 MiB, 16 MiB and 64 MiB of data; the daemon runs")
	p("   with `--max-image 128M` for the 64 MiB one. Each size's last load is")
	p("   checked: the program runs and its checksum of its data is right.")
	p("4. Footprint: VmRSS of the fuse-vpe process idle (echo program running, no")
	p("   channel open), with all 8 channels held open, idle again after the")
	p("   channel benchmarks, and after the loads (the last one 64 MiB); the")
	p("   floor daemon measured the same way is the baseline. CPU: utime + stime")
	p("   from `/proc/PID/stat` over " cpu_secs " s, as a share of one core (the")
	p("   threads' run time from `schedstat` as a finer cross-check).")
	p("")

	# ---- tables --------------------------------------------------------------
	p("## 1. Channel round trip (1 byte, channel 0)")
	p("")
	p("| path | median | p90 | p99 | p99.9 | max | round trips | median ÷ floor | p99 ÷ floor |")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	NAME["fuse"] = "fuse-vpe `/dev/rtlx0`"
	NAME["floor"] = "FUSE floor (baseline)"
	NAME["direct"] = "direct window"
	for (i = 1; i <= 3; i++) {
		m = M[i]
		p("| " NAME[m] " | " us(R50[m]) " µs | " us(R90[m]) " µs | " us(R99[m]) " µs | " \
			us(R999[m]) " µs | " us(RMAX[m]) " µs | " RN[m] " | " x(div(R50[m], R50["floor"])) \
			" | " x(div(R99[m], R99["floor"])) " |")
	}
	p("")
	p("| target | fuse-vpe | FUSE floor | ratio | limit | |")
	p("|---|---:|---:|---:|---|---|")
	p("| median | " us(R50["fuse"]) " µs | " us(R50["floor"]) " µs | " x(rtt_med_ratio) " | ≤ 1.3× | " mark(rtt_med_ok) " |")
	p("| p99 | " us(R99["fuse"]) " µs | " us(R99["floor"]) " µs | " x(rtt_p99_ratio) " | ≤ 3× | " mark(rtt_p99_ok) " |")
	p("")
	p("![round-trip histogram](performance-rtt.png)")
	p("")
	p("In the same run: what fuse-vpe adds to the FUSE floor, median " \
		us(R50["fuse"] - R50["floor"]) " µs per round trip; what the whole FUSE detour costs")
	p("against the direct window, median " us(R50["fuse"] - R50["direct"]) " µs (" \
		x(div(R50["fuse"], R50["direct"])) ").")
	p("")

	p("## 2. Channel throughput (both directions at once)")
	p("")
	p("| channels | direction | fuse-vpe, MB/s | direct window (baseline), MB/s | ratio | target | |")
	p("|---|---|---:|---:|---:|---|---|")
	for (i = 1; i <= 2; i++)
		for (j = 1; j <= 2; j++) {
			n = NC[i]; d = DIR[j]
			p("| " n " | " DIRNAME[d] " | " mbs(F[n, d]) " (" mbs(lo("thru.fuse" n "." d)) "–" \
				mbs(hi("thru.fuse" n "." d)) ") | " mbs(D[n, d]) " (" mbs(lo("thru.direct" n "." d)) \
				"–" mbs(hi("thru.direct" n "." d)) ") | " pct(div(F[n, d], D[n, d])) " | ≥ 80 % | " \
				mark(div(F[n, d], D[n, d]) >= 0.8) " |")
		}
	p("")
	p("Medians of " thru_rounds " rounds (min–max in brackets); MB = 10⁶ bytes. Against")
	p("the FUSE floor in the same rounds (what any FUSE daemon gets with these requests):")
	p("")
	p("| channels | FUSE floor, 2048-byte requests, MB/s (either way) | floor ÷ direct | fuse-vpe ÷ floor | target | | bytes per read, fuse-vpe / floor | fuse-vpe CPU while streaming |")
	p("|---|---:|---:|---:|---|---|---:|---:|")
	for (i = 1; i <= 2; i++) {
		n = NC[i]
		p("| " n " | " mbs(L[n, "rx"]) " | " pct(div(L[n, "rx"], D[n, "rx"])) " | " \
			pct(div(F[n, "rx"], L[n, "rx"])) " | ≥ 90 % | " mark(div(F[n, "rx"], L[n, "rx"]) >= 0.9) \
			" | " sprintf("%.0f / %.0f", median("thru.fuse" n ".rxcall"), median("thru.floor" n ".rxcall")) \
			" | " sprintf("%.0f %%", CPUS[n]) " of a core |")
	}
	p("")

	p("## 3. Firmware load (to `running`)")
	p("")
	p("| image | bytes | `cat > /dev/vpe1` | direct sysfs (baseline) | ratio | target | |")
	p("|---|---:|---:|---:|---:|---|---|")
	for (i = 1; i <= nsizes; i++) {
		s = SZ[i]
		p("| `large` " SZNAME[s] " | " LB[s] " | " ms(LF[s]) " ms (" ms(lo("load." s ".fuse")) "–" \
			ms(hi("load." s ".fuse")) ") | " ms(LD[s]) " ms (" ms(lo("load." s ".direct")) "–" \
			ms(hi("load." s ".direct")) ") | " x(div(LF[s], LD[s])) " | " \
			(s in LLIM ? "≤ " LLIM[s] "× | " mark(div(LF[s], LD[s]) <= LLIM[s]) : "— | ") " |")
	}
	p("")
	p("Medians of " load_reps " loads each (min–max). Where the difference goes, in the")
	p("same run: the same bytes written with `cat` into the FUSE floor (the transfer")
	p("through FUSE alone, median), and, for scale, `vpe-fwconvert` converting the")
	p("image from file to file (timed once: it reads the image, converts it and")
	p("writes a new file, about what `cp` costs). The daemon does not do that work:")
	p("the writes go into an unnamed file in the firmware directory, where the")
	p("executable's segments stay; the load writes the new ELF header and appends")
	p("the tables (kilobytes), renames the file over the firmware and closes the")
	p("replaced one after answering. Its own work per load was under a")
	p("millisecond when timed inside the daemon (`bench/notes.md`, L); what")
	p("remains is the transfer through FUSE.")
	p("")
	p("| image | fuse-vpe − direct | `cat` into the FUSE floor | `vpe-fwconvert` |")
	p("|---|---:|---:|---:|")
	for (i = 1; i <= nsizes; i++) {
		s = SZ[i]
		p("| " SZNAME[s] " | " ms(LF[s] - LD[s]) " ms | " ms(LX[s]) " ms | " ms(LC[s]) " ms |")
	}
	p("")

	p("## 4. Footprint")
	p("")
	p("| figure | fuse-vpe | baseline (same run) | ratio | target | |")
	p("|---|---:|---:|---:|---|---|")
	p("| RSS at start, nothing loaded | " mib(rss_fresh) " MiB | — | — | — | |")
	p("| RSS idle, program running | " mib(rss_idle) " MiB | " mib(f_idle) " MiB (floor daemon) | " \
		x(div(rss_idle, f_idle)) " | ≤ 4 MiB | " mark(rss_idle <= 4096) " |")
	p("| RSS, all 8 channels open | " mib(rss_open) " MiB | " mib(f_open) " MiB (floor, 8 files open) | " \
		x(div(rss_open, f_open)) " | ≤ 8 MiB | " mark(rss_open <= 8192) " |")
	p("| RSS idle after the channel benchmarks | " mib(rss_after) " MiB | " mib(f_after) " MiB (floor, after the same) | " \
		x(div(rss_after, f_after)) " | ≤ 4 MiB | " mark(rss_after <= 4096) " |")
	p("| RSS idle before the 64 MiB loads (after the smaller ones) | " mib(rss_before64) " MiB | " \
		mib(rss_idle) " MiB (idle before any load) | " x(div(rss_before64, rss_idle)) " | ≤ 4 MiB | " \
		mark(rss_before64 <= 4096) " |")
	p("| RSS idle after the 64 MiB loads (staging returned?) | " mib(rss_after64) " MiB | " \
		mib(rss_idle) " MiB (idle before any load) | " x(div(rss_after64, rss_idle)) " | ≤ 4 MiB | " \
		mark(rss64_ok) " |")
	p("| peak RSS (VmHWM, during a 64 MiB load) | " mib(hwm) " MiB | " sprintf("%.0f", LB["64m"] / 1048576) \
		" MiB image | " x(div(hwm * 1024, LB["64m"])) " | — | |")
	p("| CPU, idle " cpu_secs " s with a program running | " sprintf("%.2f %%", cpu_idle) " (run time " \
		sprintf("%.3f %%", cpu_idle_run) ") | " sprintf("%.2f %%", f_cpu_idle) " (floor daemon) | — | ≤ 1 % | " \
		mark(cpu_ok) " |")
	p("| CPU, one reader blocked on an idle channel, " cpu_secs " s | " sprintf("%.2f %%", cpu_reader) \
		" (run time " sprintf("%.3f %%", cpu_reader_run) ") | — | — | — | |")
	p("")
	p("Threads: " num("mem.idle_threads") " idle, " num("mem.open8_threads") " with 8 channels open, " \
		num("mem.after_channels_threads") " after the channel benchmarks (libfuse keeps up to 4 idle workers).")
	p("")

	# ---- 5. the legacy driver, in a real MIPS Linux ----------------------------
	p("## 5. In a real MIPS Linux: the legacy RTLX driver beside vpe-compat")
	p("")
	if (!has("fullsys.rtt.legacy.p50")) {
		p("Not measured in this run (`bench/fullsys` did not run or failed).")
		p("")
	} else {
		FL50 = num("fullsys.rtt.legacy.p50"); FV50 = num("fullsys.rtt.vpe.p50")
		FL99 = num("fullsys.rtt.legacy.p99"); FV99 = num("fullsys.rtt.vpe.p99")
		p("QEMU Malta, 34Kf, kernel " str("fullsys.kernel") " (uniprocessor; single-threaded TCG,")
		p("so the guest's two VPEs share one host core): the kernel's own legacy loader")
		p("starts the bell program on VPE1; the legacy RTLX driver serves its")
		p("channels 1 and 3, fuse-vpe (through `vpe_compat.ko`'s window over the same")
		p("memory) its channels 2 and 4, one after the other, in the same boot.")
		p("The program rings Linux's doorbell, which wakes the legacy driver; the")
		p("legacy driver holds that interrupt, so fuse-vpe polls (its way on SMP")
		p("kernels; on a uniprocessor board it has the doorbell). Absolute numbers")
		p("are TCG's, not a 34K's: the ratios are what carries over.")
		p("")
		p("| figure | legacy `/dev/rtlxN` | vpe-compat | vpe-compat ÷ legacy |")
		p("|---|---:|---:|---:|")
		p("| round trip, median (" num("fullsys.rtt.legacy.n") " each) | " us(FL50) " µs | " us(FV50) " µs | " x(div(FV50, FL50)) " |")
		p("| round trip, p99 | " us(FL99) " µs | " us(FV99) " µs | " x(div(FV99, FL99)) " |")
		for (j = 1; j <= 2; j++) {
			d = DIR[j]
			a = median("fullsys.thru.legacy." d); b = median("fullsys.thru.vpe." d)
			p("| throughput, 1 channel, " DIRNAME[d] " (median of " count("fullsys.thru.vpe." d) \
				") | " mbs(a) " MB/s | " mbs(b) " MB/s | " pct(div(b, a)) " |")
		}
		p("")
	}

	# ---- why -------------------------------------------------------------------
	if (missed) {
		p("## Missed targets: why and what it would take")
		p("")
	}
	if (!rtt_med_ok || !rtt_p99_ok) {
		p("### Round trip")
		p("")
		p("Every `read()` and `write()` on `/dev/rtlxN` runs `rtlx_note_user()` (fs.c),")
		p("which calls `warn_deprecated()` (warn.c) to decide whether the process still")
		p("owes its once-per-process deprecation line. To know, it reads")
		p("`/proc/TID/status` (the thread group) and `/proc/PID/stat` (the start time)")
		p("on every request, also the millionth one. Measured in this run")
		p("(`bench/proccost`): " us(proccost) " µs per check, two requests per round trip:")
		p(us(2 * proccost) " µs, against a gap of " us(R50["fuse"] - R50["floor"]) \
			" µs between fuse-vpe and the floor at the median.")
		p("")
		if (!rtt_p99_ok) {
			p("The p99 (" us(R99["fuse"]) " µs against the floor's " us(R99["floor"]) " µs) carries the same two")
			p("`/proc` reads per round trip, and their spread; without them the p99")
			p("measured 1.2–2.1× the floor's (below).")
			p("")
		}
		p("What it would take: ask `/proc` once per caller, not per request: remember per")
		p("channel the thread ids already checked since it was opened (a few: legacy")
		p("programs read and write one fd from two threads) and skip the check for")
		p("them (the loader does the like for `/dev/vpe1`: `note_user()` in vpe.c).")
		p("Measured with that change (T), below.")
		p("")
	}
	if (!thru_ok) {
		p("### Throughput")
		p("")
		p("The rings are " "2048 bytes per direction (the firmware's `buffer_size`), so a")
		p("request moves at most 2047 bytes, and a legacy write returns short when the")
		p("ring is full: the stream is a sequence of small requests, each a FUSE round")
		p("trip. Two limits show in the same run:")
		p("")
		p("- The FUSE floor itself, answering 2048-byte requests at once with no ring")
		p("  behind it, reaches " pct(div(L[1, "rx"], D[1, "rx"])) " (1 channel) and " \
			pct(div(L[8, "rx"], D[8, "rx"])) " (8 channels) of the direct")
		p("  window's rate. " ((div(L[1, "rx"], D[1, "rx"]) < 0.8 || div(L[8, "rx"], D[8, "rx"]) < 0.8) ? \
			"Where that is below 80 %, no FUSE daemon can meet the target with rings this size." : \
			"The target is within FUSE's reach, not within fuse-vpe's today."))
		p("- fuse-vpe reaches " pct(div(F[1, "rx"], L[1, "rx"])) " (1 channel) and " \
			pct(div(F[8, "rx"], L[8, "rx"])) " (8 channels) of that floor, with requests as")
		p("  large as the floor's (" sprintf("%.0f", median("thru.fuse8.rxcall")) " against " \
			sprintf("%.0f", median("thru.floor8.rxcall")) " bytes per read on 8 channels): what differs is")
		p("  what a request costs. The echo firmware moves a whole ring at a time, so")
		p("  each channel runs in lock-step and most requests find the ring full (write)")
		p("  or empty (read). Such a request is parked and")
		p("  answered by the event thread, which polls the rings: it spins briefly after")
		p("  every event, then sleeps from 20 µs doubling up to 10 ms (chan.c,")
		p("  `CHAN_SPIN_ROUNDS`, `CHAN_MIN_SLEEP_NS`). With " str("machine.nproc") " cores shared with QEMU's")
		p("  vCPU, which does the echoing, the waiting and the polling compete with the very threads")
		p("  they wait for (the program's reader and writer and the FUSE workers): the")
		p("  daemon used " sprintf("%.0f %%", CPUS[1]) " (1 channel) and " sprintf("%.0f %%", CPUS[8]) \
			" (8 channels) of a core while streaming." \
			(rtt_med_ok ? "" : " On top comes the per-request `/proc` check of the round-trip section."))
		p("")
		p("What it would take: " (rtt_med_ok ? "" : "first the per-request `/proc` check gone; then ") \
			"a doorbell instead of polling: with `vpe_compat.ko` (a board) fuse-vpe already")
		p("sleeps in `ppoll()` on the remote's interrupt and wakes when the remote moves an")
		p("index, but the simulator's remote (QEMU) cannot ring one, so this run polls; and, for")
		p("the last factor, fewer crossings per byte: bigger rings in the firmware (a")
		p("legacy image has the size it has) or an in-kernel channel driver (the")
		p("direct-window baseline is that). The measurements of these changes are below.")
		p("")
	}
	if (!load_ok || !load64_ok) {
		p("### Firmware load")
		p("")
		p("fuse-vpe took " ms(LF["16m"] - LD["16m"]) " ms more than the direct path for 16 MiB and")
		p(ms(LF["64m"] - LD["64m"]) " ms more for 64 MiB. In the same run, the same bytes written into")
		p("the FUSE floor took " ms(LX["16m"]) " and " ms(LX["64m"]) " ms (`cat` writes 128 KiB at a time,")
		p("one FUSE request each, copied into the daemon and from there into the")
		p("staging file). The daemon's own work per load (converting the headers,")
		p("appending the tables, renaming) was under a millisecond when timed inside")
		p("the daemon (`bench/notes.md`, L), so the rest is the")
		p("simulator's start, which varies by ±50 % from load to load (see the")
		p("min–max): a run on a busy machine can miss by that alone. What it would")
		p("take beyond that: the writes spliced from `/dev/fuse` into the staging")
		p("file (libfuse's `write_buf` with `FUSE_CAP_SPLICE_READ`), which saves the")
		p("copy through the daemon's buffer.")
		p("")
	}
	if (!rss64_ok || rss_before64 > 4096) {
		p("### Memory after a load")
		p("")
		p("After the 2 MiB and 16 MiB loads the idle daemon kept " mib(rss_before64) " MiB, after")
		p("the 64 MiB ones " mib(rss_after64) " MiB (idle before any load: " mib(rss_idle) " MiB). The")
		p("image is staged in a file in the firmware directory, not in the daemon, but")
		p("the conversion's tables (and an ET_REL's relocated output) come from malloc.")
		p("What it would take: a lower fixed threshold (`mallopt(M_MMAP_THRESHOLD)` at")
		p("start) or `malloc_trim(0)` after each load.")
		p("")
	}
	if (!cpu_ok) {
		p("### Idle CPU")
		p("")
		p("The daemon used " sprintf("%.2f %%", cpu_idle) " of a core with nothing waiting.")
		p("")
	}

	# ---- hand-written notes (measurements outside this run) -------------------------
	while ((getline line < notes) > 0)
		p(line)
	close(notes)
	close(md)

	# ---- performance.json -----------------------------------------------------------
	o = json
	printf "{\n" > o
	printf "  \"generated_by\": \"make bench (bench/run)\",\n" > o
	printf "  \"quick\": %s,\n", quick ? "true" : "false" > o
	printf "  \"machine\": {\"cpu\": %s, \"nproc\": %s, \"mem_mib\": %s, \"os\": %s, \"kernel\": %s, \"qemu\": %s, \"libfuse\": %s},\n", \
		jstr(str("machine.cpu")), num("machine.nproc"), num("machine.mem_mib"), jstr(str("machine.os")), \
		jstr(str("machine.kernel")), jstr(str("machine.qemu")), jstr(str("machine.libfuse")) > o
	printf "  \"run\": {\"date\": %s, \"seconds\": %s, \"daemon_opts\": %s, \"loadavg_start\": %s, \"loadavg_end\": %s},\n", \
		jstr(str("run.date")), jnum(num("run.seconds")), jstr(str("run.daemon_opts")), \
		jstr(str("run.loadavg_start")), jstr(str("run.loadavg_end")) > o
	printf "  \"round_trip_ns\": {\n" > o
	for (i = 1; i <= 3; i++) {
		m = M[i]
		printf "    \"%s\": {\"n\": %d, \"min\": %s, \"median\": %s, \"p90\": %s, \"p99\": %s, \"p999\": %s, \"max\": %s}%s\n", \
			m, RN[m], jnum(RMIN[m]), jnum(R50[m]), jnum(R90[m]), jnum(R99[m]), jnum(R999[m]), jnum(RMAX[m]), \
			(i < 3 ? "," : "") > o
	}
	printf "  },\n" > o
	printf "  \"proc_check_ns\": %s,\n", jnum(proccost) > o
	printf "  \"throughput_Bps\": {\n" > o
	split("fuse direct floor", P, " ")
	first = 1
	for (i = 1; i <= 2; i++)
		for (k = 1; k <= 3; k++) {
			n = NC[i]
			printf "%s    \"%s_%sch\": {\"tx_median\": %s, \"rx_median\": %s, \"tx_rounds\": [", \
				first ? "" : ",\n", P[k], n, jnum(median("thru." P[k] n ".tx")), \
				jnum(median("thru." P[k] n ".rx")) > o
			first = 0
			for (r = 1; has("thru." P[k] n ".tx.r" r); r++)
				printf "%s%s", (r > 1 ? ", " : ""), jnum(num("thru." P[k] n ".tx.r" r)) > o
			printf "], \"rx_rounds\": [" > o
			for (r = 1; has("thru." P[k] n ".rx.r" r); r++)
				printf "%s%s", (r > 1 ? ", " : ""), jnum(num("thru." P[k] n ".rx.r" r)) > o
			printf "]}" > o
		}
	printf "\n  },\n" > o
	printf "  \"daemon_cpu_streaming_pct\": {\"1ch\": %s, \"8ch\": %s},\n", jnum(CPUS[1]), jnum(CPUS[8]) > o
	printf "  \"load_ns\": {\n" > o
	for (i = 1; i <= nsizes; i++) {
		s = SZ[i]
		printf "    \"%s\": {\"bytes\": %d, \"fuse_median\": %s, \"direct_median\": %s, \"floor_transfer_median\": %s, \"convert\": %s, \"fuse\": [", \
			s, LB[s], jnum(LF[s]), jnum(LD[s]), jnum(LX[s]), jnum(LC[s]) > o
		for (r = 1; has("load." s ".fuse.r" r); r++)
			printf "%s%s", (r > 1 ? ", " : ""), jnum(num("load." s ".fuse.r" r)) > o
		printf "], \"direct\": [" > o
		for (r = 1; has("load." s ".direct.r" r); r++)
			printf "%s%s", (r > 1 ? ", " : ""), jnum(num("load." s ".direct.r" r)) > o
		printf "]}%s\n", (i < nsizes ? "," : "") > o
	}
	printf "  },\n" > o
	printf "  \"footprint\": {\"rss_kb\": {\"fresh\": %d, \"idle\": %d, \"open8\": %d, \"after_channels\": %d, \"before_load64\": %d, \"after_load64\": %d, \"hwm\": %d}, ", \
		rss_fresh, rss_idle, rss_open, rss_after, rss_before64, rss_after64, hwm > o
	printf "\"floor_rss_kb\": {\"idle\": %d, \"open8\": %d, \"after_channels\": %d}, ", f_idle, f_open, f_after > o
	printf "\"cpu_pct\": {\"idle\": %s, \"idle_runtime\": %s, \"floor_idle\": %s, \"blocked_reader\": %s, \"blocked_reader_runtime\": %s, \"seconds\": %s}},\n", \
		jnum(cpu_idle), jnum(cpu_idle_run), jnum(f_cpu_idle), jnum(cpu_reader), jnum(cpu_reader_run), jnum(cpu_secs) > o
	printf "  \"targets\": [\n" > o
	for (i = 1; i <= T; i++)
		printf "    {\"id\": %s, \"figure\": %s, \"value\": %s, \"baseline\": %s, \"ratio\": %s, \"limit\": %s, \"unit\": %s, \"met\": %s}%s\n", \
			jstr(TID[i]), jstr(TFIG[i]), jnum(TVAL[i]), jnum(TBASE[i]), \
			TRATIO[i] == "" ? "null" : jnum(TRATIO[i]), jnum(TLIM[i]), jstr(TUNIT[i]), \
			(TOK[i] ? "true" : "false"), (i < T ? "," : "") > o
	printf "  ],\n  \"targets_missed\": %d\n}\n", missed > o
	close(o)

	# ---- the plot's variables ---------------------------------------------------------
	printf "out = \"%s\"\n", plotout > plotvars
	printf "fuse = \"%s/hist-fuse.dat\"\nfloor = \"%s/hist-floor.dat\"\ndirect = \"%s/hist-direct.dat\"\n", \
		work, work, work > plotvars
	printf "tfuse = \"fuse-vpe /dev/rtlx0: median %s µs, p99 %s µs\"\n", us(R50["fuse"]), us(R99["fuse"]) > plotvars
	printf "tfloor = \"FUSE floor: median %s µs, p99 %s µs\"\n", us(R50["floor"]), us(R99["floor"]) > plotvars
	printf "tdirect = \"direct window: median %s µs, p99 %s µs\"\n", us(R50["direct"]), us(R99["direct"]) > plotvars
	printf "subtitle = \"%d round trips per path, %s, %s cores\"\n", RN["fuse"], str("run.date"), \
		str("machine.nproc") > plotvars
	close(plotvars)
}
