/* SPDX-License-Identifier: MIT */
/*
 * Device interrupts of passed-through devices, forwarded to the VM that
 * owns the device (issue 15, item 3).
 *
 * A forwarded SPI keeps its INTID in the guest (the guest DT copies the
 * device node with its `interrupts`). When it fires, the CPU it is routed
 * to exits to EL2 (HCR_EL2.IMO), acknowledges it and drops its priority
 * only (EOImode 1, gic.c: mh_gic_drop()); it stays active in the physical
 * GIC. minihyp raises the virtual SPI in the owner's vGIC, which libhyp
 * delivers through a hardware-mapped list register (ICH_LR<n>_EL2.HW with
 * pINTID [44:32], IHI 0069 ch. 12; GICH_LRn.HW with PhysicalID [19:10],
 * IHI 0048B 5.3): the guest's EOI (EOImode 0) or DIR deactivates the
 * virtual interrupt and, by the HW bit, the physical one, which can then
 * fire again. No maintenance interrupt, no EOI trap: a level interrupt
 * costs one exit per firing. libhyp never presents a HW interrupt pending
 * and active; a firing raised while the guest holds the last one active
 * (QEMU's GICv2, below, can deliver it on another CPU) waits in the vGIC
 * until the deactivation (docs/vgic.md).
 *
 * Affinity: the physical SPI is routed to the physical CPU that runs its
 * target vCPU (the vCPU the guest routes the virtual SPI to, GICD_IROUTER
 * / ITARGETSR; vCPU 0 until the guest says otherwise): at start, when a
 * target vCPU is loaded elsewhere (mh_forward_vcpu_loaded()), and when a
 * firing finds that the guest routed it to another vCPU (the next one goes
 * there directly).
 *
 * GICv2 under QEMU (7.2): its GIC model keeps an SPI's active state per
 * CPU interface, and a deactivation (GICC_DIR, or a guest's EOI through a
 * HW list register) clears only the deactivating CPU's copy, where the
 * architecture has one active state per SPI (IHI 0048B 4.3.9, 4.3.10,
 * GICD_ISACTIVERn / ICACTIVERn: one bit per interrupt). A vCPU that
 * migrates between the acknowledgement of a forwarded SPI (on one CPU)
 * and the guest's EOI (on another) leaves the SPI active on the first:
 * once it is routed there again, it never fires (a Linux guest with more
 * vCPUs than CPUs on cortex-a57 hung in its first virtio-blk write).
 * So on GICv2 each firing records the CPU that acknowledged it; when a
 * later look at the vGIC (the target vCPU loaded on another CPU, or the
 * SPI retargeted) finds it completed after the vCPU ran elsewhere, a
 * GICD_ICACTIVER write clears the stale copy (fwd_settle()). On hardware
 * the SPI is already inactive there, and the write changes nothing.
 *
 * Everything here touches hardware only through gic.c and libhyp, so that
 * the host tests build it against the simulated CPU.
 */
#include <libhyp/error.h>

#include "minihyp.h"

struct mh_fwd {
	struct mh_vm *vm;      /* the owner */
	const char *what;      /* the device, for messages */
	uint32_t count;	       /* firings forwarded */
	uint16_t intid;	       /* physical INTID = virtual INTID */
	uint8_t vcpu;	       /* the target vCPU (index in its VM) */
	volatile uint8_t pcpu; /* the physical CPU the SPI is routed to */
	bool edge;	       /* edge-triggered (else level) */
	/* GICv2 (see above), under fwd_lock: firings not yet seen completed,
	 * the CPU that acknowledged the last, and whether their vCPU ran on
	 * another CPU than the one that acknowledged one of them. */
	bool in_flight, foreign;
	uint8_t ack_pcpu;
};

/* A distinct target vCPU and where its SPIs are routed: what
 * mh_forward_vcpu_loaded() compares, without walking the table. */
struct mh_fwd_target {
	const struct mh_vm *vm;
	uint8_t vcpu;
	volatile uint8_t pcpu;
};

static struct {
	struct mh_fwd irq[MH_FWD_MAX];
	struct mh_fwd_target target[MH_FWD_MAX];
	unsigned int nr, nr_targets;
	const struct mh_gic *gic;
	uint8_t slot[1020]; /* INTID -> index + 1; 0: not forwarded */
	bool started;
} fwd;

/* Changes of a target or a route at run time (two CPUs retargeting at
 * once): one at a time. Readers need no lock: an entry is complete before
 * nr_targets counts it (release), a route byte is one store. */
static volatile uint32_t fwd_lock;

static void fwd_target_add(const struct mh_vm *vm, unsigned int vcpu, unsigned int pcpu)
{
	unsigned int n = fwd.nr_targets;

	for (unsigned int i = 0; i < n; i++)
		if (fwd.target[i].vm == vm && fwd.target[i].vcpu == vcpu)
			return;
	if (n == MH_FWD_MAX)
		return;
	fwd.target[n] =
	    (struct mh_fwd_target){.vm = vm, .vcpu = (uint8_t)vcpu, .pcpu = (uint8_t)pcpu};
	__atomic_store_n(&fwd.nr_targets, n + 1, __ATOMIC_RELEASE);
}

