// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage: the conversion, step by step in the legacy loader's order
 * (docs/legacy-abi.md 4.5 and 5), so that an image with several defects
 * reports the one the legacy kernel would have reported first:
 *
 *   magic -> header -> section table -> layout or segments -> relocations
 *   -> __start -> vpe_shared
 *
 * All state lives in a struct fw_ctx on the stack of the entry point;
 * nothing survives from one conversion to the next.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fwimage-priv.h"

static int resolve_opts(struct fw_ctx *ctx, const struct fwimage_opts *opts)
{
	struct fwimage_opts *opt = &ctx->opt;

	if (opts)
		*opt = *opts;
	if (!opt->load_addr)
		opt->load_addr = FWIMAGE_LOAD_ADDR_DEFAULT;
	if (!opt->max_size)
		opt->max_size = FWIMAGE_MAX_SIZE_DEFAULT;
	if (opt->load_addr < KSEG0 || opt->load_addr >= KSEG1)
		return fw_fail(ctx, EINVAL,
			       "load address 0x%08x is not in KSEG0 (0x80000000-0x9fffffff)",
			       opt->load_addr);
	if (opt->load_addr & (PAGE_4K - 1))
		return fw_fail(ctx, EINVAL,
			       "load address 0x%08x is not 4 KiB aligned",
			       opt->load_addr);
	if (opt->order != FWIMAGE_ORDER_ANY &&
	    opt->order != FWIMAGE_ORDER_LSB && opt->order != FWIMAGE_ORDER_MSB)
		return fw_fail(ctx, EINVAL, "byte order option %d is unknown",
			       (int)opt->order);
	ctx->load_addr = opt->load_addr;
	return 0;
}

/* ET_EXEC symbols are absolute: their values are final as they are. */
static int exec_symbols(struct fw_ctx *ctx)
{
	struct fw_sym sym;
	uint32_t i;

	ctx->symval = calloc(ctx->nsyms + 1u, sizeof(*ctx->symval));
	if (!ctx->symval)
		return fw_nomem(ctx, "the symbol values",
				(ctx->nsyms + 1ull) * sizeof(*ctx->symval));
	for (i = 1; i < ctx->nsyms; i++) {
		fw_sym(ctx, i, &sym);
		ctx->symval[i] = sym.value;
	}
	return 0;
}

/* The values of the symbols the legacy loader would pick, once placed. */
static void find_magic_symbols(struct fw_ctx *ctx)
{
	fw_find_magic_symbols(ctx);
	if (ctx->start_sym)
		ctx->start = ctx->symval[ctx->start_sym];
	if (ctx->vpe_shared_sym)
		ctx->vpe_shared = ctx->symval[ctx->vpe_shared_sym];
}

/*
 * The physical address of a symbol inside the loaded image, through the
 * segment it was loaded with (ET_EXEC segments may be linked at one
 * address and loaded at another). False if it is in no segment.
 */
static bool to_phys(const struct fw_ctx *ctx, uint32_t addr, uint32_t *phys)
{
	unsigned int k;

	for (k = 0; k < ctx->nseg; k++) {
		const struct fw_seg *seg = &ctx->seg[k];

		if (addr >= seg->src_vaddr && addr - seg->src_vaddr < seg->memsz) {
			*phys = seg->paddr + (addr - seg->src_vaddr);
			return true;
		}
	}
	return false;
}

static void report_loading(struct fw_ctx *ctx)
{
	uint32_t at = ctx->load_addr;

	if (ctx->type == ET_EXEC_ && ctx->nseg)
		at = ctx->seg[0].vaddr;
	/* %p of the legacy kernel: the kernel address, 8 hex digits */
	fw_legacy(ctx, LOG_INFO, "VPE loader: loading to %08x", at);
}

/* __start is mandatory (the load fails), vpe_shared only warned about. */
static int check_magic_symbols(struct fw_ctx *ctx)
{
	struct fwimage_info *info = &ctx->res->info;
	uint32_t phys;

	if (!ctx->start) {
		fw_legacy(ctx, LOG_WARNING,
			  "VPE loader: program does not contain a __start symbol");
		return fw_fail(ctx, ENOEXEC, "%s",
			       ctx->start_sym ?
			       "the symbol __start has the value 0" :
			       ctx->symtab ? "no symbol __start in the symbol table" :
			       "no symbol table, so no __start symbol");
	}
	info->start = ctx->start;
	if (!to_phys(ctx, ctx->start, &phys))
		fw_warn(ctx, "__start 0x%08x is outside the loaded image",
			ctx->start);
	if (!ctx->vpe_shared) {
		fw_legacy(ctx, LOG_WARNING,
			  "VPE loader: program does not contain vpe_shared symbol.");
		fw_legacy(ctx, LOG_WARNING,
			  " Unable to use AMVP (AP/SP) facilities.");
		return 0;
	}
	info->has_vpe_shared = true;
	info->vpe_shared = ctx->vpe_shared;
	if (to_phys(ctx, ctx->vpe_shared, &phys)) {
		info->vpe_shared_has_phys = true;
		info->vpe_shared_phys = phys;
	} else {
		fw_warn(ctx, "vpe_shared 0x%08x is outside the loaded image",
			ctx->vpe_shared);
		if (fw_is_kseg01(ctx->vpe_shared)) {
			info->vpe_shared_has_phys = true;
			info->vpe_shared_phys = fw_phys(ctx->vpe_shared);
		}
	}
	return 0;
}

