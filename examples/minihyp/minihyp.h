/* SPDX-License-Identifier: MIT */
/*
 * minihyp's internal interfaces: the console and the exit paths (main.c),
 * the physical GIC (gic.c) and the VM (vm.c).
 *
 * vm.c and gic.c touch hardware only through libhyp/hw.h, so that the host
 * benchmark (tests/bench/bench_minihyp.c) builds them against the simulated
 * CPU and counts the hardware accesses of minihyp's own exit paths.
 */
#ifndef MINIHYP_H
#define MINIHYP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libhyp/cpufeat.h>
#include <libhyp/pgtable.h>
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>
#include <libhyp/vgic.h>

#include "dt.h"

/* ---- console and stopping the machine (main.c, or the benchmark's stubs) */

void mh_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mh_vprintf(const char *fmt, va_list ap);
/* A formatted message prefixed "minihyp: error: ", then mh_exit(MH_EXIT_FAILURE). */
void mh_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/*
 * Stop the machine with @status: the line `minihyp: exit TOKEN STATUS
 * TOKEN` on the console (TOKEN: minihyp.token, "-" if none), then PSCI
 * SYSTEM_OFF (QEMU exits with 0). Never returns. No semihosting: with
 * QEMU's semihosting option a guest's HLT #0xF000 would reach the host.
 */
void mh_exit(unsigned int status) __attribute__((noreturn));
/* PSCI SYSTEM_RESET through the firmware (QEMU restarts, or exits with -no-reboot). */
void mh_reset(void) __attribute__((noreturn));

/* minihyp's own failures (bad input, an exit it cannot handle): QEMU exit status. */
#define MH_EXIT_FAILURE 125

/* ---- minihyp's vendor-specific hypervisor calls (SMCCC, DEN 0028: fast
 * call, SMC32 convention, owner 6 = vendor-specific hypervisor service) */

/* Stop the machine with status x1 (the exit-status line, mh_exit()). */
#define MH_HVC_EXIT 0x86000001u
/* A scheduling point: minihyp puts and reloads the vCPU, as a preemption would. */
#define MH_HVC_YIELD 0x86000002u

/* ---- the physical GIC (gic.c) */

struct mh_gic {
	unsigned int version;		       /* 2 or 3 */
	uintptr_t dist;			       /* GICD */
	uintptr_t cpu;			       /* GICv2: GICC */
	uintptr_t hyp;			       /* GICv2: GICH */
	uintptr_t redist;		       /* GICv3: the first redistributor region */
	uint64_t redist_size;		       /* its size */
	uint64_t redist_stride;		       /* 0: 128 KiB (no VLPIs) */
	unsigned int maint;		       /* maintenance interrupt INTID */
	unsigned int vtimer;		       /* EL1 virtual timer INTID */
	unsigned int ptimer;		       /* EL1 physical timer INTID (emulated) */
	unsigned int htimer;		       /* EL2 physical timer INTID (its wake-up) */
	uint8_t v2_cpu_mask[MINIHYP_MAX_CPUS]; /* GICv2: CPU interface of each CPU */
	uint64_t mpidr[MINIHYP_MAX_CPUS];      /* GICv3: affinity of each CPU */
	uintptr_t rd_sgi[MINIHYP_MAX_CPUS];    /* GICv3: each CPU's SGI_base frame */
};

/* The SGI minihyp sends to another CPU to make it look at its vCPU. */
#define MH_KICK_SGI 0

void mh_gic_dist_init(struct mh_gic *g);
/* This CPU's interface and private interrupts; returns 0 or a negative error. */
int mh_gic_cpu_init(struct mh_gic *g, unsigned int cpu, uint64_t mpidr);
/* Acknowledge: the INTID (1023: spurious) and what EOI needs in *raw. */
unsigned int mh_gic_ack(const struct mh_gic *g, uint32_t *raw);
void mh_gic_eoi(const struct mh_gic *g, uint32_t raw);
void mh_gic_kick(const struct mh_gic *g, unsigned int cpu);
/* Disable (@mask) or enable private interrupt @intid of the calling CPU @cpu. */
void mh_gic_ppi_mask(const struct mh_gic *g, unsigned int cpu, unsigned int intid, bool mask);

