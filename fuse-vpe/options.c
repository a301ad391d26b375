// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * options: fuse-vpe's command line (options.h, fuse-vpe(8)).  Every number
 * goes through number_parse() with its range, every bad value is named
 * on stderr, nothing is silently adjusted.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 14)
#include <fuse_lowlevel.h>	/* fuse_pkgversion() */
#include "fwimage.h"
#include "legacy.h"
#include "number.h"
#include "options.h"

#ifndef VPE_COMPAT_VERSION
#define VPE_COMPAT_VERSION "0.1"
#endif

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
"  --load-addr ADDR     KSEG0 address for relocatable images, 4 KiB aligned\n"
"                       (default 0x%08x)\n"
"  --endian little|big  the remote's byte order: images of the other are\n"
"                       refused (default: any, remoteproc decides)\n"
"  --max-image SIZE     largest image accepted, bytes or with K, M or G\n"
"                       (default 64M, at most 512M)\n"
"  --legacy-close       close() of /dev/vpe1 always succeeds, as it used to;\n"
"                       load errors are only logged\n"
"  --window SPEC        the remote's memory: a vpe_compat.ko node\n"
"                       (/dev/vpe_compat0: window and doorbells), or\n"
"                       file:PATH[@PHYS] (a file mapping physical address\n"
"                       PHYS, default 0); without it there are no channels\n"
"  --vpe-shared ADDR    a program already runs (started before this daemon):\n"
"                       serve its channels; ADDR is its vpe_shared variable\n"
"                       (KSEG0, KSEG1 or physical)\n"
"  --rtlx-layout N      296 or 300 (the 3.15-6.3 struct rtlx_info with\n"
"                       ap_int_pending); default: detected\n"
"  --rtlx-mode MODE     permissions of the rtlxN files, octal, within 0666\n"
"                       (default 0600)\n"
"  --kspd DIR           serve the SDE system calls of programs loaded through\n"
"                       /dev/vpe1 on channel 2 (KSPD), their files beneath\n"
"                       DIR, as the user who loaded them (needs --window)\n"
"  --link-dir DIR       where the vpe1 and rtlxN links are made (default /dev;\n"
"                       'none')\n"
"  --kmsg PATH          kernel-log sink (default /dev/kmsg; a file for tests)\n"
"  -f, --foreground     do not daemonize\n"
"  -d, --debug          FUSE debug output (implies -f)\n"
"  -h, --help           this text\n"
"  -V, --version        the version\n",
		FWIMAGE_LOAD_ADDR_DEFAULT);
}

/* @arg of --@name as a number in [@min, @max]; @want says what is. */
static int number_opt(const char *name, const char *arg, enum number_form form,
		      uint64_t min, uint64_t max, const char *want,
		      uint64_t *out)
{
	int err = number_parse(arg, form, min, max, out);

	if (err)
		fprintf(stderr, "fuse-vpe: --%s '%s': %s\n", name, arg,
			err == -ERANGE ? want :
			form == NUMBER_OCTAL ? "not an octal number" : "not a number");
	return err;
}

static int parse_layout(const char *arg, struct options *o)
{
	uint64_t v;

	if (number_opt("rtlx-layout", arg, NUMBER_ANY, 296, 300,
		       "296 or 300", &v))
		return -1;
	if (v != 296 && v != 300) {
		fprintf(stderr, "fuse-vpe: --rtlx-layout '%s': 296 or 300\n", arg);
		return -1;
	}
	o->rtlx_layout = (int)v;
	return 0;
}

static int parse_mode(const char *arg, struct options *o)
{
	uint64_t v;

	if (number_opt("rtlx-mode", arg, NUMBER_OCTAL, 0, 0777,
		       "permission bits, octal", &v))
		return -1;
	if (v & ~0666u) {
		/* a channel is not a program, nor a directory */
		fprintf(stderr, "fuse-vpe: --rtlx-mode '%s': execute bits; within 0666\n",
			arg);
		return -1;
	}
	o->rtlx_mode = (mode_t)v;
	return 0;
}

static int parse_vpe_shared(const char *arg, struct options *o)
{
	uint64_t v;

	if (number_opt("vpe-shared", arg, NUMBER_ANY, 0, UINT32_MAX,
		       "a 32-bit address", &v))
		return -1;
	if (v >= LEGACY_KSEG2 || (v >= LEGACY_KSEG_SIZE && v < LEGACY_KSEG0)) {
		fprintf(stderr, "fuse-vpe: --vpe-shared '%s': not in KSEG0, KSEG1 or the low 512 MiB\n",
			arg);
		return -1;
	}
	/* KSEG0 and KSEG1 addresses name the same physical word */
	o->vpe_shared = (uint32_t)v & LEGACY_PHYS_MASK;
	o->has_vpe_shared = true;
	return 0;
}

