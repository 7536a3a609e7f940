/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the control-register field table (include/libhyp/ctrlregs.h).
 *
 * Every field is pinned below by its bit range exactly as the register
 * description writes it in the field heading ("TWEDEL, bits [63:60]" is
 * SPEC(63, 60), "VM, bit [0]" is SPEC(0, 0)), typed by hand from the
 * specification text, not rebuilt from the table. Sources, per block:
 * - Arm ARM DDI 0487 (the K-series numbering): HCR_EL2 D24.2.62, SCTLR_EL1
 *   D24.2.175, SCTLR_EL2 D24.2.176, CPTR_EL2 D24.2.38, TCR_EL2 D24.2.195,
 *   VTCR_EL2 D24.2.224, MDCR_EL2 D24.3.17, CNTHCTL_EL2 D24.10.2;
 * - GIC architecture specification IHI 0069: ICC_SRE_EL2 (12.2, AArch64
 *   GIC System register descriptions), ICH_HCR_EL2 12.4.5, ICH_VMCR_EL2
 *   12.4.8, ICH_VTR_EL2 12.4.9 (the ICC/ICH field ranges are also those of
 *   Arm's AArch64 System register data, which the audit used).
 * The test checks the HYP_<REG>_<FIELD> alias, HYP_FIELD() and the row of
 * hyp_ctrl_field_table[] against each pin, that every row is pinned, and
 * that no two fields of one register layout overlap.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include <libhyp/ctrlregs.h>
#include <libhyp/regdefs.h>

struct pin {
	const char *reg, *field;
	int id;              /* HYP_CTRLF_<REG>_<FIELD> */
	uint64_t alias;      /* HYP_<REG>_<FIELD> (or HYP_FIELD() where vgic.h owns the name) */
	uint64_t field_mask; /* HYP_FIELD(REG, FIELD) */
	unsigned msb, lsb;   /* bits [msb:lsb] as the specification writes them */
	uint64_t spec;       /* the mask of bits [msb:lsb] */
};

/* Mask of bits [msb:lsb], computed here (not with the library's macros). */
#define SPEC_MASK(msb, lsb) ((~0ull >> (63 - (msb))) & (~0ull << (lsb)))

#define PIN(reg, field, alias_, msb, lsb)                                          \
	{ #reg, #field, HYP_CTRLF_##reg##_##field, (alias_), HYP_FIELD(reg, field), \
	  (msb), (lsb), SPEC_MASK(msb, lsb) }

static const struct pin pins[] = {
	/* HCR_EL2, Arm ARM D24.2.62 (field headings, bit 63 down to 0). */
	PIN(HCR, VM, HYP_HCR_VM, 0, 0),
	PIN(HCR, SWIO, HYP_HCR_SWIO, 1, 1),
	PIN(HCR, PTW, HYP_HCR_PTW, 2, 2),
	PIN(HCR, FMO, HYP_HCR_FMO, 3, 3),
	PIN(HCR, IMO, HYP_HCR_IMO, 4, 4),
	PIN(HCR, AMO, HYP_HCR_AMO, 5, 5),
	PIN(HCR, VF, HYP_HCR_VF, 6, 6),
	PIN(HCR, VI, HYP_HCR_VI, 7, 7),
	PIN(HCR, VSE, HYP_HCR_VSE, 8, 8),
	PIN(HCR, FB, HYP_HCR_FB, 9, 9),
	PIN(HCR, BSU, HYP_HCR_BSU, 11, 10),
	PIN(HCR, DC, HYP_HCR_DC, 12, 12),
	PIN(HCR, TWI, HYP_HCR_TWI, 13, 13),
	PIN(HCR, TWE, HYP_HCR_TWE, 14, 14),
	PIN(HCR, TID0, HYP_HCR_TID0, 15, 15),
	PIN(HCR, TID1, HYP_HCR_TID1, 16, 16),
	PIN(HCR, TID2, HYP_HCR_TID2, 17, 17),
	PIN(HCR, TID3, HYP_HCR_TID3, 18, 18),
	PIN(HCR, TSC, HYP_HCR_TSC, 19, 19),
	PIN(HCR, TIDCP, HYP_HCR_TIDCP, 20, 20),
	PIN(HCR, TACR, HYP_HCR_TACR, 21, 21),
	PIN(HCR, TSW, HYP_HCR_TSW, 22, 22),
	PIN(HCR, TPCP, HYP_HCR_TPCP, 23, 23),
	PIN(HCR, TPU, HYP_HCR_TPU, 24, 24),
	PIN(HCR, TTLB, HYP_HCR_TTLB, 25, 25),
	PIN(HCR, TVM, HYP_HCR_TVM, 26, 26),
	PIN(HCR, TGE, HYP_HCR_TGE, 27, 27),
	PIN(HCR, TDZ, HYP_HCR_TDZ, 28, 28),
	PIN(HCR, HCD, HYP_HCR_HCD, 29, 29),
	PIN(HCR, TRVM, HYP_HCR_TRVM, 30, 30),
	PIN(HCR, RW, HYP_HCR_RW, 31, 31),
	PIN(HCR, CD, HYP_HCR_CD, 32, 32),
	PIN(HCR, ID, HYP_HCR_ID, 33, 33),
	PIN(HCR, E2H, HYP_HCR_E2H, 34, 34),
	PIN(HCR, TLOR, HYP_HCR_TLOR, 35, 35),
	PIN(HCR, TERR, HYP_HCR_TERR, 36, 36),
	PIN(HCR, TEA, HYP_HCR_TEA, 37, 37),
	/* bits [39:38] are RES0 in D24.2.62 */
	PIN(HCR, APK, HYP_HCR_APK, 40, 40),
	PIN(HCR, API, HYP_HCR_API, 41, 41),
	PIN(HCR, NV, HYP_HCR_NV, 42, 42),
	PIN(HCR, NV1, HYP_HCR_NV1, 43, 43),
	PIN(HCR, AT, HYP_HCR_AT, 44, 44),
	PIN(HCR, NV2, HYP_HCR_NV2, 45, 45),
	PIN(HCR, FWB, HYP_HCR_FWB, 46, 46),
	PIN(HCR, FIEN, HYP_HCR_FIEN, 47, 47),
	/* GPF, bit [48] (FEAT_RME) is not in the table */
	PIN(HCR, TID4, HYP_HCR_TID4, 49, 49),
	PIN(HCR, TICAB, HYP_HCR_TICAB, 50, 50),
	PIN(HCR, AMVOFFEN, HYP_HCR_AMVOFFEN, 51, 51),
	PIN(HCR, TOCU, HYP_HCR_TOCU, 52, 52),
	PIN(HCR, ENSCXT, HYP_HCR_ENSCXT, 53, 53),
	PIN(HCR, TTLBIS, HYP_HCR_TTLBIS, 54, 54),
	PIN(HCR, TTLBOS, HYP_HCR_TTLBOS, 55, 55),
	PIN(HCR, ATA, HYP_HCR_ATA, 56, 56),
	PIN(HCR, DCT, HYP_HCR_DCT, 57, 57),
	PIN(HCR, TID5, HYP_HCR_TID5, 58, 58),
	PIN(HCR, TWEDEN, HYP_HCR_TWEDEN, 59, 59),
	PIN(HCR, TWEDEL, HYP_HCR_TWEDEL, 63, 60),
	/* SCTLR_EL1, Arm ARM D24.2.175; the same ranges are SCTLR_EL2's
	 * ELIsInHost(EL2) layout in D24.2.176 (SA0, DZE, UCT, nTWI, nTWE,
	 * TSCXT, SPAN, E0E, UCI, nTLSMD, LSMAOE, EPAN "When ... ELIsInHost"). */
	PIN(SCTLR, M, HYP_SCTLR_M, 0, 0),
	PIN(SCTLR, A, HYP_SCTLR_A, 1, 1),
	PIN(SCTLR, C, HYP_SCTLR_C, 2, 2),
	PIN(SCTLR, SA, HYP_SCTLR_SA, 3, 3),
	PIN(SCTLR, SA0, HYP_SCTLR_SA0, 4, 4),
	PIN(SCTLR, EOS, HYP_SCTLR_EOS, 11, 11),
	PIN(SCTLR, I, HYP_SCTLR_I, 12, 12),
	PIN(SCTLR, DZE, HYP_SCTLR_DZE, 14, 14),
	PIN(SCTLR, UCT, HYP_SCTLR_UCT, 15, 15),
	PIN(SCTLR, NTWI, HYP_SCTLR_NTWI, 16, 16),
	/* bit [17] is RES0 */
	PIN(SCTLR, NTWE, HYP_SCTLR_NTWE, 18, 18),
	PIN(SCTLR, WXN, HYP_SCTLR_WXN, 19, 19),
	PIN(SCTLR, TSCXT, HYP_SCTLR_TSCXT, 20, 20),
	PIN(SCTLR, IESB, HYP_SCTLR_IESB, 21, 21),
	PIN(SCTLR, EIS, HYP_SCTLR_EIS, 22, 22),
	PIN(SCTLR, SPAN, HYP_SCTLR_SPAN, 23, 23),
	PIN(SCTLR, E0E, HYP_SCTLR_E0E, 24, 24),
	PIN(SCTLR, EE, HYP_SCTLR_EE, 25, 25),
	PIN(SCTLR, UCI, HYP_SCTLR_UCI, 26, 26),
	PIN(SCTLR, NTLSMD, HYP_SCTLR_NTLSMD, 28, 28),
	PIN(SCTLR, LSMAOE, HYP_SCTLR_LSMAOE, 29, 29),
	PIN(SCTLR, DSSBS, HYP_SCTLR_DSSBS, 44, 44),
	PIN(SCTLR, EPAN, HYP_SCTLR_EPAN, 57, 57),
	PIN(SCTLR, SPINTMASK, HYP_SCTLR_SPINTMASK, 62, 62),
	/* CPTR_EL2 when !ELIsInHost(EL2) ("Otherwise" layout), D24.2.38;
	 * bits [7:0], [9] and [13] are RES1 there. */
	PIN(CPTR, TZ, HYP_CPTR_TZ, 8, 8),
	PIN(CPTR, TFP, HYP_CPTR_TFP, 10, 10),
	PIN(CPTR, TSM, HYP_CPTR_TSM, 12, 12),
	PIN(CPTR, TTA, HYP_CPTR_TTA, 20, 20),
	PIN(CPTR, TAM, HYP_CPTR_TAM, 30, 30),
	PIN(CPTR, TCPAC, HYP_CPTR_TCPAC, 31, 31),
	/* CPTR_EL2 when ELIsInHost(EL2), D24.2.38. */
	PIN(CPTR_E2H, ZEN, HYP_CPTR_E2H_ZEN, 17, 16),
	PIN(CPTR_E2H, FPEN, HYP_CPTR_E2H_FPEN, 21, 20),
	PIN(CPTR_E2H, SMEN, HYP_CPTR_E2H_SMEN, 25, 24),
	PIN(CPTR_E2H, TTA, HYP_CPTR_E2H_TTA, 28, 28),
	PIN(CPTR_E2H, TAM, HYP_CPTR_E2H_TAM, 30, 30),
	PIN(CPTR_E2H, TCPAC, HYP_CPTR_E2H_TCPAC, 31, 31),
	/* CNTHCTL_EL2 "Otherwise" (!ELIsInHost(EL2)) layout, D24.10.2;
	 * bits [11:8] are RES0 there. */
	PIN(CNTHCTL, EL1PCTEN, HYP_CNTHCTL_EL1PCTEN, 0, 0),
	PIN(CNTHCTL, EL1PCEN, HYP_CNTHCTL_EL1PCEN, 1, 1),
	PIN(CNTHCTL, EVNTEN, HYP_CNTHCTL_EVNTEN, 2, 2),
	PIN(CNTHCTL, EVNTDIR, HYP_CNTHCTL_EVNTDIR, 3, 3),
	PIN(CNTHCTL, EVNTI, HYP_CNTHCTL_EVNTI, 7, 4),
	PIN(CNTHCTL, ECV, HYP_CNTHCTL_ECV, 12, 12),
	PIN(CNTHCTL, EL1TVT, HYP_CNTHCTL_EL1TVT, 13, 13),
	PIN(CNTHCTL, EL1TVCT, HYP_CNTHCTL_EL1TVCT, 14, 14),
	PIN(CNTHCTL, EL1NVPCT, HYP_CNTHCTL_EL1NVPCT, 15, 15),
	PIN(CNTHCTL, EL1NVVCT, HYP_CNTHCTL_EL1NVVCT, 16, 16),
	PIN(CNTHCTL, EVNTIS, HYP_CNTHCTL_EVNTIS, 17, 17),
	/* CNTHCTL_EL2 when ELIsInHost(EL2), D24.10.2. */
	PIN(CNTHCTL_E2H, EL0PCTEN, HYP_CNTHCTL_E2H_EL0PCTEN, 0, 0),
	PIN(CNTHCTL_E2H, EL0VCTEN, HYP_CNTHCTL_E2H_EL0VCTEN, 1, 1),
	PIN(CNTHCTL_E2H, EVNTEN, HYP_CNTHCTL_E2H_EVNTEN, 2, 2),
	PIN(CNTHCTL_E2H, EVNTDIR, HYP_CNTHCTL_E2H_EVNTDIR, 3, 3),
	PIN(CNTHCTL_E2H, EVNTI, HYP_CNTHCTL_E2H_EVNTI, 7, 4),
	PIN(CNTHCTL_E2H, EL0VTEN, HYP_CNTHCTL_E2H_EL0VTEN, 8, 8),
	PIN(CNTHCTL_E2H, EL0PTEN, HYP_CNTHCTL_E2H_EL0PTEN, 9, 9),
	PIN(CNTHCTL_E2H, EL1PCTEN, HYP_CNTHCTL_E2H_EL1PCTEN, 10, 10),
	PIN(CNTHCTL_E2H, EL1PTEN, HYP_CNTHCTL_E2H_EL1PTEN, 11, 11),
	PIN(CNTHCTL_E2H, ECV, HYP_CNTHCTL_E2H_ECV, 12, 12),
	PIN(CNTHCTL_E2H, EL1TVT, HYP_CNTHCTL_E2H_EL1TVT, 13, 13),
	PIN(CNTHCTL_E2H, EL1TVCT, HYP_CNTHCTL_E2H_EL1TVCT, 14, 14),
	PIN(CNTHCTL_E2H, EL1NVPCT, HYP_CNTHCTL_E2H_EL1NVPCT, 15, 15),
	PIN(CNTHCTL_E2H, EL1NVVCT, HYP_CNTHCTL_E2H_EL1NVVCT, 16, 16),
	PIN(CNTHCTL_E2H, EVNTIS, HYP_CNTHCTL_E2H_EVNTIS, 17, 17),
	/* TCR_EL2 when !ELIsInHost(EL2), D24.2.195 ("Bit [23]" and
	 * "Bit [31]": Reserved, RES1). */
	PIN(TCR, T0SZ, HYP_TCR_T0SZ, 5, 0),
	PIN(TCR, IRGN0, HYP_TCR_IRGN0, 9, 8),
	PIN(TCR, ORGN0, HYP_TCR_ORGN0, 11, 10),
	PIN(TCR, SH0, HYP_TCR_SH0, 13, 12),
	PIN(TCR, TG0, HYP_TCR_TG0, 15, 14),
	PIN(TCR, PS, HYP_TCR_PS, 18, 16),
	PIN(TCR, TBI, HYP_TCR_TBI, 20, 20),
	PIN(TCR, HA, HYP_TCR_HA, 21, 21),
	PIN(TCR, HD, HYP_TCR_HD, 22, 22),
	PIN(TCR, RES1_23, HYP_TCR_RES1_23, 23, 23),
	PIN(TCR, HPD, HYP_TCR_HPD, 24, 24),
	PIN(TCR, RES1_31, HYP_TCR_RES1_31, 31, 31),
	/* TCR_EL2 when ELIsInHost(EL2), D24.2.195. */
	PIN(TCR_E2H, T0SZ, HYP_TCR_E2H_T0SZ, 5, 0),
	PIN(TCR_E2H, EPD0, HYP_TCR_E2H_EPD0, 7, 7),
	PIN(TCR_E2H, IRGN0, HYP_TCR_E2H_IRGN0, 9, 8),
	PIN(TCR_E2H, ORGN0, HYP_TCR_E2H_ORGN0, 11, 10),
	PIN(TCR_E2H, SH0, HYP_TCR_E2H_SH0, 13, 12),
	PIN(TCR_E2H, TG0, HYP_TCR_E2H_TG0, 15, 14),
	PIN(TCR_E2H, T1SZ, HYP_TCR_E2H_T1SZ, 21, 16),
	PIN(TCR_E2H, A1, HYP_TCR_E2H_A1, 22, 22),
	PIN(TCR_E2H, EPD1, HYP_TCR_E2H_EPD1, 23, 23),
	PIN(TCR_E2H, IRGN1, HYP_TCR_E2H_IRGN1, 25, 24),
	PIN(TCR_E2H, ORGN1, HYP_TCR_E2H_ORGN1, 27, 26),
	PIN(TCR_E2H, SH1, HYP_TCR_E2H_SH1, 29, 28),
	PIN(TCR_E2H, TG1, HYP_TCR_E2H_TG1, 31, 30),
	PIN(TCR_E2H, IPS, HYP_TCR_E2H_IPS, 34, 32),
	/* bit [35] is RES0 */
	PIN(TCR_E2H, AS, HYP_TCR_E2H_AS, 36, 36),
	PIN(TCR_E2H, TBI0, HYP_TCR_E2H_TBI0, 37, 37),
	PIN(TCR_E2H, TBI1, HYP_TCR_E2H_TBI1, 38, 38),
	PIN(TCR_E2H, HA, HYP_TCR_E2H_HA, 39, 39),
	PIN(TCR_E2H, HD, HYP_TCR_E2H_HD, 40, 40),
	/* VTCR_EL2, D24.2.224 ("Bit [31]": Reserved, RES1). */
	PIN(VTCR, T0SZ, HYP_VTCR_T0SZ, 5, 0),
	PIN(VTCR, SL0, HYP_VTCR_SL0, 7, 6),
	PIN(VTCR, IRGN0, HYP_VTCR_IRGN0, 9, 8),
	PIN(VTCR, ORGN0, HYP_VTCR_ORGN0, 11, 10),
	PIN(VTCR, SH0, HYP_VTCR_SH0, 13, 12),
	PIN(VTCR, TG0, HYP_VTCR_TG0, 15, 14),
	PIN(VTCR, PS, HYP_VTCR_PS, 18, 16),
	PIN(VTCR, VS, HYP_VTCR_VS, 19, 19),
	/* bit [20] is RES0 */
	PIN(VTCR, HA, HYP_VTCR_HA, 21, 21),
	PIN(VTCR, HD, HYP_VTCR_HD, 22, 22),
	PIN(VTCR, RES1_31, HYP_VTCR_RES1_31, 31, 31),
	/* MDCR_EL2, Arm ARM D24.3.17 (debug registers). */
	PIN(MDCR, HPMN, HYP_MDCR_HPMN, 4, 0),
	PIN(MDCR, TPMCR, HYP_MDCR_TPMCR, 5, 5),
	PIN(MDCR, TPM, HYP_MDCR_TPM, 6, 6),
	PIN(MDCR, HPME, HYP_MDCR_HPME, 7, 7),
	PIN(MDCR, TDE, HYP_MDCR_TDE, 8, 8),
	PIN(MDCR, TDA, HYP_MDCR_TDA, 9, 9),
	PIN(MDCR, TDOSA, HYP_MDCR_TDOSA, 10, 10),
	PIN(MDCR, TDRA, HYP_MDCR_TDRA, 11, 11),
	PIN(MDCR, E2PB, HYP_MDCR_E2PB, 13, 12),
	PIN(MDCR, TPMS, HYP_MDCR_TPMS, 14, 14),
	/* EnSPM, bit [15] (FEAT_SPMU) is not in the table; bit [16] is RES0 */
	PIN(MDCR, HPMD, HYP_MDCR_HPMD, 17, 17),
	PIN(MDCR, TTRF, HYP_MDCR_TTRF, 19, 19),
	PIN(MDCR, HCCD, HYP_MDCR_HCCD, 23, 23),
	PIN(MDCR, HLP, HYP_MDCR_HLP, 26, 26),
	PIN(MDCR, TDCC, HYP_MDCR_TDCC, 27, 27),
	PIN(MDCR, MTPME, HYP_MDCR_MTPME, 28, 28),
	/* ICC_SRE_EL2, GIC IHI 0069 12.2. */
	PIN(ICC_SRE, SRE, HYP_ICC_SRE_SRE, 0, 0),
	PIN(ICC_SRE, DFB, HYP_ICC_SRE_DFB, 1, 1),
	PIN(ICC_SRE, DIB, HYP_ICC_SRE_DIB, 2, 2),
	PIN(ICC_SRE, ENABLE, HYP_ICC_SRE_ENABLE, 3, 3),
	/* ICH_HCR_EL2, GIC IHI 0069 12.4.5. */
	PIN(ICH_HCR, EN, HYP_ICH_HCR_EN, 0, 0),
	PIN(ICH_HCR, UIE, HYP_ICH_HCR_UIE, 1, 1),
	PIN(ICH_HCR, LRENPIE, HYP_ICH_HCR_LRENPIE, 2, 2),
	PIN(ICH_HCR, NPIE, HYP_ICH_HCR_NPIE, 3, 3),
	PIN(ICH_HCR, VGRP0EIE, HYP_ICH_HCR_VGRP0EIE, 4, 4),
	PIN(ICH_HCR, VGRP0DIE, HYP_ICH_HCR_VGRP0DIE, 5, 5),
	PIN(ICH_HCR, VGRP1EIE, HYP_ICH_HCR_VGRP1EIE, 6, 6),
	PIN(ICH_HCR, VGRP1DIE, HYP_ICH_HCR_VGRP1DIE, 7, 7),
	PIN(ICH_HCR, TC, HYP_FIELD(ICH_HCR, TC), 10, 10),
	PIN(ICH_HCR, TALL0, HYP_FIELD(ICH_HCR, TALL0), 11, 11),
	PIN(ICH_HCR, TALL1, HYP_FIELD(ICH_HCR, TALL1), 12, 12),
	PIN(ICH_HCR, TSEI, HYP_ICH_HCR_TSEI, 13, 13),
	PIN(ICH_HCR, TDIR, HYP_FIELD(ICH_HCR, TDIR), 14, 14),
	PIN(ICH_HCR, EOICOUNT, HYP_ICH_HCR_EOICOUNT, 31, 27),
	/* ICH_VMCR_EL2, GIC IHI 0069 12.4.8. */
	PIN(ICH_VMCR, VENG0, HYP_ICH_VMCR_VENG0, 0, 0),
	PIN(ICH_VMCR, VENG1, HYP_ICH_VMCR_VENG1, 1, 1),
	PIN(ICH_VMCR, VACKCTL, HYP_ICH_VMCR_VACKCTL, 2, 2),
	PIN(ICH_VMCR, VFIQEN, HYP_ICH_VMCR_VFIQEN, 3, 3),
	PIN(ICH_VMCR, VCBPR, HYP_ICH_VMCR_VCBPR, 4, 4),
	PIN(ICH_VMCR, VEOIM, HYP_ICH_VMCR_VEOIM, 9, 9),
	PIN(ICH_VMCR, VBPR1, HYP_ICH_VMCR_VBPR1, 20, 18),
	PIN(ICH_VMCR, VBPR0, HYP_ICH_VMCR_VBPR0, 23, 21),
	PIN(ICH_VMCR, VPMR, HYP_ICH_VMCR_VPMR, 31, 24),
	/* ICH_VTR_EL2, GIC IHI 0069 12.4.9. */
	PIN(ICH_VTR, LISTREGS, HYP_ICH_VTR_LISTREGS, 4, 0),
	PIN(ICH_VTR, TDS, HYP_ICH_VTR_TDS, 19, 19),
	PIN(ICH_VTR, NV4, HYP_ICH_VTR_NV4, 20, 20),
	PIN(ICH_VTR, A3V, HYP_ICH_VTR_A3V, 21, 21),
	PIN(ICH_VTR, SEIS, HYP_ICH_VTR_SEIS, 22, 22),
	PIN(ICH_VTR, IDBITS, HYP_ICH_VTR_IDBITS, 25, 23),
	PIN(ICH_VTR, PREBITS, HYP_ICH_VTR_PREBITS, 28, 26),
	PIN(ICH_VTR, PRIBITS, HYP_ICH_VTR_PRIBITS, 31, 29),
};

#define NPINS (sizeof(pins) / sizeof(pins[0]))

static uint64_t row_mask(const struct hyp_ctrl_field_desc *d)
{
	return (d->width >= 64 ? ~0ull : ((1ull << d->width) - 1)) << d->lsb;
}

Test(ctrlregs, every_field_mask_is_the_spec_literal)
{
	for (size_t i = 0; i < NPINS; i++) {
		cr_expect_eq(pins[i].alias, pins[i].spec, "HYP_%s_%s = %#llx, spec bits [%u:%u] %#llx",
			     pins[i].reg, pins[i].field, (unsigned long long)pins[i].alias,
			     pins[i].msb, pins[i].lsb, (unsigned long long)pins[i].spec);
		cr_expect_eq(pins[i].field_mask, pins[i].spec, "HYP_FIELD(%s, %s)", pins[i].reg,
			     pins[i].field);
	}
}

Test(ctrlregs, every_table_row_is_pinned_and_matches)
{
	cr_assert_eq(NPINS, (size_t)HYP_CTRLF_COUNT, "%zu pins for %d rows", NPINS, HYP_CTRLF_COUNT);
	for (size_t i = 0; i < NPINS; i++) {
		const struct hyp_ctrl_field_desc *d = &hyp_ctrl_field_table[pins[i].id];

		cr_expect_str_eq(d->reg, pins[i].reg);
		cr_expect_str_eq(d->field, pins[i].field);
		cr_expect(d->doc != NULL && d->doc[0] != '\0', "%s.%s has no description", d->reg,
			  d->field);
		cr_expect_eq(row_mask(d), pins[i].spec, "%s.%s lsb %u width %u", d->reg, d->field,
			     d->lsb, d->width);
	}
}

Test(ctrlregs, no_two_fields_of_one_register_overlap)
{
	for (unsigned i = 0; i < HYP_CTRLF_COUNT; i++) {
		const struct hyp_ctrl_field_desc *a = &hyp_ctrl_field_table[i];

		cr_assert(a->width >= 1 && a->lsb + a->width <= 64, "%s.%s out of range", a->reg,
			  a->field);
		for (unsigned j = i + 1; j < HYP_CTRLF_COUNT; j++) {
			const struct hyp_ctrl_field_desc *b = &hyp_ctrl_field_table[j];

			if (strcmp(a->reg, b->reg) != 0)
				continue;
			cr_expect_eq(row_mask(a) & row_mask(b), 0, "%s.%s overlaps %s.%s", a->reg,
				     a->field, b->reg, b->field);
			cr_expect_neq(strcmp(a->field, b->field), 0, "%s.%s twice", a->reg, a->field);
		}
	}
}

Test(ctrlregs, rows_of_a_register_are_contiguous_and_in_bit_order)
{
	for (unsigned i = 1; i < HYP_CTRLF_COUNT; i++) {
		const struct hyp_ctrl_field_desc *p = &hyp_ctrl_field_table[i - 1];
		const struct hyp_ctrl_field_desc *d = &hyp_ctrl_field_table[i];

		if (strcmp(p->reg, d->reg) == 0) {
			cr_expect_gt(d->lsb, p->lsb, "%s.%s after %s", d->reg, d->field, p->field);
			continue;
		}
		/* A new register: it must not appear again later. */
		for (unsigned j = i; j < HYP_CTRLF_COUNT; j++)
			cr_expect_neq(strcmp(hyp_ctrl_field_table[j].reg, p->reg), 0,
				      "%s rows are split", p->reg);
	}
}

Test(ctrlregs, prep_and_get_place_and_extract_a_field)
{
	/* CPTR_EL2 (E2H = 1) FPEN = 0b11 is bits [21:20]: 0x300000 (D24.2.38). */
	cr_expect_eq(HYP_FIELD_PREP(CPTR_E2H, FPEN, 3), 0x300000ull);
	cr_expect_eq(HYP_FIELD_PREP(CPTR_E2H, FPEN, 7), 0x300000ull, "excess bits dropped");
	/* VTCR_EL2.PS = 0b101 (48 bits) at [18:16] (D24.2.224). */
	cr_expect_eq(HYP_FIELD_PREP(VTCR, PS, 5), 0x50000ull);
	cr_expect_eq(HYP_FIELD_GET(VTCR, PS, 0x80053590ull), 5);
	/* ICH_VTR_EL2.ListRegs [4:0], PRIbits [31:29] (IHI 0069 12.4.9). */
	cr_expect_eq(HYP_FIELD_GET(ICH_VTR, LISTREGS, 0x90000003ull), 3);
	cr_expect_eq(HYP_FIELD_GET(ICH_VTR, PRIBITS, 0x90000003ull), 4);
}

/* Usable where a constant expression is required. */
_Static_assert(HYP_FIELD(HCR, FWB) == (1ull << 46), "HYP_FIELD is a constant expression");
static const uint64_t static_init = HYP_TCR_RES1_23 | HYP_TCR_RES1_31;

Test(ctrlregs, masks_are_constant_expressions)
{
	cr_expect_eq(static_init, 0x80800000ull); /* TCR_EL2 RES1 bits 31 and 23 (D24.2.195) */
}

/* ICH_VTR_EL2 is also an ID register of the sanitising table (regdefs.h,
 * HYP_ID_FIELDS): both tables must place its fields alike. */
Test(ctrlregs, ich_vtr_rows_agree_with_the_id_field_table)
{
#define SAME(f, idf)                                                          \
	cr_expect_eq(HYP_ICH_VTR_##f##_SHIFT, HYP_IDF_ICH_VTR_EL2_##idf##_SHIFT, #f); \
	cr_expect_eq(HYP_ICH_VTR_##f##_WIDTH, HYP_IDF_ICH_VTR_EL2_##idf##_WIDTH, #f)
	SAME(LISTREGS, ListRegs);
	SAME(TDS, TDS);
	SAME(NV4, nV4);
	SAME(A3V, A3V);
	SAME(SEIS, SEIS);
	SAME(IDBITS, IDbits);
	SAME(PREBITS, PREbits);
	SAME(PRIBITS, PRIbits);
#undef SAME
}
