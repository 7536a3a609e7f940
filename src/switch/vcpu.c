/* SPDX-License-Identifier: MIT */
/*
 * The C side of the world switch: vCPU setup, the fast-path dispatcher the
 * vector code calls, the two halves of hyp_vcpu_run() around the assembly,
 * and the live/not-live register accessors.
 */
#include <stddef.h>

#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/emulate.h>
#include <libhyp/fpsimd.h>
#include <libhyp/vcpu.h>
#include <libhyp/world_switch.h>

#include "switch_priv.h"

/* The assembly addresses these without symbols: keep them in step. */
_Static_assert(offsetof(struct hyp_vcpu, regs) == 0, "regs first");
_Static_assert(offsetof(struct hyp_vcpu_regs, x) == 0, "x[] first");
_Static_assert(offsetof(struct hyp_el2_fault, x[30]) == SW_FAULT_X30, "fault frame");
_Static_assert(offsetof(struct hyp_el2_fault, sp) == SW_FAULT_X30 + 8, "fault frame");
_Static_assert(offsetof(struct hyp_el2_fault, elr) == SW_FAULT_ELR, "fault frame");
_Static_assert(offsetof(struct hyp_el2_fault, spsr) == SW_FAULT_ELR + 8, "fault frame");
_Static_assert(offsetof(struct hyp_el2_fault, esr) == SW_FAULT_ESR, "fault frame");
_Static_assert(offsetof(struct hyp_el2_fault, far) == SW_FAULT_ESR + 8, "fault frame");
_Static_assert(offsetof(struct hyp_el2_fault, vector) == SW_FAULT_VECTOR, "fault frame");
_Static_assert(sizeof(struct hyp_el2_fault) == SW_FAULT_SIZE, "fault frame");
_Static_assert(HYP_EXIT_SYNC == SW_EXIT_SYNC && HYP_EXIT_IRQ == SW_EXIT_IRQ &&
		   HYP_EXIT_FIQ == SW_EXIT_FIQ && HYP_EXIT_SERROR == SW_EXIT_SERROR,
	       "exit kinds");
_Static_assert(HYP_FAST_RESUME_X0_X18 == 0 && HYP_FAST_RESUME == SW_FAST_RESUME,
	       "the vector code tests for 0 first");
_Static_assert(sizeof(struct hyp_fpsimd_state) == 528, "FP save area layout (fpsimd.S)");
/* esr and valid are written together by the dispatcher (one STP). */
_Static_assert(offsetof(struct hyp_exit, valid) == offsetof(struct hyp_exit, esr) + 8,
	       "esr, valid adjacent");

/* Used when a vCPU has no table: every class exits to the run loop. */
static const struct hyp_fast_table empty_table;

int hyp_vcpu_init(struct hyp_vcpu *vcpu, uint64_t hcr, const struct hyp_fast_table *fast)
{
	if (!vcpu || (hcr & HYP_HCR_TGE))
		return HYP_EINVAL;
	if (!(hcr & HYP_HCR_RW))
		return HYP_ENOTSUP;
	/* E2H is the EL2 mode's, not the caller's: set from the record (or the
	 * build constant); a caller's E2H = 1 against a recorded E2H = 0 asks
	 * for EL12 aliases that do not exist and is refused. While nothing is
	 * recorded the caller's bit is kept (deprecated). */
	if (hyp_el2_mode_known()) {
		if ((hcr & HYP_HCR_E2H) && !hyp_el2_e2h())
			return HYP_EINVAL;
		hcr = (hcr & ~HYP_HCR_E2H) | (hyp_el2_e2h() ? HYP_HCR_E2H : 0);
	}
	*vcpu = (struct hyp_vcpu){0};
	vcpu->regs.pstate = HYP_PSR_RESET;
	vcpu->hcr = hcr;
	vcpu->fast = fast ? fast : &empty_table;
	return HYP_OK;
}

void hyp_fast_table_init(struct hyp_fast_table *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i <= HYP_EC_MAX; i++)
		t->entry[i] = (struct hyp_fast_entry){NULL, NULL};
	t->smccc_answers = NULL;
	t->irq = (struct hyp_fast_entry){NULL, NULL};
}

