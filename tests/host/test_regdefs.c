/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the register table (include/libhyp/regdefs.h) and its
 * lookup functions.
 *
 * The known-good encodings below are written out independently of the
 * table, from the register descriptions in the Arm ARM (DDI 0487,
 * "Accessing <register>" encoding tables; C5.2 for the special-purpose
 * registers) and the GIC architecture specification (IHI 0069, chapter 12).
 * They are deliberately not generated from HYP_SYSREGS.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libhyp/error.h>
#include <libhyp/regdefs.h>

/* Independent packing, deliberately not HYP_SYSREG_ENC(). */
static uint32_t pack(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
	return op0 * 16384u + op1 * 2048u + crn * 128u + crm * 8u + op2;
}

/* The same fields as an MRS Xt instruction word (Rt = 0), Arm ARM C6.2. */
static uint32_t mrs_x0(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
	return 0xd5200000u | (op0 << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5);
}

struct known {
	const char *name;
	unsigned op0, op1, crn, crm, op2;
	uint32_t sym;   /* HYP_SYS_<name> */
	int id;         /* HYP_REG_<name> */
	unsigned feat;  /* expected HYP_CAP_* */
};

#define KG(name, op0, op1, crn, crm, op2, feat) \
	{ #name, op0, op1, crn, crm, op2, HYP_SYS_##name, HYP_REG_##name, HYP_CAP_##feat }

static const struct known known[] = {
	/* Identification */
	KG(MIDR_EL1, 3, 0, 0, 0, 0, NONE),
	KG(MPIDR_EL1, 3, 0, 0, 0, 5, NONE),
	KG(REVIDR_EL1, 3, 0, 0, 0, 6, NONE),
	KG(ID_AA64PFR0_EL1, 3, 0, 0, 4, 0, NONE),
	KG(ID_AA64PFR1_EL1, 3, 0, 0, 4, 1, NONE),
	KG(ID_AA64PFR2_EL1, 3, 0, 0, 4, 2, NONE),
	KG(ID_AA64ZFR0_EL1, 3, 0, 0, 4, 4, NONE),
	KG(ID_AA64SMFR0_EL1, 3, 0, 0, 4, 5, NONE),
	KG(ID_AA64DFR0_EL1, 3, 0, 0, 5, 0, NONE),
	KG(ID_AA64DFR1_EL1, 3, 0, 0, 5, 1, NONE),
	KG(ID_AA64AFR0_EL1, 3, 0, 0, 5, 4, NONE),
	KG(ID_AA64AFR1_EL1, 3, 0, 0, 5, 5, NONE),
	KG(ID_AA64ISAR0_EL1, 3, 0, 0, 6, 0, NONE),
	KG(ID_AA64ISAR1_EL1, 3, 0, 0, 6, 1, NONE),
	KG(ID_AA64ISAR2_EL1, 3, 0, 0, 6, 2, NONE),
	KG(ID_AA64MMFR0_EL1, 3, 0, 0, 7, 0, NONE),
	KG(ID_AA64MMFR1_EL1, 3, 0, 0, 7, 1, NONE),
	KG(ID_AA64MMFR2_EL1, 3, 0, 0, 7, 2, NONE),
	KG(ID_AA64MMFR3_EL1, 3, 0, 0, 7, 3, NONE),
	KG(ID_AA64MMFR4_EL1, 3, 0, 0, 7, 4, NONE),
	KG(CCSIDR_EL1, 3, 1, 0, 0, 0, NONE),
	KG(CLIDR_EL1, 3, 1, 0, 0, 1, NONE),
	KG(AIDR_EL1, 3, 1, 0, 0, 7, NONE),
	KG(CSSELR_EL1, 3, 2, 0, 0, 0, NONE),
	KG(CTR_EL0, 3, 3, 0, 0, 1, NONE),
	KG(DCZID_EL0, 3, 3, 0, 0, 7, NONE),
	/* Guest EL1 context */
	KG(SCTLR_EL1, 3, 0, 1, 0, 0, NONE),
	KG(ACTLR_EL1, 3, 0, 1, 0, 1, NONE),
	KG(CPACR_EL1, 3, 0, 1, 0, 2, NONE),
	KG(SCTLR2_EL1, 3, 0, 1, 0, 3, SCTLR2),
	KG(RGSR_EL1, 3, 0, 1, 0, 5, MTE),
	KG(GCR_EL1, 3, 0, 1, 0, 6, MTE),
	KG(ZCR_EL1, 3, 0, 1, 2, 0, SVE),
	KG(TTBR0_EL1, 3, 0, 2, 0, 0, NONE),
	KG(TTBR1_EL1, 3, 0, 2, 0, 1, NONE),
	KG(TCR_EL1, 3, 0, 2, 0, 2, NONE),
	KG(TCR2_EL1, 3, 0, 2, 0, 3, TCR2),
	KG(APIAKeyLo_EL1, 3, 0, 2, 1, 0, PAUTH),
	KG(APIAKeyHi_EL1, 3, 0, 2, 1, 1, PAUTH),
	KG(APIBKeyLo_EL1, 3, 0, 2, 1, 2, PAUTH),
	KG(APIBKeyHi_EL1, 3, 0, 2, 1, 3, PAUTH),
	KG(APDAKeyLo_EL1, 3, 0, 2, 2, 0, PAUTH),
	KG(APDAKeyHi_EL1, 3, 0, 2, 2, 1, PAUTH),
	KG(APDBKeyLo_EL1, 3, 0, 2, 2, 2, PAUTH),
	KG(APDBKeyHi_EL1, 3, 0, 2, 2, 3, PAUTH),
	KG(APGAKeyLo_EL1, 3, 0, 2, 3, 0, PAUTH),
	KG(APGAKeyHi_EL1, 3, 0, 2, 3, 1, PAUTH),
	KG(SPSR_EL1, 3, 0, 4, 0, 0, NONE),
	KG(ELR_EL1, 3, 0, 4, 0, 1, NONE),
	KG(SP_EL0, 3, 0, 4, 1, 0, NONE),
	KG(SPSel, 3, 0, 4, 2, 0, NONE),
	KG(CurrentEL, 3, 0, 4, 2, 2, NONE),
	KG(AFSR0_EL1, 3, 0, 5, 1, 0, NONE),
	KG(AFSR1_EL1, 3, 0, 5, 1, 1, NONE),
	KG(ESR_EL1, 3, 0, 5, 2, 0, NONE),
	KG(TFSR_EL1, 3, 0, 5, 6, 0, MTE),
	KG(TFSRE0_EL1, 3, 0, 5, 6, 1, MTE),
	KG(FAR_EL1, 3, 0, 6, 0, 0, NONE),
	KG(PAR_EL1, 3, 0, 7, 4, 0, NONE),
	KG(MAIR_EL1, 3, 0, 10, 2, 0, NONE),
	KG(MAIR2_EL1, 3, 0, 10, 2, 1, AIE),
	KG(PIRE0_EL1, 3, 0, 10, 2, 2, S1PIE),
	KG(PIR_EL1, 3, 0, 10, 2, 3, S1PIE),
	KG(POR_EL1, 3, 0, 10, 2, 4, S1POE),
	KG(AMAIR_EL1, 3, 0, 10, 3, 0, NONE),
	KG(AMAIR2_EL1, 3, 0, 10, 3, 1, AIE),
	KG(VBAR_EL1, 3, 0, 12, 0, 0, NONE),
	KG(DISR_EL1, 3, 0, 12, 1, 1, RAS),
	KG(CONTEXTIDR_EL1, 3, 0, 13, 0, 1, NONE),
	KG(TPIDR_EL1, 3, 0, 13, 0, 4, NONE),
	KG(SCXTNUM_EL1, 3, 0, 13, 0, 7, CSV2_2),
	KG(CNTKCTL_EL1, 3, 0, 14, 1, 0, NONE),
	KG(SP_EL1, 3, 4, 4, 1, 0, NONE),
	/* Guest EL0 context and PSTATE views */
	KG(NZCV, 3, 3, 4, 2, 0, NONE),
	KG(DAIF, 3, 3, 4, 2, 1, NONE),
	KG(POR_EL0, 3, 3, 10, 2, 4, S1POE),
	KG(TPIDR_EL0, 3, 3, 13, 0, 2, NONE),
	KG(TPIDRRO_EL0, 3, 3, 13, 0, 3, NONE),
	KG(TPIDR2_EL0, 3, 3, 13, 0, 5, SME),
	KG(SCXTNUM_EL0, 3, 3, 13, 0, 7, CSV2_2),
	/* Generic timer */
	KG(CNTFRQ_EL0, 3, 3, 14, 0, 0, NONE),
	KG(CNTPCT_EL0, 3, 3, 14, 0, 1, NONE),
	KG(CNTVCT_EL0, 3, 3, 14, 0, 2, NONE),
	KG(CNTP_TVAL_EL0, 3, 3, 14, 2, 0, NONE),
	KG(CNTP_CTL_EL0, 3, 3, 14, 2, 1, NONE),
	KG(CNTP_CVAL_EL0, 3, 3, 14, 2, 2, NONE),
	KG(CNTV_TVAL_EL0, 3, 3, 14, 3, 0, NONE),
	KG(CNTV_CTL_EL0, 3, 3, 14, 3, 1, NONE),
	KG(CNTV_CVAL_EL0, 3, 3, 14, 3, 2, NONE),
	KG(CNTVOFF_EL2, 3, 4, 14, 0, 3, NONE),
	/* CNTPOFF_EL2 needs ID_AA64MMFR0_EL1.ECV = 0b0010 (D24.2.88), FEAT_ECV_POFF */
	KG(CNTPOFF_EL2, 3, 4, 14, 0, 6, ECV_POFF),
	KG(CNTHCTL_EL2, 3, 4, 14, 1, 0, NONE),
	KG(CNTHP_TVAL_EL2, 3, 4, 14, 2, 0, NONE),
	KG(CNTHP_CTL_EL2, 3, 4, 14, 2, 1, NONE),
	KG(CNTHP_CVAL_EL2, 3, 4, 14, 2, 2, NONE),
	KG(CNTHV_TVAL_EL2, 3, 4, 14, 3, 0, VHE),
	KG(CNTHV_CTL_EL2, 3, 4, 14, 3, 1, VHE),
	KG(CNTHV_CVAL_EL2, 3, 4, 14, 3, 2, VHE),
	/* EL2 controls */
	KG(VPIDR_EL2, 3, 4, 0, 0, 0, NONE),
	KG(VMPIDR_EL2, 3, 4, 0, 0, 5, NONE),
	KG(SCTLR_EL2, 3, 4, 1, 0, 0, NONE),
	KG(ACTLR_EL2, 3, 4, 1, 0, 1, NONE),
	KG(HCR_EL2, 3, 4, 1, 1, 0, NONE),
	KG(MDCR_EL2, 3, 4, 1, 1, 1, NONE),
	KG(CPTR_EL2, 3, 4, 1, 1, 2, NONE),
	KG(HSTR_EL2, 3, 4, 1, 1, 3, NONE),
	KG(HFGRTR_EL2, 3, 4, 1, 1, 4, FGT),
	KG(HFGWTR_EL2, 3, 4, 1, 1, 5, FGT),
	KG(HFGITR_EL2, 3, 4, 1, 1, 6, FGT),
	KG(HACR_EL2, 3, 4, 1, 1, 7, NONE),
	KG(HCRX_EL2, 3, 4, 1, 2, 2, HCX),
	KG(TTBR0_EL2, 3, 4, 2, 0, 0, NONE),
	KG(TTBR1_EL2, 3, 4, 2, 0, 1, VHE),
	KG(TCR_EL2, 3, 4, 2, 0, 2, NONE),
	KG(VTTBR_EL2, 3, 4, 2, 1, 0, NONE),
	KG(VTCR_EL2, 3, 4, 2, 1, 2, NONE),
	KG(HDFGRTR_EL2, 3, 4, 3, 1, 4, FGT),
	KG(HDFGWTR_EL2, 3, 4, 3, 1, 5, FGT),
	KG(SPSR_EL2, 3, 4, 4, 0, 0, NONE),
	KG(ELR_EL2, 3, 4, 4, 0, 1, NONE),
	KG(AFSR0_EL2, 3, 4, 5, 1, 0, NONE),
	KG(AFSR1_EL2, 3, 4, 5, 1, 1, NONE),
	KG(ESR_EL2, 3, 4, 5, 2, 0, NONE),
	KG(FAR_EL2, 3, 4, 6, 0, 0, NONE),
	KG(HPFAR_EL2, 3, 4, 6, 0, 4, NONE),
	KG(MAIR_EL2, 3, 4, 10, 2, 0, NONE),
	KG(AMAIR_EL2, 3, 4, 10, 3, 0, NONE),
	KG(VBAR_EL2, 3, 4, 12, 0, 0, NONE),
	KG(VDISR_EL2, 3, 4, 12, 1, 1, RAS), /* D24.9.16 */
	KG(CONTEXTIDR_EL2, 3, 4, 13, 0, 1, VHE),
	KG(TPIDR_EL2, 3, 4, 13, 0, 2, NONE),
	/* GICv3 CPU interface (IHI 0069, chapter 12) */
	KG(ICC_PMR_EL1, 3, 0, 4, 6, 0, GICV3),
	KG(ICC_IAR0_EL1, 3, 0, 12, 8, 0, GICV3),
	KG(ICC_EOIR0_EL1, 3, 0, 12, 8, 1, GICV3),
	KG(ICC_HPPIR0_EL1, 3, 0, 12, 8, 2, GICV3),
	KG(ICC_BPR0_EL1, 3, 0, 12, 8, 3, GICV3),
	KG(ICC_AP0R0_EL1, 3, 0, 12, 8, 4, GICV3),
	KG(ICC_AP0R3_EL1, 3, 0, 12, 8, 7, GICV3),
	KG(ICC_AP1R0_EL1, 3, 0, 12, 9, 0, GICV3),
	KG(ICC_AP1R3_EL1, 3, 0, 12, 9, 3, GICV3),
	KG(ICC_DIR_EL1, 3, 0, 12, 11, 1, GICV3),
	KG(ICC_RPR_EL1, 3, 0, 12, 11, 3, GICV3),
	KG(ICC_SGI1R_EL1, 3, 0, 12, 11, 5, GICV3),
	KG(ICC_ASGI1R_EL1, 3, 0, 12, 11, 6, GICV3),
	KG(ICC_SGI0R_EL1, 3, 0, 12, 11, 7, GICV3),
	KG(ICC_IAR1_EL1, 3, 0, 12, 12, 0, GICV3),
	KG(ICC_EOIR1_EL1, 3, 0, 12, 12, 1, GICV3),
	KG(ICC_HPPIR1_EL1, 3, 0, 12, 12, 2, GICV3),
	KG(ICC_BPR1_EL1, 3, 0, 12, 12, 3, GICV3),
	KG(ICC_CTLR_EL1, 3, 0, 12, 12, 4, GICV3),
	KG(ICC_SRE_EL1, 3, 0, 12, 12, 5, GICV3),
	KG(ICC_IGRPEN0_EL1, 3, 0, 12, 12, 6, GICV3),
	KG(ICC_IGRPEN1_EL1, 3, 0, 12, 12, 7, GICV3),
	KG(ICH_AP0R0_EL2, 3, 4, 12, 8, 0, GICV3),
	KG(ICH_AP0R3_EL2, 3, 4, 12, 8, 3, GICV3),
	KG(ICH_AP1R0_EL2, 3, 4, 12, 9, 0, GICV3),
	KG(ICH_AP1R3_EL2, 3, 4, 12, 9, 3, GICV3),
	KG(ICC_SRE_EL2, 3, 4, 12, 9, 5, GICV3),
	KG(ICH_HCR_EL2, 3, 4, 12, 11, 0, GICV3),
	KG(ICH_VTR_EL2, 3, 4, 12, 11, 1, GICV3),
	KG(ICH_MISR_EL2, 3, 4, 12, 11, 2, GICV3),
	KG(ICH_EISR_EL2, 3, 4, 12, 11, 3, GICV3),
	KG(ICH_ELRSR_EL2, 3, 4, 12, 11, 5, GICV3),
	KG(ICH_VMCR_EL2, 3, 4, 12, 11, 7, GICV3),
	KG(ICH_LR0_EL2, 3, 4, 12, 12, 0, GICV3),
	KG(ICH_LR5_EL2, 3, 4, 12, 12, 5, GICV3),
	KG(ICH_LR7_EL2, 3, 4, 12, 12, 7, GICV3),
	KG(ICH_LR8_EL2, 3, 4, 12, 13, 0, GICV3),
	KG(ICH_LR12_EL2, 3, 4, 12, 13, 4, GICV3),
	KG(ICH_LR15_EL2, 3, 4, 12, 13, 7, GICV3),
	/* PMU */
	KG(PMINTENSET_EL1, 3, 0, 9, 14, 1, PMU),
	KG(PMINTENCLR_EL1, 3, 0, 9, 14, 2, PMU),
	KG(PMCR_EL0, 3, 3, 9, 12, 0, PMU),
	KG(PMCNTENSET_EL0, 3, 3, 9, 12, 1, PMU),
	KG(PMCNTENCLR_EL0, 3, 3, 9, 12, 2, PMU),
	KG(PMOVSCLR_EL0, 3, 3, 9, 12, 3, PMU),
	KG(PMSWINC_EL0, 3, 3, 9, 12, 4, PMU),
	KG(PMSELR_EL0, 3, 3, 9, 12, 5, PMU),
	KG(PMCCNTR_EL0, 3, 3, 9, 13, 0, PMU),
	KG(PMXEVTYPER_EL0, 3, 3, 9, 13, 1, PMU),
	KG(PMXEVCNTR_EL0, 3, 3, 9, 13, 2, PMU),
	KG(PMUSERENR_EL0, 3, 3, 9, 14, 0, PMU),
	KG(PMOVSSET_EL0, 3, 3, 9, 14, 3, PMU),
	KG(PMCCFILTR_EL0, 3, 3, 14, 15, 7, PMU),
	/* Debug (op0 = 2) */
	KG(MDSCR_EL1, 2, 0, 0, 2, 2, NONE),
	KG(OSLAR_EL1, 2, 0, 1, 0, 4, NONE),
	KG(OSLSR_EL1, 2, 0, 1, 1, 4, NONE),
	KG(MDCCSR_EL0, 2, 3, 0, 1, 0, NONE),
};

#define NKNOWN (sizeof(known) / sizeof(known[0]))

/* The table as the header declares it, to compare with the library's. */
static const struct {
	const char *name;
	uint32_t enc;
	unsigned wt, flags, feat;
	unsigned op0, op1, crn, crm, op2;
} rows[] = {
#define HYP_X_TEST_ROW(name, op0, op1, crn, crm, op2, feat, wt, flags) \
	{ #name, HYP_SYSREG_ENC(op0, op1, crn, crm, op2), (wt), (flags), HYP_CAP_##feat, \
	  op0, op1, crn, crm, op2 },
	HYP_SYSREGS(HYP_X_TEST_ROW)
#undef HYP_X_TEST_ROW
};

static int row_of(uint32_t enc)
{
	for (size_t i = 0; i < HYP_REG_COUNT; i++)
		if (rows[i].enc == enc)
			return (int)i;
	return -1;
}

Test(regdefs, known_good_encodings)
{
	cr_assert_geq(NKNOWN, 40);
	for (size_t i = 0; i < NKNOWN; i++) {
		const struct known *k = &known[i];
		uint32_t enc = pack(k->op0, k->op1, k->crn, k->crm, k->op2);

		cr_assert_eq(k->sym, enc, "%s: HYP_SYS_ is %#x, Arm ARM says %#x", k->name,
			     (unsigned)k->sym, (unsigned)enc);
		cr_assert_eq(HYP_SYSREG_OP0(k->sym), k->op0, "%s op0", k->name);
		cr_assert_eq(HYP_SYSREG_OP1(k->sym), k->op1, "%s op1", k->name);
		cr_assert_eq(HYP_SYSREG_CRN(k->sym), k->crn, "%s CRn", k->name);
		cr_assert_eq(HYP_SYSREG_CRM(k->sym), k->crm, "%s CRm", k->name);
		cr_assert_eq(HYP_SYSREG_OP2(k->sym), k->op2, "%s op2", k->name);
		/* shifted by five, the packed encoding is MRS bits [20:5] */
		cr_assert_eq(0xd5200000u | (k->sym << 5),
			     mrs_x0(k->op0, k->op1, k->crn, k->crm, k->op2), "%s MRS", k->name);

		cr_assert_eq(hyp_sysreg_lookup(enc), k->id, "%s: lookup", k->name);
		cr_assert_eq(hyp_sysreg_table[k->id].enc, enc, "%s: table enc", k->name);
		cr_assert_str_eq(hyp_sysreg_name(enc), k->name);
		cr_assert_str_eq(hyp_sysreg_table[k->id].name, k->name);
		cr_assert_eq(hyp_sysreg_table[k->id].feat, k->feat, "%s: feature", k->name);
	}
}

Test(regdefs, known_good_names_are_distinct)
{
	for (size_t i = 0; i < NKNOWN; i++)
		for (size_t j = i + 1; j < NKNOWN; j++)
			cr_assert_str_neq(known[i].name, known[j].name);
}

Test(regdefs, table_matches_header)
{
	cr_assert_eq(sizeof(rows) / sizeof(rows[0]), (size_t)HYP_REG_COUNT);
	for (size_t i = 0; i < HYP_REG_COUNT; i++) {
		cr_assert_str_eq(hyp_sysreg_table[i].name, rows[i].name);
		cr_assert_eq(hyp_sysreg_table[i].enc, rows[i].enc, "%s", rows[i].name);
		cr_assert_eq(hyp_sysreg_table[i].wtrap, rows[i].wt, "%s", rows[i].name);
		cr_assert_eq(hyp_sysreg_table[i].flags, rows[i].flags, "%s", rows[i].name);
		cr_assert_eq(hyp_sysreg_table[i].feat, rows[i].feat, "%s", rows[i].name);
		cr_assert_lt(rows[i].feat, (unsigned)HYP_CAP_COUNT, "%s", rows[i].name);
		/* each field fits its width, so packing cannot alias two rows */
		cr_assert(rows[i].op0 <= 3 && rows[i].op1 <= 7 && rows[i].crn <= 15 &&
			  rows[i].crm <= 15 && rows[i].op2 <= 7, "%s: field out of range",
			  rows[i].name);
	}
}

Test(regdefs, sorted_unique_op0)
{
	for (size_t i = 0; i < HYP_REG_COUNT; i++) {
		unsigned op0 = HYP_SYSREG_OP0(hyp_sysreg_table[i].enc);

		cr_assert(op0 == 2 || op0 == 3, "%s: op0 %u", hyp_sysreg_table[i].name, op0);
		if (i > 0)
			cr_assert_lt(hyp_sysreg_table[i - 1].enc, hyp_sysreg_table[i].enc,
				     "%s must come after %s", hyp_sysreg_table[i - 1].name,
				     hyp_sysreg_table[i].name);
		cr_assert_eq(hyp_sysreg_lookup(hyp_sysreg_table[i].enc), (int)i, "%s",
			     hyp_sysreg_table[i].name);
		for (size_t j = i + 1; j < HYP_REG_COUNT; j++)
			cr_assert_str_neq(hyp_sysreg_table[i].name, hyp_sysreg_table[j].name);
	}
}

Test(regdefs, unknown_encodings)
{
	static const uint32_t absent[] = {
		0,
		HYP_SYSREG_ENC(3, 0, 0, 0, 1),   /* reserved ID space */
		HYP_SYSREG_ENC(3, 5, 1, 0, 0),   /* SCTLR_EL12: aliases are not listed */
		HYP_SYSREG_ENC(3, 5, 14, 3, 1),  /* CNTV_CTL_EL02 */
		HYP_SYSREG_ENC(3, 6, 1, 1, 0),   /* SCR_EL3 */
		HYP_SYSREG_ENC(3, 7, 15, 15, 7), /* IMPLEMENTATION DEFINED space */
		HYP_SYSREG_ENC(1, 0, 7, 5, 0),   /* IC IALLU is an instruction */
		0xffffu,
	};

	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		cr_assert_eq(hyp_sysreg_lookup(absent[i]), HYP_ENOENT, "%#x", (unsigned)absent[i]);
		cr_assert_str_eq(hyp_sysreg_name(absent[i]), "?");
	}
	/* Not a 16-bit encoding at all. */
	cr_assert_eq(hyp_sysreg_lookup(0x10000u | HYP_SYS_SCTLR_EL1), HYP_ENOENT);

	/* Every encoding: found iff listed, and then at the right index. */
	for (uint32_t enc = 0; enc <= 0xffffu; enc++) {
		int want = row_of(enc);
		int got = hyp_sysreg_lookup(enc);

		if (want < 0) {
			cr_assert_eq(got, HYP_ENOENT, "%#x", (unsigned)enc);
			cr_assert_str_eq(hyp_sysreg_name(enc), "?");
		} else {
			cr_assert_eq(got, want, "%#x", (unsigned)enc);
		}
	}
}

