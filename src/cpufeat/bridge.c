/* SPDX-License-Identifier: MIT */
/* Bridges out of and into the cpufeat cache: a page-table configuration
 * from the finalized view, and an integrator's sanitised view imported in
 * place of the probes. */
#include <libhyp/cpufeat.h>
#include <libhyp/pgtable.h>

int hyp_pgtable_cfg_from_cpufeat(struct hyp_pgtable_cfg *cfg, unsigned ia_bits)
{
	unsigned pa;

	if (!cfg || ia_bits < 25 || ia_bits > 48)
		return HYP_EINVAL;
	if (!hyp_cpufeat.finalized)
		return HYP_ESTATE;
	if (!hyp_cpu_has(HYP_CAP_S2_4K))
		return HYP_ENOTSUP;
	pa = hyp_cpu_pa_bits();
	*cfg = (struct hyp_pgtable_cfg){
	    .pa_bits = (uint8_t)pa,
	    .ia_bits = (uint8_t)(ia_bits < pa ? ia_bits : pa),
	    .granule_shift = 12,
	    .dline_shift = (uint8_t)(HYP_CPU_IDFIELD(CTR_EL0, DminLine) + 2),
	    .iline_shift = (uint8_t)(HYP_CPU_IDFIELD(CTR_EL0, IminLine) + 2),
	    .l1ip = (uint8_t)HYP_CPU_IDFIELD(CTR_EL0, L1Ip),
	    .s2fwb = hyp_cpu_has(HYP_CAP_FWB),
	    .dic = hyp_cpu_has(HYP_CAP_DIC),
	    .idc = hyp_cpu_has(HYP_CAP_IDC),
	    .ttl = hyp_cpu_has(HYP_CAP_TTL),
	    .tlbirange = hyp_cpu_has(HYP_CAP_TLBIRANGE),
	    .vmid16 = hyp_cpu_has(HYP_CAP_VMID16),
	};
	return 0;
}

/* Whether a probe fills @p reg (see probe_regs() in cpufeat.c). */
static bool probed_reg(unsigned reg)
{
	uint16_t flags = hyp_sysreg_table[reg].flags;

	if (!(flags & HYP_RF_ID) || reg == HYP_REG_CCSIDR_EL1)
		return false;
	return !(flags & HYP_RF_GIC) || reg == HYP_REG_ICH_VTR_EL2;
}

int hyp_cpufeat_import(const struct hyp_cpufeat_idval *vals, unsigned nr)
{
	uint64_t id[HYP_REG_COUNT] = {0};
	bool seen[HYP_REG_COUNT] = {0};
	struct hyp_cpufeat_cpu *c;

	if (!hyp_cpufeat.cpus || hyp_cpufeat.finalized)
		return HYP_ESTATE;
	for (unsigned i = 0; i < hyp_cpufeat.nr_cpus; i++) {
		if (hyp_cpufeat.cpus[i].state != HYP_CPUFEAT_CPU_ABSENT)
			return HYP_ESTATE;
	}
	if (!vals)
		return HYP_EINVAL;
	for (unsigned i = 0; i < nr; i++) {
		unsigned r = vals[i].reg;

		if (r >= HYP_REG_COUNT || !probed_reg(r) || seen[r])
			return HYP_EINVAL;
		seen[r] = true;
		id[r] = vals[i].value;
	}
	if (!seen[HYP_REG_ID_AA64PFR0_EL1] || !seen[HYP_REG_ID_AA64MMFR0_EL1] ||
	    !seen[HYP_REG_CTR_EL0])
		return HYP_EINVAL;
	/* ID_AA64PFR0_EL1.EL2 [11:8]: 0 is "EL2 not implemented" (Arm ARM
	 * D24.2.93); PARange above 0b0110 is reserved (D24.2.88); CTR_EL0
	 * bit 31 is RES1 (D24.2.42); ICH_VTR_EL2 exists only with the GIC
	 * system-register interface (ID_AA64PFR0_EL1.GIC). */
	if (HYP_IDF_GET(ID_AA64PFR0_EL1, EL2, id[HYP_REG_ID_AA64PFR0_EL1]) == 0 ||
	    HYP_IDF_GET(ID_AA64MMFR0_EL1, PARange, id[HYP_REG_ID_AA64MMFR0_EL1]) > 6 ||
	    !(id[HYP_REG_CTR_EL0] >> 31 & 1) ||
	    (seen[HYP_REG_ICH_VTR_EL2] &&
	     !HYP_IDF_GET(ID_AA64PFR0_EL1, GIC, id[HYP_REG_ID_AA64PFR0_EL1])))
		return HYP_EINVAL;

	c = &hyp_cpufeat.cpus[0];
	__builtin_memcpy(c->id, id, sizeof(c->id));
	c->state = HYP_CPUFEAT_CPU_PROBED;
	return hyp_cpufeat_finalize(NULL, 0, NULL);
}
