/* SPDX-License-Identifier: MIT */
/**
 * @file rt.h
 * @brief libhyp-rt: the optional runtime pieces of an EL2 image that links
 *        libhyp: freestanding mem* functions, a page pool for the
 *        page-table hooks, and a minimal EL2 boot stub (aarch64 only).
 *
 * libhyp-rt is a separate library (`libhyp_rt.a`, pkg-config `libhyp-rt`,
 * Meson dependency `libhyp-rt`): an integrator that has its own C library,
 * allocator or start code links libhyp alone. See docs/rt.md.
 */
#ifndef LIBHYP_RT_H
#define LIBHYP_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <libhyp/pgtable.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- mem* */

/**
 * @brief memcpy(): copy @p n bytes from @p s to @p d (no overlap).
 *
 * In the aarch64 library the C names `memcpy`, `memmove`, `memset` and
 * `memcmp` are weak aliases of these four (an image's own definitions
 * win); the host library has only the `hyp_rt_` names. Compiled with
 * `-fno-builtin` (and, for gcc, `-fno-tree-loop-distribute-patterns`) so
 * that no loop becomes a call to itself; a test disassembles them.
 * Hardware: memory only; aligned 8-byte accesses where @p d and @p s share
 * their alignment, else bytes (no unaligned access: safe with the MMU off).
 * Cost: O(n). Any CPU, no lock.
 * @param d destination
 * @param s source
 * @param n bytes
 * @return @p d
 */
void *hyp_rt_memcpy(void *d, const void *s, size_t n);

/**
 * @brief memmove(): copy @p n bytes from @p s to @p d; the two may overlap.
 *
 * Hardware, cost and concurrency as hyp_rt_memcpy().
 * @param d destination
 * @param s source
 * @param n bytes
 * @return @p d
 */
void *hyp_rt_memmove(void *d, const void *s, size_t n);

/**
 * @brief memset(): fill @p n bytes at @p d with (unsigned char)@p c.
 *
 * Hardware: memory only, aligned 8-byte stores for the aligned middle.
 * Cost: O(n). Any CPU, no lock.
 * @param d destination
 * @param c the byte value
 * @param n bytes
 * @return @p d
 */
void *hyp_rt_memset(void *d, int c, size_t n);

/**
 * @brief memcmp(): compare @p n bytes as unsigned char.
 *
 * Hardware: memory reads only. Cost: O(n). Any CPU, no lock.
 * @param a first buffer
 * @param b second buffer
 * @param n bytes
 * @return <0, 0 or >0 as the first differing byte of @p a is below, equal
 *         to or above that of @p b
 */
int hyp_rt_memcmp(const void *a, const void *b, size_t n);

/* ---- strings (what libfdt needs besides mem*) */

/**
 * @brief memchr(): the first byte equal to (unsigned char)@p c in @p n
 *        bytes at @p s.
 *
 * In the aarch64 library the C names `memchr`, `strlen`, `strnlen`,
 * `strchr`, `strrchr` and `strtoul` are weak aliases of these six, as for
 * mem* (an image's own definitions win), and the stack protector's
 * `__stack_chk_guard` (a fixed canary) and `__stack_chk_fail` (PSCI
 * SYSTEM_OFF) are weak definitions, for code built with -fstack-protector
 * such as a libfdt.a built for Linux; the host library has only the
 * `hyp_rt_` names. Compiled like mem* (no loop becomes a call; a test
 * disassembles them). Hardware: memory reads only. Cost: O(n). Any CPU,
 * no lock.
 * @param s the bytes
 * @param c the byte value
 * @param n bytes
 * @return the byte's address, NULL if none
 */
void *hyp_rt_memchr(const void *s, int c, size_t n);

/**
 * @brief strlen(): characters before the NUL at @p s.
 *
 * Hardware: memory reads only. Cost: O(length). Any CPU, no lock.
 * @param s a NUL-terminated string
 * @return its length
 */
