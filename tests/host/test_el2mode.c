/* SPDX-License-Identifier: MIT */
/*
 * The EL2 mode in one place: the one EL12-alias helper of sysreg.h
 * (HYP_SYSREG_USE_E12, hyp_sysreg_guest_read/_write) on the simulated CPU,
 * with exact hardware-access counts.
 *
 * Encodings as literals (Arm ARM DDI 0487, "Accessing SCTLR_EL1" in
 * D24.2.175: SCTLR_EL1 is op0 3, op1 0, CRn 1, CRm 0, op2 0; SCTLR_EL12 is
 * op1 5; TPIDR_EL2 D24.2: 3 4 13 0 2, no EL12 alias), packed
 * op0[15:14] op1[13:11] CRn[10:7] CRm[6:3] op2[2:0].
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libhyp/hw.h>
#include <libhyp/sysreg.h>

#define ENC_SCTLR_EL1 0xc080u  /* 3 0 1 0 0 */
#define ENC_SCTLR_EL12 0xe880u /* 3 5 1 0 0 */
#define ENC_TPIDR_EL2 0xe682u  /* 3 4 13 0 2 */

static struct hyp_sim_cpu sim;

static void sim_boot(void)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_SCTLR_EL1, 0x1111), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_SCTLR_EL12, 0x2222), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_TPIDR_EL2, 0x3333), 0);
	hyp_sim_reset_counts(&sim);
}

TestSuite(el2mode, .init = sim_boot);

Test(el2mode, guest_read_takes_the_el12_alias_only_with_e2h)
{
	volatile bool e2h = true; /* a run-time value: both arms compiled */

	cr_expect_eq(hyp_sysreg_guest_read(e2h, SCTLR_EL1), 0x2222);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_SCTLR_EL12), 1);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_SCTLR_EL1), 0);
	e2h = false;
	cr_expect_eq(hyp_sysreg_guest_read(e2h, SCTLR_EL1), 0x1111);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_SCTLR_EL1), 1);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_SCTLR_EL12), 1);
}

Test(el2mode, guest_write_takes_the_el12_alias_only_with_e2h)
{
	volatile bool e2h = true;
	uint64_t v = 0;
	unsigned n = 0;

	/* The value expression is evaluated exactly once. */
	hyp_sysreg_guest_write(e2h, SCTLR_EL1, (n++, 0x4444u));
	cr_expect_eq(n, 1);
	cr_expect_eq(hyp_sim_reg_writes(&sim, ENC_SCTLR_EL12), 1);
	cr_expect_eq(hyp_sim_reg_writes(&sim, ENC_SCTLR_EL1), 0);
	cr_expect_eq(hyp_sim_reg_peek(&sim, ENC_SCTLR_EL12, &v), 0);
	cr_expect_eq(v, 0x4444);
	e2h = false;
	hyp_sysreg_guest_write(e2h, SCTLR_EL1, (n++, 0x5555u));
	cr_expect_eq(n, 2);
	cr_expect_eq(hyp_sim_reg_writes(&sim, ENC_SCTLR_EL1), 1);
	cr_expect_eq(hyp_sim_reg_peek(&sim, ENC_SCTLR_EL1, &v), 0);
	cr_expect_eq(v, 0x5555);
}

Test(el2mode, a_register_without_an_alias_keeps_its_encoding)
{
	cr_expect_eq(hyp_sysreg_guest_read(true, TPIDR_EL2), 0x3333);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_TPIDR_EL2), 1);
	cr_expect_eq(HYP_SYSREG_GUEST_ENC(true, TPIDR_EL2), ENC_TPIDR_EL2);
	cr_expect_eq(HYP_SYSREG_GUEST_ENC(true, SCTLR_EL1), ENC_SCTLR_EL12);
	cr_expect_eq(HYP_SYSREG_GUEST_ENC(false, SCTLR_EL1), ENC_SCTLR_EL1);
	cr_expect(!HYP_SYSREG_USE_E12(true, TPIDR_EL2));
	cr_expect(HYP_SYSREG_USE_E12(true, SCTLR_EL1));
	cr_expect(!HYP_SYSREG_USE_E12(false, SCTLR_EL1));
}

/* ---- The EL2 mode record (cpufeat) and the APIs that read it ---------- */

#include <libhyp/fpsimd.h>
#include <libhyp/vtimer.h>

