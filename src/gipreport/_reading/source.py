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

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, Literal

import attrs

from gipreport._core.errors import ParseError
from gipreport._core.form import FORMATS, SubheadingStyle
from gipreport._core.limits import MAX_PARAGRAPHS, MAX_TABLES
from gipreport._core.model import NON_BLANK, CellValue, Prose, Report, report_with_cells
from gipreport._core.values import Value, draft_class

__all__ = [
    "NOTE_CODES",
    "NOTE_SEVERITIES",
    "CellPlace",
    "InputFormat",
    "Mark",
    "NoteCode",
    "NoteSeverity",
    "ParseNote",
    "ParseResult",
    "PartialReadError",
    "PartialReading",
    "Places",
    "SourceBlock",
    "SourceCell",
    "SourceDocument",
    "SourceImage",
    "SourceKind",
    "SourceParagraph",
    "SourceTable",
    "Where",
    "new_cell",
    "new_note",
    "new_where",
    "one_line",
    "positions_if_few",
    "text_lines",
]

InputFormat = Literal["docx", "html", "text", "markdown", "json", "pdf", "xlsx"]
"""The input formats :func:`gipreport.read` understands."""

SourceKind = Literal[
    "docx", "html", "json", "text", "markdown", "layout-text", "lines-text", "pdf", "xlsx"
]
"""What kind of source a report was read from, told apart by its content.

The input format, and for text how it is laid out: ``"text"`` as gipreport
writes it (or as a docx's text, tables as tab-separated cells), ``"markdown"``
(a conversion: headings, pipe tables), ``"layout-text"`` (a PDF's text with
its table columns as runs of spaces, as ``pdftotext -layout`` writes it) and
``"lines-text"`` (text with each table cell on a line of its own, as other PDF
extractors, crawlers and copy-paste from a web page give it)."""

NoteCode = Literal[
    "artefact",
    "bidi-control",
    "blank-cell",
    "column-missing",
    "column-unknown",
    "date-inferred",
    "date-unreadable",
    "duplicate-row",
    "encoding",
    "excess-values",
    "extra-cells",
    "extra-text",
    "formula-uncached",
    "header-lost",
    "font-unmapped",
    "label-value",
    "label-variant",
    "missing-cells",
    "not-a-number",
    "organ-differs",
    "organ-given",
    "organ-inferred",
    "page-furniture",
    "row-missing",
    "row-unknown",
    "rows-merged",
    "section-missing",
    "section-number",
    "signature-missing",
    "source-kind",
    "spans-ambiguous",
    "table-image",
    "table-joined",
    "table-missing",
    "table-unruled",
    "table-unknown",
    "table-unread",
    "title-missing",
    "unit",
    "year-differs",
    "year-given",
    "year-inferred",
]
"""The kinds of note reading a report can give; see :data:`NOTE_CODES`."""

