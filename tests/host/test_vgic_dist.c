/* SPDX-License-Identifier: MIT */
/* The virtual distributor and redistributors: register-level tables
 * (reset values, write/read-back, RAZ/WI, access widths, out-of-range
 * offsets) for the GICv3 GICD and GICR frames and the GICv2 GICD, SGI
 * generation with affinity routing, SPI routing and the MMIO dispatch.
 * The distributor touches no hardware: every test also checks that. */
#include "test_vgic_env.h"

#define NR_SPIS 64
#define NR_VCPUS 20

static struct hyp_vgic vm;
static struct hyp_vgic_vcpu vcpus[NR_VCPUS];
static struct hyp_vgic_irq spis[NR_SPIS];

static void setup(uint8_t model, unsigned nr, const uint64_t *mpidr)
{
	struct hyp_vgic_config c = {
		.model = model, .hw = &hw, .vcpus = vcpus, .nr_vcpus = nr, .mpidr = mpidr,
		.spis = spis, .nr_spis = NR_SPIS, .dist_base = 0x08000000,
		.redist_base = 0x080a0000,
	};

	if (model == HYP_VGIC_MODEL_V2)
		boot_v2(4);
	else
		boot_v3(0x90b80003);
	cr_assert_eq(hyp_vgic_init(&vm, &c), 0);
}

enum { DIST, REDIST };

static int acc(int frame, unsigned vcpu, uint64_t off, unsigned width, bool wr, uint64_t *v)
{
	return frame == DIST ? hyp_vgic_dist_access(&vm, &vcpus[vcpu], off, width, wr, v)
			     : hyp_vgic_redist_access(&vm, &vcpus[vcpu], off, width, wr, v);
}

static uint64_t rd(int frame, unsigned vcpu, uint64_t off, unsigned width)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	cr_assert_geq(acc(frame, vcpu, off, width, false, &v), 0);
	return v;
}

/* One register: offset, width, value at reset, value written, value read
 * back, and the result of both accesses. */
struct row {
	uint64_t off;
	unsigned width;
	uint64_t reset, write, back;
	int result;
};

#define DONE HYP_VGIC_MMIO_DONE
#define RAZWI HYP_VGIC_MMIO_RAZWI

static void run_table(uint8_t model, int frame, unsigned who, const struct row *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t v = ~0ull, w = t[i].write;
		struct hyp_vgic_stats s;

		setup(model, 4, NULL);
		cr_assert_eq(acc(frame, who, t[i].off, t[i].width, false, &v), t[i].result,
			     "row %u (%#llx) read", i, (unsigned long long)t[i].off);
		cr_assert_eq(v, t[i].reset, "row %u (%#llx): reset %#llx, want %#llx", i,
			     (unsigned long long)t[i].off, (unsigned long long)v,
			     (unsigned long long)t[i].reset);
		cr_assert_eq(acc(frame, who, t[i].off, t[i].width, true, &w), t[i].result,
			     "row %u write", i);
		v = rd(frame, who, t[i].off, t[i].width);
		cr_assert_eq(v, t[i].back, "row %u (%#llx): read back %#llx, want %#llx", i,
			     (unsigned long long)t[i].off, (unsigned long long)v,
			     (unsigned long long)t[i].back);
		s = vm.stats;
		cr_assert_eq(s.mmio, 3);
		cr_assert_eq(s.unimpl, t[i].result == RAZWI ? 3u : 0u, "row %u counted", i);
		cr_assert_eq(s.bad_access, 0);
		cr_assert_eq(hyp_sim_total(&sim), 0, "no hardware touched");
	}
}

/* ITLinesNumber = (32 + 64) / 32 - 1 = 2; IDbits = 9. */
#define V3_TYPER (2u | 9u << 19)

