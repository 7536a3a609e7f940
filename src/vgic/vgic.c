/* SPDX-License-Identifier: MIT */
/* Virtual GIC: VM and vCPU set-up, routing, the per-vCPU lists of
 * pending/active interrupts, injection and SGI generation. No hardware is
 * touched here; the CPU interface is in cpuif.c, the distributor
 * emulation in dist.c. */
#include "internal.h"

static const struct hyp_vgic_ops no_ops;

/* MPIDR_EL1 affinity of vCPU @i when the caller gives none: 16 vCPUs per
 * Aff1 cluster, because an ICC_SGI1R_EL1 TargetList names Aff0 0..15
 * (IHI 0069 ch. 12, ICC_SGI1R_EL1). Layout as MPIDR_EL1: Aff0 [7:0],
 * Aff1 [15:8], Aff2 [23:16], Aff3 [39:32]. */
static uint64_t default_mpidr(unsigned i)
{
	return (i & 15u) | (uint64_t)((i >> 4) & 0xffu) << 8 | (uint64_t)((i >> 12) & 0xffu) << 16;
}

#define MPIDR_AFF_MASK 0xff00ffffffull

static uint64_t cfg_mpidr(const struct hyp_vgic_config *cfg, unsigned i)
{
	return cfg->mpidr ? cfg->mpidr[i] & MPIDR_AFF_MASK : default_mpidr(i);
}

/* Every vCPU of a GICv3 guest must be a target the guest can name: its
 * affinity unique (IROUTER, GICR_TYPER and ICC_SGI1R_EL1 name vCPUs by
 * affinity alone), and Aff3 zero unless the virtual CPU interface
 * supports it (with ICC_CTLR_EL1.A3V == 0 the guest's SGIs cannot name
 * Aff3). Aff0 above 15 needs the range selector, which the distributor
 * then advertises (GICD_TYPER.RSS, see dist.c). Cost: nr_vcpus^2 / 2
 * compares, at init only. */
static int check_affinities(const struct hyp_vgic_config *cfg)
{
	for (unsigned i = 0; i < cfg->nr_vcpus; i++) {
		uint64_t a = cfg_mpidr(cfg, i);

		if ((a >> 32) != 0 && !(cfg->hw->vtr & HYP_ICH_VTR_A3V))
			return HYP_ENOTSUP;
		for (unsigned j = 0; j < i; j++)
			if (cfg_mpidr(cfg, j) == a)
				return HYP_EINVAL;
	}
	return 0;
}

/* ICC_SGI1R_EL1's routing fields (IHI 0069 ch. 12, ICC_SGI1R_EL1):
 * TargetList [15:0], Aff1 [23:16], Aff2 [39:32], IRM [40], RS [47:44],
 * Aff3 [55:48]; INTID [27:24] is not one of them. */
#define SGI1R_IRM     (1ull << 40)
#define SGI1R_RS_AFF3 0x00fff00000000000ull

/* The ICC_SGI1R_EL1 routing fields that name the vCPU of affinity @mpidr
 * alone (IRM 0; RS selects Aff0 / 16, TargetList bit Aff0 % 16). */
static uint64_t sgi1r_self(uint64_t mpidr)
{
	unsigned aff0 = (unsigned)(mpidr & 0xff);

	return 1ull << (aff0 % 16) | ((mpidr >> 8) & 0xff) << 16 | ((mpidr >> 16) & 0xff) << 32 |
	       (uint64_t)(aff0 / 16) << 44 | ((mpidr >> 32) & 0xff) << 48;
}

static void irq_reset(struct hyp_vgic_irq *irq, unsigned intid, struct hyp_vgic_vcpu *owner,
		      bool v2)
{
	__builtin_memset(irq, 0, sizeof(*irq));
	irq->intid = (uint16_t)intid;
	irq->owner = owner;
	/* Reset groups are IMPLEMENTATION DEFINED; a GICv3 guest runs
	 * Non-secure with one Security state and uses Group 1, a GICv2 guest
	 * without Security Extensions starts in Group 0 (signalled as vIRQ
	 * unless GICV_CTLR.FIQEn). */
	irq->group1 = !v2;
	/* SGIs are edge-triggered (ICFGR read-only); PPIs and SPIs start
	 * level-sensitive, as most devices and the timers are. */
	irq->level = !vgic_is_sgi(intid);
	/* GICv2 may implement SGIs as permanently enabled (IHI 0048B 4.3,
	 * GICD_ISENABLERn): this one does. */
	irq->enabled = v2 && vgic_is_sgi(intid);
}

