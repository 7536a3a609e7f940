/* SPDX-License-Identifier: MIT */
/*
 * The cache-maintenance rules of seed 001 and break-before-make, each
 * checked against the hooks' calls and the simulated CPU's event log:
 * - D-cache clean+invalidate only for a new valid leaf with Normal
 *   cacheable attributes, never with FWB, never when the mapping is
 *   already there (spurious fault, lost race);
 * - I-cache invalidation only for a new executable leaf, skipped with DIC;
 *   adding execute permission invalidates then, and only then;
 * - changing a valid entry's output address, size or memory type: invalid,
 *   DSB, TLBI, DSB, new entry; no TLBI when installing into an invalid one.
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
}

static void stop(void)
{
	if (env.pgt.pgd)
		hyp_pgtable_destroy(&env.pgt);
	env_free(&env);
	hyp_sim_set_current(NULL);
}

static void init(void)
{
	cr_assert_eq(hyp_s2_init(&env.pgt, &env.cfg, &env.ops, &env, 1), 0);
	env_sim_load(&cpu, &env.pgt);
	/* the tables for the IPAs used below, so that only leaves change */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x7fe00000, PAGE, 0x1000, HYP_PROT_R, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x801ff000, PAGE, 0x1000, HYP_PROT_R, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
}

TestSuite(stage2_cmo, .init = start, .fini = stop);

Test(stage2_cmo, dcache_only_for_new_normal_cacheable_leaves)
{
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env_count(&env, EV_DC), 1);
	cr_assert_eq(env.ev[0].addr, 0x40000000);
	cr_assert_eq(env.ev[0].size, PAGE);
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], 1);
	cr_assert_eq(cpu.dc_lines, PAGE >> 6);

	static const unsigned int no_dc[] = {HYP_MEM_NORMAL_NC, HYP_MEM_DEVICE_nGnRE,
					     HYP_MEM_DEVICE_nGnRnE};
	for (unsigned int i = 0; i < 3; i++) {
		env_reset_events(&env);
		cr_assert_eq(hyp_s2_map(&env.pgt, 0x80001000 + i * PAGE, PAGE, 0x50000000,
					HYP_PROT_RW | no_dc[i], HYP_MAP_SHARED),
			     0);
		cr_assert_eq(env_count(&env, EV_DC), 0, "memory type %u", no_dc[i]);
	}

	/* a block: one call for the whole block */
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80200000, SZ_2M, 0x40200000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env_count(&env, EV_DC), 1);
	cr_assert_eq(env.ev[0].size, SZ_2M);

	/* the same mapping again (a spurious fault), exclusive and shared */
	env_reset_events(&env);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, HYP_MAP_SHARED), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80204000, PAGE, 0x40204000, HYP_PROT_R, HYP_MAP_SHARED),
		     0, "covered by the block");
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC] + cpu.counts[HYP_SIM_PTE_WRITE] +
			 cpu.counts[HYP_SIM_PTE_CAS],
		     0);
	/* a different output address: a new leaf, cleaned */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x60000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env_count(&env, EV_DC), 1);
}

/*
 * With FWB never, CTR_EL0.IDC 0 included (QEMU's -cpu max: FWB, IDC 0).
 * Arm ARM D8.6.6: with FEAT_S2FWB "the architecture requires that
 * CLIDR_EL1.{LoUU, LoIUS} are {0, 0} so that no data cache levels need to
 * be cleaned to manage coherency with instruction fetches"; D24.2.42
 * CTR_EL0.IDC 0: a clean to the PoU is required "unless ... (LoUIS ==
 * 0b000 and LoUU == 0b000)". And the guest's own non-cacheable view (MMU
 * off) is Normal Write-Back after stage 2's forced write-back (D8.6.6,
 * Table D8-101: stage 1 Device / Normal Non-cacheable with MemAttr[2:0]
 * 0b110 gives Normal Write-Back).
 */
