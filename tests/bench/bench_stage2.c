/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 benchmark on the host backend (not a test: it prints numbers).
 *
 * Each phase_* function runs one kind of operation N times. Run plainly,
 * it prints the hardware operations per operation that the simulated CPU
 * and the hooks saw (CMOs, TLBIs, DSBs, PTE accesses). Run with "count"
 * under callgrind (see stage2-bench.py), its hooks only count, so that
 *   valgrind --tool=callgrind --toggle-collect='phase_*' \
 *            --toggle-collect='hook_*' --toggle-collect='hyp_sim_*'
 * collects exactly the instructions of libhyp in each phase, excluding the
 * hooks and the simulated hardware (whose operations are one instruction
 * each on a CPU).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp/hw.h>
#include <libhyp/stage2.h>

#define PAGE	   4096ull
#define SZ_2M	   (2ull << 20)
#define SZ_1G	   (1ull << 30)
#define POOL_PAGES 4096u
#define POOL_PA	   0x100000000ull

static uint8_t *pool;
static unsigned int free_list[POOL_PAGES], nfree;
static unsigned int refs[POOL_PAGES];
static int hw = 1;
static struct counts {
	unsigned long dc, ic, tlbi_addr, tlbi_range, tlbi_all;
} n;

__attribute__((noinline)) static void *hook_zalloc(struct hyp_pgtable *pgt, unsigned int np)
{
	(void)pgt;
	if (np != 1 || !nfree)
		return NULL;
	unsigned int i = free_list[--nfree];
	memset(pool + (uint64_t)i * PAGE, 0, PAGE);
	refs[i] = 1;
	return pool + (uint64_t)i * PAGE;
}

__attribute__((noinline)) static void hook_free(struct hyp_pgtable *pgt, void *va, unsigned int np)
{
	(void)pgt;
	(void)np;
	free_list[nfree++] = (unsigned int)(((uint8_t *)va - pool) / PAGE);
}

__attribute__((noinline)) static void hook_get(struct hyp_pgtable *pgt, void *va, unsigned int c)
{
	(void)pgt;
	refs[((uint8_t *)va - pool) / PAGE] += c;
}

__attribute__((noinline)) static unsigned int hook_put(struct hyp_pgtable *pgt, void *va,
						       unsigned int c)
{
	(void)pgt;
	return refs[((uint8_t *)va - pool) / PAGE] -= c;
}

__attribute__((noinline)) static uint64_t hook_v2p(struct hyp_pgtable *pgt, void *va)
{
	(void)pgt;
	return POOL_PA + (uint64_t)((uint8_t *)va - pool);
}

__attribute__((noinline)) static void *hook_p2v(struct hyp_pgtable *pgt, uint64_t pa)
{
	(void)pgt;
	if (pa < POOL_PA || pa >= POOL_PA + (uint64_t)POOL_PAGES * PAGE)
		return (void *)(uintptr_t)pa; /* guest memory, never dereferenced */
	return pool + (pa - POOL_PA);
}

__attribute__((noinline)) static void hook_dc(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	n.dc++;
	if (hw)
		hyp_pgtable_dcache_clean_inval_hw(pgt, pa, size);
}

__attribute__((noinline)) static void hook_ic(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	n.ic++;
	if (hw)
		hyp_pgtable_icache_inval_hw(pgt, pa, size);
}

__attribute__((noinline)) static void hook_tlbi_addr(struct hyp_pgtable *pgt, uint64_t addr,
						     unsigned int level)
{
	n.tlbi_addr++;
	if (hw)
		hyp_pgtable_tlbi_addr_hw(pgt, addr, level);
}

__attribute__((noinline)) static void hook_tlbi_range(struct hyp_pgtable *pgt, uint64_t addr,
						      uint64_t size, unsigned int level)
{
	n.tlbi_range++;
	if (hw)
		hyp_pgtable_tlbi_range_hw(pgt, addr, size, level);
}

__attribute__((noinline)) static void hook_tlbi_all(struct hyp_pgtable *pgt)
{
	n.tlbi_all++;
	if (hw)
		hyp_pgtable_tlbi_all_hw(pgt);
}

static const struct hyp_pgtable_ops ops = {
    .zalloc_pages = hook_zalloc,
    .free_pages = hook_free,
    .get_page = hook_get,
    .put_page = hook_put,
    .virt_to_phys = hook_v2p,
    .phys_to_virt = hook_p2v,
    .dcache_clean_inval_poc = hook_dc,
    .icache_inval_pou = hook_ic,
    .tlbi_addr = hook_tlbi_addr,
    .tlbi_range = hook_tlbi_range,
    .tlbi_all = hook_tlbi_all,
};

