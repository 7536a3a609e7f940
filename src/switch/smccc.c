/* SPDX-License-Identifier: MIT */
/*
 * SMCCC calls over HVC and SMC (Arm DEN 0028, SMC Calling Convention) and
 * the PSCI functions a hypervisor answers for its guests (Arm DEN 0022,
 * Power State Coordination Interface). The WFx policy is in wfx.c.
 */
#include <stddef.h>

#include <libhyp/error.h>
#include <libhyp/psci.h>
#include <libhyp/world_switch.h>

#include "switch_priv.h"

/* Function ID fields (DEN 0028, "Function Identifiers"). */
#define FN_OWNER(fn)  (((fn) >> HYP_SMCCC_OWNER_SHIFT) & 0x3fu)
#define FN_MBZ	      0x00ff0000u /* bits [23:16]: zero for fast calls */
#define FN_NUMBER(fn) ((fn)&0xffffu)
/* PSCI uses function numbers 0x00-0x1F of the standard secure service. */
#define PSCI_FN_LAST 0x1fu

/* MPIDR_EL1 affinity fields Aff3 [39:32], Aff2..Aff0 [23:0]. */
#define MPIDR_AFF_MASK 0xff00ffffffull

static inline int ret_x0(struct hyp_vcpu *vcpu, int64_t v)
{
	vcpu->regs.x[0] = (uint64_t)v;
	return HYP_FAST_RESUME_X0_X18;
}

/* Leave the fast path with the call recorded for the run loop. */
static inline int exit_call(struct hyp_vcpu *vcpu, uint32_t fn, int64_t x0)
{
	vcpu->regs.x[0] = (uint64_t)x0;
	vcpu->exit.smccc_fn = fn;
	vcpu->exit.valid |= HYP_EXIT_V_SMCCC;
	return HYP_FAST_EXIT;
}

/* Affinity level n masks off Aff(n-1)..Aff0 (DEN 0022, AFFINITY_INFO). */
static uint64_t aff_mask(unsigned level)
{
	static const uint64_t m[4] = {MPIDR_AFF_MASK, 0xff00ffff00ull, 0xff00ff0000ull,
				      0xff00000000ull};
	return m[level];
}

static bool psci_implemented(uint32_t fn)
{
	switch (fn) {
	case HYP_PSCI_VERSION:
	case HYP_PSCI_CPU_SUSPEND:
	case HYP_PSCI_CPU_SUSPEND | HYP_SMCCC_64:
	case HYP_PSCI_CPU_OFF:
	case HYP_PSCI_CPU_ON:
	case HYP_PSCI_CPU_ON | HYP_SMCCC_64:
	case HYP_PSCI_AFFINITY_INFO:
	case HYP_PSCI_AFFINITY_INFO | HYP_SMCCC_64:
	case HYP_PSCI_MIGRATE_INFO_TYPE:
	case HYP_PSCI_SYSTEM_OFF:
	case HYP_PSCI_SYSTEM_RESET:
	case HYP_PSCI_FEATURES:
	case HYP_SMCCC_VERSION: /* SMCCC 1.1 discovery goes through PSCI_FEATURES */
		return true;
	default:
		return false;
	}
}

/*
 * PSCI_FEATURES (@p arch false) or SMCCC_ARCH_FEATURES (@p arch true) for
 * @p fn, asked by a caller in AArch32 state if @p aa32.
 */
static int64_t features_of(const struct hyp_smccc *s, uint32_t fn, bool aa32, bool arch)
{
	if (aa32 && (fn & HYP_SMCCC_64))
		return HYP_PSCI_NOT_SUPPORTED;
	if (!arch) /* CPU_SUSPEND: 0 = original StateID format, platform-coordinated */
		return psci_implemented(fn) ? HYP_PSCI_SUCCESS : HYP_PSCI_NOT_SUPPORTED;
	/* ARCH_FEATURES answers for the Arm Architecture Service only. */
	if (!(fn & HYP_SMCCC_FAST) || FN_OWNER(fn) != HYP_SMCCC_OWNER_ARCH)
		return HYP_SMCCC_NOT_SUPPORTED;
	if (fn == HYP_SMCCC_VERSION || fn == HYP_SMCCC_ARCH_FEATURES)
		return HYP_PSCI_SUCCESS;
	if (s && s->features)
		return s->features(s->ctx, fn);
	return HYP_SMCCC_NOT_SUPPORTED;
}

