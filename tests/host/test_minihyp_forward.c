/* SPDX-License-Identifier: MIT */
/* minihyp's forwarded device interrupts (examples/minihyp/forward.c,
 * forward_dt.c) and its physical GIC's EOImode 1 (gic.c), on the simulated
 * CPU: which GIC registers each step writes, with exact counts, and the
 * list register the guest then gets (literals from the specifications).
 *
 * Register facts used here as literals:
 * - ICC_CTLR_EL1.EOImode is bit 1 (IHI 0069 12.2.6); GICC_CTLR.EOImodeNS is
 *   bit 9 (IHI 0048B 4.4.1); GICC_EOIR at 0x10, GICC_DIR at 0x1000
 *   (IHI 0048B 4.4).
 * - GICD_ISENABLER 0x100, ICENABLER 0x180, IGROUPR 0x80, IPRIORITYR 0x400,
 *   ITARGETSR 0x800, ICFGR 0xc00 (2 bits per INTID, bit [2m+1] = edge),
 *   IROUTER<n> 0x6000 + 8n (IHI 0069 12.9, IHI 0048B 4.3).
 * - ICH_LR<n>_EL2 (IHI 0069 ch. 12): State [63:62], HW [61], Group [60],
 *   Priority [55:48], pINTID [44:32], vINTID [31:0]. */
#include <libfdt.h>

#include "load_dtb.h"
#include "test_vgic_env.h"

#include "minihyp.h"

/* What forward.c and gic.c need from the rest of minihyp. */
void mh_vprintf(const char *fmt, va_list ap)
{
	vprintf(fmt, ap);
}

void mh_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* sched.c's per-CPU state and main.c's CPU number (forward.c asks which
 * vCPU this CPU runs). */
struct mh_pcpu mh_pcpus[MINIHYP_MAX_CPUS];
static unsigned int this_cpu;

unsigned int mh_this_cpu(void)
{
	return this_cpu;
}

#define GICD 0x08000000ull
#define GICC 0x08010000ull

static struct hyp_sim_mmio gicd_r, gicc_r;
static uint32_t gicd_regs[0x10000 / 4];
static uint32_t gicc_regs[0x2000 / 4];

/* The writes in order: offset, value (64-bit for IROUTER). */
struct wr {
	uint64_t off, val;
	unsigned width;
};
static struct wr gicd_log[64], gicc_log[16];
static unsigned gicd_n, gicc_n;

static uint64_t gicd_read(struct hyp_sim_mmio *r, uint64_t off, unsigned width)
{
	(void)r;
	if (width == 8)
		return gicd_regs[off / 4] | (uint64_t)gicd_regs[off / 4 + 1] << 32;
	return gicd_regs[off / 4];
}

static void gicd_write(struct hyp_sim_mmio *r, uint64_t off, unsigned width, uint64_t v)
{
	(void)r;
	if (gicd_n < 64)
		gicd_log[gicd_n++] = (struct wr){off, v, width};
	gicd_regs[off / 4] = (uint32_t)v;
	if (width == 8)
		gicd_regs[off / 4 + 1] = (uint32_t)(v >> 32);
}

static uint64_t gicc_read(struct hyp_sim_mmio *r, uint64_t off, unsigned width)
{
	(void)r;
	(void)width;
	return gicc_regs[off / 4];
}

static void gicc_write(struct hyp_sim_mmio *r, uint64_t off, unsigned width, uint64_t v)
{
	(void)r;
	if (gicc_n < 16)
		gicc_log[gicc_n++] = (struct wr){off, v, width};
	gicc_regs[off / 4] = (uint32_t)v;
}

static struct mh_gic gic;
static struct mh_vm vm1, vm2;