NOTE_CODES: Final[dict[NoteCode, str]] = {
    "artefact": "text that is an artefact of how the file was made (a bookmark "
    "marker, a stray control character), removed",
    "bidi-control": "text holding a control that reorders how it is shown (U+202E RIGHT-TO-LEFT "
    "OVERRIDE and the other bidirectional controls): kept as written, but a viewer may show "
    "it in another order than it is read",
    "blank-cell": 'a value cell left blank ("", "/", "—", "-", "无", …): read as blank, never 0',
    "column-missing": "a column of the form the source table does not have: its cells are blank",
    "column-unknown": "a source table column whose header matches no column of the form: not read",
    "date-inferred": "no date of issue under the signature: taken from the web page's "
    "metadata (发文日期, 发布时间, …)",
    "date-unreadable": "a date of issue under the signature that is not a date",
    "duplicate-row": "a row of the form given twice: the first is kept",
    "encoding": "bytes decoded with another encoding than UTF-8",
    "excess-values": "a row of a table printed a value a line with more values between its "
    "label and the next than it has columns (a label between them not recognised): which "
    "is which cannot be told, so the row is read as blank; the note has the values",
    "extra-cells": "a row with more values than the form has columns: the extra ones are not read",
    "spans-ambiguous": "a row of a table whose merged cells a converter repeated in each column "
    "they span or left empty there (markdown): its values fit more than one way, or none, of "
    "laying them on the form's grid, so which is which cannot be told and the row is read as "
    "blank; the note has the row's cells",
    "extra-text": "text where the form has none (between tables, after the signature, a web "
    "page's chrome and metadata): not read",
    "formula-uncached": "a spreadsheet formula with no value saved with it (the file was "
    "never opened and saved by Excel, WPS or LibreOffice): read as blank, never computed; "
    "``gipreport fill`` writes the totals",
    "header-lost": "a table header whose column names a conversion lost (placeholders "
    "such as 数据1, 数据2): not read; the columns are taken in the form's order",
    "font-unmapped": "PDF text whose font does not map it to Unicode (private-use "
    "characters, (cid:NN)): read as it stands, and likely wrong",
    "label-value": 'a row label and its values in one cell, set apart by spaces ("行政许可 97"): '
    "read as the label and its values",
    "label-variant": "a row, column or section heading recognised from a label that differs "
    "from the form's in more than spacing, punctuation or script",
    "missing-cells": "a row with fewer values than the form has columns: its cells are blank",
    "not-a-number": "a value cell that is not a number the cell can hold: read as blank",
    "organ-differs": "the organ named in two places differs (the signature and the title, or "
    "the source and the caller): the one said is kept",
    "organ-given": "the source does not name its organ: the one the caller gave is used",
    "organ-inferred": "no organ in the signature or the title: taken from elsewhere (the "
    "page's metadata, the preamble, a full name for the title's abbreviation)",
    "page-furniture": "a page number or running header printed between the lines "
    '("-1-", "— 3 —", "第 2 页 共 6 页", the title repeated on each page): removed',
    "row-missing": "a row of the form the source table does not have: its cells are blank",
    "row-unknown": "a source table row whose label matches no row of the form: not read",
    "rows-merged": "rows of the form printed as one row (（六）其他处理 without its three rows, "
    "as in the 2019 format): the value cannot be split, so the form's rows stay blank",
    "section-missing": "one of the six sections not found: its prose is empty",
    "section-number": "a section heading with another number than the form gives it",
    "signature-missing": "no signature (organ and date of issue) after the last section",
    "source-kind": "the kind of text the source is (markdown, PDF text with columns as "
    "spaces, text with a value a line), told from its content",
    "table-image": "a picture where a table should be: the table may be published as an image",
    "table-missing": "one of the three tables not found: its cells are blank",
    "table-joined": "pieces of one table a conversion split (under headings, or over "
    "pages) read as one table",
    "table-unruled": "a PDF whose tables are drawn without ruling lines: read by the "
    "columns its text stands in",
    "table-unknown": "a table that is none of the form's three: not read",
    "table-unread": "one of the three tables found, but no row of it could be read: its cells "
    "are blank",
    "title-missing": "no title before the first section",
    "unit": 'a value written with a unit ("万元", "元", "件"): the number is read in the '
    "form's unit",
    "year-differs": "the year stated in two places differs (the title and the line under it "
    "that states the year, （2023年度）, or the source and the caller): the line's, or the "
    "caller's, is kept",
    "year-given": "the source does not state the year reported on: the one the caller gave is used",
    "year-inferred": "the year reported on is not in the title: taken from elsewhere",
}
"""Every note code, with what it means."""

NoteSeverity = Literal["error", "warning", "info"]
"""How much a note matters: ``"error"`` — a table of the form was lost (not found,
or no row of it read), so the reading is incomplete and ``gipreport check`` fails
it; ``"warning"`` — a value or text was not read as printed (a cell, a row, a
section); ``"info"`` — read, but printed otherwise than the form prints it."""

