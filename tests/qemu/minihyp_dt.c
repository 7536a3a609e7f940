/* SPDX-License-Identifier: MIT */
/*
 * libhyp-fdt and minihyp's DT policy at EL2 on QEMU: turn FP on and the EL2
 * MMU on (libfdt needs both), parse the DTB QEMU put at 0x40000000, print
 * what it says, build the guest DTB and parse it back. A DT error is printed
 * as "minihyp: dt error: ..." (the bad-input tests expect it); a libc
 * self-test checks the functions libfdt borrows from libhyp-rt (their C
 * names, weak aliases on aarch64) and libhyp-rt's formatter.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libhyp/hw.h>
#include <libhyp/cpufeat.h>
#include <libhyp/el2_pgtable.h>
#include <libhyp-rt/rt.h>

#include "dt.h"
#include "testlib.h"

/* Where QEMU's virt machine puts its DTB; the bad-DTB tests build the image
 * with another address, where -device loader puts a broken blob (or nothing). */
#ifndef DTB_ADDR
#define DTB_ADDR 0x40000000ul
#endif
#define DTB_MAX 0x100000ul

/* HCR_EL2.E2H (Arm ARM D19.2.48); CPTR_EL2.TFP with E2H = 0, .FPEN with
 * E2H = 1 (D19.2.31, CPTR_EL2). */
#define HCR_E2H	  (1ull << 34)
#define CPTR_TFP  (1ull << 10)
#define CPTR_FPEN (3ull << 20)

extern char _start[], __stack_top[];

/* The C names libfdt calls: libhyp-rt's weak aliases. */
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);

static void put_dec(uint64_t v)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n) {
		char c[2] = {buf[--n], 0};
		test_puts(c);
	}
}

static void put_range(const char *name, struct hyp_fdt_range r)
{
	test_puts(name);
	test_puts(" ");
	test_put_hex(r.base);
	test_puts(",");
	test_put_hex(r.size);
}

static void enable_fp(void)
{
	uint64_t cptr = hyp_read_sysreg(HYP_SYS_CPTR_EL2);

	if (hyp_read_sysreg(HYP_SYS_HCR_EL2) & HCR_E2H)
		cptr |= CPTR_FPEN;
	else
		cptr &= ~CPTR_TFP;
	hyp_write_sysreg(HYP_SYS_CPTR_EL2, cptr);
	hyp_isb();
}

/*
 * libfdt.a does unaligned accesses, which fault on Device memory, i.e.
 * everywhere while the MMU is off (QEMU 7.2 lets them through, hardware does
 * not): identity-map the devices and RAM with libhyp's EL2 stage-1 tables and
 * turn the MMU on, with SCTLR_EL2.A = 0 (no alignment checks on Normal
 * memory; Arm ARM D19.2.118, SCTLR_EL2.A).
 */
#define SCTLR_A	 (1ull << 1)
#define PT_PAGES 16
static uint8_t pt_pages[PT_PAGES][4096] __attribute__((aligned(4096)));
static uint64_t pt_map[HYP_RT_POOL_MAP_WORDS(PT_PAGES)];
static struct hyp_rt_pool pt_pool;
static struct hyp_pgtable el2_pgt;

/* Pages from libhyp-rt's pool; no TLB hooks (the tables are built with
 * the MMU off). */
static const struct hyp_pgtable_ops pt_ops = {
    .zalloc_pages = hyp_rt_pool_zalloc_pages,
    .free_pages = hyp_rt_pool_free_pages,
};

