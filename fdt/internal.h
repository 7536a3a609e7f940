/* SPDX-License-Identifier: MIT */
/* libhyp-fdt's internals: shared by host.c and guest.c, not installed. */
#ifndef HYP_FDT_INTERNAL_H
#define HYP_FDT_INTERNAL_H

#include <stdbool.h>

#include <libfdt.h>
#include <libhyp-fdt/guest.h>
#include <libhyp-fdt/host.h>
#include <libhyp-rt/rt.h>
#include <libhyp/error.h>

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

/* ---- small string helpers ---- */

static inline bool str_eq(const char *a, const char *b)
{
	size_t n = hyp_rt_strlen(b);
	return hyp_rt_strlen(a) == n && !hyp_rt_memcmp(a, b, n);
}

static inline bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = hyp_rt_strlen(prefix);
	return len >= n && !hyp_rt_memcmp(s, prefix, n);
}

static inline bool has_suffix(const char *s, const char *suffix)
{
	size_t n = hyp_rt_strlen(s), m = hyp_rt_strlen(suffix);
	return n >= m && !hyp_rt_memcmp(s + n - m, suffix, m);
}

/* ---- ranges ---- */

static inline uint64_t range_end(struct hyp_fdt_range r)
{
	return r.base + r.size;
}

/* Sizes are non-zero and ends do not wrap (checked where ranges come in). */
static inline bool range_inside(struct hyp_fdt_range in, struct hyp_fdt_range out)
{
	return in.base >= out.base && range_end(in) <= range_end(out);
}

static inline bool range_overlap(struct hyp_fdt_range a, struct hyp_fdt_range b)
{
	return a.size && b.size && a.base < range_end(b) && b.base < range_end(a);
}

static inline bool range_wraps(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base;
}

/* Every failure goes through hyp_fdt_fail() (host.h). */
#define fail hyp_fdt_fail


/* host.c's readers, shared with guest.c (internal: hyp_fdt__). A u32
 * property: 0, or HYP_ENOENT / HYP_EINVAL. */
int hyp_fdt__prop_u32(const void *fdt, int node, const char *name, uint32_t *v);
/* The `reg` ranges of @node under bus @parent (-1: look it up), at most @max:
 * their number, or a negative error (message in @err). */
int hyp_fdt__read_reg(const void *fdt, int node, int parent, struct hyp_fdt_range *r, int max,
		      struct hyp_fdt_err *err);
/* hyp_fdt__read_reg()'s decoding of a reg value @p of @len bytes under a
 * bus of @ac address and @sc size cells (1 or 2 each). */
int hyp_fdt__decode_reg(const void *fdt, int node, const fdt32_t *p, int len, int ac, int sc,
			struct hyp_fdt_range *r, int max, struct hyp_fdt_err *err);

/* ---- scan.c: one pass over the structure block ---- */

/* A node as hyp_fdt__scan() sees it, all its properties read. */
struct hyp_fdt__node {
	int off;	   /* its offset */
	int parent;	   /* its parent's, -1 for the root */
	int depth;	   /* 0 for the root */
	const char *name;  /* as fdt_get_name() */
	const char *compat; /* compatible (a string list), NULL if none */
	int compat_len;
	uint32_t phandle;  /* phandle, else linux,phandle (4 bytes each), else 0 */
	uint32_t iparent;  /* interrupt-parent, its own or the nearest ancestor's, 0 if none */
	bool enabled;	   /* status absent, not a string, "okay" or "ok" */
	bool is_memory;	   /* device_type = "memory" */
	const void *reg;   /* reg, NULL if none */
	int reg_len;
	bool has_children; /* a subnode follows its properties */
	bool has_intc;	   /* an interrupt-controller property */
	bool has_device_type, has_status, has_iparent;
};

/* Called for each node in structure-block order; true stops the scan. */
typedef bool (*hyp_fdt__visit_fn)(const struct hyp_fdt__node *n, void *ctx);

/* Visit every node of a blob fdt_check_header() accepted: 0 when all were
 * visited, 1 when @fn stopped it, HYP_EINVAL for a broken structure block,
 * HYP_ENOTSUP for nodes nested deeper than 32. */
int hyp_fdt__scan(const void *fdt, hyp_fdt__visit_fn fn, void *ctx);
/* Does @n's compatible list hold @compat? (fdt_node_check_compatible()) */
bool hyp_fdt__compat_has(const struct hyp_fdt__node *n, const char *compat);
/* fdt_node_offset_by_phandle() in one scan. */
int hyp_fdt__by_phandle(const void *fdt, uint32_t ph);
/* The node at offset @off: 0, or HYP_ENOENT (no node starts there). */
int hyp_fdt__node_at(const void *fdt, int off, struct hyp_fdt__node *n);

#endif /* HYP_FDT_INTERNAL_H */
