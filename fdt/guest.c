/* SPDX-License-Identifier: MIT */
/* libhyp-fdt, the guest side: struct hyp_fdt_guest -> guest DTB. */
#include "internal.h"

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
	w_prop(w, name, s, hyp_rt_strlen(s) + 1);
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
	fdt32_t c[4 * HYP_FDT_TIMER_NR];
	for (unsigned int i = 0; i < n; i++)
		c[i] = cpu_to_fdt32(v[i]);
	w_prop(w, name, c, n * sizeof(c[0]));
}

/* reg with 2 address and 2 size cells (the guest root's). */
static void w_reg(struct writer *w, const struct hyp_fdt_range *r, unsigned int n)
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

static void irq_cells(const struct hyp_fdt_irq *irq, uint32_t flags, uint32_t *c)
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
	return has_prefix(name, hyp_rt_strlen(name), "pinctrl-") || has_suffix(name, "-gpios") ||
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
		int cn = hyp_fdt__by_phandle(fdt, fdt32_ld(c + i));
		uint32_t f, cells;
		if (cn < 0 || fdt_node_check_compatible(fdt, cn, "fixed-clock") ||
		    hyp_fdt__prop_u32(fdt, cn, "clock-frequency", &f) || f != hz ||
		    hyp_fdt__prop_u32(fdt, cn, "#clock-cells", &cells) || cells != 0)
			return false;
	}
	return true;
}

/* Can node @nd of the host DT go into the guest DT? Fills its reg ranges
 * (the root's @ac address and @sc size cells). */
static bool copyable(const struct hyp_fdt_guest *g, const void *fdt, const struct hyp_fdt__node *nd,
		     int ac, int sc, uint32_t gic_ph, int icells, struct hyp_fdt_range *r, int *nr)
{
	int prop, n, node = nd->off;

	if (nd->has_children || nd->has_intc || !nd->reg)
		return false;
	n = hyp_fdt__decode_reg(fdt, node, nd->reg, nd->reg_len, ac, sc, r, MAX_REGS, NULL);
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
		    (hyp_fdt__prop_u32(fdt, node, name, &ph) || ph != gic_ph))
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

