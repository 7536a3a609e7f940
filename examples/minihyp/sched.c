/* SPDX-License-Identifier: MIT */
/*
 * minihyp's vCPU scheduler: a FIFO run queue per physical CPU, time slices
 * on the EL2 physical timer (CNTHP), WFI-blocked vCPUs off the queues and
 * woken by their interrupts or their timers' deadlines, idle CPUs stealing
 * queued vCPUs. See minihyp.h ("the vCPU scheduler") for the design; the
 * run loop that drives it is main.c's. Hardware only through libhyp/hw.h
 * (the host benchmark and tests build this file against the simulated CPU).
 */
#include <libhyp/hw.h>
#include <libhyp/switch.h>

#include "minihyp.h"

struct mh_pcpu mh_pcpus[MINIHYP_MAX_CPUS];
void (*mh_on_vcpu_loaded)(struct mh_vcpu *mv, unsigned int cpu);
void (*mh_on_vm_ended)(struct mh_vm *vm);

/*
 * A full barrier between a store and a later load (the BLOCKED handshake
 * of mh_sched_put() and mh_sched_wake()). gcc's ThreadSanitizer refuses
 * atomic_thread_fence (-Werror=tsan); there a seq_cst read-modify-write
 * of one word both sides use orders the same store and load.
 */
#if defined(__SANITIZE_THREAD__)
static uint32_t sched_fence_word;
static inline void sched_fence(void)
{
	(void)__atomic_fetch_add(&sched_fence_word, 0u, __ATOMIC_SEQ_CST);
}
#else
static inline void sched_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
#endif

static struct {
	volatile uint32_t lock;
	unsigned int nr_cpus;
	uint64_t slice;
	uint64_t grace; /* a wake-up's preemption comes at most this late (ticks) */
	const struct mh_gic *gic;
	unsigned int nr_vcpus;
	struct mh_vcpu *vcpus[MH_MAX_VMS * MH_MAX_VCPUS];
} S = {.nr_cpus = 1};

static void lock(void)
{
	while (__atomic_exchange_n(&S.lock, 1u, __ATOMIC_ACQUIRE))
		mh_spin_pause();
}

static void unlock(void)
{
	__atomic_store_n(&S.lock, 0u, __ATOMIC_RELEASE);
}

/* ---- run-queue primitives */

void mh_rq_push(struct mh_pcpu *pc, struct mh_vcpu *mv)
{
	mv->next = NULL;
	if (pc->tail)
		pc->tail->next = mv;
	else
		pc->head = mv;
	pc->tail = mv;
	__atomic_store_n(&pc->len, pc->len + 1, __ATOMIC_RELAXED);
}

struct mh_vcpu *mh_rq_pop(struct mh_pcpu *pc)
{
	struct mh_vcpu *mv = pc->head;

	if (!mv)
		return NULL;
	pc->head = mv->next;
	if (!pc->head)
		pc->tail = NULL;
	mv->next = NULL;
	__atomic_store_n(&pc->len, pc->len - 1, __ATOMIC_RELAXED);
	return mv;
}

bool mh_rq_remove(struct mh_pcpu *pc, struct mh_vcpu *mv)
{
	struct mh_vcpu *prev = NULL;

	for (struct mh_vcpu *p = pc->head; p; prev = p, p = p->next) {
		if (p != mv)
			continue;
		if (prev)
			prev->next = p->next;
		else
			pc->head = p->next;
		if (pc->tail == p)
			pc->tail = prev;
		p->next = NULL;
		__atomic_store_n(&pc->len, pc->len - 1, __ATOMIC_RELAXED);
		return true;
	}
	return false;
}

unsigned int mh_sched_place(const struct mh_pcpu *pcs, unsigned int nr, unsigned int prefer)
{
	unsigned int best;

	if (prefer >= nr)
		prefer = 0;
	if (pcs[prefer].idle && !pcs[prefer].len)
		return prefer;
	for (unsigned int i = 0; i < nr; i++)
		if (pcs[i].idle && !pcs[i].len)
			return i;
	best = prefer;
	for (unsigned int i = 0; i < nr; i++)
		if (pcs[i].len < pcs[best].len)
			best = i;
	return best;
}