Test(stage2_cmo, never_with_fwb_even_without_idc)
{
	env.cfg.s2fwb = true;
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, SZ_2M, 0x40000000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x7fe01000, PAGE, 0x40000000, HYP_PROT_RW, HYP_MAP_SHARED), 0);
	cr_assert_eq(env_count(&env, EV_DC), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], 0);
	cr_assert_eq(env_count(&env, EV_IC), 1, "the I-side still needs it");
	hyp_pgtable_destroy(&env.pgt);

	/* FWB without IDC: no clean either, executable or not */
	env.cfg.idc = false;
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x7fe01000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env_count(&env, EV_DC), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x7fe02000, PAGE, 0x40001000, HYP_PROT_RX, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, SZ_2M, 0x40200000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(hyp_s2_fault_map_4k(&env.pgt, 0x7fe03000, 0x40002000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(env_count(&env, EV_DC), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], 0);
	cr_assert_eq(env_count(&env, EV_IC), 3, "the I-side still needs it");
}

Test(stage2_cmo, icache_only_for_executable_leaves_and_not_with_dic)
{
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(env_count(&env, EV_IC), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80001000, PAGE, 0x40001000, HYP_PROT_RX, 0), 0);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env_count(&env, EV_DC), 2);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IVAU], 1);
	cr_assert_eq(cpu.ic_lines, PAGE >> 6);
	/* D-cache before I-cache, both before the entry is written */
	int dc = hyp_sim_log_find(&cpu, 0, HYP_SIM_DC_CIVAC, 0x40001000);
	int ic = hyp_sim_log_find(&cpu, 0, HYP_SIM_IC_IVAU, 0x40001000);
	int set = -1;
	for (unsigned int i = 0; i < cpu.log_len; i++) {
		if (cpu.log[i].kind == HYP_SIM_PTE_WRITE &&
		    (cpu.log[i].val & HYP_PTE_OA_MASK) == 0x40001000)
			set = (int)i;
	}
	cr_assert(dc >= 0 && dc < ic && ic < set, "%d %d %d", dc, ic, set);

	/* adding execute: then, and only then */
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80000000, HYP_PROT_R, 0), 0);
	cr_assert_eq(env_count(&env, EV_IC), 0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80000000, HYP_PROT_X, 0), 0);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env.ev[0].addr, 0x40000000);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80000000, HYP_PROT_RX, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env_count(&env, EV_DC), 0, "no new mapping");
	hyp_pgtable_destroy(&env.pgt);

	env.cfg.dic = true;
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80001000, PAGE, 0x40001000, HYP_PROT_RX, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80002000, PAGE, 0x40002000, HYP_PROT_R, 0), 0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80002000, HYP_PROT_X, 0), 0);
	cr_assert_eq(env_count(&env, EV_IC), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IVAU] + cpu.counts[HYP_SIM_IC_IALLU], 0);
}

/*
 * The hardware I-cache hook and CTR_EL0.L1Ip (Arm ARM D24.2.42): by VA
 * only for a PIPT cache (0b11), where maintenance of one alias reaches
 * every VA and IPA alias (D8.18.2.1). A VIPT cache (0b10) is invalidated
 * by VA only for the VA given (here the hypervisor's, not the guest's), so
 * only IC IALLUIS reaches the guest's aliases (D8.18.2.2); the reserved
 * values 0b00 and 0b01 (and a cfg that never set the field) are treated
 * the same way.
 */
