"""The docx renderer: the official form in Word, read back with python-docx, byte for byte."""

from __future__ import annotations

import io
import math
import os
import pickle
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import gipreport
from budget_support import examples
from docx_support import example, long_value_report, maximal_report
from gipreport import BadTextError, DocxOptions, RenderError
from gipreport._rendering.to_docx import DOCX_RENDERER, MEDIA_TYPE, render_docx
from gipreport.layout import Covered, TableLayout, layout
from gipreport.strategies import reports
from golden_support import check_golden

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden" / "mingan_2023.document.xml"
TWIPS_PER_MM = 1440 / 25.4
TYPE_WIDTH_TWIPS = math.floor(156 * TWIPS_PER_MM)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def render(report: gipreport.Report, **options: Any) -> bytes:
    data = gipreport.render(report, "docx", **options)
    assert isinstance(data, bytes)
    return data


def open_docx(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def normalised(data: bytes) -> str:
    """Return ``word/document.xml`` pretty-printed, for a reviewable golden file."""
    root = part(data, "word/document.xml")
    return str(etree.tostring(root, pretty_print=True, encoding="unicode"))


@pytest.fixture(scope="module")
def example_docx() -> bytes:
    return render(example())


@pytest.fixture(scope="module")
def maximal_docx() -> bytes:
    return render(maximal_report())


# --- the renderer and its bytes ---------------------------------------------------------


def test_docx_is_a_registered_binary_format(example_docx: bytes) -> None:
    assert "docx" in gipreport.renderers()
    chosen = gipreport._rendering.registry.renderer("docx")
    assert chosen is DOCX_RENDERER
    assert isinstance(chosen, gipreport.Renderer)
    assert chosen.binary is True
    assert chosen.media_type == MEDIA_TYPE
    assert chosen.options is DocxOptions
    assert example_docx.startswith(b"PK\x03\x04")


def test_same_report_gives_the_same_bytes(example_docx: bytes) -> None:
    assert render(example()) == example_docx
    assert render_docx(example(), DocxOptions()) == example_docx


def test_options_equal_in_value_give_the_same_bytes() -> None:
    by_name = render(example(), title_size="二号", body_size="3号", table_size="五号")
    by_points = render(example(), title_size=22, body_size=16.0, table_size=10.5)
    assert by_name == by_points
    fallbacks = dict(DocxOptions().font_fallbacks)
    assert render(example(), font_fallbacks=fallbacks) == render(example())
    assert DocxOptions(title_size="2号") == DocxOptions(title_size=22)
    assert hash(DocxOptions(margin_top=37)) == hash(DocxOptions())


def test_zip_members_are_fixed(example_docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(example_docx)) as package:
        infos = package.infolist()
        assert package.testzip() is None
    assert [info.filename for info in infos] == [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/app.xml",
        "docProps/core.xml",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/settings.xml",
        "word/fontTable.xml",
        "word/footer1.xml",
        "word/footer2.xml",
    ]
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.compress_type == zipfile.ZIP_DEFLATED


def test_core_properties_are_fixed_by_the_report(example_docx: bytes) -> None:
    core = open_docx(example_docx).core_properties
    report = example()
    assert core.title == report.display_title
    assert core.author == report.organ
    assert core.language == "zh-CN"
    assert core.created is not None
    assert core.created.date() == report.published_on
    assert core.modified == core.created
    undated = render(attrs.evolve(report, published_on=None))
    assert open_docx(undated).core_properties.created is None


def test_golden_document_xml(example_docx: bytes) -> None:
    check_golden(GOLDEN, normalised(example_docx))


# --- tables ---------------------------------------------------------------------------------


def word_grid(tbl: Any) -> list[list[tuple[int, int, str | None, str]]]:
    """Return each row of a ``w:tbl`` as ``(grid column, gridSpan, vMerge, text)`` per cell."""
    rows = []
    for tr in tbl.iterchildren(f"{W}tr"):
        cells = []
        column = 0
        for tc in tr.iterchildren(f"{W}tc"):
            tc_pr = tc.find(f"{W}tcPr")
            span_el = tc_pr.find(f"{W}gridSpan")
            span = int(span_el.get(f"{W}val")) if span_el is not None else 1
            merge_el = tc_pr.find(f"{W}vMerge")
            merge = None if merge_el is None else merge_el.get(f"{W}val", "continue")
            text = "\n".join("".join(p.itertext()) for p in tc.iterchildren(f"{W}p"))
            cells.append((column, span, merge, text))
            column += span
        rows.append(cells)
    return rows


def expected_grid(table: TableLayout) -> list[list[tuple[int, int, str | None, str]]]:
    """The same view of a layout table, as Word must write it."""
    rows = []
    for slots in table.grid():
        cells: list[tuple[int, int, str | None, str]] = []
        for column, slot in enumerate(slots):
            if isinstance(slot, Covered):
                if slot.column == 0:
                    cells.append((column, slot.origin.colspan, "continue", ""))
                continue
            merge = "restart" if slot.rowspan > 1 else None
            cells.append((column, slot.colspan, merge, slot.text))
        rows.append(cells)
    return rows


def flat(text: str) -> str:
    # Header labels may be broken into balanced lines (商业/企业).
    return text.replace("\n", "")


@pytest.mark.parametrize("which", ["example", "maximal"])
def test_tables_have_exactly_the_layout_merges(which: str) -> None:
    report = example() if which == "example" else maximal_report()
    data = render(report)
    tbls = part(data, "word/document.xml").iter(f"{W}tbl")
    for tbl, table in zip(tbls, layout(report).tables, strict=True):
        actual = [[(c, s, m, flat(t)) for c, s, m, t in row] for row in word_grid(tbl)]
        assert actual == expected_grid(table), table.key


def test_python_docx_reads_three_tables_with_the_form_shape(example_docx: bytes) -> None:
    document = open_docx(example_docx)
    assert len(document.tables) == 3
    shapes = [(len(t.rows), len(t.columns)) for t in document.tables]
    assert shapes == [(14, 4), (28, 10), (4, 15)]
    requests = document.tables[1]
    # python-docx resolves gridSpan and vMerge: every slot shows its origin's text.
    for r, slots in enumerate(layout(example()).tables[1].grid()):
        for c, slot in enumerate(slots):
            origin = slot.origin if isinstance(slot, Covered) else slot
            assert flat(requests.cell(r, c).text) == origin.text
    assert requests.cell(0, 0).text.startswith("（本列数据的勾稽关系为")
    assert requests.cell(0, 0)._tc is requests.cell(2, 2)._tc
    assert requests.cell(5, 0).text == "三、本年度办理结果"
    assert requests.cell(26, 0)._tc is requests.cell(5, 0)._tc
    assert requests.cell(0, 3)._tc is requests.cell(0, 9)._tc  # 申请人情况 over 7 columns
    assert requests.cell(1, 4).text == "法人或其他组织"
    assert requests.cell(1, 4)._tc is requests.cell(1, 8)._tc


def test_tables_have_borders_repeated_headers_and_rows_kept_whole(example_docx: bytes) -> None:
    root = part(example_docx, "word/document.xml")
    for tbl, table in zip(root.iter(f"{W}tbl"), layout(example()).tables, strict=True):
        borders = tbl.find(f"{W}tblPr/{W}tblBorders")
        assert borders is not None
        edges = {child.tag.removeprefix(W): child.get(f"{W}val") for child in borders}
        assert edges == dict.fromkeys(
            ("top", "left", "bottom", "right", "insideH", "insideV"), "single"
        )
        assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        for tr, row in zip(tbl.iterchildren(f"{W}tr"), table.rows, strict=True):
            tr_pr = tr.find(f"{W}trPr")
            assert tr_pr.find(f"{W}cantSplit") is not None
            assert (tr_pr.find(f"{W}tblHeader") is not None) == (row.part == "head")
    requests = root.findall(f".//{W}tbl")[1]
    assert sum(tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in requests) == 3


@pytest.mark.parametrize("which", ["example", "maximal"])
def test_no_table_is_wider_than_the_type_area(which: str) -> None:
    data = render(example() if which == "example" else maximal_report())
    for tbl in part(data, "word/document.xml").iter(f"{W}tbl"):
        grid = [int(col.get(f"{W}w")) for col in tbl.find(f"{W}tblGrid")]
        assert sum(grid) <= TYPE_WIDTH_TWIPS
        assert int(tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w")) == sum(grid)
        for tr in tbl.iterchildren(f"{W}tr"):
            widths = [
                int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for tc in tr.iterchildren(f"{W}tc")
            ]
            assert sum(widths) == sum(grid)


def test_six_digit_values_fit_their_columns(maximal_docx: bytes) -> None:
    # A number never wraps: where it would not fit, the table's values shrink.
    root = part(maximal_docx, "word/document.xml")
    table_size = 21  # half points
    sizes = []
    for tbl in root.iter(f"{W}tbl"):
        margins = tbl.find(f"{W}tblPr/{W}tblCellMar")
        padding = sum(int(side.get(f"{W}w")) for side in margins)
        for tc in tbl.iter(f"{W}tc"):
            text = "".join(tc.itertext())
            if not re.fullmatch(r"[0-9.]+", text):
                continue
            size_el = tc.find(f".//{W}r/{W}rPr/{W}sz")
            size = int(size_el.get(f"{W}val")) if size_el is not None else table_size
            room = int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) - padding
            assert len(text) * 0.64 * size * 10 <= room, text
            sizes.append(size)
    assert min(sizes) < table_size  # table 4's fifteen columns needed it


def test_values_keep_the_table_size_when_they_fit(example_docx: bytes) -> None:
    assert part(example_docx, "word/document.xml").find(f".//{W}r/{W}rPr/{W}sz") is None


def value_sizes(data: bytes) -> dict[str, int]:
    """Return the size in half points of each value of table 3, by its text (the table's: 21)."""
    tbl = part(data, "word/document.xml").findall(f".//{W}tbl")[1]
    sizes: dict[str, int] = {}
    for number, tc in enumerate(tbl.iter(f"{W}tc")):
        text = "".join(tc.itertext())
        if re.fullmatch(r"[0-9]+", text):
            size_el = tc.find(f".//{W}r/{W}rPr/{W}sz")
            sizes[f"{number}:{text}"] = int(size_el.get(f"{W}val")) if size_el is not None else 21
    return sizes


def test_one_long_value_shrinks_only_its_own_cell() -> None:
    sizes = value_sizes(render(long_value_report()))
    shrunk = {key: size for key, size in sizes.items() if size != 21}
    assert [key.split(":")[1] for key in shrunk] == ["1234567"]
    assert 10 <= next(iter(shrunk.values())) < 21
    assert len(sizes) == 7 * 25  # every other value of table 3 keeps the table's size


def test_the_grid_gives_every_column_its_width() -> None:
    # WPS lays a fixed table out by w:tblGrid, Word by w:tcW: they must agree.
    for tbl in part(render(example()), "word/document.xml").iter(f"{W}tbl"):
        grid = [int(col.get(f"{W}w")) for col in tbl.find(f"{W}tblGrid")]
        assert grid
        assert min(grid) > 0
        assert sum(grid) == int(tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w"))
        starts = [sum(grid[:i]) for i in range(len(grid) + 1)]
        for row in word_grid(tbl):
            for (column, span, _merge, _text), tc in zip(row, tbl_cells(tbl, row), strict=True):
                width = int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w"))
                assert width == starts[column + span] - starts[column]


def tbl_cells(tbl: Any, row: list[Any]) -> list[Any]:
    """Return the ``w:tc`` elements of the row of ``tbl`` that ``row`` (of word_grid) describes."""
    index = word_grid(tbl).index(row)
    return list(tbl.findall(f"{W}tr")[index].iterchildren(f"{W}tc"))


def kept_with_next(tr: Any) -> bool:
    return all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p"))


def test_a_table_that_fits_a_page_is_kept_on_one() -> None:
    root = part(render(example()), "word/document.xml")
    proactive, requests, appeals = root.findall(f".//{W}tbl")
    for tbl in (proactive, appeals):  # 14 and 4 rows: every row stays with the next
        rows = tbl.findall(f"{W}tr")
        assert all(kept_with_next(tr) for tr in rows[:-1])
        assert not kept_with_next(rows[-1])
    # Table 3 (28 rows, most of a page) may break, between rows of values.
    rows = requests.findall(f"{W}tr")
    assert all(kept_with_next(tr) for tr in rows[:3])  # its header stays with its first row
    assert not all(kept_with_next(tr) for tr in rows[3:-1])
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in root.iter(f"{W}tr"))


def test_a_larger_table_font_lets_table_2_break() -> None:
    # The estimate follows the options: at 二号 (22 pt) table 2 is most of a page.
    tbl = part(render(example(), table_size="二号"), "word/document.xml").find(f".//{W}tbl")
    assert not all(kept_with_next(tr) for tr in tbl.findall(f"{W}tr")[:-1])


def test_every_section_heading_stays_with_what_follows() -> None:
    # Set on the paragraph itself, so a template's heading style cannot lose it.
    root = part(render(example()), "word/document.xml")
    headings = [
        p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='Heading1']") is not None
    ]
    assert len(headings) == 6
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in headings)


