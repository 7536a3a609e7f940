/* SPDX-License-Identifier: MIT */
/*
 * Benchmark, not a test: the hardware accesses of minihyp's exit paths for
 * the seed 004 guests (examples/guests), on the simulated CPU. minihyp's
 * own VM code (examples/minihyp/vm.c, gic.c) is built here against the
 * host backend and driven exactly as its run loop drives it on QEMU:
 * libhyp's dispatcher (hyp_switch_sync_exit(), the C part of the vector
 * code), and for exits that reach the run loop hyp_switch_complete(),
 * mh_after_run(), the vGIC entry and hyp_switch_prepare(). Only the
 * guest's side (its LR consumption, its untrapped register writes) is
 * played behind the seam and not counted.
 *
 * The simulated CPU has QEMU 7.2 -cpu max's ID registers: VHE (minihyp
 * uses the EL12 aliases), FWB, PAuth, RAS, no FGT (dirty tracking through
 * HCR_EL2.TVM), a PMU (so the VM, which is not given one, has
 * MDCR_EL2.TPM), GICv3 with 4 LRs and 5 priority bits (ICH_VTR_EL2
 * 0x90b80003); the GICv2 guest's runs use a GICH frame with 4 LRs.
 *
 * Prints one JSON line per guest and configuration (accesses per guest
 * iteration, averaged over ITERS), then a table.
 * Run: meson test -C build/host --benchmark --verbose minihyp
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libhyp/cpufeat.h>
#include <libhyp/stage2.h>
#include <libhyp/switch.h>
#include <libhyp/vgic.h>

#include "minihyp.h"

#define ITERS	  4096
#define GICH_BASE 0x08030000ull
#define GICD_IPA  0x08000000ull
#define GICR_IPA  0x080a0000ull

/* ---- what minihyp's main.c provides on the aarch64 image */

/* Console lines minihyp printed (the --vm checks count them). */
static unsigned int printed_lines;

void mh_vprintf(const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	for (const char *c = buf; *c; c++)
		printed_lines += *c == '\n';
	fputs(buf, stdout);
}

void mh_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mh_vprintf(fmt, ap);
	va_end(ap);
}

void mh_exit(unsigned int status)
{
	exit((int)status);
}

void mh_reset(void)
{
	exit(MH_EXIT_FAILURE);
}

void mh_fail(const char *fmt, ...)
{
	va_list ap;

	printf("minihyp: error: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

/* The physical CPU the code "runs" on (0 but in the --vm checks). */
static unsigned int this_cpu;

unsigned int mh_this_cpu(void)
{
	return this_cpu;
}

/* ---- the simulated CPU and its GIC */

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu feat_cpus[1];
static struct hyp_sim_mmio gich;
static uint32_t gich_regs[0x200 / 4];
static bool v2;

static uint16_t lr_enc(unsigned int i)
{
	return (uint16_t)(HYP_SYS_ICH_LR0_EL2 + (i / 8) * 8 + i % 8);
}

static uint64_t lr_get(unsigned int i)
{
	uint64_t v = 0;

	if (v2)
		return gich_regs[(HYP_GICH_LR0 >> 2) + i];
	hyp_sim_reg_peek(&sim, lr_enc(i), &v);
	return v;
}

/* ELRSR (empty) or EISR (EOI'd): no pending/active state, EOI bit (IHI
 * 0069 ICH_ELRSR_EL2 / ICH_EISR_EL2; IHI 0048B GICH_ELRSRn / GICH_EISRn). */
static uint64_t lr_status(bool eisr)
{
	uint64_t st =
	    v2 ? HYP_GICH_LR_PENDING | HYP_GICH_LR_ACTIVE : HYP_ICH_LR_PENDING | HYP_ICH_LR_ACTIVE;
	uint64_t eoi = v2 ? HYP_GICH_LR_EOI : HYP_ICH_LR_EOI;
	uint64_t r = 0;

	for (unsigned int i = 0; i < 4; i++) {
		uint64_t v = lr_get(i);

		if (!(v & st) && ((v & eoi) != 0) == eisr)
			r |= 1ull << i;
	}
	return r;
}

static uint64_t ich_read(struct hyp_sim_cpu *c, uint16_t enc, void *ctx)
{
	(void)c, (void)ctx;
	return lr_status(enc == HYP_SYS_ICH_EISR_EL2);
}

static uint64_t gich_read(struct hyp_sim_mmio *r, uint64_t off, unsigned int width)
{
	(void)r, (void)width;
	if (off == HYP_GICH_ELRSR0)
		return (uint32_t)lr_status(false);
	if (off == HYP_GICH_EISR0)
		return (uint32_t)lr_status(true);
	return gich_regs[off >> 2];
}

static void gich_write(struct hyp_sim_mmio *r, uint64_t off, unsigned int width, uint64_t v)
{
	(void)r, (void)width;
	gich_regs[off >> 2] = (uint32_t)v;
}

/* The guest takes and EOIs whatever the LRs present (not a hypervisor access). */
static void guest_takes_interrupts(void)
{
	for (unsigned int i = 0; i < 4; i++) {
		if (v2)
			gich_regs[(HYP_GICH_LR0 >> 2) + i] &=
			    ~(uint32_t)(HYP_GICH_LR_PENDING | HYP_GICH_LR_ACTIVE);
		else
			hyp_sim_reg_define(&sim, lr_enc(i),
					   lr_get(i) & ~(HYP_ICH_LR_PENDING | HYP_ICH_LR_ACTIVE));
	}
}

static void boot_cpu(void)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim,
			     HYP_RF_ID | HYP_RF_EL0 | HYP_RF_EL1 | HYP_RF_EL2 | HYP_RF_GIC |
				 HYP_RF_TIMER | HYP_RF_DEBUG,
			     true);
	/* QEMU 7.2 -cpu max, as the qemu-cpufeat-max image prints them. */
	static const struct {
		uint16_t enc;
		uint64_t val;
	} id[] = {
	    {HYP_SYS_MIDR_EL1, 0xf0510},
	    {HYP_SYS_ID_AA64PFR0_EL1, 0x1201001121110222},
	    {HYP_SYS_ID_AA64PFR1_EL1, 0x1000021},
	    {HYP_SYS_ID_AA64ZFR0_EL1, 0x110110100110021},
	    {HYP_SYS_ID_AA64SMFR0_EL1, 0x80f100fd00000000},
	    {HYP_SYS_ID_AA64DFR0_EL1, 0x10305609},
	    {HYP_SYS_ID_AA64ISAR0_EL1, 0x1221111110212120},
	    {HYP_SYS_ID_AA64ISAR1_EL1, 0x11111101211012},
	    {HYP_SYS_ID_AA64MMFR0_EL1, 0x32310201126},
	    {HYP_SYS_ID_AA64MMFR1_EL1, 0x11010211122},
	    {HYP_SYS_ID_AA64MMFR2_EL1, 0x1021011010011011},
	    {HYP_SYS_CLIDR_EL1, 0x2000023},
	    {HYP_SYS_CTR_EL0, 0x8444c004},
	    {HYP_SYS_DCZID_EL0, 0x4},
	};

	for (unsigned int i = 0; i < sizeof(id) / sizeof(id[0]); i++)
		hyp_sim_reg_define(&sim, id[i].enc, id[i].val);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0x9);
	hyp_sim_reg_define(&sim, HYP_SYSREG_ENC(3, 0, 12, 1, 0), 0); /* ISR_EL1: no SError */
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_VTR_EL2, 0x90b80003);
	hyp_sim_reg_hooks(&sim, HYP_SYS_ICH_ELRSR_EL2, ich_read, NULL, NULL);
	hyp_sim_reg_hooks(&sim, HYP_SYS_ICH_EISR_EL2, ich_read, NULL, NULL);
	memset(gich_regs, 0, sizeof(gich_regs));
	gich = (struct hyp_sim_mmio){.name = "GICH",
				     .base = GICH_BASE,
				     .size = 0x200,
				     .read = gich_read,
				     .write = gich_write};
	hyp_sim_mmio_add(&sim, &gich);
	hyp_cpufeat_reset();
	hyp_cpufeat_set_el2_mode(true); /* minihyp on -cpu max: VHE */
	hyp_cpufeat_init(feat_cpus, 1);
	hyp_cpufeat_probe_cpu(0);
	hyp_cpufeat_finalize(NULL, 0, NULL);
}

