/* SPDX-License-Identifier: MIT */
/*
 * EL2 stage-1 tables on the simulated CPU: TCR_EL2 for E2H = 0 and 1, the
 * exact stage-1 descriptors (AttrIndx, AP, SH, AF, XN / PXN / UXN; Arm ARM
 * D8.3, D8.4), TLB maintenance by VA, and the MMU-enable sequence.
 */
#include <criterion/criterion.h>

#include "test_stage2_env.h"

static struct hyp_sim_cpu cpu;
static struct env env;

static void start(void)
{
	env_sim_init(&cpu);
	hyp_sim_set_current(&cpu);
	env_pool(&env, 256);
	env.cfg.ia_bits = 39;
}

static void stop(void)
{
	if (env.pgt.pgd)
		hyp_pgtable_destroy(&env.pgt);
	env_free(&env);
	hyp_sim_set_current(NULL);
}

TestSuite(stage2_el2, .init = start, .fini = stop);

Test(stage2_el2, tcr_and_ttbr0_without_vhe)
{
	cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, 0), 0);
	/* T0SZ 25, IRGN0/ORGN0 WBWA, SH0 IS, TG0 4K, PS 40 bits (2), RES1 23, 31 */
	cr_assert_eq(env.pgt.ctlr, 0x80823519ull);
	cr_assert_eq(env.pgt.ttbr, env.pgt.pgd_pa);
	cr_assert_eq(env.pgt.start_level, 1);
	cr_assert_eq(env.pgt.pgd_pages, 1);
	cr_assert_eq(env.pgt.pgd_entries, 512);
	hyp_pgtable_destroy(&env.pgt);

	static const struct {
		unsigned int ia, start, entries;
	} cases[] = {{48, 0, 512}, {40, 0, 2}, {30, 2, 512}, {25, 2, 16}};
	for (unsigned int i = 0; i < 4; i++) {
		env.cfg.ia_bits = (uint8_t)cases[i].ia;
		cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, 0), 0);
		cr_assert_eq(env.pgt.start_level, cases[i].start);
		cr_assert_eq(env.pgt.pgd_entries, cases[i].entries);
		cr_assert_eq(env.pgt.ctlr & 0x3f, 64 - cases[i].ia);
		hyp_pgtable_destroy(&env.pgt);
	}
	env.cfg.ia_bits = 49;
	cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, 0), HYP_EINVAL);
	env.cfg.ia_bits = 39;
	cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, 2), HYP_EINVAL);
	cr_assert_eq(env.in_use, 0);
}

Test(stage2_el2, tcr_with_vhe_has_the_tcr_el1_layout)
{
	cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, HYP_EL2_VHE), 0);
	/* T0SZ 25, walk attributes, EPD1, TG1 4K (0b10), IPS 40 bits (2) */
	cr_assert_eq(env.pgt.ctlr, 0x280803519ull);
	cr_assert_eq(env.pgt.stage, HYP_PGT_EL2_VHE);
}

Test(stage2_el2, descriptors_without_vhe)
{
	static const struct {
		unsigned int prot;
		hyp_pte_t bits;
	} cases[] = {
	    /* AttrIndx 0, AP[1] RES1 (0x40), SH IS, AF, XN */
	    {HYP_PROT_RW, 0x743 | (1ull << 54)},
	    {HYP_PROT_R, 0x7c3 | (1ull << 54)}, /* AP[2]: read-only */
	    {HYP_PROT_RX, 0x7c3},		/* executable */
	    {HYP_PROT_RWX, 0x743},
	    {HYP_PROT_RW | HYP_MEM_NORMAL_NC, 0x747 | (1ull << 54)},	 /* AttrIndx 1 */
	    {HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE, 0x74b | (1ull << 54)},	 /* AttrIndx 2 */
	    {HYP_PROT_RW | HYP_MEM_DEVICE_nGnRnE, 0x74f | (1ull << 54)}, /* AttrIndx 3 */
	};

	cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, 0), 0);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t va = 0x40000000 + i * PAGE, pa;
		unsigned int prot;

		cr_assert_eq(hyp_el2_map(&env.pgt, va, PAGE, va, cases[i].prot), 0);
		cr_assert_eq(env_leaf(&env, va, NULL), va | cases[i].bits, "case %u: %#llx", i,
			     (unsigned long long)env_leaf(&env, va, NULL));
		cr_assert_eq(hyp_pgtable_translate(&env.pgt, va + 8, &pa, &prot), 0);
		cr_assert_eq(pa, va + 8, "identity");
		cr_assert_eq(prot, cases[i].prot);
	}
	/* no cache maintenance for the hypervisor's own mappings */
	cr_assert_eq(env_count(&env, EV_DC) + env_count(&env, EV_IC), 0);
}

