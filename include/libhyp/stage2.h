/* SPDX-License-Identifier: MIT */
/**
 * @file stage2.h
 * @brief Stage-2 translation tables for guests, on the generic walker of
 *        libhyp/pgtable.h.
 *
 * **Stage 2.** hyp_s2_init() allocates the (concatenated) start-level
 * table and computes VTCR_EL2 and VTTBR_EL2; hyp_s2_map() installs block
 * mappings wherever alignment allows; the other calls unmap, change or
 * relax permissions, track dirty pages and the access flag, and split or
 * collapse blocks.
 *
 * **Cache maintenance** happens in the map path, only where a new mapping
 * needs it (the integrator's hooks do it): D-cache clean+invalidate to
 * the PoC when a valid leaf with Normal cacheable attributes is installed
 * and the CPU lacks FEAT_S2FWB; I-cache invalidation when an executable
 * leaf is installed, or execute permission added, and CTR_EL0.DIC is 0.
 * Nothing when the same mapping is already there (a spurious fault, or a
 * vCPU that lost a race), and nothing for split or collapse, which keep
 * the mapping.
 *
 * **Break-before-make.** Changing a valid entry's output address, size or
 * memory type writes it invalid, DSB ISH, TLBI, DSB ISH, then the new
 * entry. Permission changes are made in place and followed by a TLBI;
 * installing into an invalid entry needs no TLBI.
 *
 * **Concurrency.** Two modes. *Exclusive* (the default): the caller
 * guarantees no other walker runs on the table. *Shared*
 * (HYP_MAP_SHARED, for hyp_s2_map() and hyp_s2_relax() only): any number
 * of CPUs fault in concurrently under the integrator's read lock; entries
 * change only by compare-and-swap, permissions are only added, nothing is
 * broken or freed, and an entry another CPU is installing returns
 * HYP_EAGAIN (retry the fault). Exclusive operations exclude shared ones
 * (the integrator's write lock).
 *
 * **Errors.** Bad input (unaligned address or size, size 0, a range that
 * overflows or leaves the input-address space, an output address beyond
 * PARange, an invalid attribute combination, unknown flags) returns an
 * error and changes nothing. HYP_ENOMEM from the allocation hook leaves no
 * partly built table reachable and leaks nothing: new tables are built
 * completely before they are linked; what the operation finished before
 * the failure stays done.
 *
 * **EL2 stage 1** is declared in libhyp/el2_pgtable.h and what both
 * stages share in libhyp/mapping.h. This header still includes
 * libhyp/el2_pgtable.h so that existing users build; include it directly:
 * the compatibility include goes in the next minor release.
 */
#ifndef LIBHYP_STAGE2_H
#define LIBHYP_STAGE2_H

#include <stdbool.h>
#include <stdint.h>

#include <libhyp/pgtable.h>
#include <libhyp/mapping.h>
/* Compatibility (see the file comment). */
#include <libhyp/el2_pgtable.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Flags for hyp_s2_map() and hyp_s2_relax(). */
enum hyp_map_flags {
	HYP_MAP_SHARED = 1u << 0, /**< shared (concurrent-fault) mode; see the file comment */
	HYP_MAP_PAGES = 1u << 1,  /**< no block mappings (e.g. while logging dirty pages) */
	HYP_MAP_FORCE = 1u << 2,  /**< map over owner annotations (hyp_s2_annotate_invalid()) */
	/**
	 * hyp_s2_map() only, exclusive mode only (HYP_EINVAL with
	 * HYP_MAP_SHARED): one I-cache hook call for the whole output range,
	 * before the first leaf is written, in place of one per new (or newly
	 * executable) leaf. For a large executable mapping made at once, e.g.
	 * a VM's RAM at creation (docs/stage2.md, "Guest RAM at VM creation").
	 */
	HYP_MAP_IC_ONCE = 1u << 3,
};

/**
 * @name Stage 2
 * @{
 */

