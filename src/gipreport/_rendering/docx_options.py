"""The options of the docx renderer, and its error for text Word cannot hold.

This module imports neither python-docx nor lxml, so :class:`DocxOptions` is
importable from ``gipreport`` without the ``docx`` extra; the renderer itself
(``gipreport._rendering.to_docx``) is imported only when a document is rendered.

Defaults follow GB/T 9704-2012《党政机关公文格式》: A4, margins 37 mm (top) and
28 mm (left) around a 156 × 225 mm type area, the title in 2号 方正小标宋简体, body
text in 3号 仿宋_GB2312 with 22 lines a page, 一级 headings in 黑体, 二级 in
楷体_GB2312, page numbers "— 1 —" in 4号 宋体.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs

from gipreport._rendering.layout import SubheadingStyle
from gipreport._rendering.registry import RenderError, check_subheading_style, option_validator

__all__ = [
    "BAD_XML_CHARACTERS",
    "DEFAULT_FONT_FALLBACKS",
    "FONT_SIZES",
    "BadTextError",
    "DocxOptions",
    "font_size",
]

FONT_SIZES: Final[Mapping[str, float]] = MappingProxyType(
    {
        "初号": 42,
        "小初": 36,
        "一号": 26,
        "小一": 24,
        "二号": 22,
        "小二": 18,
        "三号": 16,
        "小三": 15,
        "四号": 14,
        "小四": 12,
        "五号": 10.5,
        "小五": 9,
        "六号": 7.5,
        "小六": 6.5,
        "七号": 5.5,
        "八号": 5,
    }
)
"""The Chinese type sizes (字号) in points: ``二号`` is 22 pt, ``小四`` 12 pt."""

DEFAULT_FONT_FALLBACKS: Final[tuple[tuple[str, str], ...]] = (
    ("方正小标宋简体", "宋体"),
    ("方正小标宋_GBK", "宋体"),
    ("仿宋_GB2312", "仿宋"),
    ("方正仿宋_GBK", "仿宋"),
    ("楷体_GB2312", "楷体"),
    ("方正楷体_GBK", "楷体"),
    ("方正黑体_GBK", "黑体"),
    ("黑体", "SimHei"),
)
"""Fonts of the standard and the font Word uses where one is not installed.

Written to the document's font table as ``w:altName``, which is how Word and
WPS choose a substitute: a computer without 方正小标宋简体 shows the title in 宋体,
and one that knows 黑体 only by its English name, SimHei, the headings in it. A
font has one ``w:altName``; LibreOffice reads none and substitutes through the
system's fonts (fontconfig), which must then have a 黑体-like sans face
(Noto Sans CJK SC, WenQuanYi Zen Hei), or 黑体 is drawn in whatever Chinese font
there is.
"""

BAD_XML_CHARACTERS: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0, and so a Word document, cannot hold.

C0 controls other than tab, line feed and carriage return, lone surrogates,
U+FFFE and U+FFFF; common in text copied out of PDFs.
"""

_ARABIC_SIZE_DIGITS: Final = str.maketrans("12345678", "一二三四五六七八")

BadText = Literal["error", "replace", "strip"]
PageNumbers = Literal["outside", "center", "none"]
NumberAlignment = Literal["center", "right"]

_MIN_TYPE_AREA_MM: Final = 100.0
_A4_MM: Final = (210.0, 297.0)


class BadTextError(RenderError):
    """A text of the report holds a character a Word document cannot hold.

    ``path`` names the field like the JSON document does (``organ``,
    ``preamble[0]``, ``overview.subsections[2].paragraphs[0]``); ``character``
    is the offending character and ``index`` its position in that text. Render
    with ``bad_text="replace"`` or ``"strip"`` to write such text anyway.
    """

    def __init__(self, path: str, character: str, index: int) -> None:
        self.path = path
        self.character = character
        self.index = index
        message = (
            f"{path}: character U+{ord(character):04X} at index {index} cannot be written "
            "to a Word document (XML 1.0 forbids it; it often comes from text copied out "
            "of a PDF); remove it, or render with bad_text='replace' (writes U+FFFD) "
            "or bad_text='strip' (drops it)"
        )
        super().__init__(message)

    def __reduce__(self) -> tuple[type[BadTextError], tuple[str, str, int]]:
        return (type(self), (self.path, self.character, self.index))


BadTextError.__module__ = "gipreport"  # shown (and pickled) as gipreport.BadTextError


