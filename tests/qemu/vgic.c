/* SPDX-License-Identifier: MIT */
/*
 * The vgic on a real (emulated) GIC: virtual interrupts written into real
 * list registers (GICv3: ICH_LR<n>_EL2; GICv2, built with VGIC_TEST_V2:
 * GICH_LR<n> through the GICH frame) and taken by an EL1 guest stub
 * (vgic_guest.S) that acknowledges and EOIs them; the guest is entered with
 * the switch module's hyp_vcpu_run(). Phases:
 *  1. one SPI: LR written and read back at EL2, delivered, EOI'd, the exit
 *     finds the LR empty in ELRSR;
 *  2. an interrupt left active across an exit: the LR is read back active,
 *     re-presented active, then EOI'd;
 *  3. (GICv3) self-SGIs from trapped ICC_SGI1R_EL1 writes, through a sysreg
 *     trap table entry for hyp_vgic_sgi_trap(); (GICv2) an SGI whose source
 *     vCPU shows in GICV_IAR's CPUID;
 *  4. six SPIs through four LRs: the underflow maintenance interrupt (PPI
 *     9, INTID 25) of the physical GIC exits the guest to refill them; all
 *     taken in priority order;
 *  5. seed 004's self-IPI guest: with stage 2 on, the guest's own driver
 *     programs the emulated GICD/GICR through trapped MMIO (the switch's
 *     hyp_mmio record handed to hyp_vgic_mmio()), then sends itself SGIs
 *     (GICv3: trapped ICC_SGI1R_EL1; GICv2: trapped GICD_SGIR);
 *  6. (GICv3) the APRs switched at load/put through the real registers,
 *     also for a GICv2 guest on the GICv3 (its AP0Rn too);
 *  7. ICPENDR/ICACTIVER for an interrupt in the accessor's live LR update
 *     the real LR, and the exit's fold keeps them.
 */
#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/switch.h>
#include <libhyp/vgic.h>

#include "switch_util.h"
#include "testlib.h"

extern const uint32_t vg_wait[], vg_sgi[], vg_driver[], vg_vectors[];

/* QEMU virt, gic-version=2: IHI 0048B frames. */
#define GICD_V2	    0x08000000ul
#define GICC_V2	    0x08010000ul
#define GICH_V2	    0x08030000ul
#define GICV_V2	    0x08040000ul
#define MAINT_INTID 25 /* PPI 9 */
/* Where the guest sees its (emulated) GIC: IPAs stage 2 leaves unmapped. */
#define VGICD_IPA 0x80000000ul
#define VGICR_IPA 0x800a0000ul

#define HVC_REPORT 1
#define HVC_ACKED  2

#ifdef VGIC_TEST_V2
#define V2   1
#define NAME "v2"
#else
#define V2   0
#define NAME "v3"
#endif

static bool vhe;
static struct hyp_vcpu vcpu;
static struct hyp_vgic_hw hw;
static struct hyp_vgic vm;
static struct hyp_vgic_vcpu gv[2];
static struct hyp_vgic_irq spis[32];
static struct hyp_cpufeat_cpu feat_cpus[1];
static struct hyp_sysreg_vcpu sysreg_vcpu; /* identifies the requester of SGIs */
static uint32_t guest_log[32];
static unsigned irq_exits, maint_exits, sgi_traps, mmio_exits;


/* --- The physical GIC: deliver the maintenance interrupt to EL2 */

static void phys_gic_init(void)
{
	if (!V2) {
		sw_gic_enable_ppi(MAINT_INTID);
		return;
	}
	/* IHI 0048B 4.3 / 4.4: distributor and CPU interface on, the PPI
	 * enabled at a priority the mask lets through. */
	hyp_mmio_write32(GICD_V2 + 0x400 + (MAINT_INTID & ~3u), 0x80u << (8 * (MAINT_INTID & 3u)));
	hyp_mmio_write32(GICD_V2 + 0x100, 1u << MAINT_INTID);
	hyp_mmio_write32(GICD_V2 + 0x0, 1);
	hyp_mmio_write32(GICC_V2 + 0x4, 0xff);
	hyp_mmio_write32(GICC_V2 + 0x0, 1);
}

static unsigned phys_ack(void)
{
	return V2 ? hyp_mmio_read32(GICC_V2 + 0xc) & 0x3ff : sw_gic_ack();
}

