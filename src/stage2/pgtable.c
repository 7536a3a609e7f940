/* SPDX-License-Identifier: MIT */
/*
 * The generic walker and what every operation shares: table pages, block
 * splitting, batched TLB maintenance, configuration checks, lookups and
 * teardown. Descriptor formats: Arm ARM DDI 0487, D8.3.
 */
#include "internal.h"

/*
 * The walker is iterative: one frame per level in local arrays, no
 * recursion, so that the common case (one page, four levels) costs a few
 * instructions per level.
 */
int hyp__walk(struct hyp_pgtable *pgt, uint64_t addr, uint64_t end, const struct hyp_walker *w)
{
	const unsigned int flags = w->flags, top = pgt->start_level;
	const unsigned int mask = ptes_per_table(pgt) - 1;
	volatile hyp_pte_t *table[4];
	hyp_pte_t entry[4];	/* the table descriptors descended through */
	uint64_t entry_addr[4]; /* and the walk position when entering them */
	unsigned int idx[4], nent[4];
	unsigned int level = top;
	struct hyp_walk_ctx ctx;
	int ret;

	if (end - addr == granule(pgt) && !(flags & HYP_WALK_TABLE_POST))
		return walk_page(pgt, addr, flags, w->cb, w->arg);
	ctx.pgt = pgt;
	ctx.arg = w->arg;
	ctx.end = end;
	ctx.flags = flags;
	table[top] = pgt->pgd;
	nent[top] = pgt->pgd_entries;
	idx[top] = (unsigned int)(addr >> pgt->shift[top]) & (pgt->pgd_entries - 1);
	for (;;) {
		if (idx[level] < nent[level] && addr < end) {
			volatile hyp_pte_t *ptep = &table[level][idx[level]];
			hyp_pte_t pte = pte_load(ptep, flags);
			bool tbl = hyp_pte_is_table(pte, level);
			unsigned int visit = tbl ? HYP_WALK_TABLE_PRE : HYP_WALK_LEAF;

			if (flags & visit) {
				ctx.ptep = ptep;
				ctx.old = pte;
				ctx.addr = addr;
				ctx.level = level;
				ret = w->cb(&ctx, visit);
				if (ret < 0)
					return ret;
				/* The visitor may have installed or removed a table
				 * (never at level 3: no tables there). */
				if (ret == 0 && level < 3) {
					pte = pte_load(ptep, flags);
					tbl = hyp_pte_is_table(pte, level);
				} else {
					tbl = false;
				}
			}
			if (!tbl) {
				const uint64_t size = level_size(pgt, level);

				addr = (addr & ~(size - 1)) + size;
				if (addr >= end && !(flags & HYP_WALK_TABLE_POST))
					return 0;
				idx[level]++;
				continue;
			}
			entry[level] = pte;
			entry_addr[level] = addr;
			level++;
			table[level] = pte_child(pgt, pte);
			nent[level] = mask + 1;
			idx[level] = (unsigned int)(addr >> pgt->shift[level]) & mask;
			continue;
		}
		if (level == top)
			return 0;
		level--;
		if (flags & HYP_WALK_TABLE_POST) {
			ctx.ptep = &table[level][idx[level]];
			ctx.old = entry[level];
			ctx.addr = entry_addr[level];
			ctx.level = level;
			ret = w->cb(&ctx, HYP_WALK_TABLE_POST);
			if (ret < 0)
				return ret;
		}
		idx[level]++;
	}
}

int hyp__check_range(const struct hyp_pgtable *pgt, uint64_t addr, uint64_t size)
{
	if (!size || ((addr | size) & (granule(pgt) - 1)))
		return HYP_EINVAL;
	if (addr + size < addr || addr + size > pgt->ia_limit)
		return HYP_ERANGE;
	return 0;
}

int hyp_pgtable_walk(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size,
		     const struct hyp_walker *walker)
{
	int ret;

	if (!pgt || !pgt->pgd || !walker || !walker->cb ||
	    (walker->flags &
	     ~(HYP_WALK_LEAF | HYP_WALK_TABLE_PRE | HYP_WALK_TABLE_POST | HYP_WALK_SHARED)))
		return HYP_EINVAL;
	ret = hyp__check_range(pgt, addr, size);
	if (ret)
		return ret;
	return hyp__walk(pgt, addr, addr + size, walker);
}