static const char *const e12_yes[] = {
	"SCTLR_EL1", "CPACR_EL1", "TTBR0_EL1", "TTBR1_EL1", "TCR_EL1", "TCR2_EL1",
	"ESR_EL1", "FAR_EL1", "AFSR0_EL1", "AFSR1_EL1", "MAIR_EL1", "AMAIR_EL1",
	"VBAR_EL1", "CONTEXTIDR_EL1", "CNTKCTL_EL1", "SPSR_EL1", "ELR_EL1",
	"ZCR_EL1", "PIR_EL1", "PIRE0_EL1", "POR_EL1", "CNTP_TVAL_EL0",
	"CNTP_CTL_EL0", "CNTP_CVAL_EL0", "CNTV_TVAL_EL0", "CNTV_CTL_EL0",
	"CNTV_CVAL_EL0",
};
static const char *const e12_no[] = {
	"TPIDR_EL1", "PAR_EL1", "SP_EL1", "SP_EL0", "ACTLR_EL1", "CSSELR_EL1",
	"TPIDR_EL0", "TPIDRRO_EL0", "POR_EL0", "TFSRE0_EL1", "MDSCR_EL1",
	"CNTVCT_EL0", "CNTPCT_EL0", "CNTFRQ_EL0", "DISR_EL1",
};

