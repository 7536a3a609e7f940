/* SPDX-License-Identifier: MIT */
/* The vGIC built with -DHYP_VGIC_STATS=0 (tests/host/meson.build compiles
 * src/vgic/ again for this test): the counters are compiled out of every
 * path (they stay zero), and what the paths do is the same: a self-SGI
 * on the fast path, an entry, an exit, an MMIO access. */
#include "test_vgic_env.h"

static struct hyp_vgic vm;
static struct hyp_vgic_vcpu vcpus[2];
static struct hyp_vgic_irq spis[32];

static bool local_fn(const struct hyp_vgic_vcpu *v, void *ctx)
{
	(void)ctx;
	return v == &vcpus[0];
}

static const struct hyp_vgic_ops ops = {.local = local_fn};

static void setup(bool v2)
{
	struct hyp_vgic_config c = {
	    .model = v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3,
	    .hw = &hw,
	    .vcpus = vcpus,
	    .nr_vcpus = 2,
	    .spis = spis,
	    .nr_spis = 32,
	    .dist_base = 0x08000000,
	    .redist_base = 0x080a0000,
	    .ops = &ops,
	};
	uint64_t v = 3;

	if (v2)
		boot_v2(4);
	else
		boot_v3(ICH_VTR(4, 5, 5));
	cr_assert_eq(hyp_vgic_init(&vm, &c), 0);
	/* GICD_CTLR (offset 0): EnableGrp0 [0], EnableGrp1 [1]. */
	cr_assert_eq(hyp_vgic_dist_access(&vm, &vcpus[0], 0x0, 4, true, &v), HYP_VGIC_MMIO_DONE);
	if (!v2) {
		/* GICR SGI_base + ISENABLER0 (IHI 0069 ch. 12: 0x10100). */
		v = 0xff;
		cr_assert_eq(hyp_vgic_redist_access(&vm, &vcpus[0], 0x10100, 4, true, &v), 0);
	}
	cr_assert_eq(hyp_vgic_load(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
}

static void stats_compiled_out(bool v2)
{
	setup(v2);
	/* A self-SGI (ICC_SGI1R_EL1 TargetList {Aff0 0}, IHI 0069 ch. 12;
	 * GICD_SGIR TargetListFilter 0b10, IHI 0048B 4.3.15) into LR 0. */
	if (v2) {
		uint64_t s = 2u << 24 | 3;

		cr_assert_eq(hyp_vgic_dist_access(&vm, &vcpus[0], 0xf00, 4, true, &s),
			     HYP_VGIC_MMIO_DONE);
	} else {
		cr_assert_eq(hyp_vgic_send_sgi(&vm, &vcpus[0], 3, 1, true), 1);
	}
	cr_assert(lr_get(0) & st_pending(), "delivered as with statistics");
	cr_assert_eq(lr_intid(lr_get(0)), 3);
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);
	cr_assert_eq(hyp_vgic_restore(&vcpus[0]), 0);
	cr_assert_eq(vcpus[0].used_lrs, 1, "still pending: presented again");
	cr_assert_eq(hyp_vgic_save(&vcpus[0]), 0);

	cr_assert_eq(vm.stats.mmio, 0);
	cr_assert_eq(vm.stats.sgis, 0);
	cr_assert_eq(vcpus[0].stats.entries, 0);
	cr_assert_eq(vcpus[0].stats.exits, 0);
	cr_assert_eq(vcpus[0].stats.delivered, 0);
	cr_assert_eq(vcpus[0].lr_injected, 0);
}

Test(vgic_nostats, counters_compiled_out_v3)
{
	stats_compiled_out(false);
}

Test(vgic_nostats, counters_compiled_out_v2)
{
	stats_compiled_out(true);
}
