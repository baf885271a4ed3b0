"""Text as printed lines: where a line breaks off mid-sentence, and page furniture.

Shared by the readers of text that comes from a printed page (PDF text layers,
markdown converted from a PDF, text with a value a line): a paragraph printed
over several lines is one paragraph, the page numbers and running headers
between the lines are not the report's text, and a value printed alone is told
from text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from gipreport._core import limits
from gipreport._core.errors import ParseError
from gipreport._core.form import FORM_2021
from gipreport._reading.labels import bare_key, squash
from gipreport._reading.source import ParseNote, Where

__all__ = [
    "SENTENCE_END",
    "PrintedLine",
    "breaks_off",
    "furniture",
    "is_page_number",
    "is_section_heading",
    "is_value",
    "refuse_many_cells",
]

SENTENCE_END: Final = "。！？!?；;…：:"
"""Characters a paragraph ends with (a closing quote or bracket after them is skipped)."""
_CLOSING: Final = "”’」』】》）)\"'"
_PAGE_NUMBER: Final = re.compile(
    r"[\s\u3000]*(?:"
    r"[-—–－―‒]+\s*\d{1,4}\s*[-—–－―‒]+"  # -1-  — 3 —
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"  # 第 2 页 共 6 页
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 2/6
    r")[\s\u3000]*\Z",
    re.IGNORECASE,
)


def breaks_off(text: str, *, long_line: bool) -> bool:
    """Return whether a printed line stops mid-sentence, so the next line goes on with it.

    A line that ends with sentence punctuation ends its paragraph; any other
    line goes on if it is ``long_line`` (printed to the full width of the page:
    the line was broken by the page's width, not by its writer).

    >>> breaks_off("努力让政务信息“看", long_line=True)
    True
    >>> breaks_off("全年收取 0 元。", long_line=True)
    False
    """
    stripped = text.rstrip().rstrip(_CLOSING)
    if not stripped or stripped[-1] in SENTENCE_END:
        return False
    return long_line


def is_page_number(text: str) -> bool:
    """Return whether a line is a printed page number ("-1-", "— 3 —", "第 2 页 共 6 页").

    >>> [is_page_number(t) for t in ("-1-", "— 3 —", "第 2 页 共 6 页", "3", "2024")]
    [True, True, True, False, False]
    """
    return bool(_PAGE_NUMBER.match(text))


_NUMBER: Final = re.compile(r"[+\-－]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")
_UNITS: Final = ("万元", "元", "件", "个", "项", "次", "条")
BLANKS: Final = frozenset({"/", "\\", "-", "--", "—", "——", "–", "无", "／"})
"""What a printed table puts in a blank cell (the table reader reads each as blank)."""


def is_value(text: str) -> bool:
    """Return whether ``text`` is one printed table value: a number (signed, with a unit), a blank.

    >>> [is_value(t) for t in ("0", "18,651.06", "3940元", "/", "+3", "-2", "规章", "2024年")]
    [True, True, True, True, True, True, False, False]
    """
    if text in BLANKS:
        return True
    for unit in _UNITS:
        if text.endswith(unit) and len(text) > len(unit):
            text = text[: -len(unit)]
            break
    return bool(_NUMBER.fullmatch(text))


_SECTION_CORES: Final = tuple(
    re.sub(r"(情况|事项)\Z", "", bare_key(spec.title)) for spec in FORM_2021.sections
)
_SECTION_NUMBER: Final = re.compile(r"[一二三四五六七八九十]{1,2}[、.．]")


def is_section_heading(text: str) -> bool:
    """Return whether a printed line is one of the form's section headings ("三、收到和处理…").

    >>> headings = ("四、政府信息公开行政复议、行政诉讼情况", "三、本年度办理结果")
    >>> [is_section_heading(t) for t in headings]
    [True, False]
    """
    text = squash(text)
    match = _SECTION_NUMBER.match(text)
    if match is None:
        return False
    key = bare_key(text[match.end() :])
    return any(len(core) >= 4 and key.startswith(core) for core in _SECTION_CORES)


PrintedLine = tuple[int, int, str]
"""A printed line: its 1-based number in the source, its page (0-based), its text."""

_HEADER_SPAN: Final = 40
"""The longest running header, in characters (without spaces)."""


def furniture(
    lines: Sequence[PrintedLine], notes: list[ParseNote], *, may_repeat: Callable[[int], bool]
) -> frozenset[int]:
    """Return the positions in ``lines`` of page furniture, noting each (``page-furniture``).

    Page furniture is a line that is only a page number, and a short line printed
    again next to two or more page breaks, and next to at least half of them (a
    running header or footer); the first
    of those, near the start, is the document's own (its title) and is kept. A
    page break is where the page changes or a page number stands. ``may_repeat``
    says whether the line at a position may be a running header at all (a
    table's value or label line repeats by nature). Blank lines are skipped.

    >>> notes = []
    >>> lines = [(1, 0, "某局年度报告"), (2, 0, "正文。"), (3, 0, "— 1 —"), (4, 1, "某局年度报告"),
    ...          (5, 1, "又一页。"), (6, 1, "— 2 —"), (7, 2, "某局年度报告"), (8, 2, "完。")]
    >>> sorted(furniture(lines, notes, may_repeat=lambda position: True))
    [2, 3, 5, 6]
    >>> [note.text for note in notes]
    ['— 1 —', '— 2 —', '某局年度报告', '某局年度报告']
    """
    numbers = {
        position
        for position, (_number, _page, text) in enumerate(lines)
        if text.strip() and is_page_number(text)
    }
    for position in sorted(numbers):
        notes.append(
            ParseNote(
                code="page-furniture",
                message="a page number: removed",
                where=Where(line=lines[position][0]),
                text=lines[position][2].strip(),
            )
        )
    # The page breaks: each page number, and each place where the page changes.
    breaks = numbers | {
        position
        for position in range(1, len(lines))
        if lines[position][1] != lines[position - 1][1]
    }
    texts: dict[str, list[int]] = {}
    near_breaks: dict[str, set[int]] = {}
    for position, (_number, _page, text) in enumerate(lines):
        if not text.strip() or position in numbers or not may_repeat(position):
            continue
        near = {b for b in range(position - 2, position + 3) if b in breaks}
        if near:
            key = squash(text)
            texts.setdefault(key, []).append(position)
            near_breaks.setdefault(key, set()).update(near)
    repeated: set[int] = set()
    for text, positions in texts.items():
        # A running header or footer stands by most page breaks: a line of the text
        # that happens to be printed by two of many is the text's own.
        by = len(near_breaks[text])
        stands_by_most = by >= 2 and 2 * by >= len(breaks)
        if len(positions) >= 2 and stands_by_most and 0 < len(text) <= _HEADER_SPAN:
            first = positions[0]
            repeated.update(positions[1:] if first < 8 else positions)
    for position in sorted(repeated):
        notes.append(
            ParseNote(
                code="page-furniture",
                message="a line printed on every page (a running header): removed",
                where=Where(line=lines[position][0]),
                text=lines[position][2].strip(),
            )
        )
    return frozenset(numbers | repeated)


_MAX_CELLS: Final = limits.MAX_TEXT_CELLS
_CELL_SEPARATOR: Final = re.compile(r"[\t|]|[ \u3000]{2,}")


def refuse_many_cells(text: str) -> None:
    """Raise :class:`~gipreport._core.errors.ParseError` for a text of too many table cells.

    A cell is told from the next by a tab, a ``|`` or a run of spaces (by each reader of
    text in its own way): past :data:`~gipreport._core.limits.MAX_TEXT_CELLS` of them,
    the text is no report, and is refused before its cells are made, naming the line of
    the first separator past the cap. A text shorter than the cap has fewer: it is not
    looked through.
    """
    if len(text) <= _MAX_CELLS:
        return
    for count, separator in enumerate(_CELL_SEPARATOR.finditer(text), 1):
        if count > _MAX_CELLS:
            line = text.count("\n", 0, separator.start()) + 1
            reason = f"the text has more than {_MAX_CELLS:,} table cells: not a report"
            raise ParseError(reason, f"line {line}")
