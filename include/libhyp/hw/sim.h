/* SPDX-License-Identifier: MIT */
/**
 * @file sim.h
 * @brief The host backend's simulated CPU: registers, MMIO regions, access
 *        counts and an ordered event log.
 *
 * Built only with the host backend (LIBHYP_BACKEND_HOST). Code written
 * against libhyp/hw.h runs unchanged on a simulated CPU; a test then
 * asserts what it touched: how many reads and writes of each register,
 * which GIC frame was accessed, whether a TLBI came after a PTE was
 * cleared. Integrators use it to test their own EL2 code on a laptop.
 *
 * Rules the simulation enforces loudly (through the failure handler,
 * which by default prints the problem and aborts):
 * - a register the test did not define with hyp_sim_reg_define() cannot be
 *   read or written (never a silent 0);
 * - a register the register table marks read-only cannot be written;
 * - an MMIO access outside every region added with hyp_sim_mmio_add(), or
 *   with a width or alignment the region does not accept, fails;
 * - any seam operation without a current CPU (hyp_sim_set_current()) fails.
 *
 * The current CPU is per thread, so a test can run one thread per
 * simulated CPU. This thread-local pointer is the host backend's only
 * global state.
 */
#ifndef LIBHYP_HW_SIM_H
#define LIBHYP_HW_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Register slots per simulated CPU (open addressing by encoding). */
#define HYP_SIM_MAX_REGS 512
/** MMIO regions per simulated CPU. */
#define HYP_SIM_MAX_MMIO 16
/** Events kept in the ordered log; later events are counted, not logged. */
#define HYP_SIM_LOG_MAX 4096

/** @brief Kinds of hardware access the simulation counts and logs. */
enum hyp_sim_kind {
	HYP_SIM_SYSREG_READ,  /**< MRS; enc = register */
	HYP_SIM_SYSREG_WRITE, /**< MSR; enc = register, val = value */
	HYP_SIM_ISB,          /**< ISB */
	HYP_SIM_DSB,          /**< DSB; arg = enum hyp_barrier_opt */
	HYP_SIM_DMB,          /**< DMB; arg = enum hyp_barrier_opt */
	HYP_SIM_TLBI,         /**< TLBI; arg = enum hyp_sim_tlbi, val = operand, aux = VTTBR_EL2 */
	HYP_SIM_DC_CIVAC,     /**< D-cache clean+invalidate range; addr, val = size, arg = line shift */
	HYP_SIM_IC_IVAU,      /**< I-cache invalidate range; addr, val = size, arg = line shift */
	HYP_SIM_IC_IALLU,     /**< I-cache invalidate all */
	HYP_SIM_MMIO_READ,    /**< MMIO read; addr, val = value, arg = width in bytes */
	HYP_SIM_MMIO_WRITE,   /**< MMIO write; addr, val = value, arg = width in bytes */
	HYP_SIM_PTE_READ,     /**< PTE load (logged only if log_pte_reads); addr, val */
	HYP_SIM_PTE_WRITE,    /**< PTE store; addr, val = new value, arg = 1 if release */
	HYP_SIM_PTE_CAS,      /**< PTE compare-and-swap; addr, val = new, aux = seen, arg = 1 if it succeeded */
	HYP_SIM_AT,           /**< AT S1E1R; addr = VA, val = the PAR_EL1 it produced */
	HYP_SIM_ESB,          /**< ESB; arg = 1 if it deferred a pending SError into DISR_EL1 */
	HYP_SIM_SERROR_TAKE,  /**< SError unmasked at EL2 (hyp_serror_take()); val = what it returned */
	HYP_SIM_KIND_COUNT    /**< number of kinds */
};

/** @brief Which TLBI a HYP_SIM_TLBI event is. */
enum hyp_sim_tlbi {
	HYP_SIM_TLBI_IPAS2E1IS,    /**< by IPA, current VMID */
	HYP_SIM_TLBI_VMALLE1IS,    /**< stage 1, current VMID */
	HYP_SIM_TLBI_VMALLS12E1IS, /**< stage 1+2, current VMID */
	HYP_SIM_TLBI_ALLE1IS,      /**< all VMIDs */
	HYP_SIM_TLBI_VAE2IS,       /**< one EL2 VA */
	HYP_SIM_TLBI_ALLE2IS,      /**< all EL2 */
	HYP_SIM_TLBI_RIPAS2E1IS,   /**< by IPA range, current VMID (operand as hyp_tlbi_range_operand()) */
	HYP_SIM_TLBI_COUNT         /**< number of TLBI kinds */
};

