/* SPDX-License-Identifier: MIT */
/*
 * minihyp's VM: one guest, its vCPUs pinned one per physical CPU, built from
 * libhyp's modules. Everything here touches hardware only through
 * libhyp/hw.h (and libhyp's own modules), so the host benchmark runs these
 * exit paths on the simulated CPU.
 *
 * Exits and where they are handled, by default (libhyp's fast path: the
 * guest resumes from the exception handler, see libhyp/switch.h):
 *
 * | exit | handler |
 * | --- | --- |
 * | HVC/SMC #0 (PSCI, SMCCC) | hyp_smccc_trap(), minihyp's PSCI callbacks and vendor calls |
 * | MSR/MRS trap (EC 0x18), AArch32 CP15 | hyp_sysreg_dispatch_trap(): minihyp's trap table
 * (PMSELR_EL0, the EL1 physical timer, ICC_SGI*R_EL1), the VM's ID view (TID3), the sysreg engine | |
 * stage-2 data abort in the vGIC frames | mh_dabt_trap(): hyp_vgic_mmio() | |
 * FP/SIMD trap | hyp_fp_trap() (lazy FP) |
 *
 * and in the run loop (mh_handle_exit()): WFI (block), WFE (a yield; both
 * trap only while another vCPU waits for the CPU), the PSCI power
 * calls, IRQs, anything else. With cfg.eager (or without cfg.fast_path)
 * the fast-path table is empty and the run loop calls the same handlers.
 */
#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/stage2.h>

#include "minihyp.h"

#define MH_VCPU(hv) ((struct mh_vcpu *)(void *)((char *)(hv)-offsetof(struct mh_vcpu, v)))

/* MPIDR_EL1 affinity fields Aff3 [39:32], Aff2..Aff0 [23:0]; bit 31 RES1. */
#define MPIDR_AFF_MASK 0xff00ffffffull
#define MPIDR_RES1     (1ull << 31)

/* SCTLR_EL1 at reset for the boot protocol: MMU and caches off, the bits
 * that are RES1 without their features (Arm ARM D24.2.175). */
#define SCTLR_EL1_RESET                                                            \
	(HYP_SCTLR_EOS | HYP_SCTLR_TSCXT | HYP_SCTLR_EIS | HYP_SCTLR_SPAN | HYP_SCTLR_NTLSMD | \
	 HYP_SCTLR_LSMAOE)

/* ---- the VM lock (vGIC distributor state, vCPU power state) */

static void lock(struct mh_vm *vm)
{
	while (__atomic_exchange_n(&vm->lock, 1u, __ATOMIC_ACQUIRE))
		mh_spin_pause();
}

static void unlock(struct mh_vm *vm)
{
	__atomic_store_n(&vm->lock, 0u, __ATOMIC_RELEASE);
}

static void vgic_lock(struct hyp_vgic *g, void *ctx)
{
	(void)g;
	lock(ctx);
}

static void vgic_unlock(struct hyp_vgic *g, void *ctx)
{
	(void)g;
	unlock(ctx);
}

/*
 * A deliverable interrupt was queued for @gv, which another CPU runs (or
 * which is not loaded): an SGI makes that CPU exit (or wakes it from WFI).
 * On this CPU (a vCPU between two loads, in this CPU's run loop) nothing
 * is needed: its next entry presents it. A running vCPU of this CPU is
 * never kicked (vgic_local()).
 */
static void vgic_kick(struct hyp_vgic_vcpu *gv, enum hyp_vgic_kick why, void *ctx)
{
	(void)why, (void)ctx;
	/* Running elsewhere: a kick; blocked (off every queue): runnable again
	 * at once, on an idle CPU if there is one (sched.c). */
	mh_sched_wake(MH_VCPU(gv->sysreg->owner));
}

/* Is @gv this CPU's running vCPU? Then libhyp writes an interrupt queued
 * for it on the fast path straight into one LR (vgic.h). */
static bool vgic_local(const struct hyp_vgic_vcpu *gv, void *ctx)
{
	(void)ctx;
	return mh_pcpus[mh_this_cpu()].current == MH_VCPU(gv->sysreg->owner);
}

/* Before a fast-path handler that may have queued an interrupt for its own
 * vCPU resumes the guest: what libhyp could not put in an LR at once
 * (hyp_vgic_refresh(): nothing, unless the LRs were full). Out of line:
 * the handlers' common path (no interrupt queued) keeps its registers. */
static __attribute__((noinline)) void refresh(struct mh_vcpu *mv)
{
	mv->refresh = false;
	if (__builtin_expect(mv->gv->refresh, 0))
		hyp_vgic_refresh(mv->gv);
}

/*
 * The IRQ fast path (libhyp/world_switch.h, "The IRQ fast path"): a
 * physical IRQ that interrupts a guest, before the run loop. A kick (the
 * SGI another CPU sends when it queued an interrupt for this CPU's running
 * vCPU, vgic_kick()) asks only for the list registers to be refilled when
 * the scheduler has nothing to do here (mh_sched_kick_idle(): no vCPU
 * waits, no slice, WFI not trapped) and the VM is not ending: EOI and
 * deactivation (EOImode 1, gic.c), hyp_vgic_refill(), and the guest
 * resumes without leaving the exception handler. Anything else goes to
 * the run loop as before, with what was acknowledged in mv->irq_acked
 * (mh_after_run() does not acknowledge it again; a kick that must leave is
 * already EOI'd): the scheduler's tick, a timer, a maintenance or device
 * interrupt, a kick with scheduler work or for a VM's end. The kick is
 * EOI'd (ICC_EOIR1_EL1 then ICC_DIR_EL1, or GICC_EOIR then GICC_DIR) before
 * the checks: a kick sent after it (another vCPU queued here, the VM's
 * end) is a new pending SGI, taken as soon as the guest resumes. Its
 * sender wrote the queue or the vGIC state before the SGI (a release and
 * DSB ISHST, mh_gic_kick()); here the loads come after the IAR read: an
 * ISB after the EOI (GICv3, a control dependency on the INTID read; Linux's
 * gic_handle_irq() relies on the same) or a DMB after the GICC_IAR load
 * (GICv2, Linux's smp_rmb()); the vGIC's own state is read under the VM
 * lock.
 */
/* The GICv2 CPU interface registers irq_fast() uses (IHI 0048B 4.4:
 * GICC_IAR 0x000C, GICC_EOIR 0x0010; GICC_DIR 0x1000, 4.4.15), as gic.c's
 * mh_gic_ack() and mh_gic_eoi() access them. */
#define IRQF_GICC_IAR  0x000cu
#define IRQF_GICC_EOIR 0x0010u
#define IRQF_GICC_DIR  0x1000u

