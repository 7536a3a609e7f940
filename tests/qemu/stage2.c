/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 and EL2 stage-1 tables on a real (emulated) CPU with the
 * aarch64 backend:
 * 1. EL2 stage 1: identity-map the image and RAM (blocks), the PL011 as
 *    Device-nGnRE, and turn the EL2 MMU on with hyp_el2_mmu_enable();
 *    everything after that (this output included) runs through it.
 * 2. Stage 2: a guest code block (2M, RX), two data pages and a data
 *    block (2M, RW); VTCR_EL2/VTTBR_EL2 from the library, HCR_EL2.VM.
 * 3. An EL1 stub (stage2_guest.S) reads and writes through the page and
 *    block mappings, then touches an unmapped IPA: the stage-2 data abort
 *    must report the expected ESR_EL2 (EC, DFSC: level-3 translation
 *    fault), FAR_EL2 and HPFAR_EL2. EL2 maps the page (a fault-in) and
 *    resumes the guest, which reads the new page and leaves with HVC.
 * 4. Unmap, range unmap (FEAT_TLBIRANGE on -cpu max) and destroy with the
 *    tables live, to execute the TLBIs.
 * 5. Maintenance of a table whose VMID is not loaded.
 * 6. A RAM-sized executable map with HYP_MAP_IC_ONCE (one I-cache call),
 *    the guest running code EL2 wrote before the map (issue 15).
 * Run on -cpu max (FWB, TTL, range TLBIs; HCR_EL2.E2H as found, 0 with
 * QEMU 7.2), again on -cpu max with E2H set first (STAGE2_TEST_VHE: the
 * EL2&0 regime's TCR_EL2 layout and descriptors), and on -cpu cortex-a57
 * (none of those features: D-cache maintenance on every new leaf).
 */
#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/cpufeat.h>
#include <libhyp/el2_pgtable.h>
#include <libhyp/stage2.h>

#include "testlib.h"

#define PAGE	 4096ull
#define SZ_2M	 (2ull << 20)
#define IMAGE	 0x40200000ull /* link.ld */
#define RAM	 0x40000000ull /* run-qemu.py gives 512 MiB */
#define RAM_SIZE (512ull << 20)
#define UART	 0x09000000ull

#define G_CODE	 0x80000000ull	      /* IPA of the image (2M block) */
#define G_PAGES	 0x80400000ull	      /* two 4K pages */
#define G_HOLE	 (G_PAGES + 2 * PAGE) /* unmapped until the guest faults on it */
#define G_BLOCK	 0x80600000ull	      /* a 2M block */
#define BLOCK_PA 0x48000000ull
/* 6. (issue 15) a VM's RAM mapped at once: one 4K page below a 2M
 * boundary, then two 2M blocks, RWX, HYP_MAP_IC_ONCE */
#define G_X	 0x8ffff000ull
#define X_PA	 0x4ffff000ull
#define X_SIZE	 (PAGE + 2 * SZ_2M)
#define X_CODE	 0x40ull /* the code's offset in the first 2M block */

#define HCR_VM	(1ull << 0)
#define HCR_RW	(1ull << 31)
#define HCR_TGE (1ull << 27)
#define HCR_E2H (1ull << 34)
#define HCR_FWB (1ull << 46)

#define POOL_PAGES 48u

uint64_t s2_run_guest(uint64_t entry, uint64_t a0, uint64_t a1, uint64_t a2);
uint64_t s2_guest_exit(uint64_t *regs);
extern char s2_guest[], s2_vectors[];

static uint8_t pool[POOL_PAGES * PAGE] __attribute__((aligned(16 * 4096)));
static uint8_t pool_used[POOL_PAGES];
static uint16_t pool_refs[POOL_PAGES];
static uint8_t guest_data[4 * PAGE] __attribute__((aligned(4096)));
static struct hyp_pgtable el2, s2;
static unsigned int aborts, fails;
static uint64_t hvc_x0; /* the guest's x0 at its last HVC */

static void *zalloc(struct hyp_pgtable *pgt, unsigned int n)
{
	(void)pgt;
	for (unsigned int i = 0; i + n <= POOL_PAGES; i += n) {
		unsigned int j = 0;
		while (j < n && !pool_used[i + j])
			j++;
		if (j < n)
			continue;
		for (j = 0; j < n; j++) {
			pool_used[i + j] = 1;
			pool_refs[i + j] = 1;
		}
		for (uint64_t k = 0; k < n * PAGE; k++)
			pool[i * PAGE + k] = 0;
		return &pool[i * PAGE];
	}
	return 0;
}

static void pfree(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	unsigned int i = (unsigned int)(((uint8_t *)va - pool) / PAGE);

	(void)pgt;
	while (n--)
		pool_used[i++] = 0;
}

static void get_page(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	(void)pgt;
	pool_refs[((uint8_t *)va - pool) / PAGE] += (uint16_t)n;
}

static unsigned int put_page(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	(void)pgt;
	return pool_refs[((uint8_t *)va - pool) / PAGE] -= (uint16_t)n;
}

static unsigned int pool_in_use(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < POOL_PAGES; i++)
		n += pool_used[i];
	return n;
}

