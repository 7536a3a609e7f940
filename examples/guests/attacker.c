/* SPDX-License-Identifier: MIT */
/*
 * attacker: the isolation test's hostile VM (issue 16 item 3,
 * docs/isolation.md). Told where the other VM's RAM is ("victim=ADDR
 * vsize=N"), it attacks it by every path it has, for "ms=N" milliseconds
 * of rounds, and counts the aborts it takes in its own vector:
 *
 * - loads, stores, pairs, exclusives, acquire/release, unprivileged,
 *   FP/SIMD and (with FEAT_LSE) atomic accesses, and instruction fetches,
 *   to the victim's RAM, the host RAM outside any VM and the physical GIC
 *   frames no VM is given: with its MMU off, and with its MMU on through
 *   an identity map and an alias of the victim's range (its own stage-1
 *   tables pointing at the victim's IPAs), plus DC ZVA. Each must abort
 *   (a missing abort is a breach: "FAIL: attacker: BREACH");
 * - its TTBR1 pointed into the victim's RAM: the table walk must abort;
 * - DC CIVAC/CVAC/IVAC/CVAU, IC IVAU, PRFM, STXR and AT S1E1R to those
 *   addresses (may or may not abort: counted);
 * - its vGIC: every redistributor frame (the other VM's vCPUs' frames
 *   are not in its GIC), SGIs with every target list and filter;
 * - PSCI CPU_ON and AFFINITY_INFO of MPIDRs beyond its own vCPU: must be
 *   INVALID_PARAMETERS (the other VM's vCPUs are not reachable);
 * - TLB maintenance broadcasts and set/way cache operations;
 * - its own translations at the victim's alias VAs with the victim's
 *   ASID (a TLB entry that leaked across VMIDs would show in the victim);
 * - garbage in every register the context switch switches (the trapped
 *   ones included: the TVM group, the emulated timer and PMSELR, the GIC
 *   CPU interface) and in x0..x30, SP_EL0, Q0..Q31, FPCR, FPSR, then a spin
 *   until the scheduler runs the victim on this CPU;
 * - exits a hypervisor must answer in the guest (issue 16 item 1): HVC and
 *   SMC with unknown immediates, BRK, HLT, UDF, EL2 instructions, illegal
 *   exception returns, ISV = 0 MMIO, hidden features' registers.
 *
 * Then "attacker: done ..." and status 0; a breach: status 1.
 */
#include "common.h"
#include "iso.h"

#define ALIAS_LO 0x200000000ull /* TTBR0 alias of the victim's range */
#define ALIAS_HI ISO_ALIAS_HI	/* the victim's TTBR1 alias */
/* AP [7:6] = 0b01: EL0 and EL1 read/write (LDTR/STTR reach stage 2). */
#define PTE_AP_EL0 (1ull << 6)
#define TCR_VAL	   ISO_TCR
#define MAIR_VAL   ISO_MAIR
#define TCR_EPD1   (1ull << 23)
#define ASID	   (0x5aull << 48) /* the victim's */

/* ---- the vectors: every synchronous exception at EL1 is counted and
 * stepped over: ESR_EL1 in atk_esr; an instruction abort returns to x30
 * (the fetch was a BLR); an illegal execution state clears SPSR_EL1.IL
 * and runs the instruction again; anything else resumes after it. */
volatile uint64_t atk_traps, atk_esr;
void atk_vectors(void);
void atk_must(uint64_t a);
void atk_may(uint64_t a);
void atk_lse(uint64_t a);
void atk_zva(uint64_t a);
void atk_fetch(uint64_t a);
void atk_worst(uint64_t gicd);
void atk_eret_illegal(uint64_t spsr);

/* How many accesses atk_must() and atk_lse() make (each must abort). */
#define N_MUST 26
#define N_LSE  4
/* atk_worst(): exceptions it must take (the HVCs and SMCs take none). */
#define N_WORST 10

