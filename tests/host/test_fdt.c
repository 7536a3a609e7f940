/* SPDX-License-Identifier: MIT */
/*
 * libhyp-fdt alone, without minihyp's policy on top (test_minihyp_dt.c has
 * the two together): bootargs are the caller's, the guest DT's model is
 * the caller's, hyp_fdt_fail() is what every failure goes through.
 */
#include <criterion/criterion.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp-fdt/guest.h>
#include <libhyp-fdt/host.h>
#include <libhyp/error.h>

#include "load_dtb.h"

/* minihyp rejects this DT (a misspelt minihyp. key); to libhyp-fdt its
 * bootargs are an opaque string, copied as they are. */
Test(fdt, host_parse_leaves_bootargs_to_the_caller)
{
	static struct hyp_fdt_host h;
	struct hyp_fdt_err err = {0};
	size_t size;
	void *fdt = load_dtb("bad-cmdline", &size);

	cr_assert_eq(hyp_fdt_host_parse(fdt, size, &h, &err), 0, "%s", err.msg);
	cr_assert_str_eq(h.bootargs,
			 "minihyp.guest=0x48000000,0x10000 minihyp.pasthrough=0xa000000,0x1000");
	cr_assert_eq(h.gic.version, 3);
	cr_assert_eq(h.nr_cpus, 2);
	cr_assert_eq(h.psci, HYP_FDT_PSCI_SMC);
	free(fdt);
}

static int build_model(const char *model, void *buf, size_t size, const char **got)
{
	static struct hyp_fdt_guest g;
	struct hyp_fdt_err err = {0};
	int ret, len;

	memset(&g, 0, sizeof(g));
	g.model = model;
	g.mem = (struct hyp_fdt_range){0x40000000, 0x8000000};
	g.nr_vcpus = 1;
	g.gic_version = 3;
	g.gicd = (struct hyp_fdt_range){0x8000000, 0x10000};
	g.gicr = (struct hyp_fdt_range){0x80a0000, 0x20000};
	g.nr_timer = 4;
	/* the timer binding's order: secure phys, phys, virt, hyp (QEMU virt's PPIs) */
	g.timer[HYP_FDT_TIMER_SEC_PHYS].intid = 29;
	g.timer[HYP_FDT_TIMER_PHYS].intid = 30;
	g.timer[HYP_FDT_TIMER_VIRT].intid = 27;
	g.timer[HYP_FDT_TIMER_HYP].intid = 26;
	ret = hyp_fdt_guest_build(&g, buf, size, &err);
	cr_assert_gt(ret, 0, "%s", err.msg);
	*got = fdt_getprop(buf, 0, "model", &len);
	cr_assert_not_null(*got);
	return ret;
}

Test(fdt, guest_model_is_the_callers)
{
	static uint64_t buf[0x10000 / 8];
	const char *model;

	build_model(NULL, buf, sizeof(buf), &model);
	cr_assert_str_eq(model, "libhyp guest");
	build_model("my hypervisor's guest", buf, sizeof(buf), &model);
	cr_assert_str_eq(model, "my hypervisor's guest");
}

Test(fdt, fail_sets_code_and_truncated_message)
{
	struct hyp_fdt_err err;
	char long_name[400];

	cr_assert_eq(hyp_fdt_fail(NULL, HYP_EINVAL, "x %d", 1), HYP_EINVAL);
	cr_assert_eq(hyp_fdt_fail(&err, HYP_ENOENT, "no %s at %#lx", "GIC", 0x8000000ul),
		     HYP_ENOENT);
	cr_assert_eq(err.code, HYP_ENOENT);
	cr_assert_str_eq(err.msg, "no GIC at 0x8000000");
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	hyp_fdt_fail(&err, HYP_ERANGE, "%s", long_name);
	cr_assert_eq(strlen(err.msg), HYP_FDT_MSG_MAX - 1);
}

/* A DTB whose header says version 15 (or older: fdt_check_header() takes
 * 2 onwards) is refused before the structure check: the distribution's
 * libfdt 1.6.1 fdt_check_full() dereferences NULL on such a blob (found by
 * the dt fuzzer: tests/fuzz/corpus-dt/crash-fdt-version-14). The header's
 * version is the big-endian word at byte 20 (devicetree specification
 * v0.4, 5.2 "Header": magic, totalsize, off_dt_struct, off_dt_strings,
 * off_mem_rsvmap, version). Nothing is written. */
Test(fdt, host_parse_refuses_old_versions)
{
	static struct hyp_fdt_host h, before;
	struct hyp_fdt_err err = {0};
	static const uint8_t versions[] = {2, 15, 16};
	size_t size;
	uint8_t *fdt = load_dtb("virt-gicv3", &size);

	for (size_t i = 0; i < sizeof(versions); i++) {
		memset(&h, 0xa5, sizeof(h));
		before = h;
		fdt[20] = 0;
		fdt[21] = 0;
		fdt[22] = 0;
		fdt[23] = versions[i];
		cr_assert_eq(hyp_fdt_host_parse(fdt, size, &h, &err), HYP_EFAULT, "version %u",
			     versions[i]);
		cr_assert_eq(err.code, HYP_EFAULT);
		cr_assert_eq(memcmp(&h, &before, sizeof(h)), 0);
	}
	fdt[23] = 17;
	cr_assert_eq(hyp_fdt_host_parse(fdt, size, &h, &err), 0, "%s", err.msg);
	free(fdt);
}

