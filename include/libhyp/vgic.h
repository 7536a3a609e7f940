/* SPDX-License-Identifier: MIT */
/**
 * @file vgic.h
 * @brief Virtual GIC: GICv3 (ICH_*_EL2 system registers) and GICv2 (GICH
 *        frame) CPU-interface save/restore that touches nothing it need
 *        not, list-register (LR) management, virtual distributor and
 *        redistributor emulation, and the interrupt-injection API.
 *
 * Accessing the GIC is slow ("deadly slow" with GICv2), so not touching it
 * when there is nothing to write, or even to read, pays at once. Interrupts
 * are a rare event; the common exit has none in flight, and that exit
 * touches no GIC register at all.
 *
 * ## Pieces
 * - ::hyp_vgic_hw: what the physical GIC offers (LRs, preemption bits),
 *   fixed once at boot: from the cpufeat cache for GICv3 (ICH_VTR_EL2 is
 *   never read after hyp_cpufeat_probe_cpu()), from one read of GICH_VTR
 *   (or the caller's value) for GICv2.
 * - ::hyp_vgic: one VM's virtual distributor (SPIs, routing, group enables)
 *   over caller-provided memory; the guest sees a GICv3 (GICD + one
 *   redistributor per vCPU, affinity routing) or a GICv2 (GICD, and the
 *   GICV frame the integrator maps at the guest's GICC address).
 * - ::hyp_vgic_vcpu: a vCPU's private interrupts (SGIs, PPIs), its list of
 *   pending/active interrupts, and its CPU-interface state.
 *
 * ## Which call goes where
 * | call | when | hardware touched |
 * | --- | --- | --- |
 * | hyp_vgic_cpu_init() | once per physical CPU at boot | every LR and APR, and the HCR, cleared |
 * | hyp_vgic_load() | vCPU scheduled on this CPU | VMCR, APRs (1, 2 or 4 per group, by PREbits; AP0R<n> before AP1R<n>) |
 * | hyp_vgic_restore() | just before entering the guest | one LR per interrupt delivered, the HCR only when it changes; nothing if nothing is pending |
 * | hyp_vgic_save() | just after the exit | nothing if no LR was written; else ELRSR, EISR only if an LR asked for an EOI maintenance interrupt, each LR ELRSR does not say is empty (read, then wiped), the HCR only if maintenance was enabled |
 * | hyp_vgic_put() | vCPU descheduled | VMCR, APRs read back |
 *
 * ## Locking
 * Per-vCPU CPU-interface state belongs to the physical CPU running the
 * vCPU. Distributor state (SPIs, the lists) is shared: every function that
 * touches it takes the VM lock through hyp_vgic_ops::lock / unlock (none:
 * the integrator serialises calls per VM). hyp_vgic_ops::kick is called
 * with the lock held.
 *
 * ## Sources
 * GICv3: GIC architecture specification IHI 0069 (H), chapter 12 (ICH_*,
 * GICD_*, GICR_* register descriptions) and 6.4 (virtual interrupt
 * handling, list registers). GICv2: IHI 0048B, chapter 5 (GICH_*) and
 * chapter 4 (GICD_*).
 */
#ifndef LIBHYP_VGIC_H
#define LIBHYP_VGIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libhyp/error.h>
#include <libhyp/sysreg.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most list registers libhyp uses (GICv3 has at most 16; extra GICv2 LRs stay unused). */
#define HYP_VGIC_MAX_LRS 16
/** Software-generated interrupts (INTIDs 0..15). */
#define HYP_VGIC_NR_SGIS 16
/** Private interrupts per vCPU: SGIs and PPIs (INTIDs 0..31). */
#define HYP_VGIC_NR_PRIVATE 32
/** Most SPIs a VM can have (INTIDs 32..1019). */
#define HYP_VGIC_MAX_SPIS 988
/** Most vCPUs of a VM that sees a GICv2 (8 CPU interfaces, 3-bit CPUID). */
#define HYP_VGIC_V2_MAX_VCPUS 8
/** Size of the GICv3 distributor frame (GICD). */
#define HYP_VGIC_V3_DIST_SIZE 0x10000u
/** Size of one GICv3 redistributor: RD_base and SGI_base frames. */
#define HYP_VGIC_V3_REDIST_SIZE 0x20000u
/** Size of the GICv2 distributor frame. */
#define HYP_VGIC_V2_DIST_SIZE 0x1000u
/** The INTID a CPU interface returns when nothing is pending. */
#define HYP_VGIC_SPURIOUS 1023u
/** GICD_IIDR / GICR_IIDR the guest reads: Implementer 0x43B (JEP106 Arm), ProductID 0x6C ('l'). */
#define HYP_VGIC_IIDR 0x6c00043bu

/**
 * @name ICH_LR<n>_EL2 fields (IHI 0069 ch. 12, ICH_LR<n>_EL2)
 * @{
 */
#define HYP_ICH_LR_VINTID_MASK 0xffffffffull /**< vINTID, bits [31:0] */
#define HYP_ICH_LR_PINTID_SHIFT 32           /**< pINTID, bits [44:32] (HW = 1) */
#define HYP_ICH_LR_PINTID_MASK (0x1fffull << 32) /**< pINTID field */
#define HYP_ICH_LR_EOI (1ull << 41)          /**< HW = 0: maintenance interrupt on EOI (pINTID bit 9) */
#define HYP_ICH_LR_PRIO_SHIFT 48             /**< Priority, bits [55:48] */
#define HYP_ICH_LR_GROUP (1ull << 60)        /**< Group: 1 = Group 1 */
#define HYP_ICH_LR_HW (1ull << 61)           /**< HW: deactivation also deactivates pINTID */
#define HYP_ICH_LR_PENDING (1ull << 62)      /**< State bit 0: pending */
#define HYP_ICH_LR_ACTIVE (1ull << 63)       /**< State bit 1: active */
/** @} */

/**
 * @name GICH_LR<n> fields (IHI 0048B 5.3, GICH_LRn)
 * @{
 */
#define HYP_GICH_LR_VID_MASK 0x3ffu      /**< VirtualID, bits [9:0] */
#define HYP_GICH_LR_PID_SHIFT 10         /**< PhysicalID, bits [19:10] (HW = 1) */
#define HYP_GICH_LR_CPUID_SHIFT 10       /**< HW = 0, SGI: requesting CPU, bits [12:10] */
#define HYP_GICH_LR_EOI (1u << 19)       /**< HW = 0: maintenance interrupt on EOI */
#define HYP_GICH_LR_PRIO_SHIFT 23        /**< Priority, bits [27:23]: priority[7:3] */
#define HYP_GICH_LR_PENDING (1u << 28)   /**< State bit 0: pending */
#define HYP_GICH_LR_ACTIVE (1u << 29)    /**< State bit 1: active */
#define HYP_GICH_LR_GRP1 (1u << 30)      /**< Grp1: a Group 1 interrupt */
#define HYP_GICH_LR_HW (1u << 31)        /**< HW: hardware interrupt */
/** @} */

