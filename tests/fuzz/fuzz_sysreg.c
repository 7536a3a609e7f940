/* SPDX-License-Identifier: MIT */
/*
 * Fuzzer for the MSR/MRS dispatcher (hyp_sysreg_dispatch_trap()) on the
 * host backend: per input, a random integrator trap table (up to 8 sorted
 * encodings, each handler answering HANDLED with a value, UNDEF, or an
 * error), a random ID view, and up to 32 traps of random encodings (biased
 * to the table, the ID space and the engine's registers), random Rt and
 * direction, through the engine of a VM whose registers are DEFERRED.
 *
 * The ESR is built from literals: Arm ARM D24.2.46 "ESR_EL2", ISS for
 * EC 0b011000 (MSR/MRS): Op0 [21:20], Op2 [19:17], Op1 [16:14],
 * CRn [13:10], Rt [9:5], CRm [4:1], Direction bit 0 (1 = read); IL bit 25.
 * ID registers: op0 3, op1 0, CRn 0, CRm 1..7 (D23.3.1); the two whose
 * values are checked, ID_AA64PFR0_EL1 (3,0,0,4,0) and ID_AA64MMFR1_EL1
 * (3,0,0,7,1), with their encodings from their register descriptions.
 *
 * Invariants, per trap: never a crash or a misuse of the simulated CPU; the
 * result is RESUME_X0_X18, RESUME or EXIT; a table hit calls exactly its
 * handler once with the trap's encoding, Rt, direction and (a write) the
 * value of Xt (0 for XZR), and then: HANDLED: a read leaves the handler's
 * value in Xt (nothing for XZR), no other GPR changes, ELR_EL2 + 4, no
 * system register written but ELR_EL2 / SPSR_EL2; UNDEF: ELR_EL2 =
 * VBAR_EL1 + 0x200 (the vector of a synchronous exception taken from the
 * current EL with SP_ELx: EL1h), no GPR changes; an error: EXIT, nothing changed, the
 * error in trap_error. Not in the table: an ID-space read is answered from
 * the view without reading hardware (PFR0/MMFR1: the view's value), an
 * ID-space write is UNDEF; any other trap resumes (handled, PC + 4, only
 * Xt possibly changed, only on a read) or injects UNDEF or exits, with no
 * GPR changed other than Xt.
 *
 * Direct entries (hyp_sysreg_trap_direct() with a struct
 * hyp_sysreg_direct, issue 16 item 4): the direct handler is called once
 * with the trap's syndrome and a pointer to Xt (the value of Xt for a
 * write, 0 for XZR); it answers with hyp_sysreg_direct_done() (a read
 * leaves its value in Xt, PC + 4), hyp_sysreg_direct_undef() (VBAR_EL1 +
 * 0x200) or HYP_FAST_EXIT (nothing changed).
 *
 * AArch32 (hyp_sysreg_dispatch_trap_aa32(), EC 0x03 MCR/MRC and 0x04
 * MCRR/MRRC from AArch32 EL0): the ISS from D24.2.46 (EC 0x03: CV [24],
 * COND [23:20], Opc2 [19:17], Opc1 [16:14], CRn [13:10], Rt [9:5], CRm
 * [4:1], Direction [0]; EC 0x04: CV, COND, Opc1 [19:16], Rt2 [14:10],
 * Rt [9:5], CRm [4:1], Direction). The AArch32 registers with an AArch64
 * twin that a hypervisor traps (G8.7 generic timer: CNTFRQ, CNTKCTL,
 * CNTP_TVAL/CTL, CNTV_TVAL/CTL, 64-bit CNTPCT, CNTVCT, CNTP_CVAL,
 * CNTV_CVAL; G8.2 TTBR0/TTBR1 (64-bit), CONTEXTIDR), each mapped here from
 * its register description, go to the AArch64 handler with the AArch64
 * encoding and Rt: a read puts the low 32 bits in Rt (64-bit: high half in
 * Rt2), a write hands the handler Rt (64-bit: Rt2:Rt); PC + 4. Anything
 * else, and Rt or Rt2 above R14, is UNDEFINED (VBAR_EL1 + 0x600: from a
 * lower EL in AArch32); an access whose condition (CV = 1, COND against
 * SPSR_EL2.NZCV, F1.4 ConditionHolds) fails is a NOP (PC + 4, no handler).
 * See docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c, ...)                                                                              \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "sysreg fuzz: %s:%d: %s: ", __FILE__, __LINE__, #c);       \
			fprintf(stderr, __VA_ARGS__);                                              \
			fprintf(stderr, "\n");                                                     \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define ENC(op0, op1, crn, crm, op2)                                                               \
	((uint16_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2)))
#define ENC_PFR0  ENC(3, 0, 0, 4, 0)
#define ENC_MMFR1 ENC(3, 0, 0, 7, 1)
#define VBAR	  0x80000ull
#define PC0	  0x1000ull

static struct hyp_sim_cpu sim;
static struct hyp_cpufeat_cpu cpus[1];
static struct hyp_sysreg_vm vm;
static struct hyp_sysreg_vcpu sr;
static struct hyp_vcpu v;
static struct hyp_fast_table fast;
static struct hyp_cpufeat_vm idview;
static struct hyp_sysreg_dispatch disp;
static bool ready;

struct tentry {
	uint16_t enc;
	uint8_t action; /* 0 HANDLED, 1 UNDEF, 2 error (a direct entry: EXIT) */
	bool direct;	/* hyp_sysreg_trap_direct() */
	uint64_t val;
	unsigned calls;
	struct hyp_sysreg_access seen;
	uint64_t seen_esr;
};
static struct tentry tent[8];
static struct hyp_sysreg_direct dir[8];
static struct hyp_sysreg_trap_entry entries[8];

