/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench: what the bench programs share: a clock, the stream pattern, the
 * sample file, small parsers.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* CLOCK_MONOTONIC in nanoseconds */
int64_t now_ns(void);

/* print "PROG: message" to stderr and exit 1 */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* "100", "64K", "2M" */
uint64_t parse_size(const char *s);
/* "2.5" seconds, 0..3600 */
double parse_seconds(const char *s);
/* "1", "0-7", "0,3,5" channels below @nchan as a bit mask; 0 if malformed */
unsigned int parse_channels(const char *s, unsigned int nchan);

/*
 * The stream pattern: byte @off of every stream. No ASCII letters, so the
 * echo firmware returns it unchanged on every channel (channel 0 inverts
 * letters); its period (37) is prime to the ring size, so the wrap points
 * move.
 */
void pattern_fill(unsigned char *p, uint64_t off, size_t n);
/* does p[0..n) equal the pattern at @off? */
int pattern_check(const unsigned char *p, uint64_t off, size_t n);

/* append round-trip samples (ns, one per line) to @path */
void samples_append(const char *path, const int64_t *ns, size_t n);

extern const char *prog;

#endif