static void gic_sim(unsigned version)
{
	memset(gicd_regs, 0, sizeof(gicd_regs));
	memset(gicc_regs, 0, sizeof(gicc_regs));
	gicd_r = (struct hyp_sim_mmio){
	    .name = "GICD", .base = GICD, .size = 0x10000, .read = gicd_read, .write = gicd_write};
	cr_assert_eq(hyp_sim_mmio_add(&sim, &gicd_r), 0);
	if (version == 2) {
		gicc_r = (struct hyp_sim_mmio){.name = "GICC",
					       .base = GICC,
					       .size = 0x2000,
					       .widths = 4,
					       .read = gicc_read,
					       .write = gicc_write};
		cr_assert_eq(hyp_sim_mmio_add(&sim, &gicc_r), 0);
	} else {
		hyp_sim_reg_define(&sim, HYP_SYS_ICC_EOIR1_EL1, 0);
		hyp_sim_reg_define(&sim, HYP_SYS_ICC_DIR_EL1, 0);
	}
	gic = (struct mh_gic){.version = version,
			      .dist = GICD,
			      .cpu = GICC,
			      .maint = 25,
			      .vtimer = 27,
			      .mpidr = {0x0, 0x1, 0x100, 0x10203}};
	gic.v2_cpu_mask[0] = 1;
	gic.v2_cpu_mask[1] = 2;
	gicd_n = gicc_n = 0;
	reset_counts();
}

/* A VM as mh_vm_init() leaves it, for what forward.c reads: its vGIC,
 * its vCPUs' physical CPUs. */
static void vm_make(struct mh_vm *m, unsigned version, unsigned nr)
{
	struct hyp_vgic_config c = {
	    .model = version == 2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3,
	    .hw = &hw,
	    .vcpus = m->gv,
	    .nr_vcpus = nr,
	    .spis = m->spis,
	    .nr_spis = MH_NR_SPIS,
	    .dist_base = 0x08000000,
	    .redist_base = 0x080a0000,
	};

	cr_assert_eq(hyp_vgic_init(&m->vgic, &c), 0);
	m->nr_vcpus = nr;
	for (unsigned i = 0; i < nr; i++) {
		m->vcpu[i].vm = m;
		m->vcpu[i].idx = i;
		m->vcpu[i].pcpu = i;
		m->vcpu[i].gv = &m->gv[i];
	}
}

static void boot(unsigned version)
{
	if (version == 2)
		boot_v2(4);
	else
		boot_v3(ICH_VTR(4, 5, 5));
}

/* The guest enables SPI @intid at priority 0xa0 for its vCPU 0. */
static void guest_spi_on(struct mh_vm *m, unsigned intid)
{
	uint64_t v = 3;

	cr_assert_eq(hyp_vgic_dist_access(&m->vgic, &m->gv[0], 0, 4, true, &v), 0);
	v = 1u << (intid % 32);
	cr_assert_eq(hyp_vgic_dist_access(&m->vgic, &m->gv[0], 0x100 + intid / 32 * 4, 4, true, &v),
		     0);
	v = 0xa0;
	cr_assert_eq(hyp_vgic_dist_access(&m->vgic, &m->gv[0], 0x400 + intid, 1, true, &v), 0);
	v = m->vgic.model == HYP_VGIC_MODEL_V2 ? 1 : m->gv[0].mpidr;
	if (m->vgic.model == HYP_VGIC_MODEL_V2)
		cr_assert_eq(hyp_vgic_dist_access(&m->vgic, &m->gv[0], 0x800 + intid, 1, true, &v),
			     0);
	else
		cr_assert_eq(
		    hyp_vgic_dist_access(&m->vgic, &m->gv[0], 0x6000 + 8 * intid, 8, true, &v), 0);
}

/* --- EOImode 1: minihyp's own interrupts are deactivated, forwarded ones not */

Test(minihyp_forward, own_interrupt_eoi_and_dir_v3)
{
	uint64_t v = 0;

	boot(3);
	gic_sim(3);
	mh_gic_eoi(&gic, 25);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 2, "EOIR and DIR");
	cr_assert_eq(hyp_sim_reg_peek(&sim, HYP_SYS_ICC_DIR_EL1, &v), 0);
	cr_assert_eq(v, 25, "ICC_DIR_EL1 deactivates the INTID EOI'd");
	reset_counts();
	mh_gic_drop(&gic, 33);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 1, "EOIR only: a priority drop");
	cr_assert_eq(hyp_sim_reg_peek(&sim, HYP_SYS_ICC_EOIR1_EL1, &v), 0);
	cr_assert_eq(v, 33);
}