static const struct row v3_dist[] = {
	{ 0x0000, 4, 0x50, 0xffffffff, 0x53, DONE },            /* CTLR: ARE, DS RAO */
	{ 0x0004, 4, V3_TYPER, 0, V3_TYPER, DONE },             /* TYPER RO */
	{ 0x0008, 4, HYP_VGIC_IIDR, 0, HYP_VGIC_IIDR, DONE },   /* IIDR RO */
	{ 0x000c, 4, 0, ~0ull, 0, DONE },                       /* TYPER2 */
	{ 0x0010, 4, 0, ~0ull, 0, DONE },                       /* STATUSR */
	{ 0x0040, 4, 0, ~0ull, 0, RAZWI },                      /* SETSPI_NSR: no MBIs */
	{ 0x0080, 4, 0, ~0ull, 0, RAZWI },                      /* IGROUPR0: redistributor */
	{ 0x0084, 4, 0xffffffff, 0x0000ffff, 0x0000ffff, DONE }, /* IGROUPR1 */
	{ 0x008c, 4, 0, ~0ull, 0, DONE },                       /* IGROUPR3: no such SPIs */
	{ 0x0104, 4, 0, 0xf0f0, 0xf0f0, DONE },                 /* ISENABLER1 */
	{ 0x0184, 4, 0, 0xffffffff, 0, DONE },                  /* ICENABLER1 */
	{ 0x0208, 4, 0, 0x80000001, 0x80000001, DONE },         /* ISPENDR2 */
	{ 0x0284, 4, 0, 0xffffffff, 0, DONE },                  /* ICPENDR1 */
	{ 0x0304, 4, 0, 0x10, 0x10, DONE },                     /* ISACTIVER1 */
	{ 0x0384, 4, 0, 0x10, 0, DONE },                        /* ICACTIVER1 */
	{ 0x0100, 4, 0, ~0ull, 0, RAZWI },                      /* ISENABLER0 */
	{ 0x0420, 4, 0, 0xffffffff, 0xf8f8f8f8, DONE },         /* IPRIORITYR8: 5 bits */
	{ 0x0421, 1, 0, 0x37, 0x30, DONE },                     /* byte access */
	{ 0x0400, 4, 0, ~0ull, 0, RAZWI },                      /* IPRIORITYR0 */
	{ 0x0820, 4, 0, ~0ull, 0, RAZWI },                      /* ITARGETSR: RES0 with ARE */
	{ 0x0c08, 4, 0, 0xffffffff, 0xaaaaaaaa, DONE },         /* ICFGR2: odd bits */
	{ 0x0c00, 4, 0, ~0ull, 0, RAZWI },                      /* ICFGR0 */
	{ 0x0d04, 4, 0, ~0ull, 0, RAZWI },                      /* IGRPMODR1 */
	{ 0x0e08, 4, 0, ~0ull, 0, RAZWI },                      /* NSACR */
	{ 0x0f00, 4, 0, 0x10003, 0, RAZWI },                    /* SGIR: GICv2 only */
	{ 0x6100, 8, 0, ~0ull, 0xff80ffffffull, DONE },         /* IROUTER32, RES0 masked */
	{ 0x6104, 4, 0, 0xffffffff, 0xff, DONE },               /* upper half: Aff3 */
	{ 0x6108, 4, 0, 0x80000102, 0x80000102, DONE },         /* lower half: IRM, Aff1, Aff0 */
	{ 0x6000, 8, 0, ~0ull, 0, RAZWI },                      /* IROUTER0: reserved */
	{ 0x6300, 8, 0, ~0ull, 0, RAZWI },                      /* IROUTER96: no such SPI */
	{ 0x1000, 4, 0, ~0ull, 0, RAZWI },                      /* extended SPI range */
	{ 0xffe8, 4, 0x30, ~0ull, 0x30, DONE },                 /* PIDR2: GICv3 */
	{ 0xfff0, 4, 0, ~0ull, 0, DONE },                       /* CIDR0 */
};

Test(vgic_dist, v3_gicd_table)
{
	run_table(HYP_VGIC_MODEL_V3, DIST, 0, v3_dist, sizeof(v3_dist) / sizeof(v3_dist[0]));
}

/* vCPU 2's redistributor: RD_base at 2 * 128 KiB, SGI_base 64 KiB above. */
#define RD2 0x40000u
#define SGI2 (RD2 + 0x10000u)

static const struct row v3_redist[] = {
	{ RD2 + 0x0000, 4, 0, ~0ull, 0, DONE },                       /* CTLR: no LPIs */
	{ RD2 + 0x0004, 4, HYP_VGIC_IIDR, 0, HYP_VGIC_IIDR, DONE },   /* IIDR */
	{ RD2 + 0x0008, 8, 0x200000200ull, 0, 0x200000200ull, DONE }, /* TYPER: Aff0 2, #2 */
	{ RD2 + 0x000c, 4, 0x2, 0, 0x2, DONE },                       /* TYPER upper half */
	{ RD2 + 0x0014, 4, 0x6, 0, 0, DONE },                         /* WAKER: awake */
	{ RD2 + 0x0070, 8, 0, ~0ull, 0, RAZWI },                      /* PROPBASER: absent */
	{ RD2 + 0x0078, 8, 0, ~0ull, 0, RAZWI },                      /* PENDBASER: absent */
	{ RD2 + 0x0040, 8, 0, ~0ull, 0, RAZWI },                      /* SETLPIR */
	{ RD2 + 0xffe8, 4, 0x30, 0, 0x30, DONE },                     /* PIDR2 */
	{ SGI2 + 0x0080, 4, 0xffffffff, 0xffff, 0xffff, DONE },       /* IGROUPR0 */
	{ SGI2 + 0x0100, 4, 0, 0x0800ffff, 0x0800ffff, DONE },        /* ISENABLER0 */
	{ SGI2 + 0x0180, 4, 0, 0xffffffff, 0, DONE },                 /* ICENABLER0 */
	{ SGI2 + 0x0200, 4, 0, 0x00000004, 0x00000004, DONE },        /* ISPENDR0: SGI 2 */
	{ SGI2 + 0x0300, 4, 0, 0x08000000, 0x08000000, DONE },        /* ISACTIVER0 */
	{ SGI2 + 0x0104, 4, 0, ~0ull, 0, RAZWI },                     /* ISENABLER1: SPIs */
	{ SGI2 + 0x041c, 4, 0, 0xffffffff, 0xf8f8f8f8, DONE },        /* IPRIORITYR7 */
	{ SGI2 + 0x041b, 1, 0, 0xff, 0xf8, DONE },                    /* byte */
	{ SGI2 + 0x0420, 4, 0, ~0ull, 0, RAZWI },                     /* IPRIORITYR8: SPIs */
	{ SGI2 + 0x0c00, 4, 0xaaaaaaaa, 0, 0xaaaaaaaa, DONE },        /* ICFGR0: SGIs edge RO */
	{ SGI2 + 0x0c04, 4, 0, 0xaaaaaaaa, 0xaaaaaaaa, DONE },        /* ICFGR1: PPIs */
	{ SGI2 + 0x0d00, 4, 0, ~0ull, 0, RAZWI },                     /* IGRPMODR0 */
	{ SGI2 + 0x0e00, 4, 0, ~0ull, 0, RAZWI },                     /* NSACR */
};

