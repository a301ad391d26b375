// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-seeds: the seed corpora of the fuzz targets, written at build time
 * (nothing binary is kept in the tree).
 *
 *   fuzz-seeds DIR [IMAGE...]
 *
 * DIR/fwimage/: the synthetic images of testimg.c and each IMAGE (the
 * firmware fixtures), behind fuzz-fwimage's option bytes.
 * DIR/rtlx/: valid RTLX structures (fuzz-rtlx.h) in both layouts and byte
 * orders, rings of several sizes holding data, indices wrapped, with
 * operation sequences that open, read, write across the rings' ends, poll,
 * release, stop and start, so that the fuzzer starts from inputs that get
 * past attach instead of from the first id check.
 * DIR/kspd/: request streams (fuzz-kspd.c) in both byte orders: a file
 * created, written, read back and closed, the time, paths that try to
 * climb out, an oversized argument block, unknown and refused calls.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz-rtlx.h"
#include "legacy.h"
#include "testimg.h"

#define WIN_SIZE	4096u
#define WIN_BASE	1		/* fz_bases[1] */
#define SHARED_OFF	0x40u
#define INFO_OFF	0x100u
#define RINGS_OFF	0x400u

static int failures;

static void write_file(const char *dir, const char *name,
		       const uint8_t *pre, size_t npre,
		       const uint8_t *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(pre, 1, npre, f) != npre ||
	    fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		failures++;
	}
}

/* ---- fwimage ---------------------------------------------------------- */

static void fwimage_seed(const char *dir, const char *name,
			 const uint8_t *img, size_t len, bool msb)
{
	/* defaults; then the remote's order given, and a load address */
	const uint8_t plain[3] = { 0, 0, 0 };
	const uint8_t given[3] = { msb ? 2 : 1, 2, 4 };
	char n[256];

	snprintf(n, sizeof(n), "%s.bin", name);
	write_file(dir, n, plain, 3, img, len);
	snprintf(n, sizeof(n), "%s-opts.bin", name);
	write_file(dir, n, given, 3, img, len);
}

static void fwimage_synthetic(const char *dir)
{
	const char *name;
	unsigned int i;
	uint8_t *img;
	size_t len;
	bool msb;

	for (i = 0; i < TI_SYNTHETICS; i++) {
		img = ti_synthetic(i, &name, &msb, &len);
		fwimage_seed(dir, name, img, len, msb);
		free(img);
	}
}

static void fwimage_fixture(const char *dir, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	uint8_t *img;
	long len;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		failures++;
		return;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	img = malloc(len > 0 ? (size_t)len : 1);
	if (len > 0 && fread(img, 1, (size_t)len, f) == (size_t)len)
		fwimage_seed(dir, base, img, (size_t)len, len > 5 && img[5] == 2);
	else
		failures++;
	free(img);
	fclose(f);
}

/* ---- rtlx ------------------------------------------------------------- */

struct seed {
	uint8_t win[WIN_SIZE];
	unsigned int nops;
	bool big;
	int layout;		/* of the structure */
	int option;		/* what rtlx is told: 0 (detect), 296, 300 */
	uint8_t ops[FZ_OP_SIZE * FZ_MAX_OPS];
};

static void put32(struct seed *s, size_t off, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		s->win[off + i] = (uint8_t)(v >> (8 * (s->big ? 3 - i : i)));
}

static uint32_t addr(size_t off)
{
	return LEGACY_KSEG0 | (fz_bases[WIN_BASE] + (uint32_t)off);
}

static size_t chan_off(const struct seed *s, int ch)
{
	return INFO_OFF + (s->layout == 300 ? 12 : 8) + 36 * ch;
}

static void op(struct seed *s, enum fz_op what, int ch, bool nonblock,
	       uint8_t arg8, uint16_t arg16)
{
	uint8_t *p = s->ops + FZ_OP_SIZE * s->nops;

	if (s->nops == FZ_MAX_OPS)
		return;
	p[0] = (uint8_t)(what | ch << 4 | (nonblock ? FZ_NONBLOCK : 0));
	p[1] = arg8;
	p[2] = (uint8_t)arg16;
	p[3] = (uint8_t)(arg16 >> 8);
	s->nops++;
}

/*
 * A structure of @layout in @big order, every channel with rings of
 * @ring bytes; channel ch's remote -> Linux ring holds data, both rings'
 * indices start at @at (so that the first copies wrap).
 */
