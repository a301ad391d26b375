/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * chan: the channel devices /dev/rtlx0..7 as legacy programs know them
 * (docs/legacy-abi.md §7.6-7.10): opens that wait for the program to
 * publish, reads that return 0 where the legacy driver did, short writes,
 * poll from the rings.
 *
 * A call that must wait is kept with its request (request.h) and answered
 * from one event thread when the ring moves, the program publishes or
 * stops, or the caller is interrupted (a read then returns 0, as legacy
 * reads did; an open or a write fails with EINTR): no thread is held per
 * waiter. Poll waiters are kept the same way.
 *
 * The event thread looks at the rings adaptively: a short spin after
 * activity, then sleeps that back off to 10 ms, and none at all while
 * nothing waits; it sleeps on the remote's doorbell where the window has
 * one. Now and then it asks whether the remote still runs (a crashed
 * remote says nothing).
 *
 * Locks: chan's own, then rtlx's inside it (rtlx calls back into nothing).
 */
#ifndef VPE_CHAN_H
#define VPE_CHAN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "request.h"
#include "rtlx.h"

struct chan_hooks {
	/* is the remote still running? asked now and then while waiting */
	bool (*remote_alive)(void *ctx);
	void *ctx;
};

struct waiting;

struct chan {
	pthread_mutex_t lock;
	struct rtlx *rtlx;
	struct window *win;		/* its doorbell, when it has one */
	struct chan_hooks hooks;
	struct waiting *head;		/* waiting calls, oldest first */
	struct poll_waiter *pw[RTLX_CHANNELS];
	unsigned int pw_events[RTLX_CHANNELS];
	int wake_fd;			/* eventfd: a new reason to look */
	bool quit;
	bool running;			/* the event thread */
	pthread_t thread;
};

int chan_init(struct chan *c, struct rtlx *r, struct window *win,
	      const struct chan_hooks *h);
/* The event thread (after any fork: threads do not survive one). */
int chan_start(struct chan *c);
/* Stop it and fail whatever still waits (the front end is going away). */
void chan_destroy(struct chan *c);

/* The calls; each answers @rq exactly once, now or later. */
void chan_open(struct chan *c, int ch, struct request *rq);
void chan_read(struct chan *c, int ch, size_t size, struct request *rq);
void chan_write(struct chan *c, int ch, const void *buf, size_t size,
		struct request *rq);
/* A close() of a file of channel @ch (FUSE's flush): see rtlx_flush(). */
void chan_flush(struct chan *c, int ch);
void chan_release(struct chan *c, int ch);

/*
 * The events the channel has now (POLLIN, POLLOUT and their twins); with
 * @pw, keep it and notify it once the channel has one of @events.
 */
unsigned int chan_poll(struct chan *c, int ch, unsigned int events,
		       struct poll_waiter *pw);

/* The program stopped or started: look at every waiter again. */
void chan_changed(struct chan *c);

#endif
