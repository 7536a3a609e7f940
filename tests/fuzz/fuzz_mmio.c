/* SPDX-License-Identifier: MIT */
/*
 * Fuzzer for exit decoding and MMIO emulation: random ESR_EL2 / FAR_EL2 /
 * HPFAR_EL2 / PAR_EL1 (the AT S1E1R result) / register states into
 * hyp_mmio_decode() and hyp_mmio_complete() on the simulated CPU, checked
 * against an independent model written here from the Arm ARM, with every
 * field position a literal (never the library's esr.h helpers):
 *
 * - D24.2.46 "ESR_EL2", ISS of a Data Abort: ISV bit 24, SAS [23:22],
 *   SSE 21, SRT [20:16], SF 15, AR 14, FnV 10, CM 8, S1PTW 7, WnR 6,
 *   DFSC [5:0]; EC [31:26] = 0b100100 (Data Abort from a lower EL);
 *   IL bit 25.
 * - D24.2.76 "HPFAR_EL2": FIPA [47:4] = IPA[55:12] (the library keeps 44
 *   bits); valid for Address size, Translation, Access flag faults, the
 *   FEAT_LPA2 level -1 codes 0b101001 / 0b101011, and a Permission fault
 *   on a stage-1 walk; otherwise (a stage-2 Permission fault, the other
 *   codes >= 0b010000) the IPA comes from AT S1E1R: D24.2.142 "PAR_EL1",
 *   F = bit 0, PA[51:12]; a synchronous external abort (or its ECC/parity
 *   form) on a walk, DFSC 0b0101xx / 0b0111xx, has nothing to walk again.
 * - C6.2 loads: a load of SAS bytes is sign-extended (SSE) to the register
 *   width, a W register (SF = 0) has its upper 32 bits zeroed, XZR (31)
 *   discards it; the PC then advances 4 bytes (A64) and PSTATE.BTYPE
 *   ([11:10]) and PSTATE.SS (bit 21) are cleared (D1.3.4, D2.10.3).
 *
 * Invariants: hyp_mmio_decode() either refuses with the model's negative
 * code and changes nothing (the struct, the GPRs, PC, PSTATE; and for the
 * refusals the syndrome alone decides, no register access at all), or
 * gives exactly the model's IPA, size, sign, register, direction, width,
 * AR and store data. hyp_mmio_complete() on the decoded access and on a
 * random one either refuses (EINVAL: a size not 1/2/4/8, a register > 31)
 * changing nothing, or writes only Xt (never X31) with the model's
 * extension and advances the PC.
 *
 * Input: 8-byte little-endian words (missing bytes read as 0): ESR, FAR,
 * HPFAR, PAR, value, flags (live, AArch64 PSTATE bits), a random struct
 * hyp_mmio for complete, then the GPRs. Built as a libFuzzer target with
 * clang (fuzz-mmio) and, for any compiler, with driver.c
 * (fuzz-mmio-replay). See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp/emulate.h>
#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/switch.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hyp_sim_cpu cpu;
static struct hyp_vcpu vcpu;
static bool ready;
static uint64_t at_par;
static unsigned at_calls;

#define CHECK(c, ...)                                                                              \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "mmio fuzz: %s:%d: %s: ", __FILE__, __LINE__, #c);         \
			fprintf(stderr, __VA_ARGS__);                                              \
			fprintf(stderr, "\n");                                                     \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void sim_fail(struct hyp_sim_cpu *c, const char *msg, void *ctx)
{
	(void)c;
	(void)ctx;
	fprintf(stderr, "mmio fuzz: simulated CPU misuse: %s\n", msg);
	abort();
}

static uint64_t sim_at(struct hyp_sim_cpu *c, uint64_t va, void *ctx)
{
	(void)c;
	(void)va;
	(void)ctx;
	at_calls++;
	return at_par;
}

static uint64_t word(const uint8_t *d, size_t n, size_t i)
{
	uint64_t v = 0;

	for (size_t b = 0; b < 8; b++)
		if (i * 8 + b < n)
			v |= (uint64_t)d[i * 8 + b] << (8 * b);
	return v;
}

/* ---- the model (Arm ARM literals only) ---- */

struct model {
	int ret; /* expected return */
	bool no_access; /* refused on the syndrome alone: no register touched */
	uint64_t ipa;
	unsigned size, reg;
	bool write, sse, sf, ar;
};

