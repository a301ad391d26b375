/* The remote's RAM: a file that QEMU maps as its memory backend.
 * Physical address X of the remote is file offset X. */
#ifndef RPROC_SIM_RAM_H
#define RPROC_SIM_RAM_H

#include <stddef.h>
#include <stdint.h>

/* Open (creating or extending to size) and return the fd, or -errno. */
int ram_open(const char *path, uint64_t size);
/* dma_alloc_coherent memory is zeroed: clear [off, off + len). */
int ram_zero(int fd, uint64_t off, uint64_t len);
int ram_write(int fd, uint64_t off, const void *buf, size_t len);

#endif
