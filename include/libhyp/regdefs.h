/* SPDX-License-Identifier: MIT */
/**
 * @file regdefs.h
 * @brief The register table: the one place every system register libhyp
 *        knows is defined.
 *
 * Everything else is derived from the X-macro tables below: the encoding
 * constants (HYP_SYS_<name>), the dense register ids (HYP_REG_<name>), the
 * name strings, the sorted lookup table used for trap emulation
 * (hyp_sysreg_lookup()), and the ID-register field constants
 * (HYP_IDF_<reg>_<field>_SHIFT / _WIDTH). Nothing here touches hardware.
 *
 * To add a register: add one row to HYP_SYSREGS, in ascending encoding
 * order (a host test fails otherwise), and a known-good encoding to
 * tests/host/test_regdefs.c.
 */
#ifndef LIBHYP_REGDEFS_H
#define LIBHYP_REGDEFS_H

#include <stdint.h>

#include <libhyp/ctrlregs.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Pack a system-register encoding into 16 bits.
 *
 * Layout op0[15:14] op1[13:11] CRn[10:7] CRm[6:3] op2[2:0]: shifted left by
 * five this is exactly bits [20:5] of an MRS/MSR (register) instruction
 * (Arm ARM DDI 0487, C6.2 "MRS", "MSR (register)"), so the aarch64 backend
 * emits the instruction straight from it. op0 is 2 or 3 for every register.
 */
#define HYP_SYSREG_ENC(op0, op1, crn, crm, op2)                                \
	((uint16_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | \
		    (op2)))

/** @brief op0 of a packed encoding. */
#define HYP_SYSREG_OP0(enc) (((enc) >> 14) & 0x3u)
/** @brief op1 of a packed encoding. */
#define HYP_SYSREG_OP1(enc) (((enc) >> 11) & 0x7u)
/** @brief CRn of a packed encoding. */
#define HYP_SYSREG_CRN(enc) (((enc) >> 7) & 0xfu)
/** @brief CRm of a packed encoding. */
#define HYP_SYSREG_CRM(enc) (((enc) >> 3) & 0xfu)
/** @brief op2 of a packed encoding. */
#define HYP_SYSREG_OP2(enc) ((enc) & 0x7u)

/**
 * @brief The EL12/EL02 alias of an EL1/EL0 register that has one
 *        (HYP_RF_E12): the same encoding with op1 = 5.
 *
 * With HCR_EL2.E2H == 1, an EL2 access to the EL1 encoding reaches the EL2
 * register instead; the guest's register is reached through this alias
 * (Arm ARM D8.11 / "Virtualization Host Extensions").
 */
#define HYP_SYSREG_E12(enc) ((uint16_t)(((enc) & ~(0x7u << 11)) | (0x5u << 11)))

/**
 * @name Write-trap descriptions (the write_trap column)
 * Which trap can watch writes to a register, so that it can be
 * dirty-tracked: the HCR_EL2.TVM group (any ARMv8.0 CPU) and/or one bit of
 * HFGWTR_EL2 (FEAT_FGT). Some HFGWTR_EL2 bits have negative polarity (the
 * "n" bits: trap when the bit is 0); HYP_WT_NFGT() records that.
 * @{
 */
/** Writes cannot be trapped individually. */
#define HYP_WT_NONE 0u
/** Writes are trapped by HCR_EL2.TVM (Arm ARM D19.2.48, HCR_EL2.TVM). */
#define HYP_WT_TVM (1u << 8)
/** Writes are trapped by HFGWTR_EL2 bit @p b when that bit is 1. */
#define HYP_WT_FGT(b) ((1u << 9) | (unsigned)(b))
/** Writes are trapped by HFGWTR_EL2 bit @p b when that bit is 0. */
#define HYP_WT_NFGT(b) ((1u << 10) | (1u << 9) | (unsigned)(b))
/** True if the write_trap value @p wt names an HFGWTR_EL2 bit. */
#define HYP_WT_HAS_FGT(wt) (((wt) >> 9) & 1u)
/** True if the HFGWTR_EL2 bit of @p wt traps when 0. */
#define HYP_WT_FGT_NEG(wt) (((wt) >> 10) & 1u)
/** The HFGWTR_EL2 bit number of @p wt (valid if HYP_WT_HAS_FGT()). */
#define HYP_WT_FGT_BIT(wt) ((wt) & 0x3fu)
/** @} */

/* HCR_EL2 bits (HYP_HCR_VM ... HYP_HCR_ATA), HYP_MDCR_TPM and the other
 * control-register fields come from the field table in libhyp/ctrlregs.h. */

/**
 * @name Register flags (the flags column)
 * @{
 */
#define HYP_RF_EL1 (1u << 0)   /**< part of a guest's EL1 context */
#define HYP_RF_EL0 (1u << 1)   /**< part of a guest's EL0 context */
#define HYP_RF_EL2 (1u << 2)   /**< an EL2 control libhyp programs */
#define HYP_RF_ID (1u << 3)    /**< an identification register */
#define HYP_RF_GIC (1u << 4)   /**< a GICv3 CPU-interface register */
#define HYP_RF_TIMER (1u << 5) /**< a generic-timer register */
#define HYP_RF_E12 (1u << 6)   /**< has an EL12/EL02 alias (HYP_SYSREG_E12) */
#define HYP_RF_RO (1u << 7)    /**< read-only */
#define HYP_RF_WO (1u << 8)    /**< write-only */
#define HYP_RF_DEBUG (1u << 9) /**< a debug or PMU register */
/**
 * Written by the PE without an MSR to it (exception entry, AT, ESB, IRG, a
 * tag-check fault, an instruction that writes SP): no write trap sees every
 * change, so the register can never be dirty-tracked (HYP_SYSREG_DIRTY).
 */
#define HYP_RF_HWW (1u << 10)
/** @} */

/**
 * @brief The register table, in ascending encoding order.
 *
 * X(name, op0, op1, CRn, CRm, op2, feature, write_trap, flags).
 *
 * Sources: encodings from the Arm ARM (DDI 0487) AArch64 System register
 * descriptions ("Accessing <reg>" encoding tables), C5.2 for the
 * special-purpose registers, and the GIC architecture specification
 * (IHI 0069) chapter 12 for ICC_* and ICH_*. write_trap from the same
 * MSR pseudocode: HCR_EL2.TVM (Arm ARM, HCR_EL2) and the HFGWTR_EL2 bit
 * layout (Arm ARM, HFGWTR_EL2). Only HFGWTR_EL2 is recorded; debug and PMU
 * writes are watched by HDFGWTR_EL2 and are HYP_WT_NONE here. Read-only
 * registers have no write trap.
 *
 * flags: HYP_RF_E12 marks an EL1/EL0 register whose EL12/EL02 alias (op1 =
 * 5, HYP_SYSREG_E12()) exists; aliases themselves are not listed. NZCV,
 * DAIF and SPSel are PSTATE views and carry no context flag.
 */
