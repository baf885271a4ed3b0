"""The 2019 format end to end: form, model, JSON, checks, layout and renderers."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import gipreport
from budget_support import examples, invalid_reports, reports
from gipreport import (
    Columns,
    InvalidValueError,
    ItemCounts,
    LoadError,
    Proactive,
    Proactive2019,
    Report,
    Requests,
    Requests2019,
    check,
    check_series,
    derive_totals,
    dump_json,
    load_json,
    sum_reports,
)
from gipreport import strategies as gs
from gipreport._core.model import KIND, TABLE_CLASSES
from gipreport.examples import made_up_2020, made_up_2020_json
from gipreport.form import FORM_2019, FORM_2019_LABELS, FORM_2021, FORMATS, Row
from gipreport.layout import Covered, layout
from gipreport.strategies import arithmetic_rules
from golden_support import check_golden

GOLDEN = Path(__file__).parent / "golden"


def example() -> Report:
    return made_up_2020()


# --- the form ---------------------------------------------------------------------------


def test_2019_cells_and_relations() -> None:
    assert len(FORM_2019.cells) == 22 + 23 * 7 + 15
    counts = {rule: len(FORM_2019.equations_for(rule)) for rule in arithmetic_rules("2019")}
    assert counts == {
        "requests.row-total": 23,
        "requests.results-total": 7,
        "requests.balance": 7,
        "appeals.total": 3,
    }
    assert sum(counts.values()) == 40
    first = FORM_2019.equations_for("requests.results-total")[0]
    assert len(first.right) == 19  # leaf result rows: （六）其他处理 is one row


def test_2019_table_2_labels_as_printed() -> None:
    table = FORM_2019.table("proactive")
    blocks = [
        (
            block.label,
            [
                (leaf.label, [(c.key, c.label, c.kind) for c in leaf.columns])
                for _a, leaf in block.leaves()
            ],
        )
        for block in table.rows
    ]
    made = [
        ("made", "本年新制作数量", "count"),
        ("disclosed", "本年新公开数量", "count"),
        ("total_disclosed", "对外公开总数量", "count"),
    ]
    items = [
        ("previous_items", "上一年项目数量", "count"),
        ("change", "本年增/减", "signed"),
        ("decisions", "处理决定数量", "count"),
    ]
    assert blocks == [
        ("第二十条第（一）项", [("规章", made), ("规范性文件", made)]),
        ("第二十条第（五）项", [("行政许可", items), ("其他对外管理服务事项", items)]),
        ("第二十条第（六）项", [("行政处罚", items), ("行政强制", items)]),
        ("第二十条第（八）项", [("行政事业性收费", items[:2])]),
        (
            "第二十条第（九）项",
            [
                (
                    "政府集中采购",
                    [("projects", "采购项目数量", "count"), ("amount", "采购总金额", "amount")],
                )
            ],
        ),
    ]
    assert FORM_2019.cell("proactive.procurement.amount").unit == "万元"


def test_2019_table_3_has_a_one_row_other() -> None:
    other = FORM_2019.cell("requests.results.other.total")
    assert other.label == "三、本年度办理结果（六）其他处理 · 总计"
    rows = [path for path, _a, _leaf in FORM_2019.table("requests").leaf_rows()]
    assert len(rows) == 23
    rows_2021 = [path for path, _a, _leaf in FORM_2021.table("requests").leaf_rows()]
    one_row = [path for path in rows_2021 if not path.startswith("requests.results.other.")]
    one_row.insert(one_row.index("requests.results.total"), "requests.results.other")
    assert rows == one_row
    assert FORM_2019.table("appeals") is FORM_2021.table("appeals")


def test_labels_only_2019_prints() -> None:
    assert FORM_2019_LABELS == (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "其他对外管理服务事项",
        "第二十条第（九）项",
        "政府集中采购",
        "采购项目数量",
        "采购总金额",
    )


def test_formats_and_years() -> None:
    assert (FORM_2019.first_year, FORM_2019.last_year) == (2019, 2020)
    assert "国办公开办函〔2019〕60号" in FORM_2019.instrument
    assert set(FORMATS) == {"2019", "2021"}


# --- the layout: the printed 5-column grid ----------------------------------------------


def spans(row: Any) -> list[tuple[str, int]]:
    return [(cell.text, cell.colspan) for cell in row.cells]


def test_table_2_is_printed_on_a_5_column_grid() -> None:
    table = layout(example()).tables[0]
    assert table.width == 5
    rows = [spans(row) for row in table.rows]
    assert rows[0] == [("第二十条第（一）项", 5)]
    assert rows[1] == [
        ("信息内容", 1),
        ("本年新制作数量", 1),
        ("本年新公开数量", 2),
        ("对外公开总数量", 1),
    ]
    assert rows[3] == [("规范性文件", 1), ("12", 1), ("12", 2), ("86", 1)]
    assert rows[5] == [
        ("信息内容", 1),
        ("上一年项目数量", 1),
        ("本年增/减", 2),
        ("处理决定数量", 1),
    ]
    # The first value spans 2 columns under a 1-column 上一年项目数量 header; signed.
    assert rows[6] == [("行政许可", 1), ("132", 2), ("-2", 1), ("5872", 1)]
    assert rows[7] == [("其他对外管理服务事项", 1), ("45", 2), ("+3", 1), ("1210", 1)]
    assert rows[-4] == [("行政事业性收费", 1), ("4", 2), ("0", 2)]
    assert rows[-2] == [("信息内容", 1), ("采购项目数量", 2), ("采购总金额", 2)]
    assert rows[-1] == [("政府集中采购", 1), ("18", 2), ("25.1000", 2)]
    assert len(rows) == 2 * 5 + (2 + 2 + 2 + 1 + 1)  # per block a title and a header
    table.grid()  # tiles the grid exactly


def test_table_3_in_2019_has_23_data_rows() -> None:
    table = layout(example()).tables[1]
    assert len(table.body) == 23
    labels = [slot for row in table.grid() for slot in row[1:2] if not isinstance(slot, Covered)]
    (other,) = [slot for slot in labels if "其他处理" in slot.text]
    assert other.colspan == 2  # （六） spans the two inner label columns: no sub-rows


# --- the model --------------------------------------------------------------------------


def keyed(rows: tuple[Row, ...]) -> list[Row]:
    found: list[Row] = []
    for row in rows:
        found.extend(keyed(row.children) if row.layout_only else [row])
    return found


def same_tree(obj: Any, rows: tuple[Row, ...]) -> None:
    assert [f.name for f in attrs.fields(type(obj))] == [row.key for row in keyed(rows)]
    for row in keyed(rows):
        child = getattr(obj, row.key)
        if row.is_leaf:
            fields = attrs.fields(type(child))
            assert [(f.name, f.metadata[KIND]) for f in fields] == [
                (c.key, c.kind) for c in row.columns
            ]
        else:
            same_tree(child, row.children)


@pytest.mark.parametrize("form", FORMATS.values(), ids=lambda form: form.id)
def test_model_tree_equals_form_tree_for_each_format(form: Any) -> None:
    report = Report(format=form.id, organ="某县人民政府", year=form.first_year)
    for table in form.tables:
        assert isinstance(getattr(report, table.key), TABLE_CLASSES[form.id][table.key])
        same_tree(getattr(report, table.key), table.rows)
    assert len(list(report.cells())) == len(form.cells)


def test_change_is_the_one_signed_count() -> None:
    assert ItemCounts(change=-253).change == -253
    with pytest.raises(InvalidValueError, match="negative"):
        ItemCounts(previous_items=-1)
    with pytest.raises(InvalidValueError, match="change"):
        ItemCounts(change=1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        ItemCounts(change=True)
    report = example()
    assert report.count("proactive.licensing.change") == -2
    with pytest.raises(TypeError):
        report.count("proactive.procurement.amount")


def test_the_format_chooses_the_table_classes() -> None:
    with pytest.raises(TypeError, match="Proactive2019"):
        Report(format="2019", organ="某县人民政府", year=2020, proactive=Proactive())
    with pytest.raises(TypeError, match="Requests"):
        Report(organ="某县人民政府", year=2021, requests=Requests2019())
    assert isinstance(Report(format="2019", organ="x", year=2020).proactive, Proactive2019)
    assert isinstance(Report(organ="x", year=2021).requests, Requests)


def test_cells_values_with_cells_on_2019() -> None:
    report = example()
    values = report.values()
    assert len(values) == 198
    assert values["requests.results.other.total"] == 1
    again = Report(format="2019", organ=report.organ, year=2020).with_cells(values)
    assert again.values() == values
    changed = report.with_cells(
        {"proactive.coercion.change": 5, "requests.results.other.commercial": 1}
    )
    assert changed.cell("proactive.coercion.change") == 5
    assert changed.requests.results.other == Columns(
        natural_person=1,
        commercial=1,
        research=0,
        social_welfare=0,
        legal_services=0,
        other_org=0,
        total=1,
    )
    with pytest.raises(KeyError, match="format 2019"):
        report.cell("requests.results.other.unpaid_fee.total")
    with pytest.raises(KeyError):
        report.with_cell("proactive.fees.amount", Decimal(1))


def test_derive_totals_and_sum_reports_on_2019() -> None:
    report = example()
    blanked = report.with_cells(
        {eq.total: None for eq in FORM_2019.equations if eq.kind == "total"}
    )
    assert derive_totals(blanked) == report
    total = sum_reports([report, report], organ="某某市人民政府", allow_duplicates=True)
    assert total.format == "2019"
    assert total.cell("proactive.licensing.change") == -4
    assert total.cell("proactive.procurement.amount") == Decimal("50.2000")
    assert check(total).ok
    with pytest.raises(ValueError, match="different formats: 2019, 2021"):
        sum_reports([report, gipreport.examples.mingan_2023()], organ="x", year=2020)


# --- JSON -------------------------------------------------------------------------------


def test_example_json_is_what_dump_writes() -> None:
    assert dump_json(example()) == made_up_2020_json()
    assert load_json(made_up_2020_json()) == example()


def test_json_keys_are_those_of_json_md() -> None:
    doc = json.loads(made_up_2020_json())
    proactive = doc["proactive"]
    assert {key: list(value) for key, value in proactive.items()} == {
        "rules": ["made", "disclosed", "total_disclosed"],
        "normative_documents": ["made", "disclosed", "total_disclosed"],
        "licensing": ["previous_items", "change", "decisions"],
        "other_services": ["previous_items", "change", "decisions"],
        "penalty": ["previous_items", "change", "decisions"],
        "coercion": ["previous_items", "change", "decisions"],
        "fees": ["previous_items", "change"],
        "procurement": ["projects", "amount"],
    }
    assert proactive["licensing"]["change"] == -2
    assert proactive["procurement"]["amount"] == "25.1000"
    results = doc["requests"]["results"]
    assert list(results) == [
        "disclosed",
        "partially_disclosed",
        "withheld",
        "unavailable",
        "not_processed",
        "other",
        "total",
    ]
    assert list(results["other"]) == [c.key for c in FORM_2019.table("requests").rows[0].columns]


def problems(doc: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(LoadError) as info:
        load_json(json.dumps(doc, ensure_ascii=False))
    return [(p.path, p.message) for p in info.value.errors]


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("proactive.licensing.change", 1.5, "integer (negative allowed)"),
        ("proactive.licensing.change", "+3", "integer (negative allowed)"),
        ("proactive.licensing.previous_items", -1, "negative"),
        ("proactive.procurement.amount", "251000元", "decimal amount"),
        ("requests.results.other.total", -1, "negative"),
    ],
)
def test_load_names_each_mistake_by_its_path(path: str, value: Any, words: str) -> None:
    doc = json.loads(made_up_2020_json())
    *parents, leaf = path.split(".")
    node = doc
    for key in parents:
        node = node[key]
    node[leaf] = value
    ((where, message),) = problems(doc)
    assert where == path
    assert words in message


def test_2019_tables_under_format_2021_are_one_problem_at_format() -> None:
    doc = json.loads(made_up_2020_json())
    doc["format"] = "2021"
    ((where, message),) = problems(doc)
    assert where == "format"
    assert "format '2019'" in message


def test_a_mixed_document_names_every_key() -> None:
    doc = json.loads(made_up_2020_json())
    doc["requests"]["results"]["other"] = {"no_correction": None}
    found = problems(doc)
    assert ("requests.results.other.no_correction", "unknown key") in found


def validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_schema_covers_both_formats_by_format() -> None:
    schema = gipreport.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    both = validator(schema)
    assert both.is_valid(json.loads(made_up_2020_json()))
    assert both.is_valid(json.loads(gipreport.examples.mingan_2023_json()))
    swapped = json.loads(made_up_2020_json())
    swapped["format"] = "2021"
    assert not both.is_valid(swapped)
    only_2019 = gipreport.json_schema("2019")
    assert validator(only_2019).is_valid(json.loads(made_up_2020_json()))
    assert not validator(only_2019).is_valid(json.loads(gipreport.examples.mingan_2023_json()))
    change = schema["properties"]["proactive"]["properties"]["licensing"]["properties"]["change"]
    assert change["title"] == "本年增/减（项）"
    negative = json.loads(made_up_2020_json())
    negative["proactive"]["fees"]["change"] = -4
    assert both.is_valid(negative)
    negative["proactive"]["fees"]["previous_items"] = -4
    assert not both.is_valid(negative)


@settings(max_examples=examples(25), deadline=None)
@given(reports(format="2019", blanks=True))
def test_json_round_trip_and_schema_on_generated_2019_reports(report: Report) -> None:
    text = dump_json(report)
    assert load_json(text) == report
    assert dump_json(load_json(text)) == text
    validator(gipreport.json_schema()).validate(json.loads(text, parse_float=Decimal))


# --- checks: every rule's instances on 2019 ---------------------------------------------


EXPECTED_2019_COUNTS = {
    "requests.balance": 7,
    "requests.results-total": 7,
    "requests.row-total": 23,
    "appeals.total": 3,
    "report.format": 1,
    "tables.missing": 3,
    "cells.blank": 198,
    "proactive.regulation-maker": 1,
    "proactive.in-force": 0,  # 2021 only
    "proactive.disclosed-total": 2,
    "proactive.items": 5,
    "requests.unpaid-fee-text": 0,  # 2021 only
    "text.numbers": 1,  # 共收到政府信息公开申请26件
    "report.sections": 3,
    "report.deadline": 1,
    "report.period": 1,
}


def test_every_rule_counts_its_instances_on_2019() -> None:
    result = check(example())
    assert result.findings == ()
    assert {c.rule: c.instances for c in result.rule_counts} == EXPECTED_2019_COUNTS
    assert [r.id for r in gipreport.rules(format="2019", scope="report")] == [
        rule
        for rule, count in EXPECTED_2019_COUNTS.items()
        if rule not in {"proactive.in-force", "requests.unpaid-fee-text"}
    ]


def failed(result: gipreport.CheckResult, rule: str) -> list[gipreport.Finding]:
    return [f for f in result.by_rule(rule) if f.status == "failed"]


def test_report_format_flags_a_2022_report_in_the_2019_tables() -> None:
    late = attrs.evolve(example(), year=2022, published_on=dt.date(2023, 1, 20))
    (finding,) = failed(check(late), "report.format")
    assert "2019–2020" in finding.message_zh
    assert "应使用2021格式" in finding.message_zh


def test_tables_missing_on_both_formats() -> None:
    for report in (example(), gipreport.examples.mingan_2023()):
        blanked = report.with_cells(
            {c.path: None for c in report.form.cells if c.table == "appeals"}
        )
        findings = failed(check(blanked), "tables.missing")
        assert [f.instance for f in findings] == ["appeals"]
        assert check(blanked).counts["tables.missing"].passed == 2


def test_regulation_maker_reads_the_2019_cells() -> None:
    township = attrs.evolve(example(), organ="某某县某某镇人民政府")
    assert not failed(check(township), "proactive.regulation-maker")
    made = township.with_cell("proactive.rules.total_disclosed", 3)
    (finding,) = failed(check(made), "proactive.regulation-maker")
    assert "对外公开总数量 = 3" in finding.message_zh


def test_disclosed_total() -> None:
    broken = example().with_cell("proactive.normative_documents.disclosed", 87)
    (finding,) = failed(check(broken), "proactive.disclosed-total")
    assert finding.instance == "normative_documents"
    assert (finding.left, finding.right) == (87, 86)
    blank = example().with_cell("proactive.rules.total_disclosed", None)
    assert check(blank).counts["proactive.disclosed-total"].not_assessable == 1


def test_items() -> None:
    broken = example().with_cell("proactive.coercion.change", -7)
    (finding,) = failed(check(broken), "proactive.items")
    assert finding.instance == "coercion"
    assert "-7" in finding.message_zh
    # A blank change can be anything, a blank previous count anything ≥ 0: open.
    blank = example().with_cells(
        {"proactive.fees.change": None, "proactive.penalty.previous_items": None}
    )
    assert check(blank).counts["proactive.items"].not_assessable == 2


# --- the lower bound, rule by rule -------------------------------------------------------


def test_lower_bound_arithmetic_parts_above_a_printed_total_fail() -> None:
    for report in (example(),):
        broken = report.with_cells(
            {
                "requests.results.disclosed.research": None,
                "requests.results.disclosed.total": 10,  # printed parts: 11 + 2 + 1 = 14
            }
        )
        result = check(broken)
        (finding,) = failed(result, "requests.row-total")
        assert finding.instance == "results.disclosed"
        assert "不小于0" in finding.message_zh
        assert "≥ 0" in finding.message_en
        assert (finding.left, finding.right) == (10, 14)
        # A printed total above its printed parts, with a blank part: not assessable.
        open_ = report.with_cells({"requests.results.disclosed.research": None})
        assert not failed(check(open_), "requests.row-total")
        assert check(open_).counts["requests.row-total"].not_assessable == 1


def test_lower_bound_arithmetic_on_2021() -> None:
    report = derive_totals(
        Report(organ="某县人民政府", year=2023).with_cells(
            {c.path: 1 for c in FORM_2021.cells if c.table == "appeals"}
        )
    ).with_cells({"appeals.review.total": 2, "appeals.review.pending": None})
    (finding,) = failed(check(report), "appeals.total")
    assert finding.instance == "review"
    assert "空白" in finding.message_zh


def test_lower_bound_balance() -> None:
    # 一 + 二 printed, one cell of the right blank: fails only if 一 + 二 < the printed right.
    report = example().with_cells(
        {"requests.carried_forward.natural_person": None, "requests.new_received.natural_person": 0}
    )
    findings = [f.instance for f in failed(check(report), "requests.balance")]
    assert findings == ["natural_person"]


def test_lower_bound_text_numbers() -> None:
    # “收到申请26件” reads 一、本年新收 · 总计: blank, it could be 26 (open).
    report = example().with_cell("requests.new_received.total", None)
    assert check(report).counts["text.numbers"].not_assessable == 1
    # “办理依申请公开5件” reads （七）总计, 一 + 二, or 一: with 二 blank, 一 + 二 is
    # at least 26, more than 5, so every reading fails whatever the blank holds.
    said = attrs.evolve(
        example(), problems=gipreport.Prose(paragraphs=("2020年共办理依申请公开5件。",))
    )
    said = said.with_cell("requests.carried_over.total", None)
    findings = failed(check(said), "text.numbers")
    assert [f.left for f in findings] == [5]
    assert "≥ 26" in findings[0].message_zh
    assert "不小于0" in findings[0].message_zh


def test_lower_bound_in_force_series_and_items() -> None:
    base = gipreport.examples.mingan_2023()
    before = attrs.evolve(base, year=2022).with_cells(
        {"proactive.rules.in_force": 2, "requests.carried_forward.total": 0}
    )
    after = base.with_cells(
        {
            "proactive.rules.in_force": 9,
            "proactive.rules.issued": 1,
            "proactive.rules.repealed": None,
        }
    )
    # 9 = 2 + 1 − repealed needs a negative repealed: fails whatever the blank holds.
    findings = failed(check_series([before, after]), "series.in-force")
    assert [f.instance for f in findings] == ["rules"]
    assert "≥ 0" in findings[0].message_en
    ok = after.with_cell("proactive.rules.in_force", 1)
    assert not failed(check_series([before, ok]), "series.in-force")
    # series.items: previous (Y) = previous (Y−1) + change (Y−1); a blank previous (Y−1) ≥ 0.
    first = attrs.evolve(example(), year=2019).with_cells(
        {"proactive.licensing.previous_items": None, "proactive.licensing.change": 5}
    )
    second = example().with_cell("proactive.licensing.previous_items", 3)
    findings = failed(check_series([first, second]), "series.items")
    (licensing,) = [f for f in findings if f.instance == "licensing"]
    assert "≥ 0" in licensing.message_en  # 3 = blank + 5 needs a negative count
    fits = second.with_cell("proactive.licensing.previous_items", 8)
    assert "licensing" not in {
        f.instance for f in failed(check_series([first, fits]), "series.items")
    }


# --- series across the change of format -------------------------------------------------


def year_2021(carried_over: Columns) -> Report:
    base = gipreport.examples.mingan_2023()
    report = attrs.evolve(
        base, organ="某某市某某区人民政府", year=2021, published_on=dt.date(2022, 1, 20)
    )
    values = {
        f"requests.carried_over.{key}": value for key, value in attrs.asdict(carried_over).items()
    }
    values.update({f"requests.results.total.{k}": v for k, v in attrs.asdict(carried_over).items()})
    values.update(
        {f"requests.results.disclosed.{k}": v for k, v in attrs.asdict(carried_over).items()}
    )
    return report.with_cells(values)


def test_series_2019_2020_2021_2022_across_the_formats() -> None:
    twenty = example()
    nineteen = attrs.evolve(twenty, year=2019, published_on=dt.date(2020, 1, 20)).with_cells(
        {
            **{
                f"requests.carried_forward.{k}": v
                for k, v in attrs.asdict(twenty.requests.carried_over).items()
            },
            **{
                f"proactive.{row}.previous_items": twenty.cell(f"proactive.{row}.previous_items")
                for row in ("licensing", "other_services", "penalty", "coercion", "fees")
            },
            **{
                f"proactive.{row}.change": 0
                for row in ("licensing", "other_services", "penalty", "coercion", "fees")
            },
        }
    )
    nineteen = derive_totals(nineteen)
    twenty_one = year_2021(twenty.requests.carried_forward)
    twenty_two = attrs.evolve(twenty_one, year=2022, published_on=dt.date(2023, 1, 20)).with_cells(
        {
            f"requests.carried_over.{k}": v
            for k, v in attrs.asdict(twenty_one.requests.carried_forward).items()
        }
    )
    result = check_series([twenty_two, twenty_one, twenty, nineteen])
    counts = result.counts
    assert counts["series.carry-over"].instances == 3 * 7
    assert counts["series.carry-over"].failed == 0, [f.message_en for f in result.findings]
    assert counts["series.items"].instances == 5  # 2019 → 2020 only
    assert counts["series.in-force"].instances == 2  # 2021 → 2022 only
    broken = twenty_one.with_cell("requests.carried_over.natural_person", 5)
    found = failed(check_series([twenty, broken]), "series.carry-over")
    assert [(f.year, f.instance) for f in found] == [(2021, "natural_person")]


def test_series_items() -> None:
    first = attrs.evolve(example(), year=2019)
    second = example()  # licensing previous 132, but 2019's 132 + (−2) = 130
    findings = failed(check_series([first, second]), "series.items")
    assert {f.instance for f in findings} == {"licensing", "other_services", "coercion"}
    (licensing,) = [f for f in findings if f.instance == "licensing"]
    assert (licensing.left, licensing.right) == (132, 130)


def test_suspect_cell_on_2019() -> None:
    broken = example().with_cell("requests.results.unavailable.not_held.commercial", 4)
    result = check(broken)
    assert not result.ok
    assert [s.cell for s in result.suspects] == ["requests.results.unavailable.not_held.commercial"]
    assert result.suspects[0].fix == 1


# --- strategies --------------------------------------------------------------------------


@settings(max_examples=examples(30), deadline=None)
@given(reports(format="2019", blanks=True))
def test_generated_2019_reports_pass_every_error_rule(report: Report) -> None:
    assert report.format == "2019"
    result = check(report)
    assert result.ok, [f.message_en for f in result.errors]
    assert not failed(result, "proactive.items")
    assert not failed(result, "proactive.disclosed-total")


@pytest.mark.parametrize("rule", [*arithmetic_rules("2019"), "report.format"])
@settings(max_examples=examples(15), deadline=None)
@given(data=st.data())
def test_invalid_2019_reports_break_exactly_the_named_rule(rule: str, data: st.DataObject) -> None:
    report = data.draw(invalid_reports(rule=rule, format="2019", blanks=True))
    assert {f.rule for f in check(report).errors} == {rule}


@settings(max_examples=examples(15), deadline=None)
@given(reports(format="2019", blanks=True), reports(format="2019", blanks=True))
def test_checks_are_linear_on_2019(a: Report, b: Report) -> None:
    assert check(sum_reports([a, b], organ="合计", year=2020, allow_duplicates=True)).ok


# --- renderers: the printed grid, golden files --------------------------------------------


def rendered_text(kind: str) -> str:
    text = gipreport.render(example(), kind)
    assert isinstance(text, str)
    return text


def test_golden_text() -> None:
    check_golden(GOLDEN / "made_up_2020.txt", rendered_text("text"))


def test_golden_html() -> None:
    check_golden(GOLDEN / "made_up_2020.html", rendered_text("html"))


def test_golden_docx() -> None:
    data = gipreport.render(example(), "docx")
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    check_golden(
        GOLDEN / "made_up_2020.document.xml",
        str(etree.tostring(root, pretty_print=True, encoding="unicode")),
    )


@settings(max_examples=examples(10), deadline=None)
@given(reports(format="2019", blanks=True))
def test_renderers_draw_every_2019_value_in_its_grid(report: Report) -> None:
    doc = layout(report)
    for table in doc.tables:
        table.grid()
        shown = {cell.path: cell.text for cell in table.values()}
        for spec in report.form.cells:
            if spec.table == table.key:
                value = report.cell(spec.path)
                expected = (
                    ""
                    if value is None
                    else (f"{value:+d}" if spec.kind == "signed" and value else str(value))
                )
                assert shown[spec.path] == (
                    format(value, "f") if isinstance(value, Decimal) else expected
                )
    html = gipreport.render(report, "html")
    assert isinstance(html, str)
    assert 'colspan="5"' in html
    text = gipreport.render(report, "text")
    assert isinstance(text, str)
    assert gipreport.render(report, "docx")[:2] == b"PK"


@pytest.mark.parametrize("rule", ["proactive.items", "proactive.disclosed-total"])
@settings(max_examples=examples(15), deadline=None)
@given(data=st.data())
def test_invalid_2019_reports_break_a_2019_warning(rule: str, data: st.DataObject) -> None:
    report = data.draw(invalid_reports(rule=rule, format="2019", blanks=True))
    result = check(report)
    assert result.ok
    assert failed(result, rule)
    others = {"proactive.items", "proactive.disclosed-total"} - {rule}
    assert not any(failed(result, other) for other in others)


def test_2019_warning_breaks_need_the_2019_tables() -> None:
    with pytest.raises(ValueError, match="can break"):
        gs.invalid_reports(rule="proactive.items")
