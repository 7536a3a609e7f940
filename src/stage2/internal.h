/* SPDX-License-Identifier: MIT */
/* Shared by the stage2 module's files: descriptor helpers, hook wrappers,
 * TLB batching and the operations common to both stages. */
#ifndef LIBHYP_STAGE2_INTERNAL_H
#define LIBHYP_STAGE2_INTERNAL_H

#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/pgtable.h>
#include <libhyp/stage2.h>

/* Attribute bits of a leaf: everything but the output address and type. */
#define PTE_ATTR_MASK (~(HYP_PTE_OA_MASK | 3ull))
/* Bits that do not identify a mapping: permissions are compared apart,
 * AF and the software bits (the lock) not at all. */
#define PTE_IGNORED (HYP_PTE_AF | HYP_PTE_SW_MASK)

/* For cold paths that would otherwise bloat a hot caller's prologue. */
#define COLD __attribute__((noinline, cold))

static inline unsigned int ptes_per_table(const struct hyp_pgtable *pgt)
{
	return 1u << (pgt->cfg.granule_shift - 3);
}

static inline uint64_t granule(const struct hyp_pgtable *pgt)
{
	return pgt->granule;
}

static inline uint64_t level_size(const struct hyp_pgtable *pgt, unsigned int level)
{
	return 1ull << pgt->shift[level];
}

static inline bool is_stage2(const struct hyp_pgtable *pgt)
{
	return pgt->stage == HYP_PGT_STAGE2;
}

static inline hyp_pte_t pte_load(volatile hyp_pte_t *p, unsigned int walk_flags)
{
	return (walk_flags & HYP_WALK_SHARED) ? hyp_pte_load_acquire(p) : hyp_pte_read(p);
}

static inline void *pgt_p2v(struct hyp_pgtable *pgt, uint64_t pa)
{
	if (pgt->ops->phys_to_virt)
		return pgt->ops->phys_to_virt(pgt, pa);
	return (void *)(uintptr_t)pa;
}

static inline uint64_t pgt_v2p(struct hyp_pgtable *pgt, void *va)
{
	if (pgt->ops->virt_to_phys)
		return pgt->ops->virt_to_phys(pgt, va);
	return (uint64_t)(uintptr_t)va;
}

static inline volatile hyp_pte_t *pte_child(struct hyp_pgtable *pgt, hyp_pte_t pte)
{
	return pgt_p2v(pgt, pte & HYP_PTE_OA_MASK);
}

static inline hyp_pte_t table_desc(struct hyp_pgtable *pgt, void *table)
{
	return pgt_v2p(pgt, table) | HYP_PTE_TYPE_TABLE;
}

static inline hyp_pte_t leaf_type(unsigned int level)
{
	return level == 3 ? HYP_PTE_TYPE_TABLE : HYP_PTE_TYPE_BLOCK;
}

/* The table page that holds @p ptep (not meaningful for the pgd). */
static inline void *page_of(const struct hyp_pgtable *pgt, volatile hyp_pte_t *ptep)
{
	return (void *)((uintptr_t)ptep & ~(uintptr_t)(granule(pgt) - 1));
}

/* One more reference on the table holding @p ptep (an entry became
 * non-zero). The pgd is not reference-counted. */
static inline void table_get(struct hyp_pgtable *pgt, volatile hyp_pte_t *ptep, unsigned int level)
{
	if (level != pgt->start_level && pgt->ops->get_page)
		pgt->ops->get_page(pgt, page_of(pgt, ptep), 1);
}

/* One reference fewer; returns the count left, 0 when not tracked. */
static inline unsigned int table_put(struct hyp_pgtable *pgt, volatile hyp_pte_t *ptep,
				     unsigned int level)
{
	if (level == pgt->start_level || !pgt->ops->put_page)
		return 0;
	return pgt->ops->put_page(pgt, page_of(pgt, ptep), 1);
}

static inline bool pte_exec(const struct hyp_pgtable *pgt, hyp_pte_t pte)
{
	return !(pte & pgt->exec_mask);
}

/* Memory type (HYP_MEM_* >> 4) of a leaf, -1 for a foreign encoding. */
static inline int pte_memtype(const struct hyp_pgtable *pgt, hyp_pte_t pte)
{
	for (int i = 0; i < 4; i++) {
		if ((pte & pgt->attr_mask) == (pgt->mem_attr[i] & pgt->attr_mask))
			return i;
	}
	return -1;
}

static inline bool memtype_is_device(int mt)
{
	return mt >= (int)(HYP_MEM_DEVICE_nGnRE >> 4);
}

/* The union of the permissions of @p a and of the permission bits @p b. */
static inline hyp_pte_t perm_union(const struct hyp_pgtable *pgt, hyp_pte_t a, hyp_pte_t b)
{
	hyp_pte_t deny = pgt->perm_attr[0];

	return (a & ~pgt->perm_mask) | ((a | b) & pgt->perm_mask & ~deny) | (a & b & deny);
}

/*
 * TLB maintenance batched over one operation: up to TLB_BATCH entries are
 * invalidated by address; more, or an entry whose whole span must go (a
 * table with live leaves below it), become one tlbi_range over [lo, hi).
 * One DSB ISH before and one after each flush.
 */
#define TLB_BATCH 16
struct tlb_batch {
	unsigned int n;
	bool whole;
	unsigned int level; /* common leaf level, 0 if mixed */
	uint64_t lo, hi;
	uint64_t addr[TLB_BATCH];
	uint8_t lvl[TLB_BATCH];
};