Test(minihyp_forward, own_interrupt_eoi_and_dir_v2)
{
	boot(2);
	gic_sim(2);
	/* EOImode 1 at the CPU interface: GICC_CTLR = EnableGrp0 | EOImodeNS. */
	cr_assert_eq(mh_gic_cpu_init(&gic, 0, 0), 0);
	cr_assert_eq(gicc_regs[0], 0x201u);
	gicc_n = 0;
	mh_gic_eoi(&gic, 0x1b);
	cr_assert_eq(gicc_n, 2);
	cr_assert_eq(gicc_log[0].off, 0x10u, "GICC_EOIR");
	cr_assert_eq(gicc_log[1].off, 0x1000u, "GICC_DIR");
	cr_assert_eq(gicc_log[1].val, 0x1bu);
	gicc_n = 0;
	mh_gic_drop(&gic, 33);
	cr_assert_eq(gicc_n, 1);
	cr_assert_eq(gicc_log[0].off, 0x10u, "GICC_EOIR only");
}

/* --- A forwarded level SPI on GICv3: configured, taken, injected */

Test(minihyp_forward, level_spi_v3)
{
	boot(3);
	gic_sim(3);
	vm_make(&vm1, 3, 2);
	cr_assert_eq(mh_forward_add(&vm1, 0, 33, false, "uart"), 0);
	cr_assert_eq(mh_forward_start(&gic), 0);
	/* The physical SPI: disabled, Group 1, priority, level, routed to
	 * CPU 0's affinity, enabled (the RMWs read their word first). */
	cr_assert_eq(gicd_n, 6, "%u GICD writes", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x184u); /* ICENABLER1 */
	cr_assert_eq(gicd_log[0].val, 1u << 1);
	cr_assert_eq(gicd_log[1].off, 0x84u); /* IGROUPR1 */
	cr_assert_eq(gicd_log[1].val, 1u << 1);
	cr_assert_eq(gicd_log[2].off, 0x420u); /* IPRIORITYR8, byte 1 */
	cr_assert_eq(gicd_log[2].val, 0x8000u);
	cr_assert_eq(gicd_log[3].off, 0xc08u); /* ICFGR2, INTID 33: bits [3:2] */
	cr_assert_eq(gicd_log[3].val, 0u, "level");
	cr_assert_eq(gicd_log[4].off, 0x6000u + 8 * 33); /* IROUTER33 */
	cr_assert_eq(gicd_log[4].width, 8);
	cr_assert_eq(gicd_log[4].val, 0u, "CPU 0: affinity 0.0.0.0, IRM 0");
	cr_assert_eq(gicd_log[5].off, 0x104u); /* ISENABLER1 */
	cr_assert_eq(gicd_log[5].val, 1u << 1);
	/* The virtual SPI is HW-mapped to the same INTID. */
	cr_assert(vm1.spis[1].hw);
	cr_assert_eq(vm1.spis[1].hwintid, 33);

	guest_spi_on(&vm1, 33);
	cr_assert_eq(hyp_vgic_load(&vm1.gv[0]), 0);
	reset_counts();
	gicd_n = 0;
	cr_assert(mh_forward_irq(&gic, 33, 33));
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 1, "a priority drop, no DIR");
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], 0);
	cr_assert_eq(gicd_n, 0, "no routing change");
	cr_assert_eq(mh_forward_count(&vm1), 1);
	cr_assert_not(mh_forward_irq(&gic, 27, 27), "not forwarded: the caller's");
	cr_assert_not(mh_forward_irq(&gic, 1023, 1023));
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 1);
	/* The guest gets it HW-mapped: pending, HW, Group 1, priority 0xa0,
	 * pINTID 33, vINTID 33. */
	cr_assert_eq(hyp_vgic_restore(&vm1.gv[0]), 0);
	cr_assert_eq(lr_get(0), 0x70a0002100000021ull, "LR0 %#llx", (unsigned long long)lr_get(0));
	cr_assert_eq(hyp_vgic_save(&vm1.gv[0]), 0);
}

/* --- GICv2: ITARGETSR, an edge SPI */

