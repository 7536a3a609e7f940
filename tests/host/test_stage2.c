/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 tables on the simulated CPU: VTCR_EL2/VTTBR_EL2, exact
 * descriptor bits (Arm ARM D8.3), block mappings, unmap and table
 * freeing, permissions, relax, dirty logging, ageing, split, collapse,
 * bad input, allocation failure, destroy, and the walker itself.
 */
#include <criterion/criterion.h>

#include "test_stage2_env.h"

static struct hyp_sim_cpu cpu;
static struct env env;

static void start(void)
{
	env_sim_init(&cpu);
	hyp_sim_set_current(&cpu);
	env_pool(&env, 1536);
	cr_assert_eq(hyp_s2_init(&env.pgt, &env.cfg, &env.ops, &env, 5), 0);
	env_sim_load(&cpu, &env.pgt);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
}

static void stop(void)
{
	env_free(&env);
	hyp_sim_set_current(NULL);
}

TestSuite(stage2, .init = start, .fini = stop);

/* 4K page, Normal WB, RW, XN: OA | MemAttr 0b1111 | S2AP 0b11 | SH 0b11 |
 * AF | page type 0b11, XN[1] (bit 54). */
#define PTE_RW_WB(pa) ((pa) | 0x7ffull | (1ull << 54))

Test(stage2, init_computes_vtcr_and_vttbr)
{
	/* 40-bit IPA, 4K: start at level 1 with two concatenated tables.
	 * T0SZ 24, SL0 1, IRGN0/ORGN0 WBWA, SH0 IS, TG0 4K, PS 40 bits (2),
	 * VS 16-bit, RES1 bit 31. */
	cr_assert_eq(env.pgt.ctlr, 0x800a3558ull);
	cr_assert_eq(env.pgt.start_level, 1);
	cr_assert_eq(env.pgt.pgd_pages, 2);
	cr_assert_eq(env.pgt.pgd_entries, 1024);
	cr_assert_eq(env.pgt.pgd_pa & (2 * PAGE - 1), 0, "pgd aligned to its size");
	cr_assert_eq(env.pgt.ttbr, env.pgt.pgd_pa | (5ull << 48));
	cr_assert_eq(env.in_use, 2);
	/* building the table touches no hardware */
	cr_assert_eq(hyp_sim_total(&cpu), 0);
}

Test(stage2, init_start_level_and_concatenation_follow_ipa_size)
{
	static const struct {
		unsigned int ia, pa, start, pages, entries;
		uint64_t vtcr;
	} cases[] = {
	    /* T0SZ | SL0 << 6 | 0x3500 (walk attributes) | PS << 16 | RES1 */
	    {48, 48, 0, 1, 512, 16 | (2 << 6) | 0x3500 | (5 << 16) | 0x80000000ull},
	    {44, 44, 0, 1, 32, 20 | (2 << 6) | 0x3500 | (4 << 16) | 0x80000000ull},
	    {43, 44, 1, 16, 8192, 21 | (1 << 6) | 0x3500 | (4 << 16) | 0x80000000ull},
	    {36, 36, 1, 1, 64, 28 | (1 << 6) | 0x3500 | (1 << 16) | 0x80000000ull},
	    {34, 36, 2, 16, 8192, 30 | (0 << 6) | 0x3500 | (1 << 16) | 0x80000000ull},
	    {32, 32, 2, 4, 2048, 32 | (0 << 6) | 0x3500 | (0 << 16) | 0x80000000ull},
	    {25, 32, 2, 1, 16, 39 | (0 << 6) | 0x3500 | (0 << 16) | 0x80000000ull},
	    /* 52-bit PARange is used as 48 bits */
	    {48, 52, 0, 1, 512, 16 | (2 << 6) | 0x3500 | (5 << 16) | 0x80000000ull},
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct env e;
		env_pool(&e, 64);
		e.cfg.ia_bits = (uint8_t)cases[i].ia;
		e.cfg.pa_bits = (uint8_t)cases[i].pa;
		e.cfg.vmid16 = false;
		cr_assert_eq(hyp_s2_init(&e.pgt, &e.cfg, &e.ops, &e, 0xff), 0, "ia %u",
			     cases[i].ia);
		cr_assert_eq(e.pgt.start_level, cases[i].start, "ia %u", cases[i].ia);
		cr_assert_eq(e.pgt.pgd_pages, cases[i].pages, "ia %u", cases[i].ia);
		cr_assert_eq(e.pgt.pgd_entries, cases[i].entries, "ia %u", cases[i].ia);
		cr_assert_eq(e.pgt.ctlr, cases[i].vtcr, "ia %u: %#llx", cases[i].ia,
			     (unsigned long long)e.pgt.ctlr);
		cr_assert_eq(e.pgt.ttbr >> 48, 0xff);
		cr_assert_eq(e.pgt.pgd_pa & (cases[i].pages * PAGE - 1), 0);
		hyp_pgtable_destroy(&e.pgt);
		cr_assert_eq(e.in_use, 0);
		env_free(&e);
	}
}

Test(stage2, init_rejects_bad_configuration_without_allocating)
{
	struct env e;
	struct hyp_pgtable pgt;
	struct hyp_pgtable_ops ops;

	env_pool(&e, 16);
	memset(&pgt, 0x5a, sizeof(pgt));
#define BAD(expect, ...)                                                                           \
	do {                                                                                       \
		struct hyp_pgtable_cfg c = env_default_cfg();                                      \
		ops = env_ops_full;                                                                \
		__VA_ARGS__;                                                                       \
		cr_assert_eq(hyp_s2_init(&pgt, &c, &ops, &e, 1), expect, #__VA_ARGS__);            \
	} while (0)
	BAD(HYP_EINVAL, c.ia_bits = 41); /* IPA beyond PA */
	BAD(HYP_EINVAL, c.ia_bits = 24); /* T0SZ 40: beyond the 4K range */
	BAD(HYP_EINVAL, c.pa_bits = 39); /* not a PARange value */
	BAD(HYP_ENOTSUP, c.granule_shift = 14);
	BAD(HYP_ENOTSUP, c.granule_shift = 16);
	BAD(HYP_EINVAL, c.granule_shift = 13);
	/* the hardware CMO hooks need line sizes */
	BAD(HYP_EINVAL, c.dline_shift = 1;
	    ops.dcache_clean_inval_poc = hyp_pgtable_dcache_clean_inval_hw);
	BAD(HYP_EINVAL, c.iline_shift = 12; ops.icache_inval_pou = hyp_pgtable_icache_inval_hw);
	/* the lock is one of the software bits [58:55] (Arm ARM D8.3) or 0 */
	BAD(HYP_EINVAL, c.lock_bit = 54);
	BAD(HYP_EINVAL, c.lock_bit = 59);
	BAD(HYP_EINVAL, c.lock_bit = 1);
	BAD(HYP_EINVAL, c.lock_bit = 255);
	BAD(HYP_EINVAL, ops.zalloc_pages = NULL);
	BAD(HYP_EINVAL, ops.put_page = NULL);
	BAD(HYP_EINVAL, ops.phys_to_virt = NULL);
	BAD(HYP_EINVAL, ops.tlbi_range = NULL);
#undef BAD
	{
		struct hyp_pgtable_cfg c = env_default_cfg();
		c.vmid16 = false;
		memset(&pgt, 0x5a, sizeof(pgt));
		cr_assert_eq(hyp_s2_init(&pgt, &c, &env_ops_full, &e, 256), HYP_EINVAL);
	}
	/* nothing allocated, the table untouched */
	cr_assert_eq(e.in_use, 0);
	cr_assert_eq(((uint8_t *)&pgt)[0], 0x5a);
	cr_assert_eq(((uint8_t *)&pgt)[sizeof(pgt) - 1], 0x5a);
	env_free(&e);
}

Test(stage2, init_allocation_failure)
{
	struct env e;

	env_pool(&e, 16);
	e.fail_after = 0;
	cr_assert_eq(hyp_s2_init(&e.pgt, &e.cfg, &e.ops, &e, 1), HYP_ENOMEM);
	cr_assert_null(e.pgt.pgd);
	cr_assert_eq(e.in_use, 0);
	env_free(&e);
}

Test(stage2, map_4k_writes_exact_descriptors)
{
	unsigned int level;
	volatile hyp_pte_t *l1, *l2, *l3;

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80001000, PAGE, 0x40005000, HYP_PROT_RW, 0), 0);

	/* the walk: pgd (level 1, IPA bits [39:30]) -> level 2 -> level 3 */
	l1 = env.pgt.pgd;
	cr_assert_eq(l1[2] & 3, 3, "table descriptor");
	cr_assert_eq(l1[2] & ~HYP_PTE_OA_MASK, 3, "stage-2 table descriptors carry no attributes");
	l2 = h_p2v(&env.pgt, l1[2] & HYP_PTE_OA_MASK);
	cr_assert_eq(l2[0] & ~HYP_PTE_OA_MASK, 3);
	l3 = h_p2v(&env.pgt, l2[0] & HYP_PTE_OA_MASK);
	cr_assert_eq(l3[1], 0x00400000400057ffull);
	cr_assert_eq(l3[1], PTE_RW_WB(0x40005000ull));
	cr_assert_eq(l3[0], 0);
	cr_assert_eq(l3[2], 0);
	cr_assert_eq(env_leaf(&env, 0x80001234, &level), l3[1]);
	cr_assert_eq(level, 3);

	/* two new tables, each holding one reference per entry */
	cr_assert_eq(env.in_use, 4);
	struct tstats s = env_stats(&env);
	cr_assert_eq(s.bad_refs, 0);
	cr_assert_eq(s.leaves[3], 1);

	/* a new leaf into an invalid entry: one D-cache CMO, no TLBI, no DSB */
	cr_assert_eq(env_count(&env, EV_DC), 1);
	cr_assert_eq(env.ev[0].addr, 0x40005000);
	cr_assert_eq(env.ev[0].size, PAGE);
	cr_assert_eq(env_count(&env, EV_IC), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI], 0);
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR) + env_count(&env, EV_TLBI_RANGE), 0);
	cr_assert_eq(cpu.dc_lines, PAGE / 64);
	cr_assert_eq(cpu.counts[HYP_SIM_DSB], 1, "only the one inside DC CIVAC");
}

