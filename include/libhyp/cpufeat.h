/* SPDX-License-Identifier: MIT */
/**
 * @file cpufeat.h
 * @brief CPU features: ID registers read once per CPU, sanitised across
 *        CPUs, then answered from a cache in O(1).
 *
 * Reading an ID register is cheap on bare metal but trapped and emulated
 * when the hypervisor itself runs as a guest (one such read on the
 * page-fault path changed the order of magnitude of VM exits). libhyp reads
 * each ID register once per CPU, at bring-up, and never again:
 *
 * 1. hyp_cpufeat_init() with caller-provided per-CPU storage;
 * 2. hyp_cpufeat_probe_cpu() on every CPU as it comes up (reads the ID
 *    registers of the calling CPU);
 * 3. hyp_cpufeat_finalize() once all boot CPUs are probed: the system-wide
 *    view is sanitised field by field (HYP_ID_FIELDS rules) and the
 *    capability bitmap (HYP_CAPS) computed;
 * 4. from then on hyp_cpu_has() is one load and one test, and
 *    hyp_cpu_idreg() one load. A CPU probed after finalize that lacks a
 *    finalized capability is refused (HYP_EMISMATCH): it must not come
 *    online.
 *
 * The cache (::hyp_cpufeat) is libhyp's only global state.
 * Concurrency: hyp_cpufeat_init(), the probes and hyp_cpufeat_finalize()
 * are boot-time steps the integrator orders (each CPU probes its own slot;
 * finalize runs after all of them); after finalize the cache is read-only
 * and every CPU reads it without a lock, in any context.
 *
 * Build-time capabilities: compiling with `-DLIBHYP_ASSUME_<CAP>=1` (or 0)
 * makes hyp_cpu_has(HYP_CAP_<CAP>) a constant, so the compiler drops the
 * branch; call hyp_cpufeat_verify_assumed() after finalize to check the
 * hardware agrees. Compiling with `-DLIBHYP_DEBUG` makes hyp_cpu_has() trap
 * when called before finalize.
 */
#ifndef LIBHYP_CPUFEAT_H
#define LIBHYP_CPUFEAT_H

#include <stdbool.h>
#include <stdint.h>

#include <libhyp/error.h>
#include <libhyp/regdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Words in a capability bitmap. */
#define HYP_CAP_WORDS ((HYP_CAP_COUNT + 63) / 64)

/** @brief Probe state of one CPU (struct hyp_cpufeat_cpu::state). */
enum hyp_cpufeat_cpu_state {
	HYP_CPUFEAT_CPU_ABSENT,  /**< not probed */
	HYP_CPUFEAT_CPU_PROBED,  /**< probed; part of the system view if before finalize */
	HYP_CPUFEAT_CPU_REFUSED, /**< probed after finalize and lacks a finalized capability */
};

/**
 * @brief The ID registers of one CPU, as probed. Caller-provided storage,
 *        one per CPU, handed to hyp_cpufeat_init().
 */
struct hyp_cpufeat_cpu {
	uint64_t id[HYP_REG_COUNT]; /**< by enum hyp_sysreg_id; only ID registers are filled */
	uint8_t state;              /**< enum hyp_cpufeat_cpu_state */
};

/** @brief A CPU that disagrees with the boot CPU on an EXACT field. */
struct hyp_cpufeat_mismatch {
	uint16_t cpu;   /**< index of the disagreeing CPU */
	uint16_t field; /**< enum hyp_id_field_id (name: hyp_id_field_table[field].name) */
	uint64_t value; /**< that CPU's value of the field */
	uint64_t sys;   /**< the value the system view uses (the field's safe value) */
};

