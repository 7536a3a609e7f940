/* SPDX-License-Identifier: MIT */
/*
 * A hypervisor that links libhyp as an integrator would: public headers
 * only, its own start (libhyp-rt's boot stub) and linker script. On QEMU
 * virt (GICv3, -cpu max or cortex-a57) it probes the CPU (cpufeat), builds
 * stage-2 tables from libhyp-rt's page pool (stage2), gives its guest a
 * sysreg context (sysreg), a virtual GIC (vgic) and runs it (switch). The
 * guest (guest.S) makes a hypercall, takes a stage-2 translation fault the
 * hypervisor answers by mapping the page, and receives a virtual
 * interrupt; then the image powers off (PSCI SYSTEM_OFF). The runner
 * checks the lines printed here; the guest cannot print (stage 2 does not
 * map the UART). Built with libhyp-fdt (CONSUMER_FDT), it then reads QEMU's
 * DTB with hyp_fdt_host_parse().
 */
#include <stdbool.h>
#include <stdint.h>

#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/esr.h>
#include <libhyp/hw.h>
#include <libhyp/stage2.h>
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>
#include <libhyp/vgic.h>
#include <libhyp-rt/rt.h>
#ifdef CONSUMER_FDT
#include <libhyp/el2_pgtable.h>
#include <libhyp-fdt/host.h>
#endif

#ifndef CONSUMER_NAME
#define CONSUMER_NAME "consumer"
#endif
#define P CONSUMER_NAME ": "

#ifdef CONSUMER_CXX
/* cxx_check.cpp: a C++ translation unit that includes every header. */
unsigned consumer_cxx_check(void);
#endif

/* QEMU virt's PL011. */
#define UART	     0x09000000ul
#define UART_FR	     0x18
#define UART_FR_TXFF (1u << 5)

/* The IPA the guest reads before it is mapped, and what it finds there. */
#define FAULT_IPA 0x50000000ul
#define MAGIC	  0x600dcafe5eed1234ull
/* The guest's (emulated) distributor and redistributor: IPAs left unmapped. */
#define VGICD_IPA 0x80000000ul
#define VGICR_IPA 0x800a0000ul
#define SPI	  40

extern const uint32_t guest_entry[], guest_vectors[];
extern char __guest_start[], __guest_end[];

static unsigned failures;
/* Set by CPU 1 (hyp_rt_secondary_main): its index, its stack's check. */
static volatile uint64_t secondary_seen;
extern char __hyp_rt_stack_top[], hyp_rt_secondary_start[];
static uint64_t fault_page[512] __attribute__((aligned(4096)));
static uint8_t pool_pages[16][4096] __attribute__((aligned(65536)));
static uint64_t pool_map[HYP_RT_POOL_MAP_WORDS(16)];
static struct hyp_rt_pool pool;
static struct hyp_cpufeat_cpu feat_cpus[1];
static struct hyp_pgtable s2;
static struct hyp_sysreg_vm sr_vm;
static struct hyp_sysreg_vcpu sr_vcpu;
static struct hyp_vcpu vcpu;
static struct hyp_vgic_hw gic_hw;
static struct hyp_vgic vgic;
static struct hyp_vgic_vcpu gic_vcpu[1];
static struct hyp_vgic_irq spis[32];

static void put(const char *s)
{
	for (; *s; s++) {
		while (hyp_mmio_read32(UART + UART_FR) & UART_FR_TXFF)
			;
		hyp_mmio_write32(UART, (uint8_t)*s);
	}
}

static void put_hex(uint64_t v)
{
	char b[19] = "0x";

	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	b[18] = 0;
	put(b);
}

static void check(const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		return;
	failures++;
	put(P "FAIL: ");
	put(what);
	put(": got ");
	put_hex(got);
	put(", want ");
	put_hex(want);
	put("\n");
}

/* PSCI CPU_ON (PSCI 1.1, DEN0022, 5.1.4: function 0xC4000003, target
 * MPIDR, entry point, context ID) through SMC (libhyp-rt). */