__asm__(".pushsection .text\n"
	".arch_extension fp\n"
	".arch_extension simd\n"
	".arch_extension lse\n"
	".balign 2048\n"
	".global atk_vectors\n"
	"atk_vectors:\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	".balign 128\n"
	".if \\n == 0 || \\n == 4\n"
	"b atk_sync\n"
	".else\n"
	"mov x0, #\\n\n"
	"b guest_exception\n"
	".endif\n"
	".endr\n"
	"atk_sync:\n"
	"stp x0, x1, [sp, #-16]!\n"
	"mrs x0, esr_el1\n"
	"adrp x1, atk_esr\n"
	"add x1, x1, :lo12:atk_esr\n"
	"str x0, [x1]\n"
	"adrp x1, atk_traps\n"
	"add x1, x1, :lo12:atk_traps\n"
	"ldr x0, [x1]\n"
	"add x0, x0, #1\n"
	"str x0, [x1]\n"
	"mrs x0, esr_el1\n"
	"lsr x0, x0, #26\n"
	"cmp x0, #0x21\n"
	"b.eq 3f\n"
	"cmp x0, #0x0e\n"
	"b.eq 4f\n"
	"mrs x1, elr_el1\n"
	"add x1, x1, #4\n"
	"msr elr_el1, x1\n"
	"b 5f\n"
	"3: msr elr_el1, x30\n"
	"b 5f\n"
	"4: mrs x1, spsr_el1\n"
	"bic x1, x1, #(1 << 20)\n"
	"msr spsr_el1, x1\n"
	"5: ldp x0, x1, [sp], #16\n"
	"eret\n"
	/* N_MUST accesses to [x0], each of which must abort. */
	".global atk_must\n"
	"atk_must:\n"
	"ldr x1, [x0]\n"
	"ldrb w1, [x0]\n"
	"ldrh w1, [x0]\n"
	"ldr w1, [x0]\n"
	"ldrsw x1, [x0]\n"
	"ldp x1, x2, [x0]\n"
	"ldnp x1, x2, [x0]\n"
	"ldxr x1, [x0]\n"
	"ldaxr x1, [x0]\n"
	"ldar x1, [x0]\n"
	"ldxp x1, x2, [x0]\n"
	"ldaxp x1, x2, [x0]\n"
	"ldtr x1, [x0]\n"
	"ldr q0, [x0]\n"
	"ld1 {v0.16b}, [x0]\n"
	"ld1 {v0.16b-v3.16b}, [x0]\n"
	"str x1, [x0]\n"
	"strb w1, [x0]\n"
	"strh w1, [x0]\n"
	"str w1, [x0]\n"
	"stp x1, x2, [x0]\n"
	"stnp x1, x2, [x0]\n"
	"stlr x1, [x0]\n"
	"sttr x1, [x0]\n"
	"str q0, [x0]\n"
	"st1 {v0.16b-v3.16b}, [x0]\n"
	"ret\n"
	/* May abort or not (a CMO may be a no-op, a store-exclusive fails
	 * without an exclusive load, a prefetch never faults). */
	".global atk_may\n"
	"atk_may:\n"
	"mov w3, #7\n"
	"stxr w3, x1, [x0]\n"
	"stlxr w3, x1, [x0]\n"
	"stxp w3, x1, x2, [x0]\n"
	"dc civac, x0\n"
	"dc cvac, x0\n"
	"dc ivac, x0\n"
	"dc cvau, x0\n"
	"ic ivau, x0\n"
	"prfm pldl1keep, [x0]\n"
	"prfm pstl1keep, [x0]\n"
	"prfm plil1keep, [x0]\n"
	"at s1e1r, x0\n"
	"at s1e1w, x0\n"
	"at s1e0r, x0\n"
	"isb\n"
	"ret\n"
	".global atk_lse\n"
	"atk_lse:\n"
	"ldadd x1, x2, [x0]\n"
	"swp x1, x2, [x0]\n"
	"cas x1, x2, [x0]\n"
	"stadd x1, [x0]\n"
	"ret\n"
	".global atk_zva\n"
	"atk_zva:\n"
	"dc zva, x0\n"
	"ret\n"
	".global atk_fetch\n"
	"atk_fetch:\n"
	"stp x29, x30, [sp, #-16]!\n"
	"blr x0\n"
	"ldp x29, x30, [sp], #16\n"
	"ret\n"
	/* Exits nobody emulates; x0 = the (emulated) GICD. N_WORST
	 * exceptions: BRK, HLT, UDF, MSR HCR_EL2, MRS VTTBR_EL2, TLBI
	 * ALLE2, AT S12E1R, LDP and a writeback STR and LD1 to GICD
	 * (ISV = 0: aborted). The HVCs and SMCs answer NOT_SUPPORTED. */
	".global atk_worst\n"
	"atk_worst:\n"
	"stp x29, x30, [sp, #-16]!\n"
	"mov x9, x0\n"
	"movz x0, #0x8400, lsl #16\n"
	"hvc #1\n"
	"movz x0, #0x8400, lsl #16\n"
	"hvc #0xffff\n"
	"movz x0, #0x8400, lsl #16\n"
	"smc #0\n"
	"movz x0, #0x8400, lsl #16\n"
	"smc #0xffff\n"
	"brk #0\n"
	"hlt #0xf000\n"
	"udf #0\n"
	"msr hcr_el2, xzr\n"
	"mrs x1, vttbr_el2\n"
	"tlbi alle2\n"
	"at s12e1r, x9\n"
	"ldp w1, w2, [x9]\n"
	"mov x10, x9\n"
	"str w1, [x10, #4]!\n"
	"ld1 {v0.4s}, [x9]\n"
	"ldp x29, x30, [sp], #16\n"
	"ret\n"
	/* An exception return to the state @x0 (SPSR_EL1), an illegal one:
	 * PSTATE.IL set, the next instruction an Illegal Execution State
	 * exception (the vector clears IL and runs it again). */
	".global atk_eret_illegal\n"
	"atk_eret_illegal:\n"
	"msr spsr_el1, x0\n"
	"adr x1, 1f\n"
	"msr elr_el1, x1\n"
	"eret\n"
	"1: ret\n"
	".popsection\n");