bool hyp_walk_set_pte(struct hyp_walk_ctx *ctx, hyp_pte_t new_pte)
{
	if (!ctx || !ctx->ptep)
		return false;
	if (ctx->flags & HYP_WALK_SHARED)
		return hyp_pte_cas(ctx->ptep, ctx->old, new_pte) == ctx->old;
	hyp_pte_store_release(ctx->ptep, new_pte);
	return true;
}

void hyp__tlb_add(struct hyp_pgtable *pgt, struct tlb_batch *b, uint64_t addr, uint64_t size,
		  unsigned int level, bool whole)
{
	if (!pgt->ops->tlbi_addr)
		return;
	if (!b->n) {
		b->lo = addr;
		b->hi = addr + size;
		b->level = level;
		b->whole = false;
	} else {
		if (addr < b->lo)
			b->lo = addr;
		if (addr + size > b->hi)
			b->hi = addr + size;
		if (level != b->level)
			b->level = 0;
	}
	/* A table entry with live leaves below: one address is not enough. */
	if (whole && size > granule(pgt))
		b->whole = true;
	if (b->n < TLB_BATCH) {
		b->addr[b->n] = addr;
		b->lvl[b->n] = (uint8_t)level;
	}
	b->n++;
}

void hyp__tlb_flush(struct hyp_pgtable *pgt, struct tlb_batch *b)
{
	if (!b->n)
		return;
	hyp_dsb(ISH);
	if (b->whole || b->n > TLB_BATCH) {
		pgt->ops->tlbi_range(pgt, b->lo, b->hi - b->lo, b->level);
	} else {
		for (unsigned int i = 0; i < b->n; i++)
			pgt->ops->tlbi_addr(pgt, b->addr[i], b->lvl[i]);
	}
	hyp_dsb(ISH);
	/* EL2 stage 1 also governs this CPU's own instruction stream. */
	if (!is_stage2(pgt))
		hyp_isb();
	b->n = 0;
	b->whole = false;
}

void *hyp__table_alloc(struct hyp_pgtable *pgt)
{
	return pgt->ops->zalloc_pages(pgt, 1);
}

/* Free @p table (at @p level) and every table below it. No TLB
 * maintenance: the caller made the subtree unreachable and invalidated. */
void hyp__free_subtree(struct hyp_pgtable *pgt, volatile hyp_pte_t *table, unsigned int level)
{
	if (level < 3) {
		for (unsigned int i = 0; i < ptes_per_table(pgt); i++) {
			hyp_pte_t pte = hyp_pte_read(&table[i]);
			if (hyp_pte_is_table(pte, level))
				hyp__free_subtree(pgt, pte_child(pgt, pte), level + 1);
		}
	}
	pgt->ops->free_pages(pgt, (void *)table, 1);
}

/*
 * Build, off-line, the table that replaces the block @p leaf at @p level:
 * entries of the next level with the same attributes and consecutive
 * output addresses, down to pages if @p full. Nothing is linked until it
 * is complete, so a failed allocation frees what was built and leaves no
 * trace.
 */
int hyp__build_split(struct hyp_pgtable *pgt, hyp_pte_t leaf, unsigned int level, bool full,
		     hyp_pte_t *desc)
{
	const unsigned int sub = level + 1, n = ptes_per_table(pgt);
	const uint64_t step = level_size(pgt, sub);
	const hyp_pte_t attr = (leaf & PTE_ATTR_MASK) | leaf_type(sub);
	const uint64_t oa = leaf & HYP_PTE_OA_MASK;
	volatile hyp_pte_t *t = hyp__table_alloc(pgt);

	if (!t)
		return HYP_ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		hyp_pte_t e = (oa + i * step) | attr;

		if (full && sub < 3) {
			int ret = hyp__build_split(pgt, e, sub, true, &e);
			if (ret) {
				hyp__free_subtree(pgt, t, sub);
				return ret;
			}
		}
		hyp_pte_write(&t[i], e);
	}
	if (pgt->ops->get_page)
		pgt->ops->get_page(pgt, (void *)t, n);
	*desc = table_desc(pgt, (void *)t);
	return 0;
}

/* Exclusive mode: replace the visited block by a table of smaller
 * leaves, with break-before-make. The mapping does not change, so no
 * cache maintenance; the entry stays non-zero, so no reference change. */
