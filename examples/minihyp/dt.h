/* SPDX-License-Identifier: MIT */
/**
 * @file dt.h
 * @brief minihyp's device-tree policy on top of libhyp-fdt: its command
 *        line (`chosen/bootargs`), checked against the host's memory map,
 *        and which devices the guest gets.
 *
 * minihyp_dt_parse() reads the host DT with hyp_fdt_host_parse() and the
 * command line with minihyp_cmdline_parse(); minihyp_guest_dt_defaults()
 * fills the guest DT's description for hyp_fdt_guest_build(). Failures as
 * libhyp-fdt's: a negative enum hyp_error code and a message in @p err.
 */
#ifndef MINIHYP_DT_H
#define MINIHYP_DT_H

#include <libhyp-fdt/guest.h>
#include <libhyp-fdt/host.h>

/** @brief Most CPUs minihyp handles. */
#define MINIHYP_MAX_CPUS HYP_FDT_MAX_CPUS
/** @brief Most `minihyp.passthrough` ranges. */
#define MINIHYP_MAX_PASSTHROUGH HYP_FDT_MAX_PASSTHROUGH
/** @brief Size of the command-line buffers, NUL included. */
#define MINIHYP_CMDLINE_MAX HYP_FDT_BOOTARGS_MAX
/** @brief Longest `minihyp.token=` value: hex digits. */
#define MINIHYP_TOKEN_MAX 64
/** @brief Granule of `minihyp.guest`, `minihyp.mem` and `minihyp.passthrough`. */
#define MINIHYP_PAGE_SIZE 0x1000ull
/** @brief Room minihyp_guest_dt_defaults() leaves for the guest DTB at the top of guest RAM. */
#define MINIHYP_GUEST_DTB_MAX 0x10000ull

/**
 * @brief minihyp's own command line (`chosen/bootargs`), see
 *        minihyp_cmdline_parse().
 */
struct minihyp_cmdline {
	bool has_guest; /**< `minihyp.guest=` was given */
	/** the guest image: where `-device loader` put it, and its size */
	struct hyp_fdt_range guest;
	bool has_initrd; /**< `minihyp.initrd=` was given */
	/** an initramfs for a Linux guest: where `-device loader` put it, and its size */
	struct hyp_fdt_range initrd;
	bool has_mem;		     /**< `minihyp.mem=` was given */
	struct hyp_fdt_range mem;    /**< guest RAM (IPA = PA) */
	unsigned int nr_vcpus;	     /**< `minihyp.vcpus=`; 0 = one per host CPU */
	unsigned int nr_passthrough; /**< entries in passthrough[] */
	/** device pages given to the guest at IPA = PA */
	struct hyp_fdt_range passthrough[MINIHYP_MAX_PASSTHROUGH];
	/** `minihyp.eager=1`: every register IMMEDIATE, vGIC save-all, no fast path */
	bool eager;
	/** `minihyp.fastpath=0`: every exit through the run loop */
	bool no_fast_path;
	/** `minihyp.stats=1`: count the fast path's exits too (stats.c; issue 15) */
	bool stats;
	bool has_bootargs;		    /**< `minihyp.bootargs=` was given */
	char bootargs[MINIHYP_CMDLINE_MAX]; /**< the guest's command line, quotes removed */
	/**
	 * `minihyp.token=HEX`: the runner's secret, printed in the exit-status
	 * line (`minihyp: exit TOKEN STATUS TOKEN`) so that a guest, which
	 * shares the console, cannot forge it; never given to the guest.
	 * "" if absent.
	 */
	char token[MINIHYP_TOKEN_MAX + 1];
};

