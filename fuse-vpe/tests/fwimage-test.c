// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage unit tests (TAP): exact relocation results on the synthetic
 * images of testimg.c, in both byte orders, the checks of the kernel's
 * remoteproc loader on every output, every truncation of every good image,
 * options, and that nothing carries over from one conversion to the next.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwimage.h"
#include "rproc-elf.h"
#include "testimg.h"
#include "unit.h"

#define R_MIPS_NONE	0
#define R_MIPS_HI16	5
#define R_MIPS_LO16	6
#define R_MIPS_GPREL16	7

static void diag_result(const struct fwimage_result *res)
{
	unsigned int i;

	printf("# err %d: %s\n", res->err, res->error);
	for (i = 0; i < res->nlegacy; i++)
		printf("# legacy: %s\n", res->legacy[i].text);
	for (i = 0; i < res->nwarnings; i++)
		printf("# warning: %s\n", res->warnings[i]);
}

static bool has_legacy(const struct fwimage_result *res, const char *text)
{
	unsigned int i;

	for (i = 0; i < res->nlegacy; i++)
		if (strstr(res->legacy[i].text, text))
			return true;
	return false;
}

/* Convert and run the kernel's checks on the result. */
static int convert(const uint8_t *img, size_t len, uint32_t load,
		   struct fwimage_result *res)
{
	struct fwimage_opts opts = { .load_addr = load };
	struct rproc_elf_report rep;
	char why[256];
	int ret;

	ret = fwimage_convert(img, len, &opts, res);
	if (ret) {
		diag_result(res);
		return ret;
	}
	if (rproc_elf_check(res->image, res->image_len, 0, &rep, why,
			    sizeof(why))) {
		printf("# remoteproc would refuse it: %s\n", why);
		return -1;
	}
	if (!rep.entry_in_carveout) {
		printf("# e_entry 0x%08x is not in the carveout\n", rep.entry);
		return -1;
	}
	return 0;
}

static uint32_t word_at(const struct fwimage_result *res, bool msb,
			uint32_t vaddr)
{
	uint8_t b[4];

	if (rproc_elf_peek(res->image, res->image_len, vaddr, 4, false, b))
		return 0xdeadbeef;
	return msb ? (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
		   : (uint32_t)b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0];
}

/* Compare the words at base + off[i] with want[i]. */
static bool words_are(const struct fwimage_result *res, bool msb,
		      uint32_t base, const uint32_t (*want)[2], int n)
{
	bool good = true;
	int i;

	for (i = 0; i < n; i++) {
		uint32_t got = word_at(res, msb, base + want[i][0]);

		if (got != want[i][1]) {
			printf("# at 0x%08x: 0x%08x, want 0x%08x\n",
			       base + want[i][0], got, want[i][1]);
			good = false;
		}
	}
	return good;
}

static const uint32_t rel_text[][2] = {
	{ 0x00, 0x3c028080 }, { 0x04, 0x24420050 },	/* vpe_shared */
	{ 0x08, 0x0c200008 },				/* jal local_func */
	{ 0x10, 0x10000007 },				/* b fw_report */
	{ 0x18, 0x3c038080 }, { 0x1c, 0x8c630060 },	/* counter */
};

static const uint32_t rel_data[][2] = {
	{ 0x04, 0x80800000 }, { 0x08, 0x80800020 }, { 0x0c, 0x808000a0 },
};

