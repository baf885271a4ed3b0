"""``gipreport fill``: a filled-in form written again with the totals its numbers imply."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from gipreport._cli import batch as _batch
from gipreport._cli.check import _plural
from gipreport._cli.common import (
    _EXTENSIONS,
    EXIT_OK,
    EXIT_USAGE,
    _Console,
    _note_lines,
    _problem_line,
    _read,
    _sources,
    _UsageError,
)
from gipreport._cli.render import _options, _render_bytes, _renderer, _same_file
from gipreport._core.errors import GipReportError
from gipreport._core.model import CellValue, Report
from gipreport._core.totals import derived_values
from gipreport._reading.source import ParseResult
from gipreport._rendering.registry import Renderer

_FORMATS: Final[Mapping[str, str]] = {
    **{extension: fmt for fmt, extension in _EXTENSIONS.items()},
    ".htm": "html",
    ".text": "text",
}
"""The output format of ``fill`` for each suffix of ``-o``."""


@attrs.frozen(kw_only=True)
class Filled:
    """What :func:`fill_totals` did: the report, and the totals it wrote or could not write."""

    report: Report
    written: tuple[str, ...]
    """The paths of the totals that were blank and are now their parts' sum."""
    left_blank: tuple[str, ...]
    """The paths of the totals left blank, a part of theirs being blank."""
    differing: tuple[str, ...]
    """The paths of the totals typed in that are not their parts' sum (left as typed)."""


def fill_totals(report: Report) -> Filled:
    """Return ``report`` with every blank total whose parts are all filled in set to their sum.

    Unlike :func:`gipreport.derive_totals`, a number already in the report is
    never changed: a typed total that disagrees with its parts stays as typed
    (``gipreport check`` reports it), and a total with a blank part stays blank.
    """
    values = report.values()
    derived = derived_values(report.form, values)
    written: dict[str, CellValue] = {}
    left_blank: list[str] = []
    differing: list[str] = []
    for path, value in derived.items():
        typed = values[path]
        if typed is None and value is not None:
            written[path] = value
        elif typed is None:
            left_blank.append(path)
        elif value is not None and typed != value:
            differing.append(path)
    filled = report.with_cells(written) if written else report
    # A total of totals (（七）总计) is summed from the totals just written: derive again
    # until nothing more can be filled.
    if written:
        again = fill_totals(filled)
        return Filled(
            report=again.report,
            written=(*written, *again.written),
            left_blank=again.left_blank,
            differing=again.differing,
        )
    return Filled(
        report=filled, written=(), left_blank=tuple(left_blank), differing=tuple(differing)
    )


def _output_format(output: Path) -> str | None:
    """Return the renderer name for ``output`` by its suffix (``None``: gipreport JSON)."""
    fmt = _FORMATS.get(output.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(_FORMATS))
        msg = f"-o {output}: cannot tell the format to write from its suffix (one of {known})"
        raise _UsageError(msg)
    return None if fmt == "json" else _renderer(fmt).name


def _kept_style(chosen: Renderer, found: ParseResult) -> tuple[tuple[str, Any], ...]:
    """Return the options that number the sub-headings as ``found``'s source did.

    Filling changes only the numbers: a report whose sub-headings were numbered
    ``（1）`` comes back so, not in the default ``（一）``. None where the source
    numbered none as gipreport can (or was JSON), or ``chosen`` numbers none (xlsx).
    """
    if found.subheading_style is None or "subheading_style" not in attrs.fields_dict(
        chosen.options
    ):
        return ()
    return (("subheading_style", found.subheading_style),)


def _cmd_fill(args: argparse.Namespace, console: _Console) -> int:
    output: Path = args.output
    fmt = _output_format(output)
    options = _options(None if fmt is None else _renderer(fmt), args)
    if output.exists() and not args.force:
        msg = f"{output} exists; give --force to replace it"
        raise _UsageError(msg)
    args.paths = [str(args.path)]
    (source,) = _sources(args)
    if source.data is None and _same_file(output, source.path):
        msg = f"-o {output} is the input itself: write the filled form to another file"
        raise _UsageError(msg)
    found = _read(source)
    if not isinstance(found, ParseResult):
        console.warn(*(_problem_line(source.name, p) for p in found))
        return EXIT_USAGE
    if not args.quiet:
        console.warn(*_note_lines(source.name, found.notes, verbose=args.verbose))
    filled = fill_totals(found.report)
    if fmt is not None and not options:
        options = _kept_style(_renderer(fmt), found)
    try:
        data = _render_bytes(filled.report, fmt, options)
    except GipReportError as exc:
        console.warn(f"{source.name}: cannot write as {fmt or 'json'}: {exc}")
        return EXIT_USAGE
    _batch.write_atomic(output, data)
    lines = [f"wrote {output}: {_plural(len(filled.written), 'total')} filled in"]
    if filled.left_blank:
        lines.append(
            f"  {_plural(len(filled.left_blank), 'total')} left blank (a part is blank):"
            f" {_shown(filled.left_blank)}"
        )
    if filled.differing:
        lines.append(
            f"  {_plural(len(filled.differing), 'total')} typed in that differ from their"
            f" parts, left as typed (gipreport check reports them): {_shown(filled.differing)}"
        )
    if not args.quiet or filled.differing:
        console.print(*lines)
    return EXIT_OK


_SHOWN: Final = 4


def _shown(paths: tuple[str, ...]) -> str:
    more = len(paths) - _SHOWN
    return ", ".join(paths[:_SHOWN]) + (f", … ({more} more)" if more > 0 else "")
