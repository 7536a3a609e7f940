/* SPDX-License-Identifier: MIT */
/* The DTB tests' loader (test_minihyp_dt.c, test_fdt.c): DTB_DIR/NAME.dtb
 * into a zeroed malloc'd buffer with 64 KiB of room for edits. */
#ifndef TESTS_HOST_LOAD_DTB_H
#define TESTS_HOST_LOAD_DTB_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *load_dtb(const char *name, size_t *size)
{
	char path[512];
	FILE *f;
	long n;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s.dtb", DTB_DIR, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	/* malloc: 16-byte aligned; room for edits. */
	buf = malloc((size_t)n + 0x10000);
	cr_assert_not_null(buf);
	memset(buf, 0, (size_t)n + 0x10000);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (size)
		*size = (size_t)n;
	return buf;
}

#endif
