/* SPDX-License-Identifier: MIT */
/* The context-switch engine on the simulated CPU: exact hardware-access
 * counts per policy, trap configuration, dirty tracking, adaptive mode,
 * host models, accessors, the trap table, and bad input. */
#include <criterion/criterion.h>
#include <string.h>

#include <libhyp/sysreg.h>

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu cpus[1];
static struct hyp_sysreg_vm vm;
static struct hyp_sysreg_vcpu vcpu;

/* HCR_EL2 bits as literals (Arm ARM D24.2.62 HCR_EL2): TACR bit 21, TVM
 * bit 26, TERR bit 36, APK bit 40, API bit 41. MDCR_EL2.TPM is bit 6 (Arm
 * ARM, MDCR_EL2). Never the library's HYP_HCR_* constants. */
#define HCR_TACR_LIT (1ull << 21)
#define HCR_TVM_LIT (1ull << 26)
#define HCR_TERR_LIT (1ull << 36)
#define HCR_APK_LIT (1ull << 40)
#define HCR_API_LIT (1ull << 41)
#define MDCR_TPM_LIT (1ull << 6)

#define A76_MMFR0 0x00101122ull
#define FGT_MMFR0 (A76_MMFR0 | (1ull << 56))

/* A Cortex-A76-like CPU (VHE, no FGT, no SVE); @mmfr0, @pfr0 and @mmfr3
 * vary it. */
static void boot3(uint64_t mmfr0, uint64_t pfr0, uint64_t mmfr3)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim, HYP_RF_ID | HYP_SYSREG_CTX, true);
	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HFGRTR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HFGWTR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, pfr0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, mmfr0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR3_EL1, mmfr3);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64DFR0_EL1, 0x10305408);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_init(cpus, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	hyp_sim_reset_counts(&sim);
}

static void boot(uint64_t mmfr0, uint64_t pfr0)
{
	boot3(mmfr0, pfr0, 0);
}

static void boot_a76(void)
{
	boot(A76_MMFR0, 0x1100000011111112);
}

static struct hyp_sysreg_vm_config cfg(enum hyp_sysreg_policy def)
{
	return (struct hyp_sysreg_vm_config){ .default_policy = (uint8_t)def,
					      .hcr_el2 = 0x80000001 };
}

static void setup_vm(const struct hyp_sysreg_vm_config *c)
{
	unsigned bad = 0;

	cr_assert_eq(hyp_sysreg_vm_init(&vm, c, &bad), 0, "refused %s",
		     bad < HYP_REG_COUNT ? hyp_sysreg_table[bad].name : "-");
	cr_assert_eq(hyp_sysreg_vcpu_init(&vcpu, &vm), 0);
	hyp_sim_reset_counts(&sim);
}

/* Accesses to guest register @id through either of its encodings. */
static unsigned reads(unsigned id)
{
	uint16_t e = hyp_sysreg_table[id].enc;
	return hyp_sim_reg_reads(&sim, e) + hyp_sim_reg_reads(&sim, HYP_SYSREG_E12(e));
}

static unsigned writes(unsigned id)
{
	uint16_t e = hyp_sysreg_table[id].enc;
	return hyp_sim_reg_writes(&sim, e) + hyp_sim_reg_writes(&sim, HYP_SYSREG_E12(e));
}

static unsigned nr_policy(enum hyp_sysreg_policy p)
{
	unsigned n = 0;

	for (unsigned id = 0; id < HYP_REG_COUNT; id++)
		n += (hyp_sysreg_table[id].flags & HYP_SYSREG_CTX) && vm.policy[id] == p;
	return n;
}

static void guest_write(unsigned id, uint64_t v)
{
	/* What the guest's MSR does: trap if its group is armed, else write
	 * the hardware directly. */
	struct hyp_sysreg_access a = { .enc = hyp_sysreg_table[id].enc, .val = v };
	bool trapped = false;

	for (unsigned g = 0; g < vm.nr_groups; g++) {
		if ((vcpu.group_armed >> g & 1) && hyp_sysreg_mask_test(&vm.groups[g].members, id))
			trapped = true;
	}
	if ((vcpu.hcr_el2 & HCR_TVM_LIT) && (hyp_sysreg_table[id].wtrap & HYP_WT_TVM))
		trapped = true;
	if (trapped) {
		cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_HANDLED);
	} else {
		uint16_t e = hyp_sysreg_table[id].enc;
		hyp_sim_reg_define(&sim, vm.e2h && (hyp_sysreg_table[id].flags & HYP_RF_E12)
						 ? HYP_SYSREG_E12(e) : e, v);
	}
}

static void fini(void)
{
	hyp_cpufeat_reset();
}

TestSuite(sysreg, .fini = fini);

Test(sysreg, deferred_costs_nothing_per_world_switch)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	unsigned n;

	boot_a76();
	setup_vm(&c);
	n = nr_policy(HYP_SYSREG_DEFERRED);
	cr_assert_geq(n, 25);

	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(writes(HYP_REG_SCTLR_EL1), 1);
	cr_assert_eq(reads(HYP_REG_SCTLR_EL1), 0);
	/* every DEFERRED register once, plus HCR_EL2 */
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], n + 1);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], 0);

	hyp_sim_reset_counts(&sim);
	for (int i = 0; i < 10; i++) {
		hyp_sysreg_enter(&vcpu, NULL);
		hyp_sysreg_exit(&vcpu, NULL);
	}
	cr_assert_eq(hyp_sim_total(&sim), 0);

	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(reads(HYP_REG_SCTLR_EL1), 1);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], n);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 0);
}

Test(sysreg, immediate_is_one_read_and_one_write_per_round_trip)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_IMMEDIATE);
	unsigned n;

	boot_a76();
	setup_vm(&c);
	n = nr_policy(HYP_SYSREG_IMMEDIATE);
	hyp_sysreg_load(&vcpu);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 1); /* HCR_EL2 only */
	hyp_sim_reset_counts(&sim);
	for (int i = 0; i < 3; i++) {
		hyp_sysreg_enter(&vcpu, NULL);
		hyp_sysreg_exit(&vcpu, NULL);
	}
	cr_assert_eq(writes(HYP_REG_TTBR0_EL1), 3);
	cr_assert_eq(reads(HYP_REG_TTBR0_EL1), 3);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 3 * n);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], 3 * n);
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

static const struct hyp_sysreg_policy_req tvm_dirty[] = {
	{ HYP_REG_SCTLR_EL1, HYP_SYSREG_DIRTY },  { HYP_REG_TTBR0_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_TTBR1_EL1, HYP_SYSREG_DIRTY },  { HYP_REG_TCR_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_MAIR_EL1, HYP_SYSREG_DIRTY },   { HYP_REG_AMAIR_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_CONTEXTIDR_EL1, HYP_SYSREG_DIRTY },
};

Test(sysreg, dirty_register_never_written_is_never_saved)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	c.req = tvm_dirty;
	c.nr_req = 7;
	boot_a76();
	setup_vm(&c);
	cr_assert_eq(vm.nr_groups, 1);
	cr_assert(vm.groups[0].tvm);
	cr_assert_eq(vm.groups[0].nr, 7);

	for (int cycle = 0; cycle < 3; cycle++) {
		hyp_sim_reset_counts(&sim);
		hyp_sysreg_load(&vcpu);
		cr_assert_eq(writes(HYP_REG_SCTLR_EL1), 1);
		uint64_t hcr;
		hyp_sim_reg_peek(&sim, HYP_SYS_HCR_EL2, &hcr);
		/* the VM's 0x80000001, TVM (dirty tracking) and TACR (ACTLR_EL1) */
		cr_assert_eq(hcr, 0x84200001ull);
		hyp_sysreg_enter(&vcpu, NULL);
		hyp_sysreg_exit(&vcpu, NULL);
		hyp_sysreg_put(&vcpu);
		for (unsigned i = 0; i < 7; i++)
			cr_assert_eq(reads(tvm_dirty[i].reg), 0, "%s",
				     hyp_sysreg_table[tvm_dirty[i].reg].name);
		/* the DEFERRED ones are saved */
		cr_assert_eq(reads(HYP_REG_TPIDR_EL1), 1);
	}
	cr_assert_eq(vcpu.traps, 0);
}

Test(sysreg, dirty_register_saved_once_after_a_trapped_write)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	uint64_t hcr;

	c.req = tvm_dirty;
	c.nr_req = 7;
	boot_a76();
	setup_vm(&c);
	hyp_sysreg_load(&vcpu);
	hyp_sysreg_enter(&vcpu, NULL);
	hyp_sim_reset_counts(&sim);

	/* the guest writes CONTEXTIDR_EL1: it traps once */
	guest_write(HYP_REG_CONTEXTIDR_EL1, 0x42);
	cr_assert_eq(vcpu.traps, 1);
	cr_assert_eq(writes(HYP_REG_CONTEXTIDR_EL1), 1);
	hyp_sim_reg_peek(&sim, HYP_SYS_HCR_EL2, &hcr);
	cr_assert_eq(hcr & HCR_TVM_LIT, 0);
	/* the trap cost: the emulated MSR and one HCR_EL2 write */
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 2);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], 0);

	/* later writes of the group do not trap */
	guest_write(HYP_REG_SCTLR_EL1, 0x30d00805);
	cr_assert_eq(vcpu.traps, 1);

	hyp_sysreg_exit(&vcpu, NULL);
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_put(&vcpu);
	for (unsigned i = 0; i < 7; i++)
		cr_assert_eq(reads(tvm_dirty[i].reg), 1);
	cr_assert_eq(vcpu.regs[HYP_REG_CONTEXTIDR_EL1], 0x42);
	cr_assert_eq(vcpu.regs[HYP_REG_SCTLR_EL1], 0x30d00805);

	/* next cycle: clean again, nothing saved */
	hyp_sysreg_load(&vcpu);
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(reads(HYP_REG_CONTEXTIDR_EL1), 0);
	cr_assert_eq(vcpu.regs[HYP_REG_CONTEXTIDR_EL1], 0x42);
}

