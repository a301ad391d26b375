/* QEMU process control: spawn paused, QMP handshake, cont, quit.
 *
 * The child is tied to the thread that forks it with PR_SET_PDEATHSIG, so
 * a simulator that dies (even by SIGKILL) takes its QEMU along; the callers
 * only fork from threads that live as long as the process. */
#include "qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define START_TIMEOUT_MS 15000	/* spawn to QMP greeting (slow under ASan) */
#define CMD_TIMEOUT_MS 5000
#define CONNECT_POLL_MS 5

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void qemu_init(struct qemu *q)
{
	q->pid = 0;
	q->qmp = -1;
	q->len = 0;
}

/* QEMU option values separate with ','; a literal comma is written ",,". */
static char *escape_commas(const char *path)
{
	char *s = malloc(2 * strlen(path) + 1), *o = s;
	if (!s)
		return NULL;
	for (; *path; path++) {
		*o++ = *path;
		if (*path == ',')
			*o++ = ',';
	}
	*o = '\0';
	return s;
}

/* The command line, allocated before fork (the child may only exec). */
struct argv {
	char *a[32];
	int n;
	bool oom;
};

static void add(struct argv *v, char *s)
{
	if (!s || v->n + 1 >= (int)(sizeof(v->a) / sizeof(v->a[0]))) {
		v->oom = true;
		free(s);
		return;
	}
	v->a[v->n++] = s;
}

/* args(v, "a", "b", ..., NULL): plain words */
static void args(struct argv *v, ...)
{
	va_list ap;
	va_start(ap, v);
	for (const char *w; (w = va_arg(ap, const char *));)
		add(v, strdup(w));
	va_end(ap);
}

static void argf(struct argv *v, const char *f, ...)
	__attribute__((format(printf, 2, 3)));
static void argf(struct argv *v, const char *f, ...)
{
	va_list ap;
	char *s;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	add(v, s);
}

static void build_argv(struct argv *v, const struct qemu_cfg *c)
{
	unsigned long long mib = c->ram_size >> 20;
	char *ram = escape_commas(c->ram_path);
	char *sock = escape_commas(c->qmp_path);
	char *uart = c->uart_log ? escape_commas(c->uart_log) : NULL;

	memset(v, 0, sizeof(*v));
	args(v, c->binary, "-M", "malta", "-cpu", c->cpu, "-m", NULL);
	argf(v, "%lluM", mib);
	args(v, "-object", NULL);
	argf(v, "memory-backend-file,id=ram,size=%lluM,mem-path=%s,share=on",
	     mib, ram ? ram : "");
	args(v, "-machine", "memory-backend=ram", "-kernel", c->image,
	     "-nodefaults", "-no-user-config", "-display", "none",
	     "-no-reboot", "-S", NULL);
	/* Appended: the output of a crashed run survives its recovery. */
	if (c->uart_log) {
		args(v, "-chardev", NULL);
		argf(v, "file,id=uart,path=%s,append=on", uart ? uart : "");
	}
	args(v, "-serial", c->uart_log ? "chardev:uart" : "null", NULL);
	args(v, "-qmp", NULL);
	argf(v, "unix:%s,server=on,wait=off", sock ? sock : "");
	if (!ram || !sock || (c->uart_log && !uart))
		v->oom = true;
	free(ram);
	free(sock);
	free(uart);
	v->a[v->n] = NULL;
}

static void free_argv(struct argv *v)
{
	for (int i = 0; i < v->n; i++)
		free(v->a[i]);
}

/* In the child: only async-signal-safe calls until exec. */
static void child(const struct argv *v, const char *err_path, pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);	/* the parent died before prctl */
	setpgid(0, 0);		/* a terminal's ^C goes to the simulator only */

	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);	/* libfuse ignores it; exec keeps that */

	int in = open("/dev/null", O_RDONLY);
	int out = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (in < 0 || out < 0)
		_exit(127);
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	close_range(3, ~0u, 0);
	execvp(v->a[0], v->a);
	static const char msg[] = "rproc-sim: cannot execute QEMU\n";
	ssize_t r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(127);
}

