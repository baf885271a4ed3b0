"""Reports as rows: tidy tables of cells, findings, notes, indicators and reports.

Each table is described once, as data (:data:`TABLES`: its fields, their types,
Chinese titles, keys); the row types below are the same fields as named tuples,
and every writer (CSV, JSON Lines, Parquet, the data package, pandas) reads the
description. A row function takes one report and yields its rows, so a corpus
streams: nothing holds more than one report's rows at a time.

The rows of one report are made here from values the core holds (a report, its
findings and suspects); running the checks, reading notes and walking a corpus
is :mod:`gipreport._checking.corpus`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Final, Literal, NamedTuple, TypeAlias

import attrs

from gipreport._core.findings import Finding, Severity, Status, Suspect
from gipreport._core.form import FORMATS, FormSpec
from gipreport._core.indicators import IndicatorStatus, indicator_values
from gipreport._core.model import CellValue, Report, cell_reader

__all__ = [
    "EXPORT_COLUMNS",
    "TABLES",
    "CellRow",
    "FindingRow",
    "IndicatorRow",
    "NoteRow",
    "ReportRow",
    "TableField",
    "TableSchema",
    "cell_rows",
    "export_rows",
    "finding_rows",
    "indicator_rows",
    "report_from_cell_rows",
    "report_row",
    "wide_paths",
]

# --- the existing long CSV layout of ``gipreport export --csv`` -----------------------------

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


# --- the tables, described once --------------------------------------------------------------

FieldType: TypeAlias = Literal["text", "label", "integer", "count", "amount", "number", "bool"]
"""What a field holds, for every writer:

- ``text``: free text (a string; Parquet ``string``);
- ``label``: one of few repeated strings (Parquet dictionary-encoded, pandas categorical);
- ``integer``: a whole number that is never missing (a year, an index);
- ``count``: a whole number or missing (Parquet ``int64``, pandas ``Int64``);
- ``amount``: an exact decimal in 万元 or missing (Parquet ``decimal128(24, 12)``);
- ``number``: an exact decimal or missing, a sum or a rate (Parquet ``decimal128(38, 12)``);
- ``bool``: true or false;
- a list of cell paths is ``label`` with ``many=True``.
"""


@attrs.frozen(kw_only=True)
class TableField:
    """One column of a tidy table: its name, type, Chinese title and meaning.

    ``many`` marks a list of values (cell paths): a list in JSON Lines and
    Parquet, the values separated by spaces in CSV. ``required`` means never
    missing.
    """

    name: str
    type: FieldType
    title: str
    description: str
    required: bool = False
    many: bool = False


@attrs.frozen(kw_only=True)
class TableSchema:
    """One tidy table: its name, title, fields, primary key and foreign keys.

    ``foreign_keys`` maps a tuple of this table's fields to ``(table, fields)``.
    """

    name: str
    title: str
    description: str
    fields: tuple[TableField, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Return the field names in order."""
        return tuple(field.name for field in self.fields)

    def field(self, name: str) -> TableField:
        """Return the field called ``name``."""
        for field in self.fields:
            if field.name == name:
                return field
        msg = f"no field {name!r} in table {self.name}"
        raise KeyError(msg)


def _f(
    name: str,
    type_: FieldType,
    title: str,
    description: str,
    *,
    required: bool = False,
    many: bool = False,
) -> TableField:
    return TableField(
        name=name,
        type=type_,
        title=title,
        description=description,
        required=required,
        many=many,
    )


_SOURCE = _f("source", "text", "来源", "the file (or name) the report came from", required=True)
_ORGAN = _f("organ", "label", "发布机关", "the organ that published the report", required=True)
_YEAR = _f("year", "integer", "报告年度", "the year reported on", required=True)
_FORMAT = _f("format", "label", "报告格式", "the national format (2021, 2019)", required=True)
_TO_REPORTS = ((("source",), "reports", ("source",)),)
_WHOSE: Final = (_SOURCE, _ORGAN, _YEAR, _FORMAT)
"""The fields that say whose report a row is of, first in most tables."""


