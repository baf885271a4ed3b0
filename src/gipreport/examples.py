"""Bundled example reports, for demonstrations, docs and tests.

The reports are real ones, transcribed by hand from the published documents and
shipped as JSON documents (version 1) in ``gipreport/_core/data``.

>>> from gipreport import examples
>>> report = examples.mingan_2023()
>>> report.display_title
'乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告'
>>> report.published_on
datetime.date(2024, 1, 10)
"""

from __future__ import annotations

from importlib.resources import files

from gipreport._core.jsonio import load_json
from gipreport._core.model import Report

__all__ = ["mingan_2023", "mingan_2023_json"]


def mingan_2023_json() -> str:
    """Return the JSON document of 乌拉特前旗明安镇人民政府's report for 2023.

    The text is exactly as bundled (``gipreport/_core/data/mingan_2023.json``): keys in
    the order of the specification, two-space indent, a final newline, so it is
    also what :func:`gipreport.dump_json` writes for :func:`mingan_2023`.
    """
    return (files("gipreport._core") / "data" / "mingan_2023.json").read_text(encoding="utf-8")


def mingan_2023() -> Report:
    """Return 乌拉特前旗明安镇人民政府's report for 2023 (format 2021).

    A small township's report, issued on 2024-01-10: prose with five
    sub-headings in 总体情况, and every table cell 0 (no requests, no appeals,
    a fee of 0 万元). Each call reads and loads the bundled document afresh.

    >>> mingan_2023().cell("requests.results.total.total")
    0
    """
    return load_json(mingan_2023_json())
