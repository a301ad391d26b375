// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chan unit tests (TAP): the channel device driven through a fake front
 * end (request.h) that records every answer, against a fake remote
 * (fakeremote.h) moving its rings while the event thread runs.
 *
 * Checked every time: each request is answered exactly once, and a
 * request answered by anyone but its own interrupt callback has no
 * callback registered any more (the front end frees it on the answer).
 * Every wait is bounded: an answer that does not come within
 * ANSWER_MS is a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "chan.h"
#include "fakeremote.h"
#include "notice.h"
#include "unit.h"
#include "warn.h"

#define SIZE	0x10000u
#define PHYS	0x00400000u
#define RING	32u

/* how long an answer may take (the event thread backs off to 10 ms) */
#define ANSWER_MS	3000
/* how long a call that must wait is watched not being answered */
#define QUIET_MS	40

/* ---- the fake front end --------------------------------------------- */

enum answer { A_NONE, A_OPENED, A_FAILED, A_DATA, A_WRITTEN };

struct fake_rq {
	struct request rq;
	/* the front end's lock: held while the interrupt callback runs */
	pthread_mutex_t lock;
	request_interrupt_fn fn;
	void *arg;
	bool interrupted;
	int registrations;
	bool fn_at_answer;	/* a callback was still registered */
	bool in_callback;	/* we are inside it */
	int answers;		/* atomic */
	enum answer what;
	int err;
	size_t len;
	char data[256];
};

static void record(struct request *rq, enum answer what, int err,
		   const void *buf, size_t len)
{
	struct fake_rq *f = (struct fake_rq *)rq;

	f->what = what;
	f->err = err;
	f->len = len;
	if (buf)
		memcpy(f->data, buf, len < sizeof(f->data) ? len : sizeof(f->data));
	f->fn_at_answer = f->fn && !f->in_callback;
	__atomic_add_fetch(&f->answers, 1, __ATOMIC_RELEASE);
}

static void fake_opened(struct request *rq)
{
	record(rq, A_OPENED, 0, NULL, 0);
}

static void fake_failed(struct request *rq, int err)
{
	record(rq, A_FAILED, err, NULL, 0);
}

static void fake_data(struct request *rq, const void *buf, size_t len)
{
	record(rq, A_DATA, 0, buf, len);
}

static void fake_written(struct request *rq, size_t len)
{
	record(rq, A_WRITTEN, 0, NULL, len);
}

/* As libfuse's fuse_req_interrupt_func(): a pending signal calls at once. */
static void fake_on_interrupt(struct request *rq, request_interrupt_fn fn,
			      void *arg)
{
	struct fake_rq *f = (struct fake_rq *)rq;

	pthread_mutex_lock(&f->lock);
	f->fn = fn;
	f->arg = arg;
	if (fn)
		f->registrations++;
	if (fn && f->interrupted) {
		f->in_callback = true;
		fn(rq, arg);
		f->in_callback = false;
	}
	pthread_mutex_unlock(&f->lock);
}

static const struct request_ops fake_ops = {
	.opened = fake_opened,
	.failed = fake_failed,
	.data = fake_data,
	.written = fake_written,
	.on_interrupt = fake_on_interrupt,
};

static void rq_init(struct fake_rq *f, bool nonblock)
{
	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	f->rq.ops = &fake_ops;
	f->rq.tid = (pid_t)syscall(SYS_gettid);
	f->rq.nonblock = nonblock;
}

/* The caller got a signal. */
static void interrupt(struct fake_rq *f)
{
	pthread_mutex_lock(&f->lock);
	f->interrupted = true;
	if (f->fn) {
		f->in_callback = true;
		f->fn(&f->rq, f->arg);
		f->in_callback = false;
	}
	pthread_mutex_unlock(&f->lock);
}

static int answers(struct fake_rq *f)
{
	return __atomic_load_n(&f->answers, __ATOMIC_ACQUIRE);
}

static bool is_answered(void *arg)
{
	return answers(arg) > 0;
}

/* Wait (bounded) for the answer; then it must be the only one. */
static bool answered(struct fake_rq *f)
{
	if (!wait_for_ms(is_answered, f, ANSWER_MS))
		return false;
	unit_sleep_ms(1);	/* room for a wrong second answer */
	return answers(f) == 1 && !f->fn_at_answer;
}