static int id_by_name(const char *name)
{
	for (int i = 0; i < HYP_REG_COUNT; i++)
		if (strcmp(hyp_sysreg_table[i].name, name) == 0)
			return i;
	return -1;
}

Test(regdefs, e12_aliases)
{
	cr_assert_eq(HYP_SYSREG_E12(HYP_SYS_SCTLR_EL1), pack(3, 5, 1, 0, 0));
	cr_assert_eq(HYP_SYSREG_E12(HYP_SYS_CNTV_CTL_EL0), pack(3, 5, 14, 3, 1));
	cr_assert_eq(HYP_SYSREG_E12(HYP_SYS_CNTKCTL_EL1), pack(3, 5, 14, 1, 0));
	cr_assert_eq(HYP_SYSREG_E12(HYP_SYS_TCR2_EL1), pack(3, 5, 2, 0, 3));

	for (size_t i = 0; i < HYP_REG_COUNT; i++) {
		const struct hyp_sysreg_desc *d = &hyp_sysreg_table[i];
		unsigned op1 = HYP_SYSREG_OP1(d->enc);

		cr_assert_neq(op1, 5u, "%s: EL12/EL02 aliases are not listed", d->name);
		if (!(d->flags & HYP_RF_E12))
			continue;
		cr_assert(d->flags & (HYP_RF_EL1 | HYP_RF_EL0 | HYP_RF_TIMER), "%s", d->name);
		cr_assert(op1 == 0 || op1 == 3, "%s: op1 %u", d->name, op1);
		cr_assert_eq(HYP_SYSREG_OP0(d->enc), 3u, "%s", d->name);
		cr_assert_eq(hyp_sysreg_lookup(HYP_SYSREG_E12(d->enc)), HYP_ENOENT, "%s", d->name);
	}
	for (size_t i = 0; i < sizeof(e12_yes) / sizeof(e12_yes[0]); i++) {
		int id = id_by_name(e12_yes[i]);

		cr_assert_geq(id, 0, "%s missing", e12_yes[i]);
		cr_assert(hyp_sysreg_table[id].flags & HYP_RF_E12, "%s has an alias", e12_yes[i]);
	}
	for (size_t i = 0; i < sizeof(e12_no) / sizeof(e12_no[0]); i++) {
		int id = id_by_name(e12_no[i]);

		cr_assert_geq(id, 0, "%s missing", e12_no[i]);
		cr_assert_not(hyp_sysreg_table[id].flags & HYP_RF_E12, "%s has no alias", e12_no[i]);
	}
}

