/* SPDX-License-Identifier: MIT */
/*
 * The IRQ fast path (issue 15): hyp_fast_register_irq() and its bad input,
 * the dispatcher hyp_switch_irq_exit() (the C version of the lower-EL IRQ
 * vector's), and what a kick costs when its handler refills the list
 * registers with hyp_vgic_refill() instead of leaving for the run loop:
 * exact counts on the simulated CPU, for a kick-only IRQ and for an IRQ
 * that must leave.
 */
#include "test_vgic_env.h"

#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/switch.h>

static struct hyp_fast_table table;
static struct hyp_vcpu vcpu;
static int handler_ret, handler_calls;
static const struct hyp_fast_entry *handler_self;
static uint64_t handler_esr;

static int handler(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	cr_assert_eq(v, &vcpu);
	handler_calls++;
	handler_self = self;
	handler_esr = esr;
	return handler_ret;
}

static int other_handler(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)v, (void)esr, (void)self;
	return HYP_FAST_EXIT;
}

static void setup(void)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_fast_table_init(&table);
	cr_assert_eq(hyp_vcpu_init(&vcpu, HYP_HCR_RW, &table), 0);
	handler_ret = HYP_FAST_RESUME_X0_X18;
	handler_calls = 0;
	handler_self = NULL;
	handler_esr = ~0ull;
}

TestSuite(switch_irqfast, .init = setup);

Test(switch_irqfast, register_rejects_bad_input_and_changes_nothing)
{
	int ctx;

	cr_assert_eq(hyp_fast_register_irq(NULL, handler, &ctx), HYP_EINVAL);
	cr_assert_eq(hyp_fast_register_irq(&table, NULL, &ctx), HYP_EINVAL);
	cr_assert_null(table.irq.fn);
	cr_assert_null(table.irq.ctx);
	cr_assert_eq(hyp_fast_register_irq(&table, handler, &ctx), 0);
	cr_assert_eq(table.irq.fn, handler);
	cr_assert_eq(table.irq.ctx, &ctx);
	/* A second handler is refused; the first stays, with its argument. */
	cr_assert_eq(hyp_fast_register_irq(&table, other_handler, NULL), HYP_EEXIST);
	cr_assert_eq(table.irq.fn, handler);
	cr_assert_eq(table.irq.ctx, &ctx);
	/* Removing another function, or from no table, changes nothing. */
	cr_assert_eq(hyp_fast_unregister_irq(&table, other_handler), HYP_ENOENT);
	cr_assert_eq(hyp_fast_unregister_irq(&table, NULL), HYP_ENOENT);
	cr_assert_eq(hyp_fast_unregister_irq(NULL, handler), HYP_EINVAL);
	cr_assert_eq(table.irq.fn, handler);
	/* The synchronous classes are untouched by all of it. */
	for (unsigned ec = 0; ec <= HYP_EC_MAX; ec++)
		cr_assert_null(table.entry[ec].fn);
	cr_assert_eq(hyp_fast_unregister_irq(&table, handler), 0);
	cr_assert_null(table.irq.fn);
	cr_assert_null(table.irq.ctx);
	cr_assert_eq(hyp_fast_unregister_irq(&table, handler), HYP_ENOENT);
	/* hyp_fast_table_init() empties it. */
	cr_assert_eq(hyp_fast_register_irq(&table, handler, &ctx), 0);
	hyp_fast_table_init(&table);
	cr_assert_null(table.irq.fn);
	cr_assert_eq(hyp_sim_total(&sim), 0, "registration touches no hardware");
}

Test(switch_irqfast, no_handler_exits_and_touches_nothing)
{
	vcpu.exit.esr = 0x5a000000;
	vcpu.exit.valid = HYP_EXIT_V_FAR;
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_switch_irq_exit(&vcpu), HYP_FAST_EXIT);
	cr_assert_eq(hyp_sim_total(&sim), 0);
	/* An IRQ has no syndrome: the previous exit's record is gone. */
	cr_assert_eq(vcpu.exit.esr, 0);
	cr_assert_eq(vcpu.exit.valid, 0);
	/* A vCPU without a table: the empty one, every IRQ exits. */
	cr_assert_eq(hyp_vcpu_init(&vcpu, HYP_HCR_RW, NULL), 0);
	cr_assert_eq(hyp_switch_irq_exit(&vcpu), HYP_FAST_EXIT);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