Test(stage2_cmo, icache_hook_follows_the_l1_instruction_cache_policy)
{
	static const struct {
		uint8_t l1ip;
		unsigned int ivau, iallu;
	} cases[] = {{0x3, 1, 0}, {0x2, 0, 1}, {0x1, 0, 1}, {0x0, 0, 1}};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		env.cfg.l1ip = cases[i].l1ip;
		init();
		cr_assert_eq(hyp_s2_map(&env.pgt, 0x80001000, PAGE, 0x40001000, HYP_PROT_RX, 0),
			     0);
		cr_assert_eq(env_count(&env, EV_IC), 1);
		cr_assert_eq(cpu.counts[HYP_SIM_IC_IVAU], cases[i].ivau, "L1Ip %u",
			     cases[i].l1ip);
		cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU], cases[i].iallu, "L1Ip %u",
			     cases[i].l1ip);
		cr_assert_eq(cpu.ic_lines, cases[i].ivau ? PAGE >> 6 : 0);
		/* either way before the entry is written */
		int ic = hyp_sim_log_find(&cpu, 0,
					  cases[i].ivau ? HYP_SIM_IC_IVAU : HYP_SIM_IC_IALLU, ~0ull);
		int set = hyp_sim_log_find(&cpu, 0, HYP_SIM_PTE_WRITE, ~0ull);
		while (set >= 0 &&
		       (cpu.log[set].val & HYP_PTE_OA_MASK) != 0x40001000)
			set = hyp_sim_log_find(&cpu, (unsigned int)set + 1, HYP_SIM_PTE_WRITE, ~0ull);
		cr_assert(ic >= 0 && ic < set, "%d %d", ic, set);
		/* adding execute to a mapped page: the same choice */
		cr_assert_eq(hyp_s2_map(&env.pgt, 0x80002000, PAGE, 0x40002000, HYP_PROT_R, 0), 0);
		hyp_sim_reset_counts(&cpu);
		cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80002000, HYP_PROT_X, 0), 0);
		cr_assert_eq(cpu.counts[HYP_SIM_IC_IVAU], cases[i].ivau);
		cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU], cases[i].iallu);
		/* never an ID-register read on the way: the register reads
		 * are VTTBR_EL2 (the current VMID) and HCR_EL2, by the TLBI
		 * hook after the permission change */
		cr_assert_eq(cpu.counts[HYP_SIM_SYSREG_READ], 2);
		cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_VTTBR_EL2), 1);
		cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_HCR_EL2), 1);
		hyp_pgtable_destroy(&env.pgt);
	}
}

Test(stage2_cmo, split_and_collapse_keep_the_mapping_and_clean_nothing)
{
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80200000, SZ_2M, 0x40200000, HYP_PROT_RWX, 0), 0);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_split(&env.pgt, 0x80200000, SZ_2M), 0);
	cr_assert_eq(hyp_s2_collapse(&env.pgt, 0x80200000, SZ_2M), 1);
	cr_assert_eq(env_count(&env, EV_DC) + env_count(&env, EV_IC), 0);
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR) + env_count(&env, EV_TLBI_RANGE), 2);
}

/* A lost race, made deterministic: while the first CPU cleans the page
 * (inside its D-cache hook), a second CPU faults on the same page. */
static int nested_ret = 99;
static unsigned long nested_dc;
static bool armed;
/* What the owned entry held while the owner cleaned. */
static hyp_pte_t seen_owned;

static void dc_with_a_racing_fault(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	struct env *e = pgt->ctx;
	static struct hyp_sim_cpu cpu2;

	h_dc(pgt, pa, size);
	if (!armed || nested_ret != 99)
		return;
	env_sim_init(&cpu2);
	hyp_sim_set_current(&cpu2);
	nested_dc = env_count(e, EV_DC);
	nested_ret = hyp_s2_map(pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, HYP_MAP_SHARED);
	nested_dc = env_count(e, EV_DC) - nested_dc;
	/* the entry is owned by the first CPU: invalid to the hardware */
	cr_assert_eq(env_leaf(e, 0x80000000, NULL), 0);
	seen_owned = env_raw(e, 0x80000000);
	hyp_sim_set_current(&cpu);
}