/* Still waiting after a while. */
static bool waits(struct fake_rq *f)
{
	unit_sleep_ms(QUIET_MS);
	return answers(f) == 0 && f->registrations == 1;
}

static bool got(struct fake_rq *f, enum answer what, int err, size_t len)
{
	bool good = answered(f) && f->what == what && f->err == err &&
		    f->len == len;

	if (!good)
		diag("answers %d, answer %d, err %d, len %zu, registered at answer %d",
		     answers(f), f->what, f->err, f->len, f->fn_at_answer);
	return good;
}

struct fake_pw {
	struct poll_waiter pw;
	int notified, discarded;	/* atomic */
};

static void fake_notify(struct poll_waiter *pw)
{
	__atomic_add_fetch(&((struct fake_pw *)pw)->notified, 1, __ATOMIC_RELEASE);
}

static void fake_discard(struct poll_waiter *pw)
{
	__atomic_add_fetch(&((struct fake_pw *)pw)->discarded, 1, __ATOMIC_RELEASE);
}

static const struct poll_waiter_ops fake_pw_ops = {
	.notify = fake_notify,
	.discard = fake_discard,
};

static void pw_init(struct fake_pw *p)
{
	memset(p, 0, sizeof(*p));
	p->pw.ops = &fake_pw_ops;
}

static bool pw_done(void *arg)
{
	struct fake_pw *p = arg;

	return __atomic_load_n(&p->notified, __ATOMIC_ACQUIRE) +
	       __atomic_load_n(&p->discarded, __ATOMIC_ACQUIRE);
}

static bool pw_is(struct fake_pw *p, int notified, int discarded)
{
	wait_for_ms(pw_done, p, ANSWER_MS);
	unit_sleep_ms(1);
	return __atomic_load_n(&p->notified, __ATOMIC_ACQUIRE) == notified &&
	       __atomic_load_n(&p->discarded, __ATOMIC_ACQUIRE) == discarded;
}

/* ---- the device and the remote -------------------------------------- */

struct env {
	struct fakeremote fr;
	struct rtlx r;
	struct chan c;
	bool alive;		/* what remote_alive answers */
};

static char log_path[64];

static void changed(void *ctx)
{
	chan_changed(&((struct env *)ctx)->c);
}

static bool remote_alive(void *ctx)
{
	return __atomic_load_n(&((struct env *)ctx)->alive, __ATOMIC_ACQUIRE);
}

static void start(struct env *e)
{
	rtlx_started(&e->r, true, fr_phys(&e->fr, e->fr.shared), e->fr.big);
}

/* The standard remote, rings of RING bytes, started if @run; the thread. */
static bool setup(struct env *e, bool run)
{
	const struct rtlx_hooks rh = { .changed = changed, .ctx = e };
	const struct chan_hooks ch = { .remote_alive = remote_alive, .ctx = e };

	memset(e, 0, sizeof(*e));
	e->alive = true;
	if (fr_open(&e->fr, SIZE, PHYS, true))
		return ok(false, "fakeremote opens");
	fr_standard(&e->fr, 300, RING);
	if (rtlx_init(&e->r, &e->fr.win, 0, &rh) ||
	    chan_init(&e->c, &e->r, &e->fr.win, &ch)) {
		fr_close(&e->fr);
		return ok(false, "rtlx_init and chan_init");
	}
	if (run)
		start(e);
	if (chan_start(&e->c)) {
		chan_destroy(&e->c);
		rtlx_destroy(&e->r);
		fr_close(&e->fr);
		return ok(false, "chan_start");
	}
	return true;
}

static void teardown(struct env *e)
{
	chan_destroy(&e->c);
	rtlx_destroy(&e->r);
	fr_close(&e->fr);
}

/* Open channel @ch, answered at once. */
static bool open_now(struct env *e, int ch)
{
	struct fake_rq f;

	rq_init(&f, true);
	chan_open(&e->c, ch, &f.rq);
	return answers(&f) == 1 && f.what == A_OPENED;
}

/* Fill channel @ch's Linux -> remote ring (with what was there). */
static void fill_ring(struct env *e, int ch)
{
	fr_set(&e->fr, ch, FR_RT_WRITE,
	       (fr_field(&e->fr, ch, FR_RT_READ) + RING - 1) % RING);
}