static int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	return (int64_t)hyp_rt_smc(0xc4000003, mpidr, entry, context);
}

/* CPU 1, started by the boot stub's secondary entry: it runs on its own
 * stack (the second one below __hyp_rt_stack_top) with TPIDR_EL2 = 1. */
void hyp_rt_secondary_main(uint64_t cpu)
{
	uintptr_t top = (uintptr_t)__hyp_rt_stack_top - cpu * 0x8000, sp = (uintptr_t)&top;
	bool own_stack = sp < top && sp >= top - 0x8000;

	secondary_seen =
	    cpu | (hyp_read_sysreg(HYP_SYS_TPIDR_EL2) == cpu ? 0x100 : 0) | (own_stack ? 0x200 : 0);
	/* returns: the stub turns the CPU off (PSCI CPU_OFF) */
}

static void start_secondary(void)
{
	check("PSCI CPU_ON", (uint64_t)psci_cpu_on(1, (uintptr_t)hyp_rt_secondary_start, 1), 0);
	for (unsigned n = 0; n < 1u << 24 && !secondary_seen; n++)
		;
	check("CPU 1: index, TPIDR_EL2, stack", secondary_seen, 0x301);
	if (secondary_seen == 0x301)
		put(P "secondary cpu ok\n");
}

/* An exception at EL2 before libhyp's vectors are installed (boot stub). */
void hyp_rt_fault(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	put(P "FAIL: EL2 exception, vector ");
	put_hex(vector);
	put(" ESR ");
	put_hex(esr);
	put(" ELR ");
	put_hex(elr);
	put(" FAR ");
	put_hex(far);
	put("\n");
	hyp_rt_system_off();
}

/* An exception at EL2 after (libhyp's vectors): a bug of this image. */
void hyp_switch_el2_fault(struct hyp_el2_fault *f)
{
	hyp_rt_fault(f->vector, f->esr, f->elr, f->far);
}

static void setup_stage2(void)
{
	struct hyp_pgtable_cfg cfg;
	uint64_t code = (uintptr_t)__guest_start;

	check("hyp_pgtable_cfg_from_cpufeat", (uint64_t)hyp_pgtable_cfg_from_cpufeat(&cfg, 32), HYP_OK);
	check("pool",
	      (uint64_t)hyp_rt_pool_init(&pool, pool_pages, sizeof(pool_pages), pool_map,
					 HYP_RT_POOL_MAP_WORDS(16)),
	      HYP_OK);
	check("hyp_s2_init", (uint64_t)hyp_s2_init(&s2, &cfg, &hyp_rt_pool_ops, &pool, 1), HYP_OK);
	/* The guest's code page only; FAULT_IPA stays unmapped until used. */
	check("map guest code",
	      (uint64_t)hyp_s2_map(&s2, code, (uintptr_t)__guest_end - code, code, HYP_PROT_RX, 0),
	      HYP_OK);
	check("hyp_s2_load", (uint64_t)hyp_s2_load(&s2), HYP_OK);
}

static void setup_vgic(void)
{
	const struct hyp_vgic_config cfg = {
	    .model = HYP_VGIC_MODEL_V3,
	    .hw = &gic_hw,
	    .vcpus = gic_vcpu,
	    .nr_vcpus = 1,
	    .spis = spis,
	    .nr_spis = 32,
	    .dist_base = VGICD_IPA,
	    .redist_base = VGICR_IPA,
	};
	uint64_t v;

	check("hyp_vgic_hw_init_v3", (uint64_t)hyp_vgic_hw_init_v3(&gic_hw), HYP_OK);
	check("hyp_vgic_cpu_init", (uint64_t)hyp_vgic_cpu_init(&gic_hw), HYP_OK);
	check("hyp_vgic_init", (uint64_t)hyp_vgic_init(&vgic, &cfg), HYP_OK);
	/* What the guest's GIC driver would do (GICv3 IHI 0069 12.9): the
	 * distributor on (GICD_CTLR EnableGrp0 | EnableGrp1), the SPI enabled
	 * (GICD_ISENABLER1), its priority (GICD_IPRIORITYR) and route to
	 * vCPU 0 (GICD_IROUTER). */
	v = 3;
	hyp_vgic_dist_access(&vgic, &gic_vcpu[0], 0x0, 4, true, &v);
	v = 1u << (SPI % 32);
	hyp_vgic_dist_access(&vgic, &gic_vcpu[0], 0x100 + SPI / 32 * 4, 4, true, &v);
	v = 0xa0;
	hyp_vgic_dist_access(&vgic, &gic_vcpu[0], 0x400 + SPI, 1, true, &v);
	v = 0;
	hyp_vgic_dist_access(&vgic, &gic_vcpu[0], 0x6000 + 8 * SPI, 8, true, &v);
}

