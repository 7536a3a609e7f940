/* SPDX-License-Identifier: MIT */
/*
 * EL1 guest stubs for the switch QEMU test. Each g_* phase starts at EL1h
 * with the MMU off, runs its trapping instructions, and reports with
 * `hvc #1` (not an SMCCC call: the fast path declines it, so the run loop
 * sees it). Results are left in registers for the host to check.
 *
 * The guest's own vector table (guest_vectors, installed in VBAR_EL1 by the
 * host) records injected exceptions: x10 = ESR_EL1, x11 = ELR_EL1,
 * x12 = SPSR_EL1, x13 = the vector offset, x14 = FAR_EL1, x15 = DAIF at
 * entry; it then skips the faulting instruction.
 */
	.arch_extension fp
	.arch_extension simd

#define PSCI_VERSION 0x84000000
#define SMCCC_VERSION 0x80000000
#define VENDOR_HYP_FN 0xc6000000 /* SMC64, vendor-specific hypervisor service */
#define HVC_REPORT 1
#define HVC_TIMER 2
#define HVC_BAD 0xbad

	.text

/* Phase 1: PSCI_VERSION on the fast path, SMCCC_VERSION, an unknown
 * function, WFE skipped on the fast path, WFI through the run loop. */
	.global	g_fast
g_fast:
	mov	x19, #100
	mov	x2, #0
1:	mov	x0, #PSCI_VERSION
	hvc	#0
	mov	w1, #0x10001
	cmp	x0, x1
	cinc	x2, x2, ne
	sub	x19, x19, #1
	cbnz	x19, 1b
	mov	x0, #SMCCC_VERSION
	hvc	#0
	mov	x3, x0
	mov	x0, #VENDOR_HYP_FN
	hvc	#0
	mov	x4, x0
	wfe
	wfi
	mov	x5, #1
	hvc	#HVC_REPORT

/* Phase 1b: constant SMCCC answers given by the vector code before any
 * register is saved (the host registers PSCI_VERSION -> 2, ARCH_FEATURES
 * (WORKAROUND_1) -> 7; libhyp's C path would say 0x10001 and -1). x19..x29
 * and x30 hold distinctive values throughout; the host checks them at the
 * report. Results: x6 PSCI_VERSION over HVC, x7 ARCH_FEATURES(WA_1), x8
 * ARCH_FEATURES(WA_3) (not in the table: the C path), x9 PSCI_VERSION over
 * SMC, x10 1 if the SMC returned past itself, x11 PSCI_VERSION with X0's
 * upper half set, x12 X1 after the calls, x13 X0 after `hvc #5` (not
 * SMCCC: the run loop, which sets it), x14 X3 after the calls. */
#define SMCCC_ARCH_FEATURES 0x80000001
#define SMCCC_ARCH_WORKAROUND_1 0x80008000
#define SMCCC_ARCH_WORKAROUND_3 0x80003fff
	.global	g_early
g_early:
	mov	x19, #0x1919
	mov	x20, #0x2020
	mov	x21, #0x2121
	mov	x22, #0x2222
	mov	x23, #0x2323
	mov	x24, #0x2424
	mov	x25, #0x2525
	mov	x26, #0x2626
	mov	x27, #0x2727
	mov	x28, #0x2828
	mov	x29, #0x2929
	mov	x30, #0x3030
	mov	x3, #0x333
	mov	x0, #PSCI_VERSION
	hvc	#0
	mov	x6, x0
	mov	w0, #(SMCCC_ARCH_FEATURES & 0xffff)
	movk	w0, #(SMCCC_ARCH_FEATURES >> 16), lsl #16
	mov	w1, #(SMCCC_ARCH_WORKAROUND_1 & 0xffff)
	movk	w1, #(SMCCC_ARCH_WORKAROUND_1 >> 16), lsl #16
	hvc	#0
	mov	x7, x0
	mov	w0, #(SMCCC_ARCH_FEATURES & 0xffff)
	movk	w0, #(SMCCC_ARCH_FEATURES >> 16), lsl #16
	mov	w1, #(SMCCC_ARCH_WORKAROUND_3 & 0xffff)
	movk	w1, #(SMCCC_ARCH_WORKAROUND_3 >> 16), lsl #16
	hvc	#0
	mov	x8, x0
	mov	x10, #0
	mov	x0, #PSCI_VERSION
	smc	#0
	mov	x10, #1
	mov	x9, x0
	mov	x0, #PSCI_VERSION
	movk	x0, #0xffff, lsl #48
	hvc	#0
	mov	x11, x0
	mov	x12, x1
	mov	x14, x3
	mov	x0, #PSCI_VERSION
	hvc	#5
	mov	x13, x0
	hvc	#HVC_REPORT

