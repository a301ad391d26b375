// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlx: the channel engine. Every access to the remote's memory goes
 * through a checked view of one channel taken under r->lock.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "rtlx.h"
#include "warn.h"

#define RTLX_CHANNEL_SIZE 36
/* nothing legacy used more than a few KiB; this only bounds nonsense */
#define RTLX_MAX_BUFFER (16u << 20)

/* struct rtlx_channel */
enum {
	CH_LX_STATE = 4,
	CH_BUFFER_SIZE = 8,
	CH_RT_WRITE = 12,
	CH_RT_READ = 16,
	CH_RT_BUFFER = 20,
	CH_LX_WRITE = 24,
	CH_LX_READ = 28,
	CH_LX_BUFFER = 32,
};

/* A channel as checked just now: all offsets are inside the window. */
struct view {
	size_t chan;		/* the struct rtlx_channel */
	uint32_t size;		/* both rings */
	size_t rt_data;		/* Linux -> remote ring */
	size_t lx_data;		/* remote -> Linux ring */
};

static size_t channel_base(int layout)
{
	/* E3 kernels (3.15 .. 6.3) put ap_int_pending before the channels */
	return layout == 300 ? 12 : 8;
}

int rtlx_init(struct rtlx *r, struct window *win, int layout_opt,
	      const struct rtlx_hooks *hooks)
{
	pthread_condattr_t ca;
	int err;

	memset(r, 0, sizeof(*r));
	r->win = win;
	r->layout_opt = layout_opt;
	if (hooks)
		r->hooks = *hooks;
	err = pthread_mutex_init(&r->lock, NULL);
	if (err)
		return -err;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	err = pthread_cond_init(&r->released, &ca);
	pthread_condattr_destroy(&ca);
	if (err)
		pthread_mutex_destroy(&r->lock);
	return -err;
}

void rtlx_destroy(struct rtlx *r)
{
	pthread_cond_destroy(&r->released);
	pthread_mutex_destroy(&r->lock);
}

static void notify_changed(struct rtlx *r)
{
	if (r->hooks.changed)
		r->hooks.changed(r->hooks.ctx);
}

/* Called with r->lock held. */
static void forget_program(struct rtlx *r)
{
	/* its memory may be gone: never touch it again */
	r->started = false;
	r->attached = false;
	r->generation++;
}

void rtlx_stopped(struct rtlx *r)
{
	pthread_mutex_lock(&r->lock);
	forget_program(r);
	pthread_mutex_unlock(&r->lock);
	notify_changed(r);
}

static void start_program(struct rtlx *r, bool has_shared,
			  uint32_t shared_phys, bool big_endian, bool adopted)
{
	pthread_mutex_lock(&r->lock);
	r->started = true;
	r->adopted = adopted;
	r->have_shared = has_shared;
	r->shared_phys = shared_phys;
	r->attached = false;
	r->generation++;
	window_set_big_endian(r->win, big_endian);
	pthread_mutex_unlock(&r->lock);
	notify_changed(r);
}

void rtlx_started(struct rtlx *r, bool has_shared, uint32_t shared_phys,
		  bool big_endian)
{
	start_program(r, has_shared, shared_phys, big_endian, false);
}

void rtlx_adopted(struct rtlx *r, uint32_t shared_phys, bool big_endian)
{
	start_program(r, true, shared_phys, big_endian, true);
}

bool rtlx_running(struct rtlx *r, unsigned int *generation)
{
	bool running;

	pthread_mutex_lock(&r->lock);
	running = r->started;
	*generation = r->generation;
	pthread_mutex_unlock(&r->lock);
	return running;
}

void rtlx_lost(struct rtlx *r, unsigned int generation)
{
	bool lost;

	pthread_mutex_lock(&r->lock);
	lost = r->started && r->generation == generation;
	if (lost) {
		warn_log(LOG_ERR,
			 "vpe-compat: the remote program stopped, not through /dev/vpe1 (it crashed, or was stopped through remoteproc or /sys/class/vpe/vpe1/kill)");
		forget_program(r);
	}
	pthread_mutex_unlock(&r->lock);
	if (lost)
		notify_changed(r);
}

