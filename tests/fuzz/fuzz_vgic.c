/* SPDX-License-Identifier: MIT */
/*
 * Fuzzer for the virtual distributor (issue 16 item 4.3): random guest MMIO
 * sequences (offset, width, value, read or write, which vCPU) through
 * hyp_vgic_mmio() on a GICv3 or GICv2 VM (1 to 4 vCPUs, 40 SPIs), checked
 * against a reference model written here of each interrupt's enable,
 * pending, active, priority, group and routing state. Register offsets
 * are literals from the specifications, never the library's constants:
 *
 * - GICD (IHI 0069 12.9 "The GIC Distributor register map"; GICv2
 *   IHI 0048B 4.1.2 "Distributor register map"): IGROUPR 0x0080,
 *   ISENABLER 0x0100, ICENABLER 0x0180, ISPENDR 0x0200, ICPENDR 0x0280,
 *   ISACTIVER 0x0300, ICACTIVER 0x0380 (one bit per INTID, 32-bit),
 *   IPRIORITYR 0x0400 (one byte per INTID, byte-accessible), GICv2
 *   ITARGETSR 0x0800 (one byte per INTID, byte-accessible; 0..31 read as
 *   the reading CPU, read-only: IHI 0048B 4.3.12), GICv3 IROUTER 0x6000
 *   + 8n (64-bit: Aff3 [39:32], Interrupt_Routing_Mode [31], Aff2..Aff0
 *   [23:0], the rest RES0; n < 32 reserved).
 * - GICR (IHI 0069 12.10): SGI_base is the second 64 KiB frame of each
 *   redistributor (RD_base + 0x10000, 0x20000 per redistributor); there
 *   IGROUPR0 0x0080, ISENABLER0 0x0100, ... ICACTIVER0 0x0380 and
 *   IPRIORITYR0..7 0x0400 hold INTIDs 0..31. With affinity routing (the
 *   library's GICv3 model always has ARE), the GICD words of INTIDs 0..31
 *   are RES0 (IHI 0069 12.9.x, "When affinity routing is enabled").
 * - GICv2 SGIs: the library implements their enables as RAO/WI (allowed
 *   by IHI 0048B 4.3.5) and their ISPENDR0/ICPENDR0 bits are read-only
 *   (IHI 0048B 4.3.7, 4.3.8).
 * - Priority: the VM is set up with 5 virtual priority bits (ICH_VTR_EL2
 *   PRIbits = 4, GICH_VTR PRIbits = 4), so only bits [7:3] of a priority
 *   byte are kept (IHI 0069 12.9 GICD_IPRIORITYR: unimplemented low bits
 *   RAZ/WI).
 *
 * Invariants: a read of a modelled register returns the model's value; a
 * write changes the model's state exactly as the architecture says and
 * nothing else; a write to a reserved or read-only offset, and any access
 * of a width the register does not take (the library documents: RAZ/WI,
 * result HYP_VGIC_MMIO_RAZWI) changes nothing; no result is negative;
 * nothing touches the simulated CPU (no vCPU is in the guest: any access
 * aborts); at the end of each input every modelled register of every vCPU
 * is read back and compared.
 *
 * Issue 16 item 4 adds to the model (operation class 11 with bit 0 of
 * class / 14 set, kinds below):
 * - GICD_CTLR (IHI 0069 12.9.4: EnableGrp0 [0], EnableGrp1 [1]; ARE [4]
 *   and DS [6] read as one: one Security state, affinity routing only;
 *   IHI 0048B 4.3.1: EnableGrp0/1 [1:0]), GICR_CTLR (12.11.2: no LPIs,
 *   reads 0), GICR_WAKER (12.11.44: ProcessorSleep [1] RW,
 *   ChildrenAsleep [2] follows it; asleep at reset);
 * - ICFGR (12.9.10 / 4.3.13): two bits per INTID, Int_config in the odd
 *   bit (1 = edge) RW for PPIs and SPIs, SGIs always edge (ICFGR0 reads
 *   0xaaaaaaaa, read-only), the even bits RES0; GICv3: ICFGR0/1 in the
 *   SGI_base frame, the GICD's words 0 and 1 RAZ/WI;
 * - SGI generation: GICv2 GICD_SGIR (4.3.15: TargetListFilter [25:24] 0
 *   the list, 1 all but self, 2 self, 3 reserved; CPUTargetList [23:16];
 *   SGIINTID [3:0]) records the sender in the target's pending sources,
 *   which GICD_SPENDSGIR/CPENDSGIR (4.3.16/17, a byte per SGI, a bit per
 *   source CPU) read, set and clear, and ISPENDR0's SGI bits read as "any
 *   source"; GICv3 hyp_vgic_send_sgi() with an ICC_SGI1R_EL1 routing value
 *   (IHI 0069 12.11: TargetList [15:0], Aff1 [23:16], Aff2 [39:32], IRM
 *   [40], RS [47:44], Aff3 [55:48]; vCPU i has Aff0 = i) makes the SGI
 *   pending on each target; with one Security state (GICD_CTLR.DS = 1)
 *   an ICC_SGI1R_EL1 write generates it in either group, an ICC_SGI0R_EL1
 *   one only where the SGI is Group 0 (IHI 0069's SGI forwarding rules,
 *   as Linux KVM's access_gic_sgi() also reads them).
 *
 * Issue 15 adds live list registers (GICv3 VMs; op_more() kind 3): one
 * vCPU's CPU interface on the simulated CPU, a GICv3 with 4 LRs
 * (ICH_LR<n>_EL2, IHI 0069 12.5: State [63:62], bit 62 pending, bit 63
 * active; HW [61]; Group [60]; Priority [55:48]; EOI [41]; vINTID
 * [31:0]; ICH_ELRSR_EL2 and ICH_EISR_EL2 computed from them as the
 * hardware does: an LR is empty when its state is 0 and EOI is clear,
 * reports an EOI when its state is 0 and EOI is set). hyp_vgic_load(),
 * hyp_vgic_restore(), then each LR written is checked against the model
 * (an interrupt of the vCPU the model says is worth an LR: active, or
 * pending, enabled and in a group GICD_CTLR enables, IHI 0069 4.1;
 * non-active SPIs only where IROUTER routes them, IRM 0 and Aff0 = the
 * vCPU; its group, priority and state; no INTID twice; with a free LR,
 * every such interrupt of the vCPU there). Then the guest acts on the LRs
 * (per LR: nothing, acknowledge: pending to active, deactivate: active to
 * inactive or active and pending to pending, or both; IHI 0069 4.1.1 the
 * interrupt state machine, no interrupt signal asserted here), the model
 * follows, hyp_vgic_save() and hyp_vgic_put() fold the LRs back, and the
 * distributor's pending and active bits are read and compared.
 * With flag 0x40 and value bits [15:8] set, SGIs 0..7 then come from the
 * next vCPU while it is still in the guest and hyp_vgic_refill() answers
 * the kick (the IRQ fast path's refill: an LR the guest is done with is
 * presented again); the LRs are checked again before the save.
 *
 * Input: byte 0 picks the model (bit 0: GICv2) and the vCPU count
 * (bits [2:1] + 1); then 12-byte operations: class, vCPU/flags, a 16-bit
 * index, an 8-byte value (missing bytes read as 0). Built as a libFuzzer
 * target with clang (fuzz-vgic) and, for any compiler, with driver.c
 * (fuzz-vgic-replay). See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/vgic.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c, ...)                                                                              \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "vgic fuzz: %s:%d: %s: ", __FILE__, __LINE__, #c);         \
			fprintf(stderr, __VA_ARGS__);                                              \
			fprintf(stderr, "\n");                                                     \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define NV	     4
#define NSPI	     40
#define NIRQ	     (32 + NSPI)
#define DIST	     0x08000000ull
#define REDIST	     0x080a0000ull
#define RD_SIZE	     0x20000ull /* IHI 0069 12.10: RD_base + SGI_base, 64 KiB each */
#define SGI_BASE     0x10000ull
#define PRI_MASK     0xf8u	     /* 5 priority bits: [7:3] */
#define IROUTER_MASK 0xff80ffffffull /* Aff3 [39:32], IRM [31], Aff2..0 [23:0] */

