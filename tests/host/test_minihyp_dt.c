/* SPDX-License-Identifier: MIT */
/*
 * libhyp-fdt (fdt/) with minihyp's DT policy on it (examples/minihyp/cmdline.c)
 * on the host's libfdt:
 * host DTBs compiled by dtc from tests/host/dts/ and dumped by QEMU, broken
 * blobs, broken properties, the command-line convention, and the guest DTB
 * read back with libfdt and with the parser itself.
 */
#include <criterion/criterion.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp/error.h>

#include "dt.h"

/* What minihyp_dt_parse() gives: the host (libhyp-fdt's struct) and minihyp's
 * command line. */
struct mh_host {
	struct hyp_fdt_host hw;
	struct minihyp_cmdline cmdline;
};

static int dt_parse(const void *fdt, size_t size, struct mh_host *h, struct hyp_fdt_err *err)
{
	return minihyp_dt_parse(fdt, size, &h->hw, &h->cmdline, err);
}

static int defaults(struct hyp_fdt_guest *g, const struct mh_host *h, const void *fdt,
		    struct hyp_fdt_range self, struct hyp_fdt_err *err)
{
	return minihyp_guest_dt_defaults(g, &h->hw, &h->cmdline, fdt, self, err);
}

#define POISON	  0xa5
#define GUEST_BUF 0x10000

static const struct hyp_fdt_range minihyp_self = {0x40200000, 0x200000};

#include "load_dtb.h"

static void parse_ok(const char *name, struct mh_host *h, void **blob)
{
	size_t size;
	void *fdt = load_dtb(name, &size);
	struct hyp_fdt_err err = {0};
	int ret = dt_parse(fdt, size, h, &err);

	cr_assert_eq(ret, 0, "%s: %d (%s)", name, ret, err.msg);
	if (blob)
		*blob = fdt;
	else
		free(fdt);
}

/* The parse fails with @code and a message containing @part, and leaves the output alone. */
static void parse_fails(const void *fdt, size_t size, int code, const char *part)
{
	static struct mh_host h, ref;
	struct hyp_fdt_err err;
	int ret;

	memset(&h, POISON, sizeof(h));
	memset(&ref, POISON, sizeof(ref));
	memset(&err, 0, sizeof(err));
	ret = dt_parse(fdt, size, &h, &err);
	cr_assert_eq(ret, code, "got %d (%s), want %d", ret, err.msg, code);
	cr_assert_eq(err.code, code);
	cr_assert_not_null(strstr(err.msg, part), "message '%s' lacks '%s'", err.msg, part);
	cr_assert_eq(memcmp(&h, &ref, sizeof(h)), 0, "output changed on failure");
	/* err may be NULL */
	cr_assert_eq(dt_parse(fdt, size, &h, NULL), code);
}

static void dtb_fails(const char *name, int code, const char *part)
{
	size_t size;
	void *fdt = load_dtb(name, &size);
	parse_fails(fdt, size, code, part);
	free(fdt);
}

/* ---- host DTs compiled by dtc ---- */

Test(minihyp_dt, virt_gicv3)
{
	static struct mh_host h;
	void *fdt;

	parse_ok("virt-gicv3", &h, &fdt);
	cr_assert_eq(h.hw.dtb_size, fdt_totalsize(fdt));
	cr_assert_eq(h.hw.nr_mem, 1);
	cr_assert_eq(h.hw.mem[0].base, 0x40000000);
	cr_assert_eq(h.hw.mem[0].size, 0x20000000);
	cr_assert_eq(h.hw.nr_cpus, 2);
	cr_assert_eq(h.hw.mpidr[0], 0);
	cr_assert_eq(h.hw.mpidr[1], 1);
	cr_assert_eq(h.hw.gic.version, 3);
	cr_assert_neq(h.hw.gic.phandle, 0);
	cr_assert_eq(h.hw.gic.phandle, fdt_get_phandle(fdt, fdt_path_offset(fdt, "/intc@8000000")));
	cr_assert_eq(h.hw.gic.dist.base, 0x8000000);
	cr_assert_eq(h.hw.gic.dist.size, 0x10000);
	cr_assert_eq(h.hw.gic.nr_redist, 1);
	cr_assert_eq(h.hw.gic.redist[0].base, 0x80a0000);
	cr_assert_eq(h.hw.gic.redist[0].size, 0xf60000);
	cr_assert_eq(h.hw.gic.redist_stride, 0);
	cr_assert_eq(h.hw.gic.cpu.size, 0);
	cr_assert_eq(h.hw.gic.hyp.size, 0);
	cr_assert_eq(h.hw.gic.vcpu.size, 0);
	cr_assert_eq(h.hw.gic.maint.intid, 25);
	cr_assert_eq(h.hw.gic.maint.flags, 4);
	cr_assert_eq(h.hw.nr_timer, 4);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_SEC_PHYS].intid, 29);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_PHYS].intid, 30);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_VIRT].intid, 27);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_HYP].intid, 26);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_HYP_VIRT].intid, 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(h.hw.timer[i].flags, 4);
	cr_assert(h.hw.has_uart);
	cr_assert_eq(h.hw.uart.base, 0x9000000);
	cr_assert_eq(h.hw.uart.size, 0x1000);
	cr_assert_eq(h.hw.uart_irq.intid, 33);
	cr_assert_eq(h.hw.uart_irq.flags, 4);
	cr_assert_eq(h.hw.uart_clock_hz, 24000000);
	cr_assert_eq(h.hw.psci, HYP_FDT_PSCI_SMC);
	cr_assert_str_eq(
	    h.hw.bootargs,
	    "console=ttyAMA0 minihyp.guest=0x48000000,0x10000 minihyp.bootargs=\"console=ttyAMA0 "
	    "earlycon\" minihyp.passthrough=0xa000000,0x1000");
	cr_assert(h.cmdline.has_guest);
	cr_assert_eq(h.cmdline.guest.base, 0x48000000);
	cr_assert_eq(h.cmdline.guest.size, 0x10000);
	cr_assert_not(h.cmdline.has_mem);
	cr_assert_eq(h.cmdline.nr_vcpus, 0);
	cr_assert(h.cmdline.has_bootargs);
	cr_assert_str_eq(h.cmdline.bootargs, "console=ttyAMA0 earlycon");
	cr_assert_eq(h.cmdline.nr_passthrough, 1);
	cr_assert_eq(h.cmdline.passthrough[0].base, 0xa000000);
	cr_assert_eq(h.cmdline.passthrough[0].size, 0x1000);
	free(fdt);
}

Test(minihyp_dt, virt_gicv2_4cpus)
{
	static struct mh_host h;
	static const uint64_t mpidr[] = {0, 1, 0x100, 0x101};

	parse_ok("virt-gicv2", &h, NULL);
	cr_assert_eq(h.hw.nr_mem, 3);
	cr_assert_eq(h.hw.mem[0].base, 0x40000000);
	cr_assert_eq(h.hw.mem[0].size, 0x10000000);
	cr_assert_eq(h.hw.mem[1].base, 0x80000000);
	cr_assert_eq(h.hw.mem[1].size, 0x20000000);
	cr_assert_eq(h.hw.mem[2].base, 0x100000000);
	cr_assert_eq(h.hw.mem[2].size, 0x40000000);
	cr_assert_eq(h.hw.nr_cpus, 4);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(h.hw.mpidr[i], mpidr[i]);
	cr_assert_eq(h.hw.gic.version, 2);
	cr_assert_eq(h.hw.gic.dist.base, 0x8000000);
	cr_assert_eq(h.hw.gic.cpu.base, 0x8010000);
	cr_assert_eq(h.hw.gic.hyp.base, 0x8030000);
	cr_assert_eq(h.hw.gic.vcpu.base, 0x8040000);
	cr_assert_eq(h.hw.gic.vcpu.size, 0x10000);
	cr_assert_eq(h.hw.gic.nr_redist, 0);
	cr_assert_eq(h.hw.gic.maint.intid, 25);
	cr_assert_eq(h.hw.gic.maint.flags, 0xf04);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_PHYS].intid, 30);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_PHYS].flags, 0xf04);
	/* stdout-path "serial0:115200n8" goes through the alias. */
	cr_assert_eq(h.hw.uart.base, 0x9000000);
	cr_assert_eq(h.hw.uart_clock_hz, 7372800);
	cr_assert_eq(h.hw.psci, HYP_FDT_PSCI_HVC);
	cr_assert(h.cmdline.has_guest);
	cr_assert_eq(h.cmdline.guest.size, 2 << 20);
	cr_assert(h.cmdline.has_mem);
	cr_assert_eq(h.cmdline.mem.base, 0x80000000);
	cr_assert_eq(h.cmdline.mem.size, 256 << 20);
	cr_assert_eq(h.cmdline.nr_vcpus, 2);
	cr_assert_not(h.cmdline.has_bootargs);
}

Test(minihyp_dt, eight_cpus_with_aff3)
{
	static struct mh_host h;
	static const uint64_t mpidr[] = {0x100000000, 0x100000001, 0x100000002, 0x100000003,
					 0x100010000, 0x100010001, 0x100010002, 0x100010003};

	parse_ok("cpus-8", &h, NULL);
	cr_assert_eq(h.hw.nr_cpus, MINIHYP_MAX_CPUS);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(h.hw.mpidr[i], mpidr[i], "cpu %d: %lx", i, (unsigned long)h.hw.mpidr[i]);
}

Test(minihyp_dt, two_redistributor_regions_no_psci_no_uart)
{
	static struct mh_host h;

	parse_ok("gicv3-2redist", &h, NULL);
	cr_assert_eq(h.hw.gic.nr_redist, 2);
	cr_assert_eq(h.hw.gic.redist[0].base, 0x80a0000);
	cr_assert_eq(h.hw.gic.redist[0].size, 0x40000);
	cr_assert_eq(h.hw.gic.redist[1].base, 0x8100000);
	cr_assert_eq(h.hw.gic.redist[1].size, 0x80000);
	cr_assert_eq(h.hw.gic.redist_stride, 0x40000);
	cr_assert_eq(h.hw.psci, HYP_FDT_PSCI_NONE);
	cr_assert_not(h.hw.has_uart);
	cr_assert_eq(h.hw.nr_timer, 5);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_HYP_VIRT].intid, 28);
	cr_assert_str_eq(h.hw.bootargs, "");
	cr_assert_not(h.cmdline.has_guest);
}

Test(minihyp_dt, broken_host_dts)
{
	dtb_fails("cpus-9", HYP_ERANGE, "9 CPUs in the DT, at most 8 supported");
	dtb_fails("no-gic", HYP_ENOENT, "no GIC node");
	dtb_fails("no-memory", HYP_ENOENT, "no memory node");
	dtb_fails("no-timer", HYP_ENOENT, "no timer node");
	dtb_fails("bad-cmdline", HYP_EINVAL, "unknown option 'minihyp.pasthrough'");
	dtb_fails("gicv2-novirt", HYP_ENOTSUP, "GICv2 without GICH/GICV");
	dtb_fails("translated-bus", HYP_ENOTSUP, "below soc@8000000, whose ranges translate");
}

/* ---- broken blobs ---- */