/* ---- the VM (vm.c) */

#define MH_MAX_VCPUS MINIHYP_MAX_CPUS
/* SPIs the virtual GIC has: INTIDs 32..287, QEMU virt's 256. */
#define MH_NR_SPIS 256

/* How a VM is switched. */
struct mh_config {
	/* Every register IMMEDIATE, the vGIC saving everything on every exit,
	 * every exit through the run loop: a naive nVHE hypervisor. */
	bool eager;
	/* Handle hot exits in libhyp's fast path (otherwise in the run loop). */
	bool fast_path;
	/* minihyp.stats=1: count the fast path's exits too (stats.c). */
	bool stats;
};

/* A vCPU's power state: one atomic state machine, see psci_cpu_on() in vm.c. */
enum mh_vcpu_state {
	MH_VCPU_OFF = 0,
	MH_VCPU_ON_PENDING = 1, /* CPU_ON asked, its CPU has not started it yet */
	MH_VCPU_ON = 2,
	MH_VCPU_CLAIMED = 3, /* a CPU_ON won the target, its request not yet written */
};

/* ==== statistics (issue 15; stats.c): the counters' types ==== */

/* Exit classes counted per vCPU (mh_vcpu_stats::exits): a synchronous
 * exit's ESR_EL2.EC (0..HYP_EC_MAX), then the asynchronous kinds. */
#define MH_XC_IRQ    (HYP_EC_MAX + 1)
#define MH_XC_FIQ    (HYP_EC_MAX + 2)
#define MH_XC_SERROR (HYP_EC_MAX + 3)
#define MH_XC_OTHER  (HYP_EC_MAX + 4) /* a kind hyp_vcpu_run() has no name for */
#define MH_XC_NR     (HYP_EC_MAX + 5)
/* Distinct MSR/MRS encodings counted per vCPU; more go to sr_more. */
#define MH_STATS_SYSREGS 24

/* Per vCPU, only ever written by the CPU running it (no atomics). */
struct mh_vcpu_stats {
	/* Exits by class, counted in one place (mh_stats_exit()): every exit
	 * that reaches the run loop; with minihyp.stats=1 also every exit the
	 * fast path answers (stats.c wraps the fast-path table). */
	uint32_t exits[MH_XC_NR];
	/* Run-loop IRQ exits by the physical INTID acknowledged. */
	uint32_t irq_maint, irq_timer, irq_kick, irq_device, irq_other;
	uint32_t forwarded;  /* device interrupts forwarded to this vCPU (forward.c) */
	uint32_t migrations; /* loads on another physical CPU than the last (the scheduler) */
	uint32_t lr_max;     /* most list registers in use seen at an IRQ exit */
	uint32_t s2_faults;  /* guest RAM mapped on first touch (a page, or a 2 MiB block) */
	/* MSR/MRS traps (EC 0x18) by encoding, as counted in exits[]. */
	uint16_t sr_enc[MH_STATS_SYSREGS];
	uint32_t sr_count[MH_STATS_SYSREGS];
	uint32_t sr_more; /* traps of encodings beyond the first MH_STATS_SYSREGS */
};

/* Per VM. */
struct mh_vm_stats {
	unsigned int id;   /* the VM's number in the stats lines ("vm0") */
	bool fast_counted; /* minihyp.stats=1 with the fast path: its exits are counted */
	/* The fast-path table's own entries, which the counting entries of
	 * mh_vm::table call (minihyp.stats=1). */
	struct hyp_fast_entry inner[HYP_EC_MAX + 1];
};
/* ==== end of the statistics types ==== */

struct mh_vm;

