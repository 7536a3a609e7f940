/* SPDX-License-Identifier: MIT */
/**
 * @file dt.h
 * @brief minihyp's device-tree module: everything minihyp needs from libfdt.
 *
 * Two jobs, both plain C over caller-provided memory:
 *
 * 1. minihyp_dt_parse() reads the host DTB that QEMU passes (at the start of
 *    RAM, 0x40000000 on `virt`) into a struct minihyp_host: memory, CPUs,
 *    GIC version and frames, PL011 UART, timer interrupts, PSCI conduit, and
 *    minihyp's own command line (`chosen/bootargs`, see
 *    minihyp_cmdline_parse() and docs/minihyp.md).
 * 2. minihyp_guest_dt_build() writes the guest's DTB (memory, vCPUs with
 *    PSCI over HVC, the virtual GIC, the timer, the UART, `chosen`, and the
 *    host nodes of passed-through devices) into a caller buffer;
 *    minihyp_guest_dt_defaults() fills its configuration from the host's.
 *
 * Every failure returns a negative enum hyp_error code and, when @p err is
 * not NULL, a one-line message in err->msg; the output is left unchanged.
 *
 * On aarch64 libfdt uses FP/SIMD registers and unaligned accesses: call
 * these functions with the EL2 MMU on (Normal memory) and FP not trapped
 * (CPTR_EL2), before any guest FP state is live.
 */
#ifndef MINIHYP_DT_H
#define MINIHYP_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** @brief Most CPUs minihyp handles; a host DT with more is an error. */
#define MINIHYP_MAX_CPUS 8
/** @brief Most `reg` ranges over all memory nodes. */
#define MINIHYP_MAX_MEM 8
/** @brief Most GICv3 redistributor regions. */
#define MINIHYP_MAX_REDIST 4
/** @brief Most `minihyp.passthrough` ranges. */
#define MINIHYP_MAX_PASSTHROUGH 16
/** @brief Size of the command-line buffers, NUL included. */
#define MINIHYP_CMDLINE_MAX 1024
/** @brief Longest `minihyp.token=` value: hex digits. */
#define MINIHYP_TOKEN_MAX 64
/** @brief Size of an error message, NUL included. */
#define MINIHYP_DT_MSG_MAX 160
/** @brief Granule of `minihyp.guest`, `minihyp.mem` and `minihyp.passthrough`. */
#define MINIHYP_PAGE_SIZE 0x1000ull
/** @brief Room minihyp_guest_dt_defaults() leaves for the guest DTB at the top of guest RAM. */
#define MINIHYP_GUEST_DTB_MAX 0x10000ull

/** @brief A physical (or guest-physical) address range. */
struct minihyp_range {
	uint64_t base; /**< first byte */
	uint64_t size; /**< bytes; 0 = absent */
};

/** @brief An interrupt as the GIC binding describes it. */
struct minihyp_irq {
	uint32_t intid; /**< GIC INTID: 16 + PPI number, 32 + SPI number; 0 = absent */
	/**
	 * the binding's third cell: trigger type, and for GICv2 PPIs the CPU mask in bits [15:8]
	 */
	uint32_t flags;
};

/** @brief Index into minihyp_host::timer, in the order of the timer binding. */
enum minihyp_timer_irq {
	MINIHYP_TIMER_SEC_PHYS, /**< secure EL1 physical timer (INTID 29 on QEMU) */
	MINIHYP_TIMER_PHYS,	/**< non-secure EL1 physical timer (INTID 30) */
	MINIHYP_TIMER_VIRT,	/**< EL1 virtual timer (INTID 27) */
	MINIHYP_TIMER_HYP,	/**< EL2 physical timer (INTID 26) */
	MINIHYP_TIMER_HYP_VIRT, /**< EL2 virtual timer (FEAT_VHE; optional, INTID 28) */
	MINIHYP_TIMER_NR,	/**< number of entries */
};

/** @brief How the host DT says PSCI is reached. */
enum minihyp_psci_method {
	MINIHYP_PSCI_NONE = 0, /**< no `psci` node */
	MINIHYP_PSCI_SMC = 1,  /**< method = "smc" (QEMU virt with virtualization=on) */
	MINIHYP_PSCI_HVC = 2,  /**< method = "hvc" */
};

/** @brief The host's interrupt controller. */
struct minihyp_gic {
	unsigned int version;	   /**< 2 or 3 */
	uint32_t phandle;	   /**< its phandle in the host DT, 0 if none */
	struct minihyp_range dist; /**< GICD */
	unsigned int nr_redist;	   /**< GICv3: redistributor regions */
	struct minihyp_range redist[MINIHYP_MAX_REDIST]; /**< GICv3: GICR regions */
	/** GICv3 `redistributor-stride`, 0 if absent */
	uint64_t redist_stride;
	struct minihyp_range cpu; /**< GICv2: GICC */
	/** GICv2: GICH (virtual interface control) */
	struct minihyp_range hyp;
	struct minihyp_range vcpu; /**< GICv2: GICV (virtual CPU interface) */
	/** maintenance interrupt (PPI 9, INTID 25 on QEMU); intid 0 if absent */
	struct minihyp_irq maint;
};

