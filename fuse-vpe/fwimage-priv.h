/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwimage internals: the conversion context shared by the fwimage-*.c
 * files. Not part of the API.
 *
 * Every read of the input goes through fw_get16()/fw_get32() on a pointer
 * that was range-checked against the image length first; ranges are
 * computed in 64 bits so that 32-bit offsets and sizes cannot wrap.
 */
#ifndef FWIMAGE_PRIV_H
#define FWIMAGE_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwimage.h"
#include "legacy.h"

/* ELF32 constants used here (values from the ELF and MIPS psABI specs). */
#define EHDR_SIZE		52
#define SHDR_SIZE		40
#define PHDR_SIZE		32
#define SYM_SIZE		16
#define REL_SIZE		8
#define RELA_SIZE		12

#define ET_REL_			1
#define ET_EXEC_		2
#define EM_MIPS_		8

#define EF_MIPS_ABI2_		0x00000020u
#define EF_MIPS_ABI_MASK	0x0000f000u
#define EF_MIPS_ABI_O32_	0x00001000u

#define SHT_SYMTAB_		2
#define SHT_RELA_		4
#define SHT_NOBITS_		8
#define SHT_REL_		9

#define SHF_WRITE_		0x1u
#define SHF_ALLOC_		0x2u
#define SHF_EXECINSTR_		0x4u

#define SHN_UNDEF_		0
#define SHN_LORESERVE_		0xff00u
#define SHN_MIPS_SCOMMON_	0xff03u
#define SHN_ABS_		0xfff1u
#define SHN_COMMON_		0xfff2u

#define STB_LOCAL_		0
#define STT_SECTION_		3

#define PT_LOAD_		1
#define PF_X_			1u
#define PF_W_			2u
#define PF_R_			4u

/* MIPS kernel segments (legacy.h) */
#define KSEG0			LEGACY_KSEG0
#define KSEG1			LEGACY_KSEG1
#define KSEG_SIZE		LEGACY_KSEG_SIZE
#define KSEG_PHYS_MASK		LEGACY_PHYS_MASK

#define PAGE_4K			0x1000u

struct fw_shdr {
	uint32_t name, type, flags, addr, offset, size, link, info, addralign,
		 entsize;
};

struct fw_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

struct fw_sym {
	uint32_t name, value, size;
	uint8_t info, other;
	uint16_t shndx;
};

/* One output PT_LOAD (not the resource table's). */
struct fw_seg {
	uint32_t paddr;		/* physical */
	uint32_t vaddr;		/* KSEG0 alias of paddr */
	uint32_t src_vaddr;	/* address the input's symbols use for it */
	uint32_t filesz, memsz, flags;
	uint32_t src_offset;	/* ET_EXEC: where its file bytes are */
	unsigned int src_index;	/* ET_EXEC: its program header */
	size_t out_offset;	/* file offset in the output */
	bool in_place;		/* ET_EXEC: out_offset == src_offset */
};

/* What the output makes of each input section. */
struct fw_secmap {
	bool loaded;		/* copied into the output */
	uint32_t addr;		/* KSEG0 address in the output */
	unsigned int seg;	/* index into ctx->seg */
	uint16_t out_index;	/* output section index, 0 if not copied */
};

struct fw_ctx {
	const uint8_t *in;
	size_t len;
	struct fwimage_opts opt;	/* defaults filled in */
	struct fwimage_result *res;
	bool msb;

	/* ELF header */
	uint16_t type, phnum, shnum, shstrndx;
	uint32_t flags, phoff, shoff;

	/* sections */
	struct fw_shdr *sh;		/* shnum entries */
	const char *shstr;		/* section names, NULL if none */
	uint32_t shstr_size;
	int64_t shstr_end;		/* last NUL: names start before it */
	struct fw_secmap *map;		/* shnum entries */

	/* the symbol table (the last SHT_SYMTAB, as the legacy loader) */
	unsigned int symtab;		/* section index, 0: none */
	uint32_t nsyms;
	const uint8_t *syms;
	const char *str;
	uint32_t str_size;
	int64_t str_end;
	uint32_t *symval;		/* final value of every symbol */

