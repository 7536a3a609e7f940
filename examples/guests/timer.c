/* SPDX-License-Identifier: MIT */
/*
 * timer: the EL1 virtual timer (PPI 27) through the GIC, "n=N" times
 * (default 3): arm CNTV_TVAL for 1 ms, wait for the interrupt with WFI
 * (interrupts masked, polling the IAR as seed 004's guests do), check it is
 * the timer's and that CNTV_CTL_EL0 reads back what this guest wrote plus
 * ISTATUS, disable the timer, EOI. Under minihyp: the physical timer
 * interrupt exits to EL2, minihyp masks it at its GIC and injects the
 * virtual PPI; the guest's WFI blocks its vCPU until the timer fires.
 *
 * With "checks=1", two checks of what the guest's architecture promises:
 * - ENABLE|IMASK with the condition met reads back ENABLE|IMASK|ISTATUS
 *   and raises no interrupt (Arm ARM D24.10.25);
 * - a timer that fired and was disabled before it was acknowledged is no
 *   longer pending in the GIC (GICR_ISPENDR0 / GICD_ISPENDR0, an emulated
 *   read on the hypervisor's fast path) and is not delivered.
 */
#include "common.h"

#define VTIMER_INTID 27

/* CNTV_CTL_EL0 (Arm ARM D24.10.25): ENABLE [0], IMASK [1], ISTATUS [2]. */
#define CTL_ENABLE  0x1u
#define CTL_IMASK   0x2u
#define CTL_ISTATUS 0x4u

static void cntv(uint64_t tval, uint64_t ctl)
{
	__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(tval), "r"(ctl)
			 : "memory");
}

static uint64_t cntv_ctl(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntv_ctl_el0" : "=r"(v));
	return v;
}

static void fail(const char *what, uint64_t v)
{
	guest_puts("FAIL: timer: ");
	guest_puts(what);
	guest_puts(" ");
	guest_put_hex(v);
	guest_puts("\n");
	guest_exit(1);
}

/* Whether the GIC reports PPI @intid pending: GICR_ISPENDR0 in the SGI
 * frame (IHI 0069 12.11) or the banked GICD_ISPENDR0 (IHI 0048B 4.3.7),
 * one plain LDR (emulated from its syndrome). */
static bool gic_ppi_pending(const struct guest_dt *dt, unsigned int intid)
{
	uint64_t a = dt->gic_version == 3 ? dt->gic2.base + 0x10000 + 0x200 : dt->gicd.base + 0x200;
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (v >> intid) & 1;
}

/* Nothing to acknowledge for @ticks (interrupts masked, the IAR polled). */
static void expect_quiet(const struct guest_dt *dt, uint64_t ticks, const char *what)
{
	uint64_t t0 = guest_counter();

	while (guest_counter() - t0 < ticks) {
		unsigned int iar = guest_gic_ack(dt);

		if ((iar & 0x3ff) < 1020) {
			guest_gic_eoi(dt, iar);
			fail(what, iar);
		}
	}
}

static void imask_check(const struct guest_dt *dt, uint64_t freq)
{
	/* Due at once, masked by the guest itself. */
	cntv(0, CTL_ENABLE | CTL_IMASK);
	if (cntv_ctl() != (CTL_ENABLE | CTL_IMASK | CTL_ISTATUS))
		fail("ENABLE|IMASK read back as", cntv_ctl());
	expect_quiet(dt, freq / 500, "masked timer delivered IAR");
	if (gic_ppi_pending(dt, VTIMER_INTID))
		fail("masked timer pending in the GIC", 1);
	if (cntv_ctl() != (CTL_ENABLE | CTL_IMASK | CTL_ISTATUS))
		fail("ENABLE|IMASK later read as", cntv_ctl());
	cntv(0, 0);
	guest_puts("timer: IMASK ok\n");
}

static void disable_while_pending(const struct guest_dt *dt, uint64_t freq)
{
	uint64_t t0 = guest_counter();

	cntv(freq / 10000, CTL_ENABLE); /* 100 us */
	while (!gic_ppi_pending(dt, VTIMER_INTID)) {
		if (guest_counter() - t0 > freq / 10)
			fail("timer not pending after 100 ms, CNTV_CTL", cntv_ctl());
	}
	cntv(0, 0);
	if (gic_ppi_pending(dt, VTIMER_INTID))
		fail("disabled timer still pending in the GIC", 1);
	expect_quiet(dt, freq / 1000, "disabled timer delivered IAR");
	guest_puts("timer: disabled while pending ok\n");
}

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t n, freq = guest_counter_freq(), t0, t1, ctl;

	guest_setup(dtb, &dt);
	n = guest_arg(&dt, "n", 3);
	if (guest_gic_init(&dt, 1u << VTIMER_INTID)) {
		guest_puts("FAIL: timer: no GIC in the DT\n");
		guest_exit(1);
	}
	for (uint64_t i = 0; i < n; i++) {
		unsigned int iar;

		t0 = guest_counter();
		cntv(freq / 1000, CTL_ENABLE); /* 1 ms, enabled, unmasked */
		while (((iar = guest_gic_ack(&dt)) & 0x3ff) >= 1020)
			__asm__ volatile("wfi");
		t1 = guest_counter();
		/* What this guest wrote, and the condition: never a mask it
		 * did not write (D24.10.25). */
		ctl = cntv_ctl();
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
		if (ctl != (CTL_ENABLE | CTL_ISTATUS))
			fail("CNTV_CTL_EL0 in the handler", ctl);
	}
	guest_puts("timer: ");
	guest_put_dec(n);
	guest_puts(" interrupts ok\n");
	if (guest_arg(&dt, "checks", 0)) {
		imask_check(&dt, freq);
		disable_while_pending(&dt, freq);
	}
}
