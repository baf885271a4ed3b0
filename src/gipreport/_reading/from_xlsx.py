"""Reading a spreadsheet (``.xlsx``): the workbook's sheets as paragraphs and gridded tables.

The workbook gipreport writes (``gipreport new --to xlsx``) has a sheet of prose
(正文: a paragraph a row in column A) and a sheet per table (表二, 表三, 表四); a
heading row of the prose sheet names its table's sheet in column B, and the
table is read there, after its heading. A sheet no heading names is read as a
table after the prose; a workbook without a prose sheet is read as tables alone.

Each table sheet is one gridded :class:`~gipreport._reading.source.SourceTable`
(its merged cells resolved), read by the same label matcher as every other
input. A cell's text is what it holds: a number as its digits (an amount with
the decimal places its number format shows), a string as written; a formula's
value is the one saved with it (Excel, WPS and LibreOffice save one). A formula
saved without a value (a file written by a program that does not calculate) is
blank, with a ``formula-uncached`` note naming the cell: a blank is never guessed.
Every note says its sheet and cell (:attr:`~gipreport.Where.sheet`,
:attr:`~gipreport.Where.cell`).

The package is read with the zip caps of :mod:`gipreport._core.zipparts`, each
sheet at most :data:`~gipreport._core.limits.MAX_SHEET_BYTES`, and a sheet using
a cell past :data:`~gipreport._core.limits.MAX_SHEET_ROWS` or
:data:`~gipreport._core.limits.MAX_SHEET_COLUMNS` (as a cell or a merge) is
refused, naming the sheet and cell. No spreadsheet library is needed to read.
"""

from __future__ import annotations

import math
import posixpath
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Final
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import attrs

from gipreport._core.errors import ParseError
from gipreport._core.limits import MAX_SHEET_BYTES, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS
from gipreport._core.zipparts import PackageError, ZipParts
from gipreport._reading.from_docx import _parse_xml
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

__all__ = ["cell_ref", "is_xlsx", "locate", "located", "xlsx_source"]

Origin = tuple[str, int, int]
"""A table's sheet, and the 0-based row and column of its top-left cell there."""

Origins = Mapping[int, Origin]

PROSE_SHEET: Final = "正文"
_WORKBOOK: Final = "xl/workbook.xml"
_REF: Final = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")
_PLACES: Final = re.compile(r"0\.(0+)")
_BUILTIN_PLACES: Final = {2: 2, 4: 2, 10: 2, 11: 2}
"""Built-in number formats with decimals (ECMA-376 18.8.30): 0.00, #,##0.00, 0.00%, 0.00E+00."""


def is_xlsx(data: bytes) -> bool:
    """Return whether the zip package ``data`` is a workbook (it has ``xl/workbook.xml``)."""
    try:
        parts = ZipParts(data)
    except PackageError:
        return False
    return any(name.casefold() == _WORKBOOK for name in parts)


def cell_ref(row: int, column: int) -> str:
    """Return the A1 reference of the 0-based ``(row, column)``: ``cell_ref(6, 1) == 'B7'``."""
    letters = ""
    number = column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


def _parse_ref(ref: str, sheet: str) -> tuple[int, int]:
    """Return the 0-based ``(row, column)`` of an A1 reference, within the sheet caps."""
    found = _REF.fullmatch(ref.strip().upper())
    if found is None:
        raise ParseError(f"sheet {sheet}: a cell reference that is none: {ref!r}", sheet)
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    row = int(found.group(2))
    if row > MAX_SHEET_ROWS or column > MAX_SHEET_COLUMNS or row < 1:
        msg = (
            f"sheet {sheet} uses cell {ref}, past the {MAX_SHEET_ROWS:,} rows and "
            f"{MAX_SHEET_COLUMNS} columns read: not a report's sheet"
        )
        raise ParseError(msg, f"sheet {sheet} cell {ref}")
    return row - 1, column - 1


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if _local(child.tag) == name)


def _child(element: Element, name: str) -> Element | None:
    return next(_children(element, name), None)


def _text_of(element: Element) -> str:
    """Return the text of a string item (``<si>``, ``<is>``): its runs, without phonetic ones."""
    parts: list[str] = []
    stack = [element]
    while stack:
        node = stack.pop()
        name = _local(node.tag)
        if name == "rPh":
            continue
        if name == "t":
            parts.append(node.text or "")
            continue
        stack.extend(reversed(list(node)))
    return "".join(parts)


@attrs.frozen(kw_only=True)
class _Sheet:
    name: str
    cells: dict[tuple[int, int], str]
    marks: dict[tuple[int, int], Mark]
    merges: tuple[tuple[int, int, int, int], ...]  # top, left, bottom, right (inclusive)
    notes: tuple[ParseNote, ...]