Test(stage2_el2, descriptors_with_vhe)
{
	cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, HYP_EL2_VHE), 0);
	cr_assert_eq(hyp_el2_map(&env.pgt, 0x1000, PAGE, 0x1000, HYP_PROT_RW), 0);
	cr_assert_eq(hyp_el2_map(&env.pgt, 0x2000, PAGE, 0x2000, HYP_PROT_RX), 0);
	/* AP[1] = 0: no EL0 access; UXN always; PXN unless executable */
	cr_assert_eq(env_leaf(&env, 0x1000, NULL), 0x1703 | (3ull << 53));
	cr_assert_eq(env_leaf(&env, 0x2000, NULL), 0x2783 | (1ull << 54));
}

Test(stage2_el2, blocks_offsets_and_bad_input)
{
	unsigned int level;
	uint64_t pa;

	cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, 0), 0);
	/* identity 1G block, and an offset mapping */
	cr_assert_eq(hyp_el2_map(&env.pgt, 0x40000000, SZ_1G, 0x40000000, HYP_PROT_RWX), 0);
	cr_assert_eq(env_leaf(&env, 0x40000000, &level), 0x40000000 | 0x741);
	cr_assert_eq(level, 1);
	cr_assert_eq(hyp_el2_map(&env.pgt, 0x7f0000000ull, SZ_2M, 0x40000000, HYP_PROT_R), 0);
	cr_assert_eq(hyp_pgtable_translate(&env.pgt, 0x7f0001234ull, &pa, NULL), 0);
	cr_assert_eq(pa, 0x40001234);

	struct snap s = env_snap(&env);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	cr_assert_eq(hyp_el2_map(&env.pgt, 0x1000, PAGE, 0x1000, HYP_PROT_W), HYP_EINVAL);
	cr_assert_eq(hyp_el2_map(&env.pgt, 0x1000, PAGE, 0x1000, 0), HYP_EINVAL);
	cr_assert_eq(
	    hyp_el2_map(&env.pgt, 0x1000, PAGE, 0x1000, HYP_PROT_RX | HYP_MEM_DEVICE_nGnRE),
	    HYP_EINVAL);
	cr_assert_eq(hyp_el2_map(&env.pgt, 1ull << 39, PAGE, 0x1000, HYP_PROT_R), HYP_ERANGE);
	cr_assert_eq(hyp_el2_protect(&env.pgt, 0x40000000, PAGE, HYP_PROT_W), HYP_EINVAL);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x1000, PAGE, 0x1000, HYP_PROT_R, 0), HYP_EINVAL);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x40000000, HYP_PROT_W, 0), HYP_EINVAL);
	cr_assert_eq(hyp_s2_load(&env.pgt), HYP_EINVAL);
	cr_assert(env_same(&env, &s));
	cr_assert_eq(hyp_sim_total(&cpu) + env_hooks_total(&env), 0);
}

Test(stage2_el2, unmap_and_protect_invalidate_by_va)
{
	cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, 0), 0);
	cr_assert_eq(hyp_el2_map(&env.pgt, 0x40000000, 4 * PAGE, 0x40000000, HYP_PROT_RW), 0);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_el2_protect(&env.pgt, 0x40001000, PAGE, HYP_PROT_R), 0);
	cr_assert_eq(env_leaf(&env, 0x40001000, NULL) & HYP_S1_PTE_AP_RO, HYP_S1_PTE_AP_RO);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VAE2IS], 1);
	int t = hyp_sim_log_find(&cpu, 0, HYP_SIM_TLBI, ~0ull);
	cr_assert_eq(cpu.log[t].val, (0x40001000ull >> 12) | (0x7ull << 44));
	cr_assert_eq(cpu.log[t - 1].kind, HYP_SIM_DSB);
	cr_assert_eq(cpu.log[t + 1].kind, HYP_SIM_DSB);
	cr_assert_eq(cpu.log[t + 2].kind, HYP_SIM_ISB, "the EL2 instruction stream too");

	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_el2_unmap(&env.pgt, 0x40000000, 4 * PAGE), 0);
	cr_assert_eq(env.in_use, 1, "tables freed");
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VAE2IS], 4 + 2);
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI], 6, "no stage-2 TLBI for EL2 tables");

	/* many pages: TLBI ALLE2IS */
	cr_assert_eq(hyp_el2_map(&env.pgt, 0, 100 * PAGE, 0, HYP_PROT_RW), 0);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_el2_unmap(&env.pgt, 0, 99 * PAGE), 0);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_ALLE2IS], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VAE2IS], 0);
}

