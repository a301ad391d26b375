// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chan: /dev/rtlx0..7 — the calls, and the event thread that answers the
 * ones that had to wait.
 *
 * Who answers a waiting call: whoever takes it off the list, under
 * c->lock, and then answers without holding it. A call whose interrupt
 * callback is being registered is "pinned": the event thread leaves it
 * alone, and an interrupt that arrives meanwhile only marks it for the
 * thread that is registering.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "chan.h"
#include "notice.h"
#include "warn.h"

/*
 * Polling schedule while something waits: spin, then back off. A short
 * spin: the remote (QEMU, or a core of ours) and the threads moving the
 * data need the CPUs more than we do (make bench: 2000 rounds cost a
 * streaming channel a third of its throughput).
 */
#define CHAN_SPIN_ROUNDS 100
#define CHAN_MIN_SLEEP_NS 20000L
#define CHAN_MAX_SLEEP_NS 10000000L
/* How often a waiter makes us ask whether the remote still runs. */
#define CHAN_ALIVE_EVERY_NS 100000000L
/*
 * A write that waits this long for room means the remote program does not
 * read the channel (hung, or stuck elsewhere): said once per write, since
 * nothing else would tell (the legacy driver blocked just as silently).
 */
#define CHAN_STALL_NS 10000000000LL

enum wait_kind { WAIT_OPEN, WAIT_READ, WAIT_WRITE };

