/* SPDX-License-Identifier: MIT */
/*
 * minihyp: a minimal hypervisor on QEMU's virt machine, built from libhyp.
 *
 * Boot (CPU 0, from libhyp-rt's boot stub: stacks, BSS): EL2 host mode (VHE when the CPU has it), FP on for libfdt,
 * the EL2 MMU on through libhyp's stage-1 tables, the host DT parsed
 * (dt.h, libhyp-fdt), the physical GIC on, cpufeat probed on every CPU (the others
 * started with PSCI CPU_ON over SMC) and finalized, the virtual GIC
 * interface described and reset on every CPU, stage 2 for the guest (RAM
 * with blocks at IPA = PA, the PL011 passed through, GICv2: the GICV frame
 * at the guest's GICC), the guest DTB written (dt.h, libhyp-fdt), the VM set up
 * (vm.c) for each VM, then every CPU runs the vCPU scheduler (sched.c).
 *
 * The machine stops when the guest asks (PSCI SYSTEM_OFF, SYSTEM_RESET, or
 * minihyp's vendor call MH_HVC_EXIT with a status), on bad input, or on an
 * exit minihyp cannot handle; see mh_exit() for the exit status.
 */
#include <stdarg.h>

#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/el2_pgtable.h>
#include <libhyp/stage2.h>
#include <libhyp/switch.h>
#include <libhyp/vgic.h>
#include <libhyp-rt/rt.h>
#include <libfdt.h>

#include "dt.h"
#include "minihyp.h"
#include "seed.h" /* issue 15 item 5 (helper L): the guest DT's seeds */

/* Where QEMU puts its DTB when the boot CPU's x0 is 0 (an ELF kernel):
 * the start of RAM, 1 MiB. A test build looks elsewhere. */
#ifndef MH_DTB_ADDR
#define MH_DTB_ADDR 0x40000000ul
#endif
#define MH_DTB_MAX 0x100000ul

#define SZ_2M 0x200000ull

/* link.ld; libhyp-rt's boot stub (entry, stacks, BSS) calls hyp_rt_main()
 * and hyp_rt_secondary_main(). */
extern char _image_start[], _end[], hyp_rt_secondary_start[];

/* PSCI (DEN 0022) function IDs for the firmware; SMC conduit on QEMU virt
 * with virtualization=on. */
#define PSCI_CPU_ON_64	  0xc4000003u
#define PSCI_SYSTEM_OFF	  0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
/* ---- global state (one machine, up to MH_MAX_VMS VMs) */

static struct hyp_fdt_host host;
static struct minihyp_cmdline cmdline;
static struct hyp_fdt_guest guest_dts[MH_MAX_VMS];
static unsigned int vm_mask, nr_vms; /* bit N: VM N configured; how many */
static struct mh_gic gic;
static struct mh_vm vms[MH_MAX_VMS];
static struct hyp_cpufeat_cpu feat_cpus[MINIHYP_MAX_CPUS];
static struct hyp_fp_cpu fp_cpus[MINIHYP_MAX_CPUS];
static bool vhe;
static volatile uint32_t cpu_up[MINIHYP_MAX_CPUS];
static volatile uint32_t boot_done;

/* ---- console: the PL011 (QEMU virt's until the DT names one) */

#define PL011_DR      0x00
#define PL011_FR      0x18
#define PL011_FR_TXFF (1u << 5)

static uintptr_t uart = 0x09000000;
static volatile uint32_t console_lock;
static bool mmu_is_on;
/* The VM that owns the PL011 until it ends (under console_lock): its page
 * is held while a line is printed (minihyp.h, mh_console_hold()). */
static struct mh_vm *console_vm;

static void putc_(char c)
{
	while (hyp_mmio_read32(uart + PL011_FR) & PL011_FR_TXFF)
		;
	hyp_mmio_write32(uart + PL011_DR, (uint8_t)c);
}

static void put_console(void *ctx, char c)
{
	(void)ctx;
	putc_(c);
}

/* libhyp-rt's formatter (hyp_rt_vformat) onto the PL011, one line at a time. */
void mh_vprintf(const char *f, va_list ap)
{
	bool locked = mmu_is_on;

	struct mh_vm *owner = NULL;

	if (locked) {
		while (__atomic_exchange_n(&console_lock, 1u, __ATOMIC_ACQUIRE))
			mh_spin_pause();
		owner = console_vm;
		if (owner)
			mh_console_hold(owner);
	}
	hyp_rt_vformat(put_console, NULL, f, ap);
	if (locked) {
		/* The VM's next characters queue behind these in the
		 * FIFO: the page can be given back at once. */
		if (owner)
			mh_console_release(owner);
		__atomic_store_n(&console_lock, 0u, __ATOMIC_RELEASE);
	}
}

static void console_set_owner(struct mh_vm *vm)
{
	/* Before the MMU is on nothing else runs, and the lock is not used
	 * (its exclusives need Normal memory). */
	if (!mmu_is_on) {
		console_vm = vm;
		return;
	}
	while (__atomic_exchange_n(&console_lock, 1u, __ATOMIC_ACQUIRE))
		mh_spin_pause();
	console_vm = vm;
	__atomic_store_n(&console_lock, 0u, __ATOMIC_RELEASE);
}

void mh_printf(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	mh_vprintf(f, ap);
	va_end(ap);
}

/* ---- stopping the machine */

/*
 * The exit-status line's secret (minihyp.token=, dt.h): the runner passes
 * a fresh one on minihyp's own command line, which no guest can read (the
 * host DTB is not in guest RAM and is scrubbed below; the guest DTB gets
 * only minihyp.bootargs). "" until known.
 */
