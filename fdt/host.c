/* SPDX-License-Identifier: MIT */
/*
 * libhyp-fdt, the host side: host DTB -> struct hyp_fdt_host. Bindings
 * followed: Linux's Documentation/devicetree/bindings for arm/cpus.yaml,
 * interrupt-controller/arm,gic{,-v3}.yaml, timer/arm,arch_timer.yaml,
 * arm/psci.yaml, serial/pl011.yaml; the Devicetree Specification (v0.4) for
 * reg, #address-cells, #size-cells, ranges, chosen and memory.
 */
#include <stdarg.h>

#include "internal.h"

int hyp_fdt_fail(struct hyp_fdt_err *err, int code, const char *f, ...)
{
	if (err) {
		va_list ap;

		err->code = code;
		va_start(ap, f);
		hyp_rt_vsnprintf(err->msg, sizeof(err->msg), f, ap);
		va_end(ap);
		/* One line: a quoted command line or DT string may hold control
		 * characters (a newline would split the console line). */
		for (char *c = err->msg; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	return code;
}

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

int hyp_fdt__prop_u32(const void *fdt, int node, const char *name, uint32_t *v)
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
static int bus_cells(const void *fdt, int bus, int *ac, int *sc, struct hyp_fdt_err *err)
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
int hyp_fdt__read_reg(const void *fdt, int node, int parent, struct hyp_fdt_range *r, int max,
		    struct hyp_fdt_err *err)
{
	int ac, sc, len, ret;

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
	return hyp_fdt__decode_reg(fdt, node, p, len, ac, sc, r, max, err);
}

int hyp_fdt__decode_reg(const void *fdt, int node, const fdt32_t *p, int len, int ac, int sc,
			struct hyp_fdt_range *r, int max, struct hyp_fdt_err *err)
{
	int n;

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
			return fail(err, HYP_ERANGE, "%s: reg range %#lx,%#lx wraps",
				    node_name(fdt, node), r[i].base, r[i].size);
	}
	return n;
}

static int decode_irq(const void *fdt, int node, const fdt32_t *cell, struct hyp_fdt_irq *irq,
		      struct hyp_fdt_err *err)
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

/* The GIC: its node, phandle and #interrupt-cells. */
struct gic_ref {
	int node;
	uint32_t phandle;
	int icells;
};

/*
 * Up to @max interrupts of node @n, which must go to the GIC @gic (its
 * interrupt-parent, own or inherited: the scan's). Returns how many were
 * read.
 */
static int read_irqs(const void *fdt, const struct hyp_fdt__node *n, const struct gic_ref *gic,
		     struct hyp_fdt_irq *irq, int max, struct hyp_fdt_err *err)
{
	int len, nr, node = n->off, icells = gic->icells;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);

	if (!p)
		return 0;
	if (node != gic->node && n->iparent != gic->phandle)
		return fail(err, HYP_EINVAL, "%s: its interrupt parent is not the GIC",
			    node_name(fdt, node));
	if (len % (icells * 4))
		return fail(err, HYP_EINVAL, "%s: interrupts is %d bytes, not a multiple of %d",
			    node_name(fdt, node), len, icells * 4);
	nr = len / (icells * 4);
	for (int i = 0; i < nr && i < max; i++) {
		int ret = decode_irq(fdt, node, p + i * icells, &irq[i], err);
		if (ret)
			return ret;
	}
	return nr;
}

struct mem_scan {
	const void *fdt;
	struct hyp_fdt_host *h;
	struct hyp_fdt_err *err;
	int ret;
};

/* Every enabled node with device_type = "memory", in DT order. */
static bool mem_node(const struct hyp_fdt__node *nd, void *ctx)
{
	struct mem_scan *m = ctx;
	struct hyp_fdt_host *h = m->h;
	struct hyp_fdt_range r[MAX_REGS];
	int n;

	if (!nd->is_memory || !nd->enabled)
		return false;
	n = hyp_fdt__read_reg(m->fdt, nd->off, nd->parent, r, MAX_REGS, m->err);
	if (n < 0) {
		m->ret = n;
		return true;
	}
	for (int i = 0; i < n; i++) {
		if (!r[i].size)
			continue;
		if (h->nr_mem == HYP_FDT_MAX_MEM) {
			m->ret = fail(m->err, HYP_ERANGE, "more than %u memory ranges",
				      HYP_FDT_MAX_MEM);
			return true;
		}
		h->mem[h->nr_mem++] = r[i];
	}
	return false;
}