static void test_good_rel(bool msb, bool rela)
{
	const char *name = rela ? "RELA" : "REL";
	const char *order = msb ? "big" : "little";
	struct fwimage_result res;
	struct elfgen eg;
	uint8_t *img;
	size_t len;
	int ret;

	ti_rel(&eg, msb, rela);
	img = eg_build(&eg, &len);
	ret = convert(img, len, 0, &res);
	ok(!ret, "%s-endian %s object converts and passes remoteproc's checks",
	   order, name);
	ok(!ret && words_are(&res, msb, 0x80800000, rel_text, 6),
	   "%s-endian %s: HI16/LO16, 26 and PC16 results in .text", order, name);
	ok(!ret && words_are(&res, msb, 0x80800050, rel_data, 3),
	   "%s-endian %s: R_MIPS_32 results in .data, commons given space",
	   order, name);
	ok(res.info.start == 0x80800000 && res.info.has_vpe_shared &&
	   res.info.vpe_shared == 0x80800050 && res.info.vpe_shared_has_phys &&
	   res.info.vpe_shared_phys == 0x00800050,
	   "%s-endian %s: __start and vpe_shared", order, name);
	ok(res.info.ncommons == 1 && res.info.commons_size == 0x20 &&
	   res.info.rsc_table_addr == 0x008000c0 &&
	   res.info.carveout.da == 0x00800000 &&
	   res.info.carveout.len == 0x1000 && res.info.nsegments == 3,
	   "%s-endian %s: segments, commons, table and carveout", order, name);
	ok(res.nlegacy == 2 && has_legacy(&res, "VPE loader: loading to 80800000") &&
	   !strcmp(res.legacy[1].text, " elf loaded"),
	   "%s-endian %s: the legacy success lines", order, name);
	fwimage_result_free(&res);
	free(img);
	eg_free(&eg);
}

static void test_good_exec(bool msb)
{
	const char *order = msb ? "big" : "little";
	static const uint32_t text[][2] = {
		{ 0x00, 0x3c028080 }, { 0x04, 0x24421000 },
		{ 0x08, 0x0c200008 }, { 0x1c, 0x8c631010 },
	};
	struct fwimage_result res;
	struct elfgen eg;
	uint8_t *img;
	size_t len;
	int ret;

	ti_exec(&eg, msb);
	img = eg_build(&eg, &len);
	ret = convert(img, len, 0, &res);
	ok(!ret, "%s-endian executable converts and passes remoteproc's checks",
	   order);
	ok(!ret && words_are(&res, msb, 0x80800000, text, 4) &&
	   word_at(&res, msb, 0x80801004) == 0x80800000 &&
	   word_at(&res, msb, 0x80801040) == 0,
	   "%s-endian executable: contents and .bss as linked", order);
	ok(res.info.nsegments == 2 && res.info.segments &&
	   res.info.segments[0].paddr == 0x00800000 &&
	   res.info.segments[1].paddr == 0x00801000 &&
	   res.info.segments[1].memsz == 0x50 &&
	   res.info.segments[1].filesz == 0x10 &&
	   res.info.carveout.da == 0x00800000 &&
	   res.info.carveout.len == 0x2000,
	   "%s-endian executable: physical segments and carveout", order);
	ok(res.info.start == 0x80800000 && res.info.vpe_shared == 0x80801000,
	   "%s-endian executable: __start and vpe_shared", order);
	fwimage_result_free(&res);
	free(img);
	eg_free(&eg);
}

/* The object at another load address, where %hi needs the carry. */
static void test_load_addr_carry(void)
{
	static const uint32_t text[][2] = {
		{ 0x00, 0x3c028081 }, { 0x04, 0x2442f050 },
		{ 0x08, 0x0c203c08 }, { 0x18, 0x3c038081 },
		{ 0x1c, 0x8c63f060 },
	};
	struct fwimage_result res;
	struct elfgen eg;
	uint8_t *img;
	size_t len;
	int ret;

	ti_rel(&eg, false, false);
	img = eg_build(&eg, &len);
	ret = convert(img, len, 0x8080f000, &res);
	ok(!ret && res.info.start == 0x8080f000 &&
	   words_are(&res, false, 0x8080f000, text, 5),
	   "load address 0x8080f000: %%hi rounds up for a negative %%lo");
	fwimage_result_free(&res);
	free(img);
	eg_free(&eg);
}