/* ---- the calls -------------------------------------------------------- */

static void test_open(void)
{
	struct fake_rq f, g;
	struct env e;

	if (!setup(&e, false))
		return;
	rq_init(&f, true);
	chan_open(&e.c, 0, &f.rq);
	ok(answers(&f) == 1 && f.what == A_FAILED && f.err == ENOSYS &&
	   f.registrations == 0,
	   "no program, O_NONBLOCK: ENOSYS at once, no wait");

	rq_init(&f, false);
	chan_open(&e.c, 0, &f.rq);
	ok(waits(&f), "no program, blocking: the open waits");
	rq_init(&g, false);
	chan_open(&e.c, 0, &g.rq);
	ok(answers(&g) == 1 && g.what == A_FAILED && g.err == EBUSY,
	   "a second open of the channel meanwhile: EBUSY");
	fr_unpublish(&e.fr);
	start(&e);
	ok(waits(&f), "started, vpe_shared not set yet: still waits");
	fr_put32(&e.fr, e.fr.shared, fr_addr(&e.fr, e.fr.info));
	ok(got(&f, A_OPENED, 0, 0),
	   "the program publishes: the event thread answers the open");
	ok(fr_field(&e.fr, 0, FR_LX_STATE) == RTLX_STATE_OPENED, "lx_state OPENED");

	rq_init(&g, false);
	chan_open(&e.c, 0, &g.rq);
	ok(answers(&g) == 1 && g.what == A_FAILED && g.err == EBUSY,
	   "the channel held: EBUSY at once");
	chan_release(&e.c, 0);
	ok(fr_field(&e.fr, 0, FR_LX_STATE) == 0, "chan_release: lx_state UNUSED");
	ok(open_now(&e, 0), "and it opens again");

	fr_put32(&e.fr, e.fr.info, 0);
	start(&e);
	rq_init(&g, false);
	chan_open(&e.c, 1, &g.rq);
	ok(answers(&g) == 1 && g.err == ENOEXEC, "a new program with a wrong id: ENOEXEC");
	teardown(&e);
}

static void test_read(void)
{
	struct fake_rq f;
	struct env e;

	if (!setup(&e, true))
		return;
	open_now(&e, 2);
	rq_init(&f, true);
	chan_read(&e.c, 2, 100, &f.rq);
	ok(answers(&f) == 1 && f.what == A_DATA && f.len == 0,
	   "an empty ring, O_NONBLOCK: 0 bytes at once (legacy, not EAGAIN)");

	fr_send(&e.fr, 2, "ready", 5);
	rq_init(&f, false);
	chan_read(&e.c, 2, 100, &f.rq);
	ok(answers(&f) == 1 && f.len == 5 && !memcmp(f.data, "ready", 5) &&
	   f.registrations == 0, "data there: answered at once, no wait");

	rq_init(&f, false);
	chan_read(&e.c, 2, 3, &f.rq);
	ok(waits(&f), "an empty ring, blocking: the read waits");
	fr_send(&e.fr, 2, "later", 5);
	ok(got(&f, A_DATA, 0, 3) && !memcmp(f.data, "lat", 3),
	   "the remote sends: the event thread answers 3 of the 5 bytes");
	rq_init(&f, false);
	chan_read(&e.c, 2, 100, &f.rq);
	ok(answers(&f) == 1 && f.len == 2 && !memcmp(f.data, "er", 2), "the rest at once");

	rq_init(&f, false);
	chan_read(&e.c, 2, 10, &f.rq);
	ok(waits(&f), "empty again: waits");
	rtlx_stopped(&e.r);
	ok(got(&f, A_DATA, 0, 0), "the program stops: the read returns 0 (§7.13)");
	rq_init(&f, false);
	chan_read(&e.c, 2, 10, &f.rq);
	ok(answers(&f) == 1 && f.len == 0, "stopped: reads return 0 at once");
	teardown(&e);
}

