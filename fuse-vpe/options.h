/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options: fuse-vpe's command line (fuse-vpe(8)).
 */
#ifndef VPE_OPTIONS_H
#define VPE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "vpe.h"

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
	const char *kspd_dir;		/* --kspd: serve KSPD, files beneath */
	bool has_vpe_shared;		/* a program already runs ... */
	uint32_t vpe_shared;		/* ... its vpe_shared, physical */
	int rtlx_layout;		/* 296, 300, 0: detect */
	mode_t rtlx_mode;
	struct vpe_config vpe;
	bool foreground;
	bool debug;
};

/*
 * The defaults, then the command line: 0, -1 (refused, said on stderr) or
 * 1 (--help or --version answered: exit 0).
 */
int options_parse(int argc, char **argv, struct options *o);

#endif