unsigned int mh_sched_place_preempted(const struct mh_pcpu *pcs, unsigned int nr, unsigned int cpu)
{
	/* @cpu's next vCPU leaves its queue: one fewer there. */
	unsigned int best = cpu, best_len = pcs[cpu].len ? pcs[cpu].len - 1 : 0;

	for (unsigned int i = 0; i < nr; i++)
		if (i != cpu && pcs[i].idle && !pcs[i].len)
			return i;
	for (unsigned int i = 0; i < nr; i++) {
		if (i == cpu)
			continue;
		/* Another CPU on a tie: vCPUs rotate over the CPUs, each
		 * getting its share, instead of one CPU keeping a vCPU to
		 * itself while the others share the rest. */
		if (pcs[i].len < best_len || (pcs[i].len == best_len && best == cpu)) {
			best = i;
			best_len = pcs[i].len;
		}
	}
	return best;
}

/* ---- setup */

void mh_sched_init(unsigned int nr_cpus, uint64_t slice_ticks, const struct mh_gic *gic)
{
	S.nr_cpus = nr_cpus ? nr_cpus : 1;
	S.slice = slice_ticks ? slice_ticks : 1;
	S.gic = gic;
	S.grace = 0;
	for (unsigned int i = 0; i < MINIHYP_MAX_CPUS; i++)
		mh_pcpus[i] = (struct mh_pcpu){.cnthp = UINT64_MAX};
}

void mh_sched_set_wake_grace(uint64_t ticks)
{
	S.grace = ticks < S.slice ? ticks : S.slice;
}

void mh_sched_add_vm(struct mh_vm *vm)
{
	lock();
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (S.nr_vcpus < sizeof(S.vcpus) / sizeof(S.vcpus[0]))
			S.vcpus[S.nr_vcpus++] = &vm->vcpu[i];
	unlock();
}

void mh_sched_boot(struct mh_vcpu *mv, unsigned int cpu)
{
	lock();
	mv->pcpu = cpu < S.nr_cpus ? cpu : 0;
	mv->sched = MH_SCHED_QUEUED;
	mh_rq_push(&mh_pcpus[mv->pcpu], mv);
	unlock();
}

/* ---- transitions (under the lock) */

/* The CPUs a transition made work for, kicked once the lock is released
 * (the YIELD must not hand QEMU's one thread over with the lock held). */
static void kick(uint32_t *kicks, unsigned int cpu)
{
	if (cpu != mh_this_cpu())
		*kicks |= 1u << cpu;
}

static void send_kicks(uint32_t kicks)
{
	if (!kicks)
		return;
	for (unsigned int cpu = 0; cpu < S.nr_cpus; cpu++)
		if (kicks & (1u << cpu))
			mh_gic_kick(S.gic, cpu);
}

static void arm(unsigned int cpu, bool force);

/*
 * HCR_EL2.TWI and TWE of @mv, the vCPU running on this CPU: both @trap or
 * both not (one MSR HCR_EL2 if it is in the guest or on the fast path,
 * none otherwise: the next entry writes it). Nothing if they already are
 * so. TWI, bit [13], traps WFI; TWE, bit [14], traps WFE (Arm ARM D24.2.62,
 * HCR_EL2, both reported with EC 0x01): set only while another vCPU waits for this CPU, so a vCPU alone
 * on its CPU pays nothing for either.
 */
static void twi(struct mh_vcpu *mv, bool trap)
{
	const uint64_t both = HYP_HCR_TWI | HYP_HCR_TWE;

	if (!mv || (mv->v.hcr & both) == (trap ? both : 0))
		return;
	hyp_vcpu_update_hcr(&mv->v, trap ? 0 : both, trap ? both : 0);
}

/*
 * A wake-up on CPU @pc whose running vCPU is to make way: its slice ends
 * S.grace ticks from @now, or earlier if it already ended sooner. The
 * grace lets a waker that sent the wake-up inside a critical section
 * (Linux's try_to_wake_up(): the wait-queue and pi locks held, interrupts
 * masked) leave it before it is put: preempted at once, it held those
 * locks while the woken vCPU spun on them (lock-holder preemption). A
 * waker that goes to WFI or WFE meanwhile leaves at once (both trap now).
 */
