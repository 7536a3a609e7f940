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
/** @} */

/**
 * @brief The architecture features that make registers exist.
 *
 * X(name, description). HYP_FEAT_NONE is the ARMv8.0 base architecture.
 * The cpufeat module decides, per CPU and per VM, which are present.
 */
#define HYP_FEATURES(X)                                                     \
	X(NONE, "ARMv8.0 base architecture")                                \
	X(VHE, "FEAT_VHE: Virtualization Host Extensions")                  \
	X(FGT, "FEAT_FGT: fine-grained traps")                              \
	X(HCX, "FEAT_HCX: HCRX_EL2")                                        \
	X(ECV, "FEAT_ECV: enhanced counter virtualization")                 \
	X(TCR2, "FEAT_TCR2: TCR2_ELx")                                      \
	X(S1PIE, "FEAT_S1PIE: stage-1 permission indirection")              \
	X(S1POE, "FEAT_S1POE: stage-1 permission overlays")                 \
	X(SCTLR2, "FEAT_SCTLR2: SCTLR2_ELx")                                \
	X(AIE, "FEAT_AIE: MAIR2_ELx/AMAIR2_ELx")                            \
	X(LOR, "FEAT_LOR: limited ordering regions")                        \
	X(CSV2_2, "FEAT_CSV2_2: SCXTNUM_ELx")                               \
	X(PAUTH, "FEAT_PAuth: pointer authentication keys")                 \
	X(MTE, "FEAT_MTE2: memory tagging")                                 \
	X(RAS, "FEAT_RAS: reliability, availability, serviceability")       \
	X(SVE, "FEAT_SVE: scalable vectors")                                \
	X(SME, "FEAT_SME: scalable matrix extension")                       \
	X(PMU, "FEAT_PMUv3: performance monitors")                          \
	X(AMU, "FEAT_AMUv1: activity monitors")                             \
	X(GICV3, "GICv3 system-register CPU interface")

/** @brief Feature ids, one HYP_FEAT_<name> per HYP_FEATURES row. */
enum hyp_feat {
#define HYP_X_FEAT_ENUM(name, desc) HYP_FEAT_##name,
	HYP_FEATURES(HYP_X_FEAT_ENUM)
#undef HYP_X_FEAT_ENUM
	HYP_FEAT_COUNT /**< number of features */
};

/**
 * @brief The register table, in ascending encoding order.
 *
 * X(name, op0, op1, CRn, CRm, op2, feature, write_trap, flags).
 * Encodings: Arm ARM DDI 0487 (K.a), chapter D23/D24 register
 * descriptions; GICv3 registers: GIC architecture spec IHI 0069, chapter 12.
 * HFGWTR_EL2 bit positions: Arm ARM D23.2 "HFGWTR_EL2".
 */
#define HYP_SYSREGS(X)                                                                      \
	X(MIDR_EL1, 3, 0, 0, 0, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)                \
	X(MPIDR_EL1, 3, 0, 0, 0, 5, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)               \
	X(REVIDR_EL1, 3, 0, 0, 0, 6, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)              \
	X(ID_AA64PFR0_EL1, 3, 0, 0, 4, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)         \
	X(ID_AA64PFR1_EL1, 3, 0, 0, 4, 1, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)         \
	X(ID_AA64DFR0_EL1, 3, 0, 0, 5, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)         \
	X(ID_AA64ISAR0_EL1, 3, 0, 0, 6, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)        \
	X(ID_AA64MMFR0_EL1, 3, 0, 0, 7, 0, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)        \
	X(ID_AA64MMFR1_EL1, 3, 0, 0, 7, 1, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)        \
	X(SCTLR_EL1, 3, 0, 1, 0, 0, NONE, HYP_WT_TVM | HYP_WT_FGT(29), HYP_RF_EL1 | HYP_RF_E12) \
	X(TTBR0_EL1, 3, 0, 2, 0, 0, NONE, HYP_WT_TVM | HYP_WT_FGT(36), HYP_RF_EL1 | HYP_RF_E12) \
	X(CurrentEL, 3, 0, 4, 2, 2, NONE, HYP_WT_NONE, HYP_RF_RO)                           \
	X(TPIDR_EL1, 3, 0, 13, 0, 4, NONE, HYP_WT_FGT(33), HYP_RF_EL1)                      \
	X(CTR_EL0, 3, 3, 0, 0, 1, NONE, HYP_WT_NONE, HYP_RF_ID | HYP_RF_RO)                 \
	X(PMSELR_EL0, 3, 3, 9, 12, 5, PMU, HYP_WT_NONE, HYP_RF_DEBUG)                       \
	X(TPIDR_EL0, 3, 3, 13, 0, 2, NONE, HYP_WT_FGT(35), HYP_RF_EL0)                      \
	X(CNTFRQ_EL0, 3, 3, 14, 0, 0, NONE, HYP_WT_NONE, HYP_RF_TIMER)                      \
	X(CNTVCT_EL0, 3, 3, 14, 0, 2, NONE, HYP_WT_NONE, HYP_RF_TIMER | HYP_RF_RO)          \
	X(VPIDR_EL2, 3, 4, 0, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL2)                          \
	X(VMPIDR_EL2, 3, 4, 0, 0, 5, NONE, HYP_WT_NONE, HYP_RF_EL2)                         \
	X(SCTLR_EL2, 3, 4, 1, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL2)                          \
	X(HCR_EL2, 3, 4, 1, 1, 0, NONE, HYP_WT_NONE, HYP_RF_EL2)                            \
	X(VTTBR_EL2, 3, 4, 2, 1, 0, NONE, HYP_WT_NONE, HYP_RF_EL2)                          \
	X(VTCR_EL2, 3, 4, 2, 1, 2, NONE, HYP_WT_NONE, HYP_RF_EL2)                           \
	X(VBAR_EL2, 3, 4, 12, 0, 0, NONE, HYP_WT_NONE, HYP_RF_EL2)                          \
	X(ICH_VTR_EL2, 3, 4, 12, 11, 1, GICV3, HYP_WT_NONE, HYP_RF_GIC | HYP_RF_RO)

