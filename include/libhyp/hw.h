/* SPDX-License-Identifier: MIT */
/**
 * @file hw.h
 * @brief The hardware seam: every touch of hardware libhyp makes.
 *
 * Two backends implement it, chosen at build time:
 * - **aarch64** (default): inline assembly. A constant register encoding
 *   becomes exactly one MRS/MSR at the call site; nothing is a call.
 * - **host** (defined LIBHYP_BACKEND_HOST): a simulated CPU in plain C
 *   (see libhyp/hw/sim.h) that stores registers, counts every access and
 *   logs them in order, so code built on the seam can be tested on a
 *   laptop.
 *
 * - **your own**: define LIBHYP_BACKEND_HEADER to a header name, e.g.
 *   `-DLIBHYP_BACKEND_HEADER='<myhw.h>'`, when compiling libhyp and the code
 *   that includes its headers; that header then provides every operation
 *   below instead of the two built-in backends (it wins over
 *   LIBHYP_BACKEND_HOST). See docs/porting-the-seam.md.
 *
 * No other header or source file knows which backend is in use.
 *
 * The operations (documented here once for both backends):
 *
 * | operation | cost on hardware |
 * | --- | --- |
 * | hyp_read_sysreg(enc), hyp_write_sysreg(enc, v) | one MRS / MSR; @p enc must be a compile-time constant on aarch64 |
 * | hyp_isb(), hyp_dsb(OPT), hyp_dmb(OPT) | one barrier; OPT is SY, ST, LD, ISH, ISHST, ISHLD, NSH, NSHST, NSHLD, OSH, OSHST, OSHLD |
 * | hyp_tlbi_ipas2e1is(ipa, ttl) | TLBI IPAS2E1IS for the current VMID (VTTBR_EL2) |
 * | hyp_tlbi_ripas2e1is(op) | TLBI RIPAS2E1IS (FEAT_TLBIRANGE): a range of IPAs, current VMID; @p op from hyp_tlbi_range_operand() |
 * | hyp_tlbi_vmalle1is() | TLBI VMALLE1IS: stage-1 entries of the current VMID |
 * | hyp_tlbi_vmalls12e1is() | TLBI VMALLS12E1IS: stage-1 and 2 entries of the current VMID |
 * | hyp_tlbi_alle1is() | TLBI ALLE1IS: every EL1&0 entry of every VMID |
 * | hyp_tlbi_vae2is(va, ttl) | TLBI VAE2IS: one EL2 stage-1 entry |
 * | hyp_tlbi_alle2is() | TLBI ALLE2IS: every EL2 entry |
 * | hyp_dcache_clean_inval_poc(va, size, line_shift) | one DC CIVAC per line, then DSB ISH |
 * | hyp_icache_inval_pou(va, size, line_shift) | one IC IVAU per line, then DSB ISH, ISB |
 * | hyp_icache_inval_all() | IC IALLUIS, DSB ISH, ISB |
 * | hyp_mmio_read32/64(addr), hyp_mmio_write32/64(addr, v) | one single-copy-atomic device access (LDR/STR, never split or merged) |
 * | hyp_pte_read(p), hyp_pte_write(p, v) | one 64-bit load / store (READ_ONCE / WRITE_ONCE) |
 * | hyp_pte_load_acquire(p), hyp_pte_store_release(p, v) | LDAR / STLR |
 * | hyp_pte_cas(p, old, new) | compare-and-swap (CAS with LSE, else LDXR/STXR loop); returns the value seen |
 * | hyp_at_s1e1r(va) | AT S1E1R: stage-1 translation of @p va in the EL1&0 regime (the guest's while its EL1 registers are loaded), for a read; the result goes to PAR_EL1 (Arm ARM D24.2.142), which the caller reads after an ISB |
 * | hyp_esb() | ESB (FEAT_RAS; the A64 instruction HINT #16): with PSTATE.A masked, a pending physical SError is deferred into DISR_EL1 (D24.9.1) and no longer pending; a NOP (HINT #16) without FEAT_RAS |
 * | hyp_serror_take() | unmask SError at EL2 for a few instructions so that a pending physical SError (ISR_EL1.A, D24.2.118) is taken now, in a window libhyp's EL2 vectors recognise; returns its ESR_EL2 with bit 63 set, or 0 if none was taken. aarch64: needs ::hyp_switch_vectors in VBAR_EL2 |
 *
 * TLBI operands: @p ipa / @p va are byte addresses (the seam shifts them);
 * @p ttl is the 4-bit FEAT_TTL hint for bits [47:44] of the operand
 * (TTL[3:2] = granule: 1 = 4K, 2 = 16K, 3 = 64K; TTL[1:0] = level;
 * 0 = no hint), Arm ARM D8.17 "TLB maintenance instructions". The caller
 * passes 0 unless the CPU has FEAT_TTL. None of the TLBIs include the DSB
 * that must precede (to make a PTE update visible) or follow (to wait for
 * completion) them: the caller places those, because it can batch them.
 *
 * Cache operations take the line size as log2(bytes) from the cached
 * CTR_EL0 (DminLine/IminLine + 2), so the seam never reads an ID register.
 *
 * Concurrency: every operation acts on the calling CPU (its registers, its
 * accesses); the TLBIs ending in IS and IC IALLUIS reach every CPU of the
 * inner-shareable domain; the PTE operations are single-copy-atomic
 * 64-bit accesses and hyp_pte_cas() an atomic read-modify-write, which is
 * what lets shared-mode stage-2 faults run on several CPUs at once.
 */