static void set_rel(struct elfgen *eg, uint8_t *img, unsigned int sec,
		    unsigned int n, uint32_t off, uint32_t sym, uint32_t type)
{
	eg_put32(eg, img, eg_rel_off(eg, sec, n), off);
	eg_put32(eg, img, eg_rel_off(eg, sec, n) + 4, sym << 8 | type);
}

/* Two HI16 queued before one LO16, with other types in between. */
static void test_hi16_queue(void)
{
	static const uint32_t text[][2] = {
		{ 0x00, 0x3c028080 }, { 0x04, 0x24420050 },
		{ 0x18, 0x3c038080 }, { 0x1c, 0x8c630060 },
	};
	struct fwimage_result res;
	struct elfgen eg;
	uint8_t *img;
	size_t len;
	int ret;

	ti_rel(&eg, true, false);
	img = eg_build(&eg, &len);
	set_rel(&eg, img, TI_RELTEXT, TR_LO_SHARED, 0x18, TS_VPE_SHARED,
		R_MIPS_HI16);
	set_rel(&eg, img, TI_RELTEXT, TR_HI_COUNTER, 0x04, TS_VPE_SHARED,
		R_MIPS_LO16);
	ret = convert(img, len, 0, &res);
	/* 0x18 became %hi(vpe_shared); 0x1c a lone LO16 of counter */
	ok(!ret && words_are(&res, true, 0x80800000, text, 4),
	   "two R_MIPS_HI16 wait for one R_MIPS_LO16 across other types");
	fwimage_result_free(&res);
	free(img);
	eg_free(&eg);
}

/* GPREL16 relative to a _gp the object defines. */
static void test_gprel(void)
{
	struct fwimage_result res;
	struct elfgen eg;
	uint8_t *img;
	size_t len;
	int ret;

	ti_rel(&eg, false, false);
	img = eg_build(&eg, &len);
	memcpy(img + ti_name_off(&eg, TI_STRTAB, TS_LOCAL_FUNC), "_gp", 4);
	set_rel(&eg, img, TI_RELTEXT, TR_HI_SHARED, 0, 0, R_MIPS_NONE);
	set_rel(&eg, img, TI_RELTEXT, TR_LO_SHARED, 0x04, TS_VPE_SHARED,
		R_MIPS_GPREL16);
	ret = convert(img, len, 0, &res);
	/* _gp = local_func = 0x80800020, vpe_shared = 0x80800050 */
	ok(!ret && word_at(&res, false, 0x80800004) == 0x24420030,
	   "R_MIPS_GPREL16 is S + A - _gp");
	fwimage_result_free(&res);
	free(img);
	eg_free(&eg);
}

/* Two __start symbols: the legacy loader used the last one. */
static void test_last_start_wins(void)
{
	struct fwimage_result res;
	struct elfgen eg;
	uint8_t *img;
	size_t len;
	int ret;

	ti_rel(&eg, true, false);
	img = eg_build(&eg, &len);
	memcpy(img + ti_name_off(&eg, TI_STRTAB, TS_FW_REPORT), "__start", 8);
	ret = convert(img, len, 0, &res);
	ok(!ret && res.info.start == 0x80800030 &&
	   eg_get32(&eg, res.image, 24) == 0x80800030,
	   "of two __start symbols the last one is the entry");
	fwimage_result_free(&res);
	free(img);
	eg_free(&eg);
}

/* A failed load leaves nothing behind: the next result is as if first. */
static void test_no_carry_over(void)
{
	struct fwimage_result first, bad, again;
	struct elfgen eg;
	uint8_t *good, *broken;
	size_t len;

	ti_rel(&eg, false, false);
	good = eg_build(&eg, &len);
	broken = malloc(len);
	memcpy(broken, good, len);
	set_rel(&eg, broken, TI_RELTEXT, TR_LO_COUNTER, 0x1c, TS_COUNTER,
		R_MIPS_NONE);
	fwimage_convert(good, len, NULL, &first);
	fwimage_convert(broken, len, NULL, &bad);
	fwimage_convert(good, len, NULL, &again);
	ok(bad.err == ENOEXEC && !first.err && !again.err &&
	   first.image_len == again.image_len &&
	   !memcmp(first.image, again.image, first.image_len),
	   "an unmatched R_MIPS_HI16 does not leak into the next conversion");
	fwimage_result_free(&first);
	fwimage_result_free(&bad);
	fwimage_result_free(&again);
	free(good);
	free(broken);
	eg_free(&eg);
}