int hyp_vgic_init(struct hyp_vgic *vm, const struct hyp_vgic_config *cfg)
{
	const struct hyp_vgic_hw *hw;
	bool v2;

	if (!vm || !cfg || !cfg->hw || !cfg->vcpus || cfg->nr_vcpus == 0)
		return HYP_EINVAL;
	hw = cfg->hw;
	if (hw->nr_lrs == 0 || hw->nr_lrs > HYP_VGIC_MAX_LRS || hw->nr_aprs == 0)
		return HYP_EINVAL;
	if (cfg->model != HYP_VGIC_MODEL_V3 && cfg->model != HYP_VGIC_MODEL_V2)
		return HYP_EINVAL;
	v2 = cfg->model == HYP_VGIC_MODEL_V2;
	/* A GICv2 cannot present a system-register CPU interface. */
	if (!v2 && hw->type != HYP_VGIC_HW_V3)
		return HYP_EINVAL;
	if (v2 ? cfg->nr_vcpus > HYP_VGIC_V2_MAX_VCPUS : cfg->nr_vcpus > 0xffffu)
		return HYP_EINVAL;
	if (cfg->nr_spis > HYP_VGIC_MAX_SPIS || (cfg->nr_spis && !cfg->spis))
		return HYP_EINVAL;
	if (!v2) {
		int ret = check_affinities(cfg);

		if (ret)
			return ret;
	}

	__builtin_memset(vm, 0, sizeof(*vm));
	vm->hw = hw;
	vm->vcpus = cfg->vcpus;
	vm->nr_vcpus = cfg->nr_vcpus;
	vm->spis = cfg->spis;
	vm->nr_spis = cfg->nr_spis;
	vm->ops = cfg->ops ? cfg->ops : &no_ops;
	vm->ctx = cfg->ctx;
	vm->dist_base = cfg->dist_base;
	vm->redist_base = cfg->redist_base;
	vm->model = cfg->model;
	vm->hcr_traps = v2 ? 0
			   : cfg->hcr_traps & (HYP_ICH_HCR_TC | HYP_ICH_HCR_TALL0 |
					       HYP_ICH_HCR_TALL1 | HYP_ICH_HCR_TDIR);
	vm->save_all = cfg->save_all;
	/* The default affinities (or the same given): an SGI's target is
	 * found from its affinity by arithmetic, not by a search. */
	vm->aff_linear = true;
	for (unsigned i = 0; i < cfg->nr_vcpus && cfg->mpidr; i++)
		if (cfg_mpidr(cfg, i) != default_mpidr(i))
			vm->aff_linear = false;
	/* IPRIORITYR keeps the bits the LRs can carry: the implemented
	 * virtual priority bits, the top ones (IHI 0069 ch. 12,
	 * GICD_IPRIORITYR<n>: unimplemented low bits are RAZ/WI). */
	vm->pri_mask = (uint8_t)(0xffu << (8 - hw->pri_bits));

	/* The self-SGI inline paths: decided here, not at every trap. */
	vm->sgi_inline = !vm->save_all && vm->ops->local && !vm->ops->lock && !vm->ops->unlock;
	/* hyp_vgic_sgi_direct()'s path for an SGI to one other vCPU. */
	vm->sgi_cross = !v2 && !vm->save_all && vm->aff_linear;
	/* hyp_vgic_dabt_sgir()'s path for a GICD_SGIR naming one other vCPU. */
	vm->sgi_cross_v2 = v2 && !vm->save_all;

	for (unsigned i = 0; i < cfg->nr_vcpus; i++) {
		struct hyp_vgic_vcpu *v = &cfg->vcpus[i];

		__builtin_memset(v, 0, sizeof(*v));
		v->vm = vm;
		v->idx = (uint16_t)i;
		v->mpidr = cfg_mpidr(cfg, i);
		v->sgi1r_self = sgi1r_self(v->mpidr);
		/* hyp_vgic_sgi_direct()'s inline path: decided here, not at
		 * every trap. ~0 has the INTID bits set, which the compare
		 * masks off: it never matches. */
		v->sgi1r_fast = !v2 && vm->sgi_inline ? v->sgi1r_self : ~0ull;
		v->sleep = true;
		v->hw_hcr = ~0u;
		for (unsigned n = 0; n < HYP_VGIC_NR_PRIVATE; n++)
			irq_reset(&v->priv[n], n, v, v2);
	}
	for (unsigned i = 0; i < cfg->nr_spis; i++)
		irq_reset(&cfg->spis[i], HYP_VGIC_NR_PRIVATE + i, NULL, v2);
	return 0;
}

