/* SPDX-License-Identifier: MIT */
/*
 * uart-echo: the console read by interrupt (issue 15). The guest enables
 * the PL011's receive interrupt (UARTIMSC.RXIM) and its SPI in the GIC
 * (INTID "irq=N", default 33: QEMU virt's PL011 at SPI 1; the UART at
 * "uart=ADDR", default 0x09000000), prints "uart-echo: ready", then waits
 * in WFI for interrupts, reads the characters each one brings, and at the
 * end of a line prints it back with the number of interrupts taken and
 * powers off. Each interrupt is acknowledged and EOI'd (EOImode 0: the EOI
 * also deactivates it).
 *
 * Under minihyp the PL011's SPI is forwarded with a hardware-mapped list
 * register: the guest's EOI deactivates the physical interrupt, which
 * minihyp left active. A line of several characters takes several
 * interrupts (QEMU's PL011 without its FIFO holds one character, and
 * raises its receive interrupt for each): the line arrives only if each
 * deactivation reached the physical GIC. "min=N" (default 2): fewer
 * interrupts than that for the line is a failure. The EL1 virtual timer
 * bounds the wait ("timeout=S" seconds, default 60).
 *
 * "cpu=N" (default 0): vCPU 0 starts vCPU N (PSCI CPU_ON, MPIDR Aff0 = N)
 * and waits in WFI; vCPU N routes the SPI to itself (GICD_IROUTER = its
 * affinity, or GICD_ITARGETSR = its CPU interface) and does the above. The
 * hypervisor first routes the physical SPI to vCPU 0's CPU: the first
 * firing goes there and must reach vCPU N all the same, and the physical
 * routing should follow (minihyp reports the interrupt forwarded "to
 * vCPU N").
 */
#include "guest.h"

#define PL011_DR      0x000u
#define PL011_FR      0x018u
#define PL011_FR_RXFE (1u << 4)
#define PL011_LCR_H   0x02cu
#define PL011_IMSC    0x038u
#define PL011_MIS     0x040u
#define PL011_ICR     0x044u
/* UARTIMSC / UARTMIS / UARTICR bits (PL011 TRM 3.3.10-3.3.13): RX [4],
 * RT (receive timeout) [6]; LCR_H.FEN [4] enables the FIFOs. */
#define PL011_INT_RX (1u << 4)
#define PL011_INT_RT (1u << 6)
#define PL011_FEN    (1u << 4)

#define VTIMER_INTID 27

static struct guest_dt dt;
static uint64_t uart, irq, min, timeout;

static void w64(uint64_t a, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
}

/* Byte @byte of the 32-bit distributor word holding INTID @intid's byte
 * (IPRIORITYR, ITARGETSR): a read-modify-write of the word, one plain LDR
 * and STR (emulated from their syndromes). */
static void dist_byte(uint64_t reg, unsigned int intid, uint8_t byte)
{
	uint64_t a = reg + (intid & ~3u);
	unsigned int sh = 8 * (intid & 3);

	w32(a, (r32(a) & ~(0xffu << sh)) | (uint32_t)byte << sh);
}

/* This CPU's side of the GIC for a CPU other than 0 (guest_gic_init() did
 * the distributor and CPU 0's): its redistributor awake (the vGIC's are
 * contiguous, 128 KiB each, by vCPU index), PPIs @mask enabled at priority
 * 0xa0, the CPU interface's priority mask 0xf0 and Group 1 on; GICv2: the
 * banked GICD registers of INTIDs 0..31 and this CPU's GICC (IHI 0069
 * 12.10-12.11, IHI 0048B 4.3-4.4). */
static void cpu_if_init(uint64_t cpu, uint32_t mask)
{
	if (dt.gic_version == 3) {
		uint64_t rd = dt.gic2.base + 0x20000 * cpu, sgi = rd + 0x10000;

		w32(rd + 0x14, r32(rd + 0x14) & ~(1u << 1)); /* GICR_WAKER.ProcessorSleep */
		while (r32(rd + 0x14) & (1u << 2))	     /* ChildrenAsleep */
			;
		w32(sgi + 0x80, r32(sgi + 0x80) | mask); /* GICR_IGROUPR0: Group 1 */
		for (unsigned int i = 0; i < 32; i += 4)
			w32(sgi + 0x400 + i, 0xa0a0a0a0);
		w32(sgi + 0x100, mask);
		__asm__ volatile("msr S3_0_C4_C6_0, %0\n"   /* ICC_PMR_EL1 */
				 "msr S3_0_C12_C12_7, %1\n" /* ICC_IGRPEN1_EL1 */
				 "isb" ::"r"(0xf0ul),
				 "r"(1ul));
	} else {
		for (unsigned int i = 0; i < 32; i += 4)
			w32(dt.gicd.base + 0x400 + i, 0xa0a0a0a0);
		w32(dt.gicd.base + 0x100, mask);
		w32(dt.gic2.base + 0x4, 0xf0); /* GICC_PMR */
		w32(dt.gic2.base + 0x0, 1);    /* GICC_CTLR */
	}
}

