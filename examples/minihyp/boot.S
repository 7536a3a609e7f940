/* SPDX-License-Identifier: MIT */
/*
 * minihyp's entry points, at EL2 with the MMU off.
 *
 * _start: the boot CPU, from QEMU (-kernel minihyp.elf). x0 may hold the
 * DTB address (0 for an ELF kernel: minihyp then looks at the start of
 * RAM). Installs libhyp's vectors first (so that any fault is reported),
 * sets CPU 0's stack, clears BSS and calls mh_main().
 *
 * mh_secondary_entry: a CPU started with PSCI CPU_ON, x0 = its index
 * (the context ID). Vectors, its own stack, mh_secondary_main().
 */
#include "../common/start.h"

/* Per-CPU stack size: keep in step with main.c. */
#define MH_STACK_SIZE 0x4000

	.section .text.boot, "ax"
	.global	_start
_start:
	msr	daifset, #0xf
	mov	x19, x0
	adrp	x1, hyp_switch_vectors
	add	x1, x1, :lo12:hyp_switch_vectors
	msr	vbar_el2, x1
	isb
	msr	tpidr_el2, xzr
	start_set_stack mh_stacks, MH_STACK_SIZE, xzr
	start_clear_bss
	mov	x0, x19
	bl	mh_main
3:	wfi
	b	3b

	.global	mh_secondary_entry
	.type	mh_secondary_entry, %function
mh_secondary_entry:
	msr	daifset, #0xf
	adrp	x1, hyp_switch_vectors
	add	x1, x1, :lo12:hyp_switch_vectors
	msr	vbar_el2, x1
	isb
	msr	tpidr_el2, x0
	start_set_stack mh_stacks, MH_STACK_SIZE, x0
	bl	mh_secondary_main
4:	wfi
	b	4b
	.size	mh_secondary_entry, . - mh_secondary_entry