static void phys_eoi(unsigned intid)
{
	if (V2)
		hyp_mmio_write32(GICC_V2 + 0x10, intid);
	else
		sw_gic_eoi(intid);
}

/* --- The run loop an integrator writes */

/* Every other SGI trap goes through the direct forms (issue 14):
 * hyp_vgic_sgi_direct() for ICC_SGI1R_EL1, hyp_vgic_dabt_sgir() for
 * GICD_SGIR; they complete the instruction themselves. Counted apart. */
static unsigned sgi_toggle, sgir_toggle, sgi_direct, sgir_direct, sgir_decoded;

static int trap_sysreg_direct(struct hyp_vcpu *v)
{
	unsigned rt = (unsigned)(v->exit.esr >> 5) & 31u;
	uint64_t zero = 0;

	if (hyp_vgic_sgi_direct(v, v->exit.esr, rt == 31 ? &zero : &v->regs.x[rt], NULL) !=
	    HYP_FAST_RESUME_X0_X18)
		return -1;
	sgi_traps++;
	sgi_direct++;
	return 0;
}

static int trap_sysreg(struct hyp_vcpu *v)
{
	static const struct hyp_sysreg_trap_entry entries[] = {
	    {HYP_SYS_ICC_SGI1R_EL1, hyp_vgic_sgi_trap, &vm},
	};
	static const struct hyp_sysreg_trap_table table = {entries, 1};
	const struct hyp_sysreg_trap_entry *e;
	struct hyp_sysreg_access a;

	if (sgi_toggle++ & 1)
		return trap_sysreg_direct(v);
	if (hyp_sysreg_decode(v->exit.esr, &a) != 0)
		return -1;
	e = hyp_sysreg_trap_find(&table, a.enc);
	if (!e)
		return -1;
	a.val = hyp_vcpu_get_x(v, a.rt);
	if (e->fn(&sysreg_vcpu, &a, e->ctx) != HYP_SYSREG_HANDLED)
		return -1;
	sgi_traps++;
	hyp_vcpu_skip_insn(v);
	return 0;
}

/* A guest access to its GIC frames: the switch decodes, the vgic emulates. */
static int trap_mmio(struct hyp_vcpu *v)
{
	struct hyp_mmio m;
	uint64_t val;

	if ((sgir_toggle & 1) && hyp_vgic_dabt_sgir(v, v->exit.esr) == HYP_FAST_RESUME_X0_X18) {
		sgir_toggle++;
		sgir_direct++;
		mmio_exits++;
		return 0;
	}
	if (hyp_mmio_decode(v, &m) != 0)
		return -1;
	if (m.write && m.size == 4 && m.ipa == VGICD_IPA + 0xf00) {
		sgir_toggle++;
		sgir_decoded++;
	}
	val = m.data;
	if (hyp_vgic_mmio(&vm, &gv[0], m.ipa, m.size, m.write, &val) < 0)
		return -1;
	mmio_exits++;
	return hyp_mmio_complete(v, &m, val);
}

/* Enter the guest until it reports with HVC; returns the HVC immediate. */
static unsigned run(void)
{
	for (unsigned n = 0; n < 1u << 20; n++) {
		unsigned intid = 1023;

		hyp_vgic_restore(&gv[0]);
		hyp_vcpu_run(&vcpu);
		/* Acknowledge before the vgic exit clears UIE: the maintenance
		 * interrupt is level-sensitive and would vanish (read 1023). */
		if (vcpu.exit.kind == HYP_EXIT_IRQ)
			intid = phys_ack();
		hyp_vgic_save(&gv[0]);
		if (vcpu.exit.kind == HYP_EXIT_IRQ) {
			irq_exits++;
			if (intid == MAINT_INTID)
				maint_exits++;
			if (intid < 1020)
				phys_eoi(intid);
			continue;
		}
		if (vcpu.exit.kind == HYP_EXIT_SYNC && hyp_esr_ec(vcpu.exit.esr) == HYP_EC_SYS64 &&
		    trap_sysreg(&vcpu) == 0)
			continue;
		if (vcpu.exit.kind == HYP_EXIT_SYNC &&
		    hyp_esr_ec(vcpu.exit.esr) == HYP_EC_DABT_LOW && trap_mmio(&vcpu) == 0)
			continue;
		if (vcpu.exit.kind == HYP_EXIT_SYNC && hyp_esr_ec(vcpu.exit.esr) == HYP_EC_HVC64)
			return hyp_esr_imm16(vcpu.exit.esr);
		break;
	}
	test_failures++;
	test_print_reg("FAIL: unexpected exit, kind", vcpu.exit.kind);
	test_print_reg("ESR_EL2", vcpu.exit.esr);
	test_print_reg("PC", vcpu.regs.pc);
	test_print_reg("x0", vcpu.regs.x[0]);
	return 0;
}

