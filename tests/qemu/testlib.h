/* SPDX-License-Identifier: MIT */
/* What the QEMU test images share: console output on QEMU virt's PL011
 * (through the seam's MMIO accessors) and power-off through PSCI. */
#ifndef LIBHYP_TESTS_QEMU_TESTLIB_H
#define LIBHYP_TESTS_QEMU_TESTLIB_H

#include <stdint.h>

void test_puts(const char *s);
void test_put_hex(uint64_t v);
/* "name=0x...\n" */
void test_print_reg(const char *name, uint64_t v);
/* Failed checks so far (test_check()). */
extern unsigned test_failures;
/* Count and report "FAIL: what: got=... want=..." unless @got == @want. */
void test_check(const char *what, uint64_t got, uint64_t want);
/* Print "libhyp-test: exit TOKEN STATUS TOKEN" (STATUS 1 once anything
 * printed FAIL or UNEXPECTED, else 0), then PSCI SYSTEM_OFF. */
void test_power_off(void) __attribute__((noreturn));
/* Read the run's token (libhyp.token= in QEMU's DTB); start.S calls it. */
void test_read_token(void);
void test_main(void);

#endif
