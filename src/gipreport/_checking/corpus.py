"""A corpus as tidy tables: reports read, checked and tabulated, one report at a time.

This module and :mod:`.cluster` are the only ones of the checking package that
may import the readers (``tests/test_architecture.py``): a corpus is files to
read as well as reports to check. Everything streams; nothing holds more than
one report's rows at a time, except :func:`frames`, which builds data frames.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs

from gipreport._checking.checks import check
from gipreport._core.errors import LoadError, ParseError, Problem
from gipreport._core.jsonio import load_json
from gipreport._core.model import Report
from gipreport._core.tablefiles import OutputFormat, row_values, write_table_files
from gipreport._core.tidy import (
    TABLES,
    CellRow,
    cell_rows,
    finding_rows,
    indicator_rows,
    report_from_cell_rows,
    report_row,
)
from gipreport._reading.api import read
from gipreport._reading.source import ParseNote, ParseResult
from gipreport._reading.tidy import note_rows

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TABLE_NAMES",
    "Item",
    "frames",
    "rebuild_reports",
    "tidy_rows",
    "tidy_tables",
    "write_tables",
]

Item: TypeAlias = Report | ParseResult | os.PathLike[str] | tuple[str, Report | ParseResult]
"""What the corpus functions take, one per report: a report, a read result (its
notes become the ``notes`` table), a path to read (``.json``, ``.docx``,
``.html``, ``.txt``), or ``(source, report or read result)`` to name it. An
unnamed report is named by its place, ``[0]``, ``[1]``, …; a path by itself."""

TABLE_NAMES: Final = tuple(TABLES)
"""The tidy tables: ``cells``, ``findings``, ``notes``, ``indicators``, ``reports``."""


def _entry(index: int, item: object) -> tuple[str, Report, tuple[ParseNote, ...]]:
    # Typed as object: a corpus comes from outside, and a wrong item gets a clear error.
    source = f"[{index}]"
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        source, item = item
    elif isinstance(item, os.PathLike):
        source = os.fspath(item)
        item = _read_named(source)
    if isinstance(item, ParseResult):
        return source, item.report, item.notes
    if isinstance(item, Report):
        return source, item, ()
    msg = f"item {index}: expected a Report, a ParseResult or a path, not {type(item).__name__}"
    raise TypeError(msg)


def _read_named(source: str) -> ParseResult:
    """Read the file ``source``; a :class:`LoadError` names it in each problem."""
    path = Path(source)
    try:
        if path.suffix.lower() == ".json":  # data, not a published page: every problem kept
            return ParseResult(report=load_json(path.read_bytes()), notes=(), format="json")
        return read(path)
    except OSError as error:
        problems = [
            Problem("", f"cannot read {source}: {error.strerror or error}", type="file_unreadable")
        ]
    except LoadError as error:
        problems = [attrs.evolve(p, message=f"{p.message} (in {source})") for p in error.errors]
    except ParseError as error:
        problems = [Problem("", f"{error} (in {source})", type="source_invalid")]
    raise LoadError(problems)  # outside the handler: nothing unpicklable in its context


def _check_tables(tables: Sequence[str] | None) -> tuple[str, ...]:
    chosen = TABLE_NAMES if tables is None else tuple(tables)
    unknown = [table for table in chosen if table not in TABLES]
    if unknown:
        msg = f"unknown table {unknown[0]!r}; the tables are {', '.join(TABLE_NAMES)}"
        raise ValueError(msg)
    return chosen


PerReport: TypeAlias = dict[str, Sequence[Any]]
"""One report's rows, by table."""


def _rows_of(
    source: str,
    report: Report,
    notes: Sequence[ParseNote],
    tables: Sequence[str],
    *,
    select: Sequence[str] | None = None,
    skip: Sequence[str] | None = None,
) -> PerReport:
    out: PerReport = {}
    for table in tables:
        if table == "cells":
            out[table] = list(cell_rows(report, source=source))
        elif table == "findings":
            result = check(report, select=select, skip=skip)
            out[table] = list(
                finding_rows(report, result.findings, source=source, suspects=result.suspects)
            )
        elif table == "notes":
            out[table] = list(note_rows(notes, source=source))
        elif table == "indicators":
            out[table] = list(indicator_rows(report, source=source))
        else:
            out[table] = [report_row(report, source=source)]
    return out


def tidy_tables(
    items: Iterable[Item],
    *,
    tables: Sequence[str] | None = None,
    select: Sequence[str] | None = None,
    skip: Sequence[str] | None = None,
) -> Iterator[PerReport]:
    """Yield, for each item, ``{table: rows}`` for every table in ``tables`` (default: all).

    The findings are those of :func:`gipreport.check` with ``select`` and
    ``skip``. One pass over ``items``: each report is read and checked once.
    """
    chosen = _check_tables(tables)
    for index, item in enumerate(items):
        source, report, notes = _entry(index, item)
        yield _rows_of(source, report, notes, chosen, select=select, skip=skip)


