/* SPDX-License-Identifier: MIT */
/*
 * Map, unmap and change permissions: the visitors both stages share, and
 * the leaf update that relax, protect and dirty logging use.
 */
#include "internal.h"

/* update_leaf(): lost a compare-and-swap; re-read the entry and retry. */
#define RETRY 2
/* map_data::cmo: HYP_MAP_IC_ONCE invalidated the I-cache for the range. */
#define CMO_IC_DONE 4u

struct map_data {
	uint64_t addr0, pa0;
	hyp_pte_t attr;	    /* memory type, SH, AF and permissions of new leaves */
	unsigned int flags; /* HYP_MAP_* */
	unsigned int cmo;   /* HYP_LEAF_CMO_* for new leaves */
	struct tlb_batch tlb;
};

static inline bool block_ok(const struct hyp_pgtable *pgt, unsigned int level, uint64_t addr,
			    uint64_t end, uint64_t pa, unsigned int flags)
{
	uint64_t size;

	if (level == 3)
		return true;
	if (level < pgt->min_block_level || (flags & HYP_MAP_PAGES))
		return false;
	size = level_size(pgt, level);
	return !((addr | pa) & (size - 1)) && end - addr >= size;
}

/* ---- statistics (issue 15): the CMO hook calls, counted (hyp_s2_stats) */
#ifndef HYP_S2_STATS
#define HYP_S2_STATS 1
#endif