/**
 * @name ICH_HCR_EL2 (IHI 0069 ch. 12) and GICH_HCR (IHI 0048B 5.3) bits
 * The maintenance-interrupt enables sit at the same positions in both.
 * @{
 */
#define HYP_VGIC_HCR_EN (1u << 0)      /**< En: virtual CPU interface enabled */
#define HYP_VGIC_HCR_UIE (1u << 1)     /**< UIE: maintenance when at most one LR is valid */
#define HYP_VGIC_HCR_LRENPIE (1u << 2) /**< LRENPIE: maintenance while EOIcount != 0 */
#define HYP_VGIC_HCR_NPIE (1u << 3)    /**< NPIE: maintenance when no LR is pending */
#define HYP_VGIC_HCR_MAINT_MASK 0xfeu  /**< UIE, LRENPIE, NPIE and the VGrpnE/DIE enables */
#define HYP_ICH_HCR_TC (1u << 10)      /**< GICv3 TC: trap common ICC_* registers */
#define HYP_ICH_HCR_TALL0 (1u << 11)   /**< GICv3 TALL0: trap Group 0 ICC_* registers */
#define HYP_ICH_HCR_TALL1 (1u << 12)   /**< GICv3 TALL1: trap Group 1 ICC_* registers */
#define HYP_ICH_HCR_TDIR (1u << 14)    /**< GICv3 TDIR: trap ICC_DIR_EL1 */
/** @} */

/**
 * @name GICH frame offsets (IHI 0048B 5.3, Table 5-1)
 * @{
 */
#define HYP_GICH_HCR 0x000u    /**< Hypervisor Control Register */
#define HYP_GICH_VTR 0x004u    /**< VGIC Type Register (RO) */
#define HYP_GICH_VMCR 0x008u   /**< Virtual Machine Control Register */
#define HYP_GICH_MISR 0x010u   /**< Maintenance Interrupt Status Register (RO) */
#define HYP_GICH_EISR0 0x020u  /**< End of Interrupt Status Register 0 (RO) */
#define HYP_GICH_EISR1 0x024u  /**< End of Interrupt Status Register 1 (RO) */
#define HYP_GICH_ELRSR0 0x030u /**< Empty List Register Status Register 0 (RO) */
#define HYP_GICH_ELRSR1 0x034u /**< Empty List Register Status Register 1 (RO) */
#define HYP_GICH_APR 0x0f0u    /**< Active Priorities Register */
#define HYP_GICH_LR0 0x100u    /**< List Register 0; LRn at 0x100 + 4n */
/** @} */

/** @brief The physical GIC's virtualization interface. */
enum hyp_vgic_hw_type {
	HYP_VGIC_HW_V3, /**< GICv3: ICH_*_EL2 system registers */
	HYP_VGIC_HW_V2, /**< GICv2: the memory-mapped GICH frame */
};

/** @brief The GIC the guest sees. */
enum hyp_vgic_model {
	HYP_VGIC_MODEL_V3, /**< GICv3: GICD + redistributors, system-register CPU interface */
	HYP_VGIC_MODEL_V2, /**< GICv2: GICD (4 KiB) + the GICV frame at the guest's GICC */
};

/**
 * @brief What the physical GIC's virtualization interface offers; fixed at
 *        boot by hyp_vgic_hw_init_v3() or hyp_vgic_hw_init_v2(), shared by
 *        all CPUs and VMs, read-only afterwards.
 */
struct hyp_vgic_hw {
	uint8_t type;     /**< enum hyp_vgic_hw_type */
	uint8_t nr_lrs;   /**< list registers used (1..HYP_VGIC_MAX_LRS) */
	uint8_t pri_bits; /**< virtual priority bits (5..8) */
	uint8_t pre_bits; /**< virtual preemption bits (5..7): what the APR count follows */
	uint8_t nr_aprs;  /**< APRs per group: 1, 2 or 4 (GICv2: 1, GICH_APR) */
	uint64_t vtr;     /**< the raw ICH_VTR_EL2 / GICH_VTR value */
	uintptr_t gich;   /**< GICv2: EL2 address of the GICH frame */
};

struct hyp_vgic;
struct hyp_vgic_vcpu;

/**
 * @brief One virtual interrupt's state. SPIs live in an array the caller
 *        hands to hyp_vgic_init(); SGIs and PPIs in their vCPU. Fields are
 *        read by tests and debuggers; change them through the API.
 */
struct hyp_vgic_irq {
	struct hyp_vgic_irq *next;   /**< next on the vCPU list that holds it */
	struct hyp_vgic_vcpu *vcpu;  /**< the vCPU whose list holds it; NULL if on none */
	struct hyp_vgic_vcpu *owner; /**< private interrupts: their vCPU; SPIs: NULL */
	uint64_t irouter;            /**< GICv3 SPIs: GICD_IROUTER (Aff3 [39:32], IRM [31], Aff2.Aff1.Aff0) */
	uint16_t intid;              /**< its INTID */
	uint16_t hwintid;            /**< with hw set: the physical INTID deactivated with it */
	uint8_t priority;            /**< IPRIORITYR byte (unimplemented low bits zero) */
	uint8_t targets;             /**< GICv2 SPIs: ITARGETSR byte */
	uint8_t sources;             /**< GICv2 SGIs: pending, one bit per requesting vCPU */
	uint8_t active_source;       /**< GICv2 SGIs: the requester of the active instance */
	uint8_t lr;                  /**< the LR holding it, while in_lr */
	bool enabled;                /**< ISENABLER */
	bool group1;                 /**< IGROUPR: Group 1 */
	bool level;                  /**< ICFGR: level-sensitive (false: edge) */
	bool line;                   /**< level: the input line is asserted */
	bool latch;                  /**< pending latch (an edge, or ISPENDR) */
	bool active;                 /**< active (or active and pending) */
	bool hw;                     /**< backed by physical INTID hwintid (LR HW bit) */
	bool in_lr;                  /**< written to an LR at the last entry */
	uint8_t lr_override;         /**< pending/active changes the guest made while another running vCPU's LR held it, applied when that LR is folded */
	bool lr_pending;             /**< the LR was written with its pending state (a level interrupt's latch is consumed only then) */
};

/** @brief Why hyp_vgic_ops::kick is called. */
enum hyp_vgic_kick {
	HYP_VGIC_KICK_RUNNING, /**< the vCPU is in the guest: force an exit so the entry path delivers */
	HYP_VGIC_KICK_WAKE,    /**< the vCPU is not loaded (e.g. blocked in WFI): wake it */
};

