/* SPDX-License-Identifier: MIT */
/* Exception injection against the rules of AArch64.TakeException (every
 * register written, for each source EL, SP selection and feature), and
 * MMIO decode/complete. */
#include "test_switch.h"

static struct hyp_sim_cpu cpu;
static struct hyp_vcpu vcpu;

#define VBAR 0xffff800010000800ull
#define PC   0x40001000ull

/* SCTLR_EL1 bits injection reads. */
#define SPAN	  (1ull << 23)
#define DSSBS	  (1ull << 44)
#define SPINTMASK (1ull << 62)

static void setup(void)
{
	sw_sim_setup(&cpu);
	cr_assert_eq(hyp_vcpu_init(&vcpu, HYP_HCR_RW, NULL), HYP_OK);
	hyp_sim_reg_define(&cpu, HYP_SYS_VBAR_EL1, VBAR);
	hyp_sim_reg_define(&cpu, E12(VBAR_EL1), VBAR);
	hyp_sim_reset_counts(&cpu);
}

TestSuite(inject, .init = setup);

struct expect {
	uint64_t esr, elr, spsr, pc, pstate;
};

/* The EL1 exception registers and the new PC/PSTATE, not live, nVHE. */
static void check_entry(const struct expect *e, bool far_written, uint64_t far)
{
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ESR_EL1), e->esr, "ESR_EL1 %#lx",
		     sw_peek(&cpu, HYP_SYS_ESR_EL1));
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL1), e->elr);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_SPSR_EL1), e->spsr);
	cr_assert_eq(vcpu.regs.pc, e->pc, "PC %#lx", vcpu.regs.pc);
	cr_assert_eq(vcpu.regs.pstate, e->pstate, "PSTATE %#lx want %#lx", vcpu.regs.pstate,
		     e->pstate);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_FAR_EL1), far_written ? 1 : 0);
	if (far_written)
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_FAR_EL1), far);
}

static void from(uint64_t pstate)
{
	vcpu.regs.pc = PC;
	vcpu.regs.pstate = pstate;
}

Test(inject, undef_from_el1h_keeps_nzcv_dit_and_clears_the_rest)
{
	/* N, C, DIT, PAN, SS, IL, BTYPE, UAO, SSBS, TCO, ALLINT: the VM has
	 * none of the features, so only NZCV and DIT survive. */
	const uint64_t old = HYP_PSR_M_EL1H | (1ull << 31) | (1ull << 29) | HYP_PSR_DIT |
			     HYP_PSR_PAN | HYP_PSR_SS | HYP_PSR_IL | (1ull << 10) | HYP_PSR_UAO |
			     HYP_PSR_SSBS | HYP_PSR_TCO | HYP_PSR_ALLINT;
	const struct expect e = {
	    .esr = 0x02000000, /* EC 0, IL = 1 (RES1 for EC 0) */
	    .elr = PC,
	    .spsr = old,
	    .pc = VBAR + 0x200,
	    .pstate = (1ull << 31) | (1ull << 29) | HYP_PSR_DIT | 0x3c5,
	};

	from(old);
	cr_assert_eq(hyp_inject_undef(&vcpu), HYP_OK);
	check_entry(&e, false, 0);
	/* VBAR_EL1 read; ESR, SPSR, ELR written; SCTLR not needed. */
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_VBAR_EL1), 1);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_SCTLR_EL1), 0);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 4);
}

Test(inject, undef_vector_offsets_by_source)
{
	static const struct {
		uint64_t pstate, offset;
	} cases[] = {
	    {HYP_PSR_M_EL1H, 0x200},		    /* current EL, SP_EL1 */
	    {HYP_PSR_M_EL1T, 0x000},		    /* current EL, SP_EL0 */
	    {HYP_PSR_M_EL0T, 0x400},		    /* lower EL, AArch64 */
	    {HYP_PSR_M_AA32_USR, 0x600},	    /* lower EL, AArch32 */
	    {HYP_PSR_M_EL0T | HYP_PSR_DAIF, 0x400}, /* masks don't matter */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		from(cases[i].pstate);
		cr_assert_eq(hyp_inject_undef(&vcpu), HYP_OK);
		cr_assert_eq(vcpu.regs.pc, VBAR + cases[i].offset, "case %zu", i);
		cr_assert_eq(vcpu.regs.pstate, 0x3c5);
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_SPSR_EL1), cases[i].pstate);
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_ESR_EL1), 0x02000000);
	}
}

Test(inject, from_aarch32_el0_keeps_only_nzcv_dit_pan)
{
	/* User mode, Thumb, IT bits, E, GE, Q, N, Z; and DIT, PAN (AArch32
	 * SPSR format: DIT bit 24, PAN bit 22, like AArch64). */
	const uint64_t old = 0x10 | (1u << 5) | (1u << 9) | (0x3full << 10) | (0xfull << 16) |
			     (1ull << 27) | (3ull << 25) | (1ull << 31) | (1ull << 30) |
			     (1ull << 24) | (1ull << 22);

	vcpu.guest_feats = HYP_GUEST_PAN;
	hyp_sim_reg_define(&cpu, HYP_SYS_SCTLR_EL1, SPAN); /* PAN kept */
	from(old);
	cr_assert_eq(hyp_inject_dabt(&vcpu, 0x1234, true), HYP_OK);
	const struct expect e = {
	    .esr = (0x24ull << 26) | HYP_ESR_IL | HYP_ESR_DA_WNR | HYP_FSC_SEA,
	    .elr = PC,
	    .spsr = old,
	    .pc = VBAR + 0x600,
	    .pstate = (3ull << 30) | HYP_PSR_DIT | HYP_PSR_PAN | 0x3c5,
	};
	check_entry(&e, true, 0x1234);
}

