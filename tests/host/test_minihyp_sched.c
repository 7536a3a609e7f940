/* SPDX-License-Identifier: MIT */
/*
 * minihyp's vCPU scheduler (examples/minihyp/sched.c, issue 15) on the
 * simulated CPU: the run queues, where a runnable or preempted vCPU goes,
 * stealing, waking a blocked vCPU, a VM's end, and the tick (CNTHP armed
 * only while another vCPU waits, preemption when the slice is over).
 */
#include <criterion/criterion.h>
#include <string.h>

#include <libhyp/hw.h>
#include <libhyp/hw/sim.h>

#include "minihyp.h"

static unsigned int this_cpu;

unsigned int mh_this_cpu(void)
{
	return this_cpu;
}

static struct hyp_sim_cpu sim;

/* The calling CPU: mh_this_cpu() and TPIDR_EL2 (main.c's convention,
 * which mh_this_cpu_inline() reads). */
static void set_cpu(unsigned int cpu)
{
	this_cpu = cpu;
	cr_assert_eq(hyp_sim_reg_define(&sim, HYP_SYS_TPIDR_EL2, cpu), 0);
}
static struct mh_gic gic = {.version = 3, .mpidr = {0, 1, 2, 3}};
static struct mh_vm vms[2];

static void setup(void)
{
	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	cr_assert_eq(
	    hyp_sim_define_table(
		&sim, HYP_RF_EL2 | HYP_RF_GIC | HYP_RF_TIMER | HYP_RF_EL1 | HYP_RF_EL0, true),
	    0);
	memset(vms, 0, sizeof(vms));
	for (unsigned int v = 0; v < 2; v++) {
		vms[v].index = v;
		vms[v].nr_vcpus = 4;
		for (unsigned int i = 0; i < 4; i++) {
			vms[v].vcpu[i].vm = &vms[v];
			vms[v].vcpu[i].idx = i;
		}
	}
	set_cpu(0);
	/* 2 CPUs, a slice of 1000 ticks */
	mh_sched_init(2, 1000, &gic);
	mh_sched_add_vm(&vms[0]);
	mh_sched_add_vm(&vms[1]);
}

static uint64_t reg(uint16_t enc)
{
	uint64_t v = 0;

	cr_assert_eq(hyp_sim_reg_peek(&sim, enc, &v), 0);
	return v;
}

TestSuite(minihyp_sched, .init = setup);

static struct mh_vcpu *hook_mv;
static unsigned int hook_cpu, hook_calls;

static void loaded_hook(struct mh_vcpu *mv, unsigned int cpu)
{
	hook_mv = mv;
	hook_cpu = cpu;
	hook_calls++;
}

/* The load hook (device-interrupt forwarding): each load, with its CPU. */
Test(minihyp_sched, loaded_hook)
{
	struct mh_vcpu *a = &vms[0].vcpu[2];

	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 100);
	mh_sched_loaded(1, a); /* no hook: nothing but the slice */
	cr_assert_eq(hook_calls, 0);
	mh_on_vcpu_loaded = loaded_hook;
	mh_sched_loaded(1, a);
	mh_on_vcpu_loaded = NULL;
	cr_assert_eq(hook_calls, 1);
	cr_assert_eq(hook_mv, a);
	cr_assert_eq(hook_cpu, 1);
}

Test(minihyp_sched, run_queue_is_fifo)
{
	struct mh_pcpu pc = {0};
	struct mh_vcpu *a = &vms[0].vcpu[0], *b = &vms[0].vcpu[1], *c = &vms[1].vcpu[0];

	cr_assert_null(mh_rq_pop(&pc));
	mh_rq_push(&pc, a);
	mh_rq_push(&pc, b);
	mh_rq_push(&pc, c);
	cr_assert_eq(pc.len, 3);
	cr_assert(mh_rq_remove(&pc, b));
	cr_assert_not(mh_rq_remove(&pc, b));
	cr_assert_eq(pc.len, 2);
	cr_assert_eq(mh_rq_pop(&pc), a);
	cr_assert(mh_rq_remove(&pc, c)); /* the tail */
	cr_assert_null(pc.head);
	cr_assert_null(pc.tail);
	cr_assert_eq(pc.len, 0);
	mh_rq_push(&pc, b);
	cr_assert_eq(mh_rq_pop(&pc), b);
	cr_assert_null(mh_rq_pop(&pc));
}

