#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-symbols.py NM LIBRARY [PREFIX]: fail if the archive LIBRARY defines
a global symbol that does not start with PREFIX (default "hyp_"; internal
symbols are "hyp__..."). libhyp links into someone else's EL2 image: a
global "walk" or "tlb_flush" would clash with the integrator's own symbols.
Run on the host and the aarch64 builds (test symbols-prefix)."""
import subprocess
import sys

nm, lib = sys.argv[1], sys.argv[2]
prefix = sys.argv[3] if len(sys.argv) > 3 else 'hyp_'
# What sanitizer and coverage instrumentation adds (ASan's ODR indicators
# "__odr_asan.<global>"...): the compiler's names, not the library's.
INSTRUMENTATION = ('__odr_asan', '__asan_', '__ubsan_', '__tsan_', '__sancov_', '__llvm_')
out = subprocess.run([nm, lib], check=True, stdout=subprocess.PIPE, text=True).stdout
defined, bad = set(), set()
for line in out.splitlines():
    parts = line.split()
    # "ADDRESS TYPE NAME": an upper-case type is a global symbol (U is an
    # undefined one); "V" / "W" are weak definitions, also global.
    if len(parts) != 3 or not parts[1].isupper() or parts[1] == 'U':
        continue
    if parts[2].startswith(INSTRUMENTATION):
        continue
    defined.add(parts[2])
    if not parts[2].startswith(prefix):
        bad.add(parts[2])
print(f'{lib}: {len(defined)} global symbols defined')
if not defined:
    print('FAIL: no global symbol found (wrong nm or an empty archive?)')
    sys.exit(1)
if bad:
    print(f'FAIL: {len(bad)} global symbols without the "{prefix}" prefix: {sorted(bad)}')
    sys.exit(1)
print(f'ok: every one starts with "{prefix}"')