/* A stage-2 translation fault at FAULT_IPA: map the page, retry the load. */
static bool stage2_fault(void)
{
	uint64_t ipa;

	if ((hyp_esr_abt_fsc(vcpu.exit.esr) & 0x3cu) != HYP_FSC_TRANSLATION ||
	    hyp_vcpu_fault_ipa(&vcpu, &ipa) != 0 || (ipa & ~0xfffull) != FAULT_IPA)
		return false;
	fault_page[0] = MAGIC;
	/* The guest may read through a cacheable alias (FWB). */
	hyp_dcache_clean_inval_poc((uintptr_t)fault_page, sizeof(fault_page), 6);
	check("map at the fault",
	      (uint64_t)hyp_s2_map(&s2, FAULT_IPA, 4096, (uintptr_t)fault_page, HYP_PROT_R, 0),
	      HYP_OK);
	put(P "stage-2 fault at ");
	put_hex(ipa);
	put(", mapped\n");
	return true;
}

/* The run loop; returns when the guest says it is done (or misbehaves). */
static void run_guest(void)
{
	unsigned seen = 0;

	for (unsigned n = 0; n < 64; n++) {
		unsigned ec;

		hyp_vgic_restore(&gic_vcpu[0]);
		hyp_vcpu_run(&vcpu);
		hyp_vgic_save(&gic_vcpu[0]);
		if (vcpu.exit.kind != HYP_EXIT_SYNC) {
			check("exit kind", vcpu.exit.kind, HYP_EXIT_SYNC);
			return;
		}
		ec = hyp_esr_ec(vcpu.exit.esr);
		if (ec == HYP_EC_DABT_LOW && stage2_fault())
			continue;
		if (ec != HYP_EC_HVC64) {
			check("guest exit ESR_EL2", vcpu.exit.esr, 0);
			return;
		}
		switch (hyp_esr_imm16(vcpu.exit.esr)) {
		case 1:
			check("hypercall argument", vcpu.regs.x[0], 0x1234);
			vcpu.regs.x[0] = 0;
			put(P "hypercall ok\n");
			seen |= 1;
			break;
		case 2:
			check("value the guest read after the fault", vcpu.regs.x[0], MAGIC);
			put(P "stage-2 fault ok\n");
			seen |= 2;
			/* Now the interrupt: in an LR at the next entry. */
			check("hyp_vgic_irq_raise", (uint64_t)hyp_vgic_irq_raise(&vgic, NULL, SPI),
			      HYP_OK);
			break;
		case 3:
			check("INTID the guest acknowledged", vcpu.regs.x[0], SPI);
			put(P "virtual interrupt ok\n");
			seen |= 4;
			break;
		case 4:
			check("guest steps", seen, 7);
			return;
		default:
			check("guest HVC", hyp_esr_imm16(vcpu.exit.esr), 4);
			check("guest vector offset", vcpu.regs.x[0], 0);
			return;
		}
	}
	check("guest finished", 0, 1);
}

#ifdef CONSUMER_FDT
static uint8_t el2_pages[8][4096] __attribute__((aligned(32768)));
static uint64_t el2_map_bits[HYP_RT_POOL_MAP_WORDS(8)];
static struct hyp_rt_pool el2_pool;
static struct hyp_pgtable el2;
static struct hyp_fdt_host fdt_host;

