/* SPDX-License-Identifier: MIT */
/*
 * The sysreg engine with a real EL1 guest (issue 4, QEMU test): the guest
 * writes TVM-group registers (CONTEXTIDR_EL1, TTBR0_EL1, MAIR_EL1, TCR_EL1)
 * under DIRTY, DEFERRED and IMMEDIATE. Under DIRTY the first write traps
 * once and later writes do not; under all three the values survive a put,
 * another vCPU clobbering the registers, and a load back, and the guest
 * reads the same values. Runs on -cpu max (VHE, EL12 aliases) and
 * -cpu cortex-a57 (nVHE).
 */
#include <stddef.h>

#include <libhyp/cpufeat.h>
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>

#include "switch_util.h"
#include "testlib.h"

extern const uint32_t g_writer[], g_clobber[], g_vectors[], g_actlr[], g_dispatch[], g_direct[],
    g_early[];

static struct hyp_cpufeat_cpu cpus[1];
static struct hyp_fast_table table;
static struct hyp_sysreg_vm vm;
static struct hyp_sysreg_vcpu sr_a, sr_b;
static struct hyp_vcpu va, vb;
static bool vhe;


static void run_to_report(struct hyp_vcpu *v, struct hyp_sysreg_vcpu *sr)
{
	hyp_sysreg_load(sr);
	hyp_vcpu_run(v);
	hyp_sysreg_put(sr);
	if (v->exit.kind == HYP_EXIT_SYNC && hyp_esr_ec(v->exit.esr) == HYP_EC_HVC64 &&
	    hyp_esr_imm16(v->exit.esr) == 1)
		return;
	test_failures++;
	test_print_reg("FAIL: unexpected exit, ESR_EL2", v->exit.esr);
	test_print_reg("x0", v->regs.x[0]);
}

static void setup(struct hyp_vcpu *v, struct hyp_sysreg_vcpu *sr, const uint32_t *pc)
{
	hyp_sysreg_vcpu_init(sr, &vm);
	sr->regs[HYP_REG_SCTLR_EL1] = 0x30d00800; /* RES1 bits, MMU off */
	sr->regs[HYP_REG_VBAR_EL1] = (uint64_t)(uintptr_t)g_vectors;
	hyp_vcpu_init(v, sw_guest_hcr(vhe, 0), &table);
	test_check("hyp_vcpu_use_sysreg", (uint64_t)hyp_vcpu_use_sysreg(v, sr), 0);
	v->regs.pc = (uint64_t)(uintptr_t)pc;
}

