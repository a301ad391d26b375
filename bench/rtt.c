// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtt: round trips of one byte through a file: write(fd, 1 byte), then
 * read(fd, 1 byte) of the answer, timed with CLOCK_MONOTONIC per round trip.
 *
 *   rtt [-n N] [-w W] [-o FILE] [-c BYTE] [-x] [-t SECONDS] PATH
 *
 * -n round trips measured (default 20000), -w round trips first, not
 * measured (default 1000), -o append the samples (ns, one per line) to FILE,
 * -c the byte sent (default '#': not a letter, so the echo firmware's
 * channel 0 returns it unchanged), -x do not check the answer (the FUSE
 * floor answers with any byte), -t give up after SECONDS (default 60).
 * Prints "rtt n=N median_ns=M min_ns=M max_ns=M".
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

const char *prog = "rtt";

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void usage(void)
{
	fprintf(stderr, "usage: rtt [-n N] [-w W] [-o FILE] [-c BYTE] [-x] [-t SECONDS] PATH\n");
	exit(2);
}

int main(int argc, char **argv)
{
	size_t n = 20000, warm = 1000, i;
	const char *out = NULL;
	unsigned char byte = '#';
	double timeout = 60;
	int check = 1, c, fd;
	int64_t *ns, *sorted;

	while ((c = getopt(argc, argv, "n:w:o:c:xt:")) != -1) {
		switch (c) {
		case 'n': n = parse_size(optarg); break;
		case 'w': warm = parse_size(optarg); break;
		case 'o': out = optarg; break;
		case 'c': byte = (unsigned char)optarg[0]; break;
		case 'x': check = 0; break;
		case 't': timeout = parse_seconds(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || !n)
		usage();
	/* a bounded run, whatever happens to the other end */
	signal(SIGALRM, SIG_DFL);
	alarm((unsigned int)timeout + 1);
	fd = open(argv[optind], O_RDWR);
	if (fd < 0)
		die("%s: %s", argv[optind], strerror(errno));
	ns = malloc(n * sizeof(*ns));
	sorted = malloc(n * sizeof(*ns));
	if (!ns || !sorted)
		die("out of memory");
	for (i = 0; i < warm + n; i++) {
		unsigned char got;
		int64_t t0 = now_ns();
		ssize_t w = write(fd, &byte, 1), r;

		if (w != 1)
			die("write: %s", w < 0 ? strerror(errno) : "short");
		r = read(fd, &got, 1);
		if (r != 1)
			die("read: %s", r < 0 ? strerror(errno) : "0 bytes");
		if (i >= warm)
			ns[i - warm] = now_ns() - t0;
		if (check && got != byte)
			die("round trip %zu: sent 0x%02x, got 0x%02x", i, byte, got);
	}
	close(fd);
	if (out)
		samples_append(out, ns, n);
	memcpy(sorted, ns, n * sizeof(*ns));
	qsort(sorted, n, sizeof(*sorted), cmp_i64);
	printf("rtt n=%zu median_ns=%lld min_ns=%lld max_ns=%lld\n", n,
	       (long long)sorted[n / 2], (long long)sorted[0],
	       (long long)sorted[n - 1]);
	return 0;
}
