// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unit: TAP lines and bounded waits for the module unit tests.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

#include "unit.h"

static int tests, failures;

bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!cond)
		failures++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

void skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	tests++;
	printf("ok %d - ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int done(void)
{
	printf("1..%d\n", tests);
	/* a program that checked nothing proved nothing */
	return failures || !tests ? 1 : 0;
}

int64_t unit_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void unit_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

bool unit_log_file(char *path, size_t size)
{
	int fd = memfd_create("unit-log", 0);	/* kept open: its name */

	return fd >= 0 &&
	       snprintf(path, size, "/proc/self/fd/%d", fd) < (int)size;
}

bool wait_for_ms(bool (*cond)(void *arg), void *arg, long ms)
{
	int64_t end = unit_now_ms() + ms;

	for (;;) {
		if (cond(arg))
			return true;
		if (unit_now_ms() >= end)
			return cond(arg);
		unit_sleep_ms(1);
	}
}
