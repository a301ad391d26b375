/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fs: the FUSE operations table. Each file of the mount is served by one
 * module: vpe1 by vpe, kill by vpe, rtlx0..7 by rtlx.
 */
#ifndef VPE_FS_H
#define VPE_FS_H

#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 14)
#include <fuse_lowlevel.h>

#include "vpe.h"

struct fs {
	struct vpe *vpe;
	struct timespec mount_time;
};

extern const struct fuse_lowlevel_ops fs_ops;

#endif