/* ---- minihyp's VM on it */

static struct mh_vm vm;
static struct mh_gic gic;
static struct hyp_fdt_guest dt;
static struct hyp_fp_cpu fp_cpu;

static void *pt_zalloc(struct hyp_pgtable *pgt, unsigned int n)
{
	void *p = aligned_alloc(4096ul * n, 4096ul * n);

	(void)pgt;
	return p ? memset(p, 0, 4096ul * n) : NULL;
}

static void pt_free(struct hyp_pgtable *pgt, void *va, unsigned int n)
{
	(void)pgt, (void)n;
	free(va);
}

static const struct hyp_pgtable_ops pt_ops = {.zalloc_pages = pt_zalloc, .free_pages = pt_free};

static void fp_nop(struct hyp_fpsimd_state *st)
{
	(void)st;
}

static void fp_nop_restore(const struct hyp_fpsimd_state *st)
{
	(void)st;
}

static const struct hyp_fp_ops fp_ops = {fp_nop, fp_nop_restore};

static bool boot_stats; /* issue 15: boot_vm() with minihyp.stats=1 */

static struct mh_vcpu *boot_vm(bool gicv2, bool eager)
{
	const struct hyp_pgtable_cfg cfg = {.pa_bits = 48,
					    .ia_bits = 40,
					    .granule_shift = 12,
					    .dline_shift = 6,
					    .iline_shift = 6,
					    .s2fwb = true};
	struct mh_config mc = {.eager = eager, .fast_path = true, .stats = boot_stats};
	struct mh_guest g = {.entry = 0x48000000, .dtb = 0x5fff0000, .dt = &dt};
	struct mh_vcpu *mv;

	v2 = gicv2;
	boot_cpu();
	if (vm.s2.pgd)
		hyp_pgtable_destroy(&vm.s2);
	memset(&vm, 0, sizeof(vm));
	gic = (struct mh_gic){.version = v2 ? 2 : 3, .maint = 25, .vtimer = 27};
	dt = (struct hyp_fdt_guest){.mem = {0x40400000, 0x1fc00000},
				       .nr_vcpus = 1,
				       .gic_version = gic.version,
				       .gicd = {GICD_IPA, 0x10000},
				       .gicr = {GICR_IPA, 0x20000}};
	if (v2)
		hyp_vgic_hw_init_v2(&vm.vgic_hw, GICH_BASE, 0x90000003);
	else
		hyp_vgic_hw_init_v3(&vm.vgic_hw);
	hyp_vgic_cpu_init(&vm.vgic_hw);
	hyp_s2_init(&vm.s2, &cfg, &pt_ops, NULL, 1);
	vm.mdcr_el2 = 0;
	if (mh_vm_init(&vm, &mc, &g, &gic)) {
		printf("FAIL: mh_vm_init\n");
		exit(1);
	}
	hyp_fp_cpu_init(&fp_cpu, &fp_ops, true, NULL);
	mv = &vm.vcpu[0];
	mv->v.fp_cpu = &fp_cpu;
	mh_vcpu_load(mv);
	if (!v2) {
		/* the guest's driver: Group 1 enabled, SGIs 0-3 enabled */
		uint64_t one = 2;
		hyp_vgic_dist_access(&vm.vgic, mv->gv, 0, 4, true, &one);
		one = 0xf;
		hyp_vgic_redist_access(&vm.vgic, mv->gv, 0x10100, 4, true, &one);
		one = 0;
		hyp_vgic_redist_access(&vm.vgic, mv->gv, 0x14, 4, true, &one);
	} else {
		uint64_t one = 1;
		hyp_vgic_dist_access(&vm.vgic, mv->gv, 0, 4, true, &one);
	}
	hyp_vgic_restore(mv->gv);
	hyp_switch_prepare(&mv->v);
	return mv;
}

/* ---- one guest exit and the way back in */

struct counts {
	double mrs, msr, mmio, gic, barriers, tlbi;
};

/* Accesses to the GIC's virtualization interface so far: ICH_*_EL2 system
 * registers and the GICH frame. */
static uint64_t gic_accesses(void)
{
	uint64_t n = gich.reads + gich.writes;

	for (unsigned int k = 0; k < HYP_SIM_MAX_REGS; k++) {
		const struct hyp_sim_reg *reg = &sim.regs[k];
		int id = reg->enc ? hyp_sysreg_lookup(reg->enc) : -1;

		if (id >= 0 && (hyp_sysreg_table[id].flags & HYP_RF_GIC) &&
		    (hyp_sysreg_table[id].flags & HYP_RF_EL2))
			n += reg->reads + reg->writes;
	}
	return n;
}

/* ESR_EL2 values (Arm ARM D23.2.x ESR_EL2): EC [31:26], IL [25], ISS. */
#define ESR(ec, iss) ((uint64_t)(ec) << 26 | 1ull << 25 | (iss))
#define SYS64_ISS(op0, op1, crn, crm, op2, rt, read)                                               \
	((uint64_t)(op0) << 20 | (uint64_t)(op2) << 17 | (uint64_t)(op1) << 14 |                   \
	 (uint64_t)(crn) << 10 | (uint64_t)(rt) << 5 | (uint64_t)(crm) << 1 | (read))

static void exit_once(struct mh_vcpu *mv, uint64_t esr)
{
	struct hyp_vcpu *v = &mv->v;

	hyp_sim_reg_define(&sim, HYP_SYS_ESR_EL2, esr);
	if (hyp_switch_sync_exit(v) != HYP_FAST_EXIT)
		return;
	hyp_switch_complete(v, HYP_EXIT_SYNC);
	if (mh_after_run(mv, HYP_EXIT_SYNC) == MH_YIELD)
		mh_yield(mv);
	hyp_vgic_restore(mv->gv);
	hyp_switch_prepare(v);
}

