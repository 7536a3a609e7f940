/* SPDX-License-Identifier: MIT */
/* The sysreg engine plugged into the world switch: hooks, HCR_EL2 kept in
 * the vCPU, trapped MSR/MRS on the fast path (dirty tracking, emulation,
 * UNDEF). */
#include <criterion/criterion.h>

#include <libhyp/switch.h>
#include <libhyp/sysreg.h>

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu cpus[1];
static struct hyp_sysreg_vm vm;
static struct hyp_sysreg_vcpu sr;
static struct hyp_vcpu v;
static struct hyp_fast_table fast;

/* Literal HCR_EL2 values (Arm ARM D24.2.62 HCR_EL2): RW bit 31, IMO bit 4,
 * VM bit 0; TVM bit 26; TACR bit 21. */
#define HCR_BASE_LIT 0x80000011ull
#define HCR_BASE HCR_BASE_LIT
#define HCR_TVM_LIT (1ull << 26)
#define HCR_TACR_LIT (1ull << 21)
#define ESR_SYS(op0, op1, crn, crm, op2, rt, read)                                            \
	((0x18ull << 26) | (1ull << 25) | ((uint64_t)(op0) << 20) | ((uint64_t)(op2) << 17) |  \
	 ((uint64_t)(op1) << 14) | ((uint64_t)(crn) << 10) | ((uint64_t)(rt) << 5) |          \
	 ((uint64_t)(crm) << 1) | (read))

static const struct hyp_sysreg_policy_req tvm_dirty[] = {
	{ HYP_REG_SCTLR_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_TTBR0_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_CONTEXTIDR_EL1, HYP_SYSREG_DIRTY },
};

static void setup(void)
{
	struct hyp_sysreg_vm_config c = { .default_policy = HYP_SYSREG_DEFERRED,
					  .req = tvm_dirty, .nr_req = 3 };

	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim, HYP_RF_ID | HYP_SYSREG_CTX, false);
	const uint16_t el2[] = { HYP_SYS_HCR_EL2, HYP_SYS_ICC_SRE_EL2, HYP_SYS_ESR_EL2,
				 HYP_SYS_ELR_EL2, HYP_SYS_SPSR_EL2, HYP_SYS_FAR_EL2 };
	for (unsigned i = 0; i < sizeof(el2) / sizeof(el2[0]); i++)
		hyp_sim_reg_define(&sim, el2[i], 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000011111112);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, 0x00101122);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122);
	hyp_cpufeat_reset();
	hyp_cpufeat_init(cpus, 1);
	hyp_cpufeat_probe_cpu(0);
	hyp_cpufeat_finalize(NULL, 0, NULL);

	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	cr_assert_eq(hyp_sysreg_vcpu_init(&sr, &vm), 0);
	hyp_fast_table_init(&fast);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_SYS64, hyp_sysreg_fast_trap, NULL), 0);
	cr_assert_eq(hyp_vcpu_init(&v, HCR_BASE, &fast), 0);
	cr_assert_eq(hyp_vcpu_use_sysreg(&v, &sr), 0);
}

/* The guest trapped with @esr at PC 0x1000; the vector saved its GPRs. */
static void guest_exit(uint64_t esr)
{
	hyp_sim_reg_define(&sim, HYP_SYS_ESR_EL2, esr);
	hyp_sim_reg_define(&sim, HYP_SYS_ELR_EL2, 0x1000);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, HYP_PSR_M_EL1H);
	v.live = 1;
	hyp_sim_reset_counts(&sim);
}

static void fini(void)
{
	hyp_cpufeat_reset();
}

TestSuite(sysreg_plug, .init = setup, .fini = fini);

Test(sysreg_plug, hcr_bits_live_in_the_vcpu)
{
	cr_assert_eq(sr.hcr_owner, &v.hcr);
	cr_assert_eq(hyp_sysreg_load(&sr), 0);
	/* the engine set TVM (dirty tracking) and TACR (ACTLR_EL1 is never
	 * switched, its accesses are answered) in the vCPU's HCR value; the
	 * switch writes it */
	cr_assert_eq(v.hcr, HCR_BASE_LIT | HCR_TVM_LIT | HCR_TACR_LIT);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 0);
}

Test(sysreg_plug, dirty_write_trap_on_the_fast_path)
{
	hyp_sysreg_load(&sr);
	hyp_switch_prepare(&v); /* the entry half: hooks->enter, HCR_EL2 */
	hyp_sim_reg_define(&sim, HYP_SYS_CONTEXTIDR_EL1, 0);

	/* msr contextidr_el1, x5 (3,0,13,0,1) */
	v.regs.x[5] = 0x42;
	guest_exit(ESR_SYS(3, 0, 13, 0, 1, 5, 0));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	/* the write happened, the PC moved on, the group is disarmed */
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_CONTEXTIDR_EL1), 1);
	uint64_t val;
	hyp_sim_reg_peek(&sim, HYP_SYS_CONTEXTIDR_EL1, &val);
	cr_assert_eq(val, 0x42);
	hyp_sim_reg_peek(&sim, HYP_SYS_ELR_EL2, &val);
	cr_assert_eq(val, 0x1004);
	cr_assert_eq(v.hcr & HCR_TVM_LIT, 0);
	cr_assert_eq(sr.traps, 1);
	/* the live HCR_EL2 loses TVM before the guest resumes: one write */
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
	hyp_sim_reg_peek(&sim, HYP_SYS_HCR_EL2, &val);
	cr_assert_eq(val, HCR_BASE_LIT | HCR_TACR_LIT);

	hyp_sysreg_put(&sr);
	cr_assert_eq(sr.regs[HYP_REG_CONTEXTIDR_EL1], 0x42);
}

