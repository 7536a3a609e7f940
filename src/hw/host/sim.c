/* SPDX-License-Identifier: MIT */
/*
 * The simulated CPU behind the host backend. This file is built only for
 * the host and may use libc: it reports misuse on stderr and aborts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/regdefs.h>

static _Thread_local struct hyp_sim_cpu *current;

static const char *const kind_names[HYP_SIM_KIND_COUNT] = {
	[HYP_SIM_SYSREG_READ] = "SYSREG_READ", [HYP_SIM_SYSREG_WRITE] = "SYSREG_WRITE",
	[HYP_SIM_ISB] = "ISB",                 [HYP_SIM_DSB] = "DSB",
	[HYP_SIM_DMB] = "DMB",                 [HYP_SIM_TLBI] = "TLBI",
	[HYP_SIM_DC_CIVAC] = "DC_CIVAC",       [HYP_SIM_IC_IVAU] = "IC_IVAU",
	[HYP_SIM_IC_IALLU] = "IC_IALLU",       [HYP_SIM_MMIO_READ] = "MMIO_READ",
	[HYP_SIM_MMIO_WRITE] = "MMIO_WRITE",   [HYP_SIM_PTE_READ] = "PTE_READ",
	[HYP_SIM_PTE_WRITE] = "PTE_WRITE",     [HYP_SIM_PTE_CAS] = "PTE_CAS",
	[HYP_SIM_AT] = "AT",                   [HYP_SIM_ESB] = "ESB",
	[HYP_SIM_SERROR_TAKE] = "SERROR_TAKE",
};

const char *hyp_sim_kind_name(unsigned kind)
{
	return kind < HYP_SIM_KIND_COUNT ? kind_names[kind] : "?";
}

static void default_fail(struct hyp_sim_cpu *cpu, const char *msg, void *ctx)
{
	(void)cpu;
	(void)ctx;
	fprintf(stderr, "libhyp simulated CPU: %s\n", msg);
	abort();
}

static void fail(struct hyp_sim_cpu *cpu, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!cpu) {
		default_fail(NULL, msg, NULL);
		return;
	}
	cpu->failures++;
	cpu->fail(cpu, msg, cpu->fail_ctx);
}

void hyp_sim_init(struct hyp_sim_cpu *cpu)
{
	if (!cpu)
		return;
	memset(cpu, 0, sizeof(*cpu));
	cpu->fail = default_fail;
}

void hyp_sim_set_current(struct hyp_sim_cpu *cpu)
{
	current = cpu;
}

struct hyp_sim_cpu *hyp_sim_current(void)
{
	return current;
}

void hyp_sim_set_fail(struct hyp_sim_cpu *cpu, hyp_sim_fail_fn fn, void *ctx)
{
	if (!cpu)
		return;
	cpu->fail = fn ? fn : default_fail;
	cpu->fail_ctx = ctx;
}

void hyp_sim_reset_counts(struct hyp_sim_cpu *cpu)
{
	if (!cpu)
		return;
	for (unsigned i = 0; i < HYP_SIM_MAX_REGS; i++)
		cpu->regs[i].reads = cpu->regs[i].writes = 0;
	for (unsigned i = 0; i < cpu->nr_mmio; i++)
		cpu->mmio[i]->reads = cpu->mmio[i]->writes = 0;
	memset(cpu->counts, 0, sizeof(cpu->counts));
	memset(cpu->tlbi_counts, 0, sizeof(cpu->tlbi_counts));
	cpu->dc_lines = cpu->ic_lines = 0;
	cpu->log_len = 0;
	cpu->log_overflow = false;
}

/* Open addressing on the encoding; encoding 0 marks a free slot (no valid
 * register has op0 < 2). Returns the slot, or the free slot to use. */
static struct hyp_sim_reg *slot_of(const struct hyp_sim_cpu *cpu, uint16_t enc)
{
	unsigned h = (enc * 40503u) % HYP_SIM_MAX_REGS;

	for (unsigned n = 0; n < HYP_SIM_MAX_REGS; n++) {
		const struct hyp_sim_reg *r = &cpu->regs[(h + n) % HYP_SIM_MAX_REGS];
		if (r->enc == enc || r->enc == 0)
			return (struct hyp_sim_reg *)r;
	}
	return NULL;
}

