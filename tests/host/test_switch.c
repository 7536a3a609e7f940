/* SPDX-License-Identifier: MIT */
/* The world switch's C halves on the simulated CPU: vCPU setup, the fast
 * dispatcher (the null hypercall touches ESR_EL2 and nothing else),
 * prepare/complete, exit capture, the PC/PSTATE accessors, skip_insn,
 * HCR lines, and exit decoding. */
#include "test_switch.h"

static struct hyp_sim_cpu cpu;
static struct hyp_vcpu vcpu;
static struct hyp_fast_table table;

static void setup(void)
{
	sw_sim_setup(&cpu);
	hyp_fast_table_init(&table);
	cr_assert_eq(hyp_vcpu_init(&vcpu, HYP_HCR_RW, &table), HYP_OK);
}

TestSuite(switch_core, .init = setup);

/* ---- vCPU init and the fast table ---- */

Test(switch_core, init_defaults)
{
	cr_assert_eq(vcpu.regs.pstate, 0x3c5); /* EL1h, DAIF masked */
	cr_assert_eq(vcpu.regs.pc, 0);
	cr_assert_eq(vcpu.hcr, HYP_HCR_RW);
	cr_assert_eq(vcpu.fast, &table);
	cr_assert_eq(vcpu.live, 0);
	cr_assert_eq(hyp_sim_total(&cpu), 0, "init touches no hardware");
}

Test(switch_core, init_rejects_bad_hcr_and_changes_nothing)
{
	struct hyp_vcpu before;

	memset(&vcpu, 0x5a, sizeof(vcpu));
	before = vcpu;
	cr_assert_eq(hyp_vcpu_init(&vcpu, HYP_HCR_RW | HYP_HCR_TGE, &table), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_init(&vcpu, 0, &table), HYP_ENOTSUP, "AArch32 EL1");
	cr_assert_eq(memcmp(&vcpu, &before, sizeof(vcpu)), 0);
	cr_assert_eq(hyp_vcpu_init(NULL, HYP_HCR_RW, &table), HYP_EINVAL);
}

static int h_a(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)esr;
	v->regs.x[1] = (uint64_t)(uintptr_t)self->ctx;
	return HYP_FAST_RESUME;
}

static int h_b(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)v;
	(void)esr;
	(void)self;
	return HYP_FAST_EXIT;
}

Test(switch_core, register_and_unregister)
{
	struct hyp_fast_table before;

	cr_assert_eq(hyp_fast_register(&table, HYP_EC_SYS64, h_a, (void *)0x1234), HYP_OK);
	before = table;
	cr_assert_eq(hyp_fast_register(&table, HYP_EC_SYS64, h_b, NULL), HYP_EEXIST);
	cr_assert_eq(hyp_fast_register(&table, HYP_EC_MAX + 1, h_b, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_fast_register(&table, HYP_EC_WFX, NULL, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_fast_register(NULL, HYP_EC_WFX, h_b, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_fast_unregister(&table, HYP_EC_SYS64, h_b), HYP_ENOENT);
	cr_assert_eq(hyp_fast_unregister(&table, HYP_EC_MAX + 1, h_a), HYP_EINVAL);
	cr_assert_eq(memcmp(&table, &before, sizeof(table)), 0, "errors change nothing");

	cr_assert_eq(table.entry[HYP_EC_SYS64].fn, h_a);
	cr_assert_eq(hyp_fast_unregister(&table, HYP_EC_SYS64, h_a), HYP_OK);
	cr_assert_null(table.entry[HYP_EC_SYS64].fn);
	cr_assert_eq(hyp_fast_register(&table, HYP_EC_SYS64, h_b, NULL), HYP_OK);
}

/* ---- the dispatcher ---- */

Test(switch_core, null_hypercall_touches_only_esr_el2)
{
	static const struct hyp_smccc smccc; /* defaults */

	/* Only ESR_EL2 exists: any other register access fails the test. */
	hyp_sim_init(&cpu);
	hyp_sim_reg_define(&cpu, HYP_SYS_ESR_EL2, ESR(HYP_EC_HVC64, 0));
	hyp_sim_set_current(&cpu);
	cr_assert_eq(hyp_smccc_register(&table, &smccc), HYP_OK);
	for (unsigned i = 0; i < 31; i++)
		vcpu.regs.x[i] = 0x1000 + i;
	vcpu.regs.x[0] = 0xffffffff00000000ull | HYP_PSCI_VERSION; /* W0 is the ID */
	vcpu.live = 1;
	hyp_sim_reset_counts(&cpu);

	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_RESUME_X0_X18);

	cr_assert_eq(vcpu.regs.x[0], HYP_PSCI_VERSION_1_1);
	for (unsigned i = 1; i < 31; i++)
		cr_assert_eq(vcpu.regs.x[i], 0x1000 + i, "x%u untouched", i);
	cr_assert_eq(hyp_sim_total(&cpu), 1, "one hardware access in all");
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_ESR_EL2), 1);
	cr_assert_eq(cpu.log[0].kind, HYP_SIM_SYSREG_READ);
	cr_assert_eq(cpu.log[0].enc, HYP_SYS_ESR_EL2);
	cr_assert_eq(vcpu.exit.esr, ESR(HYP_EC_HVC64, 0));
}