Test(minihyp_sched, placement)
{
	struct mh_pcpu pcs[3] = {{.len = 2}, {.len = 1}, {.len = 1}};

	/* no idle CPU: the shortest queue, the preferred CPU on a tie */
	cr_assert_eq(mh_sched_place(pcs, 3, 0), 1);
	cr_assert_eq(mh_sched_place(pcs, 3, 2), 2);
	/* an idle CPU with an empty queue first, the preferred one if idle */
	pcs[2] = (struct mh_pcpu){.idle = true};
	cr_assert_eq(mh_sched_place(pcs, 3, 0), 2);
	pcs[0] = (struct mh_pcpu){.idle = true};
	cr_assert_eq(mh_sched_place(pcs, 3, 0), 0);
	cr_assert_eq(mh_sched_place(pcs, 3, 2), 2);
	cr_assert_eq(mh_sched_place(pcs, 3, 7), 0); /* out of range: CPU 0 */

	/* preempted on CPU 0 (one waits there), CPU 1 busy with an empty
	 * queue: a tie (0 after CPU 0's next leaves) goes to the other CPU */
	struct mh_pcpu two[2] = {{.len = 1}, {.len = 0}};
	cr_assert_eq(mh_sched_place_preempted(two, 2, 0), 1);
	two[1].len = 1;
	cr_assert_eq(mh_sched_place_preempted(two, 2, 0), 0);
	two[0].len = 3;
	cr_assert_eq(mh_sched_place_preempted(two, 2, 0), 1);
	two[1] = (struct mh_pcpu){.idle = true};
	cr_assert_eq(mh_sched_place_preempted(two, 2, 0), 1);
}

Test(minihyp_sched, pick_steals_and_counts_migrations)
{
	struct mh_vcpu *a = &vms[0].vcpu[0], *b = &vms[1].vcpu[0];

	mh_sched_boot(a, 0);
	mh_sched_boot(b, 0);
	cr_assert_eq(mh_pcpus[0].len, 2);
	cr_assert(mh_sched_has_work());
	/* CPU 1's queue is empty: it steals CPU 0's head */
	cr_assert_eq(mh_sched_pick(1), a);
	cr_assert_eq(a->sched, MH_SCHED_RUNNING);
	cr_assert_eq(a->pcpu, 1);
	cr_assert_eq(vms[0].running, 1);
	cr_assert_eq(a->migrations, 0); /* its first run */
	cr_assert_eq(mh_sched_pick(0), b);
	cr_assert_null(mh_sched_pick(0));
	cr_assert_not(mh_sched_has_work());
	/* a preempted on CPU 1, CPU 0 busy with an empty queue: it moves */
	set_cpu(1);
	cr_assert_not(mh_sched_put(a, 1, MH_LEAVE_PREEMPT));
	cr_assert_eq(a->sched, MH_SCHED_QUEUED);
	cr_assert_eq(a->pcpu, 0);
	cr_assert_eq(a->preemptions, 1);
	cr_assert_eq(vms[0].running, 0);
	set_cpu(0);
	cr_assert_eq(mh_sched_pick(0), a);
	cr_assert_eq(a->migrations, 1);
}

Test(minihyp_sched, wake_blocked_and_cpu_on)
{
	struct mh_vcpu *a = &vms[0].vcpu[1], *off = &vms[0].vcpu[2];

	mh_pcpus[1].idle = true;
	/* a BLOCKED vCPU homed on CPU 0: an interrupt queues it on the idle
	 * CPU 1 and kicks CPU 1 (ICC_SGI1R_EL1: SGI 0, TargetList {1}) */
	a->sched = MH_SCHED_BLOCKED;
	a->pcpu = 0;
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SGI1R_EL1, 0);
	mh_sched_wake(a);
	cr_assert_eq(a->sched, MH_SCHED_QUEUED);
	cr_assert_eq(a->pcpu, 1);
	cr_assert_eq(mh_pcpus[1].len, 1);
	cr_assert_eq(reg(HYP_SYS_ICC_SGI1R_EL1), 1u << 1);
	/* queued already: a second wake queues nothing */
	mh_sched_wake(a);
	cr_assert_eq(mh_pcpus[1].len, 1);
	/* powered off: an interrupt does not run it, a CPU_ON does */
	mh_sched_wake(off);
	cr_assert_eq(off->sched, MH_SCHED_OFF);
	off->state = MH_VCPU_ON_PENDING;
	mh_sched_wake(off);
	cr_assert_eq(off->sched, MH_SCHED_QUEUED);
	/* CPU_OFF while a CPU_ON of it was already accepted: queued again */
	struct mh_vcpu *b = &vms[1].vcpu[3];
	b->sched = MH_SCHED_RUNNING;
	vms[1].running = 1;
	b->state = MH_VCPU_ON_PENDING;
	cr_assert_not(mh_sched_put(b, 0, MH_LEAVE_OFF));
	cr_assert_eq(b->sched, MH_SCHED_QUEUED);
}

