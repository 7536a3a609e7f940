/* SPDX-License-Identifier: MIT */
/*
 * One pass over a blob's structure block, for the lookups libfdt does by
 * walking the tree from its start each time (by compatible, by property
 * value, by phandle, a node's parent): fdt_parent_offset() alone walks
 * the tree twice. Parsing QEMU virt's DT and building a guest DT took
 * 5 M instructions at minihyp's boot that way, most of them libfdt
 * re-reading every property of every node through fdt_getprop(). Here
 * each property is read once, by its tag, and a node's properties are
 * all seen before its first child (Devicetree Specification v0.4, 5.4.1:
 * a node's properties precede its subnodes in the structure block).
 */
#include "internal.h"

/* Deepest node the scan follows (QEMU virt's DT: 3 levels). */
#define SCAN_MAX_DEPTH 32

/* The first string of a property @v of @len bytes, or NULL if it is not
 * NUL-terminated (prop_str()'s rule in host.c). */
static const char *first_str(const char *v, int len)
{
	return len > 0 && !v[len - 1] ? v : NULL;
}

static bool is_enabled(const char *status)
{
	return !status || str_eq(status, "okay") || str_eq(status, "ok");
}

struct level {
	int off;
	uint32_t iparent; /* interrupt-parent, own or inherited */
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Is @s (@len bytes, NUL-terminated at s[len]) the string @lit? */
#define NAME_IS(s, len, lit) ((len) == sizeof(lit) - 1 && !hyp_rt_memcmp(s, lit, sizeof(lit) - 1))

/*
 * The structure block is read directly, not with fdt_next_tag(): that
 * checks the header again for every byte of a node's name
 * (fdt_offset_ptr() per character), which made one scan of QEMU virt's DT
 * cost 220 k instructions. The same bounds are checked here: every tag,
 * name and value inside the structure block, every property name a
 * NUL-terminated string inside the strings block.
 */
int hyp_fdt__scan(const void *fdt, hyp_fdt__visit_fn fn, void *ctx)
{
	const uint8_t *st = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
	const char *str = (const char *)fdt + fdt_off_dt_strings(fdt);
	const uint32_t st_size = fdt_size_dt_struct(fdt), str_size = fdt_size_dt_strings(fdt);
	struct level up[SCAN_MAX_DEPTH];
	struct hyp_fdt__node n;
	const char *status = NULL;
	uint32_t ph = 0, lph = 0, off = 0;
	bool has_ph = false, has_lph = false, ph_ok = false;
	bool open = false; /* n's properties are being read */
	int depth = -1;

	/* Version 16 and later: values 4-aligned (fdt_next_tag() 8-aligns
	 * large ones before 16). */
	if (fdt_version(fdt) < 16 || fdt_off_dt_struct(fdt) > fdt_totalsize(fdt) ||
	    st_size > fdt_totalsize(fdt) - fdt_off_dt_struct(fdt) ||
	    fdt_off_dt_strings(fdt) > fdt_totalsize(fdt) ||
	    str_size > fdt_totalsize(fdt) - fdt_off_dt_strings(fdt))
		return HYP_EINVAL;
	for (;;) {
		uint32_t tag, next;

		if (off > st_size || st_size - off < 4)
			return HYP_EINVAL;
		tag = be32(st + off);
		if (open && tag != FDT_PROP && tag != FDT_NOP) {
			/* Its properties are all read: visit it. */
			open = false;
			n.enabled = is_enabled(status);
			n.has_children = tag == FDT_BEGIN_NODE;
			n.phandle = ph_ok ? ph : lph; /* fdt_get_phandle()'s order */
			up[depth].iparent = n.iparent;
			if (fn(&n, ctx))
				return 1;
		}
		switch (tag) {
		case FDT_BEGIN_NODE: {
			const char *name = (const char *)st + off + 4;
			const char *nul = hyp_rt_memchr(name, 0, st_size - off - 4);

			if (!nul || ++depth >= SCAN_MAX_DEPTH)
				return nul ? HYP_ENOTSUP : HYP_EINVAL;
			up[depth].off = (int)off;
			n = (struct hyp_fdt__node){
			    .off = (int)off,
			    .parent = depth ? up[depth - 1].off : -1,
			    .depth = depth,
			    .name = name,
			    .iparent = depth ? up[depth - 1].iparent : 0,
			};
			status = NULL;
			ph = lph = 0;
			has_ph = has_lph = ph_ok = false;
			open = true;
			next = off + 4 + (uint32_t)(nul - name) + 1;
			break;
		}
		case FDT_PROP: {
			uint32_t len, nameoff;
			const char *name, *nul, *v;
			size_t nlen;

			if (!open || st_size - off < 12)
				return HYP_EINVAL;
			len = be32(st + off + 4);
			nameoff = be32(st + off + 8);
			if (len > st_size - off - 12 || nameoff >= str_size)
				return HYP_EINVAL;
			name = str + nameoff;
			nul = hyp_rt_memchr(name, 0, str_size - nameoff);
			if (!nul)
				return HYP_EINVAL;
			nlen = (size_t)(nul - name);
			v = (const char *)st + off + 12;
			next = off + 12 + len;
			/* The first of a name counts, as for fdt_getprop(). */
			if (!n.compat && NAME_IS(name, nlen, "compatible")) {
				n.compat = v;
				n.compat_len = (int)len;
			} else if (!n.has_device_type && NAME_IS(name, nlen, "device_type")) {
				n.has_device_type = true;
				n.is_memory = len == 7 && !hyp_rt_memcmp(v, "memory", 7);
			} else if (!n.has_status && NAME_IS(name, nlen, "status")) {
				n.has_status = true;
				status = first_str(v, (int)len);
			} else if (!n.has_iparent && NAME_IS(name, nlen, "interrupt-parent")) {
				/* A malformed one is skipped: the parent's counts
				 * (as hyp_fdt__prop_u32() fails on it). */
				n.has_iparent = true;
				if (len == 4)
					n.iparent = be32((const uint8_t *)v);
			} else if (!n.reg && NAME_IS(name, nlen, "reg")) {
				n.reg = v;
				n.reg_len = (int)len;
			} else if (NAME_IS(name, nlen, "interrupt-controller")) {
				n.has_intc = true;
			} else if (!has_ph && NAME_IS(name, nlen, "phandle")) {
				has_ph = true;
				ph_ok = len == 4;
				if (ph_ok)
					ph = be32((const uint8_t *)v);
			} else if (!has_lph && NAME_IS(name, nlen, "linux,phandle")) {
				has_lph = true;
				if (len == 4)
					lph = be32((const uint8_t *)v);
			}
			break;
		}
		case FDT_END_NODE:
			if (depth < 0)
				return HYP_EINVAL;
			depth--;
			next = off + 4;
			break;
		case FDT_NOP:
			next = off + 4;
			break;
		case FDT_END:
			return depth == -1 ? 0 : HYP_EINVAL;
		default:
			return HYP_EINVAL;
		}
		off = (next + 3) & ~3u;
		if (off < next)
			return HYP_EINVAL;
	}
}

bool hyp_fdt__compat_has(const struct hyp_fdt__node *n, const char *compat)
{
	return n->compat && fdt_stringlist_contains(n->compat, n->compat_len, compat);
}

/* ---- lookups on top of the scan */

struct by_phandle {
	uint32_t ph;
	int off;
};

static bool match_phandle(const struct hyp_fdt__node *n, void *ctx)
{
	struct by_phandle *b = ctx;

	if (n->phandle != b->ph)
		return false;
	b->off = n->off;
	return true;
}

int hyp_fdt__by_phandle(const void *fdt, uint32_t ph)
{
	struct by_phandle b = {ph, -FDT_ERR_NOTFOUND};

	/* fdt_node_offset_by_phandle()'s: 0 and ~0 are never phandles. */
	if (!ph || ph == ~0u)
		return -FDT_ERR_BADPHANDLE;
	if (hyp_fdt__scan(fdt, match_phandle, &b) < 0)
		return -FDT_ERR_BADSTRUCTURE;
	return b.off;
}

struct by_off {
	int off;
	struct hyp_fdt__node n;
	bool found;
};

static bool match_off(const struct hyp_fdt__node *n, void *ctx)
{
	struct by_off *b = ctx;

	if (n->off != b->off)
		return false;
	b->n = *n;
	b->found = true;
	return true;
}

int hyp_fdt__node_at(const void *fdt, int off, struct hyp_fdt__node *n)
{
	struct by_off b = {.off = off};

	if (hyp_fdt__scan(fdt, match_off, &b) < 0 || !b.found)
		return HYP_ENOENT;
	*n = b.n;
	return 0;
}
