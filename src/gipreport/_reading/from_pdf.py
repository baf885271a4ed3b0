"""Reading a PDF's text layer: tables by their ruling lines, prose by its lines.

A PDF has no paragraphs or tables, only characters, lines and pictures placed on
pages. This reader rebuilds what the other readers are given (the blocks of
:mod:`gipreport._reading.source`), so that one shared matcher
(:mod:`gipreport._reading.tables`) reads the tables and one assembler the rest:

- **tables** are found by their ruling lines (stroked lines, thin filled
  rectangles, the edges of stroked rectangles; a white or tinted background
  box is no ruling), their cells resolved to the grid (a merged cell is the
  same cell in every slot it covers); a table continued on the next page is
  one table, the header rows repeated there are dropped, and a merged label
  cell cut by the page break is one cell; a PDF with no ruled table at all is
  read as its text laid out by where it stands, by the reader of
  ``pdftotext -layout`` text (:mod:`gipreport._reading.from_layout`);
- **prose** is the text outside the tables, its lines joined into paragraphs
  by indentation, line width, font size and spacing; a title in a larger font
  is one paragraph; right-aligned short lines are the signature; page numbers
  and running headers and footers ("— 3 —", "第 2 页") are removed and noted;
- every block, cell and note says its **page** and **bounding box**
  (:class:`~gipreport._reading.source.Where`), in PDF points from the page's
  top left.

What cannot be read is said plainly: a scanned report (pages that are
pictures) needs OCR and is refused; an encrypted, damaged or truncated file is
refused; text whose fonts do not map it to Unicode is noted or, where it is
most of the text, refused. The work is bounded (:data:`MAX_PDF_PAGES`,
:data:`MAX_PAGE_CONTENT_BYTES`, :data:`MAX_PDF_SECONDS`): a PDF bomb ends in a
:class:`~gipreport.ParseError`.

The pages are drawn by PDFium (:mod:`gipreport._reading.pdfium_page`, through
pypdfium2, pdfplumber's own dependency): their characters, paths and pictures,
in pdfminer's terms; pdfminer (under pdfplumber) checks the file, its page tree
and each page's drawing instructions before PDFium reads the page, and
pdfplumber's table finder joins the ruling lines into cells (:data:`ENGINE`).

Needs the ``pdf`` extra (pdfplumber): ``pip install 'gipreport[pdf]'``.
"""

from __future__ import annotations

import bisect
import contextlib
import io
import itertools
import re
import signal
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

import attrs

from gipreport._core.errors import ParseError
from gipreport._core.form import FORM_2019, FORM_2021
from gipreport._reading.labels import is_blank, squash
from gipreport._reading.numbering import STARTS_A_LINE, is_numbered
from gipreport._reading.pdfium_page import PdfiumPage, pdfium
from gipreport._reading.source import (
    Mark,
    ParseNote,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceImage,
    SourceParagraph,
    SourceTable,
    Where,
    capped,
)
from gipreport._reading.tables import TableState, is_form_label, value_like

__all__ = [
    "ENGINE",
    "MAX_PAGE_CONTENT_BYTES",
    "MAX_PAGE_OBJECTS",
    "MAX_PDF_PAGES",
    "MAX_PDF_SECONDS",
    "pdf_source",
]

ENGINE: Final = "PDFium (pypdfium2) for the pages; pdfminer (pdfplumber) for the checks"
"""What reads a PDF: PDFium draws each page's characters, lines and pictures;
pdfminer checks the file, its page tree and each page's drawing instructions
first (encrypted, damaged, too many pages, too many bytes), and pdfplumber's
table finder joins the ruling lines into cells."""

MAX_PDF_PAGES: Final = 300
"""The most pages read: a report has a handful; more is not a report (or a bomb)."""
MAX_PAGE_CONTENT_BYTES: Final = 2 * 1024 * 1024
"""The most bytes of drawing instructions one page may hold once decompressed
(a page of a report holds some tens of KiB: the corpus's largest, 43 KiB)."""
MAX_PAGE_OBJECTS: Final = 50_000
"""The most characters, objects (paths, pictures, forms) and path segments one page may hold."""
MAX_PAGE_RULINGS: Final = 5_000
"""The most ruling lines a page's tables are looked for among (table 3 has about 100)."""
MAX_PDF_SECONDS: Final = 30.0
"""The most time reading one PDF may take. Enforced by a timer signal where the
reading runs in the main thread of a Unix process (else checked after every page)."""

Box = tuple[float, float, float, float]

_TOLERANCE: Final = 2.0  # points: ruling lines this close are the same line
_THIN: Final = 2.0  # points: a filled rectangle this thin is a drawn line
_MARGIN: Final = 0.1  # of the page height: where running headers and footers are
_PAGE_NUMBER: Final = re.compile(
    r"[-—–－―~·•\s]*(?:第\s*)?[0-9０-９]{1,4}(?:\s*页)?"
    r"(?:\s*[/／]\s*[0-9０-９]{1,4}|\s*共\s*[0-9０-９]{1,4}\s*页)?[-—–－―~·•\s]*"
)
_BOLD: Final = ("bold", "heavy", "black", "黑体", "heiti", "simhei", "medium")
_FEW_CHARACTERS: Final = 10  # a page with fewer and a picture is a scanned page
_SIGNATURE_LINES: Final = 3  # a right-aligned paragraph this short is part of the signature
_PLAIN_STARTS: Final = 2
"""The numbered paragraph starts (after a line short of the margin) that show where a
document starts its numbered headings (:class:`_Metrics`)."""
_OWN_MARGINS: Final = 12  # body lines a page needs for its own margins (else the document's)
_PRIVATE: Final = re.compile(r"[\ue000-\uf8ff\ufffd]|\(cid:\d+\)")
_LATIN_JUNK: Final = re.compile(r"[\u0080-\u024f]")


# --- what a page holds -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


