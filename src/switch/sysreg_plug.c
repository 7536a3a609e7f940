/* SPDX-License-Identifier: MIT */
/* The sysreg engine plugged into the world switch: its enter/exit as the
 * vCPU hooks, its trap handling as the fast-path handler of EC 0x18, its
 * HCR_EL2 bits kept in the vCPU's HCR value. */
#include <stddef.h>

#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/esr.h>
#include <libhyp/hw.h>
#include <libhyp/emulate.h>
#include <libhyp/sysreg_bridge.h>
#include <libhyp/sysreg.h>
#include <libhyp/sysreg_bridge.h>

static void plug_enter(struct hyp_vcpu *vcpu, void *ctx)
{
	(void)vcpu;
	hyp_sysreg_enter(ctx, NULL);
}

static void plug_exit(struct hyp_vcpu *vcpu, void *ctx)
{
	(void)vcpu;
	hyp_sysreg_exit(ctx, NULL);
}

static uint64_t plug_read_el1(struct hyp_vcpu *vcpu, void *ctx, uint16_t enc)
{
	int id = hyp_sysreg_lookup(enc);

	(void)vcpu;
	return id < 0 ? 0 : hyp_sysreg_vcpu_read_id(ctx, (unsigned)id);
}

static void plug_write_el1(struct hyp_vcpu *vcpu, void *ctx, uint16_t enc, uint64_t val)
{
	int id = hyp_sysreg_lookup(enc);

	(void)vcpu;
	if (id >= 0)
		(void)hyp_sysreg_vcpu_write_id(ctx, (unsigned)id, val);
}

static const struct hyp_vcpu_hooks plug_hooks = {
	.enter = plug_enter,
	.exit = plug_exit,
	.read_el1 = plug_read_el1,
	.write_el1 = plug_write_el1,
};

int hyp_vcpu_use_sysreg(struct hyp_vcpu *vcpu, struct hyp_sysreg_vcpu *sr)
{
	if (!vcpu || !sr || !sr->vm || sr->vm->host != HYP_SYSREG_HOST_NONE)
		return HYP_EINVAL;
	vcpu->hooks = &plug_hooks;
	vcpu->hooks_ctx = sr;
	vcpu->sysreg = sr;
	sr->hcr_owner = &vcpu->hcr;
	sr->owner = vcpu;
	sr->trap_key = ~0u; /* the dispatcher's cache: nothing */
	vcpu->trap_esr = 0; /* nor the vector code's early answer */
	vcpu->hcr = (vcpu->hcr & ~HYP_SYSREG_HCR_BITS) | (sr->vm->hcr_el2 & HYP_SYSREG_HCR_BITS);
	return 0;
}

/*
 * The MSR/MRS dispatcher: the integrator's table, the VM's ID view, the
 * engine; the answer cached per sysreg vCPU under the ISS bits that name
 * the register (Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], CRm
 * [4:1]; Arm ARM D24.2.46, ISS for EC 0x18) and the configuration.
 */
#define ISS_REG_MASK ((3u << 20) | (7u << 17) | (7u << 14) | (0xfu << 10) | (0xfu << 1))
/* In the cached key: the entry is direct (hyp_sysreg_trap_direct()). Not
 * an ISS_REG_MASK bit, and ~0 (nothing cached) never matches. */
#define TRAP_KEY_DIRECT (1u << 31)

static __attribute__((noinline)) void resolve(struct hyp_sysreg_vcpu *sr, uint32_t key,
					      uint64_t esr, const void *src, bool dispatch)
{
	const struct hyp_sysreg_dispatch *d = src;
	const struct hyp_sysreg_trap_table *table = dispatch ? (d ? d->table : NULL) : src;
	const struct hyp_cpufeat_vm *idregs = dispatch && d ? d->idregs : NULL;
	uint16_t enc = hyp_esr_sys_enc(esr);

	sr->trap_lookups++;
	sr->trap_key = key;
	sr->trap_src = src;
	sr->trap_hit = hyp_sysreg_trap_find(table, enc);
	if (sr->trap_hit && sr->trap_hit->fn == hyp_sysreg_trap_direct)
		sr->trap_key = key | TRAP_KEY_DIRECT;
	sr->trap_idval = idregs ? hyp__cpufeat_vm_idreg_slot(idregs, enc) : NULL;
	sr->trap_id = hyp_sysreg_lookup(enc);
}