/* AArch32 CP15 registers and their AArch64 twins (see the header). */
#define CP32K(opc1, crn, crm, opc2) (0x8000u | (opc1) << 11 | (crn) << 7 | (crm) << 3 | (opc2))
#define CP64K(opc1, crm)	    (0x4000u | (opc1) << 4 | (crm))
static const struct {
	uint16_t key, enc;
} a32map[] = {
    {CP32K(0, 14, 0, 0), ENC(3, 3, 14, 0, 0)}, /* CNTFRQ -> CNTFRQ_EL0 */
    {CP32K(0, 14, 1, 0), ENC(3, 0, 14, 1, 0)}, /* CNTKCTL -> CNTKCTL_EL1 */
    {CP32K(0, 14, 2, 0), ENC(3, 3, 14, 2, 0)}, /* CNTP_TVAL */
    {CP32K(0, 14, 2, 1), ENC(3, 3, 14, 2, 1)}, /* CNTP_CTL */
    {CP32K(0, 14, 3, 0), ENC(3, 3, 14, 3, 0)}, /* CNTV_TVAL */
    {CP32K(0, 14, 3, 1), ENC(3, 3, 14, 3, 1)}, /* CNTV_CTL */
    {CP32K(0, 13, 0, 1), ENC(3, 0, 13, 0, 1)}, /* CONTEXTIDR -> CONTEXTIDR_EL1 */
    {CP64K(0, 14), ENC(3, 3, 14, 0, 1)},       /* CNTPCT */
    {CP64K(1, 14), ENC(3, 3, 14, 0, 2)},       /* CNTVCT */
    {CP64K(2, 14), ENC(3, 3, 14, 2, 2)},       /* CNTP_CVAL */
    {CP64K(3, 14), ENC(3, 3, 14, 3, 2)},       /* CNTV_CVAL */
    {CP64K(0, 2), ENC(3, 0, 2, 0, 0)},	       /* TTBR0 -> TTBR0_EL1 */
    {CP64K(1, 2), ENC(3, 0, 2, 0, 1)},	       /* TTBR1 -> TTBR1_EL1 */
};
#define NA32 (sizeof(a32map) / sizeof(a32map[0]))

