"""Reading plain text: a report as text taken from its docx, or as gipreport writes it.

The layout is the one :mod:`gipreport._rendering.to_text` writes and text extraction from a
docx gives (the seed report is such a text):

- a paragraph is a line; blank lines (spaces, U+00A0 and U+3000 included) are
  layout;
- a table cell is a line that starts with a tab; the cells of a table row
  follow each other and the row ends at an empty line; a line without a tab
  right after a cell continues that cell (a label broken over lines, "结果" /
  "纠正"); the table ends at two empty lines in a row, or at a line without a
  tab after a row's end. Where a cell stands in the printed grid is not in the
  text (merged cells are an empty cell, or nothing), so text tables are read by
  their labels and by the order of their values;
- a table copied from Word or a spreadsheet into a text editor is one line a
  row, its cells separated by tabs: a line with a tab after its start begins
  such a table, which goes on while lines hold a tab;
- a web page's text as a crawler or a web archive stored it prints a table row
  as its cells each followed by ``|`` ("规章 | 0 | 0 | 0 |"), a merged cell once
  (or in every slot it spans), and pads a row short of the table's width with
  one ``|`` a missing column ("第二十条第(一)项 | ||||"): two or more such lines
  in a row (one empty line between two of them allowed: some archives put one
  after every line) are a *packed* table, read like a tab-separated one, by
  labels and the order of values: a row's blanks are blank values up to its
  last value, the padding after it is dropped, and a row with more values than
  its columns is not read. A single line with ``|`` (a site's navigation,
  "首页 | 政务公开") stays a paragraph, and so does, in gipreport's own layout
  (below), a paragraph or sub-heading holding ``|``.

``[bookmark: _GoBack]`` and other ``[bookmark: …]`` markers are extraction
artefacts: they are removed, with a note.

gipreport's own text layout indents every paragraph by two U+3000 and no
heading, title or signature line. A text laid out so — every indented line
outside the tables indented just so, the first line not — is read by it: an
indented line is a paragraph however it is worded (``（一）加强组织领导`` is
no sub-heading there), and the first line, followed by an empty line, is the
title, worded as one or not.
Without any indented line, a first line followed by the first section's heading
is the title too (nothing else stands there). A report without any paragraph has no
indented line: a text whose first line is set apart by an empty line and whose other
lines (the last two, the signature, aside) are all sections' headings and numbered
lines is read as gipreport's layout, each numbered line a sub-heading however long
or worded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from gipreport._core.errors import ParseError
from gipreport._core.form import FORM_2021
from gipreport._core.limits import MAX_TABLE_SLOTS
from gipreport._reading.labels import squash
from gipreport._reading.numbering import heading_number
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
)
from gipreport._reading.text_flow import is_section_heading, refuse_many_cells
from gipreport._rendering.layout import TEXT_INDENT

__all__ = ["text_source"]

_LINES: Final = re.compile(r"\r\n|\r|\n")
_BOOKMARK: Final = re.compile(r"\[bookmark: [^\]\n]*\]")
_BLANK: Final = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]*\Z")
_OWN_INDENT: Final = re.compile(f"{TEXT_INDENT}\\S")


def text_source(text: str) -> SourceDocument:
    """Return the blocks of a report given as plain text (see the module docstring)."""
    refuse_many_cells(text)
    text = text.removeprefix("\ufeff")
    notes: list[ParseNote] = []
    lines = _LINES.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines):
        if "[bookmark: " in line:
            cleaned = _BOOKMARK.sub("", line)
            if cleaned != line:
                notes.append(
                    ParseNote(
                        code="artefact",
                        message="a bookmark marker left by text extraction: removed",
                        where=Where(line=number + 1),
                        text=line,
                    )
                )
                lines[number] = cleaned
    blocks = capped(_blocks(lines, notes))
    return SourceDocument(format="text", blocks=blocks, notes=tuple(notes))


def _is_pipe_row(line: str) -> bool:
    """Return whether ``line`` is a pipe-separated table row: some text, then a ``|``."""
    body = line.lstrip().removeprefix("|")
    bar = body.find("|")
    return bar > 0 and "\t" not in line and bool(body[:bar].strip())


def _next_pipe_row(lines: list[str], after: int) -> int | None:
    """Return the line of the pipe row after line ``after`` (one empty line may come between)."""
    for k in (after + 1, after + 2):
        if k < len(lines) and _is_pipe_row(lines[k]):
            return k
        if k >= len(lines) or not _BLANK.match(lines[k]):
            return None
    return None


def _starts_pipe_table(lines: list[str], at: int, marks: dict[int, Mark]) -> bool:
    """Return whether line ``at`` starts a table of pipe-separated rows.

    In gipreport's own layout a paragraph (indented) is never a table row, however
    many ``|`` it holds, nor is a sub-heading followed by one.
    """
    if marks.get(at) == "body" or not _is_pipe_row(lines[at]):
        return False
    after = _next_pipe_row(lines, at)
    if after is None or marks.get(after) == "body":
        return False
    return marks.get(at) != "heading" or after not in marks


def _prose_lines(lines: list[str]) -> Iterator[int]:
    """Yield the positions of the lines outside tables that show text."""
    in_table = False
    for number, line in enumerate(lines):
        if line.startswith("\t") or "\t" in line:
            in_table = True
        elif line == "":
            continue  # a table goes on after an empty line, or ends
        elif in_table and not _BLANK.match(line) and number and lines[number - 1] != "":
            continue  # a cell's text going on
        else:
            in_table = False
            if not _BLANK.match(line):
                yield number


_SECTION_HEADINGS: Final = frozenset(squash(spec.heading) for spec in FORM_2021.sections)


def _heads_a_section(line: str) -> bool:
    return squash(line) in _SECTION_HEADINGS or is_section_heading(line)


def _headings_only(lines: list[str], prose: list[int]) -> bool:
    """Return whether the text is gipreport's layout of a report without any paragraph.

    There no line is indented: the first is the title, set apart by an empty line,
    and every other (the last two aside: the organ and the date signing it) is a
    section's heading or a numbered sub-heading, however it is worded.
    """
    if len(prose) < 2 or prose[0] + 1 >= len(lines) or not _BLANK.match(lines[prose[0] + 1]):
        return False
    middle = [lines[number] for number in prose[1:-2]]
    return (
        bool(middle)
        and _heads_a_section(middle[0])
        and all(_heads_a_section(line) or heading_number(line) for line in middle)
        and any(not _heads_a_section(line) for line in middle)
    )


def _layout_marks(lines: list[str]) -> dict[int, Mark]:
    """Return what gipreport's text layout says lines are (see the module docstring)."""
    prose = list(_prose_lines(lines))
    if not prose or lines[prose[0]][:1].isspace():
        return {}
    indented = [number for number in prose if lines[number][:1].isspace()]
    if not indented:
        if _headings_only(lines, prose):
            headings: dict[int, Mark] = {
                number: "heading"
                for number in prose[1:]
                if heading_number(lines[number]) and not _heads_a_section(lines[number])
            }
            return {**headings, prose[0]: "title"}
        if len(prose) > 1 and _heads_a_section(lines[prose[1]]):
            return {prose[0]: "title"}
        return {}
    if not all(_OWN_INDENT.match(lines[number]) for number in indented):
        return {}
    marks: dict[int, Mark] = dict.fromkeys(indented, "body")
    # Not indented, numbered and not a section's heading: a sub-heading, however
    # it is worded ("（一）:" too), as a marked-up page's <h3> is.
    for number in prose:
        line = lines[number]
        if number not in marks and heading_number(line) and not _heads_a_section(line):
            marks[number] = "heading"
    if prose[0] + 1 < len(lines) and _BLANK.match(lines[prose[0] + 1]):
        marks[prose[0]] = "title"  # the first line, set apart by an empty line
    return marks