/** @brief Integrator hooks; any may be NULL. */
struct hyp_vgic_ops {
	/** @brief Take the VM lock (see the file comment). */
	void (*lock)(struct hyp_vgic *vm, void *ctx);
	/** @brief Release the VM lock. */
	void (*unlock)(struct hyp_vgic *vm, void *ctx);
	/**
	 * @brief A new deliverable interrupt was queued for @p vcpu, which is
	 *        running a guest on some CPU or is not loaded. Called with
	 *        the VM lock held: send an IPI or wake the vCPU, nothing more.
	 */
	void (*kick)(struct hyp_vgic_vcpu *vcpu, enum hyp_vgic_kick why, void *ctx);
	/**
	 * @brief The guest EOI'd level-sensitive interrupt @p intid (of
	 *        @p vcpu): return whether the device still asserts the line.
	 *        With this hook, level interrupts are delivered with the LR's
	 *        EOI bit (one maintenance interrupt per EOI); without it the
	 *        line keeps the level last set by hyp_vgic_irq_raise() /
	 *        hyp_vgic_irq_lower(). Called with the VM lock held.
	 */
	bool (*resample)(struct hyp_vgic_vcpu *vcpu, unsigned intid, void *ctx);
	/**
	 * @brief Is @p vcpu's CPU interface this CPU's (it is loaded here)?
	 *
	 * With this hook, an interrupt that becomes deliverable for a vCPU
	 * that is in the guest and local (a fast-path handler emulating its
	 * own self-SGI, a GICD write, a timer) is written straight into one
	 * LR under the VM lock: a free LR (the first one above the used-LR
	 * mask, nothing read), or the LR already holding that interrupt (one
	 * ELRSR read, one LR write; the LR itself read back only if ELRSR
	 * does not list it), or, every LR used, one ELRSR lists as empty
	 * (one ELRSR read, one LR write). No kick then. An SGI a vCPU sends
	 * itself (hyp_vgic_sgi_trap(), a GICD_SGIR write) is written so
	 * without asking this hook: its sender runs on this CPU. When that
	 * is not possible (no free LR, or interrupts already wait for a free
	 * LR, whose priorities the LRs' order would not respect) the vCPU is
	 * marked for
	 * hyp_vgic_refresh(), which the integrator's fast-path return calls;
	 * so is any other change its live LRs must reflect (an interrupt in
	 * an LR disabled or no longer pending). Without the hook (NULL) each
	 * of these is a ::HYP_VGIC_KICK_RUNNING.
	 * Called with the VM lock held; must be cheap (it runs per delivery).
	 * Concurrency: answers for the calling CPU only.
	 */
	bool (*local)(const struct hyp_vgic_vcpu *vcpu, void *ctx);
};

/** @brief Counters of a VM's distributor emulation (kept unless libhyp is
 *         built with -DHYP_VGIC_STATS=0: then every counter, here and in
 *         ::hyp_vgic_vcpu_stats, stays zero and costs nothing). */
struct hyp_vgic_stats {
	uint32_t mmio;        /**< MMIO accesses emulated */
	uint32_t unimpl;      /**< accesses to unimplemented registers (RAZ/WI) */
	uint32_t bad_access;  /**< wrong width, misaligned or beyond the frame (RAZ/WI) */
	uint32_t sgis;        /**< SGIs generated (one per target) */
};

/** @brief How to set up a VM's virtual GIC (hyp_vgic_init()). */
struct hyp_vgic_config {
	uint8_t model;                /**< enum hyp_vgic_model */
	const struct hyp_vgic_hw *hw; /**< the physical interface (from hyp_vgic_hw_init_*) */
	struct hyp_vgic_vcpu *vcpus;  /**< caller memory for @ref nr_vcpus vCPUs */
	unsigned nr_vcpus;            /**< 1.. (GICv2 model: at most HYP_VGIC_V2_MAX_VCPUS) */
	const uint64_t *mpidr;        /**< per vCPU MPIDR_EL1 affinity; NULL: Aff0 = i % 16, Aff1 = i / 16 */
	struct hyp_vgic_irq *spis;    /**< caller memory for @ref nr_spis SPIs (may be NULL if 0) */
	unsigned nr_spis;             /**< SPIs (INTIDs 32 ..), at most HYP_VGIC_MAX_SPIS */
	uint64_t dist_base;           /**< guest IPA of the GICD frame (for hyp_vgic_mmio()) */
	uint64_t redist_base;         /**< GICv3 model: guest IPA of vCPU 0's redistributor */
	uint32_t hcr_traps;           /**< GICv3 ICH_HCR_EL2 trap bits (TC, TALL0/1, TDIR) kept while loaded */
	bool save_all;                /**< baseline for measurements: save/restore everything every exit */
	const struct hyp_vgic_ops *ops; /**< hooks (may be NULL) */
	void *ctx;                    /**< argument of the hooks */
};

/** @brief A VM's virtual GIC. Initialise with hyp_vgic_init(). */
struct hyp_vgic {
	const struct hyp_vgic_hw *hw;   /**< the physical interface */
	struct hyp_vgic_vcpu *vcpus;    /**< its vCPUs */
	struct hyp_vgic_irq *spis;      /**< its SPIs (INTID 32 + i) */
	const struct hyp_vgic_ops *ops; /**< hooks, never NULL after init */
	void *ctx;                      /**< argument of the hooks */
	uint64_t dist_base;             /**< IPA of GICD */
	uint64_t redist_base;           /**< IPA of the first redistributor */
	unsigned nr_vcpus;              /**< vCPUs */
	unsigned nr_spis;               /**< SPIs */
	uint32_t ctlr;                  /**< GICD_CTLR: EnableGrp0 [0], EnableGrp1 [1] (ARE, DS read as 1 for GICv3) */
	uint32_t hcr_traps;             /**< ICH_HCR_EL2 trap bits */
	uint8_t model;                  /**< enum hyp_vgic_model */
	uint8_t pri_mask;               /**< implemented priority bits of IPRIORITYR */
	bool save_all;                  /**< baseline mode */
	struct hyp_vgic_stats stats;    /**< emulation counters */
	bool aff_linear;                /**< every vCPU has the default affinity (an SGI's targets found by arithmetic) */
	bool sgi_inline;                /**< a self-SGI may take the inline paths (hyp_vgic_sgi_direct(), hyp_vgic_dabt_sgir()): hyp_vgic_ops::local, no lock hooks, not save_all (decided by hyp_vgic_init()) */
	bool sgi_cross;                 /**< an ICC_SGI1R_EL1 write naming one other vCPU may take hyp_vgic_sgi_direct()'s path for it: a GICv3 VM with the default affinities (aff_linear), not save_all; lock hooks allowed (decided by hyp_vgic_init()) */
	bool sgi_cross_v2;              /**< a GICD_SGIR write naming one other vCPU may take hyp_vgic_dabt_sgir()'s path for it: a GICv2 model, not save_all; lock hooks allowed (decided by hyp_vgic_init()) */
};