Test(stage2, map_uses_blocks_where_alignment_allows)
{
	unsigned int level;
	uint64_t pa;
	unsigned int prot;

	/* 1G-aligned IPA and PA, 1G size: one level-1 block (type 0b01) */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x40000000, SZ_1G, 0x80000000ull * 8, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env.pgt.pgd[1], (0x400000000ull | 0x7fdull | (1ull << 54)));
	cr_assert_eq(env_leaf(&env, 0x7fffffff, &level) & 3, 1);
	cr_assert_eq(level, 1);
	cr_assert_eq(env.in_use, 2, "no table below a 1G block");
	/* one CMO for the whole block */
	cr_assert_eq(env_count(&env, EV_DC), 1);
	cr_assert_eq(env.ev[0].size, SZ_1G);

	/* 2M + 4K at a 2M-aligned IPA: a 2M block then one page */
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x100200000ull, SZ_2M + PAGE, 0x200200000ull, HYP_PROT_R, 0), 0);
	cr_assert_eq(env_leaf(&env, 0x100200000ull, &level) & 3, 1);
	cr_assert_eq(level, 2);
	cr_assert_eq(env_leaf(&env, 0x100400000ull, &level) & 3, 3);
	cr_assert_eq(level, 3);
	cr_assert_eq(hyp_pgtable_translate(&env.pgt, 0x100400abcull, &pa, &prot), 0);
	cr_assert_eq(pa, 0x200400abcull);
	cr_assert_eq(prot, HYP_PROT_R | HYP_MEM_NORMAL);

	/* a PA misaligned for a block: pages only */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x180000000ull, SZ_2M, 0x300001000ull, HYP_PROT_RW, 0),
		     0);
	struct tstats s = env_stats(&env);
	cr_assert_eq(s.leaves[1], 1);
	cr_assert_eq(s.leaves[2], 1);
	cr_assert_eq(s.leaves[3], 1 + 512);
	/* HYP_MAP_PAGES: pages even when a block would fit */
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x1c0000000ull, SZ_2M, 0x400000000ull, HYP_PROT_RW, HYP_MAP_PAGES),
	    0);
	s = env_stats(&env);
	cr_assert_eq(s.leaves[3], 1 + 512 + 512);
	cr_assert_eq(s.empty_tables, 0);
	cr_assert_eq(s.bad_refs, 0);
}

Test(stage2, memory_types_and_permissions_encode_exactly)
{
	static const struct {
		unsigned int prot;
		hyp_pte_t attrs; /* bits [11:2] and [54] of the page descriptor */
	} cases[] = {
	    {HYP_PROT_RW | HYP_MEM_NORMAL, (0xfull << 2) | (3 << 6) | 0x700 | (1ull << 54)},
	    {HYP_PROT_R | HYP_MEM_NORMAL_NC, (0x5ull << 2) | (1 << 6) | 0x700 | (1ull << 54)},
	    {HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE, (0x1ull << 2) | (3 << 6) | 0x700 | (1ull << 54)},
	    {HYP_PROT_RW | HYP_MEM_DEVICE_nGnRnE, (0x0ull << 2) | (3 << 6) | 0x700 | (1ull << 54)},
	    {HYP_PROT_RX, (0xfull << 2) | (1 << 6) | 0x700},
	    {HYP_PROT_W, (0xfull << 2) | (2 << 6) | 0x700 | (1ull << 54)},
	    {0, (0xfull << 2) | 0x700 | (1ull << 54)},
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t ipa = 0x10000000ull + i * PAGE, pa = 0x20000000ull + i * PAGE;
		unsigned int prot;
		uint64_t out;

		cr_assert_eq(hyp_s2_map(&env.pgt, ipa, PAGE, pa, cases[i].prot, 0), 0);
		/* bits [11:2] hold 0x700 = SH IS | AF, plus type 0b11 */
		cr_assert_eq(env_leaf(&env, ipa, NULL), pa | cases[i].attrs | 3, "case %u: %#llx",
			     i, (unsigned long long)env_leaf(&env, ipa, NULL));
		cr_assert_eq(hyp_pgtable_translate(&env.pgt, ipa, &out, &prot), 0);
		cr_assert_eq(prot, cases[i].prot, "case %u decodes back", i);
	}
}

Test(stage2, fwb_uses_the_fwb_memattr_encodings)
{
	struct env e;

	env_pool(&e, 32);
	e.cfg.s2fwb = true;
	cr_assert_eq(hyp_s2_init(&e.pgt, &e.cfg, &e.ops, &e, 1), 0);
	cr_assert_eq(hyp_s2_map(&e.pgt, 0, PAGE, 0x1000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_map(&e.pgt, PAGE, PAGE, 0x2000, HYP_PROT_RW | HYP_MEM_NORMAL_NC, 0), 0);
	cr_assert_eq(
	    hyp_s2_map(&e.pgt, 2 * PAGE, PAGE, 0x3000, HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE, 0), 0);
	/* MemAttr[2] = 1 Normal, [1:0] = 0b10 forced write-back (0b0110) */
	cr_assert_eq(env_leaf(&e, 0, NULL) & (0xfull << 2), 0x6ull << 2);
	cr_assert_eq(env_leaf(&e, PAGE, NULL) & (0xfull << 2), 0x5ull << 2);
	cr_assert_eq(env_leaf(&e, 2 * PAGE, NULL) & (0xfull << 2), 0x1ull << 2);
	/* no D-cache maintenance at all with FWB */
	cr_assert_eq(env_count(&e, EV_DC), 0);
	hyp_pgtable_destroy(&e.pgt);
	env_free(&e);
}

/* Every way of passing bad input: an error, the tables byte-for-byte as
 * they were, no hardware access and no hook call. */
Test(stage2, bad_input_changes_nothing)
{
	const uint64_t top = 1ull << 40;

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x200000, SZ_2M, 0x40200000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x1000, PAGE, 0x40001000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	struct snap s = env_snap(&env);
	uint64_t bm[8] = {0};

#define E(expect, call) cr_assert_eq(call, expect, #call)
	E(HYP_EINVAL, hyp_s2_map(&env.pgt, 0x1001, PAGE, 0x1000, HYP_PROT_R, 0));
	E(HYP_EINVAL, hyp_s2_map(&env.pgt, 0x1000, PAGE, 0x1800, HYP_PROT_R, 0));
	E(HYP_EINVAL, hyp_s2_map(&env.pgt, 0x1000, 100, 0x1000, HYP_PROT_R, 0));
	E(HYP_EINVAL, hyp_s2_map(&env.pgt, 0x1000, 0, 0x1000, HYP_PROT_R, 0));
	E(HYP_ERANGE, hyp_s2_map(&env.pgt, top - PAGE, 2 * PAGE, 0x1000, HYP_PROT_R, 0));
	E(HYP_ERANGE, hyp_s2_map(&env.pgt, top, PAGE, 0x1000, HYP_PROT_R, 0));
	E(HYP_ERANGE, hyp_s2_map(&env.pgt, ~0ull - PAGE + 1, PAGE, 0x1000, HYP_PROT_R, 0));
	E(HYP_ERANGE, hyp_s2_map(&env.pgt, 0x1000, PAGE, top, HYP_PROT_R, 0));
	E(HYP_ERANGE, hyp_s2_map(&env.pgt, 0x1000, 2 * PAGE, top - PAGE, HYP_PROT_R, 0));
	E(HYP_ERANGE, hyp_s2_map(&env.pgt, 0x1000, PAGE, ~0ull - PAGE + 1, HYP_PROT_R, 0));
	E(HYP_EINVAL,
	  hyp_s2_map(&env.pgt, 0x1000, PAGE, 0x1000, HYP_PROT_RX | HYP_MEM_DEVICE_nGnRE, 0));
	E(HYP_EINVAL, hyp_s2_map(&env.pgt, 0x1000, PAGE, 0x1000, 1u << 8, 0));
	E(HYP_EINVAL, hyp_s2_map(&env.pgt, 0x1000, PAGE, 0x1000, HYP_PROT_R, 1u << 7));
	E(HYP_EINVAL, hyp_s2_unmap(&env.pgt, 0x1800, PAGE));
	E(HYP_EINVAL, hyp_s2_unmap(&env.pgt, 0x1000, 0));
	E(HYP_ERANGE, hyp_s2_unmap(&env.pgt, top - PAGE, 2 * PAGE));
	E(HYP_EINVAL, hyp_s2_protect(&env.pgt, 0x1000, PAGE, HYP_PROT_R | HYP_MEM_NORMAL_NC));
	E(HYP_EINVAL, hyp_s2_protect(&env.pgt, 0x1000, PAGE, 8));
	E(HYP_ERANGE, hyp_s2_protect(&env.pgt, 0x1000, top, HYP_PROT_R));
	E(HYP_EINVAL, hyp_s2_relax(&env.pgt, 0x1000, 8, 0));
	E(HYP_EINVAL, hyp_s2_relax(&env.pgt, 0x1000, HYP_PROT_R, 4));
	E(HYP_ERANGE, hyp_s2_relax(&env.pgt, top, HYP_PROT_R, 0));
	E(HYP_EINVAL, hyp_s2_wrprotect(&env.pgt, 0x1000, 1));
	E(HYP_EINVAL, hyp_s2_dirty_log(&env.pgt, 0x1000, PAGE, NULL, true));
	E(HYP_ERANGE, hyp_s2_dirty_log(&env.pgt, top, PAGE, bm, true));
	E(HYP_EINVAL, hyp_s2_age(&env.pgt, 0x1001, PAGE, true));
	E(HYP_EINVAL, hyp_s2_split(&env.pgt, 0x200000, 0));
	E(HYP_ERANGE, hyp_s2_collapse(&env.pgt, 0, top + SZ_2M));
	E(HYP_ERANGE, hyp_pgtable_get_leaf(&env.pgt, top, NULL, NULL));
	E(HYP_EINVAL, hyp_el2_map(&env.pgt, 0x1000, PAGE, 0x1000, HYP_PROT_R));
#undef E
	cr_assert(env_same(&env, &s), "tables changed");
	cr_assert_eq(hyp_sim_total(&cpu), 0);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(bm[0], 0);
}

Test(stage2, unmap_clears_leaves_and_frees_empty_tables)
{
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, 2 * PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env.in_use, 4);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);

	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x80000000, PAGE), 0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL), 0);
	cr_assert_eq(env_leaf(&env, 0x80001000, NULL), PTE_RW_WB(0x40001000ull));
	cr_assert_eq(env.in_use, 4, "the level-3 table still holds a page");
	/* one TLBI by IPA with the level hint, between two DSBs, no CMO */
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR), 1);
	cr_assert_eq(env.ev[0].addr, 0x80000000);
	cr_assert_eq(env.ev[0].level, 3);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_IPAS2E1IS], 1);
	cr_assert_eq(cpu.log[hyp_sim_log_find(&cpu, 0, HYP_SIM_TLBI, ~0ull)].val,
		     (0x80000000ull >> 12) | (0x7ull << 44), "TTL 4K level 3");
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VMALLE1IS], 1);
	cr_assert_eq(env_count(&env, EV_DC) + env_count(&env, EV_IC), 0);

	/* the last page: both tables become empty and are freed */
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x80001000, PAGE), 0);
	cr_assert_eq(env.in_use, 2);
	cr_assert_eq(env.double_frees + env.bad_frees, 0);
	cr_assert_eq(env.pgt.pgd[2], 0);
	/* the leaf, then each table's walk-cache entry (no level hint), each
	 * flushed before its page is freed */
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR), 3);
	cr_assert_eq(env.ev[2].level, 0);
	struct tstats s = env_stats(&env);
	cr_assert_eq(s.tables, 2);
	cr_assert_eq(s.leaves[1] + s.leaves[2] + s.leaves[3], 0);
}