static void fwd_lock_take(void)
{
	while (__atomic_exchange_n(&fwd_lock, 1u, __ATOMIC_ACQUIRE))
		mh_spin_pause();
}

static void fwd_lock_drop(void)
{
	__atomic_store_n(&fwd_lock, 0u, __ATOMIC_RELEASE);
}

/* Under fwd_lock, GICv2: @f's last firing, if its guest has completed it
 * (the virtual SPI neither pending nor active: its state after a put, or
 * while another vCPU runs), after its vCPU ran on another CPU than the one
 * that acknowledged it: clear the copy of the active state QEMU's GICv2
 * keeps there. */
static void fwd_settle(struct mh_fwd *f)
{
	const struct hyp_vgic_irq *irq;

	if (!f->in_flight)
		return;
	irq = hyp_vgic_get_irq(&f->vm->vgic, NULL, f->intid);
	if (!irq || __atomic_load_n(&irq->active, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&irq->latch, __ATOMIC_RELAXED))
		return;
	if (f->foreign)
		mh_gic_spi_clear_active(fwd.gic, f->intid);
	f->in_flight = f->foreign = false;
}

/* GICv2: a firing acknowledged on this CPU (@target: the vCPU it goes to). */
static void fwd_acked(struct mh_fwd *f, unsigned int target)
{
	unsigned int cpu = mh_this_cpu();
	const struct mh_vcpu *mv = &f->vm->vcpu[target];

	fwd_lock_take();
	f->in_flight = true;
	f->ack_pcpu = (uint8_t)cpu;
	/* Its LR is written where the vCPU is loaded: here only if it is
	 * this CPU's current one. Sticky until settled: an earlier firing's
	 * stale copy elsewhere is not forgotten by this one. */
	f->foreign |= mh_pcpus[cpu].current != mv;
	fwd_lock_drop();
}

int mh_forward_add(struct mh_vm *vm, unsigned int vcpu, unsigned int intid, bool edge,
		   const char *what)
{
	struct mh_fwd *f;

	if (!vm || !what)
		return HYP_EINVAL;
	if (fwd.started) {
		mh_printf("minihyp: error: %s: interrupts are forwarded from boot only\n", what);
		return HYP_ESTATE;
	}
	if (intid < 32 || intid >= 32 + MH_NR_SPIS || intid > 1019) {
		mh_printf("minihyp: error: %s: INTID %u is not an SPI the VM's GIC has (32..%u)\n",
			  what, intid, 32 + MH_NR_SPIS - 1);
		return HYP_ERANGE;
	}
	if (vcpu >= vm->nr_vcpus) {
		mh_printf("minihyp: error: %s: vCPU %u of %u\n", what, vcpu, vm->nr_vcpus);
		return HYP_EINVAL;
	}
	if (fwd.slot[intid]) {
		f = &fwd.irq[fwd.slot[intid] - 1];
		if (f->vm != vm) {
			mh_printf("minihyp: error: %s: INTID %u is %s's, given to another VM\n",
				  what, intid, f->what);
			return HYP_EBUSY;
		}
		return 0; /* shared by two devices of one VM, or named twice */
	}
	if (fwd.nr == MH_FWD_MAX) {
		mh_printf("minihyp: error: %s: more than %u forwarded interrupts\n", what,
			  MH_FWD_MAX);
		return HYP_ENOMEM;
	}
	f = &fwd.irq[fwd.nr];
	*f = (struct mh_fwd){.vm = vm,
			     .what = what,
			     .intid = (uint16_t)intid,
			     .vcpu = (uint8_t)vcpu,
			     .pcpu = (uint8_t)vm->vcpu[vcpu].pcpu,
			     .edge = edge};
	fwd.slot[intid] = (uint8_t)++fwd.nr;
	fwd_target_add(vm, vcpu, f->pcpu);
	return 0;
}

int mh_forward_start(const struct mh_gic *g)
{
	int ret;

	fwd.gic = g;
	fwd.started = true;
	for (unsigned int i = 0; i < fwd.nr; i++) {
		struct mh_fwd *f = &fwd.irq[i];
		struct hyp_vgic *vg = &f->vm->vgic;

		/* The virtual SPI: backed by the physical one (the LR's HW bit),
		 * the trigger the DT gives (the guest may change it in ICFGR). */
		ret = hyp_vgic_irq_map_hw(vg, NULL, f->intid, f->intid);
		if (!ret)
			ret = hyp_vgic_irq_set_level(vg, NULL, f->intid, !f->edge);
		if (!ret)
			ret = mh_gic_spi_config(g, f->intid, f->edge, f->pcpu);
		if (ret) {
			mh_printf("minihyp: error: %s: forwarding INTID %u: %d\n", f->what,
				  f->intid, ret);
			return ret;
		}
	}
	return 0;
}

/* The vCPU the guest routes SPI @intid to now (its GICD_IROUTER or
 * ITARGETSR, read without the VM lock: a hint for the physical routing,
 * the vGIC itself routes the injection), or -1 (1-of-N, none). */
