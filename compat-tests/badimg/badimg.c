// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * badimg: write the malformed (and a few good) legacy firmware images that
 * cases.txt lists, each as DIR/NAME.img. Built from scratch with elfgen on
 * the synthetic images of fuse-vpe/tests/testimg.c, so every byte that is
 * broken is known and no cross compiler is needed.
 *
 *   badimg DIR [NAME...]   write all images (or the named ones) into DIR
 *   badimg --list          the names, one a line
 *
 * cases.txt says what each one must give; this file only says how to make
 * it. Keep the two in step: the test compares the lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfgen.h"
#include "testimg.h"

#define SHT_PROGBITS	1
#define SHN_ABS		0xfff1

#define R_MIPS_NONE	0
#define R_MIPS_32	2
#define R_MIPS_HI16	5
#define R_MIPS_LO16	6
#define R_MIPS_GPREL16	7
#define R_MIPS_PC16	10

/* An image being made: the builder (for offsets) and the bytes. */
struct img {
	struct elfgen eg;
	uint8_t *p;
	size_t len;
};

enum base { NONE, REL, RELA, EXEC, EXEC_PHDRS_LAST };

struct bad_case {
	const char *name;
	enum base base;
	bool msb;
	void (*patch)(struct img *im);
};

/* --- field patching ------------------------------------------------------- */

static void ehdr16(struct img *im, size_t off, uint16_t v)
{
	eg_put16(&im->eg, im->p, off, v);
}

static void ehdr32(struct img *im, size_t off, uint32_t v)
{
	eg_put32(&im->eg, im->p, off, v);
}

static void shdr(struct img *im, unsigned int sec, int field, uint32_t v)
{
	eg_put32(&im->eg, im->p, eg_shdr_field(&im->eg, sec, field), v);
}

static void phdr(struct img *im, unsigned int n, int field, uint32_t v)
{
	eg_put32(&im->eg, im->p, eg_phdr_field(&im->eg, n, field), v);
}

static unsigned int symtab_of(const struct img *im)
{
	return im->eg.type == 1 ? TI_SYMTAB : TX_SYMTAB;
}

static void sym_value(struct img *im, unsigned int sym, uint32_t v)
{
	eg_put32(&im->eg, im->p, eg_sym_off(&im->eg, symtab_of(im), sym) + 4, v);
}

static void sym_name(struct img *im, unsigned int sym, uint32_t v)
{
	eg_put32(&im->eg, im->p, eg_sym_off(&im->eg, symtab_of(im), sym), v);
}

static void sym_shndx(struct img *im, unsigned int sym, uint16_t v)
{
	eg_put16(&im->eg, im->p, eg_sym_off(&im->eg, symtab_of(im), sym) + 14,
		 v);
}

/* Overwrite a symbol's name in the string table (no longer than it was). */
static void rename_sym(struct img *im, unsigned int sym, const char *name)
{
	unsigned int strtab = im->eg.type == 1 ? TI_STRTAB : TX_STRTAB;

	memcpy(im->p + ti_name_off(&im->eg, strtab, sym), name,
	       strlen(name) + 1);
}

static void rel(struct img *im, unsigned int sec, unsigned int n,
		uint32_t off, uint32_t sym, uint32_t type)
{
	size_t at = eg_rel_off(&im->eg, sec, n);

	eg_put32(&im->eg, im->p, at, off);
	eg_put32(&im->eg, im->p, at + 4, sym << 8 | type);
}

/* Keep the entry, change only its type. */
static void rel_type(struct img *im, unsigned int sec, unsigned int n,
		     uint32_t type)
{
	size_t at = eg_rel_off(&im->eg, sec, n) + 4;
	uint32_t info = eg_get32(&im->eg, im->p, at);

	eg_put32(&im->eg, im->p, at, (info & ~0xffu) | type);
}

static void rel_sym(struct img *im, unsigned int sec, unsigned int n,
		    uint32_t sym)
{
	size_t at = eg_rel_off(&im->eg, sec, n) + 4;
	uint32_t info = eg_get32(&im->eg, im->p, at);

	eg_put32(&im->eg, im->p, at, sym << 8 | (info & 0xff));
}

static void cut(struct img *im, size_t len)
{
	if (len < im->len)
		im->len = len;
}

