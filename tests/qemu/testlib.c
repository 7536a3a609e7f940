/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
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

/*
 * The exit status: 1 once the image printed "FAIL" or "UNEXPECTED" (a
 * check's own report, test_exception()), else 0. test_power_off() prints
 * it as "libhyp-test: exit TOKEN STATUS TOKEN" with the token run-qemu.py
 * put on the command line (libhyp.token=HEX in QEMU's DTB, read at entry
 * by test_read_token()): a guest the image runs shares the console and
 * cannot forge it. No semihosting: QEMU never gets that option.
 */
static unsigned int test_status;
static char test_token[65];

static bool contains(const char *s, const char *w)
{
	for (; *s; s++) {
		const char *a = s, *b = w;

		while (*b && *a == *b)
			a++, b++;
		if (!*b)
			return true;
	}
	return false;
}

void test_puts(const char *s)
{
	if (contains(s, "FAIL") || contains(s, "UNEXPECTED"))
		test_status = 1;
	while (*s)
		putc_(*s++);
}

/* QEMU's DTB (at the start of RAM for an ELF -kernel) carries -append in
 * chosen/bootargs: find "libhyp.token=HEX" in it, without a DT parser. */
#define QEMU_DTB 0x40000000ul
void test_read_token(void)
{
	static const char key[] = "libhyp.token=";
	const volatile uint8_t *p = (const volatile uint8_t *)QEMU_DTB;
	uint32_t size;

	/* FDT header: magic 0xd00dfeed, totalsize; big-endian */
	if (p[0] != 0xd0 || p[1] != 0x0d || p[2] != 0xfe || p[3] != 0xed)
		return;
	size = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	if (size > 0x100000)
		size = 0x100000;
	for (uint32_t i = 0; i + sizeof(key) - 1 < size; i++) {
		unsigned int k = 0, m = 0;

		while (k < sizeof(key) - 1 && p[i + k] == (uint8_t)key[k])
			k++;
		if (k < sizeof(key) - 1)
			continue;
		for (i += k; m < 64 && i < size; i++, m++) {
			char c = (char)p[i];

			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				break;
			test_token[m] = c;
		}
		test_token[m] = 0;
		return;
	}
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
	const char *t = test_token[0] ? test_token : "-";

	test_puts("libhyp-test: exit ");
	test_puts(t);
	test_puts(test_status ? " 1 " : " 0 ");
	test_puts(t);
	test_puts("\n");
	/* x0 set after the calls above, which clobber it */
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

unsigned test_failures;

void test_check(const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		return;
	test_failures++;
	test_puts("FAIL: ");
	test_puts(what);
	test_print_reg(": got", got);
	test_print_reg("  want", want);
}