class _Line:
    """One line of text: its characters left to right, and what is measured of them."""

    __slots__ = ("bbox", "bold", "bottom", "chars", "page", "size", "text", "top", "x0", "x1")

    def __init__(self, chars: tuple[_Char, ...], page: int) -> None:
        self.chars = chars
        self.page = page
        self.text = _join_chars(chars)
        self.x0 = chars[0].x0
        self.x1 = max(c.x1 for c in chars)
        self.top = min(c.top for c in chars)
        self.bottom = max(c.bottom for c in chars)
        self.bbox: Box = (_r(self.x0), _r(self.top), _r(self.x1), _r(self.bottom))
        inked = [c for c in chars if not c.text.isspace()]
        sizes = Counter(round(c.size * 2) / 2 for c in inked)
        self.size: float = sizes.most_common(1)[0][0] if sizes else 0.0
        self.bold: bool = sum(c.bold for c in inked) * 2 > len(inked)


@attrs.frozen(kw_only=True)
class _Grid:
    """A ruled table on one page: its column and row boundaries, its cells' boxes."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[tuple[int, int, int, int, Box], ...]  # row0, row1, col0, col1, box
    bbox: Box


@attrs.frozen(kw_only=True)
class _Page:
    number: int  # 1-based
    width: float
    height: float
    chars: tuple[_Char, ...]
    grids: tuple[_Grid, ...]
    pictures: tuple[Box, ...]  # images large enough to hold a table


def _r(value: float) -> float:
    return round(value, 1)


def _join_chars(chars: Sequence[_Char]) -> str:
    out: list[str] = []
    previous: _Char | None = None
    for char in chars:
        if previous is not None and not char.text.isspace() and not previous.text.isspace():
            gap = char.x0 - previous.x1
            latin = previous.text[-1:].isascii() and char.text[:1].isascii()
            if latin and gap > 0.25 * max(char.size, 1.0):
                out.append(" ")
        out.append(char.text)
        previous = char
    return re.sub(r"[ \t\u00a0\u3000]{2,}", " ", "".join(out))


# --- opening the file, bounded ------------------------------------------------------------


@attrs.define
class _Pdf:
    """An open PDF: pdfminer's view of its objects (the checks) and PDFium's (the pages)."""

    miner: Any  # pdfplumber's PDF: the page tree and content streams, checked before reading
    raw: Any  # PDFium's functions (pypdfium2.raw)
    doc: Any  # PDFium's document
    data: bytes  # held while PDFium reads it

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a damaged file may fail: read is done
            self.miner.close()
        if self.doc is not None:
            self.raw.FPDF_CloseDocument(self.doc)
            self.doc = None


_PDFIUM_LOCK: Final = threading.RLock()
"""PDFium is not thread-safe: one document at a time is read through it."""


def _open(data: bytes) -> _Pdf:
    try:
        import pdfplumber  # noqa: PLC0415 - only PDF needs it
    except ImportError:
        msg = "a PDF: reading PDFs needs the pdf extra (pdfplumber): pip install 'gipreport[pdf]'"
        raise ParseError(msg) from None
    raw = pdfium()
    if raw is None:
        msg = (
            "a PDF: reading PDFs needs pypdfium2 (with the pdf extra): pip install 'gipreport[pdf]'"
        )
        raise ParseError(msg)
    try:
        miner = pdfplumber.pdf.PDF(io.BytesIO(data))
    except Exception as error:  # pdfminer raises anything on a damaged file
        raise _damaged(error, "the file") from error
    doc = raw.FPDF_LoadMemDocument64(data, len(data), None)
    if not doc:
        error_code = raw.FPDF_GetLastError()
        with contextlib.suppress(Exception):
            miner.close()
        if error_code == raw.FPDF_ERR_PASSWORD:
            raise ParseError("an encrypted PDF: it needs a password to be read", "the file")
        msg = f"a damaged or truncated PDF (PDFium cannot load it: error {error_code})"
        raise ParseError(msg, "the file")
    return _Pdf(miner=miner, raw=raw, doc=doc, data=data)


def _damaged(error: BaseException, where: str) -> ParseError:
    cause: BaseException | None = error
    for _ in range(8):  # the exception and what caused it (pdfplumber wraps pdfminer's)
        if cause is None:
            break
        if "Password" in type(cause).__name__ or "Encrypt" in type(cause).__name__:
            return ParseError("an encrypted PDF: it needs a password to be read", where)
        if isinstance(cause, RecursionError):
            return ParseError("a damaged PDF: its objects nest too deeply to be read", where)
        cause = cause.__cause__ or cause.__context__
    detail = str(error).strip()[:200]
    reason = f"a damaged or truncated PDF ({type(error).__name__})"
    return ParseError(f"{reason}: {detail}" if detail else reason, where)


def _check_contents(page_obj: Any, number: int) -> None:
    """Refuse a page whose drawing instructions decompress to more than the limit."""
    total = 0
    for stream in _streams(page_obj):
        raw = getattr(stream, "rawdata", None)
        if raw is None:
            total += len(getattr(stream, "data", b"") or b"")
        else:
            decipher = getattr(stream, "decipher", None)
            if decipher is not None:
                raw = decipher(stream.objid, stream.genno, raw, stream.attrs)
            filters = [str(getattr(f, "name", f)) for f, _params in stream.get_filters()]
            if filters in (["FlateDecode"], ["Fl"]):
                inflate = zlib.decompressobj()
                try:
                    size = len(inflate.decompress(raw, MAX_PAGE_CONTENT_BYTES + 1))
                except zlib.error:
                    size = len(raw)
            else:
                size = len(raw)
            total += size
        if total > MAX_PAGE_CONTENT_BYTES:
            msg = (
                f"page {number} holds more than {MAX_PAGE_CONTENT_BYTES // (1024 * 1024)} MiB "
                "of drawing instructions: not a report (a PDF bomb?)"
            )
            raise ParseError(msg, f"page {number}")


def _streams(page_obj: Any) -> Iterator[Any]:
    from pdfminer.pdftypes import PDFStream, resolve1  # noqa: PLC0415 - with pdfplumber

    yield from (s for s in page_obj.contents if isinstance(s, PDFStream))
    resources = resolve1(page_obj.resources) if page_obj.resources else {}
    xobjects = resolve1(resources.get("XObject", {})) if isinstance(resources, dict) else {}
    if isinstance(xobjects, dict):
        for value in xobjects.values():
            stream = resolve1(value)
            if isinstance(stream, PDFStream) and str(resolve1(stream.get("Subtype"))) in (
                "/'Form'",
                "/Form",
            ):
                yield stream


def _check_page_count(pdf: Any) -> None:
    from pdfminer.pdftypes import resolve1  # noqa: PLC0415 - with pdfplumber

    tree = resolve1(pdf.miner.doc.catalog.get("Pages"))
    count = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    if isinstance(count, int) and count > MAX_PDF_PAGES:
        msg = f"{count:,} pages (at most {MAX_PDF_PAGES} are read): not a report"
        raise ParseError(msg, "the page tree")


def _pages(pdf: _Pdf) -> Iterator[_Page]:
    """Yield the pages of ``pdf``: each checked by pdfminer first, then read by PDFium."""
    from pdfminer.pdfpage import PDFPage  # noqa: PLC0415 - with pdfplumber

    deadline = time.monotonic() + MAX_PDF_SECONDS
    try:
        _check_page_count(pdf)
        pages = PDFPage.create_pages(pdf.miner.doc)
    except ParseError:
        raise
    except Exception as error:  # pdfminer raises anything on a damaged file
        raise _damaged(error, "the page tree") from error
    raw = pdf.raw
    count = raw.FPDF_GetPageCount(pdf.doc)
    number = 0
    while True:
        where = f"page {number + 1}"
        try:
            page_obj = next(pages, None)
            if page_obj is None:
                return
            number += 1
            if number > MAX_PDF_PAGES:
                msg = f"more than {MAX_PDF_PAGES} pages: not a report"
                raise ParseError(msg, where)
            _check_contents(page_obj, number)
        except ParseError:
            raise
        except Exception as error:  # pdfminer raises anything on a damaged file
            raise _damaged(error, where) from error
        handle = raw.FPDF_LoadPage(pdf.doc, number - 1) if number <= count else None
        if not handle:
            raise ParseError("a damaged PDF: PDFium cannot load this page", where)
        try:
            read = _read_page(PdfiumPage(raw, handle, max_objects=MAX_PAGE_OBJECTS), number)
        finally:
            raw.FPDF_ClosePage(handle)
        yield read
        if time.monotonic() > deadline:
            msg = f"reading took more than {MAX_PDF_SECONDS:.0f} s: not read further"
            raise ParseError(msg, where)


def _read_page(page: PdfiumPage, number: int) -> _Page:
    if page.objects > MAX_PAGE_OBJECTS:  # its objects, path segments and characters
        msg = f"page {number} holds more than {MAX_PAGE_OBJECTS:,} objects: not a report"
        raise ParseError(msg, f"page {number}")
    width, height = page.width, page.height
    chars = tuple(
        _Char(text=text, x0=x0, top=top, x1=x1, bottom=bottom, size=size, bold=_is_bold(font))
        for text, x0, top, x1, bottom, size, font in page.chars
    )
    pictures = tuple(
        box
        for box in page.pictures
        if box[2] - box[0] > 0.4 * width and box[3] - box[1] > 0.08 * height
    )
    return _Page(
        number=number,
        width=width,
        height=height,
        chars=chars,
        grids=_grids(page.shapes, number),
        pictures=pictures,
    )


_BOLD_CACHE: dict[str, bool] = {}


def _is_bold(fontname: Any) -> bool:
    name = str(fontname)
    bold = _BOLD_CACHE.get(name)
    if bold is None:
        bold = _BOLD_CACHE[name] = any(word in name.lower() for word in _BOLD)
    return bold


# --- ruled tables ---------------------------------------------------------------------------


def _rulings(shapes: list[dict[str, Any]]) -> list[dict[str, float]]:
    """Return the drawn lines of a page: lines, thin boxes, edges of stroked boxes."""
    out: list[dict[str, float]] = []

    def segment(x0: float, top: float, x1: float, bottom: float) -> None:
        out.append({"x0": x0, "top": top, "x1": x1, "bottom": bottom})

    for shape in shapes:
        x0, top, x1, bottom = shape["x0"], shape["top"], shape["x1"], shape["bottom"]
        thin = x1 - x0 <= _THIN or bottom - top <= _THIN
        if shape["kind"] == "LTLine" or thin:
            invisible = not shape["fill"] or _white(shape["non_stroking_color"])
            if shape["kind"] != "LTLine" and not shape["stroke"] and invisible:
                continue  # an invisible or white box: no line is seen
            if x1 - x0 <= _THIN:
                mid = (x0 + x1) / 2
                segment(mid, top, mid, bottom)
            elif bottom - top <= _THIN:
                mid = (top + bottom) / 2
                segment(x0, mid, x1, mid)
        elif shape["kind"] == "LTRect" and shape["stroke"] and float(shape["linewidth"] or 0) > 0.1:
            segment(x0, top, x1, top)
            segment(x0, bottom, x1, bottom)
            segment(x0, top, x0, bottom)
            segment(x1, top, x1, bottom)
    return out


def _white(color: Any) -> bool:
    if color is None:
        return False
    values = color if isinstance(color, list | tuple) else (color,)
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(numbers) == 4:  # CMYK
        return all(v <= 0.02 for v in numbers)
    return bool(numbers) and all(v >= 0.98 for v in numbers)


def _grids(shapes: list[dict[str, Any]], number: int) -> tuple[_Grid, ...]:
    segments = _rulings(shapes)
    if len(segments) > MAX_PAGE_RULINGS:
        msg = f"page {number} has more than {MAX_PAGE_RULINGS:,} ruling lines: not a report"
        raise ParseError(msg, f"page {number}")
    vertical = [s for s in segments if abs(s["x1"] - s["x0"]) <= _TOLERANCE]
    horizontal = [s for s in segments if abs(s["bottom"] - s["top"]) <= _TOLERANCE]
    if len(vertical) < 2 or len(horizontal) < 2:
        return ()
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": [
            {
                **s,
                "x1": s["x0"],
                "width": 0.0,
                "height": s["bottom"] - s["top"],
                "object_type": "line",
            }
            for s in vertical
        ],
        "explicit_horizontal_lines": [
            {
                **s,
                "bottom": s["top"],
                "height": 0.0,
                "width": s["x1"] - s["x0"],
                "object_type": "line",
            }
            for s in horizontal
        ],
        "snap_tolerance": _TOLERANCE,
        "join_tolerance": _TOLERANCE,
        "intersection_tolerance": _TOLERANCE,
    }
    from pdfplumber.table import TableFinder, TableSettings  # noqa: PLC0415 - with pdfplumber

    grids = []
    # Explicit lines only: pdfplumber's table finder does not look at the page.
    for table in TableFinder(None, TableSettings.resolve(settings)).tables:  # type: ignore[arg-type]
        cells = [tuple(float(v) for v in bbox) for bbox in table.cells]
        xs = _cluster(v for c in cells for v in (c[0], c[2]))
        ys = _cluster(v for c in cells for v in (c[1], c[3]))
        if len(xs) < 3 or len(ys) < 3:
            continue  # one column or one row: a box around text, not a table
        placed = []
        for x0, top, x1, bottom in cells:
            c0, c1 = _slot(xs, x0), _slot(xs, x1)
            r0, r1 = _slot(ys, top), _slot(ys, bottom)
            if c1 > c0 and r1 > r0:
                placed.append((r0, r1, c0, c1, (x0, top, x1, bottom)))
        grids.append(
            _Grid(
                xs=tuple(xs),
                ys=tuple(ys),
                cells=tuple(placed),
                bbox=(xs[0], ys[0], xs[-1], ys[-1]),
            )
        )
    return tuple(grids)


def _cluster(values: Iterator[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _TOLERANCE:
            out.append(value)
    return out


def _slot(bounds: Sequence[float], value: float) -> int:
    i = bisect.bisect_left(bounds, value - _TOLERANCE)
    return min(i, len(bounds) - 1)


# --- the document -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _TableFlow:
    """A table in the flow of a page (before tables continued on the next page are joined)."""

    page: int
    top: float
    rows: list[list[SourceCell]]
    xs: tuple[float, ...]
    bbox: Box


_Flow = _Line | _TableFlow | SourceTable | SourceImage
"""What a page's flow holds: lines, ruled tables, tables read from lines, pictures."""


