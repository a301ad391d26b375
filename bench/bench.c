// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench: shared helpers (see bench.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

static const unsigned char pattern[] = "0123456789 !#$%&()*+,-./:;<=>?@[]^_|~";
#define PATTERN_LEN (sizeof(pattern) - 1)
_Static_assert(PATTERN_LEN == 37, "the pattern's period must stay prime");

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (errno || end == s || *end || *s == '-')
		die("bad number '%s'", s);
	return v;
}

double parse_seconds(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0 && v <= 3600))
		die("bad seconds '%s' (0..3600)", s);
	return v;
}

void pattern_fill(unsigned char *p, uint64_t off, size_t n)
{
	size_t i = off % PATTERN_LEN;

	while (n--) {
		*p++ = pattern[i];
		if (++i == PATTERN_LEN)
			i = 0;
	}
}

int pattern_check(const unsigned char *p, uint64_t off, size_t n)
{
	size_t i = off % PATTERN_LEN;

	while (n--) {
		if (*p++ != pattern[i])
			return 0;
		if (++i == PATTERN_LEN)
			i = 0;
	}
	return 1;
}

void samples_append(const char *path, const int64_t *ns, size_t n)
{
	FILE *f = fopen(path, "a");
	size_t i;

	if (!f)
		die("%s: %s", path, strerror(errno));
	for (i = 0; i < n; i++)
		fprintf(f, "%lld\n", (long long)ns[i]);
	if (fclose(f))
		die("%s: %s", path, strerror(errno));
}

unsigned int parse_channels(const char *s, unsigned int nchan)
{
	unsigned int mask = 0;
	char *end;

	for (;;) {
		long a = strtol(s, &end, 10), b = a;

		if (end == s || a < 0 || a >= (long)nchan)
			return 0;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a || b >= (long)nchan)
				return 0;
		}
		while (a <= b)
			mask |= 1u << a++;
		if (!*end)
			return mask;
		if (*end != ',')
			return 0;
		s = end + 1;
	}
}