static char exit_token[MINIHYP_TOKEN_MAX + 1];

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Find "minihyp.token=HEX" in @n bytes at @p and copy HEX to exit_token,
 * or with @scrub overwrite every copy of exit_token there with 'x'. The
 * search without the DT parser serves only when the DT could not be
 * parsed: minihyp then stops before any guest runs.
 */
static void token_scan(volatile char *p, uint64_t n, bool scrub)
{
	static const char key[] = "minihyp.token=";
	size_t klen = scrub ? 0 : sizeof(key) - 1, tlen = 0;

	while (exit_token[tlen])
		tlen++;
	if (scrub && !tlen)
		return;
	for (uint64_t i = 0; i + klen + (scrub ? tlen : 1) <= n; i++) {
		size_t k = 0, m = 0;

		if (scrub) {
			while (m < tlen && p[i + m] == exit_token[m])
				m++;
			if (m == tlen)
				for (m = 0; m < tlen; m++)
					p[i + m] = 'x';
			continue;
		}
		while (k < klen && p[i + k] == key[k])
			k++;
		if (k < klen)
			continue;
		while (m < MINIHYP_TOKEN_MAX && i + klen + m < n && is_hex(p[i + klen + m])) {
			exit_token[m] = p[i + klen + m];
			m++;
		}
		exit_token[m] = 0;
		return;
	}
}

/* Does [lo, hi) overlap an image or initramfs a VM was given? */
static bool overlaps_images(uint64_t lo, uint64_t hi)
{
	for (unsigned int i = 0; i < MH_MAX_VMS; i++) {
		const struct hyp_fdt_range *r[2] = {&cmdline.vm[i].guest, &cmdline.vm[i].initrd};

		for (unsigned int k = 0; k < 2; k++)
			if (r[k]->size && lo < r[k]->base + r[k]->size && r[k]->base < hi)
				return true;
	}
	return false;
}

/*
 * Every copy of the token in the host DTB (@size bytes, parsed) made
 * 'x'. Only its blocks hold anything: the free space after them (QEMU
 * pads its DTB to 1 MiB) is zeroed instead of searched, which would cost
 * ~15 M instructions of byte compares at every boot (issue 15's whole-run
 * overhead), and may hold stale bytes a DT editor left behind. Free space
 * a loader put a VM's image into (the blob's totalsize claims it, but a
 * command line may say otherwise) is searched, not zeroed.
 */
static void scrub_token(void *dtb, uint64_t size)
{
	uint64_t used = fdt_off_dt_struct(dtb) + fdt_size_dt_struct(dtb);
	uint64_t strings = fdt_off_dt_strings(dtb) + fdt_size_dt_strings(dtb);
	uint64_t base = (uintptr_t)dtb;

	if (strings > used)
		used = strings;
	if (used > size)
		used = size;
	if (used < size && overlaps_images(base + used, base + size))
		used = size;
	token_scan((volatile char *)dtb, used, true);
	if (used < size)
		hyp_rt_memset((char *)dtb + used, 0, size - used);
}

/*
 * Stop the machine. The status goes out on the console as one line,
 * `minihyp: exit TOKEN STATUS TOKEN`, then PSCI SYSTEM_OFF (QEMU exits
 * with 0). The token on both sides of the status: a guest on another CPU
 * writing the shared UART can only insert characters, which breaks the
 * line instead of changing its status. Without a token: `minihyp: exit -
 * STATUS -`, which a runner cannot trust.
 */
void mh_exit(unsigned int status)
{
	const char *t = exit_token[0] ? exit_token : "-";

	mh_printf("minihyp: exit %s %u %s\n", t, status, t);
	hyp_rt_system_off();
}

void mh_reset(void)
{
	hyp_rt_smc(PSCI_SYSTEM_RESET, 0, 0, 0);
	mh_exit(MH_EXIT_FAILURE);
}

void mh_fail(const char *f, ...)
{
	va_list ap;

	mh_printf("minihyp: error: ");
	va_start(ap, f);
	mh_vprintf(f, ap);
	va_end(ap);
	mh_printf("\n");
	mh_exit(MH_EXIT_FAILURE);
}

/* libfdt.a is built with the stack protector: its way out (libhyp-rt
 * supplies the canary, and a weak default that powers off silently). */
void __stack_chk_fail(void)
{
	mh_fail("stack smashing detected");
}

/* An exception taken at EL2: a bug. */
void hyp_switch_el2_fault(struct hyp_el2_fault *f)
{
	static volatile bool faulting;

	if (faulting)
		hyp_rt_system_off();
	faulting = true;
	mh_fail("exception at EL2 on CPU %u: vector %llu, ESR_EL2 %#llx, ELR_EL2 %#llx, "
		"FAR_EL2 %#llx",
		mh_this_cpu(), (unsigned long long)f->vector, (unsigned long long)f->esr,
		(unsigned long long)f->elr, (unsigned long long)f->far);
}

unsigned int mh_this_cpu(void)
{
	return (unsigned int)hyp_read_sysreg(HYP_SYS_TPIDR_EL2);
}

/* ---- translation tables: page pools in BSS (libhyp-rt's pool) */

#define EL2_PAGES 32
#define S2_PAGES  64
static uint8_t el2_pages[EL2_PAGES][4096] __attribute__((aligned(0x10000)));
/* One pool per VM: a VM's first-touch faults allocate under its own lock
 * (vm.c), and libhyp-rt's pool is not thread-safe. */
static uint8_t s2_pages[MH_MAX_VMS][S2_PAGES][4096] __attribute__((aligned(0x10000)));
static uint64_t el2_map_bits[HYP_RT_POOL_MAP_WORDS(EL2_PAGES)];
static uint64_t s2_map_bits[MH_MAX_VMS][HYP_RT_POOL_MAP_WORDS(S2_PAGES)];
static struct hyp_rt_pool el2_pool, s2_pool[MH_MAX_VMS];

