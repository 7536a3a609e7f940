/* SPDX-License-Identifier: MIT */
/*
 * The isolation test's shared parts (victim.c, attacker.c; issue 16 item
 * 3): every general-purpose and FP/SIMD register held at a pattern while
 * the vCPU waits (spins until preempted, yields, or blocks in WFI), then
 * stored for a compare. Position-independent (PC- and SP-relative only).
 */
#ifndef EXAMPLES_GUESTS_ISO_H
#define EXAMPLES_GUESTS_ISO_H

#include <stdint.h>

/* MSR (then ISB) and MRS of a system register by name or S3_... encoding. */
#define SR_SET(reg, v) __asm__ volatile("msr " #reg ", %0; isb" ::"r"((uint64_t)(v)) : "memory")
#define SR_GET(reg)                                                                                \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_)::"memory");                            \
		v_;                                                                                \
	})

/* What iso_hold_*() load and store: x0..x30, SP_EL0, Q0..Q31 (two words
 * each), FPCR, FPSR, then SP (EL1's) after and before the wait. */
struct iso_regs {
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t q[64];
	uint64_t fpcr, fpsr;
	uint64_t sp_after, sp_before;
} __attribute__((aligned(16))); /* LDP/STP of Q registers with SCTLR_EL1.A set */
_Static_assert(sizeof(struct iso_regs) == 800, "iso.h's assembly offsets");

/*
 * Load every register from @pat, wait, store every register to @out.
 * x0 is the wait's scratch (never compared); iso_hold_spin() also keeps
 * its deadline in x1. The waits:
 * - spin: until CNTVCT_EL0 >= @deadline (the scheduler's tick preempts);
 * - yield: one HVC of minihyp's YIELD call (x0 = its function ID);
 * - wfi_v / wfi_p: WFI until CNTV_CTL_EL0 / CNTP_CTL_EL0 says ISTATUS
 *   (the caller armed the timer; interrupts are masked, WFI still wakes).
 */
void iso_hold_spin(uint64_t deadline, const struct iso_regs *pat, struct iso_regs *out);
void iso_hold_yield(uint64_t unused, const struct iso_regs *pat, struct iso_regs *out);
void iso_hold_wfi_v(uint64_t unused, const struct iso_regs *pat, struct iso_regs *out);
void iso_hold_wfi_p(uint64_t unused, const struct iso_regs *pat, struct iso_regs *out);

/* Frame: x19..x30 [0, 96), @out [96], the argument [104], d8..d15
 * [112, 176), the struct iso_regs being stored [176, 976). */
