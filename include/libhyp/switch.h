/* SPDX-License-Identifier: MIT */
/**
 * @file switch.h
 * @brief World switch: run a vCPU, the EL2 vector table, the fast path for
 *        hot exits, guest exception injection, MMIO emulation, the virtual
 *        timer, the PSCI/SMCCC helper and lazy FP/SIMD switching.
 *
 * A hypervisor installs ::hyp_switch_vectors in VBAR_EL2 and calls
 * hyp_vcpu_run() in its run loop. Everything between the guest's exception
 * and the run loop is cheap by construction:
 *
 * - The lower-EL vector entries save the guest's 31 GPRs into
 *   struct hyp_vcpu (no system register is touched to find it: during guest
 *   execution SP_EL2 points at the run loop's stack frame, which holds the
 *   vCPU pointer).
 * - A synchronous exit reads ESR_EL2 once and dispatches on its exception
 *   class through a struct hyp_fast_table. A handler there (SMCCC/PSCI, a
 *   sysreg trap table, WFx policy, the lazy-FP trap, an MMIO emulator...)
 *   may resume the guest directly; only exits every handler declines return
 *   from hyp_vcpu_run(). ELR_EL2/SPSR_EL2, FAR_EL2 and HPFAR_EL2 stay in
 *   hardware on that path and are read only by handlers that need them.
 * - hyp_vcpu_run() itself is C around a small assembly core; its two C
 *   halves (hyp_switch_prepare(), hyp_switch_complete()) and the dispatcher
 *   (hyp_switch_sync_exit()) build on the host backend too, so their
 *   hardware accesses are testable on a laptop.
 *
 * Measured cost of a null hypercall (PSCI_VERSION over HVC, answered on the
 * fast path) and the command that produces it: docs/switch.md.
 *
 * The EL1 system-register context is not switched here: per-vCPU hooks
 * (struct hyp_vcpu_hooks) let the sysreg engine plug its policies in.
 *
 * Concurrency: a struct hyp_vcpu belongs to the physical CPU that runs it.
 * hyp_vcpu_run(), the fast-path handlers, the accessors, injection, the
 * timer and the lazy-FP calls run there (PC/PSTATE, FAR, HPFAR, HCR_EL2,
 * the timer and the FP registers are that CPU's); libhyp takes no lock.
 * Another CPU interrupts a running vCPU only through the vGIC (inject,
 * then the kick hook's IPI). Fast-path tables, struct hyp_smccc and sysreg
 * trap tables are read-only while vCPUs use them; a struct hyp_fp_cpu is
 * per physical CPU. Each function's "Concurrency" paragraph is exact.
 *
 * Supported hosts: EL2 with HCR_EL2.E2H = 0 (nVHE) or 1 (VHE), TGE = 0
 * while a guest runs. Supported guests: AArch64 EL1 (HCR_EL2.RW = 1), with
 * AArch64 or AArch32 EL0.
 */
#ifndef LIBHYP_SWITCH_H
#define LIBHYP_SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libhyp/esr.h>
#include <libhyp/regdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief An alignment specifier that is valid in C11 (_Alignas) and C++11 (alignas).
 * @param n the alignment in bytes (a power of two)
 */
#ifdef __cplusplus
#define HYP_ALIGNAS(n) alignas(n)
#else
#define HYP_ALIGNAS(n) _Alignas(n)
#endif

/**
 * @name PSTATE / SPSR_ELx bits (AArch64 format; Arm ARM, SPSR_EL2)
 * @{
 */
#define HYP_PSR_M_MASK	   0x1full     /**< M[4:0] */
#define HYP_PSR_M_EL0T	   0x0ull      /**< AArch64 EL0 */
#define HYP_PSR_M_EL1T	   0x4ull      /**< AArch64 EL1 using SP_EL0 */
#define HYP_PSR_M_EL1H	   0x5ull      /**< AArch64 EL1 using SP_EL1 */
#define HYP_PSR_M_AA32	   0x10ull     /**< M[4]: AArch32 (the AArch32 mode is M[3:0]) */
#define HYP_PSR_M_AA32_USR 0x10ull     /**< AArch32 User mode (EL0) */
#define HYP_PSR_F	   (1ull << 6) /**< FIQ mask */
#define HYP_PSR_I	   (1ull << 7) /**< IRQ mask */
#define HYP_PSR_A	   (1ull << 8) /**< SError mask */
#define HYP_PSR_D	   (1ull << 9) /**< debug mask (AArch64); E (endianness) in AArch32 format */
#define HYP_PSR_DAIF	   (HYP_PSR_D | HYP_PSR_A | HYP_PSR_I | HYP_PSR_F) /**< all four masks */
#define HYP_PSR_BTYPE_MASK (3ull << 10)	  /**< BTYPE (AArch64; IT[3:2] in AArch32 format) */
#define HYP_PSR_SSBS	   (1ull << 12)	  /**< SSBS (AArch64 format; bit 23 in AArch32 format) */
#define HYP_PSR_ALLINT	   (1ull << 13)	  /**< ALLINT (FEAT_NMI) */
#define HYP_PSR_IL	   (1ull << 20)	  /**< illegal execution state */
#define HYP_PSR_SS	   (1ull << 21)	  /**< software step */
#define HYP_PSR_PAN	   (1ull << 22)	  /**< privileged access never */
#define HYP_PSR_UAO	   (1ull << 23)	  /**< user access override */
#define HYP_PSR_DIT	   (1ull << 24)	  /**< data independent timing (both formats) */
#define HYP_PSR_TCO	   (1ull << 25)	  /**< tag check override (FEAT_MTE) */
#define HYP_PSR_NZCV	   (0xfull << 28) /**< condition flags */
/** The state a vCPU starts in: AArch64 EL1h, all exceptions masked. */
#define HYP_PSR_RESET (HYP_PSR_M_EL1H | HYP_PSR_DAIF)
/** @} */

struct hyp_vcpu;

/** @brief A guest's general-purpose state. */
struct hyp_vcpu_regs {
	uint64_t x[31];	 /**< X0..X30 */
	uint64_t sp_el0; /**< SP_EL0 (only used with ::HYP_VCPU_HOST_SP_EL0) */
	uint64_t pc;	 /**< the guest PC (ELR_EL2) while in the run loop */
	uint64_t pstate; /**< the guest PSTATE (SPSR_EL2) while in the run loop */
};

/** @brief Why hyp_vcpu_run() returned (struct hyp_exit::kind). */
enum hyp_exit_kind {
	HYP_EXIT_NONE = 0,   /**< no exit recorded yet */
	HYP_EXIT_SYNC = 1,   /**< synchronous exception no fast-path handler took; see esr */
	HYP_EXIT_IRQ = 2,    /**< physical IRQ (HCR_EL2.IMO) */
	HYP_EXIT_FIQ = 3,    /**< physical FIQ (HCR_EL2.FMO) */
	HYP_EXIT_SERROR = 4, /**< physical SError (HCR_EL2.AMO); esr holds its syndrome */
};

/**
 * @name struct hyp_exit::valid bits
 * @{
 */
#define HYP_EXIT_V_FAR	 (1u << 0) /**< far holds FAR_EL2 of this exit */
#define HYP_EXIT_V_HPFAR (1u << 1) /**< hpfar holds HPFAR_EL2 of this exit */
#define HYP_EXIT_V_SMCCC (1u << 2) /**< smccc_fn: an SMCCC/PSCI call ended the fast path */
#define HYP_EXIT_V_IPA	 (1u << 3) /**< ipa holds the faulting IPA (hyp_vcpu_fault_ipa()) */
#define HYP_EXIT_V_SERROR                                                                          \
	(1u << 4) /**< a physical SError was pending at this exit and was consumed:               \
		     serror_esr holds its syndrome (hyp_switch_complete()) */
/** @} */

/** @brief What a vtimer check found (struct hyp_exit::vtimer). */
enum hyp_vtimer_event {
	HYP_VTIMER_NONE = 0,	 /**< nothing changed */
	HYP_VTIMER_ASSERT = 1,	 /**< the timer fired: inject it (it is masked while pending) */
	HYP_VTIMER_DEASSERT = 2, /**< the guest handled it: drop the injected line */
};

/**
 * @brief One guest exit, captured once.
 *
 * The vector code reads ESR_EL2 on every synchronous exit. FAR_EL2 and
 * HPFAR_EL2 are read only for the classes that define them (aborts, PC
 * alignment, watchpoints) and only once per exit: by hyp_exit_capture_fault()
 * if a fast-path handler needs them, else when the exit reaches the run loop.
 */
struct hyp_exit {
	uint64_t esr;	    /**< ESR_EL2 (sync and SError exits; 0 otherwise) */
	uint64_t valid;	    /**< HYP_EXIT_V_* */
	uint64_t far;	    /**< FAR_EL2 if HYP_EXIT_V_FAR */
	uint64_t hpfar;	    /**< HPFAR_EL2 if HYP_EXIT_V_HPFAR */
	uint32_t kind;	    /**< enum hyp_exit_kind */
	uint32_t smccc_fn;  /**< the SMCCC function ID if HYP_EXIT_V_SMCCC */
	uint32_t vtimer;    /**< enum hyp_vtimer_event found at this exit */
	uint32_t reserved_; /**< padding */
	uint64_t ipa;	    /**< the faulting IPA if HYP_EXIT_V_IPA */
	uint64_t serror_esr; /**< the consumed SError's ESR (EC 0x2F) if HYP_EXIT_V_SERROR */
};