Test(switch_core, every_exception_class_without_handler_exits)
{
	hyp_sim_init(&cpu);
	hyp_sim_reg_define(&cpu, HYP_SYS_ESR_EL2, 0);
	hyp_sim_set_current(&cpu);
	for (uint64_t ec = 0; ec <= HYP_EC_MAX; ec++) {
		/* Junk in ISS2 and ISS too: still just a class to look up. */
		uint64_t esr = (0xffffffull << 32) | (ec << 26) | 0x3ffffff;

		hyp_sim_reg_define(&cpu, HYP_SYS_ESR_EL2, esr);
		vcpu.exit.valid = ~0ull;
		hyp_sim_reset_counts(&cpu);
		cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_EXIT);
		cr_assert_eq(vcpu.exit.esr, esr);
		cr_assert_eq(vcpu.exit.valid, 0);
		cr_assert_eq(hyp_sim_total(&cpu), 1);
	}
}

Test(switch_core, no_table_means_every_exit_reaches_the_run_loop)
{
	cr_assert_eq(hyp_vcpu_init(&vcpu, HYP_HCR_RW, NULL), HYP_OK);
	hyp_sim_reg_define(&cpu, HYP_SYS_ESR_EL2, ESR(HYP_EC_HVC64, 0));
	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_EXIT);
}

Test(switch_core, dispatch_passes_the_entry_and_returns_the_action)
{
	cr_assert_eq(hyp_fast_register(&table, HYP_EC_SYS64, h_a, (void *)0x77), HYP_OK);
	hyp_sim_reg_define(&cpu, HYP_SYS_ESR_EL2, ESR(HYP_EC_SYS64, 0x300001));
	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_RESUME);
	cr_assert_eq(vcpu.regs.x[1], 0x77);
}

/* ---- prepare / complete ---- */

static unsigned hook_calls;
static unsigned enter_at, exit_at;

static void hook_enter(struct hyp_vcpu *v, void *ctx)
{
	(void)v;
	cr_assert_eq(ctx, (void *)&hook_calls);
	enter_at = cpu.log_len;
	hook_calls++;
}

static void hook_exit(struct hyp_vcpu *v, void *ctx)
{
	(void)v;
	(void)ctx;
	exit_at = cpu.log_len;
	hook_calls++;
}

static const struct hyp_vcpu_hooks hooks = {.enter = hook_enter, .exit = hook_exit};

Test(switch_core, prepare_writes_hcr_elr_spsr_after_the_enter_hook)
{
	vcpu.hcr = HYP_HCR_RW | HYP_HCR_IMO;
	vcpu.regs.pc = 0x40001000;
	vcpu.regs.pstate = 0x3c4;
	vcpu.hooks = &hooks;
	vcpu.hooks_ctx = &hook_calls;
	hyp_sim_reset_counts(&cpu);

	hyp_switch_prepare(&vcpu);

	cr_assert_eq(vcpu.live, 1);
	cr_assert_eq(enter_at, 0, "the hook runs first");
	cr_assert_eq(cpu.counts[HYP_SIM_SYSREG_WRITE], 3);
	cr_assert_eq(cpu.counts[HYP_SIM_SYSREG_READ], 0);
	cr_assert_eq(cpu.counts[HYP_SIM_ISB], 0, "ERET synchronizes");
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_HCR_EL2), HYP_HCR_RW | HYP_HCR_IMO);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), 0x40001000);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_SPSR_EL2), 0x3c4);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_SP_EL0), 0, "SP_EL0 not the host's");
}

Test(switch_core, host_sp_el0_is_switched_when_asked)
{
	vcpu.flags = HYP_VCPU_HOST_SP_EL0;
	vcpu.regs.sp_el0 = 0x5000;
	hyp_sim_reg_define(&cpu, HYP_SYS_SP_EL0, 0xfeed);
	hyp_switch_prepare(&vcpu);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_SP_EL0), 0x5000);
	cr_assert_eq(vcpu.host_sp_el0, 0xfeed);

	hyp_sim_reg_define(&cpu, HYP_SYS_SP_EL0, 0x5100); /* the guest changed it */
	hyp_sim_reset_counts(&cpu);
	hyp_switch_complete(&vcpu, HYP_EXIT_IRQ);
	cr_assert_eq(vcpu.regs.sp_el0, 0x5100);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_SP_EL0), 0xfeed);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_SP_EL0), 1);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_SP_EL0), 1);
}

Test(switch_core, complete_sync_hvc_reads_elr_spsr_only_and_runs_exit_hook_last)
{
	vcpu.hooks = &hooks;
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_HVC64, 1), 0x40002004, 0x3c5);

	hyp_switch_complete(&vcpu, HYP_EXIT_SYNC);

	cr_assert_eq(vcpu.live, 0);
	cr_assert_eq(vcpu.regs.pc, 0x40002004);
	cr_assert_eq(vcpu.regs.pstate, 0x3c5);
	cr_assert_eq(vcpu.exit.kind, HYP_EXIT_SYNC);
	cr_assert_eq(vcpu.exit.esr, ESR(HYP_EC_HVC64, 1));
	cr_assert_eq(vcpu.exit.valid, 0, "no FAR/HPFAR for an HVC");
	/* ELR, SPSR, and the SError check: DSB SY, ISB, MRS ISR_EL1. */
	cr_assert_eq(sw_sysreg_accesses(&cpu), 3);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, SW_ISR_EL1), 1);
	cr_assert_eq(hyp_sim_total(&cpu), 5);
	cr_assert_eq(exit_at, 5, "the exit hook runs after libhyp's reads");
}