Test(stage2_cmo, the_cpu_that_loses_a_race_does_no_maintenance)
{
	env.ops.dcache_clean_inval_poc = dc_with_a_racing_fault;
	init();
	armed = true;
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, HYP_MAP_SHARED), 0);
	cr_assert_eq(nested_ret, HYP_EAGAIN, "the second CPU backs off");
	cr_assert_eq(nested_dc, 0);
	cr_assert_eq(env_count(&env, EV_DC), 1);
	/* its retry finds the mapping: nothing to do */
	env_reset_events(&env);
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, HYP_MAP_SHARED), 0);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL), (0x40000000ull | 0x7ffull | (1ull << 54)));
}

static int nested_relax = 99;

static void ic_with_a_racing_relax(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	static struct hyp_sim_cpu cpu2;

	h_ic(pgt, pa, size);
	if (!armed || nested_relax != 99)
		return;
	env_sim_init(&cpu2);
	hyp_sim_set_current(&cpu2);
	/* the leaf stays valid (the lock is a software bit) */
	cr_assert_eq(env_leaf(pgt->ctx, 0x80000000, NULL) & HYP_PTE_VALID, 1);
	seen_owned = env_raw(pgt->ctx, 0x80000000);
	nested_relax = hyp_s2_relax(pgt, 0x80000000, HYP_PROT_X, HYP_MAP_SHARED);
	hyp_sim_set_current(&cpu);
}

Test(stage2_cmo, relaxing_execute_races_invalidate_once)
{
	env.ops.icache_inval_pou = ic_with_a_racing_relax;
	init();
	armed = true;
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80000000, HYP_PROT_X, HYP_MAP_SHARED), 0);
	cr_assert_eq(nested_relax, HYP_EAGAIN);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env_leaf(&env, 0x80000000, NULL) & (HYP_S2_PTE_XN | HYP_PTE_LOCKED), 0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80000000, HYP_PROT_X, HYP_MAP_SHARED), 0);
	cr_assert_eq(env_count(&env, EV_IC), 1);
}

/*
 * The same two races with libhyp's lock moved to descriptor bit 58 (a
 * software bit, IGNORED by the hardware walker: Arm ARM D8.3): the owner
 * holds exactly bit 58 (a new leaf) or the leaf with bit 58 added (execute
 * being added), the loser still backs off, and the integrator's bits, now
 * descriptor bits [57:55], are neither taken for the lock nor lost.
 */
Test(stage2_cmo, a_lock_moved_to_bit_58_still_serialises_a_new_leaf)
{
	env.cfg.lock_bit = 58;
	env.ops.dcache_clean_inval_poc = dc_with_a_racing_fault;
	init();
	armed = true;
	cr_assert_eq(
	    hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, HYP_MAP_SHARED), 0);
	cr_assert_eq(seen_owned, 1ull << 58, "owned: %#llx", (unsigned long long)seen_owned);
	cr_assert_eq(nested_ret, HYP_EAGAIN, "the second CPU backs off");
	cr_assert_eq(nested_dc, 0);
	cr_assert_eq(env_count(&env, EV_DC), 1);
	cr_assert_eq(env_raw(&env, 0x80000000), (0x40000000ull | 0x7ffull | (1ull << 54)));
}

Test(stage2_cmo, a_lock_moved_to_bit_58_serialises_execute_and_keeps_the_sw_bits)
{
	const hyp_pte_t leaf = 0x40000000ull | 0x7ffull; /* RWX page, Arm ARM D8.3 */
	uint64_t v = 0;

	env.cfg.lock_bit = 58;
	env.ops.icache_inval_pou = ic_with_a_racing_relax;
	init();
	armed = true;
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_set_sw_bits(&env.pgt, 0x80000000, 0x0700000000000000ull,
					0x0700000000000000ull, HYP_MAP_SHARED),
		     0);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80000000, HYP_PROT_X, HYP_MAP_SHARED), 0);
	/* while invalidating: XN still set, bit 58 added, [57:55] untouched */
	cr_assert_eq(seen_owned, leaf | (1ull << 54) | (0xfull << 55), "owned: %#llx",
		     (unsigned long long)seen_owned);
	cr_assert_eq(nested_relax, HYP_EAGAIN);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env_raw(&env, 0x80000000), leaf | (0x7ull << 55));
	cr_assert_eq(hyp_s2_get_sw_bits(&env.pgt, 0x80000000, &v), 0);
	cr_assert_eq(v, 0x0700000000000000ull);
}

