/* SPDX-License-Identifier: MIT */
/*
 * minihyp's device-tree module: host DTB -> struct minihyp_host, and
 * struct minihyp_guest_dt -> guest DTB. The only file of minihyp that calls
 * libfdt. Bindings followed: Linux's Documentation/devicetree/bindings for
 * arm/cpus.yaml, interrupt-controller/arm,gic{,-v3}.yaml, timer/arm,arch_timer.yaml,
 * arm/psci.yaml, serial/pl011.yaml; the Devicetree Specification (v0.4) for
 * reg, #address-cells, #size-cells, ranges, chosen and memory.
 */
#include <stdarg.h>

#include <libfdt.h>
#include <libhyp/error.h>

#include "dt.h"

/* MPIDR_EL1 affinity fields Aff3 [39:32], Aff2..Aff0 [23:0] (Arm ARM D19.2, MPIDR_EL1). */
#define MPIDR_AFF_MASK 0xff00ffffffull
/* GIC binding (arm,gic*.yaml): first interrupt cell 0 = SPI, 1 = PPI, which
 * are INTIDs 32..1019 and 16..31 (IHI 0069, "INTIDs"). */
#define GIC_SPI	     0
#define GIC_PPI	     1
#define GIC_SPI_BASE 32
#define GIC_PPI_BASE 16
#define GIC_NR_PPI   16
#define GIC_NR_SPI   988
/* Third cell: trigger type in [3:0]; GICv2 PPIs carry a CPU mask in [15:8]. */
#define GIC_CPU_MASK_SHIFT 8
#define GIC_CPU_MASK	   (0xffu << GIC_CPU_MASK_SHIFT)
/* One GICv3 redistributor: two 64 KiB frames, RD_base and SGI_base (IHI 0069,
 * the Redistributor memory map; GICv4 adds two more, not emulated here). */
#define GICR_FRAME_SIZE	   0x20000ull
#define SZ_2M		   0x200000ull
#define DEFAULT_UART_CLOCK 24000000u
/* Phandles in the guest DT. */
#define GUEST_GIC_PHANDLE 1u
#define GUEST_CLK_PHANDLE 2u
/* Most reg entries read from one node. */
#define MAX_REGS 16

/* ---- small string helpers (the host and the image alike) ---- */

static size_t str_len(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static bool mem_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static bool str_eq(const char *a, const char *b)
{
	size_t n = str_len(b);
	return str_len(a) == n && mem_eq(a, b, n);
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = str_len(prefix);
	return len >= n && mem_eq(s, prefix, n);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = str_len(s), m = str_len(suffix);
	return n >= m && mem_eq(s + n - m, suffix, m);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ---- messages ---- */

struct out {
	char *p;
	size_t size, len;
};

static void out_c(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->p[o->len++] = c;
	o->p[o->len < o->size ? o->len : o->size - 1] = 0;
}

static void out_s(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++)
		out_c(o, s[i]);
}

static void out_num(struct out *o, uint64_t v, unsigned int base)
{
	char tmp[24];
	int n = 0;

	do {
		unsigned int d = (unsigned int)(v % base);
		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (n)
		out_c(o, tmp[--n]);
}

/*
 * A printf subset for messages: %s (const char *), %.*s (int, const char *),
 * %u (unsigned int), %d (int), %x (uint64_t, printed 0x...), %h (uint64_t,
 * bare hex, for unit addresses).
 */
static void out_vfmt(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_c(o, *fmt);
			continue;
		}
		switch (*++fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			out_s(o, s ? s : "(null)", (size_t)-1);
			break;
		}
		case '.': { /* %.*s */
			int n = va_arg(ap, int);
			const char *s = va_arg(ap, const char *);
			fmt += 2;
			out_s(o, s ? s : "(null)", n < 0 ? 0 : (size_t)n);
			break;
		}
		case 'u':
			out_num(o, va_arg(ap, unsigned int), 10);
			break;
		case 'd': {
			int v = va_arg(ap, int);
			if (v < 0)
				out_c(o, '-');
			out_num(o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10);
			break;
		}
		case 'x':
			out_s(o, "0x", 2);
			out_num(o, va_arg(ap, uint64_t), 16);
			break;
		case 'h':
			out_num(o, va_arg(ap, uint64_t), 16);
			break;
		case '%':
			out_c(o, '%');
			break;
		default:
			return;
		}
	}
}

static void format(char *buf, size_t size, const char *f, ...)
{
	struct out o = {buf, size, 0};
	va_list ap;

	buf[0] = 0;
	va_start(ap, f);
	out_vfmt(&o, f, ap);
	va_end(ap);
}

static int fail(struct minihyp_dt_err *err, int code, const char *f, ...)
{
	if (err) {
		struct out o = {err->msg, sizeof(err->msg), 0};
		va_list ap;

		err->code = code;
		err->msg[0] = 0;
		va_start(ap, f);
		out_vfmt(&o, f, ap);
		va_end(ap);
	}
	return code;
}

/* ---- ranges ---- */

static uint64_t range_end(struct minihyp_range r)
{
	return r.base + r.size;
}

/* Sizes are non-zero and ends do not wrap (checked where ranges come in). */
static bool range_inside(struct minihyp_range in, struct minihyp_range out)
{
	return in.base >= out.base && range_end(in) <= range_end(out);
}

static bool range_overlap(struct minihyp_range a, struct minihyp_range b)
{
	return a.size && b.size && a.base < range_end(b) && b.base < range_end(a);
}

static bool range_wraps(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base;
}

/* ---- command line ---- */

static int parse_num(const char **pp, const char *end, uint64_t *v)
{
	const char *p = *pp;
	unsigned int base = 10;
	uint64_t x = 0;
	int digits = 0;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; p < end; p++, digits++) {
		unsigned int d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else
			break;
		if (x > (UINT64_MAX - d) / base)
			return HYP_ERANGE;
		x = x * base + d;
	}
	if (!digits)
		return HYP_EINVAL;
	if (p < end) {
		unsigned int shift = 0;
		switch (*p) {
		case 'K':
		case 'k':
			shift = 10;
			break;
		case 'M':
		case 'm':
			shift = 20;
			break;
		case 'G':
		case 'g':
			shift = 30;
			break;
		}
		if (shift) {
			if (x > (UINT64_MAX >> shift))
				return HYP_ERANGE;
			x <<= shift;
			p++;
		}
	}
	*pp = p;
	*v = x;
	return 0;
}

