/* SPDX-License-Identifier: MIT */
/*
 * libhyp-fdt's one-pass node scan (fdt/scan.c) against libfdt itself, the
 * independent model: for every node of every test DTB (dtc's and QEMU's),
 * the parent, phandle, inherited interrupt-parent, compatible, status and
 * device_type the scan reports are what libfdt's own lookups give; lookups
 * by phandle agree; a corrupted blob gives an error or a walk, never a
 * read outside it (ASan build).
 */
#include <criterion/criterion.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../fdt/internal.h"
#include "load_dtb.h"

static const char *const dtbs[] = {
    "virt-gicv3", "virt-gicv2", "cpus-8", "cpus-9", "no-gic", "no-memory", "no-timer",
    "bad-cmdline", "gicv3-2redist", "gicv2-novirt", "translated-bus",
#ifdef HAVE_QEMU_DTBS
    "qemu-gicv3", "qemu-gicv2-smp4", "qemu-gicv3-append",
#endif
};

/* The slow way, with libfdt only (what host.c did before the scan). */
static uint32_t model_iparent(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = n ? fdt_parent_offset(fdt, n) : -1) {
		int len;
		const fdt32_t *p = fdt_getprop(fdt, n, "interrupt-parent", &len);
		if (p && len == 4)
			return fdt32_ld(p);
	}
	return 0;
}

static bool model_enabled(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	if (!s || len < 1 || s[len - 1])
		return true;
	return !strcmp(s, "okay") || !strcmp(s, "ok");
}

struct seen {
	const void *fdt;
	int nodes;
};

static bool check_node(const struct hyp_fdt__node *n, void *ctx)
{
	struct seen *s = ctx;
	const void *fdt = s->fdt;
	int len, depth = fdt_node_depth(fdt, n->off);
	const char *compat = fdt_getprop(fdt, n->off, "compatible", &len);
	const char *dt = fdt_getprop(fdt, n->off, "device_type", NULL);
	int dtlen = 0;

	fdt_getprop(fdt, n->off, "device_type", &dtlen);
	cr_assert_eq(n->depth, depth, "node %d", n->off);
	cr_assert_eq(n->parent, n->off ? fdt_parent_offset(fdt, n->off) : -1, "node %d", n->off);
	cr_assert_str_eq(n->name, fdt_get_name(fdt, n->off, NULL));
	cr_assert_eq(n->phandle, fdt_get_phandle(fdt, n->off), "node %s", n->name);
	cr_assert_eq(n->iparent, model_iparent(fdt, n->off), "node %s", n->name);
	cr_assert_eq(n->enabled, model_enabled(fdt, n->off), "node %s", n->name);
	cr_assert_eq(n->is_memory, dt && dtlen == 7 && !memcmp(dt, "memory", 7), "node %s",
		     n->name);
	cr_assert_eq(n->compat, compat, "node %s", n->name);
	if (compat)
		cr_assert_eq(n->compat_len, len);
	/* By phandle: the node itself, as libfdt finds it. */
	if (n->phandle && n->phandle != ~0u)
		cr_assert_eq(hyp_fdt__by_phandle(fdt, n->phandle),
			     fdt_node_offset_by_phandle(fdt, n->phandle));
	s->nodes++;
	return false;
}

Test(fdt_scan, every_node_as_libfdt_sees_it)
{
	for (size_t i = 0; i < sizeof(dtbs) / sizeof(dtbs[0]); i++) {
		size_t size;
		void *fdt = load_dtb(dtbs[i], &size);
		struct seen s = {fdt, 0};
		int total = 0;

		cr_assert_eq(hyp_fdt__scan(fdt, check_node, &s), 0, "%s", dtbs[i]);
		for (int n = 0; n >= 0; n = fdt_next_node(fdt, n, NULL))
			total++;
		cr_assert_eq(s.nodes, total, "%s: %d nodes visited, libfdt has %d", dtbs[i],
			     s.nodes, total);
		free(fdt);
	}
}

static bool stop_at_second(const struct hyp_fdt__node *n, void *ctx)
{
	int *count = ctx;

	(void)n;
	return ++*count == 2;
}

Test(fdt_scan, stops_when_asked_and_finds_nodes)
{
	size_t size;
	void *fdt = load_dtb("virt-gicv3", &size);
	struct hyp_fdt__node n;
	int count = 0, gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");

	cr_assert_eq(hyp_fdt__scan(fdt, stop_at_second, &count), 1);
	cr_assert_eq(count, 2);
	cr_assert_geq(gic, 0);
	cr_assert_eq(hyp_fdt__node_at(fdt, gic, &n), 0);
	cr_assert_eq(n.off, gic);
	cr_assert(hyp_fdt__compat_has(&n, "arm,gic-v3"));
	cr_assert_not(hyp_fdt__compat_has(&n, "arm,gic-v"));
	/* Not a node's offset: the root's first property. */
	cr_assert_eq(hyp_fdt__node_at(fdt, fdt_first_property_offset(fdt, 0), &n), HYP_ENOENT);
	/* 0 and ~0 are never phandles; an absent one is not found. */
	cr_assert_eq(hyp_fdt__by_phandle(fdt, 0), -FDT_ERR_BADPHANDLE);
	cr_assert_eq(hyp_fdt__by_phandle(fdt, ~0u), -FDT_ERR_BADPHANDLE);
	cr_assert_eq(hyp_fdt__by_phandle(fdt, 0x7777), -FDT_ERR_NOTFOUND);
	free(fdt);
}

static bool count_nodes(const struct hyp_fdt__node *n, void *ctx)
{
	(void)n;
	++*(int *)ctx;
	return false;
}

/* Every byte of the structure and strings blocks flipped in turn: the scan
 * returns (0 or an error), reading only inside the blob (ASan). */
Test(fdt_scan, corrupted_bytes_stay_inside_the_blob)
{
	size_t size;
	void *orig = load_dtb("virt-gicv3", &size);
	size_t total = fdt_totalsize(orig);
	size_t from = fdt_off_dt_struct(orig);

	for (size_t i = from; i < total; i++) {
		for (unsigned int v = 0; v < 3; v++) {
			static const uint8_t vals[] = {0x00, 0xff, 0x03};
			uint8_t *fdt = malloc(total);
			int count = 0, ret;

			memcpy(fdt, orig, total);
			fdt[i] = vals[v];
			ret = hyp_fdt__scan(fdt, count_nodes, &count);
			cr_assert(ret == 0 || ret == HYP_EINVAL || ret == HYP_ENOTSUP,
				  "byte %zu = %#x: %d", i, vals[v], ret);
			free(fdt);
		}
	}
	free(orig);
}

/* A blob older than version 16 (8-aligned large values) is refused. */
Test(fdt_scan, old_versions_refused)
{
	size_t size;
	void *fdt = load_dtb("virt-gicv3", &size);
	int count = 0;

	fdt_set_version(fdt, 15);
	cr_assert_eq(hyp_fdt__scan(fdt, count_nodes, &count), HYP_EINVAL);
	cr_assert_eq(count, 0);
	free(fdt);
}
