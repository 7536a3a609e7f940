/* SPDX-License-Identifier: MIT */
/*
 * Concurrent faults in shared mode: threads (one simulated CPU each) fault
 * on overlapping ranges with 4K and 2M requests and relax execute
 * permission, all asking for the same translation of each IPA. Afterwards
 * the tables hold exactly the requested mappings, every table page is
 * reachable and counted right (none leaked, none freed twice), no entry is
 * left locked, and each installed leaf had exactly one D-cache CMO and, in
 * the executable half, exactly one I-cache CMO.
 *
 * Rounds 4 to 6 move libhyp's lock to descriptor bit 58 (hyp_pgtable_cfg::
 * lock_bit) and every thread also sets one of the integrator's software
 * bits (API bits 56..58, descriptor bits 56, 57 and 55) on each page it
 * faults on, with hyp_s2_set_sw_bits(HYP_MAP_SHARED): the lock must still
 * serialise the updaters (a set that slipped in while another CPU owns the
 * entry would be lost when the owner stores its leaf), so every page ends
 * with all three bits and none with bit 58.
 *
 * A plain program (exit status 0 = pass) rather than a Criterion test, so
 * that it also runs under ThreadSanitizer (scripts/test), where
 * Criterion's process arena cannot be set up.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers, sched_yield */
#include <pthread.h>
#include <sched.h>

#include "test_stage2_env.h"

static int failed;
/* On failure: print the condition and a message, mark the run failed. */
#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);                 \
			fprintf(stderr, __VA_ARGS__);                                              \
			fprintf(stderr, "\n");                                                     \
			failed = 1;                                                                \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define THREADS 4
#define BASE	0x40000000ull
#define SPAN	(8 * SZ_2M) /* 4 x 2M read-write, 4 x 2M that become executable */
#define XBASE	(BASE + SPAN / 2)
#define OFFSET	0x100000000ull /* PA = IPA + OFFSET */
#define PAGES	(SPAN / PAGE)

static struct env env;
static struct hyp_sim_cpu cpus[THREADS];
static pthread_barrier_t go;
static _Atomic unsigned long retries;
static _Atomic int failure; /* checked by the main thread */
static _Atomic uint64_t failure_at;

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void retry(int (*fn)(uint64_t, unsigned int), uint64_t a, unsigned int b)
{
	int ret;

	while ((ret = fn(a, b)) == HYP_EAGAIN) {
		atomic_fetch_add(&retries, 1);
		sched_yield();
	}
	if (ret && !atomic_exchange(&failure, ret))
		atomic_store(&failure_at, a);
}

static int fault_4k(uint64_t ipa, unsigned int x)
{
	(void)x;
	return hyp_s2_map(&env.pgt, ipa, PAGE, ipa + OFFSET, HYP_PROT_RW, HYP_MAP_SHARED);
}

static int fault_2m(uint64_t ipa, unsigned int x)
{
	(void)x;
	return hyp_s2_map(&env.pgt, ipa, SZ_2M, ipa + OFFSET, HYP_PROT_RW, HYP_MAP_SHARED);
}

static int relax_x(uint64_t ipa, unsigned int x)
{
	(void)x;
	return hyp_s2_relax(&env.pgt, ipa, HYP_PROT_X, HYP_MAP_SHARED);
}

/* Set the integrator's software bit 56 + @p bit (API numbering). */
static int set_sw(uint64_t ipa, unsigned int bit)
{
	return hyp_s2_set_sw_bits(&env.pgt, ipa, 1ull << (56 + bit), 1ull << (56 + bit),
				  HYP_MAP_SHARED);
}

/* Rounds with the lock at bit 58 and the software bits set. */
static bool sw_round;

/* Cache maintenance takes time on a real CPU: yield inside it, so that
 * other CPUs do fault on the page meanwhile. */
static void dc_slow(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	h_dc(pgt, pa, size);
	sched_yield();
}

static void ic_slow(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	h_ic(pgt, pa, size);
	sched_yield();
}

