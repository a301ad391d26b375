// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * elfgen: see elfgen.h. Test code: aborts on misuse or out of memory
 * rather than reporting it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfgen.h"

#define SHT_SYMTAB	2
#define SHT_STRTAB	3
#define SHT_NOBITS	8
#define SHT_REL		9
#define SHT_RELA	4
#define PT_LOAD		1

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		perror("elfgen");
		abort();
	}
	return p;
}

void eg_init(struct elfgen *eg, bool msb, uint16_t type)
{
	memset(eg, 0, sizeof(*eg));
	eg->msb = msb;
	eg->class = 1;
	eg->type = type;
	eg->machine = 8;		/* EM_MIPS */
	eg->flags = 0x70001001;		/* mips32r2, o32, noreorder */
	eg->nsec = 1;
	eg->nsym = 1;
}

void eg_free(struct elfgen *eg)
{
	unsigned int i;

	for (i = 0; i < eg->nsec; i++)
		free(eg->sec[i].data);
}

unsigned int eg_section(struct elfgen *eg, const char *name, uint32_t type,
			uint32_t flags, uint32_t align, const void *data,
			uint32_t size)
{
	struct eg_section *s;

	if (eg->nsec == EG_MAX_SECTIONS)
		abort();
	s = &eg->sec[eg->nsec];
	s->name = name;
	s->type = type;
	s->flags = flags;
	s->align = align;
	s->size = size;
	if (type != SHT_NOBITS) {
		s->data = xrealloc(NULL, size);
		if (data)
			memcpy(s->data, data, size);
		else
			memset(s->data, 0, size);
	}
	return eg->nsec++;
}

unsigned int eg_shstrtab(struct elfgen *eg)
{
	unsigned int i = eg_section(eg, ".shstrtab", SHT_STRTAB, 0, 1, NULL, 0);

	eg->sec[i].kind = EG_SHSTRTAB;
	return i;
}

unsigned int eg_strtab(struct elfgen *eg)
{
	unsigned int i = eg_section(eg, ".strtab", SHT_STRTAB, 0, 1, NULL, 0);

	eg->sec[i].kind = EG_STRTAB;
	return i;
}

unsigned int eg_symtab(struct elfgen *eg, unsigned int strtab)
{
	unsigned int i = eg_section(eg, ".symtab", SHT_SYMTAB, 0, 4, NULL, 0);

	eg->sec[i].kind = EG_SYMTAB;
	eg->sec[i].link = strtab;
	eg->sec[i].entsize = 16;
	return i;
}

unsigned int eg_symbol(struct elfgen *eg, const char *name, uint32_t value,
		       uint32_t size, uint8_t bind, uint8_t type,
		       uint16_t shndx)
{
	struct eg_symbol *s;

	if (eg->nsym == EG_MAX_SYMBOLS)
		abort();
	s = &eg->sym[eg->nsym];
	s->name = name;
	s->value = value;
	s->size = size;
	s->info = (uint8_t)(bind << 4 | type);
	s->shndx = shndx;
	return eg->nsym++;
}

void eg_put16(const struct elfgen *eg, uint8_t *img, size_t off, uint16_t v)
{
	img[off + (eg->msb ? 0 : 1)] = (uint8_t)(v >> 8);
	img[off + (eg->msb ? 1 : 0)] = (uint8_t)v;
}

void eg_put32(const struct elfgen *eg, uint8_t *img, size_t off, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		img[off + (eg->msb ? 3 - i : i)] = (uint8_t)(v >> (8 * i));
}

uint32_t eg_get32(const struct elfgen *eg, const uint8_t *img, size_t off)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v |= (uint32_t)img[off + (eg->msb ? 3 - i : i)] << (8 * i);
	return v;
}

void eg_word(struct elfgen *eg, unsigned int sec, uint32_t off, uint32_t v)
{
	if (off + 4 > eg->sec[sec].size)
		abort();
	eg_put32(eg, eg->sec[sec].data, off, v);
}

