/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * number: the one way fuse-vpe and vpe-fwconvert read a number from the
 * command line.  Whole string or nothing, never negative, in range.
 */
#ifndef VPE_NUMBER_H
#define VPE_NUMBER_H

#include <stdbool.h>
#include <stdint.h>

enum number_form {
	NUMBER_ANY,	/* 4096, 0x1000 or 010000 (C's forms) */
	NUMBER_OCTAL,	/* permission bits: 0644 or 644 */
	NUMBER_SIZE,	/* NUMBER_ANY with an optional K, M or G */
};

/*
 * @s as a number of @form in [@min, @max] into @out: 0, -EINVAL (not a
 * number of that form) or -ERANGE (one, outside the range).
 */
int number_parse(const char *s, enum number_form form, uint64_t min,
		 uint64_t max, uint64_t *out);

#endif