Test(switch_core, complete_data_abort_captures_far_and_hpfar_once)
{
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_DABT_LOW, HYP_ESR_DA_ISV | 0x05), 0x40000000, 0x3c5);
	hyp_sim_reg_define(&cpu, HYP_SYS_FAR_EL2, 0x80000123);
	hyp_sim_reg_define(&cpu, HYP_SYS_HPFAR_EL2, (0x80000123ull >> 12) << 4);

	/* A fast-path handler captured them already... */
	hyp_exit_capture_fault(&vcpu);
	hyp_exit_capture_fault(&vcpu);
	/* ...then the exit reached the run loop. */
	hyp_switch_complete(&vcpu, HYP_EXIT_SYNC);

	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_FAR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_HPFAR_EL2), 1);
	cr_assert_eq(vcpu.exit.valid, HYP_EXIT_V_FAR | HYP_EXIT_V_HPFAR);
	cr_assert_eq(vcpu.exit.far, 0x80000123);
	cr_assert_eq(hyp_fault_ipa(vcpu.exit.hpfar, vcpu.exit.far), 0x80000123);
}

Test(switch_core, capture_by_class)
{
	static const struct {
		unsigned ec;
		uint32_t far_reads, hpfar_reads;
	} cases[] = {
	    {HYP_EC_IABT_LOW, 1, 1},	{HYP_EC_DABT_LOW, 1, 1}, {HYP_EC_PC_ALIGN, 1, 0},
	    {HYP_EC_WATCHPT_LOW, 1, 0}, {HYP_EC_SYS64, 0, 0},	 {HYP_EC_HVC64, 0, 0},
	    {HYP_EC_UNKNOWN, 0, 0},	{HYP_EC_SERROR, 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sw_exit(&cpu, &vcpu, ESR(cases[i].ec, 0), 0, 0x3c5);
		hyp_exit_capture_fault(&vcpu);
		cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_FAR_EL2), cases[i].far_reads, "ec %#x",
			     cases[i].ec);
		cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_HPFAR_EL2), cases[i].hpfar_reads);
	}
}

Test(switch_core, complete_irq_and_serror)
{
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_DABT_LOW, 0), 0x1000, 0x3c5);
	vcpu.exit.valid = HYP_EXIT_V_FAR;
	hyp_switch_complete(&vcpu, HYP_EXIT_IRQ);
	cr_assert_eq(vcpu.exit.kind, HYP_EXIT_IRQ);
	cr_assert_eq(vcpu.exit.esr, 0);
	cr_assert_eq(vcpu.exit.valid, 0);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 3, "ELR, SPSR and ISR_EL1 only");

	sw_exit(&cpu, &vcpu, ESR(HYP_EC_SERROR, 0x11), 0x1000, 0x3c5);
	hyp_switch_complete(&vcpu, HYP_EXIT_SERROR);
	cr_assert_eq(vcpu.exit.kind, HYP_EXIT_SERROR);
	cr_assert_eq(vcpu.exit.esr, ESR(HYP_EC_SERROR, 0x11));
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_ESR_EL2), 1);
}

Test(switch_core, delivered_virtual_serror_is_not_raised_again)
{
	vcpu.hcr |= HYP_HCR_AMO;
	cr_assert_eq(hyp_vcpu_set_line(&vcpu, HYP_VLINE_SERROR, true), HYP_OK);
	cr_assert_eq(vcpu.hcr & HYP_HCR_VSE, HYP_HCR_VSE);
	hyp_switch_prepare(&vcpu);
	/* The guest took the virtual SError: the CPU cleared VSE. */
	hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, HYP_HCR_RW | HYP_HCR_AMO);
	hyp_switch_complete(&vcpu, HYP_EXIT_IRQ);
	cr_assert_eq(vcpu.hcr & HYP_HCR_VSE, 0);

	/* Live: raising VI must not resurrect a delivered VSE either. */
	vcpu.hcr |= HYP_HCR_VSE;
	hyp_switch_prepare(&vcpu);
	hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, HYP_HCR_RW | HYP_HCR_AMO);
	cr_assert_eq(hyp_vcpu_set_line(&vcpu, HYP_VLINE_IRQ, true), HYP_OK);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_HCR_EL2), HYP_HCR_RW | HYP_HCR_AMO | HYP_HCR_VI);
}

Test(switch_core, virtual_lines)
{
	uint64_t hcr = vcpu.hcr;

	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_vcpu_set_line(&vcpu, HYP_VLINE_IRQ, true), HYP_OK);
	cr_assert_eq(hyp_vcpu_set_line(&vcpu, HYP_VLINE_FIQ, true), HYP_OK);
	cr_assert_eq(vcpu.hcr, hcr | HYP_HCR_VI | HYP_HCR_VF);
	cr_assert_eq(hyp_sim_total(&cpu), 0, "not live: applied on entry");
	cr_assert_eq(hyp_vcpu_set_line(&vcpu, (enum hyp_vline)7, true), HYP_EINVAL);
	cr_assert_eq(vcpu.hcr, hcr | HYP_HCR_VI | HYP_HCR_VF, "bad line changes nothing");

	vcpu.live = 1;
	cr_assert_eq(hyp_vcpu_set_line(&vcpu, HYP_VLINE_IRQ, false), HYP_OK);
	cr_assert_eq(vcpu.hcr, hcr | HYP_HCR_VF);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_HCR_EL2), hcr | HYP_HCR_VF);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_HCR_EL2), 1);
}

/* ---- accessors and instruction skipping ---- */

Test(switch_core, pc_and_pstate_follow_the_live_state)
{
	vcpu.regs.pc = 0x100;
	vcpu.regs.pstate = 0x3c5;
	cr_assert_eq(hyp_vcpu_pc(&vcpu), 0x100);
	hyp_vcpu_set_pc(&vcpu, 0x104);
	cr_assert_eq(vcpu.regs.pc, 0x104);
	cr_assert_eq(hyp_sim_total(&cpu), 0);

	sw_exit(&cpu, &vcpu, 0, 0x200, 0x3c4);
	cr_assert_eq(hyp_vcpu_pc(&vcpu), 0x200);
	cr_assert_eq(hyp_vcpu_pstate(&vcpu), 0x3c4);
	hyp_vcpu_set_pc(&vcpu, 0x204);
	hyp_vcpu_set_pstate(&vcpu, 0x3c5);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), 0x204);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_SPSR_EL2), 0x3c5);
	cr_assert_eq(vcpu.regs.pc, 0x104, "memory copy untouched while live");
}

