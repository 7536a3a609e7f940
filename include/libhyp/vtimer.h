/* SPDX-License-Identifier: MIT */
/**
 * @file vtimer.h
 * @brief The guest timers: the EL1 virtual timer switched with the vCPU and the
 *        emulated EL1 physical timer (CNTP_*).
 *
 * Part of the world-switch API (libhyp/switch.h includes every part).
 * struct hyp_vtimer is embedded in struct hyp_vcpu (libhyp/vcpu.h).
 *
 * Concurrency: a struct hyp_vcpu belongs to the physical CPU that runs it;
 * libhyp takes no lock. Each function's "Concurrency" paragraph is exact.
 */
#ifndef LIBHYP_VTIMER_H
#define LIBHYP_VTIMER_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct hyp_vcpu;

/** @brief What a vtimer check found (struct hyp_exit::vtimer). */
enum hyp_vtimer_event {
	HYP_VTIMER_NONE = 0,	 /**< nothing changed */
	HYP_VTIMER_ASSERT = 1,	 /**< the timer fired: inject it (it is masked while pending) */
	HYP_VTIMER_DEASSERT = 2, /**< the guest handled it: drop the injected line */
};


/**
 * @name struct hyp_vtimer::flags
 * @{
 */
#define HYP_VTIMER_ON		 (1u << 0)  /**< the switch manages this vCPU's virtual timer */
#define HYP_VTIMER_USE_VI	 (1u << 1)  /**< drive HCR_EL2.VI from the timer (no vGIC) */
#define HYP_VTIMER_TRAP_PTIMER	 (1u << 2)  /**< trap the guest's EL1 physical timer (CNTP_*) */
#define HYP_VTIMER_TRAP_PCOUNTER (1u << 3)  /**< trap the guest's physical counter (CNTPCT) */
#define HYP_VTIMER_EMUL_PTIMER	 (1u << 4)  /**< emulate CNTP_* (implies TRAP_PTIMER) */
#define HYP_VTIMER_PTIMER_WAKE	 (1u << 5)  /**< CNTHP_* armed at the CNTP deadline */
#define HYP_VTIMER_LOADED	 (1u << 8)  /**< state: the timer is in hardware */
#define HYP_VTIMER_PENDING	 (1u << 9)  /**< state: CNTV output high, host PPI masked */
#define HYP_VTIMER_PPENDING	 (1u << 10) /**< state: emulated CNTP output high */
#define HYP_VTIMER_PARMED	 (1u << 11) /**< state: CNTHP_CTL_EL2 armed */
/** @} */

/** @brief CNTV_CTL_EL0 / CNTP_CTL_EL0 bits (Arm ARM D24.10.25, D24.10.16). */
#define HYP_CNT_CTL_ENABLE  (1u << 0) /**< timer enabled */
#define HYP_CNT_CTL_IMASK   (1u << 1) /**< interrupt masked */
#define HYP_CNT_CTL_ISTATUS (1u << 2) /**< condition met (read-only) */

/** @brief The guest's EL1 timers (struct hyp_timer_ops::set_level). */
enum hyp_guest_timer {
	HYP_GUEST_TIMER_VIRT = 0, /**< the EL1 virtual timer (PPI 27 on most boards) */
	HYP_GUEST_TIMER_PHYS = 1, /**< the EL1 physical timer (PPI 30), emulated */
};

/**
 * @brief Integrator hooks of the guest timers (hyp_vtimer_set_ops()).
 *
 * Both may be called on the fast path (from hyp_timer_sync() and
 * hyp_ptimer_access()), from hyp_switch_complete() and from vCPU
 * load/put: they must not re-enter the vGIC while it holds its lock (use
 * hyp_timer_resample() from a vGIC resample hook instead).
 */
