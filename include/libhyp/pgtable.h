/* SPDX-License-Identifier: MIT */
/**
 * @file pgtable.h
 * @brief The generic arm64 translation-table walker under the stage-2 and
 *        EL2 stage-1 APIs (libhyp/stage2.h): descriptor encodings, the
 *        feature configuration, the integrator's hooks, and the walker.
 *
 * Tables hold the real VMSAv8-64 descriptors (Arm ARM DDI 0487, D8.3
 * "Translation table descriptor formats"), so a table built on the host
 * backend is byte-for-byte what the hardware walker reads.
 *
 * Granules: the 4K granule is implemented; the level geometry (bits per
 * level, block levels, output-address mask) is computed from
 * hyp_pgtable_cfg::granule_shift so that 16K and 64K need no change of
 * structure, but init refuses them today (HYP_ENOTSUP). 52-bit addresses
 * (FEAT_LPA/LPA2) are not used: output addresses stop at bit 47.
 *
 * Memory: libhyp allocates nothing itself. Table pages come from the
 * zalloc_pages hook and go back through free_pages; every other resource
 * (the struct hyp_pgtable, bitmaps) is the caller's.
 */
#ifndef LIBHYP_PGTABLE_H
#define LIBHYP_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief One translation-table descriptor (64-bit, little-endian). */
typedef uint64_t hyp_pte_t;

/**
 * @name Descriptor bits common to both stages (Arm ARM D8.3)
 * @{
 */
/** Bit 0: the descriptor is valid. */
#define HYP_PTE_VALID (1ull << 0)
/** Bit 1: table (levels 0-2) or page (level 3); 0 with VALID is a block. */
#define HYP_PTE_TYPE (1ull << 1)
/** Bits [1:0] of a table or page descriptor. */
#define HYP_PTE_TYPE_TABLE 3ull
/** Bits [1:0] of a block descriptor. */
#define HYP_PTE_TYPE_BLOCK 1ull
/** Bits [47:12]: output address (4K granule; 16K/64K use [47:14]/[47:16]). */
#define HYP_PTE_OA_MASK 0x0000fffffffff000ull
/** Bits [9:8] SH = 0b11: Inner Shareable. */
#define HYP_PTE_SH_IS (3ull << 8)
/** Bit 10: Access flag. */
#define HYP_PTE_AF (1ull << 10)
/** Bit 52: Contiguous hint (never set by libhyp). */
#define HYP_PTE_CONT (1ull << 52)
/** Bits [58:55]: reserved for software use; ignored by hardware. */
#define HYP_PTE_SW_MASK (0xfull << 55)
/**
 * libhyp's lock in its default position, bit 55 (hyp_pgtable_cfg::lock_bit
 * 0 or 55). As a whole descriptor it is an invalid entry (bit 0 clear, so
 * ignored by the hardware walker) that a shared-mode walker writes with
 * compare-and-swap to own an entry while it does the cache maintenance of
 * a new leaf; on a valid leaf it marks the entry owned while the I-cache is
 * invalidated for it. Other shared walkers that meet it back off with
 * HYP_EAGAIN. A table whose lock was moved uses hyp_pgtable::lock_mask
 * instead; the library itself always reads that field.
 */
#define HYP_PTE_LOCKED (1ull << 55)
/** The default hyp_pgtable_cfg::lock_bit (also what 0 selects). */
#define HYP_PTE_LOCK_BIT_DEFAULT 55u
/**
 * Bits [58:56]: the integrator's software bits as hyp_s2_set_sw_bits() and
 * hyp_s2_get_sw_bits() number them, whatever the table's lock bit. Of the
 * four bits the architecture leaves to software (bits [58:55] are IGNORED
 * by the hardware walker, Arm ARM D8.3), one is libhyp's lock (bit 55 by
 * default, or the one hyp_pgtable_cfg::lock_bit chooses; set transiently by
 * shared-mode walkers) and the other three are yours.
 *
 * Where they are in a descriptor: the API's bit n (56..58) is descriptor
 * bit n, except the API bit whose number is the lock bit, which is stored
 * in descriptor bit 55. With the default lock the API bits are the
 * descriptor's bits [58:56]; with hyp_pgtable_cfg::lock_bit = 58 the API's
 * bits 56 and 57 are descriptor bits 56 and 57 and the API's bit 58 is
 * descriptor bit 55 (hyp_pgtable_sw_to_pte() / hyp_pgtable_sw_from_pte()
 * convert). So code written against this API keeps its meaning when the
 * lock moves, and a descriptor reader that already owns bit 55 keeps it by
 * moving the lock.
 *
 * They are kept by permission changes, relax, dirty logging, ageing, a
 * re-map of the same page, and a split (every smaller leaf inherits them);
 * a new mapping of another output address, an unmap and a collapse (which
 * takes the first page's bits) do not keep them.
 */