Test(minihyp_sched, vm_stop)
{
	struct mh_vm *vm = &vms[1];

	mh_sched_boot(&vm->vcpu[0], 0);
	mh_sched_boot(&vm->vcpu[1], 1);
	cr_assert_eq(mh_sched_pick(0), &vm->vcpu[0]);
	vm->vcpu[2].sched = MH_SCHED_BLOCKED;
	set_cpu(0);
	mh_sched_vm_stop(vm);
	cr_assert(vm->stop);
	/* queued and blocked vCPUs dropped, the running one leaves next */
	cr_assert_eq(mh_pcpus[1].len, 0);
	cr_assert_eq(vm->vcpu[1].sched, MH_SCHED_OFF);
	cr_assert_eq(vm->vcpu[2].sched, MH_SCHED_OFF);
	cr_assert_eq(vm->vcpu[0].sched, MH_SCHED_RUNNING);
	/* a wake of an ending VM's vCPU runs nothing */
	vm->vcpu[2].sched = MH_SCHED_BLOCKED;
	mh_sched_wake(&vm->vcpu[2]);
	cr_assert_eq(vm->vcpu[2].sched, MH_SCHED_BLOCKED);
	/* its last vCPU off a CPU: the VM's end is reported once */
	cr_assert(mh_sched_put(&vm->vcpu[0], 0, MH_LEAVE_PREEMPT));
	cr_assert_eq(vm->vcpu[0].sched, MH_SCHED_OFF);
	cr_assert(vm->finished);
}

Test(minihyp_sched, tick_and_slice)
{
	struct mh_vcpu *a = &vms[0].vcpu[0], *b = &vms[1].vcpu[0];

	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 5000);
	hyp_sim_reg_define(&sim, HYP_SYS_CNTHP_CTL_EL2, 0);
	mh_sched_boot(a, 0);
	cr_assert_eq(mh_sched_pick(0), a);
	mh_pcpus[0].current = a;
	/* alone: no slice, CNTHP off */
	mh_sched_loaded(0, a);
	cr_assert_eq(mh_pcpus[0].slice_end, 0);
	cr_assert_eq(reg(HYP_SYS_CNTHP_CTL_EL2), 0);
	cr_assert_not(mh_sched_tick(0));
	/* another vCPU queued here (no wake: the boot queue): the next tick
	 * starts the running vCPU's slice, CNTHP armed for its end (Arm ARM
	 * D24.10.3 CNTHP_CTL_EL2: ENABLE = 1, IMASK = 0) */
	mh_sched_boot(&vms[1].vcpu[1], 0);
	cr_assert_not(mh_sched_tick(0));
	cr_assert_eq(mh_pcpus[0].slice_end, 6000);
	cr_assert_eq(reg(HYP_SYS_CNTHP_CVAL_EL2), 6000);
	cr_assert_eq(reg(HYP_SYS_CNTHP_CTL_EL2), 1);
	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 5999);
	cr_assert_not(mh_sched_tick(0));
	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 6000);
	cr_assert(mh_sched_tick(0));
	/* b woken here (CPU 1 busy): the running vCPU's slice ends now, CNTHP
	 * armed for now, the next tick preempts it */
	cr_assert(mh_rq_remove(&mh_pcpus[0], &vms[1].vcpu[1]));
	mh_pcpus[0].slice_end = 0;
	mh_pcpus[1].current = &vms[0].vcpu[3];
	b->state = MH_VCPU_ON;
	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 7000);
	mh_sched_wake(b);
	cr_assert_eq(b->pcpu, 0);
	cr_assert_eq(mh_pcpus[0].slice_end, 7000);
	cr_assert_eq(reg(HYP_SYS_CNTHP_CVAL_EL2), 7000);
	cr_assert(mh_sched_tick(0));
	/* a blocked vCPU's deadline is this CPU's CNTHP deadline, and the
	 * tick after it makes it runnable */
	struct mh_vcpu *c = &vms[0].vcpu[1];
	c->pcpu = 0;
	c->wake_at = 5500;
	c->sched = MH_SCHED_BLOCKED;
	mh_pcpus[0].slice_end = 0;
	mh_sched_arm(0);
	cr_assert_eq(reg(HYP_SYS_CNTHP_CVAL_EL2), 5500);
	mh_sched_tick(0);
	cr_assert_eq(c->sched, MH_SCHED_QUEUED);
}