enum guest {
	NULL_HVC,
	SYSREG_TRAP,
	SELF_SGI_V3,
	SELF_SGI_V2,
	DIRTY_1,
	DIRTY_64,
	DIRTY_0,
	NR_GUESTS
};
static const char *const guest_names[] = {
    "null-hvc",		  "sysreg-trap",	 "self-sgi-v3",
    "self-sgi-v2",	  "sysreg-dirty rate=1", "sysreg-dirty rate=64",
    "sysreg-dirty rate=0"};

/* One iteration of a guest's loop (examples/guests/loops.S). */
static void iteration(enum guest g, struct mh_vcpu *mv, unsigned int i)
{
	struct hyp_vcpu *v = &mv->v;

	switch (g) {
	case NULL_HVC:
		v->regs.x[0] = HYP_PSCI_VERSION;
		exit_once(mv, ESR(HYP_EC_HVC64, 0));
		break;
	case SYSREG_TRAP: /* mrs x0, pmselr_el0 */
		exit_once(mv, ESR(HYP_EC_SYS64, SYS64_ISS(3, 3, 9, 12, 5, 0, 1)));
		break;
	case SELF_SGI_V3: /* msr icc_sgi1r_el1, x2 (x2 = 1); then IAR, EOIR in the guest */
		v->regs.x[2] = 1;
		exit_once(mv, ESR(HYP_EC_SYS64, SYS64_ISS(3, 0, 12, 11, 5, 2, 0)));
		guest_takes_interrupts();
		break;
	case SELF_SGI_V2: /* str w3, [x1, #0xf00]: GICD_SGIR (ISV, 32-bit, SRT 3, WnR) */
		v->regs.x[3] = 2u << 24;
		hyp_sim_reg_define(&sim, HYP_SYS_FAR_EL2, GICD_IPA + 0xf00);
		hyp_sim_reg_define(&sim, HYP_SYS_HPFAR_EL2, (GICD_IPA >> 12) << 4);
		exit_once(mv, ESR(HYP_EC_DABT_LOW, 1u << 24 | 2u << 22 | 3u << 16 | 1u << 6 | 0x7));
		guest_takes_interrupts();
		break;
	case DIRTY_1:
	case DIRTY_64:
	case DIRTY_0: {
		unsigned int rate = g == DIRTY_1 ? 1 : g == DIRTY_64 ? 64 : 0;

		/* msr contextidr_el1: trapped while HCR_EL2.TVM is armed */
		if (rate && i % rate == 0) {
			if (v->hcr & HYP_HCR_TVM)
				exit_once(mv, ESR(HYP_EC_SYS64, SYS64_ISS(3, 0, 13, 0, 1, 19, 0)));
			else
				hyp_sim_reg_define(&sim, HYP_SYSREG_E12(HYP_SYS_CONTEXTIDR_EL1), i);
		}
		v->regs.x[0] = i % 16 == 15 ? MH_HVC_YIELD : HYP_PSCI_VERSION;
		exit_once(mv, ESR(HYP_EC_HVC64, 0));
		break;
	}
	default:
		break;
	}
}

static struct counts measure(enum guest g, bool eager)
{
	struct mh_vcpu *mv = boot_vm(g == SELF_SGI_V2, eager);
	uint32_t c0[HYP_SIM_KIND_COUNT];
	uint64_t gic0;
	struct counts r;

	/* warm up: adaptive decisions, the first LR, the first traps */
	for (unsigned int i = 0; i < 1024; i++)
		iteration(g, mv, i);
	memcpy(c0, sim.counts, sizeof(c0));
	gic0 = gic_accesses();
	for (unsigned int i = 0; i < ITERS; i++)
		iteration(g, mv, 1024 + i);
#define PER_ITER(kind) ((double)(sim.counts[kind] - c0[kind]) / ITERS)
	r.mrs = PER_ITER(HYP_SIM_SYSREG_READ);
	r.msr = PER_ITER(HYP_SIM_SYSREG_WRITE);
	r.mmio = PER_ITER(HYP_SIM_MMIO_READ) + PER_ITER(HYP_SIM_MMIO_WRITE);
	r.barriers = PER_ITER(HYP_SIM_ISB) + PER_ITER(HYP_SIM_DSB) + PER_ITER(HYP_SIM_DMB);
	r.tlbi = PER_ITER(HYP_SIM_TLBI);
#undef PER_ITER
	r.gic = (double)(gic_accesses() - gic0) / ITERS;
	if (sim.failures) {
		printf("FAIL: %u simulation failures in %s\n", sim.failures, guest_names[g]);
		exit(1);
	}
	return r;
}

/*
 * --check (the host test 'minihyp-exit-counts'): minihyp's fast paths touch
 * exactly these registers per iteration. null-hvc: ESR_EL2. sysreg-trap:
 * ESR, SPSR and ELR_EL2 read, ELR_EL2 written. self-sgi (GICv3): those, plus
 * ICH_ELRSR_EL2 read and one LR written (nothing else of the GIC); (GICv2):
 * ESR, FAR, HPFAR, SPSR, ELR read, ELR written, GICH_ELRSR0 read, one GICH_LR
 * written. The eager configuration saves and restores the whole virtual
 * interface: 19 accesses on GICv3 (4 LRs, 1 APR per group), 17 on GICv2.
 */
struct expect {
	enum guest g;
	int eager;
	double mrs, msr, mmio, gic;
};

static const struct expect expected[] = {
    {NULL_HVC, 0, 1, 0, 0, 0},	      {SYSREG_TRAP, 0, 3, 1, 0, 0}, {SELF_SGI_V3, 0, 4, 2, 0, 2},
    {SELF_SGI_V2, 0, 5, 1, 2, 2},     {NULL_HVC, 1, -1, -1, 0, 19}, {SELF_SGI_V3, 1, -1, -1, 0, 19},
    {SELF_SGI_V2, 1, -1, -1, 17, 17},
};

static int check(const struct counts res[NR_GUESTS][2])
{
	int bad = 0;

	for (unsigned int i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct expect *e = &expected[i];
		const struct counts *c = &res[e->g][e->eager];

		if ((e->mrs >= 0 && c->mrs != e->mrs) || (e->msr >= 0 && c->msr != e->msr) ||
		    c->mmio != e->mmio || c->gic != e->gic) {
			printf("FAIL: %s (%s): %.2f MRS, %.2f MSR, %.2f MMIO, %.2f GIC; want %.0f, "
			       "%.0f, %.0f, %.0f\n",
			       guest_names[e->g], e->eager ? "eager" : "default", c->mrs, c->msr,
			       c->mmio, c->gic, e->mrs, e->msr, e->mmio, e->gic);
			bad = 1;
		}
	}
	if (!bad)
		printf("minihyp exit counts ok\n");
	return bad;
}

/*
 * --vm (the host test 'minihyp-vm'): minihyp's VM code against the
 * architecture (issue 11). Expected values are literals from the Arm ARM
 * and PSCI (DEN 0022), not minihyp's or libhyp's constants.
 */
static int vm_failures;

#define VM_CHECK(cond, ...)                                                                        \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL: " __VA_ARGS__);                                              \
			printf("\n");                                                              \
			vm_failures++;                                                             \
		}                                                                                  \
	} while (0)