Test(inject, pstate_features)
{
	static const struct {
		uint32_t feats;
		uint64_t sctlr, old, want_bits;
	} cases[] = {
	    /* FEAT_PAN: set on entry unless SCTLR_EL1.SPAN... */
	    {HYP_GUEST_PAN, 0, 0, HYP_PSR_PAN},
	    /* ...which leaves it unchanged, 1 or 0. */
	    {HYP_GUEST_PAN, SPAN, HYP_PSR_PAN, HYP_PSR_PAN},
	    {HYP_GUEST_PAN, SPAN, 0, 0},
	    /* FEAT_SSBS: SSBS = SCTLR_EL1.DSSBS, whatever it was. */
	    {HYP_GUEST_SSBS, DSSBS, 0, HYP_PSR_SSBS},
	    {HYP_GUEST_SSBS, 0, HYP_PSR_SSBS, 0},
	    /* FEAT_MTE: TCO = 1. */
	    {HYP_GUEST_MTE, 0, 0, HYP_PSR_TCO},
	    /* FEAT_NMI: ALLINT = !SCTLR_EL1.SPINTMASK. */
	    {HYP_GUEST_NMI, 0, 0, HYP_PSR_ALLINT},
	    {HYP_GUEST_NMI, SPINTMASK, HYP_PSR_ALLINT, 0},
	    /* All at once. */
	    {HYP_GUEST_PAN | HYP_GUEST_SSBS | HYP_GUEST_MTE | HYP_GUEST_NMI, DSSBS, 0,
	     HYP_PSR_PAN | HYP_PSR_SSBS | HYP_PSR_TCO | HYP_PSR_ALLINT},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vcpu.guest_feats = cases[i].feats;
		hyp_sim_reg_define(&cpu, HYP_SYS_SCTLR_EL1, cases[i].sctlr);
		hyp_sim_reset_counts(&cpu);
		from(HYP_PSR_M_EL1H | cases[i].old);
		cr_assert_eq(hyp_inject_undef(&vcpu), HYP_OK);
		cr_assert_eq(vcpu.regs.pstate, 0x3c5 | cases[i].want_bits, "case %zu: %#lx", i,
			     vcpu.regs.pstate);
		cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_SCTLR_EL1),
			     (cases[i].feats & ~HYP_GUEST_MTE) ? 1 : 0);
	}
}

Test(inject, aborts_by_source_el)
{
	static const struct {
		uint64_t pstate;
		bool data, write;
		uint64_t esr;
	} cases[] = {
	    {HYP_PSR_M_EL1H, true, false, (0x25ull << 26) | HYP_ESR_IL | 0x10},
	    {HYP_PSR_M_EL1H, true, true, (0x25ull << 26) | HYP_ESR_IL | 0x50},
	    {HYP_PSR_M_EL0T, true, false, (0x24ull << 26) | HYP_ESR_IL | 0x10},
	    {HYP_PSR_M_EL1T, false, false, (0x21ull << 26) | HYP_ESR_IL | 0x10},
	    {HYP_PSR_M_EL0T, false, false, (0x20ull << 26) | HYP_ESR_IL | 0x10},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hyp_sim_reset_counts(&cpu);
		from(cases[i].pstate);
		if (cases[i].data)
			cr_assert_eq(hyp_inject_dabt(&vcpu, 0xdead0000 + i, cases[i].write),
				     HYP_OK);
		else
			cr_assert_eq(hyp_inject_iabt(&vcpu, 0xdead0000 + i), HYP_OK);
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_ESR_EL1), cases[i].esr, "case %zu", i);
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_FAR_EL1), 0xdead0000 + i);
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL1), PC);
		cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_FAR_EL1), 1);
	}
}

Test(inject, vhe_uses_the_el12_aliases_and_live_uses_elr_spsr_el2)
{
	vcpu.hcr |= HYP_HCR_E2H;
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_SYS64, 0), PC, HYP_PSR_M_EL1H);

	cr_assert_eq(hyp_inject_dabt(&vcpu, 0x4000, false), HYP_OK);

	cr_assert_eq(sw_peek(&cpu, E12(ESR_EL1)), (0x25ull << 26) | HYP_ESR_IL | 0x10);
	cr_assert_eq(sw_peek(&cpu, E12(FAR_EL1)), 0x4000);
	cr_assert_eq(sw_peek(&cpu, E12(ELR_EL1)), PC);
	cr_assert_eq(sw_peek(&cpu, E12(SPSR_EL1)), HYP_PSR_M_EL1H);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), VBAR + 0x200);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_SPSR_EL2), 0x3c5);
	for (size_t i = 0; i < sizeof(sw_el1_regs) / sizeof(sw_el1_regs[0]); i++) {
		cr_assert_eq(hyp_sim_reg_reads(&cpu, sw_el1_regs[i]), 0,
			     "plain EL1 encodings reach EL2 registers under VHE");
		cr_assert_eq(hyp_sim_reg_writes(&cpu, sw_el1_regs[i]), 0);
	}
	cr_assert_eq(vcpu.regs.pc, 0, "regs untouched while live");
	/* VBAR read, ESR/FAR/SPSR/ELR written, ELR/SPSR_EL2 read and written. */
	cr_assert_eq(sw_sysreg_accesses(&cpu), 9);
}

static uint64_t hook_regs[8];
static unsigned hook_reads, hook_writes;

static unsigned hook_slot(uint16_t enc)
{
	switch (enc) {
	case HYP_SYS_ESR_EL1:
		return 0;
	case HYP_SYS_FAR_EL1:
		return 1;
	case HYP_SYS_ELR_EL1:
		return 2;
	case HYP_SYS_SPSR_EL1:
		return 3;
	case HYP_SYS_VBAR_EL1:
		return 4;
	case HYP_SYS_SCTLR_EL1:
		return 5;
	default:
		cr_assert_fail("unexpected register %#x", enc);
		return 7;
	}
}

static uint64_t hook_read(struct hyp_vcpu *v, void *ctx, uint16_t enc)
{
	(void)v;
	(void)ctx;
	hook_reads++;
	return hook_regs[hook_slot(enc)];
}

static void hook_write(struct hyp_vcpu *v, void *ctx, uint16_t enc, uint64_t val)
{
	(void)v;
	(void)ctx;
	hook_writes++;
	hook_regs[hook_slot(enc)] = val;
}

static const struct hyp_vcpu_hooks el1_hooks = {.read_el1 = hook_read, .write_el1 = hook_write};

Test(inject, sysreg_engine_hooks_replace_the_hardware)
{
	vcpu.hooks = &el1_hooks;
	vcpu.guest_feats = HYP_GUEST_PAN;
	hook_regs[4] = 0x8000;
	from(HYP_PSR_M_EL0T);
	cr_assert_eq(hyp_inject_iabt(&vcpu, 0x77), HYP_OK);
	cr_assert_eq(hook_reads, 2, "VBAR and SCTLR");
	cr_assert_eq(hook_writes, 4, "ESR, FAR, SPSR, ELR");
	cr_assert_eq(hook_regs[0], (0x20ull << 26) | HYP_ESR_IL | 0x10);
	cr_assert_eq(hook_regs[1], 0x77);
	cr_assert_eq(hook_regs[2], PC);
	cr_assert_eq(hook_regs[3], 0);
	cr_assert_eq(vcpu.regs.pc, 0x8400);
	cr_assert_eq(vcpu.regs.pstate, 0x3c5 | HYP_PSR_PAN);
	cr_assert_eq(hyp_sim_total(&cpu), 0, "no hardware at all");
}