static void guest_start(const uint32_t *pc, uint64_t wait, bool report_acked)
{
	vcpu.regs.pc = (uint64_t)(uintptr_t)pc;
	vcpu.regs.pstate = HYP_PSR_RESET;
	vcpu.regs.x[20] = (uint64_t)(uintptr_t)guest_log;
	vcpu.regs.x[21] = 0;
	vcpu.regs.x[22] = report_acked;
	vcpu.regs.x[23] = V2 ? GICV_V2 : 0;
	vcpu.regs.x[24] = wait;
	vcpu.regs.x[25] = wait;
}

static uint64_t lr0(void)
{
	return V2 ? hyp_mmio_read32(GICH_V2 + HYP_GICH_LR0) : hyp_read_sysreg(HYP_SYS_ICH_LR0_EL2);
}

static void enable_spi(unsigned intid, uint8_t prio)
{
	uint64_t v = 1u << (intid % 32);

	hyp_vgic_dist_access(&vm, &gv[0], 0x100 + intid / 32 * 4, 4, true, &v);
	v = prio;
	hyp_vgic_dist_access(&vm, &gv[0], 0x400 + intid, 1, true, &v);
	v = V2 ? 1 : 0; /* ITARGETSR: CPU 0 / IROUTER: Aff 0.0.0.0 */
	hyp_vgic_dist_access(&vm, &gv[0], V2 ? 0x800 + intid : 0x6000 + 8 * intid, V2 ? 1 : 8, true,
			     &v);
	hyp_vgic_irq_set_level(&vm, NULL, intid, false);
}

/* --- Phases */

static void phase_one(void)
{
	/* Literals from the specifications: GICH_LRn (IHI 0048B 5.3)
	 * VirtualID 40, Priority[7:3] 0x14 at [27:23], pending [28], Group 0;
	 * ICH_LR<n>_EL2 (IHI 0069 ch. 12) vINTID 40, Priority 0xa0 at
	 * [55:48], Group 1 [60], pending [62]. */
	uint64_t want = V2 ? 0x1a000028ull : 0x50a0000000000028ull;

	enable_spi(40, 0xa0);
	test_check("raise", (uint64_t)hyp_vgic_irq_raise(&vm, NULL, 40), 0);
	/* The real LR, written and read back at EL2. */
	hyp_vgic_restore(&gv[0]);
	test_print_reg("LR0 written", lr0());
	test_check("LR0 read back", lr0(), want);
	hyp_vgic_save(&gv[0]);
	test_check("not taken: kept pending", spis[8].latch, 1);

	guest_start(vg_wait, 1, false);
	test_check("report", run(), HVC_REPORT);
	test_check("guest took", vcpu.regs.x[21], 1);
	test_check("guest IAR", guest_log[0], 40);
	test_check("ELRSR: LR0 empty at exit", gv[0].elrsr & 1, 1);
	test_check("not active", spis[8].active, 0);
	test_check("not pending", spis[8].latch, 0);
	if (!test_failures)
		test_puts("lr delivery ok\n");
}

static void phase_active(void)
{
	unsigned f = test_failures;

	enable_spi(41, 0x90);
	hyp_vgic_irq_raise(&vm, NULL, 41);
	guest_start(vg_wait, 1, true);
	test_check("acked report", run(), HVC_ACKED);
	/* The exit read LR0 back: active, not pending. */
	test_check("active in memory", spis[9].active, 1);
	test_check("LR0 read active", gv[0].lr[0] & (V2 ? 1ull << 29 : 1ull << 63) ? 1 : 0,
	      1); /* State: active */
	test_check("LR0 wiped", lr0(), 0);
	/* Re-entered: the active interrupt is back in an LR, the guest EOIs it. */
	test_check("final report", run(), HVC_REPORT);
	test_check("inactive after EOI", spis[9].active, 0);
	test_check("guest IAR", guest_log[0], 41);
	if (test_failures == f)
		test_puts("active across exit ok\n");
}