/* Literal offsets (see the header comment). */
static const uint64_t bitreg_off[7] = {0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380};
enum { GRP, SEN, CEN, SPEND, CPEND, SACT, CACT };

struct mirq {
	bool en, pend, act, grp, edge;
	uint8_t src; /* GICv2 SGIs: pending sources, a bit per CPU */
	uint8_t prio;
	uint64_t route; /* GICv3 IROUTER, GICv2 ITARGETSR byte */
};

static struct {
	bool v2;
	unsigned nv;
	struct mirq priv[NV][32];
	struct mirq spi[NSPI];
	uint32_t ctlr;	/* GICD_CTLR's stored bits */
	bool sleep[NV]; /* GICv3 GICR_WAKER.ProcessorSleep */
} m;

static struct hyp_sim_cpu cpu;
/* ICH_LR<n>_EL2 layout (IHI 0069 12.5), literals. */
#define LR_PENDING (1ull << 62)
#define LR_ACTIVE  (1ull << 63)
#define LR_HW	   (1ull << 61)
#define LR_GROUP1  (1ull << 60)
#define LR_EOI	   (1ull << 41)
#define NR_LRS	   4
static struct hyp_vgic_hw hw;
static struct hyp_vgic vm;
static struct hyp_vgic_vcpu vcpus[NV];
static struct hyp_vgic_irq spis[NSPI];
static bool ready;

static void sim_fail(struct hyp_sim_cpu *c, const char *msg, void *ctx)
{
	(void)c;
	(void)ctx;
	fprintf(stderr, "vgic fuzz: the distributor touched the simulated CPU: %s\n", msg);
	abort();
}

static struct mirq *mi(unsigned who, unsigned intid)
{
	if (intid < 32)
		return &m.priv[who][intid];
	if (intid < NIRQ)
		return &m.spi[intid - 32];
	return NULL;
}

/* FUZZ_STATS=1: at exit, how many runs, LRs filled, acknowledged, deactivated. */
static unsigned long st_runs, st_lrs, st_acks, st_deacts, st_full, st_refill_sgis;

static void print_stats(void)
{
	fprintf(stderr,
		"vgic fuzz: %lu vCPU runs, %lu LRs filled (%lu runs with all %u), %lu acknowledged, "
		"%lu deactivated, %lu SGIs refilled\n",
		st_runs, st_lrs, st_full, NR_LRS, st_acks, st_deacts, st_refill_sgis);
}

/* The simulated GICv3 virtualization interface (see the header). */
static uint16_t lr_enc(unsigned i)
{
	return (uint16_t)(HYP_SYS_ICH_LR0_EL2 + i);
}

static uint64_t lr_get(unsigned i)
{
	uint64_t v = 0;

	CHECK(hyp_sim_reg_peek(&cpu, lr_enc(i), &v) == 0, "LR%u", i);
	return v;
}

