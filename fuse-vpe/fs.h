/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fs: the FUSE operations table: the mount's files and their attributes,
 * each call handed to the device behind the file (vpe1 and kill: vpe.c;
 * rtlx0..7: chan.c, as struct requests answered through fs.c).
 */
#ifndef VPE_FS_H
#define VPE_FS_H

#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 14)
#include <fuse_lowlevel.h>

#include <limits.h>

#include "chan.h"
#include "vpe.h"

struct fs {
	struct vpe *vpe;
	struct chan *chan;		/* NULL: no memory window, no channels */
	mode_t rtlx_mode;
	struct timespec mount_time;
};

extern const struct fuse_lowlevel_ops fs_ops;

#endif