/**
 * @brief Initialise a stage-2 table: allocate the start-level table
 *        (up to 16 concatenated pages) and compute VTCR_EL2 and VTTBR_EL2
 *        (pgt->ctlr, pgt->ttbr).
 *
 * The start level is the one with the fewest levels for cfg->ia_bits,
 * concatenating up to 16 tables (Arm ARM D8, "Concatenated translation
 * tables"): 25-34 IPA bits start at level 2, 35-43 at level 1, 44-48 at
 * level 0. VTCR_EL2: T0SZ = 64 - ia_bits, SL0 for that level, 4K granule,
 * inner-shareable write-back walks, PS from cfg->pa_bits, VS from
 * cfg->vmid16, RES1 bit 31; hardware access-flag and dirty management
 * (HA, HD) off (Arm ARM, VTCR_EL2).
 *
 * Hardware: none (one zalloc_pages call). Cost: O(1).
 * @param pgt the table to initialise (the caller's memory)
 * @param cfg the CPU's features, from cpufeat; copied
 * @param ops the hooks (must outlive @p pgt)
 * @param ctx stored in pgt->ctx for the hooks
 * @param vmid the VMID in VTTBR_EL2[63:48] (8 bits unless cfg->vmid16)
 * @return 0; HYP_EINVAL for a bad cfg, ops or VMID; HYP_ENOTSUP for a
 *         16K/64K granule; HYP_ENOMEM; HYP_EFAULT if the pages returned
 *         are not aligned to their size.
 * @concurrency Any CPU, before the table is shared; writes only @p pgt and
 *  the page from zalloc_pages.
 */
int hyp_s2_init(struct hyp_pgtable *pgt, const struct hyp_pgtable_cfg *cfg,
		const struct hyp_pgtable_ops *ops, void *ctx, uint16_t vmid);

/**
 * @brief Write VTCR_EL2 and VTTBR_EL2 for this table, then ISB.
 *
 * Hardware: two MSRs and an ISB. Do it before maintenance on a live
 * table: the TLBIs act on the VMID in VTTBR_EL2.
 * @param pgt a stage-2 table
 * @return 0, or HYP_EINVAL if @p pgt is not an initialised stage-2 table
 * @concurrency Writes the calling CPU's VTCR_EL2/VTTBR_EL2: on the CPU that
 *  will run the VM's vCPU or do maintenance on its table. Reads only @p pgt.
 */
int hyp_s2_load(const struct hyp_pgtable *pgt);

/**
 * @brief Map [@p ipa, @p ipa + @p size) to [@p pa, @p pa + @p size), with
 *        the largest blocks alignment allows (1G, 2M, else 4K pages).
 *
 * In exclusive mode the range ends up exactly as requested: entries that
 * already map the same output address and memory type are updated in
 * place (permissions; TLBI if they change), others are replaced with
 * break-before-make, a block only partly covered is split, and tables
 * under a new block are freed. In shared mode (HYP_MAP_SHARED) existing
 * permissions are only extended, and a conflicting mapping returns
 * HYP_EAGAIN.
 *
 * A fault-in of one 4K page whose tables exist costs one PTE read per
 * level, one compare-and-swap (shared) or store, at most one D-cache and
 * one I-cache hook call, one get_page, and no TLBI and no barrier.
 *
 * With HYP_MAP_IC_ONCE (exclusive mode) an executable range of more than
 * one page that needs I-cache maintenance (the hook present, no DIC) gets
 * exactly one I-cache hook call, for [@p pa, @p pa + @p size), after the
 * checks and before any entry changes, and none per leaf (new leaves,
 * execute permission added in place); the D-cache rule is unchanged (one
 * call per new Normal cacheable leaf without FWB). The call is made even
 * when the range turns out to be mapped already. For one page (one leaf)
 * the flag changes nothing. Invalidating before the leaves exist is as
 * correct as before each leaf: nothing can fetch through a leaf that is
 * not there yet.
 * @param pgt a stage-2 table
 * @param ipa input address, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @param pa output address, 4K-aligned, below 2^pa_bits
 * @param prot HYP_PROT_* | HYP_MEM_*
 * @param flags HYP_MAP_SHARED, HYP_MAP_PAGES, HYP_MAP_FORCE, HYP_MAP_IC_ONCE
 * @return 0; HYP_EINVAL / HYP_ERANGE for bad input (nothing changed;
 *         HYP_MAP_IC_ONCE with HYP_MAP_SHARED is HYP_EINVAL);
 *         HYP_ENOMEM; HYP_EAGAIN (shared mode: a concurrent or conflicting
 *         update, retry).
 * @concurrency Exclusive (no flag): no other walker on @p pgt, the
 *  integrator's write lock. HYP_MAP_SHARED: any number of CPUs at once under
 *  the integrator's read lock (entries change by compare-and-swap; the
 *  hooks must be thread-safe). Any CPU; for a live table, one whose
 *  VTTBR_EL2 holds it (hyp_s2_load()), as the TLBI hooks act on the
 *  current VMID.
 */
