/* SPDX-License-Identifier: MIT */
/**
 * @file world_switch.h
 * @brief Running a vCPU: hyp_vcpu_run(), its C halves, the EL2 vector table, the
 *        EL2 fault/IRQ entry and the fast-path table registration.
 *
 * Part of the world-switch API (libhyp/switch.h includes every part).
 *
 * Concurrency: a struct hyp_vcpu belongs to the physical CPU that runs it;
 * libhyp takes no lock. Each function's "Concurrency" paragraph is exact.
 */
#ifndef LIBHYP_WORLD_SWITCH_H
#define LIBHYP_WORLD_SWITCH_H

#include <stdint.h>

#include <libhyp/error.h>
#include <libhyp/vcpu.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The EL2 state of an exception taken from EL2 itself, handed to
 *        hyp_switch_el2_fault().
 */
struct hyp_el2_fault {
	uint64_t x[31];	    /**< X0..X30 at the exception */
	uint64_t sp;	    /**< SP_EL2 at the exception */
	uint64_t elr;	    /**< ELR_EL2 (written back on return) */
	uint64_t spsr;	    /**< SPSR_EL2 (written back on return) */
	uint64_t esr;	    /**< ESR_EL2 (meaningful for sync and SError) */
	uint64_t far;	    /**< FAR_EL2 (meaningful for aborts) */
	uint64_t vector;    /**< vector offset / 0x80: 0-3 EL2t sync/IRQ/FIQ/SError, 4-7 EL2h */
	uint64_t reserved_; /**< padding */
};


/* ---------------------------------------------------------------------- */
/** @name Running a vCPU
 * @{ */

/**
 * @brief Run @p vcpu until an exit no fast-path handler takes.
 *
 * aarch64 backend only. Call at EL2 with ::hyp_switch_vectors in VBAR_EL2;
 * interrupts are masked while the guest runs and the caller's DAIF is
 * restored on return. Equivalent to hyp_switch_prepare(), entering the guest,
 * hyp_switch_complete().
 *
 * Cost per call: the hooks, plus MSR HCR_EL2, ELR_EL2, SPSR_EL2 on entry,
 * MRS ELR_EL2, SPSR_EL2 on exit, FAR_EL2/HPFAR_EL2 for aborts, CNTV_CTL for
 * a pending timer or an IRQ exit of a timer-managing vCPU (see
 * hyp_vtimer_check()), CPTR_EL2 only when the lazy-FP owner changed.
 * Each hot exit handled on the fast path costs ESR_EL2 and what its handler
 * touches.
 *
 * @return the enum hyp_exit_kind; details in vcpu->exit
 * @param vcpu the vCPU (must be valid: a hot-path function)
 * @concurrency On the physical CPU where the vCPU's state is loaded
 *  (sysreg, vGIC, timer, FP ownership), one vCPU at a time per CPU. A vCPU
 *  runs on at most one CPU at a time: the integrator's scheduler guarantees
 *  it, libhyp takes no lock. Other CPUs reach a running vCPU only through
 *  the vGIC (hyp_vgic_irq_raise() and the kick hook), never through its
 *  struct hyp_vcpu.
 */
int hyp_vcpu_run(struct hyp_vcpu *vcpu);

/**
 * @brief The C half of hyp_vcpu_run() before the guest is entered.
 *
 * Calls hooks->enter, applies the lazy-FP trap, writes HCR_EL2 (vcpu->hcr),
 * ELR_EL2 (regs.pc), SPSR_EL2 (regs.pstate) and, with
 * ::HYP_VCPU_HOST_SP_EL0, swaps SP_EL0. Afterwards the vCPU is "live": its
 * PC and PSTATE are read and written in hardware by the accessors.
 * Exposed so the host backend can drive a world switch's C halves.
 * @param vcpu the vCPU (must be valid: a hot-path function)
 * @concurrency As hyp_vcpu_run(): the vCPU's CPU, interrupts masked until
 *  the guest is entered.
 */
void hyp_switch_prepare(struct hyp_vcpu *vcpu);

