// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vpe-fwconvert: convert a legacy VPE-loader firmware image (what used to
 * be written to /dev/vpe1) into an ELF that remoteproc loads, or describe
 * what the conversion would give (--info). The conversion itself is
 * fwimage's; this file is only files and messages.
 *
 * OUT is replaced atomically: the image is written to a temporary file in
 * the same directory, flushed, and renamed over OUT. On any error, or when
 * interrupted by SIGINT/SIGTERM/SIGHUP (or SIGBUS: IN cut short while it
 * is read), the temporary file is removed and OUT is left as it was.
 *
 * IN is mapped, not read, and the conversion gives the output as pieces
 * (fwimage_convert_pieces()): the loaded bytes go from IN to OUT once,
 * in the kernel where it can (fwwrite.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fwimage.h"
#include "fwwrite.h"
#include "number.h"

#define PROG "vpe-fwconvert"

struct options {
	struct fwimage_opts conv;
	bool info;
	bool verbose;
	const char *in, *out;
};

/* The temporary output, for the signal handler to remove. */
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t tmp_active;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [OPTIONS] IN OUT\n"
		"       " PROG " --info [OPTIONS] IN\n"
		"Convert a legacy VPE-loader firmware image (ELF32 MIPS o32, ET_REL or\n"
		"ET_EXEC) into an ELF that remoteproc loads: physical PT_LOAD segments,\n"
		"e_entry = __start and a .resource_table with one carveout.\n"
		"\n"
		"  -a, --load-addr ADDR  KSEG0 address to lay ET_REL objects out at\n"
		"                        (default 0x%08x; 4 KiB aligned)\n"
		"  -m, --max-size SIZE   largest image and carveout, bytes or with a\n"
		"                        K, M or G suffix (default 64M)\n"
		"  -e, --endian ORDER    little or big: refuse images of the other order\n"
		"  -i, --info            describe IN and the output; write nothing\n"
		"  -v, --verbose         also print the legacy loader's info lines\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n"
		"\n"
		"Exit status: 0 converted, 1 conversion or file error, 2 usage error.\n",
		FWIMAGE_LOAD_ADDR_DEFAULT);
}

/* @arg of @name as a 32-bit number (with K, M, G for a size), not 0 */
static bool parse_u32(const char *name, const char *arg, bool size,
		      uint32_t *out)
{
	uint64_t v;
	int err = number_parse(arg, size ? NUMBER_SIZE : NUMBER_ANY, 1,
			       UINT32_MAX, &v);

	if (err) {
		fprintf(stderr, PROG ": bad %s '%s': %s\n", name, arg,
			err == -ERANGE ? "from 1 to 0xffffffff" : "not a number");
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Options fwimage would refuse are usage errors, said before any file. */
static int check_opts(const struct fwimage_opts *conv)
{
	struct fwimage_result res;

	if (!fwimage_check_opts(conv, &res))
		return 0;
	fprintf(stderr, PROG ": %s\n", res.error);
	return 2;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "load-addr", required_argument, NULL, 'a' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "endian", required_argument, NULL, 'e' },
		{ "info", no_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "a:m:e:ivhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (!parse_u32("--load-addr", optarg, false,
				       &o->conv.load_addr))
				return 2;
			break;
		case 'm':
			if (!parse_u32("--max-size", optarg, true,
				       &o->conv.max_size))
				return 2;
			break;
		case 'e':
			if (!strcmp(optarg, "little")) {
				o->conv.order = FWIMAGE_ORDER_LSB;
			} else if (!strcmp(optarg, "big")) {
				o->conv.order = FWIMAGE_ORDER_MSB;
			} else {
				fprintf(stderr, PROG ": --endian wants little or big, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'i':
			o->info = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf(PROG " (vpe-compat) " FWIMAGE_VERSION "\n");
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != (o->info ? 1 : 2)) {
		usage(stderr);
		return 2;
	}
	o->in = argv[optind];
	o->out = o->info ? NULL : argv[optind + 1];
	return check_opts(&o->conv);
}

/* IN: mapped when it is a regular file, else read whole. */
struct input {
	int fd;			/* -1 when read */
	uint8_t *data;
	size_t len;
	bool mapped;
};

/* The whole of fd (a pipe, a device), in a malloc'ed buffer. */
static int read_all(int fd, uint8_t **buf, size_t *len)
{
	size_t cap = 0, n = 0;
	uint8_t *p = NULL;
	int err = 0;

	for (;;) {
		ssize_t r;

		if (n == cap) {
			uint8_t *q;

			cap = cap ? cap * 2 : 65536;
			q = realloc(p, cap);
			if (!q) {
				err = ENOMEM;
				break;
			}
			p = q;
		}
		r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = errno;
			break;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	if (err) {
		free(p);
		return err;
	}
	*buf = p;
	*len = n;
	return 0;
}

static int open_input(const char *path, struct input *in)
{
	struct stat st;
	int err;

	memset(in, 0, sizeof(*in));
	in->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0)
		return errno;
	if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= SIZE_MAX) {
		in->len = (size_t)st.st_size;
		in->data = mmap(NULL, in->len, PROT_READ, MAP_PRIVATE, in->fd, 0);
		if (in->data != MAP_FAILED) {
			in->mapped = true;
			return 0;
		}
		in->data = NULL;
	}
	err = read_all(in->fd, &in->data, &in->len);
	close(in->fd);
	in->fd = -1;
	return err;
}

