"""Reading tables laid out otherwise than the form: other templates, split tables, repeats."""

from __future__ import annotations

import re

import gipreport
from gipreport import ParseResult
from gipreport._rendering.to_html import render_html

EXAMPLE = gipreport.examples.mingan_2023()
# The page as the tests below edit it, by its text: without the <wbr> between a
# column header's words and the gip-at-N classes placing row labels on a phone
# (markup a reader passes over, which the edits' patterns would have to spell out).
HTML = re.sub(r"<wbr>| gip-at-[0-9]+", "", render_html(EXAMPLE))


def codes(result: ParseResult) -> list[str]:
    return [note.code for note in result.notes]


def test_a_subtotal_row_is_noted_and_not_read() -> None:
    # Some templates give （三）不予公开 a row of its own with the subtotals.
    subtotal = '<tr><th colspan="2">（三）不予公开小计</th>' + "<td>5</td>" * 7 + "</tr>\n"
    anchor = '<tr><th class="gip-row-header" scope="row" rowspan="8">（三）不予公开</th>'
    html = HTML.replace(anchor, subtotal.replace("小计", "") + anchor)
    # The group cell that spanned 三、本年度办理结果 now spans one row more.
    html = html.replace('rowspan="22">三、本年度办理结果', 'rowspan="23">三、本年度办理结果')
    result = gipreport.read_html(html)
    assert result.report == EXAMPLE
    (note,) = result.notes
    assert note.code == "row-unknown"
    assert "subtotal" in note.message


def test_a_subtotal_column_is_noted_and_not_read() -> None:
    # 法人或其他组织 with a 小计 column of its own, before 总计.
    html = HTML.replace(
        '<th class="gip-col-header" scope="col" colspan="7">申请人情况</th>',
        '<th class="gip-col-header" scope="col" colspan="8">申请人情况</th>',
    )
    html = html.replace(
        '<th class="gip-col-header" scope="col" colspan="5">法人或其他组织</th>',
        '<th class="gip-col-header" scope="col" colspan="6">法人或其他组织</th>',
    )
    html = html.replace(
        '<th class="gip-col-header" scope="col">其他</th></tr>',
        '<th class="gip-col-header" scope="col">其他</th><th>小计</th></tr>',
    )
    html = re.sub(
        r'(<td class="gip-value" data-path="requests\.[a-z_.]+\.other_org">0</td>)',
        r"\1<td>0</td>",
        html,
    )
    result = gipreport.read_html(html)
    assert result.report == EXAMPLE
    assert codes(result) == ["column-unknown"]
    assert result.notes[0].text == "申请人情况 / 法人或其他组织 / 小计"


def test_table_2_split_into_one_table_per_block_reads_the_same() -> None:
    html = HTML.replace('</tbody>\n<tbody class="gip-block">', "</tbody></table><table><tbody>")
    assert html.count("<table") == HTML.count("<table") + 3
    result = gipreport.read_html(html)
    assert result.report == EXAMPLE
    assert result.notes == ()


def test_a_row_given_twice_keeps_the_first() -> None:
    row = re.search(r"<tr><th[^>]*>四、结转下年度继续办理</th>.*?</tr>\n", HTML)
    assert row is not None
    again = row.group().replace(">0<", ">9<")
    result = gipreport.read_html(HTML.replace(row.group(), row.group() + again))
    assert result.report == EXAMPLE
    assert codes(result) == ["duplicate-row"]
    assert result.notes[0].path == "requests.carried_forward"


def test_columns_in_another_order_are_read_by_their_headers() -> None:
    # Table 4 with 行政复议 last: the groups are found by their header labels.
    table = re.search(r'<table class="gip-table gip-table-appeals">.*?</table>', HTML, re.S)
    assert table is not None
    changed = EXAMPLE.with_cells({"appeals.review.upheld": 1, "appeals.review.total": 1})
    rows = [
        '<tr><th colspan="10">行政诉讼</th><th colspan="5">行政复议</th></tr>',
        '<tr><th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th>'
        + "".join(
            f'<th rowspan="2">{c}</th>'
            for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
        )
        + "</tr>",
        "<tr>"
        + "".join(
            f"<th>{c}</th>" for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2
        )
        + "</tr>",
        "<tr>" + "<td>0</td>" * 10 + "<td>1</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>",
    ]
    other_order = "<table>" + "".join(rows) + "</table>"
    html = render_html(changed).replace(
        re.search(
            r'<table class="gip-table gip-table-appeals">.*?</table>', render_html(changed), re.S
        ).group(),  # type: ignore[union-attr]
        other_order,
    )
    result = gipreport.read_html(html)
    assert result.report == changed
    assert result.notes == ()


