"""The caches and shortcuts of reading: each gives what the work it saves would give."""

from __future__ import annotations

import codecs
import contextlib
import gc
import pickle
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples
from gipreport._core.form import FORM_2019, FORM_2021, FORMATS, FormSpec
from gipreport._core.model import Report, report_with_cells
from gipreport._reading import api, from_html, numbering, tables
from gipreport._reading import assemble as assemble_module
from gipreport._reading.from_html import html_source
from gipreport._reading.html_tokens import tokens
from gipreport._reading.labels import bare_key, label_key
from gipreport._reading.source import (
    Places,
    SourceCell,
    SourceParagraph,
    SourceTable,
    Where,
    new_cell,
    new_where,
)
from numbering_support import heading_number_folding_each_character

EXAMPLE = gipreport.examples.mingan_2023()


def _html_tables() -> list[SourceTable]:
    page = gipreport.render(EXAMPLE, "html")
    assert isinstance(page, str)
    doc = html_source(page.encode())
    return [block for block in doc.blocks if isinstance(block, SourceTable)]


@pytest.mark.parametrize("form", list(FORMATS.values()), ids=list(FORMATS))
def test_leaves_by_level_are_the_leaves_a_scan_finds(form: FormSpec) -> None:
    assert form in FORMATS.values()
    for leaves in (*(index.leaves for index in tables.indexes(form)), tables._form_leaves(form)):
        by_level = tables._leaves_by_level(leaves)
        for level in range(3):
            keys = {tables._levels(leaf.row.label)[level] for leaf in leaves}
            for key in keys:
                scanned = [leaf for leaf in leaves if tables._levels(leaf.row.label)[level] == key]
                assert by_level[level][key] == scanned
            assert set(by_level[level]) == keys


def test_leaves_by_level_is_per_tuple_and_never_kept_for_a_list() -> None:
    first, second = (index.leaves for index in tables.indexes(FORM_2021)[:2])
    assert tables._leaves_by_level(first) is tables._leaves_by_level(first)
    assert tables._leaves_by_level(first) != tables._leaves_by_level(second)
    as_list = list(second)
    assert tables._leaves_by_level(as_list) == tables._leaves_by_level(second)
    assert tables._leaves_by_level(as_list) is not tables._leaves_by_level(as_list)
    # A list changed between two looks is looked at afresh.
    as_list.pop()
    popped = tables._leaves_by_level(as_list)
    assert sum(map(len, popped[0].values())) == len(second) - 1


def test_a_form_label_is_matched_in_every_form() -> None:
    assert tables.label_and_values(FORM_2021, "规章 0 0 0") == ("规章", ("0", "0", "0"))
    assert tables._form_leaves(FORM_2019) is tables._form_leaves(FORM_2019)
    assert tables._form_leaves(FORM_2019) != tables._form_leaves(FORM_2021)


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "12",
        "1,234",
        "12.5万元",
        "300元",
        "3件",
        "/",
        "—",
        "  ",
        "-",
        "无",
        "规章",
        "总计",
        "（一）主动公开",
        "１２",
        "x" * 100,
        "1" * 100 + "件",
        "",
        "5" + "\u3000" * 80,
    ],
)
def test_value_like_remembered_or_not_is_the_same(text: str) -> None:
    expected = tables._value_like(text) or (text.isascii() and text.isdigit())
    assert tables.value_like(text) is expected
    assert tables.value_like(text) is expected  # the second time, remembered if short


def test_a_table_is_identified_once_for_each_form_it_is_read_against() -> None:
    table = _html_tables()[1]
    state = tables.TableState(FORM_2021)
    found = state.identify(table)
    assert found is tables.indexes(FORM_2021)[1]
    assert state.identify(table) is found
    state.form = FORM_2019  # as assemble does for a source in the 2019 tables
    assert state.identify(table) is tables.indexes(FORM_2019)[1]
    # Another table of the same index and place is identified on its own.
    other = SourceTable(
        index=table.index,
        rows=((SourceCell(text="索引号", row=0, column=0),),),
        gridded=table.gridded,
        where=table.where,
    )
    assert state.identify(other) is None
    assert state.identify(table) is tables.indexes(FORM_2019)[1]


