// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlxprobe: performs exactly one operation on /dev/rtlxN, the way a legacy
 * program would, and prints its outcome on one line: a byte count, OK, or
 * the errno name (ENOSYS, EBUSY, EINTR...), followed by " signals=N" when
 * N timer signals arrived during the call.  For the migration tests of
 * docs/legacy-abi.md section 11 items 7-13; `rtlxprobe -h` lists the
 * operations with what the legacy kernel gives.
 *
 *   rtlxprobe [-t SECONDS] [-w SECONDS] [-d PREFIX] OPERATION CHANNEL [ARG]
 *   rtlxprobe [-t SECONDS] -f FD OPERATION [ARG]
 *
 * Exit status: 0 the operation was carried out (whatever its outcome),
 * 1 it could not be (e.g. the preparatory open failed; reason on stderr),
 * 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "rtlxapp.h"

#define PROG "rtlxprobe"

static const char *prefix = "/dev/rtlx";
static double timer = 1.0;	/* -t: the signal / timeout of the operation */
static double open_wait = 5.0;	/* -w: bound of a preparatory blocking open */
static int channel = -1, given_fd = -1;
static const char *arg;		/* the operation's optional argument */
static char dev[256];
static volatile sig_atomic_t signals, restart_once;

/* ---- helpers ------------------------------------------------------------ */

static const char *errno_name(int e)
{
	static char other[32];
	static const struct { int e; const char *name; } names[] = {
#define E(x) { x, #x }
		E(EPERM), E(ENOENT), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC),
		E(EBADF), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST),
		E(ENODEV), E(EINVAL), E(ENOTTY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS),
		E(EPIPE), E(ERANGE), E(ENOSYS), E(ENOTCONN), E(EOPNOTSUPP), E(ETIMEDOUT),
		E(ECONNREFUSED), E(ECONNABORTED), E(EOVERFLOW), E(ENOLINK), E(ESHUTDOWN),
		E(ENOTSUP), E(ERESTART), E(ENOTRECOVERABLE), E(EOWNERDEAD),
#undef E
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(other, sizeof(other), "errno%d", e);
	return other;
}

/* the outcome line: "RESULT[ signals=N]" */
static int outcome(const char *result)
{
	if (signals)
		printf("%s signals=%d\n", result, (int)signals);
	else
		printf("%s\n", result);
	return 0;
}

static int outcome_n(long long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", n);
	return outcome(buf);
}

static int outcome_errno(int e)
{
	return outcome(errno_name(e));
}

static int setup_failed(const char *what)
{
	int e = errno;

	fprintf(stderr, PROG ": %s: %s (%s)\n", what, errno_name(e), strerror(e));
	return 1;
}

static void on_alarm(int sig)
{
	(void)sig;
	signals++;
	if (restart_once) {
		/* the next tick interrupts: no SA_RESTART any more */
		struct sigaction sa = { .sa_handler = on_alarm };

		restart_once = 0;
		sigaction(SIGALRM, &sa, NULL);
	}
}

/* SIGALRM after `secs` (then every `secs` if periodic); restart: SA_RESTART */
static void arm(double secs, int restart, int periodic)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0 };
	struct timeval tv = { .tv_sec = (time_t)secs,
			      .tv_usec = (suseconds_t)((secs - (time_t)secs) * 1e6) };
	struct itimerval it = { .it_value = tv };

	if (periodic)
		it.it_interval = tv;
	signals = 0;
	restart_once = restart;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/*
 * The file an operation works on: the inherited -f FD (its O_NONBLOCK flag
 * set as asked; mode < 0 leaves it), or a fresh open of the channel
 * (blocking unless mode > 0; a blocking open waits at most -w seconds).
 */
static int get_fd(int mode)
{
	int fd;

	if (given_fd >= 0) {
		if (mode >= 0)
			set_nonblock(given_fd, mode);
		return given_fd;
	}
	if (mode > 0)
		return open(dev, O_RDWR | O_NONBLOCK);
	arm(open_wait, 0, 0);
	fd = open(dev, O_RDWR);
	alarm_off();
	signals = 0;
	return fd;
}

#define GET_FD(fd, mode)						\
	do {								\
		(fd) = get_fd(mode);					\
		if ((fd) < 0) {						\
			char what_[300];				\
			snprintf(what_, sizeof(what_), "open %s", dev);	\
			return setup_failed(what_);			\
		}							\
	} while (0)

