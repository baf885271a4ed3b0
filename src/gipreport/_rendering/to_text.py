"""The plain-text renderer: a report as lines, in the layout of text taken from a docx.

This is the shape python-docx-based extraction gives a published report (the
seed, ``shared/seed/000_fa91a11b534f0ea9.txt``), which is what people paste into
e-mails and what a text parser reads back:

- the title, then each preamble paragraph, on its own line;
- each section heading (``一、总体情况``) on its own line, then its paragraphs,
  a sub-heading as ``（1） 主动公开情况`` (full-width brackets, one space);
- a table as one line per cell, each prefixed with a tab, in the form's reading
  order (left to right, top to bottom), each row followed by an empty line and
  the table by one more. A slot covered by a cell above (a row merge) is a line
  holding only the tab; a slot covered by a cell to its left (a column merge) is
  not written. A blank value is a line holding only the tab too;
- an empty line, then the signature: the organ, and the date (``2024年1月10日``).

Text is written as it is in the report: a paragraph is one line unless it holds
line breaks itself.
"""

from __future__ import annotations

from typing import Any, Final, Literal

import attrs

from gipreport._core.model import Report
from gipreport._rendering.layout import Covered, ProseBlock, TableLayout, layout
from gipreport._rendering.registry import FunctionRenderer, RenderError

__all__ = ["TEXT_RENDERER", "TextOptions", "render_text"]

Newline = Literal["\n", "\r\n"]
_NEWLINES: Final = ("\n", "\r\n")


def _check_newline(_instance: Any, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in _NEWLINES:
        msg = f"TextOptions.newline: must be '\\n' or '\\r\\n', got {value!r}"
        raise RenderError(msg, valid=_NEWLINES)


@attrs.frozen(kw_only=True)
class TextOptions:
    r"""Options of the plain-text renderer: ``gipreport.render(report, "text", **options)``.

    - ``newline``: the line ending, ``"\n"`` (default) or ``"\r\n"`` (for
      e-mail and Windows tools). The text ends with one.
    """

    newline: Newline = attrs.field(default="\n", validator=_check_newline)


def render_text(report: Report, options: TextOptions | None = None) -> str:
    r"""Return ``report`` as plain text, one paragraph or table cell a line.

    >>> import gipreport
    >>> text = render_text(gipreport.examples.mingan_2023())
    >>> text.splitlines()[:1]
    ['乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告']
    >>> text.endswith("乌拉特前旗明安镇人民政府\n2024年1月10日\n")
    True
    """
    options = options if options is not None else TextOptions()
    doc = layout(report)
    lines = [doc.title, *doc.preamble]
    for section in doc.sections:
        lines.append(section.heading)
        if section.prose is not None:
            _prose(lines, section.prose)
        if section.table is not None:
            _table(lines, section.table)
    lines += ["", doc.signature_organ]
    if doc.signature_date is not None:
        lines.append(doc.signature_date)
    lines.append("")
    return options.newline.join(lines)


def _prose(lines: list[str], prose: ProseBlock) -> None:
    lines += prose.paragraphs
    for number, heading, paragraphs in prose.subsections:
        lines.append(f"{number} {heading}")
        lines += paragraphs


def _table(lines: list[str], table: TableLayout) -> None:
    for row in table.grid():
        for slot in row:
            if not isinstance(slot, Covered):
                lines.append("\t" + slot.text)
            elif not slot.horizontal:
                # The first column of a slot merged from above: python-docx
                # yields the covered cell, with no text.
                lines.append("\t")
        lines.append("")
    lines.append("")


TEXT_RENDERER: Final = FunctionRenderer(
    name="text",
    media_type="text/plain",
    binary=False,
    options=TextOptions,
    function=render_text,
)
"""The renderer registered as ``"text"``."""
