/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: exits a hypervisor does not emulate must be answered in
 * the guest, never by stopping the machine (issue 11, defects 20 and 13).
 * Each step prints "exits: ... ok" and the guest goes on ("from=N" on its
 * command line starts at step N, to check each alone):
 *
 * - SMC #1 and HVC #1 (not SMCCC: a non-zero immediate): X0 = -1
 *   (NOT_SUPPORTED), no exception;
 * - an SVE instruction (RDVL) after setting CPACR_EL1.ZEN and an SME one
 *   (SMSTART) after setting CPACR_EL1.SMEN: UNDEF (ESR_EL1.EC = 0), whether
 *   the CPU has them (the VM is not given them: CPTR_EL2 traps, EC 0x19 /
 *   0x1D) or not;
 * - AArch32 EL0: MRC CNTP_CTL and MRRC CNTP_CVAL (trapped by CNTHCTL_EL2,
 *   EC 0x03 / 0x04) complete without an UNDEF, then SVC returns to EL1;
 * - a store to an IPA stage 2 does not map: a synchronous external abort
 *   (ESR_EL1.EC 0x25, DFSC 0b010000) at EL1.
 */
#include "common.h"

/* ESR_ELx (Arm ARM D24.2.46): EC [31:26]; DFSC [5:0]. */
#define EC(esr)	     ((unsigned)((esr) >> 26) & 0x3fu)
#define EC_UNKNOWN   0x00u
#define EC_SVC32     0x11u
#define EC_DABT_CUR  0x25u
#define DFSC_SEA     0x10u
#define NO_EXCEPTION 0xffffffffull

/* Written by the vectors below; ESR_EL1 goes to guest_skip_esr (head.S). */
volatile uint64_t hx_r0, hx_r1;
uint64_t hx_saved_sp;

void hx_vectors(void);
uint64_t hx_run_aa32(uint64_t pc);

/*
 * EL1 vectors for this test. Current EL with SPx, synchronous: the
 * runtime's guest_skip (head.S) records ESR_EL1 and steps over the faulting
 * instruction. Lower EL AArch32,
 * synchronous (the EL0 code's SVC, or an UNDEF there): record ESR_EL1 and
 * R0/R1 and return to hx_run_aa32()'s caller at EL1. Anything else: the
 * runtime's reporter. Position-independent (PC-relative only).
 */
__asm__(".pushsection .text\n"
	".balign 2048\n"
	".global hx_vectors\n"
	"hx_vectors:\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	".balign 128\n"
	".if \\n == 4\n"
	"b guest_skip\n"
	".elseif \\n == 12\n"
	"adr x2, hx_r0\n"
	"str x0, [x2]\n"
	"adr x2, hx_r1\n"
	"str x1, [x2]\n"
	"mrs x0, esr_el1\n"
	"adrp x2, guest_skip_esr\n"
	"add x2, x2, :lo12:guest_skip_esr\n"
	"str x0, [x2]\n"
	"adr x0, hx_aa32_back\n"
	"msr elr_el1, x0\n"
	"mov x0, #0x3c5\n"
	"msr spsr_el1, x0\n"
	"eret\n"
	".else\n"
	"mov x0, #\\n\n"
	"b guest_exception\n"
	".endif\n"
	".endr\n"
	/* uint64_t hx_run_aa32(uint64_t pc): run A32 code at EL0 (User
	 * mode, interrupts masked) until it takes an exception to EL1. */
	".global hx_run_aa32\n"
	"hx_run_aa32:\n"
	"stp x19, x20, [sp, #-96]!\n"
	"stp x21, x22, [sp, #16]\n"
	"stp x23, x24, [sp, #32]\n"
	"stp x25, x26, [sp, #48]\n"
	"stp x27, x28, [sp, #64]\n"
	"stp x29, x30, [sp, #80]\n"
	"mov x1, sp\n"
	"adr x2, hx_saved_sp\n"
	"str x1, [x2]\n"
	"msr elr_el1, x0\n"
	"mov x1, #0x1d0\n" /* AArch32 SPSR: M = User (0x10), A, I, F masked */
	"msr spsr_el1, x1\n"
	"mov x0, #0x5a5a\n"
	"mov x1, #0x5a5a\n"
	"eret\n"
	"hx_aa32_back:\n"
	"adr x2, hx_saved_sp\n"
	"ldr x1, [x2]\n"
	"mov sp, x1\n"
	"ldp x21, x22, [sp, #16]\n"
	"ldp x23, x24, [sp, #32]\n"
	"ldp x25, x26, [sp, #48]\n"
	"ldp x27, x28, [sp, #64]\n"
	"ldp x29, x30, [sp, #80]\n"
	"ldp x19, x20, [sp], #96\n"
	"ret\n"
	/* A32 code for EL0 (Arm ARM F5, MRC/MRRC/SVC encodings, cond AL):
	 * MRC p15, 0, R0, c14, c2, 1 (CNTP_CTL); MOV R2, R0;
	 * MRRC p15, 2, R0, R1, c14 (CNTP_CVAL); SVC #0. */
	".balign 4\n"
	".global hx_aa32_code\n"
	"hx_aa32_code:\n"
	".inst 0xee1e0f32\n"
	".inst 0xe1a02000\n"
	".inst 0xec510f2e\n"
	".inst 0xef000000\n"
	".popsection\n");

