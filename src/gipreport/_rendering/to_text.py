"""The plain-text renderer: a report as lines, in the layout of text taken from a docx.

This is the shape python-docx-based extraction gives a published report (the
seed, ``shared/seed/000_fa91a11b534f0ea9.txt``), which is what people paste into
e-mails and what a text parser reads back:

- the title and an empty line, then each preamble paragraph on its own line;
- each section heading (``一、总体情况``) on its own line, then its paragraphs,
  a sub-heading as ``（一）主动公开情况`` (or in another ``subheading_style``);
- every paragraph (of the preamble and the prose) indented by two U+3000, as a
  printed report indents it, and no heading, title or signature line indented:
  so a paragraph worded like a heading (``（一）加强组织领导``, ``二、…``) or a
  title reads back as the paragraph it is (:mod:`gipreport._reading.from_text`);
- a table as one line per cell, each prefixed with a tab, in the form's reading
  order (left to right, top to bottom), each row followed by an empty line and
  the table by one more. A slot covered by a cell above (a row merge) is a line
  holding only the tab; a slot covered by a cell to its left (a column merge) is
  not written. A blank value is a line holding only the tab too;
- an empty line, then the signature: the organ, and the date (``2024年1月10日``).

Text is written as it is in the report: a text of a report is one line (a line
break in one is rejected when the report is made).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Final, Literal

import attrs

from gipreport._core.form import TableSpec
from gipreport._core.model import COUNT_TEXTS, CellValue, Report
from gipreport._rendering.layout import (
    TEXT_INDENT,
    Covered,
    ProseBlock,
    SubheadingStyle,
    TableLayout,
    _signed_paths,
    format_value,
    layout_shell,
    table_layout,
)
from gipreport._rendering.registry import FunctionRenderer, RenderError, check_subheading_style

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
    - ``subheading_style``: how sub-headings are numbered, ``"chinese"``
      (default, ``（一）主动公开情况``) or another of
      :data:`gipreport.layout.SUBHEADING_STYLES`. Read back, a
      sub-heading is a short line (up to 30 characters, not ending as a sentence
      does), except in ``"arabic-spaced"`` (``（1） 主动公开情况``), where it is
      whatever follows its number.
    """

    newline: Newline = attrs.field(default="\n", validator=_check_newline)
    subheading_style: SubheadingStyle = attrs.field(
        default="chinese", validator=check_subheading_style
    )


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
    # The tables are filled from their templates.
    doc = layout_shell(report, None, subheading_style=options.subheading_style)
    values = report.values()
    lines = [doc.title, "", *(TEXT_INDENT + paragraph for paragraph in doc.preamble)]
    for section in doc.sections:
        lines.append(section.heading)
        if section.prose is not None:
            _prose(lines, section.prose)
        else:
            _fill(lines, _template(report.form.table(section.key)), values)
    lines += ["", doc.signature_organ]
    if doc.signature_date is not None:
        lines.append(doc.signature_date)
    lines.append("")
    return options.newline.join(lines)


def _prose(lines: list[str], prose: ProseBlock) -> None:
    lines += (TEXT_INDENT + paragraph for paragraph in prose.paragraphs)
    for number, heading, paragraphs in prose.subsections:
        lines.append(number + heading)
        lines += (TEXT_INDENT + paragraph for paragraph in paragraphs)


def _table(
    lines: list[str | Slot], table: TableLayout, signed: frozenset[str] | None = None
) -> None:
    """Write the lines of ``table``, or with ``signed`` its value cells as :data:`Slot`.

    ``signed`` are the paths of the signed cells.
    """
    for row in table.grid():
        for slot in row:
            if not isinstance(slot, Covered):
                if slot.path is not None and signed is not None:
                    lines.append((slot.path, slot.path in signed))
                else:
                    lines.append("\t" + slot.text)
            elif not slot.horizontal:
                # The first column of a slot merged from above: python-docx
                # yields the covered cell, with no text.
                lines.append("\t")
        lines.append("")
    lines.append("")


Slot = tuple[str, bool]
"""Where a table's text shows a value: its path, and whether it is signed."""

Template = tuple[str | Slot, ...]


def _template(table: TableSpec) -> Template:
    """Return the lines of ``table`` as constant text and value slots, made once per table."""
    found = _TEMPLATES.get(id(table))
    if found is not None and found[0] is table:
        return found[1]
    lines: list[str | Slot] = []
    blanks: dict[str, CellValue] = defaultdict(lambda: None)
    _table(lines, table_layout(table, blanks), _signed_paths(table))
    if len(_TEMPLATES) >= _TEMPLATES_MAX:
        _TEMPLATES.clear()
    template = tuple(lines)
    _TEMPLATES[id(table)] = (table, template)
    return template


# id(table) -> (table, its template); bounded, like the layout's cache of blank tables.
_TEMPLATES: dict[int, tuple[TableSpec, Template]] = {}
_TEMPLATES_MAX: Final = 64


def _fill(lines: list[str], template: Template, values: dict[str, CellValue]) -> None:
    for line in template:
        if isinstance(line, str):
            lines.append(line)
        else:
            path, signed = line
            value = values[path]
            if type(value) is int and not signed and value < _COUNTS_END:
                lines.append(_TAB_COUNTS[value])
            else:
                lines.append("\t" + format_value(value, signed=signed))


_TAB_COUNTS: Final = tuple("\t" + text for text in COUNT_TEXTS)
"""A count's cell line, for each count under 1,000."""
_COUNTS_END: Final = len(COUNT_TEXTS)


TEXT_RENDERER: Final = FunctionRenderer(
    name="text",
    media_type="text/plain",
    binary=False,
    options=TextOptions,
    function=render_text,
)
"""The renderer registered as ``"text"``."""