__asm__(".pushsection .text\n"
	".arch_extension fp\n"
	".arch_extension simd\n"
	".macro iso_wait_spin\n"
	"ldr x1, [sp, #104]\n"
	"1: isb\n"
	"mrs x0, cntvct_el0\n"
	"cmp x0, x1\n"
	"b.lo 1b\n"
	".endm\n"
	".macro iso_wait_yield\n"
	"movz x0, #0x0002\n"
	"movk x0, #0x8600, lsl #16\n"
	"hvc #0\n"
	".endm\n"
	".macro iso_wait_wfi_v\n"
	"1: wfi\n"
	"mrs x0, cntv_ctl_el0\n"
	"tbz x0, #2, 1b\n"
	".endm\n"
	".macro iso_wait_wfi_p\n"
	"1: wfi\n"
	"mrs x0, cntp_ctl_el0\n"
	"tbz x0, #2, 1b\n"
	".endm\n"
	".macro iso_hold name, wait\n"
	".global \\name\n"
	".type \\name, %function\n"
	"\\name:\n"
	"sub sp, sp, #976\n"
	"stp x19, x20, [sp, #0]\n"
	"stp x21, x22, [sp, #16]\n"
	"stp x23, x24, [sp, #32]\n"
	"stp x25, x26, [sp, #48]\n"
	"stp x27, x28, [sp, #64]\n"
	"stp x29, x30, [sp, #80]\n"
	"str x2, [sp, #96]\n"
	"str x0, [sp, #104]\n"
	"stp d8, d9, [sp, #112]\n"
	"stp d10, d11, [sp, #128]\n"
	"stp d12, d13, [sp, #144]\n"
	"stp d14, d15, [sp, #160]\n"
	"mov x3, sp\n"
	"str x3, [sp, #968]\n"
	"mov x30, x1\n"
	"ldr x0, [x30, #248]\n"
	"msr sp_el0, x0\n"
	"ldr x0, [x30, #768]\n"
	"msr fpcr, x0\n"
	"ldr x0, [x30, #776]\n"
	"msr fpsr, x0\n"
	"ldp q0, q1, [x30, #256 + 0 * 16]\n"
	"ldp q2, q3, [x30, #256 + 2 * 16]\n"
	"ldp q4, q5, [x30, #256 + 4 * 16]\n"
	"ldp q6, q7, [x30, #256 + 6 * 16]\n"
	"ldp q8, q9, [x30, #256 + 8 * 16]\n"
	"ldp q10, q11, [x30, #256 + 10 * 16]\n"
	"ldp q12, q13, [x30, #256 + 12 * 16]\n"
	"ldp q14, q15, [x30, #256 + 14 * 16]\n"
	"ldp q16, q17, [x30, #256 + 16 * 16]\n"
	"ldp q18, q19, [x30, #256 + 18 * 16]\n"
	"ldp q20, q21, [x30, #256 + 20 * 16]\n"
	"ldp q22, q23, [x30, #256 + 22 * 16]\n"
	"ldp q24, q25, [x30, #256 + 24 * 16]\n"
	"ldp q26, q27, [x30, #256 + 26 * 16]\n"
	"ldp q28, q29, [x30, #256 + 28 * 16]\n"
	"ldp q30, q31, [x30, #256 + 30 * 16]\n"
	"ldp x0, x1, [x30, #0 * 8]\n"
	"ldp x2, x3, [x30, #2 * 8]\n"
	"ldp x4, x5, [x30, #4 * 8]\n"
	"ldp x6, x7, [x30, #6 * 8]\n"
	"ldp x8, x9, [x30, #8 * 8]\n"
	"ldp x10, x11, [x30, #10 * 8]\n"
	"ldp x12, x13, [x30, #12 * 8]\n"
	"ldp x14, x15, [x30, #14 * 8]\n"
	"ldp x16, x17, [x30, #16 * 8]\n"
	"ldp x18, x19, [x30, #18 * 8]\n"
	"ldp x20, x21, [x30, #20 * 8]\n"
	"ldp x22, x23, [x30, #22 * 8]\n"
	"ldp x24, x25, [x30, #24 * 8]\n"
	"ldp x26, x27, [x30, #26 * 8]\n"
	"ldp x28, x29, [x30, #28 * 8]\n"
	"ldr x30, [x30, #240]\n"
	"\\wait\n"
	"stp x0, x1, [sp, #176 + 0 * 8]\n"
	"stp x2, x3, [sp, #176 + 2 * 8]\n"
	"stp x4, x5, [sp, #176 + 4 * 8]\n"
	"stp x6, x7, [sp, #176 + 6 * 8]\n"
	"stp x8, x9, [sp, #176 + 8 * 8]\n"
	"stp x10, x11, [sp, #176 + 10 * 8]\n"
	"stp x12, x13, [sp, #176 + 12 * 8]\n"
	"stp x14, x15, [sp, #176 + 14 * 8]\n"
	"stp x16, x17, [sp, #176 + 16 * 8]\n"
	"stp x18, x19, [sp, #176 + 18 * 8]\n"
	"stp x20, x21, [sp, #176 + 20 * 8]\n"
	"stp x22, x23, [sp, #176 + 22 * 8]\n"
	"stp x24, x25, [sp, #176 + 24 * 8]\n"
	"stp x26, x27, [sp, #176 + 26 * 8]\n"
	"stp x28, x29, [sp, #176 + 28 * 8]\n"
	"str x30, [sp, #416]\n"
	"mrs x0, sp_el0\n"
	"str x0, [sp, #424]\n"
	"stp q0, q1, [sp, #432 + 0 * 16]\n"
	"stp q2, q3, [sp, #432 + 2 * 16]\n"
	"stp q4, q5, [sp, #432 + 4 * 16]\n"
	"stp q6, q7, [sp, #432 + 6 * 16]\n"
	"stp q8, q9, [sp, #432 + 8 * 16]\n"
	"stp q10, q11, [sp, #432 + 10 * 16]\n"
	"stp q12, q13, [sp, #432 + 12 * 16]\n"
	"stp q14, q15, [sp, #432 + 14 * 16]\n"
	"stp q16, q17, [sp, #432 + 16 * 16]\n"
	"stp q18, q19, [sp, #432 + 18 * 16]\n"
	"stp q20, q21, [sp, #432 + 20 * 16]\n"
	"stp q22, q23, [sp, #432 + 22 * 16]\n"
	"stp q24, q25, [sp, #432 + 24 * 16]\n"
	"stp q26, q27, [sp, #432 + 26 * 16]\n"
	"stp q28, q29, [sp, #432 + 28 * 16]\n"
	"stp q30, q31, [sp, #432 + 30 * 16]\n"
	"mrs x0, fpcr\n"
	"str x0, [sp, #944]\n"
	"mrs x0, fpsr\n"
	"str x0, [sp, #952]\n"
	"mov x0, sp\n"
	"str x0, [sp, #960]\n"
	"ldr x1, [sp, #96]\n"
	"add x2, sp, #176\n"
	"mov x3, #100\n"
	"2: ldr x4, [x2], #8\n"
	"str x4, [x1], #8\n"
	"subs x3, x3, #1\n"
	"b.ne 2b\n"
	"ldp x19, x20, [sp, #0]\n"
	"ldp x21, x22, [sp, #16]\n"
	"ldp x23, x24, [sp, #32]\n"
	"ldp x25, x26, [sp, #48]\n"
	"ldp x27, x28, [sp, #64]\n"
	"ldp x29, x30, [sp, #80]\n"
	"ldp d8, d9, [sp, #112]\n"
	"ldp d10, d11, [sp, #128]\n"
	"ldp d12, d13, [sp, #144]\n"
	"ldp d14, d15, [sp, #160]\n"
	"add sp, sp, #976\n"
	"ret\n"
	".size \\name, . - \\name\n"
	".endm\n"
	"iso_hold iso_hold_spin, iso_wait_spin\n"
	"iso_hold iso_hold_yield, iso_wait_yield\n"
	"iso_hold iso_hold_wfi_v, iso_wait_wfi_v\n"
	"iso_hold iso_hold_wfi_p, iso_wait_wfi_p\n"
	".purgem iso_hold\n"
	".popsection\n");

