/* SPDX-License-Identifier: MIT */
/* The vCPU lifecycle (hyp_vcpu_load()/hyp_vcpu_put()): the order of the
 * modules' hardware accesses read from the simulated CPU's event log, and
 * that a refused call touches nothing and changes nothing. */
#include "test_vgic_env.h"

#include <libhyp/error.h>
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>

static struct hyp_vgic vm;
static struct hyp_vgic_vcpu gvcpus[1];
static struct hyp_sysreg_vm srvm;
static struct hyp_sysreg_vcpu sr;
static struct hyp_vcpu v;
static struct hyp_fp_cpu fpc;
static struct hyp_fpsimd_state fpstate;
static unsigned fp_saves;

/* HCR_EL2 (Arm ARM D24.2.62): RW bit 31, IMO bit 4, VM bit 0. */
#define HCR_GUEST 0x80000011ull

/* Register encodings as literals (op0, op1, CRn, CRm, op2) from the Arm ARM
 * (FPCR C5.2.8: 3 3 4 4 0; FPSR C5.2.10: 3 3 4 4 1; CPTR_EL2 D24.2.38:
 * 3 4 1 1 2; CNTVOFF_EL2 D24.10.27: 3 4 14 0 3) and the GIC (IHI 0069
 * ch. 12: ICH_VMCR_EL2 3 4 12 11 7; ICH_LR<n>_EL2 3 4 12 12/13 n). */