Test(minihyp_dt, broken_blobs)
{
	size_t size;
	uint8_t *fdt = load_dtb("virt-gicv3", &size);
	uint8_t *bad = malloc(size + 64);
	uint32_t so = fdt_off_dt_struct(fdt);
	int node = fdt_path_offset(fdt, "/timer");
	int prop = fdt_first_property_offset(fdt, node);
	struct fdt_property *p;

	parse_fails(NULL, size, HYP_EFAULT, "no device tree");
	parse_fails(fdt, 39, HYP_EFAULT, "truncated");
	parse_fails(fdt, size - 1, HYP_EFAULT, "truncated: totalsize");
	parse_fails(fdt, size / 2, HYP_EFAULT, "truncated: totalsize");

	memset(bad, 0, size); /* what an image sees at 0x40000000 without a DTB */
	parse_fails(bad, size, HYP_EFAULT, "no valid device tree at 0x");

	memcpy(bad, fdt, size);
	bad[0] ^= 0xff;
	parse_fails(bad, size, HYP_EFAULT, "FDT_ERR_BADMAGIC");

	memcpy(bad, fdt, size);
	fdt_set_version(bad, 1);
	parse_fails(bad, size, HYP_EFAULT, "FDT_ERR_BADVERSION");

	memcpy(bad, fdt, size);
	fdt_set_off_dt_struct(bad, (uint32_t)size + 16);
	parse_fails(bad, size, HYP_EFAULT, "no valid device tree");

	memcpy(bad, fdt, size); /* a node's BEGIN_NODE tag overwritten */
	*(fdt32_t *)(bad + so + node) = cpu_to_fdt32(0x12345678);
	parse_fails(bad, size, HYP_EFAULT, "malformed device tree");

	memcpy(bad, fdt, size); /* a property name outside the strings block */
	p = (struct fdt_property *)(bad + so + prop);
	p->nameoff = cpu_to_fdt32(0x00ffffff);
	parse_fails(bad, size, HYP_EFAULT, "malformed device tree");

	memcpy(bad, fdt, size); /* a property longer than the blob */
	p->nameoff = ((struct fdt_property *)(fdt + so + prop))->nameoff;
	p->len = cpu_to_fdt32(0x7ffffff0);
	parse_fails(bad, size, HYP_EFAULT, "malformed device tree");

	memcpy(bad, fdt, size); /* the struct block cut short: no FDT_END */
	fdt_set_size_dt_struct(bad, fdt_size_dt_struct(fdt) - 4);
	parse_fails(bad, size, HYP_EFAULT, "device tree");

	free(bad);
	free(fdt);
}

/* Flipped bytes anywhere: an error or a result, never a crash (run under ASan too). */
Test(minihyp_dt, corrupted_bytes_never_crash)
{
	size_t size;
	uint8_t *fdt = load_dtb("virt-gicv3", &size);
	uint8_t *bad = malloc(size);
	static struct mh_host h;
	uint64_t seed = 0x1234567;
	int ok = 0, failed = 0;

	for (int i = 0; i < 4000; i++) {
		struct hyp_fdt_err err = {0};
		int ret;

		memcpy(bad, fdt, size);
		for (int k = 0; k < 1 + i % 3; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			bad[(seed >> 33) % size] ^= (uint8_t)(1u << ((seed >> 20) & 7));
		}
		ret = dt_parse(bad, size, &h, &err);
		if (ret) {
			cr_assert_lt(ret, 0);
			cr_assert_eq(err.code, ret);
			cr_assert_neq(err.msg[0], 0);
			failed++;
		} else {
			/* and the guest DT copies whatever devices the broken DT has */
			static struct hyp_fdt_guest g;
			static char buf[GUEST_BUF];

			ok++;
			if (!defaults(&g, &h, bad, minihyp_self, &err)) {
				g.nr_passthrough = 2;
				g.passthrough[0] = (struct hyp_fdt_range){0, 0x8000000};
				g.passthrough[1] = (struct hyp_fdt_range){0x9000000, 0x2000000};
				ret = hyp_fdt_guest_build(&g, buf, sizeof(buf), &err);
				cr_assert(ret > 0 || ret == HYP_EINVAL, "%d %s", ret, err.msg);
			}
		}
	}
	/* Both outcomes happen: flips in string values are often harmless. */
	cr_assert_gt(failed, 100);
	cr_assert_gt(ok, 100);
	free(bad);
	free(fdt);
}

/* ---- broken properties (libfdt edits of virt-gicv3) ---- */

struct edit {
	const char *path;
	const char *prop;
	const void *val; /* NULL: delete the property */
	int len;
	int code;
	const char *msg;
};

#define CELLS(...) ((const fdt32_t[]){__VA_ARGS__})
#define C(x)	   cpu_to_fdt32(x)
#define E(path, prop, len, code, msg, ...)                                                         \
	{                                                                                          \
		path, prop, CELLS(__VA_ARGS__), len, code, msg                                     \
	}
#define S(path, prop, str, code, msg)                                                              \
	{                                                                                          \
		path, prop, str, sizeof(str), code, msg                                            \
	}

static void apply_edit(void *buf, const struct edit *e)
{
	int node = fdt_path_offset(buf, e->path);
	int ret;

	cr_assert_geq(node, 0, "%s", e->path);
	if (e->val)
		ret = fdt_setprop(buf, node, e->prop, e->val, e->len);
	else
		ret = fdt_delprop(buf, node, e->prop);
	cr_assert_eq(ret, 0, "%s:%s: %s", e->path, e->prop, fdt_strerror(ret));
}

Test(minihyp_dt, broken_properties)
{
	static char longargs[MINIHYP_CMDLINE_MAX + 8];
	const struct edit edits[] = {
	    E("/", "#address-cells", 4, HYP_ENOTSUP, "#address-cells 3", C(3)),
	    E("/cpus", "#address-cells", 4, HYP_ENOTSUP, "/cpus: #address-cells 3", C(3)),
	    E("/cpus/cpu@1", "reg", 8, HYP_EINVAL, "cpu@1: reg must be 1 cells", C(0), C(1)),
	    E("/cpus/cpu@1", "reg", 4, HYP_EINVAL, "cpu@1: reg 0x1000000 is not an MPIDR",
	      C(0x1000000)),
	    E("/cpus/cpu@1", "reg", 4, HYP_EINVAL, "cpu@1: MPIDR 0x0 given twice", C(0)),
	    E("/memory@40000000", "reg", 12, HYP_EINVAL, "reg is 12 bytes, not a multiple of 16",
	      C(0), C(0x40000000), C(0)),
	    E("/memory@40000000", "reg", 16, HYP_ERANGE, "wraps", C(0xffffffff), C(0xfffff000),
	      C(0), C(0x2000)),
	    E("/memory@40000000", "reg", 9 * 16, HYP_ERANGE, "more than 8 memory ranges", C(0),
	      C(0x40000000), C(0), C(0x1000), C(0), C(0x40001000), C(0), C(0x1000), C(0),
	      C(0x40002000), C(0), C(0x1000), C(0), C(0x40003000), C(0), C(0x1000), C(0),
	      C(0x40004000), C(0), C(0x1000), C(0), C(0x40005000), C(0), C(0x1000), C(0),
	      C(0x40006000), C(0), C(0x1000), C(0), C(0x40007000), C(0), C(0x1000), C(0),
	      C(0x40008000), C(0), C(0x1000)),
	    E("/intc@8000000", "#interrupt-cells", 4, HYP_EINVAL, "#interrupt-cells must be 3",
	      C(2)),
	    E("/intc@8000000", "#interrupt-cells", 4, HYP_EINVAL, "#interrupt-cells must be 3",
	      C(0x40000003)),
	    E("/intc@8000000", "#redistributor-regions", 4, HYP_ERANGE,
	      "5 redistributor regions, at most 4", C(5)),
	    E("/intc@8000000", "#redistributor-regions", 4, HYP_EINVAL,
	      "bad #redistributor-regions", C(0)),
	    E("/intc@8000000", "#redistributor-regions", 4, HYP_ENOTSUP,
	      "need GICD and 3 redistributor region(s)", C(3)),
	    E("/intc@8000000", "reg", 16, HYP_ENOTSUP, "reg has 1 entries", C(0), C(0x8000000),
	      C(0), C(0x10000)),
	    E("/intc@8000000", "redistributor-stride", 12, HYP_EINVAL, "bad redistributor-stride",
	      C(0), C(0), C(0)),
	    E("/timer", "interrupts", 36, HYP_EINVAL, "timer: 3 interrupts, expected 4 or 5", C(1),
	      C(13), C(4), C(1), C(14), C(4), C(1), C(11), C(4)),
	    E("/timer", "interrupts", 48, HYP_EINVAL, "timer: interrupt 2 is not a PPI", C(1),
	      C(13), C(4), C(1), C(14), C(4), C(0), C(11), C(4), C(1), C(10), C(4)),
	    E("/timer", "interrupts", 48, HYP_EINVAL, "timer: interrupt <2 11> is neither", C(1),
	      C(13), C(4), C(1), C(14), C(4), C(2), C(11), C(4), C(1), C(10), C(4)),
	    E("/timer", "interrupts", 44, HYP_EINVAL, "not a multiple of 12", C(1), C(13), C(4),
	      C(1), C(14), C(4), C(1), C(11), C(4), C(1), C(10)),
	    E("/timer", "interrupt-parent", 4, HYP_EINVAL, "timer: its interrupt parent is not",
	      C(0x4242)),
	    S("/psci", "method", "svc", HYP_EINVAL, "psci: method is neither"),
	    E("/chosen", "bootargs", 4, HYP_EINVAL, "chosen/bootargs is not a string",
	      C(0x41414141)),
	    S("/chosen", "bootargs", "minihyp.guest=0x80000000,0x1000", HYP_EINVAL,
	      "minihyp.guest=0x80000000,0x1000 is not inside RAM"),
	    S("/chosen", "bootargs", "minihyp.guest=0x5ffff000,0x2000", HYP_EINVAL,
	      "is not inside RAM"),
	    S("/chosen", "bootargs", "minihyp.mem=0x3ff00000,0x200000", HYP_EINVAL,
	      "minihyp.mem=0x3ff00000,0x200000 is not inside one RAM range"),
	    S("/chosen", "bootargs", "minihyp.mem=0x40000000,16M minihyp.guest=0x48000000,4K",
	      HYP_EINVAL, "minihyp.guest=0x48000000,0x1000 is not inside minihyp.mem"),
	    S("/chosen", "bootargs", "minihyp.passthrough=0x3ffff000,0x2000", HYP_EINVAL,
	      "minihyp.passthrough 0x3ffff000,0x2000 overlaps RAM"),
	    S("/chosen", "bootargs", "minihyp.vcpus=9", HYP_ERANGE, "at most 8"),
	    {"/chosen", "bootargs", longargs, sizeof(longargs), HYP_ERANGE,
	     "chosen/bootargs: longer than 1023"},
	    {"/intc@8000000", "compatible", NULL, 0, HYP_ENOENT, "no GIC node"},
	    {"/cpus/cpu@0", "device_type", NULL, 0, 0, NULL},
	    {"/timer", "interrupts", NULL, 0, HYP_EINVAL, "timer: 0 interrupts"},
	    {"/pl011@9000000", "reg", NULL, 0, HYP_EINVAL, "pl011@9000000: no reg"},
	    {"/psci", "method", NULL, 0, HYP_EINVAL, "psci: method is neither"},
	};
	size_t size;
	void *fdt = load_dtb("virt-gicv3", &size);
	void *buf = malloc(size + 0x4000);

	memset(longargs, 'x', sizeof(longargs) - 1);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		const struct edit *e = &edits[i];

		cr_assert_eq(fdt_open_into(fdt, buf, (int)size + 0x4000), 0);
		apply_edit(buf, e);
		if (e->code) {
			parse_fails(buf, size + 0x4000, e->code, e->msg);
		} else {
			static struct mh_host h;
			struct hyp_fdt_err err;
			cr_assert_eq(dt_parse(buf, size + 0x4000, &h, &err), 0, "%s",
				     err.msg);
			/* a node without device_type = "cpu" is not a CPU */
			cr_assert_eq(h.hw.nr_cpus, 1);
			cr_assert_eq(h.hw.mpidr[0], 1);
		}
	}
	free(buf);
	free(fdt);
}

/* ---- the command line ---- */

static struct minihyp_cmdline cmdline_ok(const char *s)
{
	static struct minihyp_cmdline c;
	struct hyp_fdt_err err = {0};
	int ret;

	memset(&c, POISON, sizeof(c));
	ret = minihyp_cmdline_parse(s, &c, &err);
	cr_assert_eq(ret, 0, "'%s': %d (%s)", s, ret, err.msg);
	return c;
}

