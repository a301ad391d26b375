// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stream: adding FOPEN_STREAM to open replies.
 *
 * fuse_reply_open() writes its reply from the calling thread, so a
 * thread-local flag set around that call marks exactly that reply: no
 * guessing from reply sizes, which a read reply could imitate.
 */
#include <errno.h>
#include <linux/fuse.h>
#include <stdbool.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "stream.h"

static _Thread_local bool next_open_is_stream;

static ssize_t stream_writev(int fd, struct iovec *iov, int count,
			     void *userdata)
{
	struct fuse_open_out out;
	struct iovec copy[2];

	(void)userdata;
	if (next_open_is_stream && count == 2 &&
	    iov[1].iov_len == sizeof(out)) {
		next_open_is_stream = false;
		memcpy(&out, iov[1].iov_base, sizeof(out));
		out.open_flags |= FOPEN_STREAM;
		copy[0] = iov[0];
		copy[1].iov_base = &out;
		copy[1].iov_len = sizeof(out);
		iov = copy;
	}
	return writev(fd, iov, count);
}

static ssize_t stream_read(int fd, void *buf, size_t len, void *userdata)
{
	(void)userdata;
	return read(fd, buf, len);
}

int stream_install(struct fuse_session *se)
{
	static const struct fuse_custom_io io = {
		.writev = stream_writev,
		.read = stream_read,
	};

	return fuse_session_custom_io(se, &io, fuse_session_fd(se));
}

int stream_reply_open(fuse_req_t req, const struct fuse_file_info *fi)
{
	int ret;

	next_open_is_stream = true;
	ret = fuse_reply_open(req, fi);
	next_open_is_stream = false;
	return ret;
}