static struct hyp_sim_reg *find_reg(const struct hyp_sim_cpu *cpu, uint16_t enc)
{
	struct hyp_sim_reg *r = cpu ? slot_of(cpu, enc) : NULL;
	return (r && r->enc == enc) ? r : NULL;
}

int hyp_sim_reg_define(struct hyp_sim_cpu *cpu, uint16_t enc, uint64_t val)
{
	struct hyp_sim_reg *r;

	if (!cpu || HYP_SYSREG_OP0(enc) < 2)
		return HYP_EINVAL;
	r = slot_of(cpu, enc);
	if (!r)
		return HYP_ENOMEM;
	r->enc = enc;
	r->val = val;
	return 0;
}

int hyp_sim_define_table(struct hyp_sim_cpu *cpu, unsigned flags, bool aliases)
{
	if (!cpu)
		return HYP_EINVAL;
	for (unsigned r = 0; r < HYP_REG_COUNT; r++) {
		const struct hyp_sysreg_desc *d = &hyp_sysreg_table[r];
		int rc = 0;

		if (!(d->flags & flags))
			continue;
		if (!find_reg(cpu, d->enc))
			rc = hyp_sim_reg_define(cpu, d->enc, 0);
		if (!rc && aliases && (d->flags & HYP_RF_E12) && !find_reg(cpu, HYP_SYSREG_E12(d->enc)))
			rc = hyp_sim_reg_define(cpu, HYP_SYSREG_E12(d->enc), 0);
		if (rc)
			return rc;
	}
	return 0;
}

int hyp_sim_reg_hooks(struct hyp_sim_cpu *cpu, uint16_t enc, hyp_sim_reg_read_fn read,
		      hyp_sim_reg_write_fn write, void *ctx)
{
	struct hyp_sim_reg *r = find_reg(cpu, enc);

	if (!cpu)
		return HYP_EINVAL;
	if (!r)
		return HYP_ENOENT;
	r->read = read;
	r->write = write;
	r->ctx = ctx;
	return 0;
}

int hyp_sim_reg_peek(const struct hyp_sim_cpu *cpu, uint16_t enc, uint64_t *val)
{
	const struct hyp_sim_reg *r = find_reg(cpu, enc);

	if (!cpu || !val)
		return HYP_EINVAL;
	if (!r)
		return HYP_ENOENT;
	*val = r->val;
	return 0;
}

uint32_t hyp_sim_reg_reads(const struct hyp_sim_cpu *cpu, uint16_t enc)
{
	const struct hyp_sim_reg *r = find_reg(cpu, enc);
	return r ? r->reads : 0;
}

uint32_t hyp_sim_reg_writes(const struct hyp_sim_cpu *cpu, uint16_t enc)
{
	const struct hyp_sim_reg *r = find_reg(cpu, enc);
	return r ? r->writes : 0;
}

int hyp_sim_mmio_add(struct hyp_sim_cpu *cpu, struct hyp_sim_mmio *region)
{
	uint64_t end;

	if (!cpu || !region)
		return HYP_EINVAL;
	end = region->base + region->size;
	if (!region->size || end < region->base)
		return HYP_EINVAL;
	for (unsigned i = 0; i < cpu->nr_mmio; i++) {
		const struct hyp_sim_mmio *o = cpu->mmio[i];
		if (region->base < o->base + o->size && o->base < end)
			return HYP_EINVAL;
	}
	if (cpu->nr_mmio == HYP_SIM_MAX_MMIO)
		return HYP_ENOMEM;
	cpu->mmio[cpu->nr_mmio++] = region;
	return 0;
}

static struct hyp_sim_cpu *cur(const char *what)
{
	if (!current)
		fail(NULL, "%s with no current simulated CPU (hyp_sim_set_current)", what);
	return current;
}

static void record(struct hyp_sim_cpu *cpu, enum hyp_sim_kind kind, unsigned arg, uint16_t enc,
		   uint64_t addr, uint64_t val, uint64_t aux)
{
	cpu->counts[kind]++;
	if (kind == HYP_SIM_PTE_READ && !cpu->log_pte_reads)
		return;
	if (cpu->log_len == HYP_SIM_LOG_MAX) {
		cpu->log_overflow = true;
		return;
	}
	cpu->log[cpu->log_len++] = (struct hyp_sim_event){
		.kind = (uint8_t)kind, .arg = (uint8_t)arg, .enc = enc,
		.addr = addr,          .val = val,          .aux = aux,
	};
}