static int spawn(struct qemu *q, const struct qemu_cfg *c)
{
	struct argv v;
	build_argv(&v, c);
	if (v.oom) {
		free_argv(&v);
		return -ENOMEM;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		child(&v, c->err_path, parent);
	int err = errno;
	free_argv(&v);
	if (pid < 0)
		return -err;
	q->pid = pid;
	slog(KL_DBG, "started %s (pid %d)", c->binary, (int)pid);
	return 0;
}

/* Has the (not yet watched) QEMU exited? Reaps it if so. */
static bool exited(struct qemu *q)
{
	int st;
	if (waitpid(q->pid, &st, WNOHANG) != q->pid)
		return false;
	if (WIFEXITED(st))
		slog(KL_ERR, "QEMU exited with status %d", WEXITSTATUS(st));
	else
		slog(KL_ERR, "QEMU killed by signal %d", WTERMSIG(st));
	q->pid = 0;
	return true;
}

/* QEMU creates the socket while it starts: retry until it accepts. */
static int connect_qmp(struct qemu *q, const char *path, int64_t deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	while (now_ms() < deadline) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			q->qmp = fd;
			q->len = 0;
			return 0;
		}
		close(fd);
		if (exited(q))
			return -ECHILD;
		poll(NULL, 0, CONNECT_POLL_MS);
	}
	return -ETIMEDOUT;
}

/* The next QMP message (one line), without its line end. */
static int qmp_line(struct qemu *q, char *line, size_t cap, int64_t deadline)
{
	for (;;) {
		char *nl = memchr(q->buf, '\n', q->len);
		if (nl) {
			size_t n = nl - q->buf + 1;
			size_t m = n - 1 < cap - 1 ? n - 1 : cap - 1;
			memcpy(line, q->buf, m);
			line[m] = '\0';
			memmove(q->buf, q->buf + n, q->len - n);
			q->len -= n;
			return 0;
		}
		if (q->len == sizeof(q->buf))
			q->len = 0;	/* drop an absurdly long message */
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		struct pollfd p = { .fd = q->qmp, .events = POLLIN };
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0)
			continue;
		ssize_t got = read(q->qmp, q->buf + q->len,
				   sizeof(q->buf) - q->len);
		if (got == 0)
			return -EPIPE;
		if (got < 0 && errno != EINTR && errno != EAGAIN)
			return -errno;
		if (got > 0)
			q->len += got;
	}
}

/* Wait for the reply to the last command; events in between are skipped. */
static int qmp_reply(struct qemu *q, int64_t deadline)
{
	char line[1024];
	for (;;) {
		int ret = qmp_line(q, line, sizeof(line), deadline);
		if (ret)
			return ret;
		slog(KL_DBG, "qmp <- %s", line);
		if (strstr(line, "\"return\""))
			return 0;
		if (strstr(line, "\"error\"")) {
			slog(KL_ERR, "QMP error: %s", line);
			return -EIO;
		}
	}
}

static int qmp_send(struct qemu *q, const char *cmd)
{
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "{\"execute\":\"%s\"}\r\n", cmd);
	slog(KL_DBG, "qmp -> %s", cmd);
	if (q->qmp < 0)
		return -ENOTCONN;
	if (send(q->qmp, msg, n, MSG_NOSIGNAL) != n)
		return -errno;
	return 0;
}

static int qmp_exec(struct qemu *q, const char *cmd)
{
	int ret = qmp_send(q, cmd);
	return ret ? ret : qmp_reply(q, now_ms() + CMD_TIMEOUT_MS);
}

/* Greeting, then capabilities negotiation: QMP is then in command mode. */
static int handshake(struct qemu *q, int64_t deadline)
{
	char line[1024];
	int ret = qmp_line(q, line, sizeof(line), deadline);
	if (ret)
		return ret;
	slog(KL_DBG, "qmp <- %s", line);
	if (!strstr(line, "\"QMP\""))
		return -EPROTO;
	return qmp_exec(q, "qmp_capabilities");
}

int qemu_start(struct qemu *q, const struct qemu_cfg *c)
{
	unlink(c->qmp_path);	/* a stale socket from an earlier QEMU */
	int ret = spawn(q, c);
	if (ret) {
		slog(KL_ERR, "cannot start %s: %s", c->binary, strerror(-ret));
		return -EINVAL;
	}
	int64_t deadline = now_ms() + START_TIMEOUT_MS;
	ret = connect_qmp(q, c->qmp_path, deadline);
	if (!ret)
		ret = handshake(q, deadline);
	if (ret) {
		if (ret != -ECHILD)
			slog(KL_ERR, "QEMU did not become ready: %s",
			     strerror(-ret));
		qemu_abort(q);
		slog_file(KL_ERR, "qemu", c->err_path);
		return -EINVAL;
	}
	return 0;
}

int qemu_cont(struct qemu *q)
{
	return qmp_exec(q, "cont");
}

int qemu_quit(struct qemu *q)
{
	/* The reply may never come: QEMU can exit before sending it. */
	return qmp_send(q, "quit");
}

void qemu_close(struct qemu *q)
{
	if (q->qmp >= 0)
		close(q->qmp);
	qemu_init(q);
}

void qemu_abort(struct qemu *q)
{
	if (q->pid > 0) {
		kill(q->pid, SIGKILL);
		while (waitpid(q->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	qemu_close(q);
}