/*
 * Issue 11, defect 1: unmap remembered the last table page whose count
 * dropped to 1 after freeing it; with an allocator that hands the freed
 * page back first, the split of the next block got that page, which was
 * then taken for empty and freed with its live entries.
 */
Test(stage2, unmap_never_frees_a_live_table_with_a_lifo_allocator)
{
	uint64_t pa;
	unsigned int prot;

	env.lifo = true;
	cr_assert_eq(hyp_s2_map(&env.pgt, 0, SZ_2M, 0x40000000, HYP_PROT_RW, HYP_MAP_PAGES), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, SZ_2M, SZ_2M, 0x40200000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 2 * SZ_2M, PAGE, 0x40400000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env_stats(&env).leaves[2], 1, "[2M, 4M) is one block");

	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0, 3ull << 20), 0);
	/* outside the range: the second half of the split block, and 4M */
	for (uint64_t ipa = 3ull << 20; ipa < 2 * SZ_2M; ipa += PAGE) {
		cr_assert_eq(hyp_pgtable_translate(&env.pgt, ipa, &pa, &prot), 0, "IPA %#llx",
			     (unsigned long long)ipa);
		cr_assert_eq(pa, 0x40000000 + ipa);
		cr_assert_eq(prot, HYP_PROT_RW);
	}
	cr_assert_eq(hyp_pgtable_translate(&env.pgt, 0x301000, &pa, NULL), 0);
	cr_assert_eq(pa, 0x40301000);
	cr_assert_eq(hyp_pgtable_translate(&env.pgt, 2 * SZ_2M, &pa, NULL), 0);
	cr_assert_eq(pa, 0x40400000);
	for (uint64_t ipa = 0; ipa < (3ull << 20); ipa += PAGE)
		cr_assert_eq(hyp_pgtable_translate(&env.pgt, ipa, NULL, NULL), HYP_ENOENT);
	struct tstats s = env_stats(&env);
	cr_assert_eq(s.leaves[3], 256 + 1);
	cr_assert_eq(s.bad_refs + s.empty_tables, 0);
	cr_assert_eq(s.tables, env.in_use, "every page in use is reachable");
	cr_assert_eq(env.double_frees + env.bad_frees, 0);
}

Test(stage2, unmap_of_part_of_a_block_splits_it)
{
	uint64_t pa;

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x40000000, SZ_2M, 0x60000000, HYP_PROT_RW, 0), 0);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x40003000, PAGE), 0);
	cr_assert_eq(env_leaf(&env, 0x40003000, NULL), 0);
	for (uint64_t off = 0; off < SZ_2M; off += PAGE) {
		if (off == 0x3000)
			continue;
		cr_assert_eq(hyp_pgtable_translate(&env.pgt, 0x40000000 + off, &pa, NULL), 0);
		cr_assert_eq(pa, 0x60000000 + off);
	}
	struct tstats s = env_stats(&env);
	cr_assert_eq(s.leaves[2], 0);
	cr_assert_eq(s.leaves[3], 511);
	cr_assert_eq(s.bad_refs, 0);
	/* split and unmap keep the mapping of the rest: no cache maintenance */
	cr_assert_eq(env_count(&env, EV_DC) + env_count(&env, EV_IC), 0);
}

Test(stage2, unmap_batches_tlbis_and_uses_a_range_for_many)
{
	cr_assert_eq(hyp_s2_map(&env.pgt, 0, 64 * PAGE, 0x100000, HYP_PROT_RW, HYP_MAP_PAGES), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, SZ_2M, 17 * PAGE, 0x200000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	/* 16 pages: 16 TLBIs by address inside one DSB pair */
	cr_assert_eq(hyp_s2_unmap(&env.pgt, SZ_2M, 16 * PAGE), 0);
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR), 16);
	cr_assert_eq(env_count(&env, EV_TLBI_RANGE), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_DSB], 2 + 16, "one pair + inside each hook");

	env_reset_events(&env);
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0, 63 * PAGE), 0);
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR), 0);
	cr_assert_eq(env_count(&env, EV_TLBI_RANGE), 1);
	cr_assert_eq(env.ev[0].addr, 0);
	cr_assert_eq(env.ev[0].size, 63 * PAGE);
	cr_assert_eq(env.ev[0].level, 3);
}

Test(stage2, range_tlbi_uses_ripas2e1is_with_tlbirange)
{
	struct env e;

	env_pool(&e, 64);
	e.cfg.tlbirange = true;
	cr_assert_eq(hyp_s2_init(&e.pgt, &e.cfg, &e.ops, &e, 1), 0);
	cr_assert_eq(hyp_s2_map(&e.pgt, 0, 100 * PAGE, 0x100000, HYP_PROT_RW, HYP_MAP_PAGES), 0);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_unmap(&e.pgt, 0, 99 * PAGE), 0);
	/* 99 pages = 1 + 64 (SCALE 1, NUM 0) + 34 (SCALE 0, NUM 16) */
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_IPAS2E1IS], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_RIPAS2E1IS], 2);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VMALLE1IS], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VMALLS12E1IS], 0);
	int i = hyp_sim_log_find(&cpu, 0, HYP_SIM_TLBI, ~0ull);
	cr_assert_eq(cpu.log[i].arg, HYP_SIM_TLBI_IPAS2E1IS);
	cr_assert_eq(cpu.log[i + 1].val, hyp_tlbi_range_operand(PAGE, 12, 1, 0, 3));
	cr_assert_eq(cpu.log[i + 2].val, hyp_tlbi_range_operand(65 * PAGE, 12, 0, 16, 3));
	hyp_pgtable_destroy(&e.pgt);
	env_free(&e);

	/* without it, a large range invalidates the whole VMID */
	env_pool(&e, 64);
	cr_assert_eq(hyp_s2_init(&e.pgt, &e.cfg, &e.ops, &e, 1), 0);
	cr_assert_eq(hyp_s2_map(&e.pgt, 0, 100 * PAGE, 0x100000, HYP_PROT_RW, HYP_MAP_PAGES), 0);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_unmap(&e.pgt, 0, 99 * PAGE), 0);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VMALLS12E1IS], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_IPAS2E1IS], 0);
	hyp_pgtable_destroy(&e.pgt);
	env_free(&e);
}

Test(stage2, map_over_a_block_changes_only_the_requested_page)
{
	uint64_t pa;

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x40000000, SZ_2M, 0x60000000, HYP_PROT_RW, 0), 0);
	env_reset_events(&env);
	/* the same mapping inside the block: already there, nothing happens */
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x40005000, PAGE, 0x60005000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_WRITE] + cpu.counts[HYP_SIM_PTE_CAS], 0);

	/* another PA for one page: the block is split, the page replaced */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x40005000, PAGE, 0x70000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_pgtable_translate(&env.pgt, 0x40005000, &pa, NULL), 0);
	cr_assert_eq(pa, 0x70000000);
	cr_assert_eq(hyp_pgtable_translate(&env.pgt, 0x40006000, &pa, NULL), 0);
	cr_assert_eq(pa, 0x60006000);
	cr_assert_eq(env_count(&env, EV_DC), 1, "only the new page is cleaned");
	for (unsigned int i = 0; i < env.nev; i++) {
		if (env.ev[i].kind == EV_DC)
			cr_assert_eq(env.ev[i].addr, 0x70000000);
	}
	struct tstats s = env_stats(&env);
	cr_assert_eq(s.leaves[3], 512);
}

Test(stage2, block_over_a_table_frees_the_table)
{
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x40000000, 4 * PAGE, 0x60000000, HYP_PROT_RW, 0), 0);
	unsigned long before = env.in_use;
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x40000000, SZ_2M, 0x90000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env.in_use, before - 1);
	cr_assert_eq(env_leaf(&env, 0x40000000, NULL) & 3, 1);
	/* break-before-make over the whole 2M span: one range TLBI */
	cr_assert_eq(env_count(&env, EV_TLBI_RANGE), 1);
	cr_assert_eq(env.ev[1].size, SZ_2M);
	cr_assert_eq(env_count(&env, EV_DC), 1);

	/* pages that already map exactly the block: no CMO when it replaces them */
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x80000000, SZ_2M, 0xa0000000, HYP_PROT_RW, HYP_MAP_PAGES), 0);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, SZ_2M, 0xa0000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL) & 3, 1);
	cr_assert_eq(env_count(&env, EV_DC), 0);
	cr_assert_eq(env.double_frees, 0);
}

Test(stage2, protect_changes_permissions_in_place)
{
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x1000, 4 * PAGE, 0x5000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x2000, 2 * PAGE, HYP_PROT_R), 0);
	cr_assert_eq(env_leaf(&env, 0x2000, NULL), (PTE_RW_WB(0x6000ull) & ~HYP_S2_PTE_S2AP_W));
	cr_assert_eq(env_leaf(&env, 0x3000, NULL) & HYP_S2_PTE_S2AP_W, 0);
	cr_assert_neq(env_leaf(&env, 0x1000, NULL) & HYP_S2_PTE_S2AP_W, 0);
	cr_assert_neq(env_leaf(&env, 0x4000, NULL) & HYP_S2_PTE_S2AP_W, 0);
	/* no break: the entries were never written invalid */
	for (unsigned int i = 0; i < cpu.log_len; i++)
		cr_assert(!(cpu.log[i].kind == HYP_SIM_PTE_WRITE && cpu.log[i].val == 0));
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR), 2);
	cr_assert_eq(env_count(&env, EV_DC) + env_count(&env, EV_IC), 0);

	/* adding execute invalidates the I-cache for each leaf, then only then */
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x2000, PAGE, HYP_PROT_RX), 0);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env.ev[0].addr, 0x6000);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x2000, PAGE, HYP_PROT_RX), 0);
	cr_assert_eq(env_hooks_total(&env), 0);
}

/* Issue 11, defect 19: Device memory never becomes executable, and
 * protect refuses it as map does (HYP_EINVAL), changing nothing, even when
 * the Device page comes after Normal pages and a block to split. */
