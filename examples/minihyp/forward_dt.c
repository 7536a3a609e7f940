/* SPDX-License-Identifier: MIT */
/*
 * Which interrupts are forwarded (issue 15): those of the devices a VM is
 * given, as the host DT describes them. The PL011 (the console), and every
 * leaf node at the root whose `reg` lies inside one of the VM's
 * passthrough ranges: the nodes hyp_fdt_guest_build() copies into the
 * guest DT, `interrupts` included, so the guest's drivers request the same
 * INTIDs (QEMU virt: the PL011 at SPI 1, the PL031 RTC at SPI 2, the 32
 * virtio-mmio slots at SPIs 16..47, INTIDs 48..79).
 *
 * The GIC binding's interrupt specifier (arm,gic.yaml, arm,gic-v3.yaml):
 * <type number flags>, type 0 an SPI (INTID 32 + number), 1 a PPI;
 * flags [3:0] the trigger: 1 rising edge, 2 falling edge, 4 level high,
 * 8 level low (the GIC takes rising edges and high levels). A PPI cannot be
 * forwarded (it belongs to a CPU): such a device is refused.
 */
#include <libfdt.h>

#include <libhyp/error.h>

#include "minihyp.h"

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_ld(p + i);
	return v;
}

/* Does every `reg` range of @node lie inside one of @g's passthrough ranges? */
static bool reg_inside(const void *fdt, int node, int ac, int sc, const struct hyp_fdt_guest *g)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "reg", &len);
	int step = ac + sc;

	if (!p || len <= 0 || step <= 0 || len % (4 * step))
		return false;
	for (int i = 0; i < len / 4; i += step) {
		uint64_t base = cells(p + i, ac), size = cells(p + i + ac, sc);
		bool in = false;

		for (unsigned int j = 0; j < g->nr_passthrough && !in; j++) {
			const struct hyp_fdt_range *r = &g->passthrough[j];

			in = size && base >= r->base && base - r->base < r->size &&
			     size <= r->size - (base - r->base);
		}
		if (!in)
			return false;
	}
	return true;
}

static int add_specifier(struct mh_vm *vm, const char *what, uint32_t type, uint32_t num,
			 uint32_t flags)
{
	if (type != 0) {
		mh_printf("minihyp: error: %s: interrupt <%u %u %#x> is not an SPI: a private "
			  "interrupt cannot be forwarded\n",
			  what, type, num, flags);
		return HYP_EINVAL;
	}
	/* Rising or falling edge (1, 2): edge; high or low level (4, 8): level. */
	return mh_forward_add(vm, 0, 32 + num, (flags & 0xf) == 1 || (flags & 0xf) == 2, what);
}

int mh_forward_from_dt(struct mh_vm *vm, const void *fdt, const struct hyp_fdt_guest *g,
		       unsigned int uart_intid, uint32_t uart_flags)
{
	int ac, sc, node, ret;

	if (uart_intid) {
		ret =
		    mh_forward_add(vm, 0, uart_intid,
				   (uart_flags & 0xf) == 1 || (uart_flags & 0xf) == 2, "the PL011");
		if (ret)
			return ret;
	}
	if (!fdt || !g->nr_passthrough)
		return 0;
	ac = fdt_address_cells(fdt, 0);
	sc = fdt_size_cells(fdt, 0);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return 0;
	fdt_for_each_subnode(node, fdt, 0)
	{
		const char *what = fdt_get_name(fdt, node, NULL);
		const fdt32_t *p;
		int len;

		/* The nodes the guest DT builder copies: leaves, no
		 * interrupt controllers, not the UART (forwarded above). */
		if (!what || fdt_first_subnode(fdt, node) >= 0 ||
		    fdt_getprop(fdt, node, "interrupt-controller", NULL) ||
		    !reg_inside(fdt, node, ac, sc, g))
			continue;
		if (g->has_uart && !fdt_node_check_compatible(fdt, node, "arm,pl011"))
			continue;
		p = fdt_getprop(fdt, node, "interrupts", &len);
		if (!p || len <= 0)
			continue;
		if (len % 12) {
			mh_printf("minihyp: error: %s: interrupts is %d bytes, not <type number "
				  "flags> triples\n",
				  what, len);
			return HYP_EINVAL;
		}
		for (int i = 0; i < len / 4; i += 3) {
			ret = add_specifier(vm, what, fdt32_ld(p + i), fdt32_ld(p + i + 1),
					    fdt32_ld(p + i + 2));
			if (ret)
				return ret;
		}
	}
	return 0;
}
