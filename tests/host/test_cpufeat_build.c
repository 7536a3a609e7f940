/* SPDX-License-Identifier: MIT */
/* Build-time capabilities and the debug check: this file is compiled as an
 * integrator would, with -DLIBHYP_ASSUME_* and -DLIBHYP_DEBUG. */
#define LIBHYP_DEBUG 1
#define LIBHYP_ASSUME_VHE 1
#define LIBHYP_ASSUME_SVE 0

#include <criterion/criterion.h>
#include <signal.h>

#include <libhyp/cpufeat.h>
#include <libhyp/hw.h>

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu cpus[1];

static void boot(uint64_t mmfr1, uint64_t pfr0)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim, HYP_RF_ID, false);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, mmfr1);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, pfr0);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_init(cpus, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
}

Test(cpufeat_build, assumed_capabilities_are_constants)
{
	hyp_cpufeat_reset();
	/* before finalize, and without any load: the build fixed them */
	cr_assert(hyp_cpu_has(HYP_CAP_VHE));
	cr_assert(!hyp_cpu_has(HYP_CAP_SVE));
	cr_assert_eq(hyp_cap_assumed(HYP_CAP_VHE), 1);
	cr_assert_eq(hyp_cap_assumed(HYP_CAP_SVE), 0);
	cr_assert_eq(hyp_cap_assumed(HYP_CAP_FWB), -1);
	cr_assert_eq(HYP_CAP_ASSUMED(VHE), 1);
	cr_assert_eq(HYP_CAP_ASSUMED(FWB), -1);
}

Test(cpufeat_build, assumptions_checked_against_hardware)
{
	/* VH=1, SVE=0: matches */
	boot(0x100, 0x11);
	cr_assert_eq(hyp_cpufeat_verify_assumed(), 0);
	/* no VHE although the build assumed it */
	boot(0, 0x11);
	cr_assert_eq(hyp_cpufeat_verify_assumed(), HYP_EMISMATCH);
	/* SVE although the build assumed none */
	boot(0x100, 0x11 | (1ull << 32));
	cr_assert_eq(hyp_cpufeat_verify_assumed(), HYP_EMISMATCH);
}

Test(cpufeat_build, debug_build_traps_before_finalize, .signal = SIGILL)
{
	hyp_cpufeat_reset();
	(void)hyp_cpu_has(HYP_CAP_FWB);
}

Test(cpufeat_build, debug_build_after_finalize_is_fine)
{
	boot(0x100, 0x11);
	cr_assert(!hyp_cpu_has(HYP_CAP_FWB));
}
