/* SPDX-License-Identifier: MIT */
/*
 * victim: the isolation test's VM that is attacked (issue 16 item 3,
 * docs/isolation.md). Three vCPUs: vCPU 0 and vCPU 1 hold patterns,
 * vCPU 2 is never started (its AFFINITY_INFO must stay OFF, whatever the
 * other VM's CPU_ON calls).
 *
 * vCPU 0 turns its MMU on (TTBR0: an identity map; TTBR1: an alias of
 * the pattern region, a 2 MiB block and 512 pages in a permuted order),
 * fills "mib=N" MiB of its RAM (from 4 MiB above its image) with a
 * pattern, sets every EL1/EL0 register the context-switch engine switches
 * to a pattern (and its virtual and physical timers: CVAL far away,
 * ENABLE|IMASK), then for "ms=N" milliseconds runs rounds; each round
 * holds every general-purpose and FP/SIMD register at a fresh pattern
 * (iso.h) across one wait, in turn: a spin of two time slices (preempted
 * by the scheduler's tick), an HVC yield, WFI on its virtual timer, WFI on
 * its physical timer, a self-SGI; then checks the registers, the system
 * registers, the timers, its GIC state (enables, priorities, the CPU
 * interface's PMR/BPR/control, no active priority), that the only
 * interrupts delivered are its own (the timer it armed, its SGI 1), its
 * stage-1 translations (reads through the alias and AT S1E1R) and a 64 KiB
 * window of the pattern. At the end: the whole pattern, vCPU 1's result,
 * AFFINITY_INFO of vCPU 2. "victim: intact ..." and status 0, or
 * "FAIL: victim: ..." with the first difference and status 1.
 * "corrupt=N" makes a difference itself (the checks' own test).
 */
#include "guest.h"
#include "iso.h"

/* TCR_EL1: iso.h's, plus TBI0 [37] as a pattern bit. */
#define TCR_VAL (ISO_TCR | 1ull << 37)
/* SCTLR_EL1 (Arm ARM, its register description): M [0], C [2], SA [3], I [12], and as a pattern
 * DZE [14], UCT [15], nTWI [16], nTWE [18], UCI [26]. */
#define SCTLR_SET                                                                                  \
	(1ull << 0 | 1ull << 2 | 1ull << 3 | 1ull << 12 | 1ull << 14 | 1ull << 15 | 1ull << 16 |   \
	 1ull << 18 | 1ull << 26)

static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2_hi[512] __attribute__((aligned(4096)));
static uint64_t l3_hi[512] __attribute__((aligned(4096)));

static struct guest_dt dt;
static uint64_t region, region_size, seed;

/* Shared with vCPU 1 (both run with the same Normal WB mapping). */
static volatile uint64_t mmu_ttbr0, mmu_ttbr1, mmu_sctlr;
static volatile uint32_t sec_stop, sec_done, sec_rounds, sec_bad;
static volatile uint64_t sec_bad_idx, sec_bad_got, sec_bad_want;
static volatile uint32_t vcpu2_ran;

/* ---- failing: the first difference */

static void fail(const char *what, uint64_t got, uint64_t want)
{
	guest_puts("FAIL: victim: ");
	guest_puts(what);
	guest_puts(": ");
	guest_put_hex(got);
	guest_puts(", expected ");
	guest_put_hex(want);
	guest_puts("\n");
	guest_exit(1);
}

static void expect(const char *what, uint64_t got, uint64_t want)
{
	if (got != want)
		fail(what, got, want);
}

/* ---- registers */

/* Each system register's value as read back after the pattern was set
 * (RES0/RES1 and RAZ/WI bits as this CPU has them). */
