/* SPDX-License-Identifier: MIT */
/*
 * Differential fuzzer for the stage-2 tables: random sequences of map
 * (exclusive and shared), unmap, protect, relax, split, collapse, dirty
 * logging and ageing, with injected allocation failures, against a plain
 * model: what each 4K page of a 4 GiB window translates to (output
 * address, permissions, memory type).
 *
 * The tables are read with the fuzzer's own descriptor decoder, written
 * from the Arm ARM (D8.3 "Translation table descriptor formats", the
 * stage-2 attribute fields, VTCR_EL2/VTTBR_EL2), never with the library's
 * walker, helpers or constants: a bug shared by the library and its
 * decoding cannot hide itself.
 *
 * After every operation: its return value is the one the model predicts;
 * every page it touched translates as the model says; the table pages in
 * use equal the pages allocated minus those freed, each with a reference
 * count of 1 + its entries, none empty, none left locked, none freed
 * twice. At the end of an input the whole window is compared and the
 * table destroyed, leaving nothing allocated.
 *
 * Maintenance invariants, from the simulated CPU's event log (the hooks
 * do their maintenance on it): every change of a live valid entry to
 * another output address, size or memory type goes invalid, DSB, TLBI
 * that covers it, DSB, then the new entry (break-before-make); every
 * entry made invalid and every permission taken away is covered by a
 * stage-2 TLBI (with a correct level hint), a DSB, TLBI VMALLE1IS and a
 * DSB before the call returns; with FWB off, every new Normal cacheable
 * leaf gets exactly one D-cache clean of exactly its output range before
 * it is written, and there is no other clean.
 *
 * I-cache (issue 15, HYP_MAP_IC_ONCE): every new executable leaf, and
 * every leaf given execute permission in place, gets an I-cache
 * invalidation of exactly its output range before it is written (the
 * fuzzer's CPU has no DIC and the hook is always there), and there is no
 * other invalidation; except in an exclusive hyp_s2_map() with
 * HYP_MAP_IC_ONCE of an executable range of more than one page, which makes
 * exactly one invalidation, of exactly [pa, pa + size), before any entry
 * is written (also when the call then fails with HYP_ENOMEM), covering its
 * leaves, and none per leaf. The mapped leaves are the model's either way
 * (the flag changes no translation); with HYP_MAP_SHARED the flag is
 * HYP_EINVAL and changes nothing.
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
#define POOL	1024u /* table pages */

static struct env env;
static struct hyp_sim_cpu cpu;
static struct hyp_pgtable_ops fuzz_ops;
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
static const char *cur_op = "setup";
/* The event log's view of the tables (see the maintenance section): a
 * shadow of every table page, and which pages are reachable, from which
 * level and IPA. */
static uint64_t (*shadow)[512];
static int8_t live_level[POOL];	 /* -1: not reachable */
static uint64_t live_base[POOL]; /* IPA of entry 0 */

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "stage2 fuzz: " __VA_ARGS__);                                      \
		fprintf(stderr, "\n");                                                             \
		abort();                                                                           \
	} while (0)

/* --- the fuzzer's own decoder (Arm ARM D8.3, 4K granule, 48-bit OA) --- */

enum dkind { D_INVALID, D_TABLE, D_LEAF, D_RESERVED };

/* Descriptor bits [1:0]: bit 0 valid; at levels 0-2, 0b11 is a table and
 * 0b01 a block (no level-0 block with the 4K granule and 48-bit OA); at
 * level 3, 0b11 is a page and 0b01 is reserved, treated as invalid. */
static enum dkind d_kind(uint64_t d, unsigned int level)
{
	if (!(d & 1))
		return D_INVALID;
	if (level == 3)
		return (d & 2) ? D_LEAF : D_RESERVED;
	if (d & 2)
		return D_TABLE;
	return level == 0 ? D_RESERVED : D_LEAF;
}

/* Bytes one entry at @p level maps: 512G, 1G, 2M, 4K. */
static uint64_t d_size(unsigned int level)
{
	return 1ull << (12 + 9 * (3 - level));
}

/* Output address of a block/page: bits [47:n] (n = 30, 21, 12). */
static uint64_t d_oa(uint64_t d, unsigned int level)
{
	return d & 0x0000ffffffffffffull & ~(d_size(level) - 1);
}

/* Next-level table address of a table descriptor: bits [47:12]. */
static uint64_t d_next(uint64_t d)
{
	return d & 0x0000fffffffff000ull;
}

/* Model memory type (HYP_MEM_* >> 4) of a stage-2 MemAttr[3:0]
 * (descriptor bits [5:2]) without FEAT_S2FWB (Arm ARM D8.6, stage 2 memory
 * type and Cacheability): 0b1111 Normal outer+inner Write-Back, 0b0101
 * Normal Non-cacheable, 0b0001 Device-nGnRE, 0b0000 Device-nGnRnE; -1 for
 * anything else. */
static int d_memtype(uint64_t d)
{
	switch ((d >> 2) & 0xf) {
	case 0xf:
		return 0;
	case 0x5:
		return 1;
	case 0x1:
		return 2;
	case 0x0:
		return 3;
	default:
		return -1;
	}
}

/* The model's byte for a valid leaf: S2AP[0] (bit 6) read, S2AP[1]
 * (bit 7) write, executable when XN[1:0] (bits [54:53]) = 0b00. Bits the
 * library never sets (SH other than 0b11 Inner Shareable [9:8], bit 11,
 * [52:48], [63:55] but the software lock, OA bits below the block size)
 * make the byte 0xff, which never matches the model. */
