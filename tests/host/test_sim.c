/* SPDX-License-Identifier: MIT */
/* The simulated CPU behind the host backend: storage, counts, event order,
 * loud failures, MMIO regions. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <libhyp/error.h>
#include <libhyp/hw.h>

static struct hyp_sim_cpu cpu;

static void setup(void)
{
	hyp_sim_init(&cpu);
	hyp_sim_set_current(&cpu);
}

/* A failure handler that records instead of aborting. */
static char last_fail[256];
static void record_fail(struct hyp_sim_cpu *c, const char *msg, void *ctx)
{
	(void)c;
	(void)ctx;
	strncpy(last_fail, msg, sizeof(last_fail) - 1);
}

TestSuite(sim, .init = setup);

Test(sim, sysreg_storage_and_counts)
{
	cr_assert_eq(hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, 0x80000000), 0);
	cr_assert_eq(hyp_sim_reg_define(&cpu, HYP_SYS_TPIDR_EL1, 7), 0);

	cr_assert_eq(hyp_read_sysreg(HYP_SYS_HCR_EL2), 0x80000000);
	hyp_write_sysreg(HYP_SYS_HCR_EL2, 0x80000001);
	cr_assert_eq(hyp_read_sysreg(HYP_SYS_HCR_EL2), 0x80000001);
	hyp_write_sysreg(HYP_SYS_TPIDR_EL1, 9);

	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_HCR_EL2), 2);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_HCR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_TPIDR_EL1), 0);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_TPIDR_EL1), 1);
	cr_assert_eq(cpu.counts[HYP_SIM_SYSREG_READ], 2);
	cr_assert_eq(cpu.counts[HYP_SIM_SYSREG_WRITE], 2);
	cr_assert_eq(hyp_sim_total(&cpu), 4);

	uint64_t v;
	cr_assert_eq(hyp_sim_reg_peek(&cpu, HYP_SYS_TPIDR_EL1, &v), 0);
	cr_assert_eq(v, 9);
	/* peeking is not an access */
	cr_assert_eq(hyp_sim_total(&cpu), 4);
}

Test(sim, event_log_is_in_program_order)
{
	hyp_sim_reg_define(&cpu, HYP_SYS_VTTBR_EL2, 0);
	hyp_sim_reg_define(&cpu, HYP_SYS_SCTLR_EL1, 0);

	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, 5ull << 48);
	hyp_isb();
	hyp_dsb(ISHST);
	hyp_tlbi_ipas2e1is(0x80203000, HYP_TTL_4K(3));
	hyp_dsb(ISH);
	(void)hyp_read_sysreg(HYP_SYS_SCTLR_EL1);
	hyp_dmb(ISHLD);

	cr_assert_eq(cpu.log_len, 7);
	cr_assert_eq(cpu.log[0].kind, HYP_SIM_SYSREG_WRITE);
	cr_assert_eq(cpu.log[0].enc, HYP_SYS_VTTBR_EL2);
	cr_assert_eq(cpu.log[0].val, 5ull << 48);
	cr_assert_eq(cpu.log[1].kind, HYP_SIM_ISB);
	cr_assert_eq(cpu.log[2].kind, HYP_SIM_DSB);
	cr_assert_eq(cpu.log[2].arg, HYP_BARRIER_ISHST);
	cr_assert_eq(cpu.log[3].kind, HYP_SIM_TLBI);
	cr_assert_eq(cpu.log[3].arg, HYP_SIM_TLBI_IPAS2E1IS);
	/* operand: IPA >> 12 in [43:0], TTL 0b0111 (4K, level 3) in [47:44] */
	cr_assert_eq(cpu.log[3].val, 0x80203ull | (0x7ull << 44));
	/* the VMID the TLBI applied to, taken without counting a read */
	cr_assert_eq(cpu.log[3].aux >> 48, 5);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_VTTBR_EL2), 0);
	cr_assert_eq(cpu.log[4].kind, HYP_SIM_DSB);
	cr_assert_eq(cpu.log[4].arg, HYP_BARRIER_ISH);
	cr_assert_eq(cpu.log[5].kind, HYP_SIM_SYSREG_READ);
	cr_assert_eq(cpu.log[6].kind, HYP_SIM_DMB);
	cr_assert_eq(cpu.log[6].arg, HYP_BARRIER_ISHLD);

	cr_assert_eq(cpu.counts[HYP_SIM_DSB], 2);
	cr_assert_eq(cpu.counts[HYP_SIM_ISB], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_IPAS2E1IS], 1);
	cr_assert_eq(hyp_sim_log_find(&cpu, 0, HYP_SIM_DSB, ~0ull), 2);
	cr_assert_eq(hyp_sim_log_find(&cpu, 3, HYP_SIM_DSB, ~0ull), 4);
	cr_assert_eq(hyp_sim_log_find(&cpu, 0, HYP_SIM_IC_IALLU, ~0ull), -1);
}