enum {
	R_SCTLR,
	R_TTBR0,
	R_TTBR1,
	R_TCR,
	R_MAIR,
	R_AMAIR,
	R_CONTEXTIDR,
	R_TPIDR_EL1,
	R_TPIDR_EL0,
	R_TPIDRRO_EL0,
	R_VBAR,
	R_FAR,
	R_ESR,
	R_ELR,
	R_SPSR,
	R_PAR,
	R_AFSR0,
	R_AFSR1,
	R_CNTKCTL,
	R_CSSELR,
	R_CPACR,
	R_ACTLR,
	R_MDSCR,
	R_PMSELR,
	R_CNTV_CVAL,
	R_CNTV_CTL,
	R_CNTP_CVAL,
	R_CNTP_CTL,
	R_ICC_PMR,
	R_ICC_BPR1,
	R_ICC_IGRPEN1,
	R_ICC_AP1R0,
	R_ICC_BPR0,
	R_TPIDR2_EL0,
	R_SMPRI_EL1,
	R_DISR_EL1,
	R_NR
};

/* SME's TPIDR2_EL0 (S3_3_C13_C0_5, Arm ARM D24.2.203) and SMPRI_EL1
 * (S3_0_C1_C2_4, D24.2.188): with SME hidden, reachable where no
 * fine-grained trap exists (QEMU 7.2's -cpu max: SME without FEAT_FGT;
 * minihyp switches them there), UNDEFINED elsewhere. Probed by vCPU 0
 * before vCPU 1 starts; 0 in both when UNDEFINED. SMPRI_EL1 is RES0 when
 * SMIDR_EL1.SMPS is 0 (QEMU's: it reads back 0). */
static volatile uint32_t sme_regs;

/* DISR_EL1 (S3_0_C12_C1_1, FEAT_RAS: ID_AA64PFR0_EL1.RAS [31:28], Arm ARM
 * D24.2.93): with the hypervisor's HCR_EL2.AMO set, the guest's accesses
 * reach VDISR_EL2 (D24.9.1), which minihyp switches. */
static bool has_ras(void)
{
	return (SR_GET(id_aa64pfr0_el1) >> 28 & 0xf) != 0;
}

static void sme_probe(void)
{
	uint64_t vbar = SR_GET(vbar_el1), t, v;

	__asm__ volatile("msr vbar_el1, %0; isb" ::"r"(guest_skip_vectors) : "memory");
	t = guest_skip_traps;
	__asm__ volatile("mrs %0, S3_3_C13_C0_5\n"
			 "mrs %0, S3_0_C1_C2_4"
			 : "=&r"(v)::"memory");
	(void)v;
	sme_regs = guest_skip_traps == t;
	__asm__ volatile("msr vbar_el1, %0; isb" ::"r"(vbar) : "memory");
}

struct sysregs {
	uint64_t v[R_NR];
};