def test_blank_cells_are_empty_never_zero() -> None:
    report = example().with_cells(
        {"requests.results.total.commercial": None, "proactive.fees.amount": None}
    )
    document = open_docx(render(report))
    assert document.tables[1].cell(26, 4).text == ""
    assert document.tables[1].cell(26, 3).text == "0"
    fees = document.tables[0].rows[-1]
    assert [cell.text for cell in fees.cells] == ["行政事业性收费", "", "", ""]


def test_amounts_keep_their_digits() -> None:
    report = example().with_cell("proactive.fees.amount", Decimal("18.8710"))
    document = open_docx(render(report))
    assert document.tables[0].rows[-1].cells[1].text == "18.8710"


def test_values_are_aligned_consistently() -> None:
    def value_alignments(data: bytes) -> set[str | None]:
        table = open_docx(data).tables[1]
        return {
            str(table.cell(r, c).paragraphs[0].alignment)
            for r in range(3, 28)
            for c in range(3, 10)
        }

    assert value_alignments(render(example())) == {"None"}  # the table style centres
    assert value_alignments(render(example(), number_alignment="right")) == {"RIGHT (2)"}


# --- page, fonts, styles ------------------------------------------------------------------


def test_page_is_a4_with_gbt_9704_margins(example_docx: bytes) -> None:
    section = open_docx(example_docx).sections[0]
    assert round(section.page_width.mm, 1) == 210.0
    assert round(section.page_height.mm, 1) == 297.0
    assert round(section.top_margin.mm) == 37
    assert round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28
    assert round(section.right_margin.mm) == 26
    type_width = Emu(section.page_width - section.left_margin - section.right_margin)
    assert round(type_width.mm) == 156


