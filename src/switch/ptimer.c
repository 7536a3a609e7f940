/* SPDX-License-Identifier: MIT */
/*
 * The guest's EL1 physical timer, emulated (Arm ARM D24.10.16 CNTP_CTL_EL0,
 * D24.10.17 CNTP_CVAL_EL0, D24.10.18 CNTP_TVAL_EL0, D24.10.19 CNTPCT_EL0).
 * CNTHCTL_EL2 traps the guest's accesses (D24.10.2: EL1PCEN, bit 1, with
 * E2H = 0; EL1PTEN, bit 11, with E2H = 1); the state lives in struct
 * hyp_vtimer, the count is the host's CNTPCT_EL0 minus the VM's offset.
 *
 * The timer condition is met when count >= CVAL (an unsigned 64-bit
 * compare: D24.10.17, "TimerConditionMet"); ISTATUS reports it when
 * ENABLE is 1 whatever IMASK says; the output (the PPI) is ENABLE &&
 * ISTATUS && !IMASK. The output only changes by the guest's writes (which
 * trap here) or by the count passing CVAL, which the EL2 physical timer
 * (CNTHP_*, PTIMER_WAKE) or the integrator's own wake-up catches.
 */
#include <libhyp/error.h>
#include <libhyp/sysreg.h>
#include <libhyp/vtimer.h>

#include "switch_priv.h"
#include "timer_priv.h"

#define CTL_RW (HYP_CNT_CTL_ENABLE | HYP_CNT_CTL_IMASK)

static bool emulated(const struct hyp_vcpu *vcpu)
{
	return (vcpu->vtimer.flags & (HYP_VTIMER_ON | HYP_VTIMER_EMUL_PTIMER)) ==
	       (HYP_VTIMER_ON | HYP_VTIMER_EMUL_PTIMER);
}

/* Enabled and not masked: the output follows the count. */
static bool armed(const struct hyp_vtimer *t)
{
	return (t->pctl & CTL_RW) == HYP_CNT_CTL_ENABLE;
}

static uint64_t count(const struct hyp_vcpu *vcpu)
{
	return hyp_read_sysreg(HYP_SYS_CNTPCT_EL0) - vcpu->vtimer.poff;
}

uint64_t hyp_ptimer_next_deadline(const struct hyp_vcpu *vcpu)
{
	const struct hyp_vtimer *t;

	if (!vcpu || !emulated(vcpu))
		return UINT64_MAX;
	t = &vcpu->vtimer;
	if (!armed(t) || (t->flags & HYP_VTIMER_PPENDING))
		return UINT64_MAX;
	/* Beyond the host count's range: never (an armed CNTHP timer with a
	 * wrapped deadline would fire at once, forever). */
	if (t->pcval > UINT64_MAX - t->poff)
		return UINT64_MAX;
	return t->pcval + t->poff;
}

void hyp__ptimer_arm(struct hyp_vcpu *vcpu)
{
	struct hyp_vtimer *t = &vcpu->vtimer;
	uint64_t deadline;

	if ((t->flags & (HYP_VTIMER_PTIMER_WAKE | HYP_VTIMER_LOADED)) !=
	    (HYP_VTIMER_PTIMER_WAKE | HYP_VTIMER_LOADED))
		return;
	deadline = hyp_ptimer_next_deadline(vcpu);
	if (deadline == UINT64_MAX) {
		if (t->flags & HYP_VTIMER_PARMED) {
			hyp_write_sysreg(HYP_SYS_CNTHP_CTL_EL2, 0);
			t->flags &= ~HYP_VTIMER_PARMED;
		}
		return;
	}
	/* The EL2 physical timer compares the host count (D24.10.4
	 * CNTHP_CVAL_EL2): ENABLE = 1, IMASK = 0. */
	hyp_write_sysreg(HYP_SYS_CNTHP_CVAL_EL2, deadline);
	if (!(t->flags & HYP_VTIMER_PARMED)) {
		hyp_write_sysreg(HYP_SYS_CNTHP_CTL_EL2, HYP_CNT_CTL_ENABLE);
		t->flags |= HYP_VTIMER_PARMED;
	}
}

