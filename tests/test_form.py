"""The form as data: labels, layout and sum relations checked against FORM.md and JSON.md.

The lists below are typed again from the specification on purpose: the form
description is the one source of truth for the library, and these tests are what
check that source against the official format.
"""

from __future__ import annotations

from collections import Counter

import pytest

from gipreport.form import (
    FORM_2019,
    FORM_2021,
    FORMATS,
    OUTCOME_COLUMNS,
    PROACTIVE_CONTENT_LABEL,
    REQUEST_COLUMNS,
    Equation,
    FormSpec,
    HeaderCell,
    Row,
    TableSpec,
    form_for,
)

# --- typed from FORM.md ----------------------------------------------------------------

CORNER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

REQUEST_COLUMN_LABELS = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
]

# (labels from the top-level row down to the leaf) for every data row of table 3.
REQUEST_ROW_LABELS: list[tuple[str, ...]] = [
    ("一、本年新收政府信息公开申请数量",),
    ("二、上年结转政府信息公开申请数量",),
    ("三、本年度办理结果", "（一）予以公开"),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"),
    ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请"),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("三、本年度办理结果", "（六）其他处理", "3.其他"),
    ("三、本年度办理结果", "（七）总计"),
    ("四、结转下年度继续办理",),
]

OUTCOME_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
APPEAL_GROUP_LABELS = ["行政复议", "未经复议直接起诉", "复议后起诉"]

# Table 2: (block label, column labels after 信息内容, row labels).
PROACTIVE_BLOCKS = [
    (
        "第二十条第（一）项",
        ["本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "行政规范性文件"],
    ),
    ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
    ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"]),
]

SECTION_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]

# --- typed from JSON.md ----------------------------------------------------------------

JSON_TOP_LEVEL_KEYS = [
    "schema",
    "format",
    "organ",
    "year",
    "title",
    "published_on",
    "preamble",
    "overview",
    "proactive",
    "requests",
    "appeals",
    "problems",
    "other_matters",
]

JSON_PROACTIVE_PATHS = [
    "proactive.rules.issued",
    "proactive.rules.repealed",
    "proactive.rules.in_force",
    "proactive.normative_documents.issued",
    "proactive.normative_documents.repealed",
    "proactive.normative_documents.in_force",
    "proactive.licensing.decisions",
    "proactive.penalty.decisions",
    "proactive.coercion.decisions",
    "proactive.fees.amount",
]

JSON_COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
]

JSON_REQUEST_ROWS = [
    "new_received",
    "carried_over",
    "results.disclosed",
    "results.partially_disclosed",
    "results.withheld.state_secret",
    "results.withheld.prohibited_by_law",
    "results.withheld.security_stability",
    "results.withheld.third_party_rights",
    "results.withheld.internal_affairs",
    "results.withheld.process_information",
    "results.withheld.enforcement_files",
    "results.withheld.administrative_query",
    "results.unavailable.not_held",
    "results.unavailable.needs_creation",
    "results.unavailable.still_unclear",
    "results.not_processed.petition",
    "results.not_processed.duplicate",
    "results.not_processed.publication",
    "results.not_processed.excessive",
    "results.not_processed.reconfirmation",
    "results.other.no_correction",
    "results.other.unpaid_fee",
    "results.other.other",
    "results.total",
    "carried_forward",
]

JSON_OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
JSON_APPEAL_GROUPS = ["review", "litigation_direct", "litigation_after_review"]

JSON_CELL_PATHS = [
    *JSON_PROACTIVE_PATHS,
    *(f"requests.{row}.{column}" for row in JSON_REQUEST_ROWS for column in JSON_COLUMNS),
    *(f"appeals.{group}.{key}" for group in JSON_APPEAL_GROUPS for key in JSON_OUTCOMES),
]

NON_TOTAL_RESULT_ROWS = [row for row in JSON_REQUEST_ROWS if row.startswith("results.")][:-1]


# --- helpers ---------------------------------------------------------------------------


def leaf_labels(table: TableSpec) -> list[tuple[str, ...]]:
    return [
        tuple(row.label for row in (*ancestors, leaf))
        for _path, ancestors, leaf in table.leaf_rows()
    ]