/** @brief Encoding constants: one HYP_SYS_<name> per HYP_SYSREGS row. */
enum hyp_sysreg_enc {
#define HYP_X_SYS_ENC(name, op0, op1, crn, crm, op2, feat, wt, flags) \
	HYP_SYS_##name = HYP_SYSREG_ENC(op0, op1, crn, crm, op2),
	HYP_SYSREGS(HYP_X_SYS_ENC)
#undef HYP_X_SYS_ENC
	HYP_SYS_INVALID = 0 /**< no register has encoding 0 (op0 is 2 or 3) */
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
 *   is safe) or EXACT (all CPUs must agree, else @p safe is used and the
 *   mismatch reported).
 * Field positions: Arm ARM D23.2 register descriptions.
 */
#define HYP_ID_FIELDS(X)                                          \
	X(ID_AA64PFR0_EL1, EL2, 8, 4, U, LOWER, 0)                \
	X(ID_AA64PFR0_EL1, GIC, 24, 4, U, LOWER, 0)               \
	X(ID_AA64MMFR1_EL1, HAFDBS, 0, 4, U, LOWER, 0)            \
	X(ID_AA64MMFR1_EL1, VH, 8, 4, U, LOWER, 0)

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

/** @brief How a field is sanitised across CPUs (see HYP_ID_FIELDS). */
enum hyp_id_rule {
	HYP_ID_RULE_LOWER,  /**< lowest value is safe */
	HYP_ID_RULE_HIGHER, /**< highest value is safe */
	HYP_ID_RULE_EXACT,  /**< must match; else the safe value */
};

/** @brief One row of the register table, as data. */
struct hyp_sysreg_desc {
	const char *name;   /**< architectural name, e.g. "SCTLR_EL1" */
	uint16_t enc;       /**< packed encoding (HYP_SYSREG_ENC) */
	uint16_t wtrap;     /**< write trap (HYP_WT_*) */
	uint16_t flags;     /**< HYP_RF_* */
	uint8_t feat;       /**< enum hyp_feat that makes it exist */
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
 * Touches no hardware; costs log2(HYP_REG_COUNT) compares.
 *
 * @param enc packed encoding (HYP_SYSREG_ENC)
 * @return the register id, or HYP_ENOENT if the table has no such register
 */
int hyp_sysreg_lookup(uint32_t enc);

/**
 * @brief The architectural name of a register, for logs and errors.
 *
 * Touches no hardware; one binary search.
 * @return the name, or "?" if @p enc is not in the table (never NULL)
 */
const char *hyp_sysreg_name(uint32_t enc);

/**
 * @brief The name of a feature (enum hyp_feat), or "?" if out of range.
 */
const char *hyp_feat_name(unsigned feat);

#endif /* LIBHYP_REGDEFS_H */