Test(minihyp_forward, edge_spi_v2)
{
	boot(2);
	gic_sim(2);
	vm_make(&vm1, 2, 2);
	gicd_regs[0x830 / 4] = 0x01000000; /* ITARGETSR of INTID 51 (byte 3) */
	cr_assert_eq(mh_forward_add(&vm1, 1, 50, true, "virtio"), 0);
	cr_assert_eq(mh_forward_start(&gic), 0);
	cr_assert_eq(gicd_n, 5, "%u GICD writes", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x184u); /* ICENABLER1 */
	cr_assert_eq(gicd_log[1].off, 0x430u); /* IPRIORITYR12, byte 2 */
	cr_assert_eq(gicd_log[1].val, 0x800000u);
	cr_assert_eq(gicd_log[2].off, 0xc0cu); /* ICFGR3, INTID 50: bits [5:4] */
	cr_assert_eq(gicd_log[2].val, 0x20u, "edge: bit [2m+1]");
	cr_assert_eq(gicd_log[3].off, 0x830u); /* ITARGETSR12, byte 2 */
	cr_assert_eq(gicd_log[3].val, 0x01020000u, "CPU interface 1 (vCPU 1's CPU), INTID 51 kept");
	cr_assert_eq(gicd_log[4].off, 0x104u); /* ISENABLER1 */
	cr_assert_eq(gicd_log[4].val, 1u << 18);
	cr_assert(vm1.spis[18].hw);
	cr_assert_not(vm1.spis[18].level);
	gicc_n = 0;
	cr_assert(mh_forward_irq(&gic, 50, 50));
	cr_assert_eq(gicc_n, 1, "GICC_EOIR only");
	cr_assert_eq(gicc_log[0].off, 0x10u);
}

/* --- GICv2: a firing acknowledged on one CPU and completed on another
 * leaves QEMU's per-CPU copy of the active state on the first; cleared
 * with GICD_ICACTIVERn (offset 0x380 + 4n, IHI 0048B 4.3.10) before the
 * SPI is routed back there. */

/* What the vGIC holds after the guest's EOI through the HW LR was folded
 * back at a put: neither pending nor active. */
static void guest_completed(struct hyp_vgic_irq *irq)
{
	irq->latch = false;
	irq->active = false;
}

/* GICv2, a VM with 2 vCPUs, edge SPI 50 forwarded to its vCPU 0. */
static void v2_spi50_forwarded(void)
{
	boot(2);
	gic_sim(2);
	vm_make(&vm1, 2, 2);
	cr_assert_eq(mh_forward_add(&vm1, 0, 50, true, "virtio"), 0);
	cr_assert_eq(mh_forward_start(&gic), 0);
}

Test(minihyp_forward, completed_on_another_cpu_clears_active_v2)
{
	v2_spi50_forwarded();
	/* Acknowledged on CPU 0, which runs its target vCPU 0. */
	this_cpu = 0;
	mh_pcpus[0].current = &vm1.vcpu[0];
	cr_assert(mh_forward_irq(&gic, 50, 50));
	cr_assert(vm1.spis[18].latch);
	/* vCPU 0 moves to CPU 1 before its guest completed it: routed there,
	 * nothing deactivated. */
	mh_pcpus[0].current = NULL;
	vm1.vcpu[0].pcpu = 1;
	gicd_n = 0;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	cr_assert_eq(gicd_n, 1, "%u GICD writes", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x830u, "ITARGETSR12 only");
	/* The guest completes it on CPU 1; vCPU 0 comes back to CPU 0: the
	 * stale active copy is cleared first, then the SPI routed there. */
	guest_completed(&vm1.spis[18]);
	vm1.vcpu[0].pcpu = 0;
	gicd_n = 0;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 0);
	cr_assert_eq(gicd_n, 2, "%u GICD writes", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x384u, "GICD_ICACTIVER1");
	cr_assert_eq(gicd_log[0].val, 1u << 18, "INTID 50 only");
	cr_assert_eq(gicd_log[1].off, 0x830u);
	/* Settled: a later move writes the route only. */
	vm1.vcpu[0].pcpu = 1;
	gicd_n = 0;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	cr_assert_eq(gicd_n, 1);
	cr_assert_eq(gicd_log[0].off, 0x830u);
}

Test(minihyp_forward, completed_where_acknowledged_clears_nothing_v2)
{
	v2_spi50_forwarded();
	this_cpu = 0;
	mh_pcpus[0].current = &vm1.vcpu[0];
	cr_assert(mh_forward_irq(&gic, 50, 50));
	/* Completed on CPU 0 itself (the HW LR deactivated it there). */
	guest_completed(&vm1.spis[18]);
	mh_pcpus[0].current = NULL;
	vm1.vcpu[0].pcpu = 1;
	gicd_n = 0;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	cr_assert_eq(gicd_n, 1, "%u GICD writes: the route, no ICACTIVER", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x830u);
}

/* Acknowledged on CPU 0 while its vCPU runs on CPU 1 (the LR is written
 * there): completed, then routed back to CPU 0: cleared. */