static uint64_t lr_bits(bool eoi)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < NR_LRS; i++) {
		uint64_t v = lr_get(i);

		if (!(v & (LR_PENDING | LR_ACTIVE)) && !(v & LR_HW) && ((v & LR_EOI) != 0) == eoi)
			r |= 1ull << i;
	}
	return r;
}

static uint64_t ich_hook(struct hyp_sim_cpu *c, uint16_t enc, void *ctx)
{
	(void)c;
	(void)ctx;
	if (enc == HYP_SYS_ICH_ELRSR_EL2)
		return lr_bits(false);
	if (enc == HYP_SYS_ICH_EISR_EL2)
		return lr_bits(true);
	return lr_bits(true) ? 1 : 0; /* ICH_MISR_EL2.EOI */
}

static void setup_cpuif(void)
{
	static const uint16_t zero[] = {HYP_SYS_ICH_HCR_EL2, HYP_SYS_ICH_VMCR_EL2,
					HYP_SYS_ICH_AP0R0_EL2, HYP_SYS_ICH_AP1R0_EL2};
	static const uint16_t hooked[] = {HYP_SYS_ICH_MISR_EL2, HYP_SYS_ICH_EISR_EL2,
					  HYP_SYS_ICH_ELRSR_EL2};

	for (unsigned i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		hyp_sim_reg_define(&cpu, zero[i], 0);
	hyp_sim_reg_define(&cpu, HYP_SYS_ICC_SRE_EL1, 7);
	for (unsigned i = 0; i < sizeof(hooked) / sizeof(hooked[0]); i++) {
		hyp_sim_reg_define(&cpu, hooked[i], 0);
		hyp_sim_reg_hooks(&cpu, hooked[i], ich_hook, NULL, NULL);
	}
	for (unsigned i = 0; i < NR_LRS; i++)
		hyp_sim_reg_define(&cpu, lr_enc(i), 0);
}

static void setup_vm(bool v2, unsigned nv)
{
	struct hyp_vgic_config c = {
	    .model = v2 ? HYP_VGIC_MODEL_V2 : HYP_VGIC_MODEL_V3,
	    .hw = &hw,
	    .vcpus = vcpus,
	    .nr_vcpus = nv,
	    .spis = spis,
	    .nr_spis = NSPI,
	    .dist_base = DIST,
	    .redist_base = REDIST,
	};

	if (!ready) {
		hyp_sim_init(&cpu);
		hyp_sim_set_fail(&cpu, sim_fail, NULL);
		hyp_sim_set_current(&cpu);
		setup_cpuif();
		if (getenv("FUZZ_STATS"))
			atexit(print_stats);
		ready = true;
	}
	for (unsigned i = 0; i < NR_LRS; i++)
		hyp_sim_reg_define(&cpu, lr_enc(i), 0);
	/* What hyp_vgic_hw_init_v3()/_v2() would find on a GIC with 4 LRs,
	 * 5 priority and 5 preemption bits (QEMU's ICH_VTR_EL2 0x90b80003). */
	memset(&hw, 0, sizeof(hw));
	hw.type = v2 ? HYP_VGIC_HW_V2 : HYP_VGIC_HW_V3;
	hw.nr_lrs = 4;
	hw.pri_bits = 5;
	hw.pre_bits = 5;
	hw.nr_aprs = 1;
	hw.vtr = v2 ? (3u | 4u << 26 | 4u << 29) : 0x90b80003u;
	hw.gich = v2 ? 0x2c010000u : 0;
	CHECK(hyp_vgic_init(&vm, &c) == 0, "init");

	memset(&m, 0, sizeof(m));
	m.v2 = v2;
	m.nv = nv;
	for (unsigned v = 0; v < nv; v++)
		for (unsigned i = 0; i < 32; i++) {
			/* Reset: GICv3 guests in Group 1, GICv2 in Group 0
			 * (IMPLEMENTATION DEFINED; as the library documents). */
			m.priv[v][i].grp = !v2;
			m.priv[v][i].en = v2 && i < 16;
		}
	for (unsigned i = 0; i < NSPI; i++)
		m.spi[i].grp = !v2;
	for (unsigned v = 0; v < nv; v++)
		m.sleep[v] = true;
}

static int access(unsigned who, uint64_t ipa, unsigned width, bool wr, uint64_t *val)
{
	uint32_t t = hyp_sim_total(&cpu);
	int rc = hyp_vgic_mmio(&vm, &vcpus[who], ipa, width, wr, val);

	/* no vCPU is in the guest: the distributor touches no CPU register */
	CHECK(hyp_sim_total(&cpu) == t, "MMIO at %#llx touched the CPU", (unsigned long long)ipa);
	CHECK(rc == HYP_VGIC_MMIO_DONE || rc == HYP_VGIC_MMIO_RAZWI, "rc %d at %#llx width %u", rc,
	      (unsigned long long)ipa, width);
	return rc;
}

/* --- the model's view of one register */

static bool bit_of(const struct mirq *q, int k, bool v2, unsigned intid)
{
	switch (k) {
	case GRP:
		return q->grp;
	case SEN:
	case CEN:
		return q->en;
	case SPEND:
	case CPEND:
		return v2 && intid < 16 ? q->src != 0 : q->pend; /* GICv2 SGI: any source */
	default:
		return q->act;
	}
}

/* The 32 bits of bit register @k word @n as vCPU @who (GICv2 banked) or
 * of redistributor @who (GICv3, n == 0) sees them. */
static uint32_t model_bits(unsigned who, int k, unsigned n)
{
	uint32_t r = 0;

	for (unsigned b = 0; b < 32; b++) {
		struct mirq *q = mi(who, n * 32 + b);

		if (q && bit_of(q, k, m.v2, n * 32 + b))
			r |= 1u << b;
	}
	return r;
}

static void model_bits_write(unsigned who, int k, unsigned n, uint32_t v)
{
	for (unsigned b = 0; b < 32; b++) {
		unsigned intid = n * 32 + b;
		struct mirq *q = mi(who, intid);
		bool set = (v >> b) & 1;
		bool v2sgi = m.v2 && intid < 16;

		if (!q)
			continue;
		if (k == GRP) {
			q->grp = set;
			continue;
		}
		if (!set)
			continue;
		switch (k) {
		case SEN:
			q->en = true;
			break;
		case CEN:
			if (!v2sgi)
				q->en = false;
			break;
		case SPEND:
			if (!v2sgi)
				q->pend = true;
			break;
		case CPEND:
			if (!v2sgi)
				q->pend = false;
			break;
		case SACT:
			q->act = true;
			break;
		case CACT:
			q->act = false;
			break;
		}
	}
}

/* Where bit register @k word @n of @who is: GICv3 INTIDs 0..31 in the
 * redistributor's SGI_base frame, the rest in the GICD. */
static uint64_t bits_ipa(unsigned who, int k, unsigned n)
{
	if (!m.v2 && n == 0)
		return REDIST + who * RD_SIZE + SGI_BASE + bitreg_off[k];
	return DIST + bitreg_off[k] + 4 * n;
}

static uint64_t prio_ipa(unsigned who, unsigned intid)
{
	if (!m.v2 && intid < 32)
		return REDIST + who * RD_SIZE + SGI_BASE + 0x400 + intid;
	return DIST + 0x400 + intid;
}

static uint8_t model_prio(unsigned who, unsigned intid)
{
	struct mirq *q = mi(who, intid);

	return q ? q->prio : 0;
}

/* GICv2 ITARGETSR byte / GICv3 IROUTER as @who reads them. */
static uint64_t model_route(unsigned who, unsigned intid)
{
	struct mirq *q = mi(who, intid);

	if (!q)
		return 0;
	if (m.v2 && intid < 32)
		return 1u << who;
	if (!m.v2 && intid < 32)
		return 0; /* reserved */
	return q->route;
}

/* --- GICD_CTLR, GICR_CTLR/WAKER, ICFGR, SGI generation */

static uint32_t model_ctlr(void)
{
	return m.v2 ? (m.ctlr & 3) : (m.ctlr & 3) | 1u << 4 | 1u << 6;
}

/* ICFGR word @n (INTIDs 16n .. 16n + 15) as @who reads it, and where. */
static uint32_t model_icfgr(unsigned who, unsigned n)
{
	uint32_t r = 0;

	for (unsigned f = 0; f < 16; f++) {
		unsigned intid = 16 * n + f;
		struct mirq *q = mi(who, intid);

		if (q && (intid < 16 || q->edge))
			r |= 2u << (2 * f);
	}
	return r;
}

static uint64_t icfgr_ipa(unsigned who, unsigned n)
{
	if (!m.v2 && n < 2)
		return REDIST + who * RD_SIZE + SGI_BASE + 0xc00 + 4 * n;
	return DIST + 0xc00 + 4 * n;
}

static void check_ctl(unsigned who)
{
	uint64_t v = 0xdeadbeef;

	access(who, DIST, 4, false, &v);
	CHECK(v == model_ctlr(), "GICD_CTLR %#llx, model %#x", (unsigned long long)v, model_ctlr());
	if (m.v2)
		return;
	v = 0xdeadbeef;
	access(who, REDIST + who * RD_SIZE + 0x14, 4, false, &v);
	CHECK(v == (m.sleep[who] ? 6u : 0u), "vCPU %u GICR_WAKER %#llx, model sleep %d", who,
	      (unsigned long long)v, m.sleep[who]);
	v = 0xdeadbeef;
	access(who, REDIST + who * RD_SIZE, 4, false, &v);
	CHECK(v == 0, "vCPU %u GICR_CTLR %#llx", who, (unsigned long long)v);
}

static void check_icfgr(unsigned who, unsigned n)
{
	uint64_t v = 0xdeadbeef;

	access(who, icfgr_ipa(who, n), 4, false, &v);
	CHECK(v == model_icfgr(who, n), "%s vCPU %u ICFGR%u %#llx, model %#x", m.v2 ? "v2" : "v3",
	      who, n, (unsigned long long)v, model_icfgr(who, n));
	if (!m.v2 && n < 2) { /* the GICD's words 0 and 1: RAZ/WI */
		v = 0xdeadbeef;
		access(who, DIST + 0xc00 + 4 * n, 4, false, &v);
		CHECK(v == 0, "v3 GICD ICFGR%u %#llx", n, (unsigned long long)v);
	}
}

static void check_sgisrc(unsigned who)
{
	for (unsigned i = 0; m.v2 && i < 16; i++) {
		uint64_t v = 0xdeadbeef, c = 0xdeadbeef;

		access(who, DIST + 0xf20 + i, 1, false, &v);
		access(who, DIST + 0xf10 + i, 1, false, &c);
		CHECK(v == m.priv[who][i].src && c == v,
		      "vCPU %u SGI %u sources %#llx/%#llx, model %#x", who, i,
		      (unsigned long long)v, (unsigned long long)c, m.priv[who][i].src);
	}
}

/* --- checks */

static void check_bits(unsigned who, int k, unsigned n)
{
	uint64_t v = 0xdeadbeefdeadbeefull;
	int rc = access(who, bits_ipa(who, k, n), 4, false, &v);

	CHECK(rc == HYP_VGIC_MMIO_DONE, "bit register %d word %u rc %d", k, n, rc);
	CHECK(v == model_bits(who, k, n), "%s vCPU %u reg %#llx word %u: %#llx, model %#x",
	      m.v2 ? "v2" : "v3", who, (unsigned long long)bitreg_off[k], n, (unsigned long long)v,
	      model_bits(who, k, n));
}

static void check_prio(unsigned who, unsigned intid)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	access(who, prio_ipa(who, intid), 1, false, &v);
	CHECK(v == model_prio(who, intid), "vCPU %u priority %u: %#llx, model %#x", who, intid,
	      (unsigned long long)v, model_prio(who, intid));
}

