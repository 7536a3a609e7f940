/* SPDX-License-Identifier: MIT */
/**
 * @file host.h
 * @brief libhyp-fdt, host side: the platform a hypervisor runs on, read from
 *        the host's device tree.
 *
 * hyp_fdt_host_parse() reads the host DTB (on QEMU's `virt` at the start of
 * RAM) into a struct hyp_fdt_host: memory, CPUs and their MPIDRs, GIC
 * version, frames and maintenance interrupt, PL011 UART, timer interrupts,
 * PSCI conduit and `chosen/bootargs`, every property checked. Plain C over
 * caller-provided memory, on top of libfdt. Every failure returns a
 * negative enum hyp_error code and, when @p err is not NULL, a one-line
 * message; the output is left unchanged.
 *
 * On aarch64 a Linux-built libfdt uses FP/SIMD registers and unaligned
 * accesses: call with the EL2 MMU on (Normal memory) and FP not trapped
 * (CPTR_EL2), before any guest FP state is live. libhyp-fdt is a separate
 * library (`libhyp_fdt.a`, pkg-config and Meson dependency `libhyp-fdt`,
 * needing libhyp-rt and libfdt); see docs/fdt.md.
 */
#ifndef LIBHYP_FDT_HOST_H
#define LIBHYP_FDT_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Most CPUs a struct hyp_fdt_host holds; a host DT with more is an error. */
#define HYP_FDT_MAX_CPUS 8
/** @brief Most `reg` ranges over all memory nodes. */
#define HYP_FDT_MAX_MEM 8
/** @brief Most GICv3 redistributor regions. */
#define HYP_FDT_MAX_REDIST 4
/** @brief Size of hyp_fdt_host::bootargs, NUL included. */
#define HYP_FDT_BOOTARGS_MAX 1024
/** @brief Size of an error message, NUL included. */
#define HYP_FDT_MSG_MAX 160

/** @brief A physical (or guest-physical) address range. */
struct hyp_fdt_range {
	uint64_t base; /**< first byte */
	uint64_t size; /**< bytes; 0 = absent */
};

/** @brief An interrupt as the GIC binding describes it. */
struct hyp_fdt_irq {
	uint32_t intid; /**< GIC INTID: 16 + PPI number, 32 + SPI number; 0 = absent */
	/**
	 * the binding's third cell: trigger type, and for GICv2 PPIs the CPU mask in bits [15:8]
	 */
	uint32_t flags;
};

/** @brief Index into hyp_fdt_host::timer, in the order of the timer binding. */
enum hyp_fdt_timer_irq {
	HYP_FDT_TIMER_SEC_PHYS, /**< secure EL1 physical timer (INTID 29 on QEMU) */
	HYP_FDT_TIMER_PHYS,	/**< non-secure EL1 physical timer (INTID 30) */
	HYP_FDT_TIMER_VIRT,	/**< EL1 virtual timer (INTID 27) */
	HYP_FDT_TIMER_HYP,	/**< EL2 physical timer (INTID 26) */
	HYP_FDT_TIMER_HYP_VIRT, /**< EL2 virtual timer (FEAT_VHE; optional, INTID 28) */
	HYP_FDT_TIMER_NR,	/**< number of entries */
};

/** @brief How the host DT says PSCI is reached. */
enum hyp_fdt_psci_method {
	HYP_FDT_PSCI_NONE = 0, /**< no `psci` node */
	HYP_FDT_PSCI_SMC = 1,  /**< method = "smc" (QEMU virt with virtualization=on) */
	HYP_FDT_PSCI_HVC = 2,  /**< method = "hvc" */
};

/** @brief The host's interrupt controller. */
struct hyp_fdt_gic {
	unsigned int version;	   /**< 2 or 3 */
	uint32_t phandle;	   /**< its phandle in the host DT, 0 if none */
	struct hyp_fdt_range dist; /**< GICD */
	unsigned int nr_redist;	   /**< GICv3: redistributor regions */
	struct hyp_fdt_range redist[HYP_FDT_MAX_REDIST]; /**< GICv3: GICR regions */
	/** GICv3 `redistributor-stride`, 0 if absent */
	uint64_t redist_stride;
	struct hyp_fdt_range cpu; /**< GICv2: GICC */
	/** GICv2: GICH (virtual interface control) */
	struct hyp_fdt_range hyp;
	struct hyp_fdt_range vcpu; /**< GICv2: GICV (virtual CPU interface) */
	/** maintenance interrupt (PPI 9, INTID 25 on QEMU); intid 0 if absent */
	struct hyp_fdt_irq maint;
};

