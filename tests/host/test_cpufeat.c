/* SPDX-License-Identifier: MIT */
/* cpufeat on the simulated CPU: probing reads each ID register once,
 * sanitising rules, capabilities of real CPUs, late CPUs, guest views, and
 * no ID-register read after finalize. */
#include <criterion/criterion.h>
#include <string.h>

#include <libhyp/cpufeat.h>
#include <libhyp/hw.h>
#include <libhyp/pgtable.h>

/* ID register values of real CPUs, from their Technical Reference Manuals
 * ("AArch64 identification registers"; the same values QEMU models), with
 * the GIC system-register interface enabled (ID_AA64PFR0_EL1.GIC = 1). */
struct cpu_model {
	const char *name;
	uint64_t midr, pfr0, pfr1, dfr0, isar0, isar1, isar2, mmfr0, mmfr1, mmfr2, mmfr3, zfr0;
	uint64_t ctr, clidr, vtr;
};

static const struct cpu_model cortex_a57 = {
	.name = "Cortex-A57", .midr = 0x411fd070, .pfr0 = 0x01002222, .dfr0 = 0x10305106,
	.isar0 = 0x00011120, .mmfr0 = 0x00001124, .ctr = 0x8444c004, .clidr = 0x0a200023,
	.vtr = 0x90000003,
};
static const struct cpu_model cortex_a76 = {
	.name = "Cortex-A76", .midr = 0x414fd0b1, .pfr0 = 0x1100000011111112, .pfr1 = 0x10,
	.dfr0 = 0x10305408, .isar0 = 0x0000100010211120, .isar1 = 0x00100001,
	.mmfr0 = 0x00101122, .mmfr1 = 0x10212122, .mmfr2 = 0x00001011, .ctr = 0x8444c004,
	.clidr = 0x82000023, .vtr = 0x90000003,
};
static const struct cpu_model neoverse_n1 = {
	.name = "Neoverse-N1", .midr = 0x414fd0c1, .pfr0 = 0x1100000011111112, .pfr1 = 0x20,
	.dfr0 = 0x110305408, .isar0 = 0x0000100010211120, .isar1 = 0x00100001,
	.mmfr0 = 0x00101125, .mmfr1 = 0x10212122, .mmfr2 = 0x00001011, .ctr = 0x8444c004,
	.clidr = 0x82000023, .vtr = 0x90000003,
};
static const struct cpu_model neoverse_v1 = {
	.name = "Neoverse-V1", .midr = 0x411fd402, .pfr0 = 0x1101110121111112, .pfr1 = 0x20,
	.dfr0 = 0x000001f210305519, .isar0 = 0x1011111110212120, .isar1 = 0x0011000001211032,
	.mmfr0 = 0x00101125, .mmfr1 = 0x10212122, .mmfr2 = 0x0220011102101011,
	.zfr0 = 0x0000100000100000, .ctr = 0xb444c004, .clidr = 0x82000023, .vtr = 0x90000003,
};
/* As read by tests/qemu/cpufeat.c on QEMU 7.2 -cpu max. */
static const struct cpu_model qemu_max = {
	.name = "QEMU 7.2 max", .midr = 0x000f0510, .pfr0 = 0x1201001121110222,
	.pfr1 = 0x1000021, .dfr0 = 0x10305609, .isar0 = 0x1221111110212120,
	.isar1 = 0x0011111101211012, .mmfr0 = 0x0000032310201126, .mmfr1 = 0x0000011010211122,
	.mmfr2 = 0x1021011010011011, .zfr0 = 0x0110110100110021, .ctr = 0x8444c004,
	.clidr = 0x2000023, .vtr = 0x90b80003,
};

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu cpus[4];

/*
 * Field [lsb + width - 1 : lsb] of @v. Expected field values are extracted
 * with positions written out from the specifications, never with the
 * library's HYP_IDF_* constants (Arm ARM M.a.a): ID_AA64PFR0_EL1 D24.2.93
 * (RAS [31:28], GIC [27:24], SVE [35:32]); ID_AA64PFR1_EL1 D24.2.94 (SSBS
 * [7:4]); ID_AA64ISAR0_EL1 D24.2.84 (AES [7:4], Atomic [23:20]);
 * ID_AA64ISAR1_EL1 D24.2.85 (APA [7:4], GPA [27:24]); ID_AA64DFR0_EL1
 * D24.2.80 (PMUVer [11:8]); ID_AA64MMFR0_EL1 D24.2.88 (TGran4 [31:28]);
 * ID_AA64MMFR1_EL1 D24.2.89 (HAFDBS [3:0], VMIDBits [7:4]); CTR_EL0
 * D24.2.42 (L1Ip [15:14]); GIC IHI 0069, ICH_VTR_EL2 (ListRegs [4:0],
 * PRIbits [31:29]).
 */
static unsigned fld(uint64_t v, unsigned lsb, unsigned width)
{
	return (unsigned)((v >> lsb) & ((1ull << width) - 1));
}

#define SYS(reg) hyp_cpu_idreg(HYP_REG_##reg)

/* Define every register the probe may read, then the model's values. */
static void load_model(const struct cpu_model *m)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim, HYP_RF_ID, false);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0x9);
	hyp_sim_reg_define(&sim, HYP_SYS_MIDR_EL1, m->midr);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, m->pfr0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR1_EL1, m->pfr1);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64DFR0_EL1, m->dfr0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64ISAR0_EL1, m->isar0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64ISAR1_EL1, m->isar1);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64ISAR2_EL1, m->isar2);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, m->mmfr0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, m->mmfr1);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR2_EL1, m->mmfr2);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR3_EL1, m->mmfr3);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64ZFR0_EL1, m->zfr0);
	hyp_sim_reg_define(&sim, HYP_SYS_CTR_EL0, m->ctr);
	hyp_sim_reg_define(&sim, HYP_SYS_CLIDR_EL1, m->clidr);
	hyp_sim_reg_define(&sim, HYP_SYS_DCZID_EL0, 4);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_VTR_EL2, m->vtr);
}

