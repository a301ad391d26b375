// SPDX-License-Identifier: GPL-2.0
/*
 * vpe_rproc: the image and where it goes.
 *
 * The remote runs unmapped, from KSEG0 (cached) or KSEG1 (uncached), so a
 * physical address P in the region is also reached as 0x80000000 + P and
 * 0xa0000000 + P; images name their load addresses either way (remoteproc
 * images with p_paddr = P, legacy ET_EXEC images with p_paddr = KSEG0).
 *
 * vpe_elf_check() validates an image before the remoteproc core looks at
 * it, with every offset and size checked against the image's length, and
 * says precisely what is wrong: a 32-bit MIPS ET_EXEC of the kernel's byte
 * order, every loadable segment inside the region, and an entry point: the
 * ELF entry for images with a resource table, the __start symbol (as the
 * legacy loader used it) for images without one.
 */

#include <linux/device.h>
#include <linux/elf.h>
#include <linux/string.h>

#include "vpe_rproc.h"

/**
 * vpe_region_lookup() - where a remote address lies in the region
 * @region: the region
 * @addr: physical, KSEG0 or KSEG1 address
 * @len: bytes from @addr that must lie inside too
 * @offset: set to the offset of @addr in the region
 *
 * Return: true if [@addr, @addr + @len) is inside the region.
 */
bool vpe_region_lookup(const struct vpe_region *region, u64 addr, size_t len,
		       size_t *offset)
{
	u64 phys;

	if (addr >= VPE_KSEG0 && addr < VPE_KSEG2)
		phys = (addr - VPE_KSEG0) & (VPE_SEG_SIZE - 1);
	else if (addr < VPE_SEG_SIZE)
		phys = addr;
	else
		return false;

	if (phys < region->base || phys - region->base > region->size ||
	    len > region->size - (phys - region->base))
		return false;
	*offset = phys - region->base;
	return true;
}

/* [off, off + len) inside an image of @size bytes */
static bool vpe_in_image(size_t size, u64 off, u64 len)
{
	return off <= size && len <= size - off;
}

static const char *vpe_elf_string(const struct firmware *fw,
				  const struct elf32_shdr *strtab, u32 name)
{
	const char *s;

	if (strtab->sh_type != SHT_STRTAB || name >= strtab->sh_size ||
	    !vpe_in_image(fw->size, strtab->sh_offset, strtab->sh_size))
		return NULL;
	s = (const char *)fw->data + strtab->sh_offset + name;
	/* the string must end inside its table */
	if (!memchr(s, '\0', strtab->sh_size - name))
		return NULL;
	return s;
}

static int vpe_elf_header(struct device *dev, const struct firmware *fw)
{
	const struct elf32_hdr *eh = (const void *)fw->data;

	if (fw->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG)) {
		dev_err(dev, "not an ELF file\n");
		return -ENOEXEC;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS32) {
		dev_err(dev, "not a 32-bit ELF file\n");
		return -ENOEXEC;
	}
#ifdef __BIG_ENDIAN
	if (eh->e_ident[EI_DATA] != ELFDATA2MSB) {
		dev_err(dev, "a little-endian image: this kernel is big-endian\n");
#else
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		dev_err(dev, "a big-endian image: this kernel is little-endian\n");
#endif
		return -ENOEXEC;
	}
	if (eh->e_machine != EM_MIPS) {
		dev_err(dev, "not a MIPS image (machine %u)\n", eh->e_machine);
		return -ENOEXEC;
	}
	if (eh->e_type == ET_REL) {
		dev_err(dev, "a relocatable object: place it with vpe-fwconvert (or load it through fuse-vpe's /dev/vpe1)\n");
		return -ENOEXEC;
	}
	if (eh->e_type != ET_EXEC) {
		dev_err(dev, "ELF type %u: only executables (ET_EXEC) run here\n",
			eh->e_type);
		return -ENOEXEC;
	}
	/* aligned: the headers are read in place */
	if (eh->e_phentsize != sizeof(struct elf32_phdr) || eh->e_phoff % 4 ||
	    !vpe_in_image(fw->size, eh->e_phoff,
			  (u64)eh->e_phnum * sizeof(struct elf32_phdr))) {
		dev_err(dev, "the program headers are not inside the image\n");
		return -ENOEXEC;
	}
	if (eh->e_shnum &&
	    (eh->e_shentsize != sizeof(struct elf32_shdr) || eh->e_shoff % 4 ||
	     !vpe_in_image(fw->size, eh->e_shoff,
			   (u64)eh->e_shnum * sizeof(struct elf32_shdr)))) {
		dev_err(dev, "the section headers are not inside the image\n");
		return -ENOEXEC;
	}
	return 0;
}