/* --- images not built on a base ------------------------------------------- */

static void set_bytes(struct img *im, const void *p, size_t len)
{
	im->p = realloc(im->p, len ? len : 1);
	memcpy(im->p, p, len);
	im->len = len;
}

static void empty(struct img *im)
{
	set_bytes(im, "", 0);
}

static void short3(struct img *im)
{
	set_bytes(im, "\x7f" "EL", 3);
}


static void not_elf(struct img *im)
{
	static const char script[] = "#!/bin/sh\necho this is no firmware\n";

	set_bytes(im, script, sizeof(script) - 1);
}

/* An ELF64 header alone (64 bytes): what a 64-bit toolchain makes. */
static void elf64(struct img *im, uint16_t machine)
{
	uint8_t h[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

	h[16] = 2;			/* ET_EXEC */
	h[18] = (uint8_t)machine;
	h[20] = 1;
	h[52] = 64;			/* e_ehsize */
	h[54] = 56;
	h[58] = 64;
	set_bytes(im, h, sizeof(h));
}

static void elf64_mips(struct img *im)
{
	elf64(im, 8);
}

static void x86_64(struct img *im)
{
	elf64(im, 62);
}


static void i386(struct img *im)
{
	uint8_t h[52] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };

	h[16] = 2;
	h[18] = 3;			/* EM_386 */
	h[20] = 1;
	h[40] = 52;
	h[42] = 32;
	h[46] = 40;
	set_bytes(im, h, sizeof(h));
}

/* --- header --------------------------------------------------------------- */

static void n32(struct img *im)
{
	ehdr32(im, 36, 0x70001021);
}

static void abi_o64(struct img *im)
{
	ehdr32(im, 36, 0x70002001);
}

static void et_dyn(struct img *im)
{
	ehdr16(im, 16, 3);
}

static void et_core(struct img *im)
{
	ehdr16(im, 16, 4);
}

static void bad_eidata(struct img *im)
{
	im->p[5] = 0;
}

static void bad_shentsize(struct img *im)
{
	ehdr16(im, 46, 64);
}

static void trunc_ident(struct img *im)
{
	cut(im, 12);
}

static void trunc_ehdr(struct img *im)
{
	cut(im, 40);
}

static void trunc_shdrs(struct img *im)
{
	cut(im, im->eg.shoff + 3 * 40 + 7);
}

static void shoff_overflow(struct img *im)
{
	ehdr32(im, 32, 0xffffffe0);
}

static void shnum_huge(struct img *im)
{
	ehdr16(im, 48, 0xffff);
}

static void shstrndx_range(struct img *im)
{
	ehdr16(im, 50, 99);
}


/* --- sections ------------------------------------------------------------- */

static void trunc_rel(struct img *im)
{
	cut(im, im->eg.sec[TI_RELTEXT].offset + 5);
}

static void trunc_symtab(struct img *im)
{
	cut(im, im->eg.sec[symtab_of(im)].offset + 20);
}

static void trunc_strtab(struct img *im)
{
	cut(im, im->eg.sec[TI_STRTAB].offset + 3);
}

static void section_beyond(struct img *im)
{
	shdr(im, TI_DATA, SH_OFFSET, (uint32_t)im->len + 0x100);
}

static void section_size_wrap(struct img *im)
{
	shdr(im, TI_DATA, SH_SIZE, 0xfffffff0);
}

static void symtab_link_range(struct img *im)
{
	shdr(im, TI_SYMTAB, SH_LINK, 99);
}

static void align_not_pow2(struct img *im)
{
	shdr(im, TI_TEXT, SH_ADDRALIGN, 3);
}

static void align_too_big(struct img *im)
{
	shdr(im, TI_TEXT, SH_ADDRALIGN, 0x10000000);
}

static void bss_too_big(struct img *im)
{
	shdr(im, TI_BSS, SH_SIZE, 0x08000000);
}

static void bss_past_kseg0(struct img *im)
{
	shdr(im, TI_BSS, SH_SIZE, 0x1f800000);
}

static void rel_no_symtab(struct img *im)
{
	shdr(im, TI_SYMTAB, SH_TYPE, SHT_PROGBITS);
}

static void exec_no_symtab(struct img *im)
{
	shdr(im, TX_SYMTAB, SH_TYPE, SHT_PROGBITS);
}


