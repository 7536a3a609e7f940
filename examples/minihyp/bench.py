#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the seed 004 guests (examples/guests) under minihyp or on bare QEMU.

  bench.py run [options]      one QEMU run, checked (the meson tests)
  bench.py table [options]    every benchmark in every configuration, one table
  bench.py gate [--update]    the default configuration's figures against
                              docs/benchmarks.json (the test 'qemu-minihyp-bench-gate')

A guest under minihyp:
  qemu-system-aarch64 -machine virt,virtualization=on,gic-version=G -cpu C -smp N
      -kernel minihyp.elf -device loader,file=GUEST.bin,addr=0x48000000,force-raw=on
      -append 'minihyp.guest=0x48000000,SIZE [minihyp.eager=1] minihyp.bootargs="iters=N ..."'
The same guest on bare QEMU (the floor), at EL1 with QEMU's own PSCI:
  qemu-system-aarch64 -machine virt,gic-version=G -cpu C -kernel GUEST.bin -append 'iters=N ...'

With -icount shift=0,sleep=off QEMU runs one instruction per virtual
nanosecond: the guests' "instructions per iteration" are exact and the
same on every run.

Exit status: QEMU never gets its semihosting option (with it, a guest's HLT #0xF000
reaches the host). Each run passes minihyp a fresh random
minihyp.token=HEX on its own command line; minihyp prints
"minihyp: exit TOKEN STATUS TOKEN" before powering off, and only a line
with this run's token counts (a guest shares the console and can print
anything else).
"""
import argparse
import concurrent.futures
import json
import os
import re
import secrets
import subprocess
import sys

GUEST_ADDR = 0x48000000
# Several VMs (--vm): VM N's image and RAM at GUEST_ADDR + N * VM_RAM, VM_RAM
# each (VM 0 then gets minihyp.mem too: the VMs' RAM must not overlap).
VM_RAM = 0x4000000
BENCH_RE = re.compile(r'bench (\S+): (\d+) iterations, (\d+) ticks at (\d+) Hz: '
                      r'([0-9.]+) instructions per iteration')


EXIT_RE = re.compile(r'^minihyp: exit (\S+) (\d+) (\S+)$')
VM_EXIT_RE = re.compile(r'^minihyp: vm(\d+): exit (\S+) (\d+) (\S+)$')


def vm_exit_status(out, token, vm):
    """VM @vm's status from its line `minihyp: vmN: exit TOKEN STATUS TOKEN`
    (several VMs), None if absent or printed twice."""
    found = None
    for line in out.splitlines():
        m = VM_EXIT_RE.match(line.strip('\r'))
        if m and int(m.group(1)) == vm and m.group(2) == token and m.group(4) == token:
            if found is not None:
                return None
            found = int(m.group(3))
    return found


def new_token():
    """A fresh secret for minihyp's exit-status line (128 bits)."""
    return secrets.token_hex(16)


def exit_status(out, token):
    """The status of minihyp's exit line carrying @token (None: none).
    token None: the untrusted line without a token ("-"), for runs that
    stop before minihyp can read its command line."""
    want = token if token is not None else '-'
    found = None
    for line in out.splitlines():
        m = EXIT_RE.match(line.strip('\r'))
        if m and m.group(1) == want and m.group(3) == want:
            if found is not None:
                return None  # minihyp prints it once: two is a forgery
            found = int(m.group(2))
    return found


