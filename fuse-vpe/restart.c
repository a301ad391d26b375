// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * restart: what a dead fuse-vpe left behind (restart.h).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statfs.h>

#include "restart.h"
#include "warn.h"

/* /proc/self/mountinfo writes space, tab, newline and \ as \ooo. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
					(s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* Is the mount at @path (absolute) ours, by its mountinfo line? */
static bool mounted_by_us(const char *path)
{
	char line[2 * PATH_MAX], point[PATH_MAX], fstype[64], source[64];
	bool ours = false;
	const char *sep;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	while (!ours && fgets(line, sizeof(line), f)) {
		/* ID PARENT MAJ:MIN ROOT POINT OPTIONS [TAGS...] - TYPE SOURCE */
		sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
		    sscanf(sep, " - %63s %63s", fstype, source) != 2)
			continue;
		unescape(point);
		ours = !strcmp(point, path) && !strcmp(fstype, "fuse." RESTART_SUBTYPE) &&
		       !strcmp(source, RESTART_FSNAME);
	}
	fclose(f);
	return ours;
}

/* @mountpoint made absolute without looking at its last component. */
static int absolute(const char *mountpoint, char *out, size_t size)
{
	char dir_copy[PATH_MAX], base_copy[PATH_MAX], dir[PATH_MAX];

	snprintf(dir_copy, sizeof(dir_copy), "%s", mountpoint);
	snprintf(base_copy, sizeof(base_copy), "%s", mountpoint);
	if (!realpath(dirname(dir_copy), dir))
		return -errno;
	if (snprintf(out, size, "%s/%s", strcmp(dir, "/") ? dir : "",
		     basename(base_copy)) >= (int)size)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Only a call that always reaches the daemon tells a dead mount from a live
 * one: stat() of the mount's root is answered from the attribute cache for
 * a second after the daemon died.  statfs() is never cached.
 */
static int mount_connection(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) < 0 ? -errno : 0;
}

int restart_clear_mount(const char *mountpoint)
{
	char path[PATH_MAX];
	int err;

	if (absolute(mountpoint, path, sizeof(path)) || !mounted_by_us(path)) {
		/* not ours: a dead one is left alone, and said */
		if (mount_connection(mountpoint) != -ENOTCONN)
			return 0;
		fprintf(stderr, "fuse-vpe: %s: %s (a dead mount that is not fuse-vpe's: not touched)\n",
			mountpoint, strerror(ENOTCONN));
		return -ENOTCONN;
	}
	err = mount_connection(path);
	if (!err) {
		fprintf(stderr, "fuse-vpe: %s: a running fuse-vpe serves it already\n",
			path);
		return -EBUSY;
	}
	if (err != -ENOTCONN)
		return 0;
	if (umount2(path, MNT_DETACH) < 0) {
		err = -errno;
		fprintf(stderr, "fuse-vpe: %s: the mount of a fuse-vpe that died: cannot detach it: %s\n",
			path, strerror(-err));
		return err;
	}
	warn_log(LOG_NOTICE,
		 "vpe-compat: %s: detached the mount a fuse-vpe that died left behind",
		 path);
	return 0;
}

int restart_find_program(struct rproc *rp, struct fwimage_info *info)
{
	struct fwimage_result *res;
	enum rproc_state state;
	const void *map;
	size_t len;
	int err;

	if (rproc_get_state(rp, &state) || state != RPROC_RUNNING)
		return 0;
	err = rproc_map_firmware(rp, &map, &len);
	if (err == -ENOENT) {
		warn_log(LOG_WARNING,
			 "vpe-compat: %s runs a firmware fuse-vpe did not write: to serve its channels, name its vpe_shared with --vpe-shared",
			 rp->name);
		return 0;
	}
	if (err)
		goto fail;
	res = malloc(sizeof(*res));
	err = res ? fwimage_inspect(map, len, res) : -ENOMEM;
	munmap((void *)map, len);
	if (!err)
		*info = res->info;
	else if (res)
		warn_log(LOG_ERR, "vpe-compat: %s/%s: %s", rp->name, rp->fw_name,
			 res->error);
	free(res);
	if (err)
		goto fail;
	warn_log(LOG_NOTICE,
		 "vpe-compat: %s runs %s, loaded by an earlier fuse-vpe: serving its channels again (vpe_shared at physical 0x%08x)",
		 rp->name, rp->fw_name, info->vpe_shared_phys);
	return 1;
fail:
	warn_log(LOG_ERR,
		 "vpe-compat: %s runs %s, but it cannot be read back: %s; its channels are not served",
		 rp->name, rp->fw_name, strerror(-err));
	return err;
}
