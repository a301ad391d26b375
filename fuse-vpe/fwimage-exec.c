// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage ET_EXEC (docs/legacy-abi.md §5.7): every PT_LOAD goes where the legacy loader
 * copied it, p_paddr taken as a kernel (KSEG0/KSEG1) address. The legacy
 * loader checked nothing here; a segment outside KSEG0/KSEG1, one whose
 * file part is not in the image, or two that overlap are refused, since
 * they could only have overwritten random kernel memory.
 *
 * The input's allocated sections that lie inside a segment are carried
 * over to the output, so disassemblers and debuggers still see them.
 */
#include <errno.h>
#include <stdlib.h>

#include "fwimage-priv.h"


/* Beyond this many section/segment pairs, sections are not carried over. */
#define MAX_SECTION_SEARCH (1u << 22)

static int check_segment(struct fw_ctx *ctx, unsigned int i,
			 const struct fw_phdr *ph)
{
	uint64_t kseg_end;

	if (ph->filesz > ph->memsz)
		return fw_fail(ctx, ENOEXEC,
			       "segment %u: p_filesz 0x%x is more than p_memsz 0x%x",
			       i, ph->filesz, ph->memsz);
	if (!fw_fits(ph->offset, ph->filesz, ctx->len)) {
		fw_legacy(ctx, LOG_ERR, LEGACY_MSG_TRUNC,
			  (unsigned int)ctx->len);
		return fw_fail(ctx, ENOEXEC,
			       "segment %u: p_offset 0x%x + p_filesz 0x%x beyond the image end 0x%zx",
			       i, ph->offset, ph->filesz, ctx->len);
	}
	if (!fw_is_kseg01(ph->paddr))
		return fw_fail(ctx, ENOEXEC,
			       "segment %u: p_paddr 0x%08x is not a KSEG0/KSEG1 address (0x80000000-0xbfffffff)",
			       i, ph->paddr);
	kseg_end = ph->paddr < KSEG1 ? KSEG1 : (uint64_t)KSEG1 + KSEG_SIZE;
	if ((uint64_t)ph->paddr + ph->memsz > kseg_end)
		return fw_fail(ctx, ENOEXEC,
			       "segment %u: p_paddr 0x%08x + p_memsz 0x%x runs past the end of %s",
			       i, ph->paddr, ph->memsz,
			       ph->paddr < KSEG1 ? "KSEG0" : "KSEG1");
	return 0;
}

static int by_paddr(const void *a, const void *b)
{
	const struct fw_seg *x = a, *y = b;

	return (x->paddr > y->paddr) - (x->paddr < y->paddr);
}

static int check_overlaps(struct fw_ctx *ctx)
{
	unsigned int k;

	qsort(ctx->seg, ctx->nseg, sizeof(*ctx->seg), by_paddr);
	for (k = 1; k < ctx->nseg; k++) {
		const struct fw_seg *a = &ctx->seg[k - 1], *b = &ctx->seg[k];

		if ((uint64_t)a->paddr + a->memsz > b->paddr)
			return fw_fail(ctx, ENOEXEC,
				       "segments %u and %u overlap at physical 0x%08x",
				       a->src_index, b->src_index, b->paddr);
	}
	return 0;
}

static int read_segments(struct fw_ctx *ctx)
{
	struct fw_phdr ph;
	unsigned int i;
	int ret;

	ctx->seg = calloc(ctx->phnum + 1u, sizeof(*ctx->seg));
	if (!ctx->seg)
		return fw_nomem(ctx, "the segment table",
				(ctx->phnum + 1u) * sizeof(*ctx->seg));
	for (i = 0; i < ctx->phnum; i++) {
		struct fw_seg *seg;

		fw_read_phdr(ctx, i, &ph);
		if (ph.type != PT_LOAD_)
			continue;
		ret = check_segment(ctx, i, &ph);
		if (ret)
			return ret;
		if (!ph.memsz)
			continue;	/* nothing to load; remoteproc skips it too */
		seg = &ctx->seg[ctx->nseg++];
		seg->paddr = fw_phys(ph.paddr);
		seg->vaddr = KSEG0 | seg->paddr;
		seg->src_vaddr = ph.vaddr;
		seg->filesz = ph.filesz;
		seg->memsz = ph.memsz;
		seg->flags = ph.flags & (PF_R_ | PF_W_ | PF_X_);
		seg->src_offset = ph.offset;
		seg->src_index = i;
	}
	return check_overlaps(ctx);
}

/* The segment holding section sh entirely (its file part, unless NOBITS). */
static int containing_segment(const struct fw_ctx *ctx,
			      const struct fw_shdr *sh)
{
	unsigned int k;

	for (k = 0; k < ctx->nseg; k++) {
		const struct fw_seg *seg = &ctx->seg[k];
		uint64_t size = sh->type == SHT_NOBITS_ ? seg->memsz
							 : seg->filesz;

		if (sh->addr >= seg->src_vaddr &&
		    (uint64_t)sh->addr + sh->size <= seg->src_vaddr + size)
			return (int)k;
	}
	return -1;
}

static void map_sections(struct fw_ctx *ctx)
{
	unsigned int i;

	if ((uint64_t)ctx->nseg * ctx->shnum > MAX_SECTION_SEARCH) {
		fw_warn(ctx,
			"%u sections and %u segments: sections not carried over",
			ctx->shnum, ctx->nseg);
		return;
	}
	for (i = 1; i < ctx->shnum; i++) {
		const struct fw_shdr *sh = &ctx->sh[i];
		int k;

		if (!(sh->flags & SHF_ALLOC_))
			continue;
		k = containing_segment(ctx, sh);
		if (k < 0)
			continue;
		ctx->map[i].loaded = true;
		ctx->map[i].seg = (unsigned int)k;
		ctx->map[i].addr = ctx->seg[k].vaddr +
				   (sh->addr - ctx->seg[k].src_vaddr);
	}
}

int fw_load_exec(struct fw_ctx *ctx)
{
	uint64_t table = (uint64_t)ctx->phnum * PHDR_SIZE;
	int ret;

	if (!fw_fits(ctx->phoff, table, ctx->len)) {
		fw_legacy(ctx, LOG_ERR, LEGACY_MSG_TRUNC,
			  (unsigned int)ctx->len);
		return fw_fail(ctx, ENOEXEC,
			       "program header table (e_phoff 0x%x + %u entries * %d) beyond the image end 0x%zx",
			       ctx->phoff, ctx->phnum, PHDR_SIZE, ctx->len);
	}
	ret = read_segments(ctx);
	if (!ret)
		map_sections(ctx);
	return ret;
}