struct hyp_vgic_irq *hyp_vgic_get_irq(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu,
				      unsigned intid)
{
	if (!vm)
		return NULL;
	if (intid < HYP_VGIC_NR_PRIVATE)
		return vcpu && vcpu->vm == vm ? &vcpu->priv[intid] : NULL;
	if (intid - HYP_VGIC_NR_PRIVATE < vm->nr_spis)
		return &vm->spis[intid - HYP_VGIC_NR_PRIVATE];
	return NULL;
}

struct hyp_vgic_vcpu *hyp__vgic_route(struct hyp_vgic *vm, const struct hyp_vgic_irq *irq)
{
	if (irq->owner)
		return irq->owner;
	if (vgic_is_v2(vm)) {
		/* ITARGETSR: the lowest targeted CPU interface takes it, as a
		 * 1-of-N distributor may (IHI 0048B 4.3, GICD_ITARGETSRn). */
		unsigned t = irq->targets & ((1u << vm->nr_vcpus) - 1);

		return t ? &vm->vcpus[__builtin_ctz(t)] : NULL;
	}
	if (irq->irouter & (1ull << 31)) {
		/* IRM = 1, "any participating PE": the first awake vCPU. */
		for (unsigned i = 0; i < vm->nr_vcpus; i++)
			if (!vm->vcpus[i].sleep)
				return &vm->vcpus[i];
		return &vm->vcpus[0];
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].mpidr == (irq->irouter & MPIDR_AFF_MASK))
			return &vm->vcpus[i];
	return NULL;
}

/* Active first (the guest must be able to deactivate them), then by
 * priority (lower value is higher), then by INTID. */
static bool before(const struct hyp_vgic_irq *a, const struct hyp_vgic_irq *b)
{
	if (a->active != b->active)
		return a->active;
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return a->intid < b->intid;
}

void hyp__vgic_list_insert(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq)
{
	struct hyp_vgic_irq **pp = &v->list;

	while (*pp && !before(irq, *pp))
		pp = &(*pp)->next;
	irq->next = *pp;
	*pp = irq;
	irq->vcpu = v;
}

void hyp__vgic_list_del(struct hyp_vgic_irq *irq)
{
	struct hyp_vgic_irq **pp;

	if (!irq->vcpu)
		return;
	for (pp = &irq->vcpu->list; *pp; pp = &(*pp)->next) {
		if (*pp == irq) {
			*pp = irq->next;
			break;
		}
	}
	irq->next = NULL;
	irq->vcpu = NULL;
}

void hyp__vgic_list_sort(struct hyp_vgic_vcpu *vcpu)
{
	struct hyp_vgic_irq *rest = vcpu->list;

	vcpu->list = NULL;
	while (rest) {
		struct hyp_vgic_irq *irq = rest;

		rest = rest->next;
		hyp__vgic_list_insert(vcpu, irq);
	}
}

/* @v is in the guest and this CPU runs it: its LRs can be changed here. */
static bool vgic_local(struct hyp_vgic *vm, struct hyp_vgic_vcpu *v)
{
	return v->in_guest && vm->ops->local && vm->ops->local(v, vm->ctx);
}

void hyp__vgic_kick(struct hyp_vgic *vm, struct hyp_vgic_vcpu *v)
{
	/* Its own CPU is handling its exit: no IPI, hyp_vgic_refresh() on
	 * the way back folds and refills. */
	if (vgic_local(vm, v)) {
		v->refresh = true;
		return;
	}
	if (!vm->ops->kick)
		return;
	if (v->in_guest)
		vm->ops->kick(v, HYP_VGIC_KICK_RUNNING, vm->ctx);
	else if (!v->loaded)
		vm->ops->kick(v, HYP_VGIC_KICK_WAKE, vm->ctx);
}

/* @v must see @irq, queued on its list: in place if @v is in the guest on
 * this CPU (hyp_vgic_ops::local), else by a kick. Lock held. */