static void copy_node(struct writer *w, const void *fdt, int node, const struct hyp_fdt_range *r,
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

struct copy_ctx {
	struct writer *w;
	const struct hyp_fdt_guest *g;
	int ac, sc, icells;
	uint32_t gic_ph;
};

/* Each leaf child of the root (one scan of the host DT, no lookup per node). */
static bool copy_child(const struct hyp_fdt__node *nd, void *ctx)
{
	struct copy_ctx *c = ctx;
	struct hyp_fdt_range r[MAX_REGS];
	int nr;

	if (nd->depth == 1 &&
	    copyable(c->g, c->g->host_fdt, nd, c->ac, c->sc, c->gic_ph, c->icells, r, &nr))
		copy_node(c->w, c->g->host_fdt, nd->off, r, nr);
	return false;
}

static int copy_passthrough(struct writer *w, const struct hyp_fdt_guest *g,
			    struct hyp_fdt_err *err)
{
	const void *fdt = g->host_fdt;
	struct copy_ctx c = {w, g, 0, 0, 0, 0};
	uint32_t icells = 0;
	int gic;

	if (fdt_check_header(fdt))
		return fail(err, HYP_EINVAL, "host device tree is not valid");
	/* The root's interrupt-parent is the GIC on every platform libhyp-fdt knows. */
	hyp_fdt__prop_u32(fdt, 0, "interrupt-parent", &c.gic_ph);
	gic = c.gic_ph ? hyp_fdt__by_phandle(fdt, c.gic_ph) : -1;
	if (gic >= 0)
		hyp_fdt__prop_u32(fdt, gic, "#interrupt-cells", &icells);
	c.icells = (int)icells;
	/* The root's cells (hyp_fdt__read_reg()'s rule: 1 or 2 each). */
	c.ac = fdt_address_cells(fdt, 0);
	c.sc = fdt_size_cells(fdt, 0);
	if (c.ac < 1 || c.ac > 2 || c.sc < 1 || c.sc > 2)
		return 0;
	hyp_fdt__scan(fdt, copy_child, &c);
	return 0;
}

static int check_guest_cfg(const struct hyp_fdt_guest *g, struct hyp_fdt_err *err)
{
	if (!g->nr_vcpus || g->nr_vcpus > HYP_FDT_MAX_CPUS)
		return fail(err, HYP_EINVAL, "guest DT: %u vCPUs, 1 to %u supported", g->nr_vcpus,
			    HYP_FDT_MAX_CPUS);
	if (g->gic_version != 2 && g->gic_version != 3)
		return fail(err, HYP_EINVAL, "guest DT: GIC version %u", g->gic_version);
	if (!g->mem.size || range_wraps(g->mem.base, g->mem.size))
		return fail(err, HYP_EINVAL, "guest DT: bad guest RAM %#lx,%#lx", g->mem.base,
			    g->mem.size);
	if (!g->gicd.size || (g->gic_version == 3 ? !g->gicr.size : !g->gicc.size))
		return fail(err, HYP_EINVAL, "guest DT: missing GIC frames");
	if (g->nr_timer < 4 || g->nr_timer > HYP_FDT_TIMER_NR)
		return fail(err, HYP_EINVAL, "guest DT: %u timer interrupts, need 4 or 5",
			    g->nr_timer);
	for (unsigned int i = 0; i < g->nr_timer; i++)
		if (g->timer[i].intid < GIC_PPI_BASE || g->timer[i].intid >= GIC_SPI_BASE)
			return fail(err, HYP_EINVAL, "guest DT: timer interrupt %u is not a PPI",
				    i);
	if (g->has_uart && (!g->uart.size || g->uart_irq.intid >= GIC_SPI_BASE + GIC_NR_SPI ||
			    (g->uart_irq.intid && g->uart_irq.intid < GIC_PPI_BASE)))
		return fail(err, HYP_EINVAL, "guest DT: bad UART");
	if (g->nr_passthrough > HYP_FDT_MAX_PASSTHROUGH)
		return fail(err, HYP_EINVAL, "guest DT: %u passthrough ranges", g->nr_passthrough);
	if (g->rng_seed_len && !g->rng_seed)
		return fail(err, HYP_EINVAL, "guest DT: rng-seed of %lu bytes at NULL",
			    (uint64_t)g->rng_seed_len);
	if (g->rng_seed_len > HYP_FDT_MAX_RNG_SEED)
		return fail(err, HYP_EINVAL, "guest DT: rng-seed of %lu bytes, at most %u",
			    (uint64_t)g->rng_seed_len, HYP_FDT_MAX_RNG_SEED);
	return 0;
}

int hyp_fdt_guest_build(const struct hyp_fdt_guest *g, void *buf, size_t size,
			   struct hyp_fdt_err *err)
{
	struct writer w = {buf, 0};
	char name[40], uart_name[40];
	uint32_t cells[4 * HYP_FDT_TIMER_NR];
	int ret, cpu_ac;

	ret = check_guest_cfg(g, err);
	if (ret)
		return ret;
	ret = fdt_create(buf, size > 0x7fffffff ? 0x7fffffff : (int)size);
	if (ret)
		return fail(err, HYP_ENOMEM, "guest DTB does not fit in %#lx bytes", (uint64_t)size);
	w_check(&w, fdt_finish_reservemap(buf));
	w_begin(&w, "");
	W_STRS(&w, "compatible", "linux,dummy-virt");
	w_str(&w, "model", g->model ? g->model : "libhyp guest");
	w_u32(&w, "#address-cells", 2);
	w_u32(&w, "#size-cells", 2);
	w_u32(&w, "interrupt-parent", GUEST_GIC_PHANDLE);

	hyp_rt_snprintf(uart_name, sizeof(uart_name), "/pl011@%lx", g->uart.base);
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
	/* Entropy for the guest (dt-schema's chosen.yaml: rng-seed is a
	 * uint8-array, kaslr-seed a uint64); Linux reads and then wipes both. */
	if (g->rng_seed_len)
		w_prop(&w, "rng-seed", g->rng_seed, g->rng_seed_len);
	if (g->has_kaslr_seed) {
		uint32_t c[2] = {(uint32_t)(g->kaslr_seed >> 32), (uint32_t)g->kaslr_seed};

		w_cells(&w, "kaslr-seed", c, 2);
	}
	if (g->has_uart)
		w_str(&w, "stdout-path", uart_name);
	w_end(&w);

	hyp_rt_snprintf(name, sizeof(name), "memory@%lx", g->mem.base);
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

		hyp_rt_snprintf(name, sizeof(name), "cpu@%lx", g->mpidr[i]);
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

	hyp_rt_snprintf(name, sizeof(name), "intc@%lx", g->gicd.base);
	w_begin(&w, name);
	if (g->gic_version == 3) {
		struct hyp_fdt_range r[2] = {g->gicd, g->gicr};

		w_str(&w, "compatible", "arm,gic-v3");
		w_reg(&w, r, 2);
		w_u32(&w, "#redistributor-regions", 1);
	} else {
		struct hyp_fdt_range r[2] = {g->gicd, g->gicc};

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
		return fail(err, HYP_ENOMEM, "guest DTB does not fit in %#lx bytes", (uint64_t)size);
	if (w.ret)
		return fail(err, HYP_EINVAL, "building the guest DTB: %s", fdt_strerror(w.ret));
	return (int)fdt_totalsize(buf);
}
