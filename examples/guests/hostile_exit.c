/* SPDX-License-Identifier: MIT */
/*
 * hostile-exit: a guest that tries to reach the host through QEMU
 * semihosting and to forge minihyp's exit status.
 *
 * 1. Semihosting calls (Arm "Semihosting for AArch32 and AArch64" 2.0:
 *    HLT #0xF000, x0 = operation, x1 = parameter): SYS_WRITE0 (0x04) of a
 *    string, then SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit
 *    (0x20026), subcode 0. Without QEMU's semihosting option (and without halting
 *    debug) HLT is UNDEFINED: ESR_EL1.EC = 0b000000, "Unknown reason".
 *    This guest's own vector table counts the exception and skips the
 *    HLT. Each must be UNDEFINED.
 * 2. Fake exit-status lines on the shared console: with a made-up token
 *    and without one, both claiming status 0.
 * 3. Its real exit: MINIHYP_EXIT with the command line's status=N (3).
 *
 * A runner that trusts only its own token sees N; one that trusted the
 * console (or QEMU's exit status with semihosting on) would see 0.
 */
#include "common.h"

/* Exceptions go to guest_skip_vectors (head.S): ESR_EL1 recorded, counted,
 * the instruction skipped. */

static uint64_t semihost(uint64_t op, uint64_t param)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = param;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

static void expect_undef(const char *what, uint64_t traps0)
{
	guest_puts("hostile: HLT #0xF000 ");
	guest_puts(what);
	if (guest_skip_traps == traps0 + 1 && (guest_skip_esr >> 26) == 0) {
		guest_puts(": undefined ok\n");
		return;
	}
	guest_puts(": FAIL, ESR_EL1 ");
	guest_put_hex(guest_skip_esr);
	guest_puts("\n");
	guest_exit(1);
}

void guest_main(const void *dtb)
{
	static const char msg[] = "HOST REACHED through semihosting\n";
	/* ADP_Stopped_ApplicationExit, subcode 0: "success" */
	static uint64_t block[2] = {0x20026, 0};
	struct guest_dt dt;
	uint64_t t;

	guest_setup(dtb, &dt);
	__asm__ volatile("msr vbar_el1, %0; isb" : : "r"(guest_skip_vectors));
	t = guest_skip_traps;
	semihost(0x04, (uintptr_t)msg);
	expect_undef("SYS_WRITE0", t);
	t = guest_skip_traps;
	semihost(0x18, (uintptr_t)block);
	expect_undef("SYS_EXIT", t);
	guest_puts("minihyp: exit 00112233445566778899aabbccddeeff 0 "
		   "00112233445566778899aabbccddeeff\n");
	guest_puts("minihyp: exit - 0 -\n");
	guest_puts("minihyp: guest SYSTEM_OFF\n");
	guest_exit((unsigned int)guest_arg(&dt, "status", 3));
}
