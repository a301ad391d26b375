// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fakeremote: see fakeremote.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fakeremote.h"
#include "legacy.h"

#define RTLX_INFO_STATE	4

static void die(const char *what, size_t off)
{
	fprintf(stderr, "fakeremote: %s at offset 0x%zx\n", what, off);
	abort();
}

/* Move the window's mapping between two PROT_NONE pages. */
static int add_guards(struct fakeremote *fr)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *g, *base;

	fr->guard_len = fr->size + 2 * page;
	g = mmap(NULL, fr->guard_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (g == MAP_FAILED)
		return -errno;
	base = mmap(g + page, fr->size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_FIXED, fr->win.fd, 0);
	if (base == MAP_FAILED) {
		munmap(g, fr->guard_len);
		return -errno;
	}
	munmap(fr->win.base, fr->size);
	fr->win.base = base;
	fr->guard = g;
	return 0;
}

int fr_open(struct fakeremote *fr, size_t size, uint32_t phys, bool big)
{
	char spec[64];
	int err;

	memset(fr, 0, sizeof(*fr));
	fr->size = size;
	fr->phys = phys;
	fr->big = big;
	fr->memfd = memfd_create("fakeremote", MFD_CLOEXEC);
	if (fr->memfd < 0)
		return -errno;
	if (ftruncate(fr->memfd, size) < 0) {
		err = -errno;
		close(fr->memfd);
		return err;
	}
	snprintf(spec, sizeof(spec), "file:/proc/self/fd/%d@0x%x", fr->memfd,
		 phys);
	err = window_open(&fr->win, spec);
	if (!err && fr->win.size != size)
		err = -EINVAL;
	if (!err)
		err = add_guards(fr);
	if (!err) {
		fr->mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			       fr->memfd, 0);
		if (fr->mem == MAP_FAILED)
			err = -errno;
	}
	if (err) {
		window_close(&fr->win);
		if (fr->guard)
			munmap(fr->guard, fr->guard_len);
		close(fr->memfd);
		return err;
	}
	return 0;
}

void fr_close(struct fakeremote *fr)
{
	window_close(&fr->win);
	munmap(fr->guard, fr->guard_len);
	munmap(fr->mem, fr->size);
	close(fr->memfd);
}

uint32_t fr_phys(const struct fakeremote *fr, size_t off)
{
	return fr->phys + (uint32_t)off;
}

uint32_t fr_addr(const struct fakeremote *fr, size_t off)
{
	return LEGACY_KSEG0 | fr_phys(fr, off);
}

static bool host_big(void)
{
	const uint16_t probe = 1;

	return *(const uint8_t *)&probe == 0;
}

/* Single 32-bit accesses: the daemon's event thread may be reading. */
uint32_t fr_get32(const struct fakeremote *fr, size_t off)
{
	uint32_t v;

	if (off % 4 || off > fr->size - 4)
		die("bad word", off);
	v = __atomic_load_n((uint32_t *)(fr->mem + off), __ATOMIC_ACQUIRE);
	return fr->big != host_big() ? __builtin_bswap32(v) : v;
}

void fr_put32(struct fakeremote *fr, size_t off, uint32_t val)
{
	if (off % 4 || off > fr->size - 4)
		die("bad word", off);
	if (fr->big != host_big())
		val = __builtin_bswap32(val);
	__atomic_store_n((uint32_t *)(fr->mem + off), val, __ATOMIC_RELEASE);
}

size_t fr_chan(const struct fakeremote *fr, int ch)
{
	return fr->info + (fr->layout == 300 ? 12 : 8) + FR_CHANNEL_SIZE * ch;
}

uint32_t fr_field(const struct fakeremote *fr, int ch, enum fr_field f)
{
	return fr_get32(fr, fr_chan(fr, ch) + f);
}

void fr_set(struct fakeremote *fr, int ch, enum fr_field f, uint32_t val)
{
	fr_put32(fr, fr_chan(fr, ch) + f, val);
}

