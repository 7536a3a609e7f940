/* SPDX-License-Identifier: MIT */
/**
 * @file esr.h
 * @brief Exit decoding: the exception syndrome (ESR_EL2) of a guest exit,
 *        and the faulting IPA of a stage-2 abort (HPFAR_EL2 + FAR_EL2).
 *
 * Everything here is a pure function of the syndrome value the exit path
 * captured once (struct hyp_exit in libhyp/switch.h): none of these
 * helpers touches hardware, each compiles to a shift and a mask.
 *
 * Source for every field: Arm ARM (DDI 0487), D17.2.37 "ESR_EL2, Exception
 * Syndrome Register (EL2)" (the EC table and the per-class ISS encodings),
 * and the HPFAR_EL2 description. Field names are the Arm ARM's.
 */
#ifndef LIBHYP_ESR_H
#define LIBHYP_ESR_H

#include <stdbool.h>
#include <stdint.h>

#include <libhyp/regdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @name Exception classes (ESR_ELx.EC, bits [31:26])
 * The classes a lower-EL exit to EL2 can report. Values not listed are
 * unallocated; the fast path treats every value (0..63) uniformly.
 * @{
 */
#define HYP_EC_UNKNOWN	   0x00u /**< unknown reason (e.g. an UNDEFINED instruction) */
#define HYP_EC_WFX	   0x01u /**< WFI, WFE, WFIT or WFET trapped (HCR_EL2.TWI/TWE) */
#define HYP_EC_CP15_32	   0x03u /**< AArch32 MCR/MRC to CP15 */
#define HYP_EC_CP15_64	   0x04u /**< AArch32 MCRR/MRRC to CP15 */
#define HYP_EC_CP14_MR	   0x05u /**< AArch32 MCR/MRC to CP14 */
#define HYP_EC_CP14_LS	   0x06u /**< AArch32 LDC/STC to CP14 */
#define HYP_EC_FP_ASIMD	   0x07u /**< SIMD/FP access trapped (CPTR_EL2.TFP/FPEN) */
#define HYP_EC_CP10_ID	   0x08u /**< AArch32 VMRS of an ID register (HCR_EL2.TID0/TID3) */
#define HYP_EC_PAC	   0x09u /**< pointer authentication instruction trapped (HCR_EL2.API) */
#define HYP_EC_CP14_64	   0x0Cu /**< AArch32 MRRC/MCRR to CP14 */
#define HYP_EC_BTI	   0x0Du /**< branch target exception */
#define HYP_EC_ILL	   0x0Eu /**< illegal execution state */
#define HYP_EC_SVC32	   0x11u /**< SVC from AArch32 */
#define HYP_EC_HVC32	   0x12u /**< HVC from AArch32 */
#define HYP_EC_SMC32	   0x13u /**< SMC from AArch32 trapped (HCR_EL2.TSC) */
#define HYP_EC_SVC64	   0x15u /**< SVC from AArch64 */
#define HYP_EC_HVC64	   0x16u /**< HVC from AArch64 */
#define HYP_EC_SMC64	   0x17u /**< SMC from AArch64 trapped (HCR_EL2.TSC) */
#define HYP_EC_SYS64	   0x18u /**< MSR, MRS or System instruction trapped */
#define HYP_EC_SVE	   0x19u /**< SVE access trapped (CPTR_EL2.TZ/ZEN) */
#define HYP_EC_ERET	   0x1Au /**< ERET/ERETAA/ERETAB trapped (FEAT_NV, FEAT_PAuth) */
#define HYP_EC_FPAC	   0x1Cu /**< pointer authentication failure (FEAT_FPAC) */
#define HYP_EC_SME	   0x1Du /**< SME access trapped */
#define HYP_EC_IABT_LOW	   0x20u /**< instruction abort from a lower EL */
#define HYP_EC_IABT_CUR	   0x21u /**< instruction abort, same EL */
#define HYP_EC_PC_ALIGN	   0x22u /**< PC alignment fault */
#define HYP_EC_DABT_LOW	   0x24u /**< data abort from a lower EL */
#define HYP_EC_DABT_CUR	   0x25u /**< data abort, same EL */
#define HYP_EC_SP_ALIGN	   0x26u /**< SP alignment fault */
#define HYP_EC_FP_EXC32	   0x28u /**< trapped FP exception, AArch32 */
#define HYP_EC_FP_EXC64	   0x2Cu /**< trapped FP exception, AArch64 */
#define HYP_EC_SERROR	   0x2Fu /**< SError interrupt */
#define HYP_EC_BREAKPT_LOW 0x30u /**< breakpoint from a lower EL */
#define HYP_EC_BREAKPT_CUR 0x31u /**< breakpoint, same EL */
#define HYP_EC_SOFTSTP_LOW 0x32u /**< software step from a lower EL */
#define HYP_EC_SOFTSTP_CUR 0x33u /**< software step, same EL */
#define HYP_EC_WATCHPT_LOW 0x34u /**< watchpoint from a lower EL */
#define HYP_EC_WATCHPT_CUR 0x35u /**< watchpoint, same EL */
#define HYP_EC_BKPT32	   0x38u /**< BKPT from AArch32 */
#define HYP_EC_VECTOR32	   0x3Au /**< AArch32 vector catch */
#define HYP_EC_BRK64	   0x3Cu /**< BRK from AArch64 */
#define HYP_EC_MAX	   0x3Fu /**< largest value the 6-bit field can hold */
/** @} */

/**
 * @name Common ESR_ELx fields
 * @{
 */
#define HYP_ESR_EC_SHIFT   26u		/**< EC, bits [31:26] */
#define HYP_ESR_IL	   (1ull << 25) /**< IL: 32-bit instruction (or RES1, see hyp_esr_il32()) */
#define HYP_ESR_ISS_MASK   ((1ull << 25) - 1) /**< ISS, bits [24:0] */
#define HYP_ESR_ISS2_SHIFT 32u		      /**< ISS2, bits [55:32] (FEAT_LS64, FEAT_GCS...) */
/** @} */

/**
 * @brief The exception class (ESR.EC).
 * @param esr the syndrome (an ESR_ELx value)
 * @return the EC field, bits [31:26] (0..63)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_ec(uint64_t esr)
{
	return (unsigned)(esr >> HYP_ESR_EC_SHIFT) & 0x3fu;
}

/**
 * @brief ESR.IL: true if the trapped instruction was 32 bits wide.
 *
 * False only for a 16-bit T32 instruction. IL is RES1 (reads 1) for
 * exceptions that are not caused by an instruction's length (SError,
 * instruction aborts, data aborts with ISV = 0, EC = 0 "unknown", PC/SP
 * alignment, illegal state, most debug exceptions).
 * @param esr the syndrome (an ESR_ELx value)
 * @return true for a 32-bit instruction (or when IL is RES1)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_il32(uint64_t esr)
{
	return (esr & HYP_ESR_IL) != 0;
}

/**
 * @brief The instruction-specific syndrome, ESR.ISS (bits [24:0]).
 * @param esr the syndrome (an ESR_ELx value)
 * @return ISS, bits [24:0]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline uint32_t hyp_esr_iss(uint64_t esr)
{
	return (uint32_t)(esr & HYP_ESR_ISS_MASK);
}

/**
 * @brief ESR.ISS2 (bits [55:32]); 0 on CPUs without the features that use it.
 * @param esr the syndrome (an ESR_ELx value)
 * @return ISS2, bits [55:32]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline uint32_t hyp_esr_iss2(uint64_t esr)
{
	return (uint32_t)(esr >> HYP_ESR_ISS2_SHIFT) & 0xffffffu;
}

/**
 * @name Data- and instruction-abort ISS (EC 0x20, 0x21, 0x24, 0x25)
 * Bit positions within ESR (the ISS starts at bit 0).
 * @{
 */
#define HYP_ESR_DA_ISV	     (1u << 24) /**< ISV: bits [23:14] hold a valid syndrome */
#define HYP_ESR_DA_SAS_SHIFT 22u	/**< SAS, bits [23:22]: access size, log2(bytes) */
#define HYP_ESR_DA_SSE	     (1u << 21) /**< SSE: the load sign-extends */
#define HYP_ESR_DA_SRT_SHIFT 16u	/**< SRT, bits [20:16]: transfer register (31 = ZR) */
#define HYP_ESR_DA_SF	     (1u << 15) /**< SF: 64-bit (X) register, else 32-bit (W) */
#define HYP_ESR_DA_AR	     (1u << 14) /**< AR: acquire/release semantics */
#define HYP_ESR_DA_VNCR	     (1u << 13) /**< VNCR: fault on a VNCR_EL2-relative access (FEAT_NV2) */
#define HYP_ESR_xA_SET_SHIFT 11u	/**< SET, bits [12:11]: synchronous error type (FEAT_RAS) */
#define HYP_ESR_xA_FNV	     (1u << 10) /**< FnV: FAR is not valid */
#define HYP_ESR_xA_EA	     (1u << 9)	/**< EA: external abort type */
#define HYP_ESR_DA_CM                                                                              \
	(1u << 8) /**< CM: fault on a cache-maintenance or address-translation instruction */
#define HYP_ESR_xA_S1PTW                                                                           \
	(1u << 7) /**< S1PTW: stage-2 fault on a stage-1 translation-table walk                    \
		   */
#define HYP_ESR_DA_WNR	    (1u << 6) /**< WnR: the access was a write */
#define HYP_ESR_xA_FSC_MASK 0x3fu     /**< DFSC/IFSC, bits [5:0] */
/** @} */

/**
 * @name Fault status codes (DFSC / IFSC, bits [5:0])
 * The four "by level" groups encode the translation level in bits [1:0]
 * (Arm ARM D17.2.37, DFSC); hyp_esr_fsc_type() strips it.
 * @{
 */
#define HYP_FSC_ADDR_SIZE    0x00u /**< address size fault, level in [1:0] */
#define HYP_FSC_TRANSLATION  0x04u /**< translation fault, level in [1:0] */
#define HYP_FSC_ACCESS	     0x08u /**< access flag fault, level in [1:0] */
#define HYP_FSC_PERMISSION   0x0Cu /**< permission fault, level in [1:0] */
#define HYP_FSC_SEA	     0x10u /**< synchronous external abort, not on a table walk */
#define HYP_FSC_TAG_CHECK    0x11u /**< synchronous tag check fault (FEAT_MTE2) */
#define HYP_FSC_SEA_TTW	     0x14u /**< synchronous external abort on a walk, level in [1:0] */
#define HYP_FSC_ALIGNMENT    0x21u /**< alignment fault */
#define HYP_FSC_TLB_CONFLICT 0x30u /**< TLB conflict abort */
/** @} */

/**
 * @brief Data abort ISV: bits [23:14] (SAS, SSE, SRT, SF, AR) are valid.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the ISV bit (24)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_da_isv(uint64_t esr)
{
	return (esr & HYP_ESR_DA_ISV) != 0;
}

/**
 * @brief Data abort SAS: the access size in bytes (1, 2, 4 or 8); valid if ISV.
 * @param esr the syndrome (an ESR_ELx value)
 * @return 1 << SAS: 1, 2, 4 or 8
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_da_size(uint64_t esr)
{
	return 1u << ((esr >> HYP_ESR_DA_SAS_SHIFT) & 3u);
}

/**
 * @brief Data abort SSE: the load sign-extends; valid if ISV.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the SSE bit (21)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_da_sse(uint64_t esr)
{
	return (esr & HYP_ESR_DA_SSE) != 0;
}

/**
 * @brief Data abort SRT: the transfer register number (31 = XZR); valid if ISV.
 * @param esr the syndrome (an ESR_ELx value)
 * @return SRT, bits [20:16] (0..31)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_da_srt(uint64_t esr)
{
	return (unsigned)(esr >> HYP_ESR_DA_SRT_SHIFT) & 0x1fu;
}

/**
 * @brief Data abort SF: the register is 64-bit (X); valid if ISV.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the SF bit (15)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_da_sf(uint64_t esr)
{
	return (esr & HYP_ESR_DA_SF) != 0;
}

/**
 * @brief Data abort AR: acquire/release semantics; valid if ISV.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the AR bit (14)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_da_ar(uint64_t esr)
{
	return (esr & HYP_ESR_DA_AR) != 0;
}

/**
 * @brief Data abort WnR: the access was a write.
 *
 * For a stage-2 fault on a stage-1 table walk (S1PTW = 1) WnR is 0 for
 * reads and, with hardware A/D updates, 1 for the walk's write; for a
 * cache-maintenance instruction (CM = 1) it is 1.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the WnR bit (6)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_da_wnr(uint64_t esr)
{
	return (esr & HYP_ESR_DA_WNR) != 0;
}

/**
 * @brief Abort S1PTW: a stage-2 fault during a stage-1 table walk.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the S1PTW bit (7)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_abt_s1ptw(uint64_t esr)
{
	return (esr & HYP_ESR_xA_S1PTW) != 0;
}

/**
 * @brief Abort FnV: FAR_EL2 does not hold the faulting address.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the FnV bit (10)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_abt_fnv(uint64_t esr)
{
	return (esr & HYP_ESR_xA_FNV) != 0;
}

/**
 * @brief Abort EA: external abort type (IMPLEMENTATION DEFINED classification).
 * @param esr the syndrome (an ESR_ELx value)
 * @return the EA bit (9)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_abt_ea(uint64_t esr)
{
	return (esr & HYP_ESR_xA_EA) != 0;
}

/**
 * @brief Data abort CM: caused by a cache-maintenance or AT instruction.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the CM bit (8)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_da_cm(uint64_t esr)
{
	return (esr & HYP_ESR_DA_CM) != 0;
}

/**
 * @brief Abort fault status code, DFSC or IFSC (bits [5:0]).
 * @param esr the syndrome (an ESR_ELx value)
 * @return DFSC/IFSC, bits [5:0]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_abt_fsc(uint64_t esr)
{
	return (unsigned)esr & HYP_ESR_xA_FSC_MASK;
}

/**
 * @brief The fault-status group of an abort: the FSC with the level bits
 *        cleared for the four by-level groups (HYP_FSC_ADDR_SIZE,
 *        TRANSLATION, ACCESS, PERMISSION, SEA_TTW), else the FSC itself.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the group (a HYP_FSC_* value), or the FSC
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_fsc_type(uint64_t esr)
{
	unsigned fsc = hyp_esr_abt_fsc(esr);

	if (fsc < 0x10u || (fsc & 0x3cu) == HYP_FSC_SEA_TTW)
		return fsc & 0x3cu;
	return fsc;
}

/**
 * @brief The translation level (0..3) of a by-level fault status code.
 * @param esr the syndrome (an ESR_ELx value)
 * @return FSC bits [1:0], meaningful for the by-level groups only
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_fsc_level(uint64_t esr)
{
	return (unsigned)esr & 3u;
}

/**
 * @name System-instruction trap ISS (EC 0x18)
 * Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1],
 * Direction [0] (1 = read, MRS).
 * @{
 */
#define HYP_ESR_SYS_DIR_READ 1u /**< Direction: 1 = MRS (read), 0 = MSR (write) */
/** @} */

/**
 * @brief Sysreg trap Op0.
 * @param esr the syndrome (an ESR_ELx value)
 * @return Op0, ISS bits [21:20]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_sys_op0(uint64_t esr)
{
	return (unsigned)(esr >> 20) & 3u;
}

/**
 * @brief Sysreg trap Op1.
 * @param esr the syndrome (an ESR_ELx value)
 * @return Op1, ISS bits [16:14]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_sys_op1(uint64_t esr)
{
	return (unsigned)(esr >> 14) & 7u;
}

/**
 * @brief Sysreg trap CRn.
 * @param esr the syndrome (an ESR_ELx value)
 * @return CRn, ISS bits [13:10]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_sys_crn(uint64_t esr)
{
	return (unsigned)(esr >> 10) & 0xfu;
}

/**
 * @brief Sysreg trap CRm.
 * @param esr the syndrome (an ESR_ELx value)
 * @return CRm, ISS bits [4:1]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_sys_crm(uint64_t esr)
{
	return (unsigned)(esr >> 1) & 0xfu;
}

/**
 * @brief Sysreg trap Op2.
 * @param esr the syndrome (an ESR_ELx value)
 * @return Op2, ISS bits [19:17]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_sys_op2(uint64_t esr)
{
	return (unsigned)(esr >> 17) & 7u;
}

/**
 * @brief Sysreg trap Rt: the transfer register (31 = XZR).
 * @param esr the syndrome (an ESR_ELx value)
 * @return Rt, ISS bits [9:5] (31 = XZR)
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_sys_rt(uint64_t esr)
{
	return (unsigned)(esr >> 5) & 0x1fu;
}

/**
 * @brief Sysreg trap Direction: true for a read (MRS).
 * @param esr the syndrome (an ESR_ELx value)
 * @return true for MRS (Direction = 1), false for MSR
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_sys_is_read(uint64_t esr)
{
	return (esr & HYP_ESR_SYS_DIR_READ) != 0;
}

/**
 * @brief The trapped register as a packed encoding (HYP_SYSREG_ENC), ready
 *        for hyp_sysreg_lookup() and comparison with HYP_SYS_<name>.
 *
 * For op0 = 0 or 1 (SYS instructions, not registers) the result is not a
 * register encoding; callers check hyp_esr_sys_op0() first if it matters.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the packed encoding op0[15:14] op1[13:11] CRn[10:7] CRm[6:3] op2[2:0]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline uint16_t hyp_esr_sys_enc(uint64_t esr)
{
	uint32_t iss = (uint32_t)esr;

	/* Op1 and CRn are adjacent in both layouts: four shifts instead of
	 * five field extractions (a hot path: every trapped MSR/MRS). */
	return (uint16_t)(((iss >> 6) & 0xc000u) | ((iss >> 3) & 0x3f80u) | ((iss << 2) & 0x78u) |
			  ((iss >> 17) & 7u));
}