/*
 * HFGWTR_EL2 bits that more than one register legitimately shares (Arm ARM,
 * HFGWTR_EL2 and the MSR pseudocode of each register).
 */
static const char *const fgt_groups[][2] = {
	{ "APIAKeyLo_EL1", "APIAKeyHi_EL1" },
	{ "APIBKeyLo_EL1", "APIBKeyHi_EL1" },
	{ "APDAKeyLo_EL1", "APDAKeyHi_EL1" },
	{ "APDBKeyLo_EL1", "APDBKeyHi_EL1" },
	{ "APGAKeyLo_EL1", "APGAKeyHi_EL1" },
	{ "ICC_IGRPEN0_EL1", "ICC_IGRPEN1_EL1" },
	{ "SCTLR_EL1", "SCTLR2_EL1" },
	{ "TCR_EL1", "TCR2_EL1" },
};

static bool may_share(const char *a, const char *b)
{
	for (size_t i = 0; i < sizeof(fgt_groups) / sizeof(fgt_groups[0]); i++)
		if ((!strcmp(a, fgt_groups[i][0]) && !strcmp(b, fgt_groups[i][1])) ||
		    (!strcmp(a, fgt_groups[i][1]) && !strcmp(b, fgt_groups[i][0])))
			return true;
	return false;
}