static void *worker(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	uint64_t seed = 0x9e3779b97f4a7c15ull * (id + 1);
	static _Thread_local uint32_t order[PAGES];

	env_sim_init(&cpus[id]);
	hyp_sim_set_current(&cpus[id]);
	/* Every thread walks the range in the same direction, shuffled within
	 * windows of 32 pages: they meet on the same pages and tables. */
	for (uint32_t i = 0; i < PAGES; i++)
		order[i] = i;
	for (uint32_t i = PAGES - 1; i > 0; i--) {
		uint32_t lo = i & ~31u, j = lo + (uint32_t)(rnd(&seed) % (i - lo + 1)),
			 t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	pthread_barrier_wait(&go);
	for (uint32_t i = 0; i < PAGES; i++) {
		uint64_t ipa = BASE + (uint64_t)order[i] * PAGE;

		/* now and then the whole 2M around it, as a huge-page fault would */
		if (rnd(&seed) % 64 == 0)
			retry(fault_2m, ipa & ~(SZ_2M - 1), 0);
		else
			retry(fault_4k, ipa, 0);
		if (sw_round)
			retry(set_sw, ipa, id % 3);
		if (ipa >= XBASE)
			retry(relax_x, ipa, 0);
		if (sw_round)
			retry(set_sw, ipa, (id + 1) % 3);
	}
	hyp_sim_set_current(NULL);
	return NULL;
}

static bool same_leaf(const struct ev *e, uint64_t pa, uint64_t size)
{
	return e->addr == pa && e->size == size;
}

static void check_round(void)
{
	struct tstats s = env_stats(&env);
	unsigned int nleaves = 0, xleaves = 0;

	CHECK(env.double_frees + env.bad_frees == 0, "failed");
	CHECK(s.tables == env.in_use, "every allocated table page is reachable");
	CHECK(s.bad_refs == 0, "reference counts = 1 + entries");
	CHECK(s.empty_tables == 0, "failed");
	CHECK(s.locked == 0, "failed");

	/* Every page maps exactly as requested; walk the leaves once. */
	for (uint64_t ipa = BASE; ipa < BASE + SPAN;) {
		unsigned int level = 0, prot;
		hyp_pte_t pte = env_leaf(&env, ipa, &level);
		uint64_t size = level == 3 ? PAGE : SZ_2M, pa, n = 0;
		unsigned int want = HYP_PROT_RW | (ipa >= XBASE ? HYP_PROT_X : 0);

		CHECK(pte & HYP_PTE_VALID, "%#llx unmapped", (unsigned long long)ipa);
		/* the software bits [58:55] (Arm ARM D8.3): with the lock at 58,
		 * the three set bits are 55, 56 and 57; none otherwise */
		CHECK((pte & (0xfull << 55)) == (sw_round ? 0x7ull << 55 : 0),
		      "%#llx: software bits %#llx", (unsigned long long)ipa,
		      (unsigned long long)(pte & (0xfull << 55)));
		CHECK(level == 3 || level == 2, "failed");
		for (uint64_t a = ipa; a < ipa + size; a += PAGE) {
			CHECK(hyp_pgtable_translate(&env.pgt, a, &pa, &prot) == 0, "failed");
			CHECK(pa == a + OFFSET, "failed");
			CHECK(prot == want, "%#llx: prot %#x", (unsigned long long)a, prot);
		}
		/* exactly one D-cache CMO for this leaf, for its whole size */
		for (unsigned int i = 0; i < env.nev; i++) {
			if (env.ev[i].kind == EV_DC && same_leaf(&env.ev[i], ipa + OFFSET, size))
				n++;
		}
		CHECK(n == 1, "%#llx: %llu D-cache CMOs", (unsigned long long)ipa,
		      (unsigned long long)n);
		n = 0;
		for (unsigned int i = 0; i < env.nev; i++) {
			if (env.ev[i].kind == EV_IC && same_leaf(&env.ev[i], ipa + OFFSET, size))
				n++;
		}
		CHECK(n == (ipa >= XBASE ? 1u : 0u), "%#llx: %llu I-cache CMOs",
		      (unsigned long long)ipa, (unsigned long long)n);
		nleaves++;
		xleaves += ipa >= XBASE;
		ipa += size;
	}
	/* and no CMO for anything else */
	CHECK(env_count(&env, EV_DC) == nleaves, "failed");
	CHECK(env_count(&env, EV_IC) == xleaves, "failed");
	CHECK(env.nev < EV_MAX, "failed");
}

static void run(void)
{
	static struct hyp_sim_cpu main_cpu;
	pthread_t t[THREADS];

	env_sim_init(&main_cpu);
	hyp_sim_set_current(&main_cpu);
	env_pool(&env, 1024);
	/* the hooks only record here: the threads' simulated CPUs do the rest */
	env.hw = false;
	env.ops.dcache_clean_inval_poc = dc_slow;
	env.ops.icache_inval_pou = ic_slow;
	for (int round = 0; round < 6; round++) {
		sw_round = round >= 3;
		env.cfg.lock_bit = sw_round ? 58 : 0;
		CHECK(hyp_s2_init(&env.pgt, &env.cfg, &env.ops, &env, 1) == 0, "failed");
		env_reset_events(&env);
		pthread_barrier_init(&go, NULL, THREADS);
		for (unsigned int i = 0; i < THREADS; i++)
			CHECK(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) == 0,
			      "failed");
		for (unsigned int i = 0; i < THREADS; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		CHECK(atomic_load(&failure) == 0, "error %d at %#llx", atomic_load(&failure),
		      (unsigned long long)atomic_load(&failure_at));
		check_round();
		if (failed)
			return;
		hyp_pgtable_destroy(&env.pgt);
		CHECK(env.in_use == 0, "destroy frees every page");
		CHECK(env.double_frees == 0, "failed");
	}
	printf("6 rounds (3 with the lock at bit 58) of %u threads x %llu pages: %lu EAGAIN "
	       "retries\n",
	       THREADS, (unsigned long long)PAGES, atomic_load(&retries));
	env_free(&env);
}

int main(void)
{
	run();
	printf("%s\n", failed ? "FAIL" : "PASS");
	return failed;
}
