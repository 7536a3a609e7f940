/* SPDX-License-Identifier: MIT */
/*
 * The null-hypercall guest (seed 004's methodology, 2^16 iterations): EL1,
 * MMU off, stage 2 off. CNTVCT_EL0 is read around the loop into x20/x21;
 * at icount shift=0 one counter tick (62.5 MHz) is 16 instructions.
 */
#define PSCI_VERSION 0x84000000
#define PSCI_SYSTEM_OFF 0x84000008
#define ITERATIONS (1 << 16)
#define EXIT_ITERATIONS (1 << 12)

	.text
	.global	bench_guest
	.balign	64
bench_guest:
	mov	x19, #ITERATIONS
	isb
	mrs	x20, cntvct_el0
1:	mov	x0, #PSCI_VERSION
	hvc	#0
	sub	x19, x19, #1
	cbnz	x19, 1b
	isb
	mrs	x21, cntvct_el0
	mov	x0, #PSCI_VERSION
	add	x0, x0, #(PSCI_SYSTEM_OFF - PSCI_VERSION)
	hvc	#0
	b	.

/*
 * A hypercall the fast path declines (HVC #1 is not SMCCC): every iteration
 * goes through the run loop, i.e. a whole hyp_vcpu_run() round trip.
 */
	.global	exit_guest
	.balign	64
exit_guest:
	mov	x19, #EXIT_ITERATIONS
	isb
	mrs	x20, cntvct_el0
1:	hvc	#1
	sub	x19, x19, #1
	cbnz	x19, 1b
	isb
	mrs	x21, cntvct_el0
	mov	x0, #PSCI_VERSION
	add	x0, x0, #(PSCI_SYSTEM_OFF - PSCI_VERSION)
	hvc	#0
	b	.

/*
 * The floor: the same loop against a vector whose lower-EL sync entry is a
 * bare ERET. It ends by firing the guest's own virtual timer now: its PPI,
 * routed to EL2 (HCR_EL2.IMO), leaves through libhyp's IRQ entry.
 */
	.global	floor_guest
	.balign	64
floor_guest:
	mov	x19, #ITERATIONS
	isb
	mrs	x20, cntvct_el0
1:	mov	x0, #PSCI_VERSION
	hvc	#0
	sub	x19, x19, #1
	cbnz	x19, 1b
	isb
	mrs	x21, cntvct_el0
	msr	cntv_cval_el0, xzr
	mov	x0, #1			/* CNTV_CTL_EL0.ENABLE */
	msr	cntv_ctl_el0, x0
	isb
2:	b	2b

/* VBAR_EL2 for the floor run: 0x400 is the bare ERET, every other entry
 * goes to libhyp's. */
.macro to_libhyp idx
	.org	floor_vectors + (\idx * 0x80)
	b	hyp_switch_vectors + (\idx * 0x80)
.endm
	.global	floor_vectors
	.balign	2048
floor_vectors:
	.irp	idx, 0, 1, 2, 3, 4, 5, 6, 7
	to_libhyp \idx
	.endr
	.org	floor_vectors + 0x400
	eret
	.irp	idx, 9, 10, 11, 12, 13, 14, 15
	to_libhyp \idx
	.endr
	.org	floor_vectors + 0x800
