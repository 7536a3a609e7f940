/* SPDX-License-Identifier: MIT */
/*
 * The EL2 mode in one place: the one EL12-alias helper of sysreg.h
 * (HYP_SYSREG_USE_E12, hyp_sysreg_guest_read/_write) on the simulated CPU,
 * with exact hardware-access counts.
 *
 * Encodings as literals (Arm ARM DDI 0487, "Accessing SCTLR_EL1" in
 * D24.2.175: SCTLR_EL1 is op0 3, op1 0, CRn 1, CRm 0, op2 0; SCTLR_EL12 is
 * op1 5; TPIDR_EL2 D24.2: 3 4 13 0 2, no EL12 alias), packed
 * op0[15:14] op1[13:11] CRn[10:7] CRm[6:3] op2[2:0].
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>

#include <libhyp/hw.h>
#include <libhyp/sysreg.h>

#define ENC_SCTLR_EL1 0xc080u  /* 3 0 1 0 0 */
#define ENC_SCTLR_EL12 0xe880u /* 3 5 1 0 0 */
#define ENC_TPIDR_EL2 0xe682u  /* 3 4 13 0 2 */

static struct hyp_sim_cpu sim;

static void sim_boot(void)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_SCTLR_EL1, 0x1111), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_SCTLR_EL12, 0x2222), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_TPIDR_EL2, 0x3333), 0);
	hyp_sim_reset_counts(&sim);
}

TestSuite(el2mode, .init = sim_boot);

Test(el2mode, guest_read_takes_the_el12_alias_only_with_e2h)
{
	volatile bool e2h = true; /* a run-time value: both arms compiled */

	cr_expect_eq(hyp_sysreg_guest_read(e2h, SCTLR_EL1), 0x2222);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_SCTLR_EL12), 1);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_SCTLR_EL1), 0);
	e2h = false;
	cr_expect_eq(hyp_sysreg_guest_read(e2h, SCTLR_EL1), 0x1111);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_SCTLR_EL1), 1);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_SCTLR_EL12), 1);
}

Test(el2mode, guest_write_takes_the_el12_alias_only_with_e2h)
{
	volatile bool e2h = true;
	uint64_t v = 0;
	unsigned n = 0;

	/* The value expression is evaluated exactly once. */
	hyp_sysreg_guest_write(e2h, SCTLR_EL1, (n++, 0x4444u));
	cr_expect_eq(n, 1);
	cr_expect_eq(hyp_sim_reg_writes(&sim, ENC_SCTLR_EL12), 1);
	cr_expect_eq(hyp_sim_reg_writes(&sim, ENC_SCTLR_EL1), 0);
	cr_expect_eq(hyp_sim_reg_peek(&sim, ENC_SCTLR_EL12, &v), 0);
	cr_expect_eq(v, 0x4444);
	e2h = false;
	hyp_sysreg_guest_write(e2h, SCTLR_EL1, (n++, 0x5555u));
	cr_expect_eq(n, 2);
	cr_expect_eq(hyp_sim_reg_writes(&sim, ENC_SCTLR_EL1), 1);
	cr_expect_eq(hyp_sim_reg_peek(&sim, ENC_SCTLR_EL1, &v), 0);
	cr_expect_eq(v, 0x5555);
}

Test(el2mode, a_register_without_an_alias_keeps_its_encoding)
{
	cr_expect_eq(hyp_sysreg_guest_read(true, TPIDR_EL2), 0x3333);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_TPIDR_EL2), 1);
	cr_expect_eq(HYP_SYSREG_GUEST_ENC(true, TPIDR_EL2), ENC_TPIDR_EL2);
	cr_expect_eq(HYP_SYSREG_GUEST_ENC(true, SCTLR_EL1), ENC_SCTLR_EL12);
	cr_expect_eq(HYP_SYSREG_GUEST_ENC(false, SCTLR_EL1), ENC_SCTLR_EL1);
	cr_expect(!HYP_SYSREG_USE_E12(true, TPIDR_EL2));
	cr_expect(HYP_SYSREG_USE_E12(true, SCTLR_EL1));
	cr_expect(!HYP_SYSREG_USE_E12(false, SCTLR_EL1));
}
