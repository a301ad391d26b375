/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kspd_link: KSPD on RTLX channel 2 (docs/legacy-abi.md §8.1).
 *
 * One thread, started with the daemon. When a program loaded through
 * /dev/vpe1 starts, it opens channel 2 as the kernel's kspd did (so a
 * legacy program's open of /dev/rtlx2 gets EBUSY while it serves, as
 * then), waits for the program to publish its structure, and serves one
 * request at a time (kspd.c): a request is taken once all of it is in the
 * ring, however the ring wraps or the firmware splits it; the 8-byte
 * reply waits for room, for as long as the program runs (a firmware that
 * never reads its replies stalls its own KSPD, nothing else; the log says
 * so after 10 s). When the program stops or exits, every file it opened
 * is closed and the channel released. The thread polls the ring: 100 us
 * after a request, backing off to 10 ms.
 */
#ifndef VPE_KSPD_LINK_H
#define VPE_KSPD_LINK_H

#include <pthread.h>
#include <stdbool.h>

#include "kspd.h"
#include "loader_id.h"
#include "rtlx.h"

struct kspd_link_hooks {
	/* the program called exit: stop it (called without any lock) */
	void (*exited)(void *ctx, int code);
	void *ctx;
};

struct kspd_link {
	struct kspd k;
	struct rtlx *rtlx;
	struct window *win;
	struct kspd_link_hooks hooks;
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* under lock */
	bool quit;
	bool running;			/* a program to serve ... */
	unsigned int starts;		/* ... the how-manieth */
	struct loader_id who;		/* ... loaded by */
	bool as_daemon;			/* ... or served as the daemon */
};

/* @dir: --kspd DIR. 0 or -errno. */
int kspd_link_init(struct kspd_link *l, const char *dir, struct rtlx *rtlx,
		   struct window *win, const struct kspd_link_hooks *hooks);
/* The thread (after daemonizing: threads do not survive the fork). */
int kspd_link_start(struct kspd_link *l);
void kspd_link_destroy(struct kspd_link *l);

/*
 * From the loader: a program started, loaded by @who (NULL: served with
 * the daemon's own credentials, for tests); it stopped.
 */
void kspd_link_started(struct kspd_link *l, const struct loader_id *who);
void kspd_link_stopped(struct kspd_link *l);

#endif
