/* SPDX-License-Identifier: MIT */
/* The save/restore forms that read the EL2 mode (hyp_sysreg_guest_save_masked(),
 * hyp_sysreg_guest_restore_masked()) with the mode fixed at build time
 * (-DLIBHYP_E2H=1, here as a define before the includes): the mode is a
 * constant, so a constant mask leaves one MRS/MSR per register and no
 * branch, as the deprecated forms did with a literal e2h (check-fold.py:
 * fold_fixed<N>_*). */
#define LIBHYP_E2H 1
#include <libhyp/sysreg.h>

_Static_assert(HYP_EL2_E2H_FIXED == 1, "the build fixes the EL2 mode");

#define FIXED_W(w)                                                                  \
	(HYP_SYSREG_MASK_BIT(w, HYP_REG_SCTLR_EL1) | HYP_SYSREG_MASK_BIT(w, HYP_REG_TTBR0_EL1) | \
	 HYP_SYSREG_MASK_BIT(w, HYP_REG_TPIDR_EL0))
_Static_assert(HYP_SYSREG_MASK_WORDS == 4, "update FIXED_W's initialiser");
static const struct hyp_sysreg_mask fixed = { { FIXED_W(0), FIXED_W(1), FIXED_W(2), FIXED_W(3) } };

void fold_fixed3_guest_restore_e2h1(const uint64_t *regs);
void fold_fixed3_guest_restore_e2h1(const uint64_t *regs) { hyp_sysreg_guest_restore_masked(regs, &fixed); }
void fold_fixed3_guest_save_e2h1(uint64_t *regs);
void fold_fixed3_guest_save_e2h1(uint64_t *regs) { hyp_sysreg_guest_save_masked(regs, &fixed); }

/* One register through the chosen encoding: pinned in meson.build
 * (E2H = 1: MSR SCTLR_EL12, 0xd51d1000; E2H = 0: MSR SCTLR_EL1, 0xd5181000). */
void fold_w_guest_mode_SCTLR_e2h1(uint64_t v);
void fold_w_guest_mode_SCTLR_e2h1(uint64_t v) { hyp_sysreg_guest_write(hyp_el2_e2h(), SCTLR_EL1, v); }
