/* SPDX-License-Identifier: MIT */
/**
 * @file sysreg.h
 * @brief The system-register context-switch engine: per register and per
 *        VM, switch a guest's EL0/EL1 registers immediately, at vCPU
 *        load/put, only when written, lazily, or never.
 *
 * ## Policies (enum hyp_sysreg_policy)
 * - IMMEDIATE: restored at every guest entry, saved at every exit.
 * - DEFERRED: restored at vCPU load, saved at vCPU put; while loaded the
 *   hardware holds the truth.
 * - DIRTY: restored at load; writes are trapped (HCR_EL2.TVM on any CPU,
 *   the register's HFGWTR_EL2 bit with FEAT_FGT); the first trapped write
 *   performs the write, marks its trap group dirty and stops trapping that
 *   group; saved at put only if dirty. Registers the PE writes without an
 *   MSR (HYP_RF_HWW in the register table: ESR_EL1, FAR_EL1, AFSR0/1_EL1,
 *   SPSR/ELR_EL1 on exception entry, PAR_EL1 by AT, DISR_EL1 by ESB...)
 *   cannot be DIRTY: no write trap sees those changes.
 * - LAZY: not restored at load; the integrator traps the first use (e.g.
 *   CPTR_EL2 for SVE's ZCR_EL1) and calls hyp_sysreg_lazy_load(); saved at
 *   put if it was loaded.
 * - ABSENT: the VM was not given the feature: never switched, and guest
 *   accesses are made to trap (HCR_EL2, HFGRTR/HFGWTR_EL2, MDCR_EL2 bits in
 *   the vCPU's trap values) and answered with UNDEF.
 *
 * ## Which call goes where
 * | call | when | EL2-only or VHE host (HYP_SYSREG_HOST_NONE) | nVHE host with EL1 state (HYP_SYSREG_HOST_EL1) |
 * | --- | --- | --- | --- |
 * | hyp_sysreg_load() | vCPU scheduled on this CPU | restore DEFERRED and DIRTY, write trap controls | write trap controls |
 * | hyp_sysreg_enter() | just before ERET to the guest | restore IMMEDIATE | save host, restore guest (IMMEDIATE, and LAZY once loaded) |
 * | hyp_sysreg_exit() | just after the exit | save IMMEDIATE | save guest, restore host (IMMEDIATE, and LAZY once loaded) |
 * | hyp_sysreg_lazy_load() | the guest's first use trapped | restore LAZY | between enter and exit: save host, restore guest (LAZY); else at the next enter |
 * | hyp_sysreg_put() | vCPU descheduled | save DEFERRED and dirty DIRTY, LAZY if loaded | nothing to save (exit did) |
 *
 * With a host EL1 context the host runs between exits and needs its own
 * EL1 and EL0 registers, so only IMMEDIATE, LAZY and ABSENT are accepted
 * there, and a LAZY register, once loaded, is switched at every entry and
 * exit like an IMMEDIATE one until put: the host never sees a guest value.
 * Without a host EL1 context (an EL2-only hypervisor, or a VHE host whose
 * own EL1-like state lives in EL2 registers that the E2H redirection
 * reaches through the plain encodings) the engine never touches a host
 * register; guest values stay in the EL0/EL1 registers between load and
 * put, as the model says. A VHE host whose EL0 processes use TPIDR_EL0 and
 * friends (no EL02 alias) saves them before hyp_sysreg_load() and restores
 * them after hyp_sysreg_put().
 *
 * ## ACTLR_EL1
 * ACTLR_EL1 is not switched by default (policy ABSENT whatever the default
 * policy): under E2H = 1, an EL2 access to its encoding may reach ACTLR_EL2
 * instead (the IMPLEMENTATION DEFINED "ACTLR_ELx accessor behaviour", Arm
 * ARM D24.2.2), and ACTLR_EL12 need not exist. The guest's accesses are
 * trapped with HCR_EL2.TACR (bit 21, D24.2.62) and answered by
 * hyp_sysreg_handle_trap(): a read returns the vCPU's value (the
 * integrator's, set with hyp_sysreg_vcpu_write_id(); 0 by default), a write
 * is ignored, as the IMPLEMENTATION DEFINED controls are the hypervisor's.
 * A request to switch it is accepted only without E2H.
 *
 * ## Costs
 * Every register switched is one MRS or MSR; the save/restore code is
 * straight-line, one guarded access per register of the table, guards
 * being bit tests of per-VM masks. With a policy fixed at build time
 * (constant masks), the guards fold away (hyp_sysreg_guest_save_masked() and
 * hyp_sysreg_guest_restore_masked() are inline for that).
 *
 * ## Concurrency
 * A ::hyp_sysreg_vm is written by hyp_sysreg_vm_init() and then read-only,
 * shared by the VM's vCPUs on every CPU without a lock. A ::hyp_sysreg_vcpu
 * belongs to one physical CPU from hyp_sysreg_load() to hyp_sysreg_put():
 * every call on it runs there, because its live registers are that CPU's.
 * libhyp takes no lock: the integrator's scheduler loads a vCPU on one CPU
 * at a time. A ::hyp_sysreg_host_ctx is per physical CPU.
 */
#ifndef LIBHYP_SYSREG_H
#define LIBHYP_SYSREG_H

#include <stdbool.h>
#include <stdint.h>

#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/regdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Words in a per-register bitmask. */
#define HYP_SYSREG_MASK_WORDS ((HYP_REG_COUNT + 63) / 64)
/** Dirty-tracking trap groups per VM (TVM, and one per HFGWTR_EL2 bit used). */
#define HYP_SYSREG_MAX_GROUPS 32

/** @brief A set of registers, one bit per enum hyp_sysreg_id. */
struct hyp_sysreg_mask {
	uint64_t w[HYP_SYSREG_MASK_WORDS]; /**< bit id%64 of word id/64 */
};

/** @brief Whether @p id is in @p m (one load and one bit test). @p m must
 *         be valid and @p id below HYP_REG_COUNT (a hot-path inline: not
 *         checked, see CONTRIBUTING.md "Bad arguments").
 * @param m the mask
 * @param id the register (enum hyp_sysreg_id)
 * @return whether @p id is in @p m
 * @concurrency Pure (reads @p m): any CPU.
 */
static inline bool hyp_sysreg_mask_test(const struct hyp_sysreg_mask *m, unsigned id)
{
	return (m->w[id / 64] >> (id % 64)) & 1;
}

/**
 * @brief Word @p w of a mask holding register @p id, for building constant
 *        masks: `{ { HYP_SYSREG_MASK_BIT(0, a) | HYP_SYSREG_MASK_BIT(0, b), ... } }`.
 */
