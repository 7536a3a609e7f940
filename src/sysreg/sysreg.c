/* SPDX-License-Identifier: MIT */
#include <libhyp/esr.h>
#include <libhyp/sysreg.h>

/* Statistics (hyp_sysreg_vcpu::stats): kept unless the library is built
 * with -DHYP_SYSREG_STATS=0, which compiles every update out (the fields
 * stay, at zero). */
#ifndef HYP_SYSREG_STATS
#define HYP_SYSREG_STATS 1
#endif
#if HYP_SYSREG_STATS
#define SR_STAT_ADD(field, n) ((void)((field) += (n)))
#else
#define SR_STAT_ADD(field, n) ((void)sizeof((field) += (n)))
#endif

/*
 * The register switch, specialised on the EL2 mode (one straight-line copy
 * per mode: no E2H test per EL12-aliased register) with the mask in locals
 * (a store to regs[] could alias *m, whose words the guards would load
 * again after each saved register otherwise). The same registers and
 * accesses as sr_save() / _restore_masked_e2h().
 */
#define SR_SAVE_ONE(name, op0, op1, crn, crm, op2, feat, wt, flags)                    \
	if (((flags) & HYP_SYSREG_CTX) && hyp_sysreg_mask_test(&lm, HYP_REG_##name))   \
		regs[HYP_REG_##name] = hyp_sysreg_guest_read(E2H, name);
/* The save that compares as it stores: the OR of (new ^ old) over the
 * saved registers of @watch. Only registers with a write trap (wt) can be
 * in a trap group, so only their guards test it. */
#define SR_WATCH_ONE(name, op0, op1, crn, crm, op2, feat, wt, flags)                   \
	if (((flags) & HYP_SYSREG_CTX) && hyp_sysreg_mask_test(&lm, HYP_REG_##name)) { \
		const uint64_t v_ = hyp_sysreg_guest_read(E2H, name);                      \
		if ((wt) != HYP_WT_NONE && hyp_sysreg_mask_test(&lw, HYP_REG_##name))       \
			diff |= v_ ^ regs[HYP_REG_##name];                                   \
		regs[HYP_REG_##name] = v_;                                                \
	}
#define SR_RESTORE_ONE(name, op0, op1, crn, crm, op2, feat, wt, flags)                 \
	if (((flags) & HYP_SYSREG_CTX) && hyp_sysreg_mask_test(&lm, HYP_REG_##name))   \
		hyp_sysreg_guest_write(E2H, name, regs[HYP_REG_##name]);

#define SR_SWITCH_FNS(SUFFIX)                                                          \
	static __attribute__((noinline)) void sr_save_##SUFFIX(                          \
	    uint64_t *regs, const struct hyp_sysreg_mask *m)                              \
	{                                                                              \
		const struct hyp_sysreg_mask lm = *m;                                      \
		HYP_SYSREGS(SR_SAVE_ONE)                                                   \
	}                                                                              \
	static __attribute__((noinline)) uint64_t sr_watch_##SUFFIX(                     \
	    uint64_t *regs, const struct hyp_sysreg_mask *m,                              \
	    const struct hyp_sysreg_mask *w)                                              \
	{                                                                              \
		const struct hyp_sysreg_mask lm = *m, lw = *w;                             \
		uint64_t diff = 0;                                                         \
		HYP_SYSREGS(SR_WATCH_ONE)                                                  \
		return diff;                                                               \
	}                                                                              \
	static __attribute__((noinline)) void sr_restore_##SUFFIX(                       \
	    const uint64_t *regs, const struct hyp_sysreg_mask *m)                        \
	{                                                                              \
		const struct hyp_sysreg_mask lm = *m;                                      \
		HYP_SYSREGS(SR_RESTORE_ONE)                                                \
	}

#define E2H true
SR_SWITCH_FNS(vhe)
#undef E2H
#define E2H false
SR_SWITCH_FNS(nvhe)
#undef E2H

static inline void sr_save(uint64_t *regs, const struct hyp_sysreg_mask *m, bool e2h)
{
	if (e2h)
		sr_save_vhe(regs, m);
	else
		sr_save_nvhe(regs, m);
}

static inline uint64_t sr_watch(uint64_t *regs, const struct hyp_sysreg_mask *m,
				const struct hyp_sysreg_mask *w, bool e2h)
{
	return e2h ? sr_watch_vhe(regs, m, w) : sr_watch_nvhe(regs, m, w);
}

static inline void sr_restore(const uint64_t *regs, const struct hyp_sysreg_mask *m, bool e2h)
{
	if (e2h)
		sr_restore_vhe(regs, m);
	else
		sr_restore_nvhe(regs, m);
}

static void mask_set(struct hyp_sysreg_mask *m, unsigned id)
{
	m->w[id / 64] |= 1ull << (id % 64);
}

static void mask_or(struct hyp_sysreg_mask *d, const struct hyp_sysreg_mask *a)
{
	for (unsigned i = 0; i < HYP_SYSREG_MASK_WORDS; i++)
		d->w[i] |= a->w[i];
}

static void mask_andnot(struct hyp_sysreg_mask *d, const struct hyp_sysreg_mask *a)
{
	for (unsigned i = 0; i < HYP_SYSREG_MASK_WORDS; i++)
		d->w[i] &= ~a->w[i];
}

static bool is_context(unsigned id)
{
	return hyp_sysreg_table[id].flags & HYP_SYSREG_CTX;
}

/* Written by the PE without an MSR (exception entry, AT, ESB, IRG...: the
 * table's HYP_RF_HWW, see regdefs.h), so no write trap sees every change:
 * never DIRTY. */
static bool hw_written(unsigned id)
{
	return hyp_sysreg_table[id].flags & HYP_RF_HWW;
}

const char *hyp_sysreg_policy_name(unsigned policy)
{
	static const char *const names[] = { "ABSENT", "IMMEDIATE", "DEFERRED", "DIRTY", "LAZY" };

	return policy < sizeof(names) / sizeof(names[0]) ? names[policy] : "?";
}

/* The trap group watching writes to @id for this VM: its HFGWTR_EL2 bit
 * where FGT is used and the register has one, else HCR_EL2.TVM. */
static int group_of(struct hyp_sysreg_vm *vm, unsigned id)
{
	uint16_t wt = hyp_sysreg_table[id].wtrap;
	bool tvm = !(vm->use_fgt && HYP_WT_HAS_FGT(wt));
	unsigned bit = HYP_WT_FGT_BIT(wt);

	if (tvm && !(wt & HYP_WT_TVM))
		return HYP_EINVAL;
	for (unsigned g = 0; g < vm->nr_groups; g++) {
		if (vm->groups[g].tvm == tvm && (tvm || vm->groups[g].bit == bit))
			return (int)g;
	}
	if (vm->nr_groups == HYP_SYSREG_MAX_GROUPS)
		return HYP_EINVAL;
	vm->groups[vm->nr_groups] = (struct hyp_sysreg_group){
		.tvm = tvm,
		.bit = (uint8_t)(tvm ? 0 : bit),
		.neg = (uint8_t)(tvm ? 0 : HYP_WT_FGT_NEG(wt)),
	};
	return (int)vm->nr_groups++;
}

/* An ABSENT feature the CPU has must be trapped, not left usable. */
static void trap_absent_features(struct hyp_sysreg_vm *vm, const struct hyp_cpufeat_vm *f)
{
	uint64_t fgt_trap = 0, fgt_neg = 0;

#define VM_HAS(cap) (f ? hyp_cpufeat_vm_has(f, HYP_CAP_##cap) : hyp_cpu_has(HYP_CAP_##cap))
	if (VM_HAS(PAUTH))
		vm->hcr_el2 |= HYP_HCR_APK | HYP_HCR_API;
	else
		vm->hcr_el2 &= ~(HYP_HCR_APK | HYP_HCR_API);
	if (VM_HAS(MTE))
		vm->hcr_el2 |= HYP_HCR_ATA;
	else
		vm->hcr_el2 &= ~HYP_HCR_ATA;
	if (VM_HAS(CSV2_2))
		vm->hcr_el2 |= HYP_HCR_ENSCXT;
	else
		vm->hcr_el2 &= ~HYP_HCR_ENSCXT;
	if (!VM_HAS(RAS) && hyp_cpu_has(HYP_CAP_RAS))
		vm->hcr_el2 |= HYP_HCR_TERR;
	if (!VM_HAS(LOR) && hyp_cpu_has(HYP_CAP_LOR))
		vm->hcr_el2 |= HYP_HCR_TLOR;
	if (!VM_HAS(PMU) && hyp_cpu_has(HYP_CAP_PMU))
		vm->mdcr_el2 |= HYP_MDCR_TPM;
	/* issue 16: SMIDR_EL1 (Arm ARM D24.2.187) is trapped by HCR_EL2.TID1
	 * (bit 16, D24.2.62) alone, which also traps REVIDR_EL1 and AIDR_EL1
	 * (answered by the engine); GMID_EL1 (D24.2.54) by HCR_EL2.TID5 (bit
	 * 58), which exists with FEAT_MTE2 (HYP_CAP_MTE). CPTR_EL2 traps
	 * neither. */
	if (!VM_HAS(SME) && hyp_cpu_has(HYP_CAP_SME))
		vm->hcr_el2 |= HYP_HCR_TID1;
	if (!VM_HAS(MTE) && hyp_cpu_has(HYP_CAP_MTE))
		vm->hcr_el2 |= HYP_HCR_TID5;
	vm->trap_sve = !VM_HAS(SVE) && hyp_cpu_has(HYP_CAP_SVE);
	vm->trap_sme = !VM_HAS(SME) && hyp_cpu_has(HYP_CAP_SME);
	vm->trap_amu = !VM_HAS(AMU) && hyp_cpu_has(HYP_CAP_AMU);
#undef VM_HAS
	/* issue 15: CPACR_EL1.ZEN [17:16] and SMEN [25:24] (Arm ARM D24.2.36)
	 * trap ZCR_EL1, SMCR_EL1 and SVCR accesses (and SVE/SME instructions)
	 * to EL1 before CPTR_EL2 is looked at (D24.2.184 SMCR_EL1: "CPACR_EL1
	 * .SMEN IN {'x0'} then AArch64.SystemAccessTrap(EL1, 0x1D)" precedes
	 * the CPTR_EL2.TSM/SMEN test). A guest that believes the feature
	 * absent leaves them 0 (RES0 in its view), so its access would be an
	 * EL1 trap, EC 0x19/0x1D, not the UNDEFINED of a CPU without the
	 * feature. Held at 0b11 in the hardware (CPTR_EL2.TCPAC, bit 31 in
	 * both layouts, D24.2.38, traps the guest's CPACR_EL1 accesses to keep
	 * them so) when CPACR_EL1 is restored at load or entry. */
	vm->cpacr_force = 0;
	if (vm->policy[HYP_REG_CPACR_EL1] != HYP_SYSREG_ABSENT &&
	    vm->policy[HYP_REG_CPACR_EL1] != HYP_SYSREG_LAZY)
		vm->cpacr_force = (vm->trap_sve ? 3ull << 16 : 0) | (vm->trap_sme ? 3ull << 24 : 0);
	/* What hyp_sysreg_load() sets and clears in CPTR_EL2 (see there). */
	vm->cptr_set = vm->cpacr_force ? (vm->e2h ? HYP_CPTR_E2H_TCPAC : HYP_CPTR_TCPAC) : 0;
	vm->cptr_clear = 0;
	if (vm->e2h)
		vm->cptr_clear = (vm->trap_sve ? HYP_CPTR_E2H_ZEN : 0) |
				 (vm->trap_sme ? HYP_CPTR_E2H_SMEN : 0);
	else
		vm->cptr_set |= (vm->trap_sve ? HYP_CPTR_TZ : 0) | (vm->trap_sme ? HYP_CPTR_TSM : 0);

	if (!vm->use_fgt)
		return;
	/* Registers of features the CPU has but the VM lacks, with an FGT bit
	 * (S1PIE, S1POE, TCR2, SCTLR2...): trap reads and writes. The
	 * negative-polarity bits of features the CPU has must read 1 to not
	 * trap; those of features it lacks are RES0. */
	for (unsigned id = 0; id < HYP_REG_COUNT; id++) {
		const struct hyp_sysreg_desc *d = &hyp_sysreg_table[id];
		uint64_t bit;

		if (!is_context(id) || !HYP_WT_HAS_FGT(d->wtrap) || !hyp_cpu_has(d->feat))
			continue;
		bit = 1ull << HYP_WT_FGT_BIT(d->wtrap);
		if (HYP_WT_FGT_NEG(d->wtrap))
			fgt_neg |= bit;
		if (vm->policy[id] == HYP_SYSREG_ABSENT)
			fgt_trap |= bit;
	}
	/* A bit's polarity is the bit's (registers sharing it agree): the
	 * negative ones read 1 unless trapped, the positive ones 1 if trapped. */
	vm->hfgwtr_el2 = ((vm->hfgwtr_el2 | fgt_neg) & ~(fgt_neg & fgt_trap)) | (fgt_trap & ~fgt_neg);
	/* HFGRTR_EL2 has the same bit for each of these registers. */
	vm->hfgrtr_el2 = vm->hfgwtr_el2;
}

/*
 * A register of a feature the CPU has that no EL2 control but a
 * fine-grained trap (HFGRTR/HFGWTR_EL2) stops the guest from reaching.
 * Without FGT in use such a register, ABSENT for the VM, would keep
 * whatever the previous vCPU on this CPU left in it: a channel between
 * VMs. So vm_init switches it (DEFERRED; IMMEDIATE with a host EL1
 * context) instead: its cost is one MRS at put and one MSR at load.
 * - SME: SMPRI_EL1 (Arm ARM D24.2.188: from EL1 only CPTR_EL3.ESM and
 *   HFGxTR_EL2.nSMPRI_EL1) and TPIDR2_EL0 (D24.2.203: from EL1 only
 *   SCR_EL3.EnTP2 and nTPIDR2_EL0; from EL0 also SCTLR_EL1.EnTP2, which
 *   is the guest's). CPTR_EL2 (TSM/SMEN) and HCRX_EL2 trap neither.
 *   QEMU 7.2's -cpu max has SME without FEAT_FGT. SMPRI_EL1 is switched
 *   even with SMIDR_EL1.SMPS = 0, where it is RES0: a RES0 bit may still
 *   hold the last value written (Arm ARM Glossary, "RES0").
 * - S1PIE, S1POE, AIE: PIRE0/PIR_EL1, POR_EL0/POR_EL1, MAIR2/AMAIR2_EL1
 *   (their MRS/MSR pseudocode: HCR_EL2.TRVM/TVM, which trap the whole
 *   TVM group, or their FGT n-bits; the features come with FEAT_FGT on
 *   every CPU, listed for an integrator that does not use it).
 * The other hidden features have their own trap (trap_absent_features():
 * HCR_EL2.APK/API, ATA, EnSCXT, CPTR_EL2 for SVE); TCR2_EL1/SCTLR2_EL1
 * trap while HCRX_EL2.TCR2En/SCTLR2En are 0.
 */
static bool fgt_only(unsigned id)
{
	unsigned feat = hyp_sysreg_table[id].feat;

	if (!hyp_cpu_has((enum hyp_cap)feat))
		return false;
	return feat == HYP_CAP_SME || feat == HYP_CAP_S1PIE || feat == HYP_CAP_S1POE ||
	       feat == HYP_CAP_AIE;
}

static int refuse(unsigned *bad_reg, unsigned id, int err)
{
	if (bad_reg)
		*bad_reg = id;
	return err;
}

int hyp_sysreg_vm_init(struct hyp_sysreg_vm *out, const struct hyp_sysreg_vm_config *cfg,
		       unsigned *bad_reg)
{
	static const struct hyp_sysreg_vm vm_zero;
	struct hyp_sysreg_vm vm = vm_zero;
	const struct hyp_cpufeat_vm *f;
	bool e2h;

	if (bad_reg)
		*bad_reg = HYP_REG_COUNT;
	if (!out || !cfg || (cfg->nr_req && !cfg->req))
		return HYP_EINVAL;
	if (!hyp_cpufeat.finalized)
		return HYP_ESTATE;
	if (cfg->default_policy > HYP_SYSREG_LAZY || cfg->host > HYP_SYSREG_HOST_EL1 ||
	    (cfg->use_fgt && !hyp_cpu_has(HYP_CAP_FGT)))
		return HYP_EINVAL;
	/* The EL2 mode: the build constant or the boot-time record; the
	 * deprecated cfg->e2h only while neither exists. */
	if (hyp_el2_mode_known()) {
		if ((cfg->e2h || (cfg->hcr_el2 & HYP_HCR_E2H)) && !hyp_el2_e2h())
			return HYP_EINVAL;
		e2h = hyp_el2_e2h();
	} else {
		e2h = cfg->e2h;
	}
	f = cfg->features;
	vm.host = (uint8_t)cfg->host;
	vm.e2h = e2h;
	vm.use_fgt = cfg->use_fgt;
	vm.adaptive = cfg->adaptive;
	vm.trap_cost = (uint16_t)(cfg->trap_cost ? cfg->trap_cost : HYP_SYSREG_TRAP_COST);
	vm.save_cost = (uint16_t)(cfg->save_cost ? cfg->save_cost : HYP_SYSREG_SAVE_COST);
	/* HCR_EL2.E2H is the EL2 mode's, never the integrator's (as in
	 * hyp_vcpu_init()): the value written at load keeps the host's regime. */
	vm.hcr_el2 = (cfg->hcr_el2 & ~(HYP_HCR_TVM | HYP_HCR_TACR | HYP_HCR_E2H)) |
		     (e2h ? HYP_HCR_E2H : 0);
	vm.mdcr_el2 = cfg->mdcr_el2;

	for (unsigned id = 0; id < HYP_REG_COUNT; id++) {
		unsigned feat = hyp_sysreg_table[id].feat;
		bool has = hyp_cpu_has((enum hyp_cap)feat) &&
			   (!f || hyp_cpufeat_vm_has(f, (enum hyp_cap)feat));
		if (!is_context(id))
			continue;
		vm.policy[id] = has ? cfg->default_policy : HYP_SYSREG_ABSENT;
		/* SVE's ZCR_EL1 cannot even be reached from EL2 until CPTR_EL2
		 * enables it: by default it waits for the guest's first
		 * (trapped) use. SME's SMPRI_EL1 and TPIDR2_EL0 can, and no
		 * CPTR_EL2 control traps the guest's accesses to them (Arm ARM
		 * D24.2.188, D24.2.203): LAZY would leave another vCPU's values
		 * in them until the guest's first SME instruction, so they take
		 * the default policy. */
		if (has && cfg->default_policy != HYP_SYSREG_ABSENT && feat == HYP_CAP_SVE)
			vm.policy[id] = HYP_SYSREG_LAZY;
	}
	/* DISR_EL1 (Arm ARM D24.9.1): with HCR_EL2.AMO an EL1 access reaches
	 * VDISR_EL2 (D24.9.16), the guest's register then, switched in its
	 * place; DISR_EL1 is the hypervisor's (the SError synchronisation at
	 * exit reads and clears it). Without AMO VDISR_EL2 is not the
	 * guest's. */
	if (vm.hcr_el2 & HYP_HCR_AMO) {
		vm.policy[HYP_REG_VDISR_EL2] = vm.policy[HYP_REG_DISR_EL1];
		vm.policy[HYP_REG_DISR_EL1] = HYP_SYSREG_ABSENT;
	} else {
		vm.policy[HYP_REG_VDISR_EL2] = HYP_SYSREG_ABSENT;
	}
	/* Never switched by default: with E2H its encoding may reach ACTLR_EL2
	 * (Arm ARM D24.2.2); trapped (TACR) and answered instead. */
	vm.policy[HYP_REG_ACTLR_EL1] = HYP_SYSREG_ABSENT;
	for (unsigned i = 0; i < cfg->nr_req; i++) {
		unsigned id = cfg->req[i].reg, p = cfg->req[i].policy;
		unsigned feat;

		if (id >= HYP_REG_COUNT || !is_context(id) || p > HYP_SYSREG_LAZY)
			return refuse(bad_reg, id, HYP_EINVAL);
		feat = hyp_sysreg_table[id].feat;
		if (p != HYP_SYSREG_ABSENT &&
		    (!hyp_cpu_has((enum hyp_cap)feat) ||
		     (f && !hyp_cpufeat_vm_has(f, (enum hyp_cap)feat))))
			return refuse(bad_reg, id, HYP_ENOTSUP);
		if (id == HYP_REG_ACTLR_EL1 && p != HYP_SYSREG_ABSENT && e2h)
			return refuse(bad_reg, id, HYP_EINVAL);
		vm.policy[id] = (uint8_t)p;
	}

	/* ABSENT registers nothing traps without FGT: switched instead. */
	if (!cfg->use_fgt) {
		for (unsigned id = 0; id < HYP_REG_COUNT; id++) {
			if (is_context(id) && vm.policy[id] == HYP_SYSREG_ABSENT && fgt_only(id))
				vm.policy[id] = vm.host == HYP_SYSREG_HOST_EL1 ? HYP_SYSREG_IMMEDIATE
									: HYP_SYSREG_DEFERRED;
		}
	}
	for (unsigned id = 0; id < HYP_REG_COUNT; id++) {
		if (!is_context(id))
			continue;
		switch (vm.policy[id]) {
		case HYP_SYSREG_IMMEDIATE:
			mask_set(&vm.immediate, id);
			vm.nr_immediate++;
			break;
		case HYP_SYSREG_DEFERRED:
			if (vm.host == HYP_SYSREG_HOST_EL1)
				return refuse(bad_reg, id, HYP_EINVAL);
			mask_set(&vm.deferred, id);
			break;
		case HYP_SYSREG_DIRTY: {
			int g;

			if (vm.host == HYP_SYSREG_HOST_EL1 || hw_written(id))
				return refuse(bad_reg, id, HYP_EINVAL);
			g = group_of(&vm, id);
			if (g < 0)
				return refuse(bad_reg, id, HYP_EINVAL);
			mask_set(&vm.dirty, id);
			mask_set(&vm.groups[g].members, id);
			vm.groups[g].nr++;
			break;
		}
		case HYP_SYSREG_LAZY:
			mask_set(&vm.lazy, id);
			if (vm.host == HYP_SYSREG_HOST_EL1)
				vm.nr_entry++;
			break;
		}
	}
	vm.nr_entry = (uint16_t)(vm.nr_entry + vm.nr_immediate);
	/* HCR_EL2.TACR, bit 21 (Arm ARM D24.2.62): trap EL1 ACTLR_EL1 accesses */
	if (vm.policy[HYP_REG_ACTLR_EL1] == HYP_SYSREG_ABSENT)
		vm.hcr_el2 |= HYP_HCR_TACR;
	trap_absent_features(&vm, f);
	*out = vm;
	return 0;
}

int hyp_sysreg_vcpu_init(struct hyp_sysreg_vcpu *vcpu, const struct hyp_sysreg_vm *vm)
{
	static const struct hyp_sysreg_vcpu vcpu_zero;

	if (!vcpu || !vm)
		return HYP_EINVAL;
	/* vm->e2h is a cache of the record; one filled from the deprecated
	 * cfg->e2h before the record existed must agree with it now. */
	if (hyp_el2_mode_known() && vm->e2h != hyp_el2_e2h())
		return HYP_ESTATE;
	*vcpu = vcpu_zero;
	vcpu->vm = vm;
	vcpu->e2h = vm->e2h;
	vcpu->deferred = vm->deferred;
	vcpu->trap_key = ~0u; /* no ISS has every register bit set: nothing cached */
	for (unsigned g = 0; g < vm->nr_groups; g++)
		vcpu->adapt[g].quiet_need = HYP_SYSREG_QUIET;
	return 0;
}

/* Trap controls for the groups armed now. */
static void compute_traps(struct hyp_sysreg_vcpu *vcpu)
{
	const struct hyp_sysreg_vm *vm = vcpu->vm;

	vcpu->hcr_el2 = vm->hcr_el2;
	vcpu->hfgwtr_el2 = vm->hfgwtr_el2;
	for (unsigned g = 0; g < vm->nr_groups; g++) {
		const struct hyp_sysreg_group *grp = &vm->groups[g];
		uint64_t bit = 1ull << grp->bit;

		if (!(vcpu->group_armed >> g & 1))
			continue;
		if (grp->tvm)
			vcpu->hcr_el2 |= HYP_HCR_TVM;
		else if (grp->neg)
			vcpu->hfgwtr_el2 &= ~bit;
		else
			vcpu->hfgwtr_el2 |= bit;
	}
}

/* @live: the guest's HCR_EL2 is in the register now (a trap), so even an
 * owner that writes it at every entry would not see the change in time. */
static void write_hcr(struct hyp_sysreg_vcpu *vcpu, bool live)
{
	uint64_t hcr = vcpu->hcr_el2;

	if (vcpu->hcr_owner) {
		hcr = (*vcpu->hcr_owner & ~HYP_SYSREG_HCR_BITS) | (hcr & HYP_SYSREG_HCR_BITS);
		*vcpu->hcr_owner = hcr;
		if (!live)
			return;
	}
	hyp_write_sysreg(HYP_SYS_HCR_EL2, hcr);
}

/* The registers live in the CPU from a load: the DEFERRED ones and the
 * DIRTY registers of the groups not promoted to DEFERRED (a promoted
 * group's are in deferred already). */
static void load_set(const struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_mask *m)
{
	*m = vcpu->deferred;
	for (unsigned g = 0; g < vcpu->vm->nr_groups; g++) {
		if (!(vcpu->group_promoted >> g & 1))
			mask_or(m, &vcpu->vm->groups[g].members);
	}
}

int hyp_sysreg_load(struct hyp_sysreg_vcpu *vcpu)
{
	const struct hyp_sysreg_vm *vm;
	struct hyp_sysreg_mask m;

	if (!vcpu || !vcpu->vm)
		return HYP_EINVAL;
	vm = vcpu->vm;
	if (vcpu->loaded)
		return HYP_ESTATE;
	vcpu->group_dirty = 0;
	vcpu->group_armed = ((vm->nr_groups < 64 ? 1ull << vm->nr_groups : 0) - 1) &
			    ~vcpu->group_promoted;
	vcpu->written = (struct hyp_sysreg_mask){ { 0 } };
	/* Restored below or at entry with the bits held (see cpacr_force). */
	if (vm->cpacr_force)
		vcpu->regs[HYP_REG_CPACR_EL1] |= vm->cpacr_force;
	if (vm->host == HYP_SYSREG_HOST_NONE) {
		load_set(vcpu, &m);
		sr_restore(vcpu->regs, &m, hyp_sysreg_e2h(vcpu));
		vcpu->live = m;
	}
	compute_traps(vcpu);
	write_hcr(vcpu, false);
	if (vm->use_fgt) {
		hyp_write_sysreg(HYP_SYS_HFGRTR_EL2, vm->hfgrtr_el2);
		hyp_write_sysreg(HYP_SYS_HFGWTR_EL2, vcpu->hfgwtr_el2);
	}
	/* SVE/SME the CPU has and the VM lacks: trapped (EC 0x19/0x1D) at
	 * EL0/EL1/EL2, Arm ARM D24.2.38 CPTR_EL2: with E2H = 1 ZEN [17:16] and
	 * SMEN [25:24] = 0b00; with E2H = 0 TZ [8] and TSM [12] = 1; and TCPAC
	 * [31] with cpacr_force (the guest's CPACR_EL1 accesses). Left set at
	 * put (the integrator clears them for a VM given the feature). */
	if (vm->cptr_set | vm->cptr_clear) {
		uint64_t c = hyp_read_sysreg(HYP_SYS_CPTR_EL2);
		uint64_t n = (c & ~vm->cptr_clear) | vm->cptr_set;

		if (n != c)
			hyp_write_sysreg(HYP_SYS_CPTR_EL2, n);
	}
	vcpu->loaded = true;
	return 0;
}

static bool regs_differ(const uint64_t *a, const uint64_t *b, const struct hyp_sysreg_mask *m)
{
	for (unsigned w = 0; w < HYP_SYSREG_MASK_WORDS; w++) {
		for (uint64_t bits = m->w[w]; bits; bits &= bits - 1) {
			unsigned id = w * 64 + (unsigned)__builtin_ctzll(bits);
			if (a[id] != b[id])
				return true;
		}
	}
	return false;
}

/* Copy only the registers in @m: a promoted group's few members, not the
 * whole register file, at every put. */
static void regs_copy(uint64_t *dst, const uint64_t *src, const struct hyp_sysreg_mask *m)
{
	for (unsigned w = 0; w < HYP_SYSREG_MASK_WORDS; w++) {
		for (uint64_t bits = m->w[w]; bits; bits &= bits - 1) {
			unsigned id = w * 64 + (unsigned)__builtin_ctzll(bits);
			dst[id] = src[id];
		}
	}
}

/* The adaptive decision, once per put cycle (see hyp_sysreg_vm_config).
 * @before: the promoted groups' registers before the save; NULL when one
 * group is promoted and the save compared it (@one_changed). */
static void adapt(struct hyp_sysreg_vcpu *vcpu, const uint64_t *before, bool one_changed)
{
	const struct hyp_sysreg_vm *vm = vcpu->vm;

	for (unsigned g = 0; g < vm->nr_groups; g++) {
		const struct hyp_sysreg_group *grp = &vm->groups[g];
		struct hyp_sysreg_adapt *a = &vcpu->adapt[g];
		uint64_t gbit = 1ull << g;

		if (vcpu->group_promoted & gbit) {
			SR_STAT_ADD(vcpu->stats.promoted_puts[g], 1);
			if (before ? regs_differ(before, vcpu->regs, &grp->members) : one_changed) {
				a->quiet = 0;
				continue;
			}
			if (++a->quiet < a->quiet_need)
				continue;
			vcpu->group_promoted &= ~gbit;
			mask_andnot(&vcpu->deferred, &grp->members);
			a->quiet = 0;
			a->quiet_need = (uint16_t)(a->quiet_need * 2 > HYP_SYSREG_QUIET_MAX
							   ? HYP_SYSREG_QUIET_MAX
							   : a->quiet_need * 2);
			a->demotions++;
			continue;
		}
		a->trapped += (vcpu->group_dirty & gbit) != 0;
		a->cycles++;
		/* Decided as soon as the window's DIRTY cost so far exceeds
		 * what DEFERRED costs for the whole window. */
		if ((uint32_t)a->trapped * (vm->trap_cost + grp->nr * vm->save_cost) >
		    (uint32_t)HYP_SYSREG_WINDOW * grp->nr * vm->save_cost) {
			vcpu->group_promoted |= gbit;
			mask_or(&vcpu->deferred, &grp->members);
			a->quiet = 0;
			a->promotions++;
			a->cycles = a->trapped = 0;
		} else if (a->cycles == HYP_SYSREG_WINDOW) {
			a->cycles = a->trapped = 0;
		}
	}
}

int hyp_sysreg_put(struct hyp_sysreg_vcpu *vcpu)
{
	const struct hyp_sysreg_vm *vm;
	struct hyp_sysreg_mask m;
	uint64_t before[HYP_REG_COUNT];

	if (!vcpu || !vcpu->vm)
		return HYP_EINVAL;
	vm = vcpu->vm;
	m = vcpu->deferred;
	if (!vcpu->loaded || vcpu->entered)
		return HYP_ESTATE;
	SR_STAT_ADD(vcpu->stats.puts, 1);
	for (unsigned g = 0; g < vm->nr_groups; g++) {
		if ((vcpu->group_dirty >> g & 1) && !(vcpu->group_promoted >> g & 1))
			mask_or(&m, &vm->groups[g].members);
	}
	for (unsigned i = 0; i < HYP_SYSREG_MASK_WORDS; i++)
		m.w[i] |= vcpu->written.w[i] & vcpu->live.w[i];
	/* With a host EL1 context, exit saved them and the host's are live. */
	if (vcpu->lazy_loaded && vm->host == HYP_SYSREG_HOST_NONE)
		mask_or(&m, &vm->lazy);
	if (vm->adaptive && vcpu->group_promoted) {
		const uint64_t p = vcpu->group_promoted;

		if (!(p & (p - 1))) {
			/* One promoted group (the common case): the save compares
			 * its registers as it stores them. */
			const uint64_t diff =
			    sr_watch(vcpu->regs, &m, &vm->groups[__builtin_ctzll(p)].members,
				     hyp_sysreg_e2h(vcpu));

			adapt(vcpu, NULL, diff != 0);
			goto done;
		}
		for (unsigned g = 0; g < vm->nr_groups; g++) {
			if (p >> g & 1)
				regs_copy(before, vcpu->regs, &vm->groups[g].members);
		}
	}
	sr_save(vcpu->regs, &m, hyp_sysreg_e2h(vcpu));
	if (vm->adaptive)
		adapt(vcpu, before, false);
done:
	vcpu->live = (struct hyp_sysreg_mask){ { 0 } };
	vcpu->loaded = false;
	vcpu->lazy_loaded = false;
	return 0;
}

void hyp_sysreg_enter(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_host_ctx *host)
{
	const struct hyp_sysreg_vm *vm = vcpu->vm;
	bool e2h = hyp_sysreg_e2h(vcpu);

	/* The common case with deferral: nothing to walk. */
	if (!vm->nr_entry)
		return;
	if (vm->host == HYP_SYSREG_HOST_EL1) {
		vcpu->host_ctx = host;
		vcpu->entered = true;
		sr_save(host->regs, &vm->immediate, e2h);
		/* A loaded LAZY register is the guest's while it runs and the
		 * host's while the host does. */
		if (vcpu->lazy_loaded) {
			sr_save(host->regs, &vm->lazy, e2h);
			sr_restore(vcpu->regs, &vm->lazy, e2h);
			mask_or(&vcpu->live, &vm->lazy);
		}
	}
	sr_restore(vcpu->regs, &vm->immediate, e2h);
	mask_or(&vcpu->live, &vm->immediate);
}

void hyp_sysreg_exit(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_host_ctx *host)
{
	const struct hyp_sysreg_vm *vm = vcpu->vm;
	bool e2h = hyp_sysreg_e2h(vcpu);

	if (!vm->nr_entry)
		return;
	sr_save(vcpu->regs, &vm->immediate, e2h);
	mask_andnot(&vcpu->live, &vm->immediate);
	if (vm->host == HYP_SYSREG_HOST_EL1) {
		if (vcpu->lazy_loaded) {
			sr_save(vcpu->regs, &vm->lazy, e2h);
			mask_andnot(&vcpu->live, &vm->lazy);
			sr_restore(host->regs, &vm->lazy, e2h);
		}
		sr_restore(host->regs, &vm->immediate, e2h);
		vcpu->entered = false;
	}
}

int hyp_sysreg_lazy_load(struct hyp_sysreg_vcpu *vcpu)
{
	const struct hyp_sysreg_vm *vm;
	bool e2h;

	if (!vcpu || !vcpu->vm)
		return HYP_EINVAL;
	vm = vcpu->vm;
	e2h = hyp_sysreg_e2h(vcpu);
	if (!vcpu->loaded)
		return HYP_ESTATE;
	if (vcpu->lazy_loaded)
		return 0;
	vcpu->lazy_loaded = true;
	/* With a host EL1 context the host's values are in the registers
	 * unless the guest's context is (between enter and exit). */
	if (vm->host == HYP_SYSREG_HOST_EL1) {
		if (!vcpu->entered)
			return 0;
		sr_save(vcpu->host_ctx->regs, &vm->lazy, e2h);
	}
	sr_restore(vcpu->regs, &vm->lazy, e2h);
	mask_or(&vcpu->live, &vm->lazy);
	return 0;
}

int hyp_sysreg_decode(uint64_t esr, struct hyp_sysreg_access *out)
{
	if (!out || hyp_esr_ec(esr) != HYP_EC_SYS64)
		return HYP_EINVAL;
	*out = (struct hyp_sysreg_access){
		.enc = hyp_esr_sys_enc(esr),
		.rt = (uint8_t)hyp_esr_sys_rt(esr),
		.read = hyp_esr_sys_is_read(esr),
	};
	return 0;
}

int hyp_sysreg_trap_table_check(const struct hyp_sysreg_trap_table *t)
{
	if (!t || (t->nr && !t->entries))
		return HYP_EINVAL;
	for (unsigned i = 0; i < t->nr; i++) {
		if (!t->entries[i].fn || (i && t->entries[i - 1].enc >= t->entries[i].enc))
			return HYP_EINVAL;
	}
	return 0;
}

const struct hyp_sysreg_trap_entry *hyp_sysreg_trap_find(const struct hyp_sysreg_trap_table *t,
							uint32_t enc)
{
	unsigned lo = 0, hi = t ? t->nr : 0;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (t->entries[mid].enc == enc)
			return &t->entries[mid];
		if (t->entries[mid].enc < enc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The hardware access for a register named at run time: MRS/MSR need a
 * constant encoding, so the context registers are expanded into a switch. */
static uint64_t hw_read(unsigned id, bool e2h)
{
	switch (id) {
#define HYP_X_HWREAD(name, op0, op1, crn, crm, op2, feat, wt, flags)                      \
	case HYP_REG_##name:                                                               \
		if (!((flags) & HYP_SYSREG_CTX))                                           \
			break;                                                             \
		return hyp_sysreg_guest_read(e2h, name);
		HYP_SYSREGS(HYP_X_HWREAD)
#undef HYP_X_HWREAD
	}
	return 0;
}

static void hw_write(unsigned id, bool e2h, uint64_t v)
{
	switch (id) {
#define HYP_X_HWWRITE(name, op0, op1, crn, crm, op2, feat, wt, flags)                     \
	case HYP_REG_##name:                                                               \
		if (!((flags) & HYP_SYSREG_CTX))                                           \
			break;                                                             \
		hyp_sysreg_guest_write(e2h, name, v);                                      \
		break;
		HYP_SYSREGS(HYP_X_HWWRITE)
#undef HYP_X_HWWRITE
	}
}

uint64_t hyp_sysreg_vcpu_read_id(const struct hyp_sysreg_vcpu *vcpu, unsigned id)
{
	uint64_t v;

	if (!vcpu || id >= HYP_REG_COUNT)
		return 0;
	if (hyp_sysreg_mask_test(&vcpu->live, id))
		v = hw_read(id, hyp_sysreg_e2h(vcpu));
	else
		v = vcpu->regs[id];
	/* The guest's view: the held bits are RES0 to it (cpacr_force). */
	if (__builtin_expect(id == HYP_REG_CPACR_EL1, 0) && vcpu->vm)
		v &= ~vcpu->vm->cpacr_force;
	return v;
}

int hyp_sysreg_vcpu_write_id(struct hyp_sysreg_vcpu *vcpu, unsigned id, uint64_t val)
{
	if (!vcpu || id >= HYP_REG_COUNT)
		return HYP_EINVAL;
	if (__builtin_expect(id == HYP_REG_CPACR_EL1, 0) && vcpu->vm)
		val |= vcpu->vm->cpacr_force;
	if (hyp_sysreg_mask_test(&vcpu->live, id)) {
		hw_write(id, hyp_sysreg_e2h(vcpu), val);
		mask_set(&vcpu->written, id);
	} else {
		vcpu->regs[id] = val;
	}
	return 0;
}

/* The armed group whose trap caught a write of @id, or -1. */
static int armed_group_of(const struct hyp_sysreg_vcpu *vcpu, unsigned id)
{
	const struct hyp_sysreg_vm *vm = vcpu->vm;
	uint16_t wt = hyp_sysreg_table[id].wtrap;

	for (unsigned g = 0; g < vm->nr_groups; g++) {
		const struct hyp_sysreg_group *grp = &vm->groups[g];

		if (!(vcpu->group_armed >> g & 1))
			continue;
		if (grp->tvm ? (wt & HYP_WT_TVM) != 0
			     : HYP_WT_HAS_FGT(wt) && HYP_WT_FGT_BIT(wt) == grp->bit)
			return (int)g;
	}
	return -1;
}

int hyp_sysreg_handle_trap(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a,
			   const struct hyp_sysreg_trap_table *user)
{
	const struct hyp_sysreg_trap_entry *e;

	if (!vcpu || !vcpu->vm || !a)
		return HYP_EINVAL;
	e = hyp_sysreg_trap_find(user, a->enc);
	if (e)
		return e->fn(vcpu, a, e->ctx);
	return hyp__sysreg_trap_engine(vcpu, a, hyp_sysreg_lookup(a->enc));
}

int hyp__sysreg_trap_engine(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a, int id)
{
	int g;

	/* Not switched, trapped by HCR_EL2.TACR: the VM's value, writes
	 * ignored (see the ACTLR_EL1 section of sysreg.h). */
	if (id == HYP_REG_ACTLR_EL1 && vcpu->vm->policy[id] == HYP_SYSREG_ABSENT) {
		if (a->read)
			a->val = vcpu->regs[HYP_REG_ACTLR_EL1];
		SR_STAT_ADD(vcpu->stats.reg_traps[id], 1);
		return HYP_SYSREG_HANDLED;
	}
	if (id < 0 || !is_context((unsigned)id) || vcpu->vm->policy[id] == HYP_SYSREG_ABSENT) {
		/* issue 16: HCR_EL2.TID1 (set for a VM without SME, or by the
		 * integrator) traps REVIDR_EL1 and AIDR_EL1 reads too (Arm ARM
		 * D24.2.156, D24.2.13): the sanitised values from the cpufeat
		 * cache. SMIDR_EL1 and GMID_EL1 are not in the table: UNDEF.
		 * Off the switched registers' path. */
		if ((id == HYP_REG_REVIDR_EL1 || id == HYP_REG_AIDR_EL1) && a->read) {
			a->val = hyp_cpu_idreg((enum hyp_sysreg_id)id);
			SR_STAT_ADD(vcpu->stats.reg_traps[id], 1);
			return HYP_SYSREG_HANDLED;
		}
		SR_STAT_ADD(vcpu->stats.undef_traps, 1);
		return HYP_SYSREG_UNDEF;
	}
	SR_STAT_ADD(vcpu->stats.reg_traps[id], 1);
	if (a->read) {
		a->val = hyp_sysreg_vcpu_read_id(vcpu, (unsigned)id);
		return HYP_SYSREG_HANDLED;
	}
	(void)hyp_sysreg_vcpu_write_id(vcpu, (unsigned)id, a->val);
	g = armed_group_of(vcpu, (unsigned)id);
	if (g >= 0) {
		const struct hyp_sysreg_group *grp = &vcpu->vm->groups[g];

		vcpu->traps++;
		SR_STAT_ADD(vcpu->stats.dirty_traps[g], 1);
		vcpu->group_dirty |= 1ull << g;
		vcpu->group_armed &= ~(1ull << g);
		compute_traps(vcpu);
		if (grp->tvm)
			write_hcr(vcpu, true);
		else
			hyp_write_sysreg(HYP_SYS_HFGWTR_EL2, vcpu->hfgwtr_el2);
	}
	return HYP_SYSREG_HANDLED;
}

/* ---- statistics (issue 15) ---- */

int hyp_sysreg_vcpu_stats(const struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_stats *out)
{
	if (!vcpu || !vcpu->vm || !out)
		return HYP_EINVAL;
	*out = vcpu->stats;
	for (unsigned g = 0; g < HYP_SYSREG_MAX_GROUPS; g++) {
		/* The put cycles that ended with group g armed and clean: not
		 * promoted, no dirty trap (at most one a cycle: the trap disarms
		 * the group until the next load). A trap of the cycle still
		 * loaded has no put yet. */
		uint32_t traps = out->dirty_traps[g];
		uint32_t armed = out->puts - out->promoted_puts[g];

		if (vcpu->loaded && (vcpu->group_dirty >> g & 1) && traps)
			traps--;
		out->saves_avoided[g] =
		    g < vcpu->vm->nr_groups && armed > traps ? (armed - traps) * vcpu->vm->groups[g].nr
							     : 0;
		out->promotions[g] = vcpu->adapt[g].promotions;
		out->demotions[g] = vcpu->adapt[g].demotions;
	}
	return 0;
}

int hyp_sysreg_vcpu_stats_reset(struct hyp_sysreg_vcpu *vcpu)
{
	static const struct hyp_sysreg_stats zero;

	if (!vcpu)
		return HYP_EINVAL;
	vcpu->stats = zero;
	vcpu->traps = 0;
	vcpu->trap_lookups = 0;
	for (unsigned g = 0; g < HYP_SYSREG_MAX_GROUPS; g++) {
		vcpu->adapt[g].promotions = 0;
		vcpu->adapt[g].demotions = 0;
	}
	return 0;
}
