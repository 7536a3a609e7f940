/* SPDX-License-Identifier: MIT */
/*
 * The world switch on a real (emulated) CPU, as an integrator's run loop
 * would use it: EL1 guest stubs (switch_guest.S) hit each path. Runs on
 * -cpu max (VHE host) and -cpu cortex-a57 (nVHE host). The guest's EL1
 * state that a sysreg engine would own (VBAR_EL1, CPACR_EL1) is set here
 * directly.
 */
#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/switch.h>

#include "switch_util.h"
#include "testlib.h"

extern const uint32_t g_frame[];
extern const uint32_t g_fast[], g_sysreg[], g_undef[], g_undef_insn1[], g_undef_insn2[],
    g_el0_insn[], g_mmio[], g_mmio_ldp[], g_vtimer[], g_irqfast[], g_fp[], guest_vectors[], g_perm[], g_serror[],
    g_sea[], g_early[];

#define HVC_REPORT 1
#define HVC_TIMER  2
#define HVC_BAD	   0xbad

static bool vhe;
static struct hyp_fast_table table;
static struct hyp_vcpu vcpu, vcpu_b;


static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static bool is_hvc(const struct hyp_vcpu *v, unsigned imm)
{
	return v->exit.kind == HYP_EXIT_SYNC && hyp_esr_ec(v->exit.esr) == HYP_EC_HVC64 &&
	       hyp_esr_imm16(v->exit.esr) == imm;
}

/* Run until the guest reports; exits the test on an unexpected exit. */
static bool run_to_report(struct hyp_vcpu *v)
{
	hyp_vcpu_run(v);
	if (is_hvc(v, HVC_REPORT))
		return true;
	test_failures++;
	test_print_reg("FAIL: unexpected exit, kind", v->exit.kind);
	test_print_reg("ESR_EL2", v->exit.esr);
	test_print_reg("PC", v->regs.pc);
	test_print_reg("x0", v->regs.x[0]);
	return false;
}

static void setup_vcpu(struct hyp_vcpu *v, uint64_t hcr_extra, const uint32_t *pc)
{
	/* No E2H from the test: hyp_vcpu_init() sets it from the EL2 mode
	 * recorded in test_main(); every guest of this test runs on it (with
	 * E2H wrong the switch would take the wrong EL1 registers). */
	if (hyp_vcpu_init(v, sw_guest_hcr(false, hcr_extra), &table) != HYP_OK)
		test_check("hyp_vcpu_init", 1, 0);
	test_check("hyp_vcpu_init: HCR_EL2.E2H from the record", (v->hcr >> 34) & 1, vhe);
	v->regs.pc = addr(pc);
}

/* ---- fast-path handlers the integrator registers ---- */

static const struct hyp_smccc smccc; /* PSCI defaults, nothing else */
static const struct hyp_wfx_policy wfx = {.wfi = HYP_WFX_EXIT, .wfe = HYP_WFX_SKIP};
static unsigned sysreg_hits;

#define FAKE_MMFR0 0x0000123456789abcull

static uint64_t frame_msr;
static bool frame_saved; /* hyp_vcpu_x19_x29_saved() in the last MRS handler */

/* A stand-in for the sysreg engine's trap table: one ID register read and
 * the SCTLR_EL1 write; everything else goes to the run loop. */
static int sysreg_trap(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	unsigned rt = hyp_esr_sys_rt(esr);

	(void)self;
	switch (hyp_esr_sys_enc(esr)) {
	case HYP_SYS_ID_AA64MMFR0_EL1:
		if (!hyp_esr_sys_is_read(esr))
			return HYP_FAST_EXIT;
		frame_saved = hyp_vcpu_x19_x29_saved(v);
		hyp_vcpu_set_x(v, rt, FAKE_MMFR0);
		hyp_vcpu_skip_insn(v);
		sysreg_hits++;
		return HYP_FAST_RESUME; /* rt may be x19..x29 */
	case HYP_SYS_CONTEXTIDR_EL1: /* the frame phase's writes: recorded */
		if (hyp_esr_sys_is_read(esr))
			return HYP_FAST_EXIT;
		frame_msr = hyp_vcpu_get_x(v, rt);
		hyp_vcpu_skip_insn(v);
		return HYP_FAST_RESUME_X0_X18;
	case HYP_SYS_SCTLR_EL1:
		if (hyp_esr_sys_is_read(esr))
			return HYP_FAST_EXIT;
		SW_WRITE_EL1(vhe, SCTLR_EL1, hyp_vcpu_get_x(v, rt));
		hyp_vcpu_skip_insn(v);
		sysreg_hits++;
		return HYP_FAST_RESUME_X0_X18;
	default:
		return HYP_FAST_EXIT;
	}
}

/* ---- phases ---- */

