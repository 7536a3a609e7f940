/* SPDX-License-Identifier: MIT */
/*
 * libfdt's environment header for libhyp-fdt's freestanding aarch64 build.
 *
 * libfdt.h includes <libfdt_env.h>; this directory comes first on the
 * include path of libhyp-fdt's aarch64 build, so this file replaces the distribution's, which
 * needs the C library's headers. libfdt expects an environment to supply
 * exactly this (U-Boot, Linux and Zephyr ship their own): the big-endian
 * fdt16/32/64_t types, their conversions, and the string functions its
 * inline helpers call (libhyp-rt defines them, rt/str.c and rt/mem.c).
 */
#ifndef LIBFDT_ENV_H
#define LIBFDT_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_FORCE
#define FDT_BITWISE

typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LIBFDT_ENV_SWAP16(x) __builtin_bswap16(x)
#define LIBFDT_ENV_SWAP32(x) __builtin_bswap32(x)
#define LIBFDT_ENV_SWAP64(x) __builtin_bswap64(x)
#else
#define LIBFDT_ENV_SWAP16(x) (x)
#define LIBFDT_ENV_SWAP32(x) (x)
#define LIBFDT_ENV_SWAP64(x) (x)
#endif

static inline uint16_t fdt16_to_cpu(fdt16_t x)
{
	return LIBFDT_ENV_SWAP16(x);
}
static inline fdt16_t cpu_to_fdt16(uint16_t x)
{
	return LIBFDT_ENV_SWAP16(x);
}
static inline uint32_t fdt32_to_cpu(fdt32_t x)
{
	return LIBFDT_ENV_SWAP32(x);
}
static inline fdt32_t cpu_to_fdt32(uint32_t x)
{
	return LIBFDT_ENV_SWAP32(x);
}
static inline uint64_t fdt64_to_cpu(fdt64_t x)
{
	return LIBFDT_ENV_SWAP64(x);
}
static inline fdt64_t cpu_to_fdt64(uint64_t x)
{
	return LIBFDT_ENV_SWAP64(x);
}

/* What libfdt.h's inline helpers and macros call. */
size_t strlen(const char *s);
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

#endif /* LIBFDT_ENV_H */
