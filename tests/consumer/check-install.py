#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-install.py DESTDIR: the installed tree has the headers, libhyp.a
and libhyp.pc, and a program built with `pkg-config --cflags --libs libhyp`
against it runs."""
import glob
import os
import subprocess
import sys
import tempfile

dest = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
need = ['include/libhyp/hw.h', 'include/libhyp/regdefs.h', 'include/libhyp/error.h',
        'include/libhyp/hw/sim.h']
ok = True
for n in need:
    if not glob.glob(os.path.join(dest, '**', n), recursive=True):
        print(f'FAIL: {n} not installed')
        ok = False
libs = glob.glob(os.path.join(dest, '**', 'libhyp.a'), recursive=True)
pcs = glob.glob(os.path.join(dest, '**', 'pkgconfig', 'libhyp.pc'), recursive=True)
if not libs or not pcs:
    print(f'FAIL: libhyp.a {libs} / libhyp.pc {pcs} not installed')
    sys.exit(1)
env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pcs[0]),
           PKG_CONFIG_SYSROOT_DIR=dest)
flags = subprocess.run(['pkg-config', '--cflags', '--libs', 'libhyp'], env=env,
                       check=True, stdout=subprocess.PIPE, text=True).stdout.split()
print('pkg-config:', ' '.join(flags))
with tempfile.TemporaryDirectory() as t:
    exe = os.path.join(t, 'consumer')
    subprocess.run(['cc', '-std=c11', '-Wall', '-Werror', os.path.join(here, 'consumer.c'),
                    '-o', exe] + flags, check=True)
    ok &= subprocess.run([exe]).returncode == 0
sys.exit(0 if ok else 1)