Test(sysreg_plug, mrs_into_a_high_register_needs_a_full_resume)
{
	sr.regs[HYP_REG_TPIDR_EL1] = 0x77;
	/* not loaded: the value comes from memory; mrs x20, tpidr_el1 (3,0,13,0,4) */
	guest_exit(ESR_SYS(3, 0, 13, 0, 4, 20, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME);
	cr_assert_eq(v.regs.x[20], 0x77);
	/* mrs x3: the short resume */
	guest_exit(ESR_SYS(3, 0, 13, 0, 4, 3, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(v.regs.x[3], 0x77);
}

Test(sysreg_plug, absent_register_gets_undef)
{
	/* PIR_EL1 (3,0,10,2,3): this CPU has no S1PIE */
	hyp_sysreg_load(&sr);
	hyp_sysreg_vcpu_write(&sr, VBAR_EL1, 0x80000);
	guest_exit(ESR_SYS(3, 0, 10, 2, 3, 1, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME);
	uint64_t pc, esr1;
	hyp_sim_reg_peek(&sim, HYP_SYS_ELR_EL2, &pc);
	/* current EL with SP_ELx, synchronous: VBAR_EL1 + 0x200 */
	cr_assert_eq(pc, 0x80200);
	hyp_sim_reg_peek(&sim, HYP_SYS_ESR_EL1, &esr1);
	cr_assert_eq(esr1 >> 26, 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_PIR_EL1), 0);
}

Test(sysreg_plug, refuses_what_cannot_hold)
{
	struct hyp_sysreg_vm vm2;
	struct hyp_sysreg_vcpu sr2;
	struct hyp_sysreg_vm_config c = { .host = HYP_SYSREG_HOST_EL1,
					  .default_policy = HYP_SYSREG_IMMEDIATE };

	cr_assert_eq(hyp_sysreg_vm_init(&vm2, &c, NULL), 0);
	hyp_sysreg_vcpu_init(&sr2, &vm2);
	cr_assert_eq(hyp_vcpu_use_sysreg(&v, &sr2), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_use_sysreg(NULL, &sr), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_use_sysreg(&v, NULL), HYP_EINVAL);
	/* a vCPU without the engine: the handler declines */
	struct hyp_vcpu plain;
	hyp_vcpu_init(&plain, HCR_BASE, &fast);
	plain.live = 1;
	cr_assert_eq(hyp_sysreg_fast_trap(&plain, ESR_SYS(3, 0, 13, 0, 4, 3, 1), &fast.entry[0x18]),
		     HYP_FAST_EXIT);
}

Test(sysreg_plug, actlr_el1_access_is_answered_on_the_fast_path)
{
	uint64_t pc;

	/* Arm ARM D24.2.2: ACTLR_EL1 (3,0,1,0,1) traps with HCR_EL2.TACR and is
	 * answered from the VM's value; a write is ignored */
	sr.regs[HYP_REG_ACTLR_EL1] = 0x1234;
	hyp_sysreg_load(&sr);
	hyp_switch_prepare(&v);
	cr_assert(v.hcr & HCR_TACR_LIT);
	/* mrs x4, actlr_el1 */
	guest_exit(ESR_SYS(3, 0, 1, 0, 1, 4, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(v.regs.x[4], 0x1234);
	hyp_sim_reg_peek(&sim, HYP_SYS_ELR_EL2, &pc);
	cr_assert_eq(pc, 0x1004);
	/* msr actlr_el1, x5 */
	v.regs.x[5] = 0xffff;
	guest_exit(ESR_SYS(3, 0, 1, 0, 1, 5, 0));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	hyp_sim_reg_peek(&sim, HYP_SYS_ELR_EL2, &pc);
	cr_assert_eq(pc, 0x1004);
	cr_assert_eq(hyp_sysreg_vcpu_read(&sr, ACTLR_EL1), 0x1234);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ACTLR_EL1) +
			     hyp_sim_reg_writes(&sim, HYP_SYS_ACTLR_EL1),
		     0);
}

/* ------------------------------------------------------------------ */
/* The MSR/MRS dispatcher (issue 13, item 2): integrator table, the VM's */
/* ID view, the engine; a one-entry cache; handler errors reported.    */
/* ------------------------------------------------------------------ */

#include <libhyp/cpufeat.h>

static struct hyp_cpufeat_vm idview;
static struct hyp_sysreg_dispatch disp;
static unsigned calls_tpidr, calls_pfr0, calls_fail;
static struct hyp_sysreg_vcpu *seen_sr;

static int h_tpidr(struct hyp_sysreg_vcpu *s, struct hyp_sysreg_access *a, void *ctx)
{
	(void)ctx;
	calls_tpidr++;
	seen_sr = s;
	if (a->read)
		a->val = 0x7171;
	return HYP_SYSREG_HANDLED;
}

static int h_pfr0(struct hyp_sysreg_vcpu *s, struct hyp_sysreg_access *a, void *ctx)
{
	(void)s, (void)ctx;
	calls_pfr0++;
	a->val = 0xabcd;
	return HYP_SYSREG_HANDLED;
}

static int h_fail(struct hyp_sysreg_vcpu *s, struct hyp_sysreg_access *a, void *ctx)
{
	(void)s, (void)a, (void)ctx;
	calls_fail++;
	return HYP_ENOMEM;
}

/* Encodings (op0, op1, CRn, CRm, op2) from the Arm ARM register
 * descriptions: ID_AA64PFR0_EL1 (3,0,0,4,0) D24.2.93; ID_AA64MMFR1_EL1
 * (3,0,0,7,1) D24.2.87; TPIDR_EL1 (3,0,13,0,4) D24.2.178; CNTFRQ_EL0
 * (3,3,14,0,0) D24.8.1; MDSCR_EL1 (2,0,0,2,2) D24.3.19. */
static const struct hyp_sysreg_trap_entry disp_entries[] = {
	{ (3u << 14) | (0u << 11) | (0u << 7) | (4u << 3) | 0u, h_pfr0, NULL },
	{ (3u << 14) | (0u << 11) | (13u << 7) | (0u << 3) | 4u, h_tpidr, NULL },
	{ (3u << 14) | (3u << 11) | (14u << 7) | (0u << 3) | 0u, h_fail, NULL },
};
static const struct hyp_sysreg_trap_table disp_table = { disp_entries, 3 };

static void dispatch_setup(void)
{
	setup();
	cr_assert_eq(hyp_cpufeat_vm_init(&idview, NULL, 0), 0);
	cr_assert_eq(hyp_sysreg_dispatch_init(&disp, &disp_table, &idview), 0);
	hyp_fast_table_init(&fast);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, &disp), 0);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_CP15_32, hyp_sysreg_dispatch_trap_aa32, &disp),
		     0);
	calls_tpidr = calls_pfr0 = calls_fail = 0;
	seen_sr = NULL;
}

