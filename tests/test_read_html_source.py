"""Reading HTML into source blocks: gipreport's own pages, messy pages, encodings, any input."""

from __future__ import annotations

import codecs
import functools
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples
from gipreport._core.errors import ParseError
from gipreport._reading import from_html
from gipreport._reading.from_html import MAX_INPUT, html_source
from gipreport._reading.html_tokens import MAX_QUOTED, Scanner, tokens
from gipreport._reading.source import (
    SourceBlock,
    SourceCell,
    SourceDocument,
    SourceImage,
    SourceParagraph,
    SourceTable,
    Where,
)
from gipreport.layout import Covered, layout
from gipreport.strategies import reports

# --- helpers ------------------------------------------------------------------------------


def paragraphs(doc: SourceDocument) -> list[SourceParagraph]:
    return [block for block in doc.blocks if isinstance(block, SourceParagraph)]


def tables(doc: SourceDocument) -> list[SourceTable]:
    return [block for block in doc.blocks if isinstance(block, SourceTable)]


def texts(source: str | bytes) -> list[str]:
    return [paragraph.text for paragraph in paragraphs(html_source(source))]


def only_table(source: str) -> SourceTable:
    found = tables(html_source(source))
    assert len(found) == 1
    return found[0]


def grid_texts(table: SourceTable) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def check_document(doc: SourceDocument) -> None:
    """Assert the laws every read page obeys, whatever its input."""
    assert doc.format == "html"
    assert all(note.code == "encoding" for note in doc.notes)
    paragraph_count = table_count = 0
    for block in doc.blocks:
        if isinstance(block, SourceParagraph):
            assert block.where.paragraph == paragraph_count
            assert block.text.strip()
            assert block.mark in {None, "title", "heading", "signature", "body"}
            paragraph_count += 1
        elif isinstance(block, SourceTable):
            assert block.index == block.where.table == table_count
            table_count += 1
            check_grid(block)
        else:
            assert isinstance(block, SourceImage)


def check_grid(table: SourceTable) -> None:
    """Assert a table is rectangular and each merged cell fills exactly the slots it covers."""
    assert table.gridded
    widths = {len(row) for row in table.rows}
    assert len(widths) <= 1
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            assert cell.row <= r < cell.row + cell.rowspan
            assert cell.column <= c < cell.column + cell.colspan
            if (r, c) == (cell.row, cell.column):
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        assert table.rows[r + dr][c + dc] is cell


# --- gipreport's own pages ----------------------------------------------------------------


@pytest.fixture(scope="module", params=[False, True], ids=["page", "fragment"])
def own_page(request: pytest.FixtureRequest) -> SourceDocument:
    html = gipreport.render(gipreport.examples.mingan_2023(), "html", fragment=request.param)
    assert isinstance(html, str)
    return html_source(html)


def test_own_page_reads_title_headings_and_prose_in_order(own_page: SourceDocument) -> None:
    check_document(own_page)
    assert own_page.notes == ()
    doc = layout(gipreport.examples.mingan_2023())
    expected: list[tuple[str, str | None]] = [(doc.title, "title")]
    expected += [(text, "body") for text in doc.preamble]
    for section in doc.sections:
        expected.append((section.heading, "heading"))
        if section.prose is not None:
            expected += [(text, "body") for text in section.prose.paragraphs]
            for number, heading, body in section.prose.subsections:
                expected.append((number + heading, "heading"))
                expected += [(text, "body") for text in body]
    expected.append((doc.signature_organ, "signature"))
    assert doc.signature_date is not None
    expected.append((doc.signature_date, "signature"))
    found = paragraphs(own_page)
    assert [(p.text, p.mark) for p in found] == expected
    assert "对于已公开的内容过期后不能及时的清理。" in [p.text for p in found]
    assert found[0].mark == "title"
    assert found[0].text == "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"


def test_own_page_tables_have_the_forms_shapes_and_merges(own_page: SourceDocument) -> None:
    found = tables(own_page)
    assert [(len(t.rows), len(t.rows[0])) for t in found] == [(14, 4), (28, 10), (4, 15)]
    assert [t.caption for t in found] == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    requests = found[1]
    corner = requests.rows[0][0]
    assert (corner.row, corner.column, corner.rowspan, corner.colspan) == (0, 0, 3, 3)
    assert corner.text.startswith("（本列数据的勾稽关系为")
    assert sum(cell is corner for row in requests.rows for cell in row) == 9
    results = requests.rows[5][0]
    assert (results.text, results.rowspan, results.colspan) == ("三、本年度办理结果", 22, 1)
    assert all(t.gridded and t.where == Where(line=t.where.line, table=t.index) for t in found)


def test_own_page_lines_point_at_the_source() -> None:
    html = gipreport.render(gipreport.examples.mingan_2023(), "html")
    assert isinstance(html, str)
    lines = html.split("\n")
    doc = html_source(html)
    for block in doc.blocks:
        assert isinstance(block, SourceParagraph | SourceTable)
        assert block.where.line is not None
        source_line = lines[block.where.line - 1]
        if isinstance(block, SourceParagraph):
            assert block.text.strip()[:4] in source_line
        else:
            assert "<table" in source_line
            assert all(
                # (a column header has <wbr> between its words: 商业<wbr>企业)
                cell.line is not None and cell.text[:4] in lines[cell.line - 1].replace("<wbr>", "")
                for row in block.rows
                for cell in row
            )


