"""The plain-text renderer: the layout of text taken from a docx, as in the seed."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples, reports
from gipreport import RenderError, TextOptions
from gipreport._rendering import to_text
from gipreport._rendering.layout import table_layout
from gipreport._rendering.to_text import TEXT_RENDERER, render_text
from gipreport.layout import Covered, layout
from golden_support import check_golden

TESTS = Path(__file__).parent
GOLDEN = TESTS / "golden" / "mingan_2023.txt"
# A copy of shared/seed/000_fa91a11b534f0ea9.txt: the report as text from its docx.
SEED = TESTS / "data" / "mingan_2023_seed.txt"
HEADINGS = re.compile(r"^[一二三四五六]、")


@pytest.fixture(scope="module")
def text() -> str:
    return render_text(gipreport.examples.mingan_2023())


@pytest.fixture(scope="module")
def seed_text() -> str:
    """The example in the seed's own sub-heading style, ``（1） 主动公开情况``."""
    return render_text(
        gipreport.examples.mingan_2023(), TextOptions(subheading_style="arabic-spaced")
    )


def seed_lines() -> list[str]:
    """Return the seed's lines with the artefacts of its docx removed.

    The differences between our text and the seed, all artefacts of that one
    docx rather than of the form:

    - "[bookmark: _GoBack]" inside a sub-heading (a Word bookmark);
    - lines holding only a non-breaking space (empty paragraphs around tables);
    - header labels broken over two lines inside their cell ("商业\\n企业",
      "结果\\n维持"): we write each label on one line;
    - the empty paragraph before table 4 and the three before the signature: we
      write no empty line after a heading and one before the signature;
    - a paragraph indented with spaces: a text of a report has no whitespace at its
      ends (indentation is layout), and we indent every paragraph by two U+3000
      (:func:`unindented` takes that off ours).
    """
    lines = SEED.read_text(encoding="utf-8").replace("[bookmark: _GoBack]", "").split("\n")
    out: list[str] = []
    for line in lines:
        if line == "\xa0":
            continue
        if out and out[-1].startswith("\t") and line and not line.startswith("\t"):
            out[-1] += line  # the rest of a label broken inside its cell
            continue
        out.append(line if line.startswith("\t") else line.strip())
    return out


def unindented(text: str) -> list[str]:
    """Return the lines of our text without the indentation of its paragraphs."""
    return [line.removeprefix("\u3000\u3000") for line in text.split("\n")]


def tables_of(lines: list[str]) -> list[list[str]]:
    """Return each table's lines, from its first cell line to its last row's end."""
    tables: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if line.startswith("\t"):
            if current is None:
                current = []
                tables.append(current)
            current.append(line)
        elif line == "" and current is not None:
            current.append(line)
        else:
            current = None
    return [table[: max(i for i, line in enumerate(table) if line) + 2] for table in tables]


def test_golden(text: str) -> None:
    check_golden(GOLDEN, text)


def test_tables_are_the_seeds_cell_for_cell(text: str) -> None:
    ours = tables_of(text.split("\n"))
    seed = tables_of(seed_lines())
    assert len(ours) == len(seed) == 3
    for number, (mine, theirs) in enumerate(zip(ours, seed, strict=True), start=2):
        assert mine == theirs, f"table {number}"


def _prose_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line and not line.startswith("\t")]


def test_text_outside_tables_is_the_seeds(seed_text: str) -> None:
    assert _prose_lines(unindented(seed_text)) == _prose_lines(seed_lines())


def test_the_default_numbers_sub_headings_as_gb_t_9704_does(text: str, seed_text: str) -> None:
    # The seed prints （1） 主动公开情况; GB/T 9704's second level is （一）, no space.
    ours, seeds = _prose_lines(unindented(text)), _prose_lines(unindented(seed_text))
    changed = [(a, b) for a, b in zip(ours, seeds, strict=True) if a != b]
    assert changed == [
        ("（一）主动公开情况", "（1） 主动公开情况"),
        ("（二）依申请公开情况", "（2） 依申请公开情况"),
        ("（三）政府信息管理情况", "（3） 政府信息管理情况"),
        ("（四）政府信息公开平台建设情况", "（4） 政府信息公开平台建设情况"),
        ("（五）监督保障情况", "（5） 监督保障情况"),
    ]


def test_whole_text_differs_from_the_seed_only_in_empty_lines(seed_text: str) -> None:
    seed = seed_lines()
    # The seed's extra empty paragraphs: one after heading 四, two more before
    # the signature; beyond those, line for line equal.
    ours = unindented(seed_text)
    assert len(seed) - len(ours) == 2  # and our empty line after the title
    assert [line for line in ours if line] == [line for line in seed if line]