/* The I-cache hook: one IC IALLUIS instead of a line-by-line walk of each
 * 2 MiB block (the same effect, far fewer instructions at boot). */
static void s2_icache_inval(struct hyp_pgtable *pgt, uint64_t pa, uint64_t size)
{
	(void)pgt, (void)pa, (void)size;
	hyp_icache_inval_all();
}

/* libhyp-rt's hooks (pool pages, TLBI instructions) plus the cache
 * maintenance this CPU needs (filled in before hyp_s2_init()). */
static struct hyp_pgtable_ops s2_ops;

static struct hyp_pgtable el2_pgt;
/* The blocks mapped before the DT was read: minihyp, the DTB. */
static struct hyp_fdt_range early_map[2];

/* ---- EL2 setup shared by every CPU */

static void el2_setup(void)
{
	uint64_t cptr;

	/* E2H is chosen with the MMU off; it changes only register routing
	 * and the EL2 translation regime's format (hyp_el2_init() reads it
	 * from libhyp's record, set in main() before the tables are built). */
	hyp_write_sysreg(HYP_SYS_HCR_EL2, HYP_HCR_RW | (vhe ? HYP_HCR_E2H : 0));
	hyp_isb();
	/* FP on for libfdt at boot and for lazy FP later; SVE and SME
	 * trapped (libhyp does not switch them; the VM is not given them). */
	cptr = hyp_read_sysreg(HYP_SYS_CPTR_EL2);
	if (vhe)
		cptr = (cptr & ~(HYP_CPTR_E2H_ZEN | HYP_CPTR_E2H_SMEN)) | HYP_CPTR_E2H_FPEN;
	else
		cptr = (cptr & ~HYP_CPTR_TFP) | HYP_CPTR_TZ | HYP_CPTR_TSM;
	hyp_write_sysreg(HYP_SYS_CPTR_EL2, cptr);
	/* libfdt does unaligned accesses to Normal memory. */
	hyp_write_sysreg(HYP_SYS_SCTLR_EL2, hyp_read_sysreg(HYP_SYS_SCTLR_EL2) & ~HYP_SCTLR_A);
	hyp_isb();
}

static void el2_map(uint64_t base, uint64_t size, unsigned int prot, const char *what)
{
	int ret = hyp_el2_map(&el2_pgt, base, size, base, prot);

	if (ret)
		mh_fail("EL2 mapping of %s %#llx,%#llx: %d", what, (unsigned long long)base,
			(unsigned long long)size, ret);
}

/*
 * The boot CPU's EL2 tables: the devices below RAM (GIC, UART...), and the
 * 2 MiB blocks holding minihyp and the DTB; the RAM the DT describes is
 * added later. 40 bits of VA and PA: -cpu max (48) and cortex-a57 (44)
 * have them, and no ID register needs reading yet.
 */
static void mmu_on(uint64_t dtb)
{
	const struct hyp_pgtable_cfg cfg = {
	    .pa_bits = 40,
	    .ia_bits = 40,
	    .granule_shift = 12,
	    .dline_shift = 6,
	    .iline_shift = 6,
	};
	uint64_t lo = (uintptr_t)_image_start & ~(SZ_2M - 1);
	uint64_t hi = ((uintptr_t)_end + SZ_2M - 1) & ~(SZ_2M - 1);
	uint64_t dlo = dtb & ~(SZ_2M - 1);
	uint64_t dhi = (dtb + MH_DTB_MAX + SZ_2M - 1) & ~(SZ_2M - 1);
	int ret;

	ret = hyp_rt_pool_init(&el2_pool, el2_pages, sizeof(el2_pages), el2_map_bits,
			       HYP_RT_POOL_MAP_WORDS(EL2_PAGES));
	if (!ret)
		ret = hyp_el2_init(&el2_pgt, &cfg, &hyp_rt_pool_ops, &el2_pool, 0);
	if (ret)
		mh_fail("EL2 tables: %d", ret);
	el2_map(0, 0x40000000, HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE, "devices");
	el2_map(lo, hi - lo, HYP_PROT_RWX, "minihyp");
	early_map[0] = (struct hyp_fdt_range){lo, hi - lo};
	/* The DTB's blocks, around minihyp's own (which stay executable). */
	if (dtb >= 0x40000000 && dlo < lo)
		el2_map(dlo, (dhi < lo ? dhi : lo) - dlo, HYP_PROT_RW, "the DTB");
	if (dtb >= 0x40000000 && dhi > hi)
		el2_map(dlo > hi ? dlo : hi, dhi - (dlo > hi ? dlo : hi), HYP_PROT_RW, "the DTB");
	if (dtb >= 0x40000000)
		early_map[1] = (struct hyp_fdt_range){dlo, dhi - dlo};
	hyp_el2_mmu_enable(&el2_pgt);
	mmu_is_on = true;
}

/*
 * Map a RAM range at EL2 with the MMU on, around the blocks mapped at boot:
 * mapping over them could replace the live table that maps minihyp itself
 * by a larger block (break-before-make on the code that runs it).
 */
static void map_ram(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	for (unsigned int i = 0; i < 2 && base < end; i++) {
		uint64_t lo = early_map[i].base, hi = lo + early_map[i].size;

		if (!early_map[i].size || hi <= base || lo >= end)
			continue;
		if (lo > base)
			map_ram(base, lo - base);
		base = hi < end ? hi : end;
	}
	if (base < end)
		el2_map(base, end - base, HYP_PROT_RWX, "RAM");
}

/* ---- secondary CPUs */

static void cpu_common_init(unsigned int cpu)
{
	int ret = mh_gic_cpu_init(&gic, cpu, host.mpidr[cpu]);

	if (ret)
		mh_fail("CPU %u (MPIDR %#llx): no redistributor", cpu,
			(unsigned long long)host.mpidr[cpu]);
	ret = hyp_cpufeat_probe_cpu(cpu);
	if (ret)
		mh_fail("cpufeat probe of CPU %u: %d", cpu, ret);
}

