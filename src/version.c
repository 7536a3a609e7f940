/* SPDX-License-Identifier: MIT */
#include <libhyp/version.h>

uint32_t hyp_version(void)
{
	return HYP_VERSION;
}
