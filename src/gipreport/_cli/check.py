"""``gipreport check``: check reports (and series of one organ's years), print the findings."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

import gipreport
from gipreport._checking.checks import CheckResult, check, check_series
from gipreport._checking.rules import rules
from gipreport._cli import batch as _batch
from gipreport._cli.common import (
    _CELLS_SHOWN,
    CHECK_SCHEMA,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    _Console,
    _jobs,
    _load_all,
    _named,
    _note_dict,
    _notes_summary,
    _problem_line,
    _progress,
    _read,
    _selectors,
    _sources,
    _UsageError,
)
from gipreport._cli.zh import Lang, default_lang, note_line_zh, notes_summary_zh, where_zh
from gipreport._core.errors import Problem
from gipreport._core.findings import Finding
from gipreport._core.model import Report
from gipreport._core.values import Value
from gipreport._reading.source import ParseNote, ParseResult, Where

# --- check ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class _Checked(Value):
    """A file checked by a worker: what it is, and what the checks (or the reader) said."""

    name: str
    organ: str | None = None
    year: int | None = None
    problems: tuple[Problem, ...] = ()
    result: CheckResult | None = None
    notes: tuple[ParseNote, ...] = ()
    places: Mapping[str, Where] = attrs.field(factory=dict)
    """Where each cell read is in the source (:attr:`ParseResult.places`)."""

    @property
    def ok(self) -> bool:
        return not self.problems and (self.result is None or self.result.ok)


@attrs.frozen(repr=False, eq=False)
class _CheckTask(Value):
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
        places=found.places,
    )


def _all_json(sources: Sequence[_batch.Source]) -> bool:
    """Return whether every source is a JSON report file, whose check is cheap (about 0.1 ms).

    Told from the names alone, without a path made for each of a batch's files: a name
    of some character then ``.json`` is what :attr:`~gipreport._cli.batch.Source.suffix`
    gives ``.json`` for (a hint for the batch's chunks only; the reader is chosen by it).
    """
    return all(
        source.data is None
        and source.input_format in {None, "json"}
        and bool(source.parts)
        and len(source.parts[-1]) > len(".json")
        and source.parts[-1].lower().endswith(".json")
        for source in sources
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _verdict(result: CheckResult, lang: Lang = "en") -> str:
    errors, warnings = len(result.errors), len(result.warnings)
    if lang == "zh":
        words = [f"{errors} 个错误", f"{warnings} 个警告"]
        if result.not_assessable:
            words.append(f"{len(result.not_assessable)} 项无法判断")
        return f"通过（{'，'.join(words)}）" if result.ok else "，".join(words)
    words = [_plural(errors, "error"), _plural(warnings, "warning")]
    if result.not_assessable:
        words.append(f"{len(result.not_assessable)} not assessable")
    return f"ok ({', '.join(words)})" if result.ok else ", ".join(words)


def _place_text(where: Where, lang: Lang = "en") -> str:
    """Return where a cell was read, short: the page of a PDF, else the line, else the cell.

    >>> _place_text(Where(table=2, form_table=3, row=4, column=3, page=3, bbox=(1, 2, 3, 4)))
    'p. 3'
    >>> _place_text(Where(table=1, form_table=2, row=2, column=1, line=270), "zh")
    '第270行'
    >>> _place_text(Where(table=0, form_table=2, row=2, column=1))
    'table 2, row 3, column 2'
    """
    if where.page is not None:
        return f"第{where.page}页" if lang == "zh" else f"p. {where.page}"
    if where.line is not None:
        return f"第{where.line}行" if lang == "zh" else f"line {where.line}"
    return where_zh(where) if lang == "zh" else str(where)


def _cells_text(
    cells: Sequence[str], places: Mapping[str, Where] | None = None, lang: Lang = "en"
) -> str:
    """Return the cells a finding read, each with where it was read in the source if known."""

    def shown_cell(path: str) -> str:
        where = places.get(path) if places else None
        return path if where is None else f"{path} ({_place_text(where, lang)})"

    shown = ", ".join(shown_cell(path) for path in cells[:_CELLS_SHOWN])
    rest = len(cells) - _CELLS_SHOWN
    return f"{shown}, … ({rest} more)" if rest > 0 else shown


_SEVERITY_ZH = {"error": "错误", "warning": "警告"}


def _finding_lines(
    finding: Finding,
    *,
    with_year: bool,
    console: _Console,
    lang: Lang = "en",
    places: Mapping[str, Where] | None = None,
) -> list[str]:
    zh = lang == "zh"
    year = (f"{finding.year}年 " if zh else f"{finding.year} ") if with_year else ""
    word = _SEVERITY_ZH.get(finding.severity, finding.severity) if zh else finding.severity
    severity = console.style(word, "error" if finding.severity == "error" else "warning")
    return [
        f"  {severity} {year}{finding.rule} [{finding.instance}]: {finding.message_zh}",
        f"      {'位置' if zh else 'at'}: {_cells_text(finding.cells, places, lang)}",
    ]


def _result_lines(
    result: CheckResult,
    *,
    with_year: bool,
    console: _Console,
    lang: Lang = "en",
    places: Mapping[str, Where] | None = None,
) -> list[str]:
    """Return the failed findings and suspects, their cells with their places (of a read source)."""
    zh = lang == "zh"
    lines: list[str] = []
    for finding in result.findings:
        if finding.status == "failed":
            lines += _finding_lines(
                finding, with_year=with_year, console=console, lang=lang, places=places
            )
    for suspect in result.suspects:
        cell = _cells_text((suspect.cell,), places, lang)
        lines.append(f"  {'可疑' if zh else 'suspect'} {cell}: {suspect.message_zh}")
    for year in result.unexplained:
        lines.append(
            f"  {year}年的勾稽关系不成立，且不能归于某一个单元格：有两个或更多单元格有误"
            if zh
            else f"  no single cell explains the failed arithmetic of {year}:"
            " two or more cells are wrong"
        )
    return lines


def _header(name: str, organ: str | None, year: int | None) -> str:
    return f"{name}: {organ} {year}年" if organ is not None else name


def _styled_verdict(result: CheckResult, console: _Console, lang: Lang = "en") -> str:
    return console.style(_verdict(result, lang), "ok" if result.ok else "error")


def _report_lines(
    checked: _Checked, *, quiet: bool, verbose: bool, console: _Console, lang: Lang = "en"
) -> list[str]:
    result = checked.result
    if result is None or (quiet and not result.findings):
        return []
    header = console.style(_header(checked.name, checked.organ, checked.year), "file")
    return [
        f"{header}: {_styled_verdict(result, console, lang)}",
        *_result_lines(result, with_year=False, console=console, lang=lang, places=checked.places),
        *_notes_lines(checked.notes, verbose=verbose, lang=lang),
    ]


def _notes_lines(
    notes: Sequence[ParseNote], *, verbose: bool, indent: str = "  ", lang: Lang = "en"
) -> list[str]:
    """Return the read notes counted by kind on one line, and each of severity error under it.

    With ``verbose``, every note on its own line.
    """
    if not notes:
        return []
    zh = lang == "zh"
    shown = [note_line_zh(note) if zh else str(note) for note in notes]
    if not verbose:
        errors = [line for note, line in zip(notes, shown, strict=True) if note.severity == "error"]
        summary = (
            f"{indent}读取说明：{notes_summary_zh(notes)}（--verbose 逐条列出）"
            if zh
            else f"{indent}read notes: {_notes_summary(notes)} (--verbose lists each)"
        )
        return [summary, *(f"{indent}  {line}" for line in errors)]
    return [
        f"{indent}{'读取说明：' if zh else 'read notes:'}",
        *(f"{indent}  {line}" for line in shown),
    ]


@attrs.define
class _Tally:
    """What a batch check adds up for its summary."""

    files: int = 0
    reports: int = 0
    with_errors: int = 0
    with_problems: int = 0
    problem_files: list[str] = attrs.Factory(list)
    failed: Counter[str] = attrs.Factory(Counter)
    not_assessable: Counter[str] = attrs.Factory(Counter)

    def add_file(self, checked: _Checked) -> None:
        self.files += 1
        if checked.problems:
            self.with_problems += 1
            self.problem_files.append(checked.name)
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

    def line(self, console: _Console, lang: Lang = "en") -> str:
        if lang == "zh":
            return self._line_zh(console)
        by_rule = ", ".join(f"{rule} {count}" for rule, count in sorted(self.failed.items()))
        with_errors = f"{self.with_errors} with errors"
        unreadable = f"{self.with_problems} unreadable or invalid"
        return (
            f"{_plural(self.files, 'file')}, {_plural(self.reports, 'report')} checked,"
            f" {console.style(with_errors, 'error') if self.with_errors else with_errors},"
            f" {console.style(unreadable, 'error') if self.with_problems else unreadable}"
            f"{_named(self.problem_files)};"
            f" findings by rule: {by_rule or 'none'}"
        )

    def _line_zh(self, console: _Console) -> str:
        by_rule = "，".join(f"{rule} {count}" for rule, count in sorted(self.failed.items()))
        with_errors = f"{self.with_errors} 份有错误"
        unreadable = f"{self.with_problems} 个无法读取或无效"
        return (
            f"共 {self.files} 个文件，检查了 {self.reports} 份报告，"
            f"{console.style(with_errors, 'error') if self.with_errors else with_errors}，"
            f"{console.style(unreadable, 'error') if self.with_problems else unreadable}"
            f"{_named(self.problem_files)}；"
            f"各规则发现的问题：{by_rule or '无'}"
        )


def _file_dict(checked: _Checked) -> dict[str, Any]:
    return {
        "file": checked.name,
        "ok": checked.ok,
        "organ": checked.organ,
        "year": checked.year,
        "problems": [problem.to_dict() for problem in checked.problems],
        "result": None if checked.result is None else checked.result.to_dict(),
        "notes": [_note_dict(note) for note in checked.notes],
        "places": _places_dict(checked),
    }


def _places_dict(checked: _Checked) -> dict[str, dict[str, Any]]:
    """Return where each cell of a failed finding or a suspect was read in the source."""
    result = checked.result
    if result is None or not checked.places:
        return {}
    cells = [c for f in result.findings if f.status == "failed" for c in f.cells]
    cells += [suspect.cell for suspect in result.suspects]
    out: dict[str, dict[str, Any]] = {}
    for path in cells:
        where = checked.places.get(path)
        if where is not None and path not in out:
            out[path] = {
                "where": str(where),
                "page": where.page,
                "bbox": None if where.bbox is None else list(where.bbox),
                "line": where.line,
            }
    return out


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
    sources = _sources(args)
    if args.series:
        return _check_series(args, console, sources, select, skip)
    as_json = args.format == "json"
    lang = _lang(args)
    tally = _Tally()
    files: list[dict[str, Any]] = []
    tasks = [_CheckTask(source, select, skip) for source in sources]
    progress = _progress(args, len(tasks), console)
    try:
        for checked in _batch.run(
            _check_one,
            tasks,
            jobs=_jobs(args, len(tasks)),
            progress=progress,
            cheap=_all_json(sources),
        ):
            tally.add_file(checked)
            if checked.result is not None:
                tally.add_result(checked.result)
                tally.with_errors += not checked.result.ok
            if as_json:
                files.append(_file_dict(checked))
                lines = []
            else:
                lines = _report_lines(
                    checked, quiet=args.quiet, verbose=args.verbose, console=console, lang=lang
                )
            if checked.problems or lines:
                progress.clear()
            console.warn(*(_problem(console, checked.name, p) for p in checked.problems))
            console.print(*lines)
    finally:
        progress.clear()
    if as_json:
        console.out.write(_json_text(_check_document(files, None, tally)))
    else:
        console.print(tally.line(console, lang))
    return tally.status


def _lang(args: argparse.Namespace) -> Lang:
    chosen: Lang | None = getattr(args, "lang", None)
    return default_lang() if chosen is None else chosen


def _check_series(
    args: argparse.Namespace,
    console: _Console,
    sources: Sequence[_batch.Source],
    select: tuple[str, ...] | None,
    skip: tuple[str, ...] | None,
) -> int:
    lang = _lang(args)
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
        console.warn(*(_problem(console, loaded.name, p) for p in loaded.problems))
        files.append(_file_dict(checked))
        if loaded.notes:
            noted += [
                f"{loaded.name}:",
                *_notes_lines(loaded.notes, verbose=args.verbose, lang=lang),
            ]
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
        span = f"{years[0]}–{years[-1]}"
        console.print(
            f"{len(reports)} 份报告的系列（{span}），{'、'.join(organs)}："
            f"{_styled_verdict(result, console, lang)}"
            if lang == "zh"
            else f"series of {_plural(len(reports), 'report')} ({span}),"
            f" {'、'.join(organs)}: {_styled_verdict(result, console)}"
        )
        console.print(*_result_lines(result, with_year=True, console=console, lang=lang))
    console.print(*noted)
    console.print(tally.line(console, lang))
    return tally.status


def _problem(console: _Console, name: str, problem: Problem) -> str:
    """Return a problem's line for stderr, its file name in bold on a terminal."""
    line = _problem_line(name, problem)
    return console.style(name, "file", err=True) + line[len(name) :]


def _json_text(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
