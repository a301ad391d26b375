// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage ET_REL layout (docs/legacy-abi.md §5.3) and symbol fix-up (§5.4).
 *
 * Sections are placed exactly where the legacy loader placed them relative
 * to its load address: four passes over the sections by flags, each in
 * index order, every section at the running size rounded up to its
 * sh_addralign. Each pass becomes one output segment (code, read-only
 * data, data and bss), so the segments are contiguous in memory.
 *
 * Two legacy defects are not reproduced: common symbols get space of their
 * own after the last pass (the legacy loader overlaid them on .bss and used
 * their alignment as their size), and _gp is per conversion, not a global
 * that survives from the previous load.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fwimage-priv.h"

#define NPASSES 4

/* A pass takes the sections whose flags have all of need and none of deny. */
static const struct {
	uint32_t need, deny, seg_flags;
} layout_pass[NPASSES] = {
	{ SHF_ALLOC_ | SHF_EXECINSTR_, 0, PF_R_ | PF_X_ },	/* code */
	{ SHF_ALLOC_, SHF_WRITE_, PF_R_ },			/* rodata */
	{ SHF_ALLOC_ | SHF_WRITE_, 0, PF_R_ | PF_W_ },		/* data, bss */
	/* what is left: empty, as ARCH_SHF_SMALL is 0 on MIPS */
	{ SHF_ALLOC_, 0, PF_R_ | PF_W_ | PF_X_ },
};


/* Bytes available from the load address to the end of KSEG0. */
static uint64_t room(const struct fw_ctx *ctx)
{
	return KSEG_SIZE - fw_phys(ctx->load_addr);
}

/*
 * An alignment the layout can honour: a power of two the load address is
 * a multiple of (offsets are relative to the load address).
 */
static int check_align(struct fw_ctx *ctx, uint32_t align, const char *what,
		       unsigned int index, const char *name)
{
	char buf[FW_NAME_BUF];

	if (!fw_is_pow2(align))
		return fw_fail(ctx, ENOEXEC,
			       "%s %u (%s): alignment 0x%x is not a power of two",
			       what, index, fw_printable(name, buf, sizeof(buf)),
			       align);
	if (ctx->load_addr & (align - 1))
		return fw_fail(ctx, ENOEXEC,
			       "%s %u (%s): alignment 0x%x is more than the load address 0x%08x has",
			       what, index, fw_printable(name, buf, sizeof(buf)),
			       align, ctx->load_addr);
	return 0;
}

static int past_kseg0(struct fw_ctx *ctx, uint64_t end, const char *what,
		      unsigned int index, const char *name)
{
	char buf[FW_NAME_BUF];

	return fw_fail(ctx, ENOEXEC,
		       "%s %u (%s) ends 0x%llx bytes after the load address 0x%08x, past the end of KSEG0",
		       what, index, fw_printable(name, buf, sizeof(buf)),
		       (unsigned long long)end, ctx->load_addr);
}

static struct fw_seg *add_segment(struct fw_ctx *ctx, uint64_t start,
				  uint32_t flags)
{
	struct fw_seg *seg = &ctx->seg[ctx->nseg++];

	seg->vaddr = ctx->load_addr + (uint32_t)start;
	seg->paddr = fw_phys(seg->vaddr);
	seg->src_vaddr = seg->vaddr;
	seg->flags = flags;
	return seg;
}

/* One pass of 5.3: place the matching sections, make their segment. */
static int layout_one_pass(struct fw_ctx *ctx, int pass, uint64_t *size)
{
	uint64_t start = 0, file_end = 0;
	struct fw_seg *seg = NULL;
	unsigned int i;
	int ret;

	for (i = 1; i < ctx->shnum; i++) {
		const struct fw_shdr *sh = &ctx->sh[i];
		uint32_t align = sh->addralign ? sh->addralign : 1;
		uint64_t off;

		if (ctx->map[i].loaded ||
		    (sh->flags & layout_pass[pass].need) !=
		    layout_pass[pass].need ||
		    (sh->flags & layout_pass[pass].deny))
			continue;
		ret = check_align(ctx, align, "section", i, fw_secname(ctx, i));
		if (ret)
			return ret;
		off = fw_align_up(*size, align);
		if (off + sh->size > room(ctx))
			return past_kseg0(ctx, off + sh->size, "section", i,
					  fw_secname(ctx, i));
		if (!seg) {
			seg = add_segment(ctx, off, layout_pass[pass].seg_flags);
			start = off;
		}
		if (sh->flags & SHF_WRITE_)
			seg->flags |= PF_W_;
		ctx->map[i].loaded = true;
		ctx->map[i].addr = ctx->load_addr + (uint32_t)off;
		ctx->map[i].seg = ctx->nseg - 1;
		if (sh->type != SHT_NOBITS_)
			file_end = off + sh->size;
		*size = off + sh->size;
	}
	if (seg) {
		seg->memsz = (uint32_t)(*size - start);
		seg->filesz = file_end > start ? (uint32_t)(file_end - start) : 0;
	}
	return 0;
}