static void wake_preempt(struct mh_pcpu *pc, uint64_t now)
{
	uint64_t end = now + S.grace;

	if (!pc->slice_end || end < pc->slice_end)
		pc->slice_end = end;
}

/*
 * @mv may run: queue it where mh_sched_place() says and kick that CPU.
 * @wake: it was blocked (or off) and an interrupt (or a CPU_ON) wakes it:
 * on a busy CPU the running vCPU's slice ends within the wake grace
 * (wake_preempt(); CNTHP armed for it, on another CPU by the kick's IRQ
 * exit), or sooner if it waits in WFI or WFE (both trap now), not after a
 * whole slice of a CPU hog: a vCPU blocked in WFI is woken by its
 * interrupt, not by the next tick. The preempted vCPU goes to
 * a queue's tail; one that blocks often (it did not use its slice) thus
 * runs before one that never blocks.
 */
static void enqueue_placed(struct mh_vcpu *mv, uint32_t *kicks, bool wake)
{
	unsigned int cpu = mh_sched_place(mh_pcpus, S.nr_cpus, mv->pcpu);
	struct mh_pcpu *pc = &mh_pcpus[cpu];
	uint64_t now = hyp_read_sysreg(HYP_SYS_CNTPCT_EL0);

	mv->pcpu = cpu;
	mv->sched = MH_SCHED_QUEUED;
	mh_rq_push(pc, mv);
	if (pc->current && wake)
		wake_preempt(pc, now);
	else if (pc->current && !pc->slice_end)
		pc->slice_end = now + S.slice;
	if (cpu != mh_this_cpu()) {
		kick(kicks, cpu);
	} else if (pc->current) {
		/* This CPU's running vCPU: its WFI traps from now on (another
		 * CPU would kick it, and its IRQ exit does it, mh_sched_tick()). */
		twi(pc->current, true);
		arm(cpu, false);
	}
}

bool mh_sched_has_work(void)
{
	for (unsigned int i = 0; i < S.nr_cpus; i++)
		if (__atomic_load_n(&mh_pcpus[i].len, __ATOMIC_RELAXED))
			return true;
	return false;
}

struct mh_vcpu *mh_sched_pick(unsigned int cpu)
{
	struct mh_pcpu *pc = &mh_pcpus[cpu];
	struct mh_vcpu *mv;

	lock();
	mv = mh_rq_pop(pc);
	if (!mv) {
		/* Steal the head of the longest other queue. */
		unsigned int from = cpu;

		for (unsigned int i = 0; i < S.nr_cpus; i++)
			if (i != cpu && mh_pcpus[i].len > (from == cpu ? 0 : mh_pcpus[from].len))
				from = i;
		if (from != cpu)
			mv = mh_rq_pop(&mh_pcpus[from]);
	}
	if (mv) {
		if (mv->ran && mv->ran_on != cpu)
			mv->migrations++;
		mv->ran = true;
		mv->ran_on = cpu;
		mv->pcpu = cpu;
		mv->sched = MH_SCHED_RUNNING;
		mv->vm->running++;
	}
	unlock();
	return mv;
}

/* mh_sched_wake() of a vCPU that is not RUNNING: under the lock. Out of
 * line, so that the common wake-up (a running vCPU's interrupt: nothing but
 * the kick) pays neither its registers nor its set-up. */
static __attribute__((noinline)) void wake_locked(struct mh_vcpu *mv)
{
	uint32_t s, kicks = 0;

	lock();
	s = mv->sched;
	if (mv->vm->stop) {
		/* its VM ends: nothing runs again */
	} else if (s == MH_SCHED_BLOCKED) {
		enqueue_placed(mv, &kicks, true);
	} else if (s == MH_SCHED_OFF) {
		uint32_t p = __atomic_load_n(&mv->state, __ATOMIC_ACQUIRE);

		if (p == MH_VCPU_ON_PENDING || p == MH_VCPU_ON)
			enqueue_placed(mv, &kicks, true);
	} else if (s == MH_SCHED_QUEUED) {
		/* Waiting for its CPU with a new interrupt: as a wake, the
		 * running vCPU there is preempted at its next exit. */
		struct mh_pcpu *pc = &mh_pcpus[mv->pcpu];

		if (pc->current)
			wake_preempt(pc, hyp_read_sysreg(HYP_SYS_CNTPCT_EL0));
		if (mv->pcpu != mh_this_cpu())
			kick(&kicks, mv->pcpu);
		else if (pc->current)
			arm(mv->pcpu, false);
	} else {
		kick(&kicks, mv->pcpu);
	}
	unlock();
	send_kicks(kicks);
}

