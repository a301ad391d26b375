// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlxbulk: bulk transfers through the echo firmware on several channels
 * at once.  Per channel one fd (blocking open, as legacy programs did) and
 * two threads: a writer streaming N pseudo-random bytes in random-sized
 * write() calls (short writes completed), and, concurrently, a reader
 * reading the echo in random-sized read() calls.  The reader compares every
 * byte with the expected echo (channel 0: ASCII letters case-inverted) and,
 * where they differ, tells what happened at which stream offset: bytes
 * lost, bytes received again (duplicated or out of order), bytes inserted,
 * bytes corrupted, bytes after the end.  CRC32 of the expected and of the
 * received stream, throughput per channel and in total.
 *
 *   rtlxbulk [-c LIST] [-n BYTES] [-s SEED] [-m MAXCHUNK] [-t SECONDS] [-d PREFIX]
 *
 * A 0-byte read is not end-of-file (legacy RTLX returns 0 on a signal or a
 * stopped SP): the reader pauses 1 ms and reads again.
 * Exit status: 0 every channel byte-exact, 1 a difference / error /
 * timeout, 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rtlxapp.h"

#define PROG "rtlxbulk"
#define WIN 16			/* bytes that must agree to call a position found */
#define LOOK 96			/* lookahead gathered before a diagnosis */
#define SEARCH (1 << 20)	/* how far back and ahead a lost position is searched */
#define MAX_REPORTED 10		/* anomaly lines per channel */
#define MAX_DIAG 200		/* diagnoses per channel before giving up the comparison */

struct chan {
	int nr, fd;
	uint64_t key;
	uint32_t crc_expected, crc_rx;
	_Atomic uint64_t sent, received, pos;	/* pos: next expected stream offset */
	_Atomic int writer_done;
	uint64_t lost, repeated, inserted, corrupted, extra, zero_reads;
	int reports, diags, gave_up, error;
	_Atomic int done;
	double t_done;
	pthread_t tw, tr;
};

