/* SPDX-License-Identifier: MIT */
/*
 * hyp_s2_fault_map_4k(), the stage-2 fault entry, against hyp_s2_map() of
 * the same page: every scenario runs on two identical tables, one through
 * each entry, and must leave byte-identical tables and reference counts,
 * the same hook calls in the same order and the same hardware accesses on
 * the simulated CPU (counts and ordered log), and return the same value.
 * Scenarios: a fresh page under existing tables, an already mapped page
 * (spurious), a page that needs new tables, a permission relax, a
 * conflicting mapping (break-before-make / HYP_EAGAIN), a page under a
 * block, an owner annotation, an allocation failure; with and without
 * FWB, exclusive and shared, with the phys_to_virt hook and with the
 * linear map declared (hyp_pgtable_cfg::linear_map: then no phys_to_virt
 * call on the fault path). Bad input is refused as hyp_s2_map() refuses
 * it, with nothing changed and no hook called.
 */
#include <criterion/criterion.h>

#include "test_stage2_env.h"

static struct hyp_sim_cpu cpu;
static struct env ea, eb;
static unsigned long p2v_calls;

/* Counts the translations of table pages (the hardware CMO hooks also
 * translate the guest's pages: not counted). */
static void *counting_p2v(struct hyp_pgtable *pgt, uint64_t pa)
{
	if (env_is_pool_pa(pgt->ctx, pa))
		p2v_calls++;
	return h_p2v(pgt, pa);
}

static void env_up(struct env *e, bool fwb, bool linear)
{
	env_pool(e, 256);
	e->cfg.s2fwb = fwb;
	e->ops.phys_to_virt = counting_p2v;
	if (linear) {
		e->cfg.linear_map = true;
		e->cfg.linear_offset = (uint64_t)(uintptr_t)e->mem - POOL_PA;
	}
	cr_assert_eq(hyp_s2_init(&e->pgt, &e->cfg, &e->ops, e, 5), 0);
}

static void start(void)
{
	env_sim_init(&cpu);
	hyp_sim_set_current(&cpu);
}

static void stop(void)
{
	hyp_sim_set_current(NULL);
}

TestSuite(stage2_fault, .init = start, .fini = stop);

/* One mapping call of a scenario's setup (always hyp_s2_map()). */
struct setup {
	uint64_t ipa, size, pa;
	unsigned int prot, flags;
	int annotate; /* !0: hyp_s2_annotate_invalid(ipa, size, annotate) instead */
};

struct scenario {
	const char *name;
	struct setup pre[3];
	unsigned int npre;
	uint64_t ipa, pa;
	unsigned int prot, flags;
	long fail_after; /* for the operation itself; -1 = never */
	uint64_t size;	 /* 0: a 4K page (hyp_s2_fault_map_4k()); SZ_2M: hyp_s2_fault_map_2m() */
};

/* What one run left behind. */
struct result {
	int ret;
	unsigned long p2v;
	struct ev ev[1100];
	unsigned int nev;
	uint32_t counts[HYP_SIM_KIND_COUNT];
	struct hyp_sim_event log[HYP_SIM_LOG_MAX];
	unsigned int log_len;
	unsigned long allocs, frees;
};

