/* SPDX-License-Identifier: MIT */
/* hyp_vcpu_run(): the C halves around the assembly (aarch64 backend only). */
#include "switch_priv.h"

int hyp_vcpu_run(struct hyp_vcpu *vcpu)
{
	unsigned kind;

	hyp_switch_prepare(vcpu);
	kind = hyp_switch_enter_guest(vcpu);
	hyp_switch_complete(vcpu, kind);
	return (int)kind;
}
