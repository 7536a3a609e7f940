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
 *
 * EOImode = 1 (issue 15): an EOI only drops the running priority, and
 * deactivation is a separate write (ICC_DIR_EL1 / GICC_DIR). minihyp's own
 * interrupts (the kick SGI, the maintenance interrupt, the timers) get both
 * in mh_gic_eoi(); a device interrupt forwarded to a VM gets the priority
 * drop alone (mh_gic_drop()) and stays active until the guest deactivates
 * its virtual copy through a hardware-mapped list register (forward.c).
 * The forwarded SPIs are configured and routed here (mh_gic_spi_config(),
 * mh_gic_spi_route()).
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

/* EOImode (issue 15). ICC_CTLR_EL1.EOImode, bit 1 (IHI 0069 12.2.6).
 * GICC_CTLR.EOImodeNS, bit 9 in the Non-secure view and in a GIC without
 * the Security Extensions (IHI 0048B 4.4.1); GICC_DIR at 0x1000 (4.4.15). */
#define ICC_CTLR_EOIMODE  (1u << 1)
#define GICC_CTLR_EOIMODE (1u << 9)
#define GICC_DIR	  0x1000u
/* SPI configuration: GICD_ICFGR<n> (2 bits per INTID, bit [2m+1] set:
 * edge-triggered; IHI 0069 12.9.9, IHI 0048B 4.3.13), GICD_IROUTER<n> at
 * 0x6000 + 8n (IHI 0069 12.9.22: Aff3 [39:32], IRM [31], Aff2 [23:16],
 * Aff1 [15:8], Aff0 [7:0]). */
#define GICD_ICFGR   0x0c00u
#define GICD_IROUTER 0x6000u
/* GICD_ISPENDRn, GICD_ICPENDRn: a bit per INTID, read 1 if pending, write
 * 1 to set / clear (IHI 0048B 4.3.7, 4.3.8). */
#define GICD_ISPENDR 0x0200u
#define GICD_ICPENDR 0x0280u

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

/* ICC_SGI1R_EL1 (IHI 0069 12.2.22) of a kick to the CPU of affinity @m:
 * INTID [27:24], Aff3 [55:48], Aff2 [39:32], Aff1 [23:16], RS [47:44],
 * TargetList [15:0] (never 0: one bit of TargetList is set). */