static void run(struct env *e, const struct scenario *s, bool entry, struct result *r)
{
	for (unsigned int i = 0; i < s->npre; i++) {
		const struct setup *p = &s->pre[i];

		if (p->annotate)
			cr_assert_eq(hyp_s2_annotate_invalid(&e->pgt, p->ipa, p->size,
							     (unsigned int)p->annotate),
				     0);
		else
			cr_assert_eq(hyp_s2_map(&e->pgt, p->ipa, p->size, p->pa, p->prot, p->flags),
				     0, "%s: setup %u", s->name, i);
	}
	env_sim_load(&cpu, &e->pgt);
	hyp_sim_reset_counts(&cpu);
	env_reset_events(e);
	e->fail_after = s->fail_after;
	e->allocs = e->frees = 0;
	p2v_calls = 0;
	if (s->size == SZ_2M)
		r->ret = entry ? hyp_s2_fault_map_2m(&e->pgt, s->ipa, s->pa, s->prot, s->flags)
			       : hyp_s2_map(&e->pgt, s->ipa, SZ_2M, s->pa, s->prot, s->flags);
	else
		r->ret = entry ? hyp_s2_fault_map_4k(&e->pgt, s->ipa, s->pa, s->prot, s->flags)
			       : hyp_s2_map(&e->pgt, s->ipa, PAGE, s->pa, s->prot, s->flags);
	e->fail_after = -1;
	r->p2v = p2v_calls;
	r->nev = atomic_load(&e->nev);
	cr_assert_leq(r->nev, 1100);
	memcpy(r->ev, e->ev, r->nev * sizeof(r->ev[0]));
	memcpy(r->counts, cpu.counts, sizeof(r->counts));
	r->log_len = cpu.log_len;
	cr_assert_leq(r->log_len, HYP_SIM_LOG_MAX);
	for (unsigned int i = 0; i < r->log_len; i++) {
		r->log[i] = cpu.log[i];
		/* table entries by their offset in the pool: the pools differ */
		if (r->log[i].kind == HYP_SIM_PTE_WRITE || r->log[i].kind == HYP_SIM_PTE_CAS ||
		    r->log[i].kind == HYP_SIM_PTE_READ)
			r->log[i].addr -= (uint64_t)(uintptr_t)e->mem;
	}
	r->allocs = e->allocs;
	r->frees = e->frees;
}

