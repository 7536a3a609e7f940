/* SPDX-License-Identifier: MIT */
/*
 * A user-supplied backend of the hardware seam, selected with
 * -DLIBHYP_BACKEND_HEADER='"custom_backend.h"' (docs/porting-the-seam.md).
 * It is the example of that guide: every operation of libhyp/hw.h, here
 * recorded in a plain struct instead of touching hardware. A real port
 * would put its own instructions (or its hypervisor's accessors) here.
 */
#ifndef CUSTOM_BACKEND_H
#define CUSTOM_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** What the custom backend saw. */
struct custom_hw {
	uint64_t reg[1u << 16];   /* system registers, by packed encoding */
	uint16_t read_log[64];    /* encodings read, in order */
	unsigned reads, writes;   /* MRS, MSR */
	unsigned nonconst;        /* MRS/MSR whose encoding was not a constant */
	unsigned barriers, tlbis, cmos, mmio, pte_ops, other;
};
extern struct custom_hw custom_hw;

static inline uint64_t custom_read(uint16_t enc, bool is_const)
{
	if (custom_hw.reads < 64)
		custom_hw.read_log[custom_hw.reads] = enc;
	custom_hw.reads++;
	custom_hw.nonconst += !is_const;
	return custom_hw.reg[enc];
}

static inline void custom_write(uint16_t enc, uint64_t v, bool is_const)
{
	custom_hw.writes++;
	custom_hw.nonconst += !is_const;
	custom_hw.reg[enc] = v;
}

/* The encoding must be an integer constant at every call site (the
 * aarch64 backend puts it into the instruction word): count any that is
 * not, so a test can assert there are none. */
#define hyp_read_sysreg(enc) custom_read((uint16_t)(enc), __builtin_constant_p(enc))
#define hyp_write_sysreg(enc, v) \
	custom_write((uint16_t)(enc), (uint64_t)(v), __builtin_constant_p(enc))

/* A barrier is also a compiler barrier: no memory access moves across it. */
#define hyp_isb() (__atomic_signal_fence(__ATOMIC_SEQ_CST), (void)custom_hw.barriers++)
#define hyp_dsb(opt) \
	((void)HYP_BARRIER_##opt, __atomic_signal_fence(__ATOMIC_SEQ_CST), (void)custom_hw.barriers++)
#define hyp_dmb(opt) \
	((void)HYP_BARRIER_##opt, __atomic_signal_fence(__ATOMIC_SEQ_CST), (void)custom_hw.barriers++)

static inline void hyp_tlbi_ipas2e1is(uint64_t ipa, unsigned ttl)
{
	(void)hyp_tlbi_operand(ipa, ttl);
	custom_hw.tlbis++;
}
static inline void hyp_tlbi_ripas2e1is(uint64_t op) { (void)op; custom_hw.tlbis++; }
static inline void hyp_tlbi_vmalle1is(void) { custom_hw.tlbis++; }
static inline void hyp_tlbi_vmalls12e1is(void) { custom_hw.tlbis++; }
static inline void hyp_tlbi_alle1is(void) { custom_hw.tlbis++; }
static inline void hyp_tlbi_vae2is(uint64_t va, unsigned ttl)
{
	(void)hyp_tlbi_operand(va, ttl);
	custom_hw.tlbis++;
}
static inline void hyp_tlbi_alle2is(void) { custom_hw.tlbis++; }

/* The range operations include their trailing barriers (libhyp/hw.h). */
static inline void hyp_dcache_clean_inval_poc(uintptr_t va, size_t size, unsigned line_shift)
{
	(void)va, (void)size, (void)line_shift;
	custom_hw.cmos++;
	hyp_dsb(ISH);
}
static inline void hyp_icache_inval_pou(uintptr_t va, size_t size, unsigned line_shift)
{
	(void)va, (void)size, (void)line_shift;
	custom_hw.cmos++;
	hyp_dsb(ISH);
	hyp_isb();
}
static inline void hyp_icache_inval_all(void)
{
	custom_hw.cmos++;
	hyp_dsb(ISH);
	hyp_isb();
}

static inline void hyp_at_s1e1r(uint64_t va) { (void)va; custom_hw.other++; }
#define hyp_esb() ((void)custom_hw.other++)
#define hyp_serror_take() ((void)custom_hw.other++, (uint64_t)0)

static inline uint32_t hyp_mmio_read32(uintptr_t addr)
{
	custom_hw.mmio++;
	return *(volatile uint32_t *)addr;
}
static inline uint64_t hyp_mmio_read64(uintptr_t addr)
{
	custom_hw.mmio++;
	return *(volatile uint64_t *)addr;
}
static inline void hyp_mmio_write32(uintptr_t addr, uint32_t v)
{
	custom_hw.mmio++;
	*(volatile uint32_t *)addr = v;
}
static inline void hyp_mmio_write64(uintptr_t addr, uint64_t v)
{
	custom_hw.mmio++;
	*(volatile uint64_t *)addr = v;
}

static inline uint64_t hyp_pte_read(volatile uint64_t *p)
{
	custom_hw.pte_ops++;
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}
static inline void hyp_pte_write(volatile uint64_t *p, uint64_t v)
{
	custom_hw.pte_ops++;
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}
static inline uint64_t hyp_pte_load_acquire(volatile uint64_t *p)
{
	custom_hw.pte_ops++;
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void hyp_pte_store_release(volatile uint64_t *p, uint64_t v)
{
	custom_hw.pte_ops++;
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline uint64_t hyp_pte_cas(volatile uint64_t *p, uint64_t old, uint64_t new_)
{
	custom_hw.pte_ops++;
	__atomic_compare_exchange_n(p, &old, new_, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	return old; /* the value seen: @p old on success, the current one on failure */
}

#endif /* CUSTOM_BACKEND_H */
