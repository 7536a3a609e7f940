/* SPDX-License-Identifier: MIT */
/* The entry of the QEMU test images, in its own object so that an image
 * with its own hyp_rt_main()/hyp_rt_fault() (rt_boot.c) links testlib
 * without it. */
#include <libhyp-rt/rt.h>

#include "testlib.h"

void test_exception(uint64_t idx);

/* Entered from libhyp-rt's boot stub (rt/boot.S): stack set, BSS
 * cleared, its vector table reporting any exception through
 * hyp_rt_fault(). memcpy, memmove, memset and memcmp come from libhyp-rt
 * too. */
void hyp_rt_main(uintptr_t dtb)
{
	(void)dtb;
	test_read_token();
	test_main();
	test_power_off();
}

void hyp_rt_fault(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)esr, (void)elr, (void)far; /* test_exception() reads them */
	test_exception(vector);
}
