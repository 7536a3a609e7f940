/* SPDX-License-Identifier: MIT */
/* Shared between the vgic sources: interrupt state, routing, the vCPU lists. */
#ifndef LIBHYP_SRC_VGIC_INTERNAL_H
#define LIBHYP_SRC_VGIC_INTERNAL_H

#include <libhyp/hw.h>
#include <libhyp/vcpu.h>
#include <libhyp/vgic.h>

/* Statistics (hyp_vgic::stats, hyp_vgic_vcpu::stats, ::lr_injected): kept
 * unless the library is built with -DHYP_VGIC_STATS=0, which compiles
 * every counter update out of the paths (the fields stay, at zero). */
#ifndef HYP_VGIC_STATS
#define HYP_VGIC_STATS 1
#endif
#if HYP_VGIC_STATS
#define VGIC_STAT_ADD(field, n) ((void)((field) += (n)))
#else
#define VGIC_STAT_ADD(field, n) ((void)sizeof((field) += (n)))
#endif
#define VGIC_STAT(field) VGIC_STAT_ADD(field, 1)

/* ICC_SGI1R_EL1's routing fields (IHI 0069 ch. 12, ICC_SGI1R_EL1):
 * TargetList [15:0], Aff1 [23:16], Aff2 [39:32], IRM [40], RS [47:44],
 * Aff3 [55:48]; INTID [27:24] is not one of them. */
#define SGI1R_ROUTE 0x00fff1ff00ffffffull

static inline void vgic_lock(struct hyp_vgic *vm)
{
	if (vm->ops->lock)
		vm->ops->lock(vm, vm->ctx);
}

static inline void vgic_unlock(struct hyp_vgic *vm)
{
	if (vm->ops->unlock)
		vm->ops->unlock(vm, vm->ctx);
}

static inline bool vgic_is_v2(const struct hyp_vgic *vm)
{
	return vm->model == HYP_VGIC_MODEL_V2;
}

static inline bool vgic_is_sgi(unsigned intid)
{
	return intid < HYP_VGIC_NR_SGIS;
}

/* GICv2 SGIs are pending per requesting CPU (IHI 0048B 4.3, GICD_SGIR;
 * 5.3 GICH_LRn CPUID): their pending state is the set of sources. */
static inline bool vgic_v2_sgi(const struct hyp_vgic *vm, const struct hyp_vgic_irq *irq)
{
	return vgic_is_v2(vm) && vgic_is_sgi(irq->intid);
}

/* The helpers below with _k take the VM's model as an argument (@v2m:
 * the GICv2 model), for the fast paths that know it at compile time. */

/* Pending as the distributor sees it. Hardware-backed interrupts keep
 * their pending state in the latch whatever their trigger: the physical
 * GIC holds the line, the hypervisor injects once per physical firing. */
static inline bool vgic_pending_k(bool v2m, const struct hyp_vgic_irq *irq)
{
	if (v2m && vgic_is_sgi(irq->intid))
		return irq->sources != 0;
	if (irq->level && !irq->hw)
		return irq->latch || irq->line;
	return irq->latch;
}

static inline bool vgic_pending(const struct hyp_vgic *vm, const struct hyp_vgic_irq *irq)
{
	return vgic_pending_k(vgic_is_v2(vm), irq);
}

static inline bool vgic_group_enabled(const struct hyp_vgic *vm, const struct hyp_vgic_irq *irq)
{
	return (vm->ctlr >> (irq->group1 ? 1 : 0)) & 1;
}

/* Worth an LR: active (the guest must be able to deactivate it), or
 * pending, enabled and in an enabled group. */
static inline bool vgic_deliverable_k(const struct hyp_vgic *vm, bool v2m,
				      const struct hyp_vgic_irq *irq)
{
	return irq->active ||
	       (vgic_pending_k(v2m, irq) && irq->enabled && vgic_group_enabled(vm, irq));
}

static inline bool vgic_deliverable(const struct hyp_vgic *vm, const struct hyp_vgic_irq *irq)
{
	return vgic_deliverable_k(vm, vgic_is_v2(vm), irq);
}

/* The vCPU an interrupt that is not active should go to, or NULL. */
struct hyp_vgic_vcpu *hyp__vgic_route(struct hyp_vgic *vm, const struct hyp_vgic_irq *irq);

/* After a state change of @irq: put it on the right vCPU's list if it is
 * deliverable, and kick that vCPU if it is running or asleep. Lock held. */
void hyp__vgic_update(struct hyp_vgic *vm, struct hyp_vgic_irq *irq);

/* Re-evaluate every interrupt (distributor enable changes). Lock held. */
void hyp__vgic_update_all(struct hyp_vgic *vm);