static void phase_sgi(void)
{
	unsigned f = test_failures;
	uint64_t v;

	if (V2) {
		/* vCPU 1 sends SGI 2 to vCPU 0: GICV_IAR carries CPUID 1. */
		v = 0x80808080;
		hyp_vgic_dist_access(&vm, &gv[0], 0x400, 4, true, &v);
		test_check("send", (uint64_t)hyp_vgic_send_sgi(&vm, &gv[1], 2, 1, false), 1);
		guest_start(vg_wait, 1, false);
		test_check("report", run(), HVC_REPORT);
		test_check("GICV_IAR: SGI 2 from CPU 1", guest_log[0], 2u | 1u << 10);
		if (test_failures == f)
			test_puts("sgi ok\n");
		return;
	}
	/* The guest enables SGI 1 in its redistributor (emulated). */
	v = 1u << 1;
	hyp_vgic_redist_access(&vm, &gv[0], 0x10100, 4, true, &v);
	v = 0xa0;
	hyp_vgic_redist_access(&vm, &gv[0], 0x10401, 1, true, &v);
	hyp_vgic_vcpu_bind_sysreg(&gv[0], &sysreg_vcpu);
	sgi_traps = 0;
	guest_start(vg_sgi, 8, false);
	test_check("report", run(), HVC_REPORT);
	test_check("SGI1R traps", sgi_traps, 8);
	test_check("SGIs taken", vcpu.regs.x[21], 8);
	for (unsigned i = 0; i < 8; i++)
		test_check("SGI INTID", guest_log[i], 1);
	if (test_failures == f)
		test_puts("sgi ok: 8 self-SGIs through trapped ICC_SGI1R_EL1\n");
}

static void phase_overflow(void)
{
	static const uint8_t prio[6] = {0x60, 0x20, 0x50, 0x10, 0x40, 0x30};
	unsigned f = test_failures;

	for (unsigned i = 0; i < 6; i++)
		enable_spi(48 + i, prio[i]);
	for (unsigned i = 0; i < 6; i++)
		hyp_vgic_irq_raise(&vm, NULL, 48 + i);
	irq_exits = maint_exits = 0;
	guest_start(vg_wait, 6, false);
	test_check("report", run(), HVC_REPORT);
	test_check("taken", vcpu.regs.x[21], 6);
	for (unsigned i = 1; i < 6; i++)
		test_check("priority order",
		      spis[guest_log[i - 1] - 32].priority < spis[guest_log[i] - 32].priority, 1);
	test_check("first: highest priority", guest_log[0], 51);
	test_check("last: lowest priority", guest_log[5], 48);
	test_check("overflowed entries", gv[0].stats.overflows >= 1, 1);
	test_print_reg("maintenance exits", maint_exits);
	test_check("maintenance interrupt exited the guest", maint_exits >= 1, 1);
	test_check(
	    "HCR: no maintenance left enabled",
	    (V2 ? hyp_mmio_read32(GICH_V2 + HYP_GICH_HCR) : hyp_read_sysreg(HYP_SYS_ICH_HCR_EL2)) &
		0xfeu /* UIE, LRENPIE, NPIE, VGrp0EIE..VGrp1DIE: [7:1] */,
	    0);
	if (test_failures == f)
		test_puts("overflow ok: 6 interrupts through 4 LRs, in priority order\n");
}

/* Stage 2 (4 KiB granule, 4 GiB IPA, level-1 blocks): devices and RAM
 * identity-mapped, the guest's GIC frames at 0x80000000 left unmapped so
 * that every access traps. */
/* 7. A guest write to GICD_ICPENDR / ICACTIVER for an interrupt in its
 * own live LR (emulated on the trap path, before the exit is folded): the
 * real LR is updated at once, and the fold at the exit keeps the write.
 * LR State (IHI 0069 ch. 12 ICH_LR<n>_EL2 [63:62]; IHI 0048B 5.3 GICH_LRn
 * [29:28]). */