/* Complete an AArch64 instruction (EC 0x18 is AArch64 only): PC + 4,
 * PSTATE.SS and BTYPE cleared (hyp_vcpu_skip_insn() without its AArch32
 * branch); SPSR_EL2 is written only if one of them was set. */
static inline void skip_a64(struct hyp_vcpu *vcpu)
{
	uint64_t spsr;

	if (!vcpu->live) {
		hyp_vcpu_skip_insn(vcpu);
		return;
	}
	spsr = hyp_read_sysreg(HYP_SYS_SPSR_EL2);
	hyp_write_sysreg(HYP_SYS_ELR_EL2, hyp_read_sysreg(HYP_SYS_ELR_EL2) + 4);
	if (spsr & (HYP_PSR_SS | HYP_PSR_BTYPE_MASK))
		hyp_write_sysreg(HYP_SYS_SPSR_EL2, spsr & ~(HYP_PSR_SS | HYP_PSR_BTYPE_MASK));
}

/* The ID view's and the engine's answers (not the hot path of a table). */
static __attribute__((noinline)) int answer_other(struct hyp_sysreg_vcpu *sr,
						  struct hyp_sysreg_access *a, uint64_t esr)
{
	a->enc = hyp_esr_sys_enc(esr);
	if (sr->trap_idval) {
		a->val = *sr->trap_idval;
		return a->read ? HYP_SYSREG_HANDLED : HYP_SYSREG_UNDEF;
	}
	return hyp__sysreg_trap_engine(sr, a, sr->trap_id);
}

int hyp_sysreg_trap_direct(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a, void *ctx)
{
	(void)vcpu;
	(void)a;
	(void)ctx;
	return HYP_ENOTSUP;
}

int hyp_sysreg_trap_slot(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a, void *ctx)
{
	const struct hyp_sysreg_slot *s = ctx;
	uint64_t *p;

	if (!vcpu || !a || !s || !vcpu->owner || (s->offset & 7))
		return HYP_EINVAL;
	p = (uint64_t *)(void *)((char *)vcpu->owner + s->offset);
	if (a->read)
		a->val = *p;
	else
		*p = a->val & s->wmask;
	return HYP_SYSREG_HANDLED;
}

/*
 * The vector code's early answer (entry.S; libhyp/sysreg_bridge.h,
 * "Storage-slot entries"): recorded only for an AArch64 access answered by
 * the dispatcher registered as the EC 0x18 handler itself (not through an
 * integrator's wrapper, which the early path would skip).
 */
static inline bool early_ok(const struct hyp_vcpu *vcpu, const struct hyp_fast_entry *self)
{
	/* Not live (the run loop calls the handler): hyp_switch_prepare()
	 * would clear the record before the guest runs again. */
	return vcpu->live && self == &vcpu->fast->entry[HYP_EC_SYS64] &&
	       self->fn == hyp_sysreg_dispatch_trap;
}

/* A direct entry: Rt X0..X15 only (the early call leaves X19..X29 in the
 * CPU). Recorded as the syndrome without the direction; a storage slot's
 * record has bit 63 set too (entry.S tells the two apart by it), so only
 * syndromes with bits [63:32] clear (all of EC 0x18's: ISS2 is RES0) are
 * recorded. */
