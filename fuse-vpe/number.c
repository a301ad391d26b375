// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * number: command-line numbers (number.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "number.h"

static int suffix_shift(char c)
{
	switch (c) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	default: return -1;
	}
}

int number_parse(const char *s, enum number_form form, uint64_t min,
		 uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;
	int shift;

	/* strtoull takes "-1" and " 1"; a number here is digits first */
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, form == NUMBER_OCTAL ? 8 : 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || end == s)
		return -EINVAL;
	if (form == NUMBER_SIZE && *end) {
		shift = suffix_shift(*end++);
		if (shift < 0)
			return -EINVAL;
		if (v > (UINT64_MAX >> shift))
			return -ERANGE;
		v <<= shift;
	}
	if (*end)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}