Test(stage2, protect_refuses_execute_on_device_memory_and_changes_nothing)
{
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x200000, SZ_2M, 0x40200000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x400000, PAGE, 0x40400000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x401000, PAGE, 0x9000, HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x402000, PAGE, 0xa000,
				HYP_PROT_RW | HYP_MEM_DEVICE_nGnRnE, 0),
		     0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	struct snap s = env_snap(&env);

	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x401000, PAGE, HYP_PROT_RWX), HYP_EINVAL);
	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x402000, PAGE, HYP_PROT_X), HYP_EINVAL);
	/* from the middle of the block (a split first) to the Device pages */
	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x300000, 0x103000, HYP_PROT_RX), HYP_EINVAL);
	cr_assert_eq(hyp_el2_protect(&env.pgt, 0x401000, PAGE, HYP_PROT_RX), HYP_EINVAL);
	cr_assert(env_same(&env, &s), "tables changed");
	cr_assert_eq(hyp_sim_total(&cpu) - cpu.counts[HYP_SIM_PTE_READ], 0);
	cr_assert_eq(env_hooks_total(&env), 0);

	/* without X it goes through, and the Device leaf stays XN */
	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x300000, 0x103000, HYP_PROT_R), 0);
	cr_assert_neq(env_leaf(&env, 0x401000, NULL) & HYP_S2_PTE_XN, 0);
	cr_assert_eq(env_leaf(&env, 0x401000, NULL) & HYP_S2_PTE_S2AP_W, 0);
	/* X on Normal pages only: fine */
	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x300000, SZ_1G >> 10, HYP_PROT_RX), 0);
	cr_assert_eq(env_leaf(&env, 0x300000, NULL) & HYP_S2_PTE_XN, 0);
}

static int null_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	(void)ctx, (void)visit;
	return 0;
}

/* Issue 11, defect 19: every public stage2/pgtable function answers a NULL
 * pointer (the table, the configuration, the hooks, the walker, the
 * bitmap) with HYP_EINVAL, or does nothing when it returns no error, and
 * touches nothing. */
Test(stage2, every_public_function_refuses_null_pointers)
{
	struct hyp_pgtable t = {0};
	struct hyp_walker w = {null_visit, NULL, HYP_WALK_LEAF};
	struct hyp_walker nocb = {NULL, NULL, HYP_WALK_LEAF};
	uint64_t bm[1] = {0}, pa = 0x1234;
	unsigned int prot = 0x77;

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x1000, PAGE, 0x40001000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	struct snap s = env_snap(&env);

#define E(call) cr_assert_eq(call, HYP_EINVAL, #call)
	E(hyp_s2_init(NULL, &env.cfg, &env.ops, &env, 1));
	E(hyp_s2_init(&t, NULL, &env.ops, &env, 1));
	E(hyp_s2_init(&t, &env.cfg, NULL, &env, 1));
	E(hyp_el2_init(NULL, &env.cfg, &env.ops, &env, 0));
	E(hyp_el2_init(&t, NULL, &env.ops, &env, 0));
	E(hyp_el2_init(&t, &env.cfg, NULL, &env, 0));
	E(hyp_s2_load(NULL));
	E(hyp_s2_map(NULL, 0x1000, PAGE, 0x1000, HYP_PROT_R, 0));
	E(hyp_s2_unmap(NULL, 0x1000, PAGE));
	E(hyp_s2_protect(NULL, 0x1000, PAGE, HYP_PROT_R));
	E(hyp_s2_relax(NULL, 0x1000, HYP_PROT_R, 0));
	E(hyp_s2_wrprotect(NULL, 0x1000, PAGE));
	E(hyp_s2_dirty_log(NULL, 0x1000, PAGE, bm, true));
	E(hyp_s2_dirty_log(&env.pgt, 0x1000, PAGE, NULL, true));
	E(hyp_s2_age(NULL, 0x1000, PAGE, true));
	E(hyp_s2_split(NULL, 0x1000, PAGE));
	E(hyp_s2_collapse(NULL, 0x1000, PAGE));
	E(hyp_pgtable_get_leaf(NULL, 0x1000, NULL, NULL));
	E(hyp_pgtable_translate(NULL, 0x1000, &pa, &prot));
	E(hyp_pgtable_walk(NULL, 0x1000, PAGE, &w));
	E(hyp_pgtable_walk(&env.pgt, 0x1000, PAGE, NULL));
	E(hyp_pgtable_walk(&env.pgt, 0x1000, PAGE, &nocb));
	E(hyp_el2_map(NULL, 0x1000, PAGE, 0x1000, HYP_PROT_R));
	E(hyp_el2_unmap(NULL, 0x1000, PAGE));
	E(hyp_el2_protect(NULL, 0x1000, PAGE, HYP_PROT_R));
	E(hyp_el2_mmu_enable(NULL));
	/* a table that was never initialised (or was destroyed) */
	E(hyp_s2_load(&t));
	E(hyp_s2_map(&t, 0x1000, PAGE, 0x1000, HYP_PROT_R, 0));
	E(hyp_s2_unmap(&t, 0x1000, PAGE));
	E(hyp_pgtable_get_leaf(&t, 0x1000, NULL, NULL));
	E(hyp_pgtable_walk(&t, 0x1000, PAGE, &w));
#undef E
	cr_assert_eq(pa, 0x1234);
	cr_assert_eq(prot, 0x77);
	/* no error code to return: nothing happens */
	cr_assert_eq(hyp_walk_set_pte(NULL, 0), false);
	cr_assert_eq(hyp_pgtable_pte_prot(NULL, 0x7ff), 0);
	cr_assert_eq(hyp_pgtable_level_size(NULL, 3), 0);
	cr_assert_eq(hyp_pgtable_level_size(&env.pgt, 4), 0);
	cr_assert_eq(hyp_pgtable_level_size(&env.pgt, 3), PAGE);
	hyp_pgtable_destroy(NULL);
	hyp_pgtable_destroy(&t);
	hyp_pgtable_dcache_clean_inval_hw(NULL, 0x1000, PAGE);
	hyp_pgtable_icache_inval_hw(NULL, 0x1000, PAGE);
	hyp_pgtable_tlbi_addr_hw(NULL, 0x1000, 3);
	hyp_pgtable_tlbi_range_hw(NULL, 0x1000, PAGE, 3);
	hyp_pgtable_tlbi_all_hw(NULL);
	cr_assert(env_same(&env, &s), "tables changed");
	cr_assert_eq(hyp_sim_total(&cpu), 0);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(env.allocs, 2 + 2, "the pgd and two tables, no more");
}

Test(stage2, relax_adds_permissions_and_is_free_when_spurious)
{
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x1000, PAGE, 0x5000, HYP_PROT_R, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x1abc, HYP_PROT_W, 0), 0);
	cr_assert_eq(env_leaf(&env, 0x1000, NULL), PTE_RW_WB(0x5000ull));
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR), 1, "a permission fault may be cached");
	cr_assert_eq(env_count(&env, EV_DC) + env_count(&env, EV_IC), 0);

	/* spurious: already writable; nothing is touched */
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x1000, HYP_PROT_RW, HYP_MAP_SHARED), 0);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(hyp_sim_total(&cpu) - cpu.counts[HYP_SIM_PTE_READ], 0);

	/* execute: I-cache first, once */
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x1000, HYP_PROT_X, HYP_MAP_SHARED), 0);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env_leaf(&env, 0x1000, NULL) & HYP_S2_PTE_XN, 0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x1000, HYP_PROT_X, HYP_MAP_SHARED), 0);
	cr_assert_eq(env_count(&env, EV_IC), 1);

	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x3000, HYP_PROT_R, 0), HYP_ENOENT);
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x9000, PAGE, 0x9000, HYP_PROT_R | HYP_MEM_DEVICE_nGnRE, 0), 0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x9000, HYP_PROT_X, 0), HYP_EINVAL);
}

Test(stage2, relax_on_a_block_relaxes_the_whole_block)
{
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x200000, SZ_2M, 0x400000, HYP_PROT_R, 0), 0);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x3ff000, HYP_PROT_W, 0), 0);
	cr_assert_neq(env_leaf(&env, 0x200000, NULL) & HYP_S2_PTE_S2AP_W, 0);
	cr_assert_eq(env.ev[0].kind, EV_TLBI_ADDR);
	cr_assert_eq(env.ev[0].addr, 0x200000);
	cr_assert_eq(env.ev[0].level, 2);
}

Test(stage2, dirty_logging_reports_written_pages)
{
	uint64_t bm[1] = {0};

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x100000, 16 * PAGE, 0x500000, HYP_PROT_RW, 0), 0);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_wrprotect(&env.pgt, 0x100000, 16 * PAGE), 0);
	for (unsigned int i = 0; i < 16; i++)
		cr_assert_eq(env_leaf(&env, 0x100000 + i * PAGE, NULL) & HYP_S2_PTE_S2AP_W, 0);
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR), 16);

	/* nothing written yet */
	cr_assert_eq(hyp_s2_dirty_log(&env.pgt, 0x100000, 16 * PAGE, bm, true), 0);
	cr_assert_eq(bm[0], 0);
	/* the guest writes pages 3 and 9: write faults, relaxed */
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x103000, HYP_PROT_W, HYP_MAP_SHARED), 0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x109000, HYP_PROT_W, HYP_MAP_SHARED), 0);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_dirty_log(&env.pgt, 0x100000, 16 * PAGE, bm, false), 0);
	cr_assert_eq(bm[0], (1u << 3) | (1u << 9));
	cr_assert_eq(env_hooks_total(&env), 0, "get without clear changes nothing");
	bm[0] = 0;
	cr_assert_eq(hyp_s2_dirty_log(&env.pgt, 0x100000, 16 * PAGE, bm, true), 0);
	cr_assert_eq(bm[0], (1u << 3) | (1u << 9));
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR), 2);
	cr_assert_eq(env_leaf(&env, 0x103000, NULL) & HYP_S2_PTE_S2AP_W, 0);
	bm[0] = 0;
	cr_assert_eq(hyp_s2_dirty_log(&env.pgt, 0x100000, 16 * PAGE, bm, true), 0);
	cr_assert_eq(bm[0], 0);
}

Test(stage2, dirty_logging_on_blocks)
{
	uint64_t bm[16] = {0}; /* 2M + 2M = 1024 pages */

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x400000, 2 * SZ_2M, 0x800000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_wrprotect(&env.pgt, 0x400000, 2 * SZ_2M), 0);
	cr_assert_eq(env_stats(&env).leaves[2], 2, "whole blocks stay blocks");
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x401000, HYP_PROT_W, 0), 0);
	/* the log of the first half of block 0 and the start of block 1 */
	cr_assert_eq(hyp_s2_dirty_log(&env.pgt, 0x500000, SZ_2M, bm, false), 0);
	for (unsigned int i = 0; i < 4; i++)
		cr_assert_eq(bm[i], ~0ull, "pages 0x500000..0x5fffff: block 0 is writable");
	cr_assert_eq(bm[4] | bm[5] | bm[6] | bm[7], 0);
	/* clearing a partly covered block splits it */
	memset(bm, 0, sizeof(bm));
	cr_assert_eq(hyp_s2_dirty_log(&env.pgt, 0x500000, SZ_2M, bm, true), 0);
	cr_assert_eq(bm[0], ~0ull);
	cr_assert_neq(env_leaf(&env, 0x400000, NULL) & HYP_S2_PTE_S2AP_W, 0, "outside the range");
	cr_assert_eq(env_leaf(&env, 0x500000, NULL) & HYP_S2_PTE_S2AP_W, 0);
	cr_assert_eq(env_stats(&env).leaves[3], 512);
}

