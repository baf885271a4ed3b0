"""A published report as read from its file, before it is understood.

Each reader (docx, HTML, text) turns its input into a :class:`SourceDocument`:
the paragraphs, tables and images in reading order, with where each is in the
source. What the blocks *mean* — title, sections, which table row is which — is
decided once, for every input format, by :mod:`gipreport._reading.assemble`.

The public results of reading are defined here too: :class:`ParseNote` (one
thing in the source that was odd or could not be read, and where) and
:class:`ParseResult` (the report and its notes).
"""

from __future__ import annotations

from typing import Final, Literal

import attrs

from gipreport._core.model import Report

__all__ = [
    "NOTE_CODES",
    "InputFormat",
    "Mark",
    "NoteCode",
    "ParseNote",
    "ParseResult",
    "SourceBlock",
    "SourceCell",
    "SourceDocument",
    "SourceImage",
    "SourceKind",
    "SourceParagraph",
    "SourceTable",
    "Where",
]

InputFormat = Literal["docx", "html", "text", "markdown", "json"]
"""The input formats :func:`gipreport.read` understands."""

SourceKind = Literal["docx", "html", "json", "text", "markdown", "layout-text"]
"""What kind of source a report was read from, told apart by its content.

The input format, and for text how it is laid out: ``"text"`` as gipreport
writes it (or as a docx's text, tables as tab-separated cells), ``"markdown"``
(a conversion: headings, pipe tables) and ``"layout-text"`` (a PDF's text with
its table columns as runs of spaces, as ``pdftotext -layout`` writes it)."""

NoteCode = Literal[
    "artefact",
    "blank-cell",
    "column-missing",
    "column-unknown",
    "date-unreadable",
    "duplicate-row",
    "encoding",
    "extra-cells",
    "extra-text",
    "header-lost",
    "label-variant",
    "missing-cells",
    "not-a-number",
    "organ-differs",
    "page-furniture",
    "row-missing",
    "row-unknown",
    "section-missing",
    "section-number",
    "signature-missing",
    "source-kind",
    "table-image",
    "table-joined",
    "table-missing",
    "table-unknown",
    "title-missing",
    "unit",
    "year-inferred",
]
"""The kinds of note reading a report can give; see :data:`NOTE_CODES`."""

NOTE_CODES: Final[dict[NoteCode, str]] = {
    "artefact": "text that is an artefact of how the file was made (a bookmark "
    "marker, a stray control character), removed",
    "blank-cell": 'a value cell left blank ("", "/", "—", "-", "无", …): read as blank, never 0',
    "column-missing": "a column of the form the source table does not have: its cells are blank",
    "column-unknown": "a source table column whose header matches no column of the form: not read",
    "date-unreadable": "a date of issue under the signature that is not a date",
    "duplicate-row": "a row of the form given twice: the first is kept",
    "encoding": "bytes decoded with another encoding than UTF-8",
    "extra-cells": "a row with more values than the form has columns: the extra ones are not read",
    "extra-text": "text where the form has none (between tables, after the signature): not read",
    "header-lost": "a table header whose column names a conversion lost (placeholders "
    "such as 数据1, 数据2): not read; the columns are taken in the form's order",
    "label-variant": "a row or column recognised from a label that differs from the form's "
    "in more than spacing, punctuation or script",
    "missing-cells": "a row with fewer values than the form has columns: its cells are blank",
    "not-a-number": "a value cell that is not a number the cell can hold: read as blank",
    "organ-differs": "the organ in the signature and the one in the title differ",
    "page-furniture": "a page number or running header printed between the lines "
    '("-1-", "— 3 —", "第 2 页 共 6 页", the title repeated on each page): removed',
    "row-missing": "a row of the form the source table does not have: its cells are blank",
    "row-unknown": "a source table row whose label matches no row of the form: not read",
    "section-missing": "one of the six sections not found: its prose is empty",
    "section-number": "a section heading with another number than the form gives it",
    "signature-missing": "no signature (organ and date of issue) after the last section",
    "source-kind": "the kind of text the source is (markdown, PDF text with columns as "
    "spaces), told from its content",
    "table-image": "a picture where a table should be: the table may be published as an image",
    "table-missing": "one of the three tables not found: its cells are blank",
    "table-joined": "pieces of one table a conversion split (under headings, or over "
    "pages) read as one table",
    "table-unknown": "a table that is none of the form's three: not read",
    "title-missing": "no title before the first section",
    "unit": 'a value written with a unit ("万元", "元", "件"): the number is read in the '
    "form's unit",
    "year-inferred": "the year reported on is not in the title: taken from elsewhere",
}
"""Every note code, with what it means."""


