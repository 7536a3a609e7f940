/* SPDX-License-Identifier: MIT */
/*
 * The C library functions Debian's libfdt.a (built for Linux) needs from
 * minihyp's aarch64 image besides memcpy, memmove, memset and memcmp
 * (which come from libhyp-rt, rt/mem.c): memchr, strlen, strnlen, strchr,
 * strrchr, strtoul, and the stack protector's __stack_chk_guard and
 * __stack_chk_fail.
 *
 * Every access goes through a volatile pointer: the compiler would otherwise
 * recognise the loops as the very functions they implement (strlen, memchr
 * idioms) and compile them into calls to themselves.
 */
#include <stdbool.h>

#include "libc.h"

void *memchr(const void *s, int c, size_t n)
{
	const volatile unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)(uintptr_t)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const volatile char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	const volatile char *p = s;
	size_t n = 0;

	while (n < max && p[n])
		n++;
	return n;
}

char *strchr(const char *s, int c)
{
	const volatile char *p = s;

	for (;; p++) {
		if (*p == (char)c)
			return (char *)(uintptr_t)p;
		if (!*p)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const volatile char *p = s;
	const char *last = NULL;

	for (;; p++) {
		if (*p == (char)c)
			last = (const char *)p;
		if (!*p)
			return (char *)(uintptr_t)last;
	}
}

static int digit_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A' + 10;
	return 99;
}

/*
 * C11 7.22.1.4: leading blanks, an optional sign, base 0 (decimal, 0x hex
 * or 0 octal) or 2..36 (16 may have 0x); ULONG_MAX on overflow (there is
 * no errno); *end is @s when no digits were read.
 */
unsigned long strtoul(const char *s, char **end, int base)
{
	const volatile char *p = s;
	unsigned long v = 0;
	bool neg = false, overflow = false, any = false;

	if (base < 0 || base == 1 || base > 36) {
		if (end)
			*end = (char *)(uintptr_t)s;
		return 0;
	}
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (;; p++) {
		int d = digit_value(*p);
		if (d >= base)
			break;
		any = true;
		if (v > (~0ul - (unsigned long)d) / (unsigned long)base)
			overflow = true;
		v = v * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)(uintptr_t)(any ? (const char *)p : s);
	if (overflow)
		return ~0ul;
	return neg ? -v : v;
}

/* A fixed canary: nothing random is available this early, and the point
 * is to catch overruns in libfdt, not attackers. */
uintptr_t __stack_chk_guard = (uintptr_t)0x2f8a5c73e41d96b0ull;

void __stack_chk_fail(void)
{
	minihyp_panic("stack smashing detected");
}