/**
 * @brief What a fast-path handler tells the vector code to do.
 *
 * x19..x29 are callee-saved (AAPCS64): after a handler returns they still
 * hold the guest's values, so a handler that changed none of them in
 * struct hyp_vcpu_regs can resume with the cheaper reload.
 */
enum hyp_fast_action {
	/** Resume the guest; only X0..X18 and X30 are reloaded from regs (the
	 *  handler changed no other GPR: SMCCC calls, WFx, FP traps). */
	HYP_FAST_RESUME_X0_X18 = 0,
	/** Resume the guest; every GPR is reloaded from regs. */
	HYP_FAST_RESUME = 1,
	/** Return to the run loop (hyp_vcpu_run() returns ::HYP_EXIT_SYNC). */
	HYP_FAST_EXIT = 2,
};

struct hyp_fast_entry;

/**
 * @brief A fast-path handler for one exception class.
 *
 * Runs on the run loop's stack with interrupts masked, between the guest's
 * exception and its resumption: the guest's EL1 state, ELR_EL2 and SPSR_EL2
 * are live in hardware (use the hyp_vcpu_* accessors), GPRs are in
 * vcpu->regs.
 *
 * @param vcpu the vCPU that exited
 * @param esr  its ESR_EL2 (also in vcpu->exit.esr)
 * @param self the table entry that called it: self->ctx is the pointer given
 *             at registration (passed this way so the dispatcher loads it
 *             only when a handler needs it)
 * @return an enum hyp_fast_action; any other value is treated as
 *         ::HYP_FAST_EXIT
 */
typedef int (*hyp_fast_fn)(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self);

/** @brief One fast-path table entry. */
struct hyp_fast_entry {
	hyp_fast_fn fn; /**< handler, or NULL: exit to the run loop */
	void *ctx;	/**< handler argument */
};

/**
 * @brief The fast-path dispatch table, indexed by exception class.
 *
 * Usually one per VM, shared by its vCPUs; owned by the caller. Modules
 * that need several handlers for one class (the sysreg engine's encoding
 * table for ::HYP_EC_SYS64, the SMCCC helper's service dispatch for
 * HVC/SMC) do their own second-level dispatch.
 */
struct hyp_fast_table {
	struct hyp_fast_entry entry[HYP_EC_MAX + 1]; /**< by ESR_EL2.EC */
};

/**
 * @brief Per-vCPU hooks: where the sysreg engine (or an integrator) plugs
 *        its EL1 context switch into the run path. Every member is optional.
 */
struct hyp_vcpu_hooks {
	/** Called by hyp_switch_prepare() before anything else: load the
	 *  guest's immediate-policy EL1 registers. */
	void (*enter)(struct hyp_vcpu *vcpu, void *ctx);
	/** Called by hyp_switch_complete() last, for an exit that reaches the
	 *  run loop (never on the fast path): save them. */
	void (*exit)(struct hyp_vcpu *vcpu, void *ctx);
	/** Read the guest's current value of EL1 register @p enc (HYP_SYS_*
	 *  EL1 encoding), wherever it lives. NULL: read the hardware (through
	 *  the EL12 alias under VHE). */
	uint64_t (*read_el1)(struct hyp_vcpu *vcpu, void *ctx, uint16_t enc);
	/** Write the guest's EL1 register @p enc. NULL: write the hardware. */
	void (*write_el1)(struct hyp_vcpu *vcpu, void *ctx, uint16_t enc, uint64_t val);
};

/**
 * @name struct hyp_vcpu::flags (set by the integrator)
 * @{
 */
/** The host uses SP_EL0: switch it on every entry and exit (costs one MRS
 *  and one MSR each way). Without it SP_EL0 is left to the EL0 context
 *  switch (the sysreg engine), and regs.sp_el0 is unused. */
#define HYP_VCPU_HOST_SP_EL0 (1u << 0)
/** The CPU has FEAT_RAS (hyp_cpu_has(HYP_CAP_RAS)): hyp_switch_complete()
 *  synchronises SErrors with ESB and DISR_EL1 instead of ISR_EL1 and a
 *  window with SError unmasked; hyp_inject_serror() writes VSESR_EL2. */
#define HYP_VCPU_RAS (1u << 1)
/** @} */

/**
 * @name struct hyp_vcpu::guest_feats: guest features that change exception
 *       entry (AArch64.TakeException), set by the integrator to what the VM
 *       was given.
 * @{
 */
#define HYP_GUEST_PAN  (1u << 0) /**< FEAT_PAN: PSTATE.PAN set unless SCTLR_EL1.SPAN */
#define HYP_GUEST_SSBS (1u << 1) /**< FEAT_SSBS: PSTATE.SSBS = SCTLR_EL1.DSSBS */
#define HYP_GUEST_MTE  (1u << 2) /**< FEAT_MTE: PSTATE.TCO = 1 */
#define HYP_GUEST_NMI  (1u << 3) /**< FEAT_NMI: PSTATE.ALLINT = !SCTLR_EL1.SPINTMASK */
/** @} */

/**
 * @brief An FP/SIMD register file: V0..V31, FPSR, FPCR (528 bytes, 16-byte
 *        aligned for the STP/LDP Q of hyp_fpsimd_save()).
 */
struct hyp_fpsimd_state {
	HYP_ALIGNAS(16) uint64_t v[64]; /**< V0..V31, two 64-bit halves each (low first) */
	uint32_t fpsr;		     /**< FPSR */
	uint32_t fpcr;		     /**< FPCR */
	uint64_t reserved_;	     /**< keeps the size a multiple of 16 */
};

/**
 * @brief Lazy FP/SIMD register transfer, supplied by the integrator.
 *
 * On aarch64 these are normally hyp_fpsimd_save() and hyp_fpsimd_restore();
 * they run at EL2 after the FP trap was disabled.
 */
struct hyp_fp_ops {
	/** Store V0..V31, FPSR and FPCR into @p st. */
	void (*save)(struct hyp_fpsimd_state *st);
	/** Load V0..V31, FPSR and FPCR from @p st. */
	void (*restore)(const struct hyp_fpsimd_state *st);
};

/**
 * @brief Per-physical-CPU lazy FP state: who owns the FP registers now.
 *
 * Owned by the integrator (one per physical CPU; vCPUs running on that CPU
 * point at it through hyp_vcpu::fp_cpu). Initialise with hyp_fp_cpu_init().
 */