Test(sysreg, fgt_groups_track_registers_one_by_one)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	uint64_t v;

	c.req = tvm_dirty;
	c.nr_req = 7;
	c.use_fgt = true;
	boot(FGT_MMFR0, 0x1100000011111112);
	setup_vm(&c);
	cr_assert_eq(vm.nr_groups, 7);
	hyp_sysreg_load(&vcpu);
	hyp_sim_reg_peek(&sim, HYP_SYS_HCR_EL2, &v);
	cr_assert_eq(v & HCR_TVM_LIT, 0);
	hyp_sim_reg_peek(&sim, HYP_SYS_HFGWTR_EL2, &v);
	/* SCTLR 29, TTBR0 36, TTBR1 37, TCR 32, MAIR 24, AMAIR 3, CONTEXTIDR 11 */
	cr_assert_eq(v, (1ull << 29) | (1ull << 36) | (1ull << 37) | (1ull << 32) | (1ull << 24) |
				(1ull << 3) | (1ull << 11));
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HFGRTR_EL2), 1);

	guest_write(HYP_REG_TTBR0_EL1, 0x1000);
	hyp_sim_reg_peek(&sim, HYP_SYS_HFGWTR_EL2, &v);
	cr_assert_eq(v >> 36 & 1, 0);
	cr_assert_eq(v >> 37 & 1, 1);
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_put(&vcpu);
	/* only TTBR0_EL1's group is saved */
	cr_assert_eq(reads(HYP_REG_TTBR0_EL1), 1);
	cr_assert_eq(reads(HYP_REG_TTBR1_EL1), 0);
	cr_assert_eq(reads(HYP_REG_SCTLR_EL1), 0);
}

/*
 * The HFGWTR_EL2 value of a VM (Arm ARM D24.2, HFGWTR_EL2): negative-polarity
 * "n" bits of registers the CPU has read 1 (no trap) unless the register is
 * ABSENT, which clears its bit; positive bits are 1 only for ABSENT
 * registers. A CPU with FEAT_FGT (ID_AA64MMFR0_EL1.FGT, bits [59:56]),
 * FEAT_S1PIE (ID_AA64MMFR3_EL1.S1PIE, [11:8]) and FEAT_S1POE
 * (ID_AA64MMFR3_EL1.S1POE, [19:16]); PIR_EL1 and TPIDR_EL0 made ABSENT.
 */
Test(sysreg, fgt_absent_registers_trap_with_either_polarity)
{
	struct hyp_sysreg_policy_req r[2] = {
		{ HYP_REG_PIR_EL1, HYP_SYSREG_ABSENT },
		{ HYP_REG_TPIDR_EL0, HYP_SYSREG_ABSENT },
	};
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_IMMEDIATE);

	boot3(FGT_MMFR0, 0x1100000011111112, (1ull << 8) | (1ull << 16));
	c.use_fgt = true;
	c.req = r;
	c.nr_req = 2;
	setup_vm(&c);
	/* nPIRE0_EL1 57, nPOR_EL0 59, nPOR_EL1 60 stay 1; nPIR_EL1 58 is 0
	 * (trapped); TPIDR_EL0 35 is 1 (trapped); nothing else */
	cr_assert_eq(vm.hfgwtr_el2, (1ull << 57) | (1ull << 59) | (1ull << 60) | (1ull << 35),
		     "%#llx", (unsigned long long)vm.hfgwtr_el2);
	cr_assert_eq(vm.hfgrtr_el2, vm.hfgwtr_el2);
}

Test(sysreg, absent_registers_are_never_touched)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_IMMEDIATE);
	struct hyp_sysreg_access a = { .enc = HYP_SYS_ZCR_EL1, .read = true };

	boot_a76(); /* no SVE, S1PIE, MTE, PAuth */
	setup_vm(&c);
	cr_assert_eq(vm.policy[HYP_REG_ZCR_EL1], HYP_SYSREG_ABSENT);
	cr_assert_eq(vm.policy[HYP_REG_PIR_EL1], HYP_SYSREG_ABSENT);
	cr_assert_eq(vm.policy[HYP_REG_APIAKeyLo_EL1], HYP_SYSREG_ABSENT);
	hyp_sysreg_load(&vcpu);
	hyp_sysreg_enter(&vcpu, NULL);
	hyp_sysreg_exit(&vcpu, NULL);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(reads(HYP_REG_ZCR_EL1) + writes(HYP_REG_ZCR_EL1), 0);
	cr_assert_eq(reads(HYP_REG_PIR_EL1) + writes(HYP_REG_PIR_EL1), 0);
	cr_assert_eq(reads(HYP_REG_GCR_EL1) + writes(HYP_REG_GCR_EL1), 0);
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_UNDEF);
	/* PAuth absent: key accesses and instructions trap (APK = API = 0) */
	cr_assert_eq(vm.hcr_el2 & (HCR_APK_LIT | HCR_API_LIT), 0);
}

Test(sysreg, absent_feature_the_cpu_has_is_trapped)
{
	struct hyp_cpufeat_vm fv;
	enum hyp_cap hide[] = { HYP_CAP_RAS, HYP_CAP_PMU, HYP_CAP_SVE };
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	/* A76 + SVE */
	boot(A76_MMFR0, 0x1100000011111112 | (1ull << 32));
	cr_assert_eq(hyp_cpufeat_vm_init(&fv, hide, 3), 0);
	c.features = &fv;
	setup_vm(&c);
	cr_assert(vm.hcr_el2 & HCR_TERR_LIT);
	cr_assert(vm.mdcr_el2 & MDCR_TPM_LIT);
	cr_assert(vm.trap_sve);
	cr_assert_eq(vm.policy[HYP_REG_ZCR_EL1], HYP_SYSREG_ABSENT);
	cr_assert_eq(vm.policy[HYP_REG_DISR_EL1], HYP_SYSREG_ABSENT);
	/* a request for a register of a hidden feature is refused */
	struct hyp_sysreg_policy_req r = { HYP_REG_ZCR_EL1, HYP_SYSREG_LAZY };
	unsigned bad = 0;
	c.req = &r;
	c.nr_req = 1;
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_ENOTSUP);
	cr_assert_eq(bad, HYP_REG_ZCR_EL1);
}

Test(sysreg, lazy_registers_load_on_first_use)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	struct hyp_sysreg_policy_req r = { HYP_REG_ZCR_EL1, HYP_SYSREG_LAZY };

	boot(A76_MMFR0, 0x1100000011111112 | (1ull << 32));
	c.req = &r;
	c.nr_req = 1;
	setup_vm(&c);
	vcpu.regs[HYP_REG_ZCR_EL1] = 3;
	/* SVE registers are LAZY by default too: EL2 cannot reach them before
	 * CPTR_EL2 enables SVE */
	struct hyp_sysreg_vm_config d = cfg(HYP_SYSREG_IMMEDIATE);
	struct hyp_sysreg_vm vm2;
	cr_assert_eq(hyp_sysreg_vm_init(&vm2, &d, NULL), 0);
	cr_assert_eq(vm2.policy[HYP_REG_ZCR_EL1], HYP_SYSREG_LAZY);
	cr_assert_eq(vm2.policy[HYP_REG_TTBR0_EL1], HYP_SYSREG_IMMEDIATE);
	hyp_sysreg_load(&vcpu);
	cr_assert_eq(writes(HYP_REG_ZCR_EL1), 0);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(reads(HYP_REG_ZCR_EL1), 0);

	hyp_sysreg_load(&vcpu);
	cr_assert_eq(hyp_sysreg_lazy_load(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_lazy_load(&vcpu), 0);
	cr_assert_eq(writes(HYP_REG_ZCR_EL1), 1);
	cr_assert_eq(hyp_sysreg_vcpu_read(&vcpu, ZCR_EL1), 3);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(reads(HYP_REG_ZCR_EL1), 2);
	cr_assert_eq(hyp_sysreg_lazy_load(&vcpu), HYP_ESTATE);
}

Test(sysreg, e2h_uses_the_el12_aliases)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	c.e2h = true;
	boot_a76();
	setup_vm(&c);
	vcpu.regs[HYP_REG_SCTLR_EL1] = 0x1234;
	hyp_sysreg_load(&vcpu);
	/* SCTLR_EL12 is (op0 3, op1 5, CRn 1, CRm 0, op2 0) (Arm ARM, SCTLR_EL1
	 * accessors): packed op0:op1:CRn:CRm:op2 = 0xe880 */
	cr_assert_eq(hyp_sim_reg_writes(&sim, 0xe880), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_SCTLR_EL1), 0);
	/* no alias: TPIDR_EL1, TPIDR_EL0 are reached directly */
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_TPIDR_EL1), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_TPIDR_EL0), 1);
	cr_assert_eq(hyp_sysreg_vcpu_read(&vcpu, SCTLR_EL1), 0x1234);
	cr_assert_eq(hyp_sim_reg_reads(&sim, 0xe880), 1);
}