uint64_t hyp_sim_sysreg_read(uint16_t enc)
{
	struct hyp_sim_cpu *cpu = cur("sysreg read");
	struct hyp_sim_reg *r;
	uint64_t v;

	if (!cpu)
		return 0;
	r = find_reg(cpu, enc);
	if (!r) {
		fail(cpu, "read of undefined register %s (op0=%u op1=%u CRn=%u CRm=%u op2=%u)",
		     hyp_sysreg_name(enc), HYP_SYSREG_OP0(enc), HYP_SYSREG_OP1(enc),
		     HYP_SYSREG_CRN(enc), HYP_SYSREG_CRM(enc), HYP_SYSREG_OP2(enc));
		return 0;
	}
	r->reads++;
	v = r->read ? r->read(cpu, enc, r->ctx) : r->val;
	record(cpu, HYP_SIM_SYSREG_READ, 0, enc, 0, v, 0);
	return v;
}

void hyp_sim_sysreg_write(uint16_t enc, uint64_t val)
{
	struct hyp_sim_cpu *cpu = cur("sysreg write");
	struct hyp_sim_reg *r;
	int id;

	if (!cpu)
		return;
	r = find_reg(cpu, enc);
	if (!r) {
		fail(cpu, "write of undefined register %s (op0=%u op1=%u CRn=%u CRm=%u op2=%u)",
		     hyp_sysreg_name(enc), HYP_SYSREG_OP0(enc), HYP_SYSREG_OP1(enc),
		     HYP_SYSREG_CRN(enc), HYP_SYSREG_CRM(enc), HYP_SYSREG_OP2(enc));
		return;
	}
	id = hyp_sysreg_lookup(enc);
	if (id >= 0 && (hyp_sysreg_table[id].flags & HYP_RF_RO)) {
		fail(cpu, "write of read-only register %s", hyp_sysreg_name(enc));
		return;
	}
	r->writes++;
	record(cpu, HYP_SIM_SYSREG_WRITE, 0, enc, 0, val, 0);
	if (r->write)
		r->write(cpu, enc, val, r->ctx);
	else
		r->val = val;
}

void hyp_sim_barrier(enum hyp_sim_kind kind, unsigned opt)
{
	struct hyp_sim_cpu *cpu = cur("barrier");

	if (cpu)
		record(cpu, kind, opt, 0, 0, 0, 0);
}

void hyp_sim_tlbi(enum hyp_sim_tlbi op, uint64_t operand)
{
	struct hyp_sim_cpu *cpu = cur("TLBI");
	struct hyp_sim_reg *vttbr;

	if (!cpu)
		return;
	/* Record which VMID the hardware would have used, without counting a
	 * register access the code did not make. */
	vttbr = find_reg(cpu, HYP_SYS_VTTBR_EL2);
	/* At EL2 with HCR_EL2.{E2H, TGE} = {1, 1}, TLBI VMALLE1IS acts on the
	 * EL2&0 regime (Arm ARM C5.5.78): a guest's stage-1 entries survive
	 * and the host's go. The stage-2 TLBIs act on EL1&0 whatever TGE
	 * (C5.5.81). HCR_EL2 is peeked, not counted, as VTTBR_EL2 above. */
	if (op == HYP_SIM_TLBI_VMALLE1IS) {
		struct hyp_sim_reg *hcr = find_reg(cpu, HYP_SYS_HCR_EL2);

		if (hcr && (hcr->val & HYP_HCR_E2H) && (hcr->val & HYP_HCR_TGE))
			fail(cpu, "TLBI VMALLE1IS with HCR_EL2.{E2H, TGE} = {1, 1} invalidates the "
				  "EL2&0 regime, not the guest's EL1&0 (Arm ARM C5.5.78)");
	}
	cpu->tlbi_counts[op]++;
	record(cpu, HYP_SIM_TLBI, op, 0, 0, operand, vttbr ? vttbr->val : 0);
}