/* A two-vCPU VM on GICv3 (vCPU i on physical CPU i, MPIDR i). */
static struct mh_vcpu *boot_vm2(void)
{
	const struct hyp_pgtable_cfg cfg = {.pa_bits = 48,
					    .ia_bits = 40,
					    .granule_shift = 12,
					    .dline_shift = 6,
					    .iline_shift = 6,
					    .s2fwb = true};
	struct mh_config mc = {.fast_path = true};
	struct mh_guest g = {.entry = 0x48000000, .dtb = 0x5fff0000, .dt = &dt};

	v2 = false;
	boot_cpu();
	if (vm.s2.pgd)
		hyp_pgtable_destroy(&vm.s2);
	memset(&vm, 0, sizeof(vm));
	gic = (struct mh_gic){.version = 3, .maint = 25, .vtimer = 27, .mpidr = {0, 1}};
	dt = (struct hyp_fdt_guest){.mem = {0x40400000, 0x1fc00000},
				       .nr_vcpus = 2,
				       .mpidr = {0, 1},
				       .gic_version = 3,
				       .gicd = {GICD_IPA, 0x10000},
				       .gicr = {GICR_IPA, 0x40000}};
	hyp_vgic_hw_init_v3(&vm.vgic_hw);
	hyp_vgic_cpu_init(&vm.vgic_hw);
	hyp_s2_init(&vm.s2, &cfg, &pt_ops, NULL, 1);
	if (mh_vm_init(&vm, &mc, &g, &gic)) {
		printf("FAIL: mh_vm_init\n");
		exit(1);
	}
	return &vm.vcpu[1];
}

/* PSCI CPU_ON (issue 11, defects 12 and 22): PSCI return codes (DEN 0022
 * 5.1.4 / table 5.2): SUCCESS 0, INVALID_ADDRESS -9, ALREADY_ON -4; a target
 * whose CPU_ON is in progress answers ALREADY_ON (Linux KVM), never
 * ON_PENDING (-5); every SUCCESS starts the target exactly once. */
static void check_psci(void)
{
	struct mh_vcpu *t = boot_vm2();
	struct hyp_vcpu *caller = &vm.vcpu[0].v;
	int32_t r;

	r = vm.psci.cpu_on(&vm, caller, 1, 0x10, 0);
	VM_CHECK(r == -9, "CPU_ON outside guest RAM: %d, want INVALID_ADDRESS (-9)", r);
	VM_CHECK(t->state == MH_VCPU_OFF, "a refused CPU_ON changed the state to %u", t->state);
	r = vm.psci.cpu_on(&vm, caller, 1, 0x48001000, 0x77);
	VM_CHECK(r == 0, "CPU_ON of an off vCPU: %d, want SUCCESS (0)", r);
	r = vm.psci.cpu_on(&vm, caller, 1, 0x48002000, 0x88);
	VM_CHECK(r == -4, "CPU_ON while the first is pending: %d, want ALREADY_ON (-4)", r);
	r = vm.psci.affinity_info(&vm, caller, 1, 0);
	VM_CHECK(r == 2, "AFFINITY_INFO while pending: %d, want ON_PENDING (2)", r);
	VM_CHECK(mh_vcpu_start(t), "the pending vCPU did not start");
	VM_CHECK(t->v.regs.pc == 0x48001000 && t->v.regs.x[0] == 0x77,
		 "started at %#llx with x0 %#llx, want the first request's 0x48001000, 0x77",
		 (unsigned long long)t->v.regs.pc, (unsigned long long)t->v.regs.x[0]);
	VM_CHECK(!mh_vcpu_start(t) || t->state == MH_VCPU_ON, "started twice");
	r = vm.psci.cpu_on(&vm, caller, 1, 0x48002000, 0);
	VM_CHECK(r == -4, "CPU_ON of a running vCPU: %d, want ALREADY_ON (-4)", r);
	r = vm.psci.cpu_on(&vm, caller, 0, 0x48002000, 0);
	VM_CHECK(r == -4, "CPU_ON of the caller itself: %d, want ALREADY_ON (-4)", r);
}

/*
 * The CPU_ON race (issue 11, defect 22), with two host threads: a caller
 * calls CPU_ON of vCPU 1 as fast as it can while vCPU 1's "CPU" starts it
 * (mh_vcpu_start()) and turns it off again (its PSCI CPU_OFF through
 * mh_handle_exit()), as minihyp's run loop does. Every SUCCESS must start
 * it exactly once: once the caller is done and the target is off for good,
 * starts == SUCCESS answers. A stress test: on the host the old two-read
 * CPU_ON's window (two loads) is too narrow to hit reliably; the QEMU test
 * qemu-minihyp-psci-churn-* is the one that caught it (3 of 4 runs).
 */
static struct mh_vcpu *race_target;
static volatile int race_done;
/* Written by the target's thread, read by the caller's: atomics (TSan,
 * scripts/test host-tsan). */
static unsigned long race_starts;

static void *race_target_cpu(void *arg)
{
	static struct hyp_sim_cpu tsim;
	struct mh_vcpu *t = race_target;

	(void)arg;
	hyp_sim_init(&tsim);
	hyp_sim_set_current(&tsim);
	hyp_sim_define_table(&tsim, HYP_RF_EL0 | HYP_RF_EL1 | HYP_RF_EL2 | HYP_RF_GIC, true);
	for (;;) {
		int done = __atomic_load_n(&race_done, __ATOMIC_ACQUIRE);

		if (mh_vcpu_start(t)) {
			__atomic_add_fetch(&race_starts, 1, __ATOMIC_RELAXED);
			t->v.exit.valid = HYP_EXIT_V_SMCCC;
			t->v.exit.smccc_fn = HYP_PSCI_CPU_OFF;
			t->v.exit.esr = ESR(HYP_EC_HVC64, 0);
			if (mh_handle_exit(t, HYP_EXIT_SYNC, 1023) != MH_CPU_OFF)
				break;
		} else if (done) {
			/* nothing pending after the caller stopped: off for good */
			break;
		}
	}
	return NULL;
}