/** @brief The CPU-feature cache: libhyp's one piece of global state. */
struct hyp_cpufeat_cache {
	uint64_t caps[HYP_CAP_WORDS]; /**< capability bitmap, valid after finalize */
	uint64_t id[HYP_REG_COUNT];   /**< sanitised ID registers, valid after finalize */
	struct hyp_cpufeat_cpu *cpus; /**< per-CPU storage from hyp_cpufeat_init() */
	unsigned nr_cpus;             /**< entries in @ref cpus */
	bool finalized;               /**< hyp_cpufeat_finalize() succeeded */
	uint8_t el2_mode;             /**< the EL2 mode record: enum hyp_el2_mode (hyp_el2_e2h()) */
};

/** @brief The cache. Read it through the inline accessors below. */
extern struct hyp_cpufeat_cache hyp_cpufeat;

/**
 * @brief A guest's view of the ID registers: the sanitised values with the
 *        features the VM is not given masked out. One per VM, caller-owned.
 */
struct hyp_cpufeat_vm {
	uint64_t id[HYP_REG_COUNT];   /**< by enum hyp_sysreg_id */
	uint64_t caps[HYP_CAP_WORDS]; /**< capabilities the VM has */
};

/**
 * @brief Start over with @p nr_cpus slots of per-CPU storage.
 *
 * Touches no hardware. @return 0; HYP_EINVAL for no storage;
 * HYP_ESTATE once finalized (see hyp_cpufeat_reset()).
 * @param cpus per-CPU storage, @p nr_cpus entries, zeroed here; it stays in
 *        use (the cache points at it) until hyp_cpufeat_reset()
 * @param nr_cpus number of CPU slots (CPU indices 0 .. nr_cpus - 1)
 * @concurrency Once, on the boot CPU, before any CPU is probed; no other
 *  cpufeat call may run at the same time (it rewrites the whole cache).
 */
int hyp_cpufeat_init(struct hyp_cpufeat_cpu *cpus, unsigned nr_cpus);

/**
 * @brief Forget everything, finalized or not (tests; a hypervisor that
 *        restarts from scratch). Touches no hardware.
 * @concurrency Only while no other CPU calls a cpufeat function or reads
 *  the cache (hyp_cpu_has(), hyp_cpu_idreg(), ...): it clears them.
 *  Cost: one memset of ::hyp_cpufeat.
 */
void hyp_cpufeat_reset(void);

/**
 * @brief Read the calling CPU's ID registers into slot @p cpu.
 *
 * Reads every register the register table flags HYP_RF_ID (except
 * CCSIDR_EL1, which depends on CSSELR_EL1) once: about 30 MRS. Where
 * ID_AA64PFR0_EL1.GIC says the GIC system-register interface exists, also
 * ICC_SRE_EL2, and ICH_VTR_EL2 if ICC_SRE_EL2.SRE is set (enable it first).
 *
 * After finalize the CPU is checked instead of joining the system view: it
 * must have every finalized capability.
 *
 * @return 0; HYP_ESTATE before hyp_cpufeat_init(); HYP_ERANGE if @p cpu is
 *         beyond the storage; HYP_EEXIST if the slot was already probed;
 *         HYP_EMISMATCH if probed after finalize and a finalized capability
 *         is missing (the slot is marked refused).
 * @param cpu the slot of the calling CPU (the integrator's CPU index)
 * @concurrency On the CPU being probed (it reads that CPU's registers).
 *  Several CPUs may probe at once, each its own slot: a probe writes only
 *  its slot (no lock). Two probes of one slot must not race (the "already
 *  probed" check is not atomic), and no probe may run concurrently with
 *  hyp_cpufeat_finalize(): the integrator orders them (e.g. each secondary
 *  CPU probes, then signals the boot CPU with a release store; the boot CPU
 *  waits with acquire loads, then finalizes). After finalize, late CPUs
 *  only read the finalized cache.
 */
int hyp_cpufeat_probe_cpu(unsigned cpu);