Test(minihyp_forward, acknowledged_away_from_its_vcpu_v2)
{
	v2_spi50_forwarded();
	this_cpu = 0;
	mh_pcpus[0].current = NULL;
	mh_pcpus[1].current = &vm1.vcpu[0];
	cr_assert(mh_forward_irq(&gic, 50, 50));
	guest_completed(&vm1.spis[18]);
	mh_pcpus[1].current = NULL;
	/* Its next move (CPU 1, where it completed): the copy CPU 0 kept is
	 * cleared, then the route. */
	vm1.vcpu[0].pcpu = 1;
	gicd_n = 0;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	cr_assert_eq(gicd_n, 2, "%u GICD writes", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x384u, "GICD_ICACTIVER1");
	cr_assert_eq(gicd_log[0].val, 1u << 18);
	cr_assert_eq(gicd_log[1].off, 0x830u);
}

/* Acknowledged on CPU 0 and completed on CPU 1; a second firing then
 * acknowledged and completed on CPU 1 does not make CPU 0's stale copy
 * forgotten: cleared when the vCPU comes back to CPU 0. */
Test(minihyp_forward, a_later_firing_keeps_the_stale_copy_v2)
{
	v2_spi50_forwarded();
	this_cpu = 0;
	mh_pcpus[0].current = &vm1.vcpu[0];
	cr_assert(mh_forward_irq(&gic, 50, 50));
	mh_pcpus[0].current = NULL;
	vm1.vcpu[0].pcpu = 1;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	/* On CPU 1: completed, then a second firing there. */
	guest_completed(&vm1.spis[18]);
	this_cpu = 1;
	mh_pcpus[1].current = &vm1.vcpu[0];
	cr_assert(mh_forward_irq(&gic, 50, 50));
	guest_completed(&vm1.spis[18]);
	mh_pcpus[1].current = NULL;
	vm1.vcpu[0].pcpu = 0;
	gicd_n = 0;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 0);
	cr_assert_eq(gicd_n, 2, "%u GICD writes", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x384u, "GICD_ICACTIVER1");
	cr_assert_eq(gicd_log[1].off, 0x830u);
}

/* GICv3 keeps one active state per SPI (QEMU too): nothing to clear. */
Test(minihyp_forward, completed_elsewhere_clears_nothing_v3)
{
	boot(3);
	gic_sim(3);
	vm_make(&vm1, 3, 2);
	cr_assert_eq(mh_forward_add(&vm1, 0, 48, true, "virtio"), 0);
	cr_assert_eq(mh_forward_start(&gic), 0);
	this_cpu = 0;
	mh_pcpus[0].current = &vm1.vcpu[0];
	cr_assert(mh_forward_irq(&gic, 48, 48));
	mh_pcpus[0].current = NULL;
	vm1.vcpu[0].pcpu = 1;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	guest_completed(&vm1.spis[16]);
	vm1.vcpu[0].pcpu = 0;
	gicd_n = 0;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 0);
	cr_assert_eq(gicd_n, 1, "%u GICD writes: GICD_IROUTER48 only", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x6000u + 8 * 48);
}

/* --- GICv2: an edge SPI pending when its route changes is pended again
 * (GICD_ICPENDRn at 0x280 + 4n, then GICD_ISPENDRn at 0x200 + 4n: IHI
 * 0048B 4.3.7, 4.3.8), so that the new target takes it: the architecture
 * moves the pending state with the target list (4.3.12), QEMU's model
 * keeps an edge pending for the old targets only. */

Test(minihyp_forward, route_repends_a_pending_edge_v2)
{
	v2_spi50_forwarded();
	gicd_regs[0x204 / 4] = 1u << 18; /* ISPENDR1: INTID 50 pending */
	vm1.vcpu[0].pcpu = 1;
	gicd_n = 0;
	hyp_sim_reset_counts(&sim);
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	cr_assert_eq(sim.counts[HYP_SIM_MMIO_READ], 2, "ITARGETSR12 and ISPENDR1: %u reads",
		     sim.counts[HYP_SIM_MMIO_READ]);
	cr_assert_eq(gicd_n, 3, "%u GICD writes", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x830u, "ITARGETSR12 first");
	cr_assert_eq(gicd_log[0].val, 0x00020000u, "CPU interface 1, INTID 50 (byte 2)");
	cr_assert_eq(gicd_log[1].off, 0x284u, "then GICD_ICPENDR1");
	cr_assert_eq(gicd_log[1].val, 1u << 18, "INTID 50 only");
	cr_assert_eq(gicd_log[2].off, 0x204u, "then GICD_ISPENDR1");
	cr_assert_eq(gicd_log[2].val, 1u << 18, "INTID 50 only");
}

