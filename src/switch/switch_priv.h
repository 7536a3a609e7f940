/* SPDX-License-Identifier: MIT */
/*
 * Private to src/switch: the layout the assembly relies on (shared by the .S
 * files and checked against the C structures with static assertions in
 * vcpu.c), and small helpers of the C files.
 */
#ifndef LIBHYP_SWITCH_PRIV_H
#define LIBHYP_SWITCH_PRIV_H

/*
 * The run loop's stack frame while a guest runs. SP_EL2 points at it, so the
 * vector code finds the vCPU with one load and no system-register access.
 */
#define SW_FRAME_VCPU	 0  /* struct hyp_vcpu * */
#define SW_FRAME_DAIF	 8  /* the caller's DAIF, restored on return */
#define SW_FRAME_SCRATCH 16 /* two slots for the guest's X0/X1 while saving */
#define SW_FRAME_X19	 32 /* the caller's X19..X30 (AAPCS64 callee-saved) */
#define SW_FRAME_SCRATCH2 128 /* two more: the guest's X4/X5 in the early path */
#define SW_FRAME_SIZE	 160

/* Offsets in struct hyp_vcpu / struct hyp_fast_table the vector code uses
 * (static assertions in smccc.c). */
#define SW_VCPU_FAST	 288  /* vcpu->fast */
#define SW_VCPU_EXIT_ESR 424  /* vcpu->exit.esr, then exit.valid */
#define SW_FAST_ANSWERS	 1024 /* fast->smccc_answers */
#define SW_FAST_IRQ	 1032 /* fast->irq (fn, then ctx) */

/* struct hyp_el2_fault */
#define SW_FAULT_X30	240
#define SW_FAULT_ELR	256
#define SW_FAULT_ESR	272
#define SW_FAULT_VECTOR 288
#define SW_FAULT_SIZE	304

/* enum hyp_exit_kind and enum hyp_fast_action values used by the assembly */
#define SW_EXIT_SYNC   1
#define SW_EXIT_IRQ    2
#define SW_EXIT_FIQ    3
#define SW_EXIT_SERROR 4
#define SW_FAST_RESUME 1
#define SW_FAST_RESUME_SKIP 3

/* exit.valid: X19..X29 are in the CPU, not in vcpu->regs (the frame
 * rule, entry.S; HYP_EXIT_V_X19_X29_LIVE in libhyp/world_switch.h). */
#define SW_EXIT_V_X19_X29_LIVE (1 << 63)
/* The classes whose handlers use X0..X18 only, by EC bit: CP15 MCR/MRC
 * 0x03, MCRR/MRRC 0x04, HVC32 0x12, SMC32 0x13, HVC64 0x16, SMC64 0x17. */
#define SW_NARROW_ECS ((1 << 0x03) | (1 << 0x04) | (1 << 0x12) | (1 << 0x13) | (1 << 0x16) | (1 << 0x17))

/* Offsets the direct MSR/MRS path uses (static assertions in sysreg_plug.c) */
#define SW_VCPU_HOOKS_CTX 304  /* vcpu->hooks_ctx */
#define SW_VCPU_LIVE	  344  /* vcpu->live */
#define SW_SR_TRAP_KEY	  2388 /* struct hyp_sysreg_vcpu: trap_key */
#define SW_SR_TRAP_HIT	  2400 /* trap_hit */
#define SW_TRAP_ENTRY_CTX 16   /* struct hyp_sysreg_trap_entry: ctx */
/* The early MSR/MRS answer (struct hyp_vcpu: trap_esr, trap_answer,
 * trap_wmask; static assertions in sysreg_plug.c) */
#define SW_VCPU_TRAP_ESR    512
#define SW_VCPU_TRAP_ANSWER 520
#define SW_VCPU_TRAP_WMASK  528

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include <libhyp/hw.h>
#include <libhyp/vcpu.h>
#include <libhyp/switch_core.h>
#include <libhyp/sysreg.h>

/* The exported layout (libhyp/switch_core.h) is the one the assembly uses. */
_Static_assert(SW_FRAME_VCPU == HYP_SWITCH_FRAME_VCPU && SW_FRAME_DAIF == HYP_SWITCH_FRAME_DAIF &&
		   SW_FRAME_SCRATCH == HYP_SWITCH_FRAME_SCRATCH &&
		   SW_FRAME_X19 == HYP_SWITCH_FRAME_X19 && SW_FRAME_SIZE == HYP_SWITCH_FRAME_SIZE &&
		   SW_FRAME_SCRATCH2 == HYP_SWITCH_FRAME_SCRATCH2,
	       "switch_core.h frame layout");
#include <libhyp/world_switch.h>
_Static_assert(HYP_EXIT_V_X19_X29_LIVE == 1ull << 63, "entry.S: SW_EXIT_V_X19_X29_LIVE");

/* entry.S: enter the guest; when an exit reaches the run loop return the
 * exit kind in bits [31:0] and the caller's DAIF in [63:32], with DAIF
 * still all masked (hyp_switch_set_daif() restores it). */
uint64_t hyp_switch_enter_guest(struct hyp_vcpu *vcpu);
void hyp_switch_set_daif(uint64_t daif);

static inline bool sw_vhe(const struct hyp_vcpu *vcpu)
{
	return (vcpu->hcr & HYP_HCR_E2H) != 0;
}

/* The guest's EL1/EL0 register as reached from EL2: the alias choice is
 * sysreg.h's one helper (HYP_SYSREG_USE_E12). */
#define SW_HW_READ_EL1(vhe, name)     hyp_sysreg_guest_read(vhe, name)
#define SW_HW_WRITE_EL1(vhe, name, v) hyp_sysreg_guest_write(vhe, name, v)

/* Guest EL1 registers through the sysreg engine's hooks, else hardware. */
uint64_t hyp_switch_read_el1(struct hyp_vcpu *vcpu, uint16_t enc);
void hyp_switch_write_el1(struct hyp_vcpu *vcpu, uint16_t enc, uint64_t val);

/* fp.c: the lazy-FP trap setting on entry */
void hyp_switch_fp_enter(struct hyp_vcpu *vcpu);

/* sysreg_plug.c: the C halves of the MSR/MRS dispatcher and of
 * hyp_sysreg_direct_done(), reached from entry.S on aarch64 and under the
 * public names through host_entry.c on the host backend. */
int hyp__sysreg_direct_done_c(struct hyp_vcpu *vcpu, uint64_t esr);
int hyp__sysreg_dispatch_trap_c(struct hyp_vcpu *vcpu, uint64_t esr,
				const struct hyp_fast_entry *self);
int hyp__sysreg_answer_cached(struct hyp_vcpu *vcpu, uint64_t esr,
			      const struct hyp_fast_entry *self);
#endif

#endif /* LIBHYP_SWITCH_PRIV_H */
