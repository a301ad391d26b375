// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ready: systemd's readiness protocol, without libsystemd: one datagram
 * on a Unix socket (sd_notify(3) documents it as stable).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ready.h"

int ready_notify(void)
{
	static const char msg[] = "READY=1\n";
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	size_t n;
	int fd, err = 0;

	if (!path || !path[0])
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';	/* the abstract namespace */
	len = offsetof(struct sockaddr_un, sun_path) + n;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (sendto(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL,
		   (const struct sockaddr *)&sa, len) < 0)
		err = -errno;
	close(fd);
	return err;
}
