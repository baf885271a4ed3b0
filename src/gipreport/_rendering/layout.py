"""The format-neutral layout of a report: what every renderer draws.

:func:`layout` turns a report into a :class:`ReportLayout`: the title, the
preamble, the six sections in order (prose or a table) and the signature. Each
table is a :class:`TableLayout`, a grid of rows of :class:`LayoutCell` objects,
each listed once at its top-left corner with its row and column span, exactly as
HTML writes a table. :meth:`TableLayout.grid` gives the same table as a full
grid of slots (a cell's origin, or a slot it covers), which is what a Word
table or a text dump needs.

Everything here comes from the form description: the labels, the merges, the
order. Values are written here too — a count as an integer, the fee with its own
decimals, a blank as an empty cell (never "0") — so no renderer can write a
value differently from another.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Final, Literal

import attrs

from gipreport._core.form import (
    PROACTIVE_CONTENT_LABEL,
    Column,
    Row,
    SectionSpec,
    SubheadingStyle,
    TableSpec,
)
from gipreport._core.model import CellValue, Prose, Report

__all__ = [
    "SUBHEADING_STYLES",
    "CellRole",
    "Covered",
    "LayoutCell",
    "LayoutRow",
    "ProseBlock",
    "ReportLayout",
    "SectionLayout",
    "Slot",
    "SubheadingStyle",
    "TableLayout",
    "chinese_numeral",
    "format_date",
    "format_value",
    "hanzi_other_than",
    "layout",
    "read_year_line",
    "subsection_number",
    "table_layout",
    "title_year",
    "year_line",
]

TEXT_INDENT: Final = "\u3000\u3000"
"""What every paragraph of gipreport's text layout starts with: two ideographic spaces
(:mod:`gipreport._rendering.to_text` writes it, :mod:`gipreport._reading.from_text`
reads a paragraph by it)."""

CellRole = Literal["corner", "column-header", "row-header", "block-title", "value"]
"""What a layout cell is: the corner note, a column header, a row label, the
article title of a table 2 block, or a value."""


def format_value(value: CellValue, *, signed: bool = False) -> str:
    """Return a cell value as printed: ``""`` for a blank, digits otherwise.

    ``signed`` is for a change (the 2019 format's 本年增/减), printed with its
    sign as the form has it: ``+3``, ``-2``, ``0``.

    >>> from decimal import Decimal
    >>> format_value(None), format_value(0), format_value(Decimal("18.8710"))
    ('', '0', '18.8710')
    >>> format_value(3, signed=True), format_value(-2, signed=True), format_value(0, signed=True)
    ('+3', '-2', '0')
    """
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if signed and value > 0:
        return f"+{value}"
    return str(value)


def format_date(date: dt.date) -> str:
    """Return a date as written under a signature, ``2024年1月10日``."""
    return f"{date.year}年{date.month}月{date.day}日"


# --- the year a title names, and the year line under a title that does not --------------

_YEAR_DIGITS: Final = {
    "零": 0,
    "○": 0,
    **{char: value for value, char in enumerate("〇一二三四五六七八九")},
}
_YEAR: Final = r"(?:\d{4}|[〇零○一二三四五六七八九]{4})"
_YEAR_IN_TITLE: Final = re.compile(rf"(?<!\d)(?P<year>{_YEAR})\s*年")
"""A year a title names: four digits (or Chinese numerals, 二〇二三) and 年."""
_YEAR_LINE: Final = re.compile(rf"(?P<open>\()?\s*(?P<year>{_YEAR})\s*年度\s*(?(open)\))")


def _year_value(digits: str) -> int | None:
    """Return the year four digits (or Chinese numerals) write, or ``None``.

    >>> _year_value("2023"), _year_value("２０２３"), _year_value("二〇二三"), _year_value("٢٠٢٣")
    (2023, 2023, 2023, None)
    """
    digits = unicodedata.normalize("NFKC", digits)
    if digits.isascii() and digits.isdigit():
        return int(digits)
    if all(char in _YEAR_DIGITS for char in digits):
        value = 0
        for char in digits:
            value = value * 10 + _YEAR_DIGITS[char]
        return value
    return None


def title_year(title: str) -> tuple[int | None, re.Match[str] | None]:
    """Return the year ``title`` names (its first ``YYYY年``) and where it is written.

    The year is ``None`` where the title names none, or names one no report can
    be for (before 2008); the match is ``None`` where the title writes no year at
    all. The readers take a title's year with this function
    (:func:`gipreport._reading.header.title_organ_year`), and :func:`layout`
    decides with it whether a report needs its :func:`year_line`: the two cannot
    disagree.

    >>> title_year("某某县2023年政府信息公开工作年度报告")[0]
    2023
    >>> title_year("二〇二四年度报告")[0], title_year("政府信息公开工作报告")
    (2024, (None, None))
    """
    match = _YEAR_IN_TITLE.search(title)
    if match is None:
        return None, None
    year = _year_value(match["year"])
    if year is not None and not 2008 <= year <= 9999:
        year = None
    return year, match


def year_line(year: int) -> str:
    """Return the line printed under a title that does not give the report's year.

    >>> year_line(2023)
    '（2023年度）'
    """
    return f"（{year}年度）"


def hanzi_other_than(allowed: str) -> re.Pattern[str]:
    """Return a pattern finding a CJK unified ideograph (U+4E00–U+9FFF) not in ``allowed``.

    Each of them is its own NFKC fold and composes with nothing: a text holding one
    holds it after NFKC too. A reader that folds a text only to match it against a
    pattern with no other hanzi than ``allowed``'s (a year line, a date) can tell a
    paragraph of prose is none before it folds the paragraph.

    >>> hanzi_other_than("年度").search("（2023年度）") is None
    True
    >>> hanzi_other_than("年度").search("2023年我局")[0]
    '我'
    """
    ranges, start = [], 0x4E00
    for code in sorted({ord(char) for char in allowed if 0x4E00 <= ord(char) <= 0x9FFF}):
        if start < code:
            ranges.append(f"{chr(start)}-{chr(code - 1)}")
        start = code + 1
    if start <= 0x9FFF:
        ranges.append(f"{chr(start)}-\u9fff")
    return re.compile(f"[{''.join(ranges)}]")


_NOT_IN_A_YEAR_LINE: Final = hanzi_other_than("年度" + "".join(_YEAR_DIGITS))
"""A hanzi no year line holds (:func:`read_year_line`)."""


def read_year_line(text: str) -> int | None:
    """Return the year a line states as a subtitle (``（2023年度）``), or ``None``.

    The line is the year alone, 年度 after it, in full-width or ASCII brackets or
    none, spaces anywhere (what :func:`year_line` prints, and what published
    reports print under their titles); a date (``（2024年1月10日）``) or a
    sentence is no year line.

    >>> [read_year_line(t) for t in ("（2023年度）", "( 2023 年度 )", "2023年度", "二〇二三年度")]
    [2023, 2023, 2023, 2023]
    >>> [read_year_line(t) for t in ("（2024年1月10日）", "2023年", "（2023年度", "2023年度报告")]
    [None, None, None, None]
    """
    if _NOT_IN_A_YEAR_LINE.search(text):
        return None  # prose (the preamble under a title): no year line, told before folding
    line = unicodedata.normalize("NFKC", text).strip()
    match = _YEAR_LINE.fullmatch(line)
    if match is None:
        return None
    year = _year_value(match["year"])
    return year if year is not None and 2008 <= year <= 9999 else None


SUBHEADING_STYLES: Final[dict[SubheadingStyle, str]] = {
    "chinese": "（{}）",
    "arabic": "（{}）",
    "arabic-spaced": "（{}） ",
    "arabic-dot": "{}.",
    "arabic-comma": "{}、",
}
"""Each :data:`SubheadingStyle` and how it prints a number (``{}``), in the order offered.

- ``"chinese"``, ``（一）主动公开情况``: the default, the second level of GB/T 9704
  (一、 → （一） → 1. → （1）) and what most published reports print;
- ``"arabic"``, ``（1）主动公开情况``;
- ``"arabic-spaced"``, ``（1） 主动公开情况``: the seed report's text and gipreport's
  default before; in plain text, a heading of any words reads back as one;
- ``"arabic-dot"``, ``1.主动公开情况`` and ``"arabic-comma"``, ``1、主动公开情况``: what
  some reports print (GB/T 9704 keeps ``1.`` for the third level).
"""

_CHINESE_DIGITS: Final = "零一二三四五六七八九"
_CHINESE_PLACES: Final = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_numeral(number: int) -> str:
    """Return ``number`` (1 to 9999) in Chinese numerals, as headings count: ``十一``.

    >>> [chinese_numeral(n) for n in (1, 10, 11, 20, 99, 100, 105, 110, 2024)]
    ['一', '十', '十一', '二十', '九十九', '一百', '一百零五', '一百一十', '二千零二十四']
    """
    if not 1 <= number <= 9999:
        msg = f"a heading number is from 1 to 9999, got {number}"
        raise ValueError(msg)
    if 10 <= number < 20:
        return "十" + (_CHINESE_DIGITS[number - 10] if number > 10 else "")
    out, rest, gap = "", number, False
    for place, name in _CHINESE_PLACES:
        digit, rest = divmod(rest, place)
        if digit:
            out += ("零" if gap else "") + _CHINESE_DIGITS[digit] + name
            gap = False
        elif out:
            gap = True
    if rest:
        out += ("零" if gap else "") + _CHINESE_DIGITS[rest]
    return out


def subsection_number(index: int, style: SubheadingStyle = "chinese") -> str:
    """Return the printed number of the ``index``-th (0-based) subsection in ``style``.

    The number is printed as it goes before the heading, with the space the
    style puts after it (``"arabic-spaced"`` only): a heading prints as
    ``number + heading``.

    >>> subsection_number(0), subsection_number(10), subsection_number(1, "arabic-spaced")
    ('（一）', '（十一）', '（2） ')
    """
    if style not in SUBHEADING_STYLES:
        msg = (
            f"a subheading style is one of {', '.join(map(repr, SUBHEADING_STYLES))}, got {style!r}"
        )
        raise ValueError(msg)
    number = chinese_numeral(index + 1) if style == "chinese" else str(index + 1)
    return SUBHEADING_STYLES[style].format(number)


@attrs.frozen(kw_only=True)
class LayoutCell:
    """One printed table cell, at its top-left grid position.

    ``path`` is the report cell a value shows (``None`` for labels); ``value``
    is the raw value, ``text`` the value or label as printed.
    """

    text: str
    role: CellRole
    rowspan: int = 1
    colspan: int = 1
    path: str | None = None
    value: CellValue = None
    unit: str | None = None

    @property
    def is_header(self) -> bool:
        """Return whether the cell is a header (``<th>``) rather than a value."""
        return self.role != "value"

    @property
    def is_blank(self) -> bool:
        """Return whether the cell is a value cell left blank."""
        return self.role == "value" and self.value is None


@attrs.frozen(kw_only=True)
class LayoutRow:
    """One printed row: its cells in reading order (covered slots omitted).

    ``part`` is ``"head"`` for the rows of a table's header block and
    ``"body"`` for the rest; ``block`` numbers the stacked blocks of table 2
    (0 for tables 3 and 4).
    """

    cells: tuple[LayoutCell, ...]
    part: Literal["head", "body"]
    block: int = 0


@attrs.frozen(kw_only=True)
class Covered:
    """A grid slot covered by a merged cell that starts above or to the left."""

    origin: LayoutCell
    row: int
    column: int

    @property
    def vertical(self) -> bool:
        """Return whether the slot is below the origin's first row (a row merge)."""
        return self.row > 0

    @property
    def horizontal(self) -> bool:
        """Return whether the slot is right of the origin's first column (a column merge)."""
        return self.column > 0


Slot = LayoutCell | Covered
"""A grid slot: the origin of a cell, or a slot covered by one."""


@attrs.frozen(kw_only=True)
class TableLayout:
    """One table, laid out: ``width`` columns, header rows, then body rows."""

    key: str
    caption: str
    width: int
    rows: tuple[LayoutRow, ...]

    @property
    def head(self) -> tuple[LayoutRow, ...]:
        """Return the header block's rows (tables 3 and 4; none for table 2)."""
        return tuple(row for row in self.rows if row.part == "head")

    @property
    def body(self) -> tuple[LayoutRow, ...]:
        """Return the rows after the header block."""
        return tuple(row for row in self.rows if row.part == "body")

    def values(self) -> Iterator[LayoutCell]:
        """Yield every value cell, in reading order."""
        for row in self.rows:
            for cell in row.cells:
                if cell.role == "value":
                    yield cell

    def grid(self) -> tuple[tuple[Slot, ...], ...]:
        """Return the table as ``len(rows)`` rows of ``width`` slots each.

        A merged cell appears once as itself at its top-left slot and as
        :class:`Covered` in every other slot it spans. Raises ``ValueError`` if
        the rows do not tile the grid exactly (a bug in a layout).
        """
        grid: list[list[Slot | None]] = [[None] * self.width for _ in self.rows]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row.cells:
                while c < self.width and grid[r][c] is not None:
                    c += 1
                if c + cell.colspan > self.width or r + cell.rowspan > len(self.rows):
                    msg = f"{self.key}: cell {cell.text!r} at row {r} overflows the grid"
                    raise ValueError(msg)
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if grid[r + dr][c + dc] is not None:
                            msg = f"{self.key}: cell {cell.text!r} overlaps at row {r + dr}"
                            raise ValueError(msg)
                        grid[r + dr][c + dc] = (
                            cell if dr == dc == 0 else Covered(origin=cell, row=dr, column=dc)
                        )
                c += cell.colspan
        for r, slots in enumerate(grid):
            if any(slot is None for slot in slots):
                msg = f"{self.key}: row {r} does not fill the table's {self.width} columns"
                raise ValueError(msg)
        return tuple(tuple(slot for slot in slots if slot is not None) for slots in grid)


@attrs.frozen(kw_only=True)
class ProseBlock:
    """A prose section, laid out: paragraphs, then numbered subsections."""

    paragraphs: tuple[str, ...]
    subsections: tuple[tuple[str, str, tuple[str, ...]], ...]
    """Each subsection as ``(number, heading, paragraphs)``: the number as printed
    before the heading (:func:`subsection_number`, ``（一）``), so the heading line
    is ``number + heading``."""


@attrs.frozen(kw_only=True)
class SectionLayout:
    """One numbered section: its heading and either prose or a table."""

    key: str
    heading: str
    prose: ProseBlock | None = None
    table: TableLayout | None = None


@attrs.frozen(kw_only=True)
class ReportLayout:
    """A whole report, laid out for rendering, in reading order."""

    title: str
    preamble: tuple[str, ...]
    """The paragraphs under the title: the :attr:`year_line` first where there is one,
    then the report's preamble."""
    sections: tuple[SectionLayout, ...]
    signature_organ: str
    signature_date: str | None
    """The date of issue as written (``2024年1月10日``), or ``None`` if unknown."""
    year_line: str | None = None
    """The line under the title that states the year (``（2023年度）``, :func:`year_line`),
    where the title does not give the report's year (see :func:`layout`); ``None``
    otherwise. It is also the first line of :attr:`preamble`, so that every
    renderer prints it under the title."""

    @property
    def tables(self) -> tuple[TableLayout, ...]:
        """Return the three tables, in order."""
        return tuple(s.table for s in self.sections if s.table is not None)


# --- building ---------------------------------------------------------------------------


def layout(report: Report, *, subheading_style: SubheadingStyle = "chinese") -> ReportLayout:
    """Return the layout of ``report``: everything a renderer draws, in order.

    ``subheading_style`` numbers the subsections (:data:`SUBHEADING_STYLES`).

    A report whose title does not give its year — a title of its own that names
    no year, or another year (:func:`title_year`, as the readers read it) — gets
    a line under the title that does, ``（2023年度）`` (:func:`year_line`):
    published reports print one so, and without it no rendering would state the
    year when the date of issue is unknown. The standard title names the year,
    so a report with ``title=None`` gets none. The line is also printed where the
    preamble starts with a paragraph that reads as one, so that the readers take
    the line printed for it, and the paragraph stays the preamble's.

    >>> from gipreport.examples import mingan_2023
    >>> report = mingan_2023()
    >>> layout(report).year_line is None
    True
    >>> import attrs
    >>> layout(attrs.evolve(report, title="某某县政府信息公开工作年度报告")).year_line
    '（2023年度）'
    """
    return layout_shell(report, report.values(), subheading_style=subheading_style)


def layout_shell(
    report: Report,
    values: dict[str, CellValue] | None,
    *,
    subheading_style: SubheadingStyle = "chinese",
) -> ReportLayout:
    """Return :func:`layout`, or with ``values=None`` the same without its tables.

    Without its tables, each table section has ``table=None``: for a renderer
    that fills each table's constant text per format (:func:`table_layout` of
    blank values) with the values itself.
    """
    form = report.form
    sections = tuple(_section(spec, report, values, subheading_style) for spec in form.sections)
    title = report.display_title
    line = _year_line_for(report, title)
    return ReportLayout(
        title=title,
        preamble=report.preamble if line is None else (line, *report.preamble),
        sections=sections,
        signature_organ=report.organ,
        signature_date=format_date(report.published_on) if report.published_on else None,
        year_line=line,
    )


def _year_line_for(report: Report, title: str) -> str | None:
    """Return the :func:`year_line` to print under ``title``, or ``None`` where none is."""
    if title_year(title)[0] == report.year and not (
        report.preamble and read_year_line(report.preamble[0]) is not None
    ):
        return None
    return year_line(report.year)


def _section(
    spec: SectionSpec,
    report: Report,
    values: dict[str, CellValue] | None,
    subheading_style: SubheadingStyle,
) -> SectionLayout:
    if spec.kind == "prose":
        prose = getattr(report, spec.key)
        assert isinstance(prose, Prose)
        return SectionLayout(
            key=spec.key, heading=spec.heading, prose=_prose(prose, subheading_style)
        )
    if values is None:
        return SectionLayout(key=spec.key, heading=spec.heading)
    table = report.form.table(spec.key)
    return SectionLayout(key=spec.key, heading=spec.heading, table=table_layout(table, values))


def _prose(prose: Prose, style: SubheadingStyle) -> ProseBlock:
    return ProseBlock(
        paragraphs=prose.paragraphs,
        subsections=tuple(
            (subsection_number(i, style), sub.heading, sub.paragraphs)
            for i, sub in enumerate(prose.subsections)
        ),
    )


def table_layout(table: TableSpec, values: dict[str, CellValue]) -> TableLayout:
    """Return the layout of one table of the form, filled with ``values`` by path."""
    # The labels and merges depend on the form alone: build them once per table
    # and fill in the values, which keeps rendering a report near a millisecond.
    cached = _BLANK_TABLES.get(id(table))
    if cached is None or cached[0] is not table:
        if len(_BLANK_TABLES) >= _BLANK_TABLES_MAX:
            _BLANK_TABLES.clear()
        blanks: dict[str, CellValue] = defaultdict(lambda: None)
        blank = _block_table(table, blanks) if table.header else _stacked_table(table, blanks)
        cached = _BLANK_TABLES[id(table)] = (table, blank)
    blank = cached[1]
    signed = _signed_paths(table)
    rows = tuple(
        LayoutRow(
            cells=tuple(
                _filled(cell, values[cell.path], signed=cell.path in signed)
                if cell.path is not None
                else cell
                for cell in row.cells
            ),
            part=row.part,
            block=row.block,
        )
        for row in blank.rows
    )
    return TableLayout(key=blank.key, caption=blank.caption, width=blank.width, rows=rows)


# id(table) -> (table, its layout with every value blank); bounded, for tables
# made on the fly through the public table_layout().
_BLANK_TABLES: dict[int, tuple[TableSpec, TableLayout]] = {}
_BLANK_TABLES_MAX = 64


def _signed_paths(table: TableSpec) -> frozenset[str]:
    return frozenset(
        f"{row_path}.{column.key}"
        for row_path, _ancestors, leaf in table.leaf_rows()
        for column in leaf.columns
        if column.kind == "signed"
    )


def _filled(cell: LayoutCell, value: CellValue, *, signed: bool) -> LayoutCell:
    return LayoutCell(
        text=format_value(value, signed=signed),
        role=cell.role,
        rowspan=cell.rowspan,
        colspan=cell.colspan,
        path=cell.path,
        value=value,
        unit=cell.unit,
    )


def _value_cells(
    row_path: str,
    columns: tuple[Column, ...],
    values: dict[str, CellValue],
    spans: tuple[int, ...] = (),
) -> tuple[LayoutCell, ...]:
    cells = []
    for column, span in zip(columns, spans or (1,) * len(columns), strict=True):
        path = f"{row_path}.{column.key}"
        value = values[path]
        cells.append(
            LayoutCell(
                text=format_value(value, signed=column.kind == "signed"),
                role="value",
                path=path,
                value=value,
                unit=column.unit,
                colspan=span,
            )
        )
    return tuple(cells)


def _header_rows(table: TableSpec) -> tuple[LayoutRow, ...]:
    rows = []
    for index, header_row in enumerate(table.header):
        cells = tuple(
            LayoutCell(
                text=cell.text,
                role="corner" if index == 0 and i == 0 and table.label_columns else "column-header",
                rowspan=cell.rowspan,
                colspan=cell.colspan,
            )
            for i, cell in enumerate(header_row)
        )
        rows.append(LayoutRow(cells=cells, part="head"))
    return tuple(rows)


def _block_table(table: TableSpec, values: dict[str, CellValue]) -> TableLayout:
    # Tables 3 and 4: one header block from the form, then the row tree, each
    # group label spanning its leaves and each leaf label filling the label
    # columns its depth leaves free.
    body: list[LayoutRow] = []
    if table.label_columns:
        for row_path, ancestors, leaf in table.leaf_rows():
            cells: list[LayoutCell] = [
                LayoutCell(text=group.label, role="row-header", rowspan=group.span())
                for group in _groups_starting_at(ancestors, leaf)
            ]
            cells.append(
                LayoutCell(
                    text=leaf.label,
                    role="row-header",
                    colspan=table.label_columns - len(ancestors),
                )
            )
            cells += _value_cells(row_path, leaf.columns, values)
            body.append(LayoutRow(cells=tuple(cells), part="body"))
    else:
        # Table 4: a single data row, the groups side by side.
        cells = []
        for row_path, _ancestors, leaf in table.leaf_rows():
            cells += _value_cells(row_path, leaf.columns, values)
        body.append(LayoutRow(cells=tuple(cells), part="body"))
    width = sum(cell.colspan for cell in table.header[0])
    return TableLayout(
        key=table.key,
        caption=f"{table.number}、{table.title}",
        width=width,
        rows=(*_header_rows(table), *body),
    )


def _groups_starting_at(ancestors: tuple[Row, ...], leaf: Row) -> Iterator[Row]:
    # A group label is printed in the row of its first leaf.
    for group in ancestors:
        first = next(group.leaves())[1]
        if first is leaf:
            yield group


def _stacked_table(table: TableSpec, values: dict[str, CellValue]) -> TableLayout:
    # Table 2: stacked blocks on the table's grid. Each block prints the article
    # as a full-width row, then 信息内容 and the column labels, then its data
    # rows, each header and value spanning the grid columns the form gives it.
    width = table.width
    rows: list[LayoutRow] = []
    for block_index, block in enumerate(table.rows):
        leaves = [(path, leaf) for path, _anc, leaf in table.leaf_rows() if _in(block, leaf)]
        columns = leaves[0][1].columns
        rows.append(
            LayoutRow(
                cells=(LayoutCell(text=block.label, role="block-title", colspan=width),),
                part="body",
                block=block_index,
            )
        )
        header = (
            LayoutCell(text=PROACTIVE_CONTENT_LABEL, role="column-header"),
            *(
                LayoutCell(text=c.label, role="column-header", colspan=span)
                for c, span in zip(columns, block.header_spans, strict=True)
            ),
        )
        rows.append(LayoutRow(cells=header, part="body", block=block_index))
        for path, leaf in leaves:
            cells = (
                LayoutCell(text=leaf.label, role="row-header"),
                *_value_cells(path, leaf.columns, values, spans=block.value_spans),
            )
            rows.append(LayoutRow(cells=cells, part="body", block=block_index))
    return TableLayout(
        key=table.key, caption=f"{table.number}、{table.title}", width=width, rows=tuple(rows)
    )


def _in(block: Row, leaf: Row) -> bool:
    return any(candidate is leaf for _anc, candidate in block.leaves())