/** @brief Counters of one vCPU's CPU interface. */
struct hyp_vgic_vcpu_stats {
	uint32_t entries;   /**< hyp_vgic_restore() calls */
	uint32_t exits;     /**< hyp_vgic_save() calls */
	uint32_t delivered; /**< LR writes (interrupts presented to the guest) */
	uint32_t overflows; /**< entries with more deliverable interrupts than LRs */
	uint32_t eois;      /**< EOI maintenance observed (level resample, GICv2 SGI sources) */
};

/** @brief A vCPU's virtual GIC state. Initialised by hyp_vgic_init(). */
struct hyp_vgic_vcpu {
	struct hyp_vgic *vm;                          /**< its VM */
	const struct hyp_sysreg_vcpu *sysreg;         /**< its sysreg vCPU (hyp_vgic_vcpu_bind_sysreg()) */
	struct hyp_vgic_irq priv[HYP_VGIC_NR_PRIVATE]; /**< SGIs and PPIs */
	struct hyp_vgic_irq *list;                    /**< pending/active interrupts, highest priority first */
	struct hyp_vgic_irq *lr_irq[HYP_VGIC_MAX_LRS]; /**< the interrupt in each used LR */
	uint64_t lr[HYP_VGIC_MAX_LRS];                /**< LR values: as written at entry, as read at exit */
	uint64_t vmcr;                                /**< ICH_VMCR_EL2 / GICH_VMCR while not loaded */
	uint32_t ap0r[4];                             /**< ICH_AP0R<n>_EL2 while not loaded */
	uint32_t ap1r[4];                             /**< ICH_AP1R<n>_EL2 (GICv2 hardware: [0] is GICH_APR) */
	uint32_t hcr;                                 /**< ICH_HCR_EL2 / GICH_HCR wanted at the last entry */
	uint32_t hw_hcr;                              /**< what the hardware holds while loaded (~0: unknown) */
	uint64_t elrsr;                               /**< ELRSR as read at the last exit that read it */
	uint64_t eisr;                                /**< EISR as read at the last exit that read it */
	uint64_t misr;                                /**< MISR (read only in save_all mode) */
	uint64_t mpidr;                               /**< MPIDR_EL1 affinity (Aff3 [39:32], Aff2..Aff0 [23:0]) */
	uint16_t used_lrs;                            /**< LRs written at the last entry (bitmap) */
	uint16_t eoi_lrs;                             /**< of those, LRs with the EOI bit */
	uint16_t idx;                                 /**< index in the VM */
	bool loaded;                                  /**< between hyp_vgic_load() and hyp_vgic_put() */
	bool in_guest;                                /**< between hyp_vgic_restore() and hyp_vgic_save() */
	bool sleep;                                   /**< GICR_WAKER.ProcessorSleep */
	struct hyp_vgic_vcpu_stats stats;             /**< counters */
	bool refresh;                                 /**< in the guest, local: an interrupt waits for hyp_vgic_refresh() */
	uint32_t lr_injected;                         /**< interrupts written into a live LR by hyp_vgic_ops::local delivery (statistics) */
	uint64_t sgi1r_self;                          /**< the ICC_SGI1R_EL1 routing fields naming this vCPU alone (set by hyp_vgic_init()) */
	uint64_t sgi1r_fast;                          /**< sgi1r_self if the VM qualifies for hyp_vgic_sgi_direct()'s inline path (GICv3 model, hyp_vgic_ops::local, no lock hooks, not save_all; decided by hyp_vgic_init()), else a value no SGI register matches */
};

/**
 * @brief Describe a GICv3 virtualization interface from the cpufeat cache:
 *        ListRegs, PREbits and PRIbits of the sanitised ICH_VTR_EL2.
 *
 * Reads no register (cpufeat read ICH_VTR_EL2 once per CPU at probe).
 * @return 0; HYP_ESTATE before hyp_cpufeat_finalize(); HYP_ENOTSUP without
 *         the GICv3 system-register interface or with ICH_VTR_EL2 not
 *         probed (ICC_SRE_EL2.SRE was clear); HYP_EINVAL for a NULL @p hw.
 * @param[out] hw the description (unchanged on error)
 * @concurrency Once at boot on any CPU, after hyp_cpufeat_finalize(); @p hw
 *  is then read-only and shared by every CPU and VM without a lock.
 */
int hyp_vgic_hw_init_v3(struct hyp_vgic_hw *hw);

/**
 * @brief Describe a GICv2 virtualization interface (GICH frame at EL2
 *        address @p gich).
 *
 * GICH_VTR (IHI 0048B 5.3, GICH_VTR: ListRegs [5:0], PREbits [28:26], PRIbits
 * [31:29], each the number minus one) is taken from @p vtr if non-zero,
 * else read once here: one MMIO read, at init only, never on an exit.
 * @return 0; HYP_EINVAL for a NULL @p hw or a zero @p gich.
 * @param[out] hw the description (unchanged on error)
 * @param gich EL2 address of the GICH frame
 * @param vtr the GICH_VTR value, or 0 to read it
 * @concurrency As hyp_vgic_hw_init_v3(): once at boot on any CPU (the GICH
 *  frame is banked per CPU; GICH_VTR reads the same on each).
 */
int hyp_vgic_hw_init_v2(struct hyp_vgic_hw *hw, uintptr_t gich, uint32_t vtr);

/**
 * @brief Bring the calling physical CPU's virtual interface to a known
 *        state: ICH_HCR_EL2 / GICH_HCR = 0 and every LR and APR zero (their
 *        reset values are UNKNOWN). Once per CPU at boot. Each
 *        ICH_AP0R<n>_EL2 is written before ICH_AP1R<n>_EL2 (IHI 0069,
 *        ICH_AP1R<n>_EL2: another order is UNPREDICTABLE).
 *
 * Cost: 1 + nr_lrs + 2 * nr_aprs writes (GICv2: 2 + nr_lrs).
 * @return 0, or HYP_EINVAL for a NULL or uninitialised @p hw.
 * @param hw the physical interface
 * @concurrency Once on each physical CPU (it writes that CPU's interface),
 *  at boot, before a vCPU is loaded there.
 */
int hyp_vgic_cpu_init(const struct hyp_vgic_hw *hw);

