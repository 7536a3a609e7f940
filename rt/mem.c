/* SPDX-License-Identifier: MIT */
/*
 * memcpy, memmove, memset and memcmp for a freestanding image. This file is
 * compiled with -fno-builtin (gcc also -fno-tree-loop-distribute-patterns):
 * without them gcc and clang recognise the loops below as the very
 * functions they implement and compile them into calls to themselves
 * (rt/tests/meson.build disassembles the result to check that none calls
 * anything). Plain loops, no volatile: the compiler may still unroll them.
 *
 * No unaligned access (EL2 code may run with the MMU off, where an
 * unaligned access to Device memory faults): 8-byte words only when both
 * pointers are 8-byte aligned at the same offset, else bytes.
 */
#include <libhyp-rt/rt.h>

/* A word that may alias anything the caller's buffers hold. */
typedef uint64_t __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

static int same_align(const void *a, const void *b)
{
	return (((uintptr_t)a ^ (uintptr_t)b) & (WORD - 1)) == 0;
}

/* Inlined into both copies: neither may call the other. */
static inline __attribute__((always_inline)) void copy_forwards(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (n >= WORD && same_align(dp, sp)) {
		for (; (uintptr_t)dp & (WORD - 1); n--)
			*dp++ = *sp++;
		for (; n >= WORD; n -= WORD, dp += WORD, sp += WORD)
			*(word_t *)(void *)dp = *(const word_t *)(const void *)sp;
	}
	for (; n; n--)
		*dp++ = *sp++;
}

void *hyp_rt_memcpy(void *d, const void *s, size_t n)
{
	copy_forwards(d, s, n);
	return d;
}

void *hyp_rt_memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	/* Forwards is safe when the destination starts below the source. */
	if ((uintptr_t)dp <= (uintptr_t)sp || (uintptr_t)dp - (uintptr_t)sp >= n) {
		copy_forwards(d, s, n);
		return d;
	}
	dp += n;
	sp += n;
	if (n >= WORD && same_align(dp, sp)) {
		for (; (uintptr_t)dp & (WORD - 1); n--)
			*--dp = *--sp;
		for (; n >= WORD; n -= WORD) {
			dp -= WORD;
			sp -= WORD;
			*(word_t *)(void *)dp = *(const word_t *)(const void *)sp;
		}
	}
	for (; n; n--)
		*--dp = *--sp;
	return d;
}

void *hyp_rt_memset(void *d, int c, size_t n)
{
	unsigned char *dp = d;
	unsigned char b = (unsigned char)c;

	if (n >= WORD) {
		word_t w = b * 0x0101010101010101ull;

		for (; (uintptr_t)dp & (WORD - 1); n--)
			*dp++ = b;
		for (; n >= WORD; n -= WORD, dp += WORD)
			*(word_t *)(void *)dp = w;
	}
	for (; n; n--)
		*dp++ = b;
	return d;
}

int hyp_rt_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *ap = a, *bp = b;

	for (; n; n--, ap++, bp++)
		if (*ap != *bp)
			return *ap < *bp ? -1 : 1;
	return 0;
}

#ifdef HYP_RT_MEM_SYMBOLS
/* The C names, weak: an image that has its own keeps them. */
void *memcpy(void *d, const void *s, size_t n) __attribute__((weak, alias("hyp_rt_memcpy")));
void *memmove(void *d, const void *s, size_t n) __attribute__((weak, alias("hyp_rt_memmove")));
void *memset(void *d, int c, size_t n) __attribute__((weak, alias("hyp_rt_memset")));
int memcmp(const void *a, const void *b, size_t n) __attribute__((weak, alias("hyp_rt_memcmp")));
#endif