static inline void early_direct(struct hyp_vcpu *vcpu, uint64_t esr,
				const struct hyp_fast_entry *self,
				const struct hyp_sysreg_direct *d)
{
	if (!(esr & (1u << 9)) && !(esr >> 32) && early_ok(vcpu, self)) {
		vcpu->trap_esr = esr & ~1ull;
		vcpu->trap_answer = (uintptr_t)d;
		vcpu->trap_wmask = (uintptr_t)&vcpu->regs.x[(esr >> 5) & 31u];
	}
}

/* The resume after a completed access: x19..x29 are only reloaded by a
 * full resume (X30 is reloaded always). */
static inline int resume_for(uint64_t esr)
{
	if (!(esr & 1u))
		return HYP_FAST_RESUME_X0_X18;
	return ((esr >> 5) & 31u) - 19u < 11u ? HYP_FAST_RESUME : HYP_FAST_RESUME_X0_X18;
}

/* Not live, or AArch32 (the CP15 form): hyp_vcpu_skip_insn(), out of line
 * so that the AArch64 path stays a leaf. */
static __attribute__((noinline)) int direct_done_slow(struct hyp_vcpu *vcpu, uint64_t esr)
{
	hyp_vcpu_skip_insn(vcpu);
	return resume_for(esr);
}

/* entry.S (aarch64) has the hot part of hyp_sysreg_direct_done() and of
 * hyp_sysreg_dispatch_trap() (a cached direct hit) and branches to these C
 * versions for everything else; on the host backend the public names are
 * these, unchanged (host_entry.c). */
#include "switch_priv.h"
_Static_assert(offsetof(struct hyp_vcpu, hooks_ctx) == SW_VCPU_HOOKS_CTX &&
		   offsetof(struct hyp_vcpu, live) == SW_VCPU_LIVE &&
		   offsetof(struct hyp_sysreg_vcpu, trap_key) == SW_SR_TRAP_KEY &&
		   offsetof(struct hyp_sysreg_vcpu, trap_hit) == SW_SR_TRAP_HIT &&
		   offsetof(struct hyp_sysreg_trap_entry, ctx) == SW_TRAP_ENTRY_CTX &&
		   offsetof(struct hyp_sysreg_direct, fn) == 0 &&
		   offsetof(struct hyp_sysreg_direct, ctx) == 8 &&
		   offsetof(struct hyp_vcpu, trap_esr) == SW_VCPU_TRAP_ESR &&
		   offsetof(struct hyp_vcpu, trap_answer) == SW_VCPU_TRAP_ANSWER &&
		   offsetof(struct hyp_vcpu, trap_wmask) == SW_VCPU_TRAP_WMASK &&
		   offsetof(struct hyp_fast_table, entry) == 0 &&
		   sizeof(struct hyp_fast_entry) == 16 && offsetof(struct hyp_fast_entry, fn) == 0,
	       "entry.S: the direct MSR/MRS path's offsets");
_Static_assert(ISS_REG_MASK == (0x3ffc00u | 0x1eu) && TRAP_KEY_DIRECT == 0x80000000u,
	       "entry.S: the direct MSR/MRS path's key");

_Static_assert(HYP_FAST_RESUME_SKIP == SW_FAST_RESUME_SKIP && HYP_ESR_EARLY == 1ull << 63,
	       "entry.S: the early direct call's resume");

int hyp__sysreg_direct_done_c(struct hyp_vcpu *vcpu, uint64_t esr)
{
	uint64_t spsr;

	/* The vector code's early call completes the instruction itself. */
	if (esr & HYP_ESR_EARLY)
		return HYP_FAST_RESUME_SKIP;
	if (__builtin_expect(!vcpu->live, 0))
		return direct_done_slow(vcpu, esr);
	/* skip_a64() with its SPSR_EL2 read shared with the AArch32 check. */
	spsr = hyp_read_sysreg(HYP_SYS_SPSR_EL2);
	if (__builtin_expect(spsr & HYP_PSR_M_AA32, 0))
		return direct_done_slow(vcpu, esr);
	hyp_write_sysreg(HYP_SYS_ELR_EL2, hyp_read_sysreg(HYP_SYS_ELR_EL2) + 4);
	if (spsr & (HYP_PSR_SS | HYP_PSR_BTYPE_MASK))
		hyp_write_sysreg(HYP_SYS_SPSR_EL2, spsr & ~(HYP_PSR_SS | HYP_PSR_BTYPE_MASK));
	return resume_for(esr);
}