static int irq_fast(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	struct mh_vcpu *mv = MH_VCPU(v);
	const struct mh_vm *vm = self->ctx;
	const struct mh_gic *gic = vm->gic;
	uint32_t raw;

	(void)esr;
	/* mh_gic_ack(), mh_gic_eoi() and the barrier inline, the GIC's
	 * version tested once: the same accesses, no calls. */
	if (__builtin_expect(gic->version == 3, 1)) {
		/* ICC_IAR1_EL1's INTID [23:0] (IHI 0069 12.2.11) */
		raw = (uint32_t)hyp_read_sysreg(HYP_SYS_ICC_IAR1_EL1) & 0xffffff;
		if (raw != MH_KICK_SGI)
			goto leave;
		hyp_write_sysreg(HYP_SYS_ICC_EOIR1_EL1, raw);
		hyp_write_sysreg(HYP_SYS_ICC_DIR_EL1, raw);
		hyp_isb();
	} else {
		/* GICC_IAR: InterruptID [9:0], CPUID [12:10] (IHI 0048B
		 * 4.4.4), written back whole to GICC_EOIR and GICC_DIR */
		raw = hyp_mmio_read32(gic->cpu + IRQF_GICC_IAR);
		if ((raw & 0x3ff) != MH_KICK_SGI)
			goto leave;
		hyp_mmio_write32(gic->cpu + IRQF_GICC_EOIR, raw);
		hyp_mmio_write32(gic->cpu + IRQF_GICC_DIR, raw);
		hyp_dmb(ISH);
	}
	if (__builtin_expect(vm->stop || !mh_sched_kick_idle(mh_this_cpu_inline()), 0)) {
		mv->irq_acked = MH_IRQ_ACKED | MH_IRQ_EOID | raw;
		return HYP_FAST_EXIT;
	}
	hyp_vgic_refill(mv->gv);
	mv->st.irq_kick_fast++;
	return HYP_FAST_RESUME_X0_X18;
leave:
	mv->irq_acked = MH_IRQ_ACKED | raw;
	return HYP_FAST_EXIT;
}

/* ---- the guest's timers: the virtual timer in hardware, the physical one
 * emulated by libhyp (switch.h); their levels go to the vGIC. */

static void timer_set_level(struct hyp_vcpu *v, enum hyp_guest_timer t, bool level, void *ctx)
{
	struct mh_vcpu *mv = MH_VCPU(v);
	struct mh_vm *vm = ctx;
	unsigned int intid = t == HYP_GUEST_TIMER_VIRT ? vm->gic->vtimer : vm->gic->ptimer;

	if (level)
		hyp_vgic_irq_raise(&vm->vgic, mv->gv, intid);
	else
		hyp_vgic_irq_lower(&vm->vgic, mv->gv, intid);
	/* On the fast path: the LRs change before the guest resumes. */
	mv->refresh = true;
}

/* The host's virtual-timer PPI, masked at the GIC while the guest's timer
 * output is high (the guest's CNTV_CTL_EL0 is never touched). */
static void timer_mask_host(struct hyp_vcpu *v, bool mask, void *ctx)
{
	struct mh_vm *vm = ctx;

	(void)v;
	mh_gic_ppi_mask(vm->gic, mh_this_cpu(), vm->gic->vtimer, mask);
}

static const struct hyp_timer_ops mh_timer_ops = {timer_set_level, timer_mask_host};

static int mh_timer_init(struct mh_vcpu *mv)
{
	int ret;

	/* The EL1 physical timer is emulated; its deadline is one of those
	 * the scheduler arms the EL2 physical timer for (sched.c: CNTHP is
	 * also the time slice's tick, so libhyp's PTIMER_WAKE, which would
	 * own it, is not used), whose PPI main.c enables at EL2. */
	ret = hyp_vtimer_init(&mv->v, HYP_VTIMER_EMUL_PTIMER, 0);
	if (!ret)
		ret = hyp_vtimer_set_ops(&mv->v, &mh_timer_ops, mv->vm);
	return ret;
}

/*
 * A vGIC EOI of a level interrupt (the LR's EOI bit): the timers' current
 * output, so a timer the guest re-armed without any exit unmasks the host
 * PPI again. Called with the VM lock held: no vGIC call from here.
 */
static bool mh_timer_resample(struct hyp_vgic_vcpu *gv, unsigned int intid, void *ctx)
{
	struct mh_vm *vm = ctx;
	struct mh_vcpu *mv = MH_VCPU(gv->sysreg->owner);

	if (intid == vm->gic->vtimer)
		return hyp_timer_resample(&mv->v, HYP_GUEST_TIMER_VIRT);
	if (intid == vm->gic->ptimer)
		return hyp_timer_resample(&mv->v, HYP_GUEST_TIMER_PHYS);
	return false; /* minihyp has no other level-triggered input */
}

/* Before the vGIC answers a guest access on the fast path: the timers'
 * levels as they are now (a guest that disabled its timer without an exit
 * must not read it pending). Only a timer reported high can be stale
 * (switch.h, hyp_timer_sync()): tested here so that the common case costs
 * one load and one branch (docs/switch.md has the measurements). */
static inline void mh_timer_sync(struct mh_vcpu *mv)
{
	if (__builtin_expect(mv->v.vtimer.flags & HYP_VTIMER_PENDING, 0))
		hyp_timer_sync(&mv->v);
}

/* ---- PSCI (DEN 0022) callbacks, on the fast path of the calling vCPU */

static struct mh_vcpu *vcpu_by_mpidr(struct mh_vm *vm, uint64_t mpidr)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if ((vm->vcpu[i].v.mpidr & MPIDR_AFF_MASK) == (mpidr & MPIDR_AFF_MASK))
			return &vm->vcpu[i];
	}
	return NULL;
}

/*
 * CPU_ON. A vCPU's power state is one atomic state machine (enum
 * mh_vcpu_state), every transition a compare-and-swap or made by the only
 * party that may make it:
 *
 *   OFF --CPU_ON (CAS)--> CLAIMED --request written--> ON_PENDING
 *   ON_PENDING --its CPU starts it (CAS, mh_vcpu_start())--> ON
 *   ON --its own CPU_OFF (the vCPU itself)--> OFF
 *
 * Only the CPU_ON that wins the CAS from OFF writes the request and
 * answers SUCCESS, so every SUCCESS starts the vCPU exactly once: no
 * request is written over a running vCPU (whose CPU_OFF would discard
 * it). A target that is ON, or whose CPU_ON is still in progress
 * (CLAIMED, ON_PENDING), answers ALREADY_ON, as Linux KVM does and as a
 * guest written for it expects (PSCI's ON_PENDING is allowed but KVM's
 * guests do not handle it).
 */
