/* SPDX-License-Identifier: MIT */
/*
 * sysreg-dirty: hypercalls (PSCI_VERSION), every "yield=N"-th of them
 * (default 16) minihyp's yield call, which puts and reloads the vCPU as a
 * preemption would, and a write of CONTEXTIDR_EL1, a register of the
 * HCR_EL2.TVM group, before every "rate=N"-th (default 1; 0: never). What
 * the writes cost under each policy: IMMEDIATE never traps but switches
 * on every exit that reaches the run loop; DIRTY traps the first write
 * after each load; adaptive promotes a group that traps too often to
 * DEFERRED. On bare QEMU the yield is an unknown call (one instruction).
 */
#include "common.h"

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t n, rate, yield, t0, t1;

	guest_setup(dtb, &dt);
	n = guest_arg(&dt, "iters", DEFAULT_ITERS);
	rate = guest_arg(&dt, "rate", 1);
	yield = guest_arg(&dt, "yield", 16);
	t0 = guest_counter();
	loop_dirty(n, rate, yield);
	t1 = guest_counter();
	guest_puts("rate ");
	guest_put_dec(rate);
	guest_puts(", yield ");
	guest_put_dec(yield);
	guest_puts(": ");
	guest_report("sysreg-dirty", n, t1 - t0);
}
