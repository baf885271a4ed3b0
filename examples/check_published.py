"""Read published reports (docx, HTML or text), print what was odd in them, and check them.

Usage::

    python examples/check_published.py [REPORT ...]

With no file given, it checks a stand-in: the bundled example as a web page,
with 行政许可 published as "/" and a typo in table 3, as published reports have
them. For each report it prints the notes on reading it (a "/" is a blank cell,
never 0), then the errors the checks find, naming the cells by their labels.
Exits 2 if a file could not be read as a report at all, else 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gipreport


def stand_in() -> str:
    """Return the bundled example as a web page, with a blank cell and a typo."""
    report = gipreport.examples.mingan_2023()
    page = gipreport.render(report.with_cells({"requests.results.total.commercial": 3}), "html")
    assert isinstance(page, str)
    licensing = 'data-path="proactive.licensing.decisions" colspan="3">0<'
    return page.replace(licensing, licensing.replace(">0<", ">/<"))


def check(name: str, source: Path | str) -> bool:
    """Read and check one report; print what was found. Return whether it could be read."""
    try:
        result = gipreport.read(source)
    except gipreport.ParseError as error:
        print(f"{name}: not a report: {error}")
        return False
    report = result.report
    print(f"{name}: {report.organ} {report.year} ({result.format})")
    for note in result.notes:
        print(f"  read: {note}")
    checked = gipreport.check(report)
    for finding in checked.errors:
        print(f"  error: {finding.message_zh}")
    for suspect in checked.suspects:
        print(f"  suspect cell: {suspect.cell}")
    return True


def main(argv: list[str] | None = None) -> int:
    """Check each report named in ``argv``, or the stand-in; 2 if one is no report, else 0."""
    args = sys.argv[1:] if argv is None else argv
    sources: list[tuple[str, Path | str]] = [(arg, Path(arg)) for arg in args]
    if not sources:
        sources = [("stand-in.html", stand_in())]
    results = [check(name, source) for name, source in sources]
    return 0 if all(results) else 2


if __name__ == "__main__":
    sys.exit(main())