def font_size(size: float | str) -> float:
    """Return ``size`` in points: a number of points, or a 字号 such as ``"三号"``.

    Arabic digits and a missing ``号`` are accepted (``"3号"``, ``"小4"``). Word
    stores sizes in half points, so a size must be a multiple of 0.5 pt.

    >>> font_size("二号"), font_size("小4"), font_size(10.5)
    (22.0, 12.0, 10.5)
    """
    if isinstance(size, str):
        name = size.strip().translate(_ARABIC_SIZE_DIGITS).removesuffix("号")
        key = name if name.startswith("小") else f"{name}号"
        if key not in FONT_SIZES:
            msg = f"unknown font size {size!r}; use points or one of {', '.join(FONT_SIZES)}"
            raise RenderError(msg, valid=tuple(FONT_SIZES))
        return float(FONT_SIZES[key])
    if isinstance(size, bool) or not isinstance(size, int | float):
        msg = f"a font size is a number of points or a 字号 name, got {size!r}"
        raise TypeError(msg)
    points = float(size)
    if not (0 < points <= 1638 and (points * 2).is_integer()):
        msg = f"a font size must be a multiple of 0.5 pt from 0.5 to 1638, got {size!r}"
        raise RenderError(msg)
    return points


def _fallbacks(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(font), str(substitute)) for font, substitute in pairs))


def _is_font_name(value: object) -> bool:
    return (
        isinstance(value, str)
        and bool(value.strip())
        and len(value) <= 31
        and not BAD_XML_CHARACTERS.search(value)
    )


def _is_fallbacks(value: tuple[tuple[str, str], ...]) -> bool:
    return all(_is_font_name(font) and _is_font_name(sub) for font, sub in value)


def _is_margin(value: float) -> bool:
    return 0 <= value < 150


def _is_template(value: object) -> bool:
    return value is None or isinstance(value, str | bytes | os.PathLike)


def _template(value: Any) -> Any:
    # bytearray and memoryview become bytes, so options stay hashable values.
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return value


def _font() -> Any:
    return option_validator(_is_font_name, "must be a font name (1 to 31 characters)")