static void vgic_deliver(struct hyp_vgic *vm, struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq)
{
	if (vgic_local(vm, v)) {
		if (!hyp__vgic_lr_inject(v, irq))
			v->refresh = true;
		return;
	}
	hyp__vgic_kick(vm, v);
}

void hyp__vgic_update(struct hyp_vgic *vm, struct hyp_vgic_irq *irq)
{
	struct hyp_vgic_vcpu *t;

	/* An interrupt that stopped being deliverable stays where it is: the
	 * next entry of its vCPU prunes it. If a running vCPU's LR still
	 * offers it, that vCPU must exit for the prune to happen. */
	if (!vgic_deliverable(vm, irq)) {
		if (irq->in_lr && irq->vcpu)
			hyp__vgic_kick(vm, irq->vcpu);
		return;
	}
	if (irq->vcpu) {
		/* Queued: it was not deliverable, or did not fit, at the last
		 * entry, or it sits in an LR. An LR is no proof that the guest
		 * will see the change: a vCPU that never exits may have
		 * acknowledged and deactivated it long ago (the LR is invalid
		 * in hardware while in_lr still says "in an LR"), and a new
		 * pending state would then wait for an exit that never comes.
		 * So a running vCPU is always made to exit and refill (or, on
		 * its own CPU, has the LR rewritten now). */
		vgic_deliver(vm, irq->vcpu, irq);
		return;
	}
	t = hyp__vgic_route(vm, irq);
	if (!t)
		return;
	hyp__vgic_list_insert(t, irq);
	vgic_deliver(vm, t, irq);
}

void hyp__vgic_update_all(struct hyp_vgic *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		for (unsigned n = 0; n < HYP_VGIC_NR_PRIVATE; n++)
			hyp__vgic_update(vm, &vm->vcpus[i].priv[n]);
	for (unsigned i = 0; i < vm->nr_spis; i++)
		hyp__vgic_update(vm, &vm->spis[i]);
}

void hyp__vgic_sgi_pend(struct hyp_vgic *vm, struct hyp_vgic_vcpu *src, struct hyp_vgic_vcpu *dst,
			unsigned sgi)
{
	struct hyp_vgic_irq *irq = &dst->priv[sgi];

	if (vgic_is_v2(vm))
		irq->sources |= (uint8_t)(1u << src->idx);
	else
		irq->latch = true;
	VGIC_STAT(vm->stats.sgis);
	hyp__vgic_update(vm, irq);
}

/* The PPI or SPI @intid for the injection API, or an error. */
static int inject_irq(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, unsigned intid,
		      struct hyp_vgic_irq **out)
{
	if (!vm)
		return HYP_EINVAL;
	if (intid < HYP_VGIC_NR_SGIS)
		return HYP_ERANGE;
	if (intid < HYP_VGIC_NR_PRIVATE && (!vcpu || vcpu->vm != vm))
		return HYP_EINVAL;
	*out = hyp_vgic_get_irq(vm, vcpu, intid);
	return *out ? 0 : HYP_ERANGE;
}

int hyp_vgic_irq_raise(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, unsigned intid)
{
	struct hyp_vgic_irq *irq;
	int ret = inject_irq(vm, vcpu, intid, &irq);

	if (ret)
		return ret;
	vgic_lock(vm);
	/* A HW-mapped one raised while active is kept too (the latch waits
	 * in memory: never presented pending and active). On a GIC that
	 * keeps one active state per SPI it cannot fire again before the
	 * guest's deactivation, except in a live LR the guest deactivated
	 * since; but a GIC model that keeps it per CPU interface (QEMU 7.2's
	 * GICv2, docs/vgic.md) takes a new firing on another CPU while the
	 * guest still holds the first active, and an edge dropped here was
	 * lost for good (its device waits for the guest's acknowledgement). */
	if (irq->level && !irq->hw) {
		if (!irq->line) {
			irq->line = true;
			hyp__vgic_update(vm, irq);
		}
	} else if (!irq->latch) {
		irq->latch = true;
		hyp__vgic_update(vm, irq);
	}
	vgic_unlock(vm);
	return 0;
}

int hyp_vgic_irq_lower(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, unsigned intid)
{
	struct hyp_vgic_irq *irq;
	int ret = inject_irq(vm, vcpu, intid, &irq);

	if (ret)
		return ret;
	vgic_lock(vm);
	irq->line = false;
	vgic_unlock(vm);
	return 0;
}