/* "ADDR,SIZE[,ADDR,SIZE...]" (@single: "ADDR,SIZE"), at most @max pairs. */
static int parse_ranges(const char *key, const char *val, size_t len, struct minihyp_range *r,
			unsigned int max, bool single, unsigned int *nr, struct minihyp_dt_err *err)
{
	const char *p = val, *end = val + len;
	unsigned int n = 0;

	for (;;) {
		uint64_t base, size;
		int ret = parse_num(&p, end, &base);
		if (!ret && (p == end || *p != ','))
			ret = HYP_EINVAL;
		if (!ret) {
			p++;
			ret = parse_num(&p, end, &size);
		}
		if (ret == HYP_ERANGE)
			return fail(err, HYP_ERANGE, "%s: number too large in '%.*s'", key,
				    (int)len, val);
		if (ret || (p != end && *p != ','))
			return fail(err, HYP_EINVAL, "%s: expected ADDR,SIZE%s, got '%.*s'", key,
				    single ? "" : "[,ADDR,SIZE...]", (int)len, val);
		if (!size)
			return fail(err, HYP_EINVAL, "%s: empty range at %x", key, base);
		if (range_wraps(base, size))
			return fail(err, HYP_ERANGE, "%s: range %x,%x wraps", key, base, size);
		if (base % MINIHYP_PAGE_SIZE || (!single && size % MINIHYP_PAGE_SIZE))
			return fail(err, HYP_EINVAL, "%s: range %x,%x is not 4 KiB-aligned", key,
				    base, size);
		if (single && n)
			return fail(err, HYP_EINVAL, "%s: one ADDR,SIZE only", key);
		if (n == max)
			return fail(err, HYP_ERANGE, "%s: more than %u ranges", key, max);
		r[n].base = base;
		r[n].size = size;
		n++;
		if (p == end)
			break;
		p++;
	}
	*nr = n;
	return 0;
}

int minihyp_cmdline_parse(const char *s, struct minihyp_cmdline *out, struct minihyp_dt_err *err)
{
	struct minihyp_cmdline c;
	const char *p = s ? s : "";
	bool seen_vcpus = false, seen_eager = false, seen_fastpath = false;

	__builtin_memset(&c, 0, sizeof(c));
	for (;;) {
		const char *tok, *key, *val = NULL;
		size_t keylen, vallen = 0, toklen;
		int ret;

		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		tok = key = p;
		while (*p && *p != '=' && !is_blank(*p))
			p++;
		keylen = (size_t)(p - key);
		if (*p == '=') {
			p++;
			if (*p == '"') {
				val = ++p;
				while (*p && *p != '"')
					p++;
				if (!*p)
					return fail(err, HYP_EINVAL, "unterminated quote in '%s'",
						    tok);
				vallen = (size_t)(p - val);
				p++;
				if (*p && !is_blank(*p))
					return fail(err, HYP_EINVAL,
						    "text after the closing quote in '%.*s'",
						    (int)(p - tok + 1), tok);
			} else {
				val = p;
				while (*p && !is_blank(*p))
					p++;
				vallen = (size_t)(p - val);
			}
		}
		toklen = (size_t)(p - tok);
		if (!has_prefix(key, keylen, "minihyp."))
			continue;
		if (!val)
			return fail(err, HYP_EINVAL, "'%.*s' needs a value", (int)toklen, tok);

#define KEY_IS(k) (keylen == sizeof(k) - 1 && mem_eq(key, k, keylen))
		if (KEY_IS("minihyp.initrd")) {
			unsigned int n;

			if (c.has_initrd)
				return fail(err, HYP_EINVAL, "minihyp.initrd given twice");
			ret = parse_ranges("minihyp.initrd", val, vallen, &c.initrd, 1, true, &n,
					   err);
			if (ret)
				return ret;
			c.has_initrd = true;
		} else if (KEY_IS("minihyp.guest") || KEY_IS("minihyp.mem")) {
			bool guest = KEY_IS("minihyp.guest");
			bool *has = guest ? &c.has_guest : &c.has_mem;
			unsigned int n;

			if (*has)
				return fail(err, HYP_EINVAL, "%.*s given twice", (int)keylen, key);
			ret = parse_ranges(guest ? "minihyp.guest" : "minihyp.mem", val, vallen,
					   guest ? &c.guest : &c.mem, 1, true, &n, err);
			if (ret)
				return ret;
			if (!guest && c.mem.size % MINIHYP_PAGE_SIZE)
				return fail(err, HYP_EINVAL,
					    "minihyp.mem: size %x is not 4 KiB-aligned",
					    c.mem.size);
			*has = true;
		} else if (KEY_IS("minihyp.passthrough")) {
			unsigned int n;

			ret = parse_ranges(
			    "minihyp.passthrough", val, vallen, c.passthrough + c.nr_passthrough,
			    MINIHYP_MAX_PASSTHROUGH - c.nr_passthrough, false, &n, err);
			if (ret == HYP_ERANGE && c.nr_passthrough)
				return fail(err, HYP_ERANGE,
					    "minihyp.passthrough: more than %u ranges",
					    MINIHYP_MAX_PASSTHROUGH);
			if (ret)
				return ret;
			c.nr_passthrough += n;
		} else if (KEY_IS("minihyp.vcpus")) {
			const char *q = val;
			uint64_t n;

			if (seen_vcpus)
				return fail(err, HYP_EINVAL, "minihyp.vcpus given twice");
			ret = parse_num(&q, val + vallen, &n);
			if (ret != HYP_ERANGE && (ret || q != val + vallen))
				return fail(err, HYP_EINVAL,
					    "minihyp.vcpus: expected a number, got '%.*s'",
					    (int)vallen, val);
			if (ret || n > MINIHYP_MAX_CPUS)
				return fail(err, HYP_ERANGE, "minihyp.vcpus=%.*s: at most %u",
					    (int)vallen, val, MINIHYP_MAX_CPUS);
			if (!n)
				return fail(err, HYP_EINVAL, "minihyp.vcpus: at least 1");
			c.nr_vcpus = (unsigned int)n;
			seen_vcpus = true;
		} else if (KEY_IS("minihyp.eager") || KEY_IS("minihyp.fastpath")) {
			bool eager = KEY_IS("minihyp.eager");
			bool *seen = eager ? &seen_eager : &seen_fastpath;

			if (*seen)
				return fail(err, HYP_EINVAL, "%.*s given twice", (int)keylen, key);
			if (vallen != 1 || (val[0] != '0' && val[0] != '1'))
				return fail(err, HYP_EINVAL, "%.*s: expected 0 or 1, got '%.*s'",
					    (int)keylen, key, (int)vallen, val);
			if (eager)
				c.eager = val[0] == '1';
			else
				c.no_fast_path = val[0] == '0';
			*seen = true;
		} else if (KEY_IS("minihyp.bootargs")) {
			if (c.has_bootargs)
				return fail(err, HYP_EINVAL, "minihyp.bootargs given twice");
			if (vallen >= MINIHYP_CMDLINE_MAX)
				return fail(err, HYP_ERANGE,
					    "minihyp.bootargs: longer than %u characters",
					    MINIHYP_CMDLINE_MAX - 1);
			__builtin_memcpy(c.bootargs, val, vallen);
			c.bootargs[vallen] = 0;
			c.has_bootargs = true;
		} else if (KEY_IS("minihyp.token")) {
			if (c.token[0])
				return fail(err, HYP_EINVAL, "minihyp.token given twice");
			if (!vallen || vallen > MINIHYP_TOKEN_MAX)
				return fail(err, HYP_EINVAL,
					    "minihyp.token: expected 1 to %u hex digits",
					    MINIHYP_TOKEN_MAX);
			for (size_t i = 0; i < vallen; i++) {
				char ch = val[i];

				if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
				      (ch >= 'A' && ch <= 'F')))
					return fail(
					    err, HYP_EINVAL,
					    "minihyp.token: expected hex digits, got '%.*s'",
					    (int)vallen, val);
			}
			__builtin_memcpy(c.token, val, vallen);
			c.token[vallen] = 0;
		} else {
			return fail(err, HYP_EINVAL, "unknown option '%.*s'", (int)keylen, key);
		}
