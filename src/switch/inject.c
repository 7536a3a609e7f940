/* SPDX-License-Identifier: MIT */
/*
 * Exception injection: perform the guest's exception entry to EL1 exactly
 * as AArch64.TakeException() does (Arm ARM D1.10 "Exception entry", and the
 * pseudocode AArch64.TakeException / AArch64.ReportException), for a guest
 * running at AArch64 EL0 or EL1 or AArch32 EL0, with EL1 the target.
 */
#include <libhyp/emulate.h>
#include <libhyp/error.h>
#include <libhyp/psci.h>
#include <libhyp/world_switch.h>

#include "switch_priv.h"

/* Offsets from VBAR_EL1 (Arm ARM D1.10, "Vector offsets from vector table base address"). */
#define VEC_CUR_SP0   0x000u
#define VEC_CUR_SPX   0x200u
#define VEC_LOWER_A64 0x400u
#define VEC_LOWER_A32 0x600u

/*
 * Take a synchronous exception to EL1: @p ec_lower / @p ec_cur are the
 * classes for a source at EL0 / EL1, @p iss the syndrome, @p far the fault
 * address or NULL.
 */
static int take_sync(struct hyp_vcpu *vcpu, unsigned ec_lower, unsigned ec_cur, uint32_t iss,
		     const uint64_t *far)
{
	uint32_t feats;
	uint64_t ps, pc, vbar, sctlr = 0, nps, esr;
	unsigned off;
	bool from_el1;

	if (!vcpu)
		return HYP_EINVAL;
	feats = vcpu->guest_feats;
	/* An AArch32 EL1 takes exceptions in AArch32 state: not modelled. */
	if (!(vcpu->hcr & HYP_HCR_RW))
		return HYP_ENOTSUP;
	ps = hyp_vcpu_pstate(vcpu);
	if (ps & HYP_PSR_M_AA32) {
		/* With EL1 in AArch64, only EL0 can be AArch32: User mode. */
		if ((ps & HYP_PSR_M_MASK) != HYP_PSR_M_AA32_USR)
			return HYP_ENOTSUP;
		off = VEC_LOWER_A32;
		from_el1 = false;
	} else {
		switch (ps & HYP_PSR_M_MASK) {
		case HYP_PSR_M_EL0T:
			off = VEC_LOWER_A64;
			from_el1 = false;
			break;
		case HYP_PSR_M_EL1T:
			off = VEC_CUR_SP0;
			from_el1 = true;
			break;
		case HYP_PSR_M_EL1H:
			off = VEC_CUR_SPX;
			from_el1 = true;
			break;
		default:
			return HYP_ENOTSUP;
		}
	}

	pc = hyp_vcpu_pc(vcpu);
	vbar = hyp_switch_read_el1(vcpu, HYP_SYS_VBAR_EL1);
	if (feats & (HYP_GUEST_PAN | HYP_GUEST_SSBS | HYP_GUEST_NMI))
		sctlr = hyp_switch_read_el1(vcpu, HYP_SYS_SCTLR_EL1);

	/*
	 * The new PSTATE. Kept: NZCV, DIT, and PAN (which is also where the
	 * AArch32 SPSR format has them). Set: EL1h, D, A, I, F. Cleared by
	 * not being carried: SS, IL, BTYPE, UAO, the AArch32-only fields, and
	 * the bits of features the VM lacks.
	 */
	nps = (ps & (HYP_PSR_NZCV | HYP_PSR_DIT | HYP_PSR_PAN)) | HYP_PSR_M_EL1H | HYP_PSR_DAIF;
	if (!(feats & HYP_GUEST_PAN))
		nps &= ~HYP_PSR_PAN;
	else if (!(sctlr & HYP_SCTLR_SPAN))
		nps |= HYP_PSR_PAN;
	if ((feats & HYP_GUEST_SSBS) && (sctlr & HYP_SCTLR_DSSBS))
		nps |= HYP_PSR_SSBS;
	if (feats & HYP_GUEST_MTE)
		nps |= HYP_PSR_TCO;
	if ((feats & HYP_GUEST_NMI) && !(sctlr & HYP_SCTLR_SPINTMASK))
		nps |= HYP_PSR_ALLINT;

	/* IL is RES1 for EC 0 and for aborts without a valid ISS (D17.2.37). */
	esr = ((uint64_t)(from_el1 ? ec_cur : ec_lower) << HYP_ESR_EC_SHIFT) | HYP_ESR_IL | iss;

	hyp_switch_write_el1(vcpu, HYP_SYS_ESR_EL1, esr);
	if (far)
		hyp_switch_write_el1(vcpu, HYP_SYS_FAR_EL1, *far);
	hyp_switch_write_el1(vcpu, HYP_SYS_SPSR_EL1, ps);
	hyp_switch_write_el1(vcpu, HYP_SYS_ELR_EL1, pc);
	/* VBAR_EL1[10:0] are RES0: the vector is VBAR<63:11>:offset<10:0>. */
	hyp_vcpu_set_pc(vcpu, (vbar & ~0x7ffull) | off);
	hyp_vcpu_set_pstate(vcpu, nps);
	return HYP_OK;
}

