/* rproc-sim: command line, set-up and the FUSE loop. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrs.h"
#include "log.h"
#include "rproc.h"

#define VERSION "0.1"

static const char usage_text[] =
"NAME\n"
"    rproc-sim - a simulated Linux remoteproc instance backed by QEMU Malta\n"
"\n"
"SYNOPSIS\n"
"    rproc-sim [OPTIONS] MOUNTPOINT\n"
"\n"
"DESCRIPTION\n"
"    Mounts a FUSE file system that shows MOUNTPOINT/remoteproc0/ the way\n"
"    /sys/class/remoteproc/remoteprocN/ looks on a kernel with the MIPS\n"
"    remoteproc driver. Writing \"start\" to state boots the firmware named\n"
"    in firmware from the firmware directory, synchronously inside the\n"
"    write(): the kernel's ELF and resource-table checks, carveouts zeroed\n"
"    in the RAM file, then qemu-system-mips(el) -M malta loads the image\n"
"    (PT_LOAD at p_paddr, entry e_entry) with its RAM in that file, so that\n"
"    physical address X of the remote is file offset X. The resource table,\n"
"    with pa filled in, is copied to the table's address in RAM before the\n"
"    CPU runs. The write returns the kernel's error: ENOENT (no such file),\n"
"    EINVAL (bad name or image, QEMU failed), ENOMEM (carveout outside RAM),\n"
"    EBUSY. Kernel-like messages go to the log. Carveouts use da as the\n"
"    physical address (pa = da, no IOMMU); FW_RSC_ADDR_ANY ones get the\n"
"    highest free page-aligned range. Trace and vdev entries are ignored.\n"
"\n"
"FILES UNDER MOUNTPOINT/remoteproc0\n"
"    name      (0444) the instance name.\n"
"    firmware  (0644) the firmware file name; writing it (cut at the first\n"
"              newline) gives EBUSY unless offline, EINVAL if empty.\n"
"    state     (0644) offline, running or crashed. Writes: start, stop,\n"
"              detach (one trailing newline allowed), else EINVAL.\n"
"              --kernel 4.x: start while running is EBUSY; stop when not\n"
"              running is EINVAL. --kernel 5.19: start on a powered remote\n"
"              only counts one more user and succeeds; stop needs running\n"
"              (else EINVAL) and stops only when the count reaches 0.\n"
"              detach is always EINVAL (nothing is ever attached).\n"
"    recovery  (0644) enabled or disabled. Writes: enabled (and recover now\n"
"              if crashed), disabled, recover (now, if crashed).\n"
"    QEMU exiting by itself while running (the firmware reset the board)\n"
"    is a crash: state crashed, the power count kept, so that stop is\n"
"    EINVAL and start only counts; with recovery enabled the same firmware\n"
"    is booted again at once (carveouts not cleared).\n"
"\n"
"OPTIONS\n"
"    --name NAME         instance name (default mips-cpu1); the firmware\n"
"                        name starts as rproc-NAME-fw\n"
"    --fw-dir DIR        firmware search directory (default /lib/firmware)\n"
"    --ram FILE          the remote's RAM, created or extended to the RAM\n"
"                        size (default /dev/shm/rproc-sim-NAME.ram)\n"
"    --ram-size SIZE     RAM size, whole MiB, suffix K, M or G (default\n"
"                        256M, at most 2G); carveouts must lie below\n"
"                        min(SIZE, 256M), Malta's low memory\n"
"    --endian little|big the simulated kernel's byte order; images must\n"
"                        match it (default little)\n"
"    --kernel 4.x|5.19   state semantics of that kernel era (default 4.x)\n"
"    --recovery enabled|disabled\n"
"                        initial recovery setting (default disabled; the\n"
"                        kernel's default is enabled)\n"
"    --log FILE          the simulated kernel log (default stderr)\n"
"    --uart-log FILE     the remote's UART output, appended to (default\n"
"                        discarded)\n"
"    --qemu PREFIX       QEMU binaries are PREFIXmips and PREFIXmipsel\n"
"                        (default qemu-system-, found in PATH)\n"
"    --cpu MODEL         QEMU CPU model (default 34Kf)\n"
"    -o OPT[,OPT...]     FUSE mount options (e.g. allow_other)\n"
"    -f                  stay in the foreground\n"
"    -d                  debug: foreground, and debug lines in the log\n"
"    -h, --help          this text\n"
"    -V, --version       the version\n"
"\n"
"FILES\n"
"    $TMPDIR/rproc-sim.XXXXXX/  QMP socket, QEMU's output, the checked image\n"
"                        QEMU loads; removed at exit\n"
"\n"
"SIGNALS\n"
"    SIGUSR1             unbind the driver: a running remote is stopped and\n"
"                        remoteproc0 disappears (open attributes give ENODEV)\n"
"\n"
"EXIT STATUS\n"
"    0 after an unmount, SIGTERM, SIGINT or SIGHUP (QEMU is stopped first);\n"
"    1 on a set-up error; 2 on a usage error.\n"
"\n"
"EXAMPLE\n"
"    rproc-sim -f --fw-dir fw --ram /dev/shm/r.ram --log dmesg mnt &\n"
"    echo app.elf > mnt/remoteproc0/firmware\n"
"    echo start > mnt/remoteproc0/state\n"
"    echo stop > mnt/remoteproc0/state; fusermount3 -u mnt\n";

enum {
	OPT_NAME = 256, OPT_FW_DIR, OPT_RAM, OPT_RAM_SIZE, OPT_ENDIAN,
	OPT_KERNEL, OPT_RECOVERY, OPT_LOG, OPT_UART, OPT_QEMU, OPT_CPU,
};

static const struct option long_opts[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "fw-dir", required_argument, NULL, OPT_FW_DIR },
	{ "ram", required_argument, NULL, OPT_RAM },
	{ "ram-size", required_argument, NULL, OPT_RAM_SIZE },
	{ "endian", required_argument, NULL, OPT_ENDIAN },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "recovery", required_argument, NULL, OPT_RECOVERY },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "uart-log", required_argument, NULL, OPT_UART },
	{ "qemu", required_argument, NULL, OPT_QEMU },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct sim_cfg cfg;
	const char *mountpoint;
	const char *log;
	bool foreground;
	bool debug;
	struct fuse_args fuse;
};

static void __attribute__((noreturn)) usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "rproc-sim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'rproc-sim --help'.\n");
	exit(2);
}

/* The daemon changes to /, so every path is made absolute first. */
static const char *absolute(const char *path)
{
	if (path[0] == '/')
		return path;
	char cwd[PATH_MAX];
	char *s;
	if (!getcwd(cwd, sizeof(cwd)) || asprintf(&s, "%s/%s", cwd, path) < 0)
		usage_error("cannot make '%s' absolute", path);
	return s;
}

