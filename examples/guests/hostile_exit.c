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

volatile uint64_t hostile_esr;
volatile uint64_t hostile_traps;

/* Any exception: record ESR_EL1, skip the instruction (ELR_EL1 += 4). */
__asm__(".pushsection .text\n"
	".balign 2048\n"
	"hostile_vectors:\n"
	".rept 16\n"
	".balign 128\n"
	"b hostile_skip\n"
	".endr\n"
	"hostile_skip:\n"
	"stp x0, x1, [sp, #-16]!\n"
	"mrs x0, esr_el1\n"
	"adrp x1, hostile_esr\n"
	"add x1, x1, :lo12:hostile_esr\n"
	"str x0, [x1]\n"
	"adrp x1, hostile_traps\n"
	"add x1, x1, :lo12:hostile_traps\n"
	"ldr x0, [x1]\n"
	"add x0, x0, #1\n"
	"str x0, [x1]\n"
	"mrs x0, elr_el1\n"
	"add x0, x0, #4\n"
	"msr elr_el1, x0\n"
	"ldp x0, x1, [sp], #16\n"
	"eret\n"
	".popsection\n");
extern char hostile_vectors[];

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
	if (hostile_traps == traps0 + 1 && (hostile_esr >> 26) == 0) {
		guest_puts(": undefined ok\n");
		return;
	}
	guest_puts(": FAIL, ESR_EL1 ");
	guest_put_hex(hostile_esr);
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
	__asm__ volatile("msr vbar_el1, %0; isb" : : "r"(hostile_vectors));
	t = hostile_traps;
	semihost(0x04, (uintptr_t)msg);
	expect_undef("SYS_WRITE0", t);
	t = hostile_traps;
	semihost(0x18, (uintptr_t)block);
	expect_undef("SYS_EXIT", t);
	guest_puts("minihyp: exit 00112233445566778899aabbccddeeff 0 "
		   "00112233445566778899aabbccddeeff\n");
	guest_puts("minihyp: exit - 0 -\n");
	guest_puts("minihyp: guest SYSTEM_OFF\n");
	guest_exit((unsigned int)guest_arg(&dt, "status", 3));
}