@settings(max_examples=examples(25))  # each example renders and reads a whole page
@given(reports())
def test_own_tables_read_back_as_the_layout_grid(report: gipreport.Report) -> None:
    html = gipreport.render(report, "html", fragment=True)
    assert isinstance(html, str)
    found = tables(html_source(html))
    expected = layout(report).tables
    assert len(found) == len(expected)
    for table, table_layout in zip(found, expected, strict=True):
        check_grid(table)
        for row, slots in zip(table.rows, table_layout.grid(), strict=True):
            assert len(row) == len(slots)
            for cell, slot in zip(row, slots, strict=True):
                origin = slot.origin if isinstance(slot, Covered) else slot
                assert (cell.text, cell.rowspan, cell.colspan) == (
                    origin.text,
                    origin.rowspan,
                    origin.colspan,
                )


# --- paragraphs and whitespace ------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>    对于</p>", ["    对于"]),
        ("<p>\n   2023年全年\n</p>", ["2023年全年"]),
        ("<p>第一行\n    第二行</p>", ["第一行 第二行"]),
        ("<p>a <b>\n b</b>\n\t c</p>", ["a b c"]),
        ("<p>a  b\t c</p>", ["a  b\t c"]),
        ("<p>\u3000\u3000缩进\n</p>", ["\u3000\u3000缩进"]),
        ("<p>&nbsp;&nbsp;x&nbsp;</p>", ["\xa0\xa0x\xa0"]),
        ("<p>&nbsp;</p><p>\u3000</p><p> \n </p><div>\n</div>", []),
        ("<pre>\n  a\n    b  </pre>", ["  a\n    b  "]),
        ("<div>a<pre> x\n y</pre>b</div>", ["a", " x\n y", "b"]),
        ("<p>a\r\n  b</p>", ["a b"]),
    ],
)
def test_whitespace_that_only_formats_the_source_is_dropped(html: str, expected: list[str]) -> None:
    assert texts(html) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a<br>b<br/>c</p>", ["a\nb\nc"]),
        ("<p>a<br>\n   b</p>", ["a\nb"]),
        ("<p>a\n  <br>b</p>", ["a\nb"]),
        ("<p>a<br><br>b</p>", ["a\n\nb"]),
        ("<p>a<BR></br>b</p>", ["a\n\nb"]),
        ("<p><br></p><p>x<br></p>", ["x\n"]),
        ("<p>a <br> b</p>", ["a \n b"]),
    ],
)
def test_br_is_a_line_break(html: str, expected: list[str]) -> None:
    assert texts(html) == expected


def test_blocks_split_paragraphs_and_inline_elements_do_not() -> None:
    html = (
        "<div>前言<div>一、<span>总体</span><font color=red>情况</font></div>尾<li>项"
        "<li>项二<blockquote>引</blockquote></div>"
    )
    assert texts(html) == ["前言", "一、总体情况", "尾", "项", "项二", "引"]


def test_marks_come_from_headings_footers_classes_and_right_alignment() -> None:
    html = """
    <h1>标题</h1><H3>（一）小节</H3><p>正文<span class="gip-date">日期</span></p>
    <footer><p>机关</p></footer><p class="x gip-organ">机关二</p>
    <p align=RIGHT>右一</p><div style="color:red; TEXT-ALIGN :  Right">右二</div>
    <div style="text-align:center">居中</div>
    """
    marks = [(p.text, p.mark) for p in paragraphs(html_source(html))]
    assert marks == [
        ("标题", "title"),
        ("（一）小节", "heading"),
        ("正文日期", None),
        ("机关", "signature"),
        ("机关二", "signature"),
        ("右一", "signature"),
        ("右二", "signature"),
        ("居中", None),
    ]


def test_where_gives_the_line_and_the_paragraph_number() -> None:
    html = "<html>\n<body>\n<p>\n一\n</p>\n<div>二<div>三</div>\n\n  四</div>\n</body>"
    found = paragraphs(html_source(html))
    assert [(p.text, p.where) for p in found] == [
        ("一", Where(line=3, paragraph=0)),
        ("二", Where(line=6, paragraph=1)),
        ("三", Where(line=6, paragraph=2)),
        ("四", Where(line=8, paragraph=3)),
    ]


def test_content_that_is_not_the_pages_text_is_skipped() -> None:
    html = """<!DOCTYPE html><html><head><title>页标题</title><style>p{x:1}</style>
    <script>document.write("<p>脚本</p>")</script></head><body><!-- 注释 <p>x</p> -->
    <noscript>请启用</noscript><svg><text>图</text></svg><template><p>模板</p></template>
    <iframe src=x>框</iframe><object>物</object><math><mi>x</mi></math><p>正文</p>
    <![if !supportLists]>1.<![endif]><![CDATA[数据]]></body></html>"""
    assert texts(html) == ["正文", "1."]


