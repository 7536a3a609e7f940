/* SPDX-License-Identifier: MIT */
/*
 * minihyp's statistics (issue 15, docs/minihyp.md "Statistics"): what each
 * vCPU's exits were, what the sysreg engine, the vGIC and the stage 2 did
 * for it, printed when its VM ends as `minihyp: stats vmN ...` lines.
 *
 * Counting costs a few instructions per run-loop exit (mh_stats_exit())
 * and nothing on the fast path unless minihyp.stats=1 asks for its exits
 * too (mh_stats_vm_init(): about 60 instructions more per fast-path exit,
 * docs/minihyp.md). libhyp keeps its own counters per vCPU
 * (hyp_sysreg_vcpu_stats(), hyp_vgic_vcpu::stats) and per table
 * (hyp_s2_stats()); this file reads them. Touches hardware only through
 * mh_printf() (the console).
 */
#include <libhyp/esr.h>
#include <libhyp/stage2.h>
#include <libhyp/sysreg.h>
#include <libhyp/vgic.h>

#include "minihyp.h"

#define MH_VCPU(hv) ((struct mh_vcpu *)(void *)((char *)(hv)-offsetof(struct mh_vcpu, v)))

/* Engine register lines per vCPU at most (the rest summed on one line). */
#define MH_STATS_ENGINE_LINES 40

/* ---- counting */

void mh_stats_detail(struct mh_vcpu *mv, unsigned int cls, uint64_t esr, unsigned int intid)
{
	struct mh_vcpu_stats *st = &mv->st;

	if (cls == HYP_EC_SYS64) {
		const uint16_t enc = hyp_esr_sys_enc(esr);

		for (unsigned int i = 0; i < MH_STATS_SYSREGS; i++) {
			if (!st->sr_count[i])
				st->sr_enc[i] = enc;
			else if (st->sr_enc[i] != enc)
				continue;
			st->sr_count[i]++;
			return;
		}
		st->sr_more++;
		return;
	}
	/* An IRQ exit: its source, and the LRs the vCPU had in use. */
	{
		const struct mh_gic *g = mv->vm->gic;
		unsigned int lrs = 0;

		/* no libgcc in minihyp: no __builtin_popcount() */
		for (unsigned int m = mv->gv->used_lrs; m; m &= m - 1)
			lrs++;

		if (intid == g->maint)
			st->irq_maint++;
		else if (intid == g->vtimer || intid == g->ptimer || intid == g->htimer)
			st->irq_timer++;
		else if (intid == MH_KICK_SGI)
			st->irq_kick++;
		else if (intid >= 32 && intid < 1020)
			st->irq_device++;
		else
			st->irq_other++;
		if (lrs > st->lr_max)
			st->lr_max = lrs;
	}
}

/* A counting entry in front of a fast-path handler: the exits it answers
 * are counted (those it leaves to the run loop are counted there). */
static int count_fast(struct hyp_vcpu *v, uint64_t esr, const struct hyp_fast_entry *self)
{
	const struct hyp_fast_entry *in = self->ctx;
	int r = in->fn(v, esr, in);

	if (r != HYP_FAST_EXIT)
		mh_stats_exit(MH_VCPU(v), HYP_EXIT_SYNC, esr, 1023);
	return r;
}

void mh_stats_vm_init(struct mh_vm *vm)
{
	vm->st.fast_counted = false;
	/* Without the fast path every exit reaches the run loop already. */
	if (!vm->cfg.stats || vm->fast != &vm->table)
		return;
	for (unsigned int ec = 0; ec <= HYP_EC_MAX; ec++) {
		if (!vm->table.entry[ec].fn)
			continue;
		vm->st.inner[ec] = vm->table.entry[ec];
		vm->table.entry[ec] = (struct hyp_fast_entry){count_fast, &vm->st.inner[ec]};
	}
	/* Calls answered before the register save would not be counted. */
	vm->table.smccc_answers = NULL;
	vm->st.fast_counted = true;
}

