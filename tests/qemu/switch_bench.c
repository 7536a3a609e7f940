/* SPDX-License-Identifier: MIT */
/*
 * Null-hypercall benchmark (seed 004): a guest runs 2^16 `hvc #0` with
 * x0 = PSCI_VERSION, answered on libhyp's fast path, and reads CNTVCT_EL0
 * around the loop. Run under `-icount shift=0,sleep=off`: one instruction
 * per ns, 16 per counter tick, so instructions per round trip =
 * ticks * 16 / 2^16. The floor is the same guest against a bare ERET.
 */
#include <libhyp/switch.h>

#include "switch_util.h"
#include "testlib.h"

extern const uint32_t bench_guest[], exit_guest[], floor_guest[], floor_vectors[];

static struct hyp_vcpu vcpu;
static struct hyp_fast_table table;
static const struct hyp_smccc smccc; /* PSCI with the defaults */

/* Prints "<name>: <ticks> ticks, <n.nn> instructions per round trip". */
static void report(const char *name, uint64_t ticks, uint64_t iterations)
{
	/* instructions * 100 = ticks * 16 * 100 / iterations */
	uint64_t centi = (ticks * 1600 + iterations / 2) / iterations;

	test_puts(name);
	test_puts(": ");
	sw_put_dec(ticks);
	test_puts(" ticks, ");
	sw_put_dec(centi / 100);
	test_puts(".");
	sw_put_dec(centi % 100 / 10);
	sw_put_dec(centi % 10);
	test_puts(" instructions per round trip\n");
}

void test_main(void)
{
	bool vhe = sw_host_setup();
	int kind;

	hyp_fast_table_init(&table);
	if (hyp_smccc_register(&table, &smccc) ||
	    hyp_vcpu_init(&vcpu, sw_guest_hcr(vhe, 0), &table)) {
		test_puts("FAIL: setup\n");
		return;
	}
	vcpu.regs.pc = (uint64_t)(uintptr_t)bench_guest;
	kind = hyp_vcpu_run(&vcpu);
	if (kind != HYP_EXIT_SYNC || !(vcpu.exit.valid & HYP_EXIT_V_SMCCC) ||
	    vcpu.exit.smccc_fn != HYP_PSCI_SYSTEM_OFF || vcpu.regs.x[19] != 0) {
		test_print_reg("FAIL: unexpected exit", (uint64_t)kind);
		test_print_reg("ESR_EL2", vcpu.exit.esr);
		return;
	}
	report("null-hvc", vcpu.regs.x[21] - vcpu.regs.x[20], 1u << 16);

	/* Through the run loop: the fast path declines HVC #1. */
	hyp_vcpu_init(&vcpu, sw_guest_hcr(vhe, 0), &table);
	vcpu.regs.pc = (uint64_t)(uintptr_t)exit_guest;
	do
		kind = hyp_vcpu_run(&vcpu);
	while (kind == HYP_EXIT_SYNC && hyp_esr_imm16(vcpu.exit.esr) == 1);
	if (vcpu.exit.smccc_fn != HYP_PSCI_SYSTEM_OFF || vcpu.regs.x[19] != 0) {
		test_print_reg("FAIL: run-loop: unexpected exit", (uint64_t)kind);
		return;
	}
	report("run-loop hvc", vcpu.regs.x[21] - vcpu.regs.x[20], 1u << 12);

	/* The floor: a bare ERET at the lower-EL sync vector. */
	sw_gic_enable_ppi(SW_VTIMER_PPI);
	hyp_vcpu_init(&vcpu, sw_guest_hcr(vhe, 0), &table);
	vcpu.regs.pc = (uint64_t)(uintptr_t)floor_guest;
	hyp_write_sysreg(HYP_SYS_VBAR_EL2, (uint64_t)(uintptr_t)floor_vectors);
	hyp_isb();
	kind = hyp_vcpu_run(&vcpu);
	hyp_write_sysreg(HYP_SYS_VBAR_EL2, (uint64_t)(uintptr_t)hyp_switch_vectors);
	hyp_isb();
	SW_WRITE_EL1(vhe, CNTV_CTL_EL0, 0);
	if (kind != HYP_EXIT_IRQ || vcpu.regs.x[19] != 0) {
		test_print_reg("FAIL: floor: unexpected exit", (uint64_t)kind);
		return;
	}
	sw_gic_eoi(sw_gic_ack());
	report("floor (bare eret)", vcpu.regs.x[21] - vcpu.regs.x[20], 1u << 16);
	test_puts("bench done\n");
}
