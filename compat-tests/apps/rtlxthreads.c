// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlxthreads: one open file of /dev/rtlxN shared by two threads, as
 * threaded legacy programs did: a writer thread writes a deterministic
 * pseudo-random stream of N bytes (all 256 byte values, random write
 * sizes, blocking writes, short writes completed), a reader thread reads
 * the echo back with blocking reads and checks every byte.  Channel 0 of
 * the echo firmware inverts the case of ASCII letters, channels 1..7 echo
 * unchanged: the check applies the inversion on channel 0.
 *
 *   rtlxthreads [-c CHANNEL] [-n BYTES] [-s SEED] [-m MAXCHUNK] [-t SECONDS] [-d PREFIX]
 *
 * A 0-byte read is not end-of-file (legacy RTLX returns 0 on a signal or a
 * stopped SP): the reader pauses 1 ms and reads again, until the timeout.
 * Exit status: 0 every byte matched, 1 mismatch / error / timeout, 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rtlxapp.h"

#define PROG "rtlxthreads"
#define MAX_REPORTED 10

static const char *prefix = "/dev/rtlx";
static int channel = 1, fd;
static uint64_t total = 1 << 20, seed = 1;
static size_t maxchunk = 4096;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int done_threads, failed;
static uint64_t sent, received, mismatches, zero_reads;
static double t_end;

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: " PROG " [-c CHANNEL] [-n BYTES] [-s SEED] [-m MAXCHUNK] [-t SECONDS] [-d PREFIX]\n"
		"  a writer thread and a reader thread share one fd of /dev/rtlxCHANNEL: N pseudo-random\n"
		"  bytes go out, the echo comes back and every byte is checked\n"
		"  -c CHANNEL  0..7 (default 1; on 0 the expected echo has ASCII letters case-inverted)\n"
		"  -n BYTES    stream length, suffix K/M/G allowed (default 1M)\n"
		"  -s SEED     stream and chunk-size seed (default 1)\n"
		"  -m MAXCHUNK largest single read()/write() (default 4096)\n"
		"  -t SECONDS  give up after this long, open() included (default 30)\n"
		"  -d PREFIX   device name prefix (default /dev/rtlx)\n");
	exit(status);
}

/* xorshift64*: the stream (data) and the chunk sizes use separate states */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static uint64_t state0(uint64_t salt)
{
	return (seed ^ salt) * 0x9e3779b97f4a7c15ULL | 1;
}

static size_t chunk(uint64_t *s, uint64_t left)
{
	size_t n = 1 + (size_t)(next(s) % maxchunk);

	return n > left ? (size_t)left : n;
}

static void finish(int bad)
{
	pthread_mutex_lock(&lock);
	failed |= bad;
	done_threads++;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

static void *writer(void *arg)
{
	uint64_t data = state0(0x5752), sizes = state0(0x5753), off = 0;
	unsigned char *buf = malloc(maxchunk);
	int err = 1;

	(void)arg;
	if (!buf) {
		fprintf(stderr, PROG ": malloc: %s\n", strerror(errno));
		goto out;
	}
	while (off < total) {
		size_t n = chunk(&sizes, total - off), i, done = 0;

		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)(next(&data) >> 56);
		while (done < n) {	/* a short write is normal: write the rest */
			ssize_t w = write(fd, buf + done, n - done);

			if (w < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, PROG ": write at offset %" PRIu64 ": %s\n",
					off + done, strerror(errno));
				goto out;
			}
			done += (size_t)w;
			pthread_mutex_lock(&lock);
			sent += (uint64_t)w;
			pthread_mutex_unlock(&lock);
		}
		off += n;
	}
	err = 0;
out:
	free(buf);
	finish(err);
	return NULL;
}

