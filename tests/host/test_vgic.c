/* SPDX-License-Identifier: MIT */
/* The vgic CPU interface on the simulated CPU: every elision rule with
 * exact GIC access counts (GICv3 system registers and the GICv2 GICH
 * frame), LR overflow, level resampling, HW interrupts, GICv2 SGI sources,
 * load/put, the save-everything baseline, kicks and bad input. */
#include "test_vgic_env.h"

static struct hyp_vgic vm;
static struct hyp_vgic_vcpu vcpus[4];
static struct hyp_vgic_irq spis[64];

#define NR_SPIS 64

static void vm_setup_ops(uint8_t model, unsigned nr, const struct hyp_vgic_ops *ops, void *ctx,
			 bool save_all)
{
	struct hyp_vgic_config c = {
	    .model = model,
	    .hw = &hw,
	    .vcpus = vcpus,
	    .nr_vcpus = nr,
	    .spis = spis,
	    .nr_spis = NR_SPIS,
	    .dist_base = 0x08000000,
	    .redist_base = 0x080a0000,
	    .ops = ops,
	    .ctx = ctx,
	    .save_all = save_all,
	};

	cr_assert_eq(hyp_vgic_init(&vm, &c), 0);
}

static void vm_setup(uint8_t model, unsigned nr)
{
	vm_setup_ops(model, nr, NULL, NULL, false);
}

static void dist_w(struct hyp_vgic_vcpu *v, uint64_t off, unsigned width, uint64_t val)
{
	cr_assert_eq(hyp_vgic_dist_access(&vm, v, off, width, true, &val), HYP_VGIC_MMIO_DONE,
		     "GICD write at %#llx", (unsigned long long)off);
}

/* What a guest driver does: enable both groups, then an SPI with a
 * priority, routed to vCPU 0. */
static void guest_enable_dist(void)
{
	dist_w(&vcpus[0], 0x0, 4, 3);
}

static void guest_enable_spi(unsigned intid, uint8_t prio)
{
	dist_w(&vcpus[0], 0x100 + intid / 32 * 4, 4, 1u << (intid % 32));
	dist_w(&vcpus[0], 0x400 + intid, 1, prio);
	if (vm.model == HYP_VGIC_MODEL_V2)
		dist_w(&vcpus[0], 0x800 + intid, 1, 1);
	else
		dist_w(&vcpus[0], 0x6000 + 8 * intid, 8, vcpus[0].mpidr);
}

static void boot(bool v2)
{
	if (v2)
		boot_v2(4);
	else
		boot_v3(ICH_VTR(4, 5, 5));
}

/* --- Hardware description */

Test(vgic_hw, v3_from_cpufeat_no_register_read)
{
	boot_v3(0x90b80003); /* QEMU -cpu max */
	cr_assert_eq(hw.type, HYP_VGIC_HW_V3);
	cr_assert_eq(hw.nr_lrs, 4);
	cr_assert_eq(hw.pre_bits, 5);
	cr_assert_eq(hw.pri_bits, 5);
	cr_assert_eq(hw.nr_aprs, 1);
	boot_v3(ICH_VTR(16, 6, 7));
	cr_assert_eq(hw.nr_lrs, 16);
	cr_assert_eq(hw.nr_aprs, 2);
	cr_assert_eq(hw.pri_bits, 7);
	boot_v3(ICH_VTR(2, 7, 8));
	cr_assert_eq(hw.nr_aprs, 4);
	cr_assert_eq(hw.pri_bits, 8);
}

Test(vgic_hw, v3_refused_without_cpufeat_or_gic)
{
	struct hyp_vgic_hw h;

	boot_v3(0x90b80003);
	hyp_cpufeat_reset();
	memset(&h, 0xa5, sizeof(h));
	cr_assert_eq(hyp_vgic_hw_init_v3(&h), HYP_ESTATE);
	cr_assert_eq(((uint8_t *)&h)[0], 0xa5, "unchanged on error");
	cr_assert_eq(hyp_vgic_hw_init_v3(NULL), HYP_EINVAL);

	/* No GIC system registers: ID_AA64PFR0_EL1.GIC = 0. */
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x11);
	cr_assert_eq(hyp_cpufeat_init(feat_cpus, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	cr_assert_eq(hyp_vgic_hw_init_v3(&h), HYP_ENOTSUP);
}

Test(vgic_hw, v2_vtr_read_once_or_given)
{
	struct hyp_vgic_hw h;

	boot_v2(4); /* asserts the single GICH_VTR read */
	cr_assert_eq(hw.type, HYP_VGIC_HW_V2);
	cr_assert_eq(hw.nr_lrs, 4);
	cr_assert_eq(hw.pri_bits, 5);
	cr_assert_eq(hw.nr_aprs, 1);
	/* Given by the integrator (e.g. from firmware tables): no read. */
	cr_assert_eq(hyp_vgic_hw_init_v2(&h, GICH_BASE, GICV2_VTR(64) | 7u << 29), 0);
	cr_assert_eq(gich.reads, 0);
	cr_assert_eq(h.nr_lrs, HYP_VGIC_MAX_LRS, "capped");
	cr_assert_eq(h.pri_bits, 5, "a GICH_LR carries 5 priority bits");
	cr_assert_eq(hyp_vgic_hw_init_v2(&h, 0, 0), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_hw_init_v2(NULL, GICH_BASE, 0), HYP_EINVAL);
}

Test(vgic_hw, cpu_init_clears_every_lr_and_apr)
{
	boot_v3(ICH_VTR(4, 6, 6));
	for (unsigned i = 0; i < 4; i++)
		lr_set(i, 0xdeadull << 48 | SPEC_ICH_LR_PENDING);
	cr_assert_eq(hyp_vgic_cpu_init(&hw), 0);
	cr_assert_eq(gic_writes(), 1 + 4 + 2 * 2);
	cr_assert_eq(gic_reads(), 0);
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(lr_get(i), 0);

	boot_v2(4);
	gich_regs[(HYP_GICH_LR0 >> 2) + 3] = 0x10000000;
	cr_assert_eq(hyp_vgic_cpu_init(&hw), 0);
	cr_assert_eq(gic_writes(), 1 + 4 + 1);
	cr_assert_eq(lr_get(3), 0);
	cr_assert_eq(hyp_vgic_cpu_init(NULL), HYP_EINVAL);
}

/* --- Elision: an exit with nothing in flight touches nothing */

static void nothing_in_flight(bool v2)
{
	boot(v2);
	vm_setup(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 1);
	guest_enable_dist();
	guest_enable_spi(40, 0xa0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	reset_counts();
	for (int i = 0; i < 100; i++) {
		cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
		cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	}
	cr_assert_eq(hyp_sim_total(&sim), 0, "no GIC (or any) access in 100 round trips");
	cr_assert_eq(gic_reads() + gic_writes(), 0);
	cr_assert_eq(vcpus[0].stats.entries, 100);
	cr_assert_eq(vcpus[0].stats.exits, 100);
}

Test(vgic_elide, nothing_in_flight_v3)
{
	nothing_in_flight(false);
}

Test(vgic_elide, nothing_in_flight_v2)
{
	nothing_in_flight(true);
}

/* --- One interrupt: one LR write, the HCR once, one ELRSR read */

static void one_interrupt(bool v2)
{
	unsigned log[4];
	uint64_t want;

	boot(v2);
	vm_setup(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 1);
	guest_enable_dist();
	guest_enable_spi(40, 0xa0);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 40, false), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	reset_counts();

	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(gic_writes(), 2, "LR0 and the HCR");
	cr_assert_eq(gic_reads(), 0);
	/* GICH_LRn: VirtualID 40, Priority[7:3] 0x14 at [27:23], pending
	 * [28], Group 0; ICH_LR<n>_EL2: vINTID 40, Priority 0xa0 at [55:48],
	 * Group 1 [60], pending [62]. */
	want = v2 ? 0x1a000028ull : 0x50a0000000000028ull;
	cr_assert_eq(lr_get(0), want, "LR0 = %#llx", (unsigned long long)lr_get(0));
	cr_assert_eq(lr_get(1), 0, "no other LR written");
	cr_assert_eq(hw_hcr(), SPEC_HCR_EN);
	if (!v2) {
		cr_assert_eq(hyp_sim_reg_writes(&sim, lr_enc(0)), 1);
		cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ICH_HCR_EL2), 1);
	}

	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(log[0], 40);
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 1, "ELRSR only: the empty LR is not read");
	cr_assert_eq(gic_writes(), 0, "an empty LR needs no wipe, the HCR no change");
	if (!v2) {
		cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ICH_ELRSR_EL2), 1);
		cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ICH_MISR_EL2), 0);
		cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ICH_EISR_EL2), 0);
	}
	cr_assert_not(hyp_vgic_vcpu_pending(&vcpus[0]));
	cr_assert_not(spis[8].active);

	/* Second round: the HCR already holds En. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(gic_writes(), 1, "LR0 only");
	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads() + gic_writes(), 2);
	/* And nothing left: the following round trip is free. */
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
	cr_assert_null(spis[8].vcpu, "delivered, then pruned from the list");
}

Test(vgic_elide, one_interrupt_v3)
{
	one_interrupt(false);
}

Test(vgic_elide, one_interrupt_v2)
{
	one_interrupt(true);
}

/* --- Only LRs in use are read back; non-empty ones are wiped */

static void lrs_in_use(bool v2)
{
	boot(v2);
	vm_setup(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 1);
	guest_enable_dist();
	guest_enable_spi(40, 0x10);
	guest_enable_spi(41, 0x20);
	guest_enable_spi(42, 0x30);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 40, false), 0);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 41, false), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	for (unsigned i = 40; i <= 42; i++)
		cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, i), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(vcpus[0].used_lrs, 0x7);
	cr_assert_eq(lr_intid(lr_get(0)), 40, "highest priority first");
	cr_assert_eq(lr_intid(lr_get(2)), 42);

	/* The guest takes 40 (EOI'd: LR empty), acknowledges 41 without
	 * EOI (active), never gets to 42 (still pending). */
	guest_eoi(guest_ack());
	cr_assert_eq(guest_ack(), 1);
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 1 + 2, "ELRSR, then LR1 and LR2 only");
	cr_assert_eq(gic_writes(), 2, "LR1 and LR2 wiped, LR0 left alone");
	if (!v2) {
		cr_assert_eq(hyp_sim_reg_reads(&sim, lr_enc(0)), 0);
		cr_assert_eq(hyp_sim_reg_writes(&sim, lr_enc(0)), 0);
	}
	cr_assert_eq(lr_get(1), 0);
	cr_assert_eq(lr_get(2), 0);
	cr_assert(spis[9].active, "41 active in memory");
	cr_assert(spis[10].line, "42 still pending (level line)");
	cr_assert_not(spis[8].active);

	/* Next entry: the active one first, then the pending one. */
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(gic_writes(), 2, "two LRs, the HCR unchanged");
	cr_assert_eq(lr_intid(lr_get(0)), 41);
	cr_assert(lr_get(0) & st_active());
	cr_assert_not(lr_get(0) & st_pending());
	cr_assert_eq(lr_intid(lr_get(1)), 42);
	cr_assert(lr_get(1) & st_pending());
}

Test(vgic_elide, only_used_lrs_read_v3)
{
	lrs_in_use(false);
}

Test(vgic_elide, only_used_lrs_read_v2)
{
	lrs_in_use(true);
}

/* An edge interrupt not taken by the guest goes back to the latch. */
Test(vgic_elide, untaken_edge_kept)
{
	boot(false);
	vm_setup(HYP_VGIC_MODEL_V3, 1);
	guest_enable_dist();
	guest_enable_spi(50, 0x40);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 50, false), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 50), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_not(spis[18].latch, "the edge lives in the LR");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert(spis[18].latch, "not acknowledged: pending again");
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_intid(lr_get(0)), 50);
	cr_assert_eq(guest_ack(), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_not(spis[18].latch);
	cr_assert(spis[18].active);
}

/* --- Maintenance: MISR never read, EISR only with EOI LRs, HCR cleared */

static unsigned order_log[64];

static void overflow(bool v2)
{
	unsigned n = 0, entries = 0;
	uint8_t prio[16];

	boot(v2);
	vm_setup(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 1);
	guest_enable_dist();
	/* 16 edge SPIs, distinct priorities in a scrambled order. */
	for (unsigned i = 0; i < 16; i++) {
		prio[i] = (uint8_t)(((i * 7) % 16) << 4);
		guest_enable_spi(32 + i, prio[i]);
		cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 32 + i, false), 0);
	}
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	for (unsigned i = 0; i < 16; i++)
		cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 32 + i), 0);

	while (n < 16 && entries < 10) {
		unsigned left = 16 - n, got;

		reset_counts();
		cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
		entries++;
		cr_assert_eq(__builtin_popcount(vcpus[0].used_lrs), left > 4 ? 4 : left);
		if (left > 4) {
			cr_assert_eq(hw_hcr(), SPEC_HCR_EN | SPEC_HCR_UIE,
				     "underflow maintenance requested");
			cr_assert_eq(gic_writes(), 4 + 1, "4 LRs and the HCR");
		} else {
			cr_assert_eq(hw_hcr(), SPEC_HCR_EN);
			cr_assert_eq(gic_writes(), 4, "4 LRs; the HCR already holds En");
		}
		/* The guest drains the LRs; the underflow interrupt exits. */
		got = guest_take_all(order_log + n, 64 - n);
		cr_assert_eq(got, left > 4 ? 4 : left);
		n += got;
		reset_counts();
		cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
		cr_assert_eq(gic_reads(), 1, "ELRSR only: no MISR, no EISR, no LR");
		cr_assert_eq(gic_writes(), left > 4 ? 1 : 0, "UIE cleared at exit");
		cr_assert_eq(hw_hcr(), SPEC_HCR_EN);
	}
	cr_assert_eq(entries, 4);
	cr_assert_eq(n, 16, "none lost");
	for (unsigned i = 1; i < 16; i++)
		cr_assert_lt(spis[order_log[i - 1] - 32].priority, spis[order_log[i] - 32].priority,
			     "priority order at %u", i);
	for (unsigned i = 0; i < 16; i++)
		cr_assert_eq(spis[order_log[i] - 32].priority, (uint8_t)(i << 4));
	cr_assert_eq(vcpus[0].stats.overflows, 3);
	cr_assert_eq(vcpus[0].stats.delivered, 16);
	(void)prio;
}

Test(vgic_overflow, sixteen_through_four_lrs_v3)
{
	overflow(false);
}

Test(vgic_overflow, sixteen_through_four_lrs_v2)
{
	overflow(true);
}

/* Overflow while the guest is slow: interrupts stay pending in the LRs,
 * none is lost, none duplicated. */
Test(vgic_overflow, slow_guest_loses_nothing)
{
	unsigned seen[16] = {0}, total = 0;

	boot(false);
	vm_setup(HYP_VGIC_MODEL_V3, 1);
	guest_enable_dist();
	for (unsigned i = 0; i < 16; i++) {
		guest_enable_spi(32 + i, (uint8_t)(0xf0 - 8 * i));
		cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 32 + i, false), 0);
		cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 32 + i), 0);
	}
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	for (int round = 0; round < 40 && total < 16; round++) {
		int i;

		cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
		/* One interrupt per exit, sometimes left active across it. */
		i = guest_ack();
		if (i >= 0) {
			unsigned intid = lr_intid(lr_get((unsigned)i));

			if (round % 3 != 1) {
				guest_eoi(i);
				seen[intid - 32]++;
				total++;
			}
		}
		cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
		if (round % 3 == 1) {
			/* The active one is re-presented next time: finish it. */
			cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
			cr_assert(lr_get(0) & st_active());
			seen[lr_intid(lr_get(0)) - 32]++;
			total++;
			guest_eoi(0);
			cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
		}
	}
	cr_assert_eq(total, 16);
	for (unsigned i = 0; i < 16; i++)
		cr_assert_eq(seen[i], 1, "SPI %u seen %u times", 32 + i, seen[i]);
}

/* --- Level interrupts: EOI maintenance and resampling */

static unsigned resample_calls;
static bool resample_level;

static bool resample(struct hyp_vgic_vcpu *v, unsigned intid, void *ctx)
{
	(void)v;
	cr_assert_eq(intid, 41);
	cr_assert_eq(ctx, &resample_calls);
	resample_calls++;
	return resample_level;
}

static const struct hyp_vgic_ops resample_ops = {.resample = resample};

