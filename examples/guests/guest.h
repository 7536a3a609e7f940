/* SPDX-License-Identifier: MIT */
/*
 * The bare-metal EL1 guests' runtime (lib.c): console on the DT's PL011,
 * the DT's GIC and command line, the virtual counter, PSCI over HVC, and
 * the benchmark report. MMU off: every data access is Device memory, so
 * the guests are built with -mstrict-align and touch memory aligned only.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PSCI (DEN 0022) and minihyp's vendor calls (minihyp.h). */
#define PSCI_VERSION	   0x84000000u
#define PSCI_CPU_OFF	   0x84000002u
#define PSCI_CPU_ON	   0xc4000003u
#define PSCI_AFFINITY_INFO 0xc4000004u
#define PSCI_SYSTEM_OFF	   0x84000008u
#define PSCI_FEATURES	   0x8400000au
#define MINIHYP_HVC_EXIT   0x86000001u
#define MINIHYP_HVC_YIELD  0x86000002u

struct guest_range {
	uint64_t base, size;
};

/* What guest_main() gets to know from its DTB. */
struct guest_dt {
	const void *fdt;
	unsigned int gic_version; /* 2, 3; 0 if none found */
	struct guest_range gicd;
	struct guest_range gic2; /* GICv3: GICR region; GICv2: GICC */
	const char *bootargs;	 /* "" if none */
};

void guest_main(const void *dtb);
void guest_secondary(uint64_t cpu);
void guest_exit(unsigned int status) __attribute__((noreturn));

/* Parse the DTB (and find the console); 0 or -1. */
int guest_dt_init(const void *dtb, struct guest_dt *dt);
/* "name=N" on the command line (decimal or 0x hex), else @def. */
uint64_t guest_arg(const struct guest_dt *dt, const char *name, uint64_t def);

/* Distributor and CPU interface on, private interrupts @mask (INTIDs 0..31)
 * enabled; 0 or -1 without a GIC. */
int guest_gic_init(const struct guest_dt *dt, uint32_t mask);
/* The same for the calling vCPU's own CPU interface, any vCPU after vCPU 0
 * ran guest_gic_init() (its redistributor found by its MPIDR); 0 or -1. */
int guest_gic_init_cpu(const struct guest_dt *dt, uint32_t mask);
/* Acknowledge (the IAR: INTID [9:0], 1020..1023 special; GICv2 SGIs carry
 * the source CPU in [12:10]) and EOI (the same value). */
unsigned int guest_gic_ack(const struct guest_dt *dt);
void guest_gic_eoi(const struct guest_dt *dt, unsigned int iar);

/* WFI (interrupts masked) until the GIC has an interrupt; its IAR. */
unsigned int guest_gic_wait(const struct guest_dt *dt);
/* Nothing to acknowledge for @ticks (interrupts masked, the IAR polled);
 * otherwise EOI it and guest_fail(@who, @what, IAR). */
void guest_gic_expect_quiet(const struct guest_dt *dt, uint64_t ticks, const char *who,
			    const char *what);

/* Print "FAIL: @who: @what @v" and exit with status 1. */
void guest_fail(const char *who, const char *what, uint64_t v) __attribute__((noreturn));
/* Print "FAIL: @who: IAR @iar after @ticks ticks" and exit with status 1. */
void guest_fail_irq(const char *who, unsigned int iar, uint64_t ticks) __attribute__((noreturn));

/* The EL1 generic timers as the timer guests drive them. CNTx_CTL_EL0
 * bits (Arm ARM D24.10.16 CNTP_CTL_EL0, D24.10.25 CNTV_CTL_EL0): ENABLE
 * [0], IMASK [1], ISTATUS [2]. (No function pointers or tables of names:
 * the guests are position-independent, data holds no addresses.) */
#define GUEST_TIMER_ENABLE  0x1u
#define GUEST_TIMER_IMASK   0x2u
#define GUEST_TIMER_ISTATUS 0x4u
enum guest_timer {
	GUEST_VTIMER, /* CNTV_*: the EL1 virtual timer, PPI 27 */
	GUEST_PTIMER, /* CNTP_*: the EL1 physical timer, PPI 30 */
};
/* CNTx_TVAL_EL0 = @tval, CNTx_CTL_EL0 = @ctl, ISB. */
void guest_timer_set(enum guest_timer t, uint64_t tval, uint64_t ctl);
/* ISB, CNTx_CTL_EL0. */
uint64_t guest_timer_ctl(enum guest_timer t);
/* Due at once and masked by the guest itself: CTL reads back
 * ENABLE|IMASK|ISTATUS and nothing is delivered for @ticks; else
 * guest_fail(@who, ...). Leaves the timer enabled and masked. */
void guest_timer_masked_check(const struct guest_dt *dt, enum guest_timer t, const char *who,
			      uint64_t ticks);

/* head.S: vectors that record ESR_EL1 in guest_skip_esr, count the
 * exception in guest_skip_traps and skip the instruction (ELR_EL1 += 4);
 * guest_skip is their common code, a branch target for other vectors. */
extern char guest_skip_vectors[];
void guest_skip(void);
extern volatile uint64_t guest_skip_esr;
extern volatile uint64_t guest_skip_traps;

void guest_puts(const char *s);
void guest_put_dec(uint64_t v);
void guest_put_hex(uint64_t v);

uint64_t guest_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t guest_counter(void);
uint64_t guest_counter_freq(void);

/*
 * Print "bench NAME: N iterations, T ticks at F Hz: I.II instructions per
 * iteration" — instructions under `-icount shift=0` (one per ns), else
 * nanoseconds.
 */
void guest_report(const char *name, uint64_t iters, uint64_t ticks);

/* The measured loops (loops.S); each returns nothing and keeps the ABI. */
void loop_null_hvc(uint64_t n);
void loop_sysreg_trap(uint64_t n);
void loop_sgi_v3(uint64_t n);
void loop_sgi_v2(uint64_t n, uint64_t gicd, uint64_t gicc);
void loop_dirty(uint64_t n, uint64_t rate, uint64_t yield);

extern char guest_secondary_entry[];

/* MMIO with one plain LDR/STR each, as Linux's readl()/writel(): a
 * hypervisor emulates a trapped access from its syndrome (ESR_EL2.ISV),
 * which a writeback or pair form does not have. */
static inline void w32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static inline uint32_t r32(uint64_t a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t r64(uint64_t a)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

#endif