Test(minihyp_sched, vcpu_deadline)
{
	struct mh_vcpu *mv = &vms[0].vcpu[0];

	cr_assert_eq(mh_vcpu_deadline(mv), UINT64_MAX);
	/* CNTV fires at virtual count CVAL, host count CVAL + CNTVOFF */
	mv->v.vtimer.ctl = HYP_CNT_CTL_ENABLE;
	mv->v.vtimer.cval = 1000;
	mv->v.vtimer.voff = 250;
	cr_assert_eq(mh_vcpu_deadline(mv), 1250);
	mv->v.vtimer.ctl = HYP_CNT_CTL_ENABLE | HYP_CNT_CTL_IMASK;
	cr_assert_eq(mh_vcpu_deadline(mv), UINT64_MAX);
	mv->v.vtimer.ctl = HYP_CNT_CTL_ENABLE;
	mv->v.vtimer.flags = HYP_VTIMER_PENDING; /* already in the vGIC */
	cr_assert_eq(mh_vcpu_deadline(mv), UINT64_MAX);
	mv->v.vtimer.flags = 0;
	mv->v.vtimer.cval = UINT64_MAX - 10; /* never, not a wrapped deadline */
	cr_assert_eq(mh_vcpu_deadline(mv), UINT64_MAX);
}

/*
 * WFI traps (HCR_EL2.TWI) only while another vCPU waits for the running
 * vCPU's CPU (issue 15): clear when it is alone at its load, set at once
 * when this CPU queues another vCPU here (a wake on the fast path: one MSR
 * HCR_EL2), set at the IRQ exit of the kick another CPU sends when it
 * queues one here, left set (lazily) when the waiting vCPU is stolen, and
 * cleared at the next tick. HCR_EL2.TWI is bit [13] (Arm ARM D24.2.48,
 * HCR_EL2: traps EL0 and EL1 execution of WFI to EL2).
 */
#define TEST_HCR_TWI (1ull << 13)
/* HCR_EL2.TWE is bit [14] (Arm ARM D24.2.62, HCR_EL2: traps EL0 and EL1
 * execution of WFE to EL2, EC 0x01); minihyp sets it with TWI. */
#define TEST_HCR_TWE (1ull << 14)
#define TEST_HCR_TWX (TEST_HCR_TWI | TEST_HCR_TWE)

Test(minihyp_sched, twi_only_while_another_waits)
{
	struct mh_vcpu *a = &vms[0].vcpu[0], *b = &vms[0].vcpu[1], *c = &vms[1].vcpu[0];
	const uint64_t other = 1ull << 31 | 1ull << 0; /* RW, VM: kept */

	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 5000);
	hyp_sim_reg_define(&sim, HYP_SYS_CNTHP_CTL_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SGI1R_EL1, 0);
	mh_sched_boot(a, 0);
	cr_assert_eq(mh_sched_pick(0), a);
	mh_pcpus[0].current = a;
	mh_pcpus[1].current = c; /* CPU 1 busy */
	/* a vCPU's HCR_EL2 as minihyp gave every vCPU before: WFI trapped */
	a->v.hcr = other | TEST_HCR_TWX;

	/* alone on CPU 0 at its load (run loop: not live, no MSR) */
	mh_sched_loaded(0, a);
	cr_assert_eq(a->v.hcr, other);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 0);
	/* a tick alone changes nothing */
	cr_assert_not(mh_sched_tick(0));
	cr_assert_eq(a->v.hcr, other);

	/* a's trapped SGI (fast path: live) wakes b, queued here (CPU 1 is
	 * busy, b's CPU is 0): a's WFI traps from now on, one MSR */
	a->v.live = 1;
	b->sched = MH_SCHED_BLOCKED;
	b->pcpu = 0;
	mh_sched_wake(b);
	cr_assert_eq(b->sched, MH_SCHED_QUEUED);
	cr_assert_eq(b->pcpu, 0);
	cr_assert_eq(a->v.hcr, other | TEST_HCR_TWX);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
	cr_assert_eq(reg(HYP_SYS_HCR_EL2), other | TEST_HCR_TWX);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ICC_SGI1R_EL1), 0); /* no kick: this CPU */
	a->v.live = 0;

	/* CPU 1 steals b: a's trap stays set until its next tick (no IPI for
	 * it), which clears it */
	set_cpu(1);
	cr_assert_eq(mh_sched_pick(1), b);
	cr_assert_eq(a->v.hcr, other | TEST_HCR_TWX);
	set_cpu(0);
	cr_assert_not(mh_sched_tick(0));
	cr_assert_eq(a->v.hcr, other);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1); /* not live: no MSR */

	/* CPU 1 preempts b onto CPU 0's queue (tie: the other CPU) and kicks
	 * CPU 0, whose vCPU it does not touch; the kick's IRQ exit sets the
	 * trap and starts a's slice */
	set_cpu(1);
	mh_pcpus[1].current = NULL;
	cr_assert_not(mh_sched_put(b, 1, MH_LEAVE_PREEMPT));
	cr_assert_eq(b->pcpu, 0);
	cr_assert_eq(reg(HYP_SYS_ICC_SGI1R_EL1), 1u << 0); /* SGI 0 to CPU 0 */
	cr_assert_eq(a->v.hcr, other);
	set_cpu(0);
	cr_assert_not(mh_sched_tick(0));
	cr_assert_eq(a->v.hcr, other | TEST_HCR_TWX);
	cr_assert_eq(mh_pcpus[0].slice_end, 6000);
	/* loaded again with b waiting: trapped */
	a->v.hcr = other;
	mh_sched_loaded(0, a);
	cr_assert_eq(a->v.hcr, other | TEST_HCR_TWX);
}

