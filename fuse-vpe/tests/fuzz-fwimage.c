// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-fwimage: libFuzzer target for fwimage_convert() on arbitrary
 * bytes, held to the contract fwimage-fuzz.c checks: a success is an image
 * the kernel's remoteproc loader takes (rproc-elf.c, written apart from
 * fwimage), a failure is ENOEXEC with its legacy lines, ENOMEM, or EINVAL
 * exactly when the options are bad, each with its message. And
 * fwimage_extent() on the same bytes agrees with the conversion.
 *
 * Input: 3 bytes of options, then the image.
 *   [0] % 4      the remote's byte order: any, LSB, MSB, or an unknown one
 *   [1] % 8      load address: fz_load[] (0: the default)
 *   [2] % 8      largest image and carveout: fz_max[] (0: the default)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwimage.h"
#include "rproc-elf.h"

#define FZ_OPTS	3

static const uint32_t fz_load[8] = {
	0, 0x80000000, 0x80800000, 0x9ffff000,
	0x80000800,	/* not 4 KiB aligned */
	0x7ffff000,	/* below KSEG0 */
	0xa0000000,	/* KSEG1 */
	0x81000000,
};

static const uint32_t fz_max[8] = {
	0, 4096, 16384, 65536, 1u << 20, 100, 0x20000000, 0xffffffff,
};

static void breach(const char *what, const struct fwimage_result *res)
{
	fprintf(stderr, "fuzz-fwimage: %s (err %d: %s)\n", what, res->err,
		res->error);
	abort();
}

/*
 * fwimage_extent() against the conversion (@err, of all @len bytes): a
 * refusal is one the conversion makes too; an image called whole at
 * @need bytes converts to the same verdict from those bytes alone.
 */
static void check_extent(const uint8_t *in, size_t len,
			 const struct fwimage_opts *opts, int err)
{
	uint32_t max = opts->max_size ? opts->max_size : FWIMAGE_MAX_SIZE_DEFAULT;
	struct fwimage_result res = { .err = err };
	size_t need;
	int ret;

	ret = fwimage_extent(in, len, opts, &need);
	if ((ret == -EINVAL) != (err == EINVAL))
		breach("extent: EINVAL if and only if the options are bad", &res);
	if (ret == -EINVAL || len > max)
		return;		/* ENOMEM: the size decides first */
	if (ret == -ENOEXEC && err != ENOEXEC)
		breach("extent refused an image the conversion takes", &res);
	if (ret == 0 && need <= len) {
		fwimage_convert(in, need, opts, &res);
		if (res.err != err)
			breach("extent: the bytes after the image changed the verdict",
			       &res);
		fwimage_result_free(&res);
	}
	if (ret && ret != -ENOEXEC)
		breach("extent: an error outside the contract", &res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int orders[4] = { FWIMAGE_ORDER_ANY, FWIMAGE_ORDER_LSB,
				       FWIMAGE_ORDER_MSB, 7 };
	struct fwimage_opts opts = { 0 };
	struct fwimage_result res;
	struct rproc_elf_report rep;
	char why[256];
	bool bad_opts;

	if (size < FZ_OPTS)
		return 0;
	opts.order = (enum fwimage_order)orders[data[0] % 4];
	opts.load_addr = fz_load[data[1] % 8];
	opts.max_size = fz_max[data[2] % 8];
	bad_opts = fwimage_check_opts(&opts, &res) != 0;
	if (bad_opts && (res.err != EINVAL || !res.error[0]))
		breach("bad options without EINVAL and a reason", &res);

	fwimage_convert(data + FZ_OPTS, size - FZ_OPTS, &opts, &res);
	if (bad_opts != (res.err == EINVAL))
		breach("EINVAL if and only if the options are bad", &res);
	switch (res.err) {
	case 0:
		if (!res.image || rproc_elf_check(res.image, res.image_len,
						  opts.order, &rep, why,
						  sizeof(why))) {
			fprintf(stderr, "fuzz-fwimage: remoteproc: %s\n", why);
			breach("converted, but remoteproc would refuse it", &res);
		}
		if (opts.order && res.info.order != opts.order)
			breach("converted an image of the other byte order", &res);
		break;
	case ENOEXEC:
		if (!res.error[0] || !res.nlegacy)
			breach("ENOEXEC without a reason or a legacy line", &res);
		break;
	case ENOMEM:
	case EINVAL:
		if (!res.error[0])
			breach("a failure without a reason", &res);
		break;
	default:
		breach("an error outside the contract", &res);
	}
	if (res.err && res.image)
		breach("an image with an error", &res);
	fwimage_result_free(&res);
	check_extent(data + FZ_OPTS, size - FZ_OPTS, &opts, res.err);
	return 0;
}