static inline void s2_stat_add(uint64_t *c, uint64_t n)
{
	if (HYP_S2_STATS)
		__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static inline void s2_dc(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	pgt->ops->dcache_clean_inval_poc(pgt, pa, size);
	s2_stat_add(&pgt->stats.dc_ops, 1);
	s2_stat_add(&pgt->stats.dc_bytes, size);
}

static inline void s2_ic(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	pgt->ops->icache_inval_pou(pgt, pa, size);
	s2_stat_add(&pgt->stats.ic_ops, 1);
	s2_stat_add(&pgt->stats.ic_bytes, size);
}

int hyp_s2_stats(const struct hyp_pgtable *pgt, struct hyp_s2_stats *out)
{
	if (!pgt || !out)
		return HYP_EINVAL;
	out->dc_ops = __atomic_load_n(&pgt->stats.dc_ops, __ATOMIC_RELAXED);
	out->dc_bytes = __atomic_load_n(&pgt->stats.dc_bytes, __ATOMIC_RELAXED);
	out->ic_ops = __atomic_load_n(&pgt->stats.ic_ops, __ATOMIC_RELAXED);
	out->ic_bytes = __atomic_load_n(&pgt->stats.ic_bytes, __ATOMIC_RELAXED);
	return 0;
}

int hyp_s2_stats_reset(struct hyp_pgtable *pgt)
{
	if (!pgt)
		return HYP_EINVAL;
	__atomic_store_n(&pgt->stats.dc_ops, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&pgt->stats.dc_bytes, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&pgt->stats.ic_ops, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&pgt->stats.ic_bytes, 0, __ATOMIC_RELAXED);
	return 0;
}

/* Cache maintenance for a new leaf mapping [pa, pa + size), before it
 * becomes visible (seed 001: only where a new mapping needs it). */
static inline void new_leaf_cmo(struct hyp_pgtable *pgt, const struct map_data *d, uint64_t pa,
				uint64_t size)
{
	if (d->cmo & HYP_LEAF_CMO_DC)
		s2_dc(pgt, pa, size);
	if (d->cmo & HYP_LEAF_CMO_IC)
		s2_ic(pgt, pa, size);
}

/*
 * Change a valid leaf in place from @p old to @p want (same output
 * address and memory type): permissions, the access flag. Adding execute
 * permission invalidates the I-cache first; in shared mode the entry is
 * owned (the table's lock bit, pgt->lock_mask: a software bit, it stays
 * valid) for that time so that a CPU that loses the race does no maintenance
 * (@p ic_done: hyp_s2_map() with HYP_MAP_IC_ONCE did it for the whole
 * range already, CMO_IC_DONE). A permission change
 * queues a TLBI; the access flag alone needs none (an entry that faults
 * on it is never held in a TLB: Arm ARM D8, the TLB caching rules).
 */
static int update_leaf(struct hyp_walk_ctx *ctx, struct tlb_batch *tlb, hyp_pte_t old,
		       hyp_pte_t want, bool ic_done)
{
	struct hyp_pgtable *pgt = ctx->pgt;
	const uint64_t size = level_size(pgt, ctx->level);
	bool x_added = !ic_done && is_stage2(pgt) && pgt->ops->icache_inval_pou &&
		       !pgt->cfg.dic && pte_exec(pgt, want) && !pte_exec(pgt, old);

	if (ctx->flags & HYP_WALK_SHARED) {
		if (x_added) {
			if (hyp_pte_cas(ctx->ptep, old, old | pgt->lock_mask) != old)
				return RETRY;
			s2_ic(pgt, old & HYP_PTE_OA_MASK, size);
			hyp_pte_store_release(ctx->ptep, want);
		} else if (hyp_pte_cas(ctx->ptep, old, want) != old) {
			return RETRY;
		}
	} else {
		if (x_added)
			s2_ic(pgt, old & HYP_PTE_OA_MASK, size);
		hyp_pte_store_release(ctx->ptep, want);
	}
	if ((old ^ want) & pgt->perm_mask)
		hyp__tlb_add(pgt, tlb, ctx->addr & ~(size - 1), size, ctx->level, false);
	return 0;
}

/* Install @p new (a leaf at ctx->level mapping [pa, pa + size)) over the
 * entry, whatever it holds except a table. */
static int map_leaf_slow(struct hyp_walk_ctx *ctx, struct map_data *d, hyp_pte_t new, uint64_t pa,
			 uint64_t size)
{
	struct hyp_pgtable *pgt = ctx->pgt;
	const bool shared = ctx->flags & HYP_WALK_SHARED;
	hyp_pte_t old = ctx->old, seen;

	for (;;) {
		if (!(old & HYP_PTE_VALID)) {
			/* An annotated entry already holds its table's reference. */
			const bool annot = pte_is_annot(old);

			if (old == pgt->lock_mask)
				return HYP_EAGAIN;
			if (annot && !(d->flags & HYP_MAP_FORCE))
				return HYP_EPERM;
			if (!shared) {
				new_leaf_cmo(pgt, d, pa, size);
				hyp_pte_store_release(ctx->ptep, new);
			} else if (d->cmo) {
				/* Own the entry while cleaning, so that only one CPU
				 * does the maintenance for this leaf. */
				seen = hyp_pte_cas(ctx->ptep, old, pgt->lock_mask);
				if (seen != old) {
					old = seen;
					continue;
				}
				new_leaf_cmo(pgt, d, pa, size);
				hyp_pte_store_release(ctx->ptep, new);
			} else {
				seen = hyp_pte_cas(ctx->ptep, old, new);
				if (seen != old) {
					old = seen;
					continue;
				}
			}
			if (!annot)
				table_get(pgt, ctx->ptep, ctx->level);
			return 0;
		}
		if (hyp_pte_is_table(old, ctx->level))
			return 0; /* another CPU linked a table: descend */
		if (!((old ^ new) & ~(pgt->perm_mask | PTE_IGNORED))) {
			/* The same mapping: at most permissions and AF change. */
			/* the integrator's software bits stay (pgtable.h) */
			hyp_pte_t want = shared ? perm_union(pgt, old, new) | HYP_PTE_AF
						: new | (old & HYP_PTE_SW_MASK & ~pgt->lock_mask);
			int ret;

			if (old & pgt->lock_mask)
				return (want | pgt->lock_mask) == old ? 0 : HYP_EAGAIN;
			if (want == old)
				return 0;
			ret = update_leaf(ctx, &d->tlb, old, want, d->cmo & CMO_IC_DONE);
			if (ret != RETRY)
				return ret;
			old = pte_load(ctx->ptep, ctx->flags);
			continue;
		}
		if (shared)
			return HYP_EAGAIN;
		/* A different output address or memory type: break-before-make. */
		new_leaf_cmo(pgt, d, pa, size);
		hyp_pte_write(ctx->ptep, 0);
		hyp__tlb_add(pgt, &d->tlb, ctx->addr, size, ctx->level, false);
		hyp__tlb_flush(pgt, &d->tlb);
		hyp_pte_store_release(ctx->ptep, new);
		return 0;
	}
}

/* True if @p table (at @p level) maps [oa, ...) with leaf attributes
 * @p attr (AF and software bits ignored) everywhere. */
static bool subtree_maps(struct hyp_pgtable *pgt, volatile hyp_pte_t *table, unsigned int level,
			 uint64_t oa, hyp_pte_t attr)
{
	const uint64_t step = level_size(pgt, level);

	for (unsigned int i = 0; i < ptes_per_table(pgt); i++, oa += step) {
		hyp_pte_t e = hyp_pte_read(&table[i]);

		if (hyp_pte_is_table(e, level)) {
			if (!subtree_maps(pgt, pte_child(pgt, e), level + 1, oa, attr))
				return false;
		} else if (!(e & HYP_PTE_VALID) || (e & HYP_PTE_OA_MASK) != oa ||
			   (e & PTE_ATTR_MASK & ~PTE_IGNORED) != attr) {
			return false;
		}
	}
	return true;
}

/* True if @p table (at @p level) holds an owner annotation. */
static bool subtree_annotated(struct hyp_pgtable *pgt, volatile hyp_pte_t *table, unsigned int level)
{
	for (unsigned int i = 0; i < ptes_per_table(pgt); i++) {
		hyp_pte_t e = hyp_pte_read(&table[i]);

		if (hyp_pte_is_table(e, level) ? subtree_annotated(pgt, pte_child(pgt, e), level + 1)
					       : pte_is_annot(e))
			return true;
	}
	return false;
}

/* Exclusive mode: a block replaces a whole table. */
static COLD int map_replace_table(struct hyp_walk_ctx *ctx, struct map_data *d, hyp_pte_t new,
				  uint64_t pa, uint64_t size)
{
	struct hyp_pgtable *pgt = ctx->pgt;
	volatile hyp_pte_t *child = pte_child(pgt, ctx->old);

	if (pgt->owners && !(d->flags & HYP_MAP_FORCE) && subtree_annotated(pgt, child, ctx->level + 1))
		return HYP_EPERM;

	if (!subtree_maps(pgt, child, ctx->level + 1, pa, new &PTE_ATTR_MASK & ~PTE_IGNORED))
		new_leaf_cmo(pgt, d, pa, size);
	hyp_pte_write(ctx->ptep, 0);
	hyp__tlb_add(pgt, &d->tlb, ctx->addr, size, 0, true);
	hyp__tlb_flush(pgt, &d->tlb);
	hyp_pte_store_release(ctx->ptep, new);
	hyp__free_subtree(pgt, child, ctx->level + 1);
	return HYP_WALK_SKIP;
}

/* Tables for levels level+1 .. target, linked along @p addr, built before
 * anything points to them. */
static int alloc_chain(struct hyp_pgtable *pgt, uint64_t addr, unsigned int level,
		       unsigned int target, hyp_pte_t *desc)
{
	void *t[3];
	const unsigned int n = target - level;

	for (unsigned int i = 0; i < n; i++) {
		t[i] = hyp__table_alloc(pgt);
		if (!t[i]) {
			while (i--)
				pgt->ops->free_pages(pgt, t[i], 1);
			return HYP_ENOMEM;
		}
	}
	for (unsigned int i = n - 1; i > 0; i--) {
		unsigned int lvl = level + i; /* the level of table t[i - 1] */
		volatile hyp_pte_t *e = (volatile hyp_pte_t *)t[i - 1] +
					((addr >> pgt->shift[lvl]) & (ptes_per_table(pgt) - 1));

		hyp_pte_write(e, table_desc(pgt, t[i]));
		if (pgt->ops->get_page)
			pgt->ops->get_page(pgt, t[i - 1], 1);
	}
	*desc = table_desc(pgt, t[0]);
	return 0;
}

/* The request cannot be a leaf at this level: link new tables, or split a
 * block that covers more than the request. */
static COLD int map_descend(struct hyp_walk_ctx *ctx, struct map_data *d, uint64_t pa)
{
	struct hyp_pgtable *pgt = ctx->pgt;
	const bool shared = ctx->flags & HYP_WALK_SHARED;
	const unsigned int level = ctx->level;
	const uint64_t size = level_size(pgt, level);
	const uint64_t base = ctx->addr & ~(size - 1);
	hyp_pte_t old = ctx->old, desc, seen;
	unsigned int target;
	int ret;

	for (;;) {
		if (!(old & HYP_PTE_VALID)) {
			if (old == pgt->lock_mask)
				return HYP_EAGAIN;
			target = level + 1;
			while (!block_ok(pgt, target, ctx->addr, ctx->end, pa, d->flags))
				target++;
			ret = alloc_chain(pgt, ctx->addr, level, target, &desc);
			if (ret)
				return ret;
			if (shared) {
				seen = hyp_pte_cas(ctx->ptep, old, desc);
				if (seen != old) {
					hyp__free_subtree(pgt, pte_child(pgt, desc), level + 1);
					old = seen;
					continue;
				}
			} else {
				hyp_pte_store_release(ctx->ptep, desc);
			}
			table_get(pgt, ctx->ptep, level);
			return 0;
		}
		if (hyp_pte_is_table(old, level))
			return 0;
		/* A block larger than the request: does it map it already? */
		if (pa >= ctx->addr - base && (old & HYP_PTE_OA_MASK) == pa - (ctx->addr - base) &&
		    !((old ^ d->attr) & PTE_ATTR_MASK & ~(pgt->perm_mask | PTE_IGNORED))) {
			hyp_pte_t want = shared ? perm_union(pgt, old, d->attr) | HYP_PTE_AF
						: (old & ~pgt->perm_mask) |
						      (d->attr & pgt->perm_mask) | HYP_PTE_AF;

			if (old & pgt->lock_mask)
				return (want | pgt->lock_mask) == old ? HYP_WALK_SKIP : HYP_EAGAIN;
			if (want == old)
				return HYP_WALK_SKIP;
			if (shared || !((want ^ old) & pgt->perm_mask)) {
				ret = update_leaf(ctx, &d->tlb, old, want, d->cmo & CMO_IC_DONE);
				if (ret == RETRY) {
					old = pte_load(ctx->ptep, ctx->flags);
					continue;
				}
				return ret ? ret : HYP_WALK_SKIP;
			}
			/* Exclusive: other permissions for part of the block. */
		}
		if (shared)
			return HYP_EAGAIN;
		return hyp__split_block(ctx, &d->tlb, false);
	}
}

static int map_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct map_data *d = ctx->arg;
	struct hyp_pgtable *pgt = ctx->pgt;
	const unsigned int level = ctx->level;
	const uint64_t pa = d->pa0 + (ctx->addr - d->addr0);

	if (block_ok(pgt, level, ctx->addr, ctx->end, pa, d->flags)) {
		hyp_pte_t new = pa | d->attr | leaf_type(level);

		if (visit == HYP_WALK_TABLE_PRE)
			return map_replace_table(ctx, d, new, pa, level_size(pgt, level));
		return map_leaf_slow(ctx, d, new, pa, level_size(pgt, level));
	}
	if (visit == HYP_WALK_TABLE_PRE)
		return 0;
	return map_descend(ctx, d, pa);
}

