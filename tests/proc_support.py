"""Processes as Linux's /proc tells them: the tests of a batch's workers look them up."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

PROC = Path("/proc")

needs_proc = pytest.mark.skipif(not (PROC / "self" / "stat").exists(), reason="reads /proc")
"""A test that looks processes up (Linux)."""


def _stat(pid: int) -> tuple[int, str] | None:
    """Return the parent and the state (``"Z"``: ended, not yet reaped) of ``pid``, if any."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone
        return None
    return int(fields[1]), fields[0]


def children(parent: int, *, running: bool = False) -> list[int]:
    """Return the processes whose parent is ``parent`` (only those not ended, if ``running``)."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[0] == parent and not (running and stat[1] == "Z"):
                found.append(int(entry.name))
    return found


def still_running(pids: Iterable[int]) -> list[int]:
    """Return those of ``pids`` that have not ended (neither gone nor a zombie)."""
    return [pid for pid in pids if (stat := _stat(pid)) is not None and stat[1] != "Z"]
