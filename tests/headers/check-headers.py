#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-headers.py SRC_INCLUDE BUILD_INCLUDE @cc CMD... @cflags FLAGS...
[@cxx CMD... @cxxflags FLAGS...]

Every public header of libhyp (SRC_INCLUDE/libhyp/**.h, and the generated
BUILD_INCLUDE/libhyp/version.h) compiles alone, as the only line of a
translation unit, in C11 and C17 (and C++17 if a C++ command is given)
with -Wall -Wextra -Werror -pedantic, under the flags a consumer gets
(FLAGS: the backend macro, the freestanding ABI flags). Every one has
`extern "C"` guards for C++. The backend headers (libhyp/hw/aarch64.h,
libhyp/hw/host.h) refuse to be included other than through libhyp/hw.h."""
import concurrent.futures
import os
import subprocess
import sys
import tempfile

BACKEND_HEADERS = {'libhyp/hw/aarch64.h', 'libhyp/hw/host.h'}
WARN = ['-Wall', '-Wextra', '-Werror', '-pedantic']


def split_args(argv):
    groups, cur = {}, None
    for a in argv:
        if a in ('@cc', '@cflags', '@cxx', '@cxxflags'):
            cur = groups.setdefault(a[1:], [])
        else:
            cur.append(a)
    return groups


src_inc, build_inc = sys.argv[1], sys.argv[2]
g = split_args(sys.argv[3:])
incs = ['-I' + src_inc, '-I' + build_inc]
headers = []
for base in (src_inc, build_inc):
    for root, _, files in os.walk(os.path.join(base, 'libhyp')):
        for f in files:
            if f.endswith('.h'):
                full = os.path.join(root, f)
                headers.append((os.path.relpath(full, base), full))
headers.sort()
if not headers:
    print('FAIL: no header found')
    sys.exit(1)

jobs = []  # (what, header, command, tu text, must compile)
with tempfile.TemporaryDirectory() as tmp:
    def tu(name, text, ext):
        p = os.path.join(tmp, name.replace('/', '_') + ext)
        with open(p, 'w') as f:
            f.write(text)
        return p

    langs = [('c11', g['cc'], g.get('cflags', []) + ['-std=c11', '-x', 'c'], '.c'),
             ('c17', g['cc'], g.get('cflags', []) + ['-std=c17', '-x', 'c'], '.c')]
    if g.get('cxx'):
        langs.append(('c++17', g['cxx'], g.get('cxxflags', []) + ['-std=c++17', '-x', 'c++'],
                      '.cc'))
    else:
        print('note: no C++ compiler for this target, C++17 not checked here')
    for rel, full in headers:
        for std, cmd, flags, ext in langs:
            src = tu(f'{std}_{rel}', f'#include <{rel}>\n', ext)
            obj = src + '.o'
            jobs.append((std, rel, cmd + flags + incs + WARN + ['-c', src, '-o', obj],
                         rel not in BACKEND_HEADERS))

    def run(job):
        std, rel, cmd, must = job
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return std, rel, cmd, must, r

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        for std, rel, cmd, must, r in ex.map(run, jobs):
            if must and r.returncode != 0:
                failed += 1
                print(f'FAIL: {rel} alone in {std}:\n  {" ".join(cmd)}\n{r.stdout}')
            elif not must and (r.returncode == 0 or 'libhyp/hw.h' not in r.stdout):
                failed += 1
                print(f'FAIL: {rel} included directly in {std} is not refused with an '
                      f'#error naming libhyp/hw.h:\n{r.stdout}')

for rel, full in headers:
    text = open(full).read()
    if '#ifdef __cplusplus\nextern "C" {' not in text or \
            '#ifdef __cplusplus\n}\n#endif' not in text:
        failed += 1
        print(f'FAIL: {rel} has no extern "C" guards (#ifdef __cplusplus / extern "C" {{ ... }})')

print(f'{len(headers)} headers x {len(langs)} standards: {failed} failures')
sys.exit(1 if failed else 0)