Test(stage2_el2, mmu_enable_sequence)
{
	static const uint16_t regs[] = {HYP_SYS_MAIR_EL2, HYP_SYS_TCR_EL2, HYP_SYS_TTBR0_EL2,
					HYP_SYS_SCTLR_EL2};
	uint64_t v;

	for (unsigned int i = 0; i < 4; i++)
		hyp_sim_reg_define(&cpu, regs[i], 0);
	hyp_sim_reg_define(&cpu, HYP_SYS_SCTLR_EL2, 0x30c50830); /* RES1 bits, MMU off */
	cr_assert_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, 0), 0);
	cr_assert_eq(hyp_el2_mmu_enable(&env.pgt), 0);

	static const int kinds[] = {
	    HYP_SIM_SYSREG_WRITE, HYP_SIM_SYSREG_WRITE, HYP_SIM_SYSREG_WRITE, HYP_SIM_ISB,
	    HYP_SIM_TLBI,	  HYP_SIM_DSB,		HYP_SIM_ISB,	      HYP_SIM_SYSREG_READ,
	    HYP_SIM_SYSREG_WRITE, HYP_SIM_ISB};
	cr_assert_eq(cpu.log_len, 10);
	for (unsigned int i = 0; i < 10; i++)
		cr_assert_eq(cpu.log[i].kind, kinds[i], "event %u", i);
	cr_assert_eq(cpu.log[0].enc, HYP_SYS_MAIR_EL2);
	cr_assert_eq(cpu.log[0].val, 0x000444ffull);
	cr_assert_eq(cpu.log[1].enc, HYP_SYS_TCR_EL2);
	cr_assert_eq(cpu.log[1].val, env.pgt.ctlr);
	cr_assert_eq(cpu.log[2].enc, HYP_SYS_TTBR0_EL2);
	cr_assert_eq(cpu.log[2].val, env.pgt.ttbr);
	cr_assert_eq(cpu.log[4].arg, HYP_SIM_TLBI_ALLE2IS);
	cr_assert_eq(cpu.log[8].enc, HYP_SYS_SCTLR_EL2);
	hyp_sim_reg_peek(&cpu, HYP_SYS_SCTLR_EL2, &v);
	cr_assert_eq(v, 0x30c50830ull | 1 | 4 | 0x1000, "M, C and I set, the rest kept");

	struct hyp_pgtable s2;
	cr_assert_eq(hyp_s2_init(&s2, &env.cfg, &env.ops, &env, 1), 0);
	cr_assert_eq(hyp_el2_mmu_enable(&s2), HYP_EINVAL);
	hyp_pgtable_destroy(&s2);
}

/* ---- The regime from the EL2 mode record (hyp_cpufeat_set_el2_mode());
 * HYP_EL2_VHE is deprecated: refused against the record, alone only while
 * nothing is recorded. TCR values as in the two tests above. ---- */
#include <libhyp/cpufeat.h>

static int init_under(int record, unsigned int flags)
{
	hyp_cpufeat_reset();
	if (record >= 0)
		cr_assert_eq(hyp_cpufeat_set_el2_mode(record != 0), 0);
	if (env.pgt.pgd)
		hyp_pgtable_destroy(&env.pgt);
	return hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, flags);
}

Test(stage2_el2, the_regime_follows_the_el2_mode_record_in_both_modes)
{
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(init_under(1, 0), 0);
	cr_expect_eq(env.pgt.stage, HYP_PGT_EL2_VHE);
	cr_expect_eq(env.pgt.ctlr, 0x280803519ull, "E2H = 1: TCR_EL1 layout");
	cr_assert_eq(init_under(0, 0), 0);
	cr_expect_eq(env.pgt.stage, HYP_PGT_EL2);
	cr_expect_eq(env.pgt.ctlr, 0x80823519ull, "E2H = 0");
	/* The deprecated flag agreeing with the record, and alone. */
	cr_assert_eq(init_under(1, HYP_EL2_VHE), 0);
	cr_expect_eq(env.pgt.ctlr, 0x280803519ull);
	cr_assert_eq(init_under(-1, HYP_EL2_VHE), 0);
	cr_expect_eq(env.pgt.ctlr, 0x280803519ull);
	cr_assert_eq(init_under(-1, 0), 0);
	cr_expect_eq(env.pgt.ctlr, 0x80823519ull);
	cr_expect_eq(cpu.counts[HYP_SIM_SYSREG_READ] + cpu.counts[HYP_SIM_SYSREG_WRITE], 0,
		     "no system register touched");
	hyp_cpufeat_reset();
}

Test(stage2_el2, the_vhe_flag_against_a_recorded_nvhe_is_refused_and_changes_nothing)
{
	struct hyp_pgtable before;

	memset(&env.pgt, 0x5a, sizeof(env.pgt));
	before = env.pgt;
	hyp_sim_reset_counts(&cpu);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(false), 0);
	cr_expect_eq(hyp_el2_init(&env.pgt, &env.cfg, &env.ops, &env, HYP_EL2_VHE), HYP_EINVAL);
	cr_expect_eq(memcmp(&before, &env.pgt, sizeof(before)), 0, "the table is unchanged");
	cr_expect_eq(env.in_use, 0, "nothing allocated");
	cr_expect_eq(hyp_sim_total(&cpu), 0);
	memset(&env.pgt, 0, sizeof(env.pgt)); /* for stop() */
	hyp_cpufeat_reset();
}
