"""Reading text whose table rows are cells each followed by ``|`` (crawlers, web archives).

A web page's text as a crawler or an archive stored it prints each table row as
the cells of its ``<tr>`` each followed by " |", a merged cell once, and pads a row
short of the table's width with one "|" a missing column ("第二十条第(一)项 | ||||").
The real 2019-format excerpts (``tests/data/real/excerpts-2019``) are printed so;
generated reports of both formats rendered so read back to their cells.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gipreport
from budget_support import examples, reports
from gipreport import Report
from gipreport import strategies as gs
from gipreport._reading.api import text_kind
from gipreport._rendering.layout import Covered, TableLayout, format_value, layout

EXCERPTS = Path(__file__).parent / "data" / "real" / "excerpts-2019"
EXPECTED = {
    e["file"]: e for e in json.loads((EXCERPTS / "expected.json").read_text("utf-8"))["excerpts"]
}
SPLIT_BY_BARS = ("chibi-pufanggongyeyuanqu_2020.txt", "xiaogan-shizhengfubangongshi_2020.txt")
WHOLE_REPORTS = settings(max_examples=examples(15), deadline=None)


def _printed(result: gipreport.ParseResult) -> dict[str, Any]:
    return {p: v for p, v in result.report.values().items() if v is not None}


def _want(excerpt: dict[str, Any]) -> dict[str, Any]:
    # An amount is written as a string in expected.json ("0"): read as a Decimal.
    return {
        p: Decimal(v) if isinstance(v, str) else v for p, v in excerpt["expected_cells"].items()
    }


@pytest.mark.parametrize("name", SPLIT_BY_BARS)
def test_a_real_2019_excerpt_split_by_bars_reads_what_it_prints(name: str) -> None:
    excerpt = EXPECTED[name]
    path = EXCERPTS / name
    assert text_kind(path.read_text("utf-8")) == "text"
    result = gipreport.read(path)
    report = result.report
    assert (report.format, report.year) == (excerpt["format"], excerpt["year"])
    printed = _printed(result)
    table_2 = {p: v for p, v in printed.items() if p.startswith("proactive.")}
    assert table_2 == _want(excerpt)
    assert result.notes_for("source-kind")
    # Cut off: the tables it does not print are missing, with error notes.
    assert {n.path for n in result.errors} == (
        {"appeals"} if name.startswith("chibi") else {"requests", "appeals"}
    )


def test_the_chibi_excerpt_reads_its_printed_table_3_rows_and_not_the_one_cut_off() -> None:
    # Its table 3 prints its header, the rows 一 and 二 whole (seven 0 each), and
    # the first three values of （一）予以公开 before the excerpt ends.
    result = gipreport.read(EXCERPTS / "chibi-pufanggongyeyuanqu_2020.txt")
    requests = {p: v for p, v in _printed(result).items() if p.startswith("requests.")}
    rows = ("requests.new_received", "requests.carried_over")
    assert set(requests) == {
        f"{row}.{c}"
        for row in rows
        for c in (
            "natural_person",
            "commercial",
            "research",
            "social_welfare",
            "legal_services",
            "other_org",
            "total",
        )
    }
    assert set(requests.values()) == {0}
    (cut,) = [n for n in result.notes if n.code == "missing-cells"]
    assert cut.path == "requests.results.disclosed"
    assert cut.where.line == 31
    assert cut.text == "0 / 0 / 0"
    assert result.report.cell("requests.results.disclosed.natural_person") is None


def test_an_empty_line_after_every_line_changes_nothing_read() -> None:
    path = EXCERPTS / "chibi-pufanggongyeyuanqu_2020.txt"
    spaced = "\n\n".join(path.read_text("utf-8").splitlines())
    assert _printed(gipreport.read(spaced)) == _printed(gipreport.read(path))


def test_an_organs_own_row_is_a_note_not_a_cell() -> None:
    result = gipreport.read(EXCERPTS / "xiaogan-shizhengfubangongshi_2020.txt")
    (row,) = result.notes_for("row-unknown")
    assert row.text == "其他主动公开文件 / 56 / 45"
    assert row.where.line == 16
    assert 56 not in _printed(result).values()


def test_a_lone_line_with_bars_stays_a_paragraph() -> None:
    # A site's navigation ("首页 | 政务公开 | 渝快办") is one line, not a table.
    report = gipreport.examples.made_up_2020()
    text = to_pipe_text(report)
    title = text.index("\n")
    text = text[:title] + "\n首页 | 政务公开 | 渝快办\n\n" + text[title + 1 :]
    result = gipreport.read(text)
    assert result.report.values() == report.values()
    assert any(n.text == "首页 | 政务公开 | 渝快办" for n in result.notes_for("extra-text"))


def test_a_table_of_too_many_cells_is_refused_in_bounded_time() -> None:
    rows = ["规章 |" + " 0 |" * 1_000 for _ in range(300)]
    with pytest.raises(gipreport.ParseError, match="cells") as raised:
        gipreport.read("\n".join(["二、主动公开政府信息情况", *rows]))
    assert "line 2" in str(raised.value)


# --- generated reports, printed as a crawler stores a page ------------------------------


def _pipe_rows(table: TableLayout) -> list[str]:
    lines = []
    for row in table.rows:
        texts = [
            format_value(cell.value, signed=cell.path is not None and ".change" in cell.path)
            if cell.role == "value"
            else cell.text.replace("\n", " ")
            for cell in row.cells
        ]
        missing = table.width - len(texts)
        line = " ".join(f"{text} |" for text in texts)
        lines.append(line + (" " + "|" * missing if missing > 0 else ""))
    return lines


def _grid_rows(table: TableLayout) -> list[str]:
    # Each grid slot a cell, a merged cell's text in every slot it spans.
    return [
        " ".join(
            f"{(s.origin if isinstance(s, Covered) else s).text.replace(chr(10), ' ')} |"
            for s in row
        )
        for row in table.grid()
    ]


def to_pipe_text(report: Report, *, grid: bool = False) -> str:
    """Return ``report`` as a crawler stores its page: each ``<tr>`` a line of cells and bars.

    ``grid``: as a converter that repeats a merged cell in every slot it spans.
    """
    doc = layout(report)
    lines = [doc.title, *doc.preamble]
    for section in doc.sections:
        lines.append(section.heading)
        if section.prose is not None:
            lines += section.prose.paragraphs
            for number, heading, paragraphs in section.prose.subsections:
                lines += [f"{number} {heading}", *paragraphs]
        if section.table is not None:
            lines += _grid_rows(section.table) if grid else _pipe_rows(section.table)
    lines += [doc.signature_organ, doc.signature_date or ""]
    return "\n".join(lines) + "\n"


SENTENCES = gs.chinese_text(min_size=1, max_size=30).map(lambda text: text + "。")


@WHOLE_REPORTS
@given(
    st.sampled_from(["2019", "2021"]).flatmap(
        lambda fmt: reports(format=fmt, blanks=True, text=SENTENCES)
    )
)
def test_generated_reports_read_back_from_pipe_text(report: Report) -> None:
    report = attrs.evolve(report, title=None)  # the form's title names the year
    result = gipreport.read(to_pipe_text(report))
    assert result.kind == "text"
    assert result.report.format == report.format
    assert result.report.values() == report.values()


@WHOLE_REPORTS
@given(
    st.sampled_from(["2019", "2021"]).flatmap(
        lambda fmt: reports(format=fmt, blanks=True, text=SENTENCES)
    )
)
def test_generated_reports_read_back_from_pipe_text_with_merged_cells_repeated(
    report: Report,
) -> None:
    # "行政许可 | 132 | 132 | -2 | 5872 |": 上一年项目数量's value spans two slots of
    # the 2019 grid; the header's repeats show it, and 本年增/减 reads -2.
    report = attrs.evolve(report, title=None)
    result = gipreport.read(to_pipe_text(report, grid=True))
    assert result.report.format == report.format
    assert result.report.values() == report.values()