int hyp_fast_register(struct hyp_fast_table *t, unsigned ec, hyp_fast_fn fn, void *ctx)
{
	if (!t || !fn || ec > HYP_EC_MAX)
		return HYP_EINVAL;
	if (t->entry[ec].fn)
		return HYP_EEXIST;
	t->entry[ec].ctx = ctx;
	t->entry[ec].fn = fn;
	return HYP_OK;
}

int hyp_fast_unregister(struct hyp_fast_table *t, unsigned ec, hyp_fast_fn fn)
{
	if (!t || ec > HYP_EC_MAX)
		return HYP_EINVAL;
	if (!fn || t->entry[ec].fn != fn)
		return HYP_ENOENT;
	t->entry[ec] = (struct hyp_fast_entry){NULL, NULL};
	return HYP_OK;
}

/*
 * The hot path: called by the lower-EL synchronous vector with the guest's
 * GPRs saved. Reads ESR_EL2 and nothing else, then calls the handler.
 */
int hyp_switch_sync_exit(struct hyp_vcpu *vcpu)
{
	uint64_t esr = hyp_read_sysreg(HYP_SYS_ESR_EL2);
	const struct hyp_fast_entry *e = &vcpu->fast->entry[hyp_esr_ec(esr)];
	hyp_fast_fn fn = e->fn;
	int act;

	vcpu->exit.esr = esr;
	vcpu->exit.valid = 0;
	if (!fn)
		return HYP_FAST_EXIT;
	act = fn(vcpu, esr, e);
	/* Only the vector code's early call asks for it (HYP_ESR_EARLY,
	 * never in a hardware syndrome): completed here all the same. */
	if (__builtin_expect(act == HYP_FAST_RESUME_SKIP, 0)) {
		if (hyp_vcpu_pstate(vcpu) & HYP_PSR_M_AA32)
			return HYP_FAST_EXIT;
		hyp_vcpu_skip_insn(vcpu);
		return HYP_FAST_RESUME;
	}
	return act;
}

/* The IRQ fast path (libhyp/world_switch.h): one handler per table. */
int hyp_fast_register_irq(struct hyp_fast_table *t, hyp_fast_fn fn, void *ctx)
{
	if (!t || !fn)
		return HYP_EINVAL;
	if (t->irq.fn)
		return HYP_EEXIST;
	t->irq.ctx = ctx;
	t->irq.fn = fn;
	return HYP_OK;
}

int hyp_fast_unregister_irq(struct hyp_fast_table *t, hyp_fast_fn fn)
{
	if (!t)
		return HYP_EINVAL;
	if (!fn || t->irq.fn != fn)
		return HYP_ENOENT;
	t->irq = (struct hyp_fast_entry){NULL, NULL};
	return HYP_OK;
}

/* The C version of entry.S's IRQ dispatch (the host backend's, and the
 * reference): no hardware of its own. */
int hyp_switch_irq_exit(struct hyp_vcpu *vcpu)
{
	const struct hyp_fast_entry *e = &vcpu->fast->irq;
	int act;

	vcpu->exit.esr = 0;
	vcpu->exit.valid = 0;
	if (!e->fn)
		return HYP_FAST_EXIT;
	act = e->fn(vcpu, 0, e);
	return act == HYP_FAST_RESUME_X0_X18 || act == HYP_FAST_RESUME ? act : HYP_FAST_EXIT;
}

void hyp_exit_capture_fault(struct hyp_vcpu *vcpu)
{
	struct hyp_exit *e = &vcpu->exit;

	switch (hyp_esr_ec(e->esr)) {
	case HYP_EC_IABT_LOW:
	case HYP_EC_DABT_LOW:
		/* HPFAR_EL2 is defined for stage-2 faults (and UNKNOWN for the
		 * rare stage-1 aborts routed here); reading it is harmless. */
		if (!(e->valid & HYP_EXIT_V_HPFAR)) {
			e->hpfar = hyp_read_sysreg(HYP_SYS_HPFAR_EL2);
			e->valid |= HYP_EXIT_V_HPFAR;
		}
		/* fall through */
	case HYP_EC_PC_ALIGN:
	case HYP_EC_WATCHPT_LOW:
		if (!(e->valid & HYP_EXIT_V_FAR)) {
			e->far = hyp_read_sysreg(HYP_SYS_FAR_EL2);
			e->valid |= HYP_EXIT_V_FAR;
		}
		break;
	default:
		break;
	}
}

