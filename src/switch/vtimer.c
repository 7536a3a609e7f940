/* SPDX-License-Identifier: MIT */
/*
 * The guest's EL1 virtual timer (Arm ARM D11 "The Generic Timer"; the
 * register descriptions D24.10.25 CNTV_CTL_EL0, D24.10.26 CNTV_CVAL_EL0,
 * CNTVOFF_EL2, D24.10.2 CNTHCTL_EL2). Under VHE the guest's CNTV_* registers
 * are reached through their EL02 aliases; CNTVOFF_EL2 and CNTHCTL_EL2 are
 * EL2's own.
 *
 * The timer's interrupt output is ENABLE && ISTATUS && !IMASK (D24.10.25:
 * "If the value of ISTATUS is 1 and the value of IMASK is 0, then the timer
 * interrupt is asserted"; ISTATUS takes no account of IMASK). While that
 * output is high and reported to the guest's interrupt controller, the
 * host's physical PPI is masked at the GIC (hyp_timer_ops::mask_host_irq):
 * CNTV_CTL_EL0 is the guest's and is never written with a value it did not
 * write itself, except 0 while the vCPU is put.
 */
#include <libhyp/emulate.h>
#include <libhyp/error.h>
#include <libhyp/vtimer.h>

#include "switch_priv.h"
#include "timer_priv.h"

#define VTIMER_USER_FLAGS                                                                          \
	(HYP_VTIMER_USE_VI | HYP_VTIMER_TRAP_PTIMER | HYP_VTIMER_TRAP_PCOUNTER |                   \
	 HYP_VTIMER_EMUL_PTIMER | HYP_VTIMER_PTIMER_WAKE)
#define CTL_RW (HYP_CNT_CTL_ENABLE | HYP_CNT_CTL_IMASK)

int hyp_vtimer_init(struct hyp_vcpu *vcpu, uint32_t flags, uint64_t cntvoff)
{
	if (!vcpu || (flags & ~VTIMER_USER_FLAGS))
		return HYP_EINVAL;
	if ((flags & HYP_VTIMER_PTIMER_WAKE) && !(flags & HYP_VTIMER_EMUL_PTIMER))
		return HYP_EINVAL;
	if (vcpu->vtimer.flags & HYP_VTIMER_LOADED)
		return HYP_ESTATE;
	if (flags & HYP_VTIMER_EMUL_PTIMER)
		flags |= HYP_VTIMER_TRAP_PTIMER;
	vcpu->vtimer = (struct hyp_vtimer){.voff = cntvoff, .flags = flags | HYP_VTIMER_ON};
	return HYP_OK;
}

int hyp_vtimer_set_ops(struct hyp_vcpu *vcpu, const struct hyp_timer_ops *ops, void *ctx)
{
	if (!vcpu)
		return HYP_EINVAL;
	vcpu->vtimer.ops = ops;
	vcpu->vtimer.ops_ctx = ctx;
	return HYP_OK;
}

uint64_t hyp_vtimer_cnthctl(uint64_t cur, bool vhe, bool trap_ptimer, bool trap_pcounter)
{
	/* Arm ARM D24.10.2: E2H = 0: EL1PCTEN bit 0, EL1PCEN bit 1. E2H = 1:
	 * EL1PCTEN bit 10, EL1PTEN bit 11 (bits 0/1 then control EL0 of the
	 * EL2&0 regime). A set bit means "not trapped". */
	uint64_t pcten = vhe ? HYP_CNTHCTL_E2H_EL1PCTEN : HYP_CNTHCTL_EL1PCTEN;
	uint64_t pten = vhe ? HYP_CNTHCTL_E2H_EL1PTEN : HYP_CNTHCTL_EL1PCEN;

	cur &= ~(pcten | pten);
	if (!trap_pcounter)
		cur |= pcten;
	if (!trap_ptimer)
		cur |= pten;
	return cur;
}