int fw_layout_rel(struct fw_ctx *ctx)
{
	uint64_t size = 0;
	int pass, ret;

	/* one segment per pass, one more for commons */
	ctx->seg = calloc(NPASSES + 1, sizeof(*ctx->seg));
	if (!ctx->seg)
		return fw_nomem(ctx, "the segment table",
				(NPASSES + 1) * sizeof(*ctx->seg));
	for (pass = 0; pass < NPASSES; pass++) {
		ret = layout_one_pass(ctx, pass, &size);
		if (ret)
			return ret;
	}
	ctx->common_addr = ctx->load_addr + (uint32_t)size;
	ctx->common_align = 1;
	return 0;
}

static bool is_common(uint16_t shndx)
{
	return shndx == SHN_COMMON_ || shndx == SHN_MIPS_SCOMMON_;
}

/*
 * SHN_COMMON (and SHN_MIPS_SCOMMON, which the legacy loader ignored) get
 * st_size bytes at their st_value alignment after everything else, in
 * symbol order, as a linker's COMMON would.
 */
static int place_commons(struct fw_ctx *ctx)
{
	uint64_t start = ctx->common_addr - ctx->load_addr, size = start;
	struct fw_seg *last;
	struct fw_sym sym;
	uint32_t i;
	int ret;

	for (i = 1; i < ctx->nsyms; i++) {
		uint32_t align;
		uint64_t off;

		fw_sym(ctx, i, &sym);
		if (!is_common(sym.shndx))
			continue;
		align = sym.value ? sym.value : 1;
		ret = check_align(ctx, align, "common symbol", i,
				  fw_symname(ctx, i));
		if (ret)
			return ret;
		off = fw_align_up(size, align);
		if (off + sym.size > room(ctx))
			return past_kseg0(ctx, off + sym.size, "common symbol",
					  i, fw_symname(ctx, i));
		if (!ctx->ncommons++)
			start = off;
		if (align > ctx->common_align)
			ctx->common_align = align;
		ctx->symval[i] = ctx->load_addr + (uint32_t)off;
		size = off + sym.size;
	}
	if (!ctx->ncommons)
		return 0;
	ctx->common_addr = ctx->load_addr + (uint32_t)start;
	ctx->common_size = (uint32_t)(size - start);

	/* extend the data segment, which ends where the commons start */
	last = ctx->nseg ? &ctx->seg[ctx->nseg - 1] : NULL;
	if (!last || last->flags != (PF_R_ | PF_W_))
		last = add_segment(ctx, start, PF_R_ | PF_W_);
	last->memsz = ctx->load_addr + (uint32_t)size - last->vaddr;
	return 0;
}

/* §5.4, with sections addressed by their place in the layout. */
static int fixup_one(struct fw_ctx *ctx, uint32_t i)
{
	const char *name = fw_symname(ctx, i);
	char buf[FW_NAME_BUF];
	struct fw_sym sym;

	fw_sym(ctx, i, &sym);
	if (is_common(sym.shndx))
		return 0;		/* placed already */
	ctx->symval[i] = sym.value;
	if (sym.shndx == SHN_UNDEF_ || sym.shndx == SHN_ABS_)
		return 0;
	if (sym.shndx >= ctx->shnum)
		return fw_fail(ctx, ENOEXEC,
			       "symbol %u (%s): st_shndx 0x%x is neither a section (e_shnum %u) nor SHN_UNDEF, SHN_ABS or SHN_COMMON",
			       i, fw_printable(name, buf, sizeof(buf)),
			       sym.shndx, ctx->shnum);
	if (!ctx->map[sym.shndx].loaded)
		return 0;	/* not loaded: the value has no address */
	ctx->symval[i] = ctx->map[sym.shndx].addr + sym.value;
	/* the legacy loader's test: a 3-character prefix compare */
	if (!strncmp(name, "_gp", 3)) {
		ctx->has_gp = true;
		ctx->gp = ctx->symval[i];
	}
	return 0;
}

int fw_fixup_symbols(struct fw_ctx *ctx)
{
	uint32_t i;
	int ret;

	ctx->symval = calloc(ctx->nsyms + 1u, sizeof(*ctx->symval));
	if (!ctx->symval)
		return fw_nomem(ctx, "the symbol values",
				(ctx->nsyms + 1ull) * sizeof(*ctx->symval));
	ret = place_commons(ctx);
	for (i = 1; !ret && i < ctx->nsyms; i++)
		ret = fixup_one(ctx, i);
	return ret;
}