Test(vgic_dist, v3_gicr_table)
{
	run_table(HYP_VGIC_MODEL_V3, REDIST, 0, v3_redist, sizeof(v3_redist) / sizeof(v3_redist[0]));
	/* The last redistributor says so. */
	setup(HYP_VGIC_MODEL_V3, 4, NULL);
	cr_assert_eq(rd(REDIST, 0, 3 * 0x20000 + 8, 8), 0x300000310ull, "Aff0 3, #3, Last");
	cr_assert_eq(rd(REDIST, 0, 0 * 0x20000 + 8, 8), 0);
}

/* ITLinesNumber 2, CPUNumber 3 (4 vCPUs). */
#define V2_TYPER (2u | 3u << 5)

static const struct row v2_dist[] = {
	{ 0x000, 4, 0, 0xff, 0x3, DONE },                          /* CTLR: EnableGrp0/1 */
	{ 0x004, 4, V2_TYPER, 0, V2_TYPER, DONE },                 /* TYPER */
	{ 0x008, 4, HYP_VGIC_IIDR, 0, HYP_VGIC_IIDR, DONE },       /* IIDR */
	{ 0x080, 4, 0, 0xffffffff, 0xffffffff, DONE },             /* IGROUPR0 (banked) */
	{ 0x100, 4, 0xffff, 0xffff0000, 0xffffffff, DONE },        /* ISENABLER0: SGIs RAO */
	{ 0x180, 4, 0xffff, 0xffffffff, 0xffff, DONE },            /* ICENABLER0: SGIs stay */
	{ 0x200, 4, 0, 0xffffffff, 0xffff0000, DONE },             /* ISPENDR0: SGI bits RO */
	{ 0x400, 4, 0, 0xffffffff, 0xf8f8f8f8, DONE },             /* IPRIORITYR0 */
	{ 0x800, 4, 0x04040404, 0, 0x04040404, DONE },             /* ITARGETSR0: vCPU 2 */
	{ 0x81f, 1, 0x04, 0xff, 0x04, DONE },                      /* ITARGETSR7 byte */
	{ 0x820, 4, 0, 0xffffffff, 0x0f0f0f0f, DONE },             /* ITARGETSR8: 4 CPUs */
	{ 0x822, 1, 0, 0x2, 0x2, DONE },                           /* byte */
	{ 0xc00, 4, 0xaaaaaaaa, 0, 0xaaaaaaaa, DONE },             /* ICFGR0: SGIs RO */
	{ 0xc08, 4, 0, 0xaaaaaaaa, 0xaaaaaaaa, DONE },             /* ICFGR2 */
	{ 0xf10, 4, 0, 0xffffffff, 0, DONE },                      /* CPENDSGIR0 */
	{ 0xf21, 1, 0, 0xff, 0x0f, DONE },                         /* SPENDSGIR0, SGI 1: 4 CPUs */
	{ 0xfe8, 4, 0x20, 0, 0x20, DONE },                         /* ICPIDR2: GICv2 */
	{ 0xd00, 4, 0, ~0ull, 0, RAZWI },                          /* impl-defined space */
};

Test(vgic_dist, v2_gicd_table)
{
	run_table(HYP_VGIC_MODEL_V2, DIST, 2, v2_dist, sizeof(v2_dist) / sizeof(v2_dist[0]));
}

/* --- Bad accesses: RAZ/WI, counted, nothing changed, never a fault */

struct bad_row {
	int frame;
	uint64_t off;
	unsigned width;
};

static const struct bad_row v3_bad[] = {
	{ DIST, 0x0000, 1 },       /* CTLR by byte */
	{ DIST, 0x0000, 2 },       /* halfword */
	{ DIST, 0x0000, 8 },       /* doubleword */
	{ DIST, 0x0104, 1 },       /* ISENABLER by byte */
	{ DIST, 0x0102, 4 },       /* misaligned */
	{ DIST, 0x0420, 2 },       /* IPRIORITYR halfword */
	{ DIST, 0x0420, 8 },       /* IPRIORITYR doubleword */
	{ DIST, 0x6104, 8 },       /* IROUTER 64-bit at a 4-aligned offset */
	{ DIST, 0x6102, 4 },       /* misaligned */
	{ DIST, 0x6100, 1 },       /* IROUTER by byte */
	{ DIST, 0x10000, 4 },      /* beyond the frame */
	{ DIST, 0xfffe, 4 },       /* crossing its end */
	{ DIST, ~0ull - 1, 4 },    /* far beyond, wrapping */
	{ DIST, 0x0000, 0 },       /* no width */
	{ DIST, 0x0000, 3 },
	{ DIST, 0x0000, 16 },
	{ REDIST, 0x0008, 2 },     /* GICR_TYPER halfword */
	{ REDIST, 0x0014, 8 },     /* WAKER doubleword */
	{ REDIST, 0x0070, 2 },     /* PROPBASER halfword */
	{ REDIST, 0x10100, 1 },    /* ISENABLER0 by byte */
	{ REDIST, 4 * 0x20000, 4 }, /* beyond the last redistributor */
	{ REDIST, 0x1fffe, 4 },    /* crossing into the next one */
};