#define HYP_PTE_SW_USER_MASK (0x7ull << 56)
/** @} */

/**
 * @name Stage-2 block/page descriptor attributes (Arm ARM D8.3)
 * @{
 */
/** Bits [5:2] MemAttr. */
#define HYP_S2_PTE_MEMATTR_MASK (0xfull << 2)
/** MemAttr field value @p v. */
#define HYP_S2_PTE_MEMATTR(v) ((uint64_t)(v) << 2)
/** Bit 6 S2AP[0]: stage-2 read access. */
#define HYP_S2_PTE_S2AP_R (1ull << 6)
/** Bit 7 S2AP[1]: stage-2 write access. */
#define HYP_S2_PTE_S2AP_W (1ull << 7)
/** Bit 53 XN[0] (FEAT_XNX); always written 0 by libhyp. */
#define HYP_S2_PTE_XN0 (1ull << 53)
/** Bit 54 XN[1]: execute-never at EL1 and EL0 (with XN[0] = 0). */
#define HYP_S2_PTE_XN (1ull << 54)
/** @} */

/**
 * @name Stage-2 MemAttr values (Arm ARM D8, stage 2 memory type and cacheability)
 * Without FEAT_S2FWB MemAttr[3:2] is the outer and MemAttr[1:0] the inner
 * cacheability (0b11 write-back, 0b01 non-cacheable) or, when
 * MemAttr[3:2] = 0b00, the Device type. With HCR_EL2.FWB = 1 MemAttr[2]
 * selects Normal (1) or Device (0) and MemAttr[1:0] the Normal kind (0b10
 * forces write-back, 0b01 non-cacheable) or the Device type.
 * @{
 */
#define HYP_S2_MEMATTR_NORMAL_WB	 0xfu /**< Normal, inner+outer write-back */
#define HYP_S2_MEMATTR_NORMAL_NC	 0x5u /**< Normal, inner+outer non-cacheable */
#define HYP_S2_MEMATTR_DEVICE_nGnRE	 0x1u /**< Device-nGnRE */
#define HYP_S2_MEMATTR_DEVICE_nGnRnE	 0x0u /**< Device-nGnRnE */
#define HYP_S2_MEMATTR_FWB_NORMAL_WB	 0x6u /**< FWB: Normal, forced write-back */
#define HYP_S2_MEMATTR_FWB_NORMAL_NC	 0x5u /**< FWB: Normal non-cacheable */
#define HYP_S2_MEMATTR_FWB_DEVICE_nGnRE	 0x1u /**< FWB: Device-nGnRE */
#define HYP_S2_MEMATTR_FWB_DEVICE_nGnRnE 0x0u /**< FWB: Device-nGnRnE */
/** @} */

/**
 * @name Stage-1 block/page descriptor attributes (Arm ARM D8.3; data access permissions)
 * For the EL2 translation regime. With HCR_EL2.E2H = 0 it has one
 * privilege level: AP[1] is RES1 and bit 54 is XN. With E2H = 1 (the EL2&0
 * regime) AP[1] grants EL0 access, bit 53 is PXN and bit 54 UXN.
 * @{
 */
/** Bits [4:2] AttrIndx: index into MAIR_EL2. */
#define HYP_S1_PTE_ATTRINDX(i) ((uint64_t)(i) << 2)
/** Bit 6 AP[1]: EL0 access (E2H = 1); RES1 when E2H = 0. */
#define HYP_S1_PTE_AP_EL0 (1ull << 6)
/** Bit 7 AP[2]: read-only. */
#define HYP_S1_PTE_AP_RO (1ull << 7)
/** Bit 11 nG: not global (never set: EL2 mappings are global). */
#define HYP_S1_PTE_NG (1ull << 11)
/** Bit 53 PXN: privileged execute-never (E2H = 1). */
#define HYP_S1_PTE_PXN (1ull << 53)
/** Bit 54 XN (E2H = 0) / UXN (E2H = 1). */
#define HYP_S1_PTE_XN (1ull << 54)
/** @} */

/**
 * @name MAIR_EL2 layout used by EL2 stage-1 tables (Arm ARM, MAIR_EL2)
 * @{
 */