static int32_t psci_cpu_on(void *ctx, struct hyp_vcpu *caller, uint64_t target, uint64_t entry,
			   uint64_t context_id)
{
	struct mh_vm *vm = ctx;
	struct mh_vcpu *t = vcpu_by_mpidr(vm, target);
	uint32_t off = MH_VCPU_OFF;

	(void)caller;
	if (!t)
		return HYP_PSCI_INVALID_PARAMETERS;
	if (!__atomic_compare_exchange_n(&t->state, &off, MH_VCPU_CLAIMED, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_ACQUIRE))
		return HYP_PSCI_ALREADY_ON;
	if (entry < vm->ram.base || entry - vm->ram.base >= vm->ram.size) {
		/* not in guest RAM: give the claim back */
		__atomic_store_n(&t->state, MH_VCPU_OFF, __ATOMIC_RELEASE);
		return HYP_PSCI_INVALID_ADDRESS;
	}
	t->on_entry = entry;
	t->on_context = context_id;
	__atomic_store_n(&t->state, MH_VCPU_ON_PENDING, __ATOMIC_RELEASE);
	/* Queued, on an idle CPU if there is one (sched.c). */
	mh_sched_wake(t);
	return HYP_PSCI_SUCCESS;
}

static int32_t psci_affinity_info(void *ctx, struct hyp_vcpu *caller, uint64_t target,
				  unsigned int level)
{
	static const uint64_t mask[4] = {MPIDR_AFF_MASK, 0xff00ffff00ull, 0xff00ff0000ull,
					 0xff00000000ull};
	struct mh_vm *vm = ctx;
	int32_t ret = HYP_PSCI_INVALID_PARAMETERS;

	(void)caller;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		uint32_t s = __atomic_load_n(&vm->vcpu[i].state, __ATOMIC_ACQUIRE);

		if ((vm->vcpu[i].v.mpidr ^ target) & mask[level])
			continue;
		if (s == MH_VCPU_ON)
			return HYP_PSCI_AFF_ON;
		if (s == MH_VCPU_ON_PENDING || s == MH_VCPU_CLAIMED)
			ret = HYP_PSCI_AFF_ON_PENDING;
		else if (ret == HYP_PSCI_INVALID_PARAMETERS)
			ret = HYP_PSCI_AFF_OFF;
	}
	return ret;
}

/* Leave the fast path with a call the run loop acts on. */
static int exit_call(struct hyp_vcpu *v, uint32_t fn, uint64_t x0)
{
	v->regs.x[0] = x0;
	v->exit.smccc_fn = fn;
	v->exit.valid |= HYP_EXIT_V_SMCCC;
	return HYP_FAST_EXIT;
}

/* SMCCC calls libhyp does not implement: minihyp's vendor calls. */
static int smccc_call(void *ctx, struct hyp_vcpu *v, uint32_t fn)
{
	(void)ctx;
	if (fn == MH_HVC_EXIT || fn == MH_HVC_YIELD)
		return exit_call(v, fn, 0);
	v->regs.x[0] = (uint64_t)(int64_t)HYP_SMCCC_NOT_SUPPORTED;
	return HYP_FAST_RESUME_X0_X18;
}

/*
 * The calls answered before any register is saved (libhyp's early path,
 * hyp_fast_set_smccc_answers()): the values the ordinary path gives them
 * here. minihyp's PSCI is 1.1 over SMCCC 1.1; it asks for no Spectre
 * workaround (QEMU's CPUs need none), so SMCCC_ARCH_FEATURES says
 * NOT_SUPPORTED for the three SMCCC_ARCH_WORKAROUND_n calls, and a guest
 * that calls one anyway gets NOT_SUPPORTED, as smccc_call() answers. The
 * null hypercall's PSCI_VERSION first: the search is in this order. One VM
 * per minihyp: one table.
 */
static struct hyp_smccc_answers smccc_answers;

