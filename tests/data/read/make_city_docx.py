"""Write ``city_bureau_2022.docx``: a report in another template than gipreport's.

A hand-made fixture for the docx reader, built the way office staff build one in
Word: python-docx's default template, 宋体/黑体 instead of the official-document
fonts, headings as bold paragraphs (no heading styles), the tables merged by
hand, labels broken by line breaks, an extra empty row in table 3, a "—" for a
blank cell and a thousands separator. Run it to rebuild the file (the output is
committed; the tests read it and never run this):

    python tests/data/read/make_city_docx.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

OUT = Path(__file__).with_name("city_bureau_2022.docx")
ZEROS = ["0"] * 7


def _fonts(paragraph: Paragraph, east_asia: str, *, bold: bool = False) -> None:
    for run in paragraph.runs:
        run.bold = bold
        run.font.name = "Times New Roman"
        run.font.size = Pt(12)
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _para(document: object, text: str, *, bold: bool = False, right: bool = False) -> None:
    paragraph = document.add_paragraph(text)  # type: ignore[attr-defined]
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _fonts(paragraph, "黑体" if bold else "宋体", bold=bold)


def _set(table: Table, row: int, column: int, text: str) -> None:
    cell = table.cell(row, column)
    lines = text.split("\n")
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run = paragraph.add_run(line)
    _fonts(paragraph, "宋体")


def _proactive(document: object) -> None:
    table = document.add_table(rows=14, cols=4)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    blocks = [
        (0, "第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
        (4, "第二十条第（五）项", ["信息内容", "本年处理决定数量"]),
        (7, "第二十条第（六）项", ["信息内容", "本年处理决定数量"]),
        (11, "第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"]),
    ]
    for start, title, header in blocks:
        table.cell(start, 0).merge(table.cell(start, 3))
        _set(table, start, 0, title)
        if len(header) == 2:
            table.cell(start + 1, 1).merge(table.cell(start + 1, 3))
        for column, text in enumerate(header):
            _set(table, start + 1, column, text)
    rows = {
        2: ("规章", ["0", "0", "2"]),
        3: ("行政规范性文件", ["5", "1", "23"]),
        6: ("行政许可", ["1,024"]),
        9: ("行政处罚", ["312"]),
        10: ("行政强制", ["—"]),
        13: ("行政事业性收费", ["36.4800"]),
    }
    for row, (label, values) in rows.items():
        _set(table, row, 0, label)
        if len(values) == 1:
            table.cell(row, 1).merge(table.cell(row, 3))
        for column, value in enumerate(values, start=1):
            _set(table, row, column, value)


_REQUEST_ROWS: list[tuple[str, str, str, list[str]]] = [
    # (group over three columns, group over two columns, row label, values)
    ("一、本年新收政府信息公开\n申请数量", "", "", ["20", "4", "1", "0", "2", "1", "28"]),
    ("二、上年结转政府信息公开\n申请数量", "", "", ["2", "0", "0", "0", "0", "0", "2"]),
    ("三、本年度\n办理结果", "（一）予以公开", "", ["9", "2", "1", "0", "1", "0", "13"]),
    (
        "",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "",
        ["3", "1", "0", "0", "0", "0", "4"],
    ),
    ("", "（三）不予公开", "1.属于国家秘密", ZEROS),
    ("", "", "2.其他法律行政法规禁止公开", ZEROS),
    ("", "", "3.危及“三安全一稳定”", ZEROS),
    ("", "", "4.保护第三方合法权益", ["1", "0", "0", "0", "0", "0", "1"]),
    ("", "", "5.属于三类内部事务信息", ZEROS),
    ("", "", "6.属于四类过程性信息", ["1", "0", "0", "0", "0", "0", "1"]),
    ("", "", "7.属于行政执法案卷", ZEROS),
    ("", "", "8.属于行政查询事项", ZEROS),
    ("", "（四）无法提供", "1.本机关不掌握相关政府信息", ["5", "1", "0", "0", "1", "1", "8"]),
    ("", "", "2.没有现成信息需要另行制作", ZEROS),
    ("", "", "3.补正后申请内容仍不明确", ZEROS),
    ("", "（五）不予处理", "1.信访举报投诉类申请", ["1", "0", "0", "0", "0", "0", "1"]),
    ("", "", "2.重复申请", ZEROS),
    ("", "", "3.要求提供公开出版物", ZEROS),
    ("", "", "4.无正当理由大量反复申请", ZEROS),
    ("", "", "5.要求行政机关确认或重新出具已获取信息", ZEROS),
    (
        "",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ZEROS,
    ),
    ("", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ZEROS),
    ("", "", "3.其他", ZEROS),
    ("", "（七）总计", "", ["20", "4", "1", "0", "2", "1", "28"]),
    ("四、结转下年度继续办理", "", "", ["2", "0", "0", "0", "0", "0", "2"]),
]


def _requests(document: object) -> None:
    rows = 3 + len(_REQUEST_ROWS) + 1  # the header, the rows, one empty row left over
    table = document.add_table(rows=rows, cols=10)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(2, 2))
    _set(table, 0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    table.cell(0, 3).merge(table.cell(0, 9))
    _set(table, 0, 3, "申请人情况")
    table.cell(1, 3).merge(table.cell(2, 3))
    _set(table, 1, 3, "自然\n人")
    table.cell(1, 4).merge(table.cell(1, 8))
    _set(table, 1, 4, "法人或其他组织")
    table.cell(1, 9).merge(table.cell(2, 9))
    _set(table, 1, 9, "总计")
    for column, text in enumerate(
        ["商业\n企业", "科研\n机构", "社会公\n益组织", "法律服\n务机构", "其他"]
    ):
        _set(table, 2, 4 + column, text)
    # The group labels span their rows; a label without a group spans the label columns.
    first = 3
    _set(table, first + 2, 0, _REQUEST_ROWS[2][0])
    table.cell(first + 2, 0).merge(table.cell(first + 23, 0))
    for offset, (top, group, label, values) in enumerate(_REQUEST_ROWS):
        row = first + offset
        if top and offset != 2:
            table.cell(row, 0).merge(table.cell(row, 2))
            _set(table, row, 0, top)
        elif group and not label:
            table.cell(row, 1).merge(table.cell(row, 2))
            _set(table, row, 1, group)
        elif label:
            _set(table, row, 2, label)
        for column, value in enumerate(values, start=3):
            _set(table, row, column, value)
    spans = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    for offset, (_top, group, label, _values) in enumerate(_REQUEST_ROWS):
        if group in spans and label:
            row = first + offset
            _set(table, row, 1, group)
            table.cell(row, 1).merge(table.cell(row + spans[group] - 1, 1))


def _appeals(document: object) -> None:
    table = document.add_table(rows=4, cols=15)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(0, 4))
    _set(table, 0, 0, "行政复议")
    table.cell(0, 5).merge(table.cell(0, 14))
    _set(table, 0, 5, "行政诉讼")
    outcomes = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
    for column, text in enumerate(outcomes):
        table.cell(1, column).merge(table.cell(2, column))
        _set(table, 1, column, text)
    table.cell(1, 5).merge(table.cell(1, 9))
    _set(table, 1, 5, "未经复议\n直接起诉")
    table.cell(1, 10).merge(table.cell(1, 14))
    _set(table, 1, 10, "复议后\n起诉")
    for column, text in enumerate(outcomes * 2, start=5):
        _set(table, 2, column, text)
    values = ["1", "1", "0", "0", "2", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]
    for column, value in enumerate(values):
        _set(table, 3, column, value)


def main() -> None:
    """Build the document and write it next to this script."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    title = document.add_paragraph("某某市生态环境局2022年度政府信息公开工作年度报告")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(title, "方正小标宋简体", bold=True)
    _para(
        document,
        "本报告根据《中华人民共和国政府信息公开条例》要求编制。本年度报告中所列数据的"
        "统计期限自2022年1月1日起至2022年12月31日止。",
    )
    _para(document, "一、总体情况", bold=True)
    _para(document, "2022年，市生态环境局坚持以公开为常态、不公开为例外。")
    _para(document, "（一）主动公开", bold=True)
    _para(document, "全年通过门户网站主动公开信息1,024条。")
    _para(document, "（二）依申请公开", bold=True)
    _para(document, "全年收到申请28件，均在法定期限内答复。")
    _para(document, "二、主动公开政府信息情况", bold=True)
    _proactive(document)
    _para(document, "三、收到和处理政府信息公开申请情况", bold=True)
    _requests(document)
    _para(document, "四、政府信息公开行政复议、行政诉讼情况", bold=True)
    _appeals(document)
    _para(document, "五、存在的主要问题及改进情况", bold=True)
    _para(document, "主要问题是政策解读的形式不够丰富。")
    _para(document, "六、其他需要报告的事项", bold=True)
    _para(document, "本年度未收取信息处理费。")
    _para(document, "某某市生态环境局", right=True)
    _para(document, "2023年1月20日", right=True)
    properties = document.core_properties
    properties.author = "某某市生态环境局"
    properties.created = properties.modified = dt.datetime(2023, 1, 20, tzinfo=dt.UTC)
    properties.last_modified_by = "某某市生态环境局"
    properties.revision = 1
    document.save(str(OUT))


if __name__ == "__main__":
    main()
