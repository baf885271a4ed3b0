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
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence, Set
from typing import Final

import attrs

from gipreport._core.errors import ParseError
from gipreport._core.form import (
    FORM_2019,
    FORM_2021,
    FormSpec,
    SectionSpec,
    SubheadingStyle,
)
from gipreport._core.model import Prose, Subsection
from gipreport._reading.header import (
    MetadataField,
    abbreviates,
    date_in,
    is_chrome,
    metadata_fields,
    preamble_organ,
    title_organ_year,
)
from gipreport._reading.labels import bare_key, chinese_number, label_key, squash
from gipreport._reading.numbering import NumberStyle, heading_number, subheading_style
from gipreport._reading.source import (
    ParseResult,
    PartialReadError,
    PartialReading,
    Places,
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceImage,
    SourceParagraph,
    SourceTable,
    Where,
    one_line,
    text_lines,
)
from gipreport._reading.tables import (
    TableIndex,
    TableState,
    cell_paths,
    indexes,
    label_and_values,
    row_label,
)
from gipreport._reading.variants import METADATA_KEYS, SECTION_KEYWORDS, SECTION_VARIANTS
from gipreport._rendering.layout import hanzi_other_than, read_year_line

__all__ = ["Header", "assemble", "parse_date"]

# --- text patterns ----------------------------------------------------------------------

_SENTENCE_END: Final = "。；;！!？?…：:，,、"
_MAX_HEADING: Final = 40


def _longer_than_a_heading(text: str) -> bool:
    """Return whether ``text`` holds over :data:`_MAX_HEADING` characters but whitespace.

    A paragraph of prose is told by its start: the whole of it is squashed only
    where its start is mostly whitespace.
    """
    if len(text) <= _MAX_HEADING:
        return False
    return len(squash(text[: 2 * _MAX_HEADING])) > _MAX_HEADING or len(squash(text)) > _MAX_HEADING


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
_NOT_IN_A_DATE: Final = hanzi_other_than("年月日〇零○一二三四五六七八九十")
"""A hanzi neither date pattern holds (:func:`parse_date`)."""
_ORGAN_END: Final = re.compile(
    r"(?:政府|办公室|办公厅|局|委员会|委|厅|部|署|院|中心|办事处|管委会|管理委员会|所|站|队|处|司|室|会|馆|镇|乡|街道|苏木)\Z"
)


@functools.cache
def _section_titles(form: FormSpec) -> tuple[tuple[int, SectionSpec, str, str], ...]:
    """Return each section of ``form`` with its number, its title's key, and that key's core.

    The core is the key without its last word 情况 or 事项: a heading holding it
    names the section (computed once a form, not for every paragraph).
    """
    return tuple(
        (position, spec, title, re.sub(r"(情况|事项)\Z", "", title))
        for position, spec in enumerate(form.sections, start=1)
        for title in (bare_key(spec.title),)
    )


_SECTION_VARIANT_KEYS: Final = {
    key: frozenset(bare_key(variant) for variant in variants)
    for key, variants in SECTION_VARIANTS.items()
}


def _text_of(block: SourceBlock) -> str:
    return block.text if isinstance(block, SourceParagraph) else ""


def parse_date(text: str) -> dt.date | str | None:
    """Return the date ``text`` is (``2024年1月10日``, ``二〇二四年一月十日``, ``2024-01-10``).

    ``None`` when the text is not written as a date at all; the text itself
    when it is written as one but is no real day (``2024年2月30日``).
    """
    if _NOT_IN_A_DATE.search(text):
        return None  # prose: written as no date, told before it is folded
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


# --- the reading state -------------------------------------------------------------------


