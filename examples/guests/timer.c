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

static void cntv(uint64_t tval, uint64_t ctl)
{
	guest_timer_set(GUEST_VTIMER, tval, ctl);
}

static uint64_t cntv_ctl(void)
{
	return guest_timer_ctl(GUEST_VTIMER);
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

static void imask_check(const struct guest_dt *dt, uint64_t freq)
{
	guest_timer_masked_check(dt, GUEST_VTIMER, "timer", freq / 500);
	if (gic_ppi_pending(dt, VTIMER_INTID))
		guest_fail("timer", "masked timer pending in the GIC", 1);
	if (cntv_ctl() != (GUEST_TIMER_ENABLE | GUEST_TIMER_IMASK | GUEST_TIMER_ISTATUS))
		guest_fail("timer", "ENABLE|IMASK later read as", cntv_ctl());
	cntv(0, 0);
	guest_puts("timer: IMASK ok\n");
}

static void disable_while_pending(const struct guest_dt *dt, uint64_t freq)
{
	uint64_t t0 = guest_counter();

	cntv(freq / 10000, GUEST_TIMER_ENABLE); /* 100 us */
	while (!gic_ppi_pending(dt, VTIMER_INTID)) {
		if (guest_counter() - t0 > freq / 10)
			guest_fail("timer", "timer not pending after 100 ms, CNTV_CTL", cntv_ctl());
	}
	cntv(0, 0);
	if (gic_ppi_pending(dt, VTIMER_INTID))
		guest_fail("timer", "disabled timer still pending in the GIC", 1);
	guest_gic_expect_quiet(dt, freq / 1000, "timer", "disabled timer delivered IAR");
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
		cntv(freq / 1000, GUEST_TIMER_ENABLE); /* 1 ms, enabled, unmasked */
		iar = guest_gic_wait(&dt);
		t1 = guest_counter();
		/* What this guest wrote, and the condition: never a mask it
		 * did not write (D24.10.25). */
		ctl = cntv_ctl();
		cntv(0, 0);
		guest_gic_eoi(&dt, iar);
		if ((iar & 0x3ff) != VTIMER_INTID || t1 - t0 < freq / 1000)
			guest_fail_irq("timer", iar, t1 - t0);
		if (ctl != (GUEST_TIMER_ENABLE | GUEST_TIMER_ISTATUS))
			guest_fail("timer", "CNTV_CTL_EL0 in the handler", ctl);
	}
	guest_puts("timer: ");
	guest_put_dec(n);
	guest_puts(" interrupts ok\n");
	if (guest_arg(&dt, "checks", 0)) {
		imask_check(&dt, freq);
		disable_while_pending(&dt, freq);
	}
}