/* The values: per vCPU, from the seed. */
static void sysregs_set(uint64_t s, bool mmu)
{
	uint64_t now = guest_counter();

	if (mmu) {
		SR_SET(mair_el1, ISO_MAIR);
		SR_SET(tcr_el1, TCR_VAL);
		SR_SET(ttbr0_el1, mmu_ttbr0);
		SR_SET(ttbr1_el1, mmu_ttbr1);
		__asm__ volatile("tlbi vmalle1; dsb nsh; isb" ::: "memory");
		SR_SET(sctlr_el1, mmu_sctlr);
	}
	SR_SET(amair_el1, iso_mix(&s));
	SR_SET(contextidr_el1, iso_mix(&s) & 0xffffffffu);
	SR_SET(tpidr_el1, iso_mix(&s));
	SR_SET(tpidr_el0, iso_mix(&s));
	SR_SET(tpidrro_el0, iso_mix(&s));
	SR_SET(far_el1, iso_mix(&s));
	SR_SET(esr_el1, iso_mix(&s) & 0xffffffffu);
	SR_SET(elr_el1, iso_mix(&s));
	/* SPSR_EL1: a valid EL1h state with flags as a pattern. */
	SR_SET(spsr_el1, 0x3c5ull | (iso_mix(&s) & 0xf0000000ull));
	SR_SET(par_el1, iso_mix(&s) & ~1ull);
	SR_SET(afsr0_el1, iso_mix(&s) & 0xffffffffu);
	SR_SET(afsr1_el1, iso_mix(&s) & 0xffffffffu);
	/* CNTKCTL_EL1 (its Arm ARM register description): EL0 timer access bits and EVNTI, no
	 * event stream. */
	SR_SET(cntkctl_el1, 0x303ull | (iso_mix(&s) & 0xf0));
	SR_SET(csselr_el1, 2);			/* level 2, data or unified */
	SR_SET(cpacr_el1, 3ull << 20);		/* FPEN: FP/SIMD on */
	SR_SET(actlr_el1, iso_mix(&s));		/* IMPLEMENTATION DEFINED */
	SR_SET(mdscr_el1, 1ull << 12);		/* TDCC: EL0 DCC traps */
	SR_SET(pmselr_el0, iso_mix(&s) & 0x1f); /* minihyp's emulated storage */
	SR_SET(cntv_cval_el0, now + (1ull << 50) + (iso_mix(&s) & 0xffffff));
	SR_SET(cntv_ctl_el0, GUEST_TIMER_ENABLE | GUEST_TIMER_IMASK);
	SR_SET(cntp_cval_el0, now + (1ull << 51) + (iso_mix(&s) & 0xffffff));
	SR_SET(cntp_ctl_el0, GUEST_TIMER_ENABLE | GUEST_TIMER_IMASK);
	if (dt.gic_version == 3) {
		SR_SET(S3_0_C12_C12_3, 3); /* ICC_BPR1_EL1 */
		SR_SET(S3_0_C12_C8_3, 2);  /* ICC_BPR0_EL1 */
	}
	if (sme_regs) {
		SR_SET(S3_3_C13_C0_5, iso_mix(&s));	   /* TPIDR2_EL0 */
		SR_SET(S3_0_C1_C2_4, iso_mix(&s) & 0xf); /* SMPRI_EL1.Priority [3:0] */
	}
	if (has_ras())
		SR_SET(S3_0_C12_C1_1, iso_mix(&s)); /* DISR_EL1 */
}

static void sysregs_read(struct sysregs *r)
{
	r->v[R_SCTLR] = SR_GET(sctlr_el1);
	r->v[R_TTBR0] = SR_GET(ttbr0_el1);
	r->v[R_TTBR1] = SR_GET(ttbr1_el1);
	r->v[R_TCR] = SR_GET(tcr_el1);
	r->v[R_MAIR] = SR_GET(mair_el1);
	r->v[R_AMAIR] = SR_GET(amair_el1);
	r->v[R_CONTEXTIDR] = SR_GET(contextidr_el1);
	r->v[R_TPIDR_EL1] = SR_GET(tpidr_el1);
	r->v[R_TPIDR_EL0] = SR_GET(tpidr_el0);
	r->v[R_TPIDRRO_EL0] = SR_GET(tpidrro_el0);
	r->v[R_VBAR] = SR_GET(vbar_el1);
	r->v[R_FAR] = SR_GET(far_el1);
	r->v[R_ESR] = SR_GET(esr_el1);
	r->v[R_ELR] = SR_GET(elr_el1);
	r->v[R_SPSR] = SR_GET(spsr_el1);
	r->v[R_PAR] = SR_GET(par_el1);
	r->v[R_AFSR0] = SR_GET(afsr0_el1);
	r->v[R_AFSR1] = SR_GET(afsr1_el1);
	r->v[R_CNTKCTL] = SR_GET(cntkctl_el1);
	r->v[R_CSSELR] = SR_GET(csselr_el1);
	r->v[R_CPACR] = SR_GET(cpacr_el1);
	r->v[R_ACTLR] = SR_GET(actlr_el1);
	r->v[R_MDSCR] = SR_GET(mdscr_el1);
	r->v[R_PMSELR] = SR_GET(pmselr_el0);
	r->v[R_CNTV_CVAL] = SR_GET(cntv_cval_el0);
	r->v[R_CNTV_CTL] = SR_GET(cntv_ctl_el0);
	r->v[R_CNTP_CVAL] = SR_GET(cntp_cval_el0);
	r->v[R_CNTP_CTL] = SR_GET(cntp_ctl_el0);
	if (dt.gic_version == 3) {
		r->v[R_ICC_PMR] = SR_GET(S3_0_C4_C6_0);
		r->v[R_ICC_BPR1] = SR_GET(S3_0_C12_C12_3);
		r->v[R_ICC_IGRPEN1] = SR_GET(S3_0_C12_C12_7);
		r->v[R_ICC_AP1R0] = SR_GET(S3_0_C12_C9_0);
		r->v[R_ICC_BPR0] = SR_GET(S3_0_C12_C8_3);
	} else {
		/* GICv2: the CPU interface (the GICV frame): PMR, BPR, CTLR,
		 * and the active priorities register 0 (GICC_APR0). */
		r->v[R_ICC_PMR] = r32(dt.gic2.base + 0x4);
		r->v[R_ICC_BPR1] = r32(dt.gic2.base + 0x8);
		r->v[R_ICC_IGRPEN1] = r32(dt.gic2.base + 0x0);
		r->v[R_ICC_AP1R0] = r32(dt.gic2.base + 0xd0);
		r->v[R_ICC_BPR0] = 0;
	}
	r->v[R_TPIDR2_EL0] = sme_regs ? SR_GET(S3_3_C13_C0_5) : 0;
	r->v[R_SMPRI_EL1] = sme_regs ? SR_GET(S3_0_C1_C2_4) : 0;
	r->v[R_DISR_EL1] = has_ras() ? SR_GET(S3_0_C12_C1_1) : 0;
}

