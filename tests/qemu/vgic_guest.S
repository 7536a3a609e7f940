/* SPDX-License-Identifier: MIT */
/*
 * EL1 guest stubs for the vgic QEMU tests: they take virtual interrupts
 * from the GIC's virtual CPU interface, acknowledge and EOI them. MMU off,
 * no stack. Registers shared with the host (set in struct hyp_vcpu):
 *   x20  address of the log: the INTIDs taken, in order (32 32-bit words,
 *        circular)
 *   x21  entries in the log
 *   x22  1: report each interrupt with `hvc #2` between acknowledge and EOI
 *   x23  GICv2: the GICV frame (the guest's GICC); 0: GICv3 (ICC_* system
 *        registers, which HCR_EL2.IMO/FMO turn into ICV_*)
 *   x24  vg_wait: interrupts to take before reporting
 *   x25  vg_sgi, vg_driver: self-SGIs to send
 *   x27  vg_driver: IPA of the (emulated) GICD
 *   x28  vg_driver: IPA of vCPU 0's (emulated) GICv3 redistributor
 * Reports to the host with `hvc #1`; anything unexpected with `hvc #0xbad`
 * (x0 = vector offset).
 */
#define HVC_REPORT 1
#define HVC_ACKED 2
#define HVC_BAD 0xbad

	.text

/* Enable the virtual CPU interface: priority mask open, Group 1 (GICv3)
 * or both groups (GICv2). Clobbers x0. */
cpuif_on:
	cbnz	x23, 1f
	mov	x0, #0xff
	msr	S3_0_C4_C6_0, x0	/* ICC_PMR_EL1 */
	mov	x0, #1
	msr	S3_0_C12_C12_7, x0	/* ICC_IGRPEN1_EL1 */
	isb
	ret
1:	mov	w0, #0xff
	str	w0, [x23, #0x4]		/* GICV_PMR */
	mov	w0, #3
	str	w0, [x23, #0x0]		/* GICV_CTLR: EnableGrp0 | EnableGrp1 */
	dsb	sy
	ret

/* Take x24 interrupts, then report. */
	.global	vg_wait
vg_wait:
	bl	cpuif_on
	msr	daifclr, #2
1:	cmp	x21, x24
	b.hs	2f
	wfi
	b	1b
2:	msr	daifset, #2
	hvc	#HVC_REPORT
	b	.

/* Send x25 SGIs 1 to itself (Aff1 0, TargetList bit 0), each taken before
 * the next is sent, then report. */
	.global	vg_sgi
vg_sgi:
	bl	cpuif_on
	msr	daifclr, #2
	mov	x26, #0
1:	cmp	x26, x25
	b.hs	3f
	ldr	x0, =(1 << 24) | 1
	msr	S3_0_C12_C11_5, x0	/* ICC_SGI1R_EL1: traps to EL2 */
	add	x26, x26, #1
2:	cmp	x21, x26
	b.hs	1b
	wfi
	b	2b
3:	msr	daifset, #2
	hvc	#HVC_REPORT
	b	.

/* Seed 004's self-IPI guest: program the emulated distributor (and
 * redistributors) through MMIO, which stage 2 traps to EL2, then send
 * itself x25 SGI 0s (GICv3: ICC_SGI1R_EL1; GICv2: GICD_SGIR), taking each
 * before sending the next. Leaves GICD_TYPER in x4 and vCPU 1's GICR_TYPER
 * (GICv3) in x3. */
	.global	vg_driver
vg_driver:
	cbnz	x23, 2f
	mov	w0, #0x12
	str	w0, [x27]		/* GICD_CTLR: ARE | EnableGrp1 */
	str	wzr, [x28, #0x14]	/* GICR_WAKER: ProcessorSleep = 0 */
1:	ldr	w0, [x28, #0x14]
	tbnz	w0, #2, 1b		/* until ChildrenAsleep = 0 */
	add	x1, x28, #0x10000	/* SGI_base */
	ldr	w0, =0xa0a0a0a0
	str	w0, [x1, #0x400]	/* GICR_IPRIORITYR0: SGIs 0-3 */
	mov	w0, #0xf
	str	w0, [x1, #0x100]	/* GICR_ISENABLER0: SGIs 0-3 */
	add	x1, x28, #0x20000
	ldr	x3, [x1, #0x8]		/* vCPU 1's GICR_TYPER, 64-bit */
	b	3f
2:	mov	w0, #1
	str	w0, [x27]		/* GICD_CTLR: EnableGrp0 */
	ldr	w0, =0xa0a0a0a0
	str	w0, [x27, #0x400]	/* GICD_IPRIORITYR0 */
	mov	w0, #0xf
	str	w0, [x27, #0x100]	/* GICD_ISENABLER0 */
	mov	x3, #0
3:	ldr	w4, [x27, #0x4]		/* GICD_TYPER */
	bl	cpuif_on
	msr	daifclr, #2
	mov	x26, #0
4:	cmp	x26, x25
	b.hs	7f
	cbnz	x23, 5f
	mov	x0, #1			/* SGI 0, Aff 0.0.0, TargetList bit 0 */
	msr	S3_0_C12_C11_5, x0	/* ICC_SGI1R_EL1 */
	b	6f
5:	mov	w0, #(2 << 24)		/* TargetListFilter: this CPU; SGI 0 */
	str	w0, [x27, #0xf00]	/* GICD_SGIR */
6:	add	x26, x26, #1
61:	cmp	x21, x26
	b.hs	4b
	wfi
	b	61b
7:	msr	daifset, #2
	hvc	#HVC_REPORT
	b	.

/* IRQ: acknowledge, log, optionally report while active, EOI. */
vg_irq:
	cbnz	x23, 1f
	mrs	x1, S3_0_C12_C12_0	/* ICC_IAR1_EL1 */
	b	2f
1:	ldr	w1, [x23, #0xc]		/* GICV_IAR */
2:	and	x2, x1, #0x3ff
	cmp	x2, #1020
	b.hs	5f			/* spurious */
	and	x2, x21, #31		/* the log keeps the last 32 */
	str	w1, [x20, x2, lsl #2]
	add	x21, x21, #1
	cbz	x22, 3f
	hvc	#HVC_ACKED
3:	cbnz	x23, 4f
	msr	S3_0_C12_C12_1, x1	/* ICC_EOIR1_EL1 */
	isb
	eret
4:	str	w1, [x23, #0x10]	/* GICV_EOIR */
	dsb	sy
5:	eret

.macro unexpected off
	.org	vg_vectors + \off
	mov	x0, #\off
	hvc	#HVC_BAD
.endm

	.balign	2048
	.global	vg_vectors
vg_vectors:
	unexpected 0x000
	unexpected 0x080
	unexpected 0x100
	unexpected 0x180
	unexpected 0x200
	.org	vg_vectors + 0x280
	b	vg_irq
	unexpected 0x300
	unexpected 0x380
	unexpected 0x400
	unexpected 0x480
	unexpected 0x500
	unexpected 0x580
	unexpected 0x600
	unexpected 0x680
	unexpected 0x700
	unexpected 0x780
	.ltorg