static void test_write(void)
{
	char buf[RING];
	struct fake_rq f;
	struct env e;

	if (!setup(&e, true))
		return;
	open_now(&e, 3);
	rq_init(&f, false);
	chan_write(&e.c, 3, "hello", 5, &f.rq);
	ok(answers(&f) == 1 && f.what == A_WRITTEN && f.len == 5 &&
	   fr_recv(&e.fr, 3, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5),
	   "room: written at once, the remote gets it");

	fill_ring(&e, 3);
	rq_init(&f, true);
	chan_write(&e.c, 3, "x", 1, &f.rq);
	ok(answers(&f) == 1 && f.what == A_FAILED && f.err == EAGAIN,
	   "a full ring, O_NONBLOCK: EAGAIN");

	rq_init(&f, false);
	chan_write(&e.c, 3, "0123456789", 10, &f.rq);
	ok(waits(&f), "a full ring, blocking: the write waits");
	fr_recv(&e.fr, 3, buf, 4);
	ok(got(&f, A_WRITTEN, 0, 4),
	   "the remote takes 4 bytes: the event thread writes the 4 that fit");
	fr_recv(&e.fr, 3, buf, RING - 4 - 1);
	ok(fr_recv(&e.fr, 3, buf, sizeof(buf)) == 4 && !memcmp(buf, "0123", 4),
	   "the remote gets them");

	fill_ring(&e, 3);
	rq_init(&f, false);
	chan_write(&e.c, 3, "x", 1, &f.rq);
	ok(waits(&f), "full again: waits");
	rtlx_stopped(&e.r);
	ok(got(&f, A_FAILED, EIO, 0), "the program stops: the waiting write fails with EIO");
	rq_init(&f, false);
	chan_write(&e.c, 3, "x", 1, &f.rq);
	ok(answers(&f) == 1 && f.err == EIO, "stopped: writes fail with EIO at once");
	teardown(&e);
}

/* ---- signals ---------------------------------------------------------- */

static void test_interrupts(void)
{
	struct fake_rq f, g;
	struct env e;

	if (!setup(&e, true))
		return;
	open_now(&e, 0);
	rq_init(&f, false);
	chan_read(&e.c, 0, 10, &f.rq);
	ok(waits(&f), "a read waits");
	interrupt(&f);
	ok(answered(&f) && f.what == A_DATA && f.len == 0,
	   "a signal: the read returns 0, never EINTR (§7.8)");

	fill_ring(&e, 0);
	rq_init(&f, false);
	chan_write(&e.c, 0, "abc", 3, &f.rq);
	ok(waits(&f), "a write waits");
	interrupt(&f);
	ok(answered(&f) && f.what == A_FAILED && f.err == EINTR, "a signal: EINTR");
	fr_set(&e.fr, 0, FR_RT_WRITE, 0);
	ok(fr_rt_used(&e.fr, 0) == 0, "... and nothing of it was written later");

	rq_init(&f, false);
	f.interrupted = true;
	chan_read(&e.c, 0, 10, &f.rq);
	ok(answers(&f) == 1 && f.what == A_DATA && f.len == 0 && f.fn == NULL,
	   "a signal already pending when the read starts waiting: 0 at once, unregistered");
	rq_init(&f, false);
	f.interrupted = true;
	chan_write(&e.c, 0, "abc", 3, &f.rq);
	ok(answers(&f) == 1 && f.what == A_WRITTEN && f.len == 3 &&
	   f.registrations == 0, "... a write with room does not wait: written");
	teardown(&e);

	if (!setup(&e, false))
		return;
	rq_init(&f, false);
	chan_open(&e.c, 4, &f.rq);
	ok(waits(&f), "an open waits for a program");
	interrupt(&f);
	ok(answered(&f) && f.what == A_FAILED && f.err == EINTR, "a signal: EINTR");
	rq_init(&g, false);
	chan_open(&e.c, 4, &g.rq);
	ok(waits(&g), "the interrupted open left no trace: a new one waits, no EBUSY");
	rq_init(&f, false);
	f.interrupted = true;
	chan_open(&e.c, 5, &f.rq);
	ok(answers(&f) == 1 && f.err == EINTR, "a signal pending before the open waits: EINTR at once");
	start(&e);
	ok(got(&g, A_OPENED, 0, 0), "the program starts: the new open succeeds");
	ok(open_now(&e, 5), "the open interrupted while pinned left no trace either");
	teardown(&e);
}

/* ---- poll ------------------------------------------------------------- */