#define HYP_SYSREGS(X) \
	/* Debug (op0 = 2): Arm ARM, AArch64 debug register descriptions (MDSCR_EL1, */ \
	/* OSLAR_EL1, OSLSR_EL1, MDCCSR_EL0). Their writes are watched by */ \
	/* HDFGWTR_EL2, not HFGWTR_EL2, so write_trap is HYP_WT_NONE. */ \
	X(MDSCR_EL1, 2, 0, 0, 2, 2, NONE, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_DEBUG) \
	X(OSLAR_EL1, 2, 0, 1, 0, 4, NONE, HYP_WT_NONE, HYP_RF_DEBUG | HYP_RF_WO) \
	X(OSLSR_EL1, 2, 0, 1, 1, 4, NONE, HYP_WT_NONE, HYP_RF_DEBUG | HYP_RF_RO) \
	X(MDCCSR_EL0, 2, 3, 0, 1, 0, NONE, HYP_WT_NONE, HYP_RF_DEBUG | HYP_RF_RO) \
	/* Identification (op0 = 3, op1 = 0, CRn = 0): the ID space. Unallocated */ \
	/* encodings there read as zero rather than UNDEF, so every ID_AA64* register */ \
	/* is listed with feature NONE. */ \
	X(MIDR_EL1, 3, 0, 0, 0, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(MPIDR_EL1, 3, 0, 0, 0, 5, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(REVIDR_EL1, 3, 0, 0, 0, 6, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64PFR0_EL1, 3, 0, 0, 4, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64PFR1_EL1, 3, 0, 0, 4, 1, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64PFR2_EL1, 3, 0, 0, 4, 2, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64ZFR0_EL1, 3, 0, 0, 4, 4, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64SMFR0_EL1, 3, 0, 0, 4, 5, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64FPFR0_EL1, 3, 0, 0, 4, 7, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64DFR0_EL1, 3, 0, 0, 5, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64DFR1_EL1, 3, 0, 0, 5, 1, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64DFR2_EL1, 3, 0, 0, 5, 2, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64AFR0_EL1, 3, 0, 0, 5, 4, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64AFR1_EL1, 3, 0, 0, 5, 5, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64ISAR0_EL1, 3, 0, 0, 6, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64ISAR1_EL1, 3, 0, 0, 6, 1, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64ISAR2_EL1, 3, 0, 0, 6, 2, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64ISAR3_EL1, 3, 0, 0, 6, 3, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64MMFR0_EL1, 3, 0, 0, 7, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64MMFR1_EL1, 3, 0, 0, 7, 1, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64MMFR2_EL1, 3, 0, 0, 7, 2, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64MMFR3_EL1, 3, 0, 0, 7, 3, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(ID_AA64MMFR4_EL1, 3, 0, 0, 7, 4, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	/* Guest EL1 context (op1 = 0). HCR_EL2.TVM traps writes to exactly: SCTLR_EL1, */ \
	/* TTBR0/1_EL1, TCR_EL1, ESR_EL1, FAR_EL1, AFSR0/1_EL1, MAIR_EL1, AMAIR_EL1, */ \
	/* CONTEXTIDR_EL1 and, with their features, MAIR2/AMAIR2_EL1, PIRE0/PIR_EL1, */ \
	/* POR_EL0/POR_EL1, TCR2_EL1, SCTLR2_EL1 (Arm ARM, HCR_EL2.TVM). Per the MSR */ \
	/* pseudocode, SCTLR2_EL1 shares HFGWTR_EL2.SCTLR_EL1 (bit 29) and TCR2_EL1 */ \
	/* shares HFGWTR_EL2.TCR_EL1 (bit 32). RGSR/GCR_EL1 need FEAT_MTE2. */ \
	X(SCTLR_EL1, 3, 0, 1, 0, 0, NONE, HYP_WT_TVM | HYP_WT_FGT(29), HYP_RF_EL1 | HYP_RF_E12) \
	X(ACTLR_EL1, 3, 0, 1, 0, 1, NONE, HYP_WT_NONE, HYP_RF_EL1) \
	X(CPACR_EL1, 3, 0, 1, 0, 2, NONE, HYP_WT_FGT(12), HYP_RF_EL1 | HYP_RF_E12) \
	X(SCTLR2_EL1, 3, 0, 1, 0, 3, SCTLR2, HYP_WT_TVM | HYP_WT_FGT(29), HYP_RF_EL1 | HYP_RF_E12) \
	X(RGSR_EL1, 3, 0, 1, 0, 5, MTE, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_HWW) \
	X(GCR_EL1, 3, 0, 1, 0, 6, MTE, HYP_WT_NONE, HYP_RF_EL1) \
	X(ZCR_EL1, 3, 0, 1, 2, 0, SVE, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_E12) \
	/* SMPRI_EL1 (FEAT_SME, Arm ARM D24.2.188): no CPTR_EL2 control traps it, only */ \
	/* HFGRTR/HFGWTR_EL2.nSMPRI_EL1 (bit 54, D24.2.73); no EL12 alias. */ \
	X(SMPRI_EL1, 3, 0, 1, 2, 4, SME, HYP_WT_NFGT(54), HYP_RF_EL1) \
	X(TTBR0_EL1, 3, 0, 2, 0, 0, NONE, HYP_WT_TVM | HYP_WT_FGT(36), HYP_RF_EL1 | HYP_RF_E12) \
	X(TTBR1_EL1, 3, 0, 2, 0, 1, NONE, HYP_WT_TVM | HYP_WT_FGT(37), HYP_RF_EL1 | HYP_RF_E12) \
	X(TCR_EL1, 3, 0, 2, 0, 2, NONE, HYP_WT_TVM | HYP_WT_FGT(32), HYP_RF_EL1 | HYP_RF_E12) \
	X(TCR2_EL1, 3, 0, 2, 0, 3, TCR2, HYP_WT_TVM | HYP_WT_FGT(32), HYP_RF_EL1 | HYP_RF_E12) \
	/* Pointer-authentication keys (FEAT_PAuth): the Lo and Hi halves of a key */ \
	/* share one HFGWTR_EL2 bit: APDAKey 4, APDBKey 5, APGAKey 6, APIAKey 7, */ \
	/* APIBKey 8. */ \
	X(APIAKeyLo_EL1, 3, 0, 2, 1, 0, PAUTH, HYP_WT_FGT(7), HYP_RF_EL1) \
	X(APIAKeyHi_EL1, 3, 0, 2, 1, 1, PAUTH, HYP_WT_FGT(7), HYP_RF_EL1) \
	X(APIBKeyLo_EL1, 3, 0, 2, 1, 2, PAUTH, HYP_WT_FGT(8), HYP_RF_EL1) \
	X(APIBKeyHi_EL1, 3, 0, 2, 1, 3, PAUTH, HYP_WT_FGT(8), HYP_RF_EL1) \
	X(APDAKeyLo_EL1, 3, 0, 2, 2, 0, PAUTH, HYP_WT_FGT(4), HYP_RF_EL1) \
	X(APDAKeyHi_EL1, 3, 0, 2, 2, 1, PAUTH, HYP_WT_FGT(4), HYP_RF_EL1) \
	X(APDBKeyLo_EL1, 3, 0, 2, 2, 2, PAUTH, HYP_WT_FGT(5), HYP_RF_EL1) \
	X(APDBKeyHi_EL1, 3, 0, 2, 2, 3, PAUTH, HYP_WT_FGT(5), HYP_RF_EL1) \
	X(APGAKeyLo_EL1, 3, 0, 2, 3, 0, PAUTH, HYP_WT_FGT(6), HYP_RF_EL1) \
	X(APGAKeyHi_EL1, 3, 0, 2, 3, 1, PAUTH, HYP_WT_FGT(6), HYP_RF_EL1) \
	/* Special-purpose registers (Arm ARM C5.2): SPSR/ELR_EL1, SP_EL0, SPSel, */ \
	/* CurrentEL; ICC_PMR_EL1 also lives at CRn = 4 (GIC spec IHI 0069, ch. 12). */ \
	/* HYP_RF_HWW, written without an MSR: SPSR/ELR_EL1 on exception entry to EL1 */ \
	/* (C5.2.5 ELR_EL1, and SPSR_EL1), SP_EL0/SP_EL1 by any instruction writing SP */ \
	/* with SPSel selecting them; AFSR0/1_EL1 (D24.2.7: IMPLEMENTATION DEFINED fault */ \
	/* status), ESR_EL1 and FAR_EL1 on exception entry to EL1; TFSR_EL1/TFSRE0_EL1 */ \
	/* by tag-check faults (FEAT_MTE2); PAR_EL1 by AT (D24.2.142); DISR_EL1 by ESB */ \
	/* (D24.9.1); RGSR_EL1.SEED by IRG (FEAT_MTE2). */ \
	X(SPSR_EL1, 3, 0, 4, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_E12 | HYP_RF_HWW) \
	X(ELR_EL1, 3, 0, 4, 0, 1, NONE, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_E12 | HYP_RF_HWW) \
	X(SP_EL0, 3, 0, 4, 1, 0, NONE, HYP_WT_NONE, HYP_RF_EL0 | HYP_RF_HWW) \
	X(SPSel, 3, 0, 4, 2, 0, NONE, HYP_WT_NONE, 0) \
	X(CurrentEL, 3, 0, 4, 2, 2, NONE, HYP_WT_NONE, HYP_RF_RO) \
	X(ICC_PMR_EL1, 3, 0, 4, 6, 0, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(AFSR0_EL1, 3, 0, 5, 1, 0, NONE, HYP_WT_TVM | HYP_WT_FGT(0), HYP_RF_EL1 | HYP_RF_E12 | HYP_RF_HWW) \
	X(AFSR1_EL1, 3, 0, 5, 1, 1, NONE, HYP_WT_TVM | HYP_WT_FGT(1), HYP_RF_EL1 | HYP_RF_E12 | HYP_RF_HWW) \
	X(ESR_EL1, 3, 0, 5, 2, 0, NONE, HYP_WT_TVM | HYP_WT_FGT(16), HYP_RF_EL1 | HYP_RF_E12 | HYP_RF_HWW) \
	/* MTE tag-check fault status (FEAT_MTE2): TFSR_EL1 has the TFSR_EL12 alias, */ \
	/* TFSRE0_EL1 has none. */ \
	X(TFSR_EL1, 3, 0, 5, 6, 0, MTE, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_E12 | HYP_RF_HWW) \
	X(TFSRE0_EL1, 3, 0, 5, 6, 1, MTE, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_HWW) \
	X(FAR_EL1, 3, 0, 6, 0, 0, NONE, HYP_WT_TVM | HYP_WT_FGT(17), HYP_RF_EL1 | HYP_RF_E12 | HYP_RF_HWW) \
	X(PAR_EL1, 3, 0, 7, 4, 0, NONE, HYP_WT_FGT(27), HYP_RF_EL1 | HYP_RF_HWW) \
	/* PMU (FEAT_PMUv3), EL1 part: Arm ARM, Performance Monitors register */ \
	/* descriptions. Writes are watched by HDFGWTR_EL2 (not this column). */ \
	X(PMINTENSET_EL1, 3, 0, 9, 14, 1, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMINTENCLR_EL1, 3, 0, 9, 14, 2, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	/* FEAT_AIE MAIR2/AMAIR2_EL1, FEAT_S1PIE PIRE0/PIR_EL1, FEAT_S1POE POR_EL1: */ \
	/* negative-polarity HFGWTR_EL2 bits nPIRE0_EL1 57, nPIR_EL1 58, nPOR_EL0 59, */ \
	/* nPOR_EL1 60, nMAIR2_EL1 62, nAMAIR2_EL1 63. Each has an EL12 alias. */ \
	X(MAIR_EL1, 3, 0, 10, 2, 0, NONE, HYP_WT_TVM | HYP_WT_FGT(24), HYP_RF_EL1 | HYP_RF_E12) \
	X(MAIR2_EL1, 3, 0, 10, 2, 1, AIE, HYP_WT_TVM | HYP_WT_NFGT(62), HYP_RF_EL1 | HYP_RF_E12) \
	X(PIRE0_EL1, 3, 0, 10, 2, 2, S1PIE, HYP_WT_TVM | HYP_WT_NFGT(57), HYP_RF_EL1 | HYP_RF_E12) \
	X(PIR_EL1, 3, 0, 10, 2, 3, S1PIE, HYP_WT_TVM | HYP_WT_NFGT(58), HYP_RF_EL1 | HYP_RF_E12) \
	X(POR_EL1, 3, 0, 10, 2, 4, S1POE, HYP_WT_TVM | HYP_WT_NFGT(60), HYP_RF_EL1 | HYP_RF_E12) \
	X(AMAIR_EL1, 3, 0, 10, 3, 0, NONE, HYP_WT_TVM | HYP_WT_FGT(3), HYP_RF_EL1 | HYP_RF_E12) \
	X(AMAIR2_EL1, 3, 0, 10, 3, 1, AIE, HYP_WT_TVM | HYP_WT_NFGT(63), HYP_RF_EL1 | HYP_RF_E12) \
	X(VBAR_EL1, 3, 0, 12, 0, 0, NONE, HYP_WT_FGT(38), HYP_RF_EL1 | HYP_RF_E12) \
	X(DISR_EL1, 3, 0, 12, 1, 1, RAS, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_HWW) \
	/* GICv3 CPU interface, EL1 (GIC spec IHI 0069, ch. 12, ICC_* descriptions). */ \
	/* ICC_IGRPEN0/1_EL1 share HFGWTR_EL2.ICC_IGRPENn_EL1 (bit 39). */ \
	X(ICC_IAR0_EL1, 3, 0, 12, 8, 0, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_RO) \
	X(ICC_EOIR0_EL1, 3, 0, 12, 8, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_WO) \
	X(ICC_HPPIR0_EL1, 3, 0, 12, 8, 2, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_RO) \
	X(ICC_BPR0_EL1, 3, 0, 12, 8, 3, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_AP0R0_EL1, 3, 0, 12, 8, 4, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_AP0R1_EL1, 3, 0, 12, 8, 5, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_AP0R2_EL1, 3, 0, 12, 8, 6, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_AP0R3_EL1, 3, 0, 12, 8, 7, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_AP1R0_EL1, 3, 0, 12, 9, 0, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_AP1R1_EL1, 3, 0, 12, 9, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_AP1R2_EL1, 3, 0, 12, 9, 2, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_AP1R3_EL1, 3, 0, 12, 9, 3, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_DIR_EL1, 3, 0, 12, 11, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_WO) \
	X(ICC_RPR_EL1, 3, 0, 12, 11, 3, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_RO) \
	X(ICC_SGI1R_EL1, 3, 0, 12, 11, 5, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_WO) \
	X(ICC_ASGI1R_EL1, 3, 0, 12, 11, 6, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_WO) \
	X(ICC_SGI0R_EL1, 3, 0, 12, 11, 7, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_WO) \
	X(ICC_IAR1_EL1, 3, 0, 12, 12, 0, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_RO) \
	X(ICC_EOIR1_EL1, 3, 0, 12, 12, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_WO) \
	X(ICC_HPPIR1_EL1, 3, 0, 12, 12, 2, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_RO) \
	X(ICC_BPR1_EL1, 3, 0, 12, 12, 3, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_CTLR_EL1, 3, 0, 12, 12, 4, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_SRE_EL1, 3, 0, 12, 12, 5, GICV3, HYP_WT_NONE, HYP_RF_GIC) \
	X(ICC_IGRPEN0_EL1, 3, 0, 12, 12, 6, GICV3, HYP_WT_FGT(39), HYP_RF_GIC) \
	X(ICC_IGRPEN1_EL1, 3, 0, 12, 12, 7, GICV3, HYP_WT_FGT(39), HYP_RF_GIC) \
	/* Context and thread IDs. SCXTNUM_ELx need FEAT_CSV2_2 (or CSV2_1p2); */ \
	/* SCXTNUM_EL1 has the SCXTNUM_EL12 alias, TPIDR_EL1 has none. */ \
	X(CONTEXTIDR_EL1, 3, 0, 13, 0, 1, NONE, HYP_WT_TVM | HYP_WT_FGT(11), HYP_RF_EL1 | HYP_RF_E12) \
	X(TPIDR_EL1, 3, 0, 13, 0, 4, NONE, HYP_WT_FGT(33), HYP_RF_EL1) \
	X(SCXTNUM_EL1, 3, 0, 13, 0, 7, CSV2_2, HYP_WT_FGT(30), HYP_RF_EL1 | HYP_RF_E12) \
	X(CNTKCTL_EL1, 3, 0, 14, 1, 0, NONE, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_TIMER | HYP_RF_E12) \
	/* Cache identification (op1 = 1), and CSSELR_EL1 (op1 = 2), which is guest */ \
	/* EL1 context (HFGWTR_EL2.CSSELR_EL1, bit 13). */ \
	X(CCSIDR_EL1, 3, 1, 0, 0, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(CLIDR_EL1, 3, 1, 0, 0, 1, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(AIDR_EL1, 3, 1, 0, 0, 7, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(CSSELR_EL1, 3, 2, 0, 0, 0, NONE, HYP_WT_FGT(13), HYP_RF_EL1) \
	/* ID registers readable at EL0: CTR_EL0, DCZID_EL0. */ \
	X(CTR_EL0, 3, 3, 0, 0, 1, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	X(DCZID_EL0, 3, 3, 0, 0, 7, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO) \
	/* EL0-accessible (op1 = 3): PSTATE views NZCV and DAIF (Arm ARM C5.2). */ \
	X(NZCV, 3, 3, 4, 2, 0, NONE, HYP_WT_NONE, 0) \
	X(DAIF, 3, 3, 4, 2, 1, NONE, HYP_WT_NONE, 0) \
	/* PMU (FEAT_PMUv3), EL0 part. */ \
	X(PMCR_EL0, 3, 3, 9, 12, 0, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMCNTENSET_EL0, 3, 3, 9, 12, 1, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMCNTENCLR_EL0, 3, 3, 9, 12, 2, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMOVSCLR_EL0, 3, 3, 9, 12, 3, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMSWINC_EL0, 3, 3, 9, 12, 4, PMU, HYP_WT_NONE, HYP_RF_DEBUG | HYP_RF_WO) \
	X(PMSELR_EL0, 3, 3, 9, 12, 5, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMCCNTR_EL0, 3, 3, 9, 13, 0, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMXEVTYPER_EL0, 3, 3, 9, 13, 1, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMXEVCNTR_EL0, 3, 3, 9, 13, 2, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMUSERENR_EL0, 3, 3, 9, 14, 0, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	X(PMOVSSET_EL0, 3, 3, 9, 14, 3, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	/* POR_EL0 (FEAT_S1POE): HCR_EL2.TVM traps its writes from EL1 and EL0. */ \
	X(POR_EL0, 3, 3, 10, 2, 4, S1POE, HYP_WT_TVM | HYP_WT_NFGT(59), HYP_RF_EL0) \
	/* EL0 thread IDs; TPIDR2_EL0 (FEAT_SME) has the negative nTPIDR2_EL0 bit 55. */ \
	X(TPIDR_EL0, 3, 3, 13, 0, 2, NONE, HYP_WT_FGT(35), HYP_RF_EL0) \
	X(TPIDRRO_EL0, 3, 3, 13, 0, 3, NONE, HYP_WT_FGT(34), HYP_RF_EL0) \
	X(TPIDR2_EL0, 3, 3, 13, 0, 5, SME, HYP_WT_NFGT(55), HYP_RF_EL0) \
	X(SCXTNUM_EL0, 3, 3, 13, 0, 7, CSV2_2, HYP_WT_FGT(31), HYP_RF_EL0) \
	/* Generic timer, EL0 view (Arm ARM, Generic Timer register descriptions). */ \
	/* CNTP_* and CNTV_* have EL02 aliases (op1 = 5). */ \
	X(CNTFRQ_EL0, 3, 3, 14, 0, 0, NONE, HYP_WT_NONE, HYP_RF_TIMER) \
	X(CNTPCT_EL0, 3, 3, 14, 0, 1, NONE, HYP_WT_NONE, HYP_RF_TIMER | HYP_RF_RO) \
	X(CNTVCT_EL0, 3, 3, 14, 0, 2, NONE, HYP_WT_NONE, HYP_RF_TIMER | HYP_RF_RO) \
	X(CNTP_TVAL_EL0, 3, 3, 14, 2, 0, NONE, HYP_WT_NONE, HYP_RF_TIMER | HYP_RF_E12) \
	X(CNTP_CTL_EL0, 3, 3, 14, 2, 1, NONE, HYP_WT_NONE, HYP_RF_TIMER | HYP_RF_E12) \
	X(CNTP_CVAL_EL0, 3, 3, 14, 2, 2, NONE, HYP_WT_NONE, HYP_RF_TIMER | HYP_RF_E12) \
	X(CNTV_TVAL_EL0, 3, 3, 14, 3, 0, NONE, HYP_WT_NONE, HYP_RF_TIMER | HYP_RF_E12) \
	X(CNTV_CTL_EL0, 3, 3, 14, 3, 1, NONE, HYP_WT_NONE, HYP_RF_TIMER | HYP_RF_E12) \
	X(CNTV_CVAL_EL0, 3, 3, 14, 3, 2, NONE, HYP_WT_NONE, HYP_RF_TIMER | HYP_RF_E12) \
	X(PMCCFILTR_EL0, 3, 3, 14, 15, 7, PMU, HYP_WT_NONE, HYP_RF_DEBUG) \
	/* EL2 controls (op1 = 4). FEAT_FGT: HFG{R,W,I}TR_EL2, HDFG{R,W}TR_EL2; */ \
	/* FEAT_HCX: HCRX_EL2; FEAT_VHE: TTBR1_EL2, CONTEXTIDR_EL2, CNTHV_*_EL2. */ \
	X(VPIDR_EL2, 3, 4, 0, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(VMPIDR_EL2, 3, 4, 0, 0, 5, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(SCTLR_EL2, 3, 4, 1, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(ACTLR_EL2, 3, 4, 1, 0, 1, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(HCR_EL2, 3, 4, 1, 1, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(MDCR_EL2, 3, 4, 1, 1, 1, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(CPTR_EL2, 3, 4, 1, 1, 2, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(HSTR_EL2, 3, 4, 1, 1, 3, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(HFGRTR_EL2, 3, 4, 1, 1, 4, FGT, HYP_WT_NONE, HYP_RF_EL2) \
	X(HFGWTR_EL2, 3, 4, 1, 1, 5, FGT, HYP_WT_NONE, HYP_RF_EL2) \
	X(HFGITR_EL2, 3, 4, 1, 1, 6, FGT, HYP_WT_NONE, HYP_RF_EL2) \
	X(HACR_EL2, 3, 4, 1, 1, 7, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(HCRX_EL2, 3, 4, 1, 2, 2, HCX, HYP_WT_NONE, HYP_RF_EL2) \
	X(TTBR0_EL2, 3, 4, 2, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(TTBR1_EL2, 3, 4, 2, 0, 1, VHE, HYP_WT_NONE, HYP_RF_EL2) \
	X(TCR_EL2, 3, 4, 2, 0, 2, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(VTTBR_EL2, 3, 4, 2, 1, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(VTCR_EL2, 3, 4, 2, 1, 2, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(HDFGRTR_EL2, 3, 4, 3, 1, 4, FGT, HYP_WT_NONE, HYP_RF_EL2) \
	X(HDFGWTR_EL2, 3, 4, 3, 1, 5, FGT, HYP_WT_NONE, HYP_RF_EL2) \
	/* SP_EL1 is reached at op1 = 4 but is guest EL1 context (Arm ARM C5.2). */ \
	X(SPSR_EL2, 3, 4, 4, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(ELR_EL2, 3, 4, 4, 0, 1, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(SP_EL1, 3, 4, 4, 1, 0, NONE, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_HWW) \
	X(AFSR0_EL2, 3, 4, 5, 1, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(AFSR1_EL2, 3, 4, 5, 1, 1, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(ESR_EL2, 3, 4, 5, 2, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(FAR_EL2, 3, 4, 6, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(HPFAR_EL2, 3, 4, 6, 0, 4, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(MAIR_EL2, 3, 4, 10, 2, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(AMAIR_EL2, 3, 4, 10, 3, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	X(VBAR_EL2, 3, 4, 12, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	/* VDISR_EL2 (FEAT_RAS, Arm ARM D24.9.16): with HCR_EL2.AMO = 1 an EL1 access */ \
	/* to DISR_EL1 reaches it (D24.9.1), so it is the guest's DISR_EL1 then: */ \
	/* guest context (HYP_RF_EL1), written by ESB with a virtual SError pending. */ \
	X(VDISR_EL2, 3, 4, 12, 1, 1, RAS, HYP_WT_NONE, HYP_RF_EL1 | HYP_RF_HWW) \
	/* GICv3 hypervisor interface (IHI 0069, ch. 12, ICH_* descriptions) and */ \
	/* ICC_SRE_EL2; ICH_LR<n>_EL2 is (3, 4, 12, 12 + n / 8, n % 8). */ \
	X(ICH_AP0R0_EL2, 3, 4, 12, 8, 0, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_AP0R1_EL2, 3, 4, 12, 8, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_AP0R2_EL2, 3, 4, 12, 8, 2, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_AP0R3_EL2, 3, 4, 12, 8, 3, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_AP1R0_EL2, 3, 4, 12, 9, 0, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_AP1R1_EL2, 3, 4, 12, 9, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_AP1R2_EL2, 3, 4, 12, 9, 2, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_AP1R3_EL2, 3, 4, 12, 9, 3, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICC_SRE_EL2, 3, 4, 12, 9, 5, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_HCR_EL2, 3, 4, 12, 11, 0, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_VTR_EL2, 3, 4, 12, 11, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2 | HYP_RF_ID | HYP_RF_RO) \
	X(ICH_MISR_EL2, 3, 4, 12, 11, 2, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2 | HYP_RF_RO) \
	X(ICH_EISR_EL2, 3, 4, 12, 11, 3, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2 | HYP_RF_RO) \
	X(ICH_ELRSR_EL2, 3, 4, 12, 11, 5, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2 | HYP_RF_RO) \
	X(ICH_VMCR_EL2, 3, 4, 12, 11, 7, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR0_EL2, 3, 4, 12, 12, 0, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR1_EL2, 3, 4, 12, 12, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR2_EL2, 3, 4, 12, 12, 2, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR3_EL2, 3, 4, 12, 12, 3, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR4_EL2, 3, 4, 12, 12, 4, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR5_EL2, 3, 4, 12, 12, 5, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR6_EL2, 3, 4, 12, 12, 6, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR7_EL2, 3, 4, 12, 12, 7, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR8_EL2, 3, 4, 12, 13, 0, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR9_EL2, 3, 4, 12, 13, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR10_EL2, 3, 4, 12, 13, 2, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR11_EL2, 3, 4, 12, 13, 3, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR12_EL2, 3, 4, 12, 13, 4, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR13_EL2, 3, 4, 12, 13, 5, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR14_EL2, 3, 4, 12, 13, 6, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(ICH_LR15_EL2, 3, 4, 12, 13, 7, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_EL2) \
	X(CONTEXTIDR_EL2, 3, 4, 13, 0, 1, VHE, HYP_WT_NONE, HYP_RF_EL2) \
	X(TPIDR_EL2, 3, 4, 13, 0, 2, NONE, HYP_WT_NONE, HYP_RF_EL2) \
	/* EL2 timer controls and timers; CNTPOFF_EL2 exists only with */ \
	/* ID_AA64MMFR0_EL1.ECV = 0b0010, FEAT_ECV_POFF (Arm ARM D24.2.88), not 0b0001. */ \
	X(CNTVOFF_EL2, 3, 4, 14, 0, 3, NONE, HYP_WT_NONE, HYP_RF_EL2 | HYP_RF_TIMER) \
	X(CNTPOFF_EL2, 3, 4, 14, 0, 6, ECV_POFF, HYP_WT_NONE, HYP_RF_EL2 | HYP_RF_TIMER) \
	X(CNTHCTL_EL2, 3, 4, 14, 1, 0, NONE, HYP_WT_NONE, HYP_RF_EL2 | HYP_RF_TIMER) \
	X(CNTHP_TVAL_EL2, 3, 4, 14, 2, 0, NONE, HYP_WT_NONE, HYP_RF_EL2 | HYP_RF_TIMER) \
	X(CNTHP_CTL_EL2, 3, 4, 14, 2, 1, NONE, HYP_WT_NONE, HYP_RF_EL2 | HYP_RF_TIMER) \
	X(CNTHP_CVAL_EL2, 3, 4, 14, 2, 2, NONE, HYP_WT_NONE, HYP_RF_EL2 | HYP_RF_TIMER) \
	X(CNTHV_TVAL_EL2, 3, 4, 14, 3, 0, VHE, HYP_WT_NONE, HYP_RF_EL2 | HYP_RF_TIMER) \
	X(CNTHV_CTL_EL2, 3, 4, 14, 3, 1, VHE, HYP_WT_NONE, HYP_RF_EL2 | HYP_RF_TIMER) \
	X(CNTHV_CVAL_EL2, 3, 4, 14, 3, 2, VHE, HYP_WT_NONE, HYP_RF_EL2 | HYP_RF_TIMER)

/** @brief Encoding constants: one HYP_SYS_<name> per HYP_SYSREGS row. */
enum hyp_sysreg_enc {
#define HYP_X_SYS_ENC(name, op0, op1, crn, crm, op2, feat, wt, flags) \
	HYP_SYS_##name = HYP_SYSREG_ENC(op0, op1, crn, crm, op2),
	HYP_SYSREGS(HYP_X_SYS_ENC)
#undef HYP_X_SYS_ENC
	HYP_SYS_INVALID = 0 /**< no register has encoding 0 (op0 is 2 or 3) */
};

/**
 * @brief Flag constants: HYP_RFLAGS_<name> is the flags column of a row,
 *        so code that names a register can test its flags at compile time.
 */
enum hyp_sysreg_flags_const {
#define HYP_X_RFLAGS(name, op0, op1, crn, crm, op2, feat, wt, flags) HYP_RFLAGS_##name = (flags),
	HYP_SYSREGS(HYP_X_RFLAGS)
#undef HYP_X_RFLAGS
	HYP_RFLAGS_END_ /**< terminator, no meaning */
};

/**
 * @brief Dense register ids: one HYP_REG_<name> per HYP_SYSREGS row, in
 *        table (= encoding) order, for indexing per-register arrays.
 */
enum hyp_sysreg_id {
#define HYP_X_REG_ID(name, op0, op1, crn, crm, op2, feat, wt, flags) HYP_REG_##name,
	HYP_SYSREGS(HYP_X_REG_ID)
#undef HYP_X_REG_ID
	HYP_REG_COUNT /**< number of registers in the table */
};

/**
 * @brief ID-register fields and how to sanitise them across CPUs.
 *
 * X(reg, field, shift, width, signedness, rule, safe):
 * - signedness U (unsigned) or S (signed: 0xF means "not implemented");
 * - rule LOWER (the lowest value across CPUs is safe), HIGHER (the highest
 *   is safe), HIGHER0 (the highest is safe, but 0 means "not reported,
 *   assume the maximum" and wins if any CPU reports it) or EXACT (all CPUs
 *   must agree, else @p safe is used and the mismatch reported).
 * - safe is, for the other rules, the field's "least capable" value
 *   (0, or 0xF for signed fields), for documentation only.
 * Field positions: Arm ARM (DDI 0487) register descriptions of ID_AA64*_EL1
 * and CTR_EL0. Fields that describe a feature level are LOWER; the
 * exceptions are commented at their register.
 */
#define HYP_ID_FIELDS(X) \
	/* ID_AA64PFR0_EL1. FP/AdvSIMD: 0xF = not implemented (signed). GIC must agree */ \
	/* across CPUs (a mixed GICv3/GICv4.1 system is reported, not averaged). */ \
	X(ID_AA64PFR0_EL1, EL0, 0, 4, U, LOWER, 1) \
	X(ID_AA64PFR0_EL1, EL1, 4, 4, U, LOWER, 1) \
	X(ID_AA64PFR0_EL1, EL2, 8, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, EL3, 12, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, FP, 16, 4, S, LOWER, 0xf) \
	X(ID_AA64PFR0_EL1, AdvSIMD, 20, 4, S, LOWER, 0xf) \
	X(ID_AA64PFR0_EL1, GIC, 24, 4, U, EXACT, 0) \
	X(ID_AA64PFR0_EL1, RAS, 28, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, SVE, 32, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, SEL2, 36, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, MPAM, 40, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, AMU, 44, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, DIT, 48, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, RME, 52, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, CSV2, 56, 4, U, LOWER, 0) \
	X(ID_AA64PFR0_EL1, CSV3, 60, 4, U, LOWER, 0) \
	/* ID_AA64PFR1_EL1. */ \
	X(ID_AA64PFR1_EL1, BT, 0, 4, U, LOWER, 0) \
	X(ID_AA64PFR1_EL1, SSBS, 4, 4, U, LOWER, 0) \
	X(ID_AA64PFR1_EL1, MTE, 8, 4, U, LOWER, 0) \
	X(ID_AA64PFR1_EL1, RAS_frac, 12, 4, U, LOWER, 0) \
	X(ID_AA64PFR1_EL1, MPAM_frac, 16, 4, U, LOWER, 0) \
	X(ID_AA64PFR1_EL1, SME, 24, 4, U, LOWER, 0) \
	X(ID_AA64PFR1_EL1, RNDR_trap, 28, 4, U, LOWER, 0) \
	X(ID_AA64PFR1_EL1, CSV2_frac, 32, 4, U, LOWER, 0) \
	X(ID_AA64PFR1_EL1, NMI, 36, 4, U, LOWER, 0) \
	X(ID_AA64PFR1_EL1, GCS, 44, 4, U, LOWER, 0) \
	/* ID_AA64PFR2_EL1. */ \
	X(ID_AA64PFR2_EL1, MTEPERM, 0, 4, U, LOWER, 0) \
	X(ID_AA64PFR2_EL1, MTESTOREONLY, 4, 4, U, LOWER, 0) \
	X(ID_AA64PFR2_EL1, MTEFAR, 8, 4, U, LOWER, 0) \
	X(ID_AA64PFR2_EL1, FPMR, 32, 4, U, LOWER, 0) \
	/* ID_AA64DFR0_EL1 (Arm ARM D24.2.80). PMUVer must match: 0xF is an */ \
	/* IMPLEMENTATION DEFINED PMU, not a version above PMUv3, and CPUs that differ */ \
	/* have no PMU in common (safe 0). DoubleLock: 0xF = not implemented. */ \
	/* DebugVer: 6 (Armv8.0 debug) is the architectural minimum. */ \
	X(ID_AA64DFR0_EL1, DebugVer, 0, 4, U, LOWER, 6) \
	X(ID_AA64DFR0_EL1, TraceVer, 4, 4, U, LOWER, 0) \
	X(ID_AA64DFR0_EL1, PMUVer, 8, 4, U, EXACT, 0) \
	X(ID_AA64DFR0_EL1, BRPs, 12, 4, U, LOWER, 0) \
	X(ID_AA64DFR0_EL1, WRPs, 20, 4, U, LOWER, 0) \
	X(ID_AA64DFR0_EL1, CTX_CMPs, 28, 4, U, LOWER, 0) \
	X(ID_AA64DFR0_EL1, PMSVer, 32, 4, U, LOWER, 0) \
	X(ID_AA64DFR0_EL1, DoubleLock, 36, 4, S, LOWER, 0xf) \
	X(ID_AA64DFR0_EL1, TraceFilt, 40, 4, U, LOWER, 0) \
	X(ID_AA64DFR0_EL1, TraceBuffer, 44, 4, U, LOWER, 0) \
	X(ID_AA64DFR0_EL1, BRBE, 52, 4, U, LOWER, 0) \
	/* ID_AA64ISAR0_EL1. */ \
	X(ID_AA64ISAR0_EL1, AES, 4, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, SHA1, 8, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, SHA2, 12, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, CRC32, 16, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, Atomic, 20, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, TME, 24, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, RDM, 28, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, SHA3, 32, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, SM3, 36, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, SM4, 40, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, DP, 44, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, FHM, 48, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, TS, 52, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, TLB, 56, 4, U, LOWER, 0) \
	X(ID_AA64ISAR0_EL1, RNDR, 60, 4, U, LOWER, 0) \
	/* ID_AA64ISAR1_EL1. The pointer-authentication algorithm fields (APA, API, GPA, */ \
	/* GPI, and APA3/GPA3 below) must match: a PAC computed on one CPU must */ \
	/* authenticate on another. */ \
	X(ID_AA64ISAR1_EL1, DPB, 0, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, APA, 4, 4, U, EXACT, 0) \
	X(ID_AA64ISAR1_EL1, API, 8, 4, U, EXACT, 0) \
	X(ID_AA64ISAR1_EL1, JSCVT, 12, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, FCMA, 16, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, LRCPC, 20, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, GPA, 24, 4, U, EXACT, 0) \
	X(ID_AA64ISAR1_EL1, GPI, 28, 4, U, EXACT, 0) \
	X(ID_AA64ISAR1_EL1, FRINTTS, 32, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, SB, 36, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, SPECRES, 40, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, BF16, 44, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, DGH, 48, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, I8MM, 52, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, XS, 56, 4, U, LOWER, 0) \
	X(ID_AA64ISAR1_EL1, LS64, 60, 4, U, LOWER, 0) \
	/* ID_AA64ISAR2_EL1. */ \
	X(ID_AA64ISAR2_EL1, WFxT, 0, 4, U, LOWER, 0) \
	X(ID_AA64ISAR2_EL1, RPRES, 4, 4, U, LOWER, 0) \
	X(ID_AA64ISAR2_EL1, GPA3, 8, 4, U, EXACT, 0) \
	X(ID_AA64ISAR2_EL1, APA3, 12, 4, U, EXACT, 0) \
	X(ID_AA64ISAR2_EL1, MOPS, 16, 4, U, LOWER, 0) \
	X(ID_AA64ISAR2_EL1, BC, 20, 4, U, LOWER, 0) \
	X(ID_AA64ISAR2_EL1, PAC_frac, 24, 4, U, LOWER, 0) \
	X(ID_AA64ISAR2_EL1, CLRBHB, 28, 4, U, LOWER, 0) \
	X(ID_AA64ISAR2_EL1, CSSC, 52, 4, U, LOWER, 0) \
	/* ID_AA64MMFR0_EL1. TGran4/TGran64: 0xF = not implemented (signed). The */ \
	/* TGran*_2 fields are not ordered (0 = as TGran*, 1 = none, 2 = yes, 3 = 52-bit): */ \
	/* they must match, else 1 (not supported at stage 2). */ \
	X(ID_AA64MMFR0_EL1, PARange, 0, 4, U, LOWER, 0) \
	X(ID_AA64MMFR0_EL1, ASIDBits, 4, 4, U, LOWER, 0) \
	X(ID_AA64MMFR0_EL1, BigEnd, 8, 4, U, LOWER, 0) \
	X(ID_AA64MMFR0_EL1, SNSMem, 12, 4, U, LOWER, 0) \
	X(ID_AA64MMFR0_EL1, BigEndEL0, 16, 4, U, LOWER, 0) \
	X(ID_AA64MMFR0_EL1, TGran16, 20, 4, U, LOWER, 0) \
	X(ID_AA64MMFR0_EL1, TGran64, 24, 4, S, LOWER, 0xf) \
	X(ID_AA64MMFR0_EL1, TGran4, 28, 4, S, LOWER, 0xf) \
	X(ID_AA64MMFR0_EL1, TGran16_2, 32, 4, U, EXACT, 1) \
	X(ID_AA64MMFR0_EL1, TGran64_2, 36, 4, U, EXACT, 1) \
	X(ID_AA64MMFR0_EL1, TGran4_2, 40, 4, U, EXACT, 1) \
	X(ID_AA64MMFR0_EL1, ExS, 44, 4, U, LOWER, 0) \
	X(ID_AA64MMFR0_EL1, FGT, 56, 4, U, LOWER, 0) \
	X(ID_AA64MMFR0_EL1, ECV, 60, 4, U, LOWER, 0) \
	/* ID_AA64MMFR1_EL1. SpecSEI = 1 means speculative reads may raise SError: the */ \
	/* higher value is the safe assumption. */ \
	X(ID_AA64MMFR1_EL1, HAFDBS, 0, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, VMIDBits, 4, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, VH, 8, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, HPDS, 12, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, LO, 16, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, PAN, 20, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, SpecSEI, 24, 4, U, HIGHER, 0) \
	X(ID_AA64MMFR1_EL1, XNX, 28, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, TWED, 32, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, ETS, 36, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, HCX, 40, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, AFP, 44, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, nTLBPA, 48, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, TIDCP1, 52, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, CMOW, 56, 4, U, LOWER, 0) \
	X(ID_AA64MMFR1_EL1, ECBHB, 60, 4, U, LOWER, 0) \
	/* ID_AA64MMFR2_EL1. CCIDX selects the CCSIDR_EL1 format: it must match. */ \
	X(ID_AA64MMFR2_EL1, CnP, 0, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, UAO, 4, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, LSM, 8, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, IESB, 12, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, VARange, 16, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, CCIDX, 20, 4, U, EXACT, 0) \
	X(ID_AA64MMFR2_EL1, NV, 24, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, ST, 28, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, AT, 32, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, IDS, 36, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, FWB, 40, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, TTL, 48, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, BBM, 52, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, EVT, 56, 4, U, LOWER, 0) \
	X(ID_AA64MMFR2_EL1, E0PD, 60, 4, U, LOWER, 0) \
	/* ID_AA64MMFR3_EL1. */ \
	X(ID_AA64MMFR3_EL1, TCRX, 0, 4, U, LOWER, 0) \
	X(ID_AA64MMFR3_EL1, SCTLRX, 4, 4, U, LOWER, 0) \
	X(ID_AA64MMFR3_EL1, S1PIE, 8, 4, U, LOWER, 0) \
	X(ID_AA64MMFR3_EL1, S2PIE, 12, 4, U, LOWER, 0) \
	X(ID_AA64MMFR3_EL1, S1POE, 16, 4, U, LOWER, 0) \
	X(ID_AA64MMFR3_EL1, S2POE, 20, 4, U, LOWER, 0) \
	X(ID_AA64MMFR3_EL1, AIE, 24, 4, U, LOWER, 0) \
	X(ID_AA64MMFR3_EL1, MEC, 28, 4, U, LOWER, 0) \
	/* ID_AA64MMFR4_EL1. E2H0: 0 = HCR_EL2.E2H may be 0, 0xF/0xE = E2H is RES1 (signed). */ \
	X(ID_AA64MMFR4_EL1, E2H0, 24, 4, S, LOWER, 0xf) \
	/* ID_AA64ZFR0_EL1 (SVE features). */ \
	X(ID_AA64ZFR0_EL1, SVEver, 0, 4, U, LOWER, 0) \
	X(ID_AA64ZFR0_EL1, AES, 4, 4, U, LOWER, 0) \
	X(ID_AA64ZFR0_EL1, BitPerm, 16, 4, U, LOWER, 0) \
	X(ID_AA64ZFR0_EL1, BF16, 20, 4, U, LOWER, 0) \
	X(ID_AA64ZFR0_EL1, SHA3, 32, 4, U, LOWER, 0) \
	X(ID_AA64ZFR0_EL1, SM4, 40, 4, U, LOWER, 0) \
	X(ID_AA64ZFR0_EL1, I8MM, 44, 4, U, LOWER, 0) \
	X(ID_AA64ZFR0_EL1, F32MM, 52, 4, U, LOWER, 0) \
	X(ID_AA64ZFR0_EL1, F64MM, 56, 4, U, LOWER, 0) \
	/* CTR_EL0 (Arm ARM D24.2.42): a line size is log2(words); the smallest is safe */ \
	/* for maintenance loops. CWG/ERG: the largest granule is safe, and 0 means "not */ \
	/* reported: assume the architectural maximum" (CWG: 512 words), so one CPU */ \
	/* reporting 0 makes the system value 0 (HIGHER0). L1Ip must match, else VIPT. */ \
	X(CTR_EL0, IminLine, 0, 4, U, LOWER, 0) \
	X(CTR_EL0, L1Ip, 14, 2, U, EXACT, 2) \
	X(CTR_EL0, DminLine, 16, 4, U, LOWER, 0) \
	X(CTR_EL0, ERG, 20, 4, U, HIGHER0, 0) \
	X(CTR_EL0, CWG, 24, 4, U, HIGHER0, 0) \
	X(CTR_EL0, IDC, 28, 1, U, LOWER, 0) \
	X(CTR_EL0, DIC, 29, 1, U, LOWER, 0) \
	/* ICH_VTR_EL2 (GIC IHI 0069, 12.4.9): nV4 is a "not" bit, so higher is safe. */ \
	X(ICH_VTR_EL2, ListRegs, 0, 5, U, LOWER, 0) \
	X(ICH_VTR_EL2, TDS, 19, 1, U, LOWER, 0) \
	X(ICH_VTR_EL2, nV4, 20, 1, U, HIGHER, 1) \
	X(ICH_VTR_EL2, A3V, 21, 1, U, LOWER, 0) \
	X(ICH_VTR_EL2, SEIS, 22, 1, U, LOWER, 0) \
	X(ICH_VTR_EL2, IDbits, 23, 3, U, LOWER, 0) \
	X(ICH_VTR_EL2, PREbits, 26, 3, U, LOWER, 0) \
	X(ICH_VTR_EL2, PRIbits, 29, 3, U, LOWER, 0)

/** @brief Field constants: HYP_IDF_<reg>_<field>_SHIFT and _WIDTH. */
enum hyp_id_field_consts {
#define HYP_X_IDF_CONST(reg, field, shift, width, sign, rule, safe) \
	HYP_IDF_##reg##_##field##_SHIFT = (shift),                    \
	HYP_IDF_##reg##_##field##_WIDTH = (width),
	HYP_ID_FIELDS(HYP_X_IDF_CONST)
#undef HYP_X_IDF_CONST
	HYP_IDF_CONST_END_ /**< terminator, no meaning */
};

/**
 * @brief Extract ID-register field @p field of @p reg from value @p v
 *        (unsigned).
 */
#define HYP_IDF_GET(reg, field, v)                                 \
	(((uint64_t)(v) >> HYP_IDF_##reg##_##field##_SHIFT) &      \
	 ((1ull << HYP_IDF_##reg##_##field##_WIDTH) - 1))

/** @brief Field ids: one HYP_IDF_<reg>_<field> per HYP_ID_FIELDS row. */
enum hyp_id_field_id {
#define HYP_X_IDF_ID(reg, field, shift, width, sign, rule, safe) HYP_IDF_##reg##_##field,
	HYP_ID_FIELDS(HYP_X_IDF_ID)
#undef HYP_X_IDF_ID
	HYP_IDF_COUNT /**< number of ID-register fields in the table */
};

/**
 * @brief Capabilities: the features hypervisors branch on, and the
 *        features that make registers exist (the register table's feature
 *        column).
 *
 * X(name, kind, reg, field, min, description):
 * - kind MIN: present when ID field reg.field >= min (compared signed for
 *   signed fields, so 0xF "not implemented" is never present);
 * - kind ALWAYS: the base architecture;
 * - kind CUSTOM: computed from several fields by the cpufeat module
 *   (reg.field is the main one, and what hiding the capability clears).
 * Field values: Arm ARM DDI 0487 D23.2, the ID_AA64* register descriptions.
 */
#define HYP_CAPS(X)                                                                            \
	X(NONE, ALWAYS, ID_AA64PFR0_EL1, EL1, 0, "ARMv8.0 base architecture")                  \
	X(VHE, MIN, ID_AA64MMFR1_EL1, VH, 1, "FEAT_VHE: Virtualization Host Extensions")        \
	X(FGT, MIN, ID_AA64MMFR0_EL1, FGT, 1, "FEAT_FGT: fine-grained traps")                  \
	X(HCX, MIN, ID_AA64MMFR1_EL1, HCX, 1, "FEAT_HCX: HCRX_EL2")                            \
	X(ECV, MIN, ID_AA64MMFR0_EL1, ECV, 1, "FEAT_ECV: enhanced counter virtualization")     \
	X(ECV_POFF, MIN, ID_AA64MMFR0_EL1, ECV, 2, "FEAT_ECV_POFF: CNTPOFF_EL2 (ECV 0b0010)")   \
	X(TCR2, MIN, ID_AA64MMFR3_EL1, TCRX, 1, "FEAT_TCR2: TCR2_ELx")                         \
	X(S1PIE, MIN, ID_AA64MMFR3_EL1, S1PIE, 1, "FEAT_S1PIE: stage-1 permission indirection") \
	X(S1POE, MIN, ID_AA64MMFR3_EL1, S1POE, 1, "FEAT_S1POE: stage-1 permission overlays")   \
	X(SCTLR2, MIN, ID_AA64MMFR3_EL1, SCTLRX, 1, "FEAT_SCTLR2: SCTLR2_ELx")                 \
	X(AIE, MIN, ID_AA64MMFR3_EL1, AIE, 1, "FEAT_AIE: MAIR2_ELx/AMAIR2_ELx")                \
	X(LOR, MIN, ID_AA64MMFR1_EL1, LO, 1, "FEAT_LOR: limited ordering regions")             \
	X(CSV2_2, MIN, ID_AA64PFR0_EL1, CSV2, 2, "FEAT_CSV2_2: SCXTNUM_ELx")                   \
	X(PAUTH, CUSTOM, ID_AA64ISAR1_EL1, API, 1, "FEAT_PAuth: APA, API or APA3")             \
	X(MTE, MIN, ID_AA64PFR1_EL1, MTE, 2, "FEAT_MTE2: memory tagging")                      \
	X(RAS, MIN, ID_AA64PFR0_EL1, RAS, 1, "FEAT_RAS")                                       \
	X(SVE, MIN, ID_AA64PFR0_EL1, SVE, 1, "FEAT_SVE: scalable vectors")                     \
	X(SME, MIN, ID_AA64PFR1_EL1, SME, 1, "FEAT_SME: scalable matrix extension")            \
	X(PMU, CUSTOM, ID_AA64DFR0_EL1, PMUVer, 1, "FEAT_PMUv3 (PMUVer 1..14; 15 is IMPDEF)")  \
	X(AMU, MIN, ID_AA64PFR0_EL1, AMU, 1, "FEAT_AMUv1: activity monitors")                  \
	X(GICV3, MIN, ID_AA64PFR0_EL1, GIC, 1, "GICv3 system-register CPU interface")          \
	X(FWB, MIN, ID_AA64MMFR2_EL1, FWB, 1, "FEAT_S2FWB: stage 2 forces write-back")         \
	X(HAF, MIN, ID_AA64MMFR1_EL1, HAFDBS, 1, "FEAT_HAFDBS: hardware access flag")          \
	X(HAFDBS, MIN, ID_AA64MMFR1_EL1, HAFDBS, 2, "FEAT_HAFDBS: hardware access+dirty")      \
	X(PAN, MIN, ID_AA64MMFR1_EL1, PAN, 1, "FEAT_PAN: privileged access never")             \
	X(LSE, MIN, ID_AA64ISAR0_EL1, Atomic, 2, "FEAT_LSE: large system extension atomics")   \
	X(TLBIOS, MIN, ID_AA64ISAR0_EL1, TLB, 1, "FEAT_TLBIOS: outer-shareable TLBIs")         \
	X(TLBIRANGE, MIN, ID_AA64ISAR0_EL1, TLB, 2, "FEAT_TLBIRANGE: range TLBIs")             \
	X(TTL, MIN, ID_AA64MMFR2_EL1, TTL, 1, "FEAT_TTL: TLBI level hints")                    \
	X(VMID16, MIN, ID_AA64MMFR1_EL1, VMIDBits, 2, "16-bit VMIDs")                          \
	X(NV, MIN, ID_AA64MMFR2_EL1, NV, 1, "FEAT_NV: nested virtualization")                  \
	X(S2_4K, CUSTOM, ID_AA64MMFR0_EL1, TGran4_2, 2, "4K granule at stage 2")               \
	X(S2_16K, CUSTOM, ID_AA64MMFR0_EL1, TGran16_2, 2, "16K granule at stage 2")            \
	X(S2_64K, CUSTOM, ID_AA64MMFR0_EL1, TGran64_2, 2, "64K granule at stage 2")            \
	X(IDC, MIN, CTR_EL0, IDC, 1, "CTR_EL0.IDC: no D-cache clean to PoU for I/D coherence") \
	X(DIC, MIN, CTR_EL0, DIC, 1, "CTR_EL0.DIC: no I-cache invalidate for I/D coherence")

/** @brief Capability ids: one HYP_CAP_<name> per HYP_CAPS row. */
enum hyp_cap {
#define HYP_X_CAP_ENUM(name, kind, reg, field, min, desc) HYP_CAP_##name,
	HYP_CAPS(HYP_X_CAP_ENUM)
#undef HYP_X_CAP_ENUM
	HYP_CAP_COUNT /**< number of capabilities */
};

/** @brief How a field is sanitised across CPUs (see HYP_ID_FIELDS). */
enum hyp_id_rule {
	HYP_ID_RULE_LOWER,  /**< lowest value is safe */
	HYP_ID_RULE_HIGHER, /**< highest value is safe */
	HYP_ID_RULE_EXACT,  /**< must match; else the safe value */
	HYP_ID_RULE_HIGHER0, /**< highest value is safe, but 0 ("not reported") on any CPU wins */
};

/** @brief One row of the register table, as data. */
struct hyp_sysreg_desc {
	const char *name;   /**< architectural name, e.g. "SCTLR_EL1" */
	uint16_t enc;       /**< packed encoding (HYP_SYSREG_ENC) */
	uint16_t wtrap;     /**< write trap (HYP_WT_*) */
	uint16_t flags;     /**< HYP_RF_* */
	uint8_t feat;       /**< enum hyp_cap that makes it exist */
};

/** @brief One row of the ID-field table, as data. */
struct hyp_id_field_desc {
	const char *name;  /**< "REG.FIELD" */
	uint16_t reg;      /**< enum hyp_sysreg_id of the register */
	uint8_t shift;     /**< lowest bit */
	uint8_t width;     /**< width in bits */
	uint8_t is_signed; /**< 1 if 0xF (all ones) means "not implemented" */
	uint8_t rule;      /**< enum hyp_id_rule */
	uint8_t safe;      /**< value used when EXACT fields disagree */
};

/**
 * @brief The register table as data, indexed by enum hyp_sysreg_id and
 *        sorted by encoding.
 */
extern const struct hyp_sysreg_desc hyp_sysreg_table[HYP_REG_COUNT];

/** @brief The ID-field table as data, indexed by enum hyp_id_field_id. */
extern const struct hyp_id_field_desc hyp_id_field_table[HYP_IDF_COUNT];

/**
 * @brief Find a register by encoding (binary search of the sorted table).
 *
 * Used by trap emulation, where the encoding comes from an ESR.
 * Touches no hardware; costs log2(HYP_REG_COUNT) compares. This raw form
 * accepts any integer (an id too); hyp_sysreg_id_of() takes a typed
 * encoding and rejects an id at compile time.
 *
 * @param enc packed encoding (HYP_SYSREG_ENC)
 * @return the register id, or HYP_ENOENT if the table has no such register
 * @concurrency Pure (constant table): any CPU, any time.
 */
int hyp_sysreg_lookup(uint32_t enc);

/**
 * @brief The architectural name of a register, for logs and errors.
 *
 * Touches no hardware; one binary search.
 * @return the name, or "?" if @p enc is not in the table (never NULL)
 * @param enc packed encoding (HYP_SYSREG_ENC)
 * @concurrency Pure (constant table): any CPU, any time.
 */
const char *hyp_sysreg_name(uint32_t enc);

/**
 * @brief The name of a capability (enum hyp_cap), or "?" if out of range.
 * @param cap the capability (enum hyp_cap)
 * @return the name (a constant string, never NULL)
 * @concurrency Pure: any CPU, any time. Touches no hardware; one array load.
 */
const char *hyp_cap_name(unsigned cap);

/* ---------------------------------------------------------------------- */
/**
 * @name Typed register encodings
 *
 * A register has two numbers: its dense id (enum hyp_sysreg_id,
 * HYP_REG_<name>: an index into per-register arrays) and its packed
 * encoding (HYP_SYS_<name>: op0:op1:CRn:CRm:op2). Both are small integers,
 * so C lets one pass for the other silently. hyp_sysreg_enc_t wraps the
 * encoding in a one-member struct: a function taking it rejects an id at
 * compile time, and a function taking an id (unsigned / enum
 * hyp_sysreg_id: hyp_sysreg_vcpu_read_id(), hyp_cpu_idreg(), ...) rejects
 * it. Why the encoding and not the id: ids index arrays everywhere (a
 * struct cannot), and a wrapped encoding costs nothing (passed in a
 * register like the integer). The HYP_SYS_<name> constants stay integers,
 * because MRS/MSR need an integer constant expression
 * (hyp_read_sysreg(HYP_SYS_SCTLR_EL1)); HYP_ENC() wraps one, HYP_ENC_INIT()
 * is the form for static initialisers, HYP_ENC_RAW() wraps a run-time value
 * (e.g. from an ESR). tests/headers checks that mixing does not compile.
 * @{
 */

/** @brief A packed system-register encoding (HYP_SYSREG_ENC layout). */
typedef struct hyp_sysreg_enc_t {
	uint16_t raw; /**< op0[15:14] op1[13:11] CRn[10:7] CRm[6:3] op2[2:0] */
} hyp_sysreg_enc_t;

/** @brief Initialiser of a hyp_sysreg_enc_t in a static table: the
 *         encoding of register NAME (e.g. SCTLR_EL1). */
#define HYP_ENC_INIT(NAME) { HYP_SYS_##NAME }

/** @brief The typed encoding of register NAME (an expression). */
#define HYP_ENC(NAME) ((hyp_sysreg_enc_t)HYP_ENC_INIT(NAME))

/** @brief A run-time packed encoding @p raw (e.g. decoded from an ESR) as
 *         a typed encoding. */
#define HYP_ENC_RAW(raw) ((hyp_sysreg_enc_t){ (uint16_t)(raw) })

/**
 * @brief Find a register by typed encoding (the typed form of
 *        hyp_sysreg_lookup()).
 *
 * Touches no hardware; costs log2(HYP_REG_COUNT) compares.
 * @param enc the encoding
 * @return the register id (enum hyp_sysreg_id), or HYP_ENOENT if the table
 *         has no such register
 * @concurrency Pure (constant table): any CPU, any time.
 */
int hyp_sysreg_id_of(hyp_sysreg_enc_t enc);

/**
 * @brief The typed encoding of register @p id.
 *
 * Touches no hardware; one table load.
 * @param id the register (enum hyp_sysreg_id)
 * @return its encoding; raw 0 (no register has it) for an @p id out of range
 * @concurrency Pure (constant table): any CPU, any time.
 */
hyp_sysreg_enc_t hyp_sysreg_enc_of(unsigned id);

/**
 * @brief The architectural name of the register with encoding @p enc (the
 *        typed form of hyp_sysreg_name()).
 * @param enc the encoding
 * @return the name, or "?" (never NULL)
 * @concurrency Pure (constant table): any CPU, any time. One binary search.
 */
const char *hyp_sysreg_enc_name(hyp_sysreg_enc_t enc);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_REGDEFS_H */