static void mmu_on(void)
{
	/* 40 PA bits: both -cpu max (48) and cortex-a57 (44) have them. */
	const struct hyp_pgtable_cfg cfg = {
	    .pa_bits = 40,
	    .ia_bits = 39,
	    .granule_shift = 12,
	    .dline_shift = 6,
	    .iline_shift = 6,
	};
	bool vhe = hyp_read_sysreg(HYP_SYS_HCR_EL2) & HCR_E2H;
	int ret;

	ret = hyp_rt_pool_init(&pt_pool, pt_pages, sizeof(pt_pages), pt_map,
			       HYP_RT_POOL_MAP_WORDS(PT_PAGES));
	if (!ret)
		ret = hyp_cpufeat_read_el2_mode(); /* the EL2 mode, recorded once */
	if (!ret)
		ret = hyp_el2_init(&el2_pgt, &cfg, &pt_ops, &pt_pool, 0);
	if (!ret && el2_pgt.stage != (vhe ? HYP_PGT_EL2_VHE : HYP_PGT_EL2))
		ret = -1;
	/* GIC, UART and the other virt devices; then all of RAM (512 MiB). */
	if (!ret)
		ret = hyp_el2_map(&el2_pgt, 0x08000000, 0x08000000, 0x08000000,
				  HYP_PROT_RW | HYP_MEM_DEVICE_nGnRE);
	if (!ret)
		ret = hyp_el2_map(&el2_pgt, 0x40000000, 0x20000000, 0x40000000, HYP_PROT_RWX);
	if (ret) {
		test_print_reg("FAIL: EL2 tables", (uint64_t)ret);
		test_power_off();
	}
	hyp_write_sysreg(HYP_SYS_SCTLR_EL2, hyp_read_sysreg(HYP_SYS_SCTLR_EL2) & ~SCTLR_A);
	hyp_el2_mmu_enable(&el2_pgt);
	if (hyp_read_sysreg(HYP_SYS_SCTLR_EL2) & 1) {
		/* what libfdt relies on: an unaligned load from Normal memory */
		uint64_t v, a = DTB_ADDR + 1;
		__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
		test_puts("el2 mmu on, unaligned load ok\n");
	}
}

static void print_host(const struct hyp_fdt_host *h, const struct minihyp_cmdline *c)
{
	static const char *const psci[] = {"none", "smc", "hvc"};

	for (unsigned int i = 0; i < h->nr_mem; i++) {
		put_range("mem", h->mem[i]);
		test_puts("\n");
	}
	test_puts("cpus ");
	put_dec(h->nr_cpus);
	test_puts(":");
	for (unsigned int i = 0; i < h->nr_cpus; i++) {
		test_puts(" ");
		test_put_hex(h->mpidr[i]);
	}
	test_puts("\ngic v");
	put_dec(h->gic.version);
	put_range(" dist", h->gic.dist);
	for (unsigned int i = 0; i < h->gic.nr_redist; i++)
		put_range(" redist", h->gic.redist[i]);
	if (h->gic.version == 2) {
		put_range(" cpu", h->gic.cpu);
		put_range(" hyp", h->gic.hyp);
		put_range(" vcpu", h->gic.vcpu);
	}
	test_puts(" maint ");
	put_dec(h->gic.maint.intid);
	test_puts("\ntimer");
	for (unsigned int i = 0; i < h->nr_timer; i++) {
		test_puts(" ");
		put_dec(h->timer[i].intid);
	}
	if (h->has_uart) {
		put_range("\nuart", h->uart);
		test_puts(" irq ");
		put_dec(h->uart_irq.intid);
		test_puts(" clock ");
		put_dec(h->uart_clock_hz);
	}
	test_puts("\npsci ");
	test_puts(psci[h->psci]);
	test_puts("\nbootargs \"");
	test_puts(h->bootargs);
	test_puts("\"\n");
	if (c->has_guest) {
		put_range("guest", c->guest);
		test_puts("\n");
	}
	for (unsigned int i = 0; i < c->nr_passthrough; i++) {
		put_range("passthrough", c->passthrough[i]);
		test_puts("\n");
	}
	if (c->has_bootargs) {
		test_puts("guest bootargs \"");
		test_puts(c->bootargs);
		test_puts("\"\n");
	}
}

static bool check(bool ok, const char *what)
{
	if (!ok) {
		test_puts("FAIL: libc: ");
		test_puts(what);
		test_puts("\n");
	}
	return ok;
}