/**
 * @brief The C half of hyp_vcpu_run() after the guest exited to the run loop.
 *
 * Reads ELR_EL2/SPSR_EL2 (and SP_EL0) back into regs, captures the exit
 * (kind; ESR_EL2 for an SError; FAR/HPFAR for aborts unless already
 * captured), synchronises SErrors (below), re-reads HCR_EL2 only if a
 * virtual SError was pending (the CPU clears VSE when it is taken), runs
 * the vtimer check, then hooks->exit.
 *
 * SError synchronisation, for every exit but an SError exit, with PSTATE.A
 * still masked (hyp_vcpu_run() restores the caller's DAIF afterwards): an
 * SError the guest caused must be reported with this guest's exit, not
 * taken at EL2 later or at the next guest entry (maybe another vCPU's).
 * DSB SY (the guest's accesses complete), ISB (an error they raised is
 * pending now); with ::HYP_VCPU_RAS: ESB, which defers a pending SError
 * into DISR_EL1 (Arm ARM D24.9.1), one MRS DISR_EL1 and, if A is set, one
 * MSR to clear it; without: one MRS ISR_EL1 (A, bit 8: the physical SError
 * is pending, D24.2.118) and, if set, hyp_serror_take() takes it at EL2 in
 * a window the vectors recognise. A consumed SError sets
 * ::HYP_EXIT_V_SERROR and exit.serror_esr; hyp_vcpu_exit_default() (or
 * hyp_inject_serror()) gives it to the guest. Cost without an error: DSB,
 * ISB (and ESB), one MRS. Exits handled on the fast path pay nothing: the
 * same guest resumes and takes its own SError as an SError exit.
 *
 * @param vcpu the vCPU
 * @param kind the enum hyp_exit_kind reported by the vector code
 * @concurrency As hyp_vcpu_run(): the CPU the guest exited on, before
 *  anything else runs a guest or takes an exception there (ELR/SPSR/FAR/HPFAR
 *  are per CPU).
 */
void hyp_switch_complete(struct hyp_vcpu *vcpu, unsigned kind);

/**
 * @brief The fast-path dispatcher, called by the lower-EL synchronous vector.
 *
 * Reads ESR_EL2 (its only hardware access), records it in vcpu->exit and
 * calls the fast-table entry for its class, or returns ::HYP_FAST_EXIT if
 * there is none. Any EC value, including unallocated ones, is safe.
 *
 * @return an enum hyp_fast_action
 * @param vcpu the vCPU that exited (must be valid: a hot-path function)
 * @concurrency Called by the vector code on the CPU the guest exited on,
 *  with interrupts masked.
 */
int hyp_switch_sync_exit(struct hyp_vcpu *vcpu);

/**
 * @brief Capture FAR_EL2 and HPFAR_EL2 for the current exit if its class
 *        defines them and they were not captured yet.
 *
 * Instruction and data aborts from a lower EL: FAR_EL2 and HPFAR_EL2 (FAR
 * is meaningless if FnV, HPFAR for an abort that is not a stage-2 fault;
 * both are read anyway); PC alignment and watchpoints: FAR_EL2. Other
 * classes: no access. Idempotent within one exit (struct hyp_exit::valid).
 * @param vcpu the vCPU whose exit is being handled (must be valid)
 * @concurrency On the CPU the exit happened on, before the next exception
 *  or guest entry there (FAR_EL2/HPFAR_EL2 are per CPU and overwritten).
 */
void hyp_exit_capture_fault(struct hyp_vcpu *vcpu);

/**
 * @brief The EL2 vector table (2 KiB aligned): install it in VBAR_EL2.
 *
 * Lower-EL entries (AArch64 and AArch32) implement the world switch; the
 * current-EL entries (exceptions taken from EL2 itself, including IRQs if
 * the host unmasks them at EL2) save the state in a struct hyp_el2_fault on
 * the current stack and call hyp_switch_el2_fault().
 */
extern const uint32_t hyp_switch_vectors[512];

/**
 * @brief Called for every exception taken from EL2 itself: not only
 *        faults but also the EL2 IRQ, FIQ and SError entry.
 *
 * Despite its name this is the handler of all eight current-EL vectors:
 * synchronous exceptions, and the IRQs, FIQs and SErrors the host takes at
 * EL2 (when it unmasks them there). f->vector says which (0-3: EL2t
 * sync/IRQ/FIQ/SError, 4-7: EL2h); an integrator that takes its own IRQs at
 * EL2 handles them here and returns. The name stays (it is a weak symbol
 * integrators override, so an alias could not redirect it).
 *
 * libhyp provides a weak default that parks the CPU (WFI loop); the
 * integrator overrides it to panic with the state, or to handle the
 * exception (e.g. its own IRQs). If it returns, ELR_EL2, SPSR_EL2 and the
 * GPRs are reloaded from @p f and the exception returns.
 * @param f the saved state (on the faulting CPU's stack); ELR, SPSR and the
 *        GPRs are reloaded from it if the function returns
 * @concurrency Runs on the CPU that took the exception, in exception
 *  context: it must not take locks the interrupted code may hold.
 */
