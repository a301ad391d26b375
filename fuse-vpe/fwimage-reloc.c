// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwimage relocations: SHT_REL as the legacy loader's own handlers did
 * them (docs/legacy-abi.md §5.5), SHT_RELA as the kernel's module loader
 * did (§5.6). They patch the section contents already copied into the
 * output image.
 *
 * Where the legacy loader crashed or misbehaved, the intended result:
 * - an unknown type fails cleanly (legacy: call through a NULL pointer);
 * - R_MIPS_HI16 entries wait for their R_MIPS_LO16 in a queue that lives
 *   in one relocation section of one conversion (legacy: a global list
 *   that outlived a failed load), and a HI16 that never gets its LO16
 *   fails the load;
 * - R_MIPS_PC16 uses its in-place addend: target = S + A*4 - P. GAS
 *   stores A = -1 for a branch to a symbol (the delay slot), which makes
 *   this ((S - P) >> 2) - 1, the legacy formula, for every image the
 *   legacy loader got right;
 * - R_MIPS_GPREL16 is S + A - _gp, range-checked to a signed 16 bits
 *   (legacy: a "kludge" for non-zero addends and an off-by-one range);
 *   no _gp symbol at all fails instead of using the last load's value.
 */
#include <errno.h>
#include <stdio.h>

#include "fwimage-priv.h"

#define R_MIPS_NONE	0
#define R_MIPS_32	2
#define R_MIPS_26	4
#define R_MIPS_HI16	5
#define R_MIPS_LO16	6
#define R_MIPS_GPREL16	7
#define R_MIPS_PC16	10

#define STB_WEAK_	2

#define LEGACY_RELOC_FAILED \
	"VPE loader: .text+0x%x relocation type %s for symbol \"%s\" failed"

/* One relocation being applied. */
struct reloc {
	unsigned int sec;	/* the SHT_REL or SHT_RELA section */
	unsigned int target;	/* the section it patches */
	uint32_t entry;
	uint32_t offset, sym, type;
	int32_t addend;		/* RELA only */
	bool rela;
	uint32_t S;		/* symbol value */
	uint32_t P;		/* KSEG0 address of the location */
	uint8_t *where;		/* the location in the output */
};

/* The names in the legacy loader's message (its rstrs[] table). */
static const char *legacy_type_name(uint32_t type)
{
	switch (type) {
	case R_MIPS_NONE:
		return "MIPS_NONE";
	case R_MIPS_32:
		return "MIPS_32";
	case R_MIPS_26:
		return "MIPS_26";
	case R_MIPS_HI16:
		return "MIPS_HI16";
	case R_MIPS_LO16:
		return "MIPS_LO16";
	case R_MIPS_GPREL16:
		return "MIPS_GPREL16";
	case R_MIPS_PC16:
		return "MIPS_PC16";
	default:
		return "UNKNOWN";
	}
}

static bool known_type(const struct reloc *r)
{
	switch (r->type) {
	case R_MIPS_NONE:
	case R_MIPS_32:
	case R_MIPS_26:
	case R_MIPS_HI16:
	case R_MIPS_LO16:
		return true;
	case R_MIPS_GPREL16:
	case R_MIPS_PC16:
		return !r->rela;	/* the module loader had neither */
	default:
		return false;
	}
}

static const char *symname(const struct fw_ctx *ctx, const struct reloc *r,
			   char *buf, size_t size)
{
	return fw_printable(fw_symname(ctx, r->sym), buf, size);
}

/*
 * Fail the load at relocation r: the legacy warning (REL only; the RELA
 * path logged its own lines, see callers) and the precise line.
 */