int hyp_s2_map(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa, unsigned int prot,
	       unsigned int flags);

/**
 * @brief Unmap [@p ipa, @p ipa + @p size): leaves become invalid, blocks
 *        partly covered are split first, and table pages left empty are
 *        unlinked and freed (after their TLB invalidation completes).
 *
 * No cache maintenance. TLBIs are batched: up to 16 by address, more as
 * one tlbi_range; one DSB ISH before and after each batch.
 * @return 0; HYP_EINVAL / HYP_ERANGE for bad input; HYP_ENOMEM if a
 *         partly covered block could not be split.
 * @param pgt a stage-2 table
 * @param ipa start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's write
 *  lock for the table). Any CPU; if the table is live, that CPU's VTTBR_EL2
 *  must hold it (hyp_s2_load()), as the TLBI hooks act on the current VMID.
 */
int hyp_s2_unmap(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size);

/**
 * @brief Set the permissions of every mapped page in [@p ipa, @p ipa +
 *        @p size) to @p prot (HYP_PROT_R/W/X only), splitting blocks partly
 *        covered. Adding execute permission invalidates the I-cache for
 *        that leaf first.
 *
 * Execute permission on Device memory is refused as hyp_s2_map() refuses
 * it: when @p prot has HYP_PROT_X and a leaf in the range is Device, the
 * call returns HYP_EINVAL before changing anything (a read-only walk of
 * the range comes first, only when X is asked for).
 * @return 0; HYP_EINVAL / HYP_ERANGE for bad input (a NULL or
 *         uninitialised table, X on Device memory: nothing changed);
 *         HYP_ENOMEM (a split).
 * @param pgt a stage-2 table
 * @param ipa start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @param prot HYP_PROT_R/W/X
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's write
 *  lock for the table). Any CPU; if the table is live, that CPU's VTTBR_EL2
 *  must hold it (hyp_s2_load()), as the TLBI hooks act on the current VMID.
 */
int hyp_s2_protect(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size, unsigned int prot);

/**
 * @brief The permission-fault and access-flag-fault path: add @p prot
 *        (HYP_PROT_R/W/X, may be 0) and the access flag to the leaf that
 *        maps @p ipa (the whole block if it is one).
 *
 * Nothing happens when the leaf already allows it (a spurious fault or a
 * lost race): no write, no CMO, no TLBI. Adding execute permission
 * invalidates the I-cache for the leaf before the entry changes (unless
 * DIC); a permission change is followed by a TLBI for the leaf.
 * @param pgt a stage-2 table
 * @param ipa the faulting IPA (any address in the page); for a permission
 *        fault take it from hyp_vcpu_fault_ipa(), not from HPFAR_EL2,
 *        which is UNKNOWN there (see hyp_s2_wrprotect())
 * @param prot the permissions to add: HYP_PROT_R, HYP_PROT_W, HYP_PROT_X
 * @param flags HYP_MAP_SHARED for the concurrent-fault mode
 * @return 0; HYP_ENOENT if @p ipa is not mapped; HYP_EINVAL for bad
 *         @p prot or execute on Device memory; HYP_ERANGE; HYP_EAGAIN
 *         (shared: another CPU is updating the entry).
 * @concurrency As hyp_s2_map(): exclusive, or with HYP_MAP_SHARED under
 *  the integrator's read lock, concurrently with other shared faults. On the
 *  CPU that took the fault (its VTTBR_EL2 holds the table).
 */