int hyp_sysreg_direct_undef(struct hyp_vcpu *vcpu)
{
	return hyp_inject_undef(vcpu) ? HYP_FAST_EXIT : HYP_FAST_RESUME;
}

/* A direct handler for an access to XZR: a zero to write, a read lost. */
static __attribute__((noinline)) int direct_xzr(struct hyp_vcpu *vcpu, uint64_t esr,
						const struct hyp_sysreg_direct *d)
{
	uint64_t zero = 0;

	return d->fn(vcpu, esr, &zero, d->ctx);
}

/* A storage slot's answer (hyp_sysreg_trap_slot() without the access
 * struct), the skip, the record; a leaf but for its tail calls. */
static __attribute__((noinline)) int answer_slot(struct hyp_vcpu *vcpu, uint64_t esr, bool a32,
						 struct hyp_sysreg_vcpu *sr,
						 const struct hyp_sysreg_trap_entry *e,
						 const struct hyp_fast_entry *self)
{
	const struct hyp_sysreg_slot *s = e->ctx;
	const uint64_t clr = HYP_PSR_SS | HYP_PSR_BTYPE_MASK;
	unsigned rt = (esr >> 5) & 31u;
	uint64_t *p, spsr;

	/* hyp_sysreg_trap_slot()'s checks: its error to the run loop. */
	if (__builtin_expect(!s || !sr->owner || (s->offset & 7), 0)) {
		sr->trap_error = HYP_EINVAL;
		return HYP_FAST_EXIT;
	}
	p = (uint64_t *)(void *)((char *)sr->owner + s->offset);
	if (esr & 1u)
		hyp_vcpu_set_x(vcpu, rt, *p);
	else
		*p = hyp_vcpu_get_x(vcpu, rt) & s->wmask;
	/* AArch32: hyp_vcpu_skip_insn() (T32, IT). Not live (the run loop's
	 * call) from AArch64 (EC 0x18): the saved PC and PSTATE, as it would. */
	if (a32)
		return direct_done_slow(vcpu, esr);
	if (!vcpu->live) {
		vcpu->regs.pc += 4;
		vcpu->regs.pstate &= ~clr;
		return resume_for(esr);
	}
	spsr = hyp_read_sysreg(HYP_SYS_SPSR_EL2);
	hyp_write_sysreg(HYP_SYS_ELR_EL2, hyp_read_sysreg(HYP_SYS_ELR_EL2) + 4);
	if (spsr & clr)
		hyp_write_sysreg(HYP_SYS_SPSR_EL2, spsr & ~clr);
	if (early_ok(vcpu, self) && !(esr >> 32)) {
		vcpu->trap_esr = (esr & ~1ull) | 1ull << 63;
		vcpu->trap_answer = (uintptr_t)p | 1u;
		vcpu->trap_wmask = s->wmask;
	}
	return resume_for(esr);
}

/* Answer a trap whose register is in the cache. @a32: the access came from
 * AArch32 through hyp_aa32_sysreg_trap() (the skip must know AArch32 and
 * IT). @esr is an EC 0x18 syndrome (the fast-path table dispatches by
 * class). */
