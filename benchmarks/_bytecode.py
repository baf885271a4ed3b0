"""Bytecode for the package, as an installed one has it, before a benchmark starts processes."""

from __future__ import annotations

import compileall
import sys
from pathlib import Path

import gipreport


def compile_package() -> None:
    """Compile gipreport's modules to bytecode, as pip does when it installs the package.

    An editable install in an environment that sets ``PYTHONDONTWRITEBYTECODE=1`` (this
    machine's, and many CI images') has none, and never writes it: every new process
    would compile each module it imports — twice the CPU of ``import gipreport`` — which
    an installed package never pays. The benchmarks that time new processes (start-up,
    ``gipreport check`` and its workers) compile first, so that they time what users run.
    Python reads bytecode whatever ``PYTHONDONTWRITEBYTECODE`` says.
    """
    package = Path(gipreport.__file__).resolve().parent
    if not compileall.compile_dir(package, quiet=1):
        print(f"could not compile {package} to bytecode", file=sys.stderr)
