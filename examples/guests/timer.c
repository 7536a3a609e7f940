/* SPDX-License-Identifier: MIT */
/*
 * timer: the EL1 virtual timer (PPI 27) through the GIC, "n=N" times
 * (default 3): arm CNTV_TVAL for 1 ms, wait for the interrupt with WFI
 * (interrupts masked, polling the IAR as seed 004's guests do), check it is
 * the timer's, disable the timer, EOI. Under minihyp: the physical timer
 * interrupt exits to EL2, libhyp's vtimer masks it and minihyp injects the
 * virtual PPI; the guest's WFI blocks its vCPU until the timer fires.
 */
#include "common.h"

#define VTIMER_INTID 27

static void cntv(uint64_t tval, uint64_t ctl)
{
	__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(tval), "r"(ctl)
			 : "memory");
}

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t n, freq = guest_counter_freq(), t0, t1;

	guest_setup(dtb, &dt);
	n = guest_arg(&dt, "n", 3);
	if (guest_gic_init(&dt, 1u << VTIMER_INTID)) {
		guest_puts("FAIL: timer: no GIC in the DT\n");
		guest_exit(1);
	}
	for (uint64_t i = 0; i < n; i++) {
		unsigned int iar;

		t0 = guest_counter();
		cntv(freq / 1000, 1); /* 1 ms, enabled, unmasked */
		while (((iar = guest_gic_ack(&dt)) & 0x3ff) >= 1020)
			__asm__ volatile("wfi");
		t1 = guest_counter();
		cntv(0, 0);
		guest_gic_eoi(&dt, iar);
		if ((iar & 0x3ff) != VTIMER_INTID || t1 - t0 < freq / 1000) {
			guest_puts("FAIL: timer: IAR ");
			guest_put_hex(iar);
			guest_puts(" after ");
			guest_put_dec(t1 - t0);
			guest_puts(" ticks\n");
			guest_exit(1);
		}
	}
	guest_puts("timer: ");
	guest_put_dec(n);
	guest_puts(" interrupts ok\n");
}
