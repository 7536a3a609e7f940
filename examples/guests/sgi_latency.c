/* SPDX-License-Identifier: MIT */
/*
 * sgi-latency: a self-SGI is delivered on the resume of the exit that sent
 * it (issue 13, item 4). With IRQs unmasked, the guest sends itself an SGI
 * (GICv3: ICC_SGI1R_EL1, trapped by minihyp; GICv2: GICD_SGIR, an access
 * to the emulated distributor) and, in the very next instruction, reads
 * the INTID its IRQ handler recorded. The hypervisor handles the trap on
 * its fast path and resumes the guest with an ERET; if the SGI is in an LR
 * by then, the virtual IRQ is pending and unmasked at that ERET and is
 * taken before the next instruction; if it only reaches an LR at the next
 * exit, the read sees "none". "n=N" rounds (default 1000), each must see
 * its SGI; then a few with a different SGI each (another LR).
 */
#include "common.h"

#define NONE 0x3ffu

/* Written by the IRQ handler below; read back right after the send. */
volatile uint32_t lat_iar = NONE;
/* GICv2: the GICC (GICV) frame; 0 for GICv3 (system registers). */
uint64_t lat_gicc;

/* Vectors: the IRQ from the current EL with SP_ELx (offset 0x280, index
 * 5) acknowledges and EOIs the interrupt and records its IAR; anything
 * else goes to the runtime's reporter. Position-independent (ADR). */
__asm__("	.text\n"
	"	.balign	2048\n"
	"	.global	lat_vectors\n"
	"lat_vectors:\n"
	"	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	.balign	128\n"
	"	.if	\\n == 5\n"
	"	stp	x0, x1, [sp, #-16]!\n"
	"	adr	x1, lat_gicc\n"
	"	ldr	x1, [x1]\n"
	"	cbnz	x1, 1f\n"
	"	mrs	x0, S3_0_C12_C12_0\n" /* ICC_IAR1_EL1 */
	"	msr	S3_0_C12_C12_1, x0\n" /* ICC_EOIR1_EL1 */
	"	b	2f\n"
	"1:	ldr	w0, [x1, #0xc]\n" /* GICC_IAR */
	"	str	w0, [x1, #0x10]\n" /* GICC_EOIR */
	"2:	adr	x1, lat_iar\n"
	"	str	w0, [x1]\n"
	"	ldp	x0, x1, [sp], #16\n"
	"	eret\n"
	"	.else\n"
	"	mov	x0, #\\n\n"
	"	b	guest_exception\n"
	"	.endif\n"
	"	.endr\n");

extern char lat_vectors[];

/* Send SGI @sgi to this CPU and return what the handler recorded by the
 * next instruction. ICC_SGI1R_EL1 (IHI 0069 ch. 12): INTID [27:24],
 * TargetList [15:0] = {Aff0 0} (vCPU 0, Aff1..3 0). GICD_SGIR (IHI 0048B
 * 4.3.15): TargetListFilter [25:24] = 0b10 (this CPU), SGIINTID [3:0]. */
static uint32_t send_and_read(const struct guest_dt *dt, unsigned int sgi)
{
	volatile uint32_t *flag = &lat_iar;
	uint32_t seen;

	*flag = NONE;
	if (dt->gic_version == 3)
		__asm__ volatile("msr S3_0_C12_C11_5, %1\n\t"
				 "ldr %w0, [%2]"
				 : "=&r"(seen)
				 : "r"((uint64_t)sgi << 24 | 1u), "r"(flag)
				 : "memory");
	else
		__asm__ volatile("str %w1, [%2]\n\t"
				 "ldr %w0, [%3]"
				 : "=&r"(seen)
				 : "r"(2u << 24 | sgi), "r"(dt->gicd.base + 0xf00), "r"(flag)
				 : "memory");
	return seen;
}

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t n, late = 0, wrong = 0;

	guest_setup(dtb, &dt);
	n = guest_arg(&dt, "n", 1000);
	if (n < 8)
		n = 8;
	if (dt.gic_version != 3 && dt.gic_version != 2) {
		guest_puts("FAIL: sgi-latency: no GIC in the DT\n");
		guest_exit(1);
	}
	lat_gicc = dt.gic_version == 2 ? dt.gic2.base : 0;
	guest_gic_init(&dt, 0xff);
	__asm__ volatile("msr vbar_el1, %0; isb" : : "r"(lat_vectors) : "memory");
	__asm__ volatile("msr daifclr, #2" ::: "memory"); /* IRQs on */
	for (uint64_t i = 0; i < n; i++) {
		unsigned int sgi = i < n - 8 ? 1u : (unsigned int)(i % 8);
		uint32_t seen = send_and_read(&dt, sgi);

		if (seen == NONE)
			late++;
		else if ((seen & 0x3ffu) != sgi)
			wrong++;
		/* A late one arrives at some later exit: wait for it. */
		while (lat_iar == NONE)
			__asm__ volatile("wfi");
	}
	__asm__ volatile("msr daifset, #2" ::: "memory");
	guest_puts("sgi-latency: ");
	guest_put_dec(n);
	guest_puts(" self-SGIs, ");
	guest_put_dec(late);
	guest_puts(" late, ");
	guest_put_dec(wrong);
	guest_puts(" wrong");
	guest_puts(late || wrong ? ": FAIL\n" : ": taken before the next instruction ok\n");
	guest_exit(late || wrong ? 1 : 0);
}