Test(switch_core, gpr_accessors_treat_31_as_xzr)
{
	vcpu.regs.x[30] = 7;
	cr_assert_eq(hyp_vcpu_get_x(&vcpu, 30), 7);
	cr_assert_eq(hyp_vcpu_get_x(&vcpu, 31), 0);
	hyp_vcpu_set_x(&vcpu, 31, 9);
	cr_assert_eq(vcpu.regs.sp_el0, 0, "writes to XZR go nowhere");
	hyp_vcpu_set_x(&vcpu, 0, 9);
	cr_assert_eq(vcpu.regs.x[0], 9);
}

Test(switch_core, skip_a64_advances_4_and_clears_ss_and_btype)
{
	/* Plain EL1h: PC only (PSTATE unchanged, not written). */
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_SYS64, 0), 0x40000ffc, 0x3c5);
	hyp_vcpu_skip_insn(&vcpu);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), 0x40001000);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_SPSR_EL2), 0);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 3, "MRS ELR, MRS SPSR, MSR ELR");

	/* Stepping, after a BR: SS and BTYPE cleared. */
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_SYS64, 0), 0x1000,
		0x3c5 | HYP_PSR_SS | (2ull << 10) | HYP_PSR_NZCV);
	hyp_vcpu_skip_insn(&vcpu);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), 0x1004);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_SPSR_EL2), 0x3c5 | HYP_PSR_NZCV);

	/* Not live: regs, no hardware. */
	vcpu.live = 0;
	vcpu.regs.pc = 0x2000;
	vcpu.regs.pstate = 0x3c5;
	hyp_sim_reset_counts(&cpu);
	hyp_vcpu_skip_insn(&vcpu);
	cr_assert_eq(vcpu.regs.pc, 0x2004);
	cr_assert_eq(hyp_sim_total(&cpu), 0);
}

/* AArch32 SPSR: IT[1:0] in bits [26:25], IT[7:2] in bits [15:10]. */
static uint64_t spsr_it(unsigned it)
{
	return ((uint64_t)(it & 3) << 25) | ((uint64_t)(it >> 2) << 10);
}

Test(switch_core, skip_t32_uses_il_and_advances_the_it_block)
{
	const uint64_t usr_t = 0x10 | (1u << 5); /* User mode, Thumb */
	static const struct {
		unsigned it_before, it_after;
	} it[] = {
	    {0x00, 0x00}, /* not in an IT block */
	    {0x08, 0x00}, /* IT[2:0] == 0: last instruction of the block */
	    {0x0c, 0x18}, /* IT[4:0] <<= 1 */
	    {0xe4, 0xe8}, /* IT[7:5] (the base condition) kept */
	    {0x1f, 0x1e}, /* IT[4] shifted out */
	};

	for (size_t i = 0; i < sizeof(it) / sizeof(it[0]); i++) {
		/* A 16-bit instruction: IL = 0. */
		sw_exit(&cpu, &vcpu, (uint64_t)HYP_EC_CP15_32 << 26, 0x8000,
			usr_t | spsr_it(it[i].it_before) | HYP_PSR_SS);
		vcpu.exit.esr = (uint64_t)HYP_EC_CP15_32 << 26;
		hyp_vcpu_skip_insn(&vcpu);
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), 0x8002);
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_SPSR_EL2), usr_t | spsr_it(it[i].it_after),
			     "IT %#x", it[i].it_before);
	}
	/* A 32-bit one, and the 32-bit PC wraps. */
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_CP15_32, 0), 0xfffffffe, 0x10);
	hyp_vcpu_skip_insn(&vcpu);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), 2);
}

/* ---- exit decoding (esr.h) ---- */

