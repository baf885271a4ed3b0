"""``gipreport render`` and ``gipreport convert``: reports written in another format."""

from __future__ import annotations

import argparse
import mimetypes
from pathlib import Path
from typing import Any, Final

import attrs

import gipreport
from gipreport._cli import batch as _batch
from gipreport._cli.check import _plural
from gipreport._cli.common import (
    _EXTENSIONS,
    EXIT_OK,
    EXIT_USAGE,
    _Console,
    _jobs,
    _named,
    _note_lines,
    _problem_line,
    _progress,
    _read,
    _sources,
    _UsageError,
)
from gipreport._core.errors import GipReportError, Problem
from gipreport._core.jsonio import dump_json
from gipreport._core.model import Report
from gipreport._reading.source import ParseNote, ParseResult
from gipreport._rendering.registry import Renderer, RenderError, renderer

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
    options: tuple[tuple[str, Any], ...] = ()
    """The renderer's options the command line gives (``--subheading-style``)."""


def _render_output(fmt: str, args: argparse.Namespace) -> _Output:
    chosen = _renderer(fmt)
    return _Output(
        fmt=chosen.name,
        name=chosen.name,
        extension=_extension(chosen),
        gerund="rendering",
        participle="rendered",
        options=_options(chosen, args),
    )


def _options(chosen: Renderer | None, args: argparse.Namespace) -> tuple[tuple[str, Any], ...]:
    """Return the options of ``chosen`` (``None``: JSON) that ``args`` give, checked."""
    style = getattr(args, "subheading_style", None)
    if style is None:
        return ()
    if chosen is None or "subheading_style" not in attrs.fields_dict(chosen.options):
        name = "json" if chosen is None else chosen.name
        msg = f"--subheading-style is for html, text and docx, not {name}"
        raise _UsageError(msg)
    return (("subheading_style", style),)


_CONVERT_OUTPUT: Final = _Output(
    fmt=None, name="json", extension=".json", gerund="converting", participle="converted"
)


@attrs.frozen
class _RenderTask:
    source: _batch.Source
    fmt: str | None
    target: Path
    options: tuple[tuple[str, Any], ...] = ()


@attrs.frozen(kw_only=True)
class _Rendered:
    name: str
    target: Path
    problems: tuple[Problem, ...] = ()
    notes: tuple[ParseNote, ...] = ()


def _render_as(
    report: Report, fmt: str | None, options: tuple[tuple[str, Any], ...] = ()
) -> str | bytes:
    return dump_json(report) if fmt is None else gipreport.render(report, fmt, **dict(options))


def _render_bytes(
    report: Report, fmt: str | None, options: tuple[tuple[str, Any], ...] = ()
) -> bytes:
    output = _render_as(report, fmt, options)
    return output if isinstance(output, bytes) else output.encode("utf-8")


def _render_one(task: _RenderTask) -> _Rendered:
    name = task.source.name
    found = _read(task.source)
    if not isinstance(found, ParseResult):
        return _Rendered(name=name, target=task.target, problems=found)
    notes = found.notes
    try:
        data = _render_bytes(found.report, task.fmt, task.options)
        task.target.parent.mkdir(parents=True, exist_ok=True)
        _batch.write_atomic(task.target, data)
    except GipReportError as exc:  # a report this format cannot hold (BadTextError, …)
        problem = Problem("", f"cannot render as {task.fmt or 'json'}: {exc}", type="render_failed")
        return _Rendered(name=name, target=task.target, problems=(problem,), notes=notes)
    except OSError as exc:
        message = f"cannot write {task.target}: {exc.strerror or exc}"
        problem = Problem("", message, type="write_failed")
        return _Rendered(name=name, target=task.target, problems=(problem,), notes=notes)
    return _Rendered(name=name, target=task.target, notes=notes)


def _cmd_render(args: argparse.Namespace, console: _Console) -> int:
    return _write_each(args, console, _render_output(args.to, args))


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
    sources = _sources(args)
    tasks: list[_RenderTask] = []
    written_by: dict[Path, str] = {}
    failed: list[str] = []
    for source in sources:
        if source.problem is not None:
            console.warn(f"{source.name}: {source.problem}")
            failed.append(source.name)
            continue
        target = output / source.relative.with_suffix(out.extension)
        clash = written_by.get(target)
        if clash is not None or (source.data is None and _same_file(target, source.path)):
            why = f"also the output of {clash}" if clash else "the input itself"
            console.warn(f"{source.name}: not {out.participle}: {target} would overwrite {why}")
            failed.append(source.name)
            continue
        written_by[target] = source.name
        tasks.append(_RenderTask(source, out.fmt, target, out.options))
    written = 0
    progress = _progress(args, len(tasks), console)
    try:
        for result in _batch.run(
            _render_one, tasks, jobs=_jobs(args, len(tasks)), progress=progress
        ):
            lines = (
                [] if args.quiet else _note_lines(result.name, result.notes, verbose=args.verbose)
            )
            lines += [_problem_line(result.name, p) for p in result.problems]
            if lines:
                progress.clear()
            console.warn(*lines)
            if result.problems:
                failed.append(result.name)
            written += not result.problems
    finally:
        progress.clear()
    if not args.quiet or failed:
        not_done = f"{len(failed)} not {out.participle}"
        console.print(
            f"{_plural(written, 'file')} written to {output} as {out.name},"
            f" {console.style(not_done, 'error') if failed else not_done}{_named(failed)}"
        )
    return EXIT_USAGE if failed else EXIT_OK


def _same_file(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and a.samefile(b)


def _write_single(
    args: argparse.Namespace, console: _Console, out: _Output, output: Path | None
) -> int:
    (source,) = _sources(args)
    found = _read(source)
    if not isinstance(found, ParseResult):
        console.warn(*(_problem_line(source.name, p) for p in found))
        return EXIT_USAGE
    if not args.quiet:
        console.warn(*_note_lines(source.name, found.notes, verbose=args.verbose))
    try:
        rendered = _render_as(found.report, out.fmt, out.options)
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
    if source.data is None and _same_file(output, source.path):
        console.warn(f"{source.name}: not {out.participle}: -o {output} is the input itself")
        return EXIT_USAGE
    data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    _batch.write_atomic(output, data)
    if not args.quiet:
        console.print(f"wrote {output}")
    return EXIT_OK
