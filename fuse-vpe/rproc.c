// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rproc: remoteproc control through sysfs.
 *
 * Kernel quirks handled here (drivers/remoteproc/remoteproc_sysfs.c,
 * state_store(); remoteproc_core.c, rproc_boot() and rproc_shutdown()):
 *  - 4.10 .. 5.18: "start" while running is EBUSY, "stop" while not running
 *    is EINVAL;
 *  - 5.19+: "start" and "stop" are reference counted, so a remote someone
 *    else also started needs more than one "stop";
 *  - a crashed remote cannot be stopped; with recovery in sysfs (5.11+),
 *    "recover" restarts it and then it can be.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rproc.h"
#include "warn.h"

/* More "stop"s than this means something keeps restarting the remote. */
#define RPROC_STOP_TRIES 16

static int attr_read(int dirfd, const char *attr, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = openat(dirfd, attr, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* One write(), as sysfs takes it: its result is the kernel's answer. */
static int attr_write(int dirfd, const char *attr, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, err = 0;

	fd = openat(dirfd, attr, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* The class entry whose "name" is @name, or the only entry if @name is NULL. */
static int find_instance(const char *class_dir, const char *name,
			 char *path, size_t size)
{
	char entry_name[64];
	struct dirent *de;
	int found = 0, err;
	DIR *d;

	d = opendir(class_dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		int fd;

		if (de->d_name[0] == '.')
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		err = attr_read(fd, "name", entry_name, sizeof(entry_name));
		close(fd);
		if (name && (err || strcmp(entry_name, name)))
			continue;
		found++;
		snprintf(path, size, "%s/%s", class_dir, de->d_name);
	}
	closedir(d);
	if (found == 0)
		return -ENODEV;
	return found == 1 ? 0 : -ENOTUNIQ;
}

int rproc_open(struct rproc *rp, const char *dir, const char *class_dir,
	       const char *name)
{
	int err;

	memset(rp, 0, sizeof(*rp));
	rp->dirfd = rp->fwdirfd = -1;
	if (dir) {
		snprintf(rp->path, sizeof(rp->path), "%s", dir);
	} else {
		err = find_instance(class_dir, name, rp->path, sizeof(rp->path));
		if (err)
			return err;
	}
	rp->dirfd = open_dir(rp->path);
	if (rp->dirfd < 0)
		return rp->dirfd;
	/* "name" is 5.10+; older kernels identify the instance by path */
	if (attr_read(rp->dirfd, "name", rp->name, sizeof(rp->name)))
		snprintf(rp->name, sizeof(rp->name), "%.63s",
			 strrchr(rp->path, '/') ? strrchr(rp->path, '/') + 1 :
			 rp->path);
	return 0;
}

int rproc_set_firmware_dir(struct rproc *rp, const char *fw_dir,
			   const char *fw_name)
{
	if (strchr(fw_name, '/') || !strcmp(fw_name, ".") ||
	    !strcmp(fw_name, "..") || strlen(fw_name) > NAME_MAX - 16)
		return -EINVAL;
	rp->fwdirfd = open_dir(fw_dir);
	if (rp->fwdirfd < 0)
		return rp->fwdirfd;
	snprintf(rp->fw_name, sizeof(rp->fw_name), "%s", fw_name);
	return 0;
}

void rproc_close(struct rproc *rp)
{
	if (rp->dirfd >= 0)
		close(rp->dirfd);
	if (rp->fwdirfd >= 0)
		close(rp->fwdirfd);
	rp->dirfd = rp->fwdirfd = -1;
}

int rproc_get_state(struct rproc *rp, enum rproc_state *state)
{
	char buf[32];
	int err;

	err = attr_read(rp->dirfd, "state", buf, sizeof(buf));
	if (err)
		return err;
	if (!strcmp(buf, "offline"))
		*state = RPROC_OFFLINE;
	else if (!strcmp(buf, "running"))
		*state = RPROC_RUNNING;
	else if (!strcmp(buf, "crashed"))
		*state = RPROC_CRASHED;
	else
		*state = RPROC_OTHER;
	return 0;
}

/* A crashed remote: "recover" restarts it (5.11+), after which it stops. */
static int rproc_recover(struct rproc *rp)
{
	int err = attr_write(rp->dirfd, "recovery", "recover");

	if (err)
		warn_log(LOG_ERR,
			 "vpe-compat: %s crashed and cannot be stopped: writing \"recover\" to %s/recovery failed: %s",
			 rp->name, rp->path, strerror(-err));
	return err;
}

int rproc_stop(struct rproc *rp)
{
	enum rproc_state state;
	int tries, err;

	for (tries = 0; tries < RPROC_STOP_TRIES; tries++) {
		err = rproc_get_state(rp, &state);
		if (err)
			return err;
		if (state == RPROC_OFFLINE)
			return 0;
		err = attr_write(rp->dirfd, "state", "stop");
		if (err == -EINVAL && state == RPROC_CRASHED)
			err = rproc_recover(rp);
		if (err && err != -EINVAL)
			return err;
	}
	warn_log(LOG_ERR, "vpe-compat: %s/state does not become offline",
		 rp->path);
	return -EBUSY;
}

/* Write the whole image to a temporary file in the firmware directory. */
static int write_temp(struct rproc *rp, const void *image, size_t len,
		      char *tmp, size_t size)
{
	const char *p = image;
	int fd, err = 0;

	snprintf(tmp, size, ".%.200s.%d.tmp", rp->fw_name, (int)getpid());
	fd = openat(rp->fwdirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
	if (fd < 0)
		return -errno;
	while (len && !err) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n > 0) {
			p += n;
			len -= n;
		}
	}
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (err)
		unlinkat(rp->fwdirfd, tmp, 0);
	return err;
}

static int install_image(struct rproc *rp, const void *image, size_t len)
{
	char tmp[NAME_MAX + 1];
	int err;

	err = write_temp(rp, image, len, tmp, sizeof(tmp));
	if (err)
		return err;
	if (renameat(rp->fwdirfd, tmp, rp->fwdirfd, rp->fw_name) < 0) {
		err = -errno;
		unlinkat(rp->fwdirfd, tmp, 0);
	}
	return err;
}

int rproc_boot(struct rproc *rp, const void *image, size_t len)
{
	enum rproc_state state;
	int err;

	err = install_image(rp, image, len);
	if (err) {
		warn_log(LOG_ERR, "vpe-compat: cannot write firmware %s: %s",
			 rp->fw_name, strerror(-err));
		return err;
	}
	err = attr_write(rp->dirfd, "firmware", rp->fw_name);
	if (err) {
		warn_log(LOG_ERR, "vpe-compat: %s/firmware = %s: %s",
			 rp->path, rp->fw_name, strerror(-err));
		return err;
	}
	err = attr_write(rp->dirfd, "state", "start");
	if (err) {
		warn_log(LOG_ERR, "vpe-compat: %s/state = start: %s",
			 rp->path, strerror(-err));
		return err;
	}
	err = rproc_get_state(rp, &state);
	if (err)
		return err;
	if (state != RPROC_RUNNING) {
		warn_log(LOG_ERR, "vpe-compat: %s is not running after start",
			 rp->name);
		return -EIO;
	}
	return 0;
}