static int psci_call(struct hyp_vcpu *vcpu, const struct hyp_smccc *s, uint32_t fn, bool aa32)
{
	const struct hyp_psci_ops *ops = s ? s->psci : NULL;
	void *ctx = s ? s->psci_ctx : NULL;
	uint64_t a1 = vcpu->regs.x[1], a2 = vcpu->regs.x[2], a3 = vcpu->regs.x[3];

	/* SMC32/HVC32 arguments are the low 32 bits (DEN 0028, "SMC32/HVC32"). */
	if (!(fn & HYP_SMCCC_64)) {
		a1 = (uint32_t)a1;
		a2 = (uint32_t)a2;
		a3 = (uint32_t)a3;
	}

	switch (fn) {
	case HYP_PSCI_VERSION:
		return ret_x0(vcpu, HYP_PSCI_VERSION_1_1);
	case HYP_PSCI_FEATURES:
		return ret_x0(vcpu, features_of(s, (uint32_t)a1, aa32, false));
	case HYP_PSCI_MIGRATE_INFO_TYPE:
		return ret_x0(vcpu, HYP_PSCI_TOS_NOT_PRESENT_MP);
	case HYP_PSCI_CPU_ON:
	case HYP_PSCI_CPU_ON | HYP_SMCCC_64:
		if (a1 & ~MPIDR_AFF_MASK)
			return ret_x0(vcpu, HYP_PSCI_INVALID_PARAMETERS);
		if (ops && ops->cpu_on)
			return ret_x0(vcpu, ops->cpu_on(ctx, vcpu, a1, a2, a3));
		return ret_x0(vcpu, a1 == (vcpu->mpidr & MPIDR_AFF_MASK)
					? HYP_PSCI_ALREADY_ON
					: HYP_PSCI_INVALID_PARAMETERS);
	case HYP_PSCI_AFFINITY_INFO:
	case HYP_PSCI_AFFINITY_INFO | HYP_SMCCC_64:
		if ((a1 & ~MPIDR_AFF_MASK) || a2 > 3)
			return ret_x0(vcpu, HYP_PSCI_INVALID_PARAMETERS);
		if (ops && ops->affinity_info)
			return ret_x0(vcpu, ops->affinity_info(ctx, vcpu, a1, (unsigned)a2));
		return ret_x0(vcpu, ((a1 ^ vcpu->mpidr) & aff_mask((unsigned)a2)) == 0
					? HYP_PSCI_AFF_ON
					: HYP_PSCI_INVALID_PARAMETERS);
	case HYP_PSCI_CPU_SUSPEND:
	case HYP_PSCI_CPU_SUSPEND | HYP_SMCCC_64:
		if (ops && ops->cpu_suspend)
			return ret_x0(vcpu, ops->cpu_suspend(ctx, vcpu, a1, a2, a3));
		return exit_call(vcpu, fn, HYP_PSCI_SUCCESS);
	case HYP_PSCI_CPU_OFF:
		if (ops && ops->cpu_off)
			ops->cpu_off(ctx, vcpu);
		return exit_call(vcpu, fn, HYP_PSCI_DENIED);
	case HYP_PSCI_SYSTEM_OFF:
		if (ops && ops->system_off)
			ops->system_off(ctx, vcpu);
		return exit_call(vcpu, fn, HYP_PSCI_INTERNAL_FAILURE);
	case HYP_PSCI_SYSTEM_RESET:
		if (ops && ops->system_reset)
			ops->system_reset(ctx, vcpu);
		return exit_call(vcpu, fn, HYP_PSCI_INTERNAL_FAILURE);
	default:
		/* MIGRATE and MIGRATE_INFO_UP_CPU are optional when
		 * MIGRATE_INFO_TYPE is 2; the PSCI 1.x additions are optional. */
		return ret_x0(vcpu, HYP_PSCI_NOT_SUPPORTED);
	}
}

static int other_call(struct hyp_vcpu *vcpu, const struct hyp_smccc *s, uint32_t fn)
{
	if (s && s->call)
		return s->call(s->ctx, vcpu, fn);
	return ret_x0(vcpu, HYP_SMCCC_NOT_SUPPORTED);
}

/*
 * Everything but the hottest call, kept out of line: the HVC64 handler
 * below then stays a leaf with no stack frame.
 */
