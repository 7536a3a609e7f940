/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include <libhyp/hw.h>

#include "testlib.h"

#define PL011_BASE 0x09000000ul
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)

static void putc_(char c)
{
	while (hyp_mmio_read32(PL011_BASE + PL011_FR) & PL011_FR_TXFF)
		;
	hyp_mmio_write32(PL011_BASE + PL011_DR, (uint8_t)c);
}

void test_puts(const char *s)
{
	while (*s)
		putc_(*s++);
}

void test_put_hex(uint64_t v)
{
	char buf[19] = "0x";
	int n = 0;

	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned d = (v >> shift) & 0xf;
		if (d || n || shift == 0)
			buf[2 + n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
	}
	buf[2 + n] = 0;
	test_puts(buf);
}

void test_print_reg(const char *name, uint64_t v)
{
	test_puts(name);
	test_puts("=");
	test_put_hex(v);
	test_puts("\n");
}

/* PSCI SYSTEM_OFF (PSCI 1.1, DEN0022, 5.1.9) through SMC: with
 * virtualization=on QEMU's PSCI conduit is SMC. */
void test_power_off(void)
{
	register uint64_t x0 __asm__("x0") = 0x84000008;
	__asm__ volatile("smc #0" : "+r"(x0) : : "memory");
	for (;;)
		__asm__ volatile("wfi");
}

void test_exception(uint64_t idx);
void test_exception(uint64_t idx)
{
	test_print_reg("UNEXPECTED EXCEPTION, vector", idx);
	test_print_reg("ESR_EL2", hyp_read_sysreg(HYP_SYS_ESR_EL2));
	test_print_reg("ELR_EL2", hyp_read_sysreg(HYP_SYS_ELR_EL2));
	test_print_reg("FAR_EL2", hyp_read_sysreg(HYP_SYS_FAR_EL2));
	test_power_off();
}

/* The compiler may emit calls to these four; every freestanding C
 * environment provides them, and so does each test image. */
/* volatile: keeps the compiler from turning the loops back into calls. */
void *memcpy(void *d, const void *s, size_t n)
{
	volatile unsigned char *dp = d;
	const unsigned char *sp = s;
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	volatile unsigned char *dp = d;
	const unsigned char *sp = s;
	if ((const unsigned char *)dp < sp) {
		while (n--)
			*dp++ = *sp++;
	} else {
		while (n--)
			dp[n] = sp[n];
	}
	return d;
}

void *memset(void *d, int c, size_t n)
{
	volatile unsigned char *dp = d;
	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *ap = a, *bp = b;
	for (; n; n--, ap++, bp++) {
		if (*ap != *bp)
			return *ap - *bp;
	}
	return 0;
}