/* ---- state */

static struct guest_dt dt;
static uint64_t victim, vsize, own, n_must, n_may, n_gic, n_sgi_rx, n_sgi_tx, n_psci, n_worst,
    n_garbage, n_poison;
static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));
static uint64_t l2_alias[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2_hi[512] __attribute__((aligned(4096)));
static uint64_t l3_hi[512] __attribute__((aligned(4096)));
static bool lse;

static void breach(const char *what, uint64_t a, uint64_t aborts, uint64_t want)
{
	guest_puts("FAIL: attacker: BREACH: ");
	guest_puts(what);
	guest_puts(" at ");
	guest_put_hex(a);
	guest_puts(": ");
	guest_put_dec(aborts);
	guest_puts(" aborts, expected ");
	guest_put_dec(want);
	guest_puts("\n");
	guest_exit(1);
}

static void must(const char *what, uint64_t a)
{
	uint64_t t = atk_traps;

	atk_must(a);
	if (atk_traps - t != N_MUST)
		breach(what, a, atk_traps - t, N_MUST);
	n_must += N_MUST;
	if (lse) {
		t = atk_traps;
		atk_lse(a);
		if (atk_traps - t != N_LSE)
			breach("an atomic", a, atk_traps - t, N_LSE);
		n_must += N_LSE;
	}
	t = atk_traps;
	atk_may(a);
	n_may += atk_traps - t;
}

/* ---- the stage-1 tables: identity (devices, the GiB of RAM), the
 * victim's range again at ALIAS_LO, and TTBR1 as the victim has it but
 * onto this VM's own pages (same VAs, same ASID). */
static void tables_build(void)
{
	uint64_t gib = victim & ~(SZ_1G - 1);
	uint64_t mine = own + (4ull << 20);

	l1_lo[0] = PTE_BLOCK | PTE_ATTR(0) | PTE_AF;
	l1_lo[gib / SZ_1G] = (uint64_t)(uintptr_t)l2_ram | PTE_TABLE;
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t pa = gib + i * SZ_2M;
		bool self = pa >= own && pa < own + (64ull << 20);

		l2_ram[i] =
		    pa | PTE_BLOCK | PTE_ATTR(1) | PTE_SH_IS | PTE_AF | (self ? 0 : PTE_AP_EL0);
	}
	l1_lo[ALIAS_LO / SZ_1G] = (uint64_t)(uintptr_t)l2_alias | PTE_TABLE;
	for (uint64_t i = 0; i < vsize / SZ_2M && i < 512; i++)
		l2_alias[i] = (victim + i * SZ_2M) | PTE_BLOCK | PTE_ATTR(1) | PTE_SH_IS | PTE_AF |
			      PTE_AP_EL0;
	iso_alias_tables(l1_hi, l2_hi, l3_hi, mine);
	/* What the victim's alias reads, but here: another pattern. */
	for (uint64_t a = mine; a < mine + 2 * SZ_2M; a += 8)
		*(volatile uint64_t *)a = 0xbadbadbadbad0000ull | (a & 0xffff);
	__asm__ volatile("dsb ish" ::: "memory");
}

static void mmu(bool on)
{
	if (on) {
		SR_SET(mair_el1, MAIR_VAL);
		SR_SET(tcr_el1, TCR_VAL);
		SR_SET(ttbr0_el1, (uint64_t)(uintptr_t)l1_lo | ASID);
		SR_SET(ttbr1_el1, (uint64_t)(uintptr_t)l1_hi);
		__asm__ volatile("tlbi vmalle1; dsb nsh; isb" ::: "memory");
		SR_SET(sctlr_el1, SR_GET(sctlr_el1) | 1 | 1 << 2 | 1 << 12);
	} else {
		SR_SET(sctlr_el1, SR_GET(sctlr_el1) & ~(1ull | 1 << 2 | 1 << 12));
		__asm__ volatile("tlbi vmalle1; dsb nsh; isb" ::: "memory");
	}
}

