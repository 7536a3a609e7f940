/* SPDX-License-Identifier: MIT */
/*
 * Every public function of libhyp (all headers in include/libhyp/) with bad arguments:
 * NULL pointers and out-of-range values. Each call must return its
 * documented error (or sentinel), must not crash, and must change nothing:
 * the simulated CPU is byte-identical afterwards (no access counted, no
 * event logged, no register changed), and so are the structures handed in.
 *
 * The rule (CONTRIBUTING.md, "Bad arguments"): a function that takes a
 * pointer checks it and returns HYP_EINVAL (a void function does nothing, a
 * query returns its "nothing" value: 0, false, NULL, "?"), except the
 * hot-path functions listed in EXEMPT below, whose contract says the
 * pointer must be valid, and pure functions of integers (esr.h decoders,
 * hyp_tlbi_operand(), ...), for which every value is an input.
 *
 * Sections:
 * 1. error, regdefs, cpufeat, sysreg, hw (the simulated CPU), pure
 *    functions: enabled.
 * 2. switch, vgic, stage2/pgtable.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/esr.h>
#include <libhyp/hw.h>
#include <libhyp/pgtable.h>
#include <libhyp/regdefs.h>
#include <libhyp/el2_pgtable.h>
#include <libhyp/stage2.h>
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>
#include <libhyp/vgic.h>


/*
 * EXEMPT (hot path, the contract says the pointer must be valid; documented
 * in their headers): hyp_sysreg_enter, hyp_sysreg_exit,
 * hyp_sysreg_mask_test, hyp_sysreg_save_masked, hyp_sysreg_restore_masked,
 * hyp_sysreg_vcpu_read/hyp_sysreg_vcpu_write (macros), hyp_cpufeat_vm_has,
 * hyp_switch_prepare, hyp_switch_complete, hyp_switch_sync_exit,
 * hyp_exit_capture_fault, hyp_switch_el2_fault, hyp_vcpu_get_x,
 * hyp_vcpu_set_x, hyp_fpsimd_save, hyp_fpsimd_restore, hyp_vcpu_run (the
 * world switch itself, aarch64 only: not in the host build), hyp_walk_set_pte
 * (only inside a walker visitor, with the walker's context),
 * hyp_pgtable_level_size, the stage-2 hardware hooks hyp_pgtable_*_hw
 * (called by the walker with its own table), and the simulated CPU's seam
 * entry points hyp_sim_sysreg_read ... hyp_sim_pte_cas (the hardware
 * itself: misuse goes to the simulation's failure handler).
 */

static struct hyp_sim_cpu sim, sim_before;
static struct hyp_cpufeat_cache cf_before;
static struct hyp_cpufeat_cpu cpus[2];

/* A simulated CPU on which every register of the table is defined, so that
 * a stray access is counted (and shows) rather than aborting the test. */
static void sim_up(void)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	cr_assert_eq(hyp_sim_define_table(&sim, 0xffffu, true), 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000011111112);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, 0x00101122);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0x9);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_VTR_EL2, 0x90000003);
}