#undef KEY_IS
	}
	*out = c;
	return 0;
}

/* ---- reading the host DT ---- */

static const char *node_name(const void *fdt, int node)
{
	const char *n = fdt_get_name(fdt, node, NULL);
	return !n ? "?" : *n ? n : "/";
}

/* A property that is one NUL-terminated string (or a string list). */
static const char *prop_str(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);
	return s && len > 0 && s[len - 1] == 0 ? s : NULL;
}

static bool node_enabled(const void *fdt, int node)
{
	const char *st = prop_str(fdt, node, "status");
	return !st || str_eq(st, "okay") || str_eq(st, "ok");
}

static int prop_u32(const void *fdt, int node, const char *name, uint32_t *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	if (!p)
		return HYP_ENOENT;
	if (len != 4)
		return HYP_EINVAL;
	*v = fdt32_ld(p);
	return 0;
}

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_ld(p + i);
	return v;
}

/* #address-cells / #size-cells of @bus, for its children's reg: 1 or 2 each. */
static int bus_cells(const void *fdt, int bus, int *ac, int *sc, struct minihyp_dt_err *err)
{
	*ac = fdt_address_cells(fdt, bus);
	*sc = fdt_size_cells(fdt, bus);
	if (*ac < 1 || *ac > 2 || *sc < 1 || *sc > 2)
		return fail(err, HYP_ENOTSUP,
			    "%s: #address-cells %d / #size-cells %d not supported",
			    node_name(fdt, bus), *ac, *sc);
	return 0;
}

/*
 * The reg ranges of @node (at most @max; fewer if the node has fewer),
 * in CPU physical addresses: every bus between it and the root must map
 * 1:1 (an empty `ranges`). Returns how many entries reg has. @parent is
 * the node's parent if the caller knows it, else -1 (libfdt finds a
 * parent by walking the tree from the start).
 */
static int read_reg(const void *fdt, int node, int parent, struct minihyp_range *r, int max,
		    struct minihyp_dt_err *err)
{
	int ac, sc, len, n, ret;

	if (parent < 0)
		parent = fdt_parent_offset(fdt, node);
	const fdt32_t *p;

	if (parent < 0)
		return fail(err, HYP_EINVAL, "%s: no parent node", node_name(fdt, node));
	for (int b = parent; b > 0; b = fdt_parent_offset(fdt, b)) {
		if (!fdt_getprop(fdt, b, "ranges", &len) || len != 0)
			return fail(err, HYP_ENOTSUP,
				    "%s: below %s, whose ranges translate addresses",
				    node_name(fdt, node), node_name(fdt, b));
	}
	ret = bus_cells(fdt, parent, &ac, &sc, err);
	if (ret)
		return ret;
	p = fdt_getprop(fdt, node, "reg", &len);
	if (!p)
		return 0;
	if (len % ((ac + sc) * 4))
		return fail(err, HYP_EINVAL, "%s: reg is %d bytes, not a multiple of %d",
			    node_name(fdt, node), len, (ac + sc) * 4);
	n = len / ((ac + sc) * 4);
	if (n > max)
		return fail(err, HYP_ERANGE, "%s: more than %d reg entries", node_name(fdt, node),
			    max);
	for (int i = 0; i < n; i++, p += ac + sc) {
		r[i].base = read_cells(p, ac);
		r[i].size = read_cells(p + ac, sc);
		if (range_wraps(r[i].base, r[i].size))
			return fail(err, HYP_ERANGE, "%s: reg range %x,%x wraps",
				    node_name(fdt, node), r[i].base, r[i].size);
	}
	return n;
}

/* The phandle of the node that handles @node's interrupts (interrupt-parent,
 * inherited from the parents), 0 if none. */
static uint32_t irq_parent(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = n ? fdt_parent_offset(fdt, n) : -1) {
		uint32_t ph;
		if (!prop_u32(fdt, n, "interrupt-parent", &ph))
			return ph;
	}
	return 0;
}

static int decode_irq(const void *fdt, int node, const fdt32_t *cell, struct minihyp_irq *irq,
		      struct minihyp_dt_err *err)
{
	uint32_t type = fdt32_ld(cell), num = fdt32_ld(cell + 1);

	if (type == GIC_PPI && num < GIC_NR_PPI)
		irq->intid = GIC_PPI_BASE + num;
	else if (type == GIC_SPI && num < GIC_NR_SPI)
		irq->intid = GIC_SPI_BASE + num;
	else
		return fail(err, HYP_EINVAL, "%s: interrupt <%u %u> is neither a PPI nor an SPI",
			    node_name(fdt, node), type, num);
	irq->flags = fdt32_ld(cell + 2);
	return 0;
}

/*
 * Up to @max interrupts of @node, which must go to the GIC at @gic_node
 * (whose #interrupt-cells is @icells). Returns how many were read.
 */
static int read_irqs(const void *fdt, int node, int gic_node, int icells, struct minihyp_irq *irq,
		     int max, struct minihyp_dt_err *err)
{
	int len, n;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);

	if (!p)
		return 0;
	if (node != gic_node && irq_parent(fdt, node) != fdt_get_phandle(fdt, gic_node))
		return fail(err, HYP_EINVAL, "%s: its interrupt parent is not the GIC",
			    node_name(fdt, node));
	if (len % (icells * 4))
		return fail(err, HYP_EINVAL, "%s: interrupts is %d bytes, not a multiple of %d",
			    node_name(fdt, node), len, icells * 4);
	n = len / (icells * 4);
	for (int i = 0; i < n && i < max; i++) {
		int ret = decode_irq(fdt, node, p + i * icells, &irq[i], err);
		if (ret)
			return ret;
	}
	return n;
}

static int parse_memory(const void *fdt, struct minihyp_host *h, struct minihyp_dt_err *err)
{
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory",
						     sizeof("memory"))) >= 0) {
		struct minihyp_range r[MAX_REGS];
		int n;

		if (!node_enabled(fdt, node))
			continue;
		n = read_reg(fdt, node, -1, r, MAX_REGS, err);
		if (n < 0)
			return n;
		for (int i = 0; i < n; i++) {
			if (!r[i].size)
				continue;
			if (h->nr_mem == MINIHYP_MAX_MEM)
				return fail(err, HYP_ERANGE, "more than %u memory ranges",
					    MINIHYP_MAX_MEM);
			h->mem[h->nr_mem++] = r[i];
		}
	}
	if (!h->nr_mem)
		return fail(err, HYP_ENOENT,
			    "no memory node (device_type = \"memory\" with a reg)");
	return 0;
}