static void snapshot_check(const struct hyp_vgic_irq *s, const struct hyp_vgic_vcpu *v,
			   uint32_t ctlr)
{
	cr_assert_eq(memcmp(s, spis, sizeof(spis)), 0, "SPIs unchanged");
	cr_assert_eq(memcmp(v, vcpus, sizeof(vcpus)), 0, "vCPUs unchanged");
	cr_assert_eq(vm.ctlr, ctlr);
}

Test(vgic_dist, bad_accesses_v3)
{
	static struct hyp_vgic_irq s[NR_SPIS];
	static struct hyp_vgic_vcpu v[NR_VCPUS];
	unsigned n = sizeof(v3_bad) / sizeof(v3_bad[0]);

	setup(HYP_VGIC_MODEL_V3, 4, NULL);
	memcpy(s, spis, sizeof(s));
	memcpy(v, vcpus, sizeof(v));
	for (unsigned i = 0; i < n; i++) {
		uint64_t val = 0x1234;

		cr_assert_eq(acc(v3_bad[i].frame, 0, v3_bad[i].off, v3_bad[i].width, false, &val),
			     RAZWI, "bad row %u", i);
		cr_assert_eq(val, 0, "reads as zero");
		val = ~0ull;
		cr_assert_eq(acc(v3_bad[i].frame, 0, v3_bad[i].off, v3_bad[i].width, true, &val),
			     RAZWI);
		cr_assert_eq(vm.stats.bad_access, 2 * (i + 1), "counted, row %u", i);
	}
	cr_assert_eq(vm.stats.unimpl, 0);
	snapshot_check(s, v, 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

Test(vgic_dist, bad_accesses_v2)
{
	static const struct bad_row b[] = {
		{ DIST, 0x000, 2 }, { DIST, 0x100, 1 }, { DIST, 0x401, 2 }, { DIST, 0x800, 8 },
		{ DIST, 0xf00, 1 }, { DIST, 0x1000, 4 }, { DIST, 0x6100, 8 }, { DIST, 0xffe, 4 },
		{ REDIST, 0x0, 4 }, /* no redistributors for a GICv2 guest */
	};
	static struct hyp_vgic_irq s[NR_SPIS];
	static struct hyp_vgic_vcpu v[NR_VCPUS];
	uint64_t val;

	setup(HYP_VGIC_MODEL_V2, 4, NULL);
	memcpy(s, spis, sizeof(s));
	memcpy(v, vcpus, sizeof(v));
	for (unsigned i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		val = 0x1234;
		cr_assert_eq(acc(b[i].frame, 1, b[i].off, b[i].width, false, &val), RAZWI, "%u", i);
		cr_assert_eq(val, 0);
		val = ~0ull;
		cr_assert_eq(acc(b[i].frame, 1, b[i].off, b[i].width, true, &val), RAZWI);
	}
	cr_assert_eq(vm.stats.bad_access, 2 * sizeof(b) / sizeof(b[0]));
	snapshot_check(s, v, 0);
	val = 0;
	cr_assert_eq(hyp_vgic_dist_access(NULL, &vcpus[0], 0, 4, false, &val), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_dist_access(&vm, NULL, 0, 4, false, &val), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_dist_access(&vm, &vcpus[0], 0, 4, false, NULL), HYP_EINVAL);
}

/* --- Banked registers follow the accessing vCPU (GICv2) or the frame (GICv3) */

Test(vgic_dist, banking)
{
	uint64_t v = 1u << 27;

	setup(HYP_VGIC_MODEL_V3, 4, NULL);
	cr_assert_eq(acc(REDIST, 0, 3 * 0x20000 + 0x10100, 4, true, &v), DONE);
	cr_assert(vcpus[3].priv[27].enabled, "the frame's vCPU, not the accessor's");
	cr_assert_not(vcpus[0].priv[27].enabled);

	setup(HYP_VGIC_MODEL_V2, 4, NULL);
	v = 1u << 27;
	cr_assert_eq(acc(DIST, 1, 0x100, 4, true, &v), DONE);
	cr_assert(vcpus[1].priv[27].enabled, "GICv2: the accessor's bank");
	cr_assert_not(vcpus[0].priv[27].enabled);
	cr_assert_eq(rd(DIST, 0, 0x100, 4), 0xffff);
	cr_assert_eq(rd(DIST, 1, 0x100, 4), 0x0800ffff);
}

/* --- SGI generation and routing */

static struct hyp_sysreg_vcpu sysreg_vcpus[NR_VCPUS];

static int trap_sgi(unsigned from, uint16_t enc, uint64_t val)
{
	struct hyp_sysreg_access a = { .enc = enc, .read = false, .val = val };

	return hyp_vgic_sgi_trap(&sysreg_vcpus[from], &a, &vm);
}

static uint32_t sgi_pending_mask(unsigned sgi)
{
	uint32_t m = 0;

	for (unsigned i = 0; i < vm.nr_vcpus; i++)
		if (vcpus[i].priv[sgi].latch || vcpus[i].priv[sgi].sources)
			m |= 1u << i;
	return m;
}

#define SGI1R(intid, aff1, list) ((uint64_t)(intid) << 24 | (uint64_t)(aff1) << 16 | (list))

Test(vgic_sgi, v3_affinity_routing)
{
	setup(HYP_VGIC_MODEL_V3, NR_VCPUS, NULL);
	for (unsigned i = 0; i < NR_VCPUS; i++)
		hyp_vgic_vcpu_bind_sysreg(&vcpus[i], &sysreg_vcpus[i]);

	/* Aff1 = 1 cluster, Aff0 0..3: vCPUs 16..19. */
	cr_assert_eq(trap_sgi(0, HYP_SYS_ICC_SGI1R_EL1, SGI1R(1, 1, 0xf)), HYP_SYSREG_HANDLED);
	cr_assert_eq(sgi_pending_mask(1), 0xfu << 16);
	/* Aff1 = 0: vCPUs 0 and 15 (TargetList bits 0 and 15). */
	cr_assert_eq(trap_sgi(3, HYP_SYS_ICC_SGI1R_EL1, SGI1R(2, 0, 0x8001)), HYP_SYSREG_HANDLED);
	cr_assert_eq(sgi_pending_mask(2), 1u | 1u << 15);
	/* IRM: everyone but the sender. */
	cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[5], 3, 1ull << 40, true), NR_VCPUS - 1);
	cr_assert_eq(sgi_pending_mask(3), ((1u << NR_VCPUS) - 1) & ~(1u << 5));
	/* Aff2 / Aff3 that match nobody. */
	cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], 4, 1ull << 32 | 1, true), 0);
	cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], 4, 1ull << 48 | 1, true), 0);
	/* RS = 1 names Aff0 16..31: nobody here. */
	cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], 4, 1ull << 44 | 1, true), 0);
	cr_assert_eq(sgi_pending_mask(4), 0);
	cr_assert_eq(vm.stats.sgis, 4 + 2 + NR_VCPUS - 1);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