static void check_route(unsigned who, unsigned intid)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	if (m.v2)
		access(who, DIST + 0x800 + intid, 1, false, &v);
	else
		access(who, DIST + 0x6000 + 8 * (uint64_t)intid, 8, false, &v);
	CHECK(v == model_route(who, intid), "vCPU %u route %u: %#llx, model %#llx", who, intid,
	      (unsigned long long)v, (unsigned long long)model_route(who, intid));
}

static void check_all(void)
{
	for (unsigned who = 0; who < m.nv; who++) {
		for (int k = 0; k < 7; k++)
			for (unsigned n = 0; n < (NIRQ + 31) / 32 + 1; n++)
				check_bits(who, k, n);
		for (unsigned i = 0; i < NIRQ + 4; i++) {
			check_prio(who, i);
			check_route(who, i);
		}
		check_ctl(who);
		for (unsigned n = 0; n < (NIRQ + 15) / 16; n++)
			check_icfgr(who, n);
		check_sgisrc(who);
	}
}

/* --- issue 15: live list registers (GICv3 VMs) */

/* Worth an LR in the model (IHI 0069 4.1): active, or pending, enabled
 * and in an enabled group. */
static bool m_worth(const struct mirq *q)
{
	return q->act || (q->pend && q->en && ((m.ctlr >> (q->grp ? 1 : 0)) & 1));
}