static void phase_lrsync(void)
{
	uint64_t pend = V2 ? 1ull << 28 : 1ull << 62, act = V2 ? 1ull << 29 : 1ull << 63;
	uint64_t v = 1u << (50 % 32);
	unsigned f = test_failures;

	enable_spi(50, 0x80);
	hyp_vgic_irq_raise(&vm, NULL, 50);
	hyp_vgic_restore(&gv[0]);
	test_check("lrsync: LR0 pending", lr0() & (pend | act), pend);
	hyp_vgic_dist_access(&vm, &gv[0], 0x284, 4, true, &v); /* ICPENDR1 */
	test_check("lrsync: ICPENDR cleared the live LR", lr0() & (pend | act), 0);
	hyp_vgic_save(&gv[0]);
	test_check("lrsync: not pending after the exit", spis[18].latch, 0);
	hyp_vgic_restore(&gv[0]);
	test_check("lrsync: not presented again", gv[0].used_lrs, 0);
	hyp_vgic_save(&gv[0]);

	/* Active (ISACTIVER, as if acknowledged), then ICACTIVER. */
	hyp_vgic_dist_access(&vm, &gv[0], 0x304, 4, true, &v); /* ISACTIVER1 */
	hyp_vgic_restore(&gv[0]);
	test_check("lrsync: LR0 active", lr0() & (pend | act), act);
	hyp_vgic_dist_access(&vm, &gv[0], 0x384, 4, true, &v); /* ICACTIVER1 */
	test_check("lrsync: ICACTIVER cleared the live LR", lr0() & (pend | act), 0);
	hyp_vgic_save(&gv[0]);
	test_check("lrsync: inactive after the exit", spis[18].active, 0);
	if (test_failures == f)
		test_puts("lrsync ok: ICPENDR/ICACTIVER on a live LR kept over the exit\n");
}

/* 8. Issue 14 item 4, the incremental path on the real list registers:
 * a VM whose integrator takes in-place LR updates (hyp_vgic_ops::local),
 * its vCPU "in the guest" (between restore and save), four self-SGIs
 * filling the four LRs. The guest is done with LR 2 when its State is 0
 * and EOI 0 (as a deactivation leaves it): the hardware's ELRSR
 * (ICH_ELRSR_EL2, IHI 0069 ch. 12; GICH_ELRSR0, IHI 0048B 5.3) then lists
 * it, and a fifth SGI takes that LR without a full save and restore. LR
 * State: ICH_LR<n>_EL2 [63:62], vINTID [31:0]; GICH_LRn [29:28], VirtualID
 * [9:0]. */
static struct hyp_vgic locvm;
static struct hyp_vgic_vcpu locgv[1];

static bool loc_local(const struct hyp_vgic_vcpu *v, void *ctx)
{
	(void)v;
	(void)ctx;
	return true;
}

static const struct hyp_vgic_ops loc_ops = {.local = loc_local};

static uint64_t lr_n(unsigned i)
{
	if (V2)
		return hyp_mmio_read32(GICH_V2 + HYP_GICH_LR0 + 4 * i);
	switch (i) {
	case 0:
		return hyp_read_sysreg(HYP_SYS_ICH_LR0_EL2);
	case 1:
		return hyp_read_sysreg(HYP_SYS_ICH_LR1_EL2);
	case 2:
		return hyp_read_sysreg(HYP_SYS_ICH_LR2_EL2);
	default:
		return hyp_read_sysreg(HYP_SYS_ICH_LR3_EL2);
	}
}

