"""What every command shares: the console, exit codes, loading files, notes and problems."""

from __future__ import annotations

import argparse
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final, TextIO

import attrs

from gipreport._cli import batch as _batch
from gipreport._core.errors import LoadError, Problem
from gipreport._core.model import Report
from gipreport._core.values import Value
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
EXIT_INTERRUPTED: Final = 130
"""128 + SIGINT: what a shell reports for a command Ctrl-C stopped."""
EXIT_SOFTWARE: Final = 70
"""EX_SOFTWARE: the command itself failed (a worker process of a batch died)."""

_EXTENSIONS: Final = {
    "html": ".html",
    "text": ".txt",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "json": ".json",
}
_PROGRESS_FROM: Final = 10
"""A progress bar is drawn for batches of more files than this."""
_CELLS_SHOWN: Final = 4


class _UsageError(Exception):
    """A command was given something it cannot use; the message says what."""

    @classmethod
    def naming_options(cls, exc: Exception, *options: str) -> _UsageError:
        """Return the usage error of a library error, in the words of the command line.

        The library names its arguments (``year=``) and model fields
        (``Report.year``); a user of the command line gave ``--year``.
        """
        message = str(exc)
        for option in options:
            name = option.removeprefix("--").replace("-", "_")
            message = re.sub(rf"\b(?:Report\.{name}\b|{name}=)", option, message)
        return cls(message)


_STYLES: Final[Mapping[str, str]] = {
    "bold": "1",
    "error": "1;31",
    "warning": "33",
    "ok": "32",
    "dim": "2",
    "file": "1",
}
"""ANSI SGR codes of the few styles the command line uses."""