/* Make SGI @sgi of @dst pending from @src (GICv2: per source). Lock held. */
void hyp__vgic_sgi_pend(struct hyp_vgic *vm, struct hyp_vgic_vcpu *src, struct hyp_vgic_vcpu *dst,
			unsigned sgi);

/* Queue @irq on @v's list, in order (hyp__vgic_list_sort()). Lock held. */
void hyp__vgic_list_insert(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq);

/* Remove @irq from the list of the vCPU holding it. Lock held. */
void hyp__vgic_list_del(struct hyp_vgic_irq *irq);

/* Sort a vCPU's list: active first, then pending by priority (lower value
 * first), ties by INTID. Lock held. */
void hyp__vgic_list_sort(struct hyp_vgic_vcpu *vcpu);

/* hyp_vgic_irq::lr_override: a guest write changed the pending or active
 * state of an interrupt held in the live LR of another vCPU (running on
 * another CPU, out of reach); the fold of that LR applies it over what
 * the LR says. */
#define VGIC_LR_CLEAR_PENDING (1u << 0)
#define VGIC_LR_CLEAR_ACTIVE  (1u << 1)
#define VGIC_LR_SET_ACTIVE    (1u << 2)

/* Make @v see a change: force a running vCPU to exit, wake a blocked one;
 * a vCPU in the guest on this CPU (hyp_vgic_ops::local) is marked for
 * hyp_vgic_refresh() instead. Lock held. */
void hyp__vgic_kick(struct hyp_vgic *vm, struct hyp_vgic_vcpu *v);

/* Lock held. If @irq sits in an LR of @self while @self is in the guest
 * (the caller handles @self's trap on its CPU: the LR is live), read the
 * LR back and fold it into @irq. Returns the LR, or -1 if @irq is in no
 * live LR of @self. */
int hyp__vgic_lr_sync(struct hyp_vgic_vcpu *self, struct hyp_vgic_irq *irq);

/* Lock held. After hyp__vgic_lr_sync() returned @lr >= 0 and @irq's state
 * changed: present @irq in LR @lr again, or empty the LR if it is no
 * longer deliverable. One LR write. */
void hyp__vgic_lr_resync(struct hyp_vgic_vcpu *self, struct hyp_vgic_irq *irq, int lr);

/* Lock held, @v in the guest and local (hyp_vgic_ops::local): present
 * the deliverable @irq, queued on @v's list, in one live LR: the LR
 * already holding it (one read, one write) or the first free one (one
 * write; plus the HCR if the hardware's differs). Returns false if that
 * would be wrong (no free LR; interrupts wait for an LR: an overflow's
 * maintenance request is set; save_all mode): the caller then marks the
 * vCPU for hyp_vgic_refresh(). */
bool hyp__vgic_lr_inject(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq);

/* hyp__vgic_lr_inject() for a GICv3 VM (hence GICv3 hardware). */
bool hyp__vgic_lr_inject_v3(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq);

/* hyp__vgic_lr_inject() for a GICv2 VM on GICv2 hardware. */
bool hyp__vgic_lr_inject_v2(struct hyp_vgic_vcpu *v, struct hyp_vgic_irq *irq);

/* hyp_vgic_sgi_trap() past its checks: a write of @val to ICC_SGI1R_EL1
 * (@g1) or ICC_SGI0R_EL1/ICC_ASGI1R_EL1 by @src of the GICv3 VM @vm.
 * Returns HYP_SYSREG_HANDLED. */
int hyp__vgic_sgi_write(struct hyp_vgic *vm, struct hyp_vgic_vcpu *src, uint64_t val, bool g1);

struct hyp_vcpu;
/* hyp_vgic_dabt_sgir() past its checks (GICD_SGIR's value @val from @v,
 * the running vCPU, in a VM with sgi_inline, TargetListFilter "this CPU"):
 * on GICv2 hardware the SGI straight into its own LR when the guest is
 * done with it (one ELRSR read, one LR write), else the general write;
 * the count, the skip. Returns HYP_FAST_RESUME_X0_X18. */
int hyp__vgic_v2_sgir_self(struct hyp_vcpu *vcpu, struct hyp_vgic_vcpu *v, uint32_t val);
/* The distributor's GICD_SGIR write under the lock, the count, the
 * refresh, the skip (dist.c). Returns HYP_FAST_RESUME_X0_X18. */
int hyp__vgic_dabt_sgir_general(struct hyp_vcpu *vcpu, struct hyp_vgic_vcpu *v, uint32_t val);

/* SGI @sgi pending on its sender @v, the vCPU whose trap this CPU
 * handles (a GICv3 SGI register write, a GICv2 GICD_SGIR write). Lock
 * held. As hyp__vgic_sgi_pend() then hyp__vgic_update(), knowing what
 * they find out: the interrupt is private (its route is @v), and @v, if
 * in the guest, is in the guest on this CPU, its LRs live here (the
 * assumption of hyp__vgic_lr_sync()): hyp_vgic_ops::local is not asked;
 * its presence says the integrator takes in-place LR updates. */