static size_t count_arg(size_t dflt)
{
	char *end;
	unsigned long v;

	if (!arg)
		return dflt;
	v = strtoul(arg, &end, 0);
	if (*end || v == 0 || v > (16u << 20)) {
		fprintf(stderr, PROG ": bad count '%s'\n", arg);
		exit(2);
	}
	return v;
}

/*
 * Write without reading until the rings are full: the echo firmware keeps
 * moving data from the Linux->SP ring to the SP->Linux ring until that one
 * is full, so EAGAIN must persist 300 ms before it counts.
 */
static int fill(int fd, size_t chunk, long long *total, long long *shorts)
{
	char buf[65536];
	double last = now();

	memset(buf, '.', sizeof(buf));
	if (chunk > sizeof(buf))
		chunk = sizeof(buf);
	*total = *shorts = 0;
	for (;;) {
		ssize_t n = write(fd, buf, chunk);

		if (n > 0) {
			*total += n;
			*shorts += (size_t)n < chunk;
			last = now();
			if (*total > (64 << 20))
				return -1;	/* never full */
		} else if (n == 0 || errno == EAGAIN) {
			if (now() - last >= 0.3)
				return 0;
			pause_ms(10);
		} else {
			return errno;
		}
	}
}

static void poll_names(char *out, size_t len, unsigned re, int ep)
{
	static const struct { unsigned bit; const char *name; } bits[] = {
		{ POLLIN, "IN" }, { POLLPRI, "PRI" }, { POLLOUT, "OUT" }, { POLLERR, "ERR" },
		{ POLLHUP, "HUP" }, { POLLNVAL, "NVAL" }, { POLLRDNORM, "RDNORM" },
		{ POLLRDBAND, "RDBAND" }, { POLLWRNORM, "WRNORM" }, { POLLWRBAND, "WRBAND" },
		{ POLLRDHUP, "RDHUP" },
	};

	*out = 0;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(re & bits[i].bit))
			continue;
		snprintf(out + strlen(out), len - strlen(out), "%s%s%s", *out ? "|" : "",
			 ep ? "EPOLL" : "POLL", bits[i].name);
	}
	if (!*out)
		snprintf(out, len, "timeout");
}

/* ---- item 7: open ------------------------------------------------------- */

static int op_open(void)
{
	int fd;

	arm(timer, 0, 0);
	fd = open(dev, O_RDWR);
	alarm_off();
	return fd < 0 ? outcome_errno(errno) : outcome("OK");
}

static int op_open_nonblock(void)
{
	int fd = open(dev, O_RDWR | O_NONBLOCK);

	return fd < 0 ? outcome_errno(errno) : outcome("OK");
}

static int op_open_restart(void)
{
	int fd;

	arm(timer, 1, 1);	/* 1st tick restarts the open, 2nd interrupts it */
	fd = open(dev, O_RDWR);
	alarm_off();
	return fd < 0 ? outcome_errno(errno) : outcome("OK");
}

static int op_open_twice(void)
{
	int first = open(dev, O_RDWR | O_NONBLOCK), fd;

	if (first < 0)
		return setup_failed("first open");
	arm(timer, 0, 0);
	fd = open(dev, O_RDWR);
	alarm_off();
	return fd < 0 ? outcome_errno(errno) : outcome("OK");
}

static int op_open_while_waiting(void)
{
	char res[64];
	int fd, status;
	pid_t child = fork(), w;

	if (child < 0)
		return setup_failed("fork");
	if (child == 0) {		/* the first opener: blocks, or holds */
		if (open(dev, O_RDWR) < 0)
			_exit(errno & 0x7f);
		for (;;)
			pause();
	}
	pause_ms(300);
	fd = open(dev, O_RDWR | O_NONBLOCK);
	snprintf(res, sizeof(res), "%s", fd < 0 ? errno_name(errno) : "OK");
	w = waitpid(child, &status, WNOHANG);
	if (w == 0)
		snprintf(res + strlen(res), sizeof(res) - strlen(res), " waiter=%s",
			 "blocked-or-holding");
	else
		snprintf(res + strlen(res), sizeof(res) - strlen(res), " waiter=%s",
			 WIFEXITED(status) ? errno_name(WEXITSTATUS(status)) : "killed");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return outcome(res);
}

static int op_hold(void)
{
	int fd;

	GET_FD(fd, 0);
	outcome("OK");
	fflush(stdout);
	pause_ms((long)(timer * 1000));
	close(fd);
	return 0;
}

/* ---- item 8: read ------------------------------------------------------- */