static unsigned id_reads(void)
{
	unsigned n = 0;

	for (unsigned r = 0; r < HYP_REG_COUNT; r++) {
		if (hyp_sysreg_table[r].flags & HYP_RF_ID)
			n += hyp_sim_reg_reads(&sim, hyp_sysreg_table[r].enc);
	}
	return n;
}

static unsigned nr_probed_regs(void)
{
	unsigned n = 0;

	for (unsigned r = 0; r < HYP_REG_COUNT; r++) {
		uint16_t f = hyp_sysreg_table[r].flags;
		n += (f & HYP_RF_ID) && !(f & HYP_RF_GIC) && r != HYP_REG_CCSIDR_EL1;
	}
	return n;
}

static void boot_one(const struct cpu_model *m)
{
	load_model(m);
	cr_assert_eq(hyp_cpufeat_init(cpus, 4), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
}

static void fini(void)
{
	hyp_cpufeat_reset();
}

TestSuite(cpufeat, .fini = fini);

Test(cpufeat, probe_reads_each_id_register_once)
{
	load_model(&cortex_a76);
	cr_assert_eq(hyp_cpufeat_init(cpus, 4), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);

	for (unsigned r = 0; r < HYP_REG_COUNT; r++) {
		const struct hyp_sysreg_desc *d = &hyp_sysreg_table[r];
		if (!(d->flags & HYP_RF_ID))
			continue;
		cr_assert_eq(hyp_sim_reg_reads(&sim, d->enc), r == HYP_REG_CCSIDR_EL1 ? 0 : 1, "%s",
			     d->name);
	}
	/* the ID registers, ICC_SRE_EL2 to see whether ICH_VTR_EL2 is readable */
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], nr_probed_regs() + 2);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 0);
	cr_assert_eq(cpus[0].id[HYP_REG_ID_AA64MMFR1_EL1], 0x10212122);
	cr_assert_eq(cpus[0].id[HYP_REG_ICH_VTR_EL2], 0x90000003);
	cr_assert_eq(cpus[0].state, HYP_CPUFEAT_CPU_PROBED);
}

Test(cpufeat, ich_vtr_not_read_when_the_interface_is_off)
{
	load_model(&cortex_a76);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0);
	hyp_cpufeat_init(cpus, 4);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ICH_VTR_EL2), 0);
	cr_assert_eq(cpus[0].id[HYP_REG_ICH_VTR_EL2], 0);

	/* no GIC system registers at all: ICC_SRE_EL2 is not touched either */
	load_model(&cortex_a76);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000010111112);
	hyp_cpufeat_init(cpus, 4);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ICC_SRE_EL2), 0);
}