static void phase_fast(void)
{
	unsigned exits = 0;

	setup_vcpu(&vcpu, HYP_HCR_TWI | HYP_HCR_TWE, g_fast);
	for (;;) {
		hyp_vcpu_run(&vcpu);
		exits++;
		if (vcpu.exit.kind == HYP_EXIT_SYNC && hyp_esr_ec(vcpu.exit.esr) == HYP_EC_WFX) {
			test_check("WFI reaches the run loop", hyp_esr_wfx_ti(vcpu.exit.esr),
			      HYP_ESR_WFX_TI_WFI);
			hyp_vcpu_skip_insn(&vcpu); /* no interrupt to wait for */
			continue;
		}
		break;
	}
	if (!is_hvc(&vcpu, HVC_REPORT)) {
		test_check("fast: report", vcpu.exit.esr, 0);
		return;
	}
	test_check("fast: PSCI_VERSION mismatches", vcpu.regs.x[2], 0);
	test_check("fast: SMCCC_VERSION", vcpu.regs.x[3], HYP_SMCCC_VERSION_1_1);
	test_check("fast: unknown function", vcpu.regs.x[4], ~0ull);
	test_check("fast: reached the end", vcpu.regs.x[5], 1);
	test_check("fast: run-loop exits (WFI, report)", exits, 2);
	test_puts("fast path ok: 102 hypercalls, 1 WFE on the fast path, 2 run-loop exits\n");
}

/* The early path (entry.S): constant answers before the register save;
 * everything not in the table takes the ordinary path. Literals: PSCI_VERSION
 * 0x84000000 (DEN 0022 5.1), SMCCC_ARCH_FEATURES 0x80000001,
 * SMCCC_ARCH_WORKAROUND_1 0x80008000 (DEN 0028 7). */
static struct hyp_smccc_answers answers;

static void phase_early(void)
{
	static const uint64_t kept[] = {0x1919, 0x2020, 0x2121, 0x2222, 0x2323, 0x2424,
					0x2525, 0x2626, 0x2727, 0x2828, 0x2929, 0x3030};

	hyp_smccc_answers_init(&answers);
	if (hyp_smccc_answer_add(&answers, 0x80000001u, 0x80008000u, 7) != HYP_OK ||
	    hyp_smccc_answer_add(&answers, 0x84000000u, 0, 2) != HYP_OK ||
	    hyp_fast_set_smccc_answers(&table, &answers) != HYP_OK) {
		test_check("early: answers set up", 1, 0);
		return;
	}
	setup_vcpu(&vcpu, 0, g_early);
	hyp_vcpu_run(&vcpu);
	/* hvc #5: not SMCCC, so neither the early path nor the SMCCC helper */
	if (!is_hvc(&vcpu, 5)) {
		test_check("early: hvc #5 reaches the run loop", vcpu.exit.esr, 0);
		hyp_fast_set_smccc_answers(&table, NULL);
		return;
	}
	test_check("early: hvc #5 left X0 alone", vcpu.regs.x[0], 0x84000000u);
	vcpu.regs.x[0] = 0x5555;
	if (!run_to_report(&vcpu)) {
		hyp_fast_set_smccc_answers(&table, NULL);
		return;
	}
	test_check("early: PSCI_VERSION over HVC from the table", vcpu.regs.x[6], 2);
	test_check("early: ARCH_FEATURES(WORKAROUND_1) from the table", vcpu.regs.x[7], 7);
	test_check("early: ARCH_FEATURES(WORKAROUND_3) not in it: C path", vcpu.regs.x[8],
		   (uint64_t)-1);
	test_check("early: PSCI_VERSION over SMC from the table", vcpu.regs.x[9], 2);
	test_check("early: the SMC returned past itself", vcpu.regs.x[10], 1);
	test_check("early: X0[63:32] ignored", vcpu.regs.x[11], 2);
	test_check("early: X1 kept", vcpu.regs.x[12], 0x80003fffu);
	test_check("early: X3 kept", vcpu.regs.x[14], 0x333);
	test_check("early: X0 set by the run loop", vcpu.regs.x[13], 0x5555);
	for (unsigned i = 0; i < 12; i++)
		test_check("early: x19..x30 survive every exit", vcpu.regs.x[19 + i], kept[i]);

	/* No table: the same guest gets libhyp's answers (the C path). */
	hyp_fast_set_smccc_answers(&table, NULL);
	setup_vcpu(&vcpu, 0, g_early);
	hyp_vcpu_run(&vcpu);
	if (!is_hvc(&vcpu, 5) || !run_to_report(&vcpu))
		return;
	test_check("early: no table: PSCI_VERSION from libhyp", vcpu.regs.x[6], 0x10001);
	test_check("early: no table: ARCH_FEATURES(WORKAROUND_1)", vcpu.regs.x[7],
		   (uint64_t)-1);
	test_check("early: no table: SMC", vcpu.regs.x[9], 0x10001);
	test_check("early: no table: the SMC returned past itself", vcpu.regs.x[10], 1);
	for (unsigned i = 0; i < 12; i++)
		test_check("early: no table: x19..x30 survive", vcpu.regs.x[19 + i], kept[i]);
	test_puts("early smccc answers ok\n");
}

static void phase_sysreg(void)
{
	setup_vcpu(&vcpu, HYP_HCR_TID3 | HYP_HCR_TVM, g_sysreg);
	sysreg_hits = 0;
	if (!run_to_report(&vcpu))
		return;
	test_check("sysreg: MMFR0 into x20", vcpu.regs.x[20], FAKE_MMFR0);
	test_check("sysreg: MMFR0 into x6", vcpu.regs.x[6], FAKE_MMFR0);
	test_check("sysreg: SCTLR_EL1 written and read back", vcpu.regs.x[22], vcpu.regs.x[21]);
	test_check("sysreg: emulated on the fast path", sysreg_hits, 3);
	test_puts("sysreg trap ok\n");
}

