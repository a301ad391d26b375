// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlxscript: runs a script of file operations (open, read, write, poll,
 * ioctl, ... on /dev/rtlxN, /dev/vpe1 or any other file) and prints a
 * syscall-level transcript, one line per operation:
 *
 *	OP ARGS => RESULT[ signals=N]
 *
 * For the differential tests: the same script runs once against the
 * legacy kernel driver and once against fuse-vpe, and the two transcripts
 * are compared line by line.  So nothing in a transcript may change from
 * one run to the next: no times, no pointers, no pids, errno names rather
 * than strerror text.
 *
 *	rtlxscript [-h] [SCRIPT]	(the script from stdin without SCRIPT)
 *
 * The whole script is parsed before anything runs: a script error costs
 * no operation.  Exit status: 0 the script ran to its end (whatever the
 * operations returned), 1 an internal failure, 2 usage or a script error
 * ("rtlxscript: line N: ...").  `rtlxscript -h` lists the operations.
 *
 * Self-contained on purpose (no rtlxapp.c): the guest gets one static
 * binary built straight from this file.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/time.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PROG		"rtlxscript"
#define NSLOTS		26		/* descriptor slots a..z */
#define MAX_TOKENS	256		/* per line */
#define MAX_COUNT	(16ul << 20)	/* COUNT and CHUNK */
#define MAX_MS		86400000ul	/* a day */
#define MAX_FILE	(64ul << 20)	/* the script, a load image */
#define FILL_LIMIT	1000000ul	/* fill gives up after that many bytes */
#define DRAIN_CHUNK	4096
#define LOAD_CHUNK	4096
#define VPE_DEVICE	"/dev/vpe1"

/* ---- helpers ------------------------------------------------------------ */

static __attribute__((noreturn)) void out_of_memory(void)
{
	fprintf(stderr, PROG ": out of memory\n");
	exit(1);
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

static const char *errno_name(int e)
{
	static char other[24];
	/* where two names share a number (EAGAIN/EWOULDBLOCK...), the first wins */
	static const struct { int e; const char *name; } names[] = {
#define E(x) { x, #x }
		E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
		E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
		E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
		E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
		E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
		E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
		E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ENOSTR),
		E(ENODATA), E(ETIME), E(ENOSR), E(ENOLINK), E(EPROTO), E(EBADMSG),
		E(EOVERFLOW), E(EILSEQ), E(ERESTART), E(ENOTSOCK), E(EMSGSIZE),
		E(EOPNOTSUPP), E(ENOTSUP), E(EADDRINUSE), E(ENETDOWN), E(ECONNABORTED),
		E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ESHUTDOWN),
		E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTUNREACH), E(EALREADY),
		E(EINPROGRESS), E(ESTALE), E(EDQUOT), E(ECANCELED), E(EOWNERDEAD),
		E(ENOTRECOVERABLE), E(ENOMEDIUM), E(EMEDIUMTYPE), E(EDEADLOCK),
		E(EWOULDBLOCK),
#undef E
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(other, sizeof(other), "E?%d", e);
	return other;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* one nanosleep: a signal may cut it short, which the callers' loops absorb */
static void nap_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };

	nanosleep(&ts, NULL);
}

/* the byte at offset i of the writen / fill data */
static char pattern(size_t i)
{
	return (char)('a' + i % 26);
}

/*
 * All of fd into a fresh buffer, NUL-terminated (the script parser relies
 * on that).  Returns 0 or the errno of the failing read.
 */
