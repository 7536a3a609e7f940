/* SPDX-License-Identifier: MIT */
/*
 * Fuzzer for minihyp's command line (minihyp_cmdline_parse()) and
 * libhyp-fdt's host DT reader (hyp_fdt_host_parse()) with mutated inputs.
 * The first byte picks the target (even: the command line, the rest of the
 * input NUL-terminated; odd: a DTB, the rest of the input copied to an
 * 8-byte aligned buffer of exactly its size). Seeds: tests/fuzz/corpus-dt/
 * (the DTBs of tests/host/dts and command lines of minihyp's tests).
 *
 * Invariants: no crash or sanitizer report, no read past the input; the
 * return value is 0 or one of the documented negative codes; on an error
 * the output struct is byte-for-byte unchanged and err holds the same code
 * with a NUL-terminated one-line message; on success the output keeps the
 * documented bounds (counts within the arrays, strings NUL-terminated,
 * ranges that do not wrap, the command line's 4 KiB alignments, the token
 * 1..64 hex digits); the same input parses to the same result twice.
 * See docs/fuzzing.md.
 */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp-fdt/host.h>
#include <libhyp/error.h>

#include "dt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c, ...)                                                                              \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "dt fuzz: %s:%d: %s: ", __FILE__, __LINE__, #c);           \
			fprintf(stderr, __VA_ARGS__);                                              \
			fprintf(stderr, "\n");                                                     \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void check_err(const struct hyp_fdt_err *err, int rc)
{
	const char *nul = memchr(err->msg, 0, sizeof(err->msg));

	CHECK(err->code == rc, "err.code %d, rc %d", err->code, rc);
	CHECK(nul != NULL, "message not NUL-terminated");
	CHECK(!memchr(err->msg, '\n', (size_t)(nul - err->msg)), "message with a newline");
	CHECK(nul != err->msg, "empty message");
}

static void check_range(const struct hyp_fdt_range *r, bool aligned, const char *what)
{
	CHECK(r->base + r->size >= r->base || r->base + r->size == 0, "%s wraps", what);
	if (aligned)
		CHECK(!(r->base & 0xfff) && !(r->size & 0xfff), "%s not 4K-aligned: %#llx,%#llx",
		      what, (unsigned long long)r->base, (unsigned long long)r->size);
}

static void fuzz_cmdline(const uint8_t *d, size_t n)
{
	static char line[8192];
	static struct minihyp_cmdline out, sentinel, again;
	struct hyp_fdt_err err;
	int rc;

	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, d, n);
	line[n] = 0;
	memset(&out, 0xa5, sizeof(out));
	sentinel = out;
	memset(&err, 0x5a, sizeof(err));
	rc = minihyp_cmdline_parse(line, &out, &err);
	if (rc) {
		CHECK(rc == HYP_EINVAL || rc == HYP_ERANGE, "cmdline rc %d", rc);
		CHECK(!memcmp(&out, &sentinel, sizeof(out)), "a refused command line wrote out");
		check_err(&err, rc);
		return;
	}
	CHECK(out.nr_passthrough <= MINIHYP_MAX_PASSTHROUGH, "%u passthrough", out.nr_passthrough);
	CHECK(out.nr_vcpus <= MINIHYP_MAX_CPUS, "%u vCPUs", out.nr_vcpus);
	CHECK(memchr(out.bootargs, 0, sizeof(out.bootargs)), "bootargs not terminated");
	{
		size_t t = strnlen(out.token, sizeof(out.token));

		CHECK(t < sizeof(out.token), "token not terminated");
		CHECK(t == strspn(out.token, "0123456789abcdefABCDEF"), "token not hex: %s",
		      out.token);
	}
	if (out.has_guest)
		CHECK(!(out.guest.base & 0xfff), "guest address %#llx",
		      (unsigned long long)out.guest.base);
	if (out.has_mem)
		check_range(&out.mem, true, "mem");
	for (unsigned i = 0; i < out.nr_passthrough; i++)
		check_range(&out.passthrough[i], true, "passthrough");
	if (out.has_guest)
		check_range(&out.guest, false, "guest");
	if (out.has_initrd)
		check_range(&out.initrd, false, "initrd");
	memset(&again, 0, sizeof(again));
	CHECK(minihyp_cmdline_parse(line, &again, NULL) == 0, "second parse");
	CHECK(again.has_guest == out.has_guest && again.has_mem == out.has_mem &&
		  again.has_initrd == out.has_initrd && again.nr_vcpus == out.nr_vcpus &&
		  again.nr_passthrough == out.nr_passthrough && again.eager == out.eager &&
		  again.no_fast_path == out.no_fast_path && again.guest.base == out.guest.base &&
		  again.mem.size == out.mem.size && !strcmp(again.bootargs, out.bootargs) &&
		  !strcmp(again.token, out.token),
	      "not deterministic");
}

