"""Reading what organs publish: web pages with their chrome, headers stated anywhere, the
variants of labels and headings, mixed layouts, and sources that cannot be read.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples
from cli_support import Gip, runner
from gipreport import ParseError, PartialReadError, Report
from gipreport import strategies as gs
from gipreport._reading.header import (
    abbreviates,
    date_in,
    is_chrome,
    metadata_fields,
    preamble_organ,
    title_organ_year,
)
from gipreport._reading.variants import COLUMN_VARIANTS, ROW_VARIANTS, SECTION_VARIANTS

SEED = gipreport.examples.mingan_2023()


def _render(report: Report, fmt: str) -> str:
    out = gipreport.render(report, fmt)
    assert isinstance(out, str)
    return out


def _editable(html: str) -> str:
    """Return gipreport's page as the tests below edit it, by its text.

    Without the ``<wbr>`` between a column header's words and the ``gip-at-N``
    classes placing row labels on a phone: markup a reader passes over, which the
    edits' patterns would otherwise have to spell out.
    """
    return re.sub(r"<wbr>| gip-at-[0-9]+", "", html)


@pytest.fixture
def gip(capsys: pytest.CaptureFixture[str]) -> Gip:
    return runner(capsys)


ORGAN = SEED.organ

# --- a web page around a report, as government sites print one -----------------------------

_CAPTURE = (
    '<div class="meta"><div><strong>标题：</strong>{title}-{short}</div>'
    "<div><strong>单位：</strong>{short}</div>"
    '<div><strong>来源：</strong><a href="http://www.example.gov.cn/a/1.shtml">'
    "http://www.example.gov.cn/a/1.shtml</a></div>"
    "<div><strong>采集时间：</strong>2031-12-30T21:37:37+08:00</div></div>"
)
_SITE_TOP = (
    "<div class='top'>2031年12月30日\t星期二 <h4>繁體版</h4><h4>无障碍</h4></div>"
    "<ul class='nav'><li>首页</li><li>走进本县</li><li>政务公开</li><li>政民互动</li></ul>"
    "<div class='crumbs'>您当前的位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>"
    "<table class='info'><tr><td>名称</td><td colspan='3'>{title}</td></tr>"
    "<tr><td>索引号</td><td>014314799/2024-00002</td><td>分类</td><td>年报</td></tr>"
    "<tr><td>发布机构</td><td>{organ}</td><td>发文日期</td><td>{date}</td></tr>"
    "<tr><td>文号</td><td></td><td>关键词</td><td></td></tr></table>"
)
_UNDER_TITLE = (
    "<div class='extend'><span>来源：{organ}</span> <span>时间：{date} 15:35</span></div>"
    "<div class='share'><a>微信</a> <a>微博</a> <a>QQ空间</a></div>"
    "<div>字号：<a>大</a> <a>中</a> <a>小</a></div>"
    "<ul><li>全真版</li><li>文字版</li></ul>"
)
_BOTTOM = "<div class='tools'><a>【打印本页】</a> <a>【关闭窗口】</a></div><div>上一篇</div>"

PAGE_DATE = dt.date(2031, 3, 10)


def on_a_site(report: Report) -> str:
    """Return ``report`` rendered to HTML as a government site serves it, chrome and all."""
    html = _render(report, "html")
    date = (report.published_on or PAGE_DATE).isoformat()
    title = report.title or report.form.title_for(report.organ, report.year)
    values = {"title": title, "organ": report.organ, "short": report.organ[:4], "date": date}
    top = (_CAPTURE + _SITE_TOP).format(**values)
    html = html.replace("<body>", "<body>" + top, 1)
    html = re.sub(r"(</h1>)", lambda m: m[1] + _UNDER_TITLE.format(**values), html, count=1)
    return html.replace("</article>", "</article>" + _BOTTOM, 1)


@settings(max_examples=examples(40))
@given(report=gs.reports(blanks=True))
def test_a_report_on_a_site_reads_back_as_itself(report: Report) -> None:
    result = gipreport.read(on_a_site(report))
    # A page states the date it was posted: a report without a date of issue
    # under its signature takes it, with a note.
    expected = report if report.published_on else attrs.evolve(report, published_on=PAGE_DATE)
    assert result.report == expected
    codes = {note.code for note in result.notes}
    assert codes <= {"blank-cell", "signature-missing", "extra-text", "date-inferred"}
    assert ("date-inferred" in codes) == (report.published_on is None)
    chrome = {note.text for note in result.notes_for("extra-text")}
    assert {"微信 微博 QQ空间", "首页", "【打印本页】 【关闭窗口】"} <= chrome
    assert result.errors == ()


def test_the_seed_on_a_site_reads_exactly() -> None:
    result = gipreport.read(on_a_site(SEED))
    assert result.report == SEED
    assert not any("采集时间" in note.text and note.path for note in result.notes)


# --- the header: metadata lines, chrome, titles, the preamble -------------------------------


def test_metadata_lines() -> None:
    fields = metadata_fields("来源：某某局 时间：2025-03-10 15:35")
    assert [(f.key, f.value, f.gives) for f in fields] == [
        ("来源", "某某局", "organ"),
        ("时间", "2025-03-10 15:35", "posted"),
    ]
    assert metadata_fields("发文日期: 2024-01-17")[0].gives == "issued"
    assert metadata_fields("采集时间：2025-12-30T21:37:37+08:00")[0].gives == ""
    assert metadata_fields("时间：全年，我局认真落实。") == ()  # a sentence, not metadata
    assert metadata_fields("根据《条例》要求，时间：2024年") == ()  # not at the start
    assert metadata_fields("") == ()


@pytest.mark.parametrize(
    "line",
    ["微信 微博 QQ空间", "字号 大 中 小", "首页 > 政务公开 > 年报", "【打印本页】【关闭窗口】",
     "全真版", "您的位置：首页", "==================== 正文 ===================="],
)  # fmt: skip
def test_chrome_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", ["大", "一、总体情况", "2023年，我局认真做好政府信息公开工作。"])
def test_report_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


@pytest.mark.parametrize(
    ("title", "organ", "year"),
    [
        ("某某市教育局2023年政府信息公开工作年度报告", "某某市教育局", 2023),
        ("2024年上海市科委政府信息公开工作年度报告", "上海市科委", 2024),
        ("2024年度某某县人民政府政府信息公开工作年度报告（修订版）", "某某县人民政府", 2024),
        ("某某镇二〇二三年政府信息公开工作年度报告", "某某镇", 2023),
        ("2024 年政府信息公开工作年度报告", None, 2024),
        ("政府信息公开工作年度报告", None, None),
    ],
)
def test_titles_name_organ_and_year(title: str, organ: str | None, year: int | None) -> None:
    assert title_organ_year(title) == (organ, year)


def test_dates_abbreviations_and_preamble_organs() -> None:
    assert date_in("时间：2025-03-10 15:35") == dt.date(2025, 3, 10)
    assert date_in("2024年2月30日") is None
    assert abbreviates("沭阳县发改局", "沭阳县发展和改革局")
    assert not abbreviates("沭阳县发展和改革局", "沭阳县发改局")
    assert preamble_organ("现公布某某区财政局2023年政府信息公开工作年度报告。") == (
        "某某区财政局",
        2023,
    )
    assert preamble_organ("本报告由某某县人民政府办公室编制。") == ("某某县人民政府办公室", None)
    assert preamble_organ("全年主动公开政府信息2023条。") is None


def _text(report: Report = SEED) -> list[str]:
    return _render(report, "text").split("\n")


def _without_header(lines: list[str]) -> list[str]:
    # No title, no signature, and no organ named in the preamble.
    body = lines[1:-3]
    while not body[0]:  # the empty line after the title
        del body[0]
    body[0] = "根据《条例》编制本报告。本报告所列数据统计期限为2023年1月1日至2023年12月31日。"
    return body


def test_a_year_first_title_with_an_abbreviation_takes_the_full_name_from_the_page() -> None:
    lines = _without_header(_text())
    page = "\n".join(
        ["发布机构：上海市科学技术委员会", "2024年上海市科委政府信息公开工作年度报告", *lines]
    )
    result = gipreport.read(page)
    assert (result.report.organ, result.report.year) == ("上海市科学技术委员会", 2024)
    (note,) = result.notes_for("organ-inferred")
    assert note.text == "发布机构：上海市科学技术委员会"
    assert note.where.line == 1


def test_a_title_over_two_lines() -> None:
    lines = _without_header(_text())
    for head in (["某某县人民政府", "2023年政府信息公开工作年度报告"],
                 ["某某县人民政府2023年政府信息公开", "工作年度报告"]):  # fmt: skip
        result = gipreport.read("\n".join([*head, *lines]))
        assert (result.report.organ, result.report.year) == ("某某县人民政府", 2023)
        assert result.report.title is None  # the standard title, joined


def test_a_preamble_line_naming_the_report_is_not_its_title() -> None:
    lines = _text()
    lines[1:1] = ["现将乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告公布如下"]
    result = gipreport.read("\n".join(lines))
    assert result.report.title is None  # the standard title, the first line
    assert result.report.preamble[0] == lines[1]
    assert not result.notes_for("extra-text")


def test_the_preamble_names_the_organ_and_year() -> None:
    lines = _without_header(_text())
    lines[0] = "现将某某县人民政府2022年政府信息公开工作年度报告公布如下。"
    result = gipreport.read("\n".join(lines))
    assert (result.report.organ, result.report.year) == ("某某县人民政府", 2022)
    assert {n.code for n in result.notes} >= {"organ-inferred", "year-inferred"}
    assert all(n.where.line == 1 for n in result.notes if n.code.endswith("inferred"))


def test_the_date_of_issue_of_a_page_is_its_own_only_without_a_signature_date() -> None:
    lines = _text()
    with_meta = ["发布时间：2025-03-10 15:35", "发文日期：2024-02-01", *lines]
    assert gipreport.read("\n".join(with_meta)).report.published_on == SEED.published_on
    undated = [*with_meta[:-3], ""]  # no signature: the page's 发文日期 (date of issue) counts
    undated[-1:] = [SEED.organ]
    result = gipreport.read("\n".join([*with_meta[:2], *lines[:-3]]))
    assert result.report.published_on == dt.date(2024, 2, 1)
    (note,) = result.notes_for("date-inferred")
    assert note.text == "发文日期：2024-02-01"
    posted = gipreport.read("\n".join([with_meta[0], *lines[:-3]]))
    assert posted.report.published_on == dt.date(2025, 3, 10)
    captured = gipreport.read("\n".join(["采集时间：2025-12-30T21:37:37+08:00", *lines[:-3]]))
    assert captured.report.published_on is None


# --- a partial reading: organ or year missing -------------------------------------------------


def test_a_source_without_organ_keeps_its_tables_and_names_what_is_missing() -> None:
    text = "\n".join(_without_header(_text()))
    with pytest.raises(PartialReadError, match="no organ found") as raised:
        gipreport.read(text)
    error = raised.value
    assert isinstance(error, ParseError)
    assert error.missing == ("organ",)
    assert error.partial.year == SEED.year
    assert error.partial.values == SEED.values()
    completed = error.partial.complete(organ=ORGAN)
    assert completed.report.values() == SEED.values()
    assert completed.report.organ == ORGAN
    assert completed.notes_for("organ-given")
    given = gipreport.read(text, organ=ORGAN)
    assert given.report == completed.report
    assert {n.code for n in given.notes} == {n.code for n in completed.notes}
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.missing, str(again)) == (PartialReadError, ("organ",), str(error))
    with pytest.raises(ValueError, match="give it"):
        error.partial.complete()
    with pytest.raises(ValueError, match="states it already"):
        error.partial.complete(organ=ORGAN, year=2023)


def test_a_source_without_organ_or_year() -> None:
    lines = _without_header(_text())
    lines[0] = "根据《条例》编制本报告。"
    with pytest.raises(PartialReadError) as raised:
        gipreport.read("\n".join(lines))
    assert raised.value.missing == ("organ", "year")
    assert "give organ=… and year=…" in str(raised.value)
    report = gipreport.read("\n".join(lines), organ=ORGAN, year=2023).report
    assert (report.organ, report.year) == (ORGAN, 2023)


def test_a_given_organ_and_year_replace_what_the_source_states_with_a_note() -> None:
    result = gipreport.read(_render(SEED, "text"), organ="某某县人民政府", year=2022)
    assert (result.report.organ, result.report.year) == ("某某县人民政府", 2022)
    assert result.notes_for("organ-differs")[0].text == ORGAN
    assert result.notes_for("year-differs")
    with pytest.raises(ValueError, match="organ"):
        gipreport.read("x", organ=" ")
    with pytest.raises(ValueError, match="year"):
        gipreport.read("x", year="2023")  # type: ignore[arg-type]


def test_the_cli_names_the_option_that_gives_what_is_missing(tmp_path: Path, gip: Gip) -> None:
    path = tmp_path / "no-organ.txt"
    path.write_text("\n".join(_without_header(_text())), encoding="utf-8")
    run = gip("check", path)
    assert run.status == 2
    assert "give it with --organ ORGAN" in run.err
    run = gip("check", path, "--organ", ORGAN)
    assert run.status == 0, run.err
    assert f"{ORGAN} 2023年" in run.out
    target = tmp_path / "out.json"
    run = gip("convert", path, "--organ", ORGAN, "-o", target)
    assert run.status == 0, run.err
    assert gipreport.load_json(target.read_bytes()).organ == ORGAN
    run = gip("export", path, "--organ", ORGAN, "--year", "2023", "--csv", "-")
    assert run.status == 0, run.err
    assert ORGAN in run.out


# --- variants of labels and headings ------------------------------------------------------


def test_variants_are_data_and_each_variant_is_named_in_a_note() -> None:
    assert "规范性文件" in ROW_VARIANTS["proactive.normative_documents"]
    assert "存在的主要问题及整改措施" in SECTION_VARIANTS["problems"]
    assert "维持" in COLUMN_VARIANTS["结果维持"]
    html = _editable(_render(SEED, "html"))
    html = html.replace(">行政规范性文件<", ">规范性文件<", 1)
    html = html.replace(">五、存在的主要问题及改进情况<", ">五、存在的主要问题及整改措施<", 1)
    html = html.replace(">结果维持<", ">维持<")
    result = gipreport.read(html)
    assert result.report == SEED
    variants = [n.text for n in result.notes_for("label-variant")]
    assert variants[0] == "五、存在的主要问题及整改措施"
    assert variants[1] == "规范性文件"
    assert variants[2:] == [
        "行政复议 / 维持",
        "行政诉讼 / 未经复议直接起诉 / 维持",
        "行政诉讼 / 复议后起诉 / 维持",
    ]


def test_a_section_heading_worded_otherwise_is_found_by_its_words_where_numbered() -> None:
    text = _render(SEED, "text").replace(
        "五、存在的主要问题及改进情况", "五、工作中存在的问题和下一步打算"
    )
    result = gipreport.read(text)
    assert result.report == SEED
    assert [n.path for n in result.notes_for("label-variant")] == ["problems"]
    # Unnumbered, or numbered as another section, the same words head no section.
    other = _render(SEED, "text").replace(
        "五、存在的主要问题及改进情况", "四、工作中存在的问题和下一步打算"
    )
    assert gipreport.read(other).notes_for("section-missing")


def test_label_and_values_on_one_line() -> None:
    lines = _text()
    start = lines.index("二、主动公开政府信息情况") + 1
    end = lines.index("三、收到和处理政府信息公开申请情况")
    rows = [
        "规章 1 0 5",
        "规范性文件 2 0 9",
        "行政许可 97",
        "行政处罚 3",
        "行政强制 0",
        "行政事业性收费 1.5",
    ]
    result = gipreport.read("\n".join([*lines[:start], *rows, *lines[end:]]))
    proactive = result.report.proactive
    assert isinstance(proactive, gipreport.Proactive)  # the 2021 tables
    assert (proactive.rules.issued, proactive.rules.in_force) == (1, 5)
    assert proactive.normative_documents.in_force == 9
    assert proactive.licensing.decisions == 97
    assert str(proactive.fees.amount) == "1.5"
    assert [n.text for n in result.notes_for("label-value")] == rows
    assert result.notes_for("label-value")[2].where.line == start + 3


# --- mixed layouts ---------------------------------------------------------------------------


def _one_row_six(html: str, values: tuple[int, ...]) -> str:
    start = html.index('<tr><th class="gip-row-header" scope="row" rowspan="3">（六）其他处理')
    end = html.index("<tr>", html.index("3.其他", start))
    row = '<tr><th colspan="2">（六）其他处理</th>' + "".join(f"<td>{v}</td>" for v in values)
    return _rows_of_results(html[:start] + row + "</tr>" + html[end:], -2)


def _rows_of_results(html: str, change: int) -> str:
    """Return ``html`` with the rowspan of 三、本年度办理结果 changed by ``change`` rows."""
    match = re.search(r'rowspan="(\d+)">三、本年度办理结果', html)
    assert match is not None
    return html[: match.start(1)] + str(int(match[1]) + change) + html[match.end(1) :]


def test_a_one_row_six_stays_blank_with_a_note_carrying_its_values() -> None:
    result = gipreport.read(_one_row_six(_editable(_render(SEED, "html")), (1, 0, 0, 0, 0, 0, 1)))
    other = result.report.requests.results.other
    assert isinstance(other, gipreport.OtherResults)  # the 2021 tables
    for row in (other.no_correction, other.unpaid_fee, other.other):
        assert set(attrs.asdict(row).values()) == {None}
    (note,) = result.notes_for("rows-merged")
    assert note.path == "requests.results.other"
    assert "1 / 0 / 0 / 0 / 0 / 0 / 1" in note.message
    assert note.text.endswith("（六）其他处理 / 1 / 0 / 0 / 0 / 0 / 0 / 1")
    assert note.where.table == 1
    assert note.where.row is not None
    assert result.report.requests.results.total == SEED.requests.results.total


def test_a_one_row_six_in_a_text_table() -> None:
    lines = _text()
    row = ["\t", "\t（六）其他处理", *(f"\t{v}" for v in "2000002"), ""]
    start = lines.index("\t（六）其他处理") - 1  # the row starts with the 三、 slot
    end = lines.index("\t（七）总计") - 1
    result = gipreport.read("\n".join([*lines[:start], *row, *lines[end:]]))
    assert result.notes_for("rows-merged"), [str(n) for n in result.notes]
    assert result.report.cell("requests.results.other.other.total") is None


def test_a_subtotal_row_beside_its_rows_is_not_a_merged_row() -> None:
    html = _editable(_render(SEED, "html"))
    row = '<tr><th colspan="2">（六）其他处理</th>' + "<td>0</td>" * 7 + "</tr>"
    at = html.index('<tr><th class="gip-row-header" scope="row" colspan="2">（七）总计')
    result = gipreport.read(_rows_of_results(html[:at] + row + html[at:], 1))
    assert not result.notes_for("rows-merged")
    assert [n.code for n in result.notes] == ["row-unknown"]
    assert "subtotal" in result.notes[0].message
    assert result.report == SEED


def test_2019_labels_in_paragraphs_beside_the_2021_tables_are_extra_text() -> None:
    # The source's tables are the 2021 format's (本年制发件数 …): lines naming the
    # 2019 labels are paragraphs that do not belong in a table's section, each noted.
    # (Without the 2021 tables they are refused: tests/test_reliability.py.)
    lines = _text()
    at = lines.index("二、主动公开政府信息情况") + 1
    lines[at:at] = ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "规章", "0"]
    result = gipreport.read("\n".join(lines))
    assert result.report == SEED
    assert [(note.code, note.text) for note in result.notes] == [
        ("extra-text", text) for text in lines[at : at + 6]
    ]
    assert result.notes[0].where.line == at + 1


# --- no silent success -------------------------------------------------------------------------


def test_cells_run_together_are_refused_saying_so() -> None:
    text = "\n".join(
        [
            "某某县人民政府2023年政府信息公开工作年度报告",
            "一、总体情况 全年公开信息100条。二、主动公开政府信息情况第二十条第（一）项信息内容"
            "本年制发件数本年废止件数现行有效件数规章000行政规范性文件6233440第二十条第（五）项"
            "信息内容本年处理决定数量行政许可4529第二十条第（六）项行政处罚1100行政强制65",
        ]
    )
    with pytest.raises(ParseError, match="ran together") as raised:
        gipreport.read(text)
    assert "规章000行政规范性文件" in str(raised.value)
    assert raised.value.where == "paragraph 2, line 2"


def test_prose_with_counts_is_not_cells_run_together() -> None:
    text = _render(SEED, "text").replace(
        "一、总体情况\n",
        "一、总体情况\n全年行政许可4529件，行政处罚1100件，行政强制65件，规章0件。\n",
    )
    assert gipreport.read(text).report.organ == ORGAN


def test_a_table_not_found_is_an_error_note_and_check_fails_it(tmp_path: Path, gip: Gip) -> None:
    lines = _text()
    start = lines.index("四、政府信息公开行政复议、行政诉讼情况") + 1
    end = lines.index("五、存在的主要问题及改进情况")
    text = "\n".join([*lines[:start], *lines[end:]])
    result = gipreport.read(text)
    (error,) = result.errors
    assert (error.code, error.severity, error.path) == ("table-missing", "error", "appeals")
    assert error.where.line == start  # the section's heading, where the table should be
    assert error.text == "四、政府信息公开行政复议、行政诉讼情况"
    assert "error: table-missing" in str(error)
    path = tmp_path / "no-table-4.txt"
    path.write_text(text, encoding="utf-8")
    run = gip("check", path)
    assert run.status == 1
    assert "tables.missing" in run.out
    assert "error: table-missing" in run.out


def test_a_table_found_with_no_row_read_is_an_error_note() -> None:
    lines = _text()
    start = lines.index("四、政府信息公开行政复议、行政诉讼情况") + 1
    end = lines.index("五、存在的主要问题及改进情况")
    # A table 4 of labels only: recognised, but no row of values.
    table = ["\t行政复议", "\t行政诉讼", "", "\t结果维持", "\t结果纠正", "", ""]
    result = gipreport.read("\n".join([*lines[:start], *table, *lines[end:]]))
    assert [(n.code, n.path) for n in result.errors] == [("table-unread", "appeals")]
    assert result.errors[0].where.table == 2
    assert not [n for n in result.notes_for("row-missing") if str(n.path).startswith("appeals")]


@given(code=st.sampled_from(sorted(gipreport.NOTE_CODES)))
def test_every_note_code_has_a_severity(code: str) -> None:
    assert gipreport.NOTE_SEVERITIES[code] in ("error", "warning", "info")  # type: ignore[index]
