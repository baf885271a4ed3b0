"""The law of the PDF reader: gipreport's docx, printed to PDF by LibreOffice, reads back.

``render(r, "docx")`` → LibreOffice PDF → :func:`gipreport.read` gives every cell
of ``r`` exactly, and its organ, year, title, date of issue and prose (prose
compared without whitespace: a PDF keeps no line breaks of its own, and without
the full-width punctuation marks LibreOffice leaves out of the PDF where it
hangs them past the margin — they are not printed, so they cannot be read).

The reports are drawn by Hypothesis (derandomized, so a run is repeatable) with
blank cells and counts up to 7 digits, plus the largest report
(``maximal_report``: 1,000-character texts, a long organ name) — enough pages
for table 3 to break across a page. LibreOffice takes seconds per file, so all
are converted in one ``soffice`` call: 20 reports by default,
``GIPREPORT_PDF_EXAMPLES=200`` for a thorough run. Skipped only where
LibreOffice is not installed (``.ci/run`` installs ``libreoffice-writer-nogui``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import gipreport
from docx_support import maximal_report
from gipreport import Prose, Report
from gipreport._reading.labels import squash
from gipreport._reading.source import SourceCell
from gipreport.layout import SUBHEADING_STYLES, SubheadingStyle
from pdf_support import SOFFICE, breakable, drawn_for_pdf, print_to_pdf, row_cut_report

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer-nogui",
)

EXAMPLES = int(os.environ.get("GIPREPORT_PDF_EXAMPLES", "20"))
_HANGING = str.maketrans("", "", "。，、；：！？")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Report, Path]]:
    # A PDF marks no heading: a sub-heading is a numbered line that reads as one,
    # which the maximal report's (a long sentence) does only numbered （1） with a space.
    jobs: list[tuple[Report, SubheadingStyle]] = [(maximal_report(), "arabic-spaced")]
    jobs += [(report, "chinese") for report in drawn_for_pdf(EXAMPLES)]
    return _print(tmp_path_factory.mktemp("pdf-law"), jobs)


@pytest.fixture(scope="module")
def printed_in_each_style(
    tmp_path_factory: pytest.TempPathFactory,
) -> list[tuple[Report, Path]]:
    # A few reports in every other sub-heading style (the default is the law above).
    reports = [gipreport.examples.mingan_2023(), *drawn_for_pdf(3)]
    styles: list[SubheadingStyle] = [s for s in SUBHEADING_STYLES if s != "chinese"]
    jobs = [(report, style) for style in styles for report in reports]
    return _print(tmp_path_factory.mktemp("pdf-styles"), jobs)


def _print(work: Path, jobs: list[tuple[Report, SubheadingStyle]]) -> list[tuple[Report, Path]]:
    """Return each report rendered to docx in its style and printed to PDF by LibreOffice."""
    reports = [report for report, _ in jobs]
    sources = []
    for number, (report, style) in enumerate(jobs):
        source = work / f"r{number:04}.docx"
        source.write_bytes(gipreport.render(report, "docx", subheading_style=style))
        sources.append(source)
    return list(zip(reports, print_to_pdf(sources, work), strict=True))


def _paragraphs(prose: Prose) -> Iterator[tuple[str, str]]:
    for text in prose.paragraphs:
        yield "paragraph", text
    for subsection in prose.subsections:
        yield "heading", subsection.heading
        for text in subsection.paragraphs:
            yield "paragraph", text


def _same_print(got: str, want: str) -> bool:
    """Return whether ``got`` is ``want`` as printed: whitespace and hung punctuation aside."""
    got, want = squash(got), squash(want)
    return got.translate(_HANGING) == want.translate(_HANGING) and len(got) <= len(want)


def _difference(read: tuple[tuple[str, str], ...], wanted: tuple[tuple[str, str], ...]) -> str:
    """Return where ``read`` first differs from ``wanted`` (prose), or ""."""
    for number, ((kind_a, text_a), (kind_b, text_b)) in enumerate(zip(read, wanted, strict=False)):
        if kind_a != kind_b or not _same_print(text_a, text_b):
            got, want = squash(text_a), squash(text_b)
            pairs = zip(got, want, strict=False)
            at = next((i for i, (x, y) in enumerate(pairs) if x != y), min(len(got), len(want)))
            return (
                f"prose {number} ({kind_a}/{kind_b}) at {at}: "
                f"{got[max(at - 20, 0) : at + 30]!r} != {want[max(at - 20, 0) : at + 30]!r}"
            )
    if len(read) != len(wanted):
        return f"prose: {len(read)} paragraphs != {len(wanted)}: {str(read[len(wanted) :])[:200]}"
    return ""


def test_a_printed_report_reads_back(printed: list[tuple[Report, Path]]) -> None:
    failures = _failures(printed)
    assert failures == [], "\n".join(failures)


def test_a_report_printed_in_each_subheading_style_reads_back(
    printed_in_each_style: list[tuple[Report, Path]],
) -> None:
    failures = _failures(printed_in_each_style)
    assert failures == [], "\n".join(failures)


def _failures(printed: list[tuple[Report, Path]]) -> list[str]:
    """Return what differs between each report and its PDF as read, one line a PDF."""
    failures = []
    for report, pdf in printed:
        result = gipreport.read(pdf)
        got = result.report
        problems = [
            f"cell {path}: {got.values().get(path)!r} != {value!r}"
            for path, value in report.values().items()
            if got.values().get(path) != value
        ]
        for field in ("organ", "year", "published_on", "format", "display_title"):
            if getattr(got, field) != getattr(report, field):
                problems.append(f"{field}: {getattr(got, field)!r} != {getattr(report, field)!r}")
        pairs = [
            (
                tuple(("paragraph", text) for text in got.preamble),
                tuple(("paragraph", text) for text in report.preamble),
            )
        ]
        pairs += [
            (tuple(_paragraphs(getattr(got, key))), tuple(_paragraphs(getattr(report, key))))
            for key in ("overview", "problems", "other_matters")
        ]
        for read, wanted in pairs:
            difference = _difference(read, wanted)
            if difference:
                problems.append(difference)
        # Only what the report lacks is noted, and the page numbers.
        codes = {note.code for note in result.notes} - {"page-furniture", "blank-cell"}
        if codes - {"signature-missing"} or ("signature-missing" in codes) != (
            report.published_on is None
        ):
            problems.append(f"notes: {[str(n) for n in result.notes if n.code in codes]}")
        if problems:
            failures.append(f"{pdf.name}: {problems[:5]}")
    return failures


def test_the_tables_break_across_pages(printed: list[tuple[Report, Path]]) -> None:
    # The law is worth something only if some table 3 is printed on two pages.
    from gipreport._reading.from_pdf import pdf_source  # noqa: PLC0415 - the blocks

    split = 0
    for _report, pdf in printed:
        doc = pdf_source(pdf.read_bytes())
        for block in doc.blocks:
            if isinstance(block, gipreport._reading.source.SourceTable):
                pages = {cell.page for row in block.rows for cell in row}
                split += len(pages) > 1
    assert split >= len(printed) // 2


# --- rows free to break across pages -------------------------------------------------------

_SHIFTS = range(0, 48, 2)
"""Sentences added to section 一, moving table 3's page break row by row down a page."""


