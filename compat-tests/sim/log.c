/* The simulated kernel log. Lines look like dmesg output so that tests and
 * developers can grep for the kernel's own wording. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_fd = 2;
static bool log_debug;
static struct timespec log_t0;

int klog_open(const char *path, bool debug)
{
	clock_gettime(CLOCK_MONOTONIC, &log_t0);
	log_debug = debug;
	if (!path)
		return 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	log_fd = fd;
	return 0;
}

void klog_close(void)
{
	if (log_fd > 2)
		close(log_fd);
	log_fd = 2;
}

/* One line, one write(): O_APPEND keeps concurrent lines whole. */
static void emit(enum klevel lvl, const char *prefix, const char *fmt,
		 va_list ap)
{
	if (lvl == KL_DBG && !log_debug)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long sec = now.tv_sec - log_t0.tv_sec;
	long nsec = now.tv_nsec - log_t0.tv_nsec;
	if (nsec < 0) {
		sec--;
		nsec += 1000000000L;
	}
	char line[1024];
	int n = snprintf(line, sizeof(line) - 1, "[%5ld.%06ld] %s", sec,
			 nsec / 1000, prefix);
	vsnprintf(line + n, sizeof(line) - 1 - n, fmt, ap);
	size_t len = strlen(line); /* at most sizeof(line) - 2: room for \n */
	if (len == 0 || line[len - 1] != '\n')
		line[len++] = '\n';
	ssize_t r = write(log_fd, line, len);
	(void)r; /* a lost log line must not fail a sysfs write */
}

void vklog(enum klevel lvl, const char *fmt, va_list ap)
{
	emit(lvl, "remoteproc remoteproc0: ", fmt, ap);
}

void klog(enum klevel lvl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vklog(lvl, fmt, ap);
	va_end(ap);
}

void vslog(enum klevel lvl, const char *fmt, va_list ap)
{
	emit(lvl, "rproc-sim: ", fmt, ap);
}

void slog(enum klevel lvl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vslog(lvl, fmt, ap);
	va_end(ap);
}

void slog_file(enum klevel lvl, const char *what, const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char buf[512];
	while (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		slog(lvl, "%s: %s", what, buf);
	}
	fclose(f);
}