def qemu_cmd(a, guest, bare, gic, cpu, smp=1, icount=True, eager=False, fast_path=True,
             guest_args='', mh_args='', cmdline=None, extra=(), token=None, vms=()):
    """The QEMU command line. Never semihosting: QEMU would service a
    guest's HLT #0xF000 itself, with the host's files and commands."""
    cmd = [a.qemu, '-nographic', '-nic', 'none', '-m', '512M', '-cpu', cpu, '-smp', str(smp)]
    if icount:
        cmd += ['-icount', 'shift=0,sleep=off']
    cmd += list(extra)
    if '-semihosting' in cmd or any(x.startswith('-semihosting') for x in cmd):
        raise SystemExit('bench.py: refusing -semihosting (a guest would reach the host)')
    tok = f' minihyp.token={token}' if token else ''
    if bare:
        return cmd + ['-machine', f'virt,gic-version={gic}', '-kernel', guest,
                      '-append', guest_args]
    if cmdline is not None:
        # minihyp's command line as given (bad-input tests), and the guest if any
        if guest:
            cmd += ['-device', f'loader,file={guest},addr={GUEST_ADDR:#x},force-raw=on']
        return cmd + ['-machine', f'virt,virtualization=on,gic-version={gic}',
                      '-kernel', a.minihyp, '-append', (cmdline + tok).strip()]
    size = os.path.getsize(guest)
    line = f'minihyp.guest={GUEST_ADDR:#x},{size:#x}' + tok
    loaders = []
    # more VMs: (N, image, guest args, more minihyp.vmN.* options)
    if vms:
        line += f' minihyp.mem={GUEST_ADDR:#x},{VM_RAM:#x}'
    for n, img, vargs, vopts in vms:
        addr = GUEST_ADDR + n * VM_RAM
        line += (f' minihyp.vm{n}.guest={addr:#x},{os.path.getsize(img):#x}'
                 f' minihyp.vm{n}.mem={addr:#x},{VM_RAM:#x}')
        for o in vopts.split():
            line += f' minihyp.vm{n}.{o}'
        if vargs:
            line += f' minihyp.vm{n}.bootargs="{vargs}"'
        loaders += ['-device', f'loader,file={img},addr={addr:#x},force-raw=on']
    if eager:
        line += ' minihyp.eager=1'
    if not fast_path:
        line += ' minihyp.fastpath=0'
    if mh_args:
        line += ' ' + mh_args
    if guest_args:
        line += f' minihyp.bootargs="{guest_args}"'
    return cmd + ['-machine', f'virt,virtualization=on,gic-version={gic}',
                  '-kernel', a.minihyp,
                  '-device', f'loader,file={guest},addr={GUEST_ADDR:#x},force-raw=on'] + loaders + [
                  '-append', line]


def parse_vms(a):
    """--vm N=IMAGE, --vm-args N=ARGS, --vm-opts N=OPTS: [(N, IMAGE, ARGS, OPTS)]."""
    def kv(items):
        d = {}
        for x in items:
            k, _, v = x.partition('=')
            d[int(k)] = v
        return d
    imgs, args, opts = kv(a.vm), kv(a.vm_args), kv(a.vm_opts)
    return [(n, imgs[n], args.get(n, ''), opts.get(n, '')) for n in sorted(imgs)]