int hyp_s2_relax(struct hyp_pgtable *pgt, uint64_t ipa, unsigned int prot, unsigned int flags);

/**
 * @brief Start dirty logging on [@p ipa, @p ipa + @p size): remove write
 *        permission from every mapped page (splitting blocks partly
 *        covered), with batched TLBIs. Guest writes then take stage-2
 *        permission faults; the integrator relaxes them with
 *        hyp_s2_relax(..., HYP_PROT_W, ...) and they read as dirty.
 *
 * The faulting IPA: HPFAR_EL2 is UNKNOWN for a stage-2 permission fault
 * taken with ESR_EL2.ISS.S1PTW = 0 (Arm ARM D24.2.76 HPFAR_EL2), on every
 * CPU, and a dirty-logging write fault is exactly that. Do not read it
 * there; the fault handler does:
 * @code
 * uint64_t ipa;
 * int ret = hyp_vcpu_fault_ipa(vcpu, &ipa); // HPFAR_EL2 if hyp_esr_hpfar_valid(esr),
 *                                           // else AT S1E1R on FAR_EL2 + PAR_EL1
 * if (ret == HYP_EAGAIN)
 *         return;  // the guest's stage 1 changed under it: resume, it faults again
 * if (ret == 0)
 *         ret = hyp_s2_relax(pgt, ipa, HYP_PROT_W, HYP_MAP_SHARED);
 * @endcode
 * (hyp_esr_hpfar_valid() in libhyp/esr.h and hyp_vcpu_fault_ipa() in
 * libhyp/switch.h.)
 * @return as hyp_s2_protect().
 * @param pgt a stage-2 table
 * @param ipa start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's write
 *  lock for the table). Any CPU; if the table is live, that CPU's VTTBR_EL2
 *  must hold it (hyp_s2_load()), as the TLBI hooks act on the current VMID.
 */
int hyp_s2_wrprotect(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size);

/**
 * @brief Report the dirty pages of [@p ipa, @p ipa + @p size): a page is
 *        dirty when it is mapped writable (written since the last
 *        write-protect). Sets bit n of @p bitmap for the page at @p ipa +
 *        n * 4K (bits of clean pages are left alone); with @p clear,
 *        write-protects the dirty pages again (TLBIs batched), splitting
 *        blocks partly covered.
 * @param pgt a stage-2 table
 * @param ipa start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @param bitmap (size / 4K) bits, in 64-bit words
 * @param clear write-protect the dirty pages again
 * @return 0; HYP_EINVAL / HYP_ERANGE for bad input; HYP_ENOMEM (a split).
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's write
 *  lock for the table). Any CPU; if the table is live, that CPU's VTTBR_EL2
 *  must hold it (hyp_s2_load()), as the TLBI hooks act on the current VMID.
 */
int hyp_s2_dirty_log(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t *bitmap,
		     bool clear);

