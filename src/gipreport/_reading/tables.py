"""Reading the form's three tables out of a source's tables, by their labels.

A source table is recognised as table 2, 3 or 4 by the labels it prints, wherever
it stands; then each row is found by its row label and each column by its header
(a gridded table, where merged cells are resolved) or by the order of its values
(a text table, where where a cell stood is lost). Every value is parsed exactly:
a blank ("", "/", "—" …) is ``None`` with a note, never 0; an amount keeps its
digits. The labels, columns and merges all come from the form
(:mod:`gipreport._core.form`) and its layout (:mod:`gipreport._rendering.layout`).

:class:`TableState` holds what has been read (values, rows, notes);
:mod:`gipreport._reading.assemble` builds the rest of the report on it.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence, Set
from decimal import Decimal, InvalidOperation
from typing import Final, Literal, cast

import attrs

from gipreport._core.errors import ParseError
from gipreport._core.form import (
    FORM_2019,
    FORM_2019_LABELS,
    FORM_2021,
    FORMATS,
    PROACTIVE_CONTENT_LABEL,
    Column,
    FormSpec,
    Row,
    TableSpec,
)
from gipreport._core.limits import MAX_COUNT, MAX_COUNT_DIGITS
from gipreport._core.model import MAX_AMOUNT, MAX_AMOUNT_PLACES, CellValue
from gipreport._reading.labels import bare_key, is_blank, label_key, squash, unnumbered_key
from gipreport._reading.source import (
    NoteCode,
    ParseNote,
    Places,
    SourceBlock,
    SourceCell,
    SourceParagraph,
    SourceTable,
    Where,
    new_note,
    new_where,
)
from gipreport._reading.variants import COLUMN_VARIANTS, ROW_VARIANTS
from gipreport._rendering.layout import Covered, table_layout

__all__ = [
    "TableIndex",
    "TableState",
    "cell_paths",
    "indexes",
    "is_form_label",
    "knows_label",
    "names_column",
    "names_row",
    "row_label",
    "row_width",
    "value_like",
]

_BLANK_MARKS: Final = frozenset(
    {"", "/", "\\", "-", "--", "—", "——", "–", "―", "一", "无", "空", "×", "x", "X", "null"}
)
_TEXT: Final = operator.attrgetter("text")
_BLANK_CELL: Final = "a blank cell: read as blank, not 0"
_SEPARATED: Final = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?\Z")
_COUNT: Final = re.compile(r"\d+\Z")
_AMOUNT: Final = re.compile(r"\d+(?:\.\d+)?\Z")
_COUNT_UNITS: Final = ("件", "个", "项", "次", "条")


# --- the form, indexed for reading -----------------------------------------------------


@attrs.frozen(kw_only=True)
class _Leaf:
    path: str
    row: Row
    ancestors: tuple[Row, ...]
    block: Row | None


@attrs.frozen(kw_only=True)
class _ColumnTarget:
    chain: tuple[str, ...]  # label keys of the header cells over the column, top down
    row: str | None  # the row path, where the column fixes it (table 4)
    column: Column


@attrs.frozen(kw_only=True)
class TableIndex:
    spec: TableSpec
    keys: frozenset[str]
    header_keys: frozenset[str]
    corner_key: str
    leaves: tuple[_Leaf, ...]
    groups: tuple[Row, ...]
    targets: tuple[_ColumnTarget, ...]  # block tables: the value columns in order


@functools.lru_cache(maxsize=8192)
def _levels(text: str) -> tuple[str, str, str]:
    return label_key(text), bare_key(text), unnumbered_key(text)


def _index(spec: TableSpec) -> TableIndex:
    leaves = []
    groups = []
    keys: set[str] = set()
    for top in spec.rows:
        for ancestors, leaf in top.leaves():
            in_path = tuple(row for row in (*ancestors, leaf) if not row.layout_only)
            path = ".".join((spec.key, *(row.key for row in in_path)))
            block = ancestors[0] if ancestors and ancestors[0].layout_only else None
            leaves.append(_Leaf(path=path, row=leaf, ancestors=ancestors, block=block))
            keys.update(_levels(leaf.label)[:2])
            keys.update(label_key(column.label) for column in leaf.columns)
            for group in ancestors:
                if group not in groups:
                    groups.append(group)
                    keys.update(_levels(group.label)[:2])
    header_keys = {label_key(cell.text) for row in spec.header for cell in row}
    if not spec.header:
        header_keys.add(label_key(PROACTIVE_CONTENT_LABEL))
        header_keys.update(label_key(c.label) for leaf in leaves for c in leaf.row.columns)
    keys.update(header_keys)
    targets: list[_ColumnTarget] = []
    if spec.header:
        blank = table_layout(spec, dict.fromkeys(_paths(leaves)))
        grid = blank.grid()
        heads = [slots for slots, row in zip(grid, blank.rows, strict=True) if row.part == "head"]
        body = [slots for slots, row in zip(grid, blank.rows, strict=True) if row.part == "body"]
        for j in range(blank.width):
            value = body[0][j]
            if isinstance(value, Covered) or value.path is None:
                continue
            chain: list[str] = []
            for slots in heads:
                slot = slots[j]
                cell = slot.origin if isinstance(slot, Covered) else slot
                key = label_key(cell.text)
                if cell.role != "corner" and (not chain or chain[-1] != key):
                    chain.append(key)
            row_path, _, column_key = value.path.rpartition(".")
            owner = next(item for item in leaves if item.path == row_path)
            column = next(c for c in owner.row.columns if c.key == column_key)
            targets.append(
                _ColumnTarget(
                    chain=tuple(chain),
                    row=row_path if not spec.label_columns else None,
                    column=column,
                )
            )
    return TableIndex(
        spec=spec,
        keys=frozenset(keys),
        header_keys=frozenset(header_keys),
        corner_key=label_key(spec.balance_note) if spec.balance_note else "",
        leaves=tuple(leaves),
        groups=tuple(groups),
        targets=tuple(targets),
    )


def _paths(leaves: Sequence[_Leaf]) -> Iterator[str]:
    for leaf in leaves:
        for column in leaf.row.columns:
            yield f"{leaf.path}.{column.key}"


_INDEXES: dict[int, tuple[FormSpec, tuple[TableIndex, ...]]] = {}


def indexes(form: FormSpec) -> tuple[TableIndex, ...]:
    cached = _INDEXES.get(id(form))
    if cached is None or cached[0] is not form:
        cached = _INDEXES[id(form)] = (form, tuple(_index(spec) for spec in form.tables))
    return cached[1]


_KINDS: dict[int, tuple[FormSpec, dict[str, str]]] = {}


def _cell_kinds(form: FormSpec) -> dict[str, str]:
    """Return the kind of each of ``form``'s cells by its path (one dict per form)."""
    cached = _KINDS.get(id(form))
    if cached is None or cached[0] is not form:
        cached = _KINDS[id(form)] = (form, {cell.path: cell.kind for cell in form.cells})
    return cached[1]


def cell_paths(form: FormSpec) -> tuple[str, ...]:
    """Return the paths of ``form``'s cells, in order (one tuple per form)."""
    cached = _PATHS.get(id(form))
    if cached is None or cached[0] is not form:
        cached = _PATHS[id(form)] = (form, tuple(cell.path for cell in form.cells))
    return cached[1]


_PATHS: dict[int, tuple[FormSpec, tuple[str, ...]]] = {}


@functools.lru_cache(maxsize=8192)
def _printed_key(text: str) -> str | None:
    """Return the label key of a cell's text, ``None`` for a blank (once a text)."""
    return None if is_blank(text) else label_key(text)


_2019_KEYS: Final = frozenset(label_key(label) for label in FORM_2019_LABELS)
_ANY_2019_KEY: Final = re.compile("|".join(re.escape(key) for key in sorted(_2019_KEYS)))
"""Found in a text where one of :data:`_2019_KEYS` is in it."""


@functools.cache
def _2021_only_keys() -> frozenset[str]:
    """Return the label keys only the 2021 format's tables print (本年制发件数, …)."""
    printed_2019 = frozenset().union(*(index.keys for index in indexes(FORM_2019)))
    return frozenset().union(*(index.keys for index in indexes(FORM_2021))) - printed_2019


_SIGNED: Final = re.compile(r"[+-]?[0-9]+")
"""A change as printed: an optional sign and digits ("--253" is not one)."""

_ROW_VARIANT_KEYS: Final = {
    bare_key(variant): path for path, variants in ROW_VARIANTS.items() for variant in variants
}
_COLUMN_VARIANT_KEYS: Final[dict[str, tuple[str, ...]]] = {}
for _form_label, _variants in COLUMN_VARIANTS.items():
    for _variant in _variants:
        _key = label_key(_variant)
        _COLUMN_VARIANT_KEYS[_key] = (*_COLUMN_VARIANT_KEYS.get(_key, ()), label_key(_form_label))

_RUN_MIN: Final = 30
"""The shortest paragraph looked at for cells run together."""


