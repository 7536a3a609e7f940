/* SPDX-License-Identifier: MIT */
/*
 * psci: the PSCI functions a guest OS uses, then an exit status.
 * PSCI_VERSION and PSCI_FEATURES; with a second CPU (MPIDR 1): CPU_ON
 * (it prints, sends SGI 1 to CPU 0, which waits for it in WFI, and turns
 * itself off with CPU_OFF), AFFINITY_INFO while on and after, CPU_ON of a
 * CPU already on; then it stops with the command line's "status=N"
 * (minihyp's exit call; 0: PSCI SYSTEM_OFF).
 */
#include "guest.h"

static volatile uint32_t secondary_ran;
static struct guest_dt dt;

/* SGI @intid to the CPU with MPIDR 0: GICv3 ICC_SGI1R_EL1 (TargetList
 * {Aff0 0}), GICv2 GICD_SGIR (CPUTargetList {CPU interface 0}). */
static void send_sgi_to_cpu0(unsigned int intid)
{
	if (dt.gic_version == 3) {
		__asm__ volatile("msr S3_0_C12_C11_5, %0; isb" : : "r"((uint64_t)intid << 24 | 1));
	} else {
		uint32_t v = 1u << 16 | intid;

		__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(dt.gicd.base + 0xf00) : "memory");
	}
}

/* Only CPU 0 prints (two CPUs writing the UART would interleave). */
static volatile uint64_t secondary_mpidr, secondary_cpu;

void guest_secondary(uint64_t cpu)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	secondary_mpidr = mpidr & 0xff00ffffff;
	secondary_cpu = cpu;
	secondary_ran = 1;
	send_sgi_to_cpu0(1);
	guest_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;) /* CPU_OFF does not return */
		__asm__ volatile("wfi");
}

static void check(const char *what, int64_t got, int64_t want)
{
	guest_puts("psci: ");
	guest_puts(what);
	guest_puts(got == want ? " ok\n" : " FAIL\n");
	if (got != want) {
		guest_puts("  got ");
		guest_put_hex((uint64_t)got);
		guest_puts("\n");
		guest_exit(1);
	}
}

void guest_main(const void *dtb)
{
	int64_t ret;
	uint64_t v;

	if (guest_dt_init(dtb, &dt)) {
		guest_puts("FAIL: psci: no valid DTB at x0\n");
		guest_exit(1);
	}
	v = guest_hvc(PSCI_VERSION, 0, 0, 0);
	guest_puts("psci: version ");
	guest_put_dec(v >> 16);
	guest_puts(".");
	guest_put_dec(v & 0xffff);
	guest_puts("\n");
	check("FEATURES(CPU_ON)", (int64_t)guest_hvc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0);
	check("FEATURES(unknown)", (int64_t)guest_hvc(PSCI_FEATURES, 0x8400001f, 0, 0), -1);
	check("AFFINITY_INFO(self)", (int64_t)guest_hvc(PSCI_AFFINITY_INFO, 0, 0, 0), 0);
	ret = (int64_t)guest_hvc(PSCI_CPU_ON, 1, (uintptr_t)guest_secondary_entry, 1);
	if (ret == -2) {
		guest_puts("psci: no CPU with MPIDR 1\n");
	} else {
		unsigned int iar;

		if (guest_gic_init(&dt, 1u << 1)) {
			guest_puts("FAIL: psci: no GIC\n");
			guest_exit(1);
		}
		check("CPU_ON(1)", ret, 0);
		while (((iar = guest_gic_ack(&dt)) & 0x3ff) >= 1020)
			__asm__ volatile("wfi");
		guest_gic_eoi(&dt, iar);
		/* GICv2: the IAR's CPUID [12:10] names the sender, CPU 1 */
		check("SGI 1 from CPU 1", iar, dt.gic_version == 2 ? 1 | 1 << 10 : 1);
		while (!secondary_ran) /* YIELD: lets QEMU -icount run the others */
			__asm__ volatile("yield");
		guest_puts("psci: secondary CPU ");
		guest_put_dec(secondary_cpu);
		guest_puts(" up, MPIDR ");
		guest_put_hex(secondary_mpidr);
		guest_puts("\n");
		/* AFFINITY_INFO: OFF (1) once the secondary's CPU_OFF is done. */
		while ((ret = (int64_t)guest_hvc(PSCI_AFFINITY_INFO, 1, 0, 0)) == 0)
			__asm__ volatile("yield");
		check("AFFINITY_INFO(1) after CPU_OFF", ret, 1);
		check("CPU_ON(self)", (int64_t)guest_hvc(PSCI_CPU_ON, 0, 0, 0), -4);
	}
	guest_puts("psci done\n");
	guest_exit((unsigned int)guest_arg(&dt, "status", 0));
}
