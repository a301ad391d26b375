// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hold: open files (O_RDWR, blocking) and keep them open, for footprint
 * measurements. Prints "ready" once every file is open, then waits for a
 * signal, or SECONDS at most, so it never outlives a bench run.
 *
 *   hold [-t SECONDS] PATH...
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

const char *prog = "hold";

int main(int argc, char **argv)
{
	double timeout = 60;
	int c, i;

	while ((c = getopt(argc, argv, "t:")) != -1) {
		if (c != 't') {
			fprintf(stderr, "usage: hold [-t SECONDS] PATH...\n");
			return 2;
		}
		timeout = parse_seconds(optarg);
	}
	alarm((unsigned int)timeout + 1);	/* default action: end */
	for (i = optind; i < argc; i++)
		if (open(argv[i], O_RDWR) < 0)
			die("%s: %s", argv[i], strerror(errno));
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
