/* SPDX-License-Identifier: MIT */
/* Shared by the switch host tests: a simulated CPU with the registers the
 * world switch touches, and a vCPU ready to "exit". */
#ifndef LIBHYP_TESTS_HOST_TEST_SWITCH_H
#define LIBHYP_TESTS_HOST_TEST_SWITCH_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/switch.h>

#define E12(name)    HYP_SYSREG_E12(HYP_SYS_##name)
#define ESR(ec, iss) (((uint64_t)(ec) << 26) | HYP_ESR_IL | (uint64_t)(iss))
/* ISR_EL1 (Arm ARM D24.2.118: op0 3, op1 0, CRn 12, CRm 1, op2 0), read by
 * hyp_switch_complete() for a pending SError: not in the register table. */
#define SW_ISR_EL1 HYP_SYSREG_ENC(3, 0, 12, 1, 0)

/* The guest EL1/EL0 registers the switch reaches, by plain encoding; each
 * also gets its EL12/EL02 alias. */
static const uint16_t sw_el1_regs[] = {
    HYP_SYS_SCTLR_EL1, HYP_SYS_CPACR_EL1,    HYP_SYS_SPSR_EL1,
    HYP_SYS_ELR_EL1,   HYP_SYS_ESR_EL1,	     HYP_SYS_FAR_EL1,
    HYP_SYS_VBAR_EL1,  HYP_SYS_CNTV_CTL_EL0, HYP_SYS_CNTV_CVAL_EL0,
};
static const uint16_t sw_el2_regs[] = {
    HYP_SYS_HCR_EL2, HYP_SYS_CPTR_EL2,	HYP_SYS_ELR_EL2, HYP_SYS_SPSR_EL2,    HYP_SYS_ESR_EL2,
    HYP_SYS_FAR_EL2, HYP_SYS_HPFAR_EL2, HYP_SYS_SP_EL0,	 HYP_SYS_CNTHCTL_EL2, HYP_SYS_CNTVOFF_EL2,
    SW_ISR_EL1,
};

/* Define every register above (value 0) on @cpu and make it current. */
static inline void sw_sim_setup(struct hyp_sim_cpu *cpu)
{
	hyp_sim_init(cpu);
	for (size_t i = 0; i < sizeof(sw_el1_regs) / sizeof(sw_el1_regs[0]); i++) {
		cr_assert_eq(hyp_sim_reg_define(cpu, sw_el1_regs[i], 0), 0);
		cr_assert_eq(hyp_sim_reg_define(cpu, HYP_SYSREG_E12(sw_el1_regs[i]), 0), 0);
	}
	for (size_t i = 0; i < sizeof(sw_el2_regs) / sizeof(sw_el2_regs[0]); i++)
		cr_assert_eq(hyp_sim_reg_define(cpu, sw_el2_regs[i], 0), 0);
	hyp_sim_set_current(cpu);
}

static inline uint64_t sw_peek(const struct hyp_sim_cpu *cpu, uint16_t enc)
{
	uint64_t v = 0;

	cr_assert_eq(hyp_sim_reg_peek(cpu, enc, &v), 0);
	return v;
}

/* Total sysreg reads + writes since the last count reset. */
static inline uint32_t sw_sysreg_accesses(const struct hyp_sim_cpu *cpu)
{
	return cpu->counts[HYP_SIM_SYSREG_READ] + cpu->counts[HYP_SIM_SYSREG_WRITE];
}

/* Simulate "the guest took exception @esr and the vector code saved its
 * GPRs": the vCPU is live, ESR_EL2 holds @esr, ELR/SPSR the guest's PC and
 * PSTATE; counts are reset. */
static inline void sw_exit(struct hyp_sim_cpu *cpu, struct hyp_vcpu *v, uint64_t esr, uint64_t pc,
			   uint64_t pstate)
{
	hyp_sim_reg_define(cpu, HYP_SYS_ESR_EL2, esr);
	hyp_sim_reg_define(cpu, HYP_SYS_ELR_EL2, pc);
	hyp_sim_reg_define(cpu, HYP_SYS_SPSR_EL2, pstate);
	v->live = 1;
	v->exit.esr = esr;
	v->exit.valid = 0;
	hyp_sim_reset_counts(cpu);
}

#endif