/**
 * @brief Compute the system-wide view from the probed CPUs, once.
 *
 * Per field: LOWER takes the lowest value (signed fields compared signed),
 * HIGHER the highest, EXACT the common value or, if CPUs disagree, the
 * field's safe value, reporting each CPU that differs from the first
 * probed one. Bits outside every described field are kept where all CPUs
 * agree and cleared where they differ. Touches no hardware.
 *
 * @param[out] mismatches where to report EXACT disagreements (may be NULL)
 * @param max_mismatches entries available in @p mismatches
 * @param[out] nr_mismatches total disagreements found (may exceed the
 *             maximum; may be NULL)
 * @return 0; HYP_ESTATE before init, after finalize, or with no CPU probed.
 * @concurrency Once, on any CPU, after every CPU it should include has
 *  finished hyp_cpufeat_probe_cpu() and the slots are visible to it (see
 *  there). No other cpufeat call may run at the same time. Other CPUs may
 *  read the cache (hyp_cpu_has() ...) only after they have observed the
 *  finalize (bring them up afterwards, or publish with a release/acquire
 *  flag). Cost: a pass over every ID field of every probed CPU.
 */
int hyp_cpufeat_finalize(struct hyp_cpufeat_mismatch *mismatches, unsigned max_mismatches,
			 unsigned *nr_mismatches);

/**
 * @brief Whether capability @p cap is present in a bitmap computed from
 *        the ID registers @p id (indexed by enum hyp_sysreg_id).
 *
 * What finalize and the guest views use; touches no hardware.
 * @return false for an unknown @p cap or a NULL @p id
 * @param id ID-register values by enum hyp_sysreg_id
 * @param cap the capability (enum hyp_cap)
 * @concurrency Pure (reads only @p id): any CPU, any time.
 */
bool hyp_cpufeat_eval(const uint64_t id[HYP_REG_COUNT], unsigned cap);

/**
 * @brief The PA size in bits from ID_AA64MMFR0_EL1.PARange (32..52).
 * @param mmfr0 an ID_AA64MMFR0_EL1 value
 * @return the PA size in bits; 52 for a reserved PARange above 0b0110
 * @concurrency Pure: any CPU, any time. Touches no hardware.
 */
unsigned hyp_cpufeat_pa_bits(uint64_t mmfr0);

/* ---------------------------------------------------------------------- */
/**
 * @name The EL2 mode record
 *
 * Whether the hypervisor runs with HCR_EL2.E2H = 1 (VHE: the CPTR_EL2,
 * CNTHCTL_EL2 and TCR_EL2 layouts of E2H = 1, guest EL1/EL0 registers
 * reached through their EL12/EL02 aliases) has one source: the build-time
 * constant when the integrator fixes it (-DLIBHYP_E2H=0/1,
 * HYP_EL2_E2H_FIXED), else this record in the CPU-feature cache, set once
 * at boot by hyp_cpufeat_set_el2_mode() or hyp_cpufeat_read_el2_mode().
 * The modules read it (hyp_el2_e2h()) instead of taking E2H as an
 * argument: hyp_fp_cpu_setup(), hyp_vtimer_cnthctl_traps(),
 * hyp_sysreg_vm_init().
 * @{
 */

/** @brief The EL2 mode as recorded (hyp_cpufeat_cache::el2_mode). */
enum hyp_el2_mode {
	HYP_EL2_MODE_UNKNOWN = 0, /**< not recorded yet */
	HYP_EL2_MODE_NVHE = 1,    /**< HCR_EL2.E2H = 0 */
	HYP_EL2_MODE_VHE = 2,     /**< HCR_EL2.E2H = 1 */
};

/** @cond HYP_INTERNAL */
#define HYP__ASSUME_1 x, 1,
#define HYP__ASSUME_0 x, 0,
#define HYP__SECOND(a, b, ...) b
#define HYP__ASSUMED3(arg) HYP__SECOND(arg - 1, -1, -1)
#define HYP__ASSUMED2(val) HYP__ASSUMED3(HYP__ASSUME_##val)
#define HYP__ASSUMED(val) HYP__ASSUMED2(val)
/** @endcond */