Test(sysreg, host_el1_model_switches_the_host_too)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_IMMEDIATE);
	static struct hyp_sysreg_host_ctx host;
	unsigned n;

	c.host = HYP_SYSREG_HOST_EL1;
	boot_a76();
	setup_vm(&c);
	n = nr_policy(HYP_SYSREG_IMMEDIATE);
	hyp_sim_reg_define(&sim, HYP_SYS_TTBR0_EL1, 0xaaaa); /* the host kernel's */
	vcpu.regs[HYP_REG_TTBR0_EL1] = 0xbbbb;
	hyp_sysreg_load(&vcpu);
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_enter(&vcpu, &host);
	uint64_t v;
	hyp_sim_reg_peek(&sim, HYP_SYS_TTBR0_EL1, &v);
	cr_assert_eq(v, 0xbbbb);
	cr_assert_eq(host.regs[HYP_REG_TTBR0_EL1], 0xaaaa);
	hyp_sim_reg_define(&sim, HYP_SYS_TTBR0_EL1, 0xcccc); /* the guest runs */
	hyp_sysreg_exit(&vcpu, &host);
	hyp_sim_reg_peek(&sim, HYP_SYS_TTBR0_EL1, &v);
	cr_assert_eq(v, 0xaaaa);
	cr_assert_eq(vcpu.regs[HYP_REG_TTBR0_EL1], 0xcccc);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], 2 * n);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 2 * n);

	/* DEFERRED cannot hold with a host EL1 context */
	unsigned bad = 0;
	c.default_policy = HYP_SYSREG_DEFERRED;
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	cr_assert_lt(bad, HYP_REG_COUNT);
}

Test(sysreg, accessors)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	boot_a76();
	setup_vm(&c);
	/* not loaded: memory, no hardware access */
	hyp_sysreg_vcpu_write(&vcpu, VBAR_EL1, 0x40080000);
	cr_assert_eq(hyp_sysreg_vcpu_read(&vcpu, VBAR_EL1), 0x40080000);
	cr_assert_eq(hyp_sim_total(&sim), 0);

	hyp_sysreg_load(&vcpu);
	hyp_sim_reset_counts(&sim);
	/* loaded: one MRS / MSR */
	cr_assert_eq(hyp_sysreg_vcpu_read(&vcpu, VBAR_EL1), 0x40080000);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], 1);
	hyp_sysreg_vcpu_write(&vcpu, ELR_EL1, 0x1000);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 1);
	cr_assert_eq(hyp_sysreg_vcpu_read_id(&vcpu, HYP_REG_ELR_EL1), 0x1000);
	cr_assert_eq(hyp_sysreg_vcpu_write_id(&vcpu, HYP_REG_SPSR_EL1, 0x3c5), 0);
	cr_assert_eq(hyp_sysreg_vcpu_write_id(&vcpu, HYP_REG_COUNT, 1), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_vcpu_read_id(&vcpu, HYP_REG_COUNT), 0);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(vcpu.regs[HYP_REG_ELR_EL1], 0x1000);
	cr_assert_eq(vcpu.regs[HYP_REG_SPSR_EL1], 0x3c5);
}

/* The accessors' old names (hyp_vcpu_{read,write}_sysreg*, misleading: they
 * take a sysreg vCPU) stay for one release and behave as the new ones,
 * hardware accesses included. */
Test(sysreg, deprecated_accessor_names_forward_to_hyp_sysreg_vcpu)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	boot_a76();
	setup_vm(&c);
	hyp_vcpu_write_sysreg(&vcpu, VBAR_EL1, 0x40080000);
	cr_assert_eq(hyp_sysreg_vcpu_read(&vcpu, VBAR_EL1), 0x40080000);
	cr_assert_eq(hyp_vcpu_read_sysreg(&vcpu, VBAR_EL1), 0x40080000);
	cr_assert_eq(hyp_sim_total(&sim), 0);

	hyp_sysreg_load(&vcpu);
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_vcpu_read_sysreg(&vcpu, VBAR_EL1), 0x40080000);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], 1);
	cr_assert_eq(hyp_vcpu_write_sysreg_id(&vcpu, HYP_REG_ELR_EL1, 0x2000), 0);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], 1);
	cr_assert_eq(hyp_vcpu_read_sysreg_id(&vcpu, HYP_REG_ELR_EL1), 0x2000);
	cr_assert_eq(hyp_sysreg_vcpu_read_id(&vcpu, HYP_REG_ELR_EL1), 0x2000);
	cr_assert_eq(hyp_vcpu_write_sysreg_id(&vcpu, HYP_REG_COUNT, 1), HYP_EINVAL);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(vcpu.regs[HYP_REG_ELR_EL1], 0x2000);
}

Test(sysreg, hypervisor_write_to_a_clean_dirty_register_is_saved)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	c.req = tvm_dirty;
	c.nr_req = 7;
	boot_a76();
	setup_vm(&c);
	hyp_sysreg_load(&vcpu);
	hyp_sysreg_vcpu_write(&vcpu, SCTLR_EL1, 0x30d00801);
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(reads(HYP_REG_SCTLR_EL1), 1);
	cr_assert_eq(reads(HYP_REG_TTBR0_EL1), 0);
	cr_assert_eq(vcpu.regs[HYP_REG_SCTLR_EL1], 0x30d00801);
}

Test(sysreg, adaptive_promotes_a_group_that_traps_every_cycle)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	c.req = tvm_dirty;
	c.nr_req = 7;
	c.adaptive = true;
	boot_a76();
	setup_vm(&c);
	/* 7 registers: DEFERRED costs 32 * 7 = 224 a window, a trapped cycle
	 * 60 + 7 = 67, so the fourth trapped cycle promotes */
	for (unsigned cycle = 0; cycle < 4; cycle++) {
		cr_assert_eq(vcpu.group_promoted, 0);
		hyp_sysreg_load(&vcpu);
		guest_write(HYP_REG_TTBR0_EL1, cycle + 1);
		hyp_sysreg_put(&vcpu);
	}
	cr_assert_eq(vcpu.traps, 4);
	cr_assert_eq(vcpu.group_promoted, 1);
	cr_assert(hyp_sysreg_mask_test(&vcpu.deferred, HYP_REG_TTBR0_EL1));

	/* promoted: no trap armed, saved every put */
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_load(&vcpu);
	uint64_t hcr;
	hyp_sim_reg_peek(&sim, HYP_SYS_HCR_EL2, &hcr);
	cr_assert_eq(hcr & HCR_TVM_LIT, 0);
	guest_write(HYP_REG_TTBR0_EL1, 100);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(vcpu.traps, 4);
	cr_assert_eq(reads(HYP_REG_TTBR0_EL1), 1);
	cr_assert_eq(vcpu.regs[HYP_REG_TTBR0_EL1], 100);

	/* the guest stops writing: demoted after the quiet period */
	for (unsigned cycle = 0; cycle < HYP_SYSREG_QUIET; cycle++) {
		hyp_sysreg_load(&vcpu);
		hyp_sysreg_put(&vcpu);
	}
	cr_assert_eq(vcpu.group_promoted, 0);
	cr_assert_eq(vcpu.adapt[0].demotions, 1);
	cr_assert_eq(vcpu.adapt[0].quiet_need, 2 * HYP_SYSREG_QUIET);
	cr_assert(!hyp_sysreg_mask_test(&vcpu.deferred, HYP_REG_TTBR0_EL1));
}

/* A promoted group is watched by the put's save itself (it compares as it
 * stores): a write of the value already saved is quiet, a changed member
 * (any of them) restarts the quiet count, and the watch reads each
 * register once (the save's own MRS, no other access). */
Test(sysreg, adaptive_watch_compares_the_promoted_group_at_put)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	uint32_t total;

	c.req = tvm_dirty;
	c.nr_req = 7;
	c.adaptive = true;
	boot_a76();
	setup_vm(&c);
	for (unsigned cycle = 0; cycle < 4; cycle++) {
		hyp_sysreg_load(&vcpu);
		guest_write(HYP_REG_TTBR0_EL1, cycle + 1);
		hyp_sysreg_put(&vcpu);
	}
	cr_assert_eq(vcpu.group_promoted, 1);
	/* the same value again: quiet */
	hyp_sysreg_load(&vcpu);
	guest_write(HYP_REG_TTBR0_EL1, 4);
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(vcpu.adapt[0].quiet, 1);
	cr_assert_eq(reads(HYP_REG_TTBR0_EL1), 1);
	cr_assert_eq(reads(HYP_REG_SCTLR_EL1), 1);
	total = sim.counts[HYP_SIM_SYSREG_READ];
	/* another member changed: the count restarts; the same accesses */
	hyp_sysreg_load(&vcpu);
	guest_write(HYP_REG_SCTLR_EL1, 0x30d00801);
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(vcpu.adapt[0].quiet, 0);
	cr_assert_eq(vcpu.group_promoted, 1);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], total);
	cr_assert_eq(vcpu.regs[HYP_REG_SCTLR_EL1], 0x30d00801);
	/* quiet puts: demoted after HYP_SYSREG_QUIET of them, not before */
	for (unsigned cycle = 0; cycle < HYP_SYSREG_QUIET; cycle++) {
		cr_assert_eq(vcpu.group_promoted, 1, "cycle %u", cycle);
		hyp_sysreg_load(&vcpu);
		hyp_sysreg_put(&vcpu);
	}
	cr_assert_eq(vcpu.group_promoted, 0);
	cr_assert_eq(vcpu.adapt[0].demotions, 1);
}

Test(sysreg, adaptive_leaves_a_quiet_group_alone)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	c.req = tvm_dirty;
	c.nr_req = 7;
	c.adaptive = true;
	boot_a76();
	setup_vm(&c);
	for (unsigned cycle = 0; cycle < 10 * HYP_SYSREG_WINDOW; cycle++) {
		hyp_sysreg_load(&vcpu);
		/* an occasional write: two a window are cheaper trapped */
		if (cycle % (HYP_SYSREG_WINDOW / 2) == 0)
			guest_write(HYP_REG_SCTLR_EL1, cycle);
		hyp_sysreg_put(&vcpu);
	}
	cr_assert_eq(vcpu.group_promoted, 0);
	cr_assert_eq(vcpu.adapt[0].promotions, 0);
}