static void same(const struct scenario *s, bool fwb, bool linear, int want_ret)
{
	static struct result ra, rb;
	const char *cfg = fwb ? (linear ? "FWB, linear" : "FWB") : (linear ? "linear" : "no FWB");

	env_up(&ea, fwb, false);
	env_up(&eb, fwb, linear);
	run(&ea, s, false, &ra);
	run(&eb, s, true, &rb);
	cr_assert_eq(ra.ret, want_ret, "%s (%s): hyp_s2_map returned %d", s->name, cfg, ra.ret);
	cr_assert_eq(rb.ret, ra.ret, "%s (%s): returns", s->name, cfg);
	/* tables, byte for byte (table addresses are pool-relative), and refs */
	cr_assert_eq(ea.npages, eb.npages);
	cr_assert(!memcmp(ea.used, eb.used, ea.npages), "%s (%s): allocation", s->name, cfg);
	for (unsigned int i = 0; i < ea.npages; i++) {
		if (ea.used[i])
			cr_assert(!memcmp(ea.mem + i * PAGE, eb.mem + i * PAGE, PAGE),
				  "%s (%s): table page %u differs", s->name, cfg, i);
		cr_assert_eq(atomic_load(&ea.ref[i]), atomic_load(&eb.ref[i]),
			     "%s (%s): refcount of page %u", s->name, cfg, i);
	}
	cr_assert_eq(ra.allocs, rb.allocs, "%s (%s): allocations", s->name, cfg);
	cr_assert_eq(ra.frees, rb.frees, "%s (%s): frees", s->name, cfg);
	/* the hooks, in order */
	cr_assert_eq(ra.nev, rb.nev, "%s (%s): hook calls", s->name, cfg);
	for (unsigned int i = 0; i < ra.nev; i++)
		cr_assert(ra.ev[i].kind == rb.ev[i].kind && ra.ev[i].addr == rb.ev[i].addr &&
			      ra.ev[i].size == rb.ev[i].size && ra.ev[i].level == rb.ev[i].level,
			  "%s (%s): hook call %u", s->name, cfg, i);
	/* the hardware accesses: counts and the ordered log (the 2M entry:
	 * without the PTE reads, at most three more: its walk before
	 * hyp_s2_map()'s) */
	if (s->size == SZ_2M) {
		unsigned int ia = 0, ib = 0;

		cr_assert_leq(rb.counts[HYP_SIM_PTE_READ], ra.counts[HYP_SIM_PTE_READ] + 3,
			      "%s (%s): PTE reads", s->name, cfg);
		for (unsigned int k = 0; k < HYP_SIM_KIND_COUNT; k++)
			cr_assert(k == HYP_SIM_PTE_READ || ra.counts[k] == rb.counts[k],
				  "%s (%s): hardware access kind %u", s->name, cfg, k);
		for (unsigned int i = 0; i < ra.log_len; i++)
			if (ra.log[i].kind != HYP_SIM_PTE_READ)
				ra.log[ia++] = ra.log[i];
		for (unsigned int i = 0; i < rb.log_len; i++)
			if (rb.log[i].kind != HYP_SIM_PTE_READ)
				rb.log[ib++] = rb.log[i];
		ra.log_len = ia;
		rb.log_len = ib;
	}
	for (unsigned int k = 0; k < HYP_SIM_KIND_COUNT; k++)
		cr_assert(s->size == SZ_2M || ra.counts[k] == rb.counts[k],
			  "%s (%s): hardware access kind %u", s->name, cfg, k);
	cr_assert_eq(ra.log_len, rb.log_len, "%s (%s): log", s->name, cfg);
	for (unsigned int i = 0; i < ra.log_len; i++)
		cr_assert(ra.log[i].kind == rb.log[i].kind && ra.log[i].arg == rb.log[i].arg &&
			      ra.log[i].enc == rb.log[i].enc && ra.log[i].addr == rb.log[i].addr &&
			      ra.log[i].val == rb.log[i].val && ra.log[i].aux == rb.log[i].aux,
			  "%s (%s): hardware access %u: kind %u/%u addr %#llx/%#llx val %#llx/%#llx", s->name, cfg, i, ra.log[i].kind, rb.log[i].kind, (unsigned long long)ra.log[i].addr, (unsigned long long)rb.log[i].addr, (unsigned long long)ra.log[i].val, (unsigned long long)rb.log[i].val);
	/* phys_to_virt of table pages: the same calls through the hook, none
	 * on the fault entry's own walk with the linear map */
	if (s->size == SZ_2M)
		/* the 2M entry's walk (up to two tables; none with the linear
		 * map) before hyp_s2_map()'s own, which calls the hook */
		cr_assert_leq(rb.p2v, ra.p2v + (linear ? 0 : 2), "%s (%s): phys_to_virt calls",
			      s->name, cfg);
	else if (linear)
		cr_assert_eq(rb.p2v, 0, "%s (%s): phys_to_virt called %lu times", s->name, cfg,
			     rb.p2v);
	else
		cr_assert_eq(rb.p2v, ra.p2v, "%s (%s): phys_to_virt calls", s->name, cfg);
	env_free(&ea);
	env_free(&eb);
}

static void all_configs(const struct scenario *s, int want_ret)
{
	for (int fwb = 0; fwb < 2; fwb++)
		for (int linear = 0; linear < 2; linear++)
			same(s, fwb, linear, want_ret);
}

#define IPA 0x80001000ull
#define PA  0x40005000ull

/* Each scenario exclusive and shared. */
static void both_modes(struct scenario s, int want_excl, int want_shared)
{
	s.flags &= ~(unsigned int)HYP_MAP_SHARED;
	all_configs(&s, want_excl);
	s.flags |= HYP_MAP_SHARED;
	all_configs(&s, want_shared);
}

Test(stage2_fault, fresh_page_under_existing_tables_matches_hyp_s2_map)
{
	struct scenario s = {"fresh", {{IPA + PAGE, PAGE, PA + PAGE, HYP_PROT_RW, 0, 0}}, 1,
			     IPA, PA, HYP_PROT_RW, 0, -1, 0};

	both_modes(s, 0, 0);
	/* executable (I-cache without DIC), non-cacheable, device */
	s.prot = HYP_PROT_RWX;
	both_modes(s, 0, 0);
	s.prot = HYP_PROT_R | HYP_MEM_NORMAL_NC;
	both_modes(s, 0, 0);
	s.prot = HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE;
	both_modes(s, 0, 0);
}