/*
 * libhyp-fdt on QEMU's DTB. A Linux-built libfdt uses FP/SIMD registers and
 * unaligned loads: FP untrapped and the EL2 MMU on (Normal memory) first.
 * Done last, once the guest is finished (its state no longer matters).
 */
static void fdt_check(uintptr_t dtb, bool vhe)
{
	const struct hyp_pgtable_cfg cfg = {
	    .pa_bits = 40, .ia_bits = 40, .granule_shift = 12, .dline_shift = 6, .iline_shift = 6};
	struct hyp_fdt_err err = {0, {0}};
	uint64_t cptr = hyp_read_sysreg(HYP_SYS_CPTR_EL2);

	/* CPTR_EL2: E2H = 1, FPEN = 0b11; E2H = 0, TFP = 0 (libhyp/ctrlregs.h). */
	hyp_write_sysreg(HYP_SYS_CPTR_EL2, vhe ? cptr | HYP_CPTR_E2H_FPEN : cptr & ~HYP_CPTR_TFP);
	/* SCTLR_EL2.A = 0: no alignment fault. */
	hyp_write_sysreg(HYP_SYS_SCTLR_EL2, hyp_read_sysreg(HYP_SYS_SCTLR_EL2) & ~HYP_SCTLR_A);
	hyp_isb();
	check("el2 pool", (uint64_t)hyp_rt_pool_init(&el2_pool, el2_pages, sizeof(el2_pages),
						     el2_map_bits, HYP_RT_POOL_MAP_WORDS(8)),
	      HYP_OK);
	/* the regime follows the recorded EL2 mode (hyp_cpufeat_set_el2_mode()) */
	check("hyp_el2_init", (uint64_t)hyp_el2_init(&el2, &cfg, &hyp_rt_pool_ops, &el2_pool, 0),
	      HYP_OK);
	/* QEMU virt: devices below 1 GiB, RAM (256 MiB here) from 1 GiB. */
	check("el2 devices", (uint64_t)hyp_el2_map(&el2, 0, 0x40000000, 0,
						   HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE),
	      HYP_OK);
	check("el2 RAM", (uint64_t)hyp_el2_map(&el2, 0x40000000, 0x10000000, 0x40000000,
					       HYP_PROT_RWX),
	      HYP_OK);
	if (failures)
		return;
	hyp_el2_mmu_enable(&el2);
	/* x0 is 0 for an ELF -kernel: QEMU's DTB is then at the start of RAM. */
	if (!dtb)
		dtb = 0x40000000;
	check("hyp_fdt_host_parse", (uint64_t)hyp_fdt_host_parse((const void *)dtb, 0x100000,
								 &fdt_host, &err),
	      HYP_OK);
	if (err.code) {
		put(P "fdt error: ");
		put(err.msg);
		put("\n");
	}
	/* QEMU virt (hw/arm/virt.c memory map): GICD at 0x08000000, RAM at
	 * 0x40000000; run.py gives -smp 2, -m 256M, gic-version=3. */
	check("fdt cpus", fdt_host.nr_cpus, 2);
	check("fdt gic version", fdt_host.gic.version, 3);
	check("fdt GICD", fdt_host.gic.dist.base, 0x08000000);
	check("fdt RAM", fdt_host.mem[0].base, 0x40000000);
	check("fdt RAM size", fdt_host.mem[0].size, 256ull << 20);
	check("fdt PSCI over SMC", fdt_host.psci, HYP_FDT_PSCI_SMC);
	if (!failures)
		put(P "fdt ok\n");
}
#endif