/* Whole MiB (QEMU's -m granularity), Malta's 2 GiB at most. */
static uint64_t parse_size(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	int shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (errno || end == s || *end || v > (2ull << 30) >> shift)
		usage_error("bad size '%s'", s);
	uint64_t bytes = (uint64_t)v << shift;
	if (bytes == 0 || bytes % (1u << 20))
		usage_error("--ram-size '%s' is not a whole number of MiB", s);
	return bytes;
}

static bool pick(const char *arg, const char *a, const char *b,
		 const char *opt)
{
	if (!strcmp(arg, a))
		return true;
	if (!strcmp(arg, b))
		return false;
	fprintf(stderr, "rproc-sim: %s %s|%s, not '%s'\n", opt, a, b, arg);
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	struct sim_cfg *c = &o->cfg;
	const char *ram = NULL, *qemu = "qemu-system-";
	*c = (struct sim_cfg){
		.name = "mips-cpu1",
		.fw_dir = "/lib/firmware",
		.ram_size = 256ull << 20,
		.era = ERA_4X,
		.cpu = "34Kf",
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "fdhVo:", long_opts, NULL)) != -1) {
		switch (ch) {
		case OPT_NAME: c->name = optarg; break;
		case OPT_FW_DIR: c->fw_dir = absolute(optarg); break;
		case OPT_RAM: ram = absolute(optarg); break;
		case OPT_RAM_SIZE: c->ram_size = parse_size(optarg); break;
		case OPT_ENDIAN:
			c->big_endian = pick(optarg, "big", "little", "--endian");
			break;
		case OPT_KERNEL:
			c->era = pick(optarg, "4.x", "5.19", "--kernel") ?
					 ERA_4X : ERA_5_19;
			break;
		case OPT_RECOVERY:
			c->recovery = pick(optarg, "enabled", "disabled",
					   "--recovery");
			break;
		case OPT_LOG: o->log = absolute(optarg); break;
		case OPT_UART: c->uart_log = absolute(optarg); break;
		case OPT_QEMU: qemu = optarg; break;
		case OPT_CPU: c->cpu = optarg; break;
		case 'o':
			fuse_opt_add_arg(&o->fuse, "-o");
			fuse_opt_add_arg(&o->fuse, optarg);
			break;
		case 'f': o->foreground = true; break;
		case 'd': o->foreground = o->debug = true; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		case 'V': puts("rproc-sim " VERSION); exit(0);
		default: usage_error("%s", "bad option");
		}
	}
	if (optind != argc - 1)
		usage_error("%s", "exactly one MOUNTPOINT is needed");
	o->mountpoint = absolute(argv[optind]);
	if (!*c->name || strchr(c->name, '/'))
		usage_error("bad --name '%s'", c->name);
	if (!ram && asprintf((char **)&ram, "/dev/shm/rproc-sim-%s.ram",
			     c->name) < 0)
		exit(1);
	c->ram_path = ram;
	/* A prefix with a directory is a path; a bare one is found in PATH. */
	c->qemu_prefix = strchr(qemu, '/') ? absolute(qemu) : qemu;
}