#ifndef LIBHYP_HW_H
#define LIBHYP_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libhyp/regdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Barrier domain/type options, as named in the DSB/DMB mnemonics. */
enum hyp_barrier_opt {
	HYP_BARRIER_SY,    /**< full system, all accesses */
	HYP_BARRIER_ST,    /**< full system, stores */
	HYP_BARRIER_LD,    /**< full system, loads */
	HYP_BARRIER_ISH,   /**< inner shareable */
	HYP_BARRIER_ISHST, /**< inner shareable, stores */
	HYP_BARRIER_ISHLD, /**< inner shareable, loads */
	HYP_BARRIER_NSH,   /**< non-shareable */
	HYP_BARRIER_NSHST, /**< non-shareable, stores */
	HYP_BARRIER_NSHLD, /**< non-shareable, loads */
	HYP_BARRIER_OSH,   /**< outer shareable */
	HYP_BARRIER_OSHST, /**< outer shareable, stores */
	HYP_BARRIER_OSHLD, /**< outer shareable, loads */
};

/** @brief The FEAT_TTL hint for a 4K-granule leaf at @p level (1..3). */
#define HYP_TTL_4K(level) ((1u << 2) | ((unsigned)(level) & 3u))

/**
 * @brief The operand of TLBI IPAS2E1IS / VAE2IS for address @p addr and
 *        TTL hint @p ttl: address bits [55:12] in operand bits [43:0], TTL
 *        in bits [47:44] (Arm ARM D8.17). Shared by both backends so the
 *        host log shows exactly what the hardware would receive.
 * @param addr the IPA or VA, in bytes
 * @param ttl the FEAT_TTL hint (0: none)
 * @return the 64-bit TLBI operand
 * @concurrency Pure (no hardware): any CPU, any time.
 */
static inline uint64_t hyp_tlbi_operand(uint64_t addr, unsigned ttl)
{
	return ((addr >> 12) & ((1ull << 44) - 1)) | ((uint64_t)(ttl & 0xfu) << 44);
}

/**
 * @brief The operand of TLBI RIPAS2E1IS (FEAT_TLBIRANGE, Arm ARM D8.17 and
 *        the TLBI RIPAS2E1IS description in C5.5): the
 *        (@p num + 1) * 2^(5 * @p scale + 1) granules from @p addr.
 *
 * Layout: TG[47:46] (granule: 1 = 4K, 2 = 16K, 3 = 64K, from
 * @p granule_shift 12/14/16), SCALE[45:44], NUM[43:39], TTL[38:37] (the
 * level of the leaf entries, 1..3, or 0 for any level) and BaseADDR[36:0]
 * (@p addr in granules). A @p granule_shift other than 14 or 16 is taken
 * as 12 (4K), so every argument value is defined.
 * @param addr the first IPA, in bytes
 * @param granule_shift log2 of the translation granule: 12, 14 or 16
 * @param scale SCALE (0..3)
 * @param num NUM (0..31)
 * @param ttl the level of the leaf entries (1..3), or 0 for any
 * @return the 64-bit TLBI RIPAS2E1IS operand
 * @concurrency Pure (no hardware): any CPU, any time.
 */
static inline uint64_t hyp_tlbi_range_operand(uint64_t addr, unsigned granule_shift,
					      unsigned scale, unsigned num, unsigned ttl)
{
	uint64_t tg = granule_shift == 16 ? 3 : granule_shift == 14 ? 2 : 1;
	unsigned shift = tg == 3 ? 16 : tg == 2 ? 14 : 12;

	return (tg << 46) | ((uint64_t)(scale & 3u) << 44) | ((uint64_t)(num & 0x1fu) << 39) |
	       ((uint64_t)(ttl & 3u) << 37) | ((addr >> shift) & ((1ull << 37) - 1));
}

#ifdef __cplusplus
}
#endif

#if defined(LIBHYP_BACKEND_HEADER)
/* A user-supplied backend (docs/porting-the-seam.md): build libhyp and its
 * callers with -DLIBHYP_BACKEND_HEADER='<myhw.h>' (or '"myhw.h"'). */
#include LIBHYP_BACKEND_HEADER
#elif defined(LIBHYP_BACKEND_HOST)
#include <libhyp/hw/host.h>
#else
#include <libhyp/hw/aarch64.h>
#endif

#endif /* LIBHYP_HW_H */