struct mh_vcpu {
	struct hyp_vcpu v;
	struct hyp_sysreg_vcpu sr;
	struct hyp_fpsimd_state fp;
	struct hyp_vgic_vcpu *gv;
	struct mh_vm *vm;
	unsigned int idx;
	unsigned int pcpu;	       /* the physical CPU it runs on (pinned) */
	volatile uint32_t state;       /* enum mh_vcpu_state */
	uint64_t on_entry, on_context; /* CPU_ON request */
	bool refresh;		       /* its list changed on the fast path: refill the LRs */
	uint64_t pmselr;	       /* emulated PMSELR_EL0 */
	/* statistics */
	uint32_t run_exits, irq_exits, mmio_exits, blocks, yields;
	struct mh_vcpu_stats st; /* issue 15: stats.c */
};

/* What the run loop does after an exit (mh_handle_exit()). */
enum mh_action {
	MH_CONTINUE = 0, /* enter the guest again */
	MH_BLOCK,	 /* WFI with nothing pending: wait for an interrupt */
	MH_YIELD,	 /* put and reload the vCPU */
	MH_CPU_OFF,	 /* the vCPU is off: its CPU waits for a CPU_ON */
	MH_STOP,	 /* the machine stops: vm->stop_status / stop_reset */
};

struct mh_vm {
	struct mh_config cfg;
	struct hyp_fast_table table; /* the handlers: the fast path's, or the run loop's */
	struct hyp_fast_table *fast; /* what the vCPUs' vector code uses */
	struct hyp_fast_table none;  /* eager / no fast path: empty */
	struct hyp_smccc smccc;
	struct hyp_psci_ops psci;
	struct hyp_wfx_policy wfx;
	struct hyp_cpufeat_vm features;
	struct hyp_sysreg_vm sysreg;
	struct hyp_sysreg_dispatch sysreg_dispatch; /* the MSR/MRS dispatcher's tables */
	struct hyp_vgic_hw vgic_hw;
	struct hyp_vgic vgic;
	struct hyp_vgic_ops vgic_ops;
	struct hyp_vgic_vcpu gv[MH_MAX_VCPUS];
	struct hyp_vgic_irq spis[MH_NR_SPIS];
	struct hyp_pgtable s2;
	struct mh_gic *gic;
	struct hyp_fdt_range ram; /* guest RAM (IPA = PA) */
	uint64_t mdcr_el2;
	unsigned int nr_vcpus;
	struct mh_vcpu vcpu[MH_MAX_VCPUS];
	volatile uint32_t lock;
	uint32_t fault_reports; /* guest faults reported (mh_log_allow()) */
	volatile bool stop;
	bool stop_reset;
	unsigned int stop_status;
	struct mh_vm_stats st; /* issue 15: stats.c */
};

/* Where the guest starts (the Linux arm64 boot protocol). */
struct mh_guest {
	uint64_t entry; /* PC */
	uint64_t dtb;	/* x0 */
	const struct hyp_fdt_guest *dt;
};

/*
 * Set up @vm for the guest described by @g: policies, trap tables, PSCI,
 * the virtual GIC (@hw described, every CPU initialised by the caller),
 * vCPU 0 on with the boot protocol's registers. Stage 2 is the caller's
 * (vm->s2). Returns 0 or a negative error with a message printed.
 */
int mh_vm_init(struct mh_vm *vm, const struct mh_config *cfg, const struct mh_guest *g,
	       struct mh_gic *gic);
/* Make vCPU @mv this CPU's: EL2 state of the VM, sysreg and vGIC load. */
void mh_vcpu_load(struct mh_vcpu *mv);
void mh_vcpu_put(struct mh_vcpu *mv);
/* Whether @mv may run: starts a CPU_ON target (PSCI's boot state) first. */
bool mh_vcpu_start(struct mh_vcpu *mv);
/*
 * The run loop, around hyp_vcpu_run(): hyp_vgic_restore(mv->gv) before
 * entering the guest, mh_after_run() after it (acknowledge a physical
 * interrupt, save the vGIC, mh_handle_exit()), then act on the result.
 */
enum mh_action mh_after_run(struct mh_vcpu *mv, unsigned int kind);
/* An exit that reached the run loop (the vGIC saved); @intid is the
 * physical interrupt acknowledged for an IRQ exit. */
