// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * testimg: see testimg.h. The code is real MIPS32 (the fixtures' ISA), so
 * the relocated result can be read back with objdump when in doubt.
 */
#include "testimg.h"

#define SHT_PROGBITS	1
#define SHT_RELA	4
#define SHT_NOBITS	8
#define SHT_REL		9
#define SHF_WRITE	1
#define SHF_ALLOC	2
#define SHF_EXEC	4
#define SHF_INFO_LINK	0x40
#define STB_LOCAL	0
#define STB_GLOBAL	1
#define STB_WEAK	2
#define STT_NOTYPE	0
#define STT_OBJECT	1
#define STT_FUNC	2
#define STT_SECTION	3
#define SHN_ABS		0xfff1
#define SHN_COMMON	0xfff2

#define R_MIPS_NONE	0
#define R_MIPS_32	2
#define R_MIPS_26	4
#define R_MIPS_HI16	5
#define R_MIPS_LO16	6
#define R_MIPS_PC16	10

#define NOP		0x00000000u
#define JR_RA		0x03e00008u

/* The code, unrelocated: in-place addends as GAS writes them for REL. */
static void fill_text(struct elfgen *eg, unsigned int text, bool rela)
{
	eg_word(eg, text, 0x00, 0x3c020000);		/* lui v0, %hi(vpe_shared) */
	eg_word(eg, text, 0x04, 0x24420000);		/* addiu v0, v0, %lo(vpe_shared) */
	eg_word(eg, text, 0x08, rela ? 0x0c000000 : 0x0c000008); /* jal local_func */
	eg_word(eg, text, 0x0c, NOP);
	eg_word(eg, text, 0x10, rela ? 0x10000007 : 0x1000ffff); /* b fw_report */
	eg_word(eg, text, 0x14, NOP);
	eg_word(eg, text, 0x18, 0x3c030000);		/* lui v1, %hi(counter) */
	eg_word(eg, text, 0x1c, 0x8c630000);		/* lw v1, %lo(counter)(v1) */
	eg_word(eg, text, 0x20, JR_RA);			/* local_func: */
	eg_word(eg, text, 0x24, NOP);
	eg_word(eg, text, 0x30, JR_RA);			/* fw_report: */
	eg_word(eg, text, 0x34, NOP);
}

static void add_rel_symbols(struct elfgen *eg)
{
	eg_symbol(eg, NULL, 0, 0, STB_LOCAL, STT_SECTION, TI_TEXT);
	eg_symbol(eg, NULL, 0, 0, STB_LOCAL, STT_SECTION, TI_DATA);
	eg_symbol(eg, "local_func", 0x20, 8, STB_LOCAL, STT_FUNC, TI_TEXT);
	eg_symbol(eg, "__start", 0, 0x20, STB_GLOBAL, STT_FUNC, TI_TEXT);
	eg_symbol(eg, "vpe_shared", 0, 4, STB_GLOBAL, STT_OBJECT, TI_DATA);
	eg_symbol(eg, "fw_report", 0x30, 8, STB_GLOBAL, STT_FUNC, TI_TEXT);
	eg_symbol(eg, "counter", 0, 4, STB_GLOBAL, STT_OBJECT, TI_BSS);
	/* a common: st_value is its alignment, st_size its size */
	eg_symbol(eg, "common_buf", 16, 32, STB_GLOBAL, STT_OBJECT, SHN_COMMON);
	eg_symbol(eg, "weak_hook", 0, 0, STB_WEAK, STT_FUNC, 0);
}

static void add_relocations(struct elfgen *eg, bool rela)
{
	static const uint32_t text[][3] = {
		[TR_HI_SHARED] = { 0x00, TS_VPE_SHARED, R_MIPS_HI16 },
		[TR_LO_SHARED] = { 0x04, TS_VPE_SHARED, R_MIPS_LO16 },
		[TR_JAL_LOCAL] = { 0x08, TS_TEXT, R_MIPS_26 },
		[TR_B_REPORT] = { 0x10, TS_FW_REPORT, R_MIPS_PC16 },
		[TR_HI_COUNTER] = { 0x18, TS_COUNTER, R_MIPS_HI16 },
		[TR_LO_COUNTER] = { 0x1c, TS_COUNTER, R_MIPS_LO16 },
	};
	static const uint32_t data[][3] = {
		[TD_START] = { 0x04, TS_START, R_MIPS_32 },
		[TD_LOCAL_FUNC] = { 0x08, TS_TEXT, R_MIPS_32 },
		[TD_COMMON] = { 0x0c, TS_COMMON, R_MIPS_32 },
	};
	unsigned int i;

	for (i = 0; i < 6; i++) {
		if (!rela)
			eg_rel(eg, TI_RELTEXT, text[i][0], text[i][1], text[i][2]);
		else if (i == TR_B_REPORT)	/* the module loader has no PC16 */
			eg_rela(eg, TI_RELTEXT, text[i][0], 0, R_MIPS_NONE, 0);
		else
			eg_rela(eg, TI_RELTEXT, text[i][0], text[i][1],
				text[i][2], i == TR_JAL_LOCAL ? 0x20 : 0);
	}
	for (i = 0; i < 3; i++) {
		if (!rela)
			eg_rel(eg, TI_RELDATA, data[i][0], data[i][1], data[i][2]);
		else
			eg_rela(eg, TI_RELDATA, data[i][0], data[i][1],
				data[i][2], i == TD_LOCAL_FUNC ? 0x20 : 0);
	}
}