static void level_resample(bool v2)
{
	unsigned log[4];

	boot(v2);
	vm_setup_ops(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 1, &resample_ops, &resample_calls,
		     false);
	resample_calls = 0;
	guest_enable_dist();
	guest_enable_spi(41, 0x80);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 41), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert(lr_eoi(lr_get(0)), "level with a resampler: EOI maintenance requested");
	cr_assert_eq(vcpus[0].eoi_lrs, 1);

	/* The guest EOIs while the device still asserts the line. */
	cr_assert_eq(guest_take_all(log, 4), 1);
	resample_level = true;
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 2, "ELRSR and EISR; the EOI'd LR is not read");
	cr_assert_eq(gic_writes(), 1, "but it is wiped (else its EOI keeps firing)");
	if (!v2) {
		cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ICH_EISR_EL2), 1);
		cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ICH_MISR_EL2), 0);
		cr_assert_eq(hyp_sim_reg_reads(&sim, lr_enc(0)), 0);
	}
	cr_assert_eq(lr_get(0), 0);
	cr_assert_eq(resample_calls, 1);
	cr_assert_eq(vcpus[0].stats.eois, 1);

	/* Still asserted: delivered again. */
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_intid(lr_get(0)), 41);
	cr_assert_eq(guest_take_all(log, 4), 1);
	resample_level = false;
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(resample_calls, 2);
	cr_assert_not(spis[9].line);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0, "deasserted: nothing more");
}

Test(vgic_level, resample_on_eoi_v3)
{
	level_resample(false);
}

Test(vgic_level, resample_on_eoi_v2)
{
	level_resample(true);
}

/* issue 15 (vtimer flake): a resampled level interrupt (a guest timer) that
 * the guest acknowledged, with an exit before its EOI while the line is
 * still high, must not be presented pending+active: the guest lowers the
 * line without an exit (disables its timer), and its EOI turns a
 * pending+active LR into a pending one with no EOI maintenance (the LR is
 * not invalid: IHI 0069 ch. 12, ICH_LR<n>_EL2.EOI; IHI 0048B 5.3.2,
 * GICH_LRn.EOI), so the stale level is taken again at once (the timer
 * guest's "IAR 0x1b after ~200 ticks"). Presented active with EOI, the
 * deactivation is an EOI maintenance and the level is resampled. */
static void level_active_across_exit(bool v2)
{
	int i;

	boot(v2);
	vm_setup_ops(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 1, &resample_ops, &resample_calls,
		     false);
	resample_calls = 0;
	guest_enable_dist();
	guest_enable_spi(41, 0x80);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 41), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	i = guest_ack(); /* the guest's IAR: 41 active */
	cr_assert_eq(i, 0);
	/* An exit (a scheduler tick) before the guest's EOI; the line is
	 * still high. */
	resample_level = true;
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(resample_calls, 0, "not EOI'd: nothing to resample");
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 0);
	cr_assert_eq(gic_writes(), 1, "one LR");
	cr_assert_eq(lr_intid(lr_get(0)), 41);
	cr_assert(lr_get(0) & st_active(), "still active");
	cr_assert_not(lr_get(0) & st_pending(), "a resampled level is never pending+active");
	cr_assert(lr_eoi(lr_get(0)), "its deactivation is a maintenance interrupt");
	cr_assert_eq(vcpus[0].eoi_lrs, 1);

	/* Without an exit the guest lowers the line (CNTV_CTL_EL0 = 0) and
	 * EOIs: nothing may be pending for its next IAR. */
	resample_level = false;
	guest_eoi(0);
	cr_assert_eq(guest_ack(), -1, "the stale level taken again");
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 2, "ELRSR and EISR; the EOI'd LR is not read");
	cr_assert_eq(gic_writes(), 1, "the EOI'd LR wiped");
	cr_assert_eq(resample_calls, 1);
	cr_assert_not(spis[9].line);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0, "deasserted: nothing more");

	/* Still high at the deactivation: the level is taken again. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 41), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(guest_ack(), 0);
	resample_level = true;
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	guest_eoi(0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(resample_calls, 2);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert(lr_get(0) & st_pending(), "re-presented after the resample");
	cr_assert_not(lr_get(0) & st_active());
}

Test(vgic_level, active_not_pending_across_exit_v3)
{
	level_active_across_exit(false);
}

Test(vgic_level, active_not_pending_across_exit_v2)
{
	level_active_across_exit(true);
}

Test(vgic_level, without_resampler_no_maintenance)
{
	unsigned log[4];

	boot(false);
	vm_setup(HYP_VGIC_MODEL_V3, 1);
	guest_enable_dist();
	guest_enable_spi(41, 0x80);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 41), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_not(lr_eoi(lr_get(0)));
	cr_assert_eq(guest_take_all(log, 4), 1);
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads() + gic_writes(), 1);
	/* The line is still up: a level interrupt is taken again. */
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_irq_lower(&vm, NULL, 41), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* --- Hardware-backed interrupts: HW bit, pINTID, no maintenance */

Test(vgic_hwirq, timer_ppi_with_hw_bit)
{
	unsigned log[4];

	boot(false);
	vm_setup_ops(HYP_VGIC_MODEL_V3, 1, &resample_ops, &resample_calls, false);
	guest_enable_dist();
	/* The guest enables its virtual timer PPI in its redistributor. */
	uint64_t v = 1u << 27;
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x10100, 4, true, &v), 0);
	v = 0xa0;
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x10400 + 27, 1, true, &v), 0);
	cr_assert_eq(hyp_vgic_irq_map_hw(&vm, &vcpus[0], 27, 27), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, &vcpus[0], 27), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	/* vINTID 27, pINTID 27 at [44:32], Priority 0xa0, Group 1, HW, pending. */
	cr_assert_eq(lr_get(0), 0x70a0001b0000001bull);
	cr_assert_eq(vcpus[0].eoi_lrs, 0, "the HW bit needs no EOI maintenance");
	cr_assert_eq(guest_take_all(log, 4), 1);
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads() + gic_writes(), 1, "ELRSR: HW and invalid is empty");
	cr_assert_eq(resample_calls, 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0, "not re-delivered until it fires again");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);

	/* GICv2 layout: PhysicalID [19:10]. */
	boot(true);
	vm_setup(HYP_VGIC_MODEL_V2, 1);
	guest_enable_dist();
	dist_w(&vcpus[0], 0x100, 4, 1u << 27);
	cr_assert_eq(hyp_vgic_irq_map_hw(&vm, &vcpus[0], 27, 30), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, &vcpus[0], 27), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(
	    lr_get(0),
	    0x9000781bull /* VirtualID 27, PhysicalID 30 at [19:10], HW [31], pending [28] */);
}

/* --- GICv2 SGIs: one source per LR, EOI maintenance for the next */

Test(vgic_sgi, v2_sources_one_at_a_time)
{
	unsigned log[4];

	boot(true);
	vm_setup(HYP_VGIC_MODEL_V2, 3);
	guest_enable_dist();
	dist_w(&vcpus[0], 0x400, 4, 0x40404040); /* SGI 0-3 priority */
	/* vCPUs 1 and 2 send SGI 3 to vCPU 0 (GICD_SGIR, target list). */
	dist_w(&vcpus[1], 0xf00, 4, 1u << 16 | 3);
	dist_w(&vcpus[2], 0xf00, 4, 1u << 16 | 3);
	cr_assert_eq(vcpus[0].priv[3].sources, 0x6);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(vcpus[0].used_lrs, 1, "one instance at a time");
	/* VirtualID 3, CPUID 1 at [12:10], EOI [19], Priority[7:3] 8 at
	 * [27:23], pending [28]. */
	cr_assert_eq(lr_get(0), 0x14080403ull);
	cr_assert_eq(guest_take_all(log, 4), 1);
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 2, "ELRSR, EISR");
	cr_assert_eq(gic_writes(), 1, "the EOI'd LR wiped");
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0), 0x14000803ull /* VirtualID 3, CPUID 2, Priority[7:3] 8, pending */,
		     "the last source: no EOI bit");
	cr_assert_eq(guest_take_all(log, 4), 1);
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads() + gic_writes(), 1);
	cr_assert_eq(vcpus[0].priv[3].sources, 0);
}

/* --- load/put: VMCR and APRs, by preemption bits */

static void aprs(uint64_t vtr, unsigned nr)
{
	boot_v3(vtr);
	vm_setup(HYP_VGIC_MODEL_V3, 1);
	vcpus[0].vmcr = 0xf0000002;
	vcpus[0].ap1r[nr - 1] = 0x80000000;
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(gic_writes(), 1 + 2 * nr, "VMCR + %u AP0Rn + %u AP1Rn", nr, nr);
	cr_assert_eq(gic_reads(), 0);
	for (unsigned i = 0; i < nr; i++) {
		cr_assert_eq(hyp_sim_reg_writes(&sim, ap_enc(false, i)), 1);
		cr_assert_eq(hyp_sim_reg_writes(&sim, ap_enc(true, i)), 1);
	}
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ICH_VMCR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ICH_HCR_EL2), 0, "no traps: no HCR at load");
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_VMCR_EL2, 0xe0000003);
	reset_counts();
	cr_assert_eq(hyp_vgic_put(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 1 + 2 * nr);
	cr_assert_eq(gic_writes(), 0);
	cr_assert_eq(vcpus[0].vmcr, 0xe0000003);
	cr_assert_eq(vcpus[0].ap1r[nr - 1], 0x80000000);
}

Test(vgic_loadput, aprs_follow_prebits)
{
	aprs(ICH_VTR(4, 5, 5), 1);
	aprs(ICH_VTR(4, 6, 6), 2);
	aprs(ICH_VTR(4, 7, 7), 4);
	aprs(ICH_VTR(4, 5, 8), 1); /* priority bits beyond preemption bits add no APR */
}

/* ICH_AP0R<n>_EL2 is S3_4_C12_C8_<n>, ICH_AP1R<n>_EL2 S3_4_C12_C9_<n>
 * (IHI 0069 ch. 12, ICH_AP0R<n>_EL2 and ICH_AP1R<n>_EL2: encodings),
 * literals here rather than the library's table. */
static uint16_t spec_ap(bool g1, unsigned n)
{
	return HYP_SYSREG_ENC(3, 4, 12, g1 ? 9 : 8, n);
}

/* From the simulated CPU's ordered event log: every write of AP1R<n> is
 * preceded by a write of AP0R<n> since the previous write of AP1R<n>
 * (IHI 0069, ICH_AP1R<n>_EL2: "Writing to the active priority registers
 * in any order other than the following order will result in
 * UNPREDICTABLE behavior: ICH_AP0R<n>_EL2, ICH_AP1R<n>_EL2"), and there
 * are @want writes of each, for n < @nr. */
static void assert_apr_order(unsigned nr, unsigned want, const char *what)
{
	cr_assert_not(sim.log_overflow);
	for (unsigned n = 0; n < 4; n++) {
		bool ap0_since = false;
		unsigned w0 = 0, w1 = 0;

		for (unsigned i = 0; i < sim.log_len; i++) {
			const struct hyp_sim_event *e = &sim.log[i];

			if (e->kind != HYP_SIM_SYSREG_WRITE)
				continue;
			if (e->enc == spec_ap(false, n)) {
				ap0_since = true;
				w0++;
			} else if (e->enc == spec_ap(true, n)) {
				cr_assert(ap0_since, "%s: AP1R%u written before AP0R%u (event %u)",
					  what, n, n, i);
				ap0_since = false;
				w1++;
			}
		}
		cr_assert_eq(w0, n < nr ? want : 0, "%s: %u writes of AP0R%u", what, w0, n);
		cr_assert_eq(w1, n < nr ? want : 0, "%s: %u writes of AP1R%u", what, w1, n);
	}
}

static void apr_order(uint64_t vtr, unsigned nr)
{
	/* cpu_init */
	boot_v3(vtr);
	cr_assert_eq(hyp_vgic_cpu_init(&hw), 0);
	assert_apr_order(nr, 1, "cpu_init");
	/* load, a GICv3 guest and a GICv2 guest */
	for (int v2 = 0; v2 < 2; v2++) {
		boot_v3(vtr);
		vm_setup(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 1);
		cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
		assert_apr_order(nr, 1, v2 ? "load (GICv2 guest)" : "load");
	}
	/* the save-everything baseline: at every entry */
	boot_v3(vtr);
	vm_setup_ops(HYP_VGIC_MODEL_V3, 1, NULL, NULL, true);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
		cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	}
	assert_apr_order(nr, 3, "save_all entries");
}

Test(vgic_loadput, apr_write_order_ap0r_before_ap1r)
{
	apr_order(ICH_VTR(4, 5, 5), 1);
	apr_order(ICH_VTR(4, 6, 6), 2);
	apr_order(ICH_VTR(4, 7, 7), 4);
}

/* A GICv2 guest on GICv3 hardware: the architecture holds its active
 * priorities in ICH_AP1R<n>_EL2 regardless of group (IHI 0069, GICV_APR<n>),
 * yet ICH_AP0R<n>_EL2 counts in the virtual running priority (ICV_RPR_EL1):
 * load must write the guest's AP0Rn (zero for a legacy guest), else what
 * the previous vCPU left there stays live, and put reads them back. */
Test(vgic_loadput, v2_guest_on_v3_switches_ap0r)
{
	boot_v3(ICH_VTR(4, 7, 7));
	vm_setup(HYP_VGIC_MODEL_V2, 2);
	/* A GICv3 guest that ran here before left Group 0 active priorities
	 * in the hardware AP0Rn. */
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(hyp_sim_reg_define(&sim, spec_ap(false, i), 0xdead0000u | i), 0);
	reset_counts();
	for (unsigned i = 0; i < 4; i++) {
		vcpus[0].ap0r[i] = 0x100u << i; /* any value: it is switched as is */
		vcpus[0].ap1r[i] = 0x10000u << i;
	}
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYSREG_ENC(3, 0, 12, 12, 5)), 1,
		     "legacy: ICC_SRE_EL1 cleared");
	cr_assert_eq(sim.counts[HYP_SIM_ISB], 1);
	cr_assert_eq(gic_writes(), 1 + 1 + 4 + 4, "SRE_EL1, VMCR, 4 AP0Rn, 4 AP1Rn");
	for (unsigned i = 0; i < 4; i++) {
		uint64_t v = 0;

		cr_assert_eq(hyp_sim_reg_writes(&sim, spec_ap(false, i)), 1, "AP0R%u", i);
		cr_assert_eq(hyp_sim_reg_peek(&sim, spec_ap(false, i), &v), 0);
		cr_assert_eq(v, 0x100u << i, "AP0R%u restored, the stale one gone", i);
	}
	/* Whatever the CPU interface holds at put is what the vCPU gets back. */
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(hyp_sim_reg_define(&sim, spec_ap(false, i), 0x80000000u >> i), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_put(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 1 + 4 + 4, "VMCR, 4 AP0Rn, 4 AP1Rn");
	for (unsigned i = 0; i < 4; i++) {
		cr_assert_eq(hyp_sim_reg_reads(&sim, spec_ap(false, i)), 1);
		cr_assert_eq(vcpus[0].ap0r[i], 0x80000000u >> i, "AP0R%u saved", i);
		cr_assert_eq(vcpus[0].ap1r[i], 0x10000u << i);
	}
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYSREG_ENC(3, 0, 12, 12, 5)), 1,
		     "ICC_SRE_EL1 restored at put");

	/* Its SGIs carry the source in vINTID[12:10], as GICH_LR would
	 * (IHI 0069 ch. 12, ICH_LR<n>_EL2; IHI 0048B 5.3, GICH_LRn CPUID):
	 * vINTID 5 | CPUID 1 << 10, State = pending (0b01 at [63:62]),
	 * Group 0, priority 0. */
	reset_counts();
	guest_enable_dist();
	dist_w(&vcpus[1], 0xf00, 4, 1u << 16 | 5);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0), 0x4000000000000405ull);
}

Test(vgic_loadput, hcr_traps_kept_while_loaded)
{
	struct hyp_vgic_config c = {.model = HYP_VGIC_MODEL_V3,
				    .hw = &hw,
				    .vcpus = vcpus,
				    .nr_vcpus = 1,
				    .hcr_traps = SPEC_HCR_TDIR | 1u};

	boot(false);
	cr_assert_eq(hyp_vgic_init(&vm, &c), 0);
	cr_assert_eq(vm.hcr_traps, SPEC_HCR_TDIR, "only trap bits are taken");
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hw_hcr(), SPEC_HCR_TDIR);
	cr_assert_eq(hyp_vgic_put(&vcpus[0]), 0);
	cr_assert_eq(hw_hcr(), 0, "no trap left for the host");
}

/* --- The save-everything baseline (Xen, Xvisor) */

Test(vgic_baseline, save_all_counts)
{
	boot(false);
	vm_setup_ops(HYP_VGIC_MODEL_V3, 1, NULL, NULL, true);
	guest_enable_dist();
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(gic_writes(), 1 + 1 + 2 + 4, "HCR, VMCR, AP0R0, AP1R0, 4 LRs");
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 1 + 3 + 2 + 4, "VMCR, MISR, EISR, ELRSR, APRs, LRs");
	cr_assert_eq(gic_writes(), 1, "HCR");

	/* It still delivers correctly. */
	unsigned log[4];
	guest_enable_spi(33, 0x10);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 33), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(log[0], 33);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);

	boot(true);
	vm_setup_ops(HYP_VGIC_MODEL_V2, 1, NULL, NULL, true);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_writes(), 1 + 1 + 1 + 4 + 1);
	cr_assert_eq(gic_reads(), 1 + 3 + 1 + 4);
}