static int failed;

static void check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "%s: %d\n", what, ret);
		failed = 1;
	}
}

/* 4K fault-ins (shared mode) into level-3 tables that exist. */
__attribute__((noinline)) void phase_fault_4k(struct hyp_pgtable *pgt, uint64_t ipa,
					      unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_map(pgt, ipa + i * PAGE, PAGE, 0x40000000 + ipa + i * PAGE,
				 HYP_PROT_RW, HYP_MAP_SHARED),
		      "fault_4k");
}

/* 4K fault-ins that need a new level-3 table each (one per 2M). */
__attribute__((noinline)) void phase_fault_4k_table(struct hyp_pgtable *pgt, uint64_t ipa,
						    unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_map(pgt, ipa + i * SZ_2M, PAGE, 0x40000000 + ipa + i * SZ_2M,
				 HYP_PROT_RW, HYP_MAP_SHARED),
		      "fault_4k_table");
}

/* 4K fault-ins of pages that are already mapped (a lost race). */
__attribute__((noinline)) void phase_fault_4k_spurious(struct hyp_pgtable *pgt, uint64_t ipa,
						       unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_map(pgt, ipa + i * PAGE, PAGE, 0x40000000 + ipa + i * PAGE,
				 HYP_PROT_RW, HYP_MAP_SHARED),
		      "fault_4k_spurious");
}

/* The same fault-ins through the fault entry, hyp_s2_fault_map_4k(). */
__attribute__((noinline)) void phase_fault_entry_4k(struct hyp_pgtable *pgt, uint64_t ipa,
						    unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_fault_map_4k(pgt, ipa + i * PAGE, 0x40000000 + ipa + i * PAGE,
					  HYP_PROT_RW, HYP_MAP_SHARED),
		      "fault_entry_4k");
}

__attribute__((noinline)) void phase_fault_entry_4k_spurious(struct hyp_pgtable *pgt,
							     uint64_t ipa, unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_fault_map_4k(pgt, ipa + i * PAGE, 0x40000000 + ipa + i * PAGE,
					  HYP_PROT_RW, HYP_MAP_SHARED),
		      "fault_entry_4k_spurious");
}

__attribute__((noinline)) void phase_fault_entry_4k_table(struct hyp_pgtable *pgt, uint64_t ipa,
							  unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_fault_map_4k(pgt, ipa + i * SZ_2M, 0x40000000 + ipa + i * SZ_2M,
					  HYP_PROT_RW, HYP_MAP_SHARED),
		      "fault_entry_4k_table");
}

__attribute__((noinline)) void phase_map_2m(struct hyp_pgtable *pgt, uint64_t ipa, unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_map(pgt, ipa + i * SZ_2M, SZ_2M, 0x40000000 + ipa + i * SZ_2M,
				 HYP_PROT_RW, 0),
		      "map_2m");
}

/* hyp_s2_fault_map_2m(): a fresh 2M block under existing tables */
__attribute__((noinline)) void phase_fault_entry_2m(struct hyp_pgtable *pgt, uint64_t ipa,
						    unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_fault_map_2m(pgt, ipa + i * SZ_2M, 0x40000000 + ipa + i * SZ_2M,
					  HYP_PROT_RW, 0),
		      "fault_entry_2m");
}

__attribute__((noinline)) void phase_unmap_4k(struct hyp_pgtable *pgt, uint64_t ipa,
					      unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_unmap(pgt, ipa + i * PAGE, PAGE), "unmap_4k");
}

__attribute__((noinline)) void phase_relax_w(struct hyp_pgtable *pgt, uint64_t ipa,
					     unsigned int cnt)
{
	for (unsigned int i = 0; i < cnt; i++)
		check(hyp_s2_relax(pgt, ipa + i * PAGE, HYP_PROT_W, HYP_MAP_SHARED), "relax");
}

__attribute__((noinline)) void phase_map_1g_4k(struct hyp_pgtable *pgt, uint64_t ipa)
{
	check(hyp_s2_map(pgt, ipa, SZ_1G, 0x40000000 + ipa, HYP_PROT_RW, HYP_MAP_PAGES), "1g_4k");
}

