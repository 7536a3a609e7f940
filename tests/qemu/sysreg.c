/* SPDX-License-Identifier: MIT */
/*
 * The sysreg engine with a real EL1 guest (issue 4, QEMU test): the guest
 * writes TVM-group registers (CONTEXTIDR_EL1, TTBR0_EL1, MAIR_EL1, TCR_EL1)
 * under DIRTY, DEFERRED and IMMEDIATE. Under DIRTY the first write traps
 * once and later writes do not; under all three the values survive a put,
 * another vCPU clobbering the registers, and a load back, and the guest
 * reads the same values. Runs on -cpu max (VHE, EL12 aliases) and
 * -cpu cortex-a57 (nVHE).
 */
#include <libhyp/cpufeat.h>
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>

#include "switch_util.h"
#include "testlib.h"

extern const uint32_t g_writer[], g_clobber[], g_vectors[], g_actlr[];

static struct hyp_cpufeat_cpu cpus[1];
static struct hyp_fast_table table;
static struct hyp_sysreg_vm vm;
static struct hyp_sysreg_vcpu sr_a, sr_b;
static struct hyp_vcpu va, vb;
static unsigned failures;
static bool vhe;

static void check(const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		return;
	failures++;
	test_puts("FAIL: ");
	test_puts(what);
	test_print_reg(": got", got);
	test_print_reg("  want", want);
}

static void run_to_report(struct hyp_vcpu *v, struct hyp_sysreg_vcpu *sr)
{
	hyp_sysreg_load(sr);
	hyp_vcpu_run(v);
	hyp_sysreg_put(sr);
	if (v->exit.kind == HYP_EXIT_SYNC && hyp_esr_ec(v->exit.esr) == HYP_EC_HVC64 &&
	    hyp_esr_imm16(v->exit.esr) == 1)
		return;
	failures++;
	test_print_reg("FAIL: unexpected exit, ESR_EL2", v->exit.esr);
	test_print_reg("x0", v->regs.x[0]);
}

static void setup(struct hyp_vcpu *v, struct hyp_sysreg_vcpu *sr, const uint32_t *pc)
{
	hyp_sysreg_vcpu_init(sr, &vm);
	sr->regs[HYP_REG_SCTLR_EL1] = 0x30d00800; /* RES1 bits, MMU off */
	sr->regs[HYP_REG_VBAR_EL1] = (uint64_t)(uintptr_t)g_vectors;
	hyp_vcpu_init(v, sw_guest_hcr(vhe, 0), &table);
	check("hyp_vcpu_use_sysreg", (uint64_t)hyp_vcpu_use_sysreg(v, sr), 0);
	v->regs.pc = (uint64_t)(uintptr_t)pc;
}

static void one_policy(enum hyp_sysreg_policy p)
{
	const struct hyp_sysreg_policy_req req[] = {
		{ HYP_REG_CONTEXTIDR_EL1, (uint8_t)p },
		{ HYP_REG_TTBR0_EL1, (uint8_t)p },
		{ HYP_REG_MAIR_EL1, (uint8_t)p },
		{ HYP_REG_TCR_EL1, (uint8_t)p },
	};
	struct hyp_sysreg_vm_config c = {
		.e2h = vhe, .default_policy = HYP_SYSREG_DEFERRED, .req = req, .nr_req = 4,
	};
	unsigned before = failures;

	check("hyp_sysreg_vm_init", (uint64_t)hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	setup(&va, &sr_a, g_writer);
	setup(&vb, &sr_b, g_clobber);
	va.regs.x[1] = 0x11;
	va.regs.x[2] = 0x40100000;
	va.regs.x[3] = 0x33;
	va.regs.x[4] = 0x44ff04;
	va.regs.x[5] = 0x25b5103510;
	vb.regs.x[1] = 0xdead;

	run_to_report(&va, &sr_a);
	check("traps after round 1", sr_a.traps, p == HYP_SYSREG_DIRTY ? 1 : 0);
	check("saved CONTEXTIDR_EL1", sr_a.regs[HYP_REG_CONTEXTIDR_EL1], 0x33);
	run_to_report(&vb, &sr_b);
	run_to_report(&va, &sr_a);
	check("CONTEXTIDR_EL1", va.regs.x[10], 0x33);
	check("TTBR0_EL1", va.regs.x[11], 0x40100000);
	check("MAIR_EL1", va.regs.x[12], 0x44ff04);
	/* a new load/put cycle: DIRTY traps the first write again, once */
	check("traps after round 2", sr_a.traps, p == HYP_SYSREG_DIRTY ? 2 : 0);
	run_to_report(&vb, &sr_b);
	run_to_report(&va, &sr_a);
	check("TCR_EL1", va.regs.x[13], 0x25b5103510);
	check("traps after round 3", sr_a.traps, p == HYP_SYSREG_DIRTY ? 2 : 0);
	if (failures == before) {
		test_puts("sysreg ");
		test_puts(hyp_sysreg_policy_name(p));
		test_puts(" ok\n");
	}
}

/* ACTLR_EL1 is not switched (with E2H its encoding may reach ACTLR_EL2, Arm
 * ARM D24.2.2): the guest's MRS/MSR trap with HCR_EL2.TACR (bit 21,
 * D24.2.62), reads get the vCPU's value, writes are ignored, and the
 * hardware register is never touched. */
static void actlr(void)
{
	struct hyp_sysreg_vm_config c = { .e2h = vhe, .default_policy = HYP_SYSREG_DEFERRED };
	uint64_t hw_before = hyp_read_sysreg(HYP_SYS_ACTLR_EL1);
	unsigned before = failures;

	check("hyp_sysreg_vm_init", (uint64_t)hyp_sysreg_vm_init(&vm, &c, NULL), 0);
	setup(&va, &sr_a, g_actlr);
	check("HCR_EL2.TACR", va.hcr >> 21 & 1, 1);
	sr_a.regs[HYP_REG_ACTLR_EL1] = 0x5a5a;
	va.regs.x[6] = 0xffff;
	run_to_report(&va, &sr_a);
	check("guest ACTLR_EL1 read", va.regs.x[14], 0x5a5a);
	check("guest ACTLR_EL1 after its write", va.regs.x[15], 0x5a5a);
	check("vCPU ACTLR_EL1", sr_a.regs[HYP_REG_ACTLR_EL1], 0x5a5a);
	check("hardware ACTLR_EL1", hyp_read_sysreg(HYP_SYS_ACTLR_EL1), hw_before);
	if (failures == before)
		test_puts("sysreg ACTLR ok\n");
}

void test_main(void)
{
	vhe = sw_host_setup();
	if (hyp_cpufeat_init(cpus, 1) || hyp_cpufeat_probe_cpu(0) ||
	    hyp_cpufeat_finalize(NULL, 0, NULL)) {
		test_puts("FAIL: cpufeat\n");
		return;
	}
	hyp_fast_table_init(&table);
	hyp_fast_register(&table, HYP_EC_SYS64, hyp_sysreg_fast_trap, NULL);
	one_policy(HYP_SYSREG_DIRTY);
	one_policy(HYP_SYSREG_DEFERRED);
	one_policy(HYP_SYSREG_IMMEDIATE);
	actlr();
	if (!failures)
		test_puts("sysreg done\n");
}