#define HYP_SYSREG_MASK_BIT(w, id) ((unsigned)(id) / 64 == (w) ? 1ull << ((unsigned)(id) % 64) : 0)

/** @brief How a register is switched (see the file comment). */
enum hyp_sysreg_policy {
	HYP_SYSREG_ABSENT,    /**< never switched; guest accesses UNDEF */
	HYP_SYSREG_IMMEDIATE, /**< every entry and exit */
	HYP_SYSREG_DEFERRED,  /**< vCPU load and put */
	HYP_SYSREG_DIRTY,     /**< restored at load, saved at put only if a trapped write dirtied it */
	HYP_SYSREG_LAZY,      /**< loaded on first (trapped) use, saved at put if loaded */
};

/** @brief Whether the host has EL1 state of its own to switch. */
enum hyp_sysreg_host {
	HYP_SYSREG_HOST_NONE, /**< EL2-only hypervisor or VHE host: no host EL1 context */
	HYP_SYSREG_HOST_EL1,  /**< nVHE host kernel at EL1: its context is switched too */
};

/** @brief A policy request for one register. */
struct hyp_sysreg_policy_req {
	uint16_t reg;   /**< enum hyp_sysreg_id, a guest context register */
	uint8_t policy; /**< enum hyp_sysreg_policy */
};

/** @brief Adaptive-mode defaults (see hyp_sysreg_vm_config). */
#define HYP_SYSREG_TRAP_COST 60 /**< a trap, in register accesses (a trap costs about as much as saving sixty registers) */
#define HYP_SYSREG_SAVE_COST 1  /**< saving one register: one MRS */
#define HYP_SYSREG_WINDOW 32    /**< put cycles per adaptive window */
#define HYP_SYSREG_QUIET 16     /**< first quiet period before a promoted group is demoted */
#define HYP_SYSREG_QUIET_MAX 1024 /**< the quiet period doubles on each demotion, up to this */

/**
 * @brief How to set up a VM's switching (hyp_sysreg_vm_init()).
 *
 * Adaptive mode: every DIRTY group counts, in a window of
 * HYP_SYSREG_WINDOW put cycles, the cycles t in which it trapped. With n
 * registers in the group, DIRTY has cost t * (trap_cost + n * save_cost) so
 * far, and DEFERRED costs WINDOW * n * save_cost for the whole window; as
 * soon as the first exceeds the second the group is promoted to DEFERRED
 * (a group trapping every cycle is promoted within a few cycles, one
 * trapping once a window never is). A promoted group is watched for free (its
 * registers are saved at put anyway: a value that differs from the one
 * loaded proves a write); after a quiet period with no change it is demoted
 * back to DIRTY, and each demotion doubles the next quiet period (up to
 * HYP_SYSREG_QUIET_MAX), so a guest cannot make it oscillate cheaply.
 */
struct hyp_sysreg_vm_config {
	enum hyp_sysreg_host host;  /**< host model */
	/**
	 * @deprecated The EL2 mode has one source: the build constant or the
	 * record (hyp_cpufeat_set_el2_mode()), which hyp_sysreg_vm_init() reads.
	 * Only while nothing is recorded does true here still select the EL12
	 * aliases; true against a recorded E2H = 0 is refused (HYP_EINVAL).
	 * Goes in the next minor release.
	 */
	bool e2h;
	bool use_fgt;               /**< dirty-track and trap with HFGRTR/HFGWTR_EL2 (needs FEAT_FGT) */
	bool adaptive;              /**< adaptive mode for DIRTY groups */
	uint8_t default_policy;     /**< for registers without a request (enum hyp_sysreg_policy) */
	const struct hyp_cpufeat_vm *features; /**< the VM's features; NULL: the system's */
	const struct hyp_sysreg_policy_req *req; /**< per-register requests */
	unsigned nr_req;            /**< entries in @ref req */
	unsigned trap_cost;         /**< adaptive: cost of a trap (0: HYP_SYSREG_TRAP_COST) */
	unsigned save_cost;         /**< adaptive: cost of a save (0: HYP_SYSREG_SAVE_COST) */
	uint64_t hcr_el2;           /**< the VM's HCR_EL2 before libhyp adds its trap bits; E2H comes from the EL2 mode record (an E2H set against a recorded E2H = 0 is HYP_EINVAL) */
	uint64_t mdcr_el2;          /**< the VM's MDCR_EL2 before libhyp adds its trap bits */
};

/** @brief One dirty-tracking trap group of a VM. */
struct hyp_sysreg_group {
	struct hyp_sysreg_mask members; /**< the DIRTY registers watched by this trap */
	uint8_t nr;                     /**< number of members */
	uint8_t tvm;                    /**< 1: HCR_EL2.TVM; 0: an HFGWTR_EL2 bit */
	uint8_t bit;                    /**< the HFGWTR_EL2 bit */
	uint8_t neg;                    /**< the bit traps when 0 */
};

