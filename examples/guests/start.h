/* SPDX-License-Identifier: MIT */
/*
 * Assembler macros of the guests' entry code (head.S, at EL1): a CPU's
 * stack and the BSS. PC-relative only (ADRP/ADD), so position-independent code can use
 * them. Include from a .S file.
 */
#ifndef EXAMPLES_GUESTS_START_H
#define EXAMPLES_GUESTS_START_H

/* sp = \stacks + (\idx + 1) * \size: the top of CPU \idx's stack (\idx a
 * register; xzr for CPU 0). Clobbers x1, x2. */
.macro	start_set_stack stacks, size, idx
	adrp	x1, \stacks
	add	x1, x1, :lo12:\stacks
	mov	x2, #\size
	madd	x1, \idx, x2, x1
	add	sp, x1, x2
.endm

/* Zero [__bss_start, __bss_end) (both 16-byte aligned by the linker
 * script), 16 bytes a store. Clobbers x1, x2. */
.macro	start_clear_bss
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
.Lstart_clear_bss_loop\@:
	cmp	x1, x2
	b.hs	.Lstart_clear_bss_done\@
	stp	xzr, xzr, [x1], #16
	b	.Lstart_clear_bss_loop\@
.Lstart_clear_bss_done\@:
.endm

#endif