Test(stage2_fault, already_mapped_page_matches_hyp_s2_map)
{
	struct scenario s = {"spurious", {{IPA, PAGE, PA, HYP_PROT_RW, 0, 0}}, 1,
			     IPA, PA, HYP_PROT_RW, 0, -1, 0};

	both_modes(s, 0, 0);
	/* fewer permissions than mapped: shared keeps them, exclusive sets */
	s.prot = HYP_PROT_R;
	both_modes(s, 0, 0);
}

Test(stage2_fault, page_that_needs_new_tables_matches_hyp_s2_map)
{
	/* nothing mapped: level 1 and level 2 tables are new (start level 1) */
	struct scenario s = {"new tables", {{0}}, 0, IPA, PA, HYP_PROT_RWX, 0, -1, 0};

	both_modes(s, 0, 0);
	/* a level-3 table only */
	s.name = "new level-3 table";
	s.pre[0] = (struct setup){IPA + SZ_2M, PAGE, PA, HYP_PROT_RW, 0, 0};
	s.npre = 1;
	both_modes(s, 0, 0);
	/* the allocation fails: HYP_ENOMEM, nothing linked, nothing leaked */
	s.name = "ENOMEM";
	s.fail_after = 0;
	both_modes(s, HYP_ENOMEM, HYP_ENOMEM);
}

Test(stage2_fault, permission_relax_matches_hyp_s2_map)
{
	struct scenario s = {"relax +W", {{IPA, PAGE, PA, HYP_PROT_R, 0, 0}}, 1,
			     IPA, PA, HYP_PROT_RW, 0, -1, 0};

	both_modes(s, 0, 0);
	/* adding execute: I-cache invalidation, the lock in shared mode */
	s.name = "relax +X";
	s.prot = HYP_PROT_RX;
	both_modes(s, 0, 0);
}

Test(stage2_fault, conflicting_mapping_matches_hyp_s2_map)
{
	/* another output address: break-before-make (exclusive), HYP_EAGAIN (shared) */
	struct scenario s = {"other PA", {{IPA, PAGE, PA + PAGE, HYP_PROT_RW, 0, 0}}, 1,
			     IPA, PA, HYP_PROT_RW, 0, -1, 0};

	both_modes(s, 0, HYP_EAGAIN);
	/* another memory type */
	s.name = "other memory type";
	s.pre[0].pa = PA;
	s.pre[0].prot = HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE;
	both_modes(s, 0, HYP_EAGAIN);
}

Test(stage2_fault, page_under_a_block_matches_hyp_s2_map)
{
	/* the block maps the page already: nothing, or its permissions */
	struct scenario s = {"in block", {{0x80000000ull, SZ_2M, 0x40000000ull, HYP_PROT_RW, 0, 0}},
			     1, IPA, 0x40001000ull, HYP_PROT_RW, 0, -1, 0};

	both_modes(s, 0, 0);
	s.name = "block relax +X";
	s.prot = HYP_PROT_RWX;
	both_modes(s, 0, 0);
	/* another output address: the block is split (exclusive) */
	s.name = "block split";
	s.prot = HYP_PROT_RW;
	s.pa = PA;
	both_modes(s, 0, HYP_EAGAIN);
}

Test(stage2_fault, owner_annotation_matches_hyp_s2_map)
{
	struct scenario s = {"annotated", {{IPA, PAGE, 0, 0, 0, 3}}, 1, IPA, PA, HYP_PROT_RW, 0,
			     -1, 0};

	both_modes(s, HYP_EPERM, HYP_EPERM);
	s.name = "annotated, forced";
	s.flags = HYP_MAP_FORCE;
	both_modes(s, 0, 0);
}

