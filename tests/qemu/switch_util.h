/* SPDX-License-Identifier: MIT */
/* Shared by the switch QEMU images: EL2 host setup, a minimal GICv3 setup
 * for one PPI, decimal output, and guest EL1 register access from EL2. */
#ifndef LIBHYP_TESTS_QEMU_SWITCH_UTIL_H
#define LIBHYP_TESTS_QEMU_SWITCH_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <libhyp/hw.h>
#include <libhyp/switch.h>

/* INTID of the EL1 virtual timer's PPI on QEMU's virt machine. */
#define SW_VTIMER_PPI 27

/* Install libhyp's vectors; enable VHE (HCR_EL2.E2H) if the CPU has it.
 * Returns true for a VHE host. */
bool sw_host_setup(void);
/* The HCR_EL2 value for guests: AArch64 EL1, interrupts routed to EL2, SMC
 * trapped, E2H as the host, plus @extra. */
uint64_t sw_guest_hcr(bool vhe, uint64_t extra);

void sw_gic_enable_ppi(unsigned intid);
/* Disable (@mask) or enable a PPI at the redistributor (the vtimer hook). */
void sw_gic_mask_ppi(unsigned intid, bool mask);
unsigned sw_gic_ack(void);
void sw_gic_eoi(unsigned intid);

void sw_put_dec(uint64_t v);

/* Set to expect one exception at EL2: hyp_switch_el2_fault() records it in
 * sw_el2_expected, sets its X5 to 0x6666 and skips the instruction. */
extern bool sw_el2_expect;
extern struct hyp_el2_fault sw_el2_expected;

/* A guest EL1 register from EL2: the EL12 alias under VHE. */
#define SW_WRITE_EL1(vhe, name, v)                                                                 \
	do {                                                                                       \
		if (vhe)                                                                           \
			hyp_write_sysreg(HYP_SYSREG_E12(HYP_SYS_##name), v);                       \
		else                                                                               \
			hyp_write_sysreg(HYP_SYS_##name, v);                                       \
	} while (0)
#define SW_READ_EL1(vhe, name)                                                                     \
	((vhe) ? hyp_read_sysreg(HYP_SYSREG_E12(HYP_SYS_##name)) : hyp_read_sysreg(HYP_SYS_##name))

#endif
