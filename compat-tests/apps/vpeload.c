// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vpeload: a firmware loader written the way legacy board tools were:
 * open /dev/vpe1, write the image in fixed-size chunks, close.
 *
 *   vpeload [-c CHUNK] [-d DEVICE] IMAGE
 *
 * It reports each system call's outcome by errno name (ENOEXEC, ENOMEM...)
 * so that tests can check exactly what open, write and close returned.
 * Exit status: 0, or 1 with "vpeload: <call>: <ERRNO> (<message>)".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *errno_name(int e)
{
	switch (e) {
	case ENOEXEC: return "ENOEXEC";
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	case EIO: return "EIO";
	case ENOSPC: return "ENOSPC";
	case EROFS: return "EROFS";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENODEV: return "ENODEV";
	case EFBIG: return "EFBIG";
	default: return "E?";
	}
}

static int fail(const char *call)
{
	int e = errno;

	printf("vpeload: %s: %s (%s)\n", call, errno_name(e), strerror(e));
	return 1;
}

int main(int argc, char **argv)
{
	const char *device = "/dev/vpe1";
	size_t chunk = 4096;
	char *buf;
	int c, in, out;
	ssize_t n;

	while ((c = getopt(argc, argv, "c:d:")) != -1) {
		switch (c) {
		case 'c': chunk = strtoul(optarg, NULL, 0); break;
		case 'd': device = optarg; break;
		default: return 2;
		}
	}
	if (optind != argc - 1 || chunk == 0) {
		fprintf(stderr, "usage: vpeload [-c CHUNK] [-d DEVICE] IMAGE\n");
		return 2;
	}
	buf = malloc(chunk);
	if (!buf)
		return fail("malloc");
	in = open(argv[optind], O_RDONLY);
	if (in < 0)
		return fail("open image");
	out = open(device, O_WRONLY);
	if (out < 0)
		return fail("open");
	while ((n = read(in, buf, chunk)) > 0) {
		ssize_t done = 0;

		while (done < n) {
			ssize_t w = write(out, buf + done, n - done);

			if (w < 0)
				return fail("write");
			done += w;
		}
	}
	if (n < 0)
		return fail("read image");
	if (close(out) < 0)
		return fail("close");
	printf("vpeload: loaded\n");
	free(buf);
	return 0;
}
