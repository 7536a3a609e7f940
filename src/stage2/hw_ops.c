/* SPDX-License-Identifier: MIT */
/*
 * Cache and TLB maintenance hooks implemented with libhyp/hw.h, for
 * integrators that do it themselves at EL2. TLB maintenance: Arm ARM
 * D8.17; a stage-2 change also needs the stage-1 entries cached through
 * it removed (TLBI VMALLE1IS after the IPA-based TLBI has completed).
 */
#include "internal.h"

/* Up to this many pages are invalidated one by one without FEAT_TLBIRANGE. */
#define TLBI_PAGES_MAX 64
/* The most a range TLBI sequence covers: NUM 31, SCALE 3 (2^21 granules). */
#define TLBI_RANGE_PAGES_MAX (32ull << 16)

static unsigned int ttl_hint(const struct hyp_pgtable *pgt, unsigned int level)
{
	unsigned int tg = pgt->cfg.granule_shift == 16 ? 3 : pgt->cfg.granule_shift == 14 ? 2 : 1;

	return (pgt->cfg.ttl && level) ? (tg << 2) | level : 0;
}

void hyp_pgtable_dcache_clean_inval_hw(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	if (!pgt)
		return;
	hyp_dcache_clean_inval_poc((uintptr_t)pgt_p2v(pgt, pa), size, pgt->cfg.dline_shift);
}

/*
 * By VA only for a PIPT I-cache, where maintenance of one alias is seen by
 * every VA and IPA alias (Arm ARM D8.18.2.1). A VIPT I-cache is maintained
 * by VA only for the VA given, here the hypervisor's, not the one the
 * guest executes from (D8.18.2.2): only invalidating the whole I-cache
 * reaches those. cfg.l1ip is CTR_EL0.L1Ip from cpufeat's cached view
 * (D24.2.42); reserved values are treated as VIPT. Above
 * HYP_PGTABLE_IC_ALL_BYTES (a 1 GiB block, a VM's RAM mapped with
 * HYP_MAP_IC_ONCE) the whole I-cache too: one instruction instead of one
 * per line.
 */
void hyp_pgtable_icache_inval_hw(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	if (!pgt)
		return;
	if (pgt->cfg.l1ip != HYP_L1IP_PIPT || size > HYP_PGTABLE_IC_ALL_BYTES) {
		hyp_icache_inval_all();
		return;
	}
	hyp_icache_inval_pou((uintptr_t)pgt_p2v(pgt, pa), size, pgt->cfg.iline_shift);
}

/*
 * TLBI VMALLE1IS for the guest's stage 1. At EL2 with HCR_EL2.{E2H, TGE} =
 * {1, 1} (a VHE host between guests) it would act on the EL2&0 regime
 * instead (Arm ARM C5.5.78), so TGE is cleared around it and restored,
 * each change made visible with an ISB (as the guest entry does). The
 * stage-2 TLBIs act on EL1&0 whatever TGE (their EL2 pseudocode names
 * Regime_EL10: C5.5.81 VMALLS12E1IS, C5.5.15 IPAS2E1OS and its IS form):
 * left alone.
 * Interrupts should be masked around a call with TGE set (they route
 * differently for those few instructions). Cost: one MRS HCR_EL2; two
 * MSRs and two ISBs more only when TGE is set.
 */
static void tlbi_guest_stage1(void)
{
	const uint64_t hcr = hyp_read_sysreg(HYP_SYS_HCR_EL2);

	if ((hcr & (HYP_HCR_E2H | HYP_HCR_TGE)) != (HYP_HCR_E2H | HYP_HCR_TGE)) {
		hyp_tlbi_vmalle1is();
		return;
	}
	hyp_write_sysreg(HYP_SYS_HCR_EL2, hcr & ~HYP_HCR_TGE);
	hyp_isb();
	hyp_tlbi_vmalle1is();
	hyp_write_sysreg(HYP_SYS_HCR_EL2, hcr);
	hyp_isb();
}

/* VTTBR_EL2.VMID, bits [63:48] (the upper 8 are RES0 with 8-bit VMIDs). */
#define VTTBR_VMID_MASK (0xffffull << 48)