static int slurp(int fd, char **buf, size_t *len)
{
	size_t cap = 4096;
	ssize_t n;

	*buf = xrealloc(NULL, cap);
	*len = 0;
	for (;;) {
		if (cap - *len < 2) {
			if (cap >= MAX_FILE)
				return EFBIG;
			cap *= 2;
			*buf = xrealloc(*buf, cap);
		}
		n = read(fd, *buf + *len, cap - *len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	(*buf)[*len] = 0;
	return 0;
}

/* ---- a growing string: the output line ---------------------------------- */

struct sb {
	char *p;
	size_t len, cap;
};

static void sb_room(struct sb *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	b->cap = b->len + more + 1 > 2 * b->cap ? b->len + more + 1 : 2 * b->cap;
	b->p = xrealloc(b->p, b->cap);
}

static void sb_add(struct sb *b, const char *s, size_t n)
{
	sb_room(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void sb_puts(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static __attribute__((format(printf, 2, 3))) void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	sb_room(b, 64);		/* mostly enough: then one vsnprintf */
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->p[b->len] = 0;
			return;
		}
		if ((size_t)n < room)
			break;
		sb_room(b, (size_t)n);
	}
	b->len += (size_t)n;
}

/*
 * Bytes as a double-quoted string with the escapes the script reads back:
 * the data of a transcript stays on its line and survives any byte.
 */
static void sb_quote(struct sb *b, const char *s, size_t n)
{
	sb_room(b, 4 * n + 2);
	sb_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '\n': sb_add(b, "\\n", 2); break;
		case '\r': sb_add(b, "\\r", 2); break;
		case '\t': sb_add(b, "\\t", 2); break;
		case '\\': sb_add(b, "\\\\", 2); break;
		case '"': sb_add(b, "\\\"", 2); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				sb_add(b, (const char *)&c, 1);
			else
				sb_printf(b, "\\x%02x", c);
		}
	}
	sb_add(b, "\"", 1);
}

/* stdout without stdio: no buffer to lose, and a signal (EINTR) cannot cut a line */
static void emit(const struct sb *b)
{
	size_t done = 0;

	while (done < b->len) {
		ssize_t n = write(STDOUT_FILENO, b->p + done, b->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, PROG ": stdout: %s\n", n < 0 ? errno_name(errno) : "write 0");
			exit(1);
		}
		done += (size_t)n;
	}
}

/* ---- the script ---------------------------------------------------------- */

struct tok {
	char *s;		/* NUL-terminated, but a string may hold NULs: */
	size_t len;		/* its length */
	bool quoted;		/* echoed re-quoted, else as written */
};

struct op;

enum slot_use { NO_SLOT, OPENS, CLOSES, USES };

struct opdef {
	const char *name, *args, *help;
	int min, max;		/* argument tokens (the slot included) */
	enum slot_use slot;	/* the first argument is a slot, unless NO_SLOT */
	void (*parse)(struct op *op, const struct tok *a, int n);	/* after the slot */
	void (*run)(const struct op *op, struct sb *res);		/* NULL: say */
};

struct op {
	const struct opdef *def;
	char *echo;		/* "OP ARGS", normalized */
	int slot;		/* 0..25 (a..z), or -1 */
	const char *path;	/* open, load */
	const char *data;	/* write */
	size_t len;		/* write: data length; COUNT; CHUNK */
	unsigned long ms;
	int arg;		/* open: O_ flags; poll: events; nonblock: on */
};

static char *text;		/* the script; the tokens point into it */
static struct op *ops;
static size_t nops;
static int cur_line;		/* for synerr() */
static int fds[NSLOTS];		/* -1: free, or its open failed */
static volatile sig_atomic_t signals;

