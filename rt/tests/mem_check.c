/* SPDX-License-Identifier: MIT */
#include "mem_check.h"

#include <stdint.h>

#define MAXN  64
#define ALIGN 16
#define LEN   (MAXN + 2 * ALIGN + 16)

/* volatile: the reference loops must stay loops (they would otherwise
 * become calls to the very functions under test). */
static volatile uint8_t src[LEN], dst[LEN], ref[LEN], tmp[LEN];

static void fill(volatile uint8_t *b, uint8_t seed)
{
	for (size_t i = 0; i < LEN; i++)
		b[i] = (uint8_t)(seed + i * 7u + (i >> 3));
}

static int same(void)
{
	for (size_t i = 0; i < LEN; i++)
		if (dst[i] != ref[i])
			return 0;
	return 1;
}

unsigned rt_mem_check(const struct rt_mem_fns *f, rt_mem_report report)
{
	unsigned bad = 0;

	for (size_t n = 0; n <= MAXN; n++) {
		for (size_t d = 0; d < ALIGN; d++) {
			for (size_t s = 0; s < ALIGN; s++) {
				/* memcpy: two buffers */
				fill(src, 0x11);
				fill(dst, 0x80);
				fill(ref, 0x80);
				for (size_t i = 0; i < n; i++)
					ref[8 + d + i] = src[8 + s + i];
				if (f->cpy((uint8_t *)dst + 8 + d, (const uint8_t *)src + 8 + s,
					   n) != (uint8_t *)dst + 8 + d ||
				    !same()) {
					bad++;
					report("memcpy", n, d, s);
				}
				/* memmove: one buffer, every overlap either way */
				fill(dst, 0x33);
				fill(ref, 0x33);
				for (size_t i = 0; i < n; i++)
					tmp[i] = ref[8 + s + i];
				for (size_t i = 0; i < n; i++)
					ref[8 + d + i] = tmp[i];
				if (f->move((uint8_t *)dst + 8 + d, (const uint8_t *)dst + 8 + s,
					    n) != (uint8_t *)dst + 8 + d ||
				    !same()) {
					bad++;
					report("memmove", n, d, s);
				}
			}
			/* memset: the value is converted to unsigned char */
			fill(dst, 0x55);
			fill(ref, 0x55);
			for (size_t i = 0; i < n; i++)
				ref[8 + d + i] = 0xa7;
			if (f->set((uint8_t *)dst + 8 + d, 0x3a7, n) != (uint8_t *)dst + 8 + d ||
			    !same()) {
				bad++;
				report("memset", n, d, 0);
			}
			/* memcmp: equal, then a difference at each position, both
			 * signs, bytes compared as unsigned (0x01 < 0xff) */
			fill(src, 0x42);
			fill(dst, 0x42);
			if (f->cmp((const uint8_t *)dst + d, (const uint8_t *)src + d, n) != 0) {
				bad++;
				report("memcmp equal", n, d, d);
			}
			for (size_t k = 0; k < n; k++) {
				int lt, gt;

				dst[d + k] = 0x01;
				src[d + k] = 0xff;
				lt = f->cmp((const uint8_t *)dst + d, (const uint8_t *)src + d, n);
				gt = f->cmp((const uint8_t *)src + d, (const uint8_t *)dst + d, n);
				if (lt >= 0 || gt <= 0) {
					bad++;
					report("memcmp order", n, d, k);
				}
				/* a later difference does not count */
				src[d + k] = 0x01;
				if (k + 1 < n) {
					dst[d + k + 1] = 0xff;
					if (f->cmp((const uint8_t *)dst + d,
						   (const uint8_t *)src + d, k + 1) != 0) {
						bad++;
						report("memcmp prefix", n, d, k);
					}
					dst[d + k + 1] = src[d + k + 1];
				}
			}
		}
	}
	return bad;
}