/* ---- the attacks */

/* The addresses outside this VM that every access must fail on. */
static void memory_attacks(bool mmu_on, uint64_t round)
{
	const uint64_t offs[] = {0, 4ull << 20, (6ull << 20) + 0x1230, vsize - 0x10000,
				 vsize - 0x1000};
	uint64_t zva = 4ull << (SR_GET(dczid_el0) & 0xf), t;

	for (unsigned int i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		uint64_t a = (victim + offs[i] + round * 64 % 0x1000) & ~63ull;

		must("an access to the other VM's RAM", a);
		if (mmu_on) {
			must("an access through the alias of the other VM's RAM",
			     ALIAS_LO + (a - victim));
			if (!(SR_GET(dczid_el0) & 0x10)) { /* DZP [4] */
				t = atk_traps;
				atk_zva(a & ~(zva - 1));
				atk_zva(ALIAS_LO + ((a - victim) & ~(zva - 1)));
				if (atk_traps - t != 2)
					breach("DC ZVA on the other VM's RAM", a, atk_traps - t, 2);
				n_must += 2;
			}
		} else {
			t = atk_traps;
			atk_fetch(a);
			if (atk_traps - t != 1)
				breach("an instruction fetch from the other VM's RAM", a,
				       atk_traps - t, 1);
			n_must++;
		}
	}
	/* Host RAM outside every VM (minihyp, the host DTB, the rest), the
	 * flash at 0, and the physical GIC frames no guest is given. */
	must("an access to minihyp's RAM", guest_arg(&dt, "hyp", 0x40200000));
	must("an access to the host DTB", 0x40000000);
	must("an access to host RAM outside the VMs", 0x5fff0000);
	if (!mmu_on)
		must("an access to the flash", 0);
	if (dt.gic_version == 2) {
		/* The physical CPU interface and GICH (the guest's GICC is
		 * the GICV frame, at its own address). */
		must("an access to the physical GICC", 0x08010000);
		must("an access to GICH", 0x08030000);
	} else {
		must("an access to the ITS", 0x08080000);
	}
}

/* TTBR1 at the other VM's RAM: the walk reads it, so it must abort. */
static void walk_attack(void)
{
	uint64_t t = atk_traps;

	SR_SET(ttbr1_el1, victim + (4ull << 20));
	SR_SET(tcr_el1, TCR_VAL);
	__asm__ volatile("tlbi vmalle1; dsb nsh; isb" ::: "memory");
	(void)r64(ALIAS_HI + 0x1000);
	if (atk_traps - t != 1)
		breach("a table walk in the other VM's RAM", victim + (4ull << 20), atk_traps - t,
		       1);
	n_must++;
	t = atk_traps;
	__asm__ volatile("at s1e1r, %0; isb" ::"r"(ALIAS_HI + 0x2000));
	n_may += atk_traps - t;
	SR_SET(ttbr1_el1, (uint64_t)(uintptr_t)l1_hi);
	__asm__ volatile("tlbi vmalle1; dsb nsh; isb" ::: "memory");
}

/* The victim's alias VAs, with its ASID, mapped here to this VM's own
 * pages: touch them all (TLB entries), then spin on this CPU. */
static void poison(uint64_t freq)
{
	struct iso_regs pat, out;
	uint64_t sum = 0;

	for (uint64_t off = 0; off < 2 * SZ_2M; off += 4096)
		sum += r64(ALIAS_HI + off);
	if (!sum)
		breach("own alias pages", ALIAS_HI, 0, 1);
	iso_fill(&pat, sum);
	iso_hold_spin(guest_counter() + freq / 40, &pat, &out);
	n_poison++;
}