Test(minihyp_dt, cmdline_good)
{
	struct minihyp_cmdline c;
	static struct minihyp_cmdline zero;

	c = cmdline_ok(NULL);
	cr_assert_eq(memcmp(&c, &zero, sizeof(c)), 0);
	c = cmdline_ok("");
	cr_assert_eq(memcmp(&c, &zero, sizeof(c)), 0);
	c = cmdline_ok(" \t\n  root=/dev/vda quiet foo=\"a b=c\" minihyp");
	cr_assert_eq(memcmp(&c, &zero, sizeof(c)), 0);

	c = cmdline_ok("minihyp.guest=0x48000000,64K");
	cr_assert(c.has_guest);
	cr_assert_eq(c.guest.base, 0x48000000);
	cr_assert_eq(c.guest.size, 0x10000);
	cr_assert_not(c.has_mem);
	cr_assert_not(c.has_bootargs);
	cr_assert_eq(c.nr_passthrough, 0);
	cr_assert_eq(c.nr_vcpus, 0);

	c = cmdline_ok("minihyp.guest=1073741824,1 minihyp.mem=0x40000000,1g");
	cr_assert_eq(c.guest.base, 0x40000000);
	cr_assert_eq(c.guest.size, 1); /* an image's size needs no alignment */
	cr_assert_eq(c.mem.size, 1ull << 30);
	c = cmdline_ok("minihyp.mem=0X80000000,2m");
	cr_assert_eq(c.mem.base, 0x80000000);
	cr_assert_eq(c.mem.size, 2 << 20);
	c = cmdline_ok("minihyp.mem=0x100000000,4096");
	cr_assert_eq(c.mem.base, 0x100000000);
	cr_assert_eq(c.mem.size, 4096);

	c = cmdline_ok(
	    "earlycon minihyp.bootargs=\"console=ttyAMA0 root=/dev/vda rw\"\tminihyp.vcpus=3");
	cr_assert(c.has_bootargs);
	cr_assert_str_eq(c.bootargs, "console=ttyAMA0 root=/dev/vda rw");
	cr_assert_eq(c.nr_vcpus, 3);
	c = cmdline_ok("minihyp.bootargs=quiet");
	cr_assert_str_eq(c.bootargs, "quiet");
	c = cmdline_ok("minihyp.bootargs=\"\"");
	cr_assert(c.has_bootargs);
	cr_assert_str_eq(c.bootargs, "");
	c = cmdline_ok("minihyp.bootargs=a=b,c");
	cr_assert_str_eq(c.bootargs, "a=b,c");

	c = cmdline_ok("minihyp.passthrough=0xa000000,0x1000,0xa001000,8K "
		       "minihyp.passthrough=0x9010000,4K");
	cr_assert_eq(c.nr_passthrough, 3);
	cr_assert_eq(c.passthrough[0].base, 0xa000000);
	cr_assert_eq(c.passthrough[0].size, 0x1000);
	cr_assert_eq(c.passthrough[1].base, 0xa001000);
	cr_assert_eq(c.passthrough[1].size, 0x2000);
	cr_assert_eq(c.passthrough[2].base, 0x9010000);
	cr_assert_eq(c.passthrough[2].size, 0x1000);

	c = cmdline_ok("minihyp.vcpus=8");
	cr_assert_eq(c.nr_vcpus, 8);
}

static void cmdline_fails(const char *s, int code, const char *part)
{
	static struct minihyp_cmdline c, ref;
	struct hyp_fdt_err err = {0};
	int ret;

	memset(&c, POISON, sizeof(c));
	memset(&ref, POISON, sizeof(ref));
	ret = minihyp_cmdline_parse(s, &c, &err);
	cr_assert_eq(ret, code, "'%s': got %d (%s), want %d", s, ret, err.msg, code);
	cr_assert_eq(err.code, code);
	cr_assert_not_null(strstr(err.msg, part), "'%s': message '%s' lacks '%s'", s, err.msg,
			   part);
	cr_assert_eq(memcmp(&c, &ref, sizeof(c)), 0, "output changed on failure");
	cr_assert_eq(minihyp_cmdline_parse(s, &c, NULL), code);
}

Test(minihyp_dt, cmdline_bad)
{
	static char s[4096];

	cmdline_fails("minihyp.guest", HYP_EINVAL, "'minihyp.guest' needs a value");
	cmdline_fails("minihyp.guest=", HYP_EINVAL, "expected ADDR,SIZE");
	cmdline_fails("minihyp.guest=0x48000000", HYP_EINVAL, "expected ADDR,SIZE");
	cmdline_fails("minihyp.guest=0x48000000,", HYP_EINVAL, "expected ADDR,SIZE");
	cmdline_fails("minihyp.guest=,0x1000", HYP_EINVAL, "expected ADDR,SIZE");
	cmdline_fails("minihyp.guest=0x,0x1000", HYP_EINVAL, "expected ADDR,SIZE");
	cmdline_fails("minihyp.guest=0x48000000,0x1000x", HYP_EINVAL, "got '0x48000000,0x1000x'");
	cmdline_fails("minihyp.guest=0x48000000,1T", HYP_EINVAL, "expected ADDR,SIZE");
	cmdline_fails("minihyp.guest=-1,1", HYP_EINVAL, "expected ADDR,SIZE");
	cmdline_fails("minihyp.guest=0x48000000,0x1000,0x0,0x1000", HYP_EINVAL,
		      "minihyp.guest: one ADDR,SIZE only");
	cmdline_fails("minihyp.guest=0x48000800,0x1000", HYP_EINVAL,
		      "range 0x48000800,0x1000 is not 4 KiB-aligned");
	cmdline_fails("minihyp.guest=0x48000000,0", HYP_EINVAL, "empty range at 0x48000000");
	cmdline_fails("minihyp.guest=0xfffffffffffff000,0x2000", HYP_ERANGE, "wraps");
	cmdline_fails("minihyp.guest=0x10000000000000000,1", HYP_ERANGE, "number too large");
	cmdline_fails("minihyp.guest=99999999999999999999,1", HYP_ERANGE, "number too large");
	cmdline_fails("minihyp.guest=0x1000,17179869184G", HYP_ERANGE, "number too large");
	cmdline_fails("minihyp.guest=0x1000,1 minihyp.guest=0x1000,1", HYP_EINVAL,
		      "minihyp.guest given twice");
	cmdline_fails("minihyp.guest=\"0x1000,1\"x", HYP_EINVAL, "text after the closing quote");
	cmdline_fails("minihyp.mem=0x40000000,0x1001", HYP_EINVAL,
		      "minihyp.mem: size 0x1001 is not 4 KiB-aligned");
	cmdline_fails("minihyp.mem=1,2 minihyp.mem=3,4", HYP_EINVAL, "not 4 KiB-aligned");
	cmdline_fails("minihyp.mem=0x1000,4K minihyp.mem=0x2000,4K", HYP_EINVAL,
		      "minihyp.mem given twice");
	cmdline_fails("minihyp.passthrough=0xa000000,0x200", HYP_EINVAL,
		      "minihyp.passthrough: range 0xa000000,0x200 is not 4 KiB-aligned");
	cmdline_fails("minihyp.passthrough=0xa000000,0x1000,0xa001000", HYP_EINVAL,
		      "expected ADDR,SIZE");
	cmdline_fails("minihyp.vcpus=0", HYP_EINVAL, "minihyp.vcpus: at least 1");
	cmdline_fails("minihyp.vcpus=9", HYP_ERANGE, "minihyp.vcpus=9: at most 8");
	cmdline_fails("minihyp.vcpus=99999999999999999999999", HYP_ERANGE, "at most 8");
	cmdline_fails("minihyp.vcpus=0x100000000", HYP_ERANGE, "at most 8");
	cmdline_fails("minihyp.vcpus=two", HYP_EINVAL, "expected a number, got 'two'");
	cmdline_fails("minihyp.vcpus=2x", HYP_EINVAL, "expected a number");
	cmdline_fails("minihyp.vcpus=1 minihyp.vcpus=1", HYP_EINVAL, "minihyp.vcpus given twice");
	cmdline_fails("minihyp.bootargs=\"console=ttyAMA0", HYP_EINVAL,
		      "unterminated quote in 'minihyp.bootargs=\"console=ttyAMA0'");
	cmdline_fails("minihyp.bootargs=\"a\"b", HYP_EINVAL, "text after the closing quote");
	cmdline_fails("minihyp.bootargs=a minihyp.bootargs=b", HYP_EINVAL,
		      "minihyp.bootargs given twice");
	cmdline_fails("minihyp.foo=1", HYP_EINVAL, "unknown option 'minihyp.foo'");
	cmdline_fails("quiet minihyp.=1", HYP_EINVAL, "unknown option 'minihyp.'");
	cmdline_fails("minihyp.Guest=0x1000,1", HYP_EINVAL, "unknown option 'minihyp.Guest'");

	/* 17 passthrough ranges, in one token and over two */
	strcpy(s, "minihyp.passthrough=");
	for (int i = 0; i < 17; i++)
		sprintf(s + strlen(s), "%s0x%x,4K", i ? "," : "", 0x10000000 + i * 0x1000);
	cmdline_fails(s, HYP_ERANGE, "minihyp.passthrough: more than 16 ranges");
	s[strlen(s) - strlen(",0x10010000,4K")] = 0;
	cmdline_ok(s);
	strcat(s, " minihyp.passthrough=0x20000000,4K");
	cmdline_fails(s, HYP_ERANGE, "minihyp.passthrough: more than 16 ranges");

	/* a guest command line of MINIHYP_CMDLINE_MAX characters */
	strcpy(s, "minihyp.bootargs=");
	memset(s + strlen(s), 'x', MINIHYP_CMDLINE_MAX);
	s[strlen("minihyp.bootargs=") + MINIHYP_CMDLINE_MAX] = 0;
	cmdline_fails(s, HYP_ERANGE, "minihyp.bootargs: longer than 1023 characters");
	s[strlen(s) - 1] = 0;
	cr_assert_eq(strlen(cmdline_ok(s).bootargs), MINIHYP_CMDLINE_MAX - 1);
}

/* hyp_fdt_err.msg is "one line, no newline": a message that quotes the
 * command line (here the rest of an unterminated quote, with a newline
 * and a DEL) or a DT string shows each control character as '?'. Found by
 * the dt fuzzer (tests/fuzz/corpus-dt/crash-newline-in-message). */
Test(minihyp_dt, error_messages_are_one_line)
{
	struct hyp_fdt_err err = {0};

	cr_assert_eq(minihyp_cmdline_parse("minihyp.bootargs=\"a\nb\x7f c", NULL, &err),
		     HYP_EINVAL);
	cr_assert_str_eq(err.msg, "unterminated quote in 'minihyp.bootargs=\"a?b? c'");
	cr_assert_eq(hyp_fdt_fail(&err, HYP_ENOENT, "x%sy", "\r\n\t\x1f\x01 ok"), HYP_ENOENT);
	cr_assert_str_eq(err.msg, "x????? oky");
}

/* minihyp.eager and minihyp.fastpath: the benchmark table's configurations. */
Test(minihyp_dt, cmdline_config)
{
	struct minihyp_cmdline c;

	c = cmdline_ok("minihyp.guest=0x48000000,64K");
	cr_assert_not(c.eager);
	cr_assert_not(c.no_fast_path);
	c = cmdline_ok("minihyp.eager=1");
	cr_assert(c.eager);
	cr_assert_not(c.no_fast_path);
	c = cmdline_ok("minihyp.eager=0 minihyp.fastpath=0");
	cr_assert_not(c.eager);
	cr_assert(c.no_fast_path);
	c = cmdline_ok("minihyp.fastpath=1");
	cr_assert_not(c.no_fast_path);

	cmdline_fails("minihyp.eager=yes", HYP_EINVAL, "minihyp.eager: expected 0 or 1, got 'yes'");
	cmdline_fails("minihyp.eager=", HYP_EINVAL, "minihyp.eager: expected 0 or 1, got ''");
	cmdline_fails("minihyp.fastpath=10", HYP_EINVAL, "minihyp.fastpath: expected 0 or 1");
	cmdline_fails("minihyp.eager=1 minihyp.eager=1", HYP_EINVAL, "minihyp.eager given twice");
	cmdline_fails("minihyp.fastpath=0 minihyp.fastpath=1", HYP_EINVAL,
		      "minihyp.fastpath given twice");
}

