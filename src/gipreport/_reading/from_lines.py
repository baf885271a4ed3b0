r"""Reading text with each table cell on a line of its own ("one value a line").

Other PDF extractors than ``pdftotext -layout``, web crawlers and copy-paste
from a web page give a report's text this way: each table cell is a line (a
row's label, then its values one a line; the header's names one a line), and
paragraphs are broken where the page's line ended. Read from it:

- page furniture: a line that is only a page number ("— 3 —", "-1-",
  "第 2 页 共 6 页"), and a short line printed again next to the page breaks (a
  running header: the title at each page's top), are removed, each with a note
  (``page-furniture``);
- tables: a run of lines that are the form's labels and values, begun by a
  label of the form (a row's, a column's, a block's). What the text lost is
  where each row ends, so rows are told apart by their labels: a line that
  names a row of the form (a label printed over several lines is joined), and
  the values after it up to the next line that is not a value. A row's values
  are placed in its cells only where there are exactly as many as the row has
  columns (the form says how many: 3, 1 or 7; table 4's one row 15); otherwise
  the row is read as blank with a note that has the values (``missing-cells``,
  ``excess-values``): a value is never moved to another cell. A blank cell
  printed as "/" or "—" is a value (read as blank). One printed as an empty
  line is a blank cell where it stands between the row's label and its last
  value, in a text with few empty lines and where that makes the count exact
  (an empty line next to a page break, or after a row's last value, is not
  counted); one not printed at all cannot be told from a missing one, so its
  row is read as blank, with a note;
- paragraphs: a line printed to the text's full width that stops mid-sentence
  goes on in the next line; a section heading, a numbered sub-heading and (where
  the text does not put an empty line after every line) an empty line start a
  new one.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from typing import Final

import attrs

from gipreport._core.form import (
    FORM_2019,
    FORM_2019_LABELS,
    FORM_2021,
    FORMATS,
    PROACTIVE_CONTENT_LABEL,
    FormSpec,
)
from gipreport._reading.labels import bare_key, label_key, squash
from gipreport._reading.numbering import STARTS_A_LINE, is_numbered
from gipreport._reading.source import (
    ParseNote,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceParagraph,
    SourceTable,
    Where,
    capped,
)
from gipreport._reading.tables import (
    TableIndex,
    indexes,
    knows_label,
    names_column,
    names_row,
    row_width,
)
from gipreport._reading.text_flow import (
    SENTENCE_END,
    breaks_off,
    furniture,
    is_section_heading,
    is_value,
    refuse_many_cells,
)

__all__ = ["lines_source", "looks_like_lines"]

_LINES: Final = re.compile(r"\r\n|\r|\n")
_SPACE: Final = " \t\u00a0\u3000\u200b\ufeff"
_MAX_LABEL: Final = 60
"""The longest label, in characters without spaces; a longer line is prose."""
_TITLE_END: Final = re.compile(r"报告[)）]?\Z")
"""A title's end: a line ending so ends its paragraph (a title printed full width)."""
_CACHED: Final = 8192
"""How many lines' kinds are kept: a report's distinct short lines."""
_TAB_LINES: Final = 3
"""A text with this many lines holding a tab has its cells set apart by tabs."""
_MIN_WIDTH: Final = 16
"""The narrowest line taken as printed to a page's full width, in characters."""
_JOIN: Final = 4
"""How many lines a label may be printed over."""
_2019_KEYS: Final = frozenset(label_key(label) for label in FORM_2019_LABELS)
"""Labels only the 2019 tables print: a text with one is in the 2019 format."""


def _strict_labels() -> frozenset[str]:
    keys: set[str] = set()
    for index in indexes(FORM_2021):
        for leaf in index.leaves:
            keys.update((label_key(leaf.row.label), bare_key(leaf.row.label)))
        if not index.spec.label_columns and index.spec.header:
            keys.update(label_key(leaf.row.columns[-1].label) for leaf in index.leaves)
    return frozenset(keys)


_ROW_LABELS: Final = _strict_labels()
"""The keys of the form's row labels (and of the last header name of table 4, before its values)."""


