"""``gipreport sum`` and ``gipreport export``: reports added up, and cells as rows."""

from __future__ import annotations

import argparse
import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import gipreport
from gipreport._checking.corpus import TABLE_NAMES, tidy_tables
from gipreport._cli import batch as _batch
from gipreport._cli.check import _plural
from gipreport._cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    _Console,
    _jobs,
    _load_all,
    _named,
    _note_lines,
    _problem_line,
    _progress,
    _read,
    _sources,
    _UsageError,
)
from gipreport._core.errors import Problem
from gipreport._core.jsonio import dump_json
from gipreport._core.model import Report
from gipreport._core.tablefiles import guard_formula, write_table_files
from gipreport._core.tidy import EXPORT_COLUMNS, export_rows
from gipreport._reading.source import ParseResult

# --- sum and export -------------------------------------------------------------------------


def _loaded_reports(
    args: argparse.Namespace, console: _Console
) -> Iterator[tuple[str, Report | None]]:
    """Yield each file's name and report (``None`` after printing why it would not load)."""
    for loaded in _load_all(args, _sources(args), console):
        if not args.quiet:
            console.warn(*_note_lines(loaded.name, loaded.notes, verbose=args.verbose))
        console.warn(*(_problem_line(loaded.name, p) for p in loaded.problems))
        yield loaded.name, loaded.report


def _cmd_sum(args: argparse.Namespace, console: _Console) -> int:
    reports: list[Report] = []
    names: list[str] = []
    failed: list[str] = []
    for name, report in _loaded_reports(args, console):
        if report is None:
            failed.append(name)
        else:
            reports.append(report)
            names.append(name)
    if failed:
        console.warn("nothing written: every report must load for a sum")
        console.print(
            f"nothing written; {_plural(len(failed), 'file')} did not load{_named(failed)}"
        )
        return EXIT_USAGE
    try:
        total = gipreport.sum_reports(
            reports,
            organ=args.organ,
            year=args.year,
            names=names,
            allow_duplicates=args.allow_duplicates,
        )
    except ValueError as exc:  # several years without --year, mixed formats, a duplicate, …
        said = ValueError(str(exc).replace("allow_duplicates=True", "--allow-duplicates"))
        raise _UsageError.naming_options(said, "--organ", "--year") from None
    text = dump_json(total)
    output: Path | None = args.output
    if output is None:
        console.out.write(text)
    else:
        _batch.write_atomic(output, text.encode("utf-8"))
        if not args.quiet:
            console.print(f"wrote {output}: the sum of {_plural(len(reports), 'report')}")
    return EXIT_OK


def _encoding(args: argparse.Namespace, *, to_stdout: bool) -> str:
    encoding: str | None = args.encoding
    if encoding is None:
        return "utf-8" if to_stdout else "utf-8-sig"
    try:
        codecs.lookup(encoding)
    except LookupError:
        msg = f"unknown encoding {encoding!r}"
        raise _UsageError(msg) from None
    return encoding


def _write_rows(
    stream: TextIO, rows: Iterable[tuple[str, ...]], *, formula_guard: bool = True
) -> None:
    writer = csv.writer(stream)
    writer.writerow(EXPORT_COLUMNS)
    if formula_guard:
        rows = (tuple(guard_formula(cell) for cell in row) for row in rows)
    writer.writerows(rows)


def _tidy_one(task: tuple[_batch.Source, tuple[str, ...]]) -> tuple[str, Any]:
    """Read one file and make its rows of ``tables`` (in a worker); or say why it would not load."""
    source, tables = task
    found = _read(source)
    if not isinstance(found, ParseResult):
        return source.name, found
    (rows,) = tidy_tables([(source.name, found)], tables=tables)
    return source.name, (rows, found.notes)


def _tables(values: list[str] | None) -> tuple[str, ...]:
    if not values:
        return TABLE_NAMES
    chosen = tuple(part.strip() for value in values for part in value.split(",") if part.strip())
    for table in chosen:
        if table not in TABLE_NAMES:
            msg = f"unknown table {table!r}; the tables are {', '.join(TABLE_NAMES)}"
            raise _UsageError(msg)
    return chosen