struct hyp_fp_cpu {
	const struct hyp_fp_ops *ops;  /**< register transfer */
	struct hyp_vcpu *owner;	       /**< vCPU whose FP state is in the registers, or NULL */
	struct hyp_fpsimd_state *host; /**< host state to preserve, NULL if none */
	bool host_live;		       /**< the registers hold @p host's state */
	bool trap;		       /**< CPTR_EL2 traps FP/SIMD now */
	bool vhe;		       /**< CPTR_EL2 has the E2H = 1 layout */
	uint32_t swaps;		       /**< guest FP loads since init (statistics) */
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

struct hyp_sysreg_vcpu;
struct hyp_vgic_vcpu;

/**
 * @brief A virtual CPU. Allocate anywhere (caller-owned), initialise with
 *        hyp_vcpu_init(); fields marked "integrator" may be set directly.
 */
struct hyp_vcpu {
	/** GPRs, PC, PSTATE. Must stay first: the vector code addresses it
	 *  from the vCPU pointer without an offset. */
	struct hyp_vcpu_regs regs;
	uint64_t hcr;	/**< integrator: HCR_EL2 while the guest runs */
	uint64_t mpidr; /**< integrator: the vCPU's MPIDR (VMPIDR_EL2), for PSCI */
	const struct hyp_fast_table *fast;  /**< integrator: the fast-path table (never NULL) */
	const struct hyp_vcpu_hooks *hooks; /**< integrator: sysreg-engine hooks, or NULL */
	void *hooks_ctx;		    /**< integrator: argument of the hooks */
	struct hyp_fp_cpu *fp_cpu;   /**< integrator: lazy FP per-CPU state, NULL: no lazy FP */
	struct hyp_fpsimd_state *fp; /**< integrator: the guest's FP save area */
	void *user;		     /**< integrator: free for the caller */
	uint32_t flags;		     /**< integrator: HYP_VCPU_* */
	uint32_t guest_feats;	     /**< integrator: HYP_GUEST_* */
	uint32_t live;		     /**< state: PC/PSTATE are in ELR/SPSR_EL2 */
	uint32_t reserved_;	     /**< padding */
	uint64_t host_sp_el0;	     /**< state: host SP_EL0 while the guest runs */
	struct hyp_vtimer vtimer;    /**< the virtual timer */
	struct hyp_exit exit;	     /**< the last exit */
	/** attached: the sysreg engine's vCPU (hyp_vcpu_use_sysreg()), or NULL */
	struct hyp_sysreg_vcpu *sysreg;
	/** attached: the vGIC's vCPU (hyp_vcpu_attach_vgic()), or NULL */
	struct hyp_vgic_vcpu *vgic;
	uint32_t loaded;     /**< state: between hyp_vcpu_load() and hyp_vcpu_put() */
	uint32_t reserved2_; /**< padding */
};

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
 * @brief Initialise @p vcpu: zero GPRs, PSTATE = ::HYP_PSR_RESET, the given
 *        HCR_EL2 value and fast-path table; no hooks, no lazy FP, timer off.
 *
 * Touches no hardware.
 * @param vcpu the vCPU
 * @param hcr  HCR_EL2 while it runs: RW must be 1, TGE 0, E2H equal to the
 *             host's (it selects VHE register access throughout)
 * @param fast its fast-path table, or NULL for none (every exit reaches the
 *             run loop)
 * @return 0; HYP_EINVAL if @p vcpu is NULL or TGE is set; HYP_ENOTSUP if RW
 *         is 0 (AArch32 EL1). On error nothing is changed.
 * @concurrency Any CPU; writes only @p vcpu, which must not be running or
 *  loaded anywhere.
 */
int hyp_vcpu_init(struct hyp_vcpu *vcpu, uint64_t hcr, const struct hyp_fast_table *fast);

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
 * @brief Called for every exception taken from EL2 itself.
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
/** @name Guest register accessors
 * PC and PSTATE live in ELR_EL2/SPSR_EL2 while the vCPU is live (fast-path
 * handlers) and in regs otherwise; these pick the right place. A live access
 * costs one MRS or MSR; otherwise none.
 * @{ */

/**
 * @brief Guest GPR @p n (0..30); 31 reads as zero (XZR). No hardware.
 * @param vcpu the vCPU (must be valid)
 * @param n the register number
 * @return X@p n, or 0 for 31 and above
 * @concurrency The vCPU's owner: its CPU while it runs (fast-path handlers,
 *  run loop), any CPU otherwise, serialised by the caller.
 */
static inline uint64_t hyp_vcpu_get_x(const struct hyp_vcpu *vcpu, unsigned n)
{
	return n < 31 ? vcpu->regs.x[n] : 0;
}

/**
 * @brief Set guest GPR @p n (0..30); 31 (XZR) is ignored. No hardware.
 * @param vcpu the vCPU (must be valid)
 * @param n the register number
 * @param v the value
 * @concurrency As hyp_vcpu_get_x().
 */
static inline void hyp_vcpu_set_x(struct hyp_vcpu *vcpu, unsigned n, uint64_t v)
{
	if (n < 31)
		vcpu->regs.x[n] = v;
}

/**
 * @brief The guest PC (ELR_EL2 when live).
 * @param vcpu the vCPU
 * @return the guest PC (0 for a NULL @p vcpu)
 * @concurrency While live (a fast-path handler): only on the CPU running the
 *  vCPU, since ELR_EL2 is that CPU's. Otherwise the vCPU's owner, as
 *  hyp_vcpu_get_x().
 */
uint64_t hyp_vcpu_pc(const struct hyp_vcpu *vcpu);

/**
 * @brief Set the guest PC (ELR_EL2 when live).
 * @param vcpu the vCPU (nothing for NULL)
 * @param pc the new PC
 * @concurrency As hyp_vcpu_pc().
 */
void hyp_vcpu_set_pc(struct hyp_vcpu *vcpu, uint64_t pc);

/**
 * @brief The guest PSTATE (SPSR_EL2 when live).
 * @param vcpu the vCPU
 * @return the guest PSTATE (0 for a NULL @p vcpu)
 * @concurrency As hyp_vcpu_pc() (SPSR_EL2 is per CPU).
 */
uint64_t hyp_vcpu_pstate(const struct hyp_vcpu *vcpu);

/**
 * @brief Set the guest PSTATE (SPSR_EL2 when live).
 * @param vcpu the vCPU (nothing for NULL)
 * @param pstate the new PSTATE
 * @concurrency As hyp_vcpu_pc().
 */
void hyp_vcpu_set_pstate(struct hyp_vcpu *vcpu, uint64_t pstate);

/**
 * @brief Complete an emulated instruction: advance the PC past the trapped
 *        instruction as the architecture would have.
 *
 * PC += 4, or 2 for a 16-bit T32 instruction (ESR.IL = 0 of the current
 * exit). PSTATE.SS is cleared (the step completed), BTYPE cleared (AArch64,
 * not a branch), and in AArch32 state the IT block advances (ITAdvance(),
 * Arm ARM shared pseudocode). Live: one MRS ELR, one MRS SPSR, one MSR ELR,
 * and one MSR SPSR only if SS, BTYPE or IT had to change.
 * @return 0, or HYP_EINVAL for a NULL @p vcpu (no access)
 * @param vcpu the vCPU whose current exit is being completed
 * @concurrency On the vCPU's CPU while handling its exit (fast path or run
 *  loop), as hyp_vcpu_pc().
 */
int hyp_vcpu_skip_insn(struct hyp_vcpu *vcpu);

/**
 * @brief Set HCR_EL2 bits (vcpu->hcr = (hcr & ~clear) | set); when live,
 *        also write HCR_EL2 (one MSR) so the change applies on resume.
 * @param vcpu the vCPU (nothing for NULL)
 * @param clear HCR_EL2 bits to clear
 * @param set HCR_EL2 bits to set (applied after @p clear)
 * @concurrency The vCPU's CPU when live (it writes that CPU's HCR_EL2);
 *  otherwise its owner. Not from another CPU while the vCPU runs: to
 *  interrupt a running vCPU use the vGIC's kick.
 */
void hyp_vcpu_update_hcr(struct hyp_vcpu *vcpu, uint64_t clear, uint64_t set);

/** @} */

/* ---------------------------------------------------------------------- */
/** @name Exception injection (Arm ARM D1.10 "Exception entry", pseudocode
 *        AArch64.TakeException)
 *
 * Each function performs the guest's exception entry to EL1 right away:
 * ESR_EL1 (and FAR_EL1 for aborts), SPSR_EL1 = the guest PSTATE,
 * ELR_EL1 = the guest PC (the preferred return address: the trapped
 * instruction for a trap exit, the following instruction after an HVC, so
 * rewind with hyp_vcpu_set_pc() first to make an HVC itself UNDEFINED),
 * then PC = VBAR_EL1 + the vector offset for the source (0x000 EL1 with SP0,
 * 0x200 EL1 with SP_EL1, 0x400 AArch64 EL0, 0x600 AArch32 EL0) and the
 * new PSTATE: EL1h, D/A/I/F set, SS, IL, BTYPE, UAO cleared, NZCV/DIT kept,
 * and per hyp_vcpu::guest_feats: PAN set unless SCTLR_EL1.SPAN, SSBS =
 * SCTLR_EL1.DSSBS, TCO set, ALLINT = !SCTLR_EL1.SPINTMASK.
 *
 * EL1 registers go through hooks->read_el1/write_el1 (default: the hardware,
 * through the EL12 aliases under VHE): VBAR_EL1 read, SCTLR_EL1 read if a
 * feature needs it, ESR_EL1, SPSR_EL1, ELR_EL1 (and FAR_EL1) written; plus
 * the PC/PSTATE accessors.
 *
 * All return 0, HYP_EINVAL for a NULL vCPU, or HYP_ENOTSUP (nothing
 * changed) if the guest PSTATE is not an AArch64 EL0/EL1 or AArch32 User
 * mode state, or the vCPU's EL1 is AArch32.
 * @{ */

/**
 * @brief Inject an UNDEFINED exception (EC 0, IL = 1: Arm ARM D17.2.37).
 * @param vcpu the vCPU
 * @return 0, HYP_EINVAL or HYP_ENOTSUP (see the group description)
 * @concurrency On the CPU that holds the vCPU's EL1 state (fast path or run
 *  loop, between hyp_sysreg_load() and put()), or through hooks that reach
 *  the vCPU's saved state; never on a vCPU running on another CPU.
 */
int hyp_inject_undef(struct hyp_vcpu *vcpu);

/**
 * @brief Inject a synchronous external data abort at address @p far.
 *
 * EC = 0x24 (from EL0) or 0x25 (from EL1), IL = 1, ISV = 0, DFSC = 0b010000,
 * WnR = @p write; FAR_EL1 = @p far.
 * @param vcpu the vCPU
 * @param far the faulting virtual address for FAR_EL1
 * @param write the access was a write (WnR)
 * @return 0, HYP_EINVAL or HYP_ENOTSUP (see the group description)
 * @concurrency As hyp_inject_undef().
 */
int hyp_inject_dabt(struct hyp_vcpu *vcpu, uint64_t far, bool write);

/**
 * @brief Inject a synchronous external instruction abort at @p far.
 *
 * EC = 0x20 (from EL0) or 0x21 (from EL1), IL = 1, IFSC = 0b010000;
 * FAR_EL1 = @p far.
 * @param vcpu the vCPU
 * @param far the faulting virtual address for FAR_EL1
 * @return 0, HYP_EINVAL or HYP_ENOTSUP (see the group description)
 * @concurrency As hyp_inject_undef().
 */
int hyp_inject_iabt(struct hyp_vcpu *vcpu, uint64_t far);

/**
 * @brief Inject a virtual SError (HCR_EL2.VSE) with syndrome @p esr.
 *
 * With ::HYP_VCPU_RAS, VSESR_EL2 (Arm ARM D24.9.18) = @p esr[24:0] (IDS,
 * ISS: what the guest reads in ESR_EL1 when it takes it): one MSR, to the
 * CPU the vCPU runs on next; without FEAT_RAS the guest's ESR_EL1.ISS is
 * IMPLEMENTATION DEFINED. Then hyp_vcpu_update_hcr() (one MSR when live).
 * The guest takes it when it unmasks SError (PSTATE.A); the CPU clears VSE.
 * @return 0, or HYP_EINVAL for a NULL @p vcpu
 * @param vcpu the vCPU
 * @param esr the syndrome the guest reads (bits [24:0] used)
 * @concurrency On the CPU that will run the vCPU next (VSESR_EL2 is that
 *  CPU's), its owner, as hyp_vcpu_update_hcr().
 */
int hyp_inject_serror(struct hyp_vcpu *vcpu, uint64_t esr);

/**
 * @brief Fast-path handler answering its class with UNDEF in the guest:
 *        register it for ::HYP_EC_SVE and ::HYP_EC_SME (the VM was not
 *        given SVE/SME and hyp_sysreg_load() traps them) or any class the
 *        VM must see as UNDEFINED. Costs what hyp_inject_undef() costs.
 * @return ::HYP_FAST_RESUME_X0_X18, or ::HYP_FAST_EXIT if injection failed
 * @param vcpu the vCPU that exited
 * @param esr its syndrome (unused)
 * @param self the table entry (unused)
 * @concurrency A fast-path handler: the vector code calls it on the vCPU's
 *  CPU with interrupts masked.
 */
int hyp_fast_undef(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self);

/**
 * @brief Answer the current exit in the guest, for an exit the hypervisor
 *        does not handle: a guest must never stop the machine.
 *
 * - a virtual SError first if this exit consumed one (::HYP_EXIT_V_SERROR),
 *   and for an SError exit (hyp_inject_serror());
 * - HVC (any immediate, any function): X0 = SMCCC NOT_SUPPORTED (-1);
 * - trapped SMC (any immediate): skip it, X0 = NOT_SUPPORTED;
 * - WFI/WFE: completed (skipped);
 * - data/instruction abort: a synchronous external abort at FAR
 *   (hyp_inject_dabt()/hyp_inject_iabt(); FAR 0 if FnV);
 * - IRQ, FIQ: nothing to answer;
 * - every other synchronous class (MSR/MRS, SVE, SME, AArch32 CP14/CP15,
 *   unknown or unallocated EC...): UNDEF (hyp_inject_undef()).
 *
 * Cost: that of the injection, or of hyp_vcpu_skip_insn().
 * @return 0; HYP_EINVAL for a NULL @p vcpu or an unknown exit kind;
 *         HYP_ENOTSUP if the guest state cannot take an exception (see the
 *         injection functions; nothing changed)
 * @param vcpu the vCPU whose exit reached the run loop
 * @concurrency In the run loop of the vCPU's CPU, after hyp_vcpu_run()
 *  returned and before it is called again.
 */
int hyp_vcpu_exit_default(struct hyp_vcpu *vcpu);

/** @brief The virtual interrupt lines of HCR_EL2, for hyp_vcpu_set_line(). */
enum hyp_vline {
	HYP_VLINE_IRQ,	  /**< HCR_EL2.VI (needs IMO) */
	HYP_VLINE_FIQ,	  /**< HCR_EL2.VF (needs FMO) */
	HYP_VLINE_SERROR, /**< HCR_EL2.VSE (needs AMO; the CPU clears it when taken) */
};

/**
 * @brief Raise or lower a virtual interrupt line for a guest without a vGIC.
 *
 * Through hyp_vcpu_update_hcr(): one MSR when live, none otherwise.
 * @return 0, or HYP_EINVAL for an unknown @p line (nothing changed)
 * @param vcpu the vCPU
 * @param line which line
 * @param level raise (true) or lower it
 * @concurrency As hyp_vcpu_update_hcr(): the vCPU's own CPU, or its owner
 *  while it does not run.
 */
int hyp_vcpu_set_line(struct hyp_vcpu *vcpu, enum hyp_vline line, bool level);

/** @} */

/* ---------------------------------------------------------------------- */
/** @name MMIO emulation
 * @{ */

/** @brief A decoded MMIO access (from an ISV = 1 stage-2 data abort). */
struct hyp_mmio {
	uint64_t ipa;	  /**< the faulting IPA */
	uint64_t data;	  /**< for a write: the value stored, truncated to @p size */
	uint8_t size;	  /**< bytes: 1, 2, 4 or 8 */
	uint8_t reg;	  /**< transfer register: 0..30, 31 = XZR */
	bool write;	  /**< a store */
	bool sign_extend; /**< a load that sign-extends (SSE) */
	bool sf;	  /**< the register is 64-bit (SF); else 32-bit */
	bool acq_rel;	  /**< acquire/release semantics (AR) */
};

/**
 * @brief The faulting IPA of the current exit (an instruction or data abort
 *        from a lower EL), wherever it must come from.
 *
 * HPFAR_EL2 is only valid for some stage-2 faults (hyp_esr_hpfar_valid(),
 * Arm ARM D24.2.76): then IPA = HPFAR_EL2.FIPA + FAR_EL2[11:0]
 * (hyp_fault_ipa()), one MRS each (hyp_exit_capture_fault(), none if
 * already captured). Otherwise, notably for a stage-2 Permission fault with
 * S1PTW = 0 (write-protect, dirty logging, execute-never), the IPA is
 * resolved as the hardware would: AT S1E1R on FAR_EL2 with the guest's
 * stage-1 context in the CPU, ISB, PAR_EL1 → IPA. PAR_EL1 is saved and
 * restored around the AT (the guest's value; AT writes it without an MSR).
 * When the vCPU is live (a fast-path handler) or has no read_el1 hook,
 * the guest's EL1 registers are in the CPU already; otherwise (in the run
 * loop, after hooks->exit saved IMMEDIATE registers) SCTLR_EL1, TCR_EL1,
 * TTBR0_EL1 and TTBR1_EL1 are read through the hooks and from the CPU, and
 * those that differ are loaded for the AT and put back after it (so a
 * DEFERRED registers cost two reads each, IMMEDIATE ones that the host
 * replaced also two writes). Cost of the AT path: 3 MRS +
 * 1 MSR + AT + ISB, plus the above. The result is cached in the exit
 * (::HYP_EXIT_V_IPA).
 *
 * @return 0 and @p ipa; HYP_EAGAIN if the AT failed (PAR_EL1.F = 1: the
 *         guest's stage 1 changed since the fault; resume the guest
 *         unchanged, it retries the access); HYP_EFAULT for FnV or a
 *         synchronous external abort on a table walk (no VA to translate);
 *         HYP_EINVAL for NULL arguments or an exit that is not a lower-EL
 *         abort. @p ipa is only written on success.
 * @param vcpu the vCPU whose abort exit is being handled
 * @param[out] ipa the faulting IPA
 * @concurrency On the CPU the abort happened on, before the vCPU runs again
 *  (FAR/HPFAR/PAR_EL1 and the guest's stage-1 context are that CPU's).
 */
int hyp_vcpu_fault_ipa(struct hyp_vcpu *vcpu, uint64_t *ipa);

/**
 * @brief Decode the current exit as an emulable MMIO access.
 *
 * The IPA comes from hyp_vcpu_fault_ipa(): HPFAR_EL2 where the architecture
 * defines it, AT S1E1R for a stage-2 Permission fault (HPFAR_EL2 UNKNOWN).
 * @return 0; HYP_ENOTSUP if ISV = 0 (the access cannot be emulated from the
 *         syndrome: inject an abort) or CM = 1 (cache maintenance by VA:
 *         usually completed as a NOP with hyp_vcpu_skip_insn()); HYP_EFAULT
 *         for a stage-1 walk fault (S1PTW) or FnV; HYP_EAGAIN for a
 *         permission fault whose IPA AT S1E1R could not resolve (MMIO
 *         emulation refused: resume the guest unchanged, it retries);
 *         HYP_EINVAL for NULL arguments or if the exit is not a lower-EL
 *         data abort. @p m is only written on success.
 * @param vcpu the vCPU whose data abort is being handled
 * @param[out] m the decoded access
 * @concurrency As hyp_vcpu_fault_ipa().
 */
int hyp_mmio_decode(struct hyp_vcpu *vcpu, struct hyp_mmio *m);

/**
 * @brief Complete an emulated MMIO access and advance the guest PC.
 *
 * For a load, @p value (the device's @p m->size bytes) is sign-extended if
 * SSE, truncated to 32 bits if !SF, and written to the transfer register
 * unless it is XZR. Then hyp_vcpu_skip_insn().
 * @return 0, or HYP_EINVAL for a NULL @p vcpu or @p m, a bad size or
 *         register (nothing changed)
 * @param vcpu the vCPU
 * @param m the access from hyp_mmio_decode()
 * @param value for a load, the value read from the emulated device
 * @concurrency As hyp_vcpu_skip_insn(): the vCPU's CPU, before it resumes.
 */
int hyp_mmio_complete(struct hyp_vcpu *vcpu, const struct hyp_mmio *m, uint64_t value);

/** @} */

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
 * @param cur the current CNTHCTL_EL2 value
 * @param vhe HCR_EL2.E2H is 1 (the E2H = 1 bit layout)
 * @param trap_ptimer trap the EL1 physical timer registers
 * @param trap_pcounter trap the EL1 physical counter
 * @return the new CNTHCTL_EL2 value
 * @concurrency Pure: any CPU.
 */
uint64_t hyp_vtimer_cnthctl(uint64_t cur, bool vhe, bool trap_ptimer, bool trap_pcounter);

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

/* ---------------------------------------------------------------------- */
/** @name Lazy FP/SIMD
 *
 * A guest's first FP/SIMD instruction after it was scheduled traps
 * (CPTR_EL2.TFP, or CPTR_EL2.FPEN = 0b00 with E2H = 1) to the fast-path
 * handler hyp_fp_trap(), which saves the registers' current owner (another
 * vCPU, or the host's area) and loads this vCPU's, then resumes the guest
 * at the same instruction. A vCPU that never touches FP costs nothing but
 * the trap setting on entry when the owner differs.
 * @{ */

/**
 * @brief Initialise the per-CPU lazy-FP state.
 *
 * Reads CPTR_EL2 and writes it with the FP trap disabled (the host may use
 * FP; @p host, if not NULL, is where its live state goes when a guest takes
 * the registers).
 * @return 0, or HYP_EINVAL for NULL @p cpu / @p ops or ops without both
 *         functions
 * @param[out] cpu the per-CPU state of the calling CPU
 * @param ops the register transfer (kept by pointer)
 * @param vhe CPTR_EL2 has the E2H = 1 layout
 * @param host the host's FP save area, or NULL if the host keeps no FP state
 * @concurrency Once, on the physical CPU @p cpu describes (it writes that
 *  CPU's CPTR_EL2), before a vCPU using it runs. Cost: one MRS, one MSR,
 *  one ISB.
 */
int hyp_fp_cpu_init(struct hyp_fp_cpu *cpu, const struct hyp_fp_ops *ops, bool vhe,
		    struct hyp_fpsimd_state *host);

/**
 * @brief Fast-path handler for ::HYP_EC_FP_ASIMD: switch the FP registers
 *        to the trapping vCPU.
 *
 * CPTR_EL2 read and write, an ISB, ops->save of the previous owner (if
 * any), ops->restore of vcpu->fp. Exits to the run loop if the vCPU has no
 * fp_cpu or fp area.
 * @return ::HYP_FAST_RESUME_X0_X18 or ::HYP_FAST_EXIT
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome (unused)
 * @param self the table entry (unused)
 * @concurrency A fast-path handler, on the vCPU's CPU, whose ::hyp_fp_cpu
 *  must be vcpu->fp_cpu: the FP registers and CPTR_EL2 are that CPU's.
 */
int hyp_fp_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self);

