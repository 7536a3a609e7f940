/* SPDX-License-Identifier: MIT */
/* sysreg-trap: reads of PMSELR_EL0; under minihyp MDCR_EL2.TPM traps them
 * and minihyp's sorted trap table emulates the register (seed 004's
 * sysreg guest). */
#include "common.h"

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t n, t0, t1;

	guest_setup(dtb, &dt);
	n = guest_arg(&dt, "iters", DEFAULT_ITERS);
	t0 = guest_counter();
	loop_sysreg_trap(n);
	t1 = guest_counter();
	guest_report("sysreg-trap", n, t1 - t0);
}
