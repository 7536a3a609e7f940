/* SPDX-License-Identifier: MIT */
/**
 * @file ctrlregs.h
 * @brief Control-register fields: the one place the bit positions of the
 *        EL2 controls libhyp (and its integrators) program are written.
 *
 * Everything comes from one X-macro table, HYP_CTRL_FIELDS: per field the
 * register (layout), the field name, its lowest bit, its width and a short
 * description. From it are derived:
 * - HYP_{REG}_{FIELD}_SHIFT and HYP_{REG}_{FIELD}_WIDTH (enum constants);
 * - HYP_FIELD(REG, FIELD), the field's 64-bit mask (a constant expression,
 *   usable in static initialisers and \#if-free code), HYP_FIELD_PREP() and
 *   HYP_FIELD_GET();
 * - the mask aliases HYP_{REG}_{FIELD} (each defined as HYP_FIELD(REG,
 *   FIELD), so no bit position is written twice);
 * - hyp_ctrl_field_table[], the table as data, which the host tests walk.
 *
 * Registers whose layout depends on HCR_EL2.E2H have two layouts, with the
 * suffix _E2H for the E2H = 1 one: CPTR (CPTR_EL2, E2H = 0) and CPTR_E2H
 * (the CPACR_EL1-like E2H = 1 layout), CNTHCTL / CNTHCTL_E2H, TCR
 * (TCR_EL2, E2H = 0) / TCR_E2H (the TCR_EL1 layout TCR_EL2 has with
 * E2H = 1). SCTLR is SCTLR_EL1, and SCTLR_EL2 where the bit exists there
 * (M, A, C, SA, I, WXN, EE, EOS, EIS, IESB, DSSBS, ...). The ICH_LR<n>_EL2
 * fields are in vgic.h (HYP_ICH_LR_*), as are HYP_ICH_HCR_TC/TALL0/TALL1/
 * TDIR (same positions as the rows here).
 *
 * Sources (Arm ARM DDI 0487, section per register): HCR_EL2 D24.2.62,
 * SCTLR_EL1 D24.2.175, SCTLR_EL2 D24.2.176, CPTR_EL2 D24.2.38, TCR_EL2
 * D24.2.195, VTCR_EL2 D24.2.224, MDCR_EL2 D24.3.17, CNTHCTL_EL2 D24.10.2;
 * GIC architecture specification IHI 0069, 12.2 (ICC_SRE_EL2), 12.4.5
 * (ICH_HCR_EL2), 12.4.8 (ICH_VMCR_EL2), 12.4.9 (ICH_VTR_EL2).
 * tests/host/test_ctrlregs.c pins every row by the bit range [msb:lsb] of
 * its field heading in those sections, typed from the specification.
 *
 * Nothing here touches hardware.
 */
#ifndef LIBHYP_CTRLREGS_H
#define LIBHYP_CTRLREGS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The field table: X(reg, field, lsb, width, doc).
 *
 * Rows of one register are in ascending bit order; no two rows of one
 * register overlap (a host test checks both). RES1_<n> rows name bits that
 * are RES1 in the layout (software must write them as 1).
 */