/* Index of the first event at or after @p from matching kind and, for PTE
 * writes, value. */
static int find(unsigned int from, int kind, int64_t val)
{
	for (unsigned int i = from; i < cpu.log_len; i++) {
		if (cpu.log[i].kind == kind && (val < 0 || cpu.log[i].val == (uint64_t)val))
			return (int)i;
	}
	return -1;
}

static void assert_bbm(uint64_t ipa, hyp_pte_t new_pte)
{
	int brk = find(0, HYP_SIM_PTE_WRITE, 0);
	cr_assert_geq(brk, 0, "the entry is written invalid first");
	int dsb1 = find((unsigned int)brk, HYP_SIM_DSB, -1);
	int tlbi = find((unsigned int)brk, HYP_SIM_TLBI, -1);
	int dsb2 = find((unsigned int)tlbi + 1, HYP_SIM_DSB, -1);
	int make = find((unsigned int)brk + 1, HYP_SIM_PTE_WRITE, (int64_t)new_pte);
	cr_assert(brk < dsb1 && dsb1 < tlbi && tlbi < dsb2 && dsb2 < make,
		  "break %d, DSB %d, TLBI %d, DSB %d, make %d", brk, dsb1, tlbi, dsb2, make);
	cr_assert_eq(cpu.log[brk].addr, cpu.log[make].addr, "the same entry");
	cr_assert_eq(cpu.log[dsb1].arg, HYP_BARRIER_ISH);
	cr_assert_eq(cpu.log[tlbi].arg, HYP_SIM_TLBI_IPAS2E1IS);
	cr_assert_eq(cpu.log[tlbi].val & ((1ull << 44) - 1), ipa >> 12);
	cr_assert_eq(env_leaf(&env, ipa, NULL), new_pte);
}

Test(stage2_cmo, break_before_make_when_the_output_address_changes)
{
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI], 0, "installing into an invalid entry");
	cr_assert_eq(find(0, HYP_SIM_PTE_WRITE, 0), -1);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x50000000, HYP_PROT_RW, 0), 0);
	assert_bbm(0x80000000, 0x50000000ull | 0x7ffull | (1ull << 54));
	/* TTL hint: 4K granule, level 3 */
	cr_assert_eq(cpu.log[find(0, HYP_SIM_TLBI, -1)].val >> 44, 0x7);
}

Test(stage2_cmo, break_before_make_when_the_memory_type_changes)
{
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000,
				HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE, 0),
		     0);
	assert_bbm(0x80000000, 0x40000000ull | 0x7c7ull | (1ull << 54));
	cr_assert_eq(env_count(&env, EV_DC), 0, "Device memory is not cleaned");
}

Test(stage2_cmo, break_before_make_when_the_size_changes)
{
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80200000, SZ_2M, 0x40200000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_split(&env.pgt, 0x80200000, PAGE), 0);
	int brk = find(0, HYP_SIM_PTE_WRITE, 0);
	int tlbi = find(0, HYP_SIM_TLBI, -1);
	cr_assert(brk >= 0 && cpu.log[brk - 1].kind == HYP_SIM_PTE_WRITE, "built before the break");
	/* break, DSB, MRS VTTBR_EL2 (loaded VMID: no switch), TLBI */
	cr_assert(cpu.log[brk + 1].kind == HYP_SIM_DSB && tlbi == brk + 3);
	cr_assert(cpu.log[brk + 2].kind == HYP_SIM_SYSREG_READ &&
		  cpu.log[brk + 2].enc == HYP_SYS_VTTBR_EL2);
	cr_assert_eq(cpu.log[tlbi].val >> 44, 0x6, "TTL: 4K, level 2");
	int dsb = find((unsigned int)tlbi + 1, HYP_SIM_DSB, -1);
	int link = find((unsigned int)dsb, HYP_SIM_PTE_WRITE, -1);
	cr_assert_eq(cpu.log[link].addr, cpu.log[brk].addr);
	cr_assert_eq(cpu.log[link].val & 3, 3, "a table descriptor");
	cr_assert_eq(cpu.log[link].arg, 1, "published with store-release");
}

