"""Understanding a source: from blocks (paragraphs, tables) to a report and notes.

Every reader (docx, HTML, text) gives a :class:`~gipreport._reading.source.SourceDocument`;
this module decides what its blocks mean, the same way for every input format:

- the six sections are found by their headings (number and title, tolerant of
  print variants), the title and preamble are what comes before the first;
- a prose section's sub-headings are what the source marks as headings, or,
  where it marks none, numbered lines in sequence that read as headings
  (``（1） 主动公开情况``, ``（一）…``, ``1、…``), stored without their numbering;
- tables are recognised by their labels wherever they are, and read by label
  (:mod:`gipreport._reading.tables`): every value parsed exactly — a blank is
  ``None``, never 0;
- the signature is the organ and date of issue after the last section.

Everything read in a way that is not the form's own is a :class:`ParseNote`;
a source that is not a report at all raises :class:`ParseError`. The form is
the only source of labels and structure here (:mod:`gipreport._core.form`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, Final

import attrs

from gipreport._core.errors import ParseError
from gipreport._core.form import (
    FormSpec,
    SectionSpec,
)
from gipreport._core.model import Prose, Report, Subsection
from gipreport._reading.labels import bare_key, chinese_number, squash
from gipreport._reading.source import (
    ParseResult,
    SourceBlock,
    SourceDocument,
    SourceImage,
    SourceParagraph,
    SourceTable,
    Where,
)
from gipreport._reading.tables import TableState, indexes, row_label

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


def _text_of(block: SourceBlock) -> str:
    return block.text if isinstance(block, SourceParagraph) else ""


def parse_date(text: str) -> dt.date | str | None:
    """Return the date ``text`` is (``2024年1月10日``, ``二〇二四年一月十日``, ``2024-01-10``).

    ``None`` when the text is not written as a date at all; the text itself
    when it is written as one but is no real day (``2024年2月30日``).
    """
    squashed = unicodedata.normalize("NFKC", squash(text))
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
    # Match on the prefix made half-width, character by character, remembering
    # where in the text each normalised character came from (㈠ is three).
    normalised, ends = "", []
    for position, char in enumerate(text[:12]):
        folded = unicodedata.normalize("NFKC", char)
        normalised += folded
        ends += [position + 1] * len(folded)
    match = _NUMBERING.match(normalised)
    if match is None or not match.end():
        return None
    digits = match["paren"] or match["dot"]
    number = chinese_number(digits)
    if number is None:
        return None
    kind = "paren" if match["paren"] else "dot"
    script = "digit" if digits.isascii() else "cn"
    return f"{kind}-{script}", number, text[ends[match.end() - 1] :].strip()


# --- the reading state -------------------------------------------------------------------


class _Reader(TableState):
    """Reads one source document against one form."""

    def __init__(self, doc: SourceDocument, form: FormSpec) -> None:
        super().__init__(form, doc.notes)
        self.doc = doc

    # --- the whole document -------------------------------------------------------

    def read(self) -> ParseResult:
        blocks = self.doc.blocks
        self.refuse_2019(blocks)
        starts = self._section_starts(blocks)
        first = min((start for start, _spec in starts.values()), default=len(blocks))
        front = [b for b in blocks[:first] if isinstance(b, SourceParagraph)]
        title_paragraph, preamble = self._front(front, found=bool(starts))
        for block in blocks[:first]:
            if isinstance(block, SourceTable):
                self.read_table(block)
        ordered = sorted(starts.values(), key=lambda item: item[0])
        prose: dict[str, Prose] = {}
        signature_blocks: list[SourceParagraph] = []
        for number, (start, spec) in enumerate(ordered):
            end = ordered[number + 1][0] if number + 1 < len(ordered) else len(blocks)
            body = list(blocks[start + 1 : end])
            if number + 1 == len(ordered):
                body, signature_blocks = self._split_signature(body)
            if spec.kind == "prose":
                prose[spec.key] = self._prose(body)
            else:
                self._table_section(spec, body)
        if not starts:
            tables = [b for b in blocks if isinstance(b, SourceTable)]
            if not any(self.identify(t) for t in tables):
                msg = "no section heading and none of the form's tables found: not a report"
                raise ParseError(msg)
        for spec in self.form.sections:
            found = spec.key in self.tables_found  # a table is its own section's content
            if spec.key not in {s.key for _start, s in starts.values()} and not found:
                self.note(
                    "section-missing",
                    f"section {spec.heading} not found",
                    Where(),
                    path=spec.key if spec.kind == "prose" else None,
                )
        self._missing_tables(blocks, starts)
        organ, published_on = self._signature(signature_blocks)
        return self._report(title_paragraph, preamble, organ, published_on, prose)

    # --- sections -------------------------------------------------------------------

    def _section_starts(self, blocks: Sequence[SourceBlock]) -> dict[str, tuple[int, SectionSpec]]:
        candidates = [
            (index, block, found)
            for index, block in enumerate(blocks)
            if isinstance(block, SourceParagraph)
            and (found := self._section_heading(block)) is not None
        ]
        # Where sections are numbered 一、二、…, a heading numbered otherwise —
        # （一）主动公开政府信息情况 as a sub-heading of 总体情况 — is not one.
        if any(style == "dot-cn" for _i, _b, (_spec, style, _n) in candidates):
            candidates = [c for c in candidates if c[2][1] in ("dot-cn", None)]
        starts: dict[str, tuple[int, SectionSpec]] = {}
        for index, paragraph, (spec, _style, number) in candidates:
            if spec.key in starts:
                continue
            if number is not None and number != self.form.sections.index(spec) + 1:
                self.note(
                    "section-number",
                    f"section {spec.heading} is numbered {number} in the source",
                    paragraph.where,
                    text=paragraph.text,
                )
            starts[spec.key] = (index, spec)
        return starts

    def _section_heading(
        self, paragraph: SourceParagraph
    ) -> tuple[SectionSpec, str | None, int | None] | None:
        """Return the section ``paragraph`` heads, with its numbering style and number."""
        text = paragraph.text.strip()
        if len(squash(text)) > _MAX_HEADING:
            return None
        numbered = heading_number(text)
        if numbered is None and paragraph.mark != "heading":
            return None
        style, number, rest = numbered if numbered else (None, None, text)
        key = bare_key(rest)
        for position, spec in enumerate(self.form.sections, start=1):
            title = bare_key(spec.title)
            core = re.sub(r"(情况|事项)\Z", "", title)
            exact = key == title
            if not exact and not (len(core) >= 4 and key.startswith(core)):
                continue
            if number is not None and number != position and not exact:
                continue
            return spec, style, number
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

    def _prose(self, body: list[SourceBlock]) -> Prose:
        paragraphs = [b for b in body if isinstance(b, SourceParagraph)]
        for block in body:
            if isinstance(block, SourceTable):
                self.read_table(block)
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
        body = [part for block in body for part in _signature_parts(block)]
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
        elif title_organ is not None and squash(title_organ) != squash(organ):
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
        return ParseResult(
            report=report, notes=tuple(self.notes), format=self.doc.format, kind=self.doc.kind
        )

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
                self.read_table(block)
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
        for index in indexes(self.form):
            key = index.spec.key
            if key in self.tables_found:
                for leaf in index.leaves:
                    if leaf.path not in self.read_rows:
                        self.note(
                            "row-missing",
                            f"row {row_label(leaf)} not found in the table: its cells are blank",
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


_LAST_LINE: Final = re.compile(
    r"(?:\n|[ \t\u00a0\u3000]{2,})[ \t\u00a0\u3000]*(?P<last>[^\n]+?)\s*\Z"
)


def _signature_parts(block: SourceBlock) -> tuple[SourceBlock, ...]:
    """Return a paragraph holding both the organ and the date as two, else the block."""
    # "某某局<w:br/>2024年1月10日", or the two on one line set apart by spaces.
    if not isinstance(block, SourceParagraph) or parse_date(block.text) is not None:
        return (block,)
    match = _LAST_LINE.search(block.text)
    if match is None or parse_date(match["last"]) is None:
        return (block,)
    organ = block.text[: match.start()].strip()
    date = SourceParagraph(text=match["last"], where=block.where, mark=block.mark)
    if not organ:
        return (date,)
    return (SourceParagraph(text=organ, where=block.where, mark=block.mark), date)


def _looks_like_title(text: str) -> bool:
    squashed = squash(text)
    return (
        "报告" in squashed
        and len(squashed) <= 80
        and "。" not in squashed
        and ("年度报告" in squashed or bool(_YEAR_IN_TITLE.search(squashed)))
        and not _PAGE_CHROME.search(squashed)
    )


def _short_line(text: str, limit: int = 40) -> bool:
    squashed = squash(text)
    return 0 < len(squashed) <= limit and "。" not in squashed and squashed[-1] not in _SENTENCE_END


def _reads_as_heading(kind: str, rest: str) -> bool:
    if kind == "own":
        return True  # gipreport's own numbering: whatever follows is the heading
    squashed = squash(rest)
    return (
        0 < len(squashed) <= _MAX_SUBHEADING
        and squashed[-1] not in _SENTENCE_END
        and "。" not in squashed
    )


def _reads_as_organ(paragraph: SourceParagraph, *, dated: bool) -> bool:
    squashed = squash(paragraph.text)
    if not squashed or len(squashed) > _MAX_HEADING:
        return False
    if any(char in squashed for char in "。，；！？,;!?："):
        return False
    return paragraph.mark == "signature" or dated or bool(_ORGAN_END.search(squashed))


def assemble(doc: SourceDocument, form: FormSpec) -> ParseResult:
    """Return the report ``doc`` holds, read against ``form``, with notes on what was odd.

    Raises :class:`ParseError` when ``doc`` is not a report at all.
    """
    return _Reader(doc, form).read()