#define HYP_CTRL_FIELDS(X) \
	/* HCR_EL2, Arm ARM D24.2.62. */ \
	X(HCR, VM, 0, 1, "stage 2 translation enabled") \
	X(HCR, SWIO, 1, 1, "set/way invalidation override") \
	X(HCR, PTW, 2, 1, "protected table walk") \
	X(HCR, FMO, 3, 1, "physical FIQ routed to EL2; enables VF") \
	X(HCR, IMO, 4, 1, "physical IRQ routed to EL2; enables VI") \
	X(HCR, AMO, 5, 1, "physical SError routed to EL2; enables VSE") \
	X(HCR, VF, 6, 1, "virtual FIQ pending") \
	X(HCR, VI, 7, 1, "virtual IRQ pending") \
	X(HCR, VSE, 8, 1, "virtual SError pending (cleared when taken)") \
	X(HCR, FB, 9, 1, "force broadcast of TLB and I-cache maintenance") \
	X(HCR, BSU, 10, 2, "barrier shareability upgrade") \
	X(HCR, DC, 12, 1, "default cacheability") \
	X(HCR, TWI, 13, 1, "trap WFI") \
	X(HCR, TWE, 14, 1, "trap WFE") \
	X(HCR, TID0, 15, 1, "trap ID group 0") \
	X(HCR, TID1, 16, 1, "trap ID group 1") \
	X(HCR, TID2, 17, 1, "trap ID group 2") \
	X(HCR, TID3, 18, 1, "trap ID group 3 reads") \
	X(HCR, TSC, 19, 1, "trap SMC") \
	X(HCR, TIDCP, 20, 1, "trap implementation-defined registers") \
	X(HCR, TACR, 21, 1, "trap ACTLR_EL1 accesses") \
	X(HCR, TSW, 22, 1, "trap data cache maintenance by set/way") \
	X(HCR, TPCP, 23, 1, "trap cache maintenance to PoC/PoP") \
	X(HCR, TPU, 24, 1, "trap cache maintenance to PoU") \
	X(HCR, TTLB, 25, 1, "trap TLB maintenance") \
	X(HCR, TVM, 26, 1, "trap writes of the virtual-memory controls") \
	X(HCR, TGE, 27, 1, "trap general exceptions (0 while a guest runs)") \
	X(HCR, TDZ, 28, 1, "trap DC ZVA") \
	X(HCR, HCD, 29, 1, "HVC disable") \
	X(HCR, TRVM, 30, 1, "trap reads of the virtual-memory controls") \
	X(HCR, RW, 31, 1, "EL1 is AArch64") \
	X(HCR, CD, 32, 1, "stage 2 data access cacheability disable") \
	X(HCR, ID, 33, 1, "stage 2 instruction access cacheability disable") \
	X(HCR, E2H, 34, 1, "EL2 host (VHE)") \
	X(HCR, TLOR, 35, 1, "trap LOR registers") \
	X(HCR, TERR, 36, 1, "trap error-record registers") \
	X(HCR, TEA, 37, 1, "route synchronous external aborts to EL2") \
	X(HCR, APK, 40, 1, "0: trap pointer-authentication key registers") \
	X(HCR, API, 41, 1, "0: trap pointer-authentication instructions") \
	X(HCR, NV, 42, 1, "nested virtualization") \
	X(HCR, NV1, 43, 1, "nested virtualization, EL1 registers") \
	X(HCR, AT, 44, 1, "trap AT S1E0x and S1E1x") \
	X(HCR, NV2, 45, 1, "nested virtualization, memory-redirected registers") \
	X(HCR, FWB, 46, 1, "stage 2 forced write-back (FEAT_S2FWB)") \
	X(HCR, FIEN, 47, 1, "fault injection enable") \
	X(HCR, TID4, 49, 1, "trap ID group 4") \
	X(HCR, TICAB, 50, 1, "trap IC IALLUIS (EL1)") \
	X(HCR, AMVOFFEN, 51, 1, "activity monitors virtual offsets enable") \
	X(HCR, TOCU, 52, 1, "trap cache maintenance to PoU (EL0 and EL1)") \
	X(HCR, ENSCXT, 53, 1, "0: trap SCXTNUM_ELx") \
	X(HCR, TTLBIS, 54, 1, "trap inner-shareable TLB maintenance") \
	X(HCR, TTLBOS, 55, 1, "trap outer-shareable TLB maintenance") \
	X(HCR, ATA, 56, 1, "0: trap allocation-tag registers") \
	X(HCR, DCT, 57, 1, "default cacheability tagging") \
	X(HCR, TID5, 58, 1, "trap ID group 5 (GMID_EL1)") \
	X(HCR, TWEDEN, 59, 1, "TWE delay enable") \
	X(HCR, TWEDEL, 60, 4, "TWE delay") \
	/* SCTLR_EL1 D24.2.175 (SCTLR_EL2 D24.2.176 has M, A, C, SA, EOS, I, */ \
	/* WXN, IESB, EIS, EE, DSSBS at the same positions). */ \
	X(SCTLR, M, 0, 1, "stage 1 MMU enable") \
	X(SCTLR, A, 1, 1, "alignment check enable") \
	X(SCTLR, C, 2, 1, "data cacheability") \
	X(SCTLR, SA, 3, 1, "SP alignment check") \
	X(SCTLR, SA0, 4, 1, "SP alignment check at EL0") \
	X(SCTLR, EOS, 11, 1, "exception exit is context synchronizing") \
	X(SCTLR, I, 12, 1, "instruction cacheability") \
	X(SCTLR, DZE, 14, 1, "EL0 DC ZVA allowed") \
	X(SCTLR, UCT, 15, 1, "EL0 CTR_EL0 access allowed") \
	X(SCTLR, NTWI, 16, 1, "0: trap EL0 WFI") \
	X(SCTLR, NTWE, 18, 1, "0: trap EL0 WFE") \
	X(SCTLR, WXN, 19, 1, "write permission implies XN") \
	X(SCTLR, TSCXT, 20, 1, "trap EL0 SCXTNUM_EL0") \
	X(SCTLR, IESB, 21, 1, "implicit error synchronization barrier") \
	X(SCTLR, EIS, 22, 1, "exception entry is context synchronizing") \
	X(SCTLR, SPAN, 23, 1, "0: PSTATE.PAN is set on exception entry to EL1") \
	X(SCTLR, E0E, 24, 1, "EL0 data endianness") \
	X(SCTLR, EE, 25, 1, "EL1 data endianness and table walks") \
	X(SCTLR, UCI, 26, 1, "EL0 cache maintenance allowed") \
	X(SCTLR, NTLSMD, 28, 1, "no trap of EL0 LDM/STM to device memory") \
	X(SCTLR, LSMAOE, 29, 1, "load multiple/store multiple atomicity") \
	X(SCTLR, DSSBS, 44, 1, "PSTATE.SSBS on exception entry") \
	X(SCTLR, EPAN, 57, 1, "enhanced PAN") \
	X(SCTLR, SPINTMASK, 62, 1, "0: PSTATE.ALLINT is set on exception entry") \
	/* CPTR_EL2 with E2H = 0 (!ELIsInHost(EL2)), D24.2.38. */ \
	X(CPTR, TZ, 8, 1, "trap SVE") \
	X(CPTR, TFP, 10, 1, "trap FP/SIMD") \
	X(CPTR, TSM, 12, 1, "trap SME") \
	X(CPTR, TTA, 20, 1, "trap trace registers") \
	X(CPTR, TAM, 30, 1, "trap activity monitors") \
	X(CPTR, TCPAC, 31, 1, "trap CPACR_EL1") \
	/* CPTR_EL2 with E2H = 1 (ELIsInHost(EL2), the CPACR_EL1-like layout), D24.2.38. */ \
	X(CPTR_E2H, ZEN, 16, 2, "SVE enable (0b11: no trap)") \
	X(CPTR_E2H, FPEN, 20, 2, "FP/SIMD enable (0b11: no trap)") \
	X(CPTR_E2H, SMEN, 24, 2, "SME enable (0b11: no trap)") \
	X(CPTR_E2H, TTA, 28, 1, "trap trace registers") \
	X(CPTR_E2H, TAM, 30, 1, "trap activity monitors") \
	X(CPTR_E2H, TCPAC, 31, 1, "trap CPACR_EL1") \
	/* CNTHCTL_EL2 with E2H = 0, D24.10.2. */ \
	X(CNTHCTL, EL1PCTEN, 0, 1, "EL1/EL0 physical counter access allowed") \
	X(CNTHCTL, EL1PCEN, 1, 1, "EL1/EL0 physical timer access allowed") \
	X(CNTHCTL, EVNTEN, 2, 1, "event stream enable") \
	X(CNTHCTL, EVNTDIR, 3, 1, "event stream trigger direction") \
	X(CNTHCTL, EVNTI, 4, 4, "event stream counter bit") \
	X(CNTHCTL, ECV, 12, 1, "enhanced counter virtualization enable") \
	X(CNTHCTL, EL1TVT, 13, 1, "trap EL1/EL0 virtual timer") \
	X(CNTHCTL, EL1TVCT, 14, 1, "trap EL1/EL0 virtual counter") \
	X(CNTHCTL, EL1NVPCT, 15, 1, "trap EL1 CNTP_CTL/CVAL_EL02 accesses under NV2") \
	X(CNTHCTL, EL1NVVCT, 16, 1, "trap EL1 CNTV_CTL/CVAL_EL02 accesses under NV2") \
	X(CNTHCTL, EVNTIS, 17, 1, "event stream scale") \
	/* CNTHCTL_EL2 with E2H = 1, D24.10.2. */ \
	X(CNTHCTL_E2H, EL0PCTEN, 0, 1, "EL0 physical counter access allowed") \
	X(CNTHCTL_E2H, EL0VCTEN, 1, 1, "EL0 virtual counter access allowed") \
	X(CNTHCTL_E2H, EVNTEN, 2, 1, "event stream enable") \
	X(CNTHCTL_E2H, EVNTDIR, 3, 1, "event stream trigger direction") \
	X(CNTHCTL_E2H, EVNTI, 4, 4, "event stream counter bit") \
	X(CNTHCTL_E2H, EL0VTEN, 8, 1, "EL0 virtual timer access allowed") \
	X(CNTHCTL_E2H, EL0PTEN, 9, 1, "EL0 physical timer access allowed") \
	X(CNTHCTL_E2H, EL1PCTEN, 10, 1, "EL1/EL0 physical counter access allowed") \
	X(CNTHCTL_E2H, EL1PTEN, 11, 1, "EL1/EL0 physical timer access allowed") \
	X(CNTHCTL_E2H, ECV, 12, 1, "enhanced counter virtualization enable") \
	X(CNTHCTL_E2H, EL1TVT, 13, 1, "trap EL1/EL0 virtual timer") \
	X(CNTHCTL_E2H, EL1TVCT, 14, 1, "trap EL1/EL0 virtual counter") \
	X(CNTHCTL_E2H, EL1NVPCT, 15, 1, "trap EL1 CNTP_CTL/CVAL_EL02 accesses under NV2") \
	X(CNTHCTL_E2H, EL1NVVCT, 16, 1, "trap EL1 CNTV_CTL/CVAL_EL02 accesses under NV2") \
	X(CNTHCTL_E2H, EVNTIS, 17, 1, "event stream scale") \
	/* TCR_EL2 with E2H = 0, D24.2.195. */ \
	X(TCR, T0SZ, 0, 6, "region size 2^(64 - T0SZ)") \
	X(TCR, IRGN0, 8, 2, "inner cacheability of table walks (0b01 WBWA)") \
	X(TCR, ORGN0, 10, 2, "outer cacheability of table walks (0b01 WBWA)") \
	X(TCR, SH0, 12, 2, "shareability of table walks (0b11 inner)") \
	X(TCR, TG0, 14, 2, "granule (0b00 4K, 0b01 64K, 0b10 16K)") \
	X(TCR, PS, 16, 3, "physical address size") \
	X(TCR, TBI, 20, 1, "top byte ignored") \
	X(TCR, HA, 21, 1, "hardware access flag") \
	X(TCR, HD, 22, 1, "hardware dirty state") \
	X(TCR, RES1_23, 23, 1, "RES1") \
	X(TCR, HPD, 24, 1, "hierarchical permissions disabled") \
	X(TCR, RES1_31, 31, 1, "RES1") \
	/* TCR_EL2 with E2H = 1 (the TCR_EL1 layout), D24.2.195. */ \
	X(TCR_E2H, T0SZ, 0, 6, "TTBR0 region size 2^(64 - T0SZ)") \
	X(TCR_E2H, EPD0, 7, 1, "no TTBR0 walks") \
	X(TCR_E2H, IRGN0, 8, 2, "TTBR0 walk inner cacheability") \
	X(TCR_E2H, ORGN0, 10, 2, "TTBR0 walk outer cacheability") \
	X(TCR_E2H, SH0, 12, 2, "TTBR0 walk shareability") \
	X(TCR_E2H, TG0, 14, 2, "TTBR0 granule (0b00 4K)") \
	X(TCR_E2H, T1SZ, 16, 6, "TTBR1 region size") \
	X(TCR_E2H, A1, 22, 1, "ASID from TTBR1") \
	X(TCR_E2H, EPD1, 23, 1, "no TTBR1 walks") \
	X(TCR_E2H, IRGN1, 24, 2, "TTBR1 walk inner cacheability") \
	X(TCR_E2H, ORGN1, 26, 2, "TTBR1 walk outer cacheability") \
	X(TCR_E2H, SH1, 28, 2, "TTBR1 walk shareability") \
	X(TCR_E2H, TG1, 30, 2, "TTBR1 granule (0b10 4K)") \
	X(TCR_E2H, IPS, 32, 3, "intermediate physical address size") \
	X(TCR_E2H, AS, 36, 1, "16-bit ASID") \
	X(TCR_E2H, TBI0, 37, 1, "TTBR0 top byte ignored") \
	X(TCR_E2H, TBI1, 38, 1, "TTBR1 top byte ignored") \
	X(TCR_E2H, HA, 39, 1, "hardware access flag") \
	X(TCR_E2H, HD, 40, 1, "hardware dirty state") \
	/* VTCR_EL2, D24.2.224. */ \
	X(VTCR, T0SZ, 0, 6, "IPA size 2^(64 - T0SZ)") \
	X(VTCR, SL0, 6, 2, "starting level") \
	X(VTCR, IRGN0, 8, 2, "inner cacheability of walks (0b01 WBWA)") \
	X(VTCR, ORGN0, 10, 2, "outer cacheability of walks (0b01 WBWA)") \
	X(VTCR, SH0, 12, 2, "shareability of walks (0b11 inner)") \
	X(VTCR, TG0, 14, 2, "granule (0b00 4K, 0b01 64K, 0b10 16K)") \
	X(VTCR, PS, 16, 3, "physical address size") \
	X(VTCR, VS, 19, 1, "16-bit VMID") \
	X(VTCR, HA, 21, 1, "hardware access flag") \
	X(VTCR, HD, 22, 1, "hardware dirty state") \
	X(VTCR, RES1_31, 31, 1, "RES1") \
	/* MDCR_EL2, Arm ARM D24.3.17 (in D24.3, debug registers). */ \
	X(MDCR, HPMN, 0, 5, "event counters accessible from EL1/EL0") \
	X(MDCR, TPMCR, 5, 1, "trap PMCR_EL0") \
	X(MDCR, TPM, 6, 1, "trap PMU register accesses") \
	X(MDCR, HPME, 7, 1, "EL2 event counters enable") \
	X(MDCR, TDE, 8, 1, "route debug exceptions to EL2") \
	X(MDCR, TDA, 9, 1, "trap debug register accesses") \
	X(MDCR, TDOSA, 10, 1, "trap OS-lock and power-down registers") \
	X(MDCR, TDRA, 11, 1, "trap debug ROM address registers") \
	X(MDCR, E2PB, 12, 2, "profiling buffer owner") \
	X(MDCR, TPMS, 14, 1, "trap statistical profiling controls") \
	X(MDCR, HPMD, 17, 1, "EL2 event counting disabled") \
	X(MDCR, TTRF, 19, 1, "trap trace filter controls") \
	X(MDCR, HCCD, 23, 1, "EL2 cycle counting disabled") \
	X(MDCR, HLP, 26, 1, "EL2 event counters are 64-bit") \
	X(MDCR, TDCC, 27, 1, "trap debug communications channel") \
	X(MDCR, MTPME, 28, 1, "multi-threaded PMU extension enable") \
	/* ICC_SRE_EL2, GIC IHI 0069 12.2 (SRE, DFB, DIB are also ICC_SRE_EL1's). */ \
	X(ICC_SRE, SRE, 0, 1, "system-register interface at EL2") \
	X(ICC_SRE, DFB, 1, 1, "disable FIQ bypass") \
	X(ICC_SRE, DIB, 2, 1, "disable IRQ bypass") \
	X(ICC_SRE, ENABLE, 3, 1, "EL1 may access ICC_SRE_EL1") \
	/* ICH_HCR_EL2, GIC IHI 0069 12.4.5. */ \
	X(ICH_HCR, EN, 0, 1, "virtual CPU interface enabled") \
	X(ICH_HCR, UIE, 1, 1, "maintenance when at most one LR is valid") \
	X(ICH_HCR, LRENPIE, 2, 1, "maintenance while EOIcount != 0") \
	X(ICH_HCR, NPIE, 3, 1, "maintenance when no LR is pending") \
	X(ICH_HCR, VGRP0EIE, 4, 1, "maintenance when vGroup 0 is enabled") \
	X(ICH_HCR, VGRP0DIE, 5, 1, "maintenance when vGroup 0 is disabled") \
	X(ICH_HCR, VGRP1EIE, 6, 1, "maintenance when vGroup 1 is enabled") \
	X(ICH_HCR, VGRP1DIE, 7, 1, "maintenance when vGroup 1 is disabled") \
	X(ICH_HCR, TC, 10, 1, "trap common ICC_* registers") \
	X(ICH_HCR, TALL0, 11, 1, "trap Group 0 ICC_* registers") \
	X(ICH_HCR, TALL1, 12, 1, "trap Group 1 ICC_* registers") \
	X(ICH_HCR, TSEI, 13, 1, "trap locally generated SEIs") \
	X(ICH_HCR, TDIR, 14, 1, "trap ICC_DIR_EL1") \
	X(ICH_HCR, EOICOUNT, 27, 5, "EOIs without a matching LR") \
	/* ICH_VMCR_EL2, GIC IHI 0069 12.4.8. */ \
	X(ICH_VMCR, VENG0, 0, 1, "virtual Group 0 enable") \
	X(ICH_VMCR, VENG1, 1, 1, "virtual Group 1 enable") \
	X(ICH_VMCR, VACKCTL, 2, 1, "virtual AckCtl (GICv2 compatibility)") \
	X(ICH_VMCR, VFIQEN, 3, 1, "virtual Group 0 as FIQ") \
	X(ICH_VMCR, VCBPR, 4, 1, "common binary point") \
	X(ICH_VMCR, VEOIM, 9, 1, "EOI mode (split priority drop)") \
	X(ICH_VMCR, VBPR1, 18, 3, "virtual Group 1 binary point") \
	X(ICH_VMCR, VBPR0, 21, 3, "virtual Group 0 binary point") \
	X(ICH_VMCR, VPMR, 24, 8, "virtual priority mask") \
	/* ICH_VTR_EL2, GIC IHI 0069 12.4.9. */ \
	X(ICH_VTR, LISTREGS, 0, 5, "list registers implemented, minus one") \
	X(ICH_VTR, TDS, 19, 1, "separate trapping of EL1 writes to ICV_DIR_EL1") \
	X(ICH_VTR, NV4, 20, 1, "1: no vPEID direct injection") \
	X(ICH_VTR, A3V, 21, 1, "nonzero Aff3 supported") \
	X(ICH_VTR, SEIS, 22, 1, "locally generated SEIs supported") \
	X(ICH_VTR, IDBITS, 23, 3, "virtual interrupt id bits") \
	X(ICH_VTR, PREBITS, 26, 3, "virtual preemption bits, minus one") \
	X(ICH_VTR, PRIBITS, 29, 3, "virtual priority bits, minus one")

