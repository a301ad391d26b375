/*
 * The SP side of RTLX: the program owns the shared structure and all ring
 * buffers, publishes them through vpe_shared, and echoes every channel.
 *
 * Rules kept here (docs/legacy-abi.md 7.4, 7.8-7.11):
 *  - this side writes only rt_read and lx_write, from private copies; it
 *    never reads its own indices back from shared memory;
 *  - Linux's indices (rt_write, lx_read) are read once per pass, as
 *    volatile, and ignored when outside the ring, so a bad value can never
 *    turn into an out-of-bounds access;
 *  - one slot stays empty, so equal indices mean "empty";
 *  - `sync` between the index read and the data, and between the data and
 *    the index update.
 */
#include "fw.h"
#include "rtlx.h"

/* The loader records the address of this variable; Linux follows it. */
void *vpe_shared;

static struct rtlx_info fw_rtlx __attribute__((aligned(8)));
static char fw_rt_ring[RTLX_CHANNELS][RTLX_BUFFER_SIZE] __attribute__((aligned(8)));
static char fw_lx_ring[RTLX_CHANNELS][RTLX_BUFFER_SIZE] __attribute__((aligned(8)));

static uint32_t fw_rt_read[RTLX_CHANNELS];	/* our consumer index */
static uint32_t fw_lx_write[RTLX_CHANNELS];	/* our producer index */

#define RING_MASK	(RTLX_BUFFER_SIZE - 1)

/*
 * The bell fixture tells Linux when it published, moved data or freed
 * space: the legacy kernel's blocked opens, reads and writes wake only on
 * this doorbell.  The others ring nothing, so Linux must poll.
 */
static void fw_bell(void)
{
	if (FW_KIND == FW_KIND_BELL) {
		fw_ring_linux();
		fw_report.bells = fw_report.bells + 1;
	}
}

uint32_t fw_rtlx_init(void)
{
	unsigned int i;

	for (i = 0; i < RTLX_CHANNELS; i++) {
		struct rtlx_channel *ch = &fw_rtlx.channel[i];

		ch->rt_state = RTLX_STATE_REMOTE_READY;
		ch->lx_state = RTLX_STATE_UNUSED;
		ch->buffer_size = RTLX_BUFFER_SIZE;
		ch->rt_write = 0;
		ch->rt_read = 0;
		ch->rt_buffer = fw_rt_ring[i];
		ch->lx_write = 0;
		ch->lx_read = 0;
		ch->lx_buffer = fw_lx_ring[i];
		fw_rt_read[i] = 0;
		fw_lx_write[i] = 0;
	}
#if FW_RTLX_LAYOUT == 300
	fw_rtlx.ap_int_pending = 0;
#endif
	fw_rtlx.state = RTLX_STATE_REMOTE_READY;
	fw_rtlx.id = RTLX_ID;

	/* the whole structure must be visible before the pointer to it */
	fw_sync();
	WRITE_ONCE(vpe_shared, (void *)&fw_rtlx);
	fw_sync();
	fw_bell();		/* a blocked open waits for this */
	return (uint32_t)(uintptr_t)&fw_rtlx;
}

/* channel 0 is the "console": it answers with the letters' case inverted */
static char fw_transform(unsigned int chan, char c)
{
	if (chan == 0 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return c ^ 0x20;
	return c;
}

/* publish what has been consumed and produced so far */
static void fw_commit(unsigned int chan, uint32_t rd, uint32_t wr, uint32_t n)
{
	struct rtlx_channel *ch = &fw_rtlx.channel[chan];

	fw_sync();		/* data reads and writes before the indices */
	WRITE_ONCE(ch->rt_read, (int)rd);
	WRITE_ONCE(ch->lx_write, (int)wr);
	fw_sync();
	fw_rt_read[chan] = rd;
	fw_lx_write[chan] = wr;
	fw_report.echoed += n;
	fw_bell();
}

/* move as much as fits from channel `chan`'s Linux->SP ring to its SP->Linux ring */
static uint32_t fw_pump(unsigned int chan)
{
	struct rtlx_channel *ch = &fw_rtlx.channel[chan];
	const char *in = fw_rt_ring[chan];
	char *out = fw_lx_ring[chan];
	uint32_t in_w = (uint32_t)READ_ONCE(ch->rt_write);
	uint32_t out_r = (uint32_t)READ_ONCE(ch->lx_read);
	uint32_t rd = fw_rt_read[chan];
	uint32_t wr = fw_lx_write[chan];
	uint32_t avail, space, n, k;

	if (in_w >= RTLX_BUFFER_SIZE || out_r >= RTLX_BUFFER_SIZE) {
		fw_report.bad_index++;
		return 0;
	}
	avail = (in_w - rd) & RING_MASK;
	space = (out_r - wr - 1) & RING_MASK;
	n = avail < space ? avail : space;
	if (n == 0)
		return 0;

	fw_sync();		/* Linux's index before the data it covers */
	for (k = 0; k < n; k++) {
		char c = in[rd];

		rd = (rd + 1) & RING_MASK;
		if (FW_KIND == FW_KIND_CRASH && chan == 7 && c == '!') {
			fw_commit(chan, rd, wr, k);
			fw_crash_now(FW_TRIGGER_BANG);
		}
		out[wr] = fw_transform(chan, c);
		wr = (wr + 1) & RING_MASK;
	}
	fw_commit(chan, rd, wr, n);
	return n;
}

/* one pass over all channels; returns the number of bytes moved */
unsigned int fw_rtlx_service(void)
{
	unsigned int chan, moved = 0;

	for (chan = 0; chan < RTLX_CHANNELS; chan++)
		if (FW_KIND != FW_KIND_KSPD || chan != 2)
			moved += fw_pump(chan);
	return moved;
}

#if FW_KIND == FW_KIND_KSPD
/* Up to @n bytes into channel @chan's SP->Linux ring: what fits. */
uint32_t fw_chan_send(unsigned int chan, const void *buf, uint32_t n)
{
	struct rtlx_channel *ch = &fw_rtlx.channel[chan];
	uint32_t out_r = (uint32_t)READ_ONCE(ch->lx_read);
	uint32_t wr = fw_lx_write[chan], space, k;
	const char *p = buf;

	if (out_r >= RTLX_BUFFER_SIZE)
		return 0;
	space = (out_r - wr - 1) & RING_MASK;
	n = n < space ? n : space;
	fw_sync();
	for (k = 0; k < n; k++) {
		fw_lx_ring[chan][wr] = p[k];
		wr = (wr + 1) & RING_MASK;
	}
	fw_commit(chan, fw_rt_read[chan], wr, 0);
	return n;
}

/* Up to @n bytes Linux wrote to channel @chan: what is there. */
uint32_t fw_chan_recv(unsigned int chan, void *buf, uint32_t n)
{
	struct rtlx_channel *ch = &fw_rtlx.channel[chan];
	uint32_t in_w = (uint32_t)READ_ONCE(ch->rt_write);
	uint32_t rd = fw_rt_read[chan], avail, k;
	char *p = buf;

	if (in_w >= RTLX_BUFFER_SIZE)
		return 0;
	avail = (in_w - rd) & RING_MASK;
	n = n < avail ? n : avail;
	fw_sync();
	for (k = 0; k < n; k++) {
		p[k] = fw_rt_ring[chan][rd];
		rd = (rd + 1) & RING_MASK;
	}
	fw_commit(chan, rd, fw_lx_write[chan], 0);
	return n;
}
#endif
