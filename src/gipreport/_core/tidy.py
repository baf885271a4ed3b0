"""Reports as rows: one row per cell, for CSV, pandas or a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from gipreport._core.model import CellValue, Report

__all__ = ["EXPORT_COLUMNS", "export_rows"]

EXPORT_COLUMNS: Final = (
    "file",
    "organ",
    "year",
    "format",
    "table",
    "row_path",
    "column",
    "row_label",
    "column_label",
    "unit",
    "value",
)
"""The columns of ``gipreport export --csv``, one row per cell of each report."""


def _value_text(value: CellValue) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def export_rows(name: str, report: Report) -> Iterator[tuple[str, ...]]:
    """Yield one row of :data:`EXPORT_COLUMNS` for each cell of ``report``.

    ``format`` is the report's national format (``2021`` or ``2019``: the same
    path means nothing across formats, and their cells differ); ``row_label`` is
    the row's labels from the outermost in, joined; a
    blank cell's value is the empty string, the fee is written with its digits.
    """
    organ, year, format_id = report.organ, str(report.year), report.format
    for cell in report.cells():
        spec = cell.spec
        yield (
            name,
            organ,
            year,
            format_id,
            spec.table,
            spec.row_path,
            spec.column.key,
            "".join(spec.row_labels),
            spec.column.label,
            spec.unit,
            _value_text(cell.value),
        )