def _blocks(lines: list[str], notes: list[ParseNote]) -> Iterator[SourceBlock]:
    paragraphs = 0
    tables = 0
    marks = _layout_marks(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if _starts_pipe_table(lines, i, marks):
            if not any(note.code == "source-kind" for note in notes):
                notes.append(
                    ParseNote(
                        code="source-kind",
                        message="table rows with their cells separated by '|' (a web page's "
                        "text as a crawler or archive stored it): read by their labels and "
                        "the order of their values",
                        where=Where(line=i + 1),
                        text=line,
                    )
                )
            table, i = _pipe_separated(lines, i, tables)
            yield table
            tables += 1
            continue
        if "\t" in line[1:]:
            table, i = _tab_separated(lines, i, tables)
            yield table
            tables += 1
            continue
        if line.startswith("\t"):
            table, i = _table(lines, i, tables)
            yield table
            tables += 1
            continue
        if not _BLANK.match(line):
            mark = marks.get(i)
            text = line.removeprefix(TEXT_INDENT) if mark == "body" else line
            where = Where(line=i + 1, paragraph=paragraphs)
            yield SourceParagraph(text=text, where=where, mark=mark)
            paragraphs += 1
        i += 1


def _tab_separated(lines: list[str], start: int, index: int) -> tuple[SourceTable, int]:
    """Return the tab-separated table starting at line ``start``, and the line after it."""
    rows: list[tuple[SourceCell, ...]] = []
    i = start
    while i < len(lines) and "\t" in lines[i]:
        rows.append(
            tuple(
                SourceCell(text=text, row=len(rows), column=column, line=i + 1)
                for column, text in enumerate(lines[i].split("\t"))
            )
        )
        i += 1
    table = SourceTable(
        index=index, rows=tuple(rows), gridded=False, where=Where(line=start + 1, table=index)
    )
    return table, i


def _pipe_cells(line: str) -> list[str]:
    """Return a pipe-separated row's cells: the text before each ``|``, and what follows the last.

    The padding of a short row ("…| ||||") is blank cells; what follows the last
    ``|`` is a cell only where it is not blank (a row cut off mid-way).
    """
    parts = [part.strip() for part in line.strip().removeprefix("|").split("|")]
    if parts and not parts[-1]:
        parts.pop()
    return parts


def _pipe_separated(lines: list[str], start: int, index: int) -> tuple[SourceTable, int]:
    """Return the pipe-separated table starting at line ``start``, and the line after it."""
    rows: list[tuple[SourceCell, ...]] = []
    i = start
    slots = 0
    while True:
        slots += lines[i].count("|") + 1
        if slots > MAX_TABLE_SLOTS:
            msg = f"the table has over {MAX_TABLE_SLOTS:,} cells: not a report's table"
            raise ParseError(msg, str(Where(line=start + 1)))
        rows.append(
            tuple(
                SourceCell(text=text, row=len(rows), column=column, line=i + 1)
                for column, text in enumerate(_pipe_cells(lines[i]))
            )
        )
        following = _next_pipe_row(lines, i)
        if following is None:
            i += 1
            break
        i = following
    table = SourceTable(
        index=index,
        rows=tuple(rows),
        gridded=False,
        packed=True,
        where=Where(line=start + 1, table=index),
    )
    return table, i


def _table(lines: list[str], start: int, index: int) -> tuple[SourceTable, int]:
    """Return the table starting at line ``start`` (0-based) and the line after it."""
    rows: list[tuple[SourceCell, ...]] = []
    row: list[tuple[int, list[str]]] = []  # each cell's first line and its lines so far

    def end_row() -> None:
        cells = (
            SourceCell(text="\n".join(texts), row=len(rows), column=column, line=line)
            for column, (line, texts) in enumerate(row)
        )
        rows.append(tuple(cells))
        row.clear()

    i = start
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            row.append((i + 1, [line[1:]]))
        elif line == "":
            if row:
                end_row()
            if i + 1 >= len(lines) or lines[i + 1] == "" or not lines[i + 1].startswith("\t"):
                i += 1
                if i < len(lines) and lines[i] == "":
                    i += 1
                break
        elif row:
            # A line without a tab right after a cell: the cell goes on (its lines are
            # joined once, at the end of the row, so a long cell costs linear time).
            row[-1][1].append(line)
        else:
            break
        i += 1
    if row:
        end_row()
    table = SourceTable(
        index=index, rows=tuple(rows), gridded=False, where=Where(line=start + 1, table=index)
    )
    return table, i