static int smccc_answers_init(void)
{
	static const struct {
		uint32_t fn, arg;
		int64_t x0;
	} ans[] = {
	    {HYP_PSCI_VERSION, 0, HYP_PSCI_VERSION_1_1},
	    {HYP_SMCCC_ARCH_WORKAROUND_1, 0, HYP_SMCCC_NOT_SUPPORTED},
	    {HYP_SMCCC_ARCH_WORKAROUND_3, 0, HYP_SMCCC_NOT_SUPPORTED},
	    {HYP_SMCCC_VERSION, 0, HYP_SMCCC_VERSION_1_1},
	    {HYP_SMCCC_ARCH_FEATURES, HYP_SMCCC_ARCH_WORKAROUND_1, HYP_SMCCC_NOT_SUPPORTED},
	    {HYP_SMCCC_ARCH_FEATURES, HYP_SMCCC_ARCH_WORKAROUND_2, HYP_SMCCC_NOT_SUPPORTED},
	    {HYP_SMCCC_ARCH_FEATURES, HYP_SMCCC_ARCH_WORKAROUND_3, HYP_SMCCC_NOT_SUPPORTED},
	    {HYP_SMCCC_ARCH_FEATURES, HYP_SMCCC_ARCH_FEATURES, HYP_PSCI_SUCCESS},
	};
	int ret;

	hyp_smccc_answers_init(&smccc_answers);
	for (unsigned i = 0; i < sizeof(ans) / sizeof(ans[0]); i++) {
		ret = hyp_smccc_answer_add(&smccc_answers, ans[i].fn, ans[i].arg,
					   (uint64_t)ans[i].x0);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- the integrator's sysreg trap table: libhyp's dispatcher
 * (hyp_sysreg_dispatch_trap()) answers from it, then from the VM's ID
 * view, then from the sysreg engine. A handler reaches its vCPU through
 * hyp_sysreg_vcpu::owner. */

/* A handler changed the vCPU's pending list: its LRs before it resumes
 * (libhyp marks the vGIC vCPU when it could not write the LR at once). */
static inline int done(struct mh_vcpu *mv, int ret)
{
	if (mv->refresh || mv->gv->refresh)
		refresh(mv);
	return ret;
}

/* PMSELR_EL0: the sysreg-trap benchmark's register (MDCR_EL2.TPM traps
 * every PMU register; the VM has no PMU, this one is emulated as storage:
 * a libhyp storage slot, answered by the vector code once cached). */
static const struct hyp_sysreg_slot pmselr_slot = {
    (int64_t)offsetof(struct mh_vcpu, pmselr) - (int64_t)offsetof(struct mh_vcpu, v),
    0x1f /* SEL, bits [4:0] */
};

/* The EL1 physical timer (CNTHCTL_EL2 traps it): emulated by libhyp,
 * its PPI raised through the timer hooks, its deadline on CNTHP_*. */
static int trap_timer(struct hyp_sysreg_vcpu *sr, struct hyp_sysreg_access *a, void *ctx)
{
	struct mh_vcpu *mv = MH_VCPU(sr->owner);

	int ret;

	(void)ctx;
	ret = hyp_ptimer_access(&mv->v, a);
	/* Its deadline may have moved: CNTHP (sched.c). */
	mh_sched_arm(mh_this_cpu());
	return done(mv, ret);
}

/* trap_sgi() with a timer reported high: its level first (mh_timer_sync()),
 * and the LRs refilled if the timer's interrupt needs it (done()). Out of
 * line, so that the common path is a test and a tail call. */
static __attribute__((noinline, cold)) int trap_sgi_sync(struct hyp_vcpu *v, uint64_t esr,
							  uint64_t *xt)
{
	struct mh_vcpu *mv = MH_VCPU(v);

	hyp_timer_sync(v);
	return done(mv, hyp_vgic_sgi_direct(v, esr, xt, NULL));
}

/* ICC_SGI1R_EL1 & co: a direct handler (a cached hit tail-calls it).
 * libhyp's vGIC generates the SGI and completes the instruction
 * (hyp_vgic_sgi_direct(): a self-SGI goes straight into its LR, and a
 * vCPU it marked for a refresh is refreshed before it returns). */
static int trap_sgi(struct hyp_vcpu *v, uint64_t esr, uint64_t *xt, void *ctx)
{
	if (__builtin_expect(v->vtimer.flags & HYP_VTIMER_PENDING, 0))
		return trap_sgi_sync(v, esr, xt);
	return hyp_vgic_sgi_direct(v, esr, xt, ctx); /* ctx: NULL, as given */
}
static const struct hyp_sysreg_direct sgi_direct = {trap_sgi, NULL};

/* Sorted by encoding (HYP_SYSREG_ENC: op0, op1, CRn, CRm, op2), as the
 * binary search needs; hyp_sysreg_dispatch_init() checks it. */
static const struct hyp_sysreg_trap_entry trap_entries[] = {
    {HYP_SYS_ICC_SGI1R_EL1, hyp_sysreg_trap_direct, (void *)&sgi_direct},   /* 3 0 12 11 5 */
    {HYP_SYS_ICC_ASGI1R_EL1, hyp_sysreg_trap_direct, (void *)&sgi_direct},  /* 3 0 12 11 6 */
    {HYP_SYS_ICC_SGI0R_EL1, hyp_sysreg_trap_direct, (void *)&sgi_direct},   /* 3 0 12 11 7 */
    {HYP_SYS_PMSELR_EL0, hyp_sysreg_trap_slot, (void *)&pmselr_slot}, /* 3 3 9 12 5 */
    {HYP_SYS_CNTP_TVAL_EL0, trap_timer, NULL}, /* 3 3 14 2 0 */
    {HYP_SYS_CNTP_CTL_EL0, trap_timer, NULL},  /* 3 3 14 2 1 */
    {HYP_SYS_CNTP_CVAL_EL0, trap_timer, NULL}, /* 3 3 14 2 2 */
};
const struct hyp_sysreg_trap_table mh_trap_table = {trap_entries,
						    sizeof(trap_entries) / sizeof(trap_entries[0])};

/* ---- issue 15 item 3: the PL011's page held while minihyp prints a line
 * (minihyp.h, mh_console_hold()) */

void mh_console_hold(struct mh_vm *vm)
{
	lock(vm);
	if (vm->console_size && !hyp_s2_protect(&vm->s2, vm->console_ipa, vm->console_size, 0))
		__atomic_store_n(&vm->console_held, true, __ATOMIC_RELAXED);
	unlock(vm);
}

void mh_console_release(struct mh_vm *vm)
{
	lock(vm);
	if (vm->console_held) {
		/* Read and write, as main.c mapped it. A failure (no memory
		 * for a split: the page is mapped alone, so none is needed)
		 * leaves the page without permissions: it is then never held
		 * again and the VM's accesses take the run loop's external
		 * abort (console_fault() no longer claims them), the guest's
		 * fault, not a wait for ever. */
		if (hyp_s2_protect(&vm->s2, vm->console_ipa, vm->console_size, HYP_PROT_RW))
			vm->console_size = 0;
		__atomic_store_n(&vm->console_held, false, __ATOMIC_RELEASE);
	}
	unlock(vm);
}

/* A stage-2 permission fault on the PL011's page of @vm, its owner, while
 * minihyp holds it: wait for the release (the end of one line), then the
 * access is retried (true). Anything else: false. Holds no lock while it
 * waits (the printer takes the VM lock to release). */
static __attribute__((noinline, cold)) bool console_fault(struct hyp_vcpu *vcpu,
							   const struct mh_vm *vm)
{
	uint64_t ipa;

	if (hyp_esr_fsc_type(vcpu->exit.esr) != HYP_FSC_PERMISSION)
		return false;
	/* An IPA the walk of the guest's stage 1 cannot give (it changed
	 * meanwhile) is retried as well, while the page is held. */
	if (hyp_vcpu_fault_ipa(vcpu, &ipa) ? !vm->console_held
					   : ipa - vm->console_ipa >= vm->console_size)
		return false;
	while (__atomic_load_n(&vm->console_held, __ATOMIC_ACQUIRE))
		mh_spin_pause();
	return true;
}

/*
 * Guest RAM is mapped on first touch (main.c, guest_stage2()): a stage-2
 * translation fault inside it maps the page, RWX, IPA = PA, through the
 * fault entry, which cleans it to the PoC first on a CPU without FWB (and
 * invalidates the I-cache without DIC), before the guest can see it: so
 * the guest, caches on or off, reads what memory holds (the image and DTB
 * included), and no line dirty from before can later overwrite what it
 * writes (docs/stage2.md, "Guest RAM on first touch"). Under the VM lock:
 * libhyp-rt's page pool is not thread-safe (exclusive mode). If the pool
 * has no level-3 table left, the page's 2 MiB block inside RAM replaces
 * the table (cleaning the block; a clean+invalidate never discards data).
 * Returns HYP_FAST_RESUME_X0_X18 if the fault was RAM's and the guest may
 * retry the access, HYP_FAST_EXIT if it is not (or could not be mapped: the
 * run loop's external abort). Out of line: the vGIC's exits pay nothing.
 */
static __attribute__((noinline, cold)) int ram_fault_in(struct hyp_vcpu *vcpu, struct mh_vm *vm)
{
	const uint64_t esr = vcpu->exit.esr;
	const uint64_t sz_2m = 2ull << 20;
	uint64_t ipa, page, blk;
	int r;

	if (__builtin_expect(vm->console_size != 0, 0) && console_fault(vcpu, vm))
		return HYP_FAST_RESUME_X0_X18;
	if (hyp_esr_fsc_type(esr) != HYP_FSC_TRANSLATION || hyp_vcpu_fault_ipa(vcpu, &ipa) ||
	    ipa < vm->ram.base || ipa - vm->ram.base >= vm->ram.size)
		return HYP_FAST_EXIT;
	page = ipa & ~0xfffull;
	lock(vm);
	r = hyp_s2_fault_map_4k(&vm->s2, page, page, HYP_PROT_RWX, 0);
	blk = ipa & ~(sz_2m - 1);
	if (r == HYP_ENOMEM && blk >= vm->ram.base && blk + sz_2m <= vm->ram.base + vm->ram.size)
		r = hyp_s2_map(&vm->s2, blk, sz_2m, blk, HYP_PROT_RWX, 0);
	unlock(vm);
	MH_VCPU(vcpu)->st.s2_faults += r == 0; /* issue 15: stats.c */
	return r == 0 ? HYP_FAST_RESUME_X0_X18 : HYP_FAST_EXIT;
}

/* Stage-2 instruction aborts (EC 0x20): guest RAM's first touch, or the
 * run loop (an external abort for the guest). */
static int iabt_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)esr;
	return ram_fault_in(vcpu, self->ctx);
}