Test(sim, every_tlbi_kind_is_counted_separately)
{
	hyp_tlbi_vmalle1is();
	hyp_tlbi_vmalls12e1is();
	hyp_tlbi_vmalls12e1is();
	hyp_tlbi_alle1is();
	hyp_tlbi_vae2is(0xffff000040001000ull, 0);
	hyp_tlbi_alle2is();

	cr_assert_eq(cpu.counts[HYP_SIM_TLBI], 6);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VMALLE1IS], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VMALLS12E1IS], 2);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_ALLE1IS], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_VAE2IS], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_ALLE2IS], 1);
	/* VA bits [55:12] land in operand bits [43:0] */
	cr_assert_eq(cpu.log[4].val, (0xffff000040001000ull >> 12) & ((1ull << 44) - 1));
	/* no VTTBR_EL2 defined: the recorded VMID context is 0, and no failure */
	cr_assert_eq(cpu.log[0].aux, 0);
	cr_assert_eq(cpu.failures, 0);
}

/* TLBI RIPAS2E1IS operand (Arm ARM C5.5): TG[47:46], SCALE[45:44],
 * NUM[43:39], TTL[38:37], BaseADDR[36:0] in granules. */
Test(sim, range_tlbi_operand_and_count)
{
	uint64_t op = hyp_tlbi_range_operand(0x80200000, 12, 1, 3, 3);

	cr_assert_eq(op, (1ull << 46) | (1ull << 44) | (3ull << 39) | (3ull << 37) | 0x80200ull);
	/* 16K and 64K granules: TG 2 and 3, BaseADDR in those granules */
	cr_assert_eq(hyp_tlbi_range_operand(0x80000000, 14, 0, 0, 0), (2ull << 46) | 0x20000ull);
	cr_assert_eq(hyp_tlbi_range_operand(0x80000000, 16, 3, 31, 2),
		     (3ull << 46) | (3ull << 44) | (31ull << 39) | (2ull << 37) | 0x8000ull);
	/* BaseADDR keeps IPA bits [48:12] only */
	cr_assert_eq(hyp_tlbi_range_operand(1ull << 49, 12, 0, 0, 0), 1ull << 46);

	hyp_tlbi_ripas2e1is(op);
	cr_assert_eq(cpu.counts[HYP_SIM_TLBI], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_RIPAS2E1IS], 1);
	cr_assert_eq(cpu.tlbi_counts[HYP_SIM_TLBI_IPAS2E1IS], 0);
	cr_assert_eq(cpu.log[0].arg, HYP_SIM_TLBI_RIPAS2E1IS);
	cr_assert_eq(cpu.log[0].val, op);
}

Test(sim, cache_maintenance_counts_lines_and_barriers)
{
	/* 0x1030..0x10b0 with 64-byte lines touches lines 0x1000, 0x1040, 0x1080 */
	hyp_dcache_clean_inval_poc(0x1030, 0x80, 6);
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], 1);
	cr_assert_eq(cpu.dc_lines, 3);
	cr_assert_eq(cpu.log[0].addr, 0x1030);
	cr_assert_eq(cpu.log[0].val, 0x80);
	cr_assert_eq(cpu.log[1].kind, HYP_SIM_DSB);
	cr_assert_eq(cpu.log[1].arg, HYP_BARRIER_ISH);

	hyp_icache_inval_pou(0x2000, 0x1000, 6);
	cr_assert_eq(cpu.ic_lines, 64);
	cr_assert_eq(cpu.log[2].kind, HYP_SIM_IC_IVAU);
	cr_assert_eq(cpu.log[3].kind, HYP_SIM_DSB);
	cr_assert_eq(cpu.log[4].kind, HYP_SIM_ISB);

	hyp_icache_inval_all();
	cr_assert_eq(cpu.counts[HYP_SIM_IC_IALLU], 1);
	cr_assert_eq(cpu.counts[HYP_SIM_DSB], 3);
	cr_assert_eq(cpu.counts[HYP_SIM_ISB], 2);

	/* an empty range is an operation on no line */
	hyp_dcache_clean_inval_poc(0x1000, 0, 6);
	cr_assert_eq(cpu.dc_lines, 3);
}