TestSuite(sysreg_dispatch, .init = dispatch_setup, .fini = fini);

static uint64_t elr(void)
{
	uint64_t pc;

	hyp_sim_reg_peek(&sim, HYP_SYS_ELR_EL2, &pc);
	return pc;
}

Test(sysreg_dispatch, the_sysreg_vcpu_carries_its_owner)
{
	/* item 3: a handler reaches its vCPU without container_of */
	cr_assert_eq(sr.owner, &v);
	hyp_sysreg_load(&sr);
	guest_exit(ESR_SYS(3, 0, 13, 0, 4, 2, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(seen_sr, &sr);
	cr_assert_eq(seen_sr->owner, &v);
}

Test(sysreg_dispatch, the_integrators_table_wins_over_the_id_view_and_the_engine)
{
	hyp_sysreg_load(&sr);
	sr.regs[HYP_REG_TPIDR_EL1] = 0x5555;
	/* mrs x3, id_aa64pfr0_el1: in the table and in the ID view */
	guest_exit(ESR_SYS(3, 0, 0, 4, 0, 3, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(v.regs.x[3], 0xabcd);
	cr_assert_eq(calls_pfr0, 1);
	/* mrs x2, tpidr_el1: in the table and a context register of the engine */
	guest_exit(ESR_SYS(3, 0, 13, 0, 4, 2, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(v.regs.x[2], 0x7171);
	cr_assert_eq(calls_tpidr, 1);
	cr_assert_eq(elr(), 0x1004);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_TPIDR_EL1), 0);
}

Test(sysreg_dispatch, id_reads_come_from_the_vm_view_without_reading_hardware)
{
	hyp_sysreg_load(&sr);
	/* mrs x4, id_aa64mmfr1_el1: not in the table; the view (the value the
	 * simulated CPU had at probe time: 0x10212122) */
	idview.id[HYP_REG_ID_AA64MMFR1_EL1] = 0x10212122;
	guest_exit(ESR_SYS(3, 0, 0, 7, 1, 4, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(v.regs.x[4], 0x10212122);
	cr_assert_eq(elr(), 0x1004);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ID_AA64MMFR1_EL1), 0);
	/* mrs x5, (3,0,0,7,7): an unallocated ID encoding, RAZ (D23.3.1) */
	v.regs.x[5] = 0x99;
	guest_exit(ESR_SYS(3, 0, 0, 7, 7, 5, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(v.regs.x[5], 0);
	/* the only hardware accesses: the exit's ESR_EL2 read and the skip
	 * (SPSR_EL2 read, ELR_EL2 read and write) */
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ESR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_SPSR_EL2), 1);
	cr_assert_eq(hyp_sim_total(&sim), 4, "%u", hyp_sim_total(&sim));
}

Test(sysreg_dispatch, an_msr_to_an_id_register_is_undef_and_the_engine_comes_last)
{
	uint64_t esr1;

	hyp_sysreg_load(&sr);
	hyp_sysreg_vcpu_write(&sr, VBAR_EL1, 0x80000);
	/* msr id_aa64mmfr1_el1, x1: the ID view answers reads only */
	guest_exit(ESR_SYS(3, 0, 0, 7, 1, 1, 0));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME);
	cr_assert_eq(elr(), 0x80200, "UNDEF: VBAR_EL1 + 0x200");
	hyp_sim_reg_peek(&sim, HYP_SYS_ESR_EL1, &esr1);
	cr_assert_eq(esr1 >> 26, 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ID_AA64MMFR1_EL1), 0);
	/* msr contextidr_el1, x5: neither table nor view: the engine's dirty
	 * tracking (one write of the register, TVM disarmed) */
	hyp_switch_prepare(&v);
	v.regs.x[5] = 0x42;
	guest_exit(ESR_SYS(3, 0, 13, 0, 1, 5, 0));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_CONTEXTIDR_EL1), 1);
	cr_assert_eq(sr.traps, 1);
	cr_assert_eq(v.hcr & HCR_TVM_LIT, 0);
	/* mrs x1, pir_el1: ABSENT (no S1PIE on this CPU): UNDEF */
	guest_exit(ESR_SYS(3, 0, 10, 2, 3, 1, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME);
	cr_assert_eq(elr(), 0x80200);
}

Test(sysreg_dispatch, a_second_trap_of_the_same_register_searches_nothing)
{
	hyp_sysreg_load(&sr);
	cr_assert_eq(sr.trap_lookups, 0);
	for (unsigned i = 0; i < 3; i++) {
		/* mrs x2, tpidr_el1 then msr tpidr_el1, x7: same register, any Rt
		 * or direction */
		guest_exit(ESR_SYS(3, 0, 13, 0, 4, 2, 1));
		cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
		guest_exit(ESR_SYS(3, 0, 13, 0, 4, 7, 0));
		cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	}
	cr_assert_eq(calls_tpidr, 6);
	cr_assert_eq(sr.trap_lookups, 1, "one search for six traps");
	/* another register: one more search; the engine's and the ID view's
	 * answers are cached too */
	guest_exit(ESR_SYS(3, 0, 0, 7, 1, 4, 1));
	hyp_switch_sync_exit(&v);
	guest_exit(ESR_SYS(3, 0, 0, 7, 1, 4, 1));
	hyp_switch_sync_exit(&v);
	cr_assert_eq(sr.trap_lookups, 2);
	/* another configuration (the compatibility entry with no table): the
	 * cached answer is not reused */
	struct hyp_fast_entry compat = { hyp_sysreg_fast_trap, NULL };
	guest_exit(ESR_SYS(3, 0, 0, 7, 1, 4, 1));
	cr_assert_eq(hyp_sysreg_fast_trap(&v, ESR_SYS(3, 0, 0, 7, 1, 4, 1), &compat),
		     HYP_FAST_RESUME, "no ID view there: the engine's UNDEF");
	cr_assert_eq(sr.trap_lookups, 3);
}

Test(sysreg_dispatch, a_handlers_error_is_reported_not_turned_into_undef)
{
	hyp_sysreg_load(&sr);
	cr_assert_eq(sr.trap_error, 0);
	v.regs.x[6] = 0x66;
	/* mrs x6, cntfrq_el0: the handler fails with HYP_ENOMEM */
	guest_exit(ESR_SYS(3, 3, 14, 0, 0, 6, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_EXIT);
	cr_assert_eq(calls_fail, 1);
	cr_assert_eq(sr.trap_error, HYP_ENOMEM);
	/* nothing done to the guest: no skip, no UNDEF, Rt unchanged */
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ELR_EL2), 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ESR_EL1), 0);
	cr_assert_eq(v.regs.x[6], 0x66);
}