#define HYP_MAIR_IDX_NORMAL_WB	   0u /**< 0xff: Normal, write-back, read/write-allocate */
#define HYP_MAIR_IDX_NORMAL_NC	   1u /**< 0x44: Normal, non-cacheable */
#define HYP_MAIR_IDX_DEVICE_nGnRE  2u /**< 0x04: Device-nGnRE */
#define HYP_MAIR_IDX_DEVICE_nGnRnE 3u /**< 0x00: Device-nGnRnE */
/** The MAIR_EL2 value matching the HYP_MAIR_IDX_* indices. */
#define HYP_MAIR_EL2_VALUE 0x000444ffull
/** @} */

/**
 * @brief CPU features and sizes a page table depends on, filled by the
 *        caller at boot.
 *
 * libhyp's cpufeat module provides every field from the sanitised ID
 * registers (ID_AA64MMFR0_EL1.PARange, ID_AA64MMFR2_EL1.FWB and .TTL,
 * ID_AA64ISAR0_EL1.TLB, ID_AA64MMFR1_EL1.VMIDBits, CTR_EL0.DIC, .IDC,
 * .DminLine and .IminLine); nothing here reads an ID register, so the map
 * path never does.
 */
struct hyp_pgtable_cfg {
	/** Physical-address bits from PARange: 32, 36, 40, 42, 44, 48 (52 is used as 48). */
	uint8_t pa_bits;
	/** Input-address bits: IPA bits (stage 2, at most pa_bits) or VA bits (EL2). */
	uint8_t ia_bits;
	/** 12 for the 4K granule (the only one implemented). */
	uint8_t granule_shift;
	/** log2 of the smallest D-cache line: CTR_EL0.DminLine + 2. */
	uint8_t dline_shift;
	/** log2 of the smallest I-cache line: CTR_EL0.IminLine + 2. */
	uint8_t iline_shift;
	/**
	 * CTR_EL0.L1Ip, the level-1 instruction-cache policy (Arm ARM D24.2.42
	 * CTR_EL0): HYP_L1IP_PIPT or HYP_L1IP_VIPT; take it from cpufeat's
	 * sanitised view (HYP_CPU_IDFIELD(CTR_EL0, L1Ip), where CPUs that
	 * disagree read as VIPT), never from CTR_EL0 on a hot path. Any value
	 * but HYP_L1IP_PIPT (0 included) makes hyp_pgtable_icache_inval_hw()
	 * invalidate the whole I-cache.
	 */
	uint8_t l1ip;
	/** FEAT_S2FWB, with HCR_EL2.FWB set by the caller: stage 2 forces write-back. */
	bool s2fwb;
	/** CTR_EL0.DIC: no I-cache invalidation needed for instruction/data coherence. */
	bool dic;
	/**
	 * CTR_EL0.IDC: no D-cache clean to the PoU needed for instruction/data
	 * coherence. Stage 2 does not need it: without FWB a new leaf is
	 * cleaned to the PoC anyway, with FWB CLIDR_EL1.{LoUU, LoUIS} are 0
	 * (Arm ARM D8.6.6), so no clean is needed whatever IDC.
	 */
	bool idc;
	/** FEAT_TTL: TLBI level hints. */
	bool ttl;
	/** FEAT_TLBIRANGE: range TLBIs. */
	bool tlbirange;
	/** 16-bit VMIDs (ID_AA64MMFR1_EL1.VMIDBits = 2); VTCR_EL2.VS is set. */
	bool vmid16;
	/**
	 * Which software bit (Arm ARM D8.3: bits [58:55] are IGNORED by the
	 * hardware walker) is libhyp's lock in this table: 55 to 58, or 0 for
	 * the default (HYP_PTE_LOCK_BIT_DEFAULT, 55). The other three are the
	 * integrator's (HYP_PTE_SW_USER_MASK explains how the API numbers
	 * them). Any other value makes init fail with HYP_EINVAL.
	 * hyp_pgtable_cfg_from_cpufeat() leaves it 0: set it after that call.
	 */
	uint8_t lock_bit;
	/**
	 * The table pages are in a linear map: the virtual address of the
	 * table page at physical address pa is pa + linear_offset (modulo
	 * 2^64), exactly what the phys_to_virt hook (or the identity, without
	 * one) returns. The fault entry hyp_s2_fault_map_4k() then adds the
	 * offset instead of calling phys_to_virt at each level; everything
	 * else keeps the hook. false (the default): the hook everywhere.
	 * Not from cpufeat: the integrator's declaration.
	 */
	bool linear_map;
	/** With linear_map: virtual minus physical address of table pages. */
	uint64_t linear_offset;
};