def run_qemu(cmd, timeout):
    """(output, exit status); status None if QEMU did not stop in time."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return p.stdout.decode(errors='replace'), p.returncode
    except subprocess.TimeoutExpired as e:
        return (e.stdout or b'').decode(errors='replace'), None


def bench_value(out):
    m = BENCH_RE.search(out)
    return (m.group(1), float(m.group(5))) if m else (None, None)


# ---- run: one checked run

def cmd_run(a):
    token = None if a.bare or a.no_token else new_token()
    cmd = qemu_cmd(a, a.guest, a.bare, a.gic, a.cpu, a.smp, a.icount, a.eager, not a.no_fast_path,
                   a.guest_args, a.mh_args, a.cmdline, a.qemu_arg, token, parse_vms(a))
    print('$ ' + ' '.join(cmd).replace(token or '\0', 'TOKEN'), flush=True)
    out, status = run_qemu(cmd, a.timeout)
    print(out.replace(token or '\0', 'TOKEN'))
    ok = True
    if status is None:
        print(f'FAIL: QEMU did not stop within {a.timeout}s')
        return 1
    if a.bare:
        mh = status
    elif status != 0:
        print(f'FAIL: QEMU exited with {status} (minihyp powers off: 0)')
        mh = None
        ok = False
    else:
        mh = exit_status(out, token)
        if a.no_token and a.exit_code == 0:
            print('FAIL: --no-token cannot prove a success (an untrusted line)')
            ok = False
    if mh is None and ok:
        print('FAIL: no exit-status line with this run\'s token')
        ok = False
    elif mh is not None and mh != a.exit_code:
        print(f'FAIL: exit status {mh}, expected {a.exit_code}')
        ok = False
    for e in a.expect:
        if e not in out:
            print(f'FAIL: expected output missing: {e!r}')
            ok = False
    for x in a.vm_exit:
        n, _, code = x.partition('=')
        got = vm_exit_status(out, token, int(n))
        if got != int(code):
            print(f'FAIL: vm{n}: exit status {got}, expected {code}')
            ok = False
    for first, then in a.expect_before:
        i, j = out.find(first), out.find(then)
        if i < 0 or j < 0 or i > j:
            print(f'FAIL: expected {first!r} before {then!r}')
            ok = False
    for text, least in a.min_count:
        if out.count(text) < int(least):
            print(f'FAIL: {text!r} printed {out.count(text)} times, at least {least}')
            ok = False
    for pat, least in a.min_value:
        vals = [int(m) for m in re.findall(pat, out)]
        if not vals or sum(vals) < int(least):
            print(f'FAIL: {pat!r}: values {vals}, sum below {least}')
            ok = False
    for r in a.reject:
        if r in out:
            print(f'FAIL: output contains rejected string {r!r}')
            ok = False
    for text, most in a.max_count:
        if out.count(text) > int(most):
            print(f'FAIL: {text!r} printed {out.count(text)} times, at most {most}')
            ok = False
    if a.band:
        name, v = bench_value(out)
        lo, hi = a.band
        if v is None:
            print('FAIL: no benchmark line in the output')
            ok = False
        elif not lo <= v <= hi:
            print(f'FAIL: {name}: {v} instructions per iteration, outside [{lo}, {hi}]')
            ok = False
        else:
            print(f'{name}: {v} instructions per iteration, within [{lo}, {hi}]')
    # A guest's own failure report, or an unexpected exception anywhere.
    for bad in ('FAIL', 'UNEXPECTED'):
        if bad in out and not a.allow_fail_text:
            print(f'FAIL: output contains {bad!r}')
            ok = False
    return 0 if ok else 1


# ---- table: every benchmark, every configuration

# (row name, guest binary, GIC version, guest arguments)
ROWS = [
    ('null-hvc', 'null-hvc', 3, ''),
    ('sysreg-trap', 'sysreg-trap', 3, ''),
    ('self-sgi (GICv3)', 'self-sgi', 3, ''),
    ('self-sgi (GICv2)', 'self-sgi', 2, ''),
    ('sysreg-dirty rate=1', 'sysreg-dirty', 3, 'rate=1'),
    ('sysreg-dirty rate=64', 'sysreg-dirty', 3, 'rate=64'),
    ('sysreg-dirty rate=0', 'sysreg-dirty', 3, 'rate=0'),
]
# Rows of the table only (not in the gate's figures: docs/benchmarks.json
# has none for them yet), with their -smp: (row name, guest binary, GIC
# version, guest arguments, CPUs). cross-sgi: vCPU 0 sends an SGI to vCPU 1,
# which minihyp runs on the other physical CPU, blocked in WFI between
# SGIs; the count is the round trip (both CPUs' instructions, see
# examples/guests/cross_sgi.c), and the sender's share is counted from
# QEMU's trace (sender_side()).
XROWS = [
    ('cross-sgi (GICv3)', 'cross-sgi', 3, '', 2),
    ('cross-sgi (GICv2)', 'cross-sgi', 2, '', 2),
]
# The host benchmark's names for the same rows.
HOST_NAMES = ['null-hvc', 'sysreg-trap', 'self-sgi-v3', 'self-sgi-v2', 'sysreg-dirty rate=1',
              'sysreg-dirty rate=64', 'sysreg-dirty rate=0']
CONFIGS = ['bare', 'default', 'eager']


def one(a, row, config, iters=None, extra=()):
    _, guest, gic, args = row[:4]
    smp = row[4] if len(row) > 4 else 1
    args = f'iters={iters or a.iters} {args}'.strip()
    token = None if config == 'bare' else new_token()
    cmd = qemu_cmd(a, os.path.join(a.guests, guest + '.bin'), config == 'bare', gic, a.cpu,
                   smp=smp, guest_args=args, eager=config == 'eager', token=token,
                   extra=extra)
    out, status = run_qemu(cmd, a.timeout)
    _, v = bench_value(out)
    if status == 0 and token is not None and exit_status(out, token) != 0:
        status = None
    if status != 0 or v is None:
        sys.stderr.write(f'{row[0]} ({config}) failed:\n$ {" ".join(cmd)}\n{out}\n')
        return None
    return v


TRACE_CPU_RE = re.compile(r'^Trace (\d+): ')


def trace_parser():
    """profile.py's parser of a QEMU `-d in_asm,exec,nochain` log
    (executed_blocks()), loaded from beside this file (the name "profile"
    is also a standard module)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'mh_profile', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'profile.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.executed_blocks