class _Reader(TableState):
    """Reads one source document against one form."""

    def __init__(
        self,
        doc: SourceDocument,
        form: FormSpec,
        given: Header,
        table_texts: Mapping[int, tuple[SourceTable, Set[str]]] | None = None,
    ) -> None:
        super().__init__(form, doc.notes, table_texts)
        self.doc = doc
        self.given = given
        self.metadata: list[tuple[MetadataField, Where, str]] = []
        self.header_lines: tuple[SourceParagraph | None, SourceParagraph] | None = None
        self.preamble_paragraphs: list[SourceParagraph] = []
        self.year_paragraph: SourceParagraph | None = None
        """The line under the title that states the year (``（2023年度）``), if there is one."""
        self.subheading_styles: list[SubheadingStyle] = []
        """The numbering style of each sub-heading read numbered as gipreport numbers, in order."""

    # --- the whole document -------------------------------------------------------

    def _choose_form(self, blocks: Sequence[SourceBlock]) -> None:
        # A source in the 2019 tables is read against the 2019 form (nothing is
        # read yet); a markdown table's lost merges are laid on the form's grid
        # by the table reader.
        if self.form is FORM_2021 and self.in_2019_tables(blocks):
            self.form = FORM_2019  # nothing read yet: read it all against the 2019 form

    def read(self) -> ParseResult:
        blocks = self.doc.blocks
        self._choose_form(blocks)
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
                self.refuse_run_together(blocks)
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
        if len(self.tables_found) < len(self.form.tables):
            self.refuse_run_together(blocks)
        self._missing_tables(blocks, starts)
        organ, published_on = self._signature(signature_blocks)
        return self._report(title_paragraph, preamble, organ, published_on, prose)

    def read_table(self, table: SourceTable, index: TableIndex | None = None) -> None:
        """Read a table of the form; a web page's metadata table is noted, not read."""
        if index is None and self.identify(table) is None:
            fields = _metadata_table(table)
            if fields:
                where = Where(table=table.index, line=table.where.line)
                self.metadata.extend((field, where, field.key) for field in fields)
                self.note(
                    "extra-text",
                    "the web page's metadata table (索引号, 发布机构, …), not the report's",
                    where,
                    text=" / ".join(f"{f.key}：{f.value}" for f in fields),
                )
                return
        super().read_table(table, index)

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
        if any(style == "dot-cn" for _i, _b, (_spec, style, _n, _v) in candidates):
            candidates = [c for c in candidates if c[2][1] in ("dot-cn", None)]
        # Each section starts at its best heading: worded as the form words it,
        # then as a known variant, then by its words; the first of the best.
        best: dict[str, int] = {}
        for _index, _paragraph, (spec, _style, _number, level) in candidates:
            best[spec.key] = min(best.get(spec.key, level), level)
        starts: dict[str, tuple[int, SectionSpec]] = {}
        for index, paragraph, (spec, _style, number, level) in candidates:
            if spec.key in starts or level != best[spec.key]:
                continue
            if level:
                self.note(
                    "label-variant",
                    f"read as the heading of section {spec.heading}",
                    paragraph.where,
                    text=paragraph.text,
                    path=spec.key if spec.kind == "prose" else None,
                )
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
    ) -> tuple[SectionSpec, str | None, int | None, int] | None:
        """Return the section ``paragraph`` heads, with its numbering style and number.

        The last item says how the heading is worded: 0 as the form words it, 1 as
        a variant of :data:`SECTION_VARIANTS` words it, 2 holding its words only.
        """
        text = paragraph.text.strip()
        if paragraph.mark == "body" or _longer_than_a_heading(text):
            return None
        if len(text) > _REMEMBERED_HEADING:
            return _section_headed(self.form, text, marked=paragraph.mark == "heading")
        return _remembered_section_heading(self.form, text, marked=paragraph.mark == "heading")

    # --- title and preamble -----------------------------------------------------------

    def _front(
        self, front: list[SourceParagraph], *, found: bool
    ) -> tuple[SourceParagraph | None, tuple[str, ...]]:
        # A web page puts its own text around the report: its chrome (share and
        # print links, breadcrumbs) and metadata lines (发布机构：…). They are
        # noted, never read as the title or the preamble. The title is the
        # paragraph marked as one, else the last one worded as one: a page may
        # print the site's name, its menus and a column name before it.
        content = self._page_text(front)
        at = next((t for t, p in enumerate(content) if p.mark == "title"), None)
        if at is None:
            worded = [
                t for t, p in enumerate(content) if p.mark != "body" and _looks_like_title(p.text)
            ]
            at = worded[-1] if worded else None
        if at is None:
            at = _split_title(content)
        if at is None:
            if content or found:
                where = content[0].where if content else Where()
                text = content[0].text if content else ""
                self.note("title-missing", "no title before the first section", where, text=text)
            self.preamble_paragraphs = content
            return None, tuple(line for p in content for line in text_lines(p.text))
        title = content[at]
        before = content[at - 1] if at > 0 else None
        if (
            before is not None
            and title_organ_year(title.text)[0] is None
            and _short_line(before.text)
            and title_organ_year(before.text.strip() + title.text.strip())[0] is not None
            and (_ORGAN_END.search(squash(before.text)) or _YEAR_IN_TITLE.search(before.text))
        ):
            # A title printed on two lines: the organ (and year), then the rest.
            at -= 1
            title = _joined(before, title)
            del content[at + 1]
        elif (
            at + 1 < len(content)
            and content[at + 1].mark != "body"
            and read_year_line(content[at + 1].text) is None
            and not _looks_like_title(title.text)
            and _looks_like_title(title.text.strip() + content[at + 1].text.strip())
        ):
            # A title broken before its last words: "…2023年政府信息公开" / "工作年度报告".
            title = _joined(title, content[at + 1])
            del content[at + 1]
        for paragraph in content[:at]:
            self.note(
                "extra-text",
                "text before the title: not part of the report",
                paragraph.where,
                text=paragraph.text,
            )
        rest = content[at + 1 :]
        # A line right under the title that states the year, "（2023年度）": a
        # subtitle, as gipreport prints under a title that does not give the year.
        if rest and read_year_line(rest[0].text) is not None:
            self.year_paragraph = rest[0]
            rest = rest[1:]
        # Some reports print their organ and date of issue under the title, as a
        # header, not at the end: "某某县人民政府" / "（2026年1月23日）".
        if rest and _reads_as_organ(rest[0], dated=False) and len(rest) > 1:
            if isinstance(parse_date(_unbracketed(rest[1].text)), dt.date):
                self.header_lines = (rest[0], rest[1])
                rest = rest[2:]
        elif (
            rest
            and rest[0].mark != "body"
            and isinstance(parse_date(_unbracketed(rest[0].text)), dt.date)
        ):
            self.header_lines = (None, rest[0])
            rest = rest[1:]
        self.preamble_paragraphs = rest
        return title, tuple(line for p in rest for line in text_lines(p.text))

    def _page_text(self, front: list[SourceParagraph]) -> list[SourceParagraph]:
        """Return the paragraphs of ``front`` that are not the web page's; note the others."""
        content: list[SourceParagraph] = []
        for paragraph in front:
            if paragraph.mark in ("body", "title"):  # the source says it is the report's
                content.append(paragraph)
                continue
            fields = metadata_fields(paragraph.text)
            if fields:
                self.metadata.extend((field, paragraph.where, paragraph.text) for field in fields)
                self.note(
                    "extra-text",
                    "a metadata line of the web page (发布机构, 发布时间, …), not the report's",
                    paragraph.where,
                    text=paragraph.text,
                )
            elif is_chrome(paragraph.text) or (
                _PAGE_CHROME.search(paragraph.text) and _short_line(paragraph.text, limit=80)
            ):
                self.note(
                    "extra-text",
                    "a line of the web page (sharing, printing, its place on the site), "
                    "not the report's",
                    paragraph.where,
                    text=paragraph.text,
                )
            else:
                content.append(paragraph)
        return content

    # --- prose -------------------------------------------------------------------------

    def _prose(self, body: list[SourceBlock]) -> Prose:
        paragraphs = [b for b in body if isinstance(b, SourceParagraph)]
        for block in body:
            if isinstance(block, SourceTable):
                self.read_table(block)
        marked = any(p.mark == "heading" for p in paragraphs)
        lead: list[str] = []
        subsections: list[tuple[str, list[str]]] = []
        numbered_as: list[SubheadingStyle | None] = []
        style: NumberStyle | None = None
        expected = 1
        for paragraph in paragraphs:
            text = paragraph.text
            heading: str | None = None
            opening = ""
            if marked:
                if paragraph.mark == "heading":
                    numbered = heading_number(text)
                    heading = numbered[2] if numbered else text
                    style, expected = (numbered[0], numbered[1] + 1) if numbered else (None, 1)
                elif style is not None and style != "own" and paragraph.mark != "body":
                    # A sub-heading run into its paragraph, numbered next after
                    # the marked ones: "（三）精细化建设公开平台。我县……".
                    found = _next_heading(text, expected, style)
                    if found is not None and found[1]:
                        heading, opening, style = found
                        expected += 1
            elif paragraph.mark != "body":
                found = _next_heading(text, expected, style)
                if found is not None:
                    heading, opening, style = found
                    expected += 1
            # A heading that is only its numbering ("（1）") is read as a paragraph (and
            # a paragraph, no heading at all, is not made one line of nothing).
            heading_text = one_line(heading) if heading else ""
            if heading_text:
                subsections.append((heading_text, text_lines(opening)))
                numbered_as.append(subheading_style(text))
            elif subsections:
                subsections[-1][1].extend(text_lines(text))
            else:
                lead.extend(text_lines(text))
        self.subheading_styles.extend(found for found in numbered_as if found is not None)
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
        while (
            body
            and isinstance(body[-1], SourceParagraph)
            and body[-1].mark != "body"
            and is_chrome(body[-1].text)
        ):
            chrome = body.pop()
            assert isinstance(chrome, SourceParagraph)
            self.note(
                "extra-text",
                "a line of the web page (printing, closing, sharing), not the report's",
                chrome.where,
                text=chrome.text,
            )
        positions = [i for i, b in enumerate(body) if isinstance(b, SourceParagraph)]
        if not positions:
            return body, []
        dated = next(
            (
                k
                for k in reversed(positions[-_SIGNATURE_REACH:])
                if _signable(body[k]) and parse_date(_text_of(body[k])) is not None
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
        title_text = (one_line(title.text) or None) if title is not None else None
        title_organ, title_year = title_organ_year(title_text or "")
        organ = self._organ(title, title_organ, organ_paragraph)
        if organ is not None:
            organ = one_line(organ) or None
        year = self._year(title_year, title, published_on)
        if published_on is None and self.header_lines is not None:
            line = self.header_lines[1]
            date = parse_date(_unbracketed(line.text))
            assert isinstance(date, dt.date)
            published_on = date
            self.note(
                "date-inferred",
                "no date of issue under the signature: taken from the date under the title",
                line.where,
                text=line.text,
                path="published_on",
            )
        if published_on is None:
            published_on = self._page_date()
        paths = cell_paths(self.form)
        values = dict(zip(paths, map(self.values.get, paths), strict=True))
        partial = PartialReading(
            format=self.doc.format,
            kind=self.doc.kind,
            form=self.form.id,
            organ=organ,
            year=year,
            title=title_text,
            published_on=published_on,
            preamble=preamble,
            sections=prose,
            values=values,
            notes=tuple(self.notes),
            places=Places(self.places),
            subheading_style=self._subheading_style(),
        )
        if partial.missing:
            raise PartialReadError(partial)
        return partial.complete()

    def _subheading_style(self) -> SubheadingStyle | None:
        """Return the style most sub-headings are numbered in (the first seen of a tie)."""
        counts = Counter(self.subheading_styles)
        if not counts:
            return None
        return max(counts, key=counts.__getitem__)  # max keeps the first of equals

    def _organ(
        self,
        title: SourceParagraph | None,
        title_organ: str | None,
        organ_paragraph: SourceParagraph | None,
    ) -> str | None:
        named = self._named_organs(title, title_organ, organ_paragraph)
        given = self.given.organ
        if given is not None and not named:
            self.note(
                "organ-given",
                f"the source does not state the organ: {given!r} was given",
                Where(),
                path="organ",
            )
        if given is not None:
            differs = [n for n in named if squash(n[0]) != squash(given)]
            if named and len(differs) == len(named):
                source, where, raw, _what = named[0]
                self.note(
                    "organ-differs",
                    f"the source names {source!r}; the organ given, {given!r}, is kept",
                    where,
                    text=raw,
                    path="organ",
                )
            return given
        if organ_paragraph is not None and organ_paragraph.text.strip():
            organ = organ_paragraph.text.strip()
            if title_organ is not None and squash(title_organ) != squash(organ):
                self.note(
                    "organ-differs",
                    f"the title names {title_organ!r}; the signature's organ is kept",
                    organ_paragraph.where,
                    text=organ,
                    path="organ",
                )
            return organ
        if not named:
            return None
        organ, where, raw, what = named[0]
        if title_organ is not None and organ == title_organ:
            # A title's abbreviation (上海市科委) with the full name elsewhere.
            full = next((n for n in named[1:] if abbreviates(title_organ, n[0])), None)
            if full is None:
                return organ
            organ, where, raw, what = full
            message = f"the title names {title_organ!r}; its full name in {what} is kept"
        else:
            message = f"no organ in a signature or the title: taken from {what}"
        self.note("organ-inferred", message, where, text=raw, path="organ")
        return organ

    def _named_organs(
        self,
        title: SourceParagraph | None,
        title_organ: str | None,
        organ_paragraph: SourceParagraph | None,
    ) -> list[tuple[str, Where, str, str]]:
        """Return each organ the source names: the organ, where, the raw text and in what."""
        # Where the source names its organ, best first: the signature, the
        # title, the preamble ("现将XX2023年…", "本报告由XX编制"), the page's metadata.
        named: list[tuple[str, Where, str, str]] = []  # organ, where, raw text, what
        if organ_paragraph is not None and organ_paragraph.text.strip():
            named.append(
                (organ_paragraph.text.strip(), organ_paragraph.where, organ_paragraph.text, "")
            )
        if self.header_lines is not None and self.header_lines[0] is not None:
            line = self.header_lines[0]
            named.append((line.text.strip(), line.where, line.text, "the line under the title"))
        if title is not None and title_organ is not None:
            named.append((title_organ, title.where, title.text, "the title"))
        for paragraph in self.preamble_paragraphs:
            found = preamble_organ(paragraph.text)
            if found is not None:
                named.append((found[0], paragraph.where, paragraph.text, "the preamble"))
        for field, where, raw in self.metadata:
            value = field.value
            if field.gives == "title":
                value = title_organ_year(value)[0] or ""
            elif field.gives != "organ" or "://" in value or value.startswith("www."):
                continue
            if value and len(squash(value)) <= _MAX_HEADING:
                named.append((value, where, raw, f"the page's {field.key}"))
        return named

    def _year(
        self, title_year: int | None, title: SourceParagraph | None, published_on: dt.date | None
    ) -> int | None:
        given = self.given.year
        stated_at = title if title_year is not None else None
        line = self.year_paragraph
        line_year = read_year_line(line.text) if line is not None else None
        if line is not None and line_year is not None:
            # The line under the title states the year: it is the report's.
            if title_year is not None and title_year != line_year:
                self.note(
                    "year-differs",
                    f"the title names {title_year}; the year stated under it, {line_year}, is kept",
                    line.where,
                    text=line.text,
                    path="year",
                )
            title_year, stated_at = line_year, line
        if given is not None:
            stated = title_year
            if stated is None:
                probe = _Reader(self.doc, self.form, Header())
                probe.preamble_paragraphs, probe.metadata = self.preamble_paragraphs, self.metadata
                stated = probe._infer_year(published_on)
            if stated is None:
                self.note(
                    "year-given",
                    f"the source does not state the year: {given} was given",
                    Where(),
                    path="year",
                )
            elif stated != given:
                self.note(
                    "year-differs",
                    f"the source states {stated}; the year given, {given}, is kept",
                    stated_at.where if stated_at is not None else Where(),
                    text=stated_at.text if stated_at is not None else "",
                    path="year",
                )
            return given
        if title_year is not None:
            return title_year
        return self._infer_year(published_on)

    def _infer_year(self, published_on: dt.date | None) -> int | None:
        for paragraph in self.preamble_paragraphs:
            found = preamble_organ(paragraph.text)
            if found is not None and found[1] is not None and 2008 <= found[1] <= 9999:
                self.note(
                    "year-inferred",
                    f"the year {found[1]} is taken from the preamble, which names the report",
                    paragraph.where,
                    text=paragraph.text,
                    path="year",
                )
                return found[1]
        for field, where, raw in self.metadata:
            if field.gives == "title":
                year = title_organ_year(field.value)[1]
                if year is not None:
                    self.note(
                        "year-inferred",
                        f"the year {year} is taken from the page's {field.key}",
                        where,
                        text=raw,
                        path="year",
                    )
                    return year
        for paragraph in self.preamble_paragraphs:
            match = _PERIOD_YEAR.search(unicodedata.normalize("NFKC", paragraph.text))
            if match is not None:
                year = int(match["year"])
                self.note(
                    "year-inferred",
                    f"the year {year} is taken from the statistical period in the preamble",
                    paragraph.where,
                    text=paragraph.text,
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
        return None

    def _page_date(self) -> dt.date | None:
        # No date under the signature: the page's date of issue (发文日期), else
        # the date it was posted (发布时间), is the report's.
        for gives in ("issued", "posted"):
            for field, where, raw in self.metadata:
                if field.gives != gives:
                    continue
                date = date_in(field.value)
                if date is not None:
                    self.note(
                        "date-inferred",
                        f"no date of issue under the signature: taken from the page's "
                        f"{field.key} ({date.isoformat()})",
                        where,
                        text=raw,
                        path="published_on",
                    )
                    return date
        return None

    # --- tables ------------------------------------------------------------------------

    def _table_section(self, spec: SectionSpec, body: list[SourceBlock]) -> None:
        # Lines that are each a row label and its values ("行政许可 97") are the
        # section's table printed as lines: read as its rows.
        lines: list[SourceParagraph] = []
        for block in [*body, None]:
            if isinstance(block, SourceParagraph) and label_and_values(self.form, block.text):
                lines.append(block)
                continue
            if lines:
                self._table_of_lines(spec, lines)
                lines = []
            if isinstance(block, SourceTable):
                self.read_table(block)
            elif isinstance(block, SourceParagraph):
                self.note(
                    "extra-text",
                    f"a paragraph in section {spec.heading}, which holds a table only",
                    block.where,
                    text=block.text,
                )

    def _table_of_lines(self, spec: SectionSpec, lines: list[SourceParagraph]) -> None:
        index = next(i for i in indexes(self.form) if i.spec.key == spec.key)
        rows = tuple(
            (SourceCell(text=p.text, row=r, column=0, line=p.where.line),)
            for r, p in enumerate(lines)
        )
        table = SourceTable(
            index=-1, rows=rows, gridded=False, where=Where(line=lines[0].where.line)
        )
        self.read_table(table, index)

    def _missing_tables(
        self, blocks: Sequence[SourceBlock], starts: dict[str, tuple[int, SectionSpec]]
    ) -> None:
        ordered = sorted(starts.values(), key=lambda item: item[0])
        for index in indexes(self.form):
            key = index.spec.key
            title = f"{index.spec.arabic_number} ({index.spec.number}、{index.spec.title})"
            if key in self.tables_found:
                place = self.table_places[key]
                if not any(leaf.path in self.read_rows for leaf in index.leaves):
                    self.note(
                        "table-unread",
                        f"table {title} found, but no row of it could be read: its cells are blank",
                        place,
                        path=key,
                    )
                    continue
                for leaf in index.leaves:
                    if leaf.path not in self.read_rows:
                        self.note(
                            "row-missing",
                            f"row {row_label(leaf)} not found in the table: its cells are blank",
                            place,
                            path=leaf.path,
                        )
                continue
            images: list[SourceImage] = []
            heading: SourceBlock | None = None
            for number, (start, spec) in enumerate(ordered):
                if spec.key == key:
                    end = ordered[number + 1][0] if number + 1 < len(ordered) else len(blocks)
                    images = [b for b in blocks[start:end] if isinstance(b, SourceImage)]
                    heading = blocks[start]
            if images:
                self.note(
                    "table-image",
                    f"table {title} is a picture here, not a table: its cells are blank",
                    images[0].where,
                    path=key,
                )
            else:
                where, text = Where(), ""
                if isinstance(heading, SourceParagraph):
                    where, text = heading.where, heading.text
                self.note(
                    "table-missing",
                    f"table {title} not found: its cells are blank",
                    where,
                    text=text,
                    path=key,
                )


_REMEMBERED_HEADING: Final = 4 * _MAX_HEADING
"""The longest text whose reading as a section heading is remembered (headings are
worded alike from one report to the next)."""


@functools.lru_cache(maxsize=4096)
def _remembered_section_heading(
    form: FormSpec, text: str, *, marked: bool
) -> tuple[SectionSpec, str | None, int | None, int] | None:
    return _section_headed(form, text, marked=marked)


def _section_headed(
    form: FormSpec, text: str, *, marked: bool
) -> tuple[SectionSpec, str | None, int | None, int] | None:
    """Return the section the stripped ``text`` heads, as :meth:`_Reader._section_heading`.

    ``marked``: the source marks the paragraph as a heading.
    """
    numbered = heading_number(text)
    if numbered is None and not marked:
        return None
    style, number, rest = numbered if numbered else (None, None, text)
    key = bare_key(rest)
    for position, spec, title, core in _section_titles(form):
        exact = key == title
        if not exact and not (len(core) >= 4 and key.startswith(core)):
            continue
        if number is not None and number != position and not exact:
            continue
        return spec, style, number, 0
    # A heading as real reports word it: a known variant, or — numbered as
    # the section is — holding the words every wording of it holds.
    for position, spec in enumerate(form.sections, start=1):
        variant = key in _SECTION_VARIANT_KEYS[spec.key]
        if not variant and (number != position or style != "dot-cn"):
            continue
        if not variant and not all(
            any(word in key for word in group) for group in SECTION_KEYWORDS[spec.key]
        ):
            continue
        if number is not None and number != position and not variant:
            continue
        return spec, style, number, 1 if variant else 2
    return None


_LAST_LINE: Final = re.compile(
    r"(?:\n|[ \t\u00a0\u3000]{2,})[ \t\u00a0\u3000]*(?P<last>[^\n]+?)\s*\Z"
)


def _signable(block: SourceBlock) -> bool:
    """Return whether ``block`` may be part of the signature (a body paragraph is not)."""
    return isinstance(block, SourceParagraph) and block.mark != "body"


def _signature_parts(block: SourceBlock) -> tuple[SourceBlock, ...]:
    """Return a paragraph holding both the organ and the date as two, else the block."""
    # "某某局<w:br/>2024年1月10日", or the two on one line set apart by spaces.
    if not _signable(block) or parse_date(_text_of(block)) is not None:
        return (block,)
    assert isinstance(block, SourceParagraph)
    match = _LAST_LINE.search(block.text)
    if match is None or parse_date(match["last"]) is None:
        return (block,)
    organ = block.text[: match.start()].strip()
    date = SourceParagraph(text=match["last"], where=block.where, mark=block.mark)
    if not organ:
        return (date,)
    return (SourceParagraph(text=organ, where=block.where, mark=block.mark), date)


_MAX_TITLE: Final = 80
"""The most characters but whitespace a title holds."""
_TRAILING_NOTE: Final = re.compile(r"(?:[（(][^（()）]{0,12}[)）])+\Z")


def _looks_like_title(text: str) -> bool:
    # A title ends with 报告 or 年报 (a bracketed note such as （修订版） after it):
    # "现将…年度报告公布如下" in the preamble names the report but is no title.
    if len(text) > _MAX_TITLE and len(squash(text[: 2 * _MAX_TITLE + 1])) > _MAX_TITLE:
        return False  # prose, told by its start: over a title's characters but whitespace
    squashed = squash(text)
    bare = _TRAILING_NOTE.sub("", squashed)
    return (
        bare.endswith(("报告", "年报"))
        and len(squashed) <= _MAX_TITLE
        and "。" not in squashed
        and ("年度报告" in squashed or "年报" in squashed or bool(_YEAR_IN_TITLE.search(squashed)))
        and not _PAGE_CHROME.search(squashed)
    )


def _split_title(content: list[SourceParagraph]) -> int | None:
    """Return where a title broken over two lines starts, if one is."""
    for at in range(min(len(content) - 1, _TITLE_REACH)):
        if "body" in (content[at].mark, content[at + 1].mark):
            continue
        first, second = content[at].text, content[at + 1].text
        if _short_line(first) and _looks_like_title(first.strip() + second.strip()):
            return at
    return None


def _unbracketed(text: str) -> str:
    return text.strip().removeprefix("（").removeprefix("(").removesuffix("）").removesuffix(")")


def _joined(first: SourceParagraph, second: SourceParagraph) -> SourceParagraph:
    return SourceParagraph(
        text=first.text.strip() + second.text.strip(), where=first.where, mark="title"
    )


def _metadata_table(table: SourceTable) -> tuple[MetadataField, ...]:
    """Return the fields of a web page's metadata table (索引号, 发布机构, …), if it is one."""
    fields: list[MetadataField] = []
    for cells in table.rows:
        distinct: list[str] = []
        for cell in cells:
            if not distinct or cell.text != distinct[-1]:
                distinct.append(cell.text)
        for position, text in enumerate(distinct[:-1]):
            key = label_key(text)
            if key in METADATA_KEYS:
                value = distinct[position + 1]
                if label_key(value) not in METADATA_KEYS:
                    fields.append(
                        MetadataField(key=key, value=value.strip(), gives=METADATA_KEYS[key])
                    )
    return tuple(fields) if len(fields) >= 2 else ()


def _short_line(text: str, limit: int = 40) -> bool:
    squashed = squash(text)
    return 0 < len(squashed) <= limit and "。" not in squashed and squashed[-1] not in _SENTENCE_END


def _next_heading(
    text: str, expected: int, style: NumberStyle | None
) -> tuple[str, str, NumberStyle] | None:
    """Return the sub-heading ``text`` starts with, the text after it and its numbering style.

    Only the next number in sequence, numbered in the style of those before, is
    a sub-heading: written alone on its line, or run into its first paragraph.
    """
    numbered = heading_number(text)
    if numbered is None:
        return None
    kind, number, rest = numbered
    if number != expected or style not in (None, kind):
        return None
    if _reads_as_heading(kind, rest):
        return rest, "", kind
    run_in = _run_in_heading(kind, rest)
    return (*run_in, kind) if run_in is not None else None


_RUN_IN_END: Final = re.compile(r"[。：:]")
_MAX_RUN_IN: Final = 20
_RUN_IN_KINDS: Final[frozenset[NumberStyle]] = frozenset({"paren-cn", "paren-digit"})


def _run_in_heading(kind: NumberStyle, rest: str) -> tuple[str, str] | None:
    """Return the heading and the text of a paragraph that starts with its sub-heading.

    Real reports run a sub-heading into its first paragraph: "（一）主动公开方面。
    有序推进……". The heading is what comes before the first 。 or ：, kept as
    printed with it, where that is a short phrase (no comma) and text follows —
    or where it is all the line holds: such a heading as gipreport prints it,
    on a line of its own (the body is then ``""``).
    """
    if kind not in _RUN_IN_KINDS:
        return None
    match = _RUN_IN_END.search(rest, 0, _MAX_RUN_IN + 2)
    if match is None:
        return None
    heading, body = rest[: match.end()].strip(), rest[match.end() :].strip()
    phrase = squash(heading[:-1])
    if not 2 <= len(phrase) <= _MAX_RUN_IN or any(c in phrase for c in "，,、；;。"):
        return None
    return heading, body


def _reads_as_heading(kind: NumberStyle, rest: str) -> bool:
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
    if not squashed or len(squashed) > _MAX_HEADING or paragraph.mark == "body":
        return False
    if any(char in squashed for char in "。，；！？,;!?："):
        return False
    return paragraph.mark == "signature" or dated or bool(_ORGAN_END.search(squashed))


@attrs.frozen(kw_only=True)
class Header:
    """Header fields a caller gives: each replaces what the source states, if anything."""

    organ: str | None = None
    year: int | None = None


def assemble(
    doc: SourceDocument,
    form: FormSpec,
    given: Header | None = None,
    *,
    table_texts: Mapping[int, tuple[SourceTable, Set[str]]] | None = None,
) -> ParseResult:
    """Return the report ``doc`` holds, read against ``form``, with notes on what was odd.

    ``given`` holds the header fields the caller gives. Raises
    :class:`PartialReadError` when ``doc`` does not state its organ or year
    (and ``given`` does not give them), and :class:`ParseError` when ``doc`` is
    not a report at all. ``table_texts``: the texts of ``doc``'s tables, as
    :class:`~gipreport._reading.tables.TableState` takes them.
    """
    return _Reader(doc, form, given or Header(), table_texts).read()
