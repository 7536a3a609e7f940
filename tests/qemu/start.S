/* SPDX-License-Identifier: MIT */
/* Entry of the QEMU test images: loaded by QEMU at 0x40200000, entered at
 * EL2 with the MMU off. Sets a stack, clears BSS, installs a vector table
 * that reports any exception, calls test_main(), then powers off. */
	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	ldr	x1, =__stack_top
	mov	sp, x1
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	3f
	ldr	x1, =test_vectors
	msr	vbar_el2, x1
	isb
3:	bl	test_read_token
	bl	test_main
	bl	test_power_off
	b	.

/* 16 entries of 0x80 bytes: pass the entry index to C, which reports it
 * with ESR/ELR/FAR and powers off, so a fault ends the run, never hangs. */
	.balign	2048
test_vectors:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign	128
	mov	x0, #\n
	b	test_exception
	.endr