static void *reader(void *arg)
{
	uint64_t data = state0(0x5752), sizes = state0(0x5244), off = 0, bad = 0;
	unsigned char *buf = malloc(maxchunk);
	int err = 1;

	(void)arg;
	if (!buf) {
		fprintf(stderr, PROG ": malloc: %s\n", strerror(errno));
		goto out;
	}
	while (off < total) {
		ssize_t n = read(fd, buf, chunk(&sizes, total - off)), i;

		if (n < 0 && errno != EINTR) {
			fprintf(stderr, PROG ": read at offset %" PRIu64 ": %s\n", off, strerror(errno));
			goto out;
		}
		if (n <= 0) {	/* 0 is not EOF on RTLX */
			pthread_mutex_lock(&lock);
			zero_reads += (n == 0);
			pthread_mutex_unlock(&lock);
			pause_ms(1);
			continue;
		}
		for (i = 0; i < n; i++, off++) {
			unsigned char want = echo_byte(channel, (unsigned char)(next(&data) >> 56));

			if (buf[i] != want && ++bad <= MAX_REPORTED)
				fprintf(stderr, PROG ": channel %d: offset %" PRIu64
					": got 0x%02x, expected 0x%02x\n", channel, off, buf[i], want);
		}
		pthread_mutex_lock(&lock);
		received = off;
		mismatches = bad;
		t_end = now();
		pthread_mutex_unlock(&lock);
	}
	err = bad != 0;
out:
	free(buf);
	finish(err);
	return NULL;
}

int main(int argc, char **argv)
{
	double timeout = 30, t0, secs;
	struct timespec deadline;
	pthread_t tw, tr;
	char dev[256];
	uint64_t v;
	int c, r = 0;

	while ((c = getopt(argc, argv, "c:n:s:m:t:d:h")) != -1) {
		switch (c) {
		case 'c':
			if (parse_int(optarg, 0, RTLX_NCHAN - 1, &channel))
				usage(2);
			break;
		case 'n':
			if (parse_size(optarg, &total))
				usage(2);
			break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'm':
			if (parse_size(optarg, &v))
				usage(2);
			maxchunk = (size_t)v;
			break;
		case 't':
			if (parse_secs(optarg, &timeout) || timeout <= 0)
				usage(2);
			break;
		case 'd': prefix = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc || maxchunk == 0 || maxchunk > (64u << 20))
		usage(2);
	snprintf(dev, sizeof(dev), "%s%d", prefix, channel);

	deadline_in(timeout, &deadline);
	/* the blocking open waits for the SP; the timeout interrupts it (EINTR) */
	alarm_in(timeout);
	fd = open(dev, O_RDWR);
	alarm_off();
	if (fd < 0) {
		fprintf(stderr, PROG ": open %s: %s\n", dev,
			errno == EINTR ? "timed out waiting for the SP" : strerror(errno));
		return 1;
	}

	t0 = now();
	if (pthread_create(&tr, NULL, reader, NULL) || pthread_create(&tw, NULL, writer, NULL)) {
		fprintf(stderr, PROG ": pthread_create failed\n");
		return 1;
	}
	pthread_mutex_lock(&lock);
	while (done_threads < 2 && !failed && r == 0)
		r = pthread_cond_timedwait(&cond, &lock, &deadline);
	if (done_threads < 2) {
		fprintf(stderr, PROG ": channel %d: %s after %g s: sent %" PRIu64
			", received %" PRIu64 " of %" PRIu64 " bytes, %" PRIu64 " mismatched, %"
			PRIu64 " zero-length reads\n",
			channel, failed ? "FAILED" : "timed out", now() - t0, sent, received, total,
			mismatches, zero_reads);
		fflush(stderr);
		_exit(1);	/* the other thread may still sit in read() or write() */
	}
	pthread_mutex_unlock(&lock);
	pthread_join(tw, NULL);
	pthread_join(tr, NULL);
	close(fd);

	secs = (t_end > t0 ? t_end : now()) - t0;
	if (failed) {
		printf(PROG ": channel %d: FAILED: %" PRIu64 " of %" PRIu64
		       " bytes received, %" PRIu64 " mismatched\n",
		       channel, received, total, mismatches);
		return 1;
	}
	printf(PROG ": channel %d: %" PRIu64 " bytes echoed and verified, %.3f s, %.2f MB/s, %"
	       PRIu64 " zero-length reads\n", channel, total, secs,
	       secs > 0 ? total / secs / 1e6 : 0.0, zero_reads);
	return 0;
}
