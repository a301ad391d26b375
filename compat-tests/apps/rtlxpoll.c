// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlxpoll: a non-blocking poll() loop over one or several RTLX channels,
 * as event-driven legacy programs were written.  Every channel is opened
 * with O_NONBLOCK (which fails with ENOSYS, not EAGAIN, while no SP program
 * has published its RTLX structure); then, until every echo is back or the
 * timeout expires: on POLLOUT write as much of the channel's text as the
 * ring takes (short writes and EAGAIN on a full ring are normal), on POLLIN
 * read and compare with the expected echo (channel 0 of the echo firmware
 * inverts the case of letters).  After every write it also tries one read
 * at once: on an empty ring legacy RTLX returns 0 there, not EAGAIN.
 *
 *   rtlxpoll [-c LIST] [-n BYTES] [-t SECONDS] [-d PREFIX]
 *
 * Exit status: 0 all echoes correct, 1 wrong echo / error / timeout,
 * 2 usage, 3 an open failed with ENOSYS (no SP program loaded or ready).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtlxapp.h"

#define PROG "rtlxpoll"

struct chan {
	int nr, fd;
	char *tx, *rx;			/* what we send, what must come back */
	size_t txoff, rxoff;
	unsigned long writes, short_writes, eagain, reads, zero_reads, read_eagain;
	int bad;
};

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: " PROG " [-c LIST] [-n BYTES] [-t SECONDS] [-d PREFIX]\n"
		"  open /dev/rtlxN with O_NONBLOCK for every channel in LIST, then poll(): write text on\n"
		"  POLLOUT, read on POLLIN, check every echo (channel 0: letters case-inverted)\n"
		"  -c LIST     channels, e.g. 0 or 0,3,5 or 0-7 (default 0)\n"
		"  -n BYTES    text per channel (default 256; above the ring size the ring fills: short\n"
		"              writes and EAGAIN)\n"
		"  -t SECONDS  give up after this long (default 5)\n"
		"  -d PREFIX   device name prefix (default /dev/rtlx)\n"
		"exit: 0 ok, 1 failed, 2 usage, 3 ENOSYS at open (no SP program loaded or ready)\n");
	exit(status);
}

/* the channel's text, and the echo the firmware gives for it */
static int make_text(struct chan *ch, size_t len)
{
	size_t i = 0, k = 0;
	char line[80];

	ch->tx = malloc(len + 1);
	ch->rx = malloc(len + 1);
	if (!ch->tx || !ch->rx)
		return -1;
	while (i < len) {
		int n = snprintf(line, sizeof(line),
				 "rtlxpoll channel %d line %zu: The Quick Brown Fox.\n", ch->nr, k++);
		size_t m = (size_t)n < len - i ? (size_t)n : len - i;

		memcpy(ch->tx + i, line, m);
		i += m;
	}
	for (i = 0; i < len; i++)
		ch->rx[i] = (char)echo_byte(ch->nr, (unsigned char)ch->tx[i]);
	return 0;
}

/* read whatever is there; 0 (legacy: empty ring) and EAGAIN are no error */
static int drain(struct chan *ch, size_t len)
{
	char buf[4096];
	ssize_t n = read(ch->fd, buf, sizeof(buf));

	ch->reads++;
	if (n == 0) {
		ch->zero_reads++;
		return 0;
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR) {
			ch->read_eagain++;
			return 0;
		}
		fprintf(stderr, PROG ": read channel %d: %s\n", ch->nr, strerror(errno));
		return -1;
	}
	if ((size_t)n > len - ch->rxoff) {
		fprintf(stderr, PROG ": channel %d: %zd bytes more than were sent\n", ch->nr,
			(size_t)n - (len - ch->rxoff));
		ch->bad = 1;
		n = (ssize_t)(len - ch->rxoff);
	}
	if (memcmp(buf, ch->rx + ch->rxoff, (size_t)n) != 0 && !ch->bad) {
		size_t i = 0;

		while (buf[i] == ch->rx[ch->rxoff + i])
			i++;
		fprintf(stderr, PROG ": channel %d: offset %zu: got 0x%02x, expected 0x%02x\n",
			ch->nr, ch->rxoff + i, (unsigned char)buf[i],
			(unsigned char)ch->rx[ch->rxoff + i]);
		ch->bad = 1;
	}
	ch->rxoff += (size_t)n;
	return 0;
}