static uint8_t d_prot(uint64_t d, unsigned int level)
{
	const uint64_t known = 0x7ffull | (0x0000ffffffffffffull & ~(d_size(level) - 1)) |
			       (3ull << 53) | (1ull << 55);
	int mt = d_memtype(d);

	if ((d & ~known) || ((d >> 8) & 3) != 3 || mt < 0)
		return 0xff;
	return (uint8_t)(((d >> 6) & 1) | (((d >> 7) & 1) << 1) |
			 (((d >> 53) & 3) == 0 ? 4u : 0u) | ((unsigned int)mt << 4) | MAPPED);
}

/* The start of the walk, from VTCR_EL2 and VTTBR_EL2 as the library
 * computed them: T0SZ [5:0], SL0 [7:6] (4K: 0 = level 2, 1 = level 1, 2 =
 * level 0), BADDR [47:1]. */
static unsigned int d_start_level(void)
{
	return 2 - (unsigned int)((env.pgt.ctlr >> 6) & 3);
}

static unsigned int d_start_entries(void)
{
	unsigned int ia = 64 - (unsigned int)(env.pgt.ctlr & 0x3f);

	return 1u << (ia - (12 + 9 * (3 - d_start_level())));
}

static uint64_t *d_table(uint64_t pa)
{
	return (uint64_t *)h_p2v(&env.pgt, pa);
}

static uint64_t *d_pgd(void)
{
	return d_table(env.pgt.ttbr & 0x0000fffffffffffeull);
}

/* The leaf that maps @p ipa: true with its descriptor and level. */
static bool d_lookup(uint64_t ipa, uint64_t *desc, unsigned int *level)
{
	unsigned int l = d_start_level();
	uint64_t *t = d_pgd();
	uint64_t d = t[(ipa >> (12 + 9 * (3 - l))) & (d_start_entries() - 1)];

	while (d_kind(d, l) == D_TABLE) {
		l++;
		d = d_table(d_next(d))[(ipa >> (12 + 9 * (3 - l))) & 511];
	}
	*desc = d;
	*level = l;
	return d_kind(d, l) == D_LEAF;
}

/* The model's view of @p ipa in the tables: 0 unmapped, else d_prot(). */
static uint8_t d_translate(uint64_t ipa, uint64_t *pa)
{
	uint64_t d;
	unsigned int l;

	*pa = 0;
	if (!d_lookup(ipa, &d, &l))
		return 0;
	*pa = d_oa(d, l) + (ipa & (d_size(l) - 1));
	return d_prot(d, l);
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
	uint64_t d;
	unsigned int level;

	if (!d_lookup(ipa, &d, &level))
		return false;
	*size = d_size(level);
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

/* --- checks of the tables against the model ------------------------- */

static void page_mismatch(uint64_t a, const char *what)
{
	uint64_t pa;
	uint8_t now = d_translate(a, &pa);

	FAIL("%s (%s): IPA %#llx translates to %#llx/%#x, model %#llx/%#x", what, cur_op,
	     (unsigned long long)a, (unsigned long long)pa, now,
	     (unsigned long long)m_pa[a / PAGE], m_prot[a / PAGE]);
}

/* Compare [lo, hi) under table @p t (level @p level, first entry at IPA
 * @p base, @p n entries) with the model. */
static void cmp_table(uint64_t *t, unsigned int level, uint64_t base, unsigned int n,
		      uint64_t lo, uint64_t hi, const char *what)
{
	const uint64_t size = d_size(level);

	for (unsigned int i = 0; i < n; i++) {
		const uint64_t e_lo = base + i * size, e_hi = e_lo + size;
		const uint64_t a_lo = e_lo > lo ? e_lo : lo, a_hi = e_hi < hi ? e_hi : hi;
		uint64_t d = t[i];

		if (a_lo >= a_hi)
			continue;
		switch (d_kind(d, level)) {
		case D_TABLE:
			cmp_table(d_table(d_next(d)), level + 1, e_lo, 512, lo, hi, what);
			break;
		case D_LEAF: {
			const uint8_t prot = d_prot(d, level);

			if (d & (1ull << 55))
				page_mismatch(a_lo, "a valid entry left locked");
			for (uint64_t a = a_lo; a < a_hi; a += PAGE) {
				if (m_prot[a / PAGE] != prot ||
				    m_pa[a / PAGE] != d_oa(d, level) + (a - e_lo))
					page_mismatch(a, what);
			}
			break;
		}
		default:
			for (uint64_t a = a_lo; a < a_hi; a += PAGE) {
				/* a chunk the model never touched is all unmapped */
				if (!m_dirty[a / CHUNK] && !(a & (CHUNK - 1)) && a_hi - a >= CHUNK) {
					a += CHUNK - PAGE;
					continue;
				}
				if (m_prot[a / PAGE] & MAPPED)
					page_mismatch(a, what);
			}
		}
	}
}

static void check_pages(uint64_t ipa, uint64_t size, const char *what)
{
	cmp_table(d_pgd(), d_start_level(), 0, d_start_entries(), ipa, ipa + size, what);
}

struct tcount {
	unsigned long tables, bad_refs, empty, locked;
};

/* Every table page reachable, with its reference count (1 + non-zero
 * entries), emptiness and lock bits. */
static void count_table(uint64_t *t, unsigned int level, unsigned int n, bool pgd,
			struct tcount *c)
{
	unsigned int nonzero = 0;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t d = t[i];

		nonzero += d != 0;
		if (d & (1ull << 55))
			c->locked++;
		if (d_kind(d, level) == D_TABLE) {
			c->tables++;
			count_table(d_table(d_next(d)), level + 1, 512, false, c);
		}
	}
	if (!pgd) {
		if (!nonzero)
			c->empty++;
		if (atomic_load(&env.ref[env_index(&env, t)]) != 1 + nonzero)
			c->bad_refs++;
	}
}

/* Every operation: pages in use = pages allocated - pages freed = table
 * pages reachable. @p deep: also every table's reference count, and no
 * empty table, no locked entry. */
