/* SPDX-License-Identifier: MIT */
/*
 * Differential fuzzer for the stage-2 tables: random sequences of map
 * (exclusive and shared), unmap, protect, relax, split, collapse, dirty
 * logging and ageing, with injected allocation failures, against a plain
 * model: what each 4K page of a 4 GiB window translates to (output
 * address, permissions, memory type).
 *
 * After every operation: its return value is the one the model predicts;
 * every page it touched translates as the model says; the table pages in
 * use equal the pages allocated minus those freed, each with a reference
 * count of 1 + its entries, none empty, none left locked, none freed
 * twice. At the end of an input the whole window is compared and the
 * table destroyed, leaving nothing allocated.
 *
 * Built as a libFuzzer target with clang (fuzz-stage2) and, for any
 * compiler, with driver.c as a deterministic random driver
 * (fuzz-stage2-replay). See docs/stage2.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_stage2_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define WINDOW	(4 * SZ_1G)
#define NPAGES	(WINDOW / PAGE)
#define CHUNK	SZ_2M
#define NCHUNKS (WINDOW / CHUNK)
#define MAPPED	0x80u /* model prot: the page is mapped */

static struct env env;
static struct hyp_sim_cpu cpu;
static bool ready;
static uint64_t m_pa[NPAGES];
static uint8_t m_prot[NPAGES];	 /* HYP_PROT_* | HYP_MEM_* | MAPPED */
static uint8_t m_dirty[NCHUNKS]; /* model chunks to reset */
static uint64_t bitmap[SZ_1G / PAGE / 64 + 1];
/* The model before an operation, over the 1G-aligned span around it (a
 * leaf whose permissions widen may reach beyond the operation's range). */
static uint64_t before_pa[NPAGES / 2];
static uint8_t before_prot[NPAGES / 2];
static uint64_t before_lo, before_hi;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "stage2 fuzz: " __VA_ARGS__);                                      \
		fprintf(stderr, "\n");                                                             \
		abort();                                                                           \
	} while (0)

static void setup(void)
{
	env_pool(&env, 1024);
	env.hw = false;
	env.cfg.ia_bits = 36; /* start at level 1, so that 1G blocks exist */
	env_sim_init(&cpu);
	hyp_sim_set_current(&cpu);
	ready = true;
}

/* --- the model ------------------------------------------------------ */

static void touch(uint64_t ipa, uint64_t size)
{
	for (uint64_t c = ipa / CHUNK; c <= (ipa + size - 1) / CHUNK; c++)
		m_dirty[c] = 1;
}

static void model_set(uint64_t ipa, uint64_t pa, unsigned int prot)
{
	m_pa[ipa / PAGE] = pa;
	m_prot[ipa / PAGE] = (uint8_t)(prot | MAPPED);
}

static bool is_device(unsigned int prot)
{
	return (prot & HYP_MEM_MASK) >= HYP_MEM_DEVICE_nGnRE;
}

/* The leaf that maps @p ipa now: [*base, *base + *size). */
static bool leaf_extent(uint64_t ipa, uint64_t *base, uint64_t *size)
{
	hyp_pte_t pte;
	unsigned int level;

	if (hyp_pgtable_get_leaf(&env.pgt, ipa, &pte, &level) || !(pte & HYP_PTE_VALID))
		return false;
	*size = hyp_pgtable_level_size(&env.pgt, level);
	*base = ipa & ~(*size - 1);
	return true;
}

/* Widen the permissions of every page of the leaf that maps @p ipa. */
static void model_widen_leaf(uint64_t base, uint64_t size, unsigned int perms)
{
	for (uint64_t a = base; a < base + size && a < WINDOW; a += PAGE) {
		if (m_prot[a / PAGE] & MAPPED)
			m_prot[a / PAGE] |= (uint8_t)perms;
	}
	touch(base, size < WINDOW - base ? size : WINDOW - base);
}

/* --- checks --------------------------------------------------------- */

struct cmp {
	uint64_t bad;
	bool failed;
};

