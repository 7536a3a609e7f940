/* SPDX-License-Identifier: MIT */
/*
 * The host backend of the hardware seam (see libhyp/hw.h for the contract):
 * every operation goes to the current simulated CPU (libhyp/hw/sim.h).
 * Include libhyp/hw.h, not this file.
 */
#ifndef LIBHYP_HW_HOST_H
#define LIBHYP_HW_HOST_H

/* Part of libhyp/hw.h (it relies on hw.h's declarations): not a header of
 * its own. */
#ifndef LIBHYP_HW_H
#error "include <libhyp/hw.h>, not libhyp/hw/host.h"
#endif

#include <libhyp/hw/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

#define hyp_read_sysreg(enc) hyp_sim_sysreg_read((uint16_t)(enc))
#define hyp_write_sysreg(enc, val) hyp_sim_sysreg_write((uint16_t)(enc), (uint64_t)(val))

#define hyp_isb() hyp_sim_barrier(HYP_SIM_ISB, 0)
#define hyp_dsb(opt) hyp_sim_barrier(HYP_SIM_DSB, HYP_BARRIER_##opt)
#define hyp_dmb(opt) hyp_sim_barrier(HYP_SIM_DMB, HYP_BARRIER_##opt)

static inline void hyp_tlbi_ipas2e1is(uint64_t ipa, unsigned ttl)
{
	hyp_sim_tlbi(HYP_SIM_TLBI_IPAS2E1IS, hyp_tlbi_operand(ipa, ttl));
}

static inline void hyp_tlbi_ripas2e1is(uint64_t op)
{
	hyp_sim_tlbi(HYP_SIM_TLBI_RIPAS2E1IS, op);
}

static inline void hyp_tlbi_vmalle1is(void)
{
	hyp_sim_tlbi(HYP_SIM_TLBI_VMALLE1IS, 0);
}

static inline void hyp_tlbi_vmalls12e1is(void)
{
	hyp_sim_tlbi(HYP_SIM_TLBI_VMALLS12E1IS, 0);
}

static inline void hyp_tlbi_alle1is(void)
{
	hyp_sim_tlbi(HYP_SIM_TLBI_ALLE1IS, 0);
}

static inline void hyp_tlbi_vae2is(uint64_t va, unsigned ttl)
{
	hyp_sim_tlbi(HYP_SIM_TLBI_VAE2IS, hyp_tlbi_operand(va, ttl));
}

static inline void hyp_tlbi_alle2is(void)
{
	hyp_sim_tlbi(HYP_SIM_TLBI_ALLE2IS, 0);
}

/* The range operations end with the same barriers as on hardware, through
 * the same counted entry point, so barrier counts agree between backends. */
static inline void hyp_dcache_clean_inval_poc(uintptr_t va, size_t size, unsigned line_shift)
{
	hyp_sim_cmo(HYP_SIM_DC_CIVAC, va, size, line_shift);
	hyp_dsb(ISH);
}

static inline void hyp_icache_inval_pou(uintptr_t va, size_t size, unsigned line_shift)
{
	hyp_sim_cmo(HYP_SIM_IC_IVAU, va, size, line_shift);
	hyp_dsb(ISH);
	hyp_isb();
}

static inline void hyp_icache_inval_all(void)
{
	hyp_sim_ic_iallu();
	hyp_dsb(ISH);
	hyp_isb();
}

static inline void hyp_at_s1e1r(uint64_t va)
{
	hyp_sim_at_s1e1r(va);
}

#define hyp_esb() hyp_sim_esb()
#define hyp_serror_take() hyp_sim_serror_take()

static inline uint32_t hyp_mmio_read32(uintptr_t addr)
{
	return (uint32_t)hyp_sim_mmio_read(addr, 4);
}

static inline uint64_t hyp_mmio_read64(uintptr_t addr)
{
	return hyp_sim_mmio_read(addr, 8);
}

static inline void hyp_mmio_write32(uintptr_t addr, uint32_t v)
{
	hyp_sim_mmio_write(addr, 4, v);
}

static inline void hyp_mmio_write64(uintptr_t addr, uint64_t v)
{
	hyp_sim_mmio_write(addr, 8, v);
}

static inline uint64_t hyp_pte_read(volatile uint64_t *p)
{
	return hyp_sim_pte_read(p, false);
}

static inline void hyp_pte_write(volatile uint64_t *p, uint64_t v)
{
	hyp_sim_pte_write(p, v, false);
}

static inline uint64_t hyp_pte_load_acquire(volatile uint64_t *p)
{
	return hyp_sim_pte_read(p, true);
}

static inline void hyp_pte_store_release(volatile uint64_t *p, uint64_t v)
{
	hyp_sim_pte_write(p, v, true);
}

static inline uint64_t hyp_pte_cas(volatile uint64_t *p, uint64_t old, uint64_t new_)
{
	return hyp_sim_pte_cas(p, old, new_);
}

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_HW_HOST_H */