static int do_read(int fd, size_t count, int timed)
{
	char *buf = malloc(count);
	ssize_t n;
	int e;

	if (!buf)
		return setup_failed("malloc");
	if (timed)
		arm(timer, 0, 0);
	n = read(fd, buf, count);
	e = errno;
	alarm_off();
	free(buf);
	return n < 0 ? outcome_errno(e) : outcome_n(n);
}

static int op_read(void)
{
	int fd;

	GET_FD(fd, 0);
	return do_read(fd, count_arg(4096), 1);
}

static int op_read_nonblock(void)
{
	int fd;

	GET_FD(fd, 1);
	return do_read(fd, count_arg(4096), 0);
}

static int op_read_fcntl(void)
{
	int fd;

	GET_FD(fd, 0);
	set_nonblock(fd, 1);	/* the file's current flag counts */
	return do_read(fd, count_arg(4096), 0);
}

static int op_drain(void)
{
	char buf[4096];
	long long total = 0;
	double start = now(), last = start;
	int fd;

	GET_FD(fd, 1);
	while (now() - last < 0.2 && now() - start < timer) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			total += n;
			last = now();
		} else if (n == 0 || errno == EAGAIN || errno == EINTR) {
			pause_ms(5);
		} else {
			return outcome_errno(errno);
		}
	}
	return outcome_n(total);
}

/* read exactly `count` bytes within -t seconds; 0 is not EOF */
static int recv_exact(int fd, char *buf, size_t count, size_t *got)
{
	double end = now() + timer;

	*got = 0;
	while (*got < count && now() < end) {
		ssize_t n;

		arm(end - now() > 0.001 ? end - now() : 0.001, 0, 0);
		n = read(fd, buf + *got, count - *got);
		alarm_off();
		if (n > 0)
			*got += (size_t)n;
		else if (n < 0 && errno != EINTR && errno != EAGAIN)
			return errno;
		else
			pause_ms(1);
	}
	signals = 0;
	return *got == count ? 0 : ETIMEDOUT;
}

static int send_all(int fd, const char *text, size_t len, size_t *done)
{
	*done = 0;
	arm(timer, 0, 0);
	while (*done < len) {
		ssize_t n = write(fd, text + *done, len - *done);

		if (n < 0) {
			int e = errno;

			alarm_off();
			return e;
		}
		*done += (size_t)n;
	}
	alarm_off();
	return 0;
}

static int op_recv(void)
{
	size_t count = count_arg(0), got;
	char *buf;
	int fd, e;

	if (!count) {
		fprintf(stderr, PROG ": recv needs a byte count\n");
		return 2;
	}
	GET_FD(fd, 0);
	buf = malloc(count);
	if (!buf)
		return setup_failed("malloc");
	e = recv_exact(fd, buf, count, &got);
	fwrite(buf, 1, got, stdout);
	putchar('\n');
	free(buf);
	if (e)
		fprintf(stderr, PROG ": recv: %zu of %zu bytes: %s\n", got, count, errno_name(e));
	return e ? 1 : 0;
}

/* ---- item 9: write ------------------------------------------------------ */

static int op_send(void)
{
	size_t done;
	int fd, e;

	if (!arg)
		return fprintf(stderr, PROG ": send needs a text\n"), 2;
	GET_FD(fd, 0);
	e = send_all(fd, arg, strlen(arg), &done);
	if (e) {
		fprintf(stderr, PROG ": send: %zu of %zu bytes\n", done, strlen(arg));
		return outcome_errno(e);
	}
	return outcome_n((long long)done);
}

static int op_echo(void)
{
	size_t len, done, got;
	char *buf;
	int fd, e;

	if (!arg)
		return fprintf(stderr, PROG ": echo needs a text\n"), 2;
	len = strlen(arg);
	GET_FD(fd, 0);
	buf = malloc(len + 1);
	if (!buf)
		return setup_failed("malloc");
	e = send_all(fd, arg, len, &done);
	if (e) {
		free(buf);
		errno = e;
		return setup_failed("echo: write");
	}
	e = recv_exact(fd, buf, len, &got);
	fwrite(buf, 1, got, stdout);
	putchar('\n');
	free(buf);
	if (e)
		fprintf(stderr, PROG ": echo: %zu of %zu bytes came back\n", got, len);
	return e ? 1 : 0;
}

static int op_write(void)
{
	const char *text = arg ? arg : "x";
	ssize_t n;
	int fd, e;

	GET_FD(fd, -1);
	arm(timer, 0, 0);
	n = write(fd, text, strlen(text));
	e = errno;
	alarm_off();
	return n < 0 ? outcome_errno(e) : outcome_n(n);
}

