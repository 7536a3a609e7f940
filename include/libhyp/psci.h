/* SPDX-License-Identifier: MIT */
/**
 * @file psci.h
 * @brief SMCCC and PSCI: function IDs, the PSCI callbacks, the HVC/SMC fast-path
 *        handler and vCPU reset for CPU_ON.
 *
 * Part of the world-switch API (libhyp/switch.h includes every part). It
 * includes only libhyp/vcpu.h: not the run loop, not the vGIC.
 *
 * Concurrency: a struct hyp_vcpu belongs to the physical CPU that runs it;
 * libhyp takes no lock. Each function's "Concurrency" paragraph is exact.
 */
#ifndef LIBHYP_PSCI_H
#define LIBHYP_PSCI_H

#include <stdbool.h>
#include <stdint.h>

#include <libhyp/vcpu.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/* ---------------------------------------------------------------------- */
/** @name Constant SMCCC answers, given before the register save
 *
 * Calls whose answer is a constant of the VM (PSCI_VERSION, SMCCC_VERSION,
 * SMCCC_ARCH_FEATURES of a given function, the SMCCC_ARCH_WORKAROUND_n
 * calls Linux makes on every context switch on affected CPUs) are answered
 * by the lower-EL synchronous vector itself (src/switch/entry.S), before it
 * saves any register: an HVC #0 or a trapped SMC #0 (HCR_EL2.TSC) from
 * AArch64 whose W0 (and, for SMCCC_ARCH_FEATURES, W1) is in the table
 * attached to the vCPU's fast-path table gets X0 = the registered value and
 * returns (an SMC to the instruction after it); X1..X30 are unchanged.
 * Anything else (another immediate, an AArch32 caller, a function not in the
 * table, no table, an SMC while PSTATE.SS or BTYPE is set) takes the
 * ordinary path unchanged. vcpu->exit is not written for an answered call.
 * @{ */

/** @name SMCCC Arm Architecture Service workarounds (DEN 0028, "Arm
 *  Architecture Calls"; Linux include/linux/arm-smccc.h)
 * @{ */
#define HYP_SMCCC_ARCH_WORKAROUND_1 0x80008000u /**< SMCCC_ARCH_WORKAROUND_1 (CVE-2017-5715) */
#define HYP_SMCCC_ARCH_WORKAROUND_2 0x80007FFFu /**< SMCCC_ARCH_WORKAROUND_2 (CVE-2018-3639) */
#define HYP_SMCCC_ARCH_WORKAROUND_3 0x80003FFFu /**< SMCCC_ARCH_WORKAROUND_3 (CVE-2022-23960) */
/** @} */

/** Most answers in one struct hyp_smccc_answers. */
#define HYP_SMCCC_ANSWERS_MAX 8

/** @brief One constant answer: the call's key (W0, and for
 *         SMCCC_ARCH_FEATURES W1 in bits [63:32]) and its X0. */
struct hyp_smccc_answer {
	uint64_t key; /**< W0 | W1 << 32 for SMCCC_ARCH_FEATURES, else W0; ~0: the end */
	uint64_t x0;  /**< the value returned in X0 */
};

/**
 * @brief A VM's constant SMCCC answers (caller-owned; fill with
 *        hyp_smccc_answers_init() and hyp_smccc_answer_add()). Searched
 *        in the order added: put the most frequent call first. The entry
 *        after the last is the end marker (key ~0).
 */
struct hyp_smccc_answers {
	/** the answers, then the end marker */
	struct hyp_smccc_answer a[HYP_SMCCC_ANSWERS_MAX + 1];
};

/**
 * @brief Empty @p t (no answer). No hardware.
 * @param t the table (nothing for NULL)
 * @concurrency Any CPU, while no fast-path table that runs has @p t
 *  attached.
 */
void hyp_smccc_answers_init(struct hyp_smccc_answers *t);

/**
 * @brief Answer SMCCC function @p fn (with W1 = @p arg for
 *        ::HYP_SMCCC_ARCH_FEATURES) with X0 = @p x0, before the register save.
 *
 * Only calls that are constant for the VM and have no effect are accepted:
 * a fast call (W0 bit 31 set, bits [23:16] zero); of the PSCI range (standard
 * service, function numbers 0x00-0x1F) only PSCI_VERSION and
 * MIGRATE_INFO_TYPE. The answer should be the one the ordinary path gives
 * (hyp_smccc_trap() and the integrator's callbacks): the early path does
 * not consult them. No hardware.
 * @param t the table (hyp_smccc_answers_init())
 * @param fn the function ID (W0; the SMC32 or SMC64 form the caller uses)
 * @param arg W1, the function asked about, for ::HYP_SMCCC_ARCH_FEATURES;
 *            0 for every other function
 * @param x0 the answer (a negative SMCCC code as its 64-bit two's complement)
 * @return 0; HYP_EINVAL for a NULL @p t, a function that is not a fast call,
 *         a PSCI function other than the two above, or a non-zero @p arg for
 *         another function than ::HYP_SMCCC_ARCH_FEATURES; HYP_EEXIST if the
 *         call is already answered; HYP_ERANGE if @p t holds
 *         ::HYP_SMCCC_ANSWERS_MAX answers. On error @p t is unchanged.
 * @concurrency As hyp_smccc_answers_init().
 */
int hyp_smccc_answer_add(struct hyp_smccc_answers *t, uint32_t fn, uint32_t arg, uint64_t x0);

/**
 * @brief The answer the early path gives to a call with W0 = @p w0,
 *        W1 = @p w1 (the same search, in C). No hardware.
 * @param t the table, or NULL (no answer)
 * @param w0 the caller's W0 (the function ID)
 * @param w1 the caller's W1 (used for ::HYP_SMCCC_ARCH_FEATURES only)
 * @param x0 where to store the answer (untouched if none)
 * @return 0 if answered; HYP_ENOENT if not (the ordinary path takes the
 *         call); HYP_EINVAL for a NULL @p x0
 * @concurrency Any CPU; reads @p t only. Cost: one compare per answer
 *  before the match.
 */
int hyp_smccc_answer_find(const struct hyp_smccc_answers *t, uint32_t w0, uint32_t w1,
			  uint64_t *x0);

/**
 * @brief Attach @p a to the fast-path table @p t: every vCPU that runs with
 *        @p t gets its calls answered by the vector code (see above).
 *
 * No hardware. The table is kept by pointer and read by the vector code on
 * every HVC #0 / SMC #0 exit: it must stay valid and unchanged while @p t is
 * in use. Cost at an exit: about 22 instructions from the guest's HVC to
 * its next instruction for the first answer, 5 more per answer before it;
 * a call that is not answered pays about 10 more than without a table.
 * @param t the fast-path table
 * @param a the answers, or NULL to detach
 * @return 0; HYP_EINVAL for a NULL @p t or an @p a with no end marker
 *         among its ::HYP_SMCCC_ANSWERS_MAX + 1 entries (not initialised);
 *         on error nothing changes
 * @concurrency As hyp_fast_register(): not while a vCPU uses @p t.
 */
int hyp_fast_set_smccc_answers(struct hyp_fast_table *t, const struct hyp_smccc_answers *a);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_PSCI_H */