/*
 * The frame rule (libhyp/world_switch.h): the vector code saves X0..X18
 * and X30 and keeps X19..X29 in the CPU unless the exit names one. After
 * each exit of g_frame the guest's `hvc #3` shows the host all 31 GPRs:
 * each holds its pattern but the one the exit wrote. Literals:
 * PSCI_VERSION 0x84000000 answered 2 from the table, SMCCC_VERSION through
 * libhyp's C path 0x10001 (DEN 0028 7.2, v1.1).
 */
static void stage2_enable(void);
static uint64_t frame_store;

/* The frame phase's device at 0x80000000: loads read DEV_VALUE, a store is
 * recorded; the handler touches only the register the abort names. */
static int frame_dabt(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	struct hyp_mmio m;

	(void)esr;
	(void)self;
	if (hyp_mmio_decode(v, &m) != HYP_OK)
		return HYP_FAST_EXIT;
	if (m.write)
		frame_store = m.data;
	hyp_mmio_complete(v, &m, m.write ? 0 : 0xf0f1f2f3f4f5f6f7ull);
	return HYP_FAST_RESUME;
}

static void phase_frame(void)
{
	static const struct {
		const char *what;
		unsigned reg; /* 31: none */
		uint64_t val;
	} stages[] = {
	    {"frame: HVC answered early", 0, 2},
	    {"frame: HVC through C", 0, 0x10001},
	    {"frame: MRS into x0", 0, FAKE_MMFR0},
	    {"frame: MRS into x5", 5, FAKE_MMFR0},
	    {"frame: MRS into x18", 18, FAKE_MMFR0},
	    {"frame: MRS into x19", 19, FAKE_MMFR0},
	    {"frame: MRS into x20", 20, FAKE_MMFR0},
	    {"frame: MRS into x25", 25, FAKE_MMFR0},
	    {"frame: MRS into x29", 29, FAKE_MMFR0},
	    {"frame: MRS into x30", 30, FAKE_MMFR0},
	    {"frame: MRS into xzr", 31, 0},
	    {"frame: MSR from x3", 3, 0xa5a5000000000000ull + 0xf000 + 3 + 1},
	    {"frame: MSR from x23", 23, 0xa5a5000000000000ull + 0xf000 + 23 + 1},
	    {"frame: WFI through the run loop", 31, 0},
	    {"frame: MMIO load into x7", 7, 0xf0f1f2f3f4f5f6f7ull},
	    {"frame: MMIO load into x20", 20, 0xf0f1f2f3f4f5f6f7ull},
	    {"frame: MMIO load into x30", 30, 0xf0f1f2f3f4f5f6f7ull},
	    {"frame: MMIO store of x21", 21, 0xa5a5000000000000ull + 0xf000 + 21 + 1},
	};
	unsigned n = 0, wfi = 0;

	hyp_smccc_answers_init(&answers);
	if (hyp_smccc_answer_add(&answers, 0x84000000u, 0, 2) != HYP_OK ||
	    hyp_fast_set_smccc_answers(&table, &answers) != HYP_OK) {
		test_check("frame: answers set up", 1, 0);
		return;
	}
	if (hyp_fast_register(&table, HYP_EC_DABT_LOW, frame_dabt, NULL) != HYP_OK) {
		test_check("frame: DABT handler registered", 1, 0);
		return;
	}
	frame_store = 0;
	stage2_enable();
	setup_vcpu(&vcpu, HYP_HCR_VM | HYP_HCR_TID3 | HYP_HCR_TVM | HYP_HCR_TWI, g_frame);
	for (;;) {
		hyp_vcpu_run(&vcpu);
		if (vcpu.exit.kind == HYP_EXIT_SYNC && hyp_esr_ec(vcpu.exit.esr) == HYP_EC_WFX) {
			wfi++;
			hyp_vcpu_skip_insn(&vcpu);
			continue;
		}
		if (!is_hvc(&vcpu, 3) || n >= sizeof(stages) / sizeof(stages[0]))
			break;
		/* MRS stages 2..10: X20..X29 stored only for Rt 19..29 */
		if (n >= 2 && n <= 10) {
			unsigned rt = stages[n].reg;

			test_check(stages[n].what, frame_saved, rt >= 19 && rt <= 29);
		}
		if (n == 11 || n == 12)
			test_check(n == 11 ? "frame: MSR from x3 wrote x3's value"
					   : "frame: MSR from x23 wrote x23's value",
				   frame_msr, stages[n].val);
		test_check("frame: the run loop sees the flag clear",
			   vcpu.exit.valid & HYP_EXIT_V_X19_X29_LIVE, 0);
		for (unsigned r = 0; r < 31; r++) {
			uint64_t want = 0xa5a5000000000000ull + 0xf000 + r;

			if (r == stages[n].reg)
				want = stages[n].val;
			if (vcpu.regs.x[r] != want) {
				test_print_reg("register", r);
				test_check(stages[n].what, vcpu.regs.x[r], want);
			}
			vcpu.regs.x[r] = 0xa5a5000000000000ull + 0xf000 + r;
		}
		n++;
	}
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, 0);
	hyp_fast_unregister(&table, HYP_EC_DABT_LOW, frame_dabt);
	hyp_fast_set_smccc_answers(&table, NULL);
	test_check("frame: the MMIO store saw x21", frame_store, 0xa5a5000000000000ull + 0xf000 + 21 + 1);
	test_check("frame: every stage reached", n, sizeof(stages) / sizeof(stages[0]));
	test_check("frame: the report", is_hvc(&vcpu, HVC_REPORT), 1);
	test_check("frame: one WFI exit", wfi, 1);
	test_puts("frame ok\n");
}

