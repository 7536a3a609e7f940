#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""minihyp's boot cost: the instructions QEMU executes from reset to the
guest's first instruction, from QEMU's own trace (`-d in_asm,exec,nochain`:
every translated block's instruction count times its executions, up to the
first block at the guest's load address), under -icount shift=0,sleep=off,
one CPU, 512 MiB (examples/minihyp/bench.py's machine).

  boot-cost.py --minihyp minihyp.elf --guest GUEST.bin [--cpu max|cortex-a57]
               [--gic 3] [--qemu qemu-system-aarch64]

The trace is read through a FIFO as QEMU writes it, and QEMU is stopped at
the guest's first instruction.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile

GUEST_ADDR = 0x48000000
# The trace reader of examples/minihyp/profile.py (loaded by path: the name
# `profile` is also a standard module).
_spec = importlib.util.spec_from_file_location(
    'minihyp_profile', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                                    'examples', 'minihyp', 'profile.py'))
profile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(profile)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--qemu', default='qemu-system-aarch64')
    p.add_argument('--minihyp', required=True)
    p.add_argument('--guest', required=True)
    p.add_argument('--cpu', default='max')
    p.add_argument('--gic', default='3')
    a = p.parse_args()
    size = os.path.getsize(a.guest)
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, 'trace')
        os.mkfifo(fifo)
        # never semihosting (a guest would reach the host)
        cmd = [a.qemu, '-nographic', '-nic', 'none', '-m', '512M', '-cpu', a.cpu, '-smp', '1',
               '-icount', 'shift=0,sleep=off',
               '-machine', f'virt,virtualization=on,gic-version={a.gic}',
               '-kernel', a.minihyp,
               '-device', f'loader,file={a.guest},addr={GUEST_ADDR:#x},force-raw=on',
               '-append', f'minihyp.guest={GUEST_ADDR:#x},{size:#x} minihyp.bootargs="iters=1"',
               '-d', 'in_asm,exec,nochain', '-D', fifo]
        print('$ ' + ' '.join(cmd))
        q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        total, found = 0, False
        try:
            with open(fifo, errors='replace') as f:
                for pc, n in profile.executed_blocks(f):
                    if GUEST_ADDR <= pc < GUEST_ADDR + size:
                        found = True
                        break
                    total += n or 0
        finally:
            q.kill()
            q.wait()
    if not found:
        print('boot-cost: the guest never ran')
        return 1
    print(f'-cpu {a.cpu}, GICv{a.gic}: {total} instructions to the guest\'s first instruction')
    return 0


if __name__ == '__main__':
    sys.exit(main())
