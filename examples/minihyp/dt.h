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

/** @brief Most VMs minihyp runs at once (`minihyp.vm0` .. `minihyp.vm3`). */
#define MINIHYP_MAX_VMS 4
/** @brief Default time slice of the vCPU scheduler, in microseconds (`minihyp.slice_us`). */
#define MINIHYP_SLICE_US_DEFAULT 10000u
/** @brief Largest `minihyp.wake_grace_us` (the longest time slice). */
#define MINIHYP_WAKE_GRACE_US_MAX 10000000u

/* ---- issue 15 item 6 (helper M): minihyp.policy ---- */
/** @brief `minihyp.policy=`: the sysreg engine's policies for every VM (docs/minihyp.md). */
enum minihyp_policy {
	MINIHYP_POLICY_DEFAULT = 0, /**< not given: ADAPTIVE, or IMMEDIATE with `minihyp.eager=1` */
	MINIHYP_POLICY_IMMEDIATE,   /**< `immediate`: every register IMMEDIATE */
	MINIHYP_POLICY_DEFERRED,    /**< `deferred`: every register DEFERRED */
	MINIHYP_POLICY_DIRTY,	    /**< `dirty`: the TVM group DIRTY, the rest DEFERRED */
	MINIHYP_POLICY_ADAPTIVE,    /**< `adaptive`: `dirty` with the adaptive mode (the default) */
};
/* ---- end of issue 15 item 6 (helper M) ---- */

/**
 * @brief One VM's part of the command line: `minihyp.vmN.KEY=VALUE`, or for
 *        VM 0 also the un-prefixed `minihyp.KEY=VALUE`.
 *
 * The fields are declared once by this macro so that struct
 * minihyp_cmdline can name VM 0's directly (`c.guest` is `c.vm[0].guest`).
 */
#define MINIHYP_VM_CMDLINE_FIELDS                                                        \
	bool has_guest; /**< `guest=` was given */                                     \
	/** the guest image: where `-device loader` put it, and its size */            \
	struct hyp_fdt_range guest;                                                    \
	bool has_initrd; /**< `initrd=` was given */                                   \
	/** an initramfs for a Linux guest: where `-device loader` put it, and its size */ \
	struct hyp_fdt_range initrd;                                                   \
	bool has_mem;		     /**< `mem=` (or `ram=`) was given */              \
	struct hyp_fdt_range mem;    /**< guest RAM (IPA = PA) */                      \
	unsigned int nr_vcpus;	     /**< `vcpus=`; 0 = one per host CPU */            \
	unsigned int nr_passthrough; /**< entries in passthrough[] */                  \
	/** device pages given to the guest at IPA = PA */                             \
	struct hyp_fdt_range passthrough[MINIHYP_MAX_PASSTHROUGH];                     \
	bool has_bootargs;		    /**< `bootargs=` was given */              \
	char bootargs[MINIHYP_CMDLINE_MAX]; /**< the guest's command line, quotes removed */

/** @brief One VM's options (see MINIHYP_VM_CMDLINE_FIELDS). */
struct minihyp_vm_cmdline {
	MINIHYP_VM_CMDLINE_FIELDS
};

/**
 * @brief minihyp's own command line (`chosen/bootargs`), see
 *        minihyp_cmdline_parse().
 */