def pdf_source(data: bytes) -> SourceDocument:
    """Return the blocks of a PDF's text layer; raise ParseError where it has none."""
    with _time_limit():
        with _PDFIUM_LOCK:
            pdf = _open(data)
            try:
                pages = list(_pages(pdf))
            finally:
                pdf.close()
        return _Builder(pages).build()


class _OutOfTime(BaseException):  # the timer's: past pdfminer's own except clauses
    """Raised by the timer; :func:`_time_limit` turns it into a ParseError."""


@contextlib.contextmanager
def _time_limit() -> Iterator[None]:
    """Raise ParseError when the block takes longer than MAX_PDF_SECONDS (main thread only)."""
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield  # another timer runs, or not the main thread: checked after every page
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, MAX_PDF_SECONDS)
    try:
        yield
    except _OutOfTime:
        msg = f"reading took more than {MAX_PDF_SECONDS:.0f} s: not a report (a PDF bomb?)"
        raise ParseError(msg) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Builder:
    def __init__(self, pages: list[_Page]) -> None:
        self.pages = pages
        self.notes: list[ParseNote] = []

    def build(self) -> SourceDocument:
        if not self.pages:
            raise ParseError("a PDF with no pages")
        self.refuse_pictures()
        self.note_pictured_pages()
        self.check_fonts()
        if not any(page.grids for page in self.pages):
            return self.by_alignment()
        flows = [self.page_flow(page) for page in self.pages]
        furniture = self.furniture(flows)
        blocks = self.blocks(flows, furniture)
        return SourceDocument(format="pdf", blocks=capped(blocks), notes=tuple(self.notes))

    # --- tables without ruling lines ---------------------------------------------------

    def by_alignment(self) -> SourceDocument:
        """Read a PDF with no ruled table as text laid out by where it stands.

        Each line is written with spaces for its gaps, as ``pdftotext -layout``
        writes it, and read by the reader of that text
        (:mod:`gipreport._reading.from_layout`): table rows by the columns
        their values stand in. Each block, cell and note is then placed at the
        page and box of its line.
        """
        from gipreport._reading.from_layout import layout_source  # noqa: PLC0415

        layout = self.layout()
        lines = [line for page in self.pages for line in _lines(page.chars, page.number)]
        by_page: dict[int, list[str]] = {page.number: [] for page in self.pages}
        for line in lines:
            by_page[line.page].append(layout(line))
        # As pdftotext writes it: a form feed before each page's first line.
        doc = layout_source("\n\f".join("\n".join(texts) for texts in by_page.values()))
        note = ParseNote(
            code="table-unruled",
            message="a PDF whose tables have no ruling lines: read by the columns its "
            "text stands in",
            where=Where(page=1),
        )
        blocks = [_block_on_page(block, lines) for block in doc.blocks]
        notes = [attrs.evolve(n, where=_on_page(n.where, lines)) for n in doc.notes]
        return SourceDocument(
            format="pdf", kind="pdf", blocks=tuple(blocks), notes=(*self.notes, note, *notes)
        )

    def layout(self) -> Callable[[_Line], str]:
        """Return a function writing a line as ``pdftotext -layout`` does: gaps as spaces.

        After a gap, a character is written at the column it stands in (the body
        text's size a column, from the leftmost character of the document).
        """
        sizes = Counter(round(c.size * 2) / 2 for p in self.pages for c in p.chars)
        unit = sizes.most_common(1)[0][0] if sizes else 12.0  # a CJK character's width
        left = min((c.x0 for p in self.pages for c in p.chars), default=0.0)

        def write(line: _Line) -> str:
            text = ""
            previous: _Char | None = None
            for char in line.chars:
                if previous is None or char.x0 - previous.x1 > 0.4 * max(char.size, 1.0):
                    # after a gap: at the column the character stands in, a space at least
                    column = round((char.x0 - left) / unit)
                    text = text.ljust(max(column, len(text) + 1 if text else 0))
                text += char.text
                previous = char
            return text.rstrip()

        return write

    def unruled_tables(self, items: list[_Flow]) -> list[_Flow]:
        """Return ``items`` with a form's table drawn without ruling lines read from its lines.

        A PDF may rule some tables and not others (table 2 ruled, table 3 set out
        by alignment only). The lines outside the ruled tables are read as
        ``pdftotext -layout`` text (:mod:`gipreport._reading.from_layout`); a
        table found there that is one of the form's three, and not one of the
        ruled tables, takes the place of its lines, each cell placed at its
        line's page and box, with a ``table-unruled`` note. Any other text stays
        prose.
        """
        from gipreport._reading.from_layout import layout_source  # noqa: PLC0415

        lines = [item for item in items if isinstance(item, _Line)]
        ruled = {_form_table(self.source_table(i, 0)) for i in items if isinstance(i, _TableFlow)}
        if not lines or len(ruled - {None}) >= len(FORM_2021.tables):
            return items
        layout = self.layout()
        try:
            doc = layout_source("\n".join(layout(line) for line in lines))
        except ParseError:
            return items  # no table there, as its reader sees it
        taken: dict[int, SourceTable] = {}  # id of its first line: the table
        used: set[int] = set()
        for block in doc.blocks:
            if not isinstance(block, SourceTable):
                continue
            key = _form_table(block)
            if key is None or key in ruled:
                continue
            ruled.add(key)
            numbers = {cell.line for row in block.rows for cell in row if cell.line is not None}
            if not numbers or any(not 1 <= n <= len(lines) for n in numbers):
                continue
            covered = lines[min(numbers) - 1 : max(numbers)]
            placed = _placed(block, lines)
            taken[id(covered[0])] = placed
            used.update(id(line) for line in covered)
            self.notes.append(
                ParseNote(
                    code="table-unruled",
                    message="a table drawn without ruling lines (where others have them): "
                    "read by the columns its text stands in",
                    where=placed.where,
                )
            )
        out: list[_Flow] = []
        for item in items:
            if id(item) in taken:
                out.append(taken[id(item)])
            elif id(item) not in used:
                out.append(item)
        return out

    # --- what cannot be read ---------------------------------------------------------

    def refuse_pictures(self) -> None:
        inked = [sum(1 for c in p.chars if not c.text.isspace()) for p in self.pages]
        if sum(inked) == 0:
            pictured = any(p.pictures for p in self.pages)
            what = "its pages are pictures (a scanned report)" if pictured else "it has no text"
            msg = (
                f"a PDF without a text layer: {what}; its tables are images and need OCR "
                "(gipreport reads the text of a PDF, not its pictures)"
            )
            raise ParseError(msg, "page 1")

    def note_pictured_pages(self) -> None:
        """Note each page that is a picture: what it prints (a table?) needs OCR."""
        for page in self.pages:
            inked = sum(1 for c in page.chars if not c.text.isspace())
            if page.pictures and inked < _FEW_CHARACTERS:
                self.notes.append(
                    ParseNote(
                        code="table-image",
                        message=f"page {page.number} is a picture, with no text layer: "
                        "its tables are images and need OCR (not read)",
                        where=Where(page=page.number, bbox=_box(page.pictures[0])),
                    )
                )

    def check_fonts(self) -> None:
        inked = [c for p in self.pages for c in p.chars if not c.text.isspace()]
        unmapped = [c for c in inked if _PRIVATE.search(c.text)]
        junk = [c for c in inked if _LATIN_JUNK.search(c.text)]
        if len(unmapped) + len(junk) > 0.3 * len(inked):
            msg = (
                "the PDF's fonts do not map its text to Unicode (the text layer is "
                "private-use or unmapped characters): its text cannot be read; "
                "it needs OCR or a copy with proper fonts"
            )
            raise ParseError(msg, "page 1")
        for page in self.pages:
            bad = [c for c in page.chars if _PRIVATE.search(c.text)]
            if bad:
                first = bad[0]
                self.notes.append(
                    ParseNote(
                        code="font-unmapped",
                        message=f"{len(bad)} characters whose font does not map them to "
                        "Unicode: read as they stand",
                        where=Where(
                            page=page.number,
                            bbox=(_r(first.x0), _r(first.top), _r(first.x1), _r(first.bottom)),
                        ),
                        text="".join(c.text for c in bad[:20]),
                    )
                )

    # --- one page ------------------------------------------------------------------------

    def page_flow(self, page: _Page) -> list[_Flow]:
        grids = list(page.grids)
        in_table: list[list[_Char]] = [[] for _ in grids]
        loose: list[_Char] = []
        for char in page.chars:
            for g, grid in enumerate(grids):
                x0, top, x1, bottom = grid.bbox
                if x0 - 1 <= char.cx <= x1 + 1 and top - 1 <= char.cy <= bottom + 1:
                    in_table[g].append(char)
                    break
            else:
                loose.append(char)
        flow: list[tuple[float, _Flow]] = []
        for grid, chars in zip(grids, in_table, strict=True):
            flow.append((grid.bbox[1], self.table(page, grid, chars)))
        for line in _lines(loose, page.number):
            flow.append((line.top, line))
        for box in page.pictures:
            if not any(_covers(grid.bbox, box) for grid in grids):
                flow.append((box[1], SourceImage(where=Where(page=page.number, bbox=_box(box)))))
        flow.sort(key=lambda item: item[0])
        return [item for _top, item in flow]

    def table(self, page: _Page, grid: _Grid, chars: list[_Char]) -> _TableFlow:
        width, height = len(grid.xs) - 1, len(grid.ys) - 1
        owner: dict[tuple[int, int], int] = {}
        for k, (r0, r1, c0, c1, _cell_box) in enumerate(grid.cells):
            for slot_row in range(r0, r1):
                for slot_column in range(c0, c1):
                    owner.setdefault((slot_row, slot_column), k)
        texts: dict[int, list[_Char]] = {}
        for char in chars:
            c = max(0, min(bisect.bisect_right(grid.xs, char.cx) - 1, width - 1))
            r = max(0, min(bisect.bisect_right(grid.ys, char.cy) - 1, height - 1))
            found = owner.get((r, c))
            if found is not None:
                texts.setdefault(found, []).append(char)
        made: dict[int, SourceCell] = {}
        rows: list[list[SourceCell]] = []
        for r in range(height):
            row = []
            for c in range(width):
                key = owner.get((r, c))
                if key is None:
                    x0, x1 = grid.xs[c], grid.xs[c + 1]
                    top, bottom = grid.ys[r], grid.ys[r + 1]
                    row.append(
                        SourceCell(
                            text="",
                            row=r,
                            column=c,
                            page=page.number,
                            bbox=_box((x0, top, x1, bottom)),
                        )
                    )
                    continue
                if key not in made:
                    r0, r1, c0, c1, box = grid.cells[key]
                    lines = _lines(texts.get(key, []), page.number)
                    made[key] = SourceCell(
                        text="\n".join(line.text.strip() for line in lines),
                        row=r0,
                        column=c0,
                        rowspan=r1 - r0,
                        colspan=c1 - c0,
                        page=page.number,
                        bbox=_box(box),
                    )
                row.append(made[key])
            rows.append(row)
        return _TableFlow(page=page.number, top=grid.bbox[1], rows=rows, xs=grid.xs, bbox=grid.bbox)

    # --- running headers, footers and page numbers ------------------------------------------

    def furniture(self, flows: list[list[_Flow]]) -> set[int]:
        """Return the ids of the lines that are page numbers or running headers/footers."""
        found: set[int] = set()
        banded: list[tuple[_Line, _Page, str]] = []
        for page, flow in zip(self.pages, flows, strict=True):
            for item in flow:
                if not isinstance(item, _Line):
                    continue
                if item.top > page.height * _MARGIN and item.bottom < page.height * (1 - _MARGIN):
                    continue
                text = squash(item.text)
                if not text:
                    continue
                if _PAGE_NUMBER.fullmatch(text):
                    found.add(id(item))
                else:
                    banded.append((item, page, re.sub(r"[0-9]+", "#", text)))
        counts = Counter(key for _line, _page, key in banded)
        for line, _page, key in banded:
            if counts[key] >= 2 and len(self.pages) >= 2:
                pages_with = {p.number for l2, p, k in banded if k == key}
                if len(pages_with) >= 2:
                    found.add(id(line))
        return found

    # --- the blocks ----------------------------------------------------------------------

    def blocks(self, flows: list[list[_Flow]], furniture: set[int]) -> list[SourceBlock]:
        items: list[_Flow] = []
        for page, flow in zip(self.pages, flows, strict=True):
            for item in flow:
                if isinstance(item, _Line) and id(item) in furniture:
                    self.notes.append(
                        ParseNote(
                            code="page-furniture",
                            message="a page number or running header/footer: removed",
                            where=Where(page=page.number, bbox=item.bbox),
                            text=item.text,
                        )
                    )
                    continue
                items.append(item)
        items = self.unruled_tables(self.join_tables(items))
        metrics = _Metrics(self.pages, [i for i in items if isinstance(i, _Line)])
        blocks: list[SourceBlock] = []
        tables = 0
        paragraphs = 0
        current: list[_Line] = []

        def flush() -> None:
            nonlocal paragraphs
            if not current:
                return
            blocks.append(self.paragraph(current, paragraphs, metrics, title=not blocks))
            paragraphs += 1
            current.clear()

        previous: _Line | None = None
        for item in items:
            if isinstance(item, _Line):
                if previous is not None and current and not metrics.continues(previous, item):
                    flush()
                current.append(item)
                previous = item
                continue
            flush()
            previous = None
            if isinstance(item, _TableFlow):
                blocks.append(self.source_table(item, tables))
                tables += 1
            elif isinstance(item, SourceTable):
                where = attrs.evolve(item.where, table=tables)
                blocks.append(attrs.evolve(item, index=tables, where=where))
                tables += 1
            else:
                blocks.append(item)
        flush()
        return blocks

    def paragraph(
        self, lines: list[_Line], index: int, metrics: _Metrics, *, title: bool
    ) -> SourceParagraph:
        text = ""
        for line in lines:
            part = line.text.strip()
            if text and text[-1:].isascii() and text[-1:].isalnum() and part[:1].isascii():
                text += " "
            text += part
        first = lines[0]
        mark: Mark | None = None
        if title and metrics.large(first):
            mark = "title"
        elif metrics.right_aligned(lines[-1]) and len(lines) <= _SIGNATURE_LINES:
            mark = "signature"
        on_first = [line for line in lines if line.page == first.page]
        box = (
            _r(min(line.x0 for line in on_first)),
            _r(on_first[0].top),
            _r(max(line.x1 for line in on_first)),
            _r(on_first[-1].bottom),
        )
        return SourceParagraph(
            text=text,
            where=Where(paragraph=index, page=first.page, bbox=box),
            mark=mark,
        )

    def join_tables(self, items: list[_Flow]) -> list[_Flow]:
        """Join a table continued on the next page to its first part."""
        out: list[_Flow] = []
        for item in items:
            last = out[-1] if out else None
            if (
                isinstance(item, _TableFlow)
                and isinstance(last, _TableFlow)
                and item.page == last.page + 1
                and _same_columns(last.xs, item.xs)
            ):
                out[-1] = _joined(last, item)
                continue
            out.append(item)
        return out

    def source_table(self, flow: _TableFlow, index: int) -> SourceTable:
        rows = tuple(tuple(row) for row in flow.rows)
        return SourceTable(
            index=index,
            rows=rows,
            gridded=True,
            where=Where(table=index, page=flow.page, bbox=_box(flow.bbox)),
        )