/* F1.4 ConditionHolds() over NZCV = SPSR [31:28]. */
static bool cond_holds(unsigned cond, uint64_t spsr)
{
	bool n = spsr >> 31 & 1, z = spsr >> 30 & 1, c = spsr >> 29 & 1, v = spsr >> 28 & 1, r;

	switch (cond >> 1) {
	case 0:
		r = z;
		break;
	case 1:
		r = c;
		break;
	case 2:
		r = n;
		break;
	case 3:
		r = v;
		break;
	case 4:
		r = c && !z;
		break;
	case 5:
		r = n == v;
		break;
	case 6:
		r = n == v && !z;
		break;
	default:
		r = true;
		break;
	}
	return (cond & 1) && cond != 15 ? !r : r;
}

static int direct_handler(struct hyp_vcpu *vc, uint64_t esr, uint64_t *xt, void *ctx)
{
	struct tentry *t = ctx;

	t->calls++;
	t->seen_esr = esr;
	/* ISS for EC 0x18 (D24.2.46): the access as the handler sees it */
	t->seen.enc = (uint16_t)ENC(esr >> 20 & 3, esr >> 14 & 7, esr >> 10 & 15, esr >> 1 & 15,
				    esr >> 17 & 7);
	t->seen.rt = (uint8_t)(esr >> 5 & 31);
	t->seen.read = esr & 1;
	t->seen.val = *xt;
	if (t->action == 0) {
		if (esr & 1)
			*xt = t->val;
		return hyp_sysreg_direct_done(vc, esr);
	}
	return t->action == 1 ? hyp_sysreg_direct_undef(vc) : HYP_FAST_EXIT;
}
static struct hyp_sysreg_trap_table table;

static void sim_fail(struct hyp_sim_cpu *c, const char *msg, void *ctx)
{
	(void)c;
	(void)ctx;
	fprintf(stderr, "sysreg fuzz: simulated CPU misuse: %s\n", msg);
	abort();
}

static int handler(struct hyp_sysreg_vcpu *s, struct hyp_sysreg_access *a, void *ctx)
{
	struct tentry *t = ctx;

	(void)s;
	t->calls++;
	t->seen = *a;
	if (t->action == 0) {
		if (a->read)
			a->val = t->val;
		return HYP_SYSREG_HANDLED;
	}
	return t->action == 1 ? HYP_SYSREG_UNDEF : HYP_ENOMEM;
}

static void setup(void)
{
	struct hyp_sysreg_vm_config c = {.default_policy = HYP_SYSREG_DEFERRED};
	const uint16_t el2[] = {HYP_SYS_HCR_EL2, HYP_SYS_ICC_SRE_EL2, HYP_SYS_ESR_EL2,
				HYP_SYS_ELR_EL2, HYP_SYS_SPSR_EL2,    HYP_SYS_FAR_EL2};

	hyp_sim_init(&sim);
	hyp_sim_set_current(&sim);
	hyp_sim_define_table(&sim, HYP_RF_ID | HYP_SYSREG_CTX, false);
	for (unsigned i = 0; i < sizeof(el2) / sizeof(el2[0]); i++)
		hyp_sim_reg_define(&sim, el2[i], 0);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64PFR0_EL1, 0x1100000011111112);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR0_EL1, 0x00101122);
	hyp_sim_reg_define(&sim, HYP_SYS_ID_AA64MMFR1_EL1, 0x10212122);
	hyp_cpufeat_reset();
	hyp_cpufeat_init(cpus, 1);
	hyp_cpufeat_probe_cpu(0);
	hyp_cpufeat_finalize(NULL, 0, NULL);
	CHECK(hyp_sysreg_vm_init(&vm, &c, NULL) == 0, "vm");
	CHECK(hyp_sysreg_vcpu_init(&sr, &vm) == 0, "vcpu");
	CHECK(hyp_cpufeat_vm_init(&idview, NULL, 0) == 0, "view");
	hyp_fast_table_init(&fast);
	CHECK(hyp_vcpu_init(&v, 0x80000011ull, &fast) == 0, "init");
	CHECK(hyp_vcpu_use_sysreg(&v, &sr) == 0, "use");
	CHECK(hyp_sysreg_load(&sr) == 0, "load");
	hyp_sim_set_fail(&sim, sim_fail, NULL);
	ready = true;
}

static uint8_t byte(const uint8_t *d, size_t n, size_t *pos)
{
	return *pos < n ? d[(*pos)++] : 0;
}