/* --- Kicks and locking */

static unsigned kicks[2], locks, unlocks;
static struct hyp_vgic_vcpu *kicked;

static void kick_fn(struct hyp_vgic_vcpu *v, enum hyp_vgic_kick why, void *ctx)
{
	(void)ctx;
	cr_assert_eq(locks, unlocks + 1, "kick runs with the lock held");
	kicked = v;
	kicks[why]++;
}

static void lock_fn(struct hyp_vgic *m, void *ctx)
{
	(void)ctx;
	cr_assert_eq(m, &vm);
	cr_assert_eq(locks, unlocks, "not recursive");
	locks++;
}

static void unlock_fn(struct hyp_vgic *m, void *ctx)
{
	(void)m;
	(void)ctx;
	unlocks++;
}

static const struct hyp_vgic_ops kick_ops = {.lock = lock_fn, .unlock = unlock_fn, .kick = kick_fn};

Test(vgic_kick, running_and_asleep)
{
	boot(false);
	vm_setup_ops(HYP_VGIC_MODEL_V3, 2, &kick_ops, NULL, false);
	locks = unlocks = 0;
	memset(kicks, 0, sizeof(kicks));
	guest_enable_dist();
	guest_enable_spi(40, 0x10);
	guest_enable_spi(41, 0x10);
	guest_enable_spi(42, 0x10);
	dist_w(&vcpus[0], 0x6000 + 8 * 40, 8, vcpus[1].mpidr);
	dist_w(&vcpus[0], 0x6000 + 8 * 41, 8, vcpus[1].mpidr);
	dist_w(&vcpus[0], 0x6000 + 8 * 42, 8, vcpus[1].mpidr);

	/* vCPU 1 is not loaded (blocked): wake it. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(kicks[HYP_VGIC_KICK_WAKE], 1);
	cr_assert_eq(kicked, &vcpus[1]);
	cr_assert(hyp_vgic_vcpu_pending(&vcpus[1]));
	cr_assert_not(hyp_vgic_vcpu_pending(&vcpus[0]));
	/* Loaded, in the hypervisor: it will see it at entry. */
	cr_assert_eq(hyp_vgic_load(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 41), 0);
	cr_assert_eq(kicks[0] + kicks[1], 1);
	/* In the guest: force an exit. */
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 42), 0);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1);
	/* Raising a line that is already up changes nothing: no kick. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 42), 0);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(locks, unlocks);
	cr_assert_gt(locks, 5);
}

/* --- Bad input */

Test(vgic_bad, init_refuses_and_changes_nothing)
{
	struct hyp_vgic copy;
	struct hyp_vgic_config c = {.model = HYP_VGIC_MODEL_V3,
				    .hw = &hw,
				    .vcpus = vcpus,
				    .nr_vcpus = 1,
				    .spis = spis,
				    .nr_spis = 64};
	struct hyp_vgic_config bad;
	struct hyp_vgic_hw v2hw;

	boot(false);
	memset(&vm, 0xaa, sizeof(vm));
	memcpy(&copy, &vm, sizeof(vm));
	cr_assert_eq(hyp_vgic_init(NULL, &c), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_init(&vm, NULL), HYP_EINVAL);
	bad = c, bad.nr_vcpus = 0;
	cr_assert_eq(hyp_vgic_init(&vm, &bad), HYP_EINVAL);
	bad = c, bad.model = 7;
	cr_assert_eq(hyp_vgic_init(&vm, &bad), HYP_EINVAL);
	bad = c, bad.spis = NULL;
	cr_assert_eq(hyp_vgic_init(&vm, &bad), HYP_EINVAL);
	bad = c, bad.nr_spis = HYP_VGIC_MAX_SPIS + 1;
	cr_assert_eq(hyp_vgic_init(&vm, &bad), HYP_EINVAL);
	bad = c, bad.model = HYP_VGIC_MODEL_V2, bad.nr_vcpus = 9;
	cr_assert_eq(hyp_vgic_init(&vm, &bad), HYP_EINVAL);
	bad = c, bad.hw = NULL;
	cr_assert_eq(hyp_vgic_init(&vm, &bad), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_hw_init_v2(&v2hw, GICH_BASE, GICV2_VTR(4)), 0);
	bad = c, bad.hw = &v2hw;
	cr_assert_eq(hyp_vgic_init(&vm, &bad), HYP_EINVAL, "a GICv2 cannot host a GICv3 guest");
	cr_assert_eq(memcmp(&vm, &copy, sizeof(vm)), 0, "nothing changed");
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

Test(vgic_bad, injection_out_of_range)
{
	static struct hyp_vgic_irq before[NR_SPIS];
	static struct hyp_vgic_vcpu vbefore;

	boot(false);
	vm_setup(HYP_VGIC_MODEL_V3, 2);
	memcpy(before, spis, sizeof(spis));
	memcpy(&vbefore, &vcpus[0], sizeof(vbefore));
	cr_assert_eq(hyp_vgic_irq_raise(&vm, &vcpus[0], 5), HYP_ERANGE, "SGIs are not raised");
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 32 + NR_SPIS), HYP_ERANGE);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 1020), HYP_ERANGE);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 0xffffffffu), HYP_ERANGE);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 20), HYP_EINVAL, "a PPI needs its vCPU");
	cr_assert_eq(hyp_vgic_irq_raise(NULL, NULL, 40), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_lower(&vm, NULL, 32 + NR_SPIS), HYP_ERANGE);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 3, true), HYP_ERANGE);
	cr_assert_eq(hyp_vgic_irq_map_hw(&vm, NULL, 40, 5), HYP_ERANGE, "an SGI cannot back it");
	cr_assert_eq(hyp_vgic_irq_map_hw(&vm, NULL, 40, 1020), HYP_ERANGE);
	cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], 16, 1, true), HYP_ERANGE);
	cr_assert_eq(hyp_vgic_send_sgi(&vm, NULL, 1, 1, true), HYP_EINVAL);
	cr_assert_eq(memcmp(before, spis, sizeof(spis)), 0);
	cr_assert_eq(memcmp(&vbefore, &vcpus[0], sizeof(vbefore)), 0);
	cr_assert_null(hyp_vgic_get_irq(&vm, NULL, 3));
	cr_assert_null(hyp_vgic_get_irq(&vm, &vcpus[0], 32 + NR_SPIS));
}

Test(vgic_bad, call_order)
{
	boot(false);
	vm_setup(HYP_VGIC_MODEL_V3, 1);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), HYP_ESTATE, "not loaded");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), HYP_ESTATE, "not in the guest");
	cr_assert_eq(hyp_vgic_put(&vcpus[0]), HYP_ESTATE);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), HYP_ESTATE);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), HYP_ESTATE);
	cr_assert_eq(hyp_vgic_put(&vcpus[0]), HYP_ESTATE, "still in the guest");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_put(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(NULL), HYP_EINVAL);
}

/* --- Defect 6 (issue 11): a repeated SGI to a vCPU that never exits.
 * The target acknowledged and deactivated the first SGI without exiting:
 * its LR is invalid in hardware, but the software copy still says "in an
 * LR". The second SGI must still force an exit (a kick), else the guest
 * spins forever without it. Here a kick is what makes the "vCPU" exit. */
static void repeated_sgi_spinning(bool v2)
{
	unsigned log[4], got = 0;
	uint64_t v;

	boot(v2);
	vm_setup_ops(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 2, &kick_ops, NULL, false);
	locks = unlocks = 0;
	memset(kicks, 0, sizeof(kicks));
	guest_enable_dist();
	if (!v2) {
		/* vCPU 1 enables SGI 3 in its redistributor (SGI_base + ISENABLER0). */
		v = 1u << 3;
		cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[1], 0x20000 + 0x10100, 4, true, &v),
			     0);
	}
	cr_assert_eq(hyp_vgic_load(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0); /* spinning in the guest */

	for (unsigned round = 0; round < 5; round++) {
		unsigned before = kicks[HYP_VGIC_KICK_RUNNING];

		if (v2) /* GICD_SGIR: CPUTargetList {1}, SGI 3 */
			dist_w(&vcpus[0], 0xf00, 4, 2u << 16 | 3);
		else /* ICC_SGI1R_EL1: TargetList {Aff0 1}, INTID 3 */
			cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], 3, 1u << 1, true), 1);
		cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], before + 1,
			     "round %u: the running target is kicked", round);
		/* The kick makes it exit; the next entry presents the SGI. */
		cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
		cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
		/* The guest takes it (acknowledge + EOI) and never exits. */
		got += guest_take_all(log, 4);
		cr_assert_eq(got, round + 1, "round %u: SGI delivered", round);
		cr_assert_eq(log[0], 3);
	}
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
}

Test(vgic_kick, repeated_sgi_to_spinning_vcpu_v3)
{
	repeated_sgi_spinning(false);
}

Test(vgic_kick, repeated_sgi_to_spinning_vcpu_v2)
{
	repeated_sgi_spinning(true);
}

/* --- Defect 19 (issue 11): every public function answers a NULL argument
 * with HYP_EINVAL (false / NULL where it returns no error code), touches
 * no hardware and changes nothing. */
Test(vgic_bad, null_arguments_every_public_function)
{
	static struct hyp_vgic vm_copy;
	static struct hyp_vgic_vcpu vcpus_copy[2], blank;
	static struct hyp_vgic_irq spis_copy[NR_SPIS];
	struct hyp_vgic_config c = {
	    .model = HYP_VGIC_MODEL_V3, .hw = &hw, .vcpus = vcpus, .nr_vcpus = 1};
	struct hyp_sysreg_access a = {.enc = HYP_SYS_ICC_SGI1R_EL1, .val = 1};
	struct hyp_sysreg_vcpu sr;
	uint64_t v = 0;

	boot(false);
	vm_setup(HYP_VGIC_MODEL_V3, 2);
	hyp_vgic_vcpu_bind_sysreg(&vcpus[0], &sr);
	memcpy(&vm_copy, &vm, sizeof(vm));
	memcpy(vcpus_copy, vcpus, sizeof(vcpus_copy));
	memcpy(spis_copy, spis, sizeof(spis));
	reset_counts();

	cr_assert_eq(hyp_vgic_hw_init_v3(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_hw_init_v2(NULL, GICH_BASE, 0), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_cpu_init(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_init(NULL, &c), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_init(&vm, NULL), HYP_EINVAL);
	c.hw = NULL;
	cr_assert_eq(hyp_vgic_init(&vm, &c), HYP_EINVAL);
	c.hw = &hw, c.vcpus = NULL;
	cr_assert_eq(hyp_vgic_init(&vm, &c), HYP_EINVAL);
	cr_assert_null(hyp_vgic_get_irq(NULL, &vcpus[0], 40));
	cr_assert_null(hyp_vgic_get_irq(&vm, NULL, 20));
	cr_assert_eq(hyp_vgic_irq_raise(NULL, NULL, 40), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 20), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_lower(NULL, NULL, 40), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_lower(&vm, NULL, 20), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_set_level(NULL, NULL, 40, true), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 20, true), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_map_hw(NULL, NULL, 40, 40), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_map_hw(&vm, NULL, 20, 20), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_send_sgi(NULL, &vcpus[0], 1, 1, true), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_send_sgi(&vm, NULL, 1, 1, true), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_sgi_trap(NULL, &a, &vm), HYP_EINVAL, "no requester");
	cr_assert_eq(hyp_vgic_sgi_trap(&sr, NULL, &vm), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_sgi_trap(&sr, &a, NULL), HYP_EINVAL);
	cr_assert_not(hyp_vgic_vcpu_pending(NULL));
	cr_assert_not(hyp_vgic_vcpu_pending(&blank), "a vCPU of no VM");
	cr_assert_eq(hyp_vgic_load(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_put(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_restore(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_save(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_load(&blank), HYP_EINVAL, "a vCPU of no VM");
	cr_assert_eq(hyp_vgic_put(&blank), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_restore(&blank), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_save(&blank), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_dist_access(NULL, &vcpus[0], 0, 4, false, &v), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_dist_access(&vm, NULL, 0, 4, false, &v), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_dist_access(&vm, &vcpus[0], 0, 4, false, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_redist_access(NULL, &vcpus[0], 0, 4, false, &v), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_redist_access(&vm, NULL, 0, 4, false, &v), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0, 4, false, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_mmio(NULL, &vcpus[0], 0x08000000, 4, false, &v), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_mmio(&vm, NULL, 0x08000000, 4, false, &v), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_mmio(&vm, &vcpus[0], 0x08000000, 4, false, NULL), HYP_EINVAL);

	cr_assert_eq(hyp_sim_total(&sim), 0, "no hardware touched");
	cr_assert_eq(memcmp(&vm, &vm_copy, sizeof(vm)), 0, "the VM unchanged");
	cr_assert_eq(memcmp(vcpus, vcpus_copy, sizeof(vcpus_copy)), 0, "the vCPUs unchanged");
	cr_assert_eq(memcmp(spis, spis_copy, sizeof(spis)), 0, "the SPIs unchanged");
}

/* --- Defect 5 (issue 11): a guest write to the pending/active registers
 * for an interrupt held in its own vCPU's LR, emulated on the trap path
 * (the LR still live in hardware), must not be undone by the fold at the
 * next exit. After each write the LR in hardware already reflects it (the
 * guest may resume without an exit), and a save/restore (minihyp's
 * refresh after an emulated write) keeps it. */

/* LR state bits (IHI 0069 ch. 12, ICH_LR<n>_EL2: State [63:62], 0b01
 * pending, 0b10 active; IHI 0048B 5.3, GICH_LRn: State [29:28]). */
static uint64_t spec_pending(void)
{
	return is_v2_hw ? SPEC_GICH_LR_PENDING : SPEC_ICH_LR_PENDING;
}

static uint64_t spec_active(void)
{
	return is_v2_hw ? SPEC_GICH_LR_ACTIVE : SPEC_ICH_LR_ACTIVE;
}

static uint32_t dist_r(struct hyp_vgic_vcpu *v, uint64_t off)
{
	uint64_t val = 0;

	cr_assert_eq(hyp_vgic_dist_access(&vm, v, off, 4, false, &val), HYP_VGIC_MMIO_DONE);
	return (uint32_t)val;
}

static void refresh_vcpu0(void)
{
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
}

static void lr_pend_active_writes(bool v2)
{
	/* SPI 40: word 1, bit 8 of the bit-per-interrupt registers. */
	const uint32_t bit = 1u << 8;

	boot(v2);
	vm_setup(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 2);
	guest_enable_dist();
	guest_enable_spi(40, 0xa0);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 40, false), 0); /* edge */
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);

	/* 1. ICPENDR of a pending LR: the pending state is gone for good. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert(lr_get(0) & spec_pending());
	cr_assert_eq(dist_r(&vcpus[0], 0x204), bit, "ISPENDR1 reads the LR's pending state");
	reset_counts();
	dist_w(&vcpus[0], 0x284, 4, bit); /* GICD_ICPENDR1 */
	cr_assert_not(lr_get(0) & (spec_pending() | spec_active()),
		      "the live LR no longer pending: %#llx", (unsigned long long)lr_get(0));
	cr_assert_eq(gic_reads(), 1, "one LR read");
	cr_assert_eq(gic_writes(), 1, "one LR write");
	refresh_vcpu0();
	cr_assert_eq(dist_r(&vcpus[0], 0x204), 0, "ISPENDR1: not pending after the exit");
	cr_assert_eq(vcpus[0].used_lrs, 0, "not presented again");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);

	/* 2. ICACTIVER of an active LR (acknowledged, not deactivated). */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(guest_ack(), 0);
	cr_assert_eq(dist_r(&vcpus[0], 0x304), bit, "ISACTIVER1 reads the LR's active state");
	dist_w(&vcpus[0], 0x384, 4, bit); /* GICD_ICACTIVER1 */
	cr_assert_not(lr_get(0) & spec_active(), "the live LR no longer active");
	refresh_vcpu0();
	cr_assert_not(spis[8].active, "inactive after the exit");
	cr_assert_eq(dist_r(&vcpus[0], 0x304), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);

	/* 3. ISACTIVER of a pending LR: active and pending. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	dist_w(&vcpus[0], 0x304, 4, bit); /* GICD_ISACTIVER1 */
	cr_assert_eq(lr_get(0) & (spec_pending() | spec_active()), spec_pending() | spec_active());
	refresh_vcpu0();
	cr_assert(spis[8].active, "active after the exit");
	cr_assert_eq(lr_get(0) & (spec_pending() | spec_active()), spec_pending() | spec_active());
	/* ICACTIVER + ICPENDR: nothing left at all. */
	dist_w(&vcpus[0], 0x384, 4, bit);
	dist_w(&vcpus[0], 0x284, 4, bit);
	cr_assert_eq(lr_get(0), 0, "the LR emptied");
	refresh_vcpu0();
	cr_assert_not(spis[8].active);
	cr_assert_eq(dist_r(&vcpus[0], 0x204), 0);
	cr_assert_eq(vcpus[0].used_lrs, 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);

	/* 4. ISPENDR of an active LR: active and pending, kept at the exit. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(guest_ack(), 0);
	dist_w(&vcpus[0], 0x204, 4, bit); /* GICD_ISPENDR1 */
	cr_assert_eq(lr_get(0) & (spec_pending() | spec_active()), spec_pending() | spec_active());
	refresh_vcpu0();
	cr_assert_eq(lr_get(0) & (spec_pending() | spec_active()), spec_pending() | spec_active());
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

Test(vgic_lrsync, own_lr_pend_active_writes_v3)
{
	lr_pend_active_writes(false);
}

Test(vgic_lrsync, own_lr_pend_active_writes_v2)
{
	lr_pend_active_writes(true);
}

/* GICv3 redistributor: GICR_ICPENDR0 / ICACTIVER0 of a PPI in the
 * accessor's own LR (SGI_base + 0x280 / 0x380). */
Test(vgic_lrsync, own_lr_gicr_icpendr0_icactiver0)
{
	uint64_t v;

	boot(false);
	vm_setup(HYP_VGIC_MODEL_V3, 2);
	guest_enable_dist();
	v = 1u << 20;
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x10100, 4, true, &v), 0);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, &vcpus[0], 20, false), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, &vcpus[0], 20), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0) & 0x3ff, 20);
	v = 1u << 20;
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x10280, 4, true, &v), 0);
	cr_assert_not(lr_get(0) & spec_pending());
	refresh_vcpu0();
	cr_assert_not(vcpus[0].priv[20].latch);
	cr_assert_eq(vcpus[0].used_lrs, 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);

	cr_assert_eq(hyp_vgic_irq_raise(&vm, &vcpus[0], 20), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(guest_ack(), 0);
	/* vCPU 1 writing vCPU 0's redistributor does not touch vCPU 0's
	 * LRs (they are not this CPU's): no LR access at all. */
	reset_counts();
	v = 1u << 20;
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[1], 0x10300, 4, true, &v), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
	/* vCPU 0 itself: ICACTIVER0. */
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x10380, 4, true, &v), 0);
	cr_assert_not(lr_get(0) & spec_active());
	refresh_vcpu0();
	cr_assert_not(vcpus[0].priv[20].active);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* GICv2: GICD_CPENDSGIR of an SGI source held in the accessor's LR. */
