"""The command line: ``gipreport check | render | convert | schema | rules | new | demo | …``.

:func:`main` is the entry point of the ``gipreport`` console script and of
``python -m gipreport``; it returns the exit status instead of exiting, so tests
and other programs can call it. Exit status, for every command:

- 0: done, and no error finding;
- 1: ``check`` (or ``demo``) found error findings;
- 2: a usage error (an unknown option, a bad value), or an input error (a file
  that cannot be read or is not a valid report). When a batch has both input
  errors and error findings, 2 wins: some reports could not be checked at all.

Every command that reads reports reads gipreport JSON and published reports
(docx, HTML, text: :func:`gipreport.read`); what was odd in a published report
is a note, printed but never changing the exit status.

Batches (a directory, or several files) report a bad file and carry on with the
rest. Output files are written whole or not at all (:func:`_batch.atomic_file`).
Reference: ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import mimetypes
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TextIO

import attrs

import gipreport
from gipreport._checking.checks import CheckResult, check, check_series
from gipreport._checking.rules import rules
from gipreport._cli import batch as _batch
from gipreport._core.errors import GipReportError, LoadError, Problem
from gipreport._core.findings import Finding
from gipreport._core.form import FormSpec, form_for
from gipreport._core.jsonio import dump_json, json_schema
from gipreport._core.model import CellValue, Prose, Report, Subsection
from gipreport._reading.source import ParseNote, ParseResult
from gipreport._rendering.registry import Renderer, RenderError, renderer

__all__ = ["CHECK_SCHEMA", "EXPORT_COLUMNS", "blank_report", "export_rows", "main"]

PROG: Final = "gipreport"

CHECK_SCHEMA: Final = "gipreport-cli-check/1"
"""The ``schema`` of the document ``gipreport check --format json`` prints."""

EXPORT_COLUMNS: Final = (
    "file",
    "organ",
    "year",
    "table",
    "row_path",
    "column",
    "row_label",
    "column_label",
    "unit",
    "value",
)
"""The columns of ``gipreport export --csv``, one row per cell of each report."""

DEMO_DIR: Final = "gipreport-demo"

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_USAGE: Final = 2
EXIT_BROKEN_PIPE: Final = 141
"""128 + SIGPIPE: what a shell reports for a command whose reader went away."""

_EXTENSIONS: Final = {"html": ".html", "text": ".txt", "docx": ".docx", "json": ".json"}
_PROGRESS_FROM: Final = 10
"""A progress bar is drawn for batches of more files than this."""
_CELLS_SHOWN: Final = 4


class _UsageError(Exception):
    """A command was given something it cannot use; the message says what."""


@attrs.frozen
class _Console:
    """Where a command writes: ``out`` for its results, ``err`` for problems and progress."""

    out: TextIO
    err: TextIO

    def print(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")

    def warn(self, *lines: str) -> None:
        for line in lines:
            self.err.write(line + "\n")


# --- shared by the batch commands -----------------------------------------------------------


def _problem_line(name: str, problem: Problem) -> str:
    """Return ``FILE: json.path: message`` (or ``FILE: message`` for the whole file)."""
    return (
        f"{name}: {problem.path}: {problem.message}"
        if problem.path
        else f"{name}: {problem.message}"
    )


def _read(source: _batch.Source) -> ParseResult | tuple[Problem, ...]:
    """Return the report in ``source`` with its notes, or the problems that keep it from loading."""
    if source.problem is not None:
        return (Problem("", source.problem),)
    try:
        return _batch.read_report(source.path)
    except LoadError as error:
        return error.errors


def _note_line(name: str, note: ParseNote) -> str:
    """Return ``FILE: read note: where [path]: code: message: 'text'`` for stderr."""
    return f"{name}: read note: {note}"


def _note_dict(note: ParseNote) -> dict[str, Any]:
    return {
        "code": note.code,
        "message": note.message,
        "where": str(note.where),
        "text": note.text,
        "path": note.path,
    }


def _progress(args: argparse.Namespace, total: int, console: _Console) -> _batch.Progress:
    enabled = not args.quiet and total > _PROGRESS_FROM and console.err.isatty()
    return _batch.Progress(total, stream=console.err, enabled=enabled)


def _jobs(args: argparse.Namespace) -> int:
    jobs: int | None = args.jobs
    return _batch.default_jobs() if jobs is None else jobs


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        msg = f"expected a whole number, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if value < 1:
        msg = f"must be at least 1, got {value}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _selectors(values: Sequence[str] | None) -> tuple[str, ...] | None:
    # --select a --select b and --select a,b mean the same.
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@attrs.frozen(kw_only=True)
class _Loaded:
    """A file read by a worker: its report and read notes, or the problems that stopped it."""

    name: str
    report: Report | None
    problems: tuple[Problem, ...]
    notes: tuple[ParseNote, ...] = ()


def _load(source: _batch.Source) -> _Loaded:
    found = _read(source)
    if isinstance(found, ParseResult):
        return _Loaded(name=source.name, report=found.report, problems=(), notes=found.notes)
    return _Loaded(name=source.name, report=None, problems=found)


def _load_all(
    args: argparse.Namespace, sources: Sequence[_batch.Source], console: _Console
) -> Iterator[_Loaded]:
    progress = _progress(args, len(sources), console)
    try:
        for loaded in _batch.run(_load, sources, jobs=_jobs(args), progress=progress):
            if loaded.problems or loaded.notes:
                progress.clear()  # the caller prints them
            yield loaded
    finally:
        progress.clear()


# --- check ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Checked:
    """A file checked by a worker: what it is, and what the checks (or the reader) said."""

    name: str
    organ: str | None = None
    year: int | None = None
    problems: tuple[Problem, ...] = ()
    result: CheckResult | None = None
    notes: tuple[ParseNote, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and (self.result is None or self.result.ok)


@attrs.frozen
class _CheckTask:
    source: _batch.Source
    select: tuple[str, ...] | None
    skip: tuple[str, ...] | None


def _check_one(task: _CheckTask) -> _Checked:
    found = _read(task.source)
    if not isinstance(found, ParseResult):
        return _Checked(name=task.source.name, problems=found)
    report = found.report
    result = check(report, select=task.select, skip=task.skip)
    return _Checked(
        name=task.source.name,
        organ=report.organ,
        year=report.year,
        result=result,
        notes=found.notes,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _verdict(result: CheckResult) -> str:
    errors, warnings = len(result.errors), len(result.warnings)
    words = [_plural(errors, "error"), _plural(warnings, "warning")]
    if result.not_assessable:
        words.append(f"{len(result.not_assessable)} not assessable")
    return f"ok ({', '.join(words)})" if result.ok else ", ".join(words)


def _cells_text(cells: Sequence[str]) -> str:
    shown = ", ".join(cells[:_CELLS_SHOWN])
    rest = len(cells) - _CELLS_SHOWN
    return f"{shown}, … ({rest} more)" if rest > 0 else shown


def _finding_lines(finding: Finding, *, with_year: bool) -> list[str]:
    year = f"{finding.year} " if with_year else ""
    return [
        f"  {finding.severity} {year}{finding.rule} [{finding.instance}]: {finding.message_zh}",
        f"      at: {_cells_text(finding.cells)}",
    ]


def _result_lines(result: CheckResult, *, with_year: bool) -> list[str]:
    lines: list[str] = []
    for finding in result.findings:
        if finding.status == "failed":
            lines += _finding_lines(finding, with_year=with_year)
    for suspect in result.suspects:
        lines.append(f"  suspect {suspect.cell}: {suspect.message_zh}")
    for year in result.unexplained:
        lines.append(
            f"  no single cell explains the failed arithmetic of {year}:"
            " two or more cells are wrong"
        )
    return lines


def _header(name: str, organ: str | None, year: int | None) -> str:
    return f"{name}: {organ} {year}年" if organ is not None else name


def _report_lines(checked: _Checked, *, quiet: bool) -> list[str]:
    result = checked.result
    if result is None or (quiet and not result.findings):
        return []
    header = _header(checked.name, checked.organ, checked.year)
    return [
        f"{header}: {_verdict(result)}",
        *_result_lines(result, with_year=False),
        *_notes_lines(checked.notes),
    ]


def _notes_lines(notes: Sequence[ParseNote]) -> list[str]:
    """Return ``read notes:`` and one line per note under it, or nothing without notes."""
    if not notes:
        return []
    return ["  read notes:", *(f"    {note}" for note in notes)]


@attrs.define
class _Tally:
    """What a batch check adds up for its summary."""

    files: int = 0
    reports: int = 0
    with_errors: int = 0
    with_problems: int = 0
    failed: Counter[str] = attrs.Factory(Counter)
    not_assessable: Counter[str] = attrs.Factory(Counter)

    def add_file(self, checked: _Checked) -> None:
        self.files += 1
        if checked.problems:
            self.with_problems += 1
        else:
            self.reports += 1

    def add_result(self, result: CheckResult) -> None:
        for finding in result.findings:
            counter = self.failed if finding.status == "failed" else self.not_assessable
            counter[finding.rule] += 1

    @property
    def status(self) -> int:
        if self.with_problems:
            return EXIT_USAGE
        return EXIT_FINDINGS if self.with_errors else EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        rules_seen = sorted(set(self.failed) | set(self.not_assessable))
        return {
            "files": self.files,
            "reports": self.reports,
            "reports_with_errors": self.with_errors,
            "files_with_problems": self.with_problems,
            "findings_by_rule": {
                rule: {"failed": self.failed[rule], "not_assessable": self.not_assessable[rule]}
                for rule in rules_seen
            },
            "exit_status": self.status,
        }

    def line(self) -> str:
        by_rule = ", ".join(f"{rule} {count}" for rule, count in sorted(self.failed.items()))
        return (
            f"{_plural(self.files, 'file')}, {_plural(self.reports, 'report')} checked,"
            f" {self.with_errors} with errors, {self.with_problems} unreadable or invalid;"
            f" findings by rule: {by_rule or 'none'}"
        )


def _file_dict(checked: _Checked) -> dict[str, Any]:
    return {
        "file": checked.name,
        "ok": checked.ok,
        "organ": checked.organ,
        "year": checked.year,
        "problems": [{"path": p.path, "message": p.message} for p in checked.problems],
        "result": None if checked.result is None else checked.result.to_dict(),
        "notes": [_note_dict(note) for note in checked.notes],
    }


def _check_document(
    files: list[dict[str, Any]], series: CheckResult | None, tally: _Tally
) -> dict[str, Any]:
    return {
        "schema": CHECK_SCHEMA,
        "gipreport_version": gipreport.__version__,
        "series": None if series is None else series.to_dict(),
        "files": files,
        "summary": tally.to_dict(),
    }


def _cmd_check(args: argparse.Namespace, console: _Console) -> int:
    select, skip = _selectors(args.select), _selectors(args.skip)
    try:
        rules(select=select, skip=skip)  # an unknown rule is a usage error, before any work
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    sources = _batch.collect(args.paths)
    if args.series:
        return _check_series(args, console, sources, select, skip)
    as_json = args.format == "json"
    tally = _Tally()
    files: list[dict[str, Any]] = []
    tasks = [_CheckTask(source, select, skip) for source in sources]
    progress = _progress(args, len(tasks), console)
    try:
        for checked in _batch.run(_check_one, tasks, jobs=_jobs(args), progress=progress):
            tally.add_file(checked)
            if checked.result is not None:
                tally.add_result(checked.result)
                tally.with_errors += not checked.result.ok
            if as_json:
                files.append(_file_dict(checked))
                lines = []
            else:
                lines = _report_lines(checked, quiet=args.quiet)
            if checked.problems or lines:
                progress.clear()
            console.warn(*(_problem_line(checked.name, p) for p in checked.problems))
            console.print(*lines)
    finally:
        progress.clear()
    if as_json:
        console.out.write(_json_text(_check_document(files, None, tally)))
    else:
        console.print(tally.line())
    return tally.status


def _check_series(
    args: argparse.Namespace,
    console: _Console,
    sources: Sequence[_batch.Source],
    select: tuple[str, ...] | None,
    skip: tuple[str, ...] | None,
) -> int:
    tally = _Tally()
    reports: list[Report] = []
    files: list[dict[str, Any]] = []
    noted: list[str] = []
    for loaded in _load_all(args, sources, console):
        report = loaded.report
        checked = _Checked(
            name=loaded.name,
            organ=None if report is None else report.organ,
            year=None if report is None else report.year,
            problems=loaded.problems,
            notes=loaded.notes,
        )
        tally.add_file(checked)
        console.warn(*(_problem_line(loaded.name, p) for p in loaded.problems))
        files.append(_file_dict(checked))
        if loaded.notes:
            noted += [f"{loaded.name}: read notes:", *(f"  {note}" for note in loaded.notes)]
        if report is not None:
            reports.append(report)
    result = check_series(reports, select=select, skip=skip) if reports else None
    if result is not None:
        tally.add_result(result)
        years_with_errors = {finding.year for finding in result.errors}
        tally.with_errors = sum(report.year in years_with_errors for report in reports)
    if args.format == "json":
        console.out.write(_json_text(_check_document(files, result, tally)))
        return tally.status
    if result is not None:
        years = sorted(report.year for report in reports)
        organs = sorted({report.organ for report in reports})
        console.print(
            f"series of {_plural(len(reports), 'report')} ({years[0]}–{years[-1]}),"
            f" {'、'.join(organs)}: {_verdict(result)}"
        )
        console.print(*_result_lines(result, with_year=True))
    console.print(*noted)
    console.print(tally.line())
    return tally.status


def _json_text(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- render and convert --------------------------------------------------------------------


def _renderer(fmt: str) -> Renderer:
    try:
        return renderer(fmt)
    except RenderError as exc:
        raise _UsageError(str(exc)) from None


def _extension(chosen: Renderer) -> str:
    return (
        _EXTENSIONS.get(chosen.name)
        or mimetypes.guess_extension(chosen.media_type)
        or f".{chosen.name}"
    )


@attrs.frozen(kw_only=True)
class _Output:
    """What ``render`` or ``convert`` writes, and the words its messages use.

    ``fmt`` is a renderer's name, or ``None`` for the gipreport JSON document
    (:func:`dump_json`, whatever renderer may be registered as ``json``).
    """

    fmt: str | None
    name: str
    extension: str
    gerund: str
    participle: str


def _render_output(fmt: str) -> _Output:
    chosen = _renderer(fmt)
    return _Output(
        fmt=chosen.name,
        name=chosen.name,
        extension=_extension(chosen),
        gerund="rendering",
        participle="rendered",
    )


_CONVERT_OUTPUT: Final = _Output(
    fmt=None, name="json", extension=".json", gerund="converting", participle="converted"
)


@attrs.frozen
class _RenderTask:
    source: _batch.Source
    fmt: str | None
    target: Path


@attrs.frozen(kw_only=True)
class _Rendered:
    name: str
    target: Path
    problems: tuple[Problem, ...] = ()
    notes: tuple[ParseNote, ...] = ()


def _render_as(report: Report, fmt: str | None) -> str | bytes:
    return dump_json(report) if fmt is None else gipreport.render(report, fmt)


def _render_bytes(report: Report, fmt: str | None) -> bytes:
    output = _render_as(report, fmt)
    return output if isinstance(output, bytes) else output.encode("utf-8")


def _render_one(task: _RenderTask) -> _Rendered:
    name = task.source.name
    found = _read(task.source)
    if not isinstance(found, ParseResult):
        return _Rendered(name=name, target=task.target, problems=found)
    notes = found.notes
    try:
        data = _render_bytes(found.report, task.fmt)
        task.target.parent.mkdir(parents=True, exist_ok=True)
        _batch.write_atomic(task.target, data)
    except GipReportError as exc:  # a report this format cannot hold (BadTextError, …)
        problem = Problem("", f"cannot render as {task.fmt or 'json'}: {exc}")
        return _Rendered(name=name, target=task.target, problems=(problem,), notes=notes)
    except OSError as exc:
        problem = Problem("", f"cannot write {task.target}: {exc.strerror or exc}")
        return _Rendered(name=name, target=task.target, problems=(problem,), notes=notes)
    return _Rendered(name=name, target=task.target, notes=notes)


def _cmd_render(args: argparse.Namespace, console: _Console) -> int:
    return _write_each(args, console, _render_output(args.to))


def _cmd_convert(args: argparse.Namespace, console: _Console) -> int:
    return _write_each(args, console, _CONVERT_OUTPUT)


def _write_each(args: argparse.Namespace, console: _Console, out: _Output) -> int:
    """Write each report named by ``args.paths`` as ``out``: one to a file or stdout, or a batch."""
    single = len(args.paths) == 1 and not Path(args.paths[0]).is_dir()
    output: Path | None = None if str(args.output) == "-" else args.output
    if single and (output is None or not output.is_dir()):
        return _write_single(args, console, out, output)
    if output is None:
        msg = f"{out.gerund} a directory or several files needs -o OUTDIR"
        raise _UsageError(msg)
    if output.exists() and not output.is_dir():
        msg = f"-o {output}: not a directory"
        raise _UsageError(msg)
    sources = _batch.collect(args.paths)
    tasks: list[_RenderTask] = []
    written_by: dict[Path, str] = {}
    problems = 0
    for source in sources:
        if source.problem is not None:
            console.warn(f"{source.name}: {source.problem}")
            problems += 1
            continue
        target = output / source.relative.with_suffix(out.extension)
        clash = written_by.get(target)
        if clash is not None or _same_file(target, source.path):
            why = f"also the output of {clash}" if clash else "the input itself"
            console.warn(f"{source.name}: not {out.participle}: {target} would overwrite {why}")
            problems += 1
            continue
        written_by[target] = source.name
        tasks.append(_RenderTask(source, out.fmt, target))
    written = 0
    progress = _progress(args, len(tasks), console)
    try:
        for result in _batch.run(_render_one, tasks, jobs=_jobs(args), progress=progress):
            lines = [] if args.quiet else [_note_line(result.name, n) for n in result.notes]
            lines += [_problem_line(result.name, p) for p in result.problems]
            if lines:
                progress.clear()
            console.warn(*lines)
            problems += bool(result.problems)
            written += not result.problems
    finally:
        progress.clear()
    if not args.quiet:
        console.print(
            f"{_plural(written, 'file')} written to {output} as {out.name},"
            f" {problems} not {out.participle}"
        )
    return EXIT_USAGE if problems else EXIT_OK


def _same_file(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and a.samefile(b)


def _write_single(
    args: argparse.Namespace, console: _Console, out: _Output, output: Path | None
) -> int:
    (source,) = _batch.collect(args.paths)
    found = _read(source)
    if not isinstance(found, ParseResult):
        console.warn(*(_problem_line(source.name, p) for p in found))
        return EXIT_USAGE
    if not args.quiet:
        console.warn(*(_note_line(source.name, note) for note in found.notes))
    try:
        rendered = _render_as(found.report, out.fmt)
    except GipReportError as exc:
        console.warn(f"{source.name}: cannot render as {out.name}: {exc}")
        return EXIT_USAGE
    if output is None:
        if isinstance(rendered, str):
            console.out.write(rendered)
            return EXIT_OK
        if console.out.isatty():
            msg = f"{out.name} is binary: give -o FILE, or redirect the output to a file"
            raise _UsageError(msg)
        console.out.flush()
        binary = getattr(console.out, "buffer", None)
        if binary is None:
            msg = f"{out.name} is binary and this output takes only text: give -o FILE"
            raise _UsageError(msg)
        binary.write(rendered)
        binary.flush()
        return EXIT_OK
    if _same_file(output, source.path):
        console.warn(f"{source.name}: not {out.participle}: -o {output} is the input itself")
        return EXIT_USAGE
    data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    _batch.write_atomic(output, data)
    if not args.quiet:
        console.print(f"wrote {output}")
    return EXIT_OK


# --- schema and rules -----------------------------------------------------------------------


def _cmd_schema(args: argparse.Namespace, console: _Console) -> int:
    del args
    console.out.write(_json_text(json_schema()))
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace, console: _Console) -> int:
    try:
        chosen = rules(select=_selectors(args.select), skip=_selectors(args.skip))
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    if args.format == "json":
        listed = [
            {
                "id": rule.id,
                "severity": rule.severity,
                "scope": rule.scope,
                "description_zh": rule.description_zh,
                "description_en": rule.description_en,
                "formula": rule.formula,
                "basis": rule.basis,
            }
            for rule in chosen
        ]
        console.out.write(_json_text(listed))
        return EXIT_OK
    width = max((len(rule.id) for rule in chosen), default=0)
    for rule in chosen:
        console.print(
            f"{rule.id:<{width}}  {rule.severity:<7}  {rule.scope:<6}  {rule.description_en}",
            f"{'':<{width}}  {'':<7}  {'':<6}  {rule.description_zh}",
        )
    return EXIT_OK


# --- new and demo ---------------------------------------------------------------------------


def blank_report(organ: str, year: int, *, blank: bool = False, format_id: str = "2021") -> Report:
    """Return a report to fill in: every cell 0 (or blank), the customary sub-headings in place.

    Each prose section gets the sub-headings its format names for it
    (:attr:`gipreport.form.SectionSpec.subheadings`), with no paragraphs.
    """
    form: FormSpec = form_for(format_id)
    report = Report(format=format_id, organ=organ, year=year)
    sections: dict[str, Any] = {
        section.key: Prose(
            subsections=tuple(Subsection(heading=heading) for heading in section.subheadings)
        )
        for section in form.sections
        if section.kind == "prose" and section.subheadings
    }
    report = attrs.evolve(report, **sections)
    if blank:
        return report
    zeros: dict[str, CellValue] = {
        spec.path: Decimal(0) if spec.kind == "amount" else 0 for spec in form.cells
    }
    return report.with_cells(zeros)


def _cmd_new(args: argparse.Namespace, console: _Console) -> int:
    try:
        report = blank_report(args.organ, args.year, blank=args.blank)
    except ValueError as exc:  # an empty organ, a year out of range
        raise _UsageError(str(exc)) from None
    text = dump_json(report)
    output: Path | None = args.output
    if output is None:
        console.out.write(text)
        return EXIT_OK
    if output.exists() and not args.force:
        msg = f"{output} exists; give --force to replace it"
        raise _UsageError(msg)
    _batch.write_atomic(output, text.encode("utf-8"))
    console.print(f"wrote {output}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, console: _Console) -> int:
    report = gipreport.examples.mingan_2023()
    outdir: Path = args.output
    outdir.mkdir(parents=True, exist_ok=True)
    stem = "mingan_2023"
    json_path = outdir / f"{stem}.json"
    outputs: list[tuple[str, Callable[[], bytes]]] = [
        ("json", lambda: gipreport.examples.mingan_2023_json().encode("utf-8")),
        ("html", lambda: _render_bytes(report, "html")),
        ("docx", lambda: _render_bytes(report, "docx")),
    ]
    available = gipreport.renderers()
    for fmt, make in outputs:
        path = outdir / f"{stem}{_EXTENSIONS[fmt]}"
        if fmt not in available:
            console.print(
                f"skipped {path}: the Word renderer needs python-docx;"
                " install it with: pip install 'gipreport[docx]'"
            )
            continue
        _batch.write_atomic(path, make())
        console.print(f"wrote {path}")
    result = check(report)
    console.print(f"{_header(str(json_path), report.organ, report.year)}: {_verdict(result)}")
    console.print(*_result_lines(result, with_year=False))
    passed = sum(counts.passed for counts in result.rule_counts)
    console.print(
        f"checked with {_plural(len(result.rule_counts), 'rule')}: {passed} instances passed",
        f"next: gipreport check {json_path}",
    )
    return EXIT_OK if result.ok else EXIT_FINDINGS


# --- sum and export -------------------------------------------------------------------------


def _loaded_reports(
    args: argparse.Namespace, console: _Console
) -> Iterator[tuple[str, Report | None]]:
    """Yield each file's name and report (``None`` after printing why it would not load)."""
    for loaded in _load_all(args, _batch.collect(args.paths), console):
        if not args.quiet:
            console.warn(*(_note_line(loaded.name, note) for note in loaded.notes))
        console.warn(*(_problem_line(loaded.name, p) for p in loaded.problems))
        yield loaded.name, loaded.report