static int guest_route(struct mh_vm *vm, unsigned int intid)
{
	const struct hyp_vgic_irq *irq = hyp_vgic_get_irq(&vm->vgic, NULL, intid);
	uint64_t r;
	unsigned int t;

	if (!irq)
		return -1;
	if (vm->vgic.model == HYP_VGIC_MODEL_V2) {
		t = __atomic_load_n(&irq->targets, __ATOMIC_RELAXED) & ((1u << vm->nr_vcpus) - 1);
		return t ? __builtin_ctz(t) : -1;
	}
	r = __atomic_load_n(&irq->irouter, __ATOMIC_RELAXED);
	if (r & (1ull << 31))
		return -1;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->gv[i].mpidr == (r & 0xff00ffffffull))
			return (int)i;
	return -1;
}

/* The guest routed @f elsewhere: the next firing goes to the CPU of the
 * vCPU it names. */
static __attribute__((noinline, cold)) void fwd_retarget(struct mh_fwd *f, unsigned int vcpu)
{
	unsigned int pcpu = f->vm->vcpu[vcpu].pcpu;

	fwd_lock_take();
	if (fwd.gic->version == 2)
		fwd_settle(f);
	f->vcpu = (uint8_t)vcpu;
	if (f->pcpu != pcpu && !mh_gic_spi_route(fwd.gic, f->intid, f->edge, pcpu))
		f->pcpu = (uint8_t)pcpu;
	fwd_target_add(f->vm, vcpu, f->pcpu);
	fwd_lock_drop();
}

bool mh_forward_irq(const struct mh_gic *g, unsigned int intid, uint32_t raw)
{
	struct mh_fwd *f;
	int t;

	if (intid > 1019 || !fwd.slot[intid])
		return false;
	f = &fwd.irq[fwd.slot[intid] - 1];
	/* Priority drop only: active until the guest deactivates it. */
	mh_gic_drop(g, raw);
	/* The vGIC routes it by the guest's GICD_IROUTER / ITARGETSR and
	 * kicks (or wakes) that vCPU if another CPU runs it. */
	(void)hyp_vgic_irq_raise(&f->vm->vgic, NULL, intid);
	__atomic_add_fetch(&f->count, 1u, __ATOMIC_RELAXED);
	t = guest_route(f->vm, intid);
	if (g->version == 2)
		fwd_acked(f, t >= 0 ? (unsigned int)t : f->vcpu);
	/* stats.c: counted for the vCPU it goes to (another CPU may count too). */
	__atomic_add_fetch(&f->vm->vcpu[t >= 0 ? (unsigned int)t : f->vcpu].st.forwarded, 1u,
			   __ATOMIC_RELAXED);
	if (t >= 0 && (unsigned int)t != f->vcpu)
		fwd_retarget(f, (unsigned int)t);
	return true;
}

void mh_forward_vcpu_loaded(struct mh_vcpu *mv, unsigned int pcpu)
{
	unsigned int nr = __atomic_load_n(&fwd.nr_targets, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < nr; i++) {
		struct mh_fwd_target *t = &fwd.target[i];

		if (t->vm != mv->vm || t->vcpu != mv->idx || t->pcpu == pcpu)
			continue;
		fwd_lock_take();
		t->pcpu = (uint8_t)pcpu;
		for (unsigned int n = 0; n < fwd.nr; n++) {
			struct mh_fwd *f = &fwd.irq[n];

			if (f->vm != mv->vm || f->vcpu != mv->idx)
				continue;
			/* GICv2: settled before it is routed here again; one
			 * still in flight is now completed elsewhere. */
			if (fwd.gic->version == 2) {
				fwd_settle(f);
				if (f->in_flight && f->ack_pcpu != pcpu)
					f->foreign = true;
			}
			if (f->pcpu != pcpu && !mh_gic_spi_route(fwd.gic, f->intid, f->edge, pcpu))
				f->pcpu = (uint8_t)pcpu;
		}
		fwd_lock_drop();
	}
}

void mh_forward_vm_end(struct mh_vm *vm)
{
	for (unsigned int i = 0; i < fwd.nr; i++)
		if (fwd.irq[i].vm == vm && fwd.gic)
			mh_gic_spi_off(fwd.gic, fwd.irq[i].intid);
}

uint32_t mh_forward_count(const struct mh_vm *vm)
{
	uint32_t n = 0;

	for (unsigned int i = 0; i < fwd.nr; i++)
		if (fwd.irq[i].vm == vm)
			n += __atomic_load_n(&fwd.irq[i].count, __ATOMIC_RELAXED);
	return n;
}

void mh_forward_report(const struct mh_vm *vm)
{
	for (unsigned int i = 0; i < fwd.nr; i++) {
		const struct mh_fwd *f = &fwd.irq[i];

		if ((vm && f->vm != vm) || !f->count)
			continue;
		mh_printf("minihyp: forwarded INTID %u (%s, %s) to vCPU %u: %u times\n", f->intid,
			  f->what, f->edge ? "edge" : "level", f->vcpu, f->count);
	}
}