static void close_input(struct input *in)
{
	if (in->mapped)
		munmap(in->data, in->len);
	else
		free(in->data);
	if (in->fd >= 0)
		close(in->fd);
}

static void remove_tmp(int sig)
{
	if (tmp_active)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGBUS };
	struct sigaction sa = { .sa_handler = remove_tmp };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* Temporary file next to path, filled, flushed, renamed over path. */
static int write_atomic(const char *path, const struct input *in,
			const struct fwimage_result *res)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	mode_t mask;
	int fd, err;

	if (snprintf(tmp_path, sizeof(tmp_path), "%.*s.%s.XXXXXX", dirlen,
		     path, slash ? slash + 1 : path) >= (int)sizeof(tmp_path))
		return ENAMETOOLONG;
	fd = mkostemp(tmp_path, O_CLOEXEC);
	if (fd < 0)
		return errno;
	tmp_active = 1;
	mask = umask(0);
	umask(mask);
	err = fchmod(fd, 0666 & ~mask) ? errno : 0;
	if (!err)
		err = -fwwrite_pieces(fd, in->fd, res, false);
	if (!err && fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp_path, path))
		err = errno;
	if (err)
		unlink(tmp_path);
	tmp_active = 0;
	return err;
}

/* A fwimage line without its "fwimage: " prefix. */
static const char *bare(const char *line)
{
	return strncmp(line, "fwimage: ", 9) ? line : line + 9;
}

static void print_messages(const struct fwimage_result *res,
			   const struct options *o)
{
	unsigned int i;

	for (i = 0; i < res->nlegacy; i++)
		if (o->verbose || res->legacy[i].level != LOG_INFO)
			fprintf(stderr, "%s\n", res->legacy[i].text);
	for (i = 0; i < res->nwarnings; i++)
		fprintf(stderr, PROG ": warning: %s\n", bare(res->warnings[i]));
	if (res->warnings_dropped)
		fprintf(stderr, PROG ": warning: more warnings not shown\n");
	if (res->err)
		fprintf(stderr, PROG ": %s: %s\n", o->in, bare(res->error));
}

static void flags_text(uint32_t flags, char buf[4])
{
	buf[0] = flags & 4 ? 'R' : '-';
	buf[1] = flags & 2 ? 'W' : '-';
	buf[2] = flags & 1 ? 'X' : '-';
	buf[3] = '\0';
}

/* --info: "key: value" lines, easy to grep. */
static void print_info(const struct fwimage_result *res)
{
	const struct fwimage_info *info = &res->info;
	char flags[4];
	unsigned int i;

	printf("type: %s\n", fwimage_type_name(info->type));
	printf("byte-order: %s\n", fwimage_order_name(info->order));
	printf("e_flags: 0x%08" PRIx32 "\n", info->e_flags);
	if (info->type == 1)
		printf("load-address: 0x%08" PRIx32 "\n", info->load_addr);
	printf("entry: 0x%08" PRIx32 "\n", info->start);
	printf("__start: 0x%08" PRIx32 "\n", info->start);
	if (!info->has_vpe_shared)
		printf("vpe_shared: absent\n");
	else if (info->vpe_shared_has_phys)
		printf("vpe_shared: 0x%08" PRIx32 " physical 0x%08" PRIx32 "\n",
		       info->vpe_shared, info->vpe_shared_phys);
	else
		printf("vpe_shared: 0x%08" PRIx32 " physical none\n",
		       info->vpe_shared);
	if (info->ncommons)
		printf("commons: %u symbols, 0x%" PRIx32 " bytes\n",
		       info->ncommons, info->commons_size);
	for (i = 0; i < info->nsegments; i++) {
		const struct fwimage_segment *s = &info->segments[i];

		flags_text(s->flags, flags);
		printf("segment: physical 0x%08" PRIx32 " virtual 0x%08" PRIx32
		       " filesz 0x%08" PRIx32 " memsz 0x%08" PRIx32 " %s\n",
		       s->paddr, s->vaddr, s->filesz, s->memsz, flags);
	}
	printf("resource-table: physical 0x%08" PRIx32 " size %" PRIu32 "\n",
	       info->rsc_table_addr, info->rsc_table_size);
	printf("carveout: da 0x%08" PRIx32 " pa 0x%08" PRIx32 " len 0x%08"
	       PRIx32 " name %s\n", info->carveout.da, info->carveout.pa,
	       info->carveout.len, FWIMAGE_CARVEOUT_NAME);
	printf("output-size: %zu\n", res->image_len);
}

static int run(const struct options *o)
{
	struct fwimage_result res;
	struct input in;
	int err;

	err = open_input(o->in, &in);
	if (err) {
		fprintf(stderr, PROG ": %s: %s\n", o->in, strerror(err));
		return 1;
	}
	fwimage_convert_pieces(in.data, in.len, &o->conv, &res);
	print_messages(&res, o);
	err = res.err;
	if (err) {
		fprintf(stderr, PROG ": %s: cannot convert: %s\n", o->in,
			strerror(err));
	} else if (o->info) {
		print_info(&res);
	} else {
		err = write_atomic(o->out, &in, &res);
		if (err)
			fprintf(stderr, PROG ": %s: %s\n", o->out, strerror(err));
	}
	fwimage_result_free(&res);
	close_input(&in);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret;
	catch_signals();
	return run(&o);
}