Test(vgic_lrsync, own_lr_v2_cpendsgir)
{
	boot(true);
	vm_setup(HYP_VGIC_MODEL_V2, 3);
	guest_enable_dist();
	dist_w(&vcpus[1], 0xf00, 4, 1u << 16 | 3); /* vCPU 1: SGI 3 to vCPU 0 */
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	/* GICH_LRn: VirtualID 3, CPUID [12:10] = 1, pending [28]. */
	cr_assert_eq(lr_get(0), 3u | 1u << 10 | 1u << 28);
	/* CPENDSGIR0: byte 3 (SGI 3), bit 1 (source CPU 1). */
	cr_assert_eq(dist_r(&vcpus[0], 0xf10), 1u << 25, "CPENDSGIR0: SGI 3 from CPU 1");
	dist_w(&vcpus[0], 0xf10, 4, 1u << 25); /* clear SGI 3, source 1 */
	cr_assert_eq(lr_get(0), 0, "the LR emptied");
	refresh_vcpu0();
	cr_assert_eq(vcpus[0].priv[3].sources, 0, "not pending after the exit");
	cr_assert_eq(vcpus[0].used_lrs, 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* The same writes for an interrupt held in the LR of a vCPU running on
 * another CPU: its LRs are out of reach, so it is kicked, and its fold
 * applies the write over its stale LR. */
Test(vgic_lrsync, other_vcpu_lr_pend_active_writes)
{
	const uint32_t bit = 1u << 8; /* SPI 40 */
	uint64_t v;

	boot(false);
	vm_setup_ops(HYP_VGIC_MODEL_V3, 2, &kick_ops, NULL, false);
	locks = unlocks = 0;
	memset(kicks, 0, sizeof(kicks));
	guest_enable_dist();
	guest_enable_spi(40, 0xa0);
	dist_w(&vcpus[0], 0x6000 + 8 * 40, 8, vcpus[1].mpidr); /* to vCPU 1 */
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 40, false), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	cr_assert(lr_get(0) & spec_pending(), "pending in vCPU 1's LR");

	/* vCPU 0 (on its own CPU, whose LRs these are not) clears it. */
	memset(kicks, 0, sizeof(kicks));
	reset_counts();
	dist_w(&vcpus[0], 0x284, 4, bit);
	cr_assert_eq(hyp_sim_total(&sim), 0, "no access to another CPU's LRs");
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1, "the holder is made to exit");
	cr_assert_eq(kicked, &vcpus[1]);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_not(spis[8].latch, "ICPENDR kept over the stale LR");
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	cr_assert_eq(vcpus[1].used_lrs, 0, "not presented again");
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);

	/* ISACTIVER while it is pending in vCPU 1's LR, then ICACTIVER of the
	 * active one after vCPU 1 acknowledged it. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	dist_w(&vcpus[0], 0x304, 4, bit);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert(spis[8].active, "ISACTIVER kept over the stale LR");
	cr_assert(spis[8].latch, "and still pending");
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	cr_assert_eq(lr_get(0) & (spec_pending() | spec_active()), spec_pending() | spec_active());
	cr_assert_eq(guest_ack(), -1, "active and pending: nothing to acknowledge");
	dist_w(&vcpus[0], 0x384, 4, bit);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_not(spis[8].active, "ICACTIVER kept over the stale LR");

	/* vCPU 0 clearing a PPI in vCPU 1's redistributor (GICR_ICPENDR0). */
	v = 1u << 20;
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[1], 0x20000 + 0x10100, 4, true, &v), 0);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, &vcpus[1], 20, false), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, &vcpus[1], 20), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	cr_assert(vcpus[1].priv[20].in_lr);
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x20000 + 0x10280, 4, true, &v), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_not(vcpus[1].priv[20].latch, "GICR_ICPENDR0 kept over the stale LR");
	cr_assert_eq(locks, unlocks);
}

/* The header's layout constants agree with the specifications' literals
 * (test_vgic_env.h, IHI 0069 ch. 12 ICH_LR<n>_EL2 / ICH_HCR_EL2, IHI 0048B
 * 5.3 GICH_LRn / GICH_HCR). */
Test(vgic_spec, lr_and_hcr_constants_match_the_spec)
{
	cr_assert_eq(HYP_ICH_LR_PENDING, SPEC_ICH_LR_PENDING);
	cr_assert_eq(HYP_ICH_LR_ACTIVE, SPEC_ICH_LR_ACTIVE);
	cr_assert_eq(HYP_ICH_LR_HW, SPEC_ICH_LR_HW);
	cr_assert_eq(HYP_ICH_LR_GROUP, SPEC_ICH_LR_GROUP1);
	cr_assert_eq(HYP_ICH_LR_PRIO_SHIFT, SPEC_ICH_LR_PRIO_SHIFT);
	cr_assert_eq(HYP_ICH_LR_PINTID_SHIFT, SPEC_ICH_LR_PINTID_SHIFT);
	cr_assert_eq(HYP_ICH_LR_PINTID_MASK, 0x1fffull << 32);
	cr_assert_eq(HYP_ICH_LR_EOI, SPEC_ICH_LR_EOI);
	cr_assert_eq(HYP_ICH_LR_VINTID_MASK, 0xffffffffull);
	cr_assert_eq(HYP_GICH_LR_PENDING, SPEC_GICH_LR_PENDING);
	cr_assert_eq(HYP_GICH_LR_ACTIVE, SPEC_GICH_LR_ACTIVE);
	cr_assert_eq(HYP_GICH_LR_HW, SPEC_GICH_LR_HW);
	cr_assert_eq(HYP_GICH_LR_GRP1, SPEC_GICH_LR_GRP1);
	cr_assert_eq(HYP_GICH_LR_PRIO_SHIFT, SPEC_GICH_LR_PRIO_SHIFT);
	cr_assert_eq(HYP_GICH_LR_PID_SHIFT, SPEC_GICH_LR_PID_SHIFT);
	cr_assert_eq(HYP_GICH_LR_EOI, SPEC_GICH_LR_EOI);
	cr_assert_eq(HYP_GICH_LR_CPUID_SHIFT, SPEC_GICH_LR_CPUID_SHIFT);
	cr_assert_eq(HYP_GICH_LR_VID_MASK, 0x3ffu);
	cr_assert_eq(HYP_VGIC_HCR_EN, SPEC_HCR_EN);
	cr_assert_eq(HYP_VGIC_HCR_UIE, SPEC_HCR_UIE);
	cr_assert_eq(HYP_VGIC_HCR_LRENPIE, 0x4u);
	cr_assert_eq(HYP_VGIC_HCR_NPIE, SPEC_HCR_NPIE);
	cr_assert_eq(HYP_ICH_HCR_TC, 1u << 10);
	cr_assert_eq(HYP_ICH_HCR_TALL0, 1u << 11);
	cr_assert_eq(HYP_ICH_HCR_TALL1, 1u << 12);
	cr_assert_eq(HYP_ICH_HCR_TDIR, SPEC_HCR_TDIR);
	/* GICH frame offsets (IHI 0048B 5.3, Table 5-1). */
	cr_assert_eq(HYP_GICH_HCR, 0x000u);
	cr_assert_eq(HYP_GICH_VTR, 0x004u);
	cr_assert_eq(HYP_GICH_VMCR, 0x008u);
	cr_assert_eq(HYP_GICH_MISR, 0x010u);
	cr_assert_eq(HYP_GICH_EISR0, 0x020u);
	cr_assert_eq(HYP_GICH_ELRSR0, 0x030u);
	cr_assert_eq(HYP_GICH_APR, 0x0f0u);
	cr_assert_eq(HYP_GICH_LR0, 0x100u);
}

/* A running vCPU whose LR holds an interrupt the guest just disabled (on
 * another vCPU) is made to exit too: its LR still offers it, and only an
 * exit prunes it. */
Test(vgic_kick, disable_of_an_interrupt_in_a_running_lr_kicks)
{
	boot(false);
	vm_setup_ops(HYP_VGIC_MODEL_V3, 2, &kick_ops, NULL, false);
	locks = unlocks = 0;
	guest_enable_dist();
	guest_enable_spi(40, 0xa0);
	dist_w(&vcpus[0], 0x6000 + 8 * 40, 8, vcpus[1].mpidr);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 40, false), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	memset(kicks, 0, sizeof(kicks));
	dist_w(&vcpus[0], 0x184, 4, 1u << 8); /* GICD_ICENABLER1: SPI 40 */
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1);
	cr_assert_eq(kicked, &vcpus[1]);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	cr_assert_eq(vcpus[1].used_lrs, 0, "disabled: no longer offered");
	cr_assert(spis[8].latch, "still pending in the distributor");
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
}

/* --- Issue 13, item 4: an interrupt a fast-path handler makes pending for
 * its own running vCPU is in an LR before the guest resumes, by one LR
 * write (not a fold and refill of every LR), with no kick. */

static unsigned local_calls;

static bool local_fn(const struct hyp_vgic_vcpu *v, void *ctx)
{
	(void)ctx;
	local_calls++;
	cr_assert_eq(locks, unlocks + 1, "local runs with the lock held");
	return v == &vcpus[0]; /* this "CPU" runs vCPU 0 */
}

static const struct hyp_vgic_ops local_ops = {
    .lock = lock_fn, .unlock = unlock_fn, .kick = kick_fn, .local = local_fn};

/* The guest on vCPU 0 sends itself SGI @sgi: ICC_SGI1R_EL1 with TargetList
 * {Aff0 0} (IHI 0069 ch. 12), or GICD_SGIR with TargetListFilter 0b10,
 * "this CPU only", [25:24] (IHI 0048B 4.3.15). */
static void self_sgi(bool v2, unsigned sgi)
{
	if (v2)
		dist_w(&vcpus[0], 0xf00, 4, 2u << 24 | sgi);
	else
		cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], sgi, 1u << 0, true), 1);
}

/* Accesses to the LRs (reads, writes), the APRs and ELRSR since the last
 * reset, by register (GICv3) or offset (GICv2: GICH_APR 0xf0, GICH_ELRSR0
 * 0x30, GICH_LR0 0x100, IHI 0048B 5.3). */
static unsigned lr_reads(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sim.log_len; i++) {
		const struct hyp_sim_event *e = &sim.log[i];

		if (is_v2_hw ? e->kind == HYP_SIM_MMIO_READ && e->addr >= GICH_BASE + 0x100 &&
				   e->addr < GICH_BASE + 0x100 + 4 * hw.nr_lrs
			     : e->kind == HYP_SIM_SYSREG_READ && e->enc >= lr_enc(0) &&
				   e->enc <= lr_enc(hw.nr_lrs - 1))
			n++;
	}
	return n;
}

static unsigned accesses_to(uint16_t v3_enc, uint64_t v2_off)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sim.log_len; i++) {
		const struct hyp_sim_event *e = &sim.log[i];

		if (is_v2_hw ? (e->kind == HYP_SIM_MMIO_READ || e->kind == HYP_SIM_MMIO_WRITE) &&
				   e->addr == GICH_BASE + v2_off
			     : (e->kind == HYP_SIM_SYSREG_READ || e->kind == HYP_SIM_SYSREG_WRITE) &&
				   e->enc == v3_enc)
			n++;
	}
	return n;
}

static unsigned apr_accesses(void)
{
	unsigned n = accesses_to(0, 0xf0);

	if (!is_v2_hw)
		for (unsigned i = 0; i < 4; i++)
			n += accesses_to(ap_enc(false, i), ~0ull) + accesses_to(ap_enc(true, i), ~0ull);
	return n;
}

static void local_setup(bool v2)
{
	boot(v2);
	vm_setup_ops(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 2, &local_ops, NULL, false);
	locks = unlocks = 0;
	memset(kicks, 0, sizeof(kicks));
	guest_enable_dist();
	if (!v2) {
		/* vCPU 0 enables SGIs 0..7 (GICR SGI_base + ISENABLER0). */
		uint64_t v = 0xff;

		cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x10100, 4, true, &v), 0);
	}
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0); /* nothing pending: the guest runs */
	reset_counts();
}

static void self_sgi_same_resume(bool v2)
{
	unsigned log[4];

	local_setup(v2);
	/* Round 1: SGI 3 into LR 0, and ICH_HCR_EL2/GICH_HCR.En (unknown since
	 * the load); nothing read. */
	self_sgi(v2, 3);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 0, "no exit needed");
	cr_assert_eq(gic_reads(), 0);
	cr_assert_eq(gic_writes(), 2, "one LR and the HCR");
	cr_assert(lr_get(0) & st_pending(), "pending in LR 0 before the guest resumes");
	cr_assert_eq(lr_intid(lr_get(0)), 3);
	cr_assert(hw_hcr() & SPEC_HCR_EN);
	cr_assert_eq(apr_accesses(), 0);
	cr_assert_eq(guest_take_all(log, 4), 1);

	/* Round 2: the same SGI again, LR 0 holds it (taken, invalid): ELRSR
	 * (GICH_ELRSR0 at 0x30, IHI 0048B 5.3) is read once and says LR 0
	 * is empty (State 0, EOI 0: IHI 0069 ch. 12, ICH_ELRSR_EL2), so the
	 * LR itself is not read; it is rewritten, nothing else. */
	reset_counts();
	self_sgi(v2, 3);
	cr_assert_eq(lr_reads(), 0, "ELRSR says it is empty: no LR read");
	cr_assert_eq(accesses_to(HYP_SYS_ICH_ELRSR_EL2, 0x30), 1, "one ELRSR read");
	cr_assert_eq(gic_reads(), 1, "ELRSR only");
	cr_assert_eq(gic_writes(), 1, "one LR write");
	cr_assert_eq(apr_accesses(), 0);
	cr_assert(lr_get(0) & st_pending());

	/* Round 3: another SGI while 3 is still pending: LR 1, one write. */
	reset_counts();
	self_sgi(v2, 5);
	cr_assert_eq(gic_reads(), 0);
	cr_assert_eq(gic_writes(), 1);
	cr_assert_eq(lr_intid(lr_get(1)), 5);
	cr_assert(lr_get(1) & st_pending());
	cr_assert_eq(guest_take_all(log, 4), 2);
	cr_assert_eq(log[0], 3);
	cr_assert_eq(log[1], 5);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 0);
	cr_assert_eq(vcpus[0].lr_injected, 3);

	/* The exit folds both LRs: nothing left pending. */
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_not(hyp_vgic_vcpu_pending(&vcpus[0]));
	cr_assert_eq(locks, unlocks);
}