void hyp_rt_main(uintptr_t dtb)
{
	bool vhe;

	(void)dtb;
	put(P "start\n");
	/* cpufeat: ICC_SRE_EL2.SRE and .Enable first (the ICH_* registers). */
	hyp_write_sysreg(HYP_SYS_ICC_SRE_EL2, hyp_read_sysreg(HYP_SYS_ICC_SRE_EL2) |
						  HYP_ICC_SRE_SRE | HYP_ICC_SRE_ENABLE);
	hyp_isb();
	check("hyp_cpufeat_init", (uint64_t)hyp_cpufeat_init(feat_cpus, 1), HYP_OK);
	check("hyp_cpufeat_probe_cpu", (uint64_t)hyp_cpufeat_probe_cpu(0), HYP_OK);
	check("hyp_cpufeat_finalize", (uint64_t)hyp_cpufeat_finalize(NULL, 0, NULL), HYP_OK);
	check("GICv3", hyp_cpu_has(HYP_CAP_GICV3), 1);
	check("4K stage 2", hyp_cpu_has(HYP_CAP_S2_4K), 1);
	vhe = hyp_cpu_has(HYP_CAP_VHE);
	put(vhe ? P "host: VHE\n" : P "host: nVHE\n");
	start_secondary();

	/* The host: E2H chosen with the MMU off, libhyp's vectors. */
	hyp_write_sysreg(HYP_SYS_HCR_EL2, HYP_HCR_RW | (vhe ? HYP_HCR_E2H : 0));
	hyp_isb();
	/* Recorded once: every libhyp API takes the EL2 mode from here. */
	check("hyp_cpufeat_set_el2_mode", (uint64_t)hyp_cpufeat_set_el2_mode(vhe), HYP_OK);
	hyp_write_sysreg(HYP_SYS_VBAR_EL2, (uint64_t)(uintptr_t)hyp_switch_vectors);
	hyp_isb();

	setup_stage2();
	setup_vgic();

	/* sysreg: every EL1 register of the guest switched at load/put. */
	const struct hyp_sysreg_vm_config sr_cfg = {.default_policy = HYP_SYSREG_DEFERRED};
	check("hyp_sysreg_vm_init", (uint64_t)hyp_sysreg_vm_init(&sr_vm, &sr_cfg, NULL), HYP_OK);
	check("hyp_sysreg_vcpu_init", (uint64_t)hyp_sysreg_vcpu_init(&sr_vcpu, &sr_vm), HYP_OK);
	sr_vcpu.regs[HYP_REG_SCTLR_EL1] = 0x30d00800; /* RES1 bits, MMU off (Arm ARM, SCTLR_EL1) */
	sr_vcpu.regs[HYP_REG_VBAR_EL1] = (uint64_t)(uintptr_t)guest_vectors;

	/* switch: AArch64 EL1, stage 2 on, interrupts to EL2, SMC trapped. */
	check("hyp_vcpu_init",
	      (uint64_t)hyp_vcpu_init(&vcpu,
				      HYP_HCR_RW | HYP_HCR_VM | HYP_HCR_IMO | HYP_HCR_FMO |
					  HYP_HCR_AMO | HYP_HCR_TSC,
				      NULL),
	      HYP_OK);
	check("hyp_vcpu_use_sysreg", (uint64_t)hyp_vcpu_use_sysreg(&vcpu, &sr_vcpu), HYP_OK);
	vcpu.regs.pc = (uint64_t)(uintptr_t)guest_entry;

	if (!failures) {
		check("hyp_sysreg_load", (uint64_t)hyp_sysreg_load(&sr_vcpu), HYP_OK);
		hyp_vgic_load(&gic_vcpu[0]);
		run_guest();
		hyp_vgic_put(&gic_vcpu[0]);
		check("hyp_sysreg_put", (uint64_t)hyp_sysreg_put(&sr_vcpu), HYP_OK);
		check("guest VBAR_EL1 saved at put", sr_vcpu.regs[HYP_REG_VBAR_EL1],
		      (uint64_t)(uintptr_t)guest_vectors);
	}
#ifdef CONSUMER_FDT
	fdt_check(dtb, vhe);
#endif
#ifdef CONSUMER_CXX
	check("C++ translation unit", consumer_cxx_check(), 0);
	if (!failures)
		put(P "c++ ok\n");
#endif
	put(failures ? P "FAIL\n" : P "all ok\n");
	/* PSCI SYSTEM_OFF: the runner checks the lines above and QEMU's exit. */
}