void hyp_switch_prepare(struct hyp_vcpu *vcpu)
{
	const struct hyp_vcpu_hooks *h = vcpu->hooks;

	if (h && h->enter)
		h->enter(vcpu, vcpu->hooks_ctx);
	if (vcpu->fp_cpu)
		hyp_switch_fp_enter(vcpu);
	if ((vcpu->vtimer.flags & (HYP_VTIMER_ON | HYP_VTIMER_LOADED)) == HYP_VTIMER_ON)
		hyp_vtimer_load(vcpu);
	/* No ISB: the ERET that enters the guest synchronizes these. */
	hyp_write_sysreg(HYP_SYS_HCR_EL2, vcpu->hcr);
	hyp_write_sysreg(HYP_SYS_ELR_EL2, vcpu->regs.pc);
	hyp_write_sysreg(HYP_SYS_SPSR_EL2, vcpu->regs.pstate);
	if (vcpu->flags & HYP_VCPU_HOST_SP_EL0) {
		vcpu->host_sp_el0 = hyp_read_sysreg(HYP_SYS_SP_EL0);
		hyp_write_sysreg(HYP_SYS_SP_EL0, vcpu->regs.sp_el0);
	}
	/* The early MSR/MRS answer lives while the vCPU stays on the fast
	 * path: a fast table or binding changed between runs is seen. */
	vcpu->trap_esr = 0;
	vcpu->live = 1;
}

/* ISR_EL1 (Arm ARM D24.2.118): A, bit 8, at EL2 the physical SError's
 * pending state. DISR_EL1 (D24.9.1): A, bit 31, and the syndrome in the
 * ESR ISS format, bits [24:0]. */
#define SW_ISR_EL1 HYP_SYSREG_ENC(3, 0, 12, 1, 0)
#define SW_ISR_A   (1ull << 8)
#define SW_DISR_A  (1ull << 31)

/*
 * An SError the guest caused (a store to a region that aborts, reported
 * asynchronously) must be attributed to this exit, not taken at EL2 when
 * the caller unmasks SError nor at the next guest entry (maybe another
 * vCPU's). PSTATE.A is still masked here (hyp_vcpu_run() restores the
 * caller's DAIF after this). DSB SY waits for the guest's outstanding
 * accesses, ISB makes an SError they raised pending; then, with FEAT_RAS,
 * ESB defers it into DISR_EL1; without, ISR_EL1.A shows it and
 * hyp_serror_take() takes it in a window the EL2 vectors recognise.
 */
static void serror_sync(struct hyp_vcpu *vcpu)
{
	struct hyp_exit *e = &vcpu->exit;
	uint64_t v;

	hyp_dsb(SY);
	hyp_isb();
	if (vcpu->flags & HYP_VCPU_RAS) {
		hyp_esb();
		v = hyp_read_sysreg(HYP_SYS_DISR_EL1);
		if (!(v & SW_DISR_A))
			return;
		hyp_write_sysreg(HYP_SYS_DISR_EL1, 0);
		v = ((uint64_t)HYP_EC_SERROR << HYP_ESR_EC_SHIFT) | HYP_ESR_IL |
		    (v & HYP_ESR_ISS_MASK);
	} else {
		if (!(hyp_read_sysreg(SW_ISR_EL1) & SW_ISR_A))
			return;
		v = hyp_serror_take();
		if (!(v >> 63))
			return;
		v &= ~(1ull << 63);
	}
	e->serror_esr = v;
	e->valid |= HYP_EXIT_V_SERROR;
}

