/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * window: the remote's memory, as the daemon sees it.
 *
 * Production maps the kernel module's device; tests map the simulator's
 * RAM file. Either way it is a flat range of the remote's physical address
 * space. Everything read from it was written by the remote and is checked
 * before use: addresses are translated with bounds checks, every access
 * goes through the functions here, and 32-bit fields are read in the
 * firmware's byte order, never the host's.
 */
#ifndef VPE_WINDOW_H
#define VPE_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct window {
	uint8_t *base;		/* the mapping */
	size_t size;
	uint64_t phys_base;	/* the remote's physical address of base[0] */
	bool swap;		/* the firmware's byte order is not the host's */
	int fd;
	bool module;		/* fd is a vpe_compat.ko node */
	bool doorbell;		/* ... whose read/poll see the remote's doorbell */
	bool kick;		/* ... and which can ring the remote's */
};

/*
 * @spec: a vpe_compat.ko node ("/dev/vpe_compat0": it says where the
 * window is and has the doorbells), or "file:PATH" / "file:PATH@PHYS" (the
 * simulator's RAM file, or any file mapping the remote's memory at PHYS,
 * default 0; no doorbells).
 */
int window_open(struct window *w, const char *spec);
void window_close(struct window *w);

/* The module's doorbell: an fd that polls readable when the remote rang
 * (-1 without one), and how to take the ring off it. */
int window_doorbell_fd(const struct window *w);
void window_doorbell_ack(const struct window *w);
/* Ring the remote's doorbell, if there is one. */
void window_kick(const struct window *w);

void window_set_big_endian(struct window *w, bool big_endian);
bool window_big_endian(const struct window *w);

/*
 * The window offset of [@addr, @addr + @len) in the remote's address
 * space: KSEG0 and KSEG1 addresses, or physical ones when @phys. False if
 * any byte of it lies outside the window.
 */
bool window_offset(const struct window *w, uint32_t addr, uint32_t len,
		   bool phys, size_t *off);

/* A 32-bit field at a checked, 4-byte aligned offset; single accesses. */
uint32_t window_load32(const struct window *w, size_t off);
void window_store32(const struct window *w, size_t off, uint32_t val);

/*
 * Bytes between the window and @buf: the only way anything but a 32-bit
 * field crosses it.  False, and nothing copied, unless all of [@off, @off +
 * @len) is inside the window.
 */
bool window_copy_out(const struct window *w, size_t off, void *buf,
		     size_t len);
bool window_copy_in(const struct window *w, size_t off, const void *buf,
		    size_t len);

#endif
