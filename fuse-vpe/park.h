/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * park: requests that must wait for the remote, and the event thread that
 * answers them.
 *
 * A blocking open, read or write on /dev/rtlxN that cannot complete now is
 * kept (parked) with its FUSE request instead of holding a worker thread,
 * and answered from the event thread when the ring moves, the program
 * publishes its structure, or the program stops. Poll handles are kept the
 * same way. Interrupts (signals) answer a parked request at once: a read
 * with 0 bytes (the legacy driver's answer), an open or write with EINTR.
 *
 * The event thread polls the rings adaptively: it spins for a moment after
 * activity, then backs off to long sleeps, and sleeps without a timeout
 * when nothing waits. With a doorbell (the kernel module) it sleeps on that.
 */
#ifndef VPE_PARK_H
#define VPE_PARK_H

#include <pthread.h>
#include <stdbool.h>

#include "fs.h"
#include "rtlx.h"

struct parked;

struct park_hooks {
	/* is the remote still running? asked now and then while waiting */
	bool (*remote_alive)(void *ctx);
	void *ctx;
};

struct park {
	pthread_mutex_t lock;
	struct rtlx *rtlx;
	struct window *win;		/* its doorbell, when it has one */
	struct park_hooks hooks;
	struct parked *head;		/* waiting requests, oldest first */
	struct fuse_pollhandle *ph[RTLX_CHANNELS];
	unsigned int ph_events[RTLX_CHANNELS];
	int wake_fd;			/* eventfd: a new reason to look */
	bool quit;
	pthread_t thread;
};

int park_start(struct park *p, struct rtlx *r, struct window *win,
	       const struct park_hooks *h);
void park_stop(struct park *p);

/* Something changed (a stop, a start): look at every waiter again. */
void park_kick(struct park *p);

/* Park a request; it will be answered exactly once. */
void park_open(struct park *p, fuse_req_t req, int ch,
	       const struct fuse_file_info *fi);
void park_read(struct park *p, fuse_req_t req, int ch, size_t size);
void park_write(struct park *p, fuse_req_t req, int ch, const char *buf,
		size_t size);

/* Keep @ph and notify it when the channel has one of @events. */
void park_poll(struct park *p, int ch, struct fuse_pollhandle *ph,
	       unsigned int events);

#endif