struct hyp_timer_ops {
	/** The interrupt output of guest timer @p timer changed to @p level
	 *  (ENABLE = 1, ISTATUS = 1, IMASK = 0): raise or lower its PPI in
	 *  the vGIC. NULL: only the events (and HCR_EL2.VI with USE_VI). */
	void (*set_level)(struct hyp_vcpu *vcpu, enum hyp_guest_timer timer, bool level, void *ctx);
	/** Mask (@p mask true) or unmask the host's physical PPI of the EL1
	 *  virtual timer on this CPU (e.g. GICR_ICENABLER0 / ISENABLER0 bit 27).
	 *  Masked while the guest's timer output is high: its level is the
	 *  vGIC's from then on, and libhyp never writes the guest-visible
	 *  CNTV_CTL_EL0.IMASK. Required for a timer that fires while the guest
	 *  runs; NULL only if the integrator masks it itself on
	 *  ::HYP_VTIMER_ASSERT and unmasks it on ::HYP_VTIMER_DEASSERT. */
	void (*mask_host_irq)(struct hyp_vcpu *vcpu, bool mask, void *ctx);
};

/** @brief A vCPU's EL1 virtual timer, and its emulated EL1 physical timer. */
struct hyp_vtimer {
	uint64_t cval;			 /**< CNTV_CVAL_EL0 while not loaded */
	uint64_t voff;			 /**< CNTVOFF_EL2 of this vCPU */
	uint32_t ctl;			 /**< CNTV_CTL_EL0 (the guest's view) while not loaded */
	uint32_t flags;			 /**< HYP_VTIMER_* */
	uint64_t pcval;			 /**< emulated CNTP_CVAL_EL0 */
	uint64_t poff;			 /**< guest CNTPCT_EL0 = host CNTPCT_EL0 - poff */
	uint32_t pctl;			 /**< emulated CNTP_CTL_EL0 (ENABLE, IMASK) */
	uint32_t reserved_;		 /**< padding */
	const struct hyp_timer_ops *ops; /**< hooks, or NULL */
	void *ops_ctx;			 /**< argument of the hooks */
};


/* ---------------------------------------------------------------------- */
/** @name Virtual timer
 *
 * The guest's EL1 virtual timer runs in hardware while the vCPU is loaded.
 * hyp_vtimer_load()/hyp_vtimer_put() switch it (the "deferred" policy of
 * the sysreg engine: call them at vCPU load/put). On exits the switch calls
 * hyp_vtimer_check(): it reports the timer's output going high
 * (::HYP_VTIMER_ASSERT) and low again (::HYP_VTIMER_DEASSERT), calls
 * hyp_timer_ops::set_level, and masks the host's physical PPI while the
 * output is high (hyp_timer_ops::mask_host_irq), so that the level
 * interrupt does not fire again at EL2 while the guest handles it. libhyp
 * never writes CNTV_CTL_EL0.IMASK: the guest reads back exactly what it
 * wrote (Arm ARM D24.10.25: the output is ENABLE && ISTATUS && !IMASK, and
 * ISTATUS takes no account of IMASK).
 *
 * The pending state is cached: an exit with an idle timer touches no timer
 * register, except IRQ exits (which may be the timer's PPI), which read
 * CNTV_CTL once. On exits that stay on the fast path, an integrator that
 * emulates the GIC calls hyp_timer_sync() before answering a guest GIC
 * access, so the pending state it reports is exact (docs/switch.md has the
 * measurement behind this choice). A vGIC that resamples level interrupts
 * on EOI calls hyp_timer_resample().
 *
 * The EL1 physical timer can be emulated (::HYP_VTIMER_EMUL_PTIMER): its
 * registers trap (CNTHCTL_EL2, Arm ARM D24.10.2) and the integrator's
 * sysreg trap table sends CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTP_TVAL_EL0 (and
 * CNTPCT_EL0 if ::HYP_VTIMER_TRAP_PCOUNTER) to hyp_ptimer_access(). Its
 * deadline is hyp_ptimer_next_deadline(); with ::HYP_VTIMER_PTIMER_WAKE
 * libhyp programs the EL2 physical timer (CNTHP_CVAL_EL2/CNTHP_CTL_EL2) for
 * it, whose PPI (26 on most boards) the integrator enables at EL2: the IRQ
 * exit it causes runs hyp_ptimer_check() through hyp_vtimer_check().
 * FEAT_ECV's CNTPOFF_EL2 is not used: the timer is fully emulated.
 * @{ */

