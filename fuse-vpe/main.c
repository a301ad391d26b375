// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse-vpe: the legacy MIPS VPE loader and RTLX devices on top of
 * remoteproc. Options, the mount, the /dev links, the event loop.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chan.h"
#include "fs.h"
#include "fwimage.h"
#include "kspd_link.h"
#include "legacy.h"
#include "links.h"
#include "notice.h"
#include "options.h"
#include "ready.h"
#include "restart.h"
#include "rproc.h"
#include "rtlx.h"
#include "stream.h"
#include "vpe.h"
#include "warn.h"
#include "window.h"

/* vpe1, then rtlx0..7 */
#define NLINKS (1 + RTLX_CHANNELS)

static void link_name(size_t i, char *buf, size_t size)
{
	if (i == 0)
		snprintf(buf, size, LEGACY_VPE_NAME);
	else
		snprintf(buf, size, LEGACY_RTLX_NAME "%zu", i - 1);
}

static int setup_rproc(const struct options *o, struct rproc *rp)
{
	char fw_name[NAME_MAX + 1];
	int err;

	err = rproc_open(rp, o->rproc_dir, o->rproc_class, o->rproc_name);
	if (err) {
		fprintf(stderr, "fuse-vpe: remoteproc instance %s: %s\n",
			o->rproc_dir ? o->rproc_dir :
			o->rproc_name ? o->rproc_name : o->rproc_class,
			err == -ENOTUNIQ ? "several instances, name one with --rproc-name" :
			strerror(-err));
		return err;
	}
	snprintf(fw_name, sizeof(fw_name), "vpe-compat-%s.elf", rp->name);
	err = rproc_set_firmware_dir(rp, o->fw_dir,
				     o->fw_name ? o->fw_name : fw_name);
	if (err)
		fprintf(stderr, "fuse-vpe: firmware directory %s, name %s: %s\n",
			o->fw_dir, o->fw_name ? o->fw_name : fw_name,
			strerror(-err));
	return err;
}

/* vpe1, and the channels when there is a window to serve them from */
static size_t nlinks(const struct options *o)
{
	return o->window ? NLINKS : 1;
}

static void remove_links(const struct options *o)
{
	char name[16];
	size_t i;

	if (!strcmp(o->link_dir, "none"))
		return;
	for (i = 0; i < nlinks(o); i++) {
		link_name(i, name, sizeof(name));
		link_remove(o->link_dir, o->mountpoint, name);
	}
}

static int create_links(const struct options *o)
{
	char name[16];
	size_t i;
	int err;

	if (!strcmp(o->link_dir, "none"))
		return 0;
	for (i = 0; i < nlinks(o); i++) {
		link_name(i, name, sizeof(name));
		err = link_create(o->link_dir, o->mountpoint, name);
		if (err) {
			fprintf(stderr, "fuse-vpe: %s/%s: %s\n", o->link_dir,
				name, err == -EEXIST ?
				"exists and is not our link; not replaced" :
				strerror(-err));
			remove_links(o);
			return err;
		}
	}
	return 0;
}

static void unmount_fs(struct fuse_session *se)
{
	fuse_session_unmount(se);
	fuse_remove_signal_handlers(se);
	fuse_session_destroy(se);
}

static struct fuse_session *mount_fs(const struct options *o, struct fs *fs)
{
	char *fuse_argv[] = { "fuse-vpe", "-o",
		"allow_other,default_permissions,fsname=" RESTART_FSNAME
		",subtype=" RESTART_SUBTYPE,
		o->debug ? "-d" : NULL, NULL };
	struct fuse_args args = FUSE_ARGS_INIT(o->debug ? 4 : 3, fuse_argv);
	struct fuse_session *se;

	se = fuse_session_new(&args, &fs_ops, sizeof(fs_ops), fs);
	fuse_opt_free_args(&args);
	if (!se)
		return NULL;
	if (fuse_set_signal_handlers(se) || fuse_session_mount(se, o->mountpoint)) {
		fuse_remove_signal_handlers(se);
		fuse_session_destroy(se);
		return NULL;
	}
	if (stream_install(se)) {
		fprintf(stderr, "fuse-vpe: cannot install the reply path\n");
		unmount_fs(se);
		return NULL;
	}
	return se;
}