/* SPI @intid on, to this CPU (@cpu): IHI 0069 12.9 (GICD_IGROUPR,
 * IPRIORITYR, IROUTER at 0x6000 + 8n, ISENABLER), IHI 0048B 4.3
 * (ITARGETSR 0x800: the vGIC numbers a GICv2 guest's CPU interfaces by
 * vCPU index). */
static void spi_enable(unsigned int intid, uint64_t cpu)
{
	uint64_t d = dt.gicd.base, mpidr;

	if (dt.gic_version == 3) {
		w32(d + 0x080 + intid / 32 * 4,
		    r32(d + 0x080 + intid / 32 * 4) | 1u << (intid % 32));
		__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
		w64(d + 0x6000 + 8 * intid, mpidr & 0xff00ffffffull);
	} else {
		dist_byte(d + 0x800, intid, (uint8_t)(1u << cpu));
	}
	dist_byte(d + 0x400, intid, 0xa0);
	w32(d + 0x100 + intid / 32 * 4, 1u << (intid % 32));
}

/* The echo, on CPU @cpu; returns the exit status. */
static unsigned int echo(uint64_t cpu)
{
	uint64_t freq = guest_counter_freq();
	char line[80];
	unsigned int n = 0, irqs = 0, spurious = 0;

	spi_enable((unsigned int)irq, cpu);
	/* No FIFO: one character, one receive interrupt. */
	w32(uart + PL011_LCR_H, r32(uart + PL011_LCR_H) & ~PL011_FEN);
	while (!(r32(uart + PL011_FR) & PL011_FR_RXFE))
		(void)r32(uart + PL011_DR);
	w32(uart + PL011_ICR, 0x7ff);
	w32(uart + PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	guest_timer_set(GUEST_VTIMER, freq * timeout, GUEST_TIMER_ENABLE);
	guest_puts("uart-echo: ready on CPU ");
	guest_put_dec(cpu);
	guest_puts("\n");

	for (;;) {
		unsigned int iar = guest_gic_wait(&dt), id = iar & 0x3ff;
		bool eol = false;

		if (id == VTIMER_INTID) {
			guest_timer_set(GUEST_VTIMER, 0, 0);
			guest_gic_eoi(&dt, iar);
			guest_fail("uart-echo", "no line before the timeout; interrupts", irqs);
		}
		if (id != irq)
			guest_fail_irq("uart-echo", iar, 0);
		irqs++;
		if (!(r32(uart + PL011_MIS) & (PL011_INT_RX | PL011_INT_RT)))
			spurious++;
		while (!(r32(uart + PL011_FR) & PL011_FR_RXFE)) {
			char c = (char)(r32(uart + PL011_DR) & 0xff);

			if (c == '\r' || c == '\n') {
				eol = n > 0;
				continue;
			}
			if (n < sizeof(line) - 1)
				line[n++] = c;
		}
		w32(uart + PL011_ICR, PL011_INT_RX | PL011_INT_RT);
		guest_gic_eoi(&dt, iar);
		if (eol)
			break;
	}
	w32(uart + PL011_IMSC, 0);
	guest_timer_set(GUEST_VTIMER, 0, 0);
	line[n] = 0;
	guest_puts("uart-echo: got '");
	guest_puts(line);
	guest_puts("' in ");
	guest_put_dec(irqs);
	guest_puts(" interrupts, ");
	guest_put_dec(spurious);
	guest_puts(" without a UART interrupt pending\n");
	if (irqs < min)
		guest_fail("uart-echo", "too few interrupts for the line:", irqs);
	guest_puts("uart-echo: ok\n");
	return 0;
}

void guest_secondary(uint64_t cpu)
{
	cpu_if_init(cpu, 1u << VTIMER_INTID);
	guest_exit(echo(cpu));
}

void guest_main(const void *dtb)
{
	uint64_t cpu;
	int64_t ret;

	if (guest_dt_init(dtb, &dt)) {
		guest_puts("FAIL: guest: no valid DTB at x0\n");
		guest_exit(1);
	}
	uart = guest_arg(&dt, "uart", 0x09000000);
	irq = guest_arg(&dt, "irq", 33);
	min = guest_arg(&dt, "min", 2);
	timeout = guest_arg(&dt, "timeout", 60);
	cpu = guest_arg(&dt, "cpu", 0);
	if (guest_gic_init(&dt, 1u << VTIMER_INTID)) {
		guest_puts("FAIL: uart-echo: no GIC in the DT\n");
		guest_exit(1);
	}
	if (irq < 32 || irq > 1019)
		guest_fail("uart-echo", "irq is not an SPI:", irq);
	if (cpu == 0)
		guest_exit(echo(0));
	if (cpu > 3)
		guest_fail("uart-echo", "cpu beyond the guest's 4 stacks:", cpu);
	ret = (int64_t)guest_hvc(PSCI_CPU_ON, cpu, (uintptr_t)guest_secondary_entry, cpu);
	if (ret)
		guest_fail("uart-echo", "CPU_ON returned", (uint64_t)ret);
	/* The other CPU does the rest, and powers off. */
	for (;;)
		__asm__ volatile("wfi");
}