__attribute__((noinline)) void phase_map_1g_2m(struct hyp_pgtable *pgt, uint64_t ipa)
{
	/* PA 2M- but not 1G-aligned: 512 blocks of 2M */
	check(hyp_s2_map(pgt, ipa, SZ_1G, 0x40200000 + ipa, HYP_PROT_RW, 0), "1g_2m");
}

__attribute__((noinline)) void phase_unmap_1g_4k(struct hyp_pgtable *pgt, uint64_t ipa)
{
	check(hyp_s2_unmap(pgt, ipa, SZ_1G), "unmap_1g_4k");
}

__attribute__((noinline)) void phase_unmap_1g_2m(struct hyp_pgtable *pgt, uint64_t ipa)
{
	check(hyp_s2_unmap(pgt, ipa, SZ_1G), "unmap_1g_2m");
}

static struct hyp_sim_cpu cpu;

static void report(const char *name, unsigned long ops_done)
{
	double d = (double)ops_done;

	printf("%-22s %8lu ops | per op: DC %.3f IC %.3f TLBI-hook %.3f+%.3f range | "
	       "TLBI %.3f DSB %.3f ISB %.3f | PTE rd %.2f wr %.2f cas %.2f\n",
	       name, ops_done, n.dc / d, n.ic / d, n.tlbi_addr / d, n.tlbi_range / d,
	       cpu.counts[HYP_SIM_TLBI] / d, cpu.counts[HYP_SIM_DSB] / d,
	       cpu.counts[HYP_SIM_ISB] / d, cpu.counts[HYP_SIM_PTE_READ] / d,
	       cpu.counts[HYP_SIM_PTE_WRITE] / d, cpu.counts[HYP_SIM_PTE_CAS] / d);
	memset(&n, 0, sizeof(n));
	hyp_sim_reset_counts(&cpu);
}

