"""Aggregating reports: several organs' tables added up cell by cell."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from gipreport._core.model import CellValue, Report

__all__ = ["sum_reports"]


def sum_reports(reports: Iterable[Report], *, organ: str, year: int | None = None) -> Report:
    """Return a report whose every table cell is the sum of that cell in ``reports``.

    A cell that is blank (``None``) in any report is blank in the sum: a blank
    is an unknown, and an unknown plus anything is unknown. The fee is added
    exactly (``Decimal``). The result belongs to ``organ`` (say, the county
    that aggregates its departments' reports) and to ``year``, which defaults
    to the reports' common year; its prose is empty and its date unset. Every
    report must be of the same format.

    The checks are linear, so a sum of valid reports is valid: each arithmetic
    rule holds for the sum when it holds for every part.

    >>> import gipreport
    >>> one = gipreport.examples.mingan_2023().with_cell("appeals.review.upheld", 2)
    >>> total = sum_reports([one, one], organ="乌拉特前旗人民政府")
    >>> total.appeals.review.upheld, total.year
    (4, 2023)
    """
    reports = list(reports)
    if not reports:
        msg = "sum_reports() needs at least one report"
        raise ValueError(msg)
    formats = {report.format for report in reports}
    if len(formats) > 1:
        msg = f"cannot add reports of different formats: {', '.join(sorted(formats))}"
        raise ValueError(msg)
    if year is None:
        years = {report.year for report in reports}
        if len(years) > 1:
            listed = ", ".join(str(y) for y in sorted(years))
            msg = f"the reports are of several years ({listed}); pass year= explicitly"
            raise ValueError(msg)
        (year,) = years
    totals: dict[str, CellValue] = {}
    for index, report in enumerate(reports):
        for path, value in report.values().items():
            if index == 0:
                totals[path] = value
                continue
            so_far = totals[path]
            if so_far is None or value is None:
                totals[path] = None
            elif isinstance(so_far, Decimal) or isinstance(value, Decimal):
                totals[path] = Decimal(so_far) + Decimal(value)
            else:
                totals[path] = so_far + value
    return Report(format=reports[0].format, organ=organ, year=year).with_cells(totals)