@functools.cache
def _run_together(form: FormSpec) -> re.Pattern[str]:
    """Return the pattern of a form's label, its digits, and the next label, run together."""
    labels: set[str] = set()
    for index in indexes(form):
        for leaf in index.leaves:
            for text in (leaf.row.label, *_unnumbered(leaf.row.label)):
                labels.add(text)
            labels.update(column.label for column in leaf.row.columns)
        labels.update(group.label for group in index.groups)
    keys = sorted(
        {unicodedata.normalize("NFKC", squash(label)) for label in labels if len(label) >= 2},
        key=len,
        reverse=True,
    )
    alternation = "|".join(re.escape(key) for key in keys)
    return re.compile(rf"(?:{alternation})\d+(?:\.\d+)?(?=(?:{alternation}))")


def _unnumbered(label: str) -> tuple[str, ...]:
    stripped = re.sub(
        r"\A(?:[（(][一二三四五六七八九十]+[)）]|[0-9]+[.．、]|[一二三四五六七八九十]+、)",
        "",
        label,
    )
    return (stripped,) if stripped != label else ()


# --- the reading state -------------------------------------------------------------------


class TableState:
    """What reading one source against one form has found so far: values, rows, notes."""

    def __init__(
        self,
        form: FormSpec,
        notes: Sequence[ParseNote] = (),
        table_texts: Mapping[int, tuple[SourceTable, Set[str]]] | None = None,
    ) -> None:
        """Start reading against ``form``, after ``notes``.

        ``table_texts`` holds texts of tables by the table's id, with the table:
        each text of its cells once, as the reading gathered them before it came
        here (:func:`gipreport._reading.api._may_hold_odd_text`), so that
        :meth:`printed_keys` need not gather them again.
        """
        self.form = form
        self.notes: list[ParseNote] = list(notes)
        self.values: dict[str, CellValue] = {}
        self.read_rows: set[str] = set()
        self.tables_found: set[str] = set()
        self.table_places: dict[str, Where] = {}  # where each table of the form was found
        self.places = Places()  # where each cell read from a source cell is
        self._places = self.places._places  # what the reading writes there
        # Whether a place was put without the form's number of its table (none is,
        # while a table is read): only then are the places looked through for one.
        self._unnumbered_places = False
        # The source index and the form's number of the table being read: what is
        # noted or read in it names it as the form numbers it (table 3).
        self._numbered: tuple[int, int] | None = None
        # The label keys each source table prints, and the form's table each is,
        # by the table's id (the table is kept, so its id is not another's).
        self._printed: dict[int, tuple[SourceTable, frozenset[str]]] = {}
        self._texts = table_texts or {}
        self._identified: dict[int, tuple[SourceTable, FormSpec, TableIndex | None]] = {}

    def note(
        self,
        code: NoteCode,
        message: str,
        where: Where,
        text: str = "",
        path: str | None = None,
    ) -> None:
        numbered = self._numbered
        if numbered is not None and where.table == numbered[0]:
            where = _with_form_table(where, numbered[1])
        self.notes.append(new_note(code, message, where, text, path))

    def in_2019_tables(self, blocks: Sequence[SourceBlock]) -> bool:
        """Return whether the source's tables are those of the 2019 format.

        Two or more labels only the 2019 table 2 prints (:data:`FORM_2019_LABELS`)
        in a table say so; the report is then read against the 2019 format,
        whatever its year (the checks flag a year that does not match). Where
        they are found only in paragraphs — a source that lost its tables'
        structure (one value a line, cells run together, a conversion's rows) —
        :class:`ParseError` says so: such tables cannot be read. Unless the
        source's tables are the 2021 format's, read as tables (two labels only
        they print, such as 本年制发件数): then such labels in a paragraph are
        prose that names them, and the report is read against the 2021 format.
        """
        # The tables first: one that prints two decides it, and where one prints two
        # labels only the 2021 tables print (the common case) no paragraph need be
        # looked at — what the paragraphs hold would raise nothing.
        tables_2021 = False  # a table prints two labels only the 2021 tables print
        for block in blocks:
            if isinstance(block, SourceTable):
                # The keys of its blank cells ("") are no label of either format.
                printed = self.printed_keys(block)
                if len(printed & _2019_KEYS) >= 2:
                    return True
                tables_2021 = tables_2021 or len(printed & _2021_only_keys()) >= 2
        if tables_2021:
            return False
        found: set[str] = set()
        here: frozenset[str] | set[str]
        first: Where | None = None
        for block in blocks:
            if isinstance(block, SourceTable):
                here = self.printed_keys(block) & _2019_KEYS
                where = Where(
                    table=block.index,
                    line=block.where.line,
                    page=block.where.page,
                    bbox=block.where.bbox,
                )
            elif isinstance(block, SourceParagraph):
                key = label_key(block.text)
                # Most paragraphs hold none: one search says so.
                here = (
                    {label for label in _2019_KEYS if label in key}
                    if _ANY_2019_KEY.search(key)
                    else set()
                )
                where = block.where
            else:
                continue
            if here and first is None:
                first = where
            found |= here
        if len(found) >= 2:
            assert first is not None
            msg = (
                "this report is laid out in the 2019 format's tables "
                f"(国办公开办函〔2019〕60号: {', '.join(sorted(found))}), but they are not"
                " tables in this source (their cells run together, or rows left as paragraphs):"
                " gipreport reads the 2019 tables where they are tables (docx, HTML, PDF, text"
                " with tabs, bars or columns of spaces, markdown)"
            )
            raise ParseError(msg, str(first))
        return False

    def refuse_run_together(self, blocks: Sequence[SourceBlock]) -> None:
        """Raise :class:`ParseError` if a paragraph is a table whose cells ran together.

        Text taken from a web page with its tags stripped and nothing put between
        the cells prints a table as "规章000行政规范性文件6233440…": which digits
        are which cell cannot be told. Such text is told by the form's labels
        followed by digits and then by another label, twice or more.
        """
        for block in blocks:
            if not isinstance(block, SourceParagraph) or len(block.text) < _RUN_MIN:
                continue
            text = unicodedata.normalize("NFKC", squash(block.text))
            runs = list(_run_together(self.form).finditer(text))
            if len(runs) >= 2:
                excerpt = text[runs[0].start() : runs[0].start() + 40]
                msg = (
                    "the tables' cells ran together in this text (tags stripped with nothing "
                    f"between the cells: {excerpt!r}…): which digits belong to which cell "
                    "cannot be told, so it cannot be read; read the page's HTML instead"
                )
                raise ParseError(msg, str(block.where))

    def printed_keys(self, table: SourceTable) -> frozenset[str]:
        """Return the label keys of the texts ``table`` prints but blanks (once a table)."""
        known = self._printed.get(id(table))
        if known is not None and known[0] is table:
            return known[1]
        # Each text once: a merged cell fills many slots, and many cells print the same.
        gathered = self._texts.get(id(table))
        printed = (
            gathered[1]
            if gathered is not None and gathered[0] is table
            else set(map(_TEXT, itertools.chain.from_iterable(table.rows)))
        )
        found = set(map(_printed_key, printed))
        found.discard(None)  # the blanks'
        keys = cast("frozenset[str]", frozenset(found))
        self._printed[id(table)] = (table, keys)
        return keys

    def identify(self, table: SourceTable) -> TableIndex | None:
        """Return the form's table ``table`` is, told by its labels (once a table and form)."""
        known = self._identified.get(id(table))
        if known is not None and known[0] is table and known[1] is self.form:
            return known[2]
        found = self._identify(table)
        self._identified[id(table)] = (table, self.form, found)
        return found

    def _identify(self, table: SourceTable) -> TableIndex | None:
        texts = self.printed_keys(table)
        best: tuple[int, TableIndex | None] = (0, None)
        for index in indexes(self.form):
            score = len(texts & index.keys)
            if score > best[0]:
                best = (score, index)
        return best[1] if best[0] >= 2 else None

    def read_table(self, table: SourceTable, index: TableIndex | None = None) -> None:
        """Read ``table`` as the form's table it is (``index``, else told by its labels)."""
        if not table.gridded:
            table = self.split_joined(table)
        index = index or self.identify(table)
        if index is None:
            if any(not is_blank(cell.text) for row in table.rows for cell in row):
                self.note(
                    "table-unknown",
                    "a table with none of the form's labels: not read",
                    Where(
                        table=table.index,
                        line=table.where.line,
                        page=table.where.page,
                        bbox=table.where.bbox,
                    ),
                )
            return
        self.tables_found.add(index.spec.key)
        number = index.spec.arabic_number
        place = _with_form_table(_cell_where(table, None), number)
        self.table_places.setdefault(index.spec.key, place)
        start = len(self.notes)
        self._numbered = (table.index, number)
        try:
            if index.spec.header:
                _BlockTableReader(self, index, table).read()
            else:
                _StackedTableReader(self, index, table).read()
        finally:
            self._numbered = None
        # What was noted and read in this table names it as the form numbers it
        # (table 3): :meth:`note` and :meth:`put` name it so as they go; this
        # catches what came another way.
        if self._unnumbered_places:
            self._number_places(table.index, number)
        notes = self.notes
        for at in range(start, len(notes)):
            note = notes[at]
            if note.where.table == table.index and note.where.form_table != number:
                notes[at] = attrs.evolve(note, where=_with_form_table(note.where, number))

    def _number_places(self, index: int, number: int) -> None:
        """Give the places in the source's table ``index`` that lack it the form's ``number``."""
        places = self._places
        for path, place in places.items():
            if isinstance(place, tuple):  # a value's cell, its Where not yet made
                if place[1] == index and place[2] is None:
                    places[path] = (place[0], index, number)
            elif place.table == index and place.form_table is None:
                places[path] = _with_form_table(place, number)

    def split_joined(self, table: SourceTable) -> SourceTable:
        """Return a text table whose cells holding a label and its values are split apart."""
        splits = {
            id(cell): found
            for cells in table.rows
            for cell in cells
            if " " in cell.text and (found := label_and_values(self.form, cell.text)) is not None
        }
        if not splits:
            return table  # the common case: no cell is split, and the table is as it was
        rows: list[tuple[SourceCell, ...]] = []
        for cells in table.rows:
            out: list[SourceCell] = []
            for cell in cells:
                found = splits.get(id(cell))
                if found is None:
                    out.append(attrs.evolve(cell, column=len(out)))
                    continue
                self.note(
                    "label-value",
                    "a row label and its values on one line (or in one cell), set apart by "
                    "spaces: read apart",
                    _cell_where(table, cell),
                    text=cell.text,
                )
                label, values = found
                for text in (label, *values):
                    out.append(attrs.evolve(cell, text=text, column=len(out)))
            rows.append(tuple(out))
        return attrs.evolve(table, rows=tuple(rows))

    # --- values --------------------------------------------------------------------------

    def put(self, path: str, cell: SourceCell | None, table: SourceTable, unit: str | None) -> None:
        kind = _cell_kinds(self.form).get(path) or self.form.cell(path).kind
        numbered = self._numbered
        number = numbered[1] if numbered is not None and numbered[0] == table.index else None
        if number is None:
            self._unnumbered_places = True
        if cell is not None:
            text = cell.text
            index = table.index
            if index < 0:
                where = _cell_where(table, cell)
            else:  # _cell_where's, made here: a place for every value read
                where = new_where(
                    cell.line, None, index, cell.row, cell.column, number, cell.page, cell.bbox
                )
            self._places[path] = where
        else:
            text = ""
            where = _cell_where(table, None, number)
        if (
            kind == "count"
            and text.isascii()
            and text.isdigit()
            and len(text) <= MAX_COUNT_DIGITS
            and int(text) <= MAX_COUNT
        ):
            self.values[path] = int(text)  # the common case, with nothing to note
            return
        if is_blank(text):  # the next most common: as parse_value reads it
            self.note("blank-cell", _BLANK_CELL, where, text=text, path=path)
            self.values[path] = None
            return
        value = self.parse_value(text, kind=kind, unit=unit, where=where, path=path)
        self.values[path] = value

    def parse_signed(self, number: str, *, text: str, where: Where, path: str) -> int | None:
        """Return a change (本年增/减) as printed, "+3", "-2", "0"; note anything else."""
        if _SIGNED.match(number):
            return int(number)
        self.note(
            "not-a-number",
            "not a change (a whole number, signed as +3 or -2): read as blank",
            where,
            text=text,
            path=path,
        )
        return None

    def parse_value(  # noqa: PLR0912 - one branch per way a value is written
        self, text: str, *, kind: str, unit: str | None, where: Where, path: str
    ) -> CellValue:
        # A blank text ("", " ": most blank cells) is squashed to "", a blank mark.
        squashed = "" if is_blank(text) else unicodedata.normalize("NFKC", squash(text))
        if squashed in _BLANK_MARKS:
            self.note("blank-cell", _BLANK_CELL, where, text=text, path=path)
            return None
        number = squashed
        scale = 0
        if kind == "signed":
            return self.parse_signed(number, text=text, where=where, path=path)
        if kind == "amount":
            if number.endswith("万元"):
                number = number[:-2]
                self.note("unit", "the amount is written with 万元", where, text=text, path=path)
            elif number.endswith("元") or unit == "元":
                number = number.removesuffix("元")
                scale = -4
                self.note(
                    "unit",
                    "the amount is in 元: read in 万元 (divided by 10,000, exactly)",
                    where,
                    text=text,
                    path=path,
                )
        else:
            for suffix in _COUNT_UNITS:
                if number.endswith(suffix) and len(number) > len(suffix):
                    number = number[: -len(suffix)]
                    self.note(
                        "unit", f"the count is written with {suffix}", where, text=text, path=path
                    )
                    break
        if _SEPARATED.match(number):
            number = number.replace(",", "")
        if kind == "count":
            if _COUNT.match(number):
                digits = number.lstrip("0") or "0"
                # Python parses no integer of over 4,300 digits: the length is
                # looked at before the number is.
                if len(digits) <= MAX_COUNT_DIGITS and int(digits) <= MAX_COUNT:
                    return int(digits)
                self.note(
                    "not-a-number",
                    f"a count larger than {MAX_COUNT:,}, the largest a count can be: read as blank",
                    where,
                    text=text,
                    path=path,
                )
                return None
            self.note(
                "not-a-number",
                "not a count (a whole number ≥ 0): read as blank",
                where,
                text=text,
                path=path,
            )
            return None
        if _AMOUNT.match(number):
            try:
                amount = Decimal(number).scaleb(scale)
            except InvalidOperation:  # pragma: no cover - the pattern admits only digits
                amount = None
            if amount is not None:
                exponent = amount.as_tuple().exponent
                assert isinstance(exponent, int)
                if amount < MAX_AMOUNT and exponent >= -MAX_AMOUNT_PLACES:
                    return amount
        self.note(
            "not-a-number", "not an amount in 万元: read as blank", where, text=text, path=path
        )
        return None