Test(minihyp_forward, route_of_an_edge_not_pending_writes_the_route_only_v2)
{
	v2_spi50_forwarded();
	gicd_regs[0x204 / 4] = ~(1u << 18); /* every other INTID of ISPENDR1 pending */
	vm1.vcpu[0].pcpu = 1;
	gicd_n = 0;
	hyp_sim_reset_counts(&sim);
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	cr_assert_eq(sim.counts[HYP_SIM_MMIO_READ], 2, "ITARGETSR12 and ISPENDR1: %u reads",
		     sim.counts[HYP_SIM_MMIO_READ]);
	cr_assert_eq(gicd_n, 1, "%u GICD writes: ITARGETSR12 only", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x830u);
}

/* A level-sensitive SPI is pending by its line (for every CPU interface in
 * QEMU too): pending it by software would latch it after the line drops. */
Test(minihyp_forward, route_leaves_a_pending_level_spi_v2)
{
	boot(2);
	gic_sim(2);
	vm_make(&vm1, 2, 2);
	cr_assert_eq(mh_forward_add(&vm1, 0, 33, false, "pl011"), 0);
	cr_assert_eq(mh_forward_start(&gic), 0);
	cr_assert_eq(gicd_regs[0xc08 / 4] & (2u << 2), 0u, "ICFGR2: INTID 33 level");
	gicd_regs[0x204 / 4] = 1u << 1; /* ISPENDR1: INTID 33 pending */
	vm1.vcpu[0].pcpu = 1;
	gicd_n = 0;
	hyp_sim_reset_counts(&sim);
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	cr_assert_eq(sim.counts[HYP_SIM_MMIO_READ], 1, "ITARGETSR8 only (its trigger is known): "
		     "%u reads", sim.counts[HYP_SIM_MMIO_READ]);
	cr_assert_eq(gicd_n, 1, "%u GICD writes: ITARGETSR8 only", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x820u);
	cr_assert_eq(gicd_log[0].val, 0x00000200u, "CPU interface 1, INTID 33 (byte 1)");
}

/* GICv3's route (GICD_IROUTER) needs nothing more: one pending state per
 * SPI, delivered where IROUTER says when it is (QEMU too). */
Test(minihyp_forward, route_of_a_pending_edge_v3_writes_irouter_only)
{
	boot(3);
	gic_sim(3);
	vm_make(&vm1, 3, 2);
	cr_assert_eq(mh_forward_add(&vm1, 0, 48, true, "virtio"), 0);
	cr_assert_eq(mh_forward_start(&gic), 0);
	gicd_regs[0x204 / 4] = 1u << 16; /* GICD_ISPENDR1: INTID 48 pending */
	vm1.vcpu[0].pcpu = 1;
	gicd_n = 0;
	hyp_sim_reset_counts(&sim);
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 1);
	cr_assert_eq(sim.counts[HYP_SIM_MMIO_READ], 0, "%u reads", sim.counts[HYP_SIM_MMIO_READ]);
	cr_assert_eq(gicd_n, 1, "%u GICD writes: GICD_IROUTER48 only", gicd_n);
	cr_assert_eq(gicd_log[0].off, 0x6000u + 8 * 48);
}

/* --- Bad input: a device given to two VMs, INTIDs that are not SPIs */

Test(minihyp_forward, device_given_to_two_vms_refused)
{
	boot(3);
	gic_sim(3);
	vm_make(&vm1, 3, 1);
	vm_make(&vm2, 3, 1);
	cr_assert_eq(mh_forward_add(&vm1, 0, 48, true, "virtio_mmio@a000000"), 0);
	cr_assert_eq(mh_forward_add(&vm2, 0, 48, true, "virtio_mmio@a000000"), HYP_EBUSY);
	cr_assert_eq(mh_forward_add(&vm1, 0, 48, true, "twice"), 0, "its own again: nothing");
	cr_assert_eq(mh_forward_add(&vm1, 0, 27, false, "a PPI"), HYP_ERANGE);
	cr_assert_eq(mh_forward_add(&vm1, 0, 32 + MH_NR_SPIS, false, "beyond"), HYP_ERANGE);
	cr_assert_eq(mh_forward_add(&vm1, 1, 49, false, "no vCPU 1"), HYP_EINVAL);
	cr_assert_eq(mh_forward_start(&gic), 0);
	cr_assert_eq(mh_forward_add(&vm1, 0, 50, true, "late"), HYP_ESTATE);
	cr_assert_not(vm2.spis[16].hw, "nothing of it reached the other VM");
	cr_assert(vm1.spis[16].hw);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 0);
}