static int op_write_full(void)
{
	long long total, shorts;
	char res[96];
	int fd, e;

	GET_FD(fd, 1);
	e = fill(fd, count_arg(1000), &total, &shorts);
	if (e < 0) {
		fprintf(stderr, PROG ": write-full: no EAGAIN after %lld bytes\n", total);
		return 1;
	}
	snprintf(res, sizeof(res), "%s bytes=%lld short=%lld", e ? errno_name(e) : "EAGAIN",
		 total, shorts);
	return outcome(res);
}

static int op_write_block(void)
{
	long long total, shorts;
	ssize_t n;
	int fd, e;

	GET_FD(fd, 1);
	e = fill(fd, 1000, &total, &shorts);
	if (e) {
		fprintf(stderr, PROG ": write-block: rings not filled (%s after %lld bytes)\n",
			e < 0 ? "no EAGAIN" : errno_name(e), total);
		return 1;
	}
	set_nonblock(fd, 0);
	arm(timer, 0, 0);
	n = write(fd, "x", 1);	/* waits for space: the signal ends it */
	e = errno;
	alarm_off();
	return n < 0 ? outcome_errno(e) : outcome_n(n);
}

static void *reader_later(void *p)
{
	char buf[4096];
	int fd = *(int *)p;

	pause_ms(200);
	if (read(fd, buf, sizeof(buf)) < 0)
		perror(PROG ": write-wait: read");
	return NULL;
}

static int op_write_wait(void)
{
	long long total, shorts;
	char buf[100];
	pthread_t t;
	ssize_t n;
	int fd, e;

	GET_FD(fd, 1);
	e = fill(fd, 1000, &total, &shorts);
	if (e) {
		fprintf(stderr, PROG ": write-wait: rings not filled (%s after %lld bytes)\n",
			e < 0 ? "no EAGAIN" : errno_name(e), total);
		return 1;
	}
	set_nonblock(fd, 0);
	memset(buf, '.', sizeof(buf));
	if (pthread_create(&t, NULL, reader_later, &fd))
		return setup_failed("pthread_create");
	arm(timer, 0, 0);
	n = write(fd, buf, sizeof(buf));	/* space appears once the reader read */
	e = errno;
	alarm_off();
	pthread_join(t, NULL);
	return n < 0 ? outcome_errno(e) : outcome_n(n);
}

/* ---- item 10: poll / select / epoll ------------------------------------- */

static int do_poll(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	char names[160];
	int r = poll(&p, 1, (int)(timer * 1000));

	if (r < 0)
		return outcome_errno(errno);
	poll_names(names, sizeof(names), r ? (unsigned)p.revents : 0, 0);
	return outcome(names);
}

#define ALL_EVENTS (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND | POLLWRNORM | \
		    POLLWRBAND | POLLRDHUP)

static int op_poll(void)
{
	int fd;

	GET_FD(fd, -1);
	return do_poll(fd, ALL_EVENTS);
}

static int op_poll_in(void)
{
	int fd;

	GET_FD(fd, -1);
	return do_poll(fd, POLLIN | POLLRDNORM);
}

static int op_poll_out(void)
{
	int fd;

	GET_FD(fd, -1);
	return do_poll(fd, POLLOUT | POLLWRNORM);
}

static int op_poll_echo(void)
{
	size_t got;
	char c;
	int fd, r;

	GET_FD(fd, 0);
	if (write(fd, "p", 1) != 1)
		return setup_failed("poll-echo: write");
	r = do_poll(fd, POLLIN | POLLRDNORM);	/* sleeps until the echo arrives */
	recv_exact(fd, &c, 1, &got);		/* take the echo back out */
	return r;
}

static int op_select(void)
{
	fd_set r, w, x;
	struct timeval tv = { .tv_sec = (time_t)timer,
			      .tv_usec = (suseconds_t)((timer - (time_t)timer) * 1e6) };
	char res[32] = "";
	int fd, n;

	GET_FD(fd, -1);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &x);
	n = select(fd + 1, &r, &w, &x, &tv);
	if (n < 0)
		return outcome_errno(errno);
	if (n == 0)
		return outcome("timeout");
	snprintf(res, sizeof(res), "%s%s%s", FD_ISSET(fd, &r) ? "read " : "",
		 FD_ISSET(fd, &w) ? "write " : "", FD_ISSET(fd, &x) ? "except " : "");
	res[strlen(res) - 1] = 0;
	return outcome(res);
}

