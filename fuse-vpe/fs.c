// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fs: the FUSE operations table.
 *
 *   /vpe1      the loader (vpe.c)
 *   /kill      the legacy /sys/class/vpe/vpe1/kill (vpe.c)
 *   /rtlx0..7  the channels (chan.c, through struct request)
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
#include "stream.h"

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
	       (!is_rtlx(ino) || fs->chan);
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

/*
 * FUSE cannot answer an open with ENOSYS: the kernel takes it to mean "this
 * file system has no open method", succeeds this open and every later one
 * without asking. The legacy O_NONBLOCK open with no program gave ENOSYS;
 * here it is ENXIO, what a non-blocking open of a FIFO with nobody at the
 * other end gives.
 */
static void fs_reply_open_err(fuse_req_t req, int err)
{
	fuse_reply_err(req, err == ENOSYS ? ENXIO : err);
}

/* ---- /vpe1 and /kill ------------------------------------------------------ */

static struct vpe_file *fs_vpe_file(struct fuse_file_info *fi)
{
	return (struct vpe_file *)(uintptr_t)fi->fh;
}

static void fs_vpe1_open(fuse_req_t req, struct fuse_file_info *fi)
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

static void fs_vpe1_write(fuse_req_t req, const char *buf, size_t size,
		       struct fuse_file_info *fi)
{
	ssize_t n = vpe_write(fs_of(req)->vpe, fs_vpe_file(fi), buf, size,
			      fuse_req_ctx(req)->pid);

	if (n < 0)
		fuse_reply_err(req, -n);
	else
		fuse_reply_write(req, n);
}

static void fs_kill_write(fuse_req_t req, size_t size)
{
	int err = vpe_kill(fs_of(req)->vpe, fuse_req_ctx(req)->pid);

	if (err)
		fuse_reply_err(req, -err);
	else
		fuse_reply_write(req, size);
}

/* ---- /rtlx0..7: the FUSE side of chan's requests --------------------------- */

/* A FUSE request as chan.c sees it (request.h). */
struct fs_request {
	struct request rq;
	fuse_req_t req;
	struct fuse_file_info fi;	/* an open's, for its reply */
	int ch;
	bool open;
	request_interrupt_fn on_intr;
	void *on_intr_arg;
};

static struct fs_request *fs_request_of(struct request *rq)
{
	return (struct fs_request *)rq;
}

static void fs_rq_opened(struct request *rq)
{
	struct fs_request *r = fs_request_of(rq);

	r->fi.fh = r->ch;
	r->fi.direct_io = 1;
	r->fi.nonseekable = 1;
	stream_reply_open(r->req, &r->fi);
	free(r);
}

static void fs_rq_failed(struct request *rq, int err)
{
	struct fs_request *r = fs_request_of(rq);

	if (r->open)
		fs_reply_open_err(r->req, err);
	else
		fuse_reply_err(r->req, err);
	free(r);
}

static void fs_rq_data(struct request *rq, const void *buf, size_t len)
{
	struct fs_request *r = fs_request_of(rq);

	fuse_reply_buf(r->req, buf, len);
	free(r);
}

static void fs_rq_written(struct request *rq, size_t len)
{
	struct fs_request *r = fs_request_of(rq);

	fuse_reply_write(r->req, len);
	free(r);
}

static void fs_rq_interrupted(fuse_req_t req, void *data)
{
	struct fs_request *r = data;

	(void)req;
	r->on_intr(&r->rq, r->on_intr_arg);
}

static void fs_rq_on_interrupt(struct request *rq, request_interrupt_fn fn,
			       void *arg)
{
	struct fs_request *r = fs_request_of(rq);

	r->on_intr = fn;
	r->on_intr_arg = arg;
	fuse_req_interrupt_func(r->req, fn ? fs_rq_interrupted : NULL,
				fn ? r : NULL);
}

static const struct request_ops fs_request_ops = {
	.opened = fs_rq_opened,
	.failed = fs_rq_failed,
	.data = fs_rq_data,
	.written = fs_rq_written,
	.on_interrupt = fs_rq_on_interrupt,
};

/* NULL: answered already (ENOMEM). */
static struct request *fs_request(fuse_req_t req, int ch,
				  const struct fuse_file_info *fi, bool open)
{
	struct fs_request *r = calloc(1, sizeof(*r));

	if (!r) {
		fuse_reply_err(req, ENOMEM);
		return NULL;
	}
	r->rq.ops = &fs_request_ops;
	r->rq.tid = fuse_req_ctx(req)->pid;
	r->rq.nonblock = fi->flags & O_NONBLOCK;
	r->req = req;
	r->fi = *fi;
	r->ch = ch;
	r->open = open;
	return &r->rq;
}