def looks_like_lines(text: str) -> bool:
    r"""Return whether ``text`` prints a table a value a line: a row label, then a value alone.

    >>> looks_like_lines("规章\n0\n0\n0\n行政规范性文件\n3\n0\n8")
    True
    >>> looks_like_lines("\t规章\n\t0\n\t0\n\t0\n") or looks_like_lines("规章 0 0 0")
    False
    """
    raw = _LINES.split(text[:2_000_000])
    if sum(1 for line in raw if "\t" in line) >= _TAB_LINES:
        return False  # cells after tabs, or separated by tabs: gipreport's text layout
    printed = [line.strip(_SPACE) for line in raw if line.strip(_SPACE)]
    values = sum(1 for line in printed if is_value(line))
    if values < 3:
        return False
    return any(
        is_value(after) and not is_value(line) and label_key(line) in _ROW_LABELS
        for line, after in itertools.pairwise(printed)
    )


@attrs.frozen
class _Item:
    number: int  # 1-based, in the source
    page: int
    text: str  # stripped
    value: bool
    blanks_before: int  # the empty lines between it and the line before


def _items(text: str, notes: list[ParseNote]) -> tuple[list[_Item], bool]:
    """Return the printed lines without page furniture, and whether empty lines mean anything."""
    raw = _LINES.split(text.removeprefix("\ufeff"))
    page = 0
    printed: list[tuple[int, int, str]] = []
    blanks_before: list[int] = []
    blanks = 0
    for number, line in enumerate(raw, start=1):
        page += line.count("\f")
        stripped = line.replace("\f", " ").strip(_SPACE + " ")
        if not stripped:
            blanks += 1
            continue
        printed.append((number, page, stripped))
        blanks_before.append(blanks)
        blanks = 0
    labels = [is_value(text) or _any_label(text) for _n, _p, text in printed]
    removed = furniture(printed, notes, may_repeat=lambda position: not labels[position])
    items: list[_Item] = []
    after_furniture = False
    for position, (number, page_, stripped) in enumerate(printed):
        if position in removed:
            after_furniture = True
            continue
        items.append(
            _Item(
                number=number,
                page=page_,
                text=stripped,
                value=is_value(stripped),
                blanks_before=0 if after_furniture else blanks_before[position],
            )
        )
        after_furniture = False
    # Empty lines mean nothing where the text puts one after (nearly) every line.
    spaced = sum(1 for item in items if item.blanks_before)
    return items, spaced * 2 < len(items)


@functools.lru_cache(maxsize=_CACHED)
def _any_label(text: str) -> bool:
    return any(_label(index.spec.key, text).known for index in indexes(FORM_2021))


@attrs.frozen
class _Label:
    known: bool  # a label of the table (a row's, loosely too; a column's; the header's)
    row: bool  # a row's or group's label, not loosely
    column: bool  # a column's or the header's name


@functools.lru_cache(maxsize=_CACHED)
def _label(table: str, text: str) -> _Label:
    """Return what ``text`` is in the table ``table`` (its key) of any format.

    The rows are told apart by the labels of every format (the 2019 tables
    name other columns).
    """
    tables = [
        index for form in FORMATS.values() for index in indexes(form) if index.spec.key == table
    ]
    return _Label(
        known=any(knows_label(index, text) for index in tables),
        row=any(names_row(index, text) for index in tables),
        column=any(names_column(index, text) for index in tables),
    )


@functools.lru_cache(maxsize=_CACHED)
def _prose(text: str) -> bool:
    squashed = squash(text)
    return (
        is_section_heading(text)
        or "。" in squashed
        or len(squashed) > _MAX_LABEL
        or squashed[-1] in SENTENCE_END[:6]
    )


# --- tables ------------------------------------------------------------------------------