Test(vgic_local, self_sgi_same_resume_v3)
{
	self_sgi_same_resume(false);
}

Test(vgic_local, self_sgi_same_resume_v2)
{
	self_sgi_same_resume(true);
}

/* No free LR, or interrupts waiting for one: no LR is touched, the vCPU
 * is marked, and hyp_vgic_refresh() folds and refills in priority order. */
static void full_lrs_refresh(bool v2)
{
	unsigned log[8];

	local_setup(v2);
	for (unsigned s = 0; s < 4; s++)
		self_sgi(v2, s);
	cr_assert_eq(vcpus[0].used_lrs, 0xf);
	cr_assert_not(vcpus[0].refresh);
	reset_counts();
	self_sgi(v2, 4);
	cr_assert_eq(accesses_to(HYP_SYS_ICH_ELRSR_EL2, 0x30), 1, "is one LR empty?");
	cr_assert_eq(gic_reads(), 1, "ELRSR only: every LR still pending");
	cr_assert_eq(gic_writes(), 0, "LRs full: nothing written");
	cr_assert(vcpus[0].refresh);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 0);
	cr_assert_eq(hyp_vgic_refresh(&vcpus[0]), 0);
	cr_assert_not(vcpus[0].refresh);
	cr_assert(hw_hcr() & SPEC_HCR_UIE, "5 interrupts, 4 LRs: underflow maintenance");
	/* The guest takes two; the next SGI may not take a free LR while
	 * SGI 4 still waits for one. */
	cr_assert(guest_ack() >= 0);
	reset_counts();
	self_sgi(v2, 6);
	cr_assert_eq(gic_reads() + gic_writes(), 0);
	cr_assert(vcpus[0].refresh);
	cr_assert_eq(hyp_vgic_refresh(&vcpus[0]), 0);
	/* Nothing marked: refresh costs nothing. */
	reset_counts();
	cr_assert_eq(hyp_vgic_refresh(&vcpus[0]), 0);
	cr_assert_eq(gic_reads() + gic_writes(), 0);
	/* Everything arrives, highest priority (equal: lowest INTID) first. */
	unsigned got = guest_take_all(log, 8);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	got += guest_take_all(log, 8);
	cr_assert_eq(got, 6 - 1, "SGIs 0..4 and 6, one already acknowledged");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_refresh(&vcpus[0]), HYP_ESTATE, "not in the guest");
}

Test(vgic_local, full_lrs_refresh_v3)
{
	full_lrs_refresh(false);
}

Test(vgic_local, full_lrs_refresh_v2)
{
	full_lrs_refresh(true);
}

/* Another vCPU (not local): a kick, as before. */
Test(vgic_local, other_vcpu_is_kicked)
{
	local_setup(false);
	cr_assert_eq(hyp_vgic_load(&vcpus[1]), 0);
	{
		uint64_t v = 0xff;

		cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[1], 0x20000 + 0x10100, 4, true, &v),
			     0);
	}
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], 2, 1u << 1, true), 1);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1);
	cr_assert_eq(kicked, &vcpus[1]);
	cr_assert_eq(gic_reads() + gic_writes(), 0, "its LRs are another CPU's");
}

/* An interrupt in a live LR disabled by its own vCPU's trap: no kick, the
 * vCPU is marked, hyp_vgic_refresh() takes it out of the LR. */
Test(vgic_local, disable_in_lr_marks_for_refresh)
{
	uint64_t v = 1u << 3;

	local_setup(false);
	self_sgi(false, 3);
	cr_assert(lr_get(0) & st_pending());
	/* GICR SGI_base + ICENABLER0 (IHI 0069 ch. 12: 0x0180). */
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x10180, 4, true, &v), 0);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 0);
	cr_assert(vcpus[0].refresh);
	cr_assert_eq(hyp_vgic_refresh(&vcpus[0]), 0);
	cr_assert_not(lr_get(0) & st_pending(), "a disabled interrupt is not offered");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* --- Issue 14, item 4: the incremental path. Every LR in use, the guest
 * done with one of them: a new interrupt takes that LR after one ELRSR
 * read (IHI 0069 ch. 12, ICH_ELRSR_EL2: bit n set when LR n has State 0
 * and HW 1 or EOI 0; IHI 0048B 5.3, GICH_ELRSR0 at 0x30), with one LR
 * write: no LR read, no full fold and refill, no refresh. */
static void full_lrs_reuse_an_empty_one(bool v2)
{
	unsigned log[8];
	int taken;

	local_setup(v2);
	for (unsigned s = 0; s < 4; s++)
		self_sgi(v2, s);
	cr_assert_eq(vcpus[0].used_lrs, 0xf);
	/* The guest acknowledges and deactivates one (EOImode 0). */
	taken = guest_ack();
	cr_assert(taken >= 0);
	guest_eoi(taken);
	reset_counts();
	self_sgi(v2, 6);
	cr_assert_eq(accesses_to(HYP_SYS_ICH_ELRSR_EL2, 0x30), 1, "one ELRSR read");
	cr_assert_eq(lr_reads(), 0, "no LR read");
	cr_assert_eq(gic_reads(), 1);
	cr_assert_eq(gic_writes(), 1, "one LR write");
	cr_assert_eq(apr_accesses(), 0);
	cr_assert_not(vcpus[0].refresh, "no full path needed");
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 0);
	cr_assert_eq(lr_intid(lr_get((unsigned)taken)), 6, "the emptied LR");
	cr_assert(lr_get((unsigned)taken) & st_pending());
	/* The three left and the new one arrive; the one taken does not
	 * come again. */
	cr_assert_eq(guest_take_all(log, 8), 4);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_not(hyp_vgic_vcpu_pending(&vcpus[0]));
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(vcpus[0].used_lrs, 0, "nothing presented again");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(locks, unlocks);
}

Test(vgic_local, full_lrs_reuse_an_empty_one_v3)
{
	full_lrs_reuse_an_empty_one(false);
}

Test(vgic_local, full_lrs_reuse_an_empty_one_v2)
{
	full_lrs_reuse_an_empty_one(true);
}

/* An LR the guest still holds (acknowledged, not deactivated: active)
 * is read back before it is rewritten: ELRSR does not list it. */
static void own_lr_still_active_is_read(bool v2)
{
	local_setup(v2);
	self_sgi(v2, 3);
	cr_assert_eq(guest_ack(), 0);
	reset_counts();
	self_sgi(v2, 3);
	cr_assert_eq(accesses_to(HYP_SYS_ICH_ELRSR_EL2, 0x30), 1);
	cr_assert_eq(lr_reads(), 1, "not empty: read back");
	cr_assert_eq(gic_writes(), 1);
	cr_assert(lr_get(0) & st_active(), "still active");
	if (v2)
		/* GICv2: the same source again waits for the EOI of the one
		 * active (one LR per SGI; IHI 0048B 5.3, GICH_LRn CPUID):
		 * the LR asks for an EOI maintenance interrupt. */
		cr_assert(lr_eoi(lr_get(0)));
	else
		cr_assert(lr_get(0) & st_pending(), "and pending again (active and pending)");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

Test(vgic_local, own_lr_still_active_is_read_v3)
{
	own_lr_still_active_is_read(false);
}

Test(vgic_local, own_lr_still_active_is_read_v2)
{
	own_lr_still_active_is_read(true);
}

/* A GICv3 self-SGI through the trap handler: its sender is the trapping
 * vCPU, which runs on this CPU: the integrator's local hook is not asked,
 * the SGI goes into an LR at once. ICC_SGI1R_EL1 (IHI 0069 ch. 12): INTID
 * [27:24] = 3, Aff1 [23:16] = 0, TargetList [15:0] = {Aff0 0}. */
Test(vgic_local, self_sgi_trap_asks_no_hook)
{
	struct hyp_sysreg_vcpu sr[2];
	struct hyp_sysreg_access a = {.enc = HYP_SYS_ICC_SGI1R_EL1, .read = false,
				      .val = 3ull << 24 | 1u};

	local_setup(false);
	memset(sr, 0, sizeof(sr));
	cr_assert_eq(hyp_vgic_vcpu_bind_sysreg(&vcpus[0], &sr[0]), 0);
	cr_assert_eq(hyp_vgic_vcpu_bind_sysreg(&vcpus[1], &sr[1]), 0);
	local_calls = 0;
	reset_counts();
	cr_assert_eq(hyp_vgic_sgi_trap(&sr[0], &a, &vm), HYP_SYSREG_HANDLED);
	cr_assert_eq(local_calls, 0, "the sender runs here: no hook call");
	cr_assert_eq(lr_intid(lr_get(0)), 3);
	cr_assert(lr_get(0) & st_pending());
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 0);
	cr_assert_eq(locks, unlocks);
	/* To vCPU 1 (not running): queued, the hook decides as before. */
	a.val = 4ull << 24 | 2u;
	cr_assert_eq(hyp_vgic_sgi_trap(&sr[0], &a, &vm), HYP_SYSREG_HANDLED);
	cr_assert(vcpus[1].priv[4].latch);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* The same with GICD_SGIR's TargetListFilter 0b00 and CPUTargetList
 * naming the sender alone (IHI 0048B 4.3.15: [23:16] = 0x01). */
Test(vgic_local, self_sgi_sgir_list_asks_no_hook)
{
	local_setup(true);
	local_calls = 0;
	reset_counts();
	dist_w(&vcpus[0], 0xf00, 4, 1u << 16 | 5);
	cr_assert_eq(local_calls, 0);
	cr_assert_eq(lr_intid(lr_get(0)), 5);
	cr_assert(lr_get(0) & st_pending());
	cr_assert_eq(gic_writes(), 2, "one LR and the HCR");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* --- Issue 14: ICC_SGI1R_EL1 & co through hyp_vgic_sgi_direct(), the
 * direct-handler form a dispatcher's cached hit tail-calls (Xt by
 * pointer, the instruction completed by the handler). */

#include <libhyp/sysreg_bridge.h>
#include <libhyp/world_switch.h>

/* ESR_EL2 of a trapped MSR/MRS (Arm ARM D24.2.46, EC 0x18): EC [31:26] =
 * 0x18, IL [25], ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10],
 * Rt [9:5], CRm [4:1], Direction [0] (1: MRS). ICC_SGI1R_EL1 is op0 3,
 * op1 0, CRn 12, CRm 11, op2 5; ICC_ASGI1R_EL1 op2 6; ICC_SGI0R_EL1 op2 7
 * (IHI 0069 ch. 12). */
static uint64_t sgi_esr(unsigned op2, unsigned rt, bool read)
{
	return 0x18ull << 26 | 1ull << 25 | 3ull << 20 | (uint64_t)op2 << 17 | 0ull << 14 |
	       12ull << 10 | (uint64_t)rt << 5 | 11ull << 1 | (read ? 1u : 0u);
}

static struct hyp_fast_table direct_ft;
static struct hyp_vcpu direct_v;
static struct hyp_sysreg_vcpu direct_sr;

/* The hooks minihyp has for a one-vCPU VM: no lock. */
static bool nolock_local_fn(const struct hyp_vgic_vcpu *v, void *ctx)
{
	(void)ctx;
	local_calls++;
	return v == &vcpus[0]; /* this "CPU" runs vCPU 0 */
}

static const struct hyp_vgic_ops nolock_local_ops = {.kick = kick_fn, .local = nolock_local_fn};

/* vCPU 0 of a two-vCPU GICv3 VM in the guest on this CPU, as the switch's
 * vCPU (not live: the skip moves the saved PC, no register touched). */
static void direct_setup(const struct hyp_vgic_ops *ops)
{
	uint64_t en = 0xff;

	boot(false);
	vm_setup_ops(HYP_VGIC_MODEL_V3, 2, ops, NULL, false);
	locks = unlocks = 0;
	memset(kicks, 0, sizeof(kicks));
	guest_enable_dist();
	/* vCPU 0 enables SGIs 0..7 (GICR SGI_base + ISENABLER0). */
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x10100, 4, true, &en), 0);
	hyp_fast_table_init(&direct_ft);
	cr_assert_eq(hyp_vcpu_init(&direct_v, HYP_HCR_RW, &direct_ft), 0);
	cr_assert_eq(hyp_vcpu_attach_vgic(&direct_v, &vcpus[0]), 0);
	memset(&direct_sr, 0, sizeof(direct_sr));
	cr_assert_eq(hyp_vgic_vcpu_bind_sysreg(&vcpus[0], &direct_sr), 0);
	direct_v.sysreg = &direct_sr;
	direct_v.regs.pc = 0x1000;
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	reset_counts();
}

/* The guest's MSR ICC_SGI1R_EL1 (op2 5), X2 = @val. */
static int direct_msr(unsigned op2, uint64_t val)
{
	direct_v.regs.x[2] = val;
	return hyp_vgic_sgi_direct(&direct_v, sgi_esr(op2, 2, false), &direct_v.regs.x[2], NULL);
}

/* ICC_SGI1R_EL1: INTID [27:24], TargetList [15:0] = {Aff0 0}: vCPU 0. */
#define SELF_SGI(n) ((uint64_t)(n) << 24 | 1u)