/* EL2 is identity-mapped, so no phys/virt hooks; maintenance through
 * libhyp/hw.h. */
static const struct hyp_pgtable_ops ops = {
    .zalloc_pages = zalloc,
    .free_pages = pfree,
    .get_page = get_page,
    .put_page = put_page,
    .dcache_clean_inval_poc = hyp_pgtable_dcache_clean_inval_hw,
    .icache_inval_pou = hyp_pgtable_icache_inval_hw,
    .tlbi_addr = hyp_pgtable_tlbi_addr_hw,
    .tlbi_range = hyp_pgtable_tlbi_range_hw,
    .tlbi_all = hyp_pgtable_tlbi_all_hw,
};

static void check(const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		return;
	fails++;
	test_puts("FAIL: ");
	test_puts(what);
	test_print_reg(" got", got);
	test_print_reg("  want", want);
}

static void ok(const char *what)
{
	if (!fails) {
		test_puts(what);
		test_puts(" ok\n");
	}
}

/* The configuration read straight from the ID registers, to cross-check
 * hyp_pgtable_cfg_from_cpufeat() (field positions: Arm ARM D24.2.88
 * ID_AA64MMFR0_EL1, D24.2.89 MMFR1, D24.2.90 MMFR2, D24.2.84 ISAR0,
 * D24.2.42 CTR_EL0). */
static void read_cfg(struct hyp_pgtable_cfg *c)
{
	static const uint8_t parange[8] = {32, 36, 40, 42, 44, 48, 52, 52};
	uint64_t mmfr0 = hyp_read_sysreg(HYP_SYS_ID_AA64MMFR0_EL1);
	uint64_t mmfr1 = hyp_read_sysreg(HYP_SYS_ID_AA64MMFR1_EL1);
	uint64_t mmfr2 = hyp_read_sysreg(HYP_SYS_ID_AA64MMFR2_EL1);
	uint64_t isar0 = hyp_read_sysreg(HYP_SYS_ID_AA64ISAR0_EL1);
	uint64_t ctr = hyp_read_sysreg(HYP_SYS_CTR_EL0);

	c->pa_bits = parange[mmfr0 & 7]; /* PARange [3:0] */
	c->granule_shift = 12;
	c->vmid16 = ((mmfr1 >> 4) & 0xf) == 2;	   /* VMIDBits [7:4] */
	c->s2fwb = ((mmfr2 >> 40) & 0xf) != 0;	   /* FWB [43:40] */
	c->ttl = ((mmfr2 >> 48) & 0xf) != 0;	   /* TTL [51:48] */
	c->tlbirange = ((isar0 >> 56) & 0xf) == 2; /* TLB [59:56] */
	c->idc = (ctr >> 28) & 1;
	c->dic = (ctr >> 29) & 1;
	c->dline_shift = (uint8_t)(((ctr >> 16) & 0xf) + 2); /* DminLine, in words */
	c->iline_shift = (uint8_t)((ctr & 0xf) + 2);	     /* IminLine */
	c->l1ip = (uint8_t)((ctr >> 14) & 3);		     /* L1Ip [15:14] (D24.2.42) */
}

