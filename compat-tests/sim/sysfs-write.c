/* sysfs-write: one write() to a file, reporting the errno by name.
 *
 *   sysfs-write [-e] FILE TEXT
 *
 * Opens FILE write-only with O_TRUNC (as the shell's ">" does), writes TEXT
 * with a single write() and prints "OK", or the errno name (EBUSY, EINVAL,
 * ...) of the write, or "open: NAME" if the open failed; exit status 0 on
 * success, 1 on an error. -e: TEXT may contain \n, \t, \\, \0 and \xHH
 * (a command substitution cannot carry a trailing newline). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	int err;
	const char *name;
} names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
	{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" }, { EROFS, "EROFS" }, { EPIPE, "EPIPE" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
	{ ENOTCONN, "ENOTCONN" }, { ETIMEDOUT, "ETIMEDOUT" },
};

static void print_errno(const char *prefix, int err)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == err) {
			printf("%s%s\n", prefix, names[i].name);
			return;
		}
	}
	printf("%serrno %d\n", prefix, err);
}

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the escapes in place; returns the decoded length. */
static size_t unescape(char *s)
{
	char *o = s;
	for (const char *p = s; *p; p++) {
		if (*p != '\\' || !p[1]) {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case '0': *o++ = '\0'; break;
		case 'x':
			if (hex(p[1]) >= 0 && hex(p[2]) >= 0) {
				*o++ = (char)(hex(p[1]) << 4 | hex(p[2]));
				p += 2;
				break;
			}
			/* fall through */
		default: *o++ = '\\'; *o++ = *p; break;
		}
	}
	return o - s;
}

int main(int argc, char **argv)
{
	int escapes = argc > 1 && !strcmp(argv[1], "-e");
	if (argc != 3 + escapes) {
		fprintf(stderr, "usage: sysfs-write [-e] FILE TEXT\n");
		return 2;
	}
	const char *file = argv[1 + escapes];
	char *text = argv[2 + escapes];
	size_t len = escapes ? unescape(text) : strlen(text);

	int fd = open(file, O_WRONLY | O_TRUNC);
	if (fd < 0) {
		print_errno("open: ", errno);
		return 1;
	}
	ssize_t r = write(fd, text, len);
	int err = errno;
	close(fd);
	if (r < 0) {
		print_errno("", err);
		return 1;
	}
	if ((size_t)r != len) {
		printf("short write: %zd of %zu\n", r, len);
		return 1;
	}
	puts("OK");
	return 0;
}