/* Print register @i's name: the @i-th word of one string (no table of
 * pointers: the guests are position-independent, data holds no addresses). */
static void sysreg_name_put(unsigned int i)
{
	static const char names[] =
	    "SCTLR_EL1 TTBR0_EL1 TTBR1_EL1 TCR_EL1 MAIR_EL1 AMAIR_EL1 CONTEXTIDR_EL1 TPIDR_EL1 "
	    "TPIDR_EL0 TPIDRRO_EL0 VBAR_EL1 FAR_EL1 ESR_EL1 ELR_EL1 SPSR_EL1 PAR_EL1 AFSR0_EL1 "
	    "AFSR1_EL1 CNTKCTL_EL1 CSSELR_EL1 CPACR_EL1 ACTLR_EL1 MDSCR_EL1 PMSELR_EL0 "
	    "CNTV_CVAL_EL0 CNTV_CTL_EL0 CNTP_CVAL_EL0 CNTP_CTL_EL0 ICC_PMR_EL1/GICC_PMR "
	    "ICC_BPR1_EL1/GICC_BPR ICC_IGRPEN1_EL1/GICC_CTLR ICC_AP1R0_EL1/GICC_APR0 ICC_BPR0_EL1 "
	    "TPIDR2_EL0 SMPRI_EL1 DISR_EL1";
	const char *p = names;
	char c[2] = {0, 0};

	for (unsigned int k = 0; k < i && *p; p++)
		if (*p == ' ')
			k++;
	for (; *p && *p != ' '; p++) {
		c[0] = *p;
		guest_puts(c);
	}
}

/* The first register of @want that @got does not match: R_NR if none. */
static unsigned int sysregs_diff(const struct sysregs *got, const struct sysregs *want)
{
	for (unsigned int i = 0; i < R_NR; i++)
		if (got->v[i] != want->v[i])
			return i;
	return R_NR;
}

/* The first register of @out that differs from @pat: x0 (the wait's
 * scratch) never, x1 not with @skip_x1 (the spin's deadline). -1: none.
 * 0..30 x, 31 SP_EL0, 32..95 Q words, 96 FPCR, 97 FPSR, 98 SP. */
