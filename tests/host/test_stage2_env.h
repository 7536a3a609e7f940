/* SPDX-License-Identifier: MIT */
/*
 * What the stage2 host tests share: a page pool behind the allocation and
 * reference-count hooks (with failure injection and double-free
 * detection), hooks that record every cache and TLB operation and then do
 * it through libhyp/hw.h on the simulated CPU, and table checks.
 *
 * "Physical" addresses of pool pages start at POOL_PA; any other address
 * is the guest's memory and is never dereferenced.
 */
#ifndef TEST_STAGE2_ENV_H
#define TEST_STAGE2_ENV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/el2_pgtable.h>
#include <libhyp/stage2.h>

#define PAGE	4096ull
#define SZ_2M	(2ull << 20)
#define SZ_1G	(1ull << 30)
#define POOL_PA 0x80000000ull

enum { EV_DC, EV_IC, EV_TLBI_ADDR, EV_TLBI_RANGE, EV_TLBI_ALL, EV_KINDS };

struct ev {
	int kind;
	uint64_t addr, size;
	unsigned int level;
};

#define EV_MAX 65536

struct env {
	/* pool */
	uint8_t *mem;
	unsigned int npages;
	uint8_t *used; /* 1 = allocated */
	_Atomic unsigned int *ref;
	pthread_mutex_t lock;
	unsigned long allocs, frees, in_use;
	long fail_after; /* allocations that succeed before failures; -1 = never */
	unsigned long double_frees, bad_frees;
	/* lifo: zalloc_pages(1) hands back the page freed last first (as a
	 * per-CPU free list does), so that a stale pointer to a freed table
	 * page meets that page again, live */
	bool lifo;
	unsigned int *freed;
	unsigned int nfreed;
	/* hooks */
	_Atomic unsigned long counts[EV_KINDS];
	struct ev *ev;
	_Atomic unsigned int nev;
	bool hw; /* also do the maintenance on the simulated CPU */
	/* the table */
	struct hyp_pgtable pgt;
	struct hyp_pgtable_cfg cfg;
	struct hyp_pgtable_ops ops;
};

static inline uint64_t env_v2p(struct env *e, const void *va)
{
	return POOL_PA + (uint64_t)((const uint8_t *)va - e->mem);
}

static inline bool env_is_pool_pa(struct env *e, uint64_t pa)
{
	return pa >= POOL_PA && pa < POOL_PA + (uint64_t)e->npages * PAGE;
}

static void *h_zalloc(struct hyp_pgtable *pgt, unsigned int n)
{
	struct env *e = pgt->ctx;
	void *ret = NULL;

	pthread_mutex_lock(&e->lock);
	if (e->fail_after == 0)
		goto out;
	while (e->lifo && n == 1 && e->nfreed) {
		unsigned int i = e->freed[--e->nfreed];

		if (e->used[i])
			continue;
		e->used[i] = 1;
		atomic_store(&e->ref[i], 1);
		ret = e->mem + (uint64_t)i * PAGE;
		memset(ret, 0, PAGE);
		e->allocs++;
		e->in_use++;
		if (e->fail_after > 0)
			e->fail_after--;
		goto out;
	}
	for (unsigned int i = 0; i + n <= e->npages; i += n) {
		unsigned int j;
		for (j = 0; j < n && !e->used[i + j]; j++)
			;
		if (j < n)
			continue;
		for (j = 0; j < n; j++) {
			e->used[i + j] = 1;
			atomic_store(&e->ref[i + j], 1);
		}
		ret = e->mem + (uint64_t)i * PAGE;
		memset(ret, 0, n * PAGE);
		e->allocs += n;
		e->in_use += n;
		if (e->fail_after > 0)
			e->fail_after--;
		break;
	}
out:
	pthread_mutex_unlock(&e->lock);
	return ret;
}

static unsigned int env_index(struct env *e, const void *va)
{
	return (unsigned int)(((const uint8_t *)va - e->mem) / PAGE);
}

static void h_free(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	struct env *e = pgt->ctx;
	unsigned int i = env_index(e, va);

	pthread_mutex_lock(&e->lock);
	if ((uint8_t *)va < e->mem || i + n > e->npages || ((uint8_t *)va - e->mem) % PAGE) {
		e->bad_frees++;
	} else {
		for (unsigned int j = 0; j < n; j++) {
			if (!e->used[i + j]) {
				e->double_frees++;
				continue;
			}
			e->used[i + j] = 0;
			if (e->nfreed < e->npages)
				e->freed[e->nfreed++] = i + j;
			/* poison: a walk through a freed table shows up */
			memset(e->mem + (uint64_t)(i + j) * PAGE, 0xa5, PAGE);
			e->frees++;
			e->in_use--;
		}
	}
	pthread_mutex_unlock(&e->lock);
}

static void h_get(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	struct env *e = pgt->ctx;
	atomic_fetch_add(&e->ref[env_index(e, va)], n);
}

static unsigned int h_put(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	struct env *e = pgt->ctx;
	return atomic_fetch_sub(&e->ref[env_index(e, va)], n) - n;
}