Test(cpufeat, no_id_register_read_after_finalize)
{
	struct hyp_cpufeat_vm vm;
	enum hyp_cap hide[] = { HYP_CAP_SVE, HYP_CAP_PMU };
	uint64_t v;

	boot_one(&neoverse_v1);
	hyp_sim_reset_counts(&sim);

	/* every cpufeat path there is after finalize */
	for (unsigned c = 0; c < HYP_CAP_COUNT + 2; c++)
		(void)hyp_cpu_has((enum hyp_cap)c);
	for (unsigned r = 0; r < HYP_REG_COUNT + 2; r++)
		(void)hyp_cpu_idreg((enum hyp_sysreg_id)r);
	(void)hyp_cpu_pa_bits();
	(void)HYP_CPU_IDFIELD(ID_AA64MMFR1_EL1, VMIDBits);
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, hide, 2), 0);
	for (unsigned c = 0; c < HYP_CAP_COUNT; c++)
		(void)hyp_cpufeat_vm_has(&vm, (enum hyp_cap)c);
	for (uint32_t enc = HYP_SYSREG_ENC(3, 0, 0, 0, 0); enc < HYP_SYSREG_ENC(3, 0, 1, 0, 0); enc++)
		(void)hyp_cpufeat_vm_read_idreg(&vm, enc, &v);
	(void)hyp_cpufeat_verify_assumed();

	cr_assert_eq(id_reads(), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

#define HAS(cap) hyp_cpu_has(HYP_CAP_##cap)

Test(cpufeat, cortex_a57)
{
	boot_one(&cortex_a57);
	cr_assert(HAS(NONE) && HAS(GICV3) && HAS(PMU) && HAS(S2_4K) && HAS(S2_64K));
	cr_assert(!HAS(VHE) && !HAS(FWB) && !HAS(LSE) && !HAS(PAN) && !HAS(VMID16));
	cr_assert(!HAS(S2_16K) && !HAS(HAF) && !HAS(RAS) && !HAS(SVE) && !HAS(PAUTH));
	cr_assert(!HAS(IDC) && !HAS(DIC) && !HAS(TTL) && !HAS(TLBIRANGE) && !HAS(FGT));
	cr_assert_eq(hyp_cpu_pa_bits(), 44);
	cr_assert_eq(fld(SYS(ICH_VTR_EL2), 0, 5), 3);  /* ListRegs: 4 LRs */
	cr_assert_eq(fld(SYS(ICH_VTR_EL2), 29, 3), 4); /* PRIbits: 5 bits */
}

Test(cpufeat, cortex_a76)
{
	boot_one(&cortex_a76);
	cr_assert(HAS(VHE) && HAS(PAN) && HAS(LSE) && HAS(HAF) && HAS(HAFDBS) && HAS(VMID16));
	cr_assert(HAS(RAS) && HAS(LOR) && HAS(S2_4K) && HAS(S2_16K) && HAS(S2_64K) && HAS(PMU));
	cr_assert(!HAS(FWB) && !HAS(PAUTH) && !HAS(SVE) && !HAS(TTL) && !HAS(CSV2_2) && !HAS(MTE));
	cr_assert(!HAS(IDC) && !HAS(DIC));
	cr_assert_eq(hyp_cpu_pa_bits(), 40);
}

Test(cpufeat, neoverse_n1)
{
	boot_one(&neoverse_n1);
	cr_assert(HAS(VHE) && HAS(LSE) && HAS(HAFDBS) && HAS(RAS) && HAS(PMU));
	cr_assert(!HAS(FWB) && !HAS(PAUTH) && !HAS(SVE));
	cr_assert_eq(hyp_cpu_pa_bits(), 48);
	cr_assert_eq(fld(SYS(ID_AA64PFR1_EL1), 4, 4), 2); /* SSBS */
}

Test(cpufeat, neoverse_v1)
{
	boot_one(&neoverse_v1);
	cr_assert(HAS(VHE) && HAS(FWB) && HAS(PAUTH) && HAS(SVE) && HAS(AMU) && HAS(RAS));
	/* CTR_EL0 0xb444c004: IDC and DIC set, so stage 2 needs no CMO for I/D
	 * coherence */
	cr_assert(HAS(IDC) && HAS(DIC));
	cr_assert(!HAS(TLBIRANGE) && !HAS(FGT) && !HAS(S1PIE) && !HAS(SME));
	cr_assert_eq(hyp_cpu_pa_bits(), 48);
}

Test(cpufeat, qemu_max)
{
	boot_one(&qemu_max);
	cr_assert(HAS(VHE) && HAS(FWB) && HAS(SVE) && HAS(SME) && HAS(PAUTH) && HAS(TTL));
	cr_assert(HAS(TLBIRANGE) && HAS(HCX) && HAS(CSV2_2) && HAS(GICV3));
	cr_assert(!HAS(FGT) && !HAS(ECV) && !HAS(S1PIE) && !HAS(S1POE) && !HAS(TCR2));
	cr_assert_eq(hyp_cpu_pa_bits(), 52);
	cr_assert_eq(fld(SYS(ICH_VTR_EL2), 0, 5), 3); /* ListRegs */
}

/* big.LITTLE: probe the boot CPU with one model and CPU 1 with another. */
static void boot_two(const struct cpu_model *a, const struct cpu_model *b,
		     struct hyp_cpufeat_mismatch *mm, unsigned max, unsigned *nr)
{
	load_model(a);
	cr_assert_eq(hyp_cpufeat_init(cpus, 4), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	load_model(b);
	cr_assert_eq(hyp_cpufeat_probe_cpu(1), 0);
	cr_assert_eq(hyp_cpufeat_finalize(mm, max, nr), 0);
}

Test(cpufeat, lower_safe_fields_take_the_minimum)
{
	unsigned nr = 99;

	/* A76 + A57: only what both have */
	boot_two(&cortex_a76, &cortex_a57, NULL, 0, &nr);
	cr_assert(!HAS(VHE) && !HAS(LSE) && !HAS(PAN) && !HAS(RAS));
	cr_assert(HAS(S2_4K) && HAS(GICV3));
	cr_assert_eq(hyp_cpu_pa_bits(), 40); /* min(40, 44) */
	cr_assert_eq(fld(SYS(ID_AA64MMFR1_EL1), 0, 4), 0); /* HAFDBS */
	cr_assert_eq(fld(SYS(ID_AA64ISAR0_EL1), 4, 4), 2); /* AES */
	/* PMUVer is not LOWER but EXACT: PMUv3 (1) on the A57, PMUv3p1 (4) on
	 * the A76: no common PMU, one mismatch (see pmuver_must_match_exactly) */
	cr_assert(!HAS(PMU));
	cr_assert_eq(nr, 1);
}

Test(cpufeat, signed_fields_treat_all_ones_as_absent)
{
	struct cpu_model no4k = cortex_a57;

	/* TGran4 = 0xF: no 4K granule; LOWER on a signed field must pick it
	 * although 0xF > 0 as an unsigned number */
	no4k.mmfr0 = cortex_a57.mmfr0 | (0xfull << 28);
	boot_two(&cortex_a57, &no4k, NULL, 0, NULL);
	cr_assert_eq(fld(SYS(ID_AA64MMFR0_EL1), 28, 4), 0xf); /* TGran4 */
	cr_assert(!HAS(S2_4K));
	cr_assert(HAS(S2_64K));
}

/* CTR_EL0 with CWG (bits [27:24]) and ERG (bits [23:20]) replaced (Arm ARM
 * D24.2.42 CTR_EL0). */
static uint64_t ctr_with(uint64_t ctr, unsigned cwg, unsigned erg)
{
	return (ctr & ~0x0ff00000ull) | ((uint64_t)cwg << 24) | ((uint64_t)erg << 20);
}

Test(cpufeat, cwg_and_erg_take_the_maximum_of_reported_values)
{
	struct cpu_model a = cortex_a57, b = cortex_a57;

	/* log2(words): the largest granule is the safe one */
	a.ctr = ctr_with(cortex_a57.ctr, 4, 4);
	b.ctr = ctr_with(cortex_a57.ctr, 9, 5);
	boot_two(&a, &b, NULL, 0, NULL);
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_CTR_EL0) >> 24) & 0xf, 9);
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_CTR_EL0) >> 20) & 0xf, 5);
	/* DminLine (bits [19:16]) is the smallest line: lowest is safe */
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_CTR_EL0) >> 16) & 0xf, 4);
}

