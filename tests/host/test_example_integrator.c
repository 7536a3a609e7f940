/* SPDX-License-Identifier: MIT */
/*
 * The example of docs/testing-on-host.md: an integrator's own EL2 code,
 * written against libhyp's headers and the seam (libhyp/hw.h), tested on
 * the simulated CPU. The two functions at the top are "theirs"; the tests
 * below assert what they touched.
 */
#include <criterion/criterion.h>

#include <libhyp/cpufeat.h>
#include <libhyp/hw.h>

/* ---- the integrator's code (in their tree, built for aarch64 too) ---- */

#define MY_HCR (HYP_HCR_VM | HYP_HCR_IMO | HYP_HCR_FMO | HYP_HCR_AMO | HYP_HCR_RW)

/* Per-CPU bring-up: probe this CPU's ID registers, then trap what the
 * guests need and make it take effect. */
static int my_cpu_bringup(unsigned cpu)
{
	int ret = hyp_cpufeat_probe_cpu(cpu);

	if (ret)
		return ret;
	hyp_write_sysreg(HYP_SYS_HCR_EL2, MY_HCR);
	hyp_isb();
	return 0;
}

/* Hot path: must not read an ID register (that can trap when the
 * hypervisor itself runs nested). */
static bool my_fault_wants_fwb(void)
{
	return hyp_cpu_has(HYP_CAP_FWB);
}

/* ---- the tests ---- */

static struct hyp_sim_cpu sim;          /* ~160 KiB: static, not on the stack */
static struct hyp_cpufeat_cpu cpus[1];

static void setup(void)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	/* Every ID register reads 0 unless the test says otherwise... */
	cr_assert_eq(hyp_sim_define_table(&sim, HYP_RF_ID, false), 0);
	/* ...and the EL2 register the code writes must exist. */
	cr_assert_eq(hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0), 0);
	cr_assert_eq(hyp_cpufeat_init(cpus, 1), 0);
}

static void teardown(void)
{
	hyp_cpufeat_reset();
	hyp_sim_set_current(NULL);
}

Test(example_integrator, bringup_writes_hcr_once_then_isb, .init = setup, .fini = teardown)
{
	uint64_t hcr;
	int write_at;

	hyp_sim_reset_counts(&sim);
	cr_assert_eq(my_cpu_bringup(0), 0);

	/* One MSR HCR_EL2 with the value we meant, and an ISB after it. */
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_peek(&sim, HYP_SYS_HCR_EL2, &hcr), 0);
	cr_assert_eq(hcr, MY_HCR);
	write_at = hyp_sim_log_find(&sim, 0, HYP_SIM_SYSREG_WRITE, ~0ull);
	cr_assert_geq(write_at, 0);
	cr_assert_gt(hyp_sim_log_find(&sim, (unsigned)write_at, HYP_SIM_ISB, ~0ull), write_at);
	/* No MMIO, TLB or cache maintenance. */
	cr_assert_eq(sim.counts[HYP_SIM_MMIO_READ] + sim.counts[HYP_SIM_MMIO_WRITE], 0);
	cr_assert_eq(sim.counts[HYP_SIM_TLBI] + sim.counts[HYP_SIM_DC_CIVAC], 0);
}

Test(example_integrator, hot_path_touches_no_hardware, .init = setup, .fini = teardown)
{
	cr_assert_eq(my_cpu_bringup(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);

	hyp_sim_reset_counts(&sim);
	cr_assert_not(my_fault_wants_fwb()); /* every ID register read 0 */
	cr_assert_eq(hyp_sim_total(&sim), 0);
}