Test(sysreg_dispatch, aarch32_cp15_goes_through_the_same_dispatcher)
{
	hyp_sysreg_load(&sr);
	v.regs.x[2] = 0x2222;
	/* MRC p15, 0, R2, c14, c0, 0 (CNTFRQ; Arm ARM G8.7.1, ISS D24.2.46:
	 * CV 1, COND 0xe, Opc2 0, Opc1 0, CRn 14, Rt 2, CRm 0, read); EC 0x03,
	 * IL: mapped to CNTFRQ_EL0, whose table handler fails */
	guest_exit(0x0fe03841ull);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, HYP_PSR_M_AA32_USR);
	hyp_sim_reset_counts(&sim);
	v.exit.esr = 0x0fe03841ull;
	cr_assert_eq(hyp_sysreg_dispatch_trap_aa32(&v, 0x0fe03841ull, &fast.entry[HYP_EC_CP15_32]),
		     HYP_FAST_EXIT);
	cr_assert_eq(calls_fail, 1, "the AArch64 table's handler ran");
	cr_assert_eq(sr.trap_error, HYP_ENOMEM);
	cr_assert_eq(v.regs.x[2], 0x2222);
	cr_assert_eq(elr(), 0x1000);
}

Test(sysreg_dispatch, aarch32_a_mapped_context_register_reaches_the_engine)
{
	hyp_sysreg_load(&sr);
	sr.regs[HYP_REG_CONTEXTIDR_EL1] = 0x1234;
	/* MRC p15, 0, R3, c13, c0, 1 (CONTEXTIDR; ISS D24.2.46): Opc2 1 [19:17],
	 * CRn 13 [13:10], Rt 3 [9:5], read */
	const uint64_t esr = (0x03ull << 26) | (1ull << 25) | (1ull << 24) | (0xeull << 20) |
			     (1ull << 17) | (13ull << 10) | (3ull << 5) | 1u;
	guest_exit(esr);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, HYP_PSR_M_AA32_USR);
	hyp_sim_reg_define(&sim, HYP_SYS_CONTEXTIDR_EL1, 0xffff00001234ull);
	hyp_sim_reset_counts(&sim);
	v.exit.esr = esr;
	cr_assert_eq(hyp_sysreg_dispatch_trap_aa32(&v, esr, &fast.entry[HYP_EC_CP15_32]),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(v.regs.x[3], 0x1234, "32 bits of the register");
	cr_assert_eq(elr(), 0x1004, "an A32 MRC is 4 bytes");
	cr_assert_eq(sr.trap_lookups, 1);
}

