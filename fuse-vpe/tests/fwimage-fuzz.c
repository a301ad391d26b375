// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage-fuzz: a bounded, reproducible random-mutation run. Mutated
 * copies of the given images (and of the synthetic testimg images) go
 * through fwimage_convert(); every result must be a success whose output
 * passes remoteproc's checks, or ENOEXEC/ENOMEM with an error line. Meant
 * to run under ASan/UBSan, which turn any out-of-bounds read into a crash.
 *
 *   fwimage-fuzz [--seed N] [--count N] [--save DIR] [FILE...]
 *
 * Prints one TAP line per input; a failing case is written to DIR (if
 * given) as fuzz-SEED-ITERATION.img for replay.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwimage.h"
#include "rproc-elf.h"
#include "testimg.h"

#define MAX_INPUTS	64
#define MAX_INPUT_SIZE	(1u << 20)	/* bigger fixtures: too slow here */

struct input {
	char name[64];
	uint8_t *data;
	size_t len;
	size_t shoff, phoff;		/* header tables, to aim mutations */
	unsigned int shnum;
};

struct stats {
	unsigned long ok, noexec, nomem, bad;
};

static uint64_t rng_state;

/* xorshift64*: reproducible from the seed on every host */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static uint32_t get32(const struct input *in, size_t off)
{
	const uint8_t *p = in->data + off;

	if (in->len < off + 4)
		return 0;
	if (in->len > 5 && in->data[5] == 2)
		return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | p[2] << 16 | p[1] << 8 | p[0];
}

static uint32_t get16(const struct input *in, size_t off)
{
	const uint8_t *p = in->data + off;

	if (in->len < off + 2)
		return 0;
	if (in->len > 5 && in->data[5] == 2)
		return (uint32_t)p[0] << 8 | p[1];
	return (uint32_t)p[1] << 8 | p[0];
}

static void put32(uint8_t *p, size_t len, size_t off, uint32_t v, bool msb)
{
	int i;

	for (i = 0; i < 4 && off + i < len; i++)
		p[off + i] = (uint8_t)(v >> (8 * (msb ? 3 - i : i)));
}

/* Values that sit on the edges of the checks. */
static uint32_t interesting(size_t len)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 0x10, 0x28, 0xff, 0xffff, 0x7fff, 0x8000,
		0xff00, 0xfff1, 0xfff2, 0xff03, 0x1000, 0x7fffffff,
		0x80000000, 0x80800000, 0x9ffff000, 0xa0000000, 0xfffffff0,
		0xffffffff,
	};
	size_t k = below(sizeof(v) / sizeof(v[0]) + 3);

	if (k == sizeof(v) / sizeof(v[0]))
		return (uint32_t)len;
	if (k == sizeof(v) / sizeof(v[0]) + 1)
		return (uint32_t)len + 1;
	if (k == sizeof(v) / sizeof(v[0]) + 2)
		return (uint32_t)len - 4;
	return v[k];
}

/* The start of a random section's contents in the original image. */
static size_t section_start(const struct input *in)
{
	size_t sh;

	if (!in->shnum)
		return 0;
	sh = in->shoff + 40 * below(in->shnum);
	return get32(in, sh + 16) + (below(256) & ~(size_t)3);
}

/*
 * A word offset, aimed most of the time: the ELF header, the section
 * header table, the program headers, or the first words of a section
 * (symbols, relocations, string tables).
 */
static size_t aim(const struct input *in, size_t len)
{
	size_t off = len;

	switch (below(5)) {
	case 0:
		off = below(52) & ~(size_t)3;
		break;
	case 1:
		off = in->shoff + (below((size_t)in->shnum * 40) & ~(size_t)3);
		break;
	case 2:
		off = in->phoff + (below(64) & ~(size_t)3);
		break;
	case 3:
		off = section_start(in);
		break;
	}
	return off < len ? off : below(len) & ~(size_t)3;
}