def _form_table(table: SourceTable) -> str | None:
    """Return the key of the form's table ``table`` is (by its labels, either form), if any."""
    for form in (FORM_2021, FORM_2019):
        index = TableState(form).identify(table)
        if index is not None:
            return index.spec.key
    return None


def _on_page(where: Where, lines: Sequence[_Line]) -> Where:
    """Return ``where`` (a line of the text ``lines`` were written as) at its line's page and box.

    A line the text does not have (an empty page's) leaves ``where`` as it is.
    """
    if where.line is None or not 1 <= where.line <= len(lines):
        return where
    line = lines[where.line - 1]
    return attrs.evolve(where, line=None, page=line.page, bbox=line.bbox)


def _block_on_page(block: SourceBlock, lines: Sequence[_Line]) -> SourceBlock:
    """Return a block read from the text ``lines`` were written as, placed at their pages."""
    if isinstance(block, SourceTable):
        return _placed(block, lines)
    return attrs.evolve(block, where=_on_page(block.where, lines))


def _placed(table: SourceTable, lines: Sequence[_Line]) -> SourceTable:
    """Return a table read from ``lines`` (its cells' 1-based line numbers) with their places."""

    def placed(cell: SourceCell) -> SourceCell:
        where = _on_page(Where(line=cell.line), lines)
        return attrs.evolve(cell, line=where.line, page=where.page, bbox=where.bbox)

    made: dict[int, SourceCell] = {}
    rows = tuple(
        tuple(made.setdefault(id(cell), placed(cell)) for cell in row) for row in table.rows
    )
    first = next((cell.line for row in table.rows for cell in row if cell.line), None)
    where = _on_page(attrs.evolve(table.where, line=first), lines)
    return attrs.evolve(table, rows=rows, where=where)


