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
	return is_v2_hw ? HYP_GICH_LR_PENDING : HYP_ICH_LR_PENDING;
}

static inline uint64_t st_active(void)
{
	return is_v2_hw ? HYP_GICH_LR_ACTIVE : HYP_ICH_LR_ACTIVE;
}

static inline bool lr_hw(uint64_t v)
{
	return is_v2_hw ? (v & HYP_GICH_LR_HW) != 0 : (v & HYP_ICH_LR_HW) != 0;
}

static inline bool lr_eoi(uint64_t v)
{
	return !lr_hw(v) && (is_v2_hw ? (v & HYP_GICH_LR_EOI) != 0 : (v & HYP_ICH_LR_EOI) != 0);
}

static inline unsigned lr_intid(uint64_t v)
{
	return is_v2_hw ? (unsigned)(v & HYP_GICH_LR_VID_MASK) : (unsigned)(v & 0x3ff);
}

static inline unsigned lr_prio(uint64_t v)
{
	return is_v2_hw ? (unsigned)((v >> HYP_GICH_LR_PRIO_SHIFT) & 0x1f) << 3
			: (unsigned)(v >> HYP_ICH_LR_PRIO_SHIFT) & 0xff;
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