static uint64_t h_v2p(struct hyp_pgtable *pgt, void *va)
{
	return env_v2p(pgt->ctx, va);
}

static void *h_p2v(struct hyp_pgtable *pgt, uint64_t pa)
{
	struct env *e = pgt->ctx;
	/* Guest memory (for the hardware CMO hooks) stays a plain number. */
	if (!env_is_pool_pa(e, pa))
		return (void *)(uintptr_t)pa;
	return e->mem + (pa - POOL_PA);
}

static void env_record(struct env *e, int kind, uint64_t addr, uint64_t size, unsigned int level)
{
	unsigned int i = atomic_fetch_add(&e->nev, 1);

	atomic_fetch_add(&e->counts[kind], 1);
	if (i < EV_MAX)
		e->ev[i] = (struct ev){kind, addr, size, level};
}

static void h_dc(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	struct env *e = pgt->ctx;
	env_record(e, EV_DC, pa, size, 0);
	if (e->hw)
		hyp_pgtable_dcache_clean_inval_hw(pgt, pa, size);
}

static void h_ic(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	struct env *e = pgt->ctx;
	env_record(e, EV_IC, pa, size, 0);
	if (e->hw)
		hyp_pgtable_icache_inval_hw(pgt, pa, size);
}

static void h_tlbi_addr(struct hyp_pgtable *pgt, uint64_t addr, unsigned int level)
{
	struct env *e = pgt->ctx;
	env_record(e, EV_TLBI_ADDR, addr, 0, level);
	if (e->hw)
		hyp_pgtable_tlbi_addr_hw(pgt, addr, level);
}

static void h_tlbi_range(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size, unsigned int level)
{
	struct env *e = pgt->ctx;
	env_record(e, EV_TLBI_RANGE, addr, size, level);
	if (e->hw)
		hyp_pgtable_tlbi_range_hw(pgt, addr, size, level);
}

static void h_tlbi_all(struct hyp_pgtable *pgt)
{
	struct env *e = pgt->ctx;
	env_record(e, EV_TLBI_ALL, 0, 0, 0);
	if (e->hw)
		hyp_pgtable_tlbi_all_hw(pgt);
}

static const struct hyp_pgtable_ops env_ops_full = {
    .zalloc_pages = h_zalloc,
    .free_pages = h_free,
    .get_page = h_get,
    .put_page = h_put,
    .virt_to_phys = h_v2p,
    .phys_to_virt = h_p2v,
    .dcache_clean_inval_poc = h_dc,
    .icache_inval_pou = h_ic,
    .tlbi_addr = h_tlbi_addr,
    .tlbi_range = h_tlbi_range,
    .tlbi_all = h_tlbi_all,
};

/* The configuration most tests use: 40-bit IPA and PA, 4K, no FWB, no
 * DIC, IDC, TTL, no range TLBI, 16-bit VMIDs, 64-byte lines, a PIPT
 * I-cache. */
static inline struct hyp_pgtable_cfg env_default_cfg(void)
{
	return (struct hyp_pgtable_cfg){
	    .pa_bits = 40,
	    .ia_bits = 40,
	    .granule_shift = 12,
	    .dline_shift = 6,
	    .iline_shift = 6,
	    .l1ip = 3, /* CTR_EL0.L1Ip 0b11: PIPT (Arm ARM D24.2.42) */
	    .s2fwb = false,
	    .dic = false,
	    .idc = true,
	    .ttl = true,
	    .tlbirange = false,
	    .vmid16 = true,
	};
}

/* A simulated CPU for the stage-2 tests: the stage-2 TLBI hooks read
 * HCR_EL2 (TGE, Arm ARM C5.5.78), 0 here (E2H = TGE = 0) unless a test
 * sets it, and VTTBR_EL2 (the current VMID, C5.5.16): 0 here, see
 * env_sim_load(). */
static inline void env_sim_init(struct hyp_sim_cpu *c)
{
	hyp_sim_init(c);
	if (hyp_sim_reg_define(c, HYP_SYS_HCR_EL2, 0) ||
	    hyp_sim_reg_define(c, HYP_SYS_VTTBR_EL2, 0) ||
	    hyp_sim_reg_define(c, HYP_SYS_VTCR_EL2, 0))
		abort();
}

/* @p pgt's VTTBR_EL2 loaded on @p c without counting an access: the TLBI
 * hooks then target the loaded VMID (no switch). */
static inline void env_sim_load(struct hyp_sim_cpu *c, const struct hyp_pgtable *pgt)
{
	if (hyp_sim_reg_define(c, HYP_SYS_VTTBR_EL2, pgt->ttbr))
		abort();
}

static inline void env_pool(struct env *e, unsigned int npages)
{
	memset(e, 0, sizeof(*e));
	e->npages = npages;
	/* aligned_alloc wants a size that is a multiple of the alignment */
	e->mem = aligned_alloc(64 * PAGE, ((size_t)npages + 63) / 64 * 64 * PAGE);
	e->used = calloc(npages, 1);
	e->ref = calloc(npages, sizeof(*e->ref));
	e->ev = calloc(EV_MAX, sizeof(*e->ev));
	e->freed = calloc(npages, sizeof(*e->freed));
	e->fail_after = -1;
	e->hw = true;
	e->ops = env_ops_full;
	e->cfg = env_default_cfg();
	pthread_mutex_init(&e->lock, NULL);
	if (!e->mem || !e->used || !e->ref || !e->ev || !e->freed)
		abort();
}

