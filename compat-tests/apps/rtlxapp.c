// SPDX-License-Identifier: GPL-2.0-or-later
/* rtlxapp: see rtlxapp.h */
#include "rtlxapp.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void pause_ms(long ms)
{
	nanosleep(&(struct timespec){ .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 }, NULL);
}

int parse_size(const char *s, uint64_t *v)
{
	char *end;

	*v = strtoull(s, &end, 0);
	switch (*end) {
	case 'k': case 'K': *v <<= 10; end++; break;
	case 'm': case 'M': *v <<= 20; end++; break;
	case 'g': case 'G': *v <<= 30; end++; break;
	}
	return *end || *s == '-' ? -1 : 0;
}

int parse_chanlist(const char *s, unsigned *mask)
{
	char *end;

	*mask = 0;
	for (;;) {
		long a = strtol(s, &end, 10), b = a;

		if (end == s || a < 0 || a >= RTLX_NCHAN)
			return -1;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a || b >= RTLX_NCHAN)
				return -1;
		}
		while (a <= b)
			*mask |= 1u << a++;
		if (*end == 0)
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

int parse_int(const char *s, int lo, int hi, int *v)
{
	char *end;

	*v = (int)strtol(s, &end, 10);
	return *end || *v < lo || *v > hi ? -1 : 0;
}

int parse_secs(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return *end ? -1 : 0;
}

unsigned char echo_byte(int channel, unsigned char b)
{
	if (channel == 0 && ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
		return b ^ 0x20;
	return b;
}

static void on_alarm(int sig)
{
	(void)sig;
}

void alarm_in(double secs)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval it = { .it_value = {
		.tv_sec = (time_t)secs,
		.tv_usec = (suseconds_t)((secs - (time_t)secs) * 1e6) } };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

void alarm_off(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

void deadline_in(double secs, struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += (time_t)secs;
	ts->tv_nsec += (long)((secs - (time_t)secs) * 1e9);
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}
