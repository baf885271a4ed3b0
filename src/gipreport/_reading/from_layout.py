r"""Reading a PDF's text layer: columns as runs of spaces (``pdftotext -layout``).

``pdftotext -layout`` prints each page as lines of characters placed by where
they stand on the page, one character a column (a CJK character is one column
too, however wide it prints), a form feed between pages. Read from it:

- page furniture: a line that is only a page number ("-1-", "— 3 —",
  "第 2 页 共 6 页"), and a line printed again at the top or foot of every page
  (a running header), are removed, each with a note (``page-furniture``);
- paragraphs: a line printed to the full width of the page that stops
  mid-sentence goes on in the next line (over a page break too); an indented
  line starts a paragraph;
- tables: a line ending in two or more values set apart by spaces
  ("规章      0     0    0") is a table row. The lines around such rows that
  are not prose are the table's: header lines above its rows (kept as rows of
  their own, consecutive lines as one), and the lines of a row label printed
  over several lines (joined to the row they stand nearest to, a row printed
  without a label first). A row's values are placed by the column they stand
  in, found from all the rows of the same page and band (rows under one header):
  a value not printed in a row is a blank cell there, never the next value
  moved over. Where columns cannot be told apart (two values of one row in one
  column), the row's values are given as written, and the table reader reads
  it only if it has all its values.

What is not read: a table whose header is the only place its columns show
(one row of values with a value missing is read as blank), and tables printed
with one value a line (other extractors' text: read as plain text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import attrs

from gipreport._core.form import FORM_2021
from gipreport._reading.labels import bare_key, squash
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
from gipreport._reading.text_flow import (
    BLANKS,
    SENTENCE_END,
    breaks_off,
    furniture,
    is_section_heading,
    is_value,
    refuse_many_cells,
)

__all__ = ["layout_rows", "layout_source", "looks_like_layout"]

_LINES: Final = re.compile(r"\r\n|\r|\n")
_WORD: Final = re.compile(r"\S+")
_LAYOUT_ROW: Final = re.compile(
    r"\S[ \u3000]{2,}[\d,.]+(?:[ \u3000]{2,}[\d,.]+|[ \u3000]+[\d,.]+)+\s*\Z"
)
_MAX_LABEL: Final = 60
_ROW_REACH: Final = 3
"""How many lines away from its row a line of a row label may be printed."""
_HEADER_REACH: Final = 24
"""How many lines above a table's first row its header may reach."""
_LEAF_LABELS: Final = frozenset(
    bare_key(leaf.label)
    for table in FORM_2021.tables
    for _path, _ancestors, leaf in table.leaf_rows()
    if leaf.label
)
"""The form's leaf row labels: a line that is one of them whole is a row, not a wrapped label."""


def looks_like_layout(text: str) -> bool:
    r"""Return whether ``text`` has table rows whose columns are runs of spaces (three or more).

    >>> looks_like_layout("规章      0     0    0\n行政规范性文件   3   0   8\n行政许可   9  9  9")
    True
    >>> looks_like_layout("规章\t0\t0\t0")
    False
    """
    count = 0
    for line in _LINES.split(text[:2_000_000]):
        if "\t" not in line and _LAYOUT_ROW.search(line):
            count += 1
            if count >= 3:
                return True
    return False


@attrs.frozen
class _Word:
    start: int
    end: int
    text: str


@attrs.frozen
class _Line:
    number: int  # 1-based, in the source
    page: int
    text: str
    fragments: tuple[_Word, ...]  # words one space apart joined
    labels: tuple[_Word, ...]  # the fragments before the values
    values: tuple[_Word, ...]  # the values at the line's end (a table row's)

    @property
    def blank(self) -> bool:
        return not self.fragments


