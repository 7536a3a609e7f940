/* SPDX-License-Identifier: MIT */
/*
 * Guest entry and exit, and the EL2 vector table.
 *
 * While a guest runs, SP_EL2 points at the run loop's frame (switch_priv.h,
 * SW_FRAME_*), which holds the vCPU pointer: the lower-EL vectors find the
 * vCPU with one load and save the guest's GPRs into vcpu->regs without
 * touching a system register. A synchronous exit saves X0..X19 and X30,
 * and X20..X29 only when the frame rule asks (libhyp/world_switch.h), then
 * calls the fast-path handler of its class (the dispatch of
 * hyp_switch_sync_exit(), in assembly) on the same stack; if the handler
 * takes the exit the guest is resumed right here. x20..x29 are
 * callee-saved (AAPCS64), so after the call they still hold the guest's
 * values and the common resume (HYP_FAST_RESUME_X0_X18) reloads only the
 * others. Everything else stores x20..x29 if they were left in the CPU and
 * returns to hyp_vcpu_run() through .Lexit_to_host.
 *
 * Vector layout: Arm ARM D1.10, "Exception vectors" (16 entries of 0x80
 * bytes; current EL with SP0, current EL with SPx, lower EL AArch64, lower EL
 * AArch32; each sync, IRQ, FIQ, SError).
 */
#include "switch_priv.h"
#include <libhyp/switch_core.h>

/* The exported frame layout (libhyp/switch_core.h) is this one. */
.if SW_FRAME_VCPU != HYP_SWITCH_FRAME_VCPU || SW_FRAME_DAIF != HYP_SWITCH_FRAME_DAIF || SW_FRAME_SCRATCH != HYP_SWITCH_FRAME_SCRATCH || SW_FRAME_X19 != HYP_SWITCH_FRAME_X19 || SW_FRAME_SIZE != HYP_SWITCH_FRAME_SIZE
.error "switch_core.h: the run frame differs from switch_priv.h"
.endif

