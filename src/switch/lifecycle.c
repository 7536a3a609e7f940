/* SPDX-License-Identifier: MIT */
/*
 * The vCPU lifecycle: hyp_vcpu_load() / hyp_vcpu_put() sequence the
 * modules attached to a vCPU (sysreg engine, vGIC, timers, lazy FP) in the
 * order libhyp/vcpu.h documents ("The vCPU lifecycle"). Every
 * precondition is checked before the first hardware access, so an error
 * leaves everything as it was.
 */
#include <libhyp/error.h>
#include <libhyp/fpsimd.h>
#include <libhyp/sysreg.h>
#include <libhyp/vcpu.h>
#include <libhyp/vgic.h>

#include "switch_priv.h"

int hyp_vcpu_attach_vgic(struct hyp_vcpu *vcpu, struct hyp_vgic_vcpu *gv)
{
	if (!vcpu || (gv && !gv->vm))
		return HYP_EINVAL;
	if (vcpu->loaded)
		return HYP_ESTATE;
	vcpu->vgic = gv;
	return HYP_OK;
}

/* Load and put start alike: a vCPU, then the modules attached to it. */
static int attached(struct hyp_vcpu *vcpu, struct hyp_sysreg_vcpu **sr, struct hyp_vgic_vcpu **gv)
{
	if (!vcpu)
		return HYP_EINVAL;
	*sr = vcpu->sysreg;
	*gv = vcpu->vgic;
	return HYP_OK;
}

int hyp_vcpu_load(struct hyp_vcpu *vcpu)
{
	struct hyp_sysreg_vcpu *sr;
	struct hyp_vgic_vcpu *gv;

	if (attached(vcpu, &sr, &gv) || (sr && !sr->vm))
		return HYP_EINVAL;
	if (vcpu->loaded || vcpu->live || (sr && sr->loaded) || (gv && gv->loaded) ||
	    (vcpu->vtimer.flags & HYP_VTIMER_LOADED))
		return HYP_ESTATE;

	/* Each step's only errors are the preconditions checked above: none
	 * can fail now, so nothing is ever left half-loaded. */
	/* 1. EL1 context and trap controls. */
	if (sr)
		(void)hyp_sysreg_load(sr);
	/* 2. The vGIC, before a timer can raise its PPI in it. */
	if (gv)
		(void)hyp_vgic_load(gv);
	/* 3. The timers: after the engine, so their EL1/EL0 values win. */
	(void)hyp_vtimer_load(vcpu);
	/* 4. Lazy FP: nothing now; hyp_switch_prepare() sets the trap. */
	vcpu->loaded = 1;
	return HYP_OK;
}

int hyp_vcpu_put(struct hyp_vcpu *vcpu)
{
	struct hyp_sysreg_vcpu *sr;
	struct hyp_vgic_vcpu *gv;

	if (attached(vcpu, &sr, &gv))
		return HYP_EINVAL;
	if (!vcpu->loaded || vcpu->live || (gv && gv->in_guest) || (sr && sr->entered))
		return HYP_ESTATE;

	/* Reverse order of hyp_vcpu_load(). The checks above are each step's
	 * only errors but one: a module the integrator put by hand is not
	 * loaded, and its put returns HYP_ESTATE having done nothing. */
	if (vcpu->fp_cpu && vcpu->fp_cpu->owner == vcpu)
		(void)hyp_fp_vcpu_release(vcpu);
	(void)hyp_vtimer_put(vcpu);
	if (gv)
		(void)hyp_vgic_put(gv);
	if (sr)
		(void)hyp_sysreg_put(sr);
	vcpu->loaded = 0;
	return HYP_OK;
}