static size_t mutate(const struct input *in, uint8_t *p, size_t len)
{
	bool msb = len > 5 && p[5] == 2;
	int n = 1 + (int)below(4), i;

	for (i = 0; i < n && len; i++) {
		switch (below(10)) {
		case 0:
			len = below(len);		/* truncate */
			break;
		case 1:
		case 2:
			p[below(len)] ^= (uint8_t)(1u << below(8));
			break;
		case 3:
			p[below(len)] = (uint8_t)rnd();
			break;
		default:
			put32(p, len, aim(in, len), interesting(len), msb);
			break;
		}
	}
	return len;
}

static void save(const char *dir, unsigned long seed, unsigned long iter,
		 const uint8_t *p, size_t len)
{
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/fuzz-%lu-%lu.img", dir, seed, iter);
	f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(p, 1, len, f);
	fclose(f);
	printf("# saved %s\n", path);
}

/* One mutated image: false if the result breaks the contract. */
static bool one(const uint8_t *p, size_t len, struct stats *st)
{
	struct fwimage_result res;
	struct rproc_elf_report rep;
	char why[256];
	bool good = true;

	fwimage_convert(p, len, NULL, &res);
	switch (res.err) {
	case 0:
		st->ok++;
		if (rproc_elf_check(res.image, res.image_len, 0, &rep, why,
				    sizeof(why))) {
			printf("# converted, but remoteproc would refuse it: %s\n",
			       why);
			good = false;
		}
		break;
	case ENOEXEC:
		st->noexec++;
		good = res.error[0] && res.nlegacy;
		break;
	case ENOMEM:
		st->nomem++;
		good = res.error[0];
		break;
	default:
		good = false;
		break;
	}
	if (!good) {
		printf("# err %d: %s\n", res.err, res.error);
		st->bad++;
	}
	fwimage_result_free(&res);
	return good;
}

static bool load_file(const char *path, struct input *in)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	if (size < 0 || (unsigned long)size > MAX_INPUT_SIZE) {
		fclose(f);
		return false;
	}
	in->data = malloc((size_t)size + 1);
	in->len = fread(in->data, 1, (size_t)size, f);
	fclose(f);
	snprintf(in->name, sizeof(in->name), "%s",
		 strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	return true;
}

static void add_synthetic(struct input *in, int *n)
{
	const char *name;
	unsigned int i;
	bool msb;

	for (i = 0; i < TI_SYNTHETICS && *n < MAX_INPUTS; i++, (*n)++) {
		in[*n].data = ti_synthetic(i, &name, &msb, &in[*n].len);
		snprintf(in[*n].name, sizeof(in[*n].name), "%s", name);
	}
}

int main(int argc, char **argv)
{
	static struct input in[MAX_INPUTS];
	unsigned long seed = 1, count = 2000, iter, per;
	const char *save_dir = NULL;
	int n = 0, i, t, failed = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--save") && i + 1 < argc)
			save_dir = argv[++i];
		else if (n < MAX_INPUTS && load_file(argv[i], &in[n]))
			n++;
		else
			printf("# skipped %s (unreadable or over 1 MiB)\n", argv[i]);
	}
	add_synthetic(in, &n);
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	per = (count + (unsigned long)n - 1) / (unsigned long)n;
	for (t = 0; t < n; t++) {
		struct stats st = { 0 };
		uint8_t *copy = malloc(in[t].len + 1);

		in[t].shoff = get32(&in[t], 32);
		in[t].phoff = get32(&in[t], 28);
		in[t].shnum = get16(&in[t], 48);
		for (iter = 0; iter < per; iter++) {
			size_t len;

			memcpy(copy, in[t].data, in[t].len);
			len = mutate(&in[t], copy, in[t].len);
			if (!one(copy, len, &st))
				save(save_dir, seed, (unsigned long)t * per + iter,
				     copy, len);
		}
		printf("%sok %d - %s: %lu mutations: %lu converted, %lu ENOEXEC, %lu ENOMEM, %lu broke the contract\n",
		       st.bad ? "not " : "", t + 1, in[t].name, per, st.ok,
		       st.noexec, st.nomem, st.bad);
		failed += st.bad != 0;
		free(copy);
		free(in[t].data);
	}
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