static void check_tables(const char *what, bool deep)
{
	struct tcount c = {0, 0, 0, 0};
	const unsigned int n = d_start_entries();

	c.tables = (n * 8 + PAGE - 1) / PAGE;
	if (deep) {
		count_table(d_pgd(), d_start_level(), n, true, &c);
	} else {
		/* the pages the event log made reachable (a full walk counts
		 * them every eighth operation) */
		c.tables = 0;
		for (unsigned int p = 0; p < POOL; p++)
			c.tables += live_level[p] >= 0;
	}
	if (c.tables != env.in_use)
		FAIL("%s (%s): %lu table pages reachable, %lu allocated - freed", what, cur_op,
		     c.tables, env.in_use);
	if (env.double_frees || env.bad_frees)
		FAIL("%s (%s): %lu double frees, %lu bad frees", what, cur_op, env.double_frees,
		     env.bad_frees);
	if (deep && (c.bad_refs || c.empty || c.locked))
		FAIL("%s (%s): %lu bad reference counts, %lu empty tables, %lu locked entries",
		     what, cur_op, c.bad_refs, c.empty, c.locked);
}

/* After an operation that may have stopped part-way (ENOMEM; EAGAIN in
 * shared mode): each page holds either its old or its new state. Then
 * the model takes what the tables hold. The model is saved over the
 * operation's range rounded out to @p align: 2M, or 1G where a leaf whose
 * permissions widen may reach beyond the range (shared map). */
static void save_before(uint64_t ipa, uint64_t size, uint64_t align)
{
	before_lo = ipa & ~(align - 1);
	before_hi = (ipa + size + align - 1) & ~(align - 1);
	if (before_hi > WINDOW)
		before_hi = WINDOW;
	memcpy(before_pa, &m_pa[before_lo / PAGE],
	       (before_hi - before_lo) / PAGE * sizeof(m_pa[0]));
	memcpy(before_prot, &m_prot[before_lo / PAGE], (before_hi - before_lo) / PAGE);
}

static void either_or(const char *what)
{
	for (uint64_t a = before_lo; a < before_hi; a += PAGE) {
		uint64_t i = (a - before_lo) / PAGE, pa, d;
		unsigned int l;
		uint8_t now;

		/* a chunk never touched is unmapped in the model, before and
		 * after: the tables must say so for all of it */
		if (!m_dirty[a / CHUNK] && !(a & (CHUNK - 1)) && !d_lookup(a, &d, &l) && l < 3) {
			a += CHUNK - PAGE;
			continue;
		}
		now = d_translate(a, &pa);
		bool is_new = now == m_prot[a / PAGE] && (!now || pa == m_pa[a / PAGE]);
		bool is_old = now == before_prot[i] && (!now || pa == before_pa[i]);

		if (!is_new && !is_old)
			FAIL("%s: IPA %#llx is neither old nor new", what, (unsigned long long)a);
		m_prot[a / PAGE] = now;
		m_pa[a / PAGE] = now ? pa : 0;
	}
	touch(before_lo, before_hi - before_lo);
}

/* --- maintenance invariants, from the simulated CPU's event log ------ */

/*
 * A shadow of every table page (what the log says each entry holds) and
 * which pages are live (reachable from VTTBR_EL2), at which level and
 * IPA. The log is drained at every hook call and when a call returns, so
 * that it never has to hold more than what happens between two hooks; if
 * it overflows anyway (a permission change over many pages has no hook
 * until its TLBI), the shadow is rebuilt from memory and that operation's
 * maintenance is not checked (counted in `unchecked`).
 */

/*
 * Something the operation must still invalidate before it returns. DSBs
 * are counted (dsbs); an entry written invalid (or with permissions taken
 * away) when dsbs was c needs: a DSB (dsbs > c), then a stage-2 TLBI that
 * covers it (s2 = dsbs then), a DSB (dsbs > s2: the entry may be remade),
 * TLBI VMALLE1IS (stage-1 entries cached through the old stage-2 one) and
 * a DSB after that (vm_done > s2); TLBI VMALLS12E1IS does both stages.
 */
struct pending {
	uint64_t lo, hi;    /* IPA range of the entry */
	uint64_t entry;	    /* address of the entry (for break-before-make) */
	unsigned int level; /* leaf level; 0 for a table entry (walk caches) */
	unsigned int c, s2; /* DSB counts; s2 = NONE until covered */
	bool both;	    /* covered by VMALLS12E1IS */
	uint64_t old;	    /* the entry's value before (a new mapping or the same?) */
};
#define NONE	    (~0u)
#define MAX_PENDING (1u << 16)
static struct pending *pend;
static unsigned int npend;
static unsigned int dsbs;	       /* DSBs so far in this operation */
static unsigned int vm_issued = NONE; /* dsbs at the last VMALLE1IS not yet followed by a DSB */
static unsigned int vm_done = NONE;   /* dsbs at the last VMALLE1IS followed by a DSB */
#define MAX_DC 1024
static uint64_t dc_addr[MAX_DC], dc_size[MAX_DC];
static unsigned int ndc;
static bool op_unchecked;
static unsigned long unchecked, checked_ops;
/* The I-cache hook's calls of this operation not yet matched to the
 * executable leaf they were for; the HYP_MAP_IC_ONCE call expected (the
 * model's decision, made before the call) and seen; the PTE writes of the
 * operation so far. */
#define MAX_IC 1024
static uint64_t ic_addr[MAX_IC], ic_size[MAX_IC];
static unsigned int nic;
static bool once_expect, once_seen;
static uint64_t once_pa, once_size;
static unsigned long op_ptes;

/* Two hashes of this operation's pending entries (generation-stamped, so
 * that nothing is cleared between operations): by entry address, and by
 * (IPA of the entry, level), for break-before-make and the TLBIs. */