static void gic_attacks(void)
{
	uint64_t t = atk_traps;

	if (dt.gic_version == 3) {
		/* Every redistributor frame, its own (frame 0) and those of
		 * vCPUs it does not have: enables, pendings, actives,
		 * priorities, WAKER. */
		for (uint64_t f = 0; f < 8; f++) {
			uint64_t rd = dt.gic2.base + f * 0x20000;

			w32(rd + 0x10180, 0xffffffff); /* ICENABLER0 */
			w32(rd + 0x10200, 0xffff0000); /* ISPENDR0 (PPIs) */
			w32(rd + 0x10300, 0xffff0000); /* ISACTIVER0 */
			w32(rd + 0x10380, 0xffffffff); /* ICACTIVER0 */
			w32(rd + 0x10400, 0);	       /* IPRIORITYR0 */
			w32(rd + 0x14, 0x2);	       /* WAKER.ProcessorSleep */
			(void)r32(rd + 0x10100);
		}
		/* SGIs with every target list: IRM (all but self), every
		 * Aff1 with TargetList 0xffff, Aff2, Aff3, RS; Group 0,
		 * Group 1, the other Security state's. */
		for (uint64_t id = 0; id < 16; id++) {
			const uint64_t v[] = {1ull << 40,	   0xffff,
					      1ull << 16 | 0xffff, 2ull << 16 | 0xffff,
					      1ull << 32 | 0xffff, 1ull << 48 | 0xffff,
					      1ull << 44 | 0xffff};

			for (unsigned int k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
				uint64_t x = id << 24 | v[k];

				__asm__ volatile("msr S3_0_C12_C11_5, %0\n" /* ICC_SGI1R_EL1 */
						 "msr S3_0_C12_C11_6, %0\n" /* ICC_ASGI1R_EL1 */
						 "msr S3_0_C12_C11_7, %0\n" /* ICC_SGI0R_EL1 */
						 "isb" ::"r"(x));
				n_sgi_tx += 3;
			}
		}
		/* Its own frame back: awake, SGIs enabled at 0xa0. */
		w32(dt.gic2.base + 0x14, 0);
		w32(dt.gic2.base + 0x10100, 0xffff);
		for (unsigned int i = 0; i < 32; i += 4)
			w32(dt.gic2.base + 0x10400 + i, 0xa0a0a0a0);
	} else {
		for (unsigned int i = 0; i < 8; i++)
			w32(dt.gicd.base + 0x800 + 4 * i, 0xffffffff); /* ITARGETSR0..7 (RO) */
		w32(dt.gicd.base + 0x180, 0xffffffff);		       /* ICENABLER0 */
		w32(dt.gicd.base + 0x300, 0xffff0000);		       /* ISACTIVER0 */
		w32(dt.gicd.base + 0x380, 0xffffffff);		       /* ICACTIVER0 */
		/* GICD_SGIR: every filter (0 list, 1 all but self, 2 self,
		 * 3 reserved), target list 0xff. */
		for (uint32_t id = 0; id < 16; id++)
			for (uint32_t f = 0; f < 4; f++) {
				w32(dt.gicd.base + 0xf00, f << 24 | 0xffu << 16 | id);
				n_sgi_tx++;
			}
		w32(dt.gicd.base + 0x100, 0xffff);
		for (unsigned int i = 0; i < 32; i += 4)
			w32(dt.gicd.base + 0x400 + i, 0xa0a0a0a0);
	}
	/* Distributor: every SPI pending, enabled, and routed anywhere. */
	for (unsigned int i = 1; i < 8; i++) {
		w32(dt.gicd.base + 0x200 + 4 * i, 0xffffffff); /* ISPENDR */
		w32(dt.gicd.base + 0x100 + 4 * i, 0xffffffff); /* ISENABLER */
	}
	if (dt.gic_version == 3)
		for (unsigned int i = 32; i < 64; i++) {
			uint64_t a = dt.gicd.base + 0x6000 + 8 * i; /* GICD_IROUTER<n> */

			w32(a, 0xff);
			w32(a + 4, 0xff);
		}
	n_gic += atk_traps - t;
	/* Its own interrupts: whatever reached it, acknowledged. */
	for (unsigned int k = 0; k < 4096; k++) {
		unsigned int iar = guest_gic_ack(&dt);

		if ((iar & 0x3ff) >= 1020)
			break;
		guest_gic_eoi(&dt, iar);
		if ((iar & 0x3ff) < 16)
			n_sgi_rx++;
	}
	for (unsigned int i = 1; i < 8; i++) {
		w32(dt.gicd.base + 0x180 + 4 * i, 0xffffffff); /* ICENABLER */
		w32(dt.gicd.base + 0x280 + 4 * i, 0xffffffff); /* ICPENDR */
	}
}