/* ---- printing: one line at a time (mh_printf() keeps a line whole on a
 * console shared by every CPU), continued on a new line when long */

struct line {
	char buf[200];
	unsigned int n, start; /* length, and length of the prefix */
	bool items;	       /* an item after the prefix */
};

static void put_str(struct line *l, const char *s)
{
	while (*s && l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = *s++;
}

static void put_u64(struct line *l, uint64_t v)
{
	char d[20];
	unsigned int i = 0;

	do {
		d[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i && l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = d[--i];
}

static void line_start(struct line *l, const struct mh_vm *vm, int vcpu, const char *what)
{
	l->n = 0;
	l->items = false;
	put_str(l, "minihyp: stats vm");
	put_u64(l, vm->index);
	if (vcpu >= 0) {
		put_str(l, " vcpu");
		put_u64(l, (unsigned int)vcpu);
	}
	if (what) {
		put_str(l, " ");
		put_str(l, what);
	}
	l->start = l->n;
}

static void line_end(struct line *l)
{
	if (l->items) {
		l->buf[l->n] = 0;
		mh_printf("%s\n", l->buf);
	}
	l->n = l->start;
	l->items = false;
}

/* " name=value", or nothing for 0; a full line is printed and continued. */
static void item(struct line *l, const char *name, uint64_t v)
{
	if (!v)
		return;
	if (l->n + 48 > sizeof(l->buf))
		line_end(l);
	put_str(l, " ");
	put_str(l, name);
	put_str(l, "=");
	put_u64(l, v);
	l->items = true;
}

static const char *const ec_names[HYP_EC_MAX + 1] = {
    [HYP_EC_UNKNOWN] = "unknown", [HYP_EC_WFX] = "wfx",	      [HYP_EC_CP15_32] = "cp15",
    [HYP_EC_CP15_64] = "cp15-64", [HYP_EC_CP14_MR] = "cp14",    [HYP_EC_CP14_LS] = "cp14-ls",
    [HYP_EC_FP_ASIMD] = "fp",	  [HYP_EC_CP10_ID] = "cp10",    [HYP_EC_PAC] = "pac",
    [HYP_EC_CP14_64] = "cp14-64", [HYP_EC_BTI] = "bti",	      [HYP_EC_ILL] = "illegal",
    [HYP_EC_SVC32] = "svc32",	  [HYP_EC_HVC32] = "hvc32",     [HYP_EC_SMC32] = "smc32",
    [HYP_EC_SVC64] = "svc",	  [HYP_EC_HVC64] = "hvc",	      [HYP_EC_SMC64] = "smc",
    [HYP_EC_SYS64] = "sysreg",	  [HYP_EC_SVE] = "sve",	      [HYP_EC_ERET] = "eret",
    [HYP_EC_FPAC] = "fpac",	  [HYP_EC_SME] = "sme",	      [HYP_EC_IABT_LOW] = "iabt",
    [HYP_EC_PC_ALIGN] = "pc-align", [HYP_EC_DABT_LOW] = "dabt", [HYP_EC_SP_ALIGN] = "sp-align",
    [HYP_EC_FP_EXC32] = "fpexc32", [HYP_EC_FP_EXC64] = "fpexc", [HYP_EC_BREAKPT_LOW] = "breakpoint",
    [HYP_EC_SOFTSTP_LOW] = "step", [HYP_EC_WATCHPT_LOW] = "watchpoint", [HYP_EC_BKPT32] = "bkpt32",
    [HYP_EC_VECTOR32] = "vector32",
};

static void print_exits(struct line *l, const struct mh_vm *vm, const struct mh_vcpu *mv,
			unsigned int i)
{
	static const char *const async_names[] = {"irq", "fiq", "serror", "other"};
	uint64_t total = 0;
	char name[8] = "ec0x00";

	for (unsigned int c = 0; c < MH_XC_NR; c++)
		total += mv->st.exits[c];
	line_start(l, vm, (int)i,
		   vm->st.fast_counted || vm->fast != &vm->table ? "exits scope=all"
								 : "exits scope=run-loop");
	item(l, "total", total);
	for (unsigned int c = 0; c < MH_XC_NR; c++) {
		const char *n = c > HYP_EC_MAX ? async_names[c - HYP_EC_MAX - 1] : ec_names[c];

		if (!n) {
			name[4] = "0123456789abcdef"[c >> 4];
			name[5] = "0123456789abcdef"[c & 15];
			n = name;
		}
		item(l, n, mv->st.exits[c]);
	}
	/* A vCPU that never exited still says so. */
	if (!l->items) {
		put_str(l, " total=0");
		l->items = true;
	}
	line_end(l);
}

/* The name of a packed MSR/MRS encoding: the register table's, else
 * S<op0>_<op1>_C<n>_C<m>_<op2>. */
static void put_reg(struct line *l, uint16_t enc)
{
	int id = hyp_sysreg_lookup(enc);

	if (id >= 0) {
		put_str(l, hyp_sysreg_table[id].name);
		return;
	}
	put_str(l, "S");
	put_u64(l, enc >> 14);
	put_str(l, "_");
	put_u64(l, (enc >> 11) & 7);
	put_str(l, "_C");
	put_u64(l, (enc >> 7) & 15);
	put_str(l, "_C");
	put_u64(l, (enc >> 3) & 15);
	put_str(l, "_");
	put_u64(l, enc & 7);
}

static void print_sysreg(struct line *l, const struct mh_vm *vm, const struct mh_vcpu *mv,
			 unsigned int i)
{
	struct hyp_sysreg_stats sr;
	unsigned int lines = 0, more_regs = 0;
	uint64_t more = 0;

	/* Every MSR/MRS trap by encoding (all of them with scope=all). */
	for (unsigned int k = 0; k < MH_STATS_SYSREGS && mv->st.sr_count[k]; k++) {
		line_start(l, vm, (int)i, "sysreg ");
		put_reg(l, mv->st.sr_enc[k]);
		l->start = l->n;
		item(l, "traps", mv->st.sr_count[k]);
		line_end(l);
	}
	line_start(l, vm, (int)i, "sysreg-more");
	item(l, "traps", mv->st.sr_more);
	line_end(l);

	/* The engine's view: the traps it answered, by register, and for a
	 * DIRTY register its group's saves avoided per member. */
	if (hyp_sysreg_vcpu_stats(&mv->sr, &sr))
		return;
	for (unsigned int id = 0; id < HYP_REG_COUNT; id++) {
		unsigned int g = HYP_SYSREG_MAX_GROUPS;
		uint64_t avoided = 0;

		for (unsigned int k = 0; k < vm->sysreg.nr_groups; k++)
			if (hyp_sysreg_mask_test(&vm->sysreg.groups[k].members, id))
				g = k;
		if (g < HYP_SYSREG_MAX_GROUPS && vm->sysreg.groups[g].nr)
			avoided = sr.saves_avoided[g] / vm->sysreg.groups[g].nr;
		if (!sr.reg_traps[id] && !avoided)
			continue;
		if (lines == MH_STATS_ENGINE_LINES) {
			more_regs++;
			more += sr.reg_traps[id];
			continue;
		}
		lines++;
		line_start(l, vm, (int)i, "sysreg-engine ");
		put_str(l, hyp_sysreg_table[id].name);
		put_str(l, " policy=");
		put_str(l, hyp_sysreg_policy_name(vm->sysreg.policy[id]));
		l->start = l->n;
		l->items = true; /* printed even with no trap: its saves avoided */
		item(l, "traps", sr.reg_traps[id]);
		if (g < HYP_SYSREG_MAX_GROUPS) {
			put_str(l, " group=");
			put_u64(l, g);
			item(l, "saves-avoided", avoided);
		}
		line_end(l);
	}
	line_start(l, vm, (int)i, "sysreg-engine-more");
	item(l, "regs", more_regs);
	item(l, "traps", more);
	item(l, "undef", sr.undef_traps);
	line_end(l);

	for (unsigned int g = 0; g < vm->sysreg.nr_groups; g++) {
		line_start(l, vm, (int)i, "sysreg-group ");
		put_u64(l, g);
		put_str(l, vm->sysreg.groups[g].tvm ? " trap=tvm" : " trap=fgt");
		put_str(l, " regs=");
		put_u64(l, vm->sysreg.groups[g].nr);
		l->start = l->n;
		item(l, "dirty-traps", sr.dirty_traps[g]);
		item(l, "saves-avoided", sr.saves_avoided[g]);
		item(l, "promotions", sr.promotions[g]);
		item(l, "demotions", sr.demotions[g]);
		item(l, "promoted-puts", sr.promoted_puts[g]);
		line_end(l);
	}
}

static void print_vcpu(struct line *l, const struct mh_vm *vm, unsigned int i)
{
	const struct mh_vcpu *mv = &vm->vcpu[i];
	const struct hyp_vgic_vcpu_stats *gs = &mv->gv->stats;
	uint32_t puts = mv->sr.stats.puts;

	print_exits(l, vm, mv, i);

	line_start(l, vm, (int)i, "irq");
	item(l, "maint", mv->st.irq_maint);
	item(l, "timer", mv->st.irq_timer);
	item(l, "kick", mv->st.irq_kick);
	item(l, "kick-fast", mv->st.irq_kick_fast);
	item(l, "device", mv->st.irq_device);
	item(l, "other", mv->st.irq_other);
	item(l, "forwarded", mv->st.forwarded);
	line_end(l);

	/* loads and puts from the sysreg engine's (every load/put goes
	 * through it): a vCPU loaded now has one load more than puts. */
	line_start(l, vm, (int)i, "sched");
	item(l, "loads", (uint64_t)puts + (mv->sr.loaded ? 1 : 0));
	item(l, "puts", puts);
	item(l, "migrations", mv->migrations);
	item(l, "preemptions", mv->preemptions);
	item(l, "blocks", mv->blocks);
	item(l, "yields", mv->yields);
	line_end(l);

	line_start(l, vm, (int)i, "vgic");
	item(l, "entries", gs->entries);
	item(l, "exits", gs->exits);
	item(l, "lr-writes", gs->delivered);
	item(l, "lr-fast", mv->gv->lr_injected);
	item(l, "lr-max", mv->st.lr_max);
	item(l, "overflows", gs->overflows);
	item(l, "eoi-maint", gs->eois);
	item(l, "mmio", mv->mmio_exits);
	line_end(l);

	line_start(l, vm, (int)i, "s2");
	item(l, "faults", mv->st.s2_faults);
	line_end(l);

	print_sysreg(l, vm, mv, i);
}

void mh_stats_print_vm(const struct mh_vm *vm)
{
	struct line l; /* on the stack: VMs may end on several CPUs at once */
	struct hyp_s2_stats s2;

	line_start(&l, vm, -1, NULL);
	/* issue 15 item 6 (helper M): the sysreg policy (minihyp.policy) */
	put_str(&l, " policy=");
	put_str(&l, mh_policy_name(&vm->cfg));
	l.start = l.n;
	item(&l, "vcpus", vm->nr_vcpus);
	line_end(&l);
	if (!hyp_s2_stats(&vm->s2, &s2)) {
		line_start(&l, vm, -1, "s2");
		item(&l, "dc", s2.dc_ops);
		item(&l, "dc-bytes", s2.dc_bytes);
		item(&l, "ic", s2.ic_ops);
		item(&l, "ic-bytes", s2.ic_bytes);
		line_end(&l);
	}
	line_start(&l, vm, -1, "vgic");
	item(&l, "mmio", vm->vgic.stats.mmio);
	item(&l, "sgis", vm->vgic.stats.sgis);
	item(&l, "unimpl", vm->vgic.stats.unimpl);
	item(&l, "bad-access", vm->vgic.stats.bad_access);
	line_end(&l);
	for (unsigned int i = 0; i < vm->nr_vcpus && i < MH_MAX_VCPUS; i++)
		print_vcpu(&l, vm, i);
}
