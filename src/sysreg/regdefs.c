/* SPDX-License-Identifier: MIT */
#include <libhyp/error.h>
#include <libhyp/regdefs.h>

const struct hyp_sysreg_desc hyp_sysreg_table[HYP_REG_COUNT] = {
#define HYP_X_DESC(name_, op0, op1, crn, crm, op2, feat_, wt, flags_)                 \
	[HYP_REG_##name_] = { .name = #name_,                                         \
			      .enc = HYP_SYSREG_ENC(op0, op1, crn, crm, op2),         \
			      .wtrap = (uint16_t)(wt),                                \
			      .flags = (uint16_t)(flags_),                            \
			      .feat = HYP_CAP_##feat_ },
	HYP_SYSREGS(HYP_X_DESC)
#undef HYP_X_DESC
};

#define HYP_SIGNED_U 0
#define HYP_SIGNED_S 1

const struct hyp_id_field_desc hyp_id_field_table[HYP_IDF_COUNT] = {
#define HYP_X_IDF_DESC(reg_, field, shift_, width_, sign, rule_, safe_)      \
	[HYP_IDF_##reg_##_##field] = { .name = #reg_ "." #field,             \
				       .reg = HYP_REG_##reg_,                \
				       .shift = (shift_),                    \
				       .width = (width_),                    \
				       .is_signed = HYP_SIGNED_##sign,       \
				       .rule = HYP_ID_RULE_##rule_,          \
				       .safe = (safe_) },
	HYP_ID_FIELDS(HYP_X_IDF_DESC)
#undef HYP_X_IDF_DESC
};

static const char *const cap_names[HYP_CAP_COUNT] = {
#define HYP_X_CAP_NAME(name, kind, reg, field, min, desc) [HYP_CAP_##name] = #name,
	HYP_CAPS(HYP_X_CAP_NAME)
#undef HYP_X_CAP_NAME
};

/* The table is in ascending encoding order (a host test checks it), so it
 * is its own sorted trap-lookup table. */
int hyp_sysreg_lookup(uint32_t enc)
{
	unsigned lo = 0, hi = HYP_REG_COUNT;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		uint32_t e = hyp_sysreg_table[mid].enc;

		if (e == enc)
			return (int)mid;
		if (e < enc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return HYP_ENOENT;
}

const char *hyp_sysreg_name(uint32_t enc)
{
	int id = hyp_sysreg_lookup(enc);

	return id < 0 ? "?" : hyp_sysreg_table[id].name;
}

const char *hyp_cap_name(unsigned cap)
{
	return cap < HYP_CAP_COUNT ? cap_names[cap] : "?";
}

int hyp_sysreg_id_of(hyp_sysreg_enc_t enc)
{
	return hyp_sysreg_lookup(enc.raw);
}

hyp_sysreg_enc_t hyp_sysreg_enc_of(unsigned id)
{
	return HYP_ENC_RAW(id < HYP_REG_COUNT ? hyp_sysreg_table[id].enc : 0);
}

const char *hyp_sysreg_enc_name(hyp_sysreg_enc_t enc)
{
	return hyp_sysreg_name(enc.raw);
}
