/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notice: the deprecation lines.
 *
 * Every process that uses a legacy interface leaves one kernel-log line
 * per interface, naming itself and what replaces the interface:
 *
 *   vpe-compat: cat[1234] uses /dev/vpe1, which is deprecated; use remoteproc (...)
 *
 * through vpe_compat.ko when the daemon has it (rate-limited there), else
 * through the log sink (warn.c).  FUSE names the calling thread, and finding
 * its process costs /proc reads, far more than a ring operation: each
 * interface remembers the last few threads it already named.
 */
#ifndef VPE_NOTICE_H
#define VPE_NOTICE_H

#include <sys/types.h>

#include "legacy.h"

enum notice_iface {
	NOTICE_LOADER,		/* /dev/vpe1 */
	NOTICE_KILL,		/* the legacy /sys/class/vpe/vpe1/kill */
	NOTICE_CHANNEL0,	/* /dev/rtlx0 .. /dev/rtlx7 */
	NOTICE_IFACES = NOTICE_CHANNEL0 + RTLX_CHANNELS,
};

/* The remoteproc instance the replacements name (its sysfs directory). */
void notice_init(const char *rproc_path);
/* Lines through vpe_compat.ko's ioctl on @fd from now on. */
void notice_use_module(int fd);

/* Thread @tid used @iface: one line the first time its process does. */
void notice_use(enum notice_iface iface, pid_t tid);
/* Forget the threads @iface named (opened or closed: ids get reused). */
void notice_forget(enum notice_iface iface);

#endif