def _cmd_export_tables(args: argparse.Namespace, console: _Console) -> int:
    if args.output is None:
        raise _UsageError("--to needs -o/--output DIR, the directory to write the tables in")
    if args.partition_by_year and args.to != "parquet":
        raise _UsageError("--partition-by-year is for --to parquet")
    if args.to == "parquet":
        try:
            import pyarrow  # noqa: F401, PLC0415
        except ImportError:
            raise _UsageError(
                "--to parquet needs pyarrow: pip install 'gipreport[parquet]'"
            ) from None
    tables = _tables(args.tables)
    encoding = _encoding(args, to_stdout=False)
    sources = _sources(args)
    failed = 0
    progress = _progress(args, len(sources), console)

    def per_report() -> Iterator[dict[str, Any]]:
        nonlocal failed
        tasks = [(source, tables) for source in sources]
        for name, found in _batch.run(
            _tidy_one, tasks, jobs=_jobs(args, len(tasks)), progress=progress
        ):
            if isinstance(found, tuple) and found and isinstance(found[0], Problem):
                failed += 1
                progress.clear()
                console.warn(*(_problem_line(name, p) for p in found))
                continue
            rows, notes = found
            if notes and not args.quiet:
                progress.clear()
                console.warn(*_note_lines(name, notes, verbose=args.verbose))
            yield rows

    output = Path(args.output)
    try:
        written = write_table_files(
            output,
            per_report(),
            tables=tables,
            to=args.to,
            partition_by_year=args.partition_by_year,
            formula_guard=args.formula_guard,
            encoding=encoding,
            package=args.datapackage,
        )
    except UnicodeEncodeError as exc:
        msg = f"a text cannot be written in {encoding}: {exc.reason}; try --encoding utf-8"
        raise _UsageError(msg) from None
    finally:
        progress.clear()
    if not args.quiet:
        done = _plural(len(sources) - failed, "report")
        console.print(
            f"wrote {_plural(len(written), 'file')} in {output} ({done})"
            + (f"; {_plural(failed, 'file')} not exported" if failed else "")
        )
    return EXIT_USAGE if failed else EXIT_OK


def _cmd_export(args: argparse.Namespace, console: _Console) -> int:
    if args.to is not None:
        return _cmd_export_tables(args, console)
    if args.csv is None:
        raise _UsageError("say where: --csv OUT (the cells, one CSV), or --to FORMAT -o DIR")
    to_stdout = args.csv == "-"
    encoding = _encoding(args, to_stdout=to_stdout)
    failed: list[str] = []

    def rows() -> Iterator[tuple[str, ...]]:
        for name, report in _loaded_reports(args, console):
            if report is None:
                failed.append(name)
            else:
                yield from export_rows(name, report)

    try:
        if to_stdout:
            console.out.flush()
            binary = getattr(console.out, "buffer", None)
            if binary is None:  # a text-only stream: it has its own encoding
                _write_rows(console.out, rows(), formula_guard=args.formula_guard)
            else:
                stream = io.TextIOWrapper(binary, encoding=encoding, newline="")
                _write_rows(stream, rows(), formula_guard=args.formula_guard)
                stream.flush()
                stream.detach()
        else:
            with _batch.atomic_file(Path(args.csv)) as binary:
                text = io.TextIOWrapper(binary, encoding=encoding, newline="")
                _write_rows(text, rows(), formula_guard=args.formula_guard)
                text.flush()
                text.detach()
    except UnicodeEncodeError as exc:
        msg = f"a text cannot be written in {encoding}: {exc.reason}; try --encoding utf-8"
        raise _UsageError(msg) from None
    not_exported = f"{_plural(len(failed), 'file')} not exported{_named(failed)}"
    if not to_stdout and (not args.quiet or failed):
        console.print(f"wrote {args.csv}" + (f"; {not_exported}" if failed else ""))
    elif to_stdout and failed:  # stdout is the CSV: the summary goes with the problems
        console.warn(not_exported)
    return EXIT_USAGE if failed else EXIT_OK
