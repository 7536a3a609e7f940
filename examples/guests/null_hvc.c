/* SPDX-License-Identifier: MIT */
/* null-hvc: PSCI_VERSION over HVC, the cheapest round trip to the
 * hypervisor and back (seed 004's NULL-hypercall guest). */
#include "common.h"

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t n, v, t0, t1;

	guest_setup(dtb, &dt);
	n = guest_arg(&dt, "iters", DEFAULT_ITERS);
	v = guest_hvc(PSCI_VERSION, 0, 0, 0);
	if (v >> 16 < 1 && v != 2) {
		guest_puts("FAIL: PSCI_VERSION ");
		guest_put_hex(v);
		guest_puts("\n");
		guest_exit(1);
	}
	t0 = guest_counter();
	loop_null_hvc(n);
	t1 = guest_counter();
	guest_report("null-hvc", n, t1 - t0);
}