static void no_sections(struct img *im)
{
	ehdr16(im, 48, 0);
	ehdr16(im, 50, 0);
}

/* --- symbols -------------------------------------------------------------- */

static void symname_range(struct img *im)
{
	sym_name(im, TS_START, 0x7fffffff);
}

static void sym_shndx_range(struct img *im)
{
	sym_shndx(im, TS_VPE_SHARED, 0x50);
}

static void sym_shndx_reserved(struct img *im)
{
	sym_shndx(im, TS_VPE_SHARED, 0xff01);
}

static void common_bad_align(struct img *im)
{
	sym_value(im, TS_COMMON, 3);
}

static void no_start(struct img *im)
{
	rename_sym(im, TS_START, "__sTart");
}

static void no_vpe_shared(struct img *im)
{
	rename_sym(im, TS_VPE_SHARED, "vpe_sharex");
}


static void strtab_unterminated(struct img *im)
{
	const struct eg_section *s = &im->eg.sec[TI_STRTAB];

	im->p[s->offset + s->size - 1] = 'x';
}

static void start_undef(struct img *im)
{
	sym_shndx(im, TS_START, 0);
	sym_value(im, TS_START, 0);
}

/* In the executable, __start is symbol 1. */
static void start_outside(struct img *im)
{
	sym_value(im, 1, 0x80900000);
}


/* --- relocations ---------------------------------------------------------- */

static void bad_reltype(struct img *im)
{
	rel_type(im, TI_RELTEXT, TR_B_REPORT, 37);
}

static void reltype_16(struct img *im)
{
	rel_type(im, TI_RELTEXT, TR_B_REPORT, 1);
}

static void hi16_no_lo16(struct img *im)
{
	rel_type(im, TI_RELTEXT, TR_LO_COUNTER, R_MIPS_NONE);
}

static void hi16_lo16_mismatch(struct img *im)
{
	rel_sym(im, TI_RELTEXT, TR_LO_SHARED, TS_COUNTER);
}

static void sym_index_range(struct img *im)
{
	rel_sym(im, TI_RELDATA, TD_START, 999);
}

static void rel_offset_range(struct img *im)
{
	rel(im, TI_RELDATA, TD_START, 0x100, TS_START, R_MIPS_32);
}

static void rel_target_nobits(struct img *im)
{
	shdr(im, TI_RELDATA, SH_INFO, TI_BSS);
}

static void rel_info_range(struct img *im)
{
	shdr(im, TI_RELDATA, SH_INFO, 99);
}

static void gprel_no_gp(struct img *im)
{
	rel_type(im, TI_RELTEXT, TR_LO_SHARED, R_MIPS_GPREL16);
}

static void rela_bad_type(struct img *im)
{
	rel_type(im, TI_RELTEXT, TR_LO_SHARED, 37);
}

static void rela_pc16(struct img *im)
{
	rel(im, TI_RELTEXT, TR_B_REPORT, 0x10, TS_FW_REPORT, R_MIPS_PC16);
}

static void weak_undef(struct img *im)
{
	rel_sym(im, TI_RELTEXT, TR_JAL_LOCAL, TS_WEAK);
}


static void rela_undef(struct img *im)
{
	sym_shndx(im, TS_COUNTER, 0);
	sym_value(im, TS_COUNTER, 0);
}

static void r26_unaligned(struct img *im)
{
	rel_sym(im, TI_RELTEXT, TR_JAL_LOCAL, TS_LOCAL_FUNC);
	sym_value(im, TS_LOCAL_FUNC, 0x22);
}

/* fw_report moved far away: a branch to it can't reach. */
static void far_report(struct img *im)
{
	sym_shndx(im, TS_FW_REPORT, SHN_ABS);
	sym_value(im, TS_FW_REPORT, 0x90000000);
}

static void gprel_range(struct img *im)
{
	far_report(im);
	rename_sym(im, TS_LOCAL_FUNC, "_gp");
	rel(im, TI_RELTEXT, TR_HI_SHARED, 0, 0, R_MIPS_NONE);
	rel(im, TI_RELTEXT, TR_LO_SHARED, 0x04, TS_FW_REPORT, R_MIPS_GPREL16);
}

