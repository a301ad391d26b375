// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rproc-check: would the kernel's remoteproc ELF loader take this file?
 *
 *   rproc-check [--endian little|big] FILE
 *	the checks of rproc-elf.c; prints the carveout, or why not (exit 1)
 *   rproc-check --peek VADDR LEN [--paddr] FILE
 *	write the LEN bytes the segments load at VADDR to stdout
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rproc-elf.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		perror(path);
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			if (!buf) {
				perror("realloc");
				exit(2);
			}
		}
		size_t r = fread(buf + n, 1, cap - n, f);

		n += r;
		if (!r)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

static int peek(int argc, char **argv)
{
	bool use_paddr = argc == 6 && !strcmp(argv[4], "--paddr");
	uint32_t vaddr, len;
	uint8_t *fw, *out;
	size_t size;
	int ret;

	if (argc != 5 && !use_paddr) {
		fprintf(stderr, "usage: rproc-check --peek VADDR LEN [--paddr] FILE\n");
		return 2;
	}
	vaddr = (uint32_t)strtoul(argv[2], NULL, 0);
	len = (uint32_t)strtoul(argv[3], NULL, 0);
	fw = slurp(argv[argc - 1], &size);
	out = malloc(len ? len : 1);
	if (!fw || !out)
		return 2;
	ret = rproc_elf_peek(fw, size, vaddr, len, use_paddr, out);
	if (ret)
		fprintf(stderr, "%s: 0x%08x+0x%x is not all loaded\n",
			argv[argc - 1], vaddr, len);
	else
		fwrite(out, 1, len, stdout);
	free(fw);
	free(out);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct rproc_elf_report rep;
	const char *path;
	char why[256];
	int order = 0;
	uint8_t *fw;
	size_t size;

	if (argc >= 2 && !strcmp(argv[1], "--peek"))
		return peek(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "--endian")) {
		order = !strcmp(argv[2], "big") ? 2 : 1;
		path = argv[3];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: rproc-check [--endian little|big] FILE\n");
		return 2;
	}
	fw = slurp(path, &size);
	if (!fw)
		return 2;
	if (rproc_elf_check(fw, size, order, &rep, why, sizeof(why))) {
		printf("%s: %s\n", path, why);
		free(fw);
		return 1;
	}
	printf("%s: ok: entry 0x%08x%s, %u segments, resource table 0x%08x, carveout \"%s\" da 0x%08x pa 0x%08x len 0x%x\n",
	       path, rep.entry,
	       rep.entry_in_carveout ? "" : " (outside the carveout)", rep.nload, rep.rsc_addr, rep.carveout_name,
	       rep.carveout_da, rep.carveout_pa, rep.carveout_len);
	free(fw);
	return 0;
}
