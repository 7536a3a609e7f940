/* SPDX-License-Identifier: MIT */
/* Virtual distributor and redistributor emulation: guest MMIO accesses to
 * the GICv3 GICD and GICR frames (affinity routing always on) or the GICv2
 * GICD frame, decoded by the exit path and applied to the interrupts'
 * state. Register maps: IHI 0069 ch. 12 ("The GIC Distributor register
 * map", "The GIC Redistributor register map") and IHI 0048B 4.1.2
 * ("Distributor register map"). Nothing here touches hardware. */
#include <libhyp/emulate.h>
#include <libhyp/hw.h>
#include <libhyp/vcpu.h>
#include <libhyp/world_switch.h>

#include "internal.h"

/* GICD offsets shared by both models. */
#define GICD_CTLR	0x0000u
#define GICD_TYPER	0x0004u
#define GICD_IIDR	0x0008u
#define GICD_TYPER2	0x000cu
#define GICD_STATUSR	0x0010u
#define GICD_IGROUPR	0x0080u
#define GICD_ISENABLER	0x0100u
#define GICD_ICENABLER	0x0180u
#define GICD_ISPENDR	0x0200u
#define GICD_ICPENDR	0x0280u
#define GICD_ISACTIVER	0x0300u
#define GICD_ICACTIVER	0x0380u
#define GICD_IPRIORITYR 0x0400u
#define GICD_ITARGETSR	0x0800u
#define GICD_ICFGR	0x0c00u
#define GICD_SGIR	0x0f00u
#define GICD_CPENDSGIR	0x0f10u
#define GICD_SPENDSGIR	0x0f20u
#define GICD_IROUTER	0x6000u
#define GICD_V3_PIDR2	0xffe8u
#define GICD_V2_PIDR2	0x0fe8u

/* GICR offsets: RD_base frame, then SGI_base frame at +64 KiB. */
#define GICR_CTLR     0x0000u
#define GICR_IIDR     0x0004u
#define GICR_TYPER    0x0008u
#define GICR_STATUSR  0x0010u
#define GICR_WAKER    0x0014u
#define GICR_PIDR2    0xffe8u
#define GICR_SGI_BASE 0x10000u

/* GICD_CTLR with one Security state (IHI 0069 ch. 12, GICD_CTLR, DS == 1):
 * EnableGrp0 [0], EnableGrp1 [1], ARE [4], DS [6]. */
#define CTLR_ENABLE_MASK 0x3u
#define CTLR_ARE	 (1u << 4)
#define CTLR_DS		 (1u << 6)

/* GICR_WAKER: ProcessorSleep [1], ChildrenAsleep [2]. */
#define WAKER_SLEEP  (1u << 1)
#define WAKER_ASLEEP (1u << 2)

/* GICR_TYPER: Last [4], Processor_Number [23:8], Affinity_Value [63:32]. */
#define GICR_TYPER_LAST (1ull << 4)

/* Accepted widths, as bit masks of sizes. */
#define W4  (1u << 4)
#define W14 ((1u << 1) | (1u << 4))
#define W48 ((1u << 4) | (1u << 8))

enum bitreg { IGROUP, ISENABLE, ICENABLE, ISPEND, ICPEND, ISACTIVE, ICACTIVE };

static int razwi(struct hyp_vgic *vm, bool is_write, uint64_t *val)
{
	VGIC_STAT(vm->stats.unimpl);
	if (!is_write)
		*val = 0;
	return HYP_VGIC_MMIO_RAZWI;
}

static int bad(struct hyp_vgic *vm, bool is_write, uint64_t *val)
{
	VGIC_STAT(vm->stats.bad_access);
	if (!is_write)
		*val = 0;
	return HYP_VGIC_MMIO_RAZWI;
}

static bool width_ok(uint64_t off, unsigned width, unsigned allowed)
{
	return width <= 8 && ((allowed >> width) & 1) && (off & (width - 1)) == 0;
}

/* GICv2 SGIs with per-source pending state: their ISPENDR0/ICPENDR0 bits
 * are read-only (IHI 0048B 4.3, GICD_ISPENDRn); SPENDSGIR/CPENDSGIR set
 * and clear them. */
static bool sgi_pend_ro(const struct hyp_vgic *vm, const struct hyp_vgic_irq *irq)
{
	return vgic_v2_sgi(vm, irq);
}

/* The pending and active registers: their interrupts' state may sit in a
 * live LR of the accessing vCPU (hyp__vgic_lr_sync()). */
static bool pend_or_active(enum bitreg kind)
{
	return kind == ISPEND || kind == ICPEND || kind == ISACTIVE || kind == ICACTIVE;
}

/* @self: the accessing vCPU; @owner: whose private interrupts INTIDs
 * 0..31 are (the accessor, or a GICv3 redistributor's vCPU). */