	/* ET_REL: the layout of section 5.3 and the commons after it */
	uint32_t load_addr;
	uint32_t common_addr, common_size, common_align;
	unsigned int ncommons;
	bool has_gp;
	uint32_t gp;

	/* output segments, in physical address order */
	struct fw_seg *seg;
	unsigned int nseg;

	/* magic symbols */
	uint32_t start, vpe_shared;
	uint32_t start_sym, vpe_shared_sym;	/* winning index, 0: none */

	/*
	 * The output being built: out holds fwimage's own bytes of it, at
	 * fw_out_at(). ET_REL: all of it. ET_EXEC: the ELF header, then
	 * the tables from tail_off on (the segments stay in the input).
	 */
	uint8_t *out;
	size_t out_len;		/* the whole output */
	size_t tail_off;	/* ET_EXEC: output offset of out + EHDR_SIZE */
	struct fwimage_piece *pieces;
	unsigned int npieces;

	bool elf_loader_ran;	/* the legacy "ELF load failed." applies */
};

/* fwimage-diag.c: messages */
int fw_fail(struct fw_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void fw_legacy(struct fw_ctx *ctx, int level,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void fw_warn(struct fw_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int fw_nomem(struct fw_ctx *ctx, const char *what, uint64_t bytes);
const char *fw_printable(const char *s, char *buf, size_t size);
#define FW_NAME_BUF 48
/* "section 7 (.rel.text)" style messages: a section's name, printable */
#define FW_SECNAME(ctx, i, buf) \
	fw_printable(fw_secname(ctx, i), buf, sizeof(buf))

/* fwimage-elf.c: bounds-checked reading */
uint16_t fw_get16(const struct fw_ctx *ctx, const uint8_t *p);
uint32_t fw_get32(const struct fw_ctx *ctx, const uint8_t *p);
void fw_put16(const struct fw_ctx *ctx, uint8_t *p, uint16_t v);
void fw_put32(const struct fw_ctx *ctx, uint8_t *p, uint32_t v);
bool fw_fits(uint64_t off, uint64_t size, uint64_t limit);
/* magic, e_ident, e_type and e_machine (the first 20 bytes) */
int fw_read_ident(struct fw_ctx *ctx);
/* fw_read_ident(), then e_flags and the tables' geometry (52 bytes) */
int fw_read_header(struct fw_ctx *ctx);
int fw_read_sections(struct fw_ctx *ctx);
int fw_read_symtab(struct fw_ctx *ctx);
void fw_sym(const struct fw_ctx *ctx, uint32_t i, struct fw_sym *sym);
const char *fw_symname(const struct fw_ctx *ctx, uint32_t i);
/* start_sym and vpe_shared_sym: the symbols the legacy loader would pick. */
void fw_find_magic_symbols(struct fw_ctx *ctx);
/* Section header @i (inside the image: checked by the caller). */
void fw_read_shdr(const struct fw_ctx *ctx, unsigned int i,
		  struct fw_shdr *sh);
/* Program header @i (inside the image: checked by the caller). */
void fw_read_phdr(const struct fw_ctx *ctx, unsigned int i,
		  struct fw_phdr *ph);
const char *fw_secname(const struct fw_ctx *ctx, unsigned int i);
bool fw_section_in_file(const struct fw_ctx *ctx, unsigned int i);

/* fwimage-rel.c: ET_REL layout and symbol fix-up */
int fw_layout_rel(struct fw_ctx *ctx);
int fw_fixup_symbols(struct fw_ctx *ctx);

/* fwimage-reloc.c: REL and RELA relocations, in the output buffer */
int fw_relocate(struct fw_ctx *ctx);

/* fwimage-exec.c: ET_EXEC segments */
int fw_load_exec(struct fw_ctx *ctx);

/* fwimage-out.c: the remoteproc ELF */
int fw_build_output(struct fw_ctx *ctx);

static inline uint32_t fw_phys(uint32_t kaddr)
{
	return kaddr & KSEG_PHYS_MASK;
}

static inline bool fw_is_kseg01(uint32_t addr)
{
	return legacy_unmapped(addr);
}

static inline uint64_t fw_align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static inline bool fw_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

#endif /* FWIMAGE_PRIV_H */