def tidy_rows(
    items: Iterable[Item],
    table: str,
    *,
    select: Sequence[str] | None = None,
    skip: Sequence[str] | None = None,
) -> Iterator[Any]:
    """Yield the rows of one tidy table for ``items``, streaming.

    ``table`` is one of :data:`TABLE_NAMES`; the rows are
    :class:`~gipreport.CellRow`, :class:`~gipreport.FindingRow`,
    :class:`~gipreport.NoteRow`, :class:`~gipreport.IndicatorRow` or
    :class:`~gipreport.ReportRow`.

    >>> import gipreport
    >>> rows = gipreport.tidy_rows([gipreport.examples.mingan_2023()], "cells")
    >>> sum(1 for _ in rows)
    200
    """
    for per_report in tidy_tables(items, tables=(table,), select=select, skip=skip):
        yield from per_report[table]


def rebuild_reports(rows: Iterable[CellRow]) -> Iterator[tuple[str, Report]]:
    """Yield ``(source, report)`` rebuilt from a ``cells`` table, one per source, in order.

    The rows of a source must be together (as :func:`tidy_rows` writes them);
    each report's cells are exactly those of the rows, its prose empty.
    """
    current: list[CellRow] = []
    for row in rows:
        if current and row.source != current[0].source:
            yield current[0].source, _rebuilt(current)
            current = []
        current.append(row)
    if current:
        yield current[0].source, _rebuilt(current)


def _rebuilt(rows: list[CellRow]) -> Report:
    return report_from_cell_rows(rows, organ=rows[0].organ, year=rows[0].year)


def write_tables(
    items: Iterable[Item],
    directory: str | os.PathLike[str],
    *,
    to: OutputFormat = "parquet",
    tables: Sequence[str] | None = None,
    partition_by_year: bool = False,
    formula_guard: bool = True,
    encoding: str = "utf-8-sig",
    package: bool = True,
    select: Sequence[str] | None = None,
    skip: Sequence[str] | None = None,
) -> list[Path]:
    """Write the tidy tables of ``items`` into ``directory``; return the paths written.

    One file per table (``cells.parquet``, …; with ``partition_by_year`` a
    ``cells/year=2023/part-0.parquet`` tree), and ``datapackage.json``
    describing them beside the files (unless ``package`` is false). CSV is
    ``encoding`` (UTF-8 with a BOM by default) with the formula guard on unless
    ``formula_guard`` is false. Constant memory: rows are written as they come.
    """
    chosen = _check_tables(tables)
    return write_table_files(
        Path(directory),
        tidy_tables(items, tables=chosen, select=select, skip=skip),
        tables=chosen,
        to=to,
        partition_by_year=partition_by_year,
        formula_guard=formula_guard,
        encoding=encoding,
        package=package,
    )


# --- pandas --------------------------------------------------------------------------------


def _frame(table: str, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    import pandas as pd  # noqa: PLC0415 - optional, and heavy

    schema = TABLES[table]
    flat = [row_values(schema, row) for row in rows]
    columns = list(zip(*flat, strict=True)) if flat else [() for _ in schema.fields]
    data: dict[str, Any] = {}
    for field, column in zip(schema.fields, columns, strict=True):
        values = list(column)
        if field.many:
            data[field.name] = pd.Series(values, dtype=object)
        elif field.type == "label":
            data[field.name] = pd.Categorical(values)
        elif field.type in {"integer", "count"}:
            data[field.name] = pd.array(values, dtype="Int64")
        elif field.type == "bool":
            data[field.name] = pd.array(values, dtype="boolean")
        elif field.type in {"amount", "number"}:
            # Exact: Decimal objects (or None); .astype(float) for plotting.
            data[field.name] = pd.Series(
                [None if v is None else Decimal(v) for v in values], dtype=object
            )
        else:
            data[field.name] = pd.Series(values, dtype="string")
    return pd.DataFrame(data, columns=list(schema.names))


def frames(
    items: Iterable[Item],
    *,
    tables: Sequence[str] | None = None,
    select: Sequence[str] | None = None,
    skip: Sequence[str] | None = None,
) -> Mapping[str, pd.DataFrame]:
    """Return the tidy tables of ``items`` as pandas DataFrames, by table name.

    Types follow :data:`gipreport.TABLES`: labels are categorical, counts and
    years nullable ``Int64``, flags ``boolean``, free text ``string``, cell
    paths lists (``object``), and amounts, sums and rates exact
    :class:`~decimal.Decimal` objects in an ``object`` column (``None`` for
    missing; ``frame["value"].astype(float)`` to plot). Needs pandas
    (``pip install 'gipreport[pandas]'``).

    >>> import gipreport
    >>> cells = gipreport.frames([gipreport.examples.mingan_2023()], tables=["cells"])["cells"]
    >>> cells.shape, str(cells["count"].dtype), str(cells["organ"].dtype)
    ((200, 15), 'Int64', 'category')
    """
    chosen = _check_tables(tables)
    collected: dict[str, list[tuple[Any, ...]]] = {table: [] for table in chosen}
    for per_report in tidy_tables(items, tables=chosen, select=select, skip=skip):
        for table, rows in per_report.items():
            collected[table] += rows
    return {table: _frame(table, rows) for table, rows in collected.items()}
