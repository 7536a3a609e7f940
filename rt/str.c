/* SPDX-License-Identifier: MIT */
/*
 * memchr, strlen, strnlen, strchr, strrchr and strtoul for a freestanding
 * image: what a libfdt built for Linux (Debian's libfdt.a) needs besides
 * mem*. Compiled like mem.c, with -fno-builtin (gcc also
 * -fno-tree-loop-distribute-patterns) so that no loop becomes a call to
 * the function it implements (rt/tests/meson.build checks the code).
 */
#include <stdbool.h>

#include <libhyp-rt/rt.h>

void *hyp_rt_memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)(uintptr_t)p;
	return NULL;
}

size_t hyp_rt_strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t hyp_rt_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *hyp_rt_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (!*s)
			return NULL;
	}
}

char *hyp_rt_strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
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

unsigned long hyp_rt_strtoul(const char *s, char **end, int base)
{
	const char *p = s;
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
		*end = (char *)(uintptr_t)(any ? p : s);
	if (overflow)
		return ~0ul;
	return neg ? -v : v;
}

#ifdef HYP_RT_MEM_SYMBOLS
/* The C names, weak: an image that has its own keeps them. */
void *memchr(const void *s, int c, size_t n) __attribute__((weak, alias("hyp_rt_memchr")));
size_t strlen(const char *s) __attribute__((weak, alias("hyp_rt_strlen")));
size_t strnlen(const char *s, size_t max) __attribute__((weak, alias("hyp_rt_strnlen")));
char *strchr(const char *s, int c) __attribute__((weak, alias("hyp_rt_strchr")));
char *strrchr(const char *s, int c) __attribute__((weak, alias("hyp_rt_strrchr")));
unsigned long strtoul(const char *s, char **end, int base)
	__attribute__((weak, alias("hyp_rt_strtoul")));
#endif