/**
 * @brief Give the FP registers back to the host: save the owning vCPU's
 *        state (if a vCPU owns them), restore the host's, disable the trap.
 *        Call before host code uses FP/SIMD at EL2.
 * @param cpu the calling CPU's lazy-FP state (nothing for NULL)
 * @concurrency On the physical CPU @p cpu describes, between guest runs.
 *  Cost: CPTR_EL2 read and write and an ISB if trapped, one save and one
 *  restore at most.
 */
void hyp_fp_cpu_reclaim(struct hyp_fp_cpu *cpu);

/**
 * @brief Before @p vcpu runs on another CPU: if it owns its CPU's FP
 *        registers, save them to vcpu->fp and release them.
 * @param vcpu the vCPU (nothing for NULL or without lazy FP)
 * @concurrency On the CPU whose ::hyp_fp_cpu is vcpu->fp_cpu (the FP
 *  registers saved are that CPU's), at vCPU put, before the vCPU moves or
 *  vcpu->fp_cpu changes. Cost: nothing unless the vCPU owns the registers;
 *  then one save (and CPTR_EL2 if trapped).
 */
void hyp_fp_vcpu_put(struct hyp_vcpu *vcpu);

/**
 * @brief Save V0..V31, FPSR, FPCR (aarch64 backend only; EL2 with FP
 *        untrapped). 16 STP Q + 2 MRS.
 * @param[out] st where to store the registers (16-byte aligned)
 * @concurrency The calling CPU's registers: call it with FP/SIMD not trapped
 *  at EL2 (CPTR_EL2), e.g. as hyp_fp_ops::save.
 */
