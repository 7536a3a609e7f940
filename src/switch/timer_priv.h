/* SPDX-License-Identifier: MIT */
/* Private to the guest timers (vtimer.c, ptimer.c). */
#ifndef LIBHYP_SWITCH_TIMER_PRIV_H
#define LIBHYP_SWITCH_TIMER_PRIV_H

#include <stdbool.h>

#include <libhyp/vcpu.h>
#include <libhyp/vtimer.h>

/* A timer's output changed (its HYP_VTIMER_*PENDING flag already updated):
 * HCR_EL2.VI with USE_VI, then hyp_timer_ops::set_level. */
void hyp__timer_level(struct hyp_vcpu *vcpu, enum hyp_guest_timer which, bool level);
/* With PTIMER_WAKE and loaded: program CNTHP_* for the emulated physical
 * timer's deadline, or disable it (only writes what changes). */
void hyp__ptimer_arm(struct hyp_vcpu *vcpu);
/* The emulated physical timer's output now, recorded without set_level. */
bool hyp__ptimer_resample(struct hyp_vcpu *vcpu);

#endif