def test_margins_are_options() -> None:
    section = open_docx(render(example(), margin_left=20, margin_right=20)).sections[0]
    assert round(section.left_margin.mm) == 20
    data = render(example(), margin_left=20, margin_right=20)
    widest = math.floor(170 * TWIPS_PER_MM)
    for tbl in part(data, "word/document.xml").iter(f"{W}tbl"):
        assert sum(int(col.get(f"{W}w")) for col in tbl.find(f"{W}tblGrid")) == widest


def east_asia(style: Any) -> str | None:
    fonts = style.element.rPr.rFonts
    value: str | None = fonts.get(qn("w:eastAsia"))
    return value


def test_styles_set_east_asian_fonts_and_sizes(example_docx: bytes) -> None:
    styles = open_docx(example_docx).styles
    expected = {
        "Normal": ("仿宋_GB2312", None),
        "Title": ("方正小标宋简体", 22),
        "Heading 1": ("黑体", None),
        "Heading 2": ("楷体_GB2312", None),
        "gipreport Table Text": ("宋体", 10.5),
        "Footer": ("宋体", 14),
    }
    for name, (font, size) in expected.items():
        style = styles[name]
        assert east_asia(style) == font, name
        assert style.font.name == "Times New Roman", name  # Latin text and digits
        assert (style.font.size.pt if style.font.size else None) == size, name
    defaults = part(example_docx, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert defaults.find(f"{W}sz").get(f"{W}val") == "32"  # 三号, in half points
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"


def test_fonts_and_sizes_are_options() -> None:
    data = render(example(), title_font="宋体", body_font="仿宋", title_size="小二", table_size=9)
    styles = open_docx(data).styles
    assert east_asia(styles["Title"]) == "宋体"
    assert styles["Title"].font.size == Pt(18)
    assert east_asia(styles["Normal"]) == "仿宋"
    assert styles["gipreport Table Text"].font.size == Pt(9)


def test_font_table_names_fallbacks(example_docx: bytes) -> None:
    fonts = part(example_docx, "word/fontTable.xml")
    alt = {
        font.get(f"{W}name"): font.find(f"{W}altName").get(f"{W}val")
        for font in fonts
        if font.find(f"{W}altName") is not None
    }
    assert alt == {
        "方正小标宋简体": "宋体",
        "仿宋_GB2312": "仿宋",
        "楷体_GB2312": "楷体",
        "黑体": "SimHei",
    }


def test_paragraphs_use_the_styles_in_reading_order(example_docx: bytes) -> None:
    paragraphs = open_docx(example_docx).paragraphs
    report = example()
    assert paragraphs[0].text == report.display_title
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[1].text == report.preamble[0]
    assert paragraphs[1].style.name == "Normal"
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == [section.heading for section in report.form.sections]
    subheadings = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert subheadings[0] == "（一）主动公开情况"
    assert len(subheadings) == len(report.overview.subsections)


def test_signature_is_right_aligned_at_the_end(example_docx: bytes) -> None:
    organ, date = open_docx(example_docx).paragraphs[-2:]
    assert organ.text == "乌拉特前旗明安镇人民政府"
    assert date.text == "2024年1月10日"
    assert organ.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    undated = open_docx(render(attrs.evolve(example(), published_on=None)))
    assert undated.paragraphs[-1].text == "乌拉特前旗明安镇人民政府"


def test_footers_number_pages_like_gbt_9704(example_docx: bytes) -> None:
    document = open_docx(example_docx)
    assert document.settings.odd_and_even_pages_header_footer is True
    section = document.sections[0]
    for footer, side in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        assert not footer.is_linked_to_previous
        assert footer.paragraphs[0].text == "— 1 —"  # the PAGE field shows 1 until laid out
        assert footer.paragraphs[0]._p.xpath("string(.//w:instrText)").strip() == "PAGE"
        assert str(footer.paragraphs[0].alignment).startswith(side)
    centred = open_docx(render(example(), page_numbers="center"))
    assert centred.settings.odd_and_even_pages_header_footer is False
    assert str(centred.sections[0].footer.paragraphs[0].alignment).startswith("CENTER")
    bare = open_docx(render(example(), page_numbers="none")).sections[0]
    assert bare.footer.is_linked_to_previous  # no footer part at all


# --- text -----------------------------------------------------------------------------------


def with_text(report: gipreport.Report, text: str) -> gipreport.Report:
    # A valid report holds no text XML cannot hold (the model rejects it): the
    # bad_text option is for a report made with attrs' validators disabled, as here.
    with attrs.validators.disabled():
        subsections = list(report.overview.subsections)
        subsections[2] = attrs.evolve(subsections[2], paragraphs=(text,))
        prose = attrs.evolve(report.overview, subsections=subsections)
        return attrs.evolve(report, overview=prose)


def unchecked(report: gipreport.Report, **changes: Any) -> gipreport.Report:
    with attrs.validators.disabled():
        return attrs.evolve(report, **changes)


def test_a_valid_report_cannot_hold_what_xml_cannot() -> None:
    with pytest.raises(gipreport.InvalidValueError, match="U\\+000B"):
        attrs.evolve(example(), organ="某镇\x0b人民政府")


@pytest.mark.parametrize("bad", ["\x0b", "\x00", "\x1f", "\ufffe", "\uffff", "\ud800", "\x08"])
def test_bad_text_is_an_error_naming_the_field(bad: str) -> None:
    report = with_text(example(), f"复制自PDF{bad}的文字")
    with pytest.raises(BadTextError) as caught:
        render(report)
    error = caught.value
    assert error.path == "overview.subsections[2].paragraphs[0]"
    assert error.character == bad
    assert error.index == 6
    assert isinstance(error, RenderError)
    assert isinstance(error, ValueError)
    assert isinstance(error, gipreport.GipReportError)
    assert f"U+{ord(bad):04X}" in str(error)
    assert "overview.subsections[2].paragraphs[0]" in str(error)
    restored = pickle.loads(pickle.dumps(error))
    assert (restored.path, restored.character, restored.index) == (
        "overview.subsections[2].paragraphs[0]",
        bad,
        6,
    )


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"organ": "某镇\x01人民政府"}, "organ"),
        ({"title": "某镇\x02报告"}, "title"),
        ({"preamble": ("一", "二\x03")}, "preamble[1]"),
        ({"problems": ("\x04",)}, "problems.paragraphs[0]"),
        ({"other_matters": "\x05"}, "other_matters.subsections[0].heading"),
    ],
)
def test_bad_text_paths(change: dict[str, Any], path: str) -> None:
    with attrs.validators.disabled():
        if "problems" in change:
            change = {"problems": gipreport.Prose(paragraphs=change["problems"])}
        if "other_matters" in change:
            heading = gipreport.Subsection(heading=change["other_matters"])
            change = {"other_matters": gipreport.Prose(subsections=(heading,))}
    with pytest.raises(BadTextError) as caught:
        render(unchecked(example(), **change))
    assert caught.value.path == path