static void direct_self_sgi_rounds(const struct hyp_vgic_ops *ops)
{
	unsigned log[4];

	direct_setup(ops);
	/* Round 1: not in an LR yet: the general path, LR 0 and the HCR. */
	cr_assert_eq(direct_msr(5, SELF_SGI(3)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_v.regs.pc, 0x1004, "the MSR completed");
	cr_assert_eq(gic_reads(), 0);
	cr_assert_eq(gic_writes(), 2, "one LR and the HCR");
	cr_assert_eq(lr_intid(lr_get(0)), 3);
	cr_assert(lr_get(0) & st_pending());
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 0);
	cr_assert_eq(guest_take_all(log, 4), 1);

	/* Round 2: LR 0 holds it, taken and deactivated: ELRSR (read once)
	 * lists it, the LR is rewritten without being read. */
	reset_counts();
	cr_assert_eq(direct_msr(5, SELF_SGI(3)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_v.regs.pc, 0x1008);
	cr_assert_eq(accesses_to(HYP_SYS_ICH_ELRSR_EL2, 0), 1, "one ELRSR read");
	cr_assert_eq(gic_reads(), 1, "ELRSR only");
	cr_assert_eq(gic_writes(), 1, "one LR write");
	/* ICH_LR<n>_EL2: pending, Group 1 (the reset group of a GICv3
	 * guest's SGI), priority 0, vINTID 3, no HW, no EOI. */
	cr_assert_eq(lr_get(0), SPEC_ICH_LR_PENDING | SPEC_ICH_LR_GROUP1 | 3u);
	cr_assert_eq(vcpus[0].lr_injected, 2);
	cr_assert_eq(vm.stats.sgis, 2);
	cr_assert_not(vcpus[0].priv[3].latch, "the edge lives in the LR");
	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(log[0], 3);

	/* The exit folds it: nothing left. */
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_not(hyp_vgic_vcpu_pending(&vcpus[0]));
	cr_assert_eq(locks, unlocks);
}

Test(vgic_direct, self_sgi_inline)
{
	direct_self_sgi_rounds(&nolock_local_ops);
	cr_assert_eq(locks, 0, "no lock hooks");
}

Test(vgic_direct, self_sgi_with_lock_hooks_same_result)
{
	direct_self_sgi_rounds(&local_ops);
	cr_assert_gt(locks, 0, "the general path, under the lock");
}

/* The inline path with the SGI in an LR other than 0 (another interrupt
 * holds LR 0): the write goes to that LR alone, ICH_LR1_EL2 (GICv3
 * ICH_LR<n>_EL2: op0 3, op1 4, CRn 12, CRm 12 + n / 8, op2 n % 8; IHI 0069
 * 12.4.6), LR 0 untouched. */
Test(vgic_direct, self_sgi_inline_in_lr1)
{
	unsigned log[4];

	direct_setup(&nolock_local_ops);
	cr_assert_eq(direct_msr(5, SELF_SGI(3)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_msr(5, SELF_SGI(5)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(lr_intid(lr_get(0)), 3);
	cr_assert_eq(lr_intid(lr_get(1)), 5);
	cr_assert_eq(guest_take_all(log, 4), 2);
	reset_counts();
	cr_assert_eq(direct_msr(5, SELF_SGI(5)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_v.regs.pc, 0x100c);
	cr_assert_eq(gic_reads(), 1, "ELRSR only");
	cr_assert_eq(gic_writes(), 1, "one LR write");
	cr_assert_eq(accesses_to(HYP_SYSREG_ENC(3, 4, 12, 12, 1), 0), 1, "ICH_LR1_EL2");
	cr_assert_eq(accesses_to(HYP_SYSREG_ENC(3, 4, 12, 12, 0), 0), 0, "not ICH_LR0_EL2");
	cr_assert_eq(lr_get(1), SPEC_ICH_LR_PENDING | SPEC_ICH_LR_GROUP1 | 5u);
	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(log[0], 5);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* The guest took the SGI but has not deactivated it: ELRSR does not list
 * LR 0; it is read back (once: ELRSR is not read again) and rewritten
 * active and pending. */
Test(vgic_direct, self_sgi_lr_still_active_is_read)
{
	direct_setup(&nolock_local_ops);
	cr_assert_eq(direct_msr(5, SELF_SGI(3)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(guest_ack(), 0);
	reset_counts();
	cr_assert_eq(direct_msr(5, SELF_SGI(3)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(accesses_to(HYP_SYS_ICH_ELRSR_EL2, 0), 1);
	cr_assert_eq(lr_reads(), 1, "not empty: read back");
	cr_assert_eq(gic_writes(), 1);
	cr_assert(lr_get(0) & st_active(), "still active");
	cr_assert(lr_get(0) & st_pending(), "and pending again");
	cr_assert_eq(direct_v.regs.pc, 0x1008);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* ICC_ASGI1R_EL1 and ICC_SGI0R_EL1 reach Group 0 SGIs only (IHI 0069
 * ch. 12): a Group 1 SGI (the reset group) is not generated, the write
 * completes, nothing is touched. */
Test(vgic_direct, group0_registers_ignore_a_group1_sgi)
{
	direct_setup(&nolock_local_ops);
	cr_assert_eq(direct_msr(6, SELF_SGI(3)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_msr(7, SELF_SGI(3)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_v.regs.pc, 0x1008);
	cr_assert_eq(gic_reads() + gic_writes(), 0);
	cr_assert_not(vcpus[0].priv[3].latch);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* An SGI in a disabled group (GICD_CTLR.EnableGrp1 clear, after it sat
 * in LR 0 once): pending in the distributor, no LR written by the SGI. */
Test(vgic_direct, self_sgi_group_disabled_not_presented)
{
	unsigned log[4];
	uint64_t ctlr = 0;

	direct_setup(&nolock_local_ops);
	cr_assert_eq(direct_msr(5, SELF_SGI(3)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(hyp_vgic_dist_access(&vm, &vcpus[0], 0, 4, true, &ctlr), 0);
	reset_counts();
	cr_assert_eq(direct_msr(5, SELF_SGI(3)), HYP_FAST_RESUME_X0_X18);
	cr_assert(vcpus[0].priv[3].latch, "pending");
	cr_assert_eq(gic_writes(), 0, "not presented");
	cr_assert_not(lr_get(0) & st_pending());
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* To vCPU 1 (TargetList {Aff0 1}): queued there and kicked, nothing of
 * this CPU's interface touched. */
Test(vgic_direct, sgi_to_another_vcpu_kicks)
{
	direct_setup(&nolock_local_ops);
	cr_assert_eq(direct_msr(5, 4ull << 24 | 2u), HYP_FAST_RESUME_X0_X18);
	cr_assert(vcpus[1].priv[4].latch);
	cr_assert_eq(gic_reads() + gic_writes(), 0);
	cr_assert_eq(direct_v.regs.pc, 0x1004);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* Bad input: an MRS of the write-only register is UNDEFINED (the PC does
 * not just move on); a vCPU with no vGIC attached or bound leaves the
 * access to the run loop, untouched. */
Test(vgic_direct, read_undef_and_no_requester_exit)
{
	struct hyp_vcpu bare;

	direct_setup(&nolock_local_ops);
	/* The EL1 registers the injection uses (the vCPU has no sysreg
	 * engine: they are the hardware's). */
	hyp_sim_reg_define(&sim, HYP_SYS_VBAR_EL1, 0x8000);
	hyp_sim_reg_define(&sim, HYP_SYS_ESR_EL1, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ELR_EL1, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL1, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_FAR_EL1, 0);
	direct_v.regs.x[2] = 0;
	cr_assert_eq(hyp_vgic_sgi_direct(&direct_v, sgi_esr(5, 2, true), &direct_v.regs.x[2], NULL),
		     HYP_FAST_RESUME);
	cr_assert_neq(direct_v.regs.pc, 0x1004, "not completed as an access");
	cr_assert_eq(lr_reads() + accesses_to(HYP_SYS_ICH_ELRSR_EL2, 0), 0);
	cr_assert_eq(lr_get(0), 0);
	cr_assert_eq(hyp_vcpu_init(&bare, HYP_HCR_RW, &direct_ft), 0);
	bare.regs.pc = 0x2000;
	bare.regs.x[2] = SELF_SGI(3);
	cr_assert_eq(hyp_vgic_sgi_direct(&bare, sgi_esr(5, 2, false), &bare.regs.x[2], NULL),
		     HYP_FAST_EXIT);
	cr_assert_eq(bare.regs.pc, 0x2000);
	cr_assert_not(vcpus[0].priv[3].latch);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* --- Issue 14: a GICv2 guest's GICD_SGIR write from the data abort's
 * syndrome (hyp_vgic_dabt_sgir()), no instruction decode. */

/* ESR_EL2 of a Data Abort from a lower EL (Arm ARM D24.2.46): EC [31:26]
 * = 0x24, IL [25], ISV [24], SAS [23:22] (0b10: word), SRT [20:16], WnR
 * [6], DFSC [5:0] = 0b000111 (Translation fault, level 3). */
static uint64_t dabt_esr(bool isv, unsigned sas, unsigned srt, bool wnr)
{
	return 0x24ull << 26 | 1ull << 25 | (isv ? 1ull << 24 : 0) | (uint64_t)sas << 22 |
	       (uint64_t)srt << 16 | (wnr ? 1ull << 6 : 0) | 0x07u;
}

/* vCPU 0 of an @nr-vCPU VM of @model (with @ops) on the matching
 * hardware, in the guest; the fault at IPA @ipa: HPFAR_EL2.FIPA [43:4] =
 * IPA[51:12], FAR_EL2[11:0] the page offset (D24.2.76). sgir_setup(): two
 * vCPUs, the hooks minihyp has for a VM without locks. */
static void sgir_setup_ops(uint8_t model, uint64_t ipa, unsigned nr,
			   const struct hyp_vgic_ops *ops)
{
	boot(model == HYP_VGIC_MODEL_V2);
	vm_setup_ops(model, nr, ops, NULL, false);
	memset(kicks, 0, sizeof(kicks));
	guest_enable_dist();
	hyp_fast_table_init(&direct_ft);
	cr_assert_eq(hyp_vcpu_init(&direct_v, HYP_HCR_RW, &direct_ft), 0);
	cr_assert_eq(hyp_vcpu_attach_vgic(&direct_v, &vcpus[0]), 0);
	direct_v.regs.pc = 0x1000;
	hyp_sim_reg_define(&sim, HYP_SYS_HPFAR_EL2, (ipa >> 12) << 4);
	hyp_sim_reg_define(&sim, HYP_SYS_FAR_EL2, 0x7f0000000000ull | (ipa & 0xfff));
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	reset_counts();
}

static void sgir_setup(uint8_t model, uint64_t ipa)
{
	sgir_setup_ops(model, ipa, 2, &nolock_local_ops);
}

/* The guest's STR W2, [GICD_SGIR]: GICD base 0x08000000 + 0xF00. */
static int sgir_store(uint64_t esr, uint32_t val)
{
	direct_v.exit.valid = 0; /* a new exit */
	direct_v.exit.esr = esr;
	direct_v.regs.x[2] = val;
	return hyp_vgic_dabt_sgir(&direct_v, esr);
}

Test(vgic_dabt_sgir, self_sgi_from_the_syndrome)
{
	unsigned log[4];

	sgir_setup(HYP_VGIC_MODEL_V2, 0x08000f00);
	/* GICD_SGIR (IHI 0048B 4.3.15): TargetListFilter [25:24] = 0b10
	 * (this CPU only), SGIINTID [3:0] = 3. */
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 2u << 24 | 3), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_v.regs.pc, 0x1004, "the store completed");
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_HPFAR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_FAR_EL2), 1);
	cr_assert_eq(gic_reads(), 0);
	cr_assert_eq(gic_writes(), 2, "one LR and the HCR");
	/* GICH_LRn (IHI 0048B 5.3): pending [28], CPUID [12:10] = 0 (vCPU 0
	 * sent it), priority 0, Group 0, VirtualID 3. */
	cr_assert_eq(lr_get(0), SPEC_GICH_LR_PENDING | 3u);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 0);
	cr_assert_eq(guest_take_all(log, 4), 1);
	/* Again: LR 0 listed by ELRSR, rewritten, nothing else. */
	reset_counts();
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 2u << 24 | 3), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_v.regs.pc, 0x1008);
	cr_assert_eq(gic_reads(), 1, "ELRSR");
	cr_assert_eq(gic_writes(), 1, "one LR");
	cr_assert_eq(lr_get(0), SPEC_GICH_LR_PENDING | 3u);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* What it does not take is left alone: the PC, the vGIC, the LRs. */
static void sgir_declined(uint8_t model, uint64_t ipa, uint64_t esr)
{
	uint32_t mmio;

	sgir_setup(model, ipa);
	mmio = vm.stats.mmio;
	cr_assert_eq(sgir_store(esr, 2u << 24 | 3), HYP_ENOENT);
	cr_assert_eq(direct_v.regs.pc, 0x1000);
	cr_assert_not(vcpus[0].priv[3].sources || vcpus[0].priv[3].latch);
	cr_assert_eq(gic_reads() + gic_writes(), 0);
	cr_assert_eq(vm.stats.mmio, mmio);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

Test(vgic_dabt_sgir, declines_other_accesses)
{
	sgir_declined(HYP_VGIC_MODEL_V2, 0x08000f00, dabt_esr(true, 2, 2, false)); /* a load */
	sgir_declined(HYP_VGIC_MODEL_V2, 0x08000f00, dabt_esr(false, 2, 2, true)); /* no ISV */
	sgir_declined(HYP_VGIC_MODEL_V2, 0x08000f00, dabt_esr(true, 1, 2, true)); /* halfword */
	sgir_declined(HYP_VGIC_MODEL_V2, 0x08000f04, dabt_esr(true, 2, 2, true)); /* GICD + 0xF04 */
	sgir_declined(HYP_VGIC_MODEL_V2, 0x09000f00, dabt_esr(true, 2, 2, true)); /* another page */
	sgir_declined(HYP_VGIC_MODEL_V3, 0x08000f00, dabt_esr(true, 2, 2, true)); /* a GICv3 VM */
	/* A Permission fault (DFSC 0b001111): HPFAR_EL2 is not the IPA. */
	sgir_declined(HYP_VGIC_MODEL_V2, 0x08000f00, dabt_esr(true, 2, 2, true) | 0x08u);
	sgir_declined(HYP_VGIC_MODEL_V2, 0x08000f00, 0x18ull << 26 | 1ull << 25); /* EC 0x18 */
}

/* The guest acknowledged the last SGI 3 but has not deactivated it: ELRSR
 * (read once) does not list LR 0, which is read back; GICv2 keeps one
 * source per LR (IHI 0048B 5.3, GICH_LRn CPUID): the new request waits,
 * the LR asks for the EOI maintenance interrupt that presents it. */
Test(vgic_dabt_sgir, lr_still_active_is_read_once)
{
	sgir_setup(HYP_VGIC_MODEL_V2, 0x08000f00);
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 2u << 24 | 3), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(guest_ack(), 0);
	reset_counts();
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 2u << 24 | 3), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(accesses_to(0, 0x30), 1, "one ELRSR read");
	cr_assert_eq(lr_reads(), 1, "not empty: read back");
	cr_assert_eq(gic_writes(), 1);
	cr_assert(lr_get(0) & st_active(), "still active");
	cr_assert(lr_eoi(lr_get(0)), "the next source waits for the EOI");
	cr_assert_eq(direct_v.regs.pc, 0x1008);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert(hyp_vgic_vcpu_pending(&vcpus[0]), "the second request is still pending");
}

/* With lock hooks the same store takes the general path, under the lock:
 * the same LR, the same accesses. */
Test(vgic_dabt_sgir, with_lock_hooks_same_result)
{
	unsigned log[4];

	boot(true);
	vm_setup_ops(HYP_VGIC_MODEL_V2, 2, &local_ops, NULL, false);
	locks = unlocks = 0;
	guest_enable_dist();
	hyp_fast_table_init(&direct_ft);
	cr_assert_eq(hyp_vcpu_init(&direct_v, HYP_HCR_RW, &direct_ft), 0);
	cr_assert_eq(hyp_vcpu_attach_vgic(&direct_v, &vcpus[0]), 0);
	direct_v.regs.pc = 0x1000;
	hyp_sim_reg_define(&sim, HYP_SYS_HPFAR_EL2, (0x08000f00ull >> 12) << 4);
	hyp_sim_reg_define(&sim, HYP_SYS_FAR_EL2, 0xf00);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 2u << 24 | 3), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(guest_take_all(log, 4), 1);
	locks = unlocks = 0;
	reset_counts();
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 2u << 24 | 3), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(gic_reads(), 1, "ELRSR");
	cr_assert_eq(gic_writes(), 1, "one LR");
	cr_assert_eq(lr_get(0), SPEC_GICH_LR_PENDING | 3u);
	cr_assert_eq(locks, 1);
	cr_assert_eq(unlocks, 1);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* --- A forwarded (HW-mapped) level SPI, as minihyp forwards a device's
 * interrupt (issue 15): the physical SPI stays active at EL2 (priority
 * drop only) until the guest deactivates the virtual one through the HW
 * LR. The LR values are literals from the specifications:
 * ICH_LR<n>_EL2 (IHI 0069 ch. 12): State [63:62], HW [61], Group [60],
 * Priority [55:48], pINTID [44:32], vINTID [31:0];
 * GICH_LRn (IHI 0048B 5.3): HW [31], Grp1 [30], State [29:28], Priority
 * [27:23] (priority[7:3]), PhysicalID [19:10], VirtualID [9:0]. */

/* SPI 40, pINTID 40, priority 0xa0. GICv3 guest: Group 1. */
#define FWD_V3_PENDING 0x70a0002800000028ull /* pending, HW, Group 1 */
#define FWD_V3_ACTIVE  0xb0a0002800000028ull /* active, HW, Group 1 */
/* GICv2 guest: Group 0; priority 0xa0 >> 3 = 0x14 at [27:23]. */
#define FWD_V2_PENDING 0x9a00a028ull /* HW, pending, PhysicalID 40, VirtualID 40 */
#define FWD_V2_ACTIVE  0xaa00a028ull /* HW, active, PhysicalID 40, VirtualID 40 */

static void fwd_setup(bool v2, const struct hyp_vgic_ops *ops)
{
	boot(v2);
	vm_setup_ops(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 2, ops, NULL, false);
	guest_enable_dist();
	guest_enable_spi(40, 0xa0);
	cr_assert_eq(hyp_vgic_irq_map_hw(&vm, NULL, 40, 40), 0);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 40, true), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
}

/* Taken, left active across an exit, raised again while the guest holds it
 * active (a second physical firing taken on another CPU: QEMU 7.2's GICv2
 * keeps an SPI's active state per CPU interface), put and load,
 * deactivated, then the second firing presented, never pending+active. */
static void fwd_level_spi(bool v2)
{
	const uint64_t pend = v2 ? FWD_V2_PENDING : FWD_V3_PENDING;
	const uint64_t act = v2 ? FWD_V2_ACTIVE : FWD_V3_ACTIVE;

	fwd_setup(v2, NULL);
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0), pend, "LR0 %#llx", (unsigned long long)lr_get(0));
	cr_assert_eq(vcpus[0].eoi_lrs, 0, "HW = 1: no EOI maintenance (bit 41 / 19 is pINTID)");
	cr_assert_eq(gic_writes(), 2, "LR0 and the HCR (En)");
	cr_assert_eq(gic_reads(), 0);

	/* The guest acknowledges it and exits before deactivating it. */
	cr_assert_eq(guest_ack(), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 2, "ELRSR, then LR0 (not empty: active)");
	cr_assert_eq(gic_writes(), 1, "LR0 wiped");
	cr_assert(spis[8].active);
	cr_assert_not(spis[8].latch);

	/* Raised again while active and in no LR: kept (an edge dropped here
	 * was lost for good), not presented until the deactivation. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert(spis[8].latch, "raised again while active: kept");

	/* Put and load keep it active. */
	cr_assert_eq(hyp_vgic_put(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0), act, "active only, never pending+active: LR0 %#llx",
		     (unsigned long long)lr_get(0));
	cr_assert_eq(gic_writes(), 2, "LR0 and the HCR (unknown after load)");

	/* The guest deactivates it (EOI): the hardware deactivates pINTID. */
	guest_eoi(0);
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(gic_reads(), 1, "ELRSR only: State 0 with HW 1 is empty");
	cr_assert_eq(gic_writes(), 0);
	cr_assert_not(spis[8].active);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0), pend, "the kept firing, pending once deactivated: LR0 %#llx",
		     (unsigned long long)lr_get(0));
	cr_assert_not(spis[8].latch, "its latch consumed by the LR");
	guest_ack();
	guest_eoi(0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0, "nothing to deliver until it fires again");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);

	/* The line is still up: the physical interrupt fires again. */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0), pend);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

Test(vgic_hwfwd, level_spi_raised_while_active_kept_v3)
{
	fwd_level_spi(false);
}

Test(vgic_hwfwd, level_spi_raised_while_active_kept_v2)
{
	fwd_level_spi(true);
}

/* The guest deactivated it in a live LR and the physical interrupt fired
 * again (on another CPU) before the vCPU exited: the new pending state
 * waits in memory while the stale LR still says active, and is presented
 * once the LR is folded empty; never as pending+active. */
static void fwd_live_lr(bool v2)
{
	const uint64_t pend = v2 ? FWD_V2_PENDING : FWD_V3_PENDING;
	const uint64_t act = v2 ? FWD_V2_ACTIVE : FWD_V3_ACTIVE;

	fwd_setup(v2, &kick_ops);
	locks = unlocks = 0;
	kicks[0] = kicks[1] = 0;
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(guest_ack(), 0);
	/* Another CPU raises it while LR0 is live (active in hardware). */
	cr_assert_eq(hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	cr_assert(spis[8].latch, "in a live LR: kept");
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1, "the running vCPU exits");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert(spis[8].active);
	reset_counts();
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0), act, "pending+active with HW: LR0 %#llx",
		     (unsigned long long)lr_get(0));
	cr_assert_eq(gic_writes(), 1, "LR0 (the HCR holds En)");
	guest_eoi(0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_not(spis[8].active);
	cr_assert(spis[8].latch);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0), pend);
	cr_assert_not(spis[8].latch, "consumed into the LR");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(locks, unlocks);
}

Test(vgic_hwfwd, live_lr_deactivated_and_fired_again_v3)
{
	fwd_live_lr(false);
}

Test(vgic_hwfwd, live_lr_deactivated_and_fired_again_v2)
{
	fwd_live_lr(true);
}

#include <libhyp/emulate.h>

/* HPFAR_EL2 and FAR_EL2 are read once per exit: kept in the exit when the
 * access is declined (the caller's general path reads neither again),
 * taken from it when the exit has them already. */
Test(vgic_dabt_sgir, declined_keeps_the_fault_address_taken_reads_it_once)
{
	uint64_t ipa = 0;

	sgir_setup(HYP_VGIC_MODEL_V2, 0x09000f00);
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 2u << 24 | 3), HYP_ENOENT);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_HPFAR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_FAR_EL2), 1);
	cr_assert_eq(hyp_vcpu_fault_ipa(&direct_v, &ipa), 0);
	cr_assert_eq(ipa, 0x09000f00);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_HPFAR_EL2), 1, "not read again");
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_FAR_EL2), 1, "not read again");
	/* The exit has them (the run loop captured them): no MRS, its IPA. */
	sgir_setup(HYP_VGIC_MODEL_V2, 0x09000f00);
	direct_v.regs.x[2] = 2u << 24 | 3;
	direct_v.exit.esr = dabt_esr(true, 2, 2, true);
	direct_v.exit.valid = HYP_EXIT_V_HPFAR | HYP_EXIT_V_FAR;
	direct_v.exit.hpfar = (0x08000f00ull >> 12) << 4;
	direct_v.exit.far = 0xf00;
	cr_assert_eq(hyp_vgic_dabt_sgir(&direct_v, dabt_esr(true, 2, 2, true)),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_HPFAR_EL2) +
			 hyp_sim_reg_reads(&sim, HYP_SYS_FAR_EL2),
		     0);
	cr_assert_eq(direct_v.regs.pc, 0x1004);
}

