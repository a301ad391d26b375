/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtlxapp: the small utilities the legacy RTLX programs share (clock,
 * option parsing, the echo firmware's transform, the SIGALRM that bounds a
 * blocking open).  No device I/O: each program does its own.
 */
#ifndef RTLXAPP_H
#define RTLXAPP_H

#include <stdint.h>
#include <time.h>

#define RTLX_NCHAN 8		/* /dev/rtlx0..7 */

/* seconds on the monotonic clock */
double now(void);

void pause_ms(long ms);

/*
 * Option values; each returns 0, or -1 when the text is no such value (the
 * caller prints its usage).  parse_size: a byte count, suffix K/M/G allowed;
 * parse_chanlist: "0,3,5", "0-7", "1-3,6" as a bit per channel;
 * parse_int: a decimal number in lo..hi; parse_secs: a number of seconds
 * (the caller checks its range).
 */
int parse_size(const char *s, uint64_t *v);
int parse_chanlist(const char *s, unsigned *mask);
int parse_int(const char *s, int lo, int hi, int *v);
int parse_secs(const char *s, double *v);

/* what the echo firmware sends back on `channel` for byte b (channel 0: case inverted) */
unsigned char echo_byte(int channel, unsigned char b);

/*
 * A SIGALRM after `secs`, caught without SA_RESTART: a blocking open()
 * waiting for the SP fails with EINTR then.  alarm_off() cancels it.
 */
void alarm_in(double secs);
void alarm_off(void);

/* the CLOCK_REALTIME time `secs` from now (for pthread_cond_timedwait) */
void deadline_in(double secs, struct timespec *ts);

#endif
