/* SPDX-License-Identifier: MIT */
/* cpufeat on a real (emulated) CPU: probe, finalize, print every ID
 * register and the capability list; run-qemu.py checks the capabilities
 * QEMU's CPU models are known to have. */
#include <libhyp/cpufeat.h>
#include <libhyp/hw.h>

#include "testlib.h"

static struct hyp_cpufeat_cpu cpus[1];

void test_main(void)
{
	int rc;

	/* The GIC system-register interface must be on for ICH_VTR_EL2. */
	if (HYP_IDF_GET(ID_AA64PFR0_EL1, GIC, hyp_read_sysreg(HYP_SYS_ID_AA64PFR0_EL1))) {
		hyp_write_sysreg(HYP_SYS_ICC_SRE_EL2, hyp_read_sysreg(HYP_SYS_ICC_SRE_EL2) | 0x9);
		hyp_isb();
	}
	rc = hyp_cpufeat_init(cpus, 1);
	if (!rc)
		rc = hyp_cpufeat_probe_cpu(0);
	if (!rc)
		rc = hyp_cpufeat_finalize(NULL, 0, NULL);
	if (rc) {
		test_puts("FAIL: cpufeat: ");
		test_puts(hyp_error_name(rc));
		test_puts("\n");
		return;
	}
	for (unsigned r = 0; r < HYP_REG_COUNT; r++) {
		if (hyp_sysreg_table[r].flags & HYP_RF_ID)
			test_print_reg(hyp_sysreg_table[r].name, hyp_cpu_idreg((enum hyp_sysreg_id)r));
	}
	test_print_reg("pa_bits", hyp_cpu_pa_bits());
	test_puts("caps:");
	for (unsigned c = 0; c < HYP_CAP_COUNT; c++) {
		if (hyp_cpu_has((enum hyp_cap)c)) {
			test_puts(" ");
			test_puts(hyp_cap_name(c));
		}
	}
	test_puts(" .\n");
	/* A second probe of the same CPU is refused, a late CPU beyond the
	 * storage too. */
	if (hyp_cpufeat_probe_cpu(0) == HYP_EEXIST && hyp_cpufeat_probe_cpu(1) == HYP_ERANGE)
		test_puts("cpufeat done\n");
}
