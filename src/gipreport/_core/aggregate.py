"""Aggregating reports: several organs' tables added up cell by cell."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import PurePath

from gipreport._core.model import CellValue, Report

__all__ = ["sum_reports"]


def _duplicates(reports: Sequence[Report], names: Sequence[str]) -> str | None:
    """Return what is wrong when two reports are of the same organ and year, else ``None``."""
    seen: dict[tuple[str, int], int] = {}
    for index, report in enumerate(reports):
        key = (report.organ, report.year)
        first = seen.setdefault(key, index)
        if first == index:
            continue
        one, other = names[first], names[index]
        same_file = PurePath(one).with_suffix("") == PurePath(other).with_suffix("")
        what = (
            f"the same report is given twice, as {one} and {other}"
            if same_file and one != other
            else f"{report.organ} {report.year} is given twice ({one}, {other})"
        )
        return f"{what}: it would be counted twice; pass allow_duplicates=True to add it anyway"
    return None


def _check_parts(
    reports: Sequence[Report], names: Sequence[str] | None, *, allow_duplicates: bool
) -> None:
    formats = {report.format for report in reports}
    if len(formats) > 1:
        msg = f"cannot add reports of different formats: {', '.join(sorted(formats))}"
        raise ValueError(msg)
    if names is not None and len(names) != len(reports):
        msg = f"{len(names)} names for {len(reports)} reports"
        raise ValueError(msg)
    if not allow_duplicates:
        labels = list(names) if names is not None else [f"[{i}]" for i in range(len(reports))]
        problem = _duplicates(reports, labels)
        if problem is not None:
            raise ValueError(problem)


def sum_reports(
    reports: Iterable[Report],
    *,
    organ: str,
    year: int | None = None,
    names: Sequence[str] | None = None,
    allow_duplicates: bool = False,
) -> Report:
    """Return a report whose every table cell is the sum of that cell in ``reports``.

    A cell that is blank (``None``) in any report is blank in the sum: a blank
    is an unknown, and an unknown plus anything is unknown. The fee is added
    exactly (``Decimal``). The result belongs to ``organ`` (say, the county
    that aggregates its departments' reports) and to ``year``, which defaults
    to the reports' common year; its prose is empty and its date unset. Every
    report must be of the same format.

    A sum a user can trust counts each report once: two reports of the same
    organ and year (the same report read from ``a.json`` and ``a.docx``, or
    one file given twice) raise :class:`ValueError` naming them, unless
    ``allow_duplicates`` is true. ``names`` are the reports' file names (or
    any labels), in order, for that message.

    The checks are linear, so a sum of valid reports is valid: each arithmetic
    rule holds for the sum when it holds for every part.

    >>> import gipreport
    >>> import attrs
    >>> one = gipreport.examples.mingan_2023().with_cell("appeals.review.upheld", 2)
    >>> two = attrs.evolve(one, organ="乌拉特前旗乌拉山镇人民政府")
    >>> total = sum_reports([one, two], organ="乌拉特前旗人民政府")
    >>> total.appeals.review.upheld, total.year
    (4, 2023)
    >>> sum_reports([one, one], organ="合计", names=["a.json", "a.docx"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the same report is given twice, as a.json and a.docx: it would be counted twice; ...
    """
    reports = list(reports)
    if not reports:
        msg = "sum_reports() needs at least one report"
        raise ValueError(msg)
    _check_parts(reports, names, allow_duplicates=allow_duplicates)
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
