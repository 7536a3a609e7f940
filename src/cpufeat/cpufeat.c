/* SPDX-License-Identifier: MIT */
#include <libhyp/cpufeat.h>
#include <libhyp/hw.h>

struct hyp_cpufeat_cache hyp_cpufeat;

enum cap_kind { CAP_ALWAYS, CAP_MIN, CAP_CUSTOM };

static const struct {
	uint8_t kind;
	uint8_t min;
	uint16_t field; /* enum hyp_id_field_id */
} caps[HYP_CAP_COUNT] = {
#define HYP_X_CAP_DESC(name, kind_, reg, field_, min_, desc) \
	[HYP_CAP_##name] = { .kind = CAP_##kind_, .min = (min_), .field = HYP_IDF_##reg##_##field_ },
	HYP_CAPS(HYP_X_CAP_DESC)
#undef HYP_X_CAP_DESC
};

/* A field's value; a signed field is sign-extended so that 0xF ("not
 * implemented") compares below every implemented value. */
static int64_t field_val(const uint64_t *id, unsigned f)
{
	const struct hyp_id_field_desc *d = &hyp_id_field_table[f];
	uint64_t mask = (1ull << d->width) - 1;
	uint64_t v = (id[d->reg] >> d->shift) & mask;

	if (d->is_signed && (v >> (d->width - 1)))
		return (int64_t)(v | ~mask);
	return (int64_t)v;
}

static uint64_t field_insert(uint64_t reg, unsigned f, uint64_t v)
{
	const struct hyp_id_field_desc *d = &hyp_id_field_table[f];
	uint64_t mask = ((1ull << d->width) - 1) << d->shift;

	return (reg & ~mask) | (((uint64_t)v << d->shift) & mask);
}

#define FIELD(id, reg, field) field_val(id, HYP_IDF_##reg##_##field)

/* Stage-2 granule support: TGran<N>_2 (ARMv8.5) is 0 when the stage-1
 * field decides, 1 for "not at stage 2", 2 or 3 for supported (Arm ARM
 * D23.2, ID_AA64MMFR0_EL1). */
static bool s2_granule(int64_t tgran_2, bool stage1_has)
{
	return tgran_2 == 0 ? stage1_has : tgran_2 >= 2;
}

bool hyp_cpufeat_eval(const uint64_t id[HYP_REG_COUNT], unsigned cap)
{
	if (!id || cap >= HYP_CAP_COUNT)
		return false;
	switch (caps[cap].kind) {
	case CAP_ALWAYS:
		return true;
	case CAP_MIN:
		return field_val(id, caps[cap].field) >= caps[cap].min;
	}
	switch (cap) {
	case HYP_CAP_PAUTH:
		return FIELD(id, ID_AA64ISAR1_EL1, API) >= 1 || FIELD(id, ID_AA64ISAR1_EL1, APA) >= 1 ||
		       FIELD(id, ID_AA64ISAR2_EL1, APA3) >= 1;
	case HYP_CAP_PMU: {
		int64_t v = FIELD(id, ID_AA64DFR0_EL1, PMUVer);
		return v >= 1 && v != 0xf;
	}
	case HYP_CAP_S2_4K:
		return s2_granule(FIELD(id, ID_AA64MMFR0_EL1, TGran4_2),
				  FIELD(id, ID_AA64MMFR0_EL1, TGran4) >= 0);
	case HYP_CAP_S2_16K:
		return s2_granule(FIELD(id, ID_AA64MMFR0_EL1, TGran16_2),
				  FIELD(id, ID_AA64MMFR0_EL1, TGran16) >= 1);
	case HYP_CAP_S2_64K:
		return s2_granule(FIELD(id, ID_AA64MMFR0_EL1, TGran64_2),
				  FIELD(id, ID_AA64MMFR0_EL1, TGran64) >= 0);
	default:
		return false;
	}
}

unsigned hyp_cpufeat_pa_bits(uint64_t mmfr0)
{
	static const uint8_t bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned parange = HYP_IDF_GET(ID_AA64MMFR0_EL1, PARange, mmfr0);

	/* Reserved encodings: the largest defined size is the honest answer
	 * for "at least"; the field is LOWER-sanitised so it is never above a
	 * real CPU's. */
	return parange < sizeof(bits) ? bits[parange] : 52;
}

static void compute_caps(const uint64_t *id, uint64_t *bitmap)
{
	__builtin_memset(bitmap, 0, HYP_CAP_WORDS * sizeof(uint64_t));
	for (unsigned cap = 0; cap < HYP_CAP_COUNT; cap++) {
		if (hyp_cpufeat_eval(id, cap))
			bitmap[cap / 64] |= 1ull << (cap % 64);
	}
}

void hyp_cpufeat_reset(void)
{
	__builtin_memset(&hyp_cpufeat, 0, sizeof(hyp_cpufeat));
}

int hyp_cpufeat_init(struct hyp_cpufeat_cpu *cpus, unsigned nr_cpus)
{
	uint8_t mode;

	if (!cpus || !nr_cpus)
		return HYP_EINVAL;
	if (hyp_cpufeat.finalized)
		return HYP_ESTATE;
	mode = hyp_cpufeat.el2_mode; /* the EL2 mode record survives init */
	hyp_cpufeat_reset();
	hyp_cpufeat.el2_mode = mode;
	__builtin_memset(cpus, 0, nr_cpus * sizeof(*cpus));
	hyp_cpufeat.cpus = cpus;
	hyp_cpufeat.nr_cpus = nr_cpus;
	return 0;
}

int hyp_cpufeat_set_el2_mode(bool e2h)
{
	uint8_t want = e2h ? HYP_EL2_MODE_VHE : HYP_EL2_MODE_NVHE;

	if (HYP_EL2_E2H_FIXED >= 0 && (HYP_EL2_E2H_FIXED != 0) != e2h)
		return HYP_EINVAL;
	if (hyp_cpufeat.el2_mode != HYP_EL2_MODE_UNKNOWN && hyp_cpufeat.el2_mode != want)
		return HYP_ESTATE;
	hyp_cpufeat.el2_mode = want;
	return 0;
}

int hyp_cpufeat_read_el2_mode(void)
{
	return hyp_cpufeat_set_el2_mode((hyp_read_sysreg(HYP_SYS_HCR_EL2) & HYP_HCR_E2H) != 0);
}

/* Straight-line MRS of every ID register in the table: the encodings must
 * be constants, so the list is expanded, not looped over. */
static void probe_regs(uint64_t *id)
{
#define HYP_X_PROBE(name, op0, op1, crn, crm, op2, feat, wt, flags)                  \
	if (((flags) & HYP_RF_ID) && !((flags) & HYP_RF_GIC) &&                      \
	    HYP_REG_##name != HYP_REG_CCSIDR_EL1)                                     \
		id[HYP_REG_##name] = hyp_read_sysreg(HYP_SYS_##name);
	HYP_SYSREGS(HYP_X_PROBE)
#undef HYP_X_PROBE

	/* ICH_* registers are UNDEFINED at EL2 unless ICC_SRE_EL2.SRE is set
	 * (GIC IHI 0069, 12.4 and ICC_SRE_EL2). */
	if (HYP_IDF_GET(ID_AA64PFR0_EL1, GIC, id[HYP_REG_ID_AA64PFR0_EL1]) &&
	    (hyp_read_sysreg(HYP_SYS_ICC_SRE_EL2) & 1))
		id[HYP_REG_ICH_VTR_EL2] = hyp_read_sysreg(HYP_SYS_ICH_VTR_EL2);
}

int hyp_cpufeat_probe_cpu(unsigned cpu)
{
	struct hyp_cpufeat_cpu *c;
	uint64_t bitmap[HYP_CAP_WORDS];

	if (!hyp_cpufeat.cpus)
		return HYP_ESTATE;
	if (cpu >= hyp_cpufeat.nr_cpus)
		return HYP_ERANGE;
	c = &hyp_cpufeat.cpus[cpu];
	if (c->state != HYP_CPUFEAT_CPU_ABSENT)
		return HYP_EEXIST;
	probe_regs(c->id);
	c->state = HYP_CPUFEAT_CPU_PROBED;
	if (!hyp_cpufeat.finalized)
		return 0;

	/* Late CPU: the system already relies on its capabilities. */
	compute_caps(c->id, bitmap);
	for (unsigned w = 0; w < HYP_CAP_WORDS; w++) {
		if (hyp_cpufeat.caps[w] & ~bitmap[w]) {
			c->state = HYP_CPUFEAT_CPU_REFUSED;
			return HYP_EMISMATCH;
		}
	}
	return 0;
}

static bool fields_cover(unsigned reg, uint64_t *mask)
{
	bool any = false;

	*mask = 0;
	for (unsigned f = 0; f < HYP_IDF_COUNT; f++) {
		const struct hyp_id_field_desc *d = &hyp_id_field_table[f];
		if (d->reg == reg) {
			*mask |= ((1ull << d->width) - 1) << d->shift;
			any = true;
		}
	}
	return any;
}

int hyp_cpufeat_finalize(struct hyp_cpufeat_mismatch *mismatches, unsigned max_mismatches,
			 unsigned *nr_mismatches)
{
	const struct hyp_cpufeat_cpu *cpus = hyp_cpufeat.cpus;
	unsigned first = hyp_cpufeat.nr_cpus, nr_mm = 0;

	if (!cpus || hyp_cpufeat.finalized)
		return HYP_ESTATE;
	for (unsigned i = 0; i < hyp_cpufeat.nr_cpus; i++) {
		if (cpus[i].state == HYP_CPUFEAT_CPU_PROBED) {
			first = i;
			break;
		}
	}
	if (first == hyp_cpufeat.nr_cpus)
		return HYP_ESTATE;

	/* Whole registers: agreeing bits kept, differing bits cleared (the
	 * AND of all CPUs). Described fields are then replaced by their rule. */
	for (unsigned r = 0; r < HYP_REG_COUNT; r++) {
		uint64_t all = ~0ull, covered;

		if (!(hyp_sysreg_table[r].flags & HYP_RF_ID))
			continue;
		for (unsigned i = first; i < hyp_cpufeat.nr_cpus; i++) {
			if (cpus[i].state == HYP_CPUFEAT_CPU_PROBED)
				all &= cpus[i].id[r];
		}
		(void)fields_cover(r, &covered);
		hyp_cpufeat.id[r] = all & ~covered;
	}

	for (unsigned f = 0; f < HYP_IDF_COUNT; f++) {
		const struct hyp_id_field_desc *d = &hyp_id_field_table[f];
		int64_t ref = field_val(cpus[first].id, f), v = ref;
		bool differs = false;

		for (unsigned i = first + 1; i < hyp_cpufeat.nr_cpus; i++) {
			int64_t x;

			if (cpus[i].state != HYP_CPUFEAT_CPU_PROBED)
				continue;
			x = field_val(cpus[i].id, f);
			if (d->rule == HYP_ID_RULE_LOWER && x < v)
				v = x;
			else if (d->rule == HYP_ID_RULE_HIGHER && x > v)
				v = x;
			else if (d->rule == HYP_ID_RULE_HIGHER0 && v != 0 && (x == 0 || x > v))
				/* CTR_EL0.CWG/ERG: 0 is "not reported, assume
				 * the maximum" (Arm ARM D24.2.42) and wins */
				v = x;
			else if (d->rule == HYP_ID_RULE_EXACT && x != ref) {
				if (mismatches && nr_mm < max_mismatches) {
					mismatches[nr_mm] = (struct hyp_cpufeat_mismatch){
						.cpu = (uint16_t)i,
						.field = (uint16_t)f,
						.value = (uint64_t)x & ((1ull << d->width) - 1),
						.sys = d->safe,
					};
				}
				nr_mm++;
				differs = true;
			}
		}
		if (differs)
			v = d->safe;
		hyp_cpufeat.id[d->reg] = field_insert(hyp_cpufeat.id[d->reg], f, (uint64_t)v);
	}

	compute_caps(hyp_cpufeat.id, hyp_cpufeat.caps);
	if (nr_mismatches)
		*nr_mismatches = nr_mm;
	hyp_cpufeat.finalized = true;
	return 0;
}

/* The value a hidden capability's main field takes: the highest value
 * below the capability's minimum, so hiding HAFDBS keeps HAF and hiding
 * TLBIRANGE keeps TLBIOS; "not implemented" where the values in between
 * are reserved or still grant part of the feature. */
static uint64_t hidden_value(unsigned cap)
{
	const struct hyp_id_field_desc *d = &hyp_id_field_table[caps[cap].field];

	switch (cap) {
	case HYP_CAP_LSE:    /* Atomic 1 is reserved */
	case HYP_CAP_VMID16: /* VMIDBits 1 is reserved */
	case HYP_CAP_MTE:    /* MTE 1 still has the EL0 tag instructions */
		return 0;
	}
	if (d->is_signed)
		return (1ull << d->width) - 1;
	return caps[cap].min ? caps[cap].min - 1u : 0;
}

static void hide(uint64_t *id, unsigned cap)
{
	const struct hyp_id_field_desc *d = &hyp_id_field_table[caps[cap].field];

	if (hyp_cpufeat_eval(id, cap))
		id[d->reg] = field_insert(id[d->reg], caps[cap].field, hidden_value(cap));
	switch (cap) {
	case HYP_CAP_PAUTH:
		id[HYP_REG_ID_AA64ISAR1_EL1] =
			field_insert(id[HYP_REG_ID_AA64ISAR1_EL1], HYP_IDF_ID_AA64ISAR1_EL1_APA, 0);
		id[HYP_REG_ID_AA64ISAR1_EL1] =
			field_insert(id[HYP_REG_ID_AA64ISAR1_EL1], HYP_IDF_ID_AA64ISAR1_EL1_GPA, 0);
		id[HYP_REG_ID_AA64ISAR1_EL1] =
			field_insert(id[HYP_REG_ID_AA64ISAR1_EL1], HYP_IDF_ID_AA64ISAR1_EL1_GPI, 0);
		id[HYP_REG_ID_AA64ISAR2_EL1] =
			field_insert(id[HYP_REG_ID_AA64ISAR2_EL1], HYP_IDF_ID_AA64ISAR2_EL1_APA3, 0);
		id[HYP_REG_ID_AA64ISAR2_EL1] =
			field_insert(id[HYP_REG_ID_AA64ISAR2_EL1], HYP_IDF_ID_AA64ISAR2_EL1_GPA3, 0);
		break;
	case HYP_CAP_PMU:
		id[HYP_REG_ID_AA64DFR0_EL1] =
			field_insert(id[HYP_REG_ID_AA64DFR0_EL1], HYP_IDF_ID_AA64DFR0_EL1_PMUVer, 0);
		break;
	case HYP_CAP_SVE:
		id[HYP_REG_ID_AA64ZFR0_EL1] = 0;
		break;
	case HYP_CAP_SME:
		id[HYP_REG_ID_AA64SMFR0_EL1] = 0;
		break;
	}
}

int hyp_cpufeat_vm_init(struct hyp_cpufeat_vm *vm, const enum hyp_cap *hidden, unsigned nr_hide)
{
	if (!hyp_cpufeat.finalized)
		return HYP_ESTATE;
	if (!vm || (nr_hide && !hidden))
		return HYP_EINVAL;
	for (unsigned i = 0; i < nr_hide; i++) {
		unsigned cap = (unsigned)hidden[i];
		if (cap >= HYP_CAP_COUNT || caps[cap].kind == CAP_ALWAYS ||
		    cap == HYP_CAP_S2_4K || cap == HYP_CAP_S2_16K || cap == HYP_CAP_S2_64K)
			return HYP_EINVAL;
	}
	__builtin_memcpy(vm->id, hyp_cpufeat.id, sizeof(vm->id));
	for (unsigned i = 0; i < nr_hide; i++)
		hide(vm->id, (unsigned)hidden[i]);
	compute_caps(vm->id, vm->caps);
	return 0;
}

const uint64_t *hyp__cpufeat_vm_idreg_slot(const struct hyp_cpufeat_vm *vm, uint32_t enc)
{
	static const uint64_t raz;
	int id = hyp_sysreg_lookup(enc);

	if (id >= 0) {
		uint16_t flags = hyp_sysreg_table[id].flags;
		if (!(flags & HYP_RF_ID) || (flags & HYP_RF_EL2) || id == HYP_REG_MPIDR_EL1)
			return NULL;
		return &vm->id[id];
	}
	/* The rest of the feature ID space is RAZ (Arm ARM D23.3.1, "reserved
	 * ID registers"). */
	if (HYP_SYSREG_OP0(enc) == 3 && HYP_SYSREG_OP1(enc) == 0 && HYP_SYSREG_CRN(enc) == 0 &&
	    HYP_SYSREG_CRM(enc) >= 1 && HYP_SYSREG_CRM(enc) <= 7 && enc <= 0xffff)
		return &raz;
	return NULL;
}

int hyp_cpufeat_vm_read_idreg(const struct hyp_cpufeat_vm *vm, uint32_t enc, uint64_t *val)
{
	const uint64_t *slot;

	if (!vm || !val)
		return HYP_EINVAL;
	slot = hyp__cpufeat_vm_idreg_slot(vm, enc);
	if (!slot)
		return HYP_ENOENT;
	*val = *slot;
	return 0;
}
