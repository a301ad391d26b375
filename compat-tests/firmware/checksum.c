/*
 * Word-wise position-dependent checksum of the large fixtures' data (a
 * Fletcher-like pair of 32-bit sums).  gendata.c computes the same function
 * at build time; keep the two identical.  Unrolled because it runs once over
 * up to 16 MiB under QEMU TCG at every boot.
 */
#include "fw.h"

uint32_t fw_checksum(const uint32_t *p, uint32_t nwords)
{
	uint32_t a = 1, b = 0;

	for (; nwords >= 8; nwords -= 8, p += 8) {
		a += p[0]; b += a;
		a += p[1]; b += a;
		a += p[2]; b += a;
		a += p[3]; b += a;
		a += p[4]; b += a;
		a += p[5]; b += a;
		a += p[6]; b += a;
		a += p[7]; b += a;
	}
	for (; nwords; nwords--, p++) {
		a += *p;
		b += a;
	}
	return a ^ ((b << 16) | (b >> 16));
}
