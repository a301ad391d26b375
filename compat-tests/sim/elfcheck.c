/* Kernel-equivalent checks of a remoteproc firmware image (see elfcheck.h).
 * Every read is bounds-checked: where the kernel trusts the image (section
 * header table, name strings, resource offsets), we refuse with EINVAL and a
 * "rproc-sim" remark instead of reading past the end. */
#include "elfcheck.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ELF32 sizes and the field offsets we read. */
#define EHDR_SIZE 52
#define PHDR_SIZE 32
#define SHDR_SIZE 40
#define E_ENTRY 24
#define E_PHOFF 28
#define E_SHOFF 32
#define E_PHNUM 44
#define E_SHNUM 48
#define E_SHSTRNDX 50
#define P_OFFSET 4
#define P_PADDR 12
#define P_FILESZ 16
#define P_MEMSZ 20
#define SH_ADDR 12
#define SH_OFFSET 16
#define SH_SIZE 20

/* Resource table layout (include/linux/remoteproc.h). */
#define RSC_TABLE_HDR 16
#define RSC_ENTRY_HDR 4
#define RSC_CARVEOUT_SIZE 52
enum { RSC_CARVEOUT, RSC_DEVMEM, RSC_TRACE, RSC_VDEV, RSC_LAST };
#define RSC_VENDOR_START 128
#define RSC_VENDOR_END 512
#define CARVEOUT_ALIGN 4096u	/* dma_alloc_coherent hands out pages */

