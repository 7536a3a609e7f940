#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-undefined.py NM LIBRARY ALLOWED...: fail if `NM -u LIBRARY` lists
a symbol not in ALLOWED (the library must stay freestanding)."""
import subprocess
import sys

nm, lib, allowed = sys.argv[1], sys.argv[2], set(sys.argv[3:])
out = subprocess.run([nm, '-u', lib], check=True, stdout=subprocess.PIPE,
                     text=True).stdout
undefined = set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) >= 2 and parts[-2] in ('U', 'w'):
        undefined.add(parts[-1])
    elif len(parts) == 1 and not line.endswith(':'):
        undefined.add(parts[0])
print(f'{lib}: undefined symbols: {sorted(undefined) or "none"}')
extra = sorted(undefined - allowed)
if extra:
    print(f'FAIL: not freestanding, needs {extra}')
    sys.exit(1)
print('ok')