Test(sim, bad_cache_line_size_fails)
{
	hyp_sim_set_fail(&cpu, record_fail, NULL);
	hyp_dcache_clean_inval_poc(0x1000, 64, 1);
	cr_assert_eq(cpu.failures, 1);
	cr_assert_eq(cpu.dc_lines, 0);
	cr_assert_eq(cpu.counts[HYP_SIM_DC_CIVAC], 0);
}

Test(sim, undefined_register_read_aborts, .signal = SIGABRT)
{
	(void)hyp_read_sysreg(HYP_SYS_SCTLR_EL1);
}

Test(sim, undefined_register_write_aborts, .signal = SIGABRT)
{
	hyp_write_sysreg(HYP_SYS_HCR_EL2, 1);
}

Test(sim, undefined_register_is_reported_by_name)
{
	hyp_sim_set_fail(&cpu, record_fail, NULL);
	cr_assert_eq(hyp_read_sysreg(HYP_SYS_SCTLR_EL1), 0);
	cr_assert_eq(cpu.failures, 1);
	cr_assert(strstr(last_fail, "undefined register SCTLR_EL1"), "%s", last_fail);
	/* a failed access is not counted as an access */
	cr_assert_eq(hyp_sim_total(&cpu), 0);
}

Test(sim, read_only_register_write_fails)
{
	hyp_sim_set_fail(&cpu, record_fail, NULL);
	hyp_sim_reg_define(&cpu, HYP_SYS_MIDR_EL1, 0x410fd034);
	hyp_write_sysreg(HYP_SYS_MIDR_EL1, 0);
	cr_assert_eq(cpu.failures, 1);
	cr_assert(strstr(last_fail, "read-only register MIDR_EL1"), "%s", last_fail);
	uint64_t v;
	hyp_sim_reg_peek(&cpu, HYP_SYS_MIDR_EL1, &v);
	cr_assert_eq(v, 0x410fd034);
}

Test(sim, define_rejects_bad_input)
{
	cr_assert_eq(hyp_sim_reg_define(&cpu, 0x0123, 0), HYP_EINVAL);
	cr_assert_eq(hyp_sim_reg_hooks(&cpu, HYP_SYS_HCR_EL2, NULL, NULL, NULL), HYP_ENOENT);
	uint64_t v = 42;
	cr_assert_eq(hyp_sim_reg_peek(&cpu, HYP_SYS_HCR_EL2, &v), HYP_ENOENT);
	cr_assert_eq(v, 42);
}

Test(sim, register_slots_run_out_cleanly)
{
	unsigned defined = 0;
	int rc = 0;

	/* op0=3 op1=0..7 CRn=11 (unused by the table) CRm, op2: plenty */
	for (unsigned i = 0; i < 1024 && rc == 0; i++) {
		rc = hyp_sim_reg_define(&cpu, HYP_SYSREG_ENC(3, i >> 7, 11, (i >> 3) & 15, i & 7), i);
		defined += rc == 0;
	}
	cr_assert_eq(rc, HYP_ENOMEM);
	cr_assert_eq(defined, HYP_SIM_MAX_REGS);
	/* all still readable with their values */
	for (unsigned i = 0; i < defined; i++)
		cr_assert_eq(hyp_read_sysreg(HYP_SYSREG_ENC(3, i >> 7, 11, (i >> 3) & 15, i & 7)), i);
}

static uint64_t elrsr_read(struct hyp_sim_cpu *c, uint16_t enc, void *ctx)
{
	(void)c;
	(void)enc;
	return ++*(uint64_t *)ctx;
}

static void sctlr_write(struct hyp_sim_cpu *c, uint16_t enc, uint64_t val, void *ctx)
{
	(void)ctx;
	/* a write hook may keep a transformed value */
	hyp_sim_reg_define(c, enc, val | 1);
}