/**
 * @brief Ageing: count the leaves that overlap [@p ipa, @p ipa + @p size)
 *        whose access flag is set (a block counts once), and with @p clear
 *        clear it on those whole leaves (in place: the entry stays valid).
 *
 * No TLBI and no barrier (as Linux's test-and-clear-young without flush).
 * The cost is accuracy, in one direction: a TLB may keep the entry it
 * cached with AF = 1, and guest accesses that hit it neither fault nor set
 * the flag (VTCR_EL2.HA = 0), so the page can look idle (not accessed)
 * while the guest still uses it, never the other way round. Only an
 * access that walks the table takes the access-flag fault, which
 * hyp_s2_relax() with prot 0 answers (AF set again, no TLBI).
 *
 * Hardware: one PTE read per entry visited and one PTE write per leaf
 * cleared. Exclusive mode only.
 * @return the number of young leaves (>= 0), or HYP_EINVAL / HYP_ERANGE.
 * @param pgt a stage-2 table
 * @param ipa start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @param clear clear the access flag of the young leaves
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's write
 *  lock). Any CPU (no TLBI).
 */
int hyp_s2_age(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size, bool clear);

/**
 * @brief Split every block that overlaps [@p ipa, @p ipa + @p size) into
 *        4K pages (eagerly, e.g. before dirty logging). Each block becomes
 *        a complete subtree built off-line, then one break-before-make.
 *        No cache maintenance (the mapping does not change).
 * @return 0; HYP_EINVAL / HYP_ERANGE; HYP_ENOMEM (blocks split before the
 *         failure stay split; the failed one is untouched).
 * @param pgt a stage-2 table
 * @param ipa start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's write
 *  lock for the table). Any CPU; if the table is live, that CPU's VTTBR_EL2
 *  must hold it (hyp_s2_load()), as the TLBI hooks act on the current VMID.
 */
int hyp_s2_split(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size);

/**
 * @brief Collapse, bottom-up, every table inside [@p ipa, @p ipa + @p size)
 *        whose entries are valid leaves mapping one aligned, contiguous
 *        range with identical attributes into one block (2M, then 1G),
 *        with break-before-make (one range TLBI) and the table page freed.
 *        No cache maintenance (the mapping does not change).
 * @return the number of blocks made (>= 0), or HYP_EINVAL / HYP_ERANGE.
 * @param pgt a stage-2 table
 * @param ipa start of the range, 4K-aligned
 * @param size bytes, a non-zero multiple of 4K
 * @concurrency Exclusive: no other walker on @p pgt (the integrator's write
 *  lock for the table). Any CPU; if the table is live, that CPU's VTTBR_EL2
 *  must hold it (hyp_s2_load()), as the TLBI hooks act on the current VMID.
 */
int hyp_s2_collapse(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size);

/**
 * @brief Set the integrator's software bits (HYP_PTE_SW_USER_MASK, bits
 *        [58:56] in the API's numbering) of the leaf that maps @p ipa (the
 *        whole block if it is one): bits in @p mask take their value from
 *        @p val.
 *
 * The hardware ignores these bits (Arm ARM D8.3), so no TLBI, barrier or
 * cache maintenance follows: one descriptor write (compare-and-swap in
 * shared mode). libhyp's lock bit (hyp_pgtable_cfg::lock_bit, 55 by
 * default) cannot be set here. The numbering does not depend on where the
 * lock is: with the lock moved to bit n (56..58), the API's bit n is stored
 * in descriptor bit 55 (HYP_PTE_SW_USER_MASK, hyp_pgtable_sw_to_pte()).
 * @param pgt a stage-2 table
 * @param ipa any address in the leaf
 * @param mask the bits to change, within HYP_PTE_SW_USER_MASK
 * @param val their new values (within @p mask)
 * @param flags 0, or HYP_MAP_SHARED for the concurrent-fault mode
 * @return 0; HYP_EINVAL for a table that is not stage 2, @p mask or @p val
 *         outside HYP_PTE_SW_USER_MASK, @p val outside @p mask, or unknown
 *         @p flags; HYP_ERANGE for @p ipa beyond the IPA size; HYP_ENOENT if
 *         @p ipa is not mapped; HYP_EAGAIN (shared) if another CPU owns the
 *         entry. Nothing changes on error.
 * @concurrency As hyp_s2_relax(): exclusive, or with HYP_MAP_SHARED under
 *  the integrator's read lock, concurrently with shared faults (a lost
 *  compare-and-swap is retried). Any CPU: it touches no register. Cost: a
 *  walk to the leaf and one write.
 */
