// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage diagnostics: the one precise error line, the legacy kernel-log
 * lines and warnings, all stored in the result (fixed-size buffers, so a
 * message never needs memory and never fails).
 *
 * Names taken from the image (section and symbol names) pass through
 * fw_printable() first: the daemon writes these lines to the kernel log,
 * and a hostile image must not be able to forge lines with a newline or
 * fill the log with kilobyte-long names.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fwimage-priv.h"

static void format_line(char *dst, size_t size, const char *prefix,
			const char *fmt, va_list ap)
{
	size_t n = strlen(prefix);

	if (n >= size)
		n = size - 1;
	memcpy(dst, prefix, n);
	dst[n] = '\0';
	vsnprintf(dst + n, size - n, fmt, ap);
}

/*
 * Record a failure. Only the first one counts: later checks may trip over
 * the same defect and would only repeat it less precisely.
 */
int fw_fail(struct fw_ctx *ctx, int err, const char *fmt, ...)
{
	struct fwimage_result *res = ctx->res;
	va_list ap;

	if (!res->err) {
		res->err = err;
		va_start(ap, fmt);
		format_line(res->error, sizeof(res->error), "fwimage: ", fmt,
			    ap);
		va_end(ap);
	}
	return -res->err;
}

int fw_nomem(struct fw_ctx *ctx, const char *what, uint64_t bytes)
{
	return fw_fail(ctx, ENOMEM,
		       "out of memory allocating %llu bytes for %s",
		       (unsigned long long)bytes, what);
}

void fw_legacy(struct fw_ctx *ctx, int level,
	       const char *fmt, ...)
{
	struct fwimage_result *res = ctx->res;
	struct fwimage_line *line;
	va_list ap;

	if (res->nlegacy >= FWIMAGE_MAX_LEGACY)
		return;
	line = &res->legacy[res->nlegacy++];
	line->level = level;
	va_start(ap, fmt);
	format_line(line->text, sizeof(line->text), "", fmt, ap);
	va_end(ap);
}

void fw_warn(struct fw_ctx *ctx, const char *fmt, ...)
{
	struct fwimage_result *res = ctx->res;
	va_list ap;

	if (res->nwarnings >= FWIMAGE_MAX_WARNINGS) {
		res->warnings_dropped = true;
		return;
	}
	va_start(ap, fmt);
	format_line(res->warnings[res->nwarnings++], FWIMAGE_LINE_MAX,
		    "fwimage: ", fmt, ap);
	va_end(ap);
}

/*
 * Copy s into buf for a message: printable ASCII only, at most size - 1
 * bytes, "..." marking a cut. NULL (a name that could not be read) gives
 * "?".
 */
const char *fw_printable(const char *s, char *buf, size_t size)
{
	size_t i;

	if (!s)
		s = "?";
	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[i] = '\0';
	if (s[i] && size > 4)
		memcpy(buf + size - 4, "...", 4);
	return buf;
}