Test(switch_decode, data_abort_fields)
{
	/* STR XZR, [X2, #0x28] to an unmapped IPA, as QEMU reports it:
	 * ISV, SAS = 3, SRT = 31, SF, WnR, DFSC = translation fault L1. */
	const uint64_t esr = 0x93df8045;

	cr_assert_eq(hyp_esr_ec(esr), HYP_EC_DABT_LOW);
	cr_assert(hyp_esr_il32(esr));
	cr_assert(hyp_esr_da_isv(esr));
	cr_assert_eq(hyp_esr_da_size(esr), 8);
	cr_assert(!hyp_esr_da_sse(esr));
	cr_assert_eq(hyp_esr_da_srt(esr), 31);
	cr_assert(hyp_esr_da_sf(esr));
	cr_assert(!hyp_esr_da_ar(esr));
	cr_assert(hyp_esr_da_wnr(esr));
	cr_assert(!hyp_esr_abt_s1ptw(esr));
	cr_assert(!hyp_esr_abt_fnv(esr));
	cr_assert(!hyp_esr_abt_ea(esr));
	cr_assert(!hyp_esr_da_cm(esr));
	cr_assert_eq(hyp_esr_abt_fsc(esr), 0x05);
	cr_assert_eq(hyp_esr_fsc_type(esr), HYP_FSC_TRANSLATION);
	cr_assert_eq(hyp_esr_fsc_level(esr), 1);

	/* LDRSH W4 with acquire: SAS = 1, SSE, SRT = 4, SF = 0, AR. */
	const uint64_t e2 = ESR(HYP_EC_DABT_LOW, HYP_ESR_DA_ISV | (1u << 22) | HYP_ESR_DA_SSE |
						     (4u << 16) | HYP_ESR_DA_AR | 0x0f);
	cr_assert_eq(hyp_esr_da_size(e2), 2);
	cr_assert(hyp_esr_da_sse(e2));
	cr_assert_eq(hyp_esr_da_srt(e2), 4);
	cr_assert(!hyp_esr_da_sf(e2));
	cr_assert(hyp_esr_da_ar(e2));
	cr_assert(!hyp_esr_da_wnr(e2));
	cr_assert_eq(hyp_esr_fsc_type(e2), HYP_FSC_PERMISSION);
	cr_assert_eq(hyp_esr_fsc_level(e2), 3);

	/* LDP (no syndrome), FnV, EA, CM, S1PTW bits. */
	const uint64_t e3 = ESR(HYP_EC_DABT_LOW, HYP_ESR_xA_FNV | HYP_ESR_xA_EA | HYP_ESR_DA_CM |
						     HYP_ESR_xA_S1PTW | HYP_FSC_SEA);
	cr_assert(!hyp_esr_da_isv(e3));
	cr_assert(hyp_esr_abt_fnv(e3) && hyp_esr_abt_ea(e3) && hyp_esr_da_cm(e3) &&
		  hyp_esr_abt_s1ptw(e3));
	cr_assert_eq(hyp_esr_fsc_type(e3), HYP_FSC_SEA);
	cr_assert_eq(hyp_esr_fsc_type(ESR(HYP_EC_DABT_LOW, 0x16)), HYP_FSC_SEA_TTW);
	cr_assert_eq(hyp_esr_fsc_type(ESR(HYP_EC_DABT_LOW, 0x0a)), HYP_FSC_ACCESS);
	cr_assert_eq(hyp_esr_fsc_type(ESR(HYP_EC_DABT_LOW, 0x21)), HYP_FSC_ALIGNMENT);
}

Test(switch_decode, instruction_abort)
{
	/* Stage-2 translation fault, level 3, during a stage-1 walk. */
	const uint64_t esr = ESR(HYP_EC_IABT_LOW, HYP_ESR_xA_S1PTW | 0x07);

	cr_assert_eq(hyp_esr_ec(esr), 0x20);
	cr_assert(hyp_esr_abt_s1ptw(esr));
	cr_assert_eq(hyp_esr_fsc_type(esr), HYP_FSC_TRANSLATION);
	cr_assert_eq(hyp_esr_fsc_level(esr), 3);
}

Test(switch_decode, sysreg_trap)
{
	/* MRS X20, ID_AA64MMFR0_EL1 as QEMU reports it (TID3). */
	const uint64_t rd = 0x6230028f;
	/* MSR SCTLR_EL1, X21 (TVM). */
	const uint64_t wr = 0x623006a0;

	cr_assert_eq(hyp_esr_ec(rd), HYP_EC_SYS64);
	cr_assert_eq(hyp_esr_sys_op0(rd), 3);
	cr_assert_eq(hyp_esr_sys_op1(rd), 0);
	cr_assert_eq(hyp_esr_sys_crn(rd), 0);
	cr_assert_eq(hyp_esr_sys_crm(rd), 7);
	cr_assert_eq(hyp_esr_sys_op2(rd), 0);
	cr_assert_eq(hyp_esr_sys_rt(rd), 20);
	cr_assert(hyp_esr_sys_is_read(rd));
	cr_assert_eq(hyp_esr_sys_enc(rd), HYP_SYS_ID_AA64MMFR0_EL1);
	cr_assert_eq(hyp_sysreg_lookup(hyp_esr_sys_enc(rd)), HYP_REG_ID_AA64MMFR0_EL1);

	cr_assert_eq(hyp_esr_sys_enc(wr), HYP_SYS_SCTLR_EL1);
	cr_assert_eq(hyp_esr_sys_rt(wr), 21);
	cr_assert(!hyp_esr_sys_is_read(wr));
	/* MRS X0, ACTLR_EL1 (TACR) and MRS X0, CNTPCT_EL0 (CNTHCTL_EL2). */
	cr_assert_eq(hyp_esr_sys_enc(0x62320401), HYP_SYS_ACTLR_EL1);
	cr_assert_eq(hyp_esr_sys_enc(0x6232f801), HYP_SYS_CNTPCT_EL0);
}

Test(switch_decode, hvc_smc_wfx)
{
	cr_assert_eq(hyp_esr_imm16(0x5a000001), 1);
	cr_assert_eq(hyp_esr_ec(0x5a000001), HYP_EC_HVC64);
	cr_assert_eq(hyp_esr_imm16(ESR(HYP_EC_SMC64, 0xbeef)), 0xbeef);

	uint64_t wfi = ESR(HYP_EC_WFX, 0), wfe = ESR(HYP_EC_WFX, 1);
	uint64_t wfet = ESR(HYP_EC_WFX, (1u << 24) | (0xe << 20) | (7u << 5) | (1u << 2) | 3);
	cr_assert_eq(hyp_esr_wfx_ti(wfi), HYP_ESR_WFX_TI_WFI);
	cr_assert(!hyp_esr_wfx_is_wfe(wfi));
	cr_assert(hyp_esr_wfx_is_wfe(wfe));
	cr_assert_eq(hyp_esr_wfx_ti(wfet), HYP_ESR_WFX_TI_WFET);
	cr_assert(hyp_esr_wfx_rv(wfet));
	cr_assert_eq(hyp_esr_wfx_rn(wfet), 7);
	cr_assert(hyp_esr_cv(wfet));
	cr_assert_eq(hyp_esr_cond(wfet), 0xe);
}