def _cmd_sum(args: argparse.Namespace, console: _Console) -> int:
    reports: list[Report] = []
    failed = False
    for _name, report in _loaded_reports(args, console):
        if report is None:
            failed = True
        else:
            reports.append(report)
    if failed:
        console.warn("nothing written: every report must load for a sum")
        return EXIT_USAGE
    try:
        total = gipreport.sum_reports(reports, organ=args.organ, year=args.year)
    except ValueError as exc:  # several years without --year, mixed formats, an empty organ
        raise _UsageError(str(exc)) from None
    text = dump_json(total)
    output: Path | None = args.output
    if output is None:
        console.out.write(text)
    else:
        _batch.write_atomic(output, text.encode("utf-8"))
        if not args.quiet:
            console.print(f"wrote {output}: the sum of {_plural(len(reports), 'report')}")
    return EXIT_OK


def _value_text(value: CellValue) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def export_rows(name: str, report: Report) -> Iterator[tuple[str, ...]]:
    """Yield one row of :data:`EXPORT_COLUMNS` for each cell of ``report``.

    ``row_label`` joined with `` · `` and ``column_label`` is the cell's label; a
    blank cell's value is the empty string, the fee is written with its digits.
    """
    organ, year = report.organ, str(report.year)
    for cell in report.cells():
        spec = cell.spec
        yield (
            name,
            organ,
            year,
            spec.table,
            spec.row_path,
            spec.column.key,
            "".join(spec.row_labels),
            spec.column.label,
            spec.unit,
            _value_text(cell.value),
        )


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


