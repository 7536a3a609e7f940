/* SPDX-License-Identifier: MIT */
/* libhyp-rt's page pool: allocation, alignment, zeroing, free, bad
 * arguments (which change nothing), and a stage-2 table built on it. */
#include <criterion/criterion.h>
#include <string.h>

#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/hw/sim.h>
#include <libhyp/stage2.h>
#include <libhyp-rt/rt.h>

#define PAGES 40
static uint8_t mem[PAGES + 16][4096] __attribute__((aligned(65536)));
static uint64_t map[HYP_RT_POOL_MAP_WORDS(PAGES)];

static struct hyp_rt_pool pool;

static void setup(void)
{
	memset(mem, 0xee, sizeof(mem));
	cr_assert_eq(hyp_rt_pool_init(&pool, mem, PAGES * 4096, map, HYP_RT_POOL_MAP_WORDS(PAGES)),
		     HYP_OK);
}

TestSuite(rt_pool, .init = setup);

Test(rt_pool, init)
{
	cr_assert_eq(pool.nr_pages, PAGES);
	cr_assert_eq(pool.nr_free, PAGES);
	cr_assert_eq(pool.base, (uintptr_t)mem);
	cr_assert_eq(HYP_RT_POOL_MAP_WORDS(64), 1);
	cr_assert_eq(HYP_RT_POOL_MAP_WORDS(65), 2);
}

Test(rt_pool, init_bad_args_change_nothing)
{
	struct hyp_rt_pool p, before;
	uint64_t m[2] = {0x1234, 0x5678};

	memset(&p, 0xa5, sizeof(p));
	before = p;
	cr_assert_eq(hyp_rt_pool_init(NULL, mem, 4096, m, 2), HYP_EINVAL);
	cr_assert_eq(hyp_rt_pool_init(&p, NULL, 4096, m, 2), HYP_EINVAL);
	cr_assert_eq(hyp_rt_pool_init(&p, mem, 4096, NULL, 2), HYP_EINVAL);
	cr_assert_eq(hyp_rt_pool_init(&p, mem[0] + 8, 4096, m, 2), HYP_EINVAL); /* misaligned */
	cr_assert_eq(hyp_rt_pool_init(&p, mem, 4095, m, 2), HYP_EINVAL);	/* not pages */
	cr_assert_eq(hyp_rt_pool_init(&p, mem, 0, m, 2), HYP_EINVAL);		/* empty */
	cr_assert_eq(hyp_rt_pool_init(&p, mem, 65 * 4096, m, 1), HYP_EINVAL);	/* short map */
	cr_assert_eq(hyp_rt_pool_init(&p, (void *)(UINTPTR_MAX & ~4095ul), 8192, m, 2),
		     HYP_EINVAL); /* wraps */
	cr_assert_eq(memcmp(&p, &before, sizeof(p)), 0);
	cr_assert_eq(m[0], 0x1234);
	cr_assert_eq(m[1], 0x5678);
}

Test(rt_pool, alloc_zeroes_and_aligns)
{
	uint8_t *a = hyp_rt_pool_alloc(&pool, 1);
	uint8_t *b = hyp_rt_pool_alloc(&pool, 4);
	uint8_t *c = hyp_rt_pool_alloc(&pool, 3); /* aligned to 4 pages */
	uint8_t *d = hyp_rt_pool_alloc(&pool, 16);

	cr_assert_eq(a, mem[0]);
	cr_assert_eq(b, mem[4]);
	cr_assert_eq(c, mem[8]);
	cr_assert_eq(d, mem[16]);
	cr_assert_eq(pool.nr_free, PAGES - 24);
	for (size_t i = 0; i < 4096; i++)
		cr_assert_eq(a[i], 0);
	for (size_t i = 0; i < 3 * 4096; i++)
		cr_assert_eq(c[i], 0);
	cr_assert_eq(mem[11][0], 0xee, "page 11 is not part of the 3-page run");
	/* pages 1..3 are free and fit single pages */
	cr_assert_eq(hyp_rt_pool_alloc(&pool, 1), mem[1]);
	cr_assert_eq(hyp_rt_pool_alloc(&pool, 2), mem[2]);
}

Test(rt_pool, exhaustion_and_free)
{
	void *p[PAGES];

	for (int i = 0; i < PAGES; i++)
		cr_assert_eq(p[i] = hyp_rt_pool_alloc(&pool, 1), mem[i]);
	cr_assert_null(hyp_rt_pool_alloc(&pool, 1));
	cr_assert_eq(pool.nr_free, 0);
	cr_assert_eq(hyp_rt_pool_free(&pool, p[7], 1), HYP_OK);
	cr_assert_eq(pool.nr_free, 1);
	mem[7][5] = 0x99;
	cr_assert_eq(hyp_rt_pool_alloc(&pool, 1), mem[7]);
	cr_assert_eq(mem[7][5], 0, "reused page zeroed");
	/* two free pages not aligned to two pages: no 2-page run */
	cr_assert_eq(hyp_rt_pool_free(&pool, p[9], 1), HYP_OK);
	cr_assert_eq(hyp_rt_pool_free(&pool, p[10], 1), HYP_OK);
	cr_assert_null(hyp_rt_pool_alloc(&pool, 2));
	cr_assert_eq(hyp_rt_pool_free(&pool, p[11], 1), HYP_OK);
	cr_assert_eq(hyp_rt_pool_alloc(&pool, 2), mem[10]);
}