static int parse_load_addr(const char *arg, struct options *o)
{
	struct fwimage_opts conv = { .max_size = 1 };
	struct fwimage_result res;
	uint64_t v;

	if (number_opt("load-addr", arg, NUMBER_ANY, 1, UINT32_MAX,
		       "a 32-bit address", &v))
		return -1;
	conv.load_addr = (uint32_t)v;
	if (fwimage_check_opts(&conv, &res)) {
		fprintf(stderr, "fuse-vpe: --load-addr '%s': %s\n", arg, res.error);
		return -1;
	}
	o->vpe.load_addr = conv.load_addr;
	return 0;
}

static int parse_max_image(const char *arg, struct options *o)
{
	uint64_t v;

	/* a program runs from KSEG0: 512 MiB is all it can span */
	if (number_opt("max-image", arg, NUMBER_SIZE, 1, LEGACY_KSEG_SIZE,
		       "from 1 byte to 512M", &v))
		return -1;
	o->vpe.max_image = (size_t)v;
	return 0;
}

static int parse_endian(const char *arg, struct options *o)
{
	if (!strcmp(arg, "little")) {
		o->vpe.order = FWIMAGE_ORDER_LSB;
	} else if (!strcmp(arg, "big")) {
		o->vpe.order = FWIMAGE_ORDER_MSB;
	} else {
		fprintf(stderr, "fuse-vpe: --endian '%s': little or big\n", arg);
		return -1;
	}
	return 0;
}

enum {
	O_RPROC = 256, O_RPROC_NAME, O_RPROC_CLASS, O_FW_DIR, O_FW_NAME,
	O_LOAD_ADDR, O_MAX_IMAGE, O_LEGACY_CLOSE, O_LINK_DIR, O_KMSG,
	O_ENDIAN, O_WINDOW, O_RTLX_LAYOUT, O_RTLX_MODE, O_VPE_SHARED, O_KSPD,
};

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
	{ "kspd", required_argument, NULL, O_KSPD },
	{ "foreground", no_argument, NULL, 'f' },
	{ "debug", no_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* One option: 0 taken, -1 refused (said), 1 done (help, version). */
static int parse_one(int c, const char *arg, struct options *o)
{
	switch (c) {
	case O_RPROC: o->rproc_dir = arg; return 0;
	case O_RPROC_NAME: o->rproc_name = arg; return 0;
	case O_RPROC_CLASS: o->rproc_class = arg; return 0;
	case O_FW_DIR: o->fw_dir = arg; return 0;
	case O_FW_NAME: o->fw_name = arg; return 0;
	case O_LINK_DIR: o->link_dir = arg; return 0;
	case O_KMSG: o->kmsg = arg; return 0;
	case O_WINDOW: o->window = arg; return 0;
	case O_KSPD: o->kspd_dir = arg; return 0;
	case O_LEGACY_CLOSE: o->vpe.legacy_close = true; return 0;
	case O_RTLX_LAYOUT: return parse_layout(arg, o);
	case O_RTLX_MODE: return parse_mode(arg, o);
	case O_VPE_SHARED: return parse_vpe_shared(arg, o);
	case O_LOAD_ADDR: return parse_load_addr(arg, o);
	case O_MAX_IMAGE: return parse_max_image(arg, o);
	case O_ENDIAN: return parse_endian(arg, o);
	case 'd': o->debug = true; /* fall through */
	case 'f': o->foreground = true; return 0;
	case 'h': usage(stdout); return 1;
	case 'V':
		printf("fuse-vpe %s (libfuse %s)\n", VPE_COMPAT_VERSION,
		       fuse_pkgversion());
		return 1;
	default: usage(stderr); return -1;
	}
}

int options_parse(int argc, char **argv, struct options *o)
{
	int c, ret;

	*o = (struct options) {
		.rproc_class = "/sys/class/remoteproc",
		.fw_dir = "/lib/firmware",
		.link_dir = "/dev",
		.kmsg = "/dev/kmsg",
		.rtlx_mode = 0600,
		.vpe = {
			.load_addr = FWIMAGE_LOAD_ADDR_DEFAULT,
			.max_image = FWIMAGE_MAX_SIZE_DEFAULT,
		},
	};
	while ((c = getopt_long(argc, argv, "fdhV", longopts, NULL)) != -1) {
		ret = parse_one(c, optarg, o);
		if (ret)
			return ret;
	}
	if (optind != argc - 1) {
		usage(stderr);
		return -1;
	}
	o->mountpoint = argv[optind];
	if (o->kspd_dir && !o->window) {
		fprintf(stderr, "fuse-vpe: --kspd needs --window: KSPD talks to the program over channel 2\n");
		return -1;
	}
	return 0;
}