int hyp_s2_set_sw_bits(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t mask, uint64_t val,
		       unsigned int flags);

/**
 * @brief Read the integrator's software bits (HYP_PTE_SW_USER_MASK, in the
 *        API's numbering whatever the table's lock bit) of the leaf that
 *        maps @p ipa.
 * @param pgt a stage-2 table
 * @param ipa any address in the leaf
 * @param[out] val the bits, in place (unchanged on error)
 * @return 0; HYP_EINVAL for a NULL @p val or a table that is not stage 2;
 *         HYP_ERANGE; HYP_ENOENT if @p ipa is not mapped.
 * @concurrency Any CPU, any time the table is not being destroyed: a
 *  single-copy-atomic read of the leaf, no lock. Touches no register. Cost:
 *  a walk to the leaf.
 */
int hyp_s2_get_sw_bits(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t *val);

/** @brief Where an owner annotation keeps the owner in an invalid
 *         descriptor: bits [17:2] (bit 0, valid, is 0; the hardware ignores
 *         every other bit of an invalid descriptor, Arm ARM D8.3). */
#define HYP_S2_OWNER_SHIFT 2
/** @brief The owner field of an annotated invalid descriptor. */
#define HYP_S2_OWNER_MASK (0xffffull << HYP_S2_OWNER_SHIFT)
/** @brief The largest owner id (0 means "no owner"). */
#define HYP_S2_OWNER_MAX 0xffffu

/**
 * @brief Annotate the unmapped pages [@p ipa, @p ipa + @p size) with an
 *        owner id stored in their invalid descriptors (as pKVM records
 *        which component owns memory the guest may not map), or clear the
 *        annotation with @p owner 0.
 *
 * Every page gets a level-3 invalid entry holding @p owner in
 * HYP_S2_OWNER_MASK (tables are allocated down to level 3 as needed; an
 * annotated entry keeps its table alive like a mapping). hyp_s2_map()
 * refuses an annotated page with HYP_EPERM (nothing mapped) unless called
 * with HYP_MAP_FORCE, which replaces the annotation; hyp_s2_unmap(),
 * protect, relax, dirty logging and ageing leave annotations alone.
 * Clearing does not free tables that become empty (hyp_pgtable_destroy()
 * does). No TLBI: the entries are invalid before and after.
 * @param pgt a stage-2 table
 * @param ipa page-aligned start
 * @param size page-aligned size, not 0
 * @param owner 1..HYP_S2_OWNER_MAX, or 0 to clear
 * @return 0; HYP_EINVAL for a table that is not stage 2, unaligned or empty
 *         range, or @p owner above the maximum; HYP_ERANGE past the IPA
 *         size; HYP_EEXIST if a page of the range is mapped; HYP_EAGAIN if
 *         an entry is locked by a shared-mode walker (nothing changed for
 *         these); HYP_ENOMEM if a table could not be allocated (the pages
 *         before the failure are annotated: call again or clear them).
 * @concurrency Exclusive: the integrator's write lock on the table (no
 *  other walker). Any CPU; touches no register. Cost: one walk per page,
 *  plus a table page per 2 MiB (and per 1 GiB) not yet populated.
 */
int hyp_s2_annotate_invalid(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size,
			    unsigned int owner);

/**
 * @brief Read back the owner annotation of the page at @p ipa.
 * @param pgt a stage-2 table
 * @param ipa any address in the page
 * @param[out] owner the owner, 0 for an unannotated unmapped page
 *             (unchanged on error)
 * @return 0; HYP_EEXIST if the page is mapped (it has no annotation);
 *         HYP_EINVAL for a NULL @p owner or a table that is not stage 2;
 *         HYP_ERANGE; HYP_EAGAIN if a shared-mode walker holds the entry.
 * @concurrency Any CPU, any time the table is not being destroyed (one
 *  read of each entry on the walk); touches no register. Cost: one walk.
 */