/* chosen/rng-seed and chosen/kaslr-seed: the caller's bytes (libhyp has no
 * entropy source), as dt-schema's chosen.yaml defines them: rng-seed a
 * uint8-array, kaslr-seed a uint64 (8 bytes, big-endian). */
static void seed_guest(struct hyp_fdt_guest *g)
{
	memset(g, 0, sizeof(*g));
	g->mem = (struct hyp_fdt_range){0x40000000, 0x8000000};
	g->nr_vcpus = 1;
	g->gic_version = 3;
	g->gicd = (struct hyp_fdt_range){0x8000000, 0x10000};
	g->gicr = (struct hyp_fdt_range){0x80a0000, 0x20000};
	g->nr_timer = 4;
	g->timer[HYP_FDT_TIMER_SEC_PHYS].intid = 29;
	g->timer[HYP_FDT_TIMER_PHYS].intid = 30;
	g->timer[HYP_FDT_TIMER_VIRT].intid = 27;
	g->timer[HYP_FDT_TIMER_HYP].intid = 26;
}

Test(fdt, guest_chosen_has_the_callers_seeds)
{
	static uint64_t buf[0x10000 / 8];
	static struct hyp_fdt_guest g;
	struct hyp_fdt_err err = {0};
	uint8_t seed[64];
	const uint8_t *p;
	int chosen, len;

	for (unsigned int i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0x5a ^ (i * 7));
	seed_guest(&g);
	g.rng_seed = seed;
	g.rng_seed_len = sizeof(seed);
	g.has_kaslr_seed = true;
	g.kaslr_seed = 0x0123456789abcdefull;
	cr_assert_gt(hyp_fdt_guest_build(&g, buf, sizeof(buf), &err), 0, "%s", err.msg);
	chosen = fdt_path_offset(buf, "/chosen");
	cr_assert_geq(chosen, 0);
	p = fdt_getprop(buf, chosen, "rng-seed", &len);
	cr_assert_not_null(p);
	cr_assert_eq(len, 64);
	cr_assert_arr_eq(p, seed, 64);
	p = fdt_getprop(buf, chosen, "kaslr-seed", &len);
	cr_assert_not_null(p);
	cr_assert_eq(len, 8);
	/* big-endian, most significant byte first */
	static const uint8_t be[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
	cr_assert_arr_eq(p, be, 8);
}

Test(fdt, guest_chosen_has_no_seed_unless_given)
{
	static uint64_t buf[0x10000 / 8];
	static struct hyp_fdt_guest g;
	struct hyp_fdt_err err = {0};
	int chosen, len;

	seed_guest(&g);
	cr_assert_gt(hyp_fdt_guest_build(&g, buf, sizeof(buf), &err), 0, "%s", err.msg);
	chosen = fdt_path_offset(buf, "/chosen");
	cr_assert_geq(chosen, 0);
	cr_assert_null(fdt_getprop(buf, chosen, "rng-seed", &len));
	cr_assert_null(fdt_getprop(buf, chosen, "kaslr-seed", &len));
	/* a kaslr-seed of 0 is still written when asked for (the flag, not the value) */
	g.has_kaslr_seed = true;
	cr_assert_gt(hyp_fdt_guest_build(&g, buf, sizeof(buf), &err), 0, "%s", err.msg);
	chosen = fdt_path_offset(buf, "/chosen");
	cr_assert_not_null(fdt_getprop(buf, chosen, "kaslr-seed", &len));
	cr_assert_eq(len, 8);
	cr_assert_null(fdt_getprop(buf, chosen, "rng-seed", &len));
}

Test(fdt, guest_bad_rng_seed_changes_nothing)
{
	static uint64_t buf[0x10000 / 8], before[0x10000 / 8];
	static struct hyp_fdt_guest g;
	static uint8_t seed[HYP_FDT_MAX_RNG_SEED + 1];
	struct hyp_fdt_err err = {0};

	memset(buf, 0xa5, sizeof(buf));
	memcpy(before, buf, sizeof(buf));
	seed_guest(&g);
	g.rng_seed = NULL;
	g.rng_seed_len = 8;
	cr_assert_eq(hyp_fdt_guest_build(&g, buf, sizeof(buf), &err), HYP_EINVAL);
	cr_assert_not_null(strstr(err.msg, "rng-seed"), "%s", err.msg);
	g.rng_seed = seed;
	g.rng_seed_len = sizeof(seed);
	cr_assert_eq(hyp_fdt_guest_build(&g, buf, sizeof(buf), &err), HYP_EINVAL);
	cr_assert_not_null(strstr(err.msg, "rng-seed"), "%s", err.msg);
	cr_assert_arr_eq(buf, before, sizeof(buf));
	g.rng_seed_len = HYP_FDT_MAX_RNG_SEED;
	cr_assert_gt(hyp_fdt_guest_build(&g, buf, sizeof(buf), &err), 0, "%s", err.msg);
}