static inline __attribute__((always_inline)) int
answer_with(struct hyp_vcpu *vcpu, uint64_t esr, bool a32, bool direct, struct hyp_sysreg_vcpu *sr,
	    const struct hyp_sysreg_trap_entry *e, const struct hyp_fast_entry *self)
{
	struct hyp_sysreg_access a;
	unsigned rt = (esr >> 5) & 31u;
	int rc;

	/* A direct entry: a compare and a tail call (no access struct). */
	if (direct && e != NULL && e->fn == hyp_sysreg_trap_direct) {
		const struct hyp_sysreg_direct *d = e->ctx;

		if (__builtin_expect(rt == 31, 0))
			return direct_xzr(vcpu, esr, d);
		if (!a32)
			early_direct(vcpu, esr, self, d);
		return d->fn(vcpu, esr, &vcpu->regs.x[rt], d->ctx);
	}
	/* A storage slot: no access struct, no indirect call. */
	if (e != NULL && e->fn == hyp_sysreg_trap_slot)
		return answer_slot(vcpu, esr, a32, sr, e, self);
	a.rt = (uint8_t)rt;
	a.read = esr & 1u;
	a.val = esr & 1u ? 0 : hyp_vcpu_get_x(vcpu, rt);
	if (__builtin_expect(e != NULL, 1)) {
		a.enc = e->enc;
		rc = e->fn(sr, &a, e->ctx);
	} else {
		rc = answer_other(sr, &a, esr);
	}
	if (__builtin_expect(rc != HYP_SYSREG_HANDLED, 0)) {
		if (rc == HYP_SYSREG_UNDEF)
			return hyp_inject_undef(vcpu) ? HYP_FAST_EXIT : HYP_FAST_RESUME;
		/* A handler's error: the run loop decides (never an UNDEF). */
		((struct hyp_sysreg_vcpu *)vcpu->hooks_ctx)->trap_error = rc < 0 ? rc : HYP_EINVAL;
		return HYP_FAST_EXIT;
	}
	if (a32)
		hyp_vcpu_skip_insn(vcpu);
	else
		skip_a64(vcpu);
	/* Rt and the direction again from the syndrome: one register kept
	 * across the handler's call, not three (the empty asm stops the
	 * compiler from keeping the values computed before the call). */
	__asm__("" : "+r"(esr));
	if (!(esr & 1u))
		return HYP_FAST_RESUME_X0_X18;
	rt = (esr >> 5) & 31u;
	hyp_vcpu_set_x(vcpu, rt, a.val);
	/* x19..x29 are only reloaded by a full resume (X30 is reloaded always). */
	return rt - 19u < 11u ? HYP_FAST_RESUME : HYP_FAST_RESUME_X0_X18;
}

static inline __attribute__((always_inline)) int answer(struct hyp_vcpu *vcpu, uint64_t esr,
							bool a32, bool direct,
							const struct hyp_fast_entry *self)
{
	struct hyp_sysreg_vcpu *sr = vcpu->hooks_ctx;

	return answer_with(vcpu, esr, a32, direct, sr, sr->trap_hit, self);
}

/* A register not in the cache: resolve it, then answer (out of line, so
 * that the hit path calls nothing before the handler). */
static __attribute__((noinline)) int answer_miss(struct hyp_vcpu *vcpu, uint64_t esr,
						 const void *src, bool disp, bool a32,
						 const struct hyp_fast_entry *self)
{
	resolve(vcpu->hooks_ctx, (uint32_t)esr & ISS_REG_MASK, esr, src, disp);
	return a32 ? answer(vcpu, esr, true, true, self) : answer(vcpu, esr, false, true, self);
}

/* @disp: @src is a struct hyp_sysreg_dispatch (else a trap table, the ctx
 * of hyp_sysreg_fast_trap()). */