def _cell_where(
    table: SourceTable, cell: SourceCell | None, form_table: int | None = None
) -> Where:
    """Return where ``cell`` (else ``table``) is; ``form_table`` is the form's number of it."""
    if table.index < 0:  # rows the reader made of lines: their lines are where they are
        return Where(line=cell.line if cell is not None else table.where.line)
    if cell is None:
        place = table.where
        return new_where(
            place.line, None, table.index, None, None, form_table, place.page, place.bbox
        )
    return new_where(
        cell.line, None, table.index, cell.row, cell.column, form_table, cell.page, cell.bbox
    )


def _with_form_table(where: Where, form_table: int) -> Where:
    """Return ``where`` naming its table as the form numbers it (built directly: fast)."""
    if where.form_table == form_table:
        return where
    return Where(
        line=where.line,
        paragraph=where.paragraph,
        table=where.table,
        row=where.row,
        column=where.column,
        form_table=form_table,
        page=where.page,
        bbox=where.bbox,
        sheet=where.sheet,
        cell=where.cell,
    )


def row_label(leaf: _Leaf) -> str:
    labels = [row.label for row in (*leaf.ancestors, leaf.row) if not row.layout_only]
    return "".join(labels)


# --- table readers ----------------------------------------------------------------------


def _distinct(cells: Sequence[SourceCell]) -> list[SourceCell]:
    """Return ``cells`` without repeats of one object (a merged cell fills many slots)."""
    return list({id(cell): cell for cell in cells}.values())


def _fit(values: list[SourceCell], count: int, *, packed: bool = False) -> list[SourceCell]:
    """Return a text row's values without the empty slots of merged cells, where too many.

    A table copied as tab-separated text keeps a slot for every grid column: a
    label merged over three columns is followed by two empty ones, a value merged
    over three by two. Where a row has more values than the form has columns,
    empty ones are dropped from its start (the label's slots), then from its end.
    A ``packed`` row (:attr:`SourceTable.packed`) is padded only at its end.
    """
    start, end = 0, len(values)
    while not packed and end - start > count and is_blank(values[start].text):
        start += 1
    while end - start > count and is_blank(values[end - 1].text):
        end -= 1
    return values[start:end]


_MAX_LEAF_TUPLES: Final = 64
_BY_LEVEL: dict[int, tuple[Sequence[_Leaf], tuple[dict[str, list[_Leaf]], ...]]] = {}