Test(rt_pool, free_bad_args_change_nothing)
{
	uint8_t *a = hyp_rt_pool_alloc(&pool, 2);
	uint64_t m0 = map[0];
	uint32_t nf = pool.nr_free;

	cr_assert_eq(hyp_rt_pool_free(NULL, a, 2), HYP_EINVAL);
	cr_assert_eq(hyp_rt_pool_free(&pool, NULL, 1), HYP_EINVAL);
	cr_assert_eq(hyp_rt_pool_free(&pool, a, 0), HYP_EINVAL);
	cr_assert_eq(hyp_rt_pool_free(&pool, a, 17), HYP_EINVAL);
	cr_assert_eq(hyp_rt_pool_free(&pool, a + 8, 1), HYP_EINVAL);	  /* not a page */
	cr_assert_eq(hyp_rt_pool_free(&pool, a, 3), HYP_EINVAL);	  /* page 2 is free */
	cr_assert_eq(hyp_rt_pool_free(&pool, mem[PAGES], 1), HYP_EINVAL); /* past the end */
	cr_assert_eq(hyp_rt_pool_free(&pool, mem[PAGES - 1], 2), HYP_EINVAL);
	cr_assert_eq(hyp_rt_pool_free(&pool, (void *)((uintptr_t)mem - 4096), 1), HYP_EINVAL);
	cr_assert_eq(map[0], m0);
	cr_assert_eq(pool.nr_free, nf);
	cr_assert_eq(hyp_rt_pool_free(&pool, a, 2), HYP_OK);
	cr_assert_eq(hyp_rt_pool_free(&pool, a, 1), HYP_EINVAL, "double free");
	cr_assert_eq(pool.nr_free, PAGES);
	cr_assert_eq(map[0], 0);
}

Test(rt_pool, alloc_bad_args)
{
	cr_assert_null(hyp_rt_pool_alloc(NULL, 1));
	cr_assert_null(hyp_rt_pool_alloc(&pool, 0));
	cr_assert_null(hyp_rt_pool_alloc(&pool, 17));
	cr_assert_eq(pool.nr_free, PAGES);
	cr_assert_eq(map[0], 0);
	cr_assert_null(hyp_rt_pool_zalloc_pages(NULL, 1));
	hyp_rt_pool_free_pages(NULL, mem[0], 1); /* nothing happens */
}

/* The ready-made ops on a stage-2 table: its pages come from the pool, an
 * unmap that empties a table gives the page back. */
Test(rt_pool, stage2_on_the_pool)
{
	struct hyp_sim_cpu cpu;
	struct hyp_pgtable pgt;
	/* PA = the host address of the pool (identity virt/phys): 48 bits */
	struct hyp_pgtable_cfg cfg = {.pa_bits = 48,
				      .ia_bits = 32,
				      .granule_shift = 12,
				      .dline_shift = 6,
				      .iline_shift = 6,
				      .l1ip = 3,
				      .s2fwb = true,
				      .dic = true,
				      .idc = true};
	uint32_t start;

	hyp_sim_init(&cpu);
	/* the TLBI hooks read HCR_EL2 (E2H, TGE) and VTTBR_EL2 (the current VMID) */
	cr_assert_eq(hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, 0), 0);
	cr_assert_eq(hyp_sim_reg_define(&cpu, HYP_SYS_VTTBR_EL2, 0), 0);
	hyp_sim_set_current(&cpu);
	cr_assert_eq(hyp_s2_init(&pgt, &cfg, &hyp_rt_pool_ops, &pool, 1), HYP_OK);
	start = pool.nr_free;
	cr_assert_lt(start, PAGES);
	cr_assert_eq(hyp_s2_map(&pgt, 0x1000, 0x1000, 0x80001000, HYP_PROT_RW, 0), HYP_OK);
	cr_assert_lt(pool.nr_free, start, "tables for a 4K page came from the pool");
	cr_assert_eq(hyp_s2_unmap(&pgt, 0x1000, 0x1000), HYP_OK);
	hyp_pgtable_destroy(&pgt);
	cr_assert_eq(pool.nr_free, PAGES, "every page back");
}

/* A pool whose first page is not aligned to a run: runs are aligned by
 * address, not by index. */
Test(rt_pool, runs_aligned_by_address)
{
	struct hyp_rt_pool p;
	uint64_t m[1];

	cr_assert_eq(hyp_rt_pool_init(&p, mem[1], 8 * 4096, m, 1), HYP_OK);
	cr_assert_eq(hyp_rt_pool_alloc(&p, 2), mem[2]);
	cr_assert_eq(hyp_rt_pool_alloc(&p, 4), mem[4]);
	cr_assert_eq(hyp_rt_pool_alloc(&p, 1), mem[1]);
	cr_assert_null(hyp_rt_pool_alloc(&p, 4), "mem[8] is outside the pool");
	cr_assert_eq(p.nr_free, 1);
	cr_assert_eq(hyp_rt_pool_alloc(&p, 1), mem[8]);
	cr_assert_eq(p.nr_free, 0);
}