def _of_reports(
    name: str, title: str, description: str, *fields: TableField, key: str
) -> TableSchema:
    # A table of rows of reports: keyed by the source and ``key``, each row's
    # source one of the reports table's.
    return TableSchema(
        name=name,
        title=title,
        description=description,
        fields=fields,
        primary_key=("source", key),
        foreign_keys=_TO_REPORTS,
    )


@functools.cache
def wide_paths() -> tuple[tuple[str, str, FieldType], ...]:
    """Return ``(path, label, type)`` of every cell of every implemented format, once each.

    These are the cell columns of the wide ``reports`` table, in the order of
    the formats and, within one, of the form; a cell another format has not is
    missing in a report of that format. A path two formats label differently
    has the first format's label, then ``；2019: <label>``.
    """
    labels: dict[str, list[tuple[str, str]]] = {}
    types: dict[str, FieldType] = {}
    for form in FORMATS.values():
        for spec in form.cells:
            labels.setdefault(spec.path, []).append((form.id, spec.label))
            types.setdefault(spec.path, "amount" if spec.kind == "amount" else "count")
    out = []
    for path, said in labels.items():
        # A path two formats share may be labelled otherwise in each: both are said.
        first = said[0][1]
        others = [f"{form_id}: {label}" for form_id, label in said[1:] if label != first]
        out.append((path, "；".join([first, *others]), types[path]))
    return tuple(out)


_REPORT_FIELDS: Final = (
    *_WHOSE,
    _f("title", "text", "标题", "the report's own title; missing for the standard one"),
    _f("published_on", "text", "成文日期", "the date of issue, YYYY-MM-DD"),
)

TABLES: Final[Mapping[str, TableSchema]] = {
    "cells": _of_reports(
        "cells",
        "表格单元格",
        "one row per table cell of each report; a blank cell is blank, never 0",
        *_WHOSE,
        _f("table", "label", "表", "the table's JSON key", required=True),
        _f("path", "label", "单元格路径", "the cell's dotted JSON path", required=True),
        _f("row_path", "label", "行路径", "the row's dotted JSON path", required=True),
        _f("row_label", "label", "行标签", "the row's labels, outermost first", required=True),
        _f("column", "label", "列", "the column's key", required=True),
        _f("column_label", "label", "列标签", "the column's Chinese label", required=True),
        _f("unit", "label", "单位", "件 or 万元", required=True),
        _f("kind", "label", "类型", "count or amount", required=True),
        _f("count", "count", "件数", "the value of a count cell; missing if blank"),
        _f("amount", "amount", "金额（万元）", "the value of an amount cell; missing if blank"),
        _f("blank", "bool", "空白", "whether the cell is blank (not 0)", required=True),
        key="path",
    ),
    "findings": _of_reports(
        "findings",
        "检查结果",
        "one row per finding of the checks: failed or not assessable",
        _SOURCE,
        _f("index", "integer", "序号", "the finding's place among the report's", required=True),
        _ORGAN,
        _YEAR,
        _FORMAT,
        _f("rule", "label", "规则", "the rule's ID (RULES.md)", required=True),
        _f("severity", "label", "严重程度", "error or warning", required=True),
        _f("status", "label", "状态", "failed or not_assessable", required=True),
        _f("instance", "label", "实例", "which instance of the rule", required=True),
        _f("cells", "label", "所读单元格", "the cell paths the instance read", many=True),
        _f("left", "number", "左边", "the sum of the left side"),
        _f("right", "number", "右边", "the sum of the right side"),
        _f("difference", "number", "差额", "left minus right"),
        _f("suspects", "label", "可疑单元格", "suspect cells among those read", many=True),
        _f("message_zh", "text", "说明", "what is wrong, in Chinese", required=True),
        _f("message_en", "text", "message", "what is wrong, in English", required=True),
        key="index",
    ),
    "notes": _of_reports(
        "notes",
        "读取说明",
        "one row per note made while reading a published report",
        _SOURCE,
        _f("index", "integer", "序号", "the note's place among the source's", required=True),
        _f("code", "label", "代码", "the note's code (NOTE_CODES)", required=True),
        _f("severity", "label", "严重程度", "error, warning or info", required=True),
        _f("message", "text", "说明", "what was odd", required=True),
        _f("path", "label", "字段路径", "the report field or cell concerned"),
        _f("text", "text", "原文", "the raw source text concerned", required=True),
        _f("line", "count", "行号", "1-based line in the source"),
        _f("paragraph", "count", "段落", "0-based paragraph among the source's"),
        _f("table_index", "count", "表格", "0-based table among the source's"),
        _f("row", "count", "表格行", "0-based row in that table"),
        _f("column", "count", "表格列", "0-based column in that table"),
        _f("page", "count", "页码", "1-based page, for a paged source"),
        key="index",
    ),
    "indicators": _of_reports(
        "indicators",
        "指标",
        "one row per derived indicator of each report (INDICATORS)",
        *_WHOSE,
        _f("indicator", "label", "指标", "the indicator's ID", required=True),
        _f("label", "label", "名称", "the indicator's Chinese name", required=True),
        _f("status", "label", "状态", "assessed, not_assessable or undefined", required=True),
        _f("numerator", "count", "分子", "the sum of the numerator's cells"),
        _f("denominator", "count", "分母", "the sum of the denominator's cells"),
        _f("value", "number", "值", "numerator / denominator, 6 decimal places"),
        _f("cells", "label", "所读单元格", "the cell paths read", many=True),
        key="indicator",
    ),
    "reports": TableSchema(
        name="reports",
        title="年度报告",
        description=(
            "one row per report: its header and every cell as a column (the wide layout);"
            " a cell of another format is missing"
        ),
        fields=(
            *_REPORT_FIELDS,
            *(_f(path, kind, label, f"the cell {path}") for path, label, kind in wide_paths()),
        ),
        primary_key=("source",),
    ),
}
"""Every tidy table, by name: what ``gipreport export --to`` writes and :func:`gipreport.frames`
returns."""


