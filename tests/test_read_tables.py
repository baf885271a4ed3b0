"""Reading tables laid out otherwise than the form: other templates, split tables, repeats."""

from __future__ import annotations

import re

import gipreport
from gipreport import ParseResult
from gipreport._html import render_html

EXAMPLE = gipreport.examples.mingan_2023()
HTML = render_html(EXAMPLE)


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