static void structure(struct seed *s, int layout, bool big, uint32_t ring,
		      uint32_t at)
{
	size_t c, rt, lx, i;
	int ch;

	memset(s, 0, sizeof(*s));
	s->big = big;
	s->layout = layout;
	put32(s, SHARED_OFF, addr(INFO_OFF));
	put32(s, INFO_OFF, RTLX_ID);
	put32(s, INFO_OFF + 4, 1);
	for (ch = 0; ch < RTLX_CHANNELS; ch++) {
		c = chan_off(s, ch);
		rt = RINGS_OFF + 2 * ch * ring;
		lx = rt + ring;
		put32(s, c + 0, 2);			/* REMOTE_READY */
		put32(s, c + 8, ring);
		put32(s, c + 12, at % ring);		/* rt_write */
		put32(s, c + 16, at % ring);		/* rt_read */
		put32(s, c + 20, addr(rt));
		put32(s, c + 24, (at + ring / 2) % ring);	/* lx_write */
		put32(s, c + 28, at % ring);		/* lx_read */
		put32(s, c + 32, addr(lx));
		for (i = 0; i < ring; i++)
			s->win[lx + i] = (uint8_t)('a' + (i + ch) % 26);
	}
}

static void rtlx_write_seed(const char *dir, const char *name,
			    struct seed *s)
{
	uint8_t head[FZ_HEADER] = {
		(uint8_t)((s->big ? FZ_BIG : 0) | FZ_LAYOUT(s->option) |
			  FZ_BASE(WIN_BASE)),
		(uint8_t)SHARED_OFF, 0, (uint8_t)s->nops,
	};
	uint8_t *all = malloc(FZ_OP_SIZE * s->nops + WIN_SIZE);

	memcpy(all, s->ops, FZ_OP_SIZE * s->nops);
	memcpy(all + FZ_OP_SIZE * s->nops, s->win, WIN_SIZE);
	write_file(dir, name, head, sizeof(head), all,
		   FZ_OP_SIZE * s->nops + WIN_SIZE);
	free(all);
}

/* Data both ways on channel @ch, across the rings' ends, then close. */
static void talk(struct seed *s, int ch, uint32_t ring)
{
	op(s, FZ_OPEN, ch, true, 0, 0);
	op(s, FZ_POLL, ch, false, 0, 0);
	op(s, FZ_READ, ch, false, 0, (uint16_t)(ring / 4));
	op(s, FZ_READ, ch, false, 0, (uint16_t)ring);
	op(s, FZ_WRITE, ch, false, 0, (uint16_t)(ring - 2));
	op(s, FZ_POLL, ch, false, 0, 0);
	op(s, FZ_WRITE, ch, false, 0, 3);
	op(s, FZ_RELEASE, ch, false, 0, 0);
}

static void rtlx_seeds(const char *dir)
{
	static const uint32_t rings[] = { 2, 16, 64, 128 };
	static const int layouts[] = { 296, 300 };
	struct seed s;
	char name[64];
	unsigned int l, b, r;
	int ch;

	for (l = 0; l < 2; l++)
		for (b = 0; b < 2; b++)
			for (r = 0; r < sizeof(rings) / sizeof(rings[0]); r++) {
				structure(&s, layouts[l], b, rings[r], rings[r] - 3);
				s.option = r % 2 ? layouts[l] : 0;
				talk(&s, r * 2 % RTLX_CHANNELS, rings[r]);
				op(&s, FZ_STOP, 0, false, 0, 0);
				op(&s, FZ_READ, 0, false, 0, 8);
				op(&s, FZ_WRITE, 0, false, 0, 8);
				op(&s, FZ_OPEN, 1, false, 0, 0);
				op(&s, FZ_START, 0, false, l, 0);
				op(&s, FZ_OPEN_RETRY, 1, false, 0, 0);
				op(&s, FZ_POKE, 0, false, 1,
				   (uint16_t)((chan_off(&s, 1) + 28) / 4));
				op(&s, FZ_READ, 1, false, 0, 100);
				op(&s, FZ_POLL, 1, false, 0, 0);
				op(&s, FZ_LOST, 0, false, 0, 0);
				op(&s, FZ_READ, 1, false, 0, 100);
				snprintf(name, sizeof(name), "talk-%d-%s-%u.bin",
					 layouts[l], b ? "eb" : "el", rings[r]);
				rtlx_write_seed(dir, name, &s);
			}
	/* every channel, and a layout option that misreads the structure */
	for (l = 0; l < 2; l++) {
		structure(&s, layouts[l], l, 64, 60);
		s.option = layouts[l];
		for (ch = 0; ch < RTLX_CHANNELS; ch++) {
			op(&s, FZ_OPEN, ch, false, 0, 0);
			op(&s, FZ_READ, ch, false, 0, 40);
			op(&s, FZ_WRITE, ch, false, 0, 70);
			op(&s, FZ_POLL, ch, false, 0, 0);
		}
		snprintf(name, sizeof(name), "all-%d.bin", layouts[l]);
		rtlx_write_seed(dir, name, &s);
		s.option = layouts[1 - l];
		snprintf(name, sizeof(name), "misread-%d.bin", layouts[l]);
		rtlx_write_seed(dir, name, &s);
	}
}

/* ---- kspd ------------------------------------------------------------- */

#define KSPD_WIN	0x80800000u	/* fuzz-kspd.c's window, KSEG0 */