enum mh_action mh_handle_exit(struct mh_vcpu *mv, unsigned int kind, unsigned int intid);
/* MH_YIELD: put the vCPU and load it again, as a preemption would. */
void mh_yield(struct mh_vcpu *mv);
/* minihyp's sysreg trap table (PMSELR_EL0, CNTP_*, ICC_SGI*R_EL1), sorted. */
extern const struct hyp_sysreg_trap_table mh_trap_table;
/* The fast-path handler of stage-2 data aborts (EC 0x24): the vGIC frames. */
int mh_dabt_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self);

/* MIDR_EL1 of physical CPU @cpu (cpufeat's per-CPU cache): the guest's VPIDR_EL2. */
uint64_t mh_cpu_midr(unsigned int cpu);
/* CPTR_EL2 @cptr with the traps of features the VM is not given added
 * (TAM: the AMU). */
uint64_t mh_cptr_traps(uint64_t cptr);
/* ID_AA64MMFR0_EL1.PARange for an IPA size of @ia_bits. */
unsigned int mh_parange(unsigned int ia_bits);
/*
 * Rate limit for console lines a guest causes (a fault loop): true for the
 * first MH_LOG_FIRST calls on @count, then for each power of two (with a
 * line saying so); false otherwise.
 */
#define MH_LOG_FIRST 8
bool mh_log_allow(uint32_t *count);

/* The physical CPU running this code (main.c; 0 in the benchmark). */
unsigned int mh_this_cpu(void);

/* ==== statistics (issue 15; stats.c) ==== */

/*
 * The cold half of mh_stats_exit(): an MSR/MRS trap's encoding, an IRQ
 * exit's source and the vCPU's list registers in use.
 */
void mh_stats_detail(struct mh_vcpu *mv, unsigned int cls, uint64_t esr, unsigned int intid);

/*
 * Count an exit of class @ec (ESR_EL2.EC of @esr for a synchronous one,
 * MH_XC_* for the others): the one place mh_vcpu_stats::exits is
 * incremented (mh_stats_exit() comes here too). One add, and the encoding
 * of an MSR/MRS trap (out of line).
 */
static inline void mh_stats_sync(struct mh_vcpu *mv, unsigned int ec, uint64_t esr)
{
	mv->st.exits[ec]++;
	if (__builtin_expect(ec == HYP_EC_SYS64, 0))
		mh_stats_detail(mv, ec, esr, 1023);
}

/*
 * Count one exit of @kind (enum hyp_exit_kind; ESR_EL2 @esr for a
 * synchronous one, @intid the physical interrupt acknowledged for an IRQ,
 * 1023 if none), through mh_stats_sync() for a synchronous one.
 */
static inline void mh_stats_exit(struct mh_vcpu *mv, unsigned int kind, uint64_t esr,
				 unsigned int intid)
{
	unsigned int cls = kind - HYP_EXIT_IRQ <= HYP_EXIT_SERROR - HYP_EXIT_IRQ
			       ? MH_XC_IRQ + kind - HYP_EXIT_IRQ
			       : MH_XC_OTHER;

	if (kind == HYP_EXIT_SYNC)
		cls = (unsigned int)hyp_esr_ec(esr);
	mh_stats_sync(mv, cls, esr);
	if (cls == MH_XC_IRQ)
		mh_stats_detail(mv, cls, esr, intid);
}

/*
 * After mh_vm_init(): with minihyp.stats=1 and the fast path in use, put a
 * counting entry in front of every fast-path handler (its exits then reach
 * mh_stats_exit() too) and answer no SMCCC call before the register save
 * (those would not be counted). Without it nothing changes: the fast path
 * costs what it did.
 */
void mh_stats_vm_init(struct mh_vm *vm);

/*
 * Print @vm's statistics: one block of `minihyp: stats vmN ...` lines per
 * VM and vCPU, only the counters that are not zero, at most a few dozen
 * lines per vCPU (docs/minihyp.md, "Statistics"). Reads the counters of
 * vCPUs that may still run on other CPUs: a snapshot.
 */
void mh_stats_print_vm(const struct mh_vm *vm);
/* ==== end of statistics ==== */

#endif /* MINIHYP_H */