def _write_rows(stream: TextIO, rows: Iterable[tuple[str, ...]]) -> None:
    writer = csv.writer(stream)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(rows)


def _cmd_export(args: argparse.Namespace, console: _Console) -> int:
    to_stdout = args.csv == "-"
    encoding = _encoding(args, to_stdout=to_stdout)
    failed = 0

    def rows() -> Iterator[tuple[str, ...]]:
        nonlocal failed
        for name, report in _loaded_reports(args, console):
            if report is None:
                failed += 1
            else:
                yield from export_rows(name, report)

    try:
        if to_stdout:
            console.out.flush()
            binary = getattr(console.out, "buffer", None)
            if binary is None:  # a text-only stream: it has its own encoding
                _write_rows(console.out, rows())
            else:
                stream = io.TextIOWrapper(binary, encoding=encoding, newline="")
                _write_rows(stream, rows())
                stream.flush()
                stream.detach()
        else:
            with _batch.atomic_file(Path(args.csv)) as binary:
                text = io.TextIOWrapper(binary, encoding=encoding, newline="")
                _write_rows(text, rows())
                text.flush()
                text.detach()
    except UnicodeEncodeError as exc:
        msg = f"a text cannot be written in {encoding}: {exc.reason}; try --encoding utf-8"
        raise _UsageError(msg) from None
    if not to_stdout and not args.quiet:
        console.print(
            f"wrote {args.csv}" + (f"; {_plural(failed, 'file')} not exported" if failed else "")
        )
    return EXIT_USAGE if failed else EXIT_OK