void ti_rel(struct elfgen *eg, bool msb, bool rela)
{
	uint32_t reltype = rela ? SHT_RELA : SHT_REL;
	unsigned int i;

	eg_init(eg, msb, 1);
	eg_shstrtab(eg);
	eg_section(eg, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXEC, 16, NULL, 0x40);
	eg_section(eg, rela ? ".rela.text" : ".rel.text", reltype,
		   SHF_INFO_LINK, 4, NULL, 0);
	eg_section(eg, ".rodata", SHT_PROGBITS, SHF_ALLOC, 8, "legacy!", 8);
	eg_section(eg, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 16, NULL, 16);
	eg_section(eg, rela ? ".rela.data" : ".rel.data", reltype,
		   SHF_INFO_LINK, 4, NULL, 0);
	eg_section(eg, ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 16, NULL, 0x40);
	eg_symtab(eg, TI_STRTAB);
	eg_strtab(eg);
	for (i = TI_RELTEXT; i <= TI_RELDATA; i += TI_RELDATA - TI_RELTEXT) {
		eg->sec[i].link = TI_SYMTAB;
		eg->sec[i].info = i - 1;
		eg->sec[i].entsize = rela ? 12 : 8;
	}
	fill_text(eg, TI_TEXT, rela);
	if (!rela)
		eg_word(eg, TI_DATA, 0x08, 0x20);	/* .text + 0x20 */
	add_rel_symbols(eg);
	add_relocations(eg, rela);
}

void ti_exec(struct elfgen *eg, bool msb)
{
	eg_init(eg, msb, 2);
	eg_shstrtab(eg);
	eg_section(eg, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXEC, 16, NULL, 0x40);
	eg_section(eg, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 16, NULL, 16);
	eg_section(eg, ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 16, NULL, 0x40);
	eg_symtab(eg, TX_STRTAB);
	eg_strtab(eg);
	eg->sec[TX_TEXT].addr = 0x80800000;
	eg->sec[TX_DATA].addr = 0x80801000;
	eg->sec[TX_BSS].addr = 0x80801010;
	/* already linked: the ET_REL's code as a linker would resolve it */
	fill_text(eg, TX_TEXT, true);
	eg_word(eg, TX_TEXT, 0x00, 0x3c028080);
	eg_word(eg, TX_TEXT, 0x04, 0x24421000);
	eg_word(eg, TX_TEXT, 0x08, 0x0c200008);
	eg_word(eg, TX_TEXT, 0x18, 0x3c038080);
	eg_word(eg, TX_TEXT, 0x1c, 0x8c631010);
	eg_word(eg, TX_DATA, 0x04, 0x80800000);
	eg_symbol(eg, "__start", 0x80800000, 0x20, STB_GLOBAL, STT_FUNC, TX_TEXT);
	eg_symbol(eg, "vpe_shared", 0x80801000, 4, STB_GLOBAL, STT_OBJECT, TX_DATA);
	eg_symbol(eg, "fw_report", 0x80800030, 8, STB_GLOBAL, STT_FUNC, TX_TEXT);
	eg_phdr(eg, TX_TEXT, 0x80800000, 5, 0);		/* R X */
	eg_phdr(eg, TX_DATA, 0x80801000, 6, 0x40);	/* R W, with .bss */
}

size_t ti_name_off(const struct elfgen *eg, unsigned int strtab,
		   unsigned int sym)
{
	return eg->sec[strtab].offset + eg->sym[sym].name_off;
}

uint8_t *ti_synthetic(unsigned int i, const char **name, bool *msb,
		      size_t *len)
{
	static const char *const names[TI_SYNTHETICS] = {
		"synthetic-rel-el", "synthetic-rel-eb", "synthetic-rela-el",
		"synthetic-rela-eb", "synthetic-exec-el", "synthetic-exec-eb",
	};
	struct elfgen eg;
	uint8_t *img;

	*name = names[i];
	*msb = i & 1;
	if (i >= 4)
		ti_exec(&eg, *msb);
	else
		ti_rel(&eg, *msb, i >= 2);
	img = eg_build(&eg, len);
	eg_free(&eg);
	return img;
}
