/* SPDX-License-Identifier: MIT */
/* fold_e2h.h with the EL2 mode fixed to E2H = 1. */
#define LIBHYP_E2H 1
#define FOLD_SUFFIX e2h1
#include "fold_e2h.h"
