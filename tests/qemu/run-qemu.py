#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a test image on QEMU's virt machine; pass if every --expect string
shows up in its output, no --reject string does, it prints nothing that
says FAIL or UNEXPECTED, QEMU exits by itself (PSCI SYSTEM_OFF) with 0
before --timeout seconds, and the image's own status line says 0. A hang
fails.

The status line: each run puts a fresh random token on the command line
(-append "... libhyp.token=HEX", QEMU's DTB chosen/bootargs); the image
(tests/qemu/testlib.c) prints "libhyp-test: exit TOKEN STATUS TOKEN"
before powering off. Only a line with this run's token counts: the EL1
guests the images run share the console. QEMU never gets its semihosting option
(with it QEMU would service a guest's HLT #0xF000 itself)."""
import argparse
import re
import secrets
import subprocess
import sys

EXIT_RE = re.compile(r'^libhyp-test: exit (\S+) (\d+) (\S+)$')


def exit_status(out, token):
    found = None
    for line in out.splitlines():
        m = EXIT_RE.match(line.strip('\r'))
        if m and m.group(1) == token and m.group(3) == token:
            if found is not None:
                return None
            found = int(m.group(2))
    return found


def with_token(args, token):
    """@args with libhyp.token=@token added to -append (or a new -append)."""
    args = list(args)
    for i, x in enumerate(args[:-1]):
        if x == '-append':
            args[i + 1] = f'{args[i + 1]} libhyp.token={token}'.strip()
            return args
    return args + ['-append', f'libhyp.token={token}']


def self_test():
    """exit_status() and with_token() against forgeries (no QEMU)."""
    t, f = 'c' * 32, 'd' * 32
    cases = [
        (f'libhyp-test: exit {t} 0 {t}\r\n', 0),
        (f'libhyp-test: exit {f} 0 {f}\nlibhyp-test: exit {t} 1 {t}\n', 1),
        (f'libhyp-test: exit - 0 -\n', None),
        (f'libhyp-test: exit {t} 0\n1 {t}\n', None),
        (f'libhyp-test: exit {t} 0 {t}\nlibhyp-test: exit {t} 0 {t}\n', None),
        ('smoke done\n', None),
    ]
    bad = [c for c in cases if exit_status(c[0], t) != c[1]]
    for out, want in bad:
        print(f'FAIL: exit_status({out!r}) = {exit_status(out, t)}, want {want}')
    if with_token(['-append', 'x=1'], t) != ['-append', f'x=1 libhyp.token={t}'] or \
            with_token(['-kernel', 'k'], t) != ['-kernel', 'k', '-append', f'libhyp.token={t}']:
        print('FAIL: with_token')
        bad.append(None)
    print('run-qemu exit-status parser ok' if not bad else 'FAIL')
    return 1 if bad else 0


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    ap = argparse.ArgumentParser()
    ap.add_argument('--qemu', default='qemu-system-aarch64')
    ap.add_argument('--timeout', type=float, default=60)
    ap.add_argument('--expect', action='append', default=[])
    ap.add_argument('--reject', action='append', default=[])
    ap.add_argument('qemu_args', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    args = [x for x in a.qemu_args if x != '--']
    if any(x.startswith('-semihosting') for x in args):
        print('FAIL: refusing -semihosting (a guest would reach the host)')
        return 1
    token = secrets.token_hex(16)
    cmd = [a.qemu, '-nographic', '-nic', 'none', '-m', '512M'] + with_token(args, token)
    print('$ ' + ' '.join(cmd).replace(token, 'TOKEN'), flush=True)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=a.timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode(errors='replace')
        print(out.replace(token, 'TOKEN'))
        print(f'FAIL: QEMU did not power off within {a.timeout}s')
        return 1
    out = p.stdout.decode(errors='replace')
    print(out.replace(token, 'TOKEN'))
    ok = True
    if p.returncode != 0:
        print(f'FAIL: QEMU exited with {p.returncode}')
        ok = False
    status = exit_status(out, token)
    if status is None:
        print("FAIL: no status line with this run's token (libhyp-test: exit TOKEN N TOKEN)")
        ok = False
    elif status != 0:
        print(f'FAIL: the image reports status {status}')
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
