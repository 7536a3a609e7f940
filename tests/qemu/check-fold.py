#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-fold.py OBJDUMP LIBRARY NAME=WORD...: every fold_r_* function in
LIBRARY must be exactly one MRS and a RET, every fold_w_* exactly one MSR
and a RET; NAME=WORD pins a function's first instruction word (with the
register field Rt masked out) to a known-good encoding.

check-fold.py --count OBJDUMP LIBRARY PREFIX: print the instruction count
of every function whose name starts with PREFIX (a benchmark, no check)."""
import re
import subprocess
import sys

count_mode = sys.argv[1] == '--count'
args = sys.argv[2:] if count_mode else sys.argv[1:]
objdump, lib = args[0], args[1]
pins = {} if count_mode else dict(a.split('=') for a in args[2:])
out = subprocess.run([objdump, '-d', lib], check=True, stdout=subprocess.PIPE,
                     text=True).stdout
funcs, cur = {}, None
for line in out.splitlines():
    m = re.match(r'^[0-9a-f]+ <(\w+)>:', line)
    if m:
        cur = m.group(1)
        funcs[cur] = []
        continue
    # GNU objdump prints the word, llvm-objdump its four bytes (little end first)
    m = re.match(r'^\s+[0-9a-f]+:\s+([0-9a-f]{8})\s', line)
    if m and cur:
        funcs[cur].append(int(m.group(1), 16))
        continue
    m = re.match(r'^\s+[0-9a-f]+:\s+((?:[0-9a-f]{2} ){3}[0-9a-f]{2})\s', line)
    if m and cur:
        funcs[cur].append(int(''.join(reversed(m.group(1).split())), 16))

NOP = 0xd503201f
for words in funcs.values():  # alignment padding after the RET
    while words and words[-1] == NOP:
        words.pop()

if count_mode:
    print(f'| function ({lib.rsplit("/", 1)[-1]}) | instructions, RET included |')
    print('| --- | --- |')
    for name, words in sorted(funcs.items()):
        if name.startswith(args[2]):
            print(f'| {name} | {len(words)} |')
    sys.exit(0)

RET = 0xd65f03c0
ok = True
checked = 0


def is_branch(w):
    return ((w & 0xff000010) == 0x54000000 or  # B.cond
            (w & 0x7e000000) == 0x34000000 or  # CBZ, CBNZ
            (w & 0x7e000000) == 0x36000000 or  # TBZ, TBNZ
            (w & 0x7c000000) == 0x14000000)    # B, BL


# fold_fixed<N>_*: exactly N MRS/MSR and no branch: a constant policy mask
# leaves no guard behind.
for name, words in sorted(funcs.items()):
    m = re.match(r'fold_fixed(\d+)_', name)
    if not m:
        continue
    checked += 1
    sysregs = sum(1 for w in words if (w & 0xffd00000) == 0xd5100000)
    branches = sum(1 for w in words if is_branch(w))
    good = sysregs == int(m.group(1)) and branches == 0 and words[-1] == RET
    print(f"{'ok  ' if good else 'FAIL'} {name}: {len(words)} instructions, "
          f"{sysregs} MRS/MSR, {branches} branches")
    ok &= good
for name, words in sorted(funcs.items()):
    if not name.startswith(('fold_r_', 'fold_w_')):
        continue
    checked += 1
    want = 0xd5200000 if name.startswith('fold_r_') else 0xd5000000
    good = (len(words) == 2 and words[1] == RET and
            (words[0] & 0xffe00000) == want)
    pin = pins.get(name)
    if good and pin is not None:
        good = (words[0] & ~0x1f) == int(pin, 16)
    print(f"{'ok  ' if good else 'FAIL'} {name}: {' '.join(f'{w:08x}' for w in words)}")
    ok &= good
if checked == 0 or any(p not in funcs for p in pins):
    print('FAIL: functions missing from the disassembly')
    ok = False
sys.exit(0 if ok else 1)
