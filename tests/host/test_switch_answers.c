/* SPDX-License-Identifier: MIT */
/* Constant SMCCC answers (libhyp/psci.h): the table the lower-EL vector
 * searches before it saves any register, its validation, the C search that
 * gives the same answers, and its attachment to a fast-path table.
 *
 * Function IDs are literals from the specifications: PSCI_VERSION
 * 0x84000000, CPU_ON 0x84000003, MIGRATE_INFO_TYPE 0x84000006,
 * PSCI_FEATURES 0x8400000A (Arm DEN 0022 PSCI, 5.1 "Function prototypes");
 * SMCCC_VERSION 0x80000000, SMCCC_ARCH_FEATURES 0x80000001,
 * SMCCC_ARCH_WORKAROUND_1 0x80008000, SMCCC_ARCH_WORKAROUND_3 0x80003FFF
 * (Arm DEN 0028 SMCCC, 7 "Arm Architecture Calls"); bit 31 = fast call,
 * bits [23:16] zero for fast calls (DEN 0028, 2.5 "Function Identifiers"). */
#include "test_switch.h"

static struct hyp_smccc_answers t;

static void setup(void)
{
	hyp_smccc_answers_init(&t);
}

TestSuite(smccc_answers, .init = setup);

Test(smccc_answers, added_calls_are_found_in_order)
{
	uint64_t x0 = 0;

	cr_assert_eq(hyp_smccc_answer_add(&t, 0x84000000u, 0, 0x10001), HYP_OK);
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x80008000u, 0, 0), HYP_OK);
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x80000001u, 0x80008000u, (uint64_t)-1), HYP_OK);
	cr_assert_eq(hyp_smccc_answer_find(&t, 0x84000000u, 0x1234, &x0), HYP_OK);
	cr_assert_eq(x0, 0x10001, "W1 is not part of PSCI_VERSION's key");
	cr_assert_eq(hyp_smccc_answer_find(&t, 0x80008000u, 0, &x0), HYP_OK);
	cr_assert_eq(x0, 0);
	cr_assert_eq(hyp_smccc_answer_find(&t, 0x80000001u, 0x80008000u, &x0), HYP_OK);
	cr_assert_eq(x0, (uint64_t)-1);
	/* The table's layout, as entry.S reads it: key, x0, then the end. */
	cr_assert_eq(t.a[0].key, 0x84000000u);
	cr_assert_eq(t.a[2].key, 0x8000800080000001ull);
	cr_assert_eq(t.a[3].key, ~0ull);
}

Test(smccc_answers, arch_features_is_keyed_by_w1)
{
	uint64_t x0 = 7;

	cr_assert_eq(hyp_smccc_answer_add(&t, 0x80000001u, 0x80008000u, 0), HYP_OK);
	cr_assert_eq(hyp_smccc_answer_find(&t, 0x80000001u, 0x80003FFFu, &x0), HYP_ENOENT);
	cr_assert_eq(hyp_smccc_answer_find(&t, 0x80000001u, 0, &x0), HYP_ENOENT);
	cr_assert_eq(x0, 7, "untouched when not answered");
	/* Another call with the same W0 as the key's lower half. */
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x80000001u, 0x80003FFFu, 1), HYP_OK);
	cr_assert_eq(hyp_smccc_answer_find(&t, 0x80000001u, 0x80003FFFu, &x0), HYP_OK);
	cr_assert_eq(x0, 1);
}

Test(smccc_answers, unknown_and_end_marker_never_match)
{
	uint64_t x0 = 7;

	cr_assert_eq(hyp_smccc_answer_find(&t, 0xffffffffu, 0xffffffffu, &x0), HYP_ENOENT);
	cr_assert_eq(hyp_smccc_answer_find(&t, 0x84000000u, 0, &x0), HYP_ENOENT);
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x84000000u, 0, 2), HYP_OK);
	cr_assert_eq(hyp_smccc_answer_find(&t, 0xffffffffu, 0xffffffffu, &x0), HYP_ENOENT);
	cr_assert_eq(hyp_smccc_answer_find(&t, 0x84000001u, 0, &x0), HYP_ENOENT);
	cr_assert_eq(hyp_smccc_answer_find(NULL, 0x84000000u, 0, &x0), HYP_ENOENT);
	cr_assert_eq(hyp_smccc_answer_find(&t, 0x84000000u, 0, NULL), HYP_EINVAL);
	cr_assert_eq(x0, 7);
}