Test(sysreg_dispatch, the_compatibility_entry_declines_another_class)
{
	struct hyp_fast_entry compat = { hyp_sysreg_fast_trap, NULL };

	hyp_sysreg_load(&sr);
	/* EC 0x16 (HVC64, Arm ARM D24.2.46) with an ISS that would read as
	 * mrs x2, tpidr_el1: not an MSR/MRS, declined, nothing touched */
	guest_exit((0x16ull << 26) | (1ull << 25) | (ESR_SYS(3, 0, 13, 0, 4, 2, 1) & 0x1ffffff));
	cr_assert_eq(hyp_sysreg_fast_trap(&v, (0x16ull << 26) | (1ull << 25) |
						  (ESR_SYS(3, 0, 13, 0, 4, 2, 1) & 0x1ffffff),
					  &compat),
		     HYP_FAST_EXIT);
	cr_assert_eq(calls_tpidr, 0);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

/* ---- direct handlers (libhyp/sysreg_bridge.h): a cached hit tail-calls
 * the handler with a pointer to Xt, no access struct ---- */
#include <libhyp/sysreg_bridge.h>

static unsigned direct_calls;
static uint64_t *direct_xt;
static uint64_t direct_seen, direct_store = 0x15;
static bool direct_undef;

static int h_direct(struct hyp_vcpu *vc, uint64_t esr, uint64_t *xt, void *ctx)
{
	cr_assert_eq(ctx, (void *)0xc7);
	direct_calls++;
	direct_xt = xt;
	direct_seen = *xt;
	if (direct_undef)
		return hyp_sysreg_direct_undef(vc);
	if (esr & 1u)
		*xt = direct_store;
	else
		direct_store = *xt;
	return hyp_sysreg_direct_done(vc, esr);
}

static const struct hyp_sysreg_direct direct = { h_direct, (void *)0xc7 };

/* PMSELR_EL0 (3,3,9,12,5), Arm ARM D24.x PMSELR_EL0; CNTFRQ_EL0
 * (3,3,14,0,0) D24.8.1: sorted by (op0, op1, CRn, CRm, op2). */
static const struct hyp_sysreg_trap_entry direct_entries[] = {
	{ (3u << 14) | (3u << 11) | (9u << 7) | (12u << 3) | 5u, hyp_sysreg_trap_direct,
	  (void *)&direct },
	{ (3u << 14) | (3u << 11) | (14u << 7) | (0u << 3) | 0u, hyp_sysreg_trap_direct,
	  (void *)&direct },
};
static const struct hyp_sysreg_trap_table direct_table = { direct_entries, 2 };

static void direct_setup(void)
{
	setup();
	cr_assert_eq(hyp_sysreg_dispatch_init(&disp, &direct_table, NULL), 0);
	hyp_fast_table_init(&fast);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, &disp), 0);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_CP15_32, hyp_sysreg_dispatch_trap_aa32, &disp),
		     0);
	direct_calls = 0;
	direct_xt = NULL;
	direct_store = 0x15;
	direct_undef = false;
	hyp_sysreg_load(&sr);
}

TestSuite(sysreg_direct, .init = direct_setup, .fini = fini);

Test(sysreg_direct, a_read_gets_a_pointer_to_xt_and_completes_in_the_handler)
{
	/* mrs x5, pmselr_el0 */
	guest_exit(ESR_SYS(3, 3, 9, 12, 5, 5, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_calls, 1);
	cr_assert_eq(direct_xt, &v.regs.x[5]);
	cr_assert_eq(v.regs.x[5], 0x15);
	cr_assert_eq(elr(), 0x1004);
	/* ESR_EL2 (the dispatcher), SPSR_EL2, ELR_EL2 read and written: no
	 * SPSR_EL2 write (SS and BTYPE clear) */
	cr_assert_eq(hyp_sim_total(&sim), 4);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_SPSR_EL2), 0);
	/* the same register again: the cache, no search */
	v.regs.x[7] = 0x1e;
	guest_exit(ESR_SYS(3, 3, 9, 12, 5, 7, 0));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_seen, 0x1e, "a write sees Xt");
	cr_assert_eq(direct_store, 0x1e);
	cr_assert_eq(sr.trap_lookups, 1);
}