struct minihyp_cmdline {
	union {
		/** each VM's options; vm[0] is also named by the fields below */
		struct minihyp_vm_cmdline vm[MINIHYP_MAX_VMS];
		struct {
			MINIHYP_VM_CMDLINE_FIELDS
		};
	};
	/** bit N (N >= 1): some `minihyp.vmN.` option was given (VM 0 always exists) */
	unsigned int vm_keys;
	/** `minihyp.eager=1`: every register IMMEDIATE, vGIC save-all, no fast path */
	bool eager;
	/** `minihyp.fastpath=0`: every exit through the run loop */
	bool no_fast_path;
	/** `minihyp.slice_us=N`: the scheduler's time slice; 0 = MINIHYP_SLICE_US_DEFAULT */
	uint32_t slice_us;
	/** `minihyp.stats=1`: count the fast path's exits too (stats.c; issue 15) */
	bool stats;
	/** `minihyp.policy=NAME`: enum minihyp_policy (issue 15 item 6, helper M) */
	uint8_t policy;
	/**
	 * `minihyp.console=N` (issue 15 item 3): the VM that owns the PL011 and
	 * its interrupt (default 0); every other VM gets an emulated PL011
	 */
	unsigned int console;
	/**
	 * `minihyp.token=HEX`: the runner's secret, printed in the exit-status
	 * line (`minihyp: exit TOKEN STATUS TOKEN`) so that a guest, which
	 * shares the console, cannot forge it; never given to the guest.
	 * "" if absent.
	 */
	char token[MINIHYP_TOKEN_MAX + 1];
	/**
	 * `minihyp.s2_prefault=0|1` (issue 15): every VM's RAM mapped in its
	 * stage 2 at VM creation (1) or on first touch (0); unset (0 here,
	 * MINIHYP_S2_PREFAULT_AUTO): at creation on a CPU with FEAT_S2FWB
	 * only (docs/stage2.md, "Guest RAM at VM creation")
	 */
	uint8_t s2_prefault;
	/**
	 * `minihyp.wake_grace_us=N` (issue 15): how late at most a wake-up
	 * preempts the vCPU running on the woken vCPU's CPU, 0 to
	 * MINIHYP_WAKE_GRACE_US_MAX microseconds (the scheduler caps it at the
	 * time slice); meaningful only with @ref has_wake_grace
	 */
	uint32_t wake_grace_us;
	/** `minihyp.wake_grace_us` was given (else the scheduler's default, 10 us) */
	bool has_wake_grace;
};

