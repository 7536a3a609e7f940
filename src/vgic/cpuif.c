/* SPDX-License-Identifier: MIT */
/* The CPU-interface half of the virtual GIC: the hypervisor control
 * registers of a GICv3 (ICH_*_EL2, system registers) or a GICv2 (the GICH
 * frame, MMIO), filled from the vCPU's list at entry and folded back at
 * exit, touching only what carries information (seed 004).
 *
 * The elision rules, and why each is safe:
 * - Entry writes one LR per interrupt presented, and the HCR only when the
 *   value the hardware holds differs (this vCPU's previous entry usually
 *   left En set already). LRs beyond those are left alone: after an exit
 *   every LR is either zero or invalid without the EOI bit, and an invalid
 *   LR is ignored by the CPU interface (IHI 0069 6.4, "List registers").
 * - Exit with no LR written reads nothing: no interrupt could have changed
 *   state, and no maintenance interrupt was enabled.
 * - ELRSR tells which LRs are empty: State == 0 and (HW == 1 or EOI == 0)
 *   (IHI 0069 ch. 12 ICH_ELRSR_EL2; IHI 0048B 5.3 GICH_ELRSRn). Their state
 *   is known (invalid) without reading them, and they need no wipe.
 * - EISR is read only if an LR carried the EOI bit: its bits are then the
 *   LRs known to be invalid (EOI'd), which need a wipe but no read.
 * - MISR is never read: the exit folds every used LR anyway, so the reason
 *   for a maintenance interrupt adds nothing (save_all reads it).
 * - The HCR is written at exit only if a maintenance interrupt was
 *   enabled, so it does not fire while the hypervisor runs.
 * - APRs and VMCR move at load/put only; the APR count follows the
 *   preemption bits (ICH_AP1R<n>_EL2: AP1R1 exists with 6 bits, AP1R2/3
 *   with 7), both groups for either guest model, AP0R<n> written before
 *   AP1R<n> (see aprs_write()). */
#include <libhyp/cpufeat.h>
#include <libhyp/hw.h>
#include <libhyp/sysreg_bridge.h>

#include "internal.h"

/* --- Hardware access: a constant encoding per register (MRS/MSR need one) */

#define X_LRS(X)                                                                                   \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

