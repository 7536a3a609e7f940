#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-subproject.py BUILDDIR: in a parent project (tests/consumer, at
buildtype=debug) that uses libhyp as a subproject, from the parent's
compile_commands.json:
- every libhyp source is compiled at -O2 (the last -O flag wins), whatever
  the parent's build type: the documented costs are those of -O2;
- for an aarch64 (bare-metal) parent, the parent's own translation unit
  gets the flags libhyp's ABI needs from libhyp_dep alone: -ffreestanding
  -mgeneral-regs-only -mstrict-align -mno-outline-atomics and the
  compiler's freestanding include handling (gcc: -nostdinc and its own
  include directory; clang: -nostdlibinc)."""
import json
import os
import shlex
import sys

build = sys.argv[1]
cmds = json.load(open(os.path.join(build, 'compile_commands.json')))
ok = True
lib = [c for c in cmds if '/subprojects/libhyp/src/' in os.path.join(c['directory'], c['file'])]
own = [c for c in cmds if os.path.basename(c['file']).startswith('consumer')]
if not lib or not own:
    print(f'FAIL: {len(lib)} libhyp sources, {len(own)} consumer sources in compile_commands.json')
    sys.exit(1)


def args(c):
    return c['arguments'] if 'arguments' in c else shlex.split(c['command'])


for c in lib:
    opt = [a for a in args(c) if a.startswith('-O')]
    if not opt or opt[-1] != '-O2':
        print(f'FAIL: {c["file"]} compiled with {opt or "no -O flag"}, not -O2')
        ok = False
print(f'{len(lib)} libhyp sources: -O2' if ok else 'libhyp not at -O2')
for c in own:
    a = args(c)
    bare = 'aarch64' in ' '.join(a[:3]) and '-ffreestanding' in a or c['file'].endswith('_el2.c')
    if not bare:
        if '-DLIBHYP_BACKEND_HOST' not in a:
            print(f'FAIL: {c["file"]}: no -DLIBHYP_BACKEND_HOST from libhyp_dep')
            ok = False
        continue
    need = ['-ffreestanding', '-mgeneral-regs-only', '-mstrict-align', '-mno-outline-atomics']
    clang = any('clang' in x for x in a[:2])
    need += ['-nostdlibinc'] if clang else ['-nostdinc']
    missing = [f for f in need if f not in a]
    if not clang and not any(x.startswith(('-idirafter', '-isystem')) and 'gcc' in x for x in a):
        missing.append('-idirafter <gcc include>')
    if missing:
        print(f'FAIL: {c["file"]}: libhyp_dep does not give {missing}')
        ok = False
    else:
        print(f'{c["file"]}: gets {" ".join(need)} from libhyp_dep')
print('ok' if ok else 'FAILED')
sys.exit(0 if ok else 1)
