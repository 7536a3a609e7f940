/* SPDX-License-Identifier: MIT */
/*
 * wake-latency: a vCPU blocked in WFI must be woken by its interrupt, not
 * by some later tick (issue 15, item 5). vCPU 0 waits for SGI 3 in WFI
 * (interrupts masked, polling its IAR: every WFI traps, its vCPU blocks);
 * vCPU 1 (PSCI CPU_ON), "n=N" times (default 200): waits a little so that
 * vCPU 0 is blocked, notes the virtual count, sends the SGI and spins
 * (no WFI, no trap, no YIELD: a busy sender) until vCPU 0 has taken it.
 * vCPU 0 measures each wake-up (its count after the IAR read minus the
 * sender's), and fails if the slowest is above "max_us=U" microseconds
 * (default 1000: a tenth of minihyp's default 10 ms time slice).
 * GICv3: ICC_SGI1R_EL1 (trapped), GICv2: GICD_SGIR (emulated).
 */
#include "guest.h"

#define WAKE_SGI 3u

static struct guest_dt dt;
static volatile uint64_t sent_at, got, start;

void guest_secondary(uint64_t cpu)
{
	uint64_t n = start, pause = guest_counter_freq() / 5000; /* 200 us */

	(void)cpu;
	for (uint64_t i = 1; i <= n; i++) {
		uint64_t t0;

		while (got != i - 1)
			;
		t0 = guest_counter();
		while (guest_counter() - t0 < pause)
			;
		sent_at = guest_counter();
		__asm__ volatile("dsb ish" ::: "memory");
		if (dt.gic_version == 3) /* ICC_SGI1R_EL1: INTID [27:24], TargetList {Aff0 0} */
			__asm__ volatile("msr S3_0_C12_C11_5, %0; isb"
					 :
					 : "r"((uint64_t)WAKE_SGI << 24 | 1u));
		else /* GICD_SGIR: CPUTargetList {0}, SGIINTID */
			w32(dt.gicd.base + 0xf00, 1u << 16 | WAKE_SGI);
		while (got != i)
			;
	}
	guest_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void guest_main(const void *dtb)
{
	uint64_t n, max_us, freq, worst = 0, sum = 0;
	int64_t ret;

	if (guest_dt_init(dtb, &dt) || guest_gic_init(&dt, 1u << WAKE_SGI)) {
		guest_puts("FAIL: wake-latency: no valid DTB or GIC at x0\n");
		guest_exit(1);
	}
	n = guest_arg(&dt, "n", 200);
	max_us = guest_arg(&dt, "max_us", 1000);
	freq = guest_counter_freq();
	start = n;
	__asm__ volatile("dsb ish" ::: "memory");
	ret = (int64_t)guest_hvc(PSCI_CPU_ON, 1, (uintptr_t)guest_secondary_entry, 1);
	if (ret)
		guest_fail("wake-latency", "CPU_ON(1)", (uint64_t)ret);
	for (uint64_t i = 1; i <= n; i++) {
		unsigned int iar = guest_gic_wait(&dt);
		uint64_t lat = guest_counter() - sent_at;

		guest_gic_eoi(&dt, iar);
		if ((iar & 0x3ff) != WAKE_SGI)
			guest_fail("wake-latency", "unexpected IAR", iar);
		if (lat > worst)
			worst = lat;
		sum += lat;
		got = i;
	}
	guest_puts("wake-latency: ");
	guest_put_dec(n);
	guest_puts(" wake-ups, slowest ");
	guest_put_dec(worst * 1000000 / freq);
	guest_puts(" us, mean ");
	guest_put_dec(sum / n * 1000000 / freq);
	guest_puts(" us");
	if (worst * 1000000 / freq > max_us) {
		guest_puts(" FAIL: above ");
		guest_put_dec(max_us);
		guest_puts(" us\n");
		guest_exit(1);
	}
	guest_puts(" ok\n");
	guest_exit(0);
}
