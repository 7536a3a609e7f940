/* SPDX-License-Identifier: MIT */
/*
 * MMIO emulation from a stage-2 data abort with a valid instruction
 * syndrome (ESR_EL2.ISV = 1: Arm ARM D17.2.37, "ISS encoding for an
 * exception from a Data Abort").
 */
#include <libhyp/error.h>

#include "switch_priv.h"

int hyp_mmio_decode(struct hyp_vcpu *vcpu, struct hyp_mmio *m)
{
	uint64_t esr = vcpu->exit.esr;
	unsigned size, reg;

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

	hyp_exit_capture_fault(vcpu);
	size = hyp_esr_da_size(esr);
	reg = hyp_esr_da_srt(esr);
	m->ipa = hyp_fault_ipa(vcpu->exit.hpfar, vcpu->exit.far);
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

	if (!m || (m->size != 1 && m->size != 2 && m->size != 4 && m->size != 8) || m->reg > 31)
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