static int parse_memory(const void *fdt, struct hyp_fdt_host *h, struct hyp_fdt_err *err)
{
	struct mem_scan m = {fdt, h, err, 0};

	if (hyp_fdt__scan(fdt, mem_node, &m) < 0)
		return fail(err, HYP_EINVAL, "device tree: cannot walk its nodes");
	if (m.ret)
		return m.ret;
	if (!h->nr_mem)
		return fail(err, HYP_ENOENT,
			    "no memory node (device_type = \"memory\" with a reg)");
	return 0;
}

struct by_name {
	const char *name;
	size_t len;
	int off;
};

/* fdt_path_offset("/NAME")'s rule: NAME, or NAME@unit if NAME has no '@'. */
static bool match_root_child(const struct hyp_fdt__node *n, void *ctx)
{
	struct by_name *b = ctx;

	if (n->depth != 1 || hyp_rt_memcmp(n->name, b->name, b->len) ||
	    (n->name[b->len] && (n->name[b->len] != '@' || hyp_rt_memchr(b->name, '@', b->len))))
		return false;
	b->off = n->off;
	return true;
}

/* The first child of the root named @name (its offset), or -1. */
static int root_child(const void *fdt, const char *name, size_t len)
{
	struct by_name b = {name, len, -1};

	if (hyp_fdt__scan(fdt, match_root_child, &b) < 0)
		return -1;
	return b.off;
}

static int parse_cpus(const void *fdt, struct hyp_fdt_host *h, struct hyp_fdt_err *err)
{
	int cpus = root_child(fdt, "cpus", 4);
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
	if (count > HYP_FDT_MAX_CPUS)
		return fail(err, HYP_ERANGE, "%d CPUs in the DT, at most %u supported",
			    count, HYP_FDT_MAX_CPUS);
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
			return fail(err, HYP_EINVAL, "%s: reg %#lx is not an MPIDR affinity",
				    node_name(fdt, node), mpidr);
		for (unsigned int i = 0; i < h->nr_cpus; i++)
			if (h->mpidr[i] == mpidr)
				return fail(err, HYP_EINVAL, "%s: MPIDR %#lx given twice",
					    node_name(fdt, node), mpidr);
		h->mpidr[h->nr_cpus++] = mpidr;
	}
	return 0;
}

static const char *const gicv3_compat[] = {"arm,gic-v3"};
static const char *const gicv2_compat[] = {"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic",
					   "arm,cortex-a7-gic"};

struct by_compat {
	const char *const *compat;
	size_t n, best; /* best: index in compat of what was found, n if nothing */
	struct hyp_fdt__node node;
};

static bool match_compat(const struct hyp_fdt__node *nd, void *ctx)
{
	struct by_compat *b = ctx;

	if (!nd->compat || !nd->enabled)
		return false;
	for (size_t i = 0; i < b->best; i++)
		if (hyp_fdt__compat_has(nd, b->compat[i])) {
			b->best = i;
			b->node = *nd;
			break;
		}
	return b->best == 0; /* nothing can beat the first string */
}

/*
 * The first enabled node compatible with @compat[0], else with @compat[1],
 * ... (libfdt's fdt_node_offset_by_compatible() per string, in one scan):
 * its offset (and *@out), or -1.
 */
static int find_compatible(const void *fdt, const char *const *compat, size_t n,
			   struct hyp_fdt__node *out)
{
	struct by_compat b = {compat, n, n, {0}};

	if (hyp_fdt__scan(fdt, match_compat, &b) < 0 || b.best == n)
		return -1;
	if (out)
		*out = b.node;
	return b.node.off;
}

static int parse_gic(const void *fdt, struct hyp_fdt_host *h, struct gic_ref *gic,
		     struct hyp_fdt_err *err)
{
	struct hyp_fdt_gic *g = &h->gic;
	struct hyp_fdt_range r[MAX_REGS];
	struct hyp_fdt__node nd;
	uint32_t v;
	int node, n, ret;