int hyp_vgic_irq_set_level(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, unsigned intid,
			   bool level)
{
	struct hyp_vgic_irq *irq;
	int ret = inject_irq(vm, vcpu, intid, &irq);

	if (ret)
		return ret;
	vgic_lock(vm);
	irq->level = level;
	hyp__vgic_update(vm, irq);
	vgic_unlock(vm);
	return 0;
}

int hyp_vgic_irq_map_hw(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, unsigned intid,
			unsigned pintid)
{
	struct hyp_vgic_irq *irq;
	int ret = inject_irq(vm, vcpu, intid, &irq);

	if (ret)
		return ret;
	/* pINTID of a HW LR: an SGI cannot be, nor can an LPI or a special
	 * INTID (1020..1023). */
	if (pintid != 0 && (pintid < HYP_VGIC_NR_SGIS || pintid > 1019))
		return HYP_ERANGE;
	vgic_lock(vm);
	irq->hw = pintid != 0;
	irq->hwintid = (uint16_t)pintid;
	vgic_unlock(vm);
	return 0;
}

/* The vCPUs an ICC_SGI1R_EL1 value names (IHI 0069 ch. 12, ICC_SGI1R_EL1:
 * TargetList [15:0], Aff1 [23:16], Aff2 [39:32], IRM [40], RS [47:44],
 * Aff3 [55:48]). */
static bool sgi1r_targets(const struct hyp_vgic_vcpu *v, const struct hyp_vgic_vcpu *src,
			  uint64_t r)
{
	uint64_t aff =
	    ((r >> 16) & 0xff) << 8 | ((r >> 32) & 0xff) << 16 | ((r >> 48) & 0xff) << 32;
	unsigned aff0 = (unsigned)(v->mpidr & 0xff), rs = (unsigned)(r >> 44) & 0xfu;

	if (r & (1ull << 40))
		return v != src;
	if ((v->mpidr & ~0xffull) != aff || aff0 / 16 != rs)
		return false;
	return (r >> (aff0 % 16)) & 1;
}

/* SGI @sgi from @src to @t, if @t's SGI is in a group the register
 * reaches: SGI0R and ASGI1R reach Group 0 SGIs only, SGI1R either group
 * (IHI 0069 ch. 12, with GICD_CTLR.DS == 1). Lock held. */
static int sgi_to(struct hyp_vgic *vm, struct hyp_vgic_vcpu *src, struct hyp_vgic_vcpu *t,
		  unsigned sgi, bool group1)
{
	if (!vgic_is_v2(vm) && t->priv[sgi].group1 && !group1)
		return 0;
	hyp__vgic_sgi_pend(vm, src, t, sgi);
	return 1;
}

/* A GICv3 SGI to other vCPUs than its sender alone. Lock held. The
 * TargetList's set bits are visited, not the vCPUs, when the affinities
 * are the default ones (vCPU i is Aff0 i % 16, Aff1 i / 16 % 256, Aff2
 * i / 4096: the one named by RS 0, Aff1, Aff2, TargetList bit b is vCPU
 * 4096 Aff2 + 16 Aff1 + b); a broadcast (IRM) or given affinities visit
 * every vCPU. */