/* --- Affinity: the physical SPI follows its target vCPU */

Test(minihyp_forward, route_follows_the_vcpu_v3)
{
	boot(3);
	gic_sim(3);
	vm_make(&vm1, 3, 2);
	cr_assert_eq(mh_forward_add(&vm1, 0, 48, true, "virtio"), 0);
	cr_assert_eq(mh_forward_start(&gic), 0);
	gicd_n = 0;
	reset_counts();
	/* vCPU 0 loaded where it was: nothing written. */
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 0);
	mh_forward_vcpu_loaded(&vm1.vcpu[1], 3);
	cr_assert_eq(hyp_sim_total(&sim), 0);
	/* vCPU 0 moves to CPU 2 (affinity 0.0.1.0): GICD_IROUTER48 follows. */
	vm1.vcpu[0].pcpu = 2;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 2);
	cr_assert_eq(gicd_n, 1);
	cr_assert_eq(gicd_log[0].off, 0x6000u + 8 * 48);
	cr_assert_eq(gicd_log[0].val, 0x100u);
	gicd_n = 0;
	mh_forward_vcpu_loaded(&vm1.vcpu[0], 2);
	cr_assert_eq(gicd_n, 0, "once");

	/* The guest routes SPI 48 to its vCPU 1 (on CPU 1, affinity 0.0.0.1):
	 * the next firing is routed there. */
	guest_spi_on(&vm1, 48);
	uint64_t v = vm1.gv[1].mpidr;
	cr_assert_eq(hyp_vgic_dist_access(&vm1.vgic, &vm1.gv[0], 0x6000 + 8 * 48, 8, true, &v), 0);
	gicd_n = 0;
	cr_assert(mh_forward_irq(&gic, 48, 48));
	cr_assert_eq(gicd_n, 1);
	cr_assert_eq(gicd_log[0].off, 0x6000u + 8 * 48);
	cr_assert_eq(gicd_log[0].val, 0x1u);
	cr_assert_eq(vm1.spis[16].vcpu, &vm1.gv[1], "the vGIC queued it for vCPU 1");
	gicd_n = 0;
	cr_assert(mh_forward_irq(&gic, 48, 48));
	cr_assert_eq(gicd_n, 0, "already there");
}

/* --- Which interrupts: QEMU's DT with the virtio-mmio pages passed through */

#ifdef HAVE_QEMU_DTBS
Test(minihyp_forward, from_qemu_dt)
{
	void *fdt = load_dtb("qemu-gicv3-append", NULL);
	struct hyp_fdt_guest g = {0};

	boot(3);
	gic_sim(3);
	vm_make(&vm1, 3, 1);
	g.has_uart = true;
	g.nr_passthrough = 1;
	g.passthrough[0] = (struct hyp_fdt_range){0xa000000, 0x4000};
	/* The PL011 (SPI 1, level high: flags 4), then the 32 virtio-mmio
	 * transports (SPIs 16..47, rising edge: flags 1). */
	cr_assert_eq(mh_forward_from_dt(&vm1, fdt, &g, 33, 4), 0);
	cr_assert_eq(mh_forward_start(&gic), 0);
	cr_assert(vm1.spis[1].hw);
	cr_assert(vm1.spis[1].level);
	for (unsigned i = 48; i < 80; i++) {
		cr_assert(vm1.spis[i - 32].hw, "INTID %u", i);
		cr_assert_not(vm1.spis[i - 32].level, "INTID %u is edge", i);
	}
	cr_assert_not(vm1.spis[2].hw, "the PL031 is not passed through");
	cr_assert_not(vm1.spis[80 - 32].hw);
	/* 6 writes per SPI (GICv3), 33 SPIs, nothing else. */
	cr_assert_eq(gicd_r.writes, 6 * 33);
	free(fdt);
}
#endif
