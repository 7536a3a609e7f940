/* SPDX-License-Identifier: MIT */
/*
 * self-sgi: SGIs to itself, each taken before the next is sent (seed 004's
 * self-IPI guest), on the GIC its DT describes: GICv3 through
 * ICC_SGI1R_EL1 (trapped by minihyp), GICv2 through GICD_SGIR (an access
 * to the emulated distributor). The guest programs its GIC as a driver
 * would (distributor, redistributor wake-up, group, priority, enable).
 */
#include "common.h"

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t n, t0, t1;

	guest_setup(dtb, &dt);
	n = guest_arg(&dt, "iters", DEFAULT_ITERS);
	if (dt.gic_version == 3) {
		guest_gic_init(&dt, 0xf);
		t0 = guest_counter();
		loop_sgi_v3(n);
		t1 = guest_counter();
		guest_report("self-sgi-v3", n, t1 - t0);
	} else if (dt.gic_version == 2) {
		guest_gic_init(&dt, 0xf);
		t0 = guest_counter();
		loop_sgi_v2(n, dt.gicd.base, dt.gic2.base);
		t1 = guest_counter();
		guest_report("self-sgi-v2", n, t1 - t0);
	} else {
		guest_puts("FAIL: self-sgi: no GIC in the DT\n");
		guest_exit(1);
	}
}
