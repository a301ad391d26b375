// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwwrite: fwimage's pieces into a file (fwwrite.h).
 *
 * Two passes: first the pieces that come from the input, then fwimage's
 * own. In place, the input pieces that move land past the input's end
 * (fwimage.h), so their source is still intact when they are copied, and
 * fwimage's own bytes (the ELF header over the input's, the tables after
 * it; an ET_REL's whole output) are written only once nothing is read
 * from the file any more.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* copy_file_range */
#endif
#include <errno.h>
#include <unistd.h>

#include "fwimage.h"
#include "fwwrite.h"

static int write_at(int fd, const uint8_t *p, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * In the kernel where it can (no copy through user space; a reflink on
 * some file systems), else from memory. The fallback starts over where
 * the kernel copy stopped.
 */
static int copy_piece(int fd, int in_fd, const struct fwimage_piece *pc)
{
	off64_t in = (off64_t)pc->in_offset, out = (off64_t)pc->offset;
	size_t done = 0;

	while (in_fd >= 0 && done < pc->len) {
		ssize_t n = copy_file_range(in_fd, &in, fd, &out,
					    pc->len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EXDEV || errno == EINVAL ||
			      errno == ENOSYS || errno == EOPNOTSUPP ||
			      errno == EBADF))
			break;		/* not between these two: by hand */
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* the input file is shorter now */
		done += (size_t)n;
	}
	return write_at(fd, pc->data + done, pc->len - done,
			(off_t)(pc->offset + done));
}

int fwwrite_pieces(int fd, int in_fd, const struct fwimage_result *res,
		   bool in_place)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < res->npieces && !err; i++) {
		const struct fwimage_piece *pc = &res->pieces[i];

		if (!pc->from_input ||
		    (in_place && pc->offset == pc->in_offset))
			continue;
		err = copy_piece(fd, in_fd, pc);
	}
	for (i = 0; i < res->npieces && !err; i++) {
		const struct fwimage_piece *pc = &res->pieces[i];

		if (!pc->from_input)
			err = write_at(fd, pc->data, pc->len, (off_t)pc->offset);
	}
	if (!err && ftruncate(fd, (off_t)res->image_len) < 0)
		err = -errno;
	return err;
}