/* Phase 2: trapped sysregs emulated by a fast-path handler: two ID register
 * reads (TID3; into a callee-saved and a scratch register) and an SCTLR_EL1
 * write (TVM), read back untrapped. */
	.global	g_sysreg
g_sysreg:
	mrs	x20, id_aa64mmfr0_el1
	mrs	x6, id_aa64mmfr0_el1
	mrs	x21, sctlr_el1
	eor	x21, x21, #(1 << 26)	/* SCTLR_EL1.UCI: harmless here */
	msr	sctlr_el1, x21
	mrs	x22, sctlr_el1
	hvc	#HVC_REPORT

/* The frame phase: every GPR holds 0xa5a5_0000_0000_f000 + n, and each
 * exit (an HVC answered early, an HVC through C, MRS into X0, X5, X18, X19,
 * X20, X25, X29, X30 and XZR, MSR from X3 and X23, a WFI through the run
 * loop, MMIO loads and a store) is followed by `hvc #3`, where the host compares all 31 with what that exit may change
 * and writes the pattern back. */
#define HVC_FRAME 3
.macro frame_fill
	movz	x0, #(0xf000 + 0)
	movk	x0, #0xa5a5, lsl #48
	movz	x1, #(0xf000 + 1)
	movk	x1, #0xa5a5, lsl #48
	movz	x2, #(0xf000 + 2)
	movk	x2, #0xa5a5, lsl #48
	movz	x3, #(0xf000 + 3)
	movk	x3, #0xa5a5, lsl #48
	movz	x4, #(0xf000 + 4)
	movk	x4, #0xa5a5, lsl #48
	movz	x5, #(0xf000 + 5)
	movk	x5, #0xa5a5, lsl #48
	movz	x6, #(0xf000 + 6)
	movk	x6, #0xa5a5, lsl #48
	movz	x7, #(0xf000 + 7)
	movk	x7, #0xa5a5, lsl #48
	movz	x8, #(0xf000 + 8)
	movk	x8, #0xa5a5, lsl #48
	movz	x9, #(0xf000 + 9)
	movk	x9, #0xa5a5, lsl #48
	movz	x10, #(0xf000 + 10)
	movk	x10, #0xa5a5, lsl #48
	movz	x11, #(0xf000 + 11)
	movk	x11, #0xa5a5, lsl #48
	movz	x12, #(0xf000 + 12)
	movk	x12, #0xa5a5, lsl #48
	movz	x13, #(0xf000 + 13)
	movk	x13, #0xa5a5, lsl #48
	movz	x14, #(0xf000 + 14)
	movk	x14, #0xa5a5, lsl #48
	movz	x15, #(0xf000 + 15)
	movk	x15, #0xa5a5, lsl #48
	movz	x16, #(0xf000 + 16)
	movk	x16, #0xa5a5, lsl #48
	movz	x17, #(0xf000 + 17)
	movk	x17, #0xa5a5, lsl #48
	movz	x18, #(0xf000 + 18)
	movk	x18, #0xa5a5, lsl #48
	movz	x19, #(0xf000 + 19)
	movk	x19, #0xa5a5, lsl #48
	movz	x20, #(0xf000 + 20)
	movk	x20, #0xa5a5, lsl #48
	movz	x21, #(0xf000 + 21)
	movk	x21, #0xa5a5, lsl #48
	movz	x22, #(0xf000 + 22)
	movk	x22, #0xa5a5, lsl #48
	movz	x23, #(0xf000 + 23)
	movk	x23, #0xa5a5, lsl #48
	movz	x24, #(0xf000 + 24)
	movk	x24, #0xa5a5, lsl #48
	movz	x25, #(0xf000 + 25)
	movk	x25, #0xa5a5, lsl #48
	movz	x26, #(0xf000 + 26)
	movk	x26, #0xa5a5, lsl #48
	movz	x27, #(0xf000 + 27)
	movk	x27, #0xa5a5, lsl #48
	movz	x28, #(0xf000 + 28)
	movk	x28, #0xa5a5, lsl #48
	movz	x29, #(0xf000 + 29)
	movk	x29, #0xa5a5, lsl #48
	movz	x30, #(0xf000 + 30)
	movk	x30, #0xa5a5, lsl #48