void fr_publish(struct fakeremote *fr, int layout, size_t shared,
		size_t info)
{
	size_t off;

	fr->layout = layout;
	fr->shared = shared;
	fr->info = info;
	for (off = info; off < info + (size_t)layout; off += 4)
		fr_put32(fr, off, 0);
	fr_put32(fr, info, RTLX_ID);
	fr_put32(fr, info + RTLX_INFO_STATE, 1);	/* INITIALISED */
	/* the structure is complete before its address is */
	fr_put32(fr, shared, fr_addr(fr, info));
}

void fr_unpublish(struct fakeremote *fr)
{
	fr_put32(fr, fr->shared, 0);
}

void fr_ring(struct fakeremote *fr, int ch, uint32_t size, size_t rt,
	     size_t lx)
{
	fr_set(fr, ch, FR_RT_STATE, FR_STATE_REMOTE_READY);
	fr_set(fr, ch, FR_LX_STATE, 0);
	fr_set(fr, ch, FR_SIZE, size);
	fr_set(fr, ch, FR_RT_WRITE, 0);
	fr_set(fr, ch, FR_RT_READ, 0);
	fr_set(fr, ch, FR_RT_BUFFER, fr_addr(fr, rt));
	fr_set(fr, ch, FR_LX_WRITE, 0);
	fr_set(fr, ch, FR_LX_READ, 0);
	fr_set(fr, ch, FR_LX_BUFFER, fr_addr(fr, lx));
}

void fr_standard(struct fakeremote *fr, int layout, uint32_t ring)
{
	int ch;

	if (0x400 + 16 * (size_t)ring > fr->size)
		die("rings do not fit", 0x400 + 16 * (size_t)ring);
	fr_publish(fr, layout, 0x40, 0x100);
	for (ch = 0; ch < RTLX_CHANNELS; ch++)
		fr_ring(fr, ch, ring, 0x400 + 2 * ch * ring,
			0x400 + (2 * ch + 1) * ring);
}

/* The window offset of a ring, as the remote set it up. */
static size_t ring_off(const struct fakeremote *fr, int ch, enum fr_field f,
		       uint32_t size)
{
	uint32_t pa = fr_field(fr, ch, f) & LEGACY_PHYS_MASK;

	if (pa < fr->phys || pa - fr->phys > fr->size ||
	    size > fr->size - (pa - fr->phys))
		die("ring outside the memory", pa);
	return pa - fr->phys;
}

static uint32_t used(uint32_t wr, uint32_t rd, uint32_t size)
{
	return (wr + size - rd) % size;
}

uint32_t fr_rt_used(const struct fakeremote *fr, int ch)
{
	return used(fr_field(fr, ch, FR_RT_WRITE), fr_field(fr, ch, FR_RT_READ),
		    fr_field(fr, ch, FR_SIZE));
}

uint32_t fr_lx_used(const struct fakeremote *fr, int ch)
{
	return used(fr_field(fr, ch, FR_LX_WRITE), fr_field(fr, ch, FR_LX_READ),
		    fr_field(fr, ch, FR_SIZE));
}

size_t fr_send(struct fakeremote *fr, int ch, const void *buf, size_t n)
{
	uint32_t size = fr_field(fr, ch, FR_SIZE);
	uint32_t wr = fr_field(fr, ch, FR_LX_WRITE);
	size_t data = ring_off(fr, ch, FR_LX_BUFFER, size);
	size_t room = size - 1 - fr_lx_used(fr, ch), i;

	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		fr->mem[data + (wr + i) % size] = ((const uint8_t *)buf)[i];
	/* the bytes before the index that publishes them */
	fr_set(fr, ch, FR_LX_WRITE, (wr + n) % size);
	return n;
}

size_t fr_recv(struct fakeremote *fr, int ch, void *buf, size_t n)
{
	uint32_t size = fr_field(fr, ch, FR_SIZE);
	uint32_t rd = fr_field(fr, ch, FR_RT_READ);
	size_t data = ring_off(fr, ch, FR_RT_BUFFER, size);
	size_t avail = fr_rt_used(fr, ch), i;

	if (n > avail)
		n = avail;
	for (i = 0; i < n; i++)
		((uint8_t *)buf)[i] = fr->mem[data + (rd + i) % size];
	fr_set(fr, ch, FR_RT_READ, (rd + n) % size);
	return n;
}