static inline __attribute__((always_inline)) void
vgic_sgi_own(struct hyp_vgic *vm, struct hyp_vgic_vcpu *v, unsigned sgi, bool v2m)
{
	struct hyp_vgic_irq *irq = &v->priv[sgi];

	/* Computed once: compilers otherwise recompute &priv[sgi] (a
	 * multiply) at each use. */
	__asm__("" : "+r"(irq));
	/* GICv2: pending per source CPU (IHI 0048B 4.3, GICD_SGIR). */
	if (v2m)
		irq->sources |= (uint8_t)(1u << v->idx);
	else
		irq->latch = true;
	VGIC_STAT(vm->stats.sgis);
	if (__builtin_expect(!vgic_deliverable_k(vm, v2m, irq), 0)) {
		if (irq->in_lr && irq->vcpu)
			hyp__vgic_kick(vm, irq->vcpu);
		return;
	}
	if (!irq->vcpu)
		hyp__vgic_list_insert(v, irq);
	if (v->in_guest && vm->ops->local) {
		bool ok = !v2m				   ? hyp__vgic_lr_inject_v3(v, irq)
			  : vm->hw->type == HYP_VGIC_HW_V3 ? hyp__vgic_lr_inject(v, irq)
							   : hyp__vgic_lr_inject_v2(v, irq);

		if (!ok)
			v->refresh = true;
		return;
	}
	hyp__vgic_kick(vm, v);
}

/* Complete the trapped instruction of @vcpu, live and in AArch64, as
 * hyp_vcpu_skip_insn() would, with its accesses: SPSR_EL2 and ELR_EL2
 * read, ELR_EL2 written (PC + 4), SPSR_EL2 written only to clear SS [21]
 * or BTYPE [11:10] (Arm ARM C5.2.19). Returns false, having touched
 * nothing but the SPSR_EL2 read of a live AArch32 vCPU, if @vcpu is not
 * live or in AArch32: the caller then calls the general function. */
static inline __attribute__((always_inline)) bool vgic_skip_live_a64(struct hyp_vcpu *vcpu)
{
	const uint64_t clr = HYP_PSR_SS | HYP_PSR_BTYPE_MASK;
	uint64_t spsr;

	if (__builtin_expect(!vcpu->live, 0) ||
	    __builtin_expect((spsr = hyp_read_sysreg(HYP_SYS_SPSR_EL2)) & HYP_PSR_M_AA32, 0))
		return false;
	hyp_write_sysreg(HYP_SYS_ELR_EL2, hyp_read_sysreg(HYP_SYS_ELR_EL2) + 4);
	if (spsr & clr)
		hyp_write_sysreg(HYP_SYS_SPSR_EL2, spsr & ~clr);
	return true;
}

/* An SGI just made pending on @t, a vCPU other than the one whose trap
 * this CPU handles (hyp_vgic_sgi_direct()'s and hyp_vgic_dabt_sgir()'s
 * paths for one other vCPU). Lock held. As hyp__vgic_update() then
 * hyp__vgic_kick(), knowing what they find out: the interrupt is pending
 * and private (its route is @t, and it is on @t's list or on none), and
 * @t is not this CPU's vCPU (this CPU runs the sender; a CPU runs one
 * vCPU at a time), so hyp_vgic_ops::local would answer false and is not
 * asked. @ops, @ctx: vm->ops and vm->ctx, read once by the caller. */
static inline __attribute__((always_inline)) void
vgic_sgi_other(struct hyp_vgic *vm, const struct hyp_vgic_ops *ops, void *ctx,
	       struct hyp_vgic_vcpu *t, struct hyp_vgic_irq *irq)
{
	/* Deliverable when enabled in an enabled group, or active
	 * (vgic_deliverable_k() of a pending interrupt); the common case
	 * first. */
	if (__builtin_expect((irq->enabled && vgic_group_enabled(vm, irq)) || irq->active, 1)) {
		if (!irq->vcpu)
			hyp__vgic_list_insert(t, irq);
		/* hyp__vgic_kick() of a vCPU that is not this CPU's. */
		if (ops->kick) {
			if (t->in_guest)
				ops->kick(t, HYP_VGIC_KICK_RUNNING, ctx);
			else if (!t->loaded)
				ops->kick(t, HYP_VGIC_KICK_WAKE, ctx);
		}
	} else if (irq->in_lr && irq->vcpu) {
		/* No longer deliverable, but a running vCPU's LR may offer
		 * it: hyp__vgic_update()'s kick for the prune. */
		hyp__vgic_kick(vm, irq->vcpu);
	}
}

#endif /* LIBHYP_SRC_VGIC_INTERNAL_H */
