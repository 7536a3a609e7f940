/* SPDX-License-Identifier: MIT */
/* Built against libhyp from outside: as a subproject, and from an
 * installed copy through pkg-config. Exits 0 if the seam, the register
 * table and the error strings all work. */
#include <stdio.h>
#include <string.h>

#include <libhyp/error.h>
#include <libhyp/hw.h>

int main(void)
{
	static struct hyp_sim_cpu cpu;

	hyp_sim_init(&cpu);
	hyp_sim_set_current(&cpu);
	hyp_sim_reg_define(&cpu, HYP_SYS_HCR_EL2, 0);
	hyp_write_sysreg(HYP_SYS_HCR_EL2, 0x80000001);
	if (hyp_read_sysreg(HYP_SYS_HCR_EL2) != 0x80000001 || cpu.counts[HYP_SIM_SYSREG_WRITE] != 1 ||
	    strcmp(hyp_sysreg_name(HYP_SYS_HCR_EL2), "HCR_EL2") != 0 ||
	    strcmp(hyp_error_name(HYP_EINVAL), "HYP_EINVAL") != 0) {
		printf("consumer: FAIL\n");
		return 1;
	}
	printf("consumer: libhyp works from outside the project\n");
	return 0;
}