static int parse_cpus(const void *fdt, struct minihyp_host *h, struct minihyp_dt_err *err)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node, ac, count = 0;

	if (cpus < 0)
		return fail(err, HYP_ENOENT, "no /cpus node");
	ac = fdt_address_cells(fdt, cpus);
	if (ac < 1 || ac > 2)
		return fail(err, HYP_ENOTSUP, "/cpus: #address-cells %d not supported", ac);
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const char *type = prop_str(fdt, node, "device_type");
		if (type && str_eq(type, "cpu") && node_enabled(fdt, node))
			count++;
	}
	if (!count)
		return fail(err, HYP_ENOENT, "no cpu node under /cpus");
	if (count > MINIHYP_MAX_CPUS)
		return fail(err, HYP_ERANGE, "%d CPUs in the DT, minihyp supports at most %u",
			    count, MINIHYP_MAX_CPUS);
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const char *type = prop_str(fdt, node, "device_type");
		const fdt32_t *reg;
		uint64_t mpidr;
		int len;

		if (!type || !str_eq(type, "cpu") || !node_enabled(fdt, node))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len != ac * 4)
			return fail(err, HYP_EINVAL, "%s: reg must be %d cells",
				    node_name(fdt, node), ac);
		mpidr = read_cells(reg, ac);
		if (mpidr & ~MPIDR_AFF_MASK)
			return fail(err, HYP_EINVAL, "%s: reg %x is not an MPIDR affinity",
				    node_name(fdt, node), mpidr);
		for (unsigned int i = 0; i < h->nr_cpus; i++)
			if (h->mpidr[i] == mpidr)
				return fail(err, HYP_EINVAL, "%s: MPIDR %x given twice",
					    node_name(fdt, node), mpidr);
		h->mpidr[h->nr_cpus++] = mpidr;
	}
	return 0;
}

static const char *const gicv3_compat[] = {"arm,gic-v3"};
static const char *const gicv2_compat[] = {"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic",
					   "arm,cortex-a7-gic"};

static int find_compatible(const void *fdt, const char *const *compat, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int node = -1;
		while ((node = fdt_node_offset_by_compatible(fdt, node, compat[i])) >= 0)
			if (node_enabled(fdt, node))
				return node;
	}
	return -1;
}

static int parse_gic(const void *fdt, struct minihyp_host *h, int *gic_node, int *icells,
		     struct minihyp_dt_err *err)
{
	struct minihyp_gic *g = &h->gic;
	struct minihyp_range r[MAX_REGS];
	uint32_t v;
	int node, n, ret;

	node = find_compatible(fdt, gicv3_compat, 1);
	g->version = 3;
	if (node < 0) {
		node = find_compatible(fdt, gicv2_compat,
				       sizeof(gicv2_compat) / sizeof(gicv2_compat[0]));
		g->version = 2;
	}
	if (node < 0)
		return fail(err, HYP_ENOENT,
			    "no GIC node (compatible \"arm,gic-v3\" or \"arm,cortex-a15-gic\")");
	/* 3 cells; GICv3 may add a fourth (a PPI partition phandle, ignored). */
	ret = prop_u32(fdt, node, "#interrupt-cells", &v);
	if (ret || v < 3 || v > 4)
		return fail(err, HYP_EINVAL, "%s: #interrupt-cells must be 3 or 4",
			    node_name(fdt, node));
	*icells = (int)v;
	*gic_node = node;
	g->phandle = fdt_get_phandle(fdt, node);
	n = read_reg(fdt, node, -1, r, MAX_REGS, err);
	if (n < 0)
		return n;
	if (g->version == 3) {
		uint32_t nr = 1;
		int len;
		const fdt32_t *stride;

		ret = prop_u32(fdt, node, "#redistributor-regions", &nr);
		if (ret == HYP_EINVAL || (!ret && nr == 0))
			return fail(err, HYP_EINVAL, "%s: bad #redistributor-regions",
				    node_name(fdt, node));
		if (nr > MINIHYP_MAX_REDIST)
			return fail(err, HYP_ERANGE, "%s: %u redistributor regions, at most %u",
				    node_name(fdt, node), nr, MINIHYP_MAX_REDIST);
		if (n < 1 + (int)nr)
			return fail(
			    err, HYP_ENOTSUP,
			    "%s: reg has %d entries, need GICD and %u redistributor region(s)",
			    node_name(fdt, node), n, nr);
		g->nr_redist = nr;
		for (unsigned int i = 0; i < nr; i++)
			g->redist[i] = r[1 + i];
		stride = fdt_getprop(fdt, node, "redistributor-stride", &len);
		if (stride && (len == 4 || len == 8))
			g->redist_stride = read_cells(stride, len / 4);
		else if (stride)
			return fail(err, HYP_EINVAL, "%s: bad redistributor-stride",
				    node_name(fdt, node));
	} else {
		if (n < 4)
			return fail(
			    err, HYP_ENOTSUP,
			    "%s: GICv2 without GICH/GICV (reg has %d entries): no virtualization "
			    "extensions",
			    node_name(fdt, node), n);
		g->cpu = r[1];
		g->hyp = r[2];
		g->vcpu = r[3];
	}
	if (n < 1 || !r[0].size)
		return fail(err, HYP_EINVAL, "%s: no distributor in reg", node_name(fdt, node));
	g->dist = r[0];
	n = read_irqs(fdt, node, node, *icells, &g->maint, 1, err);
	return n < 0 ? n : 0;
}

static int parse_timer(const void *fdt, struct minihyp_host *h, int gic, int icells,
		       struct minihyp_dt_err *err)
{
	static const char *const compat[] = {"arm,armv8-timer", "arm,armv7-timer"};
	int node = find_compatible(fdt, compat, 2);
	int n;

	if (node < 0)
		return fail(err, HYP_ENOENT, "no timer node (compatible \"arm,armv8-timer\")");
	n = read_irqs(fdt, node, gic, icells, h->timer, MINIHYP_TIMER_NR, err);
	if (n < 0)
		return n;
	if (n < 4 || n > MINIHYP_TIMER_NR)
		return fail(err, HYP_EINVAL, "%s: %d interrupts, expected 4 or 5",
			    node_name(fdt, node), n);
	for (int i = 0; i < n; i++)
		if (h->timer[i].intid < GIC_PPI_BASE || h->timer[i].intid >= GIC_SPI_BASE)
			return fail(err, HYP_EINVAL, "%s: interrupt %d is not a PPI",
				    node_name(fdt, node), i);
	h->nr_timer = (unsigned int)n;
	return 0;
}

