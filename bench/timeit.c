// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timeit: run a command, print its wall time (CLOCK_MONOTONIC, from just
 * before fork to just after it was reaped) in nanoseconds on stdout. Exits
 * with the command's status (128+N if a signal N ended it).
 *
 *   timeit COMMAND [ARGS...]
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

const char *prog = "timeit";

int main(int argc, char **argv)
{
	int64_t t0, t1;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: timeit COMMAND [ARGS...]\n");
		return 2;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "timeit: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	t1 = now_ns();
	printf("%lld\n", (long long)(t1 - t0));
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