/** @brief A VM's compiled policy: masks and trap configuration. */
struct hyp_sysreg_vm {
	uint8_t policy[HYP_REG_COUNT];     /**< enum hyp_sysreg_policy per register */
	struct hyp_sysreg_mask immediate;  /**< IMMEDIATE registers */
	uint16_t nr_immediate;             /**< how many IMMEDIATE registers */
	uint16_t nr_entry;                 /**< registers enter/exit may switch (IMMEDIATE; LAZY with a host EL1 context): 0 makes them free */
	struct hyp_sysreg_mask deferred;   /**< DEFERRED registers */
	struct hyp_sysreg_mask dirty;      /**< DIRTY registers */
	struct hyp_sysreg_mask lazy;       /**< LAZY registers */
	struct hyp_sysreg_group groups[HYP_SYSREG_MAX_GROUPS]; /**< DIRTY trap groups */
	unsigned nr_groups;                /**< groups in use */
	uint64_t hcr_el2;                  /**< HCR_EL2 with ABSENT-feature traps, TVM clear */
	uint64_t mdcr_el2;                 /**< MDCR_EL2 with ABSENT-feature traps */
	uint64_t hfgrtr_el2;               /**< HFGRTR_EL2: ABSENT-feature read traps */
	uint64_t hfgwtr_el2;               /**< HFGWTR_EL2: ABSENT-feature write traps, no dirty group armed */
	uint8_t host;                      /**< enum hyp_sysreg_host */
	/** The EL2 mode (E2H = 1: EL12 aliases): a cache of the record
	 *  (hyp_el2_e2h()) filled by hyp_sysreg_vm_init() only, from the record
	 *  or, while none exists, the deprecated hyp_sysreg_vm_config::e2h.
	 *  Not the integrator's to set. */
	bool e2h;
	bool use_fgt;                      /**< HFGRTR/HFGWTR_EL2 are written at load */
	bool adaptive;                     /**< adaptive mode */
	bool trap_sve;                     /**< SVE absent on a CPU with SVE: hyp_sysreg_load() traps it (CPTR_EL2) */
	bool trap_sme;                     /**< SME likewise (CPTR_EL2) */
	bool trap_amu;                     /**< AMU likewise */
	uint16_t trap_cost;                /**< adaptive: trap cost */
	uint16_t save_cost;                /**< adaptive: save cost */
	/** CPACR_EL1 bits held at 1 in the hardware and hidden from the guest
	 *  (issue 15): ZEN [17:16] with SVE absent on a CPU with SVE, SMEN
	 *  [25:24] likewise for SME, so that the guest's own CPACR_EL1 cannot
	 *  trap its ZCR_EL1/SMCR_EL1/SVCR accesses to its EL1 (EC 0x19/0x1D)
	 *  before CPTR_EL2 does (Arm ARM D24.2.184, D24.2.36): they reach EL2
	 *  and are UNDEFINED, as on a CPU without the feature. Non-zero only
	 *  when CPACR_EL1 is switched at load or entry (not ABSENT or LAZY);
	 *  hyp_sysreg_load() then sets CPTR_EL2.TCPAC, and the guest reads
	 *  the bits as 0 (RES0 in its view). Filled by hyp_sysreg_vm_init(). */
	uint64_t cpacr_force;
	/** CPTR_EL2 bits hyp_sysreg_load() sets (TZ/TSM with E2H = 0, TCPAC)
	 *  and clears (ZEN/SMEN with E2H = 1) for @ref trap_sve, @ref trap_sme
	 *  and @ref cpacr_force (one MRS, and one MSR if that changes it).
	 *  Filled by hyp_sysreg_vm_init(). */
	uint64_t cptr_set;
	uint64_t cptr_clear; /**< see @ref cptr_set */
};

/** @brief Adaptive state of one group on one vCPU. */
struct hyp_sysreg_adapt {
	uint16_t cycles;      /**< put cycles in the current window */
	uint16_t trapped;     /**< cycles of the window in which the group trapped */
	uint16_t quiet;       /**< promoted: consecutive cycles without a change */
	uint16_t quiet_need;  /**< promoted: quiet cycles needed to demote */
	uint32_t promotions;  /**< times promoted (statistics) */
	uint32_t demotions;   /**< times demoted (statistics) */
};

/* ---- statistics (issue 15) ---- */

/**
 * @brief One vCPU's switching statistics: what the engine did, per
 *        register and per dirty-tracking group (hyp_sysreg_vcpu_stats()).
 *
 * Kept in hyp_sysreg_vcpu::stats unless libhyp is built with
 * -DHYP_SYSREG_STATS=0: then every update is compiled out of every path
 * (the fields stay, at zero; the struct's layout does not depend on the
 * option). When kept, each is one add to the vCPU's own memory (no atomic:
 * a vCPU runs on one CPU at a time): on the engine's trap path, once per
 * put, and once per promoted group at an adaptive put; nothing on
 * hyp_sysreg_enter()/hyp_sysreg_exit().
 */
struct hyp_sysreg_stats {
	/** MSR/MRS traps the engine answered (hyp_sysreg_handle_trap()
	 *  without an integrator's entry, or the dispatcher's engine step),
	 *  by register (enum hyp_sysreg_id): reads and writes, dirty-tracking
	 *  traps included. Traps answered by an integrator's table or the
	 *  VM's ID view do not reach the engine and are not counted here. */
	uint32_t reg_traps[HYP_REG_COUNT];
	/** Traps the engine answered with UNDEF (an encoding it does not
	 *  know, a register that is not guest context, or an ABSENT one). */
	uint32_t undef_traps;
	/** Dirty-tracking traps taken, by group (hyp_sysreg_vm::groups): the
	 *  first trapped write of a load/put cycle, which disarms the trap. */
	uint32_t dirty_traps[HYP_SYSREG_MAX_GROUPS];
	/** Saves avoided, by group, computed by hyp_sysreg_vcpu_stats() (zero
	 *  in hyp_sysreg_vcpu::stats itself): for each hyp_sysreg_put() that
	 *  ended a cycle in which the group's trap stayed armed (no trapped
	 *  write, not promoted), the group's number of registers, which put
	 *  did not read: (@ref puts - @ref promoted_puts - completed cycles
	 *  with a dirty trap) * members. A member the hypervisor wrote itself
	 *  while loaded (hyp_sysreg_vcpu_write_id()) is saved all the same and
	 *  still counted. DEFERRED registers are always saved at put: none is
	 *  ever avoided. */
	uint32_t saves_avoided[HYP_SYSREG_MAX_GROUPS];
	/** hyp_sysreg_put() calls that succeeded. */
	uint32_t puts;
	/** Adaptive: puts that ended a cycle with the group promoted (switched
	 *  as DEFERRED, its trap not armed), by group. */
	uint32_t promoted_puts[HYP_SYSREG_MAX_GROUPS];
	/** Adaptive promotions to DEFERRED, by group: filled by
	 *  hyp_sysreg_vcpu_stats() from hyp_sysreg_adapt::promotions (zero in
	 *  hyp_sysreg_vcpu::stats itself). */
	uint32_t promotions[HYP_SYSREG_MAX_GROUPS];
	/** Adaptive demotions back to DIRTY, by group: as @ref promotions,
	 *  from hyp_sysreg_adapt::demotions. */
	uint32_t demotions[HYP_SYSREG_MAX_GROUPS];
};

struct hyp_vcpu;
struct hyp_vgic_vcpu;