Test(stage2_cmo, permission_changes_need_no_break)
{
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80000000, PAGE, 0x40000000, HYP_PROT_R, 0), 0);
	cr_assert_eq(find(0, HYP_SIM_PTE_WRITE, 0), -1);
	int set = find(0, HYP_SIM_PTE_WRITE, -1);
	int dsb = find((unsigned int)set, HYP_SIM_DSB, -1);
	int tlbi = find((unsigned int)set, HYP_SIM_TLBI, -1);
	cr_assert(set >= 0 && set < dsb && dsb < tlbi, "write, DSB, TLBI");
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], 0);
}

/* Freed table pages: only after the TLB invalidation that removes them
 * from the walk caches has completed. */
static unsigned int free_at[8], nfree_at;

static void free_logged(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	if (nfree_at < 8)
		free_at[nfree_at++] = cpu.log_len;
	h_free(pgt, va, n);
}

Test(stage2_cmo, tables_are_freed_after_their_tlbi_completes)
{
	env.ops.free_pages = free_logged;
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x100000000ull, PAGE, 0x40000000, HYP_PROT_RW, 0), 0);
	hyp_sim_reset_counts(&cpu);
	nfree_at = 0;
	cr_assert_eq(hyp_s2_unmap(&env.pgt, 0x100000000ull, PAGE), 0);
	cr_assert_eq(nfree_at, 2);
	for (unsigned int i = 0; i < nfree_at; i++) {
		unsigned int at = free_at[i];
		cr_assert(at >= 3 && cpu.log[at - 1].kind == HYP_SIM_DSB, "a DSB right before");
		int brk = -1;
		for (unsigned int j = 0; j < at; j++) {
			if (cpu.log[j].kind == HYP_SIM_PTE_WRITE && cpu.log[j].val == 0)
				brk = (int)j;
		}
		int tlbi = find((unsigned int)brk, HYP_SIM_TLBI, -1);
		cr_assert(brk >= 0 && tlbi > brk && tlbi < (int)at, "unlinked, invalidated, freed");
	}
}

/*
 * HYP_MAP_IC_ONCE (issue 15: a VM's RAM mapped at creation): one I-cache
 * hook call for the whole output range, before any entry is written,
 * instead of one per leaf; the D-cache rule is unchanged (one clean per
 * new Normal cacheable leaf without FWB); no TLBI (every entry was
 * invalid). The range [0xffdff000, 0x140202000): one 4K page, a 2M block,
 * a 1G block (IA[29:0] = 0 at 0x100000000), a 2M block and two 4K pages:
 * six leaves.
 */
#define ONCE_IPA  0xffdff000ull
#define ONCE_SIZE 0x40403000ull

static void once_check_layout(void)
{
	static const struct {
		uint64_t ipa;
		unsigned int level;
	} want[] = {{0xffdff000ull, 3}, {0xffe00000ull, 2}, {0x100000000ull, 1},
		    {0x13fffffffull, 1}, {0x140000000ull, 2}, {0x140201000ull, 3}};

	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		hyp_pte_t pte = 0;
		unsigned int level = 0;

		cr_assert_eq(hyp_pgtable_get_leaf(&env.pgt, want[i].ipa, &pte, &level), 0);
		cr_assert_eq(level, want[i].level, "%#llx", (unsigned long long)want[i].ipa);
		/* XN [54:53] 0: executable (Arm ARM D8.3, stage-2 descriptors) */
		cr_assert_eq(pte & (3ull << 53), 0);
	}
}