# --- the parser -----------------------------------------------------------------------------


_DESCRIPTION = """\
gipreport: check, render, convert and add up 政府信息公开工作年度报告
(annual reports on government information disclosure) in the national format.

Start with: gipreport demo
"""

_EPILOG = """\
exit status: 0 done (no error findings); 1 error findings; 2 usage or input error
(an unreadable or invalid file), which wins over 1.
Reference: docs/cli.md
"""

_INPUTS = """\
inputs: gipreport JSON (.json), or published reports (.docx, .html, .htm, .txt) read
as gipreport.read does; a directory is walked for all of these.
"""

_CHECK_EPILOG = f"""\
{_INPUTS}
examples:
  gipreport check report.json
  gipreport check 2023年报.docx 2023年报.html  published reports, with their read notes
  gipreport check reports/ --quiet            only reports with findings
  gipreport check reports/ --format json > findings.json
  gipreport check reports/ --skip warning     errors only
  gipreport check 2021.json 2022.json 2023.json --series

read notes (what was odd in a published report) follow each report's findings, and
are the "notes" of each file in --format json; they never change the exit status.

exit status: 0 no error findings; 1 error findings; 2 usage or input error
(2 wins when some files could not be read or are not valid reports).
"""

_RENDER_EPILOG = f"""\
{_INPUTS}
examples:
  gipreport render report.json --to html -o report.html
  gipreport render report.json --to text
  gipreport render 2023年报.txt --to html -o 2023年报.html
  gipreport render reports/ --to docx -o word/

read notes (what was odd in a published report) go to stderr, one line each,
unless --quiet.
"""

