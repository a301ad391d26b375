// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage extent: how long is an image that arrives a piece at a time?
 *
 * A writer of /dev/vpe1 whose close error nobody sees (the cat of busybox
 * ash or dash, which open the redirection themselves) can only be told
 * through a write. That needs two answers before the last byte is known to
 * be the last: do the bytes so far already rule the image out, and are all
 * the bytes the conversion reads there? Both follow from what the
 * conversion itself reads: the ELF header, then the tables it points to,
 * then what those tables point to. So the answer is given in rounds, each
 * needing the bytes the previous one asked for.
 *
 * Never sooner than the conversion: an image this calls whole has every
 * byte fwimage_convert() reads inside it, so what follows cannot change
 * its verdict. Never later than needed for a verdict: a header no later
 * byte can mend is one already.
 */
#include <errno.h>
#include <string.h>

#include "fwimage-priv.h"

/* The first bytes of the ELF magic that are there: do they match? */
static bool magic_so_far(const uint8_t *in, size_t len)
{
	return !memcmp(in, "\x7f" "ELF", len < 4 ? len : 4);
}

static void extend(uint64_t *end, uint64_t off, uint64_t size)
{
	if (off + size > *end)
		*end = off + size;
}

/* The header's own tables: what the conversion reads right after it. */
static uint64_t tables_end(const struct fw_ctx *ctx)
{
	uint64_t end = EHDR_SIZE;

	extend(&end, ctx->shoff, (uint64_t)ctx->shnum * SHDR_SIZE);
	if (ctx->type == ET_EXEC_)
		extend(&end, ctx->phoff, (uint64_t)ctx->phnum * PHDR_SIZE);
	return end;
}

/*
 * What the tables point to. The conversion reads every section of an
 * object, an executable's loaded segments and the sections naming its
 * sections and symbols: those are needed. An executable's other sections
 * it carries over if they are there: waited for, unless they could not
 * fit in the largest image anyway.
 */
static uint64_t contents_end(struct fw_ctx *ctx, uint64_t end, uint64_t max)
{
	unsigned int i, symtab = 0, strtab = 0;
	struct fw_phdr ph;
	struct fw_shdr sh;

	for (i = 0; ctx->type == ET_EXEC_ && i < ctx->phnum; i++) {
		fw_read_phdr(ctx, i, &ph);
		if (ph.type == PT_LOAD_)
			extend(&end, ph.offset, ph.filesz);
	}
	/* the last symbol table, as the conversion picks it, and its strings */
	for (i = 1; i < ctx->shnum; i++) {
		fw_read_shdr(ctx, i, &sh);
		if (sh.type == SHT_SYMTAB_) {
			symtab = i;
			strtab = sh.link;
		}
	}
	for (i = 1; i < ctx->shnum; i++) {
		bool needed;

		fw_read_shdr(ctx, i, &sh);
		if (sh.type == SHT_NOBITS_)
			continue;
		needed = ctx->type == ET_REL_ || i == ctx->shstrndx ||
			 i == symtab || i == strtab;
		if (needed || (uint64_t)sh.offset + sh.size <= max)
			extend(&end, sh.offset, sh.size);
	}
	return end;
}

int fwimage_extent(const void *in, size_t len,
		   const struct fwimage_opts *opts, size_t *need)
{
	struct fwimage_result res;
	struct fw_ctx ctx = { .in = in, .len = len, .res = &res };
	uint64_t max, end;

	if (fwimage_check_opts(opts, &res))
		return -EINVAL;
	if (opts)
		ctx.opt = *opts;
	max = ctx.opt.max_size ? ctx.opt.max_size : FWIMAGE_MAX_SIZE_DEFAULT;
	if (!magic_so_far(in, len))
		return -ENOEXEC;
	/* each round: the bytes it needs, or the verdict of those there */
	if (len < 20) {
		*need = EHDR_SIZE;
		return 0;
	}
	if (fw_read_ident(&ctx))
		return -ENOEXEC;
	if (len < EHDR_SIZE) {
		*need = EHDR_SIZE;
		return 0;
	}
	if (fw_read_header(&ctx))
		return -ENOEXEC;
	end = tables_end(&ctx);
	if (end <= len)
		end = contents_end(&ctx, end, max);
	/*
	 * Past the largest image: more bytes are refused with ENOMEM as they
	 * come, the legacy "elf size too big" (the image may be a real one
	 * for a bigger limit). Past 4 GiB no ELF32 file reaches: garbage.
	 */
	if (end > UINT32_MAX)
		return -ENOEXEC;
	*need = (size_t)end;
	return 0;
}
