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
