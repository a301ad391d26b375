/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * restart: taking over from a fuse-vpe that died without cleaning up
 * (SIGKILL, a crash, the OOM killer).
 *
 * It leaves its mount behind, dead: the kernel answers every call on it,
 * including the ones its clients were blocked in, with ENOTCONN.  It may
 * leave the program it loaded running, with channels it had claimed, and a
 * firmware file it was writing.  The next fuse-vpe started with the same
 * options detaches the dead mount, finds the running program's vpe_shared
 * in the firmware file remoteproc loaded (no --vpe-shared needed) and
 * serves its channels again from where the rings stand: the rings live in
 * the remote's memory, so no byte in them is lost.  A call that was being
 * answered at the moment of the kill may or may not have taken effect, as
 * with any device that goes away mid-call.
 */
#ifndef VPE_RESTART_H
#define VPE_RESTART_H

#include <stddef.h>

#include "fwimage.h"
#include "rproc.h"

/* What our mounts are called (mountinfo: type fuse.vpe, source vpe-compat). */
#define RESTART_FSNAME	"vpe-compat"
#define RESTART_SUBTYPE	"vpe"

/*
 * If @mountpoint is a dead mount of ours (fuse.vpe from vpe-compat, its
 * connection gone), detach it.  0 when there is none (any more); -EBUSY
 * when a live fuse-vpe serves it, -ENOTCONN when it is a dead mount of
 * another file system, another -errno if it cannot be detached: each with
 * the reason on stderr.
 */
int restart_clear_mount(const char *mountpoint);

/*
 * Does remoteproc run the image an earlier fuse-vpe wrote?  1 and @info
 * filled (its vpe_shared and byte order), 0 if it runs nothing or another
 * image (said in the log), -errno if ours cannot be read back.
 */
int restart_find_program(struct rproc *rp, struct fwimage_info *info);

#endif