def _leaves_by_level(leaves: Sequence[_Leaf]) -> tuple[dict[str, list[_Leaf]], ...]:
    """Return ``leaves`` by each key of their own label (:func:`_levels`), in their order.

    Built once for each tuple of leaves (a table's, a form's): a row label is then
    looked up, not compared with every leaf.
    """
    cached = _BY_LEVEL.get(id(leaves))
    if cached is not None and cached[0] is leaves:
        return cached[1]
    by_level: tuple[dict[str, list[_Leaf]], ...] = ({}, {}, {})
    for leaf in leaves:
        for level, key in enumerate(_levels(leaf.row.label)):
            by_level[level].setdefault(key, []).append(leaf)
    if isinstance(leaves, tuple):  # a list may change: looked at afresh each time
        if len(_BY_LEVEL) >= _MAX_LEAF_TUPLES:  # only a few tuples ever come (bounded all the same)
            _BY_LEVEL.clear()
        _BY_LEVEL[id(leaves)] = (leaves, by_level)
    return by_level


def _match_leaf(
    labels: Sequence[str], leaves: Sequence[_Leaf], context: Sequence[Row]
) -> tuple[_Leaf | None, bool]:
    """Return the leaf row ``labels`` name (the last is the row's own), and whether loosely."""
    if not labels:
        return None, False
    last = labels[-1]
    by_level = _leaves_by_level(leaves)
    for level in range(3):
        key = _levels(last)[level]
        if not key:
            continue
        candidates = by_level[level].get(key, [])
        if not candidates:
            continue
        if len(candidates) > 1:
            named = [_levels(label)[1] for label in labels[:-1]] or [
                _levels(group.label)[1] for group in context
            ]
            narrowed = [
                leaf
                for leaf in candidates
                if all(
                    any(_levels(group.label)[1] == name for group in leaf.ancestors)
                    for name in named
                )
            ]
            candidates = narrowed or candidates
        if len(candidates) == 1:
            return candidates[0], level == 2
        return None, False
    # A label real reports print for a row of the form (规范性文件 for 行政规范性文件).
    for key in _levels(last)[1:]:
        path = _ROW_VARIANT_KEYS.get(key)
        if path is not None:
            found = next((leaf for leaf in leaves if leaf.path == path), None)
            if found is not None:
                return found, True
    misprinted = _misprinted_leaf(labels, leaves, context)
    return misprinted, misprinted is not None


_ITEM_NUMBER: Final = re.compile(r"\s*(?P<n>[0-9]{1,2})\s*[.．、]")


def _misprinted_leaf(
    labels: Sequence[str], leaves: Sequence[_Leaf], context: Sequence[Row]
) -> _Leaf | None:
    """Return the leaf a misprinted numbered item names, within the group it is printed under.

    "2.其他法律行政止公开" under （三）不予公开 is item 2 of that group: read as
    it when the printed label keeps most of the form's characters.
    """
    match = _ITEM_NUMBER.match(labels[-1])
    if match is None:
        return None
    named = [_levels(label)[1] for label in labels[:-1]] or [
        _levels(group.label)[1] for group in context
    ]
    if not named:
        return None
    number = match["n"]
    printed = set(unnumbered_key(labels[-1]))
    found = [
        leaf
        for leaf in leaves
        if (own := _ITEM_NUMBER.match(leaf.row.label)) is not None
        and own["n"] == number
        and leaf.ancestors
        and _levels(leaf.ancestors[-1].label)[1] in named
        and len(printed & set(unnumbered_key(leaf.row.label))) * 3 >= 2 * len(printed)
    ]
    return found[0] if len(found) == 1 else None


def names_row(index: TableIndex, text: str) -> bool:
    """Return whether ``text`` is the label of one of the table's rows or groups (not loosely).

    >>> from gipreport._core.form import FORM_2021
    >>> requests = indexes(FORM_2021)[1]
    >>> [names_row(requests, text) for text in ("（三）不予公开", "总计", "自然人")]
    [True, False, False]
    """
    leaf, loose = _match_leaf([text], index.leaves, [])
    return (leaf is not None and not loose) or _is_group_label(text, index.groups) is not None


def names_column(index: TableIndex, text: str) -> bool:
    """Return whether ``text`` is the name of one of the table's columns, or of its header.

    >>> from gipreport._core.form import FORM_2021
    >>> names_column(indexes(FORM_2021)[0], "本年废止件数")
    True
    """
    keys = {label_key(text), bare_key(text)}
    return bool(keys & index.header_keys) or any(
        label_key(column.label) in keys for leaf in index.leaves for column in leaf.row.columns
    )


def row_width(index: TableIndex, text: str) -> int | None:
    """Return how many values the row ``text`` names has, or ``None`` if it names no one row.

    >>> from gipreport._core.form import FORM_2021
    >>> row_width(indexes(FORM_2021)[1], "1.属于国家秘密"), row_width(indexes(FORM_2021)[0], "规章")
    (7, 3)
    """
    leaf, _loose = _match_leaf([text], index.leaves, [])
    return len(leaf.row.columns) if leaf is not None else None


def knows_label(index: TableIndex, text: str) -> bool:
    """Return whether ``text`` is a label of the table (a row's, loosely too; a column's).

    >>> from gipreport._core.form import FORM_2021
    >>> requests = indexes(FORM_2021)[1]
    >>> knows_label(requests, "总计"), knows_label(requests, "规章")
    (True, False)
    """
    if label_key(text) in index.keys or bare_key(text) in index.keys:
        return True
    return _match_leaf([text], index.leaves, [])[0] is not None


@functools.lru_cache(maxsize=4096)
def is_form_label(text: str) -> bool:
    """Return whether ``text`` is exactly a label of a table of any form (a row's, a column's).

    Exactly: as printed, but for spacing, punctuation, script and its number;
    a piece of a label ("政府信息", a row's text cut by a page break) is not one.

    >>> is_form_label("（三）不予公开"), is_form_label("自然人"), is_form_label("息公开申请")
    (True, True, False)
    """
    keys = {label_key(text), bare_key(text)}
    return any(keys & index.keys for form in FORMATS.values() for index in indexes(form))


def _is_group_label(text: str, groups: Sequence[Row]) -> Row | None:
    key = bare_key(text)
    for group in groups:
        if bare_key(group.label) == key:
            return group
    return None


@attrs.define
class _IndexMemo:
    """What reading one table of a form made of the texts it met, kept for the next source.

    Each is a function of the text and the table alone; the texts are the form's
    labels, mostly.
    """

    index: TableIndex
    header_texts: dict[str, bool] = attrs.Factory(dict)
    """Whether each text is one of the table's header labels."""
    head_keys: dict[str, str | None] = attrs.Factory(dict)
    """Each header cell's text as a column's header key: ``None`` for a blank or the corner."""
    columns: dict[tuple[str, ...], tuple[_ColumnTarget | None, bool]] = attrs.Factory(dict)
    """The column each chain of header keys names, and whether by a variant."""
    rows: dict[tuple[tuple[int, ...], tuple[int, ...]], dict[str | None, _RowSlots]] = (
        attrs.Factory(dict)
    )
    """For each mapping of grid columns to the table's columns (by the grid columns and
    the ids of the columns, which the index keeps), each row's slots (:func:`_row_slots`),
    by the row's path (``None``: the row the columns fix)."""

    blocks: dict[int, tuple[Row | None, _BlockColumns]] = attrs.Factory(dict)
    """Each block's columns (by the block's id, with the block: one of the table's rows),
    as :meth:`_StackedTableReader.block_columns` gives them."""
    plans: dict[tuple[int, tuple[tuple[str, ...], ...]], _ColumnPlan] = attrs.Factory(dict)
    """What each header, by its width and its rows' texts, makes of the table's columns
    (:meth:`_BlockTableReader.column_plan`)."""

    def mapped(self, mapping: dict[int, _ColumnTarget]) -> dict[str | None, _RowSlots]:
        """Return the rows' slots of ``mapping``, as far as they are known (filled as read)."""
        key = (tuple(mapping), tuple(map(id, mapping.values())))
        # setdefault: one step, so that two threads reading alike share one dict.
        return self.rows.get(key) or self.rows.setdefault(key, {})


_BlockColumns = tuple[
    dict[str, Column], dict[str, tuple[int, Column]], dict[str, tuple[int, Column]]
]
"""A block's columns by key, and the first of them by each bare key and label key, with its
place: see :meth:`_StackedTableReader.block_columns`."""
_ColumnPlan = tuple[
    tuple[tuple[int, _ColumnTarget], ...],
    tuple[int, ...],
    tuple[tuple[int, str, _ColumnTarget | None], ...],
    tuple[_ColumnTarget, ...],
]
"""What a header makes of a table's columns: see :meth:`_BlockTableReader.column_plan`."""
_MAX_PLANNED_SLOTS: Final = 512
"""The most slots (rows times columns) a header remembered in a memo has."""
_RowSlots = tuple[tuple[int, str, str | None], ...]
"""A row's slots: for each mapped grid column, the cell path and its kind (``None``: no
cell of the form)."""


def _row_slots(form: FormSpec, mapping: dict[int, _ColumnTarget], row: str | None) -> _RowSlots:
    """Return the slots of the row ``row`` (``None``: the row each column fixes) under ``mapping``.

    Worked out once a row and mapping (:attr:`_IndexMemo.rows`): the path of each
    of its cells, made and hashed once, and the cell's kind.
    """
    kinds = _cell_kinds(form)
    slots = []
    for j, target in mapping.items():
        row_path = target.row if row is None else row
        assert row_path is not None
        path = f"{row_path}.{target.column.key}"
        slots.append((j, path, kinds.get(path)))
    return tuple(slots)


