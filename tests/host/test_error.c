/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <string.h>

#include <libhyp/error.h>

Test(error, codes_are_negative_and_distinct)
{
	static const int codes[] = {
#define X(name, value, desc) name,
		HYP_ERRORS(X)
#undef X
	};
	size_t n = sizeof(codes) / sizeof(codes[0]);

	cr_assert_gt(n, 5);
	for (size_t i = 0; i < n; i++) {
		cr_assert_lt(codes[i], 0);
		for (size_t j = i + 1; j < n; j++)
			cr_assert_neq(codes[i], codes[j]);
	}
}

Test(error, names_and_strings)
{
	cr_assert_str_eq(hyp_error_name(HYP_EINVAL), "HYP_EINVAL");
	cr_assert_str_eq(hyp_error_name(HYP_OK), "HYP_OK");
	cr_assert_str_eq(hyp_strerror(HYP_OK), "success");
	cr_assert_str_eq(hyp_strerror(HYP_ENOMEM), "out of memory (allocation hook failed)");
	cr_assert_str_eq(hyp_strerror(HYP_ENOTSUP), "not supported by this CPU or VM");
}

Test(error, unknown_values)
{
	cr_assert_str_eq(hyp_strerror(-1000), "unknown error");
	cr_assert_str_eq(hyp_strerror(7), "unknown error");
	cr_assert_str_eq(hyp_error_name(-1000), "HYP_E?");
}