int hyp__split_block(struct hyp_walk_ctx *ctx, struct tlb_batch *tlb, bool full)
{
	struct hyp_pgtable *pgt = ctx->pgt;
	const uint64_t size = level_size(pgt, ctx->level);
	hyp_pte_t desc;
	int ret;

	if (ctx->level == 3)
		return 0;
	ret = hyp__build_split(pgt, ctx->old, ctx->level, full, &desc);
	if (ret)
		return ret;
	hyp_pte_write(ctx->ptep, 0);
	hyp__tlb_add(pgt, tlb, ctx->addr & ~(size - 1), size, ctx->level, false);
	hyp__tlb_flush(pgt, tlb);
	hyp_pte_store_release(ctx->ptep, desc);
	return 0;
}

unsigned int hyp__ps_field(unsigned int pa_bits)
{
	/* ID_AA64MMFR0_EL1.PARange / VTCR_EL2.PS / TCR_EL2.PS encoding. */
	switch (pa_bits) {
	case 32:
		return 0;
	case 36:
		return 1;
	case 40:
		return 2;
	case 42:
		return 3;
	case 44:
		return 4;
	default:
		return 5; /* 48; 52-bit output addresses are not used */
	}
}

int hyp__check_cfg_ops(const struct hyp_pgtable_cfg *cfg, const struct hyp_pgtable_ops *ops)
{
	bool tlb;

	if (!cfg || !ops || !ops->zalloc_pages || !ops->free_pages)
		return HYP_EINVAL;
	if (!ops->get_page != !ops->put_page || !ops->virt_to_phys != !ops->phys_to_virt)
		return HYP_EINVAL;
	tlb = ops->tlbi_addr;
	if (tlb != !!ops->tlbi_range || tlb != !!ops->tlbi_all)
		return HYP_EINVAL;
	/* The lock is one of the software bits [58:55] (Arm ARM D8.3). */
	if (cfg->lock_bit && (cfg->lock_bit < 55 || cfg->lock_bit > 58))
		return HYP_EINVAL;
	if (cfg->granule_shift == 14 || cfg->granule_shift == 16)
		return HYP_ENOTSUP;
	if (cfg->granule_shift != 12)
		return HYP_EINVAL;
	switch (cfg->pa_bits) {
	case 32:
	case 36:
	case 40:
	case 42:
	case 44:
	case 48:
	case 52:
		break;
	default:
		return HYP_EINVAL;
	}
	/* The hardware hooks need real line sizes (CTR_EL0: 4 bytes to 2K). */
	if (ops->dcache_clean_inval_poc == hyp_pgtable_dcache_clean_inval_hw &&
	    (cfg->dline_shift < 2 || cfg->dline_shift > 11))
		return HYP_EINVAL;
	if (ops->icache_inval_pou == hyp_pgtable_icache_inval_hw &&
	    (cfg->iline_shift < 2 || cfg->iline_shift > 11))
		return HYP_EINVAL;
	return 0;
}

static void setup_attrs(struct hyp_pgtable *pgt)
{
	static const uint8_t s2_memattr[2][4] = {
	    {HYP_S2_MEMATTR_NORMAL_WB, HYP_S2_MEMATTR_NORMAL_NC, HYP_S2_MEMATTR_DEVICE_nGnRE,
	     HYP_S2_MEMATTR_DEVICE_nGnRnE},
	    {HYP_S2_MEMATTR_FWB_NORMAL_WB, HYP_S2_MEMATTR_FWB_NORMAL_NC,
	     HYP_S2_MEMATTR_FWB_DEVICE_nGnRE, HYP_S2_MEMATTR_FWB_DEVICE_nGnRnE},
	};
	static const uint8_t mair_idx[4] = {HYP_MAIR_IDX_NORMAL_WB, HYP_MAIR_IDX_NORMAL_NC,
					    HYP_MAIR_IDX_DEVICE_nGnRE, HYP_MAIR_IDX_DEVICE_nGnRnE};
	const hyp_pte_t common = HYP_PTE_SH_IS | HYP_PTE_AF;
	hyp_pte_t w_bit, x_bit, r_bit = 0, deny = 0;

	if (pgt->stage == HYP_PGT_STAGE2) {
		for (int i = 0; i < 4; i++)
			pgt->mem_attr[i] =
			    HYP_S2_PTE_MEMATTR(s2_memattr[pgt->cfg.s2fwb][i]) | common;
		pgt->attr_mask = HYP_S2_PTE_MEMATTR_MASK;
		r_bit = HYP_S2_PTE_S2AP_R;
		w_bit = HYP_S2_PTE_S2AP_W;
		x_bit = HYP_S2_PTE_XN;
		pgt->perm_mask =
		    HYP_S2_PTE_S2AP_R | HYP_S2_PTE_S2AP_W | HYP_S2_PTE_XN | HYP_S2_PTE_XN0;
		pgt->exec_mask = HYP_S2_PTE_XN | HYP_S2_PTE_XN0;
	} else {
		/* E2H = 0: one privilege level, AP[1] RES1, bit 54 XN. E2H = 1:
		 * AP[1] = 0 keeps EL0 out, UXN always, PXN per mapping. */
		bool vhe = pgt->stage == HYP_PGT_EL2_VHE;
		hyp_pte_t extra = vhe ? HYP_S1_PTE_XN : HYP_S1_PTE_AP_EL0;

		for (int i = 0; i < 4; i++)
			pgt->mem_attr[i] = HYP_S1_PTE_ATTRINDX(mair_idx[i]) | common | extra;
		pgt->attr_mask = HYP_S1_PTE_ATTRINDX(7);
		w_bit = HYP_S1_PTE_AP_RO;
		x_bit = vhe ? HYP_S1_PTE_PXN : HYP_S1_PTE_XN;
		deny = HYP_S1_PTE_AP_RO;
		pgt->perm_mask = HYP_S1_PTE_AP_RO | x_bit;
		pgt->exec_mask = x_bit;
	}
	for (unsigned int p = 0; p < 8; p++) {
		hyp_pte_t v = 0;

		if (p & HYP_PROT_R)
			v |= r_bit;
		if (pgt->stage == HYP_PGT_STAGE2) {
			if (p & HYP_PROT_W)
				v |= w_bit;
		} else if (!(p & HYP_PROT_W)) {
			v |= deny;
		}
		if (!(p & HYP_PROT_X))
			v |= x_bit;
		pgt->perm_attr[p] = v;
	}
}