Test(vgic_sgi, v3_range_selector_and_custom_affinity)
{
	static const uint64_t mpidr[3] = { 0x0, 0x11, 0x1000000000ull | 0x20101 };

	setup(HYP_VGIC_MODEL_V3, 3, mpidr);
	/* Aff0 = 0x11 = 17: RS 1, TargetList bit 1. */
	cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], 6, 1ull << 44 | 2, true), 1);
	cr_assert(vcpus[1].priv[6].latch);
	/* Aff3.Aff2.Aff1.Aff0 = 0x10.2.1.1. */
	cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], 7,
				       0x10ull << 48 | 2ull << 32 | 1u << 16 | 2, true), 1);
	cr_assert(vcpus[2].priv[7].latch);
	cr_assert_eq(rd(REDIST, 0, 2 * 0x20000 + 8, 8), 0x10020101ull << 32 | 2u << 8 | 0x10);
}

Test(vgic_sgi, v3_groups_and_trap_results)
{
	struct hyp_sysreg_access a = { .enc = HYP_SYS_ICC_SGI1R_EL1, .read = true };
	uint64_t v;

	setup(HYP_VGIC_MODEL_V3, 2, NULL);
	hyp_vgic_vcpu_bind_sysreg(&vcpus[0], &sysreg_vcpus[0]);
	hyp_vgic_vcpu_bind_sysreg(&vcpus[1], &sysreg_vcpus[1]);
	/* vCPU 1: SGI 2 in Group 0, SGI 3 in Group 1 (the reset group). */
	v = 0xfffffffb;
	cr_assert_eq(acc(REDIST, 0, 0x20000 + 0x10080, 4, true, &v), DONE);
	cr_assert_eq(trap_sgi(0, HYP_SYS_ICC_SGI0R_EL1, SGI1R(2, 0, 2)), HYP_SYSREG_HANDLED);
	cr_assert(vcpus[1].priv[2].latch, "SGI0R reaches a Group 0 SGI");
	cr_assert_eq(trap_sgi(0, HYP_SYS_ICC_SGI0R_EL1, SGI1R(3, 0, 2)), HYP_SYSREG_HANDLED);
	cr_assert_not(vcpus[1].priv[3].latch, "but not a Group 1 one");
	cr_assert_eq(trap_sgi(0, HYP_SYS_ICC_ASGI1R_EL1, SGI1R(3, 0, 2)), HYP_SYSREG_HANDLED);
	cr_assert_not(vcpus[1].priv[3].latch, "ASGI1R: the other Security state's group");
	cr_assert_eq(trap_sgi(0, HYP_SYS_ICC_SGI1R_EL1, SGI1R(3, 0, 2)), HYP_SYSREG_HANDLED);
	cr_assert(vcpus[1].priv[3].latch);
	vcpus[1].priv[2].latch = false;
	cr_assert_eq(trap_sgi(0, HYP_SYS_ICC_SGI1R_EL1, SGI1R(2, 0, 2)), HYP_SYSREG_HANDLED);
	cr_assert(vcpus[1].priv[2].latch, "SGI1R reaches either group");

	cr_assert_eq(hyp_vgic_sgi_trap(&sysreg_vcpus[0], &a, &vm), HYP_SYSREG_UNDEF, "WO");
	a.read = false;
	a.enc = HYP_SYS_ICC_PMR_EL1;
	cr_assert_eq(hyp_vgic_sgi_trap(&sysreg_vcpus[0], &a, &vm), HYP_SYSREG_UNDEF);
	a.enc = HYP_SYS_ICC_SGI1R_EL1;
	cr_assert_eq(hyp_vgic_sgi_trap(&sysreg_vcpus[5], &a, &vm), HYP_EINVAL, "unknown vCPU");
	cr_assert_eq(hyp_vgic_sgi_trap(&sysreg_vcpus[0], &a, NULL), HYP_EINVAL);

	/* It fits a sysreg trap table, as an integrator registers it. */
	const struct hyp_sysreg_trap_entry e[] = {
		{ HYP_SYS_ICC_SGI1R_EL1, hyp_vgic_sgi_trap, &vm },
		{ HYP_SYS_ICC_ASGI1R_EL1, hyp_vgic_sgi_trap, &vm },
		{ HYP_SYS_ICC_SGI0R_EL1, hyp_vgic_sgi_trap, &vm },
	};
	const struct hyp_sysreg_trap_table t = { e, 3 };
	cr_assert_eq(hyp_sysreg_trap_table_check(&t), 0);
	cr_assert_eq(hyp_sysreg_trap_find(&t, HYP_SYS_ICC_SGI1R_EL1)->fn, hyp_vgic_sgi_trap);

	setup(HYP_VGIC_MODEL_V2, 2, NULL);
	hyp_vgic_vcpu_bind_sysreg(&vcpus[0], &sysreg_vcpus[0]);
	cr_assert_eq(trap_sgi(0, HYP_SYS_ICC_SGI1R_EL1, SGI1R(1, 0, 1)), HYP_SYSREG_UNDEF,
		     "a GICv2 guest has no ICC_SGI1R_EL1");
}