def _number(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"expected a number, got {value!r}"
        raise TypeError(msg)
    return float(value)


def _margin(default: float) -> Any:
    return attrs.field(
        default=default,
        converter=_number,
        validator=option_validator(_is_margin, "must be mm from 0 to 150"),
    )


def _one_of(*choices: str) -> Callable[[Any, Any, Any], None]:
    return option_validator(
        lambda v: v in choices, f"must be one of {', '.join(map(repr, choices))}"
    )


@attrs.frozen(kw_only=True)
class DocxOptions:
    """Options of the docx renderer: ``gipreport.render(report, "docx", **options)``.

    Fonts (names as Word knows them; East Asian text uses them through
    ``w:eastAsia``):

    - ``title_font``: the title, default ``"方正小标宋简体"``;
    - ``body_font``: body text, default ``"仿宋_GB2312"``;
    - ``heading1_font``: 一级 headings (一、总体情况), default ``"黑体"``;
    - ``heading2_font``: 二级 headings (（一）主动公开情况), default ``"楷体_GB2312"``;
    - ``table_font``: table cells, default ``"宋体"``;
    - ``latin_font``: Latin letters and digits everywhere, default ``"Times New Roman"``;
    - ``page_number_font``: the page numbers, default ``"宋体"``;
    - ``font_fallbacks``: pairs (or a mapping) of a font and the font Word uses
      where it is not installed, default :data:`DEFAULT_FONT_FALLBACKS`
      (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体…).

    Sizes, in points or as a 字号 name (``"二号"`` = 22 pt, ``"三号"`` = 16,
    ``"四号"`` = 14, ``"小四"`` = 12, ``"五号"`` = 10.5; see :data:`FONT_SIZES`):
    ``title_size`` (二号), ``body_size`` (三号, also the headings'),
    ``table_size`` (五号; a value shrinks below it only when it would not fit
    its column, and only that value), ``page_number_size`` (四号); and
    ``line_spacing``, the exact line pitch of body text in points (28.95: 22
    lines in 225 mm).

    Page: A4, with margins ``margin_top`` (37), ``margin_bottom`` (35),
    ``margin_left`` (28) and ``margin_right`` (26) in millimetres, which leave the
    156 × 225 mm type area of GB/T 9704; tables are exactly as wide as the type
    area. ``page_numbers``: ``"outside"`` (default, GB/T 9704: "— 1 —" right on
    odd pages and left on even pages, one character in), ``"center"`` or
    ``"none"``. ``number_alignment``: table values ``"center"`` (default) or
    ``"right"``.

    ``template``: a ``.docx`` (or ``.dotx``) as a path or its bytes, whose styles
    are used: its Normal style for body text, and its ``Title``, ``heading 1``,
    ``heading 2`` and ``footer`` styles where it defines them (found by name, so
    a Chinese Word template works too), with its theme and list numbering. The
    styles it lacks are made from the options above. The page (A4, margins,
    page numbers) still comes from the options; the template's own text,
    headers and footers are not used.

    ``subheading_style``: how 二级 headings are numbered, ``"chinese"`` (default,
    ``（一）主动公开情况``: GB/T 9704 numbers its levels 一、 → （一） → 1. → （1）)
    or another of :data:`gipreport.layout.SUBHEADING_STYLES`
    (``"arabic"`` （1）, ``"arabic-spaced"`` （1） with a space, ``"arabic-dot"``
    1., ``"arabic-comma"`` 1、).

    ``bad_text``: what to do with characters XML cannot hold (C0 controls,
    lone surrogates, U+FFFE/U+FFFF; see :data:`BAD_XML_CHARACTERS`) in the
    report's text: ``"error"`` (default) raises :class:`BadTextError` naming the
    field, ``"replace"`` writes U+FFFD (�) in their place, ``"strip"`` drops them.
    A valid :class:`~gipreport.Report` holds none of them (a text of a report
    holds no control character, lone surrogate or noncharacter: they are
    rejected when it is made), so the option only matters for a report made
    bypassing its validators; it is kept for compatibility.

    Options are checked when made: a wrong value is a
    :class:`~gipreport.RenderError`. Options equal in value give the same bytes.
    """

    title_font: str = attrs.field(default="方正小标宋简体", validator=_font())
    body_font: str = attrs.field(default="仿宋_GB2312", validator=_font())
    heading1_font: str = attrs.field(default="黑体", validator=_font())
    heading2_font: str = attrs.field(default="楷体_GB2312", validator=_font())
    table_font: str = attrs.field(default="宋体", validator=_font())
    latin_font: str = attrs.field(default="Times New Roman", validator=_font())
    page_number_font: str = attrs.field(default="宋体", validator=_font())
    font_fallbacks: tuple[tuple[str, str], ...] = attrs.field(
        default=DEFAULT_FONT_FALLBACKS,
        converter=_fallbacks,
        validator=option_validator(_is_fallbacks, "must pair font names with font names"),
    )
    title_size: float = attrs.field(default=22, converter=font_size)
    body_size: float = attrs.field(default=16, converter=font_size)
    table_size: float = attrs.field(default=10.5, converter=font_size)
    page_number_size: float = attrs.field(default=14, converter=font_size)
    line_spacing: float = attrs.field(
        default=28.95,
        converter=_number,
        validator=option_validator(lambda v: 1 <= v <= 1584, "must be points from 1 to 1584"),
    )
    margin_top: float = _margin(37)
    margin_bottom: float = _margin(35)
    margin_left: float = _margin(28)
    margin_right: float = _margin(26)
    page_numbers: PageNumbers = attrs.field(
        default="outside", validator=_one_of("outside", "center", "none")
    )
    number_alignment: NumberAlignment = attrs.field(
        default="center", validator=_one_of("center", "right")
    )
    template: str | os.PathLike[str] | bytes | None = attrs.field(
        default=None,
        converter=_template,
        validator=option_validator(_is_template, "must be a path, the bytes of a .docx, or None"),
    )
    bad_text: BadText = attrs.field(default="error", validator=_one_of("error", "replace", "strip"))
    subheading_style: SubheadingStyle = attrs.field(
        default="chinese", validator=check_subheading_style
    )

    def __attrs_post_init__(self) -> None:
        width = _A4_MM[0] - self.margin_left - self.margin_right
        height = _A4_MM[1] - self.margin_top - self.margin_bottom
        if min(width, height) < _MIN_TYPE_AREA_MM:
            msg = (
                f"DocxOptions: the margins leave a type area of {width:g} × {height:g} mm; "
                f"it must be at least {_MIN_TYPE_AREA_MM:g} mm each way"
            )
            raise RenderError(msg)

    @property
    def type_area(self) -> tuple[float, float]:
        """Return the width and height of the type area (版心) in millimetres."""
        return (
            _A4_MM[0] - self.margin_left - self.margin_right,
            _A4_MM[1] - self.margin_top - self.margin_bottom,
        )