# --- the row types -----------------------------------------------------------------------------


class CellRow(NamedTuple):
    """One cell of one report (the ``cells`` table)."""

    source: str
    organ: str
    year: int
    format: str
    table: str
    path: str
    row_path: str
    row_label: str
    column: str
    column_label: str
    unit: str
    kind: str
    # A field may shadow a tuple method (count, index): the column names are the tables'.
    count: int | None  # type: ignore[assignment]
    amount: Decimal | None
    blank: bool

    @property
    def value(self) -> CellValue:
        """Return the cell's value: the count, the amount, or ``None`` for a blank."""
        return self.amount if self.kind == "amount" else self.count


class FindingRow(NamedTuple):
    """One finding of the checks on one report (the ``findings`` table)."""

    source: str
    index: int  # type: ignore[assignment]
    organ: str
    year: int
    format: str
    rule: str
    severity: Severity
    status: Status
    instance: str
    cells: tuple[str, ...]
    left: int | Decimal | None
    right: int | Decimal | None
    difference: int | Decimal | None
    suspects: tuple[str, ...]
    message_zh: str
    message_en: str


class NoteRow(NamedTuple):
    """One note made while reading one source (the ``notes`` table)."""

    source: str
    index: int  # type: ignore[assignment]
    code: str
    severity: str
    message: str
    path: str | None
    text: str
    line: int | None
    paragraph: int | None
    table_index: int | None
    row: int | None
    column: int | None
    page: int | None


class IndicatorRow(NamedTuple):
    """One derived indicator of one report (the ``indicators`` table)."""

    source: str
    organ: str
    year: int
    format: str
    indicator: str
    label: str
    status: IndicatorStatus
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    cells: tuple[str, ...]


class ReportRow(NamedTuple):
    """One report in the wide layout (the ``reports`` table).

    ``cells`` holds a value for every path of :func:`wide_paths`, ``None`` for a
    blank and for a cell the report's format has not.
    """

    source: str
    organ: str
    year: int
    format: str
    title: str | None
    published_on: str | None
    cells: tuple[CellValue, ...]


