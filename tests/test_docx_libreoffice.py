"""The docx opens in LibreOffice: converted to PDF, its pages are A4 and its tables fit.

Skipped only where LibreOffice is not installed (``.ci/run`` installs
``libreoffice-writer-nogui`` and ``poppler-utils``). The check that tables fit
the page is made on what LibreOffice laid out: ``pdftotext -bbox`` gives the box
of every word on every page, and no word may stand outside the type area
(28 mm from the left edge, 26 mm from the right). A table wider than the type
area would push its right-hand columns past the margin; a value wrapped inside
a too-narrow column would show as a broken number, which is checked too.
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
from docx_support import example, maximal_report
from gipreport.layout import layout

SOFFICE = shutil.which("soffice")
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
    reports = {"example": example(), "maximal": maximal_report()}
    sources = []
    for name, report in reports.items():
        source = work / f"{name}.docx"
        data = gipreport.render(report, "docx")
        assert isinstance(data, bytes)
        source.write_bytes(data)
        sources.append(str(source))
    # A profile of its own, so parallel runs and a user's LibreOffice do not clash.
    profile = (work / "profile").as_uri()
    result = subprocess.run(
        [
            *(SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore"),
            *("--convert-to", "pdf", "--outdir", str(work), *sources),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = {name: work / f"{name}.pdf" for name in reports}
    for name, pdf in found.items():
        assert pdf.is_file(), f"LibreOffice wrote no PDF for {name}: {result.stdout}{result.stderr}"
    return found


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