def _split(number: int, page: int, text: str) -> _Line:
    words = [_Word(m.start(), m.end(), m[0]) for m in _WORD.finditer(text)]
    fragments: list[_Word] = []
    for word in words:
        if fragments and word.start - fragments[-1].end <= 1:
            last = fragments[-1]
            fragments[-1] = _Word(last.start, word.end, text[last.start : word.end])
        else:
            fragments.append(word)
    # The values: words at the end of the line that are values.
    tail: list[_Word] = []
    for word in reversed(words):
        if not is_value(word.text):
            break
        tail.insert(0, word)
    numeric = sum(1 for word in tail if word.text not in BLANKS)
    labels = [f for f in fragments if f.end <= (tail[0].start if tail else len(text) + 1)]
    if tail and labels and labels[-1].end > tail[0].start:
        labels = labels[:-1]
    label_text = "".join(f.text for f in labels)
    gap = tail[0].start - labels[-1].end if tail and labels else 99
    is_row = bool(tail) and numeric >= 1 and gap >= 2
    if is_row and len(tail) == 1 and (not labels or gap < 3):
        is_row = False  # one value alone, or close to its text: not a column
    if is_row and (
        "。" in label_text or len(squash(label_text)) > _MAX_LABEL or label_text.endswith("，")
    ):
        is_row = False
    if not is_row:
        return _Line(number, page, text, tuple(fragments), tuple(fragments), ())
    # Labels: the fragments before the first value, split where the value tail begins.
    label_fragments = []
    for fragment in fragments:
        if fragment.end <= tail[0].start:
            label_fragments.append(fragment)
        elif fragment.start < tail[0].start:
            cut = text[fragment.start : tail[0].start].rstrip()
            label_fragments.append(_Word(fragment.start, fragment.start + len(cut), cut))
    return _Line(number, page, text, tuple(fragments), tuple(label_fragments), tuple(tail))


def _is_section_heading(line: _Line) -> bool:
    return not line.values and len(line.fragments) == 1 and is_section_heading(line.text)


