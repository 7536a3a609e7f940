/* SPDX-License-Identifier: MIT */
/* A policy fixed at build time, shared by fold.c and fold_e2h.h: three
 * context registers (SCTLR_EL1, TTBR0_EL1, TPIDR_EL0) as a constant mask. */
#ifndef LIBHYP_TESTS_QEMU_FOLD_FIXED_H
#define LIBHYP_TESTS_QEMU_FOLD_FIXED_H

#include <libhyp/sysreg.h>

#define FIXED_W(w)                                                                  \
	(HYP_SYSREG_MASK_BIT(w, HYP_REG_SCTLR_EL1) | HYP_SYSREG_MASK_BIT(w, HYP_REG_TTBR0_EL1) | \
	 HYP_SYSREG_MASK_BIT(w, HYP_REG_TPIDR_EL0))
_Static_assert(HYP_SYSREG_MASK_WORDS == 4, "update FIXED_W's initialiser");
static const struct hyp_sysreg_mask fixed = { { FIXED_W(0), FIXED_W(1), FIXED_W(2), FIXED_W(3) } };

#endif