Test(inject, unsupported_sources_change_nothing)
{
	static const uint64_t bad[] = {
	    0x9,  /* EL2h */
	    0x8,  /* EL2t */
	    0x2,  /* reserved M[1] */
	    0x13, /* AArch32 SVC mode (EL1 in AArch32) */
	    0x1a, /* AArch32 Hyp */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		from(bad[i]);
		cr_assert_eq(hyp_inject_undef(&vcpu), HYP_ENOTSUP, "M %#lx", bad[i]);
		cr_assert_eq(hyp_inject_dabt(&vcpu, 1, false), HYP_ENOTSUP);
		cr_assert_eq(vcpu.regs.pc, PC);
		cr_assert_eq(vcpu.regs.pstate, bad[i]);
	}
	/* An AArch32 EL1 takes exceptions in AArch32 state. */
	vcpu.hcr = 0;
	from(HYP_PSR_M_EL1H);
	cr_assert_eq(hyp_inject_iabt(&vcpu, 1), HYP_ENOTSUP);
	cr_assert_eq(cpu.counts[HYP_SIM_SYSREG_WRITE], 0, "nothing written");
}

/* ---- MMIO ---- */

TestSuite(mmio, .init = setup);

#define DA(iss) ESR(HYP_EC_DABT_LOW, HYP_ESR_DA_ISV | (iss))
#define SAS(n)	((uint32_t)(n) << 22)
#define SRT(n)	((uint32_t)(n) << 16)

static void dabt(uint64_t esr, uint64_t ipa)
{
	sw_exit(&cpu, &vcpu, esr, PC, HYP_PSR_M_EL1H);
	hyp_sim_reg_define(&cpu, HYP_SYS_FAR_EL2, 0xffff000000000000ull | (ipa & 0xfff));
	hyp_sim_reg_define(&cpu, HYP_SYS_HPFAR_EL2, (ipa >> 12) << 4);
}

Test(mmio, decode_a_load)
{
	struct hyp_mmio m;

	/* LDRSH W5, [Xn]: SAS = 1, SSE, SRT = 5, SF = 0; translation fault L3. */
	dabt(DA(SAS(1) | HYP_ESR_DA_SSE | SRT(5) | 0x07), 0x9000a012);
	cr_assert_eq(hyp_mmio_decode(&vcpu, &m), HYP_OK);
	cr_assert_eq(m.ipa, 0x9000a012);
	cr_assert_eq(m.size, 2);
	cr_assert_eq(m.reg, 5);
	cr_assert(!m.write);
	cr_assert(m.sign_extend);
	cr_assert(!m.sf);
	cr_assert(!m.acq_rel);
	cr_assert_eq(m.data, 0);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_FAR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_HPFAR_EL2), 1);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 2);
}

Test(mmio, decode_a_store_truncates_the_data)
{
	struct hyp_mmio m;

	vcpu.regs.x[7] = 0xdeadbeefcafef00dull;
	/* STLRH W7: SAS = 1, SRT = 7, AR, WnR. */
	dabt(DA(SAS(1) | SRT(7) | HYP_ESR_DA_AR | HYP_ESR_DA_WNR | 0x07), 0x9000a000);
	cr_assert_eq(hyp_mmio_decode(&vcpu, &m), HYP_OK);
	cr_assert(m.write);
	cr_assert(m.acq_rel);
	cr_assert_eq(m.data, 0xf00d);

	/* STR XZR: SAS = 3, SRT = 31, SF. */
	dabt(DA(SAS(3) | SRT(31) | HYP_ESR_DA_SF | HYP_ESR_DA_WNR | 0x07), 0x9000a008);
	cr_assert_eq(hyp_mmio_decode(&vcpu, &m), HYP_OK);
	cr_assert_eq(m.data, 0);
	cr_assert_eq(m.size, 8);
	cr_assert_eq(m.reg, 31);

	/* STR X7 keeps all 64 bits. */
	dabt(DA(SAS(3) | SRT(7) | HYP_ESR_DA_SF | HYP_ESR_DA_WNR | 0x07), 0x9000a008);
	cr_assert_eq(hyp_mmio_decode(&vcpu, &m), HYP_OK);
	cr_assert_eq(m.data, 0xdeadbeefcafef00dull);
}

Test(mmio, what_cannot_be_emulated_changes_nothing)
{
	static const struct {
		uint64_t esr;
		int ret;
	} cases[] = {
	    {ESR(HYP_EC_DABT_LOW, 0x07), HYP_ENOTSUP},		      /* ISV = 0 (LDP...) */
	    {DA(HYP_ESR_DA_CM | HYP_ESR_DA_WNR | 0x07), HYP_ENOTSUP}, /* DC by VA */
	    {DA(HYP_ESR_xA_S1PTW | 0x07), HYP_EFAULT},		      /* table walk */
	    {DA(HYP_ESR_xA_FNV | 0x07), HYP_EFAULT},		      /* no FAR */
	    {ESR(HYP_EC_IABT_LOW, 0x07), HYP_EINVAL},		      /* not a data abort */
	    {ESR(HYP_EC_DABT_CUR, HYP_ESR_DA_ISV), HYP_EINVAL},	      /* from EL2 */
	};
	struct hyp_mmio m, before;

	memset(&m, 0xa5, sizeof(m));
	before = m;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dabt(cases[i].esr, 0x9000a000);
		cr_assert_eq(hyp_mmio_decode(&vcpu, &m), cases[i].ret, "case %zu", i);
		cr_assert_eq(memcmp(&m, &before, sizeof(m)), 0);
		cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_FAR_EL2), 0);
	}
}

Test(mmio, complete_loads)
{
	static const struct {
		uint8_t size;
		bool sse, sf;
		uint64_t device, want;
	} cases[] = {
	    {1, false, false, 0xfff7, 0xf7},			  /* LDRB W */
	    {1, true, true, 0xf7, 0xfffffffffffffff7ull},	  /* LDRSB X */
	    {1, true, false, 0xf7, 0xfffffff7},			  /* LDRSB W: upper half 0 */
	    {1, true, true, 0x77, 0x77},			  /* positive */
	    {2, true, false, 0xf6f7, 0xfffff6f7},		  /* LDRSH W */
	    {2, false, true, 0x1f6f7, 0xf6f7},			  /* LDRH, device junk dropped */
	    {4, true, true, 0x80000000, 0xffffffff80000000ull},	  /* LDRSW */
	    {4, false, false, 0xffffffff80000000ull, 0x80000000}, /* LDR W */
	    {8, false, true, 0xf0f1f2f3f4f5f6f7ull, 0xf0f1f2f3f4f5f6f7ull}, /* LDR X */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hyp_mmio m = {.ipa = 0,
				     .size = cases[i].size,
				     .reg = 3,
				     .sign_extend = cases[i].sse,
				     .sf = cases[i].sf};

		vcpu.regs.x[3] = 0x5555555555555555ull;
		dabt(DA(0), 0);
		vcpu.live = 0;
		vcpu.regs.pc = PC;
		cr_assert_eq(hyp_mmio_complete(&vcpu, &m, cases[i].device), HYP_OK);
		cr_assert_eq(vcpu.regs.x[3], cases[i].want, "case %zu: %#lx", i, vcpu.regs.x[3]);
		cr_assert_eq(vcpu.regs.pc, PC + 4);
	}
}

