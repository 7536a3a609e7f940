/* SPDX-License-Identifier: MIT */
/*
 * The physical GIC, as far as minihyp needs it at EL2: the distributor on,
 * each CPU's interface on with three private interrupts enabled (the SGI
 * that kicks a CPU, the maintenance interrupt of the virtual interface, the
 * EL1 virtual timer), acknowledge/EOI, and kicking another CPU.
 *
 * Everything is Group 1 with one priority: QEMU's virt machine runs its GIC
 * with a single Security state. Register maps: GIC architecture
 * specification IHI 0069 (GICv3) chapter 12, IHI 0048B (GICv2) 4.3 and 4.4.
 */
#include <libhyp/hw.h>

#include "minihyp.h"

/* GICv3 distributor and redistributor (IHI 0069 12.8, 12.10, 12.11) */
#define GICD_CTLR	0x0000u
#define GICD_CTLR_RWP	(1u << 31)
#define GICD_CTLR_ARE	(1u << 4)
#define GICD_CTLR_G1A	(1u << 1)
#define GICD_CTLR_G0	(1u << 0)
#define GICR_TYPER	0x0008u
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER	0x0014u
#define GICR_WAKER_PS	(1u << 1) /* ProcessorSleep */
#define GICR_WAKER_CA	(1u << 2) /* ChildrenAsleep */
#define GICR_SGI_OFFSET 0x10000u
#define GICR_IGROUPR0	0x0080u
#define GICR_ISENABLER0 0x0100u
#define GICR_ICENABLER0 0x0180u
#define GICR_IPRIORITYR 0x0400u
#define GICR_STRIDE	0x20000u

/* GICv2 distributor and CPU interface (IHI 0048B 4.3, 4.4) */
#define GICD_IGROUPR	0x0080u
#define GICD_ISENABLER	0x0100u
#define GICD_ICENABLER	0x0180u
#define GICD_IPRIORITYR 0x0400u
#define GICD_ITARGETSR	0x0800u
#define GICD_SGIR	0x0f00u
#define GICC_CTLR	0x0000u
#define GICC_PMR	0x0004u
#define GICC_IAR	0x000cu
#define GICC_EOIR	0x0010u

#define PRIO 0x80u

/* The private interrupts minihyp takes at EL2, as a bit mask of INTIDs. */
static uint32_t private_mask(const struct mh_gic *g)
{
	return 1u << MH_KICK_SGI | 1u << (g->maint & 31) | 1u << (g->vtimer & 31) |
	       (g->htimer ? 1u << (g->htimer & 31) : 0);
}

void mh_gic_dist_init(struct mh_gic *g)
{
	if (g->version == 3) {
		hyp_mmio_write32(g->dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_G1A | GICD_CTLR_G0);
		while (hyp_mmio_read32(g->dist + GICD_CTLR) & GICD_CTLR_RWP)
			;
	} else {
		hyp_mmio_write32(g->dist + GICD_CTLR, 1);
	}
}