void hyp_switch_el2_fault(struct hyp_el2_fault *f);

/** @} */

/* ---------------------------------------------------------------------- */
/** @name The frame rule: which GPRs a fast-path handler finds in vcpu->regs
 *
 * On the aarch64 backend a synchronous exit stores X0..X18 and X30 (what
 * a C function may clobber, AAPCS64) into vcpu->regs before it calls the
 * fast-path handler, and X19 with X18 (one STP). The rest of the
 * callee-saved block, X20..X29, is stored too when
 * hyp_switch_exit_needs_x19_x29() says so for the exit's ESR_EL2;
 * otherwise it stays in the CPU, the handler's C code preserves it, and
 * exit.valid has ::HYP_EXIT_V_X19_X29_LIVE. Before an exit reaches the run
 * loop (::HYP_FAST_EXIT, or a class without a handler) the vector code
 * stores the block and clears the flag: the run loop, the integrator and
 * hyp_switch_complete() always see all 31.
 *
 * The rule for a handler: read and write only the registers its exit
 * names (Rt of MSR/MRS and WFET/WFIT, SRT of a data abort with ISV, the
 * SMCCC's X0..X17 for HVC/SMC, R0..R14 of an AArch32 CP15 access), or
 * use hyp_vcpu_read_gpr() / hyp_vcpu_write_gpr(), which refuse a register
 * the frame does not hold (or check hyp_vcpu_x19_x29_saved() first).
 * While the flag is set X20..X29 in vcpu->regs are stale and a write into
 * them is lost at the resume (HYP_FAST_RESUME reloads only X0..X19 and X30
 * then; hyp_vcpu_write_gpr() refuses X19 too, so that the rule does not
 * depend on that). libhyp's own handlers (sysreg dispatcher, MMIO,
 * SMCCC/PSCI, WFx) follow it. The host backend always has all 31.
 * @{ */

/** exit.valid: X20..X29 are in the CPU, not in vcpu->regs (set only while
 *  a fast-path handler runs, by the aarch64 vector code). */
#define HYP_EXIT_V_X19_X29_LIVE (1ull << 63)

/**
 * @brief Whether the vector code stores X19..X29 before the fast-path
 *        handler of an exit with syndrome @p esr (the rule above, as
 *        src/switch/entry.S applies it). No hardware; a few instructions.
 *
 * Yes unless the class names its registers: MSR/MRS (EC 0x18) and WFx
 * (EC 0x01) with Rt [9:5] not in 19..29; a data abort from a lower EL
 * (EC 0x24) with ISV [24] set and SRT [20:16] not in 19..29; HVC/SMC
 * (EC 0x12, 0x13, 0x16, 0x17) and AArch32 CP15 accesses (EC 0x03, 0x04)
 * never (Arm ARM D24.2.46, the ISS encodings of ESR_EL2).
 * @param esr an ESR_EL2 value
 * @return true if the handler finds all 31 GPRs in vcpu->regs
 * @concurrency Any CPU; pure.
 */
static inline bool hyp_switch_exit_needs_x19_x29(uint64_t esr)
{
	unsigned ec = (unsigned)(esr >> 26) & 0x3fu, reg;

	if (ec == 0x18 || ec == 0x01)
		reg = (unsigned)(esr >> 5) & 31u;
	else if (ec == 0x24 && (esr & (1u << 24)))
		reg = (unsigned)(esr >> 16) & 31u;
	else
		return ((1ull << 0x03 | 1ull << 0x04 | 1ull << 0x12 | 1ull << 0x13 | 1ull << 0x16 |
			 1ull << 0x17) >> ec & 1u) == 0;
	return reg - 19u < 11u;
}