static int cmp_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	struct cmp *c = ctx->arg;
	const uint64_t size = hyp_pgtable_level_size(ctx->pgt, ctx->level);
	const uint64_t base = ctx->addr & ~(size - 1);
	const uint64_t end = base + size < ctx->end ? base + size : ctx->end;

	(void)visit;
	if (!(ctx->old & HYP_PTE_VALID)) {
		for (uint64_t a = ctx->addr; a < end; a += PAGE) {
			/* a chunk the model never touched is all unmapped */
			if (!m_dirty[a / CHUNK] && !(a & (CHUNK - 1)) && end - a >= CHUNK) {
				a += CHUNK - PAGE;
				continue;
			}
			if (m_prot[a / PAGE] & MAPPED) {
				c->bad = a;
				c->failed = true;
				return -1;
			}
		}
		return 0;
	}
	const unsigned int prot = hyp_pgtable_pte_prot(ctx->pgt, ctx->old) | MAPPED;
	const uint64_t oa = ctx->old & HYP_PTE_OA_MASK;

	if (ctx->old & HYP_PTE_LOCKED) {
		c->bad = ctx->addr;
		c->failed = true;
		return -1;
	}
	for (uint64_t a = ctx->addr; a < end; a += PAGE) {
		if (m_prot[a / PAGE] != prot || m_pa[a / PAGE] != oa + (a - base)) {
			c->bad = a;
			c->failed = true;
			return -1;
		}
	}
	return 0;
}

static void check_pages(uint64_t ipa, uint64_t size, const char *what)
{
	struct cmp c = {0, false};
	struct hyp_walker w = {cmp_visit, &c, HYP_WALK_LEAF};

	if (hyp_pgtable_walk(&env.pgt, ipa, size, &w) && !c.failed)
		FAIL("%s: walk failed", what);
	if (c.failed) {
		uint64_t pa = 0;
		unsigned int prot = 0;
		int ret = hyp_pgtable_translate(&env.pgt, c.bad, &pa, &prot);
		FAIL("%s: IPA %#llx translates to %d/%#llx/%#x, model %#llx/%#x", what,
		     (unsigned long long)c.bad, ret, (unsigned long long)pa, prot,
		     (unsigned long long)m_pa[c.bad / PAGE], m_prot[c.bad / PAGE]);
	}
}

/* Table pages reachable: the pgd and the tables below levels 1 and 2 (a
 * level-3 table holds no tables, so it is counted without being read). */
static unsigned long count_tables(volatile hyp_pte_t *t, unsigned int level, unsigned int n)
{
	unsigned long tables = 0;

	for (unsigned int i = 0; i < n; i++) {
		hyp_pte_t p = t[i];

		if (!hyp_pte_is_table(p, level))
			continue;
		tables++;
		if (level + 1 < 3)
			tables +=
			    count_tables(h_p2v(&env.pgt, p & HYP_PTE_OA_MASK), level + 1, 512);
	}
	return tables;
}

/* Every operation: pages in use = pages allocated - pages freed = table
 * pages reachable. @p deep: also every table's reference count, and no
 * empty table, no locked entry (a read of every entry). */
static void check_tables(const char *what, bool deep)
{
	unsigned long tables =
	    env.pgt.pgd_pages + count_tables(env.pgt.pgd, env.pgt.start_level, env.pgt.pgd_entries);

	if (tables != env.in_use)
		FAIL("%s: %lu table pages reachable, %lu allocated - freed", what, tables,
		     env.in_use);
	if (env.double_frees || env.bad_frees)
		FAIL("%s: %lu double frees, %lu bad frees", what, env.double_frees, env.bad_frees);
	if (deep) {
		struct tstats st = env_stats(&env);

		if (st.bad_refs || st.empty_tables || st.locked)
			FAIL("%s: %lu bad reference counts, %lu empty tables, %lu locked entries",
			     what, st.bad_refs, st.empty_tables, st.locked);
	}
}

/* After an operation that may have stopped part-way (ENOMEM; EAGAIN in
 * shared mode): each page holds either its old or its new state. Then
 * the model takes what the tables hold. */