/** @brief A vCPU's registers and switching state. */
struct hyp_sysreg_vcpu {
	const struct hyp_sysreg_vm *vm;    /**< its VM */
	uint64_t regs[HYP_REG_COUNT];      /**< guest values, valid where not live */
	struct hyp_sysreg_mask live;       /**< registers whose truth is in hardware */
	struct hyp_sysreg_mask deferred;   /**< effective DEFERRED set (DEFERRED + promoted groups) */
	struct hyp_sysreg_mask written;    /**< written by the hypervisor while live */
	uint64_t group_dirty;              /**< groups dirtied this cycle */
	uint64_t group_armed;              /**< groups whose trap is armed */
	uint64_t group_promoted;           /**< adaptive: groups switched as DEFERRED */
	uint64_t hcr_el2;                  /**< HCR_EL2 for this vCPU (written at load and on traps) */
	uint64_t hfgwtr_el2;               /**< HFGWTR_EL2 for this vCPU */
	struct hyp_sysreg_adapt adapt[HYP_SYSREG_MAX_GROUPS]; /**< adaptive state per group */
	uint32_t traps;                    /**< dirty-tracking traps taken (statistics) */
	bool loaded;                       /**< between load and put */
	bool lazy_loaded;                  /**< LAZY registers loaded (in hardware, or at the next entry with a host EL1 context) */
	bool entered;                      /**< host EL1 context: between enter and exit (the guest's registers are in hardware) */
	struct hyp_sysreg_host_ctx *host_ctx; /**< host EL1 context: the storage given to the last enter */
	/** A cache of vm->e2h (itself the record's) filled by
	 *  hyp_sysreg_vcpu_init(): load, put and the accessors read it next to
	 *  their other loads of this vCPU instead of the global record (unless
	 *  -DLIBHYP_E2H makes it a constant, hyp_sysreg_e2h()). Not the
	 *  integrator's to set. */
	bool e2h;
	/**
	 * If set, HCR_EL2 belongs to code that writes *hcr_owner at every
	 * guest entry (libhyp's switch: &hyp_vcpu::hcr). The engine then keeps
	 * its bits (TVM and the ABSENT-feature traps, HYP_SYSREG_HCR_BITS) in
	 * *hcr_owner and writes HCR_EL2 only on a dirty-tracking trap, when the
	 * guest's value is live and must change before it resumes.
	 */
	uint64_t *hcr_owner;
	/* ---- the composition layer (issue 13) ---- */
	/** The world-switch vCPU this one belongs to: set by
	 *  hyp_vcpu_use_sysreg(), so that a trap handler reaches its vCPU
	 *  without a search or container_of; NULL if not plugged. */
	struct hyp_vcpu *owner;
	/** Its vGIC vCPU: set by hyp_vgic_vcpu_bind_sysreg(), so that
	 *  hyp_vgic_sgi_trap() finds the requester in one load; or NULL. */
	struct hyp_vgic_vcpu *vgic;
	/** The negative error of the last trap handler that failed under
	 *  hyp_sysreg_dispatch_trap() (or hyp_sysreg_fast_trap()): the
	 *  dispatcher stores it and leaves the exit to the run loop
	 *  (::HYP_EXIT_SYNC with the EC 0x18 syndrome), which reads and clears
	 *  it; 0 if none. */
	int trap_error;
	/** Dispatcher cache: the ISS register bits of the last trapped
	 *  MSR/MRS (~0: nothing cached). */
	uint32_t trap_key;
	/** Dispatcher cache: the configuration it was resolved under. */
	const void *trap_src;
	/** Dispatcher cache: the integrator's trap-table entry that answers
	 *  it, or NULL (then the ID view or the engine). */
	const struct hyp_sysreg_trap_entry *trap_hit;
	/** Dispatcher cache: the ID view's value that answers it, or NULL
	 *  (then the engine, for register trap_id). */
	const uint64_t *trap_idval;
	/** Dispatcher cache: the engine's register (enum hyp_sysreg_id), or
	 *  negative for an encoding libhyp does not know. */
	int trap_id;
	/** Dispatcher cache statistics: resolutions (cache misses). */
	uint32_t trap_lookups;
	/* ---- statistics (issue 15) ---- */
	/** The engine's counters (see ::hyp_sysreg_stats; read them with
	 *  hyp_sysreg_vcpu_stats()). */
	struct hyp_sysreg_stats stats;
};

/** @brief The HCR_EL2 bits the engine manages. TID1 and TID5 (issue 16): set
 *  for a VM without SME (SMIDR_EL1) or MTE (GMID_EL1) on a CPU with them;
 *  the engine then answers REVIDR_EL1/AIDR_EL1 reads from the cpufeat cache
 *  and SMIDR_EL1/GMID_EL1 with UNDEF. */
#define HYP_SYSREG_HCR_BITS                                                            \
	(HYP_HCR_TVM | HYP_HCR_TLOR | HYP_HCR_TERR | HYP_HCR_APK | HYP_HCR_API | HYP_HCR_ENSCXT | \
	 HYP_HCR_ATA | HYP_HCR_TACR | HYP_HCR_TID1 | HYP_HCR_TID5)

/** @brief Per-CPU storage of the host's EL1 registers (HYP_SYSREG_HOST_EL1). */
struct hyp_sysreg_host_ctx {
	uint64_t regs[HYP_REG_COUNT]; /**< by enum hyp_sysreg_id */
};

/**
 * @brief Compile a VM's policy into masks and trap configuration.
 *
 * Registers whose feature the VM lacks default to ABSENT; SVE's ZCR_EL1
 * defaults to LAZY (in both host models), because EL2 cannot reach it until
 * CPTR_EL2 enables the feature; SME's SMPRI_EL1 and TPIDR2_EL0 take the
 * default policy (no CPTR_EL2 control traps the guest's accesses to them,
 * Arm ARM D24.2.188, D24.2.203, so a LAZY load would come too late);
 * ACTLR_EL1 defaults to ABSENT with HCR_EL2.TACR (see the file comment).
 * Without FGT use (@p cfg->use_fgt false), an ABSENT register of a
 * feature the CPU has that only a fine-grained trap could stop (SME's
 * SMPRI_EL1 and TPIDR2_EL0; PIRE0/PIR_EL1, POR_EL0/POR_EL1, MAIR2/AMAIR2_EL1)
 * is DEFERRED instead (IMMEDIATE with a host EL1 context): the guest can
 * reach it, so it is switched, never left holding another VM's value (QEMU
 * 7.2's -cpu max has SME without FEAT_FGT). Its accesses are not trapped,
 * so they do not UNDEF.
 * Touches no hardware; reads the cpufeat cache (finalize first), and the
 * EL2 mode from there (hyp_el2_e2h(): the EL12 aliases are used with
 * E2H = 1).
 *
 * @param[out] vm the compiled policy (unchanged on error)
 * @param cfg the configuration
 * @param[out] bad_reg on error, the register the error is about, or
 *             HYP_REG_COUNT if none (may be NULL)
 * @return 0; HYP_ESTATE before hyp_cpufeat_finalize(); HYP_EINVAL for a
 *         NULL argument, an unknown register or policy, a request for a
 *         register that is not guest context, DIRTY for a register no trap
 *         can watch (or one the PE writes without an MSR, HYP_RF_HWW),
 *         DEFERRED/DIRTY with a host EL1 context, a switched ACTLR_EL1 with
 *         E2H, FGT use without FEAT_FGT, too many trap groups, or the
 *         deprecated cfg->e2h set while the EL2 mode record says E2H = 0;
 *         HYP_ENOTSUP for a non-ABSENT policy on a register whose feature
 *         the CPU or the VM lacks.
 * @concurrency Any CPU, after hyp_cpufeat_finalize(); writes only @p vm.
 *  Not while vCPUs of the VM use @p vm: afterwards it is read-only and shared
 *  by all the VM's vCPUs on all CPUs without a lock. Cost: one pass over the
 *  register table and the requests.
 */