Test(sysreg_direct, a_read_into_x19_x29_needs_a_full_resume)
{
	guest_exit(ESR_SYS(3, 3, 9, 12, 5, 20, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME);
	cr_assert_eq(v.regs.x[20], 0x15);
	guest_exit(ESR_SYS(3, 3, 9, 12, 5, 30, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18, "X30 is always reloaded");
	cr_assert_eq(v.regs.x[30], 0x15);
}

Test(sysreg_direct, xzr_reads_zero_and_a_read_into_it_is_lost)
{
	v.regs.sp_el0 = 0x5e;
	v.regs.x[30] = 0x30;
	/* msr pmselr_el0, xzr */
	guest_exit(ESR_SYS(3, 3, 9, 12, 5, 31, 0));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_seen, 0);
	/* mrs xzr, pmselr_el0 */
	guest_exit(ESR_SYS(3, 3, 9, 12, 5, 31, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(v.regs.sp_el0, 0x5e, "nothing written past x[30]");
	cr_assert_eq(v.regs.x[30], 0x30);
	cr_assert_eq(elr(), 0x1004);
}

Test(sysreg_direct, ss_and_btype_are_cleared_by_the_skip)
{
	guest_exit(ESR_SYS(3, 3, 9, 12, 5, 5, 1));
	/* SPSR_EL2 (Arm ARM C5.2.19): SS bit 21, BTYPE bits [11:10] */
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, 0x5 | (1ull << 21) | (2ull << 10));
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME_X0_X18);
	uint64_t spsr = 0;
	hyp_sim_reg_peek(&sim, HYP_SYS_SPSR_EL2, &spsr);
	cr_assert_eq(spsr, 0x5);
	cr_assert_eq(elr(), 0x1004);
}

Test(sysreg_direct, undef_from_a_direct_handler)
{
	direct_undef = true;
	v.regs.x[5] = 0x55;
	guest_exit(ESR_SYS(3, 3, 9, 12, 5, 5, 1));
	cr_assert_eq(hyp_switch_sync_exit(&v), HYP_FAST_RESUME);
	cr_assert_eq(v.regs.x[5], 0x55);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ESR_EL1), 1, "the UNDEF's syndrome");
	cr_assert_neq(elr(), 0x1004);
}

Test(sysreg_direct, aarch32_cp15_reaches_the_direct_handler)
{
	/* MRC p15, 0, R2, c14, c0, 0 (CNTFRQ; ISS D24.2.46) */
	const uint64_t esr = 0x0fe03841ull;

	direct_store = 0x123456789ull;
	guest_exit(esr);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, HYP_PSR_M_AA32_USR);
	hyp_sim_reset_counts(&sim);
	v.exit.esr = esr;
	cr_assert_eq(hyp_sysreg_dispatch_trap_aa32(&v, esr, &fast.entry[HYP_EC_CP15_32]),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_calls, 1);
	cr_assert_eq(v.regs.x[2], 0x23456789, "32 bits");
	cr_assert_eq(elr(), 0x1004, "an A32 MRC is 4 bytes");
}

Test(sysreg_direct, the_marker_declines_as_an_ordinary_handler)
{
	struct hyp_sysreg_access a = { .enc = direct_entries[0].enc, .rt = 5, .read = 1 };

	cr_assert_eq(hyp_sysreg_trap_direct(&sr, &a, (void *)&direct), HYP_ENOTSUP);
	cr_assert_eq(direct_calls, 0);
}

/* ---- storage-slot entries (hyp_sysreg_trap_slot) and the record of the
 * vector code's early answer (libhyp/sysreg_bridge.h, "Storage-slot
 * entries") ---- */

#include <stddef.h>
#include <string.h>

/* The vCPU inside an integrator's structure, the register beside it. */
struct slot_box {
	struct hyp_vcpu hv;
	uint64_t pad;
	uint64_t pmselr;
};
static struct slot_box box;

static const struct hyp_sysreg_slot pmselr_slot = {
    (int64_t)offsetof(struct slot_box, pmselr) - (int64_t)offsetof(struct slot_box, hv), 0x1f};
static const struct hyp_sysreg_slot bad_slot = {4, ~0ull};

/* PMSELR_EL0 (3,3,9,12,5) a slot; CNTFRQ_EL0 (3,3,14,0,0) direct; sorted
 * by (op0, op1, CRn, CRm, op2). */
static const struct hyp_sysreg_trap_entry slot_entries[] = {
    {(3u << 14) | (3u << 11) | (9u << 7) | (12u << 3) | 5u, hyp_sysreg_trap_slot,
     (void *)&pmselr_slot},
    {(3u << 14) | (3u << 11) | (14u << 7) | (0u << 3) | 0u, hyp_sysreg_trap_direct,
     (void *)&direct},
};
static const struct hyp_sysreg_trap_table slot_table = {slot_entries, 2};

static void slot_setup(void)
{
	setup();
	memset(&box, 0, sizeof(box));
	cr_assert_eq(hyp_sysreg_dispatch_init(&disp, &slot_table, NULL), 0);
	hyp_fast_table_init(&fast);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, &disp), 0);
	cr_assert_eq(hyp_vcpu_init(&box.hv, HCR_BASE, &fast), 0);
	cr_assert_eq(hyp_sysreg_vcpu_init(&sr, &vm), 0);
	cr_assert_eq(hyp_vcpu_use_sysreg(&box.hv, &sr), 0);
	direct_calls = 0;
	direct_store = 0x15;
	direct_undef = false;
	hyp_sysreg_load(&sr);
}

static void box_exit(uint64_t esr)
{
	guest_exit(esr);
	box.hv.live = 1;
}

TestSuite(sysreg_slot, .init = slot_setup, .fini = fini);

