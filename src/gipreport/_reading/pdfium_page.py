"""What a PDF page holds, from PDFium: its characters, drawn paths and pictures.

PDFium (the C library of Chrome's PDF viewer, through ``pypdfium2``, which
pdfplumber itself depends on) interprets a page's drawing instructions about
ten times faster than pdfminer's pure Python. This module asks it for exactly
what :mod:`gipreport._reading.from_pdf` reads, in pdfminer's terms, so the
reader sees the same page whichever engine drew it:

- each **character** the page prints (not the spaces and line ends PDFium
  makes up), with its box as pdfminer boxes it: from its origin to its advance
  across, and from the font's descent up by the font size; its size (the font
  size times the text's scale) and its font's name; a character not upright on
  the page is left out, as pdfminer's upright test leaves it out;
- each **painted path**, one per subpath as pdfminer splits them: its box, how
  it is painted (stroked, filled, the fill's colour), its line width, and what
  it is (a straight line, an axis-aligned rectangle, or another curve);
- each **picture**'s box.

Coordinates are pdfminer's: points from the media box's lower left, the page's
rotation applied; :func:`page_objects` turns them to the page's top left, as
the reader measures.
"""

from __future__ import annotations

import ctypes
from typing import Any, Final

Matrix = tuple[float, float, float, float, float, float]

_TEXT: Final = 1
_PATH: Final = 2
_IMAGE: Final = 3
_FORM: Final = 5
_MOVETO: Final = 2
_LINETO: Final = 0
_MAX_FORM_DEPTH: Final = 16  # forms inside forms: a report nests one or two
_MAX_ADVANCE: Final = 2.0  # ems: a wider character is a misreported width


