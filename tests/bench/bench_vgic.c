/* SPDX-License-Identifier: MIT */
/* Benchmark, not a test: GIC register accesses per exit on the host
 * backend, libhyp's elided save/restore next to the "save everything"
 * baseline (every LR, every APR, VMCR, MISR/EISR/ELRSR on each exit and
 * everything written back on entry, as Xen and Xvisor do), for GICv3
 * (ICH_*_EL2 system registers) and GICv2 (GICH frame, MMIO), 4 LRs and 5
 * preemption bits (QEMU's -cpu max: ICH_VTR_EL2 = 0x90b80003).
 *
 * Scenarios, each a guest exit followed by the entry back:
 *  - no interrupt in flight (the common exit: a hypercall, an MMIO trap);
 *  - one SGI delivered (seed 004's self-SGI guest: the guest sends itself
 *    an SGI through a trapped register write, takes it, EOIs it, sends the
 *    next);
 *  - LR overflow: 16 interrupts pending at once through 4 LRs, delivered
 *    by underflow maintenance exits.
 * Run: meson test -C build/host --benchmark --verbose vgic */
#include <stdio.h>
#include <string.h>

#include <libhyp/cpufeat.h>
#include <libhyp/vgic.h>

#define ROUNDS	  1000
#define GICH_BASE 0x2c010000ull

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu feat_cpus[1];
static struct hyp_vgic_hw hw;
static struct hyp_sim_mmio gich;
static uint32_t gich_regs[0x200 / 4];
static bool v2hw;
static struct hyp_vgic vm;
static struct hyp_vgic_vcpu vcpus[1];
static struct hyp_vgic_irq spis[32];

/* --- A GIC model: LR state, ELRSR/EISR computed (IHI 0069 ch. 12) */

static uint16_t lr_enc(unsigned i)
{
	return (uint16_t)(HYP_SYS_ICH_LR0_EL2 + (i / 8) * 8 + i % 8);
}

static uint64_t lr_get(unsigned i)
{
	uint64_t v = 0;

	if (v2hw)
		return gich_regs[(HYP_GICH_LR0 >> 2) + i];
	hyp_sim_reg_peek(&sim, lr_enc(i), &v);
	return v;
}

static void lr_set(unsigned i, uint64_t v)
{
	if (v2hw)
		gich_regs[(HYP_GICH_LR0 >> 2) + i] = (uint32_t)v;
	else
		hyp_sim_reg_define(&sim, lr_enc(i), v);
}

static uint64_t st_mask(void)
{
	return v2hw ? HYP_GICH_LR_PENDING | HYP_GICH_LR_ACTIVE
		    : HYP_ICH_LR_PENDING | HYP_ICH_LR_ACTIVE;
}

static bool lr_eoi(uint64_t v)
{
	return v2hw ? (v & (HYP_GICH_LR_EOI | HYP_GICH_LR_HW)) == HYP_GICH_LR_EOI
		    : (v & (HYP_ICH_LR_EOI | HYP_ICH_LR_HW)) == HYP_ICH_LR_EOI;
}

static uint64_t status(bool eisr)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < hw.nr_lrs; i++) {
		uint64_t v = lr_get(i);

		if (!(v & st_mask()) && lr_eoi(v) == eisr)
			r |= 1ull << i;
	}
	return r;
}

static uint64_t sysreg_hook(struct hyp_sim_cpu *c, uint16_t enc, void *ctx)
{
	(void)c;
	(void)ctx;
	if (enc == HYP_SYS_ICH_ELRSR_EL2)
		return status(false);
	if (enc == HYP_SYS_ICH_EISR_EL2)
		return status(true);
	return status(true) ? 1 : 0;
}

static uint64_t gich_read(struct hyp_sim_mmio *r, uint64_t off, unsigned width)
{
	(void)r;
	(void)width;
	if (off == HYP_GICH_ELRSR0)
		return (uint32_t)status(false);
	if (off == HYP_GICH_EISR0)
		return (uint32_t)status(true);
	if (off == HYP_GICH_MISR)
		return status(true) ? 1 : 0;
	return gich_regs[off >> 2];
}

static void gich_write(struct hyp_sim_mmio *r, uint64_t off, unsigned width, uint64_t v)
{
	(void)r;
	(void)width;
	gich_regs[off >> 2] = (uint32_t)v;
}