/* A non-active SPI goes to the vCPU its IROUTER names (IRM 0: Aff0 = the
 * vCPU, Aff1..3 0); IRM 1: any. */
static bool m_routed(const struct mirq *q, unsigned who)
{
	if (q->route >> 31 & 1)
		return true;
	return (q->route & 0xff000000ffull) == who && !(q->route & 0xffff00ull);
}

static bool m_expected(unsigned who, unsigned intid)
{
	struct mirq *q = mi(who, intid);

	if (!q || !m_worth(q))
		return false;
	if (intid < 32)
		return true;
	return !q->act && m_routed(q, who) && !(q->route >> 31 & 1);
}

/*
 * Found by this model (issue 15): a level-sensitive interrupt made pending
 * by GICD_ISPENDR while active, and not enabled or in a disabled group, is
 * written to an LR active but not pending; the exit's fold() read "not
 * pending" as "acknowledged" and cleared the pending latch (IHI 0069
 * 4.1.1: only an acknowledge or a GICD_ICPENDR write removes it). Fixed in
 * src/vgic (hyp_vgic_irq::lr_pending); the reproducer is
 * corpus-vgic/level-latch-lost-when-active-not-deliverable.
 */

/* The LRs of @who (in the guest on the simulated CPU) against the model:
 * each valid one holds an interrupt worth an LR, once, with its group,
 * priority and state; with a free LR, every interrupt worth one is there.
 * Their values in @lr. */
static void check_lrs(unsigned who, uint64_t lr[NR_LRS])
{
	unsigned used = 0;
	bool seen[NIRQ] = {false};

	for (unsigned i = 0; i < NR_LRS; i++) {
		uint64_t v = lr[i] = lr_get(i);
		unsigned intid = (unsigned)(v & 0xffffffffu);
		struct mirq *q = mi(who, intid);

		if (!(v & (LR_PENDING | LR_ACTIVE)))
			continue;
		used++;
		CHECK(q && !seen[intid], "vCPU %u LR%u %#llx: INTID unknown or twice", who, i,
		      (unsigned long long)v);
		seen[intid] = true;
		CHECK(m_worth(q), "vCPU %u LR%u %#llx: not worth an LR (pend %d act %d en %d grp %d)",
		      who, i, (unsigned long long)v, q->pend, q->act, q->en, q->grp);
		CHECK(intid < 32 || q->act || m_routed(q, who), "vCPU %u LR%u %#llx: SPI routed %#llx",
		      who, i, (unsigned long long)v, (unsigned long long)q->route);
		CHECK(!(v & LR_HW) && ((v & LR_GROUP1) != 0) == q->grp &&
			  ((v >> 48) & 0xff) == q->prio,
		      "vCPU %u LR%u %#llx: group %d priority %#x", who, i, (unsigned long long)v,
		      q->grp, q->prio);
		CHECK(((v & LR_ACTIVE) != 0) == q->act, "vCPU %u LR%u %#llx: active %d", who, i,
		      (unsigned long long)v, q->act);
		/* pending as the model, where the interrupt is deliverable */
		CHECK(q->act || ((v & LR_PENDING) != 0) == q->pend, "vCPU %u LR%u %#llx: pending %d",
		      who, i, (unsigned long long)v, q->pend);
	}
	st_runs++;
	st_lrs += used;
	st_full += used == NR_LRS;
	if (used < NR_LRS) {
		for (unsigned intid = 0; intid < NIRQ; intid++)
			CHECK(!m_expected(who, intid) || seen[intid],
			      "vCPU %u: INTID %u deliverable, not in a free LR (%u used)", who, intid,
			      used);
	}
}