Test(vgic_sgi, v2_sgir_filters)
{
	setup(HYP_VGIC_MODEL_V2, 4, NULL);
	uint64_t v = 0x6u << 16 | 1; /* list: vCPUs 1, 2 */
	cr_assert_eq(acc(DIST, 0, 0xf00, 4, true, &v), DONE);
	cr_assert_eq(sgi_pending_mask(1), 0x6);
	cr_assert_eq(vcpus[1].priv[1].sources, 1, "source: vCPU 0");
	v = 1u << 24 | 2; /* all but self */
	cr_assert_eq(acc(DIST, 3, 0xf00, 4, true, &v), DONE);
	cr_assert_eq(sgi_pending_mask(2), 0x7);
	cr_assert_eq(vcpus[0].priv[2].sources, 1u << 3);
	v = 2u << 24 | 3; /* self */
	cr_assert_eq(acc(DIST, 2, 0xf00, 4, true, &v), DONE);
	cr_assert_eq(sgi_pending_mask(3), 0x4);
	v = 3u << 24 | 0xffu << 16 | 4; /* reserved filter: nothing */
	cr_assert_eq(acc(DIST, 2, 0xf00, 4, true, &v), DONE);
	cr_assert_eq(sgi_pending_mask(4), 0);
	v = 0xf0u << 16 | 5; /* targets beyond the 4 vCPUs are ignored */
	cr_assert_eq(acc(DIST, 2, 0xf00, 4, true, &v), DONE);
	cr_assert_eq(sgi_pending_mask(5), 0);
	/* Pending per source, readable and clearable through C/SPENDSGIR. */
	cr_assert_eq(rd(DIST, 0, 0xf20, 4), (uint64_t)(1u << 3) << 16);
	v = 0xffu << 16;
	cr_assert_eq(acc(DIST, 0, 0xf10, 4, true, &v), DONE);
	cr_assert_eq(vcpus[0].priv[2].sources, 0);
	cr_assert_eq(rd(DIST, 1, 0x200, 4) & 0xffff, 0x6, "ISPENDR0: vCPU 1's SGIs 1 and 2");
	cr_assert_eq(acc(DIST, 0, 0xf00, 4, false, &v), RAZWI, "SGIR is write-only");
	cr_assert_eq(v, 0);
}

/* --- SPI routing */