/**
 * @brief Enable timer management for @p vcpu with the given
 *        HYP_VTIMER_USE_VI / TRAP_* / EMUL_PTIMER / PTIMER_WAKE flags and
 *        CNTVOFF_EL2 value. Resets the timers' state and hooks.
 *
 * No hardware (applied by hyp_vtimer_load(), which hyp_switch_prepare()
 * calls when the timer is not loaded). Before another vCPU runs on this
 * CPU, hyp_vtimer_put() this one. ::HYP_VTIMER_EMUL_PTIMER implies
 * ::HYP_VTIMER_TRAP_PTIMER.
 * @return 0; HYP_EINVAL for unknown flags, PTIMER_WAKE without
 *         EMUL_PTIMER, or a NULL @p vcpu; HYP_ESTATE if the timer is loaded
 *         (nothing changed)
 * @param vcpu the vCPU
 * @param flags HYP_VTIMER_USE_VI, TRAP_PTIMER, TRAP_PCOUNTER, EMUL_PTIMER,
 *        PTIMER_WAKE
 * @param cntvoff the CNTVOFF_EL2 value of this vCPU
 * @concurrency The vCPU's owner, while its timer is not loaded.
 */
int hyp_vtimer_init(struct hyp_vcpu *vcpu, uint32_t flags, uint64_t cntvoff);

/**
 * @brief Set the hooks that deliver the timers' interrupts (after
 *        hyp_vtimer_init()). No hardware.
 * @param vcpu the vCPU
 * @param ops  the hooks (kept by pointer), or NULL for none
 * @param ctx  their argument
 * @return 0, or HYP_EINVAL for a NULL @p vcpu
 * @concurrency As hyp_vtimer_init(). The hooks run on the vCPU's CPU
 *  (see struct hyp_timer_ops).
 */
int hyp_vtimer_set_ops(struct hyp_vcpu *vcpu, const struct hyp_timer_ops *ops, void *ctx);

/**
 * @brief CNTHCTL_EL2 with the EL1 physical timer/counter traps set as asked.
 *
 * EL1PCTEN / EL1PCEN are bits 0 / 1 with E2H = 0 and bits 10 / 11
 * (EL1PCTEN / EL1PTEN) with E2H = 1 (Arm ARM D24.10.2); a set bit
 * means "not trapped". Other bits of @p cur are kept. Pure.
 * @deprecated Takes the EL2 mode as an argument; use
 * hyp_vtimer_cnthctl_traps(), which reads the one record. Goes in the next
 * minor release.
 * @param cur the current CNTHCTL_EL2 value
 * @param vhe HCR_EL2.E2H is 1 (the E2H = 1 bit layout)
 * @param trap_ptimer trap the EL1 physical timer registers
 * @param trap_pcounter trap the EL1 physical counter
 * @return the new CNTHCTL_EL2 value
 * @concurrency Pure: any CPU.
 */
uint64_t hyp_vtimer_cnthctl(uint64_t cur, bool vhe, bool trap_ptimer, bool trap_pcounter);

/**
 * @brief CNTHCTL_EL2 with the EL1 physical timer/counter traps set as asked,
 *        in the layout of the EL2 mode on record.
 *
 * As hyp_vtimer_cnthctl(), with the E2H layout taken from the one source of
 * the EL2 mode (hyp_el2_e2h(): the build constant or the record of
 * hyp_cpufeat_set_el2_mode(); E2H = 0 while nothing is recorded). Touches
 * no hardware; one load of the record.
 * @param cur the current CNTHCTL_EL2 value
 * @param trap_ptimer trap the EL1 physical timer registers
 * @param trap_pcounter trap the EL1 physical counter
 * @return the new CNTHCTL_EL2 value
 * @concurrency Any CPU after the EL2 mode is recorded.
 */
uint64_t hyp_vtimer_cnthctl_traps(uint64_t cur, bool trap_ptimer, bool trap_pcounter);