_UNKNOWN: Final = "\x00unknown"
"""What a memo holds for no text (no header key is it: keys are printable)."""
_MEMOS: dict[int, _IndexMemo] = {}
_MAX_MEMO: Final = 2048
"""How many texts (or chains) a table's memo keeps before it starts afresh."""
_MAX_MAPPINGS: Final = 64
"""How many headers and mappings of columns a table's memo keeps (a header's plan, a
mapping's rows' slots) before it starts afresh: a few layouts are all sources print."""


def _memo(index: TableIndex) -> _IndexMemo:
    """Return the memo of ``index`` (one a table of a form), emptied where it grew too big."""
    memo = _MEMOS.get(id(index))
    if memo is None or memo.index is not index:
        memo = _MEMOS[id(index)] = _IndexMemo(index)
    elif (
        max(len(memo.header_texts), len(memo.head_keys), len(memo.columns)) > _MAX_MEMO
        or max(len(memo.rows), len(memo.plans)) > _MAX_MAPPINGS
    ):
        memo.rows.clear()
        memo.plans.clear()
        memo.header_texts.clear()
        memo.head_keys.clear()
        memo.columns.clear()
    return memo


class _TableReaderBase:
    def __init__(self, reader: TableState, index: TableIndex, table: SourceTable) -> None:
        self.reader = reader
        self.index = index
        self.table = table
        self.label_columns: set[int] = set()  # grid columns holding row labels
        self.label_order: list[int] = []  # the label columns in order (gridded, once known)
        # The mapping of columns a block table's values are read by, and its rows'
        # slots (the memo's: _IndexMemo.rows).
        self.slots: tuple[dict[int, _ColumnTarget] | None, dict[str | None, _RowSlots]]
        self.slots = (None, {})
        self.group_rows: list[tuple[Row, SourceCell, str, str]] = []  # group rows with values
        self.memo = _memo(index)  # what this table of the form made of texts seen

    def finish(self) -> None:
        """Note the group rows with values, now that the table's rows are known."""
        for group, first, text, printed in self.group_rows:
            leaves = [leaf for leaf in self.index.leaves if group in leaf.ancestors]
            where = _cell_where(self.table, first)
            if any(leaf.path in self.reader.read_rows for leaf in leaves):
                self.reader.note(
                    "row-unknown",
                    "a subtotal row, which the form does not have: not read",
                    where,
                    text=text,
                )
                continue
            rows = "、".join(leaf.row.label for leaf in leaves)
            self.reader.note(
                "rows-merged",
                f"{group.label} printed as one row, without its rows {rows} (as the 2019 "
                "format prints it): its values cannot be split between them, so they stay "
                f"blank (printed: {printed})",
                where,
                text=f"{text} / {printed}",
                path=".".join(leaves[0].path.split(".")[:-1]) if leaves else None,
            )

    def take_row(self, leaf: _Leaf, first: SourceCell) -> bool:
        if leaf.path in self.reader.read_rows:
            self.reader.note(
                "duplicate-row",
                f"row {row_label(leaf)} appears again: the first is kept",
                _cell_where(self.table, first),
                text=first.text,
                path=leaf.path,
            )
            return False
        self.reader.read_rows.add(leaf.path)
        return True

    def named_row(
        self,
        labels: Sequence[str],
        first: SourceCell,
        last: SourceCell,
        *,
        has_values: bool,
        context: list[Row],
        values: Sequence[SourceCell] = (),
        distinct: bool = False,
    ) -> _Leaf | None:
        """Return the row ``labels`` name, to be read; ``None`` if the row is not read.

        A group label alone (the first row of a group, in text) becomes the
        context for the rows after it; a row the form does not have, or a
        subtotal row, is noted. ``first``/``last`` are the first and last label
        cells, where the notes point. ``distinct``: ``values`` may hold a merged cell in
        each slot it fills, and is printed with each cell once (made so only where printed).
        """
        leaf, loose = _match_leaf(labels, self.index.leaves, context)
        if leaf is None:
            group = _is_group_label(labels[-1], self.index.groups) if labels else None
            if group is not None and not has_values:
                context[:] = [group]
                return None
            if group is not None:
                # A group's own row with values: a subtotal, or — where the
                # table has none of the group's rows — the group printed as one
                # row (decided when the whole table is read).
                printed = " / ".join(v.text for v in (_distinct(values) if distinct else values))
                self.group_rows.append((group, first, " / ".join(labels), printed))
                return None
            self.reader.note(
                "row-unknown",
                "a row the form does not have: not read",
                _cell_where(self.table, first),
                text=" / ".join(labels),
            )
            return None
        context[:] = list(leaf.ancestors)
        if loose:
            self.reader.note(
                "label-variant",
                f"read as row {row_label(leaf)}",
                _cell_where(self.table, last),
                text=labels[-1],
                path=leaf.path,
            )
        return leaf if self.take_row(leaf, last) else None

    def claim_single_row(self, first: SourceCell) -> bool:
        """Return whether the one row of values of table 4 is still to be read (and claim it)."""
        rows = {t.row for t in self.index.targets if t.row is not None}
        if rows & self.reader.read_rows:
            self.reader.note(
                "duplicate-row",
                "a second row of values: the first is kept",
                _cell_where(self.table, first),
            )
            return False
        self.reader.read_rows.update(rows)
        return True

    def put_in_order(
        self,
        slots: Sequence[tuple[str, str | None]],
        values: list[SourceCell],
        first: SourceCell,
        *,
        row: str | None,
    ) -> None:
        """Read a text row's values into ``slots`` (cell path, unit), in order.

        Where a text row has fewer values than the form has columns, which is
        which cannot be told: the row is read as blank, with a note. Extra
        values are noted and not read.
        """
        values = _fit(values, len(slots), packed=self.table.packed)
        if len(values) > len(slots) and (self.table.counted or self.table.packed):
            self.reader.note(
                "excess-values",
                f"{len(values)} values between this row's label and the next where the form "
                f"has {len(slots)}: which is which cannot be told, so the row is read as blank",
                _cell_where(self.table, first),
                text=" / ".join(c.text for c in values),
                path=row,
            )
            for path, _unit in slots:
                self.reader.values[path] = None
            return
        if len(values) < len(slots):
            self.reader.note(
                "missing-cells",
                f"{len(values)} values where the form has {len(slots)}: which is which "
                "cannot be told, so the row is read as blank",
                _cell_where(self.table, first),
                text=" / ".join(c.text for c in values),
                path=row,
            )
            for path, _unit in slots:
                self.reader.values[path] = None
            return
        if len(values) > len(slots):
            self.reader.note(
                "extra-cells",
                f"{len(values)} values where the form has {len(slots)}: the last ones are not read",
                _cell_where(self.table, values[len(slots)]),
                text=" / ".join(c.text for c in values[len(slots) :]),
                path=row,
            )
        for (path, unit), cell in zip(slots, values, strict=False):
            self.reader.put(path, cell, self.table, unit=unit)

    def value_like(self, text: str) -> bool:
        return value_like(text)


def value_like(text: str) -> bool:
    """Return whether ``text`` is written as a value (a number, a blank mark), not a label."""
    if text.isascii() and text.isdigit():
        return True
    if len(text) <= _SHORT:
        return _short_value_like(text)
    return _value_like(text)


_SHORT: Final = 64
"""The longest text whose :func:`value_like` is remembered (a label, a cell; not prose)."""


@functools.lru_cache(maxsize=4096)
def _short_value_like(text: str) -> bool:
    return _value_like(text)


def _value_like(text: str) -> bool:
    squashed = unicodedata.normalize("NFKC", squash(text))
    if squashed in _BLANK_MARKS:
        return True
    stripped = squashed.replace(",", "")
    for suffix in ("万元", "元", *_COUNT_UNITS):
        stripped = stripped.removesuffix(suffix)
    return bool(_AMOUNT.match(stripped)) or stripped.startswith("-")


_SPACES: Final = re.compile(r"[ \t\u00a0\u3000]+")


def label_and_values(form: FormSpec, text: str) -> tuple[str, tuple[str, ...]] | None:
    """Return a row label of the form and its values, where ``text`` is both set apart by spaces.

    >>> from gipreport._core.form import FORM_2021
    >>> label_and_values(FORM_2021, "行政许可 97")
    ('行政许可', ('97',))
    >>> label_and_values(FORM_2021, "规章 0 0 0"), label_and_values(FORM_2021, "规章") is None
    (('规章', ('0', '0', '0')), True)
    """
    tokens = [token for token in _SPACES.split(text.strip()) if token]
    if len(tokens) < 2 or not value_like(tokens[-1]):
        return None
    split = len(tokens)
    while split > 1 and value_like(tokens[split - 1]):
        split -= 1
    label = " ".join(tokens[:split])
    if value_like(label):
        return None
    leaf, _loose = _match_leaf([label], _form_leaves(form), [])
    if leaf is None:
        return None
    return label, tuple(tokens[split:])