def find_row(rows: tuple[Row, ...], label: str) -> Row:
    for row in rows:
        if row.label == label:
            return row
        if row.children:
            try:
                return find_row(row.children, label)
            except LookupError:
                pass
    raise LookupError(label)


def place_header(
    header: tuple[tuple[HeaderCell, ...], ...], width: int
) -> dict[tuple[int, int], HeaderCell]:
    """Return which header cell covers each (row, column) of the grid, as printed.

    Cells are placed in reading order, each at the first free column of its row
    (how HTML lays out rowspan/colspan); a cell that overlaps another or runs past
    the grid fails the test.
    """
    height = len(header)
    grid: dict[tuple[int, int], HeaderCell] = {}
    for r, cells in enumerate(header):
        c = 0
        for cell in cells:
            while (r, c) in grid:
                c += 1
            assert cell.rowspan >= 1
            assert cell.colspan >= 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    position = (r + dr, c + dc)
                    assert position[0] < height, f"{cell.text!r} runs below the header"
                    assert position[1] < width, f"{cell.text!r} runs past the grid width"
                    assert position not in grid, f"{cell.text!r} overlaps {grid[position].text!r}"
                    grid[position] = cell
            c += cell.colspan
    return grid


def origin_of(grid: dict[tuple[int, int], HeaderCell], cell: HeaderCell) -> tuple[int, int]:
    return min(position for position, placed in grid.items() if placed is cell)


# --- the whole form --------------------------------------------------------------------


def test_form_2021_has_200_cells() -> None:
    assert len(FORM_2021.cells) == 200
    per_table = Counter(cell.table for cell in FORM_2021.cells)
    assert per_table == {"proactive": 10, "requests": 25 * 7, "appeals": 3 * 5}


def test_cell_paths_are_unique() -> None:
    paths = [cell.path for cell in FORM_2021.cells]
    assert len(set(paths)) == len(paths)


def test_cell_paths_are_the_json_keys_in_order() -> None:
    assert [cell.path for cell in FORM_2021.cells] == JSON_CELL_PATHS


def test_every_json_cell_path_is_a_cell() -> None:
    for path in JSON_CELL_PATHS:
        assert FORM_2021.has_cell(path)
        assert FORM_2021.cell(path).path == path


def test_cell_lookup_agrees_with_cells() -> None:
    for cell in FORM_2021.cells:
        assert FORM_2021.cell(cell.path) is cell
        assert cell.path.startswith(f"{cell.table}.")
        assert cell.path == f"{cell.row_path}.{cell.column.key}"


@pytest.mark.parametrize(
    "path",
    [
        "",
        "requests",
        "requests.results.total",
        "requests.results.total.grand_total",
        "proactive.article_20_1.rules.issued",
        "organ",
        "appeals.review",
    ],
)
def test_unknown_cell_raises_key_error_naming_it(path: str) -> None:
    assert not FORM_2021.has_cell(path)
    with pytest.raises(KeyError) as info:
        FORM_2021.cell(path)
    assert repr(path) in info.value.args[0]


def test_top_level_json_keys_are_header_fields_and_sections() -> None:
    keys = [field.key for field in FORM_2021.header_fields]
    keys += [section.key for section in FORM_2021.sections]
    assert ["schema", *keys] == JSON_TOP_LEVEL_KEYS


def test_tables_are_the_json_table_keys_in_order() -> None:
    assert [table.key for table in FORM_2021.tables] == ["proactive", "requests", "appeals"]
    for table in FORM_2021.tables:
        assert FORM_2021.table(table.key) is table
    with pytest.raises(KeyError, match="overview"):
        FORM_2021.table("overview")


def test_cell_label_joins_row_labels_and_column_label() -> None:
    cell = FORM_2021.cell("requests.results.total.commercial")
    assert cell.label == "三、本年度办理结果（七）总计 · 商业企业"
    cell = FORM_2021.cell("requests.results.withheld.security_stability.total")
    assert cell.label == "三、本年度办理结果（三）不予公开3.危及“三安全一稳定” · 总计"
    cell = FORM_2021.cell("appeals.litigation_after_review.pending")
    assert cell.label == "复议后起诉 · 尚未审结"


def test_title_template() -> None:
    assert FORM_2021.title_for("某县人民政府", 2023) == "某县人民政府2023年政府信息公开工作年度报告"


