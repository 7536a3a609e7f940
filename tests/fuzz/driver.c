/* SPDX-License-Identifier: MIT */
/*
 * A main() for the fuzz target when libFuzzer is not there (gcc): runs
 * the files given as arguments, then -runs=N pseudo-random inputs from
 * -seed=S (xorshift64, so every run is the same). Accepts and ignores the
 * other libFuzzer-style -options, so the same command lines work.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int main(int argc, char **argv)
{
	unsigned long runs = 1000, files = 0;
	uint64_t seed = 1;
	static uint8_t buf[1 << 16];

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "-runs=", 6)) {
			runs = strtoul(argv[i] + 6, NULL, 0);
		} else if (!strncmp(argv[i], "-seed=", 6)) {
			seed = strtoull(argv[i] + 6, NULL, 0);
		} else if (argv[i][0] != '-') {
			FILE *f = fopen(argv[i], "rb");
			size_t n;

			if (!f) {
				perror(argv[i]);
				return 1;
			}
			n = fread(buf, 1, sizeof(buf), f);
			fclose(f);
			LLVMFuzzerTestOneInput(buf, n);
			files++;
		}
	}
	seed = seed * 0x9e3779b97f4a7c15ull + 1;
	for (unsigned long r = 0; r < runs; r++) {
		/* mostly short inputs, some long ones */
		size_t n = (size_t)(next(&seed) % ((r % 16) ? 192 : 1536));

		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)next(&seed);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("stage2 fuzz driver: %lu files, %lu random inputs: ok\n", files, runs);
	return 0;
}