	node = find_compatible(fdt, gicv3_compat, 1, &nd);
	g->version = 3;
	if (node < 0) {
		node = find_compatible(fdt, gicv2_compat,
				       sizeof(gicv2_compat) / sizeof(gicv2_compat[0]), &nd);
		g->version = 2;
	}
	if (node < 0)
		return fail(err, HYP_ENOENT,
			    "no GIC node (compatible \"arm,gic-v3\" or \"arm,cortex-a15-gic\")");
	/* 3 cells; GICv3 may add a fourth (a PPI partition phandle, ignored). */
	ret = hyp_fdt__prop_u32(fdt, node, "#interrupt-cells", &v);
	if (ret || v < 3 || v > 4)
		return fail(err, HYP_EINVAL, "%s: #interrupt-cells must be 3 or 4",
			    node_name(fdt, node));
	gic->icells = (int)v;
	gic->node = node;
	gic->phandle = g->phandle = nd.phandle;
	n = hyp_fdt__read_reg(fdt, node, nd.parent, r, MAX_REGS, err);
	if (n < 0)
		return n;
	if (g->version == 3) {
		uint32_t nr = 1;
		int len;
		const fdt32_t *stride;

		ret = hyp_fdt__prop_u32(fdt, node, "#redistributor-regions", &nr);
		if (ret == HYP_EINVAL || (!ret && nr == 0))
			return fail(err, HYP_EINVAL, "%s: bad #redistributor-regions",
				    node_name(fdt, node));
		if (nr > HYP_FDT_MAX_REDIST)
			return fail(err, HYP_ERANGE, "%s: %u redistributor regions, at most %u",
				    node_name(fdt, node), nr, HYP_FDT_MAX_REDIST);
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
	n = read_irqs(fdt, &nd, gic, &g->maint, 1, err);
	return n < 0 ? n : 0;
}

static int parse_timer(const void *fdt, struct hyp_fdt_host *h, const struct gic_ref *gic,
		       struct hyp_fdt_err *err)
{
	static const char *const compat[] = {"arm,armv8-timer", "arm,armv7-timer"};
	struct hyp_fdt__node nd;
	int node = find_compatible(fdt, compat, 2, &nd);
	int n;