Test(switch_irqfast, dispatch_calls_the_handler_with_its_entry)
{
	int ctx;
	static const struct {
		int ret, act;
	} cases[] = {
	    {HYP_FAST_RESUME_X0_X18, HYP_FAST_RESUME_X0_X18},
	    {HYP_FAST_RESUME, HYP_FAST_RESUME},
	    {HYP_FAST_EXIT, HYP_FAST_EXIT},
	    /* An IRQ has no instruction to complete: no skip, an exit. */
	    {HYP_FAST_RESUME_SKIP, HYP_FAST_EXIT},
	    {7, HYP_FAST_EXIT},
	    {-1, HYP_FAST_EXIT},
	};

	cr_assert_eq(hyp_fast_register_irq(&table, handler, &ctx), 0);
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		handler_ret = cases[i].ret;
		hyp_sim_reset_counts(&sim);
		cr_assert_eq(hyp_switch_irq_exit(&vcpu), cases[i].act, "case %u", i);
		cr_assert_eq(handler_calls, (int)i + 1);
		cr_assert_eq(handler_self, &table.irq);
		cr_assert_eq(handler_self->ctx, &ctx);
		cr_assert_eq(handler_esr, 0, "an IRQ's esr is 0");
		cr_assert_eq(hyp_sim_total(&sim), 0, "the dispatcher touches no hardware");
	}
	/* A synchronous exit never reaches the IRQ handler. */
	hyp_sim_reg_define(&sim, HYP_SYS_ESR_EL2, (uint64_t)0x16 << 26 | 1u << 25);
	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_EXIT);
	cr_assert_eq(handler_calls, 6);
}

/* --- A kick on the vGIC's simulated interface
 *
 * vCPU 1 runs in the guest "on this CPU"; vCPU 0, "on another CPU", sends
 * it SGI 3 (hyp_vgic_send_sgi()): the vGIC kicks it (its kick hook, with
 * the VM lock held). The physical kick is an IRQ the integrator's handler
 * acknowledges on the simulated CPU interface: ICC_IAR1_EL1 (IHI 0069
 * 12.2.11) returns INTID 0 (the kick SGI here) or 27 (a timer PPI); the
 * kick is EOI'd with ICC_EOIR1_EL1 and ICC_DIR_EL1 (EOImode 1, IHI 0069
 * 12.2.6, 12.2.10) and the LRs refilled (hyp_vgic_refill()). */

static struct hyp_vgic gvm;
static struct hyp_vgic_vcpu gv[2];
static struct hyp_vgic_irq gspis[32];
static unsigned kicks, locks, unlocks;

static void kick_fn(struct hyp_vgic_vcpu *v, enum hyp_vgic_kick why, void *ctx)
{
	(void)ctx;
	cr_assert_eq(v, &gv[1]);
	cr_assert_eq(why, HYP_VGIC_KICK_RUNNING);
	cr_assert_eq(locks, unlocks + 1, "kicked under the VM lock");
	kicks++;
}

static void lock_fn(struct hyp_vgic *m, void *ctx)
{
	(void)m, (void)ctx;
	cr_assert_eq(locks, unlocks, "not recursive");
	locks++;
}

static void unlock_fn(struct hyp_vgic *m, void *ctx)
{
	(void)m, (void)ctx;
	unlocks++;
}

static const struct hyp_vgic_ops ops = {.lock = lock_fn, .unlock = unlock_fn, .kick = kick_fn};

/* ICC_IAR1_EL1, ICC_EOIR1_EL1, ICC_DIR_EL1: op0 3, op1 0, CRn 12, CRm 12,
 * op2 0 / 1, and CRm 11 op2 1 (IHI 0069 12.2.11, 12.2.8, 12.2.10). */
#define SPEC_ICC_IAR1  HYP_SYSREG_ENC(3, 0, 12, 12, 0)
#define SPEC_ICC_EOIR1 HYP_SYSREG_ENC(3, 0, 12, 12, 1)
#define SPEC_ICC_DIR   HYP_SYSREG_ENC(3, 0, 12, 11, 1)
#define KICK_INTID     0u

static unsigned eoirs, dirs;

/* The integrator's handler: acknowledge; a kick is EOI'd and refills the
 * LRs, anything else goes to the run loop (which must not acknowledge it
 * again). */
static int kick_handler(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	uint32_t intid = (uint32_t)hyp_read_sysreg(SPEC_ICC_IAR1) & 0xffffff;

	(void)v, (void)esr;
	if (intid != KICK_INTID)
		return HYP_FAST_EXIT;
	hyp_write_sysreg(SPEC_ICC_EOIR1, intid);
	hyp_write_sysreg(SPEC_ICC_DIR, intid);
	cr_assert_eq(hyp_vgic_refill(self->ctx), 0);
	return HYP_FAST_RESUME_X0_X18;
}

