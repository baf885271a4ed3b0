"""Reading the text kinds real reports come in: markdown conversions and PDF text layers.

The real reports (``tests/data/real``, a copy of the shared corpus) are read to
their ``expected.json`` cells; generated reports rendered the way publishers
and converters lay them out (markdown pipe tables, ``pdftotext -layout``
columns with wrapped labels and page numbers) read back to their cells.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import gipreport
from budget_support import examples
from gipreport import Report
from gipreport import strategies as gs
from gipreport._core.form import FORM_2021, REQUEST_COLUMNS
from gipreport._rendering.layout import Covered, TableLayout, layout

REAL = Path(__file__).parent / "data" / "real"
# Publishers' paragraphs are sentences: they end with 。 (a paragraph that
# breaks off mid-sentence is read as going on in the next line).
SENTENCES = gs.chinese_text(min_size=1, max_size=30).map(lambda text: text + "。")
WHOLE_REPORTS = settings(max_examples=examples(30), deadline=None)


def _expected_cells(folder: Path) -> dict[str, Any]:
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    if "cells" in expected:
        return dict(expected["cells"])
    report = gipreport.load_json(json.dumps(expected["document"]))
    return {cell.path: report.cell(cell.path) for cell in FORM_2021.cells}


def _score(report: Report, cells: dict[str, Any]) -> tuple[int, int, list[str]]:
    """Return (cells read right, cells printed, the paths read wrong)."""

    def same(got: object, want: object) -> bool:
        return str(got) == str(want)

    printed = [path for path, value in cells.items() if value is not None]
    right = sum(1 for path in printed if same(report.cell(path), cells[path]))
    wrong = [
        path
        for path, value in cells.items()
        if report.cell(path) is not None and not same(report.cell(path), value)
    ]
    return right, len(printed), wrong


# Each real text file of these kinds: (file, kind, cells that need what this
# reader does not do).
REAL_TEXT: list[tuple[str, str, set[str]]] = [
    ("govnianbao-huaian-shi-2024/pdftotext-layout.txt", "layout-text", set()),
    # "2.其他法律行政止公开" (the source misprints the row's label) is read as
    # item 2 of （三）不予公开, with a label-variant note.
    ("kiro-hongze-qu-2024/pdftotext-layout.txt", "layout-text", set()),
    ("kiro-shuyang-xian-2025/source.txt", "markdown", set()),
]  # fmt: skip


@pytest.mark.parametrize(("name", "kind", "elsewhere"), REAL_TEXT)
def test_real_text_reads_to_its_cells(name: str, kind: str, elsewhere: set[str]) -> None:
    path = REAL / name
    result = gipreport.read(path)
    assert result.kind == kind
    assert result.notes_for("source-kind")
    right, printed, wrong = _score(result.report, _expected_cells(path.parent))
    print(f"{name}: cells read {right} / expected {printed} / wrong {len(wrong)}")
    assert wrong == []
    missing = {
        path_
        for path_, value in _expected_cells(path.parent).items()
        if value is not None and result.report.cell(path_) is None
    }
    assert missing == elsewhere


def test_layout_page_numbers_are_removed_and_noted() -> None:
    result = gipreport.read(REAL / "kiro-hongze-qu-2024" / "pdftotext-layout.txt")
    furniture = result.notes_for("page-furniture")
    assert [note.text for note in furniture] == ["-1-", "-2-", "-3-", "-4-", "-5-"]
    assert all(note.where.line for note in furniture)
    texts = [*result.report.preamble, *result.report.overview.paragraphs]
    assert not any("-3-" in text for text in texts)


def test_layout_running_headers_are_removed_and_noted() -> None:
    path = REAL / "kiro-hongze-qu-2024" / "pdftotext-layout.txt"
    header = "洪泽区2024年政府信息公开年报"
    text = path.read_text("utf-8")
    pages = text.count("\f")
    assert pages >= 2
    assert header not in text
    result = gipreport.read(text.replace("\f", f"\f        {header}\n"))
    running = [n for n in result.notes_for("page-furniture") if "running header" in n.message]
    assert [n.text for n in running] == [header] * pages
    assert len({n.where.line for n in running}) == pages
    assert not any(header in text for _path, text in result.report.texts())
    cells = _expected_cells(path.parent)
    right, _printed, wrong = _score(result.report, cells)
    assert (right, wrong) == (_score(gipreport.read(path).report, cells)[0], [])


def test_layout_paragraphs_are_reflowed() -> None:
    result = gipreport.read(REAL / "govnianbao-huaian-shi-2024" / "pdftotext-layout.txt")
    preamble = "".join(result.report.preamble)
    assert "根据《中华人民共和国政府信息公开条例》" in preamble.replace("政府信息", "政府信息")
    assert result.report.other_matters.paragraphs == (
        "2024 年，市政府严格落实《政府信息公开信息处理费管理办法》，"
        "全年收取政府信息公开信息处理费 3940 元。",
    )


def test_a_missing_value_is_blank_in_its_column_not_the_next_value_moved_over() -> None:
    text = (REAL / "govnianbao-huaian-shi-2024" / "pdftotext-layout.txt").read_text("utf-8")
    row = "行政规范性文件       8          26       66"
    assert row in text
    result = gipreport.read(text.replace(row, "行政规范性文件       8                   66"))
    report = result.report
    assert report.cell("proactive.normative_documents.issued") == 8
    assert report.cell("proactive.normative_documents.repealed") is None
    assert report.cell("proactive.normative_documents.in_force") == 66
    assert any(note.path == "proactive.normative_documents.repealed" for note in result.notes)


def test_markdown_headings_a_converter_ran_on_are_read_as_the_document_has_them() -> None:
    # "### 三是提高解读效能。" then its paragraph: one paragraph; "（三）精细化建设公开平台。
    # 我县坚持…" between "### （二）…" and "### （四）…": a sub-heading and its paragraph.
    folder = REAL / "kiro-shuyang-xian-2025"
    expected = json.loads((folder / "expected.json").read_text("utf-8"))["document"]
    want = gipreport.load_json(json.dumps(expected)).overview
    assert gipreport.read(folder / "source.txt").report.overview == want


def test_detect_format_tells_markdown() -> None:
    source = (REAL / "kiro-shuyang-xian-2025" / "source.txt").read_bytes()
    assert gipreport.detect_format(source) == "markdown"
    assert gipreport.read(source, format="text").kind == "text"


def test_the_seed_still_reads_exactly() -> None:
    seed = Path(__file__).parent / "data" / "mingan_2023_seed.txt"
    result = gipreport.read_text(seed)
    assert result.kind == "text"
    assert result.report == gipreport.examples.mingan_2023()
    assert not result.notes_for("source-kind")


# --- generated reports, rendered the way publishers lay them out ------------------------


def _grid_texts(table: TableLayout, *, repeat: bool) -> list[list[tuple[str, str | None]]]:
    """Return each grid row as (text, path) per slot; covered slots repeat or are empty."""
    rows: list[list[tuple[str, str | None]]] = []
    for slots in table.grid():
        row: list[tuple[str, str | None]] = []
        for slot in slots:
            if isinstance(slot, Covered):
                row.append((slot.origin.text if repeat else "", None))
            else:
                row.append((slot.text, slot.path))
        rows.append(row)
    return rows


def to_markdown(report: Report, *, repeat: bool = True) -> str:
    """Return ``report`` as a converter writes markdown: # headings, pipe tables."""
    doc = layout(report)
    lines = [f"# {doc.title}", "", *[p + "\n" for p in doc.preamble]]
    for section in doc.sections:
        lines += [f"## {section.heading}", ""]
        if section.prose is not None:
            lines += [p + "\n" for p in section.prose.paragraphs]
            for number, heading, paragraphs in section.prose.subsections:
                lines += [f"### {number} {heading}", "", *[p + "\n" for p in paragraphs]]
        if section.table is not None:
            rows = _grid_texts(section.table, repeat=repeat)
            for position, row in enumerate(rows):
                cells = [text.replace("|", "\\|").replace("\n", "<br>") for text, _ in row]
                lines.append("| " + " | ".join(cells) + " |")
                if position == 0:
                    lines.append("|" + "---|" * len(row))
            lines.append("")
    lines += [doc.signature_organ, doc.signature_date or ""]
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


