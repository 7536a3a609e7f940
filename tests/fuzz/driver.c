/* SPDX-License-Identifier: MIT */
/*
 * A main() for the fuzz target when libFuzzer is not there (gcc): runs
 * the files given as arguments (every file of a directory given, in name
 * order: the corpus), then -runs=N pseudo-random inputs from
 * -seed=S (xorshift64, so every run is the same). Accepts and ignores the
 * other libFuzzer-style -options, so the same command lines work, except
 * -artifact_prefix=P: when an input fails (the target aborts), it is
 * written to P<crash-seedS-N> (a file the corpus can keep) and its number
 * is printed. With -mutate=1, each random input is instead a corpus file
 * (of those given) with 1 to 8 random mutations (a byte set, a bit
 * flipped, a byte inserted or deleted, a 32-bit big-endian word set to an
 * edge value): what reaches past a parser's first checks (a DTB's header).
 */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t buf[1 << 16];
static size_t cur_len;
static long cur_run = -1; /* -1: a file */
static uint64_t cur_seed;
static const char *cur_file;
static const char *artifact_prefix = "";

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void on_abort(int sig)
{
	char name[512];
	FILE *f;

	(void)sig;
	if (cur_run < 0) {
		fprintf(stderr, "fuzz driver: file %s failed\n", cur_file);
	} else {
		snprintf(name, sizeof(name), "%scrash-seed%llu-%ld", artifact_prefix,
			 (unsigned long long)cur_seed, cur_run);
		f = fopen(name, "wb");
		if (f) {
			fwrite(buf, 1, cur_len, f);
			fclose(f);
		}
		fprintf(stderr,
			"fuzz driver: random input %ld of seed %llu (%zu bytes) failed; "
			"written to %s\n",
			cur_run, (unsigned long long)cur_seed, cur_len, f ? name : "(nowhere)");
	}
	signal(SIGABRT, SIG_DFL);
	raise(SIGABRT);
}

/* The files run, kept for -mutate. */
#define MAX_KEPT 256
static uint8_t *kept[MAX_KEPT];
static size_t kept_len[MAX_KEPT];
static unsigned nr_kept;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return 1;
	}
	cur_len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (nr_kept < MAX_KEPT && (kept[nr_kept] = malloc(cur_len + 1))) {
		memcpy(kept[nr_kept], buf, cur_len);
		kept_len[nr_kept++] = cur_len;
	}
	cur_file = path;
	LLVMFuzzerTestOneInput(buf, cur_len);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of @p dir, in name order; -1 if it is no directory. */
static long run_dir(const char *dir)
{
	static char *names[4096];
	char path[4096];
	struct dirent *de;
	size_t n = 0;
	long done = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((de = readdir(d)) && n < sizeof(names) / sizeof(names[0])) {
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (run_file(path))
			return -1;
		free(names[i]);
		done++;
	}
	return done;
}

int main(int argc, char **argv)
{
	unsigned long runs = 1000, files = 0, mutate = 0;
	uint64_t seed = 1, s;

	signal(SIGABRT, on_abort);
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "-runs=", 6))
			runs = strtoul(argv[i] + 6, NULL, 0);
		else if (!strncmp(argv[i], "-seed=", 6))
			seed = strtoull(argv[i] + 6, NULL, 0);
		else if (!strncmp(argv[i], "-mutate=", 8))
			mutate = strtoul(argv[i] + 8, NULL, 0);
		else if (!strncmp(argv[i], "-artifact_prefix=", 17))
			artifact_prefix = argv[i] + 17;
	}
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-') {
			long n = run_dir(argv[i]);

			if (n >= 0) {
				files += (unsigned long)n;
				continue;
			}
			if (run_file(argv[i]))
				return 1;
			files++;
		}
	}
	cur_seed = seed;
	s = seed * 0x9e3779b97f4a7c15ull + 1;
	for (unsigned long r = 0; r < runs; r++) {
		/* mostly short inputs, some long ones */
		size_t n = (size_t)(next(&s) % ((r % 16) ? 192 : 1536));

		if (mutate && nr_kept) {
			static const uint32_t edge[] = {0, 1, 2, 3, 4, 0x7fffffff, 0x80000000,
							0xffffffff, 0xfffffffc, 0x1000, 0xd00dfeed};
			unsigned k = (unsigned)(next(&s) % nr_kept), m = 1 + (unsigned)(next(&s) % 8);

			n = kept_len[k];
			memcpy(buf, kept[k], n);
			while (m--) {
				uint64_t x = next(&s);
				size_t at = n ? (size_t)(x >> 8) % n : 0;

				switch (x % 5) {
				case 0:
					if (n)
						buf[at] = (uint8_t)(x >> 40);
					break;
				case 1:
					if (n)
						buf[at] ^= (uint8_t)(1u << ((x >> 40) & 7));
					break;
				case 2:
					if (n < sizeof(buf)) {
						memmove(buf + at + 1, buf + at, n - at);
						buf[at] = (uint8_t)(x >> 40);
						n++;
					}
					break;
				case 3:
					if (n) {
						memmove(buf + at, buf + at + 1, n - at - 1);
						n--;
					}
					break;
				default:
					if (n >= 4) {
						uint32_t v = edge[(x >> 40) % (sizeof(edge) / sizeof(edge[0]))];

						at &= ~(size_t)3;
						if (at + 4 > n)
							at = n - 4;
						buf[at] = (uint8_t)(v >> 24);
						buf[at + 1] = (uint8_t)(v >> 16);
						buf[at + 2] = (uint8_t)(v >> 8);
						buf[at + 3] = (uint8_t)v;
					}
					break;
				}
			}
		} else {
			for (size_t i = 0; i < n; i++)
				buf[i] = (uint8_t)next(&s);
		}
		cur_len = n;
		cur_run = (long)r;
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz driver: %lu files, %lu random inputs (seed %llu): ok\n", files, runs,
	       (unsigned long long)seed);
	return 0;
}