static int parse_uart(const void *fdt, struct minihyp_host *h, int gic, int icells,
		      struct minihyp_dt_err *err)
{
	static const char *const compat[] = {"arm,pl011"};
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path = chosen >= 0 ? prop_str(fdt, chosen, "stdout-path") : NULL;
	int node = -1, n;

	if (path) {
		int len = 0;
		while (path[len] && path[len] != ':')
			len++;
		node = fdt_path_offset_namelen(fdt, path, len);
		if (node >= 0 &&
		    (fdt_node_check_compatible(fdt, node, "arm,pl011") || !node_enabled(fdt, node)))
			node = -1;
	}
	if (node < 0)
		node = find_compatible(fdt, compat, 1);
	if (node < 0)
		return 0;
	n = read_reg(fdt, node, -1, &h->uart, 1, err);
	if (n < 0)
		return n;
	if (n < 1 || !h->uart.size)
		return fail(err, HYP_EINVAL, "%s: no reg", node_name(fdt, node));
	n = read_irqs(fdt, node, gic, icells, &h->uart_irq, 1, err);
	if (n < 0)
		return n;
	h->uart_clock_hz = DEFAULT_UART_CLOCK;
	{
		const fdt32_t *c = fdt_getprop(fdt, node, "clocks", &n);
		int cn = c && n >= 4 ? fdt_node_offset_by_phandle(fdt, fdt32_ld(c)) : -1;
		uint32_t hz;

		if (cn >= 0 && !fdt_node_check_compatible(fdt, cn, "fixed-clock") &&
		    !prop_u32(fdt, cn, "clock-frequency", &hz) && hz)
			h->uart_clock_hz = hz;
	}
	h->has_uart = true;
	return 0;
}

static int parse_psci(const void *fdt, struct minihyp_host *h, struct minihyp_dt_err *err)
{
	static const char *const compat[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};
	int node = find_compatible(fdt, compat, 3);
	const char *m;

	if (node < 0)
		return 0;
	m = prop_str(fdt, node, "method");
	if (m && str_eq(m, "smc"))
		h->psci = MINIHYP_PSCI_SMC;
	else if (m && str_eq(m, "hvc"))
		h->psci = MINIHYP_PSCI_HVC;
	else
		return fail(err, HYP_EINVAL, "%s: method is neither \"smc\" nor \"hvc\"",
			    node_name(fdt, node));
	return 0;
}

static bool in_ram(const struct minihyp_host *h, struct minihyp_range r)
{
	for (unsigned int i = 0; i < h->nr_mem; i++)
		if (range_inside(r, h->mem[i]))
			return true;
	return false;
}

static int parse_chosen(const void *fdt, struct minihyp_host *h, struct minihyp_dt_err *err)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	struct minihyp_cmdline *c = &h->cmdline;
	const char *args;
	int len, ret;

	args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;
	if (args) {
		if (len < 1 || args[len - 1])
			return fail(err, HYP_EINVAL, "chosen/bootargs is not a string");
		if (len > MINIHYP_CMDLINE_MAX)
			return fail(err, HYP_ERANGE, "chosen/bootargs: longer than %u characters",
				    MINIHYP_CMDLINE_MAX - 1);
		__builtin_memcpy(h->bootargs, args, (size_t)len);
	}
	ret = minihyp_cmdline_parse(h->bootargs, c, err);
	if (ret)
		return ret;
	if (c->has_guest && !in_ram(h, c->guest))
		return fail(err, HYP_EINVAL, "minihyp.guest=%x,%x is not inside RAM", c->guest.base,
			    c->guest.size);
	if (c->has_mem && !in_ram(h, c->mem))
		return fail(err, HYP_EINVAL, "minihyp.mem=%x,%x is not inside one RAM range",
			    c->mem.base, c->mem.size);
	if (c->has_initrd && !in_ram(h, c->initrd))
		return fail(err, HYP_EINVAL, "minihyp.initrd=%x,%x is not inside RAM",
			    c->initrd.base, c->initrd.size);
	if (c->has_mem && c->has_guest && !range_inside(c->guest, c->mem))
		return fail(err, HYP_EINVAL, "minihyp.guest=%x,%x is not inside minihyp.mem",
			    c->guest.base, c->guest.size);
	for (unsigned int i = 0; i < c->nr_passthrough; i++)
		for (unsigned int j = 0; j < h->nr_mem; j++)
			if (range_overlap(c->passthrough[i], h->mem[j]))
				return fail(err, HYP_EINVAL,
					    "minihyp.passthrough %x,%x overlaps RAM",
					    c->passthrough[i].base, c->passthrough[i].size);
	if (c->nr_vcpus > h->nr_cpus)
		return fail(err, HYP_EINVAL, "minihyp.vcpus=%u but the host has %u CPU(s)",
			    c->nr_vcpus, h->nr_cpus);
	return 0;
}

static int check_blob(const void *fdt, size_t max_size, struct minihyp_dt_err *err)
{
	int ret;

	if (!fdt)
		return fail(err, HYP_EFAULT, "no device tree (NULL)");
	if (max_size < sizeof(struct fdt_header))
		return fail(err, HYP_EFAULT, "device tree truncated: %x bytes", (uint64_t)max_size);
	ret = fdt_check_header(fdt);
	if (ret)
		return fail(err, HYP_EFAULT, "no valid device tree at %x: %s",
			    (uint64_t)(uintptr_t)fdt, fdt_strerror(ret));
	if (fdt_totalsize(fdt) > max_size)
		return fail(err, HYP_EFAULT,
			    "device tree truncated: totalsize %x, %x bytes available",
			    (uint64_t)fdt_totalsize(fdt), (uint64_t)max_size);
	ret = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (ret)
		return fail(err, HYP_EFAULT, "malformed device tree: %s", fdt_strerror(ret));
	return 0;
}

int minihyp_dt_parse(const void *fdt, size_t max_size, struct minihyp_host *host,
		     struct minihyp_dt_err *err)
{
	struct minihyp_host h;
	int ret, gic = -1, icells = 3;

	ret = check_blob(fdt, max_size, err);
	if (ret)
		return ret;
	__builtin_memset(&h, 0, sizeof(h));
	h.dtb_size = fdt_totalsize(fdt);
	ret = parse_memory(fdt, &h, err);
	if (!ret)
		ret = parse_cpus(fdt, &h, err);
	if (!ret)
		ret = parse_gic(fdt, &h, &gic, &icells, err);
	if (!ret)
		ret = parse_timer(fdt, &h, gic, icells, err);
	if (!ret)
		ret = parse_uart(fdt, &h, gic, icells, err);
	if (!ret)
		ret = parse_psci(fdt, &h, err);
	if (!ret)
		ret = parse_chosen(fdt, &h, err);
	if (ret)
		return ret;
	*host = h;
	return 0;
}

/* ---- the guest DT ---- */