NOTE_SEVERITIES: Final[Mapping[NoteCode, NoteSeverity]] = {
    "artefact": "info",
    "bidi-control": "warning",
    "blank-cell": "info",
    "column-missing": "warning",
    "column-unknown": "warning",
    "date-inferred": "info",
    "date-unreadable": "warning",
    "duplicate-row": "warning",
    "encoding": "info",
    "excess-values": "warning",
    "spans-ambiguous": "warning",
    "extra-cells": "warning",
    "extra-text": "info",
    "font-unmapped": "warning",
    "formula-uncached": "info",
    "header-lost": "warning",
    "label-value": "info",
    "label-variant": "info",
    "missing-cells": "warning",
    "not-a-number": "warning",
    "organ-differs": "warning",
    "organ-given": "info",
    "organ-inferred": "info",
    "page-furniture": "info",
    "row-missing": "warning",
    "row-unknown": "warning",
    "rows-merged": "warning",
    "section-missing": "warning",
    "section-number": "info",
    "signature-missing": "info",
    "source-kind": "info",
    "table-image": "error",
    "table-joined": "info",
    "table-missing": "error",
    "table-unruled": "info",
    "table-unknown": "warning",
    "table-unread": "error",
    "title-missing": "info",
    "unit": "info",
    "year-differs": "warning",
    "year-given": "info",
    "year-inferred": "info",
}
"""The severity of each note code (:data:`NoteSeverity`)."""


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Where(Value):
    """Where something is in a source; each part is ``None`` where it does not apply.

    ``line`` is 1-based (text and HTML); ``paragraph`` is the 0-based index of a
    paragraph among the source's paragraphs; ``table``, ``row`` and ``column``
    are 0-based: the table among the source's tables, and the grid slot in it
    (for text, ``column`` is the cell's index in its row as written).
    ``form_table`` is the form's number of that table (2, 3 or 4, as the form
    and these documents number them) once it is recognised as one of the form's.

    For a PDF, ``page`` is the 1-based page and ``bbox`` the box on it (x0, top,
    x1, bottom in points from the page's top left). For a spreadsheet, ``sheet``
    is the sheet's name and ``cell`` the cell's reference on it (``B7``).

    As text, a recognised table is named by the form's number ("table 3, row 5,
    column 4, line 130"), any other by its place in the source ("source table 5").

    >>> str(Where(table=2, form_table=3, row=4, column=3, page=3, bbox=(77.0, 410.5, 230.9, 436.0)))
    'table 3, row 5, column 4, page 3'
    """

    line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    form_table: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.table is not None:
            if self.form_table is not None:
                parts.append(f"table {self.form_table}")
            else:
                parts.append(f"source table {self.table + 1}")
            if self.row is not None:
                parts.append(f"row {self.row + 1}")
            if self.column is not None:
                parts.append(f"column {self.column + 1}")
        elif self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph + 1}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet}" + (f" cell {self.cell}" if self.cell else ""))
        return ", ".join(parts) or "the document"


Mark = Literal["title", "heading", "signature", "body"]
"""What a source's own markup says a paragraph is: the title (docx ``Title``
style, HTML ``<h1>``), a heading (a docx heading style, HTML ``<h2>``–``<h6>``),
part of the signature (right-aligned, or in an HTML ``<footer>``), or a body
paragraph that is never a heading, however it is numbered (in gipreport's own
text layout, a paragraph indented by two U+3000)."""


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SourceParagraph(Value):
    """One paragraph of a source, its text exactly as written there."""

    text: str
    where: Where
    mark: Mark | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SourceCell(Value):
    """One table cell of a source: its text and the slot it starts at.

    In a gridded table ``row``/``column`` are the top-left grid slot and the
    spans are the cell's merges; in a text table they are the row and the
    cell's index in it, and the spans are 1. A PDF's cells say their ``page``
    and ``bbox`` (as :class:`Where`).
    """

    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1
    line: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


_new: Final = object.__new__
_DRAFT_WHERE: Final = draft_class(Where)
_DRAFT_CELL: Final = draft_class(SourceCell)