Test(switch_decode, conditions)
{
	static const struct {
		unsigned cond;
		uint64_t nzcv;
		bool pass;
	} cases[] = {
	    {0x0, 1ull << 30, true},
	    {0x0, 0, false}, /* EQ */
	    {0x1, 0, true},
	    {0x2, 1ull << 29, true}, /* NE, CS */
	    {0x3, 1ull << 29, false},
	    {0x4, 1ull << 31, true}, /* CC, MI */
	    {0x6, 1ull << 28, true},
	    {0x7, 1ull << 28, false}, /* VS, VC */
	    {0x8, 1ull << 29, true},
	    {0x8, (1ull << 29) | (1ull << 30), false}, /* HI */
	    {0xa, (1ull << 31) | (1ull << 28), true},
	    {0xb, 1ull << 31, true}, /* GE, LT */
	    {0xc, 0, true},
	    {0xc, 1ull << 30, false}, /* GT */
	    {0xd, 1ull << 30, true},
	    {0xe, 0, true}, /* LE, AL */
	    {0xf, 0, true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t esr = ESR(HYP_EC_SMC32, (1u << 24) | (cases[i].cond << 20));
		cr_assert_eq(hyp_esr_cond_passed(esr, cases[i].nzcv), cases[i].pass, "cond %#x",
			     cases[i].cond);
	}
	/* CV = 0: unconditional. */
	cr_assert(hyp_esr_cond_passed(ESR(HYP_EC_SMC32, 0), 0));
}

Test(switch_decode, fault_ipa)
{
	/* HPFAR_EL2.FIPA = IPA[55:12] in bits [47:4]; offset from FAR. */
	cr_assert_eq(hyp_fault_ipa(0x80000ull << 4, 0xffff000000000abcull), 0x80000abcull);
	cr_assert_eq(hyp_fault_ipa(0xfffffffffffull << 4 | 0xf, 0), 0xfffffffffff000ull);
	cr_assert_eq(hyp_fault_ipa(1ull << 63, 0x10), 0x10, "NS bit ignored");
	cr_assert_eq(hyp_esr_iss2(0x0000001f93df8045ull), 0x1f);
	cr_assert_eq(hyp_esr_iss(0x93df8045), 0x1df8045);
}

/*
 * HPFAR_EL2 validity against Arm ARM D24.2.76: HPFAR_EL2 is written for a
 * stage-2 Translation, Access flag or Address size fault not on a stage-1
 * walk, and for those and a Permission fault on a stage-1 walk (S1PTW);
 * "for all other exceptions taken to EL2, this register is UNKNOWN". ESR
 * values are literals (D24.2.46: EC [31:26], IL [25], FnV [10], S1PTW [7],
 * WnR [6], DFSC/IFSC [5:0]).
 */
/* ---- SError synchronisation at exit (Arm ARM D24.2.118 ISR_EL1, D24.9.1
 * DISR_EL1, ESB) ---- */

Test(switch_core, serror_pending_at_exit_is_taken_and_attributed_to_this_exit)
{
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_HVC64, 0), 0x1000, 0x3c5);
	hyp_sim_reg_define(&cpu, SW_ISR_EL1, 0x100); /* A: a physical SError pending */
	cpu.serror_iss = 0x000011;
	hyp_switch_complete(&vcpu, HYP_EXIT_SYNC);
	cr_assert_eq(vcpu.exit.kind, HYP_EXIT_SYNC, "the exit itself is kept");
	cr_assert(vcpu.exit.valid & HYP_EXIT_V_SERROR);
	/* ESR_EL2 of an SError: EC 0x2F, IL, ISS (D24.2.46). */
	cr_assert_eq(vcpu.exit.serror_esr, 0xbe000011ull);
	cr_assert_eq(cpu.counts[HYP_SIM_SERROR_TAKE], 1);
	int dsb = hyp_sim_log_find(&cpu, 0, HYP_SIM_DSB, ~0ull);
	cr_assert(dsb >= 0 && cpu.log[dsb].arg == HYP_BARRIER_SY);
	cr_assert(hyp_sim_log_find(&cpu, (unsigned)dsb, HYP_SIM_ISB, ~0ull) > dsb);
	cr_assert(hyp_sim_log_find(&cpu, 0, HYP_SIM_SERROR_TAKE, ~0ull) > dsb);
	cr_assert_eq(sw_peek(&cpu, SW_ISR_EL1), 0, "no longer pending");

	/* The default answer gives it to the guest: HCR_EL2.VSE. */
	cr_assert_eq(hyp_vcpu_exit_default(&vcpu), HYP_OK);
	cr_assert(vcpu.hcr & (1ull << 8), "HCR_EL2.VSE (bit 8)");
}

Test(switch_core, no_serror_means_no_take)
{
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_HVC64, 0), 0x1000, 0x3c5);
	hyp_switch_complete(&vcpu, HYP_EXIT_IRQ);
	cr_assert_eq(vcpu.exit.valid & HYP_EXIT_V_SERROR, 0);
	cr_assert_eq(cpu.counts[HYP_SIM_SERROR_TAKE], 0);
	cr_assert_eq(cpu.counts[HYP_SIM_ESB], 0);
	/* An SError exit is the SError: no second look. */
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_SERROR, 0), 0x1000, 0x3c5);
	hyp_switch_complete(&vcpu, HYP_EXIT_SERROR);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, SW_ISR_EL1), 0);
	cr_assert_eq(cpu.counts[HYP_SIM_DSB], 0);
	cr_assert_eq(hyp_vcpu_exit_default(&vcpu), HYP_OK);
	cr_assert(vcpu.hcr & (1ull << 8), "an SError exit is given back to the guest");
}