static __attribute__((noreturn, format(printf, 1, 2))) void synerr(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": line %d: ", cur_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* a token for an error message: as it would be echoed, cut short */
static const char *tokstr(const struct tok *t)
{
	static struct sb b;

	b.len = 0;
	if (t->quoted)
		sb_quote(&b, t->s, t->len);
	else
		sb_add(&b, t->s, t->len);
	if (b.len > 60)
		strcpy(b.p + 56, "...");
	return b.p;
}

static bool is(const struct tok *t, const char *word)
{
	return t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int unescape(char **pp)
{
	char *p = *pp;
	int c = (unsigned char)*p++, hi, lo;

	switch (c) {
	case 'n': c = '\n'; break;
	case 'r': c = '\r'; break;
	case 't': c = '\t'; break;
	case '\\': case '"': break;
	case 'x':
		hi = hexval(p[0]);
		lo = hi < 0 ? -1 : hexval(p[1]);
		if (lo < 0)
			synerr("\\x needs two hex digits");
		c = hi << 4 | lo;
		p += 2;
		break;
	case 0:
		synerr("unterminated string");
	default:
		if (c > 0x20 && c < 0x7f)
			synerr("bad escape \\%c", c);
		synerr("bad escape: \\ then byte 0x%02x", c);
	}
	*pp = p;
	return c;
}

/*
 * The string after the opening quote at p, decoded in place (it only
 * shrinks); returns where the text goes on after the closing quote.
 */
static char *unquote(char *p, struct tok *t)
{
	char *w = p;

	t->s = p;
	t->quoted = true;
	for (;;) {
		int c = (unsigned char)*p++;

		if (c == 0)
			synerr("unterminated string");
		if (c == '"')
			break;
		if (c == '\\')
			c = unescape(&p);
		*w++ = (char)c;
	}
	if (*p && *p != ' ' && *p != '\t')
		synerr("no space after a string");
	t->len = (size_t)(w - t->s);
	*w = 0;			/* w < p: what follows is intact */
	return p;
}

/* a line (NUL-terminated) into tokens, in place; returns their number */
static int tokenize(char *p, struct tok *toks)
{
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == MAX_TOKENS)
			synerr("more than %d tokens", MAX_TOKENS);
		if (*p == '"') {
			p = unquote(p + 1, &toks[n++]);
			continue;
		}
		toks[n].s = p;
		toks[n].quoted = false;
		while (*p && *p != ' ' && *p != '\t')
			if (*p++ == '"')
				synerr("quote inside a word");
		toks[n].len = (size_t)(p - toks[n].s);
		n++;
		if (*p)
			*p++ = 0;
	}
}

/* ---- argument parsing ---------------------------------------------------- */

static unsigned long number(const struct tok *t, unsigned long lo, unsigned long hi,
			    const char *what)
{
	unsigned long v = 0;
	size_t i;

	for (i = 0; i < t->len && v <= hi; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			break;
		v = v * 10 + (unsigned long)(t->s[i] - '0');
	}
	if (!t->len || i < t->len || v < lo || v > hi)
		synerr("bad %s '%s' (%lu..%lu)", what, tokstr(t), lo, hi);
	return v;
}

static const char *path_arg(const struct tok *t)
{
	if (strlen(t->s) != t->len)
		synerr("a path cannot hold a NUL byte");
	return t->s;
}

static void parse_open(struct op *op, const struct tok *a, int n)
{
	int mode = -1, nonblock = 0;

	op->path = path_arg(&a[0]);
	for (int i = 1; i < n; i++) {
		if (mode < 0 && is(&a[i], "rdonly"))
			mode = O_RDONLY;
		else if (mode < 0 && is(&a[i], "wronly"))
			mode = O_WRONLY;
		else if (mode < 0 && is(&a[i], "rdwr"))
			mode = O_RDWR;
		else if (!nonblock && is(&a[i], "nonblock"))
			nonblock = O_NONBLOCK;
		else
			synerr("open: unexpected '%s'", tokstr(&a[i]));
	}
	op->arg = (mode < 0 ? O_RDWR : mode) | nonblock;
}

static void parse_string(struct op *op, const struct tok *a, int n)
{
	(void)n;
	op->data = a[0].s;
	op->len = a[0].len;
}

static void parse_count(struct op *op, const struct tok *a, int n)
{
	(void)n;
	op->len = number(&a[0], 0, MAX_COUNT, "COUNT");
}

static void parse_chunk(struct op *op, const struct tok *a, int n)
{
	(void)n;
	op->len = number(&a[0], 1, MAX_COUNT, "CHUNK");
}

static void parse_ms(struct op *op, const struct tok *a, int n)
{
	(void)n;
	op->ms = number(&a[0], 0, MAX_MS, "MS");
}

