/* SPDX-License-Identifier: MIT */
/* The sysreg engine's statistics (hyp_sysreg_vcpu_stats(), issue 15):
 * exact counts for scripted load/trap/put sequences on the simulated CPU,
 * and the hardware accesses unchanged by the counting. Built twice: as
 * 'sysreg-stats' against libhyp.a (counters kept, the default), and as
 * 'sysreg-nostats' with src/sysreg/sysreg.c compiled with
 * -DHYP_SYSREG_STATS=0 (SR_STATS_OFF: every counter stays zero, the
 * accesses are the same). */
#include <criterion/criterion.h>

#include <libhyp/sysreg.h>

#ifdef SR_STATS_OFF
#define N(x) 0u
#else
#define N(x) (x)
#endif

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu cpus[1];
static struct hyp_sysreg_vm vm;
static struct hyp_sysreg_vcpu vcpu;
static struct hyp_sysreg_stats st;

/* HCR_EL2.TVM, bit 26 (Arm ARM D24.2.62 HCR_EL2). */
#define HCR_TVM_LIT (1ull << 26)

/* A Cortex-A76-like CPU (VHE, no FGT): as test_sysreg.c's boot_a76(). */
static void boot_a76(void)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim, HYP_RF_ID | HYP_SYSREG_CTX, true);
	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HFGRTR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HFGWTR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000011111112ull);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, 0x00101122ull);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR3_EL1, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64DFR0_EL1, 0x10305408);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_init(cpus, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	hyp_sim_reset_counts(&sim);
}

/* The TVM group minus the registers the PE writes itself: 7 registers. */
static const struct hyp_sysreg_policy_req tvm_dirty[] = {
	{ HYP_REG_SCTLR_EL1, HYP_SYSREG_DIRTY },  { HYP_REG_TTBR0_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_TTBR1_EL1, HYP_SYSREG_DIRTY },  { HYP_REG_TCR_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_MAIR_EL1, HYP_SYSREG_DIRTY },   { HYP_REG_AMAIR_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_CONTEXTIDR_EL1, HYP_SYSREG_DIRTY },
};

static void setup(bool adaptive)
{
	struct hyp_sysreg_vm_config c = { .default_policy = HYP_SYSREG_DEFERRED,
					  .hcr_el2 = 0x80000001,
					  .req = tvm_dirty,
					  .nr_req = 7,
					  .adaptive = adaptive };

	boot_a76();
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	cr_assert_eq(vm.nr_groups, 1);
	cr_assert_eq(hyp_sysreg_vcpu_init(&vcpu, &vm), 0);
	hyp_sim_reset_counts(&sim);
}

/* What the guest's MSR does: the engine's trap while the TVM group is
 * armed (HCR_EL2.TVM set), else straight to the hardware. */
static void guest_write(unsigned id, uint64_t v)
{
	struct hyp_sysreg_access a = { .enc = hyp_sysreg_table[id].enc, .val = v };

	if (vcpu.hcr_el2 & HCR_TVM_LIT)
		cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_HANDLED);
	else
		hyp_write_sysreg(hyp_sysreg_table[id].enc, v); /* E2H = 0: the plain encoding */
}

static void guest_read(unsigned id)
{
	struct hyp_sysreg_access a = { .enc = hyp_sysreg_table[id].enc, .read = true };

	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_HANDLED);
}

static void fini(void)
{
	hyp_cpufeat_reset();
}

TestSuite(sysreg_stats, .fini = fini);

/* Three writes of a DIRTY register in one load/put cycle: the first traps
 * (one dirty trap, one engine trap of that register), the other two go to
 * the hardware; the put saves the whole group (none avoided). The next
 * cycle without a write avoids the group's 7 saves. */
Test(sysreg_stats, three_writes_then_put)
{
	setup(false);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	for (unsigned i = 0; i < 3; i++)
		guest_write(HYP_REG_TTBR0_EL1, 0x1000 * (i + 1));
	/* mid-cycle: the trap is counted, no put yet */
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.dirty_traps[0], N(1));
	cr_assert_eq(st.puts, 0);
	cr_assert_eq(st.saves_avoided[0], 0);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.dirty_traps[0], N(1));
	cr_assert_eq(st.reg_traps[HYP_REG_TTBR0_EL1], N(1));
	cr_assert_eq(st.saves_avoided[0], 0);
	cr_assert_eq(st.undef_traps, 0);
	cr_assert_eq(vcpu.traps, 1); /* the existing total, kept either way */
	cr_assert_eq(vcpu.regs[HYP_REG_TTBR0_EL1], 0x3000);

	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.dirty_traps[0], N(1));
	cr_assert_eq(st.saves_avoided[0], N(7));
	cr_assert_eq(st.puts, N(2));
	/* a third cycle, read before its put: its trap is not a put's yet */
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	guest_write(HYP_REG_SCTLR_EL1, 0x30d00805);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.dirty_traps[0], N(2));
	cr_assert_eq(st.saves_avoided[0], N(7));
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.saves_avoided[0], N(7));
	cr_assert_eq(st.puts, N(3));
	for (unsigned id = 0; id < HYP_REG_COUNT; id++)
		cr_assert_eq(st.reg_traps[id],
			     id == HYP_REG_TTBR0_EL1 || id == HYP_REG_SCTLR_EL1 ? N(1) : 0, "%s",
			     hyp_sysreg_table[id].name);
}