/* minihyp.stats (issue 15): count the fast path's exits too. */
Test(minihyp_dt, cmdline_stats)
{
	struct minihyp_cmdline c;

	c = cmdline_ok("minihyp.guest=0x48000000,64K");
	cr_assert_not(c.stats);
	c = cmdline_ok("minihyp.stats=1 minihyp.eager=0");
	cr_assert(c.stats);
	cr_assert_not(c.eager);
	c = cmdline_ok("minihyp.stats=0");
	cr_assert_not(c.stats);
	cmdline_fails("minihyp.stats=2", HYP_EINVAL, "minihyp.stats: expected 0 or 1, got '2'");
	cmdline_fails("minihyp.stats=1 minihyp.stats=0", HYP_EINVAL, "minihyp.stats given twice");
}

/* minihyp.policy (issue 15 item 6, helper M): the sysreg policies of every
 * VM, one name; with minihyp.eager=1 (every register IMMEDIATE) only
 * immediate agrees. */
Test(minihyp_dt, cmdline_policy)
{
	struct minihyp_cmdline c;

	c = cmdline_ok("minihyp.guest=0x48000000,64K");
	cr_assert_eq(c.policy, MINIHYP_POLICY_DEFAULT);
	cr_assert_eq(MINIHYP_POLICY_DEFAULT, 0);
	cr_assert_eq(cmdline_ok("minihyp.policy=immediate").policy, MINIHYP_POLICY_IMMEDIATE);
	cr_assert_eq(cmdline_ok("minihyp.policy=deferred").policy, MINIHYP_POLICY_DEFERRED);
	cr_assert_eq(cmdline_ok("minihyp.policy=dirty").policy, MINIHYP_POLICY_DIRTY);
	c = cmdline_ok("minihyp.stats=1 minihyp.policy=adaptive minihyp.guest=0x48000000,64K");
	cr_assert_eq(c.policy, MINIHYP_POLICY_ADAPTIVE);
	cr_assert(c.stats);
	cr_assert_eq(c.guest.base, 0x48000000);
	c = cmdline_ok("minihyp.policy=\"deferred\"");
	cr_assert_eq(c.policy, MINIHYP_POLICY_DEFERRED);
	c = cmdline_ok("minihyp.eager=1 minihyp.policy=immediate");
	cr_assert(c.eager);
	cr_assert_eq(c.policy, MINIHYP_POLICY_IMMEDIATE);
	c = cmdline_ok("minihyp.policy=immediate minihyp.eager=0");
	cr_assert_not(c.eager);
	cr_assert_eq(c.policy, MINIHYP_POLICY_IMMEDIATE);

	cmdline_fails(
	    "minihyp.policy=lazy", HYP_EINVAL,
	    "minihyp.policy: expected immediate, deferred, dirty or adaptive, got 'lazy'");
	cmdline_fails("minihyp.policy=", HYP_EINVAL, "got ''");
	cmdline_fails("minihyp.policy=Dirty", HYP_EINVAL, "got 'Dirty'");
	cmdline_fails("minihyp.policy=dirtyx", HYP_EINVAL, "got 'dirtyx'");
	cmdline_fails("minihyp.policy=dirt", HYP_EINVAL, "got 'dirt'");
	cmdline_fails("minihyp.policy", HYP_EINVAL, "'minihyp.policy' needs a value");
	cmdline_fails("minihyp.policy=dirty minihyp.policy=dirty", HYP_EINVAL,
		      "minihyp.policy given twice");
	cmdline_fails("minihyp.policy=dirty minihyp.eager=1", HYP_EINVAL,
		      "minihyp.eager=1 makes every register IMMEDIATE");
	cmdline_fails("minihyp.eager=1 minihyp.policy=adaptive", HYP_EINVAL,
		      "minihyp.eager=1 makes every register IMMEDIATE");
	cmdline_fails("minihyp.vm1.policy=dirty", HYP_EINVAL,
		      "unknown option 'minihyp.vm1.policy'");
}

/* minihyp.initrd: an initramfs for a Linux guest. */
Test(minihyp_dt, cmdline_initrd)
{
	struct minihyp_cmdline c;

	c = cmdline_ok("minihyp.guest=0x48000000,64K");
	cr_assert_not(c.has_initrd);
	c = cmdline_ok("minihyp.initrd=0x4c000000,12345");
	cr_assert(c.has_initrd);
	cr_assert_eq(c.initrd.base, 0x4c000000);
	cr_assert_eq(c.initrd.size, 12345); /* any size, as an image's */
	cmdline_fails("minihyp.initrd=0x4c000000", HYP_EINVAL,
		      "minihyp.initrd: expected ADDR,SIZE");
	cmdline_fails("minihyp.initrd=0x4c000800,0x1000", HYP_EINVAL, "not 4 KiB-aligned");
	cmdline_fails("minihyp.initrd=1M,1 minihyp.initrd=2M,1", HYP_EINVAL,
		      "minihyp.initrd given twice");
}

/* ---- guest DT configuration ---- */

Test(minihyp_dt, guest_defaults_gicv3)
{
	static struct mh_host h;
	static struct hyp_fdt_guest g;
	struct hyp_fdt_err err;
	void *fdt;

	parse_ok("virt-gicv3", &h, &fdt);
	cr_assert_eq(defaults(&g, &h, fdt, minihyp_self, &err), 0, "%s", err.msg);
	/* RAM from the 2 MiB boundary above minihyp to the end of host RAM */
	cr_assert_eq(g.mem.base, 0x40400000);
	cr_assert_eq(g.mem.size, 0x60000000 - 0x40400000);
	cr_assert_eq(g.dtb_addr, 0x60000000 - MINIHYP_GUEST_DTB_MAX);
	cr_assert_eq(g.nr_vcpus, 2);
	cr_assert_eq(g.mpidr[0], 0);
	cr_assert_eq(g.mpidr[1], 1);
	cr_assert_eq(g.gic_version, 3);
	cr_assert_eq(g.gicd.base, 0x8000000);
	cr_assert_eq(g.gicd.size, 0x10000);
	cr_assert_eq(g.gicr.base, 0x80a0000);
	cr_assert_eq(g.gicr.size, 2 * 0x20000);
	cr_assert_eq(g.gicc.size, 0);
	cr_assert_eq(g.nr_timer, 4);
	cr_assert_eq(g.timer[HYP_FDT_TIMER_VIRT].intid, 27);
	cr_assert_eq(g.timer[HYP_FDT_TIMER_PHYS].intid, 30);
	cr_assert(g.has_uart);
	cr_assert_eq(g.uart.base, 0x9000000);
	cr_assert_eq(g.uart_irq.intid, 33);
	cr_assert_eq(g.uart_clock_hz, 24000000);
	cr_assert_eq(g.bootargs, h.cmdline.bootargs);
	cr_assert_eq(g.nr_passthrough, 1);
	cr_assert_eq(g.passthrough[0].base, 0xa000000);
	cr_assert_eq(g.host_fdt, fdt);
	free(fdt);
}

Test(minihyp_dt, guest_defaults_gicv2_and_mem_option)
{
	static struct mh_host h;
	static struct hyp_fdt_guest g;
	struct hyp_fdt_err err;

	parse_ok("virt-gicv2", &h, NULL);
	cr_assert_eq(defaults(&g, &h, NULL, minihyp_self, &err), 0, "%s", err.msg);
	cr_assert_eq(g.mem.base, 0x80000000);
	cr_assert_eq(g.mem.size, 256 << 20);
	cr_assert_eq(g.nr_vcpus, 2); /* minihyp.vcpus=2 */
	cr_assert_eq(g.gic_version, 2);
	cr_assert_eq(g.gicc.base, 0x8040000); /* the GICV frame, IPA = PA */
	cr_assert_eq(g.gicc.size, 0x10000);
	cr_assert_eq(g.gicr.size, 0);
	cr_assert_null(g.bootargs);
	cr_assert_null(g.host_fdt);
}

Test(minihyp_dt, guest_defaults_errors)
{
	static struct mh_host h, h2;
	static struct hyp_fdt_guest g, ref;
	struct hyp_fdt_err err;

	parse_ok("virt-gicv3", &h, NULL);
	memset(&g, POISON, sizeof(g));
	memset(&ref, POISON, sizeof(ref));

	/* minihyp above the guest image: RAM below minihyp */
	h2 = h;
	h2.cmdline.guest.base = 0x40000000;
	cr_assert_eq(defaults(&g, &h2, NULL,
					       (struct hyp_fdt_range){0x48100000, 0x100000}, &err),
		     0, "%s", err.msg);
	cr_assert_eq(g.mem.base, 0x40000000);
	cr_assert_eq(g.mem.size, 0x8000000);
	memset(&g, POISON, sizeof(g));

#define DEFAULTS_FAIL(host, self, c, part)                                                         \
	do {                                                                                       \
		cr_assert_eq(defaults(&g, host, NULL, self, &err), c, "%s",       \
			     err.msg);                                                             \
		cr_assert_eq(err.code, c);                                                         \
		cr_assert_not_null(strstr(err.msg, part), "'%s'", err.msg);                        \
		cr_assert_eq(memcmp(&g, &ref, sizeof(g)), 0);                                      \
	} while (0)

	DEFAULTS_FAIL(&h, ((struct hyp_fdt_range){0x47ff0000, 0x20000}), HYP_EINVAL,
		      "guest image 0x48000000,0x10000 overlaps minihyp at 0x47ff0000,0x20000");
	/* minihyp in the same 2 MiB as the image: no aligned RAM left */
	DEFAULTS_FAIL(&h, ((struct hyp_fdt_range){0x48100000, 0x1000}), HYP_EINVAL,
		      "no 2 MiB-aligned guest RAM around the image at 0x48000000");
	h2 = h;
	h2.cmdline.has_guest = false;
	DEFAULTS_FAIL(&h2, minihyp_self, HYP_ENOENT, "no guest image: add minihyp.guest");
	h2 = h;
	h2.cmdline.has_mem = true;
	h2.cmdline.mem = (struct hyp_fdt_range){0x40000000, 0x10000000};
	DEFAULTS_FAIL(&h2, minihyp_self, HYP_EINVAL,
		      "minihyp.mem=0x40000000,0x10000000 overlaps minihyp");
	h2 = h;
	h2.cmdline.guest = (struct hyp_fdt_range){0x5fff8000, 0x4000};
	DEFAULTS_FAIL(&h2, minihyp_self, HYP_EINVAL, "has no room for its DTB above the image");
	h2 = h;
	h2.hw.gic.redist[0].size = 0x20000;
	DEFAULTS_FAIL(&h2, minihyp_self, HYP_EINVAL,
		      "the redistributor region at 0x80a0000 is too small for 2 vCPUs");
	h2 = h;
	h2.cmdline.has_initrd = true;
	h2.cmdline.initrd = (struct hyp_fdt_range){0x48008000, 0x1000};
	DEFAULTS_FAIL(&h2, minihyp_self, HYP_EINVAL,
		      "minihyp.initrd=0x48008000,0x1000 overlaps the guest image at 0x48000000");
	h2.cmdline.initrd = (struct hyp_fdt_range){0x5fff8000, 0x1000};
	DEFAULTS_FAIL(&h2, minihyp_self, HYP_EINVAL,
		      "minihyp.initrd=0x5fff8000,0x1000 is not inside guest RAM 0x40400000");
	h2.cmdline.initrd = (struct hyp_fdt_range){0x40200000, 0x1000};
	DEFAULTS_FAIL(&h2, minihyp_self, HYP_EINVAL, "is not inside guest RAM");
#undef DEFAULTS_FAIL
}

/* ---- the guest DT, read back ---- */

static const void *getprop(const void *fdt, const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);
	const void *p;

	cr_assert_geq(node, 0, "no node %s", path);
	p = fdt_getprop(fdt, node, name, len);
	cr_assert_not_null(p, "no property %s:%s", path, name);
	return p;
}

static void expect_cells(const void *fdt, const char *path, const char *name, const uint32_t *v,
			 int n)
{
	int len;
	const fdt32_t *p = getprop(fdt, path, name, &len);

	cr_assert_eq(len, n * 4, "%s:%s is %d bytes, want %d", path, name, len, n * 4);
	for (int i = 0; i < n; i++)
		cr_assert_eq(fdt32_to_cpu(p[i]), v[i], "%s:%s[%d] = %x, want %x", path, name, i,
			     fdt32_to_cpu(p[i]), v[i]);
}