static void one_policy(enum hyp_sysreg_policy p)
{
	const struct hyp_sysreg_policy_req req[] = {
		{ HYP_REG_CONTEXTIDR_EL1, (uint8_t)p },
		{ HYP_REG_TTBR0_EL1, (uint8_t)p },
		{ HYP_REG_MAIR_EL1, (uint8_t)p },
		{ HYP_REG_TCR_EL1, (uint8_t)p },
	};
	struct hyp_sysreg_vm_config c = {
		.e2h = vhe, .default_policy = HYP_SYSREG_DEFERRED, .req = req, .nr_req = 4,
	};
	unsigned before = test_failures;

	test_check("hyp_sysreg_vm_init", (uint64_t)hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	setup(&va, &sr_a, g_writer);
	setup(&vb, &sr_b, g_clobber);
	va.regs.x[1] = 0x11;
	va.regs.x[2] = 0x40100000;
	va.regs.x[3] = 0x33;
	va.regs.x[4] = 0x44ff04;
	va.regs.x[5] = 0x25b5103510;
	vb.regs.x[1] = 0xdead;

	run_to_report(&va, &sr_a);
	test_check("traps after round 1", sr_a.traps, p == HYP_SYSREG_DIRTY ? 1 : 0);
	test_check("saved CONTEXTIDR_EL1", sr_a.regs[HYP_REG_CONTEXTIDR_EL1], 0x33);
	run_to_report(&vb, &sr_b);
	run_to_report(&va, &sr_a);
	test_check("CONTEXTIDR_EL1", va.regs.x[10], 0x33);
	test_check("TTBR0_EL1", va.regs.x[11], 0x40100000);
	test_check("MAIR_EL1", va.regs.x[12], 0x44ff04);
	/* a new load/put cycle: DIRTY traps the first write again, once */
	test_check("traps after round 2", sr_a.traps, p == HYP_SYSREG_DIRTY ? 2 : 0);
	run_to_report(&vb, &sr_b);
	run_to_report(&va, &sr_a);
	test_check("TCR_EL1", va.regs.x[13], 0x25b5103510);
	test_check("traps after round 3", sr_a.traps, p == HYP_SYSREG_DIRTY ? 2 : 0);
	if (test_failures == before) {
		test_puts("sysreg ");
		test_puts(hyp_sysreg_policy_name(p));
		test_puts(" ok\n");
	}
}

/* ACTLR_EL1 is not switched (with E2H its encoding may reach ACTLR_EL2, Arm
 * ARM D24.2.2): the guest's MRS/MSR trap with HCR_EL2.TACR (bit 21,
 * D24.2.62), reads get the vCPU's value, writes are ignored, and the
 * hardware register is never touched. */
static void actlr(void)
{
	struct hyp_sysreg_vm_config c = { .e2h = vhe, .default_policy = HYP_SYSREG_DEFERRED };
	uint64_t hw_before = hyp_read_sysreg(HYP_SYS_ACTLR_EL1);
	unsigned before = test_failures;

	test_check("hyp_sysreg_vm_init", (uint64_t)hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	setup(&va, &sr_a, g_actlr);
	test_check("HCR_EL2.TACR", va.hcr >> 21 & 1, 1);
	sr_a.regs[HYP_REG_ACTLR_EL1] = 0x5a5a;
	va.regs.x[6] = 0xffff;
	run_to_report(&va, &sr_a);
	test_check("guest ACTLR_EL1 read", va.regs.x[14], 0x5a5a);
	test_check("guest ACTLR_EL1 after its write", va.regs.x[15], 0x5a5a);
	test_check("vCPU ACTLR_EL1", sr_a.regs[HYP_REG_ACTLR_EL1], 0x5a5a);
	test_check("hardware ACTLR_EL1", hyp_read_sysreg(HYP_SYS_ACTLR_EL1), hw_before);
	if (test_failures == before)
		test_puts("sysreg ACTLR ok\n");
}

/* The MSR/MRS dispatcher (issue 13): with HCR_EL2.TID3 (bit 18, Arm ARM
 * D24.2.62) the guest's ID reads trap; the integrator's table answers
 * first, the VM's ID view next (no ID register read at EL2), and a
 * handler's error reaches the run loop instead of becoming an UNDEF. */
static int isar0_handler(struct hyp_sysreg_vcpu *s, struct hyp_sysreg_access *a, void *ctx)
{
	(void)ctx;
	a->val = s->owner == &va ? 0x1234 : 0xbad;
	return HYP_SYSREG_HANDLED;
}

static int failing_handler(struct hyp_sysreg_vcpu *s, struct hyp_sysreg_access *a, void *ctx)
{
	(void)s, (void)a, (void)ctx;
	return HYP_ENOMEM;
}

/* A VM whose MSR/MRS class goes to the dispatcher @d (table @t, ID view
 * @idv), and vCPU A at @guest with HCR_EL2.TID3 (bit 18, Arm ARM
 * D24.2.62): its ID register reads trap. */
static void dispatch_setup(struct hyp_sysreg_dispatch *d, const struct hyp_sysreg_trap_table *t,
			   struct hyp_cpufeat_vm *idv, const uint32_t *guest)
{
	struct hyp_sysreg_vm_config c = { .e2h = vhe, .default_policy = HYP_SYSREG_DEFERRED };

	test_check("hyp_sysreg_vm_init", (uint64_t)hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	test_check("hyp_sysreg_dispatch_init", (uint64_t)hyp_sysreg_dispatch_init(d, t, idv), 0);
	hyp_fast_table_init(&table);
	hyp_fast_register(&table, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, d);
	setup(&va, &sr_a, guest);
	va.hcr |= 1ull << 18; /* TID3 */
}

static void dispatch(void)
{
	/* ID_AA64ISAR0_EL1 (3,0,0,6,0) D24.2.72, ID_AA64ISAR1_EL1 (3,0,0,6,1)
	 * D24.2.73: sorted by encoding */
	static const struct hyp_sysreg_trap_entry e[] = {
	    {(3u << 14) | (6u << 3) | 0u, isar0_handler, NULL},
	    {(3u << 14) | (6u << 3) | 1u, failing_handler, NULL},
	};
	static const struct hyp_sysreg_trap_table t = {e, 2};
	static struct hyp_cpufeat_vm idv;
	static struct hyp_sysreg_dispatch d;
	unsigned before = test_failures;

	test_check("hyp_cpufeat_vm_init", (uint64_t)hyp_cpufeat_vm_init(&idv, NULL, 0), 0);
	idv.id[HYP_REG_ID_AA64MMFR1_EL1] = 0x0123456789abcdefull;
	dispatch_setup(&d, &t, &idv, g_dispatch);
	va.regs.x[18] = 0x18;
	hyp_sysreg_load(&sr_a);
	hyp_vcpu_run(&va);
	test_check("exit to the run loop", va.exit.kind, HYP_EXIT_SYNC);
	test_check("its class: MSR/MRS", hyp_esr_ec(va.exit.esr), 0x18);
	test_check("the handler's error", (uint64_t)(int64_t)sr_a.trap_error, (uint64_t)(int64_t)HYP_ENOMEM);
	test_check("Rt untouched", va.regs.x[18], 0x18);
	sr_a.trap_error = 0;
	hyp_vcpu_skip_insn(&va);
	hyp_vcpu_run(&va);
	hyp_sysreg_put(&sr_a);
	test_check("then HVC #1", va.exit.esr >> 26 == HYP_EC_HVC64 && (va.exit.esr & 0xffff) == 1, 1);
	test_check("table: ID_AA64ISAR0_EL1", va.regs.x[16], 0x1234);
	test_check("ID view: ID_AA64MMFR1_EL1", va.regs.x[17], 0x0123456789abcdefull);
	test_check("ID view again, into x20", va.regs.x[20], 0x0123456789abcdefull);
	test_check("lookups (the second MMFR1 read was cached)", sr_a.trap_lookups, 3);
	if (test_failures == before)
		test_puts("sysreg dispatch ok\n");
}

/* A direct entry (hyp_sysreg_trap_direct, libhyp/sysreg_bridge.h): the
 * cached hit goes from entry.S's compare straight to the handler with
 * &Xt; XZR (Rt 31) and a miss go through the C dispatcher. */
static unsigned direct_calls, direct_xzr_calls;

static int isar2_direct(struct hyp_vcpu *v, uint64_t esr, uint64_t *xt, void *ctx)
{
	(void)ctx;
	direct_calls++;
	if (xt == &v->regs.x[30] + 1)
		direct_xzr_calls += 100; /* "x31" of the frame: wrong */
	else if (xt < &v->regs.x[0] || xt > &v->regs.x[30])
		direct_xzr_calls++; /* not a GPR of the frame: XZR */
	*xt = 0xd1ec7;
	return hyp_sysreg_direct_done(v, esr);
}

static void direct(void)
{
	static const struct hyp_sysreg_direct isar2 = {isar2_direct, NULL};
	/* ID_AA64ISAR0_EL1 (3,0,0,6,0) D24.2.72, ID_AA64ISAR2_EL1 (3,0,0,6,2)
	 * D24.2.74: sorted by encoding */
	static const struct hyp_sysreg_trap_entry e[] = {
	    {(3u << 14) | (6u << 3) | 0u, isar0_handler, NULL},
	    {(3u << 14) | (6u << 3) | 2u, hyp_sysreg_trap_direct, (void *)&isar2},
	};
	static const struct hyp_sysreg_trap_table t = {e, 2};
	static struct hyp_cpufeat_vm idv;
	static struct hyp_sysreg_dispatch d;
	unsigned before = test_failures;

	test_check("hyp_cpufeat_vm_init", (uint64_t)hyp_cpufeat_vm_init(&idv, NULL, 0), 0);
	dispatch_setup(&d, &t, &idv, g_direct);
	va.regs.x[21] = 0x21;
	direct_calls = direct_xzr_calls = 0;
	run_to_report(&va, &sr_a);
	test_check("direct: the miss answers x5", va.regs.x[5], 0xd1ec7);
	test_check("direct: the cached hit into x6", va.regs.x[6], 0xd1ec7);
	test_check("direct: the cached hit into x21", va.regs.x[21], 0xd1ec7);
	test_check("direct: the ordinary entry into x7", va.regs.x[7], 0x1234);
	test_check("direct: again after the key moved, x8", va.regs.x[8], 0xd1ec7);
	test_check("direct: handler calls", direct_calls, 5);
	test_check("direct: XZR through a scratch", direct_xzr_calls, 1);
	test_check("direct: lookups (misses only)", sr_a.trap_lookups, 3);
	if (test_failures == before)
		test_puts("sysreg direct ok\n");
}

/* The vector code's early MSR/MRS answer (libhyp/sysreg_bridge.h,
 * "Storage-slot entries"): a storage slot answered before the register
 * save for every kind of Rt, a direct entry called straight after it. */
struct early_box {
	struct hyp_vcpu v;
	uint64_t actlr;
};
static struct early_box eb;
static unsigned early_calls, early_bad_xt;

static int early_direct(struct hyp_vcpu *v, uint64_t esr, uint64_t *xt, void *ctx)
{
	(void)ctx;
	early_calls++;
	if (xt != &v->regs.x[(esr >> 5) & 31])
		early_bad_xt++;
	*xt = 0xd1ec7 + early_calls;
	return hyp_sysreg_direct_done(v, esr);
}

static unsigned skip_calls;

static int wfx_skip(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)v, (void)esr, (void)self;
	skip_calls++;
	return HYP_FAST_RESUME_SKIP;
}

static void early(void)
{
	static const struct hyp_sysreg_direct isar2 = {early_direct, NULL};
	static const struct hyp_sysreg_slot actlr = {(int64_t)offsetof(struct early_box, actlr) -
							 (int64_t)offsetof(struct early_box, v),
						     0xff0f};
	/* ACTLR_EL1 (3,0,1,0,1) D24.2.2, ID_AA64ISAR2_EL1 (3,0,0,6,2)
	 * D24.2.74: sorted by encoding */
	static const struct hyp_sysreg_trap_entry e[] = {
	    {(3u << 14) | (6u << 3) | 2u, hyp_sysreg_trap_direct, (void *)&isar2},
	    {(3u << 14) | (1u << 7) | 1u, hyp_sysreg_trap_slot, (void *)&actlr},
	};
	static const struct hyp_sysreg_trap_table t = {e, 2};
	static struct hyp_sysreg_dispatch d;
	struct hyp_sysreg_vm_config c = {.e2h = vhe, .default_policy = HYP_SYSREG_DEFERRED};
	uint64_t hw_before = hyp_read_sysreg(HYP_SYS_ACTLR_EL1);
	unsigned before = test_failures;

	test_check("hyp_sysreg_vm_init", (uint64_t)hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	test_check("hyp_sysreg_dispatch_init", (uint64_t)hyp_sysreg_dispatch_init(&d, &t, NULL), 0);
	hyp_fast_table_init(&table);
	hyp_fast_register(&table, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, &d);
	hyp_fast_register(&table, HYP_EC_WFX, wfx_skip, NULL);
	setup(&eb.v, &sr_a, g_early);
	/* TID3 [18], TACR [21], TWI [13] (Arm ARM D24.2.62) */
	eb.v.hcr |= 1ull << 18 | 1ull << 21 | 1ull << 13;
	skip_calls = 0;
	for (unsigned i = 0; i < 31; i++)
		eb.v.regs.x[i] = 0x0101ull * i;
	eb.v.regs.x[30] = 0x3030;
	early_calls = early_bad_xt = 0;
	run_to_report(&eb.v, &sr_a);
	test_check("early: slot read into x1", eb.v.regs.x[1], 0x0101 & 0xff0f);
	test_check("early: slot write from x2, read into x2", eb.v.regs.x[2], 0x0202 & 0xff0f);
	test_check("early: x4 from and into the second scratch", eb.v.regs.x[4], 0x0404 & 0xff0f);
	test_check("early: x5", eb.v.regs.x[5], 0x0505 & 0xff0f);
	test_check("early: x19", eb.v.regs.x[19], 0x1313 & 0xff0f);
	test_check("early: x30", eb.v.regs.x[30], 0x3030 & 0xff0f);
	test_check("early: XZR wrote 0, a read into it is lost", eb.v.regs.x[6], 0);
	test_check("early: x3", eb.v.regs.x[3], 0x0303 & 0xff0f);
	test_check("early: the slot", eb.actlr, 0x0303 & 0xff0f);
	test_check("early: untouched x9", eb.v.regs.x[9], 0x0909);
	test_check("early: untouched x18", eb.v.regs.x[18], 0x1212);
	test_check("early: untouched x21", eb.v.regs.x[21], 0x1515);
	test_check("early: untouched x29", eb.v.regs.x[29], 0x1d1d);
	test_check("early: direct calls", early_calls, 5);
	test_check("early: direct Xt", early_bad_xt, 0);
	test_check("early: direct into x7", eb.v.regs.x[7], 0xd1ec7 + 2);
	test_check("early: direct into x8", eb.v.regs.x[8], 0xd1ec7 + 5);
	/* the last record: MRS x8, ID_AA64ISAR2_EL1 without the direction */
	test_check("early: the record", eb.v.trap_esr,
		   (0x18ull << 26) | (1ull << 25) | (3ull << 20) | (2ull << 17) | (6ull << 1) |
		       (8ull << 5));
	test_check("early: its answer", eb.v.trap_answer, (uint64_t)(uintptr_t)&isar2);
	test_check("early: WFI completed by the vector (HYP_FAST_RESUME_SKIP)", skip_calls, 2);
	test_check("early: hardware ACTLR_EL1 untouched", hyp_read_sysreg(HYP_SYS_ACTLR_EL1),
		   hw_before);
	if (test_failures == before)
		test_puts("sysreg early ok\n");
}

void test_main(void)
{
	vhe = sw_host_setup();
	if (hyp_cpufeat_init(cpus, 1) || hyp_cpufeat_probe_cpu(0) ||
	    hyp_cpufeat_finalize(NULL, 0, NULL)) {
		test_puts("FAIL: cpufeat\n");
		return;
	}
	hyp_fast_table_init(&table);
	hyp_fast_register(&table, HYP_EC_SYS64, hyp_sysreg_fast_trap, NULL);
	one_policy(HYP_SYSREG_DIRTY);
	one_policy(HYP_SYSREG_DEFERRED);
	one_policy(HYP_SYSREG_IMMEDIATE);
	actlr();
	dispatch();
	direct();
	early();
	if (!test_failures)
		test_puts("sysreg done\n");
}