static void boot(void)
{
	sim_up();
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_init(cpus, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	hyp_sim_reset_counts(&sim);
}

static void snap(void)
{
	memcpy(&sim_before, &sim, sizeof(sim));
	memcpy(&cf_before, &hyp_cpufeat, sizeof(hyp_cpufeat));
}

/* Nothing touched: no hardware access, no register, no cpufeat state. */
static void unchanged(const char *what)
{
	cr_assert_eq(hyp_sim_total(&sim), 0, "%s: %u hardware accesses", what, hyp_sim_total(&sim));
	cr_assert(!memcmp(&sim, &sim_before, sizeof(sim)), "%s changed the simulated CPU", what);
	cr_assert(!memcmp(&hyp_cpufeat, &cf_before, sizeof(hyp_cpufeat)),
		  "%s changed the cpufeat cache", what);
}

#define FILL(x) memset(&(x), 0xa5, sizeof(x))
#define SAME(x, copy) cr_assert(!memcmp(&(x), &(copy), sizeof(x)), #x " changed")

static void fini(void)
{
	hyp_cpufeat_reset();
	hyp_sim_set_current(NULL);
}

TestSuite(bad_args, .init = boot, .fini = fini);

/* ------------------------------------------------------------------ */
/* 1. error.h, regdefs.h                                               */
/* ------------------------------------------------------------------ */

Test(bad_args, error_and_regdefs_out_of_range)
{
	snap();
	cr_assert_str_eq(hyp_strerror(1), "unknown error");
	cr_assert_str_eq(hyp_strerror(-9999), "unknown error");
	cr_assert_str_eq(hyp_error_name(1), "HYP_E?");
	cr_assert_str_eq(hyp_error_name(-9999), "HYP_E?");
	cr_assert_eq(hyp_sysreg_lookup(0), HYP_ENOENT);
	cr_assert_eq(hyp_sysreg_lookup(0x10000), HYP_ENOENT);
	cr_assert_eq(hyp_sysreg_lookup(0xffffffffu), HYP_ENOENT);
	cr_assert_str_eq(hyp_sysreg_name(0), "?");
	cr_assert_str_eq(hyp_sysreg_name(0xffffffffu), "?");
	cr_assert_str_eq(hyp_cap_name(HYP_CAP_COUNT), "?");
	cr_assert_str_eq(hyp_cap_name(~0u), "?");
	unchanged("error/regdefs");
}

/* ------------------------------------------------------------------ */
/* cpufeat.h                                                           */
/* ------------------------------------------------------------------ */

Test(bad_args, cpufeat_init_probe_finalize)
{
	struct hyp_cpufeat_cpu c[2];
	struct hyp_cpufeat_mismatch mm[2];
	unsigned nr = 77;

	FILL(c);
	FILL(mm);
	struct hyp_cpufeat_cpu c0;
	memcpy(&c0, &c, sizeof(c0));
	/* finalized: init, probe of a used slot and finalize are refused */
	snap();
	cr_assert_eq(hyp_cpufeat_init(NULL, 1), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_init(c, 0), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_init(c, 2), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_probe_cpu(1), HYP_ERANGE);
	cr_assert_eq(hyp_cpufeat_probe_cpu(~0u), HYP_ERANGE);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), HYP_EEXIST);
	cr_assert_eq(hyp_cpufeat_finalize(mm, 2, &nr), HYP_ESTATE);
	cr_assert_eq(nr, 77);
	cr_assert_eq(hyp_cpufeat_verify_assumed(), 0);
	unchanged("cpufeat after finalize");
	cr_assert(!memcmp(&c[0], &c0, sizeof(c0)));

	/* before init */
	hyp_cpufeat_reset();
	snap();
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_finalize(mm, 2, &nr), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_verify_assumed(), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_vm_init(NULL, NULL, 0), HYP_ESTATE);
	unchanged("cpufeat before init");
	/* initialised, nothing probed */
	cr_assert_eq(hyp_cpufeat_init(cpus, 2), 0);
	snap();
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), HYP_ESTATE);
	unchanged("finalize without a probed CPU");
}

/* The bridges (issue 13): NULL, out of range, wrong state; nothing changed. */
Test(bad_args, cpufeat_bridges)
{
	struct hyp_pgtable_cfg cfg, cfg0;
	const struct hyp_cpufeat_idval ok[] = {
		{ HYP_REG_ID_AA64PFR0_EL1, 0x1100000011111112 },
		{ HYP_REG_ID_AA64MMFR0_EL1, 0x00101122 },
		{ HYP_REG_CTR_EL0, 0x8444c004 },
	};
	const struct hyp_cpufeat_idval bad_reg[] = { ok[0], ok[1], ok[2], { 0xffff, 0 } };

	FILL(cfg);
	cfg0 = cfg;
	snap();
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(NULL, 40), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 0), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 24), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 49), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, ~0u), HYP_EINVAL);
	/* finalized already */
	cr_assert_eq(hyp_cpufeat_import(ok, 3), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_import(NULL, 0), HYP_ESTATE);
	SAME(cfg, cfg0);
	unchanged("bridges after finalize");

	hyp_cpufeat_reset();
	snap();
	cr_assert_eq(hyp_pgtable_cfg_from_cpufeat(&cfg, 40), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_import(ok, 3), HYP_ESTATE); /* before init */
	SAME(cfg, cfg0);
	unchanged("bridges before init");

	cr_assert_eq(hyp_cpufeat_init(cpus, 2), 0);
	snap();
	struct hyp_cpufeat_cpu cpus0[2];
	memcpy(cpus0, cpus, sizeof(cpus));
	cr_assert_eq(hyp_cpufeat_import(NULL, 3), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_import(ok, 0), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_import(bad_reg, 4), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_import(ok, 2), HYP_EINVAL); /* CTR_EL0 missing */
	SAME(cpus, cpus0);
	unchanged("import with bad arguments");
}

