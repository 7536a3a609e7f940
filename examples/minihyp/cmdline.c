/* SPDX-License-Identifier: MIT */
/*
 * minihyp's device-tree policy: its command line, checked against the host's
 * memory map, and the guest DT's description (libhyp-fdt does the DT work).
 */
#include <libhyp-rt/rt.h>
#include <libhyp/error.h>

#include "dt.h"

#define SZ_2M 0x200000ull
/* One GICv3 redistributor: two 64 KiB frames, RD_base and SGI_base (IHI 0069,
 * the Redistributor memory map). */
#define GICR_FRAME_SIZE 0x20000ull

#define fail hyp_fdt_fail

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static uint64_t range_end(struct hyp_fdt_range r)
{
	return r.base + r.size;
}

/* Sizes are non-zero and ends do not wrap (checked where ranges come in). */
static bool range_inside(struct hyp_fdt_range in, struct hyp_fdt_range out)
{
	return in.base >= out.base && range_end(in) <= range_end(out);
}

static bool range_overlap(struct hyp_fdt_range a, struct hyp_fdt_range b)
{
	return a.size && b.size && a.base < range_end(b) && b.base < range_end(a);
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
static int parse_ranges(const char *key, const char *val, size_t len, struct hyp_fdt_range *r,
			unsigned int max, bool single, unsigned int *nr, struct hyp_fdt_err *err)
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
			return fail(err, HYP_EINVAL, "%s: empty range at %#lx", key, base);
		if (size > UINT64_MAX - base)
			return fail(err, HYP_ERANGE, "%s: range %#lx,%#lx wraps", key, base, size);
		if (base % MINIHYP_PAGE_SIZE || (!single && size % MINIHYP_PAGE_SIZE))
			return fail(err, HYP_EINVAL, "%s: range %#lx,%#lx is not 4 KiB-aligned", key,
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

/* The keys each VM has (minihyp.vmN.KEY, or minihyp.KEY for VM 0). */
static bool vm_key(const char *k, size_t n)
{
	static const char *const keys[] = {"guest",	  "mem",      "ram",	 "initrd",
					   "passthrough", "vcpus",    "bootargs"};

	for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t l = 0;

		while (keys[i][l])
			l++;
		if (l == n && !hyp_rt_memcmp(k, keys[i], n))
			return true;
	}
	return false;
}

/* One VM's option @sub (@sublen) = @val; @key/@keylen: the whole key as given. */
static int parse_vm_option(struct minihyp_vm_cmdline *v, const char *key, size_t keylen,
			   const char *sub, size_t sublen, const char *val, size_t vallen,
			   struct hyp_fdt_err *err)
{
	char kname[32];
	int ret;

	/* vm_key() and the one-digit N hold: keylen is at most
	 * "minihyp.vmN.passthrough"; refused rather than cut otherwise. */
	if (keylen >= sizeof(kname))
		return fail(err, HYP_EINVAL, "unknown option '%.*s'", (int)keylen, key);
	__builtin_memcpy(kname, key, keylen);
	kname[keylen] = 0;
#define SUB_IS(k) (sublen == sizeof(k) - 1 && !hyp_rt_memcmp(sub, k, sublen))
	if (SUB_IS("initrd")) {
		unsigned int n;

		if (v->has_initrd)
			return fail(err, HYP_EINVAL, "%s given twice", kname);
		ret = parse_ranges(kname, val, vallen, &v->initrd, 1, true, &n, err);
		if (ret)
			return ret;
		v->has_initrd = true;
	} else if (SUB_IS("guest") || SUB_IS("mem") || SUB_IS("ram")) {
		bool guest = SUB_IS("guest");
		bool *has = guest ? &v->has_guest : &v->has_mem;
		unsigned int n;

		if (*has)
			return fail(err, HYP_EINVAL, "%s given twice", kname);
		ret = parse_ranges(kname, val, vallen, guest ? &v->guest : &v->mem, 1, true, &n,
				   err);
		if (ret)
			return ret;
		if (!guest && v->mem.size % MINIHYP_PAGE_SIZE)
			return fail(err, HYP_EINVAL, "%s: size %#lx is not 4 KiB-aligned", kname,
				    v->mem.size);
		*has = true;
	} else if (SUB_IS("passthrough")) {
		unsigned int n;

		ret = parse_ranges(kname, val, vallen, v->passthrough + v->nr_passthrough,
				   MINIHYP_MAX_PASSTHROUGH - v->nr_passthrough, false, &n, err);
		if (ret == HYP_ERANGE && v->nr_passthrough)
			return fail(err, HYP_ERANGE, "%s: more than %u ranges", kname,
				    MINIHYP_MAX_PASSTHROUGH);
		if (ret)
			return ret;
		v->nr_passthrough += n;
	} else if (SUB_IS("vcpus")) {
		const char *q = val;
		uint64_t n;

		if (v->nr_vcpus)
			return fail(err, HYP_EINVAL, "%s given twice", kname);
		ret = parse_num(&q, val + vallen, &n);
		if (ret != HYP_ERANGE && (ret || q != val + vallen))
			return fail(err, HYP_EINVAL, "%s: expected a number, got '%.*s'", kname,
				    (int)vallen, val);
		if (ret || n > MINIHYP_MAX_CPUS)
			return fail(err, HYP_ERANGE, "%s=%.*s: at most %u", kname, (int)vallen, val,
				    MINIHYP_MAX_CPUS);
		if (!n)
			return fail(err, HYP_EINVAL, "%s: at least 1", kname);
		v->nr_vcpus = (unsigned int)n;
	} else { /* bootargs (vm_key()) */
		if (v->has_bootargs)
			return fail(err, HYP_EINVAL, "%s given twice", kname);
		if (vallen >= MINIHYP_CMDLINE_MAX)
			return fail(err, HYP_ERANGE, "%s: longer than %u characters", kname,
				    MINIHYP_CMDLINE_MAX - 1);
		__builtin_memcpy(v->bootargs, val, vallen);
		v->bootargs[vallen] = 0;
		v->has_bootargs = true;
	}
#undef SUB_IS
	return 0;
}

int minihyp_cmdline_parse(const char *s, struct minihyp_cmdline *out, struct hyp_fdt_err *err)
{
	/* 4 VMs' command lines: 4 KiB and more, off the (16 KiB) stack. Boot
	 * code, one caller at a time. */
	static struct minihyp_cmdline c;
	const char *p = s ? s : "";
	bool seen_eager = false, seen_fastpath = false;
	bool seen_stats = false; /* issue 15 */
	bool seen_console = false; /* issue 15 item 3 */

	__builtin_memset(&c, 0, sizeof(c));
	for (;;) {
		const char *tok, *key, *val = NULL, *sub;
		size_t keylen, vallen = 0, toklen, sublen;
		unsigned int vmi = 0;
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
		if (keylen < 8 || hyp_rt_memcmp(key, "minihyp.", 8))
			continue;
		if (!val)
			return fail(err, HYP_EINVAL, "'%.*s' needs a value", (int)toklen, tok);

		sub = key + 8;
		sublen = keylen - 8;
		/* minihyp.vmN.KEY: VM N's option */
		if (sublen > 3 && sub[0] == 'v' && sub[1] == 'm' && sub[2] >= '0' && sub[2] <= '9') {
			const char *q = sub + 2;
			uint64_t n = 0;

			while (q < key + keylen && *q >= '0' && *q <= '9' && n < 1000)
				n = n * 10 + (uint64_t)(*q++ - '0');
			if (q < key + keylen && *q == '.') {
				/* One digit: "vm00" would pass as VM 0 with a key
				 * longer than any VM key (found by dt-fuzz). */
				if (n >= MINIHYP_MAX_VMS || q != sub + 3)
					return fail(err, HYP_ERANGE,
						    "'%.*s': at most %u VMs (minihyp.vm0 to "
						    "minihyp.vm%u)",
						    (int)keylen, key, MINIHYP_MAX_VMS,
						    MINIHYP_MAX_VMS - 1);
				if (!vm_key(q + 1, (size_t)(key + keylen - q - 1)))
					return fail(err, HYP_EINVAL,
						    "unknown option '%.*s' (a VM's keys: guest, mem, "
						    "initrd, passthrough, vcpus, bootargs)",
						    (int)keylen, key);
				vmi = (unsigned int)n;
				sub = q + 1;
				sublen = (size_t)(key + keylen - sub);
				if (vmi)
					c.vm_keys |= 1u << vmi;
				ret = parse_vm_option(&c.vm[vmi], key, keylen, sub, sublen, val,
						      vallen, err);
				if (ret)
					return ret;
				continue;
			}
		}
		if (vm_key(sub, sublen)) {
			ret = parse_vm_option(&c.vm[0], key, keylen, sub, sublen, val, vallen, err);
			if (ret)
				return ret;
			continue;
		}

#define KEY_IS(k) (keylen == sizeof(k) - 1 && !hyp_rt_memcmp(key, k, keylen))
		if (KEY_IS("minihyp.eager") || KEY_IS("minihyp.fastpath") ||
		    KEY_IS("minihyp.stats")) {
			bool eager = KEY_IS("minihyp.eager"), stats = KEY_IS("minihyp.stats");
			bool *seen = eager ? &seen_eager : stats ? &seen_stats : &seen_fastpath;

			if (*seen)
				return fail(err, HYP_EINVAL, "%.*s given twice", (int)keylen, key);
			if (vallen != 1 || (val[0] != '0' && val[0] != '1'))
				return fail(err, HYP_EINVAL, "%.*s: expected 0 or 1, got '%.*s'",
					    (int)keylen, key, (int)vallen, val);
			if (eager)
				c.eager = val[0] == '1';
			else if (stats)
				c.stats = val[0] == '1';
			else
				c.no_fast_path = val[0] == '0';
			*seen = true;
		} else if (KEY_IS("minihyp.slice_us")) {
			const char *q = val;
			uint64_t n;

			if (c.slice_us)
				return fail(err, HYP_EINVAL, "minihyp.slice_us given twice");
			ret = parse_num(&q, val + vallen, &n);
			if ((ret && ret != HYP_ERANGE) || (!ret && q != val + vallen))
				return fail(err, HYP_EINVAL,
					    "minihyp.slice_us: expected a number of microseconds, "
					    "got '%.*s'",
					    (int)vallen, val);
			if (ret || n < 100 || n > 10000000)
				return fail(err, HYP_ERANGE,
					    "minihyp.slice_us=%.*s: expected 100 to 10000000 "
					    "microseconds",
					    (int)vallen, val);
			c.slice_us = (uint32_t)n;
		} else if (KEY_IS("minihyp.wake_grace_us")) { /* issue 15: the scheduler's grace */
			const char *q = val;
			uint64_t n;

			if (c.has_wake_grace)
				return fail(err, HYP_EINVAL, "minihyp.wake_grace_us given twice");
			ret = parse_num(&q, val + vallen, &n);
			if ((ret && ret != HYP_ERANGE) || (!ret && q != val + vallen))
				return fail(err, HYP_EINVAL,
					    "minihyp.wake_grace_us: expected a number of "
					    "microseconds, got '%.*s'",
					    (int)vallen, val);
			if (ret || n > MINIHYP_WAKE_GRACE_US_MAX)
				return fail(err, HYP_ERANGE,
					    "minihyp.wake_grace_us=%.*s: expected 0 to 10000000 "
					    "microseconds",
					    (int)vallen, val);
			c.wake_grace_us = (uint32_t)n;
			c.has_wake_grace = true;
		} else if (KEY_IS("minihyp.s2_prefault")) { /* issue 15: guest RAM at creation */
			if (c.s2_prefault)
				return fail(err, HYP_EINVAL, "minihyp.s2_prefault given twice");
			if (vallen != 1 || (val[0] != '0' && val[0] != '1'))
				return fail(err, HYP_EINVAL,
					    "minihyp.s2_prefault: expected 0 or 1, got '%.*s'",
					    (int)vallen, val);
			c.s2_prefault = val[0] == '1' ? MINIHYP_S2_PREFAULT_ON
						      : MINIHYP_S2_PREFAULT_OFF;
		} else if (KEY_IS("minihyp.console")) { /* issue 15 item 3 */
			if (seen_console)
				return fail(err, HYP_EINVAL, "minihyp.console given twice");
			if (vallen != 1 || val[0] < '0' || val[0] >= '0' + MINIHYP_MAX_VMS)
				return fail(err, HYP_ERANGE,
					    "minihyp.console=%.*s: expected a VM number, 0 to %u",
					    (int)vallen, val, MINIHYP_MAX_VMS - 1);
			c.console = (unsigned int)(val[0] - '0');
			seen_console = true;
		} else if (KEY_IS("minihyp.policy")) { /* issue 15 item 6 (helper M) */
			static const char *const names[] = {"immediate", "deferred", "dirty",
							    "adaptive"};
			unsigned int k;

			if (c.policy)
				return fail(err, HYP_EINVAL, "minihyp.policy given twice");
			for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
				if (hyp_rt_strlen(names[k]) == vallen &&
				    !hyp_rt_memcmp(val, names[k], vallen))
					break;
			if (k == sizeof(names) / sizeof(names[0]))
				return fail(
				    err, HYP_EINVAL,
				    "minihyp.policy: expected immediate, deferred, dirty or "
				    "adaptive, got '%.*s'",
				    (int)vallen, val);
			c.policy = (uint8_t)(MINIHYP_POLICY_IMMEDIATE + k);
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
	/* issue 15 item 6 (helper M): eager is every register IMMEDIATE */
	if (c.eager && c.policy && c.policy != MINIHYP_POLICY_IMMEDIATE)
		return fail(err, HYP_EINVAL,
			    "minihyp.policy: minihyp.eager=1 makes every register IMMEDIATE; "
			    "give one of them");
	if (out)
		*out = c;
	return 0;
}

static bool in_ram(const struct hyp_fdt_host *h, struct hyp_fdt_range r)
{
	for (unsigned int i = 0; i < h->nr_mem; i++)
		if (range_inside(r, h->mem[i]))
			return true;
	return false;
}

/* "minihyp.KEY" for VM 0 without minihyp.vmN keys, else "minihyp.vmN.KEY". */
static const char *vm_name(const struct minihyp_cmdline *c, unsigned int vm, char buf[16])
{
	if (!vm && !c->vm_keys)
		return "minihyp";
	__builtin_memcpy(buf, "minihyp.vm", 10);
	buf[10] = (char)('0' + vm);
	buf[11] = 0;
	return buf;
}

static int check_vm(const struct hyp_fdt_host *h, const struct minihyp_cmdline *cl,
		    unsigned int vm, struct hyp_fdt_err *err)
{
	const struct minihyp_vm_cmdline *c = &cl->vm[vm];
	char buf[16];
	const char *n = vm_name(cl, vm, buf);

	if (vm && !c->has_guest)
		return fail(err, HYP_EINVAL, "%s: options given but no %s.guest=ADDR,SIZE", n, n);
	if (c->has_guest && !in_ram(h, c->guest))
		return fail(err, HYP_EINVAL, "%s.guest=%#lx,%#lx is not inside RAM", n,
			    c->guest.base, c->guest.size);
	if (c->has_mem && !in_ram(h, c->mem))
		return fail(err, HYP_EINVAL, "%s.mem=%#lx,%#lx is not inside one RAM range", n,
			    c->mem.base, c->mem.size);
	if (c->has_initrd && !in_ram(h, c->initrd))
		return fail(err, HYP_EINVAL, "%s.initrd=%#lx,%#lx is not inside RAM", n,
			    c->initrd.base, c->initrd.size);
	if (c->has_mem && c->has_guest && !range_inside(c->guest, c->mem))
		return fail(err, HYP_EINVAL, "%s.guest=%#lx,%#lx is not inside %s.mem", n,
			    c->guest.base, c->guest.size, n);
	for (unsigned int i = 0; i < c->nr_passthrough; i++)
		for (unsigned int j = 0; j < h->nr_mem; j++)
			if (range_overlap(c->passthrough[i], h->mem[j]))
				return fail(err, HYP_EINVAL, "%s.passthrough %#lx,%#lx overlaps RAM",
					    n, c->passthrough[i].base, c->passthrough[i].size);
	return 0;
}

int minihyp_dt_parse(const void *fdt, size_t max_size, struct hyp_fdt_host *host,
		     struct minihyp_cmdline *cmdline, struct hyp_fdt_err *err)
{
	static struct hyp_fdt_host hs; /* 5 KiB: off the stack */
	static struct minihyp_cmdline cl; /* 4 VMs' options: off the stack */
	struct hyp_fdt_host *h = &hs;
	struct minihyp_cmdline *c = &cl;
	int ret;

	ret = hyp_fdt_host_parse(fdt, max_size, h, err);
	if (!ret)
		ret = minihyp_cmdline_parse(h->bootargs, c, err);
	if (ret)
		return ret;
	/* vCPUs beyond the host's CPUs share them (the scheduler, main.c):
	 * minihyp_cmdline_parse() bounds each VM's to MINIHYP_MAX_CPUS. */
	for (unsigned int vm = 0; vm < MINIHYP_MAX_VMS; vm++) {
		if (vm && !(c->vm_keys & (1u << vm)))
			continue;
		ret = check_vm(h, c, vm, err);
		if (ret)
			return ret;
	}
	if (c->console && !(c->vm_keys & (1u << c->console))) /* issue 15 item 3 */
		return fail(err, HYP_EINVAL,
			    "minihyp.console=%u: VM %u has no options (minihyp.vm%u.guest=...)",
			    c->console, c->console, c->console);
	*host = *h;
	*cmdline = *c;
	return 0;
}

int minihyp_vm_guest_dt_defaults(struct hyp_fdt_guest *g, const struct hyp_fdt_host *host,
				 const struct minihyp_cmdline *cl, unsigned int vm,
				 const void *host_fdt, struct hyp_fdt_range self,
				 struct hyp_fdt_err *err)
{
	const struct minihyp_vm_cmdline *c;
	struct hyp_fdt_guest d;
	struct hyp_fdt_range img, mem;
	char buf[16];
	const char *n;

	if (vm >= MINIHYP_MAX_VMS)
		return fail(err, HYP_EINVAL, "VM %u: at most %u VMs", vm, MINIHYP_MAX_VMS);
	c = &cl->vm[vm];
	img = c->guest;
	n = vm_name(cl, vm, buf);
	if (!c->has_guest)
		return fail(err, HYP_ENOENT,
			    "no guest image: add %s.guest=ADDR,SIZE to the command line", n);
	if (range_overlap(img, self))
		return fail(err, HYP_EINVAL, "%s%sguest image %#lx,%#lx overlaps minihyp at %#lx,%#lx",
			    vm ? n : "", vm ? ": " : "", img.base, img.size, self.base, self.size);
	if (c->has_mem) {
		mem = c->mem;
		if (range_overlap(mem, self))
			return fail(err, HYP_EINVAL, "%s.mem=%#lx,%#lx overlaps minihyp at %#lx,%#lx",
				    n, mem.base, mem.size, self.base, self.size);
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
			    "no 2 MiB-aligned guest RAM around the image at %#lx beside minihyp; "
			    "give %s.mem",
			    img.base, n);
		mem.base = lo;
		mem.size = hi - lo;
	}
	if (mem.size < MINIHYP_GUEST_DTB_MAX ||
	    range_end(mem) - MINIHYP_GUEST_DTB_MAX < range_end(img))
		return fail(err, HYP_EINVAL,
			    "%s%sguest RAM %#lx,%#lx has no room for its DTB above the image (%#lx,%#lx)",
			    vm ? n : "", vm ? ": " : "", mem.base, mem.size, img.base, img.size);

	__builtin_memset(&d, 0, sizeof(d));
	d.model = "minihyp guest";
	d.mem = mem;
	d.dtb_addr = range_end(mem) - MINIHYP_GUEST_DTB_MAX;
	d.nr_vcpus = c->nr_vcpus ? c->nr_vcpus : host->nr_cpus;
	/* The host CPUs' MPIDRs; vCPUs beyond the host's CPUs (scheduled on
	 * them) get Aff0 = their index, all of them, so no two collide. */
	for (unsigned int i = 0; i < d.nr_vcpus; i++)
		d.mpidr[i] = d.nr_vcpus > host->nr_cpus ? i : host->mpidr[i];
	d.gic_version = host->gic.version;
	d.gicd = host->gic.dist;
	if (d.gic_version == 3) {
		d.gicr.base = host->gic.redist[0].base;
		d.gicr.size = d.nr_vcpus * GICR_FRAME_SIZE;
		if (d.gicr.size > host->gic.redist[0].size)
			return fail(err, HYP_EINVAL,
				    "the redistributor region at %#lx is too small for %u vCPUs",
				    d.gicr.base, d.nr_vcpus);
	} else {
		d.gicc = host->gic.vcpu;
	}
	d.nr_timer = host->nr_timer;
	for (unsigned int i = 0; i < HYP_FDT_TIMER_NR; i++)
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
			    "%s.initrd=%#lx,%#lx is not inside guest RAM %#lx,%#lx below its DTB",
			    n, c->initrd.base, c->initrd.size, mem.base, mem.size);
		if (range_overlap(c->initrd, img))
			return fail(err, HYP_EINVAL,
				    "%s.initrd=%#lx,%#lx overlaps the guest image at %#lx,%#lx",
				    n, c->initrd.base, c->initrd.size, img.base, img.size);
		d.initrd = c->initrd;
	}
	d.nr_passthrough = c->nr_passthrough;
	for (unsigned int i = 0; i < c->nr_passthrough; i++)
		d.passthrough[i] = c->passthrough[i];
	d.host_fdt = host_fdt;
	*g = d;
	return 0;
}

