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
#include <libhyp/hw.h>
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

/* End the calling VM with status x1 (the machine stops with the last VM:
 * the exit-status line, mh_exit()). */
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
	/* GICv3: the ICC_SGI1R_EL1 value of a kick to each CPU, set with
	 * mpidr[] by mh_gic_cpu_init() (0: not yet, mh_gic_kick() builds it) */
	uint64_t kick_sgi1r[MINIHYP_MAX_CPUS];
	uintptr_t rd_sgi[MINIHYP_MAX_CPUS];    /* GICv3: each CPU's SGI_base frame */
};

/* The SGI minihyp sends to another CPU to make it look at its vCPU. */
#define MH_KICK_SGI 0
/* struct mh_vcpu::irq_acked: the fast path acknowledged the IRQ (the IAR
 * value below: 24 bits at most), and also EOI'd and deactivated it. */
#define MH_IRQ_ACKED (1u << 31)
#define MH_IRQ_EOID  (1u << 30)

void mh_gic_dist_init(struct mh_gic *g);
/* This CPU's interface and private interrupts; returns 0 or a negative error. */
int mh_gic_cpu_init(struct mh_gic *g, unsigned int cpu, uint64_t mpidr);
/* Acknowledge: the INTID (1023: spurious) and what EOI needs in *raw. */
unsigned int mh_gic_ack(const struct mh_gic *g, uint32_t *raw);
void mh_gic_eoi(const struct mh_gic *g, uint32_t raw);
void mh_gic_kick(const struct mh_gic *g, unsigned int cpu);
/*
 * mh_gic_kick() for a caller that has already completed its stores with a
 * DSB ISH (mh_sched_wake()), inline and without a second DSB: GICv3, the
 * ICC_SGI1R_EL1 value built for @cpu, then the ISB; GICv2, the GICD_SGIR
 * store (IHI 0048B 4.3.15: TargetListFilter [25:24] 0b00, CPUTargetList
 * [23:16], SGIINTID [3:0]); a GICv3 value not yet built, mh_gic_kick().
 */
static inline void mh_gic_kick_synced(const struct mh_gic *g, unsigned int cpu)
{
	/* non-zero for a GICv3 only (mh_gic_cpu_init()) */
	uint64_t v = g->kick_sgi1r[cpu];

	if (__builtin_expect(v != 0, 1)) {
		hyp_write_sysreg(HYP_SYS_ICC_SGI1R_EL1, v);
		hyp_isb();
	} else if (g->version == 2) {
		hyp_mmio_write32(g->dist + 0xf00u /* GICD_SGIR */,
				 (uint32_t)g->v2_cpu_mask[cpu] << 16 | MH_KICK_SGI);
	} else {
		mh_gic_kick(g, cpu);
	}
}
/* Disable (@mask) or enable private interrupt @intid of the calling CPU @cpu. */
void mh_gic_ppi_mask(const struct mh_gic *g, unsigned int cpu, unsigned int intid, bool mask);
/* issue 15 (forward.c): EOImode is 1, so mh_gic_eoi() drops the priority
 * and deactivates (minihyp's own interrupts); mh_gic_drop() only drops the
 * priority (a forwarded interrupt, deactivated by its guest). */
void mh_gic_drop(const struct mh_gic *g, uint32_t raw);
/* SPI @intid: disabled, Group 1 (GICv3), minihyp's priority, edge- or
 * level-triggered, routed to physical CPU @cpu, enabled. 0 or an error. */
int mh_gic_spi_config(const struct mh_gic *g, unsigned int intid, bool edge, unsigned int cpu);
/* Route SPI @intid to physical CPU @cpu (GICD_IROUTER / GICD_ITARGETSR);
 * GICv2, @edge (as configured): a pending edge is pended again for its new
 * target (gic.c, v2_repend_edge()). */
int mh_gic_spi_route(const struct mh_gic *g, unsigned int intid, bool edge, unsigned int cpu);
/* SPI @intid disabled and deactivated (its VM ended). */
void mh_gic_spi_off(const struct mh_gic *g, unsigned int intid);
/* Deactivate SPI @intid through the distributor (GICD_ICACTIVER): on
 * QEMU's GICv2, for every CPU interface (forward.c, fwd_settle()). */