Test(vgic_route, v3_irouter)
{
	uint64_t v;

	setup(HYP_VGIC_MODEL_V3, 4, NULL);
	v = 3;
	cr_assert_eq(acc(DIST, 0, 0x0, 4, true, &v), DONE);
	v = 1u << 8;
	cr_assert_eq(acc(DIST, 0, 0x104, 4, true, &v), DONE); /* enable SPI 40 */
	v = vcpus[3].mpidr;
	cr_assert_eq(acc(DIST, 0, 0x6000 + 8 * 40, 8, true, &v), DONE);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(spis[8].vcpu, &vcpus[3]);
	cr_assert(hyp_vgic_vcpu_pending(&vcpus[3]));
	cr_assert_not(hyp_vgic_vcpu_pending(&vcpus[0]));

	/* Retargeted while queued: moved at vCPU 3's next entry. */
	v = vcpus[2].mpidr;
	cr_assert_eq(acc(DIST, 0, 0x6000 + 8 * 40, 8, true, &v), DONE);
	cr_assert_eq(hyp_vgic_load(&vcpus[3]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[3]), 0);
	cr_assert_eq(vcpus[3].used_lrs, 0);
	cr_assert_eq(spis[8].vcpu, &vcpus[2]);
	cr_assert_eq(hyp_vgic_save(&vcpus[3]), 0);

	/* An affinity nobody has: not delivered anywhere. */
	v = 0x0505;
	cr_assert_eq(acc(DIST, 0, 0x6000 + 8 * 41, 8, true, &v), DONE);
	v = 1u << 9;
	cr_assert_eq(acc(DIST, 0, 0x104, 4, true, &v), DONE);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 41), 0);
	cr_assert_null(spis[9].vcpu);

	/* IRM = 1: the first awake vCPU (GICR_WAKER.ProcessorSleep clear). */
	v = 0;
	cr_assert_eq(acc(REDIST, 0, 1 * 0x20000 + 0x14, 4, true, &v), DONE);
	v = 1ull << 31;
	cr_assert_eq(acc(DIST, 0, 0x6000 + 8 * 42, 8, true, &v), DONE);
	v = 1u << 10;
	cr_assert_eq(acc(DIST, 0, 0x104, 4, true, &v), DONE);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 42), 0);
	cr_assert_eq(spis[10].vcpu, &vcpus[1]);
}

Test(vgic_route, v2_itargetsr_and_group_enable)
{
	uint64_t v;

	setup(HYP_VGIC_MODEL_V2, 4, NULL);
	v = 1u << 8;
	cr_assert_eq(acc(DIST, 0, 0x104, 4, true, &v), DONE);
	v = 0x6;
	cr_assert_eq(acc(DIST, 0, 0x828, 1, true, &v), DONE); /* SPI 40 -> vCPUs 1, 2 */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_null(spis[8].vcpu, "Group 0 disabled: not deliverable yet");
	cr_assert_not(hyp_vgic_vcpu_pending(&vcpus[1]));
	v = 1;
	cr_assert_eq(acc(DIST, 0, 0x0, 4, true, &v), DONE); /* EnableGrp0 */
	cr_assert_eq(spis[8].vcpu, &vcpus[1], "the lowest targeted CPU");
	cr_assert(hyp_vgic_vcpu_pending(&vcpus[1]));
	/* The interrupt goes out of the group the distributor enables. */
	v = 1u << 8;
	cr_assert_eq(acc(DIST, 0, 0x84, 4, true, &v), DONE); /* Group 1 */
	cr_assert_not(hyp_vgic_vcpu_pending(&vcpus[1]));
}

Test(vgic_route, mmio_dispatch_by_ipa)
{
	uint64_t v = 0;

	setup(HYP_VGIC_MODEL_V3, 4, NULL);
	cr_assert_eq(hyp_vgic_mmio(&vm, &vcpus[0], 0x08000004, 4, false, &v), DONE);
	cr_assert_eq(v, V3_TYPER);
	cr_assert_eq(hyp_vgic_mmio(&vm, &vcpus[0], 0x080a0000 + 0x20000 + 8, 8, false, &v), DONE);
	cr_assert_eq(v, 0x100000100ull);
	cr_assert_eq(hyp_vgic_mmio(&vm, &vcpus[0], 0x080a0000 + 4 * 0x20000, 4, false, &v),
		     HYP_ENOENT);
	cr_assert_eq(hyp_vgic_mmio(&vm, &vcpus[0], 0x08010000, 4, false, &v), HYP_ENOENT);
	cr_assert_eq(hyp_vgic_mmio(&vm, &vcpus[0], 0x07ffffff, 4, false, &v), HYP_ENOENT);
	cr_assert_eq(vm.stats.mmio, 2);

	setup(HYP_VGIC_MODEL_V2, 4, NULL);
	cr_assert_eq(hyp_vgic_mmio(&vm, &vcpus[0], 0x08000fe8, 4, false, &v), DONE);
	cr_assert_eq(v, 0x20);
	cr_assert_eq(hyp_vgic_mmio(&vm, &vcpus[0], 0x08001000, 4, false, &v), HYP_ENOENT);
	cr_assert_eq(hyp_vgic_mmio(&vm, &vcpus[0], 0x080a0000, 4, false, &v), HYP_ENOENT,
		     "no redistributors for a GICv2 guest");
}

/* --- Defect 8 (issue 11): GICD_TYPER.RSS and A3V agree with the vCPU
 * affinities. GICD_TYPER (IHI 0069 ch. 12, GICD_TYPER): RSS is bit [26] (targeted
 * SGIs with Aff0 0..255), A3V bit [24] (non-zero Aff3 supported). */
#define TYPER_RSS (1u << 26)
#define TYPER_A3V (1u << 24)

