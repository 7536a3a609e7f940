/* SPDX-License-Identifier: MIT */
/**
 * @file vcpu.h
 * @brief The virtual CPU: struct hyp_vcpu, its registers and exit record, the
 *        fast-path table types, hyp_vcpu_init(), the guest register
 *        accessors and the vCPU lifecycle (load/put).
 *
 * Part of the world-switch API (libhyp/switch.h includes every part). This
 * header declares the vCPU and what every other part needs of it; it does
 * not declare the run loop or the vectors (libhyp/world_switch.h).
 *
 * Concurrency: a struct hyp_vcpu belongs to the physical CPU that runs it;
 * libhyp takes no lock. Each function's "Concurrency" paragraph is exact.
 */
#ifndef LIBHYP_VCPU_H
#define LIBHYP_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libhyp/esr.h>
#include <libhyp/regdefs.h>
#include <libhyp/vtimer.h>

#ifdef __cplusplus
extern "C" {
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
	/** Complete the trapped instruction of an AArch64 caller (PC + 4,
	 *  PSTATE.SS and BTYPE cleared), then resume as ::HYP_FAST_RESUME
	 *  would (the vector code reloads only what the frame needs). From an
	 *  AArch32 caller: ::HYP_FAST_EXIT, the instruction as it was.
	 *  hyp_sysreg_direct_done() returns it for an esr with ::HYP_ESR_EARLY
	 *  set (the vector code's early direct call, libhyp/sysreg_bridge.h). */
	HYP_FAST_RESUME_SKIP = 3,
};

struct hyp_fast_entry;
struct hyp_smccc_answers;

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
	/** SMCCC calls answered with a constant before the register save
	 *  (hyp_fast_set_smccc_answers(), libhyp/psci.h), or NULL */
	const struct hyp_smccc_answers *smccc_answers;
	/** The IRQ fast path (hyp_fast_register_irq(), libhyp/world_switch.h):
	 *  the handler a physical IRQ taken from the guest calls before it
	 *  leaves for the run loop, or fn NULL (every IRQ exits) */
	struct hyp_fast_entry irq;
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


struct hyp_fp_cpu;
struct hyp_fpsimd_state;

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
	/** integrator: HCR_EL2 while the guest runs, except E2H (bit 34): that
	 *  bit is the EL2 mode's, set by hyp_vcpu_init() from the record
	 *  (hyp_el2_e2h()) and kept by hyp_vcpu_update_hcr(); the switch reads
	 *  it to choose the EL12 aliases. Change other bits only. */
	uint64_t hcr;
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
	/** state: the MSR/MRS trap the vector code answers early (libhyp/
	 *  sysreg_bridge.h, "Storage-slot entries"): its ESR_EL2 with the
	 *  direction bit clear (and bit 63 set for a storage slot), or 0
	 *  (none; hyp_switch_prepare() clears it) */
	uint64_t trap_esr;
	/** state: its answer: a `const struct hyp_sysreg_direct *`, or with
	 *  bit 0 set the address of a storage slot */
	uintptr_t trap_answer;
	/** state: that storage slot's write mask; for a direct entry the
	 *  address of the guest's Xt in regs */
	uint64_t trap_wmask;
};


/* ---------------------------------------------------------------------- */
/** @name Running a vCPU
 * @{ */

/**
 * @brief Initialise @p vcpu: zero GPRs, PSTATE = ::HYP_PSR_RESET, the given
 *        HCR_EL2 value and fast-path table; no hooks, no lazy FP, timer off.
 *
 * HCR_EL2.E2H is not the caller's: it comes from the one source of the EL2
 * mode (hyp_el2_e2h(): the build constant -DLIBHYP_E2H or the record of
 * hyp_cpufeat_set_el2_mode()/hyp_cpufeat_read_el2_mode()), so every vCPU
 * of a boot selects the same register access (EL12 aliases with E2H = 1).
 * Pass @p hcr without E2H; a caller's E2H = 1 against a recorded E2H = 0
 * is refused. While no mode is recorded the caller's E2H is kept
 * (deprecated: record the mode at boot; this fallback goes in the next
 * minor release). Touches no hardware; one load of the record.
 * @param vcpu the vCPU
 * @param hcr  HCR_EL2 while it runs: RW must be 1, TGE 0; E2H is set or
 *             cleared from the EL2 mode record
 * @param fast its fast-path table, or NULL for none (every exit reaches the
 *             run loop)
 * @return 0; HYP_EINVAL if @p vcpu is NULL, TGE is set, or E2H is set while
 *         the recorded mode is E2H = 0; HYP_ENOTSUP if RW is 0 (AArch32
 *         EL1). On error nothing is changed.
 * @concurrency Any CPU; writes only @p vcpu, which must not be running or
 *  loaded anywhere.
 */
int hyp_vcpu_init(struct hyp_vcpu *vcpu, uint64_t hcr, const struct hyp_fast_table *fast);

/** @} */

/* ---------------------------------------------------------------------- */
/** @name Guest register accessors
 * PC and PSTATE live in ELR_EL2/SPSR_EL2 while the vCPU is live (fast-path
 * handlers) and in regs otherwise; these pick the right place. A live access
 * costs one MRS or MSR; otherwise none.
 * @{ */

/**
 * @brief Guest GPR @p n (0..30); 31 reads as zero (XZR). No hardware.
 *
 * Unchecked: in a fast-path handler on aarch64, X20..X29 are in the frame
 * only when the exit named one of them or its class needs them all (the
 * frame rule, world_switch.h: hyp_vcpu_x19_x29_saved()); otherwise they are
 * still in the CPU and this reads a stale value. A handler that may read
 * any register uses hyp_vcpu_read_gpr(), which refuses that case. The run
 * loop always sees all 31.
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
 *
 * Unchecked, as hyp_vcpu_get_x(): while X19..X29 are live in the CPU (a
 * fast-path handler of an exit that named none of them), a write to them
 * here is lost at resume; hyp_vcpu_write_gpr() refuses it.
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
 *
 * E2H (bit 34) is ignored in @p clear and @p set: it is the EL2 mode's
 * (hyp_vcpu_init()), the same for every vCPU of the boot.
 * @param vcpu the vCPU (nothing for NULL)
 * @param clear HCR_EL2 bits to clear (E2H ignored)
 * @param set HCR_EL2 bits to set (applied after @p clear; E2H ignored)
 * @concurrency The vCPU's CPU when live (it writes that CPU's HCR_EL2);
 *  otherwise its owner. Not from another CPU while the vCPU runs: to
 *  interrupt a running vCPU use the vGIC's kick.
 */
void hyp_vcpu_update_hcr(struct hyp_vcpu *vcpu, uint64_t clear, uint64_t set);

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

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_VCPU_H */