_FORM_LEAVES: dict[int, tuple[FormSpec, tuple[_Leaf, ...]]] = {}


def _form_leaves(form: FormSpec) -> tuple[_Leaf, ...]:
    """Return the leaf rows of all of ``form``'s tables, in order (one tuple per form)."""
    cached = _FORM_LEAVES.get(id(form))
    if cached is None or cached[0] is not form:
        leaves = tuple(leaf for index in indexes(form) for leaf in index.leaves)
        cached = _FORM_LEAVES[id(form)] = (form, leaves)
    return cached[1]


class _BlockTableReader(_TableReaderBase):
    """Tables 3 and 4: one header block, then rows named by labels (table 3)."""

    def read(self) -> None:
        rows = self.table.rows
        if self.table.gridded:
            self.read_gridded(rows)
        else:
            self.read_text(rows)
        self.finish()

    def header_row(self, cells: Sequence[SourceCell]) -> bool:
        # A row of the form's header labels, perhaps with labels of another
        # template's own (a 小计 column), and no value.
        # A merged cell's repeats change neither answer, and a row with a value
        # (every body row) is told by it before its labels are looked up.
        for cell in cells:
            if cell.text.isascii() and cell.text.isdigit():
                return False  # a value (the common case: a body row), told first
        # Then one pass: a value-like text says no, else a header label yes.
        header = False
        for cell in cells:
            text = cell.text
            if is_blank(text):
                continue
            if self.value_like(text):
                return False
            header = header or self.header_text(text)
        return header

    def header_text(self, text: str) -> bool:
        known = self.memo.header_texts.get(text)
        if known is None:
            known = self.memo.header_texts[text] = self._header_text(text)
        return known

    def _header_text(self, text: str) -> bool:
        key = label_key(text)
        return (
            key in self.index.header_keys
            or bare_key(text) in self.index.header_keys
            or (bool(self.index.corner_key) and ("勾稽关系" in key or key == self.index.corner_key))
        )

    def is_corner(self, text: str) -> bool:
        key = label_key(text)
        return bool(self.index.corner_key) and ("勾稽关系" in key or key == self.index.corner_key)

    # --- gridded (HTML, docx) ------------------------------------------------------

    def read_gridded(self, rows: Sequence[Sequence[SourceCell]]) -> None:
        heads = []
        body_start = 0
        for r, cells in enumerate(rows):
            if self.header_row(cells):
                heads.append(cells)
                body_start = r + 1
            else:
                break
        width = max((len(cells) for cells in rows), default=0)
        mapping = self.map_columns(heads, width) if heads else self.default_columns(width)
        context: list[Row] = []
        # The label columns in order, as a row's cells are (fixed from here on).
        self.label_order = sorted(self.label_columns)
        for cells in rows[body_start:]:
            if self.header_row(cells):
                continue  # a header repeated on a new page
            self.read_body_row(cells, mapping, context)

    def map_columns(
        self, heads: Sequence[Sequence[SourceCell]], width: int
    ) -> dict[int, _ColumnTarget]:
        """Return the form's column each grid column is; note those that are none, or missing.

        What the header's texts make of the columns (:meth:`column_plan`) is remembered
        by the memo of the form's table, by the texts (a header is printed alike source
        after source; a header of more than :data:`_MAX_PLANNED_SLOTS` slots is worked
        out afresh); the notes name this table's cells.
        """
        texts = tuple(tuple(map(_TEXT, cells)) for cells in heads)
        if len(texts) * width <= _MAX_PLANNED_SLOTS:
            key = (width, texts)
            plan = self.memo.plans.get(key)
            if plan is None:
                plan = self.memo.plans[key] = self.column_plan(texts, width)
        else:
            plan = self.column_plan(texts, width)
        mapping, label_columns, odd, missing = plan
        self.label_columns.update(label_columns)
        for j, raw, target in odd:
            head = heads[-1][j] if j < len(heads[-1]) else None
            where = Where(
                table=self.table.index,
                row=len(heads) - 1,
                column=j,
                page=head.page if head is not None else None,
                bbox=head.bbox if head is not None else None,
            )
            if target is None:
                self.reader.note(
                    "column-unknown",
                    "a column whose header matches no column of the form: not read",
                    where,
                    text=raw,
                )
            else:
                self.reader.note(
                    "label-variant", f"read as column {' / '.join(target.chain)}", where, text=raw
                )
        for target in missing:
            self.reader.note(
                "column-missing",
                f"no column {' / '.join(target.chain)} in the table: its cells are blank",
                Where(
                    table=self.table.index,
                    page=self.table.where.page,
                    bbox=self.table.where.bbox,
                ),
            )
        return dict(mapping)

    def column_plan(self, texts: tuple[tuple[str, ...], ...], width: int) -> _ColumnPlan:
        """Return what a header of rows of ``texts`` makes of a table's ``width`` columns.

        The form's column of each grid column under a header, in order; the label
        columns (no header over them); the columns noted, in order, with the header
        texts over them and, where read by a variant of its header, the column (else
        ``None``: matching none, or one taken already); the form's columns missing.
        """
        mapping: list[tuple[int, _ColumnTarget]] = []
        label_columns: list[int] = []
        odd: list[tuple[int, str, _ColumnTarget | None]] = []
        taken: set[int] = set()
        for j in range(width):
            chain: list[str] = []
            raw: list[str] = []
            for row in texts:
                if j >= len(row):
                    continue
                text = row[j]
                key = self.head_key(text)
                if key is None:
                    continue
                if not chain or chain[-1] != key:
                    chain.append(key)
                    raw.append(text)
            if not chain:
                label_columns.append(j)  # no header over it: a label column
                continue
            target, variant = self.matched_column(tuple(chain))
            if target is None or id(target) in taken:
                odd.append((j, " / ".join(raw), None))
                continue
            if variant:
                odd.append((j, " / ".join(raw), target))
            taken.add(id(target))
            mapping.append((j, target))
        missing = tuple(target for target in self.index.targets if id(target) not in taken)
        return tuple(mapping), tuple(label_columns), tuple(odd), missing

    def head_key(self, text: str) -> str | None:
        """Return a header cell's text as a column's header key; ``None`` for a blank or corner."""
        keys = self.memo.head_keys
        # One lookup, not "in" then [] (another thread's read may empty the memo between).
        key = keys.get(text, _UNKNOWN)
        if key is not _UNKNOWN:
            return key
        key = keys[text] = None if is_blank(text) or self.is_corner(text) else label_key(text)
        return key

    def matched_column(self, chain: tuple[str, ...]) -> tuple[_ColumnTarget | None, bool]:
        """Return :meth:`match_column` of ``chain``, remembered for the table of the form."""
        matched = self.memo.columns.get(chain)
        if matched is None:
            matched = self.memo.columns[chain] = self.match_column(chain)
        return matched

    def match_column(self, chain: tuple[str, ...]) -> tuple[_ColumnTarget | None, bool]:
        """Return the form's column a chain of header keys names, and whether by a variant."""
        target = self.match_chain(chain)
        if target is not None:
            return target, False
        keys = {key for t in self.index.targets for key in t.chain}
        canonical = tuple(
            next((form for form in _COLUMN_VARIANT_KEYS.get(key, ()) if form in keys), key)
            if key not in keys
            else key
            for key in chain
        )
        if canonical == chain:
            return None, False
        return self.match_chain(canonical), True

    def match_chain(self, chain: tuple[str, ...]) -> _ColumnTarget | None:
        last = chain[-1]
        candidates = [t for t in self.index.targets if t.chain and t.chain[-1] == last]
        if not candidates:
            candidates = [
                t for t in self.index.targets if t.chain and bare_key(t.column.label) == last
            ]
        narrowed = [t for t in candidates if set(chain[:-1]) <= set(t.chain)]
        if len(narrowed) == 1:
            return narrowed[0]
        if not narrowed and len(candidates) == 1:
            return candidates[0]
        return None

    def default_columns(self, width: int) -> dict[int, _ColumnTarget]:
        # No header: the value columns are the last ones, in the form's order.
        targets = self.index.targets
        first = width - len(targets)
        if first < 0:
            return {}
        self.label_columns.update(range(first))
        return {first + i: target for i, target in enumerate(targets)}

    def read_body_row(
        self, cells: Sequence[SourceCell], mapping: dict[int, _ColumnTarget], context: list[Row]
    ) -> None:
        width = len(cells)
        label_cells = _distinct([cells[j] for j in self.label_order if j < width])
        labels = [c.text for c in label_cells if not is_blank(c.text)]
        # The row's cells under the mapped columns, in the mapping's order (read_values
        # takes them from the row itself).
        value_cells = [cells[j] for j in mapping if j < width]
        has_values = False
        for cell in value_cells:
            if not is_blank(cell.text):
                has_values = True
                break
        if not labels and not has_values and not any(not is_blank(c.text) for c in cells):
            return  # an empty row: layout
        if self.index.spec.label_columns == 0:
            self.read_values(cells, mapping, leaf=None, first=cells[0])
            return
        first = label_cells[0] if label_cells else cells[0]
        last = label_cells[-1] if label_cells else cells[0]
        leaf = self.named_row(
            labels,
            first,
            last,
            has_values=has_values,
            context=context,
            values=value_cells,
            distinct=True,
        )
        if leaf is not None:
            self.read_values(cells, mapping, leaf=leaf, first=last)

    def read_values(
        self,
        cells: Sequence[SourceCell],
        mapping: dict[int, _ColumnTarget],
        *,
        leaf: _Leaf | None,
        first: SourceCell,
    ) -> None:
        """Read the values of a row of ``cells`` under the columns of ``mapping``.

        ``leaf`` is the row of the form they are (``None``: the columns fix it, table
        4). Each column's cell path and kind come from the memo of the form's table
        (:meth:`_IndexMemo.mapped`, :func:`_row_slots`): a row of the form is read from the same
        columns again and again, source after source.
        """
        if leaf is None and not self.claim_single_row(first):
            return
        reader, table = self.reader, self.table
        values, places = reader.values, reader._places
        notes = reader.notes
        numbered = reader._numbered  # the table being read, as put reads it
        index = table.index
        number = numbered[1] if numbered is not None and numbered[0] == index else None
        if number is None:
            reader._unnumbered_places = True  # as put notes it
        if self.slots[0] is not mapping:  # the rows' slots of this mapping, once a table
            self.slots = (mapping, self.memo.mapped(mapping))
        leaf_path = leaf.path if leaf is not None else None
        row_slots = self.slots[1].get(leaf_path)
        if row_slots is None:
            row_slots = self.slots[1][leaf_path] = _row_slots(reader.form, mapping, leaf_path)
        direct = index >= 0  # a place made here as put makes it (not a table of lines)
        width = len(cells)
        for j, path, kind in row_slots:
            if j >= width:
                reader.put(path, None, table, unit=None)
                continue
            cell = cells[j]
            if cell.column != j and mapping.get(cell.column) is not None:
                # A value merged across columns belongs to its first column only.
                self.reader.note(
                    "missing-cells",
                    "this cell is merged into the one to its left: read as blank",
                    _cell_where(self.table, cell),
                    text=cell.text,
                    path=path,
                )
                self.reader.values[path] = None
                continue
            text = cell.text
            if direct and text.isascii() and text.isdigit() and kind == "count":
                if len(text) <= MAX_COUNT_DIGITS and (count := int(text)) <= MAX_COUNT:
                    # put's common case, done here: a count, with nothing to note.
                    # Its place is made when it is looked up (Places): most never are.
                    places[path] = (cell, index, number)
                    values[path] = count
                    continue
            elif direct and is_blank(text) and kind is not None:
                # put's next most common, done here: a blank cell, noted. The place
                # names the table as note would (the notes of the row's table).
                where = places[path] = new_where(
                    cell.line, None, index, cell.row, cell.column, number, cell.page, cell.bbox
                )
                notes.append(new_note("blank-cell", _BLANK_CELL, where, text, path))
                values[path] = None
                continue
            reader.put(path, cell, table, unit=None)

    # --- text (cells as written, positions lost) -----------------------------------

    def read_text(self, rows: Sequence[Sequence[SourceCell]]) -> None:
        context: list[Row] = []
        for cells in rows:
            if self.header_row(cells):
                continue
            split = 0
            for position, cell in enumerate(cells):
                text = cell.text
                if text.isascii() and text.isdigit():
                    continue  # a value (value_like's first test), told without a call
                if not is_blank(text) and not self.value_like(text):
                    split = position + 1
            labels = [c.text for c in cells[:split] if not is_blank(c.text)]
            values = list(cells[split:])
            if not labels and all(is_blank(c.text) for c in values):
                continue
            if self.index.spec.label_columns == 0:
                if labels:
                    self.reader.note(
                        "row-unknown",
                        "a row the form does not have: not read",
                        _cell_where(self.table, cells[0]),
                        text=" / ".join(labels),
                    )
                    continue
                leaf = None
                first = cells[0]
            else:
                first = cells[max(split - 1, 0)]
                has_values = not all(is_blank(c.text) for c in values)
                leaf = self.named_row(
                    labels, cells[0], first, has_values=has_values, context=context, values=values
                )
                if leaf is None:
                    continue
            if leaf is None and not self.claim_single_row(first):
                continue
            self.text_values(values, leaf, first)

    def text_values(self, values: list[SourceCell], leaf: _Leaf | None, first: SourceCell) -> None:
        slots = [
            (f"{leaf.path if leaf is not None else t.row}.{t.column.key}", None)
            for t in self.index.targets
        ]
        self.put_in_order(slots, values, first, row=leaf.path if leaf is not None else None)