/* ---- issue 15 item 3: the emulated PL011 of a VM without the console
 * (vuart.c), after the vGIC, before guest RAM's first touch; out of line,
 * so the vGIC's exits pay nothing. An access it refuses (a bad width),
 * like one outside its page, goes on to ram_fault_in() and from there to
 * the run loop's external abort (bad_access()). */
static __attribute__((noinline)) int vuart_or_ram(struct hyp_vcpu *vcpu, struct mh_vm *vm,
						  const struct hyp_mmio *m)
{
	uint64_t val = m->data;

	if (mh_vuart_access(&vm->vuart, m->ipa, m->size, m->write, &val))
		return ram_fault_in(vcpu, vm);
	hyp_mmio_complete(vcpu, m, val);
	refresh(MH_VCPU(vcpu)); /* mh_timer_sync() may have changed its LRs */
	return !m->write && m->reg > 18 && m->reg < 30 ? HYP_FAST_RESUME : HYP_FAST_RESUME_X0_X18;
}
/* ---- end of issue 15 item 3 */

int mh_dabt_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	struct mh_vcpu *mv = MH_VCPU(vcpu);
	struct mh_vm *vm = self->ctx;
	struct hyp_mmio m;
	uint64_t val;

	int r;

	/* GICv2's GICD_SGIR from the syndrome alone (no decode), unless a
	 * timer reported high needs its level first (mh_timer_sync()). */
	if (__builtin_expect(!(vcpu->vtimer.flags & HYP_VTIMER_PENDING), 1)) {
		r = hyp_vgic_dabt_sgir(vcpu, esr);
		if (r >= 0) {
			mv->mmio_exits++;
			return r;
		}
	}
	r = hyp_mmio_decode(vcpu, &m);
	/* A permission fault whose IPA AT could not resolve: the guest's
	 * stage 1 changed under it; it retries the access. */
	if (r == HYP_EAGAIN)
		return HYP_FAST_RESUME_X0_X18;
	/* Not an access the vGIC emulates: guest RAM's first touch, or the
	 * run loop. (RAM is looked at last: the vGIC's exits pay nothing.) */
	if (r != 0)
		return ram_fault_in(vcpu, vm);
	val = m.data;
	mh_timer_sync(mv);
	if (hyp_vgic_mmio(&vm->vgic, mv->gv, m.ipa, m.size, m.write, &val) < 0)
		return vuart_or_ram(vcpu, vm, &m);
	hyp_mmio_complete(vcpu, &m, val);
	refresh(mv);
	mv->mmio_exits++;
	return !m.write && m.reg > 18 && m.reg < 30 ? HYP_FAST_RESUME : HYP_FAST_RESUME_X0_X18;
}

/* ---- what the VM's ID registers say (issue 11, defect 23) */

/* Set field @shift/@width of ID register @reg in the VM's view. */
static void id_set(struct hyp_cpufeat_vm *f, enum hyp_sysreg_id reg, unsigned int shift,
		   unsigned int width, uint64_t val)
{
	uint64_t mask = ((1ull << width) - 1) << shift;

	f->id[reg] = (f->id[reg] & ~mask) | ((val << shift) & mask);
}
#define ID_SET(f, reg, field, val)                                                                 \
	id_set(f, HYP_REG_##reg, HYP_IDF_##reg##_##field##_SHIFT, HYP_IDF_##reg##_##field##_WIDTH, \
	       val)

/*
 * ID_AA64MMFR0_EL1.PARange for an IPA size (Arm ARM D24.2.88): the largest
 * range the stage 2 covers.
 */
unsigned int mh_parange(unsigned int ia_bits)
{
	static const uint8_t bits[] = {32, 36, 40, 42, 44, 48, 52};
	unsigned int r = 0;

	for (unsigned int i = 0; i < sizeof(bits); i++)
		if (ia_bits >= bits[i])
			r = i;
	return r;
}

/*
 * The VM's view says what the VM gets (Arm ARM D24.2.93 ID_AA64PFR0_EL1,
 * D24.2.88 ID_AA64MMFR0_EL1): no EL2 (EL2 = 0b0000; so no VHE either,
 * ID_AA64MMFR1_EL1.VH = 0), EL1 and EL0 AArch64 only (0b0001: HCR_EL2.RW
 * makes EL1 AArch64, and the AArch32 ID registers read as zero, so no
 * AArch32 is described to the guest), and a physical address range no
 * larger than the IPA range its stage 2 maps (@ia_bits).
 */
static void vm_idregs(struct hyp_cpufeat_vm *f, unsigned int ia_bits)
{
	ID_SET(f, ID_AA64PFR0_EL1, EL2, 0);
	ID_SET(f, ID_AA64PFR0_EL1, EL1, 1);
	ID_SET(f, ID_AA64PFR0_EL1, EL0, 1);
	ID_SET(f, ID_AA64MMFR1_EL1, VH, 0);
	if (HYP_IDF_GET(ID_AA64MMFR0_EL1, PARange, f->id[HYP_REG_ID_AA64MMFR0_EL1]) >
	    mh_parange(ia_bits))
		ID_SET(f, ID_AA64MMFR0_EL1, PARange, mh_parange(ia_bits));
}

uint64_t mh_cpu_midr(unsigned int cpu)
{
	if (cpu < hyp_cpufeat.nr_cpus && hyp_cpufeat.cpus)
		return hyp_cpufeat.cpus[cpu].id[HYP_REG_MIDR_EL1];
	return hyp_cpu_idreg(HYP_REG_MIDR_EL1);
}

uint64_t mh_cptr_traps(uint64_t cptr)
{
	/* The VM is never given the AMU (hidden[]): trap its registers,
	 * which are otherwise accessible from EL1 and EL0. */
	if (hyp_cpu_has(HYP_CAP_AMU))
		cptr |= HYP_CPTR_TAM; /* bit 30 in both layouts (HYP_CPTR_E2H_TAM) */
	return cptr;
}

/* ---- a guest's own faults on the console, rate-limited */

bool mh_log_allow(uint32_t *count)
{
	uint32_t n = __atomic_add_fetch(count, 1u, __ATOMIC_RELAXED);

	if (n <= MH_LOG_FIRST)
		return true;
	if (n & (n - 1))
		return false;
	mh_printf("minihyp: %u such reports so far; printing one per power of two\n", n);
	return true;
}

/* ---- setup */

/* The TVM group (Arm ARM D19.2.48, HCR_EL2.TVM), minus the registers the
 * hardware writes on exception entry (ESR, FAR, AFSRn): dirty-tracked. */