/* ET_REL: symbols first, then layout (5.3) and their values (5.4). */
static int place_object(struct fw_ctx *ctx)
{
	int ret;

	ret = fw_read_symtab(ctx);
	if (ret)
		return ret;
	ctx->res->info.load_addr = ctx->load_addr;
	ret = fw_layout_rel(ctx);
	if (!ret)
		ret = fw_fixup_symbols(ctx);
	ctx->res->info.ncommons = ctx->ncommons;
	ctx->res->info.commons_size = ctx->common_size;
	return ret;
}

/* ET_EXEC: segments first (5.7), then the symbols, as they are. */
static int place_executable(struct fw_ctx *ctx)
{
	int ret;

	ret = fw_load_exec(ctx);
	if (!ret)
		ret = fw_read_symtab(ctx);
	if (!ret)
		ret = exec_symbols(ctx);
	return ret;
}

static int convert(struct fw_ctx *ctx)
{
	int ret;

	ret = fw_read_header(ctx);
	if (!ret)
		ret = fw_read_sections(ctx);
	if (!ret)
		ret = ctx->type == ET_REL_ ? place_object(ctx)
					   : place_executable(ctx);
	if (ret)
		return ret;
	report_loading(ctx);
	find_magic_symbols(ctx);
	ret = fw_build_output(ctx);
	if (!ret && ctx->type == ET_REL_)
		ret = fw_relocate(ctx);
	if (!ret)
		ret = check_magic_symbols(ctx);
	if (!ret)
		fw_legacy(ctx, LOG_INFO, " elf loaded");
	return ret;
}

int fwimage_check_opts(const struct fwimage_opts *opts,
		       struct fwimage_result *res)
{
	struct fw_ctx ctx = { .res = res };

	memset(res, 0, sizeof(*res));
	return resolve_opts(&ctx, opts);
}

static void free_ctx(struct fw_ctx *ctx)
{
	free(ctx->sh);
	free(ctx->map);
	free(ctx->symval);
	free(ctx->seg);
	free(ctx->out);
	free(ctx->pieces);
}

/* The pieces in one buffer, zeros between them. */
static int flatten(struct fw_ctx *ctx)
{
	struct fwimage_result *res = ctx->res;
	unsigned int i;

	if (ctx->npieces == 1 && !ctx->pieces[0].from_input &&
	    ctx->pieces[0].len == ctx->out_len) {
		res->image = ctx->out;		/* ET_REL: it is one already */
		ctx->out = NULL;
	} else {
		res->image = calloc(1, ctx->out_len);
		if (!res->image)
			return fw_nomem(ctx, "the output image", ctx->out_len);
		for (i = 0; i < ctx->npieces; i++)
			memcpy(res->image + ctx->pieces[i].offset,
			       ctx->pieces[i].data, ctx->pieces[i].len);
	}
	res->image_len = ctx->out_len;
	return 0;
}

/*
 * Both entry points: the checks and the conversion, the output in pieces,
 * and in one buffer too if @flat.
 */
static int run(struct fw_ctx *ctx, const struct fwimage_opts *opts, bool flat)
{
	int ret;

	memset(ctx->res, 0, sizeof(*ctx->res));
	ret = resolve_opts(ctx, opts);
	if (!ret && ctx->len > ctx->opt.max_size) {
		/* what write() logged when the upload buffer overflowed */
		fw_legacy(ctx, LOG_WARNING,
			  LEGACY_MSG_TOO_BIG);
		ret = fw_fail(ctx, ENOMEM,
			      "the image is %zu bytes, more than the maximum %u",
			      ctx->len, ctx->opt.max_size);
	}
	if (!ret)
		ret = convert(ctx);
	if (!ret && flat)
		ret = flatten(ctx);
	if (ret && ctx->elf_loader_ran)
		fw_legacy(ctx, LOG_WARNING,
			  LEGACY_MSG_LOAD_FAILED);
	return ret;
}

int fwimage_convert_pieces(const void *in, size_t len,
			   const struct fwimage_opts *opts,
			   struct fwimage_result *res)
{
	struct fw_ctx ctx = { .in = in, .len = len, .res = res };
	int ret = run(&ctx, opts, false);

	if (!ret) {
		res->pieces = ctx.pieces;
		res->npieces = ctx.npieces;
		res->piece_data = ctx.out;
		res->image_len = ctx.out_len;
		ctx.pieces = NULL;
		ctx.out = NULL;
	}
	free_ctx(&ctx);
	return ret;
}

int fwimage_convert(const void *in, size_t len,
		    const struct fwimage_opts *opts,
		    struct fwimage_result *res)
{
	struct fw_ctx ctx = { .in = in, .len = len, .res = res };
	int ret = run(&ctx, opts, true);

	free_ctx(&ctx);
	return ret;
}

void fwimage_result_free(struct fwimage_result *res)
{
	free(res->image);
	free(res->pieces);
	free(res->piece_data);
	free(res->info.segments);
	res->image = NULL;
	res->image_len = 0;
	res->pieces = NULL;
	res->npieces = 0;
	res->piece_data = NULL;
	res->info.segments = NULL;
	res->info.nsegments = 0;
}

const char *fwimage_order_name(enum fwimage_order order)
{
	switch (order) {
	case FWIMAGE_ORDER_LSB:
		return "little-endian";
	case FWIMAGE_ORDER_MSB:
		return "big-endian";
	default:
		return "any byte order";
	}
}

const char *fwimage_type_name(unsigned int type)
{
	switch (type) {
	case ET_REL_:
		return "ET_REL";
	case ET_EXEC_:
		return "ET_EXEC";
	default:
		return "unknown";
	}
}