Test(stage2_fault, start_levels_0_and_2_match_hyp_s2_map)
{
	static const unsigned int ia[] = {48, 44, 32, 25};
	struct scenario s = {"start level", {{0x1000000ull + PAGE, PAGE, PA, HYP_PROT_RW, 0, 0}},
			     1, 0x1000000ull, PA, HYP_PROT_RW, 0, -1, 0};

	for (unsigned int i = 0; i < 4; i++) {
		static struct result ra, rb;

		env_pool(&ea, 64);
		env_pool(&eb, 64);
		ea.cfg.ia_bits = eb.cfg.ia_bits = (uint8_t)ia[i];
		ea.cfg.pa_bits = eb.cfg.pa_bits = 48;
		eb.cfg.linear_map = true;
		eb.cfg.linear_offset = (uint64_t)(uintptr_t)eb.mem - POOL_PA;
		cr_assert_eq(hyp_s2_init(&ea.pgt, &ea.cfg, &ea.ops, &ea, 1), 0);
		cr_assert_eq(hyp_s2_init(&eb.pgt, &eb.cfg, &eb.ops, &eb, 1), 0);
		run(&ea, &s, false, &ra);
		run(&eb, &s, true, &rb);
		cr_assert_eq(ra.ret, 0);
		cr_assert_eq(rb.ret, 0);
		cr_assert(!memcmp(ea.used, eb.used, ea.npages));
		for (unsigned int j = 0; j < ea.npages; j++)
			cr_assert(!ea.used[j] || !memcmp(ea.mem + j * PAGE, eb.mem + j * PAGE, PAGE),
				  "IPA bits %u: page %u", ia[i], j);
		cr_assert_eq(ra.nev, rb.nev);
		env_free(&ea);
		env_free(&eb);
	}
}

Test(stage2_fault, installs_the_exact_descriptor)
{
	volatile hyp_pte_t *l2, *l3;

	env_up(&ea, false, true);
	cr_assert_eq(hyp_s2_fault_map_4k(&ea.pgt, IPA, PA, HYP_PROT_RW, HYP_MAP_SHARED), 0);
	l2 = h_p2v(&ea.pgt, ea.pgt.pgd[2] & HYP_PTE_OA_MASK);
	l3 = h_p2v(&ea.pgt, l2[0] & HYP_PTE_OA_MASK);
	/* Arm ARM D8.3 page descriptor: OA | XN[1] (bit 54) | AF | SH 0b11 |
	 * S2AP 0b11 | MemAttr 0b1111 | 0b11 */
	cr_assert_eq(l3[1], 0x00400000400057ffull);
	env_free(&ea);
}

Test(stage2_fault, bad_input_is_refused_as_hyp_s2_map_refuses_it)
{
	static const struct {
		uint64_t ipa, pa;
		unsigned int prot, flags;
	} bad[] = {
	    {IPA + 8, PA, HYP_PROT_RW, 0},			  /* unaligned IPA */
	    {IPA, PA + 0x800, HYP_PROT_RW, 0},			  /* unaligned PA */
	    {IPA, PA, HYP_PROT_RW | 0x100, 0},			  /* unknown prot bit */
	    {IPA, PA, HYP_PROT_RX | HYP_MEM_DEVICE_nGnRE, 0},	  /* execute on Device */
	    {IPA, PA, HYP_PROT_X | HYP_MEM_DEVICE_nGnRnE, 0},	  /* execute on Device */
	    {IPA, PA, HYP_PROT_RW, 0x80},			  /* unknown flag */
	    {1ull << 40, PA, HYP_PROT_RW, 0},			  /* IPA beyond ia_bits */
	    {~0xfffull, PA, HYP_PROT_RW, HYP_MAP_SHARED},	  /* IPA at the top */
	    {IPA, 1ull << 40, HYP_PROT_RW, 0},			  /* PA beyond pa_bits */
	    {IPA, ~0xfffull, HYP_PROT_RW, 0},			  /* PA at the top */
	};

	env_up(&ea, false, false);
	cr_assert_eq(hyp_s2_map(&ea.pgt, IPA + PAGE, PAGE, PA, HYP_PROT_RW, 0), 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct snap sn = env_snap(&ea);
		int want = hyp_s2_map(&ea.pgt, bad[i].ipa, PAGE, bad[i].pa, bad[i].prot,
				      bad[i].flags);

		cr_assert(want == HYP_EINVAL || want == HYP_ERANGE, "case %u: %d", i, want);
		hyp_sim_reset_counts(&cpu);
		env_reset_events(&ea);
		p2v_calls = 0;
		cr_assert_eq(hyp_s2_fault_map_4k(&ea.pgt, bad[i].ipa, bad[i].pa, bad[i].prot,
						 bad[i].flags),
			     want, "case %u", i);
		cr_assert(env_same(&ea, &sn), "case %u: the table changed", i);
		cr_assert_eq(env_hooks_total(&ea), 0, "case %u", i);
		cr_assert_eq(p2v_calls, 0, "case %u", i);
		for (unsigned int k = 0; k < HYP_SIM_KIND_COUNT; k++)
			cr_assert_eq(cpu.counts[k], 0, "case %u: hardware access", i);
	}
	/* not a stage-2 table, no table */
	cr_assert_eq(hyp_s2_fault_map_4k(NULL, IPA, PA, HYP_PROT_RW, 0), HYP_EINVAL);
	{
		struct hyp_pgtable z = {0};

		cr_assert_eq(hyp_s2_fault_map_4k(&z, IPA, PA, HYP_PROT_RW, 0), HYP_EINVAL);
	}
	env_free(&ea);
}