Test(sysreg, trap_decode)
{
	struct hyp_sysreg_access a;
	/* mrs x3, PMSELR_EL0 (3,3,9,12,5): EC 0x18, IL, Op0 3, Op2 5, Op1 3,
	 * CRn 9, Rt 3, CRm 12, read */
	uint64_t iss = (3u << 20) | (5u << 17) | (3u << 14) | (9u << 10) | (3u << 5) | (12u << 1) | 1;
	uint64_t esr = (0x18ull << 26) | (1ull << 25) | iss;

	cr_assert_eq(hyp_sysreg_decode(esr, &a), 0);
	cr_assert_eq(a.enc, HYP_SYS_PMSELR_EL0);
	cr_assert_eq(a.rt, 3);
	cr_assert(a.read);
	/* msr TTBR0_EL1, xzr (3,0,2,0,0) */
	iss = (3u << 20) | (0u << 17) | (0u << 14) | (2u << 10) | (31u << 5) | (0u << 1) | 0;
	cr_assert_eq(hyp_sysreg_decode((0x18ull << 26) | iss, &a), 0);
	cr_assert_eq(a.enc, HYP_SYS_TTBR0_EL1);
	cr_assert_eq(a.rt, 31);
	cr_assert(!a.read);
	/* another class */
	memset(&a, 0x5a, sizeof(a));
	cr_assert_eq(hyp_sysreg_decode(0x16ull << 26, &a), HYP_EINVAL);
	cr_assert_eq(a.rt, 0x5a);
}

static int pmu_read(struct hyp_sysreg_vcpu *v, struct hyp_sysreg_access *a, void *ctx)
{
	(void)v;
	a->val = *(uint64_t *)ctx;
	return HYP_SYSREG_HANDLED;
}

Test(sysreg, integrator_trap_table)
{
	uint64_t pmselr = 7;
	const struct hyp_sysreg_trap_entry entries[] = {
		{ HYP_SYS_PMCR_EL0, pmu_read, &pmselr },
		{ HYP_SYS_PMSELR_EL0, pmu_read, &pmselr },
		{ HYP_SYS_PMCCNTR_EL0, pmu_read, &pmselr },
	};
	const struct hyp_sysreg_trap_entry unsorted[] = {
		{ HYP_SYS_PMSELR_EL0, pmu_read, NULL }, { HYP_SYS_PMCR_EL0, pmu_read, NULL }
	};
	const struct hyp_sysreg_trap_entry dup[] = {
		{ HYP_SYS_PMCR_EL0, pmu_read, NULL }, { HYP_SYS_PMCR_EL0, pmu_read, NULL }
	};
	struct hyp_sysreg_trap_table t = { entries, 3 };
	struct hyp_sysreg_trap_table bad1 = { unsorted, 2 }, bad2 = { dup, 2 };
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	struct hyp_sysreg_access a = { .enc = HYP_SYS_PMSELR_EL0, .read = true };

	cr_assert(HYP_SYS_PMCR_EL0 < HYP_SYS_PMSELR_EL0 && HYP_SYS_PMSELR_EL0 < HYP_SYS_PMCCNTR_EL0);
	cr_assert_eq(hyp_sysreg_trap_table_check(&t), 0);
	cr_assert_eq(hyp_sysreg_trap_table_check(&bad1), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_trap_table_check(&bad2), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_trap_table_check(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_trap_find(&t, HYP_SYS_PMCCNTR_EL0), &entries[2]);
	cr_assert_null(hyp_sysreg_trap_find(&t, HYP_SYS_PMCNTENSET_EL0));
	cr_assert_null(hyp_sysreg_trap_find(NULL, HYP_SYS_PMCR_EL0));

	boot_a76();
	setup_vm(&c);
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, &t), HYP_SYSREG_HANDLED);
	cr_assert_eq(a.val, 7);
	/* without the integrator's table the PMU register is not libhyp's */
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_UNDEF);
	/* an encoding nothing knows */
	a.enc = HYP_SYSREG_ENC(3, 7, 15, 15, 7);
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, &t), HYP_SYSREG_UNDEF);
	/* a context register read while not loaded comes from memory */
	vcpu.regs[HYP_REG_TPIDR_EL1] = 0x99;
	a = (struct hyp_sysreg_access){ .enc = HYP_SYS_TPIDR_EL1, .read = true };
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, &t), HYP_SYSREG_HANDLED);
	cr_assert_eq(a.val, 0x99);
}

Test(sysreg, refused_requests_name_the_register_and_change_nothing)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	struct hyp_sysreg_policy_req r;
	unsigned bad;

	boot_a76();
	memset(&vm, 0xa5, sizeof(vm));
	c.req = &r;
	c.nr_req = 1;

	/* hardware writes ESR_EL1 on exceptions: no trap sees them */
	r = (struct hyp_sysreg_policy_req){ HYP_REG_ESR_EL1, HYP_SYSREG_DIRTY };
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	cr_assert_eq(bad, HYP_REG_ESR_EL1);
	/* TPIDR_EL1 is watched by FGT only, and this CPU has no FGT */
	r = (struct hyp_sysreg_policy_req){ HYP_REG_TPIDR_EL1, HYP_SYSREG_DIRTY };
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	cr_assert_eq(bad, HYP_REG_TPIDR_EL1);
	/* a register of a feature the CPU lacks */
	r = (struct hyp_sysreg_policy_req){ HYP_REG_PIR_EL1, HYP_SYSREG_DEFERRED };
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_ENOTSUP);
	cr_assert_eq(bad, HYP_REG_PIR_EL1);
	/* not a guest context register */
	r = (struct hyp_sysreg_policy_req){ HYP_REG_HCR_EL2, HYP_SYSREG_DEFERRED };
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	cr_assert_eq(bad, HYP_REG_HCR_EL2);
	r = (struct hyp_sysreg_policy_req){ HYP_REG_COUNT, HYP_SYSREG_DEFERRED };
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	r = (struct hyp_sysreg_policy_req){ HYP_REG_SCTLR_EL1, 9 };
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	/* FGT requested on a CPU without it */
	c.nr_req = 0;
	c.use_fgt = true;
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	cr_assert_eq(bad, HYP_REG_COUNT);
	cr_assert_eq(hyp_sysreg_vm_init(NULL, &c, &bad), HYP_EINVAL);
	cr_assert_eq(hyp_sysreg_vm_init(&vm, NULL, &bad), HYP_EINVAL);
	/* nothing half-applied */
	for (size_t i = 0; i < sizeof(vm); i++)
		cr_assert_eq(((uint8_t *)&vm)[i], 0xa5);
	/* and before cpufeat is finalized nothing can be decided */
	hyp_cpufeat_reset();
	c.use_fgt = false;
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_ESTATE);
	cr_assert_eq(hyp_sysreg_vcpu_init(NULL, &vm), HYP_EINVAL);
}

Test(sysreg, load_put_state_errors)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	boot_a76();
	setup_vm(&c);
	cr_assert_eq(hyp_sysreg_put(&vcpu), HYP_ESTATE);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_load(&vcpu), HYP_ESTATE);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_str_eq(hyp_sysreg_policy_name(HYP_SYSREG_DIRTY), "DIRTY");
	cr_assert_str_eq(hyp_sysreg_policy_name(99), "?");
}

Test(sysreg, decode_matches_the_encoding_for_every_register_field)
{
	struct hyp_sysreg_access a;

	/* every (op0, op1, CRn, CRm, op2), against HYP_SYSREG_ENC */
	for (unsigned e = 0; e < 0x10000; e++) {
		unsigned op0 = e >> 14, op1 = (e >> 11) & 7, crn = (e >> 7) & 15, crm = (e >> 3) & 15,
			 op2 = e & 7;
		uint64_t esr = (0x18ull << 26) | ((uint64_t)op0 << 20) | ((uint64_t)op2 << 17) |
			       ((uint64_t)op1 << 14) | ((uint64_t)crn << 10) | (7u << 5) |
			       ((uint64_t)crm << 1);
		cr_assert_eq(hyp_sysreg_decode(esr, &a), 0);
		cr_assert_eq(a.enc, HYP_SYSREG_ENC(op0, op1, crn, crm, op2), "enc %#x", e);
		cr_assert_eq(a.rt, 7);
	}
}

/* ---- Host state in both host models, for every policy (issue 11, defect 14) ---- */

#define SVE_PFR0 (0x1100000011111112ull | (1ull << 32))
#define HOSTVAL(id) (0x10000ull + (id))
#define GUESTVAL(id) (0x20000ull + (id))
#define HOST_TPIDR 0x55ull  /* the host's TPIDR_EL0 between two entries */
#define GUEST_TPIDR 0x77ull /* what the guest writes to its TPIDR_EL0 */

enum host_model { VHE_HOST, EL2_ONLY, NVHE_HOST_EL1 };

static uint64_t peek(uint16_t enc)
{
	uint64_t v = 0;

	cr_assert_eq(hyp_sim_reg_peek(&sim, enc, &v), 0, "%s not defined", hyp_sysreg_name(enc));
	return v;
}

/* In the hardware now, the value the host needs at each guest register's
 * plain encoding: with a host EL1 context, the host's registers; with a VHE
 * host (E2H = 1), the plain encoding of a register with an EL12 alias
 * reaches the host's EL2 register, which the engine must never touch. */
static void check_host_state(enum host_model m, uint64_t host_tpidr, const char *when)
{
	for (unsigned id = 0; id < HYP_REG_COUNT; id++) {
		const struct hyp_sysreg_desc *d = &hyp_sysreg_table[id];
		uint64_t want = id == HYP_REG_TPIDR_EL0 ? host_tpidr : HOSTVAL(id);

		if (!(d->flags & HYP_SYSREG_CTX))
			continue;
		if (m == NVHE_HOST_EL1 || (m == VHE_HOST && (d->flags & HYP_RF_E12)))
			cr_assert_eq(peek(d->enc), want, "%s: host sees %#llx %s", d->name,
				     (unsigned long long)peek(d->enc), when);
	}
}

