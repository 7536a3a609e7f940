/* SPDX-License-Identifier: MIT */
/*
 * The guest's EL1 virtual timer (Arm ARM D11 "The Generic Timer"; the register
 * descriptions of CNTV_CTL_EL0, CNTV_CVAL_EL0, CNTVOFF_EL2, CNTHCTL_EL2).
 * Under VHE the guest's CNTV_* registers are reached through their EL02
 * aliases; CNTVOFF_EL2 and CNTHCTL_EL2 are EL2's own.
 */
#include <libhyp/error.h>

#include "switch_priv.h"

#define VTIMER_USER_FLAGS (HYP_VTIMER_USE_VI | HYP_VTIMER_TRAP_PTIMER | HYP_VTIMER_TRAP_PCOUNTER)
#define CTL_RW		  (HYP_CNT_CTL_ENABLE | HYP_CNT_CTL_IMASK)

int hyp_vtimer_init(struct hyp_vcpu *vcpu, uint32_t flags, uint64_t cntvoff)
{
	if (!vcpu || (flags & ~VTIMER_USER_FLAGS))
		return HYP_EINVAL;
	if (vcpu->vtimer.flags & HYP_VTIMER_LOADED)
		return HYP_ESTATE;
	vcpu->vtimer = (struct hyp_vtimer){.voff = cntvoff, .flags = flags | HYP_VTIMER_ON};
	return HYP_OK;
}

uint64_t hyp_vtimer_cnthctl(uint64_t cur, bool vhe, bool trap_ptimer, bool trap_pcounter)
{
	/* E2H = 0: EL1PCTEN bit 0, EL1PCEN bit 1. E2H = 1: EL1PCTEN bit 10,
	 * EL1PTEN bit 11 (bits 0/1 then control EL0 of the EL2&0 regime). */
	unsigned shift = vhe ? 10 : 0;
	uint64_t pcten = 1ull << shift, pten = 2ull << shift;

	cur &= ~(pcten | pten);
	if (!trap_pcounter)
		cur |= pcten;
	if (!trap_ptimer)
		cur |= pten;
	return cur;
}

void hyp_vtimer_load(struct hyp_vcpu *vcpu)
{
	struct hyp_vtimer *t = &vcpu->vtimer;
	bool vhe = sw_vhe(vcpu);
	uint64_t cur, want, ctl;

	if ((t->flags & (HYP_VTIMER_ON | HYP_VTIMER_LOADED)) != HYP_VTIMER_ON)
		return;
	cur = hyp_read_sysreg(HYP_SYS_CNTHCTL_EL2);
	want = hyp_vtimer_cnthctl(cur, vhe, t->flags & HYP_VTIMER_TRAP_PTIMER,
				  t->flags & HYP_VTIMER_TRAP_PCOUNTER);
	if (want != cur)
		hyp_write_sysreg(HYP_SYS_CNTHCTL_EL2, want);
	hyp_write_sysreg(HYP_SYS_CNTVOFF_EL2, t->voff);
	SW_HW_WRITE_EL1(vhe, CNTV_CVAL_EL0, t->cval);
	ctl = t->ctl & CTL_RW;
	if (t->flags & HYP_VTIMER_PENDING)
		ctl |= HYP_CNT_CTL_IMASK;
	SW_HW_WRITE_EL1(vhe, CNTV_CTL_EL0, ctl);
	t->flags |= HYP_VTIMER_LOADED;
}

void hyp_vtimer_put(struct hyp_vcpu *vcpu)
{
	struct hyp_vtimer *t = &vcpu->vtimer;
	bool vhe = sw_vhe(vcpu);

	if ((t->flags & (HYP_VTIMER_ON | HYP_VTIMER_LOADED)) != (HYP_VTIMER_ON | HYP_VTIMER_LOADED))
		return;
	t->ctl = (uint32_t)SW_HW_READ_EL1(vhe, CNTV_CTL_EL0) & CTL_RW;
	t->cval = SW_HW_READ_EL1(vhe, CNTV_CVAL_EL0);
	/* Off, so it cannot raise its PPI while another vCPU runs here. */
	SW_HW_WRITE_EL1(vhe, CNTV_CTL_EL0, 0);
	t->flags &= ~HYP_VTIMER_LOADED;
}

int hyp_vtimer_check(struct hyp_vcpu *vcpu, unsigned kind)
{
	struct hyp_vtimer *t = &vcpu->vtimer;
	bool vhe = sw_vhe(vcpu);
	int ev = HYP_VTIMER_NONE;
	uint64_t ctl;
	bool firing;

	if ((t->flags & (HYP_VTIMER_ON | HYP_VTIMER_LOADED)) != (HYP_VTIMER_ON | HYP_VTIMER_LOADED))
		return HYP_VTIMER_NONE;
	/* The cached state: an idle timer can only have fired if this exit
	 * is an interrupt (its PPI). Anything else touches no timer register. */
	if (!(t->flags & HYP_VTIMER_PENDING) && kind != HYP_EXIT_IRQ && kind != HYP_EXIT_FIQ)
		return HYP_VTIMER_NONE;

	ctl = SW_HW_READ_EL1(vhe, CNTV_CTL_EL0);
	firing = (ctl & (HYP_CNT_CTL_ENABLE | HYP_CNT_CTL_ISTATUS | HYP_CNT_CTL_IMASK)) ==
		 (HYP_CNT_CTL_ENABLE | HYP_CNT_CTL_ISTATUS);
	if (!(t->flags & HYP_VTIMER_PENDING)) {
		if (firing) {
			/* Mask it so the level interrupt drops while the guest
			 * has it pending; it is restored when handled. */
			SW_HW_WRITE_EL1(vhe, CNTV_CTL_EL0, (ctl & CTL_RW) | HYP_CNT_CTL_IMASK);
			t->flags |= HYP_VTIMER_PENDING;
			ev = HYP_VTIMER_ASSERT;
		}
	} else if (firing) {
		/* The guest unmasked it and it is still due: keep it pending. */
		SW_HW_WRITE_EL1(vhe, CNTV_CTL_EL0, (ctl & CTL_RW) | HYP_CNT_CTL_IMASK);
	} else if ((ctl & CTL_RW) == CTL_RW) {
		/* Our mask (or an identical guest write) is still in place. */
		if (!(ctl & HYP_CNT_CTL_ISTATUS)) {
			/* The guest moved CVAL on: restore its unmasked view. */
			SW_HW_WRITE_EL1(vhe, CNTV_CTL_EL0, HYP_CNT_CTL_ENABLE);
			t->flags &= ~HYP_VTIMER_PENDING;
			ev = HYP_VTIMER_DEASSERT;
		}
	} else {
		/* The guest disabled it, or re-armed it for later. */
		t->flags &= ~HYP_VTIMER_PENDING;
		ev = HYP_VTIMER_DEASSERT;
	}

	if (ev != HYP_VTIMER_NONE && (t->flags & HYP_VTIMER_USE_VI))
		hyp_vcpu_set_line(vcpu, HYP_VLINE_IRQ, ev == HYP_VTIMER_ASSERT);
	vcpu->exit.vtimer = (uint32_t)ev;
	return ev;
}