/** minihyp_cmdline::s2_prefault values */
enum minihyp_s2_prefault {
	MINIHYP_S2_PREFAULT_AUTO = 0, /**< not given: at creation with FWB, else on first touch */
	MINIHYP_S2_PREFAULT_OFF = 1,  /**< `minihyp.s2_prefault=0`: on first touch */
	MINIHYP_S2_PREFAULT_ON = 2,   /**< `minihyp.s2_prefault=1`: at creation */
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
 * | `minihyp.policy=P` | the sysreg policies of every VM: `immediate`, `deferred`, `dirty` or
 * `adaptive` (enum minihyp_policy; the default is `adaptive`; with `minihyp.eager=1` only
 * `immediate` is accepted) |
 * | `minihyp.token=HEX` | the exit-status line's secret: 1 to MINIHYP_TOKEN_MAX hex digits |
 * | `minihyp.slice_us=N` | the scheduler's time slice in microseconds (100 to 10000000) |
 * | `minihyp.wake_grace_us=N` | how late at most a wake-up preempts the running vCPU, 0 to
 * MINIHYP_WAKE_GRACE_US_MAX microseconds, at most the time slice (default 10) |
 * | `minihyp.console=N` | the VM that owns the PL011 (0 to MINIHYP_MAX_VMS - 1, default 0);
 * the others get an emulated one |
 * | `minihyp.s2_prefault=0` | each VM's RAM mapped in its stage 2 on first touch (0) or at VM
 * creation (1); the default: at creation on a CPU with FEAT_S2FWB, on first touch without |
 *
 * Several VMs (at most MINIHYP_MAX_VMS): `minihyp.vmN.KEY=VALUE`, N = 0 to
 * 3, KEY one of guest, mem (or its alias ram), initrd, passthrough, vcpus,
 * bootargs, each with the meaning above for VM N; the un-prefixed keys are
 * VM 0's (`minihyp.guest` and `minihyp.vm0.guest` are the same key: both
 * is "given twice"). eager, fastpath, token, `minihyp.slice_us=N` (the
 * vCPU scheduler's time slice, 100 to 10000000 microseconds) and
 * `minihyp.wake_grace_us=N` are global.
 * An N above 3 is HYP_ERANGE, an unknown KEY after `minihyp.vmN.`
 * HYP_EINVAL.
 *
 * Only syntax and alignment are checked here; minihyp_dt_parse() checks
 * the ranges against the memory map. Touches no hardware; linear in the
 * length of @p s.
 * @param s the command line, NUL-terminated (NULL is the empty line)
 * @param out written only on success
 * @param err message on failure, or NULL
 * @return 0; HYP_EINVAL for a syntax error, unknown key, repeated key or
 *         misaligned range; HYP_ERANGE for a number that overflows, a
 *         range that wraps, too many passthrough ranges or vCPUs, a VM
 *         number above MINIHYP_MAX_VMS - 1, a slice out of range, or a
 *         guest command line longer than MINIHYP_CMDLINE_MAX - 1.
 * @note Not reentrant: it parses into a static buffer (4 VMs' options are
 *       too large for minihyp's 16 KiB stacks), boot code calls it once.
 */
int minihyp_cmdline_parse(const char *s, struct minihyp_cmdline *out, struct hyp_fdt_err *err);

/**
 * @brief Read the host DT (hyp_fdt_host_parse()) and minihyp's command line
 *        in its `chosen/bootargs` (minihyp_cmdline_parse()), and check the
 *        line against the memory map, for each VM: guest image and guest
 *        RAM inside host RAM, the image inside guest RAM, passthrough
 *        ranges outside RAM; a VM N >= 1 with options must have a guest.
 *        A VM may have more vCPUs than the host has CPUs (they are
 *        scheduled on them), at most MINIHYP_MAX_CPUS.
 * @param fdt the blob
 * @param max_size bytes readable at @p fdt
 * @param host written only on success
 * @param c written only on success
 * @param err message on failure, or NULL
 * @return 0; hyp_fdt_host_parse()'s and minihyp_cmdline_parse()'s errors;
 *         HYP_EINVAL: a command-line range outside the memory map, or a
 *         `minihyp.console=N` naming a VM that has no options.
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

/**
 * @brief minihyp_guest_dt_defaults() for VM @p vm (`minihyp.vmN.` options;
 *        VM 0: also the un-prefixed ones). Messages name the VM's keys.
 * @param g written only on success
 * @param host from minihyp_dt_parse()
 * @param c the command line, from minihyp_dt_parse()
 * @param vm the VM, 0 to MINIHYP_MAX_VMS - 1
 * @param host_fdt the host DT, or NULL
 * @param self minihyp's own image
 * @param err message on failure, or NULL
 * @return as minihyp_guest_dt_defaults(); HYP_EINVAL for a @p vm out of range
 */
int minihyp_vm_guest_dt_defaults(struct hyp_fdt_guest *g, const struct hyp_fdt_host *host,
				 const struct minihyp_cmdline *c, unsigned int vm,
				 const void *host_fdt, struct hyp_fdt_range self,
				 struct hyp_fdt_err *err);

/**
 * @brief Every VM's guest DT configuration (minihyp_vm_guest_dt_defaults()
 *        of VM 0 and of each VM N with `minihyp.vmN.` options), checked
 *        against each other: no two VMs' guest RAM overlap (so no image
 *        or initrd lies in another VM's RAM), no passthrough range is
 *        given to two VMs. Touches no hardware.
 * @param g each VM's, written only on success (entries of absent VMs untouched)
 * @param vms on success, bit N set for each VM N configured (bit 0 always)
 * @param host from minihyp_dt_parse()
 * @param c the command line, from minihyp_dt_parse()
 * @param host_fdt the host DT, or NULL
 * @param self minihyp's own image
 * @param err message on failure, or NULL
 * @return 0; a VM's minihyp_vm_guest_dt_defaults() error; HYP_EINVAL for
 *         overlapping guest RAM or a device given to two VMs (also: a
 *         passthrough range over the PL011 in a VM that does not own it,
 *         `minihyp.console`)
 */
int minihyp_guest_dts(struct hyp_fdt_guest g[MINIHYP_MAX_VMS], unsigned int *vms,
		      const struct hyp_fdt_host *host, const struct minihyp_cmdline *c,
		      const void *host_fdt, struct hyp_fdt_range self, struct hyp_fdt_err *err);

#endif /* MINIHYP_DT_H */
