/* SPDX-License-Identifier: MIT */
/*
 * The stage-2 walker's statistics (hyp_s2_stats(), issue 15): every call
 * of a cache-maintenance hook counted once with its size, whatever path
 * asked for it (hyp_s2_map(), the fault entry hyp_s2_fault_map_4k(),
 * adding execute permission); nothing for a spurious fault or with FWB;
 * the hooks and the simulated CPU's accesses as without the counting.
 * Built twice: 's2-stats' against libhyp.a (counters kept, the default),
 * 's2-nostats' with src/stage2/map.c compiled with -DHYP_S2_STATS=0
 * (S2_STATS_OFF: the same hook calls, every counter zero).
 */
#include <criterion/criterion.h>

#include "test_stage2_env.h"

#ifdef S2_STATS_OFF
#define N(x) 0u
#else
#define N(x) (x)
#endif

static struct hyp_sim_cpu cpu;
static struct env env;
static struct hyp_s2_stats st;

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
	cr_assert_eq(hyp_s2_stats(&env.pgt, &st), 0);
	cr_assert_eq(st.dc_ops + st.dc_bytes + st.ic_ops + st.ic_bytes, 0);
	/* the tables for the IPAs used below (a read-only page: a D-cache
	 * clean of its 4K without FWB, no I-cache) */
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x801ff000, PAGE, 0x1000, HYP_PROT_R, 0), 0);
	cr_assert_eq(hyp_s2_stats(&env.pgt, &st), 0);
	cr_assert_eq(st.dc_ops, env.cfg.s2fwb ? 0 : N(1));
	cr_assert_eq(st.dc_bytes, env.cfg.s2fwb ? 0 : N(PAGE));
	cr_assert_eq(hyp_s2_stats_reset(&env.pgt), 0);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(&env);
}

TestSuite(s2_stats, .init = start, .fini = stop);

/* Without FWB or DIC: a fresh RWX page by the fault entry is one D-cache
 * and one I-cache call of 4K; a 2 MiB RW block one D-cache call of 2 MiB;
 * the same page again (spurious) nothing; execute added to a RW page one
 * I-cache call. The hooks saw exactly what the counters say. */
Test(s2_stats, counts_every_hook_call_with_its_size)
{
	init();
	cr_assert_eq(hyp_s2_fault_map_4k(&env.pgt, 0x80000000, 0x40000000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(env_count(&env, EV_DC), 1);
	cr_assert_eq(env_count(&env, EV_IC), 1);
	cr_assert_eq(hyp_s2_stats(&env.pgt, &st), 0);
	cr_assert_eq(st.dc_ops, N(1));
	cr_assert_eq(st.dc_bytes, N(PAGE));
	cr_assert_eq(st.ic_ops, N(1));
	cr_assert_eq(st.ic_bytes, N(PAGE));

	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80200000, SZ_2M, 0x40200000, HYP_PROT_RW, 0), 0);
	/* spurious: already mapped as asked, exclusive and shared */
	cr_assert_eq(hyp_s2_fault_map_4k(&env.pgt, 0x80000000, 0x40000000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(hyp_s2_fault_map_4k(&env.pgt, 0x80000000, 0x40000000, HYP_PROT_RWX,
					 HYP_MAP_SHARED),
		     0);
	cr_assert_eq(hyp_s2_stats(&env.pgt, &st), 0);
	cr_assert_eq(st.dc_ops, N(2));
	cr_assert_eq(st.dc_bytes, N(PAGE + SZ_2M));
	cr_assert_eq(st.ic_ops, N(1));

	/* a RW page, then execute added (hyp_s2_relax()): one I-cache call */
	cr_assert_eq(hyp_s2_fault_map_4k(&env.pgt, 0x80001000, 0x40001000, HYP_PROT_RW,
					 HYP_MAP_SHARED),
		     0);
	cr_assert_eq(hyp_s2_relax(&env.pgt, 0x80001000, HYP_PROT_X, 0), 0);
	cr_assert_eq(hyp_s2_stats(&env.pgt, &st), 0);
	cr_assert_eq(st.dc_ops, N(3));
	cr_assert_eq(st.dc_bytes, N(2 * PAGE + SZ_2M));
	cr_assert_eq(st.ic_ops, N(2));
	cr_assert_eq(st.ic_bytes, N(2 * PAGE));
	/* the hooks' own log agrees */
	cr_assert_eq(env_count(&env, EV_DC), 3);
	cr_assert_eq(env_count(&env, EV_IC), 2);
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], 3);
}

Test(s2_stats, nothing_with_fwb_and_dic)
{
	env.cfg.s2fwb = true;
	env.cfg.dic = true;
	init();
	cr_assert_eq(hyp_s2_fault_map_4k(&env.pgt, 0x80000000, 0x40000000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(hyp_s2_map(&env.pgt, 0x80200000, SZ_2M, 0x40200000, HYP_PROT_RWX, 0), 0);
	cr_assert_eq(hyp_s2_stats(&env.pgt, &st), 0);
	cr_assert_eq(st.dc_ops + st.dc_bytes + st.ic_ops + st.ic_bytes, 0);
	cr_assert_eq(env_count(&env, EV_DC) + env_count(&env, EV_IC), 0);
}

Test(s2_stats, bad_arguments_and_reset)
{
	init();
	cr_assert_eq(hyp_s2_fault_map_4k(&env.pgt, 0x80000000, 0x40000000, HYP_PROT_RW, 0), 0);
	st.dc_ops = 77;
	cr_assert_eq(hyp_s2_stats(NULL, &st), HYP_EINVAL);
	cr_assert_eq(hyp_s2_stats(&env.pgt, NULL), HYP_EINVAL);
	cr_assert_eq(st.dc_ops, 77);
	cr_assert_eq(hyp_s2_stats_reset(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_s2_stats(&env.pgt, &st), 0);
	cr_assert_eq(st.dc_ops, N(1));
	cr_assert_eq(hyp_s2_stats_reset(&env.pgt), 0);
	cr_assert_eq(hyp_s2_stats(&env.pgt, &st), 0);
	cr_assert_eq(st.dc_ops, 0);
}