static int op_epoll(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM |
					    EPOLLRDBAND | EPOLLWRNORM | EPOLLWRBAND | EPOLLRDHUP };
	char names[200];
	int fd, ep, n;

	GET_FD(fd, -1);
	ep = epoll_create1(0);
	if (ep < 0)
		return setup_failed("epoll_create1");
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		return outcome_errno(errno);
	n = epoll_wait(ep, &ev, 1, (int)(timer * 1000));
	if (n < 0)
		return outcome_errno(errno);
	poll_names(names, sizeof(names), n ? ev.events : 0, 1);
	return outcome(names);
}

/* ---- item 13: what is not there ----------------------------------------- */

static int op_ioctl(void)
{
	struct termios t;
	unsigned long req = TCGETS;	/* what isatty() asks */
	int fd;

	if (arg)
		req = strtoul(arg, NULL, 0);
	GET_FD(fd, -1);
	return ioctl(fd, req, &t) < 0 ? outcome_errno(errno) : outcome("OK");
}

static int op_mmap(void)
{
	void *p;
	int fd;

	GET_FD(fd, -1);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return outcome_errno(errno);
	munmap(p, 4096);
	return outcome("OK");
}

static int op_lseek(void)
{
	off_t r;
	int fd;

	GET_FD(fd, -1);
	r = lseek(fd, 16, SEEK_SET);
	return r < 0 ? outcome_errno(errno) : outcome_n((long long)r);
}

static int op_fsync(void)
{
	int fd;

	GET_FD(fd, -1);
	return fsync(fd) < 0 ? outcome_errno(errno) : outcome("OK");
}

/* ---- the table ---------------------------------------------------------- */

static const struct op {
	const char *name;
	int (*fn)(void);
	int opens;		/* opens by itself: no -f */
	const char *args, *help;
} ops[] = {
	{ "open", op_open, 1, "", "blocking open, SIGALRM after -t: OK | EINTR signals=1 (no SP) | EBUSY | ENOEXEC [7]" },
	{ "open-nonblock", op_open_nonblock, 1, "", "O_NONBLOCK open: OK | ENOSYS (no SP) | EBUSY | ENOEXEC [7, 12]" },
	{ "open-signal", op_open, 1, "", "= open, for an absent SP: EINTR signals=1 [7]" },
	{ "open-restart", op_open_restart, 1, "", "blocking open, SIGALRM with SA_RESTART, then without: EINTR signals=2 [7]" },
	{ "open-twice", op_open_twice, 1, "", "hold an open, then a blocking open: EBUSY [7]" },
	{ "open-while-waiting", op_open_while_waiting, 1, "", "a child blocks in open, then O_NONBLOCK open: EBUSY waiter=blocked-or-holding [7]" },
	{ "hold", op_hold, 1, "", "open, print OK, hold the channel -t seconds [7, 11]" },
	{ "read", op_read, 0, "[COUNT]", "blocking read, SIGALRM after -t: N | 0 (SP stopped) | 0 signals=1 (empty) [8]" },
	{ "read-nonblock", op_read_nonblock, 0, "[COUNT]", "O_NONBLOCK read: N | 0 (empty; never EAGAIN) [8]" },
	{ "read-signal", op_read, 0, "[COUNT]", "= read, on an empty ring: 0 signals=1 (never EINTR) [8]" },
	{ "read-fcntl", op_read_fcntl, 0, "[COUNT]", "blocking open, fcntl O_NONBLOCK, read: 0 on an empty ring [8]" },
	{ "drain", op_drain, 0, "", "read without blocking until 200 ms quiet (bounded by -t): bytes read [8, 11]" },
	{ "recv", op_recv, 0, "COUNT", "read exactly COUNT bytes within -t, print them [11]" },
	{ "send", op_send, 0, "TEXT", "write all of TEXT (short writes continued): byte count [9, 11]" },
	{ "echo", op_echo, 0, "TEXT", "send TEXT, receive as many bytes, print them [9]" },
	{ "write", op_write, 0, "[TEXT]", "one write() of TEXT (default x), SIGALRM after -t: N | EAGAIN | EINTR | EIO [9]" },
	{ "write-full", op_write_full, 0, "[CHUNK]", "O_NONBLOCK, write CHUNK-byte pieces (default 1000) without reading: EAGAIN bytes=4094 short=N [9, 13]" },
	{ "write-block", op_write_block, 0, "", "fill as write-full, then a blocking write, SIGALRM after -t: EINTR signals=1 [9]" },
	{ "write-wait", op_write_wait, 0, "", "fill, blocking write of 100 bytes, another thread reads after 0.2 s: 100 [9]" },
	{ "poll", op_poll, 0, "", "poll() all events, up to -t: POLLOUT|POLLWRNORM (empty) | POLLIN|..|POLLRDNORM|.. | timeout [10]" },
	{ "poll-in", op_poll_in, 0, "", "poll() POLLIN|POLLRDNORM, up to -t: POLLIN|POLLRDNORM | timeout [10]" },
	{ "poll-out", op_poll_out, 0, "", "poll() POLLOUT|POLLWRNORM, up to -t: POLLOUT|POLLWRNORM | timeout (full) [10]" },
	{ "poll-echo", op_poll_echo, 0, "", "write one byte, poll() POLLIN until the echo arrives: POLLIN|POLLRDNORM [10]" },
	{ "select", op_select, 0, "", "select() read, write, except, up to -t: write | read write | timeout [10]" },
	{ "epoll", op_epoll, 0, "", "epoll_wait() all events, up to -t: EPOLLOUT|EPOLLWRNORM | ... | timeout [10]" },
	{ "ioctl", op_ioctl, 0, "[REQUEST]", "ioctl(), default TCGETS (isatty): ENOTTY [13]" },
	{ "mmap", op_mmap, 0, "", "mmap(MAP_SHARED) of 4096 bytes: ENODEV [13]" },
	{ "lseek", op_lseek, 0, "", "lseek(16, SEEK_SET): 16 (2.6.32) | 0 (noop_llseek, >= 2.6.37) [13]" },
	{ "fsync", op_fsync, 0, "", "fsync(): EINVAL (no fsync operation) [13]" },
};

