/* SPDX-License-Identifier: MIT */
/* Benchmark, not a test: system-register accesses and traps per world
 * switch and per load/put cycle, for three guest profiles under four
 * policies, on the simulated CPU (a Cortex-A76-like CPU: no FGT, so dirty
 * tracking uses HCR_EL2.TVM).
 * Run: meson test -C build/host --benchmark --verbose sysreg */
#include <stdio.h>

#include <libhyp/sysreg.h>

#define CYCLES 1000
#define EXITS 4 /* world switches per load/put cycle */
#define TRAP_WEIGHT 60

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu cpus[1];

static const struct hyp_sysreg_policy_req tracked[] = {
	{ HYP_REG_SCTLR_EL1, HYP_SYSREG_DIRTY },  { HYP_REG_TTBR0_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_TTBR1_EL1, HYP_SYSREG_DIRTY },  { HYP_REG_TCR_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_MAIR_EL1, HYP_SYSREG_DIRTY },   { HYP_REG_AMAIR_EL1, HYP_SYSREG_DIRTY },
	{ HYP_REG_CONTEXTIDR_EL1, HYP_SYSREG_DIRTY },
};
#define NR_TRACKED (sizeof(tracked) / sizeof(tracked[0]))

enum profile { NEVER, ONCE_AT_BOOT, EVERY_EXIT, NR_PROFILES };
static const char *const profile_names[] = { "never writes", "writes once at boot",
					     "writes one every exit" };
enum policy { ALL_IMMEDIATE, ALL_DEFERRED, DIRTY, ADAPTIVE, NR_POLICIES };
static const char *const policy_names[] = { "all-IMMEDIATE", "all-DEFERRED", "DIRTY",
					    "ADAPTIVE" };

struct result {
	double switch_reads, switch_writes, cycle_reads, cycle_writes, cycle_traps, cost;
};

static void boot(void)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim, HYP_RF_ID | HYP_SYSREG_CTX, false);
	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000011111112);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, 0x00101122);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64DFR0_EL1, 0x10305408);
	hyp_cpufeat_reset();
	hyp_cpufeat_init(cpus, 1);
	hyp_cpufeat_probe_cpu(0);
	hyp_cpufeat_finalize(NULL, 0, NULL);
}

/* The guest's MSR: a trap if the hypervisor armed one, else the hardware. */
static void guest_write(struct hyp_sysreg_vcpu *vcpu, unsigned id, uint64_t v)
{
	if ((vcpu->hcr_el2 & HYP_HCR_TVM) && (hyp_sysreg_table[id].wtrap & HYP_WT_TVM)) {
		struct hyp_sysreg_access a = { .enc = hyp_sysreg_table[id].enc, .val = v };
		hyp_sysreg_handle_trap(vcpu, &a, NULL);
	} else {
		hyp_sim_reg_define(&sim, hyp_sysreg_table[id].enc, v); /* not a hypervisor access */
	}
}

static struct result run(enum policy pol, enum profile prof)
{
	static struct hyp_sysreg_vm vm;
	static struct hyp_sysreg_vcpu vcpu;
	struct hyp_sysreg_vm_config c = {
		.default_policy = pol == ALL_IMMEDIATE ? HYP_SYSREG_IMMEDIATE : HYP_SYSREG_DEFERRED,
		.adaptive = pol == ADAPTIVE,
	};
	uint32_t sw_reads = 0, sw_writes = 0, traps;
	struct result r;

	boot();
	if (pol == DIRTY || pol == ADAPTIVE) {
		c.req = tracked;
		c.nr_req = NR_TRACKED;
	}
	if (hyp_sysreg_vm_init(&vm, &c, NULL) || hyp_sysreg_vcpu_init(&vcpu, &vm)) {
		printf("setup failed\n");
		return (struct result){ 0 };
	}
	hyp_sim_reset_counts(&sim);
	for (unsigned cycle = 0; cycle < CYCLES; cycle++) {
		hyp_sysreg_load(&vcpu);
		for (unsigned e = 0; e < EXITS; e++) {
			uint32_t r0 = sim.counts[HYP_SIM_SYSREG_READ];
			uint32_t w0 = sim.counts[HYP_SIM_SYSREG_WRITE];

			hyp_sysreg_enter(&vcpu, NULL);
			sw_writes += sim.counts[HYP_SIM_SYSREG_WRITE] - w0;
			if (prof == EVERY_EXIT)
				guest_write(&vcpu, HYP_REG_TTBR0_EL1, cycle * EXITS + e + 1);
			if (prof == ONCE_AT_BOOT && cycle == 0 && e == 0) {
				for (unsigned i = 0; i < NR_TRACKED; i++)
					guest_write(&vcpu, tracked[i].reg, 0x100 + i);
			}
			w0 = sim.counts[HYP_SIM_SYSREG_WRITE];
			hyp_sysreg_exit(&vcpu, NULL);
			sw_reads += sim.counts[HYP_SIM_SYSREG_READ] - r0;
			sw_writes += sim.counts[HYP_SIM_SYSREG_WRITE] - w0;
		}
		hyp_sysreg_put(&vcpu);
	}
	traps = vcpu.traps;
	r.switch_reads = (double)sw_reads / (CYCLES * EXITS);
	r.switch_writes = (double)sw_writes / (CYCLES * EXITS);
	r.cycle_reads = (double)sim.counts[HYP_SIM_SYSREG_READ] / CYCLES;
	r.cycle_writes = (double)sim.counts[HYP_SIM_SYSREG_WRITE] / CYCLES;
	r.cycle_traps = (double)traps / CYCLES;
	r.cost = r.cycle_reads + r.cycle_writes + TRAP_WEIGHT * r.cycle_traps;
	return r;
}

int main(void)
{
	int worst = 0;

	printf("sysreg: %d load/put cycles of %d world switches each, Cortex-A76-like CPU "
	       "(TVM dirty tracking of %u registers); cost = reads + writes + %d x traps\n\n",
	       CYCLES, EXITS, (unsigned)NR_TRACKED, TRAP_WEIGHT);
	printf("| profile | policy | reads/switch | writes/switch | reads/cycle | writes/cycle "
	       "| traps/cycle | cost/cycle |\n");
	printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
	for (int p = 0; p < NR_PROFILES; p++) {
		struct result res[NR_POLICIES];
		double best = 1e30;

		for (int pol = 0; pol < NR_POLICIES; pol++) {
			res[pol] = run((enum policy)pol, (enum profile)p);
			printf("| %s | %s | %.2f | %.2f | %.2f | %.2f | %.3f | %.2f |\n",
			       profile_names[p], policy_names[pol], res[pol].switch_reads,
			       res[pol].switch_writes, res[pol].cycle_reads, res[pol].cycle_writes,
			       res[pol].cycle_traps, res[pol].cost);
			if (pol != ADAPTIVE && res[pol].cost < best)
				best = res[pol].cost;
		}
		int pct = (int)(100.0 * (res[ADAPTIVE].cost - best) / best + 0.5);
		printf("| %s | ADAPTIVE vs best static | | | | | | %+d%% |\n", profile_names[p], pct);
		if (pct > worst)
			worst = pct;
	}
	printf("\nADAPTIVE is within %d%% of the best static policy on every profile\n", worst);
	return 0;
}