_Convention = Literal["repeat", "empty", "packed"]
"""How a source whose merges are lost prints a merged cell: its text in every
slot it spans, its text in the first slot and the others empty, or (a row's
cells in order, padded at the end) once, wherever the grid had it."""
_CONVENTIONS: Final[frozenset[_Convention]] = frozenset({"repeat", "empty", "packed"})


def _slot_text(cell: SourceCell) -> str:
    return "" if is_blank(cell.text) and not cell.text.strip() else squash(cell.text)


def _starts(
    texts: Sequence[str], spans: Sequence[int], convention: _Convention
) -> tuple[int, ...] | None:
    """Return the first slot of each cell, where ``texts`` print cells of ``spans`` so."""
    starts: list[int] = []
    at = 0
    for span in spans:
        group = texts[at : at + span]
        if convention == "repeat" and any(text != group[0] for text in group):
            return None
        if convention == "empty" and any(group[1:]):
            return None
        starts.append(at)
        at += span
    return tuple(starts) if at == len(texts) else None


def _layouts(
    texts: Sequence[str], grids: Sequence[tuple[int, ...]], conventions: frozenset[_Convention]
) -> set[tuple[int, ...]]:
    """Return the first slot of each value, for every grid and convention ``texts`` fit."""
    found: set[tuple[int, ...]] = set()
    count = len(grids[0])
    for convention in conventions:
        if convention == "packed":
            if len(texts) >= count and not any(texts[count:]):
                found.add(tuple(range(count)))
            continue
        for spans in grids:
            starts = _starts(texts, spans, convention)
            if starts is not None:
                found.add(starts)
    return found


def _header_conventions(texts: Sequence[str], spans: Sequence[int]) -> frozenset[_Convention]:
    """Return how a header row whose merges are lost prints its merged cells.

    Its texts are its column names (never blank): laid on the form's header
    spans they show which conventions the converter used; where none fits,
    every convention is possible.
    """
    found: set[_Convention] = set()
    for convention in ("repeat", "empty"):
        starts = _starts(texts, spans, convention)
        if starts is not None and all(texts[s] for s in starts):
            found.add(convention)
    count = len(spans)
    if len(texts) >= count and all(texts[:count]) and not any(texts[count:]):
        found.add("packed")
    return frozenset(found) or _CONVENTIONS


def _runs(cells: Sequence[SourceCell]) -> list[SourceCell]:
    """Return ``cells`` with each run of neighbours of one text as its first cell."""
    out: list[SourceCell] = []
    for cell in cells:
        if not out or squash(out[-1].text) != squash(cell.text):
            out.append(cell)
    return out