/* With the lock moved to bit 58 the integrator's software bit numbered 58
 * in the API lives in descriptor bit 55 (pgtable.h): an exclusive
 * already-mapped fault must keep every one of them, as hyp_s2_map() does,
 * and never mistake bit 55 for the lock. */
Test(stage2_fault, already_mapped_page_keeps_sw_bits_with_the_lock_at_58)
{
	volatile hyp_pte_t *l2, *l3;
	uint64_t val = 0;
	hyp_pte_t before;

	env_pool(&ea, 256);
	ea.cfg.lock_bit = 58;
	cr_assert_eq(hyp_s2_init(&ea.pgt, &ea.cfg, &ea.ops, &ea, 5), 0);
	cr_assert_eq(hyp_s2_map(&ea.pgt, IPA, PAGE, PA, HYP_PROT_RW, 0), 0);
	cr_assert_eq(hyp_s2_set_sw_bits(&ea.pgt, IPA, 0x7ull << 56, 0x7ull << 56, 0), 0);
	l2 = h_p2v(&ea.pgt, ea.pgt.pgd[2] & HYP_PTE_OA_MASK);
	l3 = h_p2v(&ea.pgt, l2[0] & HYP_PTE_OA_MASK);
	l3 += (IPA >> 12) & 511;
	before = l3[0];
	/* descriptor bits 57:55 (Arm ARM D8.3: software use), 58 clear */
	cr_assert_eq(before & (0xfull << 55), 0x7ull << 55);
	cr_assert_eq(hyp_s2_fault_map_4k(&ea.pgt, IPA, PA, HYP_PROT_RW, 0), 0);
	cr_assert_eq(l3[0], before);
	cr_assert_eq(hyp_s2_fault_map_4k(&ea.pgt, IPA, PA, HYP_PROT_RW, HYP_MAP_SHARED), 0);
	cr_assert_eq(l3[0], before);
	cr_assert_eq(hyp_s2_get_sw_bits(&ea.pgt, IPA, &val), 0);
	cr_assert_eq(val, 0x7ull << 56);
	env_free(&ea);
}

/* ---- hyp_s2_fault_map_2m(): the same against hyp_s2_map(pgt, ipa, 2M) */

#define BIPA 0x80200000ull /* 2M-aligned, in the level-2 table of IPA */
#define BPA  0x40200000ull