def test_structure_lines(text: str) -> None:
    lines = text.split("\n")
    assert lines[0] == "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"
    assert [line for line in lines if HEADINGS.match(line)] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert "（一）主动公开情况" in lines
    assert lines[-4:] == ["", "乌拉特前旗明安镇人民政府", "2024年1月10日", ""]
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_merged_cells_as_python_docx_shows_them(text: str) -> None:
    (requests,) = [t for t in tables_of(text.split("\n")) if "\t申请人情况" in t]
    rows = "\n".join(requests).split("\n\n")
    assert rows[0].split("\n") == [
        "\t（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "\t申请人情况",
    ]
    # The corner continues below: one empty tab line per row, not per column.
    assert rows[1].split("\n") == ["\t", "\t自然人", "\t法人或其他组织", "\t总计"]
    assert rows[2].split("\n")[:2] == ["\t", "\t"]
    assert rows[2].split("\n")[-1] == "\t"
    assert rows[7].split("\n")[:3] == ["\t", "\t（三）不予公开", "\t1.属于国家秘密"]
    assert rows[8].split("\n")[:3] == ["\t", "\t", "\t2.其他法律行政法规禁止公开"]


def test_values_blanks_and_the_fee() -> None:
    report = gipreport.examples.mingan_2023().with_cells(
        {
            "proactive.fees.amount": Decimal("18.8710"),
            "proactive.licensing.decisions": 517645,
            "appeals.review.upheld": None,
        }
    )
    lines = render_text(report).split("\n")
    fee = lines.index("\t行政事业性收费")
    assert lines[fee + 1] == "\t18.8710"
    licensing = lines.index("\t行政许可")
    assert lines[licensing + 1] == "\t517645"
    # Table 4's value row starts with the blank: a tab line, never "0".
    last_header = max(i for i, line in enumerate(lines) if line == "\t总计")
    assert lines[last_header + 2] == "\t"
    assert lines[last_header + 3] == "\t0"


def test_no_date_no_date_line() -> None:
    report = attrs.evolve(gipreport.examples.mingan_2023(), published_on=None)
    assert render_text(report).endswith("\n\n乌拉特前旗明安镇人民政府\n")


def test_crlf_newlines() -> None:
    report = gipreport.examples.mingan_2023()
    crlf = gipreport.render(report, "text", newline="\r\n")
    assert isinstance(crlf, str)
    assert crlf == render_text(report).replace("\n", "\r\n")


def test_options_are_checked() -> None:
    with pytest.raises(RenderError) as info:
        TextOptions(newline="\r")  # type: ignore[arg-type]
    assert info.value.valid == ("\n", "\r\n")
    with pytest.raises(TypeError):
        TextOptions("\n")  # type: ignore[call-arg]


def test_renderer_object() -> None:
    assert TEXT_RENDERER.name == "text"
    assert TEXT_RENDERER.media_type == "text/plain"
    assert not TEXT_RENDERER.binary
    assert TEXT_RENDERER.options is TextOptions
    assert isinstance(TEXT_RENDERER, gipreport.Renderer)


def test_deterministic(text: str) -> None:
    assert render_text(gipreport.examples.mingan_2023()) == text
    assert gipreport.render(gipreport.examples.mingan_2023(), "text") == text


@settings(max_examples=examples(50), deadline=None)
@given(reports(blanks=True))
def test_any_report_renders_every_text_and_value(report: gipreport.Report) -> None:
    lines = render_text(report).split("\n")
    laid_out = layout(report)
    assert lines[0] == laid_out.title
    cell_lines = [line for line in lines if line.startswith("\t")]
    expected = [
        "\t" + slot.text if not isinstance(slot, Covered) else "\t"
        for table in laid_out.tables
        for row in table.grid()
        for slot in row
        if not (isinstance(slot, Covered) and slot.horizontal)
    ]
    # Prose may start with a tab too; the table cells are a subsequence in order.
    it = iter(cell_lines)
    assert all(any(line == want for line in it) for want in expected)
    joined = "\n".join(lines)
    for section in laid_out.sections:
        assert section.heading in lines
        if section.prose is not None:
            for paragraph in section.prose.paragraphs:
                assert paragraph in joined


@settings(max_examples=examples(40), deadline=None)
@given(
    st.sampled_from(("2021", "2019")).flatmap(
        lambda fmt: st.booleans().flatmap(lambda blanks: reports(format=fmt, blanks=blanks))
    )
)
def test_tables_filled_from_their_templates_are_the_layouts_text(report: gipreport.Report) -> None:
    values = report.values()
    for table in report.form.tables:
        filled: list[str] = []
        to_text._fill(filled, to_text._template(table), values)
        direct: list[str | to_text.Slot] = []
        to_text._table(direct, table_layout(table, values))
        assert filled == direct
        assert "\n".join(filled) in render_text(report)