void hyp_fpsimd_save(struct hyp_fpsimd_state *st);

/**
 * @brief Load V0..V31, FPSR, FPCR (aarch64 backend only).
 * @param st the registers to load (16-byte aligned)
 * @concurrency As hyp_fpsimd_save(). Cost: 16 LDP Q + 2 MSR.
 */
void hyp_fpsimd_restore(const struct hyp_fpsimd_state *st);

/** @} */

/* ---------------------------------------------------------------------- */
/** @name WFx policy
 * @{ */

/** @brief What to do with a trapped WFI or WFE (HCR_EL2.TWI/TWE). */
enum hyp_wfx_action {
	HYP_WFX_EXIT =
	    0, /**< return to the run loop (it blocks the vCPU, then skips the instruction) */
	HYP_WFX_SKIP =
	    1, /**< complete it as a NOP on the fast path (a wake-up event is allowed any time) */
};

/** @brief The WFx policy, passed as the fast-path handler's ctx. */
struct hyp_wfx_policy {
	uint8_t wfi; /**< enum hyp_wfx_action for WFI and WFIT */
	uint8_t wfe; /**< enum hyp_wfx_action for WFE and WFET */
};

/**
 * @brief Fast-path handler for ::HYP_EC_WFX; self->ctx is a const
 *        struct hyp_wfx_policy (NULL: exit). Skipping costs what
 *        hyp_vcpu_skip_insn() costs.
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome
 * @param self the table entry; self->ctx is the policy
 * @return ::HYP_FAST_RESUME_X0_X18 (skipped), or ::HYP_FAST_EXIT
 * @concurrency A fast-path handler: the vCPU's CPU, interrupts masked.
 */
int hyp_wfx_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self);

/** @} */

/* ---------------------------------------------------------------------- */
/** @name SMCCC and PSCI (Arm DEN 0028 SMC Calling Convention, DEN 0022 PSCI)
 * @{ */

/** @name SMCCC function IDs and return values
 * @{ */
#define HYP_SMCCC_FAST		   (1u << 31)  /**< function ID bit 31: fast call */
#define HYP_SMCCC_64		   (1u << 30)  /**< function ID bit 30: SMC64/HVC64 convention */
#define HYP_SMCCC_OWNER_SHIFT	   24u	       /**< owning entity, bits [29:24] */
#define HYP_SMCCC_OWNER_ARCH	   0u	       /**< Arm architecture calls */
#define HYP_SMCCC_OWNER_STD	   4u	       /**< standard secure service calls (PSCI) */
#define HYP_SMCCC_OWNER_STD_HYP	   5u	       /**< standard hypervisor service calls */
#define HYP_SMCCC_OWNER_VENDOR_HYP 6u	       /**< vendor-specific hypervisor service calls */
#define HYP_SMCCC_VERSION	   0x80000000u /**< SMCCC_VERSION */
#define HYP_SMCCC_ARCH_FEATURES	   0x80000001u /**< SMCCC_ARCH_FEATURES */
#define HYP_SMCCC_VERSION_1_1	   0x10001u    /**< the SMCCC version libhyp implements */
#define HYP_SMCCC_NOT_SUPPORTED	   (-1)	       /**< unknown function ID / not supported */
/** @} */

/** @name PSCI function IDs (SMC32 form; OR HYP_SMCCC_64 for the SMC64 form)
 * @{ */