#define HBITS 17
struct hslot {
	uint64_t key;
	unsigned int gen, idx;
};
static struct hslot *h_entry, *h_ipa;
static unsigned int gen = 1;

static uint64_t ipa_key(uint64_t lo, unsigned int level, bool table)
{
	return lo | level << 1 | (table ? 1u : 0u); /* lo is page-aligned */
}

static struct hslot *h_slot(struct hslot *h, uint64_t key)
{
	uint64_t i = (key * 0x9e3779b97f4a7c15ull) >> (64 - HBITS);

	while (h[i].gen == gen && h[i].key != key)
		i = (i + 1) & ((1u << HBITS) - 1);
	return &h[i];
}

static struct pending *hash_get(struct hslot *h, uint64_t key)
{
	struct hslot *sl = h_slot(h, key);

	return sl->gen == gen ? &pend[sl->idx] : NULL;
}

static void hash_put(struct hslot *h, uint64_t key, unsigned int idx)
{
	struct hslot *sl = h_slot(h, key);

	*sl = (struct hslot){key, gen, idx};
}

static int pool_index(uint64_t va)
{
	uint64_t off = va - (uint64_t)(uintptr_t)env.mem;

	return off < (uint64_t)POOL * PAGE ? (int)(off / PAGE) : -1;
}

static void mark_live(int page, int level, uint64_t base)
{
	live_level[page] = (int8_t)level;
	live_base[page] = base;
	if (level < 0 || level >= 3)
		return;
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t d = shadow[page][i];

		if (d_kind(d, (unsigned int)level) == D_TABLE) {
			int child = pool_index((uint64_t)(uintptr_t)d_table(d_next(d)));

			if (child >= 0)
				mark_live(child, level + 1, base + i * d_size((unsigned int)level));
		}
	}
}

static void mark_dead(int page)
{
	int level = live_level[page];

	live_level[page] = -1;
	if (level < 0 || level >= 3)
		return;
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t d = shadow[page][i];

		if (d_kind(d, (unsigned int)level) == D_TABLE) {
			int child = pool_index((uint64_t)(uintptr_t)d_table(d_next(d)));

			if (child >= 0 && live_level[child] >= 0)
				mark_dead(child);
		}
	}
}

/* The shadow and liveness from memory (at init, after an overflow). */
static void resync(void)
{
	const unsigned int n = d_start_entries();
	int pgd = pool_index((uint64_t)(uintptr_t)d_pgd());

	for (unsigned int p = 0; p < POOL; p++) {
		if (env.used[p])
			memcpy(shadow[p], env.mem + (uint64_t)p * PAGE, PAGE);
		live_level[p] = -1;
	}
	for (unsigned int k = 0; k * 512 < n; k++)
		mark_live(pgd + (int)k, (int)d_start_level(),
			  k * 512 * d_size(d_start_level()));
}

static void violation(const char *fmt, unsigned long long a, unsigned long long b)
{
	fprintf(stderr, "stage2 fuzz: maintenance (%s): ", cur_op);
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, "\n");
	abort();
}

static void add_pending(uint64_t lo, uint64_t hi, uint64_t entry, unsigned int level,
			uint64_t old)
{
	if (op_unchecked)
		return;
	if (npend == MAX_PENDING || npend >= (1u << HBITS) / 2) {
		op_unchecked = true;
		return;
	}
	pend[npend] = (struct pending){lo, hi, entry, level, dsbs, NONE, false, old};
	hash_put(h_entry, entry, npend);
	hash_put(h_ipa, ipa_key(lo, level ? level : (unsigned int)__builtin_ctzll(hi - lo), !level),
	      npend);
	npend++;
}

static bool s2_done(const struct pending *p)
{
	return p->s2 != NONE && dsbs > p->s2;
}

static bool all_done(const struct pending *p)
{
	return s2_done(p) && (p->both || (vm_done != NONE && vm_done > p->s2));
}

static void on_dsb(void)
{
	if (vm_issued != NONE)
		vm_done = vm_issued;
	vm_issued = NONE;
	dsbs++;
}

static void cover(struct pending *p)
{
	if (p && p->s2 == NONE && dsbs > p->c)
		p->s2 = dsbs;
}

/* A stage-2 TLBI by IPA (@p ipa) with a level hint (0: none). It covers
 * the leaf entry that maps @p ipa at the hinted level (with a wrong hint
 * "no entries are required by the architecture to be invalidated": Arm ARM
 * C5.5.15, TLBI IPAS2E1OS, TTL; 0b0100 counts as no hint), and, without a hint,
 * at any level and the walk-cache entries of the tables on the way. */
static void on_tlbi_ipa(uint64_t ipa, unsigned int hint)
{
	for (unsigned int l = 1; l <= 3; l++) {
		if (!hint || hint == l)
			cover(hash_get(h_ipa, ipa_key(ipa & ~(d_size(l) - 1), l, false)));
	}
	for (unsigned int l = 0; l <= 2 && !hint; l++)
		cover(hash_get(h_ipa, ipa_key(ipa & ~(d_size(l) - 1), 12 + 9 * (3 - l), true)));
}

/* A range TLBI: every entry that overlaps [lo, hi) (at the hinted level). */
static void on_tlbi_range(uint64_t lo, uint64_t hi, unsigned int hint)
{
	for (unsigned int i = 0; i < npend; i++) {
		struct pending *p = &pend[i];

		if (hi > p->lo && lo < p->hi && (!hint || hint == p->level))
			cover(p);
	}
}

