"""Running the command line in this process, for the CLI tests (the ``gip`` fixture)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

import attrs
import pytest

from gipreport._cli.app import main


@attrs.frozen
class Run:
    """What one run of ``gipreport`` gave: its exit status and its output."""

    status: int
    out: str
    err: str


Gip: TypeAlias = Callable[..., Run]
"""Run ``gipreport ARGS…`` in this process; return its status and output."""


def runner(capsys: pytest.CaptureFixture[str]) -> Gip:
    """Return a function running ``gipreport`` with ``capsys`` capturing its output."""

    def run(*argv: str | Path) -> Run:
        capsys.readouterr()
        status = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run