#define ENC(op0, op1, crn, crm, op2)                                                               \
	((uint16_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define LIT_FPCR	ENC(3, 3, 4, 4, 0)
#define LIT_FPSR	ENC(3, 3, 4, 4, 1)
#define LIT_CPTR_EL2	ENC(3, 4, 1, 1, 2)
#define LIT_CNTVOFF_EL2 ENC(3, 4, 14, 0, 3)
#define LIT_ICH_VMCR	ENC(3, 4, 12, 11, 7)

static uint64_t sw_peek_lit(uint16_t enc)
{
	uint64_t val = 0;

	cr_assert_eq(hyp_sim_reg_peek(&sim, enc, &val), 0);
	return val;
}

/* What hyp_fpsimd_save() does besides its STPs: MRS FPSR, MRS FPCR. */
static void fake_fp_save(struct hyp_fpsimd_state *st)
{
	(void)st;
	(void)hyp_read_sysreg(LIT_FPSR);
	(void)hyp_read_sysreg(LIT_FPCR);
	fp_saves++;
}

static void fake_fp_restore(const struct hyp_fpsimd_state *st)
{
	(void)st;
}

static const struct hyp_fp_ops fp_ops = {fake_fp_save, fake_fp_restore};

/* Which module an access belongs to: F lazy FP (FPSR, FPCR, CPTR_EL2),
 * G the GIC's hypervisor interface (op1 4, CRn 12), T the timers (CRn 14,
 * op1 3 or 4: CNTV_*, CNTHCTL_EL2, CNTVOFF_EL2, CNTHP_*), S anything else
 * (the sysreg engine: the EL1 context, CNTKCTL_EL1 among it, HCR_EL2). */
static char module_of(uint16_t enc)
{
	unsigned crn = (enc >> 7) & 0xf;

	if (enc == LIT_FPSR || enc == LIT_FPCR || enc == LIT_CPTR_EL2)
		return 'F';
	if (crn == 12 && ((enc >> 11) & 7) == 4)
		return 'G';
	if (crn == 14 && ((enc >> 11) & 7) != 0)
		return 'T';
	return 'S';
}

/* The modules in the order they touched hardware since the last count
 * reset, runs collapsed ("SGT": engine, then GIC, then timers). */
static const char *module_order(void)
{
	static char out[32];
	unsigned n = 0;

	for (unsigned i = 0; i < sim.log_len && n < sizeof(out) - 1; i++) {
		const struct hyp_sim_event *e = &sim.log[i];
		char m;

		if (e->kind != HYP_SIM_SYSREG_READ && e->kind != HYP_SIM_SYSREG_WRITE)
			continue;
		m = module_of(e->enc);
		if (n == 0 || out[n - 1] != m)
			out[n++] = m;
	}
	out[n] = 0;
	return out;
}

static void setup(void)
{
	struct hyp_sysreg_vm_config sc = {.default_policy = HYP_SYSREG_DEFERRED};
	struct hyp_vgic_config gc = {
	    .model = HYP_VGIC_MODEL_V3,
	    .hw = &hw,
	    .vcpus = gvcpus,
	    .nr_vcpus = 1,
	};
	const uint16_t el2[] = {HYP_SYS_HCR_EL2,     HYP_SYS_CPTR_EL2,	   HYP_SYS_MDCR_EL2,
				HYP_SYS_CNTHCTL_EL2, HYP_SYS_CNTVOFF_EL2,  HYP_SYS_CNTHP_CTL_EL2,
				HYP_SYS_CNTHP_CVAL_EL2, LIT_FPSR, LIT_FPCR};

	boot_v3(ICH_VTR(4, 5, 5));
	cr_assert_eq(hyp_sim_define_table(&sim, HYP_SYSREG_CTX | HYP_RF_TIMER, false), 0);
	for (unsigned i = 0; i < sizeof(el2) / sizeof(el2[0]); i++)
		hyp_sim_reg_define(&sim, el2[i], 0);
	cr_assert_eq(hyp_sysreg_vm_init(&srvm, &sc, NULL), 0);
	cr_assert_eq(hyp_sysreg_vcpu_init(&sr, &srvm), 0);
	cr_assert_eq(hyp_vgic_init(&vm, &gc), 0);
	cr_assert_eq(hyp_vcpu_init(&v, HCR_GUEST, NULL), 0);
	cr_assert_eq(hyp_vcpu_use_sysreg(&v, &sr), 0);
	cr_assert_eq(hyp_vcpu_attach_vgic(&v, &gvcpus[0]), 0);
	cr_assert_eq(hyp_vtimer_init(&v, HYP_VTIMER_EMUL_PTIMER | HYP_VTIMER_PTIMER_WAKE, 0x1234),
		     0);
	cr_assert_eq(hyp_fp_cpu_init(&fpc, &fp_ops, false, NULL), 0);
	v.fp_cpu = &fpc;
	v.fp = &fpstate;
	fp_saves = 0;
	reset_counts();
}

TestSuite(lifecycle, .init = setup, .fini = hyp_cpufeat_reset);

Test(lifecycle, attach_records_the_parts)
{
	cr_assert_eq(v.sysreg, &sr, "hyp_vcpu_use_sysreg() attaches the engine's vCPU");
	cr_assert_eq(v.vgic, &gvcpus[0]);
	cr_assert_eq(hyp_vcpu_attach_vgic(&v, NULL), 0);
	cr_assert_null(v.vgic);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

Test(lifecycle, load_order_engine_gic_timers)
{
	cr_assert_eq(hyp_vcpu_load(&v), 0);
	cr_assert_str_eq(module_order(), "SGT");
	cr_assert(v.loaded && sr.loaded && gvcpus[0].loaded);
	cr_assert(v.vtimer.flags & HYP_VTIMER_LOADED);
	/* Each module did its own load: the VMCR, the guest's CNTVOFF_EL2. */
	cr_assert_eq(hyp_sim_reg_writes(&sim, LIT_ICH_VMCR), 1);
	cr_assert_eq(sw_peek_lit(LIT_CNTVOFF_EL2), 0x1234);
	/* Lazy FP: nothing at load. */
	cr_assert_eq(hyp_sim_reg_reads(&sim, LIT_CPTR_EL2) + hyp_sim_reg_writes(&sim, LIT_CPTR_EL2),
		     0);
	cr_assert_eq(fp_saves, 0);
}

Test(lifecycle, put_order_fp_timers_gic_engine)
{
	cr_assert_eq(hyp_vcpu_load(&v), 0);
	fpc.owner = &v; /* the guest used FP (hyp_fp_trap() took the registers) */
	reset_counts();
	cr_assert_eq(hyp_vcpu_put(&v), 0);
	cr_assert_str_eq(module_order(), "FTGS");
	cr_assert_eq(fp_saves, 1);
	cr_assert_null(fpc.owner);
	cr_assert(!v.loaded && !sr.loaded && !gvcpus[0].loaded);
	cr_assert_not(v.vtimer.flags & HYP_VTIMER_LOADED);
	/* Load and put again: the same sequence, balanced. */
	reset_counts();
	cr_assert_eq(hyp_vcpu_load(&v), 0);
	cr_assert_str_eq(module_order(), "SGT");
	cr_assert_eq(hyp_vcpu_put(&v), 0);
	cr_assert_eq(fp_saves, 1, "not the FP owner: nothing to save");
}

/* A refused call: the error, no hardware access, nothing changed. */
#define ASSERT_REFUSED(call, err)                                                                  \
	do {                                                                                       \
		struct hyp_vcpu v0_ = v;                                                           \
		struct hyp_sysreg_vcpu sr0_ = sr;                                                  \
		struct hyp_vgic_vcpu gv0_ = gvcpus[0];                                             \
		reset_counts();                                                                    \
		cr_assert_eq((call), (err));                                                       \
		cr_assert_eq(hyp_sim_total(&sim), 0, #call ": no hardware touched");               \
		cr_assert_eq(memcmp(&v0_, &v, sizeof(v)), 0, #call ": vCPU unchanged");            \
		cr_assert_eq(memcmp(&sr0_, &sr, sizeof(sr)), 0, #call ": sysreg vCPU unchanged");  \
		cr_assert_eq(memcmp(&gv0_, &gvcpus[0], sizeof(gv0_)), 0,                           \
			     #call ": vGIC vCPU unchanged");                                      \
	} while (0)

Test(lifecycle, nothing_half_loaded)
{
	/* A module loaded by hand: the lifecycle refuses before touching the
	 * others (the engine stays put). */
	cr_assert_eq(hyp_vgic_load(&gvcpus[0]), 0);
	ASSERT_REFUSED(hyp_vcpu_load(&v), HYP_ESTATE);
	cr_assert_not(sr.loaded);
	cr_assert_eq(hyp_vgic_put(&gvcpus[0]), 0);

	cr_assert_eq(hyp_sysreg_load(&sr), 0);
	ASSERT_REFUSED(hyp_vcpu_load(&v), HYP_ESTATE);
	cr_assert_not(gvcpus[0].loaded);
	cr_assert_eq(hyp_sysreg_put(&sr), 0);

	cr_assert_eq(hyp_vtimer_load(&v), 0);
	ASSERT_REFUSED(hyp_vcpu_load(&v), HYP_ESTATE);
	cr_assert_eq(hyp_vtimer_put(&v), 0);

	v.live = 1;
	ASSERT_REFUSED(hyp_vcpu_load(&v), HYP_ESTATE);
	v.live = 0;

	cr_assert_eq(hyp_vcpu_load(&v), 0);
	ASSERT_REFUSED(hyp_vcpu_load(&v), HYP_ESTATE);
	ASSERT_REFUSED(hyp_vcpu_attach_vgic(&v, NULL), HYP_ESTATE);
	cr_assert_eq(hyp_vcpu_put(&v), 0);
}

Test(lifecycle, nothing_half_put)
{
	ASSERT_REFUSED(hyp_vcpu_put(&v), HYP_ESTATE); /* not loaded */
	cr_assert_eq(hyp_vcpu_load(&v), 0);
	fpc.owner = &v;

	/* Between hyp_vgic_restore() and hyp_vgic_save(): the LRs are live. */
	cr_assert_eq(hyp_vgic_restore(&gvcpus[0]), 0);
	ASSERT_REFUSED(hyp_vcpu_put(&v), HYP_ESTATE);
	cr_assert_eq(fp_saves, 0);
	cr_assert_eq(hyp_vgic_save(&gvcpus[0]), 0);

	/* In the guest. */
	v.live = 1;
	ASSERT_REFUSED(hyp_vcpu_put(&v), HYP_ESTATE);
	v.live = 0;

	cr_assert_eq(hyp_vcpu_put(&v), 0);
	cr_assert_eq(fp_saves, 1);
}

/* A module the integrator put by hand (a blocked vCPU's vGIC, say) is
 * skipped: its own put refuses without touching anything; the rest is
 * put. */
Test(lifecycle, a_module_put_by_hand_is_skipped)
{
	cr_assert_eq(hyp_vcpu_load(&v), 0);
	cr_assert_eq(hyp_vgic_put(&gvcpus[0]), 0);
	reset_counts();
	cr_assert_eq(hyp_vcpu_put(&v), 0);
	cr_assert_str_eq(module_order(), "TS", "no GIC access");
	cr_assert(!v.loaded && !sr.loaded && !gvcpus[0].loaded);
}

Test(lifecycle, without_parts_only_the_timer)
{
	struct hyp_vcpu bare;

	cr_assert_eq(hyp_vcpu_init(&bare, HCR_GUEST, NULL), 0);
	cr_assert_eq(hyp_vcpu_load(&bare), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0, "no module attached, timer off: no access");
	cr_assert_eq(hyp_vcpu_put(&bare), 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

Test(lifecycle, fp_release_reports)
{
	cr_assert_eq(hyp_fp_vcpu_release(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_fp_vcpu_release(&v), 0, "not the owner: nothing to do");
	cr_assert_eq(fp_saves, 0);
	fpc.owner = &v;
	cr_assert_eq(hyp_fp_vcpu_release(&v), 0);
	cr_assert_eq(fp_saves, 1);
	cr_assert_null(fpc.owner);
}
