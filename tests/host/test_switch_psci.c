/* SPDX-License-Identifier: MIT */
/* SMCCC over HVC and SMC, the PSCI functions and their error codes, the
 * integrator callbacks, and the WFx policy, through the fast-path table as
 * the vector code would call it. */
#include "test_switch.h"

static struct hyp_sim_cpu cpu;
static struct hyp_vcpu vcpu;
static struct hyp_fast_table table;

#define PC 0x40001000ull

/* Callback recorder. */
static struct {
	unsigned calls;
	uint64_t a, b, c;
	unsigned level;
	int32_t ret;
	void *ctx;
} cb;

static int32_t cb_cpu_on(void *ctx, struct hyp_vcpu *caller, uint64_t target, uint64_t entry,
			 uint64_t context_id)
{
	cr_assert_eq(caller, &vcpu);
	cb.calls++;
	cb.ctx = ctx;
	cb.a = target;
	cb.b = entry;
	cb.c = context_id;
	return cb.ret;
}

static int32_t cb_affinity(void *ctx, struct hyp_vcpu *caller, uint64_t target, unsigned level)
{
	(void)ctx;
	(void)caller;
	cb.calls++;
	cb.a = target;
	cb.level = level;
	return cb.ret;
}

static int32_t cb_suspend(void *ctx, struct hyp_vcpu *v, uint64_t power_state, uint64_t entry,
			  uint64_t context_id)
{
	(void)ctx;
	(void)v;
	cb.calls++;
	cb.a = power_state;
	cb.b = entry;
	cb.c = context_id;
	return cb.ret;
}

static void cb_void(void *ctx, struct hyp_vcpu *v)
{
	(void)v;
	cb.calls++;
	cb.ctx = ctx;
}

static const struct hyp_psci_ops ops = {
    .cpu_on = cb_cpu_on,
    .affinity_info = cb_affinity,
    .cpu_suspend = cb_suspend,
    .cpu_off = cb_void,
    .system_off = cb_void,
    .system_reset = cb_void,
};

static unsigned other_calls;
static uint32_t other_fn;

static int other_call(void *ctx, struct hyp_vcpu *v, uint32_t fn)
{
	(void)ctx;
	other_calls++;
	other_fn = fn;
	v->regs.x[0] = 0x600d;
	v->regs.x[1] = 0x600e;
	return HYP_FAST_RESUME_X0_X18;
}

static int32_t other_features(void *ctx, uint32_t fn)
{
	(void)ctx;
	return fn == 0x80008000u ? 1 : -1; /* ARCH_WORKAROUND_1: not required */
}

static const struct hyp_smccc with_ops = {
    .psci = &ops, .psci_ctx = (void *)0xc0, .call = other_call, .features = other_features};
static const struct hyp_smccc defaults;

static void setup_with(const struct hyp_smccc *s)
{
	sw_sim_setup(&cpu);
	hyp_fast_table_init(&table);
	cr_assert_eq(hyp_smccc_register(&table, s), HYP_OK);
	cr_assert_eq(hyp_vcpu_init(&vcpu, HYP_HCR_RW, &table), HYP_OK);
	vcpu.mpidr = 0x80000102; /* Aff1 = 1, Aff0 = 2 (bit 31 is RES1) */
	memset(&cb, 0, sizeof(cb));
	other_calls = 0;
}

static void setup_ops(void)
{
	setup_with(&with_ops);
}

static void setup_defaults(void)
{
	setup_with(&defaults);
}

/* The guest executes HVC/SMC #imm from AArch64 (or AArch32 if @aa32) with
 * x0..x3; returns the fast-path action. */
static int call(unsigned ec, unsigned imm, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	vcpu.regs.x[0] = x0;
	vcpu.regs.x[1] = x1;
	vcpu.regs.x[2] = x2;
	vcpu.regs.x[3] = x3;
	for (unsigned i = 4; i < 31; i++)
		vcpu.regs.x[i] = 0x4000 + i;
	sw_exit(&cpu, &vcpu, ESR(ec, imm), PC,
		ec == HYP_EC_HVC32 || ec == HYP_EC_SMC32 ? 0x10 : HYP_PSR_M_EL1H);
	return hyp_switch_sync_exit(&vcpu);
}

