/* The remote's RAM file. Plain file I/O is coherent with QEMU's and the
 * daemon's shared mappings (same page cache), so no mmap is needed here. */
#include "ram.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int ram_open(const char *path, uint64_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	struct stat st;
	/* QEMU refuses a backing file smaller than the memory size; a larger
	 * one is fine and is left alone. */
	if (fstat(fd, &st) < 0 ||
	    ((uint64_t)st.st_size < size && ftruncate(fd, (off_t)size) < 0)) {
		int err = errno;
		close(fd);
		return -err;
	}
	return fd;
}

int ram_write(int fd, uint64_t off, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t r = pwrite(fd, p, len, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		p += r;
		off += r;
		len -= r;
	}
	return 0;
}

int ram_zero(int fd, uint64_t off, uint64_t len)
{
	/* Punching a hole zeroes without writing (and frees tmpfs pages). */
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)off, (off_t)len) == 0)
		return 0;
	static const char zeros[65536];
	while (len) {
		size_t n = len < sizeof(zeros) ? len : sizeof(zeros);
		int ret = ram_write(fd, off, zeros, n);
		if (ret)
			return ret;
		off += n;
		len -= n;
	}
	return 0;
}