int hyp__pgt_setup(struct hyp_pgtable *pgt, const struct hyp_pgtable_cfg *cfg,
		   const struct hyp_pgtable_ops *ops, void *ctx, enum hyp_pgtable_stage stage,
		   unsigned int start_level)
{
	const unsigned int g = cfg->granule_shift;
	void *pgd;
	uint64_t pa, bytes;

	*pgt = (struct hyp_pgtable){0};
	pgt->ops = ops;
	pgt->ctx = ctx;
	pgt->cfg = *cfg;
	if (pgt->cfg.pa_bits > 48)
		pgt->cfg.pa_bits = 48;
	if (!pgt->cfg.lock_bit)
		pgt->cfg.lock_bit = HYP_PTE_LOCK_BIT_DEFAULT;
	pgt->lock_mask = 1ull << pgt->cfg.lock_bit;
	pgt->stage = (uint8_t)stage;
	pgt->start_level = (uint8_t)start_level;
	for (unsigned int l = 0; l < 4; l++)
		pgt->shift[l] = (uint8_t)(g + (g - 3) * (3 - l));
	pgt->min_block_level = g == 12 ? 1 : 2;
	pgt->idx_mask = (uint16_t)((1u << (g - 3)) - 1);
	pgt->granule = 1ull << g;
	pgt->ia_limit = 1ull << cfg->ia_bits;
	pgt->pa_limit = 1ull << pgt->cfg.pa_bits;
	pgt->pgd_entries = 1u << (cfg->ia_bits - pgt->shift[start_level]);
	pgt->pgd_pages = (uint8_t)(pgt->pgd_entries > ptes_per_table(pgt)
				       ? pgt->pgd_entries / ptes_per_table(pgt)
				       : 1);
	setup_attrs(pgt);
	/* Cache maintenance a new leaf needs, per memory type and execute
	 * permission (seed 001): D-cache for Normal cacheable memory unless FWB
	 * makes stage 2 force write-back, executable or not: with FWB the
	 * architecture requires CLIDR_EL1.{LoUU, LoUIS} = {0, 0}, so no D-cache
	 * clean is needed for instruction fetches either, whatever
	 * CTR_EL0.IDC (Arm ARM D8.6.6; D24.2.42 CTR_EL0.IDC); I-cache for
	 * executable leaves unless DIC. */
	for (unsigned int i = 0; i < 8 && stage == HYP_PGT_STAGE2; i++) {
		const bool normal = (i >> 1) == 0, x = i & 1;

		if (ops->dcache_clean_inval_poc && normal && !cfg->s2fwb)
			pgt->leaf_cmo[i] |= HYP_LEAF_CMO_DC;
		if (ops->icache_inval_pou && x && !cfg->dic)
			pgt->leaf_cmo[i] |= HYP_LEAF_CMO_IC;
	}

	pgd = ops->zalloc_pages(pgt, pgt->pgd_pages);
	if (!pgd)
		return HYP_ENOMEM;
	pa = pgt_v2p(pgt, pgd);
	bytes = (uint64_t)pgt->pgd_pages << g;
	/* The base register needs the table aligned to its size (Arm ARM D8,
	 * "Concatenated translation tables"; VTTBR_EL2.BADDR), and it must be
	 * reachable with the output size. */
	if ((pa & (bytes - 1)) || pa + bytes > pgt->pa_limit) {
		ops->free_pages(pgt, pgd, pgt->pgd_pages);
		return HYP_EFAULT;
	}
	pgt->pgd = pgd;
	pgt->pgd_pa = pa;
	return 0;
}