static void psci_attacks(void)
{
	const uint64_t mpidr[] = {
	    1, 2, 3, 7, 0x100, 0x101, 0x10000, 0x10001, 0x100000000, 0xff00ffffff, 0x80000001};

	for (unsigned int i = 0; i < sizeof(mpidr) / sizeof(mpidr[0]); i++) {
		int64_t r =
		    (int64_t)guest_hvc(PSCI_CPU_ON, mpidr[i], (uintptr_t)guest_secondary_entry, i);

		if (r != -2)
			breach("PSCI CPU_ON of an MPIDR this VM does not have (result)", mpidr[i],
			       (uint64_t)r, (uint64_t)-2);
		r = (int64_t)guest_hvc(PSCI_AFFINITY_INFO, mpidr[i], 0, 0);
		if (r != -2)
			breach("PSCI AFFINITY_INFO of an MPIDR this VM does not have (result)",
			       mpidr[i], (uint64_t)r, (uint64_t)-2);
		n_psci += 2;
	}
	if ((int64_t)guest_hvc(PSCI_CPU_ON, 0, victim, 0) != -4)
		breach("PSCI CPU_ON of itself", 0, 0, (uint64_t)-4);
	n_psci++;
}

static void tlb_attacks(void)
{
	for (uint64_t off = 0; off < 4 * SZ_2M; off += 0x10000) {
		uint64_t va = (ALIAS_HI + off) >> 12 & 0xfffffffffffull;

		__asm__ volatile("tlbi vae1is, %0\n"
				 "tlbi vale1is, %0\n"
				 "tlbi vaae1is, %1\n"
				 "tlbi vaale1is, %1" ::"r"(va | ASID),
				 "r"(va));
	}
	__asm__ volatile("tlbi aside1is, %0\n"
			 "tlbi vmalle1is\n"
			 "ic ialluis\n"
			 "dsb ish; isb" ::"r"(ASID));
	/* Set/way operations over two cache levels (HCR_EL2.VM makes an
	 * invalidate a clean and invalidate: no dirty line of anyone is
	 * dropped). */
	for (uint64_t level = 0; level < 2; level++)
		for (uint64_t way = 0; way < 4; way++)
			for (uint64_t set = 0; set < 256; set++) {
				uint64_t x = way << 30 | set << 6 | level << 1;

				__asm__ volatile("dc isw, %0\n"
						 "dc csw, %0\n"
						 "dc cisw, %0" ::"r"(x));
			}
	__asm__ volatile("dsb sy" ::: "memory");
}

/* SME's TPIDR2_EL0 (S3_3_C13_C0_5, Arm ARM D24.2.203) and SMPRI_EL1
 * (S3_0_C1_C2_4, D24.2.188): reachable with SME hidden where no
 * fine-grained trap exists (QEMU 7.2's -cpu max: SME without FEAT_FGT),
 * UNDEFINED elsewhere (-cpu cortex-a57). Probed once: one MRS of each,
 * counted by atk_vectors if UNDEFINED. */
static bool sme_regs;

static void sme_probe(void)
{
	uint64_t t = atk_traps, v;

	__asm__ volatile("mrs %0, S3_3_C13_C0_5\n"
			 "mrs %0, S3_0_C1_C2_4"
			 : "=&r"(v)::"memory");
	(void)v;
	sme_regs = atk_traps == t;
}

/* Garbage in every register the context switch switches, then a spin
 * with x0..x30 and the FP/SIMD registers garbage too: the victim runs on
 * this CPU meanwhile. MMU off. Its own sane values back after. */