static inline __attribute__((always_inline)) int dispatch(struct hyp_vcpu *vcpu, uint64_t esr,
							  const struct hyp_fast_entry *self,
							  bool disp, bool a32)
{
	const void *src = self->ctx;
	const struct hyp_sysreg_vcpu *sr = vcpu->hooks_ctx;
	uint32_t key;

	/* hyp_sysreg_fast_trap() checks the vCPU uses the engine; the
	 * dispatcher's precondition (a hot path: see its doc comment). */
	if (!disp && __builtin_expect(vcpu->hooks != &plug_hooks || hyp_esr_ec(esr) != HYP_EC_SYS64, 0))
		return HYP_FAST_EXIT;
	/* One configuration per vCPU in the dispatcher: its answer is keyed
	 * by the register alone (hyp_vcpu_use_sysreg() forgets it). The
	 * compatibility entry checks the table too. */
	key = (uint32_t)esr & ISS_REG_MASK;
	if (__builtin_expect(disp || src == sr->trap_src, 1)) {
		/* A direct entry (flagged in the cached key): a compare and a
		 * tail call, no access struct, no stack frame. */
		if ((key | TRAP_KEY_DIRECT) == sr->trap_key) {
			const struct hyp_sysreg_direct *d = sr->trap_hit->ctx;
			unsigned rt = (esr >> 5) & 31u;

			if (__builtin_expect(rt == 31, 0))
				return direct_xzr(vcpu, esr, d);
			if (!a32)
				early_direct(vcpu, esr, self, d);
			return d->fn(vcpu, esr, &vcpu->regs.x[rt], d->ctx);
		}
		if (__builtin_expect(key == sr->trap_key, 1))
			return answer(vcpu, esr, a32, false, self);
	}
	return answer_miss(vcpu, esr, src, disp, a32, self);
}

int hyp_sysreg_fast_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	return dispatch(vcpu, esr, self, false, false);
}

/* entry.S: the dispatcher's cached hit of an ordinary entry (the key
 * compared there). */
static __attribute__((noinline)) int answer_ordinary(struct hyp_vcpu *vcpu, uint64_t esr,
						     const struct hyp_fast_entry *self)
{
	return answer(vcpu, esr, false, false, self);
}

int hyp__sysreg_answer_cached(struct hyp_vcpu *vcpu, uint64_t esr,
			      const struct hyp_fast_entry *self)
{
	struct hyp_sysreg_vcpu *sr = vcpu->hooks_ctx;

	/* A storage slot first; each a tail call, no frame here. */
	if (sr->trap_hit && sr->trap_hit->fn == hyp_sysreg_trap_slot)
		return answer_slot(vcpu, esr, false, sr, sr->trap_hit, self);
	return answer_ordinary(vcpu, esr, self);
}

int hyp__sysreg_dispatch_trap_c(struct hyp_vcpu *vcpu, uint64_t esr,
				const struct hyp_fast_entry *self)
{
	return dispatch(vcpu, esr, self, true, false);
}

static int fast_trap_a32(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	return dispatch(vcpu, esr, self, false, true);
}

static int dispatch_trap_a32(struct hyp_vcpu *vcpu, uint64_t esr,
			     const struct hyp_fast_entry *self)
{
	return dispatch(vcpu, esr, self, true, true);
}

int hyp_sysreg_dispatch_init(struct hyp_sysreg_dispatch *d,
			     const struct hyp_sysreg_trap_table *table,
			     const struct hyp_cpufeat_vm *idregs)
{
	if (!d || (table && hyp_sysreg_trap_table_check(table)))
		return HYP_EINVAL;
	d->table = table;
	d->idregs = idregs;
	return 0;
}

/*
 * AArch32 EL0 accesses to trapped registers (EC 0x03 MCR/MRC and 0x04
 * MCRR/MRRC to CP15; Arm ARM D24.2.46, "ISS encoding for an exception from
 * an MCR or MRC access" and "... from an MCRR or MRRC access"):
 * 32-bit  CV [24], COND [23:20], Opc2 [19:17], Opc1 [16:14], CRn [13:10],
 *         Rt [9:5], CRm [4:1], Direction [0] (1 = read, MRC);
 * 64-bit  CV [24], COND [23:20], Opc1 [19:16], Rt2 [14:10], Rt [9:5],
 *         CRm [4:1], Direction [0] (1 = read, MRRC).
 *
 * The AArch32 registers libhyp maps, with the AArch64 register each is
 * architecturally mapped to (Arm ARM G8, the AArch32 register descriptions:
 * "AArch32 System register X bits [n:0] are architecturally mapped to
 * AArch64 System register Y"). Only whole-register mappings: the 32-bit
 * halves of 64-bit AArch64 registers (SCTLR, TTBCR, DFAR/IFAR, PRRR/NMRR,
 * AMAIR0/1, DFSR) are EL1-only, UNDEFINED at AArch32 EL0 before any EL2
 * trap, and libhyp runs no AArch32 EL1.
 */