/*
 * The stage-2 TLBIs (IPAS2E1IS, RIPAS2E1IS, VMALLS12E1IS) and VMALLE1IS act
 * on entries "used with the current VMID": the VMID[] of their pseudocode
 * is VTTBR_EL2.VMID (Arm ARM C5.5.15/C5.5.16 TLBI IPAS2E1(IS), C5.5.81
 * VMALLS12E1IS). To maintain a table whose VMID is not the loaded one (a VM
 * not running on this CPU), its VTTBR_EL2 is loaded around the TLBIs: MSR
 * VTTBR_EL2, ISB, the TLBIs, DSB ISH (complete before the VMID changes
 * back), MSR VTTBR_EL2 (as it was), ISB. When the VMIDs agree: one MRS.
 * Returns whether it switched; *saved is the value to restore.
 */
static bool vmid_enter(const struct hyp_pgtable *pgt, uint64_t *saved)
{
	*saved = hyp_read_sysreg(HYP_SYS_VTTBR_EL2);
	if (!((*saved ^ pgt->ttbr) & VTTBR_VMID_MASK))
		return false;
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, pgt->ttbr);
	hyp_isb();
	return true;
}

static void vmid_exit(bool switched, uint64_t saved)
{
	if (!switched)
		return;
	hyp_dsb(ISH);
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, saved);
	hyp_isb();
}

void hyp_pgtable_tlbi_addr_hw(struct hyp_pgtable *pgt, uint64_t addr, unsigned int level)
{
	uint64_t saved;
	bool sw;

	if (!pgt)
		return;
	if (pgt->stage != HYP_PGT_STAGE2) {
		hyp_tlbi_vae2is(addr, ttl_hint(pgt, level));
		return;
	}
	sw = vmid_enter(pgt, &saved);
	hyp_tlbi_ipas2e1is(addr, ttl_hint(pgt, level));
	hyp_dsb(ISH);
	tlbi_guest_stage1();
	vmid_exit(sw, saved);
}

/* RIPAS2E1IS over @p pages granules from @p addr: odd leftovers one by
 * one, the rest in chunks of (NUM + 1) << (5 * SCALE + 1) granules. */
static void tlbi_ipa_ranges(struct hyp_pgtable *pgt, uint64_t addr, uint64_t pages,
			    unsigned int level)
{
	const unsigned int g = pgt->cfg.granule_shift;
	const unsigned int ttl = level <= 3 ? level : 0;

	while (pages) {
		unsigned int scale = 3;
		uint64_t unit, num;

		if (pages & 1) {
			hyp_tlbi_ipas2e1is(addr, ttl_hint(pgt, level));
			addr += 1ull << g;
			pages--;
			continue;
		}
		while ((unit = 1ull << (5 * scale + 1)) > pages)
			scale--;
		num = pages / unit > 32 ? 32 : pages / unit;
		hyp_tlbi_ripas2e1is(
		    hyp_tlbi_range_operand(addr, g, scale, (unsigned int)(num - 1), ttl));
		addr += (num * unit) << g;
		pages -= num * unit;
	}
}

void hyp_pgtable_tlbi_range_hw(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size,
			       unsigned int level)
{
	uint64_t pages, saved;
	bool sw;

	if (!pgt)
		return;
	pages = size >> pgt->cfg.granule_shift;
	if (pgt->stage != HYP_PGT_STAGE2) {
		if (pages > TLBI_PAGES_MAX) {
			hyp_tlbi_alle2is();
			return;
		}
		for (uint64_t i = 0; i < pages; i++)
			hyp_tlbi_vae2is(addr + (i << pgt->cfg.granule_shift), ttl_hint(pgt, level));
		return;
	}
	sw = vmid_enter(pgt, &saved);
	if (pgt->cfg.tlbirange && pages <= TLBI_RANGE_PAGES_MAX) {
		tlbi_ipa_ranges(pgt, addr, pages, level);
	} else if (pages <= TLBI_PAGES_MAX) {
		for (uint64_t i = 0; i < pages; i++)
			hyp_tlbi_ipas2e1is(addr + (i << pgt->cfg.granule_shift),
					   ttl_hint(pgt, level));
	} else {
		/* Stage 1 and 2 of the whole VMID: no VMALLE1IS needed after. */
		hyp_tlbi_vmalls12e1is();
		vmid_exit(sw, saved);
		return;
	}
	hyp_dsb(ISH);
	tlbi_guest_stage1();
	vmid_exit(sw, saved);
}

void hyp_pgtable_tlbi_all_hw(struct hyp_pgtable *pgt)
{
	uint64_t saved;
	bool sw;

	if (!pgt)
		return;
	if (pgt->stage != HYP_PGT_STAGE2) {
		hyp_tlbi_alle2is();
		return;
	}
	sw = vmid_enter(pgt, &saved);
	hyp_tlbi_vmalls12e1is();
	vmid_exit(sw, saved);
}