/* A poll handle as chan.c sees it. */
struct fs_poll {
	struct poll_waiter pw;
	struct fuse_pollhandle *ph;
};

static void fs_poll_notify(struct poll_waiter *pw)
{
	struct fs_poll *p = (struct fs_poll *)pw;

	fuse_lowlevel_notify_poll(p->ph);
	fuse_pollhandle_destroy(p->ph);
	free(p);
}

static void fs_poll_discard(struct poll_waiter *pw)
{
	struct fs_poll *p = (struct fs_poll *)pw;

	fuse_pollhandle_destroy(p->ph);
	free(p);
}

static const struct poll_waiter_ops fs_poll_ops = {
	.notify = fs_poll_notify,
	.discard = fs_poll_discard,
};

static struct poll_waiter *fs_poll_waiter(struct fuse_pollhandle *ph)
{
	struct fs_poll *p;

	if (!ph)
		return NULL;
	p = malloc(sizeof(*p));
	if (!p) {
		/* no waiter: the caller polls again at its next wake-up */
		fuse_pollhandle_destroy(ph);
		return NULL;
	}
	p->pw.ops = &fs_poll_ops;
	p->ph = ph;
	return &p->pw;
}

static int channel_of(struct fuse_file_info *fi)
{
	return (int)fi->fh;
}

static void fs_rtlx_open(fuse_req_t req, int ch, struct fuse_file_info *fi)
{
	struct request *rq = fs_request(req, ch, fi, true);

	if (rq)
		chan_open(fs_of(req)->chan, ch, rq);
}

static void fs_rtlx_read(fuse_req_t req, size_t size, struct fuse_file_info *fi)
{
	struct request *rq = fs_request(req, channel_of(fi), fi, false);

	if (rq)
		chan_read(fs_of(req)->chan, channel_of(fi), size, rq);
}

static void fs_rtlx_write(fuse_req_t req, const char *buf, size_t size,
			  struct fuse_file_info *fi)
{
	struct request *rq = fs_request(req, channel_of(fi), fi, false);

	if (rq)
		chan_write(fs_of(req)->chan, channel_of(fi), buf, size, rq);
}

static void fs_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	if (!is_rtlx(ino)) {
		/* not pollable: always ready, like a regular file */
		if (ph)
			fuse_pollhandle_destroy(ph);
		fuse_reply_poll(req, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
		return;
	}
	fuse_reply_poll(req, chan_poll(fs_of(req)->chan, channel_of(fi),
				       fi->poll_events, fs_poll_waiter(ph)));
}

/* ---- dispatch ------------------------------------------------------------- */

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fs *fs = fs_of(req);

	if (ino == FS_INO_VPE1) {
		fs_vpe1_open(req, fi);
	} else if (ino == FS_INO_KILL) {
		fi->direct_io = 1;
		fuse_reply_open(req, fi);
	} else if (is_rtlx(ino) && fs->chan) {
		fs_rtlx_open(req, ino - FS_INO_RTLX0, fi);
	} else {
		fs_reply_open_err(req, ino == FS_INO_ROOT ? EISDIR : ENOENT);
	}
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)off;
	if (is_rtlx(ino))
		fs_rtlx_read(req, size, fi);
	else
		/* the legacy loader had no read method: the VFS said EINVAL */
		fuse_reply_err(req, EINVAL);
}

static void fs_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)off;	/* the legacy devices ignored the file position */
	if (ino == FS_INO_VPE1)
		fs_vpe1_write(req, buf, size, fi);
	else if (ino == FS_INO_KILL)
		fs_kill_write(req, size);
	else if (is_rtlx(ino))
		fs_rtlx_write(req, buf, size, fi);
	else
		fuse_reply_err(req, EBADF);
}

static void fs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	int err = 0;

	if (ino == FS_INO_VPE1)
		err = vpe_flush(fs_of(req)->vpe, fs_vpe_file(fi),
				fuse_req_ctx(req)->pid);
	else if (is_rtlx(ino))
		chan_flush(fs_of(req)->chan, channel_of(fi));
	fuse_reply_err(req, -err);
}

static void fs_release(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	if (ino == FS_INO_VPE1)
		vpe_release(fs_of(req)->vpe, fs_vpe_file(fi));
	else if (is_rtlx(ino))
		chan_release(fs_of(req)->chan, channel_of(fi));
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
