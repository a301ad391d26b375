/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * minifw: a tiny SP program written the legacy way (entry __start, a
 * vpe_shared pointer, no resource table), for the converter's tests until
 * the real fixtures of compat-tests/firmware exist. It only needs to
 * exercise the relocations a compiler emits: %hi/%lo pairs (several HI16
 * sharing one LO16 at -O2), jal, pointers in data, branches between
 * sections (minifw-vectors.S).
 */
struct info {
	unsigned int id;
	unsigned int count;
	void *self;
	char buf[64];
};

void *vpe_shared;
volatile unsigned int fw_report_count;
static struct info info = { 0x12345602, 0, &info, "minifw" };
static const char banner[] = "minifw: legacy SP program";
static unsigned int scratch[16];

void fw_report(unsigned int v)
{
	fw_report_count += v;
	scratch[v & 15] = v;
}

static void *const table[] = { &info, fw_report, (void *)banner, scratch };

void __start(void)
{
	unsigned int i;

	vpe_shared = &info;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		fw_report((unsigned int)table[i]);
	info.count = fw_report_count + banner[3];
	for (;;)
		;
}