def _covers(outer: Box, inner: Box) -> bool:
    return outer[0] - 2 <= inner[0] and outer[1] - 2 <= inner[1] and inner[2] <= outer[2] + 2


def _box(box: Box) -> Box:
    return (_r(box[0]), _r(box[1]), _r(box[2]), _r(box[3]))


def _same_columns(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 3 * _TOLERANCE for x, y in zip(a, b, strict=True))


def _row_key(row: Sequence[SourceCell]) -> tuple[str, ...]:
    seen: list[str] = []
    for cell in row:
        text = squash(cell.text)
        if not seen or seen[-1] != text:
            seen.append(text)
    return tuple(seen)


def _joined(first: _TableFlow, second: _TableFlow) -> _TableFlow:
    """Return ``second`` appended to ``first``: header rows repeated dropped, cut cells one."""
    rows = [list(row) for row in second.rows]
    repeated = 0
    while (
        repeated < len(rows)
        and repeated < len(first.rows)
        and _row_key(rows[repeated]) == _row_key(first.rows[repeated])
        and any(not is_blank(c.text) for c in rows[repeated])
    ):
        repeated += 1
    rows = rows[repeated:]
    offset = len(first.rows)
    out_rows = [list(row) for row in first.rows]
    renumbered: dict[int, SourceCell] = {}
    for row in rows:
        new_row = []
        for cell in row:
            made = renumbered.get(id(cell))
            if made is None:
                made = attrs.evolve(
                    cell,
                    row=max(cell.row - repeated, 0) + offset,
                    rowspan=cell.rowspan - max(repeated - cell.row, 0),
                )
                renumbered[id(cell)] = made
            new_row.append(made)
        out_rows.append(new_row)
    if rows and first.rows:
        _continue_cut_cells(out_rows, offset)
        out_rows = _join_cut_row(out_rows, offset)
    return _TableFlow(page=first.page, top=first.top, rows=out_rows, xs=first.xs, bbox=first.bbox)


