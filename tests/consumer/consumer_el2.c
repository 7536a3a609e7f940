/* SPDX-License-Identifier: MIT */
/* A freestanding EL2 translation unit built against an installed (or
 * subproject) aarch64 libhyp with only what pkg-config / libhyp_dep give
 * it: the public headers of several modules, inline seam accessors, and
 * calls that pull their objects out of libhyp.a. check-install.py and
 * check-subproject.py link it with libhyp.a (a relocatable link, -r: the
 * image would add its start code and memcpy/memmove/memset/memcmp) and
 * check that nothing but those four is left undefined; the images that
 * run on QEMU are tests/consumers/. */
#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/hw.h>
#include <libhyp/stage2.h>
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>
#include <libhyp/version.h>
#include <libhyp/vgic.h>

#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#error "libhyp's flags make a freestanding build (-ffreestanding is missing)"
#endif
#if defined(__ARM_NEON)
#error "libhyp's flags keep EL2 code off FP/SIMD (-mgeneral-regs-only is missing)"
#endif

static struct hyp_cpufeat_cpu cpus[1];
static struct hyp_vgic_hw gic;
static struct hyp_pgtable pgt;

/* Linked, not run: every result goes to TPIDR_EL2 so that no call is
 * optimised away. */
void consumer_start(void);
void consumer_start(void)
{
	uint64_t pa = 0, acc = hyp_version();
	unsigned int prot = 0;

	acc += (uintptr_t)hyp_strerror(HYP_EINVAL);
	acc += (uintptr_t)hyp_sysreg_name(HYP_SYS_HCR_EL2);
	acc += (uint64_t)hyp_cpufeat_init(cpus, 1);
	acc += (uint64_t)hyp_vgic_hw_init_v3(&gic);
	acc += (uint64_t)hyp_pgtable_translate(&pgt, 0, &pa, &prot) + pa + prot;
	acc += hyp_read_sysreg(HYP_SYS_MIDR_EL1);
	hyp_write_sysreg(HYP_SYS_TPIDR_EL2, acc);
	for (;;)
		hyp_isb();
}