def _is_prose(line: _Line) -> bool:
    """Return whether a line without values is prose (not a table's header or label)."""
    if line.blank or line.values:
        return False
    if _is_section_heading(line):
        return True
    text = squash(line.text)
    if "。" in text or text[-1] in SENTENCE_END[:6]:
        return True
    return any(len(squash(f.text)) > _MAX_LABEL // 2 for f in line.fragments)


def _lines(text: str, notes: list[ParseNote]) -> list[_Line]:
    raw = _LINES.split(text.removeprefix("\ufeff"))
    if raw and raw[-1] == "":
        raw.pop()
    page = 0
    lines = []
    for number, printed in enumerate(raw, start=1):
        page += printed.count("\f")
        text_line = printed.replace("\f", " ").replace("\u3000", " ").rstrip()
        lines.append(_split(number, page, text_line))
    removed = furniture(
        [(line.number, line.page, line.text) for line in lines],
        notes,
        may_repeat=lambda position: not lines[position].values,
    )
    return [line for position, line in enumerate(lines) if position not in removed]


# --- tables ------------------------------------------------------------------------------


@attrs.define
class _Row:
    line: _Line
    own: int  # the position of the row's line in its table
    labels: list[tuple[int, int, str]]  # (column, line, text) of every piece of its label


def _starts_a_row(line: _Line) -> bool:
    """Return whether ``line`` is a whole leaf row label of the form ("（七）总计")."""
    return "".join(f.text for f in line.fragments) != "" and (
        bare_key("".join(f.text for f in line.fragments)) in _LEAF_LABELS
    )


def _regions(lines: Sequence[_Line]) -> list[tuple[int, int]]:
    """Return the tables as (first, last) line positions, inclusive."""
    anchors = [i for i, line in enumerate(lines) if line.values]
    regions: list[tuple[int, int]] = []
    for anchor in anchors:
        if regions and regions[-1][1] >= anchor:
            continue
        if regions and all(not _is_prose(lines[k]) for k in range(regions[-1][1] + 1, anchor)):
            regions[-1] = (regions[-1][0], anchor)
            continue
        start = anchor
        k = anchor - 1
        floor = regions[-1][1] if regions else -1
        while k > floor and anchor - k <= _HEADER_REACH and not _is_prose(lines[k]):
            k -= 1
        start = k + 1
        regions.append((start, anchor))
    # The lines of the last row's label after it.
    out = []
    for number, (start, end) in enumerate(regions):
        ceiling = regions[number + 1][0] if number + 1 < len(regions) else len(lines)
        # Only lines right after it, with no empty line between: a title or
        # header further down is the next table's, or text.
        k = end + 1
        while (
            k < ceiling and k - end <= _ROW_REACH and not lines[k].blank and not _is_prose(lines[k])
        ):
            k += 1
        out.append((start, k - 1))
    return out


def _headerish(line: _Line, value_start: dict[int, int], label_end: dict[int, int]) -> bool:
    """Return whether a line without values is a header's.

    It is where it reaches over the value columns, or has a name to the right
    of where the rows' labels end.
    """
    start = value_start.get(line.page, min(value_start.values()))
    end = label_end.get(line.page, max(label_end.values(), default=start))
    return any(f.end > start + 1 for f in line.fragments) or any(
        f.start > end + 1 for f in line.fragments[1:]
    )


def layout_rows(  # noqa: PLR0912, PLR0915 - one pass over a table's lines, by their kinds
    lines: Sequence[_Line], index: int, notes: list[ParseNote]
) -> SourceTable:
    """Return the table printed in ``lines`` (a region of rows and their header)."""
    anchors = [i for i, line in enumerate(lines) if line.values]
    value_start: dict[int, int] = {}  # where values begin, page by page
    label_end: dict[int, int] = {}  # where the rows' labels end, page by page
    for line in lines:
        if line.values and line.labels:
            label_end[line.page] = max(label_end.get(line.page, 0), line.labels[-1].end)
        if line.values:
            value_start[line.page] = min(
                value_start.get(line.page, line.values[0].start), line.values[0].start
            )
    header_of: dict[int, int] = {}  # a header line -> the anchor its band begins at
    rows: dict[int, _Row] = {
        i: _Row(lines[i], i, [(f.start, i, f.text) for f in lines[i].labels]) for i in anchors
    }
    loose: list[int] = []
    previous: int | None = None
    for anchor in [*anchors, len(lines)]:
        between = range(previous + 1 if previous is not None else 0, anchor)
        header_at = next(
            (
                k
                for k in between
                if not lines[k].blank and _headerish(lines[k], value_start, label_end)
            ),
            None,
        )
        if previous is None:
            header_at = between.start
        for k in between:
            line = lines[k]
            if line.blank:
                continue
            adjacent = previous is not None and k == previous + 1
            if (header_at is not None and k >= header_at and anchor < len(lines)) or (
                header_at is not None and not adjacent and anchor < len(lines)
            ):
                header_of[k] = anchor
            else:
                loose.append(k)
        previous = anchor
    for k in loose:
        near = [a for a in anchors if abs(a - k) <= _ROW_REACH]
        if not near:
            notes.append(
                ParseNote(
                    code="extra-text",
                    message="a line in a table, near none of its rows: not read",
                    where=Where(line=lines[k].number, table=index),
                    text=lines[k].text.strip(),
                )
            )
            continue
        unlabelled = [a for a in near if not rows[a].line.labels]
        pool = unlabelled or near
        target = min(pool, key=lambda a: (abs(a - k), a > k))
        if _starts_a_row(lines[k]) and rows[target].line.labels and k > target:
            # "（七）总计" with no values under "3.其他 …": a row of its own, every value blank.
            rows[k] = _Row(lines[k], k, [(f.start, k, f.text) for f in lines[k].fragments])
            anchors = sorted([*anchors, k])
            continue
        rows[target].labels.extend((f.start, k, f.text) for f in lines[k].fragments)
    # The bands: rows one after the other on one page, under one header.
    bands: list[list[int]] = []
    for anchor in anchors:
        if (
            bands
            and lines[bands[-1][-1]].page == lines[anchor].page
            and not any(bands[-1][-1] < k < anchor for k in header_of)
        ):
            bands[-1].append(anchor)
        else:
            bands.append([anchor])
    out: list[tuple[SourceCell, ...]] = []
    emitted_headers: set[int] = set()

    def header_rows(before: int) -> None:
        group: list[int] = []
        for k in sorted(k for k in header_of if header_of[k] == before):
            if k in emitted_headers:
                continue
            emitted_headers.add(k)
            if group and (k != group[-1] + 1 or len(lines[group[-1]].fragments) == 1):
                emit(group)
                group = []
            group.append(k)
        if group:
            emit(group)

    def emit(group: list[int]) -> None:
        cells = [
            SourceCell(text=f.text, row=len(out), column=c, line=lines[k].number)
            for c, (k, f) in enumerate((k, f) for k in group for f in lines[k].fragments)
        ]
        out.append(tuple(cells))

    for band in bands:
        header_rows(band[0])
        columns = _columns([lines[a] for a in band])
        if columns is None and len(band) > 1:
            notes.append(
                ParseNote(
                    code="missing-cells",
                    message="the columns of these rows cannot be told apart by where their "
                    "values stand: each row's values are taken as written",
                    where=Where(line=lines[band[0]].number, table=index),
                )
            )
        for anchor in band:
            row = rows[anchor]
            out.append(_row_cells(row, columns, len(out), lines))
    return SourceTable(
        index=index,
        rows=tuple(out),
        gridded=False,
        where=Where(line=lines[0].number, table=index),
    )


def _columns(band: Sequence[_Line]) -> list[tuple[int, int]] | None:
    """Return the value columns of rows on one page, as (start, end) spans, left to right.

    Spans of values that overlap or touch are one column. ``None`` where two
    values of one row fall in one column: the columns cannot be told apart.
    """
    spans = sorted((w.start, w.end) for line in band for w in line.values)
    columns: list[list[int]] = []
    for start, end in spans:
        if columns and start <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], end)
        else:
            columns.append([start, end])
    most = max(len(line.values) for line in band)
    # A column whose values stand apart ("61" and "0" printed a few columns
    # apart): two neighbouring spans no row has values in both are one column,
    # as long as there are more spans than the longest row has values.
    while len(columns) > most:
        slots = [[_slot(columns, w.start) for w in line.values] for line in band]
        apart = [
            c
            for c in range(len(columns) - 1)
            if not any(c in row and c + 1 in row for row in slots)
        ]
        if not apart:
            return None
        c = min(apart, key=lambda c: columns[c + 1][0] - columns[c][1])
        columns[c : c + 2] = [[columns[c][0], columns[c + 1][1]]]
    for line in band:
        seen = [_slot(columns, w.start) for w in line.values]
        if len(seen) != len(set(seen)):
            return None
    return [(s, e) for s, e in columns]