def test_bad_text_can_be_replaced_or_stripped() -> None:
    report = with_text(unchecked(example(), organ="某镇\x0c人民政府"), "甲\x0b乙\ud800丙")
    replaced = open_docx(render(report, bad_text="replace"))
    texts = [p.text for p in replaced.paragraphs]
    assert "甲\ufffd乙\ufffd丙" in texts
    assert texts[-2] == "某镇\ufffd人民政府"
    assert replaced.core_properties.author == "某镇\ufffd人民政府"
    stripped = open_docx(render(report, bad_text="strip"))
    assert "甲乙丙" in [p.text for p in stripped.paragraphs]
    assert stripped.paragraphs[-2].text == "某镇人民政府"


def test_breaks_tabs_and_markup_characters_are_written_as_such() -> None:
    report = with_text(example(), '第一行\n第二行\r\n<b>&amp;\t "引号"  两个空格 ')
    data = render(report)
    paragraph = next(p for p in open_docx(data).paragraphs if p.text.startswith("第一行"))
    assert paragraph.text == '第一行\n第二行\n<b>&amp;\t "引号"  两个空格 '
    assert len(paragraph._p.xpath(".//w:br")) == 2


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text())
def test_any_text_renders_to_valid_xml_when_replaced(text: str) -> None:
    report = with_text(example(), text)
    data = render(report, bad_text="replace")
    root = part(data, "word/document.xml")  # parses, or lxml raises
    assert root.tag == f"{W}document"


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports())
def test_every_valid_report_renders_and_reads_back(report: gipreport.Report) -> None:
    # bad_text="error": a valid report holds nothing XML cannot.
    document = open_docx(render(report))
    assert len(document.tables) == 3
    values = [cell.text for cell in layout(report).tables[2].values()]
    assert [cell.text for cell in document.tables[2].rows[3].cells] == values