void hyp_sim_cmo(enum hyp_sim_kind kind, uint64_t va, uint64_t size, unsigned line_shift)
{
	struct hyp_sim_cpu *cpu = cur("cache maintenance");
	uint64_t line, lines;

	if (!cpu)
		return;
	if (line_shift < 2 || line_shift > 11) {
		fail(cpu, "%s with line size 2^%u (CTR_EL0 gives 2^4..2^11)",
		     hyp_sim_kind_name(kind), line_shift);
		return;
	}
	line = 1ull << line_shift;
	lines = size ? ((va + size + line - 1) / line) - (va / line) : 0;
	if (kind == HYP_SIM_DC_CIVAC)
		cpu->dc_lines += lines;
	else
		cpu->ic_lines += lines;
	record(cpu, kind, line_shift, 0, va, size, lines);
}

void hyp_sim_ic_iallu(void)
{
	struct hyp_sim_cpu *cpu = cur("IC IALLUIS");

	if (cpu)
		record(cpu, HYP_SIM_IC_IALLU, 0, 0, 0, 0, 0);
}

static struct hyp_sim_mmio *mmio_check(struct hyp_sim_cpu *cpu, uint64_t addr, unsigned width,
				       const char *dir)
{
	for (unsigned i = 0; i < cpu->nr_mmio; i++) {
		struct hyp_sim_mmio *r = cpu->mmio[i];
		if (addr < r->base || addr - r->base >= r->size)
			continue;
		if (addr % width || addr - r->base + width > r->size ||
		    (r->widths && !(r->widths & width))) {
			fail(cpu, "%u-byte MMIO %s at %#llx: width or alignment not accepted by %s",
			     width, dir, (unsigned long long)addr, r->name ? r->name : "region");
			return NULL;
		}
		if (!r->backing && (dir[0] == 'r' ? !r->read : !r->write)) {
			fail(cpu, "MMIO %s at %#llx: %s has neither hook nor backing", dir,
			     (unsigned long long)addr, r->name ? r->name : "region");
			return NULL;
		}
		return r;
	}
	fail(cpu, "%u-byte MMIO %s at %#llx outside every simulated region", width, dir,
	     (unsigned long long)addr);
	return NULL;
}

uint64_t hyp_sim_mmio_read(uint64_t addr, unsigned width)
{
	struct hyp_sim_cpu *cpu = cur("MMIO read");
	struct hyp_sim_mmio *r;
	uint64_t off, v = 0;

	if (!cpu || !(r = mmio_check(cpu, addr, width, "read")))
		return 0;
	off = addr - r->base;
	r->reads++;
	if (r->read) {
		v = r->read(r, off, width);
	} else {
		for (unsigned i = 0; i < width; i++)
			v |= (uint64_t)r->backing[off + i] << (8 * i);
	}
	record(cpu, HYP_SIM_MMIO_READ, width, 0, addr, v, 0);
	return v;
}

void hyp_sim_mmio_write(uint64_t addr, unsigned width, uint64_t val)
{
	struct hyp_sim_cpu *cpu = cur("MMIO write");
	struct hyp_sim_mmio *r;
	uint64_t off;

	if (!cpu || !(r = mmio_check(cpu, addr, width, "write")))
		return;
	off = addr - r->base;
	r->writes++;
	record(cpu, HYP_SIM_MMIO_WRITE, width, 0, addr, val, 0);
	if (r->write) {
		r->write(r, off, width, val);
	} else {
		for (unsigned i = 0; i < width; i++)
			r->backing[off + i] = (uint8_t)(val >> (8 * i));
	}
}

uint64_t hyp_sim_pte_read(volatile uint64_t *p, bool acquire)
{
	struct hyp_sim_cpu *cpu = cur("PTE read");
	uint64_t v = __atomic_load_n(p, acquire ? __ATOMIC_ACQUIRE : __ATOMIC_RELAXED);

	if (cpu)
		record(cpu, HYP_SIM_PTE_READ, acquire, 0, (uint64_t)(uintptr_t)p, v, 0);
	return v;
}