/*
 * The visitor of one-page maps: the fault-in of a page into an empty
 * level-3 entry inline, everything else through map_visit().
 */
static inline __attribute__((always_inline)) int map_page_visit(struct hyp_walk_ctx *ctx,
								unsigned int visit)
{
	struct map_data *d = ctx->arg;
	struct hyp_pgtable *pgt = ctx->pgt;
	const hyp_pte_t new = d->pa0 | d->attr | HYP_PTE_TYPE_TABLE;

	if (ctx->level != 3 || ctx->old)
		return map_visit(ctx, visit);
	if (!(ctx->flags & HYP_WALK_SHARED)) {
		new_leaf_cmo(pgt, d, d->pa0, granule(pgt));
		hyp_pte_store_release(ctx->ptep, new);
	} else if (!d->cmo) {
		ctx->old = hyp_pte_cas(ctx->ptep, 0, new);
		if (ctx->old)
			return map_visit(ctx, visit);
	} else {
		/* Own the entry while cleaning, so that only one CPU does the
		 * maintenance for this leaf. */
		ctx->old = hyp_pte_cas(ctx->ptep, 0, pgt->lock_mask);
		if (ctx->old)
			return map_visit(ctx, visit);
		new_leaf_cmo(pgt, d, d->pa0, granule(pgt));
		hyp_pte_store_release(ctx->ptep, new);
	}
	table_get(pgt, ctx->ptep, 3);
	return 0;
}

static int annot_find_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	(void)visit;
	return pte_is_annot(ctx->old) ? HYP_EPERM : 0;
}

static COLD int range_annotated(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size,
				unsigned int flags)
{
	struct hyp_walker w = {annot_find_visit, NULL,
			       HYP_WALK_LEAF | ((flags & HYP_MAP_SHARED) ? HYP_WALK_SHARED : 0)};

	return hyp__walk(pgt, addr, addr + size, &w);
}

static inline __attribute__((always_inline)) int map_range(struct hyp_pgtable *pgt, uint64_t addr,
							   uint64_t size, uint64_t pa,
							   unsigned int prot, unsigned int flags)
{
	struct map_data d;
	const unsigned int mt = (prot & HYP_MEM_MASK) >> 4;
	int ret;

	if (!size || ((addr | size | pa) & (granule(pgt) - 1)) ||
	    (prot & ~(HYP_PROT_PERMS | HYP_MEM_MASK)) ||
	    (memtype_is_device((int)mt) && (prot & HYP_PROT_X)))
		return HYP_EINVAL;
	if (addr + size < addr || addr + size > pgt->ia_limit || pa + size < pa ||
	    pa + size > pgt->pa_limit)
		return HYP_ERANGE;

	if (pgt->owners && size != granule(pgt) && !(flags & HYP_MAP_FORCE)) {
		/* Refuse before anything is mapped (hyp_s2_annotate_invalid()). */
		ret = range_annotated(pgt, addr, size, flags);
		if (ret)
			return ret;
	}
	d.addr0 = addr;
	d.pa0 = pa;
	d.flags = flags;
	d.attr = pgt->mem_attr[mt] | pgt->perm_attr[prot & HYP_PROT_PERMS];
	d.cmo = pgt->leaf_cmo[mt << 1 | !!(prot & HYP_PROT_X)];
	d.tlb.n = 0;
	d.tlb.whole = false;
	if (size == granule(pgt)) {
		/* No block can replace a table for one page: no TABLE_PRE. Two
		 * calls with constant flags, so that each folds its mode. */
		if (flags & HYP_MAP_SHARED)
			ret = walk_page(pgt, addr, HYP_WALK_LEAF | HYP_WALK_SHARED, map_page_visit,
					&d);
		else
			ret = walk_page(pgt, addr, HYP_WALK_LEAF, map_page_visit, &d);
	} else {
		/* HYP_MAP_IC_ONCE (exclusive only, checked by hyp_s2_map()): the
		 * I-cache for the whole range now, before any entry changes, and
		 * none per leaf (update_leaf() is told by IC_DONE). One page is
		 * one leaf: there the flag changes nothing. */
		if ((flags & HYP_MAP_IC_ONCE) && (d.cmo & HYP_LEAF_CMO_IC)) {
			s2_ic(pgt, pa, size);
			d.cmo = (d.cmo & ~(unsigned int)HYP_LEAF_CMO_IC) | CMO_IC_DONE;
		}
		/* Exclusive mode replaces tables by blocks where it can. */
		struct hyp_walker w = {map_visit, &d,
				       (flags & HYP_MAP_SHARED)
					   ? HYP_WALK_LEAF | HYP_WALK_SHARED
					   : HYP_WALK_LEAF | HYP_WALK_TABLE_PRE};

		ret = hyp__walk(pgt, addr, addr + size, &w);
	}
	if (d.tlb.n)
		hyp__tlb_flush(pgt, &d.tlb);
	return ret;
}