static uint32_t bits_read(struct hyp_vgic *vm, struct hyp_vgic_vcpu *self,
			  struct hyp_vgic_vcpu *owner, unsigned base, enum bitreg kind)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 32; i++) {
		struct hyp_vgic_irq *irq = hyp_vgic_get_irq(vm, owner, base + i);
		bool b = false;
		int lr;

		if (!irq)
			continue;
		/* In a live LR of the reader: the LR has the current state. */
		lr = pend_or_active(kind) ? hyp__vgic_lr_sync(self, irq) : -1;
		switch (kind) {
		case IGROUP:
			b = irq->group1;
			break;
		case ISENABLE:
		case ICENABLE:
			b = irq->enabled;
			break;
		case ISPEND:
		case ICPEND:
			b = vgic_pending(vm, irq);
			break;
		case ISACTIVE:
		case ICACTIVE:
			b = irq->active;
			break;
		}
		if (lr >= 0)
			hyp__vgic_lr_resync(self, irq, lr);
		v |= (uint32_t)b << i;
	}
	return v;
}

/* Record a write to the pending/active state of @irq, held in another
 * running vCPU's LR, for the fold of that LR (see cpuif.c fold()). */
static void lr_override(struct hyp_vgic *vm, struct hyp_vgic_irq *irq, enum bitreg kind)
{
	switch (kind) {
	case ICPEND:
		if (!sgi_pend_ro(vm, irq))
			irq->lr_override |= VGIC_LR_CLEAR_PENDING;
		break;
	case ISPEND:
		if (!sgi_pend_ro(vm, irq))
			irq->lr_override &= (uint8_t)~VGIC_LR_CLEAR_PENDING;
		break;
	case ICACTIVE:
		irq->lr_override |= VGIC_LR_CLEAR_ACTIVE;
		irq->lr_override &= (uint8_t)~VGIC_LR_SET_ACTIVE;
		break;
	case ISACTIVE:
		irq->lr_override |= VGIC_LR_SET_ACTIVE;
		irq->lr_override &= (uint8_t)~VGIC_LR_CLEAR_ACTIVE;
		break;
	default:
		break;
	}
}

static void bits_write(struct hyp_vgic *vm, struct hyp_vgic_vcpu *self, struct hyp_vgic_vcpu *owner,
		       unsigned base, enum bitreg kind, uint32_t v)
{
	for (unsigned i = 0; i < 32; i++) {
		struct hyp_vgic_irq *irq = hyp_vgic_get_irq(vm, owner, base + i);
		bool b = (v >> i) & 1;
		int lr;

		if (!irq || (!b && kind != IGROUP))
			continue;
		/* Held in a live LR of the writer: fold that LR first, else
		 * its stale state is folded back over this write at the
		 * vCPU's next exit (issue 11, defect 5). */
		lr = pend_or_active(kind) ? hyp__vgic_lr_sync(self, irq) : -1;
		switch (kind) {
		case IGROUP:
			irq->group1 = b;
			break;
		case ISENABLE:
			irq->enabled = true;
			break;
		case ICENABLE:
			/* GICv2 SGIs are always enabled here (RAO/WI). */
			if (!(vgic_is_v2(vm) && vgic_is_sgi(irq->intid)))
				irq->enabled = false;
			break;
		case ISPEND:
			if (!sgi_pend_ro(vm, irq))
				irq->latch = true;
			break;
		case ICPEND:
			if (!sgi_pend_ro(vm, irq))
				irq->latch = false;
			break;
		case ISACTIVE:
			irq->active = true;
			if (vgic_v2_sgi(vm, irq))
				irq->active_source = (uint8_t)self->idx;
			break;
		case ICACTIVE:
			irq->active = false;
			break;
		}
		if (lr >= 0) {
			hyp__vgic_lr_resync(self, irq, lr); /* the LR is exact again: no kick */
		} else if (pend_or_active(kind) && irq->in_lr && irq->vcpu && irq->vcpu != self) {
			/* In the live LR of a vCPU on another CPU: its fold
			 * applies the change; make it exit to do so now. */
			lr_override(vm, irq, kind);
			hyp__vgic_kick(vm, irq->vcpu);
		} else {
			hyp__vgic_update(vm, irq);
		}
	}
}

/* One of the seven bit-per-interrupt register arrays at @reg (IGROUPR at
 * 0x080 ... ICACTIVER at 0x380, 0x80 bytes each): word accesses only. */