Test(regdefs, write_trap_fgt)
{
	for (size_t i = 0; i < HYP_REG_COUNT; i++) {
		const struct hyp_sysreg_desc *d = &hyp_sysreg_table[i];
		unsigned wt = d->wtrap;

		cr_assert_eq(wt & ~0x73fu, 0u, "%s: stray write_trap bits %#x", d->name, wt);
		if (d->flags & HYP_RF_RO)
			cr_assert_eq(wt, HYP_WT_NONE, "%s is read-only", d->name);
		if (!HYP_WT_HAS_FGT(wt)) {
			cr_assert_eq(wt & 0x43fu, 0u, "%s: bit or polarity without FGT", d->name);
			continue;
		}
		unsigned bit = HYP_WT_FGT_BIT(wt);

		cr_assert_lt(bit, 64u, "%s", d->name);
		/* HFGWTR_EL2: bits 63:52 and 50 are the "n" bits; 51 is RES0. */
		cr_assert_neq(bit, 51u, "%s", d->name);
		cr_assert_eq(HYP_WT_FGT_NEG(wt), (unsigned)(bit >= 50), "%s: polarity of bit %u",
			     d->name, bit);
		for (size_t j = i + 1; j < HYP_REG_COUNT; j++) {
			const struct hyp_sysreg_desc *e = &hyp_sysreg_table[j];

			if (HYP_WT_HAS_FGT(e->wtrap) && HYP_WT_FGT_BIT(e->wtrap) == bit)
				cr_assert(may_share(d->name, e->name), "%s and %s share bit %u",
					  d->name, e->name, bit);
		}
	}
}

Test(regdefs, write_trap_fgt_bits)
{
	/* Literal HFGWTR_EL2 positions (Arm ARM, HFGWTR_EL2). */
	static const struct {
		uint32_t enc;
		unsigned bit, neg;
	} b[] = {
		{ HYP_SYS_AFSR0_EL1, 0, 0 },       { HYP_SYS_AFSR1_EL1, 1, 0 },
		{ HYP_SYS_AMAIR_EL1, 3, 0 },       { HYP_SYS_APDAKeyLo_EL1, 4, 0 },
		{ HYP_SYS_APDBKeyHi_EL1, 5, 0 },   { HYP_SYS_APGAKeyLo_EL1, 6, 0 },
		{ HYP_SYS_APIAKeyHi_EL1, 7, 0 },   { HYP_SYS_APIBKeyLo_EL1, 8, 0 },
		{ HYP_SYS_CONTEXTIDR_EL1, 11, 0 }, { HYP_SYS_CPACR_EL1, 12, 0 },
		{ HYP_SYS_CSSELR_EL1, 13, 0 },     { HYP_SYS_ESR_EL1, 16, 0 },
		{ HYP_SYS_FAR_EL1, 17, 0 },        { HYP_SYS_MAIR_EL1, 24, 0 },
		{ HYP_SYS_PAR_EL1, 27, 0 },        { HYP_SYS_SCTLR_EL1, 29, 0 },
		{ HYP_SYS_SCXTNUM_EL1, 30, 0 },    { HYP_SYS_SCXTNUM_EL0, 31, 0 },
		{ HYP_SYS_TCR_EL1, 32, 0 },        { HYP_SYS_TPIDR_EL1, 33, 0 },
		{ HYP_SYS_TPIDRRO_EL0, 34, 0 },    { HYP_SYS_TPIDR_EL0, 35, 0 },
		{ HYP_SYS_TTBR0_EL1, 36, 0 },      { HYP_SYS_TTBR1_EL1, 37, 0 },
		{ HYP_SYS_VBAR_EL1, 38, 0 },       { HYP_SYS_ICC_IGRPEN1_EL1, 39, 0 },
		{ HYP_SYS_TPIDR2_EL0, 55, 1 },     { HYP_SYS_PIRE0_EL1, 57, 1 },
		{ HYP_SYS_PIR_EL1, 58, 1 },        { HYP_SYS_POR_EL0, 59, 1 },
		{ HYP_SYS_POR_EL1, 60, 1 },        { HYP_SYS_MAIR2_EL1, 62, 1 },
		{ HYP_SYS_AMAIR2_EL1, 63, 1 },     { HYP_SYS_SCTLR2_EL1, 29, 0 },
		{ HYP_SYS_TCR2_EL1, 32, 0 },
	};

	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		int id = hyp_sysreg_lookup(b[i].enc);

		cr_assert_geq(id, 0);
		unsigned wt = hyp_sysreg_table[id].wtrap;

		cr_assert(HYP_WT_HAS_FGT(wt), "%s", hyp_sysreg_table[id].name);
		cr_assert_eq(HYP_WT_FGT_BIT(wt), b[i].bit, "%s", hyp_sysreg_table[id].name);
		cr_assert_eq(HYP_WT_FGT_NEG(wt), b[i].neg, "%s", hyp_sysreg_table[id].name);
	}
	/* No HFGWTR_EL2 bit for these (HCR_EL2.TACR, HDFGWTR_EL2, nothing). */
	cr_assert_eq(hyp_sysreg_table[HYP_REG_ACTLR_EL1].wtrap, HYP_WT_NONE);
	cr_assert_eq(hyp_sysreg_table[HYP_REG_MDSCR_EL1].wtrap, HYP_WT_NONE);
	cr_assert_eq(hyp_sysreg_table[HYP_REG_CNTKCTL_EL1].wtrap, HYP_WT_NONE);
	cr_assert_eq(hyp_sysreg_table[HYP_REG_SP_EL1].wtrap, HYP_WT_NONE);
}