struct kseed {
	uint8_t req[2048];
	size_t nreq;
	uint8_t win[1024];
	bool big;
};

static void kput32(uint8_t *p, uint32_t v, bool big)
{
	int i;

	for (i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* One request: @cmd with @nargs words, and @extra bytes of argument more. */
static void kreq(struct kseed *s, int32_t cmd, int nargs, const uint32_t *args,
		 int extra)
{
	uint8_t *p = s->req + s->nreq;
	int i;

	memset(p, 0, 8 + 4 * nargs + extra);
	kput32(p, (uint32_t)cmd, s->big);
	p[5] = (uint8_t)(4 * nargs + extra);
	for (i = 0; i < nargs; i++)
		kput32(p + 8 + 4 * i, args[i], s->big);
	s->nreq += 8 + 4 * nargs + extra;
}

static void kstr(struct kseed *s, uint32_t off, const char *str)
{
	memcpy(s->win + off, str, strlen(str) + 1);
}

static void kspd_write_seed(const char *dir, const char *name,
			    const struct kseed *s)
{
	uint8_t pre[3] = { s->big, (uint8_t)s->nreq, (uint8_t)(s->nreq >> 8) };
	uint8_t all[sizeof(s->req) + sizeof(s->win)];

	memcpy(all, s->req, s->nreq);
	memcpy(all + s->nreq, s->win, sizeof(s->win));
	write_file(dir, name, pre, sizeof(pre), all, s->nreq + sizeof(s->win));
}

static void kspd_seeds(const char *dir)
{
	const uint32_t path = KSPD_WIN + 0x100, data = KSPD_WIN + 0x200;
	const uint32_t buf = KSPD_WIN + 0x300, up = KSPD_WIN + 0x140;
	struct kseed s;
	char name[64];
	int big;

	for (big = 0; big < 2; big++) {
		memset(&s, 0, sizeof(s));
		s.big = big;
		kstr(&s, 0x100, "sub/f.txt");
		kstr(&s, 0x140, "up/out/x");
		kstr(&s, 0x200, "hello");
		kreq(&s, 1, 3, (const uint32_t[]){ path, 0x601, 0644 }, 0);
		kreq(&s, 3, 3, (const uint32_t[]){ 3, data, 5 }, 0);
		kreq(&s, 5, 3, (const uint32_t[]){ 3, 1, 0 }, 0);
		kreq(&s, 2, 3, (const uint32_t[]){ 3, buf, 64 }, 0);
		kreq(&s, 4, 1, (const uint32_t[]){ 3 }, 0);
		kreq(&s, 4005, 3, (const uint32_t[]){ path, 0x0002, 0 }, 0);
		kreq(&s, 4019, 3, (const uint32_t[]){ 3, 2, 0 }, 0);
		kreq(&s, 4078, 2, (const uint32_t[]){ buf, 0 }, 0);
		kreq(&s, 9, 0, NULL, 0);
		kreq(&s, 0, 1, (const uint32_t[]){ 0 }, 0);
		snprintf(name, sizeof(name), "files-%s.bin", big ? "eb" : "el");
		kspd_write_seed(dir, name, &s);

		memset(&s, 0, sizeof(s));
		s.big = big;
		kstr(&s, 0x140, "up/out/x");
		kstr(&s, 0x100, "../../x");
		kreq(&s, 1, 3, (const uint32_t[]){ up, 0x201, 0644 }, 0);
		kreq(&s, 1, 3, (const uint32_t[]){ path, 0x201, 0644 }, 0);
		kreq(&s, 1, 3, (const uint32_t[]){ 0x1000, 0, 0 }, 0);
		kreq(&s, 3, 3, (const uint32_t[]){ 3, KSPD_WIN + 0xff0, 64 }, 0);
		kreq(&s, 10, 3, (const uint32_t[]){ 3, 0x5401, buf }, 0);
		kreq(&s, 4020, 0, NULL, 0);
		kreq(&s, 6, 1, (const uint32_t[]){ 1 }, 0);
		kreq(&s, 77, 7, (const uint32_t[]){ 1, 2, 3, 4, 5, 6, 7 }, 200);
		kreq(&s, 8, 0, NULL, 0);
		snprintf(name, sizeof(name), "hostile-%s.bin", big ? "eb" : "el");
		kspd_write_seed(dir, name, &s);
	}
}

static void make_dir(const char *dir, const char *sub, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", dir, sub);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char path[4096];
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: fuzz-seeds DIR [IMAGE...]\n");
		return 2;
	}
	make_dir(argv[1], "fwimage", path, sizeof(path));
	fwimage_synthetic(path);
	for (i = 2; i < argc; i++)
		fwimage_fixture(path, argv[i]);
	make_dir(argv[1], "rtlx", path, sizeof(path));
	rtlx_seeds(path);
	make_dir(argv[1], "kspd", path, sizeof(path));
	kspd_seeds(path);
	return failures ? 1 : 0;
}