/* A trapped WFI (mh_sched_wfi(), the run loop's block()): the vCPU leaves
 * its CPU while a vCPU waits on any queue; otherwise the trap is cleared
 * and it resumes, its WFI waiting in the guest from then on. */
Test(minihyp_sched, trapped_wfi_blocks_or_clears_the_trap)
{
	struct mh_vcpu *a = &vms[0].vcpu[0], *b = &vms[1].vcpu[1];

	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	mh_sched_boot(a, 0);
	cr_assert_eq(mh_sched_pick(0), a);
	mh_pcpus[0].current = a;
	a->v.hcr = TEST_HCR_TWX;
	/* another vCPU waits, on the other CPU's queue: a leaves, its trap
	 * untouched (this CPU may steal the waiting one) */
	mh_sched_boot(b, 1);
	cr_assert_eq(mh_sched_wfi(a), MH_LEAVE_BLOCK);
	cr_assert_eq(a->v.hcr, TEST_HCR_TWX);
	/* none waits: it stays, WFI no longer trapped (one MSR if live) */
	set_cpu(1);
	cr_assert_eq(mh_sched_pick(1), b);
	set_cpu(0);
	a->v.live = 1;
	cr_assert_eq(mh_sched_wfi(a), MH_LEAVE_NONE);
	cr_assert_eq(a->v.hcr, 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
	cr_assert_eq(reg(HYP_SYS_HCR_EL2), 0);
	/* again: nothing to change */
	cr_assert_eq(mh_sched_wfi(a), MH_LEAVE_NONE);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
}

/* The kick's IRQ exit (mh_sched_kick()): with nothing for the scheduler
 * to change it touches no hardware at all (the common kick, for the
 * running vCPU's interrupt); otherwise it is the tick. */
Test(minihyp_sched, kick_without_work_touches_nothing)
{
	struct mh_vcpu *a = &vms[0].vcpu[0], *b = &vms[0].vcpu[1];

	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 5000);
	hyp_sim_reg_define(&sim, HYP_SYS_CNTHP_CTL_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	mh_sched_boot(a, 0);
	cr_assert_eq(mh_sched_pick(0), a);
	mh_pcpus[0].current = a;
	mh_sched_loaded(0, a);
	hyp_sim_reset_counts(&sim);
	cr_assert_not(mh_sched_kick(0));
	cr_assert_eq(hyp_sim_total(&sim), 0);
	/* b queued here by another CPU (its kick): the tick's work, WFI trapped
	 * and the slice started (CNTPCT read, CNTHP armed) */
	set_cpu(1);
	mh_sched_boot(b, 0);
	set_cpu(0);
	cr_assert_not(mh_sched_kick(0));
	cr_assert_eq(a->v.hcr, TEST_HCR_TWX);
	cr_assert_eq(mh_pcpus[0].slice_end, 6000);
	cr_assert_eq(reg(HYP_SYS_CNTHP_CVAL_EL2), 6000);
	/* b stolen: the next kick clears the trap and the slice */
	set_cpu(1);
	cr_assert_eq(mh_sched_pick(1), b);
	set_cpu(0);
	cr_assert_not(mh_sched_kick(0));
	cr_assert_eq(a->v.hcr, 0);
	cr_assert_eq(mh_pcpus[0].slice_end, 0);
	hyp_sim_reset_counts(&sim);
	cr_assert_not(mh_sched_kick(0));
	cr_assert_eq(hyp_sim_total(&sim), 0);
}

/* An interrupt for a RUNNING vCPU: one kick of its CPU (ICC_SGI1R_EL1,
 * IHI 0069 12.2.22: INTID [27:24] 0, TargetList [15:0] {1}), none when
 * this CPU runs it (its next entry presents the interrupt); no other
 * hardware access. */
Test(minihyp_sched, wake_running_kicks_its_cpu_once)
{
	struct mh_vcpu *a = &vms[0].vcpu[0];

	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SGI1R_EL1, 0);
	mh_sched_boot(a, 1);
	cr_assert_eq(mh_sched_pick(1), a);
	hyp_sim_reset_counts(&sim);
	mh_sched_wake(a);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ICC_SGI1R_EL1), 1);
	cr_assert_eq(reg(HYP_SYS_ICC_SGI1R_EL1), 1u << 1);
	/* the value not built yet (gic.kick_sgi1r[] 0): the barrier, this
	 * CPU's index, then mh_gic_kick() (DSB ISHST, the MSR, ISB) */
	cr_assert_eq(hyp_sim_total(&sim), 5);
	cr_assert_eq(a->sched, MH_SCHED_RUNNING);
	set_cpu(1);
	mh_sched_wake(a);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ICC_SGI1R_EL1), 1);
}

