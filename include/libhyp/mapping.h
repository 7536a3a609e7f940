/* SPDX-License-Identifier: MIT */
/**
 * @file mapping.h
 * @brief What stage-2 and EL2 stage-1 tables share: the protection and
 *        memory-type encoding of a mapping, leaf lookup, translation and
 *        teardown.
 *
 * Included by libhyp/stage2.h (guests' stage-2 tables) and
 * libhyp/el2_pgtable.h (the hypervisor's EL2 stage-1 tables); the tables
 * themselves are the generic walker's (libhyp/pgtable.h). Concurrency: as
 * described in libhyp/stage2.h; each function's paragraph is exact.
 */
#ifndef LIBHYP_MAPPING_H
#define LIBHYP_MAPPING_H

#include <stdint.h>

#include <libhyp/pgtable.h>

#ifdef __cplusplus
extern "C" {
#endif


/**
 * @brief Permissions and memory type of a mapping (combine one of each).
 */
enum hyp_prot {
	HYP_PROT_R = 1u << 0,		       /**< readable */
	HYP_PROT_W = 1u << 1,		       /**< writable */
	HYP_PROT_X = 1u << 2,		       /**< executable (never with a Device type) */
	HYP_PROT_RW = HYP_PROT_R | HYP_PROT_W, /**< R + W */
	HYP_PROT_RX = HYP_PROT_R | HYP_PROT_X, /**< R + X */
	HYP_PROT_RWX = HYP_PROT_R | HYP_PROT_W | HYP_PROT_X, /**< R + W + X */
	HYP_MEM_NORMAL = 0u << 4,	 /**< Normal, write-back cacheable (the default) */
	HYP_MEM_NORMAL_NC = 1u << 4,	 /**< Normal, non-cacheable */
	HYP_MEM_DEVICE_nGnRE = 2u << 4,	 /**< Device-nGnRE */
	HYP_MEM_DEVICE_nGnRnE = 3u << 4, /**< Device-nGnRnE */
};

/** @brief The permission bits of an enum hyp_prot value. */
#define HYP_PROT_PERMS 7u
/** @brief The memory-type field of an enum hyp_prot value. */
#define HYP_MEM_MASK (3u << 4)

/**
 * @name Both stages
 * @{
 */

/**
 * @brief The leaf that translates @p addr: its descriptor and level. An
 *        unmapped address gives *pte = 0 and the level where the walk
 *        stopped. Hardware: one PTE read per level.
 * @return 0, HYP_ERANGE, or HYP_EINVAL (no table).
 * @param pgt the table
 * @param addr the input address
 * @param[out] pte the leaf descriptor, or 0
 * @param[out] level its level, or where the walk stopped
 * @concurrency Any CPU. It only reads entries, but an exclusive operation
 *  may free the tables it walks: hold the integrator's read lock for the
 *  table (shared-mode faults may run meanwhile).
 */
int hyp_pgtable_get_leaf(struct hyp_pgtable *pgt, uint64_t addr, hyp_pte_t *pte,
			 unsigned int *level);

/**
 * @brief Translate @p addr: output address and HYP_PROT_* | HYP_MEM_* of
 *        its mapping.
 * @return 0, HYP_ENOENT if unmapped, HYP_ERANGE, HYP_EINVAL.
 * @param pgt the table
 * @param addr the input address
 * @param[out] pa the output address
 * @param[out] prot HYP_PROT_* | HYP_MEM_* of the mapping
 * @concurrency As hyp_pgtable_get_leaf(). Hardware: one PTE read per level.
 */
int hyp_pgtable_translate(struct hyp_pgtable *pgt, uint64_t addr, uint64_t *pa, unsigned int *prot);

/**
 * @brief HYP_PROT_* | HYP_MEM_* of a valid leaf descriptor (stage 2 or EL2
 *        stage 1, per @p pgt); 0 for a NULL @p pgt. Touches no hardware.
 * @param pgt the table (its stage selects the encoding)
 * @param pte a valid leaf descriptor
 * @return HYP_PROT_* | HYP_MEM_*
 * @concurrency Pure (reads @p pgt's constant attributes): any CPU.
 */
unsigned int hyp_pgtable_pte_prot(const struct hyp_pgtable *pgt, hyp_pte_t pte);

/**
 * @brief Free every table page, the start level last, after one TLB
 *        invalidation of the whole table (tlbi_all between two DSB ISH).
 *        The caller stops using the table first (no vCPU runs on the VMID,
 *        VTTBR_EL2/TTBR0_EL2 no longer point to it). pgt->pgd becomes NULL.
 * @param pgt the table (nothing for NULL or a destroyed one)
 * @concurrency Exclusive and final: no walker, no vCPU and no CPU's
 *  VTTBR_EL2/TTBR0_EL2 uses the table. Any CPU (the TLBI is inner
 *  shareable; for stage 2 it acts on the VMID in this CPU's VTTBR_EL2, so
 *  load the table there first).
 */
void hyp_pgtable_destroy(struct hyp_pgtable *pgt);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_MAPPING_H */