def test_formats_registry() -> None:
    assert dict(FORMATS) == {"2021": FORM_2021, "2019": FORM_2019}
    assert form_for("2021") is FORM_2021
    assert FORM_2021.first_year == 2021
    assert FORM_2021.last_year is None
    assert "国办公开办函〔2021〕30号" in FORM_2021.instrument


@pytest.mark.parametrize("format_id", ["2020", "2022", "", "2021 "])
def test_form_for_unknown_raises_key_error_naming_known_formats(format_id: str) -> None:
    with pytest.raises(KeyError) as info:
        form_for(format_id)
    message = info.value.args[0]
    assert repr(format_id) in message
    for known in FORMATS:
        assert known in message


# --- sections --------------------------------------------------------------------------


def test_six_sections_in_order_with_exact_headings() -> None:
    assert [section.heading for section in FORM_2021.sections] == SECTION_HEADINGS
    assert [section.number for section in FORM_2021.sections] == [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
    ]
    assert [section.key for section in FORM_2021.sections] == [
        "overview",
        "proactive",
        "requests",
        "appeals",
        "problems",
        "other_matters",
    ]
    assert [section.kind for section in FORM_2021.sections] == [
        "prose",
        "table",
        "table",
        "table",
        "prose",
        "prose",
    ]


def test_table_sections_name_their_tables() -> None:
    table_sections = [s for s in FORM_2021.sections if s.kind == "table"]
    assert [s.key for s in table_sections] == [t.key for t in FORM_2021.tables]
    for section in table_sections:
        table = FORM_2021.table(section.key)
        assert (table.number, table.title) == (section.number, section.title)
        assert FORM_2021.section(section.key) is section
    with pytest.raises(KeyError, match="schema"):
        FORM_2021.section("schema")


def test_header_fields() -> None:
    for key in ["format", "organ", "year", "title", "published_on", "preamble"]:
        assert FORM_2021.header_field(key).key == key
    assert FORM_2021.header_field("organ").label == "发布机关"
    with pytest.raises(KeyError, match="overview"):
        FORM_2021.header_field("overview")


# --- table 2 ---------------------------------------------------------------------------


def test_table_2_blocks_rows_and_columns() -> None:
    table = FORM_2021.table("proactive")
    assert PROACTIVE_CONTENT_LABEL == "信息内容"
    blocks = [
        (
            block.label,
            [c.label for c in block.children[0].columns],
            [r.label for r in block.children],
        )
        for block in table.rows
    ]
    assert blocks == PROACTIVE_BLOCKS
    for block in table.rows:
        assert block.layout_only
        assert not block.is_leaf
        for row in block.children:
            assert row.is_leaf
            # every row of a block has the block's columns
            assert row.columns == block.children[0].columns


def test_table_2_units_and_kinds() -> None:
    cells = [cell for cell in FORM_2021.cells if cell.table == "proactive"]
    fee = FORM_2021.cell("proactive.fees.amount")
    assert fee.unit == "万元"
    assert fee.kind == "amount"
    assert fee.column.label == "本年收费金额（单位：万元）"
    assert not fee.column.is_total
    for cell in cells:
        if cell is not fee:
            assert (cell.unit, cell.kind) == ("件", "count")
    # the fee is the only amount in the whole form
    assert [c.path for c in FORM_2021.cells if c.kind == "amount"] == ["proactive.fees.amount"]
    assert all(c.unit == "件" for c in FORM_2021.cells if c.kind == "count")


def test_table_2_block_keys_are_not_in_paths() -> None:
    table = FORM_2021.table("proactive")
    row_paths = [path for path, _ancestors, _leaf in table.leaf_rows()]
    assert row_paths == [
        "proactive.rules",
        "proactive.normative_documents",
        "proactive.licensing",
        "proactive.penalty",
        "proactive.coercion",
        "proactive.fees",
    ]
    for cell in FORM_2021.cells:
        assert "article_20" not in cell.path


def test_table_2_has_no_sums() -> None:
    for equation in FORM_2021.equations:
        assert not any(path.startswith("proactive.") for path in equation.cells)
    assert FORM_2021.table("proactive").balance is None


# --- table 3 ---------------------------------------------------------------------------


def test_table_3_has_25_leaf_rows_with_the_form_labels_in_order() -> None:
    table = FORM_2021.table("requests")
    assert leaf_labels(table) == REQUEST_ROW_LABELS
    assert len(REQUEST_ROW_LABELS) == 25


