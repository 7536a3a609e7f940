/* SPDX-License-Identifier: MIT */
/* The guests' runtime: see guest.h. */
#include "guest.h"

/* QEMU virt's PL011 until the DT names one (the same under minihyp, which
 * passes it through at IPA = PA). */
static uintptr_t uart = 0x09000000;

#define PL011_DR      0x00
#define PL011_FR      0x18
#define PL011_FR_TXFF (1u << 5)

static void putc_(char c)
{
	while (*(volatile uint32_t *)(uart + PL011_FR) & PL011_FR_TXFF)
		;
	*(volatile uint32_t *)(uart + PL011_DR) = (uint8_t)c;
}

void guest_puts(const char *s)
{
	while (*s)
		putc_(*s++);
}

void guest_put_dec(uint64_t v)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc_(buf[--n]);
}

void guest_put_hex(uint64_t v)
{
	int shift = 60;

	guest_puts("0x");
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4) {
		unsigned int d = (v >> shift) & 0xf;
		putc_((char)(d < 10 ? '0' + d : 'a' + d - 10));
	}
}

/* Compilers may call these for struct copies and clears. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n)
{
	volatile unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	volatile unsigned char *dp = d;

	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}

uint64_t guest_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	/* SMCCC 1.1: X0..X17 may change, X18..X30 are preserved. */
	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return x0;
}

uint64_t guest_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

uint64_t guest_counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

void guest_exit(unsigned int status)
{
	if (status) {
		guest_puts("guest: exit status ");
		guest_put_dec(status);
		guest_puts("\n");
		/* minihyp stops the machine with this status; elsewhere the
		 * call is unknown (NOT_SUPPORTED) and SYSTEM_OFF follows. */
		guest_hvc(MINIHYP_HVC_EXIT, status, 0, 0);
	}
	guest_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void guest_fail(const char *who, const char *what, uint64_t v)
{
	guest_puts("FAIL: ");
	guest_puts(who);
	guest_puts(": ");
	guest_puts(what);
	guest_puts(" ");
	guest_put_hex(v);
	guest_puts("\n");
	guest_exit(1);
}

void guest_fail_irq(const char *who, unsigned int iar, uint64_t ticks)
{
	guest_puts("FAIL: ");
	guest_puts(who);
	guest_puts(": IAR ");
	guest_put_hex(iar);
	guest_puts(" after ");
	guest_put_dec(ticks);
	guest_puts(" ticks\n");
	guest_exit(1);
}

unsigned int guest_gic_wait(const struct guest_dt *dt)
{
	unsigned int iar;

	while (((iar = guest_gic_ack(dt)) & 0x3ff) >= 1020)
		__asm__ volatile("wfi");
	return iar;
}

void guest_gic_expect_quiet(const struct guest_dt *dt, uint64_t ticks, const char *who,
			    const char *what)
{
	uint64_t t0 = guest_counter();

	while (guest_counter() - t0 < ticks) {
		unsigned int iar = guest_gic_ack(dt);

		if ((iar & 0x3ff) < 1020) {
			guest_gic_eoi(dt, iar);
			guest_fail(who, what, iar);
		}
	}
}

void guest_timer_set(enum guest_timer t, uint64_t tval, uint64_t ctl)
{
	if (t == GUEST_VTIMER)
		__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb"
				 :
				 : "r"(tval), "r"(ctl)
				 : "memory");
	else
		__asm__ volatile("msr cntp_tval_el0, %0; msr cntp_ctl_el0, %1; isb"
				 :
				 : "r"(tval), "r"(ctl)
				 : "memory");
}

uint64_t guest_timer_ctl(enum guest_timer t)
{
	uint64_t v;

	if (t == GUEST_VTIMER)
		__asm__ volatile("isb; mrs %0, cntv_ctl_el0" : "=r"(v));
	else
		__asm__ volatile("isb; mrs %0, cntp_ctl_el0" : "=r"(v));
	return v;
}

void guest_timer_masked_check(const struct guest_dt *dt, enum guest_timer t, const char *who,
			      uint64_t ticks)
{
	const uint64_t want = GUEST_TIMER_ENABLE | GUEST_TIMER_IMASK | GUEST_TIMER_ISTATUS;

	guest_timer_set(t, 0, GUEST_TIMER_ENABLE | GUEST_TIMER_IMASK);
	if (guest_timer_ctl(t) != want)
		guest_fail(who, "ENABLE|IMASK read back as", guest_timer_ctl(t));
	guest_gic_expect_quiet(dt, ticks, who, "masked timer delivered IAR");
}