/* The guest on @who's LRs (values in @lr): two bits of @acts per LR, 1
 * acknowledge (pending to active), 2 deactivate (active to inactive, or
 * active and pending to pending); the model follows (IHI 0069 4.1.1). */
static void guest_acts(unsigned who, const uint64_t lr[NR_LRS], unsigned acts)
{
	for (unsigned i = 0; i < NR_LRS; i++) {
		unsigned act = (acts >> (2 * i)) & 3;
		uint64_t v = lr[i];
		struct mirq *q = mi(who, (unsigned)(v & 0xffffffffu));

		if (!(v & (LR_PENDING | LR_ACTIVE)) || !act)
			continue;
		if ((act & 1) && (v & (LR_PENDING | LR_ACTIVE)) == LR_PENDING) {
			v = (v & ~LR_PENDING) | LR_ACTIVE; /* acknowledge */
			st_acks++;
			q->pend = false;
			q->act = true;
		}
		if ((act & 2) && (v & LR_ACTIVE)) {
			v &= ~LR_ACTIVE; /* deactivate */
			st_deacts++;
			q->act = false;
		}
		hyp_sim_reg_define(&cpu, lr_enc(i), v);
	}
}

static void op_run(unsigned who, unsigned fl, uint64_t val)
{
	struct hyp_vgic_vcpu *gv = &vcpus[who];
	uint64_t lr[NR_LRS];

	/* Mostly with both groups enabled, often with every interrupt enabled
	 * (through the distributor, as a guest would): what is pending then
	 * reaches the LRs. */
	if (fl & 0x30) {
		uint64_t v = 3;

		access(who, DIST, 4, true, &v);
		m.ctlr = 3;
	}
	if (fl & 0x20) {
		for (unsigned n = 0; n < (NIRQ + 31) / 32; n++) {
			uint64_t v = ~0u;

			access(who, bits_ipa(who, SEN, n), 4, true, &v);
			model_bits_write(who, SEN, n, ~0u);
		}
	}

	CHECK(hyp_vgic_load(gv) == 0, "load");
	CHECK(hyp_vgic_restore(gv) == 0, "restore");
	check_lrs(who, lr);
	guest_acts(who, lr, (unsigned)val & 0xff);
	/* Then (flag 0x40, value bits [15:8]) SGIs 0..7 from the next vCPU
	 * (ICC_SGI1R_EL1 TargetList {Aff0 who}) while @who is in the guest,
	 * and the kick's hyp_vgic_refill(): the LRs the guest left are
	 * presented again (ELRSR from the LRs as above) and checked; the
	 * guest acts on them again (value bits [23:16]). */
	if ((fl & 0x40) && (val >> 8 & 0xff)) {
		unsigned src = (who + 1) % m.nv;

		for (unsigned sgi = 0; sgi < 8; sgi++) {
			if (!(val >> (8 + sgi) & 1))
				continue;
			CHECK(hyp_vgic_send_sgi(&vm, &vcpus[src], sgi, 1ull << who, true) == 1,
			      "SGI %u from %u to %u", sgi, src, who);
			m.priv[who][sgi].pend = true;
			st_refill_sgis++;
		}
		CHECK(hyp_vgic_refill(gv) == 0, "refill");
		check_lrs(who, lr);
		guest_acts(who, lr, (unsigned)(val >> 16) & 0xff);
	}
	CHECK(hyp_vgic_save(gv) == 0, "save");
	CHECK(hyp_vgic_put(gv) == 0, "put");
	for (unsigned n = 0; n < (NIRQ + 31) / 32; n++) {
		check_bits(who, SPEND, n);
		check_bits(who, SACT, n);
	}
}

/* Class 11 with bit 0 of class / 14 set: the registers of issue 16's
 * model additions (see the header). */