/* After finalize: what needs the system-wide view. */
static void cpu_late_init(unsigned int cpu)
{
	static const struct hyp_fp_ops fp_ops = {hyp_fpsimd_save, hyp_fpsimd_restore};

	hyp_vgic_cpu_init(&vms[0].vgic_hw);
	/* The traps of features the VM is not given that only the system
	 * view can tell (the AMU: CPTR_EL2.TAM). */
	hyp_write_sysreg(HYP_SYS_CPTR_EL2, mh_cptr_traps(hyp_read_sysreg(HYP_SYS_CPTR_EL2)));
	hyp_isb();
	hyp_fp_cpu_setup(&fp_cpus[cpu], &fp_ops, NULL);
}

static void run_cpu(unsigned int cpu) __attribute__((noreturn));

/* libhyp's vectors first, on every CPU: any fault is reported. */
static void vectors_on(void)
{
	hyp_write_sysreg(HYP_SYS_VBAR_EL2, (uintptr_t)hyp_switch_vectors);
	hyp_isb();
}

/* A fault before that, in the boot stub's vectors. */
void hyp_rt_fault(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	mh_fail("EL2 exception %u at boot: ESR %#llx ELR %#llx FAR %#llx", (unsigned int)vector,
		(unsigned long long)esr, (unsigned long long)elr, (unsigned long long)far);
}

void hyp_rt_secondary_main(uint64_t cpu)
{
	vectors_on();
	el2_setup();
	hyp_el2_mmu_enable(&el2_pgt);
	cpu_common_init(cpu);
	__atomic_store_n(&cpu_up[cpu], 1u, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&boot_done, __ATOMIC_ACQUIRE))
		__asm__ volatile("wfe");
	cpu_late_init(cpu);
	run_cpu(cpu);
}

static void start_secondaries(void)
{
	uint64_t freq = hyp_read_sysreg(HYP_SYS_CNTFRQ_EL0), t0;

	/* The secondaries start with the MMU and caches off: what they read
	 * before turning the MMU on must be in memory. */
	hyp_dcache_clean_inval_poc((uintptr_t)&el2_pgt, sizeof(el2_pgt), 6);
	hyp_dcache_clean_inval_poc((uintptr_t)el2_pages, sizeof(el2_pages), 6);
	hyp_dcache_clean_inval_poc((uintptr_t)&vhe, sizeof(vhe), 6);
	for (unsigned int i = 1; i < host.nr_cpus; i++) {
		int64_t ret =
		    (int64_t)hyp_rt_smc(PSCI_CPU_ON_64, host.mpidr[i], (uintptr_t)hyp_rt_secondary_start, i);
		if (ret)
			mh_fail("PSCI CPU_ON of CPU %u (MPIDR %#llx): %lld", i,
				(unsigned long long)host.mpidr[i], (long long)ret);
	}
	/*
	 * Wait for them, yielding: a busy poll never lets QEMU's single
	 * -icount thread (round-robin, one CPU at a time until its budget of
	 * up to 2^31 instructions is spent or it yields) run the others.
	 * YIELD makes QEMU switch CPUs when it runs them one at a time (and
	 * is a hint on hardware); unlike a WFE it cannot sleep through the
	 * timeout if a CPU never starts.
	 */
	t0 = hyp_read_sysreg(HYP_SYS_CNTPCT_EL0);
	for (unsigned int i = 1; i < host.nr_cpus; i++) {
		while (!__atomic_load_n(&cpu_up[i], __ATOMIC_ACQUIRE)) {
			if (hyp_read_sysreg(HYP_SYS_CNTPCT_EL0) - t0 > freq)
				mh_fail("CPU %u did not start within a second", i);
			__asm__ volatile("yield" ::: "memory");
		}
	}
}

/* ---- running a vCPU */

/*
 * Wait for an interrupt, with interrupts masked at EL2: WFI wakes on any
 * pending one (Arm ARM D1.7.2.1: a physical IRQ is a WFI wake-up event
 * whatever PSTATE.I), which the caller then acknowledges.
 */
static void wait_irq(void)
{
	__asm__ volatile("dsb sy; wfi" ::: "memory");
}

/* ---- the VMs' end */

static uint32_t vm_status[MH_MAX_VMS];
static volatile uint32_t vms_left, end_lock;

struct mh_vm *mh_vm_by_index(unsigned int i)
{
	return i < MH_MAX_VMS && (vm_mask & (1u << i)) ? &vms[i] : NULL;
}

/*
 * @vm ended and none of its vCPUs is on a CPU any more: its vCPUs'
 * counts, its status line (several VMs), and with the last VM the
 * machine's: `minihyp: exit TOKEN STATUS TOKEN`, STATUS the first
 * non-zero VM status in VM order (VM 0's if it is non-zero), 0 if all
 * are 0. The other VMs run on meanwhile.
 */
/* mh_on_vcpu_loaded: a vCPU's forwarded SPIs follow it to a new CPU; a
 * load on the CPU it last ran on costs one compare (a walk of the targets
 * at every load costs the yield-heavy benchmarks 2.4%). */
static void forward_follow(struct mh_vcpu *mv, unsigned int cpu)
{
	if (mv->fwd_pcpu == cpu + 1)
		return;
	mv->fwd_pcpu = cpu + 1;
	mh_forward_vcpu_loaded(mv, cpu);
}