/**
 * @brief 1 or 0 if the build fixes the EL2 mode (-DLIBHYP_E2H=1/0), else
 *        -1 (the boot-time record decides).
 */
#define HYP_EL2_E2H_FIXED HYP__ASSUMED(LIBHYP_E2H)

/**
 * @brief Record the EL2 mode: whether this hypervisor runs with
 *        HCR_EL2.E2H = 1 on every CPU.
 *
 * Touches no hardware; one store. Setting the same mode again is allowed;
 * hyp_cpufeat_init() keeps the record, hyp_cpufeat_reset() clears it.
 * @param e2h the hypervisor runs with HCR_EL2.E2H = 1
 * @return 0; HYP_EINVAL if the build fixes the other mode
 *         (HYP_EL2_E2H_FIXED); HYP_ESTATE if the other mode is already
 *         recorded (nothing changes on an error)
 * @concurrency Once at boot, on one CPU, before the modules that read the
 *  record are set up (hyp_sysreg_vm_init(), hyp_fp_cpu_setup(), ...), and
 *  before other CPUs read it (publish as hyp_cpufeat_finalize()).
 */
int hyp_cpufeat_set_el2_mode(bool e2h);

/**
 * @brief Record the EL2 mode from the calling CPU's HCR_EL2.E2H: one MRS,
 *        then as hyp_cpufeat_set_el2_mode().
 * @return as hyp_cpufeat_set_el2_mode()
 * @concurrency As hyp_cpufeat_set_el2_mode(), on a CPU whose HCR_EL2.E2H is
 *  already the one the hypervisor runs with.
 */
int hyp_cpufeat_read_el2_mode(void);

/**
 * @brief Whether the EL2 mode is known: fixed by the build or recorded.
 * @return true if hyp_el2_e2h() gives the mode, false before it is recorded
 * @concurrency Any CPU after the record is published; one load (a
 *  constant when the build fixes the mode).
 */
static inline bool hyp_el2_mode_known(void)
{
	return HYP_EL2_E2H_FIXED >= 0 || hyp_cpufeat.el2_mode != HYP_EL2_MODE_UNKNOWN;
}

/**
 * @brief The one source of the EL2 mode: true if the hypervisor runs with
 *        HCR_EL2.E2H = 1.
 *
 * A constant when the build fixes it (-DLIBHYP_E2H), else one load of the
 * record (false while nothing is recorded: check hyp_el2_mode_known()).
 * Touches no hardware.
 * @return true for E2H = 1
 * @concurrency Any CPU, any context, no lock, after the record is published.
 */
static inline bool hyp_el2_e2h(void)
{
	if (HYP_EL2_E2H_FIXED >= 0)
		return HYP_EL2_E2H_FIXED;
	return hyp_cpufeat.el2_mode == HYP_EL2_MODE_VHE;
}
/** @} */


/**
 * @brief 1 or 0 if the build fixes capability @p name
 *        (-DLIBHYP_ASSUME_<name>=1/0), else -1.
 */
#define HYP_CAP_ASSUMED(name) HYP__ASSUMED(LIBHYP_ASSUME_##name)

/**
 * @brief The build-time value of @p cap: 1 or 0 if fixed with
 *        -DLIBHYP_ASSUME_<name>, -1 if it must be looked up. Folds to a
 *        constant for a constant @p cap.
 * @param cap the capability
 * @return 1 or 0 if the build fixes it, else -1 (also for an unknown @p cap)
 * @concurrency Pure, evaluated at compile time for a constant @p cap.
 */
