// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fs: the FUSE operations table.
 *
 *   /vpe1      the loader (vpe.c)
 *   /kill      the legacy /sys/class/vpe/vpe1/kill (vpe.c)
 *   /rtlx0..7  the channels (rtlx.c; requests that must wait: park.c)
 *
 * The files are regular files to FUSE; /dev/vpe1 and /dev/rtlxN are
 * symlinks to them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"
#include "park.h"
#include "stream.h"
#include "warn.h"

enum fs_ino {
	FS_INO_ROOT = FUSE_ROOT_ID,
	FS_INO_VPE1,
	FS_INO_KILL,
	FS_INO_RTLX0,
	FS_INO_LAST = FS_INO_RTLX0 + RTLX_CHANNELS,
};

static const char *const fs_names[FS_INO_LAST] = {
	[FS_INO_ROOT] = ".",
	[FS_INO_VPE1] = "vpe1",
	[FS_INO_KILL] = "kill",
	[FS_INO_RTLX0] = "rtlx0", "rtlx1", "rtlx2", "rtlx3",
			 "rtlx4", "rtlx5", "rtlx6", "rtlx7",
};

static struct fs *fs_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static bool is_rtlx(fuse_ino_t ino)
{
	return ino >= FS_INO_RTLX0 && ino < FS_INO_LAST;
}

static bool node_exists(const struct fs *fs, fuse_ino_t ino)
{
	return ino >= FS_INO_ROOT && ino < FS_INO_LAST &&
	       (!is_rtlx(ino) || fs->rtlx);
}

static mode_t node_mode(const struct fs *fs, fuse_ino_t ino)
{
	switch (ino) {
	case FS_INO_ROOT:
		return S_IFDIR | 0755;
	case FS_INO_VPE1:
		/* loading firmware is as mighty as root, as devtmpfs made it */
		return S_IFREG | 0600;
	case FS_INO_KILL:
		return S_IFREG | 0200;
	default:
		return S_IFREG | fs->rtlx_mode;
	}
}

static void node_stat(const struct fs *fs, fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = node_mode(fs, ino);
	st->st_nlink = ino == FS_INO_ROOT ? 2 : 1;
	st->st_atim = st->st_mtim = st->st_ctim = fs->mount_time;
	st->st_blksize = 4096;
}

static void fs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fs *fs = fs_of(req);
	struct fuse_entry_param e;
	fuse_ino_t ino;

	if (parent != FS_INO_ROOT) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	for (ino = FS_INO_VPE1; ino < FS_INO_LAST; ino++) {
		if (strcmp(fs_names[ino], name) || !node_exists(fs, ino))
			continue;
		memset(&e, 0, sizeof(e));
		e.ino = ino;
		e.attr_timeout = e.entry_timeout = 3600;
		node_stat(fs, ino, &e.attr);
		fuse_reply_entry(req, &e);
		return;
	}
	fuse_reply_err(req, ENOENT);
}

static void fs_getattr(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct fs *fs = fs_of(req);
	struct stat st;

	(void)fi;
	if (!node_exists(fs, ino)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	node_stat(fs, ino, &st);
	fuse_reply_attr(req, &st, 3600);
}

/* Only truncation (dd, and shells without atomic O_TRUNC) is meaningful. */
static void fs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
		       int to_set, struct fuse_file_info *fi)
{
	const int allowed = FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_ATIME |
			    FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW |
			    FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_CTIME;

	(void)attr;
	if (ino == FS_INO_ROOT || (to_set & ~allowed)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	fs_getattr(req, ino, fi);
}

static void fs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	struct fs *fs = fs_of(req);
	size_t used = 0, len;
	char buf[1024];
	fuse_ino_t i;

	(void)fi;
	if (ino != FS_INO_ROOT) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	/* entry k: ".", "..", then node k; off is the next entry's k */
	for (i = off; i < FS_INO_LAST; i++) {
		fuse_ino_t node = i < 2 ? FS_INO_ROOT : i;
		struct stat st = { .st_ino = node, .st_mode = node_mode(fs, node) };

		if (i >= 2 && !node_exists(fs, node))
			continue;
		len = fuse_add_direntry(req, buf + used, sizeof(buf) - used,
					i == 1 ? ".." : fs_names[node], &st, i + 1);
		if (used + len > size || used + len > sizeof(buf))
			break;
		used += len;
	}
	fuse_reply_buf(req, buf, used);
}

/* ---- /vpe1 and /kill ------------------------------------------------------ */