static const struct hyp_sysreg_policy_req tvm_dirty[] = {
    {HYP_REG_SCTLR_EL1, HYP_SYSREG_DIRTY},	{HYP_REG_TTBR0_EL1, HYP_SYSREG_DIRTY},
    {HYP_REG_TTBR1_EL1, HYP_SYSREG_DIRTY},	{HYP_REG_TCR_EL1, HYP_SYSREG_DIRTY},
    {HYP_REG_MAIR_EL1, HYP_SYSREG_DIRTY},	{HYP_REG_AMAIR_EL1, HYP_SYSREG_DIRTY},
    {HYP_REG_CONTEXTIDR_EL1, HYP_SYSREG_DIRTY},
};

/* Features a guest is not given: the PMU (MDCR_EL2.TPM traps it; the
 * sysreg-trap benchmark relies on it), and state libhyp does not switch. */
static const enum hyp_cap hidden[] = {HYP_CAP_PMU, HYP_CAP_SVE, HYP_CAP_SME, HYP_CAP_AMU,
				      HYP_CAP_MTE};

static uint64_t guest_hcr(void)
{
	/* TIDCP: the IMPLEMENTATION DEFINED registers (op0 3, CRn 11/15: a
	 * CPU's auxiliary controls) trap, and are UNDEFINED for the guest
	 * (issue 16, the hostile guest's impdef-undef attack). */
	uint64_t hcr = HYP_HCR_RW | HYP_HCR_VM | HYP_HCR_IMO | HYP_HCR_FMO | HYP_HCR_AMO |
		       HYP_HCR_TSC | HYP_HCR_TID3 | HYP_HCR_TIDCP; /* TWI: sched.c's */

	/* E2H is not ours to set: libhyp takes it from the EL2 mode recorded
	 * at boot (hyp_cpufeat_set_el2_mode()). */
	if (hyp_cpu_has(HYP_CAP_FWB))
		hcr |= HYP_HCR_FWB;
	return hcr;
}

int mh_vm_init(struct mh_vm *vm, const struct mh_config *cfg, const struct mh_guest *g,
	       struct mh_gic *gic)
{
	const struct hyp_fdt_guest *dt = g->dt;
	struct hyp_sysreg_vm_config sc = {
	    .host = HYP_SYSREG_HOST_NONE,
	    .use_fgt = hyp_cpu_has(HYP_CAP_FGT),
	    .features = &vm->features,
	    .hcr_el2 = guest_hcr(),
	    .mdcr_el2 = vm->mdcr_el2,
	};
	struct hyp_vgic_config gc = {
	    .model = gic->version == 3 ? HYP_VGIC_MODEL_V3 : HYP_VGIC_MODEL_V2,
	    .hw = &vm->vgic_hw,
	    .vcpus = vm->gv,
	    .nr_vcpus = dt->nr_vcpus,
	    .mpidr = dt->mpidr,
	    .spis = vm->spis,
	    .nr_spis = MH_NR_SPIS,
	    .dist_base = dt->gicd.base,
	    .redist_base = dt->gicr.base,
	    .save_all = cfg->eager,
	    .ops = &vm->vgic_ops,
	    .ctx = vm,
	};
	unsigned int bad = 0;
	int ret;

	vm->cfg = *cfg;
	vm->gic = gic;
	vm->ram = dt->mem;
	vm->nr_vcpus = dt->nr_vcpus;

	ret = hyp_cpufeat_vm_init(&vm->features, hidden, sizeof(hidden) / sizeof(hidden[0]));
	if (ret) {
		mh_printf("minihyp: error: VM features: %d\n", ret);
		return ret;
	}
	vm_idregs(&vm->features, vm->s2.cfg.ia_bits);
	/* issue 15 item 6 (helper M): minihyp.policy (eager: IMMEDIATE) */
	switch (mh_policy(cfg)) {
	case MINIHYP_POLICY_IMMEDIATE:
		sc.default_policy = HYP_SYSREG_IMMEDIATE;
		break;
	case MINIHYP_POLICY_DEFERRED:
		sc.default_policy = HYP_SYSREG_DEFERRED;
		break;
	default: /* DIRTY, ADAPTIVE */
		sc.default_policy = HYP_SYSREG_DEFERRED;
		sc.req = tvm_dirty;
		sc.nr_req = sizeof(tvm_dirty) / sizeof(tvm_dirty[0]);
		sc.adaptive = mh_policy(cfg) == MINIHYP_POLICY_ADAPTIVE;
		break;
	}
	ret = hyp_sysreg_vm_init(&vm->sysreg, &sc, &bad);
	if (ret) {
		mh_printf("minihyp: error: sysreg policy: %d (register %u)\n", ret, bad);
		return ret;
	}

	/* One vCPU: only its CPU ever touches the VM's vGIC, no lock needed. */
	vm->vgic_ops = (struct hyp_vgic_ops){
	    .kick = vgic_kick, .resample = mh_timer_resample, .local = vgic_local};
	if (dt->nr_vcpus > 1) {
		vm->vgic_ops.lock = vgic_lock;
		vm->vgic_ops.unlock = vgic_unlock;
	}
	ret = hyp_vgic_init(&vm->vgic, &gc);
	if (ret) {
		mh_printf("minihyp: error: vGIC: %d\n", ret);
		return ret;
	}
	ret = hyp_sysreg_dispatch_init(&vm->sysreg_dispatch, &mh_trap_table, &vm->features);
	if (ret) {
		mh_printf("minihyp: error: the sysreg trap table is not sorted\n");
		return ret;
	}

	vm->psci =
	    (struct hyp_psci_ops){.cpu_on = psci_cpu_on, .affinity_info = psci_affinity_info};
	vm->smccc = (struct hyp_smccc){.psci = &vm->psci, .psci_ctx = vm, .call = smccc_call};
	/* A trapped WFE goes to the run loop: it traps only while another
	 * vCPU waits for the CPU, and then makes way for it (sched.c). */
	vm->wfx = (struct hyp_wfx_policy){.wfi = HYP_WFX_EXIT, .wfe = HYP_WFX_EXIT};
	hyp_fast_table_init(&vm->table);
	hyp_fast_table_init(&vm->none);
	if (hyp_smccc_register(&vm->table, &vm->smccc) ||
	    hyp_fast_register(&vm->table, HYP_EC_SYS64, hyp_sysreg_dispatch_trap,
			      &vm->sysreg_dispatch) ||
	    hyp_fast_register(&vm->table, HYP_EC_CP15_32, hyp_sysreg_dispatch_trap_aa32,
			      &vm->sysreg_dispatch) ||
	    hyp_fast_register(&vm->table, HYP_EC_CP15_64, hyp_sysreg_dispatch_trap_aa32,
			      &vm->sysreg_dispatch) ||
	    hyp_fast_register(&vm->table, HYP_EC_DABT_LOW, mh_dabt_trap, vm) ||
	    hyp_fast_register(&vm->table, HYP_EC_IABT_LOW, iabt_trap, vm) ||
	    hyp_fast_register(&vm->table, HYP_EC_WFX, hyp_wfx_trap, &vm->wfx) ||
	    hyp_fast_register(&vm->table, HYP_EC_FP_ASIMD, hyp_fp_trap, NULL) ||
	    hyp_fast_register_irq(&vm->table, irq_fast, vm) ||
	    smccc_answers_init() || hyp_fast_set_smccc_answers(&vm->table, &smccc_answers))
		return HYP_EINVAL;
	vm->fast = cfg->fast_path && !cfg->eager ? &vm->table : &vm->none;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct mh_vcpu *mv = &vm->vcpu[i];