def elf_range(path):
    """[lowest, highest) virtual address of an ELF64's PT_LOAD segments."""
    import struct
    with open(path, 'rb') as f:
        data = f.read()
    phoff, = struct.unpack_from('<Q', data, 0x20)
    phentsize, phnum = struct.unpack_from('<HH', data, 0x36)
    lo, hi = None, None
    for i in range(phnum):
        ptype, _, _, vaddr, _, _, memsz, _ = struct.unpack_from('<IIQQQQQQ', data,
                                                                 phoff + i * phentsize)
        if ptype == 1:
            lo = vaddr if lo is None else min(lo, vaddr)
            hi = vaddr + memsz if hi is None else max(hi, vaddr + memsz)
    return lo, hi


def cpu0_hyp_instructions(a, row, config, iters):
    """Instructions CPU 0 executed inside minihyp's image in one run of
    @row, from QEMU's `-d in_asm,exec,nochain` trace (each translated
    block's size times its executions, as profile.py counts), or None."""
    import tempfile
    lo, hi = elf_range(a.minihyp)
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, 'trace.log')
        if one(a, row, config, iters, ('-d', 'in_asm,exec,nochain', '-D', log)) is None:
            return None
        total = 0
        with open(log, errors='replace') as f:
            # CPU 0's executions only; every CPU's translations
            lines = (x for x in f if not (TRACE_CPU_RE.match(x) and not x.startswith('Trace 0:')))
            for pc, n in trace_parser()(lines):
                if lo <= pc < hi:
                    total += n if n is not None else 1
        return total


def sender_side(a, row, config, iters=1024):
    """The sender's share of an SGI to another vCPU: CPU 0's instructions
    in minihyp per SGI (the trapped write: vector, vGIC, the kick), the
    difference of a run of 2N and one of N iterations over N (boot and
    set-up cancel out). None if a run failed."""
    x, y = (cpu0_hyp_instructions(a, row, config, n) for n in (iters, 2 * iters))
    return None if x is None or y is None else (y - x) / iters


def host_counts(path):
    counts = {}
    if not path:
        return counts
    p = subprocess.run([path], check=True, capture_output=True, text=True)
    for line in p.stdout.splitlines():
        if line.startswith('{'):
            d = json.loads(line)
            counts[(d['guest'], d['config'])] = d
    return counts


def fmt_counts(d):
    if not d:
        return 'n/a'
    def n(x):
        return f'{x:.2f}'.rstrip('0').rstrip('.')
    total = d['mrs'] + d['msr'] + d['mmio']
    s = f'{n(total)} ({n(d["mrs"])} MRS, {n(d["msr"])} MSR'
    if d['mmio']:
        s += f', {n(d["mmio"])} MMIO'
    s += ')'
    if d['gic']:
        s += f', GIC {n(d["gic"])}'
    return s


