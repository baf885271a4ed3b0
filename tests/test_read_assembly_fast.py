"""The shortcuts of the assembly (issue #17): each gives what the work it skips would give."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Final

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples
from gipreport._core.form import FORM_2019, FORM_2021, FORMATS, FormSpec
from gipreport._core.limits import MAX_COUNT
from gipreport._reading import api, assemble, header, numbering, tables
from gipreport._reading.assemble import parse_date
from gipreport._reading.from_html import html_source
from gipreport._reading.labels import bare_key, is_blank, label_key, squash
from gipreport._reading.source import (
    NOTE_CODES,
    Mark,
    NoteCode,
    ParseNote,
    SourceCell,
    SourceDocument,
    SourceParagraph,
    SourceTable,
    Where,
    new_note,
)
from gipreport._rendering import layout
from gipreport._rendering.layout import hanzi_other_than, read_year_line
from numbering_support import heading_number_folding_each_character

EXAMPLE = gipreport.examples.mingan_2023()

# Characters the shortcuts tell apart: controls, noncharacters (of the BMP and astral),
# bidirectional controls, tabs, whitespace of every kind, full-width and half-width
# numbering, folds of more than one character (㈠, ⑴, ´), astral hanzi and the hanzi
# of dates and year lines.
_ODD: Final = "\x00\x07\x1b\x1f\x7f\x9f\ufdd0\ufffe\U0001fffe\U0010ffff\ud800"
_BIDI: Final = "\u061c\u200e\u202e\u2066\u2069"
_SPACES: Final = " \t\n\x85\u00a0\u3000\u2003\u200b\ufeff\x1c"
_NUMBERING: Final = "（()）、.．0123456789０１９一二三十百千零〇○㈠⑴´"
_HANZI: Final = "年度月日主动公开我局𠀀"
_ALPHABET: Final = _ODD + _BIDI + _SPACES + _NUMBERING + _HANZI + "a/-—"

texts = st.text(alphabet=_ALPHABET, max_size=24)


# --- controls and bidirectional controls: one search of all the text ---------------


def _document(paragraphs: list[str], cells: list[str]) -> SourceDocument:
    blocks: list[SourceParagraph | SourceTable] = [
        SourceParagraph(text=text, where=Where(paragraph=at)) for at, text in enumerate(paragraphs)
    ]
    if cells:
        row = tuple(SourceCell(text=text, row=0, column=j) for j, text in enumerate(cells))
        blocks.append(SourceTable(index=0, rows=(row, row), gridded=True, where=Where(table=0)))
    return SourceDocument(format="html", blocks=tuple(blocks))


def _shown(doc: SourceDocument) -> list[str]:
    return [repr(block) for block in doc.blocks] + [repr(note) for note in doc.notes]


@given(st.lists(texts, max_size=4), st.lists(texts, max_size=4))
def test_a_source_told_clean_is_cleaned_as_the_full_passes_clean_it(
    paragraphs: list[str], cells: list[str]
) -> None:
    doc = _document(paragraphs, cells)
    odd = api._may_hold_odd_text(doc)
    assert _shown(api._without_controls(doc, controls=odd)) == _shown(api._without_controls(doc))
    if not odd:
        assert tuple(api._bidi_notes(doc)) == ()
        assert not any(api._NOT_TEXT.search(text) for text in (*paragraphs, *cells))


@pytest.mark.parametrize("char", [*_ODD, *_BIDI])
def test_every_control_noncharacter_and_bidi_control_is_looked_at(char: str) -> None:
    assert api._may_hold_odd_text(_document([f"一{char}二"], []))
    assert api._may_hold_odd_text(_document([], ["规章", f"3{char}"]))
    assert not api._may_hold_odd_text(_document(["一\t二\n三"], ["规\t章"]))
    # Printable text holds none (an astral hanzi, an emoji), nor does whitespace.
    assert not api._may_hold_odd_text(_document(["一𠀀二😀"], ["规章"]))
    assert not api._may_hold_odd_text(_document(["\u3000一\u00a0二"], ["规章"]))


def test_a_paragraph_s_tab_is_a_space_where_the_source_holds_no_control() -> None:
    doc = _document(["2025年12月30日\t星期二"], [])
    assert not api._may_hold_odd_text(doc)
    cleaned = api._without_controls(doc, controls=False)
    assert cleaned.blocks[0].text == "2025年12月30日 星期二"  # type: ignore[union-attr]
    assert _shown(cleaned) == _shown(api._without_controls(doc))


# --- heading numbering --------------------------------------------------------------


@given(texts)
def test_heading_number_is_the_fold_of_every_character(text: str) -> None:
    assert numbering.heading_number(text) == heading_number_folding_each_character(text)
    assert numbering.heading_number(text) == heading_number_folding_each_character(
        text
    )  # remembered


@pytest.mark.parametrize(
    "text",
    [
        "（一）主动公开政府信息情况",
        "\u3000\u3000（二）依申请公开",
        "\u3000\u3000本机关全年收到申请",
        "  1、 主动公开",
        "（1） 主动公开",
        "\u3000（1） 主动公开",
        "㈠主动公开",
        "\u3000⑴主动公开",
        "１．主动公开",
        "（十一）其他",
        "\u3000",
        "",
        "一、总体情况" + "。" * 40,
    ],
)
def test_heading_number_of_indented_and_full_width_numbering(text: str) -> None:
    assert numbering.heading_number(text) == heading_number_folding_each_character(text)


def test_the_half_width_table_folds_each_of_its_characters_to_one() -> None:
    assert len(numbering._HALF_WIDTH) == 95
    for code, folded in numbering._HALF_WIDTH.items():
        assert unicodedata.normalize("NFKC", chr(code)) == folded
        assert len(folded) == 1
    assert numbering._HALF_WIDTH[ord("（")] == "("
    assert numbering._HALF_WIDTH[0x3000] == " "


def test_every_whitespace_character_folds_to_whitespace_the_pattern_takes() -> None:
    # heading_number skips a text's leading whitespace unfolded: sound only so.
    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    assert len(spaces) > 20
    for char in spaces:
        folded = unicodedata.normalize("NFKC", char)
        assert folded
        assert folded.isspace()
        assert re.fullmatch(r"\s+", folded)


# --- blanks, notes, dates and year lines -------------------------------------------------


@given(texts)
def test_is_blank_is_squashed_to_nothing(text: str) -> None:
    assert is_blank(text) is (not squash(text))


@given(st.sampled_from(sorted(NOTE_CODES)), texts, texts, st.none() | texts)
def test_a_note_made_through_its_slots_is_the_note(
    code: NoteCode, message: str, text: str, path: str | None
) -> None:
    where = Where(table=2, row=3, column=1, form_table=3, line=7)
    made = new_note(code, message, where, text, path)
    expected = ParseNote(code=code, message=message, where=where, text=text, path=path)
    assert made == expected
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    assert str(made) == str(expected)


def _reference_parse_date(text: str) -> object:
    squashed = unicodedata.normalize("NFKC", squash(text))
    return re.fullmatch(
        r"(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
        r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日",
        squashed,
    ) or re.fullmatch(r"\d{4}\s*[-/.．]\s*\d{1,2}\s*[-/.．]\s*\d{1,2}", squashed)


@given(texts)
def test_a_text_told_no_date_or_year_line_before_folding_is_none(text: str) -> None:
    if _reference_parse_date(text) is None:
        assert parse_date(text) is None
    else:
        assert parse_date(text) is not None
    line = layout._YEAR_LINE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    year = layout._year_value(line["year"]) if line is not None else None
    assert read_year_line(text) == (year if year is not None and 2008 <= year <= 9999 else None)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024年1月10日", dt.date(2024, 1, 10)),
        ("二〇二四年一月十日", dt.date(2024, 1, 10)),
        ("２０２４－０１－１０", dt.date(2024, 1, 10)),
        ("2024年2月30日", "2024年2月30日"),
        ("我局2024年1月10日", None),
        ("", None),
    ],
)
def test_dates_are_read_as_before(text: str, date: object) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("（2023年度）", 2023),
        ("( 2023 年度 )", 2023),
        ("二〇二三年度", 2023),
        ("（２０２３年度）", 2023),
        ("（2023年度）我局", None),
        ("本机关2023年度", None),
    ],
)
def test_year_lines_are_read_as_before(text: str, year: int | None) -> None:
    assert read_year_line(text) == year


@given(st.text(alphabet="年度月日一二十我局公开〇零○" + "\u4e00\u9fff\u4dff\ua000", max_size=6))
def test_hanzi_other_than_finds_exactly_the_other_ideographs(text: str) -> None:
    pattern = hanzi_other_than("年度一")
    others = [c for c in text if 0x4E00 <= ord(c) <= 0x9FFF and c not in "年度一"]
    found = pattern.search(text)
    assert (found[0] if found else None) == (others[0] if others else None)


def test_every_unified_ideograph_is_its_own_fold() -> None:
    # hanzi_other_than's premise: such a hanzi is in a text after NFKC as before.
    assert all(unicodedata.is_normalized("NFKC", chr(code)) for code in range(0x4E00, 0xA000))


# --- the tables: a count read in read_values, the memo of a table of the form ----------

_CELL_TEXTS: Final = [
    "0",
    "12",
    str(MAX_COUNT),
    str(MAX_COUNT + 1),
    "9" * 5000,
    "１２",
    "٣",
    " ",
    "",
    "\u3000",
    "/",
    "3件",
    "1,234",
    "-1",
    "x",
]


@pytest.mark.parametrize("numbered", [(2, 3), None, (7, 4)])
@pytest.mark.parametrize("text", _CELL_TEXTS)
def test_a_value_read_in_a_row_is_read_as_put_reads_it(
    text: str, numbered: tuple[int, int] | None
) -> None:
    index = tables.indexes(FORM_2021)[1]  # table 3
    cell = SourceCell(text=text, row=5, column=4, line=12)
    table = SourceTable(index=2, rows=((cell,),), gridded=True, where=Where(table=2, line=10))
    leaf = index.leaves[0]
    target = index.targets[0]
    path = f"{leaf.path}.{target.column.key}"

    read = tables.TableState(FORM_2021)
    read._numbered = numbered
    reader = tables._BlockTableReader(read, index, table)
    others = tuple(SourceCell(text="9", row=5, column=j, line=12) for j in range(4))
    reader.read_values((*others, cell), {4: target}, leaf=leaf, first=cell)

    put = tables.TableState(FORM_2021)
    put._numbered = numbered
    put.put(path, cell, table, unit=None)

    assert read.values == put.values
    assert list(read.values) == [path]
    assert {p: repr(w) for p, w in read.places.items()} == {
        p: repr(w) for p, w in put.places.items()
    }
    assert [repr(n) for n in read.notes] == [repr(n) for n in put.notes]
    assert read.places[path].form_table == (3 if numbered == (2, 3) else None)
    assert read._unnumbered_places is put._unnumbered_places


def test_a_place_put_outside_its_table_s_reading_is_numbered_when_the_table_is_read() -> None:
    source_tables = [
        block for block in html_source(_page()).blocks if isinstance(block, SourceTable)
    ]
    state = tables.TableState(FORM_2021)
    assert [state._unnumbered_places] == [False]
    third = source_tables[1]
    cell = third.rows[-1][-1]
    state.put("appeals.review.upheld", cell, third, unit=None)  # no table being read
    assert [state._unnumbered_places] == [True]  # noted: looked through on reading
    assert state.places["appeals.review.upheld"].form_table is None
    state.read_table(third)
    assert state.places["appeals.review.upheld"].form_table == 3


def _page() -> bytes:
    page = gipreport.render(EXAMPLE, "html")
    assert isinstance(page, str)
    return page.encode()


@pytest.mark.parametrize("form", list(FORMATS.values()), ids=list(FORMATS))
def test_a_table_s_memo_gives_what_it_would_work_out(form: FormSpec) -> None:
    state = tables.TableState(form)
    table = SourceTable(index=0, rows=(), gridded=True, where=Where(table=0))
    for index in tables.indexes(form):
        if not index.spec.header:
            continue
        reader = tables._BlockTableReader(state, index, table)
        assert reader.memo is tables._memo(index)
        texts = [cell.text for row in index.spec.header for cell in row]
        for text in [*texts, " ", "", "勾稽关系", "数据1", "自然人", "总计"]:
            for _ in range(2):  # worked out, then remembered
                assert reader.header_text(text) is reader._header_text(text)
                expected_key = None if is_blank(text) or reader.is_corner(text) else label_key(text)
                assert reader.head_key(text) == expected_key
        for target in index.targets:
            for _ in range(2):
                assert reader.matched_column(target.chain) == reader.match_column(target.chain)
            assert reader.matched_column(target.chain) == (target, False)
        assert reader.matched_column(("数据1",)) == (None, False)


def test_a_table_s_memo_is_one_per_table_and_starts_afresh_when_full() -> None:
    first, second = tables.indexes(FORM_2021)[1:3]
    assert tables._memo(first) is tables._memo(first)
    assert tables._memo(first) is not tables._memo(second)
    assert tables._memo(first) is not tables._memo(tables.indexes(FORM_2019)[1])
    memo = tables._memo(first)
    memo.head_keys.update((str(n), None) for n in range(tables._MAX_MEMO + 1))
    memo.header_texts["自然人"] = True
    assert tables._memo(first) is memo
    assert memo.head_keys == {}
    assert memo.header_texts == {}
    memo.rows.update((((n,), ()), {}) for n in range(tables._MAX_MAPPINGS + 1))
    memo.header_texts["自然人"] = True
    assert tables._memo(first) is memo
    assert memo.rows == {}
    assert memo.header_texts == {}
    memo.plans.update(((n, ()), ((), (), (), ())) for n in range(tables._MAX_MAPPINGS + 1))
    memo.rows[(), ()] = {}
    assert tables._memo(first) is memo
    assert memo.plans == {}
    assert memo.rows == {}


@given(st.lists(texts | st.sampled_from(["自然人", "总计", "0", "12", "/", "", "申请人情况"])))
def test_a_header_row_is_told_in_one_pass_as_by_its_texts(row: list[str]) -> None:
    index = tables.indexes(FORM_2021)[1]  # table 3
    table = SourceTable(index=0, rows=(), gridded=True, where=Where(table=0))
    reader = tables._BlockTableReader(tables.TableState(FORM_2021), index, table)
    cells = [SourceCell(text=text, row=0, column=j) for j, text in enumerate(row)]
    shown = [text for text in row if not is_blank(text)]
    expected = not any(tables.value_like(text) for text in shown) and any(
        reader._header_text(text) for text in shown
    )
    assert reader.header_row(cells) is expected


@pytest.mark.parametrize("form", list(FORMATS.values()), ids=list(FORMATS))
def test_a_block_s_header_cell_is_the_first_column_its_label_names(form: FormSpec) -> None:
    index = tables.indexes(form)[0]  # table 2: blocks of rows
    table = SourceTable(index=0, rows=(), gridded=True, where=Where(table=0))
    reader = tables._StackedTableReader(tables.TableState(form), index, table)
    labels = [c.label for leaf in index.leaves for c in leaf.row.columns]
    labels += [f"{label}（件）" for label in labels] + ["信息内容", "数据1", "", "总计"]
    for block in (None, *(group for group in index.groups if group.layout_only)):
        columns = reader.block_columns(block)[0]
        assert reader.block_columns(block)[0] is columns  # remembered
        candidates = [leaf for leaf in index.leaves if block is None or leaf.block is block]
        assert columns == {c.key: c for leaf in candidates for c in leaf.row.columns}
        for text in labels:
            expected = next(
                (
                    c
                    for c in columns.values()
                    if bare_key(c.label) == bare_key(text) or label_key(c.label) == label_key(text)
                ),
                None,
            )
            assert reader.named_column(block, text) == expected


def test_a_header_remembered_is_read_and_noted_as_one_worked_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A header with a column of no known label, one printed as a variant, and so a
    # column missing: each noted alike, the header's plan worked out or remembered.
    page = _page().decode().replace("结果<wbr>维持", "维持", 1).replace("尚未<wbr>审结", "数据1", 1)
    for memo in tables._MEMOS.values():
        memo.plans.clear()
    first = gipreport.read(page)  # worked out
    again = gipreport.read(page)  # remembered
    assert any(memo.plans for memo in tables._MEMOS.values())
    monkeypatch.setattr(tables, "_MAX_PLANNED_SLOTS", 0)
    afresh = gipreport.read(page)  # worked out, never remembered
    codes = {note.code for note in first.notes}
    assert {"column-unknown", "label-variant", "column-missing"} <= codes
    for other in (again, afresh):
        assert other.report == first.report
        assert [repr(n) for n in other.notes] == [repr(n) for n in first.notes]
        assert {p: repr(w) for p, w in other.places.items()} == {
            p: repr(w) for p, w in first.places.items()
        }


@pytest.mark.parametrize("form", list(FORMATS.values()), ids=list(FORMATS))
def test_a_row_s_slots_are_its_cells_paths_and_kinds_under_the_mapping(form: FormSpec) -> None:
    kinds = {cell.path: cell.kind for cell in form.cells}
    for index in tables.indexes(form):
        if not index.spec.header:
            continue
        targets = index.targets
        # The form's order from column 2, and the reverse order with a gap.
        for mapping in (
            {2 + n: target for n, target in enumerate(targets)},
            {2 * n: target for n, target in enumerate(reversed(targets))},
        ):
            memo = tables._memo(index)
            rows = memo.mapped(mapping)
            assert memo.mapped(dict(mapping)) is rows  # one per mapping, however made
            for leaf in (None, *index.leaves):
                rows_of = [leaf.path if leaf is not None else t.row for t in mapping.values()]
                if None in rows_of:  # no row the columns fix (table 3): never read so
                    continue
                expected = tuple(
                    (j, path, kinds.get(path))
                    for (j, target), row in zip(mapping.items(), rows_of, strict=True)
                    for path in [f"{row}.{target.column.key}"]
                )
                row = leaf.path if leaf is not None else None
                assert tables._row_slots(form, mapping, row) == expected


def test_a_table_s_rows_are_read_alike_with_their_slots_remembered() -> None:
    page = _page()
    first = gipreport.read(page)
    for memo in tables._MEMOS.values():
        assert not memo.rows or all(isinstance(rows, dict) for rows in memo.rows.values())
    again = gipreport.read(page)  # the rows' slots remembered
    assert again.report == first.report
    assert [repr(n) for n in again.notes] == [repr(n) for n in first.notes]
    assert {p: repr(w) for p, w in again.places.items()} == {
        p: repr(w) for p, w in first.places.items()
    }
    for memo in tables._MEMOS.values():
        memo.rows.clear()
    afresh = gipreport.read(page)
    assert afresh.report == first.report
    assert [repr(n) for n in afresh.notes] == [repr(n) for n in first.notes]


@pytest.mark.parametrize("form", [FORM_2021, FORM_2019], ids=["2021", "2019"])
def test_the_cell_kinds_and_paths_are_the_form_s(form: FormSpec) -> None:
    kinds = tables._cell_kinds(form)
    assert kinds is tables._cell_kinds(form)
    assert kinds == {cell.path: cell.kind for cell in form.cells}
    assert tables.cell_paths(form) == tuple(cell.path for cell in form.cells)
    assert tables.cell_paths(form) is tables.cell_paths(form)


@given(st.sets(st.sampled_from([c.path for c in FORM_2021.cells] + ["x", "organ"])))
def test_every_cell_is_told_as_each_cell_was(paths: set[str]) -> None:
    for values in (dict.fromkeys(paths), {c.path: None for c in FORM_2021.cells}):
        expected = len(values) == len(FORM_2021.cells) and all(map(FORM_2021.has_cell, values))
        assert FORM_2021.has_every_cell(values) is expected
    assert FORM_2021.has_every_cell({c.path: None for c in FORM_2021.cells})
    assert not FORM_2019.has_every_cell({c.path: None for c in FORM_2021.cells})


def test_the_2019_labels_are_found_in_a_paragraph_as_before() -> None:
    for key in tables._2019_KEYS:
        assert tables._ANY_2019_KEY.search(f"前{key}后")
    assert tables._ANY_2019_KEY.search("本年度主动公开政府信息") is None


def _in_2019_tables_in_one_pass(blocks: list[SourceParagraph | SourceTable]) -> bool:
    """Return what ``in_2019_tables`` says, every block looked at in turn (no shortcut)."""
    found: set[str] = set()
    first: str | None = None
    tables_2021 = False
    for block in blocks:
        if isinstance(block, SourceTable):
            printed = {label_key(c.text) for row in block.rows for c in row if not is_blank(c.text)}
            here = printed & tables._2019_KEYS
            if len(here) >= 2:
                return True
            tables_2021 = tables_2021 or len(printed & tables._2021_only_keys()) >= 2
            where = str(Where(table=block.index, line=block.where.line))
        else:
            here = {key for key in tables._2019_KEYS if key in label_key(block.text)}
            where = str(block.where)
        if here and first is None:
            first = where
        found |= here
    if len(found) >= 2 and not tables_2021:
        assert first is not None  # a label found gave its place
        raise gipreport.ParseError("2019 tables lost", first)
    return False


_2019_TEXTS: Final = [
    "本年新制作数量",
    "采购总金额",
    "政府集中采购",
    "本年制发件数",
    "现行有效件数",
    "本年废止件数",
    "规章",
    "甲乙",
    "",
]


@settings(max_examples=examples(300))
@given(
    st.lists(
        st.tuples(st.booleans(), st.lists(st.sampled_from(_2019_TEXTS), max_size=3)), max_size=5
    )
)
@example([(False, ["本年新制作数量", "采购总金额"])])  # refused: the 2019 tables lost
@example([(False, ["本年新制作数量", "采购总金额"]), (True, ["本年制发件数", "现行有效件数"])])
def test_the_2019_tables_are_told_as_one_pass_over_the_blocks_tells_them(
    drawn: list[tuple[bool, list[str]]],
) -> None:
    blocks: list[SourceParagraph | SourceTable] = []
    for at, (is_table, texts) in enumerate(drawn):
        if is_table:
            row = tuple(SourceCell(text=text, row=0, column=j) for j, text in enumerate(texts))
            where = Where(table=at, line=at + 1)
            blocks.append(SourceTable(index=at, rows=(row,), gridded=True, where=where))
        else:
            blocks.append(SourceParagraph(text="，".join(texts), where=Where(paragraph=at)))
    try:
        expected: object = _in_2019_tables_in_one_pass(blocks)
    except gipreport.ParseError as error:
        expected = error.where
    try:
        told: object = tables.TableState(FORM_2021).in_2019_tables(blocks)
    except gipreport.ParseError as error:
        told = error.where
    assert told == expected


# --- a web page's lines, remembered ----------------------------------------------------

_PAGE_LINES: Final = [
    "首页",
    "繁體版",
    "首页 > 政务公开",
    "来源：某某局 时间：2025-03-10 15:35",
    "时间：",
    "微信 微博 QQ空间",
    "时间紧、任务重：全年完成…",
    "发布机构：某某局" + " " * 500,
    "2023年，我局全力做好政府信息公开工作。" * 30,
]


@given(
    st.sampled_from(_PAGE_LINES)
    | st.text(alphabet=_ALPHABET + "：:来源时间发布机构首页>微信", max_size=30)
)
def test_a_page_line_remembered_or_not_is_read_alike(text: str) -> None:
    for _ in range(2):  # worked out, then remembered (if short)
        assert header.metadata_fields(text) == header._metadata_fields(text)
        assert header.is_chrome(text) is header._is_chrome(text)
    assert header.metadata_fields(text) is header.metadata_fields(text) or (
        len(text) > header._REMEMBERED_LINE
    )


@given(st.lists(texts | st.sampled_from(["规章", "/", "  ", "本年制發件數", "0"]), max_size=8))
def test_the_printed_keys_are_the_label_keys_of_the_texts_but_blanks(cells: list[str]) -> None:
    row = tuple(SourceCell(text=text, row=0, column=j) for j, text in enumerate(cells))
    table = SourceTable(index=0, rows=(row,), gridded=True, where=Where(table=0))
    expected = frozenset(label_key(text) for text in cells if not is_blank(text))
    assert tables.TableState(FORM_2021).printed_keys(table) == expected
    assert tables.TableState(FORM_2021).printed_keys(table) == expected  # remembered
    # The texts the reading gathered before (the odd-text search's) give the same keys;
    # another table's under its id (an id reused) are not taken.
    gathered: dict[int, tuple[SourceTable, set[str]]] = {}
    doc = SourceDocument(format="html", blocks=(table,))
    api._may_hold_odd_text(doc, gathered)
    assert gathered == {id(table): (table, set(cells))}
    assert tables.TableState(FORM_2021, (), gathered).printed_keys(table) == expected
    other = SourceTable(index=1, rows=((SourceCell(text="规章", row=0, column=0),),), gridded=True,
                        where=Where(table=1))  # fmt: skip
    stale = {id(table): (other, {"规章"})}
    assert tables.TableState(FORM_2021, (), stale).printed_keys(table) == expected


# --- section headings, remembered --------------------------------------------------------


def _headings(form: FormSpec) -> list[str]:
    return [
        *(spec.heading for spec in form.sections),
        *(f"（{n}）{spec.title}" for n, spec in enumerate(form.sections, start=1)),
        *(spec.title for spec in form.sections),
        "五、存在的主要问题及整改措施",
        "二、主动公开政府信息情况" + " " * 200,
        "一、总体情况。" + "本机关" * 30,
        "（一）主动公开",
        "",
    ]


@pytest.mark.parametrize("form", [FORM_2021, FORM_2019], ids=["2021", "2019"])
@pytest.mark.parametrize("mark", [None, "heading", "body", "title"])
def test_a_section_heading_remembered_or_not_is_read_alike(
    form: FormSpec, mark: Mark | None
) -> None:
    reader = assemble._Reader(SourceDocument(format="html", blocks=()), form, assemble.Header())
    for text in _headings(form):
        paragraph = SourceParagraph(text=f" {text} ", where=Where(paragraph=0), mark=mark)
        expected = (
            None
            if mark == "body" or assemble._longer_than_a_heading(text)
            else assemble._section_headed(form, text, marked=mark == "heading")
        )
        for _ in range(2):  # worked out, then remembered (if short)
            assert reader._section_heading(paragraph) == expected
    found = reader._section_heading(SourceParagraph(text=form.sections[1].title, where=Where()))
    assert found is None  # an unnumbered title is a heading only where marked so
    marked = SourceParagraph(text=form.sections[1].title, where=Where(), mark="heading")
    assert reader._section_heading(marked) == (form.sections[1], None, None, 0)
