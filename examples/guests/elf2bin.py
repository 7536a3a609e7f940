#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the loadable segments of an AArch64 ELF as a flat binary (what
`objcopy -O binary` does, without needing a cross objcopy). With --same,
also check that a second ELF, the same code linked at another address,
gives the identical binary: the code is position-independent."""
import struct
import sys


def flat(path):
    d = open(path, 'rb').read()
    if d[:4] != b'\x7fELF' or d[4] != 2 or d[5] != 1:
        sys.exit(f'{path}: not a little-endian ELF64 file')
    phoff, = struct.unpack_from('<Q', d, 0x20)
    phentsize, phnum = struct.unpack_from('<HH', d, 0x36)
    segs = []
    for i in range(phnum):
        p_type, _, p_offset, _, p_paddr, p_filesz, _, _ = struct.unpack_from(
            '<IIQQQQQQ', d, phoff + i * phentsize)
        if p_type == 1 and p_filesz:
            segs.append((p_paddr, d[p_offset:p_offset + p_filesz]))
    base = min(a for a, _ in segs)
    out = bytearray(max(a + len(b) for a, b in segs) - base)
    for a, b in segs:
        out[a - base:a - base + len(b)] = b
    return bytes(out)


def main():
    args = sys.argv[1:]
    other = None
    if args[0] == '--same':
        other = args[1]
        args = args[2:]
    src, dst = args
    b = flat(src)
    if other is not None and flat(other) != b:
        sys.exit(f'{src} and {other} differ: the guest code is not position-independent')
    open(dst, 'wb').write(b)


if __name__ == '__main__':
    main()
