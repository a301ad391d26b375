// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stats: percentiles of round-trip samples (ns, one per line, as rtt(1)
 * and direct(1) append them), and a histogram for the plot.
 *
 *   stats [-H HISTFILE] [-b BINS_PER_DECADE] FILE...
 *
 * Prints one line: n= min_ns= p50_ns= p90_ns= p99_ns= p999_ns= max_ns=
 * mean_ns= (nearest-rank percentiles). HISTFILE gets logarithmic bins
 * (default 20 per decade) from 100 ns up: "lo_us hi_us center_us percent".
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

const char *prog = "stats";

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* nearest rank: the smallest sample with at least q of all at or below it */
static int64_t pct(const int64_t *s, size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);

	return s[k ? k - 1 : 0];
}

static void histogram(const char *path, const int64_t *s, size_t n, int per_decade)
{
	double lo = 100, f = pow(10, 1.0 / per_decade);
	FILE *out = fopen(path, "w");
	size_t i = 0;

	if (!out)
		die("%s: %s", path, strerror(errno));
	while (i < n) {
		double hi = lo * f;
		size_t count = 0;

		while (i < n && (double)s[i] < hi) {
			count++;
			i++;
		}
		fprintf(out, "%.4f %.4f %.4f %.4f\n", lo / 1e3, hi / 1e3,
			sqrt(lo * hi) / 1e3, 100.0 * (double)count / (double)n);
		lo = hi;
	}
	if (fclose(out))
		die("%s: %s", path, strerror(errno));
}

int main(int argc, char **argv)
{
	const char *hist = NULL;
	int per_decade = 20, c, i;
	size_t n = 0, cap = 1 << 16;
	int64_t *s = malloc(cap * sizeof(*s));
	long double sum = 0;

	while ((c = getopt(argc, argv, "H:b:")) != -1) {
		switch (c) {
		case 'H': hist = optarg; break;
		case 'b': per_decade = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: stats [-H HISTFILE] [-b BINS_PER_DECADE] FILE...\n");
			return 2;
		}
	}
	if (!s || per_decade < 1 || per_decade > 1000)
		die("bad arguments");
	for (i = optind; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		long long v;

		if (!f)
			die("%s: %s", argv[i], strerror(errno));
		while (fscanf(f, "%lld", &v) == 1) {
			if (n == cap) {
				cap *= 2;
				s = realloc(s, cap * sizeof(*s));
				if (!s)
					die("out of memory");
			}
			s[n++] = v;
			sum += v;
		}
		fclose(f);
	}
	if (!n)
		die("no samples");
	qsort(s, n, sizeof(*s), cmp_i64);
	printf("n=%zu min_ns=%lld p50_ns=%lld p90_ns=%lld p99_ns=%lld p999_ns=%lld max_ns=%lld mean_ns=%.0Lf\n",
	       n, (long long)s[0], (long long)pct(s, n, 0.5), (long long)pct(s, n, 0.9),
	       (long long)pct(s, n, 0.99), (long long)pct(s, n, 0.999),
	       (long long)s[n - 1], sum / n);
	if (hist)
		histogram(hist, s, n, per_decade);
	return 0;
}
