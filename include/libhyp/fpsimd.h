/* SPDX-License-Identifier: MIT */
/**
 * @file fpsimd.h
 * @brief Lazy FP/SIMD switching: the register file, the per-CPU owner record,
 *        the FP trap handler and the save/restore primitives.
 *
 * Part of the world-switch API (libhyp/switch.h includes every part).
 *
 * Concurrency: a struct hyp_vcpu belongs to the physical CPU that runs it;
 * libhyp takes no lock. Each function's "Concurrency" paragraph is exact.
 */
#ifndef LIBHYP_FPSIMD_H
#define LIBHYP_FPSIMD_H

#include <stdbool.h>
#include <stdint.h>

#include <libhyp/vcpu.h>

#ifdef __cplusplus
extern "C" {
#endif


/**
 * @brief An alignment specifier that is valid in C11 (_Alignas) and C++11 (alignas).
 * @param n the alignment in bytes (a power of two)
 */
#ifdef __cplusplus
#define HYP_ALIGNAS(n) alignas(n)
#else
#define HYP_ALIGNAS(n) _Alignas(n)
#endif


/**
 * @brief An FP/SIMD register file: V0..V31, FPSR, FPCR (528 bytes, 16-byte
 *        aligned for the STP/LDP Q of hyp_fpsimd_save()).
 */
struct hyp_fpsimd_state {
	HYP_ALIGNAS(16) uint64_t v[64]; /**< V0..V31, two 64-bit halves each (low first) */
	uint32_t fpsr;		     /**< FPSR */
	uint32_t fpcr;		     /**< FPCR */
	uint64_t reserved_;	     /**< keeps the size a multiple of 16 */
};

/**
 * @brief Lazy FP/SIMD register transfer, supplied by the integrator.
 *
 * On aarch64 these are normally hyp_fpsimd_save() and hyp_fpsimd_restore();
 * they run at EL2 after the FP trap was disabled.
 */
struct hyp_fp_ops {
	/** Store V0..V31, FPSR and FPCR into @p st. */
	void (*save)(struct hyp_fpsimd_state *st);
	/** Load V0..V31, FPSR and FPCR from @p st. */
	void (*restore)(const struct hyp_fpsimd_state *st);
};

/**
 * @brief Per-physical-CPU lazy FP state: who owns the FP registers now.
 *
 * Owned by the integrator (one per physical CPU; vCPUs running on that CPU
 * point at it through hyp_vcpu::fp_cpu). Initialise with hyp_fp_cpu_init().
 */
struct hyp_fp_cpu {
	const struct hyp_fp_ops *ops;  /**< register transfer */
	struct hyp_vcpu *owner;	       /**< vCPU whose FP state is in the registers, or NULL */
	struct hyp_fpsimd_state *host; /**< host state to preserve, NULL if none */
	bool host_live;		       /**< the registers hold @p host's state */
	bool trap;		       /**< CPTR_EL2 traps FP/SIMD now */
	/** CPTR_EL2 has the E2H = 1 layout: a cache of the EL2 mode record
	 *  (hyp_el2_e2h()) filled by hyp_fp_cpu_setup() (or the deprecated
	 *  hyp_fp_cpu_init(), which must agree with a known record) for the
	 *  FP trap path; not the integrator's to set. */
	bool vhe;
	uint32_t swaps;		       /**< guest FP loads since init (statistics) */
};


/* ---------------------------------------------------------------------- */
/** @name Lazy FP/SIMD
 *
 * A guest's first FP/SIMD instruction after it was scheduled traps
 * (CPTR_EL2.TFP, or CPTR_EL2.FPEN = 0b00 with E2H = 1) to the fast-path
 * handler hyp_fp_trap(), which saves the registers' current owner (another
 * vCPU, or the host's area) and loads this vCPU's, then resumes the guest
 * at the same instruction. A vCPU that never touches FP costs nothing but
 * the trap setting on entry when the owner differs.
 * @{ */

/**
 * @brief Initialise the per-CPU lazy-FP state (deprecated form: takes the
 *        EL2 mode as an argument; use hyp_fp_cpu_setup()).
 *
 * @deprecated The EL2 mode has one source (hyp_el2_e2h()); this form goes
 * in the next minor release. A @p vhe that contradicts a known mode is
 * refused (HYP_EINVAL).
 *
 * Reads CPTR_EL2 and writes it with the FP trap disabled (the host may use
 * FP; @p host, if not NULL, is where its live state goes when a guest takes
 * the registers).
 * @return 0, or HYP_EINVAL for NULL @p cpu / @p ops or ops without both
 *         functions, or a @p vhe other than the known EL2 mode
 * @param[out] cpu the per-CPU state of the calling CPU
 * @param ops the register transfer (kept by pointer)
 * @param vhe CPTR_EL2 has the E2H = 1 layout
 * @param host the host's FP save area, or NULL if the host keeps no FP state
 * @concurrency Once, on the physical CPU @p cpu describes (it writes that
 *  CPU's CPTR_EL2), before a vCPU using it runs. Cost: one MRS, one MSR,
 *  one ISB.
 */
int hyp_fp_cpu_init(struct hyp_fp_cpu *cpu, const struct hyp_fp_ops *ops, bool vhe,
		    struct hyp_fpsimd_state *host);

/**
 * @brief Initialise the per-CPU lazy-FP state for the EL2 mode on record.
 *
 * As hyp_fp_cpu_init(), with the CPTR_EL2 layout taken from the one source
 * of the EL2 mode (hyp_el2_e2h(): the build constant or the record of
 * hyp_cpufeat_set_el2_mode()) instead of an argument. Reads CPTR_EL2 and
 * writes it with the FP trap disabled (TFP clear with E2H = 0, FPEN = 0b11
 * with E2H = 1).
 * @param[out] cpu the per-CPU state of the calling CPU
 * @param ops the register transfer (kept by pointer)
 * @param host the host's FP save area, or NULL if the host keeps no FP state
 * @return 0; HYP_EINVAL for NULL @p cpu / @p ops or ops without both
 *         functions; HYP_ESTATE if the EL2 mode is not known
 *         (hyp_el2_mode_known()); no hardware access on an error
 * @concurrency As hyp_fp_cpu_init(). Cost: one MRS, one MSR, one ISB.
 */
int hyp_fp_cpu_setup(struct hyp_fp_cpu *cpu, const struct hyp_fp_ops *ops,
		     struct hyp_fpsimd_state *host);

/**
 * @brief Fast-path handler for ::HYP_EC_FP_ASIMD: switch the FP registers
 *        to the trapping vCPU.
 *
 * CPTR_EL2 read and write, an ISB, ops->save of the previous owner (if
 * any), ops->restore of vcpu->fp. Exits to the run loop if the vCPU has no
 * fp_cpu or fp area.
 * @return ::HYP_FAST_RESUME_X0_X18 or ::HYP_FAST_EXIT
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome (unused)
 * @param self the table entry (unused)
 * @concurrency A fast-path handler, on the vCPU's CPU, whose ::hyp_fp_cpu
 *  must be vcpu->fp_cpu: the FP registers and CPTR_EL2 are that CPU's.
 */
int hyp_fp_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self);