static inline int hyp_cap_assumed(enum hyp_cap cap)
{
	switch (cap) {
#define HYP_X_CAP_ASSUMED(name, kind, reg, field, min, desc) \
	case HYP_CAP_##name:                                 \
		return HYP_CAP_ASSUMED(name);
		HYP_CAPS(HYP_X_CAP_ASSUMED)
#undef HYP_X_CAP_ASSUMED
	default:
		return -1;
	}
}

/**
 * @brief Whether the system has capability @p cap.
 *
 * After finalize: one load and one test of the bitmap (a constant if the
 * build fixes @p cap); no register is read. Before finalize: false, or a
 * trap with -DLIBHYP_DEBUG. An unknown @p cap is false.
 * @param cap the capability
 * @return whether the system has @p cap (false before finalize)
 * @concurrency Any CPU, any context (EL2 exception handlers included), no
 *  lock: the cache is read-only after finalize. Must not race with
 *  hyp_cpufeat_init(), hyp_cpufeat_reset() or hyp_cpufeat_finalize().
 */
static inline bool hyp_cpu_has(enum hyp_cap cap)
{
	int assumed = hyp_cap_assumed(cap);

	if (assumed >= 0)
		return assumed;
	if ((unsigned)cap >= HYP_CAP_COUNT)
		return false;
#ifdef LIBHYP_DEBUG
	if (!hyp_cpufeat.finalized)
		__builtin_trap();
#endif
	return (hyp_cpufeat.caps[(unsigned)cap / 64] >> ((unsigned)cap % 64)) & 1;
}

/**
 * @brief The sanitised value of ID register @p reg (one load; 0 before
 *        finalize, and for a @p reg out of range or not an ID register).
 * @param reg the ID register
 * @return its sanitised value
 * @concurrency As hyp_cpu_has(): any CPU after finalize, no lock.
 */
static inline uint64_t hyp_cpu_idreg(enum hyp_sysreg_id reg)
{
	return (unsigned)reg < HYP_REG_COUNT ? hyp_cpufeat.id[reg] : 0;
}

/**
 * @brief The sanitised value of ID field @p reg.@p field (unsigned), e.g.
 *        HYP_CPU_IDFIELD(ID_AA64MMFR0_EL1, PARange): one load and a
 *        shift/mask.
 */
#define HYP_CPU_IDFIELD(reg, field) HYP_IDF_GET(reg, field, hyp_cpufeat.id[HYP_REG_##reg])

/**
 * @brief The system's PA size in bits (from the sanitised PARange).
 * @return the PA size in bits (32 before finalize)
 * @concurrency As hyp_cpu_has(): any CPU after finalize, no lock. Touches no
 *  hardware.
 */
static inline unsigned hyp_cpu_pa_bits(void)
{
	return hyp_cpufeat_pa_bits(hyp_cpufeat.id[HYP_REG_ID_AA64MMFR0_EL1]);
}

/**
 * @brief Check every build-time capability (-DLIBHYP_ASSUME_*) of the
 *        calling translation unit against the finalized system.
 *
 * Touches no hardware. @return 0; HYP_ESTATE before finalize; HYP_EMISMATCH
 * if the hardware disagrees with an assumption.
 * @concurrency Any CPU after finalize (reads the read-only cache). Cost: one
 *  test per capability, most of which fold away.
 */
static inline int hyp_cpufeat_verify_assumed(void)
{
	if (!hyp_cpufeat.finalized)
		return HYP_ESTATE;
	for (unsigned cap = 0; cap < HYP_CAP_COUNT; cap++) {
		int assumed = hyp_cap_assumed((enum hyp_cap)cap);
		bool has = (hyp_cpufeat.caps[cap / 64] >> (cap % 64)) & 1;
		if (assumed >= 0 && (bool)assumed != has)
			return HYP_EMISMATCH;
	}
	return 0;
}

