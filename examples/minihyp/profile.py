#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where a benchmark guest's instructions go, per iteration and per
function, from QEMU's own trace (`-d in_asm,exec,nochain`): every
translated block's instruction count (in_asm) times its executions (exec).

QEMU runs twice, with @ITERS@ in its arguments replaced by N and 2N; the
difference divided by N is one iteration, without boot and set-up.

  profile.py [--iters N] [--nm NM] --elf minihyp.elf -- qemu-system-aarch64 ARGS...

Addresses inside minihyp's ELF are named after its functions; others are
shown as "guest" (or "?").
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

IN_RE = re.compile(r'^0x([0-9a-f]+):\s')
TRACE_RE = re.compile(r'^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/')


def symbols(nm, elf):
    out = subprocess.run([nm, '-n', elf], check=True, capture_output=True, text=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'tTwW':
            addrs.append(int(parts[0], 16))
            names.append(parts[2])
    return addrs, names


def count(cmd):
    """Instructions executed per translated-block start address."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, 'trace.log')
        subprocess.run(cmd + ['-d', 'in_asm,exec,nochain', '-D', log], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        total = collections.Counter()
        with open(log, errors='replace') as f:
            for pc, n in executed_blocks(f):
                total[pc] += n if n is not None else 1
        return total


def executed_blocks(lines):
    """(start address, instructions or None if never shown) of every
    translated block executed, in order, from a QEMU `-d in_asm,exec,nochain`
    log (tests/bench/boot-cost.py reads it as it is written)."""
    sizes, cur, n = {}, None, 0
    for line in lines:
        m = IN_RE.match(line)
        if m:
            if cur is None:
                cur = int(m.group(1), 16)
            n += 1
            continue
        if cur is not None and not line.strip():
            sizes[cur] = n
            cur, n = None, 0
            continue
        m = TRACE_RE.match(line)
        if m:
            pc = int(m.group(1), 16)
            yield pc, sizes.get(pc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--iters', type=int, default=64)
    ap.add_argument('--elf', required=True)
    ap.add_argument('--nm', default='nm')
    ap.add_argument('cmd', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = [x for x in a.cmd if x != '--']
    addrs, names = symbols(a.nm, a.elf)
    end = max(addrs) + 0x100000 if addrs else 0

    def name(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        if i < 0 or pc > end:
            return 'guest' if pc >= 0x40000000 else '?'
        return names[i]

    per_fn = collections.Counter()
    for sign, iters in ((-1, a.iters), (1, 2 * a.iters)):
        c = count([x.replace('@ITERS@', str(iters)) for x in cmd])
        for pc, n in c.items():
            per_fn[name(pc)] += sign * n
    total = sum(per_fn.values())
    print(f'{total / a.iters:.2f} instructions per iteration')
    for fn, n in per_fn.most_common():
        if n:
            print(f'{n / a.iters:8.2f}  {fn}')


if __name__ == '__main__':
    sys.exit(main())