@pytest.fixture(scope="module")
def rows_cut(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Report, Path]]:
    # gipreport's docx keeps each row on one page (<w:cantSplit/>) and repeats
    # the header rows (<w:tblHeader/>); taken out, LibreOffice cuts rows across
    # pages, with the headers repeated (every other shift) or not.
    assert SOFFICE is not None
    work = tmp_path_factory.mktemp("rows-cut")
    made = []
    for shift in _SHIFTS:
        report = row_cut_report(shift)
        data = gipreport.render(report, "docx")
        assert isinstance(data, bytes)
        source = work / f"s{shift:02}.docx"
        source.write_bytes(breakable(data, header=shift % 4 == 0))
        made.append((report, source))
    pdfs = print_to_pdf([source for _report, source in made], work)
    return [(report, pdf) for (report, _source), pdf in zip(made, pdfs, strict=True)]


def test_rows_cut_by_page_breaks_read_back(rows_cut: list[tuple[Report, Path]]) -> None:
    from gipreport._reading import from_pdf  # noqa: PLC0415 - to count the cut rows

    joined = 0
    original = from_pdf._join_cut_row

    def counting(rows: list[list[SourceCell]], offset: int) -> list[list[SourceCell]]:
        nonlocal joined
        out = original(rows, offset)
        joined += out is not rows
        return out

    failures = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(from_pdf, "_join_cut_row", counting)
        for report, pdf in rows_cut:
            result = gipreport.read(pdf)
            got = result.report.values()
            wrong = {p: (got[p], v) for p, v in report.values().items() if got[p] != v}
            codes = {note.code for note in result.notes} - {"page-furniture"}
            if wrong or codes:
                failures.append(f"{pdf.name}: {list(wrong.items())[:3]} {sorted(codes)}")
    assert failures == []
    assert joined >= 4  # the law is worth something only if rows were cut