def _continue_cut_cells(rows: list[list[SourceCell]], offset: int) -> None:
    """Make a merged label cut by the page break one cell: its blank part on the new page is it."""
    above, below = rows[offset - 1], rows[offset]
    for j, cell in enumerate(below):
        if j >= len(above) or cell.column != j or not is_blank(cell.text):
            continue
        origin = above[j]
        if origin.column != j or origin.colspan != cell.colspan or is_blank(origin.text):
            continue
        if origin.rowspan <= 1:
            continue  # not a merged cell: a blank below is a blank
        merged = attrs.evolve(origin, rowspan=origin.rowspan + cell.rowspan)
        for r in range(origin.row, cell.row + cell.rowspan):
            for c in range(j, j + cell.colspan):
                if r < len(rows) and c < len(rows[r]) and rows[r][c] in (origin, cell):
                    rows[r][c] = merged


_NUMBERED: Final = re.compile(
    r"\s*(?:[（(]\s*[0-9一二三四五六七八九十]+\s*[)）]|[0-9一二三四五六七八九十]+\s*[.．、])"
)
"""A row label's number ("（三）", "1.", "四、"): a row starts here, no row goes on."""


def _join_cut_row(rows: list[list[SourceCell]], offset: int) -> list[list[SourceCell]]:
    """Return ``rows`` with a row cut by the page break (at ``offset``) made one row again.

    A row may break across pages: its label's lines on both pages, its values
    (each one line) on one of them, or the label on one page and the values on
    the next. The first row on the new page goes on the last of the page before
    when, cell by cell (merged cells over both are one already):

    - values are on one side only (both rows printing values are two rows);
    - and each text on the new page goes on a text above it, and is no label of
      the form and starts with no row number ("（四）", "1.") — a row of its own
      starts so;
    - and the cells are the same columns.

    Otherwise the rows are left as they are (and read, or noted, as two rows).
    """
    above, below = rows[offset - 1], rows[offset]
    if len(above) != len(below):
        return rows
    pairs: list[tuple[SourceCell, SourceCell]] = []
    for a, b in zip(above, below, strict=True):
        if a is b or (pairs and pairs[-1][0] is a and pairs[-1][1] is b):
            continue
        if a.column != b.column or a.colspan != b.colspan:
            return rows
        pairs.append((a, b))
    values_above = values_below = continued = False
    for a, b in pairs:
        a_text, b_text = squash(a.text), squash(b.text)
        a_value = bool(a_text) and value_like(a_text) and not is_blank(a_text)
        b_value = bool(b_text) and value_like(b_text) and not is_blank(b_text)
        values_above |= a_value
        values_below |= b_value
        if b_text and not b_value and not is_blank(b_text):
            if not a_text or a_value or is_form_label(b_text) or _NUMBERED.match(b_text):
                return rows
            continued = True
    if values_above and values_below:
        return rows
    if not continued and not (values_below and not values_above):
        return rows  # nothing on the new page goes on the row above
    merged: dict[int, SourceCell] = {}
    for a, b in pairs:
        text = "\n".join(part for part in (a.text.strip(), b.text.strip()) if part)
        # The cell is where its value (or, for a label, its first part) is printed.
        place = b if (not squash(a.text) and squash(b.text)) else a
        merged[id(a)] = merged[id(b)] = attrs.evolve(
            a, text=text, rowspan=a.rowspan + b.rowspan - 1, page=place.page, bbox=place.bbox
        )
    joined = [merged.get(id(cell), cell) for cell in above]
    kept = [*rows[: offset - 1], joined, *rows[offset + 1 :]]
    return _renumbered(kept)