static void test_options(void)
{
	static const struct {
		uint32_t load;
		int order;
		const char *what;
	} bad[] = {
		{ 0x00800000, 0, "a load address outside KSEG0" },
		{ 0xa0800000, 0, "a KSEG1 load address" },
		{ 0x80800100, 0, "a load address not 4 KiB aligned" },
		{ 0x80800000, 7, "an unknown byte order" },
	};
	struct fwimage_result res;
	struct fwimage_opts opts;
	struct elfgen eg;
	uint8_t *img;
	size_t len, i;

	ti_rel(&eg, false, false);
	img = eg_build(&eg, &len);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts = (struct fwimage_opts){ .load_addr = bad[i].load,
					      .order = bad[i].order };
		fwimage_convert(img, len, &opts, &res);
		ok(res.err == EINVAL && !res.nlegacy && res.error[0],
		   "EINVAL for %s", bad[i].what);
		fwimage_result_free(&res);
	}
	opts = (struct fwimage_opts){ .order = FWIMAGE_ORDER_MSB };
	fwimage_convert(img, len, &opts, &res);
	ok(res.err == ENOEXEC && has_legacy(&res, "wrong arch"),
	   "a little-endian image for a big-endian remote is refused");
	fwimage_result_free(&res);
	opts = (struct fwimage_opts){ .max_size = (uint32_t)len - 1 };
	fwimage_convert(img, len, &opts, &res);
	ok(res.err == ENOMEM && has_legacy(&res, "elf size too big"),
	   "an image over the maximum size gives ENOMEM");
	fwimage_result_free(&res);
	free(img);
	eg_free(&eg);
}

/* Every proper prefix of a good image fails cleanly. */
static void test_truncations(const char *what, struct elfgen *eg)
{
	struct fwimage_result res;
	size_t len, cut, bad = 0;
	uint8_t *img = eg_build(eg, &len);

	for (cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, img, cut);
		fwimage_convert(copy, cut, NULL, &res);
		if (res.err != ENOEXEC || !res.error[0] || !res.nlegacy) {
			if (!bad++)
				printf("# %zu bytes: err %d %s\n", cut, res.err,
				       res.error);
		}
		fwimage_result_free(&res);
		free(copy);
	}
	ok(!bad, "%s: all %zu truncations fail with ENOEXEC and messages",
	   what, len);
	free(img);
	eg_free(eg);
}

/*
 * fwimage_extent() on every prefix of a good image: never a verdict,
 * always more bytes wanted, until the whole image is there; and trailing
 * bytes (a flash partition's padding) are not wanted.
 */
static void test_extent_prefixes(unsigned int which)
{
	size_t len, cut, need, early = 0, refused = 0;
	struct fwimage_result res;
	const char *name;
	uint8_t *img, *padded;
	bool msb;

	img = ti_synthetic(which, &name, &msb, &len);
	for (cut = 0; cut < len; cut++) {
		int ret = fwimage_extent(img, cut, NULL, &need);

		if (ret && !refused++)
			printf("# %zu bytes: %d\n", cut, ret);
		if (!ret && need <= cut && !early++)
			printf("# %zu bytes: called whole (need %zu)\n", cut, need);
	}
	ok(!refused && !early,
	   "extent: %s: no prefix of its %zu bytes is refused or called whole",
	   name, len);
	ok(fwimage_extent(img, len, NULL, &need) == 0 && need <= len &&
	   fwimage_convert(img, need, NULL, &res) == 0,
	   "extent: %s: whole at %zu bytes, and those bytes convert", name,
	   need);
	fwimage_result_free(&res);
	padded = malloc(len + 4096);
	memcpy(padded, img, len);
	memset(padded + len, 0xff, 4096);
	ok(fwimage_extent(padded, len + 4096, NULL, &need) == 0 && need <= len,
	   "extent: %s: 4 KiB of padding after it are not waited for", name);
	free(padded);
	free(img);
}

