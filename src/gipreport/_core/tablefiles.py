"""Tidy tables written to files: CSV, JSON Lines, Parquet, and a data package beside them.

Every writer takes rows one at a time and keeps at most one batch of them in
memory, so a corpus of any size is written in constant memory. Each file is
written under a temporary name and moved into place when it is closed: a
reader never sees half a file. The column types come from the tables'
description (:data:`gipreport._core.tidy.TABLES`); so does ``datapackage.json``.

Parquet needs pyarrow (``pip install 'gipreport[parquet]'``), imported only here
and only when a Parquet file is written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, TypeAlias

from gipreport._core.tidy import TABLES, ReportRow, TableField, TableSchema

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "FORMULA_PREFIXES",
    "OutputFormat",
    "TableWriter",
    "arrow_schema",
    "data_package",
    "guard_formula",
    "open_writer",
    "row_values",
]

OutputFormat: TypeAlias = Literal["csv", "jsonl", "parquet"]
"""The file formats a tidy table is written in."""

SUFFIXES: Final[dict[str, str]] = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}

FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes as the start of a formula (OWASP, "CSV Injection")."""

_NUMBER: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")

BATCH_VALUES: Final = 500_000
"""Values a Parquet writer holds before it writes them as a row group: 33,333 rows of the
15-field cells table, 2,427 of the 206-field reports table: a bounded memory whatever the corpus."""

AMOUNT_PRECISION, AMOUNT_SCALE = 24, 12
"""An amount is below 10¹² 万元 with at most 12 places (the model's limits)."""
NUMBER_PRECISION, NUMBER_SCALE = 38, 12
"""A sum of cells or a rate: 26 whole digits, 12 places."""


def guard_formula(cell: str) -> str:
    r"""Return ``cell`` so that a spreadsheet shows it as text: ``'`` before a formula.

    An organ's name or a file's name can come from an untrusted page; Excel,
    LibreOffice and Google Sheets run a cell starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return as a formula. Such a cell gets a ``'``
    before it, as OWASP recommends; a number (``-1``) and a lone sign (``-``, the
    name of standard input) are left as they are. ``gipreport export`` applies
    it to every CSV it writes (``--csv`` and ``--to csv``) unless
    ``--no-formula-guard``.

    >>> guard_formula('=HYPERLINK("http://x")'), guard_formula("-1"), guard_formula("某镇")
    ('\'=HYPERLINK("http://x")', '-1', '某镇')
    """
    if len(cell) > 1 and cell.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


# --- values ----------------------------------------------------------------------------------