/**
 * @brief minihyp's own command line (`chosen/bootargs`), see
 *        minihyp_cmdline_parse().
 */
struct minihyp_cmdline {
	bool has_guest; /**< `minihyp.guest=` was given */
	/** the guest image: where `-device loader` put it, and its size */
	struct minihyp_range guest;
	bool has_initrd; /**< `minihyp.initrd=` was given */
	/** an initramfs for a Linux guest: where `-device loader` put it, and its size */
	struct minihyp_range initrd;
	bool has_mem;		     /**< `minihyp.mem=` was given */
	struct minihyp_range mem;    /**< guest RAM (IPA = PA) */
	unsigned int nr_vcpus;	     /**< `minihyp.vcpus=`; 0 = one per host CPU */
	unsigned int nr_passthrough; /**< entries in passthrough[] */
	/** device pages given to the guest at IPA = PA */
	struct minihyp_range passthrough[MINIHYP_MAX_PASSTHROUGH];
	/** `minihyp.eager=1`: every register IMMEDIATE, vGIC save-all, no fast path */
	bool eager;
	/** `minihyp.fastpath=0`: every exit through the run loop */
	bool no_fast_path;
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

/** @brief What minihyp learns from the host DT. */
struct minihyp_host {
	uint32_t dtb_size;			   /**< the blob's totalsize */
	unsigned int nr_mem;			   /**< entries in mem[] */
	struct minihyp_range mem[MINIHYP_MAX_MEM]; /**< RAM, in DT order */
	unsigned int nr_cpus;			   /**< entries in mpidr[] */
	/** affinity (MPIDR_EL1 & 0xff00ffffff) of each CPU, in DT order */
	uint64_t mpidr[MINIHYP_MAX_CPUS];
	struct minihyp_gic gic; /**< the interrupt controller */
	/** timer interrupts given: 4, or 5 with the EL2 virtual timer */
	unsigned int nr_timer;
	struct minihyp_irq timer[MINIHYP_TIMER_NR]; /**< indexed by enum minihyp_timer_irq */
	/** a PL011 was found (the stdout-path one if it is a PL011) */
	bool has_uart;
	struct minihyp_range uart;   /**< its registers */
	struct minihyp_irq uart_irq; /**< its interrupt (intid 0 if none) */
	/** frequency of its first clock if a fixed clock, else 24 MHz */
	uint32_t uart_clock_hz;
	enum minihyp_psci_method psci;	    /**< PSCI conduit */
	char bootargs[MINIHYP_CMDLINE_MAX]; /**< `chosen/bootargs`, "" if absent */
	/** bootargs, parsed and checked against the memory map */
	struct minihyp_cmdline cmdline;
};

/** @brief An error: the code returned and a message for the console. */
struct minihyp_dt_err {
	int code;		      /**< the negative enum hyp_error code returned */
	char msg[MINIHYP_DT_MSG_MAX]; /**< one line, no newline, NUL-terminated */
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
int minihyp_cmdline_parse(const char *s, struct minihyp_cmdline *out, struct minihyp_dt_err *err);

/**
 * @brief Parse the host DTB at @p fdt.
 *
 * Checks the blob (header, totalsize within @p max_size, full structure
 * check), then reads: every `device_type = "memory"` node's `reg`; the
 * `/cpus/cpu@*` nodes' `reg` (MPIDR affinity); the GIC (compatible
 * "arm,gic-v3", or "arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic",
 * "arm,cortex-a7-gic" for GICv2) with its frames and maintenance interrupt;
 * the timer ("arm,armv8-timer" or "arm,armv7-timer", 4 or 5 interrupts); the
 * PL011 ("arm,pl011", preferring the one `chosen/stdout-path` names) and its
 * fixed clock; the `psci` node's method; `chosen/bootargs`, which goes
 * through minihyp_cmdline_parse() and is checked against the memory map
 * (guest image and guest RAM inside host RAM, the image inside guest RAM,
 * passthrough ranges outside RAM, vCPUs at most the host's CPUs).
 *
 * Nodes below a bus whose `ranges` translate addresses are not supported
 * (HYP_ENOTSUP); QEMU's virt machine has none on the paths read here.
 * Touches no hardware (only memory). Costs a few tree walks (about 3 million
 * instructions on QEMU's DTB, see docs/minihyp.md) and about 5 KiB of
 * stack: the result is built on the stack so that a failure leaves @p host
 * unchanged.
 * @param fdt the blob (8-byte aligned)
 * @param max_size bytes readable at @p fdt (QEMU: 1 MiB)
 * @param host written only on success
 * @param err message on failure, or NULL
 * @return 0; HYP_EFAULT: no valid DTB (bad magic, version, truncated,
 *         malformed structure); HYP_ENOENT: no memory, cpus, GIC or timer
 *         node; HYP_ERANGE: more than MINIHYP_MAX_CPUS CPUs, memory ranges
 *         or GIC redistributor regions, or a range that wraps; HYP_EINVAL:
 *         a malformed property or command line, or a command-line range
 *         outside the memory map; HYP_ENOTSUP: translated bus addresses,
 *         unusual cell sizes, a GICv3 without GICR or a GICv2 without
 *         GICH/GICV.
 */
int minihyp_dt_parse(const void *fdt, size_t max_size, struct minihyp_host *host,
		     struct minihyp_dt_err *err);

/** @brief Configuration of a guest DTB; minihyp_guest_dt_defaults() fills it. */
struct minihyp_guest_dt {
	struct minihyp_range mem; /**< guest RAM (IPA) */
	/** where the caller should put the guest DTB (not used by the builder) */
	uint64_t dtb_addr;
	unsigned int nr_vcpus; /**< 1..MINIHYP_MAX_CPUS */
	/** the vCPUs' MPIDR affinity (cpu nodes' `reg`; VMPIDR_EL2) */
	uint64_t mpidr[MINIHYP_MAX_CPUS];
	unsigned int gic_version;  /**< 2 or 3 */
	struct minihyp_range gicd; /**< the distributor the guest sees */
	/** GICv3: one redistributor region, 128 KiB per vCPU */
	struct minihyp_range gicr;
	/** GICv2: the CPU interface the guest sees (the host's GICV frame) */
	struct minihyp_range gicc;
	unsigned int nr_timer; /**< timer interrupts to describe: 4 or 5 */
	/** as minihyp_host::timer; the builder sets the GICv2 CPU mask */
	struct minihyp_irq timer[MINIHYP_TIMER_NR];
	bool has_uart;		     /**< describe a PL011 (and make it stdout-path) */
	struct minihyp_range uart;   /**< its registers */
	struct minihyp_irq uart_irq; /**< its interrupt, intid 0 for none */
	uint32_t uart_clock_hz;	     /**< its clock (a fixed-clock node) */
	const char *bootargs;	     /**< `chosen/bootargs`, NULL for none */
	/** `chosen/linux,initrd-start` and `-end`; size 0 for none */
	struct minihyp_range initrd;
	unsigned int nr_passthrough; /**< entries in passthrough[] */
	/** device ranges given to the guest */
	struct minihyp_range passthrough[MINIHYP_MAX_PASSTHROUGH];
	/** host DT to copy passed-through device nodes from, or NULL */
	const void *host_fdt;
};

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
 * @p host->cmdline) are copied.
 * Touches no hardware.
 * @param g written only on success
 * @param host from minihyp_dt_parse()
 * @param host_fdt the host DT (kept in @p g for node copies), or NULL
 * @param self minihyp's own image (its load address and size)
 * @param err message on failure, or NULL
 * @return 0; HYP_ENOENT: no `minihyp.guest` on the command line;
 *         HYP_EINVAL: the guest image or guest RAM overlaps @p self, the
 *         DTB slot overlaps the image, or guest RAM is too small.
 */
int minihyp_guest_dt_defaults(struct minihyp_guest_dt *g, const struct minihyp_host *host,
			      const void *host_fdt, struct minihyp_range self,
			      struct minihyp_dt_err *err);

/**
 * @brief Write the guest DTB described by @p g into @p buf.
 *
 * Root (`linux,dummy-virt`, 2 address and 2 size cells, interrupt-parent
 * the GIC), `chosen` (bootargs, stdout-path), `memory@`, `cpus` with
 * `cpu@` nodes (`enable-method = "psci"`), `psci` ("arm,psci-1.0",
 * "arm,psci-0.2", method "hvc"), the GIC (phandle 1), the timer, a
 * fixed-clock (phandle 2) and the PL011, then a copy of each leaf node of
 * the host DT's root whose every `reg` range lies inside one passthrough
 * range (phandles dropped; a node that refers to anything but the GIC or
 * the UART's clock is left out; the UART and interrupt controllers are
 * never copied).
 * Touches no hardware; linear in the size of the two blobs.
 * @param g the configuration
 * @param buf where to write (8-byte aligned); contents undefined on failure
 * @param size bytes at @p buf
 * @param err message on failure, or NULL
 * @return the blob's size (its totalsize); HYP_EINVAL: an inconsistent
 *         configuration (no vCPUs, too many, GIC version, empty RAM,
 *         a malformed host DT); HYP_ENOMEM: @p size is too small.
 */
int minihyp_guest_dt_build(const struct minihyp_guest_dt *g, void *buf, size_t size,
			   struct minihyp_dt_err *err);

#endif /* MINIHYP_DT_H */