def _regions(items: Sequence[_Item]) -> list[tuple[int, int, TableIndex]]:
    """Return the tables as (first, last) item positions, inclusive, with the table each is."""
    regions: list[tuple[int, int, TableIndex]] = []
    i = 0
    while i < len(items):
        if items[i].value or _prose(items[i].text) or not _any_label(items[i].text):
            i += 1
            continue
        last = i
        j = i + 1
        while j < len(items):
            item = items[j]
            if item.value or (not _prose(item.text) and _any_label(item.text)):
                last = j
                j += 1
                continue
            if _prose(item.text):
                break
            # A line no label of the form: a label printed over lines, or a row the
            # form does not have, if values or labels follow it soon.
            ahead = items[j + 1 : j + 1 + _JOIN]
            if not any(
                a.value or (not _prose(a.text) and _any_label(a.text)) for a in ahead
            ) or any(_prose(a.text) for a in ahead[:1]):
                break
            j += 1
        index = _identify(items[i : last + 1])
        if index is None:
            i = last + 1  # fewer than two of one table's labels in the run: none in a part
            continue
        regions.append((i, last, index))
        i = last + 1
    return regions


def _identify(items: Sequence[_Item]) -> TableIndex | None:
    texts = {label_key(item.text) for item in items if not item.value}
    texts |= {bare_key(item.text) for item in items if not item.value}
    best: tuple[int, TableIndex | None] = (0, None)
    for index in indexes(FORM_2021):
        score = len(texts & index.keys)
        if score > best[0]:
            best = (score, index)
    return best[1] if best[0] >= 2 else None


def _pieces(labels: Sequence[_Item], index: TableIndex) -> list[tuple[str, _Item]]:
    """Return a run of label lines as labels: lines of one label printed over several joined."""
    pieces: list[tuple[str, _Item]] = []
    i = 0
    while i < len(labels):
        for size in range(min(_JOIN, len(labels) - i), 0, -1):
            text = "".join(item.text for item in labels[i : i + size])
            if size == 1 or _label(index.spec.key, text).known:
                pieces.append((text, labels[i]))
                i += size
                break
    return pieces


def _runs(items: Sequence[_Item]) -> list[tuple[list[_Item], list[_Item]]]:
    """Return the lines as runs of labels, each with the values after it."""
    runs: list[tuple[list[_Item], list[_Item]]] = []
    for item in items:
        if item.value:
            if not runs:
                runs.append(([], []))
            runs[-1][1].append(item)
        elif not runs or runs[-1][1]:
            runs.append(([item], []))
        else:
            runs[-1][0].append(item)
    return runs


def _is_header(text: str, index: TableIndex, *, owns_values: bool, in_body: bool) -> bool:
    """Return whether a label in a table printed a value a line is a header's name."""
    if index.spec.label_columns == 0:
        return True  # table 4: no row labels, only the header's names
    label = _label(index.spec.key, text)
    if owns_values or (in_body and index.spec.header and label.row):
        return False
    return label.column and not label.row


@functools.lru_cache(maxsize=_CACHED)
def _row_width(form: str, table: str, text: str) -> int | None:
    """Return how many values the row ``text`` of a form's table has (``None``: no one row)."""
    index = next(index for index in indexes(FORMATS[form]) if index.spec.key == table)
    return row_width(index, text)


def _values(
    label: str, values: Sequence[_Item], index: TableIndex, form: FormSpec
) -> list[tuple[str, int]]:
    """Return a row's values, with the empty lines among them as blank cells where that fits.

    Where the values alone are fewer than the row's columns and the empty lines
    between its label and its last value make up the difference exactly, those
    empty lines are its blank cells (text that prints nothing for a blank cell
    and has no other empty lines). An empty line after the last value is not
    counted: it cannot be told from the end of the row.
    """
    cells = [(value.text, value.number) for value in values]
    width = _row_width(form.id, index.spec.key, label)
    if width is None or len(values) >= width:
        return cells
    slotted: list[tuple[str, int]] = []
    for value in values:
        slotted += [("", value.number - k) for k in range(value.blanks_before, 0, -1)]
        slotted.append((value.text, value.number))
    return slotted if len(slotted) == width else cells