static void phase_undef(void)
{
	uint64_t pstate1 = 0, pstate2 = 0;
	unsigned n = 0;

	setup_vcpu(&vcpu, HYP_HCR_TACR, g_undef);
	/* Both traps: QEMU 7.2 checks EL1PCEN, not EL1PCTEN, for an EL0 CNTPCT
	 * read with E2H = 0; the architecture traps it with either setting. */
	hyp_vtimer_init(&vcpu, HYP_VTIMER_TRAP_PCOUNTER | HYP_VTIMER_TRAP_PTIMER, 0);
	for (;;) {
		hyp_vcpu_run(&vcpu);
		if (vcpu.exit.kind != HYP_EXIT_SYNC || hyp_esr_ec(vcpu.exit.esr) != HYP_EC_SYS64)
			break;
		if (n == 0)
			pstate1 = vcpu.regs.pstate;
		if (n == 1)
			pstate2 = vcpu.regs.pstate;
		n++;
		test_check("undef: inject", (uint64_t)hyp_inject_undef(&vcpu), HYP_OK);
	}
	hyp_vtimer_put(&vcpu);
	if (!is_hvc(&vcpu, HVC_REPORT)) {
		test_check("undef: report", vcpu.exit.esr, 0);
		return;
	}
	test_check("undef: trapped instructions", n, 3);
	test_check("undef EL1h: ESR_EL1", vcpu.regs.x[23], 0x02000000);
	test_check("undef EL1h: ELR_EL1", vcpu.regs.x[24], addr(g_undef_insn1));
	test_check("undef EL1h: SPSR_EL1", vcpu.regs.x[25], pstate1);
	test_check("undef EL1h: vector", vcpu.regs.x[26], 0x200);
	test_check("undef EL1h: DAIF at the vector", vcpu.regs.x[18], 0x3c0);
	test_check("undef EL1h: PSTATE was EL1h", pstate1 & 0xf, HYP_PSR_M_EL1H);
	test_check("undef EL1t: vector", vcpu.regs.x[27], 0x000);
	test_check("undef EL1t: ELR_EL1", vcpu.regs.x[28], addr(g_undef_insn2));
	test_check("undef EL1t: PSTATE was EL1t", pstate2 & 0xf, HYP_PSR_M_EL1T);
	test_check("undef EL0: ESR_EL1", vcpu.regs.x[10], 0x02000000);
	test_check("undef EL0: ELR_EL1", vcpu.regs.x[11], addr(g_el0_insn));
	test_check("undef EL0: SPSR_EL1", vcpu.regs.x[12], 0x3c0);
	test_check("undef EL0: vector", vcpu.regs.x[13], 0x400);
	test_puts("undef injection ok: EL1h, EL1t, EL0\n");
}

/* Stage 2 for the MMIO phase: 1 GiB blocks, IPA = PA; 0x80000000 is a hole. */
static uint64_t s2_l1[512] __attribute__((aligned(4096)));

#define S2_BLOCK	    0x1ull
#define S2_AF		    (1ull << 10)
#define S2_SH_INNER	    (3ull << 8)
#define S2_S2AP_RW	    (3ull << 6)
#define S2_MEM_NORMAL_WB    (0xfull << 2) /* MemAttr: Normal, Outer/Inner WB */
#define S2_MEM_DEVICE_NGNRE (0x1ull << 2)

static void stage2_enable(void)
{
	s2_l1[0] = 0x00000000 | S2_BLOCK | S2_AF | S2_S2AP_RW | S2_MEM_DEVICE_NGNRE;
	s2_l1[1] = 0x40000000 | S2_BLOCK | S2_AF | S2_SH_INNER | S2_S2AP_RW | S2_MEM_NORMAL_WB;
	s2_l1[2] = 0; /* the emulated device */
	s2_l1[3] = 0;
	/* VTCR_EL2: T0SZ = 32 (4 GiB IPA), SL0 = 1 (start at level 1, 4K
	 * granule), inner/outer WB cacheable walks, inner shareable, TG0 = 4K,
	 * PS = 32 bits, bit 31 RES1. */
	hyp_write_sysreg(HYP_SYS_VTCR_EL2,
			 32 | (1u << 6) | (1u << 8) | (1u << 10) | (3u << 12) | (1u << 31));
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, addr(s2_l1) | (1ull << 48));
	hyp_dsb(ISHST);
	hyp_isb();
	hyp_tlbi_vmalls12e1is();
	hyp_dsb(ISH);
	hyp_isb();
}