int hyp__pgt_map(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, uint64_t pa,
		 unsigned int prot, unsigned int flags)
{
	return map_range(pgt, addr, size, pa, prot, flags);
}

/* Here rather than in stage2.c: the fault path inlines into it. */
int hyp_s2_map(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t pa, unsigned int prot,
	       unsigned int flags)
{
	if (!pgt || !pgt->pgd || pgt->stage != HYP_PGT_STAGE2 ||
	    (flags & ~(HYP_MAP_SHARED | HYP_MAP_PAGES | HYP_MAP_FORCE | HYP_MAP_IC_ONCE)) ||
	    /* HYP_MAP_IC_ONCE with HYP_MAP_SHARED (bits 3 and 0) */
	    (flags & (flags << 3) & HYP_MAP_IC_ONCE))
		return HYP_EINVAL;
	return map_range(pgt, ipa, size, pa, prot, flags);
}

/* ---- owner annotations (hyp_s2_annotate_invalid()) */

/* Pass 1: every page of the range unmapped and not locked. */
static int annot_check_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	(void)visit;
	if (ctx->old & HYP_PTE_VALID)
		return HYP_EEXIST;
	return ctx->old == ctx->pgt->lock_mask ? HYP_EAGAIN : 0;
}

/* Pass 2, one page: tables down to level 3, then the annotation. */
static int annot_set_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	const hyp_pte_t *bits = ctx->arg;
	struct hyp_pgtable *pgt = ctx->pgt;
	hyp_pte_t desc;
	int ret;

	(void)visit;
	if (ctx->level < 3) {
		if (!*bits || ctx->old)
			return 0; /* nothing to clear (annotations live at level 3) */
		ret = alloc_chain(pgt, ctx->addr, ctx->level, 3, &desc);
		if (ret)
			return ret;
		hyp_pte_store_release(ctx->ptep, desc);
		table_get(pgt, ctx->ptep, ctx->level);
		return 0; /* the walk descends into the new table */
	}
	if (*bits) {
		if (!ctx->old)
			table_get(pgt, ctx->ptep, 3);
		hyp_pte_write(ctx->ptep, *bits);
	} else if (pte_is_annot(ctx->old)) {
		hyp_pte_write(ctx->ptep, 0);
		(void)table_put(pgt, ctx->ptep, 3); /* the table stays (documented) */
	}
	return 0;
}

int hyp__pgt_annotate(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, unsigned int owner)
{
	struct hyp_walker check = {annot_check_visit, NULL, HYP_WALK_LEAF};
	const hyp_pte_t bits = (hyp_pte_t)owner << HYP_S2_OWNER_SHIFT;
	int ret = hyp__check_range(pgt, addr, size);

	if (ret)
		return ret;
	ret = hyp__walk(pgt, addr, addr + size, &check);
	if (ret)
		return ret;
	if (owner)
		pgt->owners = 1;
	for (uint64_t a = addr; a < addr + size; a += granule(pgt)) {
		ret = walk_page(pgt, a, HYP_WALK_LEAF, annot_set_visit, (void *)&bits);
		if (ret)
			return ret;
	}
	return 0;
}

static int owner_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	unsigned int *owner = ctx->arg;

	(void)visit;
	if (ctx->old & HYP_PTE_VALID)
		return HYP_EEXIST;
	if (ctx->old == ctx->pgt->lock_mask)
		return HYP_EAGAIN;
	*owner = (unsigned int)((ctx->old & HYP_S2_OWNER_MASK) >> HYP_S2_OWNER_SHIFT);
	return 0;
}

int hyp__pgt_owner(struct hyp_pgtable *pgt, uint64_t addr, unsigned int *owner)
{
	return walk_page(pgt, addr & ~(granule(pgt) - 1), HYP_WALK_LEAF | HYP_WALK_SHARED, owner_visit,
			 owner);
}

struct unmap_data {
	struct tlb_batch tlb;
	/* The table page whose count dropped to 1 (no entries left), until
	 * its TABLE_POST visit frees it; NULL otherwise. Never kept past the
	 * free: the allocator may hand the same page back for a block split
	 * later in this walk, and a stale pointer would take that live table
	 * for empty (issue 11, defect 1). */
	void *empty;
};

static bool table_is_empty(struct hyp_pgtable *pgt, volatile hyp_pte_t *table)
{
	for (unsigned int i = 0; i < ptes_per_table(pgt); i++) {
		if (hyp_pte_read(&table[i]))
			return false;
	}
	return true;
}