/**
 * @brief HVC, SMC (AArch64) and HVC (AArch32) ISS: the 16-bit immediate.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the immediate, ISS bits [15:0]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_imm16(uint64_t esr)
{
	return (unsigned)esr & 0xffffu;
}

/**
 * @name WFx trap ISS (EC 0x01)
 * @{
 */
#define HYP_ESR_WFX_TI_WFI  0u /**< TI = 0b00: WFI */
#define HYP_ESR_WFX_TI_WFE  1u /**< TI = 0b01: WFE */
#define HYP_ESR_WFX_TI_WFIT 2u /**< TI = 0b10: WFIT (FEAT_WFxT) */
#define HYP_ESR_WFX_TI_WFET 3u /**< TI = 0b11: WFET (FEAT_WFxT) */
/** @} */

/**
 * @brief WFx TI (bits [1:0]): which instruction (HYP_ESR_WFX_TI_*).
 * @param esr the syndrome (an ESR_ELx value)
 * @return TI, bits [1:0]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_wfx_ti(uint64_t esr)
{
	return (unsigned)esr & 3u;
}

/**
 * @brief WFx: true for WFE or WFET (TI bit 0).
 * @param esr the syndrome (an ESR_ELx value)
 * @return true for WFE/WFET, false for WFI/WFIT
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_wfx_is_wfe(uint64_t esr)
{
	return (esr & 1u) != 0;
}

/**
 * @brief WFx RV (bit 2): the RN field holds a valid register (WFIT/WFET).
 * @param esr the syndrome (an ESR_ELx value)
 * @return the RV bit
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_wfx_rv(uint64_t esr)
{
	return (esr & (1u << 2)) != 0;
}

/**
 * @brief WFx RN (bits [9:5]): the timeout register of WFIT/WFET.
 * @param esr the syndrome (an ESR_ELx value)
 * @return RN, bits [9:5]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_wfx_rn(uint64_t esr)
{
	return (unsigned)(esr >> 5) & 0x1fu;
}

/**
 * @brief CV (bit 24) of the classes that carry a condition (AArch32 traps,
 *        WFx, SMC32...): the COND field (bits [23:20]) is valid.
 * @param esr the syndrome (an ESR_ELx value)
 * @return the CV bit
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_cv(uint64_t esr)
{
	return (esr & (1u << 24)) != 0;
}

/**
 * @brief COND (bits [23:20]) of an AArch32 conditional trap; valid if CV.
 * @param esr the syndrome (an ESR_ELx value)
 * @return COND, bits [23:20]
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline unsigned hyp_esr_cond(uint64_t esr)
{
	return (unsigned)(esr >> 20) & 0xfu;
}

/**
 * @brief Whether a trapped AArch32 instruction's condition passed.
 *
 * A trapped conditional instruction may be reported even if its condition
 * fails (Arm ARM D17.2.37, "CV"/"COND"; the instruction must then behave as
 * a NOP). If CV is 0 the condition is unknown to the syndrome and, for
 * the classes libhyp handles, it passed (AArch64 instructions are
 * unconditional). The condition is evaluated against the NZCV bits
 * [31:28] of @p spsr as ConditionHolds() does (Arm ARM J1, shared
 * pseudocode).
 *
 * @param esr  the syndrome
 * @param spsr the guest PSTATE (SPSR_EL2) at the trap
 * @return true if the instruction must be executed (the condition passed or is unknown to the syndrome)
 * @concurrency Pure: any CPU, any context; no hardware.
 */
