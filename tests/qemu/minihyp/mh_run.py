# SPDX-License-Identifier: MIT
"""What the minihyp console tests (console.py, vuart_input.py,
whole_lines.py) share: bench.py loaded as a module, and their common
command-line arguments."""
import argparse
import importlib.util


def load_bench(path):
    """examples/minihyp/bench.py as a module (its qemu_cmd(), new_token(),
    exit_status())."""
    spec = importlib.util.spec_from_file_location('bench', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def parser(doc, guest_help=None):
    """An argument parser with --bench, --qemu, --minihyp, --guest, --gic and
    --cpu; the caller adds its own."""
    p = argparse.ArgumentParser(description=doc)
    p.add_argument('--bench', required=True, help='examples/minihyp/bench.py')
    p.add_argument('--qemu', required=True)
    p.add_argument('--minihyp', required=True)
    p.add_argument('--guest', required=True, help=guest_help)
    p.add_argument('--gic', default='3')
    p.add_argument('--cpu', default='max')
    return p
