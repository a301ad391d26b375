// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ring: direct access to a running firmware's RTLX rings (see ring.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ring.h"

#define RTLX_ID		0x12345602u
#define CHAN_SIZE	36
#define MAX_RING	(1u << 24)

/* struct rtlx_channel */
enum {
	CH_BUFFER_SIZE = 8,
	CH_RT_WRITE = 12,
	CH_RT_READ = 16,
	CH_RT_BUFFER = 20,
	CH_LX_WRITE = 24,
	CH_LX_READ = 28,
	CH_LX_BUFFER = 32,
};

/* KSEG0/KSEG1 address -> pointer, or NULL outside the mapping */
static uint8_t *win_ptr(const struct win *w, uint32_t addr, uint32_t len,
			bool align4)
{
	uint64_t phys;

	if (addr < 0x80000000u || addr >= 0xc0000000u || (align4 && (addr & 3)))
		return NULL;
	phys = addr & 0x1fffffffu;
	if (phys + len > w->size)
		return NULL;
	return w->base + phys;
}

static uint32_t ld32(const struct win *w, const uint8_t *p)
{
	uint32_t v = __atomic_load_n((const uint32_t *)(const void *)p,
				     __ATOMIC_RELAXED);
	bool host_be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

	return w->big_endian == host_be ? v : __builtin_bswap32(v);
}

static void st32(const struct win *w, uint8_t *p, uint32_t v)
{
	bool host_be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

	__atomic_store_n((uint32_t *)(void *)p,
			 w->big_endian == host_be ? v : __builtin_bswap32(v),
			 __ATOMIC_RELAXED);
}

/* vpe_shared's address and the byte order, from the image */
static const char *image_symbols(const char *path, uint32_t *shared,
				 bool *big_endian)
{
	const char *err = "image has no vpe_shared symbol";
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	Elf *e;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return "libelf too old";
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return "cannot open the image";
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || !gelf_getehdr(e, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh.e_type != ET_EXEC) {
		err = "not an ELF32 ET_EXEC image";
		goto out;
	}
	*big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 1; i < n; i++) {
			GElf_Sym sym;
			const char *s;

			if (!gelf_getsym(d, (int)i, &sym))
				break;
			s = elf_strptr(e, sh.sh_link, sym.st_name);
			if (s && !strcmp(s, "vpe_shared") &&
			    sym.st_shndx != SHN_UNDEF) {
				*shared = (uint32_t)sym.st_value;
				err = NULL;
			}
		}
	}
out:
	if (e)
		elf_end(e);
	close(fd);
	return err;
}

static const char *ring_check(const struct win *w, uint8_t *ch, bool to_sp,
			      struct ring *r)
{
	r->size = ld32(w, ch + CH_BUFFER_SIZE);
	if (r->size < 2 || r->size > MAX_RING)
		return "implausible buffer_size";
	r->buf = win_ptr(w, ld32(w, ch + (to_sp ? CH_RT_BUFFER : CH_LX_BUFFER)),
			 r->size, false);
	if (!r->buf)
		return "ring buffer outside the RAM file";
	r->prod = ch + (to_sp ? CH_RT_WRITE : CH_LX_WRITE);
	r->cons = ch + (to_sp ? CH_RT_READ : CH_LX_READ);
	return NULL;
}

/* the eight channels under one layout (header 8 or 12 bytes) */
static const char *channels(const struct win *w, uint32_t info, uint32_t hdr,
			    struct chan ch[RING_CHANNELS])
{
	const char *err = NULL;
	int i;

	for (i = 0; i < RING_CHANNELS && !err; i++) {
		uint8_t *c = win_ptr(w, info + hdr + CHAN_SIZE * (uint32_t)i,
				     CHAN_SIZE, true);

		if (!c)
			return "channel outside the RAM file";
		err = ring_check(w, c, true, &ch[i].tx);
		if (!err)
			err = ring_check(w, c, false, &ch[i].rx);
	}
	return err;
}

const char *ring_attach(const char *ram, const char *elf, struct win *w,
			struct chan ch[RING_CHANNELS])
{
	const char *err;
	struct stat st;
	uint32_t shared = 0, info;
	uint8_t *p;
	void *map;
	int fd;

	memset(w, 0, sizeof(*w));
	err = image_symbols(elf, &shared, &w->big_endian);
	if (err)
		return err;
	fd = open(ram, O_RDWR);
	if (fd < 0)
		return "cannot open the RAM file";
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		close(fd);
		return "empty RAM file";
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return "cannot map the RAM file";
	w->base = map;
	w->size = (size_t)st.st_size;
	p = win_ptr(w, shared, 4, true);
	if (!p)
		return "vpe_shared outside the RAM file";
	info = ld32(w, p);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!info)
		return "rtlx_info not published";
	p = win_ptr(w, info, 300, true);
	if (!p || ld32(w, p) != RTLX_ID)
		return "no valid RTLX structure";
	/* the 296-byte layout first (the common one), then the 300-byte one */
	if (!channels(w, info, 8, ch))
		return NULL;
	return channels(w, info, 12, ch);
}

long ring_put(const struct win *w, const struct ring *r, const void *src,
	      size_t len)
{
	uint32_t rd, wr, space, n, first;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	rd = ld32(w, r->cons);
	wr = ld32(w, r->prod);
	if (rd >= r->size || wr >= r->size)
		return -1;
	space = r->size - 1 - (wr + r->size - rd) % r->size;
	n = len < space ? (uint32_t)len : space;
	if (!n)
		return 0;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* index before the space */
	first = n < r->size - wr ? n : r->size - wr;
	memcpy(r->buf + wr, src, first);
	memcpy(r->buf, (const uint8_t *)src + first, n - first);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* data before the index */
	st32(w, r->prod, (wr + n) % r->size);
	return n;
}

long ring_take(const struct win *w, const struct ring *r, void *dst,
	       size_t len)
{
	uint32_t rd, wr, avail, n, first;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	wr = ld32(w, r->prod);
	rd = ld32(w, r->cons);
	if (rd >= r->size || wr >= r->size)
		return -1;
	avail = (wr + r->size - rd) % r->size;
	n = len < avail ? (uint32_t)len : avail;
	if (!n)
		return 0;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* index before the data */
	first = n < r->size - rd ? n : r->size - rd;
	memcpy(dst, r->buf + rd, first);
	memcpy((uint8_t *)dst + first, r->buf, n - first);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* copy before freeing */
	st32(w, r->cons, (rd + n) % r->size);
	return n;
}