void guest_exception(uint64_t vector);
void guest_exception(uint64_t vector)
{
	uint64_t esr, elr, far;

	__asm__ volatile("mrs %0, esr_el1; mrs %1, elr_el1; mrs %2, far_el1"
			 : "=r"(esr), "=r"(elr), "=r"(far));
	guest_puts("UNEXPECTED guest exception: vector ");
	guest_put_dec(vector);
	guest_puts(", ESR_EL1 ");
	guest_put_hex(esr);
	guest_puts(", ELR_EL1 ");
	guest_put_hex(elr);
	guest_puts(", FAR_EL1 ");
	guest_put_hex(far);
	guest_puts("\n");
	guest_exit(1);
}

/* ---- a DT reader: just what the guests need (Devicetree Specification
 * 0.4, chapter 5: big-endian header and structure block, tokens
 * BEGIN_NODE 1, END_NODE 2, PROP 3, NOP 4, END 9). Root #address-cells
 * and #size-cells are 2 in QEMU's DT and in minihyp's. */

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP	       4u
#define FDT_END	       9u

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Whether the string list @p, @len bytes, holds @s. */
static bool strlist_has(const char *p, uint32_t len, const char *s)
{
	for (uint32_t i = 0; i < len; i += (uint32_t)str_len(p + i) + 1) {
		if (str_eq(p + i, s))
			return true;
	}
	return false;
}

enum node_kind { NODE_OTHER, NODE_GICV3, NODE_GICV2, NODE_PL011 };

struct node {
	enum node_kind kind;
	const uint8_t *reg;
	uint32_t reg_len;
};

static void node_done(struct node *n, struct guest_dt *dt, bool *have_uart)
{
	struct guest_range r[2] = {{0, 0}, {0, 0}};

	if (n->kind == NODE_OTHER || !n->reg)
		goto out;
	for (unsigned int i = 0; i < 2 && (i + 1) * 16 <= n->reg_len; i++) {
		r[i].base = be64(n->reg + i * 16);
		r[i].size = be64(n->reg + i * 16 + 8);
	}
	if (n->kind == NODE_PL011 && !*have_uart) {
		uart = (uintptr_t)r[0].base;
		*have_uart = true;
	} else if (n->kind != NODE_PL011 && !dt->gic_version) {
		dt->gic_version = n->kind == NODE_GICV3 ? 3 : 2;
		dt->gicd = r[0];
		dt->gic2 = r[1];
	}
out:
	*n = (struct node){NODE_OTHER, NULL, 0};
}

int guest_dt_init(const void *dtb, struct guest_dt *dt)
{
	const uint8_t *f = dtb, *p, *strings;
	struct node n = {NODE_OTHER, NULL, 0};
	bool have_uart = false, in_chosen = false;
	unsigned int depth = 0;

	*dt = (struct guest_dt){.fdt = dtb, .bootargs = ""};
	if (!f || ((uintptr_t)f & 7) || be32(f) != FDT_MAGIC)
		return -1;
	p = f + be32(f + 8);
	strings = f + be32(f + 12);
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;

			node_done(&n, dt, &have_uart);
			depth++;
			in_chosen = depth == 2 && str_eq(name, "chosen");
			p += (str_len(name) + 4) & ~3ul;
		} else if (tok == FDT_END_NODE) {
			node_done(&n, dt, &have_uart);
			depth--;
			in_chosen = false;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p);
			const char *name = (const char *)strings + be32(p + 4);
			const char *val = (const char *)p + 8;

			if (str_eq(name, "compatible")) {
				if (strlist_has(val, len, "arm,gic-v3"))
					n.kind = NODE_GICV3;
				else if (strlist_has(val, len, "arm,cortex-a15-gic") ||
					 strlist_has(val, len, "arm,gic-400"))
					n.kind = NODE_GICV2;
				else if (strlist_has(val, len, "arm,pl011"))
					n.kind = NODE_PL011;
			} else if (str_eq(name, "reg")) {
				n.reg = (const uint8_t *)val;
				n.reg_len = len;
			} else if (in_chosen && str_eq(name, "bootargs") && len) {
				dt->bootargs = val;
			}
			p += 8 + ((len + 3) & ~3u);
		} else if (tok == FDT_NOP) {
			continue;
		} else {
			break; /* FDT_END, or a broken blob */
		}
	}
	return 0;
}