void mh_vm_ended(struct mh_vm *vm)
{
	const char *t = exit_token[0] ? exit_token : "-";
	unsigned int status = vm->stop_reset ? 0 : vm->stop_status;
	bool last;

	if (console_vm == vm)
		console_set_owner(NULL); /* its vCPUs are off: nothing to hold */

	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct mh_vcpu *mv = &vm->vcpu[i];

		mh_printf("minihyp: %svCPU %u: %u exits to the run loop (%u IRQ), %u vGIC MMIO "
			  "accesses, %u blocked in WFI, %u yields, %u loads, %u migrations, %u "
			  "preemptions\n",
			  vm->prefix, i, mv->run_exits, mv->irq_exits, mv->mmio_exits, mv->blocks,
			  mv->yields, mv->loads, mv->migrations, mv->preemptions);
	}
	mh_vuart_vm_end(&vm->vuart); /* issue 15 item 3: its console's last line, counts */
	mh_stats_print_vm(vm);
	mh_forward_report(vm);
	mh_forward_vm_end(vm);
	/* Per-VM statistics (minihyp.h: helper C's mh_stats_vm_end()). */
	if (mh_on_vm_ended)
		mh_on_vm_ended(vm);
	while (__atomic_exchange_n(&end_lock, 1u, __ATOMIC_ACQUIRE))
		mh_spin_pause();
	vm_status[vm->index] = status;
	if (nr_vms > 1)
		mh_printf("minihyp: vm%u: exit %s %u %s\n", vm->index, t, status, t);
	last = --vms_left == 0;
	__atomic_store_n(&end_lock, 0u, __ATOMIC_RELEASE);
	if (!last)
		return;
	/* With one VM its SYSTEM_RESET resets the machine (QEMU reloads
	 * everything); several VMs end one by one. */
	if (nr_vms == 1 && vm->stop_reset)
		mh_reset();
	status = 0;
	for (unsigned int i = 0; i < MH_MAX_VMS && !status; i++)
		status = vm_status[i];
	mh_exit(status);
}

/* ---- the run loop */

/* Before the WFI of an idle CPU: published first, so that a vCPU made
 * runnable meanwhile is placed here and kicked (the kick stays pending:
 * WFI returns at once). */
static void set_idle(unsigned int cpu, bool idle)
{
	__atomic_store_n(&mh_pcpus[cpu].idle, idle, __ATOMIC_SEQ_CST);
}

/* A CPU without a vCPU: wait, then consume what woke it (a kick, the
 * scheduler's CNTHP tick for a blocked vCPU's deadline) so that the next
 * WFI waits again. Level interrupts stay asserted: acknowledge once. */
static void idle(unsigned int cpu)
{
	uint32_t raw;
	unsigned int intid;

	set_idle(cpu, true);
	if (!mh_sched_has_work())
		wait_irq();
	set_idle(cpu, false);
	intid = mh_gic_ack(&gic, &raw);
	if (intid >= 1020)
		return;
	/* A forwarded device interrupt goes to its VM (forward.c). */
	if (mh_forward_irq(&gic, intid, raw))
		return;
	mh_gic_eoi(&gic, raw);
	if (intid == gic.htimer || intid == MH_KICK_SGI)
		mh_sched_tick(cpu);
}

/*
 * A trapped WFI with nothing pending. WFI traps (HCR_EL2.TWI) only while
 * another vCPU waits for this CPU (sched.c): then @mv leaves it, BLOCKED,
 * woken by an interrupt or its timers' deadline (run_vcpu() puts it). If
 * none waits any more, the trap is cleared and the guest resumes: its WFI
 * completes (as a WFI may at any time) and its next one waits in the
 * guest, at no cost to minihyp, woken by any physical interrupt (taken to
 * EL2: HCR_EL2.IMO; Arm ARM D1.7.2.1, a physical IRQ routed to a higher
 * Exception level is a wake-up event whatever the guest's PSTATE.I) or a
 * virtual one.
 */
static enum mh_leave block(struct mh_vcpu *mv)
{
	enum mh_leave leave = mh_sched_wfi(mv);

	mv->blocks += leave == MH_LEAVE_BLOCK;
	return leave;
}

/* Run @mv on this CPU (@cpu) until it leaves it. */
static void run_vcpu(struct mh_vcpu *mv, unsigned int cpu)
{
	struct hyp_vgic_vcpu *gv = mv->gv;
	struct mh_vm *vm = mv->vm;
	enum mh_leave leave = MH_LEAVE_NONE;

	/* A CPU_ON target starts in PSCI's boot state; a VM that ended
	 * meanwhile runs nothing. */
	if (vm->stop || !mh_vcpu_start(mv)) {
		if (mh_sched_put(mv, cpu, vm->stop ? MH_LEAVE_STOP : MH_LEAVE_OFF))
			mh_vm_ended(vm);
		return;
	}
	mv->v.fp_cpu = &fp_cpus[cpu];
	/* SError synchronisation at exit: ESB/DISR_EL1 with FEAT_RAS. */
	if (hyp_cpu_has(HYP_CAP_RAS))
		mv->v.flags |= HYP_VCPU_RAS;
	mh_vcpu_load(mv);
	mh_sched_loaded(cpu, mv);
	while (leave == MH_LEAVE_NONE) {
		enum mh_action act;
		int kind;

		hyp_vgic_restore(gv);
		kind = hyp_vcpu_run(&mv->v);
		act = mh_after_run(mv, (unsigned int)kind);
		/* The common exit first: one compare, whatever the number of
		 * actions (the switch's compare chain grew with MH_SPIN_YIELD). */
		if (__builtin_expect(act == MH_CONTINUE, 1)) {
			if (vm->stop)
				leave = MH_LEAVE_STOP;
			continue;
		}
		switch (act) {
		case MH_CONTINUE:
			break;
		case MH_BLOCK:
			leave = block(mv);
			break;
		case MH_YIELD:
			mh_yield(mv);
			break;
		case MH_PREEMPT:
			leave = MH_LEAVE_PREEMPT;
			break;
		case MH_SPIN_YIELD:
			mv->yields++;
			leave = MH_LEAVE_YIELD;
			break;
		case MH_CPU_OFF:
			leave = MH_LEAVE_OFF;
			break;
		case MH_STOP:
			leave = MH_LEAVE_STOP;
			break;
		}
		if (vm->stop)
			leave = MH_LEAVE_STOP;
	}
	if (leave == MH_LEAVE_STOP)
		mh_sched_vm_stop(vm);
	mh_vcpu_put(mv);
	if (leave == MH_LEAVE_BLOCK)
		mv->wake_at = mh_vcpu_deadline(mv);
	if (mh_sched_put(mv, cpu, leave))
		mh_vm_ended(vm);
}