static void model_decode(uint64_t esr, uint64_t far, uint64_t hpfar, uint64_t par, struct model *o)
{
	unsigned ec = (unsigned)(esr >> 26) & 0x3f, fsc = (unsigned)esr & 0x3f;
	bool isv = (esr >> 24) & 1, cm = (esr >> 8) & 1, s1ptw = (esr >> 7) & 1,
	     fnv = (esr >> 10) & 1, hpfar_ok;

	memset(o, 0, sizeof(*o));
	o->no_access = true;
	if (ec != 0x24) {
		o->ret = HYP_EINVAL;
		return;
	}
	if (s1ptw) {
		o->ret = HYP_EFAULT;
		return;
	}
	if (!isv || cm) {
		o->ret = HYP_ENOTSUP;
		return;
	}
	if (fnv) {
		o->ret = HYP_EFAULT;
		return;
	}
	o->no_access = false;
	/* S1PTW = 0 here: a Permission fault (0b0011xx) is a stage-2 one. */
	hpfar_ok = fsc == 0x29 || fsc == 0x2b || (fsc < 0x10 && (fsc & 0x3c) != 0x0c);
	if (hpfar_ok) {
		o->ipa = (((hpfar >> 4) & 0xfffffffffffull) << 12) | (far & 0xfff);
	} else {
		if ((fsc & 0x3c) == 0x14 || (fsc & 0x3c) == 0x1c) {
			o->ret = HYP_EFAULT;
			return;
		}
		if (par & 1) {
			o->ret = HYP_EAGAIN;
			return;
		}
		o->ipa = (par & 0x000ffffffffff000ull) | (far & 0xfff);
	}
	o->ret = HYP_OK;
	o->size = 1u << ((esr >> 22) & 3);
	o->sse = (esr >> 21) & 1;
	o->reg = (unsigned)(esr >> 16) & 0x1f;
	o->sf = (esr >> 15) & 1;
	o->ar = (esr >> 14) & 1;
	o->write = (esr >> 6) & 1;
}

/* What a load of @size bytes leaves in the register (C6.2 LDR/LDRS*). */
static uint64_t model_load(uint64_t v, unsigned size, bool sse, bool sf)
{
	switch (size) {
	case 1:
		v = sse ? (uint64_t)(int64_t)(int8_t)v : (uint8_t)v;
		break;
	case 2:
		v = sse ? (uint64_t)(int64_t)(int16_t)v : (uint16_t)v;
		break;
	case 4:
		v = sse ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
		break;
	default:
		break;
	}
	return sf ? v : (uint32_t)v;
}

struct snap {
	uint64_t x[31], pc, pstate;
};

static void snap(struct snap *s)
{
	memcpy(s->x, vcpu.regs.x, sizeof(s->x));
	s->pc = hyp_vcpu_pc(&vcpu);
	s->pstate = hyp_vcpu_pstate(&vcpu);
}

static void check_complete(const struct hyp_mmio *m, uint64_t value, const struct snap *before,
			   bool valid)
{
	struct snap after;
	int rc = hyp_mmio_complete(&vcpu, m, value);

	snap(&after);
	if (!valid) {
		CHECK(rc == HYP_EINVAL, "size %u reg %u: rc %d", m->size, m->reg, rc);
		CHECK(!memcmp(before, &after, sizeof(after)), "a refused complete changed state");
		return;
	}
	CHECK(rc == HYP_OK, "rc %d", rc);
	for (unsigned i = 0; i < 31; i++) {
		uint64_t want = before->x[i];

		if (!m->write && i == m->reg)
			want = model_load(value, m->size, m->sign_extend, m->sf);
		CHECK(after.x[i] == want, "X%u = %#llx, want %#llx (size %u sse %d sf %d)", i,
		      (unsigned long long)after.x[i], (unsigned long long)want, m->size,
		      m->sign_extend, m->sf);
	}
	CHECK(after.pc == before->pc + 4, "PC %#llx from %#llx", (unsigned long long)after.pc,
	      (unsigned long long)before->pc);
	CHECK(after.pstate == (before->pstate & ~((3ull << 10) | (1ull << 21))), "PSTATE %#llx",
	      (unsigned long long)after.pstate);
}