static void gprel_good(struct img *im)
{
	rename_sym(im, TS_LOCAL_FUNC, "_gp");
	rel(im, TI_RELTEXT, TR_HI_SHARED, 0, 0, R_MIPS_NONE);
	rel_type(im, TI_RELTEXT, TR_LO_SHARED, R_MIPS_GPREL16);
}

static void hi16_queue(struct img *im)
{
	rel(im, TI_RELTEXT, TR_LO_SHARED, 0x18, TS_VPE_SHARED, R_MIPS_HI16);
	rel(im, TI_RELTEXT, TR_HI_COUNTER, 0x04, TS_VPE_SHARED, R_MIPS_LO16);
}

/* --- executables ---------------------------------------------------------- */

static void exec_trunc_phdrs(struct img *im)
{
	cut(im, im->eg.phoff + 40);
}

static void exec_phoff_range(struct img *im)
{
	ehdr32(im, 28, 0xfffffff0);
}

static void exec_kuseg(struct img *im)
{
	phdr(im, 0, PH_PADDR, 0x00400000);
}

static void exec_overlap(struct img *im)
{
	phdr(im, 1, PH_PADDR, 0x80800020);
}

static void exec_filesz(struct img *im)
{
	phdr(im, 0, PH_FILESZ, 0x44);
}

static void exec_kseg_end(struct img *im)
{
	phdr(im, 1, PH_PADDR, 0x9ffffff0);
}


static void exec_segment_beyond(struct img *im)
{
	phdr(im, 1, PH_FILESZ, 0x100000);
	phdr(im, 1, PH_MEMSZ, 0x100000);
}

static void keep(struct img *im)
{
	(void)im;
}