static void count_write(struct hyp_sim_cpu *c, uint16_t enc, uint64_t v, void *ctx)
{
	(void)c, (void)ctx;
	cr_assert_eq(v, KICK_INTID);
	if (enc == SPEC_ICC_EOIR1)
		eoirs++;
	else
		dirs++;
}

static void kick_setup(void)
{
	struct hyp_vgic_config c = {
	    .model = HYP_VGIC_MODEL_V3,
	    .hw = &hw,
	    .vcpus = gv,
	    .nr_vcpus = 2,
	    .spis = gspis,
	    .nr_spis = 32,
	    .dist_base = 0x08000000,
	    .redist_base = 0x080a0000,
	    .ops = &ops,
	};
	uint64_t v;

	boot_v3(ICH_VTR(4, 5, 5));
	hyp_sim_reg_define(&sim, SPEC_ICC_IAR1, KICK_INTID);
	hyp_sim_reg_define(&sim, SPEC_ICC_EOIR1, 0);
	hyp_sim_reg_define(&sim, SPEC_ICC_DIR, 0);
	hyp_sim_reg_hooks(&sim, SPEC_ICC_EOIR1, NULL, count_write, NULL);
	hyp_sim_reg_hooks(&sim, SPEC_ICC_DIR, NULL, count_write, NULL);
	cr_assert_eq(hyp_vgic_init(&gvm, &c), 0);
	/* The guest's driver: both groups on; vCPU 1 enables SGI 3 in its
	 * redistributor (SGI_base + GICR_ISENABLER0). */
	v = 3;
	cr_assert_eq(hyp_vgic_dist_access(&gvm, &gv[0], 0, 4, true, &v), HYP_VGIC_MMIO_DONE);
	v = 1u << 3;
	cr_assert_eq(hyp_vgic_redist_access(&gvm, &gv[1], 0x20000 + 0x10100, 4, true, &v), 0);
	hyp_fast_table_init(&table);
	cr_assert_eq(hyp_vcpu_init(&vcpu, HYP_HCR_RW, &table), 0);
	cr_assert_eq(hyp_fast_register_irq(&table, kick_handler, &gv[1]), 0);
	cr_assert_eq(hyp_vgic_load(&gv[1]), 0);
	cr_assert_eq(hyp_vgic_restore(&gv[1]), 0); /* in the guest, no LR used */
	kicks = locks = unlocks = eoirs = dirs = 0;
}

/* vCPU 0 sends SGI 3 to vCPU 1 (ICC_SGI1R_EL1: TargetList {Aff0 1}). */
static void send_sgi3(void)
{
	unsigned before = kicks;

	cr_assert_eq(hyp_vgic_send_sgi(&gvm, &gv[0], 3, 1u << 1, true), 1);
	cr_assert_eq(kicks, before + 1, "the running target is kicked");
}

Test(switch_irqfast, a_kick_refills_one_lr_and_resumes)
{
	unsigned log[4];

	kick_setup();
	for (unsigned round = 0; round < 3; round++) {
		send_sgi3();
		reset_counts();
		locks = unlocks = 0;
		cr_assert_eq(hyp_switch_irq_exit(&vcpu), HYP_FAST_RESUME_X0_X18);
		/* IAR, EOIR, DIR; then the vGIC: the SGI's LR (LR 0) written;
		 * from the second round on it is the LR the SGI held, which
		 * ELRSR lists as empty (the guest took it): one ELRSR read. */
		cr_assert_eq(eoirs, round + 1);
		cr_assert_eq(dirs, round + 1);
		cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], round ? 2u : 1u, "round %u", round);
		cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], round ? 3u : 4u, "round %u", round);
		cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ICH_ELRSR_EL2), round ? 1u : 0u);
		cr_assert_eq(hyp_sim_reg_writes(&sim, lr_enc(0)), 1);
		/* ICH_HCR_EL2 (En) once, when the first LR came into use. */
		cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ICH_HCR_EL2), round ? 0u : 1u);
		cr_assert_eq(sim.counts[HYP_SIM_MMIO_READ] + sim.counts[HYP_SIM_MMIO_WRITE], 0);
		cr_assert_eq(locks, 1, "the list read under the VM lock");
		cr_assert_eq(unlocks, 1);
		/* The guest sees it, pending in LR 0, and takes it. */
		cr_assert(lr_get(0) & SPEC_ICH_LR_PENDING);
		cr_assert_eq(guest_take_all(log, 4), 1);
		cr_assert_eq(log[0], 3);
	}
	cr_assert(gv[1].in_guest, "never left the guest");
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
}