static int regs_diff(const struct iso_regs *out, const struct iso_regs *pat, bool skip_x1)
{
	for (unsigned int i = skip_x1 ? 2 : 1; i < 31; i++)
		if (out->x[i] != pat->x[i])
			return (int)i;
	if (out->sp_el0 != pat->sp_el0)
		return 31;
	for (unsigned int i = 0; i < 64; i++)
		if (out->q[i] != pat->q[i])
			return 32 + (int)i;
	if (out->fpcr != pat->fpcr)
		return 96;
	if (out->fpsr != pat->fpsr)
		return 97;
	if (out->sp_after != out->sp_before)
		return 98;
	return -1;
}

static uint64_t regs_word(const struct iso_regs *r, int i)
{
	if (i < 31)
		return r->x[i];
	if (i == 31)
		return r->sp_el0;
	if (i < 96)
		return r->q[i - 32];
	if (i == 96)
		return r->fpcr;
	if (i == 97)
		return r->fpsr;
	return r->sp_after;
}

/* ---- the pattern in memory */

static uint64_t pat_at(uint64_t pa)
{
	uint64_t s = pa ^ seed;

	return iso_mix(&s);
}

static void region_fill(void)
{
	for (uint64_t a = region; a < region + region_size; a += 8)
		*(volatile uint64_t *)a = pat_at(a);
	__asm__ volatile("dsb ish" ::: "memory");
}

static void region_check(uint64_t off, uint64_t len)
{
	for (uint64_t a = region + off; a < region + off + len; a += 8) {
		uint64_t v = *(volatile uint64_t *)a;

		if (v != pat_at(a)) {
			guest_puts("victim: pattern differs at PA ");
			guest_put_hex(a);
			guest_puts("\n");
			fail("memory pattern", v, pat_at(a));
		}
	}
}

/* ---- stage 1 */

static void tables_build(void)
{
	uint64_t ram_gib = region & ~(SZ_1G - 1);

	l1_lo[0] = 0 | PTE_BLOCK | PTE_ATTR(0) | PTE_AF; /* devices */
	l1_lo[ram_gib / SZ_1G] = ram_gib | PTE_BLOCK | PTE_ATTR(1) | PTE_SH_IS | PTE_AF;
	iso_alias_tables(l1_hi, l2_hi, l3_hi, region);
}

/* What the TTBR1 alias at @off maps (a block, then permuted pages). */
static uint64_t alias_pa(uint64_t off)
{
	if (off < SZ_2M)
		return region + off;
	return region + SZ_2M + (uint64_t)((((off - SZ_2M) >> 12) * 7u) % 512u) * 4096u +
	       (off & 0xfff);
}

/* Reads through the alias and AT S1E1R (PAR_EL1: F [0], PA
 * [47:12]) agree with the pattern; PAR_EL1's pattern put back. */
static void stage1_check(uint64_t round)
{
	uint64_t par0 = SR_GET(par_el1);

	for (unsigned int k = 0; k < 16; k++) {
		uint64_t off = ((round * 16 + k) * 0x3a08ull) % (2 * SZ_2M) & ~7ull;
		uint64_t va = ISO_ALIAS_HI + off, par, v;

		v = *(volatile uint64_t *)va;
		expect("a read through the TTBR1 alias", v, pat_at(alias_pa(off)));
		__asm__ volatile("at s1e1r, %1; isb; mrs %0, par_el1" : "=r"(par) : "r"(va));
		expect("AT S1E1R of the alias: PAR_EL1.F", par & 1, 0);
		expect("AT S1E1R of the alias: PA", par & 0xfffffffff000ull,
		       alias_pa(off) & ~0xfffull);
		__asm__ volatile("at s1e1r, %1; isb; mrs %0, par_el1"
				 : "=r"(par)
				 : "r"(region + off));
		expect("AT S1E1R of the identity map: PA", par & 0xfffffffff000ull,
		       (region + off) & ~0xfffull);
	}
	SR_SET(par_el1, par0);
}

/* ---- interrupts */

#define SGI_OWN	   1
#define PPI_VTIMER 27
#define PPI_PTIMER 30