Test(sim, register_hooks)
{
	uint64_t n = 0;

	hyp_sim_reg_define(&cpu, HYP_SYS_MPIDR_EL1, 0);
	cr_assert_eq(hyp_sim_reg_hooks(&cpu, HYP_SYS_MPIDR_EL1, elrsr_read, NULL, &n), 0);
	cr_assert_eq(hyp_read_sysreg(HYP_SYS_MPIDR_EL1), 1);
	cr_assert_eq(hyp_read_sysreg(HYP_SYS_MPIDR_EL1), 2);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_MPIDR_EL1), 2);

	hyp_sim_reg_define(&cpu, HYP_SYS_SCTLR_EL1, 0);
	hyp_sim_reg_hooks(&cpu, HYP_SYS_SCTLR_EL1, NULL, sctlr_write, NULL);
	hyp_write_sysreg(HYP_SYS_SCTLR_EL1, 0x30d00800);
	cr_assert_eq(hyp_read_sysreg(HYP_SYS_SCTLR_EL1), 0x30d00801);
}

static uint64_t gich_read(struct hyp_sim_mmio *r, uint64_t off, unsigned width)
{
	(void)width;
	*(uint64_t *)r->ctx = off;
	return 0x90000000u | off;
}

static uint64_t written_off, written_val;
static void gich_write(struct hyp_sim_mmio *r, uint64_t off, unsigned width, uint64_t val)
{
	(void)r;
	(void)width;
	written_off = off;
	written_val = val;
}

Test(sim, mmio_regions_backing_and_hooks)
{
	uint8_t mem[0x100] = { 0 };
	uint64_t last_off = 0;
	struct hyp_sim_mmio dist = { .name = "GICD", .base = 0x08000000, .size = 0x100,
				     .backing = mem };
	struct hyp_sim_mmio gich = { .name = "GICH", .base = 0x08030000, .size = 0x1000,
				     .widths = 4, .read = gich_read, .write = gich_write,
				     .ctx = &last_off };

	cr_assert_eq(hyp_sim_mmio_add(&cpu, &dist), 0);
	cr_assert_eq(hyp_sim_mmio_add(&cpu, &gich), 0);

	hyp_mmio_write32(0x08000004, 0xdeadbeef);
	cr_assert_eq(mem[4], 0xef);
	cr_assert_eq(mem[7], 0xde);
	cr_assert_eq(hyp_mmio_read32(0x08000004), 0xdeadbeef);
	hyp_mmio_write64(0x08000010, 0x1122334455667788ull);
	cr_assert_eq(hyp_mmio_read64(0x08000010), 0x1122334455667788ull);
	cr_assert_eq(hyp_mmio_read32(0x08000014), 0x11223344);

	cr_assert_eq(hyp_mmio_read32(0x08030100), 0x90000100);
	cr_assert_eq(last_off, 0x100);
	hyp_mmio_write32(0x08030004, 5);
	cr_assert_eq(written_off, 4);
	cr_assert_eq(written_val, 5);

	/* per-frame counts: what "touched no GICH register" is asserted on */
	cr_assert_eq(dist.reads, 3);
	cr_assert_eq(dist.writes, 2);
	cr_assert_eq(gich.reads, 1);
	cr_assert_eq(gich.writes, 1);
	cr_assert_eq(cpu.counts[HYP_SIM_MMIO_READ], 4);
	cr_assert_eq(cpu.counts[HYP_SIM_MMIO_WRITE], 3);

	int i = hyp_sim_log_find(&cpu, 0, HYP_SIM_MMIO_WRITE, 0x08030004);
	cr_assert_eq(i, 6);
	cr_assert_eq(cpu.log[i].arg, 4);

	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(dist.reads, 0);
	cr_assert_eq(gich.writes, 0);
	cr_assert_eq(cpu.log_len, 0);
	/* regions and values survive a count reset */
	cr_assert_eq(hyp_mmio_read32(0x08000004), 0xdeadbeef);
}

Test(sim, mmio_bad_accesses_fail)
{
	uint8_t mem[0x10];
	struct hyp_sim_mmio r = { .name = "GICC", .base = 0x1000, .size = 0x10, .widths = 4,
				  .backing = mem };
	struct hyp_sim_mmio nohook = { .name = "EMPTY", .base = 0x2000, .size = 0x10 };

	hyp_sim_set_fail(&cpu, record_fail, NULL);
	hyp_sim_mmio_add(&cpu, &r);
	hyp_sim_mmio_add(&cpu, &nohook);

	cr_assert_eq(hyp_mmio_read32(0x3000), 0);
	cr_assert(strstr(last_fail, "outside every simulated region"), "%s", last_fail);
	(void)hyp_mmio_read64(0x1000);
	cr_assert(strstr(last_fail, "not accepted by GICC"), "%s", last_fail);
	(void)hyp_mmio_read32(0x1002);
	hyp_mmio_write32(0x100e, 1);
	(void)hyp_mmio_read32(0x2000);
	cr_assert(strstr(last_fail, "EMPTY has neither hook nor backing"), "%s", last_fail);
	cr_assert_eq(cpu.failures, 5);
	cr_assert_eq(r.reads + r.writes + nohook.reads, 0);
	cr_assert_eq(hyp_sim_total(&cpu), 0);
}