static void check_psci_race(void)
{
	struct mh_vcpu *t = boot_vm2();
	unsigned long success = 0, other = 0;
	pthread_t th;

	race_target = t;
	race_done = 0;
	race_starts = 0;
	if (pthread_create(&th, NULL, race_target_cpu, NULL)) {
		VM_CHECK(0, "pthread_create");
		return;
	}
	/* until 20000 starts, or 2 s (a loaded machine) */
	time_t t0 = time(NULL);

	for (unsigned long i = 0;
	     __atomic_load_n(&race_starts, __ATOMIC_RELAXED) < 20000 && (i % 4096 || time(NULL) - t0 < 2);
	     i++) {
		int32_t r = vm.psci.cpu_on(&vm, &vm.vcpu[0].v, 1, 0x48001000, 1);

		if (r == 0)
			success++;
		else if (r != -4 && r != -5)
			other++;
	}
	__atomic_store_n(&race_done, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	printf("psci race: %lu SUCCESS, %lu starts\n", success, race_starts);
	VM_CHECK(other == 0, "CPU_ON race: %lu answers neither SUCCESS nor ALREADY_ON", other);
	VM_CHECK(
	    race_starts == success && t->state == MH_VCPU_OFF,
	    "CPU_ON race: %lu SUCCESS answers, %lu starts (state %u): every SUCCESS must start "
	    "the vCPU exactly once",
	    success, race_starts, t->state);
}

/* VPIDR_EL2 (issue 11, defect 18): the MIDR_EL1 of the CPU the vCPU is
 * loaded on, with CPUs of two kinds (Cortex-A57 r1p0 0x411fd070, Cortex-A53
 * r0p4 0x410fd034: their TRMs' MIDR_EL1 values). */
static void check_vpidr(void)
{
	static struct hyp_cpufeat_cpu cpus[2];
	struct mh_vcpu *t = boot_vm2();
	uint64_t v = 0;

	hyp_cpufeat_reset();
	hyp_cpufeat_set_el2_mode(true); /* minihyp on -cpu max: VHE */
	hyp_cpufeat_init(cpus, 2);
	hyp_sim_reg_define(&sim, HYP_SYS_MIDR_EL1, 0x411fd070);
	hyp_cpufeat_probe_cpu(0);
	hyp_sim_reg_define(&sim, HYP_SYS_MIDR_EL1, 0x410fd034);
	hyp_cpufeat_probe_cpu(1);
	VM_CHECK(hyp_cpufeat_finalize(NULL, 0, NULL) == 0, "finalize with two MIDRs");
	this_cpu = 1;
	mh_vcpu_load(t);
	hyp_sim_reg_peek(&sim, HYP_SYS_VPIDR_EL2, &v);
	VM_CHECK(v == 0x410fd034, "VPIDR_EL2 on CPU 1: %#llx, want its MIDR_EL1 0x410fd034",
		 (unsigned long long)v);
	this_cpu = 0;
	mh_vcpu_load(&vm.vcpu[0]);
	hyp_sim_reg_peek(&sim, HYP_SYS_VPIDR_EL2, &v);
	VM_CHECK(v == 0x411fd070, "VPIDR_EL2 on CPU 0: %#llx, want its MIDR_EL1 0x411fd070",
		 (unsigned long long)v);
}

/* CPTR_EL2.TAM, bit [30] in both layouts (Arm ARM D24.2.38): set when the
 * CPUs have FEAT_AMUv1 (ID_AA64PFR0_EL1.AMU, bits [47:44], D24.2.93), which
 * the VM is never given; left alone (RES0) without one. */
static void check_tam(void)
{
	static const uint64_t pfr0_max = 0x1201001121110222ull; /* no AMU */
	uint64_t c;

	boot_cpu();
	c = mh_cptr_traps(0x300000ull);
	VM_CHECK(c == 0x300000ull, "CPTR_EL2 without an AMU: %#llx, want 0x300000",
		 (unsigned long long)c);
	hyp_cpufeat_reset();
	hyp_cpufeat_set_el2_mode(true); /* minihyp on -cpu max: VHE */
	hyp_cpufeat_init(feat_cpus, 1);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, pfr0_max | 1ull << 44);
	hyp_cpufeat_probe_cpu(0);
	hyp_cpufeat_finalize(NULL, 0, NULL);
	c = mh_cptr_traps(0x300000ull);
	VM_CHECK(c == (0x300000ull | 1ull << 30), "CPTR_EL2 with an AMU: %#llx, want TAM (bit 30)",
		 (unsigned long long)c);
}

/* The VM's ID registers (issue 11, defect 23), read by a guest MRS through
 * minihyp's trap handler (HCR_EL2.TID3), on the simulated -cpu max
 * (ID_AA64PFR0_EL1 0x1201001121110222: EL0..EL2 = 2 (AArch64 and AArch32),
 * ID_AA64MMFR0_EL1 PARange 6 (52 bits)) with a 40-bit stage 2. Arm ARM
 * D24.2.93: EL2 [11:8] 0b0000 not implemented, EL1 [7:4] / EL0 [3:0] 0b0001
 * AArch64 only; D24.2.88: PARange [3:0] 0b0010 = 40 bits; ID_AA64MMFR1_EL1
 * VH [11:8] 0 (no EL2, no VHE). */
static uint64_t guest_mrs(struct mh_vcpu *mv, unsigned int crm, unsigned int op2)
{
	mv->v.regs.x[1] = 0xdead;
	exit_once(mv, ESR(HYP_EC_SYS64, SYS64_ISS(3, 0, 0, crm, op2, 1, 1)));
	return mv->v.regs.x[1];
}

static void check_idregs(void)
{
	struct mh_vcpu *mv = boot_vm(false, false);
	uint64_t pfr0 = guest_mrs(mv, 4, 0), mmfr0 = guest_mrs(mv, 7, 0),
		 mmfr1 = guest_mrs(mv, 7, 1);

	VM_CHECK((pfr0 >> 8 & 0xf) == 0, "guest ID_AA64PFR0_EL1 %#llx: EL2 %llu, want 0",
		 (unsigned long long)pfr0, (unsigned long long)(pfr0 >> 8 & 0xf));
	VM_CHECK((pfr0 & 0xff) == 0x11, "guest ID_AA64PFR0_EL1 %#llx: EL1/EL0 %#llx, want 0x11",
		 (unsigned long long)pfr0, (unsigned long long)(pfr0 & 0xff));
	VM_CHECK((mmfr0 & 0xf) == 2, "guest ID_AA64MMFR0_EL1 %#llx: PARange %llu, want 2 (40 bits)",
		 (unsigned long long)mmfr0, (unsigned long long)(mmfr0 & 0xf));
	VM_CHECK((mmfr1 >> 8 & 0xf) == 0, "guest ID_AA64MMFR1_EL1 %#llx: VH %llu, want 0",
		 (unsigned long long)mmfr1, (unsigned long long)(mmfr1 >> 8 & 0xf));
	/* what it keeps: everything else but SVE [35:32] and AMU [47:44], hidden */
	VM_CHECK((pfr0 & ~0xf00f00000fffull) == (0x1201001121110222ull & ~0xf00f00000fffull),
		 "guest ID_AA64PFR0_EL1 %#llx changed more than EL0..EL2",
		 (unsigned long long)pfr0);
	VM_CHECK(mh_parange(32) == 0 && mh_parange(36) == 1 && mh_parange(40) == 2 &&
		     mh_parange(44) == 4 && mh_parange(48) == 5 && mh_parange(52) == 6 &&
		     mh_parange(41) == 2,
		 "PARange encodings (D24.2.88)");
}

/* IMPLEMENTATION DEFINED registers (issue 16, hostile guest attack
 * "impdef-undef"): HCR_EL2.TIDCP (Arm ARM D24.2.59, bit 20) traps the
 * op0 = 3, CRn = 11/15 encodings to EL2 (a CPU's CPUACTLR_EL1 & co. must
 * not be the guest's to write), and such a trap is UNDEFINED in the guest:
 * it resumes at VBAR_EL1 + 0x200, not after the MRS. */