int hyp_sysreg_vm_init(struct hyp_sysreg_vm *vm, const struct hyp_sysreg_vm_config *cfg,
		       unsigned *bad_reg);

/**
 * @brief Attach a vCPU to its VM with all registers zero. Touches no
 *        hardware.
 *
 * The vCPU caches the VM's EL2 mode (hyp_sysreg_vcpu::e2h). A VM built
 * before the mode was recorded (from the deprecated cfg->e2h) whose mode
 * contradicts the record now is refused: its aliases would be wrong.
 * @return 0; HYP_EINVAL for NULL arguments; HYP_ESTATE if @p vm's EL2 mode
 *         is not the recorded one. On error @p vcpu is unchanged.
 * @param[out] vcpu the vCPU (caller-owned)
 * @param vm its VM, initialised by hyp_sysreg_vm_init() (kept by pointer)
 * @concurrency Any CPU; writes only @p vcpu, which must not be loaded.
 */
int hyp_sysreg_vcpu_init(struct hyp_sysreg_vcpu *vcpu, const struct hyp_sysreg_vm *vm);

/**
 * @brief vCPU load: restore DEFERRED and DIRTY registers, arm the DIRTY
 *        groups' traps, write HCR_EL2 (and HFGRTR/HFGWTR_EL2 with FGT).
 *
 * Cost: one MSR per DEFERRED/DIRTY register plus 1 (HCR_EL2) or 3 (with
 * FGT). With a host EL1 context only the trap controls are written.
 * @return 0; HYP_ESTATE if already loaded; HYP_EINVAL for a NULL @p vcpu
 *         or one without a VM (hyp_sysreg_vcpu_init()).
 * @param vcpu the vCPU
 * @concurrency On the physical CPU that will run the vCPU: it writes that
 *  CPU's registers. A vCPU is loaded on at most one CPU at a time (the
 *  integrator's scheduler guarantees it; libhyp takes no lock). From load to
 *  hyp_sysreg_put() the CPU's EL0/EL1 context belongs to this vCPU: every
 *  call on it (enter, exit, lazy load, traps, accessors) runs on that CPU.
 */
int hyp_sysreg_load(struct hyp_sysreg_vcpu *vcpu);

/**
 * @brief vCPU put: save DEFERRED registers, DIRTY ones of dirtied groups,
 *        registers the hypervisor wrote, LAZY ones if loaded; run the
 *        adaptive decision. Cost: one MRS per register saved. With a
 *        host EL1 context nothing is read (exit saved the guest's values).
 * @return 0; HYP_ESTATE if not loaded, or (host EL1 context) between enter
 *         and exit; HYP_EINVAL for a NULL @p vcpu or one without a VM.
 * @param vcpu the vCPU
 * @concurrency On the CPU that loaded the vCPU (it reads that CPU's
 *  registers), after the guest exited; afterwards the vCPU may move to
 *  another CPU.
 */
int hyp_sysreg_put(struct hyp_sysreg_vcpu *vcpu);

/**
 * @brief Guest entry: restore IMMEDIATE registers (one MSR each); with a
 *        host EL1 context save the host's first (one MRS each), and the
 *        LAZY registers too once loaded. Until hyp_sysreg_exit() the
 *        accessors reach them in hardware.
 *
 * A hot-path function: the pointers are not checked (see CONTRIBUTING.md,
 * "Bad arguments").
 * @param vcpu the vCPU, loaded (must be valid)
 * @param host per-CPU host storage; required (valid) for
 *        HYP_SYSREG_HOST_EL1, ignored otherwise
 * @concurrency On the CPU that loaded the vCPU, in the run path with
 *  interrupts masked (normally as the vCPU's enter hook, from
 *  hyp_switch_prepare()).
 */
void hyp_sysreg_enter(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_host_ctx *host);

/**
 * @brief Guest exit: save IMMEDIATE registers (one MRS each); with a host
 *        EL1 context restore the host's (one MSR each), and switch the
 *        LAZY registers back too once loaded. A hot-path function: the
 *        pointers must be valid, as for hyp_sysreg_enter().
 * @param vcpu the vCPU, loaded (must be valid)
 * @param host the storage given to hyp_sysreg_enter() (HYP_SYSREG_HOST_EL1),
 *        ignored otherwise
 * @concurrency As hyp_sysreg_enter(): the CPU that loaded the vCPU, in the
 *  run path (the vCPU's exit hook, from hyp_switch_complete()).
 */
void hyp_sysreg_exit(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_host_ctx *host);

/**
 * @brief Load the LAZY registers now (the guest's first use trapped).
 *        One MSR per LAZY register; nothing if already loaded. With a
 *        host EL1 context: between hyp_sysreg_enter() and
 *        hyp_sysreg_exit() (a fast-path handler) the host's values are
 *        saved into the storage given to enter first (one MRS each);
 *        between exit and the next enter (the host handles the trap)
 *        nothing is touched and the next enter loads them.
 * @return 0; HYP_ESTATE if the vCPU is not loaded; HYP_EINVAL for NULL.
 * @param vcpu the vCPU
 * @concurrency On the CPU that loaded the vCPU (a fast-path trap handler or
 *  the run loop).
 */
int hyp_sysreg_lazy_load(struct hyp_sysreg_vcpu *vcpu);

/** @brief A decoded MSR/MRS trap (ESR_ELx.EC == 0x18). */
struct hyp_sysreg_access {
	uint16_t enc;  /**< packed encoding (HYP_SYSREG_ENC) */
	uint8_t rt;    /**< the general-purpose register (31: XZR) */
	bool read;     /**< MRS (true) or MSR (false) */
	uint64_t val;  /**< MSR: the value written; MRS: filled by the handler */
};