Test(stage2_cmo, ic_once_maps_a_range_with_one_icache_call)
{
	/* without the flag: one I-cache call per leaf */
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(env_count(&env, EV_IC), 6);
	cr_assert_eq(env_count(&env, EV_DC), 6);
	hyp_pgtable_destroy(&env.pgt);

	init();
	cr_assert_eq(hyp_s2_stats_reset(&env.pgt), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RWX,
				HYP_MAP_IC_ONCE),
		     0);
	once_check_layout();
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env.ev[0].kind, EV_IC, "before anything else");
	cr_assert_eq(env.ev[0].addr, ONCE_IPA);
	cr_assert_eq(env.ev[0].size, ONCE_SIZE);
	cr_assert_eq(env_count(&env, EV_DC), 6, "one clean per new leaf (no FWB)");
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR) + env_count(&env, EV_TLBI_RANGE) +
			 env_count(&env, EV_TLBI_ALL),
		     0);
	/* the hardware hook: more than 2 MiB, so one IC IALLUIS, no IC IVAU,
	 * logged before the first descriptor write */
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU], 1);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IVAU], 0);
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], 6);
	int ic = hyp_sim_log_find(&cpu, 0, HYP_SIM_IC_IALLU, ~0ull);
	int set = hyp_sim_log_find(&cpu, 0, HYP_SIM_PTE_WRITE, ~0ull);
	cr_assert(ic >= 0 && set > ic, "%d %d", ic, set);
	/* stats count what the hook was given */
	struct hyp_s2_stats st;
	cr_assert_eq(hyp_s2_stats(&env.pgt, &st), 0);
	cr_assert_eq(st.ic_ops, 1);
	cr_assert_eq(st.ic_bytes, ONCE_SIZE);
	cr_assert_eq(st.dc_ops, 6);
	cr_assert_eq(st.dc_bytes, ONCE_SIZE);
}

Test(stage2_cmo, ic_once_with_fwb_and_with_dic)
{
	env.cfg.s2fwb = true;
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RWX,
				HYP_MAP_IC_ONCE),
		     0);
	once_check_layout();
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env_hooks_total(&env), 1, "no D-cache clean with FWB, no TLBI");
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], 0);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU], 1);
	hyp_pgtable_destroy(&env.pgt);

	/* DIC: no I-cache call at all; a range without X: none either */
	env.cfg.dic = true;
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RWX,
				HYP_MAP_IC_ONCE),
		     0);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU] + cpu.counts[HYP_SIM_IC_IVAU], 0);
	hyp_pgtable_destroy(&env.pgt);
	env.cfg.dic = false;
	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RW,
				HYP_MAP_IC_ONCE),
		     0);
	cr_assert_eq(env_hooks_total(&env), 0);
}

/* Execute permission added in place to leaves already mapped (the same
 * output address and memory type): one I-cache call for the range, none
 * per leaf, no D-cache clean (no new mapping), and the permission
 * change's TLBIs as without the flag. */
Test(stage2_cmo, ic_once_covers_execute_added_in_place)
{
	unsigned long tlbis;

	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RW, 0), 0);
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(env_count(&env, EV_IC), 6);
	cr_assert_eq(env_count(&env, EV_DC), 0);
	tlbis = env_count(&env, EV_TLBI_ADDR) + env_count(&env, EV_TLBI_RANGE) +
		env_count(&env, EV_TLBI_ALL);
	cr_assert_gt(tlbis, 0);
	hyp_pgtable_destroy(&env.pgt);

	init();
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RW, 0), 0);
	env_reset_events(&env);
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RWX,
				HYP_MAP_IC_ONCE),
		     0);
	once_check_layout();
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env.ev[0].kind, EV_IC);
	cr_assert_eq(env.ev[0].size, ONCE_SIZE);
	cr_assert_eq(env_count(&env, EV_DC), 0);
	cr_assert_eq(env_count(&env, EV_TLBI_ADDR) + env_count(&env, EV_TLBI_RANGE) +
			 env_count(&env, EV_TLBI_ALL),
		     tlbis);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU], 1);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IVAU], 0);

	/* one page is one leaf: the flag changes nothing (no call for a
	 * page mapped as asked, one when execute is added) */
	env_reset_events(&env);
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, PAGE, ONCE_IPA, HYP_PROT_RWX, HYP_MAP_IC_ONCE),
		     0);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x7fe00000, PAGE, 0x1000, HYP_PROT_RX, HYP_MAP_IC_ONCE),
		     0);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env.ev[0].kind, EV_IC);
	cr_assert_eq(env.ev[0].addr, 0x1000);
	cr_assert_eq(env.ev[0].size, PAGE);
}