#define HYP_PSCI_VERSION	     0x84000000u /**< PSCI_VERSION */
#define HYP_PSCI_CPU_SUSPEND	     0x84000001u /**< CPU_SUSPEND (also SMC64) */
#define HYP_PSCI_CPU_OFF	     0x84000002u /**< CPU_OFF */
#define HYP_PSCI_CPU_ON		     0x84000003u /**< CPU_ON (also SMC64) */
#define HYP_PSCI_AFFINITY_INFO	     0x84000004u /**< AFFINITY_INFO (also SMC64) */
#define HYP_PSCI_MIGRATE	     0x84000005u /**< MIGRATE (not implemented) */
#define HYP_PSCI_MIGRATE_INFO_TYPE   0x84000006u /**< MIGRATE_INFO_TYPE */
#define HYP_PSCI_MIGRATE_INFO_UP_CPU 0x84000007u /**< MIGRATE_INFO_UP_CPU (not implemented) */
#define HYP_PSCI_SYSTEM_OFF	     0x84000008u /**< SYSTEM_OFF */
#define HYP_PSCI_SYSTEM_RESET	     0x84000009u /**< SYSTEM_RESET */
#define HYP_PSCI_FEATURES	     0x8400000Au /**< PSCI_FEATURES (PSCI 1.0) */
/** The PSCI version libhyp reports: 1.1 (major [31:16], minor [15:0]). */
#define HYP_PSCI_VERSION_1_1 0x10001u
/** @} */

/** @brief PSCI return codes (DEN 0022, "Return error codes"). */
enum hyp_psci_ret {
	HYP_PSCI_SUCCESS = 0,		  /**< success */
	HYP_PSCI_NOT_SUPPORTED = -1,	  /**< not supported */
	HYP_PSCI_INVALID_PARAMETERS = -2, /**< invalid parameters */
	HYP_PSCI_DENIED = -3,		  /**< denied */
	HYP_PSCI_ALREADY_ON = -4,	  /**< CPU_ON: target already on */
	HYP_PSCI_ON_PENDING = -5,	  /**< CPU_ON: target being turned on */
	HYP_PSCI_INTERNAL_FAILURE = -6,	  /**< internal failure */
	HYP_PSCI_NOT_PRESENT = -7,	  /**< not present */
	HYP_PSCI_DISABLED = -8,		  /**< disabled */
	HYP_PSCI_INVALID_ADDRESS = -9,	  /**< invalid address */
};

/** @brief AFFINITY_INFO results. */
enum hyp_psci_affinity {
	HYP_PSCI_AFF_ON = 0,	     /**< at least one matching CPU is on */
	HYP_PSCI_AFF_OFF = 1,	     /**< all matching CPUs are off */
	HYP_PSCI_AFF_ON_PENDING = 2, /**< being turned on */
};

/** MIGRATE_INFO_TYPE answer: no Trusted OS that needs migration. */
#define HYP_PSCI_TOS_NOT_PRESENT_MP 2

/**
 * @brief What the PSCI helper needs from the integrator. Every member is
 *        optional; each call runs on the fast path.
 */
struct hyp_psci_ops {
	/**
	 * CPU_ON: start the vCPU with MPIDR affinity @p target at @p entry
	 * with X0 = @p context_id (hyp_psci_vcpu_reset() sets a vCPU up so).
	 * Returns a PSCI code (SUCCESS, ALREADY_ON, ON_PENDING,
	 * INVALID_PARAMETERS, INVALID_ADDRESS, INTERNAL_FAILURE; a target whose CPU_ON is
	 * still in progress: ALREADY_ON, what Linux KVM's guests expect). NULL: the
	 * caller's own MPIDR is ALREADY_ON, any other INVALID_PARAMETERS.
	 */
	int32_t (*cpu_on)(void *ctx, struct hyp_vcpu *caller, uint64_t target, uint64_t entry,
			  uint64_t context_id);
	/**
	 * AFFINITY_INFO for affinity @p target (bits below @p level ignored).
	 * Returns ON/OFF/ON_PENDING or INVALID_PARAMETERS. NULL: a match of
	 * the caller's MPIDR is ON, anything else INVALID_PARAMETERS.
	 */
	int32_t (*affinity_info)(void *ctx, struct hyp_vcpu *caller, uint64_t target,
				 unsigned level);
	/**
	 * CPU_SUSPEND: returns the PSCI code for X0 and the guest resumes.
	 * NULL: X0 = SUCCESS and the exit reaches the run loop, which treats
	 * it as WFI (every suspend is a standby; DEN 0022 allows it).
	 */
	int32_t (*cpu_suspend)(void *ctx, struct hyp_vcpu *vcpu, uint64_t power_state,
			       uint64_t entry, uint64_t context_id);
	/** CPU_OFF: called, then the exit reaches the run loop (X0 preloaded
	 *  with DENIED in case the vCPU is resumed). */
	void (*cpu_off)(void *ctx, struct hyp_vcpu *vcpu);
	/** SYSTEM_OFF: called, then the exit reaches the run loop (X0
	 *  preloaded with INTERNAL_FAILURE). */
	void (*system_off)(void *ctx, struct hyp_vcpu *vcpu);
	/** SYSTEM_RESET: as system_off. */
	void (*system_reset)(void *ctx, struct hyp_vcpu *vcpu);
};

/**
 * @brief SMCCC dispatch configuration: the fast-path handler's ctx.
 */
struct hyp_smccc {
	const struct hyp_psci_ops *psci; /**< PSCI callbacks, or NULL for the defaults */
	void *psci_ctx;			 /**< argument of the PSCI callbacks */
	/**
	 * Any function libhyp does not implement (vendor hypervisor calls,
	 * SiP, Arm workarounds...). Set X0..X3 and return an
	 * enum hyp_fast_action. NULL: X0 = NOT_SUPPORTED (-1) and resume.
	 */
	int (*call)(void *ctx, struct hyp_vcpu *vcpu, uint32_t fn);
	/**
	 * SMCCC_ARCH_FEATURES answer for an Arm architecture call libhyp
	 * does not implement (the workarounds, SOC_ID...). NULL:
	 * NOT_SUPPORTED.
	 */
	int32_t (*features)(void *ctx, uint32_t fn);
	void *ctx; /**< argument of call and features */
};

/**
 * @brief Fast-path handler for HVC and (trapped) SMC: decode an SMCCC call
 *        and answer it; self->ctx is a const struct hyp_smccc (NULL: the
 *        defaults).
 *
 * An HVC/SMC with a non-zero immediate is not SMCCC: exits untouched. For
 * SMC the PC is first advanced past the instruction (its preferred return
 * address is the SMC itself, an HVC's is already the next instruction), so
 * both conduits look the same to the run loop. Unknown function IDs return
 * NOT_SUPPORTED (-1); SMC64 functions called from AArch32 too. SMC32
 * arguments are truncated to 32 bits. Calls that end the vCPU's execution
 * (CPU_OFF, SYSTEM_OFF, SYSTEM_RESET, CPU_SUSPEND without a callback) exit
 * with ::HYP_EXIT_V_SMCCC and exit.smccc_fn set.
 *
 * Hardware: none for HVC beyond the callbacks'; for SMC the cost of
 * hyp_vcpu_skip_insn(); for SMC32, one MRS SPSR_EL2 if the condition must be
 * evaluated.
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome
 * @param self the table entry; self->ctx is the configuration
 * @return an enum hyp_fast_action
 * @concurrency A fast-path handler: the vCPU's CPU, interrupts masked. The
 *  PSCI callbacks run there too; a cpu_on callback that resets another vCPU
 *  (hyp_psci_vcpu_reset()) must make sure that vCPU does not run.
 */
int hyp_smccc_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self);

/**
 * @brief Register hyp_smccc_trap() for HVC32, SMC64 and SMC32, and for
 *        HVC64 an equivalent entry point that answers PSCI_VERSION without
 *        a class check or a stack frame (so hyp_fast_unregister() with
 *        hyp_smccc_trap does not remove it: re-initialise the table).
 * @return 0; HYP_EINVAL for a NULL @p t or @p smccc; HYP_EEXIST if one of the four
 *         classes has a handler (then nothing is registered)
 * @param t the table
 * @param smccc the configuration (kept by pointer)
 * @concurrency As hyp_fast_register(): not while a vCPU uses @p t.
 */
int hyp_smccc_register(struct hyp_fast_table *t, const struct hyp_smccc *smccc);

/**
 * @brief Set up a vCPU as PSCI CPU_ON requires: PC = @p entry,
 *        X0 = @p context_id, other GPRs 0, PSTATE = ::HYP_PSR_RESET.
 *
 * The EL1 state PSCI also specifies (SCTLR_EL1.M/C/I = 0, endianness of the
 * caller) belongs to the sysreg engine. Must not be live. No hardware.
 * @return 0, or HYP_ESTATE if @p vcpu is live (nothing changed)
 * @param vcpu the vCPU to start
 * @param entry its entry point (PC)
 * @param context_id its X0
 * @concurrency Any CPU (typically the caller of CPU_ON, in its cpu_on
 *  callback), while @p vcpu does not run: the integrator serialises it with
 *  the vCPU's scheduling (e.g. its power-state lock).
 */
int hyp_psci_vcpu_reset(struct hyp_vcpu *vcpu, uint64_t entry, uint64_t context_id);

/** @} */

/**
 * @name The sysreg engine plugged into the switch
 * @{
 */
struct hyp_sysreg_vcpu;

