/* SPDX-License-Identifier: MIT */
/**
 * @file error.h
 * @brief The one enum of error codes every libhyp function returns.
 *
 * Functions return 0 (or a non-negative value) on success and one of these
 * negative codes on failure. A function that fails on bad input changes
 * nothing.
 */
#ifndef LIBHYP_ERROR_H
#define LIBHYP_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief libhyp error codes. X(name, value, description).
 */
#define HYP_ERRORS(X)                                                  \
	X(HYP_EINVAL, -1, "invalid argument")                          \
	X(HYP_ENOENT, -2, "no such entry")                             \
	X(HYP_ENOMEM, -3, "out of memory (allocation hook failed)")    \
	X(HYP_EEXIST, -4, "already exists")                            \
	X(HYP_EBUSY, -5, "busy")                                       \
	X(HYP_EAGAIN, -6, "try again (lost a race)")                   \
	X(HYP_ENOTSUP, -7, "not supported by this CPU or VM")          \
	X(HYP_ERANGE, -8, "out of range")                              \
	X(HYP_EPERM, -9, "not permitted")                              \
	X(HYP_EFAULT, -10, "bad address")                              \
	X(HYP_ESTATE, -11, "called in the wrong state")                \
	X(HYP_EMISMATCH, -12, "CPUs disagree on a feature")

/** @brief Error codes, all negative; 0 is success (HYP_OK). */
enum hyp_error {
	HYP_OK = 0, /**< success */
#define HYP_X_ERR_ENUM(name, value, desc) name = (value),
	HYP_ERRORS(HYP_X_ERR_ENUM)
#undef HYP_X_ERR_ENUM
};

/**
 * @brief A short description of an error code, for logs.
 *
 * Touches no hardware.
 * @param err HYP_OK or one of the negative enum hyp_error codes
 * @return a constant string; "unknown error" for a value not in the enum
 * @concurrency Pure: any CPU, any time.
 */
const char *hyp_strerror(int err);

/**
 * @brief The enumerator name of an error code ("HYP_EINVAL"), for logs.
 * @return a constant string; "HYP_E?" for a value not in the enum
 * @param err HYP_OK or one of the negative enum hyp_error codes
 * @concurrency Pure: any CPU, any time. Touches no hardware.
 */
const char *hyp_error_name(int err);

#ifdef __cplusplus
}
#endif

#endif /* LIBHYP_ERROR_H */