def _renumbered(rows: list[list[SourceCell]]) -> list[list[SourceCell]]:
    """Return ``rows`` with each cell's row and rowspan those of the slots it is in."""
    first: dict[int, int] = {}
    count: Counter[int] = Counter()
    for r, row in enumerate(rows):
        for cell in {id(c): c for c in row}.values():
            first.setdefault(id(cell), r)
            count[id(cell)] += 1
    made: dict[int, SourceCell] = {}
    out = []
    for row in rows:
        new_row = []
        for cell in row:
            new = made.get(id(cell))
            if new is None:
                new = made[id(cell)] = attrs.evolve(
                    cell, row=first[id(cell)], rowspan=count[id(cell)]
                )
            new_row.append(new)
        out.append(new_row)
    return out


def _lines(chars: Sequence[_Char], page: int) -> list[_Line]:
    """Return characters as lines, top to bottom, each left to right."""
    lines: list[list[_Char]] = []
    bands: list[tuple[float, float]] = []
    for char in sorted(chars, key=lambda c: (c.top, c.x0)):
        if char.text.isspace() and not lines:
            continue
        if lines:
            top, bottom = bands[-1]
            if top - 0.5 <= char.cy <= bottom + 0.5 and char.x0 >= lines[-1][-1].x0 - 0.5 * (
                char.size or 1
            ):
                lines[-1].append(char)
                bands[-1] = (min(top, char.top), max(bottom, char.bottom))
                continue
            # the same band but left of the line: a new line only if below it
            if top - 0.5 <= char.cy <= bottom + 0.5:
                lines[-1].append(char)
                continue
        lines.append([char])
        bands.append((char.top, char.bottom))
    out = []
    for group in lines:
        group.sort(key=lambda c: c.x0)
        while group and group[-1].text.isspace():
            group.pop()
        if group and not all(c.text.isspace() for c in group):
            out.append(_Line(chars=tuple(group), page=page))
    return out