Test(bad_args, cpufeat_queries)
{
	uint64_t id[HYP_REG_COUNT] = { 0 };
	struct hyp_cpufeat_vm vm, vm0;
	enum hyp_cap bad[] = { HYP_CAP_NONE, HYP_CAP_S2_4K, HYP_CAP_COUNT, (enum hyp_cap)-1 };
	uint64_t val = 0x1234;

	FILL(vm);
	memcpy(&vm0, &vm, sizeof(vm));
	snap();
	cr_assert(!hyp_cpufeat_eval(NULL, HYP_CAP_NONE));
	cr_assert(!hyp_cpufeat_eval(id, HYP_CAP_COUNT));
	cr_assert(!hyp_cpufeat_eval(id, ~0u));
	cr_assert_eq(hyp_cpufeat_pa_bits(~0ull), 52); /* reserved PARange: the largest */
	cr_assert(!hyp_cpu_has(HYP_CAP_COUNT));
	cr_assert(!hyp_cpu_has((enum hyp_cap)-1));
	cr_assert_eq(hyp_cpu_idreg(HYP_REG_COUNT), 0);
	cr_assert_eq(hyp_cpu_idreg((enum hyp_sysreg_id)-1), 0);
	cr_assert_eq(hyp_cap_assumed(HYP_CAP_COUNT), -1);
	cr_assert_eq(hyp_cpufeat_vm_init(NULL, NULL, 0), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, NULL, 1), HYP_EINVAL);
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(hyp_cpufeat_vm_init(&vm, &bad[i], 1), HYP_EINVAL, "hide %d", bad[i]);
	SAME(vm, vm0);
	cr_assert_eq(hyp_cpufeat_vm_init(&vm, NULL, 0), 0);
	memcpy(&vm0, &vm, sizeof(vm));
	cr_assert(!hyp_cpufeat_vm_has(&vm, HYP_CAP_COUNT));
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(NULL, HYP_SYS_ID_AA64PFR0_EL1, &val), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, HYP_SYS_ID_AA64PFR0_EL1, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, 0, &val), HYP_ENOENT);
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, 0xffffffffu, &val), HYP_ENOENT);
	cr_assert_eq(hyp_cpufeat_vm_read_idreg(&vm, HYP_SYS_SCTLR_EL1, &val), HYP_ENOENT);
	cr_assert_eq(val, 0x1234);
	SAME(vm, vm0);
	unchanged("cpufeat queries");
}

/* ------------------------------------------------------------------ */
/* sysreg.h                                                            */
/* ------------------------------------------------------------------ */

static struct hyp_sysreg_vm svm;
static struct hyp_sysreg_vcpu svcpu;

static void sysreg_up(void)
{
	struct hyp_sysreg_vm_config c = { .default_policy = HYP_SYSREG_DEFERRED };

	cr_assert_eq(hyp_sysreg_vm_init(&svm, &c, NULL), 0);
	cr_assert_eq(hyp_sysreg_vcpu_init(&svcpu, &svm), 0);
}

Test(bad_args, sysreg_vm_and_vcpu_init)
{
	struct hyp_sysreg_vm vm, vm0;
	struct hyp_sysreg_vcpu vcpu, vcpu0;
	struct hyp_sysreg_vm_config c = { .default_policy = HYP_SYSREG_DEFERRED };
	unsigned bad;

	FILL(vm);
	FILL(vcpu);
	memcpy(&vm0, &vm, sizeof(vm));
	memcpy(&vcpu0, &vcpu, sizeof(vcpu));
	snap();
	cr_assert_eq(hyp_sysreg_vm_init(NULL, &c, &bad), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_vm_init(&vm, NULL, &bad), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_vm_init(&vm, NULL, NULL), HYP_EINVAL);
	c.nr_req = 1; /* requests without storage */
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	c.nr_req = 0;
	c.default_policy = HYP_SYSREG_LAZY + 1;
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	c.default_policy = HYP_SYSREG_DEFERRED;
	c.host = (enum hyp_sysreg_host)(HYP_SYSREG_HOST_EL1 + 1);
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	SAME(vm, vm0);
	cr_assert_eq(hyp_sysreg_vcpu_init(NULL, &svm), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_vcpu_init(&vcpu, NULL), HYP_EINVAL);
	SAME(vcpu, vcpu0);
	unchanged("sysreg init");
}

