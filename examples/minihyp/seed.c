/* SPDX-License-Identifier: MIT */
/*
 * minihyp: the guest DT's rng-seed and kaslr-seed (seed.h).
 *
 * Quality: RNDR (FEAT_RNG) returns a value from the CPU's random number
 * generator (on QEMU, the host's getrandom()): full entropy. Without it,
 * QEMU's DT carries 32 bytes of rng-seed and 8 of kaslr-seed from the
 * host's getrandom(), fresh on every boot; those 320 bits are folded into
 * a 256-bit state with CNTPCT_EL0 (a few bits of boot timing) and the
 * guest's index, and squeezed out. The mix (SplitMix64's finaliser) is not
 * a cryptographic hash: it keeps the host seed's entropy (up to the 256
 * bits of state) and makes two guests' seeds differ; Linux hashes rng-seed
 * into its pool with BLAKE2s anyway. Without either source the guest gets
 * no rng-seed and a kaslr-seed from CNTPCT_EL0 alone: a few bits, enough to
 * move the kernel between boots, not to hide it from a determined guest
 * user.
 */
#include <libfdt.h>

#include <libhyp/cpufeat.h>
#include <libhyp/hw.h>
#include <libhyp/sysreg.h>

#include "minihyp.h"
#include "seed.h"

#define SEED_BYTES 64

static uint8_t seeds[MH_SEED_GUESTS][SEED_BYTES];
static unsigned int nr_seeded;

/*
 * RNDR, Random Number (Arm ARM DDI 0487K.a, D23.2.147): op0 3, op1 3, CRn
 * 2, CRm 4, op2 0. NZCV is 0b0000 with a random value, 0b0100 (Z) and the
 * value 0 when none could be had in a reasonable time: try again a few
 * times. The generic register name needs no +rng in the assembler.
 */
static bool rndr(uint64_t *v)
{
	for (int i = 0; i < 16; i++) {
		uint64_t x, fail;

		__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, eq"
				 : "=r"(x), "=r"(fail)
				 :
				 : "cc");
		if (!fail) {
			*v = x;
			return true;
		}
	}
	return false;
}

/* SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijection of 64 bits. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct pool {
	uint64_t s[4];
	unsigned int n;
};

/* One 64-bit word into the state: every word of it changes. */
static void absorb(struct pool *p, uint64_t w)
{
	unsigned int k = p->n++;

	p->s[k & 3] ^= mix64(w + 0x9e3779b97f4a7c15ull * (k + 1));
	for (int i = 0; i < 4; i++)
		p->s[i] = mix64(p->s[i] + p->s[(i + 1) & 3] + (uint64_t)i);
}

static uint64_t squeeze(struct pool *p)
{
	absorb(p, hyp_read_sysreg(HYP_SYS_CNTPCT_EL0));
	return p->s[0] ^ p->s[2];
}

static uint64_t be64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/* Absorb /chosen/@name of the host DT; its length, 0 if it has none. */
static int absorb_host(struct pool *p, const void *fdt, int chosen, const char *name)
{
	int len = 0;
	const uint8_t *b = chosen >= 0 ? fdt_getprop(fdt, chosen, name, &len) : NULL;
	uint8_t last[8] = {0};

	if (!b || len <= 0)
		return 0;
	for (int i = 0; i + 8 <= len; i += 8)
		absorb(p, be64(b + i));
	for (int i = 0; i < len % 8; i++)
		last[i] = b[len - len % 8 + i];
	if (len % 8)
		absorb(p, be64(last));
	return len;
}

void mh_seed_guest_dt(struct hyp_fdt_guest *g, const void *host_fdt)
{
	uint8_t *out;
	struct pool p = {{0}, 0};
	uint64_t w;
	int chosen, host_bytes;

	if (nr_seeded >= MH_SEED_GUESTS)
		mh_fail("seed: more than %u guests", MH_SEED_GUESTS);
	out = seeds[nr_seeded++];

	if (HYP_CPU_IDFIELD(ID_AA64ISAR0_EL1, RNDR) >= 1 && rndr(&w)) {
		for (int i = 0; i < SEED_BYTES; i += 8) {
			if (!rndr(&w))
				mh_fail("seed: RNDR stopped answering");
			for (int j = 0; j < 8; j++)
				out[i + j] = (uint8_t)(w >> (8 * j));
		}
		if (!rndr(&g->kaslr_seed))
			mh_fail("seed: RNDR stopped answering");
		g->rng_seed = out;
		g->rng_seed_len = SEED_BYTES;
		g->has_kaslr_seed = true;
		mh_printf("minihyp: guest rng-seed and kaslr-seed from RNDR\n");
		return;
	}

	chosen = host_fdt ? fdt_path_offset(host_fdt, "/chosen") : -1;
	absorb(&p, nr_seeded);
	absorb(&p, hyp_read_sysreg(HYP_SYS_CNTPCT_EL0));
	host_bytes = absorb_host(&p, host_fdt, chosen, "rng-seed");
	host_bytes += absorb_host(&p, host_fdt, chosen, "kaslr-seed");
	g->kaslr_seed = squeeze(&p);
	g->has_kaslr_seed = true;
	if (host_bytes < 16) {
		g->rng_seed = NULL;
		g->rng_seed_len = 0;
		mh_printf("minihyp: guest kaslr-seed from CNTPCT only (weak), no rng-seed: "
			  "no RNDR, no seed in the host DT\n");
		return;
	}
	for (int i = 0; i < SEED_BYTES; i += 8) {
		w = squeeze(&p);
		for (int j = 0; j < 8; j++)
			out[i + j] = (uint8_t)(w >> (8 * j));
	}
	g->rng_seed = out;
	g->rng_seed_len = SEED_BYTES;
	mh_printf("minihyp: guest rng-seed and kaslr-seed from the host DT's %d bytes of seed "
		  "and CNTPCT\n",
		  host_bytes);
}