def test_a_head_left_open_closes_at_the_body_content() -> None:
    assert texts("<html><head><title>t</title><meta charset=utf-8><div>正文</div>") == ["正文"]
    assert texts("<head><title>t</title>正文<p>二") == ["正文", "二"]


def test_images_flow_in_order_and_split_paragraphs() -> None:
    doc = html_source('<p>上<img src="a.png">下</p>\n<IMG SRC=b.png>')
    kinds = [
        block.text if isinstance(block, SourceParagraph) else type(block).__name__
        for block in doc.blocks
    ]
    assert kinds == ["上", "SourceImage", "下", "SourceImage"]
    assert doc.blocks[3] == SourceImage(where=Where(line=2))


# --- tables -------------------------------------------------------------------------------


def test_messy_table_markup_reads_as_a_browser_shows_it() -> None:
    html = """<P>第一段<P>第二段
    <TABLE border=1 class=tb>
    <TR><TH>项目<TD>数量</span></div>
    <tr><td>规章<td align=center>3</p>
    </TABLE>
    </td></tr>尾段"""
    doc = html_source(html)
    check_document(doc)
    assert [p.text for p in paragraphs(doc)] == ["第一段", "第二段", "尾段"]
    (table,) = tables(doc)
    assert grid_texts(table) == [["项目", "数量"], ["规章", "3"]]
    assert table.where == Where(line=2, table=0)
    assert [cell.line for cell in table.rows[1]] == [4, 4]


def test_rows_of_unequal_length_are_padded_with_empty_cells() -> None:
    table = only_table("<table><tr><td>a<td>b<td>c<tr><td>d<tr></table>")
    assert grid_texts(table) == [["a", "b", "c"], ["d", "", ""], ["", "", ""]]
    assert table.rows[1][2] == SourceCell(text="", row=1, column=2)
    check_grid(table)


def test_spans_are_resolved_on_the_grid() -> None:
    table = only_table(
        "<table><tr><td rowspan=2 colspan=2>A<td>b"
        "<tr><td>c"
        "<tr><td colspan=abc>d<td rowspan='0'>e<td>f"
        "<tr><td>g<td>h</table>"
    )
    check_grid(table)
    assert grid_texts(table) == [
        ["A", "A", "b"],
        ["A", "A", "c"],
        ["d", "e", "f"],
        ["g", "e", "h"],
    ]
    e = table.rows[2][1]
    assert (e.row, e.column, e.rowspan, e.colspan) == (2, 1, 2, 1)


@pytest.mark.parametrize(
    ("span", "expected"),
    [("0", 1), ("", 1), ("abc", 1), ("-2", 1), (" 2px", 2), ("+3", 3), ("99999999999", 1000)],
)
def test_colspan_is_parsed_like_html(span: str, expected: int) -> None:
    table = only_table(f'<table><tr><td colspan="{span}">x</td><td>y</td></tr></table>')
    assert table.rows[0][0].colspan == expected
    assert len(table.rows[0]) == expected + 1


def test_a_span_attribute_without_a_value_spans_one_slot() -> None:
    table = only_table("<table><tr><td colspan>a<td rowspan>b<td>c<tr><td>d</table>")
    check_grid(table)
    assert grid_texts(table) == [["a", "b", "c"], ["d", "", ""]]
    assert [(cell.rowspan, cell.colspan) for cell in table.rows[0]] == [(1, 1)] * 3


def test_rowspan_is_clamped_to_the_rows_there_are() -> None:
    table = only_table("<table><tr><td rowspan=9999999>a<td>b<tr><td>c</table>")
    assert table.rows[0][0].rowspan == 2
    assert grid_texts(table) == [["a", "b"], ["a", "c"]]


def test_overlapping_spans_are_clipped_so_every_slot_has_one_cell() -> None:
    table = only_table("<table><tr><td>a<td rowspan=2>b<tr><td colspan=3>c<td>d</table>")
    check_grid(table)
    assert grid_texts(table) == [["a", "b", ""], ["c", "b", "d"]]
    assert table.rows[1][0].colspan == 1


def test_every_cell_is_true_as_the_grid_tells_a_held_slot_from_a_free_one() -> None:
    # _grid asks any() of a row's slots whether a cell holds one of them (a free slot
    # is None): a cell of any text, even empty, must be true.
    assert all(SourceCell(text=text, row=0, column=0) for text in ("", "0", " ", "\xa0"))
    table = only_table("<table><tr><td rowspan=3>A<td rowspan=2 colspan=2>B<tr><tr><td>c</table>")
    check_grid(table)
    assert grid_texts(table) == [["A", "B", "B"], ["A", "B", "B"], ["A", "c", ""]]


def test_a_table_over_the_slot_limit_is_an_error() -> None:
    html = "<p>x</p>\n<table><tr><td colspan=1000>x" + "<tr><td>y" * 200 + "</table>"
    with pytest.raises(ParseError) as caught:
        html_source(html)
    assert caught.value.where == "source table 1, line 2"
    assert "200,000" in caught.value.reason