static int bits_access(struct hyp_vgic *vm, struct hyp_vgic_vcpu *self, struct hyp_vgic_vcpu *owner,
		       uint64_t off, unsigned width, bool is_write, uint64_t *val,
		       unsigned first_intid)
{
	enum bitreg kind = (enum bitreg)((off - GICD_IGROUPR) / 0x80);
	unsigned base = (unsigned)((off - GICD_IGROUPR) % 0x80) * 8;

	if (!width_ok(off, width, W4))
		return bad(vm, is_write, val);
	if (base < first_intid)
		return razwi(vm, is_write, val);
	if (is_write)
		bits_write(vm, self, owner, base, kind, (uint32_t)*val);
	else
		*val = bits_read(vm, self, owner, base, kind);
	return HYP_VGIC_MMIO_DONE;
}

/* IPRIORITYR: one byte per interrupt; byte or word accesses. */
static int prio_access(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t off,
		       unsigned width, bool is_write, uint64_t *val, unsigned first_intid)
{
	unsigned intid = (unsigned)(off - GICD_IPRIORITYR);
	uint64_t r = 0;

	if (!width_ok(off, width, W14))
		return bad(vm, is_write, val);
	if (intid < first_intid)
		return razwi(vm, is_write, val);
	for (unsigned i = 0; i < width; i++) {
		struct hyp_vgic_irq *irq = hyp_vgic_get_irq(vm, vcpu, intid + i);

		if (!irq)
			continue;
		if (is_write)
			irq->priority = (uint8_t)(*val >> (8 * i)) & vm->pri_mask;
		else
			r |= (uint64_t)irq->priority << (8 * i);
	}
	if (!is_write)
		*val = r;
	return HYP_VGIC_MMIO_DONE;
}

/* ICFGR: two bits per interrupt, Int_config[1] (the odd bit) = edge. SGIs
 * are edge-triggered and read-only. Word accesses. */
static int cfg_access(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t off, unsigned width,
		      bool is_write, uint64_t *val, unsigned first_intid)
{
	unsigned base = (unsigned)(off - GICD_ICFGR) * 4;
	uint32_t r = 0;

	if (!width_ok(off, width, W4))
		return bad(vm, is_write, val);
	if (base < first_intid)
		return razwi(vm, is_write, val);
	for (unsigned i = 0; i < 16; i++) {
		struct hyp_vgic_irq *irq = hyp_vgic_get_irq(vm, vcpu, base + i);

		if (!irq)
			continue;
		if (is_write && !vgic_is_sgi(irq->intid)) {
			irq->level = !((*val >> (2 * i + 1)) & 1);
			hyp__vgic_update(vm, irq);
		}
		r |= (uint32_t)!irq->level << (2 * i + 1);
	}
	if (!is_write)
		*val = r;
	return HYP_VGIC_MMIO_DONE;
}

/* --- GICv3 distributor */

static uint32_t itlines(const struct hyp_vgic *vm)
{
	return (HYP_VGIC_NR_PRIVATE + vm->nr_spis + 31) / 32 - 1;
}

/* GICD_TYPER.RSS (bit 26) if a vCPU has Aff0 > 15, A3V (bit 24) if one
 * has Aff3 != 0 (MPIDR layout: Aff0 [7:0], Aff3 [39:32]). */
static uint32_t v3_typer_aff(const struct hyp_vgic *vm)
{
	uint32_t r = 0;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		if ((vm->vcpus[i].mpidr & 0xff) > 15)
			r |= 1u << 26;
		if ((vm->vcpus[i].mpidr >> 32) & 0xff)
			r |= 1u << 24;
	}
	return r;
}

