"""The shared layout: the form's merges, labels and value formats, drawn once for all renderers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings

import gipreport
from budget_support import examples
from gipreport import CellValue
from gipreport._rendering import layout as _layout
from gipreport._rendering.words import WORDS, balanced_lines, words
from gipreport.form import FORM_2019, FORM_2021, PROACTIVE_CONTENT_LABEL, TableSpec
from gipreport.layout import (
    SUBHEADING_STYLES,
    Covered,
    LayoutCell,
    LayoutRow,
    ReportLayout,
    SubheadingStyle,
    TableLayout,
    chinese_numeral,
    format_date,
    format_value,
    layout,
    subsection_number,
    table_layout,
)
from gipreport.strategies import reports


@pytest.fixture(scope="module")
def example() -> ReportLayout:
    return layout(gipreport.examples.mingan_2023())


def spans(table: TableLayout) -> dict[str, tuple[int, int]]:
    """Return ``{text: (rowspan, colspan)}`` of every label cell (the first of equal texts)."""
    found: dict[str, tuple[int, int]] = {}
    for row in table.rows:
        for cell in row.cells:
            if cell.role != "value":
                found.setdefault(cell.text, (cell.rowspan, cell.colspan))
    return found


def test_report_parts_in_reading_order(example: ReportLayout) -> None:
    report = gipreport.examples.mingan_2023()
    assert example.title == "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"
    assert example.preamble == report.preamble
    assert [s.heading for s in example.sections] == [s.heading for s in FORM_2021.sections]
    assert [s.key for s in example.sections if s.table] == ["proactive", "requests", "appeals"]
    assert all((s.prose is None) != (s.table is None) for s in example.sections)
    assert example.signature_organ == "乌拉特前旗明安镇人民政府"
    assert example.signature_date == "2024年1月10日"


def test_prose_is_numbered_as_gb_t_9704_second_level(example: ReportLayout) -> None:
    overview = example.sections[0].prose
    assert overview is not None
    assert [(number, heading) for number, heading, _ in overview.subsections] == [
        ("（一）", "主动公开情况"),
        ("（二）", "依申请公开情况"),
        ("（三）", "政府信息管理情况"),
        ("（四）", "政府信息公开平台建设情况"),
        ("（五）", "监督保障情况"),
    ]
    assert subsection_number(0) == "（一）"
    assert subsection_number(11) == "（十二）"
    assert subsection_number(99) == "（一百）"


@pytest.mark.parametrize(
    ("style", "first", "twelfth"),
    [
        ("chinese", "（一）", "（十二）"),
        ("arabic", "（1）", "（12）"),
        ("arabic-spaced", "（1） ", "（12） "),  # the seed's own
        ("arabic-dot", "1.", "12."),
        ("arabic-comma", "1、", "12、"),
    ],
)
def test_each_subheading_style_numbers_as_it_says(
    style: SubheadingStyle, first: str, twelfth: str
) -> None:
    assert tuple(SUBHEADING_STYLES) == (
        "chinese",
        "arabic",
        "arabic-spaced",
        "arabic-dot",
        "arabic-comma",
    )
    assert (subsection_number(0, style), subsection_number(11, style)) == (first, twelfth)
    prose = layout(gipreport.examples.mingan_2023(), subheading_style=style).sections[0].prose
    assert prose is not None
    assert prose.subsections[0][0] == first


def test_an_unknown_subheading_style_is_refused() -> None:
    with pytest.raises(ValueError, match="'chinese', 'arabic'"):
        subsection_number(0, "roman")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="from 1 to 9999"):
        chinese_numeral(0)


def test_table_sizes(example: ReportLayout) -> None:
    assert [(t.key, t.width, len(t.head), len(t.body)) for t in example.tables] == [
        ("proactive", 4, 0, 14),
        ("requests", 10, 3, 25),
        ("appeals", 15, 3, 1),
    ]
    assert [t.caption for t in example.tables] == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_table_3_has_the_official_merges(example: ReportLayout) -> None:
    requests = example.tables[1]
    head = requests.head
    corner = head[0].cells[0]
    assert corner.role == "corner"
    assert corner.text.startswith("（本列数据的勾稽关系为")
    assert (corner.rowspan, corner.colspan) == (3, 3)
    assert [(c.text, c.rowspan, c.colspan) for c in head[0].cells[1:]] == [("申请人情况", 1, 7)]
    assert [(c.text, c.rowspan, c.colspan) for c in head[1].cells] == [
        ("自然人", 2, 1),
        ("法人或其他组织", 1, 5),
        ("总计", 2, 1),
    ]
    assert [c.text for c in head[2].cells] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    found = spans(requests)
    assert found["一、本年新收政府信息公开申请数量"] == (1, 3)
    assert found["二、上年结转政府信息公开申请数量"] == (1, 3)
    assert found["三、本年度办理结果"] == (22, 1)
    assert found["（一）予以公开"] == (1, 2)
    assert found["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == (1, 2)
    assert found["（三）不予公开"] == (8, 1)
    assert found["（四）无法提供"] == (3, 1)
    assert found["（五）不予处理"] == (5, 1)
    assert found["（六）其他处理"] == (3, 1)
    assert found["（七）总计"] == (1, 2)
    assert found["四、结转下年度继续办理"] == (1, 3)
    assert found["1.属于国家秘密"] == (1, 1)
    # Every body row has its 7 values, in the order of the form's columns.
    for row in requests.body:
        values = [c for c in row.cells if c.role == "value"]
        assert [c.path.rsplit(".", 1)[1] for c in values if c.path] == [
            "natural_person",
            "commercial",
            "research",
            "social_welfare",
            "legal_services",
            "other_org",
            "total",
        ]


def test_table_4_has_the_official_merges(example: ReportLayout) -> None:
    appeals = example.tables[2]
    h1, h2, h3 = (row.cells for row in appeals.head)
    assert [(c.text, c.rowspan, c.colspan) for c in h1] == [("行政复议", 1, 5), ("行政诉讼", 1, 10)]
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [(c.text, c.rowspan, c.colspan) for c in h2] == [
        *((label, 2, 1) for label in labels),
        ("未经复议直接起诉", 1, 5),
        ("复议后起诉", 1, 5),
    ]
    assert [c.text for c in h3] == labels * 2
    assert all(c.role == "column-header" for c in (*h1, *h2, *h3))
    (body,) = appeals.body
    assert len(body.cells) == 15
    assert all(c.role == "value" for c in body.cells)


def test_table_2_is_stacked_article_blocks(example: ReportLayout) -> None:
    proactive = example.tables[0]
    titles = [row.cells[0] for row in proactive.rows if row.cells[0].role == "block-title"]
    assert [c.text for c in titles] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert all(c.colspan == 4 for c in titles)
    headers = [row for row in proactive.rows if row.cells[0].text == PROACTIVE_CONTENT_LABEL]
    assert [[(c.text, c.colspan) for c in row.cells[1:]] for row in headers] == [
        [("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)],
        [("本年处理决定数量", 3)],
        [("本年处理决定数量", 3)],
        [("本年收费金额（单位：万元）", 3)],
    ]
    assert [row.block for row in proactive.rows] == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3]
    fee = next(c for c in proactive.values() if c.path == "proactive.fees.amount")
    assert (fee.colspan, fee.unit) == (3, "万元")


def test_every_cell_of_the_form_once_in_reading_order(example: ReportLayout) -> None:
    paths = [cell.path for table in example.tables for cell in table.values()]
    assert paths == [cell.path for cell in FORM_2021.cells]


def test_row_labels_come_from_the_form(example: ReportLayout) -> None:
    for table, spec in zip(example.tables, FORM_2021.tables, strict=True):
        texts = {cell.text for row in table.rows for cell in row.cells if cell.is_header}
        for _path, ancestors, leaf in spec.leaf_rows():
            for row in (*ancestors, leaf):
                if spec.key != "appeals":  # table 4's groups are column headers
                    assert row.label in texts


def test_values_are_written_once_for_every_renderer() -> None:
    report = gipreport.examples.mingan_2023().with_cells(
        {
            "requests.new_received.natural_person": None,
            "requests.new_received.commercial": 0,
            "proactive.licensing.decisions": 517645,
            "proactive.fees.amount": Decimal("18.8710"),
        }
    )
    cells = {c.path: c for t in layout(report).tables for c in t.values()}
    blank = cells["requests.new_received.natural_person"]
    assert (blank.text, blank.value, blank.is_blank) == ("", None, True)
    zero = cells["requests.new_received.commercial"]
    assert (zero.text, zero.is_blank) == ("0", False)
    assert cells["proactive.licensing.decisions"].text == "517645"
    assert cells["proactive.fees.amount"].text == "18.8710"
    assert format_value(Decimal("4068.208")) == "4068.208"
    assert format_value(Decimal("1E+2")) == "100"
    assert format_value(Decimal("0.00")) == "0.00"
    assert format_value(None) == ""


def test_dates_and_missing_date() -> None:
    assert format_date(dt.date(2024, 1, 10)) == "2024年1月10日"
    assert format_date(dt.date(2022, 12, 31)) == "2022年12月31日"
    report = attrs.evolve(gipreport.examples.mingan_2023(), published_on=None, title="自定标题")
    laid_out = layout(report)
    assert laid_out.signature_date is None
    assert laid_out.title == "自定标题"


def test_cell_roles() -> None:
    label = LayoutCell(text="规章", role="row-header")
    value = LayoutCell(text="", role="value", path="proactive.rules.issued")
    assert label.is_header
    assert not label.is_blank
    assert not value.is_header
    assert value.is_blank


def test_grid_covers_merged_slots(example: ReportLayout) -> None:
    grid = example.tables[1].grid()
    assert len(grid) == 28
    assert all(len(row) == 10 for row in grid)
    corner = grid[0][0]
    assert isinstance(corner, LayoutCell)
    assert corner.role == "corner"
    below = grid[1][0]
    assert isinstance(below, Covered)
    assert below.origin is corner
    assert (below.vertical, below.horizontal) == (True, False)
    right = grid[0][2]
    assert isinstance(right, Covered)
    assert (right.vertical, right.horizontal) == (False, True)
    # 三、本年度办理结果 covers column 0 of the next 21 rows.
    results = grid[5][0]
    assert isinstance(results, LayoutCell)
    assert results.text == "三、本年度办理结果"
    assert all(isinstance(grid[r][0], Covered) for r in range(6, 27))
    assert isinstance(grid[27][0], LayoutCell)


def test_grid_rejects_rows_that_do_not_tile() -> None:
    def table(*rows: tuple[LayoutCell, ...]) -> TableLayout:
        return TableLayout(
            key="t",
            caption="t",
            width=2,
            rows=tuple(LayoutRow(cells=cells, part="body") for cells in rows),
        )

    a = LayoutCell(text="a", role="row-header")
    wide = LayoutCell(text="w", role="row-header", colspan=3)
    tall = LayoutCell(text="t", role="row-header", rowspan=3)
    with pytest.raises(ValueError, match="overflows"):
        table((wide,)).grid()
    with pytest.raises(ValueError, match="overflows"):
        table((tall, a), (a,)).grid()
    with pytest.raises(ValueError, match="does not fill"):
        table((a,)).grid()
    two_rows = LayoutCell(text="t", role="row-header", rowspan=2)
    two_columns = LayoutCell(text="w", role="row-header", colspan=2)
    with pytest.raises(ValueError, match="overlaps at row 1"):
        table((a, two_rows), (two_columns,)).grid()
    with pytest.raises(ValueError, match="overflows"):
        table((a, a, a)).grid()


def test_table_layout_of_a_table_made_on_the_fly() -> None:
    # The public table_layout() takes any table; one not in a format still works
    # and gets its own labels.
    spec: TableSpec = attrs.evolve(FORM_2021.table("appeals"), title="变体")
    values = gipreport.examples.mingan_2023().values()
    made = table_layout(spec, values)
    assert made.caption == "四、变体"
    assert [c.text for c in made.values()] == ["0"] * 15


def test_the_cache_of_table_labels_stays_small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_layout, "_BLANK_TABLES", {})
    monkeypatch.setattr(_layout, "_BLANK_TABLES_MAX", 2)
    values = gipreport.examples.mingan_2023().values()
    specs = [attrs.evolve(FORM_2021.table("appeals"), title=f"变体{n}") for n in range(5)]
    for spec in specs:
        assert table_layout(spec, values).caption == f"四、{spec.title}"
    assert len(_layout._BLANK_TABLES) <= 2


def test_layouts_of_two_reports_do_not_share_values() -> None:
    base = gipreport.examples.mingan_2023()
    one = layout(base.with_cell("appeals.review.upheld", 1))
    two = layout(base.with_cell("appeals.review.upheld", None))
    assert next(one.tables[2].values()).text == "1"
    assert next(two.tables[2].values()).text == ""


@settings(max_examples=examples(40), deadline=None)
@given(reports(blanks=True))
def test_any_report_tiles_its_grids(report: gipreport.Report) -> None:
    laid_out = layout(report)
    values = report.values()
    for table in laid_out.tables:
        grid = table.grid()
        assert all(len(row) == table.width for row in grid)
        for cell in table.values():
            assert cell.path is not None
            assert cell.value == values[cell.path]
            assert cell.text == format_value(values[cell.path])


@pytest.mark.parametrize("key", [t.key for t in FORM_2021.tables])
def test_spans_stay_inside_the_table(example: ReportLayout, key: str) -> None:
    table = next(t for t in example.tables if t.key == key)
    for index, row in enumerate(table.rows):
        for cell in row.cells:
            assert index + cell.rowspan <= len(table.rows)
            assert cell.colspan <= table.width


# --- where headers break ----------------------------------------------------------------


def column_headers() -> set[str]:
    found: set[str] = set()
    for form in (FORM_2019, FORM_2021):
        blanks: dict[str, CellValue] = {cell.path: None for cell in form.cells}
        for table in form.tables:
            for row in table_layout(table, blanks).rows:
                found.update(cell.text for cell in row.cells if cell.role == "column-header")
    return found


def test_every_column_header_of_the_form_is_cut_into_listed_words() -> None:
    headers = column_headers()
    assert {"商业企业", "法律服务机构", "结果维持", "复议后起诉", "本年增/减"} <= headers
    for label in headers:
        pieces = words(label)
        assert "".join(pieces) == label
        # A piece is a listed word, or one mark of punctuation (where a break may fall).
        unknown = [p for p in pieces if p not in WORDS and not (len(p) == 1 and not p.isalnum())]
        assert unknown == [], label


@pytest.mark.parametrize(
    ("label", "per_line", "lines"),
    [
        ("商业企业", 3, ("商业", "企业")),
        ("商业企业", 4, ("商业企业",)),
        ("法律服务机构", 3, ("法律", "服务", "机构")),
        ("法律服务机构", 4, ("法律服务", "机构")),
        ("未经复议直接起诉", 4, ("未经复议", "直接起诉")),
        ("复议后起诉", 3, ("复议后", "起诉")),
        ("自然人", 2, ("自然", "人")),  # a word longer than a line: cut, as it must be
        ("自然人", 1, ("自", "然", "人")),
    ],
)
def test_balanced_lines_break_between_words(
    label: str, per_line: int, lines: tuple[str, ...]
) -> None:
    assert balanced_lines(label, per_line) == lines