int minihyp_guest_dt_defaults(struct hyp_fdt_guest *g, const struct hyp_fdt_host *host,
			      const struct minihyp_cmdline *c, const void *host_fdt,
			      struct hyp_fdt_range self, struct hyp_fdt_err *err)
{
	return minihyp_vm_guest_dt_defaults(g, host, c, 0, host_fdt, self, err);
}

int minihyp_guest_dts(struct hyp_fdt_guest g[MINIHYP_MAX_VMS], unsigned int *vms,
		      const struct hyp_fdt_host *host, const struct minihyp_cmdline *c,
		      const void *host_fdt, struct hyp_fdt_range self, struct hyp_fdt_err *err)
{
	static struct hyp_fdt_guest d[MINIHYP_MAX_VMS]; /* 1 KiB each: off the stack */
	unsigned int mask = 1u | (c->vm_keys & ((1u << MINIHYP_MAX_VMS) - 2));
	char b1[16], b2[16];
	int ret;

	for (unsigned int i = 0; i < MINIHYP_MAX_VMS; i++) {
		if (!(mask & (1u << i)))
			continue;
		ret = minihyp_vm_guest_dt_defaults(&d[i], host, c, i, host_fdt, self, err);
		if (ret)
			return ret;
		/* issue 15 item 3: the PL011 belongs to the console's VM. */
		for (unsigned int k = 0; host->has_uart && i != c->console && k < d[i].nr_passthrough; k++)
			if (range_overlap(d[i].passthrough[k], host->uart))
				return fail(err, HYP_EINVAL,
					    "%s.passthrough %#lx,%#lx overlaps the PL011 at %#lx, which "
					    "belongs to VM %u (minihyp.console)",
					    vm_name(c, i, b1), d[i].passthrough[k].base,
					    d[i].passthrough[k].size, host->uart.base, c->console);
		/* Each VM's RAM, and each device, belongs to one VM. */
		for (unsigned int j = 0; j < i; j++) {
			if (!(mask & (1u << j)))
				continue;
			if (range_overlap(d[i].mem, d[j].mem))
				return fail(err, HYP_EINVAL,
					    "%s: guest RAM %#lx,%#lx overlaps %s's %#lx,%#lx (give "
					    "each VM its own minihyp.vmN.mem)",
					    vm_name(c, i, b1), d[i].mem.base, d[i].mem.size,
					    vm_name(c, j, b2), d[j].mem.base, d[j].mem.size);
			for (unsigned int k = 0; k < d[i].nr_passthrough; k++)
				for (unsigned int l = 0; l < d[j].nr_passthrough; l++)
					if (range_overlap(d[i].passthrough[k], d[j].passthrough[l]))
						return fail(
						    err, HYP_EINVAL,
						    "%s.passthrough %#lx,%#lx overlaps %s's %#lx,%#lx: a "
						    "device belongs to one VM",
						    vm_name(c, i, b1), d[i].passthrough[k].base,
						    d[i].passthrough[k].size, vm_name(c, j, b2),
						    d[j].passthrough[l].base, d[j].passthrough[l].size);
		}
	}
	for (unsigned int i = 0; i < MINIHYP_MAX_VMS; i++)
		if (mask & (1u << i))
			g[i] = d[i];
	*vms = mask;
	return 0;
}