/* ---- finding and checking the structure -------------------------------- */

static bool view_channel(struct rtlx *r, int layout, int ch, struct view *v)
{
	struct window *w = r->win;
	uint32_t rt_buf, lx_buf;

	v->chan = r->info_off + channel_base(layout) + ch * RTLX_CHANNEL_SIZE;
	v->size = window_load32(w, v->chan + CH_BUFFER_SIZE);
	if (v->size < 2 || v->size > RTLX_MAX_BUFFER)
		return false;
	rt_buf = window_load32(w, v->chan + CH_RT_BUFFER);
	lx_buf = window_load32(w, v->chan + CH_LX_BUFFER);
	return window_offset(w, rt_buf, v->size, false, &v->rt_data) &&
	       window_offset(w, lx_buf, v->size, false, &v->lx_data);
}

/* Which layout describes the channels best; ties go to the common one. */
static int detect_layout(struct rtlx *r)
{
	int good296 = 0, good300 = 0, ch;
	struct view v;

	if (r->layout_opt)
		return r->layout_opt;
	for (ch = 0; ch < RTLX_CHANNELS; ch++) {
		good296 += view_channel(r, 296, ch, &v);
		good300 += view_channel(r, 300, ch, &v);
	}
	return good300 > good296 ? 300 : 296;
}

/*
 * Claim the channels our open files hold in the new program's structure;
 * in an adopted one, release the claims a daemon before us left.
 */
static void mark_open_channels(struct rtlx *r)
{
	struct view v;
	int ch;

	for (ch = 0; ch < RTLX_CHANNELS; ch++) {
		if (!view_channel(r, r->layout, ch, &v))
			continue;
		if (r->chan[ch].open)
			window_store32(r->win, v.chan + CH_LX_STATE,
				       RTLX_STATE_OPENED);
		else if (r->adopted)
			window_store32(r->win, v.chan + CH_LX_STATE, 0);
	}
	r->adopted = false;
}

/*
 * Find the program's rtlx_info through vpe_shared. 0 when attached;
 * -EAGAIN while there is nothing (yet) to attach to; -ENOSYS, -ENOEXEC or
 * -EIO for what the legacy driver refused or the remote got wrong, logged
 * if @say. Only opens say it, as the legacy driver's did (§7.6): reads,
 * writes and polls are retried by the event thread, as often as every few
 * microseconds while something waits, and would fill the log.
 */