Test(mmio, complete_to_xzr_and_stores_only_advance_the_pc)
{
	struct hyp_mmio m = {.size = 4, .reg = 31};
	uint64_t regs_before[31];

	for (unsigned i = 0; i < 31; i++)
		vcpu.regs.x[i] = i;
	memcpy(regs_before, vcpu.regs.x, sizeof(regs_before));
	dabt(DA(0), 0); /* live: the PC is ELR_EL2 */
	cr_assert_eq(hyp_mmio_complete(&vcpu, &m, 0x1234), HYP_OK);
	m.write = true;
	m.reg = 3;
	cr_assert_eq(hyp_mmio_complete(&vcpu, &m, 0x1234), HYP_OK);
	cr_assert_eq(memcmp(vcpu.regs.x, regs_before, sizeof(regs_before)), 0);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL2), PC + 8);
}

Test(mmio, complete_rejects_a_bad_record)
{
	struct hyp_mmio m = {.size = 3, .reg = 1};

	vcpu.regs.x[1] = 9;
	dabt(DA(0), 0);
	cr_assert_eq(hyp_mmio_complete(&vcpu, &m, 7), HYP_EINVAL);
	m.size = 4;
	m.reg = 32;
	cr_assert_eq(hyp_mmio_complete(&vcpu, &m, 7), HYP_EINVAL);
	cr_assert_eq(hyp_mmio_complete(&vcpu, NULL, 7), HYP_EINVAL);
	cr_assert_eq(vcpu.regs.x[1], 9);
	cr_assert_eq(hyp_sim_total(&cpu), 0);
}

/* ---- the faulting IPA: HPFAR_EL2 where valid, else AT S1E1R ---- */

/* The guest's stage-1 context the AT must see (values are arbitrary). */
#define G_SCTLR 0x30d00805ull
#define G_TCR	0x00000032b5193519ull
#define G_TTBR0 0x0000000041000000ull
#define G_TTBR1 0x0000000041001000ull
#define G_PAR	0x0000000000000800ull /* the guest's own PAR_EL1 */

struct at_model {
	uint64_t par;	/* what the walk gives */
	unsigned calls; /* ATs */
	bool ctx_ok;	/* the guest's stage-1 registers were in the CPU */
	bool vhe;	/* look at the EL12 aliases */
	uint64_t va;	/* the VA translated */
};

static uint64_t at_walk(struct hyp_sim_cpu *c, uint64_t va, void *ctx)
{
	struct at_model *m = ctx;
	uint64_t sctlr, tcr, t0, t1;

	cr_assert_eq(hyp_sim_reg_peek(c, m->vhe ? E12(SCTLR_EL1) : HYP_SYS_SCTLR_EL1, &sctlr), 0);
	cr_assert_eq(hyp_sim_reg_peek(c, m->vhe ? E12(TCR_EL1) : HYP_SYS_TCR_EL1, &tcr), 0);
	cr_assert_eq(hyp_sim_reg_peek(c, m->vhe ? E12(TTBR0_EL1) : HYP_SYS_TTBR0_EL1, &t0), 0);
	cr_assert_eq(hyp_sim_reg_peek(c, m->vhe ? E12(TTBR1_EL1) : HYP_SYS_TTBR1_EL1, &t1), 0);
	m->ctx_ok = sctlr == G_SCTLR && tcr == G_TCR && t0 == G_TTBR0 && t1 == G_TTBR1;
	m->calls++;
	m->va = va;
	return m->par;
}

static struct at_model model;

static void fault_setup(void)
{
	setup();
	static const uint16_t regs[] = {HYP_SYS_TCR_EL1, HYP_SYS_TTBR0_EL1, HYP_SYS_TTBR1_EL1};
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(hyp_sim_reg_define(&cpu, regs[i], 0), 0);
		cr_assert_eq(hyp_sim_reg_define(&cpu, HYP_SYSREG_E12(regs[i]), 0), 0);
	}
	hyp_sim_reg_define(&cpu, HYP_SYS_PAR_EL1, G_PAR);
	/* The guest's stage 1 is in the CPU (nVHE encodings). */
	hyp_sim_reg_define(&cpu, HYP_SYS_SCTLR_EL1, G_SCTLR);
	hyp_sim_reg_define(&cpu, HYP_SYS_TCR_EL1, G_TCR);
	hyp_sim_reg_define(&cpu, HYP_SYS_TTBR0_EL1, G_TTBR0);
	hyp_sim_reg_define(&cpu, HYP_SYS_TTBR1_EL1, G_TTBR1);
	/* PAR_EL1 64-bit format (D24.2.142): PA[47:12] = 0x87654, bit 11 RES1,
	 * F = 0. */
	model = (struct at_model){.par = 0x0000000087654800ull};
	hyp_sim_set_at(&cpu, at_walk, &model);
}

TestSuite(fault_ipa, .init = fault_setup);

#define VA 0xffff000012345678ull

/* An abort exit with FAR_EL2 = VA and HPFAR_EL2 = @hpfar (UNKNOWN junk for
 * the cases the spec leaves it UNKNOWN). */
static void abort_exit(uint64_t esr, uint64_t hpfar)
{
	sw_exit(&cpu, &vcpu, esr, PC, HYP_PSR_M_EL1H);
	hyp_sim_reg_define(&cpu, HYP_SYS_FAR_EL2, VA);
	hyp_sim_reg_define(&cpu, HYP_SYS_HPFAR_EL2, hpfar);
	hyp_sim_reset_counts(&cpu);
}

Test(fault_ipa, translation_fault_uses_hpfar_and_no_at)
{
	uint64_t ipa = 0;

	abort_exit(0x92000047ull, 0x9000aull << 4); /* DABT translation L3, write */
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_OK);
	cr_assert_eq(ipa, 0x9000a678ull);
	cr_assert_eq(cpu.counts[HYP_SIM_AT], 0);
	cr_assert_eq(model.calls, 0);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_HPFAR_EL2), 1);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_FAR_EL2), 1);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 2);
	/* Cached: a second call touches nothing. */
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_OK);
	cr_assert_eq(ipa, 0x9000a678ull);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 2);
}