def test_a_table_published_as_a_picture_is_noted() -> None:
    table = re.search(r'<table class="gip-table gip-table-requests">.*?</table>', HTML, re.S)
    assert table is not None
    result = gipreport.read_html(HTML.replace(table.group(), '<p><img src="table3.png"></p>'))
    assert codes(result) == ["table-image"]
    assert result.notes[0].path == "requests"
    assert result.report.requests.results.total.total is None


def _table(key: str, html: str = HTML) -> str:
    found = re.search(rf'<table class="gip-table gip-table-{key}">.*?</table>', html, re.S)
    assert found is not None
    return found.group()


def test_table_2_without_header_rows_reads_values_in_the_form_order() -> None:
    table = _table("proactive")
    bare = re.sub(r"<tr><th class=\"gip-col-header\".*?</tr>\n", "", table)
    assert "信息内容" not in bare
    result = gipreport.read_html(HTML.replace(table, bare))
    assert result.report == EXAMPLE
    assert result.notes == ()


def test_table_2_a_value_in_no_column_and_a_column_it_does_not_have() -> None:
    table = _table("proactive")
    # 规章 gets a fifth cell; the first block's header a fifth column 备注.
    changed = table.replace(
        '<th class="gip-col-header" scope="col">现行有效件数</th></tr>',
        '<th class="gip-col-header" scope="col">现行有效件数</th><th>备注</th></tr>',
    ).replace(
        'data-path="proactive.rules.in_force">0</td></tr>',
        'data-path="proactive.rules.in_force">0</td><td>7</td></tr>',
    )
    result = gipreport.read_html(HTML.replace(table, changed))
    assert result.report == EXAMPLE
    assert codes(result) == ["column-unknown", "extra-cells"]
    assert result.notes[1].text == "7"


def test_table_2_fee_headed_in_yuan_in_a_web_page() -> None:
    html = HTML.replace("本年收费金额（单位：万元）", "本年收费金额（单位：元）").replace(
        'data-path="proactive.fees.amount" colspan="3">0<',
        'data-path="proactive.fees.amount" colspan="3">25000<',
    )
    result = gipreport.read_html(html)
    assert str(result.report.cell("proactive.fees.amount")) == "2.5000"
    assert codes(result) == ["unit"]


def test_table_3_without_its_header_takes_the_last_columns_in_order() -> None:
    table = _table("requests")
    bare = re.sub(r"<thead>.*?</thead>\n", "", table, flags=re.S)
    result = gipreport.read_html(HTML.replace(table, bare))
    assert result.report == EXAMPLE
    assert result.notes == ()


def test_a_value_merged_over_two_columns_is_read_for_the_first() -> None:
    changed = EXAMPLE.with_cells({"requests.new_received.natural_person": 2})
    html = render_html(changed)
    merged = re.sub(
        r'(<td class="gip-value" data-path="requests\.new_received\.natural_person")>2</td>'
        r'<td class="gip-value" data-path="requests\.new_received\.commercial">0</td>',
        r'\1 colspan="2">2</td>',
        html,
    )
    assert merged != html
    result = gipreport.read_html(merged)
    assert result.report == changed.with_cells({"requests.new_received.commercial": None})
    assert codes(result) == ["missing-cells"]
    assert result.notes[0].path == "requests.new_received.commercial"


def test_table_4_without_its_group_headers_cannot_tell_the_groups_apart() -> None:
    table = _table("appeals")
    # Only the bottom header row: 结果维持 … three times, with nothing above to tell
    # 行政复议 from the two kinds of 行政诉讼.
    labels = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3
    flat = (
        "<table><tr>"
        + "".join(f"<th>{label}</th>" for label in labels)
        + "</tr><tr>"
        + "<td>0</td>" * 15
        + "</tr></table>"
    )
    result = gipreport.read_html(HTML.replace(table, flat))
    assert set(codes(result)) == {"column-unknown", "column-missing"}
    assert result.report.appeals.review.upheld is None


def test_text_rows_with_too_few_or_too_many_values() -> None:
    text = gipreport.render(EXAMPLE, "text")
    assert isinstance(text, str)
    short = text.replace("\t规章\n\t0\n\t0\n\t0\n", "\t规章\n\t0\n\t0\n", 1)
    result = gipreport.read_text(short)
    assert codes(result) == ["missing-cells"]
    assert result.report.cell("proactive.rules.issued") is None
    long = text.replace("\t行政强制\n\t0\n", "\t行政强制\n\t0\n\t5\n", 1)
    result = gipreport.read_text(long)
    assert result.report == EXAMPLE
    assert codes(result) == ["extra-cells"]
    short_row = text.replace("\t2.重复申请\n" + "\t0\n" * 7, "\t2.重复申请\n" + "\t0\n" * 6, 1)
    result = gipreport.read_text(short_row)
    assert codes(result) == ["missing-cells"]
    assert result.report.requests.results.not_processed.duplicate.total is None