static int v3_dist(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t off, unsigned width,
		   bool is_write, uint64_t *val)
{
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR)
		/* With ARE, the INTID 0..31 words are in the redistributors. */
		return bits_access(vm, vcpu, vcpu, off, width, is_write, val, HYP_VGIC_NR_PRIVATE);
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400)
		return prio_access(vm, vcpu, off, width, is_write, val, HYP_VGIC_NR_PRIVATE);
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
		return cfg_access(vm, vcpu, off, width, is_write, val, HYP_VGIC_NR_PRIVATE);
	if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * 1020) {
		/* IROUTER<n>: 64-bit, or either 32-bit half. Aff3 [39:32],
		 * IRM [31], Aff2..Aff0 [23:0]; the rest is RES0. n < 32 is
		 * reserved. */
		unsigned intid = (unsigned)(off - GICD_IROUTER) / 8;
		struct hyp_vgic_irq *irq =
		    intid < HYP_VGIC_NR_PRIVATE ? NULL : hyp_vgic_get_irq(vm, vcpu, intid);
		unsigned shift = (unsigned)(off & 4) * 8;
		uint64_t mask = (width == 8 ? ~0ull : 0xffffffffull) << shift;

		if (!width_ok(off, width, W48))
			return bad(vm, is_write, val);
		if (!irq)
			return razwi(vm, is_write, val);
		if (is_write) {
			irq->irouter =
			    (irq->irouter & ~mask) | ((*val << shift) & mask & 0xff80ffffffull);
			hyp__vgic_update(vm, irq);
		} else {
			*val = (irq->irouter & mask) >> shift;
		}
		return HYP_VGIC_MMIO_DONE;
	}
	if (!width_ok(off, width, W4))
		return bad(vm, is_write, val);
	switch (off) {
	case GICD_CTLR:
		if (is_write) {
			vm->ctlr = (uint32_t)*val & CTLR_ENABLE_MASK;
			hyp__vgic_update_all(vm);
		} else {
			*val = vm->ctlr | CTLR_ARE | CTLR_DS;
		}
		return HYP_VGIC_MMIO_DONE;
	case GICD_TYPER:
		/* ITLinesNumber [4:0]; IDbits [23:19] = 10 - 1 (no LPIs);
		 * LPIS, MBIS, SecurityExtn, No1N zero (1-of-N is honoured);
		 * RSS [26] and A3V [24] as the vCPUs' affinities need them
		 * (IHI 0069 ch. 12, GICD_TYPER): a guest with a vCPU at
		 * Aff0 > 15 must use the range selector, one at Aff3 != 0
		 * must name Aff3, and either only if the distributor says so
		 * (Linux: "RSS is required but GICD doesn't support it"). */
		if (!is_write)
			*val = itlines(vm) | 9u << 19 | v3_typer_aff(vm);
		return HYP_VGIC_MMIO_DONE;
	case GICD_IIDR:
		if (!is_write)
			*val = HYP_VGIC_IIDR;
		return HYP_VGIC_MMIO_DONE;
	case GICD_TYPER2:
	case GICD_STATUSR:
		if (!is_write)
			*val = 0;
		return HYP_VGIC_MMIO_DONE;
	case GICD_V3_PIDR2:
		/* ArchRev [7:4] = 3: GICv3. */
		if (!is_write)
			*val = 0x30;
		return HYP_VGIC_MMIO_DONE;
	default:
		if (off >= 0xffd0 && off < 0x10000) {
			/* The other identification registers read as zero. */
			if (!is_write)
				*val = 0;
			return HYP_VGIC_MMIO_DONE;
		}
		return razwi(vm, is_write, val);
	}
}

/* --- GICv3 redistributor */

/* @self: the accessing vCPU; @rd: the vCPU whose redistributor it is. */
static int v3_redist(struct hyp_vgic *vm, struct hyp_vgic_vcpu *self, struct hyp_vgic_vcpu *rd,
		     uint64_t off, unsigned width, bool is_write, uint64_t *val)
{
	if (off >= GICR_SGI_BASE) {
		uint64_t o = off - GICR_SGI_BASE;

		if (o >= GICD_IGROUPR && o < GICD_IGROUPR + 7 * 0x80 && (o & 0x7f) < 4)
			return bits_access(vm, self, rd, o, width, is_write, val, 0);
		if (o >= GICD_IPRIORITYR && o < GICD_IPRIORITYR + HYP_VGIC_NR_PRIVATE)
			return prio_access(vm, rd, o, width, is_write, val, 0);
		if (o >= GICD_ICFGR && o < GICD_ICFGR + 8)
			return cfg_access(vm, rd, o, width, is_write, val, 0);
		if (!width_ok(o, width, W4))
			return bad(vm, is_write, val);
		return razwi(vm, is_write, val);
	}
	if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		unsigned shift = (unsigned)(off & 4) * 8;
		uint64_t t = (rd->mpidr & 0xffffff) << 32 | ((rd->mpidr >> 32) & 0xff) << 56 |
			     (uint64_t)rd->idx << 8;

		if (!width_ok(off, width, W48))
			return bad(vm, is_write, val);
		if (rd->idx == vm->nr_vcpus - 1)
			t |= GICR_TYPER_LAST;
		if (!is_write)
			*val = (t >> shift) & (width == 8 ? ~0ull : 0xffffffffull);
		return HYP_VGIC_MMIO_DONE;
	}
	if (off != GICR_CTLR && off != GICR_IIDR && off != GICR_STATUSR && off != GICR_WAKER &&
	    (off < 0xffd0 || off >= 0x10000)) {
		/* PROPBASER, PENDBASER, SETLPIR and the other LPI registers,
		 * some 64-bit: absent (GICR_TYPER.PLPIS == 0). */
		if (!width_ok(off, width, W48))
			return bad(vm, is_write, val);
		return razwi(vm, is_write, val);
	}
	if (!width_ok(off, width, W4))
		return bad(vm, is_write, val);
	switch (off) {
	case GICR_CTLR:
	case GICR_STATUSR:
		/* No LPIs: EnableLPIs and the rest are RAZ/WI. */
		if (!is_write)
			*val = 0;
		return HYP_VGIC_MMIO_DONE;
	case GICR_IIDR:
		if (!is_write)
			*val = HYP_VGIC_IIDR;
		return HYP_VGIC_MMIO_DONE;
	case GICR_WAKER:
		/* ChildrenAsleep follows ProcessorSleep at once: there is no
		 * hardware to quiesce (IHI 0069 ch. 12, GICR_WAKER). */
		if (is_write) {
			rd->sleep = (*val & WAKER_SLEEP) != 0;
		} else {
			*val = rd->sleep ? WAKER_SLEEP | WAKER_ASLEEP : 0;
		}
		return HYP_VGIC_MMIO_DONE;
	case GICR_PIDR2:
		if (!is_write)
			*val = 0x30;
		return HYP_VGIC_MMIO_DONE;
	default:
		/* The other identification registers read as zero. */
		if (!is_write)
			*val = 0;
		return HYP_VGIC_MMIO_DONE;
	}
}