/**
 * @name CTR_EL0.L1Ip values (Arm ARM D24.2.42; 0b00 and 0b01 are reserved)
 * @{
 */
/** Virtual index, physical tag. */
#define HYP_L1IP_VIPT 2u
/** Physical index, physical tag. */
#define HYP_L1IP_PIPT 3u
/** @} */

struct hyp_pgtable;

/**
 * @brief The integrator's hooks: memory, address translation, cache and TLB
 *        maintenance. Every hook gets the page table (pgt->ctx is the
 *        integrator's pointer).
 *
 * Required: zalloc_pages and free_pages. Optional (NULL):
 * - get_page/put_page (both or neither): reference counts on table pages.
 *   Without them the walker finds empty tables by scanning their entries
 *   (512 reads) in unmap.
 * - virt_to_phys/phys_to_virt (both or neither): identity when NULL.
 * - dcache_clean_inval_poc: NULL when the hardware makes it unnecessary
 *   (FEAT_S2FWB, or coherent guests).
 * - icache_inval_pou: NULL when the hardware makes it unnecessary (DIC).
 * - tlbi_addr, tlbi_range, tlbi_all (all three or none): NULL only while
 *   the tables are not live (no CPU walks them), e.g. EL2 tables built
 *   before the MMU is on.
 *
 * Hooks called in shared mode (concurrent faults) must be thread-safe.
 * The hyp_pgtable_*_hw() functions below implement the CMO and TLB hooks
 * with libhyp/hw.h.
 */
struct hyp_pgtable_ops {
	/**
	 * @brief @p n zeroed, physically contiguous table pages, aligned to
	 *        @p n pages; NULL if none are available. n > 1 only for the
	 *        concatenated stage-2 start level (at most 16).
	 */
	void *(*zalloc_pages)(struct hyp_pgtable *pgt, unsigned int n);
	/** @brief Free @p n pages from zalloc_pages (whatever their count). */
	void (*free_pages)(struct hyp_pgtable *pgt, void *va, unsigned int n);
	/**
	 * @brief Add @p n references to the table page @p va. A table page
	 *        starts with one reference from zalloc_pages, and holds one
	 *        more per non-zero entry.
	 */
	void (*get_page)(struct hyp_pgtable *pgt, void *va, unsigned int n);
	/** @brief Drop @p n references; returns the count left (1 = empty). */
	unsigned int (*put_page)(struct hyp_pgtable *pgt, void *va, unsigned int n);
	/** @brief Physical address of the table page at @p va. */
	uint64_t (*virt_to_phys)(struct hyp_pgtable *pgt, void *va);
	/** @brief Virtual address of the table page at @p pa. */
	void *(*phys_to_virt)(struct hyp_pgtable *pgt, uint64_t pa);
	/**
	 * @brief Clean and invalidate the D-cache to the PoC for the memory a
	 *        new leaf maps: output address @p pa, @p size bytes (the
	 *        leaf's size: 4K, 2M or 1G). Called before the leaf becomes
	 *        visible. Must complete (DSB) before returning.
	 */
	void (*dcache_clean_inval_poc)(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size);
	/**
	 * @brief Invalidate the I-cache to the PoU for @p size bytes at output
	 *        address @p pa, before an executable leaf becomes visible.
	 */
	void (*icache_inval_pou)(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size);
	/**
	 * @brief Invalidate the TLB entries for input address @p addr, whose
	 *        leaf was at @p level (0: unknown or a table entry). The
	 *        walker has issued DSB ISH before and issues DSB ISH after;
	 *        the hook issues the TLBIs (and any DSB between them).
	 */
	void (*tlbi_addr)(struct hyp_pgtable *pgt, uint64_t addr, unsigned int level);
	/**
	 * @brief Invalidate TLB entries for [@p addr, @p addr + @p size),
	 *        leaves at @p level (0: unknown or mixed). Same barriers as
	 *        tlbi_addr.
	 */
	void (*tlbi_range)(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size,
			   unsigned int level);
	/** @brief Invalidate every TLB entry of this table (VMID or EL2). */
	void (*tlbi_all)(struct hyp_pgtable *pgt);
};

/** @brief Which translation regime a page table is for. */
enum hyp_pgtable_stage {
	HYP_PGT_STAGE2 = 1,  /**< stage 2 of the EL1&0 regime (VTTBR_EL2) */
	HYP_PGT_EL2 = 2,     /**< EL2 stage 1, HCR_EL2.E2H = 0 (TTBR0_EL2) */
	HYP_PGT_EL2_VHE = 3, /**< EL2&0 stage 1, HCR_EL2.E2H = 1 (TTBR0_EL2) */
};