static int reloc_fail(struct fw_ctx *ctx, const struct reloc *r,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int reloc_fail(struct fw_ctx *ctx, const struct reloc *r,
		      const char *fmt, ...)
{
	char msg[FWIMAGE_LINE_MAX], sec[FW_NAME_BUF], target[FW_NAME_BUF];
	char sym[FW_NAME_BUF], type[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	symname(ctx, r, sym, sizeof(sym));
	if (!r->rela)
		fw_legacy(ctx, LOG_WARNING, LEGACY_RELOC_FAILED,
			  r->offset, legacy_type_name(r->type), sym);
	if (known_type(r))
		snprintf(type, sizeof(type), "R_%s", legacy_type_name(r->type));
	else
		snprintf(type, sizeof(type), "type %u", r->type);
	return fw_fail(ctx, ENOEXEC,
		       "section %u (%s) entry %u: %s at %s+0x%x for \"%s\": %s",
		       r->sec, FW_SECNAME(ctx, r->sec, sec), r->entry, type,
		       FW_SECNAME(ctx, r->target, target),
		       r->offset, sym, msg);
}

/* The 16-bit immediate of an instruction, sign-extended. */
static int32_t imm16(uint32_t insn)
{
	return (int32_t)(int16_t)(uint16_t)(insn & 0xffff);
}

static uint32_t with_imm16(uint32_t insn, uint32_t v)
{
	return (insn & 0xffff0000u) | (v & 0xffff);
}

static bool fits_s16(int64_t v)
{
	return v >= -32768 && v <= 32767;
}

/* Floor division by 4: an arithmetic shift, without relying on one. */
static int64_t words(int64_t bytes)
{
	return bytes >= 0 ? bytes / 4 : -((-bytes + 3) / 4);
}

/* Read entry e of section sec into r and check everything it points at. */
static int read_entry(struct fw_ctx *ctx, unsigned int sec, uint32_t e,
		      struct reloc *r)
{
	const struct fw_shdr *sh = &ctx->sh[sec];
	bool rela = sh->type == SHT_RELA_;
	const uint8_t *p = ctx->in + sh->offset +
			   (size_t)e * (rela ? RELA_SIZE : REL_SIZE);
	const struct fw_shdr *tsh;
	uint32_t info;

	r->sec = sec;
	r->target = sh->info;
	r->entry = e;
	r->rela = rela;
	r->offset = fw_get32(ctx, p);
	info = fw_get32(ctx, p + 4);
	r->sym = info >> 8;
	r->type = info & 0xff;
	r->addend = rela ? (int32_t)fw_get32(ctx, p + 8) : 0;
	if (!known_type(r))
		return reloc_fail(ctx, r, "unknown relocation type %u",
				  r->type);
	if (r->type == R_MIPS_NONE)
		return 0;
	if (r->sym >= ctx->nsyms)
		return reloc_fail(ctx, r,
				  "symbol index %u out of range (the symbol table has %u entries)",
				  r->sym, ctx->nsyms);
	tsh = &ctx->sh[r->target];
	if (tsh->type == SHT_NOBITS_)
		return reloc_fail(ctx, r,
				  "the target section is SHT_NOBITS, it has no contents to patch");
	if (!fw_fits(r->offset, 4, tsh->size))
		return reloc_fail(ctx, r,
				  "r_offset 0x%x + 4 beyond the section's size 0x%x",
				  r->offset, tsh->size);
	r->S = ctx->symval[r->sym];
	r->P = ctx->map[r->target].addr + r->offset;
	r->where = ctx->out + ctx->seg[ctx->map[r->target].seg].out_offset +
		   (ctx->map[r->target].addr -
		    ctx->seg[ctx->map[r->target].seg].vaddr) + r->offset;
	return 0;
}

static void patch(struct fw_ctx *ctx, struct reloc *r, uint32_t insn)
{
	fw_put32(ctx, r->where, insn);
}

static uint32_t insn_at(const struct fw_ctx *ctx, const struct reloc *r)
{
	return fw_get32(ctx, r->where);
}

static int apply_26(struct fw_ctx *ctx, struct reloc *r)
{
	uint32_t insn = insn_at(ctx, r);

	if (r->S % 4)
		return reloc_fail(ctx, r,
				  "symbol value 0x%08x is not 4-byte aligned",
				  r->S);
	/* no 256 MiB region check: undefined weak symbols resolve to 0 */
	patch(ctx, r, (insn & ~0x03ffffffu) | ((insn + (r->S >> 2)) & 0x03ffffffu));
	return 0;
}

static int apply_gprel16(struct fw_ctx *ctx, struct reloc *r)
{
	uint32_t insn = insn_at(ctx, r);
	int64_t rel;

	if (!ctx->has_gp)
		return reloc_fail(ctx, r,
				  "the object defines no _gp symbol to be relative to");
	rel = (int64_t)r->S + imm16(insn) - ctx->gp;
	if (!fits_s16(rel))
		return reloc_fail(ctx, r,
				  "S + A - _gp = %lld (_gp 0x%08x) is out of the signed 16-bit range",
				  (long long)rel, ctx->gp);
	patch(ctx, r, with_imm16(insn, (uint32_t)rel));
	return 0;
}

static int apply_pc16(struct fw_ctx *ctx, struct reloc *r)
{
	uint32_t insn = insn_at(ctx, r);
	int64_t rel = words((int64_t)imm16(insn) * 4 + r->S - r->P);

	if (!fits_s16(rel))
		return reloc_fail(ctx, r,
				  "branch from 0x%08x to 0x%08x is out of range (%lld instructions)",
				  r->P, r->S, (long long)rel);
	patch(ctx, r, with_imm16(insn, (uint32_t)rel));
	return 0;
}

/*
 * R_MIPS_LO16 completes every R_MIPS_HI16 queued since first (entries of
 * the same section): each must be for the same symbol value. AHL is the
 * HI16's immediate << 16 plus the LO16's sign-extended immediate; the HI16
 * gets the high half of S + AHL rounded for the LO16's sign.
 */
static int apply_lo16(struct fw_ctx *ctx, struct reloc *lo, bool pending,
		      uint32_t first)
{
	int32_t lo_addend = imm16(insn_at(ctx, lo));
	struct reloc hi;
	uint32_t e;
	int ret;

	for (e = lo->entry; pending && e-- > first;) {
		uint32_t insn, val;

		ret = read_entry(ctx, lo->sec, e, &hi);
		if (ret)
			return ret;	/* checked when queued; can't happen */
		if (hi.type != R_MIPS_HI16)
			continue;
		if (hi.S != lo->S)
			return reloc_fail(ctx, lo,
					  "the R_MIPS_HI16 at +0x%x is for symbol value 0x%08x, this R_MIPS_LO16 for 0x%08x",
					  hi.offset, hi.S, lo->S);
		insn = insn_at(ctx, &hi);
		val = ((insn & 0xffff) << 16) + (uint32_t)lo_addend + lo->S;
		val = ((val >> 16) + ((val & 0x8000) != 0)) & 0xffff;
		patch(ctx, &hi, with_imm16(insn, val));
	}
	patch(ctx, lo, with_imm16(insn_at(ctx, lo),
				  (uint32_t)lo_addend + lo->S));
	return 0;
}

static int apply_rel_section(struct fw_ctx *ctx, unsigned int sec)
{
	uint32_t n = ctx->sh[sec].size / REL_SIZE, e, first = 0;
	bool pending = false;
	struct reloc r;
	int ret = 0;

	for (e = 0; !ret && e < n; e++) {
		ret = read_entry(ctx, sec, e, &r);
		if (ret)
			break;
		switch (r.type) {
		case R_MIPS_NONE:
			break;
		case R_MIPS_32:
			patch(ctx, &r, insn_at(ctx, &r) + r.S);
			break;
		case R_MIPS_26:
			ret = apply_26(ctx, &r);
			break;
		case R_MIPS_HI16:
			if (!pending)
				first = e;
			pending = true;
			break;
		case R_MIPS_LO16:
			ret = apply_lo16(ctx, &r, pending, first);
			pending = false;
			break;
		case R_MIPS_GPREL16:
			ret = apply_gprel16(ctx, &r);
			break;
		case R_MIPS_PC16:
			ret = apply_pc16(ctx, &r);
			break;
		}
	}
	if (!ret && pending) {
		read_entry(ctx, sec, first, &r);
		ret = reloc_fail(ctx, &r,
				 "no R_MIPS_LO16 follows it in this section");
	}
	return ret;
}

/* The module loader's R_MIPS_26 for RELA: alignment and region checked. */
static int apply_rela_26(struct fw_ctx *ctx, struct reloc *r, uint32_t v)
{
	uint32_t insn = insn_at(ctx, r);

	if (v % 4) {
		fw_legacy(ctx, LOG_ERR,
			  "module VPE loader: dangerous R_MIPS_26 RELArelocation");
		return reloc_fail(ctx, r, "S + A = 0x%08x is not 4-byte aligned",
				  v);
	}
	if ((v & 0xf0000000u) != ((r->P + 4) & 0xf0000000u)) {
		fw_legacy(ctx, LOG_ERR,
			  "module VPE loader: relocation overflow");
		return reloc_fail(ctx, r,
				  "S + A = 0x%08x is outside the 256 MiB region of 0x%08x",
				  v, r->P);
	}
	patch(ctx, r, (insn & ~0x03ffffffu) | ((v >> 2) & 0x03ffffffu));
	return 0;
}

/* A symbol whose value is 0: weak ones are skipped, others fail. */
static int rela_unresolved(struct fw_ctx *ctx, struct reloc *r, bool *skip)
{
	char buf[FW_NAME_BUF];
	struct fw_sym sym;

	fw_sym(ctx, r->sym, &sym);
	if (sym.info >> 4 == STB_WEAK_) {
		*skip = true;
		return 0;
	}
	fw_legacy(ctx, LOG_WARNING, "VPE loader: Unknown symbol %s",
		  symname(ctx, r, buf, sizeof(buf)));
	return reloc_fail(ctx, r, "the symbol is undefined (value 0)");
}

static int apply_rela_entry(struct fw_ctx *ctx, struct reloc *r)
{
	uint32_t insn, v;
	bool skip = false;
	int ret;

	if (r->type == R_MIPS_NONE)
		return 0;
	if (!r->S) {
		ret = rela_unresolved(ctx, r, &skip);
		if (ret || skip)
			return ret;
	}
	insn = insn_at(ctx, r);
	v = r->S + (uint32_t)r->addend;
	switch (r->type) {
	case R_MIPS_32:
		patch(ctx, r, v);
		return 0;
	case R_MIPS_26:
		return apply_rela_26(ctx, r, v);
	case R_MIPS_HI16:
		patch(ctx, r, with_imm16(insn, (v + 0x8000u) >> 16));
		return 0;
	default:	/* R_MIPS_LO16 */
		patch(ctx, r, with_imm16(insn, v));
		return 0;
	}
}

static int apply_rela_section(struct fw_ctx *ctx, unsigned int sec)
{
	uint32_t n = ctx->sh[sec].size / RELA_SIZE, e;
	struct reloc r;
	int ret = 0;

	for (e = 0; !ret && e < n; e++) {
		ret = read_entry(ctx, sec, e, &r);
		if (ret) {
			if (!known_type(&r))
				fw_legacy(ctx, LOG_ERR,
					  "VPE loader: Unknown relocation type %u",
					  r.type);
			break;
		}
		ret = apply_rela_entry(ctx, &r);
	}
	return ret;
}

/*
 * Every relocation section whose target exists and is loaded (5.5: the
 * legacy loader skipped the others, e.g. .rel.pdr and debug info).
 */
int fw_relocate(struct fw_ctx *ctx)
{
	char name[FW_NAME_BUF];
	unsigned int i;
	int ret = 0;

	for (i = 1; !ret && i < ctx->shnum; i++) {
		const struct fw_shdr *sh = &ctx->sh[i];

		if (sh->type != SHT_REL_ && sh->type != SHT_RELA_)
			continue;
		if (sh->info >= ctx->shnum) {
			fw_warn(ctx,
				"section %u (%s): sh_info %u is not a section; its relocations are ignored",
				i, FW_SECNAME(ctx, i, name), sh->info);
			continue;
		}
		if (!ctx->map[sh->info].loaded)
			continue;
		if (sh->type == SHT_REL_)
			ret = apply_rel_section(ctx, i);
		else
			ret = apply_rela_section(ctx, i);
	}
	return ret;
}