static void phase_incremental(void)
{
	struct hyp_vgic_config cfg = {
	    .model = V2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3,
	    .hw = &hw,
	    .vcpus = locgv,
	    .nr_vcpus = 1,
	    .ops = &loc_ops,
	};
	uint64_t state = V2 ? 3ull << 28 : 3ull << 62, pend = V2 ? 1ull << 28 : 1ull << 62;
	uint64_t idmask = V2 ? 0x3ffu : 0xffffffffu, v, elrsr;
	unsigned f = test_failures;

	if (hw.nr_lrs != 4) {
		test_puts("incremental: skipped (not 4 LRs)\n");
		return;
	}
	test_check("incremental: init", (uint64_t)hyp_vgic_init(&locvm, &cfg), 0);
	v = 3;
	hyp_vgic_dist_access(&locvm, &locgv[0], 0x0, 4, true, &v); /* GICD_CTLR */
	if (!V2) {
		v = 0x3f; /* GICR SGI_base + ISENABLER0: SGIs 0..5 */
		hyp_vgic_redist_access(&locvm, &locgv[0], 0x10100, 4, true, &v);
	}
	hyp_vgic_load(&locgv[0]);
	hyp_vgic_restore(&locgv[0]);
	for (unsigned s = 0; s < 4; s++) {
		if (V2) {
			v = 2u << 24 | s; /* GICD_SGIR, TargetListFilter 0b10: self */
			hyp_vgic_dist_access(&locvm, &locgv[0], 0xf00, 4, true, &v);
		} else {
			hyp_vgic_send_sgi(&locvm, &locgv[0], s, 1, true);
		}
	}
	for (unsigned i = 0; i < 4; i++) {
		test_check("incremental: LR pending", lr_n(i) & state, pend);
		test_check("incremental: LR vINTID", lr_n(i) & idmask, i);
	}
	/* The guest is done with SGI 2 (State 0, EOI 0). */
	if (V2)
		hyp_mmio_write32(GICH_V2 + HYP_GICH_LR0 + 8, (uint32_t)(lr_n(2) & ~state));
	else
		hyp_write_sysreg(HYP_SYS_ICH_LR2_EL2, lr_n(2) & ~state);
	hyp_isb();
	elrsr = V2 ? hyp_mmio_read32(GICH_V2 + HYP_GICH_ELRSR0)
		   : hyp_read_sysreg(HYP_SYS_ICH_ELRSR_EL2);
	test_check("incremental: ELRSR lists LR 2 alone", elrsr & 0xf, 1u << 2);
	if (V2) {
		v = 2u << 24 | 5;
		hyp_vgic_dist_access(&locvm, &locgv[0], 0xf00, 4, true, &v);
	} else {
		hyp_vgic_send_sgi(&locvm, &locgv[0], 5, 1, true);
	}
	test_check("incremental: no full path needed", locgv[0].refresh, 0);
	test_check("incremental: SGI 5 in LR 2", lr_n(2) & idmask, 5);
	test_check("incremental: LR 2 pending", lr_n(2) & state, pend);
	for (unsigned i = 0; i < 4; i++)
		if (i != 2)
			test_check("incremental: other LRs untouched", lr_n(i) & idmask, i);
	hyp_vgic_save(&locgv[0]);
	test_check("incremental: SGI 2 done", locgv[0].priv[2].latch | locgv[0].priv[2].sources, 0);
	test_check("incremental: SGI 5 still pending",
		   V2 ? locgv[0].priv[5].sources != 0 : locgv[0].priv[5].latch, 1);
	hyp_vgic_put(&locgv[0]);
	if (test_failures == f)
		test_puts("incremental ok: a full set of LRs, one empty by ELRSR, reused by one write\n");
}

/* 6. (GICv3) APRs through the real ICH_AP0R0_EL2 / ICH_AP1R0_EL2 (MSR/MRS
 * S3_4_C12_C8_0 / S3_4_C12_C9_0, IHI 0069 ch. 12): load writes both, put
 * reads both back, for a GICv3 guest and for a GICv2 (legacy) guest:
 * garbage a previous vCPU left in ICH_AP0R0_EL2 must not stay live under
 * it (the running priority counts both groups, IHI 0069 ICV_RPR_EL1). */
static struct hyp_vgic v2vm;
static struct hyp_vgic_vcpu v2gv[1];

static void phase_aprs(void)
{
	struct hyp_vgic_config c = {
	    .model = HYP_VGIC_MODEL_V2, .hw = &hw, .vcpus = v2gv, .nr_vcpus = 1};
	unsigned f = test_failures;

	for (int legacy = 0; legacy < 2; legacy++) {
		struct hyp_vgic_vcpu *g = legacy ? &v2gv[0] : &gv[1];

		if (legacy)
			test_check("v2 guest on v3: init", (uint64_t)hyp_vgic_init(&v2vm, &c), 0);
		/* Garbage left by someone else. */
		hyp_write_sysreg(HYP_SYSREG_ENC(3, 4, 12, 8, 0), 0x5a5a5a5a);
		hyp_write_sysreg(HYP_SYSREG_ENC(3, 4, 12, 9, 0), 0xa5a5a5a5);
		g->ap0r[0] = 0x00000001;
		g->ap1r[0] = 0x80000000;
		hyp_vgic_load(g);
		test_check(legacy ? "legacy: AP0R0 restored" : "AP0R0 restored",
		      hyp_read_sysreg(HYP_SYSREG_ENC(3, 4, 12, 8, 0)), 0x00000001);
		test_check(legacy ? "legacy: AP1R0 restored" : "AP1R0 restored",
		      hyp_read_sysreg(HYP_SYSREG_ENC(3, 4, 12, 9, 0)), 0x80000000);
		/* The guest's CPU interface changes them. */
		hyp_write_sysreg(HYP_SYSREG_ENC(3, 4, 12, 8, 0), 0x00000100);
		hyp_write_sysreg(HYP_SYSREG_ENC(3, 4, 12, 9, 0), 0x00010000);
		hyp_vgic_put(g);
		test_check(legacy ? "legacy: AP0R0 saved" : "AP0R0 saved", g->ap0r[0], 0x00000100);
		test_check(legacy ? "legacy: AP1R0 saved" : "AP1R0 saved", g->ap1r[0], 0x00010000);
	}
	hyp_write_sysreg(HYP_SYSREG_ENC(3, 4, 12, 8, 0), 0);
	hyp_write_sysreg(HYP_SYSREG_ENC(3, 4, 12, 9, 0), 0);
	if (test_failures == f)
		test_puts("aprs ok: AP0R0 and AP1R0 switched, GICv3 and legacy guests\n");
}