static void garbage(uint64_t *s, uint64_t freq)
{
	/* SCTLR_EL1 bits that leave an MMU-off spin running: not M [0],
	 * EE [25], EnDB [13], EnDA [27], EnIB [30], EnIA [31]. */
	const uint64_t sctlr_mask = 0x05ffdffeull & ~(1ull << 25);
	uint64_t sctlr = SR_GET(sctlr_el1), vbar = SR_GET(vbar_el1), cpacr = SR_GET(cpacr_el1);
	struct iso_regs pat, out;

	SR_SET(ttbr0_el1, iso_mix(s));
	SR_SET(ttbr1_el1, iso_mix(s));
	SR_SET(tcr_el1, iso_mix(s));
	SR_SET(mair_el1, iso_mix(s));
	SR_SET(amair_el1, iso_mix(s));
	SR_SET(contextidr_el1, iso_mix(s));
	SR_SET(tpidr_el1, iso_mix(s));
	SR_SET(tpidr_el0, iso_mix(s));
	SR_SET(tpidrro_el0, iso_mix(s));
	SR_SET(far_el1, iso_mix(s));
	SR_SET(esr_el1, iso_mix(s));
	SR_SET(elr_el1, iso_mix(s));
	SR_SET(spsr_el1, iso_mix(s));
	SR_SET(par_el1, iso_mix(s));
	SR_SET(afsr0_el1, iso_mix(s));
	SR_SET(afsr1_el1, iso_mix(s));
	SR_SET(cntkctl_el1, iso_mix(s));
	SR_SET(csselr_el1, iso_mix(s));
	SR_SET(actlr_el1, iso_mix(s));
	SR_SET(mdscr_el1, iso_mix(s) & (1ull << 12 | 1ull << 13 | 1ull << 15));
	SR_SET(pmselr_el0, iso_mix(s));
	/* Its timers firing (ENABLE, not masked, CVAL in the past), or not. */
	SR_SET(cntv_cval_el0, iso_mix(s) & 0xffffff);
	SR_SET(cntv_ctl_el0, iso_mix(s) & 1 ? 1 : 3);
	SR_SET(cntp_cval_el0, iso_mix(s) & 0xffffff);
	SR_SET(cntp_ctl_el0, iso_mix(s) & 3);
	SR_SET(cpacr_el1, cpacr | (iso_mix(s) & (1ull << 28)));
	/* DISR_EL1 with FEAT_RAS (ID_AA64PFR0_EL1.RAS [31:28]): VDISR_EL2 under
	 * the hypervisor's HCR_EL2.AMO (Arm ARM D24.9.1). */
	if (SR_GET(id_aa64pfr0_el1) >> 28 & 0xf)
		SR_SET(S3_0_C12_C1_1, iso_mix(s));
	if (sme_regs) {
		SR_SET(S3_3_C13_C0_5, iso_mix(s)); /* TPIDR2_EL0 */
		SR_SET(S3_0_C1_C2_4, iso_mix(s));  /* SMPRI_EL1 */
	}
	if (dt.gic_version == 3) {
		SR_SET(S3_0_C4_C6_0, iso_mix(s));	/* ICC_PMR_EL1 */
		SR_SET(S3_0_C12_C8_3, iso_mix(s));	/* ICC_BPR0_EL1 */
		SR_SET(S3_0_C12_C12_3, iso_mix(s));	/* ICC_BPR1_EL1 */
		SR_SET(S3_0_C12_C12_6, iso_mix(s));	/* ICC_IGRPEN0_EL1 */
		SR_SET(S3_0_C12_C12_7, iso_mix(s));	/* ICC_IGRPEN1_EL1 */
		SR_SET(S3_0_C12_C8_4, iso_mix(s));	/* ICC_AP0R0_EL1 */
		SR_SET(S3_0_C12_C9_0, iso_mix(s));	/* ICC_AP1R0_EL1 */
		SR_SET(S3_0_C12_C12_4, iso_mix(s) & 3); /* ICC_CTLR_EL1: CBPR, EOImode */
	} else {
		w32(dt.gic2.base + 0x4, (uint32_t)iso_mix(s));	     /* GICC_PMR */
		w32(dt.gic2.base + 0x8, (uint32_t)iso_mix(s));	     /* GICC_BPR */
		w32(dt.gic2.base + 0x1c, (uint32_t)iso_mix(s));	     /* GICC_ABPR */
		w32(dt.gic2.base + 0xd0, (uint32_t)iso_mix(s));	     /* GICC_APR0 */
		w32(dt.gic2.base + 0x0, (uint32_t)iso_mix(s) & 0x3); /* GICC_CTLR */
	}
	SR_SET(vbar_el1, iso_mix(s) & ~0x7ffull);
	SR_SET(sctlr_el1, (sctlr & ~sctlr_mask) | (iso_mix(s) & sctlr_mask));
	iso_fill(&pat, iso_mix(s));
	iso_hold_spin(guest_counter() + freq / 40, &pat, &out);
	SR_SET(sctlr_el1, sctlr);
	SR_SET(vbar_el1, vbar);
	SR_SET(cpacr_el1, cpacr);
	SR_SET(mdscr_el1, 0);
	SR_SET(cntv_ctl_el0, 0);
	SR_SET(cntp_ctl_el0, 0);
	SR_SET(cntkctl_el1, 0);
	if (dt.gic_version == 3) {
		SR_SET(S3_0_C12_C12_4, 0);
		SR_SET(S3_0_C12_C8_4, 0);
		SR_SET(S3_0_C12_C9_0, 0);
		SR_SET(S3_0_C4_C6_0, 0xf0);
		SR_SET(S3_0_C12_C12_7, 1);
	} else {
		w32(dt.gic2.base + 0xd0, 0);
		w32(dt.gic2.base + 0x4, 0xf0);
		w32(dt.gic2.base + 0x0, 1);
	}
	/* Its own registers survived the switches too. */
	for (unsigned int i = 2; i < 31; i++)
		if (out.x[i] != pat.x[i])
			breach("own register x0..x30 changed across a switch", i, out.x[i],
			       pat.x[i]);
	n_garbage++;
}

