/*
 * The kspd fixture: firmware built as with the MIPS SDE kit, whose C
 * library asks Linux for its system calls over RTLX channel 2 (KSPD,
 * docs/legacy-abi.md §8). Its own tiny stubs: an 8-byte header (cmd, abi,
 * size) and the arguments, native order, then it waits for the 8-byte
 * reply. Meanwhile the other channels are echoed as usual.
 *
 * The script: create a file beside the loader's working directory, write,
 * close, read it back, seek, read again, close; a path that climbs out of
 * KSPD's directory finds nothing; the time; a raw o32 call that is not
 * served; then exit(42). Each step's outcome goes into fw_report
 * (kspd_step: the last that went as planned, kspd_fail: the first that
 * did not, with what it returned in kspd_got).
 */
#include "fw.h"

#define SDE_EXIT	0
#define SDE_OPEN	1
#define SDE_READ	2
#define SDE_WRITE	3
#define SDE_CLOSE	4
#define SDE_LSEEK32	5
#define SDE_GETTOD	9
#define O32_GETPID	4020

#define SDE_O_RDONLY	0x0000
#define SDE_O_WRONLY	0x0001
#define SDE_O_CREAT	0x0200
#define SDE_O_TRUNC	0x0400

#define KSPD_CHAN	2

static const char fw_msg[] = "hello from the SP\n";	/* 18 bytes */
static char fw_buf[64];

static void fw_send_all(const void *p, uint32_t n)
{
	const char *c = p;

	while (n) {
		uint32_t k = fw_chan_send(KSPD_CHAN, c, n);

		c += k;
		n -= k;
		if (!k)
			fw_rtlx_service();
	}
}

/* One system call with up to three arguments; its retval. */
static int32_t fw_sde(int32_t cmd, uint32_t nargs, uint32_t a0, uint32_t a1,
		      uint32_t a2)
{
	uint32_t req[5] = { (uint32_t)cmd, 0, a0, a1, a2 };
	int32_t reply[2];
	uint32_t got = 0;

	/* abi 0 and size in the second word's first two bytes, as a struct */
	((uint8_t *)&req[1])[1] = (uint8_t)(4 * nargs);
	fw_send_all(req, 8 + 4 * nargs);
	while (got < sizeof(reply)) {
		uint32_t k = fw_chan_recv(KSPD_CHAN, (char *)reply + got,
					  sizeof(reply) - got);

		got += k;
		if (!k && !fw_rtlx_service())
			fw_idle_wait(FW_TICK_COUNTS);
	}
	return reply[0];
}

/* Record step @step: as planned if @ok, else stop recording. */
static int fw_step(uint32_t step, int ok, int32_t got)
{
	if (fw_report.kspd_fail)
		return 0;
	if (!ok) {
		fw_report.kspd_fail = step;
		fw_report.kspd_got = (uint32_t)got;
		return 0;
	}
	fw_report.kspd_step = step;
	return 1;
}

static int fw_same(const char *a, const char *b, uint32_t n)
{
	while (n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

void fw_sde_run(void)
{
	uint32_t name = (uint32_t)(uintptr_t)"kspd-out.txt";
	uint32_t msg = (uint32_t)(uintptr_t)fw_msg;
	uint32_t buf = (uint32_t)(uintptr_t)fw_buf;
	int32_t fd, r;

	fd = fw_sde(SDE_OPEN, 3, name, SDE_O_WRONLY | SDE_O_CREAT | SDE_O_TRUNC, 0644);
	fw_step(1, fd >= 0, fd);
	r = fw_sde(SDE_WRITE, 3, (uint32_t)fd, msg, 18);
	fw_step(2, r == 18, r);
	r = fw_sde(SDE_CLOSE, 1, (uint32_t)fd, 0, 0);
	fw_step(3, r == 0, r);
	fd = fw_sde(SDE_OPEN, 3, name, SDE_O_RDONLY, 0);
	fw_step(4, fd >= 0, fd);
	r = fw_sde(SDE_READ, 3, (uint32_t)fd, buf, sizeof(fw_buf));
	fw_step(5, r == 18 && fw_same(fw_buf, fw_msg, 18), r);
	r = fw_sde(SDE_LSEEK32, 3, (uint32_t)fd, 6, 0);
	fw_step(6, r == 6, r);
	r = fw_sde(SDE_READ, 3, (uint32_t)fd, buf, 4);
	fw_step(7, r == 4 && fw_same(fw_buf, "from", 4), r);
	r = fw_sde(SDE_CLOSE, 1, (uint32_t)fd, 0, 0);
	fw_step(8, r == 0, r);
	r = fw_sde(SDE_OPEN, 3, (uint32_t)(uintptr_t)"../../../../etc/passwd",
		   SDE_O_RDONLY, 0);
	fw_step(9, r == -2, r);				/* ENOENT: confined */
	r = fw_sde(SDE_GETTOD, 0, 0, 0, 0);
	fw_report.kspd_time = (uint32_t)r;
	fw_step(10, r > 1600000000, r);
	r = fw_sde(O32_GETPID, 0, 0, 0, 0);
	fw_step(11, r == -89, r);			/* ENOSYS: not served */
	fw_sync();
	fw_sde(SDE_EXIT, 1, 42, 0, 0);
}
