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
#include <stdbool.h>
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
	char fw_dir[PATH_MAX];	/* the firmware directory, for messages */
	bool gone;		/* the instance was removed (said once) */
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
 * A firmware file being written, in the firmware directory: unnamed
 * (O_TMPFILE) where the file system can, so that nothing of it is ever
 * seen before it is whole and nothing is left should the daemon die;
 * else under the temporary name ".FW_NAME.PID.tmp".
 */
struct rproc_image {
	int fd;			/* read-write */
	char tmp[NAME_MAX + 1];	/* its temporary name, "" while unnamed */
};

/*
 * A new empty image file. Without unnamed files: the temporary name if
 * @named (one such file at a time: call it under the caller's load lock),
 * else -EOPNOTSUPP. 0 or -errno.
 */
int rproc_image_open(struct rproc *rp, struct rproc_image *img, bool named);
/*
 * Make it the firmware file, atomically (fsync, then renamed over the old
 * one), and close it. On error nothing of it is left. 0 or -errno.
 * @replaced (may be NULL): the firmware file it replaced, still open (-1
 * if none), so that the caller frees its storage (by closing it) when it
 * is not in a hurry; for a big image that takes milliseconds.
 */
int rproc_image_install(struct rproc *rp, struct rproc_image *img,
			int *replaced);
/* Close and remove an image file that will not be installed. */
void rproc_image_discard(struct rproc *rp, struct rproc_image *img);
/*
 * Select the installed firmware file, start the remote and confirm
 * "running". The remote must be offline. 0 or -errno (the errno the
 * kernel gave).
 */
int rproc_start(struct rproc *rp);

/*
 * Our firmware file, mapped read-only (munmap it), if remoteproc's
 * "firmware" names it; -ENOENT if it names another.
 */
int rproc_map_firmware(struct rproc *rp, const void **map, size_t *len);
/* Remove the temporary files of writers of ours that died mid-write. */
void rproc_remove_stale_temps(struct rproc *rp);

#endif
