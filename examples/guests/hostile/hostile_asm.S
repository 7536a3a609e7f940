/* SPDX-License-Identifier: MIT */
/*
 * The hostile guest's exception machinery (hostile.c): vectors that count
 * every exception per vCPU and either skip the faulting instruction or
 * unwind to a recovery point (hv_try), an EL0 runner (AArch64 or AArch32
 * User mode) that comes back on SVC, bounded nested-fault storms, and an
 * HVC/SMC with every general-purpose register and SP set to garbage.
 * Position-independent (PC-relative only), as every guest.
 *
 * Per-vCPU state (struct hv_cpu in hostile.c, 128 bytes each, indexed by
 * MPIDR_EL1.Aff0 & 3): the offsets below.
 */
#define HC_RECOVER  0	/* PC to unwind to on the next exception, 0: skip */
#define HC_JB_SP    8	/* hv_try's SP */
#define HC_ESR	    16	/* the last exception's ESR_EL1 */
#define HC_FAR	    24
#define HC_TRAPS    32	/* synchronous exceptions taken */
#define HC_EL0_SP   40	/* hv_el0's SP */
#define HC_STORM    48	/* nested faults still to take */
#define HC_STORM_VA 56	/* what each of them loads from */
#define HC_BUDGET   64	/* lower-EL exceptions allowed before hv_el0 gives up */
#define HC_ELR	    80

/* \reg = &hv_cpu[MPIDR_EL1.Aff0 & 3]; clobbers \tmp. */
.macro	percpu reg, tmp
	mrs	\tmp, mpidr_el1
	and	\tmp, \tmp, #3
	adrp	\reg, hv_cpu
	add	\reg, \reg, :lo12:hv_cpu
	add	\reg, \reg, \tmp, lsl #7
.endm

.macro	save_callee
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mov	x29, sp
.endm

.macro	restore_callee
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
.endm

/* ESR_EL1, FAR_EL1 and ELR_EL1 into the per-vCPU state at X1, one more
 * exception counted; clobbers X0. */
