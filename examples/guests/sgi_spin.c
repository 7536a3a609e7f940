/* SPDX-License-Identifier: MIT */
/*
 * sgi-spin: every SGI sent to a vCPU that never exits must arrive (issue 11,
 * defect 6). CPU 1 (started with PSCI CPU_ON) enables its SGI, unmasks IRQs
 * and spins on a shared variable: no WFI, no trapped access, so it leaves
 * the guest only when the hypervisor makes it. CPU 0 sends it "n=N" SGIs
 * (default 1000), one at a time, and waits for each to be acknowledged by
 * CPU 1's IRQ handler (a counter in shared memory), at most 5 seconds of
 * the virtual counter each (a round trip takes milliseconds, but CI hosts
 * are loaded); a missing one is reported as a failure. GICv3:
 * ICC_SGI1R_EL1 (trapped by minihyp), GICv2: GICD_SGIR (emulated).
 */
#include "guest.h"

#define SPIN_SGI 5u

static struct guest_dt dt;
static volatile uint32_t ready, done, acked, spurious, wrong;

/* GICR frames (IHI 0069 ch. 12): RD_base then SGI_base, 128 KiB each;
 * GICR_TYPER (0x0008): Last [4], Affinity_Value [63:32]. */
#define GICR_STRIDE	0x20000u
#define GICR_TYPER	0x0008u
#define GICR_WAKER	0x0014u
#define GICR_SGI	0x10000u
#define GICx_IGROUPR	0x0080u
#define GICx_ISENABLER	0x0100u
#define GICx_IPRIORITYR 0x0400u
#define GICD_SGIR	0x0f00u
#define GICC_PMR	0x0004u
#define GICC_CTLR	0x0000u


/* CPU 1's vectors: the IRQ from the current EL with SP_ELx (offset 0x280)
 * goes to spin_irq_handler(), every other one to guest_exception(). The
 * handler saves the caller-saved registers, as the AAPCS64 lets it. */
__asm__("	.text\n"
	"	.balign	2048\n"
	"	.global	spin_vectors\n"
	"spin_vectors:\n"
	"	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	.balign	128\n"
	"	.if	\\n == 5\n"
	"	b	spin_irq\n"
	"	.else\n"
	"	mov	x0, #\\n\n"
	"	b	guest_exception\n"
	"	.endif\n"
	"	.endr\n"
	"spin_irq:\n"
	"	sub	sp, sp, #176\n"
	"	stp	x0, x1, [sp, #0]\n"
	"	stp	x2, x3, [sp, #16]\n"
	"	stp	x4, x5, [sp, #32]\n"
	"	stp	x6, x7, [sp, #48]\n"
	"	stp	x8, x9, [sp, #64]\n"
	"	stp	x10, x11, [sp, #80]\n"
	"	stp	x12, x13, [sp, #96]\n"
	"	stp	x14, x15, [sp, #112]\n"
	"	stp	x16, x17, [sp, #128]\n"
	"	stp	x18, x29, [sp, #144]\n"
	"	str	x30, [sp, #160]\n"
	"	bl	spin_irq_handler\n"
	"	ldp	x0, x1, [sp, #0]\n"
	"	ldp	x2, x3, [sp, #16]\n"
	"	ldp	x4, x5, [sp, #32]\n"
	"	ldp	x6, x7, [sp, #48]\n"
	"	ldp	x8, x9, [sp, #64]\n"
	"	ldp	x10, x11, [sp, #80]\n"
	"	ldp	x12, x13, [sp, #96]\n"
	"	ldp	x14, x15, [sp, #112]\n"
	"	ldp	x16, x17, [sp, #128]\n"
	"	ldp	x18, x29, [sp, #144]\n"
	"	ldr	x30, [sp, #160]\n"
	"	add	sp, sp, #176\n"
	"	eret\n");

extern char spin_vectors[];
void spin_irq_handler(void);

void spin_irq_handler(void)
{
	unsigned int iar = guest_gic_ack(&dt);

	if ((iar & 0x3ff) >= 1020) {
		spurious++;
		return;
	}
	if ((iar & 0x3ff) == SPIN_SGI)
		acked++;
	else
		wrong++;
	guest_gic_eoi(&dt, iar);
}

/* CPU 1's own CPU interface and SGI: its redistributor (found by
 * GICR_TYPER.Affinity_Value) woken, the SGI in Group 1 at priority 0xa0
 * and enabled; GICv2: the banked priority and enable, the GICC (GICV)
 * frame on. */