static int attach(struct rtlx *r, bool say)
{
	size_t shared_off, info_off;
	uint32_t info, id;

	if (r->attached)
		return 0;
	if (!r->started || !r->have_shared)
		return -EAGAIN;
	if (!window_offset(r->win, r->shared_phys, 4, true, &shared_off) ||
	    shared_off % 4) {
		if (say)
			warn_log(LOG_ERR,
				 "vpe-compat: vpe_shared (physical 0x%08x) is outside the memory window",
				 r->shared_phys);
		return -EIO;
	}
	info = window_load32(r->win, shared_off);
	if (!info)
		return -EAGAIN;
	if (info < LEGACY_KSEG0) {
		if (say)
			warn_log(LOG_WARNING,
				 "vpe_get_shared returned an invalid pointer maybe an error code %d",
				 (int)info);
		return -ENOSYS;
	}
	if (!window_offset(r->win, info, 300, false, &info_off) ||
	    info_off % 4) {
		if (say)
			warn_log(LOG_ERR,
				 "vpe-compat: rtlx_info at 0x%08x is outside the memory window or unaligned",
				 info);
		return -EIO;
	}
	id = window_load32(r->win, info_off);
	if (id != RTLX_ID) {
		if (say)
			warn_log(LOG_ERR, "no valid RTLX id at 0x%08x 0x%x",
				 info, id);
		return -ENOEXEC;
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	r->info_off = info_off;
	r->layout = detect_layout(r);
	r->attached = true;
	mark_open_channels(r);
	return 0;
}

/* The channel, checked now; false if the structure or channel is broken. */
static bool checked_view(struct rtlx *r, int ch, struct view *v)
{
	if (window_load32(r->win, r->info_off) != RTLX_ID)
		return false;
	return view_channel(r, r->layout, ch, v);
}

/* ---- open and close ---------------------------------------------------- */

int rtlx_open_begin(struct rtlx *r, int ch)
{
	int err = 0;

	pthread_mutex_lock(&r->lock);
	if (r->chan[ch].opening)
		err = -EBUSY;	/* legacy: "rtlx_open channel %d already opened" */
	else
		r->chan[ch].opening = true;
	pthread_mutex_unlock(&r->lock);
	return err;
}

static int claim(struct rtlx *r, int ch)
{
	struct view v;

	if (r->chan[ch].open)
		return -EBUSY;
	if (!checked_view(r, ch, &v))
		return -EIO;
	/* lx_state lives in the remote's memory: a remote that set it to
	 * OPENED keeps the channel busy, as with the legacy driver */
	if (window_load32(r->win, v.chan + CH_LX_STATE) == RTLX_STATE_OPENED)
		return -EBUSY;
	window_store32(r->win, v.chan + CH_LX_STATE, RTLX_STATE_OPENED);
	r->chan[ch].open = true;
	r->chan[ch].closing = false;
	return 0;
}

int rtlx_open_try(struct rtlx *r, int ch, bool nonblock)
{
	int err;

	pthread_mutex_lock(&r->lock);
	err = attach(r, true);
	if (err == -EAGAIN && nonblock)
		err = -ENOSYS;
	if (!err)
		err = claim(r, ch);
	if (err != -EAGAIN)
		r->chan[ch].opening = false;
	pthread_mutex_unlock(&r->lock);
	return err;
}

void rtlx_open_cancel(struct rtlx *r, int ch)
{
	pthread_mutex_lock(&r->lock);
	r->chan[ch].opening = false;
	pthread_mutex_unlock(&r->lock);
}

void rtlx_release(struct rtlx *r, int ch)
{
	struct view v;

	pthread_mutex_lock(&r->lock);
	r->chan[ch].open = false;
	r->chan[ch].closing = false;
	/* indices stay: unread data waits for the next opener */
	if (r->attached && checked_view(r, ch, &v))
		window_store32(r->win, v.chan + CH_LX_STATE, 0);
	pthread_cond_broadcast(&r->released);
	pthread_mutex_unlock(&r->lock);
}

void rtlx_flush(struct rtlx *r, int ch)
{
	pthread_mutex_lock(&r->lock);
	if (r->chan[ch].open)
		r->chan[ch].closing = true;
	pthread_mutex_unlock(&r->lock);
}

bool rtlx_wait_release(struct rtlx *r, int ch, unsigned int ms)
{
	struct timespec end;
	bool free_now;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&r->lock);
	while (r->chan[ch].open && r->chan[ch].closing &&
	       pthread_cond_timedwait(&r->released, &r->lock, &end) == 0)
		;
	free_now = !r->chan[ch].open;
	pthread_mutex_unlock(&r->lock);
	return free_now;
}

/* ---- the rings --------------------------------------------------------- */

/* Copy @n bytes out of a ring at @pos, wrapping at its end. */
static bool ring_copy_out(struct rtlx *r, size_t data, uint32_t size,
			  uint32_t pos, uint8_t *buf, size_t n)
{
	size_t first = n < size - pos ? n : size - pos;

	return window_copy_out(r->win, data + pos, buf, first) &&
	       window_copy_out(r->win, data, buf + first, n - first);
}

static bool ring_copy_in(struct rtlx *r, size_t data, uint32_t size,
			 uint32_t pos, const uint8_t *buf, size_t n)
{
	size_t first = n < size - pos ? n : size - pos;

	return window_copy_in(r->win, data + pos, buf, first) &&
	       window_copy_in(r->win, data, buf + first, n - first);
}