static int unmap_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct unmap_data *d = ctx->arg;
	struct hyp_pgtable *pgt = ctx->pgt;
	const uint64_t size = level_size(pgt, ctx->level);
	const uint64_t base = ctx->addr & ~(size - 1);

	if (visit == HYP_WALK_TABLE_POST) {
		volatile hyp_pte_t *child = pte_child(pgt, ctx->old);

		if (pgt->ops->put_page ? d->empty != (void *)child : !table_is_empty(pgt, child))
			return 0;
		/* Unlink the empty table; free it once no TLB can walk it. */
		d->empty = NULL;
		hyp_pte_write(ctx->ptep, 0);
		hyp__tlb_add(pgt, &d->tlb, base, size, 0, false);
		hyp__tlb_flush(pgt, &d->tlb);
		pgt->ops->free_pages(pgt, (void *)child, 1);
		if (table_put(pgt, ctx->ptep, ctx->level) == 1)
			d->empty = page_of(pgt, ctx->ptep);
		return 0;
	}
	if (!(ctx->old & HYP_PTE_VALID))
		return 0;
	if (ctx->addr != base || ctx->end - base < size) {
		/* An empty table's subtree is behind us (its entries are all
		 * zero: nothing below it is split), so the page the split
		 * allocates can never be one still waiting to be freed. */
		d->empty = NULL;
		return hyp__split_block(ctx, &d->tlb, false);
	}
	hyp_pte_write(ctx->ptep, 0);
	hyp__tlb_add(pgt, &d->tlb, base, size, ctx->level, false);
	if (table_put(pgt, ctx->ptep, ctx->level) == 1)
		d->empty = page_of(pgt, ctx->ptep);
	return 0;
}

int hyp__pgt_unmap(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size)
{
	struct unmap_data d;
	struct hyp_walker w = {unmap_visit, &d, HYP_WALK_LEAF | HYP_WALK_TABLE_POST};
	int ret = hyp__check_range(pgt, addr, size);

	if (ret)
		return ret;
	d.tlb.n = 0;
	d.tlb.whole = false;
	d.empty = NULL;
	ret = hyp__walk(pgt, addr, addr + size, &w);
	hyp__tlb_flush(pgt, &d.tlb);
	return ret;
}

struct perm_data {
	struct tlb_batch tlb;
	uint64_t addr0;
	uint64_t *bitmap;
	unsigned int prot;
	int mode; /* PERM_SET, PERM_DIRTY, PERM_DIRTY_CLEAR */
	int young;
};

enum { PERM_SET, PERM_DIRTY, PERM_DIRTY_CLEAR, PERM_AGE, PERM_AGE_CLEAR };

static void set_bits(uint64_t *bitmap, uint64_t from, uint64_t to)
{
	for (; from < to && (from & 63); from++)
		bitmap[from >> 6] |= 1ull << (from & 63);
	for (; from + 64 <= to; from += 64)
		bitmap[from >> 6] = ~0ull;
	for (; from < to; from++)
		bitmap[from >> 6] |= 1ull << (from & 63);
}

static int perm_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct perm_data *d = ctx->arg;
	struct hyp_pgtable *pgt = ctx->pgt;
	const uint64_t size = level_size(pgt, ctx->level);
	const uint64_t base = ctx->addr & ~(size - 1);
	const bool partial = ctx->addr != base || ctx->end - base < size;
	hyp_pte_t old = ctx->old, want;
	const unsigned int prot = d->prot;

	(void)visit;
	if (!(old & HYP_PTE_VALID))
		return 0;
	switch (d->mode) {
	case PERM_AGE:
	case PERM_AGE_CLEAR:
		if (!(old & HYP_PTE_AF))
			return 0;
		if (d->young < 0x7fffffff)
			d->young++;
		if (d->mode == PERM_AGE_CLEAR)
			hyp_pte_write(ctx->ptep, old & ~HYP_PTE_AF);
		return 0;
	case PERM_DIRTY:
	case PERM_DIRTY_CLEAR:
		if (!(old & HYP_S2_PTE_S2AP_W))
			return 0;
		if (d->mode == PERM_DIRTY_CLEAR && partial)
			return hyp__split_block(ctx, &d->tlb, false);
		if (d->bitmap) {
			uint64_t hi = ctx->end - base < size ? ctx->end : base + size;

			set_bits(d->bitmap, (ctx->addr - d->addr0) >> pgt->cfg.granule_shift,
				 (hi - d->addr0) >> pgt->cfg.granule_shift);
		}
		if (d->mode == PERM_DIRTY)
			return 0;
		want = old & ~HYP_S2_PTE_S2AP_W;
		break;
	default:
		if (partial)
			return hyp__split_block(ctx, &d->tlb, false);
		want = (old & ~pgt->perm_mask) | pgt->perm_attr[prot];
		if (want == old)
			return 0;
		break;
	}
	return update_leaf(ctx, &d->tlb, old, want, false);
}

static int pgt_perm(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, unsigned int prot,
		    int mode, uint64_t *bitmap)
{
	struct perm_data d;
	struct hyp_walker w = {perm_visit, &d, HYP_WALK_LEAF};
	int ret = hyp__check_range(pgt, addr, size);

	if (ret)
		return ret;
	d.tlb.n = 0;
	d.tlb.whole = false;
	d.addr0 = addr;
	d.bitmap = bitmap;
	d.prot = prot;
	d.mode = mode;
	d.young = 0;
	ret = hyp__walk(pgt, addr, addr + size, &w);
	hyp__tlb_flush(pgt, &d.tlb);
	return ret ? ret : d.young;
}

static int device_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	(void)visit;
	if ((ctx->old & HYP_PTE_VALID) && memtype_is_device(pte_memtype(ctx->pgt, ctx->old)))
		return HYP_EINVAL;
	return 0;
}

int hyp__pgt_protect(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, unsigned int prot)
{
	int ret;

	if (prot & ~HYP_PROT_PERMS)
		return HYP_EINVAL;
	/* Execute on Device memory is refused as map refuses it, before
	 * anything changes (no split either): a read-only walk first, only
	 * when X is asked for. */
	if (prot & HYP_PROT_X) {
		struct hyp_walker w = {device_visit, NULL, HYP_WALK_LEAF};

		ret = hyp__check_range(pgt, addr, size);
		if (!ret)
			ret = hyp__walk(pgt, addr, addr + size, &w);
		if (ret)
			return ret;
	}
	return pgt_perm(pgt, addr, size, prot, PERM_SET, NULL);
}

int hyp__pgt_dirty(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, uint64_t *bitmap,
		   bool clear)
{
	return pgt_perm(pgt, addr, size, 0, clear ? PERM_DIRTY_CLEAR : PERM_DIRTY, bitmap);
}

int hyp__pgt_age(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, bool clear)
{
	return pgt_perm(pgt, addr, size, 0, clear ? PERM_AGE_CLEAR : PERM_AGE, NULL);
}