#define EXPECT_CELLS(fdt, path, name, ...)                                                         \
	expect_cells(fdt, path, name, (const uint32_t[]){__VA_ARGS__},                             \
		     sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

static void expect_bytes(const void *fdt, const char *path, const char *name, const void *v, int n)
{
	int len;
	const void *p = getprop(fdt, path, name, &len);

	cr_assert_eq(len, n, "%s:%s is %d bytes, want %d", path, name, len, n);
	cr_assert_eq(memcmp(p, v, (size_t)n), 0, "%s:%s differs", path, name);
}

#define EXPECT_STR(fdt, path, name, lit) expect_bytes(fdt, path, name, lit, sizeof(lit))

static void expect_absent(const void *fdt, const char *path, const char *name)
{
	int node = fdt_path_offset(fdt, path);
	if (!name)
		cr_assert_lt(node, 0, "node %s present", path);
	else
		cr_assert_null(fdt_getprop(fdt, node, name, NULL), "%s:%s present", path, name);
}

/* Every node of @fdt, in order, is in @paths (NULL-terminated), and vice versa. */
static void expect_nodes(const void *fdt, const char *const *paths)
{
	int node, depth = 0, n = 0;
	char path[256];

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth), n++) {
		cr_assert_eq(fdt_get_path(fdt, node, path, sizeof(path)), 0);
		cr_assert_not_null(paths[n], "unexpected node %s", path);
		cr_assert_str_eq(path, paths[n]);
	}
	cr_assert_null(paths[n], "missing node %s", paths[n]);
}

static int count_props(const void *fdt, const char *path)
{
	int prop, n = 0;
	fdt_for_each_property_offset(prop, fdt, fdt_path_offset(fdt, path)) n++;
	return n;
}

static int build(const struct hyp_fdt_guest *g, void *buf)
{
	struct hyp_fdt_err err = {0};
	int ret = hyp_fdt_guest_build(g, buf, GUEST_BUF, &err);

	cr_assert_gt(ret, 0, "%d (%s)", ret, err.msg);
	cr_assert_eq((uint32_t)ret, fdt_totalsize(buf));
	cr_assert_eq(fdt_check_full(buf, (size_t)ret), 0);
	return ret;
}

Test(minihyp_dt, guest_dt_gicv3_round_trip)
{
	static struct mh_host h, back;
	static struct hyp_fdt_guest g;
	static const char *const nodes[] = {
	    "/",
	    "/chosen",
	    "/memory@40400000",
	    "/cpus",
	    "/cpus/cpu@0",
	    "/cpus/cpu@1",
	    "/psci",
	    "/intc@8000000",
	    "/timer",
	    "/apb-pclk",
	    "/pl011@9000000",
	    "/virtio_mmio@a000000",
	    "/virtio_mmio@a000200",
	    NULL,
	};
	struct hyp_fdt_err err;
	void *host_fdt, *buf = malloc(GUEST_BUF);
	int size;

	parse_ok("virt-gicv3", &h, &host_fdt);
	cr_assert_eq(defaults(&g, &h, host_fdt, minihyp_self, &err), 0);
	size = build(&g, buf);
	expect_nodes(buf, nodes);

	EXPECT_STR(buf, "/", "compatible", "linux,dummy-virt");
	EXPECT_STR(buf, "/", "model", "minihyp guest");
	EXPECT_CELLS(buf, "/", "#address-cells", 2);
	EXPECT_CELLS(buf, "/", "#size-cells", 2);
	EXPECT_CELLS(buf, "/", "interrupt-parent", 1);
	cr_assert_eq(count_props(buf, "/"), 5);

	EXPECT_STR(buf, "/chosen", "bootargs", "console=ttyAMA0 earlycon");
	EXPECT_STR(buf, "/chosen", "stdout-path", "/pl011@9000000");
	cr_assert_eq(count_props(buf, "/chosen"), 2);

	EXPECT_STR(buf, "/memory@40400000", "device_type", "memory");
	EXPECT_CELLS(buf, "/memory@40400000", "reg", 0, 0x40400000, 0, 0x1fc00000);
	cr_assert_eq(count_props(buf, "/memory@40400000"), 2);

	EXPECT_CELLS(buf, "/cpus", "#address-cells", 1);
	EXPECT_CELLS(buf, "/cpus", "#size-cells", 0);
	for (int i = 0; i < 2; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/cpus/cpu@%d", i);
		EXPECT_STR(buf, path, "device_type", "cpu");
		EXPECT_STR(buf, path, "compatible", "arm,armv8");
		EXPECT_CELLS(buf, path, "reg", (uint32_t)i);
		EXPECT_STR(buf, path, "enable-method", "psci");
		cr_assert_eq(count_props(buf, path), 4);
	}

	EXPECT_STR(buf, "/psci", "compatible", "arm,psci-1.0\0arm,psci-0.2");
	EXPECT_STR(buf, "/psci", "method", "hvc");
	cr_assert_eq(count_props(buf, "/psci"), 2);

	EXPECT_STR(buf, "/intc@8000000", "compatible", "arm,gic-v3");
	EXPECT_CELLS(buf, "/intc@8000000", "reg", 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0,
		     0x40000);
	EXPECT_CELLS(buf, "/intc@8000000", "#redistributor-regions", 1);
	EXPECT_CELLS(buf, "/intc@8000000", "#interrupt-cells", 3);
	expect_bytes(buf, "/intc@8000000", "interrupt-controller", "", 0);
	EXPECT_CELLS(buf, "/intc@8000000", "phandle", 1);
	EXPECT_CELLS(buf, "/intc@8000000", "#address-cells", 0);
	cr_assert_eq(count_props(buf, "/intc@8000000"), 7);

	EXPECT_STR(buf, "/timer", "compatible", "arm,armv8-timer\0arm,armv7-timer");
	EXPECT_CELLS(buf, "/timer", "interrupts", 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4);
	expect_bytes(buf, "/timer", "always-on", "", 0);
	cr_assert_eq(count_props(buf, "/timer"), 3);

	EXPECT_STR(buf, "/apb-pclk", "compatible", "fixed-clock");
	EXPECT_CELLS(buf, "/apb-pclk", "#clock-cells", 0);
	EXPECT_CELLS(buf, "/apb-pclk", "clock-frequency", 24000000);
	EXPECT_STR(buf, "/apb-pclk", "clock-output-names", "clk24mhz");
	EXPECT_CELLS(buf, "/apb-pclk", "phandle", 2);

	EXPECT_STR(buf, "/pl011@9000000", "compatible", "arm,pl011\0arm,primecell");
	EXPECT_CELLS(buf, "/pl011@9000000", "reg", 0, 0x9000000, 0, 0x1000);
	EXPECT_CELLS(buf, "/pl011@9000000", "interrupts", 0, 1, 4);
	EXPECT_CELLS(buf, "/pl011@9000000", "clocks", 2, 2);
	EXPECT_STR(buf, "/pl011@9000000", "clock-names", "uartclk\0apb_pclk");
	cr_assert_eq(count_props(buf, "/pl011@9000000"), 5);

	/* The passed-through page's virtio-mmio nodes, copied; not the ITS user, nor a0001000. */
	EXPECT_STR(buf, "/virtio_mmio@a000200", "compatible", "virtio,mmio");
	EXPECT_CELLS(buf, "/virtio_mmio@a000200", "reg", 0, 0xa000200, 0, 0x200);
	EXPECT_CELLS(buf, "/virtio_mmio@a000200", "interrupts", 0, 17, 1);
	expect_bytes(buf, "/virtio_mmio@a000200", "dma-coherent", "", 0);
	cr_assert_eq(count_props(buf, "/virtio_mmio@a000200"), 4);
	expect_absent(buf, "/msi-user@a000400", NULL);
	expect_absent(buf, "/virtio_mmio@a001000", NULL);

	/* The guest DT is a host DT the parser accepts, and says the same. */
	cr_assert_eq(dt_parse(buf, (size_t)size, &back, &err), 0, "%s", err.msg);
	cr_assert_eq(back.hw.nr_mem, 1);
	cr_assert_eq(back.hw.mem[0].base, g.mem.base);
	cr_assert_eq(back.hw.mem[0].size, g.mem.size);
	cr_assert_eq(back.hw.nr_cpus, 2);
	cr_assert_eq(back.hw.gic.version, 3);
	cr_assert_eq(back.hw.gic.dist.base, 0x8000000);
	cr_assert_eq(back.hw.gic.redist[0].size, 0x40000);
	cr_assert_eq(back.hw.gic.maint.intid, 0);
	cr_assert_eq(back.hw.timer[HYP_FDT_TIMER_VIRT].intid, 27);
	cr_assert_eq(back.hw.timer[HYP_FDT_TIMER_PHYS].intid, 30);
	cr_assert_eq(back.hw.uart.base, 0x9000000);
	cr_assert_eq(back.hw.uart_irq.intid, 33);
	cr_assert_eq(back.hw.psci, HYP_FDT_PSCI_HVC);
	cr_assert_str_eq(back.hw.bootargs, "console=ttyAMA0 earlycon");
	free(buf);
	free(host_fdt);
}