Test(cpufeat, cwg_or_erg_zero_on_any_cpu_means_not_reported)
{
	struct cpu_model a = cortex_a57, b = cortex_a57;

	/* Arm ARM D24.2.42 CTR_EL0.CWG: "A value of 0b0000 indicates that this
	 * register does not provide Cache writeback granule information and
	 * [...] the architectural maximum of 512 words (2KB) must be assumed";
	 * ERG 0b0000 (deprecated) likewise gives no granule. One CPU that does
	 * not report makes the system value "not reported" (0), whatever the
	 * other CPUs say: 4 would promise 64 bytes where 2KB must be assumed. */
	a.ctr = ctr_with(cortex_a57.ctr, 0, 4);
	b.ctr = ctr_with(cortex_a57.ctr, 4, 0);
	boot_two(&a, &b, NULL, 0, NULL);
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_CTR_EL0) >> 24) & 0xf, 0);
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_CTR_EL0) >> 20) & 0xf, 0);
	hyp_cpufeat_reset();
	boot_two(&b, &a, NULL, 0, NULL);
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_CTR_EL0) >> 24) & 0xf, 0);
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_CTR_EL0) >> 20) & 0xf, 0);
}

Test(cpufeat, pmuver_must_match_exactly)
{
	struct hyp_cpufeat_mismatch mm[4];
	struct cpu_model impdef = cortex_a76;
	unsigned nr = 0;

	/* Arm ARM D24.2.80 ID_AA64DFR0_EL1.PMUVer, bits [11:8]: 0b1111 is an
	 * IMPLEMENTATION DEFINED PMU, not a PMUv3 version above the others. A
	 * PMUv3 CPU (0b0100, as the A76's 0x10305408) and one with an IMPDEF
	 * PMU have no PMU in common: 0, and the mismatch is reported. */
	impdef.dfr0 = (cortex_a76.dfr0 & ~0xf00ull) | 0xf00ull;
	boot_two(&cortex_a76, &impdef, mm, 4, &nr);
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_ID_AA64DFR0_EL1) >> 8) & 0xf, 0);
	cr_assert(!HAS(PMU));
	cr_assert_eq(nr, 1);
	cr_assert_str_eq(hyp_id_field_table[mm[0].field].name, "ID_AA64DFR0_EL1.PMUVer");
	cr_assert_eq(mm[0].value, 0xf);
	/* two PMUv3 versions differ as well (0b0100 PMUv3p1, 0b0101 PMUv3p4) */
	struct cpu_model v3p4 = cortex_a76;
	v3p4.dfr0 = (cortex_a76.dfr0 & ~0xf00ull) | 0x500ull;
	hyp_cpufeat_reset();
	boot_two(&cortex_a76, &v3p4, NULL, 0, &nr);
	cr_assert_eq(nr, 1);
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_ID_AA64DFR0_EL1) >> 8) & 0xf, 0);
	/* and identical ones are kept */
	hyp_cpufeat_reset();
	boot_two(&cortex_a76, &cortex_a76, NULL, 0, &nr);
	cr_assert_eq(nr, 0);
	cr_assert_eq((hyp_cpu_idreg(HYP_REG_ID_AA64DFR0_EL1) >> 8) & 0xf, 4);
	cr_assert(HAS(PMU));
}

Test(cpufeat, cntpoff_el2_exists_only_with_ecv_0b0010)
{
	uint64_t id[HYP_REG_COUNT] = { 0 };
	unsigned feat = hyp_sysreg_table[HYP_REG_CNTPOFF_EL2].feat;

	/* Arm ARM D24.2.88 ID_AA64MMFR0_EL1.ECV, bits [63:60]: 0b0001 is
	 * FEAT_ECV without CNTPOFF_EL2; 0b0010 (FEAT_ECV_POFF) adds
	 * "the CNTPOFF_EL2 register and the CNTHCTL_EL2.ECV [...] fields" */
	id[HYP_REG_ID_AA64MMFR0_EL1] = 0x1ull << 60;
	cr_assert(!hyp_cpufeat_eval(id, feat));
	cr_assert(hyp_cpufeat_eval(id, HYP_CAP_ECV));
	id[HYP_REG_ID_AA64MMFR0_EL1] = 0x2ull << 60;
	cr_assert(hyp_cpufeat_eval(id, feat));
	cr_assert(hyp_cpufeat_eval(id, HYP_CAP_ECV));
	id[HYP_REG_ID_AA64MMFR0_EL1] = 0;
	cr_assert(!hyp_cpufeat_eval(id, feat));
	cr_assert(!hyp_cpufeat_eval(id, HYP_CAP_ECV));
}

