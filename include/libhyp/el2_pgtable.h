/* SPDX-License-Identifier: MIT */
/**
 * @file el2_pgtable.h
 * @brief EL2 stage-1 translation tables for the hypervisor itself, on the
 *        generic walker of libhyp/pgtable.h.
 *
 * hyp_el2_init() builds TCR_EL2 / TTBR0_EL2 for the hypervisor's own
 * tables (HCR_EL2.E2H = 0 or 1, as recorded by hyp_cpufeat_set_el2_mode()),
 * hyp_el2_map()
 * installs identity or offset mappings with XN, read-only and device
 * attributes, and hyp_el2_mmu_enable() turns the EL2 MMU on. Break-before-
 * make, errors and the exclusive mode are as for stage 2 (libhyp/stage2.h);
 * each function's "Concurrency" paragraph is exact.
 */
#ifndef LIBHYP_EL2_PGTABLE_H
#define LIBHYP_EL2_PGTABLE_H

#include <stdint.h>

#include <libhyp/mapping.h>
#include <libhyp/pgtable.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @name EL2 stage 1
 * @{
 */

/** @brief hyp_el2_init() flags. */
enum hyp_el2_flags {
	/** Tables for HCR_EL2.E2H = 1: the EL2&0 regime, TCR_EL1 layout, PXN/UXN.
	 *  @deprecated The EL2 mode has one source, the record
	 *  (hyp_cpufeat_set_el2_mode(), hyp_el2_e2h()), which hyp_el2_init()
	 *  reads. The flag is refused (HYP_EINVAL) against a recorded E2H = 0
	 *  and decides only while nothing is recorded; it goes in the next minor
	 *  release. */
	HYP_EL2_VHE = 1u << 0,
};

/**
 * @brief Initialise an EL2 stage-1 table for cfg->ia_bits of VA (25..48):
 *        allocate its start-level page and compute TCR_EL2 (pgt->ctlr) and
 *        TTBR0_EL2 (pgt->ttbr). MAIR_EL2 must hold HYP_MAIR_EL2_VALUE.
 *
 * The regime comes from the one source of the EL2 mode (hyp_el2_e2h(): the
 * build constant -DLIBHYP_E2H or the record of hyp_cpufeat_set_el2_mode()):
 * pass 0 for @p flags. TCR_EL2 with E2H = 0: T0SZ, 4K granule,
 * inner-shareable write-back walks, PS from cfg->pa_bits, RES1 bits 23 and
 * 31. With E2H = 1 the TCR_EL1 layout: the same TTBR0 fields, EPD1 = 1 (no
 * TTBR1 walks), TG1 = 4K, IPS (Arm ARM, TCR_EL2). While no mode is recorded,
 * E2H = 1 is chosen by the deprecated HYP_EL2_VHE flag, else E2H = 0.
 * @return 0; HYP_EINVAL (also HYP_EL2_VHE against a recorded E2H = 0);
 *         HYP_ENOTSUP; HYP_ENOMEM; HYP_EFAULT. On error nothing is
 *         allocated.
 * @param pgt the table to initialise
 * @param cfg the CPU's features; copied
 * @param ops the hooks (must outlive @p pgt)
 * @param ctx stored in pgt->ctx for the hooks
 * @param flags 0 (HYP_EL2_VHE: deprecated, see ::hyp_el2_flags)
 * @concurrency Any CPU, before the table is shared. Hardware: none (one
 *  zalloc_pages call).
 */
int hyp_el2_init(struct hyp_pgtable *pgt, const struct hyp_pgtable_cfg *cfg,
		 const struct hyp_pgtable_ops *ops, void *ctx, unsigned int flags);

/**
 * @brief Map [@p va, @p va + @p size) to @p pa at EL2 (identity when
 *        @p va == @p pa), with blocks where alignment allows. @p prot must
 *        include HYP_PROT_R (stage 1 cannot express write-only); without
 *        HYP_PROT_W the mapping is read-only, without HYP_PROT_X
 *        execute-never; Device types are never executable. W + X is
 *        allowed (SCTLR_EL2.WXN forbids it globally). Existing mappings are
 *        replaced as in hyp_s2_map(); no cache maintenance.
 * @return as hyp_s2_map().
 * @param pgt an EL2 table
 * @param va start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @param pa the output address, 4K-aligned
 * @param prot HYP_PROT_* | HYP_MEM_*
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's lock).
 *  Any CPU; the TLBIs (inner shareable) reach every CPU using the table.
 */
int hyp_el2_map(struct hyp_pgtable *pgt, uint64_t va, uint64_t size, uint64_t pa,
		unsigned int prot);

/**
 * @brief Unmap EL2 VAs, as hyp_s2_unmap() (TLBI VAE2IS, DSB, ISB).
 * @param pgt an EL2 table
 * @param va start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @return as hyp_s2_unmap()
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's lock).
 *  Any CPU; the TLBIs (inner shareable) reach every CPU using the table.
 */
int hyp_el2_unmap(struct hyp_pgtable *pgt, uint64_t va, uint64_t size);

/**
 * @brief Change EL2 permissions, as hyp_s2_protect() (R must stay; X on
 *        Device memory is refused with HYP_EINVAL, nothing changed).
 * @param pgt an EL2 table
 * @param va start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @param prot HYP_PROT_R (required), W, X
 * @return as hyp_s2_protect()
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's lock).
 *  Any CPU; the TLBIs (inner shareable) reach every CPU using the table.
 */
int hyp_el2_protect(struct hyp_pgtable *pgt, uint64_t va, uint64_t size, unsigned int prot);

/**
 * @brief Turn the EL2 MMU on with this table: MAIR_EL2 =
 *        HYP_MAIR_EL2_VALUE, TCR_EL2, TTBR0_EL2, ISB, TLBI ALLE2IS,
 *        DSB ISH, ISB, then SCTLR_EL2 |= M | C | I, ISB.
 *
 * The code running it must be identity-mapped (executable) and its stack
 * and data mapped. Tables written with the D-cache off must not have
 * stale lines in the caches (true right after reset).
 * Hardware: 4 MSRs, 1 MRS, 1 TLBI, 1 DSB, 3 ISBs.
 * @return 0, or HYP_EINVAL if @p pgt is not an EL2 table.
 * @param pgt the EL2 table
 * @concurrency On each CPU that turns its EL2 MMU on (the registers are per
 *  CPU), once the table maps what that CPU runs; the table must not change
 *  meanwhile.
 */
int hyp_el2_mmu_enable(const struct hyp_pgtable *pgt);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_EL2_PGTABLE_H */