class _StackedTableReader(_TableReaderBase):
    """Table 2: blocks of an article title, a header row and data rows.

    Where the source lost its merges (markdown, a crawler's rows split by bars)
    and the form spans a block's
    values otherwise than its header (the 2019 table 2), a data row's slots are
    laid on the grids its values are printed on — the form's value spans (as
    the layout prints them), its header spans, one slot a value — the header row
    showing how the converter printed a merged cell (repeated, left empty, or
    once with the row padded at its end); a row is read only where every way
    that fits gives the same values, otherwise it is blank with a note
    (``spans-ambiguous``).
    """

    def read(self) -> None:
        block_columns: dict[int, dict[int, Column] | list[Column]] = {}
        conventions: dict[int, frozenset[_Convention]] = {}
        current: Row | None = None
        units: dict[str, str] = {}
        content_key = label_key(PROACTIVE_CONTENT_LABEL)
        blocks = [group for group in self.index.groups if group.layout_only]
        # A crawler's rows split by bars may print a merged cell once or in every
        # slot; markdown keeps the slots, which only the 2019 grid makes ambiguous.
        lost = self.table.packed or (
            self.table.spans_lost and any(b.value_spans != b.header_spans for b in blocks)
        )
        for cells in self.table.rows:
            distinct = [c for c in _distinct(cells) if not is_blank(c.text)]
            if lost:
                distinct = _runs(distinct)
            if not distinct:
                continue
            first = distinct[0]
            if len(distinct) == 1:
                block = next((b for b in blocks if bare_key(b.label) == bare_key(first.text)), None)
                if block is not None:
                    current = block
                    continue
            if label_key(first.text) == content_key:
                block = self.header(distinct, current, block_columns, units, lost=lost)
                if lost and block is not None:
                    texts = [_slot_text(c) for c in cells[first.column + 1 :]]
                    conventions[id(block)] = _header_conventions(texts, block.header_spans)
                continue
            leaf, loose = _match_leaf([first.text], self.index.leaves, [])
            if leaf is None:
                self.reader.note(
                    "row-unknown",
                    "a row the form does not have: not read",
                    _cell_where(self.table, first),
                    text=" / ".join(c.text for c in distinct),
                )
                continue
            if loose:
                self.reader.note(
                    "label-variant",
                    f"read as row {leaf.row.label}",
                    _cell_where(self.table, first),
                    text=first.text,
                    path=leaf.path,
                )
            if not self.take_row(leaf, first):
                continue
            assert leaf.block is not None
            columns = block_columns.get(id(leaf.block))
            if lost:
                seen = conventions.get(id(leaf.block), _CONVENTIONS)
                self.laid_values(cells, first, leaf, columns, seen, units)
                continue
            self.values(cells, first, leaf, columns, units)

    def laid_values(  # noqa: PLR0917 - the row, its place and what its header said
        self,
        cells: Sequence[SourceCell],
        first: SourceCell,
        leaf: _Leaf,
        columns: dict[int, Column] | list[Column] | None,
        conventions: frozenset[_Convention],
        units: dict[str, str],
    ) -> None:
        """Read a row of a table whose merges are lost, laid on the grid (see the class)."""
        wanted = leaf.row.columns
        order = [c for c in columns if c in wanted] if isinstance(columns, list) else list(wanted)
        if len(order) != len(wanted):
            order = list(wanted)
        slots = list(cells[first.column + 1 :])
        texts = [_slot_text(c) for c in slots]
        # The grids a row's values are printed on: the form's (as published), its
        # header's (values under their headers), one slot each.
        assert leaf.block is not None
        grids = [leaf.block.value_spans, leaf.block.header_spans, (1,) * len(order)]
        grids = [g for g in grids if len(g) == len(order)] or [(1,) * len(order)]
        layouts = _layouts(texts, grids, conventions)
        readings = {tuple(texts[s] for s in starts) for starts in layouts}
        if len(readings) != 1:
            how = "fit more than one way" if readings else "fit no way"
            self.reader.note(
                "spans-ambiguous",
                f"this row's {len(slots)} slots {how} of laying {len(order)} values on the "
                "form's grid (the source repeats or empties merged cells): which is which "
                "cannot be told, so the row is read as blank",
                _cell_where(self.table, first),
                text=" / ".join(c.text for c in slots),
                path=leaf.path,
            )
            for column in wanted:
                self.reader.values[f"{leaf.path}.{column.key}"] = None
            return
        starts = min(layouts)
        for column, start in zip(order, starts, strict=True):
            self.reader.put(
                f"{leaf.path}.{column.key}", slots[start], self.table, unit=units.get(column.key)
            )

    def block_columns(self, block: Row | None) -> _BlockColumns:
        """Return the columns of ``block``'s rows (``None``: every row's), by key, in order.

        With the first of them by each label's bare key and label key, and its place:
        a header cell's column is looked up, not compared with each column. Worked
        out once a block (the memo's :attr:`_IndexMemo.blocks`).
        """
        blocks = self.memo.blocks
        known = blocks.get(id(block))
        if known is not None and known[0] is block:
            return known[1]
        candidates = (
            [leaf for leaf in self.index.leaves if leaf.block is block]
            if block is not None
            else list(self.index.leaves)
        )
        columns = {c.key: c for leaf in candidates for c in leaf.row.columns}
        by_bare: dict[str, tuple[int, Column]] = {}
        by_label: dict[str, tuple[int, Column]] = {}
        for at, column in enumerate(columns.values()):
            by_bare.setdefault(bare_key(column.label), (at, column))
            by_label.setdefault(label_key(column.label), (at, column))
        found = (columns, by_bare, by_label)
        blocks[id(block)] = (block, found)
        return found

    def named_column(self, block: Row | None, text: str) -> Column | None:
        """Return the first of ``block``'s columns whose label is ``text``, bare or as a key."""
        _columns, by_bare, by_label = self.block_columns(block)
        named = by_bare.get(bare_key(text))
        keyed = by_label.get(label_key(text))
        if named is None or (keyed is not None and keyed[0] < named[0]):
            named = keyed
        return named[1] if named is not None else None

    def header(
        self,
        distinct: list[SourceCell],
        current: Row | None,
        block_columns: dict[int, dict[int, Column] | list[Column]],
        units: dict[str, str],
        *,
        lost: bool = False,
    ) -> Row | None:
        """Take a block's header row: its columns in order (and where, if gridded)."""
        columns = self.block_columns(current)[0]
        found: list[tuple[SourceCell, Column]] = []
        for cell in distinct[1:]:
            column = self.named_column(current, cell.text)
            if column is None:
                forms = _COLUMN_VARIANT_KEYS.get(label_key(cell.text), ()) or (
                    _COLUMN_VARIANT_KEYS.get(bare_key(cell.text), ())
                )
                column = next((c for c in columns.values() if label_key(c.label) in forms), None)
                if column is not None:
                    self.reader.note(
                        "label-variant",
                        f"read as column {column.label}",
                        _cell_where(self.table, cell),
                        text=cell.text,
                    )
            if column is None:
                self.reader.note(
                    "column-unknown",
                    "a column whose header matches no column of the form: not read",
                    _cell_where(self.table, cell),
                    text=cell.text,
                )
                continue
            found.append((cell, column))
            key = label_key(cell.text)
            if column.unit == "万元" and "元" in key and "万元" not in key:
                units[column.key] = "元"
        if not found:
            return None
        block = current
        if block is None:
            leaf = next(leaf for leaf in self.index.leaves if found[0][1] in leaf.row.columns)
            block = leaf.block
        assert block is not None
        if self.table.gridded and not lost:
            block_columns[id(block)] = {
                j: column
                for cell, column in found
                for j in range(cell.column, cell.column + cell.colspan)
            }
        else:
            block_columns[id(block)] = [column for _cell, column in found]
        return block

    def values(
        self,
        cells: Sequence[SourceCell],
        first: SourceCell,
        leaf: _Leaf,
        columns: dict[int, Column] | list[Column] | None,
        units: dict[str, str],
    ) -> None:
        if self.table.gridded:
            self.gridded_values(cells, first, leaf, columns, units)
        else:
            self.text_values(cells, first, leaf, columns, units)

    def gridded_values(
        self,
        cells: Sequence[SourceCell],
        first: SourceCell,
        leaf: _Leaf,
        columns: dict[int, Column] | list[Column] | None,
        units: dict[str, str],
    ) -> None:
        wanted = leaf.row.columns
        value_cells = [
            c for c in _distinct(cells[first.column + first.colspan :]) if c is not first
        ]
        by_column: dict[str, SourceCell] = {}
        extra: list[SourceCell] = []
        if isinstance(columns, dict):
            for cell in value_cells:
                column = columns.get(cell.column)
                if column is not None and column in wanted and column.key not in by_column:
                    by_column[column.key] = cell
                elif not is_blank(cell.text):
                    extra.append(cell)
        else:
            for column, cell in zip(wanted, value_cells, strict=False):
                by_column[column.key] = cell
            extra = [c for c in value_cells[len(wanted) :] if not is_blank(c.text)]
        for cell in extra:
            self.reader.note(
                "extra-cells",
                "a value in no column of this row: not read",
                _cell_where(self.table, cell),
                text=cell.text,
                path=leaf.path,
            )
        for column in wanted:
            path = f"{leaf.path}.{column.key}"
            found = by_column.get(column.key)
            if found is None:
                self.reader.note(
                    "missing-cells",
                    f"no value under {column.label}: read as blank",
                    _cell_where(self.table, first),
                    path=path,
                )
                self.reader.values[path] = None
                continue
            self.reader.put(path, found, self.table, unit=units.get(column.key))

    def text_values(
        self,
        cells: Sequence[SourceCell],
        first: SourceCell,
        leaf: _Leaf,
        columns: dict[int, Column] | list[Column] | None,
        units: dict[str, str],
    ) -> None:
        wanted = leaf.row.columns
        order = [c for c in columns if c in wanted] if isinstance(columns, list) else list(wanted)
        if len(order) != len(wanted):
            order = list(wanted)
        slots = [(f"{leaf.path}.{column.key}", units.get(column.key)) for column in order]
        self.put_in_order(slots, list(cells[first.column + 1 :]), first, row=leaf.path)
