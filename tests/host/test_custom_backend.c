/* SPDX-License-Identifier: MIT */
/*
 * A user-supplied seam backend (LIBHYP_BACKEND_HEADER): libhyp's cpufeat and
 * register-table sources are compiled here with custom_backend.h instead of
 * either built-in backend, without editing them, and probing a CPU goes
 * through that header only.
 */
#include <criterion/criterion.h>

#include <libhyp/cpufeat.h>
#include <libhyp/hw.h>

#ifndef CUSTOM_BACKEND_H
#error "LIBHYP_BACKEND_HEADER did not select custom_backend.h"
#endif

struct custom_hw custom_hw;

/* ID_AA64MMFR0_EL1: op0 = 3, op1 = 0, CRn = 0, CRm = 7, op2 = 0, packed as
 * op0[15:14] op1[13:11] CRn[10:7] CRm[6:3] op2[2:0]; PARange is bits [3:0],
 * 0b0101 = 48 bits (Arm ARM D24.2.88). */
#define ENC_ID_AA64MMFR0_EL1 0xc038u
/* ID_AA64PFR0_EL1: op0 = 3, op1 = 0, CRn = 0, CRm = 4, op2 = 0 (D24.2.93). */
#define ENC_ID_AA64PFR0_EL1 0xc020u

Test(custom_backend, cpufeat_probes_through_the_user_header)
{
	static struct hyp_cpufeat_cpu cpus[1];
	unsigned nr_mm = 0;
	bool saw_mmfr0 = false, saw_pfr0 = false;

	custom_hw.reg[ENC_ID_AA64MMFR0_EL1] = 0x5;
	cr_assert_eq(hyp_cpufeat_init(cpus, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, &nr_mm), 0);

	/* The value came from the custom backend's register file. */
	cr_assert_eq(hyp_cpu_pa_bits(), 48);
	/* Probing only reads, and reads each register once. */
	cr_assert_gt(custom_hw.reads, 20);
	cr_assert_eq(custom_hw.writes, 0);
	cr_assert_eq(custom_hw.barriers + custom_hw.tlbis + custom_hw.cmos + custom_hw.mmio +
			     custom_hw.pte_ops + custom_hw.other,
		     0);
	for (unsigned i = 0; i < custom_hw.reads && i < 64; i++) {
		saw_mmfr0 |= custom_hw.read_log[i] == ENC_ID_AA64MMFR0_EL1;
		saw_pfr0 |= custom_hw.read_log[i] == ENC_ID_AA64PFR0_EL1;
	}
	cr_assert(saw_mmfr0 && saw_pfr0);
	/* Every encoding was a compile-time constant at its call site. */
	cr_assert_eq(custom_hw.nonconst, 0);

	/* After finalize, answers come from the cache: no more reads. */
	unsigned reads = custom_hw.reads;
	(void)hyp_cpu_has(HYP_CAP_S2_4K);
	(void)hyp_cpu_idreg(HYP_REG_ID_AA64MMFR0_EL1);
	cr_assert_eq(custom_hw.reads, reads);
	hyp_cpufeat_reset();
}
