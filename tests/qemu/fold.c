/* SPDX-License-Identifier: MIT */
/* Each function must compile to one MRS or MSR and a RET: the seam's
 * accessors fold a constant encoding into the instruction at the call
 * site (checked by check-fold.py on the disassembly). */
#include <libhyp/hw.h>

#define FOLD_READ(name) \
	uint64_t fold_r_##name(void); \
	uint64_t fold_r_##name(void) { return hyp_read_sysreg(HYP_SYS_##name); }
#define FOLD_WRITE(name) \
	void fold_w_##name(uint64_t v); \
	void fold_w_##name(uint64_t v) { hyp_write_sysreg(HYP_SYS_##name, v); }

FOLD_READ(MIDR_EL1)
FOLD_READ(TPIDR_EL2)
FOLD_READ(ICH_VTR_EL2)
FOLD_READ(ID_AA64MMFR1_EL1)
FOLD_WRITE(HCR_EL2)
FOLD_WRITE(SCTLR_EL1)
FOLD_WRITE(ICH_HCR_EL2)

/* Not checked, counted (a benchmark): the cost of a capability test. */
#include <libhyp/cpufeat.h>

bool cost_hyp_cpu_has_FWB(void);
bool cost_hyp_cpu_has_FWB(void) { return hyp_cpu_has(HYP_CAP_FWB); }
uint64_t cost_hyp_cpu_idreg_MMFR1(void);
uint64_t cost_hyp_cpu_idreg_MMFR1(void) { return hyp_cpu_idreg(HYP_REG_ID_AA64MMFR1_EL1); }

/* A policy fixed at build time: the straight-line switch code keeps one
 * access per register in the mask and no guard (check-fold.py: exactly
 * three MRS/MSR and no branch). */
#include "fold_fixed.h"

void fold_fixed3_restore(const uint64_t *regs);
void fold_fixed3_restore(const uint64_t *regs) { hyp_sysreg_restore_masked(regs, &fixed, true); }
void fold_fixed3_save(uint64_t *regs);
void fold_fixed3_save(uint64_t *regs) { hyp_sysreg_save_masked(regs, &fixed, false); }

/* The accessors with a constant register: one test of the live set, then
 * one MRS or one load (counted, a benchmark). */
uint64_t cost_hyp_vcpu_read_sysreg_SCTLR(const struct hyp_sysreg_vcpu *v);
uint64_t cost_hyp_vcpu_read_sysreg_SCTLR(const struct hyp_sysreg_vcpu *v)
{
	return hyp_sysreg_vcpu_read(v, SCTLR_EL1);
}

/* An EL12 alias: op1 = 5 must survive the trip through the asm operand
 * (pinned to MSR SCTLR_EL12, 0xd51d1000, in meson.build). */
void fold_w_E12_SCTLR(uint64_t v);
void fold_w_E12_SCTLR(uint64_t v) { hyp_write_sysreg(HYP_SYSREG_E12(HYP_SYS_SCTLR_EL1), v); }

/* The one alias helper (sysreg.h, HYP_SYSREG_USE_E12) with a constant
 * E2H folds to one access through the chosen encoding (pinned in
 * meson.build: MRS SCTLR_EL12 0xd53d1000, MSR SCTLR_EL1 0xd5181000, and
 * MRS TPIDR_EL2, which has no EL12 alias, through its own encoding). */
uint64_t fold_r_guest_SCTLR_e2h(void);
uint64_t fold_r_guest_SCTLR_e2h(void) { return hyp_sysreg_guest_read(true, SCTLR_EL1); }
void fold_w_guest_SCTLR_nvhe(uint64_t v);
void fold_w_guest_SCTLR_nvhe(uint64_t v) { hyp_sysreg_guest_write(false, SCTLR_EL1, v); }
uint64_t fold_r_guest_TPIDR_EL2_e2h(void);
uint64_t fold_r_guest_TPIDR_EL2_e2h(void) { return hyp_sysreg_guest_read(true, TPIDR_EL2); }