void mh_gic_spi_clear_active(const struct mh_gic *g, unsigned int intid);

/* ---- the VM (vm.c) */

#define MH_MAX_VCPUS MINIHYP_MAX_CPUS
/* VMs at once (minihyp.vm0 .. minihyp.vm3). */
#define MH_MAX_VMS MINIHYP_MAX_VMS
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
	/* minihyp.policy: enum minihyp_policy (issue 15 item 6, helper M) */
	uint8_t policy;
};

/* ---- issue 15 item 6 (helper M): the sysreg policy a VM runs with ---- */
/* The effective enum minihyp_policy: eager is IMMEDIATE, none given ADAPTIVE. */
static inline unsigned int mh_policy(const struct mh_config *cfg)
{
	if (cfg->eager)
		return MINIHYP_POLICY_IMMEDIATE;
	return cfg->policy ? cfg->policy : MINIHYP_POLICY_ADAPTIVE;
}

/* Its name as on the command line ("adaptive", ...). */
static inline const char *mh_policy_name(const struct mh_config *cfg)
{
	static const char *const names[] = {"adaptive", "immediate", "deferred", "dirty",
					    "adaptive"};
	unsigned int p = mh_policy(cfg);

	return p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}
/* ---- end of issue 15 item 6 (helper M) ---- */

/* A vCPU's power state: one atomic state machine, see psci_cpu_on() in vm.c. */
enum mh_vcpu_state {
	MH_VCPU_OFF = 0,
	MH_VCPU_ON_PENDING = 1, /* CPU_ON asked, its CPU has not started it yet */
	MH_VCPU_ON = 2,
	MH_VCPU_CLAIMED = 3, /* a CPU_ON won the target, its request not yet written */
};

/* A vCPU's place in the scheduler (sched.c), apart from its PSCI power state. */
enum mh_sched_state {
	MH_SCHED_OFF = 0,     /* on no queue: powered off, or its VM ended */
	MH_SCHED_QUEUED = 1,  /* on mh_pcpus[pcpu]'s run queue */
	MH_SCHED_RUNNING = 2, /* picked by mh_pcpus[pcpu]: loaded there, or about to be */
	MH_SCHED_BLOCKED = 3, /* in WFI, off the queues: an interrupt or wake_at wakes it */
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
	/* Kicks answered by the IRQ fast path (vm.c, irq_fast()): never in the
	 * run loop, so in none of the counts above. */
	uint32_t irq_kick_fast;
	uint32_t forwarded;  /* device interrupts forwarded to this vCPU (forward.c) */
	uint32_t lr_max;     /* most list registers in use seen at an IRQ exit */
	uint32_t s2_faults;  /* guest RAM mapped on first touch (a page, or a 2 MiB block) */
	/* MSR/MRS traps (EC 0x18) by encoding, as counted in exits[]. */
	uint16_t sr_enc[MH_STATS_SYSREGS];
	uint32_t sr_count[MH_STATS_SYSREGS];
	uint32_t sr_more; /* traps of encodings beyond the first MH_STATS_SYSREGS */
};

/* Per VM. */
struct mh_vm_stats {
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
	unsigned int pcpu;	       /* the physical CPU it runs on, is queued on, or blocked on */
	volatile uint32_t state;       /* enum mh_vcpu_state */
	volatile uint32_t sched;       /* enum mh_sched_state (sched.c, under its lock) */
	struct mh_vcpu *next;	       /* run-queue link */
	uint64_t wake_at;	       /* BLOCKED: its timers' earliest deadline (host CNTPCT) */
	bool ran;		       /* has run once (a later CPU change is a migration) */
	unsigned int ran_on;	       /* the physical CPU it last ran on */
	uint64_t on_entry, on_context; /* CPU_ON request */
	bool refresh;		       /* its list changed on the fast path: refill the LRs */
	/* The IRQ the fast path acknowledged and left to the run loop
	 * (vm.c, irq_fast()): MH_IRQ_ACKED | (MH_IRQ_EOID) | the IAR value,
	 * or 0 (the run loop acknowledges itself). */
	uint32_t irq_acked;
	uint64_t pmselr;	       /* emulated PMSELR_EL0 */
	/* statistics */
	uint32_t run_exits, irq_exits, mmio_exits, blocks, yields;
	uint32_t loads, migrations, preemptions;
	unsigned int fwd_pcpu; /* 1 + the CPU its forwarded SPIs were last moved to (main.c) */
	struct mh_vcpu_stats st; /* issue 15: stats.c */
};