static void setup(void)
{
	static const uint16_t regs[] = {HYP_SYS_ESR_EL2,   HYP_SYS_ELR_EL2, HYP_SYS_SPSR_EL2,
					HYP_SYS_FAR_EL2,   HYP_SYS_HPFAR_EL2, HYP_SYS_PAR_EL1,
					HYP_SYS_HCR_EL2};

	hyp_sim_init(&cpu);
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		CHECK(hyp_sim_reg_define(&cpu, regs[i], 0) == 0, "define %zu", i);
	hyp_sim_set_fail(&cpu, sim_fail, NULL);
	hyp_sim_set_at(&cpu, sim_at, NULL);
	hyp_sim_set_current(&cpu);
	ready = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t esr = word(data, size, 0), far = word(data, size, 1), hpfar = word(data, size, 2),
		 value = word(data, size, 4), flags = word(data, size, 5),
		 rnd = word(data, size, 6), pc = word(data, size, 7), pstate;
	struct hyp_mmio m, sentinel, r;
	struct model o;
	struct snap before, after;
	uint32_t events;
	int rc;

	if (!ready)
		setup();
	at_par = word(data, size, 3);
	at_calls = 0;
	/* A small-value bias: half the inputs get the EC of a lower-EL data
	 * abort and ISV = 1, so decoding goes past the first refusals. */
	if (flags & 1)
		esr = (esr & ~(0x3full << 26)) | (0x24ull << 26) | (1ull << 24);
	/* AArch64 EL1h or EL0 (M[4] = 0), with random NZCV, DAIF, BTYPE, SS. */
	pstate = (flags >> 8) & ((0xfull << 28) | (1ull << 21) | (3ull << 10) | (0xfull << 6));
	pstate |= (flags & 2) ? 0x5 : 0x0;

	CHECK(hyp_vcpu_init(&vcpu, 1ull << 31, NULL) == HYP_OK, "vcpu init");
	for (unsigned i = 0; i < 31; i++)
		vcpu.regs.x[i] = word(data, size, 8 + i) ^ (0x0101010101010101ull * i);
	vcpu.live = (flags >> 2) & 1;
	vcpu.regs.pc = pc;
	vcpu.regs.pstate = pstate;
	hyp_sim_reg_define(&cpu, HYP_SYS_ESR_EL2, esr);
	hyp_sim_reg_define(&cpu, HYP_SYS_ELR_EL2, pc);
	hyp_sim_reg_define(&cpu, HYP_SYS_SPSR_EL2, pstate);
	hyp_sim_reg_define(&cpu, HYP_SYS_FAR_EL2, far);
	hyp_sim_reg_define(&cpu, HYP_SYS_HPFAR_EL2, hpfar);
	hyp_sim_reg_define(&cpu, HYP_SYS_PAR_EL1, 0x800);
	vcpu.exit.esr = esr;
	vcpu.exit.valid = 0;
	hyp_sim_reset_counts(&cpu);

	model_decode(esr, far, hpfar, at_par, &o);
	memset(&m, 0x5a, sizeof(m));
	sentinel = m;
	snap(&before); /* live: ELR_EL2/SPSR_EL2 reads, not the decode's */
	hyp_sim_reset_counts(&cpu);
	rc = hyp_mmio_decode(&vcpu, &m);
	events = hyp_sim_total(&cpu);
	snap(&after);
	CHECK(rc == o.ret, "decode of ESR %#llx: rc %d, model %d", (unsigned long long)esr, rc,
	      o.ret);
	CHECK(!memcmp(&before, &after, sizeof(after)), "decode changed the guest's registers");
	if (o.no_access)
		CHECK(events == 0 && at_calls == 0,
		      "refused on the syndrome but touched the CPU (%u events)", events);
	if (at_calls)
		CHECK(hyp_sim_reg_writes(&cpu, HYP_SYS_PAR_EL1) == 1, "PAR_EL1 writes %u",
		      hyp_sim_reg_writes(&cpu, HYP_SYS_PAR_EL1));
	{
		uint64_t par_now = 0;

		hyp_sim_reg_peek(&cpu, HYP_SYS_PAR_EL1, &par_now);
		CHECK(par_now == 0x800, "the guest's PAR_EL1 lost: %#llx",
		      (unsigned long long)par_now);
	}
	if (rc) {
		CHECK(!memcmp(&m, &sentinel, sizeof(m)), "a refused decode wrote the access");
	} else {
		CHECK(m.ipa == o.ipa, "IPA %#llx, model %#llx", (unsigned long long)m.ipa,
		      (unsigned long long)o.ipa);
		CHECK(m.size == o.size && m.reg == o.reg && m.write == o.write &&
			  m.sign_extend == o.sse && m.sf == o.sf && m.acq_rel == o.ar,
		      "fields of ESR %#llx", (unsigned long long)esr);
		if (o.write) {
			uint64_t v = o.reg == 31 ? 0 : before.x[o.reg];

			if (o.size < 8)
				v &= (1ull << (o.size * 8)) - 1;
			CHECK(m.data == v, "store data %#llx, want %#llx",
			      (unsigned long long)m.data, (unsigned long long)v);
		} else {
			CHECK(m.data == 0, "load data %#llx", (unsigned long long)m.data);
		}
		check_complete(&m, value, &before, true);
		snap(&before);
	}

	/* complete() with a random access. */
	memset(&r, 0, sizeof(r));
	r.size = (uint8_t)rnd;
	r.reg = (uint8_t)(rnd >> 8);
	if (rnd & (1ull << 16)) { /* mostly plausible ones */
		r.size = (uint8_t)(1u << (r.size & 3));
		r.reg &= 0x1f;
	}
	r.write = (rnd >> 17) & 1;
	r.sign_extend = (rnd >> 18) & 1;
	r.sf = (rnd >> 19) & 1;
	r.acq_rel = (rnd >> 20) & 1;
	r.ipa = far;
	r.data = value;
	check_complete(&r, value ^ rnd, &before,
		       (r.size == 1 || r.size == 2 || r.size == 4 || r.size == 8) && r.reg <= 31);
	return 0;
}