#define DEV_BASE  0x80000000ull
#define DEV_VALUE 0xf0f1f2f3f4f5f6f7ull

static void phase_mmio(void)
{
	struct hyp_mmio m;
	struct mmio_write {
		uint64_t ipa, data;
		unsigned size;
	} writes[4];
	unsigned nw = 0, nr = 0, aborts = 0;
	int r;

	stage2_enable();
	setup_vcpu(&vcpu, HYP_HCR_VM, g_mmio);
	for (;;) {
		hyp_vcpu_run(&vcpu);
		if (vcpu.exit.kind != HYP_EXIT_SYNC || hyp_esr_ec(vcpu.exit.esr) != HYP_EC_DABT_LOW)
			break;
		r = hyp_mmio_decode(&vcpu, &m);
		if (r == HYP_ENOTSUP) {
			/* ISV = 0: the integrator injects an external abort. */
			test_check("mmio: abort PC", vcpu.regs.pc, addr(g_mmio_ldp));
			test_check("mmio: abort inject",
			      (uint64_t)hyp_inject_dabt(&vcpu, vcpu.exit.far,
							hyp_esr_da_wnr(vcpu.exit.esr)),
			      HYP_OK);
			aborts++;
			continue;
		}
		test_check("mmio: decode", (uint64_t)r, HYP_OK);
		if (m.write) {
			if (nw < 4)
				writes[nw] = (struct mmio_write){m.ipa, m.data, m.size};
			nw++;
			hyp_mmio_complete(&vcpu, &m, 0);
		} else {
			nr++;
			hyp_mmio_complete(&vcpu, &m, DEV_VALUE);
		}
	}
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, 0);
	if (!is_hvc(&vcpu, HVC_REPORT)) {
		test_check("mmio: report", vcpu.exit.esr, 0);
		return;
	}
	test_check("mmio: reads", nr, 5);
	test_check("mmio: writes", nw, 3);
	test_check("mmio: ldr w1", vcpu.regs.x[1], 0xf4f5f6f7);
	test_check("mmio: ldrsb x3", vcpu.regs.x[3], 0xfffffffffffffff7ull);
	test_check("mmio: ldrsh w4", vcpu.regs.x[4], 0xfffff6f7);
	test_check("mmio: ldr x5", vcpu.regs.x[5], DEV_VALUE);
	if (nw == 3) {
		test_check("mmio: str w6 ipa", writes[0].ipa, DEV_BASE + 0x20);
		test_check("mmio: str w6 data", writes[0].data, 0x12345678);
		test_check("mmio: str w6 size", writes[0].size, 4);
		test_check("mmio: strh ipa", writes[1].ipa, DEV_BASE + 0x24);
		test_check("mmio: strh data", writes[1].data, 0x5678);
		test_check("mmio: strh size", writes[1].size, 2);
		test_check("mmio: str xzr data", writes[2].data, 0);
		test_check("mmio: str xzr size", writes[2].size, 8);
	}
	test_check("mmio: ldp aborted", aborts, 1);
	test_check("mmio: guest ESR_EL1", vcpu.regs.x[10], (0x25ull << 26) | (1u << 25) | 0x10);
	test_check("mmio: guest FAR_EL1", vcpu.regs.x[14], DEV_BASE + 0x30);
	test_check("mmio: guest ELR_EL1", vcpu.regs.x[11], addr(g_mmio_ldp));
	test_puts("mmio ok: 5 reads, 3 writes completed, ISV=0 aborted\n");
}

/*
 * A stage-2 permission fault (a store to a read-only block): HPFAR_EL2 is
 * UNKNOWN for it (Arm ARM D24.2.76; QEMU fills it anyway, so the captured
 * value is replaced by junk here), and hyp_vcpu_fault_ipa() must resolve
 * the IPA with AT S1E1R on FAR_EL2 and PAR_EL1. The guest runs with its MMU
 * off, so the IPA is the VA; PAR_EL1 must be the guest's afterwards.
 */
#define PERM_IPA   0xc0000000ull
#define S2_S2AP_RO (1ull << 6)