/**
 * @brief Set up a VM's virtual GIC and its vCPUs over caller memory.
 *
 * Reset state: distributor disabled; every interrupt disabled (GICv2:
 * SGIs always enabled, RAO/WI), inactive, not pending, priority 0, Group 1
 * for a GICv3 guest and Group 0 for a GICv2 guest, SGIs edge-triggered
 * (read-only), PPIs and SPIs level-sensitive; IROUTER 0, ITARGETSR 0;
 * redistributors asleep (GICR_WAKER.ProcessorSleep = 1). Touches no
 * hardware.
 *
 * A GICv3 guest names its vCPUs by affinity (GICD_IROUTER<n>, GICR_TYPER,
 * ICC_SGI1R_EL1), so every vCPU's affinity must be one the guest can
 * target: unique, and with Aff3 = 0 unless the virtual CPU interface
 * supports non-zero Aff3 (ICH_VTR_EL2.A3V, the guest's ICC_CTLR_EL1.A3V).
 * The distributor then reports GICD_TYPER.RSS when a vCPU has Aff0 > 15
 * and GICD_TYPER.A3V when one has Aff3 != 0 (IHI 0069 ch. 12,
 * GICD_TYPER). Cost of the check: nr_vcpus^2 / 2 compares.
 * @return 0; HYP_EINVAL for a NULL argument, an unknown model, no vCPU,
 *         too many vCPUs for a GICv2 guest, more than HYP_VGIC_MAX_SPIS
 *         SPIs or SPIs without memory, a GICv3 guest on GICv2 hardware,
 *         two vCPUs of a GICv3 guest with one affinity, or an
 *         uninitialised @p hw; HYP_ENOTSUP for a GICv3 guest's vCPU with
 *         Aff3 != 0 on a virtual CPU interface without A3V; @p vm is
 *         unchanged on error.
 * @param[out] vm the VM's virtual GIC (caller memory; unchanged on error)
 * @param cfg the configuration (the memory it names is kept by pointer)
 * @concurrency Any CPU, before any vCPU of the VM runs and before any
 *  injection into it; takes no lock.
 */
int hyp_vgic_init(struct hyp_vgic *vm, const struct hyp_vgic_config *cfg);

/**
 * @brief The interrupt @p intid as seen by @p vcpu (private ones are
 *        per vCPU; @p vcpu may be NULL for an SPI). Touches no hardware.
 * @return the interrupt, or NULL if @p intid is not a valid SGI, PPI or SPI.
 * @param vm the VM
 * @param vcpu the vCPU whose private interrupts to look in (NULL for SPIs)
 * @param intid the INTID
 * @concurrency Any CPU; a lookup, no lock. The interrupt's fields change
 *  under the VM lock: read them with it held.
 */
struct hyp_vgic_irq *hyp_vgic_get_irq(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu,
				      unsigned intid);

/**
 * @name Injection
 * Touch no hardware; take the VM lock; may call hyp_vgic_ops::kick.
 * @{
 */
/**
 * @brief Assert the input of interrupt @p intid: a level-sensitive one
 *        stays pending while its line is asserted; an edge-triggered one
 *        becomes pending (edges coalesce while pending). Routed by the
 *        guest's IROUTER (GICv3) or ITARGETSR (GICv2) for SPIs; @p vcpu
 *        names the target of a PPI (ignored for SPIs).
 *
 * A hardware-mapped interrupt (hyp_vgic_irq_map_hw()) is raised once per
 * physical firing, whatever its trigger: it becomes pending, and a firing
 * raised while the guest still holds the last one active waits until the
 * guest deactivates it (never presented pending and active).
 * @return 0; HYP_EINVAL for a NULL @p vm, or a PPI without @p vcpu;
 *         HYP_ERANGE for an INTID that is not a PPI (16..31) or an SPI of
 *         the VM (SGIs come from hyp_vgic_send_sgi()).
 * @param vm the VM
 * @param vcpu the target of a PPI (ignored for an SPI)
 * @param intid the INTID (16..31 or an SPI of the VM)
 * @concurrency Any CPU (a device's interrupt handler, another vCPU's trap
 *  handler...), any number at once: it takes the VM lock
 *  (hyp_vgic_ops::lock) and may call the kick hook with it held. Must not be
 *  called with the VM lock held (from the kick or resample hooks) unless the
 *  integrator's lock is recursive.
 */
int hyp_vgic_irq_raise(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, unsigned intid);

/**
 * @brief Deassert the input of interrupt @p intid (level-sensitive: no
 *        longer pending unless latched by ISPENDR; edge: no effect).
 * @return as hyp_vgic_irq_raise().
 * @param vm the VM
 * @param vcpu the target of a PPI (ignored for an SPI)
 * @param intid the INTID
 * @concurrency As hyp_vgic_irq_raise().
 */
int hyp_vgic_irq_lower(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, unsigned intid);

/**
 * @brief Set the trigger of a PPI or SPI as a device tree would, before
 *        the guest runs (the guest may change it through ICFGR).
 * @return as hyp_vgic_irq_raise().
 * @param vm the VM
 * @param vcpu the PPI's vCPU (ignored for an SPI)
 * @param intid the INTID
 * @param level level-sensitive (true) or edge-triggered
 * @concurrency As hyp_vgic_irq_raise().
 */
int hyp_vgic_irq_set_level(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, unsigned intid,
			   bool level);

/**
 * @brief Back virtual interrupt @p intid by physical INTID @p pintid
 *        (pass-through devices, the virtual timer): it is delivered with
 *        the LR HW bit, so the guest's deactivation deactivates @p pintid
 *        in the physical GIC and no maintenance interrupt is needed. The
 *        caller then injects it with hyp_vgic_irq_raise() when the physical
 *        interrupt fires (left active at EL2: priority drop only).
 *
 * Such an interrupt is never presented pending and active (HW = 1: the
 * physical one is active until the guest deactivates it); a raise while it
 * is active and held by no LR is ignored, not a second firing.
 * @param vm the VM
 * @param vcpu the PPI's vCPU (ignored for an SPI)
 * @param intid the virtual PPI or SPI
 * @param pintid physical INTID (16..1019); 0 to unmap
 * @return as hyp_vgic_irq_raise(); HYP_ERANGE also for @p pintid out of
 *         range (GICv2: 10 bits, IHI 0048B 5.3, GICH_LRn).
 * @concurrency As hyp_vgic_irq_raise().
 */
int hyp_vgic_irq_map_hw(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, unsigned intid,
			unsigned pintid);

/**
 * @brief Generate SGI @p sgi from @p src, as a guest write to ICC_SGI1R_EL1
 *        (GICv3, with affinity routing) or GICD_SGIR (GICv2) does.
 *
 * GICv3: @p target_list is the ICC_SGI1R_EL1 value's routing part
 * (TargetList [15:0], Aff1 [23:16], Aff2 [39:32], IRM [40], RS [47:44],
 * Aff3 [55:48]; IHI 0069 ch. 12, ICC_SGI1R_EL1). GICv2: @p target_list is the
 * CPUTargetList byte, with @p all_but_self / self-only given by the
 * TargetListFilter of GICD_SGIR.
 * @return the number of vCPUs the SGI was made pending on; HYP_EINVAL for
 *         NULL arguments; HYP_ERANGE for @p sgi > 15.
 * @param vm the VM
 * @param src the requesting vCPU
 * @param sgi the SGI (0..15)
 * @param target_list the routing fields (see above)
 * @param group1 a Group 1 SGI (GICv3), else Group 0
 * @concurrency As hyp_vgic_irq_raise(): any CPU, takes the VM lock.
 */
