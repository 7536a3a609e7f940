#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-install.py DESTDIR [--aarch64]: the tree `meson install --destdir
DESTDIR` left (from build/host, and with --aarch64 from an aarch64 build
too) has the headers, and each flavour its own libhyp.a and libhyp.pc,
side by side (README.md, "Installing"):

  <libdir>/libhyp.a, <libdir>/pkgconfig/libhyp.pc                  host
  <libdir>/aarch64-none-elf/libhyp.a, .../pkgconfig/libhyp.pc      aarch64

Each libhyp.pc is compiler-neutral (Cflags: the include directory and
compiler-neutral flags only, nothing of one compiler's installation). A
host program built with `pkg-config --cflags --libs libhyp` runs; a
freestanding EL2 translation unit (consumer_el2.c) built and linked
against the aarch64 flavour with aarch64-linux-gnu-gcc and with clang
(the pc file's freestanding_cflags_gcc / _clang variables; a relocatable
link, -r, which pulls libhyp.a's members in as an image's link would)
leaves nothing undefined but what the image supplies (README.md):
memcpy, memmove, memset, memcmp."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

IMAGE_SUPPLIES = {'memcpy', 'memmove', 'memset', 'memcmp'}
dest = os.path.abspath(sys.argv[1])
aarch64 = '--aarch64' in sys.argv[2:]
here = os.path.dirname(os.path.abspath(__file__))
ok = True


def fail(msg):
    global ok
    print('FAIL:', msg)
    ok = False


def run(cmd, **kw):
    print('$', ' '.join(cmd))
    return subprocess.run(cmd, **kw)


need = ['include/libhyp/hw.h', 'include/libhyp/regdefs.h', 'include/libhyp/error.h',
        'include/libhyp/hw/sim.h', 'include/libhyp/version.h', 'include/libhyp/switch.h']
# Every public header of the source tree is installed (the topic parts of
# switch.h and stage2.h too: the umbrella includes them).
src_inc = os.path.join(here, '..', '..', 'include')
for root, _, files in os.walk(os.path.join(src_inc, 'libhyp')):
    need += [os.path.relpath(os.path.join(root, f), os.path.join(src_inc, '..'))
             for f in files if f.endswith('.h')]
for n in need:
    if not glob.glob(os.path.join(dest, '**', n), recursive=True):
        fail(f'{n} not installed')
if glob.glob(os.path.join(dest, '**', 'include/libhyp/meson.build'), recursive=True) or \
        glob.glob(os.path.join(dest, '**', 'include/libhyp/*.in'), recursive=True):
    fail('build files installed with the headers')

pcs = glob.glob(os.path.join(dest, '**', 'pkgconfig', 'libhyp.pc'), recursive=True)
host_pcs = [p for p in pcs if '/aarch64-none-elf/' not in p]
a64_pcs = [p for p in pcs if p.endswith('/aarch64-none-elf/pkgconfig/libhyp.pc')]
if len(host_pcs) != 1:
    fail(f'one host libhyp.pc expected, found {host_pcs}')
if aarch64 and len(a64_pcs) != 1:
    fail(f'one aarch64 libhyp.pc (<libdir>/aarch64-none-elf/pkgconfig) expected, found {a64_pcs}')
if not ok:
    sys.exit(1)


def pkg_config(pc, *args):
    env = dict(os.environ, PKG_CONFIG_LIBDIR=os.path.dirname(pc), PKG_CONFIG_SYSROOT_DIR=dest)
    env.pop('PKG_CONFIG_PATH', None)
    return subprocess.run(['pkg-config'] + list(args) + ['libhyp'], env=env, check=True,
                          stdout=subprocess.PIPE, text=True).stdout.split()


def check_flavour(pc, backend):
    libdir = os.path.dirname(os.path.dirname(pc))
    if not os.path.isfile(os.path.join(libdir, 'libhyp.a')):
        fail(f'{libdir}/libhyp.a missing beside {pc}')
    if pkg_config(pc, '--variable=backend') != [backend]:
        fail(f'{pc}: backend variable is not {backend}')
    cflags = pkg_config(pc, '--cflags')
    libs = pkg_config(pc, '--libs')
    print(f'{backend}: pkg-config --cflags --libs:', ' '.join(cflags + libs))
    # Compiler-neutral: no path but the installed include directory, none
    # of one compiler's include handling.
    for f in cflags:
        if f.startswith('-I'):
            if not f[2:].startswith(dest) or not f.endswith('/include'):
                fail(f'{pc}: include path {f} is not the installed include directory')
        elif '/' in f or f in ('-nostdinc', '-nostdlibinc') or f.startswith(('-isystem',
                                                                              '-idirafter')):
            fail(f'{pc}: compiler-specific flag {f} in Cflags')
    if f'-L{libdir}' not in libs:
        fail(f'{pc}: Libs {libs} do not point at {libdir}')
    return cflags, libs


cflags, libs = check_flavour(host_pcs[0], 'host')
with tempfile.TemporaryDirectory() as t:
    exe = os.path.join(t, 'consumer')
    if run(['cc', '-std=c11', '-Wall', '-Werror', os.path.join(here, 'consumer.c'), '-o', exe] +
           cflags + libs).returncode != 0 or run([exe]).returncode != 0:
        fail('host consumer')

if aarch64:
    pc = a64_pcs[0]
    cflags, libs = check_flavour(pc, 'aarch64')
    for f in ('-ffreestanding', '-mgeneral-regs-only', '-mstrict-align', '-mno-outline-atomics'):
        if f not in cflags:
            fail(f'{pc}: Cflags lack {f}')
    if os.path.samefile(os.path.dirname(os.path.dirname(pc)),
                        os.path.dirname(os.path.dirname(host_pcs[0]))):
        fail('the two flavours share one libdir')
    gcc = os.environ.get('AARCH64_GCC', 'aarch64-linux-gnu-gcc')
    compilers = []
    if shutil.which(gcc):
        inc = subprocess.run([gcc, '-print-file-name=include'], check=True,
                             stdout=subprocess.PIPE, text=True).stdout.strip()
        compilers.append(('gcc', [gcc], pkg_config(pc, '--variable=freestanding_cflags_gcc') +
                          ['-isystem', inc], []))
    else:
        fail(f'{gcc} not found')
    if shutil.which('clang') and shutil.which('ld.lld'):
        compilers.append(('clang', ['clang', '--target=aarch64-none-elf'],
                          pkg_config(pc, '--variable=freestanding_cflags_clang'), ['-fuse-ld=lld']))
    else:
        fail('clang / ld.lld not found')
    nm = shutil.which('llvm-nm') or shutil.which('aarch64-linux-gnu-nm')
    with tempfile.TemporaryDirectory() as t:
        for name, cc, inc_flags, ld in compilers:
            elf = os.path.join(t, f'consumer-{name}.o')
            cmd = cc + ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-pedantic'] + \
                cflags + inc_flags + ['-nostdlib', '-r'] + ld + \
                [os.path.join(here, 'consumer_el2.c'), '-o', elf] + libs
            if run(cmd).returncode != 0:
                fail(f'aarch64 consumer with {name}')
                continue
            out = subprocess.run([nm, elf], check=True, stdout=subprocess.PIPE,
                                 text=True).stdout.split('\n')
            undef = {line.split()[-1] for line in out if line.split()[:1] == ['U']}
            pulled = [line for line in out if line.endswith(' hyp_version')]
            if undef - IMAGE_SUPPLIES or not pulled:
                fail(f'aarch64 consumer with {name}: undefined {sorted(undef - IMAGE_SUPPLIES)}'
                     f'{"" if pulled else ", libhyp.a not linked in"}')
            else:
                print(f'aarch64 consumer with {name}: linked; undefined: {sorted(undef)}'
                      ' (the image supplies them)')
print('ok' if ok else 'FAILED')
sys.exit(0 if ok else 1)