LABEL_WIDTH = 24  # characters of a label printed on one line; longer labels wrap
VALUE_AT = 34  # where the first value column is printed (pdftotext: a character a column)
STEP = 9


def to_layout_text(report: Report) -> str:
    """Return ``report`` as ``pdftotext -layout`` prints it: columns as spaces, labels
    wrapped over lines, a page number about every 40 lines."""
    doc = layout(report)
    lines = [f"      {doc.title}", "", *[f"  {p}" for p in doc.preamble]]
    for section in doc.sections:
        lines.append(f"  {section.heading}")
        if section.prose is not None:
            lines += [f"  {p}" for p in section.prose.paragraphs]
            for number, heading, paragraphs in section.prose.subsections:
                lines += [f"  {number} {heading}", *[f"  {p}" for p in paragraphs]]
        if section.table is not None:
            lines += _layout_table(section.table)
    lines += ["", f"            {doc.signature_organ}", f"            {doc.signature_date or ''}"]
    out: list[str] = []
    page_number, due = 1, False
    for count, line in enumerate(lines, start=1):
        out.append(line)
        due = due or count % 40 == 0
        if due and not line.strip():  # a page ends between rows, not inside one
            out += [f"                    -{page_number}-", "\f"]
            page_number, due = page_number + 1, False
    return "\n".join(out) + "\n"


