/* SPDX-License-Identifier: MIT */
/*
 * The host backend's stand-ins for the assembly entries of entry.S that
 * carry public names: the C versions as they are (no hot part to split).
 * Built instead of entry.S (src/switch/meson.build), so no C file needs a
 * backend #ifdef.
 */
#include <libhyp/sysreg_bridge.h>

#include "switch_priv.h"

int hyp_sysreg_direct_done(struct hyp_vcpu *vcpu, uint64_t esr)
{
	return hyp__sysreg_direct_done_c(vcpu, esr);
}

int hyp_sysreg_dispatch_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	return hyp__sysreg_dispatch_trap_c(vcpu, esr, self);
}
