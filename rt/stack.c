/* SPDX-License-Identifier: MIT */
/*
 * The stack protector's two C names, for code built with -fstack-protector
 * that an image links (a libfdt.a built for Linux is): the canary and the
 * function called on a smashed stack. Both weak: an image that reports
 * (minihyp prints a message) defines its own __stack_chk_fail. aarch64 only.
 */
#include <libhyp-rt/rt.h>

/* A fixed canary: nothing random is available this early, and the point
 * is to catch overruns, not attackers. */
__attribute__((weak)) uintptr_t __stack_chk_guard = (uintptr_t)0x2f8a5c73e41d96b0ull;

void __stack_chk_fail(void);

/* PSCI SYSTEM_OFF (DEN0022 5.1.9, function 0x84000008) through SMC; not
 * hyp_rt_system_off(), which would pull the boot stub into an image that
 * has its own. */
__attribute__((weak, noreturn)) void __stack_chk_fail(void)
{
	hyp_rt_smc(0x84000008u, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