Test(smccc_answers, bad_input_is_refused_and_changes_nothing)
{
	struct hyp_smccc_answers before;

	cr_assert_eq(hyp_smccc_answer_add(&t, 0x84000000u, 0, 2), HYP_OK);
	memcpy(&before, &t, sizeof(t));
	cr_assert_eq(hyp_smccc_answer_add(NULL, 0x84000000u, 0, 0), HYP_EINVAL);
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x04000000u, 0, 0), HYP_EINVAL, "yielding call");
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x80010000u, 0, 0), HYP_EINVAL, "bits [23:16]");
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x84000003u, 0, 0), HYP_EINVAL, "CPU_ON acts");
	cr_assert_eq(hyp_smccc_answer_add(&t, 0xC4000003u, 0, 0), HYP_EINVAL, "CPU_ON SMC64");
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x8400000Au, 0, 0), HYP_EINVAL,
		     "PSCI_FEATURES depends on W1");
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x80000000u, 1, 0), HYP_EINVAL,
		     "only ARCH_FEATURES takes W1");
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x84000000u, 0, 3), HYP_EEXIST);
	cr_assert_eq(memcmp(&before, &t, sizeof(t)), 0);
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x84000006u, 0, 2), HYP_OK, "MIGRATE_INFO_TYPE");
}

Test(smccc_answers, a_full_table_is_refused)
{
	struct hyp_smccc_answers before;

	for (unsigned i = 0; i < HYP_SMCCC_ANSWERS_MAX; i++)
		cr_assert_eq(hyp_smccc_answer_add(&t, 0x86000000u + i, 0, i), HYP_OK);
	memcpy(&before, &t, sizeof(t));
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x86000100u, 0, 0), HYP_ERANGE);
	cr_assert_eq(memcmp(&before, &t, sizeof(t)), 0);
	cr_assert_eq(t.a[HYP_SMCCC_ANSWERS_MAX].key, ~0ull, "the end marker stays");
}

Test(smccc_answers, attach_validates_and_table_init_detaches)
{
	static struct hyp_fast_table ft;
	static struct hyp_smccc_answers zeroed; /* never initialised: no end marker */

	hyp_fast_table_init(&ft);
	cr_assert_null(ft.smccc_answers);
	cr_assert_eq(hyp_fast_set_smccc_answers(NULL, &t), HYP_EINVAL);
	cr_assert_eq(hyp_fast_set_smccc_answers(&ft, &zeroed), HYP_EINVAL);
	cr_assert_null(ft.smccc_answers);
	cr_assert_eq(hyp_fast_set_smccc_answers(&ft, &t), HYP_OK);
	cr_assert_eq(ft.smccc_answers, &t);
	cr_assert_eq(hyp_fast_set_smccc_answers(&ft, NULL), HYP_OK);
	cr_assert_null(ft.smccc_answers);
	cr_assert_eq(hyp_fast_set_smccc_answers(&ft, &t), HYP_OK);
	hyp_fast_table_init(&ft);
	cr_assert_null(ft.smccc_answers, "re-initialising the table detaches");
}

/* The C dispatcher (the host backend's and the reference of entry.S's)
 * does not consult the answers: with a table attached an HVC still reaches
 * the SMCCC handler, which reads only ESR_EL2. */
Test(smccc_answers, the_c_path_is_unchanged)
{
	static struct hyp_fast_table ft;
	static const struct hyp_smccc defaults;
	static struct hyp_sim_cpu cpu;
	static struct hyp_vcpu vcpu;

	sw_sim_setup(&cpu);
	hyp_fast_table_init(&ft);
	cr_assert_eq(hyp_smccc_register(&ft, &defaults), HYP_OK);
	cr_assert_eq(hyp_smccc_answer_add(&t, 0x84000000u, 0, 0x2), HYP_OK);
	cr_assert_eq(hyp_fast_set_smccc_answers(&ft, &t), HYP_OK);
	cr_assert_eq(hyp_vcpu_init(&vcpu, HYP_HCR_RW, &ft), HYP_OK);
	vcpu.regs.x[0] = 0x84000000u;
	sw_exit(&cpu, &vcpu, ESR(HYP_EC_HVC64, 0), 0x40001000ull, HYP_PSR_M_EL1H);
	cr_assert_eq(hyp_switch_sync_exit(&vcpu), HYP_FAST_RESUME_X0_X18);
	cr_assert_eq(vcpu.regs.x[0], 0x10001, "libhyp's PSCI 1.1, not the table's");
	cr_assert_eq(sw_sysreg_accesses(&cpu), 1, "ESR_EL2 only");
}