void hyp_switch_complete(struct hyp_vcpu *vcpu, unsigned kind)
{
	const struct hyp_vcpu_hooks *h = vcpu->hooks;
	struct hyp_exit *e = &vcpu->exit;

	vcpu->regs.pc = hyp_read_sysreg(HYP_SYS_ELR_EL2);
	vcpu->regs.pstate = hyp_read_sysreg(HYP_SYS_SPSR_EL2);
	if (vcpu->flags & HYP_VCPU_HOST_SP_EL0) {
		vcpu->regs.sp_el0 = hyp_read_sysreg(HYP_SYS_SP_EL0);
		hyp_write_sysreg(HYP_SYS_SP_EL0, vcpu->host_sp_el0);
	}
	vcpu->live = 0;

	e->kind = kind;
	e->vtimer = HYP_VTIMER_NONE;
	if (kind == HYP_EXIT_SYNC) {
		/* esr and valid were set by hyp_switch_sync_exit() */
		hyp_exit_capture_fault(vcpu);
	} else {
		e->valid = 0;
		e->far = 0;
		e->hpfar = 0;
		e->esr = kind == HYP_EXIT_SERROR ? hyp_read_sysreg(HYP_SYS_ESR_EL2) : 0;
	}
	/* An SError exit is the SError itself; any other may hide one. */
	if (kind != HYP_EXIT_SERROR)
		serror_sync(vcpu);

	/* The CPU clears HCR_EL2.VSE when it delivers the virtual SError. */
	if ((vcpu->hcr & HYP_HCR_VSE) && !(hyp_read_sysreg(HYP_SYS_HCR_EL2) & HYP_HCR_VSE))
		vcpu->hcr &= ~HYP_HCR_VSE;

	if (vcpu->vtimer.flags & HYP_VTIMER_ON)
		hyp_vtimer_check(vcpu, kind);

	if (h && h->exit)
		h->exit(vcpu, vcpu->hooks_ctx);
}

/* PC and PSTATE are in ELR_EL2 / SPSR_EL2 while the guest is live, in
 * regs otherwise (MRS/MSR need a constant encoding: macros, not a helper).
 * A NULL vCPU reads 0 and ignores writes. */
#define LIVE_GET(vcpu, enc, field)                                                                 \
	(!(vcpu) ? 0 : (vcpu)->live ? hyp_read_sysreg(enc) : (vcpu)->regs.field)
#define LIVE_SET(vcpu, enc, field, val)                                                            \
	do {                                                                                       \
		if (!(vcpu))                                                                       \
			break;                                                                     \
		if ((vcpu)->live)                                                                  \
			hyp_write_sysreg(enc, val);                                                \
		else                                                                               \
			(vcpu)->regs.field = (val);                                                \
	} while (0)

uint64_t hyp_vcpu_pc(const struct hyp_vcpu *vcpu)
{
	return LIVE_GET(vcpu, HYP_SYS_ELR_EL2, pc);
}

void hyp_vcpu_set_pc(struct hyp_vcpu *vcpu, uint64_t pc)
{
	LIVE_SET(vcpu, HYP_SYS_ELR_EL2, pc, pc);
}

uint64_t hyp_vcpu_pstate(const struct hyp_vcpu *vcpu)
{
	return LIVE_GET(vcpu, HYP_SYS_SPSR_EL2, pstate);
}

void hyp_vcpu_set_pstate(struct hyp_vcpu *vcpu, uint64_t pstate)
{
	LIVE_SET(vcpu, HYP_SYS_SPSR_EL2, pstate, pstate);
}

/*
 * ITAdvance() (Arm ARM, shared pseudocode): IT[7:0] is split over SPSR
 * bits [15:10] (IT[7:2]) and [26:25] (IT[1:0]) in the AArch32 format.
 */
static uint64_t it_advance(uint64_t psr)
{
	unsigned it = (unsigned)((psr >> 25) & 3u) | (unsigned)(((psr >> 10) & 0x3fu) << 2);

	if (!it)
		return psr;
	if ((it & 7u) == 0)
		it = 0;
	else
		it = (it & 0xe0u) | ((it << 1) & 0x1fu);
	psr &= ~((3ull << 25) | (0x3full << 10));
	return psr | ((uint64_t)(it & 3u) << 25) | ((uint64_t)(it >> 2) << 10);
}