int main(int argc, char **argv)
{
	const char *prefix = "/dev/rtlx";
	unsigned mask = 1;
	size_t len = 256;
	double timeout = 5, t0;
	static struct chan ch[RTLX_NCHAN];	/* static: still reachable on early exits */
	struct pollfd pfd[RTLX_NCHAN];
	int c, i, n = 0, left, failed = 0;
	char dev[256], *end;

	while ((c = getopt(argc, argv, "c:n:t:d:h")) != -1) {
		switch (c) {
		case 'c':
			if (parse_chanlist(optarg, &mask))
				usage(2);
			break;
		case 'n':
			len = strtoul(optarg, &end, 0);
			if (*end || len == 0 || *optarg == '-')
				usage(2);
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
	if (optind != argc)
		usage(2);

	for (i = 0; i < RTLX_NCHAN; i++) {
		struct chan *p = &ch[n];

		if (!(mask & (1u << i)))
			continue;
		memset(p, 0, sizeof(*p));
		p->nr = i;
		snprintf(dev, sizeof(dev), "%s%d", prefix, i);
		p->fd = open(dev, O_RDWR | O_NONBLOCK);
		if (p->fd < 0 && errno == ENOSYS) {
			fprintf(stderr, PROG ": open %s: ENOSYS: no SP program loaded, or it has "
				"not published its RTLX structure yet\n", dev);
			return 3;
		}
		if (p->fd < 0) {
			fprintf(stderr, PROG ": open %s: %s\n", dev, strerror(errno));
			return 1;
		}
		if (make_text(p, len) < 0) {
			fprintf(stderr, PROG ": malloc: %s\n", strerror(errno));
			return 1;
		}
		n++;
	}

	t0 = now();
	left = n;
	while (left > 0) {
		int ms = (int)((t0 + timeout - now()) * 1000), r;

		if (ms <= 0)
			break;
		for (i = 0; i < n; i++) {
			pfd[i].fd = ch[i].rxoff < len ? ch[i].fd : -1;	/* done: ignored */
			pfd[i].events = POLLIN | (ch[i].txoff < len ? POLLOUT : 0);
			pfd[i].revents = 0;
		}
		r = poll(pfd, (nfds_t)n, ms);
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			return 1;
		}
		for (i = 0; i < n && r > 0; i++) {
			struct chan *p = &ch[i];
			short re = pfd[i].revents;

			if (re & (POLLERR | POLLHUP | POLLNVAL)) {
				/* legacy RTLX never reports them */
				fprintf(stderr, PROG ": channel %d: unexpected poll revents 0x%x\n",
					p->nr, (unsigned)re);
				return 1;
			}
			if (re & POLLOUT) {
				ssize_t w = write(p->fd, p->tx + p->txoff, len - p->txoff);

				p->writes++;
				if (w < 0 && errno == EAGAIN) {
					p->eagain++;	/* full ring despite POLLOUT: retry */
				} else if (w < 0 && errno != EINTR) {
					fprintf(stderr, PROG ": write channel %d: %s\n", p->nr,
						strerror(errno));
					return 1;
				} else if (w > 0) {
					p->short_writes += (size_t)w < len - p->txoff;
					p->txoff += (size_t)w;
				}
				if (drain(p, len) < 0)	/* usually nothing there yet */
					return 1;
			}
			if ((re & POLLIN) && p->rxoff < len && drain(p, len) < 0)
				return 1;
			if (p->rxoff == len && pfd[i].fd >= 0)
				left--;
		}
	}

	for (i = 0; i < n; i++) {
		struct chan *p = &ch[i];
		int ok = !p->bad && p->rxoff == len;

		printf(PROG ": channel %d: %s: sent %zu, echoed %zu of %zu bytes (writes %lu, short %lu,"
		       " EAGAIN %lu; reads %lu, returned 0 %lu, EAGAIN %lu)\n", p->nr,
		       ok ? "ok" : p->bad ? "WRONG ECHO" : "TIMED OUT", p->txoff, p->rxoff, len,
		       p->writes, p->short_writes, p->eagain, p->reads, p->zero_reads,
		       p->read_eagain);
		failed |= !ok;
		close(p->fd);
		free(p->tx);
		free(p->rx);
	}
	printf(PROG ": %s, %d channel(s), %.3f s\n", failed ? "FAILED" : "ok", n, now() - t0);
	return failed;
}
