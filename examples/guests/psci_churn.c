/* SPDX-License-Identifier: MIT */
/*
 * psci-churn: PSCI CPU_ON / CPU_OFF churn against one target vCPU (MPIDR
 * 1) from 1 caller (vCPU 0) or 3 racing callers (vCPUs 0, 2 and 3, with 4
 * vCPUs). The target, each time it starts, counts the start and turns
 * itself off at once. Every CPU_ON must answer SUCCESS (the target was off:
 * it must then start exactly once) or ALREADY_ON (it is on, or a CPU_ON of
 * it is still in progress: what Linux KVM answers; never ON_PENDING). At
 * the end, once the target is off for good: starts == SUCCESS answers.
 *
 * Command line: starts=N: the callers go on until the target has started
 * N times (default 200), or each has made 2^20 calls.
 */
#include "guest.h"

#define TARGET		1
#define MAX_CPUS	4
#define PSCI_OK		0
#define PSCI_ALREADY_ON (-4)

static struct guest_dt dt;
static volatile uint64_t starts;
static volatile uint64_t success[MAX_CPUS], already[MAX_CPUS], other[MAX_CPUS];
static volatile int64_t bad_ret[MAX_CPUS];
static volatile uint32_t done[MAX_CPUS];
static volatile uint32_t go;
static volatile uint64_t want_starts;

static void churn(unsigned int me)
{
	for (uint64_t i = 0; starts < want_starts && i < (1u << 20); i++) {
		int64_t ret = (int64_t)guest_hvc(PSCI_CPU_ON, TARGET,
						 (uintptr_t)guest_secondary_entry, TARGET);

		if (ret == PSCI_OK) {
			success[me]++;
		} else if (ret == PSCI_ALREADY_ON) {
			already[me]++;
		} else {
			other[me]++;
			bad_ret[me] = ret;
		}
		/* vary the phase against the target's start and CPU_OFF;
		 * YIELD lets QEMU's single -icount thread run the others */
		for (volatile uint64_t d = 0; d < (i * 7) % 13; d++)
			;
		__asm__ volatile("yield");
	}
}

void guest_secondary(uint64_t cpu)
{
	if (cpu == TARGET) {
		/* Only one instance can run: a plain increment. */
		starts = starts + 1;
	} else if (cpu < MAX_CPUS) {
		while (!go)
			__asm__ volatile("yield");
		churn((unsigned int)cpu);
		done[cpu] = 1;
	}
	guest_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;) /* CPU_OFF does not return */
		__asm__ volatile("wfi");
}

void guest_main(const void *dtb)
{
	unsigned int callers = 1;
	bool started[MAX_CPUS] = {true, false, false, false};
	uint64_t s = 0, a = 0, o = 0;
	int64_t ret;

	if (guest_dt_init(dtb, &dt)) {
		guest_puts("FAIL: psci-churn: no valid DTB at x0\n");
		guest_exit(1);
	}
	want_starts = guest_arg(&dt, "starts", 200);
	if ((int64_t)guest_hvc(PSCI_AFFINITY_INFO, TARGET, 0, 0) != 1) {
		guest_puts("FAIL: psci-churn: no vCPU with MPIDR 1, or it is not off\n");
		guest_exit(1);
	}
	/* The other callers: the vCPUs with MPIDR 2 and 3, if there are. */
	for (unsigned int k = 2; k < MAX_CPUS; k++) {
		ret = (int64_t)guest_hvc(PSCI_CPU_ON, k, (uintptr_t)guest_secondary_entry, k);
		if (ret == PSCI_OK) {
			started[k] = true;
			callers++;
		}
	}
	go = 1;
	churn(0);
	for (unsigned int k = 2; k < MAX_CPUS; k++)
		while (started[k] && !done[k])
			__asm__ volatile("yield");
	/* The last SUCCESS may still be starting: wait until the target is
	 * off for good (nobody calls CPU_ON any more). */
	while ((ret = (int64_t)guest_hvc(PSCI_AFFINITY_INFO, TARGET, 0, 0)) != 1) {
		__asm__ volatile("yield");
		if (ret != 0 && ret != 2) {
			guest_puts("FAIL: psci-churn: AFFINITY_INFO returned ");
			guest_put_hex((uint64_t)ret);
			guest_puts("\n");
			guest_exit(1);
		}
	}
	for (unsigned int k = 0; k < MAX_CPUS; k++) {
		s += success[k];
		a += already[k];
		o += other[k];
		if (other[k]) {
			guest_puts("FAIL: psci-churn: caller ");
			guest_put_dec(k);
			guest_puts(" got ");
			guest_put_hex((uint64_t)bad_ret[k]);
			guest_puts(" (neither SUCCESS nor ALREADY_ON)\n");
		}
	}
	guest_puts("psci-churn: ");
	guest_put_dec(callers);
	guest_puts(" caller(s), ");
	guest_put_dec(s);
	guest_puts(" SUCCESS, ");
	guest_put_dec(a);
	guest_puts(" ALREADY_ON, ");
	guest_put_dec(o);
	guest_puts(" other, ");
	guest_put_dec(starts);
	guest_puts(" starts\n");
	if (starts != s || o || !s) {
		guest_puts("FAIL: psci-churn: every SUCCESS must start the CPU exactly once\n");
		guest_exit(1);
	}
	guest_puts("psci-churn: ok\n");
	guest_exit(0);
}