/**
 * @brief Let the sysreg engine (libhyp/sysreg.h) switch this vCPU's EL1
 *        registers: its hyp_sysreg_enter()/exit() become the vCPU's hooks,
 *        EL1 accesses by injection go through its accessors, and its
 *        HCR_EL2 bits (dirty-tracking TVM, ABSENT-feature traps) are kept in
 *        vcpu->hcr, which the switch writes at every entry. The integrator
 *        still calls hyp_sysreg_load()/put() at vCPU load/put. Touches no
 *        hardware.
 * @return 0; HYP_EINVAL for NULL arguments, a vCPU without a VM, or a VM
 *         with a host EL1 context (the switch has no host EL1 state).
 * @param vcpu the switch's vCPU
 * @param sr the sysreg engine's vCPU (kept by pointer)
 * @concurrency The vCPU's owner, before it runs.
 */
int hyp_vcpu_use_sysreg(struct hyp_vcpu *vcpu, struct hyp_sysreg_vcpu *sr);

/**
 * @brief Fast-path handler for EC 0x18 (trapped MSR/MRS) of a vCPU set up
 *        with hyp_vcpu_use_sysreg(): decodes the ISS, runs
 *        hyp_sysreg_handle_trap() with the integrator's trap table
 *        (`self->ctx`, a `const struct hyp_sysreg_trap_table *` or NULL),
 *        writes Rt for a read and skips the instruction, or injects UNDEF.
 *        Register it with hyp_fast_register(t, HYP_EC_SYS64, ...).
 *
 * Cost: the ESR read by the dispatcher, a binary search of each table, and
 * what the handler does (a dirty-tracking trap: one MSR of the register).
 * @return enum hyp_fast_action
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome (EC 0x18)
 * @param self the table entry; self->ctx is the trap table or NULL
 * @concurrency A fast-path handler: the vCPU's CPU, interrupts masked.
 */
int hyp_sysreg_fast_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self);

/** @brief An AArch32 MCR/MRC/MCRR/MRRC to CP15 mapped to its AArch64 register. */
struct hyp_aa32_sysreg {
	uint16_t enc; /**< the AArch64 register (HYP_SYS_*) it is architecturally mapped to */
	uint8_t rt;   /**< Rt (R0..R14 are X0..X14; 15 is not a GPR) */
	uint8_t rt2;  /**< Rt2 for MCRR/MRRC (the high word), else 0 */
	bool read;    /**< MRC/MRRC */
	bool is64;    /**< MCRR/MRRC */
};

/**
 * @brief Decode an EC 0x03 (MCR/MRC) or 0x04 (MCRR/MRRC) CP15 trap and map
 *        the register to its AArch64 encoding.
 *
 * ISS layouts: Arm ARM D24.2.46. Mapped (Arm ARM G8, each register's
 * "architecturally mapped to" line): the generic timer's CNTFRQ, CNTKCTL,
 * CNTP_TVAL, CNTP_CTL, CNTV_TVAL, CNTV_CTL, CNTPCT, CNTVCT, CNTP_CVAL,
 * CNTV_CVAL, and of the HCR_EL2.TVM group those that map whole: TTBR0,
 * TTBR1 (64-bit), CONTEXTIDR. The 32-bit halves of 64-bit registers
 * (SCTLR, TTBCR, DFAR/IFAR, PRRR/NMRR, AMAIR0/1, DFSR) are EL1-only, so
 * UNDEFINED at AArch32 EL0 before any EL2 trap: not mapped. Pure.
 * @return 0; HYP_ENOENT for a register not in the map; HYP_EINVAL for
 *         another class or a NULL @p out (nothing written)
 * @param esr the syndrome
 * @param[out] out the decoded access
 * @concurrency Pure: any CPU.
 */
int hyp_aa32_sysreg_decode(uint64_t esr, struct hyp_aa32_sysreg *out);

/**
 * @brief Run an AArch32 CP15 access through the AArch64 fast-path handler
 *        of the register it maps to, so both execution states share one
 *        emulation (timer, trap tables, dirty tracking).
 *
 * A condition that fails (CV/COND against SPSR_EL2) completes the
 * instruction as a NOP. Otherwise @p a64 is called with an EC 0x18
 * syndrome for the mapped register and Rt; an MCRR first puts
 * Rt2:Rt in X[Rt] (restored if @p a64 declines), an MRRC's 64-bit result is
 * split into Rt (low) and Rt2 (high), a 32-bit read is truncated; if
 * @p a64 did not complete the instruction (it injected UNDEF, say: the PC
 * did not advance by 4) Rt and Rt2 are left as the guest had them. An
 * unmapped register or Rt/Rt2 = 15 gets UNDEF. @p a64 must complete the
 * instruction with hyp_vcpu_skip_insn() (which knows AArch32 and IT).
 * Cost: the decode (a table of 13), two PC reads (MRS ELR_EL2 when live)
 * and what @p a64 costs.
 * @return the action of @p a64, ::HYP_FAST_RESUME after an UNDEF, or
 *         ::HYP_FAST_EXIT (also for a NULL @p vcpu or @p a64)
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome (EC 0x03 or 0x04)
 * @param a64 the AArch64 handler to run
 * @param a64_self the table entry to pass to @p a64
 * @concurrency A fast-path handler: the vCPU's CPU, interrupts masked.
 */
int hyp_aa32_sysreg_trap(struct hyp_vcpu *vcpu, uint64_t esr, hyp_fast_fn a64,
			 const struct hyp_fast_entry *a64_self);

/**
 * @brief hyp_aa32_sysreg_trap() with hyp_sysreg_fast_trap(): register it
 *        for ::HYP_EC_CP15_32 and ::HYP_EC_CP15_64 with the same ctx as
 *        the EC 0x18 handler.
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome (EC 0x03 or 0x04)
 * @param self the table entry; self->ctx as for hyp_sysreg_fast_trap()
 * @return as hyp_aa32_sysreg_trap()
 * @concurrency A fast-path handler: the vCPU's CPU, interrupts masked.
 */
int hyp_sysreg_fast_trap_aa32(struct hyp_vcpu *vcpu, uint64_t esr,
			      const struct hyp_fast_entry *self);
/** @} */

/**
 * @name The vCPU lifecycle
 *
 * hyp_vcpu_load() and hyp_vcpu_put() schedule a vCPU on this physical CPU
 * and off it again, sequencing the modules attached to it:
 *
 * | step | load | put |
 * | --- | --- | --- |
 * | 1 | sysreg engine: hyp_sysreg_load() | lazy FP: hyp_fp_vcpu_release() |
 * | 2 | vGIC: hyp_vgic_load() | timers: hyp_vtimer_put() (and the emulated EL1 physical timer) |
 * | 3 | timers: hyp_vtimer_load() (and the emulated EL1 physical timer) | vGIC: hyp_vgic_put() |
 * | 4 | lazy FP: nothing (the trap is set at entry) | sysreg engine: hyp_sysreg_put() |
 *
 * Why this order (docs/switch.md, "The vCPU lifecycle", has the details):
 * - The sysreg engine first: it restores the EL1 context and writes the
 *   trap controls (its HCR_EL2 bits, MDCR_EL2, CPTR_EL2's SVE trap) that
 *   the others' writes must not be undone by; a vGIC load for a GICv2
 *   guest on GICv3 hardware writes ICC_SRE_EL1, an EL1 register, and its
 *   ISB then also synchronises the engine's writes.
 * - The vGIC before the timers: a timer whose output is high at load
 *   raises its PPI in the vGIC (hyp_timer_ops::set_level); with the vGIC
 *   vCPU loaded that is queued for the next entry instead of a
 *   ::HYP_VGIC_KICK_WAKE of a vCPU that is not running.
 * - The timers after the sysreg engine: CNTV_CTL_EL0 and CNTV_CVAL_EL0 are
 *   EL0/EL1 registers (EL02 aliases under VHE) that the engine could
 *   switch if a policy named them; the timer module's values must win.
 * - FP last and lazy: nothing at load (hyp_switch_prepare() sets the trap
 *   at entry, a read-modify-write of CPTR_EL2 after the engine's); at put,
 *   first, so the vCPU's registers are saved before anything else of it
 *   moves (it may run on another CPU next).
 * - put is load's reverse, so each module's put sees what its load set up.
 *
 * Errors: every precondition of every step (a module already loaded on
 * its own, a vCPU still in the guest...) is checked before any hardware
 * is touched, so a failing call changes nothing, and once the checks pass
 * no step can fail: nothing is ever half-loaded or half-put.
 *
 * The modules keep their own calls for integrators who compose by hand.
 * @{
 */

/**
 * @brief Attach the vGIC's vCPU @p gv to @p vcpu (hyp_vcpu_load() and
 *        hyp_vcpu_put() then load and put it), or detach it with NULL.
 *
 * The sysreg engine's vCPU is attached by hyp_vcpu_use_sysreg(), the
 * timers by hyp_vtimer_init(), lazy FP through hyp_vcpu::fp_cpu and
 * hyp_vcpu::fp. Touches no hardware; O(1).
 * @concurrency the vCPU must not be loaded or running; the caller
 * serialises calls on one vCPU.
 * @param vcpu the vCPU
 * @param gv   its vGIC vCPU (initialised by hyp_vgic_init()), or NULL
 * @return 0; HYP_EINVAL for a NULL @p vcpu or a @p gv without a VM;
 *         HYP_ESTATE if @p vcpu is loaded (nothing changed)
 */