static void check_impdef_trapped(void)
{
	struct mh_vcpu *mv = boot_vm(false, false);
	uint64_t elr = 0;

	VM_CHECK(mv->v.hcr & (1ull << 20), "vCPU HCR_EL2 %#llx without TIDCP (bit 20)",
		 (unsigned long long)mv->v.hcr);
	/* MRS X1, S3_1_C11_C0_2 (Cortex-A57's L2CTLR_EL1) trapped: EC 0x18 */
	hyp_sim_reg_define(&sim, HYP_SYS_ELR_EL2, 0x48000000);
	exit_once(mv, ESR(HYP_EC_SYS64, SYS64_ISS(3, 1, 11, 0, 2, 1, 1)));
	VM_CHECK(!hyp_sim_reg_peek(&sim, HYP_SYS_ELR_EL2, &elr) && elr != 0x48000004,
		 "a trapped IMPLEMENTATION DEFINED MRS completed (ELR_EL2 %#llx)",
		 (unsigned long long)elr);
}

/* A guest's fault loop (issue 11, defect 23): 1000 stage-2 aborts outside
 * any device print a bounded number of lines, yet every one is answered. */
static void check_fault_ratelimit(void)
{
	struct mh_vcpu *mv = boot_vm(false, false);
	unsigned int lines0 = printed_lines, answered = 0;

	for (unsigned int i = 0; i < 1000; i++) {
		/* a load from IPA 0x20000000 (no device), ISV = 0: EC 0x24, DFSC
		 * translation fault level 3 (0x07) */
		uint64_t elr = 0;

		hyp_sim_reg_define(&sim, HYP_SYS_ELR_EL2, 0x48000000);
		mv->v.exit.esr = ESR(HYP_EC_DABT_LOW, 0x07);
		mv->v.exit.far = 0x20000000;
		mv->v.exit.hpfar = 0x20000000 >> 8;
		/* answered: the guest resumes at its vector, not at the load */
		if (mh_handle_exit(mv, HYP_EXIT_SYNC, 1023) == MH_CONTINUE &&
		    !hyp_sim_reg_peek(&sim, HYP_SYS_ELR_EL2, &elr) && elr != 0x48000000)
			answered++;
	}
	VM_CHECK(answered == 1000, "%u of 1000 faults answered with an abort in the guest",
		 answered);
	VM_CHECK(printed_lines - lines0 <= 8 + 2 * 10 && printed_lines - lines0 >= 8,
		 "1000 guest faults printed %u lines, want 8 + 2 per power of two (<= 28)",
		 printed_lines - lines0);
}

/* Guest RAM on first touch (issue 14, item 6): a stage-2 translation fault
 * in guest RAM, data (EC 0x24) or instruction (EC 0x20) abort, maps its 4K
 * page at IPA = PA and the guest retries the access (the handler's answer
 * is "resume", the PC unchanged); a second fault on it changes nothing;
 * outside RAM nothing is mapped (the run loop's external abort). ESR_EL2
 * (Arm ARM D24.2.40): EC [31:26], IL [25], DFSC/IFSC [5:0] = 0b000111,
 * translation fault level 3; HPFAR_EL2.FIPA [43:4] = IPA[51:12]. Stage-2
 * page descriptor (D8.3): bits [1:0] 0b11, AF [10], S2AP [7:6] 0b11,
 * XN [54:53] 0 (RWX). */
static void check_ram_fault_in(void)
{
	static const unsigned int ecs[2] = {0x24, 0x20};
	struct mh_vcpu *mv = boot_vm(false, false);

	for (unsigned int i = 0; i < 2; i++) {
		const uint64_t ipa = 0x40400000ull + 0x123000 + i * 0x1000;
		const struct hyp_fast_entry *e = &vm.table.entry[ecs[i]];
		hyp_pte_t pte = 0, again = 0;
		unsigned int level = 0;
		int r;

		VM_CHECK(hyp_pgtable_get_leaf(&vm.s2, ipa, &pte, &level) || !(pte & 1),
			 "EC %#x: guest RAM %#llx mapped before its first touch", ecs[i],
			 (unsigned long long)ipa);
		mv->v.exit.esr = ESR(ecs[i], 0x07);
		mv->v.exit.far = ipa + 0x18;
		mv->v.exit.hpfar = ipa >> 8;
		mv->v.exit.valid = HYP_EXIT_V_FAR | HYP_EXIT_V_HPFAR;
		VM_CHECK(e->fn != NULL, "EC %#x: no handler", ecs[i]);
		if (!e->fn)
			continue;
		r = e->fn(&mv->v, mv->v.exit.esr, e);
		VM_CHECK(r == HYP_FAST_RESUME_X0_X18, "EC %#x: first touch answered %d, want resume",
			 ecs[i], r);
		pte = 0;
		VM_CHECK(!hyp_pgtable_get_leaf(&vm.s2, ipa, &pte, &level) && level == 3 &&
			     (pte & 0x0000fffffffff000ull) == ipa && (pte & 3) == 3 &&
			     (pte & (1ull << 10)) && (pte & (3ull << 6)) == (3ull << 6) &&
			     !(pte & (3ull << 53)),
			 "EC %#x: the page at %#llx is %#llx (level %u), want a RWX page at IPA = PA",
			 ecs[i], (unsigned long long)ipa, (unsigned long long)pte, level);
		mv->v.exit.valid = HYP_EXIT_V_FAR | HYP_EXIT_V_HPFAR;
		r = e->fn(&mv->v, mv->v.exit.esr, e);
		VM_CHECK(r == HYP_FAST_RESUME_X0_X18, "EC %#x: a spurious fault answered %d",
			 ecs[i], r);
		VM_CHECK(!hyp_pgtable_get_leaf(&vm.s2, ipa, &again, &level) && again == pte,
			 "EC %#x: a spurious fault changed the page", ecs[i]);
	}
	/* outside guest RAM (below it): not mapped, to the run loop */
	{
		const struct hyp_fast_entry *e = &vm.table.entry[0x20];
		hyp_pte_t pte = 0;
		unsigned int level = 0;

		mv->v.exit.esr = ESR(0x20, 0x07);
		mv->v.exit.far = 0x40000000;
		mv->v.exit.hpfar = 0x40000000 >> 8;
		mv->v.exit.valid = HYP_EXIT_V_FAR | HYP_EXIT_V_HPFAR;
		VM_CHECK(e->fn && e->fn(&mv->v, mv->v.exit.esr, e) == HYP_FAST_EXIT,
			 "an instruction abort outside guest RAM did not go to the run loop");
		VM_CHECK(hyp_pgtable_get_leaf(&vm.s2, 0x40000000, &pte, &level) || !(pte & 1),
			 "an abort outside guest RAM mapped it");
	}
}

/* The statistics (issue 15, stats.c): without minihyp.stats the fast-path
 * table is minihyp's own handlers and its SMCCC answers; with it every
 * handler has a counting entry in front, and an exit the fast path answers
 * is counted once by class, one it leaves to the run loop is counted there
 * (not twice). PSCI_VERSION (DEN 0022 5.1.1: function ID 0x84000000)
 * answers 1.1 as 0x00010001 (bits [31:16] major, [15:0] minor). ESR_EL2
 * (Arm ARM D24.2.40): EC [31:26] 0x16 HVC64, 0x20/0x24 instruction/data
 * abort from a lower EL; DFSC 0b000111 translation fault level 3. */