uint64_t guest_arg(const struct guest_dt *dt, const char *name, uint64_t def)
{
	const char *s = dt->bootargs;
	size_t nl = str_len(name);

	while (*s) {
		size_t i = 0;

		while (*s == ' ')
			s++;
		while (i < nl && s[i] == name[i])
			i++;
		if (i == nl && s[i] == '=') {
			uint64_t v = 0;
			unsigned int base = 10;

			s += nl + 1;
			if (s[0] == '0' && s[1] == 'x') {
				base = 16;
				s += 2;
			}
			for (;; s++) {
				unsigned int d;

				if (*s >= '0' && *s <= '9')
					d = (unsigned int)(*s - '0');
				else if (base == 16 && *s >= 'a' && *s <= 'f')
					d = (unsigned int)(*s - 'a' + 10);
				else
					break;
				v = v * base + d;
			}
			return v;
		}
		while (*s && *s != ' ')
			s++;
	}
	return def;
}

void guest_report(const char *name, uint64_t iters, uint64_t ticks)
{
	uint64_t freq = guest_counter_freq();
	/* nanoseconds x 100, without overflow for any realistic tick count */
	uint64_t ns100 = ticks / freq * 100000000000ull + ticks % freq * 100000000000ull / freq;
	uint64_t per = iters ? ns100 / iters : 0;

	guest_puts("bench ");
	guest_puts(name);
	guest_puts(": ");
	guest_put_dec(iters);
	guest_puts(" iterations, ");
	guest_put_dec(ticks);
	guest_puts(" ticks at ");
	guest_put_dec(freq);
	guest_puts(" Hz: ");
	guest_put_dec(per / 100);
	guest_puts(".");
	guest_put_dec(per / 10 % 10);
	guest_put_dec(per % 10);
	guest_puts(" instructions per iteration\n");
}

/* ---- the GIC, as a driver programs it (IHI 0069 for GICv3, IHI 0048B
 * for GICv2): distributor on, this CPU's private interrupts in @mask
 * enabled at priority 0xa0, the CPU interface's priority mask at 0xf0. */

#define GICD_CTLR	0x0000u
#define GICD_CTLR_RWP	(1u << 31)
#define GICD_IGROUPR	0x0080u
#define GICD_ISENABLER	0x0100u
#define GICD_IPRIORITYR 0x0400u
#define GICR_TYPER	0x0008u
#define GICR_WAKER	0x0014u
#define GICR_SGI	0x10000u
#define GICC_CTLR	0x0000u
#define GICC_PMR	0x0004u


static void gic_init_v3(const struct guest_dt *dt, uint32_t mask)
{
	uint64_t d = dt->gicd.base, rd = dt->gic2.base, sgi = rd + GICR_SGI, mpidr;

	/* IHI 0069: ARE, EnableGrp1 (one Security state), EnableGrp0. */
	w32(d + GICD_CTLR, 1u << 4 | 1u << 1 | 1u);
	while (r32(d + GICD_CTLR) & GICD_CTLR_RWP)
		;
	/* vCPU 0's redistributor is the first (GICR_TYPER.Affinity = MPIDR). */
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	if ((r64(rd + GICR_TYPER) >> 32) != (mpidr & 0xffffff)) {
		guest_puts("FAIL: guest: the first redistributor is not this CPU's\n");
		guest_exit(1);
	}
	w32(rd + GICR_WAKER, r32(rd + GICR_WAKER) & ~(1u << 1)); /* ProcessorSleep */
	while (r32(rd + GICR_WAKER) & (1u << 2))		 /* ChildrenAsleep */
		;
	w32(sgi + GICD_IGROUPR, r32(sgi + GICD_IGROUPR) | mask); /* Group 1 */
	for (unsigned int i = 0; i < 32; i += 4)
		w32(sgi + GICD_IPRIORITYR + i, 0xa0a0a0a0);
	w32(sgi + GICD_ISENABLER, mask);
	__asm__ volatile("msr S3_0_C4_C6_0, %0\n"   /* ICC_PMR_EL1 */
			 "msr S3_0_C12_C12_7, %1\n" /* ICC_IGRPEN1_EL1 */
			 "isb" ::"r"(0xf0ul),
			 "r"(1ul));
}

