/* SPDX-License-Identifier: MIT */
/*
 * MMIO emulation from a stage-2 data abort with a valid instruction
 * syndrome (ESR_EL2.ISV = 1: Arm ARM D17.2.37, "ISS encoding for an
 * exception from a Data Abort").
 */
#include <libhyp/emulate.h>
#include <libhyp/error.h>
#include <libhyp/world_switch.h>

#include "switch_priv.h"

/* PAR_EL1, 64-bit format (Arm ARM D24.2.142): F, bit 0 (the translation
 * failed); on success PA[51:12] in bits [51:12] (bits [51:48] with
 * FEAT_LPA, else RES0). */
#define PAR_F	    1ull
#define PAR_PA_MASK 0x000ffffffffff000ull

/*
 * The guest's stage-1 translation registers, in hardware for the AT: with
 * E2H = 1 through their EL12 aliases. Each is compared with the value the
 * sysreg hooks report and, where they differ (an IMMEDIATE register already
 * saved and the hardware holding something else), loaded for the AT and
 * put back afterwards. One macro per register: the aarch64 accessors need a
 * constant encoding.
 */
#define AT_LOAD(i, name)                                                                           \
	do {                                                                                       \
		uint64_t g_ = hyp_switch_read_el1(vcpu, HYP_SYS_##name);                           \
		saved[i] = SW_HW_READ_EL1(vhe, name);                                              \
		if (saved[i] != g_) {                                                              \
			SW_HW_WRITE_EL1(vhe, name, g_);                                            \
			swapped |= 1u << (i);                                                      \
		}                                                                                  \
	} while (0)
#define AT_RESTORE(i, name)                                                                        \
	do {                                                                                       \
		if (swapped & (1u << (i)))                                                         \
			SW_HW_WRITE_EL1(vhe, name, saved[i]);                                      \
	} while (0)

/*
 * AT S1E1R on the FAR with the guest's stage-1 context (and HCR_EL2 /
 * VTTBR_EL2, still the guest's after an exit) in the CPU. PAR_EL1 is the
 * guest's (AT writes it without an MSR): saved and restored around it.
 */
static __attribute__((noinline)) int resolve_ipa(struct hyp_vcpu *vcpu, uint64_t far, uint64_t *ipa)
{
	const struct hyp_vcpu_hooks *h = vcpu->hooks;
	bool vhe = sw_vhe(vcpu);
	uint64_t saved[4] = {0, 0, 0, 0}, par_saved, par;
	unsigned swapped = 0;

	/* Live (a fast-path handler): hooks->exit has not run, every EL1
	 * register is in hardware. Without read hooks the integrator keeps
	 * them there. Otherwise make sure, register by register. */
	if (!vcpu->live && h && h->read_el1) {
		AT_LOAD(0, SCTLR_EL1);
		AT_LOAD(1, TCR_EL1);
		AT_LOAD(2, TTBR0_EL1);
		AT_LOAD(3, TTBR1_EL1);
		if (swapped)
			hyp_isb();
	}
	par_saved = hyp_read_sysreg(HYP_SYS_PAR_EL1);
	hyp_at_s1e1r(far);
	hyp_isb();
	par = hyp_read_sysreg(HYP_SYS_PAR_EL1);
	hyp_write_sysreg(HYP_SYS_PAR_EL1, par_saved);
	if (swapped) {
		AT_RESTORE(0, SCTLR_EL1);
		AT_RESTORE(1, TCR_EL1);
		AT_RESTORE(2, TTBR0_EL1);
		AT_RESTORE(3, TTBR1_EL1);
	}
	/* The guest changed its stage 1 since the fault (another vCPU, or a
	 * race with TLB maintenance): let it retry the access. */
	if (par & PAR_F)
		return HYP_EAGAIN;
	*ipa = (par & PAR_PA_MASK) | (far & 0xfffu);
	return HYP_OK;
}

int hyp_vcpu_fault_ipa(struct hyp_vcpu *vcpu, uint64_t *ipa)
{
	struct hyp_exit *e;
	unsigned ec, fsc;
	int rc;

	if (!vcpu || !ipa)
		return HYP_EINVAL;
	e = &vcpu->exit;
	ec = hyp_esr_ec(e->esr);
	if (ec != HYP_EC_DABT_LOW && ec != HYP_EC_IABT_LOW)
		return HYP_EINVAL;
	if (e->valid & HYP_EXIT_V_IPA) {
		*ipa = e->ipa;
		return HYP_OK;
	}
	/* FnV: FAR_EL2 holds no address, neither the page offset nor a VA
	 * to translate (Arm ARM D24.2.46, ISS of a Data/Instruction Abort). */
	if (hyp_esr_abt_fnv(e->esr))
		return HYP_EFAULT;
	hyp_exit_capture_fault(vcpu);
	if (hyp_esr_hpfar_valid(e->esr)) {
		e->ipa = hyp_fault_ipa(e->hpfar, e->far);
	} else {
		/* An external abort on a table walk has no VA to walk again. */
		fsc = hyp_esr_abt_fsc(e->esr);
		if ((fsc & 0x3cu) == HYP_FSC_SEA_TTW || (fsc & 0x3cu) == 0x1cu)
			return HYP_EFAULT;
		rc = resolve_ipa(vcpu, e->far, &e->ipa);
		if (rc)
			return rc;
	}
	e->valid |= HYP_EXIT_V_IPA;
	*ipa = e->ipa;
	return HYP_OK;
}

int hyp_mmio_decode(struct hyp_vcpu *vcpu, struct hyp_mmio *m)
{
	uint64_t esr, ipa;
	unsigned size, reg;
	int rc;

	if (!vcpu || !m)
		return HYP_EINVAL;
	esr = vcpu->exit.esr;
	if (hyp_esr_ec(esr) != HYP_EC_DABT_LOW)
		return HYP_EINVAL;
	/* A fault on the guest's own table walk is not a device access. */
	if (hyp_esr_abt_s1ptw(esr))
		return HYP_EFAULT;
	/* Cache maintenance by VA (CM) and multi-register or SIMD accesses
	 * (ISV = 0) have no register transfer to emulate. */
	if (!hyp_esr_da_isv(esr) || hyp_esr_da_cm(esr))
		return HYP_ENOTSUP;
	if (hyp_esr_abt_fnv(esr))
		return HYP_EFAULT;

	/* HPFAR_EL2 is UNKNOWN for a permission fault (S1PTW = 0 here): the
	 * IPA then comes from AT S1E1R, which may fail (HYP_EAGAIN). */
	if (hyp_esr_hpfar_valid(esr)) {
		/* The common case (a translation fault on a hole), inline: the
		 * checks hyp_vcpu_fault_ipa() would repeat are done above. */
		hyp_exit_capture_fault(vcpu);
		ipa = hyp_fault_ipa(vcpu->exit.hpfar, vcpu->exit.far);
	} else {
		rc = hyp_vcpu_fault_ipa(vcpu, &ipa);
		if (rc)
			return rc;
	}
	size = hyp_esr_da_size(esr);
	reg = hyp_esr_da_srt(esr);
	m->ipa = ipa;
	m->size = (uint8_t)size;
	m->reg = (uint8_t)reg;
	m->write = hyp_esr_da_wnr(esr);
	m->sign_extend = hyp_esr_da_sse(esr);
	m->sf = hyp_esr_da_sf(esr);
	m->acq_rel = hyp_esr_da_ar(esr);
	m->data = 0;
	if (m->write) {
		uint64_t v = hyp_vcpu_get_x(vcpu, reg);
		m->data = size == 8 ? v : v & ((1ull << (size * 8)) - 1);
	}
	return HYP_OK;
}

int hyp_mmio_complete(struct hyp_vcpu *vcpu, const struct hyp_mmio *m, uint64_t value)
{
	unsigned bits;

	if (!vcpu || !m || (m->size != 1 && m->size != 2 && m->size != 4 && m->size != 8) ||
	    m->reg > 31)
		return HYP_EINVAL;
	if (!m->write) {
		bits = m->size * 8u;
		if (bits < 64) {
			value &= (1ull << bits) - 1;
			if (m->sign_extend && (value >> (bits - 1)) & 1)
				value |= ~((1ull << bits) - 1);
		}
		/* A W register: the upper half of the X register is zeroed. */
		if (!m->sf)
			value = (uint32_t)value;
		hyp_vcpu_set_x(vcpu, m->reg, value); /* 31 is XZR: discarded */
	}
	hyp_vcpu_skip_insn(vcpu);
	return HYP_OK;
}