static void check_stats(void)
{
	struct mh_vcpu *mv = boot_vm(false, false);
	const struct hyp_fast_entry *e;
	unsigned int lines0;
	int r;

	VM_CHECK(!vm.st.fast_counted && vm.table.entry[0x24].fn == mh_dabt_trap &&
		     vm.table.smccc_answers,
		 "without minihyp.stats the fast path changed");
	boot_stats = true;
	mv = boot_vm(false, false);
	boot_stats = false;
	VM_CHECK(vm.st.fast_counted && vm.table.entry[0x24].fn != mh_dabt_trap &&
		     vm.table.entry[0x24].fn && !vm.table.smccc_answers,
		 "minihyp.stats=1: no counting entries");

	e = &vm.table.entry[0x16];
	mv->v.regs.x[0] = 0x84000000;
	r = e->fn ? e->fn(&mv->v, ESR(0x16, 0), e) : HYP_FAST_EXIT;
	VM_CHECK(r != HYP_FAST_EXIT && mv->v.regs.x[0] == 0x10001,
		 "PSCI_VERSION through the counting entry: %d, x0 %#llx", r,
		 (unsigned long long)mv->v.regs.x[0]);
	/* a first touch of guest RAM and a spurious fault on the same page */
	e = &vm.table.entry[0x24];
	for (unsigned int i = 0; i < 2; i++) {
		mv->v.exit.esr = ESR(0x24, 0x07);
		mv->v.exit.far = 0x40600010;
		mv->v.exit.hpfar = 0x40600000 >> 8;
		mv->v.exit.valid = HYP_EXIT_V_FAR | HYP_EXIT_V_HPFAR;
		r = e->fn(&mv->v, mv->v.exit.esr, e);
		VM_CHECK(r == HYP_FAST_RESUME_X0_X18, "RAM fault %u: %d", i, r);
	}
	/* outside guest RAM: left to the run loop, not counted here */
	e = &vm.table.entry[0x20];
	mv->v.exit.esr = ESR(0x20, 0x07);
	mv->v.exit.far = 0x40000000;
	mv->v.exit.hpfar = 0x40000000 >> 8;
	mv->v.exit.valid = HYP_EXIT_V_FAR | HYP_EXIT_V_HPFAR;
	VM_CHECK(e->fn(&mv->v, mv->v.exit.esr, e) == HYP_FAST_EXIT,
		 "an abort outside RAM did not go to the run loop");
	/* the run loop counts what reaches it */
	VM_CHECK(mh_handle_exit(mv, HYP_EXIT_FIQ, 1023) == MH_CONTINUE, "FIQ exit");
	VM_CHECK(mv->st.exits[0x16] == 1 && mv->st.exits[0x24] == 2 && mv->st.exits[0x20] == 0 &&
		     mv->st.exits[MH_XC_FIQ] == 1 && mv->st.s2_faults == 2,
		 "counts: hvc %u dabt %u iabt %u fiq %u faults %u, want 1 2 0 1 2",
		 mv->st.exits[0x16], mv->st.exits[0x24], mv->st.exits[0x20],
		 mv->st.exits[MH_XC_FIQ], mv->st.s2_faults);
	/* printed: a bounded block, only counters that are not zero */
	lines0 = printed_lines;
	mh_stats_print_vm(&vm);
	VM_CHECK(printed_lines - lines0 >= 4 && printed_lines - lines0 <= 30,
		 "the statistics took %u lines", printed_lines - lines0);
}

/*
 * The IRQ fast path (issue 15, vm.c irq_fast()): a kick (SGI 0 on the
 * physical CPU interface, ICC_IAR1_EL1: IHI 0069 12.2.11) for a vCPU in the
 * guest is answered there: the IAR read, the EOI and the deactivation
 * (EOImode 1: ICC_EOIR1_EL1, ICC_DIR_EL1, IHI 0069 12.2.8, 12.2.10), an
 * ISB, and the vGIC's refill (one LR written, ICH_HCR_EL2 once when the
 * first LR comes into use), nothing of the run loop. Any other INTID is
 * left to the run loop after the IAR read alone, and the run loop does not
 * read IAR again; a kick with scheduler work (a slice running here) is
 * EOI'd on the fast path and not EOI'd again.
 */
static unsigned int fake_kicks;

static void fake_kick(struct hyp_vgic_vcpu *gv, enum hyp_vgic_kick why, void *ctx)
{
	(void)gv, (void)why, (void)ctx;
	fake_kicks++;
}

static bool fake_local(const struct hyp_vgic_vcpu *gv, void *ctx)
{
	(void)gv, (void)ctx;
	return false; /* the sender runs on another CPU */
}

