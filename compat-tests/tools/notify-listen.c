// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * notify-listen: stand in for a service manager's readiness socket.
 *
 *	notify-listen SOCKET SECONDS -- COMMAND [ARGS...]
 *
 * Binds a datagram socket at the path SOCKET, runs COMMAND with
 * NOTIFY_SOCKET=SOCKET, and prints every message it receives, one per
 * line, until one says READY=1 or SECONDS pass.  Exit status: 0 READY=1
 * came, 1 it did not (or COMMAND could not run), 2 usage.  COMMAND keeps
 * running (it is the daemon under test); its pid is on the first line
 * ("pid N").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	double end;
	pid_t pid;
	int fd;

	if (argc < 5 || strcmp(argv[3], "--") ||
	    strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: notify-listen SOCKET SECONDS -- COMMAND [ARGS...]\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("notify-listen: socket");
		return 1;
	}
	end = now() + atof(argv[2]);
	pid = fork();
	if (pid < 0) {
		perror("notify-listen: fork");
		return 1;
	}
	if (pid == 0) {
		setenv("NOTIFY_SOCKET", argv[1], 1);
		execvp(argv[4], argv + 4);
		perror("notify-listen: exec");
		_exit(127);
	}
	printf("pid %d\n", (int)pid);
	fflush(stdout);
	while (now() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, (int)((end - now()) * 1000) + 1) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			continue;
		buf[n] = '\0';
		printf("%s%s", buf, n && buf[n - 1] == '\n' ? "" : "\n");
		fflush(stdout);
		if (strstr(buf, "READY=1"))
			return 0;
	}
	return 1;
}
