// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * park: parked requests and the event thread.
 *
 * Who answers a parked request: whoever takes it off the list, under
 * p->lock, and then replies without holding it. A request being registered
 * for interrupts is "pinned": the event thread leaves it alone, and an
 * interrupt that arrives meanwhile only marks it for the parking thread.
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

#include "park.h"

/*
 * Polling schedule while something waits: spin, then back off. A short
 * spin: the remote (QEMU, or a core of ours) and the threads moving the
 * data need the CPUs more than we do (make bench: 2000 rounds cost a
 * streaming channel a third of its throughput).
 */
#define PARK_SPIN_ROUNDS 100
#define PARK_MIN_SLEEP_NS 20000L
#define PARK_MAX_SLEEP_NS 10000000L
/* How often a waiter makes us ask whether the remote still runs. */
#define PARK_ALIVE_EVERY_NS 100000000L

enum parked_kind { PARKED_OPEN, PARKED_READ, PARKED_WRITE };

struct parked {
	struct parked *next;
	struct park *park;
	enum parked_kind kind;
	fuse_req_t req;
	int ch;
	bool pinned;		/* interrupt registration in progress */
	bool interrupted;	/* the interrupt came while pinned */
	ssize_t result;		/* once off the list: what to answer */
	struct fuse_file_info fi;	/* open */
	size_t size;		/* read: wanted; write: given */
	char data[];		/* read: the answer; write: the bytes */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void wake(struct park *p)
{
	uint64_t one = 1;
	ssize_t n = write(p->wake_fd, &one, sizeof(one));

	(void)n;	/* a full counter wakes the thread just as well */
}

static void unlink_parked(struct park *p, struct parked *q)
{
	struct parked **pp;

	for (pp = &p->head; *pp; pp = &(*pp)->next) {
		if (*pp == q) {
			*pp = q->next;
			return;
		}
	}
}

static bool is_parked(struct park *p, const struct parked *q)
{
	const struct parked *i;

	for (i = p->head; i; i = i->next)
		if (i == q)
			return true;
	return false;
}

/* ---- answering ----------------------------------------------------------- */

static void answer(struct parked *q, ssize_t result)
{
	switch (q->kind) {
	case PARKED_OPEN:
		if (result < 0)
			fs_reply_open_err(q->req, -result);
		else
			fs_reply_rtlx_open(q->req, q->ch, &q->fi);
		break;
	case PARKED_READ:
		if (result < 0)
			fuse_reply_err(q->req, -result);
		else
			fuse_reply_buf(q->req, q->data, result);
		break;
	case PARKED_WRITE:
		if (result < 0)
			fuse_reply_err(q->req, -result);
		else
			fuse_reply_write(q->req, result);
		break;
	}
	free(q);
}

/*
 * Answer from anywhere but the interrupt callback: first make sure no
 * callback runs or will run for it (libfuse holds the request's lock while
 * one runs, and unregistering takes that lock), then answer.
 */
static void finish(struct parked *q, ssize_t result)
{
	fuse_req_interrupt_func(q->req, NULL, NULL);
	answer(q, result);
}

/* The answer to a signal: legacy reads return 0, the rest EINTR. */
static ssize_t interrupted_result(struct park *p, struct parked *q)
{
	if (q->kind == PARKED_OPEN)
		rtlx_open_cancel(p->rtlx, q->ch);
	return q->kind == PARKED_READ ? 0 : -EINTR;
}

/* Try once; -EAGAIN means keep waiting. Called with p->lock held. */
static ssize_t try_parked(struct park *p, struct parked *q)
{
	switch (q->kind) {
	case PARKED_OPEN:
		return rtlx_open_try(p->rtlx, q->ch, false);
	case PARKED_READ:
		return rtlx_read(p->rtlx, q->ch, q->data, q->size);
	case PARKED_WRITE:
		return rtlx_write(p->rtlx, q->ch, q->data, q->size);
	}
	return -EINVAL;
}

static void on_interrupt(fuse_req_t req, void *data)
{
	struct parked *q = data;
	struct park *p = q->park;
	bool mine = false;

	(void)req;
	pthread_mutex_lock(&p->lock);
	if (is_parked(p, q)) {
		if (q->pinned) {
			q->interrupted = true;	/* the parking thread answers */
		} else {
			unlink_parked(p, q);
			mine = true;
		}
	}
	pthread_mutex_unlock(&p->lock);
	if (mine)
		answer(q, interrupted_result(p, q));
}

static void park(struct park *p, struct parked *q)
{
	bool interrupted;

	q->pinned = true;
	pthread_mutex_lock(&p->lock);
	q->next = NULL;
	{
		struct parked **pp = &p->head;

		while (*pp)
			pp = &(*pp)->next;
		*pp = q;
	}
	pthread_mutex_unlock(&p->lock);

	/* may call on_interrupt at once, if the signal already came */
	fuse_req_interrupt_func(q->req, on_interrupt, q);

	pthread_mutex_lock(&p->lock);
	q->pinned = false;
	interrupted = q->interrupted;
	if (interrupted)
		unlink_parked(p, q);
	pthread_mutex_unlock(&p->lock);
	wake(p);
	if (interrupted)
		finish(q, interrupted_result(p, q));
}

static struct parked *new_parked(struct park *p, enum parked_kind kind,
				 fuse_req_t req, int ch, size_t size)
{
	struct parked *q = calloc(1, sizeof(*q) + size);

	if (!q) {
		fuse_reply_err(req, ENOMEM);
		return NULL;
	}
	q->park = p;
	q->kind = kind;
	q->req = req;
	q->ch = ch;
	q->size = size;
	return q;
}

void park_open(struct park *p, fuse_req_t req, int ch,
	       const struct fuse_file_info *fi)
{
	struct parked *q = new_parked(p, PARKED_OPEN, req, ch, 0);

	if (!q) {
		rtlx_open_cancel(p->rtlx, ch);
		return;
	}
	q->fi = *fi;
	park(p, q);
}

void park_read(struct park *p, fuse_req_t req, int ch, size_t size)
{
	struct parked *q = new_parked(p, PARKED_READ, req, ch, size);

	if (q)
		park(p, q);
}

void park_write(struct park *p, fuse_req_t req, int ch, const char *buf,
		size_t size)
{
	struct parked *q = new_parked(p, PARKED_WRITE, req, ch, size);

	if (!q)
		return;
	memcpy(q->data, buf, size);
	park(p, q);
}

void park_poll(struct park *p, int ch, struct fuse_pollhandle *ph,
	       unsigned int events)
{
	struct fuse_pollhandle *old;

	pthread_mutex_lock(&p->lock);
	old = p->ph[ch];
	p->ph[ch] = ph;
	p->ph_events[ch] = events;
	pthread_mutex_unlock(&p->lock);
	wake(p);
	if (old)
		fuse_pollhandle_destroy(old);
}

void park_kick(struct park *p)
{
	wake(p);
}

/* ---- the event thread ---------------------------------------------------- */

/*
 * One pass over every waiter. Answers go out after the lock is dropped.
 * Returns how many waiters were answered or notified.
 */
static int service(struct park *p)
{
	struct fuse_pollhandle *notify[RTLX_CHANNELS];
	struct parked *q, *next, *answered = NULL;
	int n = 0, nnotify = 0, ch;

	pthread_mutex_lock(&p->lock);
	for (q = p->head; q; q = next) {
		ssize_t res;

		next = q->next;
		if (q->pinned)
			continue;
		res = try_parked(p, q);
		if (res == -EAGAIN)
			continue;
		unlink_parked(p, q);
		q->result = res;
		q->next = answered;
		answered = q;
	}
	for (ch = 0; ch < RTLX_CHANNELS; ch++) {
		if (!p->ph[ch] || !(rtlx_poll(p->rtlx, ch) & p->ph_events[ch]))
			continue;
		notify[nnotify++] = p->ph[ch];
		p->ph[ch] = NULL;
	}
	pthread_mutex_unlock(&p->lock);

	for (q = answered; q; q = next) {
		next = q->next;
		finish(q, q->result);
		n++;
	}
	for (ch = 0; ch < nnotify; ch++) {
		fuse_lowlevel_notify_poll(notify[ch]);
		fuse_pollhandle_destroy(notify[ch]);
		n++;
	}
	return n;
}

static bool has_waiters(struct park *p)
{
	bool waiters = p->head;
	int ch;

	for (ch = 0; ch < RTLX_CHANNELS && !waiters; ch++)
		waiters = p->ph[ch];
	return waiters;
}

static bool waiting(struct park *p)
{
	bool waiters;

	pthread_mutex_lock(&p->lock);
	waiters = has_waiters(p);
	pthread_mutex_unlock(&p->lock);
	return waiters;
}

static long backoff_ns(unsigned int idle_rounds)
{
	long ns = PARK_MIN_SLEEP_NS;

	if (idle_rounds < PARK_SPIN_ROUNDS)
		return 0;
	idle_rounds -= PARK_SPIN_ROUNDS;
	while (idle_rounds-- && ns < PARK_MAX_SLEEP_NS)
		ns *= 2;
	return ns < PARK_MAX_SLEEP_NS ? ns : PARK_MAX_SLEEP_NS;
}

/*
 * Sleep up to @ns (< 0: until woken) for a new waiter, a stop or start, or
 * the remote's doorbell. True if something woke us.
 */
static bool sleep_or_wake(struct park *p, long ns, bool doorbell)
{
	struct pollfd fds[2] = {
		{ .fd = p->wake_fd, .events = POLLIN },
		{ .fd = doorbell ? window_doorbell_fd(p->win) : -1,
		  .events = POLLIN },
	};
	struct timespec ts = { .tv_sec = ns / 1000000000L,
			       .tv_nsec = ns % 1000000000L };
	uint64_t count;
	ssize_t n;

	if (ppoll(fds, 2, ns < 0 ? NULL : &ts, NULL) <= 0)
		return false;
	if (fds[0].revents & POLLIN) {
		n = read(p->wake_fd, &count, sizeof(count));
		(void)n;
	}
	if (fds[1].revents & POLLIN)
		window_doorbell_ack(p->win);
	return true;
}

/* A crashed remote sends no signal: look at its state now and then. */
static void check_alive(struct park *p, int64_t *last)
{
	int64_t now = now_ns();
	unsigned int gen;

	if (!p->hooks.remote_alive || now - *last < PARK_ALIVE_EVERY_NS)
		return;
	*last = now;
	if (rtlx_running(p->rtlx, &gen) && !p->hooks.remote_alive(p->hooks.ctx))
		rtlx_lost(p->rtlx, gen);
}

static void *event_thread(void *arg)
{
	struct park *p = arg;
	unsigned int idle = 0;
	int64_t last_alive = 0;
	long ns;

	/* sleeps of tens of microseconds must not become 50 */
	prctl(PR_SET_TIMERSLACK, 1000UL);
	while (!__atomic_load_n(&p->quit, __ATOMIC_ACQUIRE)) {
		if (!waiting(p)) {
			sleep_or_wake(p, -1, false);
			idle = 0;
			continue;
		}
		check_alive(p, &last_alive);
		if (service(p))
			idle = 0;
		else
			idle++;
		ns = backoff_ns(idle);
		if (ns && sleep_or_wake(p, ns, true))
			idle = 0;
	}
	return NULL;
}

int park_start(struct park *p, struct rtlx *r, struct window *win,
	       const struct park_hooks *h)
{
	int err;

	memset(p, 0, sizeof(*p));
	p->rtlx = r;
	p->win = win;
	if (h)
		p->hooks = *h;
	p->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->wake_fd < 0)
		return -errno;
	pthread_mutex_init(&p->lock, NULL);
	err = pthread_create(&p->thread, NULL, event_thread, p);
	if (err) {
		close(p->wake_fd);
		pthread_mutex_destroy(&p->lock);
	}
	return -err;
}

/* Answer whatever still waits (the mount is going away) and stop. */
void park_stop(struct park *p)
{
	struct parked *q;
	int ch;

	__atomic_store_n(&p->quit, true, __ATOMIC_RELEASE);
	wake(p);
	pthread_join(p->thread, NULL);
	while ((q = p->head)) {
		p->head = q->next;
		finish(q, q->kind == PARKED_OPEN ? -ENODEV : -EIO);
	}
	for (ch = 0; ch < RTLX_CHANNELS; ch++)
		if (p->ph[ch])
			fuse_pollhandle_destroy(p->ph[ch]);
	close(p->wake_fd);
	pthread_mutex_destroy(&p->lock);
}