static void test_poll(void)
{
	struct fake_pw p, q;
	struct env e;
	char buf[8];

	if (!setup(&e, true))
		return;
	open_now(&e, 1);
	ok(chan_poll(&e.c, 1, POLLIN, NULL) == (POLLOUT | POLLWRNORM),
	   "an empty channel: POLLOUT|POLLWRNORM");
	pw_init(&p);
	ok(chan_poll(&e.c, 1, POLLOUT, &p.pw) & POLLOUT && pw_is(&p, 0, 1),
	   "the events there already: the handle is discarded at once");
	pw_init(&p);
	ok(chan_poll(&e.c, 1, POLLIN, &p.pw) == (POLLOUT | POLLWRNORM),
	   "waiting for POLLIN: kept");
	unit_sleep_ms(QUIET_MS);
	ok(!pw_done(&p), "nothing comes: not notified");
	fr_send(&e.fr, 1, "x", 1);
	ok(pw_is(&p, 1, 0), "the remote sends: notified once");
	ok(chan_poll(&e.c, 1, POLLIN, NULL) ==
	   (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM), "now POLLIN|POLLRDNORM too");

	fill_ring(&e, 1);
	pw_init(&p);
	pw_init(&q);
	chan_poll(&e.c, 1, POLLOUT, &p.pw);
	chan_poll(&e.c, 1, POLLOUT, &q.pw);
	ok(pw_is(&p, 0, 1), "a second handle on the channel: the first is discarded");
	fr_recv(&e.fr, 1, buf, 1);
	ok(pw_is(&q, 1, 0), "the remote takes a byte: POLLOUT, the second notified");

	pw_init(&p);
	chan_poll(&e.c, 6, POLLOUT, &p.pw);
	ok(pw_is(&p, 0, 1), "another channel: its own handle");
	teardown(&e);

	if (!setup(&e, false))
		return;
	pw_init(&p);
	ok(chan_poll(&e.c, 0, POLLIN | POLLOUT, &p.pw) == 0,
	   "no program: mask 0, the handle kept");
	start(&e);
	ok(pw_is(&p, 1, 0), "the program publishes: POLLOUT, notified");
	teardown(&e);
}

/* ---- several waiters, a crash, teardown -------------------------------- */

static void test_many(void)
{
	struct fake_rq f[RTLX_CHANNELS];
	struct env e;
	int ch, quiet = 0;

	if (!setup(&e, true))
		return;
	for (ch = 0; ch < RTLX_CHANNELS; ch++) {
		open_now(&e, ch);
		rq_init(&f[ch], false);
		chan_read(&e.c, ch, 8, &f[ch].rq);
	}
	fr_send(&e.fr, 5, "five", 4);
	ok(got(&f[5], A_DATA, 0, 4) && !memcmp(f[5].data, "five", 4),
	   "8 reads wait; channel 5 gets data: its read is answered");
	for (ch = 0; ch < RTLX_CHANNELS; ch++)
		quiet += ch != 5 && answers(&f[ch]) == 0;
	ok(quiet == 7, "the 7 others still wait");
	for (ch = 7; ch >= 0; ch--)
		if (ch != 5)
			fr_send(&e.fr, ch, &"01234567"[ch], 1);
	for (ch = 0, quiet = 0; ch < RTLX_CHANNELS; ch++)
		quiet += ch == 5 || (got(&f[ch], A_DATA, 0, 1) && f[ch].data[0] == '0' + ch);
	ok(quiet == 8, "each gets its own channel's byte");
	teardown(&e);
}

static void test_crash(void)
{
	struct fake_rq f;
	struct env e;

	if (!setup(&e, true))
		return;
	open_now(&e, 0);
	rq_init(&f, false);
	chan_read(&e.c, 0, 8, &f.rq);
	ok(waits(&f), "a read waits");
	__atomic_store_n(&e.alive, false, __ATOMIC_RELEASE);
	ok(got(&f, A_DATA, 0, 0),
	   "the remote dies silently: the event thread notices, the read returns 0");
	ok(!rtlx_running(&e.r, &(unsigned int){ 0 }), "rtlx knows it stopped");
	teardown(&e);
}