extern const uint32_t hx_aa32_code[];

static void fail(const char *what, uint64_t v)
{
	guest_puts("FAIL: exits: ");
	guest_puts(what);
	guest_puts(" ");
	guest_put_hex(v);
	guest_puts("\n");
	guest_exit(1);
}

static uint64_t smc1(void)
{
	register uint64_t x0 __asm__("x0") = 0x84000000u; /* PSCI_VERSION, but imm 1 */

	__asm__ volatile("smc #1" : "+r"(x0)::"x1", "x2", "x3", "memory");
	return x0;
}

static uint64_t hvc1(void)
{
	register uint64_t x0 __asm__("x0") = 0x84000000u;

	__asm__ volatile("hvc #1" : "+r"(x0)::"x1", "x2", "x3", "memory");
	return x0;
}

static void expect_undef(const char *what)
{
	if (guest_skip_esr == NO_EXCEPTION || EC(guest_skip_esr) != EC_UNKNOWN)
		fail(what, guest_skip_esr);
	guest_puts("exits: ");
	guest_puts(what);
	guest_puts(" UNDEF ok\n");
}

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t v, cpacr, from;

	guest_setup(dtb, &dt);
	from = guest_arg(&dt, "from", 1);
	__asm__ volatile("adr %0, hx_vectors; msr vbar_el1, %0; isb" : "=&r"(v)::"memory");

	guest_skip_esr = NO_EXCEPTION;
	if (from <= 1) {
		if ((v = smc1()) != (uint64_t)-1 || guest_skip_esr != NO_EXCEPTION)
			fail("smc #1: x0", v);
		guest_puts("exits: smc #1 NOT_SUPPORTED ok\n");
	}
	if (from <= 2) {
		if ((v = hvc1()) != (uint64_t)-1 || guest_skip_esr != NO_EXCEPTION)
			fail("hvc #1: x0", v);
		guest_puts("exits: hvc #1 NOT_SUPPORTED ok\n");
	}

	/* CPACR_EL1: ZEN [17:16], FPEN [21:20], SMEN [25:24] = 0b11: no
	 * EL1 trap, so only EL2 can stop them (D24.2.33). */
	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	cpacr |= (3ull << 16) | (3ull << 20) | (3ull << 24);
	__asm__ volatile("msr cpacr_el1, %0; isb" ::"r"(cpacr) : "memory");
	if (from <= 3) {
		guest_skip_esr = NO_EXCEPTION;
		__asm__ volatile(".inst 0x04bf5020" ::: "x0", "memory"); /* RDVL X0, #1 (SVE) */
		expect_undef("SVE RDVL");
	}
	if (from <= 4) {
		guest_skip_esr = NO_EXCEPTION;
		__asm__ volatile(".inst 0xd503477f" ::: "memory"); /* SMSTART (SME) */
		expect_undef("SME SMSTART");
	}

	/* AArch32 EL0 with EL0 access to the physical timer (CNTKCTL_EL1.
	 * EL0PTEN, bit 9): EL2 traps it (CNTHCTL_EL2). */
	__asm__ volatile("mrs %0, cntkctl_el1" : "=r"(v));
	__asm__ volatile("msr cntkctl_el1, %0; isb" ::"r"(v | (1ull << 9)) : "memory");
	if (from <= 5) {
		guest_skip_esr = NO_EXCEPTION;
		hx_run_aa32((uint64_t)(uintptr_t)hx_aa32_code);
		if (EC(guest_skip_esr) != EC_SVC32)
			fail("AArch32 EL0 MRC/MRRC of the physical timer: ESR_EL1", guest_skip_esr);
		guest_puts("exits: AArch32 MRC CNTP_CTL, MRRC CNTP_CVAL ok\n");
	}

	/* Nothing is mapped at IPA 0x0a000000 for the guest (QEMU's
	 * virtio-mmio, not passed through): a store there is a stage-2
	 * fault nobody emulates, reported as an external abort. */
	guest_skip_esr = NO_EXCEPTION;
	__asm__ volatile("str %w0, [%1]" ::"r"(0x1234u), "r"(0x0a000000ull) : "memory");
	if (EC(guest_skip_esr) != EC_DABT_CUR || (guest_skip_esr & 0x3fu) != DFSC_SEA)
		fail("store to an aborting region: ESR_EL1", guest_skip_esr);
	guest_puts("exits: store to an aborting region: external abort ok\n");

	guest_puts("exits done\n");
}
