/* SPDX-License-Identifier: MIT */
/**
 * @file switch_core.h
 * @brief The world switch's entry/exit core for a hypervisor with its own
 *        EL2 vector table.
 *
 * libhyp's vector table (hyp_switch_vectors) owns all 16 entries. An
 * integrator with its own VBAR_EL2 table keeps it, and puts libhyp's guest
 * exit code in its four lower-EL AArch64 slots (Arm ARM D1.10, "Exception
 * vectors": offsets 0x400 sync, 0x480 IRQ, 0x500 FIQ, 0x580 SError; the
 * AArch32 slots at 0x600.. may branch to the same entries):
 *
 * @code
 *	.org	my_vectors + 0x400
 *	b	hyp_switch_guest_sync_entry
 *	.org	my_vectors + 0x480
 *	b	hyp_switch_guest_irq_entry
 *	.org	my_vectors + 0x500
 *	b	hyp_switch_guest_fiq_entry
 *	.org	my_vectors + 0x580
 *	b	hyp_switch_guest_serror_entry
 * @endcode
 *
 * The entry function is hyp_vcpu_run() (libhyp/switch.h), unchanged: it
 * builds the run frame below on SP_EL2 and enters the guest; the exit entry
 * points save the guest's registers into the vCPU through that frame, run
 * the fast path (hyp_switch_sync_exit()) and either resume the guest or
 * return from hyp_vcpu_run(). The current-EL slots (exceptions taken at EL2
 * itself) stay the integrator's: libhyp's hyp_switch_el2_fault() is called
 * only from libhyp's own table.
 *
 * Contract of a slot that branches to an entry: it is the first instruction
 * of the slot (no GPR, SP_EL2, ELR_EL2, SPSR_EL2 or ESR_EL2 may change
 * before it: the guest's X0..X30 are still live), the table is in use only
 * while hyp_vcpu_run() runs a guest (SP_EL2 then points at the frame), and
 * PSTATE.DAIF is all masked, as exception entry to EL2 leaves it.
 * The frame layout below is exported for integrators that inspect it (a
 * debugger, a crash dump); the static assertions in src/switch check it
 * against the assembly.
 */
#ifndef LIBHYP_SWITCH_CORE_H
#define LIBHYP_SWITCH_CORE_H

/**
 * @name The run frame: SP_EL2 points at it while a guest runs
 * @{
 */
/** Offset of the struct hyp_vcpu * of the running guest. */
#define HYP_SWITCH_FRAME_VCPU 0
/** Offset of hyp_vcpu_run()'s caller's DAIF, restored on return. */
#define HYP_SWITCH_FRAME_DAIF 8
/** Offset of two scratch slots (the guest's X0/X1 while they are saved). */
#define HYP_SWITCH_FRAME_SCRATCH 16
/** Offset of the caller's X19..X30 (AAPCS64 callee-saved), 12 slots. */
#define HYP_SWITCH_FRAME_X19 32
/** Offset of two more scratch slots (the guest's X4/X5 while the vector
 *  code looks a call up in its constant SMCCC answers). */
#define HYP_SWITCH_FRAME_SCRATCH2 128
/** Size of the frame in bytes (a multiple of 16). */
#define HYP_SWITCH_FRAME_SIZE 160
/** @} */

#ifndef __ASSEMBLER__
#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Lower-EL synchronous exception entry, for an integrator's vector
 *        slot (VBAR_EL2 + 0x400, and + 0x600 for AArch32).
 *
 * Not callable from C: branched to (B) as the first instruction of the slot,
 * with the guest's registers live and SP_EL2 at the run frame. An HVC #0 /
 * SMC #0 whose function is in the VM's constant answers
 * (hyp_fast_set_smccc_answers(), libhyp/psci.h) is answered first, without
 * saving a register. Anything else: saves X0..X19 and X30 into the vCPU,
 * and X20..X29 when the exit needs them (the frame rule,
 * libhyp/world_switch.h: hyp_switch_exit_needs_x19_x29(),
 * ::HYP_EXIT_V_X19_X29_LIVE), dispatches on the exception class; resumes
 * the guest (ERET) if a handler answered, else stores X20..X29 if they were
 * left in the CPU and returns from hyp_vcpu_run() with vcpu->exit.kind =
 * HYP_EXIT_SYNC: the run loop always sees all 31. The frame layout below is
 * the same as before the rule.
 *
 * Hardware: 21 or 31 stores into the vCPU; the dispatcher reads ESR_EL2, ELR_EL2,
 * SPSR_EL2, FAR_EL2 and HPFAR_EL2 (see hyp_vcpu_run()). Cost: as libhyp's own
 * vector, plus one branch.
 * @concurrency Per CPU: only on the CPU that runs the guest, while
 *  hyp_vcpu_run() runs it.
 */
void hyp_switch_guest_sync_entry(void);

/**
 * @brief Lower-EL IRQ entry, for an integrator's vector slot (VBAR_EL2 +
 *        0x480, and + 0x680): the IRQ fast path if the vCPU's table has an
 *        IRQ handler, else saves the guest's registers and returns from
 *        hyp_vcpu_run() with HYP_EXIT_IRQ.
 *
 * Not callable from C (branched to, as hyp_switch_guest_sync_entry()).
 * With an IRQ handler (hyp_fast_register_irq(), libhyp/world_switch.h):
 * X0..X19 and X30 saved, the handler called, the guest resumed if it
 * answered, else X20..X29 stored and HYP_EXIT_IRQ returned. Hardware: the
 * stores, the loads of the handler; no system register but the handler's.
 * Cost: without a handler about 31 instructions to the return from
 * hyp_vcpu_run(); with one about 45 around the handler when it resumes.
 * @concurrency As hyp_switch_guest_sync_entry().
 */
void hyp_switch_guest_irq_entry(void);

/**
 * @brief Lower-EL FIQ entry (VBAR_EL2 + 0x500, and + 0x700): as
 *        hyp_switch_guest_irq_entry(), with HYP_EXIT_FIQ.
 *
 * Not callable from C. Hardware and cost as hyp_switch_guest_irq_entry().
 * @concurrency As hyp_switch_guest_sync_entry().
 */
void hyp_switch_guest_fiq_entry(void);

/**
 * @brief Lower-EL SError entry (VBAR_EL2 + 0x580, and + 0x780): as
 *        hyp_switch_guest_irq_entry(), with HYP_EXIT_SERROR.
 *
 * Not callable from C. Hardware and cost as hyp_switch_guest_irq_entry().
 * @concurrency As hyp_switch_guest_sync_entry().
 */
void hyp_switch_guest_serror_entry(void);

#ifdef __cplusplus
}
#endif
#endif /* __ASSEMBLER__ */

#endif /* LIBHYP_SWITCH_CORE_H */