static void save_before(uint64_t ipa, uint64_t size)
{
	before_lo = ipa & ~(SZ_1G - 1);
	before_hi = (ipa + size + SZ_1G - 1) & ~(SZ_1G - 1);
	if (before_hi > WINDOW)
		before_hi = WINDOW;
	memcpy(before_pa, &m_pa[before_lo / PAGE],
	       (before_hi - before_lo) / PAGE * sizeof(m_pa[0]));
	memcpy(before_prot, &m_prot[before_lo / PAGE], (before_hi - before_lo) / PAGE);
}

static int either_or_visit(struct hyp_walk_ctx *ctx, unsigned int visit)
{
	const uint64_t size = hyp_pgtable_level_size(ctx->pgt, ctx->level);
	const uint64_t base = ctx->addr & ~(size - 1);
	const uint64_t end = base + size < ctx->end ? base + size : ctx->end;
	const bool mapped = ctx->old & HYP_PTE_VALID;
	const uint8_t now =
	    mapped ? (uint8_t)(hyp_pgtable_pte_prot(ctx->pgt, ctx->old) | MAPPED) : 0;
	const uint64_t oa = ctx->old & HYP_PTE_OA_MASK;

	(void)visit;
	for (uint64_t a = ctx->addr; a < end; a += PAGE) {
		uint64_t i = (a - before_lo) / PAGE, pa = mapped ? oa + (a - base) : 0;
		bool is_new = now == m_prot[a / PAGE] && (!mapped || pa == m_pa[a / PAGE]);
		bool is_old = now == before_prot[i] && (!mapped || pa == before_pa[i]);

		if (!is_new && !is_old) {
			*(uint64_t *)ctx->arg = a;
			return -1;
		}
		m_prot[a / PAGE] = now;
		m_pa[a / PAGE] = pa;
	}
	return 0;
}

static void either_or(const char *what)
{
	uint64_t bad = 0;
	struct hyp_walker w = {either_or_visit, &bad, HYP_WALK_LEAF};

	if (hyp_pgtable_walk(&env.pgt, before_lo, before_hi - before_lo, &w))
		FAIL("%s: IPA %#llx is neither old nor new", what, (unsigned long long)bad);
	touch(before_lo, before_hi - before_lo);
}

/* --- the operations ------------------------------------------------- */

struct op {
	uint64_t ipa, size, pa;
	unsigned int prot, flags, kind, arg;
};

static void decode(const uint8_t *b, struct op *o)
{
	static const uint64_t chunk_of[16] = {0, 1, 2,	 3,   4,   5,	6,   7,
					      8, 9, 100, 255, 256, 510, 511, 300};
	static const uint64_t page_of[8] = {0, 1, 2, 3, 5, 8, 256, 511};
	uint64_t gig = b[1] & 3, room;

	o->kind = b[0] % 11;
	o->ipa = gig * SZ_1G + chunk_of[b[1] >> 4] * SZ_2M + page_of[(b[3] >> 5) & 7] * PAGE;
	switch (b[2] & 7) {
	case 0:
	case 1:
	case 2:
		o->size = (uint64_t)((b[3] & 7) + 1) * PAGE;
		break;
	case 3:
	case 4:
		o->size = (uint64_t)((b[3] & 3) + 1) * SZ_2M;
		o->ipa &= ~(SZ_2M - 1);
		break;
	case 5:
		o->size = SZ_1G;
		o->ipa &= ~(SZ_1G - 1);
		break;
	default:
		o->size = (uint64_t)(b[3] + 1) * 5 * PAGE;
		break;
	}
	room = WINDOW - o->ipa;
	if (o->size > room)
		o->size = room;
	/* output address: the IPA moved by 0..3 GiB, sometimes by a page
	 * too, so that blocks are not possible */
	o->pa = o->ipa + (uint64_t)(b[4] & 3) * SZ_1G + ((b[4] & 4) ? PAGE : 0);
	o->prot = (b[5] & 7) | (((b[5] >> 3) & 3) << 4);
	o->flags = (b[5] & 0xc0) == 0xc0 ? HYP_MAP_PAGES : 0;
	o->arg = b[4] >> 3;
}