int hyp_s2_get_owner(struct hyp_pgtable *pgt, uint64_t ipa, unsigned int *owner);
/** @} */

/**
 * @name Stage-2 fault entry
 * @{
 */

/**
 * @brief Map one 4K page at @p ipa to @p pa: hyp_s2_map(pgt, ipa, 4096,
 *        pa, prot, flags) on a path made for stage-2 faults.
 *
 * The result is that of hyp_s2_map() for the same arguments: the same
 * tables, byte for byte, the same hook calls in the same order and the
 * same hardware accesses (PTE reads, compare-and-swap, stores, barriers,
 * TLBIs), with one exception: when the configuration declares a linear
 * map (hyp_pgtable_cfg::linear_map), the walk adds
 * hyp_pgtable_cfg::linear_offset to a table's physical address instead of
 * calling phys_to_virt at each level. A fresh page under existing tables
 * is installed inline: the leaf is the memory type's and permissions'
 * template built at init (hyp_pgtable::mem_attr, perm_attr) with the
 * output address, the walk uses the 4K granule's constant shifts, and the
 * rules of the file comment hold: D-cache clean+invalidate to the PoC and
 * I-cache invalidation only where the new leaf needs them (no FWB /
 * executable without DIC), in shared mode under the entry's lock, then
 * one get_page. Anything else (a missing table, a block, a page already
 * mapped, more permissions for a mapped page, a conflicting mapping, an
 * annotation) goes through hyp_s2_map()'s own leaf code from where the
 * walk stopped, with break-before-make and TLBIs as there.
 *
 * Hardware and cost, fresh page under existing tables: one PTE read per
 * level, one store (exclusive) or compare-and-swap (shared; two accesses
 * when a CMO is due: the lock, then the store), at most one D-cache and
 * one I-cache hook call, one get_page; no TLBI, no barrier. On the host
 * backend (x86-64, callgrind, seam and hooks excluded) 145 instructions
 * with FWB and the linear map declared, 154 through phys_to_virt, against
 * 227 for hyp_s2_map() (docs/stage2.md).
 * @param pgt a stage-2 table
 * @param ipa input address, 4K-aligned, below 2^ia_bits
 * @param pa output address, 4K-aligned, below 2^pa_bits
 * @param prot HYP_PROT_* | HYP_MEM_* (no HYP_PROT_X with a Device type)
 * @param flags HYP_MAP_SHARED, HYP_MAP_PAGES (no effect on one page),
 *        HYP_MAP_FORCE
 * @return as hyp_s2_map(): 0; HYP_EINVAL / HYP_ERANGE for bad input
 *         (nothing changed, no hook called); HYP_ENOMEM; HYP_EPERM (an
 *         owner annotation without HYP_MAP_FORCE); HYP_EAGAIN (shared mode:
 *         a concurrent or conflicting update, retry the fault).
 * @concurrency As hyp_s2_map(): exclusive without HYP_MAP_SHARED (the
 *  integrator's write lock), any number of CPUs at once with it (the read
 *  lock; the hooks must be thread-safe); for a live table, on a CPU whose
 *  VTTBR_EL2 holds it (the TLBI hooks act on the current VMID).
 */
int hyp_s2_fault_map_4k(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t pa, unsigned int prot,
			unsigned int flags);