/** @brief One logged hardware access. */
struct hyp_sim_event {
	uint8_t kind; /**< enum hyp_sim_kind */
	uint8_t arg;  /**< kind-specific, see enum hyp_sim_kind */
	uint16_t enc; /**< register encoding for sysreg events */
	uint64_t addr; /**< address for MMIO, CMO, PTE events */
	uint64_t val;  /**< value written/read, operand or size */
	uint64_t aux;  /**< kind-specific, see enum hyp_sim_kind */
};

struct hyp_sim_cpu;

/** @brief Register read hook: returns the value the read observes. */
typedef uint64_t (*hyp_sim_reg_read_fn)(struct hyp_sim_cpu *cpu, uint16_t enc, void *ctx);
/** @brief Register write hook: performs the write's side effects. */
typedef void (*hyp_sim_reg_write_fn)(struct hyp_sim_cpu *cpu, uint16_t enc, uint64_t val,
				     void *ctx);

/** @brief One simulated register (a slot of struct hyp_sim_cpu). */
struct hyp_sim_reg {
	uint16_t enc;               /**< encoding; 0 = free slot */
	uint64_t val;               /**< current value (used when no hook) */
	uint32_t reads;             /**< reads since the last count reset */
	uint32_t writes;            /**< writes since the last count reset */
	hyp_sim_reg_read_fn read;   /**< optional read hook */
	hyp_sim_reg_write_fn write; /**< optional write hook */
	void *ctx;                  /**< argument for the hooks */
};

struct hyp_sim_mmio;

/** @brief MMIO read hook: @p off is the offset in the region. */
typedef uint64_t (*hyp_sim_mmio_read_fn)(struct hyp_sim_mmio *r, uint64_t off, unsigned width);
/** @brief MMIO write hook: @p off is the offset in the region. */
typedef void (*hyp_sim_mmio_write_fn)(struct hyp_sim_mmio *r, uint64_t off, unsigned width,
				      uint64_t val);

/**
 * @brief A simulated MMIO region (a device frame such as GICD or GICH),
 *        owned by the caller.
 *
 * Accesses go to the hooks when set, else to @p backing (little-endian
 * bytes of @p size). The region counts its own accesses.
 */
struct hyp_sim_mmio {
	const char *name;            /**< for failure messages, e.g. "GICH" */
	uint64_t base;               /**< first address */
	uint64_t size;               /**< size in bytes */
	unsigned widths;             /**< accepted widths: bit 4 = 32-bit, bit 8 = 64-bit; 0 = both */
	hyp_sim_mmio_read_fn read;   /**< optional read hook */
	hyp_sim_mmio_write_fn write; /**< optional write hook */
	void *ctx;                   /**< for the hooks */
	uint8_t *backing;            /**< optional backing store of @p size bytes */
	uint32_t reads;              /**< reads since the last count reset */
	uint32_t writes;             /**< writes since the last count reset */
};

/**
 * @brief AT S1E1R model: the PAR_EL1 value (Arm ARM D24.2.142, 64-bit
 *        format: F = bit 0, PA[51:12] on success) a translation of @p va
 *        produces, given the CPU's current registers.
 */
typedef uint64_t (*hyp_sim_at_fn)(struct hyp_sim_cpu *cpu, uint64_t va, void *ctx);

/**
 * @brief Failure handler: called with a message when the simulation
 *        detects misuse. If it returns, the access reads as 0 and is
 *        otherwise dropped.
 */
typedef void (*hyp_sim_fail_fn)(struct hyp_sim_cpu *cpu, const char *msg, void *ctx);

/**
 * @brief A simulated CPU. Allocate it anywhere (it is about 160 KiB) and
 *        initialise it with hyp_sim_init(). Fields are read by tests;
 *        change them only through the functions below.
 */