/*
 * The wake-up's barrier: the full fence of the BLOCKED handshake and the
 * DSB a kick needs before its SGI (the stores that queued the interrupt
 * complete before the SGI is sent: mh_gic_kick()'s DSB ISHST), both in one
 * DSB ISH on the hardware: "all ordering that is created by a DMB with
 * specific options is also generated by a DSB with the same options" (Arm
 * ARM, "Memory barriers", "Data Synchronization Barrier (DSB)"), and the
 * asm's memory clobber keeps the compiler's accesses on their side. The
 * host backend (or an integrator's own) keeps the C fence, whose
 * hyp_dsb() need not be a barrier (the host's records it in the simulated
 * CPU).
 */
static inline void wake_barrier(void)
{
#if defined(LIBHYP_BACKEND_HOST) || defined(LIBHYP_BACKEND_HEADER)
	sched_fence();
#endif
	hyp_dsb(ISH);
}

void mh_sched_wake(struct mh_vcpu *mv)
{
	/* Pairs with the fence of a vCPU going BLOCKED (mh_sched_put()):
	 * either it sees the interrupt queued before this call, or this
	 * sees it BLOCKED. */
	wake_barrier();
	if (__atomic_load_n(&mv->sched, __ATOMIC_SEQ_CST) == MH_SCHED_RUNNING) {
		/* The common wake-up (a running vCPU's interrupt): its CPU
		 * takes the kick (answered on the IRQ fast path, vm.c), unless
		 * that is this one (its next entry presents it). A leaf: the
		 * CPU index and the SGI inline, the DSB above already done. */
		unsigned int cpu = __atomic_load_n(&mv->pcpu, __ATOMIC_RELAXED);

		if (cpu != mh_this_cpu_inline())
			mh_gic_kick_synced(S.gic, cpu);
		return;
	}
	wake_locked(mv);
}

bool mh_sched_put(struct mh_vcpu *mv, unsigned int cpu, enum mh_leave why)
{
	struct mh_vm *vm = mv->vm;
	bool fin = false, blocked = false;
	uint32_t kicks = 0;

	lock();
	vm->running--;
	if (vm->stop)
		why = MH_LEAVE_STOP;
	switch (why) {
	case MH_LEAVE_PREEMPT:
		mv->preemptions++;
		mv->sched = MH_SCHED_QUEUED;
		mv->pcpu = mh_sched_place_preempted(mh_pcpus, S.nr_cpus, cpu);
		mh_rq_push(&mh_pcpus[mv->pcpu], mv);
		kick(&kicks, mv->pcpu);
		break;
	case MH_LEAVE_YIELD:
		/* Behind the vCPUs waiting here: the one it made way for runs
		 * next on this CPU (no kick: this CPU picks now). */
		mv->sched = MH_SCHED_QUEUED;
		mv->pcpu = cpu;
		mh_rq_push(&mh_pcpus[cpu], mv);
		break;
	case MH_LEAVE_BLOCK:
		mv->pcpu = cpu;
		__atomic_store_n(&mv->sched, MH_SCHED_BLOCKED, __ATOMIC_SEQ_CST);
		blocked = true;
		break;
	case MH_LEAVE_OFF:
		/* A CPU_ON won the target while it was still leaving. The
		 * store and the fence pair with mh_sched_wake()'s fence and
		 * load (a CPU_ON stores ON_PENDING, then wakes): either this
		 * sees ON_PENDING or the wake sees OFF; without the fence both
		 * could see the old values and the CPU_ON was lost (the target
		 * ON_PENDING forever, on no queue). */
		__atomic_store_n(&mv->sched, MH_SCHED_OFF, __ATOMIC_SEQ_CST);
		sched_fence();
		if (__atomic_load_n(&mv->state, __ATOMIC_ACQUIRE) == MH_VCPU_ON_PENDING)
			enqueue_placed(mv, &kicks, true);
		break;
	default:
		mv->sched = MH_SCHED_OFF;
		break;
	}
	if (vm->stop && !vm->running && !vm->finished)
		fin = vm->finished = true;
	unlock();
	send_kicks(kicks);
	if (blocked) {
		/* Its CNTHP deadline on this CPU; an interrupt that came before it
		 * was BLOCKED (the kick then saw it RUNNING) or a deadline
		 * already passed: runnable at once. */
		sched_fence();
		if (hyp_vgic_vcpu_pending(mv->gv) ||
		    mv->wake_at <= hyp_read_sysreg(HYP_SYS_CNTPCT_EL0))
			mh_sched_wake(mv);
		else
			mh_sched_arm(cpu);
	}
	return fin;
}

