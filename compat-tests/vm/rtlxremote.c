// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtlxremote: a user-space stand-in for a legacy SP program, on the remote
 * node of a test-mode vpe_compat.ko window.
 *
 *   rtlxremote [-d /dev/vpe_compat0_remote]
 *
 * It does what legacy firmware does (docs/legacy-abi.md §7.3, §7.4, §11
 * items 15-16): lays out a struct rtlx_info (296-byte layout, id
 * 0x12345602) and its 16 rings in its own memory, publishes the structure's
 * KSEG0 address in its vpe_shared word, rings Linux's doorbell, then echoes
 * every channel (channel 0 with ASCII letters case-inverted), ringing the
 * doorbell after it moved data and sleeping on its own doorbell in between.
 * It prints "vpe_shared=0xPHYS" once published, and runs until killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vpe_compat.h>

#define RTLX_ID 0x12345602u
#define RTLX_CHANNELS 8
#define RING_SIZE 2048u
#define KSEG0 0x80000000u

/* Where things live in the window: the "program's memory". */
#define SHARED_OFF 0x100u
#define INFO_OFF 0x1000u
#define RINGS_OFF 0x2000u

struct rtlx_channel {
	uint32_t rt_state, lx_state, buffer_size;
	uint32_t rt_write, rt_read, rt_buffer;
	uint32_t lx_write, lx_read, lx_buffer;
};

struct rtlx_info {
	uint32_t id, state;
	struct rtlx_channel channel[RTLX_CHANNELS];
};

static uint8_t *mem;
static uint64_t phys_base;

static uint32_t kseg0(uint32_t off)
{
	return KSEG0 + (uint32_t)phys_base + off;
}

static uint8_t *at(uint32_t kseg0_addr)
{
	return mem + (kseg0_addr - kseg0(0));
}

static uint32_t load(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void lay_out(struct rtlx_info *info)
{
	int ch;

	memset(info, 0, sizeof(*info));
	info->id = RTLX_ID;
	for (ch = 0; ch < RTLX_CHANNELS; ch++) {
		struct rtlx_channel *c = &info->channel[ch];

		c->rt_state = 2;	/* REMOTE_READY */
		c->buffer_size = RING_SIZE;
		c->rt_buffer = kseg0(RINGS_OFF + 2 * ch * RING_SIZE);
		c->lx_buffer = kseg0(RINGS_OFF + (2 * ch + 1) * RING_SIZE);
	}
}

static uint8_t transform(int ch, uint8_t b)
{
	if (ch == 0 && ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
		return b ^ 0x20;
	return b;
}

/* Move what fits from Linux's ring to Linux's reply ring. */
static uint32_t echo_channel(struct rtlx_channel *c, int ch)
{
	uint32_t rd = c->rt_read, wr = load(&c->rt_write);
	uint32_t lw = c->lx_write, lr = load(&c->lx_read);
	uint32_t moved = 0;

	if (wr >= RING_SIZE || lr >= RING_SIZE)
		return 0;	/* Linux never does this; ignore it if it did */
	while (rd != wr && (lw + 1) % RING_SIZE != lr) {
		at(c->lx_buffer)[lw] = transform(ch, at(c->rt_buffer)[rd]);
		rd = (rd + 1) % RING_SIZE;
		lw = (lw + 1) % RING_SIZE;
		moved++;
	}
	if (moved) {
		store(&c->lx_write, lw);
		store(&c->rt_read, rd);
	}
	return moved;
}

int main(int argc, char **argv)
{
	const char *dev = argc > 2 && !strcmp(argv[1], "-d") ? argv[2] :
			  "/dev/vpe_compat0_remote";
	struct vpe_compat_info vi;
	struct rtlx_info *info;
	struct pollfd pfd;
	uint64_t count;
	int fd, ch, idle = 0;

	fd = open(dev, O_RDWR);
	if (fd < 0 || ioctl(fd, VPE_COMPAT_IOC_INFO, &vi) < 0) {
		fprintf(stderr, "rtlxremote: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (vi.size < RINGS_OFF + 2 * RTLX_CHANNELS * RING_SIZE) {
		fprintf(stderr, "rtlxremote: window too small\n");
		return 1;
	}
	mem = mmap(NULL, vi.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "rtlxremote: mmap: %s\n", strerror(errno));
		return 1;
	}
	phys_base = vi.phys_base;
	info = (struct rtlx_info *)(mem + INFO_OFF);
	lay_out(info);
	store((uint32_t *)(mem + SHARED_OFF), kseg0(INFO_OFF));
	ioctl(fd, VPE_COMPAT_IOC_KICK);
	printf("vpe_shared=0x%llx\n", (unsigned long long)(phys_base + SHARED_OFF));
	fflush(stdout);

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		uint32_t moved = 0;

		for (ch = 0; ch < RTLX_CHANNELS; ch++)
			moved += echo_channel(&info->channel[ch], ch);
		if (moved) {
			ioctl(fd, VPE_COMPAT_IOC_KICK);
			idle = 0;
			continue;
		}
		/* spin a little, then sleep on Linux's doorbell (or 10 ms:
		 * Linux also frees reply-ring space without ringing) */
		if (++idle < 1000)
			continue;
		if (poll(&pfd, 1, 10) > 0 && read(fd, &count, sizeof(count)) < 0)
			return 1;
	}
}