Test(stage2, ageing_clears_and_relax_sets_the_access_flag)
{
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x1000, 3 * PAGE, 0x5000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_age(&env.pgt, 0x1000, 3 * PAGE, false), 3);
	cr_assert_eq(hyp_s2_age(&env.pgt, 0x1000, 3 * PAGE, true), 3);
	cr_assert_eq(env_leaf(&env, 0x2000, NULL) & HYP_PTE_AF, 0);
	cr_assert_eq(hyp_s2_age(&env.pgt, 0x1000, 3 * PAGE, true), 0);
	cr_assert_eq(env_hooks_total(&env), 0, "no TLBI for ageing");
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI] + cpu.counts[HYP_SIM_DSB], 0);
	/* the access-flag fault: relax with no permission */
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x2000, 0, HYP_MAP_SHARED), 0);
	cr_assert_eq(env_leaf(&env, 0x2000, NULL), PTE_RW_WB(0x6000ull));
	cr_assert_eq(env_hooks_total(&env), 0, "AF faults are never cached: no TLBI");
	cr_assert_eq(hyp_s2_age(&env.pgt, 0x1000, 3 * PAGE, false), 1);
}

/* What ageing does (issue 11, defect 18: its comment had the effect of the
 * missing TLBI backwards): a block is one leaf, cleared whole even when
 * the range covers part of it; the entry stays valid (no break) with only
 * AF (bit 10, Arm ARM D8.3) cleared; nothing is invalidated, so a TLB may
 * keep AF = 1 and the page can look idle while used. */
Test(stage2, ageing_counts_leaves_and_clears_af_in_place_without_tlbi)
{
	/* 2M block, Normal WB, RW, XN: MemAttr 0b1111, S2AP 0b11, SH 0b11,
	 * AF, block type 0b01 */
	const hyp_pte_t young = 0x40200000ull | 0x7fdull | (1ull << 54);
	unsigned int level;

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x200000, SZ_2M, 0x40200000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env_leaf(&env, 0x200000, &level), young);
	cr_assert_eq(level, 2);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_age(&env.pgt, 0x200000 + 5 * PAGE, PAGE, true), 1, "one leaf");
	cr_assert_eq(env_leaf(&env, 0x3ff000, &level), young & ~(1ull << 10), "the whole block");
	cr_assert_eq(level, 2, "not split");
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_WRITE], 1);
	for (unsigned int i = 0; i < cpu.log_len; i++)
		cr_assert(!(cpu.log[i].kind == HYP_SIM_PTE_WRITE && cpu.log[i].val == 0),
			  "no break-before-make");
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI] + cpu.counts[HYP_SIM_DSB] + cpu.counts[HYP_SIM_ISB],
		     0, "nothing invalidated: a cached AF = 1 entry survives");
	cr_assert_eq(env_hooks_total(&env), 0);
	/* still mapped, still old until an access walks the table */
	cr_assert_eq(hyp_pgtable_translate(&env.pgt, 0x200000, NULL, NULL), 0);
	cr_assert_eq(hyp_s2_age(&env.pgt, 0, SZ_1G, false), 0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x3ff123, 0, 0), 0);
	cr_assert_eq(env_leaf(&env, 0x200000, NULL), young);
	cr_assert_eq(hyp_s2_age(&env.pgt, 0, SZ_1G, false), 1);
}

Test(stage2, split_makes_pages_without_changing_the_mapping)
{
	struct env e;
	uint64_t pa;

	env_pool(&e, 600);
	cr_assert_eq(hyp_s2_init(&e.pgt, &e.cfg, &e.ops, &e, 1), 0);
	cr_assert_eq(hyp_s2_map(&e.pgt, SZ_1G, SZ_1G, 4 * SZ_1G, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(hyp_s2_map(&e.pgt, 3 * SZ_1G, SZ_2M, 8 * SZ_1G, HYP_PROT_RW, 0), 0);
	env_reset_events(&e);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_split(&e.pgt, SZ_1G + 5 * PAGE, PAGE), 0);
	struct tstats s = env_stats(&e);
	cr_assert_eq(s.leaves[1], 0);
	cr_assert_eq(s.leaves[2], 1);
	cr_assert_eq(s.leaves[3], 512 * 512);
	cr_assert_eq(s.bad_refs, 0);
	cr_assert_eq(e.in_use, 2 + 513 + 1);
	/* one break-before-make for the whole block, no CMO */
	cr_assert_eq(env_count(&e, EV_TLBI_ADDR), 1);
	cr_assert_eq(e.ev[0].level, 1);
	cr_assert_eq(env_count(&e, EV_DC) + env_count(&e, EV_IC), 0);
	/* built off-line: 262144 + 512 entry writes, then the break and the link */
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_WRITE], 512 * 512 + 512 + 2);
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_CAS], 0);
	for (uint64_t off = 0; off < SZ_1G; off += 0x3ffff000ull / 7)
		cr_assert(!hyp_pgtable_translate(&e.pgt, SZ_1G + (off & ~(PAGE - 1)), &pa, NULL) &&
			  pa == 4 * SZ_1G + (off & ~(PAGE - 1)));
	/* allocation failure in the middle: nothing linked, nothing leaked */
	unsigned long used = e.in_use;
	e.fail_after = 0;
	struct snap sn = env_snap(&e);
	cr_assert_eq(hyp_s2_split(&e.pgt, 3 * SZ_1G, SZ_2M), HYP_ENOMEM);
	cr_assert(env_same(&e, &sn));
	cr_assert_eq(e.in_use, used);
	hyp_pgtable_destroy(&e.pgt);
	cr_assert_eq(e.in_use, 0);
	cr_assert_eq(e.double_frees, 0);
	env_free(&e);
}

Test(stage2, collapse_makes_blocks_bottom_up)
{
	struct env e;

	env_pool(&e, 600);
	cr_assert_eq(hyp_s2_init(&e.pgt, &e.cfg, &e.ops, &e, 1), 0);
	cr_assert_eq(hyp_s2_map(&e.pgt, SZ_1G, SZ_1G, 4 * SZ_1G, HYP_PROT_RW, HYP_MAP_PAGES), 0);
	cr_assert_eq(e.in_use, 2 + 513);
	env_reset_events(&e);
	cr_assert_eq(hyp_s2_collapse(&e.pgt, SZ_1G, SZ_1G), 513);
	cr_assert_eq(e.in_use, 2);
	cr_assert_eq(e.pgt.pgd[1], 4 * SZ_1G | 0x7fdull | (1ull << 54));
	/* each collapse: one range TLBI over its span, no CMO */
	cr_assert_eq(env_count(&e, EV_TLBI_RANGE), 513);
	cr_assert_eq(env_count(&e, EV_DC) + env_count(&e, EV_IC), 0);
	cr_assert_eq(e.double_frees, 0);

	/* one page different: that 2M stays pages, the 1G stays a table */
	cr_assert_eq(
	    hyp_s2_map(&e.pgt, 2 * SZ_1G, SZ_2M * 2, 8 * SZ_1G, HYP_PROT_RW, HYP_MAP_PAGES), 0);
	cr_assert_eq(hyp_s2_protect(&e.pgt, 2 * SZ_1G + PAGE, PAGE, HYP_PROT_R), 0);
	cr_assert_eq(hyp_s2_collapse(&e.pgt, 2 * SZ_1G, SZ_1G), 1);
	struct tstats s = env_stats(&e);
	cr_assert_eq(s.leaves[2], 1);
	cr_assert_eq(s.leaves[3], 512);
	/* a range that does not cover a whole table collapses nothing */
	cr_assert_eq(hyp_s2_map(&e.pgt, 3 * SZ_1G, SZ_2M, 8 * SZ_1G, HYP_PROT_RW, HYP_MAP_PAGES),
		     0);
	cr_assert_eq(hyp_s2_collapse(&e.pgt, 3 * SZ_1G, SZ_2M - PAGE), 0);
	cr_assert_eq(hyp_s2_collapse(&e.pgt, 3 * SZ_1G, SZ_2M), 1);
	hyp_pgtable_destroy(&e.pgt);
	env_free(&e);
}

Test(stage2, allocation_failure_leaves_nothing_reachable)
{
	for (long fail = 0; fail < 2; fail++) {
		env.fail_after = fail;
		struct snap s = env_snap(&env);
		cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x1000, HYP_PROT_RW, 0),
			     HYP_ENOMEM);
		cr_assert(env_same(&env, &s), "fail after %ld", fail);
	}
	env.fail_after = -1;
	cr_assert_eq(env_hooks_total(&env), 0);

	/* a range: 4 pages in each of 3 2M regions; fail on the third table */
	env.fail_after = 3;
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000 - 4 * PAGE, 3 * SZ_2M, 0x1000000, HYP_PROT_RW,
				HYP_MAP_PAGES),
		     HYP_ENOMEM);
	env.fail_after = -1;
	struct tstats st = env_stats(&env);
	cr_assert_eq(st.empty_tables, 0);
	cr_assert_eq(st.bad_refs, 0);
	cr_assert_eq(st.tables, env.in_use, "every allocated page is reachable");
	/* what was mapped is complete and correct */
	uint64_t pa;
	cr_assert_eq(hyp_pgtable_translate(&env.pgt, 0x80000000 - PAGE, &pa, NULL), 0);
	cr_assert_eq(pa, 0x1000000 + 3 * PAGE);
}