/* HCR_EL2 is 3 4 1 1 0 (Arm ARM D24.2.62): packed 0xe088; E2H is bit 34.
 * CPTR_EL2 is 3 4 1 1 2: 0xe08a; TFP bit 10 (E2H = 0), FPEN [21:20]
 * (E2H = 1) (D24.2.38). */
#define ENC_HCR_EL2 0xe088u
#define ENC_CPTR_EL2 0xe08au
#define HCR_E2H_LIT (1ull << 34)
#define CPTR_TFP_LIT (1ull << 10)
#define CPTR_FPEN_LIT (3ull << 20)

Test(el2mode, record_is_set_once_and_survives_cpufeat_init)
{
	struct hyp_cpufeat_cpu cpus[1];

	hyp_cpufeat_reset();
	cr_expect(!hyp_el2_mode_known());
	cr_expect_eq(hyp_cpufeat_set_el2_mode(true), 0);
	cr_expect(hyp_el2_mode_known());
	cr_expect(hyp_el2_e2h());
	cr_expect_eq(hyp_cpufeat_set_el2_mode(true), 0, "the same mode again is fine");
	cr_expect_eq(hyp_cpufeat_set_el2_mode(false), HYP_ESTATE);
	cr_expect(hyp_el2_e2h(), "a refused change changes nothing");
	cr_expect_eq(hyp_cpufeat_init(cpus, 1), 0);
	cr_expect(hyp_el2_e2h(), "hyp_cpufeat_init keeps the record");
	hyp_cpufeat_reset();
	cr_expect(!hyp_el2_mode_known(), "hyp_cpufeat_reset clears it");
	cr_expect_eq(hyp_sim_total(&sim), 0, "no hardware access");
}

Test(el2mode, record_read_from_hcr_el2_costs_one_mrs)
{
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_HCR_EL2, HCR_E2H_LIT | 1), 0);
	cr_expect_eq(hyp_cpufeat_read_el2_mode(), 0);
	cr_expect(hyp_el2_e2h());
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_HCR_EL2), 1);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_HCR_EL2, 1ull << 31), 0);
	cr_expect_eq(hyp_cpufeat_read_el2_mode(), 0);
	cr_expect(hyp_el2_mode_known());
	cr_expect(!hyp_el2_e2h());
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_HCR_EL2), 2);
}

static void fp_save(struct hyp_fpsimd_state *s) { (void)s; }
static void fp_restore(const struct hyp_fpsimd_state *s) { (void)s; }
static const struct hyp_fp_ops fp_ops = { fp_save, fp_restore };

static uint64_t peek(uint16_t enc)
{
	uint64_t v = 0;

	cr_assert_eq(hyp_sim_reg_peek(&sim, enc, &v), 0);
	return v;
}

Test(el2mode, fp_setup_follows_the_record_in_both_modes)
{
	struct hyp_fp_cpu c;

	/* E2H = 0: TFP cleared, the other bits (RES1 0x33ff) kept. */
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_CPTR_EL2, CPTR_TFP_LIT | 0x33ff), 0);
	cr_assert_eq(hyp_cpufeat_set_el2_mode(false), 0);
	cr_expect_eq(hyp_fp_cpu_setup(&c, &fp_ops, NULL), 0);
	cr_expect_eq(peek(ENC_CPTR_EL2), 0x33ff);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_CPTR_EL2), 1);
	cr_expect_eq(hyp_sim_reg_writes(&sim, ENC_CPTR_EL2), 1);
	/* E2H = 1: FPEN = 0b11. */
	hyp_cpufeat_reset();
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_CPTR_EL2, 0), 0);
	cr_assert_eq(hyp_cpufeat_set_el2_mode(true), 0);
	cr_expect_eq(hyp_fp_cpu_setup(&c, &fp_ops, NULL), 0);
	cr_expect_eq(peek(ENC_CPTR_EL2), CPTR_FPEN_LIT);
	cr_expect_eq(hyp_sim_reg_reads(&sim, ENC_CPTR_EL2), 1);
	cr_expect_eq(hyp_sim_reg_writes(&sim, ENC_CPTR_EL2), 1);
}

