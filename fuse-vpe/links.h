/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * links: the /dev/vpe1 and /dev/rtlxN symlinks into the mount.
 *
 * A link is ours if it points into our mountpoint; anything else at that
 * name (a real device node, a file, someone else's link) is never replaced.
 */
#ifndef VPE_LINKS_H
#define VPE_LINKS_H

/* Link @link_dir/@name -> @mountpoint/@name. 0 or -errno. */
int link_create(const char *link_dir, const char *mountpoint,
		const char *name);
/* Remove it if it is still ours. */
void link_remove(const char *link_dir, const char *mountpoint,
		 const char *name);

#endif