/**
 * @brief Build a VM's ID-register view: the sanitised values with the
 *        capabilities in @p hide masked out (their fields read as "not
 *        implemented"; for SVE and SME also ID_AA64ZFR0/SMFR0; for PAUTH
 *        every pointer-authentication field).
 *
 * Touches no hardware. @return 0; HYP_ESTATE before finalize; HYP_EINVAL
 * for a NULL @p vm, an unknown capability, or one that cannot be hidden
 * (NONE and the stage-2 granules); @p vm is unchanged on error.
 * @param[out] vm the VM's view (caller-owned)
 * @param hide capabilities the VM is not given (may be NULL if @p nr_hide is 0)
 * @param nr_hide entries in @p hide
 * @concurrency Any CPU after finalize; writes only @p vm. The caller
 *  serialises calls on one @p vm and does not run them while the VM's vCPUs
 *  read it (hyp_cpufeat_vm_has(), hyp_cpufeat_vm_read_idreg()). Cost: a copy
 *  of the sanitised registers, then one pass over the capabilities.
 */
int hyp_cpufeat_vm_init(struct hyp_cpufeat_vm *vm, const enum hyp_cap *hide, unsigned nr_hide);

/** @brief Whether the VM was given capability @p cap (one load and test).
 *         @p vm must be valid (a hot-path inline: not checked).
 * @param vm the VM's view
 * @param cap the capability
 * @return whether the VM has @p cap (false for an unknown @p cap)
 * @concurrency Any CPU; reads only @p vm, read-only after
 *  hyp_cpufeat_vm_init(). Touches no hardware.
 */
static inline bool hyp_cpufeat_vm_has(const struct hyp_cpufeat_vm *vm, enum hyp_cap cap)
{
	if ((unsigned)cap >= HYP_CAP_COUNT)
		return false;
	return (vm->caps[(unsigned)cap / 64] >> ((unsigned)cap % 64)) & 1;
}

/**
 * @brief Answer a guest's trapped read of an ID register (HCR_EL2.TID3,
 *        and TID2 for CTR_EL0/CLIDR_EL1) from the VM's view.
 *
 * ID registers in the table are answered from @p vm; unallocated encodings
 * of the ID space (op0=3, op1=0, CRn=0, CRm=1..7) read as zero, as the
 * architecture defines them (RAZ; this includes the AArch32 ID registers,
 * which libhyp does not model). Touches no hardware: a few compares and one
 * binary search.
 *
 * @param vm the VM's view
 * @param enc the register's packed encoding (from the ESR)
 * @param[out] val the value the guest reads (unchanged on error)
 * @return 0; HYP_ENOENT if @p enc is not a guest-readable ID register
 *         (MPIDR_EL1 included: it is per vCPU, see VMPIDR_EL2);
 *         HYP_EINVAL for a NULL @p vm or @p val.
 * @concurrency Any CPU (typically the one running a vCPU of the VM, in its
 *  trap handler); reads only @p vm and the constant register table, no lock.
 */
int hyp_cpufeat_vm_read_idreg(const struct hyp_cpufeat_vm *vm, uint32_t enc, uint64_t *val);

/**
 * @name Bridges: a page-table configuration, and importing a sanitised view
 * @{
 */

struct hyp_pgtable_cfg;

/**
 * @brief Fill a page-table configuration (libhyp/pgtable.h) from the
 *        finalized system view, in one call.
 *
 * Every field comes from the sanitised ID registers: pa_bits from
 * ID_AA64MMFR0_EL1.PARange (52 kept as 52; the page table uses 48),
 * ia_bits = min(@p ia_bits, pa_bits, 48), granule_shift 12 (the 4K granule,
 * HYP_CAP_S2_4K), dline_shift/iline_shift from CTR_EL0.DminLine/IminLine
 * + 2, l1ip from CTR_EL0.L1Ip (VIPT where CPUs disagree), s2fwb, dic, idc,
 * ttl, tlbirange and vmid16 from their capabilities. The whole structure is
 * written (fields it does not know are zeroed). The function lives in the
 * cpufeat module, which needs only the structure's definition: the stage-2
 * module does not depend on cpufeat. For EL2 stage-1 tables whose VA range
 * should exceed the PA size, set cfg->ia_bits afterwards.
 *
 * Touches no hardware (reads the finalized cache only).
 * @param[out] cfg the configuration (unchanged on error)
 * @param ia_bits the largest input-address size wanted, 25..48 bits
 * @return 0; HYP_EINVAL for a NULL @p cfg or @p ia_bits out of range;
 *         HYP_ESTATE before hyp_cpufeat_finalize(); HYP_ENOTSUP if the
 *         system has no 4K stage-2 granule (the only one implemented).
 * @concurrency Any CPU after finalize (the cache is read-only); writes only
 *  @p cfg. Cost: a dozen loads and tests.
 */