static void op_more(unsigned kind, unsigned who, unsigned fl, unsigned idx, uint64_t val)
{
	uint64_t v = val;

	switch (kind) {
	case 0: /* GICD_CTLR, GICR_WAKER, GICR_CTLR */
		if (idx & 1) {
			access(who, DIST, 4, true, &v);
			m.ctlr = (uint32_t)val & 3;
		} else if (!m.v2 && (idx & 2)) {
			access(who, REDIST + who * RD_SIZE + 0x14, 4, true, &v);
			m.sleep[who] = (val >> 1) & 1;
		} else if (!m.v2) {
			access(who, REDIST + who * RD_SIZE, 4, true, &v); /* EnableLPIs: none */
		}
		check_ctl(who);
		break;
	case 1: { /* ICFGR */
		unsigned n = idx % ((NIRQ + 15) / 16 + 1);

		access(who, icfgr_ipa(who, n), 4, true, &v);
		for (unsigned f = 0; f < 16; f++) {
			struct mirq *q = mi(who, 16 * n + f);

			if (q && 16 * n + f >= 16)
				q->edge = (val >> (2 * f + 1)) & 1;
		}
		if (!m.v2 && n < 2) { /* and the GICD's RAZ/WI copy */
			v = val;
			access(who, DIST + 0xc00 + 4 * n, 4, true, &v);
		}
		if (n < (NIRQ + 15) / 16)
			check_icfgr(who, n);
		break;
	}
	case 2: { /* SGI generation */
		unsigned sgi = idx & 15, filt = (fl >> 2) & 3;

		if (m.v2) {
			uint8_t list = (uint8_t)(val >> 8);
			uint8_t targets = filt == 0   ? list
					  : filt == 1 ? (uint8_t) ~(1u << who)
					  : filt == 2 ? (uint8_t)(1u << who)
						      : 0;

			v = (uint64_t)filt << 24 | (uint64_t)list << 16 | (val & 0x8000) | sgi;
			access(who, DIST + 0xf00, 4, true, &v);
			for (unsigned t = 0; t < m.nv; t++)
				if (targets >> t & 1)
					m.priv[t][sgi].src |= (uint8_t)(1u << who);
		} else {
			/* mostly plain target lists of existing vCPUs */
			uint64_t route = (fl & 0x10) ? val & 0x00ff00ff00ffffffull : val & 0xffff;
			bool irm = (fl & 0x20) != 0, g1 = (fl & 0x80) != 0;
			unsigned n = 0;
			int rc;

			if (irm)
				route |= 1ull << 40;
			if (fl & 0x10)
				route |= (val >> 44 & 15) << 44; /* RS */
			rc = hyp_vgic_send_sgi(&vm, &vcpus[who], sgi, route, g1);
			for (unsigned t = 0; t < m.nv; t++) {
				bool hit = irm ? t != who
					       : !(route >> 16 & 0xff) && !(route >> 32 & 0xff) &&
						     !(route >> 48 & 0xff) && !(route >> 44 & 15) &&
						     (route >> t & 1);

				if (hit && (g1 || !m.priv[t][sgi].grp)) {
					m.priv[t][sgi].pend = true;
					n++;
				}
			}
			CHECK(rc == (int)n, "send_sgi %u route %#llx g1 %d from %u: %d, model %u",
			      sgi, (unsigned long long)route, g1, who, rc, n);
		}
		for (unsigned t = 0; t < m.nv; t++)
			check_bits(t, SPEND, 0);
		break;
	}
	default: /* GICv2 C/SPENDSGIR, bytes or words; GICv3: a vCPU's run */
		if (m.v2) {
			bool set = fl & 0x10;
			unsigned width = (fl & 0x80) ? 4 : 1, first = idx & 15;

			first &= ~(width - 1);
			access(who, DIST + (set ? 0xf20 : 0xf10) + first, width, true, &v);
			for (unsigned i = 0; i < width; i++) {
				uint8_t b = (uint8_t)(val >> (8 * i)) & (uint8_t)((1u << m.nv) - 1);
				struct mirq *q = &m.priv[who][first + i];

				q->src = set ? q->src | b : q->src & (uint8_t)~b;
			}
			check_sgisrc(who);
			check_bits(who, SPEND, 0);
		} else {
			op_run(who, fl, val);
		}
		break;
	}
}

/* Is a write of @width at GICD/GICR offset @ipa one the model covers, or
 * one to a register that changes state the model does not track
 * (GICD_CTLR, ICFGR, SGIR, C/SPENDSGIR: skipped)? Anything else must be
 * reserved, read-only or of a wrong width: it changes nothing. */
static bool untracked_writable(uint64_t ipa)
{
	uint64_t off;

	if (ipa >= DIST && ipa < DIST + 0x10000) {
		off = ipa - DIST;
		if (off < 4) /* GICD_CTLR */
			return true;
		if (off >= 0xc00 && off < 0xd00) /* ICFGR */
			return true;
		if (m.v2 && off >= 0xf00 && off < 0xf30) /* SGIR, CPENDSGIR, SPENDSGIR */
			return true;
		return false;
	}
	off = (ipa - REDIST) % RD_SIZE;
	/* RD_base GICR_CTLR 0x0, GICR_WAKER 0x14; SGI_base ICFGR0/1 0xc00..0xc07. */
	return off < 4 || (off >= 0x14 && off < 0x18) ||
	       (off >= SGI_BASE + 0xc00 && off < SGI_BASE + 0xc08);
}

static uint64_t word(const uint8_t *d, size_t size, size_t at)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		if (at + i < size)
			v |= (uint64_t)d[at + i] << (8 * i);
	return v;
}

