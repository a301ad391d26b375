/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vpe: the loader device, /dev/vpe1.
 *
 * Legacy behaviour (docs/legacy-abi.md §4): opening stops the running
 * program; writes append; the close that carries an image loads and starts
 * it. Here the image is converted for remoteproc and started through it,
 * and the outcome comes back through close() (FUSE flush) unless
 * --legacy-close asks for the old silent close.
 *
 * Each open has its own staging file (in the firmware directory, unnamed
 * until the load turns it into the firmware: vpe.c), so two writers at
 * once each load their own whole image (the later close wins) and an
 * interleaving of two images is never loaded.
 */
#ifndef VPE_VPE_H
#define VPE_VPE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loader_id.h"
#include "rproc.h"

struct fwimage_info;

/* Told when the program stops and when a new one runs (the rtlx engine). */
struct vpe_listener {
	void (*stopped)(void *ctx);
	/* @who: the process that opened /dev/vpe1 for it */
	void (*started)(void *ctx, const struct fwimage_info *info,
			const struct loader_id *who);
	void *ctx;
};

struct vpe_config {
	uint32_t load_addr;	/* where ET_REL images are laid out (KSEG0) */
	size_t max_image;	/* largest image one open may stage */
	bool legacy_close;	/* close() always succeeds, as it used to */
	int order;		/* enum fwimage_order: the remote's byte order */
	const char *node_path;	/* the vpe1 file in the mount, as /proc shows it */
};

struct vpe {
	struct rproc *rp;
	struct vpe_config cfg;
	struct vpe_listener listener;
	pthread_mutex_t lock;		/* staged_total */
	size_t staged_total;
	pthread_mutex_t load_lock;	/* one stop or load at a time */
};

struct vpe_file;

void vpe_init(struct vpe *v, struct rproc *rp, const struct vpe_config *cfg,
	      const struct vpe_listener *listener);
void vpe_destroy(struct vpe *v);

/* All return 0 (or a byte count) or -errno. */
int vpe_open(struct vpe *v, pid_t pid, struct vpe_file **file);
ssize_t vpe_write(struct vpe *v, struct vpe_file *f, const void *buf,
		  size_t len, pid_t pid);
int vpe_flush(struct vpe *v, struct vpe_file *f, pid_t pid);
void vpe_release(struct vpe *v, struct vpe_file *f);

/* The legacy /sys/class/vpe/vpe1/kill: stop the program. */
int vpe_kill(struct vpe *v, pid_t pid);
/* Stop it, for the daemon itself (the program called exit). */
int vpe_halt(struct vpe *v);

#endif