static void host_model_round(enum host_model m, enum hyp_sysreg_policy p)
{
	static struct hyp_sysreg_host_ctx host;
	struct hyp_sysreg_policy_req r = { HYP_REG_TPIDR_EL0, (uint8_t)p };
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_IMMEDIATE);
	const char *pn = hyp_sysreg_policy_name(p);
	unsigned bad = 0;
	int rc;

	/* FGT so that TPIDR_EL0 (HFGWTR_EL2 bit 35 only) can be DIRTY; SVE so
	 * that ZCR_EL1 exists and defaults to LAZY */
	boot(FGT_MMFR0, SVE_PFR0);
	c.use_fgt = true;
	c.req = &r;
	c.nr_req = 1;
	c.e2h = m == VHE_HOST;
	c.host = m == NVHE_HOST_EL1 ? HYP_SYSREG_HOST_EL1 : HYP_SYSREG_HOST_NONE;
	for (unsigned id = 0; id < HYP_REG_COUNT; id++) {
		uint16_t e = hyp_sysreg_table[id].enc;

		if (!(hyp_sysreg_table[id].flags & HYP_SYSREG_CTX))
			continue;
		hyp_sim_reg_define(&sim, e, HOSTVAL(id));
		if (hyp_sysreg_table[id].flags & HYP_RF_E12)
			hyp_sim_reg_define(&sim, HYP_SYSREG_E12(e), 0xdead);
	}
	rc = hyp_sysreg_vm_init(&vm, &c, &bad);
	if (m == NVHE_HOST_EL1 && (p == HYP_SYSREG_DEFERRED || p == HYP_SYSREG_DIRTY)) {
		/* the host runs between exits: these cannot hold */
		cr_assert_eq(rc, HYP_EINVAL, "%s with a host EL1 context", pn);
		cr_assert_eq(bad, HYP_REG_TPIDR_EL0);
		return;
	}
	cr_assert_eq(rc, 0, "%s refused: %s", pn, bad < HYP_REG_COUNT ? hyp_sysreg_table[bad].name : "-");
	cr_assert_eq(vm.policy[HYP_REG_ZCR_EL1], HYP_SYSREG_LAZY, "SVE registers default to LAZY");
	cr_assert_eq(hyp_sysreg_vcpu_init(&vcpu, &vm), 0);
	for (unsigned id = 0; id < HYP_REG_COUNT; id++)
		vcpu.regs[id] = GUESTVAL(id);

	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	for (int round = 0; round < 2; round++) {
		hyp_sysreg_enter(&vcpu, &host);
		/* the guest runs: its first SVE (or TPIDR_EL0, if LAZY) use
		 * traps and the handler loads the LAZY registers */
		if (round == 0)
			cr_assert_eq(hyp_sysreg_lazy_load(&vcpu), 0);
		if (p != HYP_SYSREG_ABSENT) {
			cr_assert_eq(hyp_sysreg_vcpu_read(&vcpu, TPIDR_EL0),
				     round ? GUEST_TPIDR : GUESTVAL(HYP_REG_TPIDR_EL0),
				     "%s round %d: the guest's TPIDR_EL0", pn, round);
			cr_assert_eq(hyp_sysreg_vcpu_read(&vcpu, ZCR_EL1), GUESTVAL(HYP_REG_ZCR_EL1),
				     "%s round %d: the guest's ZCR_EL1", pn, round);
			guest_write(HYP_REG_TPIDR_EL0, GUEST_TPIDR);
		}
		hyp_sysreg_exit(&vcpu, &host);
		check_host_state(m, round ? HOST_TPIDR : HOSTVAL(HYP_REG_TPIDR_EL0), "after exit");
		/* the host runs and uses its own TPIDR_EL0 */
		if (m == NVHE_HOST_EL1)
			hyp_sim_reg_define(&sim, HYP_SYS_TPIDR_EL0, HOST_TPIDR);
	}
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	check_host_state(m, m == NVHE_HOST_EL1 ? HOST_TPIDR : HOSTVAL(HYP_REG_TPIDR_EL0),
			 "after put");
	cr_assert_eq(vcpu.regs[HYP_REG_TPIDR_EL0],
		     p == HYP_SYSREG_ABSENT ? GUESTVAL(HYP_REG_TPIDR_EL0) : GUEST_TPIDR,
		     "%s: the guest's TPIDR_EL0 after put", pn);
	cr_assert_eq(vcpu.regs[HYP_REG_ZCR_EL1], GUESTVAL(HYP_REG_ZCR_EL1), "%s: ZCR_EL1", pn);
	if (p == HYP_SYSREG_ABSENT)
		cr_assert_eq(reads(HYP_REG_TPIDR_EL0) + writes(HYP_REG_TPIDR_EL0), 0);
	hyp_cpufeat_reset();
}

Test(sysreg, host_state_after_exit_and_put_for_every_policy_in_every_host_model)
{
	static const enum hyp_sysreg_policy pol[] = { HYP_SYSREG_IMMEDIATE, HYP_SYSREG_DEFERRED,
						      HYP_SYSREG_DIRTY, HYP_SYSREG_LAZY,
						      HYP_SYSREG_ABSENT };

	for (unsigned m = VHE_HOST; m <= NVHE_HOST_EL1; m++)
		for (unsigned i = 0; i < 5; i++)
			host_model_round((enum host_model)m, pol[i]);
}

Test(sysreg, host_el1_lazy_load_between_exit_and_entry_waits_for_the_entry)
{
	static struct hyp_sysreg_host_ctx host;
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_IMMEDIATE);
	struct hyp_sysreg_policy_req r = { HYP_REG_TPIDR_EL0, HYP_SYSREG_LAZY };

	boot(A76_MMFR0, SVE_PFR0);
	c.host = HYP_SYSREG_HOST_EL1;
	c.req = &r;
	c.nr_req = 1;
	setup_vm(&c);
	vcpu.regs[HYP_REG_TPIDR_EL0] = GUEST_TPIDR;
	hyp_sim_reg_define(&sim, HYP_SYS_TPIDR_EL0, HOST_TPIDR);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	hyp_sysreg_enter(&vcpu, &host);
	hyp_sysreg_exit(&vcpu, &host);
	/* the trap was forwarded to the host side: the host still runs */
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_lazy_load(&vcpu), 0);
	cr_assert_eq(peek(HYP_SYS_TPIDR_EL0), HOST_TPIDR);
	cr_assert_eq(writes(HYP_REG_TPIDR_EL0), 0);
	cr_assert_eq(hyp_sysreg_vcpu_read(&vcpu, TPIDR_EL0), GUEST_TPIDR);
	hyp_sysreg_enter(&vcpu, &host);
	cr_assert_eq(peek(HYP_SYS_TPIDR_EL0), GUEST_TPIDR);
	cr_assert_eq(host.regs[HYP_REG_TPIDR_EL0], HOST_TPIDR);
	hyp_sysreg_exit(&vcpu, &host);
	cr_assert_eq(peek(HYP_SYS_TPIDR_EL0), HOST_TPIDR);
	/* put between entries: the LAZY registers are already in memory */
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(reads(HYP_REG_TPIDR_EL0) + writes(HYP_REG_TPIDR_EL0), 0);
	cr_assert_eq(vcpu.regs[HYP_REG_TPIDR_EL0], GUEST_TPIDR);
}

/* ---- Registers the PE writes without an MSR (issue 11, defect 15) ---- */

Test(sysreg, registers_written_without_an_msr_are_never_dirty)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	struct hyp_sysreg_policy_req r;
	unsigned bad, nr = 0;

	/* PAR_EL1 is written by AT instructions (Arm ARM D24.2.142: "Returns the
	 * output address (OA) from an Address translation instruction"), so no
	 * write trap sees its changes, although HFGWTR_EL2 has a bit for MSRs to
	 * it (bit 27) */
	boot(FGT_MMFR0, 0x1100000011111112);
	c.use_fgt = true;
	c.req = &r;
	c.nr_req = 1;
	r = (struct hyp_sysreg_policy_req){ HYP_REG_PAR_EL1, HYP_SYSREG_DIRTY };
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	cr_assert_eq(bad, HYP_REG_PAR_EL1);
	/* and so is every register the table flags, whatever trap it has */
	for (unsigned id = 0; id < HYP_REG_COUNT; id++) {
		if (!(hyp_sysreg_table[id].flags & HYP_RF_HWW) ||
		    !(hyp_sysreg_table[id].flags & HYP_SYSREG_CTX) ||
		    !hyp_cpu_has((enum hyp_cap)hyp_sysreg_table[id].feat))
			continue;
		r = (struct hyp_sysreg_policy_req){ (uint16_t)id, HYP_SYSREG_DIRTY };
		cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL, "%s",
			     hyp_sysreg_table[id].name);
		cr_assert_eq(bad, id);
		nr++;
	}
	cr_assert_geq(nr, 8);
	/* a register with a write trap and no such flag can be */
	r = (struct hyp_sysreg_policy_req){ HYP_REG_TPIDR_EL1, HYP_SYSREG_DIRTY };
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), 0);
}

/* ---- ACTLR_EL1 under E2H = 1 (issue 11, defect 16) ---- */