uint64_t hyp_vtimer_cnthctl_traps(uint64_t cur, bool trap_ptimer, bool trap_pcounter)
{
	return hyp_vtimer_cnthctl(cur, hyp_el2_e2h(), trap_ptimer, trap_pcounter);
}

void hyp__timer_level(struct hyp_vcpu *vcpu, enum hyp_guest_timer which, bool level)
{
	struct hyp_vtimer *t = &vcpu->vtimer;

	if (t->flags & HYP_VTIMER_USE_VI)
		hyp_vcpu_set_line(vcpu, HYP_VLINE_IRQ,
				  (t->flags & (HYP_VTIMER_PENDING | HYP_VTIMER_PPENDING)) != 0);
	if (t->ops && t->ops->set_level)
		t->ops->set_level(vcpu, which, level, t->ops_ctx);
}

static void host_mask(struct hyp_vcpu *vcpu, bool mask)
{
	struct hyp_vtimer *t = &vcpu->vtimer;

	if (t->ops && t->ops->mask_host_irq)
		t->ops->mask_host_irq(vcpu, mask, t->ops_ctx);
}

int hyp_vtimer_load(struct hyp_vcpu *vcpu)
{
	struct hyp_vtimer *t;
	uint64_t cur, want;
	bool vhe;

	if (!vcpu)
		return HYP_EINVAL;
	t = &vcpu->vtimer;
	if ((t->flags & (HYP_VTIMER_ON | HYP_VTIMER_LOADED)) != HYP_VTIMER_ON)
		return HYP_OK;
	vhe = sw_vhe(vcpu);
	cur = hyp_read_sysreg(HYP_SYS_CNTHCTL_EL2);
	want = hyp_vtimer_cnthctl(cur, vhe, t->flags & HYP_VTIMER_TRAP_PTIMER,
				  t->flags & HYP_VTIMER_TRAP_PCOUNTER);
	if (want != cur)
		hyp_write_sysreg(HYP_SYS_CNTHCTL_EL2, want);
	hyp_write_sysreg(HYP_SYS_CNTVOFF_EL2, t->voff);
	SW_HW_WRITE_EL1(vhe, CNTV_CVAL_EL0, t->cval);
	/* The guest's own value: no IMASK of ours (D24.10.25). */
	SW_HW_WRITE_EL1(vhe, CNTV_CTL_EL0, t->ctl & CTL_RW);
	if (t->flags & HYP_VTIMER_PENDING)
		host_mask(vcpu, true);
	t->flags |= HYP_VTIMER_LOADED;
	hyp__ptimer_arm(vcpu);
	return HYP_OK;
}

int hyp_vtimer_put(struct hyp_vcpu *vcpu)
{
	struct hyp_vtimer *t;
	bool vhe;

	if (!vcpu)
		return HYP_EINVAL;
	t = &vcpu->vtimer;
	if ((t->flags & (HYP_VTIMER_ON | HYP_VTIMER_LOADED)) != (HYP_VTIMER_ON | HYP_VTIMER_LOADED))
		return HYP_OK;
	vhe = sw_vhe(vcpu);
	t->ctl = (uint32_t)SW_HW_READ_EL1(vhe, CNTV_CTL_EL0) & CTL_RW;
	t->cval = SW_HW_READ_EL1(vhe, CNTV_CVAL_EL0);
	/* Off, so it cannot raise its PPI while another vCPU runs here. */
	SW_HW_WRITE_EL1(vhe, CNTV_CTL_EL0, 0);
	if (t->flags & HYP_VTIMER_PENDING)
		host_mask(vcpu, false);
	if (t->flags & HYP_VTIMER_PARMED) {
		hyp_write_sysreg(HYP_SYS_CNTHP_CTL_EL2, 0);
		t->flags &= ~HYP_VTIMER_PARMED;
	}
	t->flags &= ~HYP_VTIMER_LOADED;
	return HYP_OK;
}