static void op(const uint8_t *d, size_t size, size_t at)
{
	unsigned cls = at < size ? d[at] : 0;
	unsigned fl = at + 1 < size ? d[at + 1] : 0;
	unsigned idx = (unsigned)(word(d, size, at + 2) & 0xffff);
	uint64_t val = word(d, size, at + 4), v;
	unsigned who = (fl & 3) % m.nv;
	bool wr = fl & 0x40;

	/* Classes 9 and 10 (the inert accesses) twice as often. */
	cls %= 14;
	if (cls >= 12)
		cls -= 3;
	switch (cls) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
	case 5:
	case 6: {
		int k = (int)cls;
		unsigned n = idx % ((NIRQ + 31) / 32 + 1); /* one word past the last */

		if (wr) {
			v = val;
			CHECK(access(who, bits_ipa(who, k, n), 4, true, &v) == HYP_VGIC_MMIO_DONE,
			      "write bit register");
			model_bits_write(who, k, n, (uint32_t)val);
		}
		check_bits(who, k, n);
		break;
	}
	case 7: { /* IPRIORITYR: byte, or a word of four */
		unsigned intid = idx % (NIRQ + 8);
		unsigned width = (fl & 0x80) ? 4 : 1;

		intid &= ~(width - 1);
		if (wr) {
			v = val;
			access(who, prio_ipa(who, intid), width, true, &v);
			for (unsigned i = 0; i < width; i++) {
				struct mirq *q = mi(who, intid + i);

				if (q)
					q->prio = (uint8_t)(val >> (8 * i)) & PRI_MASK;
			}
		}
		for (unsigned i = 0; i < width; i++)
			check_prio(who, intid + i);
		break;
	}
	case 8: { /* routing */
		unsigned intid = idx % (NIRQ + 8);
		struct mirq *q = mi(who, intid);

		if (wr && m.v2) {
			unsigned width = (fl & 0x80) ? 4 : 1;

			intid &= ~(width - 1);
			v = val;
			access(who, DIST + 0x800 + intid, width, true, &v);
			for (unsigned i = 0; i < width; i++) {
				q = mi(who, intid + i);
				/* Bits of CPU interfaces that do not exist: RAZ/WI. */
				if (q && intid + i >= 32)
					q->route = (val >> (8 * i)) & ((1u << m.nv) - 1) & 0xff;
			}
		} else if (wr) {
			unsigned width = (fl & 0x80) ? 4 : 8;
			unsigned half = (fl >> 4) & 1;
			uint64_t ipa =
			    DIST + 0x6000 + 8 * (uint64_t)intid + (width == 4 ? 4 * half : 0);

			v = val;
			access(who, ipa, width, true, &v);
			if (q && intid >= 32) {
				uint64_t mask = width == 8 ? ~0ull : 0xffffffffull << (32 * half);
				uint64_t nv =
				    width == 8 ? val : (val & 0xffffffffull) << (32 * half);

				q->route = (q->route & ~mask) | (nv & mask & IROUTER_MASK);
			}
		}
		check_route(who, intid);
		break;
	}
	case 9:
	case 10: { /* any offset in a frame, any width: untracked or inert */
		static const unsigned widths[8] = {1, 2, 4, 8, 4, 4, 3, 16};
		unsigned width = widths[(fl >> 2) & 7];
		/* Half of them in the first 4 KiB (GICD) or the SGI_base
		 * frame's (GICR), where the modelled registers are. */
		bool low = fl & 0x20;
		/* Word-aligned unless flag bit 4 (a misaligned one). */
		unsigned mis = (fl & 0x10) ? 3u : 0u;
		uint64_t ipa = cls == 9 ? DIST + (low ? idx & (0xffcu | mis)
						      : idx % (m.v2 ? 0x1000u : 0x10000u))
					: REDIST + (idx % m.nv) * RD_SIZE +
					      (low ? SGI_BASE + ((val >> 40) & (0xffcu | mis))
						   : (val >> 40) % RD_SIZE);

		if (m.v2 && cls == 10)
			ipa = DIST + 0x1000 + (idx & 0xfff); /* past the 4 KiB GICv2 frame */
		v = val;
		if (!wr || untracked_writable(ipa)) {
			int rc = hyp_vgic_mmio(&vm, &vcpus[who], ipa, width, false, &v);

			CHECK(rc >= 0 || rc == HYP_ENOENT, "read rc %d", rc);
			break;
		}
		/* Writes to a modelled register of the right width go
		 * through the model: classes 0..8 do that. Here only those
		 * that must be refused or ignored. */
		{
			uint64_t off = ipa >= REDIST ? (ipa - REDIST) % RD_SIZE : ipa - DIST;
			bool frame_dist = ipa < REDIST;
			bool modelled;

			if (!frame_dist)
				off = off >= SGI_BASE ? off - SGI_BASE : 0x10000;
			modelled =
			    (off >= 0x80 && off < 0x400 && (frame_dist || (off & 0x7f) < 4)) ||
			    (off >= 0x400 && off < (frame_dist ? 0x800u : 0x420u)) ||
			    (m.v2 && frame_dist && off >= 0x800 && off < 0xc00) ||
			    (!m.v2 && frame_dist && off >= 0x6000 && off < 0x8000);
			if (modelled && width <= 8 && (off & (width - 1)) == 0 &&
			    (width == 4 || ((off >= 0x400 && off < 0xc00) && width == 1) ||
			     (off >= 0x6000 && width == 8)))
				break; /* a valid access: not this class's job */
			if (m.v2 && ipa >= DIST + 0x1000) {
				CHECK(hyp_vgic_mmio(&vm, &vcpus[who], ipa, width, true, &v) ==
					  HYP_ENOENT,
				      "beyond the GICv2 frame");
				break;
			}
			access(who, ipa, width, true, &v);
			if (modelled) {
				/* A wrong width or misaligned: RAZ/WI. */
				uint64_t r = 0x1234;

				CHECK(access(who, ipa, width, false, &r) == HYP_VGIC_MMIO_RAZWI,
				      "wrong width %u at %#llx not refused", width,
				      (unsigned long long)ipa);
				CHECK(r == 0, "wrong width read %#llx", (unsigned long long)r);
			}
		}
		break;
	}
	default: { /* reads of a random modelled register */
		unsigned intid = idx % (NIRQ + 4);

		if ((d[at] / 14) & 1) {
			op_more((d[at] / 28) % 4, who, fl, idx, val);
			break;
		}

		check_bits(who, (int)(val % 7), intid / 32);
		check_prio(who, intid);
		check_route(who, intid);
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned b0 = size ? data[0] : 0;

	setup_vm(b0 & 1, 1 + ((b0 >> 1) & 3));
	for (size_t at = 1; at < size && at < 1 + 12 * 256; at += 12)
		op(data, size, at);
	check_all();
	return 0;
}
