// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse-vpe: the legacy MIPS VPE loader and RTLX devices on top of
 * remoteproc. Options, the mount, the /dev links, the event loop.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fs.h"
#include "fwimage.h"
#include "links.h"
#include "park.h"
#include "rproc.h"
#include "rtlx.h"
#include "stream.h"
#include "vpe.h"
#include "warn.h"
#include "window.h"

#ifndef VPE_COMPAT_VERSION
#define VPE_COMPAT_VERSION "0.1"
#endif

struct options {
	const char *rproc_dir;
	const char *rproc_class;
	const char *rproc_name;
	const char *fw_dir;
	const char *fw_name;
	const char *link_dir;
	const char *kmsg;
	const char *mountpoint;
	const char *window;
	bool has_vpe_shared;		/* a program already runs ... */
	uint32_t vpe_shared;		/* ... its vpe_shared, physical */
	int rtlx_layout;
	mode_t rtlx_mode;
	struct vpe_config vpe;
	bool foreground;
	bool debug;
};

static const char *const link_names[] = {
	"vpe1", "rtlx0", "rtlx1", "rtlx2", "rtlx3", "rtlx4", "rtlx5", "rtlx6",
	"rtlx7",
};

static void usage(FILE *out)
{
	fprintf(out,
"usage: fuse-vpe [OPTIONS] MOUNTPOINT\n"
"\n"
"Recreates the legacy MIPS /dev/vpe1 and /dev/rtlx0..7 on top of remoteproc:\n"
"a legacy image written to /dev/vpe1 is converted and started on the remote\n"
"processor, and the channels are served from the remote's memory.\n"
"\n"
"  --rproc DIR          the remoteproc instance directory\n"
"  --rproc-name NAME    the instance whose 'name' is NAME, under --rproc-class\n"
"  --rproc-class DIR    where instances are (default /sys/class/remoteproc)\n"
"  --fw-dir DIR         firmware directory remoteproc loads from\n"
"                       (default /lib/firmware)\n"
"  --fw-name NAME       file name written there (default vpe-compat-INSTANCE.elf)\n"
"  --load-addr ADDR     KSEG0 address for relocatable images (default 0x80800000)\n"
"  --endian little|big  the remote's byte order: images of the other are\n"
"                       refused (default: any, remoteproc decides)\n"
"  --max-image SIZE     largest image accepted (default 64M, at most 512M)\n"
"  --legacy-close       close() of /dev/vpe1 always succeeds, as it used to;\n"
"                       load errors are only logged\n"
"  --window SPEC        the remote's memory: a vpe_compat.ko node\n"
"                       (/dev/vpe_compat0: window and doorbells), or\n"
"                       file:PATH[@PHYS] (a file mapping physical address\n"
"                       PHYS, default 0); without it there are no channels\n"
"  --vpe-shared ADDR    a program already runs (started before this daemon):\n"
"                       serve its channels; ADDR is its vpe_shared variable\n"
"  --rtlx-layout N      296 or 300 (the 3.15-6.3 struct rtlx_info with\n"
"                       ap_int_pending); default: detected\n"
"  --rtlx-mode MODE     permissions of the rtlxN files (default 0600)\n"
"  --link-dir DIR       where the vpe1 and rtlxN links are made (default /dev;\n"
"                       'none')\n"
"  --kmsg PATH          kernel-log sink (default /dev/kmsg; a file for tests)\n"
"  -f, --foreground     do not daemonize\n"
"  -d, --debug          FUSE debug output (implies -f)\n"
"  -h, --help           this text\n"
"  -V, --version        the version\n");
}

