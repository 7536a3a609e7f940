/* SPDX-License-Identifier: MIT */
/* hyp_vcpu_run(): the C halves around the assembly (aarch64 backend only). */
#include <libhyp/world_switch.h>

#include "switch_priv.h"

int hyp_vcpu_run(struct hyp_vcpu *vcpu)
{
	uint64_t r;

	hyp_switch_prepare(vcpu);
	r = hyp_switch_enter_guest(vcpu);
	/* With SError still masked: hyp_switch_complete() synchronises it. */
	hyp_switch_complete(vcpu, (unsigned)r);
	hyp_switch_set_daif(r >> 32);
	return (int)(uint32_t)r;
}