/* What the run loop does after an exit (mh_handle_exit()). */
enum mh_action {
	MH_CONTINUE = 0, /* enter the guest again */
	MH_BLOCK,	 /* WFI with nothing pending: wait for an interrupt */
	MH_YIELD,	 /* put and reload the vCPU */
	MH_CPU_OFF,	 /* the vCPU is off: its CPU waits for a CPU_ON */
	MH_STOP,	 /* the VM ends: vm->stop_status / stop_reset */
	MH_PREEMPT,	 /* its time slice is over and another vCPU waits: off the CPU */
	MH_SPIN_YIELD,	 /* a trapped WFE while another vCPU waits here: make way for it */
};

/* ==== the emulated console (issue 15 item 3; vuart.c) ====
 *
 * The PL011 belongs to one VM (minihyp.console=N, VM 0 by default): its
 * page is mapped in that VM's stage 2 and its interrupt forwarded there.
 * Every other VM gets an emulated PL011 at the same guest address, its
 * page left unmapped: each access is a stage-2 data abort that
 * mh_dabt_trap() (vm.c) hands to mh_vuart_access(). What the guest writes
 * to UARTDR is printed on minihyp's console one whole line at a time,
 * prefixed "vmN: ", under the console lock (mh_vprintf()). */
#define MH_VUART_LINE 120 /* characters of a line before it is printed anyway */
struct mh_vuart {
	uint64_t base, size; /* guest IPA of its page; size 0: no emulated PL011 */
	unsigned int vm;     /* N of the "vmN: " prefix */
	volatile uint32_t lock;
	/* registers stored and read back (masked to their width) */
	uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
	unsigned int len; /* characters in line[] */
	char line[MH_VUART_LINE];
	uint32_t chars, lines, bad; /* statistics: characters, lines printed, refused accesses */
};
/* An emulated PL011 for VM @vm at guest IPA @base (@size bytes, the guest
 * DT's): the TRM's reset values. */
void mh_vuart_init(struct mh_vuart *u, unsigned int vm, uint64_t base, uint64_t size);
/* A guest access of @width bytes at IPA @ipa (@is_write; *@val the value
 * stored, or where the value loaded goes). 0: done; HYP_ENOENT: not in its
 * page (or no emulated PL011), nothing done; HYP_EINVAL: a width other
 * than 1, 2 or 4 or an unaligned access, nothing done (the caller answers
 * it in the guest: an external abort). Any CPU, under the vuart's lock. */
int mh_vuart_access(struct mh_vuart *u, uint64_t ipa, unsigned int width, bool is_write,
		    uint64_t *val);
/* Its VM ended: what is left of the current line, then a line of counts
 * (`minihyp: vmN: emulated console: C characters, L lines, B refused
 * accesses`). Nothing without an emulated PL011. */
void mh_vuart_vm_end(struct mh_vuart *u);
/* ==== end of the emulated console ==== */