Test(sim, mmio_outside_regions_aborts_by_default, .signal = SIGABRT)
{
	hyp_mmio_write32(0x09000000, 'x');
}

Test(sim, mmio_add_rejects_bad_regions)
{
	struct hyp_sim_mmio a = { .base = 0x1000, .size = 0x1000 };
	struct hyp_sim_mmio overlap = { .base = 0x1800, .size = 0x1000 };
	struct hyp_sim_mmio empty = { .base = 0x4000, .size = 0 };
	struct hyp_sim_mmio wrap = { .base = ~0ull - 10, .size = 0x100 };
	struct hyp_sim_mmio more[HYP_SIM_MAX_MMIO];

	cr_assert_eq(hyp_sim_mmio_add(&cpu, &a), 0);
	cr_assert_eq(hyp_sim_mmio_add(&cpu, &overlap), HYP_EINVAL);
	cr_assert_eq(hyp_sim_mmio_add(&cpu, &empty), HYP_EINVAL);
	cr_assert_eq(hyp_sim_mmio_add(&cpu, &wrap), HYP_EINVAL);
	cr_assert_eq(cpu.nr_mmio, 1);
	for (unsigned i = 0; i < HYP_SIM_MAX_MMIO; i++) {
		more[i] = (struct hyp_sim_mmio){ .base = 0x100000 * (i + 1), .size = 0x1000 };
		int rc = hyp_sim_mmio_add(&cpu, &more[i]);
		cr_assert_eq(rc, i + 1 < HYP_SIM_MAX_MMIO ? 0 : HYP_ENOMEM);
	}
	cr_assert_eq(cpu.nr_mmio, HYP_SIM_MAX_MMIO);
}

Test(sim, pte_atomics_are_logged_in_order)
{
	uint64_t table[4] = { 0x40000703, 0, 0, 0 };

	cr_assert_eq(hyp_pte_read(&table[0]), 0x40000703);
	hyp_pte_write(&table[0], 0);
	hyp_dsb(ISHST);
	hyp_tlbi_ipas2e1is(0x40000000, 0);
	cr_assert_eq(hyp_pte_cas(&table[0], 0, 0x40200703), 0);
	cr_assert_eq(table[0], 0x40200703);
	/* a lost race leaves the entry and reports what was there */
	cr_assert_eq(hyp_pte_cas(&table[0], 0, 0x40400703), 0x40200703);
	cr_assert_eq(table[0], 0x40200703);
	hyp_pte_store_release(&table[1], 5);
	cr_assert_eq(hyp_pte_load_acquire(&table[1]), 5);

	cr_assert_eq(cpu.counts[HYP_SIM_PTE_READ], 2);
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_WRITE], 2);
	cr_assert_eq(cpu.counts[HYP_SIM_PTE_CAS], 2);

	/* reads are counted but not logged unless asked */
	uint64_t a = (uint64_t)(uintptr_t)&table[0];
	int clr = hyp_sim_log_find(&cpu, 0, HYP_SIM_PTE_WRITE, a);
	int tlbi = hyp_sim_log_find(&cpu, 0, HYP_SIM_TLBI, ~0ull);
	int set = hyp_sim_log_find(&cpu, 0, HYP_SIM_PTE_CAS, a);
	cr_assert_eq(clr, 0);
	cr_assert(clr < tlbi && tlbi < set, "break-before-make order: %d %d %d", clr, tlbi, set);
	cr_assert_eq(cpu.log[set].arg, 1);
	cr_assert_eq(cpu.log[set + 1].arg, 0);
	cr_assert_eq(cpu.log[set + 1].aux, 0x40200703);
	int rel = hyp_sim_log_find(&cpu, 0, HYP_SIM_PTE_WRITE, (uint64_t)(uintptr_t)&table[1]);
	cr_assert_eq(cpu.log[rel].arg, 1);

	cpu.log_pte_reads = true;
	(void)hyp_pte_read(&table[2]);
	cr_assert_eq(cpu.log[cpu.log_len - 1].kind, HYP_SIM_PTE_READ);
}