def test_cell_text_puts_blocks_on_lines_and_keeps_nbsp() -> None:
    table = only_table(
        "<table><caption>\n 表一 \n 标题 </caption><tr><td>\n  <p>第一</p>\n<div>第二</div>"
        "<br><br>第三<img src=x>&nbsp;</td><td>&nbsp;</td><td> 1 </td></tr></table>"
    )
    assert grid_texts(table) == [["第一\n第二\n第三\xa0", "\xa0", " 1 "]]
    assert table.caption == "表一 标题"


def test_layout_tables_flow_as_blocks() -> None:
    html = """<table width="100%"><tr><td>
      <table><tr><td><h2>一、总体情况</h2></td></tr></table>
      <p>正文</p><img src=logo.gif>
      <table border=1><tr><td>信息内容<td>数量</tr><tr><td>规章<td>0</tr></table>
    </td></tr><tr><td align=right>某某人民政府</td><td>2024年1月10日</td></tr></table>"""
    doc = html_source(html)
    check_document(doc)
    summary = [
        (block.text, block.mark) if isinstance(block, SourceParagraph) else type(block).__name__
        for block in doc.blocks
    ]
    assert summary == [
        "SourceTable",
        ("正文", None),
        "SourceImage",
        "SourceTable",
        ("某某人民政府", "signature"),
        ("2024年1月10日", None),
    ]
    first, second = tables(doc)
    assert grid_texts(first) == [["一、总体情况"]]
    assert grid_texts(second) == [["信息内容", "数量"], ["规章", "0"]]
    assert [first.index, second.index] == [0, 1]


def test_content_in_a_table_but_in_no_cell_comes_before_the_table() -> None:
    doc = html_source(
        "<table>\n<tr><td>a</td>注一<td>b</td></tr><p>注二</p><img src=x> \n</table><p>后</p>"
    )
    check_document(doc)
    summary = [
        block.text if isinstance(block, SourceParagraph) else type(block).__name__
        for block in doc.blocks
    ]
    assert summary == ["注一", "注二", "SourceImage", "SourceTable", "后"]
    assert grid_texts(tables(doc)[0]) == [["a", "b"]]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<h1>标题<h2>一、总体情况</h2>", [("标题", "title"), ("一、总体情况", "heading")]),
        ("<dl><dt>术语<dd>释义<dt>二</dl>", [("术语", None), ("释义", None), ("二", None)]),
        ("<tr><td>无表<td>之格", [("无表", None), ("之格", None)]),
        ('<iframe src="x"/><p>框后', [("框后", None)]),
        ("<pre>\n</pre><br>行", [("\n行", None)]),
        ("<p>上<img><br>下", [("上", None), ("\n下", None)]),
    ],
)
def test_more_messy_markup(html: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(p.text, p.mark) for p in paragraphs(html_source(html))] == expected


def test_cells_outside_rows_and_end_tags_outside_the_cell() -> None:
    doc = html_source(
        "<div><table><caption>一</caption><caption>二</caption><td>a</div>b"
        "<script>c</script></td></tr></table>后</div>"
    )
    (table,) = tables(doc)
    assert table.caption == "一"
    assert grid_texts(table) == [["ab"]]
    assert texts("<div><table><td>a</div>b</table>后</div>") == ["后"]


def test_a_table_opened_inside_a_table_ends_it() -> None:
    doc = html_source("<table><tr><td>a</td></tr><table><tr><td>b</td></tr></table>")
    assert [grid_texts(t) for t in tables(doc)] == [[["a"]], [["b"]]]


def test_deep_nesting_does_not_recurse() -> None:
    depth = 3000  # three times the default recursion limit
    assert texts("<div>" * depth + "深" + "</div>" * depth) == ["深"]
    assert grid_texts(only_table("<table><tr><td>" * depth + "表")) == [["表"]]
    assert texts("<span><b>" * depth + "嵌") == ["嵌"]


def test_huge_character_references_and_marked_sections_do_not_break_the_parser() -> None:
    assert texts("&#" + "9" * 5000 + ";x<![ weird [x]]>y<!x>z") == ["\ufffdxyz"]
    # ... after any number of other "&" (each of the first few is looked at, then searched).
    for before in (1, 63, 64, 65, 200):
        huge = "&amp;" * before + "&#" + "9" * 5000 + ";x"
        assert texts(huge) == ["&" * before + "\ufffdx"]


@given(
    st.text(alphabet="&#a中", max_size=30)
    | st.lists(st.sampled_from(["&", "&nbsp;", "#", "&#", "a"]), max_size=200).map("".join)
)
def test_a_page_is_looked_at_for_character_references_as_a_search_finds_them(text: str) -> None:
    assert from_html._may_hold_charref(text) is ("&#" in text)


# --- encodings ----------------------------------------------------------------------------

PAGE = "<html><head>{meta}<title>t</title></head><body><p>政府信息公开年报</p><p>“二〇二三”€</p>"
TEXTS = ["政府信息公开年报", "“二〇二三”€"]