Test(sysreg, actlr_el1_is_trapped_and_emulated_not_switched)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	struct hyp_sysreg_policy_req r = { HYP_REG_ACTLR_EL1, HYP_SYSREG_DEFERRED };
	struct hyp_sysreg_access a;
	unsigned bad;

	/* Arm ARM D24.2.2: with the IMPLEMENTATION DEFINED ACTLR_ELx accessor
	 * behaviour, an EL2 access to ACTLR_EL1 with E2H = 1 reaches
	 * ACTLR_EL2: never switch it by default, trap the guest's accesses */
	c.e2h = true;
	boot_a76();
	setup_vm(&c);
	cr_assert_eq(vm.policy[HYP_REG_ACTLR_EL1], HYP_SYSREG_ABSENT);
	cr_assert(vm.hcr_el2 & HCR_TACR_LIT);
	vcpu.regs[HYP_REG_ACTLR_EL1] = 0x5a; /* the integrator's value */
	hyp_sysreg_load(&vcpu);
	hyp_sysreg_enter(&vcpu, NULL);
	hyp_sysreg_exit(&vcpu, NULL);
	cr_assert(peek(HYP_SYS_HCR_EL2) & HCR_TACR_LIT);
	/* the guest reads the VM's value and its writes are ignored */
	a = (struct hyp_sysreg_access){ .enc = HYP_SYS_ACTLR_EL1, .read = true };
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_HANDLED);
	cr_assert_eq(a.val, 0x5a);
	a = (struct hyp_sysreg_access){ .enc = HYP_SYS_ACTLR_EL1, .val = 0xffff };
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_HANDLED);
	a = (struct hyp_sysreg_access){ .enc = HYP_SYS_ACTLR_EL1, .read = true };
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_HANDLED);
	cr_assert_eq(a.val, 0x5a);
	hyp_sysreg_put(&vcpu);
	cr_assert_eq(hyp_sim_reg_reads(&sim, HYP_SYS_ACTLR_EL1) +
			     hyp_sim_reg_writes(&sim, HYP_SYS_ACTLR_EL1),
		     0);

	/* switching it is refused under E2H (it would reach ACTLR_EL2) */
	c.req = &r;
	c.nr_req = 1;
	cr_assert_eq(hyp_sysreg_vm_init(&vm, &c, &bad), HYP_EINVAL);
	cr_assert_eq(bad, HYP_REG_ACTLR_EL1);
	/* and allowed without E2H, untrapped then */
	c.e2h = false;
	setup_vm(&c);
	cr_assert_eq(vm.policy[HYP_REG_ACTLR_EL1], HYP_SYSREG_DEFERRED);
	cr_assert_eq(vm.hcr_el2 & HCR_TACR_LIT, 0);
}

/* ---- issue 16: the registers of hidden SME and MTE ---- */

/* Literals from the Arm ARM (never the library's constants):
 * HCR_EL2 (D24.2.62): TID1 bit 16 traps EL1 reads of REVIDR_EL1, AIDR_EL1
 * and SMIDR_EL1; TID5 bit 58 (with FEAT_MTE2) traps GMID_EL1.
 * HFGRTR_EL2 (D24.2.73) / HFGWTR_EL2: nTPIDR2_EL0 bit 55, nSMPRI_EL1 bit
 * 54, both trapping when 0 (SMPRI_EL1, D24.2.188, and TPIDR2_EL0,
 * D24.2.203, have no other EL2 trap).
 * ID_AA64PFR1_EL1 (D24.2.94): MTE [11:8] (2: FEAT_MTE2), SME [27:24].
 * Encodings: SMPRI_EL1 3,0,1,2,4; SMIDR_EL1 3,1,0,0,6; GMID_EL1 3,1,0,0,4;
 * REVIDR_EL1 3,0,0,0,6; AIDR_EL1 3,1,0,0,7. */
#define HCR_TID1_LIT (1ull << 16)
#define HCR_TID5_LIT (1ull << 58)
#define FGT_NTPIDR2_LIT (1ull << 55)
#define FGT_NSMPRI_LIT (1ull << 54)
#define PFR1_SME_MTE2 ((1ull << 24) | (2ull << 8))
#define ENC_LIT(op0, op1, crn, crm, op2)                                                   \
	((uint16_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define ENC_SMPRI ENC_LIT(3, 0, 1, 2, 4)
#define ENC_TPIDR2 ENC_LIT(3, 3, 13, 0, 5) /* TPIDR2_EL0, D24.2.203 */
#define ENC_SMIDR ENC_LIT(3, 1, 0, 0, 6)
#define ENC_GMID ENC_LIT(3, 1, 0, 0, 4)
#define ENC_REVIDR ENC_LIT(3, 0, 0, 0, 6)
#define ENC_AIDR ENC_LIT(3, 1, 0, 0, 7)

/* A CPU with FEAT_FGT (ID_AA64MMFR0_EL1.FGT [59:56]) and @pfr1. */
static void boot_pfr1(uint64_t mmfr0, uint64_t pfr1)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim, HYP_RF_ID | HYP_SYSREG_CTX, true);
	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HFGRTR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HFGWTR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_CPTR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000011111112);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR1_EL1, pfr1);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, mmfr0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64DFR0_EL1, 0x10305408);
	hyp_sim_reg_define(&sim, ENC_REVIDR, 0x1234);
	hyp_sim_reg_define(&sim, ENC_AIDR, 0x5678);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_init(cpus, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
	hyp_sim_reset_counts(&sim);
}

static uint64_t peek_lit(uint16_t enc)
{
	uint64_t v = 0;

	cr_assert_eq(hyp_sim_reg_peek(&sim, enc, &v), 0);
	return v;
}

static void vm_hiding(struct hyp_cpufeat_vm *fv, const enum hyp_cap *hide, unsigned n, bool fgt)
{
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);

	cr_assert_eq(hyp_cpufeat_vm_init(fv, hide, n), 0);
	c.features = fv;
	c.use_fgt = fgt;
	setup_vm(&c);
}

/* SME and MTE2 hidden on a CPU that has them: TID1 and TID5 set, SMPRI_EL1
 * and TPIDR2_EL0 trapped by their negative FGT bits, and the engine
 * answers: SMIDR_EL1 and GMID_EL1 UNDEF, REVIDR_EL1 and AIDR_EL1 the
 * CPU's values (not UNDEF: TID1 traps them too). */
Test(sysreg, hidden_sme_mte_registers_trapped)
{
	static const enum hyp_cap hide[] = { HYP_CAP_SME, HYP_CAP_MTE };
	struct hyp_cpufeat_vm fv;
	struct hyp_sysreg_access a = { .read = true };

	boot_pfr1(FGT_MMFR0, PFR1_SME_MTE2);
	cr_assert(hyp_cpu_has(HYP_CAP_SME) && hyp_cpu_has(HYP_CAP_MTE));
	vm_hiding(&fv, hide, 2, true);
	cr_assert(vm.hcr_el2 & HCR_TID1_LIT);
	cr_assert(vm.hcr_el2 & HCR_TID5_LIT);
	cr_assert_eq(vm.hfgrtr_el2 & (FGT_NTPIDR2_LIT | FGT_NSMPRI_LIT), 0, "%#llx",
		     (unsigned long long)vm.hfgrtr_el2);
	cr_assert_eq(vm.hfgwtr_el2 & (FGT_NTPIDR2_LIT | FGT_NSMPRI_LIT), 0);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_SMPRI)], HYP_SYSREG_ABSENT);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_TPIDR2)], HYP_SYSREG_ABSENT);
	/* load writes them */
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert(peek_lit(HYP_SYS_HCR_EL2) & HCR_TID1_LIT);
	cr_assert(peek_lit(HYP_SYS_HCR_EL2) & HCR_TID5_LIT);
	cr_assert_eq(peek_lit(HYP_SYS_HFGRTR_EL2) & (FGT_NTPIDR2_LIT | FGT_NSMPRI_LIT),
		     0);
	cr_assert_eq(peek_lit(HYP_SYS_HFGWTR_EL2) & (FGT_NTPIDR2_LIT | FGT_NSMPRI_LIT),
		     0);
	a.enc = ENC_SMIDR;
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_UNDEF);
	a.enc = ENC_GMID;
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_UNDEF);
	a.enc = ENC_SMPRI;
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_UNDEF);
	a.read = false;
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_UNDEF);
	a.read = true;
	a.enc = ENC_REVIDR;
	a.val = 0;
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_HANDLED);
	cr_assert_eq(a.val, 0x1234);
	a.enc = ENC_AIDR;
	cr_assert_eq(hyp_sysreg_handle_trap(&vcpu, &a, NULL), HYP_SYSREG_HANDLED);
	cr_assert_eq(a.val, 0x5678);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	/* trapped, so never switched: no access to either at load or put */
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_SMPRI) + hyp_sim_reg_writes(&sim, ENC_SMPRI), 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_TPIDR2) + hyp_sim_reg_writes(&sim, ENC_TPIDR2),
		     0);
}

/* ---- a CPU with SME and without FGT (QEMU 7.2's -cpu max) ---- */

/* The Cortex-A76-like MMFR0 (FGT [59:56] = 0) with SME in PFR1. */
#define PFR1_SME (1ull << 24)

static uint64_t peek_enc(uint16_t enc)
{
	uint64_t v = 0;

	cr_assert_eq(hyp_sim_reg_peek(&sim, enc, &v), 0);
	return v;
}

/* SME hidden and no FGT trap: nothing stops the guest from reaching
 * SMPRI_EL1 and TPIDR2_EL0 (D24.2.188, D24.2.203: no CPTR_EL2, CPACR_EL1
 * or HCRX_EL2 control traps them at EL1), so they are switched: DEFERRED,
 * one MRS each at put and one MSR each at load, and a value one VM writes
 * never reaches another VM's vCPU on the same CPU. */