Test(switch_irqfast, an_irq_that_must_leave_reads_iar_only)
{
	kick_setup();
	send_sgi3();
	hyp_sim_reg_define(&sim, SPEC_ICC_IAR1, 27); /* the virtual timer's PPI */
	reset_counts();
	locks = unlocks = 0;
	cr_assert_eq(hyp_switch_irq_exit(&vcpu), HYP_FAST_EXIT);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, SPEC_ICC_IAR1), 1);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 0, "no EOI, no LR: the run loop's");
	cr_assert_eq(locks, 0);
	cr_assert_eq(lr_get(0), 0, "nothing presented");
	/* The run loop's way, as before: save and restore present the SGI. */
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
	cr_assert_eq(hyp_vgic_restore(&gv[1]), 0);
	cr_assert(lr_get(0) & SPEC_ICH_LR_PENDING);
	cr_assert_eq(lr_intid(lr_get(0)), 3);
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
}

/* The guest is in the handler of SGI 4 (active in LR 0) when SGI 3 comes
 * again (LR 1, taken and empty): the refill touches SGI 3's LR alone; the
 * run loop's save and restore read back and rewrite SGI 4's too. */
Test(switch_irqfast, refill_touches_only_the_kicked_lr)
{
	unsigned refill_total, full_total;
	uint64_t v = 1u << 3 | 1u << 4;
	int lr;

	kick_setup();
	cr_assert_eq(hyp_vgic_redist_access(&gvm, &gv[1], 0x20000 + 0x10100, 4, true, &v), 0);
	cr_assert_eq(hyp_vgic_send_sgi(&gvm, &gv[0], 4, 1u << 1, true), 1);
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	cr_assert_eq(guest_ack(), 0, "SGI 4 in LR 0, acknowledged, stays active");
	send_sgi3();
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	lr = guest_ack();
	cr_assert_eq(lr, 1);
	cr_assert_eq(lr_intid(lr_get(1)), 3);
	guest_eoi(lr);
	send_sgi3();
	reset_counts();
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	refill_total = hyp_sim_total(&sim);
	cr_assert_eq(refill_total, 2, "ELRSR read, LR 1 written");
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ICH_ELRSR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, lr_enc(1)), 1);
	cr_assert(lr_get(0) & SPEC_ICH_LR_ACTIVE, "SGI 4 still active");
	cr_assert(lr_get(1) & SPEC_ICH_LR_PENDING, "SGI 3 pending again");
	lr = guest_ack();
	cr_assert_eq(lr, 1);
	guest_eoi(lr);
	send_sgi3();
	reset_counts();
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
	cr_assert_eq(hyp_vgic_restore(&gv[1]), 0);
	full_total = hyp_sim_total(&sim);
	/* ELRSR; LR 0 read and cleared; LR 0 and LR 1 written. */
	cr_assert_eq(full_total, 5, "save + restore: %u accesses", full_total);
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
}

Test(switch_irqfast, refill_bad_input_touches_nothing)
{
	struct hyp_vgic_vcpu none;

	kick_setup();
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0); /* out of the guest */
	memset(&none, 0, sizeof(none));
	reset_counts();
	locks = 0;
	cr_assert_eq(hyp_vgic_refill(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_refill(&none), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_refill(&gv[1]), HYP_ESTATE, "not in the guest");
	cr_assert_eq(hyp_vgic_refill(&gv[0]), HYP_ESTATE, "not loaded");
	cr_assert_eq(hyp_sim_total(&sim), 0);
	cr_assert_eq(locks, 0);
	cr_assert(!gv[1].in_guest);
}

/* When the fast LR delivery cannot be used (every LR in use by a pending
 * interrupt: no free LR, none ELRSR lists as empty), the refill falls
 * back to the full save and restore, which raises the underflow
 * maintenance request (ICH_HCR_EL2.UIE, bit 1: IHI 0069 12.4.5) for the
 * interrupt that does not fit. */