	if (node < 0)
		return fail(err, HYP_ENOENT, "no timer node (compatible \"arm,armv8-timer\")");
	n = read_irqs(fdt, &nd, gic, h->timer, HYP_FDT_TIMER_NR, err);
	if (n < 0)
		return n;
	if (n < 4 || n > HYP_FDT_TIMER_NR)
		return fail(err, HYP_EINVAL, "%s: %d interrupts, expected 4 or 5",
			    node_name(fdt, node), n);
	for (int i = 0; i < n; i++)
		if (h->timer[i].intid < GIC_PPI_BASE || h->timer[i].intid >= GIC_SPI_BASE)
			return fail(err, HYP_EINVAL, "%s: interrupt %d is not a PPI",
				    node_name(fdt, node), i);
	h->nr_timer = (unsigned int)n;
	return 0;
}

static int parse_uart(const void *fdt, struct hyp_fdt_host *h, const struct gic_ref *gic,
		      struct hyp_fdt_err *err)
{
	static const char *const compat[] = {"arm,pl011"};
	int chosen = root_child(fdt, "chosen", 6);
	const char *path = chosen >= 0 ? prop_str(fdt, chosen, "stdout-path") : NULL;
	struct hyp_fdt__node nd;
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
	if (node >= 0 && hyp_fdt__node_at(fdt, node, &nd))
		node = -1;
	if (node < 0)
		node = find_compatible(fdt, compat, 1, &nd);
	if (node < 0)
		return 0;
	n = hyp_fdt__read_reg(fdt, node, nd.parent, &h->uart, 1, err);
	if (n < 0)
		return n;
	if (n < 1 || !h->uart.size)
		return fail(err, HYP_EINVAL, "%s: no reg", node_name(fdt, node));
	n = read_irqs(fdt, &nd, gic, &h->uart_irq, 1, err);
	if (n < 0)
		return n;
	h->uart_clock_hz = DEFAULT_UART_CLOCK;
	{
		const fdt32_t *c = fdt_getprop(fdt, node, "clocks", &n);
		int cn = c && n >= 4 ? hyp_fdt__by_phandle(fdt, fdt32_ld(c)) : -1;
		uint32_t hz;

		if (cn >= 0 && !fdt_node_check_compatible(fdt, cn, "fixed-clock") &&
		    !hyp_fdt__prop_u32(fdt, cn, "clock-frequency", &hz) && hz)
			h->uart_clock_hz = hz;
	}
	h->has_uart = true;
	return 0;
}

static int parse_psci(const void *fdt, struct hyp_fdt_host *h, struct hyp_fdt_err *err)
{
	static const char *const compat[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};
	int node = find_compatible(fdt, compat, 3, NULL);
	const char *m;

	if (node < 0)
		return 0;
	m = prop_str(fdt, node, "method");
	if (m && str_eq(m, "smc"))
		h->psci = HYP_FDT_PSCI_SMC;
	else if (m && str_eq(m, "hvc"))
		h->psci = HYP_FDT_PSCI_HVC;
	else
		return fail(err, HYP_EINVAL, "%s: method is neither \"smc\" nor \"hvc\"",
			    node_name(fdt, node));
	return 0;
}

static int parse_chosen(const void *fdt, struct hyp_fdt_host *h, struct hyp_fdt_err *err)
{
	int chosen = root_child(fdt, "chosen", 6);
	const char *args;
	int len;

	args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;
	if (args) {
		if (len < 1 || args[len - 1])
			return fail(err, HYP_EINVAL, "chosen/bootargs is not a string");
		if (len > HYP_FDT_BOOTARGS_MAX)
			return fail(err, HYP_ERANGE,
					     "chosen/bootargs: longer than %u characters",
					     HYP_FDT_BOOTARGS_MAX - 1);
		hyp_rt_memcpy(h->bootargs, args, (size_t)len);
	}
	return 0;
}

static int check_blob(const void *fdt, size_t max_size, struct hyp_fdt_err *err)
{
	int ret;

	if (!fdt)
		return fail(err, HYP_EFAULT, "no device tree (NULL)");
	if (max_size < sizeof(struct fdt_header))
		return fail(err, HYP_EFAULT, "device tree truncated: %#lx bytes", (uint64_t)max_size);
	ret = fdt_check_header(fdt);
	if (ret)
		return fail(err, HYP_EFAULT, "no valid device tree at %#lx: %s",
			    (uint64_t)(uintptr_t)fdt, fdt_strerror(ret));
	/* Version 17 (what dtc and QEMU write) only: libfdt 1.6.1's
	 * fdt_check_full() dereferences NULL on some version <= 15 blobs, and
	 * nothing here needs the older layouts. */
	if (fdt_version(fdt) < 17)
		return fail(err, HYP_EFAULT, "device tree version %u: 17 needed",
			    (unsigned int)fdt_version(fdt));
	if (fdt_totalsize(fdt) > max_size)
		return fail(err, HYP_EFAULT,
			    "device tree truncated: totalsize %#lx, %#lx bytes available",
			    (uint64_t)fdt_totalsize(fdt), (uint64_t)max_size);
	/* libfdt 1.6.1's fdt_check_full() never returns on some blobs (found
	 * by dt-fuzz, corpus-dt/timeout-check-full-loop): walk the tags first
	 * and refuse a walk that does not move forward or leaves the block. */
	for (int off = 0, next;; off = next) {
		uint32_t tag = fdt_next_tag(fdt, off, &next);

		if (tag == FDT_END)
			break;
		if (next <= off || (uint32_t)next > fdt_size_dt_struct(fdt))
			return fail(err, HYP_EFAULT, "malformed device tree: tag at %#lx",
				    (uint64_t)off);
	}
	ret = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (ret)
		return fail(err, HYP_EFAULT, "malformed device tree: %s", fdt_strerror(ret));
	return 0;
}

int hyp_fdt_host_parse(const void *fdt, size_t max_size, struct hyp_fdt_host *host,
		     struct hyp_fdt_err *err)
{
	struct hyp_fdt_host h;
	struct gic_ref gic = {-1, 0, 3};
	int ret;

	ret = check_blob(fdt, max_size, err);
	if (ret)
		return ret;
	__builtin_memset(&h, 0, sizeof(h));
	h.dtb_size = fdt_totalsize(fdt);
	ret = parse_memory(fdt, &h, err);
	if (!ret)
		ret = parse_cpus(fdt, &h, err);
	if (!ret)
		ret = parse_gic(fdt, &h, &gic, err);
	if (!ret)
		ret = parse_timer(fdt, &h, &gic, err);
	if (!ret)
		ret = parse_uart(fdt, &h, &gic, err);
	if (!ret)
		ret = parse_psci(fdt, &h, err);
	if (!ret)
		ret = parse_chosen(fdt, &h, err);
	if (ret)
		return ret;
	*host = h;
	return 0;
}