def row_values(table: TableSchema, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return ``row``'s values in the order of ``table``'s fields (the wide row flattened)."""
    if isinstance(row, ReportRow):
        return (*row[:-1], *row.cells)
    return row


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _csv_value(field: TableField, value: Any, guard: bool) -> str:
    if value is None:
        return ""
    if field.many:
        return " ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return guard_formula(text) if guard else text


def _json_value(field: TableField, value: Any) -> Any:
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if field.many and value is not None:
        return list(value)
    return value


# --- writers ----------------------------------------------------------------------------------


class TableWriter(Protocol):
    """Writes the rows of one table to one file (or one directory of parts)."""

    path: Path

    def write(self, row: tuple[Any, ...]) -> None:
        """Add one row."""

    def close(self) -> None:
        """Write what is held and move the file into place."""

    def abort(self) -> None:
        """Remove what was written."""


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


class _TextWriter:
    def __init__(self, path: Path, table: TableSchema, *, encoding: str) -> None:
        self.path = path
        self.table = table
        self._temporary = _temporary(path)
        self._binary = self._temporary.open("wb")
        self._text = io.TextIOWrapper(self._binary, encoding=encoding, newline="")

    def close(self) -> None:
        self._text.close()
        os.replace(self._temporary, self.path)

    def abort(self) -> None:
        self._text.close()
        self._temporary.unlink(missing_ok=True)


class _CsvWriter(_TextWriter):
    def __init__(self, path: Path, table: TableSchema, *, encoding: str, guard: bool) -> None:
        super().__init__(path, table, encoding=encoding)
        self._guard = guard
        self._csv = csv.writer(self._text)
        self._csv.writerow(table.names)

    def write(self, row: tuple[Any, ...]) -> None:
        guard = self._guard
        self._csv.writerow(
            [
                _csv_value(field, value, guard)
                for field, value in zip(self.table.fields, row_values(self.table, row), strict=True)
            ]
        )


class _JsonlWriter(_TextWriter):
    def __init__(self, path: Path, table: TableSchema) -> None:
        super().__init__(path, table, encoding="utf-8")
        self._names = table.names

    def write(self, row: tuple[Any, ...]) -> None:
        values = row_values(self.table, row)
        record = {
            field.name: _json_value(field, value)
            for field, value in zip(self.table.fields, values, strict=True)
        }
        self._text.write(json.dumps(record, ensure_ascii=False) + "\n")


def arrow_schema(table: TableSchema) -> pa.Schema:
    """Return the Parquet (Arrow) schema of ``table``: its types, titles and keys as metadata."""
    import pyarrow as pa  # noqa: PLC0415 - optional, and heavy

    def arrow_type(field: TableField) -> pa.DataType:
        if field.many:
            return pa.list_(pa.field("element", pa.string()))  # as Parquet names it
        return {
            "text": pa.string(),
            "label": pa.dictionary(pa.int32(), pa.string()),
            "integer": pa.int64(),
            "count": pa.int64(),
            "amount": pa.decimal128(AMOUNT_PRECISION, AMOUNT_SCALE),
            "number": pa.decimal128(NUMBER_PRECISION, NUMBER_SCALE),
            "bool": pa.bool_(),
        }[field.type]

    fields = [
        pa.field(
            field.name,
            arrow_type(field),
            nullable=not field.required,
            metadata={"title": field.title, "description": field.description},
        )
        for field in table.fields
    ]
    metadata = {
        "title": table.title,
        "description": table.description,
        "primary_key": json.dumps(list(table.primary_key)),
    }
    return pa.schema(fields, metadata=metadata)


def _arrow_column(field: TableField, values: list[Any]) -> list[Any]:
    if field.type == "number" and not field.many:
        return [None if v is None else Decimal(v) for v in values]
    return values


class _ParquetWriter:
    """One Parquet file, or with ``partition_by_year`` a Hive-style ``year=YYYY/`` tree."""

    def __init__(self, path: Path, table: TableSchema, *, partition_by_year: bool) -> None:
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415

        self._pa, self._pq = pa, pq
        self.path = path
        self.table = table
        self.schema = arrow_schema(table)
        self._partition = partition_by_year and "year" in table.names
        self._year_at = table.names.index("year") if self._partition else -1
        if self._partition:
            # Hive style: the year is in the directory name, not in the files.
            self.schema = self.schema.remove(self._year_at)
        self._buffers: dict[int | None, list[tuple[Any, ...]]] = {}
        self._writers: dict[int | None, tuple[Any, Path, Path]] = {}
        self._held = 0
        self._batch_rows = max(1, BATCH_VALUES // len(table.fields))
        self.parts: list[Path] = []
        if self._partition:
            self._root_temporary = _temporary(path)
            self._root_temporary.mkdir()

    def write(self, row: tuple[Any, ...]) -> None:
        values = row_values(self.table, row)
        key = values[self._year_at] if self._partition else None
        self._buffers.setdefault(key, []).append(values)
        self._held += 1
        if self._held >= self._batch_rows:
            self._flush()

    def _writer(self, key: int | None) -> Any:
        if key not in self._writers:
            if self._partition:
                final = self.path / f"year={key}" / "part-0.parquet"
                temporary = self._root_temporary / f"year={key}" / "part-0.parquet"
                temporary.parent.mkdir()
            else:
                final, temporary = self.path, _temporary(self.path)
            writer = self._pq.ParquetWriter(temporary, self.schema, compression="zstd")
            self._writers[key] = (writer, temporary, final)
        return self._writers[key][0]

    def _flush(self) -> None:
        pa = self._pa
        for key, rows in self._buffers.items():
            if not rows:
                continue
            columns = list(zip(*rows, strict=True))
            fields = list(self.table.fields)
            if self._partition:
                del columns[self._year_at], fields[self._year_at]
            arrays = [
                pa.array(_arrow_column(field, list(column)), type=schema_field.type)
                for field, column, schema_field in zip(fields, columns, self.schema, strict=True)
            ]
            self._writer(key).write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self._buffers = {}
        self._held = 0

    def close(self) -> None:
        self._flush()
        if not self._writers and not self._partition:
            self._writer(None)  # an empty table is still a file with the schema
        for writer, _temporary_path, _final in self._writers.values():
            writer.close()
        if self._partition:
            if self.path.exists():
                _remove_tree(self.path)
            if self._writers:
                os.replace(self._root_temporary, self.path)
            else:  # no rows, no year: no directory (and no resource in the package)
                self._root_temporary.rmdir()
            self.parts = sorted(final for _w, _t, final in self._writers.values())
        else:
            ((_writer, temporary, final),) = self._writers.values()
            os.replace(temporary, final)
            self.parts = [final]

    def abort(self) -> None:
        for writer, temporary, _final in self._writers.values():
            writer.close()
            temporary.unlink(missing_ok=True)
        if self._partition:
            _remove_tree(self._root_temporary)


def _remove_tree(root: Path) -> None:
    for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink()
    root.rmdir()


def open_writer(
    directory: Path,
    table: str,
    *,
    to: OutputFormat,
    partition_by_year: bool = False,
    formula_guard: bool = True,
    encoding: str = "utf-8-sig",
    name: str | None = None,
) -> TableWriter:
    """Return a writer of the tidy table ``table`` into ``directory`` as ``<table>.<suffix>``.

    ``name`` is the file's name without its suffix, when not the table's.

    CSV is written in ``encoding`` (default UTF-8 with a BOM, which Excel needs)
    with every text cell passed through :func:`guard_formula` unless
    ``formula_guard`` is false; JSON Lines in UTF-8, decimals as strings;
    Parquet with the types of :func:`arrow_schema`, partitioned by year into
    ``<table>/year=YYYY/part-0.parquet`` when ``partition_by_year`` is true
    (Hive style: the year is the directory's, not a column of the files; a
    table without a year, ``notes``, stays one file).
    """
    schema = TABLES[table]
    stem = table if name is None else name
    # A table without a year (notes) is one file even when the others are partitioned.
    partitioned = partition_by_year and to == "parquet" and "year" in schema.names
    path = directory / f"{stem}{'' if partitioned else SUFFIXES[to]}"
    if to == "csv":
        return _CsvWriter(path, schema, encoding=encoding, guard=formula_guard)
    if to == "jsonl":
        return _JsonlWriter(path, schema)
    return _ParquetWriter(path, schema, partition_by_year=partitioned)


# --- the data package ------------------------------------------------------------------------

_TABLE_SCHEMA_TYPES: Final = {
    "text": "string",
    "label": "string",
    "integer": "integer",
    "count": "integer",
    "amount": "number",
    "number": "number",
    "bool": "boolean",
}


def _field_descriptor(field: TableField, to: OutputFormat) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "name": field.name,
        "title": field.title,
        "description": field.description,
        "type": _TABLE_SCHEMA_TYPES[field.type],
    }
    if field.many:
        if to == "csv":
            descriptor["description"] += " (separated by spaces)"
        else:
            descriptor["type"] = "array"
    if field.type == "bool" and to == "csv":
        descriptor["trueValues"], descriptor["falseValues"] = ["true"], ["false"]
    if field.required:
        descriptor["constraints"] = {"required": True}
    return descriptor


def data_package(
    written: Sequence[tuple[str, Sequence[str]]],
    *,
    to: OutputFormat,
    encoding: str = "utf-8-sig",
    name: str = "gipreport-corpus",
) -> dict[str, Any]:
    """Return the ``datapackage.json`` of the tables in ``written``: ``(table, relative paths)``.

    A frictionless Tabular Data Package: one resource per table, with its Table
    Schema (field types, Chinese titles, ``missingValues``, primary key, and the
    foreign keys to ``reports`` when that table is in the package).
    """
    names = {table for table, _paths in written}
    resources = []
    for table, paths in written:
        schema = TABLES[table]
        table_schema: dict[str, Any] = {
            "fields": [_field_descriptor(field, to) for field in schema.fields],
            "missingValues": [""],
            "primaryKey": list(schema.primary_key),
        }
        foreign = [
            {"fields": list(mine), "reference": {"resource": other, "fields": list(theirs)}}
            for mine, other, theirs in schema.foreign_keys
            if other in names
        ]
        if foreign:
            table_schema["foreignKeys"] = foreign
        resource: dict[str, Any] = {
            "name": table,
            "title": schema.title,
            "description": schema.description,
            "profile": "tabular-data-resource",
            "path": paths[0] if len(paths) == 1 else list(paths),
            "format": to,
            "schema": table_schema,
        }
        if to == "csv":
            resource["mediatype"] = "text/csv"
            # A BOM starts the file for Excel; readers of UTF-8 skip it.
            resource["encoding"] = "utf-8" if encoding.lower() == "utf-8-sig" else encoding
        elif to == "jsonl":
            resource["mediatype"] = "application/x-ndjson"
            resource["encoding"] = "utf-8"
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": "政府信息公开工作年度报告 (gipreport tidy tables)",
        "resources": resources,
    }


def write_table_files(
    directory: Path,
    per_report: Iterable[Mapping[str, Iterable[tuple[Any, ...]]]],
    *,
    tables: Sequence[str],
    to: OutputFormat,
    partition_by_year: bool = False,
    formula_guard: bool = True,
    encoding: str = "utf-8-sig",
    package: bool = True,
    on_report: Callable[[], None] | None = None,
) -> list[Path]:
    """Write ``tables`` into ``directory`` from ``per_report`` (each item: table → its rows).

    Returns the paths written, ``datapackage.json`` last when ``package`` is true.
    On an error nothing half-written is left: each file is moved into place
    only once every report has been written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    writers = {
        table: open_writer(
            directory,
            table,
            to=to,
            partition_by_year=partition_by_year,
            formula_guard=formula_guard,
            encoding=encoding,
        )
        for table in tables
    }
    try:
        for item in per_report:
            for table, writer in writers.items():
                for row in item.get(table, ()):
                    writer.write(row)
            if on_report is not None:
                on_report()
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    written: list[Path] = []
    listed: list[tuple[str, list[str]]] = []
    for table, writer in writers.items():
        writer.close()
        parts = getattr(writer, "parts", [writer.path])
        written += parts
        if parts:
            listed.append((table, [part.relative_to(directory).as_posix() for part in parts]))
    if package:
        descriptor = data_package(listed, to=to, encoding=encoding)
        target = directory / "datapackage.json"
        temporary = _temporary(target)
        temporary.write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        os.replace(temporary, target)
        written.append(target)
    return written