Test(fault_ipa, permission_fault_ignores_hpfar_and_uses_at)
{
	uint64_t ipa = 0;

	/* DABT permission L3, write, S1PTW = 0: HPFAR_EL2 is UNKNOWN (junk). */
	abort_exit(0x9200004full, 0xdead0ull);
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_OK);
	cr_assert_eq(ipa, 0x87654678ull, "ipa %#llx", (unsigned long long)ipa);
	cr_assert_eq(model.calls, 1);
	cr_assert_eq(model.va, VA);
	cr_assert(model.ctx_ok, "the guest's stage 1 was in the CPU");
	cr_assert_eq(cpu.counts[HYP_SIM_AT], 1);
	/* AT, then ISB, then the PAR_EL1 read; the guest's PAR_EL1 restored. */
	int at = hyp_sim_log_find(&cpu, 0, HYP_SIM_AT, ~0ull);
	int isb = hyp_sim_log_find(&cpu, (unsigned)at, HYP_SIM_ISB, ~0ull);
	cr_assert(at >= 0 && isb > at);
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_PAR_EL1), 2);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_PAR_EL1), 1);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_PAR_EL1), G_PAR);
	/* Live: the translation registers are not even looked at. */
	cr_assert_eq(hyp_sim_reg_reads(&cpu, HYP_SYS_TTBR0_EL1), 0);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 2 + 3);
}

Test(fault_ipa, instruction_permission_fault_uses_at_too)
{
	uint64_t ipa = 0;

	abort_exit(0x8200000full, 0); /* IABT permission L3 */
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_OK);
	cr_assert_eq(ipa, 0x87654678ull);
	cr_assert_eq(model.calls, 1);
}

Test(fault_ipa, permission_fault_on_a_walk_uses_hpfar)
{
	uint64_t ipa = 0;

	abort_exit(0x9200008full, 0x41002ull << 4); /* S1PTW: HPFAR valid */
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_OK);
	cr_assert_eq(ipa, 0x41002678ull);
	cr_assert_eq(model.calls, 0);
}

Test(fault_ipa, at_failure_is_eagain_and_changes_nothing)
{
	uint64_t ipa = 0x1111;

	model.par = 0x0000000000000813ull; /* F = 1, FST = translation L1 (stage 1) */
	abort_exit(0x9200004full, 0);
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_EAGAIN);
	cr_assert_eq(ipa, 0x1111);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_PAR_EL1), G_PAR, "the guest's PAR_EL1 kept");
	cr_assert_eq(vcpu.exit.valid & HYP_EXIT_V_IPA, 0);
}

Test(fault_ipa, fnv_and_walk_external_aborts_and_bad_arguments)
{
	uint64_t ipa = 0x1111;

	abort_exit(0x9200044full, 0); /* permission + FnV */
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_EFAULT);
	abort_exit(0x92000015ull, 0); /* SEA on a walk */
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_EFAULT);
	abort_exit(0x5e000000ull, 0); /* HVC: not an abort */
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_fault_ipa(NULL, &ipa), HYP_EINVAL);
	abort_exit(0x92000047ull, 0);
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, NULL), HYP_EINVAL);
	cr_assert_eq(ipa, 0x1111);
	cr_assert_eq(model.calls, 0);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 0);
}

/* Hooks standing for a sysreg engine that already saved the guest's
 * IMMEDIATE registers: the CPU holds the host's. */
static uint64_t s1_hook_read(struct hyp_vcpu *v, void *ctx, uint16_t enc)
{
	(void)v;
	(void)ctx;
	switch (enc) {
	case HYP_SYS_SCTLR_EL1:
		return G_SCTLR;
	case HYP_SYS_TCR_EL1:
		return G_TCR;
	case HYP_SYS_TTBR0_EL1:
		return G_TTBR0;
	case HYP_SYS_TTBR1_EL1:
		return G_TTBR1;
	default:
		return 0;
	}
}
static const struct hyp_vcpu_hooks saved_hooks = {.read_el1 = s1_hook_read};

Test(fault_ipa, run_loop_loads_a_saved_stage1_for_the_at_and_puts_it_back)
{
	uint64_t ipa = 0;

	vcpu.hooks = &saved_hooks;
	abort_exit(0x9200004full, 0);
	vcpu.live = 0;
	/* The host's values in the CPU for two of them. */
	hyp_sim_reg_define(&cpu, HYP_SYS_TTBR0_EL1, 0x5000);
	hyp_sim_reg_define(&cpu, HYP_SYS_TCR_EL1, 0x7);
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_OK);
	cr_assert_eq(ipa, 0x87654678ull);
	cr_assert(model.ctx_ok, "the guest's stage 1 was loaded for the AT");
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_TTBR0_EL1), 0x5000, "put back");
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_TCR_EL1), 0x7, "put back");
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_TTBR0_EL1), 2);
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_TTBR1_EL1), 0, "already right");
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_SCTLR_EL1), 0);
	/* An ISB between the loads and the AT. */
	int w = hyp_sim_log_find(&cpu, 0, HYP_SIM_SYSREG_WRITE, ~0ull);
	int isb = hyp_sim_log_find(&cpu, (unsigned)w, HYP_SIM_ISB, ~0ull);
	int at = hyp_sim_log_find(&cpu, 0, HYP_SIM_AT, ~0ull);
	cr_assert(w >= 0 && isb > w && at > isb);
}

Test(fault_ipa, vhe_uses_the_el12_aliases)
{
	uint64_t ipa = 0;

	vcpu.hcr |= HYP_HCR_E2H;
	vcpu.hooks = &saved_hooks;
	model.vhe = true;
	abort_exit(0x9200004full, 0);
	vcpu.live = 0;
	cr_assert_eq(hyp_vcpu_fault_ipa(&vcpu, &ipa), HYP_OK);
	cr_assert(model.ctx_ok);
	cr_assert_eq(sw_peek(&cpu, E12(TTBR0_EL1)), 0, "put back");
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_TTBR0_EL1), 0, "EL2's own untouched");
}

