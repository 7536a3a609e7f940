/* SPDX-License-Identifier: MIT */
#include <libhyp/error.h>

const char *hyp_strerror(int err)
{
	switch (err) {
	case HYP_OK:
		return "success";
#define HYP_X_ERR_STR(name, value, desc) \
	case name:                       \
		return desc;
		HYP_ERRORS(HYP_X_ERR_STR)
#undef HYP_X_ERR_STR
	}
	return "unknown error";
}

const char *hyp_error_name(int err)
{
	switch (err) {
	case HYP_OK:
		return "HYP_OK";
#define HYP_X_ERR_NAME(name, value, desc) \
	case name:                        \
		return #name;
		HYP_ERRORS(HYP_X_ERR_NAME)
#undef HYP_X_ERR_NAME
	}
	return "HYP_E?";
}
