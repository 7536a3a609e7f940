/* SPDX-License-Identifier: MIT */
/*
 * Stage 2 of the EL1&0 translation regime: VTCR_EL2/VTTBR_EL2, and the
 * entry points (argument checks, then the shared operations), plus block
 * split and collapse.
 */
#include "internal.h"

static bool s2_ok(const struct hyp_pgtable *pgt)
{
	return pgt && pgt->pgd && pgt->stage == HYP_PGT_STAGE2;
}

/*
 * The start level with the fewest levels for @p ia_bits: a level resolves
 * granule_shift - 3 bits, plus up to 4 more by concatenating up to 16
 * tables (Arm ARM D8, "Concatenated translation tables"; the T0SZ/SL0
 * consistency rule of the AArch64.S2InconsistentSL() pseudocode).
 */
static unsigned int s2_start_level(unsigned int ia_bits, unsigned int g)
{
	unsigned int level = 2;

	while (level > 0 && ia_bits > g + (g - 3) * (3 - level) + (g - 3) + 4)
		level--;
	return level;
}

int hyp_s2_init(struct hyp_pgtable *pgt, const struct hyp_pgtable_cfg *cfg,
		const struct hyp_pgtable_ops *ops, void *ctx, uint16_t vmid)
{
	unsigned int pa_bits, start;
	int ret;

	if (!pgt)
		return HYP_EINVAL;
	ret = hyp__check_cfg_ops(cfg, ops);
	if (ret)
		return ret;
	pa_bits = cfg->pa_bits > 48 ? 48 : cfg->pa_bits;
	/* T0SZ 16..39 for the 4K granule without FEAT_TTST; no IPA beyond PA. */
	if (cfg->ia_bits < 25 || cfg->ia_bits > 48 || cfg->ia_bits > pa_bits)
		return HYP_EINVAL;
	if (!cfg->vmid16 && vmid > 0xff)
		return HYP_EINVAL;
	start = s2_start_level(cfg->ia_bits, cfg->granule_shift);
	ret = hyp__pgt_setup(pgt, cfg, ops, ctx, HYP_PGT_STAGE2, start);
	if (ret)
		return ret;
	pgt->vmid = vmid;
	pgt->ctlr = (64u - cfg->ia_bits) | HYP_FIELD_PREP(VTCR, SL0, 2 - start) |
		    /* walks inner/outer write-back write-allocate, inner shareable, 4K */
		    HYP_FIELD_PREP(VTCR, IRGN0, 1) | HYP_FIELD_PREP(VTCR, ORGN0, 1) |
		    HYP_FIELD_PREP(VTCR, SH0, 3) | HYP_FIELD_PREP(VTCR, TG0, 0) |
		    HYP_FIELD_PREP(VTCR, PS, hyp__ps_field(pa_bits)) |
		    (cfg->vmid16 ? HYP_VTCR_VS : 0) | HYP_VTCR_RES1_31;
	pgt->ttbr = pgt->pgd_pa | ((uint64_t)vmid << 48);
	hyp__s2_fault_setup(pgt);
	return 0;
}

int hyp_s2_load(const struct hyp_pgtable *pgt)
{
	if (!s2_ok(pgt))
		return HYP_EINVAL;
	hyp_write_sysreg(HYP_SYS_VTCR_EL2, pgt->ctlr);
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, pgt->ttbr);
	hyp_isb();
	return 0;
}

int hyp_s2_unmap(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size)
{
	if (!s2_ok(pgt))
		return HYP_EINVAL;
	return hyp__pgt_unmap(pgt, ipa, size);
}

int hyp_s2_protect(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size, unsigned int prot)
{
	if (!s2_ok(pgt))
		return HYP_EINVAL;
	return hyp__pgt_protect(pgt, ipa, size, prot);
}

int hyp_s2_relax(struct hyp_pgtable *pgt, uint64_t ipa, unsigned int prot, unsigned int flags)
{
	if (!s2_ok(pgt) || (flags & ~HYP_MAP_SHARED))
		return HYP_EINVAL;
	return hyp__pgt_relax(pgt, ipa, prot, flags);
}

int hyp_s2_wrprotect(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size)
{
	if (!s2_ok(pgt))
		return HYP_EINVAL;
	return hyp__pgt_dirty(pgt, ipa, size, NULL, true);
}

int hyp_s2_dirty_log(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size, uint64_t *bitmap,
		     bool clear)
{
	if (!s2_ok(pgt) || !bitmap)
		return HYP_EINVAL;
	return hyp__pgt_dirty(pgt, ipa, size, bitmap, clear);
}

int hyp_s2_age(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size, bool clear)
{
	if (!s2_ok(pgt))
		return HYP_EINVAL;
	return hyp__pgt_age(pgt, ipa, size, clear);
}

struct sw_data {
	uint64_t mask, val;
	uint64_t *out; /* get: where the bits go */
};

static int sw_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	const struct sw_data *d = ctx->arg;
	const struct hyp_pgtable *pgt = ctx->pgt;
	hyp_pte_t old = ctx->old, want, seen;

	(void)visit;
	for (;;) {
		if (!(old & HYP_PTE_VALID))
			return old == pgt->lock_mask ? HYP_EAGAIN : HYP_ENOENT;
		if (d->out) {
			*d->out = hyp_pgtable_sw_from_pte(pgt, old);
			return 0;
		}
		if (old & pgt->lock_mask)
			return HYP_EAGAIN;
		want = (old & ~d->mask) | d->val;
		if (want == old)
			return 0;
		if (!(ctx->flags & HYP_WALK_SHARED)) {
			hyp_pte_write(ctx->ptep, want);
			return 0;
		}
		seen = hyp_pte_cas(ctx->ptep, old, want);
		if (seen == old)
			return 0;
		old = seen;
	}
}

