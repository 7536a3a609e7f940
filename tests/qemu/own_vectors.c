/* SPDX-License-Identifier: MIT */
/*
 * An integrator with its own EL2 vector table reuses libhyp's world-switch
 * core (libhyp/switch_core.h): its lower-EL slots branch to
 * hyp_switch_guest_*_entry, its current-EL slots are its own
 * (own_vectors.S). A guest makes a hypercall the fast path answers, an MMIO
 * read and write the run loop emulates, and reports; an EL2 fault is
 * handled by the integrator's own code, not libhyp's.
 */
#include <libhyp/error.h>
#include <libhyp/switch.h>
#include <libhyp/switch_core.h>

#include "switch_util.h"
#include "testlib.h"

extern const uint32_t own_vectors[], g_own[];
extern volatile uint64_t own_el2_log[3];

static struct hyp_fast_table table;
static struct hyp_vcpu vcpu;
static const struct hyp_smccc smccc; /* PSCI defaults */


static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Stage 2, 1 GiB blocks, IPA = PA: devices, RAM; 0x80000000 a hole (the
 * emulated device). Descriptor bits: Arm ARM D8.3 (block 0b01, AF bit 10,
 * SH [9:8], S2AP [7:6], MemAttr [5:2]). */
static uint64_t s2_l1[512] __attribute__((aligned(4096)));

static void stage2_enable(void)
{
	s2_l1[0] = 0x00000000 | 0x1 | (1ull << 10) | (3ull << 6) | (0x1ull << 2);
	s2_l1[1] = 0x40000000 | 0x1 | (1ull << 10) | (3ull << 8) | (3ull << 6) | (0xfull << 2);
	/* VTCR_EL2 (D24.2.200): T0SZ 32, SL0 1, IRGN0/ORGN0 WB, SH0 inner,
	 * TG0 4K, PS 32 bits, bit 31 RES1. */
	hyp_write_sysreg(HYP_SYS_VTCR_EL2,
			 32 | (1u << 6) | (1u << 8) | (1u << 10) | (3u << 12) | (1u << 31));
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, addr(s2_l1) | (1ull << 48));
	hyp_dsb(ISHST);
	hyp_isb();
	hyp_tlbi_vmalls12e1is();
	hyp_dsb(ISH);
	hyp_isb();
}

void test_main(void)
{
	bool vhe = sw_host_setup();
	unsigned mmio_reads = 0, mmio_writes = 0, exits = 0;
	uint64_t written = 0;
	struct hyp_mmio m;

	/* the integrator's own table replaces libhyp's */
	hyp_write_sysreg(HYP_SYS_VBAR_EL2, addr(own_vectors));
	hyp_isb();
	test_puts("own vectors installed\n");

	hyp_fast_table_init(&table);
	test_check("smccc register", (uint64_t)hyp_smccc_register(&table, &smccc), HYP_OK);
	stage2_enable();
	test_check("vcpu init", (uint64_t)hyp_vcpu_init(&vcpu, sw_guest_hcr(vhe, HYP_HCR_VM), &table),
	      HYP_OK);
	vcpu.regs.pc = addr(g_own);
	for (;;) {
		hyp_vcpu_run(&vcpu);
		exits++;
		if (vcpu.exit.kind != HYP_EXIT_SYNC || hyp_esr_ec(vcpu.exit.esr) != HYP_EC_DABT_LOW)
			break;
		test_check("mmio decode", (uint64_t)hyp_mmio_decode(&vcpu, &m), HYP_OK);
		if (m.write) {
			mmio_writes++;
			written = m.data;
			test_check("mmio write ipa", m.ipa, 0x80000020);
			hyp_mmio_complete(&vcpu, &m, 0);
		} else {
			mmio_reads++;
			test_check("mmio read ipa", m.ipa, 0x80000010);
			hyp_mmio_complete(&vcpu, &m, 0xabcd1234);
		}
	}
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, 0);
	test_check("exit: HVC #1", vcpu.exit.kind == HYP_EXIT_SYNC &&
				      hyp_esr_ec(vcpu.exit.esr) == HYP_EC_HVC64 &&
				      hyp_esr_imm16(vcpu.exit.esr) == 1,
	      1);
	/* PSCI_VERSION answered on the fast path inside the switch core: 1.1
	 * (DEN0022, PSCI_VERSION: major [30:16], minor [15:0]) */
	test_check("fast-path hypercall answered", vcpu.regs.x[19], 0x10001);
	test_check("mmio read completed", vcpu.regs.x[3], 0xabcd1234);
	test_check("mmio write data", written, 0x77);
	test_check("mmio reads", mmio_reads, 1);
	test_check("mmio writes", mmio_writes, 1);
	test_check("callee-saved x20 kept", vcpu.regs.x[20], 0x2020);
	test_check("run-loop exits: read, write, report", exits, 3);
	if (!test_failures)
		test_puts("own vectors: guest hypercall and mmio ok\n");

	/* an EL2 fault goes to the integrator's handler: BRK #0x42, ESR_EL2
	 * EC 0x3c (BRK), IL 1, ISS the immediate (Arm ARM D24.2.40) */
	__asm__ volatile("brk #0x42" ::: "memory");
	test_check("own EL2 fault: count", own_el2_log[2], 1);
	test_check("own EL2 fault: ESR", own_el2_log[0], (0x3cull << 26) | (1u << 25) | 0x42);
	if (!test_failures)
		test_puts("own vectors: el2 fault handled by the integrator\n");
	if (test_failures)
		test_print_reg("FAIL: test_failures", test_failures);
	else
		test_puts("own vectors done\n");
}