Test(el2mode, fp_setup_without_a_mode_and_the_old_form_against_it_touch_nothing)
{
	struct hyp_fp_cpu c;

	hyp_cpufeat_reset();
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_CPTR_EL2, CPTR_TFP_LIT), 0);
	cr_expect_eq(hyp_fp_cpu_setup(&c, &fp_ops, NULL), HYP_ESTATE);
	cr_assert_eq(hyp_cpufeat_set_el2_mode(true), 0);
	cr_expect_eq(hyp_fp_cpu_init(&c, &fp_ops, false, NULL), HYP_EINVAL);
	cr_expect_eq(hyp_sim_total(&sim), 0);
	cr_expect_eq(peek(ENC_CPTR_EL2), CPTR_TFP_LIT);
	/* The deprecated form still works where it agrees with the record. */
	cr_expect_eq(hyp_fp_cpu_init(&c, &fp_ops, true, NULL), 0);
	cr_expect_eq(peek(ENC_CPTR_EL2), CPTR_TFP_LIT | CPTR_FPEN_LIT);
}

Test(el2mode, cnthctl_traps_follows_the_record_in_both_modes)
{
	/* CNTHCTL_EL2 (Arm ARM D24.10.2): E2H = 0 EL1PCTEN bit 0, EL1PCEN bit 1;
	 * E2H = 1 EL1PCTEN bit 10, EL1PTEN bit 11. Set = not trapped. */
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(false), 0);
	cr_expect_eq(hyp_vtimer_cnthctl_traps(0xf0, false, false), 0xf3);
	cr_expect_eq(hyp_vtimer_cnthctl_traps(0x3, true, false), 0x1);
	cr_expect_eq(hyp_vtimer_cnthctl_traps(0x3, false, true), 0x2);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(true), 0);
	cr_expect_eq(hyp_vtimer_cnthctl_traps(0x3, false, false), 0xc03);
	cr_expect_eq(hyp_vtimer_cnthctl_traps(0xc03, true, false), 0x403);
	cr_expect_eq(hyp_vtimer_cnthctl_traps(0xc03, true, true), 0x3);
	cr_expect_eq(hyp_sim_total(&sim), 0);
}

/* The sysreg engine: the EL12 aliases follow the record, not the
 * (deprecated) per-VM config field. */
static struct hyp_cpufeat_cpu fcpus[1];

static void feat_boot(void)
{
	cr_assert_eq(hyp_sim_define_table(&sim, HYP_RF_ID | HYP_SYSREG_CTX, true), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000011111112), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, 0x00101122), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122), 0);
	cr_assert_eq(hyp_cpufeat_init(fcpus, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	hyp_sim_reset_counts(&sim);
}

/* A booted system with @record_e2h on record, and a VM config whose
 * deprecated e2h field says @cfg_e2h. */
static struct hyp_sysreg_vm_config boot_with_mode(bool record_e2h, bool cfg_e2h)
{
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(record_e2h), 0);
	feat_boot();
	return (struct hyp_sysreg_vm_config){ .default_policy = HYP_SYSREG_DEFERRED,
					      .hcr_el2 = 0x80000001, .e2h = cfg_e2h };
}

static void sysreg_load_sctlr(bool record_e2h, bool cfg_e2h, unsigned *el1, unsigned *el12)
{
	static struct hyp_sysreg_vm vm;
	static struct hyp_sysreg_vcpu v;
	struct hyp_sysreg_vm_config c = boot_with_mode(record_e2h, cfg_e2h);

	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	cr_assert_eq(hyp_sysreg_vcpu_init(&v, &vm), 0);
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_load(&v), 0);
	*el1 = hyp_sim_reg_writes(&sim, ENC_SCTLR_EL1);
	*el12 = hyp_sim_reg_writes(&sim, ENC_SCTLR_EL12);
}

Test(el2mode, sysreg_vm_follows_the_record_in_both_modes)
{
	unsigned el1, el12;

	sysreg_load_sctlr(true, false, &el1, &el12);
	cr_expect_eq(el12, 1, "E2H = 1 on record: SCTLR_EL12");
	cr_expect_eq(el1, 0);
	sysreg_load_sctlr(false, false, &el1, &el12);
	cr_expect_eq(el1, 1, "E2H = 0 on record: SCTLR_EL1");
	cr_expect_eq(el12, 0);
}

