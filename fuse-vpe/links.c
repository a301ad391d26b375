// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * links: symlinks in /dev that lead into the FUSE mount.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "links.h"
#include "warn.h"

static bool link_is_ours(const char *path, const char *target)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = '\0';
	return !strcmp(buf, target);
}

int link_create(const char *link_dir, const char *mountpoint,
		const char *name)
{
	char path[PATH_MAX], target[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", link_dir, name);
	snprintf(target, sizeof(target), "%s/%s", mountpoint, name);
	if (symlink(target, path) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	/* a link left by an earlier run of ours is replaced */
	if (!link_is_ours(path, target))
		return -EEXIST;
	if (unlink(path) < 0 || symlink(target, path) < 0)
		return -errno;
	return 0;
}

void link_remove(const char *link_dir, const char *mountpoint,
		 const char *name)
{
	char path[PATH_MAX], target[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", link_dir, name);
	snprintf(target, sizeof(target), "%s/%s", mountpoint, name);
	if (link_is_ours(path, target))
		unlink(path);
}