static void parse_readall(struct op *op, const struct tok *a, int n)
{
	parse_count(op, a, n);
	parse_ms(op, a + 1, n - 1);
}

static void parse_poll(struct op *op, const struct tok *a, int n)
{
	if (is(&a[0], "in"))
		op->arg = POLLIN;
	else if (is(&a[0], "out"))
		op->arg = POLLOUT;
	else if (is(&a[0], "inout"))
		op->arg = POLLIN | POLLOUT;
	else
		synerr("poll: '%s' is not in, out or inout", tokstr(&a[0]));
	parse_ms(op, a + 1, n - 1);
}

static void parse_onoff(struct op *op, const struct tok *a, int n)
{
	(void)n;
	if (!is(&a[0], "on") && !is(&a[0], "off"))
		synerr("nonblock: '%s' is not on or off", tokstr(&a[0]));
	op->arg = is(&a[0], "on");
}

static void parse_load(struct op *op, const struct tok *a, int n)
{
	op->path = path_arg(&a[0]);
	op->len = LOAD_CHUNK;
	if (n > 1)
		parse_chunk(op, a + 1, n - 1);
}

/* ---- the operations ------------------------------------------------------ */

/* ok or the errno name; call it on the syscall's result, nothing in between */
static void res_status(struct sb *r, long ret)
{
	int e = errno;

	sb_puts(r, ret < 0 ? errno_name(e) : "ok");
}

static void res_data(struct sb *r, const char *buf, size_t n)
{
	sb_printf(r, "%zu ", n);
	sb_quote(r, buf, n);
}

static void run_open(const struct op *op, struct sb *r)
{
	int fd = open(op->path, op->arg);

	if (fd < 0) {
		sb_puts(r, errno_name(errno));
		return;
	}
	fds[op->slot] = fd;
	sb_puts(r, "ok");
}

static void run_close(const struct op *op, struct sb *r)
{
	int fd = fds[op->slot];

	fds[op->slot] = -1;	/* free whatever close says */
	res_status(r, close(fd));
}

static void run_write(const struct op *op, struct sb *r)
{
	ssize_t n = write(fds[op->slot], op->data, op->len);

	if (n < 0)
		sb_puts(r, errno_name(errno));
	else
		sb_printf(r, "%zu", (size_t)n);
}

static void run_writen(const struct op *op, struct sb *r)
{
	char *buf = xrealloc(NULL, op->len);
	ssize_t n;

	for (size_t i = 0; i < op->len; i++)
		buf[i] = pattern(i);
	n = write(fds[op->slot], buf, op->len);
	if (n < 0)
		sb_puts(r, errno_name(errno));
	else
		sb_printf(r, "%zu", (size_t)n);
	free(buf);
}

static void run_read(const struct op *op, struct sb *r)
{
	char *buf = xrealloc(NULL, op->len);
	ssize_t n = read(fds[op->slot], buf, op->len);

	if (n < 0)
		sb_puts(r, errno_name(errno));
	else
		res_data(r, buf, (size_t)n);
	free(buf);
}

/*
 * Reads until COUNT bytes or MS ms.  A read of 0 is no end of file here:
 * a legacy RTLX read returns 0 on an empty ring (and on a signal).
 */
static void run_readall(const struct op *op, struct sb *r)
{
	long long end = now_ns() + (long long)op->ms * 1000000;
	char *buf = xrealloc(NULL, op->len);
	size_t got = 0;
	bool late = false;
	int e = 0;

	while (got < op->len) {
		ssize_t n = read(fds[op->slot], buf + got, op->len - got);

		if (n < 0 && errno != EAGAIN) {
			e = errno;
			break;
		}
		if (n > 0)
			got += (size_t)n;
		if (got < op->len && now_ns() >= end) {
			late = true;
			break;
		}
		if (n <= 0)
			nap_ms(1);
	}
	res_data(r, buf, got);
	if (e)
		sb_printf(r, " error=%s", errno_name(e));
	else if (late)
		sb_puts(r, " timeout");
	free(buf);
}