Test(cpufeat, exact_field_mismatch_is_reported)
{
	struct hyp_cpufeat_mismatch mm[4];
	struct cpu_model other = cortex_a76;
	unsigned nr = 0;

	/* CTR_EL0.L1Ip [15:14] (EXACT) differs: 0b11 PIPT on the A76 (its CTR
	 * 0x8444c004), 0b10 VIPT on CPU 1 (Arm ARM D24.2.42): the system says
	 * VIPT, the weaker guarantee */
	other.ctr = (cortex_a76.ctr & ~(3ull << 14)) | (2ull << 14);
	boot_two(&cortex_a76, &other, mm, 4, &nr);
	cr_assert_eq(nr, 1);
	cr_assert_eq(mm[0].cpu, 1);
	cr_assert_str_eq(hyp_id_field_table[mm[0].field].name, "CTR_EL0.L1Ip");
	cr_assert_eq(mm[0].value, 2);
	cr_assert_eq(fld(SYS(CTR_EL0), 14, 2), 2);
}

Test(cpufeat, mismatch_count_goes_past_the_buffer)
{
	struct hyp_cpufeat_mismatch mm[1];
	struct cpu_model other = cortex_a76;
	unsigned nr = 0;

	other.ctr = (cortex_a76.ctr & ~(3ull << 14)) | (2ull << 14);
	other.pfr0 = cortex_a76.pfr0 & ~(0xfull << 24); /* GIC: EXACT too */
	boot_two(&cortex_a76, &other, mm, 1, &nr);
	cr_assert_eq(nr, 2);
	cr_assert(!HAS(GICV3));
}

Test(cpufeat, bits_outside_fields_kept_only_where_cpus_agree)
{
	boot_two(&cortex_a76, &neoverse_n1, NULL, 0, NULL);
	/* MIDR has no fields: agreeing bits only (implementer 0x41 and part
	 * number bits common to 0xd0b and 0xd0c) */
	cr_assert_eq(hyp_cpu_idreg(HYP_REG_MIDR_EL1), 0x414fd0b1ull & 0x414fd0c1ull);
	/* CTR_EL0 bit 31 is RES1 and not a field: kept */
	cr_assert_eq(hyp_cpu_idreg(HYP_REG_CTR_EL0) >> 31 & 1, 1);
}

Test(cpufeat, late_cpu_without_a_finalized_capability_is_refused)
{
	uint64_t before[HYP_CAP_WORDS];

	boot_one(&cortex_a76);
	memcpy(before, hyp_cpufeat.caps, sizeof(before));

	load_model(&cortex_a57); /* no VHE, no LSE */
	cr_assert_eq(hyp_cpufeat_probe_cpu(1), HYP_EMISMATCH);
	cr_assert_eq(cpus[1].state, HYP_CPUFEAT_CPU_REFUSED);
	/* the system view does not change */
	cr_assert_eq(memcmp(before, hyp_cpufeat.caps, sizeof(before)), 0);
	cr_assert(HAS(VHE));

	load_model(&neoverse_n1); /* a superset: welcome */
	cr_assert_eq(hyp_cpufeat_probe_cpu(2), 0);
	cr_assert_eq(cpus[2].state, HYP_CPUFEAT_CPU_PROBED);
	cr_assert_eq(hyp_cpu_pa_bits(), 40);
}

Test(cpufeat, bad_input)
{
	struct hyp_cpufeat_cpu one[1];

	load_model(&cortex_a76);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_init(NULL, 1), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_init(one, 0), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_init(one, 1), 0);
	/* nothing probed yet */
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), HYP_ESTATE);
	/* more CPUs than storage */
	cr_assert_eq(hyp_cpufeat_probe_cpu(1), HYP_ERANGE);
	cr_assert_eq(hyp_cpufeat_probe_cpu(~0u), HYP_ERANGE);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), HYP_EEXIST);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_init(one, 1), HYP_ESTATE);
	cr_assert(hyp_cpufeat.finalized);

	/* unknown capability or register: false / 0, never out of bounds */
	cr_assert(!hyp_cpu_has((enum hyp_cap)HYP_CAP_COUNT));
	cr_assert(!hyp_cpu_has((enum hyp_cap)-1));
	cr_assert_eq(hyp_cpu_idreg((enum hyp_sysreg_id)HYP_REG_COUNT), 0);
	cr_assert_eq(hyp_cpu_idreg((enum hyp_sysreg_id)-1), 0);
	cr_assert(!hyp_cpufeat_eval(hyp_cpufeat.id, HYP_CAP_COUNT));
}

Test(cpufeat, before_finalize_nothing_is_claimed)
{
	load_model(&neoverse_v1);
	hyp_cpufeat_init(cpus, 4);
	hyp_cpufeat_probe_cpu(0);
	cr_assert(!HAS(VHE));
	cr_assert_eq(hyp_cpu_idreg(HYP_REG_ID_AA64MMFR1_EL1), 0);
	struct hyp_cpufeat_vm vm;
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, NULL, 0), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_verify_assumed(), HYP_ESTATE);
}

Test(cpufeat, pa_bits_table)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	for (unsigned p = 0; p < 7; p++)
		cr_assert_eq(hyp_cpufeat_pa_bits(p), bits[p]);
	cr_assert_eq(hyp_cpufeat_pa_bits(0xf), 52);
}

