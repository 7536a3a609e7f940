/* SPDX-License-Identifier: MIT */
/* The sysreg engine plugged into the world switch: its enter/exit as the
 * vCPU hooks, its trap handling as the fast-path handler of EC 0x18, its
 * HCR_EL2 bits kept in the vCPU's HCR value. */
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>

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
	return id < 0 ? 0 : hyp_vcpu_read_sysreg_id(ctx, (unsigned)id);
}

static void plug_write_el1(struct hyp_vcpu *vcpu, void *ctx, uint16_t enc, uint64_t val)
{
	int id = hyp_sysreg_lookup(enc);

	(void)vcpu;
	if (id >= 0)
		(void)hyp_vcpu_write_sysreg_id(ctx, (unsigned)id, val);
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
	sr->hcr_owner = &vcpu->hcr;
	vcpu->hcr = (vcpu->hcr & ~HYP_SYSREG_HCR_BITS) | (sr->vm->hcr_el2 & HYP_SYSREG_HCR_BITS);
	return 0;
}

int hyp_sysreg_fast_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self)
{
	struct hyp_sysreg_access a;
	int rc;

	if (vcpu->hooks != &plug_hooks || hyp_sysreg_decode(esr, &a))
		return HYP_FAST_EXIT;
	if (!a.read)
		a.val = hyp_vcpu_get_x(vcpu, a.rt);
	rc = hyp_sysreg_handle_trap(vcpu->hooks_ctx, &a, self->ctx);
	if (rc < 0)
		return HYP_FAST_EXIT;
	if (rc == HYP_SYSREG_UNDEF)
		return hyp_inject_undef(vcpu) ? HYP_FAST_EXIT : HYP_FAST_RESUME;
	if (a.read)
		hyp_vcpu_set_x(vcpu, a.rt, a.val);
	hyp_vcpu_skip_insn(vcpu);
	/* Rt beyond X18 (X30 aside) is only reloaded by a full resume. */
	return a.read && a.rt > 18 && a.rt < 30 ? HYP_FAST_RESUME : HYP_FAST_RESUME_X0_X18;
}
