/* SPDX-License-Identifier: MIT */
/* libhyp-rt's formatter against literal expected strings. */
#include <criterion/criterion.h>

#include <libhyp-rt/rt.h>

#define EXPECT(lit, ...)                                                                           \
	do {                                                                                       \
		char b_[128];                                                                      \
		size_t n_ = hyp_rt_snprintf(b_, sizeof(b_), __VA_ARGS__);                          \
		cr_assert_str_eq(b_, lit);                                                         \
		cr_assert_eq(n_, sizeof(lit) - 1);                                                 \
	} while (0)

Test(rt_fmt, conversions)
{
	EXPECT("plain", "plain");
	const char *volatile null = NULL; /* a literal NULL upsets -Wformat-overflow */
	EXPECT("s=gic (null)", "s=%s %s", "gic", null);
	EXPECT("c=Z%", "c=%c%%", 'Z');
	EXPECT("-42 42 4294967295", "%d %u %u", -42, 42u, 0xffffffffu);
	EXPECT("-2147483648", "%d", (int)0x80000000u);
	EXPECT("ff 0xff 0x0", "%x %#x %#x", 0xffu, 0xffu, 0u);
	EXPECT("0x8000000 0xffffffffffffffff", "%#lx %#llx", 0x8000000ul, ~0ull);
	EXPECT("-9223372036854775808", "%lld", (long long)0x8000000000000000ull);
	EXPECT("18446744073709551615 12", "%llu %zu", ~0ull, (size_t)12);
	EXPECT("0x1000", "%p", (void *)0x1000);
	EXPECT("gic", "%.*s", 3, "gic-v3");
	EXPECT("", "%.*s", 0, "gic-v3");
}

Test(rt_fmt, width_and_zero_pad)
{
	EXPECT("   42|00042|-0042", "%5d|%05d|%05d", 42, 42, -42);
	EXPECT("0x00ff|  0xff|000a", "%#06x|%#6x|%04x", 0xffu, 0xffu, 0xau);
	EXPECT("12345", "%3u", 12345u);
}

Test(rt_fmt, truncation_and_return)
{
	char b[8];

	cr_assert_eq(hyp_rt_snprintf(b, sizeof(b), "%s", "0123456789"), 10);
	cr_assert_str_eq(b, "0123456");
	b[0] = 'x';
	cr_assert_eq(hyp_rt_snprintf(b, 0, "%d", 7), 1);
	cr_assert_eq(b[0], 'x'); /* size 0: nothing written */
	cr_assert_eq(hyp_rt_snprintf(b, 1, "%d", 7), 1);
	cr_assert_str_eq(b, "");
}

Test(rt_fmt, unknown_conversion_prints_question_mark)
{
	char b[16];

	/* -Wformat would reject these at compile time: go through a pointer */
	const char *volatile f = "a%qb%";
	hyp_rt_snprintf(b, sizeof(b), f, 1);
	cr_assert_str_eq(b, "a?b");
}

static void put_upper(void *ctx, char c)
{
	char **p = ctx;

	*(*p)++ = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
}

static void vcall(char **p, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	hyp_rt_vformat(put_upper, p, f, ap);
	va_end(ap);
}

Test(rt_fmt, vformat_calls_put_per_character)
{
	char b[32] = {0}, *p = b;

	vcall(&p, "gic v%u at %#x", 3u, 0x8000000u);
	cr_assert_eq(p - b, 19);
	cr_assert_str_eq(b, "GIC V3 AT 0X8000000");
}
