// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage output: the ELF that remoteproc's loader accepts
 * (drivers/remoteproc/remoteproc_elf_loader.c: rproc_elf_sanity_check(),
 * rproc_elf_load_segments(), rproc_elf_load_rsc_table()), in the input's
 * byte order.
 *
 * ET_REL (everything is fwimage's own: the sections are relocated):
 *
 *   ELF header, program headers
 *   the loaded segments' file bytes      PT_LOAD, p_paddr physical
 *   .resource_table                      its own PT_LOAD, after the image
 *   .symtab, .strtab, .shstrtab
 *   section headers                      last, so e_shoff + 40 <= size
 *
 * ET_EXEC (the loaded bytes are the input's, where the input has them):
 *
 *   ELF header                           fwimage's own
 *   each segment at its input offset     unless it overlaps the ELF header
 *                                        or a segment kept before it, or
 *                                        its offset does not match its
 *                                        address modulo 16
 *   (the input's other bytes: unused)
 *   from the input's length up:          the segments that could not stay,
 *                                        program headers, .resource_table,
 *                                        .symtab, .strtab, .shstrtab,
 *                                        section headers
 *
 * so that the input, in a file, becomes the output by writing the header
 * and appending the rest (fwimage.h, fwimage_convert_pieces()).
 *
 * The resource table holds one RSC_CARVEOUT covering every loaded byte
 * and the table itself, 4 KiB aligned, with da = pa = physical (the
 * device-address model: da = pa, as remoteproc drivers without an IOMMU). The kernel finds the table by section
 * name and copies its processed version to da_to_va(sh_addr), so sh_addr
 * is physical too.
 *
 * .strtab is the input's string table copied whole, so symbol names keep
 * their st_name offsets and the output can never be bigger than the input
 * by more than the loaded bytes and a few fixed-size tables.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fwimage-priv.h"

#define RSC_TABLE_SIZE	76	/* header 16 + offset[1] 4 + hdr 4 + carveout 52 */
#define RSC_CARVEOUT	0
#define SEG_FILE_ALIGN	16	/* p_offset = p_vaddr modulo this */

#define SHT_PROGBITS_	1
#define SHT_STRTAB_	3
#define STT_FILE_	4

/* Names fwimage adds to the section-name table, after the input's. */
static const char added_names[] =
	"\0.resource_table\0.symtab\0.strtab\0.shstrtab\0.bss.common";
enum {
	NAME_EMPTY = 0,
	NAME_RSC = 1,
	NAME_SYMTAB = NAME_RSC + sizeof(".resource_table"),
	NAME_STRTAB = NAME_SYMTAB + sizeof(".symtab"),
	NAME_SHSTRTAB = NAME_STRTAB + sizeof(".strtab"),
	NAME_COMMON = NAME_SHSTRTAB + sizeof(".shstrtab"),
};

struct out_plan {
	unsigned int nphdr;
	size_t phoff;
	uint16_t nsec, idx_common, idx_rsc, idx_symtab, idx_strtab,
		 idx_shstrtab;
	uint32_t nsyms, nlocal;
	size_t rsc_off, symtab_off, strtab_off, shstrtab_off, shoff;
	uint32_t strtab_size, shstrtab_size;
	uint32_t rsc_paddr;
	struct {
		uint32_t da, len;
	} carveout;
	size_t total;
};

/* Where the table goes, and the carveout that covers it all. */
static int plan_carveout(struct fw_ctx *ctx, struct out_plan *plan)
{
	uint64_t lo = UINT64_MAX, hi = 0, rsc_end, end, len;
	unsigned int k;

	for (k = 0; k < ctx->nseg; k++) {
		const struct fw_seg *seg = &ctx->seg[k];

		if (!seg->memsz)
			continue;
		if (seg->paddr < lo)
			lo = seg->paddr;
		if ((uint64_t)seg->paddr + seg->memsz > hi)
			hi = (uint64_t)seg->paddr + seg->memsz;
	}
	if (lo == UINT64_MAX)		/* nothing loaded at all */
		lo = hi = fw_phys(ctx->load_addr);
	plan->rsc_paddr = (uint32_t)fw_align_up(hi, 16);
	rsc_end = fw_align_up(hi, 16) + RSC_TABLE_SIZE;
	plan->carveout.da = (uint32_t)lo & ~(PAGE_4K - 1);
	end = fw_align_up(rsc_end, PAGE_4K);
	if (end > KSEG_SIZE)
		return fw_fail(ctx, ENOEXEC,
			       "the image and its resource table end at physical 0x%llx, beyond the 512 MiB that KSEG0 reaches",
			       (unsigned long long)rsc_end);
	len = end - plan->carveout.da;
	if (len > ctx->opt.max_size)
		return fw_fail(ctx, ENOMEM,
			       "the loaded span physical 0x%08x-0x%08llx (0x%llx bytes) is more than the maximum 0x%x",
			       plan->carveout.da, (unsigned long long)end,
			       (unsigned long long)len, ctx->opt.max_size);
	plan->carveout.len = (uint32_t)len;
	return 0;
}

/*
 * The output section index for symbol i, or 0 to leave it out: undefined
 * and section symbols mean nothing in an executable, symbols of sections
 * that are not loaded have no address, and of several __start or
 * vpe_shared only the one the legacy loader used (the last) is kept, so
 * that whoever looks the name up in the output finds the same value.
 */
static uint16_t symbol_section(const struct fw_ctx *ctx,
			       const struct out_plan *plan, uint32_t i)
{
	const char *name = fw_symname(ctx, i);
	struct fw_sym sym;

	fw_sym(ctx, i, &sym);
	if (sym.shndx == SHN_UNDEF_ || (sym.info & 0xf) == STT_SECTION_)
		return 0;
	if ((!strcmp(name, "__start") && i != ctx->start_sym) ||
	    (!strcmp(name, "vpe_shared") && i != ctx->vpe_shared_sym))
		return 0;
	if (ctx->type == ET_REL_ &&
	    (sym.shndx == SHN_COMMON_ || sym.shndx == SHN_MIPS_SCOMMON_))
		return plan->idx_common;
	if (sym.shndx < ctx->shnum && ctx->map[sym.shndx].loaded)
		return ctx->map[sym.shndx].out_index;
	if (ctx->type == ET_REL_ && sym.shndx != SHN_ABS_)
		return 0;
	return SHN_ABS_;	/* ET_EXEC values are absolute anyway */
}

static int plan_sections(struct fw_ctx *ctx, struct out_plan *plan)
{
	uint16_t n = 1;
	unsigned int i;
	uint32_t s;

	for (i = 1; i < ctx->shnum; i++)
		if (ctx->map[i].loaded)
			ctx->map[i].out_index = n++;
	/* five more to add, and indices from 0xff00 up are reserved */
	if (n + 5u > SHN_LORESERVE_)
		return fw_fail(ctx, ENOEXEC,
			       "%u loaded sections: too many for an ELF file without extended numbering",
			       n - 1u);
	if (ctx->ncommons)
		plan->idx_common = n++;
	plan->idx_rsc = n++;
	plan->idx_symtab = n++;
	plan->idx_strtab = n++;
	plan->idx_shstrtab = n++;
	plan->nsec = n;

	plan->nsyms = 1;
	for (s = 1; s < ctx->nsyms; s++) {
		struct fw_sym sym;

		if (!symbol_section(ctx, plan, s))
			continue;
		fw_sym(ctx, s, &sym);
		plan->nsyms++;
		if (sym.info >> 4 == STB_LOCAL_)
			plan->nlocal++;
	}
	return 0;
}

static size_t align_to(size_t off, uint32_t addr)
{
	size_t want = addr % SEG_FILE_ALIGN;

	return off + ((want - off % SEG_FILE_ALIGN) + SEG_FILE_ALIGN) %
		     SEG_FILE_ALIGN;
}

/* The tables, from off on: resource table, symbols, names, sections. */
static void plan_tables(struct fw_ctx *ctx, struct out_plan *plan, size_t off)
{
	plan->rsc_off = align_to(off, plan->rsc_paddr);
	plan->symtab_off = fw_align_up(plan->rsc_off + RSC_TABLE_SIZE, 4);
	plan->strtab_off = plan->symtab_off + (size_t)plan->nsyms * SYM_SIZE;
	plan->strtab_size = ctx->str ? ctx->str_size : 1;
	plan->shstrtab_off = plan->strtab_off + plan->strtab_size;
	plan->shstrtab_size = ctx->shstr_size + sizeof(added_names);
	plan->shoff = fw_align_up(plan->shstrtab_off + plan->shstrtab_size, 4);
	plan->total = plan->shoff + (size_t)plan->nsec * SHDR_SIZE;
}

/* ET_REL: everything packed after the headers. */
static void plan_rel_file(struct fw_ctx *ctx, struct out_plan *plan)
{
	size_t off;
	unsigned int k;

	plan->phoff = EHDR_SIZE;
	off = EHDR_SIZE + (size_t)plan->nphdr * PHDR_SIZE;
	for (k = 0; k < ctx->nseg; k++) {
		struct fw_seg *seg = &ctx->seg[k];

		seg->out_offset = align_to(off, seg->vaddr);
		off = seg->out_offset + seg->filesz;
	}
	plan_tables(ctx, plan, off);
}

static int by_src_offset(const void *a, const void *b)
{
	const struct fw_seg *x = *(const struct fw_seg *const *)a;
	const struct fw_seg *y = *(const struct fw_seg *const *)b;

	if (x->src_offset != y->src_offset)
		return (x->src_offset > y->src_offset) -
		       (x->src_offset < y->src_offset);
	return (x->src_index > y->src_index) - (x->src_index < y->src_index);
}

/*
 * ET_EXEC: segments stay at their input offsets when they can (the
 * layout at the top); the rest goes after the input's length.
 */
static int plan_exec_file(struct fw_ctx *ctx, struct out_plan *plan)
{
	struct fw_seg **order;
	uint64_t kept_end = EHDR_SIZE;
	size_t off;
	unsigned int k;

	order = malloc((ctx->nseg + 1u) * sizeof(*order));
	if (!order)
		return fw_nomem(ctx, "the segment order",
				(ctx->nseg + 1ull) * sizeof(*order));
	for (k = 0; k < ctx->nseg; k++)
		order[k] = &ctx->seg[k];
	qsort(order, ctx->nseg, sizeof(*order), by_src_offset);
	for (k = 0; k < ctx->nseg; k++) {
		struct fw_seg *seg = order[k];

		seg->in_place = seg->filesz && seg->src_offset >= kept_end &&
				seg->src_offset % SEG_FILE_ALIGN ==
				seg->vaddr % SEG_FILE_ALIGN;
		if (!seg->in_place)
			continue;
		seg->out_offset = seg->src_offset;
		kept_end = (uint64_t)seg->src_offset + seg->filesz;
	}
	free(order);
	off = fw_align_up(ctx->len, SEG_FILE_ALIGN);
	for (k = 0; k < ctx->nseg; k++) {
		struct fw_seg *seg = &ctx->seg[k];

		if (seg->in_place)
			continue;
		seg->out_offset = align_to(off, seg->vaddr);
		off = seg->out_offset + seg->filesz;
	}
	plan->phoff = fw_align_up(off, 4);
	plan_tables(ctx, plan,
		    plan->phoff + (size_t)plan->nphdr * PHDR_SIZE);
	return 0;
}

/* ELF32 file offsets are 32 bits (a function: no always-false warning
 * where size_t is 32 bits). */
static bool fits_elf32(uint64_t off)
{
	return off <= UINT32_MAX;
}

static int plan_file(struct fw_ctx *ctx, struct out_plan *plan)
{
	unsigned int k;
	int ret = 0;

	plan->nphdr = 1;		/* the resource table's */
	for (k = 0; k < ctx->nseg; k++)
		plan->nphdr += ctx->seg[k].memsz != 0;
	if (ctx->type == ET_EXEC_)
		ret = plan_exec_file(ctx, plan);
	else
		plan_rel_file(ctx, plan);
	if (ret)
		return ret;
	if (!fits_elf32(plan->total))
		return fw_fail(ctx, ENOMEM,
			       "the output would be 0x%llx bytes, more than an ELF32 file holds",
			       (unsigned long long)plan->total);
	return 0;
}

/* Where output offset off is in fwimage's own bytes of the output. */
static uint8_t *out_at(struct fw_ctx *ctx, size_t off)
{
	if (ctx->type != ET_EXEC_ || off < EHDR_SIZE)
		return ctx->out + off;
	return ctx->out + EHDR_SIZE + (off - ctx->tail_off);
}

/* ET_REL: the sections' bytes, to be relocated in place. */
static void copy_contents(struct fw_ctx *ctx)
{
	unsigned int i;

	for (i = 1; i < ctx->shnum; i++) {
		const struct fw_shdr *sh = &ctx->sh[i];
		const struct fw_seg *seg = &ctx->seg[ctx->map[i].seg];

		if (!ctx->map[i].loaded || sh->type == SHT_NOBITS_ || !sh->size)
			continue;
		memcpy(ctx->out + seg->out_offset + (ctx->map[i].addr -
						     seg->vaddr),
		       ctx->in + sh->offset, sh->size);
	}
}

static void write_ehdr(struct fw_ctx *ctx, const struct out_plan *plan)
{
	uint8_t *p = ctx->out;

	memcpy(p, "\x7f" "ELF", 4);
	p[4] = 1;			/* ELFCLASS32 */
	p[5] = ctx->msb ? 2 : 1;
	p[6] = 1;			/* EV_CURRENT */
	fw_put16(ctx, p + 16, ET_EXEC_);
	fw_put16(ctx, p + 18, EM_MIPS_);
	fw_put32(ctx, p + 20, 1);
	fw_put32(ctx, p + 24, ctx->start);
	fw_put32(ctx, p + 28, (uint32_t)plan->phoff);
	fw_put32(ctx, p + 32, (uint32_t)plan->shoff);
	fw_put32(ctx, p + 36, ctx->flags);
	fw_put16(ctx, p + 40, EHDR_SIZE);
	fw_put16(ctx, p + 42, PHDR_SIZE);
	fw_put16(ctx, p + 44, (uint16_t)plan->nphdr);
	fw_put16(ctx, p + 46, SHDR_SIZE);
	fw_put16(ctx, p + 48, plan->nsec);
	fw_put16(ctx, p + 50, plan->idx_shstrtab);
}

static void put_phdr(struct fw_ctx *ctx, uint8_t *p, size_t off,
		     uint32_t vaddr, uint32_t paddr, uint32_t filesz,
		     uint32_t memsz, uint32_t flags)
{
	fw_put32(ctx, p, PT_LOAD_);
	fw_put32(ctx, p + 4, (uint32_t)off);
	fw_put32(ctx, p + 8, vaddr);
	fw_put32(ctx, p + 12, paddr);
	fw_put32(ctx, p + 16, filesz);
	fw_put32(ctx, p + 20, memsz);
	fw_put32(ctx, p + 24, flags);
	fw_put32(ctx, p + 28, SEG_FILE_ALIGN);
}

static void write_phdrs(struct fw_ctx *ctx, const struct out_plan *plan)
{
	uint8_t *p = out_at(ctx, plan->phoff);
	unsigned int k;

	for (k = 0; k < ctx->nseg; k++) {
		const struct fw_seg *seg = &ctx->seg[k];

		if (!seg->memsz)
			continue;
		put_phdr(ctx, p, seg->out_offset, seg->vaddr, seg->paddr,
			 seg->filesz, seg->memsz, seg->flags);
		p += PHDR_SIZE;
	}
	put_phdr(ctx, p, plan->rsc_off, KSEG0 | plan->rsc_paddr,
		 plan->rsc_paddr, RSC_TABLE_SIZE, RSC_TABLE_SIZE,
		 PF_R_ | PF_W_);
}

static void write_rsc_table(struct fw_ctx *ctx, const struct out_plan *plan)
{
	uint8_t *p = out_at(ctx, plan->rsc_off);

	fw_put32(ctx, p, 1);			/* ver */
	fw_put32(ctx, p + 4, 1);		/* num */
	fw_put32(ctx, p + 16, 20);		/* offset[0] */
	fw_put32(ctx, p + 20, RSC_CARVEOUT);
	fw_put32(ctx, p + 24, plan->carveout.da);
	fw_put32(ctx, p + 28, plan->carveout.da);	/* pa = da */
	fw_put32(ctx, p + 32, plan->carveout.len);
	/* flags, reserved: 0 */
	memcpy(p + 44, FWIMAGE_CARVEOUT_NAME, sizeof(FWIMAGE_CARVEOUT_NAME));
}

static void put_sym(struct fw_ctx *ctx, uint8_t *p, uint32_t i,
		    uint16_t shndx)
{
	struct fw_sym sym;

	fw_sym(ctx, i, &sym);
	fw_put32(ctx, p, sym.name);
	fw_put32(ctx, p + 4, ctx->symval[i]);
	fw_put32(ctx, p + 8, sym.size);
	p[12] = sym.info;
	p[13] = sym.other;
	fw_put16(ctx, p + 14, shndx);
}

/* Locals first: sh_info of .symtab is the index of the first global. */
static void write_symbols(struct fw_ctx *ctx, const struct out_plan *plan)
{
	uint8_t *p = out_at(ctx, plan->symtab_off + SYM_SIZE);
	int want_local;
	uint32_t i;

	for (want_local = 1; want_local >= 0; want_local--) {
		for (i = 1; i < ctx->nsyms; i++) {
			uint16_t shndx = symbol_section(ctx, plan, i);
			struct fw_sym sym;

			fw_sym(ctx, i, &sym);
			if (!shndx || (sym.info >> 4 == STB_LOCAL_) != want_local)
				continue;
			put_sym(ctx, p, i, shndx);
			p += SYM_SIZE;
		}
	}
	if (ctx->str)
		memcpy(out_at(ctx, plan->strtab_off), ctx->str, ctx->str_size);
	if (ctx->shstr)
		memcpy(out_at(ctx, plan->shstrtab_off), ctx->shstr,
		       ctx->shstr_size);
	memcpy(out_at(ctx, plan->shstrtab_off + ctx->shstr_size), added_names,
	       sizeof(added_names));
}

struct out_shdr {
	uint32_t name, type, flags, addr;
	size_t offset;
	uint32_t size, link, info, addralign, entsize;
};

static void put_shdr(struct fw_ctx *ctx, const struct out_plan *plan,
		     unsigned int index, const struct out_shdr *sh)
{
	uint8_t *p = out_at(ctx, plan->shoff + (size_t)index * SHDR_SIZE);

	fw_put32(ctx, p, sh->name);
	fw_put32(ctx, p + 4, sh->type);
	fw_put32(ctx, p + 8, sh->flags);
	fw_put32(ctx, p + 12, sh->addr);
	fw_put32(ctx, p + 16, (uint32_t)sh->offset);
	fw_put32(ctx, p + 20, sh->size);
	fw_put32(ctx, p + 24, sh->link);
	fw_put32(ctx, p + 28, sh->info);
	fw_put32(ctx, p + 32, sh->addralign);
	fw_put32(ctx, p + 36, sh->entsize);
}

/* Where the commons would be in the file: in the data segment's tail. */
static size_t commons_offset(const struct fw_ctx *ctx)
{
	unsigned int k;

	for (k = 0; k < ctx->nseg; k++) {
		const struct fw_seg *seg = &ctx->seg[k];

		if (ctx->common_addr >= seg->vaddr &&
		    ctx->common_addr - seg->vaddr < seg->memsz)
			return seg->out_offset + (ctx->common_addr - seg->vaddr);
	}
	return 0;
}

static void write_loaded_shdrs(struct fw_ctx *ctx, const struct out_plan *plan)
{
	uint32_t empty = ctx->shstr_size + NAME_EMPTY;
	unsigned int i;

	put_shdr(ctx, plan, 0, &(struct out_shdr){ .name = empty });
	for (i = 1; i < ctx->shnum; i++) {
		const struct fw_shdr *in = &ctx->sh[i];
		const struct fw_secmap *map = &ctx->map[i];
		const struct fw_seg *seg = &ctx->seg[map->seg];

		if (!map->loaded)
			continue;
		put_shdr(ctx, plan, map->out_index, &(struct out_shdr){
			.name = fw_secname(ctx, i) ? in->name : empty,
			.type = in->type,
			.flags = in->flags,
			.addr = map->addr,
			.offset = seg->out_offset + (map->addr - seg->vaddr),
			.size = in->size,
			.addralign = in->addralign,
			.entsize = in->entsize,
		});
	}
	if (ctx->ncommons)
		put_shdr(ctx, plan, plan->idx_common, &(struct out_shdr){
			.name = ctx->shstr_size + NAME_COMMON,
			.type = SHT_NOBITS_,
			.flags = SHF_ALLOC_ | SHF_WRITE_,
			.addr = ctx->common_addr,
			.offset = commons_offset(ctx),
			.size = ctx->common_size,
			.addralign = ctx->common_align,
		});
}

static void write_shdrs(struct fw_ctx *ctx, const struct out_plan *plan)
{
	uint32_t base = ctx->shstr_size;

	write_loaded_shdrs(ctx, plan);
	put_shdr(ctx, plan, plan->idx_rsc, &(struct out_shdr){
		.name = base + NAME_RSC, .type = SHT_PROGBITS_,
		.flags = SHF_ALLOC_ | SHF_WRITE_, .addr = plan->rsc_paddr,
		.offset = plan->rsc_off, .size = RSC_TABLE_SIZE,
		.addralign = 8,
	});
	put_shdr(ctx, plan, plan->idx_symtab, &(struct out_shdr){
		.name = base + NAME_SYMTAB, .type = SHT_SYMTAB_,
		.offset = plan->symtab_off,
		.size = plan->nsyms * SYM_SIZE, .link = plan->idx_strtab,
		.info = plan->nlocal + 1, .addralign = 4, .entsize = SYM_SIZE,
	});
	put_shdr(ctx, plan, plan->idx_strtab, &(struct out_shdr){
		.name = base + NAME_STRTAB, .type = SHT_STRTAB_,
		.offset = plan->strtab_off, .size = plan->strtab_size,
		.addralign = 1,
	});
	put_shdr(ctx, plan, plan->idx_shstrtab, &(struct out_shdr){
		.name = base + NAME_SHSTRTAB, .type = SHT_STRTAB_,
		.offset = plan->shstrtab_off, .size = plan->shstrtab_size,
		.addralign = 1,
	});
}

static int fill_info(struct fw_ctx *ctx, const struct out_plan *plan)
{
	struct fwimage_info *info = &ctx->res->info;
	unsigned int k, n = 0;

	info->segments = calloc(plan->nphdr, sizeof(*info->segments));
	if (!info->segments)
		return fw_nomem(ctx, "the segment list",
				plan->nphdr * sizeof(*info->segments));
	for (k = 0; k < ctx->nseg; k++) {
		const struct fw_seg *seg = &ctx->seg[k];

		if (!seg->memsz)
			continue;
		info->segments[n++] = (struct fwimage_segment){
			.paddr = seg->paddr, .vaddr = seg->vaddr,
			.filesz = seg->filesz, .memsz = seg->memsz,
			.flags = seg->flags,
		};
	}
	info->nsegments = n;
	info->rsc_table_addr = plan->rsc_paddr;
	info->rsc_table_size = RSC_TABLE_SIZE;
	info->carveout.da = plan->carveout.da;
	info->carveout.pa = plan->carveout.da;
	info->carveout.len = plan->carveout.len;
	return 0;
}

static int by_offset(const void *a, const void *b)
{
	const struct fwimage_piece *x = a, *y = b;

	return (x->offset > y->offset) - (x->offset < y->offset);
}

static void add_piece(struct fw_ctx *ctx, size_t offset, size_t len,
		      const uint8_t *data, bool from_input)
{
	if (!len)
		return;
	ctx->pieces[ctx->npieces++] = (struct fwimage_piece){
		.offset = offset, .len = len, .data = data,
		.from_input = from_input,
		.in_offset = from_input ? (size_t)(data - ctx->in) : 0,
	};
}

/*
 * The pieces: ET_REL one, fwimage's whole output; ET_EXEC the header,
 * the segments (the input's bytes) and the tables.
 */
static int make_pieces(struct fw_ctx *ctx)
{
	unsigned int k;

	ctx->pieces = calloc(ctx->nseg + 2u, sizeof(*ctx->pieces));
	if (!ctx->pieces)
		return fw_nomem(ctx, "the output's pieces",
				(ctx->nseg + 2ull) * sizeof(*ctx->pieces));
	if (ctx->type != ET_EXEC_) {
		add_piece(ctx, 0, ctx->out_len, ctx->out, false);
		return 0;
	}
	add_piece(ctx, 0, EHDR_SIZE, ctx->out, false);
	for (k = 0; k < ctx->nseg; k++)
		add_piece(ctx, ctx->seg[k].out_offset, ctx->seg[k].filesz,
			  ctx->in + ctx->seg[k].src_offset, true);
	add_piece(ctx, ctx->tail_off, ctx->out_len - ctx->tail_off,
		  ctx->out + EHDR_SIZE, false);
	qsort(ctx->pieces, ctx->npieces, sizeof(*ctx->pieces), by_offset);
	return 0;
}

/*
 * Plan, allocate and write fwimage's own part of the output and list the
 * pieces; the caller relocates the copied contents afterwards (ET_REL).
 */
int fw_build_output(struct fw_ctx *ctx)
{
	struct out_plan plan = { 0 };
	size_t own;
	int ret;

	ret = plan_carveout(ctx, &plan);
	if (ret)
		return ret;
	ret = plan_sections(ctx, &plan);
	if (ret)
		return ret;
	ret = plan_file(ctx, &plan);
	if (ret)
		return ret;
	ret = fill_info(ctx, &plan);
	if (ret)
		return ret;
	ctx->out_len = plan.total;
	ctx->tail_off = plan.phoff;
	own = ctx->type == ET_EXEC_ ? EHDR_SIZE + (plan.total - plan.phoff)
				    : plan.total;
	ctx->out = calloc(1, own);
	if (!ctx->out)
		return fw_nomem(ctx, "the output image", own);
	if (ctx->type != ET_EXEC_)
		copy_contents(ctx);
	write_ehdr(ctx, &plan);
	write_phdrs(ctx, &plan);
	write_rsc_table(ctx, &plan);
	write_symbols(ctx, &plan);
	write_shdrs(ctx, &plan);
	return make_pieces(ctx);
}
