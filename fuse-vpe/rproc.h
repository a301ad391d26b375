/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rproc: one remoteproc instance, driven through its sysfs directory
 * (firmware, state, name, recovery), and the firmware directory its
 * request_firmware() reads from.
 *
 * The same code runs against /sys/class/remoteproc/remoteprocN on a board
 * and against the simulator's directory in tests.
 */
#ifndef VPE_RPROC_H
#define VPE_RPROC_H

#include <limits.h>
#include <stddef.h>

enum rproc_state {
	RPROC_OFFLINE,
	RPROC_RUNNING,
	RPROC_CRASHED,
	RPROC_OTHER,	/* suspended, deleted, attached, detached, invalid */
};

struct rproc {
	int dirfd;		/* the instance directory */
	int fwdirfd;		/* the firmware directory */
	char path[PATH_MAX];	/* the instance directory, for messages */
	char name[64];		/* its "name" attribute */
	char fw_name[NAME_MAX + 1];
};

/*
 * Find the instance: @dir names it directly, or else the entry of
 * @class_dir whose "name" is @name (NULL: the only instance there).
 */
int rproc_open(struct rproc *rp, const char *dir, const char *class_dir,
	       const char *name);
int rproc_set_firmware_dir(struct rproc *rp, const char *fw_dir,
			   const char *fw_name);
void rproc_close(struct rproc *rp);

int rproc_get_state(struct rproc *rp, enum rproc_state *state);

/* Bring the remote to "offline", whatever it runs. 0 or -errno. */
int rproc_stop(struct rproc *rp);

/*
 * Write @image as the firmware file (atomically: a temporary file renamed
 * over the old one), select it, start the remote and confirm "running".
 * The remote must be offline. 0 or -errno (the errno the kernel gave).
 */
int rproc_boot(struct rproc *rp, const void *image, size_t len);

#endif
