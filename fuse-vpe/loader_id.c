// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loader_id: a process's file-system credentials and working directory,
 * from /proc/PID/status ("Uid:" and "Gid:" end with the fs ids, "Groups:",
 * "Umask:") and /proc/PID/cwd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader_id.h"

/* The last number of a "Uid:" or "Gid:" line: the fs id. */
static unsigned long last_number(const char *s)
{
	const char *p = s + strlen(s);

	while (p > s && (p[-1] == '\n' || p[-1] == ' ' || p[-1] == '\t'))
		p--;
	while (p > s && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return strtoul(p, NULL, 10);
}

static void read_groups(const char *s, struct loader_id *id)
{
	char *end;

	id->ngroups = 0;
	while (id->ngroups < LOADER_ID_GROUPS) {
		unsigned long g = strtoul(s, &end, 10);

		if (end == s)
			break;
		id->groups[id->ngroups++] = (gid_t)g;
		s = end;
	}
}

static int read_status(pid_t pid, struct loader_id *id)
{
	char path[64], line[4096];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	id->umask = 022;	/* before Linux 4.7 there is no Umask: line */
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Uid:", 4)) {
			id->fsuid = (uid_t)last_number(line + 4);
			found |= 1;
		} else if (!strncmp(line, "Gid:", 4)) {
			id->fsgid = (gid_t)last_number(line + 4);
			found |= 2;
		} else if (!strncmp(line, "Groups:", 7)) {
			read_groups(line + 7, id);
		} else if (!strncmp(line, "Umask:", 6)) {
			id->umask = (mode_t)strtoul(line + 6, NULL, 8) & 0777;
		}
	}
	fclose(f);
	return found == 3 ? 0 : -EIO;
}

int loader_id_read(pid_t pid, struct loader_id *id)
{
	char path[64];
	ssize_t n;
	int err;

	memset(id, 0, sizeof(*id));
	id->pid = pid;
	err = read_status(pid, id);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	n = readlink(path, id->cwd, sizeof(id->cwd) - 1);
	if (n < 0)
		return -errno;
	id->cwd[n] = '\0';
	id->known = true;
	return 0;
}