/* ---- statistics (issue 15) ---- */

/**
 * @brief Cache maintenance a table's walker asked of its hooks
 *        (hyp_pgtable_ops::dcache_clean_inval_poc and icache_inval_pou):
 *        one count and the range's size per hook call, new leaves and
 *        execute permission added alike (a hook that invalidates the whole
 *        I-cache for a VIPT one still counts the range it was given).
 *
 * Kept unless libhyp is built with -DHYP_S2_STATS=0 (then the fields stay
 * zero). Each update is a relaxed atomic add next to a hook call that
 * maintains at least a page, so any number of CPUs may fault in at once
 * (HYP_MAP_SHARED); read with hyp_s2_stats().
 */
struct hyp_s2_stats {
	uint64_t dc_ops;   /**< D-cache clean+invalidate to the PoC: hook calls */
	uint64_t dc_bytes; /**< their bytes */
	uint64_t ic_ops;   /**< I-cache invalidations to the PoU: hook calls */
	uint64_t ic_bytes; /**< their bytes */
};

/**
 * @brief A translation table. Initialise with hyp_s2_init() or
 *        hyp_el2_init(); the fields are read-only for the integrator.
 */
struct hyp_pgtable {
	/** The start-level table (concatenated pages for stage 2). */
	volatile hyp_pte_t *pgd;
	/** Its physical address. */
	uint64_t pgd_pa;
	/** The hooks. */
	const struct hyp_pgtable_ops *ops;
	/** The integrator's pointer, for the hooks. */
	void *ctx;
	/** A copy of the configuration. */
	struct hyp_pgtable_cfg cfg;
	/** VTCR_EL2 (stage 2) or TCR_EL2 (EL2) value. */
	uint64_t ctlr;
	/** VTTBR_EL2 (with the VMID) or TTBR0_EL2 value. */
	uint64_t ttbr;
	/** 1 << granule_shift. */
	uint64_t granule;
	/** 1 << ia_bits. */
	uint64_t ia_limit;
	/** 1 << min(pa_bits, 48). */
	uint64_t pa_limit;
	/** Leaf attributes per memory type (HYP_MEM_* >> 4), built at init. */
	hyp_pte_t mem_attr[4];
	/** Leaf permission bits per HYP_PROT_R/W/X combination. */
	hyp_pte_t perm_attr[8];
	/** Every permission bit of a leaf. */
	hyp_pte_t perm_mask;
	/** The memory-type bits of a leaf. */
	hyp_pte_t attr_mask;
	/** The bit(s) that make a leaf non-executable at the translated EL. */
	hyp_pte_t exec_mask;
	/** enum hyp_pgtable_stage. */
	uint8_t stage;
	/** Level of the pgd: 0..2. */
	uint8_t start_level;
	/** First level with block descriptors (1 for 4K). */
	uint8_t min_block_level;
	/** Pages in the pgd (1..16). */
	uint8_t pgd_pages;
	/** Set once hyp_s2_annotate_invalid() annotated an entry: multi-page
	 *  maps then check the range for annotations first. */
	uint8_t owners;
	/** Entries in the pgd. */
	uint32_t pgd_entries;
	/** log2 of the size an entry maps, per level. */
	uint8_t shift[4];
	/** Stage 2: the VMID in ttbr. */
	uint16_t vmid;
	/** Entries per table - 1 (below the pgd). */
	uint16_t idx_mask;
	/** Maintenance a new leaf needs, by (memory type << 1 | X): HYP_LEAF_CMO_*. */
	uint8_t leaf_cmo[8];
	/**
	 * The lock bit as a descriptor mask (1 << hyp_pgtable_cfg::lock_bit;
	 * HYP_PTE_LOCKED by default): every path of the walker that takes or
	 * tests the lock reads it here.
	 */
	hyp_pte_t lock_mask;
	/**
	 * Stage 2: the level-3 page descriptor hyp_s2_fault_map_4k() writes,
	 * without its output address, per prot (index (HYP_MEM_* >> 4) << 3 |
	 * HYP_PROT_*), built at init; bits [1:0] hold the HYP_LEAF_CMO_* the
	 * new page needs (the descriptor's type bits, 0b11, are put back on
	 * write); 0 for a refused combination (execute on Device memory).
	 */
	hyp_pte_t page_tmpl[32];
	/* ---- statistics (issue 15) ---- */
	/** Cache maintenance the walker asked of the hooks (read with
	 *  hyp_s2_stats()). */
	struct hyp_s2_stats stats;
};