static void phase_perm(void)
{
	struct hyp_mmio m;
	uint64_t ipa = 0, par_before;
	unsigned faults = 0;

	stage2_enable();
	s2_l1[3] = 0x40000000 | S2_BLOCK | S2_AF | S2_SH_INNER | S2_S2AP_RO | S2_MEM_NORMAL_WB;
	hyp_dsb(ISHST);
	hyp_tlbi_vmalls12e1is();
	hyp_dsb(ISH);
	hyp_isb();
	setup_vcpu(&vcpu, HYP_HCR_VM, g_perm);
	for (;;) {
		hyp_vcpu_run(&vcpu);
		if (vcpu.exit.kind != HYP_EXIT_SYNC || hyp_esr_ec(vcpu.exit.esr) != HYP_EC_DABT_LOW)
			break;
		faults++;
		/* Permission fault, level 1, write, S1PTW = 0 (D24.2.46). */
		test_check("perm: DFSC", hyp_esr_abt_fsc(vcpu.exit.esr), 0x0d);
		test_check("perm: HPFAR valid?", hyp_esr_hpfar_valid(vcpu.exit.esr), 0);
		vcpu.exit.hpfar = 0xdead0; /* what the spec allows it to hold */
		par_before = hyp_read_sysreg(HYP_SYS_PAR_EL1);
		test_check("perm: fault ipa", (uint64_t)hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_OK);
		test_check("perm: IPA from AT", ipa, PERM_IPA + 0x48);
		test_check("perm: PAR_EL1 kept", hyp_read_sysreg(HYP_SYS_PAR_EL1), par_before);
		test_check("perm: mmio decode", (uint64_t)hyp_mmio_decode(&vcpu, &m), HYP_OK);
		test_check("perm: mmio ipa", m.ipa, PERM_IPA + 0x48);
		test_check("perm: mmio data", m.data, 0x4321);
		hyp_mmio_complete(&vcpu, &m, 0);
	}
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, 0);
	s2_l1[3] = 0;
	if (!is_hvc(&vcpu, HVC_REPORT)) {
		test_check("perm: report", vcpu.exit.esr, 0);
		return;
	}
	test_check("perm: faults", faults, 1);
	test_puts("permission fault ok: IPA by AT S1E1R, not HPFAR_EL2\n");
}

/*
 * SError: hyp_inject_serror() raises a virtual SError (HCR_EL2.VSE; with
 * FEAT_RAS its syndrome from VSESR_EL2, Arm ARM D24.9.18) that the guest
 * takes at VBAR_EL1 + 0x380 when it unmasks SError; the CPU clears VSE. The
 * exit path's SError synchronisation (DSB, ISB, ESB/DISR_EL1 or ISR_EL1)
 * finds nothing to consume, and taking a pending SError when none is
 * pending takes nothing.
 */
/*
 * A guest store to a region that aborts: on QEMU an external abort is
 * synchronous and taken by the guest at EL1 (EC 0x25, DFSC 0b010000); the
 * exit that follows finds no SError to attribute, and the hypervisor goes
 * on (the next phases run).
 */
static void phase_sea(void)
{
	stage2_enable();
	setup_vcpu(&vcpu, HYP_HCR_VM | HYP_HCR_AMO, g_sea);
	if (run_to_report(&vcpu)) {
		test_check("sea: guest ESR_EL1.EC", vcpu.regs.x[10] >> 26, 0x25);
		test_check("sea: guest DFSC", vcpu.regs.x[10] & 0x3f, 0x10);
		test_check("sea: guest FAR_EL1", vcpu.regs.x[14], 0x0b000000);
		test_check("sea: no SError at the exit", vcpu.exit.valid & HYP_EXIT_V_SERROR, 0);
		test_puts("store to an aborting region ok: external abort in the guest\n");
	}
	hyp_write_sysreg(HYP_SYS_VTTBR_EL2, 0);
}

static void phase_serror(void)
{
	/* ID_AA64PFR0_EL1.RAS, bits [31:28] (Arm ARM D24.2.93). */
	bool ras = ((hyp_read_sysreg(HYP_SYS_ID_AA64PFR0_EL1) >> 28) & 0xf) != 0;

	test_check("serror: take with none pending", hyp_serror_take(), 0);
	setup_vcpu(&vcpu, HYP_HCR_AMO, g_serror);
	if (ras)
		vcpu.flags |= HYP_VCPU_RAS;
	/* IDS = 1, an IMPLEMENTATION DEFINED syndrome 0xabc. */
	test_check("serror: inject", (uint64_t)hyp_inject_serror(&vcpu, 0x1000abcull), HYP_OK);
	if (!run_to_report(&vcpu))
		return;
	test_check("serror: vector", vcpu.regs.x[13], 0x380);
	test_check("serror: taken once", vcpu.regs.x[16], 2);
	test_check("serror: ESR_EL1.EC", vcpu.regs.x[10] >> 26, 0x2f);
	if (ras)
		test_check("serror: ESR_EL1 from VSESR_EL2", vcpu.regs.x[10], 0xbf000abcull);
	test_check("serror: VSE consumed", vcpu.hcr & HYP_HCR_VSE, 0);
	test_check("serror: nothing consumed at exit", vcpu.exit.valid & HYP_EXIT_V_SERROR, 0);
	test_puts(ras ? "serror ok: virtual SError with VSESR_EL2 syndrome\n"
		      : "serror ok: virtual SError\n");
}

/* libhyp masks the host's timer PPI at the GIC while the guest's timer
 * output is high; it never writes the guest's CNTV_CTL_EL0.IMASK. */
static void vtimer_mask_host(struct hyp_vcpu *v, bool mask, void *ctx)
{
	(void)v;
	(void)ctx;
	sw_gic_mask_ppi(SW_VTIMER_PPI, mask);
}

static const struct hyp_timer_ops vtimer_ops = {NULL, vtimer_mask_host};