def cmd_table(a):
    jobs = {}
    rows = [r for r in ROWS if a.only in r[0]]
    xrows = [r for r in XROWS if a.only in r[0]]
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for row in rows + xrows:
            for config in CONFIGS:
                jobs[(row[0], config)] = ex.submit(one, a, row, config)
        for row in xrows:
            for config in ('default', 'eager'):
                jobs[(row[0], config, 'sender')] = ex.submit(sender_side, a, row, config)
    res = {k: f.result() for k, f in jobs.items()}
    counts = host_counts(a.host_bench)
    failed = any(v is None for v in res.values())

    def n(v):
        return 'FAILED' if v is None else f'{v:.2f}'.rstrip('0').rstrip('.')

    lines = [
        f'minihyp on QEMU virt, -cpu {a.cpu}, -icount shift=0,sleep=off, {a.iters} iterations: '
        'instructions per iteration (one guest exit each; sysreg-dirty: a yield every 16th)',
        '',
        '| benchmark | bare QEMU (floor) | minihyp default | minihyp eager | eager / default '
        '| HW accesses per iteration, default | HW accesses per iteration, eager |',
        '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    ]
    for row, hname in zip(ROWS, HOST_NAMES):
        if row not in rows:
            continue
        b, d, e = (res[(row[0], c)] for c in CONFIGS)
        ratio = f'{e / d:.1f}x' if d and e else 'n/a'
        lines.append(f'| {row[0]} | {n(b)} | {n(d)} | {n(e)} | {ratio} | '
                     f'{fmt_counts(counts.get((hname, "default")))} | '
                     f'{fmt_counts(counts.get((hname, "eager")))} |')
    for row in xrows:
        b, d, e = (res[(row[0], c)] for c in CONFIGS)
        ratio = f'{e / d:.1f}x' if d and e else 'n/a'
        sd, se = (res[(row[0], c, 'sender')] for c in ('default', 'eager'))
        lines.append(f'| {row[0]}, round trip | {n(b)} | {n(d)} | {n(e)} | {ratio} | '
                     f'sender (CPU 0 in minihyp) per SGI: {n(sd)} | {n(se)} |')
    lines += [
        '',
        'default: libhyp\'s fast path, registers DEFERRED with the HCR_EL2.TVM group DIRTY '
        '(adaptive), the vGIC touching only used LRs. eager: every register IMMEDIATE, the vGIC '
        'saving everything, every exit through the run loop. HW accesses: system registers '
        '(MRS/MSR) and GICH MMIO per iteration on the host backend\'s simulated CPU, the same '
        'exit paths (tests/bench/bench_minihyp.c); "GIC": of those, ICH_*_EL2 or GICH. '
        'cross-sgi (-smp 2): vCPU 0 sends an SGI to vCPU 1 on the other CPU, in a WFI loop; '
        'the round trip counts both CPUs; the last two columns give instead the sender\'s '
        'instructions inside minihyp per SGI (CPU 0, from QEMU\'s trace).',
    ]
    print('\n'.join(lines))
    return 1 if failed else 0


# ---- selftest: the exit-status line's parser against forgeries

def cmd_selftest(a):
    t, f = 'a' * 32, 'b' * 32
    cases = [
        (f'minihyp: exit {t} 0 {t}\n', t, 0),
        (f'x\r\nminihyp: exit {t} 125 {t}\r\n', t, 125),
        # a guest's fakes: another token, no token, half a token
        (f'minihyp: exit {f} 0 {f}\nminihyp: exit {t} 3 {t}\n', t, 3),
        (f'minihyp: exit - 0 -\nminihyp: exit {t} 3 {t}\n', t, 3),
        (f'minihyp: exit {t} 0 {f}\n', t, None),
        (f'minihyp: exit {t[:16]} 0 {t[:16]}\n', t, None),
        # characters a guest inserted into minihyp's line (another CPU)
        (f'minihyp: exit {t} 0\n 125 {t}\n', t, None),
        (f'minihyp: exit {t} 1x25 {t}\n', t, None),
        # printed twice: one is forged
        (f'minihyp: exit {t} 0 {t}\nminihyp: exit {t} 0 {t}\n', t, None),
        # no line at all, or one without a token while a token was given
        ('minihyp: guest SYSTEM_OFF\n', t, None),
        ('minihyp: exit - 125 -\n', t, None),
        # the untrusted form, only when no token was given (--no-token)
        ('minihyp: exit - 125 -\n', None, 125),
    ]
    bad = 0
    for out, token, want in cases:
        got = exit_status(out, token)
        if got != want:
            print(f'FAIL: exit_status({out!r}, {token!r}) = {got}, want {want}')
            bad += 1
    # per-VM lines (several VMs): the VM's own line with the token, once
    vm_cases = [
        (f'minihyp: vm1: exit {t} 3 {t}\nminihyp: exit {t} 3 {t}\n', 1, 3),
        (f'minihyp: vm1: exit {t} 3 {t}\n', 0, None),
        (f'minihyp: vm1: exit {f} 0 {f}\nminihyp: vm1: exit {t} 3 {t}\n', 1, 3),
        (f'minihyp: vm1: exit {t} 3 {t}\nminihyp: vm1: exit {t} 0 {t}\n', 1, None),
        (f'minihyp: vm1: exit {t} 0\n 3 {t}\n', 1, None),
    ]
    for out, vm, want in vm_cases:
        got = vm_exit_status(out, t, vm)
        if got != want:
            print(f'FAIL: vm_exit_status({out!r}, vm{vm}) = {got}, want {want}')
            bad += 1
    for extra in (['-semihosting'], ['-semihosting-config', 'enable=on']):
        try:
            qemu_cmd(a, 'guest.bin', True, 3, 'max', extra=extra)
            print(f'FAIL: qemu_cmd accepted {extra}')
            bad += 1
        except SystemExit:
            pass
    print('exit-status parser ok' if not bad else f'{bad} failure(s)')
    return 1 if bad else 0


# ---- gate: the default configuration's figures against the checked-in file

GATE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'docs',
                         'benchmarks.json')