static void on_tlbi(const struct hyp_sim_event *e)
{
	const uint64_t op = e->val;

	switch (e->arg) {
	case HYP_SIM_TLBI_IPAS2E1IS: {
		/* Operand: IPA[47:12] in bits [35:0], TTL in [47:44] (TTL[3:2]
		 * granule, 0b01 = 4K; TTL[1:0] the level; 0b0000 no hint). */
		const uint64_t ipa = (op & 0xfffffffffull) << 12;
		const unsigned int ttl = (unsigned int)(op >> 44) & 0xf;

		if (ttl && (ttl >> 2) != 1)
			violation("TLBI IPAS2E1IS with TTL %#llx for a 4K granule %#llx", ttl, ipa);
		on_tlbi_ipa(ipa, ttl & 3);
		break;
	}
	case HYP_SIM_TLBI_RIPAS2E1IS: {
		/* TG [47:46] (0b01 4K), SCALE [45:44], NUM [43:39], TTL [38:37]
		 * (0b00 any level), BaseADDR [36:0] in granules: (NUM + 1) *
		 * 2^(5 * SCALE + 1) granules. */
		const uint64_t base = (op & ((1ull << 37) - 1)) << 12;
		const uint64_t num = (op >> 39) & 0x1f, scale = (op >> 44) & 3;
		const uint64_t len = ((num + 1) << (5 * scale + 1)) << 12;

		if (((op >> 46) & 3) != 1)
			violation("TLBI RIPAS2E1IS TG %#llx at %#llx", (op >> 46) & 3, base);
		on_tlbi_range(base, base + len, (unsigned int)(op >> 37) & 3);
		break;
	}
	case HYP_SIM_TLBI_VMALLS12E1IS:
		for (unsigned int i = 0; i < npend; i++) {
			if (pend[i].s2 == NONE && dsbs > pend[i].c) {
				pend[i].s2 = dsbs;
				pend[i].both = true;
			}
		}
		vm_issued = dsbs;
		break;
	case HYP_SIM_TLBI_VMALLE1IS:
		vm_issued = dsbs;
		break;
	default:
		violation("TLBI kind %llu on a stage-2 table %llu", e->arg, 0);
	}
}

static bool same_mapping(uint64_t a, unsigned int la, uint64_t b, unsigned int lb)
{
	return la == lb && d_oa(a, la) == d_oa(b, lb) && d_memtype(a) == d_memtype(b);
}

/* True if the table @p t at @p level maps [oa, ...) with leaves of @p leaf's
 * memory type and permissions everywhere (AF and software bits apart): a
 * block replacing it maps nothing new. */
static bool subtree_same(const uint64_t *t, unsigned int level, uint64_t oa, uint64_t leaf,
			 unsigned int leaf_level)
{
	const uint8_t want = d_prot(leaf, leaf_level);

	for (unsigned int i = 0; i < 512; i++, oa += d_size(level)) {
		uint64_t d = t[i];
		int p = pool_index((uint64_t)(uintptr_t)d_table(d_next(d)));

		if (d_kind(d, level) == D_TABLE) {
			if (p < 0 || !subtree_same(shadow[p], level + 1, oa, leaf, leaf_level))
				return false;
		} else if (d_kind(d, level) != D_LEAF || d_oa(d, level) != oa ||
			   d_prot(d, level) != want) {
			return false;
		}
	}
	return true;
}

/* Invalidations owed for the valid leaves below a table unlinked with
 * them still valid (a block replacing the table). */
static void pend_subtree(const uint64_t *t, unsigned int level, uint64_t base, uint64_t entry)
{
	for (unsigned int i = 0; i < 512; i++) {
		const uint64_t lo = base + i * d_size(level);
		uint64_t d = t[i];
		int p;

		if (d_kind(d, level) == D_LEAF) {
			add_pending(lo, lo + d_size(level), entry, level, d);
		} else if (d_kind(d, level) == D_TABLE) {
			p = pool_index((uint64_t)(uintptr_t)d_table(d_next(d)));
			if (p >= 0)
				pend_subtree(shadow[p], level + 1, lo, entry);
		}
	}
}

/* An executable leaf mapping [oa, oa + size) is written: its I-cache
 * invalidation must have come first (the IC_ONCE one, or one of exactly
 * its range, used up). */
static void ic_needed(uint64_t oa, uint64_t size, uint64_t ipa, const char *what)
{
	if (once_seen && oa >= once_pa && oa + size <= once_pa + once_size)
		return;
	for (unsigned int i = 0; i < nic; i++) {
		if (ic_addr[i] == oa && ic_size[i] == size) {
			ic_addr[i] = ic_addr[--nic];
			ic_size[i] = ic_size[nic];
			return;
		}
	}
	fprintf(stderr, "stage2 fuzz: (%s) ", what);
	violation("executable leaf for IPA %#llx -> %#llx without its I-cache invalidation first",
		  ipa, oa);
}

static void on_install(uint64_t entry, uint64_t d, unsigned int level, uint64_t ipa)
{
	uint64_t old;
	bool is_new = true;

	if (op_unchecked)
		return; /* the log overflowed: this operation's history is lost */

	/* break-before-make: the invalidation of this entry is through */
	struct pending *p = hash_get(h_entry, entry);

	if (p && !s2_done(p))
		violation("entry for IPA %#llx remade before its TLBI completed (%llu)", ipa,
			  p->s2 == NONE ? 0 : 1);
	if (d_kind(d, level) != D_LEAF)
		return;
	if (p) {
		old = p->old;
		if (d_kind(old, level) == D_LEAF) {
			is_new = !same_mapping(old, level, d, level);
		} else if (d_kind(old, level) == D_TABLE) {
			int p = pool_index((uint64_t)(uintptr_t)d_table(d_next(old)));

			is_new = p < 0 ||
				 !subtree_same(shadow[p], level + 1, d_oa(d, level), d, level);
		}
	}
	if (is_new && d_prot(d, level) != 0xff && (d_prot(d, level) & 4))
		ic_needed(d_oa(d, level), d_size(level), ipa, "new leaf");
	/* MemAttr 0b1111: Normal Write-Back, which the D-cache may hold */
	if (!is_new || d_memtype(d) != 0)
		return;
	for (unsigned int i = 0; i < ndc; i++) {
		if (dc_addr[i] == d_oa(d, level) && dc_size[i] == d_size(level)) {
			dc_addr[i] = dc_addr[--ndc];
			dc_size[i] = dc_size[ndc];
			return;
		}
	}
	violation("new cacheable leaf for IPA %#llx -> %#llx without its D-cache clean first", ipa,
		  d_oa(d, level));
}