static uint64_t total = 1 << 20, seed = 1;
static size_t maxchunk = 4096;
static struct chan chans[RTLX_NCHAN];
static int nchan;
static double t_start;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int finished;		/* threads that ended */
static uint32_t crc_table[256];

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: " PROG " [-c LIST] [-n BYTES] [-s SEED] [-m MAXCHUNK] [-t SECONDS] [-d PREFIX]\n"
		"  per channel a writer and a reader thread on one fd of /dev/rtlxN stream N pseudo-random\n"
		"  bytes through the echo firmware in both directions at once; byte-exact check\n"
		"  -c LIST     channels, e.g. 1 or 0,3,5 or 0-7 (default 1)\n"
		"  -n BYTES    bytes per channel, suffix K/M/G allowed (default 1M)\n"
		"  -s SEED     seed of the data and of the random chunk sizes (default 1)\n"
		"  -m MAXCHUNK largest single read()/write() (default 4096)\n"
		"  -t SECONDS  give up after this long, open() included (default 120)\n"
		"  -d PREFIX   device name prefix (default /dev/rtlx)\n");
	exit(status);
}

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* CRC32 (IEEE, as zlib's crc32()): start with 0, feed pieces */
static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* splitmix64: byte i of a stream is byte (i % 8) of mix(key + i / 8) */
static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* stream bytes [off, off + n) as sent, or (echo) as the echo firmware returns them */
static void gen(const struct chan *c, uint64_t off, unsigned char *p, size_t n, int echo)
{
	while (n > 0) {
		uint64_t w = mix(c->key + (off >> 3));

		for (unsigned k = off & 7; k < 8 && n > 0; k++, n--, off++) {
			unsigned char b = (unsigned char)(w >> (8 * k));

			*p++ = echo ? echo_byte(c->nr, b) : b;
		}
	}
}

static size_t chunk(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return 1 + (size_t)(*s % maxchunk);
}

static void thread_done(void)
{
	pthread_mutex_lock(&lock);
	finished++;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

static void *writer(void *arg)
{
	struct chan *c = arg;
	unsigned char *buf = malloc(maxchunk), *echo = malloc(maxchunk);
	uint64_t sizes = mix(c->key ^ 0x77), off = 0;
	uint32_t crc = 0;

	if (!buf || !echo) {
		fprintf(stderr, PROG ": malloc: %s\n", strerror(errno));
		c->error = 1;
		goto out;
	}
	while (off < total) {
		size_t n = chunk(&sizes), done = 0;

		if (n > total - off)
			n = (size_t)(total - off);
		gen(c, off, buf, n, 0);
		gen(c, off, echo, n, 1);
		crc = crc32_update(crc, echo, n);
		while (done < n) {	/* a short write is normal: write the rest */
			ssize_t w = write(c->fd, buf + done, n - done);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				fprintf(stderr, PROG ": channel %d: write at offset %" PRIu64 ": %s\n",
					c->nr, off + done, strerror(errno));
				c->error = 1;
				goto out;
			}
			done += (size_t)w;
			atomic_fetch_add(&c->sent, (uint64_t)w);
		}
		off += n;
	}
	c->crc_expected = crc;
out:
	atomic_store(&c->writer_done, 1);
	free(buf);
	free(echo);
	thread_done();
	return NULL;
}

static void report(struct chan *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(struct chan *c, const char *fmt, ...)
{
	va_list ap;

	if (++c->reports > MAX_REPORTED) {
		if (c->reports == MAX_REPORTED + 1)
			fprintf(stderr, PROG ": channel %d: more differences not shown\n", c->nr);
		return;
	}
	fprintf(stderr, PROG ": channel %d: ", c->nr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* does buf[0..n) equal the expected echo at stream offset off? */
static int agrees(const struct chan *c, const unsigned char *buf, uint64_t off, size_t n,
		  unsigned char *tmp)
{
	if (off + n > total)
		return 0;
	gen(c, off, tmp, n, 1);
	return memcmp(buf, tmp, n) == 0;
}

/*
 * buf[0] differs from the expected byte at *pos; buf holds `have` bytes.
 * Classify, report and resynchronise: returns how many bytes of buf to
 * drop (the expected position may move too), or -1 when nothing fits.
 */
static long diagnose(struct chan *c, const unsigned char *buf, size_t have, unsigned char *win)
{
	uint64_t pos = atomic_load(&c->pos), lo, hi;
	size_t w = have < WIN ? have : WIN, k;
	unsigned char want;
	unsigned char *hit;

	gen(c, pos, &want, 1, 1);
	if (w < WIN) {
		/* only a few bytes left (the stream ended): no reliable search */
		if (have == total - pos) {
			report(c, "offset %" PRIu64 ": the last %zu byte(s) differ (first: got 0x%02x, "
			       "expected 0x%02x)", pos, have, buf[0], want);
			c->corrupted += have;
			atomic_store(&c->pos, total);
			return (long)have;
		}
		report(c, "offset %" PRIu64 ": the last %zu byte(s) received differ, %" PRIu64
		       " were expected", pos, have, total - pos);
		return -1;
	}
	/* the data continue at another stream offset: bytes lost, or received again */
	lo = pos > SEARCH ? pos - SEARCH : 0;
	hi = pos + SEARCH + w < total ? pos + SEARCH + w : total;
	gen(c, lo, win, (size_t)(hi - lo), 1);
	hit = memmem(win, (size_t)(hi - lo), buf, w);
	if (hit) {
		uint64_t at = lo + (uint64_t)(hit - win);

		if (at > pos) {
			report(c, "offset %" PRIu64 ": %" PRIu64 " byte(s) lost (data continue with "
			       "offset %" PRIu64 ")", pos, at - pos, at);
			c->lost += at - pos;
		} else {
			report(c, "offset %" PRIu64 ": received the bytes of offset %" PRIu64
			       " again (%" PRIu64 " back: duplicated or out of order)",
			       pos, at, pos - at);
			c->repeated += pos - at;
		}
		atomic_store(&c->pos, at);
		return 0;
	}
	/* a few bytes changed in place, the rest in step */
	for (k = 1; k + w <= have && k <= 32; k++) {
		if (agrees(c, buf + k, pos + k, w, win)) {
			report(c, "offset %" PRIu64 ": %zu byte(s) corrupted (first: got 0x%02x, "
			       "expected 0x%02x)", pos, k, buf[0], want);
			c->corrupted += k;
			atomic_store(&c->pos, pos + k);
			return (long)k;
		}
	}
	/* unexpected bytes, then the stream goes on where it was */
	for (k = 1; k + w <= have && k < LOOK; k++) {
		if (agrees(c, buf + k, pos, w, win)) {
			report(c, "offset %" PRIu64 ": %zu unexpected byte(s) inserted (first 0x%02x)",
			       pos, k, buf[0]);
			c->inserted += k;
			return (long)k;
		}
	}
	report(c, "offset %" PRIu64 ": unrecognisable data (got 0x%02x, expected 0x%02x); "
	       "comparison stopped", pos, buf[0], want);
	return -1;
}

/* wait up to ms for data; 1 readable, 0 not */
static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0 && (p.revents & POLLIN);
}

static void *reader(void *arg)
{
	struct chan *c = arg;
	size_t cap = maxchunk + 2 * LOOK, have = 0, need = 1;
	unsigned char *buf = malloc(cap), *exp = malloc(cap), *win = malloc(2 * SEARCH + LOOK);
	uint64_t sizes = mix(c->key ^ 0x52);
	uint32_t crc = 0;
	int short_look = 0;

	if (!buf || !exp || !win) {
		fprintf(stderr, PROG ": malloc: %s\n", strerror(errno));
		c->error = 1;
		goto out;
	}
	while (c->gave_up ? atomic_load(&c->received) < total : atomic_load(&c->pos) < total) {
		uint64_t pos = atomic_load(&c->pos);
		size_t m, j;
		long drop;

		if (have < need || c->gave_up) {
			size_t r = chunk(&sizes);
			ssize_t n;

			/* near the end or while gathering lookahead, don't wait forever */
			if ((need > 1 || atomic_load(&c->writer_done)) &&
			    !readable(c->fd, need > 1 ? 500 : 2000)) {
				if (c->gave_up)
					break;
				if (need > 1) {
					short_look = 1;
					goto compare;
				}
				report(c, "offset %" PRIu64 ": the stream ends, %" PRIu64
				       " byte(s) missing", pos, total - pos);
				c->lost += total - pos;
				break;
			}
			if (r > cap - have)
				r = cap - have;
			n = read(c->fd, buf + have, r);
			if (n < 0 && errno != EINTR) {
				fprintf(stderr, PROG ": channel %d: read at offset %" PRIu64 ": %s\n",
					c->nr, atomic_load(&c->received), strerror(errno));
				c->error = 1;
				goto out;
			}
			if (n <= 0) {	/* 0 is not EOF on RTLX */
				c->zero_reads += (n == 0);
				pause_ms(1);
				continue;
			}
			crc = crc32_update(crc, buf + have, (size_t)n);
			atomic_fetch_add(&c->received, (uint64_t)n);
			if (c->gave_up)
				continue;	/* only counting now */
			have += (size_t)n;
			if (have < need)
				continue;
		}
compare:
		m = have < total - pos ? have : (size_t)(total - pos);
		gen(c, pos, exp, m, 1);
		for (j = 0; j < m && buf[j] == exp[j]; j++)
			;
		if (j > 0 || m == 0) {
			memmove(buf, buf + j, have - j);
			have -= j;
			atomic_store(&c->pos, pos + j);
			need = 1;
			if (j == m) {
				short_look = 0;
				continue;
			}
		}
		/* buf[0] is wrong: gather some lookahead first, then diagnose */
		if (have < LOOK && !short_look) {
			need = LOOK;
			continue;
		}
		short_look = 0;
		need = 1;
		drop = ++c->diags > MAX_DIAG ? -1 : diagnose(c, buf, have, win);
		if (drop < 0) {
			c->gave_up = 1;
			have = 0;
			continue;
		}
		memmove(buf, buf + drop, have - (size_t)drop);
		have -= (size_t)drop;
	}
	c->t_done = now();
	/* anything after the end of the stream is an error too */
	if (!c->gave_up && atomic_load(&c->pos) >= total) {
		c->extra = have;
		while (readable(c->fd, 100)) {
			ssize_t n = read(c->fd, buf, cap);

			if (n <= 0)
				break;
			crc = crc32_update(crc, buf, (size_t)n);
			c->extra += (size_t)n;
			atomic_fetch_add(&c->received, (uint64_t)n);
		}
		if (c->extra)
			report(c, "%" PRIu64 " byte(s) after the end of the stream", c->extra);
	}
	c->crc_rx = crc;
	c->done = 1;
out:
	free(buf);
	free(exp);
	free(win);
	thread_done();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *prefix = "/dev/rtlx";
	double timeout = 120, t_last = 0;
	unsigned mask = 1u << 1;
	struct timespec deadline;
	uint64_t v;
	char dev[256];
	int c, i, r = 0, bad = 0;

	while ((c = getopt(argc, argv, "c:n:s:m:t:d:h")) != -1) {
		switch (c) {
		case 'c':
			if (parse_chanlist(optarg, &mask))
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
	if (optind != argc || maxchunk == 0 || maxchunk > (64u << 20) || total == 0)
		usage(2);
	crc_init();

	deadline_in(timeout, &deadline);
	/* blocking opens wait for the SP; the timeout interrupts them (EINTR) */
	alarm_in(timeout);
	for (i = 0; i < RTLX_NCHAN; i++) {
		struct chan *p = &chans[nchan];

		if (!(mask & (1u << i)))
			continue;
		p->nr = i;
		p->key = mix(seed * RTLX_NCHAN + (uint64_t)i);
		snprintf(dev, sizeof(dev), "%s%d", prefix, i);
		p->fd = open(dev, O_RDWR);
		if (p->fd < 0) {
			fprintf(stderr, PROG ": open %s: %s\n", dev,
				errno == EINTR ? "timed out waiting for the SP" : strerror(errno));
			return 1;
		}
		nchan++;
	}
	alarm_off();

	t_start = now();
	for (i = 0; i < nchan; i++) {
		if (pthread_create(&chans[i].tr, NULL, reader, &chans[i]) ||
		    pthread_create(&chans[i].tw, NULL, writer, &chans[i])) {
			fprintf(stderr, PROG ": pthread_create failed\n");
			return 1;
		}
	}
	pthread_mutex_lock(&lock);
	while (finished < 2 * nchan && r == 0)
		r = pthread_cond_timedwait(&cond, &lock, &deadline);
	pthread_mutex_unlock(&lock);
	if (finished < 2 * nchan) {
		for (i = 0; i < nchan; i++) {
			struct chan *p = &chans[i];

			printf(PROG ": channel %d: %s: sent %" PRIu64 ", received %" PRIu64
			       ", checked %" PRIu64 " of %" PRIu64 " bytes\n", p->nr,
			       p->done ? "done" : "TIMED OUT", atomic_load(&p->sent),
			       atomic_load(&p->received), atomic_load(&p->pos), total);
		}
		printf(PROG ": FAILED: timed out after %g s\n", timeout);
		fflush(stdout);
		_exit(1);	/* threads may still sit in read() or write() */
	}

	for (i = 0; i < nchan; i++) {
		struct chan *p = &chans[i];
		double secs;
		int ok;

		pthread_join(p->tw, NULL);
		pthread_join(p->tr, NULL);
		close(p->fd);
		secs = p->t_done - t_start;
		if (p->t_done > t_last)
			t_last = p->t_done;
		ok = !p->error && !p->gave_up && !p->lost && !p->repeated && !p->inserted &&
		     !p->corrupted && !p->extra && p->crc_rx == p->crc_expected &&
		     atomic_load(&p->received) == total;
		if (ok)
			printf(PROG ": channel %d: ok: %" PRIu64 " bytes each way, crc32 0x%08" PRIx32
			       ", %.3f s, %.2f MB/s\n", p->nr, total, p->crc_rx, secs,
			       secs > 0 ? total / secs / 1e6 : 0.0);
		else
			printf(PROG ": channel %d: FAILED: sent %" PRIu64 ", received %" PRIu64
			       " of %" PRIu64 " bytes; lost %" PRIu64 ", repeated %" PRIu64
			       ", inserted %" PRIu64 ", corrupted %" PRIu64 ", after the end %" PRIu64
			       "%s%s; crc32 0x%08" PRIx32 ", expected 0x%08" PRIx32 "\n", p->nr,
			       atomic_load(&p->sent), atomic_load(&p->received), total, p->lost,
			       p->repeated, p->inserted, p->corrupted, p->extra,
			       p->gave_up ? "; lost track" : "", p->error ? "; I/O error" : "",
			       p->crc_rx, p->crc_expected);
		bad |= !ok;
	}
	printf(PROG ": total: %d channel(s), %" PRIu64 " bytes each way, %.3f s, %.2f MB/s: %s\n",
	       nchan, total * (uint64_t)nchan, t_last - t_start,
	       t_last > t_start ? total * (double)nchan / (t_last - t_start) / 1e6 : 0.0,
	       bad ? "FAILED" : "ok");
	return bad;
}
