#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-libc-calls.py OBJDUMP ARCHIVE MEMBER ALLOWED...: the C library
functions in MEMBER of ARCHIVE (rt/mem.c, rt/str.c) call nothing but
ALLOWED: a compiler that recognised one of their loops as a memcpy / memset /
strlen idiom would have them call themselves (or each other) forever.
Every BL, and every B to the start of a function, counts as a call."""
import re
import subprocess
import sys

objdump, archive, member, allowed = sys.argv[1], sys.argv[2], sys.argv[3], set(sys.argv[4:])
out = subprocess.run([objdump, '-dr', archive], check=True, stdout=subprocess.PIPE,
                     text=True).stdout
in_member = False
func = None
calls, funcs = [], set()
for line in out.splitlines():
    # GNU: "path/x.o:     file format"; LLVM: "archive(path/x.o):\tfile format"
    m = re.match(r'^(.*?)\)?:\s+file format', line)
    if m:
        in_member = m.group(1).endswith(member)
        continue
    if not in_member:
        continue
    m = re.match(r'^[0-9a-f]+ <([\w.$]+)>:', line)
    if m:
        func = m.group(1)
        funcs.add(func)
        continue
    m = re.search(r'R_AARCH64_(?:CALL26|JUMP26)\s+([\w.$]+)', line)
    if m:  # the real target of the branch just before
        if calls and calls[-1][0] == 'pending':
            calls.pop()
        calls.append((func, m.group(1)))
        continue
    m = re.search(r'\s(bl|b)\s+(?:0x)?[0-9a-f]+\s+<([\w.$]+)(\+0x[0-9a-f]+)?>', line)
    if m and (m.group(1) == 'bl' or not m.group(3)) and not m.group(2).startswith('.'):
        calls.append(('pending', (func, m.group(2))))
calls = [c[1] if c[0] == 'pending' else c for c in calls]
if not funcs:
    print(f'FAIL: no functions of {member} in {archive}')
    sys.exit(1)
bad = sorted({c for c in calls if c[1] not in allowed})
print(f'{member}: {len(funcs)} functions, calls: {sorted(set(calls)) or "none"}')
if bad:
    print(f'FAIL: calls outside {sorted(allowed)}: {bad}')
    sys.exit(1)
print('ok')