int hyp_vgic_send_sgi(struct hyp_vgic *vm, struct hyp_vgic_vcpu *src, unsigned sgi,
		      uint64_t target_list, bool group1);
/** @} */

/**
 * @brief Trap handler for guest writes to ICC_SGI1R_EL1, ICC_ASGI1R_EL1 and
 *        ICC_SGI0R_EL1 (trapped whenever HCR_EL2.IMO/FMO are set), to
 *        register in an integrator's hyp_sysreg_trap_table with @p ctx the
 *        ::hyp_vgic. The requester is @p vcpu's hyp_sysreg_vcpu::vgic
 *        (hyp_vgic_vcpu_bind_sysreg()): one load, no search over vCPUs.
 *
 * SGI1R generates SGIs of either group, SGI0R and ASGI1R (the other
 * Security state's Group 1, i.e. Group 0 with a single Security state)
 * only Group 0 SGIs (IHI 0069 ch. 12, ICC_SGI0R_EL1, ICC_SGI1R_EL1,
 * ICC_ASGI1R_EL1). An SGI to the requester alone (its routing fields,
 * precomputed at hyp_vgic_init(), equal the value's) takes a direct path:
 * no decode, no search, no lock call when the VM has no lock hooks, and,
 * with hyp_vgic_ops::local, straight into one of its live LRs (one ELRSR
 * read and one LR write in the common case; the hook is not asked). Other
 * SGIs touch no hardware.
 * @return HYP_SYSREG_HANDLED; HYP_SYSREG_UNDEF for a read or a GICv2 VM;
 *         HYP_EINVAL if an argument is NULL or @p vcpu is bound to no
 *         vCPU of this vGIC.
 * @param vcpu the sysreg vCPU that trapped
 * @param a the decoded access
 * @param ctx the ::hyp_vgic of the VM
 * @concurrency A sysreg trap handler on the requesting vCPU's CPU; takes
 *  the VM lock (hyp_vgic_send_sgi()).
 */
int hyp_vgic_sgi_trap(struct hyp_sysreg_vcpu *vcpu, struct hyp_sysreg_access *a, void *ctx);

/**
 * @brief Bind a vCPU's vGIC state and its sysreg vCPU to each other:
 *        hyp_vgic_vcpu::sysreg = @p sr and hyp_sysreg_vcpu::vgic = @p gv,
 *        so that hyp_vgic_sgi_trap() finds the requester in one load.
 *
 * Call it once at setup, after hyp_vgic_init() and hyp_sysreg_vcpu_init()
 * (which clears hyp_sysreg_vcpu::vgic). Touches no hardware; two stores.
 * @concurrency at setup, before either vCPU runs.
 * @param gv the vGIC vCPU (initialised by hyp_vgic_init())
 * @param sr the same vCPU's sysreg state
 * @return 0; HYP_EINVAL for a NULL argument or a @p gv that belongs to no
 *         vGIC (nothing written)
 */
int hyp_vgic_vcpu_bind_sysreg(struct hyp_vgic_vcpu *gv, struct hyp_sysreg_vcpu *sr);

struct hyp_vcpu;

/**
 * @brief hyp_vgic_sgi_trap() as a direct trap handler
 *        (libhyp/sysreg_bridge.h, ::hyp_sysreg_direct_fn): the dispatcher's
 *        cached hit tail-calls it with the guest's Xt, and it completes the
 *        instruction itself. Register it for ICC_SGI1R_EL1, ICC_ASGI1R_EL1
 *        and ICC_SGI0R_EL1 only (the register is told apart by the
 *        syndrome's Op2, which is not checked against the rest of the
 *        encoding: a hot path, see CONTRIBUTING.md "Bad arguments"):
 *        `static const struct hyp_sysreg_direct d = {hyp_vgic_sgi_direct, NULL};`
 *        and `{HYP_SYS_ICC_SGI1R_EL1, hyp_sysreg_trap_direct, (void *)&d}`.
 *
 * The requester is @p vcpu's attached vGIC vCPU (hyp_vcpu::vgic,
 * hyp_vcpu_attach_vgic()). The rules are hyp_vgic_sgi_trap()'s,
 * exactly: a read or a GICv2 VM gets UNDEF (hyp_sysreg_direct_undef()),
 * anything else is handled (hyp_sysreg_direct_done(): PC + 4); for a
 * vCPU with no vGIC attached it returns ::HYP_FAST_EXIT with the
 * instruction not completed. If the SGI marked the requester for
 * hyp_vgic_refresh() (no LR could take it at once), the refresh is done
 * here, before the guest resumes.
 *
 * Inline path: an ICC_SGI1R_EL1 write naming the requester alone
 * (hyp_vgic_vcpu::sgi1r_fast: a GICv3 VM with hyp_vgic_ops::local, no
 * lock hooks, not save_all), the requester in the guest, the SGI enabled
 * in an enabled group and held by one of its LRs that ELRSR lists as
 * empty (the guest took and deactivated it), with no EOI request or
 * pending override and ICH_HCR_EL2 as wanted: one ELRSR read and one
 * write of that LR, then the skip; no lock, no call but the tail call.
 * Everything else goes through hyp_vgic_sgi_trap() (out of line), with
 * the same hardware accesses as before, except an ICC_SGI1R_EL1 write
 * naming one other vCPU (IRM 0, RS 0, Aff3 0, one TargetList bit) in a VM
 * with hyp_vgic::sgi_cross: the target found by arithmetic, and under the
 * VM lock its SGI made pending, queued and its vCPU kicked as
 * hyp_vgic_sgi_trap() would, without asking hyp_vgic_ops::local (the
 * target is not the vCPU this CPU runs); no hardware touched.
 * @param vcpu the trapping vCPU (live or not)
 * @param esr its EC 0x18 syndrome
 * @param xt the guest's Xt: the value written
 * @param ctx the ::hyp_vgic, or NULL for the requester's VM
 * @return an enum hyp_fast_action (see above)
 * @concurrency A fast-path handler on the requester's CPU; the inline
 *  path takes no lock (the VM has no lock hooks), the others take the VM
 *  lock as hyp_vgic_sgi_trap() does (and call the kick hook with it held).
 */
int hyp_vgic_sgi_direct(struct hyp_vcpu *vcpu, uint64_t esr, uint64_t *xt, void *ctx);