void hyp_sim_pte_write(volatile uint64_t *p, uint64_t v, bool release)
{
	struct hyp_sim_cpu *cpu = cur("PTE write");

	__atomic_store_n(p, v, release ? __ATOMIC_RELEASE : __ATOMIC_RELAXED);
	if (cpu)
		record(cpu, HYP_SIM_PTE_WRITE, release, 0, (uint64_t)(uintptr_t)p, v, 0);
}

uint64_t hyp_sim_pte_cas(volatile uint64_t *p, uint64_t old, uint64_t new_)
{
	struct hyp_sim_cpu *cpu = cur("PTE compare-and-swap");
	uint64_t seen = old;
	bool ok = __atomic_compare_exchange_n(p, &seen, new_, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED);

	if (cpu)
		record(cpu, HYP_SIM_PTE_CAS, ok, 0, (uint64_t)(uintptr_t)p, new_, seen);
	return seen;
}

void hyp_sim_set_at(struct hyp_sim_cpu *cpu, hyp_sim_at_fn fn, void *ctx)
{
	if (!cpu)
		return;
	cpu->at = fn;
	cpu->at_ctx = ctx;
}

void hyp_sim_at_s1e1r(uint64_t va)
{
	struct hyp_sim_cpu *cpu = cur("AT S1E1R");
	struct hyp_sim_reg *par;
	uint64_t v;

	if (!cpu)
		return;
	par = find_reg(cpu, HYP_SYS_PAR_EL1);
	if (!par || !cpu->at) {
		fail(cpu, "AT S1E1R at %#llx without %s", (unsigned long long)va,
		     par ? "a translation model (hyp_sim_set_at)" : "PAR_EL1 defined");
		return;
	}
	/* An indirect write: not an MSR, not counted as one. */
	v = cpu->at(cpu, va, cpu->at_ctx);
	par->val = v;
	record(cpu, HYP_SIM_AT, 0, 0, va, v, 0);
}

/* ISR_EL1 (Arm ARM D24.2.118): A, bit 8. DISR_EL1 (D24.9.1): A, bit 31. */
#define SIM_ISR_EL1 HYP_SYSREG_ENC(3, 0, 12, 1, 0)
#define SIM_ISR_A   (1ull << 8)

static bool serror_pending(struct hyp_sim_cpu *cpu, struct hyp_sim_reg **isr)
{
	*isr = find_reg(cpu, SIM_ISR_EL1);
	return *isr && ((*isr)->val & SIM_ISR_A);
}

void hyp_sim_esb(void)
{
	struct hyp_sim_cpu *cpu = cur("ESB");
	struct hyp_sim_reg *isr, *disr;
	bool defer;

	if (!cpu)
		return;
	disr = find_reg(cpu, HYP_SYS_DISR_EL1);
	defer = disr && serror_pending(cpu, &isr);
	if (defer) {
		disr->val = (1ull << 31) | (cpu->serror_iss & 0x1ffffffu);
		isr->val &= ~SIM_ISR_A;
	}
	record(cpu, HYP_SIM_ESB, defer, 0, 0, 0, 0);
}

uint64_t hyp_sim_serror_take(void)
{
	struct hyp_sim_cpu *cpu = cur("SError take");
	struct hyp_sim_reg *isr;
	uint64_t v = 0;

	if (!cpu)
		return 0;
	if (serror_pending(cpu, &isr)) {
		isr->val &= ~SIM_ISR_A;
		v = (1ull << 63) | (0x2full << 26) | (1ull << 25) | (cpu->serror_iss & 0x1ffffffu);
	}
	record(cpu, HYP_SIM_SERROR_TAKE, 0, 0, 0, v, 0);
	return v;
}

int hyp_sim_log_find(const struct hyp_sim_cpu *cpu, unsigned from, enum hyp_sim_kind kind,
		     uint64_t addr)
{
	if (!cpu)
		return -1;
	for (unsigned i = from; i < cpu->log_len; i++) {
		if (cpu->log[i].kind == kind && (addr == ~0ull || cpu->log[i].addr == addr))
			return (int)i;
	}
	return -1;
}

uint32_t hyp_sim_total(const struct hyp_sim_cpu *cpu)
{
	uint32_t n = 0;

	if (!cpu)
		return 0;
	for (unsigned k = 0; k < HYP_SIM_KIND_COUNT; k++)
		n += cpu->counts[k];
	return n;
}