static void test_destroy(void)
{
	struct fake_rq rd, wr, op;
	struct fake_pw p;
	struct env e;

	if (!setup(&e, true))
		return;
	open_now(&e, 0);
	open_now(&e, 1);
	rq_init(&rd, false);
	chan_read(&e.c, 0, 8, &rd.rq);
	fill_ring(&e, 1);
	rq_init(&wr, false);
	chan_write(&e.c, 1, "x", 1, &wr.rq);
	pw_init(&p);
	chan_poll(&e.c, 2, POLLIN, &p.pw);
	ok(waits(&rd) && waits(&wr), "a read and a write wait, a poll handle is kept");
	chan_destroy(&e.c);
	ok(got(&rd, A_FAILED, EIO, 0) && got(&wr, A_FAILED, EIO, 0),
	   "chan_destroy: the read and the write fail with EIO");
	ok(pw_is(&p, 0, 1), "... the poll handle is discarded");
	rtlx_destroy(&e.r);
	fr_close(&e.fr);

	if (!setup(&e, false))
		return;
	rq_init(&op, false);
	chan_open(&e.c, 3, &op.rq);
	ok(waits(&op), "an open waits");
	teardown(&e);
	ok(got(&op, A_FAILED, ENODEV, 0), "chan_destroy: the open fails with ENODEV");

	/* destroy before the thread ever ran */
	memset(&e, 0, sizeof(e));
	if (fr_open(&e.fr, SIZE, PHYS, false) == 0) {
		rtlx_init(&e.r, &e.fr.win, 0, NULL);
		ok(chan_init(&e.c, &e.r, &e.fr.win, NULL) == 0, "chan_init without hooks");
		chan_destroy(&e.c);
		rtlx_destroy(&e.r);
		fr_close(&e.fr);
	}
}

/* ---- deprecation lines ------------------------------------------------ */

static int log_count(const char *text)
{
	char buf[16384], *p;
	int n = 0, fd = open(log_path, O_RDONLY);
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = '\0';
	for (p = buf; (p = strstr(p, text)); p++)
		n++;
	return n;
}

static void test_notices(void)
{
	char line[128];
	struct fake_rq f;
	struct env e;

	if (!setup(&e, true))
		return;
	open_now(&e, 6);
	rq_init(&f, true);
	chan_read(&e.c, 6, 8, &f.rq);
	chan_release(&e.c, 6);
	open_now(&e, 6);
	ok(log_count("uses /dev/rtlx6, which is deprecated") == 1,
	   "one deprecation line for /dev/rtlx6 per process, however often it is used");
	snprintf(line, sizeof(line),
		 "vpe-compat: chan-test[%d] uses /dev/rtlx6, which is deprecated; use ",
		 (int)getpid());
	ok(log_count(line) == 1, "the line names the process: %s", line);
	teardown(&e);
}

/*
 * A poll waiter on a structure rtlx refuses: the event thread looks at it
 * hundreds of times a second, the log must not say so each time. The
 * legacy line belongs to the open (§7.6).
 */
static void test_no_log_flood(void)
{
	struct fake_rq f;
	struct fake_pw p;
	struct env e;
	int before, n;

	if (!setup(&e, false))
		return;
	fr_put32(&e.fr, e.fr.info, 0xbad);
	start(&e);
	before = log_count("no valid RTLX id");
	pw_init(&p);
	chan_poll(&e.c, 0, POLLIN, &p.pw);
	unit_sleep_ms(300);
	n = log_count("no valid RTLX id") - before;
	ok(n == 0, "a wrong id under a waiting poll for 0.3 s: no line (%d)", n);
	rq_init(&f, true);
	chan_open(&e.c, 1, &f.rq);
	n = log_count("no valid RTLX id") - before;
	ok(f.err == ENOEXEC && n == 1, "an open of it: ENOEXEC and the legacy line, once (%d)", n);
	teardown(&e);
}

int main(void)
{
	/* chan's notices and rtlx's lines go to the kernel log in
	 * production: never from a test */
	if (!unit_log_file(log_path, sizeof(log_path)) || warn_open(log_path)) {
		ok(false, "a log file for warn_open");
		return done();
	}
	test_open();
	test_read();
	test_write();
	test_interrupts();
	test_poll();
	test_many();
	test_crash();
	test_destroy();
	test_notices();
	test_no_log_flood();
	warn_close();
	return done();
}