static int serve(struct fuse_session *se)
{
	struct fuse_loop_config *cfg = fuse_loop_cfg_create();
	int ret;

	if (!cfg)
		return -ENOMEM;
	fuse_loop_cfg_set_max_threads(cfg, 16);
	fuse_loop_cfg_set_idle_threads(cfg, 4);
	ret = fuse_session_loop_mt(se, cfg);
	fuse_loop_cfg_destroy(cfg);
	return ret;
}

/* Everything the daemon runs, wired together. */
struct daemon {
	struct options o;
	struct rproc rp;
	struct vpe vpe;
	struct window win;
	struct rtlx rtlx;
	struct chan chan;
	struct kspd_link kspd;
	bool kspd_on;
	struct fs fs;
};

static void program_stopped(void *ctx)
{
	struct daemon *d = ctx;

	if (d->fs.chan)
		rtlx_stopped(&d->rtlx);
	if (d->kspd_on)
		kspd_link_stopped(&d->kspd);
}

static void program_started(void *ctx, const struct fwimage_info *info,
			    const struct loader_id *who)
{
	struct daemon *d = ctx;

	if (d->fs.chan)
		rtlx_started(&d->rtlx,
			     info->has_vpe_shared && info->vpe_shared_has_phys,
			     info->vpe_shared_phys,
			     info->order == FWIMAGE_ORDER_MSB);
	if (d->kspd_on)
		kspd_link_started(&d->kspd, who);
}

/* KSPD: the program called exit; the kernel's kspd halted it too. */
static void program_exited(void *ctx, int code)
{
	struct daemon *d = ctx;

	(void)code;
	vpe_halt(&d->vpe);
}

static void channels_changed(void *ctx)
{
	struct daemon *d = ctx;

	chan_changed(&d->chan);
}

static bool remote_alive(void *ctx)
{
	struct daemon *d = ctx;
	enum rproc_state state;

	return !rproc_get_state(&d->rp, &state) && state == RPROC_RUNNING;
}

/* A program runs already: named by --vpe-shared, or a dead daemon's. */
static void adopt_program(struct daemon *d)
{
	struct fwimage_info info;

	if (d->o.has_vpe_shared)
		rtlx_adopted(&d->rtlx, d->o.vpe_shared,
			     d->o.vpe.order == FWIMAGE_ORDER_MSB);
	else if (restart_find_program(&d->rp, &info) == 1)
		rtlx_adopted(&d->rtlx, info.vpe_shared_phys,
			     info.order == FWIMAGE_ORDER_MSB);
}

static void teardown_channels(struct daemon *d)
{
	if (!d->fs.chan)
		return;
	if (d->kspd_on)
		kspd_link_destroy(&d->kspd);
	d->kspd_on = false;
	chan_destroy(&d->chan);
	rtlx_destroy(&d->rtlx);
	window_close(&d->win);
	d->fs.chan = NULL;
}

/* --kspd: the system-call service on channel 2. */
static int setup_kspd(struct daemon *d)
{
	const struct kspd_link_hooks kh = { .exited = program_exited, .ctx = d };
	int err;

	if (!d->o.kspd_dir)
		return 0;
	err = kspd_link_init(&d->kspd, d->o.kspd_dir, &d->rtlx, &d->win, &kh);
	if (err) {
		fprintf(stderr, "fuse-vpe: --kspd %s: %s\n", d->o.kspd_dir,
			strerror(-err));
		teardown_channels(d);
		return err;
	}
	d->kspd_on = true;
	return 0;
}

/* The memory window and the channel engine. */
static int setup_channels(struct daemon *d)
{
	const struct rtlx_hooks rh = { .changed = channels_changed, .ctx = d };
	const struct chan_hooks ch = { .remote_alive = remote_alive, .ctx = d };
	int err;

	if (!d->o.window)
		return 0;
	err = window_open(&d->win, d->o.window);
	if (err) {
		fprintf(stderr, "fuse-vpe: --window %s: %s\n", d->o.window,
			strerror(-err));
		return err;
	}
	err = rtlx_init(&d->rtlx, &d->win, d->o.rtlx_layout, &rh);
	if (err) {
		fprintf(stderr, "fuse-vpe: channels: %s\n", strerror(-err));
		window_close(&d->win);
		return err;
	}
	err = chan_init(&d->chan, &d->rtlx, &d->win, &ch);
	if (err) {
		fprintf(stderr, "fuse-vpe: channels: %s\n", strerror(-err));
		rtlx_destroy(&d->rtlx);
		window_close(&d->win);
		return err;
	}
	d->fs.chan = &d->chan;
	if (d->win.module)
		notice_use_module(d->win.fd);
	adopt_program(d);
	return setup_kspd(d);
}