struct mh_vm {
	/* The VM lock (vm.c) first: its hooks (the vGIC's lock and unlock,
	 * called through function pointers with the VM as ctx) reach it
	 * without an offset to build (two ADDs each). */
	volatile uint32_t lock;
	unsigned int index; /* N of minihyp.vmN */
	char prefix[8];	    /* "vmN: " in its console lines when there are several VMs, else "" */
	struct mh_vuart vuart; /* issue 15 item 3: its emulated PL011 (vuart.c), if not the console's */
	/* issue 15 item 3: the PL011's page if this VM owns it (size 0 if
	 * not), and whether minihyp holds it now (mh_console_hold()). */
	uint64_t console_ipa, console_size;
	volatile bool console_held;
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
	uint32_t fault_reports; /* guest faults reported (mh_log_allow()) */
	volatile bool stop;	/* the VM ends (its vCPUs leave their CPUs) */
	bool stop_reset;	/* ... by SYSTEM_RESET */
	unsigned int stop_status;
	/* sched.c, under its lock: vCPUs picked by a CPU; the VM's end is
	 * reported (mh_vm_ended()) by the CPU that puts the last one. */
	uint32_t running;
	bool stop_seen, finished;
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
/*
 * The PL011 a VM owns (minihyp.console) is also minihyp's console: the
 * VM writes it directly (its page mapped), so a character of the VM could
 * land in the middle of a line minihyp prints (another VM's "vmN: " line,
 * or minihyp's own). While minihyp prints a line (mh_vprintf(), under the
 * console lock), the owner's page is held: mh_console_hold() takes every
 * permission away (hyp_s2_protect(), its TLBIs broadcast), and an access
 * of the owner's to it meanwhile waits at EL2 (a stage-2 permission
 * fault, vm.c) until mh_console_release() gives them back, then retries.
 * So each line minihyp prints comes out whole; the owner's own lines can
 * still be cut by one (minihyp does not see where they end). Both take
 * the VM lock: never print while holding a VM lock.
 */
void mh_console_hold(struct mh_vm *vm);
void mh_console_release(struct mh_vm *vm);

/* The physical CPU running this code (main.c; 0 in the benchmark). */
unsigned int mh_this_cpu(void);
/* mh_this_cpu() inline, without the call (the kick's path): TPIDR_EL2
 * holds this CPU's index (main.c sets it as each CPU starts). */
static inline unsigned int mh_this_cpu_inline(void)
{
	return (unsigned int)hyp_read_sysreg(HYP_SYS_TPIDR_EL2);
}

/* ---- forwarded device interrupts (forward.c, forward_dt.c; issue 15)
 *
 * A passed-through device's SPI goes to the VM that owns the device, with
 * the same INTID: minihyp drops its priority only (EOImode 1), injects it
 * into the owner's vGIC as a hardware-mapped interrupt (the LR's HW bit
 * and pINTID: the guest's deactivation deactivates the physical one), and
 * routes the physical SPI to the CPU running its target vCPU. */

/* Most forwarded interrupts (QEMU virt: the PL011, the PL031, 32 virtio-mmio). */
#define MH_FWD_MAX 64

/* Forward SPI @intid (@edge: edge-triggered, else level) to vCPU @vcpu of
 * @vm; @what names the device in messages. The same INTID given to two VMs
 * is refused: a `minihyp: error:` line and HYP_EBUSY. Again to its own VM:
 * nothing changes. Before mh_forward_start(), on one CPU. */
int mh_forward_add(struct mh_vm *vm, unsigned int vcpu, unsigned int intid, bool edge,
		   const char *what);
/* Every SPI of @vm's passthrough devices in the host DT @fdt: the PL011
 * (@uart_intid, @uart_flags: its `interrupts` 3rd cell; 0: none) and each
 * leaf node at the root whose `reg` lies inside one of @g's passthrough
 * ranges. Errors as mh_forward_add(). */
int mh_forward_from_dt(struct mh_vm *vm, const void *fdt, const struct hyp_fdt_guest *g,
		       unsigned int uart_intid, uint32_t uart_flags);
/* Map each forwarded SPI in its VM's vGIC (hyp_vgic_irq_map_hw(), the
 * trigger), then configure, route and enable it at the physical GIC.
 * After mh_vm_init() of every VM, on one CPU. */
int mh_forward_start(const struct mh_gic *g);
/* An interrupt acknowledged at EL2 (@intid, @raw from mh_gic_ack()): if it
 * is forwarded, drop its priority, inject it into its VM and return true;
 * false otherwise (the caller EOIs and deactivates it: mh_gic_eoi()). */
bool mh_forward_irq(const struct mh_gic *g, unsigned int intid, uint32_t raw);
/* vCPU @mv now runs on physical CPU @pcpu: the SPIs it is the target of
 * follow it. For the scheduler, when it moves a vCPU (its pcpu changes),
 * not at every load: a walk of the targets (about 50 instructions, +2.4%
 * on the sysreg-dirty benchmark's yields). Without it the interrupts still
 * arrive, through the old CPU and a kick. */
void mh_forward_vcpu_loaded(struct mh_vcpu *mv, unsigned int pcpu);
/* @vm ended: its forwarded SPIs are disabled and deactivated. */
void mh_forward_vm_end(struct mh_vm *vm);
/* One line per forwarded interrupt of @vm (NULL: all): its count. */
void mh_forward_report(const struct mh_vm *vm);
/* Forwarded so far to @vm (all its interrupts). */
uint32_t mh_forward_count(const struct mh_vm *vm);
/* ---- the vCPU scheduler (sched.c)
 *
 * Each physical CPU has a run queue (FIFO) and runs one vCPU at a time;
 * vCPUs of any VM share the CPUs. The tick is the EL2 physical timer
 * (CNTHP, PPI mh_gic::htimer), armed only while another vCPU waits for the
 * CPU (its time slice) or for a deadline: the earliest of the slice's end,
 * the running vCPU's emulated EL1 physical timer, and the timers of the
 * vCPUs blocked on this CPU. A tick or a kick (SGI MH_KICK_SGI) reaches
 * the run loop as an IRQ exit (mh_handle_exit() calls mh_sched_tick()):
 * the hot exits pay nothing for the scheduler. A vCPU in WFI with nothing
 * pending leaves the queues (MH_SCHED_BLOCKED) if other vCPUs want the
 * CPU; an interrupt for it (vGIC kick hook, PSCI CPU_ON) or its timers'
 * deadline makes it runnable again at once, on an idle CPU if there is
 * one (with a kick), else on the shortest queue. WFI traps (HCR_EL2.TWI)
 * and WFE (HCR_EL2.TWE) only while another vCPU waits on the running vCPU's
 * CPU's queue: a trapped WFE there makes way for the waiting vCPU (a
 * spinning vCPU yields, the lock holder may run), and a wake-up preempts
 * the running vCPU after a short grace (mh_sched_set_wake_grace()), not
 * at once, so that a waker holding locks leaves its critical section
 * first. A vCPU alone on its CPU waits in WFI in the guest, woken by any physical
 * interrupt (the kick, a timer, a forwarded SPI: all taken to EL2) or
 * virtual one, as KVM does with one task on its run queue. An idle CPU steals
 * queued vCPUs from the others (migration: the vCPU is put on its old CPU
 * and loaded on the new one through libhyp's lifecycle, hyp_vcpu_put()
 * and hyp_vcpu_load(), which move its sysreg state, vGIC state, FP
 * registers and timers, CNTVOFF and a pending timer included).
 *
 * One spinlock serialises every scheduler transition; it is taken inside
 * the VM lock (the vGIC kick hook) and never the other way round.
 */
/*
 * The body of every spin-wait on a lock another CPU holds: YIELD, a hint
 * (Arm ARM C6.2, YIELD: software tells the PE that it performs a task, a
 * spin-lock for example, that could be swapped out).
 * Under QEMU's TCG without MTTCG (every -icount run) it ends this CPU's
 * turn: QEMU runs the CPUs one at a time on one thread, and a CPU spinning
 * on a lock held by one whose turn ended (its instruction budget ran out
 * at a timer deadline, inside the critical section) would spin to the end
 * of its own budget, up to 50 ms of virtual time, while the holder cannot
 * run: the late cross-CPU wake-ups of issue 15 item 5 (a VM-lock spin of
 * 19.6 M iterations in a Linux run). Nothing on a host build (the
 * simulated CPU's tests).
 */
static inline void mh_spin_pause(void)
{
#if defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

struct mh_pcpu {
	struct mh_vcpu *head, *tail; /* run queue */
	unsigned int len;
	struct mh_vcpu *current;  /* loaded here (mh_vcpu_load() .. mh_vcpu_put()) */
	volatile bool idle;	  /* waiting in WFI at EL2: nothing to run */
	uint64_t slice_end;	  /* host CNTPCT at which the running vCPU is preempted; 0: none */
	uint64_t cnthp;		  /* CNTHP_CVAL_EL2 programmed; UINT64_MAX: CNTHP off */
};
extern struct mh_pcpu mh_pcpus[MINIHYP_MAX_CPUS];

/* Why a vCPU leaves its CPU (mh_sched_put()). */
enum mh_leave {
	MH_LEAVE_NONE = 0,
	MH_LEAVE_PREEMPT, /* slice over: back to the queue's tail */
	MH_LEAVE_BLOCK,	  /* WFI: blocked until an interrupt or mv->wake_at */
	MH_LEAVE_OFF,	  /* PSCI CPU_OFF (requeued if a CPU_ON came meanwhile) */
	MH_LEAVE_STOP,	  /* its VM ends */
	MH_LEAVE_YIELD,	  /* a trapped WFE: to the tail of this CPU's queue (mh_sched_wfe()) */
};

/* A wake-up's preemption of the running vCPU comes this late at most
 * (mh_sched_set_wake_grace()), in microseconds. */
#define MH_WAKE_GRACE_US_DEFAULT 10u

/* @nr_cpus CPUs, a slice of @slice_ticks counter ticks, kicks through @gic. */
void mh_sched_init(unsigned int nr_cpus, uint64_t slice_ticks, const struct mh_gic *gic);
/* Register @vm's vCPUs (the timer scan of blocked vCPUs sees them). */
void mh_sched_add_vm(struct mh_vm *vm);
/* Queue @mv on CPU @cpu before the CPUs run (each VM's boot vCPU). */
void mh_sched_boot(struct mh_vcpu *mv, unsigned int cpu);
/* The next vCPU for CPU @cpu: its queue's head, else one stolen from the
 * longest other queue; NULL if none. It is RUNNING on @cpu then. */
struct mh_vcpu *mh_sched_pick(unsigned int cpu);
/* Whether any run queue has a vCPU (a hint, no lock). */
bool mh_sched_has_work(void);
/* An interrupt (or a CPU_ON) for @mv: a BLOCKED vCPU, or an OFF one whose
 * CPU_ON is pending, is queued (an idle CPU preferred) and that CPU
 * kicked; a RUNNING or QUEUED one's CPU is kicked unless it is this one. */
void mh_sched_wake(struct mh_vcpu *mv);
/* @mv (put) leaves CPU @cpu because of @why. Returns true if it was the
 * last vCPU of an ending VM on a CPU: the caller reports the VM's end. */
bool mh_sched_put(struct mh_vcpu *mv, unsigned int cpu, enum mh_leave why);
/* @vm ends: its queued and blocked vCPUs are dropped, the CPUs running
 * the others kicked (they leave at their next exit). */
void mh_sched_vm_stop(struct mh_vm *vm);
/* A tick or a kick on CPU @cpu (an IRQ exit of its running vCPU, or idle):
 * wakes the vCPUs blocked here whose deadline passed, starts the running
 * vCPU's slice if others wait, sets its WFI trap (HCR_EL2.TWI) if others
 * wait here and clears it if none does, re-arms CNTHP. True: preempt it
 * (slice over). */
bool mh_sched_tick(unsigned int cpu);
/* The kick's IRQ exit on CPU @cpu: mh_sched_tick() unless there is nothing
 * for it to change (no vCPU waits here, no slice, WFI not trapped): the
 * common kick, for an interrupt of the running vCPU, costs a few loads. */
bool mh_sched_kick(unsigned int cpu);
/* mh_sched_kick()'s test alone: true if a kick on CPU @cpu has nothing for
 * the scheduler (no vCPU waits here, no slice, the running vCPU's WFI not
 * trapped). A few loads, no lock, no hardware: the IRQ fast path's
 * (vm.c, irq_fast()), inline there (a call would spill its registers). */
static inline bool mh_sched_kick_idle(unsigned int cpu)
{
	const struct mh_pcpu *pc = &mh_pcpus[cpu];
	const struct mh_vcpu *cur = pc->current;

	return !__atomic_load_n(&pc->len, __ATOMIC_ACQUIRE) && !pc->slice_end &&
	       !(cur && (cur->v.hcr & HYP_HCR_TWI));
}
/* CNTHP_* of CPU @cpu for its earliest deadline (slice, running vCPU's
 * emulated physical timer, blocked vCPUs' timers); after a change. */
void mh_sched_arm(unsigned int cpu);
/* CPU @cpu loaded @mv: its slice starts and its WFI traps if others wait
 * on @cpu's queue, its WFI is not trapped if none does (and helper F's
 * device-interrupt affinity would follow it from here). */
void mh_sched_loaded(unsigned int cpu, struct mh_vcpu *mv);
/*
 * @mv, running on this CPU, executed a trapped WFI with nothing pending.
 * MH_LEAVE_BLOCK if a vCPU waits on any queue (@mv leaves, its CPU runs
 * or steals it); otherwise MH_LEAVE_NONE with its WFI trap cleared (the
 * vCPU queued here that set it has gone): the WFI completes and the
 * guest's next one waits in the guest.
 */
enum mh_leave mh_sched_wfi(struct mh_vcpu *mv);
/*
 * @mv, running on this CPU, executed a trapped WFE (HCR_EL2.TWE is set
 * with TWI, only while another vCPU waits on this CPU's queue). If one
 * waits here: MH_LEAVE_YIELD (@mv goes to the tail of this CPU's queue,
 * the waiting vCPU runs: a spinning vCPU makes way for a lock holder it may
 * be waiting for). Otherwise MH_LEAVE_NONE with both traps cleared: the
 * WFE completes (the caller has skipped it) and the guest resumes.
 */
enum mh_leave mh_sched_wfe(struct mh_vcpu *mv);
/*
 * A wake-up (mh_sched_wake(), a blocked vCPU's deadline) that queues a
 * vCPU on a CPU running another makes that one leave @ticks counter ticks
 * later at most (its slice ends then, or earlier if it already would; at
 * most the slice): a waker inside a critical section may leave it first.
 * 0 (mh_sched_init()'s): at once. Call before the CPUs run vCPUs.
 */
void mh_sched_set_wake_grace(uint64_t ticks);
/*
 * Hooks for other modules, NULL unless one sets them at boot (before the
 * CPUs run vCPUs): mh_on_vcpu_loaded after every load of a vCPU on CPU
 * @cpu (device-interrupt forwarding moves the VM's physical SPIs' affinity
 * there: helper F's mh_forward_vcpu_loaded()), mh_on_vm_ended when a VM has
 * ended, before its status line (per-VM statistics: helper C's
 * mh_stats_vm_end()). Called without any lock held, on that CPU.
 */
extern void (*mh_on_vcpu_loaded)(struct mh_vcpu *mv, unsigned int cpu);
extern void (*mh_on_vm_ended)(struct mh_vm *vm);
/* The earliest host-counter deadline of @mv's timers (put: its saved
 * state), UINT64_MAX if none. */
uint64_t mh_vcpu_deadline(const struct mh_vcpu *mv);

/* Run-queue primitives (pure; sched.c, host-tested). */
void mh_rq_push(struct mh_pcpu *pc, struct mh_vcpu *mv);
struct mh_vcpu *mh_rq_pop(struct mh_pcpu *pc);
bool mh_rq_remove(struct mh_pcpu *pc, struct mh_vcpu *mv);
/* Where a vCPU that becomes runnable goes: @prefer if idle with an empty
 * queue, else the first such CPU, else the shortest queue (@prefer on a
 * tie). */
unsigned int mh_sched_place(const struct mh_pcpu *pcs, unsigned int nr, unsigned int prefer);
/* Where a vCPU preempted on CPU @cpu goes: an idle CPU with an empty
 * queue, else the shortest queue counting @cpu's one shorter (its next
 * vCPU leaves it), another CPU on a tie (so vCPUs rotate over the CPUs). */
unsigned int mh_sched_place_preempted(const struct mh_pcpu *pcs, unsigned int nr,
				      unsigned int cpu);

/* ---- VMs (main.c) */

/* VM @i (0 .. MH_MAX_VMS - 1), or NULL if it is not configured. For other
 * modules (helper F's forwarding, helper C's statistics). */
struct mh_vm *mh_vm_by_index(unsigned int i);
/* @vm's last vCPU left its CPU after it ended: report it, and stop the
 * machine if it was the last VM (main.c; the benchmark's stub). */
void mh_vm_ended(struct mh_vm *vm);
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