size_t hyp_rt_strlen(const char *s);

/**
 * @brief strnlen(): strlen() of @p s, at most @p max (reads at most
 *        @p max bytes).
 *
 * Hardware: memory reads only. Cost: O(min(length, max)). Any CPU, no lock.
 * @param s the string
 * @param max most bytes read
 * @return the length, or @p max if no NUL in the first @p max bytes
 */
size_t hyp_rt_strnlen(const char *s, size_t max);

/**
 * @brief strchr(): the first (char)@p c in @p s; the NUL itself is found
 *        for @p c = 0.
 *
 * Hardware: memory reads only. Cost: O(length). Any CPU, no lock.
 * @param s a NUL-terminated string
 * @param c the character
 * @return its address, NULL if none
 */
char *hyp_rt_strchr(const char *s, int c);

/**
 * @brief strrchr(): the last (char)@p c in @p s; the NUL itself for
 *        @p c = 0.
 *
 * Hardware: memory reads only. Cost: O(length). Any CPU, no lock.
 * @param s a NUL-terminated string
 * @param c the character
 * @return its address, NULL if none
 */
char *hyp_rt_strrchr(const char *s, int c);

/**
 * @brief strtoul() (C11 7.22.1.4) without errno: leading blanks, an
 *        optional sign, base 0 (decimal, 0x hex, 0 octal) or 2..36.
 *
 * Hardware: memory reads only. Cost: O(length). Any CPU, no lock.
 * @param s the string
 * @param end if not NULL, set to the first character not read (@p s when
 *        no digit was read)
 * @param base 0 or 2..36 (anything else: 0 returned, nothing read)
 * @return the value (negated for '-'); ~0ul on overflow
 */
unsigned long hyp_rt_strtoul(const char *s, char **end, int base);

/* ---- formatter */

/**
 * @brief A printf subset, written one character at a time through @p put.
 *
 * Conversions: `%s` (NULL prints "(null)"; `%.*s` takes an int precision
 * first), `%c`, `%d`, `%u`, `%x`, `%p` (0x and hex), `%%`; the length
 * modifiers `l`, `ll` and `z` (for `%d` any of them reads a long long,
 * for `%u`/`%x` an unsigned long long: the same on LP64); the flags `#`
 * (`%#x` prints 0x, also for 0) and `0`, and a width (the 0x prefix and
 * the sign count in it). An unknown conversion prints `?`. No floating
 * point, no heap, no global state.
 * Hardware: none besides what @p put does. Cost: O(output). Reentrant.
 * @param put called for each character, in order
 * @param ctx passed to @p put
 * @param f the format
 * @param ap the arguments
 */
void hyp_rt_vformat(void (*put)(void *ctx, char c), void *ctx, const char *f, va_list ap);

/**
 * @brief vsnprintf(): hyp_rt_vformat() into @p buf, at most @p size - 1
 *        characters and a NUL (nothing when @p size is 0).
 *
 * Hardware: memory only. Cost: O(output). Reentrant.
 * @param buf where to write
 * @param size bytes at @p buf
 * @param f the format (see hyp_rt_vformat())
 * @param ap the arguments
 * @return the length of the whole output, as if @p size were unlimited (a
 *         result >= @p size means it was truncated)
 */
size_t hyp_rt_vsnprintf(char *buf, size_t size, const char *f, va_list ap);

/**
 * @brief snprintf(): hyp_rt_vsnprintf() with variable arguments.
 *
 * Hardware: memory only. Cost: O(output). Reentrant.
 * @param buf where to write
 * @param size bytes at @p buf
 * @param f the format (see hyp_rt_vformat())
 * @return as hyp_rt_vsnprintf()
 */
