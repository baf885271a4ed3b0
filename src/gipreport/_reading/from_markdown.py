r"""Reading markdown: a report converted to markdown (from its PDF, docx or web page).

What converters write, and how it is read:

- ``#``–``######`` headings: ``#`` is the title, the others headings. A
  converter also makes headings of a paragraph's first sentence ("### 三是提高
  解读效能。" with the paragraph on the next line): an unnumbered heading of
  level 3 or more that runs straight on into text is read as the start of
  that paragraph (joined to its next line); and it leaves a numbered heading
  unmarked, run on into its paragraph ("（三）精细化建设公开平台。我县坚持…"
  between "### （二）…" and "### （四）…"): a paragraph numbered next to the
  marked headings around it, its first sentence short, is split into that
  heading and its paragraph;
- paragraphs: lines in a row, joined where a line breaks off mid-sentence; a
  paragraph broken by an empty line (a page break in the converted PDF) is
  joined where its first part breaks off mid-sentence and is long;
- pipe tables (``| 规章 | 0 | 0 | 0 |``, the ``|---|`` row, ``\|`` for a pipe,
  ``<br>`` for a line break in a cell) are gridded tables whose merges are
  lost (:attr:`~gipreport._reading.source.SourceTable.spans_lost`): a merged
  cell comes out as empty or repeated cells, and the table reader lays each
  row of the 2019 table 2 (whose values span other columns than their headers)
  on the form's grid, reading it only where that gives one reading;
- ``**bold**``, ``*em*``, ``__x__``, ``_x_``, ``~~x~~`` and `` `code` `` are
  stripped to their text; list markers (``-``, ``*``, ``1.``) and blockquote
  markers (``>``) are layout; HTML tags inside markdown are stripped to their
  text (``<br>`` is a line break);
- a table a converter split into pieces is put back together, with a note
  (``table-joined``): pieces of the same width one after the other with only
  headings between them are one table (the headings are kept as paragraphs);
  pieces that are one header and one row of values each, under headings
  ("### 行政复议" / "### 行政诉讼（未经复议直接起诉）"), are side by side under
  those headings;
- a header row whose value columns are placeholders (``数据1``, ``列2``,
  ``Column 3``): the converter lost the column names; the row is dropped with a
  note (``header-lost``) and the columns are taken in the form's order.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

from gipreport._reading.labels import squash
from gipreport._reading.numbering import NumberStyle, heading_number
from gipreport._reading.source import (
    Mark,
    ParseNote,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceParagraph,
    SourceTable,
    Where,
    capped,
    positions_if_few,
)
from gipreport._reading.text_flow import breaks_off, refuse_many_cells

__all__ = ["looks_like_markdown", "markdown_source"]

_LINES: Final = re.compile(r"\r\n|\r|\n")
_HEADING: Final = re.compile(r"\s{0,3}(?P<level>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*\Z")
_SEPARATOR: Final = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*\Z")
_PIPE_ROW: Final = re.compile(r"\s*\|.*\|\s*\Z")
_LIST: Final = re.compile(r"\s*(?:[-*+]|\d{1,3}[.)])[ \t]+(?=\S)")
_QUOTE: Final = re.compile(r"\s*(?:>\s?)+")
_RULE: Final = re.compile(r"\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})\Z")
_BR: Final = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG: Final = re.compile(r"</?[A-Za-z][^<>\n]{0,500}?>")
_EMPHASIS: Final = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"__(?=\S)(.+?)(?<=\S)__"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
    re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])"),
    re.compile(r"(?<![_\w])_(?=\S)([^_\n]+?)(?<=\S)_(?![_\w])"),
    re.compile(r"`([^`\n]+)`"),
)
_ENTITIES: Final = {"&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&amp;": "&"}
_PLACEHOLDER: Final = re.compile(
    r"(?:数据|列|栏|项|值|Column|Col|Field)\s*\d{1,2}\Z", re.IGNORECASE
)
_QUALIFIED: Final = re.compile(r"(?P<head>[^（(]+)[（(](?P<sub>[^（()）]+)[)）]\Z")
_MAX_RUN_IN: Final = 30
"""The longest numbered heading run on into its paragraph, in characters."""
_VALUE: Final = re.compile(r"[-—–/\\无]?|[\d,，.]+\s*(?:万元|元|件|个|条|项|次)?")
_MAX_LINES: Final = 200_000


def looks_like_markdown(text: str) -> bool:
    r"""Return whether ``text`` reads as markdown: a pipe table, or two ``#`` headings.

    >>> looks_like_markdown("## 一、总体情况\n\n## 二、主动公开政府信息情况")
    True
    >>> looks_like_markdown("| 规章 | 0 |\n|---|---|")
    True
    >>> looks_like_markdown("一、总体情况")
    False
    """
    text = text[:1_000_000]
    # Two headings need two "#" lines; a separator row needs "---", under a pipe row ("|").
    # "|" is looked for first: a character is found several times as fast as "---".
    if not _has_hash_line(text) and ("|" not in text or "---" not in text):
        return False
    headings = 0
    # The lines as _LINES splits them (str.split is several times faster than re.split).
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n", _MAX_LINES)[:_MAX_LINES]
    for index, line in enumerate(lines):
        # A separator line under a pipe row (the row looked at only then: it is rarer).
        if "-" in line and index and _SEPARATOR.match(line) and _PIPE_ROW.match(lines[index - 1]):
            return True
        if line.startswith("#") and _HEADING.match(line):
            headings += 1
            if headings >= 2:
                return True
    return False


def _has_hash_line(text: str) -> bool:
    r"""Return whether a line of ``text`` starts with "#" (``"\n#"``, ``"\r#"`` or at its start).

    A page has few "#" (a stylesheet's colours): each is looked at
    (:func:`~gipreport._reading.source.positions_if_few`), which is about 20 times as fast
    as searching for a two-character string (each search of ``"\n#"`` stops at every
    line break), and several times as fast as counting them. Text of more is searched
    as such.
    """
    hashes = positions_if_few(text, "#", _FEW_HASHES)
    if hashes is None:
        return text.startswith("#") or "\n#" in text or "\r#" in text
    return any(at == 0 or text[at - 1] in "\n\r" for at in hashes)


_FEW_HASHES: Final = 64


def inline_text(text: str) -> str:
    """Return markdown inline text as plain text: emphasis, code marks and HTML tags stripped."""
    text = _BR.sub("\n", text)
    if "<" in text:
        text = _TAG.sub("", text)
    for pattern in _EMPHASIS:
        if pattern.pattern[0] in text or "*" in text or "_" in text or "~" in text:
            text = pattern.sub(r"\1", text)
    if "&" in text:
        for entity, char in _ENTITIES.items():
            text = text.replace(entity, char)
    return text.replace("\\|", "|").replace("\\*", "*").replace("\\_", "_").replace("\\#", "#")


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    parts = re.split(r"(?<!\\)\|", body)
    return [inline_text(part).strip() for part in parts]


class _Piece:
    """One pipe table as written, with the heading just before it (if any)."""

    def __init__(self, line: int, rows: list[tuple[int, list[str]]], heading: str | None) -> None:
        self.line = line
        self.rows = rows  # (1-based line, cell texts), the separator row left out
        self.heading = heading
        self.width = max(len(cells) for _line, cells in rows)


def markdown_source(text: str) -> SourceDocument:  # noqa: PLR0912, PLR0915 - one pass, a branch a kind of line
    """Return the blocks of a report written as markdown (see the module docstring)."""
    refuse_many_cells(text)
    text = text.removeprefix("\ufeff")
    lines = _LINES.split(text)
    notes: list[ParseNote] = [
        ParseNote(
            code="source-kind",
            message="read as markdown (headings, pipe tables, emphasis)",
            where=Where(line=1),
        )
    ]
    items: list[SourceParagraph | _Piece] = []
    paragraph: list[tuple[int, str]] = []
    blank_before = True
    run_on: tuple[int, str] | None = None  # a heading that runs on into the next line

    def flush() -> None:
        if paragraph:
            for number, joined in _joined(paragraph):
                items.append(SourceParagraph(text=joined, where=Where(line=number)))
            paragraph.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if _PIPE_ROW.match(line) and i + 1 < len(lines) and _SEPARATOR.match(lines[i + 1]):
            flush()
            caption = _heading_before(items)
            rows = [(i + 1, _cells(line))]
            i += 2
            while i < len(lines) and _PIPE_ROW.match(lines[i]):
                rows.append((i + 1, _cells(lines[i])))
                i += 1
            items.append(_Piece(rows[0][0], rows, caption))
            blank_before = False
            continue
        heading = _HEADING.match(line) if line.lstrip().startswith("#") else None
        if heading is not None:
            flush()
            level = len(heading["level"])
            content = inline_text(heading["text"]).strip()
            following = lines[i + 1] if i + 1 < len(lines) else ""
            runs_on = (
                level >= 3
                and following.strip()
                and not following.lstrip().startswith(("#", "|"))
                and heading_number(content) is None
            )
            if runs_on:
                # A paragraph's first sentence made a heading by the converter.
                if paragraph and blank_before and not breaks_off(paragraph[-1][1], long_line=True):
                    flush()
                run_on = (i + 1, content)
                blank_before = False
                i += 1
                continue
            if content:
                mark: Mark = "title" if level == 1 else "heading"
                items.append(SourceParagraph(text=content, where=Where(line=i + 1), mark=mark))
            blank_before = True
            i += 1
            continue
        stripped = line.strip()
        if not stripped or _RULE.match(line):
            if paragraph and breaks_off(paragraph[-1][1], long_line=True):
                blank_before = True  # a paragraph broken by a page break may go on
            else:
                flush()
                blank_before = True
            i += 1
            continue
        content = _QUOTE.sub("", line, count=1) if stripped.startswith(">") else line
        listed = _LIST.match(content)
        if listed is not None:
            flush()
            content = content[listed.end() :]
        content = inline_text(content).strip()
        if run_on is not None:
            paragraph.append((run_on[0], run_on[1] + content))  # the heading runs on
            run_on = None
        elif content:
            if paragraph and blank_before and not breaks_off(paragraph[-1][1], long_line=True):
                flush()
            paragraph.append((i + 1, content))
        blank_before = False
        i += 1
    if run_on is not None:
        paragraph.append(run_on)
    flush()
    blocks = _blocks(_unmarked_headings(items), notes)
    return SourceDocument(format="markdown", blocks=capped(blocks), notes=tuple(notes))


def _paren_number(text: str) -> int | None:
    numbered = heading_number(text)
    return numbered[1] if numbered is not None and numbered[0] in _BRACKETED else None


_BRACKETED: Final[frozenset[NumberStyle]] = frozenset({"own", "paren-cn", "paren-digit"})


def _unmarked_headings(
    items: list[SourceParagraph | _Piece],
) -> list[SourceParagraph | _Piece]:
    """Return ``items`` with the numbered headings run on into paragraphs split off.

    A paragraph numbered n is a heading run on where the marked heading before
    it is numbered n - 1 and the one after it n + 1 (or is not numbered so).
    """
    headings = [
        (k, _paren_number(item.text))
        for k, item in enumerate(items)
        if isinstance(item, SourceParagraph) and item.mark == "heading"
    ]
    positions = [k for k, _number in headings]
    out: list[SourceParagraph | _Piece] = []
    for k, item in enumerate(items):
        number = _paren_number(item.text) if isinstance(item, SourceParagraph) else None
        if not isinstance(item, SourceParagraph) or item.mark is not None or number is None:
            out.append(item)
            continue
        at = bisect.bisect(positions, k)
        before = headings[at - 1][1] if at else None
        after = headings[at][1] if at < len(headings) else None
        head, stop, rest = item.text.partition("。")
        if (
            before == number - 1
            and after in (number + 1, None)
            and stop
            and rest.strip()
            and len(squash(head)) <= _MAX_RUN_IN
        ):
            out.append(SourceParagraph(text=head + stop, where=item.where, mark="heading"))
            out.append(SourceParagraph(text=rest.strip(), where=item.where))
            continue
        out.append(item)
    return out


def _joined(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Return a paragraph's lines joined where a line breaks off mid-sentence."""
    out: list[tuple[int, str]] = []
    for number, text in lines:
        if out and breaks_off(out[-1][1], long_line=len(squash(out[-1][1])) >= 20):
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((number, text))
    return out


def _heading_before(items: list[SourceParagraph | _Piece]) -> str | None:
    if items and isinstance(items[-1], SourceParagraph) and items[-1].mark == "heading":
        return items[-1].text
    return None


def _is_values(cells: list[str]) -> bool:
    return all(_VALUE.fullmatch(squash(cell)) for cell in cells)


def _blocks(items: list[SourceParagraph | _Piece], notes: list[ParseNote]) -> list[SourceBlock]:
    """Return the blocks, the pieces of a split table put back together (see the docstring)."""
    blocks: list[SourceBlock] = []
    paragraphs = 0
    tables = 0
    k = 0
    while k < len(items):
        item = items[k]
        if isinstance(item, SourceParagraph):
            blocks.append(
                SourceParagraph(
                    text=item.text,
                    where=Where(line=item.where.line, paragraph=paragraphs),
                    mark=item.mark,
                )
            )
            paragraphs += 1
            k += 1
            continue
        # The run of pieces from here, with only headings between them.
        positions = [k]
        j = k + 1
        while j < len(items):
            nxt = items[j]
            if isinstance(nxt, _Piece):
                positions.append(j)
            elif nxt.mark != "heading":
                break
            j += 1
        run = [items[p] for p in positions]
        assert all(isinstance(piece, _Piece) for piece in run)
        pieces = [piece for piece in run if isinstance(piece, _Piece)]
        side = _side_by_side(pieces)
        if side > 1:
            used = side
            table = _joined_across(pieces[:used], tables, notes)
        else:
            used = 1
            while used < len(pieces) and pieces[used].width == pieces[0].width:
                used += 1
            table = _joined_down(pieces[:used], tables, notes)
        end = positions[used - 1]
        for between in items[k + 1 : end]:
            if isinstance(between, SourceParagraph):
                blocks.append(
                    SourceParagraph(
                        text=between.text,
                        where=Where(line=between.where.line, paragraph=paragraphs),
                        mark=between.mark,
                    )
                )
                paragraphs += 1
        blocks.append(table)
        tables += 1
        k = end + 1
    return blocks


def _side_by_side(run: list[_Piece]) -> int:
    """Return how many pieces from the start of ``run`` are parts of one table side by side."""
    first = run[0]
    count = 0
    for piece in run:
        if (
            piece.heading is None
            or len(piece.rows) != 2
            or piece.rows[0][1] != first.rows[0][1]
            or not _is_values(piece.rows[1][1])
            or _is_values(piece.rows[0][1])
        ):
            break
        count += 1
    return count


def _header_lost(cells: list[str]) -> bool:
    values = [cell for cell in cells[1:] if cell]
    return (
        len(values) >= 2
        and sum(bool(_PLACEHOLDER.match(squash(c))) for c in values) >= len(values) - 1
    )


def _joined_down(run: list[_Piece], index: int, notes: list[ParseNote]) -> SourceTable:
    width = max(piece.width for piece in run)
    rows: list[tuple[SourceCell, ...]] = []
    for piece in run:
        for position, (line, cells) in enumerate(piece.rows):
            if position == 0 and _header_lost(cells):
                notes.append(
                    ParseNote(
                        code="header-lost",
                        message="a header row of placeholders (the converter lost the column "
                        "names): not read; the columns are taken in the form's order",
                        where=Where(line=line, table=index, row=len(rows)),
                        text=" | ".join(cells),
                    )
                )
                continue
            padded = cells + [""] * (width - len(cells))
            rows.append(
                tuple(
                    SourceCell(text=text, row=len(rows), column=column, line=line)
                    for column, text in enumerate(padded)
                )
            )
    if len(run) > 1:
        notes.append(
            ParseNote(
                code="table-joined",
                message=f"{len(run)} pipe tables of the same width, one after the other with "
                "only headings between them: read as one table",
                where=Where(line=run[0].line, table=index),
            )
        )
    return SourceTable(
        index=index,
        rows=tuple(rows),
        gridded=True,
        spans_lost=True,
        where=Where(line=run[0].line, table=index),
    )


def _joined_across(run: list[_Piece], index: int, notes: list[ParseNote]) -> SourceTable:
    width = run[0].width
    levels: list[list[str]] = []
    for piece in run:
        assert piece.heading is not None
        qualified = _QUALIFIED.match(piece.heading.strip())
        levels.append(
            [qualified["head"].strip(), qualified["sub"].strip()] if qualified else [piece.heading]
        )
    depth = max(len(parts) for parts in levels)
    rows: list[tuple[SourceCell, ...]] = []
    line = run[0].line
    for level in range(depth):
        slots: list[SourceCell] = []
        for parts in levels:
            text = parts[min(level, len(parts) - 1)]
            cell = SourceCell(text=text, row=len(rows), column=len(slots), colspan=width, line=line)
            slots.extend([cell] * width)
        rows.append(tuple(slots))
    for position in range(2):
        slots = []
        for piece in run:
            line, cells = piece.rows[position]
            padded = cells + [""] * (width - len(cells))
            base = len(slots)
            slots.extend(
                SourceCell(text=text, row=len(rows), column=base + c, line=line)
                for c, text in enumerate(padded)
            )
        rows.append(tuple(slots))
    notes.append(
        ParseNote(
            code="table-joined",
            message=f"{len(run)} pipe tables of one header and one row of values, each under "
            "a heading: read as one table, side by side under their headings",
            where=Where(line=run[0].line, table=index),
            text=" / ".join(piece.heading or "" for piece in run),
        )
    )
    return SourceTable(
        index=index,
        rows=tuple(rows),
        gridded=True,
        spans_lost=True,
        where=Where(line=run[0].line, table=index),
    )
