#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-sysreg-types.py SRC_INCLUDE BUILD_INCLUDE @cc CMD... @cflags FLAGS...

Register ids and register encodings are distinct types (libhyp/regdefs.h,
hyp_sysreg_enc_t): passing an id where an encoding is expected, or an
encoding where an id is expected, must not compile. Each case is a pair of
translation units that differ only in that argument: the right one must
compile (with -Wall -Wextra -Werror -pedantic), the swapped one must be
rejected (without -Werror: a hard error, not a warning)."""
import subprocess
import sys
import tempfile

PRELUDE = '#include <libhyp/sysreg.h>\n'
CASES = [
    # (name, body with {ARG}, right argument, swapped argument)
    ('id where an encoding is expected: hyp_sysreg_id_of()',
     'int f(void) { return hyp_sysreg_id_of({ARG}); }',
     'HYP_ENC(SCTLR_EL1)', 'HYP_REG_SCTLR_EL1'),
    ('id where an encoding is expected: hyp_sysreg_enc_name()',
     'const char *f(void) { return hyp_sysreg_enc_name({ARG}); }',
     'HYP_ENC(TCR_EL1)', 'HYP_REG_TCR_EL1'),
    ('id into an encoding variable',
     'int f(void) { hyp_sysreg_enc_t e = {ARG}; return e.raw; }',
     'HYP_ENC(SCTLR_EL1)', 'HYP_REG_SCTLR_EL1'),
    ('encoding where an id is expected: hyp_sysreg_vcpu_read_id()',
     'uint64_t f(const struct hyp_sysreg_vcpu *v) { return hyp_sysreg_vcpu_read_id(v, {ARG}); }',
     'HYP_REG_SCTLR_EL1', 'HYP_ENC(SCTLR_EL1)'),
    ('encoding where an id is expected: hyp_cpu_idreg()',
     'uint64_t f(void) { return hyp_cpu_idreg({ARG}); }',
     'HYP_REG_ID_AA64MMFR0_EL1', 'HYP_ENC(ID_AA64MMFR0_EL1)'),
    ('encoding where an id is expected: hyp_sysreg_enc_of()',
     'int f(void) { return hyp_sysreg_enc_of({ARG}).raw; }',
     'HYP_REG_VBAR_EL1', 'hyp_sysreg_enc_of(HYP_REG_VBAR_EL1)'),
]

argv = sys.argv[1:]
src_inc, build_inc = argv[0], argv[1]
at_cc, at_cflags = argv.index('@cc'), argv.index('@cflags')  # @cc CMD... @cflags FLAGS...
cc, cflags = argv[at_cc + 1:at_cflags], argv[at_cflags + 1:]
base = cc + cflags + ['-std=c11', '-I' + src_inc, '-I' + build_inc, '-fsyntax-only']
failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for name, body, good, bad in CASES:
        for arg, must_compile in ((good, True), (bad, False)):
            path = f'{tmp}/tu.c'
            with open(path, 'w') as f:
                f.write(PRELUDE + body.replace('{ARG}', arg) + '\n')
            flags = ['-Wall', '-Wextra', '-Werror', '-pedantic'] if must_compile else []
            r = subprocess.run(base + flags + [path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            if must_compile and r.returncode != 0:
                failed += 1
                print(f'FAIL: {name}: the right argument {arg} does not compile:\n{r.stdout}')
            elif not must_compile and r.returncode == 0:
                failed += 1
                print(f'FAIL: {name}: the swapped argument {arg} compiles')
            else:
                print(f'ok: {name}: {arg} {"compiles" if must_compile else "is rejected"}')
sys.exit(1 if failed else 0)