		mv->vm = vm;
		mv->idx = i;
		mv->pcpu = 0; /* the scheduler's (sched.c) */
		mv->sched = MH_SCHED_OFF;
		mv->gv = &vm->gv[i];
		hyp_sysreg_vcpu_init(&mv->sr, &vm->sysreg);
		hyp_vgic_vcpu_bind_sysreg(mv->gv, &mv->sr);
		mv->sr.regs[HYP_REG_SCTLR_EL1] = SCTLR_EL1_RESET;
		ret = hyp_vcpu_init(&mv->v, guest_hcr(), vm->fast);
		if (!ret)
			ret = hyp_vcpu_use_sysreg(&mv->v, &mv->sr);
		if (!ret)
			ret = hyp_vcpu_attach_vgic(&mv->v, mv->gv);
		if (!ret)
			ret = mh_timer_init(mv);
		if (ret) {
			mh_printf("minihyp: error: vCPU %u: %d\n", i, ret);
			return ret;
		}
		mv->v.mpidr = dt->mpidr[i];
		mv->v.fp = &mv->fp;
		mv->state = MH_VCPU_OFF;
	}
	/* The Linux arm64 boot protocol (Documentation/arch/arm64/booting.rst):
	 * x0 = the DTB, x1..x3 = 0, EL1h with DAIF masked, MMU off. */
	vm->vcpu[0].v.regs.pc = g->entry;
	vm->vcpu[0].v.regs.x[0] = g->dtb;
	vm->vcpu[0].state = MH_VCPU_ON;
	mh_stats_vm_init(vm); /* issue 15: stats.c */
	return 0;
}

/* ---- load / put */

/* mh_vcpu_load() but this CPU's record of it (mh_yield(): the same vCPU
 * again, nothing moved). */
static void vcpu_load(struct mh_vcpu *mv)
{
	struct mh_vm *vm = mv->vm;

	/* What the guest reads as MIDR_EL1 and MPIDR_EL1 (their reset values
	 * at EL2 are UNKNOWN): MIDR_EL1 of the physical CPU it runs on, from
	 * cpufeat's per-CPU cache (the system view's MIDR_EL1 combines every
	 * CPU's and names none of them). */
	hyp_write_sysreg(HYP_SYS_VPIDR_EL2, mh_cpu_midr(mh_this_cpu()));
	hyp_write_sysreg(HYP_SYS_VMPIDR_EL2, (mv->v.mpidr & MPIDR_AFF_MASK) | MPIDR_RES1);
	hyp_write_sysreg(HYP_SYS_MDCR_EL2, vm->sysreg.mdcr_el2);
	/* The VM's stage 2 and VMID (VTTBR_EL2). */
	hyp_s2_load(&vm->s2);
	/* The sysreg engine, the vGIC, the timers (libhyp's lifecycle). */
	if (hyp_vcpu_load(&mv->v))
		mh_fail("%svCPU %u: load", vm->prefix, mv->idx);
}

static void vcpu_put(struct mh_vcpu *mv)
{
	/* Lazy FP (its registers saved if it owns them), the timers, the
	 * vGIC, the sysreg engine. */
	if (hyp_vcpu_put(&mv->v))
		mh_fail("%svCPU %u: put", mv->vm->prefix, mv->idx);
}

void mh_vcpu_load(struct mh_vcpu *mv)
{
	vcpu_load(mv);
	mh_pcpus[mh_this_cpu()].current = mv;
	mv->loads++;
}

void mh_vcpu_put(struct mh_vcpu *mv)
{
	vcpu_put(mv);
	mh_pcpus[mh_this_cpu()].current = NULL;
}

/* A CPU_ON target about to run: the boot state PSCI specifies. */
static void vcpu_reset(struct mh_vcpu *mv)
{
	hyp_psci_vcpu_reset(&mv->v, mv->on_entry, mv->on_context);
	mv->sr.regs[HYP_REG_SCTLR_EL1] = SCTLR_EL1_RESET;
}

