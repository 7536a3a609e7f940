/* SPDX-License-Identifier: MIT */
/* A simulated GIC virtualization interface for the vgic host tests: the
 * ICH_*_EL2 registers (GICv3) or the GICH frame (GICv2) on the simulated
 * CPU, with ELRSR, EISR and MISR computed from the LRs as the hardware does
 * (IHI 0069 ch. 12, IHI 0048B 5.3), and a "guest" that takes the pending
 * LRs in priority order by editing them behind the seam's back (the guest
 * side of the CPU interface is not a hypervisor access, so it is not
 * counted). Only the LRs and APRs the configured hardware implements are
 * defined: touching any other one fails the test. */
#ifndef LIBHYP_TESTS_HOST_TEST_VGIC_ENV_H
#define LIBHYP_TESTS_HOST_TEST_VGIC_ENV_H

#include <criterion/criterion.h>
#include <string.h>

#include <libhyp/cpufeat.h>
#include <libhyp/vgic.h>

#define GICH_BASE      0x2c010000ull
#define GICV2_VTR(lrs) (((uint32_t)(lrs)-1) | 4u << 26 | 4u << 29)
/* ICH_VTR_EL2: ListRegs [4:0], IDbits [25:23] = 0 (16 bits), PREbits
 * [28:26], PRIbits [31:29], each minus one. QEMU's is 0x90b80003. */
#define ICH_VTR(lrs, pre, pri)                                                                     \
	(((uint64_t)(lrs)-1) | 0xb80000ull | (uint64_t)((pre)-1) << 26 | (uint64_t)((pri)-1) << 29)

/* List-register layouts, as literals from the specifications (never the
 * library's constants, so that a wrong constant there fails here).
 * ICH_LR<n>_EL2 (IHI 0069 ch. 12, ICH_LR<n>_EL2): State [63:62] (bit 62
 * pending, bit 63 active), HW [61], Group [60], Priority [55:48], pINTID
 * [44:32] (HW == 1), EOI [41] (HW == 0), vINTID [31:0]. */
#define SPEC_ICH_LR_PENDING	 (1ull << 62)
#define SPEC_ICH_LR_ACTIVE	 (1ull << 63)
#define SPEC_ICH_LR_HW		 (1ull << 61)
#define SPEC_ICH_LR_GROUP1	 (1ull << 60)
#define SPEC_ICH_LR_PRIO_SHIFT	 48
#define SPEC_ICH_LR_PINTID_SHIFT 32
#define SPEC_ICH_LR_EOI		 (1ull << 41)
/* GICH_LRn (IHI 0048B 5.3, GICH_LRn): HW [31], Grp1 [30], State [29:28]
 * (bit 28 pending, bit 29 active), Priority [27:23] (priority[7:3]),
 * PhysicalID [19:10] (HW == 1), EOI [19] and CPUID [12:10] (HW == 0),
 * VirtualID [9:0]. */
#define SPEC_GICH_LR_PENDING	 (1u << 28)
#define SPEC_GICH_LR_ACTIVE	 (1u << 29)
#define SPEC_GICH_LR_HW		 (1u << 31)
#define SPEC_GICH_LR_GRP1	 (1u << 30)
#define SPEC_GICH_LR_PRIO_SHIFT	 23
#define SPEC_GICH_LR_PID_SHIFT	 10
#define SPEC_GICH_LR_EOI	 (1u << 19)
#define SPEC_GICH_LR_CPUID_SHIFT 10
/* ICH_HCR_EL2 (IHI 0069 ch. 12) and GICH_HCR (IHI 0048B 5.3): En [0],
 * UIE [1], LRENPIE [2], NPIE [3]; ICH_HCR_EL2 also TC [10], TALL0 [11],
 * TALL1 [12], TDIR [14]. */
#define SPEC_HCR_EN   0x1u
#define SPEC_HCR_UIE  0x2u
#define SPEC_HCR_NPIE 0x8u
#define SPEC_HCR_TDIR (1u << 14)

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu feat_cpus[1];
static struct hyp_vgic_hw hw;
static struct hyp_sim_mmio gich;
static uint32_t gich_regs[0x200 / 4];
static bool is_v2_hw;

static inline uint16_t lr_enc(unsigned i)
{
	return (uint16_t)(HYP_SYS_ICH_LR0_EL2 + (i / 8) * 8 + i % 8);
}