static void run_cpu(unsigned int cpu)
{
	for (;;) {
		struct mh_vcpu *mv = mh_sched_pick(cpu);

		if (mv)
			run_vcpu(mv, cpu);
		else
			idle(cpu);
	}
}

/* ---- boot */

/* Map [base, base + size) of guest RAM (IPA = PA, RWX) now, rounded out to
 * pages and cut to guest RAM, with hyp_s2_map()'s @flags: with the D-cache
 * clean of each new leaf (without FWB), exactly the pages that hold what
 * was written for the guest before it runs, or (the whole RAM) every page. */
static int map_written(struct mh_vm *vm, const struct hyp_fdt_guest *g, uint64_t base,
		       uint64_t size, unsigned int flags)
{
	uint64_t lo = base & ~0xfffull, hi = (base + size + 0xfff) & ~0xfffull;
	const uint64_t mlo = g->mem.base, mhi = g->mem.base + g->mem.size;

	if (!size || hi < lo)
		return 0;
	lo = lo < mlo ? mlo : lo;
	hi = hi > mhi ? mhi : hi;
	if (lo >= hi)
		return 0;
	return hyp_s2_map(&vm->s2, lo, hi - lo, lo, HYP_PROT_RWX, flags);
}

/* VM @vm's stage 2 (VMID = its index + 1), for its guest DT @g and image @img. */
static void guest_stage2(struct mh_vm *vm, const struct hyp_fdt_guest *g, struct hyp_fdt_range img)
{
	struct hyp_pgtable_cfg cfg;
	unsigned int n = vm->index;
	int ret;

	/* Every field from the finalized cpufeat view; 40 bits of IPA at most. */
	ret = hyp_pgtable_cfg_from_cpufeat(&cfg, 40);
	if (ret)
		mh_fail("stage-2 configuration: %d", ret);
	/* The table pages are at VA = PA (minihyp's EL2 map): the fault
	 * entry adds 0 instead of asking a hook (there is none). */
	cfg.linear_map = true;
	cfg.linear_offset = 0;
	/* A guest may run with its caches off: new cacheable leaves are
	 * cleaned to the PoC unless FWB forces write-back (stage2.h). */
	s2_ops = hyp_rt_pool_ops;
	if (!cfg.s2fwb)
		s2_ops.dcache_clean_inval_poc = hyp_pgtable_dcache_clean_inval_hw;
	if (!cfg.dic)
		s2_ops.icache_inval_pou = s2_icache_inval;
	ret = hyp_rt_pool_init(&s2_pool[n], s2_pages[n], sizeof(s2_pages[n]), s2_map_bits[n],
			       HYP_RT_POOL_MAP_WORDS(S2_PAGES));
	if (!ret)
		ret = hyp_s2_init(&vm->s2, &cfg, &s2_ops, &s2_pool[n], (uint16_t)(n + 1));
	if (ret)
		mh_fail("%sstage-2 tables: %d", vm->prefix, ret);
	hyp_s2_load(&vm->s2);
	if (cmdline.s2_prefault ? cmdline.s2_prefault == MINIHYP_S2_PREFAULT_ON : cfg.s2fwb) {
		/* issue 15: all of guest RAM now (minihyp.s2_prefault=1, the
		 * default with FWB), 1G / 2M blocks where aligned, 4K pages at
		 * unaligned edges: no first-touch fault at all. With FWB no
		 * D-cache clean (the stage 2 forces write-back, Arm ARM D8.6.6);
		 * HYP_MAP_IC_ONCE: one I-cache hook call (IC IALLUIS) for the
		 * whole RAM before any leaf exists and before any vCPU of the VM
		 * runs, instead of one per block. minihyp writes only the DTB
		 * into guest RAM after this (data, cleaned below without FWB).
		 * docs/stage2.md, "Guest RAM at VM creation". */
		ret = map_written(vm, g, g->mem.base, g->mem.size, HYP_MAP_IC_ONCE);
	} else {
		/* Guest RAM is mapped on first touch, 4K at a time, each page
		 * cleaned to the PoC then (without FWB): vm.c, ram_fault_in().
		 * Cleaning all of it here cost about 67 M instructions per GiB
		 * on a CPU without FWB (docs/stage2.md). Only what was written
		 * for the guest before it runs is mapped now, and so cleaned:
		 * the image, the initrd (both loaded by the boot loader) and the
		 * DTB's space (rewritten below and cleaned again after). */
		ret = map_written(vm, g, img.base, img.size, 0);
		if (!ret)
			ret = map_written(vm, g, g->initrd.base, g->initrd.size, 0);
		if (!ret)
			ret = map_written(vm, g, g->dtb_addr, MINIHYP_GUEST_DTB_MAX, 0);
	}
	/* issue 15 item 3: the PL011 belongs to one VM (minihyp.console, VM 0
	 * by default); every other VM gets an emulated one at the same IPA,
	 * its page left unmapped (vuart.c, through mh_dabt_trap()). */
	if (!ret && g->has_uart && n == cmdline.console) {
		ret = hyp_s2_map(&vm->s2, g->uart.base, g->uart.size, g->uart.base,
				 HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE, 0);
		if (!ret) {
			vm->console_ipa = g->uart.base;
			vm->console_size = g->uart.size;
			console_set_owner(vm);
		}
	}
	else if (!ret && g->has_uart)
		mh_vuart_init(&vm->vuart, n, g->uart.base, g->uart.size);
	/* GICv2: the guest's GICC is the GICV frame (the CPU interface
	 * virtualised by the hardware); GICD stays unmapped (emulated). */
	if (!ret && g->gic_version == 2)
		ret = hyp_s2_map(&vm->s2, g->gicc.base, g->gicc.size, host.gic.vcpu.base,
				 HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE, 0);
	for (unsigned int i = 0; !ret && i < g->nr_passthrough; i++)
		ret = hyp_s2_map(&vm->s2, g->passthrough[i].base, g->passthrough[i].size,
				 g->passthrough[i].base, HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE, 0);
	if (ret)
		mh_fail("%sstage-2 mapping: %d", vm->prefix, ret);
}