static void say(const struct fw_elf *fw, bool sim, enum klevel lvl,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void say(const struct fw_elf *fw, bool sim, enum klevel lvl,
		const char *fmt, ...)
{
	if (!fw->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	fw->log(fw->log_ctx, sim, lvl, fmt, ap);
	va_end(ap);
}

#define kerr(fw, ...) say(fw, false, KL_ERR, __VA_ARGS__)
#define kwarn(fw, ...) say(fw, false, KL_WARN, __VA_ARGS__)
#define kdbg(fw, ...) say(fw, false, KL_DBG, __VA_ARGS__)
#define note(fw, ...) say(fw, true, KL_ERR, __VA_ARGS__)

/* The image is in the kernel's byte order (the sanity check ensures it). */
static uint32_t rd32(bool be, const uint8_t *p)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint16_t rd16(bool be, const uint8_t *p)
{
	return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static void wr32(bool be, uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint32_t ehdr32(const struct fw_elf *fw, size_t off)
{
	return rd32(fw->big_endian, fw->data + off);
}

static uint16_t ehdr16(const struct fw_elf *fw, size_t off)
{
	return rd16(fw->big_endian, fw->data + off);
}

uint32_t fw_entry(const struct fw_elf *fw)
{
	return ehdr32(fw, E_ENTRY);
}

/* rproc_elf_sanity_check, with the MIPS driver's ELF32-only rule. */
int fw_sanity_check(const struct fw_elf *fw)
{
	const uint8_t *e = fw->data;

	if (fw->size < EHDR_SIZE) {
		kerr(fw, "Image is too small");
		return -EINVAL;
	}
	if (memcmp(e, ELFMAG, SELFMAG)) {
		kerr(fw, "Image is corrupted (bad magic)");
		return -EINVAL;
	}
	if (e[EI_CLASS] != ELFCLASS32) {
		kerr(fw, "Unsupported class: %d", e[EI_CLASS]);
		if (e[EI_CLASS] == ELFCLASS64)
			note(fw, "the MIPS remoteproc driver loads ELF32 only");
		return -EINVAL;
	}
	if (e[EI_DATA] != (fw->big_endian ? ELFDATA2MSB : ELFDATA2LSB)) {
		kerr(fw, "Unsupported firmware endianness");
		return -EINVAL;
	}
	if (fw->size < (uint64_t)ehdr32(fw, E_SHOFF) + SHDR_SIZE) {
		kerr(fw, "Image is too small");
		return -EINVAL;
	}
	uint16_t phnum = ehdr16(fw, E_PHNUM);
	uint64_t phoff = ehdr32(fw, E_PHOFF);
	if (phnum == 0) {
		kerr(fw, "No loadable segments");
		return -EINVAL;
	}
	if (phoff > fw->size) {
		kerr(fw, "Firmware size is too small");
		return -EINVAL;
	}
	if (phoff + (uint64_t)phnum * PHDR_SIZE > fw->size) {
		kerr(fw, "Firmware size is too small");
		note(fw, "program headers end past the end of the file");
		return -EINVAL;
	}
	kdbg(fw, "Firmware is an elf32 file");
	return 0;
}

/* Is the NUL-terminated string at file offset `at` equal to want? */
static bool name_is(const struct fw_elf *fw, uint64_t at, const char *want)
{
	size_t n = strlen(want) + 1;
	return at + n <= fw->size && memcmp(fw->data + at, want, n) == 0;
}

/* The header checks find_table applies to the named section. */
static bool table_ok(const struct fw_elf *fw, const uint8_t *sh)
{
	bool be = fw->big_endian;
	uint64_t off = rd32(be, sh + SH_OFFSET);
	uint64_t size = rd32(be, sh + SH_SIZE);

	if (off + size > fw->size) {
		kerr(fw, "resource table truncated");
		return false;
	}
	if (size < RSC_TABLE_HDR) {
		kerr(fw, "header-less resource table");
		return false;
	}
	const uint8_t *t = fw->data + off;
	if (rd32(be, t) != 1) {
		kerr(fw, "unsupported fw ver: %d", (int)rd32(be, t));
		return false;
	}
	if (rd32(be, t + 8) || rd32(be, t + 12)) {
		kerr(fw, "non zero reserved bytes");
		return false;
	}
	if (RSC_TABLE_HDR + 4 * (uint64_t)rd32(be, t + 4) > size) {
		kerr(fw, "resource table incomplete");
		return false;
	}
	return true;
}

/* find_table: the section named .resource_table, through e_shstrndx.
 * Like the kernel, the first section with that name decides. */
static const uint8_t *find_table(const struct fw_elf *fw)
{
	uint64_t shoff = ehdr32(fw, E_SHOFF);
	uint16_t shnum = ehdr16(fw, E_SHNUM);
	uint16_t shstrndx = ehdr16(fw, E_SHSTRNDX);

	if (shoff + (uint64_t)shnum * SHDR_SIZE > fw->size) {
		note(fw, "section headers end past the end of the file");
		return NULL;
	}
	if (shstrndx >= shnum) {
		note(fw, "no section name table (e_shstrndx %u, e_shnum %u)",
		     shstrndx, shnum);
		return NULL;
	}
	const uint8_t *sht = fw->data + shoff;
	uint64_t names = rd32(fw->big_endian,
			      sht + shstrndx * SHDR_SIZE + SH_OFFSET);
	for (unsigned i = 0; i < shnum; i++) {
		const uint8_t *sh = sht + i * SHDR_SIZE;
		if (!name_is(fw, names + rd32(fw->big_endian, sh),
			     ".resource_table"))
			continue;
		return table_ok(fw, sh) ? sh : NULL;
	}
	return NULL;
}

/* rproc_elf_load_rsc_table: keep a private copy of the table. */
int fw_parse_table(const struct fw_elf *fw, struct fw_rsc *rsc)
{
	memset(rsc, 0, sizeof(*rsc));
	const uint8_t *sh = find_table(fw);
	if (!sh) {
		kerr(fw, "Failed to find resource table");
		return -EINVAL;
	}
	size_t off = rd32(fw->big_endian, sh + SH_OFFSET);
	rsc->size = rd32(fw->big_endian, sh + SH_SIZE);
	rsc->table = malloc(rsc->size);
	if (!rsc->table)
		return -ENOMEM;
	memcpy(rsc->table, fw->data + off, rsc->size);
	return 0;
}

/* rproc_handle_carveout: validate and register; allocation comes later. */
static int add_carveout(const struct fw_elf *fw, struct fw_rsc *rsc,
			uint32_t body, size_t avail)
{
	bool be = fw->big_endian;
	const uint8_t *c = rsc->table + body;

	if (avail < RSC_CARVEOUT_SIZE) {
		kerr(fw, "carveout rsc is truncated");
		return -EINVAL;
	}
	if (rd32(be, c + 16)) {
		kerr(fw, "carveout rsc has non zero reserved bytes");
		return -EINVAL;
	}
	struct fw_carveout *cv = realloc(rsc->cv, (rsc->ncv + 1) * sizeof(*cv));
	if (!cv)
		return -ENOMEM;
	rsc->cv = cv;
	cv += rsc->ncv++;
	memset(cv, 0, sizeof(*cv));
	cv->da = rd32(be, c);
	cv->len = rd32(be, c + 8);
	cv->rsc_off = body;
	cv->any = cv->da == FW_RSC_ADDR_ANY;
	memcpy(cv->name, c + 20, 32);
	kdbg(fw, "carveout rsc: name: %s, da 0x%x, pa 0x%x, len 0x%x, flags 0x%x",
	     cv->name, cv->da, rd32(be, c + 4), cv->len, rd32(be, c + 12));
	return 0;
}

/* One entry of rproc_handle_resources (the loading handlers). */
static int handle_entry(const struct fw_elf *fw, struct fw_rsc *rsc,
			uint32_t off)
{
	if ((uint64_t)off + RSC_ENTRY_HDR > rsc->size) {
		kerr(fw, "rsc table is truncated");
		return -EINVAL;
	}
	uint32_t type = rd32(fw->big_endian, rsc->table + off);
	size_t avail = rsc->size - off - RSC_ENTRY_HDR;

	kdbg(fw, "rsc: type %u", type);
	if (type >= RSC_VENDOR_START && type <= RSC_VENDOR_END) {
		kwarn(fw, "unsupported vendor resource %u", type);
		return 0;
	}
	if (type >= RSC_LAST) {
		kwarn(fw, "unsupported resource %u", type);
		return 0;
	}
	switch (type) {
	case RSC_CARVEOUT:
		return add_carveout(fw, rsc, off + RSC_ENTRY_HDR, avail);
	case RSC_DEVMEM:
		/* rproc_handle_devmem: no IOMMU domain -> -EINVAL, silently */
		note(fw, "devmem resource needs an IOMMU domain");
		return -EINVAL;
	default:
		note(fw, "%s resource ignored (not simulated)",
		     type == RSC_TRACE ? "trace" : "vdev");
		return 0;
	}
}

/* The lowest start of a placed carveout overlapping [start, start + len),
 * UINT64_MAX if none does. */
static uint64_t first_overlap(const struct fw_rsc *rsc, uint64_t start,
			      uint64_t len)
{
	uint64_t lowest = UINT64_MAX;
	for (size_t i = 0; i < rsc->ncv; i++) {
		const struct fw_carveout *c = &rsc->cv[i];
		if (c->placed && start < (uint64_t)c->da + c->len &&
		    c->da < start + len && c->da < lowest)
			lowest = c->da;
	}
	return lowest;
}

/* FW_RSC_ADDR_ANY: the highest free page-aligned range, like a DMA pool
 * handing out memory from the top. */
static bool alloc_any(const struct fw_rsc *rsc, uint64_t ram, uint32_t len,
		      uint32_t *da)
{
	uint64_t end = ram;
	while (end >= len) {
		uint64_t start = (end - len) & ~(uint64_t)(CARVEOUT_ALIGN - 1);
		uint64_t hit = first_overlap(rsc, start, len);
		if (hit == UINT64_MAX) {
			*da = (uint32_t)start;
			return true;
		}
		end = hit;
	}
	return false;
}

/* dma_alloc_coherent for one carveout. A fixed da is honoured as the
 * physical address (identity, no IOMMU); it must lie in RAM and not
 * overlap another carveout. */
static int place(const struct fw_elf *fw, struct fw_rsc *rsc,
		 struct fw_carveout *c, const struct fw_ram *ram)
{
	bool ok;
	if (c->len == 0)
		ok = false;
	else if (c->any)
		ok = alloc_any(rsc, ram->size, c->len, &c->da);
	else
		ok = (uint64_t)c->da + c->len <= ram->size &&
		     first_overlap(rsc, c->da, c->len) == UINT64_MAX;
	if (!ok) {
		kerr(fw, "failed to allocate dma memory: len 0x%x", c->len);
		note(fw, "carveout \"%s\" da 0x%x len 0x%x does not fit the "
		     "free RAM [0x0, 0x%llx)", c->name, c->da, c->len,
		     (unsigned long long)ram->size);
		if (ram->core_5x)
			kerr(fw, "Unable to allocate carveout %s: %d", c->name,
			     -ENOMEM);
		return -ENOMEM;
	}
	c->placed = true;
	say(fw, true, KL_INFO, "carveout %s: da 0x%x pa 0x%x len 0x%x%s",
	    c->name, c->da, c->da, c->len, c->any ? " (allocated)" : "");
	uint8_t *body = rsc->table + c->rsc_off;
	wr32(fw->big_endian, body + 4, c->da);	/* pa */
	if (c->any)
		wr32(fw->big_endian, body, c->da);
	return 0;
}

/* Fixed carveouts first, so that an ANY request never takes the range a
 * later fixed one needs (real DMA addresses do not depend on da). */
static int alloc_carveouts(const struct fw_elf *fw, struct fw_rsc *rsc,
			   const struct fw_ram *ram)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < rsc->ncv; i++) {
			struct fw_carveout *c = &rsc->cv[i];
			if (c->any != (pass == 1))
				continue;
			int ret = place(fw, rsc, c, ram);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int fw_handle_resources(const struct fw_elf *fw, struct fw_rsc *rsc,
			const struct fw_ram *ram)
{
	uint32_t num = rd32(fw->big_endian, rsc->table + 4);
	int ret = 0;

	for (uint32_t i = 0; i < num && !ret; i++) {
		uint32_t off = rd32(fw->big_endian,
				    rsc->table + RSC_TABLE_HDR + 4 * i);
		ret = handle_entry(fw, rsc, off);
	}
	if (ret) {
		kerr(fw, "Failed to process resources: %d", ret);
		return ret;
	}
	ret = alloc_carveouts(fw, rsc, ram);
	if (ret)
		kerr(fw, ram->core_5x ?
			 "Failed to allocate associated carveouts: %d" :
			 "Failed to process resources: %d", ret);
	return ret;
}

/* rproc_da_to_va over the carveout list: [da, da + len) in one carveout. */
static bool da_ok(const struct fw_rsc *rsc, uint32_t da, uint64_t len)
{
	for (size_t i = 0; i < rsc->ncv; i++) {
		const struct fw_carveout *c = &rsc->cv[i];
		if (c->placed && da >= c->da && da - c->da + len <= c->len)
			return true;
	}
	return false;
}

/* The checks rproc_elf_load_segments makes before each copy. */
int fw_check_segments(const struct fw_elf *fw, const struct fw_rsc *rsc)
{
	bool be = fw->big_endian;
	const uint8_t *ph = fw->data + ehdr32(fw, E_PHOFF);
	uint16_t phnum = ehdr16(fw, E_PHNUM);

	for (unsigned i = 0; i < phnum; i++, ph += PHDR_SIZE) {
		uint32_t type = rd32(be, ph);
		uint32_t off = rd32(be, ph + P_OFFSET);
		uint32_t da = rd32(be, ph + P_PADDR);
		uint32_t filesz = rd32(be, ph + P_FILESZ);
		uint32_t memsz = rd32(be, ph + P_MEMSZ);

		if (type != PT_LOAD || !memsz)
			continue;
		kdbg(fw, "phdr: type %u da 0x%x memsz 0x%x filesz 0x%x", type,
		     da, memsz, filesz);
		if (filesz > memsz) {
			kerr(fw, "bad phdr filesz 0x%x memsz 0x%x", filesz,
			     memsz);
			return -EINVAL;
		}
		if ((uint64_t)off + filesz > fw->size) {
			kerr(fw, "truncated fw: need 0x%llx avail 0x%zx",
			     (unsigned long long)off + filesz, fw->size);
			return -EINVAL;
		}
		if (!da_ok(rsc, da, memsz)) {
			kerr(fw, "bad phdr da 0x%x mem 0x%x", da, memsz);
			return -EINVAL;
		}
	}
	return 0;
}

int fw_loaded_table(const struct fw_elf *fw, const struct fw_rsc *rsc,
		    uint32_t *pa)
{
	const uint8_t *sh = find_table(fw);
	if (!sh)
		return 0;
	uint32_t addr = rd32(fw->big_endian, sh + SH_ADDR);
	if (!da_ok(rsc, addr, rsc->size))
		return 0;
	*pa = addr;	/* da == pa */
	return 1;
}

void fw_rsc_release(struct fw_rsc *rsc)
{
	free(rsc->table);
	free(rsc->cv);
	memset(rsc, 0, sizeof(*rsc));
}
