"""Understanding a source: from blocks (paragraphs, tables) to a report and notes.

Every reader (docx, HTML, text) gives a :class:`~gipreport._source.SourceDocument`;
this module decides what its blocks mean, the same way for every input format:

- the six sections are found by their headings (number and title, tolerant of
  print variants), the title and preamble are what comes before the first;
- a prose section's sub-headings are what the source marks as headings, or,
  where it marks none, numbered lines in sequence that read as headings
  (``（1） 主动公开情况``, ``（一）…``, ``1、…``), stored without their numbering;
- tables are recognised by their labels wherever they are, and read by label:
  each row by its row label, each column by its header (merged cells resolved
  by the reader), every value parsed exactly — a blank is ``None``, never 0;
- the signature is the organ and date of issue after the last section.

Everything read in a way that is not the form's own is a :class:`ParseNote`;
a source that is not a report at all raises :class:`ParseError`. The form is
the only source of labels and structure here (:mod:`gipreport._form`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs

from gipreport._errors import ParseError
from gipreport._form import (
    FORM_2019_LABELS,
    PROACTIVE_CONTENT_LABEL,
    Column,
    FormSpec,
    Row,
    SectionSpec,
    TableSpec,
)
from gipreport._labels import bare_key, chinese_number, label_key, unnumbered_key
from gipreport._layout import Covered, table_layout
from gipreport._model import MAX_AMOUNT, MAX_AMOUNT_PLACES, CellValue, Prose, Report, Subsection
from gipreport._source import (
    NoteCode,
    ParseNote,
    ParseResult,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceImage,
    SourceParagraph,
    SourceTable,
    Where,
)

__all__ = ["assemble", "heading_number", "parse_date"]

# --- text patterns ----------------------------------------------------------------------

_CN_NUMERAL: Final = "一二三四五六七八九十"
# A heading's numbering: （1） / (一) / 1、 / 一、 / 1. / 一．
_NUMBERING: Final = re.compile(
    rf"\s*(?:[（(]\s*(?P<paren>[0-9{_CN_NUMERAL}]+)\s*[)）]|(?P<dot>[0-9{_CN_NUMERAL}]+)\s*[、.．])\s*"
)
# gipreport's own sub-heading numbering: full-width brackets, arabic digits, one space.
_OWN_NUMBERING: Final = re.compile(r"（(?P<n>[1-9][0-9]*)） ")
_SENTENCE_END: Final = "。；;！!？?…：:，,、"
_MAX_HEADING: Final = 40
_MAX_SUBHEADING: Final = 30
_TITLE_REACH: Final = 8
_STARTS_WITH_YEAR: Final = re.compile(r"\s*(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*年")
_PAGE_CHROME: Final = re.compile(
    r"(发布时间|发布日期|发文日期|来源[:：]|信息来源|浏览次数|访问次数|点击[数率量]|字号|【打印|分享到"
    r"|当前位置|您的位置|您现在的位置)"
)
"""Words of the lines a government web page puts around an article, not the report's."""
_SIGNATURE_REACH: Final = 8
"""How many paragraphs from the end the date of issue is looked for (a web page
may have its footer after it)."""
_BLANK_MARKS: Final = frozenset(
    {"", "/", "\\", "-", "--", "—", "——", "–", "―", "一", "无", "空", "×", "x", "X", "null"}
)
_SEPARATED: Final = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?\Z")
_COUNT: Final = re.compile(r"\d+\Z")
_AMOUNT: Final = re.compile(r"\d+(?:\.\d+)?\Z")
_COUNT_UNITS: Final = ("件", "个", "项", "次", "条")
_YEAR_IN_TITLE: Final = re.compile(r"(?<!\d)(?P<year>\d{4}|[〇零○一二三四五六七八九]{4})\s*年")
_PERIOD_YEAR: Final = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_DATE_CN: Final = re.compile(
    r"(?P<y>\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_DATE_ISO: Final = re.compile(r"(?P<y>\d{4})\s*[-/.．]\s*(?P<m>\d{1,2})\s*[-/.．]\s*(?P<d>\d{1,2})")
_ORGAN_END: Final = re.compile(
    r"(?:政府|办公室|办公厅|局|委员会|委|厅|部|署|院|中心|办事处|管委会|管理委员会|所|站|队|处|司|室|会|馆|镇|乡|街道|苏木)\Z"
)
_WHITESPACE: Final = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def _squash(text: str) -> str:
    return _WHITESPACE.sub("", text)


def _text_of(block: SourceBlock) -> str:
    return block.text if isinstance(block, SourceParagraph) else ""


def _blank(text: str) -> bool:
    return not _squash(text)


def parse_date(text: str) -> dt.date | str | None:
    """Return the date ``text`` is (``2024年1月10日``, ``二〇二四年一月十日``, ``2024-01-10``).

    ``None`` when the text is not written as a date at all; the text itself
    when it is written as one but is no real day (``2024年2月30日``).
    """
    squashed = unicodedata.normalize("NFKC", _squash(text))
    match = _DATE_CN.fullmatch(squashed) or _DATE_ISO.fullmatch(squashed)
    if match is None:
        return None
    year, month, day = (chinese_number(match[name]) for name in ("y", "m", "d"))
    if year is None or month is None or day is None:
        return text
    try:
        return dt.date(year, month, day)
    except ValueError:
        return text


def heading_number(text: str) -> tuple[str, int, str] | None:
    """Return ``(style, number, rest)`` if ``text`` starts with heading numbering.

    ``style`` tells numbering styles apart (``"own"`` for gipreport's
    ``（1） ``, else bracket or dot with arabic or Chinese digits).
    """
    own = _OWN_NUMBERING.match(text)
    if own is not None:
        return "own", int(own["n"]), text[own.end() :]
    match = _NUMBERING.match(unicodedata.normalize("NFKC", text[:12]))
    if match is None:
        return None
    digits = match["paren"] or match["dot"]
    number = chinese_number(digits)
    if number is None:
        return None
    kind = "paren" if match["paren"] else "dot"
    script = "digit" if digits.isascii() else "cn"
    # The match ran on a normalised prefix of the same length (NFKC keeps the
    # length of brackets, digits and these marks), so its end is the text's.
    return f"{kind}-{script}", number, text[match.end() :].strip()


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
class _TableIndex:
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


def _index(spec: TableSpec) -> _TableIndex:
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
        blank = table_layout(spec, dict.fromkeys(_paths(spec, leaves)))
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
    return _TableIndex(
        spec=spec,
        keys=frozenset(keys),
        header_keys=frozenset(header_keys),
        corner_key=label_key(spec.balance_note) if spec.balance_note else "",
        leaves=tuple(leaves),
        groups=tuple(groups),
        targets=tuple(targets),
    )


def _paths(spec: TableSpec, leaves: Sequence[_Leaf]) -> Iterator[str]:
    del spec
    for leaf in leaves:
        for column in leaf.row.columns:
            yield f"{leaf.path}.{column.key}"


_INDEXES: dict[int, tuple[FormSpec, tuple[_TableIndex, ...]]] = {}


def _indexes(form: FormSpec) -> tuple[_TableIndex, ...]:
    cached = _INDEXES.get(id(form))
    if cached is None or cached[0] is not form:
        cached = _INDEXES[id(form)] = (form, tuple(_index(spec) for spec in form.tables))
    return cached[1]


_2019_KEYS: Final = frozenset(label_key(label) for label in FORM_2019_LABELS)


# --- the reading state -------------------------------------------------------------------


class _Reader:
    """Reads one source document against one form."""

    def __init__(self, doc: SourceDocument, form: FormSpec) -> None:
        self.doc = doc
        self.form = form
        self.notes: list[ParseNote] = list(doc.notes)
        self.values: dict[str, CellValue] = {}
        self.read_rows: set[str] = set()
        self.tables_found: set[str] = set()

    def note(
        self,
        code: NoteCode,
        message: str,
        where: Where,
        text: str = "",
        path: str | None = None,
    ) -> None:
        self.notes.append(ParseNote(code=code, message=message, where=where, text=text, path=path))

    # --- the whole document -------------------------------------------------------

    def read(self) -> ParseResult:
        blocks = self.doc.blocks
        self._refuse_2019(blocks)
        starts = self._section_starts(blocks)
        first = min((start for start, _spec in starts.values()), default=len(blocks))
        front = [b for b in blocks[:first] if isinstance(b, SourceParagraph)]
        title_paragraph, preamble = self._front(front, found=bool(starts))
        for block in blocks[:first]:
            if isinstance(block, SourceTable):
                self._table(block, expected=None)
        ordered = sorted(starts.values(), key=lambda item: item[0])
        prose: dict[str, Prose] = {}
        signature_blocks: list[SourceParagraph] = []
        for number, (start, spec) in enumerate(ordered):
            end = ordered[number + 1][0] if number + 1 < len(ordered) else len(blocks)
            body = list(blocks[start + 1 : end])
            if number + 1 == len(ordered):
                body, signature_blocks = self._split_signature(body)
            if spec.kind == "prose":
                prose[spec.key] = self._prose(spec, body)
            else:
                self._table_section(spec, body)
        if not starts:
            tables = [b for b in blocks if isinstance(b, SourceTable)]
            if not any(self._identify(t) for t in tables):
                msg = "no section heading and none of the form's tables found: not a report"
                raise ParseError(msg)
        for spec in self.form.sections:
            if spec.key not in {s.key for _start, s in starts.values()}:
                self.note(
                    "section-missing",
                    f"section {spec.heading} not found",
                    Where(),
                    path=spec.key if spec.kind == "prose" else None,
                )
        self._missing_tables(blocks, starts)
        organ, published_on = self._signature(signature_blocks)
        return self._report(title_paragraph, preamble, organ, published_on, prose)

    def _refuse_2019(self, blocks: Sequence[SourceBlock]) -> None:
        for block in blocks:
            if not isinstance(block, SourceTable):
                continue
            found = {label_key(cell.text) for row in block.rows for cell in row} & _2019_KEYS
            if len(found) >= 2:
                where = Where(table=block.index, line=block.where.line)
                msg = (
                    "this report is laid out in the 2019 format's tables "
                    f"(国办公开办函〔2019〕60号: {', '.join(sorted(found))}); "
                    "gipreport does not implement the 2019 format yet"
                )
                raise ParseError(msg, str(where))

    # --- sections -------------------------------------------------------------------

    def _section_starts(self, blocks: Sequence[SourceBlock]) -> dict[str, tuple[int, SectionSpec]]:
        starts: dict[str, tuple[int, SectionSpec]] = {}
        for index, block in enumerate(blocks):
            if not isinstance(block, SourceParagraph):
                continue
            spec = self._section_heading(block, taken=starts)
            if spec is not None:
                starts[spec.key] = (index, spec)
        return starts

    def _section_heading(
        self, paragraph: SourceParagraph, taken: dict[str, tuple[int, SectionSpec]]
    ) -> SectionSpec | None:
        text = paragraph.text.strip()
        if len(_squash(text)) > _MAX_HEADING:
            return None
        numbered = heading_number(text)
        number = numbered[1] if numbered else None
        rest = numbered[2] if numbered else text
        if numbered is None and paragraph.mark != "heading":
            return None
        key = bare_key(rest)
        for position, spec in enumerate(self.form.sections, start=1):
            if spec.key in taken:
                continue
            title = bare_key(spec.title)
            core = re.sub(r"(情况|事项)\Z", "", title)
            exact = key == title
            if not exact and not (len(core) >= 4 and key.startswith(core)):
                continue
            if number is not None and number != position:
                if not exact:
                    continue
                self.note(
                    "section-number",
                    f"section {spec.heading} is numbered {number} in the source",
                    paragraph.where,
                    text=paragraph.text,
                )
            return spec
        return None

    # --- title and preamble -----------------------------------------------------------

    def _front(
        self, front: list[SourceParagraph], *, found: bool
    ) -> tuple[SourceParagraph | None, tuple[str, ...]]:
        # The title is the first paragraph marked or worded as one; a web page
        # may have its breadcrumbs and dates before it, which are not the report's.
        reach = front[:_TITLE_REACH]
        at = next((t for t, p in enumerate(reach) if p.mark == "title"), None)
        if at is None:
            at = next((t for t, p in enumerate(reach) if _looks_like_title(p.text)), None)
        if at is None:
            if front or found:
                where = front[0].where if front else Where()
                text = front[0].text if front else ""
                self.note("title-missing", "no title before the first section", where, text=text)
            return None, tuple(p.text for p in front)
        title = front[at]
        if at > 0 and _STARTS_WITH_YEAR.match(title.text) and _short_line(front[at - 1].text):
            # A title printed on two lines: the organ, then the year and the rest.
            at -= 1
            title = SourceParagraph(
                text=front[at].text.strip() + title.text.strip(),
                where=front[at].where,
                mark="title",
            )
            del front[at + 1]
        for paragraph in front[:at]:
            self.note(
                "extra-text",
                "text before the title: not part of the report",
                paragraph.where,
                text=paragraph.text,
            )
        preamble = []
        for paragraph in front[at + 1 :]:
            if _PAGE_CHROME.search(paragraph.text) and _short_line(paragraph.text, limit=80):
                self.note(
                    "extra-text",
                    "a line of the web page (date posted, source, …), not of the report",
                    paragraph.where,
                    text=paragraph.text,
                )
            else:
                preamble.append(paragraph.text)
        return title, tuple(preamble)

    # --- prose -------------------------------------------------------------------------

    def _prose(self, spec: SectionSpec, body: list[SourceBlock]) -> Prose:
        paragraphs = [b for b in body if isinstance(b, SourceParagraph)]
        for block in body:
            if isinstance(block, SourceTable):
                self._table(block, expected=None)
        marked = any(p.mark == "heading" for p in paragraphs)
        lead: list[str] = []
        subsections: list[tuple[str, list[str]]] = []
        style: str | None = None
        expected = 1
        for paragraph in paragraphs:
            text = paragraph.text
            heading: str | None = None
            if marked:
                if paragraph.mark == "heading":
                    numbered = heading_number(text)
                    heading = numbered[2] if numbered else text.strip()
            else:
                numbered = heading_number(text)
                if numbered is not None:
                    kind, number, rest = numbered
                    if (
                        number == expected
                        and style in (None, kind)
                        and _reads_as_heading(kind, rest)
                    ):
                        heading, style = rest, kind
                        expected += 1
            if heading is not None:
                subsections.append((heading, []))
            elif subsections:
                subsections[-1][1].append(text)
            else:
                lead.append(text)
        del spec
        return Prose(
            paragraphs=tuple(lead),
            subsections=tuple(
                Subsection(heading=heading, paragraphs=tuple(texts))
                for heading, texts in subsections
            ),
        )

    # --- the signature -----------------------------------------------------------------

    def _split_signature(
        self, body: list[SourceBlock]
    ) -> tuple[list[SourceBlock], list[SourceParagraph]]:
        # The signature closes the last section: the organ, then the date of
        # issue. A web page may go on after it (print and close links, the
        # site's footer); what follows the date is not the report's, and noted.
        positions = [i for i, b in enumerate(body) if isinstance(b, SourceParagraph)]
        if not positions:
            return body, []
        dated = next(
            (
                k
                for k in reversed(positions[-_SIGNATURE_REACH:])
                if parse_date(_text_of(body[k])) is not None
            ),
            None,
        )
        taken: list[int] = []
        after: list[int] = []
        if dated is not None:
            taken.append(dated)
            after = [k for k in positions if k > dated]
            positions = [k for k in positions if k < dated]
        if positions:
            candidate = body[positions[-1]]
            assert isinstance(candidate, SourceParagraph)
            if _reads_as_organ(candidate, dated=dated is not None):
                taken.insert(0, positions[-1])
        for k in after:
            paragraph = body[k]
            assert isinstance(paragraph, SourceParagraph)
            self.note(
                "extra-text",
                "text after the signature: not part of the report",
                paragraph.where,
                text=paragraph.text,
            )
        signature = [body[i] for i in taken]
        rest = [b for i, b in enumerate(body) if i not in taken and i not in after]
        return rest, [b for b in signature if isinstance(b, SourceParagraph)]

    def _signature(
        self, blocks: list[SourceParagraph]
    ) -> tuple[SourceParagraph | None, dt.date | None]:
        organ: SourceParagraph | None = None
        published_on: dt.date | None = None
        for paragraph in blocks:
            date = parse_date(paragraph.text)
            if date is None:
                organ = paragraph
            elif isinstance(date, dt.date):
                published_on = date
            else:
                self.note(
                    "date-unreadable",
                    "the date of issue is not a real day; it is left out",
                    paragraph.where,
                    text=paragraph.text,
                    path="published_on",
                )
        if not blocks:
            self.note(
                "signature-missing", "no organ or date of issue after the last section", Where()
            )
        elif published_on is None and not any(parse_date(p.text) for p in blocks):
            self.note("signature-missing", "no date of issue under the signature", blocks[-1].where)
        return organ, published_on

    # --- the report ----------------------------------------------------------------------

    def _report(
        self,
        title: SourceParagraph | None,
        preamble: tuple[str, ...],
        organ_paragraph: SourceParagraph | None,
        published_on: dt.date | None,
        prose: dict[str, Prose],
    ) -> ParseResult:
        title_text = title.text.strip() if title is not None else None
        title_organ: str | None = None
        title_year: int | None = None
        if title_text is not None:
            match = _YEAR_IN_TITLE.search(title_text)
            if match is not None:
                title_year = chinese_number(match["year"])
                title_organ = title_text[: match.start()].strip() or None
        organ = organ_paragraph.text.strip() if organ_paragraph is not None else None
        if organ is None:
            organ = title_organ
        elif title_organ is not None and _squash(title_organ) != _squash(organ):
            assert organ_paragraph is not None
            self.note(
                "organ-differs",
                f"the title names {title_organ!r}; the signature's organ is kept",
                organ_paragraph.where,
                text=organ,
                path="organ",
            )
        if not organ:
            msg = "no organ found: neither a signature nor a title naming one"
            raise ParseError(msg)
        year = title_year if title_year is not None and 2008 <= title_year <= 9999 else None
        if year is None:
            year = self._infer_year(preamble, published_on)
        stored_title = title_text
        if title_text is not None and title_text == self.form.title_for(organ, year):
            stored_title = None
        values = {cell.path: self.values.get(cell.path) for cell in self.form.cells}
        report = Report(
            format=self.form.id,
            organ=organ,
            year=year,
            title=stored_title,
            published_on=published_on,
            preamble=preamble,
        )
        # The prose sections, by the form's keys (a missing one stays empty).
        sections: dict[str, Any] = dict(prose)
        report = attrs.evolve(report, **sections).with_cells(values)
        return ParseResult(report=report, notes=tuple(self.notes), format=self.doc.format)

    def _infer_year(self, preamble: tuple[str, ...], published_on: dt.date | None) -> int:
        for text in preamble:
            match = _PERIOD_YEAR.search(unicodedata.normalize("NFKC", text))
            if match is not None:
                year = int(match["year"])
                self.note(
                    "year-inferred",
                    f"the year {year} is taken from the statistical period in the preamble",
                    Where(),
                    path="year",
                )
                return year
        if published_on is not None and published_on.year - 1 >= 2008:
            year = published_on.year - 1
            self.note(
                "year-inferred",
                f"the year {year} is taken as the year before the date of issue",
                Where(),
                path="year",
            )
            return year
        msg = "no year found: not in the title, the preamble or the date of issue"
        raise ParseError(msg)

    # --- tables ------------------------------------------------------------------------

    def _table_section(self, spec: SectionSpec, body: list[SourceBlock]) -> None:
        for block in body:
            if isinstance(block, SourceTable):
                self._table(block, expected=spec.key)
            elif isinstance(block, SourceParagraph):
                self.note(
                    "extra-text",
                    f"a paragraph in section {spec.heading}, which holds a table only",
                    block.where,
                    text=block.text,
                )

    def _missing_tables(
        self, blocks: Sequence[SourceBlock], starts: dict[str, tuple[int, SectionSpec]]
    ) -> None:
        ordered = sorted(starts.values(), key=lambda item: item[0])
        for index in _indexes(self.form):
            key = index.spec.key
            if key in self.tables_found:
                for leaf in index.leaves:
                    if leaf.path not in self.read_rows:
                        self.note(
                            "row-missing",
                            f"row {_row_label(leaf)} not found in the table: its cells are blank",
                            Where(),
                            path=leaf.path,
                        )
                continue
            images: list[SourceImage] = []
            for number, (start, spec) in enumerate(ordered):
                if spec.key == key:
                    end = ordered[number + 1][0] if number + 1 < len(ordered) else len(blocks)
                    images = [b for b in blocks[start:end] if isinstance(b, SourceImage)]
            title = f"{index.spec.number}、{index.spec.title}"
            if images:
                self.note(
                    "table-image",
                    f"table {title} is a picture here, not a table: its cells are blank",
                    images[0].where,
                    path=key,
                )
            else:
                self.note(
                    "table-missing",
                    f"table {title} not found: its cells are blank",
                    Where(),
                    path=key,
                )

    def _identify(self, table: SourceTable) -> _TableIndex | None:
        texts = {
            label_key(cell.text) for row in table.rows for cell in row if not _blank(cell.text)
        }
        best: tuple[int, _TableIndex | None] = (0, None)
        for index in _indexes(self.form):
            score = len(texts & index.keys)
            if score > best[0]:
                best = (score, index)
        return best[1] if best[0] >= 2 else None

    def _table(self, table: SourceTable, expected: str | None) -> None:
        index = self._identify(table)
        if index is None:
            if any(not _blank(cell.text) for row in table.rows for cell in row):
                self.note(
                    "table-unknown",
                    "a table with none of the form's labels: not read",
                    Where(table=table.index, line=table.where.line),
                )
            return
        del expected
        self.tables_found.add(index.spec.key)
        if index.spec.header:
            _BlockTableReader(self, index, table).read()
        else:
            _StackedTableReader(self, index, table).read()

    # --- values --------------------------------------------------------------------------

    def put(self, path: str, cell: SourceCell | None, table: SourceTable, unit: str | None) -> None:
        kind = self.form.cell(path).kind
        where = _cell_where(table, cell)
        text = cell.text if cell is not None else ""
        value = self.parse_value(text, kind=kind, unit=unit, where=where, path=path)
        self.values[path] = value

    def parse_value(  # noqa: PLR0912 - one branch per way a value is written
        self, text: str, *, kind: str, unit: str | None, where: Where, path: str
    ) -> CellValue:
        squashed = unicodedata.normalize("NFKC", _squash(text))
        if squashed in _BLANK_MARKS:
            self.note(
                "blank-cell", "a blank cell: read as blank, not 0", where, text=text, path=path
            )
            return None
        number = squashed
        scale = 0
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
                return int(number)
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


def _cell_where(table: SourceTable, cell: SourceCell | None) -> Where:
    if cell is None:
        return Where(table=table.index, line=table.where.line)
    return Where(table=table.index, row=cell.row, column=cell.column, line=cell.line)


def _row_label(leaf: _Leaf) -> str:
    labels = [row.label for row in (*leaf.ancestors, leaf.row) if not row.layout_only]
    return "".join(labels)


def _looks_like_title(text: str) -> bool:
    squashed = _squash(text)
    return (
        "报告" in squashed
        and len(squashed) <= 80
        and "。" not in squashed
        and ("年度报告" in squashed or bool(_YEAR_IN_TITLE.search(squashed)))
        and not _PAGE_CHROME.search(squashed)
    )


def _short_line(text: str, limit: int = 40) -> bool:
    squashed = _squash(text)
    return 0 < len(squashed) <= limit and "。" not in squashed and squashed[-1] not in _SENTENCE_END


def _reads_as_heading(kind: str, rest: str) -> bool:
    if kind == "own":
        return True  # gipreport's own numbering: whatever follows is the heading
    squashed = _squash(rest)
    return (
        0 < len(squashed) <= _MAX_SUBHEADING
        and squashed[-1] not in _SENTENCE_END
        and "。" not in squashed
    )


def _reads_as_organ(paragraph: SourceParagraph, *, dated: bool) -> bool:
    squashed = _squash(paragraph.text)
    if not squashed or len(squashed) > _MAX_HEADING:
        return False
    if any(char in squashed for char in "。，；！？,;!?："):
        return False
    return paragraph.mark == "signature" or dated or bool(_ORGAN_END.search(squashed))


# --- table readers ----------------------------------------------------------------------


def _distinct(cells: Sequence[SourceCell]) -> list[SourceCell]:
    seen: set[int] = set()
    out = []
    for cell in cells:
        if id(cell) not in seen:
            seen.add(id(cell))
            out.append(cell)
    return out


def _match_leaf(
    labels: Sequence[str], leaves: Sequence[_Leaf], context: Sequence[Row]
) -> tuple[_Leaf | None, bool]:
    """Return the leaf row ``labels`` name (the last is the row's own), and whether loosely."""
    if not labels:
        return None, False
    last = labels[-1]
    for level in range(3):
        key = _levels(last)[level]
        if not key:
            continue
        candidates = [leaf for leaf in leaves if _levels(leaf.row.label)[level] == key]
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
    return None, False


def _is_group_label(text: str, groups: Sequence[Row]) -> Row | None:
    key = bare_key(text)
    for group in groups:
        if bare_key(group.label) == key:
            return group
    return None


class _TableReaderBase:
    def __init__(self, reader: _Reader, index: _TableIndex, table: SourceTable) -> None:
        self.reader = reader
        self.index = index
        self.table = table

    def take_row(self, leaf: _Leaf, first: SourceCell) -> bool:
        if leaf.path in self.reader.read_rows:
            self.reader.note(
                "duplicate-row",
                f"row {_row_label(leaf)} appears again: the first is kept",
                _cell_where(self.table, first),
                text=first.text,
                path=leaf.path,
            )
            return False
        self.reader.read_rows.add(leaf.path)
        return True

    def value_like(self, text: str) -> bool:
        squashed = unicodedata.normalize("NFKC", _squash(text))
        if squashed in _BLANK_MARKS:
            return True
        stripped = squashed.replace(",", "")
        for suffix in ("万元", "元", *_COUNT_UNITS):
            stripped = stripped.removesuffix(suffix)
        return bool(_AMOUNT.match(stripped)) or stripped.startswith("-")


class _BlockTableReader(_TableReaderBase):
    """Tables 3 and 4: one header block, then rows named by labels (table 3)."""

    def read(self) -> None:
        rows = self.table.rows
        if self.table.gridded:
            self.read_gridded(rows)
        else:
            self.read_text(rows)

    def header_row(self, cells: Sequence[SourceCell]) -> bool:
        texts = [c.text for c in _distinct(cells) if not _blank(c.text)]
        return bool(texts) and all(self.header_text(text) for text in texts)

    def header_text(self, text: str) -> bool:
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
        for cells in rows[body_start:]:
            if self.header_row(cells):
                continue  # a header repeated on a new page
            self.read_body_row(cells, mapping, context)

    def map_columns(
        self, heads: Sequence[Sequence[SourceCell]], width: int
    ) -> dict[int, _ColumnTarget]:
        mapping: dict[int, _ColumnTarget] = {}
        taken: set[int] = set()
        for j in range(width):
            chain: list[str] = []
            raw: list[str] = []
            for cells in heads:
                if j >= len(cells):
                    continue
                cell = cells[j]
                if _blank(cell.text) or self.is_corner(cell.text):
                    continue
                key = label_key(cell.text)
                if not chain or chain[-1] != key:
                    chain.append(key)
                    raw.append(cell.text)
            if not chain:
                continue  # a label column
            target = self.match_chain(tuple(chain))
            where = Where(table=self.table.index, row=len(heads) - 1, column=j)
            if target is None or id(target) in taken:
                self.reader.note(
                    "column-unknown",
                    "a column whose header matches no column of the form: not read",
                    where,
                    text=" / ".join(raw),
                )
                continue
            taken.add(id(target))
            mapping[j] = target
        for target in self.index.targets:
            if id(target) not in taken:
                self.reader.note(
                    "column-missing",
                    f"no column {' / '.join(target.chain)} in the table: its cells are blank",
                    Where(table=self.table.index),
                )
        return mapping

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
        return {first + i: target for i, target in enumerate(targets)}

    def read_body_row(
        self, cells: Sequence[SourceCell], mapping: dict[int, _ColumnTarget], context: list[Row]
    ) -> None:
        label_cells = _distinct([c for j, c in enumerate(cells) if j not in mapping])
        labels = [c.text for c in label_cells if not _blank(c.text)]
        value_cells = {j: cells[j] for j in mapping if j < len(cells)}
        has_values = any(not _blank(c.text) for c in value_cells.values())
        if not labels and not has_values:
            return  # an empty row: layout
        if self.index.spec.label_columns == 0:
            self.read_values(value_cells, mapping, leaf=None, first=cells[0])
            return
        leaf, loose = _match_leaf(labels, self.index.leaves, context)
        if leaf is None:
            group = _is_group_label(labels[-1], self.index.groups) if labels else None
            if group is not None and not has_values:
                context[:] = [group]
                return
            first = label_cells[0] if label_cells else cells[0]
            what = (
                "a subtotal row, which the form does not have"
                if group
                else "a row the form does not have"
            )
            self.reader.note(
                "row-unknown",
                f"{what}: not read",
                _cell_where(self.table, first),
                text=" / ".join(labels),
            )
            return
        context[:] = list(leaf.ancestors)
        first = label_cells[-1] if label_cells else cells[0]
        if loose:
            self.reader.note(
                "label-variant",
                f"read as row {_row_label(leaf)}",
                _cell_where(self.table, first),
                text=labels[-1],
                path=leaf.path,
            )
        if self.take_row(leaf, first):
            self.read_values(value_cells, mapping, leaf=leaf, first=first)

    def read_values(
        self,
        value_cells: dict[int, SourceCell],
        mapping: dict[int, _ColumnTarget],
        *,
        leaf: _Leaf | None,
        first: SourceCell,
    ) -> None:
        if leaf is None:
            rows = {t.row for t in mapping.values() if t.row is not None}
            if rows & self.reader.read_rows:
                self.reader.note(
                    "duplicate-row",
                    "a second row of values: the first is kept",
                    _cell_where(self.table, first),
                )
                return
            self.reader.read_rows.update(rows)
            self.reader.read_rows.update(t.row for t in self.index.targets if t.row is not None)
        for j, target in mapping.items():
            row_path = target.row if leaf is None else leaf.path
            assert row_path is not None
            path = f"{row_path}.{target.column.key}"
            cell = value_cells.get(j)
            if cell is not None and cell.column != j and mapping.get(cell.column) is not None:
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
            self.reader.put(path, cell, self.table, unit=None)

    # --- text (cells as written, positions lost) -----------------------------------

    def read_text(self, rows: Sequence[Sequence[SourceCell]]) -> None:  # noqa: PLR0912 - one branch per kind of row
        targets = self.index.targets
        context: list[Row] = []
        for cells in rows:
            if self.header_row(cells):
                continue
            split = 0
            for position, cell in enumerate(cells):
                if not _blank(cell.text) and not self.value_like(cell.text):
                    split = position + 1
            labels = [c.text for c in cells[:split] if not _blank(c.text)]
            values = list(cells[split:])
            if not labels and all(_blank(c.text) for c in values):
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
                leaf, loose = _match_leaf(labels, self.index.leaves, context)
                if leaf is None:
                    group = _is_group_label(labels[-1], self.index.groups) if labels else None
                    if group is not None and all(_blank(c.text) for c in values):
                        context[:] = [group]
                        continue
                    what = (
                        "a subtotal row, which the form does not have"
                        if group
                        else "a row the form does not have"
                    )
                    self.reader.note(
                        "row-unknown",
                        f"{what}: not read",
                        _cell_where(self.table, cells[0]),
                        text=" / ".join(labels),
                    )
                    continue
                context[:] = list(leaf.ancestors)
                first = cells[split - 1]
                if loose:
                    self.reader.note(
                        "label-variant",
                        f"read as row {_row_label(leaf)}",
                        _cell_where(self.table, first),
                        text=labels[-1],
                        path=leaf.path,
                    )
                if not self.take_row(leaf, first):
                    continue
            if leaf is None:
                rows_read = {t.row for t in targets if t.row is not None}
                if rows_read & self.reader.read_rows:
                    self.reader.note(
                        "duplicate-row",
                        "a second row of values: the first is kept",
                        _cell_where(self.table, first),
                    )
                    continue
                self.reader.read_rows.update(rows_read)
            self.text_values(values, leaf, first)

    def text_values(self, values: list[SourceCell], leaf: _Leaf | None, first: SourceCell) -> None:
        targets = self.index.targets
        paths = [f"{leaf.path if leaf is not None else t.row}.{t.column.key}" for t in targets]
        if len(values) < len(paths):
            self.reader.note(
                "missing-cells",
                f"{len(values)} values where the form has {len(paths)}: which is which "
                "cannot be told, so the row is read as blank",
                _cell_where(self.table, first),
                text=" / ".join(c.text for c in values),
                path=leaf.path if leaf is not None else None,
            )
            for path in paths:
                self.reader.values[path] = None
            return
        if len(values) > len(paths):
            self.reader.note(
                "extra-cells",
                f"{len(values)} values where the form has {len(paths)}: the last ones are not read",
                _cell_where(self.table, values[len(paths)]),
                text=" / ".join(c.text for c in values[len(paths) :]),
                path=leaf.path if leaf is not None else None,
            )
        for path, cell in zip(paths, values, strict=False):
            self.reader.put(path, cell, self.table, unit=None)


class _StackedTableReader(_TableReaderBase):
    """Table 2: blocks of an article title, a header row and data rows."""

    def read(self) -> None:
        block_columns: dict[int, dict[int, Column] | list[Column]] = {}
        current: Row | None = None
        units: dict[str, str] = {}
        content_key = label_key(PROACTIVE_CONTENT_LABEL)
        blocks = [group for group in self.index.groups if group.layout_only]
        for cells in self.table.rows:
            distinct = [c for c in _distinct(cells) if not _blank(c.text)]
            if not distinct:
                continue
            first = distinct[0]
            if len(distinct) == 1:
                block = next((b for b in blocks if bare_key(b.label) == bare_key(first.text)), None)
                if block is not None:
                    current = block
                    continue
            if label_key(first.text) == content_key:
                self.header(distinct, current, block_columns, units)
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
            self.values(cells, first, leaf, columns, units)

    def header(
        self,
        distinct: list[SourceCell],
        current: Row | None,
        block_columns: dict[int, dict[int, Column] | list[Column]],
        units: dict[str, str],
    ) -> None:
        candidates = (
            [leaf for leaf in self.index.leaves if leaf.block is current]
            if current is not None
            else list(self.index.leaves)
        )
        columns = {c.key: c for leaf in candidates for c in leaf.row.columns}
        found: list[tuple[SourceCell, Column]] = []
        for cell in distinct[1:]:
            column = next(
                (
                    c
                    for c in columns.values()
                    if bare_key(c.label) == bare_key(cell.text)
                    or label_key(c.label) == label_key(cell.text)
                ),
                None,
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
            return
        block = current
        if block is None:
            leaf = next(leaf for leaf in self.index.leaves if found[0][1] in leaf.row.columns)
            block = leaf.block
        assert block is not None
        if self.table.gridded:
            block_columns[id(block)] = {
                j: column
                for cell, column in found
                for j in range(cell.column, cell.column + cell.colspan)
            }
        else:
            block_columns[id(block)] = [column for _cell, column in found]

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
                elif not _blank(cell.text):
                    extra.append(cell)
        else:
            for column, cell in zip(wanted, value_cells, strict=False):
                by_column[column.key] = cell
            extra = [c for c in value_cells[len(wanted) :] if not _blank(c.text)]
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
        values = list(cells[first.column + 1 :])
        order = [c for c in columns if c in wanted] if isinstance(columns, list) else list(wanted)
        if len(order) != len(wanted):
            order = list(wanted)
        if len(values) < len(order):
            self.reader.note(
                "missing-cells",
                f"{len(values)} values where the form has {len(order)}: the row is read as blank",
                _cell_where(self.table, first),
                text=" / ".join(c.text for c in values),
                path=leaf.path,
            )
            for column in order:
                self.reader.values[f"{leaf.path}.{column.key}"] = None
            return
        if len(values) > len(order):
            self.reader.note(
                "extra-cells",
                f"{len(values)} values where the form has {len(order)}: the last ones are not read",
                _cell_where(self.table, values[len(order)]),
                text=" / ".join(c.text for c in values[len(order) :]),
                path=leaf.path,
            )
        for column, cell in zip(order, values, strict=False):
            self.reader.put(
                f"{leaf.path}.{column.key}", cell, self.table, unit=units.get(column.key)
            )


def assemble(doc: SourceDocument, form: FormSpec) -> ParseResult:
    """Return the report ``doc`` holds, read against ``form``, with notes on what was odd.

    Raises :class:`ParseError` when ``doc`` is not a report at all.
    """
    return _Reader(doc, form).read()
