#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Console input belongs to the PL011's VM only (issue 15 item 3).

Two VMs run the console guest (examples/guests/uart_echo.c): VM 0 owns the
PL011 and its interrupt, VM 1 has minihyp's emulated PL011 (vuart.c). Once
both are ready, a line is typed on QEMU's stdin: VM 0 must get it (through
the forwarded interrupt), VM 1 must get nothing, neither a character nor an
interrupt, and end at its own timeout ("no line before the timeout;
interrupts 0", exit status 1), its lines prefixed "vm1: ". The machine's
status is then 1 (the first non-zero VM status), with this run's token.
"""
import subprocess
import sys
import threading
import time

import mh_run



def main():
    p = mh_run.parser(__doc__, 'uart-echo.bin')
    p.add_argument('--line', default='typed for vm0 only')
    p.add_argument('--timeout', type=float, default=40)
    a = p.parse_args()
    bench = mh_run.load_bench(a.bench)
    token = bench.new_token()
    # VM 0 gets the line typed at once (one receive interrupt may bring it
    # all: min=1); VM 1's guest waits 8 s (its virtual timer) for a line
    # that never comes.
    cmd = bench.qemu_cmd(a, a.guest, False, a.gic, a.cpu, 2, icount=False, token=token,
                         guest_args='min=1', vms=[(1, a.guest, 'timeout=8', '')])
    print('$ ' + ' '.join(cmd).replace(token, 'TOKEN'), flush=True)
    q = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = bytearray()
    ready = threading.Event()
    last = [time.monotonic()]

    def reader():
        while True:
            b = q.stdout.read1(4096)
            if not b:
                break
            out.extend(b)
            last[0] = time.monotonic()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    ok = True
    # Both guests print their ready line at once, as they start: VM 0
    # writes to the PL011 itself, so VM 1's line can land inside its line,
    # and neither line can be waited for. Ready: once the VMs run
    # ("minihyp: 2 VMs"), the console quiet for a second.
    t0 = time.monotonic()
    while time.monotonic() - t0 < a.timeout:
        time.sleep(0.2)
        if b'minihyp: 2 VMs' in out and time.monotonic() - last[0] > 1:
            ready.set()
            break
    if not ready.is_set():
        print(f'FAIL: the two VMs were not ready within {a.timeout}s')
        ok = False
    else:
        q.stdin.write((a.line + '\r').encode())
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
    if status != 1:
        print(f'FAIL: minihyp exit status {status}, expected 1 (VM 1 timed out)')
        ok = False
    want = [f"uart-echo: got '{a.line}'", 'uart-echo: ok\n',
            '\nvm1: FAIL: uart-echo: no line before the timeout; interrupts 0x0\n',
            f'minihyp: vm0: exit {token} 0 {token}', f'minihyp: vm1: exit {token} 1 {token}',
            'minihyp: vm1: emulated console: ']
    for e in want:
        if e not in text:
            print(f'FAIL: expected output missing: {e!r}'.replace(token, 'TOKEN'))
            ok = False
    if text.count(a.line) != 1:
        print('FAIL: the typed line appears elsewhere than in VM 0\'s echo')
        ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