void mh_sched_vm_stop(struct mh_vm *vm)
{
	uint32_t kicks = 0;

	lock();
	vm->stop = true;
	if (!vm->stop_seen) {
		vm->stop_seen = true;
		for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
			struct mh_vcpu *mv = &vm->vcpu[i];

			if (mv->sched == MH_SCHED_QUEUED)
				mh_rq_remove(&mh_pcpus[mv->pcpu], mv);
			if (mv->sched == MH_SCHED_RUNNING)
				kick(&kicks, mv->pcpu);
			else
				mv->sched = MH_SCHED_OFF;
		}
	}
	unlock();
	send_kicks(kicks);
}

/* ---- the tick */

uint64_t mh_vcpu_deadline(const struct mh_vcpu *mv)
{
	const struct hyp_vtimer *t = &mv->v.vtimer;
	uint64_t d = hyp_ptimer_next_deadline(&mv->v);

	/* The virtual timer's output goes high when the virtual count
	 * (CNTPCT - CNTVOFF) reaches CVAL, if enabled and not masked (Arm
	 * ARM D24.10.25); one already high is pending in the vGIC. */
	if ((t->ctl & (HYP_CNT_CTL_ENABLE | HYP_CNT_CTL_IMASK)) == HYP_CNT_CTL_ENABLE &&
	    !(t->flags & HYP_VTIMER_PENDING)) {
		uint64_t v = t->cval > UINT64_MAX - t->voff ? UINT64_MAX : t->cval + t->voff;

		if (v < d)
			d = v;
	}
	return d;
}

/* @force: write CNTHP_CVAL_EL2 even if unchanged (its interrupt fired:
 * the level stays asserted until CVAL moves or the timer is off). */
static void arm(unsigned int cpu, bool force)
{
	struct mh_pcpu *pc = &mh_pcpus[cpu];
	uint64_t d = pc->slice_end ? pc->slice_end : UINT64_MAX;
	struct mh_vcpu *cur = pc->current;

	if (cur) {
		uint64_t p = hyp_ptimer_next_deadline(&cur->v);

		if (p < d)
			d = p;
	}
	for (unsigned int i = 0; i < S.nr_vcpus; i++) {
		struct mh_vcpu *mv = S.vcpus[i];

		if (__atomic_load_n(&mv->sched, __ATOMIC_ACQUIRE) == MH_SCHED_BLOCKED &&
		    mv->pcpu == cpu && mv->wake_at < d)
			d = mv->wake_at;
	}
	if (d == pc->cnthp && !force)
		return;
	/* CNTHP_CVAL_EL2 compares the host count; CNTHP_CTL_EL2 ENABLE = 1,
	 * IMASK = 0 (Arm ARM D24.10.3, D24.10.4). */
	if (d == UINT64_MAX) {
		hyp_write_sysreg(HYP_SYS_CNTHP_CTL_EL2, 0);
	} else {
		hyp_write_sysreg(HYP_SYS_CNTHP_CVAL_EL2, d);
		if (pc->cnthp == UINT64_MAX)
			hyp_write_sysreg(HYP_SYS_CNTHP_CTL_EL2, HYP_CNT_CTL_ENABLE);
	}
	pc->cnthp = d;
	hyp_isb();
}

void mh_sched_arm(unsigned int cpu)
{
	arm(cpu, false);
}