bool mh_vcpu_start(struct mh_vcpu *mv)
{
	uint32_t s = __atomic_load_n(&mv->state, __ATOMIC_ACQUIRE);

	if (s == MH_VCPU_ON_PENDING) {
		/* Only this CPU moves ON_PENDING on (psci_cpu_on()): the CAS
		 * cannot fail, it states the transition. */
		vcpu_reset(mv);
		return __atomic_compare_exchange_n(&mv->state, &s, MH_VCPU_ON, false,
						   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	}
	return s == MH_VCPU_ON;
}

/* ---- exits that reach the run loop */

static enum mh_action smccc_exit(struct mh_vcpu *mv)
{
	struct hyp_vcpu *v = &mv->v;
	struct mh_vm *vm = mv->vm;

	switch (v->exit.smccc_fn) {
	case HYP_PSCI_CPU_OFF:
		__atomic_store_n(&mv->state, MH_VCPU_OFF, __ATOMIC_RELEASE);
		return MH_CPU_OFF;
	case HYP_PSCI_SYSTEM_OFF:
		mh_printf("minihyp: %sguest SYSTEM_OFF\n", vm->prefix);
		vm->stop_status = 0;
		vm->stop = true;
		return MH_STOP;
	case HYP_PSCI_SYSTEM_RESET:
		/* With one VM the machine resets (main.c); with several the VM
		 * ends: its image cannot be loaded again. */
		mh_printf("minihyp: %sguest SYSTEM_RESET\n", vm->prefix);
		vm->stop_reset = true;
		vm->stop = true;
		return MH_STOP;
	case MH_HVC_EXIT:
		vm->stop_status = (unsigned int)v->regs.x[1];
		mh_printf("minihyp: %sguest exit status %u\n", vm->prefix, vm->stop_status);
		vm->stop = true;
		return MH_STOP;
	case MH_HVC_YIELD:
		mv->yields++;
		return MH_YIELD;
	case HYP_PSCI_CPU_SUSPEND:
	case HYP_PSCI_CPU_SUSPEND | HYP_SMCCC_64:
		/* A standby: X0 holds SUCCESS, wake on an interrupt. */
		return hyp_vgic_vcpu_pending(mv->gv) ? MH_CONTINUE : MH_BLOCK;
	default:
		return MH_CONTINUE;
	}
}

/* A stage-2 abort nobody emulates: an external abort in the guest. */
static enum mh_action bad_access(struct mh_vcpu *mv)
{
	struct hyp_vcpu *v = &mv->v;
	uint64_t ipa = 0;
	struct hyp_mmio m;
	int ret = hyp_esr_ec(v->exit.esr) == HYP_EC_DABT_LOW ? hyp_mmio_decode(v, &m) : 0;

	/* HPFAR_EL2 is UNKNOWN for a permission fault: the IPA by AT S1E1R;
	 * if that fails the guest's stage 1 changed, and it retries. */
	if (ret == HYP_EAGAIN || hyp_vcpu_fault_ipa(v, &ipa) == HYP_EAGAIN)
		return MH_CONTINUE;

	if (mh_log_allow(&mv->vm->fault_reports))
		mh_printf("minihyp: %svCPU %u: %s at IPA %#llx (PC %#llx): external abort\n", mv->vm->prefix, mv->idx,
			  ret == HYP_ENOTSUP ? "an access the syndrome does not describe (ISV = 0)"
					     : "no device",
			  (unsigned long long)ipa, (unsigned long long)v->regs.pc);
	if (hyp_esr_ec(v->exit.esr) == HYP_EC_DABT_LOW)
		hyp_inject_dabt(v, v->exit.far, (v->exit.esr >> 6) & 1);
	else
		hyp_inject_iabt(v, v->exit.far);
	return MH_CONTINUE;
}

enum mh_action mh_handle_exit(struct mh_vcpu *mv, unsigned int kind, unsigned int intid)
{
	struct hyp_vcpu *v = &mv->v;
	struct mh_vm *vm = mv->vm;
	unsigned int ec;

	mv->run_exits++;
	/* The timers' levels reached the vGIC through mh_timer_ops. */

	/* An SError this exit consumed (libhyp synchronises at every exit
	 * that reaches the run loop): the guest's own, back to it. */
	if (v->exit.valid & HYP_EXIT_V_SERROR)
		hyp_inject_serror(v, v->exit.serror_esr);

	switch (kind) {
	case HYP_EXIT_IRQ:
		mv->irq_exits++;
		/* The scheduler's tick (CNTHP) or a kick: the only IRQ exits
		 * that ask it anything, so the other exits pay nothing. */
		if (intid == MH_KICK_SGI)
			return mh_sched_kick(mh_this_cpu()) ? MH_PREEMPT : MH_CONTINUE;
		if (intid == vm->gic->htimer)
			return mh_sched_tick(mh_this_cpu()) ? MH_PREEMPT : MH_CONTINUE;
		return MH_CONTINUE;
	case HYP_EXIT_SYNC:
		break;
	case HYP_EXIT_FIQ:
		mh_stats_exit(mv, kind, 0, 1023); /* issue 15: stats.c */
		return MH_CONTINUE;
	default:
		mh_stats_exit(mv, kind, 0, 1023); /* issue 15: stats.c */
		/* The guest's SError: back to the guest as a virtual SError. */
		hyp_vcpu_exit_default(v);
		return MH_CONTINUE;
	}

	ec = hyp_esr_ec(v->exit.esr);
	mh_stats_sync(mv, ec, v->exit.esr); /* issue 15: stats.c */
	/* Without the fast path, the run loop calls the same handlers. */
	if (vm->fast != &vm->table && !(v->exit.valid & HYP_EXIT_V_SMCCC)) {
		const struct hyp_fast_entry *e = &vm->table.entry[ec];

		if (e->fn && e->fn(v, v->exit.esr, e) != HYP_FAST_EXIT)
			return MH_CONTINUE;
	}
	if (v->exit.valid & HYP_EXIT_V_SMCCC)
		return smccc_exit(mv);

	switch (ec) {
	case HYP_EC_WFX:
		hyp_vcpu_skip_insn(v);
		/* EC 0x01, ISS.TI [1:0] 0b01 WFE (0b11 WFET): Arm ARM ESR_EL2,
		 * "ISS encoding for an exception from a WF* instruction". WFE
		 * traps only while another vCPU waits here (HCR_EL2.TWE, bit
		 * [14], Arm ARM D24.2.62; sched.c): it makes way for that vCPU. */
		if (hyp_esr_wfx_is_wfe(v->exit.esr))
			return mh_sched_wfe(mv) == MH_LEAVE_YIELD ? MH_SPIN_YIELD : MH_CONTINUE;
		if (hyp_vgic_vcpu_pending(mv->gv))
			return MH_CONTINUE;
		return MH_BLOCK;
	case HYP_EC_DABT_LOW:
	case HYP_EC_IABT_LOW:
		return bad_access(mv);
	case HYP_EC_SYS64:
	case HYP_EC_CP15_32:
	case HYP_EC_CP15_64:
		/* A trap handler that failed (hyp_sysreg_vcpu::trap_error), or
		 * a register nothing answers: UNDEFINED for the guest. */
		if (mv->sr.trap_error && mh_log_allow(&vm->fault_reports))
			mh_printf("minihyp: %svCPU %u: sysreg trap handler error %d\n", vm->prefix, mv->idx,
				  mv->sr.trap_error);
		mv->sr.trap_error = 0;
		hyp_inject_undef(v);
		return MH_CONTINUE;
	case HYP_EC_HVC64:
	case HYP_EC_HVC32:
		/* HVC with an immediate other than 0: not SMCCC, not ours. */
		v->regs.x[0] = (uint64_t)(int64_t)HYP_SMCCC_NOT_SUPPORTED;
		return MH_CONTINUE;
	default:
		/* Anything else (SMC of any immediate, SVE, SME, CP14...) is
		 * answered in the guest: a guest never stops the machine. */
		hyp_vcpu_exit_default(v);
		return MH_CONTINUE;
	}
}

enum mh_action mh_after_run(struct mh_vcpu *mv, unsigned int kind)
{
	const struct mh_gic *gic = mv->vm->gic;
	unsigned int intid = 1023;
	uint32_t raw = 0, acked = 0;

	/* Acknowledge before the vGIC exit clears a maintenance request:
	 * the maintenance interrupt is level-sensitive. The IRQ fast path
	 * (irq_fast()) may have acknowledged it already. */
	if (kind == HYP_EXIT_IRQ) {
		acked = mv->irq_acked;
		if (acked) {
			mv->irq_acked = 0;
			raw = acked & ~(MH_IRQ_ACKED | MH_IRQ_EOID);
			intid = gic->version == 3 ? raw : raw & 0x3ffu;
		} else {
			intid = mh_gic_ack(gic, &raw);
		}
		mh_stats_exit(mv, kind, 0, intid); /* issue 15: stats.c */
	}
	hyp_vgic_save(mv->gv);
	/* issue 15: a forwarded device interrupt goes to its VM (forward.c);
	 * only SPIs are (INTID 32 and up): the kick SGI and the timers' PPIs
	 * skip the lookup. */
	if (intid < 1020 && !(acked & MH_IRQ_EOID) &&
	    (intid < 32 || !mh_forward_irq(gic, intid, raw)))
		mh_gic_eoi(gic, raw);
	return mh_handle_exit(mv, kind, intid);
}

void mh_yield(struct mh_vcpu *mv)
{
	vcpu_put(mv);
	vcpu_load(mv);
}