int hyp_vcpu_skip_insn(struct hyp_vcpu *vcpu)
{
	uint64_t pc, ps, nps;

	if (!vcpu)
		return HYP_EINVAL;
	pc = hyp_vcpu_pc(vcpu);
	ps = hyp_vcpu_pstate(vcpu);
	if (ps & HYP_PSR_M_AA32) {
		pc = (uint32_t)(pc + (hyp_esr_il32(vcpu->exit.esr) ? 4u : 2u));
		nps = it_advance(ps);
	} else {
		/* A64 instructions are 4 bytes; the next one is not a branch target. */
		pc += 4;
		nps = ps & ~HYP_PSR_BTYPE_MASK;
	}
	/* The emulated instruction was the step: the next one steps again. */
	nps &= ~HYP_PSR_SS;
	hyp_vcpu_set_pc(vcpu, pc);
	if (nps != ps)
		hyp_vcpu_set_pstate(vcpu, nps);
	return HYP_OK;
}

void hyp_vcpu_update_hcr(struct hyp_vcpu *vcpu, uint64_t clear, uint64_t set)
{
	if (!vcpu)
		return;
	/* Don't resurrect a virtual SError the CPU has delivered meanwhile. */
	if (vcpu->live && (vcpu->hcr & HYP_HCR_VSE) &&
	    !(hyp_read_sysreg(HYP_SYS_HCR_EL2) & HYP_HCR_VSE))
		vcpu->hcr &= ~HYP_HCR_VSE;
	/* E2H is the EL2 mode's (hyp_vcpu_init()): never changed here. */
	vcpu->hcr = (vcpu->hcr & ~(clear & ~HYP_HCR_E2H)) | (set & ~HYP_HCR_E2H);
	if (vcpu->live)
		hyp_write_sysreg(HYP_SYS_HCR_EL2, vcpu->hcr);
}

int hyp_vcpu_set_line(struct hyp_vcpu *vcpu, enum hyp_vline line, bool level)
{
	uint64_t bit;

	if (!vcpu)
		return HYP_EINVAL;
	switch (line) {
	case HYP_VLINE_IRQ:
		bit = HYP_HCR_VI;
		break;
	case HYP_VLINE_FIQ:
		bit = HYP_HCR_VF;
		break;
	case HYP_VLINE_SERROR:
		bit = HYP_HCR_VSE;
		break;
	default:
		return HYP_EINVAL;
	}
	hyp_vcpu_update_hcr(vcpu, level ? 0 : bit, level ? bit : 0);
	return HYP_OK;
}

uint64_t hyp_switch_read_el1(struct hyp_vcpu *vcpu, uint16_t enc)
{
	const struct hyp_vcpu_hooks *h = vcpu->hooks;
	bool vhe = sw_vhe(vcpu);

	if (h && h->read_el1)
		return h->read_el1(vcpu, vcpu->hooks_ctx, enc);
	switch (enc) {
	case HYP_SYS_SCTLR_EL1:
		return SW_HW_READ_EL1(vhe, SCTLR_EL1);
	case HYP_SYS_VBAR_EL1:
		return SW_HW_READ_EL1(vhe, VBAR_EL1);
	case HYP_SYS_ESR_EL1:
		return SW_HW_READ_EL1(vhe, ESR_EL1);
	case HYP_SYS_FAR_EL1:
		return SW_HW_READ_EL1(vhe, FAR_EL1);
	case HYP_SYS_ELR_EL1:
		return SW_HW_READ_EL1(vhe, ELR_EL1);
	case HYP_SYS_SPSR_EL1:
		return SW_HW_READ_EL1(vhe, SPSR_EL1);
	default:
		return 0;
	}
}

void hyp_switch_write_el1(struct hyp_vcpu *vcpu, uint16_t enc, uint64_t val)
{
	const struct hyp_vcpu_hooks *h = vcpu->hooks;
	bool vhe = sw_vhe(vcpu);

	if (h && h->write_el1) {
		h->write_el1(vcpu, vcpu->hooks_ctx, enc, val);
		return;
	}
	switch (enc) {
	case HYP_SYS_ESR_EL1:
		SW_HW_WRITE_EL1(vhe, ESR_EL1, val);
		break;
	case HYP_SYS_FAR_EL1:
		SW_HW_WRITE_EL1(vhe, FAR_EL1, val);
		break;
	case HYP_SYS_ELR_EL1:
		SW_HW_WRITE_EL1(vhe, ELR_EL1, val);
		break;
	case HYP_SYS_SPSR_EL1:
		SW_HW_WRITE_EL1(vhe, SPSR_EL1, val);
		break;
	default:
		break;
	}
}
