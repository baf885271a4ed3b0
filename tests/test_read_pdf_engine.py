"""The PDF reader's engine: PDFium's pages are what pdfminer's were.

The pages are drawn by PDFium (:mod:`gipreport._reading.pdfium_page`), about ten
times faster than pdfminer's interpreter, which drew them before. Here each
real PDF's characters and ruling lines as PDFium gives them are held against
pdfminer's (pdfplumber's ``page.layout``) of the same page: the same characters
in the same boxes (within what the engines measure apart), the same lines,
rectangles and pictures.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

import gipreport
from gipreport._reading import from_pdf, pdfium_page

REAL = Path(__file__).parent / "data" / "real"
PDF = Path(__file__).parent / "data" / "pdf"
PDFS = [
    *sorted(REAL.glob("*/source.pdf")),
    PDF / "mingan_2023.pdf",
    PDF / "row_cut.pdf",
    PDF / "scanned.pdf",
]


def _pdfminer_page(page: Any) -> tuple[list[Any], list[dict[str, Any]], list[Any]]:
    """Return a page's upright characters, curves and pictures as pdfminer draws them."""
    height = float(page.height)
    chars, shapes, pictures = [], [], []
    stack = [iter(page.layout)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, LTChar):
            if item.upright and item.get_text():
                top, bottom = height - item.y1, height - item.y0
                chars.append((item.get_text(), item.x0, top, item.x1, bottom, item.size))
        elif isinstance(item, LTCurve):
            top, bottom = height - item.y1, height - item.y0
            shapes.append(
                {
                    "kind": type(item).__name__,
                    "box": (item.x0, top, item.x1, bottom),
                    "stroke": item.stroke,
                    "fill": item.fill,
                }
            )
        elif isinstance(item, LTImage):
            pictures.append((item.x0, height - item.y1, item.x1, height - item.y0))
        elif isinstance(item, LTContainer):
            stack.append(iter(item))
    return chars, shapes, pictures


def _close(a: Any, b: Any, tolerance: float) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.parent.name + "/" + path.name)
def test_pdfium_draws_each_page_as_pdfminer_does(path: Path) -> None:
    data = path.read_bytes()
    pdf = from_pdf._open(data)
    try:
        for number, page in enumerate(pdfplumber.pdf.PDF(io.BytesIO(data)).pages):
            chars, shapes, pictures = _pdfminer_page(page)
            handle = pdf.raw.FPDF_LoadPage(pdf.doc, number)
            try:
                drawn = pdfium_page.PdfiumPage(pdf.raw, handle, max_objects=50_000)
            finally:
                pdf.raw.FPDF_ClosePage(handle)
            assert _close((drawn.width, drawn.height), (page.width, page.height), 0.01)

            # The same characters, each where pdfminer has it (the engines list a
            # page's characters in different orders): its left edge and size exact;
            # its baseline within a quarter of its size (pdfminer takes the descent
            # below it from the font's descriptor, which LibreOffice's say is 0,
            # PDFium from the font itself); its advance within half a point (the
            # engines round a font's widths apart), or an em where PDFium
            # misreports a width.
            inked = [c for c in chars if not c[0].isspace()]
            ours = [c for c in drawn.chars if not c[0].isspace()]
            assert sorted(c[0] for c in ours) == sorted(c[0] for c in inked), number
            unmatched = list(ours)
            for theirs in inked:
                mine = next(
                    c
                    for c in unmatched
                    if c[0] == theirs[0]
                    and _close((c[1], c[5]), (theirs[1], theirs[5]), 0.01)
                    and _close((c[2], c[4]), (theirs[2], theirs[4]), 0.25 * c[5])
                )
                unmatched.remove(mine)
                assert abs(theirs[3] - mine[3]) <= 0.5 or mine[3] - mine[1] == mine[5]
            # The same lines and rectangles, painted alike; the same pictures.
            key = lambda s: (s["kind"], *(round(v) for v in s["box"]))  # noqa: E731
            theirs_shapes = sorted(shapes, key=key)
            mine_shapes = sorted(
                (
                    {
                        "kind": s["kind"],
                        "box": (s["x0"], s["top"], s["x1"], s["bottom"]),
                        "stroke": s["stroke"],
                        "fill": s["fill"],
                    }
                    for s in drawn.shapes
                ),
                key=key,
            )
            assert len(mine_shapes) == len(theirs_shapes)
            for theirs_shape, mine_shape in zip(theirs_shapes, mine_shapes, strict=True):
                assert theirs_shape["kind"] == mine_shape["kind"]
                assert (theirs_shape["stroke"], theirs_shape["fill"]) == (
                    mine_shape["stroke"],
                    mine_shape["fill"],
                )
                assert _close(theirs_shape["box"], mine_shape["box"], 0.01)
            assert len(drawn.pictures) == len(pictures)
            for theirs_box, mine_box in zip(sorted(pictures), sorted(drawn.pictures), strict=True):
                assert _close(theirs_box, mine_box, 0.01)
    finally:
        pdf.close()


class _Text:
    """PDFium's text functions as far as :func:`pdfium_page._codes` asks them."""

    def __init__(self, units: list[int]) -> None:
        self.units = units

    def FPDFText_GetText(self, _page: object, start: int, count: int, buffer: Any) -> int:  # noqa: N802 - PDFium's name
        for k, unit in enumerate(self.units[start : start + count]):
            buffer[k] = unit
        return count + 1


def test_a_character_beyond_the_bmp_is_one_character() -> None:
    # PDFium keeps 𝒜 (U+1D49C) as the two halves of its UTF-16 surrogate pair.
    units = [0x4E2D, 0xD835, 0xDC9C, 0x6587]
    codes = pdfium_page._codes(_Text(units), None, len(units))
    assert codes == [0x4E2D, 0x1D49C, 0, 0x6587]


def test_the_engine_is_named() -> None:
    assert "PDFium" in from_pdf.ENGINE
    assert "pdfminer" in from_pdf.ENGINE


def test_pdfium_reads_one_document_at_a_time() -> None:
    # PDFium is not thread-safe: reads from many threads are each whole.
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    data = (PDF / "mingan_2023.pdf").read_bytes()
    alone = gipreport.read(data).report
    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda _n: gipreport.read(data).report, range(8)))
    assert all(report == alone for report in reports)