/* The loaded virtual timer's output now: one CNTV_CTL read. */
static bool vtimer_output(struct hyp_vcpu *vcpu)
{
	uint64_t ctl = SW_HW_READ_EL1(sw_vhe(vcpu), CNTV_CTL_EL0);

	return (ctl & (HYP_CNT_CTL_ENABLE | HYP_CNT_CTL_ISTATUS | HYP_CNT_CTL_IMASK)) ==
	       (HYP_CNT_CTL_ENABLE | HYP_CNT_CTL_ISTATUS);
}

/* Record a new output level; returns the event. @report: call set_level. */
static int vtimer_update(struct hyp_vcpu *vcpu, bool level, bool report)
{
	struct hyp_vtimer *t = &vcpu->vtimer;
	bool was = (t->flags & HYP_VTIMER_PENDING) != 0;

	if (level == was)
		return HYP_VTIMER_NONE;
	if (level) {
		/* The output stays high until the guest acts: its level is
		 * the guest GIC's from now on, not the host's. */
		t->flags |= HYP_VTIMER_PENDING;
		host_mask(vcpu, true);
		if (report)
			hyp__timer_level(vcpu, HYP_GUEST_TIMER_VIRT, true);
		return HYP_VTIMER_ASSERT;
	}
	t->flags &= ~HYP_VTIMER_PENDING;
	if (report)
		hyp__timer_level(vcpu, HYP_GUEST_TIMER_VIRT, false);
	host_mask(vcpu, false);
	return HYP_VTIMER_DEASSERT;
}

static bool vtimer_loaded(const struct hyp_vcpu *vcpu)
{
	return (vcpu->vtimer.flags & (HYP_VTIMER_ON | HYP_VTIMER_LOADED)) ==
	       (HYP_VTIMER_ON | HYP_VTIMER_LOADED);
}

int hyp_vtimer_check(struct hyp_vcpu *vcpu, unsigned kind)
{
	struct hyp_vtimer *t;
	bool irq = kind == HYP_EXIT_IRQ || kind == HYP_EXIT_FIQ;
	int ev = HYP_VTIMER_NONE;

	if (!vcpu)
		return HYP_EINVAL;
	t = &vcpu->vtimer;
	if (!vtimer_loaded(vcpu))
		return HYP_VTIMER_NONE;
	/* The cached state: an idle timer can only have gone high if this
	 * exit is an interrupt (its PPI, unmasked at the host while idle).
	 * Anything else touches no timer register. */
	if ((t->flags & HYP_VTIMER_PENDING) || irq)
		ev = vtimer_update(vcpu, vtimer_output(vcpu), true);
	if (irq && (t->flags & HYP_VTIMER_EMUL_PTIMER))
		hyp_ptimer_check(vcpu);
	vcpu->exit.vtimer = (uint32_t)ev;
	return ev;
}

int hyp_timer_sync(struct hyp_vcpu *vcpu)
{
	if (!vcpu)
		return HYP_EINVAL;
	/* Only a high output can have gone stale: every guest action that
	 * lowers it is invisible to EL2. A low one that went high has its
	 * host PPI unmasked and pending, so the guest exits as soon as it
	 * resumes (as a GIC's input latency). The emulated physical timer
	 * is lowered at the guest's trapped write. */
	if (!vtimer_loaded(vcpu) || !(vcpu->vtimer.flags & HYP_VTIMER_PENDING))
		return HYP_VTIMER_NONE;
	return vtimer_update(vcpu, vtimer_output(vcpu), true);
}

bool hyp_timer_resample(struct hyp_vcpu *vcpu, enum hyp_guest_timer timer)
{
	bool level;

	if (!vcpu || !(vcpu->vtimer.flags & HYP_VTIMER_ON))
		return false;
	if (timer == HYP_GUEST_TIMER_PHYS)
		return hyp__ptimer_resample(vcpu);
	if (timer != HYP_GUEST_TIMER_VIRT)
		return false;
	if (!vtimer_loaded(vcpu))
		return (vcpu->vtimer.flags & HYP_VTIMER_PENDING) != 0;
	level = vtimer_output(vcpu);
	vtimer_update(vcpu, level, false);
	return level;
}