static void gic_state_check(const uint32_t *want)
{
	uint64_t en = dt.gic_version == 3 ? dt.gic2.base + 0x10000 + 0x100 : dt.gicd.base + 0x100;
	uint64_t pri = dt.gic_version == 3 ? dt.gic2.base + 0x10000 + 0x400 : dt.gicd.base + 0x400;

	expect("the GIC's ISENABLER0", r32(en), want[0]);
	for (unsigned int i = 0; i < 8; i++)
		expect("the GIC's IPRIORITYR (private interrupts)", r32(pri + 4 * i), want[1 + i]);
	expect("GICD_CTLR", r32(dt.gicd.base), want[9]);
}

/* The highest priority pending interrupt, without acknowledging it:
 * ICC_HPPIR1_EL1 (GICv3) or GICC_HPPIR (GICv2, offset 0x18). */
static unsigned int guest_gic_hppi(void)
{
	if (dt.gic_version == 3)
		return (unsigned int)SR_GET(S3_0_C12_C12_2);
	return r32(dt.gic2.base + 0x18);
}

/* Acknowledge what is pending: only @allowed (an INTID, or 1023: none)
 * may be; returns how many of it. With @wait, poll up to 100 ms for the
 * first one (a timer's condition can be seen a moment before the
 * hypervisor has injected its interrupt). */
static unsigned int drain(unsigned int allowed, bool wait)
{
	uint64_t t0 = guest_counter(), lim = guest_counter_freq() / 10;
	unsigned int n = 0, iar;

	while (wait && (guest_gic_hppi() & 0x3ff) >= 1020 && guest_counter() - t0 < lim)
		;
	while (((iar = guest_gic_ack(&dt)) & 0x3ff) < 1020) {
		unsigned int id = iar & 0x3ff;

		if (id == PPI_VTIMER)
			SR_SET(cntv_ctl_el0, GUEST_TIMER_ENABLE | GUEST_TIMER_IMASK);
		if (id == PPI_PTIMER)
			SR_SET(cntp_ctl_el0, GUEST_TIMER_ENABLE | GUEST_TIMER_IMASK);
		guest_gic_eoi(&dt, iar);
		if (id != allowed)
			fail("an interrupt this VM did not raise: IAR", iar, allowed);
		n++;
	}
	return n;
}

static void self_sgi(void)
{
	if (dt.gic_version == 3)
		__asm__ volatile("msr S3_0_C12_C11_5, %0; isb" ::"r"((uint64_t)SGI_OWN << 24 | 1));
	else
		w32(dt.gicd.base + 0xf00, 2u << 24 | SGI_OWN); /* TargetListFilter: self */
}

/* ---- vCPU 1: holds its own patterns until told to stop */

