/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * warn: the kernel-log side of the shim.
 *
 * Legacy programs and scripts watch the kernel log for the VPE loader's
 * messages, so those are written there verbatim, and every process that uses
 * a legacy interface leaves one deprecation line per interface, naming the
 * remoteproc replacement. Lines go to /dev/kmsg, or to a plain file (tests).
 */
#ifndef VPE_WARN_H
#define VPE_WARN_H

#include <sys/types.h>

enum warn_level {
	WARN_ERR = 3,
	WARN_WARNING = 4,
	WARN_INFO = 6,
};

/* path: a kmsg device or a file to append to. Returns 0 or -errno. */
int warn_open(const char *path);
void warn_close(void);

/* Deprecation lines through vpe_compat.ko's ioctl on @fd (rate-limited
 * there), the other lines still to the sink. */
void warn_use_module(int fd);

/* One kernel-log line (no trailing newline needed). Thread-safe. */
void warn_log(enum warn_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Once per process (pid plus its start time, so a recycled pid counts as a
 * new process) and interface: "<comm>[<pid>] uses <iface>, deprecated; use
 * <replacement>".
 */
void warn_deprecated(pid_t pid, const char *iface, const char *replacement);

#endif