/**
 * @brief Decode the ISS of an EC 0x18 syndrome (Arm ARM D23.2.x ESR_EL2,
 *        "ISS encoding for an exception from MSR, MRS, or System
 *        instruction execution in AArch64 state"): Op0 [21:20], Op2 [19:17],
 *        Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1:
 *        read). Touches no hardware.
 * @return 0, or HYP_EINVAL if @p esr's EC is not 0x18 or @p out is NULL.
 * @param esr the syndrome (ESR_EL2)
 * @param[out] out the decoded access (unchanged on error)
 * @concurrency Pure: any CPU, any context.
 */
int hyp_sysreg_decode(uint64_t esr, struct hyp_sysreg_access *out);

/** @brief What a trap handler decided. */
enum hyp_sysreg_trap_result {
	HYP_SYSREG_HANDLED = 0, /**< done: for a read, the value is in the access */
	HYP_SYSREG_UNDEF = 1,   /**< inject UNDEF into the guest */
};

/**
 * @brief An integrator's trap handler.
 * @return enum hyp_sysreg_trap_result, or a negative error
 */
typedef int (*hyp_sysreg_trap_fn)(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a,
				  void *ctx);

/** @brief One entry of an integrator's trap table. */
struct hyp_sysreg_trap_entry {
	uint16_t enc;          /**< packed encoding */
	hyp_sysreg_trap_fn fn; /**< handler */
	void *ctx;             /**< its argument */
};

/** @brief An integrator's trap table, sorted by encoding, no duplicates. */
struct hyp_sysreg_trap_table {
	const struct hyp_sysreg_trap_entry *entries; /**< sorted by enc */
	unsigned nr;                                 /**< entries */
};

/**
 * @brief Check a trap table is sorted and free of duplicates (call once
 *        at setup). @return 0 or HYP_EINVAL.
 * @param t the table
 * @concurrency Pure (reads @p t): any CPU. Cost: nr - 1 compares.
 */
int hyp_sysreg_trap_table_check(const struct hyp_sysreg_trap_table *t);

/**
 * @brief Binary search of a sorted trap table. Touches no hardware;
 *        log2(nr) compares. @return the entry, or NULL.
 * @param t the table (sorted; not checked here)
 * @param enc the packed encoding to look for
 * @concurrency Any CPU, no lock: a table in use must not change (build it
 *  before the vCPUs that use it run).
 */
const struct hyp_sysreg_trap_entry *hyp_sysreg_trap_find(const struct hyp_sysreg_trap_table *t,
							uint32_t enc);

/**
 * @brief Handle a trapped guest MSR/MRS.
 *
 * Order: the integrator's table @p user (may be NULL), then libhyp's own
 * register table (binary search): ABSENT registers get UNDEF; a write whose
 * trap group is armed (dirty tracking) performs the write (one MSR), marks
 * the group dirty and disarms its trap (one MSR of HCR_EL2 or HFGWTR_EL2);
 * other context registers are read or written where their truth is
 * (hardware or memory); ACTLR_EL1, when not switched, reads the vCPU's
 * value and ignores writes. Anything else is UNDEF.
 * @return enum hyp_sysreg_trap_result, or a negative error from a handler;
 *         HYP_EINVAL for a NULL @p vcpu or @p a
 * @param vcpu the vCPU that trapped, loaded
 * @param[in,out] a the decoded access (hyp_sysreg_decode()); for a read the
 *        handler fills a->val
 * @param user the integrator's trap table, or NULL
 * @concurrency On the CPU that loaded the vCPU (the register may be live in
 *  that CPU's hardware), from its trap handler. Cost: a binary search of
 *  @p user and of the register table, plus what the handling touches.
 */
int hyp_sysreg_handle_trap(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a,
			   const struct hyp_sysreg_trap_table *user);

/**
 * @brief Read a guest register by id (the non-constant path, e.g. for
 *        emulation): from hardware if live (one MRS behind a switch), else
 *        from memory. Returns 0 for an id out of range or a NULL @p vcpu.
 *        CPACR_EL1 is the guest's view: without the bits of
 *        hyp_sysreg_vm::cpacr_force (a compare on every id).
 * @param vcpu the vCPU
 * @param id the register (enum hyp_sysreg_id)
 * @return the guest's value
 * @concurrency While the vCPU is loaded: only on its CPU (a live register
 *  is read from that CPU). Not loaded: any CPU, serialised by the caller
 *  with anything that loads or changes the vCPU.
 */
uint64_t hyp_sysreg_vcpu_read_id(const struct hyp_sysreg_vcpu *vcpu, unsigned id);

/**
 * @brief Write a guest register by id (the non-constant path). A write
 *        to a live register is one MSR and is saved at put. CPACR_EL1
 *        gets the bits of hyp_sysreg_vm::cpacr_force set whatever @p val
 *        holds there.
 * @return 0, or HYP_EINVAL for an id out of range or a NULL @p vcpu.
 * @param vcpu the vCPU
 * @param id the register (enum hyp_sysreg_id)
 * @param val the value
 * @concurrency As hyp_sysreg_vcpu_read_id().
 */
int hyp_sysreg_vcpu_write_id(struct hyp_sysreg_vcpu *vcpu, unsigned id, uint64_t val);

/** @cond HYP_INTERNAL */
/* The sysreg engine's step of the MSR/MRS dispatcher (sysreg_plug.c):
 * hyp_sysreg_handle_trap() without the integrator's table, for the register
 * @id (hyp_sysreg_lookup() of a->enc, or negative).
 * @concurrency As hyp_sysreg_handle_trap(). */
int hyp__sysreg_trap_engine(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a, int id);
/** @endcond */

/** @cond HYP_INTERNAL */
/* -DLIBHYP_E2H=1/0 fixes whether the hypervisor runs with E2H set. */
#define HYP_SYSREG_E2H_FIXED HYP_EL2_E2H_FIXED
#define HYP_SYSREG_CTX (HYP_RF_EL1 | HYP_RF_EL0)
/** @endcond */

/** @brief Whether EL12 aliases reach the guest's registers: a constant
 *         with -DLIBHYP_E2H=0/1, else the vCPU's cache of the EL2 mode
 *         record (hyp_sysreg_vcpu::e2h).
 * @param vcpu the sysreg vCPU
 * @concurrency Pure (reads @p vcpu): any CPU.
 */
#define hyp_sysreg_e2h(vcpu) (HYP_SYSREG_E2H_FIXED >= 0 ? HYP_SYSREG_E2H_FIXED : (vcpu)->e2h)

/**
 * @brief The one choice of alias: guest register NAME is reached from EL2
 *        through its EL12/EL02 alias when it has one (HYP_RF_E12) and the
 *        hypervisor runs with HCR_EL2.E2H = 1; else through its own
 *        encoding. A constant expression when @p e2h is one.
 *
 * Every EL2 access to a guest EL1/EL0 register in libhyp goes through this
 * (HYP_SYSREG_GUEST_ENC(), hyp_sysreg_guest_read(), hyp_sysreg_guest_write()).
 * @param e2h the hypervisor runs with E2H = 1
 * @param NAME the register's name, without quotes
 */
