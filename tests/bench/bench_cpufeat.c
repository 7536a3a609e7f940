/* SPDX-License-Identifier: MIT */
/* Benchmark, not a test: hardware accesses of CPU-feature probing on the
 * simulated CPU, per bring-up and per hot-path query.
 * Run: meson test -C build/host --benchmark --verbose cpufeat */
#include <stdio.h>

#include <libhyp/cpufeat.h>
#include <libhyp/hw.h>

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu cpus[2];

static unsigned id_reads(void)
{
	unsigned n = 0;

	for (unsigned r = 0; r < HYP_REG_COUNT; r++) {
		if (hyp_sysreg_table[r].flags & HYP_RF_ID)
			n += hyp_sim_reg_reads(&sim, hyp_sysreg_table[r].enc);
	}
	return n;
}

int main(void)
{
	const unsigned calls = 1000000;
	volatile unsigned sink = 0;
	unsigned probe_reads, probe_total;

	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim, HYP_RF_ID, false);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000011111112); /* GIC sysregs */
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SRE_EL2, 0x9);
	hyp_sim_reg_define(&sim, HYP_SYS_ICH_VTR_EL2, 0x90000003);

	hyp_cpufeat_init(cpus, 2);
	hyp_cpufeat_probe_cpu(0);
	probe_reads = id_reads();
	probe_total = sim.counts[HYP_SIM_SYSREG_READ];
	hyp_sim_reset_counts(&sim);
	hyp_cpufeat_finalize(NULL, 0, NULL);
	unsigned finalize_accesses = hyp_sim_total(&sim);

	for (unsigned i = 0; i < calls; i++) {
		sink += hyp_cpu_has(HYP_CAP_VHE) + hyp_cpu_has(HYP_CAP_FWB);
		sink += (unsigned)hyp_cpu_idreg(HYP_REG_ID_AA64MMFR1_EL1);
	}
	printf("cpufeat: hardware accesses on the simulated CPU\n");
	printf("| operation | ID-register reads | all sysreg reads |\n");
	printf("| --- | --- | --- |\n");
	printf("| probe one CPU (bring-up) | %u | %u |\n", probe_reads, probe_total);
	printf("| finalize | 0 | %u |\n", finalize_accesses);
	printf("| %u x (2 hyp_cpu_has + 1 hyp_cpu_idreg), hot path | %u | %u |\n", calls,
	       id_reads(), sim.counts[HYP_SIM_SYSREG_READ]);
	return sink == 0xdeadbeef; /* keep the loop */
}