Test(cpufeat, guest_view_hides_features)
{
	struct hyp_cpufeat_vm vm;
	enum hyp_cap hide[] = { HYP_CAP_SVE, HYP_CAP_PAUTH, HYP_CAP_PMU, HYP_CAP_HAFDBS,
				HYP_CAP_MTE };

	boot_one(&neoverse_v1);
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, hide, 5), 0);
	cr_assert(!hyp_cpufeat_vm_has(&vm, HYP_CAP_SVE));
	cr_assert(!hyp_cpufeat_vm_has(&vm, HYP_CAP_PAUTH));
	cr_assert(!hyp_cpufeat_vm_has(&vm, HYP_CAP_PMU));
	cr_assert(!hyp_cpufeat_vm_has(&vm, HYP_CAP_HAFDBS));
	/* hiding dirty-state tracking keeps the access flag */
	cr_assert(hyp_cpufeat_vm_has(&vm, HYP_CAP_HAF));
	cr_assert(hyp_cpufeat_vm_has(&vm, HYP_CAP_VHE));
	cr_assert(hyp_cpufeat_vm_has(&vm, HYP_CAP_FWB));
	cr_assert_eq(fld(vm.id[HYP_REG_ID_AA64PFR0_EL1], 32, 4), 0); /* SVE */
	cr_assert_eq(vm.id[HYP_REG_ID_AA64ZFR0_EL1], 0);
	cr_assert_eq(fld(vm.id[HYP_REG_ID_AA64ISAR1_EL1], 4, 4), 0);  /* APA */
	cr_assert_eq(fld(vm.id[HYP_REG_ID_AA64ISAR1_EL1], 24, 4), 0); /* GPA */
	cr_assert_eq(fld(vm.id[HYP_REG_ID_AA64DFR0_EL1], 8, 4), 0);   /* PMUVer */
	cr_assert_eq(fld(vm.id[HYP_REG_ID_AA64MMFR1_EL1], 0, 4), 1);  /* HAFDBS: AF only */
	/* other fields untouched */
	cr_assert_eq(fld(vm.id[HYP_REG_ID_AA64PFR0_EL1], 28, 4), 2); /* RAS */
	cr_assert_eq(vm.id[HYP_REG_CTR_EL0], hyp_cpu_idreg(HYP_REG_CTR_EL0));
	/* the system view itself is not changed by a VM's view */
	cr_assert(HAS(SVE) && HAS(PAUTH));
}

Test(cpufeat, guest_view_hides_signed_fields_as_all_ones)
{
	struct hyp_cpufeat_vm vm;
	enum hyp_cap hide[] = { HYP_CAP_GICV3, HYP_CAP_VMID16, HYP_CAP_LSE };

	boot_one(&cortex_a76);
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, hide, 3), 0);
	cr_assert_eq(fld(vm.id[HYP_REG_ID_AA64PFR0_EL1], 24, 4), 0);  /* GIC */
	cr_assert_eq(fld(vm.id[HYP_REG_ID_AA64MMFR1_EL1], 4, 4), 0);  /* VMIDBits */
	cr_assert_eq(fld(vm.id[HYP_REG_ID_AA64ISAR0_EL1], 20, 4), 0); /* Atomic */
	cr_assert(!hyp_cpufeat_vm_has(&vm, HYP_CAP_GICV3));
	cr_assert(!hyp_cpufeat_vm_has(&vm, HYP_CAP_LSE));
}

Test(cpufeat, guest_view_bad_input_changes_nothing)
{
	struct hyp_cpufeat_vm vm;
	enum hyp_cap bad1[] = { HYP_CAP_SVE, (enum hyp_cap)HYP_CAP_COUNT };
	enum hyp_cap bad2[] = { HYP_CAP_NONE };
	enum hyp_cap bad3[] = { HYP_CAP_S2_4K };

	boot_one(&neoverse_v1);
	memset(&vm, 0xa5, sizeof(vm));
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, bad1, 2), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, bad2, 1), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, bad3, 1), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, NULL, 1), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_vm_init(NULL, NULL, 0), HYP_EINVAL);
	for (size_t i = 0; i < sizeof(vm); i++)
		cr_assert_eq(((uint8_t *)&vm)[i], 0xa5);
	cr_assert(!hyp_cpufeat_vm_has(&vm, (enum hyp_cap)HYP_CAP_COUNT));
}

Test(cpufeat, trapped_guest_id_reads)
{
	struct hyp_cpufeat_vm vm;
	enum hyp_cap hide[] = { HYP_CAP_SVE };
	uint64_t v = 0;

	boot_one(&neoverse_v1);
	hyp_cpufeat_vm_init(&vm, hide, 1);
	hyp_sim_reset_counts(&sim);

	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, HYP_SYS_ID_AA64PFR0_EL1, &v), 0);
	cr_assert_eq(v, vm.id[HYP_REG_ID_AA64PFR0_EL1]);
	cr_assert_eq(fld(v, 32, 4), 0); /* SVE */
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, HYP_SYS_CTR_EL0, &v), 0);
	cr_assert_eq(v, 0xb444c004);
	/* AArch32 ID_PFR0_EL1 (3,0,0,1,0) and a reserved slot (3,0,0,7,7): RAZ */
	v = 1;
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, HYP_SYSREG_ENC(3, 0, 0, 1, 0), &v), 0);
	cr_assert_eq(v, 0);
	v = 1;
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, HYP_SYSREG_ENC(3, 0, 0, 7, 7), &v), 0);
	cr_assert_eq(v, 0);
	/* not ID registers, or not the guest's to read: left to the caller */
	v = 42;
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, HYP_SYS_SCTLR_EL1, &v), HYP_ENOENT);
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, HYP_SYS_MPIDR_EL1, &v), HYP_ENOENT);
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, HYP_SYS_ICH_VTR_EL2, &v), HYP_ENOENT);
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, 0x12345678, &v), HYP_ENOENT);
	cr_assert_eq(v, 42);
	/* answered from the cache: no hardware access */
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

Test(cpufeat, capability_names)
{
	cr_assert_str_eq(hyp_cap_name(HYP_CAP_VHE), "VHE");
	cr_assert_str_eq(hyp_cap_name(HYP_CAP_DIC), "DIC");
	cr_assert_str_eq(hyp_cap_name(HYP_CAP_COUNT), "?");
}