/** @brief Field constants: HYP_{REG}_{FIELD}_SHIFT and _WIDTH. */
enum hyp_ctrl_field_consts {
#define HYP_X_CTRLF_CONST(reg, field, lsb, width, doc) \
	HYP_##reg##_##field##_SHIFT = (lsb),           \
	HYP_##reg##_##field##_WIDTH = (width),
	HYP_CTRL_FIELDS(HYP_X_CTRLF_CONST)
#undef HYP_X_CTRLF_CONST
	HYP_CTRLF_CONST_END_ /**< terminator, no meaning */
};

/** @brief Field ids: one HYP_CTRLF_{REG}_{FIELD} per HYP_CTRL_FIELDS row. */
enum hyp_ctrl_field_id {
#define HYP_X_CTRLF_ID(reg, field, lsb, width, doc) HYP_CTRLF_##reg##_##field,
	HYP_CTRL_FIELDS(HYP_X_CTRLF_ID)
#undef HYP_X_CTRLF_ID
	HYP_CTRLF_COUNT /**< number of rows in the field table */
};

/**
 * @brief The 64-bit mask of field @p field of register layout @p reg
 *        (a constant expression).
 */
#define HYP_FIELD(reg, field)                                                 \
	((~0ull >> (64 - HYP_##reg##_##field##_WIDTH)) << HYP_##reg##_##field##_SHIFT)

/** @brief Value @p v placed in field @p field of @p reg (excess bits dropped). */
#define HYP_FIELD_PREP(reg, field, v) \
	(((uint64_t)(v) << HYP_##reg##_##field##_SHIFT) & HYP_FIELD(reg, field))

/** @brief Field @p field of @p reg extracted from register value @p v. */
#define HYP_FIELD_GET(reg, field, v) \
	(((uint64_t)(v) & HYP_FIELD(reg, field)) >> HYP_##reg##_##field##_SHIFT)

/** @brief One row of the field table, as data. */
struct hyp_ctrl_field_desc {
	const char *reg;   /**< register layout, e.g. "CPTR_E2H" */
	const char *field; /**< field name, e.g. "FPEN" */
	const char *doc;   /**< one-line description */
	uint8_t lsb;       /**< lowest bit */
	uint8_t width;     /**< width in bits */
};

/**
 * @brief The field table as data, indexed by enum hyp_ctrl_field_id.
 *
 * Pure constant data: any CPU, any time.
 */
extern const struct hyp_ctrl_field_desc hyp_ctrl_field_table[HYP_CTRLF_COUNT];

/**
 * @name Field masks: HYP_{REG}_{FIELD} is HYP_FIELD(REG, FIELD).
 * Generated from HYP_CTRL_FIELDS (one line per row; the position is only
 * in the table). HYP_ICH_HCR_TC, _TALL0, _TALL1 and _TDIR are in vgic.h.
 * @{
 */
#define HYP_HCR_VM HYP_FIELD(HCR, VM) /**< [0] stage 2 translation enabled */
#define HYP_HCR_SWIO HYP_FIELD(HCR, SWIO) /**< [1] set/way invalidation override */
#define HYP_HCR_PTW HYP_FIELD(HCR, PTW) /**< [2] protected table walk */
#define HYP_HCR_FMO HYP_FIELD(HCR, FMO) /**< [3] physical FIQ routed to EL2; enables VF */
#define HYP_HCR_IMO HYP_FIELD(HCR, IMO) /**< [4] physical IRQ routed to EL2; enables VI */
#define HYP_HCR_AMO HYP_FIELD(HCR, AMO) /**< [5] physical SError routed to EL2; enables VSE */
#define HYP_HCR_VF HYP_FIELD(HCR, VF) /**< [6] virtual FIQ pending */
#define HYP_HCR_VI HYP_FIELD(HCR, VI) /**< [7] virtual IRQ pending */
#define HYP_HCR_VSE HYP_FIELD(HCR, VSE) /**< [8] virtual SError pending (cleared when taken) */
#define HYP_HCR_FB HYP_FIELD(HCR, FB) /**< [9] force broadcast of TLB and I-cache maintenance */
#define HYP_HCR_BSU HYP_FIELD(HCR, BSU) /**< [11:10] barrier shareability upgrade */
#define HYP_HCR_DC HYP_FIELD(HCR, DC) /**< [12] default cacheability */
#define HYP_HCR_TWI HYP_FIELD(HCR, TWI) /**< [13] trap WFI */
#define HYP_HCR_TWE HYP_FIELD(HCR, TWE) /**< [14] trap WFE */
#define HYP_HCR_TID0 HYP_FIELD(HCR, TID0) /**< [15] trap ID group 0 */
#define HYP_HCR_TID1 HYP_FIELD(HCR, TID1) /**< [16] trap ID group 1 */
#define HYP_HCR_TID2 HYP_FIELD(HCR, TID2) /**< [17] trap ID group 2 */
#define HYP_HCR_TID3 HYP_FIELD(HCR, TID3) /**< [18] trap ID group 3 reads */
#define HYP_HCR_TSC HYP_FIELD(HCR, TSC) /**< [19] trap SMC */
#define HYP_HCR_TIDCP HYP_FIELD(HCR, TIDCP) /**< [20] trap implementation-defined registers */
#define HYP_HCR_TACR HYP_FIELD(HCR, TACR) /**< [21] trap ACTLR_EL1 accesses */
#define HYP_HCR_TSW HYP_FIELD(HCR, TSW) /**< [22] trap data cache maintenance by set/way */
#define HYP_HCR_TPCP HYP_FIELD(HCR, TPCP) /**< [23] trap cache maintenance to PoC/PoP */
#define HYP_HCR_TPU HYP_FIELD(HCR, TPU) /**< [24] trap cache maintenance to PoU */
#define HYP_HCR_TTLB HYP_FIELD(HCR, TTLB) /**< [25] trap TLB maintenance */
#define HYP_HCR_TVM HYP_FIELD(HCR, TVM) /**< [26] trap writes of the virtual-memory controls */
#define HYP_HCR_TGE HYP_FIELD(HCR, TGE) /**< [27] trap general exceptions (0 while a guest runs) */
#define HYP_HCR_TDZ HYP_FIELD(HCR, TDZ) /**< [28] trap DC ZVA */
#define HYP_HCR_HCD HYP_FIELD(HCR, HCD) /**< [29] HVC disable */
#define HYP_HCR_TRVM HYP_FIELD(HCR, TRVM) /**< [30] trap reads of the virtual-memory controls */
#define HYP_HCR_RW HYP_FIELD(HCR, RW) /**< [31] EL1 is AArch64 */
#define HYP_HCR_CD HYP_FIELD(HCR, CD) /**< [32] stage 2 data access cacheability disable */
#define HYP_HCR_ID HYP_FIELD(HCR, ID) /**< [33] stage 2 instruction access cacheability disable */
#define HYP_HCR_E2H HYP_FIELD(HCR, E2H) /**< [34] EL2 host (VHE) */
#define HYP_HCR_TLOR HYP_FIELD(HCR, TLOR) /**< [35] trap LOR registers */
#define HYP_HCR_TERR HYP_FIELD(HCR, TERR) /**< [36] trap error-record registers */
#define HYP_HCR_TEA HYP_FIELD(HCR, TEA) /**< [37] route synchronous external aborts to EL2 */
#define HYP_HCR_APK HYP_FIELD(HCR, APK) /**< [40] 0: trap pointer-authentication key registers */
#define HYP_HCR_API HYP_FIELD(HCR, API) /**< [41] 0: trap pointer-authentication instructions */
#define HYP_HCR_NV HYP_FIELD(HCR, NV) /**< [42] nested virtualization */
#define HYP_HCR_NV1 HYP_FIELD(HCR, NV1) /**< [43] nested virtualization, EL1 registers */
#define HYP_HCR_AT HYP_FIELD(HCR, AT) /**< [44] trap AT S1E0x and S1E1x */
#define HYP_HCR_NV2 HYP_FIELD(HCR, NV2) /**< [45] nested virtualization, memory-redirected registers */
#define HYP_HCR_FWB HYP_FIELD(HCR, FWB) /**< [46] stage 2 forced write-back (FEAT_S2FWB) */
#define HYP_HCR_FIEN HYP_FIELD(HCR, FIEN) /**< [47] fault injection enable */
#define HYP_HCR_TID4 HYP_FIELD(HCR, TID4) /**< [49] trap ID group 4 */
#define HYP_HCR_TICAB HYP_FIELD(HCR, TICAB) /**< [50] trap IC IALLUIS (EL1) */
#define HYP_HCR_AMVOFFEN HYP_FIELD(HCR, AMVOFFEN) /**< [51] activity monitors virtual offsets enable */
#define HYP_HCR_TOCU HYP_FIELD(HCR, TOCU) /**< [52] trap cache maintenance to PoU (EL0 and EL1) */
#define HYP_HCR_ENSCXT HYP_FIELD(HCR, ENSCXT) /**< [53] 0: trap SCXTNUM_ELx */
#define HYP_HCR_TTLBIS HYP_FIELD(HCR, TTLBIS) /**< [54] trap inner-shareable TLB maintenance */
#define HYP_HCR_TTLBOS HYP_FIELD(HCR, TTLBOS) /**< [55] trap outer-shareable TLB maintenance */
#define HYP_HCR_ATA HYP_FIELD(HCR, ATA) /**< [56] 0: trap allocation-tag registers */
#define HYP_HCR_DCT HYP_FIELD(HCR, DCT) /**< [57] default cacheability tagging */
#define HYP_HCR_TID5 HYP_FIELD(HCR, TID5) /**< [58] trap ID group 5 (GMID_EL1) */
#define HYP_HCR_TWEDEN HYP_FIELD(HCR, TWEDEN) /**< [59] TWE delay enable */
#define HYP_HCR_TWEDEL HYP_FIELD(HCR, TWEDEL) /**< [63:60] TWE delay */
#define HYP_SCTLR_M HYP_FIELD(SCTLR, M) /**< [0] stage 1 MMU enable */
#define HYP_SCTLR_A HYP_FIELD(SCTLR, A) /**< [1] alignment check enable */
#define HYP_SCTLR_C HYP_FIELD(SCTLR, C) /**< [2] data cacheability */
#define HYP_SCTLR_SA HYP_FIELD(SCTLR, SA) /**< [3] SP alignment check */
#define HYP_SCTLR_SA0 HYP_FIELD(SCTLR, SA0) /**< [4] SP alignment check at EL0 */
#define HYP_SCTLR_EOS HYP_FIELD(SCTLR, EOS) /**< [11] exception exit is context synchronizing */
#define HYP_SCTLR_I HYP_FIELD(SCTLR, I) /**< [12] instruction cacheability */
#define HYP_SCTLR_DZE HYP_FIELD(SCTLR, DZE) /**< [14] EL0 DC ZVA allowed */
#define HYP_SCTLR_UCT HYP_FIELD(SCTLR, UCT) /**< [15] EL0 CTR_EL0 access allowed */
#define HYP_SCTLR_NTWI HYP_FIELD(SCTLR, NTWI) /**< [16] 0: trap EL0 WFI */
#define HYP_SCTLR_NTWE HYP_FIELD(SCTLR, NTWE) /**< [18] 0: trap EL0 WFE */
#define HYP_SCTLR_WXN HYP_FIELD(SCTLR, WXN) /**< [19] write permission implies XN */
#define HYP_SCTLR_TSCXT HYP_FIELD(SCTLR, TSCXT) /**< [20] trap EL0 SCXTNUM_EL0 */
#define HYP_SCTLR_IESB HYP_FIELD(SCTLR, IESB) /**< [21] implicit error synchronization barrier */
#define HYP_SCTLR_EIS HYP_FIELD(SCTLR, EIS) /**< [22] exception entry is context synchronizing */
#define HYP_SCTLR_SPAN HYP_FIELD(SCTLR, SPAN) /**< [23] 0: PSTATE.PAN is set on exception entry to EL1 */
#define HYP_SCTLR_E0E HYP_FIELD(SCTLR, E0E) /**< [24] EL0 data endianness */
#define HYP_SCTLR_EE HYP_FIELD(SCTLR, EE) /**< [25] EL1 data endianness and table walks */
#define HYP_SCTLR_UCI HYP_FIELD(SCTLR, UCI) /**< [26] EL0 cache maintenance allowed */
#define HYP_SCTLR_NTLSMD HYP_FIELD(SCTLR, NTLSMD) /**< [28] no trap of EL0 LDM/STM to device memory */
#define HYP_SCTLR_LSMAOE HYP_FIELD(SCTLR, LSMAOE) /**< [29] load multiple/store multiple atomicity */
#define HYP_SCTLR_DSSBS HYP_FIELD(SCTLR, DSSBS) /**< [44] PSTATE.SSBS on exception entry */
#define HYP_SCTLR_EPAN HYP_FIELD(SCTLR, EPAN) /**< [57] enhanced PAN */
#define HYP_SCTLR_SPINTMASK HYP_FIELD(SCTLR, SPINTMASK) /**< [62] 0: PSTATE.ALLINT is set on exception entry */
#define HYP_CPTR_TZ HYP_FIELD(CPTR, TZ) /**< [8] trap SVE */
#define HYP_CPTR_TFP HYP_FIELD(CPTR, TFP) /**< [10] trap FP/SIMD */
#define HYP_CPTR_TSM HYP_FIELD(CPTR, TSM) /**< [12] trap SME */
#define HYP_CPTR_TTA HYP_FIELD(CPTR, TTA) /**< [20] trap trace registers */
#define HYP_CPTR_TAM HYP_FIELD(CPTR, TAM) /**< [30] trap activity monitors */
#define HYP_CPTR_TCPAC HYP_FIELD(CPTR, TCPAC) /**< [31] trap CPACR_EL1 */
#define HYP_CPTR_E2H_ZEN HYP_FIELD(CPTR_E2H, ZEN) /**< [17:16] SVE enable (0b11: no trap) */
#define HYP_CPTR_E2H_FPEN HYP_FIELD(CPTR_E2H, FPEN) /**< [21:20] FP/SIMD enable (0b11: no trap) */
#define HYP_CPTR_E2H_SMEN HYP_FIELD(CPTR_E2H, SMEN) /**< [25:24] SME enable (0b11: no trap) */
#define HYP_CPTR_E2H_TTA HYP_FIELD(CPTR_E2H, TTA) /**< [28] trap trace registers */
#define HYP_CPTR_E2H_TAM HYP_FIELD(CPTR_E2H, TAM) /**< [30] trap activity monitors */
#define HYP_CPTR_E2H_TCPAC HYP_FIELD(CPTR_E2H, TCPAC) /**< [31] trap CPACR_EL1 */
#define HYP_CNTHCTL_EL1PCTEN HYP_FIELD(CNTHCTL, EL1PCTEN) /**< [0] EL1/EL0 physical counter access allowed */
#define HYP_CNTHCTL_EL1PCEN HYP_FIELD(CNTHCTL, EL1PCEN) /**< [1] EL1/EL0 physical timer access allowed */
#define HYP_CNTHCTL_EVNTEN HYP_FIELD(CNTHCTL, EVNTEN) /**< [2] event stream enable */
#define HYP_CNTHCTL_EVNTDIR HYP_FIELD(CNTHCTL, EVNTDIR) /**< [3] event stream trigger direction */
#define HYP_CNTHCTL_EVNTI HYP_FIELD(CNTHCTL, EVNTI) /**< [7:4] event stream counter bit */
#define HYP_CNTHCTL_ECV HYP_FIELD(CNTHCTL, ECV) /**< [12] enhanced counter virtualization enable */
#define HYP_CNTHCTL_EL1TVT HYP_FIELD(CNTHCTL, EL1TVT) /**< [13] trap EL1/EL0 virtual timer */
#define HYP_CNTHCTL_EL1TVCT HYP_FIELD(CNTHCTL, EL1TVCT) /**< [14] trap EL1/EL0 virtual counter */
#define HYP_CNTHCTL_EL1NVPCT HYP_FIELD(CNTHCTL, EL1NVPCT) /**< [15] trap EL1 CNTP_CTL/CVAL_EL02 accesses under NV2 */
#define HYP_CNTHCTL_EL1NVVCT HYP_FIELD(CNTHCTL, EL1NVVCT) /**< [16] trap EL1 CNTV_CTL/CVAL_EL02 accesses under NV2 */
#define HYP_CNTHCTL_EVNTIS HYP_FIELD(CNTHCTL, EVNTIS) /**< [17] event stream scale */
#define HYP_CNTHCTL_E2H_EL0PCTEN HYP_FIELD(CNTHCTL_E2H, EL0PCTEN) /**< [0] EL0 physical counter access allowed */
#define HYP_CNTHCTL_E2H_EL0VCTEN HYP_FIELD(CNTHCTL_E2H, EL0VCTEN) /**< [1] EL0 virtual counter access allowed */
#define HYP_CNTHCTL_E2H_EVNTEN HYP_FIELD(CNTHCTL_E2H, EVNTEN) /**< [2] event stream enable */
#define HYP_CNTHCTL_E2H_EVNTDIR HYP_FIELD(CNTHCTL_E2H, EVNTDIR) /**< [3] event stream trigger direction */
#define HYP_CNTHCTL_E2H_EVNTI HYP_FIELD(CNTHCTL_E2H, EVNTI) /**< [7:4] event stream counter bit */
#define HYP_CNTHCTL_E2H_EL0VTEN HYP_FIELD(CNTHCTL_E2H, EL0VTEN) /**< [8] EL0 virtual timer access allowed */
#define HYP_CNTHCTL_E2H_EL0PTEN HYP_FIELD(CNTHCTL_E2H, EL0PTEN) /**< [9] EL0 physical timer access allowed */
#define HYP_CNTHCTL_E2H_EL1PCTEN HYP_FIELD(CNTHCTL_E2H, EL1PCTEN) /**< [10] EL1/EL0 physical counter access allowed */
#define HYP_CNTHCTL_E2H_EL1PTEN HYP_FIELD(CNTHCTL_E2H, EL1PTEN) /**< [11] EL1/EL0 physical timer access allowed */
#define HYP_CNTHCTL_E2H_ECV HYP_FIELD(CNTHCTL_E2H, ECV) /**< [12] enhanced counter virtualization enable */
#define HYP_CNTHCTL_E2H_EL1TVT HYP_FIELD(CNTHCTL_E2H, EL1TVT) /**< [13] trap EL1/EL0 virtual timer */
#define HYP_CNTHCTL_E2H_EL1TVCT HYP_FIELD(CNTHCTL_E2H, EL1TVCT) /**< [14] trap EL1/EL0 virtual counter */
#define HYP_CNTHCTL_E2H_EL1NVPCT HYP_FIELD(CNTHCTL_E2H, EL1NVPCT) /**< [15] trap EL1 CNTP_CTL/CVAL_EL02 accesses under NV2 */
#define HYP_CNTHCTL_E2H_EL1NVVCT HYP_FIELD(CNTHCTL_E2H, EL1NVVCT) /**< [16] trap EL1 CNTV_CTL/CVAL_EL02 accesses under NV2 */
#define HYP_CNTHCTL_E2H_EVNTIS HYP_FIELD(CNTHCTL_E2H, EVNTIS) /**< [17] event stream scale */
#define HYP_TCR_T0SZ HYP_FIELD(TCR, T0SZ) /**< [5:0] region size 2^(64 - T0SZ) */
#define HYP_TCR_IRGN0 HYP_FIELD(TCR, IRGN0) /**< [9:8] inner cacheability of table walks (0b01 WBWA) */
#define HYP_TCR_ORGN0 HYP_FIELD(TCR, ORGN0) /**< [11:10] outer cacheability of table walks (0b01 WBWA) */
#define HYP_TCR_SH0 HYP_FIELD(TCR, SH0) /**< [13:12] shareability of table walks (0b11 inner) */
#define HYP_TCR_TG0 HYP_FIELD(TCR, TG0) /**< [15:14] granule (0b00 4K, 0b01 64K, 0b10 16K) */
#define HYP_TCR_PS HYP_FIELD(TCR, PS) /**< [18:16] physical address size */
#define HYP_TCR_TBI HYP_FIELD(TCR, TBI) /**< [20] top byte ignored */
#define HYP_TCR_HA HYP_FIELD(TCR, HA) /**< [21] hardware access flag */
#define HYP_TCR_HD HYP_FIELD(TCR, HD) /**< [22] hardware dirty state */
#define HYP_TCR_RES1_23 HYP_FIELD(TCR, RES1_23) /**< [23] RES1 */
#define HYP_TCR_HPD HYP_FIELD(TCR, HPD) /**< [24] hierarchical permissions disabled */
#define HYP_TCR_RES1_31 HYP_FIELD(TCR, RES1_31) /**< [31] RES1 */
#define HYP_TCR_E2H_T0SZ HYP_FIELD(TCR_E2H, T0SZ) /**< [5:0] TTBR0 region size 2^(64 - T0SZ) */
#define HYP_TCR_E2H_EPD0 HYP_FIELD(TCR_E2H, EPD0) /**< [7] no TTBR0 walks */
#define HYP_TCR_E2H_IRGN0 HYP_FIELD(TCR_E2H, IRGN0) /**< [9:8] TTBR0 walk inner cacheability */
#define HYP_TCR_E2H_ORGN0 HYP_FIELD(TCR_E2H, ORGN0) /**< [11:10] TTBR0 walk outer cacheability */
#define HYP_TCR_E2H_SH0 HYP_FIELD(TCR_E2H, SH0) /**< [13:12] TTBR0 walk shareability */
#define HYP_TCR_E2H_TG0 HYP_FIELD(TCR_E2H, TG0) /**< [15:14] TTBR0 granule (0b00 4K) */
#define HYP_TCR_E2H_T1SZ HYP_FIELD(TCR_E2H, T1SZ) /**< [21:16] TTBR1 region size */
#define HYP_TCR_E2H_A1 HYP_FIELD(TCR_E2H, A1) /**< [22] ASID from TTBR1 */
#define HYP_TCR_E2H_EPD1 HYP_FIELD(TCR_E2H, EPD1) /**< [23] no TTBR1 walks */
#define HYP_TCR_E2H_IRGN1 HYP_FIELD(TCR_E2H, IRGN1) /**< [25:24] TTBR1 walk inner cacheability */
#define HYP_TCR_E2H_ORGN1 HYP_FIELD(TCR_E2H, ORGN1) /**< [27:26] TTBR1 walk outer cacheability */
#define HYP_TCR_E2H_SH1 HYP_FIELD(TCR_E2H, SH1) /**< [29:28] TTBR1 walk shareability */
#define HYP_TCR_E2H_TG1 HYP_FIELD(TCR_E2H, TG1) /**< [31:30] TTBR1 granule (0b10 4K) */
#define HYP_TCR_E2H_IPS HYP_FIELD(TCR_E2H, IPS) /**< [34:32] intermediate physical address size */
#define HYP_TCR_E2H_AS HYP_FIELD(TCR_E2H, AS) /**< [36] 16-bit ASID */
#define HYP_TCR_E2H_TBI0 HYP_FIELD(TCR_E2H, TBI0) /**< [37] TTBR0 top byte ignored */
#define HYP_TCR_E2H_TBI1 HYP_FIELD(TCR_E2H, TBI1) /**< [38] TTBR1 top byte ignored */
#define HYP_TCR_E2H_HA HYP_FIELD(TCR_E2H, HA) /**< [39] hardware access flag */
#define HYP_TCR_E2H_HD HYP_FIELD(TCR_E2H, HD) /**< [40] hardware dirty state */
#define HYP_VTCR_T0SZ HYP_FIELD(VTCR, T0SZ) /**< [5:0] IPA size 2^(64 - T0SZ) */
#define HYP_VTCR_SL0 HYP_FIELD(VTCR, SL0) /**< [7:6] starting level */
#define HYP_VTCR_IRGN0 HYP_FIELD(VTCR, IRGN0) /**< [9:8] inner cacheability of walks (0b01 WBWA) */
#define HYP_VTCR_ORGN0 HYP_FIELD(VTCR, ORGN0) /**< [11:10] outer cacheability of walks (0b01 WBWA) */
#define HYP_VTCR_SH0 HYP_FIELD(VTCR, SH0) /**< [13:12] shareability of walks (0b11 inner) */
#define HYP_VTCR_TG0 HYP_FIELD(VTCR, TG0) /**< [15:14] granule (0b00 4K, 0b01 64K, 0b10 16K) */
#define HYP_VTCR_PS HYP_FIELD(VTCR, PS) /**< [18:16] physical address size */
#define HYP_VTCR_VS HYP_FIELD(VTCR, VS) /**< [19] 16-bit VMID */
#define HYP_VTCR_HA HYP_FIELD(VTCR, HA) /**< [21] hardware access flag */
#define HYP_VTCR_HD HYP_FIELD(VTCR, HD) /**< [22] hardware dirty state */
#define HYP_VTCR_RES1_31 HYP_FIELD(VTCR, RES1_31) /**< [31] RES1 */
#define HYP_MDCR_HPMN HYP_FIELD(MDCR, HPMN) /**< [4:0] event counters accessible from EL1/EL0 */
#define HYP_MDCR_TPMCR HYP_FIELD(MDCR, TPMCR) /**< [5] trap PMCR_EL0 */
#define HYP_MDCR_TPM HYP_FIELD(MDCR, TPM) /**< [6] trap PMU register accesses */
#define HYP_MDCR_HPME HYP_FIELD(MDCR, HPME) /**< [7] EL2 event counters enable */
#define HYP_MDCR_TDE HYP_FIELD(MDCR, TDE) /**< [8] route debug exceptions to EL2 */
#define HYP_MDCR_TDA HYP_FIELD(MDCR, TDA) /**< [9] trap debug register accesses */
#define HYP_MDCR_TDOSA HYP_FIELD(MDCR, TDOSA) /**< [10] trap OS-lock and power-down registers */
#define HYP_MDCR_TDRA HYP_FIELD(MDCR, TDRA) /**< [11] trap debug ROM address registers */
#define HYP_MDCR_E2PB HYP_FIELD(MDCR, E2PB) /**< [13:12] profiling buffer owner */
#define HYP_MDCR_TPMS HYP_FIELD(MDCR, TPMS) /**< [14] trap statistical profiling controls */
#define HYP_MDCR_HPMD HYP_FIELD(MDCR, HPMD) /**< [17] EL2 event counting disabled */
#define HYP_MDCR_TTRF HYP_FIELD(MDCR, TTRF) /**< [19] trap trace filter controls */
#define HYP_MDCR_HCCD HYP_FIELD(MDCR, HCCD) /**< [23] EL2 cycle counting disabled */
#define HYP_MDCR_HLP HYP_FIELD(MDCR, HLP) /**< [26] EL2 event counters are 64-bit */
#define HYP_MDCR_TDCC HYP_FIELD(MDCR, TDCC) /**< [27] trap debug communications channel */
#define HYP_MDCR_MTPME HYP_FIELD(MDCR, MTPME) /**< [28] multi-threaded PMU extension enable */
#define HYP_ICC_SRE_SRE HYP_FIELD(ICC_SRE, SRE) /**< [0] system-register interface at EL2 */
#define HYP_ICC_SRE_DFB HYP_FIELD(ICC_SRE, DFB) /**< [1] disable FIQ bypass */
#define HYP_ICC_SRE_DIB HYP_FIELD(ICC_SRE, DIB) /**< [2] disable IRQ bypass */
#define HYP_ICC_SRE_ENABLE HYP_FIELD(ICC_SRE, ENABLE) /**< [3] EL1 may access ICC_SRE_EL1 */
#define HYP_ICH_HCR_EN HYP_FIELD(ICH_HCR, EN) /**< [0] virtual CPU interface enabled */
#define HYP_ICH_HCR_UIE HYP_FIELD(ICH_HCR, UIE) /**< [1] maintenance when at most one LR is valid */
#define HYP_ICH_HCR_LRENPIE HYP_FIELD(ICH_HCR, LRENPIE) /**< [2] maintenance while EOIcount != 0 */
#define HYP_ICH_HCR_NPIE HYP_FIELD(ICH_HCR, NPIE) /**< [3] maintenance when no LR is pending */
#define HYP_ICH_HCR_VGRP0EIE HYP_FIELD(ICH_HCR, VGRP0EIE) /**< [4] maintenance when vGroup 0 is enabled */
#define HYP_ICH_HCR_VGRP0DIE HYP_FIELD(ICH_HCR, VGRP0DIE) /**< [5] maintenance when vGroup 0 is disabled */
#define HYP_ICH_HCR_VGRP1EIE HYP_FIELD(ICH_HCR, VGRP1EIE) /**< [6] maintenance when vGroup 1 is enabled */
#define HYP_ICH_HCR_VGRP1DIE HYP_FIELD(ICH_HCR, VGRP1DIE) /**< [7] maintenance when vGroup 1 is disabled */
#define HYP_ICH_HCR_TSEI HYP_FIELD(ICH_HCR, TSEI) /**< [13] trap locally generated SEIs */
#define HYP_ICH_HCR_EOICOUNT HYP_FIELD(ICH_HCR, EOICOUNT) /**< [31:27] EOIs without a matching LR */
#define HYP_ICH_VMCR_VENG0 HYP_FIELD(ICH_VMCR, VENG0) /**< [0] virtual Group 0 enable */
#define HYP_ICH_VMCR_VENG1 HYP_FIELD(ICH_VMCR, VENG1) /**< [1] virtual Group 1 enable */
#define HYP_ICH_VMCR_VACKCTL HYP_FIELD(ICH_VMCR, VACKCTL) /**< [2] virtual AckCtl (GICv2 compatibility) */
#define HYP_ICH_VMCR_VFIQEN HYP_FIELD(ICH_VMCR, VFIQEN) /**< [3] virtual Group 0 as FIQ */
#define HYP_ICH_VMCR_VCBPR HYP_FIELD(ICH_VMCR, VCBPR) /**< [4] common binary point */
#define HYP_ICH_VMCR_VEOIM HYP_FIELD(ICH_VMCR, VEOIM) /**< [9] EOI mode (split priority drop) */
#define HYP_ICH_VMCR_VBPR1 HYP_FIELD(ICH_VMCR, VBPR1) /**< [20:18] virtual Group 1 binary point */
#define HYP_ICH_VMCR_VBPR0 HYP_FIELD(ICH_VMCR, VBPR0) /**< [23:21] virtual Group 0 binary point */
#define HYP_ICH_VMCR_VPMR HYP_FIELD(ICH_VMCR, VPMR) /**< [31:24] virtual priority mask */
#define HYP_ICH_VTR_LISTREGS HYP_FIELD(ICH_VTR, LISTREGS) /**< [4:0] list registers implemented, minus one */
#define HYP_ICH_VTR_TDS HYP_FIELD(ICH_VTR, TDS) /**< [19] separate trapping of EL1 writes to ICV_DIR_EL1 */
#define HYP_ICH_VTR_NV4 HYP_FIELD(ICH_VTR, NV4) /**< [20] 1: no vPEID direct injection */
#define HYP_ICH_VTR_A3V HYP_FIELD(ICH_VTR, A3V) /**< [21] nonzero Aff3 supported */
#define HYP_ICH_VTR_SEIS HYP_FIELD(ICH_VTR, SEIS) /**< [22] locally generated SEIs supported */
#define HYP_ICH_VTR_IDBITS HYP_FIELD(ICH_VTR, IDBITS) /**< [25:23] virtual interrupt id bits */
#define HYP_ICH_VTR_PREBITS HYP_FIELD(ICH_VTR, PREBITS) /**< [28:26] virtual preemption bits, minus one */
#define HYP_ICH_VTR_PRIBITS HYP_FIELD(ICH_VTR, PRIBITS) /**< [31:29] virtual priority bits, minus one */
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_CTRLREGS_H */