int hyp_pgtable_cfg_from_cpufeat(struct hyp_pgtable_cfg *cfg, unsigned ia_bits);

/** @brief One ID register value handed to hyp_cpufeat_import(). */
struct hyp_cpufeat_idval {
	uint16_t reg;   /**< enum hyp_sysreg_id of an ID register */
	uint64_t value; /**< its (already sanitised) value */
};

/**
 * @brief Take an ID-register view the integrator already sanitised
 *        (e.g. a hypervisor that probes CPUs itself) instead of probing,
 *        and finalize.
 *
 * The values go to CPU slot 0, which is marked probed, exactly as
 * hyp_cpufeat_probe_cpu(0) on a CPU with these values would leave it, and
 * hyp_cpufeat_finalize() runs: the cache (sanitised registers and the
 * capability bitmap) is byte-identical to init + probe of slot 0 +
 * finalize on such a CPU. Registers not listed read as 0 ("not
 * implemented"). CPUs brought up later may still be probed into the other
 * slots and are checked against the finalized capabilities.
 *
 * Validated first, nothing changed on error: every @p reg must be an ID
 * register a probe reads (CCSIDR_EL1, which depends on CSSELR_EL1, is
 * refused), listed once; ID_AA64PFR0_EL1, ID_AA64MMFR0_EL1 and CTR_EL0
 * must be present; ID_AA64PFR0_EL1.EL2 must say EL2 is implemented (Arm
 * ARM D24.2.93: 0b0000 is "EL2 not implemented"); PARange must be a
 * defined encoding (0b0000..0b0110, D24.2.88); CTR_EL0 bit 31 is RES1
 * (D24.2.42); ICH_VTR_EL2 only with ID_AA64PFR0_EL1.GIC not 0.
 *
 * Touches no hardware.
 * @param vals the register values
 * @param nr entries in @p vals
 * @return 0; HYP_ESTATE before hyp_cpufeat_init() or after finalize, or if
 *         a CPU was already probed; HYP_EINVAL for a NULL @p vals, an
 *         unknown or non-ID register, a duplicate, a missing required
 *         register or an inconsistent value.
 * @concurrency Once, on the boot CPU, in place of the probes and
 *  hyp_cpufeat_finalize() (same rules as finalize: no other cpufeat call at
 *  the same time; other CPUs read the cache after observing it). Cost: one
 *  pass over @p vals, then hyp_cpufeat_finalize() over one CPU.
 */
int hyp_cpufeat_import(const struct hyp_cpufeat_idval *vals, unsigned nr);

/** @} */

/** @cond HYP_INTERNAL */
/* Where hyp_cpufeat_vm_read_idreg() finds the value of @enc in @vm (a
 * constant zero for the RAZ part of the ID space), or NULL (HYP_ENOENT).
 * For the MSR/MRS dispatcher's cache; @vm must be valid.
 * @concurrency As hyp_cpufeat_vm_read_idreg(). */
const uint64_t *hyp__cpufeat_vm_idreg_slot(const struct hyp_cpufeat_vm *vm, uint32_t enc);
/** @endcond */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_CPUFEAT_H */