/** @brief hyp_pgtable::leaf_cmo: clean+invalidate the D-cache to the PoC. */
#define HYP_LEAF_CMO_DC 1u
/** @brief hyp_pgtable::leaf_cmo: invalidate the I-cache to the PoU. */
#define HYP_LEAF_CMO_IC 2u

/**
 * @name Walker
 * @{
 */

/** @brief Walk flags: which visits to make, and the concurrency mode. */
enum hyp_walk_flags {
	HYP_WALK_LEAF = 1u << 0,       /**< visit invalid entries and block/page descriptors */
	HYP_WALK_TABLE_PRE = 1u << 1,  /**< visit a table descriptor before its subtree */
	HYP_WALK_TABLE_POST = 1u << 2, /**< visit a table descriptor after its subtree */
	HYP_WALK_SHARED =
	    1u << 3, /**< shared mode: other walkers run concurrently; read entries with
			  load-acquire and change them only with compare-and-swap */
};

/** @brief A visitor's return value that skips the visited entry's subtree. */
#define HYP_WALK_SKIP 1

/** @brief What a visitor sees. */
struct hyp_walk_ctx {
	struct hyp_pgtable *pgt;  /**< the table being walked */
	void *arg;		  /**< hyp_walker::arg */
	volatile hyp_pte_t *ptep; /**< the entry */
	hyp_pte_t old;		  /**< its value when the walker read it */
	uint64_t addr;		  /**< walk position inside the entry's range (at least its base) */
	uint64_t end;		  /**< end of the walk */
	unsigned int level;	  /**< the entry's level */
	unsigned int flags;	  /**< the walker's flags */
};

/**
 * @brief A visitor: @p visit is one of HYP_WALK_LEAF, HYP_WALK_TABLE_PRE,
 *        HYP_WALK_TABLE_POST. Return 0 to go on, HYP_WALK_SKIP (from a
 *        LEAF or TABLE_PRE visit) to skip the entry's subtree, or a negative
 *        hyp_error code to stop the walk with it. After a LEAF or
 *        TABLE_PRE visit the walker re-reads the entry and descends if it is
 *        (now) a table, so a visitor may install or remove a table.
 */
typedef int (*hyp_walk_fn)(struct hyp_walk_ctx *ctx, unsigned int visit);

/** @brief A walk: visitor, its argument and flags. */
struct hyp_walker {
	hyp_walk_fn cb;	    /**< the visitor */
	void *arg;	    /**< passed as hyp_walk_ctx::arg */
	unsigned int flags; /**< enum hyp_walk_flags */
};

/**
 * @brief Walk the entries that translate [@p addr, @p addr + @p size), in
 *        address order, depth first.
 *
 * Hardware: one PTE read per entry visited (hyp_pte_read, or
 * hyp_pte_load_acquire in shared mode) plus whatever the visitor does; the
 * walker itself writes nothing. Cost: O(entries visited).
 * @return 0, the visitor's negative code, HYP_EINVAL for an unaligned or
 *         empty range, HYP_ERANGE beyond the input-address space.
 * @param pgt the table
 * @param addr start of the range
 * @param size bytes
 * @param walker the visitor, its argument and flags
 * @concurrency With HYP_WALK_SHARED in the walker's flags, concurrently with
 *  other shared walkers (entries read with load-acquire; the visitor
 *  changes them only with hyp_walk_set_pte()); otherwise exclusive. The
 *  integrator's lock provides the exclusion, as for hyp_s2_map().
 */
int hyp_pgtable_walk(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size,
		     const struct hyp_walker *walker);

/**
 * @brief Bytes mapped by one entry at @p level (0 for a NULL table or a level above 3).
 * @param pgt the table
 * @param level 0..3
 * @return the size in bytes
 * @concurrency Pure: any CPU.
 */
static inline uint64_t hyp_pgtable_level_size(const struct hyp_pgtable *pgt, unsigned int level)
{
	if (!pgt || level > 3)
		return 0;
	return 1ull << pgt->shift[level];
}

/**
 * @brief True if @p pte at @p level is a valid table descriptor.
 * @param pte a descriptor
 * @param level its level
 * @return whether it is a table descriptor
 * @concurrency Pure: any CPU.
 */
static inline bool hyp_pte_is_table(hyp_pte_t pte, unsigned int level)
{
	return level < 3 && (pte & 3u) == HYP_PTE_TYPE_TABLE;
}

/**
 * @brief True if @p pte at @p level is a valid block or page descriptor.
 * @param pte a descriptor
 * @param level its level
 * @return whether it is a valid leaf
 * @concurrency Pure: any CPU.
 */
