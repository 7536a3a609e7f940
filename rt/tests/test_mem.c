/* SPDX-License-Identifier: MIT */
/* libhyp-rt's mem* on the host: the full sweep of mem_check.c, and a few
 * cases written out. */
#include <criterion/criterion.h>
#include <stdio.h>

#include <libhyp-rt/rt.h>

#include "mem_check.h"

static void report(const char *fn, size_t n, size_t d, size_t s)
{
	cr_log_error("%s: n %zu, destination offset %zu, source offset %zu", fn, n, d, s);
}

Test(rt_mem, sweep_against_reference_loops)
{
	const struct rt_mem_fns f = {hyp_rt_memcpy, hyp_rt_memmove, hyp_rt_memset, hyp_rt_memcmp};

	cr_assert_eq(rt_mem_check(&f, report), 0);
}

Test(rt_mem, overlap_written_out)
{
	char b[] = "0123456789abcdef";

	/* forwards overlap: destination above the source */
	cr_assert_eq(hyp_rt_memmove(b + 2, b, 10), b + 2);
	cr_assert_str_eq(b, "010123456789cdef");
	/* backwards overlap: destination below the source */
	cr_assert_eq(hyp_rt_memmove(b, b + 3, 13), b);
	cr_assert_str_eq(b, "123456789cdefdef");
	/* 8-byte aligned, long, overlapping by one word */
	uint64_t w[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	hyp_rt_memmove(&w[1], &w[0], 7 * sizeof(uint64_t));
	for (int i = 1; i < 8; i++)
		cr_assert_eq(w[i], (uint64_t)i);
}

Test(rt_mem, memcmp_unsigned_and_set_truncates)
{
	unsigned char a[4] = {0x00, 0x80, 0x00, 0x00}, b[4] = {0x00, 0x7f, 0xff, 0xff};

	cr_assert_gt(hyp_rt_memcmp(a, b, 4), 0);
	cr_assert_lt(hyp_rt_memcmp(b, a, 4), 0);
	cr_assert_eq(hyp_rt_memcmp(a, b, 1), 0);
	cr_assert_eq(hyp_rt_memcmp(a, b, 0), 0);
	hyp_rt_memset(a, 0x1ff, 3);
	cr_assert_eq(a[0], 0xff);
	cr_assert_eq(a[2], 0xff);
	cr_assert_eq(a[3], 0x00);
}