static void append(struct elfgen *eg, unsigned int sec, const uint32_t *w,
		   int n)
{
	struct eg_section *s = &eg->sec[sec];
	int i;

	s->data = xrealloc(s->data, s->size + 4u * n);
	s->size += 4u * n;
	for (i = 0; i < n; i++)
		eg_put32(eg, s->data, s->size - 4u * (n - i), w[i]);
}

void eg_rel(struct elfgen *eg, unsigned int sec, uint32_t off, uint32_t sym,
	    uint32_t type)
{
	uint32_t w[2] = { off, sym << 8 | type };

	append(eg, sec, w, 2);
}

void eg_rela(struct elfgen *eg, unsigned int sec, uint32_t off, uint32_t sym,
	     uint32_t type, int32_t addend)
{
	uint32_t w[3] = { off, sym << 8 | type, (uint32_t)addend };

	append(eg, sec, w, 3);
}

void eg_phdr(struct elfgen *eg, unsigned int sec, uint32_t paddr,
	     uint32_t flags, uint32_t extra_memsz)
{
	if (eg->nph == EG_MAX_PHDRS)
		abort();
	eg->ph[eg->nph++] = (struct eg_phdr){ sec, paddr, flags, extra_memsz };
}

/* Append name to a string table; its offset (0, the empty name, for ""). */
static uint32_t add_string(uint8_t **tab, uint32_t *len, const char *name)
{
	size_t l = name ? strlen(name) : 0;
	uint32_t off = *len;

	if (!l)
		return 0;
	*tab = xrealloc(*tab, *len + l + 1);
	memcpy(*tab + *len, name, l + 1);
	*len += (uint32_t)l + 1;
	return off;
}

static void set_table(struct eg_section *s, uint8_t *tab, uint32_t len)
{
	free(s->data);
	s->data = tab;
	s->size = len;
}

static void make_string_tables(struct elfgen *eg)
{
	unsigned int i, k;

	for (i = 1; i < eg->nsec; i++) {
		uint8_t *tab = xrealloc(NULL, 1);
		uint32_t len = 1;

		tab[0] = 0;
		if (eg->sec[i].kind == EG_SHSTRTAB) {
			for (k = 1; k < eg->nsec; k++)
				eg->sec[k].name_off =
					add_string(&tab, &len, eg->sec[k].name);
		} else if (eg->sec[i].kind == EG_STRTAB) {
			for (k = 1; k < eg->nsym; k++)
				eg->sym[k].name_off =
					add_string(&tab, &len, eg->sym[k].name);
		} else {
			free(tab);
			continue;
		}
		set_table(&eg->sec[i], tab, len);
	}
}

static void make_symbol_table(struct elfgen *eg, struct eg_section *s)
{
	unsigned int k, nlocal = 1;
	uint8_t *tab = xrealloc(NULL, 16 * eg->nsym);

	memset(tab, 0, 16 * eg->nsym);
	for (k = 1; k < eg->nsym; k++) {
		const struct eg_symbol *y = &eg->sym[k];
		uint8_t *p = tab + 16 * k;

		eg_put32(eg, p, 0, y->name_off);
		eg_put32(eg, p, 4, y->value);
		eg_put32(eg, p, 8, y->size);
		p[12] = y->info;
		eg_put16(eg, p, 14, y->shndx);
		if (!(y->info >> 4))
			nlocal = k + 1;
	}
	set_table(s, tab, 16 * eg->nsym);
	s->info = nlocal;
}

static void make_tables(struct elfgen *eg)
{
	unsigned int i;

	make_string_tables(eg);
	for (i = 1; i < eg->nsec; i++)
		if (eg->sec[i].kind == EG_SYMTAB)
			make_symbol_table(eg, &eg->sec[i]);
}

static void place(struct elfgen *eg, size_t *off)
{
	unsigned int i;

	for (i = 1; i < eg->nsec; i++) {
		struct eg_section *s = &eg->sec[i];
		size_t a = s->align > 16 ? 16 : (s->align ? s->align : 1);

		*off = (*off + a - 1) / a * a;
		s->offset = *off;
		if (s->type != SHT_NOBITS)
			*off += s->size;
	}
}