/**
 * @brief Whether X19..X29 of @p vcpu are in vcpu->regs (always, but inside
 *        a fast-path handler whose exit does not name them). No hardware.
 * @param vcpu the vCPU (must be valid)
 * @return true if hyp_vcpu_get_x() / hyp_vcpu_set_x() reach the guest's
 *         X19..X29 (false: only X0..X19 and X30 are read right, and
 *         only X0..X18 and X30 written)
 * @concurrency The vCPU's owner, as hyp_vcpu_get_x().
 */
static inline bool hyp_vcpu_x19_x29_saved(const struct hyp_vcpu *vcpu)
{
	return (vcpu->exit.valid & HYP_EXIT_V_X19_X29_LIVE) == 0;
}

/**
 * @brief Guest GPR @p n (0..30; 31 reads as zero, XZR) under the frame
 *        rule: hyp_vcpu_get_x() that refuses a register still in the CPU.
 *        No hardware; a few instructions.
 * @param vcpu the vCPU (must be valid)
 * @param n the register number
 * @param val where to store the value (must be valid)
 * @return 0; HYP_ESTATE if @p n is one of X20..X29 and
 *         ::HYP_EXIT_V_X19_X29_LIVE is set (*@p val unchanged)
 * @concurrency As hyp_vcpu_get_x().
 */
static inline int hyp_vcpu_read_gpr(const struct hyp_vcpu *vcpu, unsigned n, uint64_t *val)
{
	if (n - 20u < 10u && !hyp_vcpu_x19_x29_saved(vcpu))
		return HYP_ESTATE;
	*val = n < 31 ? vcpu->regs.x[n] : 0;
	return 0;
}

/**
 * @brief Set guest GPR @p n (0..30; 31, XZR, is ignored) under the frame
 *        rule: hyp_vcpu_set_x() that refuses a register the resume would
 *        not reload. No hardware; a few instructions.
 * @param vcpu the vCPU (must be valid)
 * @param n the register number
 * @param v the value
 * @return 0; HYP_ESTATE if @p n is one of X19..X29 and
 *         ::HYP_EXIT_V_X19_X29_LIVE is set (nothing written)
 * @concurrency As hyp_vcpu_get_x().
 */
static inline int hyp_vcpu_write_gpr(struct hyp_vcpu *vcpu, unsigned n, uint64_t v)
{
	if (n - 19u < 11u && !hyp_vcpu_x19_x29_saved(vcpu))
		return HYP_ESTATE;
	if (n < 31)
		vcpu->regs.x[n] = v;
	return 0;
}

/** @} */

/* ---------------------------------------------------------------------- */
/** @name Fast-path table
 * @{ */

/**
 * @brief Empty @p t (every class exits to the run loop). No hardware.
 * @param t the table
 * @concurrency Any CPU, while no vCPU uses @p t.
 */
void hyp_fast_table_init(struct hyp_fast_table *t);

/**
 * @brief Register @p fn for exception class @p ec.
 *
 * Not atomic with respect to a vCPU using @p t on another CPU: register
 * before such vCPUs run. No hardware.
 * @return 0; HYP_EINVAL for @p ec > ::HYP_EC_MAX, a NULL @p t or @p fn;
 *         HYP_EEXIST if the class already has a handler
 * @param t the table
 * @param ec the exception class (0..HYP_EC_MAX)
 * @param fn the handler
 * @param ctx its argument (self->ctx)
 * @concurrency Any CPU, while no vCPU uses @p t: the entry is written
 *  without atomics, so register before the vCPUs run; afterwards the table
 *  is read-only and shared by them without a lock.
 */
int hyp_fast_register(struct hyp_fast_table *t, unsigned ec, hyp_fast_fn fn, void *ctx);

/**
 * @brief Remove the handler of class @p ec if it is @p fn.
 * @return 0; HYP_EINVAL for a bad @p ec or NULL @p t; HYP_ENOENT if @p fn
 *         is not the registered handler
 * @param t the table
 * @param ec the exception class
 * @param fn the handler expected there
 * @concurrency As hyp_fast_register(): not while a vCPU uses @p t.
 */
int hyp_fast_unregister(struct hyp_fast_table *t, unsigned ec, hyp_fast_fn fn);

/** @} */