/* --- GICv2 distributor */

static int v2_sgir(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint32_t v)
{
	/* GICD_SGIR (IHI 0048B 4.3): TargetListFilter [25:24], CPUTargetList
	 * [23:16], NSATT [15] (no Security Extensions: ignored), SGIINTID
	 * [3:0]. */
	unsigned filter = (v >> 24) & 3u, list = (v >> 16) & 0xffu, sgi = v & 0xfu;
	unsigned all = (1u << vm->nr_vcpus) - 1;

	switch (filter) {
	case 0:
		list &= all;
		break;
	case 1:
		list = all & ~(1u << vcpu->idx);
		break;
	case 2:
		list = 1u << vcpu->idx;
		break;
	default:
		return HYP_VGIC_MMIO_DONE; /* reserved: no SGI */
	}
	/* The accessor is the vCPU whose trap this CPU handles: to itself
	 * alone, straight into its LRs (vgic_sgi_own()); otherwise the
	 * listed CPUs, by their bits. */
	if (list == 1u << vcpu->idx) {
		vgic_sgi_own(vm, vcpu, sgi, true);
		return HYP_VGIC_MMIO_DONE;
	}
	for (unsigned m = list; m; m &= m - 1)
		hyp__vgic_sgi_pend(vm, vcpu, &vm->vcpus[__builtin_ctz(m)], sgi);
	return HYP_VGIC_MMIO_DONE;
}

static int v2_dist(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t off, unsigned width,
		   bool is_write, uint64_t *val)
{
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR)
		return bits_access(vm, vcpu, vcpu, off, width, is_write, val, 0);
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400)
		return prio_access(vm, vcpu, off, width, is_write, val, 0);
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
		return cfg_access(vm, vcpu, off, width, is_write, val, 0);
	if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + 0x400) {
		/* ITARGETSR: a CPU mask per interrupt; INTIDs 0..31 read as
		 * the accessing CPU and ignore writes. */
		unsigned intid = (unsigned)(off - GICD_ITARGETSR);
		unsigned all = (1u << vm->nr_vcpus) - 1;
		uint64_t r = 0;

		if (!width_ok(off, width, W14))
			return bad(vm, is_write, val);
		for (unsigned i = 0; i < width; i++) {
			struct hyp_vgic_irq *irq = hyp_vgic_get_irq(vm, vcpu, intid + i);

			if (!irq)
				continue;
			if (irq->owner) {
				r |= (uint64_t)(1u << vcpu->idx) << (8 * i);
			} else if (is_write) {
				irq->targets = (uint8_t)((*val >> (8 * i)) & all);
				hyp__vgic_update(vm, irq);
			} else {
				r |= (uint64_t)irq->targets << (8 * i);
			}
		}
		if (!is_write)
			*val = r;
		return HYP_VGIC_MMIO_DONE;
	}
	if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
		/* C/SPENDSGIRn: one byte per SGI, one bit per source CPU. */
		bool set = off >= GICD_SPENDSGIR;
		unsigned sgi = (unsigned)(off - (set ? GICD_SPENDSGIR : GICD_CPENDSGIR));
		uint64_t r = 0;

		if (!width_ok(off, width, W14))
			return bad(vm, is_write, val);
		for (unsigned i = 0; i < width; i++) {
			struct hyp_vgic_irq *irq = &vcpu->priv[sgi + i];
			uint8_t b =
			    (uint8_t)(*val >> (8 * i)) & (uint8_t)((1u << vm->nr_vcpus) - 1);
			/* The source the accessor's live LR holds is folded
			 * back first (see bits_write()). */
			int lr = hyp__vgic_lr_sync(vcpu, irq);

			if (!is_write)
				r |= (uint64_t)irq->sources << (8 * i);
			else if (set)
				irq->sources |= b;
			else
				irq->sources &= (uint8_t)~b;
			if (lr >= 0)
				hyp__vgic_lr_resync(vcpu, irq, lr);
			else if (is_write && set)
				hyp__vgic_update(vm, irq);
		}
		if (!is_write)
			*val = r;
		return HYP_VGIC_MMIO_DONE;
	}
	if (!width_ok(off, width, W4))
		return bad(vm, is_write, val);
	switch (off) {
	case GICD_CTLR:
		/* Without Security Extensions: EnableGrp0 [0], EnableGrp1 [1]. */
		if (is_write) {
			vm->ctlr = (uint32_t)*val & CTLR_ENABLE_MASK;
			hyp__vgic_update_all(vm);
		} else {
			*val = vm->ctlr;
		}
		return HYP_VGIC_MMIO_DONE;
	case GICD_TYPER:
		/* ITLinesNumber [4:0], CPUNumber [7:5]; SecurityExtn 0. */
		if (!is_write)
			*val = itlines(vm) | (vm->nr_vcpus - 1) << 5;
		return HYP_VGIC_MMIO_DONE;
	case GICD_IIDR:
		if (!is_write)
			*val = HYP_VGIC_IIDR;
		return HYP_VGIC_MMIO_DONE;
	case GICD_SGIR:
		if (!is_write)
			return razwi(vm, is_write, val); /* write-only */
		return v2_sgir(vm, vcpu, (uint32_t)*val);
	case GICD_V2_PIDR2:
		/* ArchRev [7:4] = 2: GICv2. */
		if (!is_write)
			*val = 0x20;
		return HYP_VGIC_MMIO_DONE;
	default:
		if (off >= 0xfd0 && off < 0x1000) {
			if (!is_write)
				*val = 0;
			return HYP_VGIC_MMIO_DONE;
		}
		return razwi(vm, is_write, val);
	}
}