def test_utf8_needs_no_note() -> None:
    doc = html_source(PAGE.format(meta="").encode())
    assert [p.text for p in paragraphs(doc)] == TEXTS
    assert doc.notes == ()
    assert html_source(codecs.BOM_UTF8 + PAGE.format(meta="").encode()).notes == ()


def test_gb18030_without_meta_is_decoded_with_a_note() -> None:
    doc = html_source(PAGE.format(meta="").encode("gb18030"))
    assert [p.text for p in paragraphs(doc)] == TEXTS
    (note,) = doc.notes
    assert note.code == "encoding"
    assert "GB18030" in note.message
    assert "not UTF-8" in note.message


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="gb2312">',
        "<META CHARSET=GBK>",
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "<meta http-equiv=Content-Type content='text/html;charset=GB18030'>",
    ],
)
def test_a_declared_gb_charset_is_read_as_gb18030_with_a_note(meta: str) -> None:
    doc = html_source(PAGE.format(meta=meta).encode("gb18030"))
    assert [p.text for p in paragraphs(doc)] == TEXTS
    (note,) = doc.notes
    assert note.code == "encoding"
    assert "GB18030" in note.message
    assert "<meta>" in note.message


def test_a_declared_charset_that_does_not_fit_falls_back() -> None:
    doc = html_source(PAGE.format(meta='<meta charset="gbk">').encode())
    assert [p.text for p in paragraphs(doc)] == TEXTS
    assert doc.notes == ()


def test_bytes_that_are_not_what_the_meta_says_are_read_anyway() -> None:
    doc = html_source(PAGE.format(meta='<meta charset="utf-8">').encode("gb18030"))
    assert [p.text for p in paragraphs(doc)] == TEXTS
    assert "not UTF-8" in doc.notes[0].message


@pytest.mark.parametrize("charset", ["utf-16", "us-ascii", "ascii", "UTF8"])
def test_a_charset_that_means_utf8_here_is_read_as_utf8(charset: str) -> None:
    doc = html_source(PAGE.format(meta=f"<meta charset={charset}>").encode())
    assert [p.text for p in paragraphs(doc)] == TEXTS
    assert doc.notes == ()


@pytest.mark.parametrize(
    "charset", ["no-such-codec", "base64", "rot13", "utf-8-sig", "punycode", "utf-7", "idna"]
)
def test_a_charset_browsers_do_not_know_is_ignored_with_a_note(charset: str) -> None:
    # Issue #16: <meta charset="punycode"> chose Python's quadratic punycode
    # codec (a 160 KB page took 16-20 s). Only the WHATWG encodings are used.
    doc = html_source(PAGE.format(meta=f"<meta charset={charset}>").encode())
    assert [p.text for p in paragraphs(doc)] == TEXTS
    (note,) = doc.notes
    assert note.code == "encoding"
    assert f"declares the charset {charset.lower()!r}, which is not an encoding" in note.message


def test_a_punycode_page_is_not_decoded_as_punycode() -> None:
    extended = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(2000)).encode("punycode")
    page = b'<html><head><meta charset="punycode"></head><body><p>x</p></body></html>-' + extended
    doc = html_source(page)
    assert [p.text for p in paragraphs(doc)] == ["x", "-" + extended.decode()]
    assert "'punycode', which is not an encoding browsers read" in doc.notes[0].message


@pytest.mark.parametrize(
    ("charset", "codec"),
    [("latin1", "cp1252"), ("shift_jis", "cp932"), ("big5", "big5hkscs"), ("koi8-r", "koi8_r")],
)
def test_whatwg_labels_choose_the_encoding_a_browser_would(charset: str, codec: str) -> None:
    assert from_html._CHARSETS[charset] == codec


def test_another_declared_charset_is_used() -> None:
    page = "<meta charset=big5><p>資訊公開</p>"
    doc = html_source(page.encode("big5"))
    assert texts(page.encode("big5")) == ["資訊公開"]
    assert "BIG5" in doc.notes[0].message


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_a_utf16_byte_order_mark_wins(bom: bytes, codec: str) -> None:
    page = PAGE.format(meta='<meta charset="gb2312">')
    doc = html_source(bom + page.encode(codec))
    assert [p.text for p in paragraphs(doc)] == TEXTS
    (note,) = doc.notes
    assert "UTF-16" in note.message


def test_undecodable_bytes_are_an_error_naming_the_byte() -> None:
    with pytest.raises(ParseError) as caught:
        html_source(b"<p>ok</p>\xff\xff\xff")
    assert caught.value.where == "byte 9"
    assert "cannot decode" in caught.value.reason
    with pytest.raises(ParseError, match="byte order mark"):
        html_source(codecs.BOM_UTF8 + b"<p>\xff</p>")


def test_input_over_the_limit_is_an_error() -> None:
    with pytest.raises(ParseError, match="bytes"):
        html_source(b" " * (MAX_INPUT + 1))
    with pytest.raises(ParseError, match="characters"):
        html_source(" " * (MAX_INPUT + 1))


def test_other_input_types_are_an_error() -> None:
    with pytest.raises(ParseError, match="not int"):
        html_source(42)  # type: ignore[arg-type]  # the wrong type is the point
    assert texts(bytearray(b"<p>x</p>")) == ["x"]  # type: ignore[arg-type]  # a bytes-like