_CONVERT_EPILOG = f"""\
{_INPUTS}
examples:
  gipreport convert 2023年报.docx -o 2023.json
  gipreport convert 2023年报.html              to stdout
  gipreport convert published/ -o json/        json/ mirrors published/, each file .json

read notes (what was odd in a published report: a blank cell, a label read as a
variant, a value that is not a number) go to stderr, one line each, prefixed with
the file's name, unless --quiet; they never change the exit status.

exit status: 0 every input converted; 2 usage error, or some input could not be
read as a report (the others are still converted).
"""


def _batch_options(quiet_help: str) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help="worker processes for a batch (default: the number of CPUs)",
    )
    parent.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help=quiet_help,
    )
    return parent


def _selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--select",
        action="append",
        metavar="RULE",
        help="run only these rules: an ID, a group (requests) or a severity (error);"
        " repeat or separate with commas",
    )
    parser.add_argument(
        "--skip", action="append", metavar="RULE", help="do not run these rules (as --select)"
    )


def _parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG, description=_DESCRIPTION, epilog=_EPILOG, formatter_class=raw
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {gipreport.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    batch = _batch_options("no progress bar, no read notes and no 'wrote' line")

    check_parser = commands.add_parser(
        "check",
        parents=[_batch_options("no progress bar and no lines for reports without findings")],
        help="check reports: every 勾稽关系 and plausibility rule",
        description=(
            "Check reports (gipreport JSON or published docx, HTML or text; files or"
            " directories) against the rules."
        ),
        epilog=_CHECK_EPILOG,
        formatter_class=raw,
    )
    check_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    check_parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), or one JSON document (gipreport-cli-check/1)",
    )
    _selection_options(check_parser)
    check_parser.add_argument(
        "--series",
        action="store_true",
        help="check the reports as one organ's consecutive years (adds the series rules)",
    )
    check_parser.set_defaults(handler=_cmd_check)

    render_parser = commands.add_parser(
        "render",
        parents=[batch],
        help="write reports as html, text, docx or json",
        description=(
            "Render a report to stdout or -o FILE; render a directory or several files"
            " into -o OUTDIR (the same names, the format's suffix)."
        ),
        epilog=_RENDER_EPILOG,
        formatter_class=raw,
    )
    render_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    render_parser.add_argument(
        "--to", required=True, metavar="FORMAT", help="html, text, docx (gipreport[docx]) or json"
    )
    render_parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="output file (- for stdout, the default), or directory for a batch",
    )
    render_parser.set_defaults(handler=_cmd_render)

    convert_parser = commands.add_parser(
        "convert",
        parents=[batch],
        help="read published reports (docx, HTML, text) into gipreport JSON",
        description=(
            "Write each report as a gipreport JSON document: one input to stdout or"
            " -o FILE (- for stdout); a directory or several files into -o OUTDIR, each"
            " under its path below the directory given, with the suffix .json."
            " Read notes go to stderr."
        ),
        epilog=_CONVERT_EPILOG,
        formatter_class=raw,
    )
    convert_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    convert_parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="output file (- for stdout, the default), or directory for a batch",
    )
    convert_parser.set_defaults(handler=_cmd_convert)

    schema_parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of the report document",
        description="Print the JSON Schema (draft 2020-12) of JSON document version 1.",
    )
    schema_parser.set_defaults(handler=_cmd_schema)

    rules_parser = commands.add_parser(
        "rules",
        help="list the rule catalogue",
        description="List the rules gipreport check runs: ID, severity, scope, description.",
    )
    rules_parser.add_argument("--format", choices=("text", "json"), default="text")
    _selection_options(rules_parser)
    rules_parser.set_defaults(handler=_cmd_rules)

    new_parser = commands.add_parser(
        "new",
        help="write a blank report document to fill in",
        description=(
            "Write a blank report as JSON: every table cell 0 (or blank with --blank),"
            " 总体情况 with its customary sub-headings, no paragraphs."
        ),
        epilog="example:\n  gipreport new --organ 某某县人民政府 --year 2024 -o 2024.json",
        formatter_class=raw,
    )
    new_parser.add_argument("--organ", required=True, help="the organ publishing the report")
    new_parser.add_argument("--year", required=True, type=int, help="the year reported on")
    new_parser.add_argument(
        "--blank", action="store_true", help="leave every cell blank (null) instead of 0"
    )
    new_parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    new_parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    new_parser.set_defaults(handler=_cmd_new)

    demo_parser = commands.add_parser(
        "demo",
        help="write the bundled example as JSON, HTML and docx, and check it",
        description=(
            "The bundled example (乌拉特前旗明安镇人民政府, 2023): write it as JSON, HTML"
            " and Word (with gipreport[docx]) and print its check summary."
        ),
    )
    demo_parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(DEMO_DIR),
        metavar="OUTDIR",
        help=f"where to write (default: ./{DEMO_DIR}/)",
    )
    demo_parser.set_defaults(handler=_cmd_demo)

    sum_parser = commands.add_parser(
        "sum",
        parents=[batch],
        help="add several organs' reports cell by cell",
        description=(
            "Add reports cell by cell into one report of --organ (a blank in any"
            " report is blank in the sum). Nothing is written unless every report loads."
        ),
        epilog="example:\n  gipreport sum departments/ --organ 某某县人民政府 -o county.json",
        formatter_class=raw,
    )
    sum_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    sum_parser.add_argument("--organ", required=True, help="the organ of the sum")
    sum_parser.add_argument(
        "--year", type=int, help="the year of the sum (default: the reports' common year)"
    )
    sum_parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    sum_parser.set_defaults(handler=_cmd_sum)

    export_parser = commands.add_parser(
        "export",
        parents=[batch],
        help="write every cell of reports as tidy CSV",
        description=(
            "Write one CSV row per cell of each report: " + ", ".join(EXPORT_COLUMNS) + "."
        ),
        epilog="example:\n  gipreport export reports/ --csv cells.csv",
        formatter_class=raw,
    )
    export_parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    export_parser.add_argument(
        "--csv", required=True, metavar="OUT", help="the CSV file to write (- for stdout)"
    )
    export_parser.add_argument(
        "--encoding",
        metavar="NAME",
        help="default utf-8-sig (UTF-8 with a BOM, which Excel needs); utf-8 on stdout",
    )
    export_parser.set_defaults(handler=_cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error argparse printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    console = _Console(out=sys.stdout, err=sys.stderr)
    handler: Callable[[argparse.Namespace, _Console], int] = args.handler
    try:
        return handler(args, console)
    except _UsageError as exc:
        console.warn(f"{PROG} {args.command}: error: {exc}")
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (gipreport export … --csv - | head): stop quietly, with
        # the status of a process that SIGPIPE ended, as cat does.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # an output that cannot be written
        where = f"{exc.filename}: " if exc.filename else ""
        console.warn(f"{PROG} {args.command}: error: {where}{exc.strerror or exc}")
        return EXIT_USAGE


def _silence_stdout() -> None:
    # Python flushes stdout at exit; with the pipe closed that would fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout is not a real file
        pass
    finally:
        os.close(devnull)