def _layout_table(table: TableLayout) -> list[str]:
    lines: list[str] = [""]
    grid = _grid_texts(table, repeat=False)
    for row in grid:
        has_values = any(path is not None for _text, path in row)
        if not has_values:
            # A header line: each name printed over the column it heads.
            line = "    "
            for j, (text, _path) in enumerate(row):
                if text:
                    at = max(VALUE_AT + STEP * (j - _first_value(grid)), len(line) + 2)
                    line = line.ljust(at if j >= _first_value(grid) else len(line)) + text
            lines += [line.replace("\n", ""), ""]
            continue
        labels = [text.replace("\n", "") for text, path in row if path is None and text]
        # A group's label, then the row's, in their columns; the row's wraps in its column.
        group = "  ".join(labels[:-1])
        indent = len(group) + 2 if group else 0
        own = labels[-1] if labels else ""
        first, rest = own[:LABEL_WIDTH], own[LABEL_WIDTH:]
        line = (f"{group}  {first}" if group else first).ljust(VALUE_AT - 1)
        start = _first_value(grid)
        for j, (text, path) in enumerate(row):
            if path is not None and text:
                at = VALUE_AT + STEP * (j - start) + (6 - len(text))  # right-aligned in 6
                line = line.ljust(at) + text
        lines.append(line.rstrip())
        while rest:
            lines.append(" " * indent + rest[:LABEL_WIDTH])
            rest = rest[LABEL_WIDTH:]
        lines.append("")
    return [*lines, ""]


def _first_value(grid: list[list[tuple[str, str | None]]]) -> int:
    return min(j for row in grid for j, (_text, path) in enumerate(row) if path is not None)


def _standard(report: Report) -> Report:
    # A title of the report's own need not name the year; the form's does.
    return attrs.evolve(report, title=None)


def _assert_cells_read(report: Report, result: gipreport.ParseResult) -> None:
    """No cell read wrong, every blank blank; a printed value is read, or its loss is noted.

    (One row of values with a value missing, as table 4 prints, cannot be placed
    by where its values stand: it is read as blank, with a note on the row.)
    """
    wrong, lost = [], []
    assert result.report.format == report.format
    for cell in report.form.cells:
        got, want = result.report.cell(cell.path), report.cell(cell.path)
        if (got is not None and got != want) or (want is None and got is not None):
            wrong.append((cell.path, got, want))
        elif got is None and want is not None:
            lost.append(cell.path)
    assert wrong == []
    # Table 4's one row has no row path: its note names none.
    noted = [
        n.path or "appeals" for n in result.notes if n.code in ("missing-cells", "spans-ambiguous")
    ]
    assert [p for p in lost if not any(p.startswith(f"{path}.") for path in noted)] == []


@WHOLE_REPORTS
@given(gs.reports(blanks=True, text=SENTENCES))
def test_generated_reports_read_back_from_markdown(report: Report) -> None:
    report = _standard(report)
    result = gipreport.read(to_markdown(report))
    assert result.kind == "markdown"
    _assert_cells_read(report, result)


@WHOLE_REPORTS
@given(gs.reports(blanks=True, text=SENTENCES))
def test_generated_reports_read_back_from_layout_text(report: Report) -> None:
    report = _standard(report)
    result = gipreport.read(to_layout_text(report))
    assert result.kind == "layout-text"
    _assert_cells_read(report, result)


def test_a_row_printed_without_values_is_a_row_not_a_wrapped_label() -> None:
    # Found by the law above: the （七）总计 row of table 3 printed with no values
    # under "3.其他 …" was read as the end of 3.其他's label, losing both rows.
    report = gipreport.examples.mingan_2023().with_cells(
        {f"requests.results.total.{c.key}": None for c in REQUEST_COLUMNS}
        | {"requests.results.other.other.natural_person": 5}
    )
    result = gipreport.read(to_layout_text(report))
    assert result.kind == "layout-text"
    assert result.report.cell("requests.results.other.other.natural_person") == 5
    assert not [n for n in result.notes if n.code == "row-unknown" and "总计" in (n.text or "")]
    _assert_cells_read(report, result)


# --- the 2019 tables: the form spans table 2's values otherwise than its headers ---------


def to_markdown_emptied(report: Report) -> str:
    """:func:`to_markdown` with a merged cell's other slots left empty."""
    return to_markdown(report, repeat=False)


@WHOLE_REPORTS
@given(gs.reports(format="2019", blanks=True, text=SENTENCES))
def test_generated_2019_reports_read_back_from_markdown(report: Report) -> None:
    # Each merged cell repeated in every slot it spans: 上一年项目数量's value is
    # printed under 上一年项目数量 and under 本年增/减's first slot, and read once.
    report = _standard(report)
    result = gipreport.read(to_markdown(report))
    assert result.kind == "markdown"
    _assert_cells_read(report, result)
    assert not result.notes_for("spans-ambiguous")  # the header shows the repeats
    _assert_table_2_exact(report, result)