/* The functions libfdt borrows, on the image's own build. */
static void libc_selftest(void)
{
	static const char s[] = "a/b/c";
	char buf[8] = "abcdefg";
	char *end;
	bool ok = true;

	ok &= check(strlen(s) == 5 && strlen("") == 0, "strlen");
	ok &= check(strnlen(s, 3) == 3 && strnlen(s, 10) == 5, "strnlen");
	ok &= check(strchr(s, '/') == s + 1 && strchr(s, 0) == s + 5 && !strchr(s, 'x'), "strchr");
	ok &= check(strrchr(s, '/') == s + 3 && strrchr(s, 0) == s + 5 && !strrchr(s, 'x'),
		    "strrchr");
	ok &= check(memchr(s, 'c', 5) == s + 4 && !memchr(s, 'c', 4), "memchr");
	ok &= check(strtoul("  42:x", &end, 10) == 42 && *end == ':', "strtoul 10");
	ok &= check(strtoul("0x1F", &end, 0) == 31 && !*end, "strtoul 0x");
	ok &= check(strtoul("017", NULL, 0) == 15, "strtoul octal");
	ok &= check(strtoul("ff", NULL, 16) == 255, "strtoul 16");
	ok &= check(strtoul("-1", NULL, 10) == ~0ul, "strtoul -1");
	ok &= check(strtoul("99999999999999999999", &end, 10) == ~0ul && !*end, "strtoul overflow");
	{
		const char *z = "zz";
		ok &= check(strtoul(z, &end, 10) == 0 && end == z, "strtoul no digits");
	}
	memmove(buf + 1, buf, 4);
	ok &= check(memcmp(buf, "aabcdfg", 8) == 0, "memmove up");
	memmove(buf, buf + 1, 4);
	ok &= check(memcmp(buf, "abcddfg", 8) == 0, "memmove down");
	memset(buf, 'x', 3);
	ok &= check(memcmp(buf, "xxxddfg", 7) == 0 && memcmp("a", "b", 1) < 0, "memset/memcmp");
	{
		char f[40];
		ok &= check(hyp_rt_snprintf(f, sizeof(f), "%s %d %#lx %u", "gic", -3, 0x8000000ul,
					    7u) == 18 &&
				memcmp(f, "gic -3 0x8000000 7", 19) == 0,
			    "hyp_rt_snprintf");
	}
	if (ok)
		test_puts("libc ok\n");
}

static struct hyp_fdt_host host;
static struct minihyp_cmdline cmdline;
static struct hyp_fdt_host back;
static struct hyp_fdt_guest guest;
static uint64_t guest_dtb[MINIHYP_GUEST_DTB_MAX / 8];

void test_main(void)
{
	struct hyp_fdt_err err;
	struct hyp_fdt_range self = {(uint64_t)(uintptr_t)_start,
				     (uint64_t)(uintptr_t)(__stack_top - _start)};
	uint64_t t0, t1, t2, t3;
	int ret;

	enable_fp();
	mmu_on();
	libc_selftest();

	t0 = hyp_read_sysreg(HYP_SYS_CNTVCT_EL0);
	ret = minihyp_dt_parse((const void *)DTB_ADDR, DTB_MAX, &host, &cmdline, &err);
	t1 = hyp_read_sysreg(HYP_SYS_CNTVCT_EL0);
	if (ret) {
		test_puts("minihyp: dt error: ");
		test_puts(err.msg);
		test_puts("\n");
		return;
	}
	print_host(&host, &cmdline);

	ret = minihyp_guest_dt_defaults(&guest, &host, &cmdline, (const void *)DTB_ADDR, self, &err);
	if (ret) {
		test_puts("minihyp: guest error: ");
		test_puts(err.msg);
		test_puts("\n");
		return;
	}
	t2 = hyp_read_sysreg(HYP_SYS_CNTVCT_EL0);
	ret = hyp_fdt_guest_build(&guest, guest_dtb, sizeof(guest_dtb), &err);
	t3 = hyp_read_sysreg(HYP_SYS_CNTVCT_EL0);
	if (ret < 0) {
		test_puts("FAIL: guest dt: ");
		test_puts(err.msg);
		test_puts("\n");
		return;
	}
	put_range("guest mem", guest.mem);
	test_puts(" vcpus ");
	put_dec(guest.nr_vcpus);
	test_puts(" dtb size ");
	test_put_hex((uint64_t)ret);
	test_puts("\n");
	/* A GICv2 guest DT has no GICH/GICV: only a GICv3 one parses as a host DT. */
	ret = hyp_fdt_host_parse(guest_dtb, sizeof(guest_dtb), &back, &err);
	if (host.gic.version == 3 &&
	    (ret || back.psci != HYP_FDT_PSCI_HVC || back.nr_cpus != guest.nr_vcpus ||
	     back.mem[0].base != guest.mem.base)) {
		test_puts("FAIL: guest dt read back: ");
		test_puts(err.msg);
		test_puts("\n");
		return;
	}
	test_puts("guest dt ok\n");
	/* Under -icount shift=0 a counter tick is 16 instructions. */
	test_puts("counter ticks: parse ");
	put_dec(t1 - t0);
	test_puts(", guest dt build ");
	put_dec(t3 - t2);
	test_puts("\n");
	test_puts("minihyp dt done\n");
}