Test(el2mode, sysreg_vm_refuses_a_config_against_the_record)
{
	static struct hyp_sysreg_vm vm;
	struct hyp_sysreg_vm_config c = boot_with_mode(false, true);

	memset(&vm, 0x5a, sizeof(vm));
	cr_expect_eq(hyp_sysreg_vm_init(&vm, &c, NULL), HYP_EINVAL);
	cr_expect_eq(((unsigned char *)&vm)[0], 0x5a, "unchanged on error");
	cr_expect_eq(hyp_sim_total(&sim), 0);
}

Test(el2mode, fp_setup_bad_arguments_touch_nothing)
{
	static const struct hyp_fp_ops no_fns = { NULL, NULL };
	struct hyp_fp_cpu c;

	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(false), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_CPTR_EL2, CPTR_TFP_LIT), 0);
	cr_expect_eq(hyp_fp_cpu_setup(NULL, &fp_ops, NULL), HYP_EINVAL);
	cr_expect_eq(hyp_fp_cpu_setup(&c, NULL, NULL), HYP_EINVAL);
	cr_expect_eq(hyp_fp_cpu_setup(&c, &no_fns, NULL), HYP_EINVAL);
	cr_expect_eq(hyp_sim_total(&sim), 0);
}

/* ---- The world switch, EL2 stage 1 and the save/restore forms take E2H
 * from the record, never from the integrator ------------------------------ */

#include <libhyp/vcpu.h>
#include <libhyp/emulate.h>
#include <libhyp/world_switch.h>

/* HCR_EL2 (Arm ARM D24.2.62): RW bit 31, E2H bit 34, TGE bit 27. */
#define HCR_RW_LIT (1ull << 31)
#define HCR_TGE_LIT (1ull << 27)
/* VBAR_EL1 is 3 0 12 0 0 (D24.2.217), VBAR_EL12 op1 5: packed 0xc600 / 0xee00. */
#define ENC_VBAR_EL1 0xc600u
#define ENC_VBAR_EL12 0xee00u
#define ENC_ELR_EL2 0xe201u  /* 3 4 4 0 1 (D24.2.49) */
#define ENC_SPSR_EL2 0xe200u /* 3 4 4 0 0 (D24.2.187) */
#define ENC_ELR_EL1 0xc201u  /* 3 0 4 0 1 */
#define ENC_ELR_EL12 0xea01u /* 3 5 4 0 1 */
#define ENC_SPSR_EL1 0xc200u /* 3 0 4 0 0 */
#define ENC_SPSR_EL12 0xea00u
#define ENC_ESR_EL1 0xc290u  /* 3 0 5 2 0 */
#define ENC_ESR_EL12 0xea90u
#define ENC_SP_EL0 0xc208u   /* 3 0 4 1 0 */

static void sw_regs(void)
{
	static const uint16_t encs[] = { ENC_HCR_EL2, ENC_VBAR_EL1, ENC_VBAR_EL12, ENC_ELR_EL2,
					 ENC_SPSR_EL2, ENC_ELR_EL1, ENC_ELR_EL12, ENC_SPSR_EL1,
					 ENC_SPSR_EL12, ENC_ESR_EL1, ENC_ESR_EL12, ENC_SP_EL0 };

	for (unsigned i = 0; i < sizeof(encs) / sizeof(encs[0]); i++)
		cr_assert_eq(hyp_sim_reg_define(&sim, encs[i], 0), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_VBAR_EL1, 0x1000), 0);
	cr_assert_eq(hyp_sim_reg_define(&sim, ENC_VBAR_EL12, 0x2000), 0);
	hyp_sim_reset_counts(&sim);
}

/* hyp_vcpu_init() with an HCR value that does not carry E2H, then the
 * switch's entry half: HCR_EL2 as written, and an UNDEF injection on the
 * live vCPU reading the guest's VBAR_EL1 through the alias of the mode. */
static void vcpu_under_mode(bool record_e2h, uint64_t *hcr_written, unsigned *vbar_el1,
			    unsigned *vbar_el12)
{
	struct hyp_vcpu v;

	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(record_e2h), 0);
	sw_regs();
	cr_assert_eq(hyp_vcpu_init(&v, HCR_RW_LIT, NULL), 0);
	cr_expect_eq(hyp_sim_total(&sim), 0, "init touches no hardware");
	cr_expect_eq(v.hcr, HCR_RW_LIT | (record_e2h ? HCR_E2H_LIT : 0));
	v.regs.pstate = 0x3c5; /* EL1h */
	hyp_switch_prepare(&v);
	*hcr_written = peek(ENC_HCR_EL2);
	cr_expect_eq(hyp_sim_reg_writes(&sim, ENC_HCR_EL2), 1);
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_inject_undef(&v), 0);
	*vbar_el1 = hyp_sim_reg_reads(&sim, ENC_VBAR_EL1);
	*vbar_el12 = hyp_sim_reg_reads(&sim, ENC_VBAR_EL12);
}

