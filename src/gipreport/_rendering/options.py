"""The built-in formats' options as ``TypedDict``s, for type checkers.

:func:`gipreport.render` takes a format's options as keywords; these describe
them per format (``**options: Unpack[HtmlKeywords]``), so that ``mypy --strict``
knows ``render(report, "html", fragment=True)`` and rejects a misspelt option in
:func:`gipreport.render_html`. Each has exactly the fields of its attrs options
class, with the types its ``__init__`` takes (a test keeps them in step).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal, TypedDict

if TYPE_CHECKING:  # docx_options imports the registry, which imports this module
    from gipreport._rendering.docx_options import BadText, NumberAlignment, PageNumbers
    from gipreport._rendering.layout import SubheadingStyle

__all__ = ["DocxKeywords", "HtmlKeywords", "JsonKeywords", "TextKeywords"]

Newline = Literal["\n", "\r\n"]


class HtmlKeywords(TypedDict, total=False):
    """The keyword options of ``"html"`` (:class:`gipreport.HtmlOptions`)."""

    fragment: bool
    css: str | None
    lang: str
    title: str | None
    heading_level: int
    id_prefix: str | None
    subheading_style: SubheadingStyle


class TextKeywords(TypedDict, total=False):
    """The keyword options of ``"text"`` (:class:`gipreport.TextOptions`)."""

    newline: Newline
    subheading_style: SubheadingStyle


class JsonKeywords(TypedDict, total=False):
    """``"json"`` has no options (JSON document version 1)."""


class DocxKeywords(TypedDict, total=False):
    """The keyword options of ``"docx"`` (:class:`gipreport.DocxOptions`)."""

    title_font: str
    body_font: str
    heading1_font: str
    heading2_font: str
    table_font: str
    latin_font: str
    page_number_font: str
    font_fallbacks: Mapping[str, str] | Iterable[tuple[str, str]]
    title_size: float | str
    body_size: float | str
    table_size: float | str
    page_number_size: float | str
    line_spacing: float
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    page_numbers: PageNumbers
    number_alignment: NumberAlignment
    template: str | os.PathLike[str] | bytes | None
    bad_text: BadText
    subheading_style: SubheadingStyle