static void secondary_gic_init(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	if (dt.gic_version == 3) {
		uint64_t rd = dt.gic2.base, sgi;

		for (;;) {
			uint64_t t = r64(rd + GICR_TYPER);

			if ((t >> 32) == (mpidr & 0xffffff))
				break;
			if ((t & (1u << 4)) || rd + GICR_STRIDE >= dt.gic2.base + dt.gic2.size) {
				wrong = 0xdead;
				return;
			}
			rd += GICR_STRIDE;
		}
		sgi = rd + GICR_SGI;
		w32(rd + GICR_WAKER, r32(rd + GICR_WAKER) & ~(1u << 1));
		while (r32(rd + GICR_WAKER) & (1u << 2))
			;
		w32(sgi + GICx_IGROUPR, r32(sgi + GICx_IGROUPR) | 1u << SPIN_SGI);
		w32(sgi + GICx_IPRIORITYR + 4, 0xa0a0a0a0); /* SGIs 4..7 */
		w32(sgi + GICx_ISENABLER, 1u << SPIN_SGI);
		__asm__ volatile("msr S3_0_C4_C6_0, %0\n"   /* ICC_PMR_EL1 */
				 "msr S3_0_C12_C12_7, %1\n" /* ICC_IGRPEN1_EL1 */
				 "isb" ::"r"(0xf0ul),
				 "r"(1ul));
	} else {
		w32(dt.gicd.base + GICx_IPRIORITYR + 4, 0xa0a0a0a0); /* banked */
		w32(dt.gicd.base + GICx_ISENABLER, 1u << SPIN_SGI);
		w32(dt.gic2.base + GICC_PMR, 0xf0);
		w32(dt.gic2.base + GICC_CTLR, 1);
	}
}

void guest_secondary(uint64_t cpu)
{
	(void)cpu;
	__asm__ volatile("msr vbar_el1, %0; isb" : : "r"(spin_vectors));
	secondary_gic_init();
	__asm__ volatile("msr daifclr, #2" ::: "memory"); /* IRQs on */
	ready = 1;
	while (!done)
		; /* no WFI, no trapped access: only a kick makes it exit */
	__asm__ volatile("msr daifset, #2" ::: "memory");
	guest_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

/* SPIN_SGI to the CPU with MPIDR 1 (CPU interface 1). */
static void send_sgi_to_cpu1(void)
{
	if (dt.gic_version == 3) /* ICC_SGI1R_EL1: INTID [27:24], TargetList {Aff0 1} */
		__asm__ volatile("msr S3_0_C12_C11_5, %0; isb"
				 :
				 : "r"((uint64_t)SPIN_SGI << 24 | 1u << 1));
	else /* GICD_SGIR: TargetListFilter 0, CPUTargetList {1}, SGIINTID */
		w32(dt.gicd.base + GICD_SGIR, 1u << (16 + 1) | SPIN_SGI);
}

void guest_main(const void *dtb)
{
	uint64_t n, freq, t;
	int64_t ret;

	if (guest_dt_init(dtb, &dt) || dt.gic_version == 0) {
		guest_puts("FAIL: sgi-spin: no valid DTB or GIC at x0\n");
		guest_exit(1);
	}
	n = guest_arg(&dt, "n", 1000);
	freq = guest_counter_freq();
	if (guest_gic_init(&dt, 0)) {
		guest_puts("FAIL: sgi-spin: no GIC\n");
		guest_exit(1);
	}
	ret = (int64_t)guest_hvc(PSCI_CPU_ON, 1, (uintptr_t)guest_secondary_entry, 1);
	if (ret != 0) {
		guest_puts("FAIL: sgi-spin: CPU_ON(1) ");
		guest_put_hex((uint64_t)ret);
		guest_puts("\n");
		guest_exit(1);
	}
	t = guest_counter();
	while (!ready) {
		if (guest_counter() - t > 5 * freq) {
			guest_puts("FAIL: sgi-spin: CPU 1 did not come up\n");
			guest_exit(1);
		}
	}
	for (uint64_t i = 1; i <= n; i++) {
		send_sgi_to_cpu1();
		t = guest_counter();
		while (acked < i) {
			if (guest_counter() - t > 5 * freq) {
				guest_puts("FAIL: sgi-spin: SGI ");
				guest_put_dec(i);
				guest_puts(" of ");
				guest_put_dec(n);
				guest_puts(" not taken by the spinning CPU within 5 s\n");
				guest_exit(1);
			}
		}
	}
	done = 1;
	if (wrong) {
		guest_puts("FAIL: sgi-spin: unexpected interrupts on CPU 1: ");
		guest_put_hex(wrong);
		guest_puts("\n");
		guest_exit(1);
	}
	guest_puts("sgi-spin: ");
	guest_put_dec(n);
	guest_puts(" SGIs taken by a spinning CPU ok\n");
	guest_exit(0);
}