static inline uint16_t ap_enc(bool g1, unsigned i)
{
	return (uint16_t)((g1 ? HYP_SYS_ICH_AP1R0_EL2 : HYP_SYS_ICH_AP0R0_EL2) + i);
}

/* --- LR state as the hardware sees it */

static inline uint64_t lr_get(unsigned i)
{
	uint64_t v = 0;

	if (is_v2_hw)
		return gich_regs[(HYP_GICH_LR0 >> 2) + i];
	cr_assert_eq(hyp_sim_reg_peek(&sim, lr_enc(i), &v), 0);
	return v;
}

static inline void lr_set(unsigned i, uint64_t v)
{
	if (is_v2_hw)
		gich_regs[(HYP_GICH_LR0 >> 2) + i] = (uint32_t)v;
	else
		cr_assert_eq(hyp_sim_reg_define(&sim, lr_enc(i), v), 0);
}

static inline uint64_t st_pending(void)
{
	return is_v2_hw ? SPEC_GICH_LR_PENDING : SPEC_ICH_LR_PENDING;
}

static inline uint64_t st_active(void)
{
	return is_v2_hw ? SPEC_GICH_LR_ACTIVE : SPEC_ICH_LR_ACTIVE;
}

static inline bool lr_hw(uint64_t v)
{
	return is_v2_hw ? (v & SPEC_GICH_LR_HW) != 0 : (v & SPEC_ICH_LR_HW) != 0;
}

static inline bool lr_eoi(uint64_t v)
{
	return !lr_hw(v) && (is_v2_hw ? (v & SPEC_GICH_LR_EOI) != 0 : (v & SPEC_ICH_LR_EOI) != 0);
}

static inline unsigned lr_intid(uint64_t v)
{
	return is_v2_hw ? (unsigned)(v & 0x3ff) : (unsigned)(v & 0x3ff);
}

static inline unsigned lr_prio(uint64_t v)
{
	return is_v2_hw ? (unsigned)((v >> SPEC_GICH_LR_PRIO_SHIFT) & 0x1f) << 3
			: (unsigned)(v >> SPEC_ICH_LR_PRIO_SHIFT) & 0xff;
}

static inline uint64_t model_elrsr(void)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < hw.nr_lrs; i++) {
		uint64_t v = lr_get(i);

		if (!(v & (st_pending() | st_active())) && !lr_eoi(v))
			r |= 1ull << i;
	}
	return r;
}

static inline uint64_t model_eisr(void)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < hw.nr_lrs; i++) {
		uint64_t v = lr_get(i);

		if (!(v & (st_pending() | st_active())) && lr_eoi(v))
			r |= 1ull << i;
	}
	return r;
}

static inline uint64_t sysreg_hook(struct hyp_sim_cpu *c, uint16_t enc, void *ctx)
{
	(void)c;
	(void)ctx;
	if (enc == HYP_SYS_ICH_ELRSR_EL2)
		return model_elrsr();
	if (enc == HYP_SYS_ICH_EISR_EL2)
		return model_eisr();
	return model_eisr() ? 1 : 0; /* MISR.EOI */
}

static inline uint64_t gich_read(struct hyp_sim_mmio *r, uint64_t off, unsigned width)
{
	(void)r;
	(void)width;
	if (off == HYP_GICH_ELRSR0)
		return (uint32_t)model_elrsr();
	if (off == HYP_GICH_EISR0)
		return (uint32_t)model_eisr();
	if (off == HYP_GICH_MISR)
		return model_eisr() ? 1 : 0;
	return gich_regs[off >> 2];
}

static inline void gich_write(struct hyp_sim_mmio *r, uint64_t off, unsigned width, uint64_t v)
{
	(void)r;
	(void)width;
	cr_assert(off != HYP_GICH_VTR && off != HYP_GICH_ELRSR0 && off != HYP_GICH_EISR0 &&
		      off != HYP_GICH_MISR,
		  "write to a read-only GICH register at %#llx", (unsigned long long)off);
	cr_assert(off < HYP_GICH_LR0 || (off - HYP_GICH_LR0) / 4 < hw.nr_lrs,
		  "write to an LR the hardware lacks");
	gich_regs[off >> 2] = (uint32_t)v;
}

/* --- Boot */

