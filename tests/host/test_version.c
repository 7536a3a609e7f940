/* SPDX-License-Identifier: MIT */
/* libhyp/version.h (generated from the project version) and hyp_version()
 * (the library's version as built). EXPECTED_VERSION is meson's project
 * version, passed by tests/host/meson.build. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <libhyp/version.h>

Test(version, macros_are_the_project_version)
{
	unsigned major, minor, patch;

	cr_assert_str_eq(HYP_VERSION_STRING, EXPECTED_VERSION);
	cr_assert_eq(sscanf(EXPECTED_VERSION, "%u.%u.%u", &major, &minor, &patch), 3);
	cr_assert_eq(HYP_VERSION_MAJOR, major);
	cr_assert_eq(HYP_VERSION_MINOR, minor);
	cr_assert_eq(HYP_VERSION_PATCH, patch);
	cr_assert_eq(HYP_VERSION, (major << 16) | (minor << 8) | patch);
}

Test(version, num_orders_versions)
{
	cr_assert_eq(HYP_VERSION_NUM(0, 1, 0), 0x000100u);
	cr_assert_eq(HYP_VERSION_NUM(1, 2, 3), 0x010203u);
	cr_assert(HYP_VERSION_NUM(0, 10, 0) > HYP_VERSION_NUM(0, 9, 255));
	cr_assert(HYP_VERSION_NUM(1, 0, 0) > HYP_VERSION_NUM(0, 255, 255));
}

Test(version, library_matches_headers)
{
	/* The library was built from these headers: a mismatch means a
	 * program linked against another release's libhyp.a. */
	cr_assert_eq(hyp_version(), HYP_VERSION);
}
