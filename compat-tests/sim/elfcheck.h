/* The checks of the kernel's remoteproc ELF loader, as pure functions:
 * bytes in, 0 or -errno out, with the kernel's messages through a callback.
 * Nothing here does I/O; the caller owns the bytes and the log.
 *
 * Kernel counterparts (drivers/remoteproc/remoteproc_elf_loader.c, _core.c):
 *   fw_sanity_check      rproc_elf_sanity_check (ELF32 only: MIPS driver)
 *   fw_parse_table       find_table + rproc_elf_load_rsc_table (cached copy)
 *   fw_handle_resources  rproc_handle_resources + carveout allocation
 *   fw_check_segments    the checks of rproc_elf_load_segments
 *   fw_loaded_table      rproc_elf_find_loaded_rsc_table
 */
#ifndef RPROC_SIM_ELFCHECK_H
#define RPROC_SIM_ELFCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

#define FW_RSC_ADDR_ANY 0xffffffffu

#include <stdarg.h>

/* sim: the line is the simulator's own remark, not a kernel message. */
typedef void fw_log_fn(void *ctx, bool sim, enum klevel lvl, const char *fmt,
		       va_list ap);

/* One firmware image as request_firmware would hand it over. */
struct fw_elf {
	const uint8_t *data;
	size_t size;
	bool big_endian;	/* the simulated kernel's byte order */
	fw_log_fn *log;
	void *log_ctx;
};

/* A carveout after allocation: da == pa (no IOMMU, identity mapping). */
struct fw_carveout {
	uint32_t da;
	uint32_t len;
	uint32_t rsc_off;	/* entry body offset in the table */
	bool any;		/* da requested as FW_RSC_ADDR_ANY */
	bool placed;		/* allocated in RAM */
	char name[33];
};

/* The processed resource table; lives from boot until shutdown, like the
 * kernel's cached_table and carveout list (recovery reuses it). */
struct fw_rsc {
	uint8_t *table;		/* cached copy, pa (and ANY da) filled in */
	size_t size;
	struct fw_carveout *cv;
	size_t ncv;
};

/* Where memory can be allocated from: physical [0, ram_size). */
struct fw_ram {
	uint64_t size;
	bool core_5x;		/* 5.x+ wording of allocation failures */
};

int fw_sanity_check(const struct fw_elf *fw);
uint32_t fw_entry(const struct fw_elf *fw);
int fw_parse_table(const struct fw_elf *fw, struct fw_rsc *rsc);
int fw_handle_resources(const struct fw_elf *fw, struct fw_rsc *rsc,
			const struct fw_ram *ram);
int fw_check_segments(const struct fw_elf *fw, const struct fw_rsc *rsc);
/* 1 and *pa if the image's .resource_table address lies in a carveout
 * (the kernel then copies the cached table there), 0 if not. */
int fw_loaded_table(const struct fw_elf *fw, const struct fw_rsc *rsc,
		    uint32_t *pa);
void fw_rsc_release(struct fw_rsc *rsc);

#endif