/* "64M", "2m", "1G", "4096", "0x1000" */
static int parse_size(const char *s, size_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end || v == 0 || v > SIZE_MAX / 4)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_addr(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { O_RPROC = 256, O_RPROC_NAME, O_RPROC_CLASS, O_FW_DIR,
	       O_FW_NAME, O_LOAD_ADDR, O_MAX_IMAGE, O_LEGACY_CLOSE,
	       O_LINK_DIR, O_KMSG, O_ENDIAN, O_WINDOW, O_RTLX_LAYOUT,
	       O_RTLX_MODE, O_VPE_SHARED };
	static const struct option longopts[] = {
		{ "rproc", required_argument, NULL, O_RPROC },
		{ "rproc-name", required_argument, NULL, O_RPROC_NAME },
		{ "rproc-class", required_argument, NULL, O_RPROC_CLASS },
		{ "fw-dir", required_argument, NULL, O_FW_DIR },
		{ "fw-name", required_argument, NULL, O_FW_NAME },
		{ "load-addr", required_argument, NULL, O_LOAD_ADDR },
		{ "max-image", required_argument, NULL, O_MAX_IMAGE },
		{ "legacy-close", no_argument, NULL, O_LEGACY_CLOSE },
		{ "link-dir", required_argument, NULL, O_LINK_DIR },
		{ "kmsg", required_argument, NULL, O_KMSG },
		{ "endian", required_argument, NULL, O_ENDIAN },
		{ "window", required_argument, NULL, O_WINDOW },
		{ "rtlx-layout", required_argument, NULL, O_RTLX_LAYOUT },
		{ "rtlx-mode", required_argument, NULL, O_RTLX_MODE },
		{ "vpe-shared", required_argument, NULL, O_VPE_SHARED },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "fdhV", longopts, NULL)) != -1) {
		switch (c) {
		case O_RPROC: o->rproc_dir = optarg; break;
		case O_RPROC_NAME: o->rproc_name = optarg; break;
		case O_RPROC_CLASS: o->rproc_class = optarg; break;
		case O_FW_DIR: o->fw_dir = optarg; break;
		case O_FW_NAME: o->fw_name = optarg; break;
		case O_LINK_DIR: o->link_dir = optarg; break;
		case O_KMSG: o->kmsg = optarg; break;
		case O_LEGACY_CLOSE: o->vpe.legacy_close = true; break;
		case O_WINDOW: o->window = optarg; break;
		case O_RTLX_LAYOUT:
			o->rtlx_layout = atoi(optarg);
			if (o->rtlx_layout != 296 && o->rtlx_layout != 300) {
				fprintf(stderr, "fuse-vpe: --rtlx-layout 296|300\n");
				return -1;
			}
			break;
		case O_VPE_SHARED:
			if (parse_addr(optarg, &o->vpe_shared)) {
				fprintf(stderr, "fuse-vpe: bad --vpe-shared '%s'\n", optarg);
				return -1;
			}
			/* KSEG0/KSEG1 addresses name the same physical word */
			if (o->vpe_shared >= 0x80000000u && o->vpe_shared < 0xc0000000u)
				o->vpe_shared &= 0x1fffffffu;
			o->has_vpe_shared = true;
			break;
		case O_RTLX_MODE:
			o->rtlx_mode = strtoul(optarg, NULL, 8) & 0666;
			break;
		case O_ENDIAN:
			if (!strcmp(optarg, "little")) {
				o->vpe.order = FWIMAGE_ORDER_LSB;
			} else if (!strcmp(optarg, "big")) {
				o->vpe.order = FWIMAGE_ORDER_MSB;
			} else {
				fprintf(stderr, "fuse-vpe: --endian little|big\n");
				return -1;
			}
			break;
		case O_LOAD_ADDR:
			if (parse_addr(optarg, &o->vpe.load_addr)) {
				fprintf(stderr, "fuse-vpe: bad --load-addr '%s'\n", optarg);
				return -1;
			}
			break;
		case O_MAX_IMAGE:
			/* a program runs from KSEG0: 512 MiB is all it can span */
			if (parse_size(optarg, &o->vpe.max_image) ||
			    o->vpe.max_image > 512u << 20) {
				fprintf(stderr, "fuse-vpe: bad --max-image '%s' (at most 512M)\n",
					optarg);
				return -1;
			}
			break;
		case 'd': o->debug = true; /* fall through */
		case 'f': o->foreground = true; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("fuse-vpe %s (libfuse %s)\n", VPE_COMPAT_VERSION,
				 fuse_pkgversion()); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return -1;
	}
	o->mountpoint = argv[optind];
	return 0;
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
	return o->window ? sizeof(link_names) / sizeof(link_names[0]) : 1;
}

static void remove_links(const struct options *o)
{
	size_t i;

	if (!strcmp(o->link_dir, "none"))
		return;
	for (i = 0; i < nlinks(o); i++)
		link_remove(o->link_dir, o->mountpoint, link_names[i]);
}

