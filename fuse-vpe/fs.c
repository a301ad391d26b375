// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fs: the FUSE operations table.
 *
 *   /vpe1   the loader (vpe.c)
 *   /kill   the legacy /sys/class/vpe/vpe1/kill
 *
 * The files are regular files to FUSE; /dev/vpe1 is a symlink to them.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

enum fs_ino {
	FS_INO_ROOT = FUSE_ROOT_ID,
	FS_INO_VPE1,
	FS_INO_KILL,
};

struct fs_node {
	enum fs_ino ino;
	const char *name;
	mode_t mode;
};

static const struct fs_node fs_nodes[] = {
	{ FS_INO_ROOT, ".", S_IFDIR | 0755 },
	/* loading firmware is as mighty as root: root only, as devtmpfs made it */
	{ FS_INO_VPE1, "vpe1", S_IFREG | 0600 },
	{ FS_INO_KILL, "kill", S_IFREG | 0200 },
};

#define FS_NNODES (sizeof(fs_nodes) / sizeof(fs_nodes[0]))

static struct fs *fs_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static const struct fs_node *node_by_ino(fuse_ino_t ino)
{
	size_t i;

	for (i = 0; i < FS_NNODES; i++)
		if (fs_nodes[i].ino == ino)
			return &fs_nodes[i];
	return NULL;
}

static void node_stat(const struct fs *fs, const struct fs_node *node,
		      struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = node->ino;
	st->st_mode = node->mode;
	st->st_nlink = S_ISDIR(node->mode) ? 2 : 1;
	st->st_atim = st->st_mtim = st->st_ctim = fs->mount_time;
	st->st_blksize = 4096;
}

static void fs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	size_t i;

	if (parent != FS_INO_ROOT) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	for (i = 1; i < FS_NNODES; i++) {
		if (strcmp(fs_nodes[i].name, name))
			continue;
		memset(&e, 0, sizeof(e));
		e.ino = fs_nodes[i].ino;
		e.attr_timeout = e.entry_timeout = 3600;
		node_stat(fs_of(req), &fs_nodes[i], &e.attr);
		fuse_reply_entry(req, &e);
		return;
	}
	fuse_reply_err(req, ENOENT);
}

static void fs_getattr(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	const struct fs_node *node = node_by_ino(ino);
	struct stat st;

	(void)fi;
	if (!node) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	node_stat(fs_of(req), node, &st);
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
	char buf[512];
	size_t used = 0, i;

	(void)fi;
	if (ino != FS_INO_ROOT) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	for (i = off; i < FS_NNODES + 1; i++) {
		const char *name = i == 0 ? "." : i == 1 ? ".." :
				   fs_nodes[i - 1].name;
		const struct fs_node *node = &fs_nodes[i < 2 ? 0 : i - 1];
		struct stat st = { .st_ino = node->ino, .st_mode = node->mode };
		size_t len;

		len = fuse_add_direntry(req, buf + used, sizeof(buf) - used,
					name, &st, i + 1);
		if (used + len > size || used + len > sizeof(buf))
			break;
		used += len;
	}
	fuse_reply_buf(req, buf, used);
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fs *fs = fs_of(req);
	struct vpe_file *file;
	int err;

	switch (ino) {
	case FS_INO_VPE1:
		err = vpe_open(fs->vpe, fuse_req_ctx(req)->pid, &file);
		if (err) {
			fuse_reply_err(req, -err);
			return;
		}
		fi->fh = (uintptr_t)file;
		break;
	case FS_INO_KILL:
		fi->fh = 0;
		break;
	default:
		fuse_reply_err(req, ino == FS_INO_ROOT ? EISDIR : ENOENT);
		return;
	}
	/* every write must reach us, in order, with no page cache between */
	fi->direct_io = 1;
	fuse_reply_open(req, fi);
}

static struct vpe_file *vpe_file_of(struct fuse_file_info *fi)
{
	return (struct vpe_file *)(uintptr_t)fi->fh;
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)ino, (void)size, (void)off, (void)fi;
	/* the legacy devices had no read method: the VFS said EINVAL */
	fuse_reply_err(req, EINVAL);
}

static void fs_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	struct fs *fs = fs_of(req);
	ssize_t n;
	int err;

	(void)off;	/* the legacy loader ignored the file position too */
	switch (ino) {
	case FS_INO_VPE1:
		n = vpe_write(fs->vpe, vpe_file_of(fi), buf, size,
			      fuse_req_ctx(req)->pid);
		if (n < 0)
			fuse_reply_err(req, -n);
		else
			fuse_reply_write(req, n);
		return;
	case FS_INO_KILL:
		err = vpe_kill(fs->vpe, fuse_req_ctx(req)->pid);
		if (err)
			fuse_reply_err(req, -err);
		else
			fuse_reply_write(req, size);
		return;
	default:
		fuse_reply_err(req, EBADF);
	}
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
	fuse_reply_err(req, 0);
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
};