static void op_map(const struct op *o, bool shared)
{
	unsigned int flags = o->flags | (shared ? HYP_MAP_SHARED : 0);
	int ret, expect = 0;

	if (is_device(o->prot) && (o->prot & HYP_PROT_X)) {
		if (hyp_s2_map(&env.pgt, o->ipa, o->size, o->pa, o->prot, flags) != HYP_EINVAL)
			FAIL("map: Device + X accepted");
		return;
	}
	save_before(o->ipa, o->size);
	/* the model, page by page, as the walk goes */
	for (uint64_t a = o->ipa; a < o->ipa + o->size; a += PAGE) {
		uint64_t i = a / PAGE, pa = o->pa + (a - o->ipa), base, lsize;

		if (!shared || !(m_prot[i] & MAPPED)) {
			model_set(a, pa, o->prot);
			continue;
		}
		if (m_pa[i] != pa || (m_prot[i] & HYP_MEM_MASK) != (o->prot & HYP_MEM_MASK)) {
			expect = HYP_EAGAIN; /* a conflicting mapping stops a shared map */
			break;
		}
		if ((m_prot[i] & o->prot & HYP_PROT_PERMS) != (o->prot & HYP_PROT_PERMS) &&
		    leaf_extent(a, &base, &lsize))
			model_widen_leaf(base, lsize, o->prot & HYP_PROT_PERMS);
	}
	touch(o->ipa, o->size);
	ret = hyp_s2_map(&env.pgt, o->ipa, o->size, o->pa, o->prot, flags);
	if (ret == HYP_ENOMEM || (ret == HYP_EAGAIN && expect == HYP_EAGAIN)) {
		either_or("map");
		return;
	}
	if (ret != expect)
		FAIL("map %#llx+%#llx -> %#llx prot %#x flags %#x: %d, expected %d",
		     (unsigned long long)o->ipa, (unsigned long long)o->size,
		     (unsigned long long)o->pa, o->prot, flags, ret, expect);
}

static void op_unmap(const struct op *o)
{
	int ret;

	save_before(o->ipa, o->size);
	for (uint64_t a = o->ipa; a < o->ipa + o->size; a += PAGE) {
		m_prot[a / PAGE] = 0;
		m_pa[a / PAGE] = 0;
	}
	touch(o->ipa, o->size);
	ret = hyp_s2_unmap(&env.pgt, o->ipa, o->size);
	if (ret == HYP_ENOMEM)
		either_or("unmap");
	else if (ret)
		FAIL("unmap: %d", ret);
}

static void op_protect(const struct op *o)
{
	const unsigned int perms = o->prot & HYP_PROT_PERMS;
	int ret;

	save_before(o->ipa, o->size);
	for (uint64_t a = o->ipa; a < o->ipa + o->size; a += PAGE) {
		uint8_t *p = &m_prot[a / PAGE];

		if (*p & MAPPED)
			*p = (uint8_t)((*p & ~HYP_PROT_PERMS) |
				       (is_device(*p) ? perms & ~HYP_PROT_X : perms));
	}
	touch(o->ipa, o->size);
	ret = hyp_s2_protect(&env.pgt, o->ipa, o->size, perms);
	if (ret == HYP_ENOMEM)
		either_or("protect");
	else if (ret)
		FAIL("protect: %d", ret);
}

static void op_relax(const struct op *o)
{
	const unsigned int perms = o->prot & HYP_PROT_PERMS;
	const uint64_t ipa = o->ipa + (o->arg & 7) * 0x123; /* any address in the page */
	uint64_t base, size;
	int ret, expect = 0;

	if (!(m_prot[ipa / PAGE] & MAPPED))
		expect = HYP_ENOENT;
	else if ((perms & HYP_PROT_X) && is_device(m_prot[ipa / PAGE]))
		expect = HYP_EINVAL;
	else if (leaf_extent(ipa, &base, &size))
		model_widen_leaf(base, size, perms);
	ret = hyp_s2_relax(&env.pgt, ipa, perms, (o->arg & 8) ? HYP_MAP_SHARED : 0);
	if (ret != expect)
		FAIL("relax %#llx %#x: %d, expected %d", (unsigned long long)ipa, perms, ret,
		     expect);
}