static void run(bool fwb, bool linear)
{
	struct hyp_pgtable pgt;
	struct hyp_pgtable_cfg cfg = {
	    .pa_bits = 44,
	    .ia_bits = 44,
	    .granule_shift = 12,
	    .dline_shift = 6,
	    .iline_shift = 6,
	    .l1ip = HYP_L1IP_PIPT,
	    .s2fwb = fwb,
	    .dic = false,
	    .idc = true,
	    .ttl = true,
	    .tlbirange = true,
	    .vmid16 = true,
	    .linear_map = linear,
	    .linear_offset = (uint64_t)(uintptr_t)pool - POOL_PA,
	};
	const uint64_t A = 0x100000000ull; /* 4 GiB: fault-in area, 8 x 2M */
	const uint64_t B = 0x200000000ull; /* 8 GiB: new tables */
	const uint64_t C = 0x300000000ull; /* 12 GiB: 2M blocks */
	const uint64_t D = 0x400000000ull; /* 16 GiB: 1 GiB of pages */
	const uint64_t E = 0x500000000ull; /* 20 GiB: 1 GiB of 2M blocks */
	const uint64_t F = 0x600000000ull; /* 24 GiB: fault entry, 8 x 2M */
	const uint64_t G = 0x700000000ull; /* 28 GiB: fault entry, new tables */
	const uint64_t H = 0x800000000ull; /* 32 GiB: fault entry, 2M blocks */

	nfree = 0;
	for (unsigned int i = POOL_PAGES; i-- > 0;)
		free_list[nfree++] = i;
	if (hyp_s2_init(&pgt, &cfg, &ops, NULL, 1)) {
		failed = 1;
		return;
	}
	/* the table's VMID is the loaded one, as on a fault (no VTTBR switch) */
	hyp_sim_reg_define(&cpu, HYP_SYS_VTTBR_EL2, pgt.ttbr);
	printf("--- %s, FEAT_TTL, FEAT_TLBIRANGE, 44-bit IPA (start level 0)%s\n",
	       fwb ? "FEAT_S2FWB" : "no FWB", linear ? ", linear map declared" : "");
	/* tables for the fault-in area: the last page of each 2M */
	for (unsigned int r = 0; r < 8; r++)
		check(hyp_s2_map(&pgt, A + r * SZ_2M + SZ_2M - PAGE, PAGE, 0x40000000, HYP_PROT_RW,
				 0),
		      "setup");
	check(hyp_s2_map(&pgt, C + SZ_1G - PAGE, PAGE, 0x40000000, HYP_PROT_RW, 0), "setup");
	check(hyp_s2_map(&pgt, H + SZ_1G - PAGE, PAGE, 0x40000000, HYP_PROT_RW, 0), "setup");
	check(hyp_s2_map(&pgt, B + SZ_1G - SZ_2M, SZ_2M, 0x40000000, HYP_PROT_RW, 0), "setup");
	for (unsigned int r = 0; r < 8; r++)
		check(hyp_s2_map(&pgt, F + r * SZ_2M + SZ_2M - PAGE, PAGE, 0x40000000, HYP_PROT_RW,
				 0),
		      "setup");
	check(hyp_s2_map(&pgt, G + SZ_1G - SZ_2M, SZ_2M, 0x40000000, HYP_PROT_RW, 0), "setup");
	memset(&n, 0, sizeof(n));
	hyp_sim_reset_counts(&cpu);

	for (unsigned int r = 0; r < 8; r++)
		phase_fault_4k(&pgt, A + r * SZ_2M, 511);
	report("fault_4k", 8 * 511);
	for (unsigned int r = 0; r < 8; r++)
		phase_fault_4k_spurious(&pgt, A + r * SZ_2M, 511);
	report("fault_4k_spurious", 8 * 511);
	phase_fault_4k_table(&pgt, B, 511);
	report("fault_4k_new_table", 511);
	/* the fault entry: the same operations on the area F */
	for (unsigned int r = 0; r < 8; r++)
		phase_fault_entry_4k(&pgt, F + r * SZ_2M, 511);
	report("fault_entry_4k", 8 * 511);
	for (unsigned int r = 0; r < 8; r++)
		phase_fault_entry_4k_spurious(&pgt, F + r * SZ_2M, 511);
	report("fault_entry_4k_spur", 8 * 511);
	phase_fault_entry_4k_table(&pgt, G, 511);
	report("fault_entry_4k_table", 511);
	check(hyp_s2_wrprotect(&pgt, A, 8 * SZ_2M), "wrprotect");
	memset(&n, 0, sizeof(n));
	hyp_sim_reset_counts(&cpu);
	for (unsigned int r = 0; r < 8; r++)
		phase_relax_w(&pgt, A + r * SZ_2M, 511);
	report("relax_w_4k", 8 * 511);
	phase_map_2m(&pgt, C, 511);
	report("map_2m", 511);
	phase_fault_entry_2m(&pgt, H, 511);
	report("fault_entry_2m", 511);
	for (unsigned int r = 0; r < 8; r++)
		phase_unmap_4k(&pgt, A + r * SZ_2M, 511);
	report("unmap_4k", 8 * 511);
	phase_map_1g_4k(&pgt, D);
	report("map_1g_as_4k", 1);
	phase_unmap_1g_4k(&pgt, D);
	report("unmap_1g_as_4k", 1);
	phase_map_1g_2m(&pgt, E);
	report("map_1g_as_2m", 1);
	phase_unmap_1g_2m(&pgt, E);
	report("unmap_1g_as_2m", 1);
	hyp_pgtable_destroy(&pgt);
	if (nfree != POOL_PAGES) {
		fprintf(stderr, "leaked %u pages\n", POOL_PAGES - nfree);
		failed = 1;
	}
}

/* bench-stage2 [count] [nofwb|fwb] [linear]: "count" makes the hooks count
 * only (for callgrind); without nofwb/fwb both configurations run;
 * "linear" declares the pool's linear map (hyp_pgtable_cfg::linear_map). */
int main(int argc, char **argv)
{
	bool fwb = true, nofwb = true, linear = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "count"))
			hw = 0;
		else if (!strcmp(argv[i], "fwb"))
			nofwb = false;
		else if (!strcmp(argv[i], "nofwb"))
			fwb = false;
		else if (!strcmp(argv[i], "linear"))
			linear = true;
	}
	pool = aligned_alloc(PAGE, (size_t)POOL_PAGES * PAGE);
	if (!pool)
		return 1;
	hyp_sim_init(&cpu);
	/* the stage-2 TLBI hooks read HCR_EL2.TGE (Arm ARM C5.5.78) and
	 * VTTBR_EL2 (the current VMID, C5.5.16) */
	hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, 0);
	hyp_sim_reg_define(&cpu, HYP_SYS_VTTBR_EL2, 0);
	hyp_sim_set_current(&cpu);
	if (nofwb)
		run(false, linear);
	if (fwb)
		run(true, linear);
	free(pool);
	return failed;
}
