// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * thru: channel throughput through /dev/rtlxN, as a legacy program gets it:
 * per channel one fd (blocking open) and two threads, a writer streaming
 * the pattern in write()s of at most CHUNK bytes (short writes completed)
 * and a reader read()ing the echo in pieces of at most CHUNK bytes, every
 * byte checked. W seconds of warm-up, then S seconds measured, then the
 * writers stop and the echo is drained.
 *
 *   thru [-c LIST] [-s SEC] [-W SEC] [-m CHUNK] [-d PREFIX] [-x] [-t SEC]
 *
 * Defaults: channel 1, 2 s, 0.5 s, 2048 bytes, /dev/rtlx, 60 s in all.
 * -x: the files are no echo (floorfs's bulkN): do not check the data, and
 * stop reading when the writer stops.
 * Prints "stream channels=N seconds=S tx_bytes=B rx_bytes=B tx_Bps=R rx_Bps=R"
 * (the same line as direct(1)'s stream), then "tx_per_call=B rx_per_call=B":
 * the bytes an average write or read moved.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define NCHAN 8

const char *prog = "thru";

struct chan {
	int nr, fd;
	_Atomic uint64_t tx, rx;
	_Atomic uint64_t tx_calls, rx_calls;	/* that moved bytes */
	_Atomic int writer_done, reader_done;
	pthread_t tw, tr;
};

static struct chan chans[NCHAN];
static size_t chunk = 2048;
static _Atomic int stop;
static int check = 1;

static void usage(void)
{
	fprintf(stderr, "usage: thru [-c LIST] [-s SEC] [-W SEC] [-m CHUNK] [-d PREFIX] [-x] [-t SEC]\n");
	exit(2);
}

static unsigned int parse_list(const char *s)
{
	unsigned int mask = parse_channels(s, NCHAN);

	if (!mask)
		usage();
	return mask;
}

static void *writer(void *arg)
{
	struct chan *c = arg;
	unsigned char *src = malloc(chunk + 64);
	uint64_t off = 0;

	if (!src)
		die("out of memory");
	pattern_fill(src, 0, chunk + 64);
	while (!atomic_load(&stop)) {
		ssize_t n = write(c->fd, src + off % 37, chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("channel %d: write: %s", c->nr, n < 0 ? strerror(errno) : "0");
		off += (uint64_t)n;
		atomic_store(&c->tx, off);
		atomic_fetch_add(&c->tx_calls, 1);
	}
	atomic_store(&c->writer_done, 1);
	free(src);
	return NULL;
}

/* a 0-byte read is no end of file: legacy RTLX returns 0 on a signal */
static void *reader(void *arg)
{
	struct chan *c = arg;
	unsigned char *dst = malloc(chunk);
	uint64_t off = 0;

	if (!dst)
		die("out of memory");
	while (!atomic_load(&c->writer_done) ||
	       (check && off < atomic_load(&c->tx))) {
		ssize_t n = read(c->fd, dst, chunk);

		if (n < 0 && errno != EINTR)
			die("channel %d: read: %s", c->nr, strerror(errno));
		if (n <= 0)
			continue;
		if (check && !pattern_check(dst, off, (size_t)n))
			die("channel %d: wrong data near stream offset %llu", c->nr,
			    (unsigned long long)off);
		off += (uint64_t)n;
		atomic_store(&c->rx, off);
		atomic_fetch_add(&c->rx_calls, 1);
	}
	atomic_store(&c->reader_done, 1);
	free(dst);
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

struct totals {
	uint64_t tx, rx, tx_calls, rx_calls;
};

static void totals(unsigned int mask, struct totals *t)
{
	int ch;

	memset(t, 0, sizeof(*t));
	for (ch = 0; ch < NCHAN; ch++) {
		if (!(mask & (1u << ch)))
			continue;
		t->tx += atomic_load(&chans[ch].tx);
		t->rx += atomic_load(&chans[ch].rx);
		t->tx_calls += atomic_load(&chans[ch].tx_calls);
		t->rx_calls += atomic_load(&chans[ch].rx_calls);
	}
}

/* bytes per call that moved some: how many crossings a stream costs */
static double per_call(uint64_t bytes, uint64_t calls)
{
	return calls ? (double)bytes / (double)calls : 0;
}

int main(int argc, char **argv)
{
	const char *prefix = "/dev/rtlx", *list = "1";
	double secs = 2, warm = 0.5, timeout = 60;
	struct sigaction sa;
	struct totals a, b;
	unsigned int mask;
	int64_t t1, t2, drain_end;
	int c, ch, nch = 0, left;

	while ((c = getopt(argc, argv, "c:s:W:m:d:xt:")) != -1) {
		switch (c) {
		case 'c': list = optarg; break;
		case 's': secs = parse_seconds(optarg); break;
		case 'W': warm = parse_seconds(optarg); break;
		case 'm': chunk = parse_size(optarg); break;
		case 'd': prefix = optarg; break;
		case 'x': check = 0; break;
		case 't': timeout = parse_seconds(optarg); break;
		default: usage();
		}
	}
	if (optind != argc || !chunk || secs <= 0)
		usage();
	mask = parse_list(list);
	signal(SIGALRM, SIG_DFL);
	alarm((unsigned int)timeout + 1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: wakes a blocked read */
	sigaction(SIGUSR1, &sa, NULL);

	for (ch = 0; ch < NCHAN; ch++) {
		char path[256];

		if (!(mask & (1u << ch)))
			continue;
		snprintf(path, sizeof(path), "%s%d", prefix, ch);
		chans[ch].nr = ch;
		chans[ch].fd = open(path, O_RDWR);
		if (chans[ch].fd < 0)
			die("%s: %s", path, strerror(errno));
		nch++;
	}
	for (ch = 0; ch < NCHAN; ch++) {
		if (!(mask & (1u << ch)))
			continue;
		if (pthread_create(&chans[ch].tr, NULL, reader, &chans[ch]) ||
		    pthread_create(&chans[ch].tw, NULL, writer, &chans[ch]))
			die("pthread_create failed");
	}
	sleep_s(warm);
	t1 = now_ns();
	totals(mask, &a);
	sleep_s(secs);
	t2 = now_ns();
	totals(mask, &b);
	atomic_store(&stop, 1);

	/* drain: a reader that has everything may sit in a read(): wake it */
	drain_end = now_ns() + 5000000000LL;
	for (ch = 0; ch < NCHAN; ch++)
		if (mask & (1u << ch))
			pthread_join(chans[ch].tw, NULL);
	do {
		left = 0;
		for (ch = 0; ch < NCHAN; ch++) {
			if (!(mask & (1u << ch)) || atomic_load(&chans[ch].reader_done))
				continue;
			left++;
			pthread_kill(chans[ch].tr, SIGUSR1);
		}
		if (left && now_ns() > drain_end)
			die("the echo did not drain within 5 s");
		if (left)
			sleep_s(0.01);
	} while (left);
	for (ch = 0; ch < NCHAN; ch++) {
		if (!(mask & (1u << ch)))
			continue;
		pthread_join(chans[ch].tr, NULL);
		close(chans[ch].fd);
	}
	printf("stream channels=%d seconds=%.3f tx_bytes=%llu rx_bytes=%llu tx_Bps=%.0f rx_Bps=%.0f tx_per_call=%.0f rx_per_call=%.0f\n",
	       nch, (t2 - t1) / 1e9, (unsigned long long)(b.tx - a.tx),
	       (unsigned long long)(b.rx - a.rx), (b.tx - a.tx) / ((t2 - t1) / 1e9),
	       (b.rx - a.rx) / ((t2 - t1) / 1e9),
	       per_call(b.tx - a.tx, b.tx_calls - a.tx_calls),
	       per_call(b.rx - a.rx, b.rx_calls - a.rx_calls));
	return 0;
}