Test(regdefs, write_trap_tvm)
{
	/*
	 * Arm ARM, HCR_EL2.TVM: SCTLR_EL1, TTBR0_EL1, TTBR1_EL1, TCR_EL1,
	 * ESR_EL1, FAR_EL1, AFSR0_EL1, AFSR1_EL1, MAIR_EL1, AMAIR_EL1,
	 * CONTEXTIDR_EL1; with FEAT_AIE MAIR2/AMAIR2_EL1; with FEAT_S1PIE
	 * PIRE0/PIR_EL1; with FEAT_S1POE POR_EL0/POR_EL1; with FEAT_TCR2
	 * TCR2_EL1; with FEAT_SCTLR2 SCTLR2_EL1.
	 */
	static const int tvm[] = {
		HYP_REG_SCTLR_EL1,  HYP_REG_TTBR0_EL1,	HYP_REG_TTBR1_EL1,
		HYP_REG_TCR_EL1,    HYP_REG_ESR_EL1,	HYP_REG_FAR_EL1,
		HYP_REG_AFSR0_EL1,  HYP_REG_AFSR1_EL1,	HYP_REG_MAIR_EL1,
		HYP_REG_AMAIR_EL1,  HYP_REG_CONTEXTIDR_EL1, HYP_REG_MAIR2_EL1,
		HYP_REG_AMAIR2_EL1, HYP_REG_PIRE0_EL1,	HYP_REG_PIR_EL1,
		HYP_REG_POR_EL0,    HYP_REG_POR_EL1,	HYP_REG_TCR2_EL1,
		HYP_REG_SCTLR2_EL1,
	};
	size_t ntvm = sizeof(tvm) / sizeof(tvm[0]);
	size_t seen = 0;

	for (size_t i = 0; i < HYP_REG_COUNT; i++) {
		const struct hyp_sysreg_desc *d = &hyp_sysreg_table[i];
		bool want = false;

		for (size_t k = 0; k < ntvm; k++)
			want |= tvm[k] == (int)i;
		cr_assert_eq(!!(d->wtrap & HYP_WT_TVM), want, "%s: TVM", d->name);
		if (!want)
			continue;
		seen++;
		/* POR_EL0 is the one EL0 register in the TVM group. */
		if (i == (size_t)HYP_REG_POR_EL0)
			cr_assert(d->flags & HYP_RF_EL0, "%s", d->name);
		else
			cr_assert(d->flags & HYP_RF_EL1, "%s is EL1 context", d->name);
		cr_assert(HYP_WT_HAS_FGT(d->wtrap), "%s: TVM registers all have an FGT bit",
			  d->name);
	}
	cr_assert_eq(seen, ntvm);
}

Test(regdefs, flags_sanity)
{
	for (size_t i = 0; i < HYP_REG_COUNT; i++) {
		const struct hyp_sysreg_desc *d = &hyp_sysreg_table[i];

		cr_assert_eq(d->flags & ~0x7ffu, 0u, "%s", d->name);
		cr_assert_not((d->flags & HYP_RF_RO) && (d->flags & HYP_RF_WO), "%s", d->name);
		if (d->flags & HYP_RF_ID)
			cr_assert(d->flags & HYP_RF_RO, "%s: ID registers are read-only", d->name);
		if (d->flags & HYP_RF_GIC)
			cr_assert_eq(d->feat, (unsigned)HYP_CAP_GICV3, "%s", d->name);
		if (d->feat == HYP_CAP_PMU)
			cr_assert(d->flags & HYP_RF_DEBUG, "%s", d->name);
		if (d->flags & HYP_RF_EL2)
			cr_assert_eq(HYP_SYSREG_OP1(d->enc), 4u, "%s", d->name);
	}
	cr_assert(hyp_sysreg_table[HYP_REG_ICC_EOIR1_EL1].flags & HYP_RF_WO);
	cr_assert(hyp_sysreg_table[HYP_REG_ICC_SGI1R_EL1].flags & HYP_RF_WO);
	cr_assert(hyp_sysreg_table[HYP_REG_PMSWINC_EL0].flags & HYP_RF_WO);
	cr_assert(hyp_sysreg_table[HYP_REG_ICC_IAR1_EL1].flags & HYP_RF_RO);
	cr_assert(hyp_sysreg_table[HYP_REG_ICH_VTR_EL2].flags & HYP_RF_RO);
	cr_assert(hyp_sysreg_table[HYP_REG_ICH_ELRSR_EL2].flags & HYP_RF_RO);
	cr_assert(hyp_sysreg_table[HYP_REG_CNTVCT_EL0].flags & HYP_RF_RO);
	cr_assert(hyp_sysreg_table[HYP_REG_CurrentEL].flags & HYP_RF_RO);
	cr_assert(hyp_sysreg_table[HYP_REG_OSLSR_EL1].flags & HYP_RF_RO);
	cr_assert(hyp_sysreg_table[HYP_REG_OSLAR_EL1].flags & HYP_RF_WO);
	cr_assert(hyp_sysreg_table[HYP_REG_SP_EL1].flags & HYP_RF_EL1);
	cr_assert(hyp_sysreg_table[HYP_REG_TPIDR_EL0].flags & HYP_RF_EL0);
}