struct hyp_sim_cpu {
	struct hyp_sim_reg regs[HYP_SIM_MAX_REGS];     /**< register slots */
	struct hyp_sim_mmio *mmio[HYP_SIM_MAX_MMIO];   /**< MMIO regions */
	unsigned nr_mmio;                              /**< regions in use */
	uint32_t counts[HYP_SIM_KIND_COUNT];           /**< accesses by kind */
	uint32_t tlbi_counts[HYP_SIM_TLBI_COUNT];      /**< TLBIs by kind */
	uint64_t dc_lines;                             /**< lines cleaned by DC CIVAC */
	uint64_t ic_lines;                             /**< lines invalidated by IC IVAU */
	struct hyp_sim_event log[HYP_SIM_LOG_MAX];     /**< ordered event log */
	unsigned log_len;                              /**< events in the log */
	bool log_overflow;                             /**< events were dropped */
	bool log_pte_reads;                            /**< also log PTE reads */
	unsigned failures;                             /**< failures reported */
	hyp_sim_fail_fn fail;                          /**< failure handler */
	void *fail_ctx;                                /**< for the handler */
	hyp_sim_at_fn at;                              /**< AT S1E1R model (NULL: AT fails) */
	void *at_ctx;                                  /**< for the model */
	/** The syndrome (ESR ISS, bits [24:0]) of the physical SError that
	 *  ISR_EL1.A (bit 8) says is pending: an ESB defers it into DISR_EL1
	 *  (if defined: FEAT_RAS) as A (bit 31) | ISS, hyp_serror_take()
	 *  returns it as an ESR_EL2 (EC 0x2F) with bit 63 set; either clears
	 *  ISR_EL1.A. */
	uint32_t serror_iss;
};

/**
 * @brief Reset @p cpu completely: no registers, no regions, counts and
 *        log cleared, the default (aborting) failure handler. Nothing
 *        for a NULL @p cpu.
 * @param[out] cpu the simulated CPU
 * @concurrency Not while any thread uses @p cpu. Cost: a memset of the
 *  structure (about 160 KiB).
 */
void hyp_sim_init(struct hyp_sim_cpu *cpu);

/**
 * @brief Make @p cpu the current CPU of this thread (NULL: none).
 * @param cpu the simulated CPU, or NULL
 * @concurrency Per thread: sets this thread's current CPU only. A simulated
 *  CPU's counts and log are not atomic: one thread at a time per CPU.
 */
void hyp_sim_set_current(struct hyp_sim_cpu *cpu);

/**
 * @brief The current CPU of this thread, or NULL.
 * @return this thread's current CPU, or NULL
 * @concurrency Per thread (a thread-local pointer).
 */
struct hyp_sim_cpu *hyp_sim_current(void);

/**
 * @brief Define register @p enc with value @p val (or set the value of an
 *        already defined one), without counting an access.
 * @return 0, or HYP_ENOMEM if all HYP_SIM_MAX_REGS slots are used, or
 *         HYP_EINVAL if @p enc is not a valid encoding (op0 must be 2 or 3)
 *         or @p cpu is NULL.
 * @param cpu the simulated CPU
 * @param enc the register's packed encoding
 * @param val its value
 * @concurrency The thread that uses @p cpu (not atomic).
 */
int hyp_sim_reg_define(struct hyp_sim_cpu *cpu, uint16_t enc, uint64_t val);

/**
 * @brief Define (value 0) every register of the register table whose flags
 *        include any of @p flags (HYP_RF_*), and, with @p aliases, the
 *        EL12/EL02 alias of those that have one: what a test needs before
 *        running code that touches a whole class of registers (the ID
 *        registers for cpufeat, the guest context for the sysreg engine).
 * @return 0, or HYP_ENOMEM when the register slots run out; HYP_EINVAL
 *         for a NULL @p cpu.
 * @param cpu the simulated CPU
 * @param flags HYP_RF_* classes to define
 * @param aliases also define the EL12/EL02 aliases
 * @concurrency The thread that uses @p cpu.
 */
int hyp_sim_define_table(struct hyp_sim_cpu *cpu, unsigned flags, bool aliases);

/**
 * @brief Install read/write hooks on a defined register (either may be
 *        NULL for plain storage).
 * @return 0, or HYP_ENOENT if @p enc is not defined; HYP_EINVAL for a
 *         NULL @p cpu.
 * @param cpu the simulated CPU
 * @param enc the register's packed encoding
 * @param read called instead of reading the stored value, or NULL
 * @param write called instead of storing the value, or NULL
 * @param ctx the hooks' argument
 * @concurrency The thread that uses @p cpu.
 */
