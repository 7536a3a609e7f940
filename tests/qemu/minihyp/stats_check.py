#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a guest under minihyp (examples/minihyp/bench.py run ARGS...) and
check the statistics minihyp prints when the VM ends (issue 15,
docs/minihyp.md "Statistics"):

  stats_check.py --bench bench.py [--field SEL KEY LO HI]... -- RUN-ARGS...

A stats line is `minihyp: stats SELECTOR KEY=N KEY=N...`, its selector
being the words before the first numeric item (`vm0 vcpu0 exits
scope=all`, `vm0 vcpu0 sysreg-group 0 trap=tvm`); lines with the same
selector (a long line continued) are merged. --field SEL KEY LO HI wants
the first selector that starts with SEL to exist and its KEY (0 when
absent: only non-zero counters are printed) in [LO, HI]. Every `exits`
line's total must also be the sum of its classes. The run itself must pass
(bench.py's own checks: exit status, --expect...).
"""
import argparse
import re
import subprocess
import sys

ITEM = re.compile(r'^([a-z0-9-]+)=(\d+)$')


def parse(out):
    stats = {}
    for line in out.splitlines():
        if not line.startswith('minihyp: stats '):
            continue
        words = line[len('minihyp: stats '):].split()
        sel, items = [], {}
        for i, w in enumerate(words):
            m = ITEM.match(w)
            if m:
                for w2 in words[i:]:
                    m2 = ITEM.match(w2)
                    if not m2:
                        raise SystemExit(f'stats_check: a malformed stats line: {line!r}')
                    items[m2.group(1)] = int(m2.group(2))
                break
            sel.append(w)
        stats.setdefault(' '.join(sel), {}).update(items)
    return stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bench', required=True)
    ap.add_argument('--field', nargs=4, action='append', default=[],
                    metavar=('SEL', 'KEY', 'LO', 'HI'))
    ap.add_argument('run', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    run = a.run[1:] if a.run[:1] == ['--'] else a.run
    p = subprocess.run([sys.executable, a.bench, 'run'] + run, capture_output=True, text=True,
                       check=False)
    print(p.stdout, end='')
    print(p.stderr, end='', file=sys.stderr)
    ok = p.returncode == 0
    if not ok:
        print(f'FAIL: the run failed ({p.returncode})')
    stats = parse(p.stdout)
    if not stats:
        print('FAIL: no stats line')
        ok = False
    for sel, items in stats.items():
        if sel.split()[2:3] == ['exits'] and 'total' in items:
            s = sum(v for k, v in items.items() if k != 'total')
            if s != items['total']:
                print(f'FAIL: {sel}: total={items["total"]}, the classes sum to {s}')
                ok = False
    for sel, key, lo, hi in a.field:
        got = next((s for s in stats if s.startswith(sel)), None)
        if got is None:
            print(f'FAIL: no stats line {sel!r}')
            ok = False
            continue
        v = stats[got].get(key, 0)
        if not int(lo) <= v <= int(hi):
            print(f'FAIL: {got} {key}={v}, want {lo}..{hi}')
            ok = False
        else:
            print(f'ok: {got} {key}={v} in {lo}..{hi}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