/* @a booted on and picked by CPU 1, then woken from this CPU (0): exactly
 * @n accesses, the first two DSB ISH (mh_sched_wake()'s one barrier) and
 * TPIDR_EL2 (this CPU's index); the logged accesses returned. */
static const struct hyp_sim_event *wake_logged(struct mh_vcpu *a, unsigned int n)
{
	const struct hyp_sim_event *e;
	unsigned int from;

	mh_sched_boot(a, 1);
	cr_assert_eq(mh_sched_pick(1), a);
	hyp_sim_reset_counts(&sim);
	from = sim.log_len;
	mh_sched_wake(a);
	cr_assert_eq(hyp_sim_total(&sim), n);
	cr_assert_eq(sim.log_len, from + n);
	e = &sim.log[from];
	cr_assert_eq(e[0].kind, HYP_SIM_DSB);
	cr_assert_eq(e[0].arg, HYP_BARRIER_ISH);
	cr_assert_eq(e[1].kind, HYP_SIM_SYSREG_READ);
	cr_assert_eq(e[1].enc, HYP_SYS_TPIDR_EL2);
	return e;
}

/* The common wake-up (a RUNNING vCPU on another CPU, the kick's value
 * built by mh_gic_cpu_init()): DSB ISH, TPIDR_EL2 read (this CPU), the MSR
 * of ICC_SGI1R_EL1, ISB, in that order and nothing else: one barrier does
 * the BLOCKED handshake's fence and the completion of the queued state
 * before the SGI (no DMB, no second DSB). A vCPU RUNNING on this CPU: the
 * barrier and the read only. */
Test(minihyp_sched, wake_running_one_dsb_then_the_sgi)
{
	struct mh_vcpu *a = &vms[0].vcpu[0];
	const struct hyp_sim_event *e;

	/* IHI 0069 12.2.22: INTID [27:24] 0, TargetList [15:0] {1} */
	gic.kick_sgi1r[1] = 0x2;
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SGI1R_EL1, 0);
	e = wake_logged(a, 4);
	cr_assert_eq(e[2].kind, HYP_SIM_SYSREG_WRITE);
	cr_assert_eq(e[2].enc, HYP_SYS_ICC_SGI1R_EL1);
	cr_assert_eq(e[2].val, 0x2);
	cr_assert_eq(e[3].kind, HYP_SIM_ISB);
	cr_assert_eq(a->sched, MH_SCHED_RUNNING);
	/* this CPU's own vCPU: no kick */
	set_cpu(1);
	hyp_sim_reset_counts(&sim);
	mh_sched_wake(a);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ICC_SGI1R_EL1), 0);
	cr_assert_eq(hyp_sim_total(&sim), 2);
	gic.kick_sgi1r[1] = 0;
}