class _Book:
    """The package of a workbook: its parts, read with every size capped."""

    def __init__(self, data: bytes) -> None:
        try:
            self._parts = ZipParts(data)
        except PackageError as error:
            raise ParseError(f"not an xlsx ({error.reason})") from None
        self._folded = {name.casefold(): name for name in self._parts}

    def find(self, name: str) -> str | None:
        return self._folded.get(name.casefold())

    def read(self, name: str, *, limit: int | None = None) -> bytes:
        info = self._parts.infos[name]
        try:
            data = bytes(self._parts.unpack(info))
        except PackageError as error:
            raise ParseError(error.reason, error.member) from None
        if limit is not None and len(data) > limit:
            size = limit // 2**20
            msg = f"{name} is larger than {size} MiB when uncompressed: not a report's sheet"
            raise ParseError(msg, name)
        return data

    def xml(self, name: str, *, limit: int | None = None) -> Element:
        return _parse_xml(self.read(name, limit=limit), name)

    def relations(self, source: str) -> dict[str, tuple[str, str]]:
        """Return ``{id: (type, part)}`` of the relationships of ``source``, inside the package."""
        folder, base = posixpath.split(source)
        rels = self.find(posixpath.join(folder, "_rels", f"{base}.rels"))
        found: dict[str, tuple[str, str]] = {}
        if rels is None:
            return found
        for relation in _children(self.xml(rels), "Relationship"):
            if relation.get("TargetMode", "Internal") == "External":
                continue
            target = unquote(relation.get("Target", ""))
            if target.startswith("/"):
                name = posixpath.normpath(target).lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            part = self.find(name)
            if part is not None and not name.startswith("../"):
                found[relation.get("Id", "")] = (relation.get("Type", ""), part)
        return found


def xlsx_source(data: bytes) -> tuple[SourceDocument, Origins]:
    """Return the paragraphs and tables of an ``.xlsx`` workbook, in reading order.

    With it, the origin of each table (by its index): its sheet's name and the
    0-based row and column of its top-left cell there, for :func:`locate`.

    Raises :class:`~gipreport._core.errors.ParseError` for a package that is no
    readable workbook, or a sheet past the caps (naming the sheet).
    """
    book = _Book(data)
    workbook = book.find(_WORKBOOK)
    if workbook is None:
        raise ParseError(f"not an xlsx: the package has no workbook part ({_WORKBOOK})")
    root = book.xml(workbook)
    relations = book.relations(workbook)
    strings = _shared_strings(book, relations)
    styles = _styles(book, relations)
    sheets_element = _child(root, "sheets")
    sheets: list[_Sheet] = []
    for entry in _children(sheets_element, "sheet") if sheets_element is not None else ():
        name = entry.get("name", "")
        rid = next((v for k, v in entry.attrib.items() if _local(k) == "id"), "")
        kind, part = relations.get(rid, ("", ""))
        if not kind.endswith("/worksheet"):
            continue  # a chart sheet, a dialog sheet: no cells
        element = book.xml(part, limit=MAX_SHEET_BYTES)
        sheets.append(_read_sheet(name, element, strings, styles))
    if not sheets:
        raise ParseError("not a report: the workbook has no worksheet")
    origins: dict[int, Origin] = {}
    blocks = capped(_blocks(sheets, origins))
    notes = tuple(note for sheet in sheets for note in sheet.notes)
    return SourceDocument(format="xlsx", blocks=blocks, notes=notes), origins


def _shared_strings(book: _Book, relations: dict[str, tuple[str, str]]) -> tuple[str, ...]:
    part = next((p for k, p in relations.values() if k.endswith("/sharedStrings")), None)
    if part is None:
        return ()
    return tuple(_text_of(item) for item in _children(book.xml(part), "si"))


@attrs.frozen
class _Style:
    """What a cell style (``s``) says: decimal places shown, and the mark it gives a paragraph."""

    places: int = 0
    mark: Mark | None = None


_TITLE_POINTS: Final = 14.0
"""A bold paragraph of the prose sheet in a font this large or larger is the title."""


def _font_marks(root: Element) -> list[Mark | None]:
    marks: list[Mark | None] = []
    fonts = _child(root, "fonts")
    for font in _children(fonts, "font") if fonts is not None else ():
        bold = _child(font, "b")
        size = _child(font, "sz")
        try:
            points = float(size.get("val", "0")) if size is not None else 0.0
        except ValueError:
            points = 0.0
        if bold is None or bold.get("val", "1").lower() in ("0", "false"):
            marks.append(None)
        else:
            marks.append("title" if points >= _TITLE_POINTS else "heading")
    return marks