Test(sysreg_slot, a_write_is_masked_a_read_returns_it_and_the_access_is_recorded)
{
	/* msr pmselr_el0, x7: SEL is bits [4:0] (the slot's mask) */
	box.hv.regs.x[7] = 0xffe3;
	box_exit(ESR_SYS(3, 3, 9, 12, 5, 7, 0));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(box.pmselr, 0x3);
	cr_assert_eq(elr(), 0x1004);
	/* ESR_EL2, SPSR_EL2, ELR_EL2 read and written: nothing else */
	cr_assert_eq(hyp_sim_total(&sim), 4);
	/* a slot's record: bit 63 set (ESR_EL2 [63:32] are 0 for EC 0x18) */
	cr_assert_eq(box.hv.trap_esr, ESR_SYS(3, 3, 9, 12, 5, 7, 0) | 1ull << 63);
	cr_assert_eq(box.hv.trap_answer, (uintptr_t)&box.pmselr | 1u);
	cr_assert_eq(box.hv.trap_wmask, 0x1f);
	/* mrs x20, pmselr_el0: any Rt for a slot; the record without bit 0 */
	box.pmselr = 0x11;
	box_exit(ESR_SYS(3, 3, 9, 12, 5, 20, 1));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME);
	cr_assert_eq(box.hv.regs.x[20], 0x11);
	cr_assert_eq(hyp_sim_total(&sim), 4);
	cr_assert_eq(box.hv.trap_esr, ESR_SYS(3, 3, 9, 12, 5, 20, 0) | 1ull << 63);
}

Test(sysreg_slot, xzr_writes_zero_and_a_read_into_it_is_lost)
{
	box.pmselr = 0x7;
	box.hv.regs.sp_el0 = 0x5e;
	box_exit(ESR_SYS(3, 3, 9, 12, 5, 31, 1));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(box.hv.regs.sp_el0, 0x5e, "nothing written past x[30]");
	box_exit(ESR_SYS(3, 3, 9, 12, 5, 31, 0));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(box.pmselr, 0);
}

Test(sysreg_slot, a_direct_entry_is_recorded_for_x0_x15_only)
{
	box_exit(ESR_SYS(3, 3, 14, 0, 0, 9, 1));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_calls, 1);
	cr_assert_eq(box.hv.trap_esr, ESR_SYS(3, 3, 14, 0, 0, 9, 0));
	cr_assert_eq(box.hv.trap_answer, (uintptr_t)&direct);
	cr_assert_eq(box.hv.trap_wmask, (uintptr_t)&box.hv.regs.x[9]);
	/* the cached hit (C dispatcher's compare) records too: Rt 15 */
	box_exit(ESR_SYS(3, 3, 14, 0, 0, 15, 1));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(box.hv.trap_esr, ESR_SYS(3, 3, 14, 0, 0, 15, 0));
	/* Rt 16: answered, not recorded (the early call leaves X16.. live) */
	box_exit(ESR_SYS(3, 3, 14, 0, 0, 16, 1));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_calls, 3);
	cr_assert_eq(box.hv.trap_esr, ESR_SYS(3, 3, 14, 0, 0, 15, 0));
	/* XZR: not recorded either */
	box_exit(ESR_SYS(3, 3, 14, 0, 0, 31, 1));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(box.hv.trap_esr, ESR_SYS(3, 3, 14, 0, 0, 15, 0));
}

/* An integrator's wrapper around the dispatcher: the early path would skip
 * it, so nothing is recorded. */
static int wrapper_calls;
static int wrapper(struct hyp_vcpu *vc, uint64_t esr, const struct hyp_fast_entry *self)
{
	wrapper_calls++;
	return hyp_sysreg_dispatch_trap(vc, esr, self);
}

Test(sysreg_slot, nothing_is_recorded_through_a_wrapper_or_from_aarch32)
{
	hyp_fast_table_init(&fast);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_SYS64, wrapper, &disp), 0);
	box_exit(ESR_SYS(3, 3, 9, 12, 5, 7, 0));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(wrapper_calls, 1);
	cr_assert_eq(box.hv.trap_esr, 0);
	box_exit(ESR_SYS(3, 3, 14, 0, 0, 9, 1));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(box.hv.trap_esr, 0);
	/* another entry than the table's EC 0x18 one */
	struct hyp_fast_entry other = {hyp_sysreg_dispatch_trap, &disp};
	box_exit(ESR_SYS(3, 3, 9, 12, 5, 7, 0));
	cr_assert_eq(hyp_sysreg_dispatch_trap(&box.hv, ESR_SYS(3, 3, 9, 12, 5, 7, 0), &other),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(box.hv.trap_esr, 0);
	/* MRC p15, 0, R2, c14, c0, 0 (CNTFRQ, ISS D24.2.46) to the direct
	 * entry through the AArch32 dispatcher */
	hyp_fast_table_init(&fast);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, &disp), 0);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_CP15_32, hyp_sysreg_dispatch_trap_aa32, &disp),
		     0);
	box_exit(0x0fe03841ull);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, HYP_PSR_M_AA32_USR);
	cr_assert_eq(
	    hyp_sysreg_dispatch_trap_aa32(&box.hv, 0x0fe03841ull, &fast.entry[HYP_EC_CP15_32]),
	    HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(direct_calls, 2);
	cr_assert_eq(box.hv.trap_esr, 0);
}

