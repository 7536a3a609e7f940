#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The forwarded console (issue 15): a guest reads a line typed on the
PL011 by interrupt.

Runs minihyp with a guest (examples/guests/uart_echo.c) under QEMU with
the serial port on stdio (-nographic), waits for the guest's ready line,
types a line into QEMU's stdin, and checks that the guest got it through
its interrupts (the PL011's SPI forwarded by minihyp with a
hardware-mapped list register), that minihyp counted the forwarded
interrupts, and minihyp's exit-status line with this run's token
(examples/minihyp/bench.py builds the command line: never semihosting).
"""
import os
import subprocess
import sys
import threading
import time

import mh_run



def main():
    p = mh_run.parser(__doc__, None)
    p.add_argument('--smp', default='1')
    p.add_argument('--line', default='hello from the console')
    p.add_argument('--ready', default='uart-echo: ready')
    p.add_argument('--guest-args', default='')
    p.add_argument('--expect', action='append', default=[])
    p.add_argument('--timeout', type=float, default=60)
    a = p.parse_args()
    bench = mh_run.load_bench(a.bench)
    token = bench.new_token()
    cmd = bench.qemu_cmd(a, a.guest, False, a.gic, a.cpu, int(a.smp), icount=False,
                         guest_args=a.guest_args, token=token)
    print('$ ' + ' '.join(cmd).replace(token, 'TOKEN'), flush=True)
    q = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = bytearray()
    ready = threading.Event()

    def reader():
        while True:
            b = q.stdout.read1(4096) if hasattr(q.stdout, 'read1') else q.stdout.read(1)
            if not b:
                break
            out.extend(b)
            if a.ready.encode() in out:
                ready.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    ok = True
    if not ready.wait(a.timeout):
        print(f'FAIL: no {a.ready!r} within {a.timeout}s')
        ok = False
    else:
        # Typed in two parts: the second arrives while the guest waits.
        half = len(a.line) // 2
        q.stdin.write(a.line[:half].encode())
        q.stdin.flush()
        time.sleep(0.5)
        q.stdin.write((a.line[half:] + '\r').encode())
        q.stdin.flush()
    try:
        q.wait(timeout=a.timeout)
    except subprocess.TimeoutExpired:
        q.kill()
        q.wait()
        print(f'FAIL: QEMU did not stop within {a.timeout}s')
        ok = False
    t.join(5)
    text = out.decode(errors='replace')
    print(text.replace(token, 'TOKEN'))
    status = bench.exit_status(text, token)
    if status != 0:
        print(f'FAIL: minihyp exit status {status}, expected 0')
        ok = False
    want = [f"uart-echo: got '{a.line}'", 'uart-echo: ok'] + a.expect
    for e in want:
        if e not in text:
            print(f'FAIL: expected output missing: {e!r}')
            ok = False
    if 'FAIL' in text.replace('FAIL: expected', ''):
        print('FAIL: output contains FAIL')
        ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