void guest_secondary(uint64_t cpu)
{
	struct iso_regs pat, out;
	struct sysregs want, got;
	uint64_t s = seed ^ 0x5ec0u, r = 0;

	if (cpu != 1) {
		vcpu2_ran = 1;
		guest_hvc(PSCI_CPU_OFF, 0, 0, 0);
	}
	sysregs_set(s, true);
	sysregs_read(&want);
	while (!sec_stop) {
		uint64_t t = guest_counter() + guest_counter_freq() / 50; /* 20 ms */
		unsigned int d;
		int i;

		iso_fill(&pat, s + r);
		if (r & 1)
			iso_hold_yield(0, &pat, &out);
		else
			iso_hold_spin(t, &pat, &out);
		i = regs_diff(&out, &pat, !(r & 1));
		sysregs_read(&got);
		d = sysregs_diff(&got, &want);
		if ((i >= 0 || d < R_NR) && !sec_bad) {
			sec_bad_idx = i >= 0 ? (uint64_t)i : 1000 + d;
			sec_bad_got = i >= 0 ? regs_word(&out, i) : got.v[d];
			sec_bad_want = i >= 0 ? regs_word(&pat, i) : want.v[d];
			sec_bad = 1;
		}
		sec_rounds = (uint32_t)++r;
	}
	sec_done = 1;
	guest_hvc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

/* ---- vCPU 0 */

void guest_main(const void *dtb)
{
	struct iso_regs pat, out;
	struct sysregs want, got;
	uint32_t gic_want[10];
	uint64_t freq, t_end, rounds = 0, per[5] = {0, 0, 0, 0, 0}, base, ms;
	uint64_t pri, corrupt;
	int64_t ret;

	if (guest_dt_init(dtb, &dt)) {
		guest_puts("FAIL: victim: no valid DTB at x0\n");
		guest_exit(1);
	}
	if (guest_gic_init(&dt, 0xffffu | 1u << PPI_VTIMER | 1u << PPI_PTIMER)) {
		guest_puts("FAIL: victim: no GIC\n");
		guest_exit(1);
	}
	if (dt.gic_version == 2)
		w32(dt.gic2.base + 0x8, 3); /* GICC_BPR */
	__asm__ volatile("adr %0, _start" : "=r"(base));
	freq = guest_counter_freq();
	seed = guest_arg(&dt, "seed", 0x1505a7e5);
	ms = guest_arg(&dt, "ms", 3000);
	corrupt = guest_arg(&dt, "corrupt", 0);
	region = base + (4ull << 20);
	region_size = guest_arg(&dt, "mib", 4) << 20;
	if (region_size < 2 * SZ_2M)
		region_size = 2 * SZ_2M;

	tables_build();
	mmu_ttbr0 = (uint64_t)(uintptr_t)l1_lo | 0x5aull << 48; /* ASID 0x5a */
	mmu_ttbr1 = (uint64_t)(uintptr_t)l1_hi | 0xa5ull << 48; /* ignored ASID field (A1 = 0) */
	mmu_sctlr = SR_GET(sctlr_el1) | SCTLR_SET;
	sme_probe();
	sysregs_set(seed, true);
	region_fill();
	sysregs_read(&want);
	pri = dt.gic_version == 3 ? dt.gic2.base + 0x10000 + 0x400 : dt.gicd.base + 0x400;
	gic_want[0] =
	    r32(dt.gic_version == 3 ? dt.gic2.base + 0x10000 + 0x100 : dt.gicd.base + 0x100);
	for (unsigned int i = 0; i < 8; i++)
		gic_want[1 + i] = r32(pri + 4 * i);
	gic_want[9] = r32(dt.gicd.base);
	guest_puts("victim: ");
	guest_put_dec(region_size >> 20);
	guest_puts(" MiB at ");
	guest_put_hex(region);
	guest_puts(", registers and timers set, MMU on");
	guest_puts(sme_regs ? ", TPIDR2_EL0/SMPRI_EL1 reachable: checked too\n" : "\n");

	ret = (int64_t)guest_hvc(PSCI_CPU_ON, 1, (uintptr_t)guest_secondary_entry, 1);
	expect("CPU_ON of vCPU 1", (uint64_t)ret, 0);

	t_end = guest_counter() + ms * (freq / 1000);
	while (guest_counter() < t_end) {
		unsigned int mode = (unsigned int)(rounds % 5), d;
		int i;

		iso_fill(&pat, seed + rounds * 0x100);
		switch (mode) {
		case 0: /* two time slices (10 ms each) spinning */
			iso_hold_spin(guest_counter() + freq / 40, &pat, &out);
			break;
		case 1:
			iso_hold_yield(0, &pat, &out);
			break;
		case 2: /* the virtual timer, 3 ms */
			SR_SET(cntv_tval_el0, freq / 333);
			SR_SET(cntv_ctl_el0, GUEST_TIMER_ENABLE);
			iso_hold_wfi_v(0, &pat, &out);
			break;
		case 3: /* the physical timer (emulated), 3 ms */
			SR_SET(cntp_tval_el0, freq / 333);
			SR_SET(cntp_ctl_el0, GUEST_TIMER_ENABLE);
			iso_hold_wfi_p(0, &pat, &out);
			break;
		default: /* its own SGI, then a spin of one slice */
			self_sgi();
			iso_hold_spin(guest_counter() + freq / 100, &pat, &out);
			break;
		}
		/* "corrupt=N": the checks' own test, a difference made here in
		 * round 7 (1: a word of the pattern, 2: TPIDR_EL1, 3: x20). */
		if (rounds == 7 && corrupt == 1)
			*(volatile uint64_t *)(region + (rounds * 0x10000) % region_size + 8) ^= 1;
		if (rounds == 7 && corrupt == 2)
			SR_SET(tpidr_el1, ~want.v[R_TPIDR_EL1]);
		if (rounds == 7 && corrupt == 3)
			out.x[20] ^= 1ull << 63;
		i = regs_diff(&out, &pat, mode == 0 || mode == 4);
		if (i >= 0) {
			guest_puts("victim: register ");
			guest_put_dec((uint64_t)i);
			guest_puts(" (0..30 x, 31 SP_EL0, 32..95 Q words, 96 FPCR, 97 FPSR, 98 SP) "
				   "after wait mode ");
			guest_put_dec(mode);
			guest_puts("\n");
			fail("a general-purpose or FP/SIMD register", regs_word(&out, i),
			     regs_word(&pat, i));
		}
		/* The interrupt each wait raised, and nothing else. */
		if (mode == 2 && drain(PPI_VTIMER, true) != 1)
			fail("virtual timer interrupts after WFI", 0, 1);
		if (mode == 3 && drain(PPI_PTIMER, true) != 1)
			fail("physical timer interrupts after WFI", 0, 1);
		if (mode == 4 && drain(SGI_OWN, true) != 1)
			fail("own SGIs delivered", 0, 1);
		drain(1023, false);
		/* The timers' patterns back after their waits. */
		if (mode == 2)
			SR_SET(cntv_cval_el0, want.v[R_CNTV_CVAL]);
		if (mode == 3)
			SR_SET(cntp_cval_el0, want.v[R_CNTP_CVAL]);
		sysregs_read(&got);
		d = sysregs_diff(&got, &want);
		if (d < R_NR) {
			guest_puts("victim: register ");
			sysreg_name_put(d);
			guest_puts(" changed\n");
			fail("a system register", got.v[d], want.v[d]);
		}
		gic_state_check(gic_want);
		stage1_check(rounds);
		region_check((rounds * 0x10000) % region_size, 0x10000);
		per[mode]++;
		rounds++;
	}

	sec_stop = 1;
	while (!sec_done)
		iso_hold_yield(0, &pat, &out);
	if (sec_bad) {
		guest_puts("victim: vCPU 1's register ");
		guest_put_dec(sec_bad_idx);
		guest_puts(" (1000 + N: system register N)\n");
		fail("vCPU 1's registers", sec_bad_got, sec_bad_want);
	}
	region_check(0, region_size);
	stage1_check(rounds);
	/* vCPU 2 was never started: OFF (1), whatever the other VM tried. */
	expect("AFFINITY_INFO(vCPU 2)", guest_hvc(PSCI_AFFINITY_INFO, 2, 0, 0), 1);
	expect("vCPU 2 ran", vcpu2_ran, 0);
	guest_puts("victim: intact: ");
	guest_put_dec(rounds);
	guest_puts(" rounds (");
	guest_put_dec(per[0]);
	guest_puts(" spin, ");
	guest_put_dec(per[1]);
	guest_puts(" yield, ");
	guest_put_dec(per[2] + per[3]);
	guest_puts(" WFI, ");
	guest_put_dec(per[4]);
	guest_puts(" SGI), vCPU 1 ");
	guest_put_dec(sec_rounds);
	guest_puts(" rounds; ");
	guest_put_dec(region_size >> 20);
	guest_puts(" MiB, registers, timers, GIC, stage 1 ok\n");
	guest_exit(0);
}