static void gic_init_v2(const struct guest_dt *dt, uint32_t mask)
{
	uint64_t d = dt->gicd.base, c = dt->gic2.base;

	w32(d + GICD_CTLR, 1); /* Group 0 */
	for (unsigned int i = 0; i < 32; i += 4)
		w32(d + GICD_IPRIORITYR + i, 0xa0a0a0a0);
	w32(d + GICD_ISENABLER, mask);
	w32(c + GICC_PMR, 0xf0);
	w32(c + GICC_CTLR, 1);
}

int guest_gic_init(const struct guest_dt *dt, uint32_t mask)
{
	if (dt->gic_version == 3)
		gic_init_v3(dt, mask);
	else if (dt->gic_version == 2)
		gic_init_v2(dt, mask);
	else
		return -1;
	return 0;
}

unsigned int guest_gic_ack(const struct guest_dt *dt)
{
	uint64_t v;

	if (dt->gic_version == 2)
		return r32(dt->gic2.base + 0xc);	      /* GICC_IAR */
	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(v)); /* ICC_IAR1_EL1 */
	return (unsigned int)v;
}

void guest_gic_eoi(const struct guest_dt *dt, unsigned int iar)
{
	if (dt->gic_version == 2)
		w32(dt->gic2.base + 0x10, iar); /* GICC_EOIR */
	else
		__asm__ volatile("msr S3_0_C12_C12_1, %0"
				 :
				 : "r"((uint64_t)iar)); /* ICC_EOIR1_EL1 */
}

/* issue 15 (wake-pingpong, lock-stall): another vCPU's own CPU interface,
 * after vCPU 0's guest_gic_init(). GICv3: its redistributor, the frame
 * whose GICR_TYPER.Affinity_Value [63:32] is its MPIDR's (IHI 0069
 * 12.11.36; Last [4] ends the list, frames 128 KiB apart without VLPIs),
 * woken (GICR_WAKER.ProcessorSleep [1] cleared, ChildrenAsleep [2] polled),
 * @mask in Group 1 at priority 0xa0 and enabled, ICC_PMR_EL1 0xf0,
 * ICC_IGRPEN1_EL1 on. GICv2: the banked GICD_IPRIORITYR/ISENABLER0 and its
 * GICC (IHI 0048B 4.3.6, 4.3.11). 0, or -1 without its redistributor. */
int guest_gic_init_cpu(const struct guest_dt *dt, uint32_t mask)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	if (dt->gic_version == 3) {
		uint64_t rd = dt->gic2.base, sgi;

		for (;;) {
			uint64_t t = r64(rd + GICR_TYPER);

			if ((t >> 32) == (mpidr & 0xffffff))
				break;
			if ((t & (1u << 4)) || rd + 0x20000u >= dt->gic2.base + dt->gic2.size)
				return -1;
			rd += 0x20000u;
		}
		sgi = rd + GICR_SGI;
		w32(rd + GICR_WAKER, r32(rd + GICR_WAKER) & ~(1u << 1));
		while (r32(rd + GICR_WAKER) & (1u << 2))
			;
		w32(sgi + GICD_IGROUPR, r32(sgi + GICD_IGROUPR) | mask);
		for (unsigned int i = 0; i < 32; i += 4)
			w32(sgi + GICD_IPRIORITYR + i, 0xa0a0a0a0);
		w32(sgi + GICD_ISENABLER, mask);
		__asm__ volatile("msr S3_0_C4_C6_0, %0\n"   /* ICC_PMR_EL1 */
				 "msr S3_0_C12_C12_7, %1\n" /* ICC_IGRPEN1_EL1 */
				 "isb" ::"r"(0xf0ul),
				 "r"(1ul));
		return 0;
	}
	if (dt->gic_version != 2)
		return -1;
	for (unsigned int i = 0; i < 32; i += 4)
		w32(dt->gicd.base + GICD_IPRIORITYR + i, 0xa0a0a0a0);
	w32(dt->gicd.base + GICD_ISENABLER, mask);
	w32(dt->gic2.base + GICC_PMR, 0xf0);
	w32(dt->gic2.base + GICC_CTLR, 1);
	return 0;
}