.endm
	.global	g_frame
g_frame:
	frame_fill
	movz	x0, #0x8400, lsl #16	/* PSCI_VERSION: answered early */
	hvc	#0
	hvc	#HVC_FRAME
	movz	x0, #0x8000, lsl #16	/* SMCCC_VERSION: through C */
	hvc	#0
	hvc	#HVC_FRAME
	.irp	r, x0, x5, x18, x19, x20, x25, x29, x30, xzr
	mrs	\r, id_aa64mmfr0_el1
	hvc	#HVC_FRAME
	.endr
	/* A value regs does not hold yet: the handler must read the CPU's. */
	.irp	r, x3, x23
	add	\r, \r, #1
	msr	contextidr_el1, \r	/* TVM: recorded by the handler */
	hvc	#HVC_FRAME
	.endr
	wfi
	hvc	#HVC_FRAME
	/* MMIO (stage 2 on, 0x80000000 unmapped) through a fast-path handler:
	 * loads into x7, x20, x30 and a store of x21; x9 the address. */
	.irp	r, x7, x20, x30
	movz	x9, #0x8000, lsl #16
	ldr	\r, [x9]
	movz	x9, #(0xf000 + 9)
	movk	x9, #0xa5a5, lsl #48
	hvc	#HVC_FRAME
	.endr
	movz	x9, #0x8000, lsl #16
	add	x21, x21, #1
	str	x21, [x9, #8]
	movz	x9, #(0xf000 + 9)
	movk	x9, #0xa5a5, lsl #48
	hvc	#HVC_FRAME
	hvc	#HVC_REPORT

/* Phase 3: UNDEF injected for a trapped ACTLR_EL1 read (TACR) at EL1h and
 * EL1t, and for a trapped CNTPCT_EL0 read (CNTHCTL_EL2) at EL0. */
	.global	g_undef, g_undef_insn1, g_undef_insn2, g_el0_insn
g_undef:
g_undef_insn1:
	mrs	x0, actlr_el1
	mov	x23, x10
	mov	x24, x11
	mov	x25, x12
	mov	x26, x13
	mov	x18, x15
	msr	spsel, #0
g_undef_insn2:
	mrs	x0, actlr_el1
	msr	spsel, #1
	mov	x27, x13
	mov	x28, x11
	mov	x9, #1			/* CNTKCTL_EL1.EL0PCTEN: EL1 lets EL0 in */
	msr	cntkctl_el1, x9
	adr	x17, 2f
	adr	x9, g_el0_insn
	msr	elr_el1, x9
	mov	x9, #0x3c0		/* EL0t, DAIF masked */
	msr	spsr_el1, x9
	isb
	eret
2:	hvc	#HVC_REPORT
g_el0_insn:
	mrs	x0, cntpct_el0
	b	.

/* Phase 4: MMIO on an unmapped stage-2 range at 0x80000000. */
	.global	g_mmio, g_mmio_ldp
g_mmio:
	mov	x2, #0x80000000
	ldr	w1, [x2, #0x10]
	ldrsb	x3, [x2, #1]
	ldrsh	w4, [x2, #2]
	ldr	x5, [x2, #8]
	ldrb	wzr, [x2, #3]
	mov	w6, #0x5678
	movk	w6, #0x1234, lsl #16
	str	w6, [x2, #0x20]
	strh	w6, [x2, #0x24]
	str	xzr, [x2, #0x28]
g_mmio_ldp:
	ldp	x7, x8, [x2, #0x30]	/* ISV = 0: cannot be emulated */
	hvc	#HVC_REPORT

/* Phase 4b: a store to a page stage 2 maps read-only (a permission fault:
 * HPFAR_EL2 UNKNOWN), then a load from it (allowed). */
	.global	g_perm
g_perm:
	mov	x2, #0xc0000000
	mov	w6, #0x4321
	str	w6, [x2, #0x48]
	ldr	w1, [x2, #0x48]
	hvc	#HVC_REPORT

/* Phase 4c: a store to a physical address nothing decodes (QEMU virt has
 * nothing at 0x0b000000; stage 2 maps it IPA = PA): an external abort the
 * guest takes itself (vector 0x200 records it and steps over). */
	.global	g_sea
g_sea:
	mov	x10, #0
	mov	x2, #0x0b000000
	mov	w6, #0x55
	str	w6, [x2]
	hvc	#HVC_REPORT

/* Phase 4d: a virtual SError is pending (HCR_EL2.VSE): unmask SError and
 * take it at vector 0x380. */
	.global	g_serror
g_serror:
	mov	x16, #0
	msr	daifclr, #4
	isb
1:	cbz	x16, 1b
	msr	daifset, #4
	hvc	#HVC_REPORT

/* The IRQ fast path (issue 15): X19..X29 set to 19..29, then 40 times
 * `hvc #HVC_KICK` (the host sends itself SGI 1, taken as soon as the guest
 * resumes); x0 = 1 if X19..X29 are still 19..29 at the end. */
#define HVC_KICK 4
	.global	g_irqfast
g_irqfast:
	.irp	n, 19,20,21,22,23,24,25,26,27,28,29
	mov	x\n, #\n
	.endr
	mov	x2, #40
1:	hvc	#HVC_KICK
	nop
	nop
	subs	x2, x2, #1
	b.ne	1b
	mov	x0, #1
	.irp	n, 19,20,21,22,23,24,25,26,27,28,29
	cmp	x\n, #\n
	csel	x0, x0, xzr, eq
	.endr
	hvc	#HVC_REPORT

/* Phase 5: the virtual timer fires, is delivered through HCR_EL2.VI, and
 * the guest's handler (vector 0x280) disables it. */
	.global	g_vtimer
g_vtimer:
	mov	x16, #0
	mrs	x9, cntvct_el0
	add	x9, x9, #200
	msr	cntv_cval_el0, x9
	mov	x9, #1			/* ENABLE */
	msr	cntv_ctl_el0, x9
	isb
	/* Wait with IRQs masked (WFI still wakes) so the check cannot race. */
1:	cbnz	x16, 2f
	wfi
	msr	daifclr, #2
	isb
	msr	daifset, #2
	b	1b
2:	hvc	#HVC_REPORT

/* Phase 6: FP state of two vCPUs sharing this CPU. x1 = this vCPU's value. */
	.global	g_fp
g_fp:
	fmov	d0, x1			/* first FP use: lazy load */
	hvc	#HVC_REPORT		/* the other vCPU runs meanwhile */
	fmov	x2, d0
	cmp	x2, x1
	cset	x0, eq
	hvc	#HVC_REPORT

.macro record off
	mrs	x10, esr_el1
	mrs	x11, elr_el1
	mrs	x12, spsr_el1
	mov	x13, #\off
	mrs	x14, far_el1
	mrs	x15, daif
.endm

.macro unexpected off
	.org	guest_vectors + \off
	mov	x0, #\off
	hvc	#HVC_BAD
.endm

	.balign	2048
	.global	guest_vectors
guest_vectors:
	/* EL1t sync */
	record	0x000
	add	x9, x11, #4
	msr	elr_el1, x9
	eret
	unexpected 0x080
	unexpected 0x100
	unexpected 0x180
	/* EL1h sync */
	.org	guest_vectors + 0x200
	record	0x200
	add	x9, x11, #4
	msr	elr_el1, x9
	eret
	/* EL1h IRQ: the virtual timer */
	.org	guest_vectors + 0x280
	mrs	x15, cntv_ctl_el0
	msr	cntv_ctl_el0, xzr
	isb
	mov	x16, #1
	hvc	#HVC_TIMER
	eret
	unexpected 0x300
	/* EL1h SError: the virtual SError libhyp injected */
	.org	guest_vectors + 0x380
	record	0x380
	mov	x16, #2
	eret
	/* EL0 (AArch64) sync: resume at EL1h at x17 */
	.org	guest_vectors + 0x400
	record	0x400
	msr	elr_el1, x17
	mov	x9, #0x3c5
	msr	spsr_el1, x9
	eret
	unexpected 0x480
	unexpected 0x500
	unexpected 0x580
	unexpected 0x600
	unexpected 0x680
	unexpected 0x700
	unexpected 0x780
	.org	guest_vectors + 0x800
