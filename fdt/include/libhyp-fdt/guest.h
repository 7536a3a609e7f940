/* SPDX-License-Identifier: MIT */
/**
 * @file guest.h
 * @brief libhyp-fdt, guest side: a guest's device tree from a description.
 *
 * hyp_fdt_guest_build() writes a guest DTB (memory, vCPUs with PSCI over
 * HVC, the virtual GIC, the timer, a PL011, `chosen` with bootargs and
 * initrd, and the host nodes of passed-through devices) into a caller
 * buffer, from a struct hyp_fdt_guest the hypervisor fills: which devices
 * a guest gets is the hypervisor's policy. See docs/fdt.md.
 */
#ifndef LIBHYP_FDT_GUEST_H
#define LIBHYP_FDT_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libhyp-fdt/host.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Most passthrough ranges in a struct hyp_fdt_guest. */
#define HYP_FDT_MAX_PASSTHROUGH 16

/** @brief Most bytes of `chosen/rng-seed` hyp_fdt_guest_build() writes. */
#define HYP_FDT_MAX_RNG_SEED 512

/** @brief What hyp_fdt_guest_build() writes: the hypervisor's choice of what the guest gets. */
struct hyp_fdt_guest {
	/** the root's `model`; NULL for "libhyp guest" */
	const char *model;
	struct hyp_fdt_range mem; /**< guest RAM (IPA) */
	/** where the caller should put the guest DTB (not used by the builder) */
	uint64_t dtb_addr;
	unsigned int nr_vcpus; /**< 1..HYP_FDT_MAX_CPUS */
	/** the vCPUs' MPIDR affinity (cpu nodes' `reg`; VMPIDR_EL2) */
	uint64_t mpidr[HYP_FDT_MAX_CPUS];
	unsigned int gic_version;  /**< 2 or 3 */
	struct hyp_fdt_range gicd; /**< the distributor the guest sees */
	/** GICv3: one redistributor region, 128 KiB per vCPU */
	struct hyp_fdt_range gicr;
	/** GICv2: the CPU interface the guest sees (the host's GICV frame) */
	struct hyp_fdt_range gicc;
	unsigned int nr_timer; /**< timer interrupts to describe: 4 or 5 */
	/** as hyp_fdt_host::timer; the builder sets the GICv2 CPU mask */
	struct hyp_fdt_irq timer[HYP_FDT_TIMER_NR];
	bool has_uart;		     /**< describe a PL011 (and make it stdout-path) */
	struct hyp_fdt_range uart;   /**< its registers */
	struct hyp_fdt_irq uart_irq; /**< its interrupt, intid 0 for none */
	uint32_t uart_clock_hz;	     /**< its clock (a fixed-clock node) */
	const char *bootargs;	     /**< `chosen/bootargs`, NULL for none */
	/** `chosen/linux,initrd-start` and `-end`; size 0 for none */
	struct hyp_fdt_range initrd;
	/** `chosen/rng-seed` (bytes for the guest's random pool), NULL for
	 *  none: the caller's randomness, libhyp has no entropy source */
	const uint8_t *rng_seed;
	/** bytes at rng_seed: 0 for none, at most ::HYP_FDT_MAX_RNG_SEED */
	size_t rng_seed_len;
	bool has_kaslr_seed;	     /**< write `chosen/kaslr-seed` */
	uint64_t kaslr_seed;	     /**< its value (a u64: two cells, big-endian) */
	unsigned int nr_passthrough; /**< entries in passthrough[] */
	/** device ranges given to the guest */
	struct hyp_fdt_range passthrough[HYP_FDT_MAX_PASSTHROUGH];
	/** host DT to copy passed-through device nodes from, or NULL */
	const void *host_fdt;
};

/**
 * @brief Write the guest DTB described by @p g into @p buf.
 *
 * Root (`model` from @p g, `linux,dummy-virt`, 2 address and 2 size cells, interrupt-parent
 * the GIC), `chosen` (bootargs, initrd, `rng-seed` and `kaslr-seed` when
 * @p g has them, stdout-path), `memory@`, `cpus` with
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
 * @concurrency Any CPU; reentrant; @p buf is the caller's until it returns.
 * @return the blob's size (its totalsize); HYP_EINVAL: an inconsistent
 *         configuration (no vCPUs, too many, GIC version, empty RAM,
 *         an rng-seed without bytes or longer than ::HYP_FDT_MAX_RNG_SEED,
 *         a malformed host DT); HYP_ENOMEM: @p size is too small.
 */
int hyp_fdt_guest_build(const struct hyp_fdt_guest *g, void *buf, size_t size,
			   struct hyp_fdt_err *err);


#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_FDT_GUEST_H */