static int create_links(const struct options *o)
{
	size_t i;
	int err;

	if (!strcmp(o->link_dir, "none"))
		return 0;
	for (i = 0; i < nlinks(o); i++) {
		err = link_create(o->link_dir, o->mountpoint, link_names[i]);
		if (err) {
			fprintf(stderr, "fuse-vpe: %s/%s: %s\n", o->link_dir,
				link_names[i], err == -EEXIST ?
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
		"allow_other,default_permissions,fsname=vpe-compat,subtype=vpe",
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
	struct park park;
	bool events;		/* park's event thread runs */
	struct fs fs;
};

static void program_stopped(void *ctx)
{
	struct daemon *d = ctx;

	if (d->fs.rtlx)
		rtlx_stopped(&d->rtlx);
}

static void program_started(void *ctx, const struct fwimage_info *info)
{
	struct daemon *d = ctx;

	if (d->fs.rtlx)
		rtlx_started(&d->rtlx,
			     info->has_vpe_shared && info->vpe_shared_has_phys,
			     info->vpe_shared_phys,
			     info->order == FWIMAGE_ORDER_MSB);
}

static void remote_kick(void *ctx)
{
	struct daemon *d = ctx;

	window_kick(&d->win);
}

static void channels_changed(void *ctx)
{
	struct daemon *d = ctx;

	park_kick(&d->park);
}

static bool remote_alive(void *ctx)
{
	struct daemon *d = ctx;
	enum rproc_state state;

	return !rproc_get_state(&d->rp, &state) && state == RPROC_RUNNING;
}

/* The memory window and the channel engine. */
static int setup_channels(struct daemon *d)
{
	const struct rtlx_hooks rh = {
		.kick = remote_kick,
		.changed = channels_changed,
		.ctx = d,
	};
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
	d->fs.rtlx = &d->rtlx;
	d->fs.park = &d->park;
	if (d->win.module)
		warn_use_module(d->win.fd);
	if (d->o.has_vpe_shared)
		rtlx_started(&d->rtlx, true, d->o.vpe_shared,
			     d->o.vpe.order == FWIMAGE_ORDER_MSB);
	snprintf(d->fs.rtlx_replacement, sizeof(d->fs.rtlx_replacement),
		 "rpmsg (/dev/rpmsgN) with a firmware that speaks it, on %s",
		 d->rp.path);
	return 0;
}

/*
 * The event thread that answers parked requests.  Started after
 * fuse_daemonize(): a thread does not survive the fork.
 */
static int start_events(struct daemon *d)
{
	const struct park_hooks ph = { .remote_alive = remote_alive, .ctx = d };
	int err;

	if (!d->fs.rtlx)
		return 0;
	err = park_start(&d->park, &d->rtlx, &d->win, &ph);
	if (err) {
		warn_log(WARN_ERR, "fuse-vpe: cannot start the event thread: %s",
			 strerror(-err));
		return err;
	}
	d->events = true;
	return 0;
}

static void teardown_channels(struct daemon *d)
{
	if (!d->fs.rtlx)
		return;
	if (d->events)
		park_stop(&d->park);
	rtlx_destroy(&d->rtlx);
	window_close(&d->win);
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
		if (fuse_daemonize(d->o.foreground) == 0 && !start_events(d))
			ret = serve(se) < 0 ? 1 : 0;	/* >0: the signal that ended it */
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
	static struct daemon d = {
		.o = {
			.rproc_class = "/sys/class/remoteproc",
			.fw_dir = "/lib/firmware",
			.link_dir = "/dev",
			.kmsg = "/dev/kmsg",
			.rtlx_mode = 0600,
			.vpe = { .load_addr = 0x80800000, .max_image = 64u << 20 },
		},
	};
	char mountpoint[PATH_MAX], node_path[PATH_MAX + 8];
	int err, ret;

	if (parse_options(argc, argv, &d.o))
		return 2;
	/*
	 * Images and their conversions are tens of MiB, once in a while: keep
	 * every large block its own mapping, so that freeing it hands it back
	 * (glibc would otherwise raise its threshold after the first free and
	 * keep the next ones in its arenas).
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	if (!realpath(d.o.mountpoint, mountpoint)) {
		fprintf(stderr, "fuse-vpe: %s: %s\n", d.o.mountpoint, strerror(errno));
		return 1;
	}
	d.o.mountpoint = mountpoint;
	snprintf(node_path, sizeof(node_path), "%s/vpe1", mountpoint);
	d.o.vpe.node_path = node_path;
	err = warn_open(d.o.kmsg);
	if (err) {
		fprintf(stderr, "fuse-vpe: %s: %s\n", d.o.kmsg, strerror(-err));
		return 1;
	}
	ret = run(&d);
	warn_close();
	return ret;
}