static uint64_t ich_lr_read(unsigned i)
{
	switch (i) {
#define X_LR_READ(n)                                                                               \
	case n:                                                                                    \
		return hyp_read_sysreg(HYP_SYS_ICH_LR##n##_EL2);
		X_LRS(X_LR_READ)
#undef X_LR_READ
	}
	return 0;
}

/* MSR ICH_LR<@i>_EL2, @v: one case per LR (MSR needs a constant). */
#define X_LR_WRITE(n)                                                                              \
	case n:                                                                                    \
		hyp_write_sysreg(HYP_SYS_ICH_LR##n##_EL2, v);                                      \
		break;
#define ICH_LR_WRITE_SWITCH(i, v)                                                                  \
	switch (i) {                                                                               \
		X_LRS(X_LR_WRITE)                                                                  \
	}

static __attribute__((noinline)) void ich_lr_write(unsigned i, uint64_t v)
{
	ICH_LR_WRITE_SWITCH(i, v)
}

/* Inlined into a fast path: no call, hence no frame. @i < 16, which the
 * mask tells the compiler (no range check). */
static inline __attribute__((always_inline)) void ich_lr_write_inl(unsigned i, uint64_t v)
{
	ICH_LR_WRITE_SWITCH(i & 15u, v)
}

static uint32_t ich_apr_read(bool g1, unsigned i)
{
	switch (i) {
	case 0:
		return (uint32_t)(g1 ? hyp_read_sysreg(HYP_SYS_ICH_AP1R0_EL2)
				     : hyp_read_sysreg(HYP_SYS_ICH_AP0R0_EL2));
	case 1:
		return (uint32_t)(g1 ? hyp_read_sysreg(HYP_SYS_ICH_AP1R1_EL2)
				     : hyp_read_sysreg(HYP_SYS_ICH_AP0R1_EL2));
	case 2:
		return (uint32_t)(g1 ? hyp_read_sysreg(HYP_SYS_ICH_AP1R2_EL2)
				     : hyp_read_sysreg(HYP_SYS_ICH_AP0R2_EL2));
	default:
		return (uint32_t)(g1 ? hyp_read_sysreg(HYP_SYS_ICH_AP1R3_EL2)
				     : hyp_read_sysreg(HYP_SYS_ICH_AP0R3_EL2));
	}
}

static void ich_apr_write(bool g1, unsigned i, uint32_t v)
{
	switch (i) {
	case 0:
		if (g1)
			hyp_write_sysreg(HYP_SYS_ICH_AP1R0_EL2, v);
		else
			hyp_write_sysreg(HYP_SYS_ICH_AP0R0_EL2, v);
		break;
	case 1:
		if (g1)
			hyp_write_sysreg(HYP_SYS_ICH_AP1R1_EL2, v);
		else
			hyp_write_sysreg(HYP_SYS_ICH_AP0R1_EL2, v);
		break;
	case 2:
		if (g1)
			hyp_write_sysreg(HYP_SYS_ICH_AP1R2_EL2, v);
		else
			hyp_write_sysreg(HYP_SYS_ICH_AP0R2_EL2, v);
		break;
	default:
		if (g1)
			hyp_write_sysreg(HYP_SYS_ICH_AP1R3_EL2, v);
		else
			hyp_write_sysreg(HYP_SYS_ICH_AP0R3_EL2, v);
		break;
	}
}

static inline bool hw_v3(const struct hyp_vgic_hw *hw)
{
	return hw->type == HYP_VGIC_HW_V3;
}

static inline uint32_t gich_read(const struct hyp_vgic_hw *hw, unsigned off)
{
	return hyp_mmio_read32(hw->gich + off);
}

static inline void gich_write(const struct hyp_vgic_hw *hw, unsigned off, uint32_t v)
{
	hyp_mmio_write32(hw->gich + off, v);
}

/* The accessors with _k take the hardware's type as an argument (@v3:
 * GICv3 hardware), for the fast path that knows it at compile time. */
static inline uint64_t lr_read_k(const struct hyp_vgic_hw *hw, bool v3, unsigned i)
{
	return v3 ? ich_lr_read(i) : gich_read(hw, HYP_GICH_LR0 + 4 * i);
}

static inline void lr_write_k(const struct hyp_vgic_hw *hw, bool v3, unsigned i, uint64_t v)
{
	if (v3)
		ich_lr_write(i, v);
	else
		gich_write(hw, HYP_GICH_LR0 + 4 * i, (uint32_t)v);
}

static uint64_t lr_read(const struct hyp_vgic_hw *hw, unsigned i)
{
	return lr_read_k(hw, hw_v3(hw), i);
}

static void lr_write(const struct hyp_vgic_hw *hw, unsigned i, uint64_t v)
{
	lr_write_k(hw, hw_v3(hw), i, v);
}

/* At most 16 LRs are used, so the second GICv2 status word (LRs 32..63)
 * is never needed. */
static inline uint64_t elrsr_read_k(const struct hyp_vgic_hw *hw, bool v3)
{
	return v3 ? hyp_read_sysreg(HYP_SYS_ICH_ELRSR_EL2) : gich_read(hw, HYP_GICH_ELRSR0);
}

static uint64_t elrsr_read(const struct hyp_vgic_hw *hw)
{
	return elrsr_read_k(hw, hw_v3(hw));
}

static uint64_t eisr_read(const struct hyp_vgic_hw *hw)
{
	return hw_v3(hw) ? hyp_read_sysreg(HYP_SYS_ICH_EISR_EL2) : gich_read(hw, HYP_GICH_EISR0);
}

static uint64_t misr_read(const struct hyp_vgic_hw *hw)
{
	return hw_v3(hw) ? hyp_read_sysreg(HYP_SYS_ICH_MISR_EL2) : gich_read(hw, HYP_GICH_MISR);
}

static inline void hcr_write_k(const struct hyp_vgic_hw *hw, bool v3, uint32_t v)
{
	if (v3)
		hyp_write_sysreg(HYP_SYS_ICH_HCR_EL2, v);
	else
		gich_write(hw, HYP_GICH_HCR, v);
}

static void hcr_write(const struct hyp_vgic_hw *hw, uint32_t v)
{
	hcr_write_k(hw, hw_v3(hw), v);
}

static uint64_t vmcr_read(const struct hyp_vgic_hw *hw)
{
	return hw_v3(hw) ? hyp_read_sysreg(HYP_SYS_ICH_VMCR_EL2) : gich_read(hw, HYP_GICH_VMCR);
}

static void vmcr_write(const struct hyp_vgic_hw *hw, uint64_t v)
{
	if (hw_v3(hw))
		hyp_write_sysreg(HYP_SYS_ICH_VMCR_EL2, v);
	else
		gich_write(hw, HYP_GICH_VMCR, (uint32_t)v);
}

/* APRs of the vCPU: GICv3 per group by PREbits, for either guest model;
 * GICv2 hardware has the single GICH_APR (kept in ap1r[0]).
 *
 * Order: every ICH_AP0R<n>_EL2 before its ICH_AP1R<n>_EL2. The GICv3
 * specification (IHI 0069, ICH_AP1R<n>_EL2) makes any other write order
 * UNPREDICTABLE; Linux quotes the rule in commit fd451b90e78c ("arm64:
 * KVM: vgic-v3: Restore ICH_APR0Rn_EL2 before ICH_APR1Rn_EL2": "Writing
 * to the active priority registers in any order other than the following
 * order will result in UNPREDICTABLE behavior: - ICH_AP0R<n>_EL2.
 * - ICH_AP1R<n>_EL2.").
 *
 * A GICv2 guest on GICv3 hardware gets its AP0Rn switched too. The
 * architecture keeps such a guest's active priorities in ICH_AP1R<n>_EL2
 * "regardless of interrupt group" (GICV_APR<n>, Arm DDI 0601 / IHI 0069:
 * "When System register access is enabled for EL2, these registers access
 * ICH_AP1R<n>_EL2, and all active priorities for virtual machines are held
 * in ICH_AP1R<n>_EL2 regardless of interrupt group"), so its own AP0Rn
 * stay zero; but the virtual CPU interface's running priority is the
 * highest active priority of both groups (IHI 0069, ICV_RPR_EL1), and
 * ICH_AP0R<n>_EL2 still holds whatever the vCPU that ran here before left
 * in it (a GICv3 guest acknowledging Group 0 interrupts). Not writing it
 * would mask the legacy guest's interrupts below that stale priority; and
 * switching it costs 1 to 4 accesses at load and put, never on an exit. */
static void aprs_write(const struct hyp_vgic_vcpu *v, const struct hyp_vgic_hw *hw)
{
	unsigned n;

	if (!hw_v3(hw)) {
		gich_write(hw, HYP_GICH_APR, v->ap1r[0]);
		return;
	}
	/* Straight-line (nr_aprs is 1, 2 or 4): this runs at every load. */
	n = hw->nr_aprs;
	hyp_write_sysreg(HYP_SYS_ICH_AP0R0_EL2, v->ap0r[0]);
	if (n > 1)
		hyp_write_sysreg(HYP_SYS_ICH_AP0R1_EL2, v->ap0r[1]);
	if (n > 2) {
		hyp_write_sysreg(HYP_SYS_ICH_AP0R2_EL2, v->ap0r[2]);
		hyp_write_sysreg(HYP_SYS_ICH_AP0R3_EL2, v->ap0r[3]);
	}
	hyp_write_sysreg(HYP_SYS_ICH_AP1R0_EL2, v->ap1r[0]);
	if (n > 1)
		hyp_write_sysreg(HYP_SYS_ICH_AP1R1_EL2, v->ap1r[1]);
	if (n > 2) {
		hyp_write_sysreg(HYP_SYS_ICH_AP1R2_EL2, v->ap1r[2]);
		hyp_write_sysreg(HYP_SYS_ICH_AP1R3_EL2, v->ap1r[3]);
	}
}

static void aprs_read(struct hyp_vgic_vcpu *v, const struct hyp_vgic_hw *hw)
{
	unsigned n;

	if (!hw_v3(hw)) {
		v->ap1r[0] = gich_read(hw, HYP_GICH_APR);
		return;
	}
	n = hw->nr_aprs;
	v->ap0r[0] = (uint32_t)hyp_read_sysreg(HYP_SYS_ICH_AP0R0_EL2);
	if (n > 1)
		v->ap0r[1] = (uint32_t)hyp_read_sysreg(HYP_SYS_ICH_AP0R1_EL2);
	if (n > 2) {
		v->ap0r[2] = (uint32_t)hyp_read_sysreg(HYP_SYS_ICH_AP0R2_EL2);
		v->ap0r[3] = (uint32_t)hyp_read_sysreg(HYP_SYS_ICH_AP0R3_EL2);
	}
	v->ap1r[0] = (uint32_t)hyp_read_sysreg(HYP_SYS_ICH_AP1R0_EL2);
	if (n > 1)
		v->ap1r[1] = (uint32_t)hyp_read_sysreg(HYP_SYS_ICH_AP1R1_EL2);
	if (n > 2) {
		v->ap1r[2] = (uint32_t)hyp_read_sysreg(HYP_SYS_ICH_AP1R2_EL2);
		v->ap1r[3] = (uint32_t)hyp_read_sysreg(HYP_SYS_ICH_AP1R3_EL2);
	}
}

/* --- Boot-time description of the hardware */

int hyp_vgic_hw_init_v3(struct hyp_vgic_hw *hw)
{
	unsigned pre;

	if (!hw)
		return HYP_EINVAL;
	if (!hyp_cpufeat.finalized)
		return HYP_ESTATE;
	if (!hyp_cpu_has(HYP_CAP_GICV3) || hyp_cpu_idreg(HYP_REG_ICH_VTR_EL2) == 0)
		return HYP_ENOTSUP;
	/* ICH_VTR_EL2 (IHI 0069 ch. 12): ListRegs, PREbits and PRIbits are
	 * each the number minus one; 5 to 7 preemption bits exist. */
	pre = (unsigned)HYP_CPU_IDFIELD(ICH_VTR_EL2, PREbits) + 1;
	if (pre < 5 || pre > 7)
		return HYP_ENOTSUP;
	__builtin_memset(hw, 0, sizeof(*hw));
	hw->type = HYP_VGIC_HW_V3;
	hw->vtr = hyp_cpu_idreg(HYP_REG_ICH_VTR_EL2);
	hw->nr_lrs = (uint8_t)(HYP_CPU_IDFIELD(ICH_VTR_EL2, ListRegs) + 1);
	if (hw->nr_lrs > HYP_VGIC_MAX_LRS)
		hw->nr_lrs = HYP_VGIC_MAX_LRS;
	hw->pre_bits = (uint8_t)pre;
	hw->pri_bits = (uint8_t)(HYP_CPU_IDFIELD(ICH_VTR_EL2, PRIbits) + 1);
	hw->nr_aprs = (uint8_t)(1u << (pre - 5));
	return 0;
}

int hyp_vgic_hw_init_v2(struct hyp_vgic_hw *hw, uintptr_t gich, uint32_t vtr)
{
	unsigned lrs, pri, pre;

	if (!hw || !gich)
		return HYP_EINVAL;
	/* Read once, at boot (IHI 0048B 5.3, GICH_VTR): ListRegs [5:0],
	 * PREbits [28:26], PRIbits [31:29], each minus one. */
	if (!vtr)
		vtr = hyp_mmio_read32(gich + HYP_GICH_VTR);
	lrs = (vtr & 0x3fu) + 1;
	pre = ((vtr >> 26) & 7u) + 1;
	pri = ((vtr >> 29) & 7u) + 1;
	__builtin_memset(hw, 0, sizeof(*hw));
	hw->type = HYP_VGIC_HW_V2;
	hw->gich = gich;
	hw->vtr = vtr;
	hw->nr_lrs = (uint8_t)(lrs > HYP_VGIC_MAX_LRS ? HYP_VGIC_MAX_LRS : lrs);
	/* A GICH_LR carries priority[7:3] only: 5 bits at most reach the
	 * guest, whatever GICH_VTR says. */
	hw->pri_bits = (uint8_t)(pri > 5 ? 5 : pri);
	hw->pre_bits = (uint8_t)(pre > 5 ? 5 : pre);
	hw->nr_aprs = 1;
	return 0;
}

int hyp_vgic_cpu_init(const struct hyp_vgic_hw *hw)
{
	if (!hw || hw->nr_lrs == 0 || hw->nr_aprs == 0)
		return HYP_EINVAL;
	hcr_write(hw, 0);
	for (unsigned i = 0; i < hw->nr_lrs; i++)
		lr_write(hw, i, 0);
	if (hw_v3(hw)) {
		for (unsigned i = 0; i < hw->nr_aprs; i++) {
			ich_apr_write(false, i, 0);
			ich_apr_write(true, i, 0);
		}
	} else {
		gich_write(hw, HYP_GICH_APR, 0);
	}
	return 0;
}

/* --- LR encoding */

struct lr_fields {
	bool pending, active, eoi, hw;
	unsigned cpuid;
};

static inline __attribute__((always_inline)) uint64_t
lr_make(bool v3, bool v2m, const struct hyp_vgic_irq *irq, const struct lr_fields *f)
{
	uint64_t v;

	if (v3) {
		/* IHI 0069 ch. 12, ICH_LR<n>_EL2. A GICv2 guest's SGI carries
		 * its source in vINTID[12:10], as GICH_LR does. */
		v = irq->intid | (uint64_t)irq->priority << HYP_ICH_LR_PRIO_SHIFT;
		if (v2m && vgic_is_sgi(irq->intid))
			v |= (uint64_t)f->cpuid << HYP_GICH_LR_CPUID_SHIFT;
		if (irq->group1)
			v |= HYP_ICH_LR_GROUP;
		if (f->hw)
			v |= HYP_ICH_LR_HW | (uint64_t)irq->hwintid << HYP_ICH_LR_PINTID_SHIFT;
		else if (f->eoi)
			v |= HYP_ICH_LR_EOI;
		if (f->pending)
			v |= HYP_ICH_LR_PENDING;
		if (f->active)
			v |= HYP_ICH_LR_ACTIVE;
		return v;
	}
	/* IHI 0048B 5.3, GICH_LRn. */
	v = (irq->intid & HYP_GICH_LR_VID_MASK) | (uint64_t)(irq->priority >> 3)
						      << HYP_GICH_LR_PRIO_SHIFT;
	if (vgic_is_sgi(irq->intid))
		v |= (uint64_t)f->cpuid << HYP_GICH_LR_CPUID_SHIFT;
	if (irq->group1)
		v |= HYP_GICH_LR_GRP1;
	if (f->hw)
		v |= HYP_GICH_LR_HW | (uint64_t)(irq->hwintid & 0x3ffu) << HYP_GICH_LR_PID_SHIFT;
	else if (f->eoi)
		v |= HYP_GICH_LR_EOI;
	if (f->pending)
		v |= HYP_GICH_LR_PENDING;
	if (f->active)
		v |= HYP_GICH_LR_ACTIVE;
	return v;
}

static void lr_decode(const struct hyp_vgic_hw *hw, uint64_t v, struct lr_fields *f)
{
	if (hw_v3(hw)) {
		f->pending = v & HYP_ICH_LR_PENDING;
		f->active = v & HYP_ICH_LR_ACTIVE;
	} else {
		f->pending = v & HYP_GICH_LR_PENDING;
		f->active = v & HYP_GICH_LR_ACTIVE;
	}
	f->cpuid = (unsigned)(v >> HYP_GICH_LR_CPUID_SHIFT) & 7u;
}

static inline uint64_t lr_invalid_k(bool v3, uint64_t v)
{
	return v & ~(v3 ? HYP_ICH_LR_PENDING | HYP_ICH_LR_ACTIVE
			: (uint64_t)(HYP_GICH_LR_PENDING | HYP_GICH_LR_ACTIVE));
}

static uint64_t lr_invalid(const struct hyp_vgic_hw *hw, uint64_t v)
{
	return lr_invalid_k(hw_v3(hw), v);
}

/* --- Entry: fill LRs from the list */

/* Drop what is no longer deliverable, move SPIs whose route changed, sort. */
static void prune(struct hyp_vgic_vcpu *vcpu)
{
	struct hyp_vgic *vm = vcpu->vm;
	struct hyp_vgic_irq **pp = &vcpu->list;

	while (*pp) {
		struct hyp_vgic_irq *irq = *pp;
		struct hyp_vgic_vcpu *t = vcpu;

		if (vgic_deliverable(vm, irq) && !irq->active && !irq->owner)
			t = hyp__vgic_route(vm, irq);
		if (vgic_deliverable(vm, irq) && t == vcpu) {
			pp = &irq->next;
			continue;
		}
		*pp = irq->next;
		irq->next = NULL;
		irq->vcpu = NULL;
		if (t && t != vcpu)
			hyp__vgic_update(vm, irq);
	}
	hyp__vgic_list_sort(vcpu);
}

/* LR contents for @irq, consuming the pending state the LR now holds.
 * Inlined into the fast path (hyp__vgic_lr_inject()); present() is the
 * out-of-line copy for the entry path. */
static inline __attribute__((always_inline)) uint64_t
present_inl(struct hyp_vgic *vm, struct hyp_vgic_irq *irq, bool v3, bool v2m)
{
	struct lr_fields f = {0};

	f.active = irq->active;
	/* HW = 1: never pending and active. The physical interrupt is active
	 * until the guest deactivates this one, so a second pending state
	 * cannot come from it; the latch waits in memory for the next entry
	 * after the deactivation (Linux, virt/kvm/arm/vgic/vgic-v3.c,
	 * vgic_v3_populate_lr(): "Never set pending+active on a HW interrupt,
	 * as the pending state is kept at the physical distributor level"). */
	f.pending = vgic_pending_k(v2m, irq) && irq->enabled && vgic_group_enabled(vm, irq) &&
		    !(irq->hw && irq->active);
	f.hw = irq->hw;
	if (v2m && vgic_is_sgi(irq->intid)) {
		/* One source at a time: the LR's CPUID names it. If more wait,
		 * ask for an EOI maintenance interrupt to present the next. */
		if (f.active) {
			f.cpuid = irq->active_source;
			f.pending = false;
		} else if (f.pending) {
			f.cpuid = (unsigned)__builtin_ctz(irq->sources);
			irq->sources &= (uint8_t) ~(1u << f.cpuid);
		}
		f.eoi = irq->sources != 0;
	} else if (f.pending) {
		if (!irq->level || irq->hw) {
			irq->latch = false; /* the edge now lives in the LR */
		} else if (vm->ops->resample) {
			f.eoi = true;
			/* issue 15 (vtimer): a resampled level interrupt is
			 * never pending and active. Its source (a guest timer)
			 * can drop the line without an exit; pending+active
			 * becomes pending at the guest's EOI, which raises no
			 * EOI maintenance (the LR is not invalid), so the stale
			 * level would be taken again. Active alone, with EOI:
			 * the deactivation is a maintenance interrupt and the
			 * level is resampled then. */
			f.pending = !f.active;
		}
	}
	irq->lr_pending = f.pending;
	return lr_make(v3, v2m, irq, &f);
}

static uint64_t present(struct hyp_vgic *vm, struct hyp_vgic_irq *irq)
{
	return present_inl(vm, irq, hw_v3(vm->hw), vgic_is_v2(vm));
}

static void flush(struct hyp_vgic_vcpu *vcpu)
{
	struct hyp_vgic *vm = vcpu->vm;
	const struct hyp_vgic_hw *hw = vm->hw;
	unsigned n = 0;
	uint32_t hcr = HYP_VGIC_HCR_EN | vm->hcr_traps;

	vcpu->used_lrs = 0;
	vcpu->eoi_lrs = 0;
	if (!vcpu->list)
		return;
	prune(vcpu);
	for (struct hyp_vgic_irq *irq = vcpu->list; irq; irq = irq->next) {
		uint64_t v;

		if (n == hw->nr_lrs) {
			/* More than fit: come back when at most one LR is
			 * still valid (UIE); with a single LR, when it is
			 * EOI'd, or at least when it is no longer pending. */
			VGIC_STAT(vcpu->stats.overflows);
			if (hw->nr_lrs > 1) {
				hcr |= HYP_VGIC_HCR_UIE;
			} else if (!vcpu->lr_irq[0]->hw) {
				vcpu->lr[0] |= hw_v3(hw) ? HYP_ICH_LR_EOI : HYP_GICH_LR_EOI;
				vcpu->eoi_lrs |= 1;
			} else {
				hcr |= HYP_VGIC_HCR_NPIE;
			}
			break;
		}
		v = present(vm, irq);
		vcpu->lr[n] = v;
		vcpu->lr_irq[n] = irq;
		irq->in_lr = true;
		irq->lr = (uint8_t)n;
		if (!irq->hw && (v & (hw_v3(hw) ? HYP_ICH_LR_EOI : HYP_GICH_LR_EOI)))
			vcpu->eoi_lrs |= (uint16_t)(1u << n);
		n++;
	}
	vcpu->used_lrs = (uint16_t)((1u << n) - 1);
	vcpu->hcr = hcr;
	VGIC_STAT_ADD(vcpu->stats.delivered, n);
}

/* --- Exit: fold LRs back */

static void fold(struct hyp_vgic_vcpu *vcpu, unsigned i, uint64_t v)
{
	struct hyp_vgic *vm = vcpu->vm;
	struct hyp_vgic_irq *irq = vcpu->lr_irq[i];
	struct lr_fields f;
	bool eoied;

	if (!irq)
		return; /* emptied by hyp__vgic_lr_resync(): nothing of it to fold */
	lr_decode(vm->hw, v, &f);
	eoied = !f.pending && !f.active;
	/* Changes a guest made (on another CPU) while this LR held it win
	 * over the LR's stale state. */
	if (irq->lr_override & VGIC_LR_CLEAR_PENDING)
		f.pending = false;
	if (irq->lr_override & VGIC_LR_CLEAR_ACTIVE)
		f.active = false;
	if (irq->lr_override & VGIC_LR_SET_ACTIVE)
		f.active = true;
	irq->lr_override = 0;
	irq->in_lr = false;
	irq->active = f.active;
	if (vgic_v2_sgi(vm, irq)) {
		if (f.pending)
			irq->sources |= (uint8_t)(1u << f.cpuid);
		if (f.active)
			irq->active_source = (uint8_t)f.cpuid;
	} else if (!irq->level || irq->hw) {
		/* Not yet acknowledged: the edge goes back to the latch. */
		if (f.pending)
			irq->latch = true;
	} else if (!f.pending && irq->lr_pending) {
		/* Acknowledged: a software-pended level interrupt is done. An
		 * LR written active only (pended by ISPENDR while active and
		 * not deliverable, or a resampled one) was never acknowledged:
		 * its pending state stays until an acknowledge or ICPENDR
		 * (IHI 0069 4.1.1). */
		irq->latch = false;
	}
	if (((vcpu->eoi_lrs >> i) & 1) && eoied) {
		VGIC_STAT(vcpu->stats.eois);
		if (irq->level && !irq->hw && vm->ops->resample)
			irq->line = vm->ops->resample(vcpu, irq->intid, vm->ctx);
	}
}

/* --- An emulated distributor write to an interrupt in a live LR
 *
 * While a vCPU is in the guest its LRs live in hardware, and the copy in
 * memory is what was written at entry. A guest write that changes the
 * pending or active state of an interrupt one of its own LRs holds
 * (GICD_ICPENDR, ICACTIVER, ISACTIVER, ISPENDR, GICR_*0, GICv2
 * CPENDSGIR/SPENDSGIR), emulated on the trap path before the vCPU's exit
 * is folded, would otherwise be undone by that fold: the stale LR says
 * "pending" over a cleared pending state. So the LR is read back and
 * folded first, the write applied, and the interrupt presented again in
 * the same LR (or the LR emptied): one LR read and one LR write. The
 * trap is handled on the vCPU's own CPU, so its LRs are this CPU's. */

int hyp__vgic_lr_sync(struct hyp_vgic_vcpu *self, struct hyp_vgic_irq *irq)
{
	unsigned i = irq->lr;
	uint64_t v;

	if (!self || !self->in_guest || !irq->in_lr || irq->vcpu != self || i >= HYP_VGIC_MAX_LRS ||
	    !((self->used_lrs >> i) & 1) || self->lr_irq[i] != irq)
		return -1;
	v = lr_read(self->vm->hw, i);
	self->lr[i] = v;
	fold(self, i, v);
	return (int)i;
}

void hyp__vgic_lr_resync(struct hyp_vgic_vcpu *self, struct hyp_vgic_irq *irq, int lr)
{
	struct hyp_vgic *vm = self->vm;
	const struct hyp_vgic_hw *hw = vm->hw;
	unsigned i = (unsigned)lr;
	uint64_t v = 0;

	self->eoi_lrs &= (uint16_t) ~(1u << i);
	if (vgic_deliverable(vm, irq) && irq->vcpu == self) {
		v = present(vm, irq);
		irq->in_lr = true;
		irq->lr = (uint8_t)i;
		if (!irq->hw && (v & (hw_v3(hw) ? HYP_ICH_LR_EOI : HYP_GICH_LR_EOI)))
			self->eoi_lrs |= (uint16_t)(1u << i);
	} else {
		/* No longer worth an LR: empty it; the next entry prunes the
		 * interrupt from the list (or routes it elsewhere). */
		self->lr_irq[i] = NULL;
	}
	self->lr[i] = v;
	lr_write(hw, i, v);
}

/* --- A fast-path handler made an interrupt deliverable for its own vCPU
 *
 * The vCPU is in the guest on this CPU, its LRs live: rather than a full
 * fold and refill (hyp_vgic_save() + hyp_vgic_restore(): ELRSR, every used
 * LR read and wiped, the list pruned and sorted, every LR written again),
 * one LR is written, after at most one ELRSR read:
 * - an interrupt already in one of its LRs gets that LR again. ELRSR says
 *   whether the guest is done with it: State == 0 and (HW == 1 or
 *   EOI == 0) (IHI 0069 ch. 12, ICH_ELRSR_EL2; IHI 0048B 5.3, GICH_ELRSRn),
 *   so the LR is known invalid and folded from the copy in memory without
 *   reading it, as hyp_vgic_save() does. Only an LR ELRSR does not list
 *   (still pending or active, or EOI'd with the EOI bit) is read back.
 * - a new interrupt takes the first LR above the used-LR mask (nothing
 *   read); when every LR is used, ELRSR names one the guest is done with,
 *   which is folded (from memory) and reused. The used LRs stay LRs
 *   0..k-1 (hyp_vgic_save() walks them up to the first unused one).
 * The LR order carries no priority (the CPU interface presents the
 *   highest-priority pending LR whatever its index, IHI 0069 4.8 / IHI
 *   0048B 5.3.2). What it must respect is which interrupts hold LRs: when
 *   an overflow left interrupts waiting for an LR (a maintenance request
 *   is set), or an earlier delivery found no LR (the vCPU is marked for
 *   hyp_vgic_refresh()), a free LR must go to the best of the waiting
 *   ones, not to this one: that is hyp_vgic_refresh()'s job. */

/* The LR @i, known from ELRSR to be empty: the guest is done with what it
 * held (acknowledged and deactivated, or never taken but cleared by the
 * hypervisor). Fold the copy in memory with its state cleared. */
static inline __attribute__((always_inline)) void fold_empty(struct hyp_vgic_vcpu *v, unsigned i,
							     bool v3, bool v2m)
{
	struct hyp_vgic_irq *irq = v->lr_irq[i];

	if (__builtin_expect(irq->lr_override || ((v->eoi_lrs >> i) & 1), 0)) {
		v->lr[i] = lr_invalid_k(v3, v->lr[i]);
		fold(v, i, v->lr[i]);
		v->eoi_lrs &= (uint16_t) ~(1u << i);
		return;
	}
	/* fold() of a value with State 0, without overrides or an EOI
	 * request: neither pending nor active; a software-pended level
	 * interrupt is done (its latch cleared), an edge's latch stays as
	 * it is (set again if it was re-pended since). The memory copy of
	 * the LR is rewritten by the caller. */
	irq->in_lr = false;
	irq->active = false;
	if (irq->level && !irq->hw && irq->lr_pending && !(v2m && vgic_is_sgi(irq->intid)))
		irq->latch = false;
}

/* The common refill (a kick for an SGI the guest took and deactivated
 * before it came again; the self-SGI loop alike): @irq holds LR @i, which
 * ELRSR lists as empty, and is pending (an edge's latch; a GICv2 SGI's
 * sources), not hardware-backed, enabled in an enabled group, without an
 * override or an EOI request on the LR. Then fold_empty() would only
 * clear its active state, and present_inl() find it deliverable, pending
 * and not active, consume the latch (or the lowest source, asking for an
 * EOI if more wait) and write no EOI request otherwise: that is done
 * here, into @f, for lr_make(). Returns false, having changed nothing,
 * otherwise. */
static inline __attribute__((always_inline)) bool
lr_repend(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq, unsigned i, bool v2m,
	  struct lr_fields *f)
{
	if (irq->hw || irq->lr_override || !irq->enabled || !vgic_group_enabled(v->vm, irq) ||
	    ((v->eoi_lrs >> i) & 1))
		return false;
	if (v2m && vgic_is_sgi(irq->intid)) {
		if (!irq->sources)
			return false;
		f->cpuid = (unsigned)__builtin_ctz(irq->sources);
		irq->sources &= (uint8_t) ~(1u << f->cpuid);
		f->eoi = irq->sources != 0;
	} else {
		if (!irq->latch || irq->level)
			return false;
		irq->latch = false; /* the edge now lives in the LR */
	}
	f->pending = true;
	irq->active = false;
	irq->lr_pending = true;
	return true;
}

/* @busy: the caller read ELRSR and found @irq's own LR not listed (still
 * pending or active): it is read back without reading ELRSR again. */
static inline __attribute__((always_inline)) bool
lr_inject(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq, bool v3, bool v2m, bool busy)
{
	struct hyp_vgic *vm = v->vm;
	const struct hyp_vgic_hw *hw = vm->hw;
	uint64_t eoi = v3 ? HYP_ICH_LR_EOI : HYP_GICH_LR_EOI;
	unsigned i;
	uint64_t lr;

	if (vm->save_all)
		return false;
	if (irq->in_lr) {
		/* Its own LR (hyp__vgic_lr_sync()'s conditions): fold what the
		 * guest did with it, present it again below. */
		i = irq->lr;
		if (irq->vcpu != v || i >= hw->nr_lrs || !((v->used_lrs >> i) & 1) ||
		    v->lr_irq[i] != irq)
			return false; /* an LR of another vCPU, or not live */
		if (!busy && ((elrsr_read_k(hw, v3) >> i) & 1)) {
			struct lr_fields f = {0};

			if (__builtin_expect(lr_repend(v, irq, i, v2m, &f), 1)) {
				/* fold_empty() then present_inl() of a pending
				 * interrupt the guest is done with, in one. */
				lr = lr_make(v3, v2m, irq, &f);
				goto write;
			}
			fold_empty(v, i, v3, v2m);
		} else {
			lr = lr_read_k(hw, v3, i);
			v->lr[i] = lr;
			fold(v, i, lr);
			v->eoi_lrs &= (uint16_t) ~(1u << i);
		}
		if (!vgic_deliverable_k(vm, v2m, irq)) {
			/* Folding ended it: empty the LR (the next entry
			 * prunes it), as vgic_lr_resync() does. */
			v->lr_irq[i] = NULL;
			v->lr[i] = 0;
			lr_write_k(hw, v3, i, 0);
			return true;
		}
	} else {
		if (v->refresh)
			return false; /* an earlier interrupt waits for an LR */
		if (!v->used_lrs)
			v->hcr = HYP_VGIC_HCR_EN | vm->hcr_traps; /* the entry had no list */
		else if (v->hcr & HYP_VGIC_HCR_MAINT_MASK)
			return false; /* interrupts wait for an LR */
		i = (unsigned)__builtin_ctz(~(unsigned)v->used_lrs);
		if (i < hw->nr_lrs) {
			v->used_lrs |= (uint16_t)(1u << i);
		} else {
			/* Every LR used: one the guest is done with. */
			uint64_t empty = elrsr_read_k(hw, v3) & v->used_lrs;

			if (!empty)
				return false;
			i = (unsigned)__builtin_ctzll(empty);
			if (v->lr_irq[i])
				fold_empty(v, i, v3, v2m);
			else
				v->eoi_lrs &= (uint16_t) ~(1u << i);
		}
		v->lr_irq[i] = irq;
		VGIC_STAT(v->stats.delivered);
	}
	lr = present_inl(vm, irq, v3, v2m);
write:
	v->lr[i] = lr;
	irq->in_lr = true;
	irq->lr = (uint8_t)i;
	if (!irq->hw && (lr & eoi))
		v->eoi_lrs |= (uint16_t)(1u << i);
	/* LR0 first: the LR a lone interrupt gets (the free LR taken is the
	 * lowest), one compare instead of the switch's call. */
	if (v3 && __builtin_expect(i == 0, 1))
		hyp_write_sysreg(HYP_SYS_ICH_LR0_EL2, lr);
	else
		lr_write_k(hw, v3, i, lr);
	if (v->hw_hcr != v->hcr) {
		hcr_write_k(hw, v3, v->hcr);
		v->hw_hcr = v->hcr;
	}
	VGIC_STAT(v->lr_injected);
	return true;
}

bool hyp__vgic_lr_inject(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq)
{
	return lr_inject(v, irq, hw_v3(v->vm->hw), vgic_is_v2(v->vm), false);
}

/* A GICv3 VM runs on GICv3 hardware only (hyp_vgic_init()). */
bool hyp__vgic_lr_inject_v3(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq)
{
	return lr_inject(v, irq, true, false, false);
}

bool hyp__vgic_lr_inject_v2(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq)
{
	return lr_inject(v, irq, false, true, false);
}

/* --- hyp_vgic_sgi_direct(): ICC_SGI1R_EL1 as a direct trap handler
 *
 * The inline path is vgic_sgi_own() followed by lr_inject() for the one
 * case a guest's self-IPI loop meets every time: the SGI is held by its
 * own LR, which ELRSR lists as empty (taken and deactivated). Every check
 * that does not need hardware comes first, so that whatever fails goes to
 * the general path having touched nothing; only then ELRSR. */

/* Everything but the inline path: hyp_vgic_sgi_trap() with the access
 * rebuilt, then what a direct handler must do itself (the skip or the
 * UNDEF, and the refresh the integrator would otherwise do). */
static __attribute__((noinline, cold)) int sgi_direct_slow(struct hyp_vcpu *vcpu, uint64_t esr,
							   uint64_t val)
{
	struct hyp_vgic_vcpu *src = vcpu->vgic;
	unsigned op2 = (unsigned)(esr >> 17) & 7u;

	/* hyp_vgic_sgi_trap()'s checks, the register told by Op2 [19:17]
	 * (ICC_SGI1R_EL1 5, ICC_ASGI1R_EL1 6, ICC_SGI0R_EL1 7: the entries
	 * this handler is registered for). */
	if (!src || !src->vm)
		return HYP_FAST_EXIT;
	if ((esr & 1u) || vgic_is_v2(src->vm) || op2 < 5)
		return hyp_sysreg_direct_undef(vcpu);
	(void)hyp__vgic_sgi_write(src->vm, src, val, op2 == 5);
	if (src->refresh)
		(void)hyp_vgic_refresh(src);
	return hyp_sysreg_direct_done(vcpu, esr);
}

/* The inline path's checks passed but ELRSR does not list the LR (the
 * guest has not finished with the previous SGI): the LR is read back and
 * folded (lr_inject() told that ELRSR was read), then presented again. */
static __attribute__((noinline, cold)) int sgi_direct_busy(struct hyp_vcpu *vcpu, uint64_t esr,
							   struct hyp_vgic_vcpu *v,
							   struct hyp_vgic_irq *irq)
{
	irq->latch = true;
	VGIC_STAT(v->vm->stats.sgis);
	if (!lr_inject(v, irq, true, false, true))
		v->refresh = true;
	if (v->refresh)
		(void)hyp_vgic_refresh(v);
	return hyp_sysreg_direct_done(vcpu, esr);
}

/* An ICC_SGI1R_EL1 write naming one other vCPU (issue 15: each wake-up
 * of a cross-CPU ping-pong): hyp_vgic_sgi_trap()'s general path for it,
 * hyp__vgic_sgi_write(), sgi_v3_route(), sgi_to(), hyp__vgic_sgi_pend(),
 * hyp__vgic_update() and hyp__vgic_kick(), in one function that knows
 * what they find out. Taken in a VM with hyp_vgic::sgi_cross (a GICv3
 * VM with the default affinities, not save_all; lock hooks allowed), for
 * an MSR to ICC_SGI1R_EL1 (either group: no group check) with IRM 0, RS
 * 0, Aff3 0 and one TargetList bit, naming a vCPU of the VM other than
 * the sender: vCPU 4096 Aff2 + 16 Aff1 + the bit (sgi_v3_route()'s
 * arithmetic). Under the VM lock, as before: the SGI's latch set, queued
 * on its owner's list if on none (a private interrupt is on its owner's
 * list or on none), and its owner kicked as hyp__vgic_kick() does, with
 * one difference: hyp_vgic_ops::local is not asked. This CPU runs the
 * sender (it handles the sender's trap), and a CPU runs one vCPU at a
 * time, so the target's interface is not this CPU's: local would say
 * false. Touches no hardware (neither did the general path); the
 * sender's own state is not touched. Anything else: the general path,
 * nothing changed. */
/* The SGI @irq of @t, a vCPU of @vm other than the sender, made pending
 * under the VM lock, queued and its owner kicked (vgic_sgi_other()). */
static inline __attribute__((always_inline)) void
sgi_other_send(struct hyp_vgic *vm, struct hyp_vgic_vcpu *t, struct hyp_vgic_irq *irq)
{
	/* The hooks and their argument are fixed at hyp_vgic_init(): read
	 * once, not again after each call. */
	const struct hyp_vgic_ops *ops = vm->ops;
	void *ctx = vm->ctx;

	if (ops->lock)
		ops->lock(vm, ctx);
	irq->latch = true;
	VGIC_STAT(vm->stats.sgis);
	/* Pending now (an SGI is edge-triggered: its latch is its pending
	 * state, vgic_pending_k()): queued and its owner kicked if
	 * deliverable. */
	vgic_sgi_other(vm, ops, ctx, t, irq);
	if (ops->unlock)
		ops->unlock(vm, ctx);
}

/* @src: @vcpu's vGIC vCPU (hyp_vcpu::vgic), of a VM with the path
 * (hyp_vgic::sgi_cross): the caller checks that before the call, so
 * that a VM without it (save_all) goes to the general path at once.
 * Everything that needs the sender is done before the lock (a sender
 * marked for a refresh is refreshed; the vector's early call,
 * HYP_ESR_EARLY, completes the MSR itself, any other caller has it
 * completed before the lock), so that only the target, its SGI, the
 * hooks and the resume live across the hook calls (a smaller frame). */
static __attribute__((noinline)) int sgi_direct_other(struct hyp_vcpu *vcpu, uint64_t esr,
						      uint64_t val, struct hyp_vgic_vcpu *src)
{
	struct hyp_vgic *vm = src->vm;
	unsigned m = (unsigned)val & 0xffffu, i;
	/* The lowest TargetList bit (16 if none). "One bit" is m >> b == 1:
	 * written as m && !(m & (m - 1)), clang makes it a population count,
	 * which without NEON (-mgeneral-regs-only) is a dozen instructions. */
	unsigned b = (unsigned)__builtin_ctz(m | 0x10000u);
	struct hyp_vgic_vcpu *t;
	struct hyp_vgic_irq *irq;
	int ret;

	/* An MSR to ICC_SGI1R_EL1; IRM [40], RS [47:44], Aff3 [55:48]
	 * clear; one target bit. */
	if (__builtin_expect((esr & (7u << 17 | 1u)) != 5u << 17 ||
				 (val & 0x00fff10000000000ull) || m >> b != 1,
			     0))
		return sgi_direct_slow(vcpu, esr, val);
	i = (unsigned)((val >> 16) & 0xff) * 16 + (unsigned)((val >> 32) & 0xff) * 4096 + b;
	if (__builtin_expect(i >= vm->nr_vcpus, 0))
		return sgi_direct_slow(vcpu, esr, val);
	t = &vm->vcpus[i];
	__asm__("" : "+r"(t)); /* kept, not computed again after the calls */
	if (__builtin_expect(t == src, 0))
		return sgi_direct_slow(vcpu, esr, val);
	irq = &t->priv[(val >> 24) & 0xfu];
	__asm__("" : "+r"(irq)); /* one address, kept across the hook calls */
	/* A sender marked for a refresh (an interrupt of its own waits for
	 * an LR: a timer raised by the integrator before this call) is
	 * refreshed now rather than after the send: the send does not touch
	 * it, and then nothing of the sender lives across the hooks. */
	if (__builtin_expect(src->refresh, 0))
		(void)hyp_vgic_refresh(src);
	/* The vector code's early call completes the MSR itself
	 * (hyp_sysreg_direct_done()'s first test, without the call); any
	 * other caller (hyp_sysreg_trap_direct(): a trap the vector's cache
	 * missed, frequent in a guest that traps other registers too) has it
	 * completed here, before the lock: nothing the hooks do reads
	 * ELR_EL2 or SPSR_EL2. */
	ret = HYP_FAST_RESUME_SKIP;
	if (!(esr & HYP_ESR_EARLY))
		/* hyp_sysreg_direct_done() of an MSR, inline for a live
		 * AArch64 vCPU: an MSR reloads no register of X19..X29. */
		ret = vgic_skip_live_a64(vcpu) ? HYP_FAST_RESUME_X0_X18
					       : hyp_sysreg_direct_done(vcpu, esr);
	sgi_other_send(vm, t, irq);
	return ret;
}

int hyp_vgic_sgi_direct(struct hyp_vcpu *vcpu, uint64_t esr, uint64_t *xt, void *ctx)
{
	struct hyp_vgic_vcpu *v = vcpu->vgic;
	uint64_t val = *xt;
	struct hyp_vgic_irq *irq;
	uint64_t sgi; /* 64 bits: one extraction for the address and the LR */
	unsigned i;
	uint64_t lr;
	struct hyp_vgic *vm;
	bool g1;

	(void)ctx;
	/* To the requester alone, in a VM that qualifies (sgi1r_fast, set at
	 * init); an MSR (ISS bit 0, Direction, clear) to ICC_SGI1R_EL1 (Op2
	 * [19:17] = 5: Arm ARM D24.2.46; ICC_SGI1R_EL1 is op0 3, op1 0, CRn
	 * 12, CRm 11, op2 5), which reaches SGIs of either group. The value
	 * with its INTID [27:24] masked off is compared whole (one AND with
	 * a logical immediate; SGI1R_ROUTE needs a MOV and a MOVK): a value
	 * with a RES0 bit set takes the general path, which ignores them. */
	if (__builtin_expect(!v || (val & ~(0xfull << 24)) != v->sgi1r_fast ||
				 (esr & (7u << 17 | 1u)) != 5u << 17,
			     0))
		return v && v->vm && v->vm->sgi_cross ? sgi_direct_other(vcpu, esr, val, v)
						      : sgi_direct_slow(vcpu, esr, val);
	sgi = (val >> 24) & 0xfu;
	irq = &v->priv[sgi];
	__asm__("" : "+r"(irq)); /* one address, not a multiply at each use */
	i = irq->lr;
	/* Its own LR holds it: a private interrupt in an LR is on its
	 * owner's list, lr_irq[] names it, and the vCPU is in the guest
	 * (in_lr is set by the entry, hyp_vgic_restore(), and cleared by the
	 * fold at the exit; while an LR is used the HCR the entry or
	 * lr_inject() wrote is the one wanted: hw_hcr == hcr). No EOI
	 * request nor another CPU's override to apply at the fold; enabled
	 * in an enabled group (so deliverable once pending). */
	if (__builtin_expect(!irq->in_lr || v->lr_irq[i] != irq || irq->lr_override ||
				 ((v->eoi_lrs >> i) & 1) || !irq->enabled ||
				 !vgic_group_enabled(v->vm, irq),
			     0))
		return sgi_direct_slow(vcpu, esr, val);
	/* Read before ELRSR: the MRS is a compiler barrier, which made
	 * clang load them again after it. */
	vm = v->vm;
	g1 = irq->group1;
	if (__builtin_expect(!((hyp_read_sysreg(HYP_SYS_ICH_ELRSR_EL2) >> i) & 1), 0))
		return sgi_direct_busy(vcpu, esr, v, irq);
	/* fold_empty() of an edge without EOI: neither pending nor active;
	 * then present_inl(): pending, the edge now in the LR (the latch set
	 * by the SGI and consumed at once). The LR as lr_make() builds it
	 * (vINTID = the SGI, no HW, no EOI), the group bit without a branch. */
	irq->active = false;
	irq->latch = false;
	VGIC_STAT(vm->stats.sgis);
	lr = sgi | (uint64_t)irq->priority << HYP_ICH_LR_PRIO_SHIFT |
	     (uint64_t)g1 * HYP_ICH_LR_GROUP | HYP_ICH_LR_PENDING;
	v->lr[i] = lr;
	VGIC_STAT(v->lr_injected);
	/* LR0 first: the LR a lone pending interrupt gets (lr_inject()
	 * takes the lowest free one), one CBNZ instead of the switch's
	 * range check. */
	if (__builtin_expect(i == 0, 1))
		hyp_write_sysreg(HYP_SYS_ICH_LR0_EL2, lr);
	else
		ich_lr_write_inl(i, lr);
	/* The vector code's early call completes the MSR itself
	 * (hyp_sysreg_direct_done()'s first test, without the call). */
	if (__builtin_expect(esr & HYP_ESR_EARLY, 1))
		return HYP_FAST_RESUME_SKIP;
	return hyp_sysreg_direct_done(vcpu, esr);
}

/* hyp__vgic_v2_sgir_self(): every way out but the inline one is a tail
 * call to one of these (cold), so that the inline path needs no frame. */

/* A vCPU marked for a refresh: refreshed; then the skip. */
static __attribute__((noinline, cold)) int v2_sgir_self_done(struct hyp_vcpu *vcpu,
							     struct hyp_vgic_vcpu *v)
{
	if (v->refresh)
		(void)hyp_vgic_refresh(v);
	hyp_vcpu_skip_insn(vcpu);
	return HYP_FAST_RESUME_X0_X18;
}

/* ELRSR does not list the SGI's LR (still pending or active): read back
 * and folded, ELRSR known; then as the inline path. */
static __attribute__((noinline, cold)) int
v2_sgir_self_busy(struct hyp_vcpu *vcpu, struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq)
{
	irq->sources = (uint8_t)(1u << v->idx);
	VGIC_STAT(v->vm->stats.sgis);
	if (!lr_inject(v, irq, false, true, true))
		v->refresh = true;
	VGIC_STAT(v->vm->stats.mmio);
	return v2_sgir_self_done(vcpu, v);
}

int hyp__vgic_v2_sgir_self(struct hyp_vcpu *vcpu, struct hyp_vgic_vcpu *v, uint32_t val)
{
	const uint64_t clr = HYP_PSR_SS | HYP_PSR_BTYPE_MASK;
	struct hyp_vgic *vm = v->vm;
	const struct hyp_vgic_hw *hw = vm->hw;
	unsigned sgi = val & 0xfu;
	struct hyp_vgic_irq *irq = &v->priv[sgi];
	uintptr_t gich;
	uint64_t lr, spsr;
	unsigned i;

	__asm__("" : "+r"(irq)); /* one address, not a multiply at each use */
	i = irq->lr;
	/* As hyp_vgic_sgi_direct(): its own LR holds it, no EOI request nor
	 * override, its group enabled (GICv2 SGIs are always enabled, and
	 * checked anyway); and no other source waiting (the LR's CPUID will
	 * name this one, IHI 0048B 5.3 GICH_LRn), the hardware a GICv2.
	 * Anything else: the distributor's write (nothing changed yet). */
	if (__builtin_expect(hw->type != HYP_VGIC_HW_V2 || !irq->in_lr || v->lr_irq[i] != irq ||
				 irq->lr_override || irq->sources || ((v->eoi_lrs >> i) & 1) ||
				 !irq->enabled || !vgic_group_enabled(vm, irq),
			     0))
		return hyp__vgic_dabt_sgir_general(vcpu, v, val);
	gich = hw->gich; /* once: the MMIO accesses are compiler barriers */
	if (__builtin_expect(!((hyp_mmio_read32(gich + HYP_GICH_ELRSR0) >> i) & 1), 0))
		return v2_sgir_self_busy(vcpu, v, irq);
	/* fold_empty() of an SGI (no latch to clear), then present_inl():
	 * pending from this source, consumed into the LR at once. */
	irq->active = false;
	VGIC_STAT(vm->stats.sgis);
	lr = sgi | (uint64_t)v->idx << HYP_GICH_LR_CPUID_SHIFT |
	     (uint64_t)(irq->priority >> 3) << HYP_GICH_LR_PRIO_SHIFT |
	     (uint64_t)irq->group1 * HYP_GICH_LR_GRP1 | HYP_GICH_LR_PENDING;
	v->lr[i] = lr;
	VGIC_STAT(v->lr_injected);
	VGIC_STAT(vm->stats.mmio);
	hyp_mmio_write32(gich + HYP_GICH_LR0 + 4 * i, (uint32_t)lr);
	if (__builtin_expect(v->refresh, 0))
		return v2_sgir_self_done(vcpu, v);
	/* hyp_vcpu_skip_insn() for a live AArch64 vCPU, with its accesses
	 * (SPSR_EL2 and ELR_EL2 read, ELR_EL2 written, SPSR_EL2 only to
	 * clear SS or BTYPE); not live or AArch32: the call. */
	if (__builtin_expect(!vcpu->live, 0) ||
	    __builtin_expect((spsr = hyp_read_sysreg(HYP_SYS_SPSR_EL2)) & HYP_PSR_M_AA32, 0))
		return v2_sgir_self_done(vcpu, v);
	hyp_write_sysreg(HYP_SYS_ELR_EL2, hyp_read_sysreg(HYP_SYS_ELR_EL2) + 4);
	if (spsr & clr)
		hyp_write_sysreg(HYP_SYS_SPSR_EL2, spsr & ~clr);
	return HYP_FAST_RESUME_X0_X18;
}

int hyp_vgic_refresh(struct hyp_vgic_vcpu *vcpu)
{
	int ret;

	if (!vcpu || !vcpu->vm)
		return HYP_EINVAL;
	if (!vcpu->in_guest)
		return HYP_ESTATE;
	if (!vcpu->refresh)
		return 0;
	ret = hyp_vgic_save(vcpu);
	if (!ret)
		ret = hyp_vgic_restore(vcpu);
	return ret;
}

static void save_all_exit(struct hyp_vgic_vcpu *vcpu)
{
	const struct hyp_vgic_hw *hw = vcpu->vm->hw;
	uint64_t lrs[HYP_VGIC_MAX_LRS];

	vcpu->vmcr = vmcr_read(hw);
	vcpu->misr = misr_read(hw);
	vcpu->eisr = eisr_read(hw);
	vcpu->elrsr = elrsr_read(hw);
	for (unsigned i = 0; i < hw->nr_lrs; i++)
		lrs[i] = lr_read(hw, i);
	if (hw_v3(hw)) {
		for (unsigned i = 0; i < hw->nr_aprs; i++) {
			vcpu->ap0r[i] = ich_apr_read(false, i);
			vcpu->ap1r[i] = ich_apr_read(true, i);
		}
	} else {
		vcpu->ap1r[0] = gich_read(hw, HYP_GICH_APR);
	}
	hcr_write(hw, 0);
	vcpu->hw_hcr = 0;
	for (unsigned i = 0; i < hw->nr_lrs; i++) {
		if ((vcpu->used_lrs >> i) & 1) {
			vcpu->lr[i] = lrs[i];
			fold(vcpu, i, lrs[i]);
		}
	}
}

static void save_all_entry(struct hyp_vgic_vcpu *vcpu)
{
	const struct hyp_vgic_hw *hw = vcpu->vm->hw;

	hcr_write(hw, vcpu->hcr);
	vcpu->hw_hcr = vcpu->hcr;
	vmcr_write(hw, vcpu->vmcr);
	if (hw_v3(hw)) {
		for (unsigned i = 0; i < hw->nr_aprs; i++) {
			ich_apr_write(false, i, vcpu->ap0r[i]);
			ich_apr_write(true, i, vcpu->ap1r[i]);
		}
	} else {
		gich_write(hw, HYP_GICH_APR, vcpu->ap1r[0]);
	}
	for (unsigned i = 0; i < hw->nr_lrs; i++)
		lr_write(hw, i, ((vcpu->used_lrs >> i) & 1) ? vcpu->lr[i] : 0);
}

int hyp_vgic_restore(struct hyp_vgic_vcpu *vcpu)
{
	struct hyp_vgic *vm;
	const struct hyp_vgic_hw *hw;

	if (!vcpu || !vcpu->vm)
		return HYP_EINVAL;
	if (!vcpu->loaded || vcpu->in_guest)
		return HYP_ESTATE;
	vm = vcpu->vm;
	hw = vm->hw;
	vgic_lock(vm);
	/* Visible to injectors before the list is read: an interrupt queued
	 * after this point kicks the vCPU out again. */
	vcpu->in_guest = true;
	vcpu->refresh = false;
	VGIC_STAT(vcpu->stats.entries);
	flush(vcpu);
	vgic_unlock(vm);

	if (vm->save_all) {
		save_all_entry(vcpu);
	} else if (vcpu->used_lrs) {
		for (unsigned i = 0; (vcpu->used_lrs >> i) & 1; i++)
			lr_write(hw, i, vcpu->lr[i]);
		if (vcpu->hw_hcr != vcpu->hcr) {
			hcr_write(hw, vcpu->hcr);
			vcpu->hw_hcr = vcpu->hcr;
		}
	}
	return 0;
}

int hyp_vgic_save(struct hyp_vgic_vcpu *vcpu)
{
	struct hyp_vgic *vm;
	const struct hyp_vgic_hw *hw;
	uint64_t elrsr, eisr = 0;

	if (!vcpu || !vcpu->vm)
		return HYP_EINVAL;
	if (!vcpu->in_guest)
		return HYP_ESTATE;
	vm = vcpu->vm;
	hw = vm->hw;
	VGIC_STAT(vcpu->stats.exits);
	if (vm->save_all) {
		vgic_lock(vm);
		save_all_exit(vcpu);
		goto out;
	}
	if (!vcpu->used_lrs) {
		/* Nothing was presented and no maintenance was enabled. */
		vgic_lock(vm);
		goto out;
	}

	elrsr = elrsr_read(hw);
	vcpu->elrsr = elrsr;
	if (vcpu->eoi_lrs) {
		eisr = eisr_read(hw);
		vcpu->eisr = eisr;
	}
	for (unsigned i = 0; (vcpu->used_lrs >> i) & 1; i++) {
		if ((elrsr >> i) & 1) {
			vcpu->lr[i] = lr_invalid(hw, vcpu->lr[i]);
			continue;
		}
		if ((eisr >> i) & 1)
			vcpu->lr[i] = lr_invalid(hw, vcpu->lr[i]);
		else
			vcpu->lr[i] = lr_read(hw, i);
		lr_write(hw, i, 0);
	}
	if (vcpu->hw_hcr & HYP_VGIC_HCR_MAINT_MASK) {
		vcpu->hw_hcr &= ~HYP_VGIC_HCR_MAINT_MASK;
		hcr_write(hw, vcpu->hw_hcr);
	}

	vgic_lock(vm);
	for (unsigned i = 0; (vcpu->used_lrs >> i) & 1; i++)
		fold(vcpu, i, vcpu->lr[i]);
out:
	vcpu->used_lrs = 0;
	vcpu->eoi_lrs = 0;
	vcpu->in_guest = false;
	vgic_unlock(vm);
	return 0;
}

int hyp_vgic_load(struct hyp_vgic_vcpu *vcpu)
{
	const struct hyp_vgic *vm;
	const struct hyp_vgic_hw *hw;
	uint32_t traps;

	if (!vcpu || !vcpu->vm)
		return HYP_EINVAL;
	if (vcpu->loaded)
		return HYP_ESTATE;
	/* Read once: the stores below would make the compiler reload them. */
	vm = vcpu->vm;
	hw = vm->hw;
	traps = vm->hcr_traps;
	/* Another vCPU may have run here: what the HCR holds is unknown. */
	vcpu->hw_hcr = ~0u;
	if (!vm->save_all) {
		if (hw_v3(hw) && vgic_is_v2(vm)) {
			/* Legacy guest: the memory-mapped GICV interface. SRE
			 * must be clear before the rest is programmed, since
			 * VFIQEn is RES1 while it is set (IHI 0069 ch. 12,
			 * ICH_VMCR_EL2). */
			hyp_write_sysreg(HYP_SYS_ICC_SRE_EL1, 0);
			hyp_isb();
		}
		vmcr_write(hw, vcpu->vmcr);
		aprs_write(vcpu, hw);
		if (traps) {
			hcr_write(hw, traps);
			vcpu->hw_hcr = traps;
		}
	}
	vcpu->loaded = true;
	return 0;
}

int hyp_vgic_put(struct hyp_vgic_vcpu *vcpu)
{
	const struct hyp_vgic *vm;
	const struct hyp_vgic_hw *hw;

	if (!vcpu || !vcpu->vm)
		return HYP_EINVAL;
	if (!vcpu->loaded || vcpu->in_guest)
		return HYP_ESTATE;
	vm = vcpu->vm;
	hw = vm->hw;
	if (!vm->save_all) {
		bool legacy = hw_v3(hw) && vgic_is_v2(vm);
		uint32_t traps = vm->hcr_traps;

		vcpu->vmcr = vmcr_read(hw);
		aprs_read(vcpu, hw);
		if (traps) {
			/* The traps must not catch the host's own accesses. */
			hcr_write(hw, 0);
			vcpu->hw_hcr = 0;
		}
		if (legacy)
			hyp_write_sysreg(HYP_SYS_ICC_SRE_EL1, HYP_ICC_SRE_SRE); /* SRE: bit 0 in ICC_SRE_EL1 too */
	}
	vcpu->loaded = false;
	return 0;
}

/* --- issue 15: a kicked vCPU brought up to date on its own CPU
 *
 * hyp_vgic_refill() (libhyp/vgic.h): another CPU queued or changed an
 * interrupt of a vCPU in the guest here and kicked it (hyp_vgic_ops::kick).
 * Instead of hyp_vgic_save() + hyp_vgic_restore() (ELRSR, every used LR
 * read, written and folded, the list pruned, sorted and presented again),
 * the list is walked under the VM lock and only what the kick can have
 * changed goes through the fast path's LR delivery (lr_inject()):
 * - an interrupt in no LR that is deliverable: a free LR (or one ELRSR
 *   lists as empty);
 * - an interrupt in an LR with a pending state in memory (a new edge, a
 *   GICv2 SGI source, a level line), an override of a guest write on
 *   another CPU, or that was disabled (itself or its group): its LR folded
 *   (from memory if ELRSR lists it, else read back) and written again (or
 *   emptied).
 * Anything lr_inject() refuses (no LR left, interrupts already waiting
 * for one, a save_all VM, an LR that is not this vCPU's) and an earlier
 * refresh request: the full save and restore, as hyp_vgic_refresh(). */

static inline __attribute__((always_inline)) bool refill_walk(struct hyp_vgic_vcpu *v, bool v3,
								bool v2m)
{
	struct hyp_vgic *vm = v->vm;

	for (struct hyp_vgic_irq *irq = v->list; irq; irq = irq->next) {
		/* In an LR, its pending and active state is the LR's (memory
		 * holds only what came since): a new pending state (the kick's
		 * common reason, tested first), a guest write from another
		 * CPU, or a disable makes it worth a sync. */
		if (irq->in_lr ? !vgic_pending_k(v2m, irq) && !irq->lr_override && irq->enabled &&
				     vgic_group_enabled(vm, irq)
			       : !vgic_deliverable_k(vm, v2m, irq))
			continue;
		if (!lr_inject(v, irq, v3, v2m, false))
			return false;
	}
	return true;
}

int hyp_vgic_refill(struct hyp_vgic_vcpu *vcpu)
{
	struct hyp_vgic *vm;
	bool done = false;
	int ret;

	if (!vcpu || !vcpu->vm)
		return HYP_EINVAL;
	if (!vcpu->in_guest)
		return HYP_ESTATE;
	vm = vcpu->vm;
	vgic_lock(vm);
	/* The model and the hardware as constants (the walk is inlined in
	 * each): a GICv3 VM on GICv3, a GICv2 VM on GICv2 or on GICv3. */
	if (!vm->save_all && !vcpu->refresh) {
		if (!hw_v3(vm->hw))
			done = refill_walk(vcpu, false, true);
		else if (!vgic_is_v2(vm))
			done = refill_walk(vcpu, true, false);
		else
			done = refill_walk(vcpu, true, true);
	}
	vgic_unlock(vm);
	if (done)
		return 0;
	ret = hyp_vgic_save(vcpu);
	if (!ret)
		ret = hyp_vgic_restore(vcpu);
	return ret;
}
