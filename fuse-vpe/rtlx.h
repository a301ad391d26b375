/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtlx: the channel engine behind /dev/rtlx0..7 (docs/legacy-abi.md §7).
 *
 * The remote owns the whole structure: it publishes the address of its
 * struct rtlx_info in its vpe_shared variable, and each of the 8 channels
 * holds two rings. Linux writes only rt_write and lx_read (and lx_state);
 * the remote only rt_read and lx_write. Every field is read through the
 * window and checked before use: a broken or hostile remote makes a channel
 * fail with EIO, never makes the daemon touch memory outside the window.
 *
 * Non-blocking by construction: an operation that would have to wait
 * returns -EAGAIN and the caller (chan.c) retries it when the ring moves.
 * After every write the remote's doorbell is rung through the window (as
 * 3.15+ kernels did), where the window has one.
 */
#ifndef VPE_RTLX_H
#define VPE_RTLX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "legacy.h"
#include "window.h"

struct rtlx_hooks {
	/* the program stopped or started: waiters must look again */
	void (*changed)(void *ctx);
	void *ctx;
};

struct rtlx {
	pthread_mutex_t lock;
	struct window *win;
	int layout_opt;		/* 296, 300, or 0: detect */
	struct rtlx_hooks hooks;

	bool started;		/* a program runs (as far as we know) */
	bool adopted;		/* ... started before us: claims are stale */
	bool have_shared;	/* it has a vpe_shared variable ... */
	uint32_t shared_phys;	/* ... at this physical address */
	bool attached;		/* its rtlx_info was found and checked */
	size_t info_off;	/* window offset of rtlx_info */
	int layout;		/* 296 or 300 */
	unsigned int generation;	/* bumped at every stop and start */

	struct {
		bool open;	/* held by an open file */
		bool opening;	/* an open is waiting for the program */
		bool closing;	/* its holder was closed: release on its way */
	} chan[RTLX_CHANNELS];
	pthread_cond_t released;	/* a channel's holder let it go */
};

int rtlx_init(struct rtlx *r, struct window *win, int layout_opt,
	      const struct rtlx_hooks *hooks);
void rtlx_destroy(struct rtlx *r);

/* From the loader: the program stopped (or crashed); a new one started. */
void rtlx_stopped(struct rtlx *r);
void rtlx_started(struct rtlx *r, bool has_shared, uint32_t shared_phys,
		  bool big_endian);
/*
 * A program that ran before this daemon did (--vpe-shared, or left by a
 * fuse-vpe that died): as rtlx_started(), and the channels its structure
 * says are open were claimed by a daemon that is gone: released at attach.
 */
void rtlx_adopted(struct rtlx *r, uint32_t shared_phys, bool big_endian);

/*
 * open: begin (EBUSY if another open of the channel waits), then try until
 * it stops returning -EAGAIN (blocking opens wait for the program to
 * publish; with @nonblock that is ENOSYS), or cancel.
 */
int rtlx_open_begin(struct rtlx *r, int ch);
int rtlx_open_try(struct rtlx *r, int ch, bool nonblock);
void rtlx_open_cancel(struct rtlx *r, int ch);
void rtlx_release(struct rtlx *r, int ch);

/*
 * close() of a channel's file answers at its flush; FUSE sends the release
 * later, on its own.  The legacy driver released in close(), so a program
 * that closes and opens again found the channel free.  rtlx_flush() notes
 * the close; rtlx_wait_release() waits, up to @ms, for the release of a
 * holder that was closed (none comes when the close was of a duplicate and
 * the channel is still open: then it times out).  True if the channel is
 * free.  Not for the event thread: it sleeps.
 */
void rtlx_flush(struct rtlx *r, int ch);
bool rtlx_wait_release(struct rtlx *r, int ch, unsigned int ms);

/*
 * read: bytes copied, 0 where the legacy driver returned 0 (no program, or
 * it stopped and the ring is empty), -EAGAIN if empty and it may wait,
 * -EIO if the channel is broken.
 * write: bytes copied (short writes are normal), -EAGAIN if full or the
 * program has not published its structure yet, -EIO with no running
 * program or a broken channel.
 */
ssize_t rtlx_read(struct rtlx *r, int ch, void *buf, size_t count);
ssize_t rtlx_write(struct rtlx *r, int ch, const void *buf, size_t count);

/* POLLIN/POLLOUT (and their RDNORM/WRNORM twins) from ring state; POLLERR
 * for a broken channel; 0 while no structure is known. */
unsigned int rtlx_poll(struct rtlx *r, int ch);

/*
 * Does a program run, and which (its generation)? rtlx_lost() marks that
 * one gone (it crashed), unless a stop or a start came in between.
 */
bool rtlx_running(struct rtlx *r, unsigned int *generation);
void rtlx_lost(struct rtlx *r, unsigned int generation);

#endif