Test(minihyp_dt, guest_dt_gicv2)
{
	static struct mh_host h, back;
	static struct hyp_fdt_guest g;
	static const char *const nodes[] = {
	    "/",	 "/chosen",	   "/memory@80000000",
	    "/cpus",	 "/cpus/cpu@0",	   "/cpus/cpu@1",
	    "/psci",	 "/intc@8000000",  "/timer",
	    "/apb-pclk", "/pl011@9000000", NULL,
	};
	struct hyp_fdt_err err;
	void *buf = malloc(GUEST_BUF);
	int size;

	parse_ok("virt-gicv2", &h, NULL);
	cr_assert_eq(defaults(&g, &h, NULL, minihyp_self, &err), 0);
	size = build(&g, buf);
	expect_nodes(buf, nodes);
	expect_absent(buf, "/chosen", "bootargs");
	EXPECT_STR(buf, "/chosen", "stdout-path", "/pl011@9000000");
	EXPECT_CELLS(buf, "/memory@80000000", "reg", 0, 0x80000000, 0, 0x10000000);
	EXPECT_STR(buf, "/intc@8000000", "compatible", "arm,cortex-a15-gic");
	EXPECT_CELLS(buf, "/intc@8000000", "reg", 0, 0x8000000, 0, 0x10000, 0, 0x8040000, 0,
		     0x10000);
	expect_absent(buf, "/intc@8000000", "#redistributor-regions");
	/* The CPU mask of GICv2 PPIs: the guest's 2 vCPUs, not the host's 4 CPUs. */
	EXPECT_CELLS(buf, "/timer", "interrupts", 1, 13, 0x304, 1, 14, 0x304, 1, 11, 0x304, 1, 10,
		     0x304);
	EXPECT_CELLS(buf, "/apb-pclk", "clock-frequency", 7372800);
	EXPECT_CELLS(buf, "/cpus/cpu@1", "reg", 1);

	/* A guest's GICv2 has no GICH/GICV: not a host minihyp could run on. */
	cr_assert_eq(dt_parse(buf, (size_t)size, &back, &err), HYP_ENOTSUP, "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, "GICv2 without GICH/GICV"));
	free(buf);
}

Test(minihyp_dt, guest_dt_aff3_cpus)
{
	static struct mh_host h;
	static struct hyp_fdt_guest g;
	struct hyp_fdt_err err;
	void *buf = malloc(GUEST_BUF);

	parse_ok("cpus-8", &h, NULL);
	cr_assert_eq(defaults(&g, &h, NULL, minihyp_self, &err), 0, "%s", err.msg);
	cr_assert_eq(g.nr_vcpus, 8);
	build(&g, buf);
	EXPECT_CELLS(buf, "/cpus", "#address-cells", 2);
	EXPECT_CELLS(buf, "/cpus/cpu@100000000", "reg", 1, 0);
	EXPECT_CELLS(buf, "/cpus/cpu@100010003", "reg", 1, 0x10003);
	EXPECT_CELLS(buf, "/intc@8000000", "reg", 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0,
		     0x100000);
	free(buf);
}

Test(minihyp_dt, guest_dt_no_uart_five_timers)
{
	static struct mh_host h;
	static struct hyp_fdt_guest g;
	static const char *const nodes[] = {
	    "/",     "/chosen",	      "/memory@50000000", "/cpus", "/cpus/cpu@0",
	    "/psci", "/intc@8000000", "/timer",		  NULL,
	};
	void *buf = malloc(GUEST_BUF);

	parse_ok("gicv3-2redist", &h, NULL);
	memset(&g, 0, sizeof(g));
	g.mem = (struct hyp_fdt_range){0x50000000, 0x1000000};
	g.nr_vcpus = 1;
	g.gic_version = 3;
	g.gicd = h.hw.gic.dist;
	g.gicr = (struct hyp_fdt_range){h.hw.gic.redist[1].base, 0x20000};
	g.nr_timer = h.hw.nr_timer;
	memcpy(g.timer, h.hw.timer, sizeof(g.timer));
	build(&g, buf);
	expect_nodes(buf, nodes);
	cr_assert_eq(count_props(buf, "/chosen"), 0);
	EXPECT_CELLS(buf, "/intc@8000000", "reg", 0, 0x8000000, 0, 0x10000, 0, 0x8100000, 0,
		     0x20000);
	EXPECT_CELLS(buf, "/timer", "interrupts", 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4, 1, 12, 4);

	/* an initramfs: start inclusive, end exclusive, 64-bit (chosen binding) */
	g.initrd = (struct hyp_fdt_range){0x50800000, 0x12345};
	build(&g, buf);
	cr_assert_eq(count_props(buf, "/chosen"), 2);
	EXPECT_CELLS(buf, "/chosen", "linux,initrd-start", 0, 0x50800000);
	EXPECT_CELLS(buf, "/chosen", "linux,initrd-end", 0, 0x50812345);
	free(buf);
}

Test(minihyp_dt, guest_dt_passthrough_copies)
{
	static struct mh_host h;
	static struct hyp_fdt_guest g;
	struct hyp_fdt_err err;
	void *host_fdt, *buf = malloc(GUEST_BUF);
	int n = 0, node;

	parse_ok("virt-gicv3", &h, &host_fdt);
	cr_assert_eq(defaults(&g, &h, host_fdt, minihyp_self, &err), 0);
	/* the RTC, the GPIO block, the UART page and a0001000 too */
	g.passthrough[1] = (struct hyp_fdt_range){0x9000000, 0x40000};
	g.passthrough[2] = (struct hyp_fdt_range){0xa001000, 0x1000};
	g.nr_passthrough = 3;
	build(&g, buf);
	/* the RTC's clock becomes the guest's apb-pclk */
	EXPECT_CELLS(buf, "/pl031@9010000", "clocks", 2);
	EXPECT_STR(buf, "/pl031@9010000", "clock-names", "apb_pclk");
	EXPECT_CELLS(buf, "/pl031@9010000", "reg", 0, 0x9010000, 0, 0x1000);
	/* phandles are dropped: nothing in the guest DT refers to them */
	EXPECT_STR(buf, "/pl061@9030000", "compatible", "arm,pl061\0arm,primecell");
	expect_bytes(buf, "/pl061@9030000", "gpio-controller", "", 0);
	expect_absent(buf, "/pl061@9030000", "phandle");
	EXPECT_CELLS(buf, "/virtio_mmio@a001000", "interrupts", 0, 24, 1);
	/* one UART only (the builder's), and gpio-keys has a subnode: not copied */
	fdt_for_each_subnode(node, buf, 0) n += !fdt_node_check_compatible(buf, node, "arm,pl011");
	cr_assert_eq(n, 1);
	expect_absent(buf, "/gpio-keys", NULL);
	expect_absent(buf, "/msi-user@a000400", NULL);

	/* without the UART the RTC's clock has nothing to point at: left out */
	g.has_uart = false;
	build(&g, buf);
	expect_absent(buf, "/pl031@9010000", NULL);
	expect_absent(buf, "/pl061@9030000", NULL);
	EXPECT_CELLS(buf, "/virtio_mmio@a000000", "reg", 0, 0xa000000, 0, 0x200);

	/* no host DT: nothing copied */
	g.host_fdt = NULL;
	build(&g, buf);
	expect_absent(buf, "/virtio_mmio@a000000", NULL);
	free(buf);
	free(host_fdt);
}

Test(minihyp_dt, guest_dt_buffer_too_small)
{
	static struct mh_host h;
	static struct hyp_fdt_guest g;
	struct hyp_fdt_err err;
	void *host_fdt, *buf = malloc(GUEST_BUF);
	int need;

	parse_ok("virt-gicv3", &h, &host_fdt);
	cr_assert_eq(defaults(&g, &h, host_fdt, minihyp_self, &err), 0);
	need = build(&g, buf);
	for (int size = 0; size < need; size++) {
		int ret = hyp_fdt_guest_build(&g, buf, (size_t)size, &err);
		cr_assert_eq(ret, HYP_ENOMEM, "size %d: %d (%s)", size, ret, err.msg);
		cr_assert_not_null(strstr(err.msg, "guest DTB does not fit in"));
	}
	cr_assert_eq(hyp_fdt_guest_build(&g, buf, (size_t)need, &err), need);
	free(buf);
	free(host_fdt);
}

Test(minihyp_dt, guest_dt_bad_config)
{
	static struct mh_host h;
	static struct hyp_fdt_guest good, g;
	struct hyp_fdt_err err;
	uint8_t *buf = malloc(GUEST_BUF);

	parse_ok("virt-gicv3", &h, NULL);
	cr_assert_eq(defaults(&good, &h, NULL, minihyp_self, &err), 0);
	memset(buf, POISON, GUEST_BUF);

#define BAD(field_edit, part)                                                                      \
	do {                                                                                       \
		g = good;                                                                          \
		field_edit;                                                                        \
		cr_assert_eq(hyp_fdt_guest_build(&g, buf, GUEST_BUF, &err), HYP_EINVAL);        \
		cr_assert_not_null(strstr(err.msg, part), "'%s'", err.msg);                        \
		for (int i = 0; i < GUEST_BUF; i++)                                                \
			cr_assert_eq(buf[i], POISON);                                              \
	} while (0)

	BAD(g.nr_vcpus = 0, "0 vCPUs, 1 to 8 supported");
	BAD(g.nr_vcpus = 9, "9 vCPUs");
	BAD(g.gic_version = 4, "GIC version 4");
	BAD(g.mem.size = 0, "bad guest RAM");
	BAD(g.mem.base = ~0ull, "bad guest RAM");
	BAD(g.gicr.size = 0, "missing GIC frames");
	BAD(g.gic_version = 2, "missing GIC frames");
	BAD(g.nr_timer = 3, "3 timer interrupts");
	BAD(g.timer[2].intid = 40, "timer interrupt 2 is not a PPI");
	BAD(g.uart_irq.intid = 5, "bad UART");
	BAD(g.uart.size = 0, "bad UART");
	BAD(g.nr_passthrough = 17, "17 passthrough ranges");
#undef BAD
	free(buf);
}

/* ---- QEMU's own DTBs ---- */

#ifdef HAVE_QEMU_DTBS
#define NEED_QEMU()
#else
#define NEED_QEMU() cr_skip_test("QEMU was not found at configure time")
#endif

Test(minihyp_dt, qemu_gicv3)
{
	static struct mh_host h;

	NEED_QEMU();
	parse_ok("qemu-gicv3", &h, NULL);
	cr_assert_eq(h.hw.dtb_size, 0x100000); /* QEMU's blob is 1 MiB */
	cr_assert_eq(h.hw.nr_mem, 1);
	cr_assert_eq(h.hw.mem[0].base, 0x40000000);
	cr_assert_eq(h.hw.mem[0].size, 512 << 20);
	cr_assert_eq(h.hw.nr_cpus, 1);
	cr_assert_eq(h.hw.mpidr[0], 0);
	cr_assert_eq(h.hw.gic.version, 3);
	cr_assert_eq(h.hw.gic.dist.base, 0x8000000);
	cr_assert_eq(h.hw.gic.nr_redist, 1);
	cr_assert_eq(h.hw.gic.redist[0].base, 0x80a0000);
	cr_assert_eq(h.hw.gic.maint.intid, 25);
	cr_assert_eq(h.hw.nr_timer, 4);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_SEC_PHYS].intid, 29);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_PHYS].intid, 30);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_VIRT].intid, 27);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_HYP].intid, 26);
	cr_assert(h.hw.has_uart);
	cr_assert_eq(h.hw.uart.base, 0x9000000);
	cr_assert_eq(h.hw.uart_irq.intid, 33);
	cr_assert_eq(h.hw.uart_clock_hz, 24000000);
	cr_assert_eq(h.hw.psci, HYP_FDT_PSCI_SMC);
	cr_assert_str_eq(h.hw.bootargs, "");
	cr_assert_not(h.cmdline.has_guest);
}

Test(minihyp_dt, qemu_gicv2_smp4)
{
	static struct mh_host h;

	NEED_QEMU();
	parse_ok("qemu-gicv2-smp4", &h, NULL);
	cr_assert_eq(h.hw.nr_cpus, 4);
	for (unsigned int i = 0; i < 4; i++)
		cr_assert_eq(h.hw.mpidr[i], i);
	cr_assert_eq(h.hw.gic.version, 2);
	cr_assert_eq(h.hw.gic.dist.base, 0x08000000);
	cr_assert_eq(h.hw.gic.cpu.base, 0x08010000);
	cr_assert_eq(h.hw.gic.hyp.base, 0x08030000);
	cr_assert_eq(h.hw.gic.vcpu.base, 0x08040000);
	cr_assert_eq(h.hw.gic.maint.intid, 25);
	cr_assert_eq(h.hw.gic.maint.flags, 4); /* QEMU gives the maintenance PPI no CPU mask */
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_VIRT].intid, 27);
	cr_assert_eq(h.hw.timer[HYP_FDT_TIMER_VIRT].flags, 0xf04);
	cr_assert_eq(h.hw.psci, HYP_FDT_PSCI_SMC);
}

/* `-kernel X -append ...` is how minihyp gets its command line. */
Test(minihyp_dt, qemu_append_to_guest_dt)
{
	static struct mh_host h, back;
	static struct hyp_fdt_guest g;
	struct hyp_fdt_err err;
	void *host_fdt, *buf;
	int size, node, virtio = 0;

	NEED_QEMU();
	buf = malloc(GUEST_BUF);
	parse_ok("qemu-gicv3-append", &h, &host_fdt);
	cr_assert_eq(h.hw.nr_cpus, 2);
	cr_assert(h.cmdline.has_guest);
	cr_assert_eq(h.cmdline.guest.base, 0x48000000);
	cr_assert_eq(h.cmdline.guest.size, 0x10000);
	cr_assert_str_eq(h.cmdline.bootargs, "console=ttyAMA0 earlycon");
	cr_assert_eq(h.cmdline.nr_passthrough, 1);
	cr_assert_eq(h.cmdline.passthrough[0].size, 0x4000);

	cr_assert_eq(defaults(&g, &h, host_fdt, minihyp_self, &err), 0, "%s",
		     err.msg);
	size = build(&g, buf);
	/* QEMU's 32 virtio-mmio slots live in 0xa000000..0xa003fff */
	fdt_for_each_subnode(node, buf, 0)
	{
		if (!fdt_node_check_compatible(buf, node, "virtio,mmio")) {
			cr_assert_null(fdt_getprop(buf, node, "phandle", NULL));
			virtio++;
		}
	}
	cr_assert_eq(virtio, 32);
	expect_absent(buf, "/fw-cfg@9020000", NULL);
	expect_absent(buf, "/pcie@10000000", NULL);
	expect_absent(buf, "/flash@0", NULL);
	EXPECT_CELLS(buf, "/virtio_mmio@a003e00", "interrupts", 0, 0x2f, 1);
	EXPECT_CELLS(buf, "/timer", "interrupts", 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4);
	cr_assert_lt(size, 0x2000);

	cr_assert_eq(dt_parse(buf, (size_t)size, &back, &err), 0, "%s", err.msg);
	cr_assert_eq(back.hw.nr_cpus, 2);
	cr_assert_eq(back.hw.psci, HYP_FDT_PSCI_HVC);
	cr_assert_eq(back.hw.mem[0].base, 0x40400000);
	free(buf);
	free(host_fdt);
}

