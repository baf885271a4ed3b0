"""What every command shares: the console, exit codes, loading files, notes and problems."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from typing import Any, Final, TextIO

import attrs

from gipreport._cli import batch as _batch
from gipreport._core.errors import LoadError, Problem
from gipreport._core.model import Report
from gipreport._reading.source import ParseNote, ParseResult

__all__ = ["CHECK_SCHEMA"]

PROG: Final = "gipreport"

CHECK_SCHEMA: Final = "gipreport-cli-check/1"
"""The ``schema`` of the document ``gipreport check --format json`` prints."""

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


def _sources(args: argparse.Namespace) -> list[_batch.Source]:
    """Return the files the arguments name, with the organ and year given for them."""
    organ = getattr(args, "header_organ", None)
    year = getattr(args, "header_year", None)
    sources = _batch.collect(args.paths)
    if organ is None and year is None:
        return sources
    return [attrs.evolve(source, organ=organ, year=year) for source in sources]


def _read(source: _batch.Source) -> ParseResult | tuple[Problem, ...]:
    """Return the report in ``source`` with its notes, or the problems that keep it from loading."""
    if source.problem is not None:
        return (Problem("", source.problem, type="directory_empty"),)
    try:
        return _batch.read_report(source.path, organ=source.organ, year=source.year)
    except LoadError as error:
        return error.errors


def _note_line(name: str, note: ParseNote) -> str:
    """Return ``FILE: read note: where [path]: code: message: 'text'`` for stderr."""
    return f"{name}: read note: {note}"


def _note_dict(note: ParseNote) -> dict[str, Any]:
    return {
        "code": note.code,
        "severity": note.severity,
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