/* The private directory: QMP socket, QEMU output, the image QEMU loads. */
static char *make_run_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;
	if (asprintf(&dir, "%s/rproc-sim.XXXXXX", tmp && *tmp ? tmp : "/tmp") <
	    0)
		return NULL;
	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

static void remove_run_dir(char *dir)
{
	static const char *const files[] = { "image.elf", "qmp.sock",
					     "qemu.out" };
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

/* Mount, detach from the terminal, serve until unmounted or signalled.
 * The loop is single-threaded: QEMU is forked from this thread (and the
 * watcher), which live as long as the process. Takes r over: it is
 * destroyed (the remote stopped) while the signal handlers are still in
 * place, so a second SIGTERM during that cannot kill us half-way. */
static int serve(struct opts *o, struct sim_rproc *r)
{
	int ret = 1;
	struct fuse *f = fuse_new(&o->fuse, &attrs_ops, sizeof(attrs_ops), r);
	struct fuse_session *se = f ? fuse_get_session(f) : NULL;
	bool mounted = f && fuse_mount(f, o->mountpoint) == 0;
	bool serving = mounted && fuse_daemonize(o->foreground) == 0 &&
		       sim_start_watcher(r) == 0 &&
		       fuse_set_signal_handlers(se) == 0;
	if (serving) {
		slog(KL_INFO, "%s/remoteproc0 ready: %s, kernel %s, "
		     "%s-endian, RAM %s (%llu MiB)", o->mountpoint,
		     o->cfg.name, o->cfg.era == ERA_4X ? "4.x" : "5.19",
		     o->cfg.big_endian ? "big" : "little", o->cfg.ram_path,
		     (unsigned long long)(o->cfg.ram_size >> 20));
		/* 0 when unmounted, the signal number when signalled. */
		ret = fuse_loop(f) < 0 ? 1 : 0;
	}
	sim_destroy(r);	/* stops QEMU, whatever the power count */
	if (serving) {
		fuse_remove_signal_handlers(se);
		/* Already on the way out: another SIGTERM changes nothing. */
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
	}
	if (mounted)
		fuse_unmount(f);
	if (f)
		fuse_destroy(f);
	return ret;
}

/* Static: what the options point to stays reachable (LeakSanitizer). */
static struct opts o = { .fuse = FUSE_ARGS_INIT(0, NULL) };

int main(int argc, char **argv)
{
	fuse_opt_add_arg(&o.fuse, argv[0]);
	fuse_opt_add_arg(&o.fuse, "-ofsname=rproc-sim,subtype=rproc-sim");
	parse(argc, argv, &o);

	int err = klog_open(o.log, o.debug);
	if (err) {
		fprintf(stderr, "rproc-sim: %s: %s\n", o.log, strerror(-err));
		return 1;
	}
	char *run_dir = make_run_dir();
	if (!run_dir) {
		fprintf(stderr, "rproc-sim: cannot create a run directory: %s\n",
			strerror(errno));
		return 1;
	}
	o.cfg.run_dir = run_dir;
	struct sim_rproc *r = sim_create(&o.cfg, &err);
	int ret = 1;
	if (r) {
		ret = serve(&o, r);
	} else {
		fprintf(stderr, "rproc-sim: %s: %s\n", o.cfg.ram_path,
			strerror(-err));
	}
	remove_run_dir(run_dir);
	fuse_opt_free_args(&o.fuse);
	slog(KL_INFO, "exiting");
	klog_close();
	return ret;
}