Test(stage2, without_refcount_hooks_empty_tables_are_found_by_scanning)
{
	struct env e;

	env_pool(&e, 64);
	e.ops.get_page = NULL;
	e.ops.put_page = NULL;
	cr_assert_eq(hyp_s2_init(&e.pgt, &e.cfg, &e.ops, &e, 1), 0);
	cr_assert_eq(hyp_s2_map(&e.pgt, 0x80000000, 2 * PAGE, 0x1000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(e.in_use, 4);
	cr_assert_eq(hyp_s2_unmap(&e.pgt, 0x80000000, PAGE), 0);
	cr_assert_eq(e.in_use, 4);
	cr_assert_eq(hyp_s2_unmap(&e.pgt, 0x80001000, PAGE), 0);
	cr_assert_eq(e.in_use, 2);
	hyp_pgtable_destroy(&e.pgt);
	cr_assert_eq(e.in_use, 0);
	env_free(&e);
}

Test(stage2, empty_hooks_are_skipped)
{
	struct env e;

	env_pool(&e, 64);
	e.ops.dcache_clean_inval_poc = NULL;
	e.ops.icache_inval_pou = NULL;
	e.ops.tlbi_addr = NULL;
	e.ops.tlbi_range = NULL;
	e.ops.tlbi_all = NULL;
	e.ops.virt_to_phys = NULL;
	e.ops.phys_to_virt = NULL;
	e.cfg.pa_bits = 48;
	e.cfg.ia_bits = 48;
	cr_assert_eq(hyp_s2_init(&e.pgt, &e.cfg, &e.ops, &e, 1), 0);
	cr_assert_eq(e.pgt.pgd_pa, (uint64_t)(uintptr_t)e.pgt.pgd, "identity without hooks");
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_map(&e.pgt, 0x80000000, PAGE, 0x1000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(hyp_s2_map(&e.pgt, 0x80000000, PAGE, 0x2000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(hyp_s2_unmap(&e.pgt, 0x80000000, PAGE), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI] + cpu.counts[HYP_SIM_DC_CIVAC] +
			 cpu.counts[HYP_SIM_IC_IVAU] + cpu.counts[HYP_SIM_DSB],
		     0);
	cr_assert_eq(env_hooks_total(&e), 0);
	hyp_pgtable_destroy(&e.pgt);
	cr_assert_eq(e.in_use, 0);
	env_free(&e);
}

Test(stage2, destroy_frees_every_page_after_one_tlbi)
{
	cr_assert_eq(hyp_s2_map(&env.pgt, 0, 8 * SZ_2M + 5 * PAGE, 0x100000000ull, HYP_PROT_RW,
				HYP_MAP_PAGES),
		     0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 100 * SZ_1G, 3 * PAGE, 0x1000, HYP_PROT_R, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	hyp_pgtable_destroy(&env.pgt);
	cr_assert_null(env.pgt.pgd);
	cr_assert_eq(env.in_use, 0);
	cr_assert_eq(env.double_frees + env.bad_frees, 0);
	cr_assert_eq(env_count(&env, EV_TLBI_ALL), 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VMALLS12E1IS], 1);
	int t = hyp_sim_log_find(&cpu, 0, HYP_SIM_TLBI, ~0ull);
	/* DSB, MRS VTTBR_EL2 (the table's VMID is the loaded one: no
	 * switch), TLBI, DSB */
	cr_assert(t > 1 && cpu.log[t - 2].kind == HYP_SIM_DSB &&
		  cpu.log[t - 1].kind == HYP_SIM_SYSREG_READ &&
		  cpu.log[t - 1].enc == HYP_SYS_VTTBR_EL2 && cpu.log[t + 1].kind == HYP_SIM_DSB);
	/* the table is unusable afterwards */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0, PAGE, 0, HYP_PROT_R, 0), HYP_EINVAL);
}

Test(stage2, load_writes_vtcr_and_vttbr)
{
	hyp_sim_reg_define(&cpu, HYP_SYS_VTCR_EL2, 0);
	hyp_sim_reg_define(&cpu, HYP_SYS_VTTBR_EL2, 0);
	cr_assert_eq(hyp_s2_load(&env.pgt), 0);
	uint64_t v;
	hyp_sim_reg_peek(&cpu, HYP_SYS_VTCR_EL2, &v);
	cr_assert_eq(v, env.pgt.ctlr);
	hyp_sim_reg_peek(&cpu, HYP_SYS_VTTBR_EL2, &v);
	cr_assert_eq(v, env.pgt.ttbr);
	cr_assert_eq(cpu.log[2].kind, HYP_SIM_ISB);
	/* TLBIs now record the table's VMID */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0, PAGE, 0, HYP_PROT_R, 0), 0);
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0, PAGE), 0);
	int t = hyp_sim_log_find(&cpu, 0, HYP_SIM_TLBI, ~0ull);
	cr_assert_eq(cpu.log[t].aux >> 48, 5);
}

/* The walker: visit order, early stop, skip. */
struct order {
	char buf[256];
	unsigned int n, visits;
	int stop_at;
};

static int order_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct order *o = ctx->arg;
	char c = visit == HYP_WALK_LEAF ? 'L' : visit == HYP_WALK_TABLE_PRE ? '<' : '>';

	if (o->n + 2 < sizeof(o->buf)) {
		o->buf[o->n++] = c;
		o->buf[o->n++] = (char)('0' + ctx->level);
	}
	o->visits++;
	if (o->stop_at >= 0 && (int)o->visits == o->stop_at)
		return HYP_EBUSY;
	return 0;
}

Test(stage2, walker_visits_in_order_and_stops_on_error)
{
	struct order o = {.stop_at = -1};
	struct hyp_walker w = {order_visit, &o,
			       HYP_WALK_LEAF | HYP_WALK_TABLE_PRE | HYP_WALK_TABLE_POST};

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x1000, PAGE, 0x1000, HYP_PROT_R, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, SZ_2M, SZ_2M, SZ_2M, HYP_PROT_R, 0), 0);
	cr_assert_eq(hyp_pgtable_walk(&env.pgt, 0, 2 * PAGE + 0, &w), 0);
	cr_assert_str_eq(o.buf, "<1<2L3L3>2>1");
	o = (struct order){.stop_at = -1};
	cr_assert_eq(hyp_pgtable_walk(&env.pgt, PAGE, SZ_2M + PAGE, &w), 0);
	/* pages 1..511 of the first 2M, the 2M block, then level 1 ends */
	cr_assert_eq(o.visits, 1 + 1 + 511 + 1 + 1 + 1);
	o = (struct order){.stop_at = 3};
	cr_assert_eq(hyp_pgtable_walk(&env.pgt, 0, SZ_1G, &w), HYP_EBUSY);
	cr_assert_str_eq(o.buf, "<1<2L3");
	/* bad walks */
	cr_assert_eq(hyp_pgtable_walk(&env.pgt, 1, PAGE, &w), HYP_EINVAL);
	w.flags |= 1u << 9;
	cr_assert_eq(hyp_pgtable_walk(&env.pgt, 0, PAGE, &w), HYP_EINVAL);
}

static int skip_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	unsigned int *n = ctx->arg;
	(*n)++;
	return visit == HYP_WALK_TABLE_PRE ? HYP_WALK_SKIP : 0;
}

Test(stage2, walker_skip_and_shared_mode_loads)
{
	unsigned int n = 0;
	struct hyp_walker w = {skip_visit, &n, HYP_WALK_LEAF | HYP_WALK_TABLE_PRE};

	cr_assert_eq(hyp_s2_map(&env.pgt, 0, 4 * PAGE, 0, HYP_PROT_R, 0), 0);
	cr_assert_eq(hyp_pgtable_walk(&env.pgt, 0, 4 * PAGE, &w), 0);
	cr_assert_eq(n, 1, "the level-1 table entry, skipped");

	/* shared mode reads entries with load-acquire */
	cpu.log_pte_reads = true;
	hyp_sim_reset_counts(&cpu);
	w.flags = HYP_WALK_LEAF | HYP_WALK_SHARED;
	w.cb = skip_visit;
	cr_assert_eq(hyp_pgtable_walk(&env.pgt, 0, PAGE, &w), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_READ], 3,
		     "one per level; no re-read of a level-3 entry");
	for (unsigned int i = 0; i < cpu.log_len; i++)
		cr_assert_eq(cpu.log[i].arg, 1, "acquire");
}

Test(stage2, set_pte_is_a_store_or_a_compare_and_swap)
{
	volatile hyp_pte_t e = 5;
	struct hyp_walk_ctx ctx = {.pgt = &env.pgt, .ptep = &e, .old = 5, .flags = 0};

	cr_assert(hyp_walk_set_pte(&ctx, 7));
	cr_assert_eq(e, 7);
	ctx.flags = HYP_WALK_SHARED;
	cr_assert(!hyp_walk_set_pte(&ctx, 9), "old no longer matches");
	cr_assert_eq(e, 7);
	ctx.old = 7;
	cr_assert(hyp_walk_set_pte(&ctx, 9));
	cr_assert_eq(e, 9);
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_CAS], 2);
}

/*
 * Issue 11, defect 4. HCR_EL2 bits (Arm ARM D24.2.62 HCR_EL2): TGE [27],
 * RW [31], E2H [34]. At EL2 with {E2H, TGE} = {1, 1}, TLBI VMALLE1IS acts
 * on the EL2&0 regime, not on the guest's EL1&0 one (C5.5.78), while the
 * stage-2 TLBIs (IPAS2E1IS, VMALLS12E1IS: C5.5.81) always act on EL1&0.
 */
#define T_HCR_TGE (1ull << 27)
#define T_HCR_RW  (1ull << 31)
#define T_HCR_E2H (1ull << 34)

static unsigned int sim_failures;
static void count_failure(struct hyp_sim_cpu *c, const char *msg, void *ctx)
{
	(void)c, (void)msg, (void)ctx;
	sim_failures++;
}

Test(stage2, sim_flags_a_guest_tlbi_issued_with_e2h_and_tge_set)
{
	hyp_sim_set_fail(&cpu, count_failure, NULL);
	sim_failures = 0;
	hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, T_HCR_E2H | T_HCR_TGE | T_HCR_RW);
	hyp_tlbi_vmalle1is();
	cr_assert_eq(sim_failures, 1, "VMALLE1IS would hit the host's EL2&0 entries");
	hyp_tlbi_ipas2e1is(0x1000, 0);
	hyp_tlbi_vmalls12e1is();
	cr_assert_eq(sim_failures, 1, "stage-2 TLBIs act on EL1&0 whatever TGE");
	/* either bit alone: EL1&0 */
	hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, T_HCR_E2H | T_HCR_RW);
	hyp_tlbi_vmalle1is();
	hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, T_HCR_TGE | T_HCR_RW);
	hyp_tlbi_vmalle1is();
	cr_assert_eq(sim_failures, 1);
	/* the check reads HCR_EL2 without counting an access */
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_HCR_EL2), 0);
}