# --- rows of one report ----------------------------------------------------------------------


def cell_rows(report: Report, *, source: str) -> Iterator[CellRow]:
    """Yield one :class:`CellRow` for each cell of ``report``, in the form's order.

    A blank cell has ``blank`` true and neither a count nor an amount: a blank
    is never 0.

    >>> import gipreport
    >>> row = next(cell_rows(gipreport.examples.mingan_2023(), source="mingan.json"))
    >>> row.path, row.row_label, row.column_label, row.value, row.blank
    ('proactive.rules.issued', '规章', '本年制发件数', 0, False)
    """
    organ, year, form_id = report.organ, report.year, report.format
    form = report.form
    make = CellRow._make
    for fixed, value in zip(_fixed_columns(form), cell_reader(form)(report), strict=True):
        if isinstance(value, Decimal):
            yield make((source, organ, year, form_id, *fixed, None, value, False))
        else:
            yield make((source, organ, year, form_id, *fixed, value, None, value is None))


@functools.cache
def _fixed_columns(form: FormSpec) -> tuple[tuple[str, ...], ...]:
    # What a cell's row says of it whatever the report: made once per format.
    return tuple(
        (
            spec.table,
            spec.path,
            spec.row_path,
            "".join(spec.row_labels),
            spec.column.key,
            spec.column.label,
            spec.unit,
            spec.kind,
        )
        for spec in form.cells
    )


def report_from_cell_rows(rows: Iterable[CellRow], *, organ: str, year: int) -> Report:
    """Return a report of ``organ`` and ``year`` whose tables hold the cells of ``rows``.

    The inverse of :func:`cell_rows` for the tables: the rows of one report
    (any order) rebuild its every cell exactly. Its prose is empty.
    """
    values: dict[str, CellValue] = {}
    formats: set[str] = set()
    for row in rows:
        values[row.path] = row.value
        formats.add(row.format)
    if len(formats) != 1:
        msg = f"the rows are of {len(formats)} formats, not one"
        raise ValueError(msg)
    return Report(format=formats.pop(), organ=organ, year=year).with_cells(values)


def finding_rows(
    report: Report,
    findings: Iterable[Finding],
    *,
    source: str,
    suspects: Iterable[Suspect] = (),
) -> Iterator[FindingRow]:
    """Yield one :class:`FindingRow` for each of ``findings`` on ``report``.

    ``suspects`` are the report's suspect cells (:attr:`gipreport.CheckResult.suspects`);
    each row names those among the cells its finding read.
    """
    suspect_cells = {suspect.cell for suspect in suspects}
    organ, form_id = report.organ, report.format
    for index, finding in enumerate(findings):
        yield FindingRow(
            source,
            index,
            organ,
            finding.year,
            form_id,
            finding.rule,
            finding.severity,
            finding.status,
            finding.instance,
            finding.cells,
            finding.left,
            finding.right,
            finding.difference,
            tuple(cell for cell in finding.cells if cell in suspect_cells),
            finding.message_zh,
            finding.message_en,
        )


def indicator_rows(report: Report, *, source: str) -> Iterator[IndicatorRow]:
    """Yield one :class:`IndicatorRow` for each indicator of ``report``'s format."""
    organ, year, form_id = report.organ, report.year, report.format
    for value in indicator_values(report):
        spec = value.indicator
        yield IndicatorRow(
            source,
            organ,
            year,
            form_id,
            spec.id,
            spec.label,
            value.status,
            value.numerator,
            value.denominator,
            value.value,
            spec.cells_for(report.form),
        )


def report_row(report: Report, *, source: str) -> ReportRow:
    """Return ``report`` in the wide layout: its header and every cell as a column."""
    values = report.values()
    published = report.published_on.isoformat() if report.published_on else None
    return ReportRow(
        source,
        report.organ,
        report.year,
        report.format,
        report.title,
        published,
        tuple(values.get(path) for path, _label, _type in wide_paths()),
    )