/* Record the output for @now; @report: call set_level on a change. */
static int update(struct hyp_vcpu *vcpu, bool level, bool report)
{
	struct hyp_vtimer *t = &vcpu->vtimer;
	bool was = (t->flags & HYP_VTIMER_PPENDING) != 0;

	if (level != was) {
		if (level)
			t->flags |= HYP_VTIMER_PPENDING;
		else
			t->flags &= ~HYP_VTIMER_PPENDING;
		if (report)
			hyp__timer_level(vcpu, HYP_GUEST_TIMER_PHYS, level);
	}
	hyp__ptimer_arm(vcpu);
	return level == was ? HYP_VTIMER_NONE : level ? HYP_VTIMER_ASSERT : HYP_VTIMER_DEASSERT;
}

static bool output(struct hyp_vcpu *vcpu)
{
	return armed(&vcpu->vtimer) && count(vcpu) >= vcpu->vtimer.pcval;
}

bool hyp__ptimer_resample(struct hyp_vcpu *vcpu)
{
	bool level;

	if (!emulated(vcpu))
		return false;
	level = output(vcpu);
	update(vcpu, level, false);
	return level;
}

int hyp_ptimer_check(struct hyp_vcpu *vcpu)
{
	struct hyp_vtimer *t;

	if (!vcpu)
		return HYP_EINVAL;
	t = &vcpu->vtimer;
	if (!emulated(vcpu) || !armed(t) || (t->flags & HYP_VTIMER_PPENDING))
		return HYP_VTIMER_NONE;
	if (count(vcpu) < t->pcval)
		return HYP_VTIMER_NONE;
	return update(vcpu, true, true);
}

int hyp_ptimer_set_offset(struct hyp_vcpu *vcpu, uint64_t poff)
{
	if (!vcpu || (poff && !(vcpu->vtimer.flags & HYP_VTIMER_TRAP_PCOUNTER)))
		return HYP_EINVAL;
	if (!emulated(vcpu))
		return HYP_ESTATE;
	vcpu->vtimer.poff = poff;
	hyp__ptimer_arm(vcpu);
	return HYP_OK;
}

int hyp_ptimer_access(struct hyp_vcpu *vcpu, struct hyp_sysreg_access *a)
{
	struct hyp_vtimer *t;
	uint64_t now = 0;
	bool have_now = false;

	if (!vcpu || !a)
		return HYP_EINVAL;
	if (a->enc != HYP_SYS_CNTP_CTL_EL0 && a->enc != HYP_SYS_CNTP_CVAL_EL0 &&
	    a->enc != HYP_SYS_CNTP_TVAL_EL0 && a->enc != HYP_SYS_CNTPCT_EL0)
		return HYP_EINVAL;
	if (!emulated(vcpu))
		return HYP_ESTATE;
	t = &vcpu->vtimer;
	switch (a->enc) {
	case HYP_SYS_CNTP_CTL_EL0:
		if (a->read) {
			/* ISTATUS: the condition, whatever IMASK says; UNKNOWN
			 * (here 0) while disabled (D24.10.16). */
			a->val = t->pctl & CTL_RW;
			if ((t->pctl & HYP_CNT_CTL_ENABLE) && count(vcpu) >= t->pcval)
				a->val |= HYP_CNT_CTL_ISTATUS;
			return HYP_SYSREG_HANDLED;
		}
		t->pctl = (uint32_t)a->val & CTL_RW; /* ISTATUS is RO, [63:3] RES0 */
		break;
	case HYP_SYS_CNTP_CVAL_EL0:
		if (a->read) {
			a->val = t->pcval;
			return HYP_SYSREG_HANDLED;
		}
		t->pcval = a->val;
		break;
	case HYP_SYS_CNTP_TVAL_EL0:
		now = count(vcpu);
		have_now = true;
		if (a->read) {
			/* (CVAL - count)[31:0], zero-extended (D24.10.18). */
			a->val = (uint32_t)(t->pcval - now);
			return HYP_SYSREG_HANDLED;
		}
		/* CVAL = count + SignExtend(TimerValue[31:0]). */
		t->pcval = now + (uint64_t)(int64_t)(int32_t)(uint32_t)a->val;
		break;
	default: /* CNTPCT_EL0: read-only */
		if (!a->read)
			return HYP_SYSREG_UNDEF;
		a->val = count(vcpu);
		return HYP_SYSREG_HANDLED;
	}
	if (armed(t) && !have_now)
		now = count(vcpu);
	update(vcpu, armed(t) && now >= t->pcval, true);
	return HYP_SYSREG_HANDLED;
}
