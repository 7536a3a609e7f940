#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""run.py NAME IMAGE [CPU]: boot a consumer image at EL2 on QEMU virt
(GICv3, two CPUs, -cpu CPU: max, a VHE host, by default; cortex-a57 for
nVHE) and check it: QEMU powers off by itself (PSCI SYSTEM_OFF) with 0
within the timeout, every expected line "NAME: ..." is there, none says
FAIL. No semihosting option (the image runs a guest)."""
import subprocess
import sys

name, image = sys.argv[1], sys.argv[2]
cpu = sys.argv[3] if len(sys.argv) > 3 else 'max'
expect = ['start', 'host: VHE' if cpu == 'max' else 'host: nVHE', 'secondary cpu ok',
          'hypercall ok', 'stage-2 fault at 0x0000000050000000, mapped', 'stage-2 fault ok',
          'virtual interrupt ok', 'all ok']
# An image built with libhyp-fdt (CONSUMER_FDT) also reads QEMU's DTB.
if b'fdt ok' in open(image, 'rb').read():
    expect.insert(-1, 'fdt ok')
cmd = ['qemu-system-aarch64', '-nographic', '-nic', 'none', '-m', '256M',
       '-machine', 'virt,virtualization=on,gic-version=3', '-cpu', cpu, '-smp', '2',
       '-kernel', image]
print('$ ' + ' '.join(cmd), flush=True)
try:
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=30)
except subprocess.TimeoutExpired as e:
    print((e.stdout or b'').decode(errors='replace'))
    print(f'FAIL: {name}: QEMU did not power off')
    sys.exit(1)
out = p.stdout.decode(errors='replace')
print(out)
lines = {line.strip('\r') for line in out.splitlines()}
bad = [e for e in expect if f'{name}: {e}' not in lines]
for e in bad:
    print(f'FAIL: {name}: missing line {name}: {e}')
if p.returncode != 0 or 'FAIL' in out:
    print(f'FAIL: {name}: QEMU exit status {p.returncode}')
    bad.append('status')
print(f'{name}: ' + ('FAILED' if bad else 'passed'))
sys.exit(1 if bad else 0)
