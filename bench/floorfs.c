// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floorfs: the FUSE floor. MOUNTPOINT/echo, whose write() accepts
 * everything at once and whose read() answers at once with one byte: what
 * a round trip through FUSE costs when the file system does nothing. And
 * MOUNTPOINT/bulk0..7, the same except that a read() answers with as many
 * bytes as asked for (the pattern of bench.h from its start): the ceiling
 * of a stream through FUSE in requests of that size. Mounted and served as fuse-vpe serves /dev/rtlxN: libfuse 3
 * low-level API, the same mount options, direct_io, and the multithreaded
 * loop configured as fuse-vpe's serve() (at most 16 threads, 4 idle).
 *
 *   floorfs [-f] [-d] MOUNTPOINT
 *
 * SIGTERM, SIGINT or SIGHUP unmount and end it.
 */
#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 14)
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fuse_lowlevel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

const char *prog = "floorfs";

#define INO_ECHO 2
#define INO_BULK0 3
#define INO_LAST (INO_BULK0 + 8)
#define MAX_READ (1 << 20)

static char bulk[MAX_READ];

static void node_stat(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = ino == FUSE_ROOT_ID ? S_IFDIR | 0755 : S_IFREG | 0666;
	st->st_nlink = ino == FUSE_ROOT_ID ? 2 : 1;
	st->st_blksize = 4096;
}

static void ff_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	fuse_ino_t ino = 0;

	if (parent == FUSE_ROOT_ID && !strcmp(name, "echo"))
		ino = INO_ECHO;
	else if (parent == FUSE_ROOT_ID && !strncmp(name, "bulk", 4) &&
		 name[4] >= '0' && name[4] <= '7' && !name[5])
		ino = INO_BULK0 + (name[4] - '0');
	if (!ino) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.ino = ino;
	e.attr_timeout = e.entry_timeout = 3600;
	node_stat(ino, &e.attr);
	fuse_reply_entry(req, &e);
}

static void ff_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;

	(void)fi;
	if (ino < FUSE_ROOT_ID || ino >= INO_LAST) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	node_stat(ino, &st);
	fuse_reply_attr(req, &st, 3600);
}

static void ff_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (ino == FUSE_ROOT_ID) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	fi->direct_io = 1;
	fi->nonseekable = 1;
	fuse_reply_open(req, fi);
}

static void ff_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)off;
	(void)fi;
	if (ino == INO_ECHO)
		size = size ? 1 : 0;
	fuse_reply_buf(req, bulk, size < MAX_READ ? size : MAX_READ);
}

static void ff_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)ino;
	(void)buf;
	(void)off;
	(void)fi;
	fuse_reply_write(req, size);
}

static const struct fuse_lowlevel_ops ops = {
	.lookup = ff_lookup,
	.getattr = ff_getattr,
	.open = ff_open,
	.read = ff_read,
	.write = ff_write,
};

int main(int argc, char **argv)
{
	char *fuse_argv[] = { "floorfs", "-o",
		"allow_other,default_permissions,fsname=floorfs,subtype=floor",
		NULL, NULL };
	int debug = 0, c, ret = 1;
	struct fuse_loop_config *cfg;
	struct fuse_session *se;
	struct fuse_args args;

	while ((c = getopt(argc, argv, "fd")) != -1) {
		if (c == 'd') {
			debug = 1;
		} else if (c != 'f') {
			fprintf(stderr, "usage: floorfs [-f] [-d] MOUNTPOINT\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: floorfs [-f] [-d] MOUNTPOINT\n");
		return 2;
	}
	if (debug)
		fuse_argv[3] = "-d";
	pattern_fill((unsigned char *)bulk, 0, sizeof(bulk));
	args = (struct fuse_args)FUSE_ARGS_INIT(debug ? 4 : 3, fuse_argv);
	se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
	fuse_opt_free_args(&args);
	if (!se)
		return 1;
	if (fuse_set_signal_handlers(se) || fuse_session_mount(se, argv[optind])) {
		fprintf(stderr, "floorfs: cannot mount on %s\n", argv[optind]);
		goto out;
	}
	/* always in the foreground: the bench runs it in the background */
	cfg = fuse_loop_cfg_create();
	if (cfg) {
		fuse_loop_cfg_set_max_threads(cfg, 16);
		fuse_loop_cfg_set_idle_threads(cfg, 4);
		ret = fuse_session_loop_mt(se, cfg) < 0;
		fuse_loop_cfg_destroy(cfg);
	}
	fuse_session_unmount(se);
out:
	fuse_remove_signal_handlers(se);
	fuse_session_destroy(se);
	return ret;
}