static int vpe_elf_segments(struct device *dev, const struct firmware *fw,
			    const struct vpe_region *region)
{
	const struct elf32_hdr *eh = (const void *)fw->data;
	const struct elf32_phdr *ph = (const void *)(fw->data + eh->e_phoff);
	unsigned int i, nload = 0;
	size_t off;

	for (i = 0; i < eh->e_phnum; i++, ph++) {
		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		nload++;
		if (ph->p_filesz > ph->p_memsz ||
		    !vpe_in_image(fw->size, ph->p_offset, ph->p_filesz)) {
			dev_err(dev, "segment %u: its bytes are not inside the image\n",
				i);
			return -ENOEXEC;
		}
		if (!vpe_region_lookup(region, ph->p_paddr, ph->p_memsz, &off)) {
			dev_err(dev, "segment %u at %#x+%#x is outside the memory kept for the remote (%pa+%#zx)\n",
				i, ph->p_paddr, ph->p_memsz, &region->base,
				region->size);
			return -ERANGE;
		}
	}
	if (!nload) {
		dev_err(dev, "no loadable segment\n");
		return -ENOEXEC;
	}
	return 0;
}

/*
 * The last __start and vpe_shared in any symbol table (the legacy loader's
 * rule): where a legacy image starts, and the word where it publishes what
 * it shares with Linux (vpe_get_shared()).
 */
static void vpe_elf_symtab(const struct firmware *fw,
			   const struct elf32_shdr *sh, unsigned int shnum,
			   unsigned int i, struct vpe_elf_info *info)
{
	const struct elf32_sym *sym;
	const char *name;
	u32 n, k;

	if (sh[i].sh_link >= shnum || sh[i].sh_entsize != sizeof(*sym) ||
	    sh[i].sh_offset % 4 ||
	    !vpe_in_image(fw->size, sh[i].sh_offset, sh[i].sh_size))
		return;
	sym = (const void *)(fw->data + sh[i].sh_offset);
	n = sh[i].sh_size / sizeof(*sym);
	for (k = 1; k < n; k++) {
		name = vpe_elf_string(fw, &sh[sh[i].sh_link], sym[k].st_name);
		if (!name)
			continue;
		if (!strcmp(name, "__start")) {
			info->has_start = true;
			info->start = sym[k].st_value;
		} else if (!strcmp(name, "vpe_shared")) {
			info->has_shared = true;
			info->shared = sym[k].st_value;
		}
	}
}

static void vpe_elf_sections(const struct firmware *fw,
			     struct vpe_elf_info *info)
{
	const struct elf32_hdr *eh = (const void *)fw->data;
	const struct elf32_shdr *sh = (const void *)(fw->data + eh->e_shoff);
	const char *name;
	unsigned int i;

	if (!eh->e_shnum)
		return;
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type == SHT_SYMTAB)
			vpe_elf_symtab(fw, sh, eh->e_shnum, i, info);
		if (eh->e_shstrndx >= eh->e_shnum)
			continue;
		name = vpe_elf_string(fw, &sh[eh->e_shstrndx], sh[i].sh_name);
		if (name && !strcmp(name, ".resource_table"))
			info->has_rsc_table = true;
	}
}

/**
 * vpe_elf_check() - can this image run in the region, and where does it start?
 * @dev: for messages
 * @fw: the image
 * @region: the memory kept for the remote
 * @info: filled in
 *
 * Return: 0, or -ENOEXEC (not an image this processor runs), -ERANGE (a
 * segment or the entry outside the region); the reason is logged.
 */
int vpe_elf_check(struct device *dev, const struct firmware *fw,
		  const struct vpe_region *region, struct vpe_elf_info *info)
{
	size_t off;
	u32 pc;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = vpe_elf_header(dev, fw);
	if (!ret)
		ret = vpe_elf_segments(dev, fw, region);
	if (ret)
		return ret;

	info->entry = ((const struct elf32_hdr *)fw->data)->e_entry;
	vpe_elf_sections(fw, info);
	if (!info->has_rsc_table && !info->has_start) {
		dev_err(dev, "no resource table and no __start symbol: nowhere to start\n");
		return -ENOEXEC;
	}

	pc = info->has_rsc_table ? info->entry : info->start;
	if (pc < VPE_KSEG0 || pc >= VPE_KSEG2) {
		dev_err(dev, "entry %#x: the remote starts unmapped, in KSEG0 or KSEG1\n",
			pc);
		return -ENOEXEC;
	}
	if (!vpe_region_lookup(region, pc, 4, &off)) {
		dev_err(dev, "entry %#x is outside the memory kept for the remote\n",
			pc);
		return -ERANGE;
	}
	return 0;
}