Test(stage2, stage2_tlbi_hooks_clear_tge_around_the_guest_tlbi)
{
	const uint64_t host = T_HCR_E2H | T_HCR_TGE | T_HCR_RW;
	uint64_t hcr = 0;

	hyp_sim_set_fail(&cpu, count_failure, NULL);
	sim_failures = 0;
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x1000, 2 * PAGE, 0x40001000, HYP_PROT_RW, 0), 0);
	/* a VHE host runs with TGE set */
	hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, host);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x1000, PAGE), 0);
	cr_assert_eq(sim_failures, 0);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VMALLE1IS], 1);
	/* MSR HCR_EL2 (TGE clear), ISB, VMALLE1IS, MSR HCR_EL2 (as it was), ISB */
	int tlbi = -1;
	for (unsigned int i = 0; i < cpu.log_len; i++) {
		if (cpu.log[i].kind == HYP_SIM_TLBI && cpu.log[i].arg == HYP_SIM_TLBI_VMALLE1IS)
			tlbi = (int)i;
	}
	cr_assert(tlbi >= 2);
	cr_assert_eq(cpu.log[tlbi - 2].kind, HYP_SIM_SYSREG_WRITE);
	cr_assert_eq(cpu.log[tlbi - 2].enc, HYP_SYS_HCR_EL2);
	cr_assert_eq(cpu.log[tlbi - 2].val, T_HCR_E2H | T_HCR_RW);
	cr_assert_eq(cpu.log[tlbi - 1].kind, HYP_SIM_ISB);
	cr_assert_eq(cpu.log[tlbi + 1].kind, HYP_SIM_SYSREG_WRITE);
	cr_assert_eq(cpu.log[tlbi + 1].val, host);
	cr_assert_eq(cpu.log[tlbi + 2].kind, HYP_SIM_ISB);
	cr_assert_eq(hyp_sim_reg_peek(&cpu, HYP_SYS_HCR_EL2, &hcr), 0);
	cr_assert_eq(hcr, host);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_HCR_EL2), 2);

	/* TGE clear (a guest's exit, an nVHE host): one read, no write */
	hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, T_HCR_E2H | T_HCR_RW);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x2000, PAGE), 0);
	cr_assert_eq(sim_failures, 0);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_HCR_EL2),
		     cpu.tlbi_counts[HYP_SIM_TLBI_VMALLE1IS], "one read per VMALLE1IS");
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VMALLE1IS], 3, "the leaf and two tables");
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_HCR_EL2), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_ISB], 0);
}

/*
 * TLBI IPAS2E1IS, VMALLE1IS and VMALLS12E1IS act on "the current VMID",
 * VTTBR_EL2.VMID [63:48] (Arm ARM C5.5.16 "The entry would be used with the
 * current VMID", VMID[] in the pseudocode; D24.2.x VTTBR_EL2). A table whose
 * VMID is not loaded is maintained with its VTTBR_EL2 loaded around the
 * TLBIs: MSR VTTBR_EL2, ISB, TLBI, DSB, TLBI VMALLE1IS, DSB, MSR VTTBR_EL2
 * (as it was), ISB.
 */
Test(stage2, tlbi_hooks_target_the_tables_vmid_when_another_is_loaded)
{
	/* VMID 9 loaded (another VM ran last); the table has VMID 5 */
	const uint64_t other = (9ull << 48) | 0x12345000ull;
	uint64_t v = 0;

	cr_assert_eq(env.pgt.ttbr >> 48, 5);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, 2 * PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	hyp_sim_reg_define(&cpu, HYP_SYS_VTTBR_EL2, other);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x80000000, PAGE), 0);

	int w = hyp_sim_log_find(&cpu, 0, HYP_SIM_SYSREG_WRITE, ~0ull);
	cr_assert(w >= 1);
	cr_assert_eq(cpu.log[w - 1].kind, HYP_SIM_SYSREG_READ);
	cr_assert_eq(cpu.log[w - 1].enc, HYP_SYS_VTTBR_EL2);
	cr_assert_eq(cpu.log[w].enc, HYP_SYS_VTTBR_EL2);
	cr_assert_eq(cpu.log[w].val, env.pgt.ttbr);
	cr_assert_eq(cpu.log[w].val >> 48, 5, "the table's VMID");
	cr_assert_eq(cpu.log[w + 1].kind, HYP_SIM_ISB);
	cr_assert_eq(cpu.log[w + 2].kind, HYP_SIM_TLBI);
	cr_assert_eq(cpu.log[w + 2].arg, HYP_SIM_TLBI_IPAS2E1IS);
	cr_assert_eq(cpu.log[w + 2].aux >> 48, 5, "the TLBI saw the table's VMID");
	cr_assert_eq(cpu.log[w + 3].kind, HYP_SIM_DSB);
	cr_assert_eq(cpu.log[w + 4].kind, HYP_SIM_SYSREG_READ); /* HCR_EL2.TGE */
	cr_assert_eq(cpu.log[w + 4].enc, HYP_SYS_HCR_EL2);
	cr_assert_eq(cpu.log[w + 5].kind, HYP_SIM_TLBI);
	cr_assert_eq(cpu.log[w + 5].arg, HYP_SIM_TLBI_VMALLE1IS);
	cr_assert_eq(cpu.log[w + 5].aux >> 48, 5);
	cr_assert_eq(cpu.log[w + 6].kind, HYP_SIM_DSB);
	cr_assert_eq(cpu.log[w + 7].kind, HYP_SIM_SYSREG_WRITE);
	cr_assert_eq(cpu.log[w + 7].enc, HYP_SYS_VTTBR_EL2);
	cr_assert_eq(cpu.log[w + 7].val, other, "restored");
	cr_assert_eq(cpu.log[w + 8].kind, HYP_SIM_ISB);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_VTTBR_EL2), 2);
	cr_assert_eq(hyp_sim_reg_peek(&cpu, HYP_SYS_VTTBR_EL2, &v), 0);
	cr_assert_eq(v, other);

	/* tlbi_all (destroy): the same bracket around VMALLS12E1IS */
	hyp_sim_reset_counts(&cpu);
	hyp_pgtable_tlbi_all_hw(&env.pgt);
	cr_assert_eq(cpu.log_len, 7);
	cr_assert_eq(cpu.log[0].kind, HYP_SIM_SYSREG_READ);
	cr_assert_eq(cpu.log[1].kind, HYP_SIM_SYSREG_WRITE);
	cr_assert_eq(cpu.log[1].val >> 48, 5);
	cr_assert_eq(cpu.log[2].kind, HYP_SIM_ISB);
	cr_assert_eq(cpu.log[3].kind, HYP_SIM_TLBI);
	cr_assert_eq(cpu.log[3].arg, HYP_SIM_TLBI_VMALLS12E1IS);
	cr_assert_eq(cpu.log[4].kind, HYP_SIM_DSB);
	cr_assert_eq(cpu.log[5].kind, HYP_SIM_SYSREG_WRITE);
	cr_assert_eq(cpu.log[5].val, other);
	cr_assert_eq(cpu.log[6].kind, HYP_SIM_ISB);
	cr_assert_eq(cpu.log[3].aux >> 48, 5, "VMALLS12E1IS ran with the table's VMID");

	/* the same VMID loaded (another base address does not matter): one
	 * MRS, no write, no ISB */
	hyp_sim_reg_define(&cpu, HYP_SYS_VTTBR_EL2, (5ull << 48) | 0x777000ull);
	hyp_sim_reset_counts(&cpu);
	hyp_pgtable_tlbi_range_hw(&env.pgt, 0x80000000, 2 * PAGE, 3);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_VTTBR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_VTTBR_EL2), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_ISB], 0);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_IPAS2E1IS], 2);
}

/*
 * Software bits: descriptor bits [58:55] of stage-1 and stage-2 block and
 * page descriptors are IGNORED by the hardware, reserved for software use
 * (Arm ARM D8.3, VMSAv8-64 translation table descriptor formats). libhyp
 * keeps bit 55 for its lock; [58:56] are the integrator's.
 */
Test(stage2, software_bits_set_and_read_back_without_tlbi)
{
	uint64_t v = 1;

	cr_assert_eq(HYP_PTE_SW_USER_MASK, 0x0700000000000000ull);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, &v), 0);
	cr_assert_eq(v, 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	/* bits 56 and 58 */
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000123, 0x0500000000000000ull,
					0x0500000000000000ull, 0),
		     0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL),
		     PTE_RW_WB(0x40000000ull) | 0x0500000000000000ull);
	/* ignored by the hardware: no TLBI, no barrier, no CMO */
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI] + cpu.counts[HYP_SIM_DSB] + cpu.counts[HYP_SIM_ISB], 0);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000fff, &v), 0);
	cr_assert_eq(v, 0x0500000000000000ull);
	/* clear 56 only */
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 1ull << 56, 0, HYP_MAP_SHARED), 0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL), PTE_RW_WB(0x40000000ull) | (1ull << 58));

	/* kept by a permission change, a re-map of the same page and relax */
	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x80000000, PAGE, HYP_PROT_R), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80000000, HYP_PROT_R, 0), 0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL), PTE_RW_WB(0x40000000ull) | (1ull << 58));

	/* a block: the bits are the block's, and a split hands them to every page */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80200000, SZ_2M, 0x40200000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80345000, 1ull << 57, 1ull << 57, 0), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80200000, &v), 0);
	cr_assert_eq(v, 1ull << 57);
	cr_assert_eq(hyp_s2_split(&env.pgt, 0x80200000, SZ_2M), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x803ff000, &v), 0);
	cr_assert_eq(v, 1ull << 57);

	/* unmapping drops them with the entry */
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x80000000, PAGE), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, &v), HYP_ENOENT);
}

Test(stage2, software_bits_bad_input_changes_nothing)
{
	struct hyp_pgtable el2;
	uint64_t v = 7;

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	hyp_pte_t before = env_leaf(&env, 0x80000000, NULL);
	hyp_sim_reset_counts(&cpu);
	/* bit 55 is the library's lock; 59 and above are not software bits */
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 1ull << 55, 1ull << 55, 0), HYP_EINVAL);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 1ull << 59, 0, 0), HYP_EINVAL);
	/* a value outside the mask */
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 1ull << 56, 1ull << 57, 0), HYP_EINVAL);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 1ull << 56, 0, 2), HYP_EINVAL);
	cr_assert_eq(hyp_s2_set_sw_bits(NULL, 0x80000000, 1ull << 56, 0, 0), HYP_EINVAL);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 1ull << 40, 1ull << 56, 0, 0), HYP_ERANGE);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x90000000, 1ull << 56, 0, 0), HYP_ENOENT);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_s2_get_sw_bits(NULL, 0x80000000, &v), HYP_EINVAL);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 1ull << 40, &v), HYP_ERANGE);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x90000000, &v), HYP_ENOENT);
	cr_assert_eq(v, 7);
	/* not a stage-2 table */
	cr_assert_eq(hyp_el2_init(&el2, &env.cfg, &env.ops, &env, 0), 0);
	cr_assert_eq(hyp_s2_set_sw_bits(&el2, 0, 1ull << 56, 0, 0), HYP_EINVAL);
	hyp_pgtable_destroy(&el2);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL), before);
}

/* env.pgt again, with libhyp's lock at software bit @p lock_bit. */
static void reinit_with_lock(uint8_t lock_bit)
{
	hyp_pgtable_destroy(&env.pgt);
	env.cfg.lock_bit = lock_bit;
	cr_assert_eq(hyp_s2_init(&env.pgt, &env.cfg, &env.ops, &env, 5), 0);
	env_sim_load(&cpu, &env.pgt);
}

/*
 * The lock moved to bit 58 (still a software bit, IGNORED by the hardware
 * walker: Arm ARM D8.3): the integrator keeps three bits numbered 56..58 by
 * the API; its bit 58 lives in descriptor bit 55, its 56 and 57 in 56 and
 * 57. They round-trip through map, protect, relax, split and unmap.
 */
