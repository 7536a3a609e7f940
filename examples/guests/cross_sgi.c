/* SPDX-License-Identifier: MIT */
/*
 * cross-sgi: an SGI to another vCPU, as each wake-up of a Linux guest's
 * cross-CPU pipe ping-pong is (issue 15). CPU 1 (PSCI CPU_ON) waits in a
 * WFI loop with interrupts masked (polling its IAR: guest_gic_wait()),
 * acknowledges each SGI, EOIs it and counts it in shared memory; CPU 0
 * sends it "iters=N" SGIs (default 2^16), one at a time, each by one
 * ICC_SGI1R_EL1 write (GICv3, trapped by minihyp) or GICD_SGIR store
 * (GICv2, emulated), and spins (YIELD, as Linux's cpu_relax()) until CPU 1
 * has counted it before the next. "others=1" (GICv2): each GICD_SGIR
 * store names the target by TargetListFilter 0b01, "all but the
 * requester" (vCPU 1 of two), instead of by its CPUTargetList bit.
 *
 * The figure is the round trip: the virtual count around the loop, under
 * `-icount shift=0,sleep=off` the instructions of both CPUs (QEMU runs
 * them in turn; a halted CPU executes none). The sender's share (the
 * trapped write alone) is what bench.py's table counts from QEMU's trace
 * of CPU 0 (docs/benchmarks.md).
 */
#include "guest.h"

#define DEFAULT_ITERS 65536 /* as common.h, whose guest_secondary() turns CPU 1 off */

#define CROSS_SGI 6u

static struct guest_dt dt;
static volatile uint64_t ready, acked, failed;
/* GICD_SGIR's TargetListFilter [25:24] and CPUTargetList [23:16] (IHI
 * 0048B 4.3.15): 0b00 with {CPU 1}, or 0b01 ("others=1"). */
static uint32_t sgir_targets = 1u << (16 + 1);

/* CPU 1's redistributor (found by GICR_TYPER.Affinity_Value, IHI 0069
 * ch. 12: RD_base then SGI_base, 128 KiB each) awake, its SGI in Group 1
 * at priority 0xa0 and enabled, its CPU interface on; GICv2: the banked
 * priority and enable, the GICC (GICV) frame on. */
static int secondary_gic_init(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	if (dt.gic_version == 3) {
		uint64_t rd = dt.gic2.base, sgi;

		for (;;) {
			uint64_t t = r64(rd + 0x0008); /* GICR_TYPER */

			if ((t >> 32) == (mpidr & 0xffffff))
				break;
			if ((t & (1u << 4)) || rd + 0x20000 >= dt.gic2.base + dt.gic2.size)
				return -1;
			rd += 0x20000;
		}
		sgi = rd + 0x10000;
		w32(rd + 0x0014, r32(rd + 0x0014) & ~(1u << 1)); /* GICR_WAKER.ProcessorSleep */
		while (r32(rd + 0x0014) & (1u << 2))		 /* ChildrenAsleep */
			;
		w32(sgi + 0x0080, r32(sgi + 0x0080) | 1u << CROSS_SGI); /* IGROUPR0 */
		w32(sgi + 0x0404, 0xa0a0a0a0);				/* IPRIORITYR1: SGIs 4..7 */
		w32(sgi + 0x0100, 1u << CROSS_SGI);			/* ISENABLER0 */
		__asm__ volatile("msr S3_0_C4_C6_0, %0\n"   /* ICC_PMR_EL1 */
				 "msr S3_0_C12_C12_7, %1\n" /* ICC_IGRPEN1_EL1 */
				 "isb" ::"r"(0xf0ul),
				 "r"(1ul));
	} else {
		w32(dt.gicd.base + 0x0404, 0xa0a0a0a0); /* GICD_IPRIORITYR1, banked */
		w32(dt.gicd.base + 0x0100, 1u << CROSS_SGI);
		w32(dt.gic2.base + 0x0004, 0xf0); /* GICC_PMR */
		w32(dt.gic2.base + 0x0000, 1);	  /* GICC_CTLR */
	}
	return 0;
}

void guest_secondary(uint64_t cpu)
{
	(void)cpu;
	if (secondary_gic_init()) {
		failed = 1;
		ready = 1;
		guest_hvc(PSCI_CPU_OFF, 0, 0, 0);
	}
	__asm__ volatile("dsb ish" ::: "memory");
	ready = 1;
	for (;;) {
		unsigned int iar = guest_gic_wait(&dt);

		guest_gic_eoi(&dt, iar);
		if ((iar & 0x3ff) != CROSS_SGI)
			failed = iar | 0x100000000ull;
		acked = acked + 1;
	}
}

/* A spin-wait's body, as Linux's cpu_relax() on arm64: YIELD. QEMU's TCG
 * takes it as a hint to run another CPU: under -icount, CPUs run in
 * turn in one thread, and a CPU that spins without it would keep the
 * others stopped until its time budget ends. */
static inline void relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* CROSS_SGI to the CPU with MPIDR 1 (CPU interface 1). */
static inline void send(void)
{
	if (dt.gic_version == 3) /* ICC_SGI1R_EL1: INTID [27:24], TargetList {Aff0 1} */
		__asm__ volatile("msr S3_0_C12_C11_5, %0" : : "r"((uint64_t)CROSS_SGI << 24 | 1u << 1));
	else /* GICD_SGIR: the targets, SGIINTID [3:0] */
		w32(dt.gicd.base + 0xf00, sgir_targets | CROSS_SGI);
}

void guest_main(const void *dtb)
{
	uint64_t n, t0, t1;
	int64_t ret;

	if (guest_dt_init(dtb, &dt))
		guest_fail("cross-sgi", "no valid DTB at x0", 0);
	n = guest_arg(&dt, "iters", DEFAULT_ITERS);
	if (guest_arg(&dt, "others", 0))
		sgir_targets = 1u << 24;
	if (guest_gic_init(&dt, 0))
		guest_fail("cross-sgi", "no GIC in the DT", 0);
	/* The hypervisor's other CPU may still be starting (under -icount
	 * QEMU runs it only when this one yields or halts): give it turns
	 * to become idle first, so that CPU 1 gets a physical CPU of its
	 * own (minihyp queues a vCPU powered on on an idle CPU). */
	for (unsigned int k = 0; k < 256; k++)
		relax();
	ret = (int64_t)guest_hvc(PSCI_CPU_ON, 1, (uintptr_t)guest_secondary_entry, 1);
	if (ret)
		guest_fail("cross-sgi", "CPU_ON(1)", (uint64_t)ret);
	while (!ready)
		relax();
	if (failed)
		guest_fail("cross-sgi", "CPU 1's redistributor", failed);
	/* One round trip first: CPU 1 is then in its WFI loop. */
	send();
	while (acked != 1)
		relax();
	t0 = guest_counter();
	for (uint64_t i = 2; i <= n + 1; i++) {
		send();
		while (acked != i)
			relax();
	}
	t1 = guest_counter();
	if (failed)
		guest_fail("cross-sgi", "CPU 1 acknowledged", failed);
	guest_report(dt.gic_version == 3 ? "cross-sgi-v3" : "cross-sgi-v2", n, t1 - t0);
	guest_exit(0);
}