static __attribute__((noinline)) int smccc_call(struct hyp_vcpu *vcpu, const struct hyp_smccc *s,
						bool aa32)
{
	/* SMCCC passes the function ID in W0: the upper half is ignored. */
	uint32_t fn = (uint32_t)vcpu->regs.x[0];

	if (!(fn & HYP_SMCCC_FAST) || (fn & FN_MBZ))
		return other_call(vcpu, s, fn); /* yielding calls: Trusted OS only */
	if (aa32 && (fn & HYP_SMCCC_64))
		return ret_x0(vcpu, HYP_SMCCC_NOT_SUPPORTED);
	switch (FN_OWNER(fn)) {
	case HYP_SMCCC_OWNER_ARCH:
		if (fn == HYP_SMCCC_VERSION)
			return ret_x0(vcpu, HYP_SMCCC_VERSION_1_1);
		if (fn == HYP_SMCCC_ARCH_FEATURES)
			return ret_x0(vcpu, features_of(s, (uint32_t)vcpu->regs.x[1], aa32, true));
		break;
	case HYP_SMCCC_OWNER_STD:
		if (FN_NUMBER(fn) <= PSCI_FN_LAST)
			return psci_call(vcpu, s, fn, aa32);
		break;
	default:
		break;
	}
	return other_call(vcpu, s, fn);
}

/*
 * HVC #0 from AArch64, the conduit of the null-hypercall benchmark: answer
 * PSCI_VERSION (no state, valid from any caller) without leaving the leaf.
 */
static int smccc_hvc64(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	/* SMCCC uses HVC #0; other immediates belong to the integrator. */
	if (hyp_esr_imm16(esr))
		return HYP_FAST_EXIT;
	if ((uint32_t)vcpu->regs.x[0] == HYP_PSCI_VERSION)
		return ret_x0(vcpu, HYP_PSCI_VERSION_1_1);
	return smccc_call(vcpu, self->ctx, false);
}

int hyp_smccc_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	const struct hyp_smccc *s = self->ctx;

	switch (hyp_esr_ec(esr)) {
	case HYP_EC_HVC64:
		return smccc_hvc64(vcpu, esr, self);
	case HYP_EC_HVC32:
		if (hyp_esr_imm16(esr))
			return HYP_FAST_EXIT;
		return smccc_call(vcpu, s, true);
	case HYP_EC_SMC64:
		if (hyp_esr_imm16(esr))
			return HYP_FAST_EXIT;
		/* A trapped SMC returns to itself (it is a trapped instruction,
		 * unlike HVC, which completes before the exception). */
		hyp_vcpu_skip_insn(vcpu);
		return smccc_call(vcpu, s, false);
	case HYP_EC_SMC32:
		/* A conditional A32 SMC may trap although it fails: a NOP. */
		if (hyp_esr_cv(esr) && !hyp_esr_cond_passed(esr, hyp_vcpu_pstate(vcpu))) {
			hyp_vcpu_skip_insn(vcpu);
			return HYP_FAST_RESUME_X0_X18;
		}
		hyp_vcpu_skip_insn(vcpu);
		return smccc_call(vcpu, s, true);
	default:
		return HYP_FAST_EXIT;
	}
}

int hyp_smccc_register(struct hyp_fast_table *t, const struct hyp_smccc *smccc)
{
	static const unsigned ecs[] = {HYP_EC_HVC64, HYP_EC_HVC32, HYP_EC_SMC64, HYP_EC_SMC32};
	void *ctx = (void *)(uintptr_t)smccc; /* handed back as const */
	int ret;

	if (!t || !smccc)
		return HYP_EINVAL;
	for (unsigned i = 0; i < 4; i++) {
		if (t->entry[ecs[i]].fn)
			return HYP_EEXIST;
	}
	for (unsigned i = 0; i < 4; i++) {
		/* HVC64 gets its own entry point: one class check less. */
		ret = hyp_fast_register(t, ecs[i], i == 0 ? smccc_hvc64 : hyp_smccc_trap, ctx);
		if (ret)
			return ret;
	}
	return HYP_OK;
}

int hyp_psci_vcpu_reset(struct hyp_vcpu *vcpu, uint64_t entry, uint64_t context_id)
{
	if (!vcpu)
		return HYP_EINVAL;
	if (vcpu->live)
		return HYP_ESTATE;
	vcpu->regs = (struct hyp_vcpu_regs){0};
	vcpu->regs.x[0] = context_id;
	vcpu->regs.pc = entry;
	vcpu->regs.pstate = HYP_PSR_RESET;
	return HYP_OK;
}

