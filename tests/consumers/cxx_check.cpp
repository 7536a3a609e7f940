// SPDX-License-Identifier: MIT
// Consumer (a)'s C++ translation unit: every public header of libhyp and
// libhyp-rt in C++17, and calls into both libraries.
//
// The headers carry their own extern "C" guards: included as they are.
#include <libhyp/cpufeat.h>
#include <libhyp/error.h>
#include <libhyp/esr.h>
#include <libhyp/hw.h>
#include <libhyp/pgtable.h>
#include <libhyp/regdefs.h>
#include <libhyp/stage2.h>
#include <libhyp/switch.h>
#include <libhyp/sysreg.h>
#include <libhyp/vgic.h>
#include <libhyp-rt/rt.h>
#include <libhyp/version.h>
#ifdef CONSUMER_FDT
#include <libhyp-fdt/guest.h>
#include <libhyp-fdt/host.h>
#endif

extern "C" unsigned consumer_cxx_check(void);

namespace {
// A pure header function, evaluated in C++: EC of an HVC64 syndrome
// (ESR_ELx.EC 0x16, Arm ARM D24.2.46).
bool hvc_decodes(void) { return hyp_esr_ec(0x5a000001ull) == HYP_EC_HVC64; }
} // namespace

unsigned consumer_cxx_check(void)
{
	unsigned bad = 0;
	const char *name = hyp_error_name(HYP_EINVAL);
	unsigned char a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {};

	bad += !hvc_decodes();
	bad += name == nullptr || name[0] != 'H';
	hyp_rt_memcpy(b, a, sizeof(a));
	bad += hyp_rt_memcmp(a, b, sizeof(a)) != 0;
	bad += !hyp_cpu_has(HYP_CAP_GICV3);
#ifdef CONSUMER_FDT
	hyp_fdt_err err{};
	bad += hyp_fdt_fail(&err, HYP_EINVAL, "C++ %d", 17) != HYP_EINVAL;
	bad += hyp_rt_memcmp(err.msg, "C++ 17", 7) != 0;
#endif
	return bad;
}