int hyp_inject_undef(struct hyp_vcpu *vcpu)
{
	return take_sync(vcpu, HYP_EC_UNKNOWN, HYP_EC_UNKNOWN, 0, NULL);
}

int hyp_inject_dabt(struct hyp_vcpu *vcpu, uint64_t far, bool write)
{
	return take_sync(vcpu, HYP_EC_DABT_LOW, HYP_EC_DABT_CUR,
			 HYP_FSC_SEA | (write ? HYP_ESR_DA_WNR : 0), &far);
}

int hyp_inject_iabt(struct hyp_vcpu *vcpu, uint64_t far)
{
	return take_sync(vcpu, HYP_EC_IABT_LOW, HYP_EC_IABT_CUR, HYP_FSC_SEA, &far);
}

/* VSESR_EL2 (Arm ARM D24.9.18, FEAT_RAS): the syndrome of the virtual SError
 * HCR_EL2.VSE raises; op0 3, op1 4, CRn 5, CRm 2, op2 3. IDS [24], ISS
 * [23:0]. */
#define SW_VSESR_EL2 HYP_SYSREG_ENC(3, 4, 5, 2, 3)

int hyp_inject_serror(struct hyp_vcpu *vcpu, uint64_t esr)
{
	if (!vcpu)
		return HYP_EINVAL;
	if (vcpu->flags & HYP_VCPU_RAS)
		hyp_write_sysreg(SW_VSESR_EL2, esr & 0x1ffffffull);
	hyp_vcpu_update_hcr(vcpu, 0, HYP_HCR_VSE);
	return HYP_OK;
}

int hyp_fast_undef(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)esr;
	(void)self;
	return !vcpu || hyp_inject_undef(vcpu) ? HYP_FAST_EXIT : HYP_FAST_RESUME_X0_X18;
}

int hyp_vcpu_exit_default(struct hyp_vcpu *vcpu)
{
	struct hyp_exit *e;
	int rc = HYP_OK;

	if (!vcpu)
		return HYP_EINVAL;
	e = &vcpu->exit;
	/* The guest's own SError, consumed at this exit: it gets it back. */
	if (e->valid & HYP_EXIT_V_SERROR)
		rc = hyp_inject_serror(vcpu, e->serror_esr);
	switch (e->kind) {
	case HYP_EXIT_IRQ:
	case HYP_EXIT_FIQ:
		return rc;
	case HYP_EXIT_SERROR:
		return hyp_inject_serror(vcpu, e->esr);
	case HYP_EXIT_SYNC:
		break;
	default:
		return HYP_EINVAL;
	}
	switch (hyp_esr_ec(e->esr)) {
	case HYP_EC_HVC64:
	case HYP_EC_HVC32:
		/* Any immediate, any function ID: SMCCC NOT_SUPPORTED in X0.
		 * The preferred return address is already past the HVC. */
		hyp_vcpu_set_x(vcpu, 0, (uint64_t)(int64_t)HYP_SMCCC_NOT_SUPPORTED);
		return rc;
	case HYP_EC_SMC64:
	case HYP_EC_SMC32:
		/* A trapped SMC returns to the SMC itself (D24.2.46). */
		hyp_vcpu_skip_insn(vcpu);
		hyp_vcpu_set_x(vcpu, 0, (uint64_t)(int64_t)HYP_SMCCC_NOT_SUPPORTED);
		return rc;
	case HYP_EC_WFX:
		hyp_vcpu_skip_insn(vcpu); /* a wake-up event may come any time */
		return rc;
	case HYP_EC_DABT_LOW:
		hyp_exit_capture_fault(vcpu);
		return hyp_inject_dabt(vcpu, hyp_esr_abt_fnv(e->esr) ? 0 : e->far,
				       hyp_esr_da_wnr(e->esr));
	case HYP_EC_IABT_LOW:
		hyp_exit_capture_fault(vcpu);
		return hyp_inject_iabt(vcpu, hyp_esr_abt_fnv(e->esr) ? 0 : e->far);
	default:
		/* Trapped instructions and accesses nobody emulates (MSR/MRS,
		 * SVE, SME, AArch32 CP14/CP15, unknown classes...). */
		return hyp_inject_undef(vcpu);
	}
}