# --- templates -------------------------------------------------------------------------------


def make_template(path: Path, *, heading_id: str | None = None) -> Path:
    template = docx.Document()
    heading = template.styles["Heading 1"]
    heading.font.size = Pt(20)
    heading.font.bold = True
    if heading_id is not None:
        heading.style_id = heading_id  # as a Chinese Word writes ids: "1", "a3"…
    custom = template.styles.add_style("Report Body", 1)
    custom.font.size = Pt(13)
    template.add_paragraph("template text that is not kept")
    template.save(str(path))
    return path


def test_a_template_supplies_its_styles(tmp_path: Path) -> None:
    path = make_template(tmp_path / "template.docx")
    data = render(example(), template=path)
    document = open_docx(data)
    assert "template text that is not kept" not in [p.text for p in document.paragraphs]
    assert "Report Body" in [style.name for style in document.styles]  # the template's styles
    heading = next(p for p in document.paragraphs if p.text == "一、总体情况")
    assert heading.style.name == "Heading 1"
    assert heading.style.font.size == Pt(20)  # the template's, not gipreport's
    assert heading.style.font.bold is True
    # Missing styles are added from the options; the page still comes from them.
    assert east_asia(document.styles["gipreport Table Text"]) == "宋体"
    assert round(document.sections[0].page_width.mm) == 210
    assert len(document.tables) == 3
    # A path, a str and the bytes are the same template.
    assert render(example(), template=str(path)) == data
    assert render(example(), template=path.read_bytes()) == data
    assert render(example(), template=bytearray(path.read_bytes())) == data


