/* SPDX-License-Identifier: MIT */
/*
 * The consumer's guest: a few instructions run at EL1 (MMU off) under
 * stage 2. It makes a hypercall, reads an IPA stage 2 does not map yet
 * (the hypervisor maps it at the fault), takes a virtual interrupt at its
 * VBAR_EL1 + 0x280 (current EL with SP_ELx, IRQ: Arm ARM D1.10, Exception vectors), and
 * reports each result with an HVC:
 *   hvc #1  x0 = 0x1234                  a hypercall; returns x0
 *   hvc #2  x0 = the value read at 0x50000000 (after the stage-2 fault)
 *   hvc #3  x0 = the INTID it acknowledged (ICC_IAR1_EL1, which
 *                HCR_EL2.IMO makes ICV_IAR1_EL1)
 *   hvc #4  done
 * Anything unexpected: hvc #0xbad with x0 = the vector offset.
 * Its own page-aligned section: stage 2 maps this page and nothing else.
 */
	.section .guest, "ax"
	.balign	4096
	.global	guest_entry
guest_entry:
	mov	x0, #0x1234
	hvc	#1
	mov	x1, #0x50000000
	ldr	x0, [x1]
	hvc	#2
	mov	x0, #0xff
	msr	S3_0_C4_C6_0, x0	/* ICC_PMR_EL1 */
	mov	x0, #1
	msr	S3_0_C12_C12_7, x0	/* ICC_IGRPEN1_EL1 */
	isb
	mov	x21, #0
	msr	daifclr, #2
1:	cbnz	x21, 2f
	wfi
	b	1b
2:	msr	daifset, #2
	mov	x0, x22
	hvc	#3
	hvc	#4
	b	.

	.balign	2048
	.global	guest_vectors
guest_vectors:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign	128
	.if	\n == 5
	mrs	x22, S3_0_C12_C12_0	/* ICC_IAR1_EL1 */
	msr	S3_0_C12_C12_1, x22	/* ICC_EOIR1_EL1 */
	mov	x21, #1
	eret
	.else
	mov	x0, #(\n * 0x80)
	hvc	#0xbad
	b	.
	.endif
	.endr
	.balign	4096
