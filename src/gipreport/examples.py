"""Bundled example reports, for demonstrations, docs and tests.

:func:`mingan_2023` is a real report, transcribed by hand from the published
document; :func:`made_up_2020` is made up (a consistent report in the 2019
format, whose organ and figures are invented). Both are shipped as JSON
documents (version 1) in ``gipreport/_core/data``.

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

__all__ = ["made_up_2020", "made_up_2020_json", "mingan_2023", "mingan_2023_json"]


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


def made_up_2020_json() -> str:
    """Return the JSON document of the made-up 2019-format report for 2020.

    The text is exactly as bundled (``gipreport/_core/data/made_up_2020.json``),
    which is also what :func:`gipreport.dump_json` writes for :func:`made_up_2020`.
    """
    return (files("gipreport._core") / "data" / "made_up_2020.json").read_text(encoding="utf-8")


def made_up_2020() -> Report:
    """Return a made-up report for 2020 in the 2019 format (国办公开办函〔2019〕60号).

    Unlike :func:`mingan_2023`, this report is **not real**: 某某市某某区人民政府
    is no organ, and its figures were invented to be consistent (every rule
    passes, warnings too) while using what the 2019 tables have and the 2021
    ones do not: signed 本年增/减 (``-2``, ``+3``), 其他对外管理服务事项, 政府集中采购
    with 采购总金额 in 万元 (``25.1000``, that is 251000元), and a one-row
    （六）其他处理. Each call reads and loads the bundled document afresh.

    >>> report = made_up_2020()
    >>> report.format, report.cell("proactive.licensing.change")
    ('2019', -2)
    >>> report.cell("proactive.procurement.amount")
    Decimal('25.1000')
    >>> import gipreport
    >>> gipreport.check(report).findings
    ()
    """
    return load_json(made_up_2020_json())