/* A header that no later byte can mend: refused as soon as it is there. */
static void test_extent_refusals(void)
{
	static const struct {
		size_t off, cut;
		uint8_t byte;
		int order;
		const char *what;
	} bad[] = {
		{ 0, 4, 'M', 0, "no ELF magic (4 bytes)" },
		{ 1, 2, 'X', 0, "no ELF magic (2 bytes)" },
		{ 4, 20, 2, 0, "ELFCLASS64 (20 bytes)" },
		{ 5, 20, 2, FWIMAGE_ORDER_LSB, "the other byte order (20 bytes)" },
		{ 18, 20, 62, 0, "EM_X86_64 (20 bytes)" },
		{ 16, 20, 3, 0, "ET_DYN (20 bytes)" },
		{ 36, 52, 0x20, 0, "n32 (EF_MIPS_ABI2, 52 bytes)" },
	};
	struct fwimage_opts opts;
	struct fwimage_result res;
	size_t len, need, i;
	const char *name;
	uint8_t *img;
	bool msb;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		img = ti_synthetic(0, &name, &msb, &len);	/* LE object */
		opts = (struct fwimage_opts){ .order = bad[i].order };
		img[bad[i].off] = bad[i].byte;	/* little-endian: the low byte */
		ok(fwimage_extent(img, bad[i].cut, &opts, &need) == -ENOEXEC &&
		   fwimage_convert(img, bad[i].cut, &opts, &res) == -ENOEXEC &&
		   res.error[0] && res.nlegacy,
		   "extent: %s: refused, the conversion says why", bad[i].what);
		fwimage_result_free(&res);
		free(img);
	}
	img = ti_synthetic(0, &name, &msb, &len);
	ok(fwimage_extent(img, 20, NULL, &need) == 0 && need == 52,
	   "extent: a good start of 20 bytes asks for the 52-byte header");
	img[35] = 0x7f;		/* e_shoff 0x7f...: past the largest image */
	ok(fwimage_extent(img, 52, NULL, &need) == 0 && need > 0x7f000000u,
	   "extent: tables past the largest image ask for the bytes (the writes run into the limit)");
	memset(img + 32, 0xff, 4);	/* e_shoff 0xffffffff: past 4 GiB */
	ok(fwimage_extent(img, 52, NULL, &need) == -ENOEXEC &&
	   fwimage_convert(img, 52, NULL, &res) == -ENOEXEC,
	   "extent: tables past 4 GiB are refused at once");
	fwimage_result_free(&res);
	opts = (struct fwimage_opts){ .load_addr = 0x1000 };
	ok(fwimage_extent(img, len, &opts, &need) == -EINVAL,
	   "extent: bad options give EINVAL");
	free(img);
}

int main(void)
{
	unsigned int i;

	struct elfgen eg;

	test_good_rel(false, false);
	test_good_rel(true, false);
	test_good_rel(false, true);
	test_good_rel(true, true);
	test_good_exec(false);
	test_good_exec(true);
	test_load_addr_carry();
	test_hi16_queue();
	test_gprel();
	test_last_start_wins();
	test_no_carry_over();
	test_options();
	ti_rel(&eg, false, false);
	test_truncations("little-endian object", &eg);
	ti_rel(&eg, true, true);
	test_truncations("big-endian RELA object", &eg);
	ti_exec(&eg, true);
	test_truncations("big-endian executable", &eg);
	for (i = 0; i < TI_SYNTHETICS; i++)
		test_extent_prefixes(i);
	test_extent_refusals();
	return done();
}