static int hvc(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	return call(HYP_EC_HVC64, 0, x0, x1, x2, x3);
}

static void assert_x4_x30_kept(void)
{
	for (unsigned i = 4; i < 31; i++)
		cr_assert_eq(vcpu.regs.x[i], 0x4000 + i, "x%u (SMCCC preserves x4-x17)", i);
}

TestSuite(smccc_ops, .init = setup_ops);
TestSuite(smccc_defaults, .init = setup_defaults);

Test(smccc_defaults, psci_version_and_smccc_version)
{
	cr_assert_eq(hvc(HYP_PSCI_VERSION, 0, 0, 0), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], 0x10001);
	cr_assert_eq(hvc(HYP_SMCCC_VERSION, 0, 0, 0), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], 0x10001);
	assert_x4_x30_kept();
	cr_assert_eq(hyp_sim_total(&cpu), 1, "ESR_EL2 only: HVC's return address is already next");
}

Test(smccc_defaults, unknown_function_ids_return_not_supported)
{
	static const uint64_t ids[] = {
	    0x84000020, /* beyond the PSCI range of the standard service */
	    0xc6000001, /* vendor hypervisor service, no handler */
	    0x82000000, /* SiP */
	    0x84010000, /* bits [23:16] must be zero */
	    0x04000000, /* yielding call */
	    0x8400000c, /* CPU_DEFAULT_SUSPEND: optional, not implemented */
	    0xc4000008, /* SYSTEM_OFF has no SMC64 form */
	    0xc4000000, /* neither has PSCI_VERSION */
	    0x80008000, /* SMCCC_ARCH_WORKAROUND_1 */
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		cr_assert_eq(hvc(ids[i], 0, 0, 0), HYP_FAST_RESUME_X0_X18, "fn %#lx", ids[i]);
		cr_assert_eq(vcpu.regs.x[0], ~0ull, "fn %#lx", ids[i]);
		cr_assert_eq(vcpu.exit.valid, 0);
	}
}

Test(smccc_defaults, upper_half_of_x0_is_ignored)
{
	cr_assert_eq(hvc(0xdeadbeef00000000ull | HYP_PSCI_MIGRATE_INFO_TYPE, 0, 0, 0),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], 2, "Trusted OS absent / MP");
}

Test(smccc_defaults, non_smccc_immediates_exit_untouched)
{
	cr_assert_eq(call(HYP_EC_HVC64, 1, HYP_PSCI_VERSION, 5, 6, 7), HYP_FAST_EXIT);
	cr_assert_eq(vcpu.regs.x[0], HYP_PSCI_VERSION);
	cr_assert_eq(call(HYP_EC_HVC32, 0x1234, HYP_PSCI_VERSION, 5, 6, 7), HYP_FAST_EXIT);
	cr_assert_eq(call(HYP_EC_SMC64, 2, HYP_PSCI_VERSION, 5, 6, 7), HYP_FAST_EXIT);
	cr_assert_eq(vcpu.regs.x[0], HYP_PSCI_VERSION);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_ELR_EL2), 0, "SMC not skipped");
}

Test(smccc_defaults, smc_is_skipped_first)
{
	cr_assert_eq(call(HYP_EC_SMC64, 0, HYP_PSCI_VERSION, 0, 0, 0), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], 0x10001);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), PC + 4);

	/* AArch32 SMC: PC += 4 (IL = 1); a failed condition makes it a NOP. */
	cr_assert_eq(call(HYP_EC_SMC32, 0, HYP_PSCI_VERSION, 0, 0, 0), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], 0x10001);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), PC + 4);
	/* SMCEQ with Z = 0 */
	cr_assert_eq(call(HYP_EC_SMC32, (1u << 24) | (0u << 20), HYP_PSCI_VERSION, 0, 0, 0),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], HYP_PSCI_VERSION, "not executed");
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), PC + 4);
}