GATE_WORSE = 0.01   # fail: more than 1% above the checked-in figure
GATE_BETTER = 0.05  # notice: more than 5% below it (update the file)


def gate_measure(a):
    """The default column of the world-switch table: {row name: count}."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        jobs = {row[0]: ex.submit(one, a, row, 'default') for row in ROWS}
    return {k: f.result() for k, f in jobs.items()}


def cmd_gate(a):
    """Deterministic under -icount: a measured count more than 1% above the
    figure in docs/benchmarks.json fails; more than 5% below it prints a
    notice to update the file (`bench.py gate --update`)."""
    with open(a.file) as f:
        data = json.load(f)
    key = f'{a.compiler} -cpu {a.cpu}'
    got = gate_measure(a)
    if any(v is None for v in got.values()):
        print('FAIL: a benchmark run failed')
        return 1
    if a.update:
        data.setdefault('figures', {})[key] = {k: round(v, 2) for k, v in got.items()}
        data['iters'] = a.iters
        with open(a.file, 'w') as f:
            json.dump(data, f, indent=2)
            f.write('\n')
        print(f'{a.file}: figures for {key} updated')
        for k, v in got.items():
            print(f'  {k}: {v:g}')
        return 0
    want = data.get('figures', {}).get(key)
    if want is None:
        print(f'FAIL: {a.file} has no figures for {key!r} (run: bench.py gate --update '
              f'--compiler {a.compiler} --cpu {a.cpu} ...)')
        return 1
    if a.iters != data.get('iters'):
        print(f'FAIL: {a.file} was measured with {data.get("iters")} iterations, not {a.iters}')
        return 1
    ok = True
    for name, v in got.items():
        ref = want.get(name)
        if ref is None:
            print(f'FAIL: {name}: {v:g}, no figure in {a.file}')
            ok = False
        elif v > ref * (1 + GATE_WORSE):
            print(f'FAIL: {name}: {v:g} instructions per iteration, figure {ref:g} '
                  f'(+{(v / ref - 1) * 100:.1f}%, more than {GATE_WORSE * 100:g}% worse)')
            ok = False
        elif v < ref * (1 - GATE_BETTER):
            print(f'NOTICE: {name}: {v:g} instructions per iteration, figure {ref:g} '
                  f'({(v / ref - 1) * 100:.1f}%): better by more than {GATE_BETTER * 100:g}%; '
                  'update the figures: bench.py gate --update')
        else:
            print(f'{name}: {v:g} instructions per iteration, figure {ref:g}: ok')
    return 0 if ok else 1


# ---- linux: a Linux kernel Image with a minimal initramfs (the stretch goal)

def cpio_newc(entries):
    """An uncompressed cpio archive, "newc" format (what the kernel's
    initramfs unpacker reads): (name, mode, data, rdev major, rdev minor)."""
    out = bytearray()
    for ino, (name, mode, data, major, minor) in enumerate(entries + [('TRAILER!!!', 0, b'', 0, 0)]):
        nb = name.encode() + b'\0'
        fields = [ino + 1, mode, 0, 0, 1, 0, len(data), 0, 0, major, minor, len(nb), 0]
        out += b'070701' + b''.join(b'%08X' % f for f in fields) + nb
        out += b'\0' * (-len(out) % 4) + data
        out += b'\0' * (-len(out) % 4)
    return bytes(out)


LINUX_VM_RAM = 0x18000000  # --vms: each Linux VM's RAM (384 MiB), from GUEST_ADDR up


def cmd_linux(a):
    """One Linux VM (the kernel at GUEST_ADDR, its initramfs at 0x50000000),
    or with --vms N, N of them, VM i's RAM at GUEST_ADDR + i * LINUX_VM_RAM
    (its kernel at the start, its initramfs 128 MiB in; -m must hold them),
    each with a status line of its own."""
    import tempfile
    init = open(a.init, 'rb').read()
    cpio = cpio_newc([('dev', 0o40755, b'', 0, 0),
                      ('dev/console', 0o20600, b'', 5, 1),
                      ('dev/kmsg', 0o20644, b'', 1, 11),
                      ('init', 0o100755, init, 0, 0)])
    ksize = os.path.getsize(a.kernel)
    args = f'console=ttyAMA0 rdinit=/init panic=-1 {a.bootargs}'.strip()
    with tempfile.NamedTemporaryFile(suffix='.cpio') as f:
        f.write(cpio)
        f.flush()
        token = new_token()
        line = f'minihyp.token={token}'
        loaders = []
        for i in range(a.vms):
            base = GUEST_ADDR + i * LINUX_VM_RAM
            initrd = 0x50000000 if a.vms == 1 else base + 0x8000000
            key = 'minihyp.' if a.vms == 1 else f'minihyp.vm{i}.'
            line += (f' {key}guest={base:#x},{ksize:#x} {key}initrd={initrd:#x},{len(cpio):#x}'
                     f' {key}bootargs="{args}"')
            if a.vms > 1:
                line += f' {key}mem={base:#x},{LINUX_VM_RAM:#x}'
            loaders += ['-device', f'loader,file={a.kernel},addr={base:#x},force-raw=on',
                        '-device', f'loader,file={f.name},addr={initrd:#x},force-raw=on']
        if a.mh_args:
            line += ' ' + a.mh_args
        cmd = [a.qemu, '-nographic', '-nic', 'none', '-m', a.mem, '-no-reboot',
               '-machine', f'virt,virtualization=on,gic-version={a.gic}', '-cpu', a.cpu,
               '-smp', str(a.smp), '-kernel', a.minihyp] + loaders + ['-append', line]
        print('$ ' + ' '.join(cmd), flush=True)
        out, status = run_qemu(cmd, a.timeout)
    print(out)
    missing = []
    if out.count('minihyp-init: hello from Linux userspace') < a.vms:
        missing.append(f'{a.vms} x minihyp-init: hello from Linux userspace')
    if a.vms == 1 and 'minihyp: guest SYSTEM_OFF' not in out:
        missing.append('minihyp: guest SYSTEM_OFF')
    for i in range(a.vms if a.vms > 1 else 0):
        if vm_exit_status(out, token, i) != 0:
            missing.append(f'minihyp: vm{i}: exit TOKEN 0 TOKEN')
    if status == 0 and exit_status(out, token) != 0:
        missing.append('minihyp: exit TOKEN 0 TOKEN')
    if status is None or status != 0 or missing:
        print(f'FAIL: exit status {status}, missing {missing}')
        return 1
    print('linux ok')
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run', help='one checked run')
    r.add_argument('--qemu', default='qemu-system-aarch64')
    r.add_argument('--minihyp', help='minihyp.elf (not needed with --bare)')
    r.add_argument('--guest', help='a guest .bin')
    r.add_argument('--cmdline', help="minihyp's whole command line (no minihyp.guest added)")
    r.add_argument('--qemu-arg', action='append', default=[], help='one more QEMU argument')
    r.add_argument('--bare', action='store_true', help='no hypervisor: the guest at EL1')
    r.add_argument('--gic', type=int, default=3)
    r.add_argument('--cpu', default='max')
    r.add_argument('--smp', type=int, default=1)
    r.add_argument('--icount', action='store_true')
    r.add_argument('--eager', action='store_true')
    r.add_argument('--no-fast-path', action='store_true')
    r.add_argument('--no-token', action='store_true',
                   help='minihyp stops before reading its command line (a broken DT): '
                   'accept its untrusted "minihyp: exit - STATUS -" line, for a non-zero '
                   '--exit-code only')
    r.add_argument('--guest-args', default='', help="the guest's command line")
    r.add_argument('--mh-args', default='', help='more of minihyp\'s command line')
    r.add_argument('--timeout', type=float, default=60)
    r.add_argument('--exit-code', type=int, default=0,
                   help="minihyp's expected exit status (its exit line; bare: QEMU's)")
    r.add_argument('--expect', action='append', default=[])
    r.add_argument('--reject', action='append', default=[])
    r.add_argument('--max-count', nargs=2, action='append', default=[], metavar=('TEXT', 'N'),
                   help='TEXT may appear at most N times')
    r.add_argument('--vm', action='append', default=[], metavar='N=IMAGE',
                   help='VM N (1..3) runs IMAGE (VM 0: --guest)')
    r.add_argument('--vm-args', action='append', default=[], metavar='N=ARGS',
                   help="VM N's guest command line")
    r.add_argument('--vm-opts', action='append', default=[], metavar='N=OPTS',
                   help='more minihyp.vmN.KEY=VALUE options, e.g. 1=vcpus=2')
    r.add_argument('--vm-exit', action='append', default=[], metavar='N=CODE',
                   help="VM N's status in its line `minihyp: vmN: exit TOKEN STATUS TOKEN`")
    r.add_argument('--expect-before', nargs=2, action='append', default=[],
                   metavar=('FIRST', 'THEN'), help='FIRST must appear before THEN')
    r.add_argument('--min-count', nargs=2, action='append', default=[], metavar=('TEXT', 'N'),
                   help='TEXT must appear at least N times')
    r.add_argument('--min-value', nargs=2, action='append', default=[], metavar=('REGEX', 'N'),
                   help="the sum of REGEX's group 1 over the output must be at least N")
    r.add_argument('--band', type=float, nargs=2, metavar=('LO', 'HI'),
                   help='instructions per iteration must be within [LO, HI]')
    r.add_argument('--allow-fail-text', action='store_true',
                   help='do not fail on "FAIL"/"UNEXPECTED" in the output')
    t = sub.add_parser('table', help='the benchmark table')
    t.add_argument('--qemu', default='qemu-system-aarch64')
    t.add_argument('--minihyp', required=True)
    t.add_argument('--guests', required=True, help='the directory with the guest .bin files')
    t.add_argument('--host-bench', help='the host benchmark (bench-minihyp) for the counts')
    t.add_argument('--cpu', default='max')
    t.add_argument('--iters', type=int, default=65536)
    t.add_argument('--jobs', type=int, default=os.cpu_count() or 1)
    t.add_argument('--timeout', type=float, default=300)
    t.add_argument('--only', default='', metavar='TEXT',
                   help='only the rows whose name contains TEXT (e.g. cross-sgi)')
    st = sub.add_parser('selftest', help="the exit-status line's parser against forgeries")
    st.add_argument('--qemu', default='qemu-system-aarch64')
    g = sub.add_parser('gate', help='the default figures against docs/benchmarks.json')
    g.add_argument('--qemu', default='qemu-system-aarch64')
    g.add_argument('--minihyp', required=True)
    g.add_argument('--guests', required=True, help='the directory with the guest .bin files')
    g.add_argument('--compiler', required=True, help="the image's compiler: gcc, clang")
    g.add_argument('--cpu', default='max')
    g.add_argument('--iters', type=int, default=65536)
    g.add_argument('--jobs', type=int, default=2)
    g.add_argument('--timeout', type=float, default=300)
    g.add_argument('--file', default=GATE_FILE)
    g.add_argument('--update', action='store_true',
                   help='write the measured figures into the file instead of checking')
    li = sub.add_parser('linux', help='a Linux kernel Image to userspace under minihyp')
    li.add_argument('--qemu', default='qemu-system-aarch64')
    li.add_argument('--minihyp', required=True)
    li.add_argument('--kernel', required=True, help='an arm64 Image (Debian: boot/vmlinuz-*)')
    li.add_argument('--init', required=True, help='the /init program (linux-init.elf)')
    li.add_argument('--gic', type=int, default=3)
    li.add_argument('--cpu', default='max')
    li.add_argument('--smp', type=int, default=2)
    li.add_argument('--mem', default='1G')
    li.add_argument('--bootargs', default='')
    li.add_argument('--vms', type=int, default=1, choices=(1, 2, 3, 4),
                    help='that many Linux VMs (each LINUX_VM_RAM of RAM; -m must hold them)')
    li.add_argument('--mh-args', default='', help="more of minihyp's command line, e.g. minihyp.vcpus=4")
    li.add_argument('--timeout', type=float, default=300)
    a = ap.parse_args()
    return {'run': cmd_run, 'table': cmd_table, 'gate': cmd_gate, 'selftest': cmd_selftest,
            'linux': cmd_linux}[a.cmd](a)


if __name__ == '__main__':
    sys.exit(main())