/** @brief What a hypervisor learns from the host DT: hyp_fdt_host_parse() fills it. */
struct hyp_fdt_host {
	uint32_t dtb_size;			   /**< the blob's totalsize */
	unsigned int nr_mem;			   /**< entries in mem[] */
	struct hyp_fdt_range mem[HYP_FDT_MAX_MEM]; /**< RAM, in DT order */
	unsigned int nr_cpus;			   /**< entries in mpidr[] */
	/** affinity (MPIDR_EL1 & 0xff00ffffff) of each CPU, in DT order */
	uint64_t mpidr[HYP_FDT_MAX_CPUS];
	struct hyp_fdt_gic gic; /**< the interrupt controller */
	/** timer interrupts given: 4, or 5 with the EL2 virtual timer */
	unsigned int nr_timer;
	struct hyp_fdt_irq timer[HYP_FDT_TIMER_NR]; /**< indexed by enum hyp_fdt_timer_irq */
	/** a PL011 was found (the stdout-path one if it is a PL011) */
	bool has_uart;
	struct hyp_fdt_range uart;   /**< its registers */
	struct hyp_fdt_irq uart_irq; /**< its interrupt (intid 0 if none) */
	/** frequency of its first clock if a fixed clock, else 24 MHz */
	uint32_t uart_clock_hz;
	enum hyp_fdt_psci_method psci;	    /**< PSCI conduit */
	char bootargs[HYP_FDT_BOOTARGS_MAX]; /**< `chosen/bootargs`, "" if absent */
};

/** @brief An error: the code returned and a message for the console. */
struct hyp_fdt_err {
	int code;		      /**< the negative enum hyp_error code returned */
	char msg[HYP_FDT_MSG_MAX]; /**< one line, no newline, NUL-terminated */
};

/**
 * @brief Report a failure: set @p err (when not NULL) to @p code and the
 *        message @p f formats (hyp_rt_snprintf()'s conversions, truncated
 *        to HYP_FDT_MSG_MAX - 1 characters), and return @p code.
 *
 * What libhyp-fdt's functions do on every failure; a hypervisor's own DT
 * policy (its command line, its checks) reports through it in the same
 * struct. Touches no hardware. Cost: O(message).
 * @param err the error to set, or NULL
 * @param code a negative enum hyp_error code
 * @param f the message format
 * @return @p code
 * @concurrency Any CPU; reentrant; @p err is the caller's.
 */
int hyp_fdt_fail(struct hyp_fdt_err *err, int code, const char *f, ...)
	__attribute__((format(printf, 3, 4)));

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
 * fixed clock; the `psci` node's method; `chosen/bootargs` (copied as it
 * is: its meaning is the caller's).
 *
 * Nodes below a bus whose `ranges` translate addresses are not supported
 * (HYP_ENOTSUP); QEMU's virt machine has none on the paths read here.
 * Touches no hardware (only memory). Costs a few tree walks (about 3 million
 * instructions on QEMU's DTB, see docs/fdt.md) and about 5 KiB of
 * stack: the result is built on the stack so that a failure leaves @p host
 * unchanged.
 * @param fdt the blob (8-byte aligned)
 * @param max_size bytes readable at @p fdt (QEMU: 1 MiB)
 * @param host written only on success
 * @param err message on failure, or NULL
 * @concurrency Any CPU; reentrant (no global state); @p fdt must not change
 *              during the call.
 * @return 0; HYP_EFAULT: no valid DTB (bad magic, version below 17, truncated,
 *         malformed structure); HYP_ENOENT: no memory, cpus, GIC or timer
 *         node; HYP_ERANGE: more than HYP_FDT_MAX_CPUS CPUs, bootargs longer
 *         than HYP_FDT_BOOTARGS_MAX - 1, memory ranges
 *         or GIC redistributor regions, or a range that wraps; HYP_EINVAL:
 *         a malformed property or `chosen/bootargs`; HYP_ENOTSUP: translated bus addresses,
 *         unusual cell sizes, a GICv3 without GICR or a GICv2 without
 *         GICH/GICV.
 */
int hyp_fdt_host_parse(const void *fdt, size_t max_size, struct hyp_fdt_host *host,
		     struct hyp_fdt_err *err);


#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_FDT_HOST_H */
