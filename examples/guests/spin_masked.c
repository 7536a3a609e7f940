/* SPDX-License-Identifier: MIT */
/*
 * spin-masked: a guest that never gives its CPUs back. Every vCPU ("cpus=N"
 * vCPUs, MPIDR 0 .. N-1, default 1; the others are started with PSCI
 * CPU_ON) spins with every interrupt masked (DAIF) and never traps, for
 * "ms=T" milliseconds of the virtual counter (default 1000); then vCPU 0
 * ends the VM with "status=S" (minihyp's exit call; 0: PSCI SYSTEM_OFF).
 * The others still spin: the VM's end must stop them.
 *
 * Under minihyp with another VM on the same physical CPUs, that VM must
 * still get its time slices (the EL2 tick preempts a vCPU whatever its
 * PSTATE.I says: HCR_EL2.IMO routes physical IRQs to EL2) and finish
 * first.
 */
#include "guest.h"

static volatile uint32_t spinning;

static void spin(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	__atomic_add_fetch(&spinning, 1u, __ATOMIC_RELAXED);
	for (;;)
		__asm__ volatile("" ::: "memory");
}

void guest_secondary(uint64_t cpu)
{
	(void)cpu;
	spin();
}

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t cpus, ms, t0, ticks;

	if (guest_dt_init(dtb, &dt)) {
		guest_puts("FAIL: spin-masked: no valid DTB at x0\n");
		guest_exit(1);
	}
	cpus = guest_arg(&dt, "cpus", 1);
	ms = guest_arg(&dt, "ms", 1000);
	for (uint64_t i = 1; i < cpus; i++) {
		int64_t r = (int64_t)guest_hvc(PSCI_CPU_ON, i, (uintptr_t)guest_secondary_entry, i);

		if (r)
			guest_fail("spin-masked", "CPU_ON", (uint64_t)r);
	}
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	guest_puts("spin-masked: spinning with interrupts masked\n");
	ticks = guest_counter_freq() / 1000 * ms;
	t0 = guest_counter();
	while (guest_counter() - t0 < ticks)
		__asm__ volatile("" ::: "memory");
	guest_puts("spin-masked: ");
	guest_put_dec(__atomic_load_n(&spinning, __ATOMIC_RELAXED) + 1);
	guest_puts(" vCPUs spun, done\n");
	guest_exit((unsigned int)guest_arg(&dt, "status", 0));
}