/* Store X4..X17 at \base (vcpu->regs). 7 instructions. */
.macro store_x4_x17 base
	stp	x4, x5, [\base, #32]
	stp	x6, x7, [\base, #48]
	stp	x8, x9, [\base, #64]
	stp	x10, x11, [\base, #80]
	stp	x12, x13, [\base, #96]
	stp	x14, x15, [\base, #112]
	stp	x16, x17, [\base, #128]
.endm

/* Store the rest of the callee-saved block, X20..X29 (X19 is stored with
 * X18), at \base (vcpu->regs). 5 instructions. */
.macro store_x20_x29 base
	stp	x20, x21, [\base, #160]
	stp	x22, x23, [\base, #176]
	stp	x24, x25, [\base, #192]
	stp	x26, x27, [\base, #208]
	stp	x28, x29, [\base, #224]
.endm

/* Store X4..X30 at \base (vcpu->regs). 14 instructions. */
.macro store_x4_x30 base
	store_x4_x17 \base
	stp	x18, x19, [\base, #144]
	store_x20_x29 \base
	str	x30, [\base, #240]
.endm

/* Save X0..X30 into vcpu->regs. Leaves x0 = vcpu. 19 instructions. */
.macro save_guest_gprs
	stp	x0, x1, [sp, #SW_FRAME_SCRATCH]
	ldr	x0, [sp, #SW_FRAME_VCPU]
	stp	x2, x3, [x0, #16]
	store_x4_x30 x0
	ldp	x2, x3, [sp, #SW_FRAME_SCRATCH]
	stp	x2, x3, [x0]
.endm

/*
 * The synchronous path saves what C can clobber (AAPCS64: X0..X18, X30;
 * and X19, which pairs with X18 in one STP), with the early check's X2/X3
 * in the scratch slots and x2 = ESR_EL2.
 * Leaves x0 = vcpu, x2 = ESR. 14 instructions.
 */
.macro save_guest_gprs_sync
	ldr	x3, [sp, #SW_FRAME_VCPU]
	stp	x0, x1, [x3]
	store_x4_x17 x3
	stp	x18, x19, [x3, #144]	/* X19 too: it pairs with X18 */
	str	x30, [x3, #240]
	ldp	x0, x1, [sp, #SW_FRAME_SCRATCH]
	stp	x0, x1, [x3, #16]
	mov	x0, x3
.endm

/*
 * After save_guest_gprs_sync (x0 = vcpu, x2 = ESR): x1 = ESR, x4 = EC,
 * x2 = &fast->entry[EC], x3 = its handler; none: .Lsync_exit_full (the C
 * version of this dispatch is hyp_switch_sync_exit(), vcpu.c, for the host
 * backend and as the reference). 6 instructions.
 */
.macro lookup_handler
	ubfx	x4, x2, #26, #6
	ldr	x3, [x0, #SW_VCPU_FAST]
	mov	x1, x2
	add	x2, x3, x4, lsl #4
	ldr	x3, [x2]
	cbz	x3, .Lsync_exit_full
.endm

/* Load X2..X17 from vcpu->regs at x0. 8 instructions. */
.macro load_x2_x17
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
.endm

/* Load X0..X30 from vcpu->regs, with x0 = vcpu. */
.macro load_guest_gprs
	load_x2_x17
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
.endm

/* ERET is never followed architecturally; stop straight-line speculation. */
.macro eret_sls
	eret
	dsb	nsh
	isb
.endm

/*
 * ESR_EL2 of HVC #0 and SMC #0 from AArch64: EC 0x16 / 0x17 [31:26], IL 1
 * [25], ISS (the immediate) 0, ISS2 [55:32] RES0 (Arm ARM D24.2.43
 * ESR_EL2; D24.2.46 "ISS encoding for an exception from HVC or SVC
 * instruction execution", "... from SMC instruction execution in AArch64
 * state"). An AArch32 caller (EC 0x12, 0x13) never matches.
 */
#define SW_ESR_HVC64_IMM0 0x5a00	/* [31:16]; SMC #0: 0x5e00, bit 26 more */

/*
 * Lower-EL synchronous exception, one vector slot (at most 32
 * instructions): HVC #0 / SMC #0 first go to the early path (constant
 * answers, before any register is saved); everything else saves X0..X30
 * and dispatches on EC (.Lsync_save, .Lsync_call).
 */
.macro guest_sync_vector
	stp	x2, x3, [sp, #SW_FRAME_SCRATCH]
	mrs	x2, esr_el2
	/* EC bit 2 (ESR bit 28) is 0 for MSR/MRS (0x18), WFx (0x01)...: one
	 * instruction to the ordinary path; HVC/SMC64 (0x16/0x17) have it. */
	tbz	x2, #28, .Lsync_sys
	movz	w3, #SW_ESR_HVC64_IMM0, lsl #16
	sub	x3, x2, x3		/* 0: HVC #0; bit 26 alone: SMC #0 */
	tst	x3, #~(1 << 26)
	b.eq	.Learly
	b	.Lsync_save
.endm

/*
 * The early path: x2/x3 of the guest in the frame's scratch slots. If the
 * vCPU's fast table has constant answers and W0 (W0 | W1 << 32 for
 * SMCCC_ARCH_FEATURES, 0x80000001) is among them, X0 = the answer and back
 * to the guest (an SMC to the next instruction: its preferred return is
 * the SMC itself, Arm ARM D1.3.4, "Preferred exception return address");
 * else the ordinary path with nothing changed. The search ends at the key
 * ~0 (libhyp/psci.h, struct hyp_smccc_answers).
 */
.macro early_answer smc
	ldr	x3, [sp, #SW_FRAME_VCPU]
	ldr	x3, [x3, #SW_VCPU_FAST]
	ldr	x3, [x3, #SW_FAST_ANSWERS]
	.if \smc
	cbz	x3, .Learly_none
	.else
	cbz	x3, .Lsync_save_smccc	/* x2 still holds ESR_EL2 */
	.endif
	.if \smc
	/* PSTATE.SS or BTYPE set: the C path's skip clears them. */
	mrs	x2, spsr_el2
	tbnz	x2, #21, .Learly_none
	tst	x2, #0xc00
	b.ne	.Learly_none
	.endif
	stp	x4, x5, [sp, #SW_FRAME_SCRATCH2]
	mov	w4, w0
	eor	w5, w0, #0x80000001
	cbnz	w5, 1f
	orr	x4, x4, x1, lsl #32
1:	ldr	x5, [x3], #16
	cmp	x5, x4
	b.eq	2f
	cmn	x5, #1
	b.ne	1b
	ldp	x4, x5, [sp, #SW_FRAME_SCRATCH2]
	.if \smc
	b	.Learly_none		/* x2 was SPSR_EL2 */
	.else
	b	.Lsync_save_smccc
	.endif
2:	ldur	x0, [x3, #-8]
	.if \smc
	mrs	x3, elr_el2
	add	x3, x3, #4
	msr	elr_el2, x3
	.endif
	ldp	x4, x5, [sp, #SW_FRAME_SCRATCH2]
	ldp	x2, x3, [sp, #SW_FRAME_SCRATCH]
	eret_sls
.endm

/*
 * Lower-EL IRQ: the IRQ fast path if the vCPU's table has a handler
 * (.Lirq_fast, libhyp/world_switch.h), else an exit to the run loop as
 * any asynchronous exception. 6 instructions before the branch.
 */
.macro guest_irq_vector
	stp	x2, x3, [sp, #SW_FRAME_SCRATCH]
	ldr	x3, [sp, #SW_FRAME_VCPU]
	ldr	x2, [x3, #SW_VCPU_FAST]
	ldr	x2, [x2, #SW_FAST_IRQ]
	cbnz	x2, .Lirq_fast
	b	.Lirq_exit
.endm

/* Lower-EL asynchronous exception: always an exit to the run loop. */
.macro guest_async_vector kind
	save_guest_gprs
	mov	w0, #\kind
	b	.Lexit_to_host
.endm

/* Exception from EL2 itself: build a struct hyp_el2_fault on the stack. */
.macro el2_vector idx
	sub	sp, sp, #SW_FAULT_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\idx
	b	.Lel2_fault
.endm

/*
 * SError at EL2 (SP0 or SPx). Taken inside hyp_switch_serror_take()'s
 * window (PSTATE.A unmasked for two instructions): return its ESR_EL2 with
 * bit 63 set in x0, and return with A masked so no second one is taken
 * there. Anything else is an EL2 fault.
 */
.macro el2_serror_vector idx
	stp	x1, x2, [sp, #-16]!
	mrs	x1, elr_el2
	adr	x2, hyp_switch_serror_take
	sub	x1, x1, x2
	cmp	x1, #16
	b.hi	1f
	mrs	x0, esr_el2
	orr	x0, x0, #(1 << 63)
	mrs	x1, spsr_el2
	orr	x1, x1, #(1 << 8)
	msr	spsr_el2, x1
	ldp	x1, x2, [sp], #16
	eret_sls
1:	ldp	x1, x2, [sp], #16
	el2_vector \idx
.endm

/* Pad to entry \idx, failing the build if the previous entry overflowed. */
.macro vector_slot idx
	.org	hyp_switch_vectors + (\idx * 0x80)
.endm

	.text

	.global	hyp_switch_vectors
	.type	hyp_switch_vectors, %object
	.balign	2048
hyp_switch_vectors:
	vector_slot 0
	el2_vector 0
	vector_slot 1
	el2_vector 1
	vector_slot 2
	el2_vector 2
	vector_slot 3
	el2_serror_vector 3
	vector_slot 4
	el2_vector 4
	vector_slot 5
	el2_vector 5
	vector_slot 6
	el2_vector 6
	vector_slot 7
	el2_serror_vector 7
	vector_slot 8
	guest_sync_vector
	vector_slot 9
	guest_irq_vector
	vector_slot 10
	guest_async_vector SW_EXIT_FIQ
	vector_slot 11
	guest_async_vector SW_EXIT_SERROR
	vector_slot 12
	guest_sync_vector
	vector_slot 13
	guest_irq_vector
	vector_slot 14
	guest_async_vector SW_EXIT_FIQ
	vector_slot 15
	guest_async_vector SW_EXIT_SERROR
	vector_slot 16
	.size	hyp_switch_vectors, . - hyp_switch_vectors

/*
 * The same exit code as global entry points, for an integrator's own vector
 * table (libhyp/switch_core.h): its lower-EL slots branch here with the
 * guest's registers live and SP_EL2 at the run frame.
 */
	.global	hyp_switch_guest_sync_entry
	.type	hyp_switch_guest_sync_entry, %function
	.balign	16
hyp_switch_guest_sync_entry:
	guest_sync_vector
	.size	hyp_switch_guest_sync_entry, . - hyp_switch_guest_sync_entry

	.global	hyp_switch_guest_irq_entry
	.type	hyp_switch_guest_irq_entry, %function
	.balign	16
hyp_switch_guest_irq_entry:
	guest_irq_vector
	.size	hyp_switch_guest_irq_entry, . - hyp_switch_guest_irq_entry

	.global	hyp_switch_guest_fiq_entry
	.type	hyp_switch_guest_fiq_entry, %function
	.balign	16
hyp_switch_guest_fiq_entry:
	guest_async_vector SW_EXIT_FIQ
	.size	hyp_switch_guest_fiq_entry, . - hyp_switch_guest_fiq_entry

	.global	hyp_switch_guest_serror_entry
	.type	hyp_switch_guest_serror_entry, %function
	.balign	16
hyp_switch_guest_serror_entry:
	guest_async_vector SW_EXIT_SERROR
	.size	hyp_switch_guest_serror_entry, . - hyp_switch_guest_serror_entry

.Learly:
	tbnz	x3, #26, .Learly_smc
	early_answer 0
.Learly_smc:
	early_answer 1

/*
 * The IRQ fast path (libhyp/world_switch.h, "The IRQ fast path"): x2 =
 * the handler, x3 = vcpu, the guest's X2/X3 in the scratch slots. The
 * save of what C clobbers (X0..X19, X30; X20..X29 stay in the CPU under
 * the frame flag), exit.esr = 0, exit.valid = the flag, then
 * fn(vcpu, 0, &fast->irq). HYP_FAST_RESUME_X0_X18 or HYP_FAST_RESUME (0,
 * 1; the flag makes them the same): the guest resumes here. Anything else:
 * the block stored, the flag cleared, and the exit goes to the run loop as
 * HYP_EXIT_IRQ.
 */
.Lirq_fast:
	stp	x0, x1, [x3]
	store_x4_x17 x3
	stp	x18, x19, [x3, #144]
	str	x30, [x3, #240]
	ldp	x0, x1, [sp, #SW_FRAME_SCRATCH]
	stp	x0, x1, [x3, #16]
	mov	x0, x3
	movz	x19, #(SW_EXIT_V_X19_X29_LIVE >> 48), lsl #48
	stp	xzr, x19, [x0, #SW_VCPU_EXIT_ESR]
	mov	x3, x2
	ldr	x2, [x0, #SW_VCPU_FAST]
	add	x2, x2, #SW_FAST_IRQ
	mov	x1, #0
	blr	x3
	cmp	w0, #SW_FAST_RESUME
	b.ls	.Lsync_resume_partial
	ldr	x0, [sp, #SW_FRAME_VCPU]
	/* the flag is exit.valid's bit 63, the only one in its last byte */
	strb	wzr, [x0, #SW_VCPU_EXIT_ESR + 15]
	store_x20_x29 x0
	mov	w0, #SW_EXIT_IRQ
	b	.Lexit_to_host

/* No IRQ handler: the guest's X2/X3 back, and the exit of every
 * asynchronous exception. */
.Lirq_exit:
	ldp	x2, x3, [sp, #SW_FRAME_SCRATCH]
	save_guest_gprs
	mov	w0, #SW_EXIT_IRQ
	b	.Lexit_to_host

/*
 * An HVC #0 / SMC #0 not answered early: the ordinary path (ESR_EL2 read
 * again after an SMC's SPSR check), X19..X29 left in the CPU without the
 * rule's class tests (an SMCCC call names X0..X17 only).
 */
.Learly_none:
	mrs	x2, esr_el2
	/* fall through */
.Lsync_save_smccc:
	save_guest_gprs_sync
	lookup_handler
	b	.Lrule_partial

/*
 * The early MSR/MRS answer (libhyp/sysreg_bridge.h, "Storage-slot
 * entries"): x2 = ESR_EL2, the guest's X2/X3 in the scratch slots; the
 * classes with EC bit 2 clear come here (MSR/MRS 0x18, WFx 0x01,
 * instruction aborts 0x20...; not data aborts, 0x24, nor HVC/SMC). A
 * syndrome equal to vcpu->trap_esr up to the
 * direction (bit 0) is the access libhyp's dispatcher last answered with a
 * direct entry; equal up to the direction and bit 63, which a storage
 * slot's record has set (a syndrome's bits [63:32] are 0 for EC 0x18: Arm
 * ARM D24.2.43, ISS2 RES0; the dispatcher records none other), one with a
 * storage slot (hyp_switch_prepare() clears the record): EC 0x18 from
 * AArch64 (EC 0x18 is AArch64 only), the same register and Rt. The
 * answer's bit 0 (set for a slot) is checked against the kind. Anything
 * else: the ordinary path, x2 = ESR_EL2.
 */
.Lsync_sys:
	ldr	x3, [sp, #SW_FRAME_VCPU]
	ldr	x3, [x3, #SW_VCPU_TRAP_ESR]
	eor	x3, x3, x2
	cmp	x3, #1
	b.ls	.Lsync_direct
	/* bits [62:1] clear: x3 is bit 63 (and the direction), a slot's
	 * record (ESR_EL2 bit 63 is RES0); one TST for the miss */
	tst	x3, #0x7ffffffffffffffe
	b.ne	.Lsync_save
	ldr	x3, [sp, #SW_FRAME_VCPU]
	ldr	x3, [x3, #SW_VCPU_TRAP_ANSWER]
	tbz	x3, #0, .Lsync_save
	/*
	 * A storage slot at x3 - 1, before any register is saved: X4/X5 in
	 * the second scratch pair; PSTATE.SS or BTYPE set: the ordinary path
	 * (its skip clears them). Rt [9:5] through a table of two
	 * instructions per register: X2..X5 live in the scratch slots, XZR
	 * reads as 0 and a read into it is lost.
	 */
	stp	x4, x5, [sp, #SW_FRAME_SCRATCH2]
	mrs	x4, spsr_el2
	tbnz	x4, #21, .Lslot_none	/* SS */
	tst	x4, #0xc00		/* BTYPE */
	b.ne	.Lslot_none
	ubfx	x5, x2, #5, #5
	tbz	x2, #0, .Lslot_write	/* Direction [0]: 1 is a read (MRS) */
	ldur	x4, [x3, #-1]
	adr	x3, .Lslot_read
	add	x3, x3, x5, lsl #3
	br	x3
.Lslot_write:
	adr	x4, .Lslot_wr
	add	x4, x4, x5, lsl #3
	br	x4
.Lslot_store:
	ldr	x4, [sp, #SW_FRAME_VCPU]
	ldr	x4, [x4, #SW_VCPU_TRAP_WMASK]
	and	x5, x5, x4
	stur	x5, [x3, #-1]
	/* PC + 4 (SS and BTYPE are clear) */
.Lslot_done:
	mrs	x3, elr_el2
	add	x3, x3, #4
	msr	elr_el2, x3
	ldp	x4, x5, [sp, #SW_FRAME_SCRATCH2]
	ldp	x2, x3, [sp, #SW_FRAME_SCRATCH]
	eret_sls
.Lslot_none:
	ldp	x4, x5, [sp, #SW_FRAME_SCRATCH2]
	b	.Lsync_save

/* A read: the value (x4) into Xt. */
	.balign	8
.Lslot_read:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.if	\n == 2 || \n == 3
	str	x4, [sp, #SW_FRAME_SCRATCH + 8 * (\n - 2)]
	.elseif	\n == 4 || \n == 5
	str	x4, [sp, #SW_FRAME_SCRATCH2 + 8 * (\n - 4)]
	.elseif	\n == 31
	nop
	.else
	mov	x\n, x4
	.endif
	b	.Lslot_done
	.endr
/* A write: Xt into x5. */
.Lslot_wr:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.if	\n == 2 || \n == 3
	ldr	x5, [sp, #SW_FRAME_SCRATCH + 8 * (\n - 2)]
	.elseif	\n == 4 || \n == 5
	ldr	x5, [sp, #SW_FRAME_SCRATCH2 + 8 * (\n - 4)]
	.elseif	\n == 31
	mov	x5, xzr
	.else
	mov	x5, x\n
	.endif
	b	.Lslot_store
	.endr

/*
 * A direct entry (x3 = its struct hyp_sysreg_direct; recorded for Rt
 * X0..X15 only): the save of what C clobbers, then fn(vcpu, esr,
 * &vcpu->regs.x[Rt], ctx) with X19..X29 left in the CPU, as
 * hyp_sysreg_dispatch_trap()'s cached hit would call it.
 */
.Lsync_direct:
	save_guest_gprs_sync
	ldr	x3, [x0, #SW_VCPU_TRAP_ANSWER]
	tbnz	x3, #0, .Lsync_saved	/* a slot's answer: the ordinary path */
	movz	x19, #(SW_EXIT_V_X19_X29_LIVE >> 48), lsl #48
	stp	x2, x19, [x0, #SW_VCPU_EXIT_ESR]
	/* HYP_ESR_EARLY (bit 63): hyp_sysreg_direct_done() leaves the
	 * completion to the code below (HYP_FAST_RESUME_SKIP) */
	orr	x1, x2, #(1 << 63)
	ldr	x2, [x0, #SW_VCPU_TRAP_WMASK]	/* &vcpu->regs.x[Rt], recorded */
	ldp	x4, x3, [x3]		/* fn, ctx */
	blr	x4
	cmp	w0, #SW_FAST_RESUME_SKIP
	b.ne	1f
	/* PC + 4; SS and BTYPE cleared (SPSR_EL2 written only if set) */
	mrs	x1, elr_el2
	add	x1, x1, #4
	msr	elr_el2, x1
	mrs	x1, spsr_el2
	tbnz	x1, #21, 2f		/* SS */
	tst	x1, #0xc00		/* BTYPE */
	b.eq	.Lsync_resume_partial
2:	movz	x2, #0xc00
	movk	x2, #0x20, lsl #16
	bic	x1, x1, x2
	msr	spsr_el2, x1
	b	.Lsync_resume_partial
1:	cbnz	w0, .Lsync_not_x0_x18
	b	.Lsync_resume_partial

.Lsync_save:
	save_guest_gprs_sync
.Lsync_saved:
	lookup_handler
	/*
	 * The frame rule (docs/switch.md, "The frame"): X19..X29 stay in the
	 * CPU, where the C handler preserves them (AAPCS64 callee-saved),
	 * unless the exit names one of them or its class is not known to
	 * use X0..X18 only; then they are stored first. Named registers (Arm
	 * ARM D24.2.46, ESR_EL2 ISS encodings): MSR/MRS (EC 0x18) and WFET /
	 * WFIT (EC 0x01, RV) Rt [9:5]; a data abort with ISV [24] SRT
	 * [20:16]. HVC/SMC (EC 0x12, 0x13, 0x16, 0x17: the SMCCC passes
	 * X0..X17) and AArch32 CP15 accesses (EC 0x03, 0x04: R0..R14 are
	 * X0..X14) name none. exit.valid = HYP_EXIT_V_X19_X29_LIVE while the
	 * block is not in vcpu->regs.
	 */
	cmp	x4, #0x18
	b.ne	.Lrule_other
	/* Rt [9:5] below 16 (bit 9 clear): no callee-saved register. */
	tbz	x1, #9, .Lrule_partial
	ubfx	x5, x1, #5, #5
.Lrule_reg:
	sub	w5, w5, #19
	cmp	w5, #11
	b.lo	.Lrule_full
.Lrule_partial:
	movz	x19, #(SW_EXIT_V_X19_X29_LIVE >> 48), lsl #48
	/* fall through */

/*
 * x0 = vcpu, x1 = ESR, x2 = the entry, x3 = its handler, x19 = exit.valid:
 * exit.esr/valid, then fn(vcpu, esr, entry). The guest's X19 is in
 * vcpu->regs (stored with X18), so X19 keeps the flag across the call (a
 * callee-saved register) and every resume reloads X19 from regs.
 */
.Lsync_call:
	stp	x1, x19, [x0, #SW_VCPU_EXIT_ESR]
	blr	x3
	cbnz	w0, .Lsync_not_x0_x18
	/* HYP_FAST_RESUME_X0_X18: x20..x29 still hold the guest's values. */
.Lsync_resume_partial:
	ldr	x0, [sp, #SW_FRAME_VCPU]
	load_x2_x17
	ldp	x18, x19, [x0, #144]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret_sls

/* Not EC 0x18: the other classes of the rule. */
.Lrule_other:
	cmp	x4, #0x24
	b.ne	.Lrule_other2
	tbz	x1, #24, .Lrule_full	/* ISV 0: nothing named */
	tbz	x1, #20, .Lrule_partial	/* SRT [20:16] below 16 */
	ubfx	x5, x1, #16, #5
	b	.Lrule_reg
.Lrule_other2:
	and	x5, x4, #0x3e
	cmp	x5, #0x16		/* HVC64, SMC64 */
	b.eq	.Lrule_partial
	cmp	x4, #0x01
	b.eq	.Lrule_wfx
	movz	x5, #(SW_NARROW_ECS & 0xffff)
	movk	x5, #(SW_NARROW_ECS >> 16), lsl #16
	lsr	x5, x5, x4
	tbnz	x5, #0, .Lrule_partial
	b	.Lrule_full
.Lrule_wfx:
	ubfx	x5, x1, #5, #5
	b	.Lrule_reg
.Lrule_full:
	store_x20_x29 x0
	mov	x19, #0
	b	.Lsync_call


/*
 * w0 = HYP_FAST_RESUME: reload everything but a block still in the CPU;
 * anything else: exit, with the block stored first (the run loop and the
 * integrator see the full frame).
 */
.Lsync_not_x0_x18:
	cmp	w0, #SW_FAST_RESUME
	b.ne	3f
.Lsync_resume_flag:
	tbnz	x19, #63, .Lsync_resume_partial
	ldr	x0, [sp, #SW_FRAME_VCPU]
	load_guest_gprs
	eret_sls
	/* HYP_FAST_RESUME_SKIP from any handler: an AArch64 caller's PC + 4,
	 * SS and BTYPE cleared, then the resume the frame flag says; from
	 * AArch32 (M[4]) the instruction stays as it is and the run loop
	 * sees the exit. */
3:	cmp	w0, #SW_FAST_RESUME_SKIP
	b.ne	.Lsync_exit
	mrs	x1, spsr_el2
	tbnz	x1, #4, .Lsync_exit
	mrs	x2, elr_el2
	add	x2, x2, #4
	msr	elr_el2, x2
	movz	x2, #0xc00
	movk	x2, #0x20, lsl #16
	tst	x1, x2
	b.eq	.Lsync_resume_flag
	bic	x1, x1, x2
	msr	spsr_el2, x1
	b	.Lsync_resume_flag
.Lsync_exit:
	ldr	x0, [sp, #SW_FRAME_VCPU]
	tbz	x19, #63, 1f
	/* the flag is exit.valid's bit 63, the only one in its last byte */
	strb	wzr, [x0, #SW_VCPU_EXIT_ESR + 15]
	b	2f
/* No handler for the class: the whole frame, and to the run loop. */
.Lsync_exit_full:
	stp	x1, xzr, [x0, #SW_VCPU_EXIT_ESR]
2:	store_x20_x29 x0
1:	mov	w0, #SW_EXIT_SYNC
	/* fall through */

/*
 * Back to hyp_switch_enter_guest()'s caller with w0 = the exit kind and the
 * caller's DAIF in x0[63:32]. Everything stays masked: hyp_vcpu_run()
 * synchronises SErrors (hyp_switch_complete()) before it restores DAIF, so
 * an SError the guest raised is never taken at EL2 on the way out.
 */
.Lexit_to_host:
	ldp	x19, x20, [sp, #SW_FRAME_X19]
	ldp	x21, x22, [sp, #SW_FRAME_X19 + 16]
	ldp	x23, x24, [sp, #SW_FRAME_X19 + 32]
	ldp	x25, x26, [sp, #SW_FRAME_X19 + 48]
	ldp	x27, x28, [sp, #SW_FRAME_X19 + 64]
	ldp	x29, x30, [sp, #SW_FRAME_X19 + 80]
	ldr	x1, [sp, #SW_FRAME_DAIF]
	orr	x0, x0, x1, lsl #32
	add	sp, sp, #SW_FRAME_SIZE
	ret

/* void hyp_switch_set_daif(uint64_t daif): restore the caller's masks. */
	.global	hyp_switch_set_daif
	.type	hyp_switch_set_daif, %function
hyp_switch_set_daif:
	msr	daif, x0
	ret
	.size	hyp_switch_set_daif, . - hyp_switch_set_daif

/*
 * int hyp_sysreg_dispatch_trap(vcpu, esr, self) (libhyp/sysreg_bridge.h):
 * a cached hit of a direct entry (the key the C dispatcher cached, with
 * TRAP_KEY_DIRECT, equal to ESR & ISS_REG_MASK | 1 << 31; sysreg_plug.c)
 * tail-calls the direct handler fn(vcpu, esr, &vcpu->regs.x[Rt], ctx)
 * (16 instructions); an ordinary entry's hit goes straight to the C
 * dispatcher's answer (hyp__sysreg_answer_cached()); Rt = 31 (XZR) and a
 * miss: the C dispatcher.
 */
	.global	hyp_sysreg_dispatch_trap
	.type	hyp_sysreg_dispatch_trap, %function
	.balign	16
hyp_sysreg_dispatch_trap:
	ldr	x3, [x0, #SW_VCPU_HOOKS_CTX]
	and	w5, w1, #0x3ffc00	/* Op0, Op2, Op1, CRn [21:10] */
	and	w6, w1, #0x1e		/* CRm [4:1] */
	ldr	w4, [x3, #SW_SR_TRAP_KEY]
	orr	w5, w5, w6
	eor	w5, w5, w4
	cbz	w5, 2f			/* an ordinary entry's hit */
	ubfx	x6, x1, #5, #5		/* Rt */
	/* Z: w5 is TRAP_KEY_DIRECT alone (a direct entry's hit); then Z
	 * again if Rt is 31 (XZR), else Z forced: one B.EQ to the C. */
	tst	w5, #0x7fffffff
	ccmp	x6, #31, #4, eq
	b.eq	1f
	ldr	x3, [x3, #SW_SR_TRAP_HIT]
	ldr	x3, [x3, #SW_TRAP_ENTRY_CTX]
	/* Record it for the vector code's early call (Rt X0..X15, a live
	 * vCPU, this function registered as the EC 0x18 handler itself: self is
	 * &vcpu->fast->entry[0x18] and its fn is this; sysreg_plug.c,
	 * early_direct()). Reached only when the early record missed. */
	tbnz	x1, #9, 3f
	ldr	w4, [x0, #SW_VCPU_LIVE]	/* not live: the run loop's call */
	cbz	w4, 3f
	lsr	x4, x1, #32		/* ESR bits [63:32]: 0 for EC 0x18 */
	cbnz	x4, 3f
	ldr	x4, [x0, #SW_VCPU_FAST]
	add	x4, x4, #(0x18 * 16)
	cmp	x4, x2
	b.ne	3f
	ldr	x4, [x2]
	adr	x5, hyp_sysreg_dispatch_trap
	cmp	x4, x5
	b.ne	3f
	and	x4, x1, #~1
	str	x4, [x0, #SW_VCPU_TRAP_ESR]
	str	x3, [x0, #SW_VCPU_TRAP_ANSWER]
	add	x2, x0, x6, lsl #3
	str	x2, [x0, #SW_VCPU_TRAP_WMASK]
3:	ldp	x4, x3, [x3]		/* struct hyp_sysreg_direct: fn, ctx */
	add	x2, x0, x6, lsl #3	/* &vcpu->regs.x[Rt] */
	br	x4
1:	b	hyp__sysreg_dispatch_trap_c
2:	b	hyp__sysreg_answer_cached	/* x2 = self */
	.size	hyp_sysreg_dispatch_trap, . - hyp_sysreg_dispatch_trap

/*
 * int hyp_sysreg_direct_done(vcpu, esr): a live AArch64 vCPU's PC + 4,
 * PSTATE.SS and BTYPE cleared (SPSR_EL2 written only if one was set), and
 * the resume (HYP_FAST_RESUME for a read into X19..X29); anything else the
 * C version (sysreg_plug.c).
 */
	.global	hyp_sysreg_direct_done
	.type	hyp_sysreg_direct_done, %function
	.balign	16
hyp_sysreg_direct_done:
	tbnz	x1, #63, 5f		/* HYP_ESR_EARLY: the caller completes it */
	ldr	w2, [x0, #SW_VCPU_LIVE]
	cbz	w2, 3f
	mrs	x2, spsr_el2
	tbnz	x2, #4, 3f		/* M[4]: AArch32 */
	mrs	x3, elr_el2
	add	x3, x3, #4
	msr	elr_el2, x3
	tbnz	x2, #21, 2f		/* SS */
	tst	x2, #0xc00		/* BTYPE */
	b.ne	2f
1:	tbz	x1, #9, 4f		/* Rt [9:5] below 16: X0..X15 */
	tbz	x1, #0, 4f		/* a write */
	ubfx	x1, x1, #5, #5
	sub	w1, w1, #19
	cmp	w1, #11
	cset	w0, lo			/* HYP_FAST_RESUME for X19..X29 */
	ret
4:	mov	w0, #0			/* HYP_FAST_RESUME_X0_X18 */
	ret
2:	movz	x3, #0xc00
	movk	x3, #0x20, lsl #16	/* SS | BTYPE */
	bic	x2, x2, x3
	msr	spsr_el2, x2
	b	1b
3:	b	hyp__sysreg_direct_done_c
5:	mov	w0, #SW_FAST_RESUME_SKIP
	ret
	.size	hyp_sysreg_direct_done, . - hyp_sysreg_direct_done

/*
 * uint64_t hyp_switch_serror_take(void) (hyp_serror_take() in libhyp/hw.h):
 * with ISR_EL1.A set, unmask SError so it is taken here; the EL2 SError
 * vector recognises ELR_EL2 in [this function, +16] and returns its ESR
 * with bit 63 set in x0, A masked. 0 if nothing was taken. Clobbers x0.
 */
	.global	hyp_switch_serror_take
	.type	hyp_switch_serror_take, %function
	.balign	16
hyp_switch_serror_take:
	mov	x0, #0
	msr	daifclr, #4
	isb
	msr	daifset, #4
	ret
	.size	hyp_switch_serror_take, . - hyp_switch_serror_take

/*
 * uint64_t hyp_switch_enter_guest(struct hyp_vcpu *vcpu)
 *
 * ELR_EL2, SPSR_EL2 and HCR_EL2 are already set (hyp_switch_prepare()).
 * Returns the exit kind (bits [31:0]) and the caller's DAIF (bits [63:32])
 * when an exit reaches the run loop, with DAIF all masked.
 */
	.global	hyp_switch_enter_guest
	.type	hyp_switch_enter_guest, %function
	.balign	16
hyp_switch_enter_guest:
	sub	sp, sp, #SW_FRAME_SIZE
	stp	x19, x20, [sp, #SW_FRAME_X19]
	stp	x21, x22, [sp, #SW_FRAME_X19 + 16]
	stp	x23, x24, [sp, #SW_FRAME_X19 + 32]
	stp	x25, x26, [sp, #SW_FRAME_X19 + 48]
	stp	x27, x28, [sp, #SW_FRAME_X19 + 64]
	stp	x29, x30, [sp, #SW_FRAME_X19 + 80]
	mrs	x1, daif
	msr	daifset, #0xf
	stp	x0, x1, [sp, #SW_FRAME_VCPU]
	load_guest_gprs
	eret_sls
	.size	hyp_switch_enter_guest, . - hyp_switch_enter_guest

/* x0 = vector index; x0/x1 of the interrupted code at [sp]. */
.Lel2_fault:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x1, sp, #SW_FAULT_SIZE
	stp	x30, x1, [sp, #SW_FAULT_X30]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #SW_FAULT_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #SW_FAULT_ESR]
	str	x0, [sp, #SW_FAULT_VECTOR]
	mov	x0, sp
	bl	hyp_switch_el2_fault
	ldp	x2, x3, [sp, #SW_FAULT_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #SW_FAULT_X30]
	ldp	x0, x1, [sp]
	add	sp, sp, #SW_FAULT_SIZE
	eret_sls

/* The default: park the CPU. Integrators override it (see world_switch.h):
 * it is also the EL2 IRQ/FIQ/SError entry, not only the fault handler. */
	.weak	hyp_switch_el2_fault
	.type	hyp_switch_el2_fault, %function
	.balign	16
hyp_switch_el2_fault:
	wfi
	b	hyp_switch_el2_fault
	.size	hyp_switch_el2_fault, . - hyp_switch_el2_fault