static inline bool hyp_esr_cond_passed(uint64_t esr, uint64_t spsr)
{
	bool n = (spsr >> 31) & 1, z = (spsr >> 30) & 1, c = (spsr >> 29) & 1, v = (spsr >> 28) & 1;
	unsigned cond;
	bool r;

	if (!hyp_esr_cv(esr))
		return true;
	cond = hyp_esr_cond(esr);
	switch (cond >> 1) {
	case 0:
		r = z;
		break;
	case 1:
		r = c;
		break;
	case 2:
		r = n;
		break;
	case 3:
		r = v;
		break;
	case 4:
		r = c && !z;
		break;
	case 5:
		r = n == v;
		break;
	case 6:
		r = n == v && !z;
		break;
	default:
		return true; /* AL (0b1110) and 0b1111 */
	}
	return (cond & 1) ? !r : r;
}

/**
 * @name SError ISS (EC 0x2F)
 * @{
 */
#define HYP_ESR_SERR_IDS       (1u << 24) /**< IDS: IMPLEMENTATION DEFINED syndrome */
#define HYP_ESR_SERR_AET_SHIFT 10u	  /**< AET, bits [12:10]: error type (FEAT_RAS) */
/** @} */

/**
 * @brief Whether HPFAR_EL2 holds the faulting IPA of an abort exit.
 *
 * Arm ARM D24.2.76 "HPFAR_EL2": the register is written only for
 * - a Translation, Access flag or Address size fault on a stage 2
 *   translation that is not on a stage 1 translation table walk, and
 * - a Translation, Access flag, Address size or Permission fault on the
 *   stage 2 translation of an address accessed by a stage 1 table walk
 *   (ESR.S1PTW = 1),
 * (and, with FEAT_RME, a GPC fault at stage 2, not modelled); "for all other
 * exceptions taken to EL2, this register is UNKNOWN". So a stage-2
 * Permission fault with S1PTW = 0, the dirty-logging and write-protect
 * fault, leaves HPFAR_EL2 UNKNOWN on every CPU, as does a synchronous
 * external abort. Only instruction and data aborts from a lower EL
 * (EC 0x20, 0x24) qualify. The FSC groups are those of the ESR_EL2 DFSC/IFSC
 * encoding (D24.2.46), including the FEAT_LPA2 level -1 codes 0b101001
 * (Address size) and 0b101011 (Translation). FnV does not matter here (it
 * is about FAR_EL2). Pure.
 * @param esr the syndrome (an ESR_ELx value)
 * @return true if HPFAR_EL2 holds the IPA of this abort
 * @concurrency Pure: any CPU, any context; no hardware, a shift and a mask.
 */