static void op_dirty(const struct op *o, bool clear)
{
	const uint64_t words = (o->size / PAGE + 63) / 64;
	int ret;

	memset(bitmap, 0, words * 8);
	save_before(o->ipa, o->size);
	ret = hyp_s2_dirty_log(&env.pgt, o->ipa, o->size, bitmap, clear);
	if (ret && ret != HYP_ENOMEM)
		FAIL("dirty log: %d", ret);
	for (uint64_t a = o->ipa; a < o->ipa + o->size; a += PAGE) {
		uint64_t n = (a - o->ipa) / PAGE;
		bool dirty = (m_prot[a / PAGE] & MAPPED) && (m_prot[a / PAGE] & HYP_PROT_W);
		bool bit = (bitmap[n / 64] >> (n % 64)) & 1;

		/* with ENOMEM the walk stopped somewhere: no bit may be wrong,
		 * but some may be missing */
		if (bit != dirty && (ret == 0 || bit))
			FAIL("dirty log: page %#llx bit %d, model %d", (unsigned long long)a, bit,
			     dirty);
		if (clear && dirty)
			m_prot[a / PAGE] &= (uint8_t)~HYP_PROT_W;
	}
	touch(o->ipa, o->size);
	if (ret == HYP_ENOMEM)
		either_or("dirty log");
}

static unsigned long nops;

static void run_op(const struct op *o)
{
	int ret;

	switch (o->kind) {
	case 0:
	case 1:
		op_map(o, false);
		break;
	case 2:
		op_map(o, true);
		break;
	case 3:
		op_unmap(o);
		break;
	case 4:
		op_protect(o);
		break;
	case 5:
		op_relax(o);
		break;
	case 6:
		ret = hyp_s2_split(&env.pgt, o->ipa, o->size);
		if (ret && ret != HYP_ENOMEM)
			FAIL("split: %d", ret);
		break;
	case 7:
		ret = hyp_s2_collapse(&env.pgt, o->ipa, o->size);
		if (ret < 0)
			FAIL("collapse: %d", ret);
		break;
	case 8:
		op_dirty(o, o->arg & 1);
		break;
	case 9:
		ret = hyp_s2_age(&env.pgt, o->ipa, o->size, o->arg & 1);
		if (ret < 0)
			FAIL("age: %d", ret);
		break;
	default:
		/* the next operation's allocations fail after a few */
		env.fail_after = o->arg & 3;
		return;
	}
	env.fail_after = -1;
	check_pages(o->ipa, o->size, "after the operation");
	check_tables("after the operation", (++nops & 7) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct op o;

	if (!ready)
		setup();
	if (hyp_s2_init(&env.pgt, &env.cfg, &env.ops, &env, 1))
		FAIL("init");
	for (; size >= 6; data += 6, size -= 6) {
		decode(data, &o);
		run_op(&o);
	}
	env.fail_after = -1;
	check_pages(0, WINDOW, "at the end");
	check_tables("at the end", true);
	hyp_pgtable_destroy(&env.pgt);
	if (env.in_use || env.double_frees || env.bad_frees)
		FAIL("after destroy: %lu pages in use, %lu double frees", env.in_use,
		     env.double_frees);
	/* reset the model where it was touched */
	for (uint64_t c = 0; c < NCHUNKS; c++) {
		if (!m_dirty[c])
			continue;
		memset(&m_pa[c * (CHUNK / PAGE)], 0, CHUNK / PAGE * sizeof(m_pa[0]));
		memset(&m_prot[c * (CHUNK / PAGE)], 0, CHUNK / PAGE);
		m_dirty[c] = 0;
	}
	env_reset_events(&env);
	hyp_sim_reset_counts(&cpu);
	return 0;
}
