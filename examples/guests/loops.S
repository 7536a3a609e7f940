/* SPDX-License-Identifier: MIT */
/*
 * The measured loops, instruction for instruction those of seed 004
 * (Marc Zyngier, "KVM/ARM: Guest Entry/Exit optimizations"), with the
 * iteration count as an argument. Each keeps the AAPCS64: x19..x22 are
 * saved, and are the only state that survives an HVC (SMCCC 1.1).
 */
	.text

.macro enter
	stp	x19, x20, [sp, #-32]!
	stp	x21, x22, [sp, #16]
.endm
.macro leave
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #32
	ret
.endm

/* void loop_null_hvc(uint64_t n): n PSCI_VERSION calls over HVC. */
	.global	loop_null_hvc
loop_null_hvc:
	enter
	mov	x19, x0
1:	mov	x0, #0x84000000
	hvc	#0
	sub	x19, x19, #1
	cbnz	x19, 1b
	leave

/* void loop_sysreg_trap(uint64_t n): n reads of PMSELR_EL0, which
 * MDCR_EL2.TPM traps to the hypervisor. */
	.global	loop_sysreg_trap
loop_sysreg_trap:
	enter
	mov	x19, x0
1:	mrs	x0, pmselr_el0
	sub	x19, x19, #1
	cbnz	x19, 1b
	leave

/* void loop_sgi_v3(uint64_t n): n SGI 0s to itself through ICC_SGI1R_EL1
 * (TargetList {Aff0 0}), each acknowledged (ICC_IAR1_EL1) and EOI'd
 * (ICC_EOIR1_EL1) before the next; interrupts stay masked (PSTATE.I), the
 * guest polls the IAR and waits with WFI when nothing is pending. */
	.global	loop_sgi_v3
loop_sgi_v3:
	enter
	mov	x19, x0
1:	mov	x2, #1
	msr	S3_0_C12_C11_5, x2	/* ICC_SGI1R_EL1 */
2:	mrs	x2, S3_0_C12_C12_0	/* ICC_IAR1_EL1 */
	cmp	w2, #0x3ff
	b.ne	3f
	wfi
	b	2b
3:	msr	S3_0_C12_C12_1, x2	/* ICC_EOIR1_EL1 */
	sub	x19, x19, #1
	cbnz	x19, 1b
	leave

/* void loop_sgi_v2(uint64_t n, uint64_t gicd, uint64_t gicc): the same
 * through GICD_SGIR (TargetListFilter 0b10: this CPU), GICC_IAR, GICC_EOIR. */
	.global	loop_sgi_v2
loop_sgi_v2:
	enter
	mov	x19, x0
1:	mov	w3, #(2 << 24)
	str	w3, [x1, #0xf00]	/* GICD_SGIR */
2:	ldr	w3, [x2, #0x0c]		/* GICC_IAR */
	cmp	w3, #0x3ff
	b.ne	3f
	wfi
	b	2b
3:	str	w3, [x2, #0x10]		/* GICC_EOIR */
	sub	x19, x19, #1
	cbnz	x19, 1b
	leave

/* void loop_dirty(uint64_t n, uint64_t rate, uint64_t yield): n
 * hypercalls, PSCI_VERSION except every yield-th one, which is minihyp's
 * MINIHYP_HVC_YIELD (the vCPU is put and loaded again, as when it is
 * preempted), with a write of CONTEXTIDR_EL1 (an HCR_EL2.TVM-group
 * register) before every rate-th one; rate or yield 0: never. */
	.global	loop_dirty
loop_dirty:
	stp	x19, x20, [sp, #-48]!
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	mov	x19, x0
	cbnz	x1, 0f
	mov	x1, #-1
0:	mov	x21, x1
	mov	x20, x1
	cbnz	x2, 0f
	mov	x2, #-1
0:	mov	x23, x2
	mov	x22, x2
1:	subs	x20, x20, #1
	b.ne	2f
	mov	x20, x21
	msr	contextidr_el1, x19
2:	mov	x0, #0x84000000		/* PSCI_VERSION */
	subs	x22, x22, #1
	b.ne	3f
	mov	x22, x23
	mov	x0, #0x86000000		/* MINIHYP_HVC_YIELD */
	movk	x0, #2
3:	hvc	#0
	sub	x19, x19, #1
	cbnz	x19, 1b
	ldp	x23, x24, [sp, #32]
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #48
	ret
