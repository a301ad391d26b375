// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rproc-elf: the remoteproc ELF loader's checks (sanity check, segment
 * loading, resource-table lookup and parsing), as a test oracle. Kept
 * apart from fwimage on purpose: sharing code with what it checks would
 * let one mistake pass for correct twice.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rproc-elf.h"

#define RSC_CARVEOUT	0
#define PT_LOAD		1

struct elf {
	const uint8_t *p;
	size_t size;
	bool msb;
};

static uint32_t get(const struct elf *e, size_t off, int bytes)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v |= (uint32_t)e->p[off + i] <<
		     (8 * (e->msb ? bytes - 1 - i : i));
	return v;
}

static uint32_t u32(const struct elf *e, size_t off)
{
	return get(e, off, 4);
}

static uint32_t u16(const struct elf *e, size_t off)
{
	return get(e, off, 2);
}

static int complain(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

static bool inside(uint64_t off, uint64_t n, uint64_t size)
{
	return off <= size && n <= size - off;
}

/* rproc_elf_sanity_check() */
static int sanity(const struct elf *e, int order, char *why, size_t wl)
{
	if (e->size < 52)
		return complain(why, wl, "Image is too small");
	if (memcmp(e->p, "\x7f" "ELF", 4))
		return complain(why, wl, "Image is corrupted (bad magic)");
	if (e->p[4] != 1)
		return complain(why, wl, "Unsupported class: %d (32-bit kernel)",
				e->p[4]);
	if (e->p[5] != 1 && e->p[5] != 2)
		return complain(why, wl, "Unsupported firmware endianness");
	if (order && e->p[5] != order)
		return complain(why, wl, "Unsupported firmware endianness");
	if (e->size < (uint64_t)u32(e, 32) + 40)
		return complain(why, wl, "Image is too small");
	if (!u16(e, 44))
		return complain(why, wl, "No loadable segments");
	if (u32(e, 28) > e->size)
		return complain(why, wl, "Firmware size is too small");
	return 0;
}

/* find_table(): the section named .resource_table, and its checks */
static int find_table(const struct elf *e, uint32_t *shdr_off, char *why,
		      size_t wl)
{
	uint32_t shoff = u32(e, 32), shnum = u16(e, 48), shstrndx = u16(e, 50);
	uint32_t names, names_size, i;

	if (u16(e, 46) != 40 || !inside(shoff, (uint64_t)shnum * 40, e->size))
		return complain(why, wl, "section headers outside the file");
	if (shstrndx >= shnum)
		return complain(why, wl, "e_shstrndx out of range");
	names = u32(e, shoff + shstrndx * 40 + 16);
	names_size = u32(e, shoff + shstrndx * 40 + 20);
	if (!inside(names, names_size, e->size))
		return complain(why, wl, "section names outside the file");
	for (i = 0; i < shnum; i++) {
		size_t sh = shoff + (size_t)i * 40;
		uint32_t name = u32(e, sh), off = u32(e, sh + 16),
			 size = u32(e, sh + 20);

		if (name >= names_size ||
		    !memchr(e->p + names + name, 0, names_size - name) ||
		    strcmp((const char *)e->p + names + name, ".resource_table"))
			continue;
		if (!inside(off, size, e->size))
			return complain(why, wl, "resource table truncated");
		if (size < 16)
			return complain(why, wl, "header-less resource table");
		if (u32(e, off) != 1)
			return complain(why, wl, "unsupported fw ver: %u",
					u32(e, off));
		if (u32(e, off + 8) || u32(e, off + 12))
			return complain(why, wl, "non zero reserved bytes");
		if (16 + 4ull * u32(e, off + 4) > size)
			return complain(why, wl, "resource table incomplete");
		*shdr_off = (uint32_t)sh;
		return 0;
	}
	return complain(why, wl, "Failed to find resource table");
}

/* rproc_handle_resources() for the carveouts (other types: none expected) */
static int parse_table(const struct elf *e, uint32_t off, uint32_t size,
		       struct rproc_elf_report *rep, char *why, size_t wl)
{
	uint32_t num = u32(e, off + 4), i;

	for (i = 0; i < num; i++) {
		uint32_t rsc = u32(e, off + 16 + 4 * i);
		uint32_t avail = size > rsc ? size - rsc - 4 : 0;
		uint32_t body = off + rsc + 4;

		if ((uint64_t)rsc + 4 > size)
			return complain(why, wl, "rsc table is truncated");
		if (u32(e, off + rsc) != RSC_CARVEOUT)
			return complain(why, wl, "unexpected resource type %u",
					u32(e, off + rsc));
		if (avail < 52)
			return complain(why, wl, "carveout rsc is truncated");
		if (u32(e, body + 16))
			return complain(why, wl,
					"carveout rsc has non zero reserved bytes");
		if (rep->carveout_len)
			return complain(why, wl, "more than one carveout");
		rep->carveout_da = u32(e, body);
		rep->carveout_pa = u32(e, body + 4);
		rep->carveout_len = u32(e, body + 8);
		memcpy(rep->carveout_name, e->p + body + 20, 32);
		rep->carveout_name[32] = '\0';
	}
	if (!rep->carveout_len)
		return complain(why, wl, "no carveout");
	return 0;
}

/* rproc_da_to_va() against the one carveout */
static bool in_carveout(const struct rproc_elf_report *rep, uint32_t da,
			uint32_t len)
{
	return da >= rep->carveout_da &&
	       (uint64_t)da + len <= (uint64_t)rep->carveout_da +
				     rep->carveout_len;
}

/* rproc_elf_load_segments() */
static int load_segments(const struct elf *e, struct rproc_elf_report *rep,
			 char *why, size_t wl)
{
	uint32_t phoff = u32(e, 28), phnum = u16(e, 44), i;

	if (!inside(phoff, (uint64_t)phnum * 32, e->size))
		return complain(why, wl, "program headers outside the file");
	for (i = 0; i < phnum; i++) {
		size_t ph = phoff + (size_t)i * 32;
		uint32_t off = u32(e, ph + 4), paddr = u32(e, ph + 12),
			 filesz = u32(e, ph + 16), memsz = u32(e, ph + 20);

		if (u32(e, ph) != PT_LOAD || !memsz)
			continue;
		rep->nload++;
		if (filesz > memsz)
			return complain(why, wl, "bad phdr filesz 0x%x memsz 0x%x",
					filesz, memsz);
		if (!inside(off, filesz, e->size))
			return complain(why, wl, "truncated fw: need 0x%llx avail 0x%zx",
					(unsigned long long)off + filesz, e->size);
		if (!in_carveout(rep, paddr, memsz))
			return complain(why, wl, "bad phdr da 0x%x mem 0x%x",
					paddr, memsz);
	}
	return 0;
}

int rproc_elf_check(const uint8_t *fw, size_t size, int order,
		    struct rproc_elf_report *rep, char *why, size_t whylen)
{
	struct elf e = { fw, size, size > 5 && fw[5] == 2 };
	uint32_t sh = 0, off, len;

	memset(rep, 0, sizeof(*rep));
	if (sanity(&e, order, why, whylen) ||
	    find_table(&e, &sh, why, whylen))
		return -1;
	off = u32(&e, sh + 16);
	len = u32(&e, sh + 20);
	rep->rsc_addr = u32(&e, sh + 12);
	rep->rsc_size = len;
	if (parse_table(&e, off, len, rep, why, whylen) ||
	    load_segments(&e, rep, why, whylen))
		return -1;
	/* rproc_elf_find_loaded_rsc_table(): where the table is copied to */
	if (!in_carveout(rep, rep->rsc_addr, len))
		return complain(why, whylen,
				"resource table sh_addr 0x%x not in the carveout",
				rep->rsc_addr);
	rep->entry = u32(&e, 24);
	/* not the kernel's check: the remote runs the KSEG0 alias */
	rep->entry_in_carveout = rep->entry >= 0x80000000u &&
				 rep->entry < 0xc0000000u &&
				 in_carveout(rep, rep->entry & 0x1fffffffu, 4);
	if (rep->carveout_pa != rep->carveout_da)
		return complain(why, whylen, "carveout pa 0x%x != da 0x%x",
				rep->carveout_pa, rep->carveout_da);
	return 0;
}

int rproc_elf_peek(const uint8_t *fw, size_t size, uint32_t vaddr,
		   uint32_t len, bool use_paddr, uint8_t *out)
{
	struct elf e = { fw, size, size > 5 && fw[5] == 2 };
	uint32_t phoff, phnum, i, done = 0;

	if (size < 52)
		return -1;
	phoff = u32(&e, 28);
	phnum = u16(&e, 44);
	if (!inside(phoff, (uint64_t)phnum * 32, size))
		return -1;
	/* byte by byte: slow, but simple and only used on small ranges */
	for (done = 0; done < len; done++) {
		uint64_t a = (uint64_t)vaddr + done;
		bool found = false;

		for (i = 0; i < phnum && !found; i++) {
			size_t ph = phoff + (size_t)i * 32;
			uint32_t base = u32(&e, ph + (use_paddr ? 12 : 8));
			uint32_t off = u32(&e, ph + 4),
				 filesz = u32(&e, ph + 16),
				 memsz = u32(&e, ph + 20);

			if (u32(&e, ph) != PT_LOAD || a < base ||
			    a - base >= memsz)
				continue;
			found = true;
			if (a - base >= filesz)
				out[done] = 0;
			else if (inside(off, filesz, size))
				out[done] = fw[off + (a - base)];
			else
				return -1;
		}
		if (!found)
			return -1;
	}
	return 0;
}