static uint64_t kick_sgi1r(uint64_t m)
{
	uint64_t aff0 = m & 0xff;

	return (uint64_t)MH_KICK_SGI << 24 | ((m >> 32) & 0xff) << 48 | ((m >> 16) & 0xff) << 32 |
	       ((m >> 8) & 0xff) << 16 | (aff0 / 16) << 44 | 1ull << (aff0 % 16);
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
		hyp_write_sysreg(HYP_SYS_ICC_CTLR_EL1,
				 hyp_read_sysreg(HYP_SYS_ICC_CTLR_EL1) | ICC_CTLR_EOIMODE);
		hyp_write_sysreg(HYP_SYS_ICC_IGRPEN1_EL1, 1);
		hyp_isb();
		g->mpidr[cpu] = mpidr;
		g->kick_sgi1r[cpu] = kick_sgi1r(mpidr);
		g->rd_sgi[cpu] = sgi;
	} else {
		/* INTIDs 0..31 are banked per CPU in the distributor. */
		for (unsigned int i = 0; i < 32; i += 4)
			hyp_mmio_write32(g->dist + GICD_IPRIORITYR + i, PRIO * 0x01010101u);
		hyp_mmio_write32(g->dist + GICD_ISENABLER, mask);
		/* ITARGETSR0..7 read as this CPU's own interface (IHI 0048B 4.3.12). */
		g->v2_cpu_mask[cpu] = (uint8_t)hyp_mmio_read32(g->dist + GICD_ITARGETSR);
		hyp_mmio_write32(g->cpu + GICC_PMR, 0xff);
		hyp_mmio_write32(g->cpu + GICC_CTLR, 1 | GICC_CTLR_EOIMODE);
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

/* EOImode 1: the EOI drops the running priority only ... */
void mh_gic_drop(const struct mh_gic *g, uint32_t raw)
{
	if (g->version == 3)
		hyp_write_sysreg(HYP_SYS_ICC_EOIR1_EL1, raw);
	else
		hyp_mmio_write32(g->cpu + GICC_EOIR, raw);
}

/* ... and minihyp's own interrupts are deactivated as well (ICC_DIR_EL1,
 * IHI 0069 12.2.10; GICC_DIR, IHI 0048B 4.4.15: the same INTID value). */
void mh_gic_eoi(const struct mh_gic *g, uint32_t raw)
{
	if (g->version == 3) {
		hyp_write_sysreg(HYP_SYS_ICC_EOIR1_EL1, raw);
		hyp_write_sysreg(HYP_SYS_ICC_DIR_EL1, raw);
	} else {
		hyp_mmio_write32(g->cpu + GICC_EOIR, raw);
		hyp_mmio_write32(g->cpu + GICC_DIR, raw);
	}
}

/* The sender's side of every wake-up of a running vCPU elsewhere: the
 * value is built once per CPU (mh_gic_cpu_init()). */
void mh_gic_kick(const struct mh_gic *g, unsigned int cpu)
{
	if (g->version == 3) {
		uint64_t v = g->kick_sgi1r[cpu];

		if (__builtin_expect(!v, 0))
			v = kick_sgi1r(g->mpidr[cpu]);
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

/* ---- forwarded SPIs (issue 15, forward.c) */

/* Read-modify-writes of distributor words several SPIs share (GICv2
 * ITARGETSR, ICFGR, IPRIORITYR, IGROUPR): one CPU at a time. */
static volatile uint32_t dist_lock;

static void dist_rmw(const struct mh_gic *g, uint32_t off, uint32_t mask, uint32_t val)
{
	while (__atomic_exchange_n(&dist_lock, 1u, __ATOMIC_ACQUIRE))
		mh_spin_pause();
	hyp_mmio_write32(g->dist + off, (hyp_mmio_read32(g->dist + off) & ~mask) | (val & mask));
	__atomic_store_n(&dist_lock, 0u, __ATOMIC_RELEASE);
}

/*
 * GICv2, after @intid's ITARGETSR changed: an edge-triggered SPI (the
 * caller knows its trigger: minihyp configured it) pending meanwhile is
 * pended again (GICD_ICPENDR, then GICD_ISPENDR), so that
 * its new target takes it. In the architecture a change of an SPI's
 * targets has no effect on its active state but moves its pending state:
 * a CPU interface added to the list of a pending interrupt has it pending,
 * one removed has it no longer (IHI 0048B 4.3.12, GICD_ITARGETSRn).
 * QEMU's GICv2 model (7.2) records an edge's pending state for the CPU
 * interfaces that were its targets at the edge, and a CPU interface takes
 * only SPIs that target it now: an edge that came just before the route
 * changed was taken by nobody (a Linux guest with more vCPUs than CPUs
 * hung in a virtio-blk write, its completion interrupt lost while its
 * vCPU migrated). Its level-sensitive SPIs are pending by their line,
 * for every CPU interface: nothing to do. On a GIC that forwards as the
 * architecture says this changes nothing, or, if a CPU acknowledged the
 * interrupt between the read and the clear, makes one more edge (edges
 * merge; a driver of an edge interrupt tolerates one more).
 */
static void v2_repend_edge(const struct mh_gic *g, unsigned int intid)
{
	uint32_t bit = 1u << (intid & 31), word = (intid / 32) * 4;

	if (!(hyp_mmio_read32(g->dist + GICD_ISPENDR + word) & bit))
		return;
	hyp_mmio_write32(g->dist + GICD_ICPENDR + word, bit);
	hyp_mmio_write32(g->dist + GICD_ISPENDR + word, bit);
}

int mh_gic_spi_route(const struct mh_gic *g, unsigned int intid, bool edge, unsigned int cpu)
{
	if (intid < 32 || intid > 1019 || cpu >= MINIHYP_MAX_CPUS)
		return HYP_ERANGE;
	if (g->version == 3) {
		/* IRM 0, the CPU's affinity (MPIDR_EL1's Aff3 [39:32] and
		 * Aff2..Aff0 [23:0] sit where GICD_IROUTER wants them). */
		hyp_mmio_write64(g->dist + GICD_IROUTER + 8u * intid,
				 g->mpidr[cpu] & 0xff00ffffffull);
	} else {
		/* GICD_ITARGETSR: one byte per INTID, a bit per CPU interface.
		 * A uniprocessor GIC has them RAZ/WI (IHI 0048B 4.3.12): its
		 * CPU's mask read as 0, and every interrupt goes to it. */
		if (!g->v2_cpu_mask[cpu])
			return 0;
		dist_rmw(g, GICD_ITARGETSR + (intid & ~3u), 0xffu << 8 * (intid & 3),
			 (uint32_t)g->v2_cpu_mask[cpu] << 8 * (intid & 3));
		if (edge)
			v2_repend_edge(g, intid);
	}
	return 0;
}

int mh_gic_spi_config(const struct mh_gic *g, unsigned int intid, bool edge, unsigned int cpu)
{
	uint32_t bit = 1u << (intid & 31), word = (intid / 32) * 4;
	int ret;

	if (intid < 32 || intid > 1019 || cpu >= MINIHYP_MAX_CPUS)
		return HYP_ERANGE;
	/* Disabled while its configuration changes (ICFGR of an enabled
	 * interrupt is UNPREDICTABLE: IHI 0069 12.9.9, IHI 0048B 4.3.13). */
	hyp_mmio_write32(g->dist + GICD_ICENABLER + word, bit);
	if (g->version == 3) {
		while (hyp_mmio_read32(g->dist + GICD_CTLR) & GICD_CTLR_RWP)
			;
		dist_rmw(g, GICD_IGROUPR + word, bit, bit); /* Group 1, as the rest */
	}
	dist_rmw(g, GICD_IPRIORITYR + (intid & ~3u), 0xffu << 8 * (intid & 3),
		 PRIO << 8 * (intid & 3));
	dist_rmw(g, GICD_ICFGR + (intid / 16) * 4, 2u << 2 * (intid & 15),
		 (edge ? 2u : 0u) << 2 * (intid & 15));
	ret = mh_gic_spi_route(g, intid, edge, cpu);
	if (ret)
		return ret;
	hyp_mmio_write32(g->dist + GICD_ISENABLER + word, bit);
	return 0;
}

void mh_gic_spi_off(const struct mh_gic *g, unsigned int intid)
{
	uint32_t bit = 1u << (intid & 31), word = (intid / 32) * 4;

	if (intid < 32 || intid > 1019)
		return;
	/* GICD_ICENABLER, GICD_ICACTIVER (IHI 0069 12.9.4, IHI 0048B 4.3.10). */
	hyp_mmio_write32(g->dist + GICD_ICENABLER + word, bit);
	hyp_mmio_write32(g->dist + 0x0380u + word, bit);
}

void mh_gic_spi_clear_active(const struct mh_gic *g, unsigned int intid)
{
	if (intid < 32 || intid > 1019)
		return;
	/* GICD_ICACTIVERn: write 1 to deactivate (IHI 0048B 4.3.10, IHI 0069
	 * 12.9.4), for every CPU interface in QEMU's GICv2 model. */
	hyp_mmio_write32(g->dist + 0x0380u + (intid / 32) * 4, 1u << (intid & 31));
}