struct relax_data {
	struct tlb_batch tlb;
	unsigned int prot;
};

static int relax_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct relax_data *d = ctx->arg;
	struct hyp_pgtable *pgt = ctx->pgt;
	hyp_pte_t old = ctx->old, want;
	int ret;

	(void)visit;
	for (;;) {
		if (!(old & HYP_PTE_VALID))
			return old == pgt->lock_mask ? HYP_EAGAIN : HYP_ENOENT;
		if ((d->prot & HYP_PROT_X) && memtype_is_device(pte_memtype(pgt, old)))
			return HYP_EINVAL;
		want = perm_union(pgt, old, pgt->perm_attr[d->prot]) | HYP_PTE_AF;
		if (old & pgt->lock_mask)
			return (want | pgt->lock_mask) == old ? 0 : HYP_EAGAIN;
		if (want == old)
			return 0; /* spurious fault, or another CPU won the race */
		ret = update_leaf(ctx, &d->tlb, old, want, false);
		if (ret != RETRY)
			return ret;
		old = pte_load(ctx->ptep, ctx->flags);
	}
}

int hyp__pgt_relax(struct hyp_pgtable *pgt, uint64_t addr, unsigned int prot, unsigned int flags)
{
	struct relax_data d;
	struct hyp_walker w = {relax_visit, &d, HYP_WALK_LEAF};
	uint64_t page = addr & ~(granule(pgt) - 1);
	int ret;

	if (prot & ~HYP_PROT_PERMS)
		return HYP_EINVAL;
	if (addr >= pgt->ia_limit)
		return HYP_ERANGE;
	d.tlb.n = 0;
	d.tlb.whole = false;
	d.prot = prot;
	if (flags & HYP_MAP_SHARED)
		w.flags |= HYP_WALK_SHARED;
	ret = walk_page(pgt, page, w.flags, relax_visit, &d);
	if (d.tlb.n)
		hyp__tlb_flush(pgt, &d.tlb);
	return ret;
}

/* ---- the 4K fault entry (hyp_s2_fault_map_4k()) */

void hyp__s2_fault_setup(struct hyp_pgtable *pgt)
{
	for (unsigned int i = 0; i < 32; i++) {
		const unsigned int mt = i >> 3, perm = i & HYP_PROT_PERMS;

		pgt->page_tmpl[i] = memtype_is_device((int)mt) && (perm & HYP_PROT_X)
					? 0
					: pgt->mem_attr[mt] | pgt->perm_attr[perm] |
					      pgt->leaf_cmo[mt << 1 | !!(perm & HYP_PROT_X)];
	}
}

/* The lock a shared-mode walker sets on an entry it owns: the table's
 * configured bit (hyp_pgtable_cfg::lock_bit), as on every other path. */
static inline hyp_pte_t fault_lock_bit(const struct hyp_pgtable *pgt)
{
	return pgt->lock_mask;
}

/* 4K granule, constant shifts (init refuses the others): the index of
 * @p ipa in a level-@p level table (Arm ARM D8.2, 4KB translation granule:
 * level 0 IA[47:39], 1 IA[38:30], 2 IA[29:21], 3 IA[20:12]). */
#define S2_4K_SHIFT(level) (12u + 9u * (3u - (level)))
#define S2_4K_IDX(ipa, level) (((ipa) >> S2_4K_SHIFT(level)) & 511u)

/* The table a table descriptor points to: the declared linear map
 * (@p off, when @p lin), or the phys_to_virt hook (the identity without
 * one). */
static inline __attribute__((always_inline)) volatile hyp_pte_t *
fault_child(struct hyp_pgtable *pgt, hyp_pte_t pte, bool lin, uint64_t off)
{
	if (lin)
		return (volatile hyp_pte_t *)(uintptr_t)((pte & HYP_PTE_OA_MASK) + off);
	return pte_child(pgt, pte);
}

/* The same on the fast path, with the hook loaded once (@p p2v, never NULL
 * there: without a hook the table pages are at VA = PA, a linear map). */
static inline __attribute__((always_inline)) volatile hyp_pte_t *
fault_child_fast(struct hyp_pgtable *pgt, hyp_pte_t pte, bool lin, uint64_t off,
		 void *(*p2v)(struct hyp_pgtable *, uint64_t))
{
	if (lin)
		return (volatile hyp_pte_t *)(uintptr_t)((pte & HYP_PTE_OA_MASK) + off);
	return p2v(pgt, pte & HYP_PTE_OA_MASK);
}

/* fault_slow()'s @p how: the caller's HYP_MAP_* flags, the level where the
 * fast path stopped and the new leaf's HYP_LEAF_CMO_*. */
#define HOW_LEVEL_SHIFT 8
#define HOW_CMO_SHIFT	12

/*
 * Everything but a fresh page under existing tables: the rest of the
 * walk_page() loop from the entry @p ptep (value @p pte), with the visitor
 * hyp_s2_map() uses, so that tables, hooks and hardware accesses are those
 * of hyp_s2_map() for the same page. @p new is the page descriptor.
 */
static COLD int fault_slow(struct hyp_pgtable *pgt, uint64_t ipa, hyp_pte_t new, unsigned int how,
			   volatile hyp_pte_t *ptep, hyp_pte_t pte)
{
	const unsigned int wflags =
	    HYP_WALK_LEAF | ((how & HYP_MAP_SHARED) ? HYP_WALK_SHARED : 0);
	unsigned int level = (how >> HOW_LEVEL_SHIFT) & 0xfu;
	struct hyp_walk_ctx ctx;
	struct map_data d;
	int ret;

	d.addr0 = ipa;
	d.pa0 = new & HYP_PTE_OA_MASK;
	d.flags = how & 0xffu;
	d.attr = new & ~(HYP_PTE_OA_MASK | 3ull);
	d.cmo = how >> HOW_CMO_SHIFT;
	d.tlb.n = 0;
	d.tlb.whole = false;
	ctx.pgt = pgt;
	ctx.arg = &d;
	ctx.addr = ipa;
	ctx.end = ipa + 4096u;
	ctx.flags = wflags;
	for (;;) {
		while (level < 3 && (pte & 3u) == HYP_PTE_TYPE_TABLE) {
			level++;
			ptep = &fault_child(pgt, pte, pgt->cfg.linear_map,
					    pgt->cfg.linear_offset)[S2_4K_IDX(ipa, level)];
			pte = pte_load(ptep, wflags);
		}
		ctx.ptep = ptep;
		ctx.old = pte;
		ctx.level = level;
		ret = map_page_visit(&ctx, HYP_WALK_LEAF);
		if (ret || level == 3)
			break;
		pte = pte_load(ptep, wflags);
		if ((pte & 3u) != HYP_PTE_TYPE_TABLE)
			break;
	}
	if (d.tlb.n)
		hyp__tlb_flush(pgt, &d.tlb);
	return ret < 0 ? ret : 0;
}