Test(stage2_fault, block_scenarios_match_hyp_s2_map)
{
	/* a fresh block under existing tables (a page next to it) */
	struct scenario s = {"fresh block", {{IPA, PAGE, PA, HYP_PROT_RW, 0, 0}}, 1,
			     BIPA, BPA, HYP_PROT_RW, 0, -1, SZ_2M};

	both_modes(s, 0, 0);
	s.name = "fresh block RWX";
	s.prot = HYP_PROT_RWX;
	both_modes(s, 0, 0);
	s.name = "fresh block Device";
	s.prot = HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE;
	both_modes(s, 0, 0);
	s.name = "fresh block NC";
	s.prot = HYP_PROT_R | HYP_MEM_NORMAL_NC;
	both_modes(s, 0, 0);
	/* the same block mapped already; more permissions */
	s.name = "block mapped";
	s.prot = HYP_PROT_RW;
	s.pre[1] = (struct setup){BIPA, SZ_2M, BPA, HYP_PROT_R, 0, 0};
	s.npre = 2;
	both_modes(s, 0, 0);
	/* another output address: break-before-make / HYP_EAGAIN */
	s.name = "block other PA";
	s.pa = BPA + SZ_2M;
	both_modes(s, 0, HYP_EAGAIN);
	/* pages under the block's range: a table there */
	s.name = "table under the block";
	s.pa = BPA;
	s.pre[1] = (struct setup){BIPA + PAGE, PAGE, BPA, HYP_PROT_RW, 0, 0};
	both_modes(s, 0, HYP_EAGAIN);
	/* nothing mapped: new tables; the allocation failing */
	s.name = "block, new tables";
	s.npre = 0;
	both_modes(s, 0, 0);
	s.name = "block, ENOMEM";
	s.fail_after = 0;
	both_modes(s, HYP_ENOMEM, HYP_ENOMEM);
	/* an owner annotation, plain and forced; HYP_MAP_PAGES */
	s.name = "block annotated";
	s.fail_after = -1;
	s.pre[0] = (struct setup){BIPA + PAGE, PAGE, 0, 0, 0, 3};
	s.npre = 1;
	both_modes(s, HYP_EPERM, HYP_EPERM);
	s.name = "block annotated, forced";
	s.flags = HYP_MAP_FORCE;
	both_modes(s, 0, 0);
	s.name = "block as pages";
	s.pre[0] = (struct setup){IPA, PAGE, PA, HYP_PROT_RW, 0, 0};
	s.flags = HYP_MAP_PAGES;
	both_modes(s, 0, 0);
	/* not 2M-aligned: hyp_s2_map() maps pages */
	s.name = "unaligned block";
	s.flags = 0;
	s.ipa = BIPA + PAGE;
	s.pa = BPA + PAGE;
	both_modes(s, 0, 0);
}

/* A fresh block: exactly one PTE read per level (start level 1: two), one
 * store (exclusive) or compare-and-swap (shared, FWB), one D-cache
 * clean of the whole block without FWB, no barrier of its own, no TLBI,
 * no phys_to_virt call with the linear map, and the block descriptor of
 * the Arm ARM (D8.3.1: block descriptor [1:0] = 0b01). */