size_t hyp_rt_snprintf(char *buf, size_t size, const char *f, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- page pool */

/** @brief Page size of the pool: the 4 KiB translation granule. */
#define HYP_RT_PAGE_SIZE 4096u

/** @brief Largest run one hyp_rt_pool_alloc() returns (a concatenated
 *         stage-2 start level is at most 16 pages). */
#define HYP_RT_POOL_MAX_RUN 16u

/** @brief 64-bit words of bitmap a pool of @p pages pages needs. */
#define HYP_RT_POOL_MAP_WORDS(pages) (((pages) + 63u) / 64u)

/**
 * @brief A pool of 4 KiB pages in caller-provided memory, for the
 *        zalloc_pages / free_pages hooks of struct hyp_pgtable_ops.
 *
 * The pages and the allocation bitmap (one bit a page) are the caller's
 * memory; the pool allocates nothing. Fields are read-only for the caller.
 * Not locked: the caller serialises calls on one pool (a stage-2 table
 * whose faults are handled concurrently needs the integrator's lock around
 * its map calls, or one pool per CPU).
 */
struct hyp_rt_pool {
	uintptr_t base;	   /**< address of page 0 (4 KiB aligned) */
	uint32_t nr_pages; /**< pages in the pool */
	uint32_t nr_free;  /**< pages not allocated */
	uint64_t *map;	   /**< allocation bitmap: bit i set = page i in use */
};

/**
 * @brief Make a pool of the 4 KiB pages in [@p mem, @p mem + @p size).
 *
 * Hardware: none (clears @p map). Cost: O(map words).
 * @param pool the pool to initialise
 * @param mem the pages: 4 KiB aligned, identity-mapped if the tables are
 *        to be walked by hardware (the page-table code uses the address as
 *        the physical address unless ops give virt_to_phys)
 * @param size bytes; a multiple of 4 KiB, at least one page, at most
 *        2^32 - 1 pages
 * @param map the bitmap, HYP_RT_POOL_MAP_WORDS(size / 4096) words
 * @param map_words words at @p map
 * @return 0; HYP_EINVAL (nothing changed) for a NULL pointer, a misaligned
 *         @p mem, a bad @p size, a wrapping range or a short @p map
 */
int hyp_rt_pool_init(struct hyp_rt_pool *pool, void *mem, size_t size, uint64_t *map,
		     size_t map_words);

/**
 * @brief @p n zeroed, contiguous pages aligned to @p n pages (to the power
 *        of two at or above @p n): the zalloc_pages contract.
 *
 * First fit from the bottom. Hardware: memory (zeroes the pages).
 * Cost: O(pool pages) bitmap scan plus 4 KiB zeroed per page.
 * @param pool the pool
 * @param n 1 to HYP_RT_POOL_MAX_RUN
 * @return the first page; NULL (nothing changed) if no such run is free,
 *         for a NULL @p pool or a bad @p n
 */
void *hyp_rt_pool_alloc(struct hyp_rt_pool *pool, unsigned int n);

/**
 * @brief Give back @p n pages at @p va from hyp_rt_pool_alloc().
 *
 * Hardware: none. Cost: O(@p n).
 * @param pool the pool
 * @param va the first page
 * @param n pages (1 to HYP_RT_POOL_MAX_RUN)
 * @return 0; HYP_EINVAL (nothing changed) for a NULL pointer, a bad @p n,
 *         @p va outside the pool or not page aligned, or any of the pages
 *         not allocated (a double free)
 */
int hyp_rt_pool_free(struct hyp_rt_pool *pool, void *va, unsigned int n);

/**
 * @brief The zalloc_pages hook: hyp_rt_pool_alloc() on the pool in
 *        @p pgt->ctx (the ctx given to hyp_s2_init() / hyp_el2_init()).
 * @param pgt the table being built; its ctx is a struct hyp_rt_pool
 * @param n pages
 * @return as hyp_rt_pool_alloc()
 */
void *hyp_rt_pool_zalloc_pages(struct hyp_pgtable *pgt, unsigned int n);

/**
 * @brief The free_pages hook: hyp_rt_pool_free() on the pool in
 *        @p pgt->ctx. A bad free is ignored (the hook returns nothing).
 * @param pgt the table; its ctx is a struct hyp_rt_pool
 * @param va the first page
 * @param n pages
 */
void hyp_rt_pool_free_pages(struct hyp_pgtable *pgt, void *va, unsigned int n);

/**
 * @brief Ready-made hooks: pages from the struct hyp_rt_pool given as the
 *        table's ctx, TLB maintenance by libhyp's own instructions
 *        (hyp_pgtable_tlbi_*_hw()); no cache-maintenance hooks (add them in
 *        a copy when the CPU lacks FWB), no reference counts, identity
 *        virt/phys.
 *
 * Usage: `hyp_s2_init(&pgt, &cfg, &hyp_rt_pool_ops, &pool, vmid)`.
 */
extern const struct hyp_pgtable_ops hyp_rt_pool_ops;

/* ---- EL2 boot stub (aarch64 library only) */

/**
 * @brief C entry of the boot CPU, called by the boot stub `hyp_rt_start`
 *        at EL2 with the MMU off, interrupts masked, SP at the top of CPU
 *        0's stack, BSS zeroed, VBAR_EL2 at a vector table that calls
 *        hyp_rt_fault() and TPIDR_EL2 = 0. Provided by the image.
 *
 * If it returns, the stub calls PSCI SYSTEM_OFF through SMC.
 * @param dtb x0 at entry: the device tree's address (Linux boot protocol)
 */
void hyp_rt_main(uintptr_t dtb);

/**
 * @brief C entry of a secondary CPU started with PSCI CPU_ON at
 *        `hyp_rt_secondary_start` with the CPU's index as context ID:
 *        SP at the top of that CPU's stack, VBAR_EL2 and TPIDR_EL2 (= @p cpu)
 *        as for hyp_rt_main(). A weak default parks the CPU (WFE loop);
 *        the image overrides it. If it returns, the stub calls PSCI CPU_OFF.
 *        An index at or above `__hyp_rt_max_cpus` parks the CPU.
 * @param cpu the index (context ID of CPU_ON)
 */
void hyp_rt_secondary_main(uint64_t cpu);

/**
 * @brief Called by the stub's vector table for every exception taken at
 *        EL2 until the image installs its own (e.g. hyp_switch_vectors).
 *        The weak default calls PSCI SYSTEM_OFF; an image overrides it to
 *        report. Must not return (if it does, SYSTEM_OFF).
 * @param vector the entry index, 0..15 (Arm ARM D1.10, Exception vectors: 4 groups of
 *        sync, IRQ, FIQ, SError)
 * @param esr ESR_EL2
 * @param elr ELR_EL2
 * @param far FAR_EL2
 */
void hyp_rt_fault(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far);

/** @brief The stub's EL2 vector table (2 KiB aligned). */
extern const uint32_t hyp_rt_vectors[];

/**
 * @brief A firmware call through SMC #0 (SMCCC, DEN0028: function ID in
 *        w0, arguments in x1..x3, result in x0), e.g. PSCI CPU_ON,
 *        SYSTEM_OFF or SYSTEM_RESET from EL2. aarch64 library only; its own
 *        object, so an image with its own start code can use it without
 *        the boot stub.
 *
 * Hardware: one SMC (x0..x3 may be clobbered by the firmware per SMCCC;
 * the call is a compiler barrier). Cost: the firmware's.
 * @param fn the function ID
 * @param a1 x1
 * @param a2 x2
 * @param a3 x3
 * @return x0 after the call
 */
uint64_t hyp_rt_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/**
 * @brief Power off with PSCI SYSTEM_OFF (PSCI 1.1 DEN0022 5.1.9, function
 *        0x84000008) through SMC. Hardware: one SMC. Never returns.
 */
void hyp_rt_system_off(void) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_RT_H */