Test(mmio, permission_fault_mmio_gets_the_at_ipa_or_is_refused)
{
	struct hyp_mmio m, before;

	fault_setup();
	/* STR W1 to a write-protected page: permission fault L3, S1PTW = 0;
	 * HPFAR_EL2 holds junk. */
	abort_exit(DA(SAS(2) | SRT(1) | HYP_ESR_DA_WNR | 0x0f), 0xbad0ull);
	cr_assert_eq(hyp_mmio_decode(&vcpu, &m), HYP_OK);
	cr_assert_eq(m.ipa, 0x87654678ull);
	cr_assert_eq(model.calls, 1);

	model.par = 1; /* F = 1 */
	abort_exit(DA(SAS(2) | SRT(1) | HYP_ESR_DA_WNR | 0x0f), 0xbad0ull);
	memset(&m, 0xa5, sizeof(m));
	before = m;
	cr_assert_eq(hyp_mmio_decode(&vcpu, &m), HYP_EAGAIN);
	cr_assert_eq(memcmp(&m, &before, sizeof(m)), 0);
}

Test(mmio, null_arguments_are_einval)
{
	struct hyp_mmio m;

	dabt(DA(SAS(2) | SRT(1) | 0x07), 0x9000a000);
	cr_assert_eq(hyp_mmio_decode(NULL, &m), HYP_EINVAL);
	cr_assert_eq(hyp_mmio_decode(&vcpu, NULL), HYP_EINVAL);
	cr_assert_eq(hyp_mmio_complete(NULL, &m, 0), HYP_EINVAL);
	cr_assert_eq(hyp_vcpu_skip_insn(NULL), HYP_EINVAL);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 0);
}

/* ---- exits nobody handles are answered in the guest ---- */

TestSuite(exit_default, .init = setup);

static void sync_exit(uint64_t esr, uint64_t pstate)
{
	sw_exit(&cpu, &vcpu, esr, PC, pstate);
	vcpu.live = 0; /* in the run loop */
	vcpu.regs.pc = PC;
	vcpu.regs.pstate = pstate;
	vcpu.exit.kind = HYP_EXIT_SYNC;
}

Test(exit_default, smc_with_any_immediate_is_not_supported_and_skipped)
{
	vcpu.regs.x[0] = 0x84000000;
	sync_exit(0x5e000001ull, HYP_PSR_M_EL1H); /* SMC #1 (EC 0x17, imm16 1) */
	cr_assert_eq(hyp_vcpu_exit_default(&vcpu), HYP_OK);
	cr_assert_eq(vcpu.regs.x[0], (uint64_t)-1, "SMCCC NOT_SUPPORTED");
	cr_assert_eq(vcpu.regs.pc, PC + 4, "past the SMC");
	cr_assert_eq(hyp_sim_reg_writes(&cpu, HYP_SYS_ESR_EL1), 0, "no exception");
}

Test(exit_default, hvc_with_any_immediate_is_not_supported)
{
	vcpu.regs.x[0] = 0xc2000000;
	sync_exit(0x5a000005ull, HYP_PSR_M_EL1H); /* HVC #5 (EC 0x16) */
	cr_assert_eq(hyp_vcpu_exit_default(&vcpu), HYP_OK);
	cr_assert_eq(vcpu.regs.x[0], (uint64_t)-1);
	cr_assert_eq(vcpu.regs.pc, PC, "the preferred return is already past the HVC");
}

Test(exit_default, sve_sme_cp15_cp14_sys_and_unknown_are_undef)
{
	static const struct {
		uint64_t esr, pstate, vector;
	} cases[] = {
	    {0x66000000ull, HYP_PSR_M_EL1H, 0x200},	/* SVE, EC 0x19 */
	    {0x76000000ull, HYP_PSR_M_EL0T, 0x400},	/* SME, EC 0x1D */
	    {0x0fe00401ull, HYP_PSR_M_AA32_USR, 0x600}, /* MRC p15 SCTLR from AArch32 EL0 */
	    {0x13e0041dull, HYP_PSR_M_AA32_USR, 0x600}, /* MRRC p15 CNTPCT, unhandled */
	    {0x16000000ull, HYP_PSR_M_AA32_USR, 0x600}, /* MCR/MRC p14, EC 0x05 */
	    {0x1a000000ull, HYP_PSR_M_AA32_USR, 0x600}, /* LDC/STC, EC 0x06 */
	    {0x32000000ull, HYP_PSR_M_AA32_USR, 0x600}, /* MRRC p14, EC 0x0C */
	    {0x6232f801ull, HYP_PSR_M_EL1H, 0x200},	/* MRS nobody emulates, EC 0x18 */
	    {0xfe000000ull, HYP_PSR_M_EL1H, 0x200},	/* EC 0x3F, unallocated */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sync_exit(cases[i].esr, cases[i].pstate);
		cr_assert_eq(hyp_vcpu_exit_default(&vcpu), HYP_OK, "case %zu", i);
		/* UNDEF: ESR_EL1 EC 0, IL (D24.2.46); PC at VBAR + the vector. */
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_ESR_EL1), 0x02000000ull, "case %zu", i);
		cr_assert_eq(vcpu.regs.pc, VBAR + cases[i].vector, "case %zu", i);
		cr_assert_eq(sw_peek(&cpu, HYP_SYS_ELR_EL1), PC);
	}
}

Test(exit_default, aborts_are_external_aborts_and_irqs_need_nothing)
{
	sync_exit(0x92000050ull, HYP_PSR_M_EL1H); /* DABT SEA, write */
	hyp_sim_reg_define(&cpu, HYP_SYS_FAR_EL2, 0x9000000);
	cr_assert_eq(hyp_vcpu_exit_default(&vcpu), HYP_OK);
	/* EC 0x25 (same EL), IL, WnR, DFSC 0b010000. */
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ESR_EL1), 0x96000050ull);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_FAR_EL1), 0x9000000);

	sync_exit(0, HYP_PSR_M_EL1H);
	vcpu.exit.kind = HYP_EXIT_IRQ;
	hyp_sim_reset_counts(&cpu);
	cr_assert_eq(hyp_vcpu_exit_default(&vcpu), HYP_OK);
	cr_assert_eq(sw_sysreg_accesses(&cpu), 0);
	cr_assert_eq(hyp_vcpu_exit_default(NULL), HYP_EINVAL);
}

/* ---- AArch32 CP15 accesses routed to the AArch64 handler ---- */

TestSuite(aa32, .init = setup);

