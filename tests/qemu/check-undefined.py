#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-undefined.py NM LIBRARY ALLOWED...: fail if the archive LIBRARY
needs a symbol from outside itself that is not in ALLOWED (the library must
stay freestanding). `nm -u` lists, per member, symbols that another member
may define; what the archive as a whole needs is those minus its own
definitions."""
import subprocess
import sys

nm, lib, allowed = sys.argv[1], sys.argv[2], set(sys.argv[3:])
out = subprocess.run([nm, lib], check=True, stdout=subprocess.PIPE, text=True).stdout
undefined, defined = set(), set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) == 2 and parts[0] in ('U', 'w'):
        undefined.add(parts[1])
    elif len(parts) == 3:
        defined.add(parts[2])
needed = undefined - defined
print(f'{lib}: needs from outside: {sorted(needed) or "nothing"}')
extra = sorted(needed - allowed)
if extra:
    print(f'FAIL: not freestanding, needs {extra}')
    sys.exit(1)
print('ok')