/* Whether the NUL-terminated @needle occurs in @n bytes at @hay. */
static const void *find_bytes(const void *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp((const char *)hay + i, needle, k))
			return (const char *)hay + i;
	return NULL;
}

/*
 * minihyp.token (issue 11, defect 21): the exit-status line's secret. It is
 * minihyp's, never the guest's: the guest DT built from a command line
 * with a token carries the guest's bootargs only.
 */
Test(minihyp_dt, cmdline_token)
{
	static struct mh_host h;
	static struct hyp_fdt_guest g;
	static const char tok[] = "0123456789abcdef0123456789ABCDEF";
	static char line[256];
	struct hyp_fdt_err err;
	struct minihyp_cmdline c;
	void *host_fdt, *buf = malloc(GUEST_BUF);
	int size;

	c = cmdline_ok("minihyp.guest=0x48000000,64K");
	cr_assert_str_eq(c.token, "");
	c = cmdline_ok("minihyp.token=0123456789abcdef0123456789ABCDEF minihyp.bootargs=\"x=1\"");
	cr_assert_str_eq(c.token, tok);
	cr_assert_str_eq(c.bootargs, "x=1");
	cmdline_fails("minihyp.token=", HYP_EINVAL, "minihyp.token: expected 1 to 64 hex digits");
	cmdline_fails("minihyp.token=12g4", HYP_EINVAL,
		      "minihyp.token: expected hex digits, got '12g4'");
	memset(line, 0, sizeof(line));
	strcpy(line, "minihyp.token=");
	memset(line + strlen(line), 'a', 65);
	cmdline_fails(line, HYP_EINVAL, "expected 1 to 64 hex digits");
	cmdline_fails("minihyp.token=1 minihyp.token=2", HYP_EINVAL, "minihyp.token given twice");

	/* the token goes nowhere near the guest */
	parse_ok("virt-gicv3", &h, &host_fdt);
	c = cmdline_ok("minihyp.guest=0x48000000,0x10000 minihyp.token=0123456789abcdef0123456789ABCDEF "
		       "minihyp.bootargs=\"console=ttyAMA0\"");
	h.cmdline = c;
	cr_assert_eq(defaults(&g, &h, host_fdt, minihyp_self, &err), 0, "%s",
		     err.msg);
	size = build(&g, buf);
	cr_assert_gt(size, 0);
	cr_assert_null(find_bytes(buf, (size_t)size, tok), "token in the guest DT");
	cr_assert_null(find_bytes(buf, (size_t)size, "minihyp.token"), "token key in the guest DT");
	EXPECT_STR(buf, "/chosen", "bootargs", "console=ttyAMA0");
	free(buf);
	free(host_fdt);
}

/*
 * Several VMs (issue 15): minihyp.vmN.KEY=VALUE, N = 0..3; the un-prefixed
 * keys are VM 0's; eager, fastpath, token and slice_us are global.
 */
Test(minihyp_dt, cmdline_vms)
{
	struct minihyp_cmdline c;

	c = cmdline_ok("minihyp.guest=0x48000000,64K minihyp.vm1.guest=0x50000000,0x2000 "
		       "minihyp.vm1.mem=0x50000000,64M minihyp.vm1.vcpus=4 "
		       "minihyp.vm1.bootargs=\"n=5 x\" minihyp.vm3.guest=0x54000000,4K "
		       "minihyp.vm3.ram=0x54000000,32M minihyp.vm3.passthrough=0xa000000,0x1000,"
		       "0xa002000,0x1000 minihyp.vm3.initrd=0x55000000,100 minihyp.slice_us=2000");
	cr_assert(c.has_guest);
	cr_assert_eq(c.vm[0].guest.base, 0x48000000); /* the same field */
	cr_assert_eq(&c.vm[0].guest, &c.guest);
	cr_assert_eq(c.vm_keys, (1u << 1) | (1u << 3));
	cr_assert(c.vm[1].has_guest);
	cr_assert_eq(c.vm[1].guest.base, 0x50000000);
	cr_assert_eq(c.vm[1].guest.size, 0x2000);
	cr_assert_eq(c.vm[1].mem.size, 64 << 20);
	cr_assert_eq(c.vm[1].nr_vcpus, 4);
	cr_assert_str_eq(c.vm[1].bootargs, "n=5 x");
	cr_assert_not(c.vm[2].has_guest);
	cr_assert(c.vm[3].has_mem); /* ram: mem's alias */
	cr_assert_eq(c.vm[3].mem.size, 32 << 20);
	cr_assert_eq(c.vm[3].nr_passthrough, 2);
	cr_assert_eq(c.vm[3].passthrough[1].base, 0xa002000);
	cr_assert_eq(c.vm[3].initrd.size, 100);
	cr_assert_eq(c.nr_passthrough, 0);
	cr_assert_not(c.has_bootargs);
	cr_assert_eq(c.slice_us, 2000);

	c = cmdline_ok("minihyp.vm0.guest=0x48000000,64K minihyp.vm0.vcpus=8");
	cr_assert(c.has_guest);
	cr_assert_eq(c.nr_vcpus, 8);
	cr_assert_eq(c.vm_keys, 0); /* VM 0 always exists */
	c = cmdline_ok("minihyp.ram=0x40000000,1G");
	cr_assert(c.has_mem);
	cr_assert_eq(c.slice_us, 0); /* the default */

	cmdline_fails("minihyp.vm4.guest=0x1000,1", HYP_ERANGE,
		      "'minihyp.vm4.guest': at most 4 VMs (minihyp.vm0 to minihyp.vm3)");
	cmdline_fails("minihyp.vm12.guest=0x1000,1", HYP_ERANGE, "at most 4 VMs");
	/* Leading zeros: one digit only (dt-fuzz found "vm0000...0.guest"
	 * overflowing the key's copy). */
	cmdline_fails("minihyp.vm00.guest=0x1000,1", HYP_ERANGE, "at most 4 VMs");
	cmdline_fails("minihyp.vm0000000000000000.guest=0x40000,0x1000", HYP_ERANGE,
		      "at most 4 VMs");
	cmdline_fails("minihyp.vm1.eager=1", HYP_EINVAL, "unknown option 'minihyp.vm1.eager'");
	cmdline_fails("minihyp.vm1.token=12", HYP_EINVAL, "unknown option 'minihyp.vm1.token'");
	cmdline_fails("minihyp.vm2.gust=0x1000,1", HYP_EINVAL, "unknown option 'minihyp.vm2.gust'");
	cmdline_fails("minihyp.vm1=0x1000,1", HYP_EINVAL, "unknown option 'minihyp.vm1'");
	cmdline_fails("minihyp.vmx.guest=0x1000,1", HYP_EINVAL, "unknown option 'minihyp.vmx.guest'");
	cmdline_fails("minihyp.guest=0x1000,1 minihyp.vm0.guest=0x2000,1", HYP_EINVAL,
		      "minihyp.vm0.guest given twice");
	cmdline_fails("minihyp.vm1.guest=0x1000,1 minihyp.vm1.guest=0x2000,1", HYP_EINVAL,
		      "minihyp.vm1.guest given twice");
	cmdline_fails("minihyp.vm1.mem=0x1000,4K minihyp.vm1.ram=0x1000,4K", HYP_EINVAL,
		      "minihyp.vm1.ram given twice");
	cmdline_fails("minihyp.vm1.vcpus=9", HYP_ERANGE, "minihyp.vm1.vcpus=9: at most 8");
	cmdline_fails("minihyp.vm2.mem=0x1000,0x1001", HYP_EINVAL,
		      "minihyp.vm2.mem: size 0x1001 is not 4 KiB-aligned");
	cmdline_fails("minihyp.vm3.guest=0x48000000", HYP_EINVAL,
		      "minihyp.vm3.guest: expected ADDR,SIZE");
	cmdline_fails("minihyp.slice_us=99", HYP_ERANGE,
		      "minihyp.slice_us=99: expected 100 to 10000000 microseconds");
	cmdline_fails("minihyp.slice_us=10000001", HYP_ERANGE, "expected 100 to 10000000");
	cmdline_fails("minihyp.slice_us=99999999999999999999999", HYP_ERANGE, "100 to 10000000");
	cmdline_fails("minihyp.slice_us=1ms", HYP_EINVAL,
		      "minihyp.slice_us: expected a number of microseconds, got '1ms'");
	cmdline_fails("minihyp.slice_us=1000 minihyp.slice_us=1000", HYP_EINVAL,
		      "minihyp.slice_us given twice");
}

/* issue 15: minihyp.wake_grace_us=N, the scheduler's wake-up grace, 0 to
 * 10000000 microseconds (0 is a value: preempt at once); not given, the
 * scheduler's default. Bad input is an error naming the key. */
Test(minihyp_dt, cmdline_wake_grace)
{
	struct minihyp_cmdline c;

	c = cmdline_ok("minihyp.ram=0x40000000,1G");
	cr_assert_not(c.has_wake_grace);
	cr_assert_eq(c.wake_grace_us, 0);
	c = cmdline_ok("minihyp.wake_grace_us=0");
	cr_assert(c.has_wake_grace);
	cr_assert_eq(c.wake_grace_us, 0);
	c = cmdline_ok("minihyp.slice_us=200 minihyp.wake_grace_us=25");
	cr_assert(c.has_wake_grace);
	cr_assert_eq(c.wake_grace_us, 25);
	cr_assert_eq(c.slice_us, 200);
	c = cmdline_ok("minihyp.wake_grace_us=0x64");
	cr_assert_eq(c.wake_grace_us, 100);
	c = cmdline_ok("minihyp.wake_grace_us=10000000");
	cr_assert_eq(c.wake_grace_us, 10000000);

	cmdline_fails("minihyp.wake_grace_us=10000001", HYP_ERANGE,
		      "minihyp.wake_grace_us=10000001: expected 0 to 10000000 microseconds");
	cmdline_fails("minihyp.wake_grace_us=99999999999999999999999", HYP_ERANGE,
		      "expected 0 to 10000000");
	cmdline_fails("minihyp.wake_grace_us=10us", HYP_EINVAL,
		      "minihyp.wake_grace_us: expected a number of microseconds, got '10us'");
	cmdline_fails("minihyp.wake_grace_us=", HYP_EINVAL,
		      "minihyp.wake_grace_us: expected a number of microseconds, got ''");
	cmdline_fails("minihyp.wake_grace_us=-1", HYP_EINVAL, "got '-1'");
	cmdline_fails("minihyp.wake_grace_us=0 minihyp.wake_grace_us=0", HYP_EINVAL,
		      "minihyp.wake_grace_us given twice");
	cmdline_fails("minihyp.vm1.wake_grace_us=5", HYP_EINVAL,
		      "unknown option 'minihyp.vm1.wake_grace_us'");
}