static inline bool hyp_pte_is_leaf(hyp_pte_t pte, unsigned int level)
{
	return (pte & HYP_PTE_VALID) && !hyp_pte_is_table(pte, level);
}

/**
 * @brief The descriptor bits that hold the integrator's software bits @p sw
 *        (numbered as HYP_PTE_SW_USER_MASK) in table @p pgt.
 *
 * The API's bit n (56..58) is descriptor bit n, except the API bit whose
 * number is the table's lock bit, which is descriptor bit 55 (identity with
 * the default lock at 55).
 * @param pgt an initialised table (its hyp_pgtable::lock_mask)
 * @param sw bits within HYP_PTE_SW_USER_MASK (others are dropped)
 * @return the same bits in descriptor positions, within HYP_PTE_SW_MASK
 *         and never the lock bit
 * @concurrency Pure: any CPU. A few ALU instructions, no memory but the
 *  table's lock_mask.
 */
static inline hyp_pte_t hyp_pgtable_sw_to_pte(const struct hyp_pgtable *pgt, uint64_t sw)
{
	sw &= HYP_PTE_SW_USER_MASK;
	return (sw & ~pgt->lock_mask) | ((sw & pgt->lock_mask) ? HYP_PTE_LOCKED : 0);
}

/**
 * @brief The integrator's software bits (numbered as HYP_PTE_SW_USER_MASK)
 *        held by descriptor @p pte of table @p pgt; the inverse of
 *        hyp_pgtable_sw_to_pte().
 * @param pgt an initialised table (its hyp_pgtable::lock_mask)
 * @param pte a descriptor of that table (its lock bit is ignored)
 * @return bits within HYP_PTE_SW_USER_MASK
 * @concurrency Pure: any CPU. A few ALU instructions, no memory but the
 *  table's lock_mask.
 */
static inline uint64_t hyp_pgtable_sw_from_pte(const struct hyp_pgtable *pgt, hyp_pte_t pte)
{
	const hyp_pte_t bits = pte & HYP_PTE_SW_MASK & ~pgt->lock_mask;

	return (bits & HYP_PTE_SW_USER_MASK) | ((bits & HYP_PTE_LOCKED) ? pgt->lock_mask : 0);
}

/**
 * @brief Set the visited entry to @p new: a plain store in exclusive
 *        mode, compare-and-swap against ctx->old in shared mode.
 * @return true if the entry now holds @p new (false: lost a race, or a
 *         NULL @p ctx / entry, which changes nothing).
 * @param ctx the visitor's context
 * @param new_pte the new descriptor
 * @concurrency Only inside a visitor, on the walking CPU: a plain store
 *  (one PTE write) in an exclusive walk, one compare-and-swap in a shared
 *  one.
 */
bool hyp_walk_set_pte(struct hyp_walk_ctx *ctx, hyp_pte_t new_pte);
/** @} */

/**
 * @name Hardware implementations of the maintenance hooks
 * Plug these into struct hyp_pgtable_ops when the hypervisor does the
 * maintenance itself at EL2, through libhyp/hw.h.
 * @{
 */
/**
 * @brief DC CIVAC over the leaf (VA from phys_to_virt), cfg.dline_shift
 *        lines, then DSB ISH: size >> dline_shift instructions.
 * @param pgt the table (nothing for NULL)
 * @param pa output address of the leaf
 * @param size its size in bytes
 * @concurrency A hook: called by the walker, on its CPU; it keeps no
 *  state, so shared-mode walkers may call it concurrently.
 */
void hyp_pgtable_dcache_clean_inval_hw(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size);
/**
 * @brief Above this many bytes hyp_pgtable_icache_inval_hw() invalidates the
 *        whole I-cache (IC IALLUIS) even when it is PIPT.
 *
 * 2 MiB: a 2 MiB block keeps its by-VA invalidation (32768 IC IVAU with
 * 64-byte lines, what KVM does for a block), while a 1 GiB block or a
 * whole VM's RAM (HYP_MAP_IC_ONCE), 16 M IC IVAU per GiB, each broadcast
 * to the inner-shareable domain, becomes one IC IALLUIS, whose cost is
 * bounded by the I-caches' size (their refill), not by the range's.
 */
#define HYP_PGTABLE_IC_ALL_BYTES (2ull << 20)