Test(switch_irqfast, refill_without_a_free_lr_saves_and_restores)
{
	uint64_t v = 0xff;

	kick_setup();
	cr_assert_eq(hyp_vgic_redist_access(&gvm, &gv[1], 0x20000 + 0x10100, 4, true, &v), 0);
	for (unsigned sgi = 0; sgi < 4; sgi++) {
		cr_assert_eq(hyp_vgic_send_sgi(&gvm, &gv[0], sgi, 1u << 1, true), 1);
		cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	}
	for (unsigned i = 0; i < 4; i++)
		cr_assert(lr_get(i) & SPEC_ICH_LR_PENDING, "LR %u", i);
	cr_assert_eq(hw_hcr() & SPEC_HCR_UIE, 0);
	cr_assert_eq(hyp_vgic_send_sgi(&gvm, &gv[0], 5, 1u << 1, true), 1);
	reset_counts();
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	cr_assert_gt(sim.counts[HYP_SIM_SYSREG_READ], 1, "the full save read the LRs back");
	cr_assert(hw_hcr() & SPEC_HCR_UIE, "SGI 5 waits for an LR");
	cr_assert(gv[1].in_guest);
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
}

/* A GICv2-model VM of 2 vCPUs on the hardware boot_v2()/boot_v3() set up:
 * both groups enabled (GICD_CTLR), vCPU 1 in the guest with no LR used. */
static void v2_model_setup(void)
{
	struct hyp_vgic_config c = {
	    .model = HYP_VGIC_MODEL_V2,
	    .hw = &hw,
	    .vcpus = gv,
	    .nr_vcpus = 2,
	    .spis = gspis,
	    .nr_spis = 32,
	    .dist_base = 0x08000000,
	    .ops = &ops,
	};
	uint64_t v = 1;

	cr_assert_eq(hyp_vgic_init(&gvm, &c), 0);
	cr_assert_eq(hyp_vgic_dist_access(&gvm, &gv[0], 0, 4, true, &v), HYP_VGIC_MMIO_DONE);
	cr_assert_eq(hyp_vgic_load(&gv[1]), 0);
	cr_assert_eq(hyp_vgic_restore(&gv[1]), 0);
	kicks = locks = unlocks = 0;
}

/* GICv2 hardware and model: the same refill on the GICH frame (IHI 0048B
 * 5.3: GICH_HCR 0x000, GICH_ELRSR0 0x030, GICH_LR0 0x100). vCPU 0 sends
 * SGI 3 to vCPU 1 with GICD_SGIR (0xf00: CPUTargetList [23:16], SGIINTID
 * [3:0]; IHI 0048B 4.3.15); the LR's CPUID [12:10] names the source. */
Test(switch_irqfast, refill_on_gicv2)
{
	uint64_t v;
	unsigned log[4];

	boot_v2(4);
	v2_model_setup();
	for (unsigned round = 0; round < 3; round++) {
		v = 2u << 16 | 3;
		cr_assert_eq(hyp_vgic_dist_access(&gvm, &gv[0], 0xf00, 4, true, &v),
			     HYP_VGIC_MMIO_DONE);
		cr_assert_eq(kicks, round + 1, "the running target is kicked");
		reset_counts();
		cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
		/* LR 0 (GICH_LR0) written, GICH_HCR once (En); then the LR the
		 * SGI held, which GICH_ELRSR0 lists as empty: one read. */
		cr_assert_eq(gich.writes, round ? 1u : 2u, "round %u", round);
		cr_assert_eq(gich.reads, round ? 1u : 0u, "round %u", round);
		cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ] + sim.counts[HYP_SIM_SYSREG_WRITE], 0);
		cr_assert_eq((lr_get(0) >> SPEC_GICH_LR_CPUID_SHIFT) & 7, 0, "from vCPU 0");
		cr_assert(lr_get(0) & SPEC_GICH_LR_PENDING);
		cr_assert_eq(guest_take_all(log, 4), 1);
		cr_assert_eq(log[0], 3);
	}
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
}

/* A GICv2 VM on GICv3 hardware (the legacy interface): the model's SGI
 * sources, the ICH_*_EL2 registers. */