void mh_sched_loaded(unsigned int cpu, struct mh_vcpu *mv)
{
	struct mh_pcpu *pc = &mh_pcpus[cpu];
	bool waiting;

	/* Device-interrupt forwarding moves the affinity of the VM's
	 * physical SPIs to @cpu here (minihyp.h). */
	if (mh_on_vcpu_loaded)
		mh_on_vcpu_loaded(mv, cpu);
	waiting = __atomic_load_n(&pc->len, __ATOMIC_RELAXED) != 0;
	pc->slice_end = waiting ? hyp_read_sysreg(HYP_SYS_CNTPCT_EL0) + S.slice : 0;
	/* Its WFI traps only while another vCPU waits for this CPU. */
	twi(mv, waiting);
	mh_sched_arm(cpu);
}

enum mh_leave mh_sched_wfi(struct mh_vcpu *mv)
{
	/* Another vCPU waits (on any queue): @mv leaves the CPU, which runs
	 * or steals the waiting one. */
	if (mh_sched_has_work())
		return MH_LEAVE_BLOCK;
	/* None: the trap was set for a vCPU that has left this CPU's queue
	 * since (stolen, or its VM ended). The WFI completes now, a wake-up
	 * the architecture allows at any time (Arm ARM D1.7.2: "The PE is
	 * permitted to leave the low-power state for any reason"); the
	 * guest's next WFI waits in the guest. A vCPU queued here meanwhile
	 * has kicked this CPU: the kick's IRQ exit sets the trap again. */
	twi(mv, false);
	return MH_LEAVE_NONE;
}

enum mh_leave mh_sched_wfe(struct mh_vcpu *mv)
{
	unsigned int cpu = mh_this_cpu();

	/* A vCPU waits for this CPU: @mv, most likely spinning on a lock
	 * (Linux waits for a lock with WFE) whose holder may be that very
	 * vCPU, makes way for it (KVM's kvm_vcpu_on_spin(), undirected). */
	if (__atomic_load_n(&mh_pcpus[cpu].len, __ATOMIC_RELAXED))
		return MH_LEAVE_YIELD;
	/* None (stolen, or its VM ended, since the traps were set): the WFE
	 * completes now (the caller skipped it: a WFE may complete at any
	 * time, a spurious wake-up; it is a hint) and both traps go, as the
	 * next tick would clear them. */
	twi(mv, false);
	return MH_LEAVE_NONE;
}

bool mh_sched_kick(unsigned int cpu)
{

	/* Nothing waits here, no slice runs and the running vCPU's WFI is not
	 * trapped: the kick was for an interrupt of the running vCPU (its
	 * vGIC list, flushed at the next entry) or its VM's end (the run loop
	 * sees it), and the scheduler has nothing to change. A vCPU queued
	 * here meanwhile kicks again after its push (a store-release and the
	 * GIC's barrier before the SGI, mh_gic_kick()): that next kick sees
	 * it. The deadlines of blocked vCPUs are CNTHP's (mh_sched_tick()). */
	if (mh_sched_kick_idle(cpu))
		return false;
	return mh_sched_tick(cpu);
}

bool mh_sched_tick(unsigned int cpu)
{
	struct mh_pcpu *pc = &mh_pcpus[cpu];
	uint64_t now = hyp_read_sysreg(HYP_SYS_CNTPCT_EL0);
	bool preempt = false;
	uint32_t kicks = 0;

	lock();
	for (unsigned int i = 0; i < S.nr_vcpus; i++) {
		struct mh_vcpu *mv = S.vcpus[i];

		if (mv->sched == MH_SCHED_BLOCKED && mv->pcpu == cpu && mv->wake_at <= now &&
		    !mv->vm->stop)
			enqueue_placed(mv, &kicks, true);
	}
	if (!pc->len)
		pc->slice_end = 0;
	else if (!pc->current)
		pc->slice_end = 0; /* idle: it picks at once */
	else if (!pc->slice_end)
		pc->slice_end = now + S.slice;
	else if (now >= pc->slice_end)
		preempt = true;
	/* The running vCPU's WFI traps while another waits here (it then
	 * leaves the CPU), and waits in the guest while none does. */
	twi(pc->current, pc->len != 0);
	unlock();
	send_kicks(kicks);
	/* A CNTHP interrupt stays asserted until CVAL moves: always re-armed. */
	arm(cpu, true);
	return preempt;
}
