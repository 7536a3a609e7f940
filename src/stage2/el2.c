/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own EL2 stage-1 tables: TCR_EL2/TTBR0_EL2, the map
 * entry points and turning the EL2 MMU on.
 */
#include <libhyp/cpufeat.h>
#include <libhyp/el2_pgtable.h>

#include "internal.h"

static bool el2_ok(const struct hyp_pgtable *pgt)
{
	return pgt && pgt->pgd && (pgt->stage == HYP_PGT_EL2 || pgt->stage == HYP_PGT_EL2_VHE);
}

int hyp_el2_init(struct hyp_pgtable *pgt, const struct hyp_pgtable_cfg *cfg,
		 const struct hyp_pgtable_ops *ops, void *ctx, unsigned int flags)
{
	bool vhe = flags & HYP_EL2_VHE;
	unsigned int start, g;
	uint64_t tcr;
	int ret;

	if (!pgt || (flags & ~HYP_EL2_VHE))
		return HYP_EINVAL;
	/* The EL2 mode has one source, the record (or the build constant); the
	 * deprecated HYP_EL2_VHE must agree with it, and decides only while
	 * nothing is recorded. */
	if (hyp_el2_mode_known()) {
		if (vhe && !hyp_el2_e2h())
			return HYP_EINVAL;
		vhe = hyp_el2_e2h();
	}
	ret = hyp__check_cfg_ops(cfg, ops);
	if (ret)
		return ret;
	if (cfg->ia_bits < 25 || cfg->ia_bits > 48)
		return HYP_EINVAL;
	/* Stage 1 has no concatenation: the level that resolves the top bits. */
	g = cfg->granule_shift;
	start = 2;
	while (start > 0 && cfg->ia_bits > g + (g - 3) * (4 - start))
		start--;
	ret = hyp__pgt_setup(pgt, cfg, ops, ctx, vhe ? HYP_PGT_EL2_VHE : HYP_PGT_EL2, start);
	if (ret)
		return ret;
	tcr = (64u - cfg->ia_bits) | HYP_FIELD_PREP(TCR, IRGN0, 1) | HYP_FIELD_PREP(TCR, ORGN0, 1) |
	      HYP_FIELD_PREP(TCR, SH0, 3) | HYP_FIELD_PREP(TCR, TG0, 0); /* WBWA, inner shareable, 4K */
	if (vhe)
		/* TCR_EL1 layout: no TTBR1 walks, TG1 0b10 = 4K */
		tcr |= HYP_TCR_E2H_EPD1 | HYP_FIELD_PREP(TCR_E2H, TG1, 2) |
		       ((uint64_t)hyp__ps_field(pgt->cfg.pa_bits) << HYP_TCR_E2H_IPS_SHIFT);
	else
		tcr |= HYP_TCR_RES1_31 | HYP_TCR_RES1_23 |
		       ((uint64_t)hyp__ps_field(pgt->cfg.pa_bits) << HYP_TCR_PS_SHIFT);
	pgt->ctlr = tcr;
	pgt->ttbr = pgt->pgd_pa;
	return 0;
}

int hyp_el2_map(struct hyp_pgtable *pgt, uint64_t va, uint64_t size, uint64_t pa, unsigned int prot)
{
	if (!el2_ok(pgt) || !(prot & HYP_PROT_R))
		return HYP_EINVAL;
	return hyp__pgt_map(pgt, va, size, pa, prot, 0);
}

int hyp_el2_unmap(struct hyp_pgtable *pgt, uint64_t va, uint64_t size)
{
	if (!el2_ok(pgt))
		return HYP_EINVAL;
	return hyp__pgt_unmap(pgt, va, size);
}

int hyp_el2_protect(struct hyp_pgtable *pgt, uint64_t va, uint64_t size, unsigned int prot)
{
	if (!el2_ok(pgt) || !(prot & HYP_PROT_R))
		return HYP_EINVAL;
	return hyp__pgt_protect(pgt, va, size, prot);
}

int hyp_el2_mmu_enable(const struct hyp_pgtable *pgt)
{
	if (!el2_ok(pgt))
		return HYP_EINVAL;
	hyp_write_sysreg(HYP_SYS_MAIR_EL2, HYP_MAIR_EL2_VALUE);
	hyp_write_sysreg(HYP_SYS_TCR_EL2, pgt->ctlr);
	hyp_write_sysreg(HYP_SYS_TTBR0_EL2, pgt->ttbr);
	hyp_isb();
	/* Nothing cached from earlier EL2 tables may survive. */
	hyp_tlbi_alle2is();
	hyp_dsb(ISH);
	hyp_isb();
	hyp_write_sysreg(HYP_SYS_SCTLR_EL2,
			 hyp_read_sysreg(HYP_SYS_SCTLR_EL2) | HYP_SCTLR_M | HYP_SCTLR_C | HYP_SCTLR_I);
	hyp_isb();
	return 0;
}