/* The header's field list, to compare with the library's table. */
static const struct {
	const char *name;
	int reg;
	unsigned shift, width, is_signed, rule, safe;
} fields[] = {
#define U 0
#define S 1
#define HYP_X_TEST_FIELD(reg, field, shift, width, sign, rule, safe) \
	{ #reg "." #field, HYP_REG_##reg, shift, width, sign, HYP_ID_RULE_##rule, safe },
	HYP_ID_FIELDS(HYP_X_TEST_FIELD)
#undef HYP_X_TEST_FIELD
#undef U
#undef S
};

Test(regdefs, id_fields_layout)
{
	uint64_t used[HYP_REG_COUNT] = { 0 };

	cr_assert_eq(sizeof(fields) / sizeof(fields[0]), (size_t)HYP_IDF_COUNT);
	for (size_t i = 0; i < HYP_IDF_COUNT; i++) {
		const struct hyp_id_field_desc *f = &hyp_id_field_table[i];

		cr_assert_str_eq(f->name, fields[i].name);
		cr_assert_eq(f->reg, fields[i].reg, "%s", f->name);
		cr_assert_eq(f->shift, fields[i].shift, "%s", f->name);
		cr_assert_eq(f->width, fields[i].width, "%s", f->name);
		cr_assert_eq(f->is_signed, fields[i].is_signed, "%s", f->name);
		cr_assert_eq(f->rule, fields[i].rule, "%s", f->name);
		cr_assert_eq(f->safe, fields[i].safe, "%s", f->name);

		cr_assert_lt(f->reg, HYP_REG_COUNT, "%s", f->name);
		cr_assert(hyp_sysreg_table[f->reg].flags & HYP_RF_ID, "%s: not an ID register",
			  f->name);
		cr_assert_gt(f->width, 0, "%s", f->name);
		cr_assert_leq(f->shift + f->width, 64, "%s", f->name);
		cr_assert_leq(f->rule, HYP_ID_RULE_HIGHER0, "%s", f->name);
		cr_assert_lt(f->safe, 1u << f->width, "%s", f->name);
		if (f->is_signed)
			cr_assert_eq(f->width, 4, "%s: signed fields are 4 bits", f->name);

		uint64_t mask = (f->width == 64 ? ~0ull : ((1ull << f->width) - 1)) << f->shift;

		cr_assert_eq(used[f->reg] & mask, 0ull, "%s overlaps another field", f->name);
		used[f->reg] |= mask;
		for (size_t j = i + 1; j < HYP_IDF_COUNT; j++)
			cr_assert_str_neq(f->name, hyp_id_field_table[j].name);
	}
}

Test(regdefs, id_fields_known_positions)
{
	/* Literal positions from the Arm ARM ID_AA64*_EL1 / CTR_EL0 descriptions. */
	cr_assert_eq(HYP_IDF_ID_AA64MMFR1_EL1_VH_SHIFT, 8);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR1_EL1_HAFDBS_SHIFT, 0);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR1_EL1_VMIDBits_SHIFT, 4);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR1_EL1_HCX_SHIFT, 40);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR1_EL1_SpecSEI_SHIFT, 24);
	cr_assert_eq(HYP_IDF_ID_AA64PFR0_EL1_GIC_SHIFT, 24);
	cr_assert_eq(HYP_IDF_ID_AA64PFR0_EL1_EL2_SHIFT, 8);
	cr_assert_eq(HYP_IDF_ID_AA64PFR0_EL1_FP_SHIFT, 16);
	cr_assert_eq(HYP_IDF_ID_AA64PFR0_EL1_AdvSIMD_SHIFT, 20);
	cr_assert_eq(HYP_IDF_ID_AA64PFR0_EL1_SVE_SHIFT, 32);
	cr_assert_eq(HYP_IDF_ID_AA64PFR0_EL1_CSV3_SHIFT, 60);
	cr_assert_eq(HYP_IDF_ID_AA64PFR1_EL1_MTE_SHIFT, 8);
	cr_assert_eq(HYP_IDF_ID_AA64PFR1_EL1_SME_SHIFT, 24);
	cr_assert_eq(HYP_IDF_ID_AA64DFR0_EL1_PMUVer_SHIFT, 8);
	cr_assert_eq(HYP_IDF_ID_AA64DFR0_EL1_BRPs_SHIFT, 12);
	cr_assert_eq(HYP_IDF_ID_AA64DFR0_EL1_WRPs_SHIFT, 20);
	cr_assert_eq(HYP_IDF_ID_AA64DFR0_EL1_CTX_CMPs_SHIFT, 28);
	cr_assert_eq(HYP_IDF_ID_AA64ISAR0_EL1_Atomic_SHIFT, 20);
	cr_assert_eq(HYP_IDF_ID_AA64ISAR0_EL1_RNDR_SHIFT, 60);
	cr_assert_eq(HYP_IDF_ID_AA64ISAR1_EL1_APA_SHIFT, 4);
	cr_assert_eq(HYP_IDF_ID_AA64ISAR1_EL1_API_SHIFT, 8);
	cr_assert_eq(HYP_IDF_ID_AA64ISAR1_EL1_LS64_SHIFT, 60);
	cr_assert_eq(HYP_IDF_ID_AA64ISAR2_EL1_WFxT_SHIFT, 0);
	cr_assert_eq(HYP_IDF_ID_AA64ISAR2_EL1_APA3_SHIFT, 12);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR0_EL1_PARange_SHIFT, 0);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR0_EL1_TGran4_SHIFT, 28);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR0_EL1_TGran4_2_SHIFT, 40);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR0_EL1_FGT_SHIFT, 56);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR0_EL1_ECV_SHIFT, 60);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR2_EL1_FWB_SHIFT, 40);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR2_EL1_TTL_SHIFT, 48);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR2_EL1_NV_SHIFT, 24);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR2_EL1_E0PD_SHIFT, 60);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR3_EL1_TCRX_SHIFT, 0);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR3_EL1_S1PIE_SHIFT, 8);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR3_EL1_S1POE_SHIFT, 16);
	cr_assert_eq(HYP_IDF_ID_AA64MMFR3_EL1_AIE_SHIFT, 24);
	cr_assert_eq(HYP_IDF_ID_AA64ZFR0_EL1_SVEver_SHIFT, 0);
	cr_assert_eq(HYP_IDF_CTR_EL0_IminLine_SHIFT, 0);
	cr_assert_eq(HYP_IDF_CTR_EL0_L1Ip_SHIFT, 14);
	cr_assert_eq(HYP_IDF_CTR_EL0_L1Ip_WIDTH, 2);
	cr_assert_eq(HYP_IDF_CTR_EL0_DminLine_SHIFT, 16);
	cr_assert_eq(HYP_IDF_CTR_EL0_ERG_SHIFT, 20);
	cr_assert_eq(HYP_IDF_CTR_EL0_CWG_SHIFT, 24);
	cr_assert_eq(HYP_IDF_CTR_EL0_IDC_SHIFT, 28);
	cr_assert_eq(HYP_IDF_CTR_EL0_IDC_WIDTH, 1);
	cr_assert_eq(HYP_IDF_CTR_EL0_DIC_SHIFT, 29);
	cr_assert_eq(HYP_IDF_CTR_EL0_DIC_WIDTH, 1);

	/* HYP_IDF_GET on a made-up value. */
	cr_assert_eq(HYP_IDF_GET(ID_AA64MMFR1_EL1, VH, 0x0000000000000f00ull), 0xfu);
	cr_assert_eq(HYP_IDF_GET(ID_AA64MMFR1_EL1, VH, 0xfffffffffffff0ffull), 0u);
	cr_assert_eq(HYP_IDF_GET(CTR_EL0, DIC, 0x30000000ull), 1u);
	cr_assert_eq(HYP_IDF_GET(CTR_EL0, L1Ip, 0x8000ull), 2u);
	cr_assert_eq(HYP_IDF_GET(ID_AA64PFR0_EL1, CSV3, 0x1000000000000000ull), 1u);
}