int minihyp_guest_dt_defaults(struct minihyp_guest_dt *g, const struct minihyp_host *host,
			      const void *host_fdt, struct minihyp_range self,
			      struct minihyp_dt_err *err)
{
	const struct minihyp_cmdline *c = &host->cmdline;
	struct minihyp_guest_dt d;
	struct minihyp_range img = c->guest, mem;

	if (!c->has_guest)
		return fail(err, HYP_ENOENT,
			    "no guest image: add minihyp.guest=ADDR,SIZE to the command line");
	if (range_overlap(img, self))
		return fail(err, HYP_EINVAL, "guest image %x,%x overlaps minihyp at %x,%x",
			    img.base, img.size, self.base, self.size);
	if (c->has_mem) {
		mem = c->mem;
		if (range_overlap(mem, self))
			return fail(err, HYP_EINVAL, "minihyp.mem=%x,%x overlaps minihyp at %x,%x",
				    mem.base, mem.size, self.base, self.size);
	} else {
		uint64_t lo = 0, hi = 0;

		for (unsigned int i = 0; i < host->nr_mem; i++) {
			if (range_inside(img, host->mem[i])) {
				lo = (host->mem[i].base + SZ_2M - 1) & ~(SZ_2M - 1);
				hi = range_end(host->mem[i]) & ~(SZ_2M - 1);
				break;
			}
		}
		if (self.size && self.base < hi && range_end(self) > lo) {
			if (range_end(self) <= img.base)
				lo = (range_end(self) + SZ_2M - 1) & ~(SZ_2M - 1);
			else
				hi = self.base & ~(SZ_2M - 1);
		}
		if (lo > img.base || hi < range_end(img))
			return fail(
			    err, HYP_EINVAL,
			    "no 2 MiB-aligned guest RAM around the image at %x beside minihyp; "
			    "give minihyp.mem",
			    img.base);
		mem.base = lo;
		mem.size = hi - lo;
	}
	if (mem.size < MINIHYP_GUEST_DTB_MAX ||
	    range_end(mem) - MINIHYP_GUEST_DTB_MAX < range_end(img))
		return fail(err, HYP_EINVAL,
			    "guest RAM %x,%x has no room for its DTB above the image (%x,%x)",
			    mem.base, mem.size, img.base, img.size);

	__builtin_memset(&d, 0, sizeof(d));
	d.mem = mem;
	d.dtb_addr = range_end(mem) - MINIHYP_GUEST_DTB_MAX;
	d.nr_vcpus = c->nr_vcpus ? c->nr_vcpus : host->nr_cpus;
	for (unsigned int i = 0; i < d.nr_vcpus; i++)
		d.mpidr[i] = host->mpidr[i];
	d.gic_version = host->gic.version;
	d.gicd = host->gic.dist;
	if (d.gic_version == 3) {
		d.gicr.base = host->gic.redist[0].base;
		d.gicr.size = d.nr_vcpus * GICR_FRAME_SIZE;
		if (d.gicr.size > host->gic.redist[0].size)
			return fail(err, HYP_EINVAL,
				    "the redistributor region at %x is too small for %u vCPUs",
				    d.gicr.base, d.nr_vcpus);
	} else {
		d.gicc = host->gic.vcpu;
	}
	d.nr_timer = host->nr_timer;
	for (unsigned int i = 0; i < MINIHYP_TIMER_NR; i++)
		d.timer[i] = host->timer[i];
	d.has_uart = host->has_uart;
	d.uart = host->uart;
	d.uart_irq = host->uart_irq;
	d.uart_clock_hz = host->uart_clock_hz;
	d.bootargs = c->has_bootargs ? c->bootargs : NULL;
	if (c->has_initrd) {
		if (!range_inside(c->initrd, mem) ||
		    range_end(c->initrd) > range_end(mem) - MINIHYP_GUEST_DTB_MAX)
			return fail(
			    err, HYP_EINVAL,
			    "minihyp.initrd=%x,%x is not inside guest RAM %x,%x below its DTB",
			    c->initrd.base, c->initrd.size, mem.base, mem.size);
		if (range_overlap(c->initrd, img))
			return fail(err, HYP_EINVAL,
				    "minihyp.initrd=%x,%x overlaps the guest image at %x,%x",
				    c->initrd.base, c->initrd.size, img.base, img.size);
		d.initrd = c->initrd;
	}
	d.nr_passthrough = c->nr_passthrough;
	for (unsigned int i = 0; i < c->nr_passthrough; i++)
		d.passthrough[i] = c->passthrough[i];
	d.host_fdt = host_fdt;
	*g = d;
	return 0;
}

/* Sequential-write helpers: the first libfdt error sticks in w->ret. */
struct writer {
	void *fdt;
	int ret;
};

static void w_check(struct writer *w, int ret)
{
	if (!w->ret && ret < 0)
		w->ret = ret;
}

static void w_begin(struct writer *w, const char *name)
{
	if (!w->ret)
		w_check(w, fdt_begin_node(w->fdt, name));
}

static void w_end(struct writer *w)
{
	if (!w->ret)
		w_check(w, fdt_end_node(w->fdt));
}

static void w_prop(struct writer *w, const char *name, const void *val, size_t len)
{
	if (!w->ret)
		w_check(w, fdt_property(w->fdt, name, val, (int)len));
}

static void w_str(struct writer *w, const char *name, const char *s)
{
	w_prop(w, name, s, str_len(s) + 1);
}

/* A string list given as "a\0b" plus its size (sizeof of the literal). */
#define W_STRS(w, name, lit) w_prop(w, name, lit, sizeof(lit))

static void w_u32(struct writer *w, const char *name, uint32_t v)
{
	fdt32_t c = cpu_to_fdt32(v);
	w_prop(w, name, &c, sizeof(c));
}

static void w_cells(struct writer *w, const char *name, const uint32_t *v, unsigned int n)
{
	fdt32_t c[4 * MINIHYP_TIMER_NR];
	for (unsigned int i = 0; i < n; i++)
		c[i] = cpu_to_fdt32(v[i]);
	w_prop(w, name, c, n * sizeof(c[0]));
}

/* reg with 2 address and 2 size cells (the guest root's). */
static void w_reg(struct writer *w, const struct minihyp_range *r, unsigned int n)
{
	uint32_t v[4 * MAX_REGS];
	for (unsigned int i = 0; i < n; i++) {
		v[4 * i + 0] = (uint32_t)(r[i].base >> 32);
		v[4 * i + 1] = (uint32_t)r[i].base;
		v[4 * i + 2] = (uint32_t)(r[i].size >> 32);
		v[4 * i + 3] = (uint32_t)r[i].size;
	}
	w_cells(w, "reg", v, 4 * n);
}

static void irq_cells(const struct minihyp_irq *irq, uint32_t flags, uint32_t *c)
{
	bool ppi = irq->intid < GIC_SPI_BASE;
	c[0] = ppi ? GIC_PPI : GIC_SPI;
	c[1] = irq->intid - (ppi ? GIC_PPI_BASE : GIC_SPI_BASE);
	c[2] = flags;
}