static void on_pte(uint64_t addr, uint64_t d)
{
	const int page = pool_index(addr);
	const unsigned int idx = (unsigned int)((addr / 8) & 511);
	int level;
	uint64_t old, ipa;

	if (page < 0)
		violation("PTE write at %#llx outside the table pool %llu", addr, 0);
	op_ptes++;
	old = shadow[page][idx];
	shadow[page][idx] = d;
	level = live_level[page];
	if (level < 0 || old == d)
		return; /* a table being built off-line, or no change */
	const unsigned int l = (unsigned int)level;
	ipa = live_base[page] + idx * d_size(l);
	const enum dkind ko = d_kind(old, l), kn = d_kind(d, l);

	if (ko == D_TABLE) {
		int child = pool_index((uint64_t)(uintptr_t)d_table(d_next(old)));

		if (kn != D_INVALID)
			violation("table entry for IPA %#llx replaced live by %#llx", ipa, d);
		if (child >= 0) {
			/* leaves still valid below: each one needs its TLBI */
			pend_subtree(shadow[child], l + 1, ipa, addr);
			mark_dead(child);
		}
		add_pending(ipa, ipa + d_size(l), addr, 0, old);
		return;
	}
	if (ko == D_LEAF) {
		if (kn == D_LEAF) {
			const uint8_t po = d_prot(old, l), pn = d_prot(d, l);

			if (!same_mapping(old, l, d, l))
				violation("live leaf for IPA %#llx changed to %#llx without a break",
					  ipa, d);
			/* permissions taken away: a TLBI before the call returns */
			if ((po & 7) & ~(pn & 7))
				add_pending(ipa, ipa + d_size(l), addr, l, old);
			/* execute permission added: the I-cache first */
			if (!op_unchecked && po != 0xff && pn != 0xff && (pn & 4) && !(po & 4))
				ic_needed(d_oa(d, l), d_size(l), ipa, "execute added");
			return;
		}
		if (kn == D_TABLE)
			violation("live leaf for IPA %#llx replaced by a table %#llx without a break",
				  ipa, d);
		add_pending(ipa, ipa + d_size(l), addr, l, old);
		return;
	}
	/* from invalid (zero or locked) */
	if (kn == D_TABLE) {
		int child = pool_index((uint64_t)(uintptr_t)d_table(d_next(d)));

		on_install(addr, d, l, ipa);
		if (child < 0)
			violation("table for IPA %#llx outside the pool: %#llx", ipa, d);
		mark_live(child, level + 1, ipa);
	} else if (kn == D_LEAF) {
		on_install(addr, d, l, ipa);
	}
}

static void op_reset(void)
{
	npend = 0;
	ndc = 0;
	nic = 0;
	once_expect = once_seen = false;
	op_ptes = 0;
	dsbs = 0;
	vm_issued = vm_done = NONE;
	op_unchecked = false;
	gen++;
}

/* Process the simulated CPU's log from where the last drain stopped; clear
 * it once half full (clearing costs a pass over the register slots). */
static unsigned int drained;

static void drain(void)
{
	if (cpu.log_overflow) {
		resync();
		op_reset();
		op_unchecked = true;
		hyp_sim_reset_counts(&cpu);
		drained = 0;
		return;
	}
	for (; drained < cpu.log_len; drained++) {
		const struct hyp_sim_event *e = &cpu.log[drained];

		switch (e->kind) {
		case HYP_SIM_PTE_WRITE:
			on_pte(e->addr, e->val);
			break;
		case HYP_SIM_PTE_CAS:
			if (e->arg)
				on_pte(e->addr, e->val);
			break;
		case HYP_SIM_DSB:
			on_dsb();
			break;
		case HYP_SIM_TLBI:
			on_tlbi(e);
			break;
		case HYP_SIM_DC_CIVAC:
			if (ndc == MAX_DC) {
				op_unchecked = true;
				break;
			}
			/* the hook cleans through phys_to_virt, which maps the
			 * pool's own "physical" range to the pool: back to the
			 * output address */
			dc_addr[ndc] = pool_index(e->addr) >= 0
					   ? env_v2p(&env, (void *)(uintptr_t)e->addr)
					   : e->addr;
			dc_size[ndc++] = e->val;
			break;
		default:
			break;
		}
	}
	if (cpu.log_len > HYP_SIM_LOG_MAX / 2) {
		hyp_sim_reset_counts(&cpu);
		drained = 0;
	}
}

/* When a call returns: everything it owed is done. */
static void op_end(void)
{
	drain();
	if (!op_unchecked) {
		for (unsigned int i = 0; i < npend; i++) {
			if (!all_done(&pend[i]))
				violation("IPA %#llx made invalid or restricted, TLB maintenance "
					  "incomplete at return (level %llu)",
					  pend[i].lo, pend[i].level);
		}
		if (ndc)
			violation("D-cache clean of %#llx+%#llx for no new cacheable leaf",
				  dc_addr[0], dc_size[0]);
		if (nic)
			violation("I-cache invalidation of %#llx+%#llx for no new executable leaf",
				  ic_addr[0], ic_size[0]);
		if (once_expect && !once_seen)
			violation("HYP_MAP_IC_ONCE map of %#llx+%#llx without its I-cache "
				  "invalidation",
				  once_pa, once_size);
		checked_ops++;
	} else {
		unchecked++;
	}
	op_reset();
}