static uint64_t s2_l1[512] __attribute__((aligned(4096)));

static void stage2_enable(void)
{
	/* Block descriptors (Arm ARM D8.3): valid block, AF, S2AP RW; MemAttr
	 * Device-nGnRE for the first GiB, Normal WB inner-shareable for RAM. */
	s2_l1[0] = 0x00000000 | 1 | 1u << 10 | 3u << 6 | 1u << 2;
	s2_l1[1] = 0x40000000 | 1 | 1u << 10 | 3u << 8 | 3u << 6 | 0xfu << 2;
	/* VTCR_EL2: T0SZ 32, SL0 1 (level 1), WB walks, inner shareable,
	 * TG0 4K, PS 32 bits, RES1 bit 31. */
	hyp_write_sysreg(HYP_SYS_VTCR_EL2, 32 | 1u << 6 | 1u << 8 | 1u << 10 | 3u << 12 | 1u << 31);
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, (uint64_t)(uintptr_t)s2_l1 | 1ull << 48);
	hyp_dsb(ISHST);
	hyp_isb();
	hyp_tlbi_vmalls12e1is();
	hyp_dsb(ISH);
	hyp_isb();
}

static void phase_driver(void)
{
	unsigned f = test_failures;
	const unsigned n = 16;

	stage2_enable();
	hyp_vcpu_update_hcr(&vcpu, 0, HYP_HCR_VM);
	hyp_vgic_vcpu_bind_sysreg(&gv[0], &sysreg_vcpu);
	mmio_exits = sgi_traps = 0;
	sgi_toggle = sgir_toggle = sgi_direct = sgir_direct = sgir_decoded = 0;
	guest_start(vg_driver, n, false);
	vcpu.regs.x[27] = VGICD_IPA;
	vcpu.regs.x[28] = VGICR_IPA;
	test_check("report", run(), HVC_REPORT);
	test_check("SGIs taken", vcpu.regs.x[21], n);
	for (unsigned i = 0; i < n; i++)
		test_check("SGI 0 from itself", guest_log[i], 0);
	/* ITLinesNumber 1 (64 INTIDs); GICv3: IDbits 9; GICv2: CPUNumber 1. */
	test_check("guest read GICD_TYPER", vcpu.regs.x[4], V2 ? 0x21 : 0x480001);
	if (!V2) {
		test_check("guest read GICR_TYPER of vCPU 1", vcpu.regs.x[3], 0x100000110ull);
		test_check("SGI1R traps", sgi_traps, n);
		test_check("of them through hyp_vgic_sgi_direct()", sgi_direct, n / 2);
	} else {
		test_check("GICD_SGIR writes", sgir_direct + sgir_decoded, n);
		test_check("of them through hyp_vgic_dabt_sgir()", sgir_direct, n / 2);
	}
	test_check("distributor writes emulated", vm.stats.unimpl + vm.stats.bad_access, 0);
	test_print_reg("guest MMIO exits", mmio_exits);
	hyp_vcpu_update_hcr(&vcpu, HYP_HCR_VM, 0);
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, 0);
	if (test_failures == f)
		test_puts("driver ok: the guest programmed its GIC through MMIO traps\n");
}

#ifdef VGIC_BENCH
/* Seed 004's self-SGI benchmark (built with VGIC_BENCH): run the driver
 * guest for @n SGIs and return the instructions per SGI round trip, under
 * `-icount shift=0,sleep=off` (one instruction per ns; CNTPCT_EL0 ticks at
 * 62.5 MHz, 16 instructions per tick). */