static int sgi_v3_route(struct hyp_vgic *vm, struct hyp_vgic_vcpu *src, unsigned sgi, uint64_t r,
			bool group1)
{
	int n = 0;

	if (!(r & SGI1R_IRM) && vm->aff_linear) {
		unsigned base = (unsigned)((r >> 16) & 0xff) * 16 + (unsigned)((r >> 32) & 0xff) * 4096;

		if (r & SGI1R_RS_AFF3)
			return 0; /* no vCPU has Aff0 > 15 or Aff3 != 0 */
		for (unsigned m = (unsigned)r & 0xffffu; m; m &= m - 1) {
			unsigned i = base + (unsigned)__builtin_ctz(m);

			if (i >= vm->nr_vcpus)
				break;
			n += sgi_to(vm, src, &vm->vcpus[i], sgi, group1);
		}
		return n;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (sgi1r_targets(&vm->vcpus[i], src, r))
			n += sgi_to(vm, src, &vm->vcpus[i], sgi, group1);
	return n;
}

/* hyp_vgic_send_sgi() past its checks. */
static int send_sgi(struct hyp_vgic *vm, struct hyp_vgic_vcpu *src, unsigned sgi,
		    uint64_t target_list, bool group1)
{
	int n = 0;

	vgic_lock(vm);
	if (vgic_is_v2(vm)) {
		unsigned all = (1u << vm->nr_vcpus) - 1;

		for (unsigned m = (unsigned)target_list & all; m; m &= m - 1)
			n += sgi_to(vm, src, &vm->vcpus[__builtin_ctz(m)], sgi, group1);
	} else if ((target_list & SGI1R_ROUTE) == src->sgi1r_self) {
		/* To its sender alone (precomputed at init): no decode. */
		n = sgi_to(vm, src, src, sgi, group1);
	} else {
		n = sgi_v3_route(vm, src, sgi, target_list, group1);
	}
	vgic_unlock(vm);
	return n;
}

int hyp_vgic_send_sgi(struct hyp_vgic *vm, struct hyp_vgic_vcpu *src, unsigned sgi,
		      uint64_t target_list, bool group1)
{
	if (!vm || !src || src->vm != vm)
		return HYP_EINVAL;
	if (sgi >= HYP_VGIC_NR_SGIS)
		return HYP_ERANGE;
	return send_sgi(vm, src, sgi, target_list, group1);
}

int hyp_vgic_sgi_trap(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a, void *ctx)
{
	struct hyp_vgic *vm = ctx;
	struct hyp_vgic_vcpu *src;
	bool g1;

	if (!vm || !a || !vcpu)
		return HYP_EINVAL;
	/* The requester in one load (hyp_vgic_vcpu_bind_sysreg()). */
	src = vcpu->vgic;
	if (!src || src->vm != vm)
		return HYP_EINVAL;
	if (a->read || vgic_is_v2(vm))
		return HYP_SYSREG_UNDEF;
	if (a->enc == HYP_SYS_ICC_SGI1R_EL1)
		g1 = true;
	else if (a->enc == HYP_SYS_ICC_SGI0R_EL1 || a->enc == HYP_SYS_ICC_ASGI1R_EL1)
		g1 = false;
	else
		return HYP_SYSREG_UNDEF;
	return hyp__vgic_sgi_write(vm, src, a->val, g1);
}

int hyp__vgic_sgi_write(struct hyp_vgic *vm, struct hyp_vgic_vcpu *src, uint64_t val, bool g1)
{
	/* INTID [27:24]: always an SGI (< 16); src belongs to vm. */
	unsigned sgi = (unsigned)(val >> 24) & 0xfu;

	if ((val & SGI1R_ROUTE) == src->sgi1r_self) {
		/* To its sender alone (routing precomputed at init): no
		 * decode, no search; without lock hooks no lock calls (the
		 * check hoisted: the path needs no stack frame for them). */
		if (src->priv[sgi].group1 && !g1)
			return HYP_SYSREG_HANDLED;
		if (!vm->ops->lock && !vm->ops->unlock) {
			vgic_sgi_own(vm, src, sgi, false);
			return HYP_SYSREG_HANDLED;
		}
		vgic_lock(vm);
		vgic_sgi_own(vm, src, sgi, false);
		vgic_unlock(vm);
		return HYP_SYSREG_HANDLED;
	}
	vgic_lock(vm);
	(void)sgi_v3_route(vm, src, sgi, val, g1);
	vgic_unlock(vm);
	return HYP_SYSREG_HANDLED;
}

int hyp_vgic_vcpu_bind_sysreg(struct hyp_vgic_vcpu *gv, struct hyp_sysreg_vcpu *sr)
{
	if (!gv || !sr || !gv->vm)
		return HYP_EINVAL;
	gv->sysreg = sr;
	sr->vgic = gv;
	return 0;
}

bool hyp_vgic_vcpu_pending(struct hyp_vgic_vcpu *vcpu)
{
	struct hyp_vgic *vm;
	bool ret = false;

	if (!vcpu || !vcpu->vm)
		return false;
	vm = vcpu->vm;
	vgic_lock(vm);
	for (struct hyp_vgic_irq *irq = vcpu->list; irq; irq = irq->next) {
		if (vgic_pending(vm, irq) && irq->enabled && vgic_group_enabled(vm, irq)) {
			ret = true;
			break;
		}
	}
	vgic_unlock(vm);
	return ret;
}
