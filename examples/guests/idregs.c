/* SPDX-License-Identifier: MIT */
/*
 * idregs: what the VM's ID registers say (issue 11, defect 23), and a
 * fault loop. Under minihyp (HCR_EL2.TID3: answered from the VM's view):
 * ID_AA64PFR0_EL1 (Arm ARM D24.2.93) EL2 [11:8] = 0b0000 (no EL2 for the
 * guest), EL1 [7:4] = EL0 [3:0] = 0b0001 (AArch64 only: the AArch32 ID
 * registers read as zero); ID_AA64MMFR0_EL1 (D24.2.88) PARange [3:0] at
 * most the command line's parange=N (2: the 40-bit stage 2);
 * ID_AA64MMFR1_EL1.VH [11:8] = 0. Then faults=N loads from an IPA
 * nothing maps: each must come back as an abort to this guest's own
 * vector (which skips the load), and minihyp's console must stay quiet
 * (its reports are rate-limited; the test counts them).
 */
#include "common.h"

/* Exceptions go to guest_skip_vectors (head.S): ESR_EL1 recorded, counted,
 * the instruction skipped. */

static bool field(const char *name, uint64_t reg, unsigned int shift, uint64_t want, bool at_most)
{
	uint64_t v = reg >> shift & 0xf;
	bool ok = at_most ? v <= want : v == want;

	guest_puts("idregs: ");
	guest_puts(name);
	guest_puts(" ");
	guest_put_dec(v);
	guest_puts(ok ? " ok\n" : " FAIL\n");
	return ok;
}

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t pfr0, mmfr0, mmfr1, n, t0;
	bool ok = true;

	guest_setup(dtb, &dt);
	__asm__ volatile(
	    "mrs %0, id_aa64pfr0_el1; mrs %1, id_aa64mmfr0_el1; mrs %2, id_aa64mmfr1_el1"
	    : "=r"(pfr0), "=r"(mmfr0), "=r"(mmfr1));
	ok &= field("ID_AA64PFR0_EL1.EL2", pfr0, 8, 0, false);
	ok &= field("ID_AA64PFR0_EL1.EL1", pfr0, 4, 1, false);
	ok &= field("ID_AA64PFR0_EL1.EL0", pfr0, 0, 1, false);
	ok &= field("ID_AA64MMFR0_EL1.PARange", mmfr0, 0, guest_arg(&dt, "parange", 2), true);
	ok &= field("ID_AA64MMFR1_EL1.VH", mmfr1, 8, 0, false);

	__asm__ volatile("msr vbar_el1, %0; isb" : : "r"(guest_skip_vectors));
	n = guest_arg(&dt, "faults", 1000);
	t0 = guest_skip_traps;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v;

		/* 0x20000000: PCIe MMIO on QEMU virt, nothing in the guest's stage 2 */
		__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(0x20000000ul) : "memory");
	}
	guest_puts("idregs: ");
	guest_put_dec(guest_skip_traps - t0);
	guest_puts(" of ");
	guest_put_dec(n);
	guest_puts(" faults answered in the guest, ESR_EL1 ");
	guest_put_hex(guest_skip_esr);
	guest_puts("\n");
	/* ESR_EL1.EC 0b100101: a data abort taken without a change of EL */
	ok &= guest_skip_traps - t0 == n && (guest_skip_esr >> 26) == 0x25;
	guest_puts(ok ? "idregs: ok\n" : "idregs: FAIL\n");
	guest_exit(ok ? 0 : 1);
}