def _styles(book: _Book, relations: dict[str, tuple[str, str]]) -> tuple[_Style, ...]:
    """Return each cell style (``s``): the decimal places its number format shows, and a mark.

    A bold font marks a paragraph of the prose sheet as a heading (as the title when
    large), a right-aligned cell as part of the signature — as gipreport writes them.
    """
    part = next((p for k, p in relations.values() if k.endswith("/styles")), None)
    if part is None:
        return ()
    root = book.xml(part)
    marks = _font_marks(root)
    codes: dict[int, int] = dict(_BUILTIN_PLACES)
    formats = _child(root, "numFmts")
    for fmt in _children(formats, "numFmt") if formats is not None else ():
        found = _PLACES.search(fmt.get("formatCode", ""))
        identifier = fmt.get("numFmtId", "")
        if identifier.isdigit():
            codes[int(identifier)] = len(found.group(1)) if found else 0
    xfs = _child(root, "cellXfs")
    styles: list[_Style] = []
    for xf in _children(xfs, "xf") if xfs is not None else ():
        number = xf.get("numFmtId", "0")
        font = xf.get("fontId", "0")
        alignment = _child(xf, "alignment")
        mark: Mark | None = None
        if alignment is not None and alignment.get("horizontal") == "right":
            mark = "signature"
        elif font.isdigit() and int(font) < len(marks):
            mark = marks[int(font)]
        styles.append(
            _Style(places=codes.get(int(number), 0) if number.isdigit() else 0, mark=mark)
        )
    return tuple(styles)


def _read_sheet(
    name: str, root: Element, strings: tuple[str, ...], styles: tuple[_Style, ...]
) -> _Sheet:
    cells: dict[tuple[int, int], str] = {}
    marks: dict[tuple[int, int], Mark] = {}
    notes: list[ParseNote] = []
    data = _child(root, "sheetData")
    for row_number, row in enumerate(_children(data, "row") if data is not None else ()):
        row_index = row.get("r")
        r = int(row_index) - 1 if row_index and row_index.isdigit() else row_number
        column = 0
        for cell in _children(row, "c"):
            ref = cell.get("r")
            if ref:
                r, column = _parse_ref(ref, name)
            else:
                ref = cell_ref(r, column)
                _parse_ref(ref, name)
            number = cell.get("s", "0")
            style = styles[int(number)] if number.isdigit() and int(number) < len(styles) else None
            text, uncached = _cell_text(cell, strings, style.places if style else 0)
            if uncached:
                formula = _child(cell, "f")
                notes.append(
                    ParseNote(
                        code="formula-uncached",
                        message="a formula without a saved value: read as blank, not computed",
                        where=Where(sheet=name, cell=ref),
                        text=f"={formula.text or ''}" if formula is not None else "",
                    )
                )
            if text:
                cells[(r, column)] = text
                if style is not None and style.mark is not None:
                    marks[(r, column)] = style.mark
            column += 1
    merges: list[tuple[int, int, int, int]] = []
    merged = _child(root, "mergeCells")
    for merge in _children(merged, "mergeCell") if merged is not None else ():
        first, _, last = merge.get("ref", "").partition(":")
        top, left = _parse_ref(first, name)
        bottom, right = _parse_ref(last or first, name)
        merges.append((min(top, bottom), min(left, right), max(top, bottom), max(left, right)))
    return _Sheet(name=name, cells=cells, marks=marks, merges=tuple(merges), notes=tuple(notes))


def _cell_text(cell: Element, strings: tuple[str, ...], places: int) -> tuple[str, bool]:
    """Return a cell's text, and whether it is a formula saved without a value."""
    kind = cell.get("t", "n")
    value = _child(cell, "v")
    raw = value.text if value is not None and value.text is not None else None
    if kind == "inlineStr":
        inline = _child(cell, "is")
        return (_text_of(inline) if inline is not None else ""), False
    if kind == "str":  # a formula's text result, "" included
        return raw or "", False
    if raw is None:
        return "", _child(cell, "f") is not None
    if kind == "s":
        index = int(raw) if raw.strip().isdigit() else -1
        return (strings[index] if 0 <= index < len(strings) else ""), False
    if kind == "n":
        return _number_text(raw, places), False
    return raw, False  # a boolean or an error value (#VALUE!): read as written


def _number_text(raw: str, places: int) -> str:
    """Return a stored number as its digits, with the trailing zeros its format shows.

    The digits are the shortest that give the same double; ``18.87`` shown as
    ``0.0000`` is ``18.8700``.
    """
    try:
        number = float(raw)
    except ValueError:
        return raw
    if not math.isfinite(number):
        return raw
    if number.is_integer() and abs(number) < 2**53 and places == 0:
        return str(int(number))
    try:
        digits = Decimal(repr(number))
    except InvalidOperation:  # pragma: no cover - repr of a finite float is a number
        return raw
    exponent = int(digits.as_tuple().exponent)
    if places > -exponent and places <= 12:
        digits = digits.quantize(Decimal(1).scaleb(-places))
    return format(digits, "f")