/* Bad input: the flag in shared mode (the per-entry lock protocol needs
 * per-leaf maintenance): HYP_EINVAL, nothing mapped, no hook, no access. */
Test(stage2_cmo, ic_once_refused_in_shared_mode)
{
	hyp_pte_t pte;
	unsigned int level;

	init();
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_s2_map(&env.pgt, ONCE_IPA, ONCE_SIZE, ONCE_IPA, HYP_PROT_RWX,
				HYP_MAP_IC_ONCE | HYP_MAP_SHARED),
		     HYP_EINVAL);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_WRITE] + cpu.counts[HYP_SIM_PTE_CAS] +
			 cpu.counts[HYP_SIM_IC_IALLU] + cpu.counts[HYP_SIM_IC_IVAU],
		     0);
	cr_assert(hyp_pgtable_get_leaf(&env.pgt, ONCE_IPA, &pte, &level) || !(pte & 1));
	/* the 4K fault entry does not take it; the 2M one hands it to
	 * hyp_s2_map() (as HYP_MAP_PAGES and HYP_MAP_FORCE): one I-cache call */
	cr_assert_eq(hyp_s2_fault_map_4k(&env.pgt, ONCE_IPA, ONCE_IPA, HYP_PROT_RWX,
					 HYP_MAP_IC_ONCE),
		     HYP_EINVAL);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(hyp_s2_fault_map_2m(&env.pgt, 0xffe00000ull, 0xffe00000ull, HYP_PROT_RWX,
					 HYP_MAP_IC_ONCE | HYP_MAP_SHARED),
		     HYP_EINVAL);
	cr_assert_eq(env_hooks_total(&env), 0);
	cr_assert_eq(hyp_s2_fault_map_2m(&env.pgt, 0xffe00000ull, 0xffe00000ull, HYP_PROT_RWX,
					 HYP_MAP_IC_ONCE),
		     0);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(env.ev[0].kind, EV_IC);
	cr_assert_eq(env.ev[0].size, 0x200000);
}

/* The hardware I-cache hook on a PIPT I-cache: by VA up to 2 MiB (a 2M
 * block: 32768 lines of 64 bytes), the whole I-cache (IC IALLUIS) above
 * (HYP_PGTABLE_IC_ALL_BYTES). */
Test(stage2_cmo, icache_hw_hook_invalidates_everything_above_2m)
{
	init();
	hyp_sim_reset_counts(&cpu);
	hyp_pgtable_icache_inval_hw(&env.pgt, 0x40000000, 0x200000);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IVAU], 1);
	cr_assert_eq(cpu.ic_lines, 32768);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU], 0);
	hyp_sim_reset_counts(&cpu);
	hyp_pgtable_icache_inval_hw(&env.pgt, 0x40000000, 0x201000);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IVAU], 0);
	cr_assert_eq(cpu.ic_lines, 0);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU], 1);
	hyp_sim_reset_counts(&cpu);
	hyp_pgtable_icache_inval_hw(&env.pgt, 0x40000000, 0x40000000);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IVAU], 0);
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU], 1);
}
