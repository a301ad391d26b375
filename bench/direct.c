// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * direct: the baseline "what an in-kernel driver would pay": the echo
 * firmware's rings reached by mapping the remote's memory directly (the
 * simulator's RAM file), no FUSE, no daemon. One thread, polling.
 *
 *   direct -r RAM -e ELF [-n N] [-w W] [-o FILE] [-c CH] [-t SEC] rtt
 *   direct -r RAM -e ELF [-c LIST] [-s SEC] [-W SEC] [-m CHUNK] [-t SEC] stream
 *
 * rtt: 1-byte round trips on channel CH (default 0), as rtt(1) does through
 * a file: put '#' in the Linux->remote ring, spin until the echo is in the
 * remote->Linux ring, take it; samples (ns) appended to FILE.
 *
 * stream: on every channel of LIST (default 1; e.g. 0-7) stream the pattern
 * both ways at once, in pieces of at most CHUNK bytes (default 2048), every
 * byte of the echo checked; W seconds of warm-up (default 0.5), then S
 * seconds measured (default 2), then the rings are drained. Prints
 * "stream channels=N seconds=S tx_bytes=B rx_bytes=B tx_Bps=R rx_Bps=R".
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "ring.h"

const char *prog = "direct";

static struct win win;
static struct chan chans[RING_CHANNELS];

static void usage(void)
{
	fprintf(stderr,
		"usage: direct -r RAM -e ELF [-n N] [-w W] [-o FILE] [-c CH] [-t SEC] rtt\n"
		"       direct -r RAM -e ELF [-c LIST] [-s SEC] [-W SEC] [-m CHUNK] [-t SEC] stream\n"
		"       direct -r RAM -e ELF [-c CH] [-s SEC] keepalive\n");
	exit(2);
}

static unsigned int parse_list(const char *s)
{
	unsigned int mask = parse_channels(s, RING_CHANNELS);

	if (!mask)
		usage();
	return mask;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void rtt(int ch, size_t n, size_t warm, const char *out)
{
	const struct chan *c = &chans[ch];
	const unsigned char byte = '#';
	int64_t *ns = malloc(n * sizeof(*ns));
	size_t i;

	if (!ns)
		die("out of memory");
	for (i = 0; i < warm + n; i++) {
		unsigned char got;
		int64_t t0 = now_ns();
		long r;

		if (ring_put(&win, &c->tx, &byte, 1) != 1)
			die("channel %d: the ring is full or broken", ch);
		while (!(r = ring_take(&win, &c->rx, &got, 1)))
			;
		if (r < 0)
			die("channel %d: ring index out of range", ch);
		if (i >= warm)
			ns[i - warm] = now_ns() - t0;
		if (got != byte)
			die("round trip %zu: sent 0x%02x, got 0x%02x", i, byte, got);
	}
	if (out)
		samples_append(out, ns, n);
	qsort(ns, n, sizeof(*ns), cmp_i64);
	printf("rtt n=%zu median_ns=%lld min_ns=%lld max_ns=%lld\n", n,
	       (long long)ns[n / 2], (long long)ns[0], (long long)ns[n - 1]);
	free(ns);
}

static void stream(unsigned int mask, double secs, double warm, size_t chunk)
{
	uint64_t tx[RING_CHANNELS] = { 0 }, rx[RING_CHANNELS] = { 0 };
	uint64_t tx1 = 0, rx1 = 0, tx2 = 0, rx2 = 0;
	unsigned char *src = malloc(chunk + 64), *dst = malloc(chunk);
	int64_t start = now_ns(), t1 = 0, t2 = 0, drain_end = 0;
	int phase = 0, nch = 0, ch;

	if (!src || !dst)
		die("out of memory");
	/* src + (off % 37) is the pattern at off, for any piece up to chunk */
	pattern_fill(src, 0, chunk + 64);
	for (ch = 0; ch < RING_CHANNELS; ch++) {
		if (!(mask & (1u << ch)))
			continue;
		nch++;
		if (ring_take(&win, &chans[ch].rx, dst, 1))
			die("channel %d: data from before the run in the ring", ch);
	}
	for (;;) {
		int64_t t = now_ns();
		int pending = 0;

		if (phase == 0 && t - start >= (int64_t)(warm * 1e9)) {
			phase = 1;
			t1 = t;
			for (ch = 0; ch < RING_CHANNELS; ch++)
				tx1 += tx[ch], rx1 += rx[ch];
		} else if (phase == 1 && t - t1 >= (int64_t)(secs * 1e9)) {
			phase = 2;
			t2 = t;
			for (ch = 0; ch < RING_CHANNELS; ch++)
				tx2 += tx[ch], rx2 += rx[ch];
			drain_end = t + 5000000000LL;
		}
		for (ch = 0; ch < RING_CHANNELS; ch++) {
			const struct chan *c = &chans[ch];
			long n;

			if (!(mask & (1u << ch)))
				continue;
			if (phase < 2) {
				n = ring_put(&win, &c->tx, src + tx[ch] % 37, chunk);
				if (n < 0)
					die("channel %d: ring index out of range", ch);
				tx[ch] += (uint64_t)n;
			}
			n = ring_take(&win, &c->rx, dst, chunk);
			if (n < 0)
				die("channel %d: ring index out of range", ch);
			if (!pattern_check(dst, rx[ch], (size_t)n))
				die("channel %d: wrong data near stream offset %llu", ch,
				    (unsigned long long)rx[ch]);
			rx[ch] += (uint64_t)n;
			pending += rx[ch] != tx[ch];
		}
		if (phase == 2 && !pending)
			break;
		if (phase == 2 && t > drain_end)
			die("the echo did not drain within 5 s");
	}
	printf("stream channels=%d seconds=%.3f tx_bytes=%llu rx_bytes=%llu tx_Bps=%.0f rx_Bps=%.0f\n",
	       nch, (t2 - t1) / 1e9, (unsigned long long)(tx2 - tx1),
	       (unsigned long long)(rx2 - rx1), (tx2 - tx1) / ((t2 - t1) / 1e9),
	       (rx2 - rx1) / ((t2 - t1) / 1e9));
	free(src);
	free(dst);
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* until SIGTERM or SEC; then the echo of every byte sent is taken back */
static void keepalive(int ch, double secs)
{
	const struct chan *c = &chans[ch];
	const struct timespec period = { 0, 500000 };
	int64_t end = now_ns() + (int64_t)(secs * 1e9), drain_end;
	unsigned char buf[64];
	uint64_t sent = 0, got = 0;
	struct sigaction sa;
	long n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop && now_ns() < end) {
		n = ring_put(&win, &c->tx, "#", 1);
		if (n < 0)
			die("channel %d: ring index out of range", ch);
		sent += (uint64_t)n;
		n = ring_take(&win, &c->rx, buf, sizeof(buf));
		if (n < 0)
			die("channel %d: ring index out of range", ch);
		got += (uint64_t)n;
		nanosleep(&period, NULL);
	}
	for (drain_end = now_ns() + 1000000000; got < sent; ) {
		n = ring_take(&win, &c->rx, buf, sizeof(buf));
		if (n < 0)
			die("channel %d: ring index out of range", ch);
		got += (uint64_t)n;
		if (now_ns() > drain_end)
			die("channel %d: the echo did not come back", ch);
	}
}

int main(int argc, char **argv)
{
	const char *ram = NULL, *elf = NULL, *out = NULL, *list = NULL, *err;
	size_t n = 20000, warm_rt = 1000, chunk = 2048;
	int secs_set = 0;
	double secs = 2, warm = 0.5, timeout = 60;
	int c;

	while ((c = getopt(argc, argv, "r:e:n:w:o:c:s:W:m:t:")) != -1) {
		switch (c) {
		case 'r': ram = optarg; break;
		case 'e': elf = optarg; break;
		case 'n': n = parse_size(optarg); break;
		case 'w': warm_rt = parse_size(optarg); break;
		case 'o': out = optarg; break;
		case 'c': list = optarg; break;
		case 's': secs = parse_seconds(optarg); secs_set = 1; break;
		case 'W': warm = parse_seconds(optarg); break;
		case 'm': chunk = parse_size(optarg); break;
		case 't': timeout = parse_seconds(optarg); break;
		default: usage();
		}
	}
	if (!ram || !elf || optind != argc - 1 || !n || !chunk || secs <= 0)
		usage();
	signal(SIGALRM, SIG_DFL);
	alarm((unsigned int)timeout + 1);
	err = ring_attach(ram, elf, &win, chans);
	if (err)
		die("%s: %s", ram, err);
	if (!strcmp(argv[optind], "rtt")) {
		unsigned int mask = parse_list(list ? list : "0");

		if (mask & (mask - 1))
			die("rtt: one channel");
		rtt(__builtin_ctz(mask), n, warm_rt, out);
	} else if (!strcmp(argv[optind], "keepalive")) {
		unsigned int mask = parse_list(list ? list : "7");

		if (mask & (mask - 1))
			die("keepalive: one channel");
		secs = secs_set ? secs : 60;
		alarm((unsigned int)secs + 5);
		keepalive(__builtin_ctz(mask), secs);
	} else if (!strcmp(argv[optind], "stream")) {
		stream(parse_list(list ? list : "1"), secs, warm, chunk);
	} else {
		usage();
	}
	return 0;
}
