/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * request: a caller's open, read or write of a channel, as the device
 * modules see it.  The front end that received the call (fs.c for the FUSE
 * mount; a CUSE front end would be another) wraps it in a struct request
 * and hands it to the device, which answers it exactly once, at once or
 * later from its event thread, through these functions.  Each answer ends
 * the request: the front end frees it, the device forgets it.
 *
 * Likewise a poll handle: the device keeps it while the caller waits in
 * poll() and notifies or discards it exactly once.
 */
#ifndef VPE_REQUEST_H
#define VPE_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct request;

/* Called back when the caller is interrupted by a signal. */
typedef void (*request_interrupt_fn)(struct request *rq, void *arg);

struct request_ops {
	/* the open succeeded */
	void (*opened)(struct request *rq);
	/* it failed: @err is a positive errno */
	void (*failed)(struct request *rq, int err);
	/* a read's answer, @len bytes (0: the legacy "nothing now") */
	void (*data)(struct request *rq, const void *buf, size_t len);
	/* a write took @len bytes */
	void (*written)(struct request *rq, size_t len);
	/*
	 * Call @fn when the caller is interrupted (NULL: no more).  It may be
	 * called at once, from this call, if the signal already came.
	 */
	void (*on_interrupt)(struct request *rq, request_interrupt_fn fn,
			     void *arg);
};

struct request {
	const struct request_ops *ops;
	pid_t tid;		/* the calling thread */
	bool nonblock;		/* the file is O_NONBLOCK: never wait */
};

struct poll_waiter;

struct poll_waiter_ops {
	/* the events came: wake the caller (and free the waiter) */
	void (*notify)(struct poll_waiter *pw);
	/* free it without waking anyone */
	void (*discard)(struct poll_waiter *pw);
};

struct poll_waiter {
	const struct poll_waiter_ops *ops;
};

#endif
