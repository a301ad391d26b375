// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlxloop: a stand-in for /dev/rtlx0..7 for testing the programs of
 * compat-tests/apps without the daemon, the simulator or QEMU.  Eight
 * pseudo-terminals in raw mode; PREFIX0..7 are symlinks to their slave
 * side, and this process echoes every channel like the echo firmware does
 * (channel 0 with ASCII letters case-inverted) through a buffer of RING-1
 * bytes.  It only exercises the programs' own logic (short writes, random
 * chunking, checksums, poll loops, timeouts): a pty is not RTLX — an empty
 * non-blocking read gives EAGAIN, not 0; a second open succeeds; ioctl
 * TCGETS succeeds; the kernel's tty buffers add to the ring.
 *
 *   rtlxloop [-p PREFIX] [-r RING] [-S CHANNEL] [-x CH:KIND:OFFSET[:LEN]]...
 *
 * Prints "ready" once the links exist; runs until SIGTERM or SIGINT, then
 * removes them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define PROG "rtlxloop"
#define NCHAN 8
#define SLACK 512		/* room for bytes a fault adds */

enum kind { NONE, LOSE, DUP, INSERT, FLIP, SWAP };

struct chan {
	int m, s, stall;
	unsigned char *q;	/* echo queue (ring) */
	size_t head, len;
	uint64_t off;		/* stream offset of the next byte read from the program */
	enum kind kind;
	uint64_t at, flen;
	unsigned char hold[256];
	size_t nhold;
	char link[256];
};

static struct chan ch[NCHAN];
static size_t ring = 2048, qcap;
static volatile sig_atomic_t stop;

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: " PROG " [-p PREFIX] [-r RING] [-S CHANNEL] [-x CH:KIND:OFFSET[:LEN]]...\n"
		"  eight raw ptys linked as PREFIX0..7 (default /tmp/rtlx), echoed like the echo firmware\n"
		"  (channel 0 case-inverted) through RING-1 bytes (default 2048); until SIGTERM/SIGINT\n"
		"  -S CHANNEL  never echo on CHANNEL (its buffers fill up)\n"
		"  -x CH:KIND:OFFSET[:LEN]  one fault in CH's echo at stream offset OFFSET, LEN bytes\n"
		"              (default 1): lose, dup, insert (0xa5 bytes), flip (xor 0xff),\n"
		"              swap (LEN bytes at OFFSET with the LEN after them); LEN <= 256\n");
	exit(status);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void push(struct chan *c, unsigned char b)
{
	c->q[(c->head + c->len++) % qcap] = b;
}