/*
 * Writes until the file takes no more.  The pattern goes on from one write
 * to the next (after a short write too), so a reader sees one abcd... stream.
 */
static void run_fill(const struct op *op, struct sb *r)
{
	char *buf = xrealloc(NULL, op->len + 26);
	size_t total = 0;
	ssize_t n = 1;

	for (size_t i = 0; i < op->len + 26; i++)
		buf[i] = pattern(i);
	while (total < FILL_LIMIT) {
		size_t want = FILL_LIMIT - total < op->len ? FILL_LIMIT - total : op->len;

		n = write(fds[op->slot], buf + total % 26, want);
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	if (n < 0)
		sb_printf(r, "%zu then %s", total, errno_name(errno));
	else
		sb_printf(r, "%zu then %s", total, n ? "limit" : "0");
	free(buf);
}

static void run_drain(const struct op *op, struct sb *r)
{
	long long quiet = (long long)op->ms * 1000000, last = now_ns();
	unsigned long long total = 0;
	char buf[DRAIN_CHUNK];
	int e = 0;

	for (;;) {
		ssize_t n = read(fds[op->slot], buf, sizeof(buf));

		if (n > 0) {
			total += (size_t)n;
			last = now_ns();
			continue;
		}
		if (n < 0 && errno != EAGAIN) {
			e = errno;
			break;
		}
		if (now_ns() - last >= quiet)
			break;
		nap_ms(1);
	}
	sb_printf(r, "%llu", total);
	if (e)
		sb_printf(r, " error=%s", errno_name(e));
}

/* every name whose bits are all set: on MIPS POLLWRNORM is POLLOUT, both show */
static void res_revents(struct sb *r, unsigned re)
{
	static const struct { unsigned bits; const char *name; } names[] = {
#define P(x) { x, #x }
		P(POLLIN), P(POLLPRI), P(POLLOUT), P(POLLERR), P(POLLHUP), P(POLLNVAL),
		P(POLLRDNORM), P(POLLRDBAND), P(POLLWRNORM), P(POLLWRBAND),
#undef P
	};
	const char *sep = "";
	unsigned named = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((re & names[i].bits) != names[i].bits)
			continue;
		sb_printf(r, "%s%s", sep, names[i].name);
		sep = "|";
		named |= names[i].bits;
	}
	if (re & ~named)
		sb_printf(r, "%s0x%x", sep, re & ~named);
}

static void run_poll(const struct op *op, struct sb *r)
{
	struct pollfd p = { .fd = fds[op->slot], .events = (short)op->arg };
	int n = poll(&p, 1, (int)op->ms);

	if (n < 0)
		sb_puts(r, errno_name(errno));
	else if (n == 0)
		sb_puts(r, "timeout");
	else
		res_revents(r, (unsigned short)p.revents);
}

static void run_select(const struct op *op, struct sb *r)
{
	struct timeval tv = { .tv_sec = op->ms / 1000, .tv_usec = op->ms % 1000 * 1000 };
	int fd = fds[op->slot], n;
	fd_set rd, wr;

	if (fd >= FD_SETSIZE) {		/* no room in an fd_set */
		sb_puts(r, "EINVAL");
		return;
	}
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	n = select(fd + 1, &rd, &wr, NULL, &tv);
	if (n < 0)
		sb_puts(r, errno_name(errno));
	else if (n == 0)
		sb_puts(r, "timeout");
	else if (FD_ISSET(fd, &rd))
		sb_puts(r, FD_ISSET(fd, &wr) ? "read write" : "read");
	else
		sb_puts(r, "write");
}

static void run_nonblock(const struct op *op, struct sb *r)
{
	int fd = fds[op->slot], fl = fcntl(fd, F_GETFL);

	if (fl < 0) {
		sb_puts(r, errno_name(errno));
		return;
	}
	fl = op->arg ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	res_status(r, fcntl(fd, F_SETFL, fl));
}

static void run_ioctl(const struct op *op, struct sb *r)
{
	struct termios t;	/* glibc's is at least as big as the kernel's */

	res_status(r, ioctl(fds[op->slot], TCGETS, &t));
}