Test(switch_core, ras_defers_the_serror_with_esb_into_disr)
{
	hyp_sim_reg_define(&cpu, HYP_SYS_DISR_EL1, 0);
	vcpu.flags |= HYP_VCPU_RAS;
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_WFX, 0), 0x1000, 0x3c5);
	hyp_sim_reg_define(&cpu, SW_ISR_EL1, 0x100);
	cpu.serror_iss = 0x1000c00; /* IDS, or AET [12:10] */
	hyp_switch_complete(&vcpu, HYP_EXIT_SYNC);
	cr_assert(vcpu.exit.valid & HYP_EXIT_V_SERROR);
	cr_assert_eq(vcpu.exit.serror_esr, 0xbf000c00ull);
	cr_assert_eq(cpu.counts[HYP_SIM_ESB], 1);
	cr_assert_eq(cpu.counts[HYP_SIM_SERROR_TAKE], 0);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, SW_ISR_EL1), 0);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_DISR_EL1), 0, "DISR_EL1 cleared");
	/* Without an error: ESB, one MRS DISR_EL1, no write. */
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_WFX, 0), 0x1000, 0x3c5);
	hyp_switch_complete(&vcpu, HYP_EXIT_SYNC);
	cr_assert_eq(vcpu.exit.valid & HYP_EXIT_V_SERROR, 0);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_DISR_EL1), 1);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_DISR_EL1), 0);
}

