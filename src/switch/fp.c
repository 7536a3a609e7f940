/* SPDX-License-Identifier: MIT */
/*
 * Lazy FP/SIMD switching. The trap is CPTR_EL2.TFP (bit 10) with E2H = 0,
 * and CPTR_EL2.FPEN (bits [21:20], 0b11 = no trap, 0b00 = trap EL0, EL1 and
 * EL2) with E2H = 1 (Arm ARM, CPTR_EL2). Either traps EL2's own FP
 * accesses too, so the trap is lifted before the registers are moved.
 */
#include <libhyp/error.h>
#include <libhyp/fpsimd.h>

#include "switch_priv.h"

static void set_trap(struct hyp_fp_cpu *c, bool trap)
{
	uint64_t v = hyp_read_sysreg(HYP_SYS_CPTR_EL2);

	if (c->vhe)
		v = trap ? v & ~HYP_CPTR_E2H_FPEN : v | HYP_CPTR_E2H_FPEN;
	else
		v = trap ? v | HYP_CPTR_TFP : v & ~HYP_CPTR_TFP;
	hyp_write_sysreg(HYP_SYS_CPTR_EL2, v);
	/* Entering a guest synchronizes by ERET; EL2 about to use FP must not
	 * run ahead of the untrap. */
	if (!trap)
		hyp_isb();
	c->trap = trap;
}

static void fp_cpu_start(struct hyp_fp_cpu *cpu, const struct hyp_fp_ops *ops, bool vhe,
			 struct hyp_fpsimd_state *host)
{
	*cpu = (struct hyp_fp_cpu){.ops = ops, .host = host, .host_live = host != NULL, .vhe = vhe};
	set_trap(cpu, false);
}

int hyp_fp_cpu_setup(struct hyp_fp_cpu *cpu, const struct hyp_fp_ops *ops,
		     struct hyp_fpsimd_state *host)
{
	if (!cpu || !ops || !ops->save || !ops->restore)
		return HYP_EINVAL;
	if (!hyp_el2_mode_known())
		return HYP_ESTATE;
	fp_cpu_start(cpu, ops, hyp_el2_e2h(), host);
	return HYP_OK;
}

int hyp_fp_cpu_init(struct hyp_fp_cpu *cpu, const struct hyp_fp_ops *ops, bool vhe,
		    struct hyp_fpsimd_state *host)
{
	if (!cpu || !ops || !ops->save || !ops->restore)
		return HYP_EINVAL;
	if (hyp_el2_mode_known() && vhe != hyp_el2_e2h())
		return HYP_EINVAL;
	fp_cpu_start(cpu, ops, vhe, host);
	return HYP_OK;
}

void hyp_switch_fp_enter(struct hyp_vcpu *vcpu)
{
	struct hyp_fp_cpu *c = vcpu->fp_cpu;
	bool trap = c->owner != vcpu;

	if (trap != c->trap)
		set_trap(c, trap);
}

int hyp_fp_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	struct hyp_fp_cpu *c = vcpu->fp_cpu;

	(void)esr;
	(void)self;
	if (!c || !vcpu->fp)
		return HYP_FAST_EXIT;
	if (c->trap)
		set_trap(c, false);
	if (c->owner != vcpu) {
		if (c->owner)
			c->ops->save(c->owner->fp);
		else if (c->host_live)
			c->ops->save(c->host);
		c->host_live = false;
		c->ops->restore(vcpu->fp);
		c->owner = vcpu;
		c->swaps++;
	}
	/* The PC still points at the FP instruction: it runs again. */
	return HYP_FAST_RESUME_X0_X18;
}

void hyp_fp_cpu_reclaim(struct hyp_fp_cpu *cpu)
{
	if (!cpu)
		return;
	if (cpu->trap)
		set_trap(cpu, false);
	if (cpu->owner) {
		cpu->ops->save(cpu->owner->fp);
		cpu->owner = NULL;
	}
	if (cpu->host && !cpu->host_live) {
		cpu->ops->restore(cpu->host);
		cpu->host_live = true;
	}
}

int hyp_fp_vcpu_release(struct hyp_vcpu *vcpu)
{
	struct hyp_fp_cpu *c;

	if (!vcpu)
		return HYP_EINVAL;
	c = vcpu->fp_cpu;
	if (!c || c->owner != vcpu)
		return HYP_OK;
	if (c->trap)
		set_trap(c, false);
	c->ops->save(vcpu->fp);
	c->owner = NULL;
	return HYP_OK;
}

void hyp_fp_vcpu_put(struct hyp_vcpu *vcpu)
{
	(void)hyp_fp_vcpu_release(vcpu);
}