/* --- Entry points */

static int check(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t *val)
{
	return vm && vcpu && val && vcpu->vm == vm ? 0 : HYP_EINVAL;
}

static uint64_t truncate(uint64_t v, unsigned width)
{
	return width >= 8 ? v : v & ((1ull << (8 * width)) - 1);
}

int hyp_vgic_dist_access(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t offset,
			 unsigned width, bool is_write, uint64_t *val)
{
	uint64_t size;
	uint64_t v;
	int ret;

	if (check(vm, vcpu, val))
		return HYP_EINVAL;
	size = vgic_is_v2(vm) ? HYP_VGIC_V2_DIST_SIZE : HYP_VGIC_V3_DIST_SIZE;
	v = is_write ? truncate(*val, width) : 0;
	vgic_lock(vm);
	VGIC_STAT(vm->stats.mmio);
	if (offset >= size || width > size - offset)
		ret = bad(vm, is_write, &v);
	else if (offset == GICD_SGIR && width == 4 && is_write && vgic_is_v2(vm))
		ret = v2_sgir(vm, vcpu, (uint32_t)v); /* the hot one first: SGIs */
	else if (vgic_is_v2(vm))
		ret = v2_dist(vm, vcpu, offset, width, is_write, &v);
	else
		ret = v3_dist(vm, vcpu, offset, width, is_write, &v);
	vgic_unlock(vm);
	if (!is_write)
		*val = truncate(v, width);
	return ret;
}

int hyp_vgic_redist_access(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t offset,
			   unsigned width, bool is_write, uint64_t *val)
{
	uint64_t v;
	int ret;

	if (check(vm, vcpu, val))
		return HYP_EINVAL;
	v = is_write ? truncate(*val, width) : 0;
	vgic_lock(vm);
	VGIC_STAT(vm->stats.mmio);
	if (vgic_is_v2(vm) || offset >= (uint64_t)vm->nr_vcpus * HYP_VGIC_V3_REDIST_SIZE ||
	    width > HYP_VGIC_V3_REDIST_SIZE - offset % HYP_VGIC_V3_REDIST_SIZE)
		ret = bad(vm, is_write, &v);
	else
		ret = v3_redist(vm, vcpu, &vm->vcpus[offset / HYP_VGIC_V3_REDIST_SIZE],
				offset % HYP_VGIC_V3_REDIST_SIZE, width, is_write, &v);
	vgic_unlock(vm);
	if (!is_write)
		*val = truncate(v, width);
	return ret;
}

int hyp_vgic_mmio(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t ipa, unsigned width,
		  bool is_write, uint64_t *val)
{
	uint64_t dsize, rsize;

	if (check(vm, vcpu, val))
		return HYP_EINVAL;
	dsize = vgic_is_v2(vm) ? HYP_VGIC_V2_DIST_SIZE : HYP_VGIC_V3_DIST_SIZE;
	rsize = vgic_is_v2(vm) ? 0 : (uint64_t)vm->nr_vcpus * HYP_VGIC_V3_REDIST_SIZE;
	if (ipa - vm->dist_base < dsize)
		return hyp_vgic_dist_access(vm, vcpu, ipa - vm->dist_base, width, is_write, val);
	if (ipa - vm->redist_base < rsize)
		return hyp_vgic_redist_access(vm, vcpu, ipa - vm->redist_base, width, is_write,
					      val);
	return HYP_ENOENT;
}

