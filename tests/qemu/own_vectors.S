/* SPDX-License-Identifier: MIT */
/*
 * An integrator's own EL2 vector table (tests/qemu/own_vectors.c): the
 * current-EL slots are its own (EL2 faults recorded and skipped here, the
 * unexpected ones parked), the lower-EL slots branch to libhyp's switch
 * core (libhyp/switch_core.h). Layout: Arm ARM D1.10, "Exception vectors"
 * (16 slots of 0x80 bytes: current EL SP0, current EL SPx, lower EL
 * AArch64, lower EL AArch32; each sync, IRQ, FIQ, SError).
 */
#define PSCI_VERSION 0x84000000

.macro slot idx
	.org	own_vectors + (\idx * 0x80)
.endm

	.text
	.global	own_vectors
	.balign	2048
own_vectors:
	slot 0
	b	own_unexpected
	slot 1
	b	own_unexpected
	slot 2
	b	own_unexpected
	slot 3
	b	own_unexpected
	slot 4
	b	own_el2_sync	/* current EL, SPx, synchronous: our own handling */
	slot 5
	b	own_unexpected
	slot 6
	b	own_unexpected
	slot 7
	b	own_unexpected
	slot 8
	b	hyp_switch_guest_sync_entry
	slot 9
	b	hyp_switch_guest_irq_entry
	slot 10
	b	hyp_switch_guest_fiq_entry
	slot 11
	b	hyp_switch_guest_serror_entry
	slot 12
	b	hyp_switch_guest_sync_entry
	slot 13
	b	hyp_switch_guest_irq_entry
	slot 14
	b	hyp_switch_guest_fiq_entry
	slot 15
	b	hyp_switch_guest_serror_entry
	slot 16

/* own_el2_log: { ESR_EL2, ELR_EL2, count }; the instruction is skipped. */
own_el2_sync:
	stp	x0, x1, [sp, #-16]!
	adrp	x1, own_el2_log
	add	x1, x1, :lo12:own_el2_log
	mrs	x0, esr_el2
	str	x0, [x1]
	mrs	x0, elr_el2
	str	x0, [x1, #8]
	add	x0, x0, #4
	msr	elr_el2, x0
	ldr	x0, [x1, #16]
	add	x0, x0, #1
	str	x0, [x1, #16]
	ldp	x0, x1, [sp], #16
	eret
	dsb	nsh
	isb

/* Anything else at EL2: park (the test then misses its expected lines). */
own_unexpected:
	wfi
	b	own_unexpected

	.data
	.global	own_el2_log
	.balign	8
own_el2_log:
	.quad	0, 0, 0

	.text
/*
 * The guest (EL1, MMU off; stage 2 maps RAM, 0x80000000 is an emulated
 * device): a hypercall the fast path answers (PSCI_VERSION, resumed inside
 * the switch core), an MMIO read and write (exits to the run loop), then
 * HVC #1 to report, with a callee-saved register that must survive.
 */
	.global	g_own
	.balign	16
g_own:
	mov	x20, #0x2020
	mov	x0, #PSCI_VERSION
	hvc	#0
	mov	x19, x0
	mov	x2, #0x80000000
	ldr	w3, [x2, #0x10]
	mov	w4, #0x77
	str	w4, [x2, #0x20]
	hvc	#1
	b	.