@WHOLE_REPORTS
@given(gs.reports(format="2019", blanks=True, text=SENTENCES))
def test_generated_2019_reports_read_back_from_markdown_with_merges_left_empty(
    report: Report,
) -> None:
    report = _standard(report)
    result = gipreport.read(to_markdown_emptied(report))
    assert result.kind == "markdown"
    _assert_table_2_exact(report, result)
    # Nothing read wrong anywhere (table 4's emptied header loses columns, noted).
    for cell in report.form.cells:
        got = result.report.cell(cell.path)
        assert got is None or got == report.cell(cell.path), cell.path


@WHOLE_REPORTS
@given(gs.reports(format="2019", blanks=True, text=SENTENCES))
def test_generated_2019_reports_read_back_from_layout_text(report: Report) -> None:
    # A value is placed by the column it stands in among its block's rows; a
    # block whose column is blank in every row loses that row, with a note.
    report = _standard(report)
    result = gipreport.read(to_layout_text(report))
    assert result.kind == "layout-text"
    assert result.report.format == "2019"
    _assert_cells_read(report, result)


def _assert_table_2_exact(report: Report, result: gipreport.ParseResult) -> None:
    table_2 = [c.path for c in report.form.cells if c.path.startswith("proactive.")]
    assert {p: result.report.cell(p) for p in table_2} == {p: report.cell(p) for p in table_2}


def test_the_2019_example_in_markdown_reads_its_signed_changes_under_their_header() -> None:
    report = _standard(gipreport.examples.made_up_2020())
    text = to_markdown(report)
    assert "| 行政许可 | 132 | 132 | -2 | 5872 |" in text  # 132 spans two slots
    result = gipreport.read(text)
    assert result.report.format == "2019"
    assert result.report.cell("proactive.licensing.previous_items") == 132
    assert result.report.cell("proactive.licensing.change") == -2
    assert result.report.cell("proactive.other_services.change") == 3
    assert result.report.values() == report.values()


def test_a_2019_row_that_fits_the_grid_two_ways_is_blank_with_a_note() -> None:
    # Without its header row, the （五） block does not show how the converter
    # printed a merged cell: "7 | 7 | 2 | " is 7, 2, blank (7 spanning two slots)
    # or 7, 7, 2 (each once, the row padded). Neither is guessed.
    report = _standard(gipreport.examples.made_up_2020())
    text = to_markdown(report)
    header = "| 信息内容 | 上一年项目数量 | 本年增/减 | 本年增/减 | 处理决定数量 |\n"
    start = text.index("| 第二十条第（五）项")
    at = text.index(header, start)
    text = text[:at] + text[at + len(header) :]
    text = text.replace("| 行政许可 | 132 | 132 | -2 | 5872 |", "| 行政许可 | 7 | 7 | 2 |  |")
    result = gipreport.read(text)
    (note,) = result.notes_for("spans-ambiguous")
    assert note.path == "proactive.licensing"
    assert note.text == "7 / 7 / 2 / "
    assert note.where.line == text[: text.index("| 行政许可")].count("\n") + 1
    for column in ("previous_items", "change", "decisions"):
        assert result.report.cell(f"proactive.licensing.{column}") is None
    # The block's other row fits one way only (45 spanning two slots): read.
    assert [
        result.report.cell(f"proactive.other_services.{column}")
        for column in ("previous_items", "change", "decisions")
    ] == [45, 3, 1210]


def test_a_2019_markdown_table_2_printed_a_cell_once_a_row_padded_at_its_end() -> None:
    # As crawlers and some converters print it: each row's cells once, then
    # empty cells to the table's width (the chibi excerpt's table, as markdown).
    lines = [
        "## 二、主动公开政府信息情况",
        "",
        "| 第二十条第（五）项 | | | | |",
        "|---|---|---|---|---|",
        "| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 | |",
        "| 行政许可 | 9 | -1 | 40 | |",
        "| 其他对外管理服务事项 | 3 |  | 5 | |",
        "",
        "## 三、收到和处理政府信息公开申请情况",
    ]
    result = gipreport.read("\n".join(lines), organ="某局", year=2020)
    assert result.report.format == "2019"
    assert result.report.cell("proactive.licensing.previous_items") == 9
    assert result.report.cell("proactive.licensing.change") == -1
    assert result.report.cell("proactive.licensing.decisions") == 40
    assert result.report.cell("proactive.other_services.previous_items") == 3
    assert result.report.cell("proactive.other_services.change") is None
    assert result.report.cell("proactive.other_services.decisions") == 5
    assert not result.notes_for("spans-ambiguous")
