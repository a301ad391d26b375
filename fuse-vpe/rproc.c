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
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
	snprintf(rp->fw_dir, sizeof(rp->fw_dir), "%s", fw_dir);
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

/*
 * An instance whose attributes are gone was removed (rproc_del(): its
 * driver unbound, its device gone): -ENODEV, said once.
 */
static int instance_gone(struct rproc *rp, int err)
{
	if (err != -ENOENT && err != -ENODEV)
		return err;
	if (!rp->gone)
		warn_log(LOG_ERR,
			 "vpe-compat: remoteproc instance %s (%s) is gone: its driver was unbound or its device removed; restart fuse-vpe once it is back",
			 rp->name, rp->path);
	rp->gone = true;
	return -ENODEV;
}

int rproc_get_state(struct rproc *rp, enum rproc_state *state)
{
	char buf[32];
	int err;

	err = attr_read(rp->dirfd, "state", buf, sizeof(buf));
	if (err)
		return instance_gone(rp, err);
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

/* The temporary name an image has just before it replaces the firmware. */
static void temp_name(const struct rproc *rp, char *tmp, size_t size)
{
	snprintf(tmp, size, ".%.200s.%d.tmp", rp->fw_name, (int)getpid());
}

int rproc_image_open(struct rproc *rp, struct rproc_image *img, bool named)
{
	img->tmp[0] = '\0';
	img->fd = openat(rp->fwdirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC,
			 0644);
	if (img->fd >= 0)
		return 0;
	/* file systems without unnamed files say so in several ways */
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
	    errno != ENOENT)
		return -errno;
	if (!named)
		return -EOPNOTSUPP;
	temp_name(rp, img->tmp, sizeof(img->tmp));
	img->fd = openat(rp->fwdirfd, img->tmp,
			 O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (img->fd < 0) {
		img->tmp[0] = '\0';
		return -errno;
	}
	return 0;
}

void rproc_image_discard(struct rproc *rp, struct rproc_image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	if (img->tmp[0])
		unlinkat(rp->fwdirfd, img->tmp, 0);
	img->fd = -1;
	img->tmp[0] = '\0';
}

/* An unnamed file gets the temporary name (with root's AT_EMPTY_PATH, or
 * through /proc). */
static int name_image(struct rproc *rp, struct rproc_image *img)
{
	char proc[64];

	temp_name(rp, img->tmp, sizeof(img->tmp));
	unlinkat(rp->fwdirfd, img->tmp, 0);	/* a load of ours that died */
	if (!linkat(img->fd, "", rp->fwdirfd, img->tmp, AT_EMPTY_PATH))
		return 0;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", img->fd);
	if (!linkat(AT_FDCWD, proc, rp->fwdirfd, img->tmp, AT_SYMLINK_FOLLOW))
		return 0;
	img->tmp[0] = '\0';
	return -errno;
}

int rproc_image_install(struct rproc *rp, struct rproc_image *img,
			int *replaced)
{
	int err = 0, old = -1;

	if (fsync(img->fd) < 0)
		err = -errno;
	if (!err && !img->tmp[0])
		err = name_image(rp, img);
	/* the old file's storage is freed when the last name and fd go */
	if (!err && replaced)
		old = openat(rp->fwdirfd, rp->fw_name,
			     O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (!err && renameat(rp->fwdirfd, img->tmp, rp->fwdirfd,
			     rp->fw_name) < 0)
		err = -errno;
	if (!err)
		img->tmp[0] = '\0';		/* it is the firmware now */
	if (replaced)
		*replaced = err ? -1 : old;
	if (err && old >= 0)
		close(old);
	if (close(img->fd) < 0 && !err)
		err = -errno;
	img->fd = -1;
	if (err)
		rproc_image_discard(rp, img);
	return err;
}

int rproc_start(struct rproc *rp)
{
	enum rproc_state state;
	int err;

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

/*
 * A daemon before us may have died: its program may still run, from our
 * firmware file, and a write it had begun may have left a temporary file.
 */
int rproc_map_firmware(struct rproc *rp, const void **map, size_t *len)
{
	char name[NAME_MAX + 1];
	struct stat st;
	void *p;
	int fd, err;

	err = attr_read(rp->dirfd, "firmware", name, sizeof(name));
	if (err)
		return err;
	if (strcmp(name, rp->fw_name))
		return -ENOENT;
	fd = openat(rp->fwdirfd, rp->fw_name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !st.st_size) {
		close(fd);
		return -ENOEXEC;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	err = p == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return err;
	*map = p;
	*len = st.st_size;
	return 0;
}

/* The writer's pid in a temporary file name ".NAME.PID.tmp", else 0. */
static long temp_writer(const char *entry, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long pid;

	if (strncmp(entry, prefix, n) || !isdigit((unsigned char)entry[n]))
		return 0;
	pid = strtol(entry + n, &end, 10);
	return strcmp(end, ".tmp") ? 0 : pid;
}

/* Temporary files of ours whose writer is gone. */
void rproc_remove_stale_temps(struct rproc *rp)
{
	char prefix[NAME_MAX + 2], proc[32];
	struct dirent *de;
	long pid;
	int fd;
	DIR *d;

	fd = dup(rp->fwdirfd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	snprintf(prefix, sizeof(prefix), ".%.200s.", rp->fw_name);
	while ((de = readdir(d))) {
		pid = temp_writer(de->d_name, prefix);
		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(proc, sizeof(proc), "/proc/%ld", pid);
		if (!access(proc, F_OK))
			continue;
		if (!unlinkat(rp->fwdirfd, de->d_name, 0))
			warn_log(LOG_NOTICE,
				 "vpe-compat: removed %s, left by a fuse-vpe that died while writing it",
				 de->d_name);
	}
	closedir(d);
}