void hyp__tlb_add(struct hyp_pgtable *pgt, struct tlb_batch *b, uint64_t addr, uint64_t size,
		  unsigned int level, bool whole);
void hyp__tlb_flush(struct hyp_pgtable *pgt, struct tlb_batch *b);
int hyp__walk(struct hyp_pgtable *pgt, uint64_t addr, uint64_t end, const struct hyp_walker *w);
int hyp__check_range(const struct hyp_pgtable *pgt, uint64_t addr, uint64_t size);

/* A walk of [addr, addr + size) whose visitor queues its TLB maintenance in
 * @p tlb (emptied first), flushed once after the walk, error or not. The
 * range is checked first (nothing walked on error). */
static inline int walk_batched(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size,
			       const struct hyp_walker *w, struct tlb_batch *tlb)
{
	int ret = hyp__check_range(pgt, addr, size);

	if (ret)
		return ret;
	tlb->n = 0;
	tlb->whole = false;
	ret = hyp__walk(pgt, addr, addr + size, w);
	hyp__tlb_flush(pgt, tlb);
	return ret;
}

/* A walk of one page without TABLE_POST visits (every fault): a straight
 * descent, no frames to unwind. Inline, so that a caller with a constant
 * visitor gets it called directly (or inlined). */
static inline __attribute__((always_inline)) int
walk_page(struct hyp_pgtable *pgt, uint64_t addr, unsigned int flags, hyp_walk_fn cb, void *arg)
{
	struct hyp_walk_ctx ctx;
	unsigned int level = pgt->start_level;
	volatile hyp_pte_t *ptep = &pgt->pgd[(addr >> pgt->shift[level]) & (pgt->pgd_entries - 1)];
	hyp_pte_t pte = pte_load(ptep, flags);
	int ret;

	ctx.pgt = pgt;
	ctx.arg = arg;
	ctx.addr = addr;
	ctx.end = addr + granule(pgt);
	ctx.flags = flags;
	for (;;) {
		/* Down through the tables; a level-3 entry is never one. */
		while (level < 3 && (pte & 3u) == HYP_PTE_TYPE_TABLE) {
			if (flags & HYP_WALK_TABLE_PRE) {
				ctx.ptep = ptep;
				ctx.old = pte;
				ctx.level = level;
				ret = cb(&ctx, HYP_WALK_TABLE_PRE);
				if (ret)
					return ret < 0 ? ret : 0;
				/* The visitor may have replaced the table. */
				pte = pte_load(ptep, flags);
				if ((pte & 3u) != HYP_PTE_TYPE_TABLE)
					return 0;
			}
			level++;
			ptep = &pte_child(pgt, pte)[(addr >> pgt->shift[level]) & pgt->idx_mask];
			pte = pte_load(ptep, flags);
		}
		if (!(flags & HYP_WALK_LEAF))
			return 0;
		ctx.ptep = ptep;
		ctx.old = pte;
		ctx.level = level;
		ret = cb(&ctx, HYP_WALK_LEAF);
		if (ret || level == 3)
			return ret < 0 ? ret : 0;
		/* The visitor may have installed a table. */
		pte = pte_load(ptep, flags);
		if ((pte & 3u) != HYP_PTE_TYPE_TABLE)
			return 0;
	}
}

/* An owner annotation (hyp_s2_annotate_invalid()): an invalid entry with an
 * owner; never the lock (the lock bit alone) or 0. */
static inline bool pte_is_annot(hyp_pte_t pte)
{
	return !(pte & HYP_PTE_VALID) && (pte & HYP_S2_OWNER_MASK);
}

int hyp__pgt_annotate(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, unsigned int owner);
int hyp__pgt_owner(struct hyp_pgtable *pgt, uint64_t addr, unsigned int *owner);

/* Table pages. */
void *hyp__table_alloc(struct hyp_pgtable *pgt);
void hyp__free_subtree(struct hyp_pgtable *pgt, volatile hyp_pte_t *table, unsigned int level);
int hyp__build_split(struct hyp_pgtable *pgt, hyp_pte_t leaf, unsigned int level, bool full,
		     hyp_pte_t *desc);
int hyp__split_block(struct hyp_walk_ctx *ctx, struct tlb_batch *tlb, bool full);

/* Operations common to both stages (the entry points check the stage). */
int hyp__pgt_map(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, uint64_t pa,
		 unsigned int prot, unsigned int flags);
int hyp__pgt_unmap(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size);
int hyp__pgt_protect(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, unsigned int prot);
int hyp__pgt_dirty(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, uint64_t *bitmap,
		   bool clear);
int hyp__pgt_age(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, bool clear);
int hyp__pgt_relax(struct hyp_pgtable *pgt, uint64_t addr, unsigned int prot, unsigned int flags);
int hyp__pgt_setup(struct hyp_pgtable *pgt, const struct hyp_pgtable_cfg *cfg,
		   const struct hyp_pgtable_ops *ops, void *ctx, enum hyp_pgtable_stage stage,
		   unsigned int start_level);
int hyp__check_cfg_ops(const struct hyp_pgtable_cfg *cfg, const struct hyp_pgtable_ops *ops);
void hyp__s2_fault_setup(struct hyp_pgtable *pgt);
unsigned int hyp__ps_field(unsigned int pa_bits);

#endif /* LIBHYP_STAGE2_INTERNAL_H */
