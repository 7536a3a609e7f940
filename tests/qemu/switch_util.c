/* SPDX-License-Identifier: MIT */
#include "switch_util.h"

#include "testlib.h"

/* QEMU virt, gic-version=3: distributor and CPU 0's redistributor. */
#define GICD_BASE	0x08000000ul
#define GICR_BASE	0x080a0000ul
#define GICR_SGI_BASE	(GICR_BASE + 0x10000ul)
#define GICD_CTLR	0x0
#define GICD_CTLR_RWP	(1u << 31)
#define GICR_WAKER	0x14
#define GICR_IGROUPR0	0x80
#define GICR_ISENABLER0 0x100
#define GICR_ICENABLER0 0x180
#define GICR_IPRIORITYR 0x400

bool sw_host_setup(void)
{
	uint64_t mmfr1 = hyp_read_sysreg(HYP_SYS_ID_AA64MMFR1_EL1);
	bool vhe = HYP_IDF_GET(ID_AA64MMFR1_EL1, VH, mmfr1) != 0;

	/* E2H is switched on with the EL2 MMU off: only register routing
	 * changes for this image. */
	hyp_write_sysreg(HYP_SYS_HCR_EL2, HYP_HCR_RW | (vhe ? HYP_HCR_E2H : 0));
	hyp_isb();
	hyp_write_sysreg(HYP_SYS_VBAR_EL2, (uint64_t)(uintptr_t)hyp_switch_vectors);
	hyp_isb();
	test_puts(vhe ? "host: VHE (E2H=1)\n" : "host: nVHE (E2H=0)\n");
	return vhe;
}

uint64_t sw_guest_hcr(bool vhe, uint64_t extra)
{
	return HYP_HCR_RW | HYP_HCR_IMO | HYP_HCR_FMO | HYP_HCR_AMO | HYP_HCR_TSC |
	       (vhe ? HYP_HCR_E2H : 0) | extra;
}

void sw_gic_enable_ppi(unsigned intid)
{
	uint32_t v;
	uintptr_t prio = GICR_SGI_BASE + GICR_IPRIORITYR + (intid & ~3u);
	unsigned shift = (intid & 3u) * 8;

	/* Affinity routing, both groups (security disabled on QEMU virt). */
	hyp_mmio_write32(GICD_BASE + GICD_CTLR, (1u << 4) | (1u << 1) | 1u);
	while (hyp_mmio_read32(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		;
	v = hyp_mmio_read32(GICR_BASE + GICR_WAKER);
	hyp_mmio_write32(GICR_BASE + GICR_WAKER, v & ~(1u << 1));   /* ProcessorSleep */
	while (hyp_mmio_read32(GICR_BASE + GICR_WAKER) & (1u << 2)) /* ChildrenAsleep */
		;
	hyp_mmio_write32(GICR_SGI_BASE + GICR_IGROUPR0,
			 hyp_mmio_read32(GICR_SGI_BASE + GICR_IGROUPR0) | (1u << intid));
	v = hyp_mmio_read32(prio);
	hyp_mmio_write32(prio, (v & ~(0xffu << shift)) | (0x80u << shift));
	hyp_mmio_write32(GICR_SGI_BASE + GICR_ISENABLER0, 1u << intid);

	/* The EL2 CPU interface: system registers, all priorities, group 1. */
	hyp_write_sysreg(HYP_SYS_ICC_SRE_EL2, hyp_read_sysreg(HYP_SYS_ICC_SRE_EL2) | 0x9);
	hyp_isb();
	hyp_write_sysreg(HYP_SYS_ICC_PMR_EL1, 0xff);
	hyp_write_sysreg(HYP_SYS_ICC_IGRPEN1_EL1, 1);
	hyp_isb();
}

unsigned sw_gic_ack(void)
{
	return (unsigned)(hyp_read_sysreg(HYP_SYS_ICC_IAR1_EL1) & 0xffffff);
}

void sw_gic_eoi(unsigned intid)
{
	hyp_write_sysreg(HYP_SYS_ICC_EOIR1_EL1, intid);
	hyp_isb();
}

void sw_put_dec(uint64_t v)
{
	char buf[21];
	int n = 20;

	buf[n] = 0;
	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	test_puts(&buf[n]);
}

struct hyp_el2_fault sw_el2_expected;
bool sw_el2_expect;

/* An exception taken at EL2 is a bug unless a test announced it (then it
 * is recorded, and the frame's X5 and ELR changed to prove the return
 * path reloads them). */
void hyp_switch_el2_fault(struct hyp_el2_fault *f)
{
	if (sw_el2_expect) {
		sw_el2_expect = false;
		sw_el2_expected = *f;
		f->x[5] = 0x6666;
		f->elr += 4;
		return;
	}
	test_print_reg("UNEXPECTED EL2 exception, vector", f->vector);
	test_print_reg("ESR_EL2", f->esr);
	test_print_reg("ELR_EL2", f->elr);
	test_print_reg("FAR_EL2", f->far);
	test_power_off();
}

void sw_gic_mask_ppi(unsigned intid, bool mask)
{
	/* GICR_ICENABLER0 / GICR_ISENABLER0 (IHI 0069 12.11). */
	hyp_mmio_write32(GICR_SGI_BASE + (mask ? GICR_ICENABLER0 : GICR_ISENABLER0),
			 1u << (intid & 31));
}
