/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loader_id: who loaded the program, as the legacy loader recorded it at
 * the open of /dev/vpe1 (docs/legacy-abi.md §4.7): the file-system
 * credentials and the working directory of the opening process, read from
 * /proc. KSPD serves the program's system calls as that process would
 * have made them (kspd.c).
 */
#ifndef VPE_LOADER_ID_H
#define VPE_LOADER_ID_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define LOADER_ID_GROUPS	64	/* supplementary groups kept */

struct loader_id {
	bool known;		/* the rest is valid */
	pid_t pid;
	uid_t fsuid;
	gid_t fsgid;
	int ngroups;
	gid_t groups[LOADER_ID_GROUPS];
	mode_t umask;
	char cwd[PATH_MAX];
};

/* Read @pid's (a thread's id will do); 0 or -errno, @id->known set. */
int loader_id_read(pid_t pid, struct loader_id *id);

#endif