static uint64_t word(const uint8_t *d, size_t n, size_t *pos)
{
	uint64_t x = 0;

	for (unsigned i = 0; i < 8; i++)
		x |= (uint64_t)byte(d, n, pos) << (8 * i);
	return x;
}

static int cmp_enc(const void *a, const void *b)
{
	return (int)((const struct tentry *)a)->enc - (int)((const struct tentry *)b)->enc;
}

static uint64_t reg(uint16_t enc)
{
	uint64_t x = 0;

	hyp_sim_reg_peek(&sim, enc, &x);
	return x;
}

/* One AArch32 EL0 MCR/MRC/MCRR/MRRC trap (see the header). */
static void aa32_trap(const uint8_t *data, size_t size, size_t *pos, uint8_t sel, uint8_t rt,
		      uint16_t e, unsigned nr)
{
	uint8_t b = byte(data, size, pos), rt2 = byte(data, size, pos) & 31;
	bool read = ((unsigned)(sel ^ b) * 0xb5u) >> 7 & 1, is64 = sel & 2, cv = b & 0x10;
	unsigned cond = b & 15, opc1, crn = 0, crm, opc2 = 0, ec;
	uint64_t spsr = (uint64_t)(b >> 4 & 15) << 28 | 0x10, esr, x[31];
	int m = -1, hit = -1, rc;
	struct tentry before[8];
	uint16_t key;

	rt &= 15;
	if ((sel >> 2) % 4 != 0) { /* mostly a mapped register */
		unsigned i = e % NA32;

		key = a32map[i].key;
		is64 = key & 0x4000;
	} else {
		key = is64 ? (uint16_t)CP64K(e >> 4 & 15, e & 15)
			   : (uint16_t)CP32K(e >> 11 & 7, e >> 7 & 15, e >> 3 & 15, e & 7);
	}
	if (sel & 0x40) /* sometimes R15 or a banked number */
		rt = (uint8_t)(15 + (e >> 12 & 15));
	if (is64) {
		opc1 = key >> 4 & 15;
		crm = key & 15;
		ec = 0x04;
		esr = (uint64_t)opc1 << 16 | (uint64_t)(rt2 & 31) << 10;
	} else {
		opc1 = key >> 11 & 7;
		crn = key >> 7 & 15;
		crm = key >> 3 & 15;
		opc2 = key & 7;
		ec = 0x03;
		esr = (uint64_t)opc2 << 17 | (uint64_t)opc1 << 14 | (uint64_t)crn << 10;
	}
	esr |= (uint64_t)ec << 26 | 1ull << 25 | (cv ? 1ull << 24 : 0) | (uint64_t)cond << 20 |
	       (uint64_t)(rt & 31) << 5 | (uint64_t)crm << 1 | (read ? 1u : 0u);
	for (unsigned i = 0; i < NA32; i++)
		if (a32map[i].key == key)
			m = (int)i;
	for (unsigned i = 0; m >= 0 && i < nr; i++)
		if (tent[i].enc == a32map[m].enc)
			hit = (int)i;
	/* AArch32 state: X0..X14 are R0..R14 (upper halves zero) */
	for (unsigned i = 0; i < 31; i++)
		v.regs.x[i] = i < 15 ? 0x10000000u * (i & 7) + (uint32_t)*pos * 0x100 + i : 0;
	memcpy(x, v.regs.x, sizeof(x));
	memcpy(before, tent, sizeof(before));
	hyp_sim_reg_define(&sim, HYP_SYS_ESR_EL2, esr);
	hyp_sim_reg_define(&sim, HYP_SYS_ELR_EL2, PC0);
	hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, spsr);
	hyp_sysreg_vcpu_write(&sr, VBAR_EL1, VBAR);
	v.live = 1;
	v.exit.esr = esr;
	v.exit.valid = 0;
	sr.trap_error = 0;
	hyp_sim_reset_counts(&sim);
	rc = hyp_sysreg_dispatch_trap_aa32(&v, esr, &fast.entry[ec]);

	CHECK(rc == HYP_FAST_RESUME_X0_X18 || rc == HYP_FAST_RESUME || rc == HYP_FAST_EXIT,
	      "aa32 rc %d", rc);
	/* the condition fails: a NOP (an unknown encoding may be UNDEF) */
	if (cv && !cond_holds(cond, spsr)) {
		for (unsigned i = 0; i < nr; i++)
			CHECK(tent[i].calls == before[i].calls,
			      "aa32: a failed condition called %#x", tent[i].enc);
		CHECK(!memcmp(x, v.regs.x, sizeof(x)), "aa32: a failed condition changed a GPR");
		CHECK(reg(HYP_SYS_ELR_EL2) == PC0 + 4 ||
			  ((m < 0 || rt > 14 || (is64 && rt2 > 14)) &&
			   reg(HYP_SYS_ELR_EL2) == VBAR + 0x600),
		      "aa32: a failed condition resumed at %#llx (key %#x)",
		      (unsigned long long)reg(HYP_SYS_ELR_EL2), key);
		return;
	}
	if (m < 0 || rt > 14 || (is64 && rt2 > 14)) {
		for (unsigned i = 0; i < nr; i++)
			CHECK(tent[i].calls == before[i].calls, "aa32: UNDEF access called %#x",
			      tent[i].enc);
		CHECK(rc != HYP_FAST_EXIT && reg(HYP_SYS_ELR_EL2) == VBAR + 0x600,
		      "aa32 key %#x rt %u rt2 %u: not UNDEF (rc %d, ELR %#llx)", key, rt, rt2, rc,
		      (unsigned long long)reg(HYP_SYS_ELR_EL2));
		CHECK(!memcmp(x, v.regs.x, sizeof(x)), "aa32: UNDEF changed a GPR");
		return;
	}
	for (unsigned i = 0; i < nr; i++)
		CHECK(tent[i].calls == before[i].calls + (hit == (int)i),
		      "aa32: handler %u of %#x called %u times for key %#x", i, tent[i].enc,
		      tent[i].calls - before[i].calls, key);
	for (unsigned i = 0; i < 31; i++)
		if (!(read && (i == rt || (is64 && i == rt2)) && rc != HYP_FAST_EXIT))
			CHECK(v.regs.x[i] == x[i], "aa32: X%u changed (key %#x rt %u rt2 %u rc %d)",
			      i, key, rt, rt2, rc);
	if (hit < 0) {
		if (rc == HYP_FAST_EXIT)
			CHECK(reg(HYP_SYS_ELR_EL2) == PC0, "aa32: an exit moved the PC");
		else
			CHECK(reg(HYP_SYS_ELR_EL2) == PC0 + 4 ||
				  reg(HYP_SYS_ELR_EL2) == VBAR + 0x600,
			      "aa32: resumed at %#llx", (unsigned long long)reg(HYP_SYS_ELR_EL2));
		return;
	}
	{
		struct tentry *h = &tent[hit];
		uint64_t wval = is64 ? x[rt2] << 32 | (uint32_t)x[rt] : x[rt];

		CHECK(h->seen.enc == a32map[m].enc && h->seen.rt == rt && h->seen.read == read,
		      "aa32: handler saw %#x rt %u read %d, want %#x rt %u read %d", h->seen.enc,
		      h->seen.rt, h->seen.read, a32map[m].enc, rt, read);
		if (!read)
			CHECK(h->seen.val == wval, "aa32: MCR/MCRR value %#llx, want %#llx",
			      (unsigned long long)h->seen.val, (unsigned long long)wval);
		if (h->action == 2) {
			CHECK(rc == HYP_FAST_EXIT && reg(HYP_SYS_ELR_EL2) == PC0,
			      "aa32: a handler's error or exit: rc %d", rc);
			return;
		}
		if (h->action == 1) {
			CHECK(rc != HYP_FAST_EXIT && reg(HYP_SYS_ELR_EL2) == VBAR + 0x600,
			      "aa32: handler UNDEF: ELR %#llx",
			      (unsigned long long)reg(HYP_SYS_ELR_EL2));
			CHECK(!memcmp(x, v.regs.x, sizeof(x)), "aa32: handler UNDEF changed a GPR");
			return;
		}
		CHECK(rc != HYP_FAST_EXIT && reg(HYP_SYS_ELR_EL2) == PC0 + 4,
		      "aa32 handled: ELR %#llx", (unsigned long long)reg(HYP_SYS_ELR_EL2));
		if (read) {
			/* MRRC with Rt == Rt2: CONSTRAINED UNPREDICTABLE (one of the halves) */
			CHECK(v.regs.x[rt] == (uint32_t)h->val ||
				  (is64 && rt == rt2 && v.regs.x[rt] == h->val >> 32),
			      "aa32: R%u = %#llx, handler gave %#llx", rt,
			      (unsigned long long)v.regs.x[rt], (unsigned long long)h->val);
			if (is64 && rt2 != rt)
				CHECK(v.regs.x[rt2] == h->val >> 32,
				      "aa32: R%u (Rt2) = %#llx, want %#llx", rt2,
				      (unsigned long long)v.regs.x[rt2],
				      (unsigned long long)(h->val >> 32));
		} else {
			CHECK(v.regs.x[rt] == x[rt], "aa32: MCR/MCRR changed Rt");
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 0;
	unsigned nr = 0, want = 0, ntraps;
	uint64_t pfr0, mmfr1;

	if (!ready)
		setup();
	/* The table: up to 8 distinct encodings, sorted. */
	want = byte(data, size, &pos) % 9;
	for (unsigned i = 0; i < want; i++) {
		uint16_t e = (uint16_t)(byte(data, size, &pos) | byte(data, size, &pos) << 8);
		uint8_t act = byte(data, size, &pos);
		bool dup = false;

		if (act & 4) /* often an ID register or an engine one */
			e = (act & 8) ? ENC_PFR0 : ENC(3, 0, 13, 0, 4); /* TPIDR_EL1 */
		else if (act & 0x20) /* or one an AArch32 access maps to */
			e = a32map[e % NA32].enc;
		for (unsigned j = 0; j < nr; j++)
			dup |= tent[j].enc == e;
		if (dup)
			continue;
		memset(&tent[nr], 0, sizeof(tent[nr]));
		tent[nr].enc = e;
		tent[nr].action = act % 3;
		tent[nr].direct = act & 0x10;
		tent[nr].val = word(data, size, &pos);
		nr++;
	}
	qsort(tent, nr, sizeof(tent[0]), cmp_enc);
	for (unsigned i = 0; i < nr; i++) {
		entries[i].enc = tent[i].enc;
		entries[i].fn = tent[i].direct ? hyp_sysreg_trap_direct : handler;
		dir[i] = (struct hyp_sysreg_direct){direct_handler, &tent[i]};
		entries[i].ctx = tent[i].direct ? (void *)&dir[i] : (void *)&tent[i];
	}
	table.entries = entries;
	table.nr = nr;
	CHECK(hyp_sysreg_dispatch_init(&disp, &table, &idview) == 0, "dispatch init");
	hyp_fast_table_init(&fast);
	CHECK(hyp_fast_register(&fast, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, &disp) == 0, "reg");
	CHECK(hyp_fast_register(&fast, 0x03, hyp_sysreg_dispatch_trap_aa32, &disp) == 0, "reg 3");
	CHECK(hyp_fast_register(&fast, 0x04, hyp_sysreg_dispatch_trap_aa32, &disp) == 0, "reg 4");
	CHECK(hyp_vcpu_use_sysreg(&v, &sr) == 0, "use"); /* empties the cache */
	pfr0 = word(data, size, &pos);
	mmfr1 = word(data, size, &pos);
	idview.id[HYP_REG_ID_AA64PFR0_EL1] = pfr0;
	idview.id[HYP_REG_ID_AA64MMFR1_EL1] = mmfr1;
	hyp_sysreg_vcpu_write(&sr, VBAR_EL1, VBAR); /* DEFERRED: the engine's copy */
	sr.trap_error = 0;

	ntraps = byte(data, size, &pos) % 33;
	for (unsigned t = 0; t < ntraps && pos < size; t++) {
		uint8_t sel = byte(data, size, &pos), rt = byte(data, size, &pos) & 31;
		/* The direction from a product, not from one bit: the replay
		 * driver's bytes are the low bytes of consecutive xorshift64
		 * states, whose low bits are linearly related (with sel & 1,
		 * MSR XZR never came up: docs/fuzzing.md). */
		bool read = ((unsigned)(sel ^ rt) * 0xb5u) >> 7 & 1;
		uint16_t e = (uint16_t)(byte(data, size, &pos) | byte(data, size, &pos) << 8);
		unsigned op0, op1, crn, crm, op2;
		uint64_t esr, x[31], xt_before;
		int hit = -1, rc;
		struct tentry before[8];

		if (sel & 0x80) {
			aa32_trap(data, size, &pos, sel, rt, e, nr);
			continue;
		}
		if ((sel >> 1) % 4 == 0 && nr)
			e = tent[e % nr].enc;
		else if ((sel >> 1) % 4 == 1)
			e = (e & 1) ? ENC_PFR0 : ENC_MMFR1;
		else if ((sel >> 1) % 4 == 2)
			e = ENC(3, 0, 0, 1 + (e >> 3) % 7, e & 7); /* ID space */
		op0 = e >> 14;
		op1 = (e >> 11) & 7;
		crn = (e >> 7) & 15;
		crm = (e >> 3) & 15;
		op2 = e & 7;
		esr = (0x18ull << 26) | (1ull << 25) | ((uint64_t)op0 << 20) |
		      ((uint64_t)op2 << 17) | ((uint64_t)op1 << 14) | ((uint64_t)crn << 10) |
		      ((uint64_t)rt << 5) | ((uint64_t)crm << 1) | (read ? 1u : 0u);
		for (unsigned i = 0; i < 31; i++)
			v.regs.x[i] = 0x1000000000000000ull * (i & 7) + t * 0x100 + i;
		memcpy(x, v.regs.x, sizeof(x));
		xt_before = rt == 31 ? 0 : x[rt];
		for (unsigned i = 0; i < nr; i++)
			if (tent[i].enc == e)
				hit = (int)i;
		memcpy(before, tent, sizeof(before));
		hyp_sim_reg_define(&sim, HYP_SYS_ESR_EL2, esr);
		hyp_sim_reg_define(&sim, HYP_SYS_ELR_EL2, PC0);
		hyp_sim_reg_define(&sim, HYP_SYS_SPSR_EL2, 0x5); /* EL1h */
		/* A guest MSR VBAR_EL1 (a random encoding) moves the UNDEF vector:
		 * every trap starts from VBAR. */
		hyp_sysreg_vcpu_write(&sr, VBAR_EL1, VBAR);
		v.live = 1;
		v.exit.esr = esr;
		v.exit.valid = 0;
		sr.trap_error = 0;
		hyp_sim_reset_counts(&sim);
		rc = hyp_sysreg_dispatch_trap(&v, esr, &fast.entry[HYP_EC_SYS64]);

		CHECK(rc == HYP_FAST_RESUME_X0_X18 || rc == HYP_FAST_RESUME || rc == HYP_FAST_EXIT,
		      "rc %d", rc);
		for (unsigned i = 0; i < nr; i++)
			CHECK(tent[i].calls == before[i].calls + (hit == (int)i),
			      "handler %u of %#x called %u times for %#x", i, tent[i].enc,
			      tent[i].calls - before[i].calls, e);
		for (unsigned i = 0; i < 31; i++)
			if (!(read && i == rt && rc != HYP_FAST_EXIT))
				CHECK(v.regs.x[i] == x[i],
				      "X%u changed (enc %#x rt %u read %d rc %d)", i, e, rt, read,
				      rc);
		if (hit >= 0) {
			struct tentry *h = &tent[hit];

			CHECK(h->seen.enc == e && h->seen.rt == rt && h->seen.read == read,
			      "handler saw %#x rt %u read %d", h->seen.enc, h->seen.rt,
			      h->seen.read);
			if (!read)
				CHECK(h->seen.val == xt_before, "MSR value %#llx, Xt %#llx",
				      (unsigned long long)h->seen.val,
				      (unsigned long long)xt_before);
			if (h->direct)
				CHECK(h->seen_esr == esr,
				      "direct handler saw ESR %#llx, trap %#llx",
				      (unsigned long long)h->seen_esr, (unsigned long long)esr);
			if (h->action == 2 && h->direct) {
				CHECK(rc == HYP_FAST_EXIT && reg(HYP_SYS_ELR_EL2) == PC0,
				      "a direct handler's EXIT: rc %d", rc);
				CHECK(!read || rt == 31 || v.regs.x[rt] == x[rt],
				      "Xt changed on EXIT");
				continue;
			}
			if (h->action == 2) {
				CHECK(rc == HYP_FAST_EXIT && sr.trap_error == HYP_ENOMEM &&
					  reg(HYP_SYS_ELR_EL2) == PC0,
				      "a handler's error: rc %d trap_error %d", rc, sr.trap_error);
				CHECK(!read || rt == 31 || v.regs.x[rt] == x[rt],
				      "Xt changed on error");
				continue;
			}
			CHECK(rc != HYP_FAST_EXIT, "table hit exits");
			if (h->action == 1) {
				CHECK(reg(HYP_SYS_ELR_EL2) == VBAR + 0x200, "UNDEF: ELR %#llx",
				      (unsigned long long)reg(HYP_SYS_ELR_EL2));
				CHECK(!read || rt == 31 || v.regs.x[rt] == x[rt],
				      "Xt changed on UNDEF");
				continue;
			}
			CHECK(reg(HYP_SYS_ELR_EL2) == PC0 + 4, "handled: ELR %#llx",
			      (unsigned long long)reg(HYP_SYS_ELR_EL2));
			if (read && rt != 31)
				CHECK(v.regs.x[rt] == h->val, "X%u = %#llx, handler gave %#llx", rt,
				      (unsigned long long)v.regs.x[rt], (unsigned long long)h->val);
			CHECK(sim.counts[HYP_SIM_SYSREG_WRITE] ==
				  hyp_sim_reg_writes(&sim, HYP_SYS_ELR_EL2) +
				      hyp_sim_reg_writes(&sim, HYP_SYS_SPSR_EL2),
			      "a handled trap wrote another register");
			continue;
		}
		/* Not in the table. */
		CHECK(hyp_sim_reg_reads(&sim, HYP_SYS_ID_AA64PFR0_EL1) == 0 &&
			  hyp_sim_reg_reads(&sim, HYP_SYS_ID_AA64MMFR1_EL1) == 0,
		      "an ID register read from hardware");
		if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7) {
			if (!read) {
				CHECK(rc != HYP_FAST_EXIT && reg(HYP_SYS_ELR_EL2) == VBAR + 0x200,
				      "MSR to ID %#x: rc %d ELR %#llx", e, rc,
				      (unsigned long long)reg(HYP_SYS_ELR_EL2));
				continue;
			}
			CHECK(rc != HYP_FAST_EXIT && reg(HYP_SYS_ELR_EL2) == PC0 + 4,
			      "MRS of ID %#x: rc %d ELR %#llx", e, rc,
			      (unsigned long long)reg(HYP_SYS_ELR_EL2));
			if (rt != 31 && e == ENC_PFR0)
				CHECK(v.regs.x[rt] == pfr0, "PFR0 %#llx, view %#llx",
				      (unsigned long long)v.regs.x[rt], (unsigned long long)pfr0);
			if (rt != 31 && e == ENC_MMFR1)
				CHECK(v.regs.x[rt] == mmfr1, "MMFR1 %#llx",
				      (unsigned long long)v.regs.x[rt]);
			continue;
		}
		if (rc == HYP_FAST_EXIT)
			CHECK(reg(HYP_SYS_ELR_EL2) == PC0, "an exit moved the PC");
		else
			CHECK(reg(HYP_SYS_ELR_EL2) == PC0 + 4 ||
				  reg(HYP_SYS_ELR_EL2) == VBAR + 0x200,
			      "resumed at %#llx", (unsigned long long)reg(HYP_SYS_ELR_EL2));
	}
	return 0;
}