def new_where(  # noqa: PLR0917 - a Where's parts, in order
    line: int | None,
    paragraph: int | None,
    table: int | None,
    row: int | None,
    column: int | None,
    form_table: int | None,
    page: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> Where:
    """Return ``Where(line=line, …, bbox=bbox)`` (no sheet), made as a draft.

    The readers make one for every paragraph, table and value; made as a
    :func:`~gipreport._core.values.draft_class` is, it costs a third of what setting
    each slot through its ``__set__`` did, a sixth of the class's keyword
    ``__init__``, and is an equal value (``tests/test_read_caches.py``).
    """
    where: Any = _new(_DRAFT_WHERE)
    where.line = line
    where.paragraph = paragraph
    where.table = table
    where.row = row
    where.column = column
    where.form_table = form_table
    where.page = page
    where.bbox = bbox
    where.sheet = None
    where.cell = None
    where.__class__ = Where
    return where  # type: ignore[no-any-return]


def new_cell(  # noqa: PLR0917 - a cell's parts, in order
    text: str, row: int, column: int, rowspan: int, colspan: int, line: int | None
) -> SourceCell:
    """Return ``SourceCell(text=text, …, line=line)`` (no page), made as a draft.

    As :func:`new_where`: for the readers' many cells (the HTML reader makes its
    common ones as this does, without the call: ``from_html._grid``).
    """
    cell: Any = _new(_DRAFT_CELL)
    cell.text = text
    cell.row = row
    cell.column = column
    cell.rowspan = rowspan
    cell.colspan = colspan
    cell.line = line
    cell.page = None
    cell.bbox = None
    cell.__class__ = SourceCell
    return cell  # type: ignore[no-any-return]


CellPlace = tuple[SourceCell, int, int | None]
"""A value's place not yet made a :class:`Where`: its source cell, the source's index of its
table and the form's number of that table (``None`` if not yet known)."""


class Places(Mapping[str, Where]):
    """Where each cell read is in the source, by its JSON path: a read-only mapping.

    The type of :attr:`ParseResult.places`. A reader keeps a value read from a table
    as its cell and table (:data:`CellPlace`), and the :class:`Where` is made when
    it is first looked up, then kept: a page's hundreds of values would otherwise
    cost as many objects that a check of a batch, which looks up only its findings'
    cells, never looks at. Equal to any mapping of the same places (as a ``dict``
    is); pickled as the places themselves.
    """

    __slots__ = ("_places",)

    def __init__(self, places: Mapping[str, Where | CellPlace] | None = None) -> None:
        raw = places._places if isinstance(places, Places) else places
        self._places: dict[str, Where | CellPlace] = dict(raw) if raw else {}
        """Each place, a :class:`Where` or a :data:`CellPlace`: the readers write here."""

    def __getitem__(self, path: str) -> Where:
        place = self._places[path]
        if isinstance(place, tuple):
            cell, table, form_table = place
            place = self._places[path] = new_where(
                cell.line, None, table, cell.row, cell.column, form_table, cell.page, cell.bbox
            )
        return place

    def get(self, path: str, default: Any = None) -> Any:
        return self[path] if path in self._places else default

    def __contains__(self, path: object) -> bool:
        return path in self._places

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def __repr__(self) -> str:
        return f"Places({dict(self.items())!r})"

    def __reduce__(self) -> tuple[type[Places], tuple[dict[str, Where]]]:
        return (Places, (dict(self.items()),))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SourceTable(Value):
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
    counted: bool = False
    """Its rows were told apart by counting values (text with a value a line): a
    row's values are read only when they are exactly as many as its columns."""
    packed: bool = False
    """Its rows are each printed row's cells in order, a merged cell once, and
    blank cells after them only to pad the row to the table's width (a crawler's
    pipe-separated text): a row's leading blanks are blank values, not a merged
    label's slots, and a row with more values than its columns is not read (a
    merged cell printed in each slot it spans cannot be told from two values)."""
    spans_lost: bool = False
    """Gridded, but its merges lost (markdown): a merged cell is a cell of its own
    in each slot it spans, its text repeated there or left empty, so where the
    form spans a value otherwise than its header the slots alone do not say which
    value a slot holds."""


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SourceImage(Value):
    """A picture in the flow of a source (a table is sometimes published as one)."""

    where: Where


SourceBlock = SourceParagraph | SourceTable | SourceImage


def positions_if_few(text: str, char: str, most: int) -> list[int] | None:
    r"""Return where ``char`` stands in ``text`` if it does at most ``most`` times, else ``None``.

    Each is found at memory speed (a search for one character), where a search of a
    page for two or more characters (``"\n#"``, ``"&#"``) runs at about a character a
    nanosecond: the readers look at a page's few ``#`` or ``&`` this way, and search
    the text as such only where there are more.
    """
    found: list[int] = []
    at = text.find(char)
    while at >= 0:
        if len(found) == most:
            return None
        found.append(at)
        at = text.find(char, at + 1)
    return found


def capped(blocks: Iterable[SourceBlock]) -> tuple[SourceBlock, ...]:
    """Return ``blocks`` as a tuple, raising :class:`ParseError` past the caps on their number.

    At most :data:`~gipreport._core.limits.MAX_PARAGRAPHS` paragraphs and
    :data:`~gipreport._core.limits.MAX_TABLES` tables: reading a report costs time
    for each, and no report has nearly so many. The count is kept as the blocks
    come, so a reader stops early on a source made of nothing but tiny blocks.
    """
    kept: list[SourceBlock] = []
    paragraphs = tables = 0
    for block in blocks:
        if isinstance(block, SourceParagraph):
            paragraphs += 1
            if paragraphs > MAX_PARAGRAPHS:
                msg = f"more than {MAX_PARAGRAPHS:,} paragraphs: not a report"
                raise ParseError(msg, str(block.where))
        elif isinstance(block, SourceTable):
            tables += 1
            if tables > MAX_TABLES:
                msg = f"more than {MAX_TABLES:,} tables: not a report"
                raise ParseError(msg, str(block.where))
        kept.append(block)
    return tuple(kept)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ParseNote(Value):
    """One thing in a source that was odd or could not be read as it stands.

    ``code`` is one of :data:`NOTE_CODES`; ``where`` says where in the source
    (``str(note.where)`` reads "table 3, row 5, column 4, line 130", the table
    numbered as the form numbers it);
    ``text`` is the raw source text concerned; ``path`` the report field or
    cell it concerns, as a JSON path, where there is one.
    """

    code: NoteCode
    message: str
    where: Where = attrs.field(factory=Where)
    text: str = ""
    path: str | None = None

    @property
    def severity(self) -> NoteSeverity:
        """Return how much the note matters (:data:`NOTE_SEVERITIES`)."""
        return NOTE_SEVERITIES[self.code]

    def __str__(self) -> str:
        about = f" [{self.path}]" if self.path else ""
        raw = f": {self.text!r}" if self.text else ""
        level = "error: " if self.severity == "error" else ""
        return f"{self.where}{about}: {level}{self.code}: {self.message}{raw}"


_DRAFT_NOTE: Final = draft_class(ParseNote)


def new_note(code: NoteCode, message: str, where: Where, text: str, path: str | None) -> ParseNote:
    """Return ``ParseNote(code=code, …, path=path)``, made as a draft.

    As :func:`new_where`: for the notes of the many cells a source leaves blank.
    """
    note: Any = _new(_DRAFT_NOTE)
    note.code = code
    note.message = message
    note.where = where
    note.text = text
    note.path = path
    note.__class__ = ParseNote
    return note  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SourceDocument(Value):
    """A source as blocks in reading order, with the notes made while reading the file."""

    format: InputFormat
    blocks: tuple[SourceBlock, ...]
    notes: tuple[ParseNote, ...] = ()
    kind: SourceKind = attrs.field()
    """The kind of source (:data:`SourceKind`); by default its format."""

    @kind.default
    def _kind_of_format(self) -> SourceKind:
        return self.format


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ParseResult(Value):
    """A report read from a published source, and what could not be read as it stands.

    ``format`` is the input format read (``"docx"``, ``"pdf"``, ``"html"``,
    ``"text"``, ``"markdown"`` or ``"json"``); ``kind`` says more of a text source, as its
    content showed it (:data:`SourceKind`: ``"layout-text"`` for a PDF's text
    with its columns as spaces, …); ``notes`` are in the order they were found,
    which follows the source (notes on what is missing come last).

    ``places`` says where each table cell that was read from a source cell is
    in the source, keyed by the cell's JSON path (as notes and findings name
    cells: ``"applications.new.natural_persons"``): the page and bounding box
    in a PDF, the table, row and column in a docx or HTML page, the line in
    text (:class:`Where`). A cell the source does not have (a row or table
    missing) has no place; :meth:`place` looks one up.
    """

    report: Report
    notes: tuple[ParseNote, ...]
    format: InputFormat
    kind: SourceKind = attrs.field()
    places: Mapping[str, Where] = attrs.field(factory=Places, eq=False, repr=False)
    subheading_style: SubheadingStyle | None = None
    """How the source numbered its sub-headings, in the names of
    :data:`gipreport.layout.SUBHEADING_STYLES` (the style most of them are in):
    ``None`` where it has no numbered sub-heading, or numbers them in a way gipreport
    does not print (``一、``). Not a part of the report: rendering the report in
    this style gives its sub-headings as the source printed them
    (``gipreport fill`` does)."""

    @kind.default
    def _kind_of_format(self) -> SourceKind:
        return self.format

    def place(self, path: str) -> Where | None:
        """Return where the cell at ``path`` was read in the source, or ``None``.

        ``None`` for a cell the source does not have, and for a path that is
        not a cell's (a section, the organ).
        """
        return self.places.get(path)

    @property
    def ok(self) -> bool:
        """Return whether the source read with no note at all."""
        return not self.notes

    @property
    def errors(self) -> tuple[ParseNote, ...]:
        """Return the notes of ``"error"`` severity: the tables the reading lost."""
        return tuple(note for note in self.notes if note.severity == "error")

    def notes_for(self, code: NoteCode) -> tuple[ParseNote, ...]:
        """Return the notes with one code."""
        return tuple(note for note in self.notes if note.code == code)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PartialReading(Value):
    """All that was read from a source that does not state its organ or year.

    Everything but the missing header fields is read as :func:`gipreport.read`
    reads it: the tables' cells, the sections' prose, the title, the preamble and
    the date of issue, with the notes. ``organ``/``year`` are ``None`` where the
    source does not state them (:attr:`missing` names them); :meth:`complete`
    gives them and returns the result.
    """

    format: InputFormat
    kind: SourceKind
    """The kind of source (:data:`SourceKind`), as :attr:`ParseResult.kind`."""
    form: str
    """The id of the form the source was read against (``"2021"``)."""
    organ: str | None
    year: int | None
    title: str | None
    published_on: dt.date | None
    preamble: tuple[str, ...]
    sections: Mapping[str, Prose]
    values: Mapping[str, CellValue]
    notes: tuple[ParseNote, ...]
    places: Mapping[str, Where] = attrs.field(factory=Places, eq=False, repr=False)
    """Where each cell read is in the source (as :attr:`ParseResult.places`)."""
    subheading_style: SubheadingStyle | None = None
    """How the source numbered its sub-headings (as :attr:`ParseResult.subheading_style`)."""

    @property
    def missing(self) -> tuple[str, ...]:
        """Return the header fields the source does not state: ``"organ"``, ``"year"``."""
        return tuple(
            name for name, value in (("organ", self.organ), ("year", self.year)) if value is None
        )

    def complete(self, *, organ: str | None = None, year: int | None = None) -> ParseResult:
        """Return the reading with the missing fields given (a given field must be missing).

        Raises :class:`ValueError` when a missing field is not given, or a field
        is given that the source states already (read again with
        ``read(source, organ=…, year=…)`` to replace one).
        """
        notes = list(self.notes)
        for name, value, code in (("organ", organ, "organ-given"), ("year", year, "year-given")):
            if value is None and name in self.missing:
                msg = f"{name}: the source does not state it; give it"
                raise ValueError(msg)
            if value is not None and name not in self.missing:
                msg = f"{name}: the source states it already; read it with {name}=… to replace it"
                raise ValueError(msg)
            if value is not None:
                notes.append(
                    ParseNote(
                        code=code,  # type: ignore[arg-type]  # one of the two codes
                        message=f"the source does not state the {name}: {value!r} was given",
                        path=name,
                    )
                )
        final_organ = organ if organ is not None else self.organ
        final_year = year if year is not None else self.year
        assert final_organ is not None
        assert final_year is not None
        form = FORMATS[self.form]
        title = self.title
        if title is not None and title == form.title_for(final_organ, final_year):
            title = None
        sections: dict[str, Any] = dict(self.sections)
        report = report_with_cells(
            dict(self.values),
            format=self.form,
            organ=final_organ,
            year=final_year,
            title=title,
            published_on=self.published_on,
            preamble=self.preamble,
            **sections,
        )
        return ParseResult(
            report=report,
            notes=tuple(notes),
            format=self.format,
            kind=self.kind,
            places=self.places,
            subheading_style=self.subheading_style,
        )


def text_lines(text: str) -> list[str]:
    r"""Return the paragraphs a source's text is: its lines, stripped, blank ones left out.

    A line of only spaces and zero-width characters (U+200B, U+FEFF) is blank.

    A text of a report is one line with no whitespace at its ends
    (:func:`gipreport._core.model.text_problem`); a source paragraph holding a
    line break (a ``<br>``, a docx line break) is as many paragraphs, and its
    indentation is layout.

    >>> text_lines("\u3000\u3000第一行\n\n 第二行 ")
    ['第一行', '第二行']
    """
    return [line.strip() for line in text.splitlines() if NON_BLANK.search(line)]


def one_line(text: str) -> str:
    r"""Return a source's title, heading or organ as one line: its lines joined, stripped.

    >>> one_line(" 某某县人民政府\n2023年政府信息公开工作年度报告 ")
    '某某县人民政府2023年政府信息公开工作年度报告'
    """
    return "".join(text_lines(text))


class PartialReadError(ParseError):
    """The source does not state its organ or year; everything else was read.

    ``partial`` holds that reading (:class:`PartialReading`); ``missing`` names
    what is missing. ``error.partial.complete(organ=…)`` gives the result, as
    ``read(source, organ=…)`` does. On the command line, ``--organ`` and
    ``--year`` give them.
    """

    def __init__(self, partial: PartialReading) -> None:
        self.partial = partial
        names = " and ".join(f"{name}=…" for name in partial.missing)
        super().__init__(f"{self.causes}: the rest of the report was read; give {names}")

    @property
    def missing(self) -> tuple[str, ...]:
        """Return the header fields the source does not state."""
        return self.partial.missing

    @property
    def causes(self) -> str:
        """Return what is missing and where it was looked for, in words."""
        return "; ".join(_CAUSES[name] for name in self.missing)

    def __reduce__(  # type: ignore[override]  # other arguments than ParseError's
        self,
    ) -> tuple[type[PartialReadError], tuple[PartialReading]]:
        return (type(self), (self.partial,))


PartialReadError.__module__ = "gipreport"  # shown (and pickled) as gipreport.PartialReadError

_CAUSES: Final = {
    "organ": "no organ found (not in a signature, the title, the preamble or the page's metadata)",
    "year": "no year found (not in the title, the preamble, the page's metadata or the date of "
    "issue)",
}