static void run_mmap(const struct op *op, struct sb *r)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fds[op->slot], 0);

	if (p == MAP_FAILED) {
		sb_puts(r, errno_name(errno));
		return;
	}
	munmap(p, 4096);
	sb_puts(r, "ok");
}

static void run_lseek(const struct op *op, struct sb *r)
{
	off_t off = lseek(fds[op->slot], 0, SEEK_CUR);

	if (off < 0)
		sb_puts(r, errno_name(errno));
	else
		sb_printf(r, "%lld", (long long)off);
}

static void run_fsync(const struct op *op, struct sb *r)
{
	res_status(r, fsync(fds[op->slot]));
}

/* one-shot; MS 0 disarms a pending one */
static void run_alarm(const struct op *op, struct sb *r)
{
	struct itimerval it = { .it_value = { .tv_sec = op->ms / 1000,
					      .tv_usec = op->ms % 1000 * 1000 } };

	res_status(r, setitimer(ITIMER_REAL, &it, NULL));
}

/* the full time, signals or not: they are what the next operation meets */
static void run_sleep(const struct op *op, struct sb *r)
{
	struct timespec ts = { .tv_sec = op->ms / 1000, .tv_nsec = op->ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	sb_puts(r, "ok");
}

/* the image in CHUNK-byte writes; a short write goes on where it stopped */
static int write_image(int fd, const char *img, size_t len, size_t chunk, size_t *done)
{
	*done = 0;
	while (*done < len) {
		size_t want = len - *done < chunk ? len - *done : chunk;
		ssize_t n = write(fd, img + *done, want);

		if (n < 0)
			return errno;
		if (n == 0)
			return -1;
		*done += (size_t)n;
	}
	return 0;
}

static void run_load(const struct op *op, struct sb *r)
{
	const char *dev = getenv("RTLXSCRIPT_VPE");
	size_t len, done;
	char *img = NULL;
	int fd, e;

	fd = open(op->path, O_RDONLY);
	e = fd < 0 ? errno : slurp(fd, &img, &len);
	if (fd >= 0)
		close(fd);
	if (e) {
		sb_printf(r, "file %s", errno_name(e));
		free(img);
		return;
	}
	fd = open(dev && *dev ? dev : VPE_DEVICE, O_WRONLY);
	if (fd < 0) {
		sb_printf(r, "open %s", errno_name(errno));
		free(img);
		return;
	}
	e = write_image(fd, img, len, op->len, &done);
	sb_printf(r, "open ok, wrote %zu", done);
	if (e)
		sb_printf(r, " (write %s)", e < 0 ? "0" : errno_name(e));
	sb_puts(r, ", close ");
	res_status(r, close(fd));
	free(img);
}

static const struct opdef opdefs[] = {
	{ "open", "SLOT PATH [rdonly|wronly|rdwr] [nonblock]", "open(2), default rdwr",
	  2, 4, OPENS, parse_open, run_open },
	{ "close", "SLOT", "close(2); the slot is free again whatever it says",
	  1, 1, CLOSES, NULL, run_close },
	{ "write", "SLOT STRING", "one write(2): count",
	  2, 2, USES, parse_string, run_write },
	{ "writen", "SLOT COUNT", "one write(2) of COUNT bytes abcd...: count",
	  2, 2, USES, parse_count, run_writen },
	{ "read", "SLOT COUNT", "one read(2): count \"data\"",
	  2, 2, USES, parse_count, run_read },
	{ "readall", "SLOT COUNT MS", "reads until COUNT bytes or MS ms: count \"data\" [timeout|error=E]",
	  3, 3, USES, parse_readall, run_readall },
	{ "fill", "SLOT CHUNK", "CHUNK-byte writes until one fails: TOTAL then E|0|limit",
	  2, 2, USES, parse_chunk, run_fill },
	{ "drain", "SLOT MS", "4096-byte reads until MS ms without a byte: TOTAL [error=E]",
	  2, 2, USES, parse_ms, run_drain },
	{ "poll", "SLOT in|out|inout MS", "poll(2): POLLIN|POLLOUT|... or timeout",
	  3, 3, USES, parse_poll, run_poll },
	{ "select", "SLOT MS", "select(2) read+write: read, write, read write or timeout",
	  2, 2, USES, parse_ms, run_select },
	{ "nonblock", "SLOT on|off", "fcntl(F_SETFL) O_NONBLOCK",
	  2, 2, USES, parse_onoff, run_nonblock },
	{ "ioctl", "SLOT", "ioctl(TCGETS), what isatty() asks",
	  1, 1, USES, NULL, run_ioctl },
	{ "mmap", "SLOT", "mmap(MAP_SHARED) of 4096 bytes (then munmap)",
	  1, 1, USES, NULL, run_mmap },
	{ "lseek", "SLOT", "lseek(0, SEEK_CUR): the offset",
	  1, 1, USES, NULL, run_lseek },
	{ "fsync", "SLOT", "fsync(2)",
	  1, 1, USES, NULL, run_fsync },
	{ "alarm", "MS", "one SIGALRM in MS ms (0: none), caught without SA_RESTART",
	  1, 1, NO_SLOT, parse_ms, run_alarm },
	{ "sleep", "MS", "sleep MS ms, signals or not",
	  1, 1, NO_SLOT, parse_ms, run_sleep },
	{ "load", "PATH [CHUNK]", "the file to " VPE_DEVICE " ($RTLXSCRIPT_VPE) in CHUNK-byte writes",
	  1, 2, NO_SLOT, parse_load, run_load },
	{ "say", "TEXT...", "prints \"# TEXT...\"",
	  0, MAX_TOKENS, NO_SLOT, NULL, NULL },
};

/* ---- parsing the script -------------------------------------------------- */

static const struct opdef *find_opdef(const struct tok *t)
{
	for (size_t i = 0; i < sizeof(opdefs) / sizeof(opdefs[0]); i++)
		if (is(t, opdefs[i].name))
			return &opdefs[i];
	synerr("unknown operation '%s'", tokstr(t));
}

/*
 * Slots are checked here rather than when running: an open that fails
 * leaves its slot free, so what is free now is free then too, and a
 * script that opens a slot twice or uses a slot it never opened stops
 * before its first operation.
 */
static int parse_slot(const struct opdef *d, const struct tok *t)
{
	static int opened_at[NSLOTS];	/* line of the open, 0: free */
	int s = t->len == 1 && t->s[0] >= 'a' && t->s[0] <= 'z' ? t->s[0] - 'a' : -1;

	if (s < 0)
		synerr("%s: bad slot '%s' (a..z)", d->name, tokstr(t));
	if (d->slot == OPENS && opened_at[s])
		synerr("slot %c is still open (line %d)", 'a' + s, opened_at[s]);
	if (d->slot != OPENS && !opened_at[s])
		synerr("slot %c is not open", 'a' + s);
	if (d->slot == OPENS)
		opened_at[s] = cur_line;
	else if (d->slot == CLOSES)
		opened_at[s] = 0;
	return s;
}

static char *echo_of(const struct tok *t, int n)
{
	struct sb b = { 0 };

	for (int i = 0; i < n; i++) {
		if (i)
			sb_add(&b, " ", 1);
		if (t[i].quoted)
			sb_quote(&b, t[i].s, t[i].len);
		else
			sb_add(&b, t[i].s, t[i].len);
	}
	return b.p;
}

static void parse_line(char *line)
{
	static struct tok t[MAX_TOKENS];
	const struct opdef *d;
	struct op *op;
	int n;

	line += strspn(line, " \t");
	if (*line == '#')	/* before tokenize: a comment is free text */
		return;
	n = tokenize(line, t);
	if (n == 0)
		return;
	d = find_opdef(&t[0]);
	if (n - 1 < d->min || n - 1 > d->max)
		synerr("usage: %s %s", d->name, d->args);
	if (nops % 64 == 0)
		ops = xrealloc(ops, (nops + 64) * sizeof(*ops));
	op = &ops[nops++];
	*op = (struct op){ .def = d, .slot = -1 };
	if (d->slot != NO_SLOT)
		op->slot = parse_slot(d, &t[1]);
	if (d->parse)
		d->parse(op, t + 1 + (d->slot != NO_SLOT), n - 1 - (d->slot != NO_SLOT));
	op->echo = echo_of(t, n);
}

static void parse_script(const char *name)
{
	int fd = name && strcmp(name, "-") ? open(name, O_RDONLY) : STDIN_FILENO;
	char *p, *end, *eol;
	size_t len;
	int e;

	e = fd < 0 ? errno : slurp(fd, &text, &len);
	if (e) {
		fprintf(stderr, PROG ": %s: %s (%s)\n", name ? name : "stdin",
			errno_name(e), strerror(e));
		exit(2);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	for (p = text, end = text + len; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;	/* the last line without its newline (*end is 0) */
		*eol = 0;
		cur_line++;
		if (strlen(p) != (size_t)(eol - p))
			synerr("NUL byte");
		if (eol > p && eol[-1] == '\r')
			eol[-1] = 0;	/* a script written on DOS */
		parse_line(p);
	}
}

/* ---- running it ---------------------------------------------------------- */

static void run_op(const struct op *op, struct sb *out)
{
	const struct opdef *d = op->def;
	sig_atomic_t before = signals;

	out->len = 0;
	if (!d->run) {
		sb_printf(out, "#%s\n", op->echo + strlen(d->name));
		emit(out);
		return;
	}
	sb_printf(out, "%s => ", op->echo);
	if (d->slot != NO_SLOT && d->slot != OPENS && fds[op->slot] < 0)
		sb_puts(out, "EBADF");	/* its open failed: no call (poll would ignore -1) */
	else
		d->run(op, out);
	if (signals != before)
		sb_printf(out, " signals=%d", (int)(signals - before));
	sb_add(out, "\n", 1);
	emit(out);
}

static void on_alarm(int sig)
{
	(void)sig;
	signals++;
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	/* EPIPE is a result like any other, not the end of the transcript */
	signal(SIGPIPE, SIG_IGN);
}

static void usage(int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f,
		"usage: " PROG " [-h] [SCRIPT]\n"
		"  runs the operations of SCRIPT (stdin without it), one a line, and prints\n"
		"  \"OP ARGS => RESULT\" for each: ok, a count, or an errno name, then\n"
		"  \" signals=N\" when N SIGALRMs arrived meanwhile.  Blank lines and lines\n"
		"  starting with # are skipped; a token may be a \"string\" with \\n \\r \\t\n"
		"  \\\\ \\\" \\xHH; SLOT is a..z; COUNT, CHUNK and MS are decimal.\n");
	if (status)
		exit(status);
	fprintf(f, "operations:\n");
	for (size_t i = 0; i < sizeof(opdefs) / sizeof(opdefs[0]); i++)
		fprintf(f, "  %s %s\n      %s\n", opdefs[i].name, opdefs[i].args, opdefs[i].help);
	fprintf(f, "exit: 0 ran to the end, 1 internal failure, 2 usage or script error\n");
	exit(0);
}

int main(int argc, char **argv)
{
	struct sb out = { 0 };
	int c;

	while ((c = getopt(argc, argv, "h")) != -1)
		usage(c == 'h' ? 0 : 2);
	if (argc - optind > 1)
		usage(2);
	parse_script(optind < argc ? argv[optind] : NULL);
	for (int i = 0; i < NSLOTS; i++)
		fds[i] = -1;
	setup_signals();
	for (size_t i = 0; i < nops; i++)
		run_op(&ops[i], &out);
	for (int i = 0; i < NSLOTS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	for (size_t i = 0; i < nops; i++)
		free(ops[i].echo);
	free(ops);
	free(out.p);
	free(text);
	return 0;
}
