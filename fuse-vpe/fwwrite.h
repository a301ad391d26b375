/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwwrite: fwimage's output, given as pieces (fwimage_convert_pieces()),
 * written into a file. Shared by fuse-vpe (which builds the image in
 * place, in the file it staged the input in) and vpe-fwconvert (which
 * writes a new file). The I/O half of the conversion; fwimage stays pure.
 */
#ifndef VPE_FWWRITE_H
#define VPE_FWWRITE_H

#include <stdbool.h>

struct fwimage_result;

/*
 * Write the pieces of @res into @fd at their offsets and make the file
 * res->image_len bytes long. The input's pieces are copied in the kernel
 * from @in_fd (the input as a file, or -1) where it can, else from their
 * data. @in_place: @fd holds the input itself (exactly the bytes that were
 * converted), so the input's pieces already at their offset are left as
 * they are and the file becomes the output (fwimage.h says why that is
 * safe); @in_fd may then be @fd. 0 or -errno (ENOSPC, EFBIG, EIO, ...).
 */
int fwwrite_pieces(int fd, int in_fd, const struct fwimage_result *res,
		   bool in_place);

#endif