Test(aa32, decode_maps_to_the_aarch64_encodings)
{
	static const struct {
		uint64_t esr;
		uint16_t enc;
		uint8_t rt, rt2;
		bool read, is64;
	} cases[] = {
	    /* MRC p15, 0, R2, c14, c2, 1: CNTP_CTL (ISS D24.2.46, EC 0x03) */
	    {0x0fe23845ull, HYP_SYS_CNTP_CTL_EL0, 2, 0, true, false},
	    /* MCR p15, 0, R3, c14, c2, 0: CNTP_TVAL */
	    {0x0fe03864ull, HYP_SYS_CNTP_TVAL_EL0, 3, 0, false, false},
	    /* MRC p15, 0, R1, c14, c3, 1: CNTV_CTL */
	    {0x0fe23827ull, HYP_SYS_CNTV_CTL_EL0, 1, 0, true, false},
	    /* MRRC p15, 0, R0, R1, c14: CNTPCT (EC 0x04) */
	    {0x13e0041dull, HYP_SYS_CNTPCT_EL0, 0, 1, true, true},
	    /* MRRC p15, 1, R0, R1, c14: CNTVCT */
	    {0x13e1041dull, HYP_SYS_CNTVCT_EL0, 0, 1, true, true},
	    /* MCRR p15, 2, R4, R5, c14: CNTP_CVAL */
	    {0x13e2149cull, HYP_SYS_CNTP_CVAL_EL0, 4, 5, false, true},
	    /* MCRR p15, 3, R4, R5, c14: CNTV_CVAL */
	    {0x13e3149cull, HYP_SYS_CNTV_CVAL_EL0, 4, 5, false, true},
	    /* MCRR p15, 0, R6, R7, c2: TTBR0 */
	    {0x13e01cc4ull, HYP_SYS_TTBR0_EL1, 6, 7, false, true},
	};
	struct hyp_aa32_sysreg r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0xa5, sizeof(r));
		cr_assert_eq(hyp_aa32_sysreg_decode(cases[i].esr, &r), HYP_OK, "case %zu", i);
		cr_assert_eq(r.enc, cases[i].enc, "case %zu: %#x", i, r.enc);
		cr_assert_eq(r.rt, cases[i].rt, "case %zu", i);
		cr_assert_eq(r.rt2, cases[i].rt2, "case %zu", i);
		cr_assert_eq(r.read, cases[i].read, "case %zu", i);
		cr_assert_eq(r.is64, cases[i].is64, "case %zu", i);
	}
	/* MRC p15, 0, R0, c1, c0, 0 (SCTLR): not mapped; an SVE trap: not CP15. */
	cr_assert_eq(hyp_aa32_sysreg_decode(0x0fe00401ull, &r), HYP_ENOENT);
	cr_assert_eq(hyp_aa32_sysreg_decode(0x66000000ull, &r), HYP_EINVAL);
	cr_assert_eq(hyp_aa32_sysreg_decode(0x0fe23845ull, NULL), HYP_EINVAL);
}

/* A stand-in for an AArch64 EC 0x18 handler: records the syndrome, answers
 * reads with 0x1122334455667788, skips the instruction. */
static uint64_t a64_esr, a64_wval;
static unsigned a64_calls;
static int a64_handler(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)self;
	a64_calls++;
	a64_esr = esr;
	if (esr & 1)
		hyp_vcpu_set_x(v, (esr >> 5) & 31, 0x1122334455667788ull);
	else
		a64_wval = hyp_vcpu_get_x(v, (esr >> 5) & 31);
	hyp_vcpu_skip_insn(v);
	return HYP_FAST_RESUME_X0_X18;
}

static int a64_decline(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)v, (void)esr, (void)self;
	a64_calls++;
	return HYP_FAST_EXIT;
}

#define USR_T32 (HYP_PSR_M_AA32_USR | (1ull << 5)) /* User mode, Thumb */

Test(aa32, mrrc_cntpct_goes_through_the_aarch64_handler_and_is_split)
{
	sync_exit(0x13e0041dull, USR_T32); /* MRRC p15, 0, R0, R1, c14 */
	vcpu.regs.x[1] = 0xdead;
	cr_assert_eq(hyp_aa32_sysreg_trap(&vcpu, vcpu.exit.esr, a64_handler, NULL),
		     HYP_FAST_RESUME_X0_X18);
	/* MRS X0, CNTPCT_EL0: EC 0x18, IL, Op0 3, Op2 1, Op1 3, CRn 14, Rt 0,
	 * CRm 0, read (D24.2.46). */
	cr_assert_eq(a64_esr, 0x6232f801ull, "%#llx", (unsigned long long)a64_esr);
	cr_assert_eq(vcpu.regs.x[0], 0x55667788);
	cr_assert_eq(vcpu.regs.x[1], 0x11223344);
	cr_assert_eq(vcpu.regs.pc, PC + 4, "a 32-bit T32 instruction");
}