uint64_t s2_guest_exit(uint64_t *regs)
{
	uint64_t esr = hyp_read_sysreg(HYP_SYS_ESR_EL2);
	uint64_t ec = esr >> 26;

	if (ec == 0x24 && aborts++ == 0) {
		/* Data abort from a lower EL (Arm ARM, ESR_EL2; ISS for data
		 * aborts): ISV, SAS = doubleword, SRT = x6, SF, read, DFSC
		 * 0b000111 = translation fault, level 3. HPFAR_EL2.FIPA
		 * [43:4] holds IPA[55:12]. */
		uint64_t far = hyp_read_sysreg(HYP_SYS_FAR_EL2);
		uint64_t hpfar = hyp_read_sysreg(HYP_SYS_HPFAR_EL2);

		test_print_reg("ESR_EL2", esr);
		test_print_reg("FAR_EL2", far);
		test_print_reg("HPFAR_EL2", hpfar);
		check("abort: EC", ec, 0x24);
		check("abort: DFSC", esr & 0x3f, 0x07);
		check("abort: WnR", (esr >> 6) & 1, 0);
		check("abort: ISV/SAS/SRT/SF", (esr >> 15) & 0x3ff,
		      (1 << 9) | (3 << 7) | (6 << 1) | 1);
		check("abort: HPFAR_EL2", hpfar, (G_HOLE >> 12) << 4);
		check("abort: FAR_EL2", far, G_HOLE);
		ok("stage-2 abort");
		/* the fault-in: map the page and let the guest retry */
		check("fault-in map",
		      (uint64_t)hyp_s2_map(&s2, G_HOLE, PAGE, (uintptr_t)&guest_data[2 * PAGE],
					   HYP_PROT_RW, HYP_MAP_SHARED),
		      0);
		return 0;
	}
	if (ec == 0x16) { /* HVC64 */
		test_puts("guest HVC\n");
		hvc_x0 = regs[0];
		return 1;
	}
	test_print_reg("FAIL: unexpected guest exit, ESR_EL2", esr);
	test_print_reg("ELR_EL2", hyp_read_sysreg(HYP_SYS_ELR_EL2));
	test_power_off();
}

static uint64_t rd(uint64_t addr)
{
	hyp_dcache_clean_inval_poc((uintptr_t)addr, 8, 4); /* the guest wrote uncached */
	return *(volatile uint64_t *)addr;
}