Test(stage2, software_bits_with_the_lock_at_58_round_trip)
{
	uint64_t v = 1;

	reinit_with_lock(58);
	cr_assert_eq(env.pgt.cfg.lock_bit, 58);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, &v), 0);
	cr_assert_eq(v, 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	/* all three: descriptor bits 55, 56, 57; bit 58 (the lock) stays clear */
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 0x0700000000000000ull,
					0x0700000000000000ull, 0),
		     0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL),
		     PTE_RW_WB(0x40000000ull) | 0x0380000000000000ull);
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI] + cpu.counts[HYP_SIM_DSB] + cpu.counts[HYP_SIM_ISB], 0);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000fff, &v), 0);
	cr_assert_eq(v, 0x0700000000000000ull);
	/* the API's bit 58 alone is descriptor bit 55 */
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 0x0300000000000000ull, 0,
					HYP_MAP_SHARED),
		     0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL), PTE_RW_WB(0x40000000ull) | (1ull << 55));
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, &v), 0);
	cr_assert_eq(v, 1ull << 58);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 1ull << 57, 1ull << 57, 0), 0);

	/* kept by a permission change, a re-map of the same page (exclusive
	 * and shared) and relax (exclusive and shared, adding execute) */
	cr_assert_eq(hyp_s2_protect(&env.pgt, 0x80000000, PAGE, HYP_PROT_R), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, HYP_MAP_SHARED), 0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80000000, HYP_PROT_R, 0), 0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL),
		     PTE_RW_WB(0x40000000ull) | (1ull << 55) | (1ull << 57));
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80000000, HYP_PROT_X, HYP_MAP_SHARED), 0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL),
		     (PTE_RW_WB(0x40000000ull) & ~(1ull << 54)) | (1ull << 55) | (1ull << 57));
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, &v), 0);
	cr_assert_eq(v, (1ull << 57) | (1ull << 58));

	/* a block's bits go to every page of a split */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80200000, SZ_2M, 0x40200000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80345000, 1ull << 58, 1ull << 58, 0), 0);
	cr_assert_eq(hyp_s2_split(&env.pgt, 0x80200000, SZ_2M), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x803ff000, &v), 0);
	cr_assert_eq(v, 1ull << 58);
	cr_assert_eq(env_leaf(&env, 0x803ff000, NULL) & 0x0780000000000000ull, 1ull << 55);

	/* descriptor bit 55 is not the API's bit 55: that stays refused */
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 1ull << 55, 1ull << 55, 0), HYP_EINVAL);
	/* unmapping drops them with the entry, a new mapping starts clear */
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x80000000, PAGE), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, &v), HYP_ENOENT);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, &v), 0);
	cr_assert_eq(v, 0);
}

/* With the lock at 56 the API's bit 56 is descriptor bit 55; 0 selects 55. */
Test(stage2, software_bits_follow_the_configured_lock)
{
	uint64_t v = 0;

	reinit_with_lock(56);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 1ull << 56, 1ull << 56, 0), 0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL), PTE_RW_WB(0x40000000ull) | (1ull << 55));
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, &v), 0);
	cr_assert_eq(v, 1ull << 56);
	reinit_with_lock(0);
	cr_assert_eq(env.pgt.cfg.lock_bit, 55);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 1ull << 56, 1ull << 56, 0), 0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL), PTE_RW_WB(0x40000000ull) | (1ull << 56));
}

/* The raw entry the walk reaches for @p ipa (an invalid one included). */
struct raw_entry {
	hyp_pte_t pte;
	unsigned int level;
};

static int raw_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct raw_entry *r = ctx->arg;

	(void)visit;
	r->pte = ctx->old;
	r->level = ctx->level;
	return 0;
}

static struct raw_entry raw_entry(uint64_t ipa)
{
	struct raw_entry r = {~0ull, 9};
	struct hyp_walker w = {raw_visit, &r, HYP_WALK_LEAF};

	cr_assert_eq(hyp_pgtable_walk(&env.pgt, ipa & ~(PAGE - 1), PAGE, &w), 0);
	return r;
}

/*
 * Owner annotations: an invalid descriptor (bit 0 clear) is ignored by the
 * hardware apart from that bit (Arm ARM D8.3, "invalid descriptor": bits
 * [63:1] IGNORED), so it can carry an owner id, here in bits [17:2].
 */
Test(stage2, owner_annotation_in_invalid_entries)
{
	unsigned int owner = 99;
	struct tstats st;

	cr_assert_eq(HYP_S2_OWNER_MASK, 0x3fffcull);
	/* a mapped neighbour in the same level-3 table */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_annotate_invalid(&env.pgt, 0x80001000, 2 * PAGE, 0x1234), 0);
	/* 0x1234 << 2, bit 0 clear: invalid to the walker */
	cr_assert_eq(raw_entry(0x80001000).pte, 0x48d0ull);
	cr_assert_eq(raw_entry(0x80002fff).pte, 0x48d0ull);
	cr_assert_eq(raw_entry(0x80001000).level, 3);
	cr_assert_eq(raw_entry(0x80003000).pte, 0);
	/* invalid before and after: no TLBI, no barrier, no CMO, no register */
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI] + cpu.counts[HYP_SIM_DSB] + cpu.counts[HYP_SIM_ISB] +
			 cpu.counts[HYP_SIM_SYSREG_READ] + cpu.counts[HYP_SIM_SYSREG_WRITE],
		     0);
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR) + env_count(&env, EV_TLBI_RANGE) +
			 env_count(&env, EV_TLBI_ALL) + env_count(&env, EV_DC) + env_count(&env, EV_IC),
		     0);
	cr_assert_eq(hyp_s2_get_owner(&env.pgt, 0x80001abc, &owner), 0);
	cr_assert_eq(owner, 0x1234);
	cr_assert_eq(hyp_s2_get_owner(&env.pgt, 0x80003000, &owner), 0);
	cr_assert_eq(owner, 0);
	cr_assert_eq(hyp_s2_get_owner(&env.pgt, 0x80000000, &owner), HYP_EEXIST);
	cr_assert_eq(env_leaf(&env, 0x80001000, NULL), 0, "unmapped to a translation");

	/* map refuses an annotated page, alone or in a range: nothing mapped */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80001000, PAGE, 0x40001000, HYP_PROT_RW, 0), HYP_EPERM);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80001000, PAGE, 0x40001000, HYP_PROT_RW, HYP_MAP_SHARED),
		     HYP_EPERM);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80003000 - 3 * PAGE, 4 * PAGE, 0x40000000, HYP_PROT_RW,
				0),
		     HYP_EPERM);
	cr_assert_eq(raw_entry(0x80003000).pte, 0, "the range was refused before anything");
	/* a 2 MiB block over the table that holds them: refused too */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, SZ_2M, 0x40000000, HYP_PROT_RW, 0), HYP_EPERM);
	cr_assert_eq(raw_entry(0x80001000).pte, 0x48d0ull);

	/* the annotation keeps its table: unmapping the neighbour frees nothing */
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x80000000, SZ_2M), 0);
	cr_assert_eq(raw_entry(0x80002000).pte, 0x48d0ull);
	st = env_stats(&env);
	cr_assert_eq(st.bad_refs, 0);
	cr_assert_eq(st.empty_tables, 0);

	/* forced: the mapping replaces the annotation */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80001000, PAGE, 0x40001000, HYP_PROT_RW, HYP_MAP_FORCE),
		     0);
	cr_assert_eq(env_leaf(&env, 0x80001000, NULL), PTE_RW_WB(0x40001000ull));
	st = env_stats(&env);
	cr_assert_eq(st.bad_refs, 0);
	/* annotating a mapped page is refused, nothing changed */
	cr_assert_eq(hyp_s2_annotate_invalid(&env.pgt, 0x80001000, 2 * PAGE, 7), HYP_EEXIST);
	cr_assert_eq(raw_entry(0x80002000).pte, 0x48d0ull);

	/* cleared with owner 0; the map is then accepted */
	cr_assert_eq(hyp_s2_annotate_invalid(&env.pgt, 0x80002000, PAGE, 0), 0);
	cr_assert_eq(raw_entry(0x80002000).pte, 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80002000, PAGE, 0x40002000, HYP_PROT_RW, 0), 0);
	st = env_stats(&env);
	cr_assert_eq(st.bad_refs, 0);

	/* annotating unpopulated IPA space builds the tables down to level 3 */
	cr_assert_eq(hyp_s2_annotate_invalid(&env.pgt, 0x4000000000ull - SZ_2M - PAGE, 2 * PAGE, 3),
		     0);
	cr_assert_eq(raw_entry(0x4000000000ull - SZ_2M - PAGE).pte, 3ull << 2);
	cr_assert_eq(raw_entry(0x4000000000ull - SZ_2M).pte, 3ull << 2);
	st = env_stats(&env);
	cr_assert_eq(st.bad_refs, 0);
	hyp_pgtable_destroy(&env.pgt);
	cr_assert_eq(env.in_use, 0);
	cr_assert_eq(env.double_frees + env.bad_frees, 0);
}

Test(stage2, owner_annotation_bad_input_changes_nothing)
{
	unsigned int owner = 5;

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	struct snap s = env_snap(&env);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_annotate_invalid(NULL, 0x80001000, PAGE, 1), HYP_EINVAL);
	cr_assert_eq(hyp_s2_annotate_invalid(&env.pgt, 0x80001000, PAGE, 0x10000), HYP_EINVAL);
	cr_assert_eq(hyp_s2_annotate_invalid(&env.pgt, 0x80001001, PAGE, 1), HYP_EINVAL);
	cr_assert_eq(hyp_s2_annotate_invalid(&env.pgt, 0x80001000, 0, 1), HYP_EINVAL);
	cr_assert_eq(hyp_s2_annotate_invalid(&env.pgt, 1ull << 40, PAGE, 1), HYP_ERANGE);
	/* the range reaches a mapped page: refused before any change */
	cr_assert_eq(hyp_s2_annotate_invalid(&env.pgt, 0x7fff0000, 0x11000, 1), HYP_EEXIST);
	cr_assert_eq(hyp_s2_get_owner(&env.pgt, 0x80001000, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_s2_get_owner(NULL, 0x80001000, &owner), HYP_EINVAL);
	cr_assert_eq(hyp_s2_get_owner(&env.pgt, 1ull << 40, &owner), HYP_ERANGE);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80001000, PAGE, 0x40001000, HYP_PROT_RW, 1u << 4),
		     HYP_EINVAL);
	cr_assert_eq(owner, 5);
	cr_assert(env_same(&env, &s), "tables changed");
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_WRITE] + cpu.counts[HYP_SIM_PTE_CAS] +
			 cpu.counts[HYP_SIM_TLBI] + cpu.counts[HYP_SIM_DSB] +
			 cpu.counts[HYP_SIM_SYSREG_WRITE],
		     0);
	cr_assert_eq(env.pgt.owners, 0);
}
