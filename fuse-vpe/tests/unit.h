/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unit: what the unit tests share: TAP lines (one "ok N - what" per
 * check, the plan at the end), a
 * monotonic clock, and bounded waits: no test may hang, so every wait has
 * a deadline and a missed one is a failure, not a stall.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stdint.h>

/* One check; returns @cond so that callers can print what they saw. */
bool ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A check that cannot run here: never a pass, always with the reason. */
void skip(const char *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A "# " line for the log. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The plan; the program's exit status. */
int done(void);

int64_t unit_now_ms(void);
void unit_sleep_ms(long ms);
/* Poll @cond every millisecond for up to @ms; true once it held. */
bool wait_for_ms(bool (*cond)(void *arg), void *arg, long ms);

/*
 * A log file for warn_open() (the daemon's lines must never reach the
 * kernel log from a test) that goes with the process, even one that
 * crashes: a memfd, named by its /proc path in @path.
 */
bool unit_log_file(char *path, size_t size);

#endif
