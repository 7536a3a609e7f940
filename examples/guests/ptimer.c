/* SPDX-License-Identifier: MIT */
/*
 * ptimer: the EL1 physical timer (PPI 30) through the GIC, "n=N" times
 * (default 3): arm CNTP_TVAL_EL0 for 1 ms, wait for the interrupt with WFI
 * (interrupts masked, polling the IAR), check it is PPI 30, at least 1 ms
 * later, with CNTP_CTL_EL0 = ENABLE|ISTATUS, then disable it and EOI.
 * Then ENABLE|IMASK with the condition met: reads back
 * ENABLE|IMASK|ISTATUS and raises nothing; CNTP_CVAL/TVAL agree.
 *
 * Under minihyp every CNTP_* access traps (CNTHCTL_EL2) and libhyp
 * emulates the timer; its deadline is armed on the EL2 physical timer,
 * whose interrupt wakes the blocked vCPU, and PPI 30 is injected through
 * the virtual GIC. Arm ARM D24.10.16 CNTP_CTL_EL0, D24.10.17 CNTP_CVAL_EL0,
 * D24.10.18 CNTP_TVAL_EL0.
 */
#include "common.h"

#define PTIMER_INTID 30

static void cntp(uint64_t tval, uint64_t ctl)
{
	guest_timer_set(GUEST_PTIMER, tval, ctl);
}

static uint64_t cntp_ctl(void)
{
	return guest_timer_ctl(GUEST_PTIMER);
}

static uint64_t cntp_cval(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntp_cval_el0" : "=r"(v));
	return v;
}

static uint64_t cntp_tval(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntp_tval_el0" : "=r"(v));
	return v;
}

static uint64_t cntpct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

/* "FAIL: ptimer: @what @v", exit 1. */
static void fail(const char *what, uint64_t v)
{
	guest_fail("ptimer", what, v);
}

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t n, freq = guest_counter_freq(), t0, t1, ta, tb, ctl, cval, tval;

	guest_setup(dtb, &dt);
	n = guest_arg(&dt, "n", 3);
	if (guest_gic_init(&dt, 1u << PTIMER_INTID)) {
		guest_puts("FAIL: ptimer: no GIC in the DT\n");
		guest_exit(1);
	}
	for (uint64_t i = 0; i < n; i++) {
		unsigned int iar;

		t0 = cntpct();
		cntp(freq / 1000, GUEST_TIMER_ENABLE); /* 1 ms, enabled, unmasked */
		cval = cntp_cval();
		if (cval < t0 + freq / 1000 || cval > cntpct() + freq / 1000)
			fail("CVAL after TVAL write", cval);
		/* TVAL = (CVAL - count)[31:0] for a count read around it
		 * (negative once the deadline passed: real time may be slow). */
		ta = cntpct();
		tval = cntp_tval();
		tb = cntpct();
		if ((int64_t)(int32_t)(uint32_t)tval > (int64_t)(cval - ta) ||
		    (int64_t)(int32_t)(uint32_t)tval < (int64_t)(cval - tb) || (tval >> 32))
			fail("TVAL right after arming", tval);
		iar = guest_gic_wait(&dt);
		t1 = cntpct();
		ctl = cntp_ctl();
		cntp(0, 0);
		guest_gic_eoi(&dt, iar);
		if ((iar & 0x3ff) != PTIMER_INTID || t1 < cval)
			guest_fail_irq("ptimer", iar, t1 - t0);
		if (ctl != (GUEST_TIMER_ENABLE | GUEST_TIMER_ISTATUS))
			fail("CNTP_CTL_EL0 after the deadline", ctl);
	}
	guest_puts("ptimer: ");
	guest_put_dec(n);
	guest_puts(" interrupts ok\n");

	/* Masked by the guest and due: ISTATUS, no interrupt. */
	guest_timer_masked_check(&dt, GUEST_PTIMER, "ptimer", freq / 500);
	cntp(0, 0);
	if (cntp_ctl() != 0)
		fail("disabled CNTP_CTL_EL0", cntp_ctl());
	guest_puts("ptimer: IMASK ok\n");
}