.macro	record
	mrs	x0, esr_el1
	str	x0, [x1, #HC_ESR]
	mrs	x0, far_el1
	str	x0, [x1, #HC_FAR]
	mrs	x0, elr_el1
	str	x0, [x1, #HC_ELR]
	ldr	x0, [x1, #HC_TRAPS]
	add	x0, x0, #1
	str	x0, [x1, #HC_TRAPS]
.endm

	.text
	.balign	2048
	.global	hv_vectors
hv_vectors:
	/* Current EL with SP0 (a guest that set SPSel = 0), then SPx */
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign	128
	.if	\n == 0 || \n == 4
	b	hv_sync_cur
	.elseif	\n == 1 || \n == 5 || \n == 9 || \n == 13
	b	hv_irq
	.elseif	\n == 3 || \n == 7
	b	hv_serror
	.elseif	\n == 8 || \n == 12
	b	hv_sync_low
	.else
	mov	x0, #\n
	b	guest_exception
	.endif
	.endr

/* A synchronous exception at EL1: recorded; then a nested fault of a
 * storm, an unwind to hv_try's recovery point, or ELR_EL1 += 4. */
hv_sync_cur:
	stp	x0, x1, [sp, #-16]!
	percpu	x1, x0
	record
	ldr	x0, [x1, #HC_STORM]
	cbz	x0, 1f
	sub	x0, x0, #1
	str	x0, [x1, #HC_STORM]
	ldr	x0, [x1, #HC_STORM_VA]
	add	sp, sp, #16
	cmp	x0, #1			/* 1: UDF, an EL1-only storm */
	b.eq	6f
	/* The vector itself faults again: ELR_EL1 and SPSR_EL1 of this
	 * exception are lost, the next one lands here. */
	ldr	x0, [x0]
6:	udf	#0
1:	ldr	x0, [x1, #HC_RECOVER]
	cbz	x0, 2f
	str	xzr, [x1, #HC_RECOVER]
	msr	elr_el1, x0
	mov	x0, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el1, x0
	ldp	x0, x1, [sp], #16
	eret
2:	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	ldp	x0, x1, [sp], #16
	eret

/* A synchronous exception from EL0 (AArch64 or AArch32): SVC goes back to
 * hv_el0's caller with EL0's X0; anything else is recorded and skipped
 * (ELR_EL1 += 4: A64 and A32 instructions are 4 bytes), at most
 * HC_BUDGET times per run (then back with -3). */
hv_sync_low:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el1
	lsr	x0, x0, #26
	cmp	x0, #0x15		/* SVC from AArch64 */
	b.eq	3f
	cmp	x0, #0x11		/* SVC from AArch32 */
	b.eq	3f
	percpu	x1, x0
	record
	ldr	x0, [x1, #HC_BUDGET]
	cbz	x0, 4f
	sub	x0, x0, #1
	str	x0, [x1, #HC_BUDGET]
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	ldp	x0, x1, [sp], #16
	eret
3:	ldp	x0, x1, [sp], #16
	b	hv_el0_back
4:	add	sp, sp, #16
	mov	x0, #-3
	b	hv_el0_back

hv_serror:
	stp	x0, x1, [sp, #-16]!
	adrp	x1, hv_serrors
	add	x1, x1, :lo12:hv_serrors
	ldr	x0, [x1]
	add	x0, x0, #1
	str	x0, [x1]
	ldp	x0, x1, [sp], #16
	eret

/* IRQ (from EL1, or EL0): hv_irq_handler() in C, caller-saved registers
 * saved around it as the AAPCS64 lets it. */
hv_irq:
	sub	sp, sp, #192
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #160]
	str	x1, [sp, #176]
	bl	hv_irq_handler
	ldp	x30, x0, [sp, #160]
	ldr	x1, [sp, #176]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	add	sp, sp, #192
	eret

/* int64_t hv_try(fn, a0, a1): fn(a0, a1) with this vCPU's next
 * exception unwinding to here: -2 if one was taken, else fn's value. */
	.global	hv_try
hv_try:
	save_callee
	percpu	x9, x10
	mov	x10, sp
	str	x10, [x9, #HC_JB_SP]
	adr	x10, hv_try_recover
	str	x10, [x9, #HC_RECOVER]
	mov	x10, x0
	mov	x0, x1
	mov	x1, x2
	blr	x10
	percpu	x9, x10
	str	xzr, [x9, #HC_RECOVER]
	b	5f
hv_try_recover:
	percpu	x9, x10
	ldr	x10, [x9, #HC_JB_SP]
	mov	sp, x10
	mov	x0, #-2
5:	restore_callee
	ret

/* uint64_t hv_el0(pc, x0, x1, spsr): run EL0 code (A64 or A32, as @spsr
 * says) with X0/X1 (R0/R1) set until it makes an SVC: EL0's X0 then; -3
 * if it took more than HC_BUDGET other exceptions first. */
	.global	hv_el0
hv_el0:
	save_callee
	percpu	x9, x10
	mov	x10, sp
	str	x10, [x9, #HC_EL0_SP]
	msr	elr_el1, x0
	msr	spsr_el1, x3
	mov	x0, x1
	mov	x1, x2
	mov	x2, #0
	mov	x3, #0
	eret
hv_el0_back:
	percpu	x9, x10
	ldr	x10, [x9, #HC_EL0_SP]
	mov	sp, x10
	restore_callee
	ret

/*
 * uint64_t hv_call_garbage(fn, vals, smc): HVC #0 (SMC #0 if @smc) with
 * X0 = @fn, X1..X30 = vals[1..30] and SP = vals[31] (misaligned, garbage);
 * afterwards hv_gbad = how many of X18..X30 and SP changed (SMCCC 1.1
 * preserves them). Returns X0.
 */
/* SP = vals[31], X1..X30 = vals[1..30]; X16 = vals on entry. */
.macro	load_garbage
	ldr	x17, [x16, #248]
	mov	sp, x17
	ldp	x18, x19, [x16, #144]
	ldp	x20, x21, [x16, #160]
	ldp	x22, x23, [x16, #176]
	ldp	x24, x25, [x16, #192]
	ldp	x26, x27, [x16, #208]
	ldp	x28, x29, [x16, #224]
	ldr	x30, [x16, #240]
	ldp	x2, x3, [x16, #16]
	ldp	x4, x5, [x16, #32]
	ldp	x6, x7, [x16, #48]
	ldp	x8, x9, [x16, #64]
	ldp	x10, x11, [x16, #80]
	ldp	x12, x13, [x16, #96]
	ldp	x14, x15, [x16, #112]
	ldr	x1, [x16, #8]
	ldp	x16, x17, [x16, #128]
.endm

	.global	hv_call_garbage
hv_call_garbage:
	save_callee
	adrp	x16, hv_gsave
	add	x16, x16, :lo12:hv_gsave
	mov	x17, sp
	str	x17, [x16]
	str	x1, [x16, #8]
	mov	x16, x1
	cbnz	x2, 7f
	load_garbage
	hvc	#0
	b	8f
7:	load_garbage
	smc	#0
8:	adrp	x16, hv_gsave
	add	x16, x16, :lo12:hv_gsave
	ldr	x17, [x16, #8]
	mov	x15, #0
	.irp	r, 18,19,20,21,22,23,24,25,26,27,28,29,30
	ldr	x14, [x17, #(\r * 8)]
	cmp	x\r, x14
	cinc	x15, x15, ne
	.endr
	mov	x14, sp
	ldr	x13, [x17, #248]
	cmp	x14, x13
	cinc	x15, x15, ne
	ldr	x17, [x16]
	mov	sp, x17
	str	x15, [x16, #16]
	restore_callee
	ret

	.bss
	.balign	8
	.global	hv_gsave
hv_gsave:
	.space	24
	.global	hv_serrors
hv_serrors:
	.quad	0