/*
 * WFE traps (HCR_EL2.TWE) exactly while WFI does: only while another vCPU
 * waits on the running vCPU's CPU. Alone, neither is trapped and nothing
 * writes HCR_EL2; a vCPU queued here sets both with one MSR (live), the
 * tick after it has gone clears both (not live: no MSR, the next entry
 * writes v.hcr).
 */
Test(minihyp_sched, twe_only_while_another_waits)
{
	struct mh_vcpu *a = &vms[0].vcpu[0], *b = &vms[0].vcpu[1], *c = &vms[1].vcpu[0];

	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 5000);
	hyp_sim_reg_define(&sim, HYP_SYS_CNTHP_CTL_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	mh_sched_boot(a, 0);
	cr_assert_eq(mh_sched_pick(0), a);
	mh_pcpus[0].current = a;
	mh_pcpus[1].current = c;
	mh_sched_set_wake_grace(100); /* b's wake-up does not end a's slice now */
	a->v.hcr = TEST_HCR_TWE; /* stale: cleared at its load, alone */
	mh_sched_loaded(0, a);
	cr_assert_eq(a->v.hcr, 0);
	cr_assert_not(mh_sched_tick(0));
	cr_assert_eq(a->v.hcr, 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 0);
	/* b woken onto this CPU while a runs (live): TWI and TWE, one MSR */
	a->v.live = 1;
	b->sched = MH_SCHED_BLOCKED;
	b->pcpu = 0;
	mh_sched_wake(b);
	cr_assert_eq(b->pcpu, 0);
	cr_assert_eq(a->v.hcr, TEST_HCR_TWX);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
	cr_assert_eq(reg(HYP_SYS_HCR_EL2), TEST_HCR_TWX);
	/* a tick while b still waits: nothing to write */
	cr_assert_not(mh_sched_tick(0));
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
	a->v.live = 0;
	/* b stolen by CPU 1: the next tick clears both (not live: no MSR) */
	set_cpu(1);
	cr_assert_eq(mh_sched_pick(1), b);
	set_cpu(0);
	cr_assert_not(mh_sched_tick(0));
	cr_assert_eq(a->v.hcr, 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
}

/*
 * A trapped WFE (mh_sched_wfe(), from mh_handle_exit()): with a vCPU
 * queued on this CPU the WFE-ing vCPU yields (MH_LEAVE_YIELD, its traps
 * untouched) and mh_sched_put() queues it behind the waiting one on this
 * CPU, no kick; the waiting one is picked first. With none queued here it
 * resumes (MH_LEAVE_NONE), both traps cleared with one MSR (live), none
 * the next time; one queued only on another CPU does not make it yield.
 */
Test(minihyp_sched, trapped_wfe_yields_or_resumes)
{
	struct mh_vcpu *a = &vms[0].vcpu[0], *b = &vms[0].vcpu[1], *c = &vms[1].vcpu[0];

	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ICC_SGI1R_EL1, 0);
	mh_sched_boot(a, 0);
	cr_assert_eq(mh_sched_pick(0), a);
	mh_pcpus[0].current = a;
	mh_pcpus[1].current = c; /* CPU 1 busy */
	mh_sched_boot(b, 0);
	a->v.hcr = TEST_HCR_TWX;
	a->v.live = 1;
	cr_assert_eq(mh_sched_wfe(a), MH_LEAVE_YIELD);
	cr_assert_eq(a->v.hcr, TEST_HCR_TWX);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 0);
	a->v.live = 0;
	vms[0].running = 1;
	cr_assert_not(mh_sched_put(a, 0, MH_LEAVE_YIELD));
	cr_assert_eq(a->sched, MH_SCHED_QUEUED);
	cr_assert_eq(a->pcpu, 0);
	cr_assert_eq(a->preemptions, 0);
	cr_assert_eq(mh_pcpus[0].len, 2);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_ICC_SGI1R_EL1), 0);
	cr_assert_eq(mh_sched_pick(0), b);
	cr_assert_eq(mh_sched_pick(0), a);
	/* alone on CPU 0 (a vCPU queued on CPU 1 only): resumes, both traps
	 * cleared, one MSR; a second WFE writes nothing */
	mh_sched_boot(&vms[1].vcpu[1], 1);
	a->v.hcr = TEST_HCR_TWX;
	a->v.live = 1;
	cr_assert_eq(mh_sched_wfe(a), MH_LEAVE_NONE);
	cr_assert_eq(a->v.hcr, 0);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
	cr_assert_eq(reg(HYP_SYS_HCR_EL2), 0);
	cr_assert_eq(mh_sched_wfe(a), MH_LEAVE_NONE);
	cr_assert_eq(hyp_sim_reg_writes(&sim, HYP_SYS_HCR_EL2), 1);
}