# --- any input ----------------------------------------------------------------------------

FRAGMENTS = [
    "<table>", "</table>", "<TABLE border=1>", "<tr>", "</tr>", "<TR>", "<td>", "</td>",
    "<th>", "</th>", "<td rowspan=2>", "<td colspan=3>", "<td rowspan=0>", "<td colspan=abc>",
    "<td rowspan='-1' colspan=\"0\">", "<td colspan=1000>", "<thead>", "<tbody>", "</tbody>",
    "<caption>", "</caption>", "<p>", "</p>", "<P align=right>", "<div>", "</div>", "<br>",
    "</br>", "<img src=x>", "<h1>", "</h1>", "<h2>", "<footer>", "</footer>", "<pre>",
    "</pre>", "<li>", "<ul>", "<span style='text-align:right'>", "</span>", "<b>", "</b>",
    "<script>", "</script>", "<style>", "<head>", "</head>", "<body>", "</html>", "<svg>",
    "</svg>", "<!--", "-->", "<![if !x]>", "<![CDATA[", "]]>", "<!doctype html>", "<?xml?>",
    "&nbsp;", "&#12288;", "&#", "&amp", "<", ">", "</", "/>", "\n", "\r\n", " ", "\t",
    "\u3000", "数据", "x",
]  # fmt: skip

tag_soup = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=60).map(
    "".join
)


def read_or_refuse(source: str | bytes) -> None:
    try:
        doc = html_source(source)
    except ParseError:
        return
    check_document(doc)


@given(st.text())
def test_any_text_reads_or_is_refused(source: str) -> None:
    read_or_refuse(source)


@given(tag_soup)
def test_any_tag_soup_reads_to_rectangular_tables(source: str) -> None:
    read_or_refuse(source)


@given(st.one_of(st.binary(), tag_soup.map(lambda text: text.encode("utf-16-le", "replace"))))
def test_any_bytes_read_or_are_refused(source: bytes) -> None:
    read_or_refuse(source)


def test_blocks_are_source_blocks() -> None:
    blocks: tuple[SourceBlock, ...] = html_source("<p>x</p><img><table></table>").blocks
    assert [type(block) for block in blocks] == [SourceParagraph, SourceImage, SourceTable]
    assert blocks[2] == SourceTable(index=0, rows=(), gridded=True, where=Where(line=1, table=0))


# --- the tree builder's loop: the tree of the tokens' events ------------------------------


def _shape(node: object) -> object:
    """The whole of a tree, to compare (iterative: a soup may nest deep)."""
    out: list[object] = []
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):  # a run of text (from_html._Text): its text and line
            text, line = item
            out.append(("text", text, line))
        elif isinstance(item, from_html._Element):
            out.append((item.tag, item.attributes, item.line, item.has_table))
            stack.append(")")
            stack.extend(reversed(item.children))
        else:
            out.append(item)
    return out


def _outcome(build: Callable[[str], from_html._Element], text: str) -> tuple[str, object]:
    """The tree ``build`` makes of ``text``, or the error it raises."""
    try:
        return ("tree", _shape(build(text)))
    except ParseError as error:
        return ("error", str(error))


def _by_events(text: str) -> from_html._Element:
    """The tree :class:`_TreeBuilder` makes as the sink of the tokens' events, one by one."""
    builder = from_html._TreeBuilder()
    tokens(text, builder)
    return builder.root


def assert_same_tree(text: str) -> None:
    """The loop's tree is the events' tree, whatever the page and however it is split."""
    text = from_html._NEWLINES.sub("\n", text)
    expected = _outcome(_by_events, text)
    assert _outcome(from_html._build, text) == expected
    for window in [1, 2, 5, 64]:  # the page split into pieces a few at a time
        assert _outcome(functools.partial(from_html._build, window_length=window), text) == expected


# Word's and gipreport's common tags, which the loop takes its short ways, where they are
# common and where they are not (in <head>, in a table, in <pre>, with a <p> open).
_COMMON = [
    '<span style="font-family: 宋体;">', "</span>", "<o:p>", "</o:p>", "<o:p></o:p>",
    '<p class=MsoNormal style="text-align:right">', '<p class="MsoNormal">', "</p>",
    '<td width=43 valign="center">', '<td class="c1">', "</td>", "<tr>", "</tr>", "<tbody>",
    "</tbody>", '<th scope="col">', "</th>", "<font face=x>", "</font>", "<b>", "</b>",
    "<div>", "</div>", "<hr>", "<col>", "<input>", "<form>", "<li>", "<dd>", "<dt>", "<html>",
    "<body>", "</body>", "<br/>", "<br>", "</br>", "<img/>", "<script/>", "<title/>",
    "<title>", "</title>", "<head>", "</head>", "<meta charset=x>", "<a title='1>2'>",
    "<pre>", "</pre>", "<listing>", "<textarea>", "<h1>", "</h1>", "<table>", "</table>",
    "<caption>", "<colgroup>", "&#1;", "&amp;", "&nbsp;", "\n  ", "\n", " ", "x", "年",
    "</td\n>", "<a\nb>", "<style>", "</style>", "<script>x</script>", "<!-- c -->", "<",
]  # fmt: skip

