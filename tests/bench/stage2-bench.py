#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Stage-2 benchmark: hardware operations per operation (bench-stage2 run
plainly) and instructions per operation (bench-stage2 count under
callgrind, excluding the hooks and the simulated hardware).

Usage: tests/bench/stage2-bench.py BUILD_DIR   (a host build, e.g. build/host)
"""
import os
import re
import subprocess
import sys
import tempfile

# phase function -> (label, operations per call, calls per run)
# (the phase_fault_entry_* phases call hyp_s2_fault_map_4k(), the others
# hyp_s2_map() and co.; the fault entry also runs with the pool's linear
# map declared, hyp_pgtable_cfg::linear_map)
PHASES = {
    'phase_fault_4k': ('4K fault-in, tables present', 511, 8),
    'phase_fault_4k_spurious': ('4K fault-in, already mapped', 511, 8),
    'phase_fault_4k_table': ('4K fault-in + new table', 511, 1),
    'phase_fault_entry_4k': ('fault entry: 4K, tables present', 511, 8),
    'phase_fault_entry_4k_spurious': ('fault entry: already mapped', 511, 8),
    'phase_fault_entry_4k_table': ('fault entry: + new table', 511, 1),
    'phase_relax_w': ('relax +W on a 4K page', 511, 8),
    'phase_map_2m': ('2M block map', 511, 1),
    'phase_fault_entry_2m': ('fault entry: 2M block', 511, 1),
    'phase_unmap_4k': ('4K unmap', 511, 8),
    'phase_map_1g_4k': ('map 1 GiB as 4K pages', 1, 1),
    'phase_unmap_1g_4k': ('unmap 1 GiB of 4K pages', 1, 1),
    'phase_map_1g_2m': ('map 1 GiB as 2M blocks', 1, 1),
    'phase_unmap_1g_2m': ('unmap 1 GiB of 2M blocks', 1, 1),
}


def callgrind(exe, tmp, config, phase, extra=()):
    """Instructions of libhyp itself in one phase: callgrind collects only
    inside the phase function; the self cost of every function from
    src/stage2/ or include/libhyp/ (inlined seam call sites included) is
    summed, leaving out the phase loop, the hooks, the simulated CPU
    (hyp_sim_*) and libc."""
    out = os.path.join(tmp, f'callgrind.{config}.{phase}.{len(extra)}')
    cmd = ['valgrind', '--tool=callgrind', '--callgrind-out-file=' + out,
           '--collect-atstart=no', '--toggle-collect=' + phase, exe, 'count', config,
           *extra]
    subprocess.run(cmd, check=True, capture_output=True)
    ann = subprocess.run(['callgrind_annotate', '--threshold=100', out],
                         capture_output=True, text=True, check=True).stdout
    total = 0
    for line in ann.splitlines():
        m = re.match(r'\s*([\d,]+)\s+\([^)]*\)\s+(\S+):(\S+)', line)
        if not m:
            continue
        path, fn = m.group(2), m.group(3)
        if ('/src/stage2/' in path or '/include/libhyp/' in path) and \
                not fn.startswith('hyp_sim_'):
            total += int(m.group(1).replace(',', ''))
    return total


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    exe = os.path.join(sys.argv[1], 'tests', 'bench', 'bench-stage2')
    print('$ ' + exe)
    hw = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    print(hw)
    print('$ valgrind --tool=callgrind --collect-atstart=no --toggle-collect=PHASE '
          + exe + ' count CONFIG    (one run per phase and configuration)')
    with tempfile.TemporaryDirectory() as tmp:
        runs = {c: {fn: callgrind(exe, tmp, c, fn) for fn in PHASES}
                for c in ('nofwb', 'fwb')}
        linear = {c: {fn: callgrind(exe, tmp, c, fn, ('linear',)) for fn in PHASES
                      if fn.startswith('phase_fault_entry')}
                  for c in ('nofwb', 'fwb')}
    print()
    print('Instructions per operation (callgrind Ir), libhyp code only: without the')
    print('hooks, the simulated CPU behind the seam, libc and the benchmark loop:')
    print(f'  {"operation":32s} {"no FWB":>12s} {"FWB":>12s}'
          f' {"no FWB, lin":>12s} {"FWB, lin":>12s}')
    for fn, (label, per_call, calls) in PHASES.items():
        n = per_call * calls
        lin = ''
        if fn in linear['fwb']:
            lin = f' {linear["nofwb"][fn] / n:12.1f} {linear["fwb"][fn] / n:12.1f}'
        print(f'  {label:32s} {runs["nofwb"][fn] / n:12.1f} {runs["fwb"][fn] / n:12.1f}{lin}')
    print('("lin": the linear map declared, hyp_pgtable_cfg::linear_map; the other rows')
    print('do not use it)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