/* Properties that hold phandles of nodes the guest DT does not have. */
static bool refers_elsewhere(const char *name)
{
	static const char *const deny[] = {
	    "interrupts-extended",
	    "interrupt-map",
	    "msi-parent",
	    "msi-map",
	    "iommus",
	    "iommu-map",
	    "power-domains",
	    "resets",
	    "dmas",
	    "phys",
	    "gpios",
	    "memory-region",
	    "phy-handle",
	    "nvmem-cells",
	    "interconnects",
	    "mboxes",
	    "cpu",
	    "cpus",
	};
	for (size_t i = 0; i < sizeof(deny) / sizeof(deny[0]); i++)
		if (str_eq(name, deny[i]))
			return true;
	return has_prefix(name, str_len(name), "pinctrl-") || has_suffix(name, "-gpios") ||
	       has_suffix(name, "-gpio");
}

/* Does every phandle in @node's clocks point at a fixed clock of @hz (the UART's)? */
static bool clocks_are_uart_clock(const void *fdt, int node, uint32_t hz)
{
	int len;
	const fdt32_t *c = fdt_getprop(fdt, node, "clocks", &len);

	if (!c || len <= 0 || len % 4)
		return false;
	for (int i = 0; i < len / 4; i++) {
		int cn = fdt_node_offset_by_phandle(fdt, fdt32_ld(c + i));
		uint32_t f, cells;
		if (cn < 0 || fdt_node_check_compatible(fdt, cn, "fixed-clock") ||
		    prop_u32(fdt, cn, "clock-frequency", &f) || f != hz ||
		    prop_u32(fdt, cn, "#clock-cells", &cells) || cells != 0)
			return false;
	}
	return true;
}

/* Can @node of the host DT go into the guest DT? Fills its reg ranges. */
static bool copyable(const struct minihyp_guest_dt *g, const void *fdt, int node, uint32_t gic_ph,
		     int icells, struct minihyp_range *r, int *nr)
{
	int prop, n;

	if (!fdt_get_name(fdt, node, NULL) || fdt_first_subnode(fdt, node) >= 0 ||
	    fdt_getprop(fdt, node, "interrupt-controller", NULL))
		return false;
	n = read_reg(fdt, node, 0, r, MAX_REGS, NULL);
	if (n <= 0)
		return false;
	for (int i = 0; i < n; i++) {
		bool inside = false;
		for (unsigned int j = 0; j < g->nr_passthrough; j++)
			inside |= r[i].size && range_inside(r[i], g->passthrough[j]);
		if (!inside || (g->has_uart && range_overlap(r[i], g->uart)))
			return false;
	}
	fdt_for_each_property_offset(prop, fdt, node)
	{
		const char *name;
		const void *val = fdt_getprop_by_offset(fdt, prop, &name, NULL);
		uint32_t ph;

		if (!val || refers_elsewhere(name))
			return false;
		if (str_eq(name, "interrupt-parent") &&
		    (prop_u32(fdt, node, name, &ph) || ph != gic_ph))
			return false;
		if (str_eq(name, "interrupts") && icells != 3)
			return false;
		if (str_eq(name, "clocks") &&
		    (!g->has_uart || !clocks_are_uart_clock(fdt, node, g->uart_clock_hz)))
			return false;
	}
	*nr = n;
	return true;
}

static void copy_node(struct writer *w, const void *fdt, int node, const struct minihyp_range *r,
		      int nr)
{
	int prop;

	w_begin(w, fdt_get_name(fdt, node, NULL));
	fdt_for_each_property_offset(prop, fdt, node)
	{
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(fdt, prop, &name, &len);

		if (str_eq(name, "phandle") || str_eq(name, "linux,phandle") ||
		    str_eq(name, "interrupt-parent"))
			continue;
		if (str_eq(name, "reg")) {
			w_reg(w, r, (unsigned int)nr);
		} else if (str_eq(name, "clocks")) {
			uint32_t c[MAX_REGS];
			int n = len / 4 < MAX_REGS ? len / 4 : MAX_REGS;
			for (int i = 0; i < n; i++)
				c[i] = GUEST_CLK_PHANDLE;
			w_cells(w, name, c, (unsigned int)n);
		} else {
			w_prop(w, name, val, (size_t)len);
		}
	}
	w_end(w);
}

static int copy_passthrough(struct writer *w, const struct minihyp_guest_dt *g,
			    struct minihyp_dt_err *err)
{
	const void *fdt = g->host_fdt;
	uint32_t gic_ph = 0, icells = 0;
	int node, gic;

	if (fdt_check_header(fdt))
		return fail(err, HYP_EINVAL, "host device tree is not valid");
	/* The root's interrupt-parent is the GIC on every platform minihyp runs on. */
	prop_u32(fdt, 0, "interrupt-parent", &gic_ph);
	gic = gic_ph ? fdt_node_offset_by_phandle(fdt, gic_ph) : -1;
	if (gic >= 0)
		prop_u32(fdt, gic, "#interrupt-cells", &icells);
	fdt_for_each_subnode(node, fdt, 0)
	{
		struct minihyp_range r[MAX_REGS];
		int nr;

		if (copyable(g, fdt, node, gic_ph, (int)icells, r, &nr))
			copy_node(w, fdt, node, r, nr);
	}
	return 0;
}

static int check_guest_cfg(const struct minihyp_guest_dt *g, struct minihyp_dt_err *err)
{
	if (!g->nr_vcpus || g->nr_vcpus > MINIHYP_MAX_CPUS)
		return fail(err, HYP_EINVAL, "guest DT: %u vCPUs, 1 to %u supported", g->nr_vcpus,
			    MINIHYP_MAX_CPUS);
	if (g->gic_version != 2 && g->gic_version != 3)
		return fail(err, HYP_EINVAL, "guest DT: GIC version %u", g->gic_version);
	if (!g->mem.size || range_wraps(g->mem.base, g->mem.size))
		return fail(err, HYP_EINVAL, "guest DT: bad guest RAM %x,%x", g->mem.base,
			    g->mem.size);
	if (!g->gicd.size || (g->gic_version == 3 ? !g->gicr.size : !g->gicc.size))
		return fail(err, HYP_EINVAL, "guest DT: missing GIC frames");
	if (g->nr_timer < 4 || g->nr_timer > MINIHYP_TIMER_NR)
		return fail(err, HYP_EINVAL, "guest DT: %u timer interrupts, need 4 or 5",
			    g->nr_timer);
	for (unsigned int i = 0; i < g->nr_timer; i++)
		if (g->timer[i].intid < GIC_PPI_BASE || g->timer[i].intid >= GIC_SPI_BASE)
			return fail(err, HYP_EINVAL, "guest DT: timer interrupt %u is not a PPI",
				    i);
	if (g->has_uart && (!g->uart.size || g->uart_irq.intid >= GIC_SPI_BASE + GIC_NR_SPI ||
			    (g->uart_irq.intid && g->uart_irq.intid < GIC_PPI_BASE)))
		return fail(err, HYP_EINVAL, "guest DT: bad UART");
	if (g->nr_passthrough > MINIHYP_MAX_PASSTHROUGH)
		return fail(err, HYP_EINVAL, "guest DT: %u passthrough ranges", g->nr_passthrough);
	return 0;
}