Test(switch_irqfast, refill_gicv2_model_on_gicv3)
{
	uint64_t v;
	unsigned log[4];

	boot_v3(ICH_VTR(4, 5, 5));
	v2_model_setup();
	for (unsigned round = 0; round < 3; round++) {
		v = 2u << 16 | 3;
		cr_assert_eq(hyp_vgic_dist_access(&gvm, &gv[0], 0xf00, 4, true, &v),
			     HYP_VGIC_MMIO_DONE);
		cr_assert_eq(kicks, round + 1, "the running target is kicked");
		reset_counts();
		cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
		cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], round ? 1u : 2u, "round %u", round);
		cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], round ? 1u : 0u, "round %u", round);
		cr_assert_eq(hyp_sim_reg_writes(&sim, lr_enc(0)), 1);
		cr_assert(lr_get(0) & SPEC_ICH_LR_PENDING);
		cr_assert_eq(guest_take_all(log, 4), 1);
		cr_assert_eq(log[0], 3);
	}
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
}

/* The common refill: SGI 3, taken and deactivated by the guest (its LR
 * invalid, listed by ICH_ELRSR_EL2), comes again and is presented in the
 * same LR: exactly the value an entry would write (ICH_LR<n>_EL2, IHI 0069
 * 12.4.9: State [63:62] = 0b01 pending, Group [60], Priority [55:48],
 * vINTID [31:0]; no HW, no EOI), its pending state consumed in memory
 * (taken twice, the guest sees it twice, never a third time). */
Test(switch_irqfast, refill_presents_a_taken_sgi_again_as_an_entry_would)
{
	struct hyp_vgic_irq *irq = &gv[1].priv[3];
	uint64_t want, entry_lr;
	unsigned log[4];

	kick_setup();
	send_sgi3();
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	entry_lr = lr_get(0);
	want = SPEC_ICH_LR_PENDING | (irq->group1 ? SPEC_ICH_LR_GROUP1 : 0) |
	       (uint64_t)irq->priority << 48 | 3;
	cr_assert_eq(entry_lr, want, "LR0 %#llx", (unsigned long long)entry_lr);
	cr_assert_eq(guest_take_all(log, 4), 1);
	send_sgi3();
	reset_counts();
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	cr_assert_eq(hyp_sim_total(&sim), 2, "ELRSR read, LR 0 written");
	cr_assert_eq(lr_get(0), want, "LR0 %#llx", (unsigned long long)lr_get(0));
	cr_assert_not(irq->latch, "the edge lives in the LR");
	cr_assert_not(irq->active);
	cr_assert(irq->in_lr);
	cr_assert_eq(irq->lr, 0);
	cr_assert_eq(gv[1].lr_irq[0], irq);
	cr_assert_eq(gv[1].used_lrs, 1);
	cr_assert_eq(gv[1].eoi_lrs, 0);
	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(log[0], 3);
	/* A kick with nothing new: nothing presented, no LR written. */
	reset_counts();
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
	cr_assert_eq(guest_take_all(log, 4), 0);
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
	cr_assert_not(irq->latch, "taken twice, pending no more");
}

/* The same SGI, disabled by the guest (GICR_ICENABLER0, SGI_base +
 * 0x0180, IHI 0069 12.10) after it took it and before it comes again:
 * not the re-presentation; its LR is emptied and the pending state waits
 * in memory until the SGI is enabled again (GICR_ISENABLER0 0x0100). */
Test(switch_irqfast, refill_of_a_disabled_sgi_keeps_it_pending_in_memory)
{
	struct hyp_vgic_irq *irq = &gv[1].priv[3];
	uint64_t v = 1u << 3;
	unsigned log[4];

	kick_setup();
	send_sgi3();
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(hyp_vgic_redist_access(&gvm, &gv[1], 0x20000 + 0x10180, 4, true, &v), 0);
	cr_assert_eq(hyp_vgic_send_sgi(&gvm, &gv[0], 3, 1u << 1, true), 1);
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	cr_assert_eq(lr_get(0), 0, "LR0 %#llx", (unsigned long long)lr_get(0));
	cr_assert(irq->latch, "pending, not lost");
	cr_assert_eq(guest_take_all(log, 4), 0);
	v = 1u << 3;
	cr_assert_eq(hyp_vgic_redist_access(&gvm, &gv[1], 0x20000 + 0x10100, 4, true, &v), 0);
	cr_assert_eq(hyp_vgic_refill(&gv[1]), 0);
	/* LR 0 stays in the used set, empty, until the next entry: the
	 * next free one is LR 1. */
	cr_assert_eq(lr_get(0), 0);
	cr_assert(lr_get(1) & SPEC_ICH_LR_PENDING, "presented once enabled");
	cr_assert_eq(guest_take_all(log, 4), 1);
	cr_assert_eq(log[0], 3);
	cr_assert_eq(hyp_vgic_save(&gv[1]), 0);
	cr_assert_not(irq->latch);
}