Test(switch_decode, hpfar_valid_follows_the_spec_table)
{
	static const struct {
		uint64_t esr;
		bool valid;
		const char *what;
	} cases[] = {
	    {0x92000047ull, true, "DABT lower EL, translation L3, write"},
	    {0x93c08007ull, true, "DABT translation L3 with ISV, SAS=3, SRT=0, SF"},
	    {0x92000006ull, true, "DABT translation L2"},
	    {0x9200000bull, true, "DABT access flag L3"},
	    {0x92000000ull, true, "DABT address size L0"},
	    {0x92000407ull, true, "DABT translation L3, FnV (FAR only is invalid)"},
	    {0x9200002bull, true, "DABT translation level -1 (FEAT_LPA2)"},
	    {0x92000029ull, true, "DABT address size level -1 (FEAT_LPA2)"},
	    {0x9200004full, false, "DABT permission L3, write, S1PTW = 0"},
	    {0x9200004dull, false, "DABT permission L1, write, S1PTW = 0"},
	    {0x9200000eull, false, "DABT permission L2, read, S1PTW = 0"},
	    {0x9200008full, true, "DABT permission L3 on a stage-1 walk (S1PTW)"},
	    {0x920000c7ull, true, "DABT translation L3 on a stage-1 walk, write (HW AF/DBM)"},
	    {0x92000010ull, false, "DABT synchronous external abort"},
	    {0x92000015ull, false, "DABT synchronous external abort on a walk, L1"},
	    {0x92000021ull, false, "DABT alignment fault"},
	    {0x92000030ull, false, "DABT TLB conflict"},
	    {0x82000006ull, true, "IABT lower EL, translation L2"},
	    {0x8200000full, false, "IABT permission L3 (execute-never), S1PTW = 0"},
	    {0x8200008full, true, "IABT permission L3 on a stage-1 walk"},
	    {0x8200000aull, true, "IABT access flag L2"},
	    {0x96000007ull, false, "DABT from EL2 itself (EC 0x25)"},
	    {0x86000007ull, false, "IABT from EL2 itself (EC 0x21)"},
	    {0x5a000000ull, false, "HVC64"},
	    {0x62000007ull, false, "SYS64 with abort-like ISS"},
	    {0xbe000000ull, false, "SError"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(hyp_esr_hpfar_valid(cases[i].esr), cases[i].valid, "%s (%#llx)",
			     cases[i].what, (unsigned long long)cases[i].esr);
}

/* ---- the frame rule (libhyp/world_switch.h, src/switch/entry.S) ----
 * Syndromes typed from Arm ARM D24.2.43 ESR_EL2 (EC [31:26], IL [25]) and
 * D24.2.46, the ISS encodings: EC 0x18 MSR/MRS Rt [9:5], Direction [0];
 * EC 0x24 data abort ISV [24], SRT [20:16]; EC 0x01 WF* RN [9:5], RV [2];
 * EC 0x16/0x17 HVC/SMC64, 0x12/0x13 HVC/SMC32, 0x03/0x04 MCR(R)/MRC(C). */

TestSuite(switch_frame, .init = setup);

/* MRS Xt, ID_AA64MMFR0_EL1 (Op0 3, Op1 0, CRn 0, CRm 7, Op2 0), read. */
static uint64_t mrs_mmfr0(unsigned rt)
{
	return 0x62000000u | (3u << 20) | (7u << 1) | ((uint64_t)rt << 5) | 1u;
}

Test(switch_frame, msr_mrs_saves_the_block_only_for_rt_19_to_29)
{
	for (unsigned rt = 0; rt < 32; rt++)
		cr_assert_eq(hyp_switch_exit_needs_x19_x29(mrs_mmfr0(rt)), rt >= 19 && rt <= 29,
			     "Rt %u", rt);
	/* MSR (Direction 0) alike */
	cr_assert(hyp_switch_exit_needs_x19_x29(mrs_mmfr0(23) & ~1ull));
	cr_assert(!hyp_switch_exit_needs_x19_x29(mrs_mmfr0(2) & ~1ull));
}

Test(switch_frame, data_abort_names_srt_only_with_isv)
{
	/* EC 0x24, IL, ISV, SAS 3 (doubleword), SRT, DFSC 0x07 (translation L3) */
	uint64_t isv = 0x92000000u | (1u << 24) | (3u << 22) | 0x07u;

	cr_assert(!hyp_switch_exit_needs_x19_x29(isv | (7u << 16)));
	cr_assert(hyp_switch_exit_needs_x19_x29(isv | (20u << 16)));
	cr_assert(!hyp_switch_exit_needs_x19_x29(isv | (30u << 16)));
	cr_assert(!hyp_switch_exit_needs_x19_x29(isv | (31u << 16)), "XZR");
	/* ISV = 0 (an LDP): the handler may decode anything */
	cr_assert(hyp_switch_exit_needs_x19_x29(0x92000007u));
}

Test(switch_frame, wfx_names_rn_only_with_rv)
{
	cr_assert(!hyp_switch_exit_needs_x19_x29(0x06000000u), "WFI");
	cr_assert(!hyp_switch_exit_needs_x19_x29(0x06000001u), "WFE");
	cr_assert(!hyp_switch_exit_needs_x19_x29(0x06000000u | (3u << 5) | 4u | 2u), "WFIT x3");
	cr_assert(hyp_switch_exit_needs_x19_x29(0x06000000u | (21u << 5) | 4u | 3u), "WFET x21");
}

Test(switch_frame, smccc_and_cp15_never_other_classes_always)
{
	static const unsigned narrow[] = {0x16, 0x17, 0x12, 0x13, 0x03, 0x04};
	static const unsigned full[] = {0x00, 0x07, 0x0e, 0x20, 0x22, 0x26, 0x2c, 0x3c, 0x19, 0x05};

	for (unsigned i = 0; i < sizeof(narrow) / sizeof(narrow[0]); i++)
		cr_assert(!hyp_switch_exit_needs_x19_x29(((uint64_t)narrow[i] << 26) | (1u << 25)),
			  "EC %#x", narrow[i]);
	for (unsigned i = 0; i < sizeof(full) / sizeof(full[0]); i++)
		cr_assert(hyp_switch_exit_needs_x19_x29(((uint64_t)full[i] << 26) | (1u << 25)),
			  "EC %#x", full[i]);
}

Test(switch_frame, the_flag_is_exit_valid_bit_63)
{
	cr_assert_eq(HYP_EXIT_V_X19_X29_LIVE, 1ull << 63);
	vcpu.exit.valid = 0;
	cr_assert(hyp_vcpu_x19_x29_saved(&vcpu));
	vcpu.exit.valid = HYP_EXIT_V_FAR | HYP_EXIT_V_X19_X29_LIVE;
	cr_assert(!hyp_vcpu_x19_x29_saved(&vcpu));
	/* The host backend's dispatcher saves nothing and keeps all 31 in
	 * regs: the flag is clear after it. */
	vcpu.regs.x[20] = 0x2020;
	sw_exit(&cpu, &vcpu, mrs_mmfr0(2), 0x1000, 0x3c5);
	vcpu.exit.valid = HYP_EXIT_V_X19_X29_LIVE;
	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_EXIT);
	cr_assert(hyp_vcpu_x19_x29_saved(&vcpu));
	cr_assert_eq(hyp_vcpu_get_x(&vcpu, 20), 0x2020);
}

Test(switch_frame, checked_accessors_refuse_what_the_frame_does_not_hold)
{
	uint64_t v = 0x77;

	for (unsigned i = 0; i < 31; i++)
		vcpu.regs.x[i] = 0x1000 + i;
	vcpu.exit.valid = HYP_EXIT_V_X19_X29_LIVE;
	/* X0..X19 and X30 are in regs: read */
	cr_assert_eq(hyp_vcpu_read_gpr(&vcpu, 19, &v), 0);
	cr_assert_eq(v, 0x1013);
	cr_assert_eq(hyp_vcpu_read_gpr(&vcpu, 30, &v), 0);
	cr_assert_eq(v, 0x101e);
	cr_assert_eq(hyp_vcpu_read_gpr(&vcpu, 31, &v), 0);
	cr_assert_eq(v, 0, "XZR");
	/* X20..X29 stale: refused, nothing changed */
	for (unsigned n = 20; n < 30; n++) {
		v = 0x77;
		cr_assert_eq(hyp_vcpu_read_gpr(&vcpu, n, &v), HYP_ESTATE, "x%u", n);
		cr_assert_eq(v, 0x77);
	}
	/* writes: X19 is not reloaded either */
	cr_assert_eq(hyp_vcpu_write_gpr(&vcpu, 18, 5), 0);
	cr_assert_eq(vcpu.regs.x[18], 5);
	cr_assert_eq(hyp_vcpu_write_gpr(&vcpu, 30, 6), 0);
	cr_assert_eq(vcpu.regs.x[30], 6);
	for (unsigned n = 19; n < 30; n++) {
		cr_assert_eq(hyp_vcpu_write_gpr(&vcpu, n, 9), HYP_ESTATE, "x%u", n);
		cr_assert_eq(vcpu.regs.x[n], 0x1000 + n);
	}
	cr_assert_eq(hyp_vcpu_write_gpr(&vcpu, 31, 9), 0, "XZR: ignored");
	/* the full frame: everything */
	vcpu.exit.valid = 0;
	cr_assert_eq(hyp_vcpu_read_gpr(&vcpu, 25, &v), 0);
	cr_assert_eq(v, 0x1019);
	cr_assert_eq(hyp_vcpu_write_gpr(&vcpu, 25, 1), 0);
	cr_assert_eq(vcpu.regs.x[25], 1);
}