def _slot(columns: Sequence[Sequence[int]], start: int) -> int:
    return next(c for c, (s, e) in enumerate(columns) if s <= start <= e)


def _row_cells(
    row: _Row, columns: list[tuple[int, int]] | None, number: int, lines: Sequence[_Line]
) -> tuple[SourceCell, ...]:
    line = row.line
    by_column: dict[int, list[tuple[int, str]]] = {}
    spans: dict[int, int] = {}  # a label column's start -> the end of its text on the row's line
    own = {start: start + len(text) for start, k, text in row.labels if k == row.own}
    for start, k, text in sorted(row.labels, key=lambda item: (item[0], item[1])):
        home = next((s for s, e in spans.items() if abs(s - start) <= 2 or s <= start < e), None)
        if home is None:
            spans[start] = own.get(start, start + len(text))
            home = start
        by_column.setdefault(home, []).append((k, text))
    cells: list[SourceCell] = []
    for home in sorted(by_column):
        parts = [text for _k, text in sorted(by_column[home])]
        first_line = lines[min(k for k, _t in by_column[home])].number
        cells.append(
            SourceCell(text="".join(parts), row=number, column=len(cells), line=first_line)
        )
    if columns is None:
        values: list[str] = [w.text for w in line.values]
    else:
        values = [""] * len(columns)
        for w in line.values:
            values[_slot(columns, w.start)] = w.text
    for text in values:
        cells.append(SourceCell(text=text, row=number, column=len(cells), line=line.number))
    return tuple(cells)


# --- paragraphs --------------------------------------------------------------------------


def _width(text: str) -> int:
    return len(text.strip())


def layout_source(text: str) -> SourceDocument:
    """Return the blocks of a PDF's ``-layout`` text (see the module docstring)."""
    refuse_many_cells(text)
    notes: list[ParseNote] = [
        ParseNote(
            code="source-kind",
            message="read as a PDF's text with its table columns as runs of spaces "
            "(pdftotext -layout)",
            where=Where(line=1),
        )
    ]
    lines = _lines(text, notes)
    regions = _regions(lines)
    blocks: list[SourceBlock] = []
    widths = sorted(_width(line.text) for line in lines if len(line.fragments) == 1)
    full = widths[int(len(widths) * 0.9)] if widths else 0
    paragraph: list[_Line] = []
    paragraphs = 0

    def flush() -> None:
        nonlocal paragraphs
        if paragraph:
            joined = "".join(line.text.strip() for line in paragraph)
            blocks.append(
                SourceParagraph(
                    text=joined, where=Where(line=paragraph[0].number, paragraph=paragraphs)
                )
            )
            paragraphs += 1
            paragraph.clear()

    position = 0
    tables = 0
    starts = dict(regions)
    while position < len(lines):
        if position in starts:
            flush()
            end = starts[position]
            blocks.append(layout_rows(lines[position : end + 1], tables, notes))
            tables += 1
            position = end + 1
            continue
        line = lines[position]
        position += 1
        if line.blank:
            continue
        indent = len(line.text) - len(line.text.lstrip())
        if paragraph:
            last = paragraph[-1]
            goes_on = indent < 2 and breaks_off(last.text, long_line=_width(last.text) >= full - 2)
            if not goes_on or len(line.fragments) != 1 or _is_section_heading(line):
                flush()
        paragraph.append(line)
    flush()
    return SourceDocument(
        format="text", blocks=capped(blocks), notes=tuple(notes), kind="layout-text"
    )