Test(smccc_defaults, aarch32_callers_cannot_use_smc64_functions)
{
	cr_assert_eq(call(HYP_EC_HVC32, 0, 0xc4000003, 1, 2, 3), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], ~0ull);
	cr_assert_eq(call(HYP_EC_HVC32, 0, HYP_PSCI_FEATURES, 0xc4000003, 0, 0),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], ~0ull);
	cr_assert_eq(call(HYP_EC_HVC32, 0, HYP_PSCI_FEATURES, HYP_PSCI_CPU_ON, 0, 0),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], 0);
}

Test(smccc_defaults, features)
{
	static const struct {
		uint32_t fn;
		int64_t ret;
	} psci[] = {
	    {HYP_PSCI_VERSION, 0},
	    {HYP_PSCI_CPU_SUSPEND, 0},
	    {0xc4000001, 0},
	    {HYP_PSCI_CPU_OFF, 0},
	    {HYP_PSCI_CPU_ON, 0},
	    {0xc4000003, 0},
	    {HYP_PSCI_AFFINITY_INFO, 0},
	    {0xc4000004, 0},
	    {HYP_PSCI_MIGRATE_INFO_TYPE, 0},
	    {HYP_PSCI_SYSTEM_OFF, 0},
	    {HYP_PSCI_SYSTEM_RESET, 0},
	    {HYP_PSCI_FEATURES, 0},
	    {HYP_SMCCC_VERSION, 0},
	    {HYP_PSCI_MIGRATE, -1},
	    {HYP_PSCI_MIGRATE_INFO_UP_CPU, -1},
	    {0x8400000e, -1}, /* SYSTEM_SUSPEND */
	    {0xc6000000, -1},
	};
	for (size_t i = 0; i < sizeof(psci) / sizeof(psci[0]); i++) {
		hvc(HYP_PSCI_FEATURES, 0xffffffff00000000ull | psci[i].fn, 0, 0);
		cr_assert_eq(vcpu.regs.x[0], (uint64_t)psci[i].ret, "PSCI_FEATURES(%#x)",
			     psci[i].fn);
	}
	hvc(HYP_SMCCC_ARCH_FEATURES, HYP_SMCCC_VERSION, 0, 0);
	cr_assert_eq(vcpu.regs.x[0], 0);
	hvc(HYP_SMCCC_ARCH_FEATURES, HYP_SMCCC_ARCH_FEATURES, 0, 0);
	cr_assert_eq(vcpu.regs.x[0], 0);
	hvc(HYP_SMCCC_ARCH_FEATURES, 0x80008000, 0, 0);
	cr_assert_eq(vcpu.regs.x[0], ~0ull);
	hvc(HYP_SMCCC_ARCH_FEATURES, HYP_PSCI_VERSION, 0, 0);
	cr_assert_eq(vcpu.regs.x[0], ~0ull, "not an Arm architecture call");
}

Test(smccc_defaults, cpu_on_and_affinity_info_without_callbacks)
{
	/* Own MPIDR: already on; anything else: no such CPU. */
	hvc(HYP_PSCI_CPU_ON, 0x102, 0x40000000, 0);
	cr_assert_eq((int64_t)vcpu.regs.x[0], HYP_PSCI_ALREADY_ON);
	hvc(0xc4000003, 0x103, 0x40000000, 0);
	cr_assert_eq((int64_t)vcpu.regs.x[0], HYP_PSCI_INVALID_PARAMETERS);
	hvc(HYP_PSCI_CPU_ON, 0x1000000102ull, 0, 0); /* SMC32: Aff3 truncated away */
	cr_assert_eq((int64_t)vcpu.regs.x[0], HYP_PSCI_ALREADY_ON);
	hvc(0xc4000003, 0x1000000102ull, 0, 0); /* SMC64: Aff3 = 0x10 */
	cr_assert_eq((int64_t)vcpu.regs.x[0], HYP_PSCI_INVALID_PARAMETERS);
	hvc(0xc4000003, 1ull << 24, 0, 0); /* bits outside the affinity fields */
	cr_assert_eq((int64_t)vcpu.regs.x[0], HYP_PSCI_INVALID_PARAMETERS);

	hvc(HYP_PSCI_AFFINITY_INFO, 0x102, 0, 0);
	cr_assert_eq(vcpu.regs.x[0], HYP_PSCI_AFF_ON);
	hvc(HYP_PSCI_AFFINITY_INFO, 0x1ff, 1, 0); /* level 1: Aff0 ignored */
	cr_assert_eq(vcpu.regs.x[0], HYP_PSCI_AFF_ON);
	hvc(HYP_PSCI_AFFINITY_INFO, 0x1ff, 0, 0);
	cr_assert_eq((int64_t)vcpu.regs.x[0], HYP_PSCI_INVALID_PARAMETERS);
	hvc(HYP_PSCI_AFFINITY_INFO, 0x102, 4, 0);
	cr_assert_eq((int64_t)vcpu.regs.x[0], HYP_PSCI_INVALID_PARAMETERS);
}