static const struct bad_case cases[] = {
	{ "empty", NONE, false, empty },
	{ "short-3", NONE, false, short3 },
	{ "not-elf", NONE, false, not_elf },
	{ "elf64-mips", NONE, false, elf64_mips },
	{ "x86-64", NONE, false, x86_64 },
	{ "i386", NONE, false, i386 },
	{ "n32", REL, false, n32 },
	{ "n32-eb", REL, true, n32 },
	{ "abi-o64", REL, false, abi_o64 },
	{ "et-dyn", REL, false, et_dyn },
	{ "et-core", EXEC, false, et_core },
	{ "bad-eidata", REL, false, bad_eidata },
	{ "bad-shentsize", REL, false, bad_shentsize },
	{ "trunc-ident", REL, false, trunc_ident },
	{ "trunc-ehdr", REL, false, trunc_ehdr },
	{ "trunc-shdrs", REL, false, trunc_shdrs },
	{ "trunc-shdrs-eb", EXEC, true, trunc_shdrs },
	{ "shoff-overflow", REL, false, shoff_overflow },
	{ "shnum-huge", REL, false, shnum_huge },
	{ "trunc-rel", REL, false, trunc_rel },
	{ "trunc-symtab", REL, false, trunc_symtab },
	{ "trunc-strtab", REL, true, trunc_strtab },
	{ "section-beyond", REL, false, section_beyond },
	{ "section-size-wrap", REL, false, section_size_wrap },
	{ "shstrndx-range", REL, false, shstrndx_range },
	{ "symtab-link-range", REL, false, symtab_link_range },
	{ "symname-range", REL, false, symname_range },
	{ "strtab-unterminated", REL, false, strtab_unterminated },
	{ "sym-shndx-range", REL, false, sym_shndx_range },
	{ "sym-shndx-reserved", REL, false, sym_shndx_reserved },
	{ "align-not-pow2", REL, false, align_not_pow2 },
	{ "align-too-big", REL, false, align_too_big },
	{ "common-bad-align", REL, false, common_bad_align },
	{ "bss-too-big", REL, false, bss_too_big },
	{ "bss-past-kseg0", REL, false, bss_past_kseg0 },
	{ "bad-reltype", REL, false, bad_reltype },
	{ "bad-reltype-eb", REL, true, bad_reltype },
	{ "reltype-16", REL, false, reltype_16 },
	{ "hi16-no-lo16", REL, false, hi16_no_lo16 },
	{ "hi16-no-lo16-eb", REL, true, hi16_no_lo16 },
	{ "hi16-lo16-mismatch", REL, false, hi16_lo16_mismatch },
	{ "sym-index-range", REL, false, sym_index_range },
	{ "sym-index-range-eb", REL, true, sym_index_range },
	{ "rel-offset-range", REL, false, rel_offset_range },
	{ "rel-target-nobits", REL, false, rel_target_nobits },
	{ "r26-unaligned", REL, false, r26_unaligned },
	{ "pc16-range", REL, false, far_report },
	{ "gprel-no-gp", REL, false, gprel_no_gp },
	{ "gprel-no-gp-eb", REL, true, gprel_no_gp },
	{ "gprel-range", REL, false, gprel_range },
	{ "rel-no-symtab", REL, false, rel_no_symtab },
	{ "rela-bad-type", RELA, false, rela_bad_type },
	{ "rela-pc16", RELA, true, rela_pc16 },
	{ "rela-undef", RELA, false, rela_undef },
	{ "no-start", REL, false, no_start },
	{ "no-start-eb", REL, true, no_start },
	{ "start-undef", REL, false, start_undef },
	{ "no-symtab", EXEC, false, exec_no_symtab },
	{ "no-sections", EXEC, true, no_sections },
	{ "exec-trunc-phdrs", EXEC_PHDRS_LAST, false, exec_trunc_phdrs },
	{ "exec-phoff-range", EXEC, false, exec_phoff_range },
	{ "exec-segment-beyond", EXEC, false, exec_segment_beyond },
	{ "exec-trunc-symtab", EXEC, false, trunc_symtab },
	{ "exec-kuseg", EXEC, false, exec_kuseg },
	{ "exec-overlap", EXEC, false, exec_overlap },
	{ "exec-overlap-eb", EXEC, true, exec_overlap },
	{ "exec-filesz", EXEC, false, exec_filesz },
	{ "exec-kseg-end", EXEC, false, exec_kseg_end },
	/* good ones: the generator's own sanity, and edge cases that load */
	{ "good-rel-el", REL, false, keep },
	{ "good-rel-eb", REL, true, keep },
	{ "good-rela-el", RELA, false, keep },
	{ "good-rela-eb", RELA, true, keep },
	{ "good-exec-el", EXEC, false, keep },
	{ "good-exec-eb", EXEC, true, keep },
	{ "good-gprel", REL, false, gprel_good },
	{ "good-hi16-queue", REL, true, hi16_queue },
	{ "good-weak-undef", REL, false, weak_undef },
	{ "good-no-vpe-shared", REL, false, no_vpe_shared },
	{ "good-rel-info-range", REL, false, rel_info_range },
	{ "good-start-outside", EXEC, false, start_outside },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static void make(const struct bad_case *c, struct img *im)
{
	memset(im, 0, sizeof(*im));
	switch (c->base) {
	case REL:
	case RELA:
		ti_rel(&im->eg, c->msb, c->base == RELA);
		break;
	case EXEC:
	case EXEC_PHDRS_LAST:
		ti_exec(&im->eg, c->msb);
		im->eg.phdrs_last = c->base == EXEC_PHDRS_LAST;
		break;
	case NONE:
		eg_init(&im->eg, c->msb, 0);
		break;
	}
	if (c->base != NONE)
		im->p = eg_build(&im->eg, &im->len);
	c->patch(im);
}

static int write_case(const char *dir, const struct bad_case *c)
{
	char path[4096];
	struct img im;
	FILE *f;
	int ret = 0;

	make(c, &im);
	snprintf(path, sizeof(path), "%s/%s.img", dir, c->name);
	f = fopen(path, "wb");
	if (!f || fwrite(im.p, 1, im.len, f) != im.len || fclose(f)) {
		perror(path);
		ret = 1;
	}
	free(im.p);
	eg_free(&im.eg);
	return ret;
}

int main(int argc, char **argv)
{
	size_t i;
	int k, ret = 0;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < NCASES; i++)
			puts(cases[i].name);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: badimg DIR [NAME...] | badimg --list\n");
		return 2;
	}
	for (i = 0; i < NCASES; i++) {
		bool wanted = argc == 2;

		for (k = 2; k < argc; k++)
			wanted |= !strcmp(argv[k], cases[i].name);
		if (wanted)
			ret |= write_case(argv[1], &cases[i]);
	}
	return ret;
}
