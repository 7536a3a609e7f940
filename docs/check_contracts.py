#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every public function of include/libhyp states its concurrency contract.

Doxygen (WARN_NO_PARAMDOC, WARN_IF_INCOMPLETE_DOC) checks parameters and
return values; this checks the doc comment of every function declared or
defined in the public headers (and every function-like hyp_ macro) has an
@concurrency paragraph: which CPU may call it, under which lock, what it may
race with. Usage: check_contracts.py INCLUDE_LIBHYP_DIR (checks its *.h
and hw/sim.h; the backends' inline seam is documented once, in hw.h).
"""
import glob
import os
import re
import sys

FUNC = re.compile(r'^(?:static inline |extern )?(?:const )?(?:struct |enum |unsigned )?'
                  r'[a-z_0-9]+ \**(hyp_[a-z0-9_]+)\(|^#define (hyp_[a-z0-9_]+)\(', re.M)

missing = []
root = sys.argv[1]
sim = [os.path.join(root, 'hw', 'sim.h')] if os.path.isdir(os.path.join(root, 'hw')) else []
for path in sorted(glob.glob(os.path.join(root, '*.h'))) + sim:
    src = open(path, encoding='utf-8').read()
    for m in FUNC.finditer(src):
        name = m.group(1) or m.group(2)
        before = src[:m.start()].rstrip()
        comment = before[before.rfind('/**'):] if before.endswith('*/') else ''
        if '@concurrency' not in comment:
            missing.append(f'{path}: {name}')
for line in missing:
    print(f'no @concurrency: {line}')
sys.exit(1 if missing else 0)