int hyp_s2_set_sw_bits(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t mask, uint64_t val,
		       unsigned int flags)
{
	struct sw_data d = {0, 0, NULL};
	unsigned int wf = HYP_WALK_LEAF;

	if (!s2_ok(pgt) || (flags & ~HYP_MAP_SHARED) || (mask & ~HYP_PTE_SW_USER_MASK) ||
	    (val & ~mask))
		return HYP_EINVAL;
	/* The API's numbering to descriptor bits (the lock may have moved). */
	d.mask = hyp_pgtable_sw_to_pte(pgt, mask);
	d.val = hyp_pgtable_sw_to_pte(pgt, val);
	if (ipa >= pgt->ia_limit)
		return HYP_ERANGE;
	if (flags & HYP_MAP_SHARED)
		wf |= HYP_WALK_SHARED;
	return walk_page(pgt, ipa & ~(granule(pgt) - 1), wf, sw_visit, &d);
}

int hyp_s2_get_sw_bits(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t *val)
{
	uint64_t bits = 0;
	struct sw_data d = {0, 0, &bits};
	int ret;

	if (!s2_ok(pgt) || !val)
		return HYP_EINVAL;
	if (ipa >= pgt->ia_limit)
		return HYP_ERANGE;
	ret = walk_page(pgt, ipa & ~(granule(pgt) - 1), HYP_WALK_LEAF | HYP_WALK_SHARED, sw_visit,
			&d);
	if (!ret)
		*val = bits;
	return ret;
}

int hyp_s2_annotate_invalid(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size,
			    unsigned int owner)
{
	if (!s2_ok(pgt) || owner > HYP_S2_OWNER_MAX)
		return HYP_EINVAL;
	return hyp__pgt_annotate(pgt, ipa, size, owner);
}

int hyp_s2_get_owner(struct hyp_pgtable *pgt, uint64_t ipa, unsigned int *owner)
{
	unsigned int o = 0;
	int ret;

	if (!s2_ok(pgt) || !owner)
		return HYP_EINVAL;
	if (ipa >= pgt->ia_limit)
		return HYP_ERANGE;
	ret = hyp__pgt_owner(pgt, ipa, &o);
	if (!ret)
		*owner = o;
	return ret;
}

struct split_data {
	struct tlb_batch tlb;
};

static int split_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct split_data *d = ctx->arg;
	int ret;

	(void)visit;
	if (!hyp_pte_is_leaf(ctx->old, ctx->level) || ctx->level == 3)
		return 0;
	ret = hyp__split_block(ctx, &d->tlb, true);
	/* The new subtree holds only pages: nothing to visit below. */
	return ret ? ret : HYP_WALK_SKIP;
}

int hyp_s2_split(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size)
{
	struct split_data d;
	struct hyp_walker w = {split_visit, &d, HYP_WALK_LEAF};

	if (!s2_ok(pgt))
		return HYP_EINVAL;
	return walk_batched(pgt, ipa, size, &w, &d.tlb);
}

struct collapse_data {
	struct tlb_batch tlb;
	int blocks;
};

static int collapse_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct collapse_data *d = ctx->arg;
	struct hyp_pgtable *pgt = ctx->pgt;
	const unsigned int level = ctx->level, sub = level + 1;
	const uint64_t size = level_size(pgt, level), step = level_size(pgt, sub);
	volatile hyp_pte_t *child;
	hyp_pte_t e, attr, young;
	uint64_t oa;

	(void)visit;
	if (level < pgt->min_block_level || (ctx->addr & (size - 1)) || ctx->end - ctx->addr < size)
		return 0;
	child = pte_child(pgt, ctx->old);
	e = hyp_pte_read(&child[0]);
	oa = e & HYP_PTE_OA_MASK;
	attr = e & PTE_ATTR_MASK & ~PTE_IGNORED;
	young = e & HYP_PTE_AF;
	if (!hyp_pte_is_leaf(e, sub) || (oa & (size - 1)))
		return 0;
	for (unsigned int i = 1; i < ptes_per_table(pgt); i++) {
		e = hyp_pte_read(&child[i]);
		if (!hyp_pte_is_leaf(e, sub) || (e & HYP_PTE_OA_MASK) != oa + i * step ||
		    (e & PTE_ATTR_MASK & ~PTE_IGNORED) != attr)
			return 0;
		young |= e & HYP_PTE_AF;
	}
	/* Same mapping, larger size: break-before-make over the whole span,
	 * no cache maintenance. */
	hyp_pte_write(ctx->ptep, 0);
	hyp__tlb_add(pgt, &d->tlb, ctx->addr, size, 0, true);
	hyp__tlb_flush(pgt, &d->tlb);
	hyp_pte_store_release(ctx->ptep, oa | attr | young | HYP_PTE_TYPE_BLOCK);
	pgt->ops->free_pages(pgt, (void *)child, 1);
	d->blocks++;
	return 0;
}

int hyp_s2_collapse(struct hyp_pgtable *pgt, uint64_t ipa, uint64_t size)
{
	struct collapse_data d;
	struct hyp_walker w = {collapse_visit, &d, HYP_WALK_TABLE_POST};
	int ret;

	if (!s2_ok(pgt))
		return HYP_EINVAL;
	d.blocks = 0;
	ret = walk_batched(pgt, ipa, size, &w, &d.tlb);
	return ret ? ret : d.blocks;
}