/* The hooks: drain the log up to this point, then the test pool's. */
static void *f_zalloc(struct hyp_pgtable *pgt, unsigned int n)
{
	void *p;

	drain();
	p = h_zalloc(pgt, n);
	if (p) {
		int i = pool_index((uint64_t)(uintptr_t)p);

		memset(shadow[i], 0, (size_t)n * PAGE);
		for (unsigned int k = 0; k < n; k++)
			live_level[i + (int)k] = -1;
	}
	return p;
}

static void f_free(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	int i;

	drain();
	i = pool_index((uint64_t)(uintptr_t)va);
	for (unsigned int k = 0; i >= 0 && k < n; k++) {
		if (live_level[i + (int)k] >= 0)
			violation("table page %#llx freed while reachable (level %llu)",
				  (unsigned long long)(uintptr_t)va, (unsigned long long)live_level[i]);
	}
	h_free(pgt, va, n);
}

static void f_get(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	drain();
	h_get(pgt, va, n);
}

static unsigned int f_put(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	drain();
	return h_put(pgt, va, n);
}

static void f_dc(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	drain();
	h_dc(pgt, pa, size);
}

static void f_ic(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	drain();
	h_ic(pgt, pa, size);
	if (op_unchecked)
		return;
	if (once_expect) {
		/* the one call: the whole output range, before any entry */
		if (once_seen || pa != once_pa || size != once_size || op_ptes)
			violation("I-cache invalidation of %#llx+%#llx in a HYP_MAP_IC_ONCE map "
				  "besides its one (of the range, before any entry)",
				  pa, size);
		once_seen = true;
		return;
	}
	if (nic == MAX_IC) {
		op_unchecked = true;
		return;
	}
	ic_addr[nic] = pa;
	ic_size[nic++] = size;
}

static void f_tlbi_addr(struct hyp_pgtable *pgt, uint64_t addr, unsigned int level)
{
	drain();
	h_tlbi_addr(pgt, addr, level);
}

static void f_tlbi_range(struct hyp_pgtable *pgt, uint64_t addr, uint64_t size,
			 unsigned int level)
{
	drain();
	h_tlbi_range(pgt, addr, size, level);
}

static void f_tlbi_all(struct hyp_pgtable *pgt)
{
	drain();
	h_tlbi_all(pgt);
}

/* FUZZ_TRACE=1 in the environment: print every operation;
 * FUZZ_STATS=1: at exit, how many operations had their maintenance checked. */
static bool trace;

static void print_stats(void)
{
	fprintf(stderr, "stage2 fuzz: maintenance checked for %lu operations, %lu unchecked "
			"(event log overflow)\n",
		checked_ops, unchecked);
}

static void setup(void)
{
	trace = getenv("FUZZ_TRACE") != NULL;
	if (getenv("FUZZ_STATS"))
		atexit(print_stats);
	env_pool(&env, POOL);
	env.cfg.ia_bits = 36; /* start at level 1, so that 1G blocks exist */
	fuzz_ops = env.ops;
	fuzz_ops.zalloc_pages = f_zalloc;
	fuzz_ops.free_pages = f_free;
	fuzz_ops.get_page = f_get;
	fuzz_ops.put_page = f_put;
	fuzz_ops.dcache_clean_inval_poc = f_dc;
	fuzz_ops.icache_inval_pou = f_ic;
	fuzz_ops.tlbi_addr = f_tlbi_addr;
	fuzz_ops.tlbi_range = f_tlbi_range;
	fuzz_ops.tlbi_all = f_tlbi_all;
	shadow = calloc(POOL, sizeof(*shadow));
	pend = calloc(MAX_PENDING, sizeof(*pend));
	h_entry = calloc(1u << HBITS, sizeof(*h_entry));
	h_ipa = calloc(1u << HBITS, sizeof(*h_ipa));
	if (!shadow || !pend || !h_entry || !h_ipa)
		abort();
	env_sim_init(&cpu);
	hyp_sim_set_current(&cpu);
	ready = true;
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
	/* issue 15: bit 5 of the prot byte (unused before) asks for
	 * HYP_MAP_IC_ONCE, which op_map() gives hyp_s2_map() only */
	if (b[5] & 0x20)
		o->flags |= HYP_MAP_IC_ONCE;
	o->arg = b[4] >> 3;
}