static inline __attribute__((always_inline)) int fault_map(struct hyp_pgtable *pgt, uint64_t ipa,
							   uint64_t pa, hyp_pte_t tmpl,
							   unsigned int flags, unsigned int wflags,
							   bool lin, uint64_t off)
{
	const unsigned int cmo = (unsigned int)tmpl & 3u;
	void *(*const p2v)(struct hyp_pgtable *, uint64_t) = lin ? NULL : pgt->ops->phys_to_virt;
	volatile hyp_pte_t *ptep;
	hyp_pte_t pte;
	unsigned int level;

	/* Down the existing tables, constant shifts per level. */
	switch (pgt->start_level) {
	case 0:
		level = 0;
		ptep = &pgt->pgd[(ipa >> S2_4K_SHIFT(0)) & (pgt->pgd_entries - 1)];
		pte = pte_load(ptep, wflags);
		if ((pte & 3u) != HYP_PTE_TYPE_TABLE)
			goto slow;
		ptep = &fault_child_fast(pgt, pte, lin, off, p2v)[S2_4K_IDX(ipa, 1)];
		goto l1;
	case 1:
		ptep = &pgt->pgd[(ipa >> S2_4K_SHIFT(1)) & (pgt->pgd_entries - 1)];
	l1:
		level = 1;
		pte = pte_load(ptep, wflags);
		if ((pte & 3u) != HYP_PTE_TYPE_TABLE)
			goto slow;
		ptep = &fault_child_fast(pgt, pte, lin, off, p2v)[S2_4K_IDX(ipa, 2)];
		goto l2;
	default:
		ptep = &pgt->pgd[(ipa >> S2_4K_SHIFT(2)) & (pgt->pgd_entries - 1)];
	l2:
		level = 2;
		pte = pte_load(ptep, wflags);
		if ((pte & 3u) != HYP_PTE_TYPE_TABLE)
			goto slow;
		ptep = &fault_child_fast(pgt, pte, lin, off, p2v)[S2_4K_IDX(ipa, 3)];
		break;
	}
	level = 3;
	pte = pte_load(ptep, wflags);
	if (pte) {
		/* Mapped as asked already (a lost race, a spurious fault): what
		 * map_leaf_slow() answers, without its frame. */
		const hyp_pte_t new = pa | tmpl | HYP_PTE_TYPE_TABLE;

		if ((pte & HYP_PTE_VALID) && !(pte & fault_lock_bit(pgt)) &&
		    !((pte ^ new) & ~(pgt->perm_mask | PTE_IGNORED)) &&
		    pte == ((wflags & HYP_WALK_SHARED) ? perm_union(pgt, pte, new) | HYP_PTE_AF
						       : new | (pte & HYP_PTE_SW_MASK & ~pgt->lock_mask)))
			return 0;
		goto slow;
	}
	/* A fresh page: as map_page_visit() does it. */
	if (!(wflags & HYP_WALK_SHARED)) {
		if (cmo & HYP_LEAF_CMO_DC)
			s2_dc(pgt, pa, 4096u);
		if (cmo & HYP_LEAF_CMO_IC)
			s2_ic(pgt, pa, 4096u);
		hyp_pte_store_release(ptep, pa | tmpl | HYP_PTE_TYPE_TABLE);
	} else if (!cmo) {
		pte = hyp_pte_cas(ptep, 0, pa | tmpl | HYP_PTE_TYPE_TABLE);
		if (pte)
			goto slow;
	} else {
		/* Own the entry while cleaning: one CPU does the maintenance. */
		pte = hyp_pte_cas(ptep, 0, fault_lock_bit(pgt));
		if (pte)
			goto slow;
		if (cmo & HYP_LEAF_CMO_DC)
			s2_dc(pgt, pa, 4096u);
		if (cmo & HYP_LEAF_CMO_IC)
			s2_ic(pgt, pa, 4096u);
		hyp_pte_store_release(ptep, pa | tmpl | HYP_PTE_TYPE_TABLE);
	}
	/* table_get() at level 3 (never the pgd's level) */
	if (pgt->ops->get_page)
		pgt->ops->get_page(pgt, (void *)((uintptr_t)ptep & ~(uintptr_t)4095u), 1);
	return 0;
slow:
	return fault_slow(pgt, ipa, pa | (tmpl & ~3ull),
			  flags | level << HOW_LEVEL_SHIFT | cmo << HOW_CMO_SHIFT, ptep, pte);
}

int hyp_s2_fault_map_4k(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t pa, unsigned int prot,
			unsigned int flags)
{
	hyp_pte_t tmpl;

	/* hyp_s2_map()'s checks for one 4K page, in its order. */
	if (!pgt || !pgt->pgd || pgt->stage != HYP_PGT_STAGE2 ||
	    (((ipa | pa) & 4095u) | (flags & ~(HYP_MAP_SHARED | HYP_MAP_PAGES | HYP_MAP_FORCE)) |
	     (prot & ~(HYP_PROT_PERMS | HYP_MEM_MASK))))
		return HYP_EINVAL;
	/* 0 for execute on Device memory */
	tmpl = pgt->page_tmpl[(prot & HYP_MEM_MASK) >> 1 | (prot & HYP_PROT_PERMS)];
	if (!tmpl)
		return HYP_EINVAL;
	if (ipa >= pgt->ia_limit || pa >= pgt->pa_limit)
		return HYP_ERANGE;
	/* Four calls with constant modes and address translation, so that
	 * each folds its own. No phys_to_virt hook: VA = PA, a linear map. */
	if (pgt->cfg.linear_map || !pgt->ops->phys_to_virt) {
		const uint64_t off = pgt->cfg.linear_map ? pgt->cfg.linear_offset : 0;

		if (flags & HYP_MAP_SHARED)
			return fault_map(pgt, ipa, pa, tmpl, flags,
					 HYP_WALK_LEAF | HYP_WALK_SHARED, true, off);
		return fault_map(pgt, ipa, pa, tmpl, flags, HYP_WALK_LEAF, true, off);
	}
	if (flags & HYP_MAP_SHARED)
		return fault_map(pgt, ipa, pa, tmpl, flags, HYP_WALK_LEAF | HYP_WALK_SHARED, false,
				 0);
	return fault_map(pgt, ipa, pa, tmpl, flags, HYP_WALK_LEAF, false, 0);
}