/* ---- bridges: page-table configuration, import of a sanitised view */

Test(cpufeat, pgtable_cfg_from_cpufeat_qemu_max)
{
	struct hyp_pgtable_cfg cfg;

	boot_one(&qemu_max);
	hyp_sim_reset_counts(&sim);
	memset(&cfg, 0xa5, sizeof(cfg));
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 40), 0);
	/* Literal fields of the model (Arm ARM M.a.a): ID_AA64MMFR0_EL1
	 * D24.2.88 PARange [3:0] = 0b0110: 52 bits; CTR_EL0 D24.2.42
	 * 0x8444c004: IminLine [3:0] = 4 and DminLine [19:16] = 4 words (2^6
	 * bytes), L1Ip [15:14] = 0b11 PIPT, IDC [28] = DIC [29] = 0;
	 * ID_AA64MMFR2_EL1 D24.2.90 0x1021011010011011: FWB [43:40] = 1,
	 * TTL [51:48] = 1; ID_AA64ISAR0_EL1 D24.2.84 TLB [59:56] = 0b0010
	 * (range); ID_AA64MMFR1_EL1 D24.2.89 VMIDBits [7:4] = 0b0010 (16). */
	cr_assert_eq(cfg.pa_bits, 52);
	cr_assert_eq(cfg.ia_bits, 40);
	cr_assert_eq(cfg.granule_shift, 12);
	cr_assert_eq(cfg.dline_shift, 6);
	cr_assert_eq(cfg.iline_shift, 6);
	cr_assert_eq(cfg.l1ip, 3);
	cr_assert(cfg.s2fwb && cfg.ttl && cfg.tlbirange && cfg.vmid16);
	cr_assert(!cfg.dic && !cfg.idc);
	/* from the cache only: no register read or written */
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

Test(cpufeat, pgtable_cfg_from_cpufeat_cortex_a57)
{
	struct hyp_pgtable_cfg cfg;

	boot_one(&cortex_a57);
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 48), 0);
	/* ID_AA64MMFR0_EL1 0x1124: PARange 0b0100, 44 bits, which caps the
	 * 48 asked for; MMFR1 = MMFR2 = 0 (no VMID16, FWB, TTL), ISAR0.TLB 0. */
	cr_assert_eq(cfg.pa_bits, 44);
	cr_assert_eq(cfg.ia_bits, 44);
	cr_assert_eq(cfg.l1ip, 3);
	cr_assert(!cfg.s2fwb && !cfg.ttl && !cfg.tlbirange && !cfg.vmid16 && !cfg.dic &&
		  !cfg.idc);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

Test(cpufeat, pgtable_cfg_from_cpufeat_bad_input)
{
	struct hyp_pgtable_cfg cfg, before;

	memset(&cfg, 0x5a, sizeof(cfg));
	before = cfg;
	load_model(&cortex_a76);
	hyp_cpufeat_init(cpus, 4);
	hyp_cpufeat_probe_cpu(0);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 40), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(NULL, 40), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 24), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 49), HYP_EINVAL);
	cr_assert_eq(memcmp(&cfg, &before, sizeof(cfg)), 0);

	/* no 4K stage-2 granule: ID_AA64MMFR0_EL1 TGran4 [31:28] = 0xf (not
	 * implemented), TGran4_2 [43:40] = 0 (as stage 1) (D24.2.88) */
	hyp_cpufeat_reset();
	load_model(&cortex_a76);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, 0xf0101122);
	hyp_cpufeat_init(cpus, 4);
	hyp_cpufeat_probe_cpu(0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 40), HYP_ENOTSUP);
	cr_assert_eq(memcmp(&cfg, &before, sizeof(cfg)), 0);
}

/* The values a probe of @m stored in slot 0, as an import table. */
static unsigned probed_values(struct hyp_cpufeat_idval *vals)
{
	unsigned n = 0;

	for (unsigned r = 0; r < HYP_REG_COUNT; r++) {
		uint16_t f = hyp_sysreg_table[r].flags;
		if (!(f & HYP_RF_ID) || r == HYP_REG_CCSIDR_EL1 ||
		    ((f & HYP_RF_GIC) && r != HYP_REG_ICH_VTR_EL2))
			continue;
		vals[n++] = (struct hyp_cpufeat_idval){ .reg = (uint16_t)r, .value = cpus[0].id[r] };
	}
	return n;
}

static void import_matches_probe(const struct cpu_model *m)
{
	static struct hyp_cpufeat_idval vals[HYP_REG_COUNT];
	struct hyp_cpufeat_cache probed;
	struct hyp_cpufeat_cpu probed_cpus[4];
	unsigned n;

	boot_one(m);
	probed = hyp_cpufeat;
	memcpy(probed_cpus, cpus, sizeof(cpus));
	n = probed_values(vals);

	hyp_cpufeat_reset();
	memset(cpus, 0xee, sizeof(cpus));
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_cpufeat_init(cpus, 4), 0);
	cr_assert_eq(hyp_cpufeat_import(vals, n), 0, "%s", m->name);
	cr_assert_eq(hyp_sim_total(&sim), 0);
	cr_assert_eq(memcmp(&hyp_cpufeat, &probed, sizeof(probed)), 0, "%s", m->name);
	cr_assert_eq(memcmp(cpus, probed_cpus, sizeof(cpus)), 0, "%s", m->name);
	hyp_cpufeat_reset();
}

Test(cpufeat, import_gives_the_state_a_probe_gives)
{
	import_matches_probe(&cortex_a57);
	import_matches_probe(&cortex_a76);
	import_matches_probe(&neoverse_v1);
	import_matches_probe(&qemu_max);
}