_common_soup = st.lists(
    st.one_of(st.sampled_from(_COMMON), st.sampled_from(FRAGMENTS), st.text(max_size=3)),
    max_size=50,
).map("".join)


@given(st.lists(_common_soup, min_size=1, max_size=4), _common_soup)
@settings(max_examples=examples(1500))
def test_the_loop_builds_the_tree_of_the_events(parts: list[str], glue: str) -> None:
    """Each piece met again (after ``glue``): the loop takes what it remembered."""
    assert_same_tree(glue.join(parts * 2))


@given(tag_soup)
@settings(max_examples=examples(500))
def test_the_loop_builds_the_tree_of_the_events_of_any_soup(text: str) -> None:
    assert_same_tree(text + text)


def _real_pages() -> list[str]:
    data = Path(__file__).parent / "data"
    return [path.read_bytes().decode("utf-8") for path in sorted(data.rglob("*.html"))]


@functools.cache
def _pages() -> st.SearchStrategy[str]:
    """The bundled example's page and the real pages (made and read once: strings)."""
    rendered = gipreport.render(gipreport.examples.mingan_2023(), "html")
    assert isinstance(rendered, str)
    return st.sampled_from([rendered, *_real_pages()])


@given(st.data())
@settings(max_examples=examples(200))
def test_the_loop_builds_the_tree_of_the_events_of_mutated_pages(data: st.DataObject) -> None:
    text = data.draw(_pages())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 20))
        insert = data.draw(st.one_of(st.sampled_from(_COMMON), st.text(max_size=3)))
        text = text[:at] + insert + text[at + cut :]
    assert_same_tree(text)


def test_the_loop_builds_the_tree_of_the_events_of_real_pages() -> None:
    pages = _real_pages()
    assert len(pages) >= 3
    for page in pages:
        assert_same_tree(page)