Test(el2mode, vcpu_hcr_e2h_comes_from_the_record_in_both_modes)
{
	uint64_t hcr;
	unsigned el1, el12;

	vcpu_under_mode(true, &hcr, &el1, &el12);
	cr_expect_eq(hcr, HCR_RW_LIT | HCR_E2H_LIT, "E2H = 1 on record: HCR_EL2.E2H set");
	cr_expect_eq(el12, 1, "VBAR_EL12");
	cr_expect_eq(el1, 0);
	vcpu_under_mode(false, &hcr, &el1, &el12);
	cr_expect_eq(hcr, HCR_RW_LIT, "E2H = 0 on record");
	cr_expect_eq(el1, 1, "VBAR_EL1");
	cr_expect_eq(el12, 0);
}

Test(el2mode, vcpu_init_refuses_e2h_against_a_recorded_nvhe_and_changes_nothing)
{
	struct hyp_vcpu v;

	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(false), 0);
	memset(&v, 0x5a, sizeof(v));
	cr_expect_eq(hyp_vcpu_init(&v, HCR_RW_LIT | HCR_E2H_LIT, NULL), HYP_EINVAL);
	for (size_t i = 0; i < sizeof(v); i++)
		cr_assert_eq(((unsigned char *)&v)[i], 0x5a, "byte %zu changed", i);
	cr_expect_eq(hyp_sim_total(&sim), 0);
	/* The same bit agreeing with the record is accepted (old callers). */
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(true), 0);
	cr_expect_eq(hyp_vcpu_init(&v, HCR_RW_LIT | HCR_E2H_LIT, NULL), 0);
	cr_expect_eq(v.hcr, HCR_RW_LIT | HCR_E2H_LIT);
	/* Unrecorded: the caller's bit, deprecated. */
	hyp_cpufeat_reset();
	cr_expect_eq(hyp_vcpu_init(&v, HCR_RW_LIT | HCR_E2H_LIT, NULL), 0);
	cr_expect_eq(v.hcr, HCR_RW_LIT | HCR_E2H_LIT);
	cr_expect_eq(hyp_vcpu_init(&v, HCR_RW_LIT, NULL), 0);
	cr_expect_eq(v.hcr, HCR_RW_LIT);
}

Test(el2mode, update_hcr_never_changes_e2h)
{
	struct hyp_vcpu v;

	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(true), 0);
	cr_assert_eq(hyp_vcpu_init(&v, HCR_RW_LIT, NULL), 0);
	hyp_vcpu_update_hcr(&v, HCR_E2H_LIT, 1ull << 4 /* IMO */);
	cr_expect_eq(v.hcr, HCR_RW_LIT | HCR_E2H_LIT | (1ull << 4));
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(false), 0);
	cr_assert_eq(hyp_vcpu_init(&v, HCR_RW_LIT, NULL), 0);
	hyp_vcpu_update_hcr(&v, 0, HCR_E2H_LIT | (1ull << 3) /* FMO */);
	cr_expect_eq(v.hcr, HCR_RW_LIT | (1ull << 3));
	cr_expect_eq(hyp_sim_total(&sim), 0, "not live: no MSR");
}

/* hyp_sysreg_guest_save_masked()/restore_masked(): SCTLR_EL1 through
 * SCTLR_EL12 (E2H = 1) or its own encoding, one access each. With @e2h on
 * record, saves the register (expected @saved) and restores @val into
 * @enc. */
