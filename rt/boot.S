/* SPDX-License-Identifier: MIT */
/*
 * libhyp-rt's minimal EL2 boot stub (aarch64). The image's linker script
 * provides (see link.ld.example, docs/rt.md):
 *   __hyp_rt_bss_start, __hyp_rt_bss_end   BSS, 8-byte aligned
 *   __hyp_rt_stack_top                      top of CPU 0's stack, 16 aligned
 *   __hyp_rt_stack_size                     bytes per CPU stack (absolute,
 *                                           a multiple of 16)
 *   __hyp_rt_max_cpus                       stacks below __hyp_rt_stack_top
 * CPU n's stack ends at __hyp_rt_stack_top - n * __hyp_rt_stack_size.
 */
#define PSCI_SYSTEM_OFF 0x84000008	/* PSCI 1.1 (DEN0022) 5.1.9 */
#define PSCI_CPU_OFF	0x84000002	/* PSCI 1.1 (DEN0022) 5.1.3 */

	.section .text.boot, "ax"

/* Entered at EL2 with the MMU off, x0 = the DTB (Linux arm64 boot
 * protocol, which QEMU's -kernel follows for an ELF too). */
	.global	hyp_rt_start
	.type	hyp_rt_start, %function
hyp_rt_start:
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)		/* CurrentEL.EL [3:2] (Arm ARM, CurrentEL) */
	b.ne	park
	mov	x0, #0
	bl	cpu_setup
	/* BSS (8-aligned) zeroed 64 bytes per iteration: one STR to reach a
	 * 16-byte boundary (the MMU is off: Device memory faults on an
	 * unaligned access, so every STP is 16-aligned), then 4 STPs a loop,
	 * then STRs for the tail; 9 instructions per 64 bytes instead of 32
	 * (minihyp's 1.6 MB BSS: 0.84 M instructions of its boot). */
	ldr	x1, =__hyp_rt_bss_start
	ldr	x2, =__hyp_rt_bss_end
	cmp	x1, x2
	b.hs	2f
	tbz	x1, #3, 1f
	str	xzr, [x1], #8
1:	sub	x3, x2, x1
	cmp	x3, #64
	b.lo	3f
	stp	xzr, xzr, [x1]
	stp	xzr, xzr, [x1, #16]
	stp	xzr, xzr, [x1, #32]
	stp	xzr, xzr, [x1, #48]
	add	x1, x1, #64
	b	1b
3:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	3b
2:	mov	x0, x19
	bl	hyp_rt_main
	b	hyp_rt_system_off
	.size	hyp_rt_start, . - hyp_rt_start

/* PSCI CPU_ON target: x0 = the context ID = the CPU's index. */
	.global	hyp_rt_secondary_start
	.type	hyp_rt_secondary_start, %function
hyp_rt_secondary_start:
	msr	daifset, #0xf
	mov	x19, x0
	ldr	x1, =__hyp_rt_max_cpus
	cmp	x0, x1
	b.hs	park
	bl	cpu_setup
	mov	x0, x19
	bl	hyp_rt_secondary_main
	ldr	x0, =PSCI_CPU_OFF
	smc	#0
	b	park
	.size	hyp_rt_secondary_start, . - hyp_rt_secondary_start

/* SP, TPIDR_EL2 and VBAR_EL2 for CPU x0; keeps x0 and x19. Called before
 * the stack exists, so it returns through x30 only. */
cpu_setup:
	ldr	x1, =__hyp_rt_stack_top
	ldr	x2, =__hyp_rt_stack_size
	msub	x1, x2, x0, x1
	mov	sp, x1
	msr	tpidr_el2, x0
	ldr	x1, =hyp_rt_vectors
	msr	vbar_el2, x1
	isb
	ret

park:
	wfe
	b	park

	.global	hyp_rt_system_off
	.type	hyp_rt_system_off, %function
hyp_rt_system_off:
	ldr	x0, =PSCI_SYSTEM_OFF
	smc	#0
	b	park
	.size	hyp_rt_system_off, . - hyp_rt_system_off

	.weak	hyp_rt_secondary_main
	.type	hyp_rt_secondary_main, %function
hyp_rt_secondary_main:
	b	park
	.size	hyp_rt_secondary_main, . - hyp_rt_secondary_main

	.weak	hyp_rt_fault
	.type	hyp_rt_fault, %function
hyp_rt_fault:
	b	hyp_rt_system_off
	.size	hyp_rt_fault, . - hyp_rt_fault

/* 16 entries of 0x80 bytes (Arm ARM D1.10, Exception vectors):
 * hyp_rt_fault(index, ESR_EL2, ELR_EL2, FAR_EL2) on the stack in use; it
 * must not return. */
	.section .text.boot.vectors, "ax"
	.balign	2048
	.global	hyp_rt_vectors
hyp_rt_vectors:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign	128
	mov	x0, #\n
	b	fault_entry
	.endr

fault_entry:
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	bl	hyp_rt_fault
	b	hyp_rt_system_off