Test(sysreg_slot, the_record_ends_at_the_next_run_and_at_a_new_binding)
{
	box_exit(ESR_SYS(3, 3, 9, 12, 5, 7, 1));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_neq(box.hv.trap_esr, 0);
	box.hv.live = 0;
	hyp_sim_reset_counts(&sim);
	hyp_switch_prepare(&box.hv);
	cr_assert_eq(box.hv.trap_esr, 0);
	box_exit(ESR_SYS(3, 3, 9, 12, 5, 7, 1));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME_X0_X18);
	cr_assert_neq(box.hv.trap_esr, 0);
	box.hv.live = 0;
	cr_assert_eq(hyp_vcpu_use_sysreg(&box.hv, &sr), 0);
	cr_assert_eq(box.hv.trap_esr, 0);
}

Test(sysreg_slot, bad_input_changes_nothing)
{
	struct hyp_sysreg_access a = {.rt = 1, .read = 0, .val = 0x5};
	struct hyp_sysreg_vcpu lone;

	box.pmselr = 0x9;
	cr_assert_eq(hyp_sysreg_trap_slot(NULL, &a, (void *)&pmselr_slot), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_trap_slot(&sr, NULL, (void *)&pmselr_slot), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_trap_slot(&sr, &a, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_trap_slot(&sr, &a, (void *)&bad_slot), HYP_EINVAL, "offset % 8");
	cr_assert_eq(hyp_sysreg_vcpu_init(&lone, &vm), 0);
	cr_assert_eq(hyp_sysreg_trap_slot(&lone, &a, (void *)&pmselr_slot), HYP_EINVAL, "no owner");
	cr_assert_eq(box.pmselr, 0x9);
	cr_assert_eq(a.val, 0x5);
	cr_assert_eq(hyp_sysreg_trap_slot(&sr, &a, (void *)&pmselr_slot), HYP_SYSREG_HANDLED);
	cr_assert_eq(box.pmselr, 0x5);
}

/* ---- HYP_FAST_RESUME_SKIP: the vector code's early direct call passes
 * HYP_ESR_EARLY and completes the instruction itself ---- */

Test(sysreg_slot, direct_done_with_the_early_bit_touches_nothing)
{
	box_exit(ESR_SYS(3, 3, 14, 0, 0, 9, 1));
	/* ESR_EL2 bit 63 (RES0 in hardware, Arm ARM D24.2.43): the caller
	 * completes the MRS */
	cr_assert_eq(hyp_sysreg_direct_done(&box.hv, ESR_SYS(3, 3, 14, 0, 0, 9, 1) | (1ull << 63)),
		     HYP_FAST_RESUME_SKIP);
	cr_assert_eq(hyp_sim_total(&sim), 0);
	cr_assert_eq(elr(), 0x1000);
	/* without it: the skip (SPSR_EL2 read, ELR_EL2 read and written) */
	cr_assert_eq(hyp_sysreg_direct_done(&box.hv, ESR_SYS(3, 3, 14, 0, 0, 9, 1)),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(hyp_sim_total(&sim), 3);
	cr_assert_eq(elr(), 0x1004);
}

static int h_skip(struct hyp_vcpu *vc, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)vc, (void)esr, (void)self;
	return HYP_FAST_RESUME_SKIP;
}

Test(sysreg_slot, a_handler_asking_for_the_skip_from_the_c_dispatch)
{
	/* WFI (EC 0x01, Arm ARM D24.2.46 "ISS encoding for an exception
	 * from a WF* instruction": TI [1:0] 0) */
	const uint64_t esr_wfi = (0x01ull << 26) | (1ull << 25);

	hyp_fast_table_init(&fast);
	cr_assert_eq(hyp_fast_register(&fast, HYP_EC_WFX, h_skip, NULL), 0);
	box_exit(esr_wfi);
	/* SPSR_EL2 (C5.2.19): SS bit 21 set: cleared by the skip */
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, HYP_PSR_M_EL1H | (1ull << 21));
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_RESUME);
	cr_assert_eq(elr(), 0x1004);
	uint64_t spsr = 0;
	hyp_sim_reg_peek(&sim, HYP_SYS_SPSR_EL2, &spsr);
	cr_assert_eq(spsr, HYP_PSR_M_EL1H);
	/* from AArch32 (M[4]): not completed, to the run loop */
	box_exit(esr_wfi);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, HYP_PSR_M_AA32_USR);
	cr_assert_eq(hyp_switch_sync_exit(&box.hv), HYP_FAST_EXIT);
	cr_assert_eq(elr(), 0x1000);
}

Test(sysreg_slot, nothing_is_recorded_for_a_vcpu_not_live)
{
	/* the run loop calling the handler after hyp_switch_complete() */
	box.hv.regs.x[7] = 0x3;
	box.hv.regs.pc = 0x2000;
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_dispatch_trap(&box.hv, ESR_SYS(3, 3, 9, 12, 5, 7, 0),
					      &fast.entry[HYP_EC_SYS64]),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(box.pmselr, 0x3);
	cr_assert_eq(box.hv.regs.pc, 0x2004);
	cr_assert_eq(box.hv.trap_esr, 0);
	cr_assert_eq(hyp_sim_total(&sim), 0, "no hardware: the saved PC");
	cr_assert_eq(hyp_sysreg_dispatch_trap(&box.hv, ESR_SYS(3, 3, 14, 0, 0, 9, 1),
					      &fast.entry[HYP_EC_SYS64]),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(box.hv.trap_esr, 0);
}
