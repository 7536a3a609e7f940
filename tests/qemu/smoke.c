/* SPDX-License-Identifier: MIT */
/* The aarch64 backend on a real (emulated) CPU: register reads and writes
 * through MRS/MSR built from encodings, barriers, TLBIs, cache maintenance,
 * PTE atomics and MMIO (the console), at EL2. run-qemu.py checks the
 * output against what QEMU's virt machine is known to have. */
#include <libhyp/hw.h>

#include "testlib.h"

static volatile uint64_t pte;
static uint8_t buf[256] __attribute__((aligned(64)));

void test_main(void)
{
	uint64_t el = hyp_read_sysreg(HYP_SYS_CurrentEL) >> 2 & 3;
	uint64_t v;

	test_puts("libhyp smoke test\n");
	test_print_reg("CurrentEL", el);
	if (el != 2) {
		test_puts("FAIL: not at EL2\n");
		return;
	}
	test_print_reg("MIDR_EL1", hyp_read_sysreg(HYP_SYS_MIDR_EL1));
	test_print_reg("MPIDR_EL1", hyp_read_sysreg(HYP_SYS_MPIDR_EL1));
	test_print_reg("ID_AA64PFR0_EL1", hyp_read_sysreg(HYP_SYS_ID_AA64PFR0_EL1));
	v = hyp_read_sysreg(HYP_SYS_ID_AA64MMFR1_EL1);
	test_print_reg("ID_AA64MMFR1_EL1", v);
	test_print_reg("VH", HYP_IDF_GET(ID_AA64MMFR1_EL1, VH, v));
	test_print_reg("CTR_EL0", hyp_read_sysreg(HYP_SYS_CTR_EL0));
	test_print_reg("CNTFRQ_EL0", hyp_read_sysreg(HYP_SYS_CNTFRQ_EL0));

	/* A write through MSR-from-encoding, read back through MRS. */
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, 0x0005000040300000ull);
	hyp_isb();
	test_print_reg("VTTBR_EL2", hyp_read_sysreg(HYP_SYS_VTTBR_EL2));
	hyp_write_sysreg(HYP_SYS_TPIDR_EL2, 0x1234);
	test_print_reg("TPIDR_EL2", hyp_read_sysreg(HYP_SYS_TPIDR_EL2));

	/* GICv3 system-register interface: enable it at EL2, then read the
	 * virtual-interface type (list registers, priority bits). */
	if (HYP_IDF_GET(ID_AA64PFR0_EL1, GIC, hyp_read_sysreg(HYP_SYS_ID_AA64PFR0_EL1))) {
		hyp_write_sysreg(HYP_SYS_ICC_SRE_EL2, hyp_read_sysreg(HYP_SYS_ICC_SRE_EL2) | 0x9);
		hyp_isb();
		test_print_reg("ICH_VTR_EL2", hyp_read_sysreg(HYP_SYS_ICH_VTR_EL2));
	}

	/* Maintenance operations: they must execute at EL2 without a fault. */
	hyp_dsb(ISHST);
	hyp_tlbi_ipas2e1is(0x40000000, HYP_TTL_4K(3));
	hyp_tlbi_vmalls12e1is();
	hyp_tlbi_vmalle1is();
	hyp_tlbi_alle1is();
	hyp_tlbi_vae2is(0x40200000, 0);
	hyp_tlbi_alle2is();
	hyp_dsb(ISH);
	hyp_isb();
	hyp_dcache_clean_inval_poc((uintptr_t)buf, sizeof(buf), 6);
	hyp_icache_inval_pou((uintptr_t)buf, sizeof(buf), 6);
	hyp_icache_inval_all();
	hyp_dmb(ISH);
	test_puts("maintenance ok\n");

	hyp_pte_write(&pte, 0x40000703);
	v = hyp_pte_cas(&pte, 0x40000703, 0);
	if (v == 0x40000703 && hyp_pte_load_acquire(&pte) == 0 &&
	    hyp_pte_cas(&pte, 1, 2) == 0 && hyp_pte_read(&pte) == 0) {
		hyp_pte_store_release(&pte, 7);
		if (hyp_pte_read(&pte) == 7)
			test_puts("pte atomics ok\n");
	}
	test_puts("smoke done\n");
}
