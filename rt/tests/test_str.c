/* SPDX-License-Identifier: MIT */
/* libhyp-rt's string functions (the ones libfdt needs) on the host, against
 * literal expectations (C11 7.24, 7.22.1.4). */
#include <criterion/criterion.h>

#include <libhyp-rt/rt.h>

Test(rt_str, memchr_finds_first_byte_unsigned)
{
	const unsigned char b[] = {1, 0xff, 3, 0xff, 0};

	cr_assert_eq(hyp_rt_memchr(b, 0xff, 5), (const void *)&b[1]);
	cr_assert_eq(hyp_rt_memchr(b, -1, 5), (const void *)&b[1]); /* (unsigned char)-1 */
	cr_assert_eq(hyp_rt_memchr(b, 0, 5), (const void *)&b[4]);
	cr_assert_null(hyp_rt_memchr(b, 0, 4));
	cr_assert_null(hyp_rt_memchr(b, 1, 0));
}

Test(rt_str, strlen_and_strnlen)
{
	cr_assert_eq(hyp_rt_strlen(""), 0);
	cr_assert_eq(hyp_rt_strlen("arm,gic-v3"), 10);
	cr_assert_eq(hyp_rt_strnlen("arm,gic-v3", 4), 4);
	cr_assert_eq(hyp_rt_strnlen("arm", 16), 3);
	cr_assert_eq(hyp_rt_strnlen("arm", 0), 0);
	/* strnlen reads no further than max: no NUL in the buffer */
	const char nonul[3] = {'a', 'b', 'c'};
	cr_assert_eq(hyp_rt_strnlen(nonul, 3), 3);
}

Test(rt_str, strchr_and_strrchr)
{
	const char *s = "/soc/uart@9000000";

	cr_assert_eq(hyp_rt_strchr(s, '/'), s);
	cr_assert_eq(hyp_rt_strrchr(s, '/'), s + 4);
	cr_assert_eq(hyp_rt_strchr(s, '@'), s + 9);
	cr_assert_eq(hyp_rt_strrchr(s, '0'), s + 16);
	cr_assert_null(hyp_rt_strchr(s, 'x'));
	cr_assert_null(hyp_rt_strrchr(s, 'x'));
	cr_assert_eq(hyp_rt_strchr(s, 0), s + 17);
	cr_assert_eq(hyp_rt_strrchr(s, 0), s + 17);
}

Test(rt_str, strtoul_bases_signs_end_overflow)
{
	char *end;

	cr_assert_eq(hyp_rt_strtoul("  42x", &end, 10), 42);
	cr_assert_str_eq(end, "x");
	cr_assert_eq(hyp_rt_strtoul("0x1F", &end, 0), 31);
	cr_assert_str_eq(end, "");
	cr_assert_eq(hyp_rt_strtoul("0x1f", NULL, 16), 31);
	cr_assert_eq(hyp_rt_strtoul("017", NULL, 0), 15);
	cr_assert_eq(hyp_rt_strtoul("z", NULL, 36), 35);
	cr_assert_eq(hyp_rt_strtoul("-1", NULL, 10), 0xfffffffffffffffful);
	/* "0x" with no hex digit after it: the 0 is the number, end at 'x' */
	cr_assert_eq(hyp_rt_strtoul("0xg", &end, 16), 0);
	cr_assert_str_eq(end, "xg");
	const char *none = "abc";
	cr_assert_eq(hyp_rt_strtoul(none, &end, 10), 0);
	cr_assert_eq(end, none);
	cr_assert_eq(hyp_rt_strtoul("18446744073709551616", NULL, 10), 0xfffffffffffffffful);
	cr_assert_eq(hyp_rt_strtoul("18446744073709551615", NULL, 10), 0xfffffffffffffffful);
	cr_assert_eq(hyp_rt_strtoul("12", &end, 1), 0);
	cr_assert_str_eq(end, "12");
}