static inline void env_free(struct env *e)
{
	free(e->mem);
	free(e->used);
	free((void *)e->ref);
	free(e->ev);
	free(e->freed);
	pthread_mutex_destroy(&e->lock);
}

static inline void env_reset_events(struct env *e)
{
	for (int k = 0; k < EV_KINDS; k++)
		atomic_store(&e->counts[k], 0);
	atomic_store(&e->nev, 0);
}

static inline unsigned long env_count(struct env *e, int kind)
{
	return atomic_load(&e->counts[kind]);
}

static inline unsigned long env_hooks_total(struct env *e)
{
	unsigned long n = 0;
	for (int k = 0; k < EV_KINDS; k++)
		n += env_count(e, k);
	return n;
}

/* Table statistics from a walk of the whole table. */
struct tstats {
	unsigned long tables;	    /* table pages reachable, the pgd's pages included */
	unsigned long leaves[4];    /* valid leaves per level */
	unsigned long empty_tables; /* tables (not the pgd) with no valid entry */
	unsigned long bad_refs;	    /* tables whose reference count != 1 + non-zero entries */
	unsigned long locked;	    /* entries left with the lock bit */
};

static void tstats_table(struct env *e, volatile hyp_pte_t *t, unsigned int level, unsigned int n,
			 bool pgd, struct tstats *s)
{
	unsigned int nonzero = 0;

	for (unsigned int i = 0; i < n; i++) {
		hyp_pte_t p = t[i];
		if (p)
			nonzero++;
		/* the table's lock bit: 55 unless the configuration moved it
		 * (one of the software bits [58:55], Arm ARM D8.3) */
		if (p & (1ull << (e->cfg.lock_bit ? e->cfg.lock_bit : 55)))
			s->locked++;
		if (hyp_pte_is_table(p, level)) {
			s->tables++;
			tstats_table(e, (volatile hyp_pte_t *)h_p2v(&e->pgt, p & HYP_PTE_OA_MASK),
				     level + 1, 512, false, s);
		} else if (p & HYP_PTE_VALID) {
			s->leaves[level]++;
		}
	}
	if (!pgd) {
		if (!nonzero)
			s->empty_tables++;
		if (e->pgt.ops->get_page &&
		    atomic_load(&e->ref[env_index(e, (void *)t)]) != 1 + nonzero)
			s->bad_refs++;
	}
}

static inline struct tstats env_stats(struct env *e)
{
	struct tstats s;

	memset(&s, 0, sizeof(s));
	s.tables = e->pgt.pgd_pages;
	tstats_table(e, e->pgt.pgd, e->pgt.start_level, e->pgt.pgd_entries, true, &s);
	return s;
}

/* A copy of the whole pool (tables included) and its allocation state. */
struct snap {
	uint8_t *mem, *used;
	unsigned long in_use;
};

static inline struct snap env_snap(struct env *e)
{
	struct snap s;

	s.mem = malloc((size_t)e->npages * PAGE);
	s.used = malloc(e->npages);
	memcpy(s.mem, e->mem, (size_t)e->npages * PAGE);
	memcpy(s.used, e->used, e->npages);
	s.in_use = e->in_use;
	return s;
}

static inline bool env_same(struct env *e, struct snap *s)
{
	bool same = !memcmp(s->used, e->used, e->npages) && s->in_use == e->in_use;

	/* Pages in use, byte for byte (free pages are poisoned on free). */
	for (unsigned int i = 0; same && i < e->npages; i++) {
		if (e->used[i])
			same =
			    !memcmp(s->mem + (uint64_t)i * PAGE, e->mem + (uint64_t)i * PAGE, PAGE);
	}
	free(s->mem);
	free(s->used);
	return same;
}

static inline hyp_pte_t env_leaf(struct env *e, uint64_t ipa, unsigned int *level)
{
	hyp_pte_t pte = 0;
	unsigned int l = 0;

	if (hyp_pgtable_get_leaf(&e->pgt, ipa, &pte, &l))
		return ~0ull;
	if (level)
		*level = l;
	return pte;
}

static inline int env_raw_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	(void)visit;
	*(hyp_pte_t *)ctx->arg = ctx->old;
	return 0;
}

/* The raw entry (valid or not) that a walk reaches for @p ipa; ~0 if the
 * walk fails. */
static inline hyp_pte_t env_raw(struct env *e, uint64_t ipa)
{
	hyp_pte_t pte = ~0ull;
	struct hyp_walker w = {env_raw_visit, &pte, HYP_WALK_LEAF};

	if (hyp_pgtable_walk(&e->pgt, ipa & ~(PAGE - 1), PAGE, &w))
		return ~0ull;
	return pte;
}

#endif /* TEST_STAGE2_ENV_H */