Test(sysreg, hidden_sme_without_fgt_switched_between_vms)
{
	static const enum hyp_cap hide[] = { HYP_CAP_SME };
	static struct hyp_cpufeat_vm fa, fb;
	static struct hyp_sysreg_vm vm_b;
	static struct hyp_sysreg_vcpu vcpu_b;
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	unsigned deferred;

	boot_pfr1(A76_MMFR0, PFR1_SME);
	cr_assert(hyp_cpu_has(HYP_CAP_SME) && !hyp_cpu_has(HYP_CAP_FGT));
	/* VM A */
	vm_hiding(&fa, hide, 1, false);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_SMPRI)], HYP_SYSREG_DEFERRED);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_TPIDR2)], HYP_SYSREG_DEFERRED);
	cr_assert(vm.hcr_el2 & HCR_TID1_LIT); /* SMIDR_EL1 still trapped */
	cr_assert(vm.trap_sme);		      /* and the SME instructions */
	deferred = nr_policy(HYP_SYSREG_DEFERRED);
	/* VM B, the same configuration */
	cr_assert_eq(hyp_cpufeat_vm_init(&fb, hide, 1), 0);
	c.features = &fb;
	cr_assert_eq(hyp_sysreg_vm_init(&vm_b, &c, NULL), 0);
	cr_assert_eq(hyp_sysreg_vcpu_init(&vcpu_b, &vm_b), 0);

	/* A runs and writes both (no trap: straight into the hardware) */
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	hyp_sim_reg_define(&sim, ENC_TPIDR2, 0xa11ce2);
	hyp_sim_reg_define(&sim, ENC_SMPRI, 0xa);
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_TPIDR2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_SMPRI), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_TPIDR2) + hyp_sim_reg_writes(&sim, ENC_SMPRI),
		     0);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_READ], deferred);
	cr_assert_eq(vcpu.regs[hyp_sysreg_lookup(ENC_TPIDR2)], 0xa11ce2);
	cr_assert_eq(vcpu.regs[hyp_sysreg_lookup(ENC_SMPRI)], 0xa);

	/* B is loaded on the same CPU: it sees its own values (0), not A's */
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_load(&vcpu_b), 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_TPIDR2), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_SMPRI), 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_TPIDR2) + hyp_sim_reg_reads(&sim, ENC_SMPRI), 0);
	cr_assert_eq(sim.counts[HYP_SIM_SYSREG_WRITE], deferred + 1); /* + HCR_EL2 */
	cr_assert_eq(peek_enc(ENC_TPIDR2), 0);
	cr_assert_eq(peek_enc(ENC_SMPRI), 0);
	hyp_sim_reg_define(&sim, ENC_TPIDR2, 0xb0b);
	cr_assert_eq(hyp_sysreg_put(&vcpu_b), 0);

	/* A again: its values back */
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(peek_enc(ENC_TPIDR2), 0xa11ce2);
	cr_assert_eq(peek_enc(ENC_SMPRI), 0xa);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(vcpu_b.regs[hyp_sysreg_lookup(ENC_TPIDR2)], 0xb0b);
}

/* The same CPU with an nVHE host's own EL1 context: IMMEDIATE (switched at
 * every entry and exit, the host's values back in between). */
Test(sysreg, hidden_sme_without_fgt_host_el1_immediate)
{
	static const enum hyp_cap hide[] = { HYP_CAP_SME };
	static struct hyp_cpufeat_vm fv;
	static struct hyp_sysreg_host_ctx host;
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_IMMEDIATE);

	boot_pfr1(A76_MMFR0, PFR1_SME);
	cr_assert_eq(hyp_cpufeat_vm_init(&fv, hide, 1), 0);
	c.features = &fv;
	c.host = HYP_SYSREG_HOST_EL1;
	setup_vm(&c);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_SMPRI)], HYP_SYSREG_IMMEDIATE);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_TPIDR2)], HYP_SYSREG_IMMEDIATE);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	hyp_sim_reg_define(&sim, ENC_TPIDR2, 0x4057); /* the host's */
	hyp_sim_reset_counts(&sim);
	hyp_sysreg_enter(&vcpu, &host);
	cr_assert_eq(peek_enc(ENC_TPIDR2), 0);
	hyp_sim_reg_define(&sim, ENC_TPIDR2, 0x6e57); /* the guest writes */
	hyp_sysreg_exit(&vcpu, &host);
	cr_assert_eq(peek_enc(ENC_TPIDR2), 0x4057);
	cr_assert_eq(vcpu.regs[hyp_sysreg_lookup(ENC_TPIDR2)], 0x6e57);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_TPIDR2), 2);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_TPIDR2), 2);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_SMPRI), 2);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_SMPRI), 2);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
}

/* Given SME on the CPU without FGT: the default policy, and the values
 * follow the vCPU across a put and load (before, LAZY: not restored at
 * load until the first SME instruction trapped). */
Test(sysreg, given_sme_without_fgt_restored_at_load)
{
	struct hyp_cpufeat_vm fv;

	boot_pfr1(A76_MMFR0, PFR1_SME);
	vm_hiding(&fv, NULL, 0, false);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_TPIDR2)], HYP_SYSREG_DEFERRED);
	vcpu.regs[hyp_sysreg_lookup(ENC_TPIDR2)] = 0x7e57;
	hyp_sim_reg_define(&sim, ENC_TPIDR2, 0xbad);
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_TPIDR2), 1);
	cr_assert_eq(peek_enc(ENC_TPIDR2), 0x7e57);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_TPIDR2), 1);
}

/* Given SME and MTE: no TID1/TID5; the n bits read 1 (not trapped), and
 * SMPRI_EL1 and TPIDR2_EL0 are guest context, switched with the default
 * policy (DEFERRED here), not LAZY: no CPTR_EL2 control traps them
 * (D24.2.188, D24.2.203), so a lazy load at the first SME instruction
 * would leave the guest reading another vCPU's values before it. Without
 * the features on the CPU: nothing set either. */
Test(sysreg, given_sme_mte_not_trapped)
{
	struct hyp_cpufeat_vm fv;

	boot_pfr1(FGT_MMFR0, PFR1_SME_MTE2);
	vm_hiding(&fv, NULL, 0, true);
	cr_assert_eq(vm.hcr_el2 & (HCR_TID1_LIT | HCR_TID5_LIT), 0);
	cr_assert_eq(vm.hfgrtr_el2 & (FGT_NTPIDR2_LIT | FGT_NSMPRI_LIT),
		     FGT_NTPIDR2_LIT | FGT_NSMPRI_LIT);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_SMPRI)], HYP_SYSREG_DEFERRED);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_TPIDR2)], HYP_SYSREG_DEFERRED);

	boot_pfr1(FGT_MMFR0, 0);
	{
		static const enum hyp_cap hide[] = { HYP_CAP_SME, HYP_CAP_MTE };

		vm_hiding(&fv, hide, 2, true);
	}
	cr_assert_eq(vm.hcr_el2 & (HCR_TID1_LIT | HCR_TID5_LIT), 0);
	/* n bits of features the CPU lacks are RES0: left 0 */
	cr_assert_eq(vm.hfgrtr_el2 & (FGT_NTPIDR2_LIT | FGT_NSMPRI_LIT), 0);
}

/* ---- issue 15: the guest's CPACR_EL1 with SVE/SME hidden ---- */

/* Literals from the Arm ARM: CPACR_EL1 (D24.2.36, encoding 3,0,1,0,2; with
 * E2H = 1 EL2 reaches it as CPACR_EL12, 3,5,1,0,2): ZEN [17:16], FPEN
 * [21:20], SMEN [25:24], RES0 without FEAT_SVE/FEAT_SME. SMCR_EL1
 * (D24.2.184): an EL1 access with CPACR_EL1.SMEN 'x0' is trapped to EL1
 * (EC 0x1D) before CPTR_EL2.TSM/SMEN are tested; ZCR_EL1 likewise with ZEN
 * (EC 0x19). CPTR_EL2 (D24.2.38): TCPAC bit 31 in both layouts traps EL1
 * CPACR_EL1 accesses (EC 0x18); E2H = 0: TZ bit 8, TSM bit 12; E2H = 1: ZEN
 * [17:16], SMEN [25:24] (0b00 traps). So a guest that leaves SMEN/ZEN 0,
 * as it does on a CPU without the feature, took its own EL1 trap instead
 * of the UNDEFINED that CPU gives, unless the hypervisor holds them at
 * 0b11 in the hardware and hides them. */
#define CPACR_ZEN_LIT (3ull << 16)
#define CPACR_FPEN_LIT (3ull << 20)
#define CPACR_SMEN_LIT (3ull << 24)
#define CPTR_TCPAC_LIT (1ull << 31)
#define CPTR_TZ_LIT (1ull << 8)
#define CPTR_TSM_LIT (1ull << 12)
#define ENC_CPACR ENC_LIT(3, 0, 1, 0, 2)
#define ENC_CPACR12 ENC_LIT(3, 5, 1, 0, 2)

static int cpacr_trap(bool read, uint64_t *val)
{
	struct hyp_sysreg_access a = { .enc = ENC_CPACR, .read = read, .val = *val };
	int rc = hyp_sysreg_handle_trap(&vcpu, &a, NULL);

	*val = a.val;
	return rc;
}

/* SME hidden on a CPU with SME (no FGT, E2H = 0): load sets TCPAC with TSM
 * and restores the guest's CPACR_EL1 with SMEN = 0b11; the guest's trapped
 * reads see SMEN 0 and its writes cannot clear it; exact accesses. */