/* A GICv2 guest's GICD_SGIR write on the stage-2 abort fast path: the
 * syndrome's instruction description (ISV) instead of a decode of the
 * instruction, the IPA compared with the one register, v2_sgir(), the
 * skip. Anything else is declined before any state changes. */
/* hyp_vgic_dabt_sgir() past its checks, but for the inline self-SGI: the
 * distributor's write under the lock. Out of line (the inline path keeps
 * fewer registers). */
__attribute__((noinline, cold)) int
hyp__vgic_dabt_sgir_general(struct hyp_vcpu *vcpu, struct hyp_vgic_vcpu *v, uint32_t val)
{
	struct hyp_vgic *vm = v->vm;

	vgic_lock(vm);
	VGIC_STAT(vm->stats.mmio);
	(void)v2_sgir(vm, v, val);
	vgic_unlock(vm);
	if (v->refresh)
		(void)hyp_vgic_refresh(v);
	hyp_vcpu_skip_insn(vcpu);
	return HYP_FAST_RESUME_X0_X18;
}

/* A GICD_SGIR write naming one other vCPU (issue 15: each wake-up of a
 * cross-CPU ping-pong in a GICv2 guest): v2_sgir()'s loop,
 * hyp__vgic_sgi_pend(), hyp__vgic_update() and hyp__vgic_kick() for one
 * target, in one function that knows what they find out (the GICv3
 * path's twin, sgi_direct_other() in cpuif.c). Taken in a VM with
 * hyp_vgic::sgi_cross_v2 (a GICv2 model, not save_all; lock hooks
 * allowed) when TargetListFilter [25:24] is 0b00 with one CPUTargetList
 * [23:16] bit among the vCPUs, or 0b01 ("all but the requester") in a
 * VM of two vCPUs, naming a vCPU other than the requester (IHI 0048B
 * 4.3.15, GICD_SGIR), the requester not marked for a refresh. The
 * store completed first (nothing the hooks do reads ELR_EL2 or
 * SPSR_EL2), so that only the target, its SGI, the source bit and the
 * hooks live across the hook calls; then under the VM lock: the SGI
 * pending from the requester (GICv2 keeps a source set), the counts,
 * queued and its owner kicked (vgic_sgi_other(): hyp_vgic_ops::local is
 * not asked, the target being another CPU's). Touches no GIC hardware.
 * Anything else: hyp__vgic_dabt_sgir_general(), nothing changed. */
static __attribute__((noinline)) int v2_sgir_other(struct hyp_vcpu *vcpu,
						   struct hyp_vgic_vcpu *src, uint32_t val)
{
	struct hyp_vgic *vm = src->vm;
	unsigned all = (1u << vm->nr_vcpus) - 1, self = 1u << src->idx, filter = (val >> 24) & 3u;
	const struct hyp_vgic_ops *ops;
	struct hyp_vgic_vcpu *t;
	struct hyp_vgic_irq *irq;
	unsigned m, b;
	uint8_t bit;
	void *ctx;

	/* The targets as v2_sgir() finds them: the list among the vCPUs
	 * (0b00), everyone else (0b01); 0b10 and the reserved 0b11: the
	 * general path. */
	m = filter == 0 ? (val >> 16) & all : filter == 1 ? all & ~self : 0;
	/* One bit, not the requester's: m >> b == 1 for the lowest bit b (8
	 * if none; not m && !(m & (m - 1)), which clang makes a population
	 * count: a dozen instructions without NEON). */
	b = (unsigned)__builtin_ctz(m | 0x100u);
	if (__builtin_expect(m >> b != 1 || m == self || src->refresh, 0))
		return hyp__vgic_dabt_sgir_general(vcpu, src, val);
	t = &vm->vcpus[b];
	__asm__("" : "+r"(t)); /* kept, not computed again after the calls */
	irq = &t->priv[val & 0xfu];
	__asm__("" : "+r"(irq)); /* one address, kept across the hook calls */
	bit = (uint8_t)self;
	/* hyp_vcpu_skip_insn() inline for a live AArch64 vCPU, as
	 * hyp__vgic_v2_sgir_self() does; not live or AArch32: the call. */
	if (__builtin_expect(!vgic_skip_live_a64(vcpu), 0))
		hyp_vcpu_skip_insn(vcpu);
	ops = vm->ops;
	ctx = vm->ctx;
	if (ops->lock)
		ops->lock(vm, ctx);
	VGIC_STAT(vm->stats.mmio);
	/* Pending from this source (IHI 0048B 4.3, GICD_SGIR; 5.3 GICH_LRn
	 * CPUID): its pending state is the set of sources, now not empty. */
	irq->sources |= bit;
	VGIC_STAT(vm->stats.sgis);
	vgic_sgi_other(vm, ops, ctx, t, irq);
	if (ops->unlock)
		ops->unlock(vm, ctx);
	return HYP_FAST_RESUME_X0_X18;
}