class _Metrics:
    """The body text's size and margins, for telling paragraphs apart."""

    def __init__(self, pages: list[_Page], lines: list[_Line]) -> None:
        sizes: Counter[float] = Counter()
        for line in lines:
            sizes[line.size] += len(line.chars)
        self.size = sizes.most_common(1)[0][0] if sizes else 12.0
        body = [line for line in lines if abs(line.size - self.size) <= 0.6]
        self.left: dict[int, float] = {}
        self.right: dict[int, float] = {}
        every_left = [round(line.x0) for line in body]
        every_right = [line.x1 for line in body]
        default_left = Counter(every_left).most_common(1)[0][0] if every_left else 72.0
        default_right = _high(every_right) if every_right else 523.0
        for page in pages:
            on = [line for line in body if line.page == page.number]
            lefts = Counter(round(line.x0) for line in on)
            many = len(on) >= _OWN_MARGINS
            self.left[page.number] = (
                float(lefts.most_common(1)[0][0]) if many else float(default_left)
            )
            self.right[page.number] = _high([line.x1 for line in on]) if many else default_right
        # Where the numbered lines that plainly start a paragraph (the line before them
        # ends short of the margin) start, the leftmost. A line that starts numbered
        # left of all of them, after a full line, is a paragraph wrapped right before a
        # （一） it holds, not a heading. (Measured on the page, not from a page's margin:
        # a page of one-line paragraphs takes their indent for its margin.)
        plain_starts = [
            line.x0
            for before, line in itertools.pairwise(body)
            if before.page == line.page
            and not self.full(before)
            and is_numbered(line.text, STARTS_A_LINE)
        ]
        self.numbered_from = min(plain_starts) if len(plain_starts) >= _PLAIN_STARTS else None

    def large(self, line: _Line) -> bool:
        return line.size >= self.size * 1.15

    def indented(self, line: _Line) -> bool:
        return line.x0 > self.left[line.page] + 0.8 * line.size

    def full(self, line: _Line) -> bool:
        return line.x1 >= self.right[line.page] - 1.5 * max(line.size, 1.0)

    def right_aligned(self, line: _Line) -> bool:
        page_mid = (self.left[line.page] + self.right[line.page]) / 2
        return line.x0 > page_mid and abs(line.x1 - self.right[line.page]) <= 3 * line.size

    def continues(self, previous: _Line, line: _Line) -> bool:
        """Return whether ``line`` goes on the paragraph ``previous`` ended."""
        if abs(previous.size - line.size) > 0.6 or previous.bold != line.bold:
            return False
        if self.large(previous) and self.large(line):
            return line.page == previous.page and line.top - previous.bottom < line.size
        if not self.full(previous):
            return False
        if is_numbered(line.text, STARTS_A_LINE) and (
            self.numbered_from is None or line.x0 > self.numbered_from - 0.8 * line.size
        ):
            return False  # a line that starts numbered （一） starts a paragraph
        if self.right_aligned(line):
            # The wrapped end of a right-aligned paragraph (a long organ under the
            # signature): right under the line before, ending where it ends.
            return (
                line.page == previous.page
                and line.top - previous.bottom < 1.2 * line.size
                and previous.x1 >= line.x1 - 1.0
                and previous.x0 <= self.left[previous.page] + 2 * previous.size
            )
        if self.indented(line):
            return False
        if line.page == previous.page:
            return line.top - previous.bottom < 1.2 * line.size
        return True


def _high(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.9 * (len(ordered) - 1))] if ordered else 0.0