Test(vgic_dist, v3_typer_rss_a3v_follow_affinities)
{
	static const uint64_t aff0_big[2] = { 0x0, 0x11 };          /* Aff0 17 */
	static const uint64_t aff3[2] = { 0x0, 0x0100000000ull };   /* Aff3 1 */

	setup(HYP_VGIC_MODEL_V3, NR_VCPUS, NULL); /* Aff0 0..15, Aff1 0..1 */
	cr_assert_eq(rd(DIST, 0, 0x0004, 4) & (TYPER_RSS | TYPER_A3V), 0);
	setup(HYP_VGIC_MODEL_V3, 2, aff0_big);
	cr_assert_eq(rd(DIST, 0, 0x0004, 4), V3_TYPER | TYPER_RSS,
		     "a vCPU with Aff0 > 15 needs the range selector");
	setup(HYP_VGIC_MODEL_V3, 2, aff3);
	cr_assert_eq(rd(DIST, 0, 0x0004, 4), V3_TYPER | TYPER_A3V,
		     "a vCPU with Aff3 != 0 needs A3V");
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

/* Affinities a guest could not target are refused, nothing changed: two
 * vCPUs with one affinity (IROUTER, GICR_TYPER and SGIs could not tell
 * them apart), and Aff3 != 0 when the virtual CPU interface has no A3V
 * (ICH_VTR_EL2.A3V, bit [21], IHI 0069 ch. 12, ICH_VTR_EL2: the guest's
 * ICC_CTLR_EL1.A3V reads 0 and its SGIs cannot name Aff3). */
Test(vgic_dist, v3_init_refuses_untargetable_affinities)
{
	static const uint64_t dup[3] = { 0x0, 0x101, 0x8000000000000101ull };
	static const uint64_t aff3[2] = { 0x0, 0x0100000000ull };
	static struct hyp_vgic copy;
	struct hyp_vgic_config c = {
		.model = HYP_VGIC_MODEL_V3, .hw = &hw, .vcpus = vcpus, .nr_vcpus = 3,
		.mpidr = dup, .spis = spis, .nr_spis = NR_SPIS,
	};

	boot_v3(0x90b80003);
	memset(&vm, 0x5a, sizeof(vm));
	memcpy(&copy, &vm, sizeof(vm));
	cr_assert_eq(hyp_vgic_init(&vm, &c), HYP_EINVAL, "two vCPUs with affinity 0.0.1.1");
	cr_assert_eq(memcmp(&vm, &copy, sizeof(vm)), 0);

	boot_v3(0x90980003); /* QEMU's ICH_VTR_EL2 without A3V */
	c.mpidr = aff3;
	c.nr_vcpus = 2;
	cr_assert_eq(hyp_vgic_init(&vm, &c), HYP_ENOTSUP);
	cr_assert_eq(memcmp(&vm, &copy, sizeof(vm)), 0);
	c.mpidr = NULL;
	cr_assert_eq(hyp_vgic_init(&vm, &c), 0, "Aff3 0: fine without A3V");
	/* A GICv2 guest names CPU interfaces, not affinities. */
	c.model = HYP_VGIC_MODEL_V2;
	c.mpidr = dup;
	c.nr_vcpus = 3;
	cr_assert_eq(hyp_vgic_init(&vm, &c), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

/* Issue 13, item 3: the SGI trap finds its requester through the sysreg
 * vCPU (one load), not by scanning the vCPUs; it touches no hardware. */
Test(vgic_sgi, the_requester_is_found_through_the_binding)
{
	setup(HYP_VGIC_MODEL_V3, NR_VCPUS, NULL);
	cr_assert_eq(hyp_vgic_vcpu_bind_sysreg(&vcpus[5], &sysreg_vcpus[5]), 0);
	cr_assert_eq(vcpus[5].sysreg, &sysreg_vcpus[5]);
	cr_assert_eq(sysreg_vcpus[5].vgic, &vcpus[5]);
	/* the binding alone counts: vCPU 5's sysreg pointer cleared, the
	 * trap still knows its requester (a scan would not find it) */
	vcpus[5].sysreg = NULL;
	hyp_sim_reset_counts(&sim);
	/* ICC_SGI1R_EL1 with IRM (bit 40; IHI 0069 ch. 12, ICC_SGI1R_EL1): every PE but the
	 * requester */
	cr_assert_eq(trap_sgi(5, HYP_SYS_ICC_SGI1R_EL1, (1ull << 40) | (3ull << 24)),
		     HYP_SYSREG_HANDLED);
	uint32_t want = (uint32_t)((1ull << NR_VCPUS) - 1) & ~(1u << 5);
	cr_assert_eq(sgi_pending_mask(3), want, "%#x", sgi_pending_mask(3));
	cr_assert_eq(hyp_sim_total(&sim), 0, "the SGI trap touches no hardware");
	/* a sysreg vCPU bound to another vGIC's vCPU: refused */
	static struct hyp_vgic other;
	static struct hyp_vgic_vcpu stranger;
	stranger.vm = &other;
	sysreg_vcpus[6].vgic = &stranger;
	cr_assert_eq(trap_sgi(6, HYP_SYS_ICC_SGI1R_EL1, SGI1R(3, 0, 1)), HYP_EINVAL);
}
