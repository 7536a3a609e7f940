/* SPDX-License-Identifier: MIT */
/* libhyp-rt's formatter: a printf subset for consoles and error messages. */
#include <stdbool.h>

#include <libhyp-rt/rt.h>

static void put_num(void (*put)(void *, char), void *ctx, unsigned long long v,
		    unsigned int base, bool neg, bool alt, int width, char pad)
{
	char buf[24];
	int n = 0, len;

	do {
		unsigned int d = (unsigned int)(v % base);
		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	len = n + (neg ? 1 : 0) + (alt ? 2 : 0);
	if (pad == ' ')
		for (; width > len; width--)
			put(ctx, ' ');
	if (neg)
		put(ctx, '-');
	if (alt) {
		put(ctx, '0');
		put(ctx, 'x');
	}
	for (; width > len; width--)
		put(ctx, '0');
	while (n)
		put(ctx, buf[--n]);
}

void hyp_rt_vformat(void (*put)(void *ctx, char c), void *ctx, const char *f, va_list ap)
{
	for (; *f; f++) {
		bool alt = false;
		char pad = ' ';
		int width = 0, longs = 0, prec = -1;
		unsigned long long v;

		if (*f != '%') {
			put(ctx, *f);
			continue;
		}
		f++;
		if (*f == '#') {
			alt = true;
			f++;
		}
		if (*f == '0') {
			pad = '0';
			f++;
		}
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		if (f[0] == '.' && f[1] == '*') {
			prec = va_arg(ap, int);
			f += 2;
		}
		while (*f == 'l' || *f == 'z') {
			longs = *f == 'z' ? 2 : longs + 1;
			f++;
		}
		switch (*f) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			for (int i = 0; s[i] && (prec < 0 || i < prec); i++)
				put(ctx, s[i]);
			break;
		}
		case 'c':
			put(ctx, (char)va_arg(ap, int));
			break;
		case 'd': {
			long long d = longs ? va_arg(ap, long long) : va_arg(ap, int);
			v = d < 0 ? -(unsigned long long)d : (unsigned long long)d;
			put_num(put, ctx, v, 10, d < 0, false, width, pad);
			break;
		}
		case 'u':
		case 'x':
			v = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			put_num(put, ctx, v, *f == 'x' ? 16 : 10, false, *f == 'x' && alt, width, pad);
			break;
		case 'p':
			put_num(put, ctx, (uintptr_t)va_arg(ap, void *), 16, false, true, 0, ' ');
			break;
		case '%':
			put(ctx, '%');
			break;
		case 0:
			return;
		default:
			put(ctx, '?');
			break;
		}
	}
}

struct buf {
	char *p;
	size_t size, len;
};

static void buf_put(void *ctx, char c)
{
	struct buf *b = ctx;

	if (b->len + 1 < b->size)
		b->p[b->len] = c;
	b->len++;
}

size_t hyp_rt_vsnprintf(char *buf, size_t size, const char *f, va_list ap)
{
	struct buf b = {buf, size, 0};

	hyp_rt_vformat(buf_put, &b, f, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = 0;
	return b.len;
}

size_t hyp_rt_snprintf(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, f);
	n = hyp_rt_vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}
