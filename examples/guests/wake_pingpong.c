/* SPDX-License-Identifier: MIT */
/*
 * wake-pingpong: the cross-CPU wake-up of a Linux pipe ping-pong, without
 * Linux (issue 15). vCPU 0 and vCPU 1 (PSCI CPU_ON) pass an SGI back and
 * forth "iters=N" times (default 1000): each waits for it in WFI
 * (interrupts masked, polling its IAR), acknowledges it and sends one to
 * the other, so every round trip is two wake-ups of a CPU halted in WFI.
 * Run with one vCPU per CPU (-smp 2) under -icount: each vCPU is alone on
 * its CPU, so its WFI is not trapped (it halts in the guest) and each
 * wake-up costs minihyp the sender's trapped SGI and the receiver's kick.
 * The report is one round trip ("bench wake-pingpong: ... instructions
 * per iteration"); on bare QEMU (the floor) the same guest uses QEMU's
 * PSCI. GICv3: ICC_SGI1R_EL1 (trapped by minihyp), GICv2: GICD_SGIR
 * (emulated).
 */
#include "guest.h"

#define PP_SGI 6u

static struct guest_dt dt;
static volatile uint32_t ready, bad;
static volatile uint64_t iters;

#define GICD_SGIR 0x0f00u

/* PP_SGI to the CPU with MPIDR Aff0 @cpu (CPU interface @cpu). */
static void send_sgi(unsigned int cpu)
{
	__asm__ volatile("dsb ish" ::: "memory");
	if (dt.gic_version == 3) /* ICC_SGI1R_EL1: INTID [27:24], TargetList {Aff0 cpu} */
		__asm__ volatile("msr S3_0_C12_C11_5, %0; isb"
				 :
				 : "r"((uint64_t)PP_SGI << 24 | 1u << cpu));
	else /* GICD_SGIR: TargetListFilter 0, CPUTargetList {cpu}, SGIINTID */
		w32(dt.gicd.base + GICD_SGIR, 1u << (16 + cpu) | PP_SGI);
}

/* Wait in WFI for PP_SGI, acknowledge and EOI it; a wrong one is noted. */
static void wait_sgi(void)
{
	unsigned int iar = guest_gic_wait(&dt);

	guest_gic_eoi(&dt, iar);
	if ((iar & 0x3ff) != PP_SGI)
		bad = iar | 0x80000000u;
}

void guest_secondary(uint64_t cpu)
{
	(void)cpu;
	if (guest_gic_init_cpu(&dt, 1u << PP_SGI))
		bad = 0xdead;
	__asm__ volatile("dsb ish" ::: "memory");
	ready = 1;
	for (uint64_t i = 0; i < iters && !bad; i++) {
		wait_sgi();
		send_sgi(0);
	}
	guest_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void guest_main(const void *dtb)
{
	uint64_t n, t0, t1, freq;
	int64_t ret;

	if (guest_dt_init(dtb, &dt) || guest_gic_init(&dt, 1u << PP_SGI)) {
		guest_puts("FAIL: wake-pingpong: no valid DTB or GIC at x0\n");
		guest_exit(1);
	}
	n = guest_arg(&dt, "iters", 1000);
	freq = guest_counter_freq();
	iters = n;
	__asm__ volatile("dsb ish" ::: "memory");
	ret = (int64_t)guest_hvc(PSCI_CPU_ON, 1, (uintptr_t)guest_secondary_entry, 1);
	if (ret)
		guest_fail("wake-pingpong", "CPU_ON(1)", (uint64_t)ret);
	t0 = guest_counter();
	while (!ready)
		if (guest_counter() - t0 > 5 * freq)
			guest_fail("wake-pingpong", "CPU 1 did not come up", 0);
	if (bad)
		guest_fail("wake-pingpong", "CPU 1's GIC", bad);
	t0 = guest_counter();
	for (uint64_t i = 0; i < n && !bad; i++) {
		send_sgi(1);
		wait_sgi();
	}
	t1 = guest_counter();
	if (bad)
		guest_fail("wake-pingpong", "unexpected IAR", bad);
	guest_puts("wake-pingpong: ");
	guest_put_dec(n);
	guest_puts(" round trips ok\n");
	guest_report("wake-pingpong", n, t1 - t0);
	guest_exit(0);
}
