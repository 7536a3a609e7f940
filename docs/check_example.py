#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A guide's example is literally the compiled test it names.

Usage: check_example.py GUIDE.md SOURCE.c -- the first ```c block of the
guide's "## Example" section must equal SOURCE.c byte for byte.
"""
import re
import sys

guide, source = sys.argv[1], sys.argv[2]
text = open(guide, encoding='utf-8').read()
section = text.split('\n## Example\n', 1)
m = re.search(r'\n```c\n(.*?)```\n', section[1], re.S) if len(section) == 2 else None
if not m:
    sys.exit(f'{guide}: no ```c block in an "## Example" section')
if m.group(1) != open(source, encoding='utf-8').read():
    sys.exit(f'{guide}: the example differs from {source}')