Test(regdefs, id_fields_rules)
{
	const struct hyp_id_field_desc *t = hyp_id_field_table;

	/* 0xF = not implemented: signed, lowest wins. */
	cr_assert(t[HYP_IDF_ID_AA64PFR0_EL1_FP].is_signed);
	cr_assert(t[HYP_IDF_ID_AA64PFR0_EL1_AdvSIMD].is_signed);
	cr_assert(t[HYP_IDF_ID_AA64MMFR0_EL1_TGran4].is_signed);
	cr_assert(t[HYP_IDF_ID_AA64MMFR0_EL1_TGran64].is_signed);
	cr_assert_not(t[HYP_IDF_ID_AA64MMFR0_EL1_TGran16].is_signed);
	cr_assert_not(t[HYP_IDF_ID_AA64DFR0_EL1_PMUVer].is_signed);
	cr_assert_eq(t[HYP_IDF_ID_AA64PFR0_EL1_FP].rule, HYP_ID_RULE_LOWER);
	/* PMUVer 0b1111 is an IMPLEMENTATION DEFINED PMU, not a higher version
	 * (Arm ARM D24.2.80): CPUs must agree, else no PMU (0) */
	cr_assert_eq(t[HYP_IDF_ID_AA64DFR0_EL1_PMUVer].rule, HYP_ID_RULE_EXACT);
	cr_assert_eq(t[HYP_IDF_ID_AA64DFR0_EL1_PMUVer].safe, 0);
	cr_assert_eq(t[HYP_IDF_ID_AA64DFR0_EL1_BRPs].rule, HYP_ID_RULE_LOWER);
	cr_assert_eq(t[HYP_IDF_ID_AA64MMFR1_EL1_VH].rule, HYP_ID_RULE_LOWER);
	cr_assert_eq(t[HYP_IDF_ID_AA64MMFR0_EL1_PARange].rule, HYP_ID_RULE_LOWER);

	/* CTR_EL0 cache geometry. */
	cr_assert_eq(t[HYP_IDF_CTR_EL0_IminLine].rule, HYP_ID_RULE_LOWER);
	cr_assert_eq(t[HYP_IDF_CTR_EL0_L1Ip].rule, HYP_ID_RULE_EXACT);
	cr_assert_eq(t[HYP_IDF_CTR_EL0_DminLine].rule, HYP_ID_RULE_LOWER);
	/* CWG/ERG 0b0000: not reported, assume the maximum (Arm ARM D24.2.42) */
	cr_assert_eq(t[HYP_IDF_CTR_EL0_ERG].rule, HYP_ID_RULE_HIGHER0);
	cr_assert_eq(t[HYP_IDF_CTR_EL0_CWG].rule, HYP_ID_RULE_HIGHER0);
	cr_assert_eq(t[HYP_IDF_CTR_EL0_IDC].rule, HYP_ID_RULE_LOWER);
	cr_assert_eq(t[HYP_IDF_CTR_EL0_DIC].rule, HYP_ID_RULE_LOWER);
}

Test(regdefs, written_without_an_msr)
{
	/*
	 * HYP_RF_HWW: registers the PE writes without an MSR to them, so that no
	 * write trap sees every change (they can never be DIRTY). Independent
	 * list, from the Arm ARM (DDI 0487 M.a.a):
	 * - exception entry to EL1 writes SPSR_EL1 and ELR_EL1 (C5.2.5 ELR_EL1
	 *   and the SPSR_EL1 description), ESR_EL1 and FAR_EL1 (their
	 *   descriptions: "holds syndrome information for an exception taken to
	 *   EL1", "the faulting virtual address"), and the IMPLEMENTATION DEFINED
	 *   AFSR0/1_EL1 (D24.2.7, "additional IMPLEMENTATION DEFINED fault status
	 *   information for exceptions taken to EL1");
	 * - SP_EL0 and SP_EL1 are the stack pointer of any instruction that writes
	 *   SP while PSTATE.SP selects them (C5.2, SP_EL0/SP_EL1);
	 * - PAR_EL1 is the result of AT instructions (D24.2.142);
	 * - DISR_EL1 records an SError deferred by ESB (FEAT_RAS, D24.9.1), and
	 *   VDISR_EL2 a virtual SError deferred by ESB at EL1 (D24.9.16);
	 * - TFSR_EL1/TFSRE0_EL1 accumulate asynchronous tag-check faults and
	 *   RGSR_EL1.SEED is updated by IRG (FEAT_MTE2).
	 */
	static const int hww[] = {
		HYP_REG_SPSR_EL1, HYP_REG_ELR_EL1,  HYP_REG_SP_EL0,    HYP_REG_SP_EL1,
		HYP_REG_ESR_EL1,  HYP_REG_FAR_EL1,  HYP_REG_AFSR0_EL1, HYP_REG_AFSR1_EL1,
		HYP_REG_PAR_EL1,  HYP_REG_DISR_EL1, HYP_REG_TFSR_EL1,  HYP_REG_TFSRE0_EL1,
		HYP_REG_RGSR_EL1, HYP_REG_VDISR_EL2,
	};
	size_t n = sizeof(hww) / sizeof(hww[0]), seen = 0;

	cr_assert_eq(HYP_RF_HWW & 0x3ffu, 0u, "a flag of its own");
	for (size_t i = 0; i < HYP_REG_COUNT; i++) {
		const struct hyp_sysreg_desc *d = &hyp_sysreg_table[i];
		bool want = false;

		for (size_t k = 0; k < n; k++)
			want |= hww[k] == (int)i;
		cr_assert_eq(!!(d->flags & HYP_RF_HWW), want, "%s: HYP_RF_HWW", d->name);
		seen += want;
		if (want)
			cr_assert(d->flags & (HYP_RF_EL1 | HYP_RF_EL0), "%s is guest context",
				  d->name);
	}
	cr_assert_eq(seen, n);
	/* PAR_EL1 has an HFGWTR_EL2 bit (27) for MSRs, which is not enough */
	cr_assert(HYP_WT_HAS_FGT(hyp_sysreg_table[HYP_REG_PAR_EL1].wtrap));
}

/* Typed encodings (hyp_sysreg_enc_t). SCTLR_EL1 is 3 0 1 0 0 (Arm ARM
 * D24.2.175): packed 0xc080; 3 0 0 0 7 is no register in the table. */
static const hyp_sysreg_enc_t typed_table[] = { HYP_ENC_INIT(SCTLR_EL1), HYP_ENC_INIT(TCR_EL1) };

Test(regdefs, typed_encodings_round_trip_with_ids)
{
	cr_expect_eq(sizeof(hyp_sysreg_enc_t), 2, "costs what a uint16_t does");
	cr_expect_eq(typed_table[0].raw, 0xc080);
	cr_expect_eq(typed_table[1].raw, pack(3, 0, 2, 0, 2)); /* TCR_EL1 */
	cr_expect_eq(HYP_ENC(SCTLR_EL1).raw, 0xc080);
	cr_expect_eq(hyp_sysreg_id_of(HYP_ENC_RAW(0xc080)), HYP_REG_SCTLR_EL1);
	cr_expect_eq(hyp_sysreg_id_of(HYP_ENC_RAW(pack(3, 0, 0, 0, 7))), HYP_ENOENT);
	cr_expect_eq(hyp_sysreg_enc_of(HYP_REG_SCTLR_EL1).raw, 0xc080);
	cr_expect_eq(hyp_sysreg_enc_of(HYP_REG_COUNT).raw, 0);
	cr_expect_str_eq(hyp_sysreg_enc_name(HYP_ENC(SCTLR_EL1)), "SCTLR_EL1");
	cr_expect_str_eq(hyp_sysreg_enc_name(HYP_ENC_RAW(pack(3, 0, 0, 0, 7))), "?");
	for (unsigned id = 0; id < HYP_REG_COUNT; id++)
		cr_expect_eq(hyp_sysreg_id_of(hyp_sysreg_enc_of(id)), (int)id, "%s",
			     hyp_sysreg_table[id].name);
}