struct leaf_data {
	hyp_pte_t pte;
	unsigned int level;
};

static int leaf_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct leaf_data *d = ctx->arg;

	(void)visit;
	/* A locked entry is invalid to the hardware, so it reads as unmapped. */
	d->pte = (ctx->old & HYP_PTE_VALID) ? ctx->old : 0;
	d->level = ctx->level;
	return 0;
}

int hyp_pgtable_get_leaf(struct hyp_pgtable *pgt, uint64_t addr, hyp_pte_t *pte,
			 unsigned int *level)
{
	struct leaf_data d = {0, 0};
	struct hyp_walker w = {leaf_visit, &d, HYP_WALK_LEAF};
	uint64_t page;
	int ret;

	if (!pgt || !pgt->pgd)
		return HYP_EINVAL;
	if (addr >= pgt->ia_limit)
		return HYP_ERANGE;
	page = addr & ~(granule(pgt) - 1);
	ret = hyp__walk(pgt, page, page + granule(pgt), &w);
	if (ret)
		return ret;
	if (pte)
		*pte = d.pte;
	if (level)
		*level = d.level;
	return 0;
}

unsigned int hyp_pgtable_pte_prot(const struct hyp_pgtable *pgt, hyp_pte_t pte)
{
	unsigned int prot = 0;
	int mt;

	if (!pgt)
		return 0;
	mt = pte_memtype(pgt, pte);
	if (pgt->stage == HYP_PGT_STAGE2) {
		if (pte & HYP_S2_PTE_S2AP_R)
			prot |= HYP_PROT_R;
		if (pte & HYP_S2_PTE_S2AP_W)
			prot |= HYP_PROT_W;
	} else {
		prot |= HYP_PROT_R;
		if (!(pte & HYP_S1_PTE_AP_RO))
			prot |= HYP_PROT_W;
	}
	if (pte_exec(pgt, pte))
		prot |= HYP_PROT_X;
	return prot | ((mt < 0 ? 0u : (unsigned int)mt) << 4);
}

int hyp_pgtable_translate(struct hyp_pgtable *pgt, uint64_t addr, uint64_t *pa, unsigned int *prot)
{
	hyp_pte_t pte;
	unsigned int level;
	int ret = hyp_pgtable_get_leaf(pgt, addr, &pte, &level);

	if (ret)
		return ret;
	if (!(pte & HYP_PTE_VALID))
		return HYP_ENOENT;
	if (pa)
		*pa = (pte & HYP_PTE_OA_MASK) + (addr & (level_size(pgt, level) - 1));
	if (prot)
		*prot = hyp_pgtable_pte_prot(pgt, pte);
	return 0;
}

static int destroy_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	(void)visit;
	/* Depth first: the tables below were freed by their own visits. */
	ctx->pgt->ops->free_pages(ctx->pgt, (void *)pte_child(ctx->pgt, ctx->old), 1);
	return 0;
}

void hyp_pgtable_destroy(struct hyp_pgtable *pgt)
{
	struct hyp_walker w = {destroy_visit, NULL, HYP_WALK_TABLE_POST};

	if (!pgt || !pgt->pgd)
		return;
	if (pgt->ops->tlbi_all) {
		hyp_dsb(ISH);
		pgt->ops->tlbi_all(pgt);
		hyp_dsb(ISH);
		if (!is_stage2(pgt))
			hyp_isb();
	}
	hyp__walk(pgt, 0, pgt->ia_limit, &w);
	pgt->ops->free_pages(pgt, (void *)pgt->pgd, pgt->pgd_pages);
	pgt->pgd = NULL;
}
