/* SPDX-License-Identifier: MIT */
/*
 * minihyp: entropy for a guest's device tree (seed.c): `chosen/rng-seed`
 * and `chosen/kaslr-seed`, which libhyp-fdt writes from the caller's bytes
 * (libhyp is freestanding and has no entropy source of its own).
 */
#ifndef MINIHYP_SEED_H
#define MINIHYP_SEED_H

#include <libhyp-fdt/guest.h>

/*
 * Fill @g's rng_seed (64 bytes, in a buffer of seed.c's for this call's
 * guest: at most MH_SEED_GUESTS calls) and kaslr_seed, and print where
 * they came from. Sources, best first: RNDR if every CPU has FEAT_RNG
 * (cpufeat finalized); else the host DT's own /chosen/rng-seed and
 * kaslr-seed (QEMU virt writes both from the host's getrandom()), mixed
 * with CNTPCT_EL0 and a per-guest counter; with neither, kaslr-seed from
 * CNTPCT_EL0 alone and no rng-seed (a guest must not credit a guessable
 * value as entropy). docs/linux-guest.md has the quality of each.
 */
void mh_seed_guest_dt(struct hyp_fdt_guest *g, const void *host_fdt);

/* Guests whose seeds seed.c can hold. */
#define MH_SEED_GUESTS 4

#endif /* MINIHYP_SEED_H */