int hyp_sim_reg_hooks(struct hyp_sim_cpu *cpu, uint16_t enc, hyp_sim_reg_read_fn read,
		      hyp_sim_reg_write_fn write, void *ctx);

/**
 * @brief The stored value of register @p enc, without counting an access.
 * @param cpu the simulated CPU
 * @param enc the register's encoding
 * @param[out] val the value (unchanged on error)
 * @return 0, or HYP_ENOENT if @p enc is not defined; HYP_EINVAL for a
 *         NULL @p cpu or @p val.
 * @concurrency The thread that uses @p cpu, or any thread once it stopped.
 */
int hyp_sim_reg_peek(const struct hyp_sim_cpu *cpu, uint16_t enc, uint64_t *val);

/** @brief Reads of @p enc since the last count reset (0 if undefined or
 *         @p cpu is NULL).
 * @param cpu the simulated CPU
 * @param enc the register's packed encoding
 * @return the count
 * @concurrency The thread that uses @p cpu, or any thread once it stopped.
 */
uint32_t hyp_sim_reg_reads(const struct hyp_sim_cpu *cpu, uint16_t enc);

/** @brief Writes of @p enc since the last count reset (0 if undefined or
 *         @p cpu is NULL).
 * @param cpu the simulated CPU
 * @param enc the register's packed encoding
 * @return the count
 * @concurrency As hyp_sim_reg_reads().
 */
uint32_t hyp_sim_reg_writes(const struct hyp_sim_cpu *cpu, uint16_t enc);

/**
 * @brief Add an MMIO region.
 * @return 0; HYP_EINVAL for a zero size, an address overflow or a region
 *         overlapping one already added, or a NULL argument; HYP_ENOMEM
 *         past HYP_SIM_MAX_MMIO.
 * @param cpu the simulated CPU
 * @param region the region (kept by pointer)
 * @concurrency The thread that uses @p cpu.
 */
int hyp_sim_mmio_add(struct hyp_sim_cpu *cpu, struct hyp_sim_mmio *region);

/** @brief Clear all counts and the event log; keep registers and regions.
 *         Nothing for a NULL @p cpu.
 * @param cpu the simulated CPU
 * @concurrency The thread that uses @p cpu.
 */
void hyp_sim_reset_counts(struct hyp_sim_cpu *cpu);

/** @brief Set the AT S1E1R model (NULL: an AT is a failure). Nothing for a
 *         NULL @p cpu.
 * @param cpu the simulated CPU
 * @param fn the model, or NULL
 * @param ctx its argument
 * @concurrency The thread that uses @p cpu.
 */
void hyp_sim_set_at(struct hyp_sim_cpu *cpu, hyp_sim_at_fn fn, void *ctx);

/** @brief Set the failure handler (NULL: print and abort). Nothing for a
 *         NULL @p cpu.
 * @param cpu the simulated CPU
 * @param fn the handler, or NULL
 * @param ctx its argument
 * @concurrency The thread that uses @p cpu.
 */
void hyp_sim_set_fail(struct hyp_sim_cpu *cpu, hyp_sim_fail_fn fn, void *ctx);

/**
 * @brief Index of the first logged event at or after @p from of kind
 *        @p kind (and, if @p addr is not ~0, at address @p addr).
 * @return the index, or -1 if there is none (or @p cpu is NULL).
 * @param cpu the simulated CPU
 * @param from the first log index to look at
 * @param kind the event kind
 * @param addr the address to match, or ~0 for any
 * @concurrency As hyp_sim_reg_reads(). Cost: a linear scan of the log.
 */
int hyp_sim_log_find(const struct hyp_sim_cpu *cpu, unsigned from, enum hyp_sim_kind kind,
		     uint64_t addr);

/** @brief Total hardware accesses of every kind since the last reset (0
 *         for a NULL @p cpu).
 * @param cpu the simulated CPU
 * @return the sum of the per-kind counts
 * @concurrency As hyp_sim_reg_reads().
 */
uint32_t hyp_sim_total(const struct hyp_sim_cpu *cpu);

/**
 * @brief The name of an event kind, for messages ("SYSREG_READ").
 * @param kind an enum hyp_sim_kind value
 * @return a constant string, "?" for an unknown kind
 * @concurrency Pure: any thread.
 */
const char *hyp_sim_kind_name(unsigned kind);

