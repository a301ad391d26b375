/*
 * Polled output on the Malta ISA 16550 (COM1 at I/O port 0x3f8).  The I/O
 * window at physical 0x18000000 exists once the GT64120 has been set up by
 * YAMON or by QEMU's boot stub.  Waits are bounded: with no UART there,
 * output is lost rather than the firmware hung.
 */
#include "fw.h"

#define UART_BASE	0xb80003f8u	/* KSEG1: uncached */
#define UART_THR	0
#define UART_LSR	5
#define UART_LSR_THRE	0x20
#define UART_SPINS	100000

static void fw_putc(char c)
{
	volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
	unsigned int spins = UART_SPINS;

	while (!(uart[UART_LSR] & UART_LSR_THRE) && --spins)
		;
	uart[UART_THR] = (uint8_t)c;
}

void fw_puts(const char *s)
{
	while (*s)
		fw_putc(*s++);
}

void fw_puthex(uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	int shift;

	fw_puts("0x");
	for (shift = 28; shift >= 0; shift -= 4)
		fw_putc(digits[(v >> shift) & 0xf]);
}

void fw_putdec(uint32_t v)
{
	char buf[11];
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fw_puts(&buf[i]);
}