static ssize_t read_locked(struct rtlx *r, int ch, void *buf, size_t count)
{
	uint32_t wr, rd, avail;
	struct view v;
	int err;

	/* no structure to read from: the legacy driver returned 0 */
	err = attach(r, false);
	if (err)
		return err == -EIO ? -EIO : 0;
	if (!checked_view(r, ch, &v))
		return -EIO;
	wr = window_load32(r->win, v.chan + CH_LX_WRITE);
	rd = window_load32(r->win, v.chan + CH_LX_READ);
	if (wr >= v.size || rd >= v.size)
		return -EIO;
	/* the data the remote wrote before it moved lx_write */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	avail = (wr + v.size - rd) % v.size;
	if (!avail)
		return -EAGAIN;
	if (count > avail)
		count = avail;
	if (!ring_copy_out(r, v.lx_data, v.size, rd, buf, count))
		return -EIO;
	/* the copy is done before the remote may reuse the space */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	window_store32(r->win, v.chan + CH_LX_READ, (rd + count) % v.size);
	return count;
}

ssize_t rtlx_read(struct rtlx *r, int ch, void *buf, size_t count)
{
	ssize_t n;

	pthread_mutex_lock(&r->lock);
	n = read_locked(r, ch, buf, count);
	pthread_mutex_unlock(&r->lock);
	return n;
}

static ssize_t write_locked(struct rtlx *r, int ch, const void *buf,
			    size_t count)
{
	uint32_t wr, rd, space;
	struct view v;
	int err;

	/* a program that runs but has not published yet: wait for it; no
	 * program at all: an error (the legacy kernel oopsed) */
	err = attach(r, false);
	if (err)
		return err == -EAGAIN && r->started ? -EAGAIN : -EIO;
	if (!checked_view(r, ch, &v))
		return -EIO;
	rd = window_load32(r->win, v.chan + CH_RT_READ);
	wr = window_load32(r->win, v.chan + CH_RT_WRITE);
	if (wr >= v.size || rd >= v.size)
		return -EIO;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	/* one slot stays empty so that equal indices mean "empty" */
	space = v.size - 1 - (wr + v.size - rd) % v.size;
	if (!space)
		return -EAGAIN;
	if (count > space)
		count = space;
	if (!ring_copy_in(r, v.rt_data, v.size, wr, buf, count))
		return -EIO;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	window_store32(r->win, v.chan + CH_RT_WRITE, (wr + count) % v.size);
	return count;
}

ssize_t rtlx_write(struct rtlx *r, int ch, const void *buf, size_t count)
{
	ssize_t n;

	pthread_mutex_lock(&r->lock);
	n = write_locked(r, ch, buf, count);
	pthread_mutex_unlock(&r->lock);
	if (n > 0)
		window_kick(r->win);
	return n;
}

unsigned int rtlx_poll(struct rtlx *r, int ch)
{
	unsigned int mask = 0;
	uint32_t lx_wr, lx_rd, rt_wr, rt_rd;
	struct view v;

	pthread_mutex_lock(&r->lock);
	if (attach(r, false))
		goto out;
	if (!checked_view(r, ch, &v)) {
		mask = POLLERR;
		goto out;
	}
	lx_wr = window_load32(r->win, v.chan + CH_LX_WRITE);
	lx_rd = window_load32(r->win, v.chan + CH_LX_READ);
	rt_wr = window_load32(r->win, v.chan + CH_RT_WRITE);
	rt_rd = window_load32(r->win, v.chan + CH_RT_READ);
	if (lx_wr >= v.size || lx_rd >= v.size || rt_wr >= v.size ||
	    rt_rd >= v.size) {
		mask = POLLERR;
		goto out;
	}
	if (lx_wr != lx_rd)
		mask |= POLLIN | POLLRDNORM;
	if ((rt_wr + 1) % v.size != rt_rd)
		mask |= POLLOUT | POLLWRNORM;
out:
	pthread_mutex_unlock(&r->lock);
	return mask;
}
