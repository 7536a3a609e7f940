#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Lines minihyp prints come out whole next to the PL011's owner (issue 15
item 3; minihyp.h, mh_console_hold()).

Two VMs on -smp 2 run the chatter guest (examples/guests/chatter.c) at
once, each printing the same line N times as fast as it can: VM 0 on the
PL011 it owns (its page mapped: it writes the device itself), VM 1 on
minihyp's emulated PL011, whose lines minihyp prints as "vm1: TEXT". Every
one of VM 1's N lines must appear whole: no character of VM 0's inside
(minihyp holds VM 0's page while it prints). VM 0's lines may be cut by a
whole line of VM 1's or of minihyp's own (minihyp cannot see where VM 0's
lines end): with those taken out, VM 0's N lines must be whole too, and
nothing of VM 1's may be left over.
"""
import re
import subprocess
import sys

import mh_run

TEXT = ': the quick brown fox jumps over the lazy dog 0123456789'



def main():
    p = mh_run.parser(__doc__, 'chatter.bin')
    p.add_argument('--lines', type=int, default=300)
    p.add_argument('--timeout', type=float, default=120)
    a = p.parse_args()
    bench = mh_run.load_bench(a.bench)
    token = bench.new_token()
    cmd = bench.qemu_cmd(a, a.guest, False, a.gic, a.cpu, 2, icount=False, token=token,
                         guest_args=f'lines={a.lines} id=0',
                         vms=[(1, a.guest, f'lines={a.lines} id=1', '')])
    print('$ ' + ' '.join(cmd).replace(token, 'TOKEN'), flush=True)
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=a.timeout)
    except subprocess.TimeoutExpired:
        print(f'FAIL: QEMU did not stop within {a.timeout}s')
        return 1
    text = r.stdout.decode(errors='replace').replace('\r', '')
    print(text.replace(token, 'TOKEN'))
    ok = True
    if bench.exit_status(text, token) != 0:
        print('FAIL: minihyp did not exit with status 0')
        ok = False
    vm1 = f'vm1: chatter 1{TEXT}\n'
    n1 = text.count(vm1)
    if n1 != a.lines:
        print(f'FAIL: {n1} of VM 1\'s {a.lines} lines whole ({vm1!r}): a character of '
              'VM 0\'s landed inside one')
        ok = False
    # every line minihyp printed out, whole wherever it landed: VM 1's (its
    # "chatter done" too) and minihyp's own ("minihyp: vm1: guest
    # SYSTEM_OFF" may cut one of VM 0's as well)
    rest = re.sub(r'minihyp: [^\n]*\n', '', text)
    rest = re.sub(r'vm1: [^\n]*\n', '', rest)
    n0 = len(re.findall(rf'^chatter 0{re.escape(TEXT)}$', rest, re.M))
    if n0 != a.lines:
        print(f'FAIL: {n0} of VM 0\'s {a.lines} lines whole once VM 1\'s are taken out')
        ok = False
    if 'chatter 1' in rest:
        print('FAIL: a line of VM 1\'s without its "vm1: " prefix, or cut')
        ok = False
    if ok:
        print(f'ok: {a.lines} lines of each VM whole')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
