// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * window: mapping and address translation for the remote's memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vpe_compat.h>

#include "legacy.h"
#include "window.h"

static int parse_spec(const char *spec, char *path, size_t size,
		      uint64_t *phys)
{
	const char *at;
	size_t len;
	char *end;

	if (strncmp(spec, "file:", 5))
		return -EINVAL;
	spec += 5;
	at = strrchr(spec, '@');
	*phys = 0;
	if (at) {
		errno = 0;
		*phys = strtoull(at + 1, &end, 0);
		if (errno || end == at + 1 || *end)
			return -EINVAL;
	}
	len = at ? (size_t)(at - spec) : strlen(spec);
	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(path, spec, len);
	path[len] = '\0';
	return len ? 0 : -EINVAL;
}

/* A file: its whole length is the window. */
static int size_file(struct window *w)
{
	struct stat st;

	if (fstat(w->fd, &st) < 0)
		return -errno;
	if (st.st_size <= 0)
		return -EINVAL;
	w->size = st.st_size;
	return 0;
}

/* A vpe_compat.ko node: it tells where and how big, and what it can do. */
static int size_module(struct window *w)
{
	struct vpe_compat_info info;

	if (ioctl(w->fd, VPE_COMPAT_IOC_INFO, &info) < 0)
		return errno == ENOTTY ? -ENOTTY : -errno;
	if (!info.size || info.size > SIZE_MAX)
		return -EINVAL;
	w->module = true;
	w->size = info.size;
	w->phys_base = info.phys_base;
	w->doorbell = info.flags & VPE_COMPAT_INFO_DOORBELL;
	w->kick = info.flags & VPE_COMPAT_INFO_KICK;
	return 0;
}

int window_open(struct window *w, const char *spec)
{
	char path[4096];
	bool is_file;
	int err;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	is_file = !strncmp(spec, "file:", 5);
	if (is_file)
		err = parse_spec(spec, path, sizeof(path), &w->phys_base);
	else
		err = snprintf(path, sizeof(path), "%s", spec) >= (int)sizeof(path) ?
		      -ENAMETOOLONG : 0;
	if (err)
		return err;
	w->fd = open(path, O_RDWR | O_CLOEXEC);
	if (w->fd < 0)
		return -errno;
	err = is_file ? size_file(w) : size_module(w);
	if (err)
		goto fail;
	w->base = mmap(NULL, w->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       w->fd, 0);
	if (w->base == MAP_FAILED) {
		err = -errno;
		goto fail;
	}
	return 0;
fail:
	close(w->fd);
	w->fd = -1;
	w->base = NULL;
	return err;
}

void window_close(struct window *w)
{
	if (w->base)
		munmap(w->base, w->size);
	if (w->fd >= 0)
		close(w->fd);
	w->base = NULL;
	w->fd = -1;
}

int window_doorbell_fd(const struct window *w)
{
	return w->doorbell ? w->fd : -1;
}

/* Only after poll() said readable, so the read does not block. */
void window_doorbell_ack(const struct window *w)
{
	uint64_t count;
	ssize_t n;

	/* the count itself does not matter: the rings say what happened */
	if (w->doorbell) {
		n = read(w->fd, &count, sizeof(count));
		(void)n;
	}
}

void window_kick(const struct window *w)
{
	if (w->kick)
		ioctl(w->fd, VPE_COMPAT_IOC_KICK);
}

static bool host_big_endian(void)
{
	const uint16_t probe = 1;

	return *(const uint8_t *)&probe == 0;
}

void window_set_big_endian(struct window *w, bool big_endian)
{
	w->swap = big_endian != host_big_endian();
}

bool window_big_endian(const struct window *w)
{
	return w->swap != host_big_endian();
}

bool window_offset(const struct window *w, uint32_t addr, uint32_t len,
		   bool phys, size_t *off)
{
	uint64_t pa;

	if (phys)
		pa = addr;
	else if (legacy_unmapped(addr))
		pa = addr & LEGACY_PHYS_MASK;
	else
		return false;
	/* KSEG0/1 reach only the low 512 MiB: the span must not wrap past it */
	if (!phys && pa + len > LEGACY_KSEG_SIZE)
		return false;
	if (pa < w->phys_base || pa - w->phys_base > w->size ||
	    len > w->size - (pa - w->phys_base))
		return false;
	*off = pa - w->phys_base;
	return true;
}

uint32_t window_load32(const struct window *w, size_t off)
{
	uint32_t v = __atomic_load_n((const uint32_t *)(w->base + off),
				     __ATOMIC_RELAXED);

	return w->swap ? __builtin_bswap32(v) : v;
}

void window_store32(const struct window *w, size_t off, uint32_t val)
{
	if (w->swap)
		val = __builtin_bswap32(val);
	__atomic_store_n((uint32_t *)(w->base + off), val, __ATOMIC_RELAXED);
}

static bool inside(const struct window *w, size_t off, size_t len)
{
	return off <= w->size && len <= w->size - off;
}

bool window_copy_out(const struct window *w, size_t off, void *buf,
		     size_t len)
{
	if (!inside(w, off, len))
		return false;
	memcpy(buf, w->base + off, len);
	return true;
}

bool window_copy_in(const struct window *w, size_t off, const void *buf,
		    size_t len)
{
	if (!inside(w, off, len))
		return false;
	memcpy(w->base + off, buf, len);
	return true;
}