static inline bool hyp_esr_hpfar_valid(uint64_t esr)
{
	unsigned ec = hyp_esr_ec(esr), fsc = hyp_esr_abt_fsc(esr);

	if (ec != HYP_EC_IABT_LOW && ec != HYP_EC_DABT_LOW)
		return false;
	if (fsc == 0x29u || fsc == 0x2bu) /* FEAT_LPA2: level -1 */
		return true;
	if (fsc >= 0x10u)
		return false;
	/* Address size 0b0000xx, Translation 0b0001xx, Access flag 0b0010xx;
	 * Permission 0b0011xx only on a stage 1 walk. */
	return (fsc & 0x3cu) != HYP_FSC_PERMISSION || hyp_esr_abt_s1ptw(esr);
}

/**
 * @brief The IPA of a stage-2 abort from HPFAR_EL2 and FAR_EL2.
 *
 * HPFAR_EL2.FIPA (bits [47:4], bits [47:44] RES0 without FEAT_D128) holds
 * IPA[55:12]; the page offset comes from FAR_EL2[11:0] (Arm ARM D24.2.76,
 * HPFAR_EL2: FIPA). Meaningful only when hyp_esr_hpfar_valid() says so
 * (HPFAR_EL2 is UNKNOWN for a stage-2 Permission fault with S1PTW = 0, on
 * every CPU) and, for the page offset, FnV = 0. For S1PTW = 1 the IPA is
 * that of the guest's translation table entry, and FAR_EL2 is the VA the
 * guest accessed: the page offset is not the table entry's. Pure: use
 * hyp_vcpu_fault_ipa() for an exit, which resolves the IPA with AT when
 * HPFAR_EL2 is not valid.
 * @param hpfar an HPFAR_EL2 value
 * @param far a FAR_EL2 value
 * @return the IPA
 * @concurrency Pure: any CPU, any context; no hardware.
 */
static inline uint64_t hyp_fault_ipa(uint64_t hpfar, uint64_t far)
{
	return (((hpfar >> 4) & ((1ull << 44) - 1)) << 12) | (far & 0xfffu);
}

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_ESR_H */