/**
 * @brief Invalidate the I-cache for a new executable leaf: with
 *        cfg.l1ip == HYP_L1IP_PIPT and at most HYP_PGTABLE_IC_ALL_BYTES,
 *        IC IVAU over the leaf (VA from phys_to_virt; size >> iline_shift
 *        instructions), DSB ISH, ISB; otherwise (VIPT: by-VA maintenance
 *        would miss the guest's aliases, Arm ARM D8.18.2.2; or a larger
 *        range) IC IALLUIS, DSB ISH, ISB. Reads no register.
 * @param pgt the table (nothing for NULL)
 * @param pa output address of the leaf
 * @param size its size in bytes
 * @concurrency A hook: called by the walker, on its CPU; it keeps no
 *  state, so shared-mode walkers may call it concurrently.
 */
void hyp_pgtable_icache_inval_hw(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size);
/**
 * @brief Stage 2: TLBI IPAS2E1IS (FEAT_TTL level hint when cfg.ttl),
 *        DSB ISH, TLBI VMALLE1IS (stage-1 entries cached through the old
 *        stage-2 entry). EL2: TLBI VAE2IS.
 *
 * VMID: these TLBIs act on the current VMID, VTTBR_EL2.VMID (Arm ARM
 * C5.5.16). The stage-2 hooks (this one, hyp_pgtable_tlbi_range_hw() and
 * hyp_pgtable_tlbi_all_hw()) read VTTBR_EL2 (one MRS); when its VMID is not
 * the table's (a VM not loaded on this CPU), they load the table's ttbr
 * around the TLBIs and restore the previous value: MSR VTTBR_EL2, ISB, the
 * TLBIs, DSB ISH, MSR VTTBR_EL2, ISB. Call them with interrupts masked in
 * that case (the CPU runs with another VMID for a few instructions), and not
 * while the VMID being restored is running guest code on this CPU (it never
 * is: the hooks run at EL2).
 *
 * Translation regime: with HCR_EL2.{E2H, TGE} = {1, 1} (a VHE host
 * between guests) TLBI VMALLE1IS would act on the EL2&0 regime, not on the
 * guest's EL1&0 one (Arm ARM C5.5.78). The stage-2 hooks therefore read
 * HCR_EL2 (one MRS) and, when both bits are set, clear TGE for that TLBI
 * and restore it (MSR, ISB, TLBI, MSR, ISB); call them with interrupts
 * masked in that case. IPAS2E1IS, RIPAS2E1IS and VMALLS12E1IS act on
 * EL1&0 whatever TGE (C5.5.81). The host backend's simulated CPU fails a
 * TLBI VMALLE1IS issued with E2H and TGE set.
 * @param pgt the table (nothing for NULL)
 * @param addr the input address
 * @param level the leaf's level (0: unknown)
 * @concurrency A hook: called by the walker, on its CPU; it keeps no
 *  state, so shared-mode walkers may call it concurrently.
 *  With E2H and TGE set, it changes the calling CPU's HCR_EL2 for a few
 *  instructions: interrupts masked.
 */
void hyp_pgtable_tlbi_addr_hw(struct hyp_pgtable *pgt, uint64_t addr, unsigned int level);
/**
 * @brief Stage 2: with cfg.tlbirange, TLBI RIPAS2E1IS covering the range
 *        (at most a few per range), else one TLBI IPAS2E1IS per page up to
 *        64 pages, else TLBI VMALLS12E1IS; then DSB ISH, TLBI VMALLE1IS
 *        (with TGE cleared around it as hyp_pgtable_tlbi_addr_hw() does).
 *        EL2: TLBI VAE2IS per page up to 64 pages, else TLBI ALLE2IS.
 * @param pgt the table (nothing for NULL)
 * @param addr start of the input range
 * @param size bytes
 * @param level the leaves' level (0: unknown or mixed)
 * @concurrency A hook: called by the walker, on its CPU; it keeps no
 *  state, so shared-mode walkers may call it concurrently.
 *  As hyp_pgtable_tlbi_addr_hw() for HCR_EL2.TGE.
 */
void hyp_pgtable_tlbi_range_hw(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size,
			       unsigned int level);
/**
 * @brief Stage 2: TLBI VMALLS12E1IS (EL1&0 whatever HCR_EL2.TGE), for the
 *        table's VMID (VTTBR_EL2 switched around it when another VMID is
 *        loaded, as hyp_pgtable_tlbi_addr_hw() does; then also DSB ISH).
 *        EL2: TLBI ALLE2IS. A NULL @p pgt does nothing (as for every hook
 *        here).
 * @param pgt the table (nothing for NULL)
 * @concurrency A hook: called by the walker, on its CPU; it keeps no
 *  state, so shared-mode walkers may call it concurrently.
 */
void hyp_pgtable_tlbi_all_hw(struct hyp_pgtable *pgt);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_PGTABLE_H */