/* Every VM's guest DT, checked against the others. */
Test(minihyp_dt, guest_dts_several_vms)
{
	static struct mh_host h;
	static struct hyp_fdt_guest g[MINIHYP_MAX_VMS], ref[MINIHYP_MAX_VMS];
	struct hyp_fdt_err err;
	unsigned int vms = 0;

#define DTS_FAIL(line, code, part)                                                                 \
	do {                                                                                       \
		h.cmdline = cmdline_ok(line);                                                      \
		memset(g, POISON, sizeof(g));                                                      \
		memset(ref, POISON, sizeof(ref));                                                  \
		cr_assert_eq(minihyp_guest_dts(g, &vms, &h.hw, &h.cmdline, NULL, minihyp_self,     \
					       &err),                                              \
			     code, "%s: %s", line, err.msg);                                       \
		cr_assert_not_null(strstr(err.msg, part), "'%s'", err.msg);                        \
		cr_assert_eq(memcmp(g, ref, sizeof(g)), 0, "output changed on failure");           \
	} while (0)

	parse_ok("virt-gicv3", &h, NULL); /* 2 CPUs, RAM 0x40000000,512M */
	h.cmdline = cmdline_ok("minihyp.guest=0x48000000,64K minihyp.mem=0x48000000,64M "
			       "minihyp.vm2.guest=0x50000000,64K minihyp.vm2.mem=0x50000000,64M "
			       "minihyp.vm2.vcpus=4 minihyp.vm2.passthrough=0xa000000,0x1000 "
			       "minihyp.passthrough=0xa001000,0x1000");
	cr_assert_eq(minihyp_guest_dts(g, &vms, &h.hw, &h.cmdline, NULL, minihyp_self, &err), 0,
		     "%s", err.msg);
	cr_assert_eq(vms, 1u | 1u << 2);
	cr_assert_eq(g[0].mem.base, 0x48000000);
	cr_assert_eq(g[0].dtb_addr, 0x4c000000 - MINIHYP_GUEST_DTB_MAX);
	cr_assert_eq(g[0].nr_vcpus, 2);
	cr_assert_eq(g[0].mpidr[1], 1);
	cr_assert_eq(g[2].mem.base, 0x50000000);
	cr_assert_eq(g[2].dtb_addr, 0x54000000 - MINIHYP_GUEST_DTB_MAX);
	/* more vCPUs than the host's 2 CPUs: scheduled, MPIDR Aff0 = index */
	cr_assert_eq(g[2].nr_vcpus, 4);
	for (unsigned int i = 0; i < 4; i++)
		cr_assert_eq(g[2].mpidr[i], i);
	cr_assert_eq(g[2].gicr.size, 4 * 0x20000);
	cr_assert_eq(g[2].nr_passthrough, 1);
	cr_assert_str_eq(g[2].bootargs ? g[2].bootargs : "(none)", "(none)");

	/* overlapping RAM: VM 1's default RAM is all of host RAM beside minihyp */
	DTS_FAIL("minihyp.guest=0x48000000,64K minihyp.vm1.guest=0x50000000,64K", HYP_EINVAL,
		 "minihyp.vm1: guest RAM 0x40400000,0x1fc00000 overlaps minihyp.vm0's 0x40400000,"
		 "0x1fc00000 (give each VM its own minihyp.vmN.mem)");
	DTS_FAIL("minihyp.guest=0x48000000,64K minihyp.mem=0x48000000,64M "
		 "minihyp.vm1.guest=0x4a000000,64K minihyp.vm1.mem=0x4a000000,64M",
		 HYP_EINVAL, "minihyp.vm1: guest RAM 0x4a000000,0x4000000 overlaps minihyp.vm0's");
	/* a device given to two VMs */
	DTS_FAIL("minihyp.guest=0x48000000,64K minihyp.mem=0x48000000,64M "
		 "minihyp.passthrough=0xa000000,0x4000 minihyp.vm1.guest=0x50000000,64K "
		 "minihyp.vm1.mem=0x50000000,64M minihyp.vm1.passthrough=0xa003000,0x1000",
		 HYP_EINVAL,
		 "minihyp.vm1.passthrough 0xa003000,0x1000 overlaps minihyp.vm0's 0xa000000,0x4000: "
		 "a device belongs to one VM");
	/* a VM with options and no image */
	DTS_FAIL("minihyp.guest=0x48000000,64K minihyp.mem=0x48000000,64M minihyp.vm3.vcpus=2",
		 HYP_ENOENT, "no guest image: add minihyp.vm3.guest=ADDR,SIZE");
	/* a VM's image over minihyp, its RAM too small for its DTB */
	DTS_FAIL("minihyp.guest=0x48000000,64K minihyp.mem=0x48000000,64M "
		 "minihyp.vm1.guest=0x40200000,4K",
		 HYP_EINVAL, "minihyp.vm1: guest image 0x40200000,0x1000 overlaps minihyp");
	DTS_FAIL("minihyp.guest=0x48000000,64K minihyp.mem=0x48000000,64M "
		 "minihyp.vm1.guest=0x50000000,64K minihyp.vm1.mem=0x50000000,64K",
		 HYP_EINVAL, "minihyp.vm1: guest RAM 0x50000000,0x10000 has no room for its DTB");
#undef DTS_FAIL
}

/* minihyp_dt_parse(): each VM's ranges against the memory map. */
Test(minihyp_dt, dt_parse_several_vms)
{
	static const char *const bad[][2] = {
	    {"minihyp.guest=0x48000000,4K minihyp.vm1.guest=0x80000000,0x1000",
	     "minihyp.vm1.guest=0x80000000,0x1000 is not inside RAM"},
	    {"minihyp.guest=0x48000000,4K minihyp.vm2.guest=0x50000000,4K "
	     "minihyp.vm2.mem=0x3ff00000,0x200000",
	     "minihyp.vm2.mem=0x3ff00000,0x200000 is not inside one RAM range"},
	    {"minihyp.guest=0x48000000,4K minihyp.vm1.guest=0x50000000,4K "
	     "minihyp.vm1.passthrough=0x5ffff000,0x2000",
	     "minihyp.vm1.passthrough 0x5ffff000,0x2000 overlaps RAM"},
	    {"minihyp.guest=0x48000000,4K minihyp.vm1.vcpus=2",
	     "minihyp.vm1: options given but no minihyp.vm1.guest=ADDR,SIZE"},
	    {"minihyp.guest=0x48000000,4K minihyp.vm3.guest=0x50000000,4K "
	     "minihyp.vm3.mem=0x52000000,16M",
	     "minihyp.vm3.guest=0x50000000,0x1000 is not inside minihyp.vm3.mem"},
	};
	static struct mh_host h, ref;
	struct hyp_fdt_err err;
	size_t size;
	void *fdt = load_dtb("virt-gicv3", &size);
	void *copy = malloc(size + 4096);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(copy, fdt, size);
		cr_assert_eq(fdt_open_into(copy, copy, (int)size + 4096), 0);
		cr_assert_eq(fdt_setprop_string(copy, fdt_path_offset(copy, "/chosen"), "bootargs",
						bad[i][0]),
			     0);
		memset(&h, POISON, sizeof(h));
		memset(&ref, POISON, sizeof(ref));
		cr_assert_eq(dt_parse(copy, size + 4096, &h, &err), HYP_EINVAL, "%s", bad[i][0]);
		cr_assert_not_null(strstr(err.msg, bad[i][1]), "'%s' lacks '%s'", err.msg,
				   bad[i][1]);
		cr_assert_eq(memcmp(&h, &ref, sizeof(h)), 0);
	}
	/* 3 vCPUs on 2 host CPUs: scheduled (before issue 15: an error) */
	memcpy(copy, fdt, size);
	cr_assert_eq(fdt_open_into(copy, copy, (int)size + 4096), 0);
	cr_assert_eq(fdt_setprop_string(copy, fdt_path_offset(copy, "/chosen"), "bootargs",
					"minihyp.guest=0x48000000,4K minihyp.vcpus=3"),
		     0);
	cr_assert_eq(dt_parse(copy, size + 4096, &h, &err), 0, "%s", err.msg);
	cr_assert_eq(h.cmdline.nr_vcpus, 3);
	free(copy);
	free(fdt);
}

/* issue 15 item 3: `minihyp.console=N`, the VM that owns the PL011 (VM 0
 * by default); the PL011 cannot be passed through to another VM. */
Test(minihyp_dt, cmdline_console)
{
	static struct mh_host h;
	static struct hyp_fdt_guest g[MINIHYP_MAX_VMS];
	struct hyp_fdt_err err;
	unsigned int vms = 0;
	struct minihyp_cmdline c;
	size_t size;
	void *fdt, *copy;

	c = cmdline_ok("minihyp.guest=0x48000000,4K");
	cr_assert_eq(c.console, 0);
	c = cmdline_ok("minihyp.guest=0x48000000,4K minihyp.console=3");
	cr_assert_eq(c.console, 3);
	cmdline_fails("minihyp.console=4", HYP_ERANGE,
		      "minihyp.console=4: expected a VM number, 0 to 3");
	cmdline_fails("minihyp.console=x", HYP_ERANGE, "expected a VM number");
	cmdline_fails("minihyp.console=01", HYP_ERANGE, "expected a VM number");
	cmdline_fails("minihyp.console=1 minihyp.console=1", HYP_EINVAL,
		      "minihyp.console given twice");
	cmdline_fails("minihyp.vm1.console=1", HYP_EINVAL, "unknown option 'minihyp.vm1.console'");

	/* a VM that does not exist cannot own it */
	fdt = load_dtb("virt-gicv3", &size);
	copy = malloc(size + 4096);
	memcpy(copy, fdt, size);
	cr_assert_eq(fdt_open_into(copy, copy, (int)size + 4096), 0);
	cr_assert_eq(fdt_setprop_string(copy, fdt_path_offset(copy, "/chosen"), "bootargs",
					"minihyp.guest=0x48000000,4K minihyp.console=2"),
		     0);
	cr_assert_eq(dt_parse(copy, size + 4096, &h, &err), HYP_EINVAL);
	cr_assert_not_null(strstr(err.msg, "minihyp.console=2: VM 2 has no options"), "'%s'",
			   err.msg);
	free(copy);
	free(fdt);

	/* the PL011 (0x9000000, the DT's) passed through to a VM that does not own it */
	parse_ok("virt-gicv3", &h, NULL);
	h.cmdline = cmdline_ok("minihyp.guest=0x48000000,64K minihyp.mem=0x48000000,64M "
			       "minihyp.vm1.guest=0x50000000,64K minihyp.vm1.mem=0x50000000,64M "
			       "minihyp.vm1.passthrough=0x9000000,0x1000");
	cr_assert_eq(minihyp_guest_dts(g, &vms, &h.hw, &h.cmdline, NULL, minihyp_self, &err),
		     HYP_EINVAL);
	cr_assert_not_null(strstr(err.msg, "minihyp.vm1.passthrough 0x9000000,0x1000 overlaps the "
					   "PL011 at 0x9000000, which belongs to VM 0"),
			   "'%s'", err.msg);
	/* ... and to the VM that does: allowed; every VM keeps its uart node */
	h.cmdline = cmdline_ok("minihyp.guest=0x48000000,64K minihyp.mem=0x48000000,64M "
			       "minihyp.vm1.guest=0x50000000,64K minihyp.vm1.mem=0x50000000,64M "
			       "minihyp.vm1.passthrough=0x9000000,0x1000 minihyp.console=1");
	cr_assert_eq(minihyp_guest_dts(g, &vms, &h.hw, &h.cmdline, NULL, minihyp_self, &err), 0,
		     "%s", err.msg);
	cr_assert_eq(vms, 3);
	cr_assert(g[0].has_uart && g[1].has_uart);
	cr_assert_eq(g[0].uart.base, 0x9000000);
	cr_assert_eq(g[1].uart.base, 0x9000000);
}

/* minihyp.s2_prefault (issue 15): guest RAM mapped at VM creation (1) or
 * on first touch (0); unset, main.c decides from FEAT_S2FWB. */
Test(minihyp_dt, cmdline_s2_prefault)
{
	struct minihyp_cmdline c;

	c = cmdline_ok("minihyp.guest=0x48000000,64K");
	cr_assert_eq(c.s2_prefault, MINIHYP_S2_PREFAULT_AUTO);
	c = cmdline_ok("minihyp.s2_prefault=0");
	cr_assert_eq(c.s2_prefault, MINIHYP_S2_PREFAULT_OFF);
	c = cmdline_ok("minihyp.s2_prefault=1 minihyp.stats=1");
	cr_assert_eq(c.s2_prefault, MINIHYP_S2_PREFAULT_ON);
	cr_assert(c.stats);
	cmdline_fails("minihyp.s2_prefault=2", HYP_EINVAL,
		      "minihyp.s2_prefault: expected 0 or 1, got '2'");
	cmdline_fails("minihyp.s2_prefault", HYP_EINVAL, "minihyp.s2_prefault");
	cmdline_fails("minihyp.s2_prefault=0 minihyp.s2_prefault=1", HYP_EINVAL,
		      "minihyp.s2_prefault given twice");
}
