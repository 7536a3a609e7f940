/* SPDX-License-Identifier: MIT */
/* The save/restore forms that read the EL2 mode (hyp_sysreg_guest_save_masked(),
 * hyp_sysreg_guest_restore_masked()) with the mode fixed at build time:
 * included by fold_e2h0.c and fold_e2h1.c after they define LIBHYP_E2H
 * (as -DLIBHYP_E2H=0/1 would) and FOLD_SUFFIX. The mode is a constant, so a
 * constant mask leaves one MRS/MSR per register and no branch, as the
 * deprecated forms did with a literal e2h (check-fold.py: fold_fixed<N>_*). */
#include "fold_fixed.h"

_Static_assert(HYP_EL2_E2H_FIXED == LIBHYP_E2H, "the build fixes the EL2 mode");

#define FOLD_CAT2(a, b) a##b
#define FOLD_CAT(a, b) FOLD_CAT2(a, b)
#define FOLD_FN(name) FOLD_CAT(name, FOLD_SUFFIX)

void FOLD_FN(fold_fixed3_guest_restore_)(const uint64_t *regs);
void FOLD_FN(fold_fixed3_guest_restore_)(const uint64_t *regs)
{
	hyp_sysreg_guest_restore_masked(regs, &fixed);
}
void FOLD_FN(fold_fixed3_guest_save_)(uint64_t *regs);
void FOLD_FN(fold_fixed3_guest_save_)(uint64_t *regs) { hyp_sysreg_guest_save_masked(regs, &fixed); }

/* One register through the chosen encoding: pinned in meson.build
 * (E2H = 1: MSR SCTLR_EL12, 0xd51d1000; E2H = 0: MSR SCTLR_EL1, 0xd5181000). */
void FOLD_FN(fold_w_guest_mode_SCTLR_)(uint64_t v);
void FOLD_FN(fold_w_guest_mode_SCTLR_)(uint64_t v) { hyp_sysreg_guest_write(hyp_el2_e2h(), SCTLR_EL1, v); }