/* ---- stage 1 (4K granule; Arm ARM, "VMSAv8-64 translation table format
 * descriptors"): 39-bit VAs from level 1 for TTBR0 and TTBR1 (T0SZ =
 * T1SZ = 25). */
#define PTE_TABLE   3ull /* a table (levels 1, 2) or a page (level 3) */
#define PTE_BLOCK   1ull
#define PTE_ATTR(i) ((uint64_t)(i) << 2) /* AttrIndx [4:2] */
#define PTE_SH_IS   (3ull << 8)
#define PTE_AF	    (1ull << 10)
#define SZ_2M	    0x200000ull
#define SZ_1G	    0x40000000ull
/* TTBR1's first byte with T1SZ = 25: the victim's alias (the attacker's
 * TLB poisoning maps the same VAs). */
#define ISO_ALIAS_HI 0xffffff8000000000ull
/* MAIR_EL1: Attr0 Device-nGnRnE, Attr1 Normal write-back, the others
 * valid encodings as a pattern. */
#define ISO_MAIR 0x000c080444bbff00ull
/* TCR_EL1: T0SZ = T1SZ = 25, IRGN/ORGN write-back, SH inner, TG0 4K,
 * TG1 4K (0b10), IPS 40 bits (0b010). */
#define ISO_TCR                                                                                    \
	(25ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 25ull << 16 | 1ull << 24 | 1ull << 26 |     \
	 3ull << 28 | 2ull << 30 | 2ull << 32)

/* The TTBR1 alias at ISO_ALIAS_HI: a 2 MiB block onto @pa, then 512
 * pages onto @pa + 2 MiB in a permuted order (page i: page 7i mod 512). */
static inline void iso_alias_tables(uint64_t *l1, uint64_t *l2, uint64_t *l3, uint64_t pa)
{
	l1[0] = (uint64_t)(uintptr_t)l2 | PTE_TABLE;
	l2[0] = pa | PTE_BLOCK | PTE_ATTR(1) | PTE_SH_IS | PTE_AF;
	l2[1] = (uint64_t)(uintptr_t)l3 | PTE_TABLE;
	for (unsigned int i = 0; i < 512; i++)
		l3[i] = (pa + SZ_2M + (uint64_t)((i * 7u) % 512u) * 4096u) | PTE_TABLE |
			PTE_ATTR(1) | PTE_SH_IS | PTE_AF;
	__asm__ volatile("dsb ish" ::: "memory");
}

/* A pattern of registers from @seed (splitmix64: every word different). */
static inline uint64_t iso_mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* FPCR: AHP [26], DN [25], FZ [24], RMode [23:22] (Arm ARM C5.2.8);
 * FPSR: QC [27], IDC [7], IXC..IOC [4:0] (C5.2.10). */
#define ISO_FPCR_BITS 0x07c00000ull
#define ISO_FPSR_BITS 0x0800009full

static inline void iso_fill(struct iso_regs *r, uint64_t seed)
{
	for (unsigned int i = 0; i < 31; i++)
		r->x[i] = iso_mix(&seed);
	r->sp_el0 = iso_mix(&seed) & ~0xfull;
	for (unsigned int i = 0; i < 64; i++)
		r->q[i] = iso_mix(&seed);
	r->fpcr = iso_mix(&seed) & ISO_FPCR_BITS;
	r->fpsr = iso_mix(&seed) & ISO_FPSR_BITS;
	r->sp_after = r->sp_before = 0;
}

#endif
