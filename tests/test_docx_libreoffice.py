"""The docx opens in LibreOffice: converted to PDF, its pages are A4 and its tables fit.

Skipped only where LibreOffice is not installed (``.ci/run`` installs
``libreoffice-writer-nogui`` and ``poppler-utils``). The check that tables fit
the page is made on what LibreOffice laid out: ``pdftotext -bbox`` gives the box
of every word on every page, and no word may stand outside the type area
(28 mm from the left edge, 26 mm from the right). A table wider than the type
area would push its right-hand columns past the margin; a value wrapped inside
a too-narrow column would show as a broken number, which is checked too.

Where the pages break is checked on the text of each page (``pdftotext -raw``,
in the order LibreOffice wrote it): tables 2 and 4 stand whole on the page of
their heading, and table 3's heading is followed on its page by its header rows
and first row of values.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

import gipreport
from docx_support import example, long_value_report, maximal_report
from gipreport.layout import layout
from pdf_support import SOFFICE, print_to_pdf

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer-nogui",
)

POINTS_PER_MM = 72 / 25.4
A4_POINTS = (595.28, 841.89)
TOLERANCE = 1.0  # points
HANGS = re.compile("[，。、；：！？）》」』”’]$")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")


@attrs.frozen
class Word:
    page: int
    x_min: float
    x_max: float
    text: str


class _BBoxParser(HTMLParser):
    """Reads ``pdftotext -bbox`` output: ``<page>`` elements of ``<word>`` boxes."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[Word] = []
        self.page = 0
        self._box: tuple[float, float] | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attributes}
        if tag == "page":
            self.page += 1
        elif tag == "word":
            self._box = (float(values["xmin"]), float(values["xmax"]))

    def handle_data(self, data: str) -> None:
        if self._box is not None:
            self.words.append(Word(self.page, *self._box, data))
            self._box = None


def words_of(pdf: Path) -> list[Word]:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: install poppler-utils (.ci/run does)"
    out = subprocess.run(
        [pdftotext, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    parser = _BBoxParser()
    parser.feed(out)
    return parser.words


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    assert SOFFICE is not None
    work = tmp_path_factory.mktemp("libreoffice")
    reports = {"example": example(), "maximal": maximal_report(), "long": long_value_report()}
    sources = []
    for name, report in reports.items():
        source = work / f"{name}.docx"
        data = gipreport.render(report, "docx")
        assert isinstance(data, bytes)
        source.write_bytes(data)
        sources.append(source)
    return dict(zip(reports, print_to_pdf(sources, work, timeout=600), strict=True))


@pytest.mark.parametrize("name", ["example", "maximal"])
def test_every_page_is_a4(pdfs: dict[str, Path], name: str) -> None:
    boxes = MEDIA_BOX.findall(pdfs[name].read_bytes())
    assert boxes
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box)
        assert abs((x1 - x0) - A4_POINTS[0]) <= TOLERANCE
        assert abs((y1 - y0) - A4_POINTS[1]) <= TOLERANCE


@pytest.mark.parametrize("name", ["example", "maximal"])
def test_everything_stands_inside_the_type_area(pdfs: dict[str, Path], name: str) -> None:
    options = gipreport.DocxOptions()
    left = options.margin_left * POINTS_PER_MM - TOLERANCE
    right = A4_POINTS[0] - options.margin_right * POINTS_PER_MM + TOLERANCE
    # Chinese typesetting lets a line's last full-width punctuation mark hang past
    # the margin (Word's and LibreOffice's default), by at most one character.
    hanging = right + options.body_size
    words = words_of(pdfs[name])
    assert words
    outside = [
        w for w in words if w.x_min < left or w.x_max > (hanging if HANGS.search(w.text) else right)
    ]
    assert outside == []
    # The tables' values, right-hand columns included, stand inside without hanging.
    assert any(w.text.isdigit() and w.x_max > right - 40 for w in words)


def test_the_example_reads_as_the_report(pdfs: dict[str, Path]) -> None:
    text = "".join(word.text for word in words_of(pdfs["example"]))
    report = example()
    assert report.display_title in text
    assert "2024年1月10日" in text
    assert "— 1 —".replace(" ", "") in text  # the page number field, laid out


def test_six_digit_values_are_not_broken(pdfs: dict[str, Path]) -> None:
    # Every value of the maximal report is 999999 (the fee 999999.999999): each must
    # come out as one word, in one line of its cell.
    expected = sum(
        cell.text == "999999"
        for table in layout(maximal_report()).tables
        for cell in table.values()
    )
    words = [w.text for w in words_of(pdfs["maximal"])]
    assert words.count("999999") == expected
    assert words.count("999999.999999") == 1


def pages_of(pdf: Path) -> list[list[str]]:
    """Return the words of each page, in the order they were written."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: install poppler-utils (.ci/run does)"
    out = subprocess.run(
        [pdftotext, "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page.split() for page in out.split("\f")]


def after_heading(pdf: Path, heading: str) -> tuple[str, list[str]]:
    """Return the text after ``heading`` on its page (no whitespace), and its words."""
    squashed = "".join(heading.split())
    found = [words for words in pages_of(pdf) if squashed in "".join(words)]
    assert len(found) == 1, f"{heading} is on {len(found)} pages"
    words = found[0]
    start = next(i for i in range(len(words)) if squashed in "".join(words[: i + 1]))
    return "".join(words[start + 1 :]), words[start + 1 :]


@pytest.mark.parametrize("name", ["example", "maximal", "long"])
def test_table_2_and_table_4_stand_on_one_page_under_their_headings(
    pdfs: dict[str, Path], name: str
) -> None:
    tables = {table.key: table for table in layout(example()).tables}
    for section in layout(example()).sections:
        if section.key not in ("proactive", "appeals"):
            continue
        table = tables[section.key]
        text, words = after_heading(pdfs[name], section.heading)
        # Every label of the table is on the heading's page, below it ...
        labels = ["".join(c.text.split()) for row in table.rows for c in row.cells if c.is_header]
        assert [label for label in labels if label not in text] == [], section.key
        # ... and every value (the last row of table 4 is values only).
        values = sum(not c.is_header for row in table.rows for c in row.cells)
        assert sum(bool(re.fullmatch(r"[0-9.]+", w)) for w in words) >= values, section.key


@pytest.mark.parametrize("name", ["example", "maximal", "long"])
def test_table_3_starts_on_its_headings_page(pdfs: dict[str, Path], name: str) -> None:
    heading = next(s.heading for s in layout(example()).sections if s.key == "requests")
    text, _words = after_heading(pdfs[name], heading)
    # The heading is followed on its page by the header rows and the first row of values.
    assert "申请人情况" in text
    assert "一、本年新收政府信息公开申请数量" in text


def test_the_long_value_is_one_word(pdfs: dict[str, Path]) -> None:
    words = [w.text for w in words_of(pdfs["long"])]
    assert words.count("1234567") == 1