static void boot(bool v2)
{
	v2hw = v2;
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	if (v2) {
		memset(gich_regs, 0, sizeof(gich_regs));
		gich_regs[HYP_GICH_VTR >> 2] = 3u | 4u << 26 | 4u << 29;
		memset(&gich, 0, sizeof(gich));
		gich.name = "GICH";
		gich.base = GICH_BASE;
		gich.size = 0x200;
		gich.widths = 4;
		gich.read = gich_read;
		gich.write = gich_write;
		hyp_sim_mmio_add(&sim, &gich);
		hyp_vgic_hw_init_v2(&hw, GICH_BASE, 0);
		return;
	}
	for (unsigned r = 0; r < HYP_REG_COUNT; r++)
		if (hyp_sysreg_table[r].flags & HYP_RF_ID)
			hyp_sim_reg_define(&sim, hyp_sysreg_table[r].enc, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1000011);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0x9);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_VTR_EL2, 0x90b80003);
	hyp_cpufeat_reset();
	hyp_cpufeat_init(feat_cpus, 1);
	hyp_cpufeat_probe_cpu(0);
	hyp_cpufeat_finalize(NULL, 0, NULL);
	hyp_vgic_hw_init_v3(&hw);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_HCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_VMCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_AP0R0_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_AP1R0_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_MISR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_EISR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_ELRSR_EL2, 0);
	hyp_sim_reg_hooks(&sim, HYP_SYS_ICH_MISR_EL2, sysreg_hook, NULL, NULL);
	hyp_sim_reg_hooks(&sim, HYP_SYS_ICH_EISR_EL2, sysreg_hook, NULL, NULL);
	hyp_sim_reg_hooks(&sim, HYP_SYS_ICH_ELRSR_EL2, sysreg_hook, NULL, NULL);
	for (unsigned i = 0; i < hw.nr_lrs; i++)
		hyp_sim_reg_define(&sim, lr_enc(i), 0);
}

/* The guest takes every pending LR, highest priority first: acknowledge,
 * then EOI (pending -> active -> invalid). Not a hypervisor access. */
static unsigned guest_take_all(void)
{
	unsigned n = 0;

	for (;;) {
		int best = -1;
		uint64_t pend = v2hw ? HYP_GICH_LR_PENDING : HYP_ICH_LR_PENDING;

		for (unsigned i = 0; i < hw.nr_lrs; i++) {
			uint64_t v = lr_get(i);
			unsigned p = v2hw ? (unsigned)(v >> 23) & 0x1f : (unsigned)(v >> 48) & 0xff;

			if (!(v & pend))
				continue;
			if (best < 0) {
				best = (int)i;
				continue;
			}
			uint64_t b = lr_get((unsigned)best);
			unsigned bp =
			    v2hw ? (unsigned)(b >> 23) & 0x1f : (unsigned)(b >> 48) & 0xff;
			if (p < bp)
				best = (int)i;
		}
		if (best < 0)
			return n;
		lr_set((unsigned)best, lr_get((unsigned)best) & ~st_mask());
		n++;
	}
}

static void dist_w(uint64_t off, unsigned width, uint64_t v)
{
	hyp_vgic_dist_access(&vm, &vcpus[0], off, width, true, &v);
}

static void vm_setup(bool v2, bool save_all)
{
	struct hyp_vgic_config c = {
	    .model = v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3,
	    .hw = &hw,
	    .vcpus = vcpus,
	    .nr_vcpus = 1,
	    .spis = spis,
	    .nr_spis = 32,
	    .save_all = save_all,
	};

	boot(v2);
	hyp_vgic_init(&vm, &c);
	/* The guest driver: distributor on, SGIs 0-3 and 16 SPIs enabled, at
	 * distinct priorities, edge-triggered, routed to vCPU 0. */
	dist_w(0x0, 4, 3);
	dist_w(0x100 + 4, 4, 0xffff);
	if (!v2) {
		uint64_t en = 0xf;
		hyp_vgic_redist_access(&vm, &vcpus[0], 0x10100, 4, true, &en);
	}
	for (unsigned i = 0; i < 16; i++) {
		dist_w(0x400 + 32 + i, 1, (uint8_t)(((i * 7) % 16) << 4));
		dist_w(v2 ? 0x800 + 32 + i : 0x6000 + 8 * (32 + i), v2 ? 1 : 8, v2 ? 1 : 0);
		hyp_vgic_irq_set_level(&vm, NULL, 32 + i, false);
	}
	hyp_vgic_load(&vcpus[0]);
	hyp_sim_reset_counts(&sim);
	gich.reads = gich.writes = 0;
}

