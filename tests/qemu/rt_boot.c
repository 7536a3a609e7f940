/* SPDX-License-Identifier: MIT */
/*
 * libhyp-rt's boot stub (rt/boot.S) on QEMU: the state it hands to
 * hyp_rt_main() (EL2, interrupts masked, SP in CPU 0's stack, TPIDR_EL2 =
 * 0, VBAR_EL2 = hyp_rt_vectors) and its vector table: an HVC at EL2 reaches
 * hyp_rt_fault() with the entry index, ESR_EL2 and ELR_EL2 of the HVC.
 * This image has its own hyp_rt_main() and hyp_rt_fault() (testlib's
 * testmain.c is not linked in).
 */
#include <stdint.h>

#include <libhyp/hw.h>
#include <libhyp-rt/rt.h>

#include "testlib.h"

extern char __hyp_rt_stack_top[];

static uint64_t hvc_next; /* the address after the HVC: ELR_EL2 */


void test_main(void)
{
	/* unused: hyp_rt_main() below is the entry */
}

void hyp_rt_main(uintptr_t dtb)
{
	uint64_t daif, el, local = 0;

	test_read_token();
	test_puts("libhyp-rt boot stub test\n");
	test_print_reg("x0 at entry", dtb);
	__asm__ volatile("mrs %0, daif" : "=r"(daif));
	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	test_check("CurrentEL", el, 0x8);		/* EL2 in [3:2] (Arm ARM, CurrentEL) */
	test_check("DAIF: all masked", daif, 0x3c0); /* D, A, I, F at [9:6] (Arm ARM, DAIF) */
	test_check("TPIDR_EL2", hyp_read_sysreg(HYP_SYS_TPIDR_EL2), 0);
	test_check("VBAR_EL2", hyp_read_sysreg(HYP_SYS_VBAR_EL2), (uintptr_t)hyp_rt_vectors);
	test_check("vectors 2 KiB aligned", (uintptr_t)hyp_rt_vectors & 0x7ff, 0);
	test_check("SP in CPU 0's stack",
	      (uintptr_t)&local < (uintptr_t)__hyp_rt_stack_top &&
		  (uintptr_t)&local >= (uintptr_t)__hyp_rt_stack_top - 0x10000,
	      1);
	/* HVC at EL2 (HCR_EL2.HCD = 0) is taken to EL2: the stub's vectors
	 * call hyp_rt_fault(), which does not return. */
	hyp_write_sysreg(HYP_SYS_HCR_EL2, hyp_read_sysreg(HYP_SYS_HCR_EL2) & ~(1ull << 29));
	hyp_isb();
	__asm__ volatile("adr x9, 1f\n\tstr x9, %0\n\thvc #0x77\n1:"
			 : "=m"(hvc_next)
			 :
			 : "x9", "memory");
	test_puts("FAIL: hvc returned\n");
	test_power_off();
}

void hyp_rt_fault(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)far; /* UNKNOWN for an HVC */
	/* Entry 4: synchronous, current EL with SP_ELx (Arm ARM D1.10);
	 * ESR_EL2: EC 0x16 (HVC64) at [31:26], IL [25] = 1, ISS imm16 0x77
	 * (Arm ARM D24.2.46). */
	test_check("vector", vector, 4);
	test_check("ESR_EL2", esr, 0x5a000077);
	test_check("ELR_EL2: after the HVC", elr, hvc_next);
	if (!test_failures)
		test_puts("rt boot ok\n");
	test_power_off();
}