/* The guest's EL1 physical timer is emulated (vm.c) with the EL2 physical
 * timer as its wake-up: both interrupts must be PPIs (the DT's order:
 * secure, non-secure EL1 physical, virtual, EL2 physical). */
static void describe_timers(void)
{
	gic.ptimer = host.timer[HYP_FDT_TIMER_PHYS].intid;
	gic.htimer = host.timer[HYP_FDT_TIMER_HYP].intid;
	/* No ID register can say the EL1 physical timer is absent: it is
	 * emulated, never made UNDEF. */
	if (!gic.ptimer || !gic.htimer)
		mh_fail("the timer node has no EL1 or EL2 physical timer interrupt");
}

static void describe_gic(void)
{
	const struct hyp_fdt_gic *h = &host.gic;

	if (!h->maint.intid)
		mh_fail("the GIC node has no maintenance interrupt: no virtualization support");
	if (!host.timer[HYP_FDT_TIMER_VIRT].intid)
		mh_fail("the timer node has no virtual timer interrupt");
	gic.version = h->version;
	gic.dist = (uintptr_t)h->dist.base;
	gic.cpu = (uintptr_t)h->cpu.base;
	gic.hyp = (uintptr_t)h->hyp.base;
	gic.redist = (uintptr_t)h->redist[0].base;
	gic.redist_size = h->redist[0].size;
	gic.redist_stride = h->redist_stride;
	gic.maint = h->maint.intid;
	gic.vtimer = host.timer[HYP_FDT_TIMER_VIRT].intid;
	describe_timers();
}

/*
 * A VM's image must have been loaded: an image whose first 4 KiB read as
 * zero is a forgotten `-device loader` (or a wrong address), which would
 * run zeros (UDF #0) in the guest: an error before any VM starts.
 */
static void check_images(void)
{
	nr_vms = 0;
	for (unsigned int i = 0; i < MH_MAX_VMS; i++) {
		const volatile uint64_t *p;
		uint64_t n, any = 0;

		if (!(vm_mask & (1u << i)))
			continue;
		nr_vms++;
		p = (const volatile uint64_t *)(uintptr_t)cmdline.vm[i].guest.base;
		n = cmdline.vm[i].guest.size < 4096 ? cmdline.vm[i].guest.size : 4096;
		for (uint64_t k = 0; k < n / 8; k++)
			any |= p[k];
		if (!any && n >= 8) {
			char key[24];

			hyp_rt_snprintf(key, sizeof(key), i ? "minihyp.vm%u.guest" : "minihyp.guest",
					i);
			mh_fail("%s=%#llx,%#llx: the image reads as zeros: nothing was loaded there "
				"(-device loader,file=IMAGE,addr=%#llx,force-raw=on)",
				key, (unsigned long long)cmdline.vm[i].guest.base,
				(unsigned long long)cmdline.vm[i].guest.size,
				(unsigned long long)cmdline.vm[i].guest.base);
		}
	}
}

