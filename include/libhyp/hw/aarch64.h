/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 backend of the hardware seam (see libhyp/hw.h for the
 * contract). Include libhyp/hw.h, not this file.
 */
#ifndef LIBHYP_HW_AARCH64_H
#define LIBHYP_HW_AARCH64_H

/* Part of libhyp/hw.h (it relies on hw.h's declarations): not a header of
 * its own. */
#ifndef LIBHYP_HW_H
#error "include <libhyp/hw.h>, not libhyp/hw/aarch64.h"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * MRS/MSR from an integer encoding: the assembler knows no register names
 * beyond its own list, so the instruction word is built with .inst from the
 * packed encoding and the register number the compiler picked. The .irp
 * block defines .L__hyp_gpr_x<n> = n (and xzr = 31) so "%0" (which prints
 * as "x5") can be turned into its number; .equ may be redefined, so the
 * block can appear in every asm statement. Works with gas and clang's
 * integrated assembler.
 */
#define HYP_ASM_GPR_NUMS                                                        \
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23," \
	"24,25,26,27,28,29,30\n"                                                \
	".equ .L__hyp_gpr_x\\n, \\n\n"                                          \
	".endr\n"                                                               \
	".equ .L__hyp_gpr_xzr, 31\n"

/* MRS: 0xd5200000 | enc << 5 | Rt; MSR (register): 0xd5000000 | ...
 * The encoding is widened to 32 bits: gcc prints a 16-bit constant operand
 * sign-extended, which would corrupt encodings with op0 = 3 and op1 >= 4. */
#define hyp_read_sysreg(enc)                                                  \
	__extension__({                                                       \
		uint64_t hyp_v_;                                              \
		__asm__ volatile(HYP_ASM_GPR_NUMS                             \
				 ".inst 0xd5200000 | ((%c1) << 5) | .L__hyp_gpr_%0" \
				 : "=r"(hyp_v_)                               \
				 : "i"((uint32_t)(enc)));                     \
		hyp_v_;                                                       \
	})

#define hyp_write_sysreg(enc, val)                                            \
	do {                                                                  \
		uint64_t hyp_v_ = (val);                                      \
		__asm__ volatile(HYP_ASM_GPR_NUMS                             \
				 ".inst 0xd5000000 | ((%c0) << 5) | .L__hyp_gpr_%x1" \
				 :                                            \
				 : "i"((uint32_t)(enc)), "rZ"(hyp_v_));       \
	} while (0)

#define hyp_isb() __asm__ volatile("isb" ::: "memory")
#define hyp_dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define hyp_dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")

static inline void hyp_tlbi_ipas2e1is(uint64_t ipa, unsigned ttl)
{
	__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(hyp_tlbi_operand(ipa, ttl)) : "memory");
}

/* TLBI RIPAS2E1IS is SYS #4, C8, C0, #2 (Arm ARM C5.5): spelled as SYS so
 * the assembler needs no -march=armv8.4-a; run it only with FEAT_TLBIRANGE. */
static inline void hyp_tlbi_ripas2e1is(uint64_t op)
{
	__asm__ volatile("sys #4, c8, c0, #2, %0" ::"r"(op) : "memory");
}

static inline void hyp_tlbi_vmalle1is(void)
{
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
}

static inline void hyp_tlbi_vmalls12e1is(void)
{
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
}

static inline void hyp_tlbi_alle1is(void)
{
	__asm__ volatile("tlbi alle1is" ::: "memory");
}

static inline void hyp_tlbi_vae2is(uint64_t va, unsigned ttl)
{
	__asm__ volatile("tlbi vae2is, %0" ::"r"(hyp_tlbi_operand(va, ttl)) : "memory");
}

static inline void hyp_tlbi_alle2is(void)
{
	__asm__ volatile("tlbi alle2is" ::: "memory");
}

static inline void hyp_dcache_clean_inval_poc(uintptr_t va, size_t size, unsigned line_shift)
{
	uintptr_t line = (uintptr_t)1 << line_shift;
	uintptr_t end = va + size;

	for (va &= ~(line - 1); va < end; va += line)
		__asm__ volatile("dc civac, %0" ::"r"(va) : "memory");
	hyp_dsb(ISH);
}

static inline void hyp_icache_inval_pou(uintptr_t va, size_t size, unsigned line_shift)
{
	uintptr_t line = (uintptr_t)1 << line_shift;
	uintptr_t end = va + size;

	for (va &= ~(line - 1); va < end; va += line)
		__asm__ volatile("ic ivau, %0" ::"r"(va) : "memory");
	hyp_dsb(ISH);
	hyp_isb();
}

static inline void hyp_icache_inval_all(void)
{
	__asm__ volatile("ic ialluis" ::: "memory");
	hyp_dsb(ISH);
	hyp_isb();
}

/* AT S1E1R (Arm ARM C5.5, "AT S1E1R"): result in PAR_EL1. */
static inline void hyp_at_s1e1r(uint64_t va)
{
	__asm__ volatile("at s1e1r, %0" ::"r"(va) : "memory");
}

/* ESB is HINT #16: a NOP without FEAT_RAS, so no -march is needed. */
#define hyp_esb() __asm__ volatile("hint #16" ::: "memory")

/* In the switch's entry.S, next to the EL2 vector that recognises it. */
uint64_t hyp_switch_serror_take(void);
#define hyp_serror_take() hyp_switch_serror_take()

/* Device accesses in asm so the compiler can neither split, merge nor
 * elide them, and so a trapping access has a simple, ISV=1 syndrome. */
static inline uint32_t hyp_mmio_read32(uintptr_t addr)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint64_t hyp_mmio_read64(uintptr_t addr)
{
	uint64_t v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void hyp_mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

static inline void hyp_mmio_write64(uintptr_t addr, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

static inline uint64_t hyp_pte_read(volatile uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void hyp_pte_write(volatile uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline uint64_t hyp_pte_load_acquire(volatile uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void hyp_pte_store_release(volatile uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint64_t hyp_pte_cas(volatile uint64_t *p, uint64_t old, uint64_t new_)
{
	__atomic_compare_exchange_n(p, &old, new_, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	return old;
}

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_HW_AARCH64_H */
