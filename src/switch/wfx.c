/* SPDX-License-Identifier: MIT */
/*
 * The WFx fast-path policy (libhyp/emulate.h): a trapped WFI or WFE
 * (ESR_EL2.EC 0x01) is either skipped on the fast path or sent to the run
 * loop, per struct hyp_wfx_policy.
 */
#include <libhyp/emulate.h>
#include <libhyp/error.h>

#include "switch_priv.h"

int hyp_wfx_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	const struct hyp_wfx_policy *p = self->ctx;
	uint8_t action;

	if (!p)
		return HYP_FAST_EXIT;
	action = hyp_esr_wfx_is_wfe(esr) ? p->wfe : p->wfi;
	if (action != HYP_WFX_SKIP)
		return HYP_FAST_EXIT;
	hyp_vcpu_skip_insn(vcpu);
	return HYP_FAST_RESUME_X0_X18;
}
