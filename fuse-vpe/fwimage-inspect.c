// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage inspect: read back what fwimage_convert() wrote.
 *
 * A daemon that restarts while the program runs has only the file
 * remoteproc loaded.  Its vpe_shared is found as the conversion found it:
 * the last symbol of that name, placed through the loaded segment that
 * holds it.  The output's segments sit at their KSEG0 address (p_vaddr)
 * and physical one (p_paddr), so the translation is exact wherever the
 * program was linked in KSEG0 or KSEG1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fwimage-priv.h"

/* The physical address of @addr through a PT_LOAD of the output. */
static bool segment_phys(const struct fw_ctx *ctx, uint32_t addr,
			 uint32_t *phys)
{
	struct fw_phdr ph;
	unsigned int i;

	for (i = 0; i < ctx->phnum; i++) {
		fw_read_phdr(ctx, i, &ph);
		if (ph.type != PT_LOAD_ || addr < ph.vaddr ||
		    addr - ph.vaddr >= ph.memsz)
			continue;
		*phys = ph.paddr + (addr - ph.vaddr);
		return true;
	}
	return false;
}

static int check_ours(struct fw_ctx *ctx)
{
	unsigned int i;

	if (ctx->type != ET_EXEC_)
		return fw_fail(ctx, ENOEXEC,
			       "an ET_REL object: not an image fwimage wrote");
	if (!fw_fits(ctx->phoff, (uint64_t)ctx->phnum * PHDR_SIZE, ctx->len))
		return fw_fail(ctx, ENOEXEC,
			       "program headers beyond the end of the image");
	for (i = 1; i < ctx->shnum; i++)
		if (!strcmp(fw_secname(ctx, i), ".resource_table"))
			return 0;
	return fw_fail(ctx, ENOEXEC,
		       "no .resource_table: not an image fwimage wrote");
}

static int find_shared(struct fw_ctx *ctx)
{
	struct fwimage_info *info = &ctx->res->info;
	struct fw_sym sym;

	fw_find_magic_symbols(ctx);
	if (ctx->start_sym) {
		fw_sym(ctx, ctx->start_sym, &sym);
		info->start = sym.value;
	}
	if (ctx->vpe_shared_sym) {
		fw_sym(ctx, ctx->vpe_shared_sym, &sym);
		info->has_vpe_shared = true;
		info->vpe_shared = sym.value;
	}
	if (!info->has_vpe_shared)
		return fw_fail(ctx, ENOEXEC, "no vpe_shared symbol");
	info->vpe_shared_has_phys =
		segment_phys(ctx, info->vpe_shared, &info->vpe_shared_phys);
	if (!info->vpe_shared_has_phys && fw_is_kseg01(info->vpe_shared)) {
		info->vpe_shared_phys = fw_phys(info->vpe_shared);
		info->vpe_shared_has_phys = true;
	}
	if (!info->vpe_shared_has_phys)
		return fw_fail(ctx, ENOEXEC,
			       "vpe_shared 0x%08x is in no loaded segment",
			       info->vpe_shared);
	return 0;
}

int fwimage_inspect(const void *image, size_t len, struct fwimage_result *res)
{
	struct fw_ctx ctx = { .in = image, .len = len, .res = res };
	int ret;

	memset(res, 0, sizeof(*res));
	ret = fw_read_header(&ctx);
	if (!ret)
		ret = fw_read_sections(&ctx);
	if (!ret)
		ret = check_ours(&ctx);
	if (!ret)
		ret = fw_read_symtab(&ctx);
	if (!ret)
		ret = find_shared(&ctx);
	/* the legacy loader's lines belong to loads, not to this */
	res->nlegacy = 0;
	free(ctx.sh);
	free(ctx.map);
	return ret;
}