/**
 * @brief Give the FP registers back to the host: save the owning vCPU's
 *        state (if a vCPU owns them), restore the host's, disable the trap.
 *        Call before host code uses FP/SIMD at EL2.
 * @param cpu the calling CPU's lazy-FP state (nothing for NULL)
 * @concurrency On the physical CPU @p cpu describes, between guest runs.
 *  Cost: CPTR_EL2 read and write and an ISB if trapped, one save and one
 *  restore at most.
 */
void hyp_fp_cpu_reclaim(struct hyp_fp_cpu *cpu);

/**
 * @brief Before @p vcpu runs on another CPU: if it owns its CPU's FP
 *        registers, save them to vcpu->fp and release them.
 * @param vcpu the vCPU (nothing for NULL or without lazy FP)
 * @concurrency On the CPU whose ::hyp_fp_cpu is vcpu->fp_cpu (the FP
 *  registers saved are that CPU's), at vCPU put, before the vCPU moves or
 *  vcpu->fp_cpu changes. Cost: nothing unless the vCPU owns the registers;
 *  then one save (and CPTR_EL2 if trapped).
 */
void hyp_fp_vcpu_put(struct hyp_vcpu *vcpu);

/**
 * @brief Save V0..V31, FPSR, FPCR (aarch64 backend only; EL2 with FP
 *        untrapped). 16 STP Q + 2 MRS.
 * @param[out] st where to store the registers (16-byte aligned)
 * @concurrency The calling CPU's registers: call it with FP/SIMD not trapped
 *  at EL2 (CPTR_EL2), e.g. as hyp_fp_ops::save.
 */
void hyp_fpsimd_save(struct hyp_fpsimd_state *st);

/**
 * @brief Load V0..V31, FPSR, FPCR (aarch64 backend only).
 * @param st the registers to load (16-byte aligned)
 * @concurrency As hyp_fpsimd_save(). Cost: 16 LDP Q + 2 MSR.
 */
void hyp_fpsimd_restore(const struct hyp_fpsimd_state *st);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_FPSIMD_H */