def test_table_3_every_row_has_the_7_columns_in_order() -> None:
    assert [c.label for c in REQUEST_COLUMNS] == REQUEST_COLUMN_LABELS
    assert [c.key for c in REQUEST_COLUMNS] == JSON_COLUMNS
    for _path, _ancestors, leaf in FORM_2021.table("requests").leaf_rows():
        assert [c.label for c in leaf.columns] == REQUEST_COLUMN_LABELS
        assert [c.key for c in leaf.columns] == JSON_COLUMNS


def test_table_3_only_the_last_column_is_a_total() -> None:
    assert [c.is_total for c in REQUEST_COLUMNS] == [False] * 6 + [True]
    assert REQUEST_COLUMNS[-1].total_of == tuple(JSON_COLUMNS[:6])


def test_table_3_cell_labels() -> None:
    labels = [cell.label for cell in FORM_2021.cells if cell.table == "requests"]
    assert labels == [
        f"{''.join(row)} · {column}"
        for row in REQUEST_ROW_LABELS
        for column in REQUEST_COLUMN_LABELS
    ]


@pytest.mark.parametrize(
    ("label", "span"),
    [
        ("三、本年度办理结果", 22),
        ("（三）不予公开", 8),
        ("（四）无法提供", 3),
        ("（五）不予处理", 5),
        ("（六）其他处理", 3),
        ("（一）予以公开", 1),
        ("（七）总计", 1),
        ("一、本年新收政府信息公开申请数量", 1),
    ],
)
def test_table_3_row_spans(label: str, span: int) -> None:
    row = find_row(FORM_2021.table("requests").rows, label)
    assert row.span() == span


def test_results_span_is_21_result_rows_plus_the_total_row() -> None:
    results = find_row(FORM_2021.table("requests").rows, "三、本年度办理结果")
    leaves = [leaf for _ancestors, leaf in results.leaves()]
    assert len([leaf for leaf in leaves if not leaf.is_total]) == 21
    assert [leaf.label for leaf in leaves if leaf.is_total] == ["（七）总计"]
    assert leaves[-1].is_total
    assert results.span() == len(leaves) == 22


def test_only_results_total_is_a_total_row() -> None:
    total_rows = [
        path
        for table in FORM_2021.tables
        for path, _ancestors, leaf in table.leaf_rows()
        if leaf.is_total
    ]
    assert total_rows == ["requests.results.total"]