@attrs.frozen(kw_only=True)
class Where:
    """Where something is in a source; each part is ``None`` where it does not apply.

    ``line`` is 1-based (text and HTML); ``paragraph`` is the 0-based index of a
    paragraph among the source's paragraphs; ``table``, ``row`` and ``column``
    are 0-based: the table among the source's tables, and the grid slot in it
    (for text, ``column`` is the cell's index in its row as written).
    """

    line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.table is not None:
            parts.append(f"table {self.table + 1}")
            if self.row is not None:
                parts.append(f"row {self.row + 1}")
            if self.column is not None:
                parts.append(f"column {self.column + 1}")
        elif self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph + 1}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts) or "the document"


Mark = Literal["title", "heading", "signature"]
"""What a source's own markup says a paragraph is: the title (docx ``Title``
style, HTML ``<h1>``), a heading (a docx heading style, HTML ``<h2>``–``<h6>``),
or part of the signature (right-aligned, or in an HTML ``<footer>``)."""


@attrs.frozen(kw_only=True)
class SourceParagraph:
    """One paragraph of a source, its text exactly as written there."""

    text: str
    where: Where
    mark: Mark | None = None


@attrs.frozen(kw_only=True)
class SourceCell:
    """One table cell of a source: its text and the slot it starts at.

    In a gridded table ``row``/``column`` are the top-left grid slot and the
    spans are the cell's merges; in a text table they are the row and the
    cell's index in it, and the spans are 1.
    """

    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1
    line: int | None = None


@attrs.frozen(kw_only=True)
class SourceTable:
    """One table of a source.

    ``gridded``: every row has the same number of slots and a merged cell is
    the same :class:`SourceCell` in every slot it covers (HTML ``rowspan``/
    ``colspan``, docx ``gridSpan``/``vMerge`` resolved). Not gridded (text): each
    row is the cells as written, where a cell's column is not known.
    """

    index: int
    rows: tuple[tuple[SourceCell, ...], ...]
    gridded: bool
    where: Where
    caption: str = ""
    """The table's own caption (HTML ``<caption>``), if it has one."""


@attrs.frozen(kw_only=True)
class SourceImage:
    """A picture in the flow of a source (a table is sometimes published as one)."""

    where: Where


SourceBlock = SourceParagraph | SourceTable | SourceImage


@attrs.frozen(kw_only=True)
class ParseNote:
    """One thing in a source that was odd or could not be read as it stands.

    ``code`` is one of :data:`NOTE_CODES`; ``where`` says where in the source
    (``str(note.where)`` reads "table 2, row 5, column 4, line 130");
    ``text`` is the raw source text concerned; ``path`` the report field or
    cell it concerns, as a JSON path, where there is one.
    """

    code: NoteCode
    message: str
    where: Where = attrs.field(factory=Where)
    text: str = ""
    path: str | None = None

    def __str__(self) -> str:
        about = f" [{self.path}]" if self.path else ""
        raw = f": {self.text!r}" if self.text else ""
        return f"{self.where}{about}: {self.code}: {self.message}{raw}"


@attrs.frozen(kw_only=True)
class SourceDocument:
    """A source as blocks in reading order, with the notes made while reading the file."""

    format: InputFormat
    blocks: tuple[SourceBlock, ...]
    notes: tuple[ParseNote, ...] = ()
    kind: SourceKind = attrs.field()
    """The kind of source (:data:`SourceKind`); by default its format."""

    @kind.default
    def _kind_of_format(self) -> SourceKind:
        return self.format


@attrs.frozen(kw_only=True)
class ParseResult:
    """A report read from a published source, and what could not be read as it stands.

    ``format`` is the input format read (``"docx"``, ``"html"``, ``"text"``,
    ``"markdown"`` or ``"json"``); ``kind`` says more of a text source, as its
    content showed it (:data:`SourceKind`: ``"layout-text"`` for a PDF's text
    with its columns as spaces, …); ``notes`` are in the order they were found,
    which follows the source (notes on what is missing come last).
    """

    report: Report
    notes: tuple[ParseNote, ...]
    format: InputFormat
    kind: SourceKind = attrs.field()

    @kind.default
    def _kind_of_format(self) -> SourceKind:
        return self.format

    @property
    def ok(self) -> bool:
        """Return whether the source read with no note at all."""
        return not self.notes

    def notes_for(self, code: NoteCode) -> tuple[ParseNote, ...]:
        """Return the notes with one code."""
        return tuple(note for note in self.notes if note.code == code)
