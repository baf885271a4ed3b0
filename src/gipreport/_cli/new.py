"""``gipreport new`` (a report to fill in) and ``gipreport demo`` (the bundled example)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import gipreport
from gipreport._checking.checks import check
from gipreport._cli import batch as _batch
from gipreport._cli.check import _header, _plural, _result_lines, _verdict
from gipreport._cli.common import _EXTENSIONS, EXIT_FINDINGS, EXIT_OK, _Console, _UsageError
from gipreport._cli.render import _options, _render_bytes, _renderer
from gipreport._core.template import blank_report

# --- new and demo ---------------------------------------------------------------------------


def _cmd_new(args: argparse.Namespace, console: _Console) -> int:
    fmt: str = args.to
    chosen = None if fmt == "json" else _renderer(fmt)
    options = _options(chosen, args)
    try:
        # A form to type into (Word, a web page, text) has its cells empty: a typed
        # number replaces nothing, and a cell nobody typed into stays blank.
        report = blank_report(
            args.organ, args.year, blank=args.blank or chosen is not None, format_id=args.format
        )
    except ValueError as exc:  # an empty organ, a year out of range
        raise _UsageError.naming_options(exc, "--organ", "--year") from None
    output: Path | None = args.output
    if output is not None and output.exists() and not args.force:
        msg = f"{output} exists; give --force to replace it"
        raise _UsageError(msg)
    data = _render_bytes(report, None if chosen is None else chosen.name, options)
    if output is None:
        _write_stdout(console, data, binary=chosen is not None and chosen.binary, name=fmt)
        return EXIT_OK
    _batch.write_atomic(output, data)
    console.print(f"wrote {output}")
    return EXIT_OK


def _write_stdout(console: _Console, data: bytes, *, binary: bool, name: str) -> None:
    """Write ``data`` to standard output: text as text; a binary document only off a terminal."""
    if not binary:
        console.out.write(data.decode("utf-8"))
        return
    if console.out.isatty():
        msg = f"{name} is binary: give -o FILE, or redirect the output to a file"
        raise _UsageError(msg)
    console.out.flush()
    stream = getattr(console.out, "buffer", None)
    if stream is None:
        msg = f"{name} is binary and this output takes only text: give -o FILE"
        raise _UsageError(msg)
    stream.write(data)
    stream.flush()


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
                " install it with: pip install python-docx (the 'docx' extra)"
            )
            continue
        _batch.write_atomic(path, make())
        console.print(f"wrote {path}")
    result = check(report)
    console.print(f"{_header(str(json_path), report.organ, report.year)}: {_verdict(result)}")
    console.print(*_result_lines(result, with_year=False, console=console))
    passed = sum(counts.passed for counts in result.rule_counts)
    console.print(
        f"checked with {_plural(len(result.rule_counts), 'rule')}: {passed} instances passed",
        f"next: gipreport check {json_path}",
    )
    return EXIT_OK if result.ok else EXIT_FINDINGS