@pytest.mark.parametrize("remembered", [0, 1, 7])
def test_the_loop_builds_the_tree_of_the_events_remembering_few_tags(
    remembered: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of unique tags remembers only so many (memory); the rest are read anew."""
    from gipreport._reading import html_tokens  # noqa: PLC0415 - the private cap

    monkeypatch.setattr(from_html, "_REMEMBERED", remembered)
    monkeypatch.setattr(from_html, "_SHARED_TAGS", remembered)
    monkeypatch.setattr(html_tokens, "REMEMBERED_TAGS", remembered)
    rendered = gipreport.render(gipreport.examples.mingan_2023(), "html")
    assert isinstance(rendered, str)
    for page in [rendered, *_real_pages()]:
        assert_same_tree(page)


@pytest.mark.parametrize("cap", [1, 2, 5, 13, 40, 41, 42, 100])
def test_the_loop_refuses_a_page_over_the_tag_cap_where_the_events_do(
    cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(from_html, "MAX_NODES", cap)
    unit = '<p class="a">x</p>\n<table><tr><td>1</td>\n</tr></table><span>&#1;</span>'
    spanning = "<script>a<b</script>x<!-- <i> -->y"  # constructs over pieces (and windows)
    for text in [unit * 10, "<head>\n" + unit * 10, "x\n" + unit * 10, spanning * 30]:
        outcome = _outcome(_by_events, text)
        assert outcome[0] == "error"
        assert _outcome(from_html._build, text) == outcome
        for window in [1, 2, 5, 64]:
            split = functools.partial(from_html._build, window_length=window)
            assert _outcome(split, text) == outcome


def test_the_loop_refuses_start_tags_with_no_end_as_the_events_do() -> None:
    text = '<p class="a">x</p>' * 3 + "<a b=1 " * 100_000
    outcome = _outcome(from_html._build, text)
    assert outcome == _outcome(_by_events, text)
    assert outcome[0] == "error"
    assert "start tags with no end" in str(outcome[1])


@pytest.mark.parametrize("times", [1, 2, 3])
def test_marks_are_found_for_new_and_remembered_tags_and_in_layout_cells(times: int) -> None:
    """An element's mark is found once per remembered tag, or when the flow meets it."""
    layout = (
        '<table><tr><td align="right"><table><tr><td>1</td></tr></table>署名</td>'
        '<td class="gip-prose">正文<h2>小标题</h2></td></tr></table>'
    )
    unit = (
        '<p style="text-align:right">右</p><p style="color:red">左</p>'
        '<div class="gip-organ"><span>机关</span></div><h1 class="x">题</h1>' + layout
    )
    marks = [(p.text, p.mark) for p in paragraphs(html_source(unit * times))]
    once = [
        ("右", "signature"),
        ("左", None),
        ("机关", "signature"),
        ("题", "title"),
        ("署名", "signature"),
        ("正文", "body"),
        ("小标题", "heading"),
    ]
    assert marks == once * times


# Tags of quoted attributes, each unique (as gipreport's own cells, each of its data-path),
# of the shape the loop splits at its quotes and of shapes near it that it must not.
_quoted_tags = st.builds(
    lambda name, attributes, end: "<" + name + "".join(attributes) + end,
    st.sampled_from(["td", "TD", "th", "tr", "p", "span", "br", "script", "style", "x-y", "o:p"]),
    st.lists(
        st.builds(
            lambda space, name, value: f'{space}{name}="{value}"',
            st.sampled_from([" ", " ", "  ", "\n", ""]),
            st.sampled_from(["class", "data-path", "colspan", "Style", "a:b", "é", "1", "align"]),
            st.text(alphabet="ab C&amp;;\"=>\n/'", max_size=8),
        ),
        max_size=4,
    ),
    st.sampled_from([">", ">", "/>", " >", '">', ""]),
)


@given(st.lists(_quoted_tags, min_size=1, max_size=12), _common_soup)
@settings(max_examples=examples(1000))
def test_the_loop_builds_the_tree_of_the_events_of_unique_quoted_tags(
    tags: list[str], glue: str
) -> None:
    assert_same_tree(glue.join(tags) + "x" + glue.join(reversed(tags)))


@given(st.lists(_quoted_tags, min_size=1, max_size=8))
@settings(max_examples=examples(1000))
def test_a_tag_split_at_its_quotes_is_the_tag_the_scanner_reads(tags: list[str]) -> None:
    """Where the quick split takes a tag (the same shapes for every tag), it is the scanner's."""
    shapes: dict[str, from_html._Shape] = {}
    for tag in tags:
        name = tag[1:].partition(">")[0]
        if '"' not in name or len(name) > MAX_QUOTED or ">" not in tag:
            continue
        split = from_html._quoted_tag(name, shapes)
        seen = Scanner(tag, _Ignored()).tag(0)
        read = None if seen is None else from_html._short_way(seen)
        if split is not None:
            assert split == read


def test_gipreport_s_own_cells_are_split_at_their_quotes() -> None:
    shapes: dict[str, from_html._Shape] = {}
    name = 'td class="gip-value" data-path="proactive.fees.amount" colspan="3"'
    split = from_html._quoted_tag(name, shapes)
    assert split is not None
    assert split[2] == {"class": "gip-value", "data-path": "proactive.fees.amount", "colspan": "3"}
    assert from_html._quoted_tag(name.replace("fees", "rules"), shapes) is not None
    assert len(shapes) == 1  # one shape for both
    for other in ['td class="a"/', 'td class="a" ', 'td"x', 'td a="1""x', 'script a="1"']:
        assert from_html._quoted_tag(other, shapes) is None


class _Ignored:
    """A sink for a scanner whose tags are read, never handed on."""

    def start(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None: ...
    def startend(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None: ...
    def end(self, tag: str, line: int) -> None: ...
    def data(self, text: str, line: int) -> None: ...


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ('<p>a<span style="text-align:right">b</span></p>', [("ab", None)]),
        ('<p><span style="text-align:right">b</span>c</p>', [("bc", "signature")]),
        ("<p><b></b><span>x</span><o:p></o:p></p>", [("x", None)]),
        ('<div><span class="gip-organ">机关</span></div>', [("机关", "signature")]),
        ('<p><font><span align="right">z</span></font></p>', [("z", "signature")]),
        ("<pre><span>\n a </span></pre>", [("\n a ", None)]),
        ('<p>\n<span> y </span>\n<span class="gip-date">d</span></p>', [("y d", None)]),
    ],
)
def test_an_inline_element_of_one_run_or_none_reads_as_if_entered(
    page: str, expected: list[tuple[str, str | None]]
) -> None:
    """The flow reads such an element's run in place: its text, and its mark where it starts."""
    blocks = html_source(page).blocks
    assert [(block.text, block.mark) for block in blocks if isinstance(block, SourceParagraph)] == (
        expected
    )


@given(
    st.lists(
        st.one_of(_common_soup, st.lists(_quoted_tags, max_size=6).map("".join)),
        min_size=2,
        max_size=4,
    )
)
@settings(max_examples=examples(500))
def test_a_page_read_after_others_is_read_as_if_alone(pages: list[str]) -> None:
    """The tags remembered across pages give each page the tree it has read first."""
    alone = []
    for page in pages:
        from_html._TAGS.clear()
        from_html._SHAPES.clear()
        alone.append(_outcome(from_html._build, page))
    assert alone == [_outcome(_by_events, page) for page in pages]
    for page, expected in zip(pages, alone, strict=True):  # each after the ones before
        assert _outcome(from_html._build, page) == expected
    for page, expected in reversed(list(zip(pages, alone, strict=True))):  # and after the rest
        assert _outcome(from_html._build, page) == expected


def test_the_tags_remembered_across_pages_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(from_html, "_SHARED_TAGS", 3)
    page = "".join(f'<td class="c{i}" data-path="p{i}">{i}</td><b id={i}>' for i in range(20))
    expected = _outcome(_by_events, page)
    for _ in range(2):
        assert _outcome(from_html._build, page) == expected
        assert len(from_html._TAGS) <= 3
        assert len(from_html._SHAPES) <= 3