Test(cpufeat, import_then_late_cpu_is_checked)
{
	/* Literal Neoverse-V1 view: PFR0, MMFR0, CTR (TRM values above). */
	const struct hyp_cpufeat_idval v1[] = {
		{ HYP_REG_ID_AA64PFR0_EL1, 0x1101110121111112 },
		{ HYP_REG_ID_AA64MMFR0_EL1, 0x00101125 },
		{ HYP_REG_ID_AA64MMFR1_EL1, 0x10212122 },
		{ HYP_REG_CTR_EL0, 0xb444c004 },
	};

	load_model(&cortex_a57);
	hyp_cpufeat_init(cpus, 4);
	cr_assert_eq(hyp_cpufeat_import(v1, 4), 0);
	cr_assert(hyp_cpufeat.finalized);
	cr_assert(HAS(VHE) && HAS(VMID16) && HAS(DIC) && HAS(IDC)); /* MMFR1.VH, CTR [29:28] */
	cr_assert(HAS(SVE));  /* ID_AA64PFR0_EL1 D24.2.93 SVE [35:32] = 1 */
	cr_assert(!HAS(LSE)); /* ID_AA64ISAR0_EL1 not given: Atomic reads 0 */
	cr_assert_eq(hyp_cpu_pa_bits(), 48);                          /* PARange 0b0101 */
	/* a Cortex-A57 (no VHE) coming up later is refused */
	cr_assert_eq(hyp_cpufeat_probe_cpu(1), HYP_EMISMATCH);
}

Test(cpufeat, import_bad_input_changes_nothing)
{
	struct hyp_cpufeat_cache before;
	struct hyp_cpufeat_cpu before_cpus[4];
	/* ID_AA64PFR0_EL1 D24.2.93: EL2 [11:8], GIC [27:24]; ID_AA64MMFR0_EL1
	 * D24.2.88: PARange [3:0]; CTR_EL0 D24.2.42: bit 31 RES1. */
	const uint64_t pfr0 = 0x1100000011111112, mmfr0 = 0x00101122, ctr = 0x8444c004;
	const struct hyp_cpufeat_idval good[] = {
		{ HYP_REG_ID_AA64PFR0_EL1, pfr0 },
		{ HYP_REG_ID_AA64MMFR0_EL1, mmfr0 },
		{ HYP_REG_CTR_EL0, ctr },
		{ HYP_REG_ICH_VTR_EL2, 0x90000003 },
	};
	const struct hyp_cpufeat_idval bad[][4] = {
		{ good[0], good[1], good[2], { HYP_REG_COUNT, 0 } },        /* unknown */
		{ good[0], good[1], good[2], { HYP_REG_SCTLR_EL1, 0 } },    /* not ID */
		{ good[0], good[1], good[2], { HYP_REG_CCSIDR_EL1, 0 } },   /* not probed */
		{ good[0], good[1], good[2], { HYP_REG_ICC_SRE_EL2, 9 } },  /* not ID */
		{ good[0], good[1], good[2], good[1] },                      /* duplicate */
		{ good[3], good[1], good[2], { HYP_REG_MIDR_EL1, 0 } },     /* no PFR0 */
		{ good[0], good[3], good[2], { HYP_REG_MIDR_EL1, 0 } },     /* no MMFR0 */
		{ good[0], good[1], good[3], { HYP_REG_MIDR_EL1, 0 } },     /* no CTR */
		{ { HYP_REG_ID_AA64PFR0_EL1, pfr0 & ~0xf00ull }, good[1], good[2], good[3] }, /* EL2 0 */
		{ good[0], { HYP_REG_ID_AA64MMFR0_EL1, (mmfr0 & ~0xfull) | 7 }, good[2], good[3] },
		{ good[0], good[1], { HYP_REG_CTR_EL0, ctr & ~(1ull << 31) }, good[3] },
		{ { HYP_REG_ID_AA64PFR0_EL1, pfr0 & ~0xf000000ull }, good[1], good[2], good[3] },
	};

	load_model(&cortex_a76);
	/* before init */
	cr_assert_eq(hyp_cpufeat_import(good, 4), HYP_ESTATE);
	cr_assert(!hyp_cpufeat.finalized);

	hyp_cpufeat_init(cpus, 4);
	before = hyp_cpufeat;
	memcpy(before_cpus, cpus, sizeof(cpus));
	cr_assert_eq(hyp_cpufeat_import(NULL, 0), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_import(good, 0), HYP_EINVAL); /* nothing: PFR0 missing */
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(hyp_cpufeat_import(bad[i], 4), HYP_EINVAL, "case %u", i);
		cr_assert_eq(memcmp(&hyp_cpufeat, &before, sizeof(before)), 0, "case %u", i);
		cr_assert_eq(memcmp(cpus, before_cpus, sizeof(cpus)), 0, "case %u", i);
	}
	cr_assert_eq(hyp_sim_total(&sim), 0);

	/* a CPU already probed: the import would not be what it says */
	cr_assert_eq(hyp_cpufeat_probe_cpu(2), 0);
	cr_assert_eq(hyp_cpufeat_import(good, 4), HYP_ESTATE);
	cr_assert(!hyp_cpufeat.finalized);

	/* after finalize */
	hyp_cpufeat_reset();
	hyp_cpufeat_init(cpus, 4);
	cr_assert_eq(hyp_cpufeat_import(good, 4), 0);
	cr_assert_eq(hyp_cpufeat_import(good, 4), HYP_ESTATE);
}
