"""A generated corpus of report files: many organs and years, some wrong, some blank."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pandas as pd

import gipreport
from checks_support import valid_report
from gipreport import CellRow, Report

BASES = 25
"""Distinct valid reports the corpus varies (making each from scratch is slower)."""


def corpus_report(index: int, bases: list[Report]) -> Report:
    """Return the ``index``-th report: a valid base, renamed, and every few one broken."""
    report = attrs.evolve(
        bases[index % len(bases)], organ=f"第{index}号县人民政府", year=2019 + index % 6
    )
    if index % 7 == 3:  # a typo in table 3: the balance and a row total fail
        value = report.cell("requests.new_received.commercial")
        assert isinstance(value, int)
        report = report.with_cell("requests.new_received.commercial", value + 1)
    if index % 11 == 5:  # a blank: not assessable
        report = report.with_cell("appeals.review.upheld", None)
    return report


def write_corpus(directory: Path, count: int) -> list[Path]:
    """Write ``count`` report files (JSON) under ``directory``, 100 a folder; return them."""
    bases = [valid_report(seed) for seed in range(BASES)]
    paths = []
    for index in range(count):
        folder = directory / f"county{index // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"r{index:06d}.json"
        path.write_text(gipreport.dump_json(corpus_report(index, bases)), encoding="utf-8")
        paths.append(path)
    return paths


def cell_row(record: dict[str, Any]) -> CellRow:
    """Return the :class:`CellRow` of one record of a ``cells`` frame read back from a file."""
    plain: dict[str, Any] = {
        key: (None if pd.isna(value) else value) for key, value in record.items()
    }
    plain["count"] = None if plain["count"] is None else int(plain["count"])
    plain["year"] = int(plain["year"])
    plain["blank"] = bool(plain["blank"])
    return CellRow(**plain)