struct result {
	double reads, writes;
};

static struct result per(unsigned exits)
{
	struct result r;

	r.reads = (double)(v2hw ? gich.reads : sim.counts[HYP_SIM_SYSREG_READ]) / exits;
	r.writes = (double)(v2hw ? gich.writes : sim.counts[HYP_SIM_SYSREG_WRITE]) / exits;
	return r;
}

static struct result no_interrupt(bool v2, bool save_all)
{
	vm_setup(v2, save_all);
	for (unsigned i = 0; i < ROUNDS; i++) {
		hyp_vgic_restore(&vcpus[0]);
		hyp_vgic_save(&vcpus[0]);
	}
	return per(ROUNDS);
}

static struct result one_sgi(bool v2, bool save_all)
{
	vm_setup(v2, save_all);
	hyp_vgic_restore(&vcpus[0]);
	hyp_sim_reset_counts(&sim);
	gich.reads = gich.writes = 0;
	for (unsigned i = 0; i < ROUNDS; i++) {
		/* Exit: the guest's ICC_SGI1R_EL1 / GICD_SGIR write trapped. */
		hyp_vgic_save(&vcpus[0]);
		if (v2)
			dist_w(0xf00, 4, 2u << 24 | 1); /* to itself */
		else
			hyp_vgic_send_sgi(&vm, &vcpus[0], 1, 1, true);
		hyp_vgic_restore(&vcpus[0]);
		if (guest_take_all() != 1)
			fprintf(stderr, "SGI lost\n");
	}
	return per(ROUNDS);
}

static struct result overflow(bool v2, bool save_all, unsigned *exits_out)
{
	unsigned exits = 0, taken = 0;

	vm_setup(v2, save_all);
	for (unsigned r = 0; r < ROUNDS / 10; r++) {
		for (unsigned i = 0; i < 16; i++)
			hyp_vgic_irq_raise(&vm, NULL, 32 + i);
		for (unsigned got = 0; got < 16; exits++) {
			hyp_vgic_restore(&vcpus[0]);
			got += guest_take_all();
			hyp_vgic_save(&vcpus[0]); /* the underflow maintenance exit */
		}
		taken += 16;
	}
	*exits_out = exits / (ROUNDS / 10);
	if (taken != 16 * (ROUNDS / 10))
		fprintf(stderr, "interrupts lost\n");
	return per(exits);
}

static void cell(struct result r)
{
	printf(" %5.2f (%.2fr + %.2fw) |", r.reads + r.writes, r.reads, r.writes);
}

int main(void)
{
	struct result res[3][4];
	unsigned exits[4];
	static const char *const rows[3] = {"no interrupt in flight", "one SGI delivered",
					    "LR overflow (16 irqs, 4 LRs)"};

	for (unsigned col = 0; col < 4; col++) {
		bool v2 = col >= 2, all = col & 1;

		res[0][col] = no_interrupt(v2, all);
		res[1][col] = one_sgi(v2, all);
		res[2][col] = overflow(v2, all, &exits[col]);
	}
	printf("GIC register accesses per exit (exit + the entry back), host backend,\n"
	       "4 LRs, 5 preemption bits; GICv2 accesses are MMIO to the GICH frame.\n\n");
	printf("| scenario | GICv3 libhyp | GICv3 save-all | GICv2 libhyp | GICv2 save-all |\n");
	printf("| --- | --- | --- | --- | --- |\n");
	for (unsigned row = 0; row < 3; row++) {
		printf("| %s |", rows[row]);
		for (unsigned col = 0; col < 4; col++)
			cell(res[row][col]);
		printf("\n");
	}
	printf("\nLR overflow: %u exits to deliver 16 interrupts (libhyp and save-all alike).\n",
	       exits[0]);
	printf("Per 16 interrupts: GICv3 %.0f vs %.0f accesses, GICv2 %.0f vs %.0f.\n",
	       (res[2][0].reads + res[2][0].writes) * exits[0],
	       (res[2][1].reads + res[2][1].writes) * exits[1],
	       (res[2][2].reads + res[2][2].writes) * exits[2],
	       (res[2][3].reads + res[2][3].writes) * exits[3]);
	return 0;
}