Test(stage2_fault, fresh_block_exact_accesses_and_descriptor)
{
	for (int fwb = 0; fwb < 2; fwb++) {
		for (int shared = 0; shared < 2; shared++) {
			volatile hyp_pte_t *l2;

			env_up(&ea, fwb, true);
			cr_assert_eq(hyp_s2_map(&ea.pgt, IPA, PAGE, PA, HYP_PROT_RW, 0), 0);
			env_sim_load(&cpu, &ea.pgt);
			hyp_sim_reset_counts(&cpu);
			env_reset_events(&ea);
			p2v_calls = 0;
			cr_assert_eq(hyp_s2_fault_map_2m(&ea.pgt, BIPA, BPA, HYP_PROT_RW,
							 shared ? HYP_MAP_SHARED : 0),
				     0);
			cr_assert_eq(cpu.counts[HYP_SIM_PTE_READ], 2);
			/* shared with a CMO due: the lock by CAS, then the store */
			cr_assert_eq(cpu.counts[HYP_SIM_PTE_WRITE], shared && fwb ? 0 : 1);
			cr_assert_eq(cpu.counts[HYP_SIM_PTE_CAS], shared ? 1 : 0);
			cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], fwb ? 0 : 1);
			cr_assert_eq(cpu.counts[HYP_SIM_TLBI], 0);
			cr_assert_eq(cpu.counts[HYP_SIM_DSB], fwb ? 0 : 1); /* the DC's own */
			cr_assert_eq(atomic_load(&ea.counts[EV_DC]), fwb ? 0 : 1);
			cr_assert_eq(atomic_load(&ea.counts[EV_TLBI_ADDR]) +
					 atomic_load(&ea.counts[EV_TLBI_RANGE]) +
					 atomic_load(&ea.counts[EV_TLBI_ALL]),
				     0);
			cr_assert_eq(p2v_calls, 0);
			l2 = h_p2v(&ea.pgt, ea.pgt.pgd[2] & HYP_PTE_OA_MASK);
			/* OA | XN[1] (bit 54) | AF | SH 0b11 | S2AP 0b11 |
			 * MemAttr 0b1111 (FWB, D8.6.6: MemAttr[2] 1 Normal,
			 * [1:0] 0b10 Write-Back: 0b0110) | 0b01 */
			cr_assert_eq(l2[1], fwb ? 0x00400000402007d9ull : 0x00400000402007fdull,
				     "%#llx", (unsigned long long)l2[1]);
			env_free(&ea);
		}
	}
}

Test(stage2_fault, block_bad_input_is_refused_as_hyp_s2_map_refuses_it)
{
	static const struct {
		uint64_t ipa, pa;
		unsigned int prot, flags;
	} bad[] = {
	    {BIPA + 8, BPA, HYP_PROT_RW, 0},			/* unaligned IPA */
	    {BIPA, BPA + 0x800, HYP_PROT_RW, 0},		/* unaligned PA */
	    {BIPA, BPA, HYP_PROT_RW | 0x100, 0},		/* unknown prot bit */
	    {BIPA, BPA, HYP_PROT_RX | HYP_MEM_DEVICE_nGnRE, 0}, /* execute on Device */
	    {BIPA, BPA, HYP_PROT_RW, 0x80},			/* unknown flag */
	    {1ull << 40, BPA, HYP_PROT_RW, 0},			/* IPA beyond ia_bits */
	    {~0x1fffffull, BPA, HYP_PROT_RW, HYP_MAP_SHARED},	/* IPA at the top */
	    {BIPA, 1ull << 40, HYP_PROT_RW, 0},			/* PA beyond pa_bits */
	    {BIPA, ~0x1fffffull, HYP_PROT_RW, 0},		/* PA at the top */
	};

	env_up(&ea, false, false);
	cr_assert_eq(hyp_s2_map(&ea.pgt, IPA, PAGE, PA, HYP_PROT_RW, 0), 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct snap sn = env_snap(&ea);
		int want = hyp_s2_map(&ea.pgt, bad[i].ipa, SZ_2M, bad[i].pa, bad[i].prot,
				      bad[i].flags);

		cr_assert(want == HYP_EINVAL || want == HYP_ERANGE, "case %u: %d", i, want);
		hyp_sim_reset_counts(&cpu);
		env_reset_events(&ea);
		cr_assert_eq(hyp_s2_fault_map_2m(&ea.pgt, bad[i].ipa, bad[i].pa, bad[i].prot,
						 bad[i].flags),
			     want, "case %u", i);
		cr_assert(env_same(&ea, &sn), "case %u: the table changed", i);
		cr_assert_eq(env_hooks_total(&ea), 0, "case %u", i);
		for (unsigned int k = 0; k < HYP_SIM_KIND_COUNT; k++)
			cr_assert_eq(cpu.counts[k], 0, "case %u: hardware access", i);
	}
	cr_assert_eq(hyp_s2_fault_map_2m(NULL, BIPA, BPA, HYP_PROT_RW, 0), HYP_EINVAL);
	env_free(&ea);
}