int minihyp_guest_dt_build(const struct minihyp_guest_dt *g, void *buf, size_t size,
			   struct minihyp_dt_err *err)
{
	struct writer w = {buf, 0};
	char name[40], uart_name[40];
	uint32_t cells[4 * MINIHYP_TIMER_NR];
	int ret, cpu_ac;

	ret = check_guest_cfg(g, err);
	if (ret)
		return ret;
	ret = fdt_create(buf, size > 0x7fffffff ? 0x7fffffff : (int)size);
	if (ret)
		return fail(err, HYP_ENOMEM, "guest DTB does not fit in %x bytes", (uint64_t)size);
	w_check(&w, fdt_finish_reservemap(buf));
	w_begin(&w, "");
	W_STRS(&w, "compatible", "linux,dummy-virt");
	w_str(&w, "model", "minihyp guest");
	w_u32(&w, "#address-cells", 2);
	w_u32(&w, "#size-cells", 2);
	w_u32(&w, "interrupt-parent", GUEST_GIC_PHANDLE);

	format(uart_name, sizeof(uart_name), "/pl011@%h", g->uart.base);
	w_begin(&w, "chosen");
	if (g->bootargs)
		w_str(&w, "bootargs", g->bootargs);
	if (g->initrd.size) {
		/* 64-bit values, two cells each (Documentation/devicetree/
		 * bindings/chosen.txt: the size is taken from the property). */
		uint32_t c[2] = {(uint32_t)(g->initrd.base >> 32), (uint32_t)g->initrd.base};

		w_cells(&w, "linux,initrd-start", c, 2);
		c[0] = (uint32_t)(range_end(g->initrd) >> 32);
		c[1] = (uint32_t)range_end(g->initrd);
		w_cells(&w, "linux,initrd-end", c, 2);
	}
	if (g->has_uart)
		w_str(&w, "stdout-path", uart_name);
	w_end(&w);

	format(name, sizeof(name), "memory@%h", g->mem.base);
	w_begin(&w, name);
	w_str(&w, "device_type", "memory");
	w_reg(&w, &g->mem, 1);
	w_end(&w);

	/* Aff3 needs a second address cell (arm/cpus.yaml). */
	cpu_ac = 1;
	for (unsigned int i = 0; i < g->nr_vcpus; i++)
		if (g->mpidr[i] >> 32)
			cpu_ac = 2;
	w_begin(&w, "cpus");
	w_u32(&w, "#address-cells", (uint32_t)cpu_ac);
	w_u32(&w, "#size-cells", 0);
	for (unsigned int i = 0; i < g->nr_vcpus; i++) {
		uint32_t reg[2] = {(uint32_t)(g->mpidr[i] >> 32), (uint32_t)g->mpidr[i]};

		format(name, sizeof(name), "cpu@%h", g->mpidr[i]);
		w_begin(&w, name);
		w_str(&w, "device_type", "cpu");
		w_str(&w, "compatible", "arm,armv8");
		w_cells(&w, "reg", reg + 2 - cpu_ac, (unsigned int)cpu_ac);
		w_str(&w, "enable-method", "psci");
		w_end(&w);
	}
	w_end(&w);

	w_begin(&w, "psci");
	W_STRS(&w, "compatible", "arm,psci-1.0\0arm,psci-0.2");
	w_str(&w, "method", "hvc");
	w_end(&w);

	format(name, sizeof(name), "intc@%h", g->gicd.base);
	w_begin(&w, name);
	if (g->gic_version == 3) {
		struct minihyp_range r[2] = {g->gicd, g->gicr};

		w_str(&w, "compatible", "arm,gic-v3");
		w_reg(&w, r, 2);
		w_u32(&w, "#redistributor-regions", 1);
	} else {
		struct minihyp_range r[2] = {g->gicd, g->gicc};

		w_str(&w, "compatible", "arm,cortex-a15-gic");
		w_reg(&w, r, 2);
	}
	w_u32(&w, "#interrupt-cells", 3);
	/* For interrupt-map parsing (the interrupt-controller binding); no children. */
	w_u32(&w, "#address-cells", 0);
	w_prop(&w, "interrupt-controller", NULL, 0);
	w_u32(&w, "phandle", GUEST_GIC_PHANDLE);
	w_end(&w);

	/* GICv2 PPIs name the CPUs they reach in flags[15:8]; GICv3 has no mask. */
	for (unsigned int i = 0; i < g->nr_timer; i++) {
		uint32_t flags = g->timer[i].flags & ~GIC_CPU_MASK;
		if (g->gic_version == 2)
			flags |= ((1u << g->nr_vcpus) - 1) << GIC_CPU_MASK_SHIFT;
		irq_cells(&g->timer[i], flags, cells + 3 * i);
	}
	w_begin(&w, "timer");
	W_STRS(&w, "compatible", "arm,armv8-timer\0arm,armv7-timer");
	w_cells(&w, "interrupts", cells, 3 * g->nr_timer);
	w_prop(&w, "always-on", NULL, 0);
	w_end(&w);

	if (g->has_uart) {
		w_begin(&w, "apb-pclk");
		w_str(&w, "compatible", "fixed-clock");
		w_u32(&w, "#clock-cells", 0);
		w_u32(&w, "clock-frequency", g->uart_clock_hz);
		w_str(&w, "clock-output-names", "clk24mhz");
		w_u32(&w, "phandle", GUEST_CLK_PHANDLE);
		w_end(&w);

		w_begin(&w, uart_name + 1);
		W_STRS(&w, "compatible", "arm,pl011\0arm,primecell");
		w_reg(&w, &g->uart, 1);
		if (g->uart_irq.intid) {
			irq_cells(&g->uart_irq, g->uart_irq.flags, cells);
			w_cells(&w, "interrupts", cells, 3);
		}
		cells[0] = cells[1] = GUEST_CLK_PHANDLE;
		w_cells(&w, "clocks", cells, 2);
		W_STRS(&w, "clock-names", "uartclk\0apb_pclk");
		w_end(&w);
	}

	if (g->host_fdt && g->nr_passthrough && !w.ret) {
		ret = copy_passthrough(&w, g, err);
		if (ret)
			return ret;
	}
	w_end(&w);
	if (!w.ret)
		w_check(&w, fdt_finish(buf));
	if (w.ret == -FDT_ERR_NOSPACE)
		return fail(err, HYP_ENOMEM, "guest DTB does not fit in %x bytes", (uint64_t)size);
	if (w.ret)
		return fail(err, HYP_EINVAL, "building the guest DTB: %s", fdt_strerror(w.ret));
	return (int)fdt_totalsize(buf);
}
