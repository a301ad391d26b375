/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * elfgen: build small ELF32 images byte by byte, in either byte order, for
 * tests that need exact control over every field (and the freedom to
 * break any of them afterwards).
 *
 * File layout: ELF header, program headers, section headers, then the
 * section contents in index order (or, with phdrs_last, the program
 * headers at the very end). Section 0 is the null section.
 */
#ifndef ELFGEN_H
#define ELFGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EG_MAX_SECTIONS	16
#define EG_MAX_SYMBOLS	16
#define EG_MAX_PHDRS	4

/* Special contents, generated at build time. */
enum eg_kind { EG_PLAIN, EG_SHSTRTAB, EG_SYMTAB, EG_STRTAB };

struct eg_section {
	const char *name;
	enum eg_kind kind;
	uint32_t type, flags, addr, align, entsize, link, info;
	uint8_t *data;			/* NULL for SHT_NOBITS */
	uint32_t size;
	size_t offset;			/* file offset, after eg_build() */
	uint32_t name_off;
};

struct eg_symbol {
	const char *name;
	uint32_t value, size;
	uint8_t info;			/* bind << 4 | type */
	uint16_t shndx;
	uint32_t name_off;
};

struct eg_phdr {
	unsigned int section;		/* the section it loads */
	uint32_t paddr, flags, extra_memsz;
};

struct elfgen {
	bool msb;
	uint8_t class;			/* 1 (ELFCLASS32) unless broken */
	uint16_t type, machine;
	uint32_t flags, entry;
	bool phdrs_last;
	unsigned int nsec, nsym, nph;
	struct eg_section sec[EG_MAX_SECTIONS];
	struct eg_symbol sym[EG_MAX_SYMBOLS];
	struct eg_phdr ph[EG_MAX_PHDRS];
	/* after eg_build() */
	size_t phoff, shoff;
};

void eg_init(struct elfgen *eg, bool msb, uint16_t type);
void eg_free(struct elfgen *eg);

/* Add a section with a copy of data (size bytes; NULL: zeros). */
unsigned int eg_section(struct elfgen *eg, const char *name, uint32_t type,
			uint32_t flags, uint32_t align, const void *data,
			uint32_t size);
/* The generated tables; link and info of the symbol table are set too. */
unsigned int eg_shstrtab(struct elfgen *eg);
unsigned int eg_strtab(struct elfgen *eg);
unsigned int eg_symtab(struct elfgen *eg, unsigned int strtab);

unsigned int eg_symbol(struct elfgen *eg, const char *name, uint32_t value,
		       uint32_t size, uint8_t bind, uint8_t type,
		       uint16_t shndx);

/* Write a 32-bit word into a section's contents, in the image's order. */
void eg_word(struct elfgen *eg, unsigned int sec, uint32_t off, uint32_t v);
/* Append an Elf32_Rel / Elf32_Rela to a relocation section. */
void eg_rel(struct elfgen *eg, unsigned int sec, uint32_t off, uint32_t sym,
	    uint32_t type);
void eg_rela(struct elfgen *eg, unsigned int sec, uint32_t off, uint32_t sym,
	     uint32_t type, int32_t addend);

/* A PT_LOAD for one section, extra_memsz bytes of zeros after it. */
void eg_phdr(struct elfgen *eg, unsigned int sec, uint32_t paddr,
	     uint32_t flags, uint32_t extra_memsz);

/* The image (malloc'ed), and every offset recorded in eg. */
uint8_t *eg_build(struct elfgen *eg, size_t *len);

/* Field writers for breaking a built image. */
void eg_put16(const struct elfgen *eg, uint8_t *img, size_t off, uint16_t v);
void eg_put32(const struct elfgen *eg, uint8_t *img, size_t off, uint32_t v);
uint32_t eg_get32(const struct elfgen *eg, const uint8_t *img, size_t off);
/* Offsets of a section header field, a symbol, a relocation entry. */
size_t eg_shdr_field(const struct elfgen *eg, unsigned int sec, int field);
size_t eg_sym_off(const struct elfgen *eg, unsigned int symtab,
		  unsigned int sym);
size_t eg_rel_off(const struct elfgen *eg, unsigned int sec, unsigned int n);
size_t eg_phdr_field(const struct elfgen *eg, unsigned int n, int field);

/* Section header fields (index of the 32-bit word), program header fields */
enum { SH_NAME, SH_TYPE, SH_FLAGS, SH_ADDR, SH_OFFSET, SH_SIZE, SH_LINK,
       SH_INFO, SH_ADDRALIGN, SH_ENTSIZE };
enum { PH_TYPE, PH_OFFSET, PH_VADDR, PH_PADDR, PH_FILESZ, PH_MEMSZ,
       PH_FLAGS, PH_ALIGN };

#endif