static void check_irq_fast(void)
{
	struct mh_vcpu *mv = boot_vm(false, false);
	struct hyp_vcpu *v = &mv->v;
	uint16_t iar = HYP_SYS_ICC_IAR1_EL1, eoir = HYP_SYS_ICC_EOIR1_EL1, dir = HYP_SYS_ICC_DIR_EL1;
	uint32_t exits0 = mv->run_exits;
	int r;

	uint64_t val = 1u << 20;

	VM_CHECK(vm.table.irq.fn != NULL && vm.fast == &vm.table, "no IRQ fast-path handler");
	/* the timers' PPIs as on QEMU virt (boot_vm() leaves them 0: SGI 0's) */
	gic.ptimer = 30;
	gic.htimer = 26;
	/* the guest enables PPI 20, Group 1 (GICR_ISENABLER0, GICR_IGROUPR0) */
	hyp_vgic_redist_access(&vm.vgic, mv->gv, 0x10100, 4, true, &val);
	val = ~0u;
	hyp_vgic_redist_access(&vm.vgic, mv->gv, 0x10080, 4, true, &val);
	vm.vgic_ops.kick = fake_kick;
	vm.vgic_ops.local = fake_local;
	fake_kicks = 0;
	mh_pcpus[0] = (struct mh_pcpu){0};
	/* PPI 20 raised on "another CPU": vCPU 0 is kicked */
	hyp_vgic_irq_raise(&vm.vgic, mv->gv, 20);
	VM_CHECK(fake_kicks == 1, "the running vCPU was kicked %u times", fake_kicks);

	hyp_sim_reg_define(&sim, iar, 0);
	hyp_sim_reset_counts(&sim);
	r = hyp_switch_irq_exit(v);
	VM_CHECK(r == HYP_FAST_RESUME_X0_X18, "a kick: %d, not resumed", r);
	VM_CHECK(hyp_sim_reg_reads(&sim, iar) == 1 && hyp_sim_reg_writes(&sim, eoir) == 1 &&
		     hyp_sim_reg_writes(&sim, dir) == 1,
		 "a kick: IAR %u EOIR %u DIR %u, want 1 1 1", hyp_sim_reg_reads(&sim, iar),
		 hyp_sim_reg_writes(&sim, eoir), hyp_sim_reg_writes(&sim, dir));
	/* TPIDR_EL2: this CPU's index for the scheduler's test, read inline
	 * (mh_this_cpu_inline(); main.c's mh_this_cpu() reads it too). */
	VM_CHECK(sim.counts[HYP_SIM_SYSREG_READ] == 2 &&
		     hyp_sim_reg_reads(&sim, HYP_SYS_TPIDR_EL2) == 1 &&
		     sim.counts[HYP_SIM_SYSREG_WRITE] == 4 && sim.counts[HYP_SIM_ISB] == 1 &&
		     sim.counts[HYP_SIM_MMIO_READ] == 0 && sim.counts[HYP_SIM_MMIO_WRITE] == 0,
		 "a kick: %u MRS, %u MSR, %u ISB; want 2 (IAR, TPIDR_EL2), 4 (EOIR, DIR, LR 0, "
		 "ICH_HCR), 1",
		 sim.counts[HYP_SIM_SYSREG_READ], sim.counts[HYP_SIM_SYSREG_WRITE],
		 sim.counts[HYP_SIM_ISB]);
	VM_CHECK(hyp_sim_reg_writes(&sim, lr_enc(0)) == 1 && (lr_get(0) & 0x3ff) == 20 &&
		     (lr_get(0) & HYP_ICH_LR_PENDING),
		 "PPI 20 not pending in LR 0: %#llx", (unsigned long long)lr_get(0));
	VM_CHECK(mv->st.irq_kick_fast == 1 && mv->irq_acked == 0 && mv->run_exits == exits0,
		 "a kick: fast %u acked %#x run-loop exits %u", mv->st.irq_kick_fast,
		 mv->irq_acked, mv->run_exits - exits0);

	/* the virtual timer's PPI: the run loop's, acknowledged once */
	hyp_sim_reg_define(&sim, iar, 27);
	hyp_sim_reset_counts(&sim);
	r = hyp_switch_irq_exit(v);
	VM_CHECK(r == HYP_FAST_EXIT && sim.counts[HYP_SIM_SYSREG_READ] == 1 &&
		     hyp_sim_reg_reads(&sim, iar) == 1 && sim.counts[HYP_SIM_SYSREG_WRITE] == 0,
		 "a timer IRQ on the fast path: %d, %u MRS, %u MSR; want an exit, 1 (IAR), 0", r,
		 sim.counts[HYP_SIM_SYSREG_READ], sim.counts[HYP_SIM_SYSREG_WRITE]);
	VM_CHECK(mv->irq_acked == (MH_IRQ_ACKED | 27), "acked %#x", mv->irq_acked);
	hyp_switch_complete(v, HYP_EXIT_IRQ);
	hyp_sim_reset_counts(&sim);
	mh_after_run(mv, HYP_EXIT_IRQ);
	VM_CHECK(hyp_sim_reg_reads(&sim, iar) == 0 && hyp_sim_reg_writes(&sim, eoir) == 1 &&
		     hyp_sim_reg_writes(&sim, dir) == 1 && mv->irq_acked == 0 &&
		     mv->st.irq_timer == 1,
		 "the run loop after it: IAR %u EOIR %u DIR %u, timer IRQs %u; want 0 1 1 1",
		 hyp_sim_reg_reads(&sim, iar), hyp_sim_reg_writes(&sim, eoir),
		 hyp_sim_reg_writes(&sim, dir), mv->st.irq_timer);
	hyp_vgic_restore(mv->gv);
	hyp_switch_prepare(v);

	/* a kick while a slice runs here: the scheduler's, EOI'd once */
	mh_pcpus[0].slice_end = ~0ull;
	hyp_sim_reg_define(&sim, iar, 0);
	hyp_sim_reset_counts(&sim);
	r = hyp_switch_irq_exit(v);
	VM_CHECK(r == HYP_FAST_EXIT && hyp_sim_reg_writes(&sim, eoir) == 1 &&
		     hyp_sim_reg_writes(&sim, dir) == 1 &&
		     mv->irq_acked == (MH_IRQ_ACKED | MH_IRQ_EOID),
		 "a kick with a slice: %d, EOIR %u DIR %u, acked %#x", r,
		 hyp_sim_reg_writes(&sim, eoir), hyp_sim_reg_writes(&sim, dir), mv->irq_acked);
	VM_CHECK(hyp_sim_reg_writes(&sim, lr_enc(0)) == 0, "the run loop refills, not the fast path");
	hyp_switch_complete(v, HYP_EXIT_IRQ);
	hyp_sim_reset_counts(&sim);
	mh_after_run(mv, HYP_EXIT_IRQ);
	VM_CHECK(hyp_sim_reg_reads(&sim, iar) == 0 && hyp_sim_reg_writes(&sim, eoir) == 0 &&
		     hyp_sim_reg_writes(&sim, dir) == 0 && mv->st.irq_kick == 1 &&
		     mv->st.irq_kick_fast == 1,
		 "the run loop after a fast-path EOI: IAR %u EOIR %u DIR %u kicks %u/%u",
		 hyp_sim_reg_reads(&sim, iar), hyp_sim_reg_writes(&sim, eoir),
		 hyp_sim_reg_writes(&sim, dir), mv->st.irq_kick, mv->st.irq_kick_fast);
	mh_pcpus[0] = (struct mh_pcpu){0};
}

static int vm_checks(void)
{
	check_irq_fast();
	check_stats();
	check_psci();
	check_psci_race();
	check_vpidr();
	check_tam();
	check_idregs();
	check_impdef_trapped();
	check_fault_ratelimit();
	check_ram_fault_in();
	if (!vm_failures)
		printf("minihyp vm ok\n");
	return vm_failures != 0;
}

int main(int argc, char **argv)
{
	static struct counts res[NR_GUESTS][2];

	if (argc > 1 && !strcmp(argv[1], "--vm"))
		return vm_checks();
	for (unsigned int g = 0; g < NR_GUESTS; g++) {
		for (unsigned int e = 0; e < 2; e++) {
			struct counts *c = &res[g][e];

			*c = measure((enum guest)g, e);
			printf("{\"guest\": \"%s\", \"config\": \"%s\", \"mrs\": %.2f, "
			       "\"msr\": %.2f, \"mmio\": %.2f, \"gic\": %.2f, \"barriers\": %.2f, "
			       "\"tlbi\": %.2f}\n",
			       guest_names[g], e ? "eager" : "default", c->mrs, c->msr, c->mmio,
			       c->gic, c->barriers, c->tlbi);
		}
	}
	printf("\nminihyp: hardware accesses per guest iteration, simulated -cpu max "
	       "(MRS + MSR + MMIO; of which GIC; ISB/DSB)\n");
	printf("| guest | default | eager |\n| --- | --- | --- |\n");
	for (unsigned int g = 0; g < NR_GUESTS; g++) {
		printf("| %s |", guest_names[g]);
		for (unsigned int e = 0; e < 2; e++) {
			const struct counts *c = &res[g][e];

			printf(" %.2f + %.2f + %.2f; GIC %.2f; barriers %.2f |", c->mrs, c->msr,
			       c->mmio, c->gic, c->barriers);
		}
		printf("\n");
	}
	return argc > 1 && !strcmp(argv[1], "--check") ? check(res) : 0;
}
