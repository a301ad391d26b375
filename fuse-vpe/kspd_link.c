// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kspd_link: the thread that serves KSPD on channel 2 (kspd_link.h).
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kspd_link.h"
#include "warn.h"

#define POLL_MIN_NS	100000L		/* right after a request */
#define POLL_MAX_NS	10000000L	/* when idle */
#define STALL_WARN_S	10		/* a reply waiting for room */

static void pause_ns(long *ns)
{
	struct timespec ts = { 0, *ns };

	nanosleep(&ts, NULL);
	*ns = *ns * 2 > POLL_MAX_NS ? POLL_MAX_NS : *ns * 2;
}

/* Still the program @gen, and not quitting? */
static bool current(struct kspd_link *l, unsigned int gen)
{
	bool yes;

	pthread_mutex_lock(&l->lock);
	yes = !l->quit && l->running && l->starts == gen;
	pthread_mutex_unlock(&l->lock);
	return yes;
}

/* Channel 2, as kspd's rtlx_open(2, can_sleep); false if not had. */
static bool open_channel(struct kspd_link *l, unsigned int gen)
{
	long ns = POLL_MAX_NS;
	int err;

	err = rtlx_open_begin(l->rtlx, KSPD_CHANNEL);
	while (!err) {
		err = rtlx_open_try(l->rtlx, KSPD_CHANNEL, false);
		if (err != -EAGAIN)
			break;
		if (!current(l, gen)) {
			rtlx_open_cancel(l->rtlx, KSPD_CHANNEL);
			return false;
		}
		pause_ns(&ns);
		err = 0;
	}
	if (err)
		warn_log(LOG_ERR, "KSPD: unable to open sp channel");
	if (err == -EBUSY)
		warn_log(LOG_ERR,
			 "vpe-compat: KSPD: /dev/rtlx2 is held by a program: channel 2 is not served");
	return !err;
}

/* The whole reply, waiting for room; false once the program is gone. */
static bool send_reply(struct kspd_link *l, unsigned int gen,
		       const uint8_t *reply)
{
	time_t since = time(NULL);
	bool said = false;
	long ns = POLL_MIN_NS;
	size_t done = 0;

	while (done < KSPD_REPLY_SIZE) {
		ssize_t n = rtlx_write(l->rtlx, KSPD_CHANNEL, reply + done,
				       KSPD_REPLY_SIZE - done);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n != -EAGAIN || !current(l, gen))
			return false;
		if (!said && time(NULL) - since >= STALL_WARN_S) {
			warn_log(LOG_WARNING,
				 "vpe-compat: KSPD: the program does not read its replies (channel 2 full for %d s)",
				 STALL_WARN_S);
			said = true;
		}
		pause_ns(&ns);
	}
	return true;
}

/*
 * Serve the requests in @buf (@have bytes); what is left of an incomplete
 * one moves to the front. The bytes kept, or -1 once the program is gone
 * or exited (*@exited, its code in *@code).
 */
static ssize_t serve_buffer(struct kspd_link *l, unsigned int gen,
			    uint8_t *buf, size_t have, bool big, bool *exited,
			    int *code)
{
	uint8_t reply[KSPD_REPLY_SIZE];
	struct kspd_req req;
	size_t used, at = 0;
	int32_t ret;

	while ((used = kspd_parse(buf + at, have - at, big, &req))) {
		ret = kspd_serve(&l->k, &req, exited);
		kspd_reply(ret, big, reply);
		if (!send_reply(l, gen, reply))
			return -1;
		at += used;
		if (*exited) {
			*code = (int)req.arg[0];
			return -1;
		}
	}
	memmove(buf, buf + at, have - at);
	return (ssize_t)(have - at);
}

/* One program, from its start until it stops or exits. */
static void serve_program(struct kspd_link *l, unsigned int gen,
			  const struct loader_id *who)
{
	uint8_t buf[2 * KSPD_REQ_MAX];
	bool big = window_big_endian(l->win);
	long ns = POLL_MAX_NS;
	bool exited = false;
	size_t have = 0;
	int code = 0;

	if (kspd_begin(&l->k, l->win, who))
		goto out;
	if (!open_channel(l, gen))
		goto out;
	for (;;) {
		ssize_t n = rtlx_read(l->rtlx, KSPD_CHANNEL, buf + have,
				      sizeof(buf) - have);

		if (n > 0) {
			n = serve_buffer(l, gen, buf, have + (size_t)n, big,
					 &exited, &code);
			if (n < 0)
				break;
			have = (size_t)n;
			ns = POLL_MIN_NS;
		} else if (n == -EAGAIN && current(l, gen)) {
			pause_ns(&ns);
		} else {
			break;		/* stopped (0), or a broken channel */
		}
	}
	rtlx_release(l->rtlx, KSPD_CHANNEL);
out:
	kspd_end(&l->k);	/* the daemon's ids again, before the hook */
	if (exited && current(l, gen) && l->hooks.exited)
		l->hooks.exited(l->hooks.ctx, code);
}

static void *link_thread(void *arg)
{
	struct kspd_link *l = arg;
	struct loader_id who;
	unsigned int gen;
	bool as_daemon;

	/*
	 * A umask of its own, 0: each open applies the loader's (kspd.c),
	 * not the daemon's as well.
	 */
	if (unshare(CLONE_FS) == 0)
		umask(0);
	else
		warn_log(LOG_WARNING,
			 "vpe-compat: KSPD: the daemon's umask applies to the program's files too: %s",
			 strerror(errno));

	pthread_mutex_lock(&l->lock);
	for (;;) {
		while (!l->quit && !l->running)
			pthread_cond_wait(&l->cond, &l->lock);
		if (l->quit)
			break;
		gen = l->starts;
		who = l->who;
		as_daemon = l->as_daemon;
		pthread_mutex_unlock(&l->lock);
		serve_program(l, gen, as_daemon ? NULL : &who);
		pthread_mutex_lock(&l->lock);
		while (!l->quit && l->running && l->starts == gen)
			pthread_cond_wait(&l->cond, &l->lock);
	}
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

int kspd_link_init(struct kspd_link *l, const char *dir, struct rtlx *rtlx,
		   struct window *win, const struct kspd_link_hooks *hooks)
{
	int err;

	memset(l, 0, sizeof(*l));
	err = kspd_init(&l->k, dir);
	if (err)
		return err;
	l->rtlx = rtlx;
	l->win = win;
	if (hooks)
		l->hooks = *hooks;
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cond, NULL);
	return 0;
}

int kspd_link_start(struct kspd_link *l)
{
	int err = pthread_create(&l->thread, NULL, link_thread, l);

	l->thread_started = !err;
	return -err;
}

void kspd_link_destroy(struct kspd_link *l)
{
	pthread_mutex_lock(&l->lock);
	l->quit = true;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
	if (l->thread_started)
		pthread_join(l->thread, NULL);
	kspd_destroy(&l->k);
	pthread_cond_destroy(&l->cond);
	pthread_mutex_destroy(&l->lock);
}

void kspd_link_started(struct kspd_link *l, const struct loader_id *who)
{
	pthread_mutex_lock(&l->lock);
	l->running = true;
	l->starts++;
	l->as_daemon = !who;
	if (who)
		l->who = *who;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
}

void kspd_link_stopped(struct kspd_link *l)
{
	pthread_mutex_lock(&l->lock);
	l->running = false;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
}
