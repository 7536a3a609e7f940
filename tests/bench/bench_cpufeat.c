/* SPDX-License-Identifier: MIT */
/* Hardware accesses of CPU-feature probing on the simulated CPU, per
 * bring-up and per hot-path query. Every figure is measured from the
 * simulated CPU's counters, and gated: the program fails (exit status 1) if
 * probing reads an ID register more than once, or if finalize or the hot
 * path read any (the module's contract: "no ID register is ever read
 * again"). Run: meson test -C build/host --benchmark --verbose cpufeat;
 * the 'cpufeat-counts' test runs the same gate. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

/* The ID registers a probe reads: all of the table's but CCSIDR_EL1 (it
 * needs CSSELR_EL1) and the GIC's, which the sim CPU's ICC_SRE_EL2 enables
 * (ICH_VTR_EL2: one more read, and the ICC_SRE_EL2 read, not an ID one). */
static unsigned probed_regs(void)
{
	unsigned n = 0;

	for (unsigned r = 0; r < HYP_REG_COUNT; r++) {
		uint16_t f = hyp_sysreg_table[r].flags;
		n += (f & HYP_RF_ID) && !(f & HYP_RF_GIC) && r != HYP_REG_CCSIDR_EL1;
	}
	return n + 1;
}

static int gate(const char *what, unsigned measured, unsigned limit)
{
	if (measured <= limit)
		return 0;
	printf("FAIL: %s: %u, must be at most %u\n", what, measured, limit);
	return 1;
}

int main(int argc, char **argv)
{
	const unsigned calls = 1000000;
	volatile unsigned sink = 0;
	unsigned probe_reads, probe_total, finalize_reads, hot_reads, hot_total;
	int bad = 0;
	bool quiet = argc > 1 && !strcmp(argv[1], "--check");

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
	if (hyp_cpufeat_finalize(NULL, 0, NULL)) {
		printf("FAIL: finalize refused\n");
		return 1;
	}
	unsigned finalize_accesses = hyp_sim_total(&sim);
	finalize_reads = id_reads();

	hyp_sim_reset_counts(&sim);
	for (unsigned i = 0; i < calls; i++) {
		sink += hyp_cpu_has(HYP_CAP_VHE) + hyp_cpu_has(HYP_CAP_FWB);
		sink += (unsigned)hyp_cpu_idreg(HYP_REG_ID_AA64MMFR1_EL1);
	}
	hot_reads = id_reads();
	hot_total = hyp_sim_total(&sim);
	if (!quiet) {
		printf("cpufeat: hardware accesses on the simulated CPU\n");
		printf("| operation | ID-register reads | all hardware accesses |\n");
		printf("| --- | --- | --- |\n");
		printf("| probe one CPU (bring-up) | %u | %u |\n", probe_reads, probe_total);
		printf("| finalize | %u | %u |\n", finalize_reads, finalize_accesses);
		printf("| %u x (2 hyp_cpu_has + 1 hyp_cpu_idreg), hot path | %u | %u |\n", calls,
		       hot_reads, hot_total);
	}
	bad |= gate("probe: ID-register reads (each once)", probe_reads, probed_regs());
	bad |= gate("finalize: ID-register reads", finalize_reads, 0);
	bad |= gate("finalize: hardware accesses", finalize_accesses, 0);
	bad |= gate("hot path: ID-register reads", hot_reads, 0);
	bad |= gate("hot path: hardware accesses", hot_total, 0);
	if (probe_reads < probed_regs())
		bad |= gate("probe: ID registers left unread", probed_regs() - probe_reads, 0);
	return bad || sink == 0xdeadbeef; /* sink: keep the loop */
}
