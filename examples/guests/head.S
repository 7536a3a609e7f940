/* SPDX-License-Identifier: MIT */
/*
 * The guests' entry: a Linux arm64 Image header (Documentation/arch/arm64/
 * booting.rst), so that minihyp and bare QEMU (-kernel) load and enter
 * them as they would Linux: EL1h, MMU off, x0 = the DTB.
 *
 * The code is position-independent (PC-relative only: ADR/ADRP, no
 * absolute addresses; the build links every guest at two addresses and
 * checks that the binaries are identical), so it runs wherever it is
 * loaded: at minihyp.guest=ADDR, or at RAM + text_offset on bare QEMU.
 */
#include "start.h"

#define GUEST_STACK_SIZE 0x4000
#define GUEST_MAX_CPUS	 4

/* Interrupts masked, this runtime's vectors, CPU \idx's stack. */
.macro	guest_cpu_setup idx
	msr	daifset, #0xf
	adr	x1, guest_vectors
	msr	vbar_el1, x1
	isb
	start_set_stack guest_stacks, GUEST_STACK_SIZE, \idx
.endm

	.section .text.head, "ax"
	.global	_start
_start:
	b	primary			/* code0 */
	.long	0			/* code1 */
	.quad	0x80000			/* text_offset */
	.quad	_image_size		/* image_size: the image and its BSS */
	.quad	0xa			/* flags: little-endian, 4K pages, anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

primary:
	mov	x20, x0
	guest_cpu_setup xzr
	/* guest_stacks is in BSS: nothing is on CPU 0's stack yet */
	start_clear_bss
	mov	x0, x20
	bl	guest_main
	mov	x0, #0
	bl	guest_exit
	b	.

/* A vCPU started with PSCI CPU_ON at this address, x0 = its index (the
 * context ID, 1 .. GUEST_MAX_CPUS - 1). */
	.global	guest_secondary_entry
guest_secondary_entry:
	guest_cpu_setup x0
	bl	guest_secondary
	b	.

/* Any exception is unexpected: report it (vector offset / 0x80) and stop. */
	.balign	2048
guest_vectors:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign	128
	mov	x0, #\n
	b	guest_exception
	.endr

/* For guests that provoke exceptions on purpose (msr vbar_el1 to it): any
 * exception records ESR_EL1 in guest_skip_esr, counts one in
 * guest_skip_traps and resumes after the instruction (ELR_EL1 += 4).
 * guest_skip is also a branch target for a guest's own vectors. */
	.balign	2048
	.global	guest_skip_vectors
guest_skip_vectors:
	.rept	16
	.balign	128
	b	guest_skip
	.endr
	.global	guest_skip
guest_skip:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el1
	adrp	x1, guest_skip_esr
	add	x1, x1, :lo12:guest_skip_esr
	str	x0, [x1]
	adrp	x1, guest_skip_traps
	add	x1, x1, :lo12:guest_skip_traps
	ldr	x0, [x1]
	add	x0, x0, #1
	str	x0, [x1]
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	ldp	x0, x1, [sp], #16
	eret

	.bss
	.balign	8
	.global	guest_skip_esr
guest_skip_esr:
	.quad	0
	.global	guest_skip_traps
guest_skip_traps:
	.quad	0

	.balign	16
	.global	guest_stacks
guest_stacks:
	.space	GUEST_STACK_SIZE * GUEST_MAX_CPUS
