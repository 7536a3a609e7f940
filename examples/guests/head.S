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
#define GUEST_STACK_SIZE 0x4000
#define GUEST_MAX_CPUS	 4

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
	msr	daifset, #0xf
	mov	x20, x0
	adr	x1, guest_vectors
	msr	vbar_el1, x1
	isb
	adrp	x1, guest_stacks
	add	x1, x1, :lo12:guest_stacks
	mov	x2, #GUEST_STACK_SIZE
	add	sp, x1, x2
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
	/* guest_stacks is in BSS: clearing the whole of it spares CPU 0's stack top */
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	mov	x0, x20
	bl	guest_main
	mov	x0, #0
	bl	guest_exit
	b	.

/* A vCPU started with PSCI CPU_ON at this address, x0 = its index (the
 * context ID, 1 .. GUEST_MAX_CPUS - 1). */
	.global	guest_secondary_entry
guest_secondary_entry:
	msr	daifset, #0xf
	adr	x1, guest_vectors
	msr	vbar_el1, x1
	isb
	adrp	x1, guest_stacks
	add	x1, x1, :lo12:guest_stacks
	mov	x2, #GUEST_STACK_SIZE
	madd	x1, x0, x2, x1
	add	sp, x1, x2
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

	.bss
	.balign	16
	.global	guest_stacks
guest_stacks:
	.space	GUEST_STACK_SIZE * GUEST_MAX_CPUS
