/*
 * Main program of the fixtures.  FW_KIND (and FW_RTLX_LAYOUT) come from the
 * Makefile; everything kind-specific is decided at compile time so each
 * image contains only what it needs (nosym must not even name vpe_shared).
 */
#include "fw.h"

#ifndef FW_KIND
#error "FW_KIND must be defined by the Makefile"
#endif

#if FW_KIND == FW_KIND_NOSYM
#define FW_HAVE_RTLX	0
#define FW_LAYOUT	0
#else
#define FW_HAVE_RTLX	1
#define FW_LAYOUT	FW_RTLX_LAYOUT
#endif

volatile struct fw_report fw_report = {
	.magic = FW_REPORT_MAGIC,
	.version = FW_REPORT_VERSION,
	.kind = FW_KIND,
	.layout = FW_LAYOUT,
	.state = FW_STATE_BOOTING,
	.count_hz = FW_COUNT_HZ,
};

static const char *const fw_kind_names[] = {
	[FW_KIND_ECHO] = "echo",
	[FW_KIND_LARGE] = "large",
	[FW_KIND_NOSYM] = "nosym",
	[FW_KIND_CRASH] = "crash",
	[FW_KIND_BELL] = "bell",
	[FW_KIND_KSPD] = "kspd",
};

void fw_crash_now(uint32_t trigger)
{
	fw_report.crash_trigger = trigger;
	fw_sync();
	fw_fault();
}

#if FW_KIND == FW_KIND_LARGE
/* blob.S: the generated data and the checksum the generator computed */
extern const uint32_t fw_blob[];
extern const uint32_t fw_blob_end[];
extern const uint32_t fw_blob_sum;

static void fw_check_blob(void)
{
	uint32_t bytes = (uint32_t)((uintptr_t)fw_blob_end - (uintptr_t)fw_blob);
	uint32_t t0 = fw_count();
	uint32_t sum = fw_checksum(fw_blob, bytes / 4);

	fw_report.sum_counts = fw_count() - t0;
	fw_report.sum_expected = fw_blob_sum;
	fw_report.sum_actual = sum;
	fw_report.sum_bytes = bytes;
	fw_report.sum_ok = (sum == fw_blob_sum);
}
#endif

static void fw_banner(void)
{
	fw_puts("vpe-compat fixture ");
	fw_puts(fw_kind_names[FW_KIND]);
#ifdef __MIPSEB__
	fw_puts(" eb");
#else
	fw_puts(" el");
#endif
	fw_puts(" layout ");
	fw_putdec(fw_report.layout);
	fw_puts(" rtlx ");
	fw_puthex(fw_report.rtlx);
	fw_puts(" a2 ");
	fw_puthex(fw_report.entry_a2);
	fw_puts(" a3 ");
	fw_puthex(fw_report.entry_a3);
#if FW_KIND == FW_KIND_LARGE
	fw_puts(fw_report.sum_ok ? " checksum ok" : " checksum BAD");
#endif
	fw_puts(" running\r\n");
}

/*
 * Spin while there is traffic (latency ~1 us), sleep in `wait` once the
 * channels have been quiet for 2 ms (the timer wakes us every 1 ms), so an
 * idle fixture does not cost a host core.
 */
static void __attribute__((noreturn)) fw_loop(uint32_t start)
{
	uint32_t last_work = fw_count();

	for (;;) {
		unsigned int moved = 0;
		uint32_t now;

#if FW_HAVE_RTLX
		moved = fw_rtlx_service();
#endif
		now = fw_count();
		fw_report.heartbeat = fw_report.heartbeat + 1;
		fw_report.count = now;

		if (FW_KIND == FW_KIND_CRASH && now - start >= FW_CRASH_COUNTS)
			fw_crash_now(FW_TRIGGER_TIMER);

		if (moved) {
			last_work = now;
		} else if (now - last_work >= FW_IDLE_SPIN_COUNTS) {
			fw_idle_wait(FW_TICK_COUNTS);
			fw_report.sleeps = fw_report.sleeps + 1;
		}
	}
}

int main(void)
{
	uint32_t start = fw_count();

#if FW_KIND == FW_KIND_LARGE
	fw_check_blob();
#endif
#if FW_HAVE_RTLX
	fw_report.rtlx = fw_rtlx_init();
#endif
	fw_sync();
	fw_report.state = FW_STATE_RUNNING;
	fw_sync();
	fw_banner();
#if FW_KIND == FW_KIND_KSPD
	fw_sde_run();
#endif
	fw_loop(start);
}