/**
 * @brief Parse minihyp's command line.
 *
 * Tokens are separated by blanks; a value may be double-quoted to hold
 * blanks (it cannot hold a double quote). Tokens that do not start with
 * `minihyp.` are ignored; an unknown `minihyp.` key is an error, so is a
 * key given twice (except `minihyp.passthrough`, which accumulates).
 * Numbers are decimal or 0x-hex with an optional K, M or G suffix.
 *
 * | token | meaning |
 * | --- | --- |
 * | `minihyp.guest=ADDR,SIZE` | the guest image's address and size (4 KiB-aligned address) |
 * | `minihyp.mem=ADDR,SIZE` | guest RAM (4 KiB-aligned) |
 * | `minihyp.initrd=ADDR,SIZE` | an initramfs in guest RAM, for `chosen/linux,initrd-*` |
 * | `minihyp.vcpus=N` | number of vCPUs, 1..MINIHYP_MAX_CPUS |
 * | `minihyp.passthrough=ADDR,SIZE[,ADDR,SIZE...]` | device pages mapped to the guest at IPA = PA
 * (4 KiB-aligned) | | `minihyp.bootargs="..."` | the guest's `chosen/bootargs` |
 * | `minihyp.eager=1` | the eager configuration (every register IMMEDIATE, the vGIC saving
 * everything, every exit through the run loop); 0 (the default) or 1 |
 * | `minihyp.fastpath=0` | every exit through the run loop; 0 or 1 (the default) |
 * | `minihyp.stats=1` | count the exits the fast path answers too (a measurement mode: about
 * 60 instructions more per fast-path exit),
 * for the statistics printed when the VM ends; 0 (the default) or 1 |
 * | `minihyp.token=HEX` | the exit-status line's secret: 1 to MINIHYP_TOKEN_MAX hex digits |
 *
 * Only syntax and alignment are checked here; minihyp_dt_parse() checks
 * the ranges against the memory map. Touches no hardware; linear in the
 * length of @p s.
 * @param s the command line, NUL-terminated (NULL is the empty line)
 * @param out written only on success
 * @param err message on failure, or NULL
 * @return 0; HYP_EINVAL for a syntax error, unknown key, repeated key or
 *         misaligned range; HYP_ERANGE for a number that overflows, a
 *         range that wraps, too many passthrough ranges or vCPUs, or a
 *         guest command line longer than MINIHYP_CMDLINE_MAX - 1.
 */
int minihyp_cmdline_parse(const char *s, struct minihyp_cmdline *out, struct hyp_fdt_err *err);

/**
 * @brief Read the host DT (hyp_fdt_host_parse()) and minihyp's command line
 *        in its `chosen/bootargs` (minihyp_cmdline_parse()), and check the
 *        line against the memory map: guest image and guest RAM inside host
 *        RAM, the image inside guest RAM, passthrough ranges outside RAM,
 *        vCPUs at most the host's CPUs.
 * @param fdt the blob
 * @param max_size bytes readable at @p fdt
 * @param host written only on success
 * @param c written only on success
 * @param err message on failure, or NULL
 * @return 0; hyp_fdt_host_parse()'s and minihyp_cmdline_parse()'s errors;
 *         HYP_EINVAL: a command-line range outside the memory map.
 */
int minihyp_dt_parse(const void *fdt, size_t max_size, struct hyp_fdt_host *host,
		     struct minihyp_cmdline *c, struct hyp_fdt_err *err);

/**
 * @brief Fill a guest DTB configuration from the host's description.
 *
 * Guest RAM: `minihyp.mem` if given, else the 2 MiB-aligned part of the
 * host RAM range holding the guest image that lies on the image's side of
 * minihyp's own image @p self. The DTB slot is the top
 * MINIHYP_GUEST_DTB_MAX bytes of guest RAM. vCPUs: `minihyp.vcpus` or
 * one per host CPU, with the host CPUs' MPIDRs. The GIC frames are the
 * host's (IPA = PA): GICD, GICR = the first redistributor region's base
 * with 128 KiB per vCPU (GICv3), GICC = the host's GICV frame (GICv2).
 * Timer, UART, passthrough ranges and bootargs (a pointer into
 * @p c) are copied; the guest DT's model is "minihyp guest".
 * Touches no hardware.
 * @param g written only on success
 * @param host from minihyp_dt_parse()
 * @param c the command line, from minihyp_dt_parse()
 * @param host_fdt the host DT (kept in @p g for node copies), or NULL
 * @param self minihyp's own image (its load address and size)
 * @param err message on failure, or NULL
 * @return 0; HYP_ENOENT: no `minihyp.guest` on the command line;
 *         HYP_EINVAL: the guest image or guest RAM overlaps @p self, the
 *         DTB slot overlaps the image, or guest RAM is too small.
 */
int minihyp_guest_dt_defaults(struct hyp_fdt_guest *g, const struct hyp_fdt_host *host,
			      const struct minihyp_cmdline *c, const void *host_fdt, struct hyp_fdt_range self,
			      struct hyp_fdt_err *err);

#endif /* MINIHYP_DT_H */