def test_the_printed_keys_are_those_of_the_texts_but_blanks() -> None:
    cells = (
        SourceCell(text="规章", row=0, column=0),
        SourceCell(text="  ", row=0, column=1),
        SourceCell(text="/", row=0, column=2),
        SourceCell(text="本年制發件數", row=0, column=3),
    )
    table = SourceTable(index=0, rows=(cells,), gridded=True, where=Where(table=0))
    state = tables.TableState(FORM_2021)
    assert state.printed_keys(table) == {"规章", "", "本年制发件数"}
    assert state.printed_keys(table) is state.printed_keys(table)
    # in_2019_tables looks at these keys with a blank cell's ("") left out: no
    # label of either format has that key, so it cannot tell them apart.
    assert "" not in tables._2019_KEYS
    assert "" not in tables._2021_only_keys()


def test_a_text_table_with_nothing_to_split_is_the_table_itself() -> None:
    rows = ((SourceCell(text="规章", row=0, column=0), SourceCell(text="3", row=0, column=1)),)
    table = SourceTable(index=0, rows=rows, gridded=False, where=Where(table=0))
    state = tables.TableState(FORM_2021)
    assert state.split_joined(table) is table
    joined = ((SourceCell(text="规章 0 0 0", row=0, column=0),),)
    split = state.split_joined(
        SourceTable(index=0, rows=joined, gridded=False, where=Where(table=0))
    )
    assert [cell.text for cell in split.rows[0]] == ["规章", "0", "0", "0"]
    assert [cell.column for cell in split.rows[0]] == [0, 1, 2, 3]
    assert [note.code for note in state.notes] == ["label-value"]


def test_a_header_row_is_told_as_before() -> None:
    table = _html_tables()[0]
    reader = tables._BlockTableReader(
        tables.TableState(FORM_2021), tables.indexes(FORM_2021)[0], table
    )
    told = [reader.header_row(cells) for cells in table.rows]
    texts = [[cell.text for cell in cells if cell.text.strip()] for cells in table.rows]
    expected = [
        any(reader._header_text(text) for text in row)
        and not any(tables.value_like(text) for text in row)
        for row in texts
    ]
    assert told == expected
    assert True in told
    assert told.count(False) > len(told) // 2


@pytest.mark.parametrize("form", list(FORMATS.values()), ids=list(FORMATS))
def test_section_titles_are_the_form_s(form: FormSpec) -> None:
    assert form in FORMATS.values()
    titles = assemble_module._section_titles(form)
    assert [spec for _position, spec, _title, _core in titles] == list(form.sections)
    for position, spec, title, core in titles:
        assert form.sections[position - 1] is spec
        assert title == bare_key(spec.title)
        assert core == re.sub(r"(情况|事项)\Z", "", title)
    assert any(core != title for _p, _s, title, core in titles)
    assert label_key("情况") == "情况"


def test_a_report_with_every_cell_is_built_as_with_cells_builds_it() -> None:
    fields: dict[str, Any] = {
        "format": EXAMPLE.format,
        "organ": EXAMPLE.organ,
        "year": EXAMPLE.year,
        "preamble": EXAMPLE.preamble,
        "published_on": EXAMPLE.published_on,
    }
    every = {cell.spec.path: cell.value for cell in EXAMPLE.cells()}
    built = report_with_cells(every, **fields)
    assert built == Report(**fields).with_cells(every)
    assert list(built.cells()) == list(EXAMPLE.cells())
    # Some cells only: the others stay blank, as with_cells leaves them.
    some = dict(list(every.items())[:5])
    assert report_with_cells(some, **fields) == Report(**fields).with_cells(some)
    values = [cell.value for cell in report_with_cells(some, **fields).cells()]
    assert values[5:] == [None] * (len(every) - 5)
    # A value the model refuses is refused alike; an unknown format by its validator.
    bad = {**every, next(iter(every)): -1}
    with pytest.raises(ValueError, match="-1") as first:
        report_with_cells(bad, **fields)
    with pytest.raises(ValueError, match="-1") as second:
        Report(**fields).with_cells(bad)
    assert str(first.value) == str(second.value)
    with pytest.raises(ValueError, match="1999"):
        report_with_cells(every, **{**fields, "format": "1999"})


# --- the HTML tree builder's short ways -----------------------------------------------------