static void save_restore_sctlr(bool e2h, uint64_t saved, uint64_t val, uint16_t enc)
{
	struct hyp_sysreg_mask m = { { 0 } };
	uint64_t regs[HYP_REG_COUNT] = { 0 };

	m.w[HYP_REG_SCTLR_EL1 / 64] = 1ull << (HYP_REG_SCTLR_EL1 % 64);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_set_el2_mode(e2h), 0);
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_guest_save_masked(regs, &m);
	cr_expect_eq(regs[HYP_REG_SCTLR_EL1], saved);
	regs[HYP_REG_SCTLR_EL1] = val;
	hyp_sysreg_guest_restore_masked(regs, &m);
	cr_expect_eq(peek(enc), val);
	cr_expect_eq(hyp_sim_reg_reads(&sim, enc), 1);
	cr_expect_eq(hyp_sim_reg_writes(&sim, enc), 1);
	cr_expect_eq(hyp_sim_total(&sim), 2);
}

Test(el2mode, guest_save_restore_masked_follow_the_record_in_both_modes)
{
	save_restore_sctlr(true, 0x2222, 0x6666, ENC_SCTLR_EL12);
	save_restore_sctlr(false, 0x1111, 0x7777, ENC_SCTLR_EL1);
}

/* The sysreg engine's copies of E2H are caches of the record: a VM built
 * from the deprecated cfg->e2h before the record existed cannot give a
 * vCPU a mode that contradicts the record afterwards. */
Test(el2mode, sysreg_vcpu_refuses_a_vm_whose_cached_mode_contradicts_the_record)
{
	static struct hyp_sysreg_vm vm;
	static struct hyp_sysreg_vcpu v;
	struct hyp_sysreg_vm_config c;

	hyp_cpufeat_reset();
	feat_boot();
	c = (struct hyp_sysreg_vm_config){ .default_policy = HYP_SYSREG_DEFERRED,
					   .hcr_el2 = 0x80000001, .e2h = true };
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	cr_expect(vm.e2h, "no record yet: the deprecated field decides");
	cr_assert_eq(hyp_cpufeat_set_el2_mode(false), 0);
	memset(&v, 0x5a, sizeof(v));
	cr_expect_eq(hyp_sysreg_vcpu_init(&v, &vm), HYP_ESTATE);
	for (size_t i = 0; i < sizeof(v); i++)
		cr_assert_eq(((unsigned char *)&v)[i], 0x5a, "byte %zu changed", i);
	cr_expect_eq(hyp_sim_total(&sim), 0);
}

Test(el2mode, sysreg_caches_equal_the_record_in_both_modes)
{
	static struct hyp_sysreg_vm vm;
	static struct hyp_sysreg_vcpu v;

	for (int mode = 0; mode < 2; mode++) {
		struct hyp_sysreg_vm_config c = boot_with_mode(mode != 0, false);

		cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, NULL), 0);
		cr_assert_eq(hyp_sysreg_vcpu_init(&v, &vm), 0);
		cr_expect_eq(vm.e2h, mode != 0);
		cr_expect_eq(v.e2h, mode != 0);
	}
}

/* The HCR_EL2 the engine writes at load carries the recorded mode's E2H
 * (bit 34, Arm ARM D24.2.62), whatever the integrator's hcr_el2 says, and
 * an E2H = 1 there against a recorded E2H = 0 is refused, nothing changed. */
Test(el2mode, sysreg_hcr_el2_takes_e2h_from_the_record)
{
	static struct hyp_sysreg_vm vm;
	static struct hyp_sysreg_vcpu v;

	for (int mode = 0; mode < 2; mode++) {
		struct hyp_sysreg_vm_config c = boot_with_mode(mode != 0, false);

		cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, NULL), 0);
		cr_assert_eq(hyp_sysreg_vcpu_init(&v, &vm), 0);
		cr_expect_eq(vm.hcr_el2 & (1ull << 34), mode ? 1ull << 34 : 0, "mode %d", mode);
		cr_assert_eq(hyp_sysreg_load(&v), 0);
		cr_expect_eq(hyp_sim_sysreg_read(ENC_HCR_EL2) & (1ull << 34), mode ? 1ull << 34 : 0,
			     "mode %d: HCR_EL2 written at load", mode);
	}
	{
		struct hyp_sysreg_vm_config c = boot_with_mode(false, false);

		c.hcr_el2 |= 1ull << 34;
		memset(&vm, 0x5a, sizeof(vm));
		cr_expect_eq(hyp_sysreg_vm_init(&vm, &c, NULL), HYP_EINVAL);
		cr_expect_eq(((unsigned char *)&vm)[0], 0x5a, "unchanged on error");
	}
}