static void fuzz_fdt(const uint8_t *d, size_t n)
{
	static uint64_t blob[(1 << 16) / 8];
	static struct hyp_fdt_host host, sentinel, again;
	struct hyp_fdt_err err;
	uint8_t *exact;
	int rc;

	if (n > sizeof(blob))
		n = sizeof(blob);
	/* Exactly n bytes on the heap (ASan sees any read past them), 8-byte
	 * aligned (malloc's alignment). */
	exact = malloc(n ? n : 1);
	CHECK(exact != NULL, "malloc");
	memcpy(exact, d, n);
	memset(&host, 0xa5, sizeof(host));
	sentinel = host;
	memset(&err, 0x5a, sizeof(err));
	rc = hyp_fdt_host_parse(exact, n, &host, &err);
	if (rc) {
		CHECK(rc == HYP_EFAULT || rc == HYP_ENOENT || rc == HYP_ERANGE ||
			  rc == HYP_EINVAL || rc == HYP_ENOTSUP,
		      "fdt rc %d", rc);
		CHECK(!memcmp(&host, &sentinel, sizeof(host)), "a refused DTB wrote host");
		check_err(&err, rc);
		free(exact);
		return;
	}
	CHECK(host.dtb_size <= n, "dtb_size %u of %zu", host.dtb_size, n);
	CHECK(host.nr_mem >= 1 && host.nr_mem <= HYP_FDT_MAX_MEM, "%u memory ranges", host.nr_mem);
	CHECK(host.nr_cpus >= 1 && host.nr_cpus <= HYP_FDT_MAX_CPUS, "%u CPUs", host.nr_cpus);
	CHECK(host.gic.version == 2 || host.gic.version == 3, "GIC v%u", host.gic.version);
	CHECK(host.gic.nr_redist <= HYP_FDT_MAX_REDIST, "%u GICR", host.gic.nr_redist);
	CHECK(host.nr_timer == 4 || host.nr_timer == 5, "%u timer irqs", host.nr_timer);
	CHECK(memchr(host.bootargs, 0, sizeof(host.bootargs)), "bootargs not terminated");
	for (unsigned i = 0; i < host.nr_mem; i++)
		check_range(&host.mem[i], false, "mem");
	for (unsigned i = 0; i < host.gic.nr_redist; i++)
		check_range(&host.gic.redist[i], false, "redist");
	check_range(&host.gic.dist, false, "dist");
	memset(&again, 0, sizeof(again));
	CHECK(hyp_fdt_host_parse(exact, n, &again, NULL) == 0, "second parse");
	(void)blob;
	free(exact);
	/* Padding bytes of the structs may differ: compare the fields read. */
	CHECK(again.nr_mem == host.nr_mem && again.nr_cpus == host.nr_cpus &&
		  !memcmp(again.mem, host.mem, sizeof(host.mem[0]) * host.nr_mem) &&
		  !memcmp(again.mpidr, host.mpidr, sizeof(host.mpidr[0]) * host.nr_cpus) &&
		  !strcmp(again.bootargs, host.bootargs),
	      "not deterministic");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_fdt(data + 1, size - 1);
	else
		fuzz_cmdline(data + 1, size - 1);
	return 0;
}