Test(smccc_defaults, power_calls_exit_to_the_run_loop)
{
	static const struct {
		uint32_t fn;
		int64_t x0;
	} cases[] = {
	    {HYP_PSCI_CPU_OFF, HYP_PSCI_DENIED},
	    {HYP_PSCI_SYSTEM_OFF, HYP_PSCI_INTERNAL_FAILURE},
	    {HYP_PSCI_SYSTEM_RESET, HYP_PSCI_INTERNAL_FAILURE},
	    {HYP_PSCI_CPU_SUSPEND, HYP_PSCI_SUCCESS}, /* a standby: the run loop waits */
	    {0xc4000001, HYP_PSCI_SUCCESS},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(hvc(cases[i].fn, 0, 0, 0), HYP_FAST_EXIT);
		cr_assert_eq((int64_t)vcpu.regs.x[0], cases[i].x0);
		cr_assert_eq(vcpu.exit.valid, HYP_EXIT_V_SMCCC);
		cr_assert_eq(vcpu.exit.smccc_fn, cases[i].fn);
	}
}

Test(smccc_ops, callbacks_get_the_arguments)
{
	cb.ret = HYP_PSCI_ON_PENDING;
	cr_assert_eq(hvc(0xc4000003, 0xff00ffffffull, 0x80000000ull << 8, 0x1234567890ull),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(cb.calls, 1);
	cr_assert_eq(cb.ctx, (void *)0xc0);
	cr_assert_eq(cb.a, 0xff00ffffffull);
	cr_assert_eq(cb.b, 0x80000000ull << 8);
	cr_assert_eq(cb.c, 0x1234567890ull);
	cr_assert_eq((int64_t)vcpu.regs.x[0], HYP_PSCI_ON_PENDING);

	/* SMC32: arguments truncated to 32 bits. */
	cb.ret = HYP_PSCI_SUCCESS;
	hvc(HYP_PSCI_CPU_ON, 0xffffffff00000003ull, 0xffffffff40000000ull, 0x1234567890ull);
	cr_assert_eq(cb.a, 3);
	cr_assert_eq(cb.b, 0x40000000);
	cr_assert_eq(cb.c, 0x34567890);
	cr_assert_eq(vcpu.regs.x[0], 0);

	cb.ret = HYP_PSCI_AFF_OFF;
	hvc(0xc4000004, 0x300, 1, 0);
	cr_assert_eq(cb.a, 0x300);
	cr_assert_eq(cb.level, 1);
	cr_assert_eq(vcpu.regs.x[0], HYP_PSCI_AFF_OFF);

	/* An invalid affinity never reaches the callback. */
	cb.calls = 0;
	hvc(HYP_PSCI_CPU_ON, 0xff000000, 0, 0);
	cr_assert_eq(cb.calls, 0);
	cr_assert_eq((int64_t)vcpu.regs.x[0], HYP_PSCI_INVALID_PARAMETERS);

	cb.ret = HYP_PSCI_SUCCESS;
	cr_assert_eq(hvc(0xc4000001, 0x10000, 0x4000, 0x99), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(cb.a, 0x10000);
	cr_assert_eq(cb.b, 0x4000);
	cr_assert_eq(cb.c, 0x99);

	cb.calls = 0;
	cr_assert_eq(hvc(HYP_PSCI_SYSTEM_RESET, 0, 0, 0), HYP_FAST_EXIT);
	cr_assert_eq(hvc(HYP_PSCI_CPU_OFF, 0, 0, 0), HYP_FAST_EXIT);
	cr_assert_eq(cb.calls, 2);
	cr_assert_eq(vcpu.exit.smccc_fn, HYP_PSCI_CPU_OFF);
}

Test(smccc_ops, other_services_go_to_the_integrator)
{
	cr_assert_eq(hvc(0xc6000042, 0, 0, 0), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(other_calls, 1);
	cr_assert_eq(other_fn, 0xc6000042);
	cr_assert_eq(vcpu.regs.x[0], 0x600d);
	cr_assert_eq(vcpu.regs.x[1], 0x600e);
	hvc(HYP_SMCCC_ARCH_FEATURES, 0x80008000, 0, 0);
	cr_assert_eq(vcpu.regs.x[0], 1, "the integrator's ARCH_FEATURES answer");
	/* PSCI stays libhyp's. */
	hvc(HYP_PSCI_VERSION, 0, 0, 0);
	cr_assert_eq(other_calls, 1);
}

Test(smccc_defaults, register_is_all_or_nothing)
{
	struct hyp_fast_table t, before;

	hyp_fast_table_init(&t);
	cr_assert_eq(hyp_fast_register(&t, HYP_EC_SMC32, hyp_wfx_trap, NULL), HYP_OK);
	before = t;
	cr_assert_eq(hyp_smccc_register(&t, &defaults), HYP_EEXIST);
	cr_assert_eq(memcmp(&t, &before, sizeof(t)), 0);
	cr_assert_eq(hyp_smccc_register(NULL, &defaults), HYP_EINVAL);
}

Test(smccc_defaults, psci_vcpu_reset)
{
	struct hyp_vcpu v;

	cr_assert_eq(hyp_vcpu_init(&v, HYP_HCR_RW, NULL), HYP_OK);
	v.regs.x[5] = 5;
	v.regs.pstate = 0;
	cr_assert_eq(hyp_psci_vcpu_reset(&v, 0x40080000, 0xabc), HYP_OK);
	cr_assert_eq(v.regs.pc, 0x40080000);
	cr_assert_eq(v.regs.x[0], 0xabc);
	cr_assert_eq(v.regs.x[5], 0);
	cr_assert_eq(v.regs.pstate, 0x3c5);
	v.live = 1;
	v.regs.x[5] = 5;
	cr_assert_eq(hyp_psci_vcpu_reset(&v, 0, 0), HYP_ESTATE);
	cr_assert_eq(v.regs.x[5], 5);
}

/* ---- WFx ---- */

Test(smccc_defaults, wfx_policy)
{
	static const struct hyp_wfx_policy skip_wfe = {.wfi = HYP_WFX_EXIT, .wfe = HYP_WFX_SKIP};

	cr_assert_eq(hyp_fast_register(&table, HYP_EC_WFX, hyp_wfx_trap, (void *)&skip_wfe),
		     HYP_OK);
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_WFX, HYP_ESR_WFX_TI_WFE), PC, HYP_PSR_M_EL1H);
	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), PC + 4);

	sw_exit(&cpu, &vcpu, ESR(HYP_EC_WFX, HYP_ESR_WFX_TI_WFI), PC, HYP_PSR_M_EL1H);
	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_EXIT);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), PC, "left for the run loop");
	cr_assert_eq(hyp_sim_total(&cpu), 1);

	/* WFET counts as WFE. */
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_WFX, HYP_ESR_WFX_TI_WFET), PC, HYP_PSR_M_EL1H);
	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_RESUME_X0_X18);

	/* No policy: exit. */
	cr_assert_eq(hyp_fast_unregister(&table, HYP_EC_WFX, hyp_wfx_trap), HYP_OK);
	cr_assert_eq(hyp_fast_register(&table, HYP_EC_WFX, hyp_wfx_trap, NULL), HYP_OK);
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_WFX, HYP_ESR_WFX_TI_WFE), PC, HYP_PSR_M_EL1H);
	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_EXIT);
}