int hyp_vcpu_attach_vgic(struct hyp_vcpu *vcpu, struct hyp_vgic_vcpu *gv);

/**
 * @brief Schedule @p vcpu on this CPU: hyp_sysreg_load(), hyp_vgic_load(),
 *        hyp_vtimer_load() of what is attached, in that order (see above).
 *
 * Hardware: what those calls touch (the engine's deferred and
 * dirty-tracked registers and trap controls; ICH_VMCR_EL2 and the APRs or
 * their GICH counterparts; CNTHCTL_EL2, CNTVOFF_EL2, CNTV_CVAL, CNTV_CTL,
 * CNTHP_* for the emulated physical timer). No FP register. Cost: the sum
 * of those calls plus a few loads and compares.
 * @concurrency call on the CPU that will run the vCPU, with the vCPU not
 * loaded anywhere.
 * @param vcpu the vCPU
 * @return 0; HYP_EINVAL for a NULL @p vcpu or an attached sysreg vCPU
 *         without a VM; HYP_ESTATE if @p vcpu is already loaded or live,
 *         or an attached module is already loaded on its own (nothing
 *         changed, no hardware touched).
 */
int hyp_vcpu_load(struct hyp_vcpu *vcpu);

/**
 * @brief Deschedule @p vcpu from this CPU: hyp_fp_vcpu_release(),
 *        hyp_vtimer_put(), hyp_vgic_put(), hyp_sysreg_put(), in that order.
 *
 * Hardware: what those calls touch (the FP registers saved only if this
 * vCPU owns them, CPTR_EL2 then; CNTV_CTL/CVAL read and CNTV_CTL = 0,
 * CNTHP_CTL_EL2 if armed; ICH_VMCR_EL2 and the APRs read; the engine's
 * deferred and dirty registers saved). Cost: the sum of those calls.
 * @concurrency call on the CPU the vCPU was loaded on, after its last exit
 * (and after hyp_vgic_save() of that exit).
 * @param vcpu the vCPU
 * A module the integrator put by hand meanwhile (hyp_vgic_put() of a
 * blocked vCPU, say) is skipped: its own put refuses and touches nothing.
 * @return 0; HYP_EINVAL for a NULL @p vcpu; HYP_ESTATE if it is not loaded,
 *         is live (in the guest), its vGIC vCPU is between
 *         hyp_vgic_restore() and hyp_vgic_save(), or its sysreg vCPU is
 *         entered (nothing changed, no hardware touched).
 */
int hyp_vcpu_put(struct hyp_vcpu *vcpu);

/**
 * @brief hyp_fp_vcpu_put() with an error code: if @p vcpu owns its CPU's
 *        FP registers, save them to vcpu->fp and release them.
 *
 * Hardware: nothing if the vCPU does not own the registers; else CPTR_EL2
 * read and write (and an ISB) if the trap was set, and the ops->save of
 * 32 Q registers, FPSR and FPCR.
 * @concurrency On the CPU of vcpu->fp_cpu.
 * @param vcpu the vCPU
 * @return 0 (also when there is nothing to save); HYP_EINVAL for a NULL
 *         @p vcpu
 */
int hyp_fp_vcpu_release(struct hyp_vcpu *vcpu);

/** @} */

/**
 * @name One MSR/MRS dispatcher (the composition layer)
 *
 * The fast-path handler of EC 0x18 (and, through hyp_aa32_sysreg_trap(),
 * of EC 0x03/0x04) for a vCPU set up with hyp_vcpu_use_sysreg(). It
 * answers a trapped access from, in order:
 *
 * 1. the integrator's sorted trap table (hyp_sysreg_dispatch::table);
 * 2. the VM's ID-register view (hyp_sysreg_dispatch::idregs): reads of
 *    the ID registers trapped by HCR_EL2.TID3 (and CTR_EL0/CLIDR_EL1 by
 *    TID2) come from the cache (hyp_cpufeat_vm_read_idreg()), never from
 *    hardware; an MSR to one is UNDEF;
 * 3. the sysreg engine (hyp_sysreg_handle_trap() without a table: dirty
 *    tracking, ABSENT registers and anything unknown UNDEF).
 *
 * The answer is cached per sysreg vCPU (hyp_sysreg_vcpu::trap_key, one
 * entry: the register of the last trap and what answers it), so a guest's
 * hot loop on one register searches nothing. A handler's negative error is
 * stored in hyp_sysreg_vcpu::trap_error and the exit goes to the run loop
 * (::HYP_EXIT_SYNC, EC 0x18), never turned into an UNDEF or a resume.
 * @{
 */
struct hyp_cpufeat_vm;

/** @brief The dispatcher's configuration: the `ctx` of its fast-path entry. */
struct hyp_sysreg_dispatch {
	const struct hyp_sysreg_trap_table *table; /**< the integrator's sorted table, or NULL */
	const struct hyp_cpufeat_vm *idregs;       /**< the VM's ID view, or NULL (ID reads: engine, UNDEF) */
};

/**
 * @brief Fill a dispatcher configuration, checking the table is sorted
 *        and free of duplicates (hyp_sysreg_trap_table_check()). Touches
 *        no hardware; O(table entries).
 *
 * @concurrency @p d is written once at setup; the dispatcher only reads it
 * (any number of vCPUs, any CPUs). The table and the ID view must outlive
 * it and not change while a vCPU uses it (the per-vCPU cache keeps
 * pointers into both).
 * @param[out] d the configuration (unchanged on error)
 * @param table the integrator's trap table, or NULL for none
 * @param idregs the VM's ID-register view (hyp_cpufeat_vm_init()), or NULL
 * @return 0; HYP_EINVAL for a NULL @p d or an unsorted table
 */
int hyp_sysreg_dispatch_init(struct hyp_sysreg_dispatch *d,
			     const struct hyp_sysreg_trap_table *table,
			     const struct hyp_cpufeat_vm *idregs);

/**
 * @brief The MSR/MRS dispatcher: fast-path handler for ::HYP_EC_SYS64,
 *        `self->ctx` a `const struct hyp_sysreg_dispatch *`. Register it
 *        with hyp_fast_register(t, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, d);
 *        a run loop may call it too (the vCPU not live).
 *
 * A handled read writes Rt; a handled access skips the instruction (PC + 4,
 * PSTATE.SS and BTYPE cleared: SPSR_EL2 is written only if one was set);
 * UNDEF injects the exception. A hot-path function: @p vcpu and @p self
 * must be valid (see CONTRIBUTING.md, "Bad arguments"), @p vcpu set up with
 * hyp_vcpu_use_sysreg() and @p esr an EC 0x18 syndrome (what the fast-path
 * table registers it for): nothing of that is checked on every trap. A
 * vCPU uses one configuration: the cache is keyed by the register alone
 * (hyp_vcpu_use_sysreg() empties it).
 *
 * Hardware: none of its own but the skip (live vCPU: MRS SPSR_EL2, MRS and
 * MSR ELR_EL2) and an injected UNDEF; the ID view answers without reading
 * an ID register; the engine's dirty-tracking trap writes the register and
 * HCR_EL2 or HFGWTR_EL2. Cost: a cached hit is a compare of the register
 * bits and one indirect call; a miss one binary search of the table, of
 * the register table, or both.
 *
 * @concurrency per vCPU; it writes only that vCPU's state.
 * @param vcpu the trapping vCPU
 * @param esr its ESR_EL2
 * @param self the fast-path entry (its ctx: the configuration)
 * @return ::HYP_FAST_RESUME_X0_X18 or ::HYP_FAST_RESUME (handled, or UNDEF
 *         injected); ::HYP_FAST_EXIT if declined, if the injection failed,
 *         or if a handler failed (hyp_sysreg_vcpu::trap_error)
 */
int hyp_sysreg_dispatch_trap(struct hyp_vcpu *vcpu, uint64_t esr,
			     const struct hyp_fast_entry *self);

/**
 * @brief The dispatcher for AArch32 CP15 traps: hyp_aa32_sysreg_trap()
 *        with hyp_sysreg_dispatch_trap(). Register it for ::HYP_EC_CP15_32
 *        and ::HYP_EC_CP15_64 with the same ctx as the EC 0x18 entry; the
 *        mapped registers go through the same table, ID view, engine and
 *        cache. A hot-path function: @p vcpu and @p self must be valid.
 *
 * Hardware and cost: those of hyp_aa32_sysreg_trap() and of the
 * dispatcher.
 * @concurrency Per vCPU.
 * @param vcpu the trapping vCPU
 * @param esr its ESR_EL2 (EC 0x03 or 0x04)
 * @param self the fast-path entry (its ctx: the configuration)
 * @return as hyp_aa32_sysreg_trap()
 */
int hyp_sysreg_dispatch_trap_aa32(struct hyp_vcpu *vcpu, uint64_t esr,
				  const struct hyp_fast_entry *self);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_SWITCH_H */