/**
 * @brief A GICv2 guest's GICD_SGIR write, answered on the stage-2 abort
 *        fast path (EC 0x24) without decoding the instruction: for an
 *        integrator's data-abort fast handler to try first.
 *
 * Taken when the syndrome describes the access (ISV 1, Arm ARM D24.2.46):
 * a 32-bit store (SAS 0b10, WnR 1, not a cache maintenance or a stage-1
 * walk) whose IPA (HPFAR_EL2 and FAR_EL2 as hyp_vcpu_fault_ipa() reads
 * them; kept in @p vcpu's exit when the access is declined) is the
 * VM's GICD_SGIR (distributor base + 0xF00, IHI 0048B 4.3.15), by a vCPU
 * whose attached vGIC vCPU (hyp_vcpu::vgic) belongs to a GICv2 VM. The
 * value is X[SRT] (XZR: 0), the SGI generated as hyp_vgic_mmio() would
 * (under the VM lock; an SGI to the writer alone straight into its LR with
 * hyp_vgic_ops::local), a vCPU it marked for hyp_vgic_refresh() refreshed,
 * and the instruction completed (hyp_vcpu_skip_insn(); inline for a live
 * AArch64 vCPU, with the same accesses).
 *
 * Hardware: HPFAR_EL2 and FAR_EL2 if not yet captured (one MRS each), the
 * vGIC's (one ELRSR read and one LR write for a self-SGI the guest is done
 * with), the skip's.
 * @param vcpu the trapping vCPU
 * @param esr its syndrome
 * @return ::HYP_FAST_RESUME_X0_X18 when done; HYP_ENOENT for any other
 *         access (nothing changed but the cached fault address: the caller
 *         goes on with its general path)
 * @concurrency A fast-path handler on @p vcpu's CPU; takes the VM lock.
 */
int hyp_vgic_dabt_sgir(struct hyp_vcpu *vcpu, uint64_t esr);

/**
 * @brief Whether @p vcpu has an interrupt the guest could take (pending,
 *        enabled, its group enabled): what a WFI-blocked vCPU waits for.
 *        Touches no hardware; takes the VM lock.
 * @param vcpu the vCPU (false for NULL)
 * @return whether an interrupt is deliverable to it
 * @concurrency Any CPU (typically the one blocking the vCPU in WFI); takes
 *  the VM lock.
 */
bool hyp_vgic_vcpu_pending(struct hyp_vgic_vcpu *vcpu);

/**
 * @name CPU-interface switching
 * @{
 */
/**
 * @brief vCPU load: restore the state that can wait for a reschedule.
 *
 * Writes ICH_VMCR_EL2 and the APRs the implementation has (1, 2 or 4 per
 * group by PREbits, for a GICv3 and a GICv2 guest alike: a GICv2 guest's
 * active priorities live in ICH_AP1R<n>_EL2 (IHI 0069, GICV_APR<n>), but
 * a stale ICH_AP0R<n>_EL2 left by the vCPU that ran before would still
 * raise its running priority, so its (zero) AP0Rn are written too),
 * each ICH_AP0R<n>_EL2 before ICH_AP1R<n>_EL2 (IHI 0069, ICH_AP1R<n>_EL2:
 * another order is UNPREDICTABLE) — GICv2: GICH_VMCR and GICH_APR. A GICv2 guest on GICv3
 * also gets ICC_SRE_EL1 = 0 (legacy); ICH_HCR_EL2 is written here only
 * with hyp_vgic_config::hcr_traps. In save_all mode: nothing.
 * @return 0; HYP_EINVAL for a NULL @p vcpu or one of no VM; HYP_ESTATE
 *         if already loaded.
 * @param vcpu the vCPU
 * @concurrency On the physical CPU that will run the vCPU (it writes that
 *  CPU's interface), at vCPU load; a vCPU is loaded on one CPU at a time.
 *  No lock: the state touched is the vCPU's own.
 */
int hyp_vgic_load(struct hyp_vgic_vcpu *vcpu);

/**
 * @brief vCPU put: read back VMCR and the APRs written at load (and
 *        restore ICC_SRE_EL1.SRE for a GICv2 guest on GICv3).
 * @return 0; HYP_EINVAL for a NULL @p vcpu or one of no VM; HYP_ESTATE
 *         if not loaded or still in the guest.
 * @param vcpu the vCPU
 * @concurrency On the CPU that loaded the vCPU, at vCPU put. No lock.
 */
int hyp_vgic_put(struct hyp_vgic_vcpu *vcpu);

/**
 * @brief Guest entry: fill the LRs from the vCPU's list.
 *
 * The highest-priority deliverable interrupts (active ones first) take
 * LRs 0..k-1; one LR write each, nothing else is written except the HCR
 * when its value changes (enable, or an underflow/EOI maintenance request
 * when more interrupts are deliverable than LRs). Nothing deliverable:
 * no access at all. Call with the guest's interrupts about to be
 * unmasked, after hyp_vgic_load().
 * @return 0; HYP_EINVAL for a NULL @p vcpu or one of no VM; HYP_ESTATE
 *         if not loaded or already in the guest.
 * @param vcpu the vCPU
 * @concurrency On the CPU that loaded the vCPU, with interrupts masked up
 *  to the guest entry. Takes the VM lock while it picks the interrupts
 *  (other CPUs may inject concurrently: one queued after that kicks the
 *  vCPU); the LR writes happen after it is released.
 */
int hyp_vgic_restore(struct hyp_vgic_vcpu *vcpu);

/**
 * @brief Guest exit: fold the LRs back into the interrupts' state.
 *
 * No LR written at entry: no access. Otherwise one read of ELRSR; one of
 * EISR only when an LR carried the EOI bit; for each used LR that ELRSR
 * does not report empty (and EISR does not report EOI'd) one read, and
 * one write of zero to wipe it; an LR reported empty is neither read nor
 * written, its state is cleared in memory. The HCR is written only if a
 * maintenance interrupt had been enabled. Level interrupts EOI'd in the
 * guest are resampled (hyp_vgic_ops::resample).
 * @return 0; HYP_EINVAL for a NULL @p vcpu or one of no VM; HYP_ESTATE
 *         if not in the guest.
 * @param vcpu the vCPU
 * @concurrency On the CPU the vCPU exited on, before interrupts are
 *  unmasked there. Reads the LRs without the lock, then takes the VM lock to
 *  fold them; calls the resample hook with it held.
 */
int hyp_vgic_save(struct hyp_vgic_vcpu *vcpu);

/**
 * @brief On a fast-path return: deliver what the local LR update of
 *        hyp_vgic_ops::local could not (hyp_vgic_vcpu::refresh).
 *
 * Call from the fast-path handlers that may make an interrupt pending for
 * their own vCPU (an emulated SGI, GIC MMIO, a timer), just before they
 * resume the guest. Usually nothing is marked: one load and a branch, no
 * hardware. Marked (the LRs were full, or interrupts already waited for a
 * free LR): hyp_vgic_save() then hyp_vgic_restore(), so that the guest
 * resumes with the highest-priority interrupts presented.
 * @concurrency on the vCPU's own CPU, with the vCPU in the guest (its
 * exit being handled), the VM lock not held.
 * @param vcpu the vGIC vCPU whose exit is being handled
 * @return 0 (also when nothing was marked); HYP_EINVAL for a NULL
 *         @p vcpu or one of no VM; HYP_ESTATE if it is not in the guest
 */
