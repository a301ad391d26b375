/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stream: FOPEN_STREAM for the channel files.
 *
 * Without it the kernel serialises read() and write() on one file through
 * the file-position lock, so a write() waits behind a read() parked on the
 * same descriptor (a reader and a writer thread sharing an fd deadlock).
 * libfuse 3.14 has no field for the flag, so the daemon's replies go
 * through a custom writev that adds it to the open replies it is told of.
 */
#ifndef VPE_STREAM_H
#define VPE_STREAM_H

#include "fs.h"

/* After fuse_session_mount(): route the session's replies through us. */
int stream_install(struct fuse_session *se);

/* Reply to an open; the file becomes a stream (no position, no f_pos lock). */
int stream_reply_open(fuse_req_t req, const struct fuse_file_info *fi);

#endif