def test_template_styles_are_found_by_name_not_id(tmp_path: Path) -> None:
    path = make_template(tmp_path / "zh.docx", heading_id="1")
    data = render(example(), template=path)
    root = part(data, "word/document.xml")
    heading_ids = {
        p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        for p in root.iter(f"{W}p")
        if "".join(p.itertext()) == "一、总体情况"
    }
    assert heading_ids == {"1"}
    assert open_docx(data).paragraphs[0].style.name == "Title"


def test_a_template_that_is_not_a_docx_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"template: not a \.docx"):
        render(example(), template=b"not a zip")
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as package:
        package.writestr("hello.txt", "hi")
    with pytest.raises(RenderError, match="no main document part"):
        render(example(), template=empty.getvalue())
    with pytest.raises(RenderError, match=r"template: cannot read .*missing\.docx"):
        render(example(), template=tmp_path / "missing.docx")


def rewritten(template: Path, changes: dict[str, bytes | None]) -> bytes:
    """Return the template's package with members replaced (or removed, for None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w") as target:
        names = [info.filename for info in source.infolist()]
        for name in [*names, *(name for name in changes if name not in names)]:
            data = changes[name] if name in changes else source.read(name)
            if data is not None:
                target.writestr(name, data)
    return out.getvalue()


def test_a_template_without_usable_styles_is_a_clear_error(tmp_path: Path) -> None:
    path = make_template(tmp_path / "template.docx")
    with zipfile.ZipFile(path) as package:
        rels = package.read("word/_rels/document.xml.rels")
    no_styles = re.sub(rb'<Relationship [^>]*/styles" [^>]*/>', b"", rels)
    assert no_styles != rels
    with pytest.raises(RenderError, match="no styles part"):
        render(example(), template=rewritten(path, {"word/_rels/document.xml.rels": no_styles}))
    with pytest.raises(RenderError, match=r"word/styles\.xml is not well-formed XML"):
        render(example(), template=rewritten(path, {"word/styles.xml": b"<w:styles"}))


def test_added_styles_never_take_a_template_id(tmp_path: Path) -> None:
    path = make_template(tmp_path / "template.docx")
    with zipfile.ZipFile(path) as package:
        styles = package.read("word/styles.xml")
    # A style called something else holds the id "Title"; the template has no Title.
    styles = styles.replace(b'w:styleId="Title"', b'w:styleId="Other"')
    styles = styles.replace(b'<w:name w:val="Title"/>', b'<w:name w:val="Other"/>')
    styles = styles.replace(b'w:styleId="Quote"', b'w:styleId="Title"')
    data = render(example(), template=rewritten(path, {"word/styles.xml": styles}))
    document = open_docx(data)
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].style.style_id == "GipTitle"
    assert east_asia(document.paragraphs[0].style) == "方正小标宋简体"


def test_template_parts_with_parts_of_their_own_are_left_out(tmp_path: Path) -> None:
    path = make_template(tmp_path / "template.docx")
    bullets = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/hyperlink" Target="https://example.org" TargetMode="External"/>'
        b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/image" Target="media/bullet.png"/></Relationships>'
    )
    data = render(example(), template=rewritten(path, {"word/_rels/numbering.xml.rels": bullets}))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
    assert "word/numbering.xml" not in names
    assert "word/theme/theme1.xml" in names
    assert len(open_docx(data).tables) == 3


# --- options ----------------------------------------------------------------------------------


def test_font_sizes_accept_names_and_points() -> None:
    options = DocxOptions(title_size="小初", body_size="小4", table_size="5号", page_number_size=9)
    assert (options.title_size, options.body_size, options.table_size) == (36.0, 12.0, 10.5)
    assert options.page_number_size == 9.0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"title_size": "九号"}, "unknown font size"),
        ({"body_size": 10.3}, "multiple of 0.5"),
        ({"body_size": 0}, "multiple of 0.5"),
        ({"title_font": ""}, "DocxOptions.title_font"),
        ({"body_font": "仿宋\x00"}, "DocxOptions.body_font"),
        ({"margin_left": 200}, "DocxOptions.margin_left"),
        ({"margin_left": 60, "margin_right": 60}, "type area"),
        ({"page_numbers": "bottom"}, "DocxOptions.page_numbers"),
        ({"bad_text": "ignore"}, "DocxOptions.bad_text"),
        ({"number_alignment": "left"}, "DocxOptions.number_alignment"),
        ({"template": 42}, "DocxOptions.template"),
        ({"colour": "red"}, "unknown option"),
    ],
)
def test_bad_options_are_render_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(RenderError, match=message):
        render(example(), **options)


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        DocxOptions(margin_top="37")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        DocxOptions(title_size=[22])  # type: ignore[arg-type]


def test_type_area_follows_the_margins() -> None:
    assert DocxOptions().type_area == (156.0, 225.0)


def test_options_need_no_python_docx() -> None:
    # The options live outside the renderer module, so gipreport exports them cheaply.
    code = (
        "import sys, gipreport; gipreport.DocxOptions(); "
        "mods = ('docx', 'lxml', 'gipreport._rendering.to_docx'); "
        "print(','.join(m for m in mods if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == ""


def test_layout_cells_are_the_only_source_of_table_text(example_docx: bytes) -> None:
    texts = {
        flat(t)
        for row in word_grid(part(example_docx, "word/document.xml").find(f".//{W}tbl"))
        for *_, t in row
    }
    labels = {cell.text for row in layout(example()).tables[0].rows for cell in row.cells}
    assert texts == labels


def test_a_template_with_a_malformed_package_relationship_part_is_a_render_error(
    tmp_path: Path,
) -> None:
    # Issue #16: a malformed _rels/.rels escaped as lxml's XMLSyntaxError.
    path = make_template(tmp_path / "template.docx")
    with pytest.raises(RenderError, match=r"_rels/\.rels is not well-formed XML"):
        render(example(), template=rewritten(path, {"_rels/.rels": b"<Relationships"}))


def test_a_template_is_read_with_the_readers_limits(tmp_path: Path) -> None:
    # Issue #16: every member was unpacked whole, an unused one too (a 520 KB
    # template used about 1 GB). Now only the parts used are unpacked, each
    # capped, and bzip2 or LZMA parts (unpacked by zipfile without limit) are refused.
    path = make_template(tmp_path / "template.docx")
    unused = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(unused, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("customXml/huge.bin", b"\0" * 2**20, compress_type=zipfile.ZIP_BZIP2)
    assert render(example(), template=unused.getvalue())[:2] == b"PK"
    bzipped = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bzipped, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), compress_type=zipfile.ZIP_BZIP2)
    with pytest.raises(RenderError, match=r"DocxOptions\.template: .*compression method 12"):
        render(example(), template=bzipped.getvalue())


def test_a_template_that_is_not_a_regular_file_is_a_render_error(tmp_path: Path) -> None:
    fifo = tmp_path / "template.docx"
    os.mkfifo(fifo)
    with pytest.raises(RenderError, match="not a regular file"):
        render(example(), template=fifo)