/**
 * @name Seam entry points
 * The host backend's implementation of libhyp/hw.h; call those instead.
 * @{
 */
/**
 * @brief MRS on the current CPU.
 * @param enc the register's packed encoding
 * @return the value (0 after a failure the handler returned from)
 * @concurrency On this thread's current CPU (hyp_sim_set_current()).
 */
uint64_t hyp_sim_sysreg_read(uint16_t enc);
/**
 * @brief MSR on the current CPU.
 * @param enc the register's packed encoding
 * @param val the value
 * @concurrency On this thread's current CPU.
 */
void hyp_sim_sysreg_write(uint16_t enc, uint64_t val);
/**
 * @brief ISB (kind HYP_SIM_ISB) or DSB/DMB with @p opt.
 * @param kind HYP_SIM_ISB, HYP_SIM_DSB or HYP_SIM_DMB
 * @param opt an enum hyp_barrier_opt (DSB/DMB)
 * @concurrency On this thread's current CPU.
 */
void hyp_sim_barrier(enum hyp_sim_kind kind, unsigned opt);
/**
 * @brief A TLBI of kind @p op with @p operand.
 * @param op which TLBI
 * @param operand its operand
 * @concurrency On this thread's current CPU.
 */
void hyp_sim_tlbi(enum hyp_sim_tlbi op, uint64_t operand);
/**
 * @brief A cache-maintenance range operation (DC CIVAC or IC IVAU).
 * @param kind HYP_SIM_DC_CIVAC or HYP_SIM_IC_IVAU
 * @param va start address
 * @param size bytes
 * @param line_shift log2 of the line size
 * @concurrency On this thread's current CPU.
 */
void hyp_sim_cmo(enum hyp_sim_kind kind, uint64_t va, uint64_t size, unsigned line_shift);
/**
 * @brief IC IALLUIS.
 * @concurrency On this thread's current CPU.
 */
void hyp_sim_ic_iallu(void);
/**
 * @brief An MMIO read of @p width bytes.
 * @param addr the address
 * @param width 1, 2, 4 or 8 bytes
 * @return the value read (0 after a failure)
 * @concurrency On this thread's current CPU.
 */
uint64_t hyp_sim_mmio_read(uint64_t addr, unsigned width);
/**
 * @brief An MMIO write of @p width bytes.
 * @param addr the address
 * @param width 1, 2, 4 or 8 bytes
 * @param val the value
 * @concurrency On this thread's current CPU.
 */
void hyp_sim_mmio_write(uint64_t addr, unsigned width, uint64_t val);
/**
 * @brief AT S1E1R: PAR_EL1 (which must be defined) = the model's result.
 * @param va the virtual address to translate
 * @concurrency On this thread's current CPU.
 */
void hyp_sim_at_s1e1r(uint64_t va);
/**
 * @brief ESB: defer a pending SError (ISR_EL1.A) into DISR_EL1 if both are defined.
 * @concurrency On this thread's current CPU.
 */
void hyp_sim_esb(void);
/**
 * @brief Take a pending SError (ISR_EL1.A): its ESR_EL2 | bit 63, or 0.
 * @return ESR_EL2 | bit 63 of the SError taken, or 0
 * @concurrency On this thread's current CPU.
 */
uint64_t hyp_sim_serror_take(void);
/**
 * @brief A PTE load; @p acquire selects load-acquire.
 * @param p the entry
 * @param acquire load-acquire
 * @return its value
 * @concurrency Any thread: a real atomic load on the entry (counted on this
 *  thread's current CPU), so simulated CPUs in several threads can share a
 *  page table.
 */
uint64_t hyp_sim_pte_read(volatile uint64_t *p, bool acquire);
/**
 * @brief A PTE store; @p release selects store-release.
 * @param p the entry
 * @param v the new value
 * @param release store-release
 * @concurrency As hyp_sim_pte_read() (a real atomic store).
 */
void hyp_sim_pte_write(volatile uint64_t *p, uint64_t v, bool release);
/**
 * @brief A PTE compare-and-swap; returns the value seen.
 * @param p the entry
 * @param old the expected value
 * @param new_ the new value
 * @return the value seen (@p old on success)
 * @concurrency As hyp_sim_pte_read() (a real compare-and-swap).
 */
uint64_t hyp_sim_pte_cas(volatile uint64_t *p, uint64_t old, uint64_t new_);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_HW_SIM_H */