static void op_map(const struct op *o, bool shared)
{
	unsigned int flags = o->flags | (shared ? HYP_MAP_SHARED : 0);
	int ret, expect = 0;
	/* the fault entries take no HYP_MAP_IC_ONCE: hyp_s2_map() there */
	const bool fault4k = o->size == PAGE && (o->arg & 1),
		   fault2m = o->size == (2ull << 20) && (o->arg & 1);
	const bool once = (o->flags & HYP_MAP_IC_ONCE) != 0;

	if (once && shared) {
		/* refused, nothing changed (check_pages() sees the model) */
		ret = hyp_s2_map(&env.pgt, o->ipa, o->size, o->pa, o->prot, flags);
		op_end();
		if (ret != HYP_EINVAL)
			FAIL("map: HYP_MAP_IC_ONCE with HYP_MAP_SHARED: %d", ret);
		return;
	}
	if (is_device(o->prot) && (o->prot & HYP_PROT_X)) {
		ret = hyp_s2_map(&env.pgt, o->ipa, o->size, o->pa, o->prot, flags);
		op_end();
		if (ret != HYP_EINVAL)
			FAIL("map: Device + X accepted");
		return;
	}
	save_before(o->ipa, o->size, shared ? SZ_1G : SZ_2M);
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
	/* HYP_MAP_IC_ONCE: one invalidation of the whole output range when
	 * the range is executable and more than one page (the fuzzer's table
	 * has the I-cache hook and no DIC; Device + X was refused above) */
	if (once && !fault4k && !fault2m && (o->prot & HYP_PROT_X) && o->size > PAGE &&
	    !env.cfg.dic) {
		once_expect = true;
		once_pa = o->pa;
		once_size = o->size;
	}
	/* one page: every other time through the fault entry, which must do
	 * exactly what hyp_s2_map() does (the same model) */
	if (fault4k)
		ret = hyp_s2_fault_map_4k(&env.pgt, o->ipa, o->pa, o->prot,
					  flags & ~(unsigned int)HYP_MAP_IC_ONCE);
	else if (fault2m) /* the 2M fault entry */
		ret = hyp_s2_fault_map_2m(&env.pgt, o->ipa, o->pa, o->prot,
					  flags & ~(unsigned int)HYP_MAP_IC_ONCE);
	else
		ret = hyp_s2_map(&env.pgt, o->ipa, o->size, o->pa, o->prot, flags);
	op_end();
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

	save_before(o->ipa, o->size, SZ_2M);
	for (uint64_t a = o->ipa; a < o->ipa + o->size; a += PAGE) {
		m_prot[a / PAGE] = 0;
		m_pa[a / PAGE] = 0;
	}
	touch(o->ipa, o->size);
	ret = hyp_s2_unmap(&env.pgt, o->ipa, o->size);
	op_end();
	if (ret == HYP_ENOMEM)
		either_or("unmap");
	else if (ret)
		FAIL("unmap: %d", ret);
}

static void op_protect(const struct op *o)
{
	const unsigned int perms = o->prot & HYP_PROT_PERMS;
	int ret;

	/* execute on Device memory is refused, nothing changed (as map) */
	if (perms & HYP_PROT_X) {
		for (uint64_t a = o->ipa; a < o->ipa + o->size; a += PAGE) {
			if ((m_prot[a / PAGE] & MAPPED) && is_device(m_prot[a / PAGE])) {
				ret = hyp_s2_protect(&env.pgt, o->ipa, o->size, perms);
				op_end();
				if (ret != HYP_EINVAL)
					FAIL("protect %#llx+%#llx X over Device memory: %d",
					     (unsigned long long)o->ipa, (unsigned long long)o->size,
					     ret);
				return;
			}
		}
	}
	save_before(o->ipa, o->size, SZ_2M);
	for (uint64_t a = o->ipa; a < o->ipa + o->size; a += PAGE) {
		uint8_t *p = &m_prot[a / PAGE];

		if (*p & MAPPED)
			*p = (uint8_t)((*p & ~HYP_PROT_PERMS) | perms);
	}
	touch(o->ipa, o->size);
	ret = hyp_s2_protect(&env.pgt, o->ipa, o->size, perms);
	op_end();
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
	op_end();
	if (ret != expect)
		FAIL("relax %#llx %#x: %d, expected %d", (unsigned long long)ipa, perms, ret,
		     expect);
}

static void op_dirty(const struct op *o, bool clear)
{
	const uint64_t words = (o->size / PAGE + 63) / 64;
	int ret;

	memset(bitmap, 0, words * 8);
	save_before(o->ipa, o->size, SZ_2M);
	ret = hyp_s2_dirty_log(&env.pgt, o->ipa, o->size, bitmap, clear);
	op_end();
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
	static const char *const names[11] = {"map", "map", "shared map", "unmap", "protect",
					      "relax", "split", "collapse", "dirty log", "age",
					      "fail"};
	int ret;

	cur_op = names[o->kind];
	if (trace)
		fprintf(stderr, "%s ipa %#llx size %#llx pa %#llx prot %#x flags %#x arg %#x\n",
			cur_op, (unsigned long long)o->ipa, (unsigned long long)o->size,
			(unsigned long long)o->pa, o->prot, o->flags, o->arg);
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
		op_end();
		if (ret && ret != HYP_ENOMEM)
			FAIL("split: %d", ret);
		break;
	case 7:
		ret = hyp_s2_collapse(&env.pgt, o->ipa, o->size);
		op_end();
		if (ret < 0)
			FAIL("collapse: %d", ret);
		break;
	case 8:
		op_dirty(o, o->arg & 1);
		break;
	case 9:
		ret = hyp_s2_age(&env.pgt, o->ipa, o->size, o->arg & 1);
		op_end();
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
	/* The bytes left over after the 6-byte operations pick range TLBIs
	 * (FEAT_TLBIRANGE) or not, and an allocator that hands back the page
	 * freed last first (a stale pointer to a freed table then meets it
	 * again, live) or the lowest free page; the operations decode the
	 * same either way. */
	env.cfg.tlbirange = (size % 6) & 1;
	env.lifo = (size % 6) >= 3;
	env.nfreed = 0;
	cur_op = "init";
	if (hyp_s2_init(&env.pgt, &env.cfg, &fuzz_ops, &env, 1))
		FAIL("init");
	/* the fuzzer's decoder reads the library's VTCR_EL2 and VTTBR_EL2: a
	 * 36-bit IPA space (T0SZ 28) from level 1 (SL0 0b01), 64 entries */
	if ((env.pgt.ctlr & 0xff) != (28 | (1 << 6)) || d_start_entries() != 64)
		FAIL("VTCR_EL2 %#llx", (unsigned long long)env.pgt.ctlr);
	resync();
	op_end();
	for (; size >= 6; data += 6, size -= 6) {
		decode(data, &o);
		run_op(&o);
	}
	env.fail_after = -1;
	cur_op = "end";
	check_pages(0, WINDOW, "at the end");
	check_tables("at the end", true);
	/* teardown: nothing is reachable once destroy starts */
	drain();
	for (unsigned int p = 0; p < POOL; p++)
		live_level[p] = -1;
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
	drained = 0;
	op_reset();
	return 0;
}