Test(aa32, mrc_cntp_ctl_is_truncated_and_mcrr_joins_rt2_rt)
{
	sync_exit(0x0fe23845ull, USR_T32); /* MRC p15, 0, R2, c14, c2, 1 */
	cr_assert_eq(hyp_aa32_sysreg_trap(&vcpu, vcpu.exit.esr, a64_handler, NULL),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(a64_esr, 0x6232f845ull);
	cr_assert_eq(vcpu.regs.x[2], 0x55667788);

	sync_exit(0x13e2149cull, USR_T32); /* MCRR p15, 2, R4, R5, c14 */
	vcpu.regs.x[4] = 0xaaaabbbb;
	vcpu.regs.x[5] = 0xccccdddd;
	cr_assert_eq(hyp_aa32_sysreg_trap(&vcpu, vcpu.exit.esr, a64_handler, NULL),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(a64_esr, 0x6234f884ull); /* MSR CNTP_CVAL_EL0, X4 */
	cr_assert_eq(a64_wval, 0xccccddddaaaabbbbull);
	cr_assert_eq(vcpu.regs.x[4], 0xaaaabbbb, "R4 keeps its 32-bit value");
}

Test(aa32, failed_condition_is_a_nop_and_unmapped_or_declined_is_undef)
{
	a64_calls = 0;
	/* MRC with CV = 1, COND = EQ (0b0000), Z = 0: not executed. */
	sync_exit(0x0f023845ull, HYP_PSR_M_AA32_USR);
	cr_assert_eq(hyp_aa32_sysreg_trap(&vcpu, vcpu.exit.esr, a64_handler, NULL),
		     HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(a64_calls, 0);
	cr_assert_eq(vcpu.regs.pc, PC + 4);

	sync_exit(0x0fe00401ull, HYP_PSR_M_AA32_USR); /* SCTLR: unmapped */
	cr_assert_eq(hyp_aa32_sysreg_trap(&vcpu, vcpu.exit.esr, a64_handler, NULL),
		     HYP_FAST_RESUME);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ESR_EL1), 0x02000000ull, "UNDEF");
	cr_assert_eq(vcpu.regs.pc, VBAR + 0x600);

	sync_exit(0x13e2149cull, HYP_PSR_M_AA32_USR);
	vcpu.regs.x[4] = 0x1234;
	cr_assert_eq(hyp_aa32_sysreg_trap(&vcpu, vcpu.exit.esr, a64_decline, NULL), HYP_FAST_EXIT);
	cr_assert_eq(vcpu.regs.x[4], 0x1234, "restored");
	cr_assert_eq(hyp_aa32_sysreg_trap(NULL, 0, a64_handler, NULL), HYP_FAST_EXIT);
}

/* ---- ABSENT SVE/SME on a CPU that has them: trapped in CPTR_EL2 ---- */

#include <libhyp/cpufeat.h>
#include <libhyp/sysreg.h>

static struct hyp_cpufeat_cpu feat_cpu[1];

/* A Cortex-A76-like CPU with SVE (ID_AA64PFR0_EL1.SVE, bits [35:32] = 1)
 * and, through ID_AA64PFR1_EL1.SME (bits [27:24]) = 1, SME. */
static void boot_sve_sme(struct hyp_sim_cpu *c)
{
	hyp_sim_init(c);
	hyp_sim_set_current(c);
	hyp_sim_define_table(c, HYP_RF_ID | HYP_SYSREG_CTX, true);
	hyp_sim_reg_define(c, HYP_SYS_HCR_EL2, 0);
	hyp_sim_reg_define(c, HYP_SYS_ICC_SRE_EL2, 0);
	hyp_sim_reg_define(c, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000111111112ull);
	hyp_sim_reg_define(c, HYP_SYS_ID_AA64PFR1_EL1, 1ull << 24);
	hyp_sim_reg_define(c, HYP_SYS_ID_AA64MMFR0_EL1, 0x00101122ull);
	hyp_sim_reg_define(c, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122);
	hyp_sim_reg_define(c, HYP_SYS_ID_AA64DFR0_EL1, 0x10305408);
	hyp_cpufeat_reset();
	cr_assert_eq(hyp_cpufeat_init(feat_cpu, 1), 0);
	cr_assert_eq(hyp_cpufeat_probe_cpu(0), 0);
	cr_assert_eq(hyp_cpufeat_finalize(NULL, 0, NULL), 0);
}

static uint64_t load_hiding_sve_sme(struct hyp_sim_cpu *c, bool e2h, uint64_t cptr)
{
	static struct hyp_cpufeat_vm fv;
	static struct hyp_sysreg_vm svm;
	static struct hyp_sysreg_vcpu sv;
	enum hyp_cap hide[] = {HYP_CAP_SVE, HYP_CAP_SME};
	struct hyp_sysreg_vm_config sc = {.default_policy = HYP_SYSREG_DEFERRED,
					  .hcr_el2 = 0x80000001,
					  .e2h = e2h,
					  .features = &fv};
	uint64_t v = 0;

	boot_sve_sme(c);
	hyp_sim_reg_define(c, HYP_SYS_CPTR_EL2, cptr);
	cr_assert_eq(hyp_cpufeat_vm_init(&fv, hide, 2), 0);
	cr_assert_eq(hyp_sysreg_vm_init(&svm, &sc, NULL), 0);
	cr_assert(svm.trap_sve && svm.trap_sme);
	cr_assert_eq(hyp_sysreg_vcpu_init(&sv, &svm), 0);
	hyp_sim_reset_counts(c);
	cr_assert_eq(hyp_sysreg_load(&sv), 0);
	cr_assert_eq(hyp_sim_reg_writes(c, HYP_SYS_CPTR_EL2), 1);
	hyp_sim_reg_peek(c, HYP_SYS_CPTR_EL2, &v);
	return v;
}

Test(absent_traps, vhe_clears_zen_and_smen)
{
	struct hyp_sim_cpu *c = calloc(1, sizeof(*c));

	/* E2H = 1 layout (Arm ARM D24.2.38): ZEN [17:16], FPEN [21:20], SMEN
	 * [25:24]; 0b00 traps EL0, EL1 and EL2. FPEN is left alone. TCPAC
	 * [31] set: the guest's CPACR_EL1 holds ZEN/SMEN (issue 15). */
	cr_assert_eq(load_hiding_sve_sme(c, true, 0x03330000ull), 0x80300000ull);
	free(c);
}

Test(absent_traps, nvhe_sets_tz_and_tsm)
{
	struct hyp_sim_cpu *c = calloc(1, sizeof(*c));

	/* E2H = 0 layout: TZ [8], TFP [10], TSM [12]; RES1 bits [13], [9:0] as
	 * the host left them; TCPAC [31] set as above. */
	cr_assert_eq(load_hiding_sve_sme(c, false, 0x000022ffull), 0x800033ffull);
	free(c);
}

Test(exit_default, injection_and_undef_handler_refuse_null)
{
	cr_assert_eq(hyp_inject_undef(NULL), HYP_EINVAL);
	cr_assert_eq(hyp_inject_dabt(NULL, 0, false), HYP_EINVAL);
	cr_assert_eq(hyp_inject_iabt(NULL, 0), HYP_EINVAL);
	cr_assert_eq(hyp_inject_serror(NULL, 0), HYP_EINVAL);
	cr_assert_eq(hyp_fast_undef(NULL, 0, NULL), HYP_FAST_EXIT);
	cr_assert_eq(hyp_sysreg_fast_trap_aa32(NULL, 0x0fe23845ull, NULL), HYP_FAST_EXIT);
	cr_assert_eq(hyp_sim_total(&cpu), 0);
}

/* An AArch64 handler that refuses the register: UNDEF injected, resumed. */
static int a64_undef(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	(void)esr, (void)self;
	hyp_vcpu_set_x(v, 0, 0x777); /* scribbles, as a handler might */
	return hyp_inject_undef(v) ? HYP_FAST_EXIT : HYP_FAST_RESUME;
}

Test(aa32, an_undef_from_the_aarch64_handler_leaves_rt_and_rt2_alone)
{
	sync_exit(0x13e0041dull, HYP_PSR_M_AA32_USR); /* MRRC p15, 0, R0, R1, c14 */
	vcpu.regs.x[0] = 0x1111;
	vcpu.regs.x[1] = 0x2222;
	cr_assert_eq(hyp_aa32_sysreg_trap(&vcpu, vcpu.exit.esr, a64_undef, NULL), HYP_FAST_RESUME);
	cr_assert_eq(vcpu.regs.x[0], 0x1111);
	cr_assert_eq(vcpu.regs.x[1], 0x2222);
	cr_assert_eq(vcpu.regs.pc, VBAR + 0x600);
	cr_assert_eq(sw_peek(&cpu, HYP_SYS_ESR_EL1), 0x02000000ull);
}