static struct vpe_file *vpe_file_of(struct fuse_file_info *fi)
{
	return (struct vpe_file *)(uintptr_t)fi->fh;
}

static void vpe1_open(fuse_req_t req, struct fuse_file_info *fi)
{
	struct vpe_file *file;
	int err;

	err = vpe_open(fs_of(req)->vpe, fuse_req_ctx(req)->pid, &file);
	if (err) {
		fs_reply_open_err(req, -err);
		return;
	}
	fi->fh = (uintptr_t)file;
	/* every write must reach us, in order, with no page cache between */
	fi->direct_io = 1;
	fuse_reply_open(req, fi);
}

static void vpe1_write(fuse_req_t req, const char *buf, size_t size,
		       struct fuse_file_info *fi)
{
	ssize_t n = vpe_write(fs_of(req)->vpe, vpe_file_of(fi), buf, size,
			      fuse_req_ctx(req)->pid);

	if (n < 0)
		fuse_reply_err(req, -n);
	else
		fuse_reply_write(req, n);
}

static void kill_write(fuse_req_t req, size_t size)
{
	int err = vpe_kill(fs_of(req)->vpe, fuse_req_ctx(req)->pid);

	if (err)
		fuse_reply_err(req, -err);
	else
		fuse_reply_write(req, size);
}

/* ---- /rtlx0..7 ------------------------------------------------------------ */

static int channel_of(struct fuse_file_info *fi)
{
	return (int)fi->fh;
}

void fs_reply_rtlx_open(fuse_req_t req, int ch, const struct fuse_file_info *fi)
{
	struct fuse_file_info out = *fi;

	out.fh = ch;
	out.direct_io = 1;
	out.nonseekable = 1;
	stream_reply_open(req, &out);
}

/*
 * The deprecation line is once per process, but finding the process of a
 * thread costs two /proc reads: far more than a ring operation. So each
 * channel remembers the last few threads it already looked up (legacy
 * programs read and write one fd from two threads), and forgets them when
 * the channel is opened or closed, so that a recycled thread id is looked
 * up again. A lost race only means one more lookup.
 */
static bool rtlx_noted(struct fs *fs, int ch, pid_t tid)
{
	unsigned int i;

	for (i = 0; i < FS_NOTED_THREADS; i++)
		if (__atomic_load_n(&fs->noted[ch][i], __ATOMIC_RELAXED) == tid)
			return true;
	i = __atomic_fetch_add(&fs->next_noted[ch], 1, __ATOMIC_RELAXED);
	__atomic_store_n(&fs->noted[ch][i % FS_NOTED_THREADS], tid,
			 __ATOMIC_RELAXED);
	return false;
}

static void rtlx_forget_noted(struct fs *fs, int ch)
{
	unsigned int i;

	for (i = 0; i < FS_NOTED_THREADS; i++)
		__atomic_store_n(&fs->noted[ch][i], 0, __ATOMIC_RELAXED);
}

static void rtlx_note_user(fuse_req_t req, int ch)
{
	struct fs *fs = fs_of(req);
	pid_t tid = fuse_req_ctx(req)->pid;
	char iface[16];

	if (rtlx_noted(fs, ch, tid))
		return;
	snprintf(iface, sizeof(iface), "/dev/rtlx%d", ch);
	warn_deprecated(tid, iface, fs->rtlx_replacement);
}

static void rtlx_open(fuse_req_t req, int ch, struct fuse_file_info *fi)
{
	struct fs *fs = fs_of(req);
	int err;

	rtlx_forget_noted(fs, ch);
	rtlx_note_user(req, ch);
	err = rtlx_open_begin(fs->rtlx, ch);
	if (!err)
		err = rtlx_open_try(fs->rtlx, ch, fi->flags & O_NONBLOCK);
	if (err == -EAGAIN)
		park_open(fs->park, req, ch, fi);
	else if (err)
		fs_reply_open_err(req, -err);
	else
		fs_reply_rtlx_open(req, ch, fi);
}

static void rtlx_do_read(fuse_req_t req, size_t size,
			 struct fuse_file_info *fi)
{
	struct fs *fs = fs_of(req);
	int ch = channel_of(fi);
	ssize_t n;
	char *buf;

	rtlx_note_user(req, ch);
	buf = malloc(size ? size : 1);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	n = rtlx_read(fs->rtlx, ch, buf, size);
	if (n == -EAGAIN && !(fi->flags & O_NONBLOCK))
		park_read(fs->park, req, ch, size);
	else if (n == -EAGAIN)
		/* empty, non-blocking: 0, not EAGAIN ("EAGAIN makes cat whinge") */
		fuse_reply_buf(req, NULL, 0);
	else if (n < 0)
		fuse_reply_err(req, -n);
	else
		fuse_reply_buf(req, buf, n);
	free(buf);
}

