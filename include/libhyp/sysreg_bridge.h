/* SPDX-License-Identifier: MIT */
/**
 * @file sysreg_bridge.h
 * @brief The sysreg engine plugged into the switch: hyp_vcpu_use_sysreg(), the
 *        MSR/MRS fast-path handlers, AArch32 routing and the dispatcher.
 *
 * Part of the world-switch API (libhyp/switch.h includes every part).
 *
 * Concurrency: a struct hyp_vcpu belongs to the physical CPU that runs it;
 * libhyp takes no lock. Each function's "Concurrency" paragraph is exact.
 */
#ifndef LIBHYP_SYSREG_BRIDGE_H
#define LIBHYP_SYSREG_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#include <libhyp/vcpu.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @name The sysreg engine plugged into the switch
 * @{
 */
struct hyp_sysreg_vcpu;

/**
 * @brief Let the sysreg engine (libhyp/sysreg.h) switch this vCPU's EL1
 *        registers: its hyp_sysreg_enter()/exit() become the vCPU's hooks,
 *        EL1 accesses by injection go through its accessors, and its
 *        HCR_EL2 bits (dirty-tracking TVM, ABSENT-feature traps) are kept in
 *        vcpu->hcr, which the switch writes at every entry. The integrator
 *        still calls hyp_sysreg_load()/put() at vCPU load/put. Touches no
 *        hardware.
 * @return 0; HYP_EINVAL for NULL arguments, a vCPU without a VM, or a VM
 *         with a host EL1 context (the switch has no host EL1 state).
 * @param vcpu the switch's vCPU
 * @param sr the sysreg engine's vCPU (kept by pointer)
 * @concurrency The vCPU's owner, before it runs.
 */
int hyp_vcpu_use_sysreg(struct hyp_vcpu *vcpu, struct hyp_sysreg_vcpu *sr);

/**
 * @brief Fast-path handler for EC 0x18 (trapped MSR/MRS) of a vCPU set up
 *        with hyp_vcpu_use_sysreg(): decodes the ISS, runs
 *        hyp_sysreg_handle_trap() with the integrator's trap table
 *        (`self->ctx`, a `const struct hyp_sysreg_trap_table *` or NULL),
 *        writes Rt for a read and skips the instruction, or injects UNDEF.
 *        Register it with hyp_fast_register(t, HYP_EC_SYS64, ...).
 *
 * Cost: the ESR read by the dispatcher, a binary search of each table, and
 * what the handler does (a dirty-tracking trap: one MSR of the register).
 * @return enum hyp_fast_action
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome (EC 0x18)
 * @param self the table entry; self->ctx is the trap table or NULL
 * @concurrency A fast-path handler: the vCPU's CPU, interrupts masked.
 */
int hyp_sysreg_fast_trap(struct hyp_vcpu *vcpu, uint64_t esr, const struct hyp_fast_entry *self);

/** @brief An AArch32 MCR/MRC/MCRR/MRRC to CP15 mapped to its AArch64 register. */
struct hyp_aa32_sysreg {
	uint16_t enc; /**< the AArch64 register (HYP_SYS_*) it is architecturally mapped to */
	uint8_t rt;   /**< Rt (R0..R14 are X0..X14; 15 is not a GPR) */
	uint8_t rt2;  /**< Rt2 for MCRR/MRRC (the high word), else 0 */
	bool read;    /**< MRC/MRRC */
	bool is64;    /**< MCRR/MRRC */
};

/**
 * @brief Decode an EC 0x03 (MCR/MRC) or 0x04 (MCRR/MRRC) CP15 trap and map
 *        the register to its AArch64 encoding.
 *
 * ISS layouts: Arm ARM D24.2.46. Mapped (Arm ARM G8, each register's
 * "architecturally mapped to" line): the generic timer's CNTFRQ, CNTKCTL,
 * CNTP_TVAL, CNTP_CTL, CNTV_TVAL, CNTV_CTL, CNTPCT, CNTVCT, CNTP_CVAL,
 * CNTV_CVAL, and of the HCR_EL2.TVM group those that map whole: TTBR0,
 * TTBR1 (64-bit), CONTEXTIDR. The 32-bit halves of 64-bit registers
 * (SCTLR, TTBCR, DFAR/IFAR, PRRR/NMRR, AMAIR0/1, DFSR) are EL1-only, so
 * UNDEFINED at AArch32 EL0 before any EL2 trap: not mapped. Pure.
 * @return 0; HYP_ENOENT for a register not in the map; HYP_EINVAL for
 *         another class or a NULL @p out (nothing written)
 * @param esr the syndrome
 * @param[out] out the decoded access
 * @concurrency Pure: any CPU.
 */
int hyp_aa32_sysreg_decode(uint64_t esr, struct hyp_aa32_sysreg *out);

/**
 * @brief Run an AArch32 CP15 access through the AArch64 fast-path handler
 *        of the register it maps to, so both execution states share one
 *        emulation (timer, trap tables, dirty tracking).
 *
 * A condition that fails (CV/COND against SPSR_EL2) completes the
 * instruction as a NOP. Otherwise @p a64 is called with an EC 0x18
 * syndrome for the mapped register and Rt; an MCRR first puts
 * Rt2:Rt in X[Rt] (restored if @p a64 declines), an MRRC's 64-bit result is
 * split into Rt (low) and Rt2 (high), a 32-bit read is truncated; if
 * @p a64 did not complete the instruction (it injected UNDEF, say: the PC
 * did not advance by 4) Rt and Rt2 are left as the guest had them. An
 * unmapped register or Rt/Rt2 = 15 gets UNDEF. @p a64 must complete the
 * instruction with hyp_vcpu_skip_insn() (which knows AArch32 and IT).
 * Cost: the decode (a table of 13), two PC reads (MRS ELR_EL2 when live)
 * and what @p a64 costs.
 * @return the action of @p a64, ::HYP_FAST_RESUME after an UNDEF, or
 *         ::HYP_FAST_EXIT (also for a NULL @p vcpu or @p a64)
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome (EC 0x03 or 0x04)
 * @param a64 the AArch64 handler to run
 * @param a64_self the table entry to pass to @p a64
 * @concurrency A fast-path handler: the vCPU's CPU, interrupts masked.
 */
int hyp_aa32_sysreg_trap(struct hyp_vcpu *vcpu, uint64_t esr, hyp_fast_fn a64,
			 const struct hyp_fast_entry *a64_self);

/**
 * @brief hyp_aa32_sysreg_trap() with hyp_sysreg_fast_trap(): register it
 *        for ::HYP_EC_CP15_32 and ::HYP_EC_CP15_64 with the same ctx as
 *        the EC 0x18 handler.
 * @param vcpu the vCPU that trapped
 * @param esr its syndrome (EC 0x03 or 0x04)
 * @param self the table entry; self->ctx as for hyp_sysreg_fast_trap()
 * @return as hyp_aa32_sysreg_trap()
 * @concurrency A fast-path handler: the vCPU's CPU, interrupts masked.
 */
int hyp_sysreg_fast_trap_aa32(struct hyp_vcpu *vcpu, uint64_t esr,
			      const struct hyp_fast_entry *self);
/** @} */


/**
 * @name One MSR/MRS dispatcher (the composition layer)
 *
 * The fast-path handler of EC 0x18 (and, through hyp_aa32_sysreg_trap(),
 * of EC 0x03/0x04) for a vCPU set up with hyp_vcpu_use_sysreg(). It
 * answers a trapped access from, in order:
 *
 * 1. the integrator's sorted trap table (hyp_sysreg_dispatch::table);
 * 2. the VM's ID-register view (hyp_sysreg_dispatch::idregs): reads of
 *    the ID registers trapped by HCR_EL2.TID3 (and CTR_EL0/CLIDR_EL1 by
 *    TID2) come from the cache (hyp_cpufeat_vm_read_idreg()), never from
 *    hardware; an MSR to one is UNDEF;
 * 3. the sysreg engine (hyp_sysreg_handle_trap() without a table: dirty
 *    tracking, ABSENT registers and anything unknown UNDEF).
 *
 * The answer is cached per sysreg vCPU (hyp_sysreg_vcpu::trap_key, one
 * entry: the register of the last trap and what answers it), so a guest's
 * hot loop on one register searches nothing. A handler's negative error is
 * stored in hyp_sysreg_vcpu::trap_error and the exit goes to the run loop
 * (::HYP_EXIT_SYNC, EC 0x18), never turned into an UNDEF or a resume.
 * @{
 */
struct hyp_cpufeat_vm;

/** @brief The dispatcher's configuration: the `ctx` of its fast-path entry. */
struct hyp_sysreg_dispatch {
	const struct hyp_sysreg_trap_table *table; /**< the integrator's sorted table, or NULL */
	const struct hyp_cpufeat_vm *idregs;       /**< the VM's ID view, or NULL (ID reads: engine, UNDEF) */
};

/**
 * @brief Fill a dispatcher configuration, checking the table is sorted
 *        and free of duplicates (hyp_sysreg_trap_table_check()). Touches
 *        no hardware; O(table entries).
 *
 * @concurrency @p d is written once at setup; the dispatcher only reads it
 * (any number of vCPUs, any CPUs). The table and the ID view must outlive
 * it and not change while a vCPU uses it (the per-vCPU cache keeps
 * pointers into both).
 * @param[out] d the configuration (unchanged on error)
 * @param table the integrator's trap table, or NULL for none
 * @param idregs the VM's ID-register view (hyp_cpufeat_vm_init()), or NULL
 * @return 0; HYP_EINVAL for a NULL @p d or an unsorted table
 */
int hyp_sysreg_dispatch_init(struct hyp_sysreg_dispatch *d,
			     const struct hyp_sysreg_trap_table *table,
			     const struct hyp_cpufeat_vm *idregs);

/**
 * @brief The MSR/MRS dispatcher: fast-path handler for ::HYP_EC_SYS64,
 *        `self->ctx` a `const struct hyp_sysreg_dispatch *`. Register it
 *        with hyp_fast_register(t, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, d);
 *        a run loop may call it too (the vCPU not live).
 *
 * A handled read writes Rt; a handled access skips the instruction (PC + 4,
 * PSTATE.SS and BTYPE cleared: SPSR_EL2 is written only if one was set);
 * UNDEF injects the exception. A hot-path function: @p vcpu and @p self
 * must be valid (see CONTRIBUTING.md, "Bad arguments"), @p vcpu set up with
 * hyp_vcpu_use_sysreg() and @p esr an EC 0x18 syndrome (what the fast-path
 * table registers it for): nothing of that is checked on every trap. A
 * vCPU uses one configuration: the cache is keyed by the register alone
 * (hyp_vcpu_use_sysreg() empties it).
 *
 * Hardware: none of its own but the skip (live vCPU: MRS SPSR_EL2, MRS and
 * MSR ELR_EL2) and an injected UNDEF; the ID view answers without reading
 * an ID register; the engine's dirty-tracking trap writes the register and
 * HCR_EL2 or HFGWTR_EL2. Cost: a cached hit is a compare of the register
 * bits and one indirect call; a miss one binary search of the table, of
 * the register table, or both.
 *
 * @concurrency per vCPU; it writes only that vCPU's state.
 * @param vcpu the trapping vCPU
 * @param esr its ESR_EL2
 * @param self the fast-path entry (its ctx: the configuration)
 * @return ::HYP_FAST_RESUME_X0_X18 or ::HYP_FAST_RESUME (handled, or UNDEF
 *         injected); ::HYP_FAST_EXIT if declined, if the injection failed,
 *         or if a handler failed (hyp_sysreg_vcpu::trap_error)
 */
int hyp_sysreg_dispatch_trap(struct hyp_vcpu *vcpu, uint64_t esr,
			     const struct hyp_fast_entry *self);

/**
 * @brief The dispatcher for AArch32 CP15 traps: hyp_aa32_sysreg_trap()
 *        with hyp_sysreg_dispatch_trap(). Register it for ::HYP_EC_CP15_32
 *        and ::HYP_EC_CP15_64 with the same ctx as the EC 0x18 entry; the
 *        mapped registers go through the same table, ID view, engine and
 *        cache. A hot-path function: @p vcpu and @p self must be valid.
 *
 * Hardware and cost: those of hyp_aa32_sysreg_trap() and of the
 * dispatcher.
 * @concurrency Per vCPU.
 * @param vcpu the trapping vCPU
 * @param esr its ESR_EL2 (EC 0x03 or 0x04)
 * @param self the fast-path entry (its ctx: the configuration)
 * @return as hyp_aa32_sysreg_trap()
 */
int hyp_sysreg_dispatch_trap_aa32(struct hyp_vcpu *vcpu, uint64_t esr,
				  const struct hyp_fast_entry *self);
/** @} */

/**
 * @name Direct trap handlers: a cached hit is a compare and a tail call
 *
 * A trap-table entry whose handler is hyp_sysreg_trap_direct() and whose
 * ctx is a `const struct hyp_sysreg_direct *` is answered by
 * hyp_sysreg_dispatch_trap() (and its AArch32 form) without an access
 * struct: on a cached hit the dispatcher tail-calls the direct handler with
 * a pointer to the guest's Xt (in struct hyp_vcpu_regs), and the handler
 * finishes the instruction itself: hyp_sysreg_direct_done() after the
 * access (a tail call again, so a leaf handler needs no stack frame), or
 * hyp_sysreg_direct_undef(). Entries with other handlers are answered as
 * before.
 *
 * @code
 * static int trap_pmselr(struct hyp_vcpu *v, uint64_t esr, uint64_t *xt, void *ctx)
 * {
 *	if (hyp_esr_sys_is_read(esr))
 *		*xt = my_pmselr;
 *	else
 *		my_pmselr = *xt & 0x1f;
 *	return hyp_sysreg_direct_done(v, esr);
 * }
 * static const struct hyp_sysreg_direct pmselr = {trap_pmselr, NULL};
 * ... {HYP_SYS_PMSELR_EL0, hyp_sysreg_trap_direct, (void *)&pmselr}, ...
 * @endcode
 * @{
 */

/**
 * @brief A direct trap handler.
 *
 * Runs as a fast-path handler (the vCPU live, the guest's GPRs in
 * vcpu->regs). For a read (hyp_esr_sys_is_read()) it stores the value in
 * *@p xt; for a write *@p xt is the value written. It returns what
 * hyp_sysreg_direct_done() or hyp_sysreg_direct_undef() returns, or
 * ::HYP_FAST_EXIT to leave the access to the run loop untouched.
 * @param vcpu the trapping vCPU (its sysreg vCPU: vcpu->sysreg)
 * @param esr the EC 0x18 syndrome (for an AArch32 CP15 access, the
 *            equivalent AArch64 one, hyp_aa32_sysreg_trap())
 * @param xt the guest's Xt (a scratch zero for XZR: a read into it is lost)
 * @param ctx hyp_sysreg_direct::ctx
 * @return an enum hyp_fast_action
 */
typedef int (*hyp_sysreg_direct_fn)(struct hyp_vcpu *vcpu, uint64_t esr, uint64_t *xt,
				    void *ctx);

/** @brief A direct handler and its argument: the ctx of a trap-table entry
 *         whose handler is hyp_sysreg_trap_direct(). */
struct hyp_sysreg_direct {
	hyp_sysreg_direct_fn fn; /**< the handler */
	void *ctx;		 /**< its argument */
};

/**
 * @brief The marker of a direct trap-table entry (its `fn`; its `ctx` a
 *        `const struct hyp_sysreg_direct *`).
 *
 * hyp_sysreg_dispatch_trap() recognises it and calls the direct handler.
 * Called as an ordinary handler (the sysreg engine's own trap path,
 * hyp_sysreg_trap(), which completes the instruction itself), it declines:
 * a direct handler completes the instruction and cannot be called so.
 * No hardware.
 * @param vcpu the sysreg vCPU
 * @param a the access
 * @param ctx the struct hyp_sysreg_direct
 * @return HYP_ENOTSUP (nothing changed)
 * @concurrency Any CPU; touches nothing.
 */
int hyp_sysreg_trap_direct(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a, void *ctx);

/**
 * @brief Complete a trapped MSR/MRS a direct handler emulated: PC + 4,
 *        PSTATE.SS and BTYPE cleared (an AArch32 access: hyp_vcpu_skip_insn(),
 *        with IT), and the resume that reloads what changed.
 *
 * Hardware (live vCPU): MRS SPSR_EL2, MRS and MSR ELR_EL2, MSR SPSR_EL2
 * only if SS or BTYPE was set. Not live: the vCPU's saved PC and PSTATE.
 * @param vcpu the vCPU
 * @param esr the syndrome the handler was given
 * @return ::HYP_FAST_RESUME for a read into X19..X29 (only a full resume
 *         reloads them), else ::HYP_FAST_RESUME_X0_X18; with ::HYP_ESR_EARLY
 *         set in @p esr (the vector code's early call, which completes the
 *         instruction itself) ::HYP_FAST_RESUME_SKIP, touching nothing
 * @concurrency A fast-path handler's: the vCPU's CPU.
 */
int hyp_sysreg_direct_done(struct hyp_vcpu *vcpu, uint64_t esr);

/**
 * @brief Answer a trapped MSR/MRS with UNDEFINED (hyp_inject_undef()),
 *        for a direct handler. Hardware: that of hyp_inject_undef().
 * @param vcpu the vCPU
 * @return ::HYP_FAST_RESUME, or ::HYP_FAST_EXIT if the injection failed
 * @concurrency As hyp_sysreg_direct_done().
 */
int hyp_sysreg_direct_undef(struct hyp_vcpu *vcpu);
/** @} */

/**
 * @name Storage-slot entries and the vector code's early MSR/MRS answer
 *
 * A trap-table entry whose handler is hyp_sysreg_trap_slot() and whose ctx
 * is a `const struct hyp_sysreg_slot *` emulates a register as 64 bits of
 * per-vCPU storage: a read returns it, a write stores the value ANDed with
 * a write mask (RES0 bits cleared). Typical use: a register the VM must see
 * but that has no state of its own in the hypervisor (PMSELR_EL0 of a VM
 * without a PMU).
 *
 * The early answer (aarch64, entry.S): when libhyp's dispatcher,
 * registered as the EC 0x18 fast-path handler itself
 * (hyp_fast_register(t, HYP_EC_SYS64, hyp_sysreg_dispatch_trap, d)),
 * answers an AArch64 access with a storage-slot entry (any Rt) or a direct
 * entry (Rt X0..X15), it records that access's syndrome in the vCPU
 * (hyp_vcpu::trap_esr). The next trap with the same syndrome up to the
 * direction (same register, same Rt) is answered by the vector code: a
 * slot before any register is saved (the load or masked store, PC + 4,
 * ERET), a direct entry with the handler called straight after the save
 * of X0..X19/X30 (no class lookup, no dispatcher compare). PSTATE.SS or
 * BTYPE set and every other syndrome take the ordinary path, which gives
 * the same answer. The record lives while the vCPU stays on the fast path:
 * hyp_switch_prepare() (each hyp_vcpu_run()) and hyp_vcpu_use_sysreg()
 * clear it, so a fast table or binding changed between runs is seen.
 *
 * @code
 * static const struct hyp_sysreg_slot pmselr = {
 *	offsetof(struct my_vcpu, pmselr) - offsetof(struct my_vcpu, v), 0x1f };
 * ... {HYP_SYS_PMSELR_EL0, hyp_sysreg_trap_slot, (void *)&pmselr}, ...
 * @endcode
 * @{
 */

/**
 * @brief Set in the syndrome the vector code's early call gives a direct
 *        handler (ESR_EL2 bits [63:56] are RES0, Arm ARM D24.2.43): the
 *        caller completes the instruction, so hyp_sysreg_direct_done()
 *        only returns ::HYP_FAST_RESUME_SKIP. A direct handler passes its
 *        esr on unchanged and returns what hyp_sysreg_direct_done()
 *        returns.
 */
#define HYP_ESR_EARLY (1ull << 63)

/** @brief The ctx of a storage-slot trap-table entry (hyp_sysreg_trap_slot()). */
struct hyp_sysreg_slot {
	/** where the register lives: a byte offset from the vCPU's struct
	 *  hyp_vcpu (hyp_sysreg_vcpu::owner), a multiple of 8 (it may be
	 *  negative: a field of the integrator's structure around it) */
	int64_t offset;
	/** the bits a write keeps (the others are stored as 0) */
	uint64_t wmask;
};

/**
 * @brief A storage-slot trap-table entry's handler: a read returns the
 *        64 bits at hyp_sysreg_vcpu::owner + hyp_sysreg_slot::offset, a
 *        write stores the value ANDed with hyp_sysreg_slot::wmask.
 *
 * No hardware. Cost: a few instructions through the dispatcher's C path;
 * the vector code's early answer (above) about 30.
 * @param vcpu the sysreg vCPU (bound to its vCPU: hyp_vcpu_use_sysreg())
 * @param a the access (its val read or written)
 * @param ctx the `const struct hyp_sysreg_slot *`
 * @return ::HYP_SYSREG_HANDLED, or HYP_EINVAL (nothing changed) if an
 *         argument is NULL, the sysreg vCPU has no owner or the offset is
 *         not a multiple of 8
 * @concurrency The vCPU's CPU (a trap handler's).
 */
int hyp_sysreg_trap_slot(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a, void *ctx);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_SYSREG_BRIDGE_H */
