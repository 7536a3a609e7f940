/* SPDX-License-Identifier: MIT */
/* The control-register field table as data (its own object, so that only
 * an image that walks it links it). */
#include <libhyp/ctrlregs.h>

const struct hyp_ctrl_field_desc hyp_ctrl_field_table[HYP_CTRLF_COUNT] = {
#define HYP_X_CTRLF_DESC(reg_, field_, lsb_, width_, doc_)                    \
	[HYP_CTRLF_##reg_##_##field_] = { .reg = #reg_, .field = #field_,        \
					  .doc = doc_, .lsb = (lsb_), .width = (width_) },
	HYP_CTRL_FIELDS(HYP_X_CTRLF_DESC)
#undef HYP_X_CTRLF_DESC
};
