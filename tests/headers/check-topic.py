#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-topic.py SRC_INCLUDE BUILD_INCLUDE @cc CMD... @cflags FLAGS...

The world-switch API is split by topic (libhyp/switch.h is the umbrella):
a part includes only what it needs. Preprocess each listed part alone
(with -dD, so macros stay visible) and check that what it must not pull in
is absent: libhyp/psci.h, libhyp/vtimer.h, libhyp/emulate.h,
libhyp/fpsimd.h and libhyp/sysreg_bridge.h declare neither the run loop nor
the vectors (libhyp/world_switch.h) nor the vGIC (libhyp/vgic.h);
libhyp/el2_pgtable.h and libhyp/mapping.h do not pull in stage 2
(libhyp/stage2.h).

The library itself includes only the topic headers it needs: no file under
src/ includes the umbrella libhyp/switch.h, and no public header but the
umbrella's users does either (so src/ cannot reach it indirectly)."""
import os
import re
import subprocess
import sys
import tempfile

FORBIDDEN = {
    'LIBHYP_WORLD_SWITCH_H': 'the guard of libhyp/world_switch.h',
    'LIBHYP_VGIC_H': 'the guard of libhyp/vgic.h',
    'LIBHYP_SWITCH_H': 'the guard of the umbrella libhyp/switch.h',
    'hyp_vcpu_run': 'the world-switch entry point',
    'hyp_switch_vectors': 'the EL2 vector table',
    'hyp_switch_prepare': 'the world switch\'s entry half',
    'hyp_vgic_init': 'the vGIC',
    'LIBHYP_STAGE2_H': 'the guard of libhyp/stage2.h',
    'hyp_s2_map': 'the stage-2 API',
}
PARTS = ['libhyp/psci.h', 'libhyp/vcpu.h', 'libhyp/vtimer.h', 'libhyp/emulate.h',
         'libhyp/fpsimd.h', 'libhyp/sysreg_bridge.h', 'libhyp/el2_pgtable.h', 'libhyp/mapping.h']

argv = sys.argv[1:]
src_inc, build_inc = argv[0], argv[1]
cc, cflags, cur = [], [], None
for a in argv[2:]:
    if a == '@cc':
        cur = cc
    elif a == '@cflags':
        cur = cflags
    else:
        cur.append(a)
failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for part in PARTS:
        src = f'{tmp}/tu.c'
        with open(src, 'w') as f:
            f.write(f'#include <{part}>\n')
        r = subprocess.run(cc + cflags + ['-std=c11', '-I' + src_inc, '-I' + build_inc,
                                          '-E', '-dD', src],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            failed += 1
            print(f'FAIL: {part} does not preprocess alone:\n{r.stdout}')
            continue
        for name, what in FORBIDDEN.items():
            if re.search(r'\b' + name + r'\b', r.stdout):
                failed += 1
                print(f'FAIL: {part} alone pulls in {name} ({what})')
        # The check finds what it looks for: the umbrella has all of it.
    with open(f'{tmp}/all.c', 'w') as f:
        f.write('#include <libhyp/switch.h>\n#include <libhyp/vgic.h>\n#include <libhyp/stage2.h>\n')
    r = subprocess.run(cc + cflags + ['-std=c11', '-I' + src_inc, '-I' + build_inc,
                                      '-E', '-dD', f'{tmp}/all.c'],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for name in FORBIDDEN:
        if not re.search(r'\b' + name + r'\b', r.stdout):
            failed += 1
            print(f'FAIL: the umbrella headers (switch.h, vgic.h, stage2.h) lack {name}: '
                  'the check would not see it')
# src/ includes topic headers, never the umbrella, directly or through a
# public header.
UMBRELLA = re.compile(r'^\s*#\s*include\s*[<"]libhyp/switch\.h[>"]', re.M)
root = os.path.dirname(os.path.abspath(src_inc))
scanned = 0
for d, _, files in os.walk(os.path.join(root, 'src')):
    for name in files:
        if name.endswith(('.c', '.h', '.S')):
            path = os.path.join(d, name)
            scanned += 1
            with open(path, encoding='utf-8') as f:
                if UMBRELLA.search(f.read()):
                    failed += 1
                    print(f'FAIL: {os.path.relpath(path, root)} includes the umbrella '
                          'libhyp/switch.h: include the topic headers it needs')
for d, _, files in os.walk(os.path.join(src_inc, 'libhyp')):
    for name in files:
        path = os.path.join(d, name)
        with open(path, encoding='utf-8') as f:
            if name.endswith('.h') and UMBRELLA.search(f.read()):
                failed += 1
                print(f'FAIL: {os.path.relpath(path, src_inc)} includes the umbrella '
                      'libhyp/switch.h')
if scanned < 20:
    failed += 1
    print(f'FAIL: only {scanned} files found under {root}/src: the scan looks in the wrong place')
print(f'{len(PARTS)} parts, {scanned} src/ files: {failed} failures')
sys.exit(1 if failed else 0)