/**
 * @brief Map one 2M block at @p ipa to @p pa: hyp_s2_map(pgt, ipa, 2 MiB,
 *        pa, prot, flags) on a path made for stage-2 faults.
 *
 * The block analogue of hyp_s2_fault_map_4k(). A fresh block (the level-2
 * entry invalid and not annotated) under existing tables is installed
 * inline: the walk with the 4K granule's constant shifts from the start
 * level (0 to 2), the linear map when declared (hyp_pgtable_cfg::linear_map,
 * no phys_to_virt call) or the phys_to_virt hook loaded once, the block
 * descriptor from the template built at init (the page template's
 * attributes with block type bits), then the rules of the file comment:
 * D-cache clean+invalidate to the PoC of the whole block and I-cache
 * invalidation only where the new leaf needs them (no FWB / executable
 * without DIC), in shared mode under the entry's lock, one store or
 * compare-and-swap, one get_page (none when level 2 is the pgd's level).
 * Everything else (input that is not 2M-aligned, bad input,
 * HYP_MAP_PAGES or HYP_MAP_FORCE, a table with owner annotations, a
 * missing table, a valid or locked level-2 entry, a lost race) is
 * hyp_s2_map() with the same arguments, from the start, so the tables,
 * hook calls, return values, break-before-make and TLBIs are those of
 * hyp_s2_map(); the only difference is the fast walk's PTE reads before it
 * (at most three) and, with the linear map declared, no phys_to_virt call
 * on that walk.
 *
 * Hardware and cost, fresh block under existing tables: one PTE read per
 * level, one store (exclusive) or compare-and-swap (shared; the lock then a
 * store when a CMO is due), at most one D-cache and one I-cache hook call
 * over 2 MiB, one get_page; no TLBI, no barrier. On the host backend
 * (x86-64, callgrind, seam and hooks excluded) 144 instructions with FWB
 * and the linear map declared, 161 through phys_to_virt (179 / 162
 * without FWB), against 572 / 581 for hyp_s2_map() (docs/stage2.md,
 * "The fault entry").
 * @param pgt a stage-2 table
 * @param ipa input address, 2M-aligned for the inline path, below
 *        2^ia_bits
 * @param pa output address, 2M-aligned for the inline path, below
 *        2^pa_bits
 * @param prot HYP_PROT_* | HYP_MEM_* (no HYP_PROT_X with a Device type)
 * @param flags HYP_MAP_SHARED, HYP_MAP_PAGES, HYP_MAP_FORCE,
 *        HYP_MAP_IC_ONCE (the last three through hyp_s2_map())
 * @return as hyp_s2_map(pgt, ipa, 2 MiB, pa, prot, flags): 0; HYP_EINVAL /
 *         HYP_ERANGE for bad input (nothing changed, no hook called);
 *         HYP_ENOMEM; HYP_EPERM; HYP_EAGAIN (shared mode).
 * @concurrency As hyp_s2_map(): exclusive without HYP_MAP_SHARED (the
 *  integrator's write lock), any number of CPUs at once with it (the read
 *  lock; the hooks must be thread-safe); for a live table, on a CPU whose
 *  VTTBR_EL2 holds it.
 */
int hyp_s2_fault_map_2m(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t pa, unsigned int prot,
			unsigned int flags);
/** @} */

/* ---- statistics (issue 15) ---- */
/**
 * @name Stage-2 statistics
 * @{
 */

/**
 * @brief Read the cache maintenance @p pgt's walker asked for
 *        (hyp_pgtable::stats, see ::hyp_s2_stats). Touches no hardware;
 *        four relaxed atomic loads.
 * @param pgt the table
 * @param[out] out the counters (unchanged on error)
 * @return 0, or HYP_EINVAL for a NULL argument
 * @concurrency Any CPU, also while others map (each counter is read
 *  atomically; the four together are a snapshot that may tear).
 */
int hyp_s2_stats(const struct hyp_pgtable *pgt, struct hyp_s2_stats *out);

/**
 * @brief Zero @p pgt's statistics. Touches no hardware.
 * @param pgt the table
 * @return 0, or HYP_EINVAL for NULL
 * @concurrency Any CPU (relaxed atomic stores); an update racing with it
 *  may be kept or lost.
 */
int hyp_s2_stats_reset(struct hyp_pgtable *pgt);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_STAGE2_H */