/* ---- constant answers (the vector code in entry.S searches them) ---- */

/* The end marker: no call's key is all ones (only SMCCC_ARCH_FEATURES has
 * a non-zero upper half, and then its lower half is 0x80000001). */
#define ANSWER_END (~0ull)

/* The offsets entry.S uses (switch_priv.h). */
_Static_assert(offsetof(struct hyp_vcpu, fast) == SW_VCPU_FAST, "vcpu->fast");
_Static_assert(offsetof(struct hyp_fast_table, irq) == SW_FAST_IRQ, "fast->irq");
_Static_assert(offsetof(struct hyp_fast_table, smccc_answers) == SW_FAST_ANSWERS,
	       "fast table answers");
_Static_assert(offsetof(struct hyp_vcpu, exit.esr) == SW_VCPU_EXIT_ESR &&
		   offsetof(struct hyp_vcpu, exit.valid) == SW_VCPU_EXIT_ESR + 8,
	       "vcpu->exit.esr, valid (one STP)");
_Static_assert(sizeof(struct hyp_fast_entry) == 16 && offsetof(struct hyp_fast_entry, fn) == 0,
	       "fast entry layout");
_Static_assert(sizeof(struct hyp_smccc_answer) == 16 &&
		   offsetof(struct hyp_smccc_answer, x0) == 8,
	       "answer layout");

static uint64_t answer_key(uint32_t w0, uint32_t w1)
{
	return w0 == HYP_SMCCC_ARCH_FEATURES ? ((uint64_t)w1 << 32) | w0 : w0;
}

void hyp_smccc_answers_init(struct hyp_smccc_answers *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i <= HYP_SMCCC_ANSWERS_MAX; i++)
		t->a[i] = (struct hyp_smccc_answer){ANSWER_END, 0};
}

int hyp_smccc_answer_add(struct hyp_smccc_answers *t, uint32_t fn, uint32_t arg, uint64_t x0)
{
	uint64_t key = answer_key(fn, arg);
	unsigned i;

	if (!t || !(fn & HYP_SMCCC_FAST) || (fn & FN_MBZ))
		return HYP_EINVAL;
	if (arg && fn != HYP_SMCCC_ARCH_FEATURES)
		return HYP_EINVAL;
	/* PSCI calls act on the machine or depend on their arguments: only
	 * the two constant ones may skip the ordinary path. */
	if (FN_OWNER(fn) == HYP_SMCCC_OWNER_STD && FN_NUMBER(fn) <= PSCI_FN_LAST &&
	    fn != HYP_PSCI_VERSION && fn != HYP_PSCI_MIGRATE_INFO_TYPE)
		return HYP_EINVAL;
	for (i = 0; i < HYP_SMCCC_ANSWERS_MAX && t->a[i].key != ANSWER_END; i++) {
		if (t->a[i].key == key)
			return HYP_EEXIST;
	}
	if (i == HYP_SMCCC_ANSWERS_MAX)
		return HYP_ERANGE;
	t->a[i] = (struct hyp_smccc_answer){key, x0};
	t->a[i + 1].key = ANSWER_END;
	return HYP_OK;
}

int hyp_smccc_answer_find(const struct hyp_smccc_answers *t, uint32_t w0, uint32_t w1,
			  uint64_t *x0)
{
	uint64_t key = answer_key(w0, w1);

	if (!x0)
		return HYP_EINVAL;
	if (!t)
		return HYP_ENOENT;
	for (const struct hyp_smccc_answer *a = t->a; a->key != ANSWER_END; a++) {
		if (a->key == key) {
			*x0 = a->x0;
			return HYP_OK;
		}
	}
	return HYP_ENOENT;
}

int hyp_fast_set_smccc_answers(struct hyp_fast_table *t, const struct hyp_smccc_answers *a)
{
	unsigned i;

	if (!t)
		return HYP_EINVAL;
	if (a) {
		for (i = 0; i <= HYP_SMCCC_ANSWERS_MAX && a->a[i].key != ANSWER_END; i++)
			;
		if (i > HYP_SMCCC_ANSWERS_MAX)
			return HYP_EINVAL;
	}
	t->smccc_answers = a;
	return HYP_OK;
}