def _table(
    items: Sequence[_Item], index: TableIndex, number: int, *, empties: FormSpec | None
) -> SourceTable:
    """Return the table printed a value a line in ``items``, its rows told apart by the labels.

    Each row is its label and the values after it; a header's names, one a
    line, are one row (table 2: each block's 信息内容 begins one). ``empties``:
    where an empty line may be a blank cell (the text has few empty lines), the
    form whose rows' widths count them.
    """
    content = label_key(PROACTIVE_CONTENT_LABEL)
    rows: list[list[tuple[str, int]]] = []
    header: list[tuple[str, int]] | None = None  # the header row being gathered
    in_body = False
    for labels, values in _runs(items):
        pieces = _pieces(labels, index)
        for position, (text, item) in enumerate(pieces):
            owns_values = position == len(pieces) - 1 and bool(values)
            if label_key(text) == content and not index.spec.header:
                header = [(text, item.number)]  # a block's header of table 2
                rows.append(header)
            elif _is_header(text, index, owns_values=owns_values, in_body=in_body) and (
                header is not None or index.spec.header
            ):
                if header is None:
                    header = []
                    rows.append(header)
                header.append((text, item.number))
            else:
                header = None
                in_body = True
                rows.append([(text, item.number)])
        if values:
            if not rows or rows[-1] is header:
                rows.append([])  # values with no label before them (table 4's row)
            row = rows[-1]
            if empties is not None and len(row) == 1 and index.spec.label_columns:
                row.extend(_values(row[0][0], values, index, empties))
            else:
                row.extend((value.text, value.number) for value in values)
            header = None
    cells = tuple(
        tuple(
            SourceCell(text=text, row=r, column=c, line=line) for c, (text, line) in enumerate(row)
        )
        for r, row in enumerate(rows)
    )
    return SourceTable(
        index=number,
        rows=cells,
        gridded=False,
        where=Where(line=items[0].number, table=number),
        counted=True,
    )


# --- paragraphs --------------------------------------------------------------------------


def _width(text: str) -> int:
    return len(squash(text))


def lines_source(text: str) -> SourceDocument:
    """Return the blocks of a text with a value a line (see the module docstring)."""
    refuse_many_cells(text)
    notes: list[ParseNote] = [
        ParseNote(
            code="source-kind",
            message="read as text with each table cell on a line of its own "
            "(other PDF extractors, crawlers, copy-paste)",
            where=Where(line=1),
        )
    ]
    items, blanks_mean = _items(text, notes)
    regions = _regions(items)
    form = FORM_2019 if any(label_key(item.text) in _2019_KEYS for item in items) else FORM_2021
    in_table = {k for start, end, _index in regions for k in range(start, end + 1)}
    widths = sorted(_width(item.text) for k, item in enumerate(items) if k not in in_table)
    full = widths[int(len(widths) * 0.9)] if widths else 0
    blocks: list[SourceBlock] = []
    paragraph: list[_Item] = []
    paragraphs = 0

    def flush() -> None:
        nonlocal paragraphs
        if paragraph:
            blocks.append(
                SourceParagraph(
                    text="".join(item.text for item in paragraph),
                    where=Where(line=paragraph[0].number, paragraph=paragraphs),
                )
            )
            paragraphs += 1
            paragraph.clear()

    starts = {start: (end, index) for start, end, index in regions}
    position = 0
    tables = 0
    while position < len(items):
        if position in starts:
            flush()
            end, index = starts[position]
            blocks.append(
                _table(
                    items[position : end + 1], index, tables, empties=form if blanks_mean else None
                )
            )
            tables += 1
            position = end + 1
            continue
        item = items[position]
        position += 1
        if paragraph:
            last = paragraph[-1]
            stands_alone = is_section_heading(last.text) or bool(_TITLE_END.search(last.text))
            goes_on = not stands_alone and breaks_off(
                last.text, long_line=_width(last.text) >= max(full - 1, _MIN_WIDTH)
            )
            starts_new = (
                (blanks_mean and item.blanks_before > 0)
                or is_section_heading(item.text)
                or is_numbered(item.text, STARTS_A_LINE)
            )
            if not goes_on or starts_new:
                flush()
        paragraph.append(item)
    flush()
    return SourceDocument(
        format="text", blocks=capped(blocks), notes=tuple(notes), kind="lines-text"
    )
