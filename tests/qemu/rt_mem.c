/* SPDX-License-Identifier: MIT */
/* libhyp-rt's mem* at EL2 (MMU off, strict alignment): the sweep of
 * rt/tests/mem_check.c through the C names the compiler calls, which must
 * be libhyp-rt's (weak aliases), and through the hyp_rt_ names. */
#include <stddef.h>
#include <stdint.h>

#include <libhyp-rt/rt.h>

#include "mem_check.h"
#include "testlib.h"

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

static void report(const char *fn, size_t n, size_t d, size_t s)
{
	test_puts("FAIL: ");
	test_puts(fn);
	test_print_reg(" n", n);
	test_print_reg("  destination offset", d);
	test_print_reg("  source offset", s);
}

void test_main(void)
{
	const struct rt_mem_fns c = {memcpy, memmove, memset, memcmp};
	const struct rt_mem_fns rt = {hyp_rt_memcpy, hyp_rt_memmove, hyp_rt_memset, hyp_rt_memcmp};
	unsigned bad;

	/* The addresses through volatile: C lets the compiler assume two
	 * distinct functions have distinct addresses, which an alias is not. */
	volatile uintptr_t a[8] = {(uintptr_t)memcpy,  (uintptr_t)hyp_rt_memcpy,
				   (uintptr_t)memmove, (uintptr_t)hyp_rt_memmove,
				   (uintptr_t)memset,  (uintptr_t)hyp_rt_memset,
				   (uintptr_t)memcmp,  (uintptr_t)hyp_rt_memcmp};

	for (unsigned i = 0; i < 8; i += 2)
		if (a[i] != a[i + 1])
			test_puts("FAIL: the image's mem* are not libhyp-rt's\n");
	bad = rt_mem_check(&c, report) + rt_mem_check(&rt, report);
	test_print_reg("failing cases", bad);
	if (!bad)
		test_puts("rt mem ok\n");
}