/* A live AArch64 vCPU: the skip inline, with hyp_vcpu_skip_insn()'s
 * accesses (SPSR_EL2 and ELR_EL2 read, ELR_EL2 written; SPSR_EL2 written
 * to clear SS [21] or BTYPE [11:10], Arm ARM C5.2.19). */
/* The store of @val by a live vCPU (ELR_EL2 0x2000, SPSR_EL2 EL1h with SS
 * set), the skip and its accesses checked; the vCPU left live. */
static void live_sgir_store(uint32_t val)
{
	uint64_t v = 0;

	hyp_sim_reg_define(&sim, HYP_SYS_ELR_EL2, 0x2000);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, 0x5 | 1ull << 21);
	direct_v.live = 1;
	reset_counts();
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), val), HYP_FAST_RESUME_X0_X18);
	hyp_sim_reg_peek(&sim, HYP_SYS_ELR_EL2, &v);
	cr_assert_eq(v, 0x2004);
	hyp_sim_reg_peek(&sim, HYP_SYS_SPSR_EL2, &v);
	cr_assert_eq(v, 0x5);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_SPSR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ELR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ELR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_SPSR_EL2), 1);
}

Test(vgic_dabt_sgir, live_vcpu_skip)
{
	sgir_setup(HYP_VGIC_MODEL_V2, 0x08000f00);
	live_sgir_store(2u << 24 | 3);
	direct_v.live = 0;
}

/* The vector code's early direct call (HYP_ESR_EARLY, ESR bit 63): the
 * inline path leaves the skip to it (HYP_FAST_RESUME_SKIP: no PC change,
 * no SPSR_EL2/ELR_EL2 access), the general path too (through
 * hyp_sysreg_direct_done()). */
Test(vgic_direct, early_call_leaves_the_skip_to_the_vector)
{
	unsigned log[4];

	direct_setup(&nolock_local_ops);
	direct_v.regs.x[2] = SELF_SGI(3);
	cr_assert_eq(hyp_vgic_sgi_direct(&direct_v, sgi_esr(5, 2, false) | HYP_ESR_EARLY,
					 &direct_v.regs.x[2], NULL),
		     HYP_FAST_RESUME_SKIP, "the general path");
	cr_assert_eq(direct_v.regs.pc, 0x1000);
	cr_assert_eq(guest_take_all(log, 4), 1);
	reset_counts();
	cr_assert_eq(hyp_vgic_sgi_direct(&direct_v, sgi_esr(5, 2, false) | HYP_ESR_EARLY,
					 &direct_v.regs.x[2], NULL),
		     HYP_FAST_RESUME_SKIP, "the inline path");
	cr_assert_eq(direct_v.regs.pc, 0x1000);
	cr_assert_eq(gic_reads(), 1, "ELRSR only");
	cr_assert_eq(gic_writes(), 1, "one LR write");
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_SPSR_EL2) +
			 hyp_sim_reg_reads(&sim, HYP_SYS_ELR_EL2),
		     0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* --- Issue 15: an SGI to one other vCPU through hyp_vgic_sgi_direct()
 * (a cross-CPU ping-pong's wake-up), in a VM with lock hooks (minihyp's
 * multi-vCPU VMs): under the VM lock, the target's SGI pending and
 * queued, the target kicked; the local hook is not asked (this CPU runs
 * the sender, so the target's interface is not this CPU's), no hardware
 * is touched. */

/* Every access of the simulated CPU since the last count reset. */
static unsigned all_accesses(void)
{
	unsigned n = 0;

	for (unsigned k = 0; k < HYP_SIM_KIND_COUNT; k++)
		n += sim.counts[k];
	return n;
}

/* The rest of a cross-vCPU setup: vCPU 1 loaded and entered if @running,
 * the hooks' and the VM's counts and the access counts from zero. */
static void cross_start(bool running)
{
	if (running) {
		cr_assert_eq(hyp_vgic_load(&vcpus[1]), 0);
		cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	}
	locks = unlocks = 0;
	local_calls = 0;
	kicked = NULL;
	memset(kicks, 0, sizeof(kicks));
	vm.stats.sgis = 0;
	vm.stats.mmio = 0;
	reset_counts();
}

/* direct_setup() with vCPU 1 enabling SGIs 0..7 (its GICR SGI_base +
 * ISENABLER0, 128 KiB after vCPU 0's frames: IHI 0069 12.10), and with
 * @running, in the guest on another CPU (loaded and entered: the vGIC
 * keeps one CPU interface per vCPU in memory, the simulated one being
 * this CPU's). */
static void cross_setup(const struct hyp_vgic_ops *ops, bool running)
{
	uint64_t en = 0xff;

	direct_setup(ops);
	cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[1], 0x20000 + 0x10100, 4, true, &en), 0);
	cross_start(running);
}

/* ICC_SGI1R_EL1: INTID [27:24], TargetList [15:0] = {Aff0 1}: vCPU 1
 * (IHI 0069 12.2.23; the default affinities, vCPU i has Aff0 i). */
#define CROSS_SGI(n) ((uint64_t)(n) << 24 | 1u << 1)

Test(vgic_direct, cross_sgi_to_running_vcpu_asks_no_local_hook)
{
	struct hyp_vgic_irq *irq = &vcpus[1].priv[4];

	cross_setup(&local_ops, true);
	cr_assert_eq(direct_msr(5, CROSS_SGI(4)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_v.regs.pc, 0x1004, "the MSR completed");
	cr_assert_eq(all_accesses(), 0, "no hardware: the target's LRs are another CPU's");
	cr_assert(irq->latch, "pending");
	cr_assert_eq(irq->vcpu, &vcpus[1], "on its owner's list");
	cr_assert_eq(vcpus[1].list, irq);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1, "a kick: it runs elsewhere");
	cr_assert_eq(kicks[HYP_VGIC_KICK_WAKE], 0);
	cr_assert_eq(kicked, &vcpus[1]);
	cr_assert_eq(locks, 1, "under the VM lock");
	cr_assert_eq(unlocks, 1);
	cr_assert_eq(local_calls, 0, "the local hook is not asked");
	cr_assert_eq(vm.stats.sgis, 1);
	cr_assert_not(vcpus[0].priv[4].latch, "the sender's own SGI untouched");
	cr_assert_not(vcpus[0].refresh);

	/* The early call (HYP_ESR_EARLY) leaves the skip to the vector:
	 * nothing touched, no PC change; a second kick (the LR the target
	 * may hold it in can be stale: vgic.md "Limits"). */
	reset_counts();
	direct_v.regs.x[2] = CROSS_SGI(4);
	cr_assert_eq(hyp_vgic_sgi_direct(&direct_v, sgi_esr(5, 2, false) | HYP_ESR_EARLY,
					 &direct_v.regs.x[2], NULL),
		     HYP_FAST_RESUME_SKIP);
	cr_assert_eq(direct_v.regs.pc, 0x1004);
	cr_assert_eq(all_accesses(), 0);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 2);
	cr_assert_eq(local_calls, 0);
	cr_assert_eq(locks, 2);
	cr_assert_eq(unlocks, 2);

	/* The kicked vCPU's exit and entry present it (its LR 0). */
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	cr_assert_eq(lr_intid(lr_get(0)), 4);
	cr_assert(lr_get(0) & st_pending());
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* The target not loaded (blocked in WFI): woken, its pending state what
 * hyp_vgic_vcpu_pending() answers; the same without lock hooks. */
static void cross_sgi_wakes(const struct hyp_vgic_ops *ops)
{
	cross_setup(ops, false);
	cr_assert_eq(direct_msr(5, CROSS_SGI(2)), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(all_accesses(), 0);
	cr_assert_eq(kicks[HYP_VGIC_KICK_WAKE], 1);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 0);
	cr_assert_eq(kicked, &vcpus[1]);
	cr_assert_eq(local_calls, 0);
	cr_assert_eq(locks, ops->lock ? 1u : 0u, "under the VM lock, if any");
	cr_assert_eq(unlocks, locks);
	cr_assert(hyp_vgic_vcpu_pending(&vcpus[1]));
	cr_assert_eq(direct_v.regs.pc, 0x1004);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

Test(vgic_direct, cross_sgi_to_blocked_vcpu_wakes)
{
	cross_sgi_wakes(&local_ops);
}

static bool nolock_kick_seen;

static void nolock_kick_fn(struct hyp_vgic_vcpu *v, enum hyp_vgic_kick why, void *ctx)
{
	(void)ctx;
	nolock_kick_seen = true;
	kicked = v;
	kicks[why]++;
}

static const struct hyp_vgic_ops nolock_kick_ops = {.kick = nolock_kick_fn,
						    .local = nolock_local_fn};

Test(vgic_direct, cross_sgi_without_lock_hooks)
{
	cross_sgi_wakes(&nolock_kick_ops);
	cr_assert(nolock_kick_seen);
	cr_assert_eq(locks, 0);
}

/* An SGI the target has not enabled: pending (the distributor says so),
 * neither queued nor kicked; nothing touched. */
Test(vgic_direct, cross_sgi_disabled_not_kicked)
{
	struct hyp_vgic_irq *irq = &vcpus[1].priv[9];

	cross_setup(&local_ops, true);
	cr_assert_eq(direct_msr(5, CROSS_SGI(9)), HYP_FAST_RESUME_X0_X18);
	cr_assert(irq->latch);
	cr_assert_null(irq->vcpu);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING] + kicks[HYP_VGIC_KICK_WAKE], 0);
	cr_assert_eq(all_accesses(), 0);
	cr_assert_eq(locks, unlocks);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* What the path leaves to the general one, with the general one's
 * results: IRM = 1 (all but self: vCPU 1), two TargetList bits (the
 * sender and vCPU 1), a TargetList bit beyond the vCPUs (nobody), RS 1
 * (Aff0 16..31: nobody), an MSR to ICC_SGI0R_EL1 of a Group 1 SGI (not
 * generated), and an MRS (UNDEFINED). */
Test(vgic_direct, cross_sgi_other_forms_take_the_general_path)
{
	cross_setup(&local_ops, false);
	cr_assert_eq(direct_msr(5, 3ull << 24 | 1ull << 40), HYP_FAST_RESUME_X0_X18);
	cr_assert(vcpus[1].priv[3].latch, "IRM: all but self");
	cr_assert_not(vcpus[0].priv[3].latch);
	cr_assert_eq(direct_msr(5, 5ull << 24 | 3u), HYP_FAST_RESUME_X0_X18);
	cr_assert(vcpus[1].priv[5].latch);
	cr_assert(vcpus[0].priv[5].in_lr, "and the sender (its live LR)");
	cr_assert_eq(direct_msr(5, 6ull << 24 | 1u << 5), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_msr(5, 6ull << 24 | 1ull << 44 | 1u << 1), HYP_FAST_RESUME_X0_X18);
	cr_assert_not(vcpus[1].priv[6].latch, "no such vCPU");
	cr_assert_not(vcpus[0].priv[6].latch);
	cr_assert_eq(direct_msr(7, CROSS_SGI(7)), HYP_FAST_RESUME_X0_X18);
	cr_assert_not(vcpus[1].priv[7].latch, "SGI0R: Group 0 SGIs only");
	cr_assert_eq(direct_v.regs.pc, 0x1014, "five MSRs completed");
	cr_assert_eq(locks, unlocks);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* Whether a VM takes the path is decided by hyp_vgic_init(): not with
 * save_all, not for a GICv2 model. */
Test(vgic_direct, cross_sgi_path_decided_at_init)
{
	direct_setup(&local_ops);
	cr_assert(vm.sgi_cross, "GICv3, default affinities, not save_all");
	boot(false);
	vm_setup_ops(HYP_VGIC_MODEL_V3, 2, &local_ops, NULL, true);
	cr_assert_not(vm.sgi_cross, "save_all");
	vm_setup_ops(HYP_VGIC_MODEL_V2, 2, &local_ops, NULL, false);
	cr_assert_not(vm.sgi_cross, "GICv2 model");
}

/* --- A level interrupt pended (GICD_ISPENDR) while active and disabled
 * is written to its LR active only: that pending state is not
 * deliverable. The guest never acknowledged it, so the exit's fold must
 * keep it, whether the guest deactivated the LR or not: only an
 * acknowledge or GICD_ICPENDR removes it (IHI 0069 4.1.1; found by the
 * vGIC fuzzer's live LRs, corpus-vgic/level-latch-lost-when-active-not-
 * deliverable). Offsets: GICD_ISENABLER1 0x104, ICENABLER1 0x184,
 * ISPENDR1 0x204, ICPENDR1 0x284 (IHI 0069 12.9, IHI 0048B 4.1.2). */
static void level_pended_while_active(bool v2)
{
	const uint32_t bit = 1u << 8; /* SPI 40 */

	boot(v2);
	vm_setup(v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3, 1);
	guest_enable_dist();
	guest_enable_spi(40, 0xa0);
	cr_assert_eq(hyp_vgic_irq_set_level(&vm, NULL, 40, true), 0);
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);

	dist_w(&vcpus[0], 0x204, 4, bit);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(guest_ack(), 0, "the software-pended level taken");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(dist_r(&vcpus[0], 0x204), 0, "acknowledged: its latch consumed");

	dist_w(&vcpus[0], 0x184, 4, bit); /* disabled */
	dist_w(&vcpus[0], 0x204, 4, bit); /* pending again, while active */
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0) & (spec_pending() | spec_active()), spec_active(), "active only");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(dist_r(&vcpus[0], 0x204), bit, "still pending after an exit (LR active)");

	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	guest_eoi(0); /* the guest deactivates it */
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(dist_r(&vcpus[0], 0x204), bit, "still pending after its deactivation");

	dist_w(&vcpus[0], 0x104, 4, bit); /* enabled: delivered */
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(lr_get(0) & (spec_pending() | spec_active()), spec_pending());
	cr_assert_eq(guest_ack(), 0);
	guest_eoi(0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(dist_r(&vcpus[0], 0x204), 0, "acknowledged this time");
}