/*
 * A wake-up's grace (mh_sched_set_wake_grace()): the running vCPU's slice
 * ends that many ticks after the wake-up, not at once (CNTHP_CVAL_EL2 for
 * then), an earlier slice end is kept, and the grace is at most the slice.
 */
Test(minihyp_sched, wake_preempts_after_the_grace)
{
	struct mh_vcpu *a = &vms[0].vcpu[0], *b = &vms[0].vcpu[1], *c = &vms[1].vcpu[0];

	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 7000);
	hyp_sim_reg_define(&sim, HYP_SYS_CNTHP_CTL_EL2, 0);
	hyp_sim_reg_define(&sim, HYP_SYS_HCR_EL2, 0);
	mh_sched_set_wake_grace(200);
	mh_sched_boot(a, 0);
	cr_assert_eq(mh_sched_pick(0), a);
	mh_pcpus[0].current = a;
	mh_pcpus[1].current = c;
	mh_sched_loaded(0, a);
	b->sched = MH_SCHED_BLOCKED;
	b->pcpu = 0;
	mh_sched_wake(b);
	cr_assert_eq(b->pcpu, 0);
	cr_assert_eq(mh_pcpus[0].slice_end, 7200);
	cr_assert_eq(reg(HYP_SYS_CNTHP_CVAL_EL2), 7200);
	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 7199);
	cr_assert_not(mh_sched_tick(0));
	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 7200);
	cr_assert(mh_sched_tick(0));
	/* a new interrupt for the queued b: an earlier end is kept */
	mh_pcpus[0].slice_end = 7250;
	hyp_sim_reg_define(&sim, HYP_SYS_CNTPCT_EL0, 7100);
	mh_sched_wake(b);
	cr_assert_eq(mh_pcpus[0].slice_end, 7250);
	mh_pcpus[0].slice_end = 9000;
	mh_sched_wake(b);
	cr_assert_eq(mh_pcpus[0].slice_end, 7300);
	/* at most the slice (1000 ticks) */
	mh_sched_set_wake_grace(5000);
	mh_pcpus[0].slice_end = 0;
	mh_sched_wake(b);
	cr_assert_eq(mh_pcpus[0].slice_end, 8100);
}

/* The same wake-up on GICv2: DSB ISH, TPIDR_EL2, then one 32-bit store to
 * GICD_SGIR (IHI 0048B 4.3.15, offset 0xF00: TargetListFilter [25:24]
 * 0b00, CPUTargetList [23:16] the target CPU's interface, SGIINTID [3:0]
 * 0), nothing else: no second DSB before the store. */
static uint8_t v2_gicd[0x1000];

Test(minihyp_sched, wake_running_gicv2_one_dsb_then_gicd_sgir)
{
	static struct mh_gic g2 = {.version = 2, .dist = 0x8000000u};
	struct hyp_sim_mmio r = {
	    .name = "GICD", .base = 0x8000000u, .size = sizeof(v2_gicd), .widths = 4, .backing = v2_gicd};
	struct mh_vcpu *a = &vms[0].vcpu[0];
	const struct hyp_sim_event *e;

	cr_assert_eq(hyp_sim_mmio_add(&sim, &r), 0);
	g2.v2_cpu_mask[1] = 0x20; /* CPU 1's interface: bit 5 */
	mh_sched_init(2, 1000, &g2);
	mh_sched_add_vm(&vms[0]);
	e = wake_logged(a, 3);
	cr_assert_eq(e[2].kind, HYP_SIM_MMIO_WRITE);
	cr_assert_eq(e[2].addr, 0x8000f00u);
	cr_assert_eq(e[2].arg, 4);
	cr_assert_eq(e[2].val, 0x200000u);
}

/* The VM lock is struct mh_vm's first member: the vGIC's lock hooks get
 * the VM as their ctx and reach the lock without building an offset (the
 * sender of every cross-vCPU SGI calls both; two ADDs each). */
Test(minihyp_sched, vm_lock_is_the_first_member)
{
	cr_assert_eq(offsetof(struct mh_vm, lock), 0);
	cr_assert_eq((void *)&vms[1].lock, (void *)&vms[1]);
}