#define CP32(opc1, crn, crm, opc2) (((opc1) << 11) | ((crn) << 7) | ((crm) << 3) | (opc2))
#define CP64(opc1, crm)		   (0x8000u | ((opc1) << 4) | (crm))

static const struct {
	uint16_t key;
	uint16_t enc;
} aa32_map[] = {
    /* Generic timer (G8.7): CNTFRQ, CNTKCTL, CNTP_TVAL, CNTP_CTL, CNTV_TVAL, CNTV_CTL */
    {CP32(0, 14, 0, 0), HYP_SYS_CNTFRQ_EL0},
    {CP32(0, 14, 1, 0), HYP_SYS_CNTKCTL_EL1},
    {CP32(0, 14, 2, 0), HYP_SYS_CNTP_TVAL_EL0},
    {CP32(0, 14, 2, 1), HYP_SYS_CNTP_CTL_EL0},
    {CP32(0, 14, 3, 0), HYP_SYS_CNTV_TVAL_EL0},
    {CP32(0, 14, 3, 1), HYP_SYS_CNTV_CTL_EL0},
    /* CNTPCT, CNTVCT, CNTP_CVAL, CNTV_CVAL (MRRC/MCRR, CRm = c14) */
    {CP64(0, 14), HYP_SYS_CNTPCT_EL0},
    {CP64(1, 14), HYP_SYS_CNTVCT_EL0},
    {CP64(2, 14), HYP_SYS_CNTP_CVAL_EL0},
    {CP64(3, 14), HYP_SYS_CNTV_CVAL_EL0},
    /* HCR_EL2.TVM/TRVM registers that map whole: TTBR0, TTBR1 (64-bit),
     * CONTEXTIDR (CONTEXTIDR_EL1[63:32] are RES0) */
    {CP64(0, 2), HYP_SYS_TTBR0_EL1},
    {CP64(1, 2), HYP_SYS_TTBR1_EL1},
    {CP32(0, 13, 0, 1), HYP_SYS_CONTEXTIDR_EL1},
};

int hyp_aa32_sysreg_decode(uint64_t esr, struct hyp_aa32_sysreg *out)
{
	unsigned ec = hyp_esr_ec(esr);
	uint32_t iss = hyp_esr_iss(esr);
	uint16_t key;

	if (!out)
		return HYP_EINVAL;
	if (ec == HYP_EC_CP15_32)
		key = (uint16_t)CP32((iss >> 14) & 7u, (iss >> 10) & 0xfu, (iss >> 1) & 0xfu,
				     (iss >> 17) & 7u);
	else if (ec == HYP_EC_CP15_64)
		key = (uint16_t)CP64((iss >> 16) & 0xfu, (iss >> 1) & 0xfu);
	else
		return HYP_EINVAL;
	for (size_t i = 0; i < sizeof(aa32_map) / sizeof(aa32_map[0]); i++) {
		if (aa32_map[i].key != key)
			continue;
		out->enc = aa32_map[i].enc;
		out->rt = (uint8_t)((iss >> 5) & 0x1fu);
		out->rt2 = ec == HYP_EC_CP15_64 ? (uint8_t)((iss >> 10) & 0x1fu) : 0;
		out->read = iss & 1u;
		out->is64 = ec == HYP_EC_CP15_64;
		return HYP_OK;
	}
	return HYP_ENOENT;
}

static int undef_or_exit(struct hyp_vcpu *vcpu)
{
	return hyp_inject_undef(vcpu) ? HYP_FAST_EXIT : HYP_FAST_RESUME;
}