/* The counting changes no hardware access: the same sequence's MRS/MSR
 * counts, exactly (one trap: the emulated MSR and the HCR_EL2 write; then
 * two MSRs by the "guest"; put reads the 7 dirty members). */
Test(sysreg_stats, hardware_accesses_unchanged)
{
	setup(false);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	hyp_sim_reset_counts(&sim);
	guest_write(HYP_REG_SCTLR_EL1, 0x30d00805);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 2);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], 0);
	guest_write(HYP_REG_SCTLR_EL1, 0x30d00801);
	guest_write(HYP_REG_SCTLR_EL1, 0x30d00800);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 4);
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	/* the dirtied group (7) and the DEFERRED registers: everything put
	 * saves is a read, no write */
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYSREG_E12(HYP_SYS_SCTLR_EL1)) +
			     hyp_sim_reg_reads(&sim, HYP_SYS_SCTLR_EL1),
		     1);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.dirty_traps[0], N(1));
	cr_assert_eq(st.reg_traps[HYP_REG_SCTLR_EL1], N(1));
}

/* Reads the engine answers count per register; an encoding it does not
 * know is an UNDEF and counts there. */
Test(sysreg_stats, engine_reads_and_undefs)
{
	/* ICC_SGI1R_EL1 (3, 0, 12, 11, 5): not a guest context register. */
	struct hyp_sysreg_access a = { .enc = HYP_SYSREG_ENC(3, 0, 12, 11, 5), .read = true };

	setup(false);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	guest_read(HYP_REG_TPIDR_EL1);
	guest_read(HYP_REG_TPIDR_EL1);
	guest_read(HYP_REG_SCTLR_EL1);
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_UNDEF);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.reg_traps[HYP_REG_TPIDR_EL1], N(2));
	cr_assert_eq(st.reg_traps[HYP_REG_SCTLR_EL1], N(1));
	cr_assert_eq(st.undef_traps, N(1));
	cr_assert_eq(st.dirty_traps[0], 0); /* reads never dirty a group */
}

/* Adaptive: a group trapping every cycle is promoted on the fourth trapped
 * cycle (7 registers: 4 * (60 + 7) > 32 * 7), then demoted after
 * HYP_SYSREG_QUIET quiet cycles: 4 dirty traps, no save avoided while the
 * group traps or is promoted, 7 again once demoted. */
Test(sysreg_stats, adaptive_promotion_and_demotion)
{
	setup(true);
	for (unsigned cycle = 0; cycle < 4; cycle++) {
		cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
		guest_write(HYP_REG_TTBR0_EL1, cycle + 1);
		cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	}
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.promotions[0], 1);
	cr_assert_eq(st.demotions[0], 0);
	cr_assert_eq(st.dirty_traps[0], N(4));
	cr_assert_eq(st.saves_avoided[0], 0);
	/* promoted: the quiet cycles save the group, avoid nothing */
	for (unsigned cycle = 0; cycle < HYP_SYSREG_QUIET; cycle++) {
		cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
		cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	}
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.promotions[0], 1);
	cr_assert_eq(st.demotions[0], 1);
	cr_assert_eq(st.saves_avoided[0], 0);
	cr_assert_eq(st.promoted_puts[0], N(HYP_SYSREG_QUIET));
	/* demoted: a clean cycle avoids the 7 saves again */
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.saves_avoided[0], N(7));

	/* reset: the counters, not the adaptive state */
	cr_assert_eq(hyp_sysreg_vcpu_stats_reset(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, &st), 0);
	cr_assert_eq(st.promotions[0], 0);
	cr_assert_eq(st.demotions[0], 0);
	cr_assert_eq(st.dirty_traps[0], 0);
	cr_assert_eq(st.saves_avoided[0], 0);
	cr_assert_eq(st.reg_traps[HYP_REG_TTBR0_EL1], 0);
	cr_assert_eq(vcpu.traps, 0);
	cr_assert_eq(vcpu.adapt[0].quiet_need, 2 * HYP_SYSREG_QUIET);
}

Test(sysreg_stats, bad_arguments)
{
	struct hyp_sysreg_vcpu unbound = { 0 };

	setup(false);
	st.undef_traps = 0x55;
	cr_assert_eq(hyp_sysreg_vcpu_stats(NULL, &st), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&vcpu, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_vcpu_stats(&unbound, &st), HYP_EINVAL);
	cr_assert_eq(st.undef_traps, 0x55); /* unchanged on error */
	cr_assert_eq(hyp_sysreg_vcpu_stats_reset(NULL), HYP_EINVAL);
}
