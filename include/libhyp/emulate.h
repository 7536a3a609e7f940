/* SPDX-License-Identifier: MIT */
/**
 * @file emulate.h
 * @brief Emulation helpers: guest exception injection, virtual interrupt lines,
 *        MMIO decode and completion, the WFx policy.
 *
 * Part of the world-switch API (libhyp/switch.h includes every part).
 *
 * Concurrency: a struct hyp_vcpu belongs to the physical CPU that runs it;
 * libhyp takes no lock. Each function's "Concurrency" paragraph is exact.
 */
#ifndef LIBHYP_EMULATE_H
#define LIBHYP_EMULATE_H

#include <stdbool.h>
#include <stdint.h>

#include <libhyp/vcpu.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_EMULATE_H */
