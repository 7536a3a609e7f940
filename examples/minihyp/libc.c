/* SPDX-License-Identifier: MIT */
/*
 * The C library functions minihyp's aarch64 image needs: the four any C
 * compiler may call (memcpy, memmove, memset, memcmp), and what Debian's
 * libfdt.a (built for Linux) calls besides: memchr, strlen, strnlen,
 * strchr, strrchr, strtoul, and the stack protector's __stack_chk_guard
 * and __stack_chk_fail.
 *
 * Every access goes through a volatile pointer: the compiler would otherwise
 * recognise the loops as the very functions they implement (memset, memcpy,
 * strlen idioms) and compile them into calls to themselves. memcpy and
 * memset also run after boot (libhyp's sysreg engine copies a vCPU's
 * register file at vCPU put in adaptive mode): aligned buffers go 8 bytes
 * at a time; the rest (libfdt's strings) byte by byte.
 *
 * memcpy, memmove, memset and memcmp are weak so that an image that already
 * has them (libhyp's QEMU test library) links with this file too.
 */
#include <stdbool.h>

#include "libc.h"

#define WEAK __attribute__((weak))

/* Both pointers and the size multiples of 8 (the arguments to check). */
static bool aligned8(uintptr_t a, uintptr_t b, size_t n)
{
	return ((a | b | n) & 7) == 0;
}

WEAK void *memcpy(void *d, const void *s, size_t n)
{
	volatile unsigned char *dp = d;
	const volatile unsigned char *sp = s;

	if (aligned8((uintptr_t)d, (uintptr_t)s, n)) {
		volatile uint64_t *dw = d;
		const volatile uint64_t *sw = s;

		for (n /= 8; n; n--)
			*dw++ = *sw++;
		return d;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

WEAK void *memmove(void *d, const void *s, size_t n)
{
	volatile unsigned char *dp = d;
	const volatile unsigned char *sp = s;

	if ((uintptr_t)dp <= (uintptr_t)sp) {
		while (n--)
			*dp++ = *sp++;
	} else {
		while (n--)
			dp[n] = sp[n];
	}
	return d;
}

WEAK void *memset(void *d, int c, size_t n)
{
	volatile unsigned char *dp = d;

	if (aligned8((uintptr_t)d, 0, n)) {
		volatile uint64_t *dw = d;
		uint64_t v = (unsigned char)c * 0x0101010101010101ull;

		for (n /= 8; n; n--)
			*dw++ = v;
		return d;
	}
	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}

WEAK int memcmp(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *ap = a, *bp = b;

	for (; n; n--, ap++, bp++)
		if (*ap != *bp)
			return *ap < *bp ? -1 : 1;
	return 0;
}

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