Test(sysreg, hidden_sme_cpacr_smen_held_nvhe)
{
	static const enum hyp_cap hide[] = { HYP_CAP_SME };
	struct hyp_cpufeat_vm fv;
	uint64_t v;

	boot_pfr1(A76_MMFR0, PFR1_SME);
	vm_hiding(&fv, hide, 1, false);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_CPACR)], HYP_SYSREG_DEFERRED);
	vcpu.regs[hyp_sysreg_lookup(ENC_CPACR)] = CPACR_FPEN_LIT; /* the guest's */
	hyp_sim_reg_define(&sim, ENC_CPACR, 0);
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(peek_enc(HYP_SYS_CPTR_EL2), CPTR_TCPAC_LIT | CPTR_TSM_LIT, "%#llx",
		     (unsigned long long)peek_enc(HYP_SYS_CPTR_EL2));
	cr_assert_eq(peek_enc(ENC_CPACR), CPACR_FPEN_LIT | CPACR_SMEN_LIT);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_CPACR), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_CPTR_EL2), 1);

	/* MRS CPACR_EL1 (trapped by TCPAC): one MRS, SMEN reads 0 */
	hyp_sim_reset_counts(&sim);
	v = 0;
	cr_assert_eq(cpacr_trap(true, &v), HYP_SYSREG_HANDLED);
	cr_assert_eq(v, CPACR_FPEN_LIT);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_CPACR), 1);
	cr_assert_eq(hyp_sim_total(&sim), 1);
	/* MSR CPACR_EL1, 0: one MSR, SMEN stays 0b11 in the hardware */
	hyp_sim_reset_counts(&sim);
	v = 0;
	cr_assert_eq(cpacr_trap(false, &v), HYP_SYSREG_HANDLED);
	cr_assert_eq(peek_enc(ENC_CPACR), CPACR_SMEN_LIT);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_CPACR), 1);
	/* a write of SMEN = 0b01 and FPEN: SMEN still 0b11, read back as 0 */
	v = CPACR_FPEN_LIT | (1ull << 24);
	cr_assert_eq(cpacr_trap(false, &v), HYP_SYSREG_HANDLED);
	cr_assert_eq(peek_enc(ENC_CPACR), CPACR_FPEN_LIT | CPACR_SMEN_LIT);
	v = 0;
	cr_assert_eq(cpacr_trap(true, &v), HYP_SYSREG_HANDLED);
	cr_assert_eq(v, CPACR_FPEN_LIT);
	/* put saves the hardware value; the integrator's view is the guest's */
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_vcpu_read_id(&vcpu, hyp_sysreg_lookup(ENC_CPACR)),
		     CPACR_FPEN_LIT);
	/* an integrator's write while not loaded: held at the next load */
	cr_assert_eq(hyp_sysreg_vcpu_write_id(&vcpu, hyp_sysreg_lookup(ENC_CPACR), 0), 0);
	hyp_sim_reg_define(&sim, ENC_CPACR, 0);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(peek_enc(ENC_CPACR), CPACR_SMEN_LIT);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
}

/* The same with E2H = 1 (CPTR_EL2's CPACR_EL1-like layout, CPACR_EL12). */
Test(sysreg, hidden_sme_cpacr_smen_held_vhe)
{
	static const enum hyp_cap hide[] = { HYP_CAP_SME };
	struct hyp_cpufeat_vm fv;
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	uint64_t v = 0;

	boot_pfr1(A76_MMFR0, PFR1_SME);
	cr_assert_eq(hyp_cpufeat_vm_init(&fv, hide, 1), 0);
	c.features = &fv;
	c.e2h = true;
	setup_vm(&c);
	hyp_sim_reg_define(&sim, HYP_SYS_CPTR_EL2, CPACR_ZEN_LIT | CPACR_FPEN_LIT | CPACR_SMEN_LIT);
	hyp_sim_reg_define(&sim, ENC_CPACR12, 0);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(peek_enc(HYP_SYS_CPTR_EL2), CPTR_TCPAC_LIT | CPACR_ZEN_LIT | CPACR_FPEN_LIT);
	cr_assert_eq(peek_enc(ENC_CPACR12), CPACR_SMEN_LIT);
	cr_assert_eq(cpacr_trap(true, &v), HYP_SYSREG_HANDLED);
	cr_assert_eq(v, 0);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
}

/* SVE hidden on a CPU with SVE: ZEN held likewise (TZ with TCPAC). */
Test(sysreg, hidden_sve_cpacr_zen_held)
{
	static const enum hyp_cap hide[] = { HYP_CAP_SVE };
	struct hyp_cpufeat_vm fv;
	uint64_t v = 0;

	boot(A76_MMFR0, 0x1100000011111112 | (1ull << 32));
	hyp_sim_reg_define(&sim, HYP_SYS_CPTR_EL2, 0);
	hyp_sim_reg_define(&sim, ENC_CPACR, 0);
	vm_hiding(&fv, hide, 1, false);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(peek_enc(HYP_SYS_CPTR_EL2), CPTR_TCPAC_LIT | CPTR_TZ_LIT);
	cr_assert_eq(peek_enc(ENC_CPACR), CPACR_ZEN_LIT);
	cr_assert_eq(cpacr_trap(true, &v), HYP_SYSREG_HANDLED);
	cr_assert_eq(v, 0);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
}

/* Given SME, or CPACR_EL1 not switched at load (ABSENT, LAZY): nothing
 * held, no TCPAC from the engine (the guest's CPACR_EL1 is its own, and a
 * register not restored at load cannot hold the bits). */
Test(sysreg, cpacr_not_held_when_given_or_not_restored)
{
	static const enum hyp_cap hide[] = { HYP_CAP_SME };
	struct hyp_cpufeat_vm fv;
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	struct hyp_sysreg_policy_req r = { 0, HYP_SYSREG_LAZY };

	boot_pfr1(A76_MMFR0, PFR1_SME);
	vm_hiding(&fv, NULL, 0, false);
	vcpu.regs[hyp_sysreg_lookup(ENC_CPACR)] = CPACR_FPEN_LIT;
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(peek_enc(HYP_SYS_CPTR_EL2), 0);
	cr_assert_eq(peek_enc(ENC_CPACR), CPACR_FPEN_LIT);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);

	r.reg = (unsigned)hyp_sysreg_lookup(ENC_CPACR);
	for (unsigned p = HYP_SYSREG_ABSENT; p <= HYP_SYSREG_LAZY; p += HYP_SYSREG_LAZY) {
		r.policy = p;
		cr_assert_eq(hyp_cpufeat_vm_init(&fv, hide, 1), 0);
		c.features = &fv;
		c.req = &r;
		c.nr_req = 1;
		setup_vm(&c);
		hyp_sim_reg_define(&sim, HYP_SYS_CPTR_EL2, 0);
		cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
		cr_assert_eq(peek_enc(HYP_SYS_CPTR_EL2), CPTR_TSM_LIT, "policy %u", p);
		cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	}
}

/* The switch's plug keeps TID1/TID5 in the vCPU's HCR_EL2 (the bits the
 * engine manages), whatever the integrator's own value lacks. */
Test(sysreg, tid1_tid5_in_engine_hcr_bits)
{
	cr_assert_eq(HYP_SYSREG_HCR_BITS & (HCR_TID1_LIT | HCR_TID5_LIT),
		     HCR_TID1_LIT | HCR_TID5_LIT);
}

/* ---- DISR_EL1 with HCR_EL2.AMO: the guest's register is VDISR_EL2 ---- */

/* Arm ARM D24.9.1 DISR_EL1: an EL1 access with HCR_EL2.AMO (bit 5,
 * D24.2.62) = 1 reads or writes VDISR_EL2 (D24.9.16, encoding 3,4,12,1,1)
 * instead: that is what the guest sees, so VDISR_EL2 is switched (two VMs
 * on one CPU keep their own) and DISR_EL1, the hypervisor's, is not.
 * Without AMO, DISR_EL1 is the guest's. The A76-like CPU has FEAT_RAS. */
#define HCR_AMO_LIT (1ull << 5)
#define ENC_DISR ENC_LIT(3, 0, 12, 1, 1)
#define ENC_VDISR ENC_LIT(3, 4, 12, 1, 1)

Test(sysreg, disr_with_amo_switches_vdisr)
{
	static struct hyp_sysreg_vm vm_b;
	static struct hyp_sysreg_vcpu vcpu_b;
	struct hyp_sysreg_vm_config c = cfg(HYP_SYSREG_DEFERRED);
	uint64_t v = 0;

	boot_a76();
	cr_assert(hyp_cpu_has(HYP_CAP_RAS));
	c.hcr_el2 |= HCR_AMO_LIT;
	setup_vm(&c);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_VDISR)], HYP_SYSREG_DEFERRED);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_DISR)], HYP_SYSREG_ABSENT);
	cr_assert_eq(hyp_sysreg_vm_init(&vm_b, &c, NULL), 0);
	cr_assert_eq(hyp_sysreg_vcpu_init(&vcpu_b, &vm_b), 0);

	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_VDISR), 1);
	hyp_sim_reg_define(&sim, ENC_VDISR, 0x80000011); /* the guest's MSR DISR_EL1 */
	hyp_sim_reg_define(&sim, ENC_DISR, 0x5e);	  /* the hypervisor's */
	hyp_sim_reset_counts(&sim);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_VDISR), 1);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_DISR) + hyp_sim_reg_writes(&sim, ENC_DISR), 0);
	cr_assert_eq(vcpu.regs[hyp_sysreg_lookup(ENC_VDISR)], 0x80000011);
	cr_assert_eq(hyp_sysreg_load(&vcpu_b), 0);
	cr_assert_eq(hyp_sim_reg_peek(&sim, ENC_VDISR, &v), 0);
	cr_assert_eq(v, 0, "VM B reads VM A's DISR_EL1");
	cr_assert_eq(hyp_sim_reg_peek(&sim, ENC_DISR, &v), 0);
	cr_assert_eq(v, 0x5e, "the hypervisor's DISR_EL1 untouched");
	cr_assert_eq(hyp_sysreg_put(&vcpu_b), 0);

	/* without AMO: DISR_EL1 is the guest's, VDISR_EL2 not touched */
	c.hcr_el2 &= ~HCR_AMO_LIT;
	setup_vm(&c);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_VDISR)], HYP_SYSREG_ABSENT);
	cr_assert_eq(vm.policy[hyp_sysreg_lookup(ENC_DISR)], HYP_SYSREG_DEFERRED);
	cr_assert_eq(hyp_sysreg_load(&vcpu), 0);
	cr_assert_eq(hyp_sysreg_put(&vcpu), 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_VDISR) + hyp_sim_reg_writes(&sim, ENC_VDISR), 0);
	cr_assert_eq(hyp_sim_reg_reads(&sim, ENC_DISR), 1);
	cr_assert_eq(hyp_sim_reg_writes(&sim, ENC_DISR), 1);
}
