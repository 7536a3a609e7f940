/* SPDX-License-Identifier: MIT */
/**
 * @file switch.h
 * @brief World switch (umbrella header): run a vCPU, the EL2 vector table,
 *        the fast path for hot exits, guest exception injection, MMIO
 *        emulation, the virtual timer, the PSCI/SMCCC helper and lazy
 *        FP/SIMD switching.
 *
 * A hypervisor installs ::hyp_switch_vectors in VBAR_EL2 and calls
 * hyp_vcpu_run() in its run loop. Everything between the guest's exception
 * and the run loop is cheap by construction:
 *
 * - The lower-EL vector entries save the guest's 31 GPRs into
 *   struct hyp_vcpu (no system register is touched to find it: during guest
 *   execution SP_EL2 points at the run loop's stack frame, which holds the
 *   vCPU pointer).
 * - A synchronous exit reads ESR_EL2 once and dispatches on its exception
 *   class through a struct hyp_fast_table. A handler there (SMCCC/PSCI, a
 *   sysreg trap table, WFx policy, the lazy-FP trap, an MMIO emulator...)
 *   may resume the guest directly; only exits every handler declines return
 *   from hyp_vcpu_run(). ELR_EL2/SPSR_EL2, FAR_EL2 and HPFAR_EL2 stay in
 *   hardware on that path and are read only by handlers that need them.
 * - hyp_vcpu_run() itself is C around a small assembly core; its two C
 *   halves (hyp_switch_prepare(), hyp_switch_complete()) and the dispatcher
 *   (hyp_switch_sync_exit()) build on the host backend too, so their
 *   hardware accesses are testable on a laptop.
 *
 * Measured cost of a null hypercall (PSCI_VERSION over HVC, answered on the
 * fast path) and the command that produces it: docs/switch.md.
 *
 * The EL1 system-register context is not switched here: per-vCPU hooks
 * (struct hyp_vcpu_hooks) let the sysreg engine plug its policies in.
 *
 * Concurrency: a struct hyp_vcpu belongs to the physical CPU that runs it.
 * hyp_vcpu_run(), the fast-path handlers, the accessors, injection, the
 * timer and the lazy-FP calls run there (PC/PSTATE, FAR, HPFAR, HCR_EL2,
 * the timer and the FP registers are that CPU's); libhyp takes no lock.
 * Another CPU interrupts a running vCPU only through the vGIC (inject,
 * then the kick hook's IPI). Fast-path tables, struct hyp_smccc and sysreg
 * trap tables are read-only while vCPUs use them; a struct hyp_fp_cpu is
 * per physical CPU. Each function's "Concurrency" paragraph is exact.
 *
 * The API is split by topic; this header includes every part:
 * libhyp/vcpu.h (struct hyp_vcpu, accessors, lifecycle),
 * libhyp/world_switch.h (run loop, vectors, fast-path table),
 * libhyp/emulate.h (injection, MMIO, WFx), libhyp/vtimer.h (timers),
 * libhyp/fpsimd.h (lazy FP), libhyp/psci.h (SMCCC/PSCI) and
 * libhyp/sysreg_bridge.h (the sysreg engine in the switch). Include a part
 * alone to depend on less.
 *
 * Supported hosts: EL2 with HCR_EL2.E2H = 0 (nVHE) or 1 (VHE), TGE = 0
 * while a guest runs. Supported guests: AArch64 EL1 (HCR_EL2.RW = 1), with
 * AArch64 or AArch32 EL0.
 */
#ifndef LIBHYP_SWITCH_H
#define LIBHYP_SWITCH_H

#include <libhyp/vcpu.h>
#include <libhyp/vtimer.h>
#include <libhyp/fpsimd.h>
#include <libhyp/world_switch.h>
#include <libhyp/emulate.h>
#include <libhyp/psci.h>
#include <libhyp/sysreg_bridge.h>

/* Every part declares its API inside its own extern "C" block. */
#ifdef __cplusplus
extern "C" {
#endif
#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_SWITCH_H */