/**
 * @brief Load the vCPU's timer: CNTHCTL_EL2 (read, and write if the traps
 *        change), CNTVOFF_EL2, CNTV_CVAL, CNTV_CTL (the guest's value);
 *        if its output was high, mask_host_irq(true); with
 *        ::HYP_VTIMER_PTIMER_WAKE, CNTHP_CVAL_EL2/CNTHP_CTL_EL2 for the
 *        physical timer's deadline (or CNTHP_CTL_EL2 = 0).
 *        No-op if the timer is not managed or already loaded.
 * @return 0, or HYP_EINVAL for a NULL @p vcpu
 * @param vcpu the vCPU
 * @concurrency On the CPU that will run the vCPU, at vCPU load (it programs
 *  that CPU's timer registers), with that CPU's previous vCPU put first.
 */
int hyp_vtimer_load(struct hyp_vcpu *vcpu);

/**
 * @brief Save the vCPU's timer (CNTV_CTL, CNTV_CVAL read) and disable the
 *        hardware timer (CNTV_CTL = 0) so it cannot fire for the next vCPU;
 *        mask_host_irq(false) if it was masked; CNTHP_CTL_EL2 = 0 if armed.
 *        No-op if not managed or not loaded.
 * @return 0, or HYP_EINVAL for a NULL @p vcpu
 * @param vcpu the vCPU
 * @concurrency On the CPU where the timer is loaded, at vCPU put, before the
 *  vCPU moves to another CPU.
 */
int hyp_vtimer_put(struct hyp_vcpu *vcpu);

/**
 * @brief Check the loaded timers after an exit (called by
 *        hyp_switch_complete() with the exit kind).
 *
 * Virtual timer: idle and @p kind is not IRQ/FIQ: no access. Otherwise one
 * CNTV_CTL read; no timer register is written. On a change of its output:
 * set_level, mask_host_irq, and with ::HYP_VTIMER_USE_VI HCR.VI (via
 * hyp_vcpu_set_line()). Physical timer (IRQ/FIQ exits): hyp_ptimer_check().
 * @return the enum hyp_vtimer_event of the virtual timer (also stored in
 *         vcpu->exit.vtimer); HYP_EINVAL for a NULL @p vcpu
 * @param vcpu the vCPU that exited
 * @param kind the enum hyp_exit_kind of the exit
 * @concurrency On the CPU where the timer is loaded (normally from
 *  hyp_switch_complete()). The hooks it calls run there too, without the
 *  vGIC lock held.
 */
int hyp_vtimer_check(struct hyp_vcpu *vcpu, unsigned kind);

/**
 * @brief Make the timers' interrupt levels exact now (fast path: before
 *        emulating a guest GIC access).
 *
 * A virtual timer whose output was reported high: one CNTV_CTL read, and
 * if the guest lowered it (disabled, masked, moved CVAL) the same as
 * hyp_vtimer_check() (set_level, host PPI unmasked). Otherwise no access:
 * a low output that went high has its host PPI pending, so the guest exits
 * at once when it resumes (the GIC's input latency), and the emulated
 * physical timer's output is lowered by the guest's (trapped) write.
 * @return the enum hyp_vtimer_event of the virtual timer; HYP_EINVAL for a
 *         NULL @p vcpu
 * @param vcpu the vCPU
 * @concurrency On the CPU where the vCPU's timer is loaded (a fast-path
 *  handler before emulating a GIC access), not under the vGIC lock: it may
 *  call set_level, which enters the vGIC.
 */
int hyp_timer_sync(struct hyp_vcpu *vcpu);

/**
 * @brief The current output of guest timer @p timer, for a vGIC resample
 *        hook (hyp_vgic_ops::resample) when the guest EOIs its PPI.
 *
 * Updates libhyp's state as hyp_timer_sync() does (mask_host_irq, the
 * deadline) but does not call set_level: the caller takes the level.
 * Virtual timer: one CNTV_CTL read if loaded (not loaded: its saved state).
 * Physical timer: one CNTPCT_EL0 read if enabled and unmasked.
 * @return the level (false for a NULL @p vcpu or an unmanaged timer)
 * @param vcpu the vCPU
 * @param timer which guest timer
 * @concurrency On the vCPU's CPU, from the vGIC resample hook (which
 *  hyp_vgic_save() calls there with the VM lock held): it does not call
 *  set_level, so it never re-enters the vGIC.
 */
