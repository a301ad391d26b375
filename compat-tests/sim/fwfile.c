/* The firmware loader's part of a boot (drivers/base/firmware_loader). */
#include "fwfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/* Beyond this the kernel's kernel_read_file refuses (-EFBIG -> ENOENT). */
#define FW_MAX_SIZE (1u << 30)

/* name_contains_dotdot (firmware_loader, "Block path traversal"). */
static bool has_dotdot(const char *name)
{
	size_t n = strlen(name);
	return strcmp(name, "..") == 0 || strncmp(name, "../", 3) == 0 ||
	       strstr(name, "/../") != NULL ||
	       (n >= 3 && strcmp(name + n - 3, "/..") == 0);
}

/*
 * kernel_read_file() denies writers while it reads, and refuses a file that
 * is open for writing: -ETXTBSY (a writable mapping counts).  A read lease
 * is refused for exactly that reason, so it tells; where leases are not
 * supported the check is skipped.
 */
static bool open_for_writing(int fd)
{
	if (fcntl(fd, F_SETLEASE, F_RDLCK) < 0)
		return errno == EAGAIN;
	fcntl(fd, F_SETLEASE, F_UNLCK);
	return false;
}

/* Read a regular file whole. O_NONBLOCK: a FIFO must not hang the boot. */
static int read_whole(const char *path, uint8_t **data, size_t *size)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	int ret = 0;
	uint8_t *buf = NULL;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
	} else if (!S_ISREG(st.st_mode) || st.st_size <= 0) {
		ret = -EINVAL;	/* kernel_read_file: not regular, or empty */
	} else if (open_for_writing(fd)) {
		ret = -ETXTBSY;
	} else if ((uint64_t)st.st_size > FW_MAX_SIZE) {
		ret = -EFBIG;
	} else if (!(buf = malloc(st.st_size))) {
		ret = -ENOMEM;
	}
	size_t got = 0;
	while (!ret && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			ret = r < 0 ? -errno : -EIO;
		else
			got += r;
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	*data = buf;
	*size = got;
	return 0;
}

int fw_request(const char *dir, const char *name, uint8_t **data,
	       size_t *size)
{
	if (has_dotdot(name)) {
		klog(KL_WARN, "Firmware load for '%s' refused, path contains "
		     "'..' component", name);
		return -EINVAL;
	}
	char path[PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	int ret = read_whole(path, data, size);
	if (ret == -ETXTBSY) {
		/* kept as it is (measured on 6.1), unlike the others */
		klog(KL_WARN, "firmware: failed to load %s (%d)", name, ret);
		klog(KL_WARN, "Direct firmware load for %s failed with error %d",
		     name, ret);
		return ret;
	}
	if (ret) {
		/* Every failure ends as -ENOENT: the loader moves on to the
		 * next search path, and the last one does not have it. */
		slog(KL_DBG, "%s: %s", path, strerror(-ret));
		klog(KL_WARN, "Direct firmware load for %s failed with error %d",
		     name, -ENOENT);
		return -ENOENT;
	}
	return 0;
}