static void write_ehdr(const struct elfgen *eg, uint8_t *img)
{
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = eg->class;
	img[5] = eg->msb ? 2 : 1;
	img[6] = 1;
	eg_put16(eg, img, 16, eg->type);
	eg_put16(eg, img, 18, eg->machine);
	eg_put32(eg, img, 20, 1);
	eg_put32(eg, img, 24, eg->entry);
	eg_put32(eg, img, 28, eg->nph ? (uint32_t)eg->phoff : 0);
	eg_put32(eg, img, 32, (uint32_t)eg->shoff);
	eg_put32(eg, img, 36, eg->flags);
	eg_put16(eg, img, 40, 52);
	eg_put16(eg, img, 42, 32);
	eg_put16(eg, img, 44, (uint16_t)eg->nph);
	eg_put16(eg, img, 46, 40);
	eg_put16(eg, img, 48, (uint16_t)eg->nsec);
	for (unsigned int i = 1; i < eg->nsec; i++)
		if (eg->sec[i].kind == EG_SHSTRTAB)
			eg_put16(eg, img, 50, (uint16_t)i);
}

static void write_headers(const struct elfgen *eg, uint8_t *img)
{
	unsigned int i;

	for (i = 0; i < eg->nsec; i++) {
		const struct eg_section *s = &eg->sec[i];
		uint32_t f[10] = { s->name_off, s->type, s->flags, s->addr,
				   (uint32_t)s->offset, s->size, s->link,
				   s->info, s->align, s->entsize };
		int k;

		if (!i)
			continue;
		for (k = 0; k < 10; k++)
			eg_put32(eg, img, eg->shoff + 40 * i + 4 * k, f[k]);
	}
	for (i = 0; i < eg->nph; i++) {
		const struct eg_phdr *ph = &eg->ph[i];
		const struct eg_section *s = &eg->sec[ph->section];
		uint32_t f[8] = { PT_LOAD, (uint32_t)s->offset, s->addr,
				  ph->paddr,
				  s->type == SHT_NOBITS ? 0 : s->size,
				  s->size + ph->extra_memsz, ph->flags, 16 };
		int k;

		for (k = 0; k < 8; k++)
			eg_put32(eg, img, eg->phoff + 32 * i + 4 * k, f[k]);
	}
}

uint8_t *eg_build(struct elfgen *eg, size_t *len)
{
	size_t off = 52;
	uint8_t *img;
	unsigned int i;

	make_tables(eg);
	if (!eg->phdrs_last) {
		eg->phoff = off;
		off += 32 * eg->nph;
	}
	eg->shoff = off;
	off += 40 * eg->nsec;
	place(eg, &off);
	if (eg->phdrs_last) {
		off = (off + 3) & ~(size_t)3;
		eg->phoff = off;
		off += 32 * eg->nph;
	}
	img = xrealloc(NULL, off);
	memset(img, 0, off);
	write_ehdr(eg, img);
	write_headers(eg, img);
	for (i = 1; i < eg->nsec; i++)
		if (eg->sec[i].data && eg->sec[i].size)
			memcpy(img + eg->sec[i].offset, eg->sec[i].data,
			       eg->sec[i].size);
	*len = off;
	return img;
}

size_t eg_shdr_field(const struct elfgen *eg, unsigned int sec, int field)
{
	return eg->shoff + 40 * sec + 4 * field;
}

size_t eg_sym_off(const struct elfgen *eg, unsigned int symtab,
		  unsigned int sym)
{
	return eg->sec[symtab].offset + 16 * sym;
}

size_t eg_rel_off(const struct elfgen *eg, unsigned int sec, unsigned int n)
{
	return eg->sec[sec].offset + (size_t)n * (eg->sec[sec].type == SHT_RELA
						   ? 12 : 8);
}

size_t eg_phdr_field(const struct elfgen *eg, unsigned int n, int field)
{
	return eg->phoff + 32 * n + 4 * field;
}
