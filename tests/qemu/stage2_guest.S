/* SPDX-License-Identifier: MIT */
/*
 * The stage2 QEMU test's own harness: an EL1 guest stub, an entry into
 * it, and an EL2 vector table that catches the guest's exits (stage-2
 * data abort, HVC) and either resumes the guest or returns to the caller
 * of s2_run_guest(). Self-contained: it does not use libhyp's world
 * switch.
 */

/* EL1 guest, MMU off (data accesses use the IPA), x0 = a mapped 4K page,
 * x1 = an address inside a 2M block, x2 = an unmapped IPA. */
	.text
	.balign	4096
	.global	s2_guest
s2_guest:
	ldr	x3, [x0]		/* read through a page mapping */
	add	x3, x3, #1
	str	x3, [x0, #8]		/* and write */
	ldr	x4, [x1, #0x100]	/* read through the block mapping */
	add	x4, x4, #2
	str	x4, [x1, #0x108]	/* and write */
	ldr	x6, [x2]		/* stage-2 translation fault; EL2 maps it, retry */
	str	x6, [x0, #16]
	hvc	#0
	b	.

/* uint64_t s2_run_guest(uint64_t entry, uint64_t a0, uint64_t a1,
 *                       uint64_t a2): enter the guest at EL1h with DAIF
 * masked; returns when s2_guest_exit() says stop. */
	.global	s2_run_guest
s2_run_guest:
	ldr	x9, =s2_host_ctx
	stp	x19, x20, [x9, #0]
	stp	x21, x22, [x9, #16]
	stp	x23, x24, [x9, #32]
	stp	x25, x26, [x9, #48]
	stp	x27, x28, [x9, #64]
	stp	x29, x30, [x9, #80]
	mov	x10, sp
	str	x10, [x9, #96]
	msr	elr_el2, x0
	mov	x10, #0x3c5		/* EL1h, D, A, I, F masked */
	msr	spsr_el2, x10
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	isb
	eret

/* From the guest: save x0-x30 on the EL2 stack, ask C; resume or stop. */
s2_lower_sync:
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
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
	str	x30, [sp, #240]
	mov	x0, sp
	bl	s2_guest_exit
	cbnz	x0, 1f
	ldp	x0, x1, [sp, #0]
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
	ldr	x30, [sp, #240]
	add	sp, sp, #256
	eret
1:	ldr	x9, =s2_host_ctx
	ldp	x19, x20, [x9, #0]
	ldp	x21, x22, [x9, #16]
	ldp	x23, x24, [x9, #32]
	ldp	x25, x26, [x9, #48]
	ldp	x27, x28, [x9, #64]
	ldp	x29, x30, [x9, #80]
	ldr	x10, [x9, #96]
	mov	sp, x10
	mov	x0, #0
	ret

/* 16 entries of 0x80 bytes; only "lower EL, AArch64, synchronous" is
 * expected, the rest report through testlib and power off. */
	.balign	2048
	.global	s2_vectors
s2_vectors:
	.irp	n, 0,1,2,3,4,5,6,7
	.balign	128
	mov	x0, #\n
	b	test_exception
	.endr
	.balign	128
	b	s2_lower_sync
	.irp	n, 9,10,11,12,13,14,15
	.balign	128
	mov	x0, #\n
	b	test_exception
	.endr

	.bss
	.balign	16
s2_host_ctx:
	.skip	112