struct waiting {
	struct waiting *next;
	struct chan *chan;
	enum wait_kind kind;
	struct request *rq;
	int ch;
	bool pinned;		/* interrupt registration in progress */
	bool interrupted;	/* the interrupt came while pinned */
	bool stall_said;	/* write: the stall line was logged */
	int64_t since;		/* when it began to wait */
	ssize_t result;		/* once off the list: the answer */
	size_t size;		/* read: wanted; write: given */
	char data[];		/* read: the answer; write: the bytes */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void wake(struct chan *c)
{
	uint64_t one = 1;
	ssize_t n = write(c->wake_fd, &one, sizeof(one));

	(void)n;	/* a full counter wakes the thread just as well */
}

static void unlink_waiting(struct chan *c, struct waiting *w)
{
	struct waiting **pp;

	for (pp = &c->head; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

static bool is_waiting(struct chan *c, const struct waiting *w)
{
	const struct waiting *i;

	for (i = c->head; i; i = i->next)
		if (i == w)
			return true;
	return false;
}

/* ---- answering -------------------------------------------------------------- */

/* Answer @rq for a call of @kind that gave @result; ends the request. */
static void answer_request(struct request *rq, enum wait_kind kind,
			   ssize_t result, const void *data)
{
	if (result < 0)
		rq->ops->failed(rq, -result);
	else if (kind == WAIT_OPEN)
		rq->ops->opened(rq);
	else if (kind == WAIT_READ)
		rq->ops->data(rq, data, result);
	else
		rq->ops->written(rq, result);
}

static void answer(struct waiting *w, ssize_t result)
{
	answer_request(w->rq, w->kind, result, w->data);
	free(w);
}

/*
 * Answer from anywhere but the interrupt callback: first make sure no
 * callback runs or will run for it (the front end holds the request's lock
 * while one runs, and unregistering takes that lock), then answer.
 */
static void finish(struct waiting *w, ssize_t result)
{
	w->rq->ops->on_interrupt(w->rq, NULL, NULL);
	answer(w, result);
}

/* The answer to a signal: legacy reads return 0, the rest EINTR. */
static ssize_t interrupted_result(struct chan *c, struct waiting *w)
{
	if (w->kind == WAIT_OPEN)
		rtlx_open_cancel(c->rtlx, w->ch);
	return w->kind == WAIT_READ ? 0 : -EINTR;
}

/* Try once; -EAGAIN means keep waiting. Called with c->lock held. */
static ssize_t try_again(struct chan *c, struct waiting *w)
{
	switch (w->kind) {
	case WAIT_OPEN:
		return rtlx_open_try(c->rtlx, w->ch, false);
	case WAIT_READ:
		return rtlx_read(c->rtlx, w->ch, w->data, w->size);
	case WAIT_WRITE:
		return rtlx_write(c->rtlx, w->ch, w->data, w->size);
	}
	return -EINVAL;
}

static void on_interrupt(struct request *rq, void *arg)
{
	struct waiting *w = arg;
	struct chan *c = w->chan;
	bool mine = false;

	(void)rq;
	pthread_mutex_lock(&c->lock);
	if (is_waiting(c, w)) {
		if (w->pinned) {
			w->interrupted = true;	/* the waiting thread answers */
		} else {
			unlink_waiting(c, w);
			mine = true;
		}
	}
	pthread_mutex_unlock(&c->lock);
	if (mine)
		answer(w, interrupted_result(c, w));
}

/* Keep @w until the event thread or an interrupt answers it. */
static void wait_for(struct chan *c, struct waiting *w)
{
	struct waiting **pp;
	bool interrupted;

	w->pinned = true;
	pthread_mutex_lock(&c->lock);
	w->next = NULL;
	for (pp = &c->head; *pp; pp = &(*pp)->next)
		;
	*pp = w;
	pthread_mutex_unlock(&c->lock);

	/* may call on_interrupt at once, if the signal already came */
	w->rq->ops->on_interrupt(w->rq, on_interrupt, w);

	pthread_mutex_lock(&c->lock);
	w->pinned = false;
	interrupted = w->interrupted;
	if (interrupted)
		unlink_waiting(c, w);
	pthread_mutex_unlock(&c->lock);
	wake(c);
	if (interrupted)
		finish(w, interrupted_result(c, w));
}

static struct waiting *new_waiting(struct chan *c, enum wait_kind kind,
				   struct request *rq, int ch, size_t size)
{
	struct waiting *w = calloc(1, sizeof(*w) + size);

	if (!w)
		return NULL;
	w->chan = c;
	w->since = now_ns();
	w->kind = kind;
	w->rq = rq;
	w->ch = ch;
	w->size = size;
	return w;
}

/* ---- the calls ---------------------------------------------------------------- */

/*
 * How long an open waits for the release of a holder just closed: FUSE
 * sends it right after the close, but as a background request, behind
 * others when the daemon is busy.
 */
#define RELEASE_WAIT_MS	1000

void chan_open(struct chan *c, int ch, struct request *rq)
{
	struct waiting *w;
	int err;

	notice_forget(NOTICE_CHANNEL0 + ch);
	notice_use(NOTICE_CHANNEL0 + ch, rq->tid);
	err = rtlx_open_begin(c->rtlx, ch);
	if (!err) {
		err = rtlx_open_try(c->rtlx, ch, rq->nonblock);
		/* legacy: close() released at once, so close + open worked */
		if (err == -EBUSY &&
		    rtlx_wait_release(c->rtlx, ch, RELEASE_WAIT_MS) &&
		    !rtlx_open_begin(c->rtlx, ch))
			err = rtlx_open_try(c->rtlx, ch, rq->nonblock);
	}
	if (err != -EAGAIN) {
		answer_request(rq, WAIT_OPEN, err, NULL);
		return;
	}
	w = new_waiting(c, WAIT_OPEN, rq, ch, 0);
	if (!w) {
		rtlx_open_cancel(c->rtlx, ch);
		rq->ops->failed(rq, ENOMEM);
		return;
	}
	wait_for(c, w);
}

void chan_read(struct chan *c, int ch, size_t size, struct request *rq)
{
	struct waiting *w;
	ssize_t n;

	notice_use(NOTICE_CHANNEL0 + ch, rq->tid);
	/* the answer's buffer, kept if the read has to wait */
	w = new_waiting(c, WAIT_READ, rq, ch, size);
	if (!w) {
		rq->ops->failed(rq, ENOMEM);
		return;
	}
	n = rtlx_read(c->rtlx, ch, w->data, size);
	if (n == -EAGAIN && !rq->nonblock) {
		wait_for(c, w);
		return;
	}
	/* empty, non-blocking: 0, not EAGAIN ("EAGAIN makes cat whinge") */
	answer(w, n == -EAGAIN ? 0 : n);
}

void chan_write(struct chan *c, int ch, const void *buf, size_t size,
		struct request *rq)
{
	struct waiting *w;
	ssize_t n;

	notice_use(NOTICE_CHANNEL0 + ch, rq->tid);
	n = rtlx_write(c->rtlx, ch, buf, size);
	if (n != -EAGAIN || rq->nonblock) {
		answer_request(rq, WAIT_WRITE, n, NULL);
		return;
	}
	w = new_waiting(c, WAIT_WRITE, rq, ch, size);
	if (!w) {
		rq->ops->failed(rq, ENOMEM);
		return;
	}
	memcpy(w->data, buf, size);
	wait_for(c, w);
}

void chan_flush(struct chan *c, int ch)
{
	rtlx_flush(c->rtlx, ch);
}

void chan_release(struct chan *c, int ch)
{
	rtlx_release(c->rtlx, ch);
	notice_forget(NOTICE_CHANNEL0 + ch);
}

unsigned int chan_poll(struct chan *c, int ch, unsigned int events,
		       struct poll_waiter *pw)
{
	unsigned int mask = rtlx_poll(c->rtlx, ch);
	struct poll_waiter *old;

	if (!pw)
		return mask;
	if (mask & events) {
		pw->ops->discard(pw);
		return mask;
	}
	pthread_mutex_lock(&c->lock);
	old = c->pw[ch];
	c->pw[ch] = pw;
	c->pw_events[ch] = events;
	pthread_mutex_unlock(&c->lock);
	wake(c);
	if (old)
		old->ops->discard(old);
	return mask;
}

void chan_changed(struct chan *c)
{
	wake(c);
}

/* ---- the event thread ------------------------------------------------------ */

static void note_stall(struct waiting *w)
{
	if (w->kind != WAIT_WRITE || w->stall_said ||
	    now_ns() - w->since < CHAN_STALL_NS)
		return;
	w->stall_said = true;
	warn_log(LOG_WARNING,
		 "vpe-compat: /dev/" LEGACY_RTLX_NAME "%d: a write has waited %lld s for room: the remote program is not reading the channel",
		 w->ch, (long long)(CHAN_STALL_NS / 1000000000LL));
}

/*
 * One pass over every waiter. Answers go out after the lock is dropped.
 * Returns how many waiters were answered or notified.
 */
static int service(struct chan *c)
{
	struct poll_waiter *notify[RTLX_CHANNELS];
	struct waiting *w, *next, *answered = NULL;
	int n = 0, nnotify = 0, ch;

	pthread_mutex_lock(&c->lock);
	for (w = c->head; w; w = next) {
		ssize_t res;

		next = w->next;
		if (w->pinned)
			continue;
		res = try_again(c, w);
		if (res == -EAGAIN) {
			note_stall(w);
			continue;
		}
		unlink_waiting(c, w);
		w->result = res;
		w->next = answered;
		answered = w;
	}
	for (ch = 0; ch < RTLX_CHANNELS; ch++) {
		if (!c->pw[ch] || !(rtlx_poll(c->rtlx, ch) & c->pw_events[ch]))
			continue;
		notify[nnotify++] = c->pw[ch];
		c->pw[ch] = NULL;
	}
	pthread_mutex_unlock(&c->lock);

	for (w = answered; w; w = next) {
		next = w->next;
		finish(w, w->result);
		n++;
	}
	for (ch = 0; ch < nnotify; ch++) {
		notify[ch]->ops->notify(notify[ch]);
		n++;
	}
	return n;
}

static bool has_waiters(struct chan *c)
{
	bool waiters;
	int ch;

	pthread_mutex_lock(&c->lock);
	waiters = c->head;
	for (ch = 0; ch < RTLX_CHANNELS && !waiters; ch++)
		waiters = c->pw[ch];
	pthread_mutex_unlock(&c->lock);
	return waiters;
}

static long backoff_ns(unsigned int idle_rounds)
{
	long ns = CHAN_MIN_SLEEP_NS;

	if (idle_rounds < CHAN_SPIN_ROUNDS)
		return 0;
	idle_rounds -= CHAN_SPIN_ROUNDS;
	while (idle_rounds-- && ns < CHAN_MAX_SLEEP_NS)
		ns *= 2;
	return ns < CHAN_MAX_SLEEP_NS ? ns : CHAN_MAX_SLEEP_NS;
}

/*
 * Sleep up to @ns (< 0: until woken) for a new waiter, a stop or start, or
 * the remote's doorbell. True if something woke us.
 */
static bool sleep_or_wake(struct chan *c, long ns, bool doorbell)
{
	struct pollfd fds[2] = {
		{ .fd = c->wake_fd, .events = POLLIN },
		{ .fd = doorbell ? window_doorbell_fd(c->win) : -1,
		  .events = POLLIN },
	};
	struct timespec ts = { .tv_sec = ns / 1000000000L,
			       .tv_nsec = ns % 1000000000L };
	uint64_t count;
	ssize_t n;

	if (ppoll(fds, 2, ns < 0 ? NULL : &ts, NULL) <= 0)
		return false;
	if (fds[0].revents & POLLIN) {
		n = read(c->wake_fd, &count, sizeof(count));
		(void)n;
	}
	if (fds[1].revents & POLLIN)
		window_doorbell_ack(c->win);
	return true;
}

/* A crashed remote sends no signal: look at its state now and then. */
static void check_alive(struct chan *c, int64_t *last)
{
	int64_t now = now_ns();
	unsigned int gen;

	if (!c->hooks.remote_alive || now - *last < CHAN_ALIVE_EVERY_NS)
		return;
	*last = now;
	if (rtlx_running(c->rtlx, &gen) && !c->hooks.remote_alive(c->hooks.ctx))
		rtlx_lost(c->rtlx, gen);
}

static void *event_thread(void *arg)
{
	struct chan *c = arg;
	unsigned int idle = 0;
	int64_t last_alive = 0;
	long ns;

	/* sleeps of tens of microseconds must not become 50 */
	prctl(PR_SET_TIMERSLACK, 1000UL);
	while (!__atomic_load_n(&c->quit, __ATOMIC_ACQUIRE)) {
		if (!has_waiters(c)) {
			sleep_or_wake(c, -1, false);
			idle = 0;
			continue;
		}
		check_alive(c, &last_alive);
		if (service(c))
			idle = 0;
		else
			idle++;
		ns = backoff_ns(idle);
		if (ns && sleep_or_wake(c, ns, true))
			idle = 0;
	}
	return NULL;
}

int chan_init(struct chan *c, struct rtlx *r, struct window *win,
	      const struct chan_hooks *h)
{
	memset(c, 0, sizeof(*c));
	c->rtlx = r;
	c->win = win;
	if (h)
		c->hooks = *h;
	c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->wake_fd < 0)
		return -errno;
	pthread_mutex_init(&c->lock, NULL);
	return 0;
}

int chan_start(struct chan *c)
{
	int err = pthread_create(&c->thread, NULL, event_thread, c);

	c->running = !err;
	return -err;
}

void chan_destroy(struct chan *c)
{
	struct poll_waiter *pw[RTLX_CHANNELS];
	struct waiting *w, *head;
	int ch;

	if (c->running) {
		__atomic_store_n(&c->quit, true, __ATOMIC_RELEASE);
		wake(c);
		pthread_join(c->thread, NULL);
	}
	/* an interrupt callback may still be walking the list */
	pthread_mutex_lock(&c->lock);
	head = c->head;
	c->head = NULL;
	for (ch = 0; ch < RTLX_CHANNELS; ch++) {
		pw[ch] = c->pw[ch];
		c->pw[ch] = NULL;
	}
	pthread_mutex_unlock(&c->lock);
	while ((w = head)) {
		head = w->next;
		finish(w, w->kind == WAIT_OPEN ? -ENODEV : -EIO);
	}
	for (ch = 0; ch < RTLX_CHANNELS; ch++)
		if (pw[ch])
			pw[ch]->ops->discard(pw[ch]);
	close(c->wake_fd);
	pthread_mutex_destroy(&c->lock);
}