Test(sim, log_is_bounded_but_counts_continue)
{
	for (unsigned i = 0; i < HYP_SIM_LOG_MAX + 10; i++)
		hyp_isb();
	cr_assert_eq(cpu.log_len, HYP_SIM_LOG_MAX);
	cr_assert(cpu.log_overflow);
	cr_assert_eq(cpu.counts[HYP_SIM_ISB], HYP_SIM_LOG_MAX + 10);
	hyp_sim_reset_counts(&cpu);
	cr_assert(!cpu.log_overflow);
	cr_assert_eq(cpu.counts[HYP_SIM_ISB], 0);
}

Test(sim, no_current_cpu_aborts, .signal = SIGABRT)
{
	hyp_sim_set_current(NULL);
	hyp_isb();
}

static void *other_cpu(void *arg)
{
	struct hyp_sim_cpu *c = arg;

	/* a new thread starts with no current CPU */
	cr_assert_null(hyp_sim_current());
	hyp_sim_set_current(c);
	hyp_write_sysreg(HYP_SYS_TPIDR_EL1, 2);
	hyp_dsb(SY);
	return NULL;
}

Test(sim, current_cpu_is_per_thread)
{
	static struct hyp_sim_cpu cpu1;
	pthread_t t;

	hyp_sim_init(&cpu1);
	hyp_sim_reg_define(&cpu, HYP_SYS_TPIDR_EL1, 0);
	hyp_sim_reg_define(&cpu1, HYP_SYS_TPIDR_EL1, 0);
	hyp_write_sysreg(HYP_SYS_TPIDR_EL1, 1);
	cr_assert_eq(pthread_create(&t, NULL, other_cpu, &cpu1), 0);
	pthread_join(t, NULL);

	cr_assert_eq(hyp_sim_current(), &cpu);
	cr_assert_eq(hyp_read_sysreg(HYP_SYS_TPIDR_EL1), 1);
	uint64_t v;
	hyp_sim_reg_peek(&cpu1, HYP_SYS_TPIDR_EL1, &v);
	cr_assert_eq(v, 2);
	cr_assert_eq(cpu1.counts[HYP_SIM_DSB], 1);
	cr_assert_eq(cpu.counts[HYP_SIM_DSB], 0);
}

Test(sim, kind_names)
{
	cr_assert_str_eq(hyp_sim_kind_name(HYP_SIM_TLBI), "TLBI");
	cr_assert_str_eq(hyp_sim_kind_name(HYP_SIM_PTE_CAS), "PTE_CAS");
	cr_assert_str_eq(hyp_sim_kind_name(HYP_SIM_KIND_COUNT), "?");
	for (unsigned k = 0; k < HYP_SIM_KIND_COUNT; k++)
		cr_assert_neq(strcmp(hyp_sim_kind_name(k), "?"), 0);
}

Test(sim, define_a_class_of_registers_from_the_table)
{
	hyp_sim_reg_define(&cpu, HYP_SYS_SCTLR_EL1, 0x1234);
	cr_assert_eq(hyp_sim_define_table(&cpu, HYP_RF_EL1, true), 0);
	/* every EL1 context register and its EL12 alias, existing values kept */
	cr_assert_eq(hyp_read_sysreg(HYP_SYS_SCTLR_EL1), 0x1234);
	cr_assert_eq(hyp_read_sysreg(HYP_SYSREG_E12(HYP_SYS_TCR_EL1)), 0);
	cr_assert_eq(hyp_read_sysreg(HYP_SYS_TPIDR_EL1), 0);
	cr_assert_eq(cpu.failures, 0);
	/* nothing outside the class */
	uint64_t v;
	cr_assert_eq(hyp_sim_reg_peek(&cpu, HYP_SYS_HCR_EL2, &v), HYP_ENOENT);
	cr_assert_eq(hyp_sim_reg_peek(&cpu, HYP_SYSREG_E12(HYP_SYS_TPIDR_EL1), &v), HYP_ENOENT);
	/* without aliases */
	cr_assert_eq(hyp_sim_define_table(&cpu, HYP_RF_ID, false), 0);
	cr_assert_eq(hyp_sim_reg_peek(&cpu, HYP_SYS_ID_AA64MMFR1_EL1, &v), 0);
}
