/* SPDX-License-Identifier: MIT */
/*
 * The C library subset of minihyp's aarch64 image (libc.c): what the
 * compiler may call and what Debian's libfdt.a needs. The image provides
 * minihyp_panic().
 */
#ifndef MINIHYP_LIBC_H
#define MINIHYP_LIBC_H

#include <stddef.h>
#include <stdint.h>

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);

/** The canary of code built with -fstack-protector (libfdt.a is). */
extern uintptr_t __stack_chk_guard;
/** Called by such code on a smashed stack: minihyp_panic(). */
void __stack_chk_fail(void) __attribute__((noreturn));

/**
 * Print @msg and stop the machine with a failure status; never returns.
 * Provided by the image (minihyp, or a test image), not by libc.c.
 */
void minihyp_panic(const char *msg) __attribute__((noreturn));

#endif /* MINIHYP_LIBC_H */