/* ---------------------------------------------------------------------- */
/** @name The IRQ fast path
 *
 * A physical IRQ taken while a guest runs (HCR_EL2.IMO) goes to the run
 * loop (hyp_vcpu_run() returns ::HYP_EXIT_IRQ), unless the vCPU's fast
 * table has an IRQ handler: then the lower-EL IRQ vector saves what C
 * clobbers (X0..X19 and X30, into vcpu->regs; X20..X29 stay in the CPU and
 * exit.valid has ::HYP_EXIT_V_X19_X29_LIVE, the frame rule of a
 * synchronous exit that names no register), sets exit.esr to 0 and calls
 * the handler as fn(vcpu, 0, &fast->irq) on the run loop's stack, with
 * every exception masked and the guest's state live (ELR_EL2, SPSR_EL2,
 * its EL1 registers, its vGIC list registers). The handler acknowledges
 * the physical interrupt itself (ICC_IAR1_EL1 / GICC_IAR) and decides:
 * - ::HYP_FAST_RESUME_X0_X18 or ::HYP_FAST_RESUME: the guest resumes at
 *   once (X0..X19 and X30 reloaded; the handler must not have written
 *   X19..X29): no hyp_switch_complete(), no timer check, no hook, no
 *   run-loop pass. The handler has done everything the interrupt asked
 *   (its EOI, and for a kick the vGIC's list registers brought up to date,
 *   e.g. with hyp_vgic_refill(), libhyp/vgic.h).
 * - anything else (::HYP_FAST_EXIT): X20..X29 are stored, the flag
 *   cleared, and hyp_vcpu_run() returns ::HYP_EXIT_IRQ exactly as without
 *   a handler. If the handler acknowledged the interrupt it must hand it
 *   to the run loop itself (which then must not acknowledge it again).
 *
 * The use it was made for: a kick, the physical SGI another CPU sends so
 * that a running vCPU refills its list registers (hyp_vgic_ops::kick),
 * answered without leaving the exception handler (docs/switch.md, "The
 * IRQ fast path").
 * @{ */

/**
 * @brief Register @p fn as the IRQ fast-path handler of table @p t.
 *
 * No hardware. Not atomic with respect to a vCPU using @p t on another
 * CPU: register before such vCPUs run.
 * @return 0; HYP_EINVAL for a NULL @p t or @p fn; HYP_EEXIST if the table
 *         already has an IRQ handler (nothing changed on error)
 * @param t the table
 * @param fn the handler, called as fn(vcpu, 0, &t->irq) (its esr is 0)
 * @param ctx its argument (self->ctx)
 * @concurrency Any CPU, while no vCPU uses @p t (as hyp_fast_register()).
 */
int hyp_fast_register_irq(struct hyp_fast_table *t, hyp_fast_fn fn, void *ctx);

/**
 * @brief Remove the IRQ fast-path handler of @p t if it is @p fn.
 *
 * No hardware.
 * @return 0; HYP_EINVAL for a NULL @p t; HYP_ENOENT if @p fn is not the
 *         registered handler (nothing changed)
 * @param t the table
 * @param fn the handler expected there
 * @concurrency As hyp_fast_register_irq(): not while a vCPU uses @p t.
 */
int hyp_fast_unregister_irq(struct hyp_fast_table *t, hyp_fast_fn fn);

/**
 * @brief The IRQ fast-path dispatcher: what the lower-EL IRQ vector does
 *        between saving the guest's GPRs and resuming or leaving, in C.
 *
 * The aarch64 vector code does this in assembly; this is the reference and
 * the host backend's entry (tests drive it as the vector would). Sets
 * exit.esr and exit.valid to 0, then calls the table's IRQ handler, if
 * any, as fn(vcpu, 0, &vcpu->fast->irq). No hardware access of its own.
 * @return ::HYP_FAST_RESUME_X0_X18 or ::HYP_FAST_RESUME: the guest resumes
 *         (what the handler returned); ::HYP_FAST_EXIT: the exit goes to the
 *         run loop (no handler, or the handler returned anything else,
 *         including ::HYP_FAST_RESUME_SKIP: an IRQ has no instruction to
 *         complete)
 * @param vcpu the vCPU that was interrupted (must be valid: a hot-path
 *        function)
 * @concurrency Called on the CPU the guest was interrupted on, with
 *  interrupts masked, as hyp_switch_sync_exit().
 */
int hyp_switch_irq_exit(struct hyp_vcpu *vcpu);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_WORLD_SWITCH_H */