Test(vgic_lrsync, level_pended_while_active_survives_fold_v3)
{
	level_pended_while_active(false);
}

Test(vgic_lrsync, level_pended_while_active_survives_fold_v2)
{
	level_pended_while_active(true);
}

/* --- Issue 15, the sender's side: the path for one other vCPU.
 *
 * GICv3 (hyp_vgic_sgi_direct()): what the path does not take changes
 * nothing but the PC, and what it takes costs no hardware access but the
 * MSR's completion (none with the vector's early call). */

/* Nothing of any SGI of any vCPU pending, queued or kicked. */
static void assert_no_sgi_sent(const char *what)
{
	for (unsigned v = 0; v < vm.nr_vcpus; v++)
		for (unsigned n = 0; n < 16; n++) {
			cr_assert_not(vcpus[v].priv[n].latch, "%s: vCPU %u SGI %u latch", what, v, n);
			cr_assert_eq(vcpus[v].priv[n].sources, 0, "%s: vCPU %u SGI %u", what, v, n);
			if (v != 0)
				cr_assert_null(vcpus[v].priv[n].vcpu, "%s: queued", what);
		}
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING] + kicks[HYP_VGIC_KICK_WAKE], 0, "%s", what);
	cr_assert_eq(vm.stats.sgis, 0, "%s", what);
	cr_assert_eq(locks, unlocks, "%s", what);
}

/* ICC_SGI1R_EL1 (IHI 0069 12.2.23, ICC_SGI1R_EL1): TargetList [15:0],
 * Aff1 [23:16], INTID [27:24], Aff2 [39:32], IRM [40], RS [47:44], Aff3
 * [55:48]. Values naming no vCPU of a two-vCPU VM with the default
 * affinities (vCPU i: Aff0 i): ignored, the MSR completed, no access. */
Test(vgic_direct, cross_sgi_to_no_such_vcpu_changes_nothing)
{
	static const uint64_t bad[] = {
	    4ull << 24 | 1u << 5,		    /* Aff0 5: beyond the vCPUs */
	    4ull << 24 | 1ull << 16 | 1u << 1,	    /* Aff1 1: vCPU 17 */
	    4ull << 24 | 1ull << 32 | 1u << 1,	    /* Aff2 1 */
	    4ull << 24 | 1ull << 48 | 1u << 1,	    /* Aff3 1 */
	    4ull << 24 | 1ull << 44 | 1u << 1,	    /* RS 1: Aff0 17 */
	    4ull << 24 | 0xffull << 16 | 1u << 1,   /* Aff1 255 */
	    4ull << 24,				    /* an empty TargetList */
	    4ull << 24 | 0xfull << 28 | 1u << 15,   /* RES0 [31:28], Aff0 15 */
	};

	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		cross_setup(&local_ops, true);
		cr_assert_eq(hyp_vgic_sgi_direct(&direct_v, sgi_esr(5, 2, false) | HYP_ESR_EARLY,
						 (direct_v.regs.x[2] = bad[k], &direct_v.regs.x[2]),
						 NULL),
			     HYP_FAST_RESUME_SKIP, "value %u", k);
		cr_assert_eq(direct_v.regs.pc, 0x1000, "the vector completes it");
		cr_assert_eq(all_accesses(), 0, "value %u", k);
		assert_no_sgi_sent("ICC_SGI1R_EL1");
		cr_assert_eq(direct_msr(5, bad[k]), HYP_FAST_RESUME_X0_X18);
		cr_assert_eq(direct_v.regs.pc, 0x1004, "completed");
		assert_no_sgi_sent("ICC_SGI1R_EL1, no early call");
		cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
		cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	}
}

/* A live vCPU, not the vector's early call (hyp_sysreg_trap_direct()):
 * the MSR completed with hyp_sysreg_direct_done()'s accesses (SPSR_EL2
 * and ELR_EL2 read, ELR_EL2 written: PC + 4; SPSR_EL2 written only to
 * clear SS [21] or BTYPE [11:10], Arm ARM C5.2.19), and no other; the
 * target pending, queued and kicked, the local hook not asked. */
Test(vgic_direct, cross_sgi_live_vcpu_accesses)
{
	struct hyp_vgic_irq *irq = &vcpus[1].priv[4];
	uint64_t v = 0;

	cross_setup(&local_ops, true);
	hyp_sim_reg_define(&sim, HYP_SYS_ELR_EL2, 0x2000);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, 0x5);
	direct_v.live = 1;
	reset_counts();
	cr_assert_eq(direct_msr(5, CROSS_SGI(4)), HYP_FAST_RESUME_X0_X18);
	hyp_sim_reg_peek(&sim, HYP_SYS_ELR_EL2, &v);
	cr_assert_eq(v, 0x2004);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_SPSR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ELR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ELR_EL2), 1);
	cr_assert_eq(all_accesses(), 3, "nothing else");
	cr_assert(irq->latch);
	cr_assert_eq(irq->vcpu, &vcpus[1]);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1);
	cr_assert_eq(local_calls, 0);
	cr_assert_eq(locks, 1);
	cr_assert_eq(unlocks, 1);
	direct_v.live = 0;
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* The sender marked for a refresh (an interrupt of its own waits for an
 * LR): the SGI sent and the sender refreshed (before the send). */
Test(vgic_direct, cross_sgi_sender_marked_for_refresh)
{
	cross_setup(&local_ops, true);
	vcpus[0].refresh = true;
	cr_assert_eq(direct_msr(5, CROSS_SGI(4)), HYP_FAST_RESUME_X0_X18);
	cr_assert(vcpus[1].priv[4].latch);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1);
	cr_assert_not(vcpus[0].refresh, "refreshed");
	cr_assert_eq(direct_v.regs.pc, 0x1004);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* --- GICv2 (hyp_vgic_dabt_sgir()): a GICD_SGIR write naming one other
 * vCPU, in a VM with lock hooks (minihyp's multi-vCPU VMs). GICD_SGIR
 * (IHI 0048B 4.3.15): TargetListFilter [25:24] (0b00: the CPUTargetList,
 * 0b01: all but the requester, 0b10: the requester only, 0b11:
 * reserved), CPUTargetList [23:16], NSATT [15], SGIINTID [3:0]. */

/* vCPU 0 of an @nr-vCPU GICv2 VM on GICv2 hardware with minihyp's hooks
 * (lock, kick, local), in the guest on this CPU; vCPU 1 in the guest on
 * another CPU if @running (the vGIC keeps one CPU interface per vCPU in
 * memory). The guest's STR to GICD_SGIR faults at IPA 0x08000F00. */
static void v2_cross_setup(unsigned nr, bool running)
{
	sgir_setup_ops(HYP_VGIC_MODEL_V2, 0x08000f00, nr, &local_ops);
	cross_start(running);
}

/* One SGI to vCPU 1 as the path delivers it: pending from vCPU 0 (its
 * source bit), queued on vCPU 1's list, vCPU 1 kicked (@why), under the
 * lock, the local hook not asked, no GIC access (HPFAR_EL2 and FAR_EL2
 * read once each for the IPA, nothing else: the vCPU is not live), the
 * store completed. */
static void v2_cross_sent(uint32_t val, unsigned sgi, enum hyp_vgic_kick why)
{
	struct hyp_vgic_irq *irq = &vcpus[1].priv[sgi];

	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), val), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_v.regs.pc, 0x1004, "the store completed");
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_HPFAR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_FAR_EL2), 1);
	cr_assert_eq(all_accesses(), 2, "no GIC access: vCPU 1's LRs are another CPU's");
	cr_assert_eq(irq->sources, 1u << 0, "pending from vCPU 0");
	cr_assert_eq(irq->vcpu, &vcpus[1], "on its owner's list");
	cr_assert_eq(vcpus[1].list, irq);
	cr_assert_eq(kicks[why], 1);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING] + kicks[HYP_VGIC_KICK_WAKE], 1);
	cr_assert_eq(kicked, &vcpus[1]);
	cr_assert_eq(locks, 1, "under the VM lock");
	cr_assert_eq(unlocks, 1);
	cr_assert_eq(local_calls, 0, "the local hook is not asked");
	cr_assert_eq(vm.stats.sgis, 1);
	cr_assert_eq(vm.stats.mmio, 1);
	for (unsigned n = 0; n < 16; n++)
		cr_assert_eq(vcpus[0].priv[n].sources, 0, "the sender's own SGIs untouched");
	cr_assert_not(vcpus[0].refresh);
}

Test(vgic_dabt_sgir, cross_sgi_to_running_vcpu_asks_no_local_hook)
{
	v2_cross_setup(2, true);
	/* TargetListFilter 0b00, CPUTargetList {CPU 1}, SGIINTID 4. */
	v2_cross_sent(0u << 24 | 0x02u << 16 | 4u, 4, HYP_VGIC_KICK_RUNNING);
	/* The kicked vCPU's exit and entry present it: GICH_LRn (IHI 0048B
	 * 5.3) pending [28], CPUID [12:10] = 0 (vCPU 0 sent it), VirtualID
	 * 4, priority 0, Group 0. */
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[1]), 0);
	cr_assert_eq(lr_get(0), SPEC_GICH_LR_PENDING | 0u << SPEC_GICH_LR_CPUID_SHIFT | 4u);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* TargetListFilter 0b01 ("all but the requester") in a VM of two vCPUs
 * names vCPU 1 alone: the same path; CPUTargetList is ignored. */
Test(vgic_dabt_sgir, cross_sgi_all_but_self_of_two)
{
	v2_cross_setup(2, true);
	v2_cross_sent(1u << 24 | 0xffu << 16 | 9u, 9, HYP_VGIC_KICK_RUNNING);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* vCPU 1 not loaded (blocked in WFI): woken; pending as
 * hyp_vgic_vcpu_pending() answers. CPUTargetList bits beyond the vCPUs
 * (CPUs 2..7 of a two-vCPU VM) are ignored, as by the general path. */
Test(vgic_dabt_sgir, cross_sgi_to_blocked_vcpu_wakes)
{
	v2_cross_setup(2, false);
	v2_cross_sent(0u << 24 | 0xfeu << 16 | 2u, 2, HYP_VGIC_KICK_WAKE);
	cr_assert(hyp_vgic_vcpu_pending(&vcpus[1]));
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* A live AArch64 vCPU: the skip with hyp_vcpu_skip_insn()'s accesses
 * (SPSR_EL2 and ELR_EL2 read, ELR_EL2 written, SPSR_EL2 written to clear
 * SS [21], Arm ARM C5.2.19), the fault address read once each: 6. */
Test(vgic_dabt_sgir, cross_sgi_live_vcpu_accesses)
{
	v2_cross_setup(2, true);
	live_sgir_store(0x02u << 16 | 4u);
	cr_assert_eq(all_accesses(), 6, "HPFAR_EL2, FAR_EL2 and the skip's");
	cr_assert_eq(vcpus[1].priv[4].sources, 1u << 0);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING], 1);
	cr_assert_eq(local_calls, 0);
	direct_v.live = 0;
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* The SGI's group disabled (GICD_CTLR 0: EnableGrp0 [0], EnableGrp1
 * [1] clear, IHI 0048B 4.3.1): pending from vCPU 0 (the distributor says
 * so), neither queued nor kicked. */
Test(vgic_dabt_sgir, cross_sgi_group_disabled_not_kicked)
{
	v2_cross_setup(2, true);
	dist_w(&vcpus[0], 0x0, 4, 0);
	vm.stats.mmio = 0;
	locks = unlocks = 0;
	reset_counts();
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 0x02u << 16 | 4u),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpus[1].priv[4].sources, 1u << 0);
	cr_assert_null(vcpus[1].priv[4].vcpu);
	cr_assert_eq(kicks[HYP_VGIC_KICK_RUNNING] + kicks[HYP_VGIC_KICK_WAKE], 0);
	cr_assert_eq(local_calls, 0);
	cr_assert_eq(all_accesses(), 2);
	cr_assert_eq(locks, 1);
	cr_assert_eq(unlocks, 1);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* Values that name no vCPU: ignored (the store completed, counted as an
 * access), nothing pending anywhere, no kick, no GIC access. */
Test(vgic_dabt_sgir, cross_sgi_to_no_such_vcpu_changes_nothing)
{
	static const uint32_t bad[] = {
	    0u << 24 | 0x20u << 16 | 4u, /* CPUTargetList {CPU 5}: no such vCPU */
	    0u << 24 | 0x00u << 16 | 4u, /* an empty CPUTargetList */
	    3u << 24 | 0x02u << 16 | 4u, /* TargetListFilter 0b11: reserved */
	};

	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		v2_cross_setup(2, true);
		cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), bad[k]), HYP_FAST_RESUME_X0_X18,
			     "value %u", k);
		cr_assert_eq(direct_v.regs.pc, 0x1004, "completed");
		cr_assert_eq(all_accesses(), 2, "HPFAR_EL2 and FAR_EL2 only");
		assert_no_sgi_sent("GICD_SGIR");
		cr_assert_eq(vm.stats.mmio, 1);
		cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
		cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	}
}

/* What the path leaves to the general one, with the general one's
 * results: two CPUTargetList bits (vCPU 1 and vCPU 2, of four),
 * TargetListFilter 0b01 with three others, the requester's own bit
 * (the self path's, under the lock here). NSATT [15] and the SBZ bits
 * [14:4] are ignored by both (no Security Extensions). */
Test(vgic_dabt_sgir, cross_sgi_other_forms_take_the_general_path)
{
	v2_cross_setup(4, false);
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 0x06u << 16 | 3u), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpus[1].priv[3].sources, 1u);
	cr_assert_eq(vcpus[2].priv[3].sources, 1u);
	cr_assert_eq(vcpus[3].priv[3].sources, 0u);
	cr_assert_eq(vm.stats.sgis, 2);
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 1u << 24 | 5u), HYP_FAST_RESUME_X0_X18);
	for (unsigned v = 1; v < 4; v++)
		cr_assert_eq(vcpus[v].priv[5].sources, 1u, "all but self: vCPU %u", v);
	cr_assert_eq(vcpus[0].priv[5].sources, 0u);
	cr_assert_eq(sgir_store(dabt_esr(true, 2, 2, true), 0x01u << 16 | 6u), HYP_FAST_RESUME_X0_X18);
	cr_assert(vcpus[0].priv[6].in_lr, "to itself: its live LR");
	cr_assert_eq(vm.stats.sgis, 6);
	cr_assert_eq(direct_v.regs.pc, 0x100c);
	cr_assert_eq(locks, unlocks);

	/* NSATT [15] and SBZ bits [14:4] set: SGI 7 to vCPU 1, on the path. */
	v2_cross_setup(2, true);
	v2_cross_sent(0x02u << 16 | 1u << 15 | 0x7ff0u | 7u, 7, HYP_VGIC_KICK_RUNNING);
	cr_assert_eq(hyp_vgic_save(&vcpus[1]), 0);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
}

/* Decided by hyp_vgic_init(): a GICv2 model, not save_all. */
Test(vgic_dabt_sgir, cross_sgi_path_decided_at_init)
{
	boot(true);
	vm_setup_ops(HYP_VGIC_MODEL_V2, 2, &local_ops, NULL, false);
	cr_assert(vm.sgi_cross_v2, "GICv2 model, not save_all");
	vm_setup_ops(HYP_VGIC_MODEL_V2, 2, &local_ops, NULL, true);
	cr_assert_not(vm.sgi_cross_v2, "save_all");
	boot(false);
	vm_setup_ops(HYP_VGIC_MODEL_V3, 2, &local_ops, NULL, false);
	cr_assert_not(vm.sgi_cross_v2, "GICv3 model");
}
