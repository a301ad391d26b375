// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage ELF reading: the header checks of the legacy loader (spec
 * section 5.1) and the truncation checks (5.2), done against the real image
 * length instead of the upload buffer's capacity, plus the checks the
 * legacy loader lacked (string tables, e_shstrndx, sh_link).
 *
 * The image is never modified and never cast to a struct: fields are read
 * byte by byte in the image's own byte order, so a big-endian image
 * converts the same on any host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fwimage-priv.h"


uint16_t fw_get16(const struct fw_ctx *ctx, const uint8_t *p)
{
	if (ctx->msb)
		return (uint16_t)(p[0] << 8 | p[1]);
	return (uint16_t)(p[1] << 8 | p[0]);
}

uint32_t fw_get32(const struct fw_ctx *ctx, const uint8_t *p)
{
	if (ctx->msb)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

void fw_put16(const struct fw_ctx *ctx, uint8_t *p, uint16_t v)
{
	p[ctx->msb ? 0 : 1] = (uint8_t)(v >> 8);
	p[ctx->msb ? 1 : 0] = (uint8_t)v;
}

void fw_put32(const struct fw_ctx *ctx, uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[ctx->msb ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* [off, off + size) inside [0, limit)? 64-bit, so 32-bit fields can't wrap. */
bool fw_fits(uint64_t off, uint64_t size, uint64_t limit)
{
	return off <= limit && size <= limit - off;
}

/* The legacy log for a header that fails elf_check_arch() and friends. */
static int bad_arch(struct fw_ctx *ctx)
{
	fw_legacy(ctx, LOG_WARNING, LEGACY_MSG_BAD_ARCH);
	return -ENOEXEC;
}

static int truncated(struct fw_ctx *ctx)
{
	fw_legacy(ctx, LOG_ERR, LEGACY_MSG_TRUNC, (unsigned int)ctx->len);
	return -ENOEXEC;
}

static const char *type_name(unsigned int type)
{
	static const char *const names[] = {
		"ET_NONE", "ET_REL", "ET_EXEC", "ET_DYN", "ET_CORE",
	};

	return type < 5 ? names[type] : "unknown";
}

static const char *machine_name(unsigned int machine)
{
	switch (machine) {
	case 3:
		return " (EM_386)";
	case 8:
		return " (EM_MIPS)";
	case 10:
		return " (EM_MIPS_RS3_LE)";
	case 40:
		return " (EM_ARM)";
	case 62:
		return " (EM_X86_64)";
	case 183:
		return " (EM_AARCH64)";
	case 243:
		return " (EM_RISCV)";
	default:
		return "";
	}
}

/* Magic and size: the checks done before the legacy ELF loader runs. */
static int check_magic(struct fw_ctx *ctx)
{
	const uint8_t *in = ctx->in;

	if (ctx->len < 4 || memcmp(in, "\x7f" "ELF", 4)) {
		fw_legacy(ctx, LOG_WARNING, LEGACY_MSG_NOT_ELF);
		if (!ctx->len)
			return fw_fail(ctx, ENOEXEC, "the image is empty");
		if (ctx->len < 4)
			return fw_fail(ctx, ENOEXEC,
				       "the image is %zu bytes, too short for the ELF magic",
				       ctx->len);
		return fw_fail(ctx, ENOEXEC,
			       "no ELF magic: the image starts with %02x %02x %02x %02x, not 7f 45 4c 46",
			       in[0], in[1], in[2], in[3]);
	}
	ctx->elf_loader_ran = true;
	return 0;
}

/* The identification bytes, e_type and e_machine. */
static int check_ident(struct fw_ctx *ctx)
{
	const uint8_t *in = ctx->in;
	enum fwimage_order order;
	unsigned int machine;

	if (ctx->len < 20) {
		truncated(ctx);
		return fw_fail(ctx, ENOEXEC,
			       "ELF header truncated: the image is %zu bytes, the header needs %d",
			       ctx->len, EHDR_SIZE);
	}
	order = (enum fwimage_order)in[5];
	if (order != FWIMAGE_ORDER_LSB && order != FWIMAGE_ORDER_MSB) {
		bad_arch(ctx);
		return fw_fail(ctx, ENOEXEC,
			       "EI_DATA %u is neither little-endian (1) nor big-endian (2)",
			       in[5]);
	}
	ctx->msb = order == FWIMAGE_ORDER_MSB;
	ctx->res->info.order = order;
	if (ctx->opt.order && ctx->opt.order != order) {
		bad_arch(ctx);
		return fw_fail(ctx, ENOEXEC,
			       "the image is %s, the remote is %s",
			       fwimage_order_name(order),
			       fwimage_order_name(ctx->opt.order));
	}
	ctx->type = fw_get16(ctx, in + 16);
	if (ctx->type != ET_REL_ && ctx->type != ET_EXEC_) {
		bad_arch(ctx);
		return fw_fail(ctx, ENOEXEC,
			       "e_type %u (%s): only ET_REL (1) and ET_EXEC (2) can be loaded",
			       ctx->type, type_name(ctx->type));
	}
	machine = fw_get16(ctx, in + 18);
	if (machine != EM_MIPS_) {
		bad_arch(ctx);
		return fw_fail(ctx, ENOEXEC, "e_machine %u%s is not EM_MIPS (8)",
			       machine, machine_name(machine));
	}
	if (in[4] != 1) {
		bad_arch(ctx);
		return fw_fail(ctx, ENOEXEC,
			       "EI_CLASS %u%s: only ELFCLASS32 images can be loaded",
			       in[4], in[4] == 2 ? " (ELFCLASS64)" : "");
	}
	return 0;
}

/* e_flags (the o32 ABI of the 32-bit kernel) and the table geometry. */
static int check_abi(struct fw_ctx *ctx)
{
	const uint8_t *in = ctx->in;
	unsigned int shentsize;
	uint32_t abi;

	if (ctx->len < EHDR_SIZE) {
		truncated(ctx);
		return fw_fail(ctx, ENOEXEC,
			       "ELF header truncated: the image is %zu bytes, the header needs %d",
			       ctx->len, EHDR_SIZE);
	}
	ctx->flags = fw_get32(ctx, in + 36);
	ctx->res->info.e_flags = ctx->flags;
	if (ctx->flags & EF_MIPS_ABI2_) {
		bad_arch(ctx);
		return fw_fail(ctx, ENOEXEC,
			       "e_flags 0x%08x has EF_MIPS_ABI2: an n32 image, only o32 can be loaded",
			       ctx->flags);
	}
	abi = ctx->flags & EF_MIPS_ABI_MASK;
	if (abi && abi != EF_MIPS_ABI_O32_) {
		bad_arch(ctx);
		return fw_fail(ctx, ENOEXEC,
			       "e_flags 0x%08x: EF_MIPS_ABI 0x%04x is neither none nor O32 (0x1000)",
			       ctx->flags, abi);
	}
	shentsize = fw_get16(ctx, in + 46);
	if (shentsize != SHDR_SIZE) {
		bad_arch(ctx);
		return fw_fail(ctx, ENOEXEC, "e_shentsize %u, expected %d",
			       shentsize, SHDR_SIZE);
	}
	ctx->phoff = fw_get32(ctx, in + 28);
	ctx->shoff = fw_get32(ctx, in + 32);
	/* e_phentsize is not checked: the legacy loader never read it. */
	ctx->phnum = fw_get16(ctx, in + 44);
	ctx->shnum = fw_get16(ctx, in + 48);
	ctx->shstrndx = fw_get16(ctx, in + 50);
	ctx->res->info.type = ctx->type;
	return 0;
}

int fw_read_ident(struct fw_ctx *ctx)
{
	int ret = check_magic(ctx);

	return ret ? ret : check_ident(ctx);
}

int fw_read_header(struct fw_ctx *ctx)
{
	int ret = fw_read_ident(ctx);

	return ret ? ret : check_abi(ctx);
}

void fw_read_shdr(const struct fw_ctx *ctx, unsigned int i,
		  struct fw_shdr *sh)
{
	const uint8_t *p = ctx->in + ctx->shoff + (size_t)i * SHDR_SIZE;
	uint32_t *field = &sh->name;
	int k;

	/* struct fw_shdr is ten uint32_t in file order */
	for (k = 0; k < 10; k++)
		field[k] = fw_get32(ctx, p + 4 * k);
}

bool fw_section_in_file(const struct fw_ctx *ctx, unsigned int i)
{
	const struct fw_shdr *sh = &ctx->sh[i];

	return sh->type != SHT_NOBITS_ && fw_fits(sh->offset, sh->size,
						  ctx->len);
}

/* Index of the last NUL in a string table, or -1: names past it run off. */
static int64_t last_nul(const char *tab, uint32_t size)
{
	int64_t i;

	for (i = (int64_t)size - 1; i >= 0; i--)
		if (!tab[i])
			return i;
	return -1;
}

static const char *table_string(const char *tab, uint32_t size, int64_t end,
				uint32_t off)
{
	if (!tab || off >= size || (int64_t)off > end)
		return NULL;
	return tab + off;
}

const char *fw_secname(const struct fw_ctx *ctx, unsigned int i)
{
	if (i >= ctx->shnum)
		return NULL;
	return table_string(ctx->shstr, ctx->shstr_size, ctx->shstr_end,
			    ctx->sh[i].name);
}

void fw_sym(const struct fw_ctx *ctx, uint32_t i, struct fw_sym *sym)
{
	const uint8_t *p = ctx->syms + (size_t)i * SYM_SIZE;

	sym->name = fw_get32(ctx, p);
	sym->value = fw_get32(ctx, p + 4);
	sym->size = fw_get32(ctx, p + 8);
	sym->info = p[12];
	sym->other = p[13];
	sym->shndx = fw_get16(ctx, p + 14);
}

/* docs/legacy-abi.md §5.10: exact names, every symbol from 1, the last match wins. */
void fw_find_magic_symbols(struct fw_ctx *ctx)
{
	uint32_t i;

	for (i = 1; i < ctx->nsyms; i++) {
		const char *name = fw_symname(ctx, i);

		if (!strcmp(name, "__start"))
			ctx->start_sym = i;
		else if (!strcmp(name, "vpe_shared"))
			ctx->vpe_shared_sym = i;
	}
}

void fw_read_phdr(const struct fw_ctx *ctx, unsigned int i,
		  struct fw_phdr *ph)
{
	const uint8_t *p = ctx->in + ctx->phoff + (size_t)i * PHDR_SIZE;
	uint32_t *field = &ph->type;
	int k;

	/* struct fw_phdr is eight uint32_t in file order */
	for (k = 0; k < 8; k++)
		field[k] = fw_get32(ctx, p + 4 * k);
}

/* Symbol i's name, or NULL if it is not a string inside the table. */
const char *fw_symname(const struct fw_ctx *ctx, uint32_t i)
{
	if (i >= ctx->nsyms)
		return NULL;
	return table_string(ctx->str, ctx->str_size, ctx->str_end,
			    fw_get32(ctx, ctx->syms + (size_t)i * SYM_SIZE));
}

/* A table fwimage must read is not (all) in the image. */
static int section_beyond_end(struct fw_ctx *ctx, unsigned int i,
			      const char *what)
{
	const struct fw_shdr *sh = &ctx->sh[i];
	char name[FW_NAME_BUF];

	if (sh->type == SHT_NOBITS_)
		return fw_fail(ctx, ENOEXEC,
			       "section %u (%s), the %s, is SHT_NOBITS: it has no contents",
			       i, FW_SECNAME(ctx, i, name), what);
	truncated(ctx);
	return fw_fail(ctx, ENOEXEC,
		       "section %u (%s), the %s: sh_offset 0x%x + sh_size 0x%x beyond the image end 0x%zx",
		       i, FW_SECNAME(ctx, i, name), what, sh->offset, sh->size,
		       ctx->len);
}

/* The section-name table, if e_shstrndx names a usable one. */
static int find_section_names(struct fw_ctx *ctx)
{
	const struct fw_shdr *sh;

	if (ctx->shstrndx == SHN_UNDEF_)
		return 0;		/* no names; legal ELF */
	if (ctx->shstrndx >= ctx->shnum)
		return fw_fail(ctx, ENOEXEC,
			       "e_shstrndx %u out of range (e_shnum %u)",
			       ctx->shstrndx, ctx->shnum);
	if (!fw_section_in_file(ctx, ctx->shstrndx))
		return 0;	/* reported below, with or without names */
	sh = &ctx->sh[ctx->shstrndx];
	ctx->shstr = (const char *)ctx->in + sh->offset;
	ctx->shstr_size = sh->size;
	ctx->shstr_end = last_nul(ctx->shstr, sh->size);
	return 0;
}

/* docs/legacy-abi.md §5.2: an ET_REL section's contents must all be in the image. */
static int check_rel_sections(struct fw_ctx *ctx)
{
	char name[FW_NAME_BUF];
	unsigned int i;

	for (i = 1; i < ctx->shnum; i++) {
		const struct fw_shdr *sh = &ctx->sh[i];

		if (sh->type == SHT_NOBITS_ ||
		    fw_fits(sh->offset, sh->size, ctx->len))
			continue;
		fw_legacy(ctx, LOG_ERR, LEGACY_MSG_TRUNC_REL,
			  (unsigned int)ctx->len);
		return fw_fail(ctx, ENOEXEC,
			       "section %u (%s): sh_offset 0x%x + sh_size 0x%x beyond the image end 0x%zx",
			       i, FW_SECNAME(ctx, i, name), sh->offset, sh->size,
			       ctx->len);
	}
	return 0;
}

int fw_read_sections(struct fw_ctx *ctx)
{
	uint64_t table = (uint64_t)ctx->shnum * SHDR_SIZE;
	unsigned int i;
	int ret;

	if (!fw_fits(ctx->shoff, table, ctx->len)) {
		truncated(ctx);
		return fw_fail(ctx, ENOEXEC,
			       "section header table (e_shoff 0x%x + %u entries * %d) beyond the image end 0x%zx",
			       ctx->shoff, ctx->shnum, SHDR_SIZE, ctx->len);
	}
	if (ctx->shnum >= SHN_LORESERVE_)
		return fw_fail(ctx, ENOEXEC,
			       "e_shnum %u: section indices from 0xff00 up are reserved",
			       ctx->shnum);
	ctx->sh = calloc(ctx->shnum + 1u, sizeof(*ctx->sh));
	ctx->map = calloc(ctx->shnum + 1u, sizeof(*ctx->map));
	if (!ctx->sh || !ctx->map)
		return fw_nomem(ctx, "the section table",
				(ctx->shnum + 1u) * sizeof(*ctx->sh));
	for (i = 0; i < ctx->shnum; i++)
		fw_read_shdr(ctx, i, &ctx->sh[i]);

	ret = find_section_names(ctx);
	if (!ret && ctx->type == ET_REL_)
		ret = check_rel_sections(ctx);
	if (!ret && ctx->shstrndx && !ctx->shstr)
		ret = section_beyond_end(ctx, ctx->shstrndx,
					 "section-name table");
	return ret;
}

/* Every symbol name must lie in the string table and end in a NUL. */
static int check_symbol_names(struct fw_ctx *ctx)
{
	uint32_t i;

	for (i = 1; i < ctx->nsyms; i++) {
		uint32_t off = fw_get32(ctx, ctx->syms + (size_t)i * SYM_SIZE);

		if (fw_symname(ctx, i))
			continue;
		if (off >= ctx->str_size)
			return fw_fail(ctx, ENOEXEC,
				       "symbol %u: st_name 0x%x past the end of the string table (section %u, 0x%x bytes)",
				       i, off, ctx->sh[ctx->symtab].link,
				       ctx->str_size);
		return fw_fail(ctx, ENOEXEC,
			       "symbol %u: the name at st_name 0x%x is not NUL-terminated inside the string table (section %u)",
			       i, off, ctx->sh[ctx->symtab].link);
	}
	return 0;
}

/*
 * The symbol table is the last SHT_SYMTAB section, its strings the section
 * its sh_link names (legacy 5.3 step 1). None at all is not an error here:
 * the missing __start is reported later, as the legacy loader did.
 */
int fw_read_symtab(struct fw_ctx *ctx)
{
	const struct fw_shdr *sh, *strsh;
	char name[FW_NAME_BUF];
	unsigned int i;

	for (i = 1; i < ctx->shnum; i++)
		if (ctx->sh[i].type == SHT_SYMTAB_)
			ctx->symtab = i;
	if (!ctx->symtab)
		return 0;
	sh = &ctx->sh[ctx->symtab];
	if (!fw_section_in_file(ctx, ctx->symtab))
		return section_beyond_end(ctx, ctx->symtab, "symbol table");
	if (!sh->link || sh->link >= ctx->shnum)
		return fw_fail(ctx, ENOEXEC,
			       "section %u (%s), the symbol table: sh_link %u is not a section (e_shnum %u)",
			       ctx->symtab, FW_SECNAME(ctx, ctx->symtab, name),
			       sh->link, ctx->shnum);
	if (!fw_section_in_file(ctx, sh->link))
		return section_beyond_end(ctx, sh->link, "string table");
	strsh = &ctx->sh[sh->link];
	ctx->nsyms = sh->size / SYM_SIZE;
	ctx->syms = ctx->in + sh->offset;
	ctx->str = (const char *)ctx->in + strsh->offset;
	ctx->str_size = strsh->size;
	ctx->str_end = last_nul(ctx->str, strsh->size);
	return check_symbol_names(ctx);
}