/* hyp_vgic_dabt_sgir() with HPFAR_EL2 or FAR_EL2 already in the exit
 * (called from the run loop, after hyp_exit_capture_fault()): the rest
 * captured as that would, the IPA from the exit. */
static __attribute__((noinline, cold)) uint64_t dabt_ipa_captured(struct hyp_exit *e)
{
	if (!(e->valid & HYP_EXIT_V_HPFAR)) {
		e->hpfar = hyp_read_sysreg(HYP_SYS_HPFAR_EL2);
		e->valid |= HYP_EXIT_V_HPFAR;
	}
	if (!(e->valid & HYP_EXIT_V_FAR)) {
		e->far = hyp_read_sysreg(HYP_SYS_FAR_EL2);
		e->valid |= HYP_EXIT_V_FAR;
	}
	return hyp_fault_ipa(e->hpfar, e->far);
}

/* Not GICD_SGIR: both registers kept in the exit for the caller's general
 * path (each read once per exit, as hyp_exit_capture_fault() would). */
static __attribute__((noinline, cold)) int dabt_not_sgir(struct hyp_exit *e, uint64_t hpfar,
							 uint64_t far)
{
	e->hpfar = hpfar;
	e->far = far;
	e->valid |= HYP_EXIT_V_HPFAR | HYP_EXIT_V_FAR;
	return HYP_ENOENT;
}

int hyp_vgic_dabt_sgir(struct hyp_vcpu *vcpu, uint64_t esr)
{
	/* EC [31:26] 0x24 (a Data Abort from a lower EL) and its ISS (Arm ARM
	 * D24.2.46): ISV [24], SAS [23:22] (0b10: word), SRT [20:16], FnV
	 * [10], CM [8], S1PTW [7], WnR [6], DFSC [5:0] (0b0001xx: a
	 * Translation fault, level 0..3, for which HPFAR_EL2 holds the IPA:
	 * D24.2.76). One mask, one compare. */
	const uint64_t mask =
	    0x3fu << 26 | 1u << 24 | 3u << 22 | 1u << 10 | 1u << 8 | 1u << 7 | 1u << 6 | 0x3cu;
	const uint64_t want = 0x24u << 26 | 1u << 24 | 2u << 22 | 1u << 6 | 0x04u;
	struct hyp_vgic_vcpu *v;
	struct hyp_vgic *vm;
	struct hyp_exit *e;
	uint64_t ipa, hpfar, far;
	uint32_t val;

	if (!vcpu || (esr & mask) != want)
		return HYP_ENOENT;
	v = vcpu->vgic;
	if (!v || !vgic_is_v2(v->vm))
		return HYP_ENOENT;
	vm = v->vm;
	/* The IPA from HPFAR_EL2 and FAR_EL2, each read once per exit: kept
	 * in the exit only for the general path (the fast path needs them no
	 * more), unless the exit has them already. */
	e = &vcpu->exit;
	if (__builtin_expect(e->valid & (HYP_EXIT_V_HPFAR | HYP_EXIT_V_FAR), 0)) {
		ipa = dabt_ipa_captured(e);
	} else {
		hpfar = hyp_read_sysreg(HYP_SYS_HPFAR_EL2);
		far = hyp_read_sysreg(HYP_SYS_FAR_EL2);
		ipa = hyp_fault_ipa(hpfar, far);
		if (__builtin_expect(ipa != vm->dist_base + GICD_SGIR, 0))
			return dabt_not_sgir(e, hpfar, far);
	}
	if (ipa != vm->dist_base + GICD_SGIR)
		return HYP_ENOENT;
	val = (uint32_t)hyp_vcpu_get_x(vcpu, (unsigned)(esr >> 16) & 31u);
	/* To the writer alone (TargetListFilter 0b10, GICD_SGIR [25:24]), in
	 * a VM without locks: straight into its LR when the guest is done
	 * with the last one (a tail call, cpuif.c), else the distributor's
	 * write. */
	if (__builtin_expect((val & 0x03000000u) != 2u << 24 || !vm->sgi_inline || !v->in_guest, 0))
		return vm->sgi_cross_v2 ? v2_sgir_other(vcpu, v, val)
					: hyp__vgic_dabt_sgir_general(vcpu, v, val);
	return hyp__vgic_v2_sgir_self(vcpu, v, val);
}
