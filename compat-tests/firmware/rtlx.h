/*
 * RTLX shared structures as the legacy kernel expects them
 * (docs/legacy-abi.md section 7.3).  32-bit MIPS, native byte order.
 *
 * FW_RTLX_LAYOUT selects the structure layout at compile time:
 *   296  E1/E2/E4 kernels: channels at 8 + 36 * i
 *   300  E3 kernels (3.15 .. 6.3): ap_int_pending at 8, channels at 12 + 36 * i
 */
#ifndef FW_RTLX_H
#define FW_RTLX_H

#include <stdint.h>

#define RTLX_CHANNELS		8
#define RTLX_ID			0x12345602
#define RTLX_BUFFER_SIZE	2048	/* a power of two: index arithmetic masks */

enum rtlx_state {
	RTLX_STATE_UNUSED = 0,
	RTLX_STATE_INITIALISED = 1,
	RTLX_STATE_REMOTE_READY = 2,
	RTLX_STATE_OPENED = 3,
};

/*
 * Ownership: the SP (this program) writes rt_state, buffer_size, rt_read,
 * lx_write and the buffer pointers; Linux writes lx_state, rt_write and
 * lx_read.  rt_buffer carries Linux->SP data, lx_buffer SP->Linux data.
 */
struct rtlx_channel {
	int rt_state;
	int lx_state;
	int buffer_size;
	int rt_write;
	int rt_read;
	char *rt_buffer;
	int lx_write;
	int lx_read;
	char *lx_buffer;
};

struct rtlx_info {
	unsigned long id;
	int state;
#if FW_RTLX_LAYOUT == 300
	int ap_int_pending;
#elif FW_RTLX_LAYOUT != 296
#error "FW_RTLX_LAYOUT must be 296 or 300"
#endif
	struct rtlx_channel channel[RTLX_CHANNELS];
};

_Static_assert(sizeof(struct rtlx_channel) == 36, "rtlx_channel is 36 bytes");
_Static_assert(__builtin_offsetof(struct rtlx_channel, rt_write) == 12, "rt_write");
_Static_assert(__builtin_offsetof(struct rtlx_channel, lx_buffer) == 32, "lx_buffer");
_Static_assert(sizeof(struct rtlx_info) == FW_RTLX_LAYOUT, "rtlx_info layout");
_Static_assert(__builtin_offsetof(struct rtlx_info, channel) == FW_RTLX_LAYOUT - 288,
	       "channel[0] offset");

#endif /* FW_RTLX_H */
