#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run an image on QEMU's virt machine; pass if every --expect string shows
up in its output, no --reject string does, it prints nothing that says FAIL
or UNEXPECTED, and QEMU
exits by itself (PSCI SYSTEM_OFF) before --timeout seconds. A hang fails."""
import argparse
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--qemu', default='qemu-system-aarch64')
    ap.add_argument('--timeout', type=float, default=60)
    ap.add_argument('--expect', action='append', default=[])
    ap.add_argument('--reject', action='append', default=[])
    ap.add_argument('qemu_args', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    args = [x for x in a.qemu_args if x != '--']
    cmd = [a.qemu, '-nographic', '-nic', 'none', '-m', '512M'] + args
    print('$ ' + ' '.join(cmd), flush=True)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=a.timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode(errors='replace')
        print(out)
        print(f'FAIL: QEMU did not power off within {a.timeout}s')
        return 1
    out = p.stdout.decode(errors='replace')
    print(out)
    ok = True
    if p.returncode != 0:
        print(f'FAIL: QEMU exited with {p.returncode}')
        ok = False
    for e in a.expect:
        if e not in out:
            print(f'FAIL: expected output missing: {e!r}')
            ok = False
    for r in a.reject:
        if r in out:
            print(f'FAIL: output contains rejected string {r!r}')
            ok = False
    for bad in ('FAIL', 'UNEXPECTED'):
        if bad in out:
            print(f'FAIL: output contains {bad!r}')
            ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
