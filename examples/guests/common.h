/* SPDX-License-Identifier: MIT */
/* What every benchmark guest does around its loop. */
#ifndef GUEST_COMMON_H
#define GUEST_COMMON_H

#include "guest.h"

/* seed 004 ran 2^20 iterations; 2^16 under icount is exact and quick. */
#define DEFAULT_ITERS 65536

static inline void guest_setup(const void *dtb, struct guest_dt *dt)
{
	if (guest_dt_init(dtb, dt)) {
		guest_puts("FAIL: guest: no valid DTB at x0\n");
		guest_exit(1);
	}
}

/* The benchmarks use one vCPU: any other one started turns itself off. */
void guest_secondary(uint64_t cpu)
{
	(void)cpu;
	guest_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

#endif