bool hyp_timer_resample(struct hyp_vcpu *vcpu, enum hyp_guest_timer timer);

struct hyp_sysreg_access;

/**
 * @brief Emulate a trapped access to the EL1 physical timer (keyed by the
 *        AArch64 encoding, from a sysreg trap table).
 *
 * The guest's physical count is host CNTPCT_EL0 - poff
 * (hyp_ptimer_set_offset()). CNTP_CTL_EL0: ENABLE and IMASK are state,
 * ISTATUS reads as (count >= CVAL) when ENABLE (0 when disabled: UNKNOWN
 * in the architecture). CNTP_CVAL_EL0: 64-bit state. CNTP_TVAL_EL0: reads
 * (CVAL - count)[31:0], a write sets CVAL = count + SignExtend(value[31:0])
 * (Arm ARM D24.10.16..18). CNTPCT_EL0: reads the count (a write is
 * UNDEFINED). After a write the output is re-evaluated (set_level on a
 * change) and, with ::HYP_VTIMER_PTIMER_WAKE and loaded, the CNTHP
 * deadline re-armed. Cost: one CNTPCT_EL0 read when the count is needed;
 * CNTHP_CVAL/CTL writes when the deadline changes.
 * @return HYP_SYSREG_HANDLED (HYP_SYSREG_UNDEF for a CNTPCT_EL0 write);
 *         HYP_EINVAL for NULL arguments or another register; HYP_ESTATE if
 *         the vCPU does not emulate the physical timer
 * @param vcpu the vCPU that trapped
 * @param[in,out] a the decoded access; a read's value is written to a->val
 * @concurrency A trap handler on the vCPU's CPU (it reads that CPU's
 *  counter and may program its CNTHP timer).
 */
int hyp_ptimer_access(struct hyp_vcpu *vcpu, struct hyp_sysreg_access *a);

/**
 * @brief Set the guest's physical counter offset (guest count = host
 *        CNTPCT_EL0 - @p poff). A non-zero offset needs
 *        ::HYP_VTIMER_TRAP_PCOUNTER, so that the guest reads its count
 *        through hyp_ptimer_access(). No hardware.
 * @return 0; HYP_EINVAL for a NULL @p vcpu, or a non-zero @p poff without
 *         the counter trap; HYP_ESTATE without ::HYP_VTIMER_EMUL_PTIMER
 * @param vcpu the vCPU
 * @param poff the offset, in counter ticks
 * @concurrency The vCPU's owner, while it does not run.
 */
int hyp_ptimer_set_offset(struct hyp_vcpu *vcpu, uint64_t poff);

/**
 * @brief When the emulated physical timer's output goes high, in host
 *        CNTPCT_EL0 ticks (CVAL + poff): for an integrator that wakes
 *        itself (without ::HYP_VTIMER_PTIMER_WAKE) and then calls
 *        hyp_ptimer_check(). No hardware.
 * @return the deadline; UINT64_MAX if none (disabled, masked, already
 *         high, not emulated, or a NULL @p vcpu)
 * @param vcpu the vCPU
 * @concurrency The vCPU's owner: its CPU, or any CPU while the vCPU does
 *  not run (the state read is written by the vCPU's trap handlers).
 */
uint64_t hyp_ptimer_next_deadline(const struct hyp_vcpu *vcpu);

/**
 * @brief Raise the emulated physical timer's output if its deadline has
 *        passed (set_level, HCR.VI with USE_VI, and the CNTHP deadline
 *        disarmed with ::HYP_VTIMER_PTIMER_WAKE).
 *
 * One CNTPCT_EL0 read if the timer is enabled, unmasked and not already
 * high; otherwise no access.
 * @return ::HYP_VTIMER_ASSERT if it went high, else ::HYP_VTIMER_NONE;
 *         HYP_EINVAL for a NULL @p vcpu
 * @param vcpu the vCPU
 * @concurrency On the vCPU's CPU (from hyp_vtimer_check(), or the
 *  integrator's wake-up path there), not under the vGIC lock.
 */
int hyp_ptimer_check(struct hyp_vcpu *vcpu);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_VTIMER_H */
