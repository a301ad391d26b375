// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * warn: kernel-log lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "warn.h"

static struct {
	pthread_mutex_t lock;
	int fd;
	bool is_kmsg;	/* /dev/kmsg takes "<level>" prefixes, one record per write */
} warn = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.fd = -1,
};

int warn_open(const char *path)
{
	struct stat st;
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	pthread_mutex_lock(&warn.lock);
	if (warn.fd >= 0)
		close(warn.fd);
	warn.fd = fd;
	/* kmsg is the character device 1:11 */
	warn.is_kmsg = S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
		       minor(st.st_rdev) == 11;
	pthread_mutex_unlock(&warn.lock);
	return 0;
}

void warn_close(void)
{
	pthread_mutex_lock(&warn.lock);
	if (warn.fd >= 0)
		close(warn.fd);
	warn.fd = -1;
	pthread_mutex_unlock(&warn.lock);
}

static void warn_write_line(int level, const char *text)
{
	char line[1024];
	int n;

	if (warn.is_kmsg)
		n = snprintf(line, sizeof(line), "<%d>%s\n", level, text);
	else
		n = snprintf(line, sizeof(line), "%s\n", text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	pthread_mutex_lock(&warn.lock);
	if (warn.fd >= 0 && write(warn.fd, line, n) < 0) {
		/* the log is best effort: nothing else to tell */
	}
	pthread_mutex_unlock(&warn.lock);
}

void warn_log(int level, const char *fmt, ...)
{
	char text[900];
	char *line, *save = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* one record per line, as printk splits a message with "\n" in it */
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		warn_write_line(level, line);
}
