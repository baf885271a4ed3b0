"""Reading plain text: the seed report, gipreport's own text, and text as it is in the wild."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import gipreport
from gipreport import ParseError, ParseResult, TextOptions, read, read_text
from gipreport._reading.numbering import heading_number
from gipreport._rendering.to_text import render_text
from gipreport.layout import Covered, layout, subsection_number

SEED = Path(__file__).parent / "data" / "mingan_2023_seed.txt"
EXAMPLE = gipreport.examples.mingan_2023()
# In the seed's own sub-heading style, （1） 主动公开情况, which the tests below vary.
TEXT = render_text(EXAMPLE, TextOptions(subheading_style="arabic-spaced"))


def codes(result: ParseResult) -> list[str]:
    return [note.code for note in result.notes]


def test_the_seed_reads_as_the_bundled_example() -> None:
    # The public report the project is built from (shared/seed/000_fa91a11b534f0ea9.txt,
    # copied unchanged), as text from its docx.
    result = read_text(SEED)
    assert result.report == EXAMPLE
    assert result.format == "text"
    # The only odd thing in it: a bookmark marker text extraction left in a heading.
    (note,) = result.notes
    assert note.code == "artefact"
    assert note.where.line == 11
    assert note.text == "（4） [bookmark: _GoBack]政府信息公开平台建设情况"


def test_gipreport_text_reads_back_with_no_notes() -> None:
    result = read_text(TEXT)
    assert result.report == EXAMPLE
    assert result.notes == ()
    assert result.ok


def test_crlf_bytes_and_paths_read_the_same(tmp_path: Path) -> None:
    crlf = render_text(EXAMPLE, TextOptions(newline="\r\n"))
    assert read_text(crlf).report == EXAMPLE
    assert read_text(crlf.encode()).report == EXAMPLE
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert read(path).report == EXAMPLE
    assert read(TEXT).format == "text"


def test_gb18030_is_decoded_with_a_note() -> None:
    result = read_text(TEXT.encode("gb18030"))
    assert result.report == EXAMPLE
    assert codes(result) == ["encoding"]


def test_utf8_bom_is_accepted() -> None:
    assert read_text(b"\xef\xbb\xbf" + TEXT.encode()).notes == ()


def _cell_line(text: str, label: str, offset: int) -> int:
    """Return the index of the line ``offset`` lines after the row label ``label``."""
    lines = text.split("\n")
    return lines.index("\t" + label) + offset


def _replace_line(text: str, index: int, new: str) -> str:
    lines = text.split("\n")
    lines[index] = new
    return "\n".join(lines)


@pytest.mark.parametrize("blank", ["", "/", "／", "—", "-", "－", "无", "\u00a0", "——"])
def test_blank_marks_are_blank_never_zero(blank: str) -> None:
    index = _cell_line(TEXT, "规章", 2)  # 本年废止件数 of 规章
    result = read_text(_replace_line(TEXT, index, "\t" + blank))
    assert result.report.cell("proactive.rules.repealed") is None
    (note,) = result.notes
    assert note.code == "blank-cell"
    assert note.path == "proactive.rules.repealed"
    assert note.where.line == index + 1
    assert note.where.table == 0


@pytest.mark.parametrize(
    ("written", "value", "notes"),
    [
        ("1,234", 1234, []),
        ("1，234", 1234, []),
        ("１２", 12, []),
        ("7件", 7, ["unit"]),
        ("12.5", None, ["not-a-number"]),
        ("3.0", None, ["not-a-number"]),
        ("十二", None, ["not-a-number"]),
        ("-3", None, ["not-a-number"]),
    ],
)
def test_counts_are_read_exactly_or_not_at_all(
    written: str, value: int | None, notes: list[str]
) -> None:
    index = _cell_line(TEXT, "行政许可", 1)
    result = read_text(_replace_line(TEXT, index, "\t" + written))
    assert result.report.proactive.licensing.decisions == value
    assert codes(result) == notes


@pytest.mark.parametrize(
    ("written", "amount", "notes"),
    [
        ("18.8710", Decimal("18.8710"), []),
        ("4,068.208", Decimal("4068.208"), []),
        ("18.8710万元", Decimal("18.8710"), ["unit"]),
        ("188710元", Decimal("18.8710"), ["unit"]),
        ("0.5元", Decimal("0.00005"), ["unit"]),
        ("十万", None, ["not-a-number"]),
        ("1e3", None, ["not-a-number"]),
    ],
)
def test_the_fee_keeps_its_digits(written: str, amount: Decimal | None, notes: list[str]) -> None:
    index = _cell_line(TEXT, "行政事业性收费", 1)
    result = read_text(_replace_line(TEXT, index, "\t" + written))
    fee = result.report.cell("proactive.fees.amount")
    assert fee == amount
    if amount is not None:
        assert str(fee) == str(amount)  # the same digits, not only the same number
    assert codes(result) == notes


def test_a_fee_column_headed_in_yuan_is_read_in_wan_yuan() -> None:
    text = TEXT.replace("本年收费金额（单位：万元）", "本年收费金额（单位：元）")
    index = _cell_line(text, "行政事业性收费", 1)
    result = read_text(_replace_line(text, index, "\t12345"))
    assert result.report.cell("proactive.fees.amount") == Decimal("1.2345")
    assert codes(result) == ["unit"]


@pytest.mark.parametrize(
    ("printed", "official"),
    [
        ("商业\n企业", "商业企业"),
        ("自 然 人", "自然人"),
        ("(一)予以公开", "（一）予以公开"),
        ("（二）部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        (
            "1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        ('3.危及"三安全一稳定"', "3.危及“三安全一稳定”"),
        ("本年制發件數", "本年制发件数"),
        ("1、属于国家秘密", "1.属于国家秘密"),
    ],
)
def test_labels_are_matched_through_print_variants(printed: str, official: str) -> None:
    text = TEXT.replace("\t" + official + "\n", "\t" + printed + "\n", 1)
    assert text != TEXT
    result = read_text(text)
    assert result.report == EXAMPLE
    assert result.notes == ()


def test_a_label_without_its_numbering_is_read_with_a_note() -> None:
    text = TEXT.replace("\t1.属于国家秘密\n", "\t属于国家秘密\n")
    result = read_text(text)
    assert result.report == EXAMPLE
    (note,) = result.notes
    assert note.code == "label-variant"
    assert note.path == "requests.results.withheld.state_secret"


def test_values_land_in_their_rows_by_label() -> None:
    changed = EXAMPLE.with_cells(
        {
            "requests.results.withheld.state_secret.natural_person": 3,
            "requests.results.other.other.total": 5,
            "appeals.litigation_after_review.pending": 2,
            "proactive.normative_documents.in_force": 517645,
        }
    )
    assert read_text(render_text(changed)).report == changed


def test_an_unknown_row_and_a_missing_row_are_noted() -> None:
    text = TEXT.replace("\t8.属于行政查询事项\n", "\t8.属于别的什么\n")
    result = read_text(text)
    assert codes(result) == ["row-unknown", "row-missing"]
    assert result.notes[1].path == "requests.results.withheld.administrative_query"
    assert result.report.requests.results.withheld.administrative_query.total is None
    assert result.report.requests.results.withheld.administrative_query.natural_person is None


def test_a_missing_section_and_table_are_noted() -> None:
    start = TEXT.index("四、政府信息公开行政复议")
    end = TEXT.index("五、存在的主要问题")
    result = read_text(TEXT[:start] + TEXT[end:])
    assert codes(result) == ["section-missing", "table-missing"]
    assert result.report.appeals.review.total is None


def test_subsection_headings_in_other_numbering_styles() -> None:
    for number in ("（一）", "(一)", "一、", "1、", "1."):
        text = TEXT.replace("（1） 主动公开情况", f"{number}主动公开情况")
        text = text.replace(
            "（2） 依申请公开情况", number.replace("一", "二").replace("1", "2") + "依申请公开情况"
        )
        text = text.replace("（3） ", "（3）").replace("（4） ", "（4）").replace("（5） ", "（5）")
        if number not in ("（一）", "(一)"):
            # Only the first two change style: the rest no longer follow on.
            result = read_text(text)
            headings = [s.heading for s in result.report.overview.subsections]
            assert headings[:2] == ["主动公开情况", "依申请公开情况"]
            continue
        result = read_text(text)
        assert [s.heading for s in result.report.overview.subsections][:2] == [
            "主动公开情况",
            "依申请公开情况",
        ]


def test_a_numbered_sentence_is_a_paragraph_not_a_heading() -> None:
    text = TEXT.replace(
        "2023年共办理依申请公开0件。", "（一）本年共办理依申请公开0件，均已按时答复。"
    )
    result = read_text(text)
    assert result.report.overview.subsections[1].paragraphs == (
        "（一）本年共办理依申请公开0件，均已按时答复。",
    )


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("2024年1月10日", dt.date(2024, 1, 10)),
        ("2024年01月10日", dt.date(2024, 1, 10)),
        ("二〇二四年一月十日", dt.date(2024, 1, 10)),
        ("2024-01-10", dt.date(2024, 1, 10)),
        ("2024.1.10", dt.date(2024, 1, 10)),
    ],
)
def test_dates_of_issue(written: str, date: dt.date) -> None:
    result = read_text(TEXT.replace("2024年1月10日", written))
    assert result.report.published_on == date
    assert result.notes == ()


def test_an_impossible_date_is_noted_and_left_out() -> None:
    result = read_text(TEXT.replace("2024年1月10日", "2024年2月30日"))
    assert result.report.published_on is None
    assert "date-unreadable" in codes(result)


def test_a_title_on_two_lines() -> None:
    title = "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"
    result = read_text(
        TEXT.replace(title, "乌拉特前旗明安镇人民政府\n2023年政府信息公开工作年度报告", 1)
    )
    assert result.report == EXAMPLE


def test_a_title_of_its_own_is_kept() -> None:
    title = "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"
    result = read_text(TEXT.replace(title, title + "（修订版）", 1))
    assert result.report.title == title + "（修订版）"
    assert result.report.year == 2023


def test_a_report_in_the_2019_tables_reads_as_format_2019() -> None:
    # A 2023 report in the 2019 tables: read as format 2019, its year kept (the
    # checks flag it); the 2021 columns it does not have are not invented.
    text = TEXT.replace("\t本年制发件数\n", "\t本年新制作数量\n").replace(
        "\t本年废止件数\n", "\t本年新公开数量\n"
    )
    result = read_text(text)
    assert (result.report.format, result.report.year) == ("2019", 2023)
    assert result.report.cell("proactive.rules.made") == 0
    unknown = {n.text for n in result.notes if n.code == "column-unknown"}
    assert "现行有效件数" in unknown
    missing = {n.path for n in result.notes if n.code == "row-missing"}
    assert {
        "proactive.other_services",
        "proactive.procurement",
        "requests.results.other",
    } <= missing
    # The three 2021 rows of （六） are not read into the one 2019 row.
    assert result.report.requests.results.other == gipreport.Columns()
    assert "report.format" in {f.rule for f in gipreport.check(result.report).errors}


@pytest.mark.parametrize("text", ["", "hello", "一、总体情况", "\t\t\n\n\t"])
def test_text_that_is_no_report_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        read_text(text)


def test_a_table_without_its_section_heading_is_read_without_a_note() -> None:
    result = read_text(TEXT.replace("四、政府信息公开行政复议、行政诉讼情况\n", ""))
    assert result.report == EXAMPLE
    assert result.notes == ()


def _tab_separated(report: gipreport.Report) -> str:
    """Return ``report`` as text with its tables copied as tab-separated rows."""
    doc = layout(report)
    lines = [doc.title, *doc.preamble]
    for section in doc.sections:
        lines.append(section.heading)
        if section.prose is not None:
            lines += section.prose.paragraphs
            for number, heading, paragraphs in section.prose.subsections:
                lines += [f"{number} {heading}", *paragraphs]
        if section.table is not None:
            for row in section.table.grid():
                lines.append("\t".join("" if isinstance(s, Covered) else s.text for s in row))
    lines += [doc.signature_organ, doc.signature_date or ""]
    return "\n".join(lines)


def test_tables_copied_as_tab_separated_rows() -> None:
    report = EXAMPLE.with_cells(
        {
            "requests.results.withheld.third_party_rights.natural_person": 4,
            "requests.results.withheld.third_party_rights.total": 4,
            "appeals.review.pending": 1,
            "proactive.licensing.decisions": 1286,
            "proactive.rules.repealed": None,
        }
    )
    result = read_text(_tab_separated(report))
    assert result.report == report
    assert [(n.code, n.path) for n in result.notes] == [("blank-cell", "proactive.rules.repealed")]


def test_the_organ_and_the_date_in_one_paragraph() -> None:
    for joined in (
        "乌拉特前旗明安镇人民政府    2024年1月10日",
        "乌拉特前旗明安镇人民政府\u3000\u30002024年1月10日",
    ):
        result = read_text(TEXT.replace("乌拉特前旗明安镇人民政府\n2024年1月10日", joined))
        assert result.report == EXAMPLE, joined
        assert result.notes == ()
    # In docx and HTML, the two are often one paragraph with a line break.
    html = gipreport.render(EXAMPLE, "html")
    assert isinstance(html, str)
    start, end = html.index('<footer class="gip-signature">'), html.index("</footer>")
    footer = '<p align="right">乌拉特前旗明安镇人民政府<br>\n2024年1月10日</p>'
    result = gipreport.read_html(html[:start] + footer + html[end:])
    assert result.report == EXAMPLE
    assert result.notes == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（1） 主动公开情况", ("own", 1, "主动公开情况")),
        ("（一）主动公开情况", ("paren-cn", 1, "主动公开情况")),
        ("㈡ 依申请公开情况", ("paren-cn", 2, "依申请公开情况")),  # one character for （二）
        ("(3)政府信息管理", ("paren-digit", 3, "政府信息管理")),
        ("十二、其他", ("dot-cn", 12, "其他")),
        ("4．平台建设", ("dot-digit", 4, "平台建设")),
        ("主要问题：", None),
    ],
)
def test_heading_numbers(text: str, expected: tuple[str, int, str] | None) -> None:
    assert heading_number(text) == expected


def test_a_sub_heading_worded_like_a_section_stays_a_sub_heading() -> None:
    # 总体情况's first sub-heading is often worded as section 二's title.
    text = TEXT.replace("（1） 主动公开情况", "（一）主动公开政府信息情况").replace(
        "（2） 依申请公开情况", "（二）依申请公开情况"
    )
    text = text.replace("（3） ", "（三）").replace("（4） ", "（四）").replace("（5） ", "（五）")
    result = read_text(text)
    headings = [sub.heading for sub in result.report.overview.subsections]
    assert headings[:2] == ["主动公开政府信息情况", "依申请公开情况"]
    assert len(headings) == 5
    assert result.report.proactive == EXAMPLE.proactive
    assert result.notes == ()


def test_2019_changes_are_read_signed_and_a_double_sign_is_a_note() -> None:
    report = gipreport.examples.made_up_2020()
    text = render_text_of(report)
    assert "\t-2\n" in text
    assert "\t+3\n" in text
    assert read_text(text).report == report
    typo = text.replace("\t-2\n", "\t--2\n", 1)
    result = read_text(typo)
    assert result.report.cell("proactive.licensing.change") is None
    (note,) = [n for n in result.notes if n.code == "not-a-number"]
    assert (note.path, note.text) == ("proactive.licensing.change", "--2")


def test_2019_procurement_in_yuan_is_converted_exactly_with_a_note() -> None:
    text = render_text_of(gipreport.examples.made_up_2020()).replace(
        "\t25.1000\n", "\t251000元\n", 1
    )
    result = read_text(text)
    assert result.report.cell("proactive.procurement.amount") == Decimal("25.1000")
    (note,) = [n for n in result.notes if n.code == "unit"]
    assert note.path == "proactive.procurement.amount"
    assert "元" in note.message


def render_text_of(report: gipreport.Report) -> str:
    text = gipreport.render(report, "text")
    assert isinstance(text, str)
    return text


# Sub-heading numbers as real reports print them (tests/data/real: 淮安市 and 平潭 print
# （一）, the 2019 excerpts (一), the markdown of 沭阳县 "(一) "), and the other
# styles gipreport renders.
REAL_NUMBERINGS = [
    "（{cn}）",
    "({cn})",
    "({cn}) ",
    "（{cn}） ",
    "（{n}）",
    "（{n}） ",
    "({n})",
    "{n}.",
    "{n}．",
    "{n}、",
    "{n}. ",
]


@pytest.mark.parametrize("numbering", REAL_NUMBERINGS)
def test_sub_headings_read_in_every_numbering_real_reports_print(numbering: str) -> None:
    text = TEXT
    for index, sub in enumerate(EXAMPLE.overview.subsections):
        printed = numbering.format(cn="一二三四五"[index], n=index + 1)
        text = text.replace(
            subsection_number(index, "arabic-spaced") + sub.heading, printed + sub.heading
        )
    assert "（1） " not in text or numbering.startswith("（{n}） ")
    result = read_text(text)
    assert result.report == EXAMPLE
    assert result.notes == ()


@pytest.mark.parametrize("style", ["chinese", "arabic", "arabic-spaced"])
def test_a_sub_heading_ending_as_a_run_in_one_reads_back_in_a_bracketed_style(style: str) -> None:
    # 平潭 prints "（一）主动公开方面。有序推进……": read, its heading keeps the 。;
    # rendered, the heading is a line of its own, and reads back the same. (Numbered
    # 1、 or 1., such a line is a list item, and stays a paragraph.)
    overview = attrs.evolve(
        EXAMPLE.overview,
        subsections=tuple(
            attrs.evolve(sub, heading=sub.heading + end)
            for sub, end in zip(EXAMPLE.overview.subsections, "。：。:。", strict=True)
        ),
    )
    report = attrs.evolve(EXAMPLE, overview=overview)
    result = read_text(render_text(report, TextOptions(subheading_style=style)))  # type: ignore[arg-type]
    assert result.report == report
