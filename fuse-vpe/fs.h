/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fs: the FUSE operations table. Each file of the mount is served by one
 * module: vpe1 and kill by vpe, rtlx0..7 by rtlx (waits by park).
 */
#ifndef VPE_FS_H
#define VPE_FS_H

#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 14)
#include <fuse_lowlevel.h>

#include <limits.h>

#include "rtlx.h"
#include "vpe.h"

struct park;

/* Threads already named in a channel's deprecation line (see fs.c). */
#define FS_NOTED_THREADS 8

struct fs {
	struct vpe *vpe;
	struct rtlx *rtlx;		/* NULL: no memory window, no channels */
	struct park *park;
	mode_t rtlx_mode;
	char rtlx_replacement[PATH_MAX + 64];	/* for deprecation lines */
	pid_t noted[RTLX_CHANNELS][FS_NOTED_THREADS];
	unsigned int next_noted[RTLX_CHANNELS];
	struct timespec mount_time;
};

extern const struct fuse_lowlevel_ops fs_ops;

/* Answer an open that failed (never with ENOSYS, see fs.c). */
void fs_reply_open_err(fuse_req_t req, int err);

/* Answer an open of /dev/rtlx<ch> that succeeded (now or after waiting). */
void fs_reply_rtlx_open(fuse_req_t req, int ch, const struct fuse_file_info *fi);

#endif
