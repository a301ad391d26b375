// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proccost: what fuse-vpe's once-per-process deprecation check costs when
 * it runs on every request: read the first KiB of /proc/TID/status (the
 * thread group) and of /proc/PID/stat (the start time), as warn.c's
 * warn_deprecated() does before it finds the pair already logged.
 *
 *   proccost [-n N]
 *
 * Prints "proccost n=N median_ns=M" for one such check on this process.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

const char *prog = "proccost";

static void read_proc(pid_t pid, const char *file)
{
	char path[64], buf[1024];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: cannot open", path);
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		die("%s: cannot read", path);
	close(fd);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	size_t n = 2000, i;
	int64_t *ns;
	int c;

	while ((c = getopt(argc, argv, "n:")) != -1) {
		if (c != 'n') {
			fprintf(stderr, "usage: proccost [-n N]\n");
			return 2;
		}
		n = parse_size(optarg);
	}
	ns = malloc((n ? n : 1) * sizeof(*ns));
	if (!ns || !n)
		die("bad count");
	for (i = 0; i < n; i++) {
		int64_t t0 = now_ns();

		read_proc(gettid(), "status");
		read_proc(getpid(), "stat");
		ns[i] = now_ns() - t0;
	}
	qsort(ns, n, sizeof(*ns), cmp_i64);
	printf("proccost n=%zu median_ns=%lld\n", n, (long long)ns[n / 2]);
	return 0;
}