def test_table_3_header_cells() -> None:
    table = FORM_2021.table("requests")
    assert table.label_columns == 3
    assert [[(c.text, c.rowspan, c.colspan) for c in row] for row in table.header] == [
        [(CORNER_NOTE, 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [
            ("商业企业", 1, 1),
            ("科研机构", 1, 1),
            ("社会公益组织", 1, 1),
            ("法律服务机构", 1, 1),
            ("其他", 1, 1),
        ],
    ]


def test_table_3_header_fills_its_grid_exactly_once() -> None:
    table = FORM_2021.table("requests")
    width = table.label_columns + len(REQUEST_COLUMNS)
    assert width == 10
    grid = place_header(table.header, width)
    assert set(grid) == {(r, c) for r in range(3) for c in range(10)}
    corner, applicants = table.header[0]
    natural, legal_persons, total = table.header[1]
    assert origin_of(grid, corner) == (0, 0)
    assert origin_of(grid, applicants) == (0, 3)
    assert origin_of(grid, natural) == (1, 3)
    assert origin_of(grid, legal_persons) == (1, 4)
    assert origin_of(grid, total) == (1, 9)
    assert [origin_of(grid, cell) for cell in table.header[2]] == [(2, c) for c in range(4, 9)]


def test_table_3_header_bottom_labels_are_the_value_columns() -> None:
    table = FORM_2021.table("requests")
    grid = place_header(table.header, table.label_columns + len(REQUEST_COLUMNS))
    bottom = len(table.header) - 1
    labels = [grid[bottom, table.label_columns + j].text for j in range(len(REQUEST_COLUMNS))]
    assert labels == REQUEST_COLUMN_LABELS


def test_table_3_balance_is_the_corner_note() -> None:
    table = FORM_2021.table("requests")
    # 第一项加第二项之和，等于第三项加第四项之和: 一 + 二 == 三（七）总计 + 四
    assert table.balance == (("new_received", "carried_over"), ("results.total", "carried_forward"))
    assert table.balance_note == CORNER_NOTE
    assert table.header[0][0].text == table.balance_note


# --- table 4 ---------------------------------------------------------------------------


def test_table_4_has_3_groups_of_5_with_labels() -> None:
    table = FORM_2021.table("appeals")
    assert [row.label for row in table.rows] == APPEAL_GROUP_LABELS
    assert [row.key for row in table.rows] == JSON_APPEAL_GROUPS
    for row in table.rows:
        assert row.is_leaf
        assert [c.label for c in row.columns] == OUTCOME_LABELS
        assert [c.key for c in row.columns] == JSON_OUTCOMES
    assert [c.label for c in OUTCOME_COLUMNS] == OUTCOME_LABELS
    assert [c.is_total for c in OUTCOME_COLUMNS] == [False] * 4 + [True]
    assert OUTCOME_COLUMNS[-1].total_of == tuple(JSON_OUTCOMES[:4])


def test_table_4_header_cells() -> None:
    table = FORM_2021.table("appeals")
    assert table.label_columns == 0
    assert [[(c.text, c.rowspan, c.colspan) for c in row] for row in table.header] == [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [
            *((label, 2, 1) for label in OUTCOME_LABELS),
            ("未经复议直接起诉", 1, 5),
            ("复议后起诉", 1, 5),
        ],
        [(label, 1, 1) for label in OUTCOME_LABELS * 2],
    ]


def test_table_4_header_fills_a_3_by_15_grid_exactly_once() -> None:
    table = FORM_2021.table("appeals")
    grid = place_header(table.header, 15)
    assert set(grid) == {(r, c) for r in range(3) for c in range(15)}
    review, litigation = table.header[0]
    assert origin_of(grid, review) == (0, 0)
    assert origin_of(grid, litigation) == (0, 5)
    second = table.header[1]
    assert [origin_of(grid, cell) for cell in second] == [(1, c) for c in range(5)] + [
        (1, 5),
        (1, 10),
    ]


def test_table_4_header_bottom_labels_are_the_value_columns() -> None:
    table = FORM_2021.table("appeals")
    grid = place_header(table.header, 15)
    labels = [grid[2, c].text for c in range(15)]
    columns = [column.label for row in table.rows for column in row.columns]
    assert labels == columns == OUTCOME_LABELS * 3
    # and the group headings sit over their groups
    assert [grid[0, c].text for c in range(0, 15, 5)] == ["行政复议", "行政诉讼", "行政诉讼"]
    assert [grid[1, c].text for c in (5, 10)] == APPEAL_GROUP_LABELS[1:]


def test_table_2_has_no_single_header() -> None:
    assert FORM_2021.table("proactive").header == ()


def test_place_header_rejects_a_bad_layout() -> None:
    # the grid check itself must be able to fail
    too_wide = ((HeaderCell(text="a", colspan=3),),)
    with pytest.raises(AssertionError):
        place_header(too_wide, 2)
    overlap = (
        (HeaderCell(text="a", rowspan=2), HeaderCell(text="b")),
        (HeaderCell(text="c", colspan=2),),
    )
    with pytest.raises(AssertionError):
        place_header(overlap, 2)
    short = ((HeaderCell(text="a"),),)
    assert set(place_header(short, 2)) != {(0, 0), (0, 1)}


# --- equations -------------------------------------------------------------------------


def test_equation_counts_per_rule() -> None:
    rules = Counter(eq.rule for eq in FORM_2021.equations)
    assert rules == {
        "requests.row-total": 25,
        "requests.results-total": 7,
        "requests.balance": 7,
        "appeals.total": 3,
    }
    assert len(FORM_2021.equations) == 42


def test_equations_are_grouped_by_rule() -> None:
    seen: list[str] = []
    for eq in FORM_2021.equations:
        if not seen or seen[-1] != eq.rule:
            assert eq.rule not in seen
            seen.append(eq.rule)
    for rule in seen:
        assert FORM_2021.equations_for(rule) == tuple(
            eq for eq in FORM_2021.equations if eq.rule == rule
        )
    assert FORM_2021.equations_for("no-such-rule") == ()


def test_every_equation_reads_cells_of_the_form() -> None:
    for eq in FORM_2021.equations:
        assert eq.left
        assert eq.right
        assert len(set(eq.cells)) == len(eq.cells)
        for path in eq.cells:
            assert FORM_2021.has_cell(path), f"{eq.rule} [{eq.instance}] reads {path}"
            assert FORM_2021.cell(path).kind == "count"


def test_total_equations_have_one_total_cell() -> None:
    for eq in FORM_2021.equations:
        if eq.kind == "total":
            assert len(eq.left) == 1
            assert eq.total == eq.left[0]
            spec = FORM_2021.cell(eq.total)
            assert spec.column.is_total or spec.row_path == "requests.results.total"


def test_balance_has_no_single_total() -> None:
    (eq, *_) = FORM_2021.equations_for("requests.balance")
    with pytest.raises(ValueError, match="balance"):
        _ = eq.total


def test_row_total_equations() -> None:
    equations = FORM_2021.equations_for("requests.row-total")
    assert [eq.instance for eq in equations] == JSON_REQUEST_ROWS
    for eq, row in zip(equations, JSON_REQUEST_ROWS, strict=True):
        assert eq.kind == "total"
        assert eq.left == (f"requests.{row}.total",)
        assert eq.right == tuple(f"requests.{row}.{column}" for column in JSON_COLUMNS[:6])


def test_results_total_parts_are_exactly_the_21_result_rows() -> None:
    equations = FORM_2021.equations_for("requests.results-total")
    assert [eq.instance for eq in equations] == JSON_COLUMNS
    assert len(NON_TOTAL_RESULT_ROWS) == 21
    for eq, column in zip(equations, JSON_COLUMNS, strict=True):
        assert eq.kind == "total"
        assert eq.left == (f"requests.results.total.{column}",)
        assert eq.right == tuple(f"requests.{row}.{column}" for row in NON_TOTAL_RESULT_ROWS)


def test_balance_equations_follow_the_corner_note() -> None:
    equations = FORM_2021.equations_for("requests.balance")
    assert [eq.instance for eq in equations] == JSON_COLUMNS
    for eq, column in zip(equations, JSON_COLUMNS, strict=True):
        assert eq.kind == "balance"
        assert eq.left == (f"requests.new_received.{column}", f"requests.carried_over.{column}")
        assert eq.right == (
            f"requests.results.total.{column}",
            f"requests.carried_forward.{column}",
        )


def test_appeals_total_equations() -> None:
    equations = FORM_2021.equations_for("appeals.total")
    assert [eq.instance for eq in equations] == JSON_APPEAL_GROUPS
    for eq, group in zip(equations, JSON_APPEAL_GROUPS, strict=True):
        assert eq.kind == "total"
        assert eq.left == (f"appeals.{group}.total",)
        assert eq.right == tuple(f"appeals.{group}.{key}" for key in JSON_OUTCOMES[:4])


def test_total_cells_are_exactly_the_total_columns() -> None:
    # every 总计 cell is derived by some equation, and nothing else is
    derived = {eq.total for eq in FORM_2021.equations if eq.kind == "total"}
    totals = {cell.path for cell in FORM_2021.cells if cell.column.is_total}
    totals |= {cell.path for cell in FORM_2021.cells if cell.row_path == "requests.results.total"}
    assert derived == totals
    assert len(derived) == 25 + 6 + 3


def test_equation_cells_property() -> None:
    eq = Equation(rule="r", kind="balance", instance="i", left=("a", "b"), right=("c",))
    assert eq.cells == ("a", "b", "c")


@pytest.mark.parametrize("form", [FORM_2021, FORM_2019], ids=["2021", "2019"])
def test_tables_sections_and_header_fields_are_found_by_key(form: FormSpec) -> None:
    for table in form.tables:
        assert form.table(table.key) is table
    for section in form.sections:
        assert form.section(section.key) is section
    for field in form.header_fields:
        assert form.header_field(field.key) is field
    for lookup, what in (
        (form.table, "table"),
        (form.section, "section"),
        (form.header_field, "header field"),
    ):
        with pytest.raises(KeyError, match=f"no {what} 'nowhere' in format {form.id}"):
            lookup("nowhere")