#define HYP_SYSREG_USE_E12(e2h, NAME) ((HYP_RFLAGS_##NAME & HYP_RF_E12) && (e2h))

/** @brief The encoding that reaches guest register NAME from EL2. */
#define HYP_SYSREG_GUEST_ENC(e2h, NAME) \
	(HYP_SYSREG_USE_E12(e2h, NAME) ? HYP_SYSREG_E12(HYP_SYS_##NAME) : HYP_SYS_##NAME)

/**
 * @brief Read guest register NAME from hardware through the encoding
 *        HYP_SYSREG_USE_E12() chooses: one MRS (both arms are constant
 *        encodings, as MRS needs; with a constant @p e2h one arm folds away).
 * @param e2h the hypervisor runs with E2H = 1
 * @param NAME the register's name, without quotes
 * @return the register's value
 * @concurrency Reads the calling CPU's register.
 */
#define hyp_sysreg_guest_read(e2h, NAME)                                                \
	(HYP_SYSREG_USE_E12(e2h, NAME) ? hyp_read_sysreg(HYP_SYSREG_E12(HYP_SYS_##NAME)) \
				       : hyp_read_sysreg(HYP_SYS_##NAME))

/**
 * @brief Write guest register NAME in hardware through the encoding
 *        HYP_SYSREG_USE_E12() chooses: one MSR.
 * @param e2h the hypervisor runs with E2H = 1
 * @param NAME the register's name, without quotes
 * @param val the value (evaluated once: only one arm runs)
 * @concurrency Writes the calling CPU's register.
 */
#define hyp_sysreg_guest_write(e2h, NAME, val)                                   \
	do {                                                                     \
		if (HYP_SYSREG_USE_E12(e2h, NAME))                               \
			hyp_write_sysreg(HYP_SYSREG_E12(HYP_SYS_##NAME), (val)); \
		else                                                             \
			hyp_write_sysreg(HYP_SYS_##NAME, (val));                 \
	} while (0)

/**
 * @brief Read guest register NAME (a constant, e.g. SCTLR_EL1): one test
 *        of the vCPU's live set, then one MRS or one load.
 * @param vcpu the vCPU (must be valid)
 * @param NAME the register's name, without quotes
 * @return the guest's value
 * @concurrency As hyp_sysreg_vcpu_read_id(): on the vCPU's CPU while it is
 *  loaded.
 */
#define hyp_sysreg_vcpu_read(vcpu, NAME)                                                    \
	(hyp_sysreg_mask_test(&(vcpu)->live, HYP_REG_##NAME)                                \
		 ? hyp_sysreg_guest_read(hyp_sysreg_e2h(vcpu), NAME)                         \
		 : (vcpu)->regs[HYP_REG_##NAME])

/**
 * @brief Write guest register NAME (a constant): one test of the live
 *        set, then one MSR (remembered, so put saves it) or one store.
 * @param vcpu the vCPU (must be valid)
 * @param NAME the register's name, without quotes
 * @param val the value
 * @concurrency As hyp_sysreg_vcpu_read().
 */
#define hyp_sysreg_vcpu_write(vcpu, NAME, val)                                              \
	do {                                                                                \
		uint64_t hyp_wv_ = (val);                                                   \
		if (hyp_sysreg_mask_test(&(vcpu)->live, HYP_REG_##NAME)) {                  \
			hyp_sysreg_guest_write(hyp_sysreg_e2h(vcpu), NAME, hyp_wv_);         \
			(vcpu)->written.w[HYP_REG_##NAME / 64] |= 1ull << (HYP_REG_##NAME % 64); \
		} else {                                                                    \
			(vcpu)->regs[HYP_REG_##NAME] = hyp_wv_;                             \
		}                                                                           \
	} while (0)

/**
 * @name Deprecated names (kept for one release)
 * The accessors take a sysreg vCPU (struct hyp_sysreg_vcpu), not the
 * switch's struct hyp_vcpu: they were renamed hyp_sysreg_vcpu_*. The old
 * names below forward to the new ones and go in the next minor release.
 * @{
 */

/**
 * @brief Deprecated name of hyp_sysreg_vcpu_read_id().
 * @deprecated Use hyp_sysreg_vcpu_read_id().
 * @param vcpu the sysreg vCPU
 * @param id the register (enum hyp_sysreg_id)
 * @return as hyp_sysreg_vcpu_read_id(): the guest's value (hardware and
 *         cost as there)
 * @concurrency As hyp_sysreg_vcpu_read_id().
 */
static inline uint64_t hyp_vcpu_read_sysreg_id(const struct hyp_sysreg_vcpu *vcpu, unsigned id)
{
	return hyp_sysreg_vcpu_read_id(vcpu, id);
}

/**
 * @brief Deprecated name of hyp_sysreg_vcpu_write_id().
 * @deprecated Use hyp_sysreg_vcpu_write_id().
 * @param vcpu the sysreg vCPU
 * @param id the register (enum hyp_sysreg_id)
 * @param val the value
 * @return as hyp_sysreg_vcpu_write_id() (hardware and cost as there)
 * @concurrency As hyp_sysreg_vcpu_write_id().
 */
static inline int hyp_vcpu_write_sysreg_id(struct hyp_sysreg_vcpu *vcpu, unsigned id, uint64_t val)
{
	return hyp_sysreg_vcpu_write_id(vcpu, id, val);
}

/**
 * @brief Deprecated name of hyp_sysreg_vcpu_read().
 * @deprecated Use hyp_sysreg_vcpu_read().
 * @param vcpu the sysreg vCPU
 * @param NAME the register's name, without quotes
 * @concurrency As hyp_sysreg_vcpu_read().
 */
#define hyp_vcpu_read_sysreg(vcpu, NAME) hyp_sysreg_vcpu_read(vcpu, NAME)

/**
 * @brief Deprecated name of hyp_sysreg_vcpu_write().
 * @deprecated Use hyp_sysreg_vcpu_write().
 * @param vcpu the sysreg vCPU
 * @param NAME the register's name, without quotes
 * @param val the value
 * @concurrency As hyp_sysreg_vcpu_write().
 */
#define hyp_vcpu_write_sysreg(vcpu, NAME, val) hyp_sysreg_vcpu_write(vcpu, NAME, val)
/** @} */

/** @cond HYP_INTERNAL */
/* The bodies of the save/restore forms below, with E2H given: libhyp's
 * engine passes its cached copy of the record (hyp_sysreg_e2h()).
 * @concurrency As hyp_sysreg_guest_save_masked(). */
static inline void hyp__sysreg_save_masked_e2h(uint64_t *regs, const struct hyp_sysreg_mask *m,
					       bool e2h)
{
#define HYP_X_SAVE(name, op0, op1, crn, crm, op2, feat, wt, flags)                     \
	if (((flags) & HYP_SYSREG_CTX) && hyp_sysreg_mask_test(m, HYP_REG_##name)) {   \
		regs[HYP_REG_##name] = hyp_sysreg_guest_read(e2h, name);                  \
	}
	HYP_SYSREGS(HYP_X_SAVE)
#undef HYP_X_SAVE
}

/* @concurrency As hyp_sysreg_guest_restore_masked(). */
static inline void hyp__sysreg_restore_masked_e2h(const uint64_t *regs,
						  const struct hyp_sysreg_mask *m, bool e2h)
{
#define HYP_X_RESTORE(name, op0, op1, crn, crm, op2, feat, wt, flags)                  \
	if (((flags) & HYP_SYSREG_CTX) && hyp_sysreg_mask_test(m, HYP_REG_##name)) {   \
		hyp_sysreg_guest_write(e2h, name, regs[HYP_REG_##name]);                  \
	}
	HYP_SYSREGS(HYP_X_RESTORE)
#undef HYP_X_RESTORE
}
/** @endcond */

/**
 * @brief Save the guest context registers in @p m from hardware into
 *        @p regs: straight-line, one guarded MRS per context register of the
 *        table, through the EL12 aliases when the EL2 mode is E2H = 1.
 *
 * The mode comes from its one source, hyp_el2_e2h(): with -DLIBHYP_E2H=0/1
 * (HYP_EL2_E2H_FIXED) a constant, and with a constant @p m every guard
 * folds away (one MRS per register, no branch); else one load of the
 * record. The pointers must be valid (hot path: not checked).
 * @param[out] regs values by enum hyp_sysreg_id
 * @param m the registers to save
 * @concurrency Reads the calling CPU's registers: call it on the CPU whose
 *  guest context it saves, after the EL2 mode is recorded.
 */
static inline void hyp_sysreg_guest_save_masked(uint64_t *regs, const struct hyp_sysreg_mask *m)
{
	hyp__sysreg_save_masked_e2h(regs, m, hyp_el2_e2h());
}

/**
 * @brief Restore the guest context registers in @p m from @p regs:
 *        straight-line, one guarded MSR per context register, through the
 *        EL12 aliases when the EL2 mode is E2H = 1 (hyp_el2_e2h(), folded
 *        as in hyp_sysreg_guest_save_masked()). The pointers must be valid
 *        (hot path: not checked).
 * @param regs values by enum hyp_sysreg_id
 * @param m the registers to restore
 * @concurrency Writes the calling CPU's registers: call it on the CPU that
 *  will run the guest, after the EL2 mode is recorded.
 */
static inline void hyp_sysreg_guest_restore_masked(const uint64_t *regs,
						   const struct hyp_sysreg_mask *m)
{
	hyp__sysreg_restore_masked_e2h(regs, m, hyp_el2_e2h());
}

/**
 * @brief Save the guest context registers in @p m from hardware into
 *        @p regs, with E2H given by the caller.
 * @deprecated The EL2 mode has one source: use
 * hyp_sysreg_guest_save_masked(), which reads it (and folds as this did
 * with a constant @p e2h when the build fixes -DLIBHYP_E2H). Goes in the
 * next minor release.
 * @param[out] regs values by enum hyp_sysreg_id
 * @param m the registers to save
 * @param e2h the hypervisor runs with HCR_EL2.E2H = 1: use the EL12 aliases
 * @concurrency Reads the calling CPU's registers: call it on the CPU whose
 *  guest context it saves.
 */
static inline void hyp_sysreg_save_masked(uint64_t *regs, const struct hyp_sysreg_mask *m,
					  bool e2h)
{
	hyp__sysreg_save_masked_e2h(regs, m, e2h);
}

/**
 * @brief Restore the guest context registers in @p m from @p regs, with E2H
 *        given by the caller.
 * @deprecated Use hyp_sysreg_guest_restore_masked(), which reads the EL2
 * mode. Goes in the next minor release.
 * @param regs values by enum hyp_sysreg_id
 * @param m the registers to restore
 * @param e2h use the EL12 aliases
 * @concurrency Writes the calling CPU's registers: call it on the CPU that
 *  will run the guest.
 */
static inline void hyp_sysreg_restore_masked(const uint64_t *regs,
					     const struct hyp_sysreg_mask *m, bool e2h)
{
	hyp__sysreg_restore_masked_e2h(regs, m, e2h);
}

/* ---- statistics (issue 15) ---- */

/**
 * @brief Read a vCPU's switching statistics: a copy of
 *        hyp_sysreg_vcpu::stats with the adaptive promotions and demotions
 *        of each group (hyp_sysreg_adapt) filled in. Touches no hardware;
 *        copies about 2 KiB.
 * @param vcpu the vCPU
 * @param[out] out the counters (unchanged on error)
 * @return 0, or HYP_EINVAL for a NULL argument or a vCPU without a VM
 * @concurrency Any CPU; the counts are exact when the vCPU is not running
 *  (between put and load, or from its own CPU), else a snapshot that may
 *  tear between fields.
 */
int hyp_sysreg_vcpu_stats(const struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_stats *out);

/**
 * @brief Zero a vCPU's switching statistics: hyp_sysreg_vcpu::stats, the
 *        dirty-tracking trap total (hyp_sysreg_vcpu::traps), the
 *        dispatcher's lookups and each group's promotion and demotion
 *        counts. The adaptive state itself (windows, quiet periods, which
 *        groups are promoted) is kept. Touches no hardware.
 * @param vcpu the vCPU
 * @return 0, or HYP_EINVAL for NULL
 * @concurrency On the vCPU's CPU or while it is not loaded (as
 *  hyp_sysreg_vcpu_write_id()).
 */
int hyp_sysreg_vcpu_stats_reset(struct hyp_sysreg_vcpu *vcpu);

/**
 * @brief The name of a policy ("DEFERRED"), or "?".
 * @param policy an enum hyp_sysreg_policy value
 * @return a constant string (never NULL)
 * @concurrency Pure: any CPU. Touches no hardware.
 */
const char *hyp_sysreg_policy_name(unsigned policy);

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_SYSREG_H */