static inline void boot_v3(uint64_t vtr)
{
	is_v2_hw = false;
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	for (unsigned r = 0; r < HYP_REG_COUNT; r++)
		if (hyp_sysreg_table[r].flags & HYP_RF_ID)
			hyp_sim_reg_define(&sim, hyp_sysreg_table[r].enc, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1000011); /* GIC = 1 */
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0x9);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_VTR_EL2, vtr);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_init(feat_cpus, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_vgic_hw_init_v3(&hw), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0, "hw_init_v3 reads no register");

	hyp_sim_reg_define(&sim, HYP_SYS_ICH_HCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_VMCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL1, 0x7);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_MISR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_EISR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_ELRSR_EL2, 0);
	hyp_sim_reg_hooks(&sim, HYP_SYS_ICH_MISR_EL2, sysreg_hook, NULL, NULL);
	hyp_sim_reg_hooks(&sim, HYP_SYS_ICH_EISR_EL2, sysreg_hook, NULL, NULL);
	hyp_sim_reg_hooks(&sim, HYP_SYS_ICH_ELRSR_EL2, sysreg_hook, NULL, NULL);
	for (unsigned i = 0; i < hw.nr_lrs; i++)
		hyp_sim_reg_define(&sim, lr_enc(i), 0);
	for (unsigned i = 0; i < hw.nr_aprs; i++) {
		hyp_sim_reg_define(&sim, ap_enc(false, i), 0);
		hyp_sim_reg_define(&sim, ap_enc(true, i), 0);
	}
	hyp_sim_reset_counts(&sim);
}

static inline void boot_v2(unsigned lrs)
{
	is_v2_hw = true;
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	memset(gich_regs, 0, sizeof(gich_regs));
	gich_regs[HYP_GICH_VTR >> 2] = GICV2_VTR(lrs);
	memset(&gich, 0, sizeof(gich));
	gich.name = "GICH";
	gich.base = GICH_BASE;
	gich.size = 0x200;
	gich.widths = 4; /* 32-bit accesses only */
	gich.read = gich_read;
	gich.write = gich_write;
	cr_assert_eq(hyp_sim_mmio_add(&sim, &gich), 0);
	cr_assert_eq(hyp_vgic_hw_init_v2(&hw, GICH_BASE, 0), 0);
	cr_assert_eq(gich.reads, 1, "GICH_VTR is read once, at init");
	cr_assert_eq(hyp_sim_total(&sim), 1);
	hyp_sim_reset_counts(&sim);
	gich.reads = gich.writes = 0;
}

/* Every hypervisor access to the GIC since the last reset. */
static inline unsigned gic_reads(void)
{
	return is_v2_hw ? gich.reads : sim.counts[HYP_SIM_SYSREG_READ];
}

static inline unsigned gic_writes(void)
{
	return is_v2_hw ? gich.writes : sim.counts[HYP_SIM_SYSREG_WRITE];
}

static inline void reset_counts(void)
{
	hyp_sim_reset_counts(&sim);
	gich.reads = gich.writes = 0;
}

static inline uint32_t hw_hcr(void)
{
	uint64_t v = 0;

	if (is_v2_hw)
		return gich_regs[HYP_GICH_HCR >> 2];
	hyp_sim_reg_peek(&sim, HYP_SYS_ICH_HCR_EL2, &v);
	return (uint32_t)v;
}

/* --- The guest */

/* The guest acknowledges the highest-priority pending LR (lowest priority
 * value, then lowest LR index): pending -> active. Returns its LR or -1. */
static inline int guest_ack(void)
{
	int best = -1;

	for (unsigned i = 0; i < hw.nr_lrs; i++) {
		uint64_t v = lr_get(i);

		if (!(v & st_pending()) || (v & st_active()))
			continue;
		if (best < 0 || lr_prio(v) < lr_prio(lr_get((unsigned)best)))
			best = (int)i;
	}
	if (best >= 0)
		lr_set((unsigned)best, (lr_get((unsigned)best) & ~st_pending()) | st_active());
	return best;
}

/* The guest deactivates LR @i (EOI with EOImode 0): active -> invalid. */
static inline void guest_eoi(int i)
{
	lr_set((unsigned)i, lr_get((unsigned)i) & ~st_active());
}

/* The guest takes every pending interrupt, in priority order, appending
 * their INTIDs to @log. Returns how many. */
static inline unsigned guest_take_all(unsigned *log, unsigned max)
{
	unsigned n = 0;
	int i;

	while ((i = guest_ack()) >= 0) {
		if (n < max)
			log[n] = lr_intid(lr_get((unsigned)i));
		n++;
		guest_eoi(i);
	}
	return n;
}

#endif