class _EveryWay(from_html._TreeBuilder):
    """The tree builder taking the long way where it has a short one (closing what is open)."""

    def start(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        top = self._stack[-1].tag
        if (tag in {"td", "th"} and top == "tr") or (tag == "tr" and top in from_html._ROW_PARENTS):
            self._line = line
            self._close_before(tag)
        super().start(tag, attrs, line)


def _shape(node: object) -> object:
    if isinstance(node, tuple):  # a run of text (from_html._Text): its text and line
        return node
    assert isinstance(node, from_html._Element)
    children = [_shape(child) for child in node.children]
    return (node.tag, node.attributes, node.line, node.has_table, children)


PAGES = [
    "<table><tr><td>1<td>2<tr><th>3</table>",
    "<table><tr><tr><td>x</td><td>y</table>",
    "<table><tbody><tr><td>a</td></tr><tr><td>b</td></tr></tbody><tr><td>c</table>",
    "<table><thead><tr><th>h<tbody><tr><td>v<tfoot><tr><td>f</table>",
    "<table><tr><td><table><tr><td>in</td></tr></table><tr><td>out</table>",
    "<table><td>implied<tr>after</tr><td>x</table><p>p<tr><td>no table",
    "<p>text<table><tr>foster<td>cell</td>more</tr></table>",
    "<table><caption>c<tr><td>1</table><div><tr><td>2</div>",
]


@pytest.mark.parametrize("page", [*PAGES, "rendered"])
def test_the_tree_builders_short_ways_build_the_same_tree(page: str) -> None:
    if page == "rendered":
        rendered = gipreport.render(EXAMPLE, "html")
        assert isinstance(rendered, str)
        page = rendered
    short, long = from_html._TreeBuilder(), _EveryWay()
    tokens(page, short)
    tokens(page, long)
    assert _shape(short.root) == _shape(long.root)


def _cells(node: from_html._Element) -> list[from_html._Element]:
    found = []
    stack = [node]
    while stack:
        element = stack.pop()
        if element.tag in {"td", "th"}:
            found.append(element)
        stack.extend(c for c in element.children if isinstance(c, from_html._Element))
    return found


CELLS = [
    "<td>12</td>",
    "<td><p><span>12</span></p></td>",
    "<td><p><span> 12 </span></p></td>",
    "<td><div><b>a\\nb</b></div></td>".replace("\\n", "\n"),
    "<td><span><br></span></td>",
    "<td><pre><span>x</span></pre></td>",
    "<td><p><script>x</script></p></td>",
    "<td><p><span></span></p></td>",
    "<td><p>a</p><p>b</p></td>",
    "<td><div><p><font>总计</font></p></div></td>",
    "<td><listing>\n y</listing></td>",
    "<td><span>&nbsp;</span></td>",
    "<td>\n  <p><span><o:p> </o:p></span></p>\n  </td>",
    "<td>\n  <p> 12 </p>\n\n</td>",
    "<td> <p>12</p>\n</td>",
    "<td>\n<span> 12 </span>\n</td>",
    "<td>\n\u3000<p>12</p>\n</td>",
    "<td>\r\n<p>12</p>\r</td>",
    "<td>\n<p>1</p>\n<p>2</p>\n</td>",
    "<td>\n<pre>\n 1</pre>\n</td>",
    "<td>\n<p><br></p>\n</td>",
    "<td>\n<div><p>a<b>b</b></p></div>\n</td>",
    "<td>\n\t<div>\n<p>a</p>\n</div>\n</td>",
    "<td>\n<p><span>0</span><span><o:p></o:p></span></p>\n</td>",
    "<td><p><span>结果</span><span>纠正</span><span><o:p> </o:p></span></p></td>",
    "<td>\n<p><span>a</span><script>x\ny</script><b>b</b></p>\n</td>",
    "<td><span>a<br>b</span></td>",
    "<td><span>a\nb</span><span>c</span></td>",
    "<td><p><span>a</span><span>b\n</span></p></td>",
    "<td><p><span>a</span><div>b</div></p></td>",
    "<td><div><span>a</span><p>b</p></div></td>",
    "<td><span><b>x</b><pre>y</pre></span></td>",
    "<td><span><b></b><i></i></span></td>",
    "<td><p><span> </span><span>x</span></p></td>",
    "<td><p><span>&#13;</span><span>x</span></p></td>",
    "<td>\n<p><img><span>x</span><wbr>y</p>\n</td>",
    "<td><a><img></a></td>",
    "<td>本年<wbr>新制作<wbr>数量</td>",
    "<td>a<b>b</b> c<i></i></td>",
    "<td>a<script>x\ny</script>b</td>",
    "<td> <i></i> </td>",
    "<td>a<br>b</td>",
    "<td>a\n<b>b</b></td>",
    "<td>a<div>b</div></td>",
    "<td>a<pre>b</pre></td>",
]


@pytest.mark.parametrize("page", [*CELLS, "rendered", "real"])
def test_a_cell_s_text_taken_the_short_way_is_its_walked_text(page: str) -> None:
    if page == "rendered":
        rendered = gipreport.render(EXAMPLE, "html")
        assert isinstance(rendered, str)
        page = rendered
    elif page == "real":
        real = Path(__file__).parent / "data" / "real" / "kiro-shuyang-fgj-2023" / "source.html"
        page = real.read_text(encoding="utf-8")
    else:
        page = f"<table><tr>{page}</tr></table>"
    builder = from_html._TreeBuilder()
    tokens(page, builder)
    cells = _cells(builder.root)
    assert cells
    for cell in cells:
        assert from_html._cell_text(cell) == from_html._walked_cell_text(cell)


_maybe_int = st.none() | st.integers(-1, 10**6)
_maybe_bbox = st.none() | st.tuples(*[st.floats(allow_nan=False)] * 4)


@given(
    _maybe_int, _maybe_int, _maybe_int, _maybe_int, _maybe_int, _maybe_int, _maybe_int, _maybe_bbox
)
def test_a_where_made_through_its_slots_is_the_class_s(  # noqa: PLR0917 - its parts
    line: int | None,
    paragraph: int | None,
    table: int | None,
    row: int | None,
    column: int | None,
    form_table: int | None,
    page: int | None,
    bbox: tuple[float, float, float, float] | None,
) -> None:
    made = new_where(line, paragraph, table, row, column, form_table, page, bbox)
    expected = Where(
        line=line,
        paragraph=paragraph,
        table=table,
        row=row,
        column=column,
        form_table=form_table,
        page=page,
        bbox=bbox,
    )
    assert type(made) is Where
    assert made == expected
    assert repr(made) == repr(expected)
    assert str(made) == str(expected)
    assert hash(made) == hash(expected)
    assert attrs.asdict(made) == attrs.asdict(expected)
    assert attrs.asdict(new_where(line, paragraph, table, row, column, form_table)) == attrs.asdict(
        Where(line=line, paragraph=paragraph, table=table, row=row, column=column,
              form_table=form_table)
    )  # fmt: skip


_count = st.integers(0, 10**6)


@given(st.text(), _count, _count, st.integers(1, 9), st.integers(1, 9), _maybe_int)
def test_a_cell_made_through_its_slots_is_the_class_s(  # noqa: PLR0917 - its parts
    text: str, row: int, column: int, rowspan: int, colspan: int, line: int | None
) -> None:
    made = new_cell(text, row, column, rowspan, colspan, line)
    expected = SourceCell(
        text=text, row=row, column=column, rowspan=rowspan, colspan=colspan, line=line
    )
    assert type(made) is SourceCell
    assert made == expected
    assert repr(made) == repr(expected)
    assert hash(made) == hash(expected)
    assert attrs.asdict(made) == attrs.asdict(expected)


def test_the_cells_of_a_page_s_grid_are_the_class_s() -> None:
    # _grid makes its common cells as new_cell does, inline; merged ones by new_cell.
    cells = {id(cell): cell for table in _html_tables() for row in table.rows for cell in row}
    merged = [cell for cell in cells.values() if cell.rowspan > 1 or cell.colspan > 1]
    assert len(cells) > 200
    assert merged
    for cell in cells.values():
        assert type(cell) is SourceCell
        expected = SourceCell(**attrs.asdict(cell, recurse=False))
        assert cell == expected
        assert repr(cell) == repr(expected)
        assert hash(cell) == hash(expected)


@pytest.mark.parametrize(
    "page",
    [
        "<table><tr><td rowspan=2>a<td>b<td>c<tr><td>d</table>",  # row 2 is short
        "<table><tr><td>a<td>b<td rowspan=2>c<tr><td>d</table>",  # row 2 is full, with a hole
        "<table><tr><td>a<td>b<td>c<td rowspan=3>x<tr><td>d<td rowspan=2>e<tr><td>f</table>",
        "<table><tr><td>a<td rowspan=2 colspan=2>b<tr><td>c<tr><td>d<td>e<td>f</table>",
        "<table><tr><td colspan=3>a<tr><td rowspan=2>b<td>c<tr><td colspan=2>d</table>",
        "<table><tr><td>a<td>b<td rowspan=3>c<tr><td>d<tr><td>e<td>f<td>g</table>",
        "<table><tr><td rowspan=2 colspan=2>a<td>b<tr><td rowspan=2>c<tr><td>d<td>e</table>",
    ],
)
def test_a_grid_s_rows_with_holes_are_told_without_comparing_cells(page: str) -> None:
    """``_grid`` knows which rows had a slot left empty: each hole is an empty cell."""
    (table,) = [block for block in html_source(page).blocks if isinstance(block, SourceTable)]
    width = len(table.rows[0])
    for r, row in enumerate(table.rows):
        assert len(row) == width
        for c, cell in enumerate(row):
            assert isinstance(cell, SourceCell)
            assert cell.row <= r < cell.row + cell.rowspan
            assert cell.column <= c < cell.column + cell.colspan


_NUMBERING_CHARACTERS = "（）()、.．一二三四五六七八九十百千零〇0123456789１２ ㈠⑴⒈´\u3000\u0301主"


@given(st.text(alphabet=_NUMBERING_CHARACTERS, max_size=20) | st.text(max_size=20))
def test_a_heading_number_of_text_folded_as_it_stands_is_the_character_by_character_one(
    text: str,
) -> None:
    assert numbering.heading_number(text) == heading_number_folding_each_character(text)


def _rows_walked(table: from_html._Element) -> list[list[from_html._Element]]:
    """The rows of cells of ``table``, every node walked (as ``_table`` did, row by row)."""
    rows: list[list[from_html._Element]] = []
    stack: list[Any] = list(reversed(table.children))
    while stack:
        node = stack.pop()
        if isinstance(node, tuple) or node.tag in from_html._IGNORED:
            continue
        if node.tag == "tr":
            rows.append([])
        elif node.tag in {"td", "th"}:
            rows[-1].append(node)
            continue
        elif node.tag == "caption":
            continue
        stack.extend(reversed(node.children))
    return rows


_ROW_PARTS = [
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<tbody>", "<caption>",
    "<form>", "<input>", "<col>", "<script>x</script>", "<b>", "<p>", "\n ", "x", "<br>",
]  # fmt: skip


@given(st.lists(st.sampled_from(_ROW_PARTS), max_size=40).map("".join))
def test_a_table_s_rows_taken_at_once_are_its_rows_walked(soup: str) -> None:
    """``_table`` takes a row of cells and whitespace at once: the cells the walk finds."""
    builder = from_html._TreeBuilder()
    tokens(f"<table><tr><td>0{soup}", builder)
    stack: list[Any] = [builder.root]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            continue
        if node.tag == "table" and not node.has_table:
            try:
                table = from_html._table(node, 0)
            except gipreport.ParseError:
                continue
            expected = from_html._grid(_rows_walked(node), node, 0)
            assert table.rows == expected
            continue
        stack.extend(node.children)


@given(st.text(alphabet=" \t\n\r\fa字\u3000", max_size=8), st.booleans())
def test_a_paragraph_of_one_run_is_its_lines_joined(text: str, exact: bool) -> None:
    """``_Flow._flush`` takes a paragraph of one run its short way: its one line's text."""
    flow = from_html._Flow()
    flow._pieces = [(text, exact)]
    flow._flush()
    joined = "\n".join(from_html._lines([(text, exact)]))
    paragraphs = [block.text for block in flow.blocks if isinstance(block, SourceParagraph)]
    assert paragraphs == ([joined] if joined.strip() else [])


def _slots_one_by_one(rows: list[list[tuple[int, int]]]) -> list[list[tuple[int, int, int, int]]]:
    """The HTML table algorithm slot by slot: each slot's cell (row, column, rows, columns).

    ``rows`` holds each cell's wanted columns and rows (0 rows: to the table's end). The
    slots a cell placed before holds are taken: a cell is clipped where it would overlap one.
    """
    height = len(rows)
    taken: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for r, cells in enumerate(rows):
        c = 0
        for wanted_columns, wanted in cells:
            while (r, c) in taken:
                c += 1
            wanted_rows = min(height - r if wanted == 0 else wanted, height - r)
            colspan = 1
            while colspan < wanted_columns and (r, c + colspan) not in taken:
                colspan += 1
            rowspan = 1
            while rowspan < wanted_rows and all(
                (r + rowspan, column) not in taken for column in range(c, c + colspan)
            ):
                rowspan += 1
            for row in range(r, r + rowspan):
                for column in range(c, c + colspan):
                    taken[row, column] = (r, c, rowspan, colspan)
            c += colspan
    width = max((column + 1 for _, column in taken), default=0)
    return [[taken.get((r, c), (r, c, 1, 1)) for c in range(width)] for r in range(height)]


_spanned_rows = st.lists(
    st.lists(st.tuples(st.integers(1, 4), st.integers(0, 4)), max_size=5), max_size=6
)


@given(_spanned_rows)
@settings(max_examples=examples(500))
def test_a_grid_is_the_table_algorithm_slot_by_slot(rows: list[list[tuple[int, int]]]) -> None:
    """``_grid``'s merged cells, each stopped at the first slot taken, are the slots' own."""
    page = "<table>" + "".join(
        "<tr>" + "".join(f"<td colspan={c} rowspan={r}>x</td>" for c, r in cells) + "</tr>"
        for cells in rows
    )
    (table,) = [block for block in html_source(page).blocks if isinstance(block, SourceTable)]
    slots = [[(s.row, s.column, s.rowspan, s.colspan) for s in row] for row in table.rows]
    assert slots == _slots_one_by_one(rows)


# --- the cyclic garbage collector, paused while the readers of gipreport's own code read

_DATA = Path(__file__).parent / "data"
_UNCOLLECTED_SOURCES = sorted(
    path
    for path in (*_DATA.glob("read/*"), *_DATA.glob("real/*/*"), _DATA / "mingan_2023_seed.txt")
    if path.suffix in {".html", ".txt", ".md", ".docx"} and path.name != "README.md"
)


def _read_quietly(source: bytes | str | Path) -> None:
    with contextlib.suppress(gipreport.ParseError):
        gipreport.read(source)


@pytest.mark.parametrize(
    "source",
    [
        *_UNCOLLECTED_SOURCES,
        *(gipreport.render(EXAMPLE, kind) for kind in ("html", "text", "docx")),
        gipreport.render(gipreport.examples.made_up_2020(), "html"),  # the 2019 format
    ],
    ids=lambda source: source.name if isinstance(source, Path) else type(source).__name__,
)
def test_readers_that_pause_the_collector_leave_it_nothing(source: bytes | str | Path) -> None:
    # Pausing the collector delays nothing only if reading makes no cycles: everything a
    # read makes and drops is freed by refcounting, so a collection after it finds nothing.
    _read_quietly(source)  # the modules and memos a first read fills
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        _read_quietly(source)
        found = gc.collect()
    finally:
        if was:
            gc.enable()
    assert found == 0


def test_the_collector_is_paused_while_reading_and_as_it_was_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    real = from_html.html_source

    def watched(source: str | bytes, *, decoded: str | None = None) -> Any:
        seen.append(gc.isenabled())
        return real(source, decoded=decoded)

    monkeypatch.setattr(from_html, "html_source", watched)
    page = gipreport.render(EXAMPLE, "html")
    assert gc.isenabled()
    gipreport.read(page)
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(gipreport.ParseError):
        gipreport.read_html("<p>no report here</p>")
    assert seen == [False, False]
    assert gc.isenabled()  # on again after an error too
    gc.disable()
    try:
        gipreport.read_html(page)
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()
    assert seen == [False, False, False]


# --- places: a value's Where made when it is looked up


def test_places_make_each_where_once_as_new_where_would() -> None:
    cell = new_cell("12", 4, 3, 1, 1, 130)
    given = Where(table=0, line=7)
    places = Places({"a": (cell, 2, 3), "b": given, "c": (cell, 1, None)})
    assert list(places) == ["a", "b", "c"]
    assert len(places) == 3
    assert "a" in places
    assert "z" not in places
    assert places.get("z") is None
    assert places.get("z", given) is given
    first = places["a"]
    assert repr(first) == repr(new_where(130, None, 2, 4, 3, 3))
    assert places["a"] is first  # made once, then kept
    assert places["b"] is given
    assert places.get("c") == Where(line=130, table=1, row=4, column=3)
    expected = {
        "a": Where(line=130, table=2, row=4, column=3, form_table=3),
        "b": given,
        "c": Where(line=130, table=1, row=4, column=3),
    }
    assert places == expected
    assert expected == places
    assert places != {**expected, "c": given}
    again = pickle.loads(pickle.dumps(places))
    assert isinstance(again, Places)
    assert again == expected
    assert repr(Places(places)) == repr(places)
    assert Places(places) == places  # a copy, its places as they stand
    with pytest.raises(KeyError):
        places["z"]
    with pytest.raises(TypeError):
        places["d"] = given  # type: ignore[index]  # read-only


def test_a_page_s_places_are_its_cells_wheres() -> None:
    page = gipreport.render(EXAMPLE, "html")
    result = gipreport.read(page)
    tables_read = [b for b in html_source(page).blocks if isinstance(b, SourceTable)]
    assert len(result.places) == len(list(result.report.values()))
    for path, where in result.places.items():
        assert isinstance(where, Where)
        assert where.table is not None
        assert where.row is not None
        assert where.column is not None
        cell = tables_read[where.table].rows[where.row][where.column]
        assert where.line == cell.line
        assert where.form_table in {2, 3, 4}
        value = result.report.cell(path)
        assert cell.text == ("" if value is None else str(value))


# --- the page decoded once: read's detection hands its text to the reader


def test_detection_decodes_a_short_utf8_source_whole_and_hands_the_text_on() -> None:
    page = gipreport.render(EXAMPLE, "html")
    assert isinstance(page, str)
    data = page.encode()
    assert len(data) <= 65536
    assert api._detect(data) == ("html", page)
    assert api._detect(page) == ("html", None)  # a str is not decoded
    text = gipreport.render(EXAMPLE, "text")
    assert isinstance(text, str)
    assert api._detect(text.encode()) == ("text", text)
    # More than the 64 KiB looked at, or not UTF-8: not decoded whole.
    long_page = page.replace("</body>", "<p>" + "页" * 30000 + "</p></body>")
    assert api._detect(long_page.encode()) == ("html", None)
    assert api._detect(page.encode("gb18030")) == ("html", None)
    assert api._detect(b"PK\x03\x04") == ("docx", None)


@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_detection_hands_on_the_text_the_bytes_are(data: bytes) -> None:
    try:
        expected = gipreport.detect_format(data)
    except gipreport.ParseError:  # a Word 97–2003 file
        with pytest.raises(gipreport.ParseError):
            api._detect(data)
        return
    kind, decoded = api._detect(data)
    assert kind == expected
    if decoded is not None:
        assert decoded == data.decode("utf-8")


@pytest.mark.parametrize(
    "data",
    [
        # A page whose <meta> declares GB2312: read as GB18030 (UTF-8 only if that fails).
        b'<meta charset="gb2312"><p>\xb9\xab\xbf\xaa</p>',
        b'<meta charset="gb2312"><p>ascii only</p>',
        # ... even where its bytes are UTF-8 too (as GB18030 they are other characters).
        '<meta charset="gb2312"><p>公开</p>'.encode(),
        codecs.BOM_UTF8 + "<p>一、总体情况</p>".encode(),
        codecs.BOM_UTF8 + "一、总体情况".encode(),
        "<p>一、总体情况</p>".encode(),
    ],
)
def test_a_source_read_with_its_detection_reads_as_without(data: bytes) -> None:
    kind = gipreport.detect_format(data)
    reader = {"html": gipreport.read_html, "text": gipreport.read_text}[kind]

    def outcome(read: Any) -> object:
        try:
            result = read(data, organ="某镇人民政府", year=2023)
        except gipreport.ParseError as error:
            return str(error)
        return result.report, result.notes, dict(result.places)

    assert outcome(gipreport.read) == outcome(reader)