/* This CPU's redistributor: the frame whose GICR_TYPER.Affinity is its MPIDR's. */
static uintptr_t find_redist(const struct mh_gic *g, uint64_t mpidr)
{
	uint64_t stride = g->redist_stride ? g->redist_stride : GICR_STRIDE;
	uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;

	for (uint64_t off = 0; off + GICR_STRIDE <= g->redist_size; off += stride) {
		uint64_t typer = hyp_mmio_read64(g->redist + off + GICR_TYPER);

		if ((typer >> 32) == aff)
			return g->redist + off;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

int mh_gic_cpu_init(struct mh_gic *g, unsigned int cpu, uint64_t mpidr)
{
	uint32_t mask = private_mask(g);

	if (g->version == 3) {
		uintptr_t rd = find_redist(g, mpidr), sgi;

		if (!rd)
			return HYP_ENOENT;
		sgi = rd + GICR_SGI_OFFSET;
		hyp_mmio_write32(rd + GICR_WAKER,
				 hyp_mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PS);
		while (hyp_mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CA)
			;
		hyp_mmio_write32(sgi + GICR_IGROUPR0, hyp_mmio_read32(sgi + GICR_IGROUPR0) | mask);
		for (unsigned int i = 0; i < 32; i += 4)
			hyp_mmio_write32(sgi + GICR_IPRIORITYR + i, PRIO * 0x01010101u);
		hyp_mmio_write32(sgi + GICR_ISENABLER0, mask);
		/* The system-register interface at EL2: the ICH_* registers and
		 * ICH_VTR_EL2's probe by cpufeat need SRE. */
		hyp_write_sysreg(HYP_SYS_ICC_SRE_EL2, hyp_read_sysreg(HYP_SYS_ICC_SRE_EL2) |
							  HYP_ICC_SRE_SRE | HYP_ICC_SRE_ENABLE);
		hyp_isb();
		hyp_write_sysreg(HYP_SYS_ICC_PMR_EL1, 0xff);
		hyp_write_sysreg(HYP_SYS_ICC_IGRPEN1_EL1, 1);
		hyp_isb();
		g->mpidr[cpu] = mpidr;
		g->rd_sgi[cpu] = sgi;
	} else {
		/* INTIDs 0..31 are banked per CPU in the distributor. */
		for (unsigned int i = 0; i < 32; i += 4)
			hyp_mmio_write32(g->dist + GICD_IPRIORITYR + i, PRIO * 0x01010101u);
		hyp_mmio_write32(g->dist + GICD_ISENABLER, mask);
		/* ITARGETSR0..7 read as this CPU's own interface (IHI 0048B 4.3.12). */
		g->v2_cpu_mask[cpu] = (uint8_t)hyp_mmio_read32(g->dist + GICD_ITARGETSR);
		hyp_mmio_write32(g->cpu + GICC_PMR, 0xff);
		hyp_mmio_write32(g->cpu + GICC_CTLR, 1);
	}
	return 0;
}

unsigned int mh_gic_ack(const struct mh_gic *g, uint32_t *raw)
{
	uint32_t v;

	if (g->version == 3)
		v = (uint32_t)hyp_read_sysreg(HYP_SYS_ICC_IAR1_EL1) & 0xffffff;
	else
		v = hyp_mmio_read32(g->cpu + GICC_IAR);
	*raw = v;
	return g->version == 3 ? v : v & 0x3ff;
}

void mh_gic_eoi(const struct mh_gic *g, uint32_t raw)
{
	if (g->version == 3)
		hyp_write_sysreg(HYP_SYS_ICC_EOIR1_EL1, raw);
	else
		hyp_mmio_write32(g->cpu + GICC_EOIR, raw);
}

void mh_gic_kick(const struct mh_gic *g, unsigned int cpu)
{
	if (g->version == 3) {
		/* ICC_SGI1R_EL1 (IHI 0069 12.2.22): INTID [27:24], Aff3 [55:48],
		 * Aff2 [39:32], Aff1 [23:16], RS [47:44], TargetList [15:0]. */
		uint64_t m = g->mpidr[cpu];
		uint64_t aff0 = m & 0xff;
		uint64_t v = (uint64_t)MH_KICK_SGI << 24 | ((m >> 32) & 0xff) << 48 |
			     ((m >> 16) & 0xff) << 32 | ((m >> 8) & 0xff) << 16 |
			     (aff0 / 16) << 44 | 1ull << (aff0 % 16);

		hyp_dsb(ISHST);
		hyp_write_sysreg(HYP_SYS_ICC_SGI1R_EL1, v);
		hyp_isb();
	} else {
		hyp_dsb(ISHST);
		hyp_mmio_write32(g->dist + GICD_SGIR,
				 (uint32_t)g->v2_cpu_mask[cpu] << 16 | MH_KICK_SGI);
	}
}

void mh_gic_ppi_mask(const struct mh_gic *g, unsigned int cpu, unsigned int intid, bool mask)
{
	/* GICR_ICENABLER0 / ISENABLER0 (IHI 0069 12.11), GICD_ICENABLER0 /
	 * ISENABLER0 banked per CPU (IHI 0048B 4.3.5, 4.3.6). */
	if (g->version == 3)
		hyp_mmio_write32(g->rd_sgi[cpu] + (mask ? GICR_ICENABLER0 : GICR_ISENABLER0),
				 1u << (intid & 31));
	else
		hyp_mmio_write32(g->dist + (mask ? GICD_ICENABLER : GICD_ISENABLER),
				 1u << (intid & 31));
}