int hyp_vgic_refresh(struct hyp_vgic_vcpu *vcpu);
/** @} */

/** @brief Results of the distributor emulation (non-negative). */
enum hyp_vgic_mmio_result {
	HYP_VGIC_MMIO_DONE = 0,  /**< emulated */
	HYP_VGIC_MMIO_RAZWI = 1, /**< unimplemented register or bad access: read as zero, write ignored, counted */
};

/**
 * @name Distributor and redistributor emulation
 * Guest MMIO to the virtual GIC frames, decoded by the exit path (a data
 * abort with ISV: offset, size, direction, value) and handed here. Widths:
 * 32-bit for every register, also 8-bit for IPRIORITYR, ITARGETSR,
 * CPENDSGIR/SPENDSGIR, also 64-bit for GICD_IROUTER<n> and GICR_TYPER
 * (IHI 0069 ch. 12 "GIC memory-mapped register access", IHI 0048B
 * 4.1 "register access"). Any other width, a misaligned access
 * or an offset beyond the frame is RAZ/WI (counted in hyp_vgic::stats),
 * never a fault. Take the VM lock; may call hyp_vgic_ops::kick.
 *
 * Hardware: none, except for the pending and active registers (ISPENDR,
 * ICPENDR, ISACTIVER, ICACTIVER of GICD and GICR, GICv2 CPENDSGIR and
 * SPENDSGIR) when an interrupt they name sits in an LR of the accessing
 * vCPU while it is in the guest: that LR is live on the calling CPU, so it
 * is read, folded and written back at once (one LR read and one LR write
 * per such interrupt), else the exit's fold would undo the access. Call
 * these with @p vcpu the vCPU whose trap it is, on its own CPU. An
 * interrupt in the LR of a vCPU on another CPU is changed in memory
 * (hyp_vgic_irq::lr_override), and that vCPU is kicked so that its fold
 * applies the change.
 * @{
 */
/**
 * @brief A guest access to the distributor frame.
 * @param vm the VM
 * @param vcpu the accessing vCPU (banked registers of INTIDs 0..31 on GICv2)
 * @param offset offset in the GICD frame
 * @param width access size in bytes (1, 2, 4 or 8)
 * @param is_write the access is a store
 * @param[in,out] val the value stored, or where the value loaded goes
 *                (zero-extended to @p width)
 * @return enum hyp_vgic_mmio_result; HYP_EINVAL for NULL arguments.
 * @concurrency On the CPU running @p vcpu, from its MMIO trap (an LR of
 *  @p vcpu may be live there). Takes the VM lock; may call the kick hook with
 *  it held.
 */
int hyp_vgic_dist_access(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t offset,
			 unsigned width, bool is_write, uint64_t *val);

/**
 * @brief A guest access to the GICv3 redistributor region: @p offset from
 *        vCPU 0's RD_base, HYP_VGIC_V3_REDIST_SIZE per vCPU (RD_base frame,
 *        then SGI_base frame). Parameters and result as
 *        hyp_vgic_dist_access(); HYP_VGIC_MMIO_RAZWI for a GICv2 VM.
 * @param vm the VM
 * @param vcpu the accessing vCPU
 * @param offset offset from vCPU 0's RD_base
 * @param width access size in bytes
 * @param is_write the access is a store
 * @param[in,out] val the value stored, or where the value loaded goes
 * @return enum hyp_vgic_mmio_result; HYP_EINVAL for NULL arguments.
 * @concurrency As hyp_vgic_dist_access().
 */
int hyp_vgic_redist_access(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t offset,
			   unsigned width, bool is_write, uint64_t *val);

/**
 * @brief Dispatch a guest access at IPA @p ipa to the distributor or a
 *        redistributor, by hyp_vgic_config::dist_base and redist_base.
 * @return as hyp_vgic_dist_access(); HYP_ENOENT if @p ipa is in none of
 *         the VM's GIC frames (not ours: the caller handles it).
 * @param vm the VM
 * @param vcpu the accessing vCPU
 * @param ipa the faulting IPA
 * @param width access size in bytes
 * @param is_write the access is a store
 * @param[in,out] val the value stored, or where the value loaded goes
 * @concurrency As hyp_vgic_dist_access().
 */
int hyp_vgic_mmio(struct hyp_vgic *vm, struct hyp_vgic_vcpu *vcpu, uint64_t ipa, unsigned width,
		  bool is_write, uint64_t *val);
/** @} */

/** @name A kicked vCPU's list registers (issue 15)
 * @{ */

/**
 * @brief Bring the list registers of @p vcpu, in the guest on this CPU,
 *        up to date with its vGIC state after a kick, without a full save
 *        and restore.
 *
 * For the integrator's IRQ fast path (hyp_fast_register_irq(),
 * libhyp/world_switch.h): another CPU queued or changed an interrupt of
 * @p vcpu and kicked it (hyp_vgic_ops::kick, ::HYP_VGIC_KICK_RUNNING).
 * Under the VM lock, its list is walked and each interrupt the kick can
 * concern goes into an LR as the fast path's own delivery writes one (see
 * hyp_vgic_ops::local): one in no LR that is deliverable gets a free LR
 * (nothing read), or one ELRSR lists as empty; one in an LR that has a
 * pending state in memory, an override from a guest write on another CPU,
 * or was disabled (itself or its group) has its LR folded (one ELRSR read; the LR
 * read back only if ELRSR does not list it) and written again or emptied.
 * The others are not touched. Where that delivery cannot be used (no LR
 * left, interrupts already waiting for one, an earlier refresh request, a
 * VM with hyp_vgic_config::save_all) it falls back to hyp_vgic_save() and
 * hyp_vgic_restore(), as hyp_vgic_refresh() does.
 *
 * Hardware (the common kick, one interrupt newly pending): one LR write
 * and, if its LR is reused, one ELRSR read; ICH_HCR_EL2 / GICH_HCR only if
 * the maintenance request changed. Cost: the lock hooks, the list walk,
 * about 60 instructions per interrupt written.
 * @param vcpu the vGIC vCPU, in the guest (between hyp_vgic_restore() and
 *        hyp_vgic_save()) on this CPU
 * @return 0; HYP_EINVAL for a NULL @p vcpu or one without a VM; HYP_ESTATE
 *         if it is not in the guest (nothing changed, no hardware touched)
 * @concurrency On the CPU that runs @p vcpu, in the guest (an IRQ or
 *  synchronous fast-path handler): its LRs are this CPU's. Takes the VM
 *  lock (hyp_vgic_ops::lock), so not with it held.
 */
int hyp_vgic_refill(struct hyp_vgic_vcpu *vcpu);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_VGIC_H */