static void phase_vtimer(void)
{
	unsigned irq_exits = 0, asserts = 0, deasserts = 0, intid;

	sw_gic_enable_ppi(SW_VTIMER_PPI);
	setup_vcpu(&vcpu, 0, g_vtimer);
	hyp_vtimer_init(&vcpu, HYP_VTIMER_USE_VI, 0);
	hyp_vtimer_set_ops(&vcpu, &vtimer_ops, NULL);
	for (;;) {
		hyp_vcpu_run(&vcpu);
		if (vcpu.exit.vtimer == HYP_VTIMER_ASSERT) {
			asserts++;
			test_check("vtimer: VI raised", vcpu.hcr & HYP_HCR_VI, HYP_HCR_VI);
		}
		if (vcpu.exit.vtimer == HYP_VTIMER_DEASSERT) {
			deasserts++;
			test_check("vtimer: VI dropped", vcpu.hcr & HYP_HCR_VI, 0);
		}
		if (vcpu.exit.kind == HYP_EXIT_IRQ) {
			irq_exits++;
			intid = sw_gic_ack();
			if (intid < 1020)
				sw_gic_eoi(intid);
			if (irq_exits > 100)
				break;
			continue;
		}
		if (is_hvc(&vcpu, HVC_TIMER))
			continue;
		break;
	}
	hyp_vtimer_put(&vcpu);
	if (!is_hvc(&vcpu, HVC_REPORT)) {
		test_check("vtimer: report", vcpu.exit.esr, 0);
		return;
	}
	test_check("vtimer: IRQ exits", irq_exits, 1);
	test_check("vtimer: asserted", asserts, 1);
	test_check("vtimer: deasserted", deasserts, 1);
	test_check("vtimer: guest handler ran", vcpu.regs.x[16], 1);
	/* ENABLE | ISTATUS (Arm ARM D24.10.25): the guest's own IMASK (0),
	 * not a mask of libhyp's. */
	test_check("vtimer: CNTV_CTL seen by the guest handler", vcpu.regs.x[15], 5);
	test_puts("vtimer ok: fired, injected through VI, handled, deasserted\n");
}

/* ---- the IRQ fast path (issue 15): SGI 1 as a kick ---- */

#define HVC_KICK 4
#define KICK_SGI 1u
static unsigned kicks_fast, irq_acked;

/* The integrator's IRQ handler: acknowledge; SGI 1 is EOI'd (EOImode 0:
 * priority drop and deactivation, IHI 0069 12.2.8) and the guest resumes,
 * but every 4th, which goes to the run loop with its INTID handed over;
 * anything else goes to the run loop unacknowledged-again as well. */
static int irq_kick(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	unsigned intid = sw_gic_ack();

	(void)v;
	test_check("irqfast: esr", esr, 0);
	test_check("irqfast: self", (uint64_t)(uintptr_t)self, (uint64_t)(uintptr_t)&table.irq);
	test_check("irqfast: X20..X29 live", v->exit.valid >> 63, 1);
	if (intid != KICK_SGI) {
		irq_acked = intid | 1u << 31;
		return HYP_FAST_EXIT;
	}
	sw_gic_eoi(intid);
	if (++kicks_fast % 4 == 0) {
		irq_acked = intid | 1u << 31;
		return HYP_FAST_EXIT;
	}
	return HYP_FAST_RESUME_X0_X18;
}

static void phase_irqfast(void)
{
	unsigned irq_exits = 0, hvcs = 0;

	sw_gic_enable_ppi(KICK_SGI);
	test_check("irqfast: register", (uint64_t)hyp_fast_register_irq(&table, irq_kick, NULL), 0);
	test_check("irqfast: a second handler", (uint64_t)hyp_fast_register_irq(&table, irq_kick, NULL),
		   (uint64_t)HYP_EEXIST);
	setup_vcpu(&vcpu, 0, g_irqfast);
	for (;;) {
		hyp_vcpu_run(&vcpu);
		if (vcpu.exit.kind == HYP_EXIT_IRQ) {
			irq_exits++;
			test_check("irqfast: the run loop's IRQ was acknowledged", irq_acked,
				   KICK_SGI | 1u << 31);
			test_check("irqfast: the run loop sees all 31", vcpu.exit.valid >> 63, 0);
			test_check("irqfast: X25 in the frame", vcpu.regs.x[25], 25);
			irq_acked = 0;
			if (irq_exits > 100)
				break;
			continue;
		}
		if (is_hvc(&vcpu, HVC_KICK)) {
			/* ICC_SGI1R_EL1 (IHI 0069 12.2.22): INTID [27:24], TargetList
			 * [15:0] = Aff0 0 (this CPU, QEMU virt's CPU 0). */
			hvcs++;
			hyp_write_sysreg(HYP_SYS_ICC_SGI1R_EL1, (uint64_t)KICK_SGI << 24 | 1u);
			hyp_isb();
			continue;
		}
		break;
	}
	test_check("irqfast: unregister", (uint64_t)hyp_fast_unregister_irq(&table, irq_kick), 0);
	if (!is_hvc(&vcpu, HVC_REPORT)) {
		test_check("irqfast: report", vcpu.exit.esr, 0);
		return;
	}
	test_check("irqfast: kicks sent", hvcs, 40);
	test_check("irqfast: kicks taken by the handler", kicks_fast, 40);
	test_check("irqfast: kicks left to the run loop", irq_exits, 10);
	test_check("irqfast: X19..X29 kept", vcpu.regs.x[0], 1);
	test_puts("irqfast ok: 30 kicks resumed in the handler, 10 left to the run loop\n");
}

