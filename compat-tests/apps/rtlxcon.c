// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlxcon: the SP console, written the way legacy console programs were:
 * a blocking open of /dev/rtlxN (it waits until the SP program has
 * published its RTLX structure), then a select() loop copying stdin to the
 * channel and the channel to stdout.
 *
 *   rtlxcon [-c CHANNEL] [-t SECONDS] [-w SECONDS] [-e] [-d PREFIX]
 *
 * Legacy RTLX read() returns 0 when a signal arrives, when the SP stops,
 * after an SP restart, and on an empty ring in non-blocking mode: 0 is not
 * end-of-file, so a 0-byte read is ignored (with a 10 ms pause, so that a
 * stopped SP does not make us spin).  The console ends only when stdin ends:
 * the input still queued is written, then output is copied until the
 * channel has been quiet for -t seconds (with -e: as soon as as many bytes
 * came back as were sent, for echo firmware).
 *
 * Exit status: 0, 1 on an I/O error or when -w expired, 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "rtlxapp.h"

#define PROG "rtlxcon"
#define BUFSZ 4096

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: " PROG " [-c CHANNEL] [-t SECONDS] [-w SECONDS] [-e] [-d PREFIX]\n"
		"  copy stdin to /dev/rtlxCHANNEL and the channel to stdout (select loop)\n"
		"  -c CHANNEL  0..7 (default 0, the SP console)\n"
		"  -t SECONDS  after stdin ends, exit once the channel was quiet this long (default 2)\n"
		"  -w SECONDS  give up waiting in open() for the SP after this long (default: forever)\n"
		"  -e          echo firmware: after stdin ends, exit as soon as as many bytes came back as\n"
		"              were sent\n"
		"  -d PREFIX   device name prefix (default /dev/rtlx)\n"
		"  a 0-byte read from the channel is not end-of-file (legacy RTLX returns 0 on a signal, a\n"
		"  stopped or restarted SP, an empty non-blocking ring); only the end of stdin ends rtlxcon\n");
	exit(status);
}

static int die(const char *what)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(errno));
	return 1;
}

/* write all of buf to a blocking fd (stdout) */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *prefix = "/dev/rtlx";
	double quiet = 2.0, wait_open = 0, last;
	unsigned long long sent = 0, received = 0;
	int c, channel = 0, echo_mode = 0, fd, in_eof = 0;
	char dev[256], in[BUFSZ], out[BUFSZ];
	size_t pending = 0, off = 0;

	while ((c = getopt(argc, argv, "c:t:w:ed:h")) != -1) {
		switch (c) {
		case 'c':
			if (parse_int(optarg, 0, RTLX_NCHAN - 1, &channel))
				usage(2);
			break;
		case 't':
			if (parse_secs(optarg, &quiet) || quiet < 0)
				usage(2);
			break;
		case 'w':
			if (parse_secs(optarg, &wait_open) || wait_open < 0)
				usage(2);
			break;
		case 'e': echo_mode = 1; break;
		case 'd': prefix = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	snprintf(dev, sizeof(dev), "%s%d", prefix, channel);

	/* blocking open: waits for the SP; -w bounds it with a signal (EINTR) */
	if (wait_open > 0)
		alarm_in(wait_open);
	fd = open(dev, O_RDWR);
	if (fd < 0 && errno == EINTR && wait_open > 0) {
		fprintf(stderr, PROG ": open %s: no SP program after %g s\n", dev, wait_open);
		return 1;
	}
	if (fd < 0) {
		fprintf(stderr, PROG ": open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (wait_open > 0)
		alarm_off();

	last = now();
	for (;;) {
		struct timeval tv, *tvp = NULL;
		fd_set rfds, wfds;
		int r;

		if (in_eof && pending == 0) {
			double left = last + quiet - now();

			if ((echo_mode && received >= sent) || left <= 0)
				break;
			tv.tv_sec = (time_t)left;
			tv.tv_usec = (suseconds_t)((left - (time_t)left) * 1e6);
			tvp = &tv;
		}
		FD_ZERO(&rfds);
		FD_ZERO(&wfds);
		FD_SET(fd, &rfds);
		if (!in_eof && pending == 0)
			FD_SET(STDIN_FILENO, &rfds);
		if (pending)
			FD_SET(fd, &wfds);
		r = select(fd + 1, &rfds, &wfds, NULL, tvp);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return die("select");
		}

		if (FD_ISSET(fd, &rfds)) {
			ssize_t n = read(fd, out, sizeof(out));

			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return die("read channel");
			if (n > 0) {
				if (write_all(STDOUT_FILENO, out, (size_t)n) < 0)
					return die("write stdout");
				received += (unsigned long long)n;
				last = now();
			} else {
				/* 0 is not EOF on RTLX: pause, try again */
				pause_ms(10);
			}
		}
		if (pending && FD_ISSET(fd, &wfds)) {
			/* select said >= 1 free byte: this blocking write may be short */
			ssize_t n = write(fd, in + off, pending);

			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return die("write channel");
			if (n > 0) {
				off += (size_t)n;
				pending -= (size_t)n;
				sent += (unsigned long long)n;
				if (pending == 0)
					last = now();
			}
		}
		if (!in_eof && pending == 0 && FD_ISSET(STDIN_FILENO, &rfds)) {
			ssize_t n = read(STDIN_FILENO, in, sizeof(in));

			if (n < 0 && errno != EINTR)
				return die("read stdin");
			if (n == 0) {
				in_eof = 1;
				last = now();
			} else if (n > 0) {
				pending = (size_t)n;
				off = 0;
			}
		}
	}
	if (close(fd) < 0)
		return die("close");
	return 0;
}