/*
 * The event thread that answers waiting calls.  Started after
 * fuse_daemonize(): a thread does not survive the fork.
 */
static int start_events(struct daemon *d)
{
	int err;

	if (!d->fs.chan)
		return 0;
	err = chan_start(&d->chan);
	if (err)
		warn_log(LOG_ERR, "fuse-vpe: cannot start the event thread: %s",
			 strerror(-err));
	if (!err && d->kspd_on) {
		err = kspd_link_start(&d->kspd);
		if (err)
			warn_log(LOG_ERR, "fuse-vpe: cannot start KSPD: %s",
				 strerror(-err));
	}
	return err;
}

/* Mounted, linked, serving: a service manager may start what needs us. */
static void say_ready(void)
{
	int err = ready_notify();

	if (err)
		fprintf(stderr, "fuse-vpe: cannot tell the service manager it is ready ($NOTIFY_SOCKET): %s\n",
			strerror(-err));
}

static int run(struct daemon *d)
{
	const struct vpe_listener listener = {
		.stopped = program_stopped,
		.started = program_started,
		.ctx = d,
	};
	struct fuse_session *se;
	int ret = 1;

	if (setup_rproc(&d->o, &d->rp))
		return 1;
	notice_init(d->rp.path);
	rproc_remove_stale_temps(&d->rp);
	vpe_init(&d->vpe, &d->rp, &d->o.vpe, &listener);
	d->fs.vpe = &d->vpe;
	d->fs.rtlx_mode = d->o.rtlx_mode;
	clock_gettime(CLOCK_REALTIME, &d->fs.mount_time);
	if (setup_channels(d))
		goto out_vpe;
	se = mount_fs(&d->o, &d->fs);
	if (!se) {
		fprintf(stderr, "fuse-vpe: cannot mount on %s\n", d->o.mountpoint);
		teardown_channels(d);
		goto out_vpe;
	}
	if (!create_links(&d->o)) {
		if (fuse_daemonize(d->o.foreground) == 0 && !start_events(d)) {
			say_ready();
			ret = serve(se) < 0 ? 1 : 0;	/* >0: the signal that ended it */
		}
		remove_links(&d->o);
	}
	/* answer what still waits before the session goes */
	teardown_channels(d);
	unmount_fs(se);
out_vpe:
	vpe_destroy(&d->vpe);
	rproc_close(&d->rp);
	return ret;
}

int main(int argc, char **argv)
{
	static struct daemon d;
	char mountpoint[PATH_MAX], node_path[PATH_MAX + 8];
	int err, ret;

	ret = options_parse(argc, argv, &d.o);
	if (ret)
		return ret < 0 ? 2 : 0;
	/*
	 * Images and their conversions are tens of MiB, once in a while: keep
	 * every large block its own mapping, so that freeing it hands it back
	 * (glibc would otherwise raise its threshold after the first free and
	 * keep the next ones in its arenas).
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	/* a file-size limit (ulimit -f) fails a staging write with EFBIG */
	signal(SIGXFSZ, SIG_IGN);
	err = warn_open(d.o.kmsg);
	if (err) {
		fprintf(stderr, "fuse-vpe: %s: %s\n", d.o.kmsg, strerror(-err));
		return 1;
	}
	if (restart_clear_mount(d.o.mountpoint)) {
		warn_close();
		return 1;
	}
	if (!realpath(d.o.mountpoint, mountpoint)) {
		fprintf(stderr, "fuse-vpe: %s: %s\n", d.o.mountpoint, strerror(errno));
		warn_close();
		return 1;
	}
	d.o.mountpoint = mountpoint;
	snprintf(node_path, sizeof(node_path), "%s/" LEGACY_VPE_NAME, mountpoint);
	d.o.vpe.node_path = node_path;
	ret = run(&d);
	warn_close();
	return ret;
}