/* one byte from the program: transform like the firmware, apply the fault */
static void take(struct chan *c, int nr, unsigned char b)
{
	uint64_t o = c->off++;
	int in = c->kind != NONE && o >= c->at && o < c->at + c->flen;

	if (nr == 0 && ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
		b ^= 0x20;
	switch (c->kind) {
	case LOSE:
		if (!in)
			push(c, b);
		break;
	case FLIP:
		push(c, in ? b ^ 0xff : b);
		break;
	case INSERT:
		if (o == c->at)
			for (uint64_t i = 0; i < c->flen; i++)
				push(c, 0xa5);
		push(c, b);
		break;
	case DUP:
		push(c, b);
		if (in) {
			c->hold[c->nhold++] = b;
			if (o == c->at + c->flen - 1)
				for (size_t i = 0; i < c->nhold; i++)
					push(c, c->hold[i]);
		}
		break;
	case SWAP:
		if (in) {
			c->hold[c->nhold++] = b;
		} else {
			push(c, b);
			if (o == c->at + 2 * c->flen - 1)
				for (size_t i = 0; i < c->nhold; i++)
					push(c, c->hold[i]);
		}
		break;
	default:
		push(c, b);
	}
}

static void parse_fault(char *s)
{
	char *k = strchr(s, ':'), *o, *end;
	struct chan *c;
	long nr;

	if (!k)
		usage(2);
	*k++ = 0;
	o = strchr(k, ':');
	if (!o)
		usage(2);
	*o++ = 0;
	nr = strtol(s, &end, 10);
	if (*end || nr < 0 || nr >= NCHAN)
		usage(2);
	c = &ch[nr];
	c->kind = !strcmp(k, "lose") ? LOSE : !strcmp(k, "dup") ? DUP :
		  !strcmp(k, "insert") ? INSERT : !strcmp(k, "flip") ? FLIP :
		  !strcmp(k, "swap") ? SWAP : NONE;
	if (c->kind == NONE)
		usage(2);
	c->at = strtoull(o, &end, 0);
	c->flen = 1;
	if (*end == ':')
		c->flen = strtoull(end + 1, &end, 0);
	if (*end || c->flen == 0 || c->flen > 256)
		usage(2);
}

int main(int argc, char **argv)
{
	const char *prefix = "/tmp/rtlx";
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd[NCHAN];
	char *end;
	int c, i;

	while ((c = getopt(argc, argv, "p:r:S:x:h")) != -1) {
		switch (c) {
		case 'p': prefix = optarg; break;
		case 'r':
			ring = strtoul(optarg, &end, 0);
			if (*end || ring < 2 || ring > (1u << 24))
				usage(2);
			break;
		case 'S':
			i = (int)strtol(optarg, &end, 10);
			if (*end || i < 0 || i >= NCHAN)
				usage(2);
			ch[i].stall = 1;
			break;
		case 'x': parse_fault(optarg); break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	qcap = ring - 1 + SLACK;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (i = 0; i < NCHAN; i++) {
		struct chan *p = &ch[i];
		struct termios t;
		const char *name;

		p->q = malloc(qcap);
		p->m = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
		if (!p->q || p->m < 0 || grantpt(p->m) < 0 || unlockpt(p->m) < 0 ||
		    !(name = ptsname(p->m))) {
			fprintf(stderr, PROG ": pty: %s\n", strerror(errno));
			return 1;
		}
		/* keep a slave fd: the master never sees a hang-up between programs */
		p->s = open(name, O_RDWR | O_NOCTTY);
		if (p->s < 0 || tcgetattr(p->s, &t) < 0) {
			fprintf(stderr, PROG ": %s: %s\n", name, strerror(errno));
			return 1;
		}
		cfmakeraw(&t);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		tcsetattr(p->s, TCSANOW, &t);
		snprintf(p->link, sizeof(p->link), "%s%d", prefix, i);
		unlink(p->link);
		if (symlink(name, p->link) < 0) {
			fprintf(stderr, PROG ": symlink %s: %s\n", p->link, strerror(errno));
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);

	while (!stop) {
		for (i = 0; i < NCHAN; i++) {
			pfd[i].fd = ch[i].m;
			pfd[i].events = (!ch[i].stall && ch[i].len + SLACK < qcap ? POLLIN : 0) |
					(ch[i].len ? POLLOUT : 0);
		}
		if (poll(pfd, NCHAN, 200) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			break;
		}
		for (i = 0; i < NCHAN; i++) {
			struct chan *p = &ch[i];
			unsigned char buf[4096];

			if (pfd[i].revents & POLLIN) {
				size_t room = qcap - SLACK - p->len;
				ssize_t n = read(p->m, buf, room < sizeof(buf) ? room : sizeof(buf));

				for (ssize_t k = 0; k < n; k++)
					take(p, i, buf[k]);
			}
			if (p->len && (pfd[i].revents & POLLOUT)) {
				size_t run = qcap - p->head < p->len ? qcap - p->head : p->len;
				ssize_t n = write(p->m, p->q + p->head, run);

				if (n > 0) {
					p->head = (p->head + (size_t)n) % qcap;
					p->len -= (size_t)n;
				}
			}
		}
	}
	for (i = 0; i < NCHAN; i++) {
		unlink(ch[i].link);
		free(ch[i].q);
	}
	return 0;
}