static void worst_exits(void)
{
	uint64_t t = atk_traps, x0;

	atk_worst(dt.gicd.base);
	if (atk_traps - t != N_WORST) {
		guest_puts("attacker: exits answered in the guest: ");
		guest_put_dec(atk_traps - t);
		guest_puts(" exceptions, expected ");
		guest_put_dec(N_WORST);
		guest_puts(", last ESR_EL1 ");
		guest_put_hex(atk_esr);
		guest_puts("\n");
		breach("exits answered in the guest", 0, atk_traps - t, N_WORST);
	}
	/* Illegal exception returns: to EL2h, and to AArch32 EL1 (SVC). */
	t = atk_traps;
	atk_eret_illegal(0x3c9);
	atk_eret_illegal(0x1d3);
	if (atk_traps - t != 2)
		breach("illegal exception returns", 0, atk_traps - t, 2);
	/* Hidden or absent features: PMU, AMU, an ID register written, an
	 * IMPLEMENTATION DEFINED register; UNDEF each. */
	t = atk_traps;
	__asm__ volatile("mrs %0, pmccntr_el0\n"
			 "msr pmcr_el0, %0\n"
			 "mrs %0, S3_3_C13_C2_0\n" /* AMCR_EL0 */
			 "msr S3_0_C0_C4_0, %0\n"  /* ID_AA64PFR0_EL1, read-only */
			 "mrs %0, S3_1_C15_C2_0\n" /* IMPLEMENTATION DEFINED */
			 : "=&r"(x0)::"memory");
	n_worst += N_WORST + 2 + (atk_traps - t);
}

void guest_main(const void *dtb)
{
	uint64_t freq, t_end, rounds = 0, s, ms, isar0;

	guest_setup(dtb, &dt);
	if (guest_gic_init(&dt, 0xffffu)) {
		guest_puts("FAIL: attacker: no GIC\n");
		guest_exit(1);
	}
	__asm__ volatile("adr %0, _start" : "=r"(own));
	victim = guest_arg(&dt, "victim", 0);
	vsize = guest_arg(&dt, "vsize", 0x4000000);
	ms = guest_arg(&dt, "ms", 1000);
	s = guest_arg(&dt, "seed", 0xa77ac4);
	freq = guest_counter_freq();
	if (!victim || vsize < (8ull << 20)) {
		guest_puts("FAIL: attacker: give victim=ADDR vsize=N (at least 8 MiB)\n");
		guest_exit(1);
	}
	SR_SET(cpacr_el1, 3ull << 20);
	__asm__ volatile("adr %0, atk_vectors; msr vbar_el1, %0; isb" : "=&r"(isar0)::"memory");
	isar0 = SR_GET(id_aa64isar0_el1);
	lse = ((isar0 >> 20) & 0xf) >= 2; /* ID_AA64ISAR0_EL1.Atomic [23:20] */
	sme_probe();
	tables_build();
	guest_puts("attacker: the other VM's RAM at ");
	guest_put_hex(victim);
	guest_puts(lse ? ", LSE atomics too" : "");
	guest_puts(sme_regs ? ", TPIDR2_EL0/SMPRI_EL1 reachable (SME hidden, no FGT)\n" : "\n");

	worst_exits();
	t_end = guest_counter() + ms * (freq / 1000);
	while (rounds == 0 || guest_counter() < t_end) {
		memory_attacks(false, rounds);
		gic_attacks();
		psci_attacks();
		for (unsigned int k = 0; k < 4; k++)
			garbage(&s, freq);
		mmu(true);
		memory_attacks(true, rounds);
		walk_attack();
		tlb_attacks();
		poison(freq);
		mmu(false);
		rounds++;
	}
	guest_puts("attacker: done: ");
	guest_put_dec(rounds);
	guest_puts(" rounds; ");
	guest_put_dec(n_must);
	guest_puts(" accesses to others' memory, all aborted; ");
	guest_put_dec(n_may);
	guest_puts(" aborts on CMOs/prefetches/AT/STXR; GIC: ");
	guest_put_dec(n_gic);
	guest_puts(" aborts, ");
	guest_put_dec(n_sgi_tx);
	guest_puts(" SGIs sent, ");
	guest_put_dec(n_sgi_rx);
	guest_puts(" received (own); PSCI: ");
	guest_put_dec(n_psci);
	guest_puts(" calls refused; ");
	guest_put_dec(n_garbage);
	guest_puts(" garbage switches, ");
	guest_put_dec(n_poison);
	guest_puts(" TLB poisonings; ");
	guest_put_dec(n_worst);
	guest_puts(" exceptions from exits answered in the guest; ");
	guest_put_dec(atk_traps);
	guest_puts(" exceptions in all\n");
	guest_exit(0);
}