void hyp_rt_main(uintptr_t x0)
{
	const void *dtb = (const void *)(uintptr_t)(x0 ? x0 : MH_DTB_ADDR);
	struct hyp_fdt_range self = {(uintptr_t)_image_start,
				     (uintptr_t)_end - (uintptr_t)_image_start};
	struct hyp_fdt_err err;
	struct mh_config cfg;
	struct mh_guest g;
	int ret;

	vectors_on();
	/* The one ID register read before cpufeat: E2H must be chosen before
	 * the MMU is on, and the tables' format depends on it. */
	vhe = HYP_IDF_GET(ID_AA64MMFR1_EL1, VH, hyp_read_sysreg(HYP_SYS_ID_AA64MMFR1_EL1)) != 0;
	el2_setup();
	/* libhyp's one record of the EL2 mode: the tables, the vCPUs' HCR_EL2.E2H
	 * and the sysreg engine's aliases all come from it. */
	ret = hyp_cpufeat_set_el2_mode(vhe);
	if (ret)
		mh_fail("EL2 mode: %d", ret);
	mmu_on((uintptr_t)dtb);
	mh_printf("minihyp: EL2%s, MMU on\n", vhe ? " (VHE)" : "");

	ret = minihyp_dt_parse(dtb, MH_DTB_MAX, &host, &cmdline, &err);
	if (ret) {
		/* No guest will run: the token may come from a raw search. */
		token_scan((volatile char *)dtb, MH_DTB_MAX, false);
		mh_fail("%s", err.msg);
	}
	__builtin_memcpy(exit_token, cmdline.token, sizeof(exit_token));
	scrub_token((void *)(uintptr_t)dtb, host.dtb_size);
	if (host.has_uart)
		uart = (uintptr_t)host.uart.base;
	for (unsigned int i = 0; i < host.nr_mem; i++)
		map_ram(host.mem[i].base, host.mem[i].size);
	ret = minihyp_guest_dts(guest_dts, &vm_mask, &host, &cmdline, dtb, self, &err);
	if (ret)
		mh_fail("%s", err.msg);
	check_images();
	if (host.mpidr[0] != (hyp_read_sysreg(HYP_SYS_MPIDR_EL1) & 0xff00ffffffull))
		mh_fail("the boot CPU is not the DT's first CPU");

	/* cpufeat: every CPU probed (after its GIC CPU interface is on, so
	 * that ICH_VTR_EL2 is readable), then the system view. */
	ret = hyp_cpufeat_init(feat_cpus, host.nr_cpus);
	if (ret)
		mh_fail("cpufeat init: %d", ret);
	describe_gic();
	mh_gic_dist_init(&gic);
	cpu_common_init(0);
	start_secondaries();
	ret = hyp_cpufeat_finalize(NULL, 0, NULL);
	if (ret)
		mh_fail("cpufeat finalize: %d (CPUs disagree on a feature)", ret);
	if (gic.version == 3 && !hyp_cpu_has(HYP_CAP_GICV3))
		mh_fail("a GICv3 without the CPUs' system-register interface");
	ret = gic.version == 3 ? hyp_vgic_hw_init_v3(&vms[0].vgic_hw)
			       : hyp_vgic_hw_init_v2(&vms[0].vgic_hw, gic.hyp, 0);
	if (ret)
		mh_fail("virtual GIC interface: %d", ret);
	cpu_late_init(0);

	cfg = (struct mh_config){
	    .eager = cmdline.eager,
	    .fast_path = !cmdline.no_fast_path,
	    .stats = cmdline.stats,   /* issue 15: stats.c */
	    .policy = cmdline.policy, /* issue 15 item 6 (helper M) */
	};
	mh_sched_init(host.nr_cpus,
		      (cmdline.slice_us ? cmdline.slice_us : MINIHYP_SLICE_US_DEFAULT) *
			  hyp_read_sysreg(HYP_SYS_CNTFRQ_EL0) / 1000000u,
		      &gic);
	mh_sched_set_wake_grace((cmdline.has_wake_grace ? cmdline.wake_grace_us : MH_WAKE_GRACE_US_DEFAULT) * hyp_read_sysreg(HYP_SYS_CNTFRQ_EL0) / 1000000u);
	for (unsigned int i = 0; i < MH_MAX_VMS; i++) {
		struct hyp_fdt_guest *gd = &guest_dts[i];
		struct mh_vm *vm = &vms[i];

		if (!(vm_mask & (1u << i)))
			continue;
		vm->index = i;
		if (nr_vms > 1)
			hyp_rt_snprintf(vm->prefix, sizeof(vm->prefix), "vm%u: ", i);
		vm->vgic_hw = vms[0].vgic_hw;
		guest_stage2(vm, gd, cmdline.vm[i].guest);
		mh_seed_guest_dt(gd, dtb); /* issue 15 item 5: rng-seed, kaslr-seed */
		ret = hyp_fdt_guest_build(gd, (void *)(uintptr_t)gd->dtb_addr,
					  MINIHYP_GUEST_DTB_MAX, &err);
		if (ret < 0)
			mh_fail("%sguest DTB: %s", vm->prefix, err.msg);
		hyp_dcache_clean_inval_poc(gd->dtb_addr, (uint64_t)ret, 6);
		g = (struct mh_guest){
		    .entry = cmdline.vm[i].guest.base,
		    .dtb = gd->dtb_addr,
		    .dt = gd,
		};
		vm->mdcr_el2 = hyp_read_sysreg(HYP_SYS_MDCR_EL2);
		ret = mh_vm_init(vm, &cfg, &g, &gic);
		if (ret)
			mh_fail("%sVM setup: %d", vm->prefix, ret);
		/* The passthrough devices' interrupts forwarded to the VM that
		 * owns them (forward.c); the PL011's to the VM that owns it
		 * (minihyp.console, VM 0 by default; issue 15 item 3). */
		if (mh_forward_from_dt(vm, dtb, gd,
				       i == cmdline.console && gd->has_uart ? gd->uart_irq.intid : 0,
				       gd->uart_irq.flags))
			mh_exit(MH_EXIT_FAILURE);
		mh_printf("minihyp: %sGICv%u, %u CPU(s), guest %#llx (%#llx bytes), RAM "
			  "%#llx,%#llx, DTB %#llx, %u vCPU(s), %s%s, policy %s\n",
			  vm->prefix, gic.version, host.nr_cpus,
			  (unsigned long long)cmdline.vm[i].guest.base,
			  (unsigned long long)cmdline.vm[i].guest.size,
			  (unsigned long long)gd->mem.base, (unsigned long long)gd->mem.size,
			  (unsigned long long)gd->dtb_addr, gd->nr_vcpus,
			  cfg.eager ? "eager" : "default policies",
			  cfg.fast_path && !cfg.eager ? ", fast path" : ", no fast path",
			  mh_policy_name(&cfg));
		mh_sched_add_vm(vm);
	}
	if (mh_forward_start(&gic))
		mh_exit(MH_EXIT_FAILURE);
	mh_on_vcpu_loaded = forward_follow;
	vms_left = nr_vms;
	/* Each VM's boot vCPU on its own CPU where there are enough. */
	for (unsigned int i = 0, k = 0; i < MH_MAX_VMS; i++)
		if (vm_mask & (1u << i))
			mh_sched_boot(&vms[i].vcpu[0], k++ % host.nr_cpus);
	if (nr_vms > 1)
		mh_printf("minihyp: %u VMs, time slice %u us\n", nr_vms,
			  cmdline.slice_us ? cmdline.slice_us : MINIHYP_SLICE_US_DEFAULT);
	__atomic_store_n(&boot_done, 1u, __ATOMIC_RELEASE);
	__asm__ volatile("dsb ish; sev" ::: "memory");
	run_cpu(0);
}
