/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * warn: the kernel log, as the daemon writes to it.
 *
 * Legacy programs and scripts watch the kernel log for the VPE loader's
 * messages, so those are written there verbatim, with the daemon's own.
 * Lines go to /dev/kmsg (with their level), or to a plain file (tests).
 * The deprecation lines are notice.c's.
 */
#ifndef VPE_WARN_H
#define VPE_WARN_H

#include <syslog.h>	/* the levels: LOG_ERR, LOG_WARNING, LOG_INFO */

/* path: a kmsg device or a file to append to. Returns 0 or -errno. */
int warn_open(const char *path);
void warn_close(void);

/* One kernel-log line (no trailing newline needed). Thread-safe. */
void warn_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