int hyp_aa32_sysreg_trap(struct hyp_vcpu *vcpu, uint64_t esr, hyp_fast_fn a64,
			 const struct hyp_fast_entry *a64_self)
{
	struct hyp_aa32_sysreg r;
	uint64_t esr64, old, v, pc;
	int act;

	if (!vcpu || !a64)
		return HYP_FAST_EXIT;
	if (hyp_aa32_sysreg_decode(esr, &r))
		return undef_or_exit(vcpu);
	/* A failed condition: the instruction is a NOP (D24.2.46, CV/COND). */
	if (!hyp_esr_cond_passed(esr, hyp_vcpu_pstate(vcpu))) {
		hyp_vcpu_skip_insn(vcpu);
		return HYP_FAST_RESUME_X0_X18;
	}
	/* R15 (PC) and the banked registers above R14 are not transfer
	 * registers of these accesses at EL0 (CONSTRAINED UNPREDICTABLE). */
	if (r.rt > 14 || (r.is64 && r.rt2 > 14))
		return undef_or_exit(vcpu);
	/* The same access in AArch64: EC 0x18 with the mapped register and
	 * Rt (D24.2.46, ISS for EC 0x18: Op0 [21:20], Op2 [19:17], Op1
	 * [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0]). */
	esr64 = ((uint64_t)HYP_EC_SYS64 << HYP_ESR_EC_SHIFT) | HYP_ESR_IL |
		((uint64_t)HYP_SYSREG_OP0(r.enc) << 20) | ((uint64_t)HYP_SYSREG_OP2(r.enc) << 17) |
		((uint64_t)HYP_SYSREG_OP1(r.enc) << 14) | ((uint64_t)HYP_SYSREG_CRN(r.enc) << 10) |
		((uint64_t)r.rt << 5) | ((uint64_t)HYP_SYSREG_CRM(r.enc) << 1) | (r.read ? 1u : 0u);
	old = hyp_vcpu_get_x(vcpu, r.rt);
	if (r.is64 && !r.read)
		hyp_vcpu_set_x(vcpu, r.rt, (hyp_vcpu_get_x(vcpu, r.rt2) << 32) | (uint32_t)old);
	pc = hyp_vcpu_pc(vcpu);
	act = a64(vcpu, esr64, a64_self);
	if (act != HYP_FAST_RESUME_X0_X18 && act != HYP_FAST_RESUME) {
		hyp_vcpu_set_x(vcpu, r.rt, old);
		return HYP_FAST_EXIT;
	}
	/* Not completed (the handler injected UNDEF, say): the registers are
	 * the guest's as they were. MCR/MRC/MCRR/MRRC are 4 bytes in A32 and
	 * T32 alike. */
	if (hyp_vcpu_pc(vcpu) != (uint32_t)(pc + 4)) {
		hyp_vcpu_set_x(vcpu, r.rt, old);
		return act;
	}
	/* AArch32 registers are 32 bits: split a 64-bit read over Rt, Rt2. */
	v = hyp_vcpu_get_x(vcpu, r.rt);
	hyp_vcpu_set_x(vcpu, r.rt, (uint32_t)v);
	if (r.is64 && r.read)
		hyp_vcpu_set_x(vcpu, r.rt2, v >> 32);
	/* Rt and Rt2 are R0..R14: X0..X18 are reloaded by every resume. */
	return act;
}

int hyp_sysreg_fast_trap_aa32(struct hyp_vcpu *vcpu, uint64_t esr,
			      const struct hyp_fast_entry *self)
{
	return hyp_aa32_sysreg_trap(vcpu, esr, fast_trap_a32, self);
}

int hyp_sysreg_dispatch_trap_aa32(struct hyp_vcpu *vcpu, uint64_t esr,
				  const struct hyp_fast_entry *self)
{
	return hyp_aa32_sysreg_trap(vcpu, esr, dispatch_trap_a32, self);
}