void test_main(void)
{
	struct hyp_pgtable_cfg cfg = {0};
	uint64_t hcr = hyp_read_sysreg(HYP_SYS_HCR_EL2);
	uint64_t pa;
	unsigned int prot;

#ifdef STAGE2_TEST_VHE
	/* The VHE variant: EL2&0 regime tables (HCR_EL2.E2H = 1). */
	if ((hyp_read_sysreg(HYP_SYS_ID_AA64MMFR1_EL1) >> 8) & 0xf) { /* VH [11:8] */
		hcr |= HCR_E2H;
		hyp_write_sysreg(HYP_SYS_HCR_EL2, hcr);
		hyp_isb();
	}
#endif
	const bool vhe = hcr & HCR_E2H;

	test_puts("libhyp stage2 test\n");
	test_print_reg("E2H", vhe);
	/* the configuration from cpufeat in one call, checked field by field
	 * against the registers themselves */
	{
		static struct hyp_cpufeat_cpu feat_cpus[1];
		struct hyp_pgtable_cfg direct = {0};

		check("cpufeat init", (uint64_t)hyp_cpufeat_init(feat_cpus, 1), 0);
		check("cpufeat probe", (uint64_t)hyp_cpufeat_probe_cpu(0), 0);
		check("cpufeat finalize", (uint64_t)hyp_cpufeat_finalize(NULL, 0, NULL), 0);
		check("cfg from cpufeat", (uint64_t)hyp_pgtable_cfg_from_cpufeat(&cfg, 48), 0);
		read_cfg(&direct);
		check("cfg pa_bits", cfg.pa_bits, direct.pa_bits);
		check("cfg ia_bits", cfg.ia_bits, direct.pa_bits < 48 ? direct.pa_bits : 48);
		check("cfg granule", cfg.granule_shift, 12);
		check("cfg dline", cfg.dline_shift, direct.dline_shift);
		check("cfg iline", cfg.iline_shift, direct.iline_shift);
		check("cfg l1ip", cfg.l1ip, direct.l1ip);
		check("cfg fwb", cfg.s2fwb, direct.s2fwb);
		check("cfg dic", cfg.dic, direct.dic);
		check("cfg idc", cfg.idc, direct.idc);
		check("cfg ttl", cfg.ttl, direct.ttl);
		check("cfg tlbirange", cfg.tlbirange, direct.tlbirange);
		check("cfg vmid16", cfg.vmid16, direct.vmid16);
		ok("page-table configuration from cpufeat");
	}
	test_print_reg("PA bits", cfg.pa_bits);
	test_print_reg("FWB", cfg.s2fwb);
	test_print_reg("TLBIRANGE", cfg.tlbirange);

	/* 1. EL2 stage 1, then the MMU on */
	cfg.ia_bits = 39;
	/* The regime from the EL2 mode record (one MRS of HCR_EL2), no flag. */
	check("el2 mode recorded", (uint64_t)hyp_cpufeat_read_el2_mode(), 0);
	check("el2 init", (uint64_t)hyp_el2_init(&el2, &cfg, &ops, 0, 0), 0);
	check("el2 regime from the record", el2.stage, vhe ? HYP_PGT_EL2_VHE : HYP_PGT_EL2);
	check("el2 map image", (uint64_t)hyp_el2_map(&el2, RAM, 2 * SZ_2M, RAM, HYP_PROT_RWX), 0);
	check("el2 map RAM",
	      (uint64_t)hyp_el2_map(&el2, RAM + 2 * SZ_2M, RAM_SIZE - 2 * SZ_2M, RAM + 2 * SZ_2M,
				    HYP_PROT_RW),
	      0);
	check("el2 map UART",
	      (uint64_t)hyp_el2_map(&el2, UART, PAGE, UART, HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE), 0);
	check("el2 image leaf", (uint64_t)hyp_pgtable_translate(&el2, IMAGE + 0x1234, &pa, &prot),
	      0);
	check("el2 identity", pa, IMAGE + 0x1234);
	check("el2 mmu enable", (uint64_t)hyp_el2_mmu_enable(&el2), 0);
	test_print_reg("SCTLR_EL2.M", hyp_read_sysreg(HYP_SYS_SCTLR_EL2) & 1);
	ok("EL2 MMU on");
	const unsigned int el2_pages = pool_in_use();

	/* 2. stage 2 */
	cfg.ia_bits = cfg.pa_bits < 40 ? cfg.pa_bits : 40;
	/* libhyp's lock moved to bit 58: the integrator's software bits are
	 * then descriptor bits [57:55] (see below) */
	cfg.lock_bit = 58;
	check("s2 init", (uint64_t)hyp_s2_init(&s2, &cfg, &ops, 0, 1), 0);
	test_print_reg("VTCR_EL2", s2.ctlr);
	check("s2 load", (uint64_t)hyp_s2_load(&s2), 0);
	/* what the guest will read, written before the maps clean it */
	*(volatile uint64_t *)&guest_data[0] = 0x1234;
	*(volatile uint64_t *)&guest_data[2 * PAGE] = 0x9abc;
	*(volatile uint64_t *)(BLOCK_PA + 0x100) = 0x5678;
	check("map code", (uint64_t)hyp_s2_map(&s2, G_CODE, SZ_2M, IMAGE, HYP_PROT_RX, 0), 0);
	check("map pages",
	      (uint64_t)hyp_s2_map(&s2, G_PAGES, 2 * PAGE, (uintptr_t)guest_data, HYP_PROT_RW, 0),
	      0);
	/* the 2M fault entry (the tables of G_CODE's 1G are there: the
	 * inline path), then the guest reads and writes through the block */
	check("map block",
	      (uint64_t)hyp_s2_fault_map_2m(&s2, G_BLOCK, BLOCK_PA, HYP_PROT_RW, 0), 0);
	hyp_pte_t pte = 0;
	unsigned int level = 0;
	hyp_pgtable_get_leaf(&s2, G_BLOCK, &pte, &level);
	check("block is a level-2 block", level * 4 + (pte & 3), 2 * 4 + 1);
	/* The integrator's three software bits set on the first guest page and
	 * the block: descriptor bits 55..57 (bit 58 is the lock). Bits [58:55]
	 * of a block or page descriptor are IGNORED by the hardware walker
	 * (Arm ARM D8.3), so the guest's accesses below must be unaffected. */
	check("s2 sw bits on a page",
	      (uint64_t)hyp_s2_set_sw_bits(&s2, G_PAGES, 0x0700000000000000ull,
					   0x0700000000000000ull, 0),
	      0);
	check("s2 sw bits on the block",
	      (uint64_t)hyp_s2_set_sw_bits(&s2, G_BLOCK, 0x0700000000000000ull,
					   0x0700000000000000ull, 0),
	      0);
	hyp_pgtable_get_leaf(&s2, G_PAGES, &pte, &level);
	check("page descriptor bits [58:55]", (pte >> 55) & 0xf, 0x7);
	hyp_pgtable_get_leaf(&s2, G_BLOCK, &pte, &level);
	check("block descriptor bits [58:55]", (pte >> 55) & 0xf, 0x7);

	hyp_write_sysreg(HYP_SYS_HCR_EL2,
			 HCR_VM | HCR_RW | (vhe ? HCR_E2H : 0) | (cfg.s2fwb ? HCR_FWB : 0));
	/* the guest's SCTLR_EL1: MMU and caches off (RES1 bits of ARMv8.0) */
	if (vhe)
		hyp_write_sysreg(HYP_SYSREG_E12(HYP_SYS_SCTLR_EL1), 0x30d00800);
	else
		hyp_write_sysreg(HYP_SYS_SCTLR_EL1, 0x30d00800);
	hyp_write_sysreg(HYP_SYS_VBAR_EL2, (uintptr_t)s2_vectors);
	hyp_isb();

	/* 3. the guest */
	s2_run_guest(G_CODE + ((uintptr_t)s2_guest - IMAGE), G_PAGES, G_BLOCK, G_HOLE);
	check("one abort", aborts, 1);
	check("guest read+write a page", rd((uintptr_t)&guest_data[8]), 0x1235);
	ok("page mapping");
	check("guest read+write the block", rd(BLOCK_PA + 0x108), 0x567a);
	ok("block mapping");
	check("guest read the faulted-in page", rd((uintptr_t)&guest_data[16]), 0x9abc);
	ok("fault-in");
	{
		uint64_t bits = 0;

		check("s2 sw bits kept", (uint64_t)hyp_s2_get_sw_bits(&s2, G_PAGES, &bits), 0);
		check("s2 sw bits value", bits, 0x0700000000000000ull);
		ok("software bits [57:55] with the lock at 58, ignored by the walker");
	}

	/* 4. maintenance on live tables */
	hyp_write_sysreg(HYP_SYS_HCR_EL2, (vhe ? HCR_E2H : 0) | HCR_RW);
	hyp_isb();
	check("unmap block", (uint64_t)hyp_s2_unmap(&s2, G_BLOCK, SZ_2M), 0);
	check("unmapped", (uint64_t)hyp_pgtable_translate(&s2, G_BLOCK, &pa, &prot),
	      (uint64_t)(int64_t)HYP_ENOENT);
	check("map 100 pages",
	      (uint64_t)hyp_s2_map(&s2, G_BLOCK, 100 * PAGE, BLOCK_PA, HYP_PROT_RW, HYP_MAP_PAGES),
	      0);
	/* A VHE host between guests runs with TGE set: the TLBI hooks clear it
	 * around TLBI VMALLE1IS (else EL2&0: Arm ARM C5.5.78), then restore it. */
	if (vhe) {
		hyp_write_sysreg(HYP_SYS_HCR_EL2, HCR_E2H | HCR_RW | HCR_TGE);
		hyp_isb();
	}
	check("unmap 99 pages", (uint64_t)hyp_s2_unmap(&s2, G_BLOCK, 99 * PAGE), 0);
	check("relax", (uint64_t)hyp_s2_relax(&s2, G_BLOCK + 99 * PAGE, HYP_PROT_X, 0), 0);
	check("HCR_EL2 as it was", hyp_read_sysreg(HYP_SYS_HCR_EL2),
	      vhe ? HCR_E2H | HCR_RW | HCR_TGE : HCR_RW);
	hyp_write_sysreg(HYP_SYS_HCR_EL2, (vhe ? HCR_E2H : 0) | HCR_RW);
	hyp_isb();
	check("split", (uint64_t)hyp_s2_split(&s2, G_CODE, PAGE), 0);
	check("collapse", (uint64_t)hyp_s2_collapse(&s2, G_CODE, SZ_2M), 1);
	ok("maintenance");

	/* 5. maintenance of a table whose VMID is not the loaded one: the
	 * TLBIs act on the current VMID (Arm ARM C5.5.16), so the hooks load
	 * the table's VTTBR_EL2 around them and restore the loaded one. */
	{
		static struct hyp_pgtable s2b;

		check("s2b init", (uint64_t)hyp_s2_init(&s2b, &cfg, &ops, 0, 7), 0);
		check("s2b load", (uint64_t)hyp_s2_load(&s2b), 0);
		check("unmap, other VMID loaded", (uint64_t)hyp_s2_unmap(&s2, G_HOLE, PAGE), 0);
		check("VTTBR_EL2 restored", hyp_read_sysreg(HYP_SYS_VTTBR_EL2), s2b.ttbr);
		check("unmapped in VMID 1", (uint64_t)hyp_pgtable_translate(&s2, G_HOLE, &pa, &prot),
		      (uint64_t)(int64_t)HYP_ENOENT);
		hyp_pgtable_tlbi_all_hw(&s2);
		check("VTTBR_EL2 restored after VMALLS12E1IS", hyp_read_sysreg(HYP_SYS_VTTBR_EL2),
		      s2b.ttbr);
		hyp_pgtable_destroy(&s2b);
		check("s2 load", (uint64_t)hyp_s2_load(&s2), 0);
		ok("TLBI for a VMID not loaded");
	}
	/* 6. issue 15: RAM mapped at once, executable, with HYP_MAP_IC_ONCE:
	 * one I-cache hook call for the whole range before any leaf exists
	 * (IC IALLUIS: above 2 MiB), the D-cache cleaned per new leaf only
	 * without FWB. EL2 writes code into the range before the map; the
	 * guest, caches off, runs it. A64 encodings (Arm ARM C6.2): MOVZ X0,
	 * #0x1234 is 0xd2824680 (sf 1, opc 10, 100101, hw 0, imm16, Rd 0);
	 * HVC #0 is 0xd4000002; B . is 0x14000000. */
	{
		volatile uint32_t *code = (volatile uint32_t *)(uintptr_t)(X_PA + PAGE + X_CODE);
		struct hyp_s2_stats st;

		code[0] = 0xd2824680u;
		code[1] = 0xd4000002u;
		code[2] = 0x14000000u;
		check("s2 stats reset", (uint64_t)hyp_s2_stats_reset(&s2), 0);
		check("map RAM at once",
		      (uint64_t)hyp_s2_map(&s2, G_X, X_SIZE, X_PA, HYP_PROT_RWX, HYP_MAP_IC_ONCE), 0);
		check("s2 stats", (uint64_t)hyp_s2_stats(&s2, &st), 0);
		check("one I-cache call (none with DIC)", st.ic_ops, cfg.dic ? 0 : 1);
		check("I-cache bytes", st.ic_bytes, cfg.dic ? 0 : X_SIZE);
		/* none with FWB, CTR_EL0.IDC 0 included (QEMU's max) */
		check("a D-cache call per leaf without FWB", st.dc_ops, cfg.s2fwb ? 0 : 3);
		check("D-cache bytes", st.dc_bytes, cfg.s2fwb ? 0 : X_SIZE);
		hyp_pgtable_get_leaf(&s2, G_X, &pte, &level);
		check("edge page", level * 4 + (pte & 3), 3 * 4 + 3);
		hyp_pgtable_get_leaf(&s2, G_X + PAGE, &pte, &level);
		check("then a block", level * 4 + (pte & 3), 2 * 4 + 1);
		hyp_write_sysreg(HYP_SYS_HCR_EL2,
				 HCR_VM | HCR_RW | (vhe ? HCR_E2H : 0) | (cfg.s2fwb ? HCR_FWB : 0));
		hyp_isb();
		hvc_x0 = 0;
		s2_run_guest(G_X + PAGE + X_CODE, 0, 0, 0);
		check("the guest ran the code EL2 wrote", hvc_x0, 0x1234);
		hyp_write_sysreg(HYP_SYS_HCR_EL2, (vhe ? HCR_E2H : 0) | HCR_RW);
		hyp_isb();
		check("unmap RAM", (uint64_t)hyp_s2_unmap(&s2, G_X, X_SIZE), 0);
		ok("RAM mapped at once");
	}
	hyp_pgtable_destroy(&s2);
	check("stage-2 tables freed", pool_in_use(), el2_pages);
	if (!fails)
		test_puts("stage2 done\n");
}