def _blocks(sheets: list[_Sheet], origins: dict[int, Origin]) -> Iterator[SourceBlock]:
    by_name = {sheet.name: sheet for sheet in sheets}
    prose = by_name.get(PROSE_SHEET)
    tables: dict[str, int] = {}
    paragraph = 0

    def table(sheet: _Sheet) -> SourceTable | None:
        index = tables.setdefault(sheet.name, len(tables))
        found = _table(sheet, index)
        if found is None:
            return None
        origins[index] = found[1]
        return found[0]

    if prose is not None:
        rows = sorted({r for r, _c in prose.cells})
        for r in rows:
            text = prose.cells.get((r, 0), "")
            if text.strip():
                where = Where(paragraph=paragraph, sheet=prose.name, cell=cell_ref(r, 0))
                # The prose sheet marks its title, headings and signature by style: a
                # row of none of them is a body paragraph, however it is worded.
                mark = prose.marks.get((r, 0), "body")
                yield SourceParagraph(text=text, where=where, mark=mark)
                paragraph += 1
            pointed = by_name.get(prose.cells.get((r, 1), "").strip())
            if pointed is not None and pointed is not prose and pointed.name not in tables:
                found = table(pointed)
                if found is not None:
                    yield found
    for sheet in sheets:
        if sheet is not prose and sheet.name not in tables:
            found = table(sheet)
            if found is not None:
                yield found


def _table(sheet: _Sheet, index: int) -> tuple[SourceTable, Origin] | None:
    slots = set(sheet.cells)
    for top, left, bottom, right in sheet.merges:
        slots.update(((top, left), (bottom, right)))
    if not sheet.cells:
        return None
    r0 = min(r for r, _c in slots)
    c0 = min(c for _r, c in slots)
    height = max(r for r, _c in slots) - r0 + 1
    width = max(c for _r, c in slots) - c0 + 1
    grid: list[list[SourceCell | None]] = [[None] * width for _ in range(height)]
    for top, left, bottom, right in sheet.merges:
        if grid[top - r0][left - c0] is not None:
            continue  # overlapping merges: the first one is kept
        merged = SourceCell(
            text=sheet.cells.get((top, left), ""),
            row=top - r0,
            column=left - c0,
            rowspan=bottom - top + 1,
            colspan=right - left + 1,
        )
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if grid[r - r0][c - c0] is None:
                    grid[r - r0][c - c0] = merged
    rows = tuple(
        tuple(
            slot
            if slot is not None
            else SourceCell(text=sheet.cells.get((r + r0, c + c0), ""), row=r, column=c)
            for c, slot in enumerate(row)
        )
        for r, row in enumerate(grid)
    )
    return SourceTable(
        index=index,
        rows=rows,
        gridded=True,
        where=Where(table=index, sheet=sheet.name),
    ), (sheet.name, r0, c0)


def located(notes: tuple[ParseNote, ...], origins: Origins) -> tuple[ParseNote, ...]:
    """Return ``notes`` with the sheet and cell of each table slot they name (:func:`locate`).

    A note on a formula's cell gets the place in the form's table and the path
    that the reading's note on the same cell has.
    """
    placed = tuple(locate(note, origins) for note in notes)
    cells = {
        (note.where.sheet, note.where.cell): note
        for note in placed
        if note.path is not None and note.code != "formula-uncached"
    }
    return tuple(
        attrs.evolve(note, where=found.where, path=found.path)
        if note.code == "formula-uncached"
        and (found := cells.get((note.where.sheet, note.where.cell))) is not None
        else note
        for note in placed
    )


def locate(note: ParseNote, origins: Origins) -> ParseNote:
    """Return ``note`` with the sheet and cell of the table slot it names, where it names one.

    ``origins`` are the sheet and top-left cell of each table, as :func:`xlsx_source` gives them.
    """
    where = locate_where(note.where, origins)
    return note if where is note.where else attrs.evolve(note, where=where)


def locate_where(where: Where, origins: Origins) -> Where:
    """Return ``where`` with the sheet and cell of the table slot it names, where it names one."""
    if where.table is None or where.sheet is not None or where.table not in origins:
        return where
    sheet, r0, c0 = origins[where.table]
    cell = None
    if where.row is not None and where.column is not None:
        cell = cell_ref(where.row + r0, where.column + c0)
    return attrs.evolve(where, sheet=sheet, cell=cell)