static struct hyp_fp_cpu fp_cpu;
static struct hyp_fpsimd_state fp_a, fp_b;
static const struct hyp_fp_ops fp_ops = {hyp_fpsimd_save, hyp_fpsimd_restore};

static void phase_fp(void)
{
	bool ok = true;

	/* The EL2 mode recorded once from the live HCR_EL2.E2H (one MRS);
	 * hyp_fp_cpu_setup() takes the CPTR_EL2 layout from that record. */
	test_check("el2 mode: read from HCR_EL2", (uint64_t)hyp_cpufeat_read_el2_mode(), HYP_OK);
	test_check("el2 mode: recorded as the host runs", hyp_el2_e2h(), vhe);
	test_check("fp: cpu setup", (uint64_t)hyp_fp_cpu_setup(&fp_cpu, &fp_ops, NULL), HYP_OK);
	/* The guest's own CPACR_EL1 lets EL1 use FP; the trap is CPTR_EL2's. */
	SW_WRITE_EL1(vhe, CPACR_EL1, 3ull << 20);
	setup_vcpu(&vcpu, 0, g_fp);
	setup_vcpu(&vcpu_b, 0, g_fp);
	vcpu.fp_cpu = vcpu_b.fp_cpu = &fp_cpu;
	vcpu.fp = &fp_a;
	vcpu_b.fp = &fp_b;
	vcpu.regs.x[1] = 0xaaaa0000aaaa0001ull;
	vcpu_b.regs.x[1] = 0xbbbb0000bbbb0002ull;

	ok = run_to_report(&vcpu) && run_to_report(&vcpu_b) && run_to_report(&vcpu) &&
	     run_to_report(&vcpu_b);
	if (!ok)
		return;
	test_check("fp: vCPU A kept d0", vcpu.regs.x[0], 1);
	test_check("fp: vCPU B kept d0", vcpu_b.regs.x[0], 1);
	test_check("fp: lazy loads (A, B, A, B)", fp_cpu.swaps, 4);
	test_check("fp: A's save area", fp_a.v[0], 0xaaaa0000aaaa0001ull);
	hyp_fp_vcpu_put(&vcpu_b);
	test_check("fp: B saved on put", fp_b.v[0], 0xbbbb0000bbbb0002ull);
	test_puts("fp ok: two vCPUs, lazy switch\n");
}

/* An exception at EL2 itself goes to hyp_switch_el2_fault() with the state,
 * and returns through the frame it may edit. */
static void phase_el2_fault(void)
{
	register uint64_t x5 __asm__("x5") = 0x5555;
	register uint64_t x19 __asm__("x19") = 0x1919;

	sw_el2_expect = true;
	__asm__ volatile("brk #0x42" : "+r"(x5), "+r"(x19)::"memory");
	test_check("el2 fault: handled", sw_el2_expect, false);
	test_check("el2 fault: vector (EL2h sync)", sw_el2_expected.vector, 4);
	test_check("el2 fault: ESR (BRK #0x42)", sw_el2_expected.esr,
	      (0x3cull << 26) | (1u << 25) | 0x42);
	test_check("el2 fault: x5 at the fault", sw_el2_expected.x[5], 0x5555);
	test_check("el2 fault: x19 at the fault", sw_el2_expected.x[19], 0x1919);
	test_check("el2 fault: x5 reloaded from the frame", x5, 0x6666);
	test_check("el2 fault: x19 kept", x19, 0x1919);
	test_check("el2 fault: SPSR is EL2h", sw_el2_expected.spsr & 0xf, 0x9);
	test_puts("el2 fault ok\n");
}

void test_main(void)
{
	vhe = sw_host_setup();
	test_check("el2 mode: recorded at boot", (uint64_t)hyp_cpufeat_read_el2_mode(), HYP_OK);
	hyp_fast_table_init(&table);
	if (hyp_smccc_register(&table, &smccc) != HYP_OK ||
	    hyp_fast_register(&table, HYP_EC_WFX, hyp_wfx_trap, (void *)&wfx) != HYP_OK ||
	    hyp_fast_register(&table, HYP_EC_SYS64, sysreg_trap, NULL) != HYP_OK ||
	    hyp_fast_register(&table, HYP_EC_FP_ASIMD, hyp_fp_trap, NULL) != HYP_OK) {
		test_puts("FAIL: fast table setup\n");
		return;
	}
	SW_WRITE_EL1(vhe, VBAR_EL1, addr(guest_vectors));
	hyp_isb();

	phase_fast();
	phase_early();
	phase_sysreg();
	phase_frame();
	phase_undef();
	phase_mmio();
	phase_perm();
	phase_sea();
	phase_serror();
	phase_vtimer();
	phase_irqfast();
	phase_fp();
	phase_el2_fault();
	if (test_failures)
		test_print_reg("FAIL: test_failures", test_failures);
	else
		test_puts("switch done\n");
}