static void usage(int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f,
		"usage: " PROG " [-t SECONDS] [-w SECONDS] [-d PREFIX] OPERATION CHANNEL [ARG]\n"
		"       " PROG " [-t SECONDS] -f FD OPERATION [ARG]\n"
		"  one operation on /dev/rtlxCHANNEL (or on the inherited descriptor FD); prints its\n"
		"  outcome on one line: a byte count, OK or an errno name, then \" signals=N\" when N\n"
		"  timer signals (SIGALRM, no SA_RESTART unless said) arrived during the call\n"
		"  -t SECONDS  the operation's timer: signal / poll timeout / hold time (default 1)\n"
		"  -w SECONDS  bound of the preparatory blocking open of the other operations (default 5)\n"
		"  -d PREFIX   device name prefix (default /dev/rtlx)\n"
		"  -f FD       operate on inherited FD (e.g. exec 9<>/dev/rtlx3) instead of opening\n");
	if (status) {
		fprintf(f, "  " PROG " -h lists the operations\n");
		exit(status);
	}
	fprintf(f, "operations (what the legacy kernel gives [docs/legacy-abi.md §11 item]):\n");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		fprintf(f, "  %-18s %-9s %s\n", ops[i].name, ops[i].args, ops[i].help);
	fprintf(f, "exit: 0 done (whatever the outcome), 1 could not be done, 2 usage\n");
	exit(0);
}

int main(int argc, char **argv)
{
	const struct op *op = NULL;
	int c;

	while ((c = getopt(argc, argv, "t:w:d:f:h")) != -1) {
		switch (c) {
		case 't':
			if (parse_secs(optarg, &timer) || timer <= 0)
				usage(2);
			break;
		case 'w':
			if (parse_secs(optarg, &open_wait) || open_wait <= 0)
				usage(2);
			break;
		case 'd': prefix = optarg; break;
		case 'f':
			if (parse_int(optarg, 0, INT_MAX, &given_fd) || fcntl(given_fd, F_GETFL) < 0)
				usage(2);
			break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind >= argc)
		usage(2);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(argv[optind], ops[i].name) == 0)
			op = &ops[i];
	if (!op || (op->opens && given_fd >= 0))
		usage(2);
	optind++;
	if (given_fd < 0) {
		if (optind >= argc)
			usage(2);
		if (parse_int(argv[optind], 0, 255, &channel))
			usage(2);
		optind++;
		snprintf(dev, sizeof(dev), "%s%d", prefix, channel);
	} else {
		snprintf(dev, sizeof(dev), "fd %d", given_fd);
	}
	if (optind < argc)
		arg = argv[optind++];
	if (optind != argc)
		usage(2);
	return op->fn();
}