/* ---- the 2M fault entry (hyp_s2_fault_map_2m()) */

/*
 * A fresh 2M block under existing level-0/1 tables (start level 0 to 2):
 * the walk with constant shifts down to the level-2 entry, the block
 * descriptor from the page template (the same attributes; type bits
 * [1:0] 0b01, Arm ARM D8.3.1 "Block descriptor"), the CMO for the whole
 * block and the store, as map_leaf_slow() does for an invalid entry.
 * Returns 1 where it did not map (the caller goes to hyp_s2_map()).
 */
static inline __attribute__((always_inline)) int fault_map_block(struct hyp_pgtable *pgt,
								 uint64_t ipa, uint64_t pa,
								 hyp_pte_t tmpl,
								 unsigned int wflags, bool lin,
								 uint64_t off)
{
	const unsigned int cmo = (unsigned int)tmpl & 3u;
	const hyp_pte_t new = pa | (tmpl & ~3ull) | HYP_PTE_TYPE_BLOCK;
	void *(*const p2v)(struct hyp_pgtable *, uint64_t) = lin ? NULL : pgt->ops->phys_to_virt;
	volatile hyp_pte_t *ptep;
	hyp_pte_t pte;

	switch (pgt->start_level) {
	case 0:
		pte = pte_load(&pgt->pgd[(ipa >> S2_4K_SHIFT(0)) & (pgt->pgd_entries - 1)], wflags);
		if ((pte & 3u) != HYP_PTE_TYPE_TABLE)
			return 1;
		ptep = &fault_child_fast(pgt, pte, lin, off, p2v)[S2_4K_IDX(ipa, 1)];
		goto l1;
	case 1:
		ptep = &pgt->pgd[(ipa >> S2_4K_SHIFT(1)) & (pgt->pgd_entries - 1)];
	l1:
		pte = pte_load(ptep, wflags);
		if ((pte & 3u) != HYP_PTE_TYPE_TABLE)
			return 1;
		ptep = &fault_child_fast(pgt, pte, lin, off, p2v)[S2_4K_IDX(ipa, 2)];
		break;
	default:
		ptep = &pgt->pgd[(ipa >> S2_4K_SHIFT(2)) & (pgt->pgd_entries - 1)];
		break;
	}
	if (pte_load(ptep, wflags))
		return 1;
	if (!(wflags & HYP_WALK_SHARED)) {
		if (cmo & HYP_LEAF_CMO_DC)
			s2_dc(pgt, pa, 1u << 21);
		if (cmo & HYP_LEAF_CMO_IC)
			s2_ic(pgt, pa, 1u << 21);
		hyp_pte_store_release(ptep, new);
	} else if (!cmo) {
		if (hyp_pte_cas(ptep, 0, new))
			return 1;
	} else {
		/* Own the entry while cleaning: one CPU does the maintenance. */
		if (hyp_pte_cas(ptep, 0, fault_lock_bit(pgt)))
			return 1;
		if (cmo & HYP_LEAF_CMO_DC)
			s2_dc(pgt, pa, 1u << 21);
		if (cmo & HYP_LEAF_CMO_IC)
			s2_ic(pgt, pa, 1u << 21);
		hyp_pte_store_release(ptep, new);
	}
	/* table_get() at level 2: not when level 2 is the pgd's */
	if (pgt->start_level != 2 && pgt->ops->get_page)
		pgt->ops->get_page(pgt, (void *)((uintptr_t)ptep & ~(uintptr_t)4095u), 1);
	return 0;
}

int hyp_s2_fault_map_2m(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t pa, unsigned int prot,
			unsigned int flags)
{
	const uint64_t sz = 1ull << 21;
	hyp_pte_t tmpl;
	int ret;

	/* The inline case: valid input (hyp_s2_map()'s checks for a 2M
	 * block), 2M-aligned, no HYP_MAP_PAGES / HYP_MAP_FORCE, no owner
	 * annotations (hyp_s2_map() looks for them first), blocks allowed at
	 * level 2. Everything else, bad input included, is hyp_s2_map(). */
	if (!pgt || !pgt->pgd || pgt->stage != HYP_PGT_STAGE2 ||
	    (((ipa | pa) & (sz - 1)) | (flags & ~HYP_MAP_SHARED) |
	     (prot & ~(HYP_PROT_PERMS | HYP_MEM_MASK))) ||
	    pgt->owners || pgt->min_block_level > 2 || ipa + sz > pgt->ia_limit ||
	    pa + sz > pgt->pa_limit || ipa + sz < ipa || pa + sz < pa)
		return hyp_s2_map(pgt, ipa, sz, pa, prot, flags);
	/* 0 for execute on Device memory */
	tmpl = pgt->page_tmpl[(prot & HYP_MEM_MASK) >> 1 | (prot & HYP_PROT_PERMS)];
	if (!tmpl)
		return HYP_EINVAL;
	if (pgt->cfg.linear_map || !pgt->ops->phys_to_virt) {
		const uint64_t off = pgt->cfg.linear_map ? pgt->cfg.linear_offset : 0;

		ret = (flags & HYP_MAP_SHARED)
			  ? fault_map_block(pgt, ipa, pa, tmpl, HYP_WALK_LEAF | HYP_WALK_SHARED,
					    true, off)
			  : fault_map_block(pgt, ipa, pa, tmpl, HYP_WALK_LEAF, true, off);
	} else {
		ret = (flags & HYP_MAP_SHARED)
			  ? fault_map_block(pgt, ipa, pa, tmpl, HYP_WALK_LEAF | HYP_WALK_SHARED,
					    false, 0)
			  : fault_map_block(pgt, ipa, pa, tmpl, HYP_WALK_LEAF, false, 0);
	}
	if (ret > 0)
		return hyp_s2_map(pgt, ipa, sz, pa, prot, flags);
	return ret;
}