def colour_wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Return whether to colour what goes to ``stream``, as ruff and Python 3.13 decide.

    ``NO_COLOR`` (set and not empty) turns colour off, then ``FORCE_COLOR`` (set and
    not empty) turns it on; otherwise colour is on for a terminal (not ``TERM=dumb``)
    and off in a pipe or a file.
    """
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # pragma: no cover - a closed stream
        return False


@attrs.frozen(repr=False, eq=False)
class _Console(Value):
    """Where a command writes: ``out`` for its results, ``err`` for problems and progress.

    Colour is decided per stream (:func:`colour_wanted`) unless given.
    """

    out: TextIO
    err: TextIO
    out_colour: bool = attrs.field(
        default=attrs.Factory(lambda self: colour_wanted(self.out), takes_self=True)
    )
    err_colour: bool = attrs.field(
        default=attrs.Factory(lambda self: colour_wanted(self.err), takes_self=True)
    )

    def print(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")

    def warn(self, *lines: str) -> None:
        for line in lines:
            self.err.write(line + "\n")

    def style(self, text: str, style: str, *, err: bool = False) -> str:
        """Return ``text`` in ``style`` (a key of :data:`_STYLES`) if its stream is coloured."""
        if not (self.err_colour if err else self.out_colour) or not text:
            return text
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m"


# --- shared by the batch commands -----------------------------------------------------------


def _problem_line(name: str, problem: Problem) -> str:
    """Return ``FILE: json.path: message`` (or ``FILE: message`` for the whole file)."""
    return (
        f"{name}: {problem.path}: {problem.message}"
        if problem.path
        else f"{name}: {problem.message}"
    )


def _sources(args: argparse.Namespace) -> list[_batch.Source]:
    """Return the files the arguments name (``-`` is standard input), with what was given.

    The organ and year given for them (``--organ``, ``--year``) and the format to read them as
    (``--input-format``).
    """
    organ = getattr(args, "header_organ", None)
    year = getattr(args, "header_year", None)
    sources = _batch.collect(args.paths, input_format=getattr(args, "input_format", None))
    if organ is None and year is None:
        return sources
    return [attrs.evolve(source, organ=organ, year=year) for source in sources]


def _named(names: Sequence[str]) -> str:
    """Return ``": a.json, b.docx"`` naming the files of a summary, or nothing."""
    return f": {', '.join(names)}" if names else ""


def _read(source: _batch.Source) -> ParseResult | tuple[Problem, ...]:
    """Return the report in ``source`` with its notes, or the problems that keep it from loading."""
    if source.problem is not None:
        return (Problem("", source.problem, type="directory_empty"),)
    try:
        return _batch.read_source(source)
    except LoadError as error:
        return error.errors


def _note_line(name: str, note: ParseNote) -> str:
    """Return ``FILE: read note: where [path]: code: message: 'text'`` for stderr."""
    return f"{name}: read note: {note}"


_NOTE_NOUNS: Final[Mapping[str, tuple[str, str]]] = {
    "artefact": ("artefact removed", "artefacts removed"),
    "bidi-control": ("text with a reordering control", "texts with reordering controls"),
    "blank-cell": ("blank cell", "blank cells"),
    "column-missing": ("missing column", "missing columns"),
    "column-unknown": ("unknown column", "unknown columns"),
    "date-inferred": ("date taken from elsewhere", "dates taken from elsewhere"),
    "formula-uncached": ("formula without a saved value", "formulas without a saved value"),
    "date-unreadable": ("unreadable date", "unreadable dates"),
    "duplicate-row": ("duplicate row", "duplicate rows"),
    "encoding": ("other encoding", "other encodings"),
    "excess-values": ("row with values past its columns", "rows with values past their columns"),
    "extra-cells": ("row with extra cells", "rows with extra cells"),
    "spans-ambiguous": (
        "row whose merged cells cannot be placed",
        "rows whose merged cells cannot be placed",
    ),
    "extra-text": ("text not read", "texts not read"),
    "font-unmapped": (
        "text in a font not mapped to Unicode",
        "texts in fonts not mapped to Unicode",
    ),
    "header-lost": ("table header lost", "table headers lost"),
    "label-value": ("label and values in one cell", "labels and values in one cell"),
    "label-variant": ("label variant", "label variants"),
    "missing-cells": ("row with missing cells", "rows with missing cells"),
    "not-a-number": ("value that is not a number", "values that are not numbers"),
    "organ-differs": ("organ that differs", "organs that differ"),
    "organ-given": ("organ given (--organ)", "organs given (--organ)"),
    "organ-inferred": ("organ taken from elsewhere", "organs taken from elsewhere"),
    "page-furniture": ("page number or header removed", "page numbers or headers removed"),
    "row-missing": ("missing row", "missing rows"),
    "row-unknown": ("unknown row", "unknown rows"),
    "rows-merged": ("rows printed as one", "rows printed as one"),
    "section-missing": ("missing section", "missing sections"),
    "section-number": ("section numbered otherwise", "sections numbered otherwise"),
    "signature-missing": ("missing signature", "missing signatures"),
    "source-kind": ("source kind told from its content", "source kinds told from content"),
    "table-image": ("table as a picture", "tables as pictures"),
    "table-joined": ("table joined from pieces", "tables joined from pieces"),
    "table-missing": ("missing table", "missing tables"),
    "table-unknown": ("unknown table", "unknown tables"),
    "table-unread": ("table with no row read", "tables with no row read"),
    "table-unruled": ("table without ruling lines", "tables without ruling lines"),
    "title-missing": ("missing title", "missing titles"),
    "unit": ("value with a unit", "values with a unit"),
    "year-differs": ("year stated twice that differs", "years stated twice that differ"),
    "year-given": ("year given (--year)", "years given (--year)"),
    "year-inferred": ("year inferred", "years inferred"),
}
"""How the summary of read notes words each code, once and more than once."""


def _notes_summary(notes: Sequence[ParseNote]) -> str:
    """Return ``12 blank cells, 1 unknown row``: the notes counted by code, most first."""
    counts = Counter(note.code for note in notes)
    parts = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        nouns = _NOTE_NOUNS.get(code)
        noun = (nouns[0] if count == 1 else nouns[1]) if nouns else code
        parts.append(f"{count} {noun}")
    return ", ".join(parts)


def _note_lines(name: str, notes: Sequence[ParseNote], *, verbose: bool) -> list[str]:
    """Return a file's read notes for stderr: counted by kind, then each of severity error.

    An error note is a table lost; with ``verbose``, every note is listed.
    """
    if not notes:
        return []
    if verbose:
        return [_note_line(name, note) for note in notes]
    errors = [note for note in notes if note.severity == "error"]
    return [
        f"{name}: read notes: {_notes_summary(notes)} (--verbose lists each)",
        *(_note_line(name, note) for note in errors),
    ]


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


def _jobs(args: argparse.Namespace, files: int) -> int:
    jobs: int | None = args.jobs
    return _batch.default_jobs(files) if jobs is None else jobs


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


@attrs.frozen(kw_only=True, repr=False, eq=False)
class _Loaded(Value):
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
        for loaded in _batch.run(_load, sources, jobs=_jobs(args, len(sources)), progress=progress):
            if loaded.problems or loaded.notes:
                progress.clear()  # the caller prints them
            yield loaded
    finally:
        progress.clear()