static uint64_t bench_self_sgi(struct hyp_vgic_config *cfg, bool save_all, unsigned n)
{
	uint64_t t0, t1;

	cfg->save_all = save_all;
	hyp_vgic_init(&vm, cfg);
	hyp_vgic_vcpu_bind_sysreg(&gv[0], &sysreg_vcpu);
	hyp_vgic_load(&gv[0]);
	guest_start(vg_driver, n, false);
	vcpu.regs.x[27] = VGICD_IPA;
	vcpu.regs.x[28] = VGICR_IPA;
	t0 = hyp_read_sysreg(HYP_SYS_CNTPCT_EL0);
	test_check("report", run(), HVC_REPORT);
	t1 = hyp_read_sysreg(HYP_SYS_CNTPCT_EL0);
	test_check("SGIs taken", vcpu.regs.x[21], n);
	hyp_vgic_put(&gv[0]);
	return (t1 - t0) * 16 * 100 / n;
}

static void print_centi(const char *what, uint64_t v)
{
	test_puts(what);
	sw_put_dec(v / 100);
	test_puts(".");
	sw_put_dec(v / 10 % 10);
	sw_put_dec(v % 10);
	test_puts(" instructions per SGI round trip\n");
}
#endif

void test_main(void)
{
	struct hyp_vgic_config cfg = {
	    .model = V2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3,
	    .hw = &hw,
	    .vcpus = gv,
	    .nr_vcpus = 2,
	    .spis = spis,
	    .nr_spis = 32,
	    .dist_base = VGICD_IPA,
	    .redist_base = VGICR_IPA,
	};
	uint64_t v;

	test_puts("libhyp vgic test (GIC" NAME ")\n");
	vhe = sw_host_setup();
	if (V2) {
		test_check("hw_init_v2", (uint64_t)hyp_vgic_hw_init_v2(&hw, GICH_V2, 0), 0);
	} else {
		/* ICH_* registers need ICC_SRE_EL2.SRE; cpufeat reads ICH_VTR_EL2 once. */
		hyp_write_sysreg(HYP_SYS_ICC_SRE_EL2, hyp_read_sysreg(HYP_SYS_ICC_SRE_EL2) | 0x9);
		hyp_isb();
		hyp_cpufeat_init(feat_cpus, 1);
		hyp_cpufeat_probe_cpu(0);
		hyp_cpufeat_finalize(NULL, 0, NULL);
		test_check("hw_init_v3", (uint64_t)hyp_vgic_hw_init_v3(&hw), 0);
	}
	test_print_reg("VTR", hw.vtr);
	test_print_reg("list registers", hw.nr_lrs);
	test_check("cpu_init", (uint64_t)hyp_vgic_cpu_init(&hw), 0);
	test_check("vgic init", (uint64_t)hyp_vgic_init(&vm, &cfg), 0);
	phys_gic_init();

	hyp_vcpu_init(&vcpu, sw_guest_hcr(vhe, 0), NULL);
	/* The direct forms find the requester here (hyp_vcpu::vgic). */
	hyp_vcpu_attach_vgic(&vcpu, &gv[0]);
	SW_WRITE_EL1(vhe, VBAR_EL1, (uint64_t)(uintptr_t)vg_vectors);
#ifdef VGIC_BENCH
	stage2_enable();
	hyp_vcpu_update_hcr(&vcpu, 0, HYP_HCR_VM);
	print_centi("self-SGI (GIC" NAME ", libhyp):   ", bench_self_sgi(&cfg, false, 1u << 14));
	print_centi("self-SGI (GIC" NAME ", save-all): ", bench_self_sgi(&cfg, true, 1u << 14));
	test_puts(test_failures ? "FAIL: bench\n" : "bench done\n");
	return;
#endif
	/* What the guest's driver would do through the emulated distributor. */
	v = 3;
	hyp_vgic_dist_access(&vm, &gv[0], 0x0, 4, true, &v);
	hyp_vgic_load(&gv[0]);

	phase_one();
	phase_active();
	phase_sgi();
	phase_overflow();
	phase_driver();
	phase_lrsync();

	hyp_vgic_put(&gv[0]);
	if (!V2)
		phase_aprs();
	phase_incremental();
	test_print_reg("entries", gv[0].stats.entries);
	test_print_reg("delivered", gv[0].stats.delivered);
	if (test_failures)
		test_puts("FAIL: vgic\n");
	else
		test_puts("vgic done\n");
}