static void rtlx_do_write(fuse_req_t req, const char *buf, size_t size,
			  struct fuse_file_info *fi)
{
	struct fs *fs = fs_of(req);
	int ch = channel_of(fi);
	ssize_t n;

	rtlx_note_user(req, ch);
	n = rtlx_write(fs->rtlx, ch, buf, size);
	if (n == -EAGAIN && !(fi->flags & O_NONBLOCK))
		park_write(fs->park, req, ch, buf, size);
	else if (n < 0)
		fuse_reply_err(req, -n);
	else
		fuse_reply_write(req, n);
}

static void fs_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	struct fs *fs = fs_of(req);
	unsigned int mask;

	if (!is_rtlx(ino)) {
		/* not pollable: always ready, like a regular file */
		if (ph)
			fuse_pollhandle_destroy(ph);
		fuse_reply_poll(req, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
		return;
	}
	mask = rtlx_poll(fs->rtlx, channel_of(fi));
	if (ph && (mask & fi->poll_events))
		fuse_pollhandle_destroy(ph);
	else if (ph)
		park_poll(fs->park, channel_of(fi), ph, fi->poll_events);
	fuse_reply_poll(req, mask);
}

/* ---- dispatch ------------------------------------------------------------- */

/*
 * FUSE cannot answer an open with ENOSYS: the kernel takes it to mean "this
 * file system has no open method", succeeds this open and every later one
 * without asking. The legacy O_NONBLOCK open with no program gave ENOSYS;
 * here it is ENXIO, what a non-blocking open of a FIFO with nobody at the
 * other end gives.
 */
void fs_reply_open_err(fuse_req_t req, int err)
{
	fuse_reply_err(req, err == ENOSYS ? ENXIO : err);
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fs *fs = fs_of(req);

	if (ino == FS_INO_VPE1) {
		vpe1_open(req, fi);
	} else if (ino == FS_INO_KILL) {
		fi->direct_io = 1;
		fuse_reply_open(req, fi);
	} else if (is_rtlx(ino) && fs->rtlx) {
		rtlx_open(req, ino - FS_INO_RTLX0, fi);
	} else {
		fs_reply_open_err(req, ino == FS_INO_ROOT ? EISDIR : ENOENT);
	}
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)off;
	if (is_rtlx(ino))
		rtlx_do_read(req, size, fi);
	else
		/* the legacy loader had no read method: the VFS said EINVAL */
		fuse_reply_err(req, EINVAL);
}

static void fs_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)off;	/* the legacy devices ignored the file position */
	if (ino == FS_INO_VPE1)
		vpe1_write(req, buf, size, fi);
	else if (ino == FS_INO_KILL)
		kill_write(req, size);
	else if (is_rtlx(ino))
		rtlx_do_write(req, buf, size, fi);
	else
		fuse_reply_err(req, EBADF);
}

static void fs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	int err = 0;

	if (ino == FS_INO_VPE1)
		err = vpe_flush(fs_of(req)->vpe, vpe_file_of(fi),
				fuse_req_ctx(req)->pid);
	fuse_reply_err(req, -err);
}

static void fs_release(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	if (ino == FS_INO_VPE1)
		vpe_release(fs_of(req)->vpe, vpe_file_of(fi));
	else if (is_rtlx(ino)) {
		rtlx_release(fs_of(req)->rtlx, channel_of(fi));
		rtlx_forget_noted(fs_of(req), channel_of(fi));
	}
	fuse_reply_err(req, 0);
}

/* The legacy devices had no fsync method: the VFS said EINVAL. (Without
 * this op FUSE would answer ENOSYS, which the kernel turns into success.) */
static void fs_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
		     struct fuse_file_info *fi)
{
	(void)ino, (void)datasync, (void)fi;
	fuse_reply_err(req, EINVAL);
}

static void fs_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* "> /dev/vpe1" opens with O_TRUNC: take it in open, no setattr */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
}

const struct fuse_lowlevel_ops fs_ops = {
	.init = fs_init,
	.lookup = fs_lookup,
	.getattr = fs_getattr,
	.setattr = fs_setattr,
	.readdir = fs_readdir,
	.open = fs_open,
	.read = fs_read,
	.write = fs_write,
	.flush = fs_flush,
	.release = fs_release,
	.fsync = fs_fsync,
	.poll = fs_poll,
};