Test(bad_args, sysreg_load_put_lazy)
{
	struct hyp_sysreg_vcpu orphan, orphan0;

	sysreg_up();
	memset(&orphan, 0, sizeof(orphan)); /* never attached to a VM */
	memcpy(&orphan0, &orphan, sizeof(orphan));
	snap();
	cr_assert_eq(hyp_sysreg_load(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_put(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_lazy_load(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_load(&orphan), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_put(&orphan), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_lazy_load(&orphan), HYP_EINVAL);
	SAME(orphan, orphan0);
	/* the wrong state */
	struct hyp_sysreg_vcpu v0;
	memcpy(&v0, &svcpu, sizeof(v0));
	cr_assert_eq(hyp_sysreg_put(&svcpu), HYP_ESTATE);
	cr_assert_eq(hyp_sysreg_lazy_load(&svcpu), HYP_ESTATE);
	SAME(svcpu, v0);
	unchanged("sysreg load/put");
}

static int handler(struct hyp_sysreg_vcpu *v, struct hyp_sysreg_access *a, void *ctx)
{
	(void)v;
	(void)a;
	(void)ctx;
	return HYP_SYSREG_HANDLED;
}

Test(bad_args, sysreg_decode_traps_accessors)
{
	struct hyp_sysreg_access a, a0;
	struct hyp_sysreg_trap_entry unsorted[] = { { 0x20, handler, NULL }, { 0x10, handler, NULL } };
	struct hyp_sysreg_trap_entry nofn[] = { { 0x10, NULL, NULL } };
	struct hyp_sysreg_trap_table t;
	struct hyp_sysreg_vcpu v0;

	sysreg_up();
	memcpy(&v0, &svcpu, sizeof(v0));
	FILL(a);
	memcpy(&a0, &a, sizeof(a));
	snap();
	/* an MSR/MRS syndrome (EC 0x18) with no output */
	cr_assert_eq(hyp_sysreg_decode(0x18ull << 26, NULL), HYP_EINVAL);
	/* another class */
	cr_assert_eq(hyp_sysreg_decode(0x16ull << 26, &a), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_decode(~0ull, &a), HYP_EINVAL);
	SAME(a, a0);
	cr_assert_eq(hyp_sysreg_trap_table_check(NULL), HYP_EINVAL);
	t = (struct hyp_sysreg_trap_table){ NULL, 1 };
	cr_assert_eq(hyp_sysreg_trap_table_check(&t), HYP_EINVAL);
	t = (struct hyp_sysreg_trap_table){ unsorted, 2 };
	cr_assert_eq(hyp_sysreg_trap_table_check(&t), HYP_EINVAL);
	t = (struct hyp_sysreg_trap_table){ nofn, 1 };
	cr_assert_eq(hyp_sysreg_trap_table_check(&t), HYP_EINVAL);
	cr_assert_null(hyp_sysreg_trap_find(NULL, 0x10));
	cr_assert_eq(hyp_sysreg_handle_trap(NULL, &a, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_handle_trap(&svcpu, NULL, NULL), HYP_EINVAL);
	SAME(a, a0);
	cr_assert_eq(hyp_sysreg_vcpu_read_id(NULL, 0), 0);
	cr_assert_eq(hyp_sysreg_vcpu_read_id(&svcpu, HYP_REG_COUNT), 0);
	cr_assert_eq(hyp_sysreg_vcpu_read_id(&svcpu, ~0u), 0);
	cr_assert_eq(hyp_sysreg_vcpu_write_id(NULL, 0, 1), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_vcpu_write_id(&svcpu, HYP_REG_COUNT, 1), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_vcpu_write_id(&svcpu, ~0u, 1), HYP_EINVAL);
	cr_assert_str_eq(hyp_sysreg_policy_name(HYP_SYSREG_LAZY + 1), "?");
	cr_assert_str_eq(hyp_sysreg_policy_name(~0u), "?");
	SAME(svcpu, v0);
	unchanged("sysreg decode/traps/accessors");
}

/* ------------------------------------------------------------------ */
/* hw: the simulated CPU's configuration API (hw/sim.h)               */
/* ------------------------------------------------------------------ */

Test(bad_args, sim_null_cpu)
{
	struct hyp_sim_mmio region = { .base = 0x1000, .size = 0x1000 };
	uint64_t val = 0x77;

	snap();
	hyp_sim_init(NULL);
	hyp_sim_reset_counts(NULL);
	hyp_sim_set_fail(NULL, NULL, NULL);
	cr_assert_eq(hyp_sim_reg_define(NULL, HYP_SYS_SCTLR_EL1, 1), HYP_EINVAL);
	cr_assert_eq(hyp_sim_reg_define(&sim, 0, 1), HYP_EINVAL); /* op0 0 */
	cr_assert_eq(hyp_sim_reg_define(&sim, 0x3fff, 1), HYP_EINVAL);
	cr_assert_eq(hyp_sim_define_table(NULL, HYP_RF_ID, true), HYP_EINVAL);
	cr_assert_eq(hyp_sim_reg_hooks(NULL, HYP_SYS_SCTLR_EL1, NULL, NULL, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sim_reg_hooks(&sim, 0x1234, NULL, NULL, NULL), HYP_ENOENT);
	cr_assert_eq(hyp_sim_reg_peek(NULL, HYP_SYS_SCTLR_EL1, &val), HYP_EINVAL);
	cr_assert_eq(hyp_sim_reg_peek(&sim, HYP_SYS_SCTLR_EL1, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sim_reg_peek(&sim, 0x1234, &val), HYP_ENOENT);
	cr_assert_eq(val, 0x77);
	cr_assert_eq(hyp_sim_reg_reads(NULL, HYP_SYS_SCTLR_EL1), 0);
	cr_assert_eq(hyp_sim_reg_writes(NULL, HYP_SYS_SCTLR_EL1), 0);
	cr_assert_eq(hyp_sim_mmio_add(NULL, &region), HYP_EINVAL);
	cr_assert_eq(hyp_sim_mmio_add(&sim, NULL), HYP_EINVAL);
	region.size = 0;
	cr_assert_eq(hyp_sim_mmio_add(&sim, &region), HYP_EINVAL);
	region = (struct hyp_sim_mmio){ .base = ~0ull - 10, .size = 0x1000 };
	cr_assert_eq(hyp_sim_mmio_add(&sim, &region), HYP_EINVAL);
	cr_assert_eq(hyp_sim_log_find(NULL, 0, HYP_SIM_ISB, ~0ull), -1);
	cr_assert_eq(hyp_sim_total(NULL), 0);
	cr_assert_str_eq(hyp_sim_kind_name(HYP_SIM_KIND_COUNT), "?");
	unchanged("sim configuration");
}

/* ------------------------------------------------------------------ */
/* Pure functions of integers (esr.h, hw.h): every value is an input;   */
/* the result stays in its field's range and no hardware is touched.   */
/* ------------------------------------------------------------------ */

Test(bad_args, pure_functions_of_integers)
{
	const uint64_t all = ~0ull;

	snap();
	cr_assert_leq(hyp_esr_ec(all), 0x3f);
	cr_assert_leq(hyp_esr_iss(all), 0x1ffffff);
	cr_assert_leq(hyp_esr_iss2(all), 0xffffff);
	cr_assert_leq(hyp_esr_da_size(all), 8);
	cr_assert_leq(hyp_esr_da_srt(all), 31);
	cr_assert_leq(hyp_esr_abt_fsc(all), 0x3f);
	cr_assert_leq(hyp_esr_fsc_level(all), 3);
	cr_assert_leq(hyp_esr_sys_op0(all), 3);
	cr_assert_leq(hyp_esr_sys_op1(all), 7);
	cr_assert_leq(hyp_esr_sys_crn(all), 15);
	cr_assert_leq(hyp_esr_sys_crm(all), 15);
	cr_assert_leq(hyp_esr_sys_op2(all), 7);
	cr_assert_leq(hyp_esr_sys_rt(all), 31);
	cr_assert_eq(hyp_esr_sys_enc(all), 0xffff);
	cr_assert_leq(hyp_esr_imm16(all), 0xffff);
	cr_assert_leq(hyp_esr_wfx_ti(all), 3);
	cr_assert_leq(hyp_esr_wfx_rn(all), 31);
	cr_assert_leq(hyp_esr_cond(all), 15);
	(void)hyp_esr_il32(all);
	(void)hyp_esr_da_isv(all);
	(void)hyp_esr_da_sse(all);
	(void)hyp_esr_da_sf(all);
	(void)hyp_esr_da_ar(all);
	(void)hyp_esr_da_wnr(all);
	(void)hyp_esr_abt_s1ptw(all);
	(void)hyp_esr_abt_fnv(all);
	(void)hyp_esr_abt_ea(all);
	(void)hyp_esr_da_cm(all);
	(void)hyp_esr_fsc_type(all);
	(void)hyp_esr_sys_is_read(all);
	(void)hyp_esr_wfx_is_wfe(all);
	(void)hyp_esr_wfx_rv(all);
	(void)hyp_esr_cv(all);
	(void)hyp_esr_cond_passed(all, all);
	(void)hyp_fault_ipa(all, all);
	(void)hyp_tlbi_operand(all, ~0u);
	/* an unknown granule shift is 4K (TG 0b01, bits [47:46]): no
	 * out-of-range shift (UBSan caught one here) */
	cr_assert_eq(hyp_tlbi_range_operand(all, ~0u, ~0u, ~0u, ~0u) >> 46, 1);
	(void)hyp_vtimer_cnthctl(all, true, true, true);
	cr_assert(!hyp_pte_is_table(0, 3));
	cr_assert(!hyp_pte_is_leaf(0, 0));
	unchanged("pure functions");
}

/* ------------------------------------------------------------------ */
/* 2. switch.h                                                         */
/* ------------------------------------------------------------------ */

static struct hyp_fast_table ft;
static struct hyp_vcpu vv;

static int fast_fn(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)v;
	(void)esr;
	(void)self;
	return HYP_FAST_EXIT;
}

static void switch_up(void)
{
	hyp_fast_table_init(&ft);
	cr_assert_eq(hyp_vcpu_init(&vv, HYP_HCR_RW | HYP_HCR_VM, &ft), 0);
}

Test(bad_args, switch_vcpu_init)
{
	switch_up();
	struct hyp_vcpu v0;
	memcpy(&v0, &vv, sizeof(vv));
	snap();
	cr_assert_eq(hyp_vcpu_init(NULL, HYP_HCR_RW, &ft), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_init(&vv, HYP_HCR_RW | HYP_HCR_TGE, &ft), HYP_EINVAL);
	SAME(vv, v0);
	unchanged("hyp_vcpu_init");
}

Test(bad_args, switch_fast_table)
{
	switch_up();
	struct hyp_fast_table t0;
	memcpy(&t0, &ft, sizeof(ft));
	snap();
	cr_assert_eq(hyp_fast_register(NULL, HYP_EC_SYS64, fast_fn, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_fast_register(&ft, HYP_EC_MAX + 1, fast_fn, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_fast_register(&ft, HYP_EC_SYS64, NULL, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_fast_unregister(NULL, HYP_EC_SYS64, fast_fn), HYP_EINVAL);
	cr_assert_eq(hyp_fast_unregister(&ft, HYP_EC_MAX + 1, fast_fn), HYP_EINVAL);
	cr_assert_eq(hyp_fast_unregister(&ft, HYP_EC_SYS64, fast_fn), HYP_ENOENT);
	SAME(ft, t0);
	unchanged("fast table");
}

Test(bad_args, switch_fast_table_null)
{
	struct hyp_smccc sm;

	switch_up();
	memset(&sm, 0, sizeof(sm));
	struct hyp_fast_table t0;
	memcpy(&t0, &ft, sizeof(ft));
	snap();
	hyp_fast_table_init(NULL);
	cr_assert_eq(hyp_smccc_register(NULL, &sm), HYP_EINVAL);
	cr_assert_eq(hyp_smccc_register(&ft, NULL), HYP_EINVAL);
	SAME(ft, t0);
	unchanged("fast table NULL");
}

Test(bad_args, switch_use_sysreg)
{
	switch_up();
	sysreg_up();
	struct hyp_sysreg_vcpu orphan = { 0 };
	struct hyp_vcpu v0;
	memcpy(&v0, &vv, sizeof(vv));
	snap();
	cr_assert_eq(hyp_vcpu_use_sysreg(NULL, &svcpu), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_use_sysreg(&vv, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_use_sysreg(&vv, &orphan), HYP_EINVAL);
	SAME(vv, v0);
	unchanged("hyp_vcpu_use_sysreg");
}

Test(bad_args, switch_vcpu_state_null)
{
	snap();
	cr_assert_eq(hyp_vcpu_pc(NULL), 0);
	hyp_vcpu_set_pc(NULL, 0x1000);
	cr_assert_eq(hyp_vcpu_pstate(NULL), 0);
	hyp_vcpu_set_pstate(NULL, 0);
	cr_assert_eq(hyp_vcpu_skip_insn(NULL), HYP_EINVAL);
	hyp_vcpu_update_hcr(NULL, 0, HYP_HCR_VI);
	cr_assert_eq(hyp_vcpu_set_line(NULL, HYP_VLINE_IRQ, true), HYP_EINVAL);
	cr_assert_eq(hyp_psci_vcpu_reset(NULL, 0x1000, 0), HYP_EINVAL);
	unchanged("vCPU state");
}

Test(bad_args, switch_vcpu_set_line_range)
{
	switch_up();
	struct hyp_vcpu v0;
	memcpy(&v0, &vv, sizeof(vv));
	snap();
	cr_assert_eq(hyp_vcpu_set_line(&vv, (enum hyp_vline)99, true), HYP_EINVAL);
	SAME(vv, v0);
	unchanged("hyp_vcpu_set_line");
}

Test(bad_args, switch_inject_null)
{
	snap();
	cr_assert_eq(hyp_inject_undef(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_inject_dabt(NULL, 0x1000, true), HYP_EINVAL);
	cr_assert_eq(hyp_inject_iabt(NULL, 0x1000), HYP_EINVAL);
	unchanged("inject");
}

Test(bad_args, switch_mmio_null)
{
	struct hyp_mmio m, m0;

	switch_up();
	FILL(m);
	memcpy(&m0, &m, sizeof(m));
	snap();
	cr_assert_eq(hyp_mmio_decode(NULL, &m), HYP_EINVAL);
	cr_assert_eq(hyp_mmio_decode(&vv, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_mmio_complete(NULL, &m, 0), HYP_EINVAL);
	cr_assert_eq(hyp_mmio_complete(&vv, NULL, 0), HYP_EINVAL);
	SAME(m, m0);
	unchanged("mmio");
}

Test(bad_args, switch_vtimer_null)
{
	snap();
	cr_assert_eq(hyp_vtimer_init(NULL, 0, 0), HYP_EINVAL);
	cr_assert_eq(hyp_vtimer_load(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vtimer_put(NULL), HYP_EINVAL);
	(void)hyp_vtimer_check(NULL, 0);
	unchanged("vtimer");
}

Test(bad_args, switch_vtimer_init_flags)
{
	switch_up();
	struct hyp_vcpu v0;
	memcpy(&v0, &vv, sizeof(vv));
	snap();
	cr_assert_eq(hyp_vtimer_init(&vv, 0xffffffffu, 0), HYP_EINVAL);
	SAME(vv, v0);
	unchanged("hyp_vtimer_init flags");
}

Test(bad_args, switch_fp_null)
{
	struct hyp_fp_ops ops = { 0 };
	struct hyp_fp_cpu c, c0;

	FILL(c);
	memcpy(&c0, &c, sizeof(c));
	snap();
	cr_assert_eq(hyp_fp_cpu_init(NULL, &ops, false, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_fp_cpu_init(&c, NULL, false, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_fp_cpu_init(&c, &ops, false, NULL), HYP_EINVAL); /* ops without functions */
	SAME(c, c0);
	hyp_fp_cpu_reclaim(NULL);
	hyp_fp_vcpu_put(NULL);
	unchanged("fp");
}

Test(bad_args, switch_lifecycle)
{
	struct hyp_vgic_vcpu orphan_gv;
	struct hyp_vcpu v0;

	switch_up();
	memset(&orphan_gv, 0, sizeof(orphan_gv)); /* no VM: not initialised */
	memcpy(&v0, &vv, sizeof(vv));
	snap();
	cr_assert_eq(hyp_vcpu_attach_vgic(NULL, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_attach_vgic(&vv, &orphan_gv), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_load(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_put(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_put(&vv), HYP_ESTATE); /* never loaded */
	cr_assert_eq(hyp_fp_vcpu_release(NULL), HYP_EINVAL);
	SAME(vv, v0);
	unchanged("vCPU lifecycle");
}

/* ------------------------------------------------------------------ */
/* vgic.h                                                             */
/* ------------------------------------------------------------------ */

Test(bad_args, vgic_hw_and_vm_init_null)
{
	struct hyp_vgic_hw hw, hw0;
	struct hyp_vgic vm, vm0;

	FILL(hw);
	FILL(vm);
	memcpy(&hw0, &hw, sizeof(hw));
	memcpy(&vm0, &vm, sizeof(vm));
	snap();
	cr_assert_eq(hyp_vgic_hw_init_v3(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_hw_init_v2(NULL, 0x08030000, 0x90000003), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_hw_init_v2(&hw, 0, 0x90000003), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_cpu_init(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_init(NULL, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_init(&vm, NULL), HYP_EINVAL);
	SAME(hw, hw0);
	SAME(vm, vm0);
	unchanged("vgic init");
}

Test(bad_args, vgic_refresh)
{
	struct hyp_vgic_vcpu orphan, o0;

	FILL(orphan);
	orphan.vm = NULL;
	memcpy(&o0, &orphan, sizeof(orphan));
	snap();
	cr_assert_eq(hyp_vgic_refresh(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_refresh(&orphan), HYP_EINVAL);
	SAME(orphan, o0);
	unchanged("hyp_vgic_refresh");
}

/* The MSR/MRS dispatcher's configuration and the vGIC/sysreg
 * binding. */
Test(bad_args, sysreg_dispatch_init)
{
	struct hyp_sysreg_trap_entry unsorted[] = { { 0x20, handler, NULL }, { 0x10, handler, NULL } };
	struct hyp_sysreg_trap_entry nofn[] = { { 0x10, NULL, NULL } };
	struct hyp_sysreg_trap_table t = { unsorted, 2 }, t2 = { nofn, 1 }, t3 = { NULL, 1 };
	struct hyp_sysreg_dispatch d, d0;

	FILL(d);
	memcpy(&d0, &d, sizeof(d));
	snap();
	cr_assert_eq(hyp_sysreg_dispatch_init(NULL, NULL, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_dispatch_init(&d, &t, NULL), HYP_EINVAL, "unsorted");
	cr_assert_eq(hyp_sysreg_dispatch_init(&d, &t2, NULL), HYP_EINVAL, "no handler");
	cr_assert_eq(hyp_sysreg_dispatch_init(&d, &t3, NULL), HYP_EINVAL, "no entries");
	SAME(d, d0);
	unchanged("hyp_sysreg_dispatch_init");
}

Test(bad_args, vgic_vcpu_bind_sysreg)
{
	struct hyp_vgic_vcpu gv, gv0;
	struct hyp_sysreg_vcpu sr, sr0;

	FILL(sr);
	memset(&gv, 0, sizeof(gv)); /* belongs to no vGIC: gv.vm == NULL */
	memcpy(&gv0, &gv, sizeof(gv));
	memcpy(&sr0, &sr, sizeof(sr));
	snap();
	cr_assert_eq(hyp_vgic_vcpu_bind_sysreg(NULL, &sr), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_vcpu_bind_sysreg(&gv, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_vcpu_bind_sysreg(&gv, &sr), HYP_EINVAL, "a vCPU of no vGIC");
	SAME(gv, gv0);
	SAME(sr, sr0);
	unchanged("hyp_vgic_vcpu_bind_sysreg");
}

Test(bad_args, vgic_irq_null)
{
	snap();
	cr_assert_null(hyp_vgic_get_irq(NULL, NULL, 32));
	cr_assert_eq(hyp_vgic_irq_raise(NULL, NULL, 32), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_lower(NULL, NULL, 32), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_set_level(NULL, NULL, 32, true), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_irq_map_hw(NULL, NULL, 32, 32), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_send_sgi(NULL, NULL, 0, 1, true), HYP_EINVAL);
	cr_assert(!hyp_vgic_vcpu_pending(NULL));
	unchanged("vgic irq");
}

Test(bad_args, vgic_switch_null)
{
	snap();
	cr_assert_eq(hyp_vgic_load(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_put(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_restore(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_save(NULL), HYP_EINVAL);
	unchanged("vgic load/put/save/restore");
}

Test(bad_args, vgic_mmio_null)
{
	struct hyp_sysreg_access a = { .enc = HYP_SYS_ICC_SGI1R_EL1 };
	uint64_t val = 0x55;

	snap();
	cr_assert_eq(hyp_vgic_sgi_trap(NULL, &a, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_dist_access(NULL, NULL, 0, 4, false, &val), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_redist_access(NULL, NULL, 0, 4, false, &val), HYP_EINVAL);
	cr_assert_eq(hyp_vgic_mmio(NULL, NULL, 0x08000000, 4, false, &val), HYP_EINVAL);
	cr_assert_eq(val, 0x55);
	unchanged("vgic mmio");
}

/* ------------------------------------------------------------------ */
/* stage2.h / pgtable.h                                               */
/* ------------------------------------------------------------------ */

Test(bad_args, stage2_init_null)
{
	struct hyp_pgtable pgt, pgt0;
	struct hyp_pgtable_cfg cfg = { 0 };
	struct hyp_pgtable_ops ops = { 0 };

	FILL(pgt);
	memcpy(&pgt0, &pgt, sizeof(pgt));
	snap();
	cr_assert_eq(hyp_s2_init(NULL, &cfg, &ops, NULL, 1), HYP_EINVAL);
	cr_assert_eq(hyp_s2_init(&pgt, NULL, &ops, NULL, 1), HYP_EINVAL);
	cr_assert_eq(hyp_s2_init(&pgt, &cfg, NULL, NULL, 1), HYP_EINVAL);
	cr_assert_eq(hyp_el2_init(NULL, &cfg, &ops, NULL, 0), HYP_EINVAL);
	cr_assert_eq(hyp_el2_init(&pgt, NULL, &ops, NULL, 0), HYP_EINVAL);
	cr_assert_eq(hyp_el2_init(&pgt, &cfg, NULL, NULL, 0), HYP_EINVAL);
	SAME(pgt, pgt0);
	unchanged("stage2 init");
}

Test(bad_args, stage2_ops_null)
{
	uint64_t bitmap = 0x77, pa = 0x88;
	hyp_pte_t pte = 0x99;
	unsigned int level = 9, prot = 9;

	snap();
	cr_assert_eq(hyp_s2_load(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_s2_map(NULL, 0, 0x1000, 0, HYP_PROT_R, 0), HYP_EINVAL);
	cr_assert_eq(hyp_s2_unmap(NULL, 0, 0x1000), HYP_EINVAL);
	cr_assert_eq(hyp_s2_protect(NULL, 0, 0x1000, HYP_PROT_R), HYP_EINVAL);
	cr_assert_eq(hyp_s2_relax(NULL, 0, HYP_PROT_R, 0), HYP_EINVAL);
	cr_assert_eq(hyp_s2_wrprotect(NULL, 0, 0x1000), HYP_EINVAL);
	cr_assert_eq(hyp_s2_dirty_log(NULL, 0, 0x1000, &bitmap, true), HYP_EINVAL);
	cr_assert_eq(hyp_s2_age(NULL, 0, 0x1000, true), HYP_EINVAL);
	cr_assert_eq(hyp_s2_split(NULL, 0, 0x1000), HYP_EINVAL);
	cr_assert_eq(hyp_s2_collapse(NULL, 0, 0x1000), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_get_leaf(NULL, 0, &pte, &level), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_translate(NULL, 0, &pa, &prot), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_pte_prot(NULL, 0), 0);
	hyp_pgtable_destroy(NULL);
	cr_assert_eq(hyp_el2_map(NULL, 0, 0x1000, 0, HYP_PROT_R), HYP_EINVAL);
	cr_assert_eq(hyp_el2_unmap(NULL, 0, 0x1000), HYP_EINVAL);
	cr_assert_eq(hyp_el2_protect(NULL, 0, 0x1000, HYP_PROT_R), HYP_EINVAL);
	cr_assert_eq(hyp_el2_mmu_enable(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_pgtable_walk(NULL, 0, 0x1000, NULL), HYP_EINVAL);
	cr_assert_eq(bitmap, 0x77);
	cr_assert_eq(pa, 0x88);
	cr_assert_eq(pte, 0x99);
	cr_assert_eq(level, 9);
	cr_assert_eq(prot, 9);
	unchanged("stage2 operations");
}
