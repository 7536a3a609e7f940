/* SPDX-License-Identifier: MIT */
/* The semantics of a memcpy/memmove/memset/memcmp set against reference
 * byte loops: every size 0..64 at every alignment 0..15 of destination and
 * source, guard bytes around, memmove on every overlap in one buffer. Run
 * on the host (test_mem.c) and at EL2 on QEMU (tests/qemu/rt_mem.c). */
#ifndef LIBHYP_RT_TESTS_MEM_CHECK_H
#define LIBHYP_RT_TESTS_MEM_CHECK_H

#include <stddef.h>

struct rt_mem_fns {
	void *(*cpy)(void *, const void *, size_t);
	void *(*move)(void *, const void *, size_t);
	void *(*set)(void *, int, size_t);
	int (*cmp)(const void *, const void *, size_t);
};

/* Called once per failing case: the function, size, offsets. */
typedef void (*rt_mem_report)(const char *fn, size_t n, size_t doff, size_t soff);

/* The number of failing cases (0: all good). */
unsigned rt_mem_check(const struct rt_mem_fns *f, rt_mem_report report);

#endif