def _times(m: Matrix, n: Matrix) -> Matrix:
    """Return the matrix ``m`` then ``n`` (PDF's row-vector order)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _point(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


class PdfiumPage:
    """One page's objects, read by PDFium: see the module's docstring."""

    __slots__ = ("_most", "chars", "height", "objects", "pictures", "shapes", "width")

    def __init__(self, raw: Any, page: Any, *, max_objects: int) -> None:
        self.chars: list[tuple[str, float, float, float, float, float, str]] = []
        self.shapes: list[dict[str, Any]] = []
        self.pictures: list[tuple[float, float, float, float]] = []
        self.objects = 0  # objects, path segments and characters seen: past max_objects, no more
        self._most = max_objects
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        raw.FPDFPage_GetMediaBox(page, left, bottom, right, top)
        x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
        rotation = raw.FPDFPage_GetRotation(page) % 4 * 90
        ctm: Matrix
        if rotation == 90:
            ctm = (0.0, -1.0, 1.0, 0.0, -y0, x1)
        elif rotation == 180:
            ctm = (-1.0, 0.0, 0.0, -1.0, x1, y1)
        elif rotation == 270:
            ctm = (0.0, 1.0, -1.0, 0.0, y1, -x0)
        else:
            ctm = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
        turned = rotation in (90, 270)
        self.width = abs(y1 - y0) if turned else abs(x1 - x0)
        self.height = abs(x1 - x0) if turned else abs(y1 - y0)
        self._objects(raw, page, ctm, max_objects)
        if self.objects <= max_objects:
            self._chars(raw, page, ctm)

    # --- drawn paths and pictures ----------------------------------------------------------

    def _objects(self, raw: Any, page: Any, ctm: Matrix, max_objects: int) -> None:
        matrix = raw.FS_MATRIX()
        stack: list[tuple[Any, int, int, Matrix, int]] = [
            (page, raw.FPDFPage_CountObjects(page), 0, ctm, 0)
        ]
        while stack:
            owner, count, index, outer, depth = stack.pop()
            if index >= count:
                continue
            stack.append((owner, count, index + 1, outer, depth))
            obj = (
                raw.FPDFPage_GetObject(owner, index)
                if depth == 0
                else raw.FPDFFormObj_GetObject(owner, index)
            )
            self.objects += 1
            if self.objects > max_objects:
                return
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == _TEXT:
                continue
            raw.FPDFPageObj_GetMatrix(obj, matrix)
            placed = _times((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            if kind == _PATH:
                self._path(raw, obj, placed)
                if self.objects > max_objects:
                    return
            elif kind == _IMAGE:
                corners = [_point(placed, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
                xs, ys = [p[0] for p in corners], [p[1] for p in corners]
                self.pictures.append(
                    (min(xs), self.height - max(ys), max(xs), self.height - min(ys))
                )
            elif kind == _FORM and depth < _MAX_FORM_DEPTH:
                stack.append((obj, raw.FPDFFormObj_CountObjects(obj), 0, placed, depth + 1))

    def _path(self, raw: Any, obj: Any, placed: Matrix) -> None:
        fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
        width = ctypes.c_float()
        raw.FPDFPageObj_GetStrokeWidth(obj, width)
        red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
        fill = bool(fill_mode.value)
        color: tuple[float, ...] | None = None
        if raw.FPDFPageObj_GetFillColor(obj, red, green, blue, alpha):
            color = (red.value / 255, green.value / 255, blue.value / 255)
        paint = (bool(stroke.value), fill, width.value, color)
        x, y = ctypes.c_float(), ctypes.c_float()
        subpath: list[tuple[str, float, float]] = []
        segments = raw.FPDFPath_CountSegments(obj)
        self.objects += max(segments, 0)
        if self.objects > self._most:
            return  # a page of more lines than a report draws: not read on
        for s in range(segments):
            segment = raw.FPDFPath_GetPathSegment(obj, s)
            raw.FPDFPathSegment_GetPoint(segment, x, y)
            kind = raw.FPDFPathSegment_GetType(segment)
            op = "m" if kind == _MOVETO else "l" if kind == _LINETO else "c"
            if op == "m" and subpath:
                self._subpath(subpath, placed, paint)
                subpath = []
            if (
                op == "l"
                and raw.FPDFPathSegment_GetClose(segment)
                and subpath
                and (x.value, y.value) == subpath[0][1:]
            ):
                op = "h"  # closed back to its start: pdfminer's "h"
            subpath.append((op, x.value, y.value))
        if subpath:
            self._subpath(subpath, placed, paint)

    def _subpath(
        self,
        ops: list[tuple[str, float, float]],
        placed: Matrix,
        paint: tuple[bool, bool, float, tuple[float, ...] | None],
    ) -> None:
        """Add one subpath as pdfminer makes it: a line, a rectangle, or a curve."""
        stroke, fill, linewidth, color = paint
        shape = "".join(op for op, _x, _y in ops)
        if shape[:1] != "m":
            return
        points = [_point(placed, x, y) for _op, x, y in ops]
        kind = "LTCurve"
        if shape in ("ml", "mlh"):
            kind = "LTLine"
            points = points[:2]
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _last = points
            closed = points[0] == points[4]
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
            if closed and square:
                kind = "LTRect"
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        self.shapes.append(
            {
                "x0": min(xs),
                "top": self.height - max(ys),
                "x1": max(xs),
                "bottom": self.height - min(ys),
                "stroke": stroke,
                "fill": fill,
                "linewidth": linewidth,
                "non_stroking_color": color,
                "kind": kind,
            }
        )

    # --- characters ------------------------------------------------------------------------

    def _chars(self, raw: Any, page: Any, ctm: Matrix) -> None:
        text_page = raw.FPDFText_LoadPage(page)
        if not text_page:
            return
        try:
            self._read_chars(raw, text_page, ctm)
        finally:
            raw.FPDFText_ClosePage(text_page)

    def _read_chars(self, raw: Any, text_page: Any, ctm: Matrix) -> None:
        count = raw.FPDFText_CountChars(text_page)
        self.objects += max(count, 0)
        if self.objects > self._most:
            return  # a page of more characters than a report prints: not read on
        codes = _codes(raw, text_page, count)
        box = raw.FS_RECTF()
        x, y = ctypes.c_double(), ctypes.c_double()
        fonts: dict[int | None, tuple[str, float]] = {}
        runs: dict[int, _Run | None] = {}  # a text object's font and scale (None: not upright)
        ta, tb, tc, td, te, tf = ctm
        height = self.height
        chars = self.chars
        get_object = raw.FPDFText_GetTextObject
        get_box = raw.FPDFText_GetLooseCharBox
        get_origin = raw.FPDFText_GetCharOrigin
        unmapped = getattr(raw, "FPDFText_HasUnicodeMapError", None)
        address = ctypes.c_void_p
        cast = ctypes.cast
        last: int | None = None
        run: _Run | None = None
        for k in range(count):
            obj = get_object(text_page, k)
            key = cast(obj, address).value
            if key is None:
                continue  # a space or line end PDFium makes up: no character printed
            code = codes[k]
            if unmapped is not None and unmapped(text_page, k) == 1:
                text = "\ufffd"  # its font maps it to no Unicode
            elif not code or code in (0xFFFE, 0xFFFF):
                continue
            else:
                text = chr(code)
            if key != last:
                last = key
                if key in runs:
                    run = runs[key]
                else:
                    run = runs[key] = _run(raw, text_page, k, obj, ctm=ctm, fonts=fonts)
            if run is None:
                continue  # not upright on the page: pdfminer's LTChar.upright leaves it out
            name, descent, size, forward = run
            get_box(text_page, k, box)
            get_origin(text_page, k, x, y)
            # As pdfminer boxes it: across from the origin by the advance, up from the
            # font's descent below the baseline by the font size.
            ox, oy = x.value, y.value
            ox, oy = ta * ox + tc * oy + te, tb * ox + td * oy + tf
            advance = abs(ta * (box.right - box.left) + tc * (box.top - box.bottom))
            if not 0 < advance <= _MAX_ADVANCE * size:
                # PDFium's width of a glyph some fonts misreport (a character 20 ems
                # wide): a full-width character's em instead.
                advance = size
            x0 = ox if forward else ox - advance
            bottom = height - (oy + descent * size)
            chars.append((text, x0, bottom - size, x0 + advance, bottom, size, name))


_Run = tuple[str, float, float, bool]
"""What the characters of one text object share: font name, descent (in ems), size, direction."""


def _codes(raw: Any, text_page: Any, count: int) -> list[int]:
    """Return the Unicode of each character of a text page (one call for the page).

    PDFium keeps a character beyond the BMP (𝒜) as two, the halves of its UTF-16
    surrogate pair: the first is the character, the second none (0).
    """
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(text_page, 0, count, buffer)
    codes = list(buffer)[:count]
    for k in range(count - 1):
        if 0xD800 <= codes[k] <= 0xDBFF and 0xDC00 <= codes[k + 1] <= 0xDFFF:
            codes[k] = 0x10000 + ((codes[k] - 0xD800) << 10) + (codes[k + 1] - 0xDC00)
            codes[k + 1] = 0
    return codes


def _run(
    raw: Any,
    text_page: Any,
    k: int,
    obj: Any,
    *,
    ctm: Matrix,
    fonts: dict[int | None, tuple[str, float]],
) -> _Run | None:
    """Return what character ``k``'s text object gives its characters (None: not upright)."""
    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(text_page, k, matrix)
    a, b, c, d, _e, _f = _times((matrix.a, matrix.b, matrix.c, matrix.d, 0.0, 0.0), ctm)
    if not (a * d > 0 and b * c <= 0):
        return None
    size = raw.FPDFText_GetFontSize(text_page, k) * abs(d)
    font = raw.FPDFTextObj_GetFont(obj)
    key = ctypes.cast(font, ctypes.c_void_p).value
    known = fonts.get(key)
    if known is None:
        known = fonts[key] = _font(raw, font)
    return (known[0], known[1], size, a > 0)


def _font(raw: Any, font: Any) -> tuple[str, float]:
    """Return a font's name and its descent below the baseline (in ems, at most 0)."""
    if not font:
        return ("", 0.0)
    name = (ctypes.c_char * 256)()
    length = raw.FPDFFont_GetBaseFontName(font, name, 256)
    descent = ctypes.c_float()
    if not raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), descent):
        descent.value = 0.0
    text = name.raw[: max(min(length, 256) - 1, 0)].decode("utf-8", "replace")
    return (text, min(descent.value, 0.0))


def pdfium() -> Any:
    """Return PDFium's raw functions (``pypdfium2.raw``), or None without pypdfium2."""
    try:
        from pypdfium2 import raw  # noqa: PLC0415 - with pdfplumber, only PDF needs it
    except ImportError:
        return None
    return raw
