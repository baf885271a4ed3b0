"""gipreport.check: every rule, every instance, all findings at once."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gipreport
from checks_support import ARITHMETIC_RULES, valid_report
from gipreport import (
    CheckResult,
    Finding,
    InvalidReportError,
    Passed,
    Prose,
    Report,
    Rule,
    RuleContext,
    Subsection,
)
from gipreport._checking.rules import catalogue_markdown
from gipreport._core.findings import _FINDING_FIELDS, make_finding
from gipreport.form import FORM_2021, Equation

EQUATIONS = FORM_2021.equations
RULE_IDS = [
    "requests.balance",
    "requests.results-total",
    "requests.row-total",
    "appeals.total",
    "report.format",
    "tables.missing",
    "cells.blank",
    "proactive.regulation-maker",
    "proactive.in-force",
    "proactive.disclosed-total",
    "proactive.items",
    "requests.unpaid-fee-text",
    "text.numbers",
    "report.sections",
    "report.deadline",
    "report.period",
    "series.carry-over",
    "series.items",
    "series.in-force",
    "series.organ",
]
ERRORS = {"requests.balance", "requests.results-total", "requests.row-total", "appeals.total"}
ERRORS |= {"report.format", "tables.missing", "series.organ"}
SERIES_RULES = [rule for rule in RULE_IDS if rule.startswith("series.")]


def failed(result: CheckResult, *rules: str) -> list[tuple[str, str]]:
    return [
        (f.rule, f.instance)
        for f in result.findings
        if f.status == "failed" and (not rules or f.rule in rules)
    ]


def only(result: CheckResult, rule: str) -> Finding:
    (finding,) = result.by_rule(rule)
    return finding


@pytest.fixture
def report() -> Report:
    return valid_report(7)


# --- the catalogue ------------------------------------------------------------------------


def test_catalogue_ids_are_those_of_rules_md() -> None:
    assert [rule.id for rule in gipreport.rules()] == RULE_IDS


def test_catalogue_severities() -> None:
    for rule in gipreport.rules():
        assert rule.severity == ("error" if rule.id in ERRORS else "warning"), rule.id


def test_every_rule_is_described() -> None:
    for rule in gipreport.rules():
        for text in (rule.description_zh, rule.description_en, rule.formula, rule.basis):
            assert text.strip(), rule.id
        assert "\n" not in rule.description_zh + rule.description_en
        assert callable(rule.check)


def test_arithmetic_formulas_are_worded_from_the_form() -> None:
    words = {rule.id: rule.formula for rule in gipreport.rules(select=list(ARITHMETIC_RULES))}
    assert words["requests.balance"] == (
        "一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量"
        " = 三、本年度办理结果（七）总计 + 四、结转下年度继续办理, in each of the 7 columns"
    )
    assert "the sum of the 21 rows" in words["requests.results-total"]
    assert "in each of the 25 rows; format 2019: " in words["requests.row-total"]
    assert words["requests.row-total"].endswith("in each of the 23 rows")
    assert words["appeals.total"] == (
        "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, in each of the 3 rows"
    )


@pytest.mark.parametrize(
    ("select", "skip", "expected"),
    [
        (
            "requests",
            None,
            [
                "requests.balance",
                "requests.results-total",
                "requests.row-total",
                "requests.unpaid-fee-text",
            ],
        ),
        (
            ["error"],
            "series",
            [
                "requests.balance",
                "requests.results-total",
                "requests.row-total",
                "appeals.total",
                "report.format",
                "tables.missing",
            ],
        ),
        (
            None,
            ["warning", "appeals.total"],
            [
                "requests.balance",
                "requests.results-total",
                "requests.row-total",
                "report.format",
                "tables.missing",
                "series.organ",
            ],
        ),
        ("report.deadline", None, ["report.deadline"]),
    ],
)
def test_rules_select_and_skip(
    select: str | list[str] | None, skip: str | list[str] | None, expected: list[str]
) -> None:
    assert [rule.id for rule in gipreport.rules(select=select, skip=skip)] == expected


def test_rules_by_scope() -> None:
    assert [rule.id for rule in gipreport.rules(scope="series")] == SERIES_RULES
    assert [rule.id for rule in gipreport.rules(scope="report")] == RULE_IDS[: -len(SERIES_RULES)]


@pytest.mark.parametrize("selector", ["request.balance", "requests.", "Error", ""])
def test_unknown_selector_is_an_error(selector: str) -> None:
    with pytest.raises(ValueError, match="not a rule ID"):
        gipreport.rules(select=[selector])
    with pytest.raises(ValueError, match="not a rule ID"):
        gipreport.check(gipreport.examples.mingan_2023(), skip=selector)


def test_selectors_must_be_strings() -> None:
    with pytest.raises(TypeError, match="as strings"):
        gipreport.rules(select=[1])  # type: ignore[list-item]


def test_rules_scope_is_checked() -> None:
    with pytest.raises(ValueError, match="scope"):
        gipreport.rules(scope="year")  # type: ignore[arg-type]


def test_catalogue_markdown_lists_every_rule() -> None:
    page = catalogue_markdown()
    for rule in gipreport.rules():
        assert f"## `{rule.id}`" in page
        assert rule.severity in page
    assert page.endswith("\n")
    assert catalogue_markdown() == page


# --- the bundled example and valid reports ---------------------------------------------------


def test_bundled_example_passes_without_errors() -> None:
    result = gipreport.check(gipreport.examples.mingan_2023())
    assert result.ok
    assert result.errors == ()
    assert result.findings == ()
    counts = result.counts
    assert counts["requests.balance"].passed == 7
    assert counts["requests.results-total"].passed == 7
    assert counts["requests.row-total"].passed == 25
    assert counts["appeals.total"].passed == 3
    assert counts["cells.blank"].passed == 200
    assert counts["text.numbers"].passed == 1  # 共办理依申请公开0件
    assert counts["report.deadline"].instances == 0  # a township has no national date
    result.raise_for_errors()


@pytest.mark.parametrize("seed", range(12))
def test_valid_reports_pass_every_rule(seed: int) -> None:
    result = gipreport.check(valid_report(seed))
    assert result.findings == ()
    assert result.suspects == ()
    assert not result.no_single_suspect
    counts = result.counts
    assert list(counts) == RULE_IDS[: -len(SERIES_RULES)]
    assert all(c.failed == 0 and c.not_assessable == 0 for c in counts.values())
    assert counts["text.numbers"].passed == 4


def test_counts_cover_every_instance(report: Report) -> None:
    counts = gipreport.check(report).counts
    for rule in ARITHMETIC_RULES:
        assert counts[rule].instances == len(FORM_2021.equations_for(rule))


# --- every instance of every arithmetic rule ------------------------------------------------


def _blank_to_isolate(equation: Equation, changed: str) -> dict[str, None]:
    # The instances of table 3 are not independent (the balance of 总计 follows from
    # the six other columns and four row totals; （七）总计 · 总计 likewise), so no
    # change of numbers alone breaks exactly one. Blanking, in every other equation
    # that reads the changed cell, a cell this one does not read makes those not
    # assessable: the instance is then the only one that fails.
    blanks: dict[str, None] = {}
    for other in EQUATIONS:
        if other is equation or changed not in other.cells:
            continue
        blanks[next(path for path in other.cells if path not in equation.cells)] = None
    return blanks


@pytest.mark.parametrize("equation", EQUATIONS, ids=lambda eq: f"{eq.rule}[{eq.instance}]")
def test_breaking_one_instance_alone_fails_exactly_it(report: Report, equation: Equation) -> None:
    changed = equation.left[0]
    value = report.count(changed)
    assert value is not None
    broken = report.with_cells({changed: value + 1, **_blank_to_isolate(equation, changed)})
    result = gipreport.check(broken)
    assert failed(result, *ARITHMETIC_RULES) == [(equation.rule, equation.instance)]
    finding = result.errors[0]
    assert finding.difference == 1
    assert finding.cells == equation.cells
    assert not result.ok


@pytest.mark.parametrize("equation", EQUATIONS, ids=lambda eq: f"{eq.rule}[{eq.instance}]")
def test_changing_a_cell_fails_one_instance_of_each_rule_reading_it(
    report: Report, equation: Equation
) -> None:
    changed = equation.right[-1]
    value = report.count(changed)
    assert value is not None
    result = gipreport.check(report.with_cells({changed: value + 2}))
    assert [f for f in failed(result) if f[0] == equation.rule] == [
        (equation.rule, equation.instance)
    ]
    reading = {(eq.rule, eq.instance) for eq in EQUATIONS if changed in eq.cells}
    assert set(failed(result)) == reading
    assert all(f.difference in (2, -2) for f in result.errors)


def test_results_total_message_names_row_and_column(report: Report) -> None:
    path = "requests.results.total.commercial"
    value = report.count(path)
    assert value is not None
    # Blank the row total's 总计 so only the column sum and the balance are read.
    result = gipreport.check(report.with_cells({path: value + 3}), select="requests.results-total")
    finding = only(result, "requests.results-total")
    assert finding.instance == "commercial"
    assert finding.message_zh.startswith(f"三、本年度办理结果（七）总计 · 商业企业: {value + 3} ≠ ")
    assert finding.message_zh.count("+") == 20 + 1  # 21 parts, and the signed difference
    assert f"= {value}（相差+3）" in finding.message_zh
    assert finding.message_en.startswith("三、本年度办理结果（七）总计 · 商业企业: the total is")
    assert (finding.left, finding.right, finding.difference) == (value + 3, value, 3)
    assert finding.cells[0] == path
    assert len(finding.cells) == 22
    assert finding.year == report.year
    assert finding.severity == "error"


def test_balance_message_names_the_four_rows(report: Report) -> None:
    path = "requests.carried_forward.commercial"
    value = report.count(path)
    assert value is not None
    result = gipreport.check(report.with_cells({path: value + 1}), select="requests.balance")
    finding = only(result, "requests.balance")
    new, over, handled = (
        report.count(f"requests.{row}.commercial")
        for row in ("new_received", "carried_over", "results.total")
    )
    assert finding.message_zh == (
        f"商业企业列: 一、本年新收政府信息公开申请数量 {new}"
        f" + 二、上年结转政府信息公开申请数量 {over} = {finding.left}"
        f" ≠ 三、本年度办理结果（七）总计 {handled}"
        f" + 四、结转下年度继续办理 {value + 1} = {finding.right}（相差-1）"
    )
    assert finding.message_en.startswith("column 商业企业: 一、本年新收政府信息公开申请数量")
    assert finding.difference == -1
    assert finding.cells == (
        "requests.new_received.commercial",
        "requests.carried_over.commercial",
        "requests.results.total.commercial",
        "requests.carried_forward.commercial",
    )


def test_every_finding_is_collected(report: Report) -> None:
    broken = report.with_cells(
        {
            "requests.new_received.total": 0,
            "appeals.review.total": 99,
            "appeals.litigation_direct.total": 99,
            "proactive.rules.in_force": 0,
        }
    )
    result = gipreport.check(broken)
    assert ("appeals.total", "review") in failed(result)
    assert ("appeals.total", "litigation_direct") in failed(result)
    assert ("requests.row-total", "new_received") in failed(result)
    assert ("requests.balance", "total") in failed(result)
    assert len(result.errors) == 4
    assert result.counts["appeals.total"].failed == 2
    assert result.counts["appeals.total"].passed == 1


# --- blanks -------------------------------------------------------------------------------------


def test_blank_total_carried_forward_as_in_a_real_2024_report(report: Report) -> None:
    path = "requests.carried_forward.total"
    result = gipreport.check(report.with_cells({path: None}))
    blank = only(result, "cells.blank")
    assert blank.severity == "warning"
    assert blank.status == "failed"
    assert blank.cells == (path,)
    assert blank.message_zh == "四、结转下年度继续办理 · 总计: 空白（空白不是0）"
    balance = result.by_rule("requests.balance")
    assert [(f.instance, f.status) for f in balance] == [("total", "not_assessable")]
    assert balance[0].left is None
    assert "四、结转下年度继续办理 · 总计" in balance[0].message_zh
    counts = result.counts["requests.balance"]
    assert (counts.passed, counts.failed, counts.not_assessable) == (6, 0, 1)
    row_total = result.counts["requests.row-total"]
    assert (row_total.passed, row_total.not_assessable) == (24, 1)
    assert result.ok  # not assessable is neither passed nor failed
    assert result.not_assessable == (*balance, *result.by_rule("requests.row-total"))


def test_blank_total_does_not_hide_a_wrong_column(report: Report) -> None:
    value = report.count("requests.carried_forward.research")
    assert value is not None
    result = gipreport.check(
        report.with_cells(
            {"requests.carried_forward.total": None, "requests.carried_forward.research": value + 1}
        )
    )
    assert failed(result, "requests.balance") == [("requests.balance", "research")]


def test_each_blank_is_reported_once(report: Report) -> None:
    blanks = {
        "requests.results.total.total": None,
        "appeals.review.upheld": None,
        "proactive.fees.amount": None,
    }
    result = gipreport.check(report.with_cells(blanks))
    in_reading_order = [cell.path for cell in FORM_2021.cells if cell.path in blanks]
    assert [f.instance for f in result.by_rule("cells.blank")] == in_reading_order
    assert result.counts["cells.blank"].passed == 197
    assert result.counts["cells.blank"].failed == 3


def test_blank_cells_are_never_passed_or_failed() -> None:
    empty = Report(organ="某某县人民政府", year=2023)
    result = gipreport.check(empty, select="error")
    for rule in ARITHMETIC_RULES:
        counts = result.counts[rule]
        assert counts.not_assessable == len(FORM_2021.equations_for(rule))
        assert counts.passed == counts.failed == 0
    # The only errors are the tables themselves: a report with every cell blank
    # has no table filled in (tables.missing), which is not a report that passes.
    assert failed(result) == [
        ("tables.missing", "proactive"),
        ("tables.missing", "requests"),
        ("tables.missing", "appeals"),
    ]


def test_a_table_with_one_printed_cell_is_not_missing() -> None:
    empty = Report(organ="某某县人民政府", year=2023)
    one = empty.with_cells({"appeals.review.upheld": 0})
    assert failed(gipreport.check(one), "tables.missing") == [
        ("tables.missing", "proactive"),
        ("tables.missing", "requests"),
    ]
    finding = gipreport.check(one).by_rule("tables.missing")[0]
    assert "未能从来源中读出" in finding.message_zh
    assert finding.cells == ("proactive",)


# --- raising, and the plain form --------------------------------------------------------------


def test_raise_for_errors(report: Report) -> None:
    broken = report.with_cells({"appeals.review.total": 1000})
    result = gipreport.check(broken)
    with pytest.raises(InvalidReportError) as raised:
        result.raise_for_errors()
    error = raised.value
    assert isinstance(error, ExceptionGroup)
    assert isinstance(error, gipreport.GipReportError)
    assert error.findings == result.errors
    members = [m for m in error.exceptions if isinstance(m, gipreport.FindingError)]
    assert len(members) == len(error.exceptions)
    assert [member.finding for member in members] == list(result.errors)
    assert "1 error in the report" in str(error)
    assert "appeals.total (2023): 行政复议 · 总计" in str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert copy.findings == error.findings


def test_raise_for_errors_works_with_except_star(report: Report) -> None:
    broken = report.with_cells({"appeals.review.total": 1000, "appeals.review.upheld": None})
    result = gipreport.check(broken)
    caught: list[BaseException] = []
    try:
        result.raise_for_errors()
    except* gipreport.FindingError as group:
        caught.extend(group.exceptions)
    assert [getattr(member, "finding", None) for member in caught] == list(result.errors)


def test_warnings_do_not_raise(report: Report) -> None:
    result = gipreport.check(
        report.with_cells(
            {
                "proactive.rules.in_force": 0,
                "proactive.rules.issued": 1,
                "proactive.rules.repealed": 0,
            }
        )
    )
    assert result.warnings
    assert result.ok
    result.raise_for_errors()


def test_result_as_plain_data(report: Report) -> None:
    broken = report.with_cells({"appeals.review.total": 1000, "proactive.fees.amount": None})
    result = gipreport.check(broken)
    data = json.loads(result.to_json())
    assert data == result.to_dict()
    assert data["schema"] == "gipreport-check/1"
    assert data["ok"] is False
    assert data["counts"]["appeals.total"] == {
        "severity": "error",
        "passed": 2,
        "failed": 1,
        "not_assessable": 0,
    }
    first = data["findings"][0]
    assert first["rule"] == "appeals.total"
    assert first["cells"][0] == "appeals.review.total"
    assert first["difference"] == first["left"] - first["right"]
    # Any one of the five cells of the group could be the wrong one.
    suspects = {suspect["cell"]: suspect for suspect in data["suspects"]}
    assert list(suspects) == [
        spec.path for spec in FORM_2021.cells if spec.row_path == "appeals.review"
    ]
    assert suspects["appeals.review.total"] == {
        "year": 2023,
        "cell": "appeals.review.total",
        "label": "行政复议 · 总计",
        "value": 1000,
        "fix": first["right"],
    }
    assert "行政复议" in result.to_json()  # characters as themselves


def test_results_and_findings_are_values(report: Report) -> None:
    broken = report.with_cells({"appeals.review.total": 1000})
    first, second = gipreport.check(broken), gipreport.check(broken)
    assert first == second
    assert hash(first) == hash(second)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.findings[0].rule = "x"  # type: ignore[misc]


def test_check_takes_a_report() -> None:
    with pytest.raises(TypeError, match="Report"):
        gipreport.check({"organ": "x"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="organ_kind"):
        gipreport.check(gipreport.examples.mingan_2023(), organ_kind="village")  # type: ignore[arg-type]


# --- rules of one's own ------------------------------------------------------------------------


def licensing_recorded(ctx: RuleContext) -> Iterator[Finding | Passed]:
    decisions = ctx.cell("proactive.licensing.decisions")
    if decisions is None:
        yield ctx.not_assessable(cells=("proactive.licensing.decisions",))
    elif decisions == 0:
        yield ctx.failed(
            cells=("proactive.licensing.decisions",),
            message_zh="行政许可 本年处理决定数量为0",
            message_en="no 行政许可 decision was recorded",
        )
    else:
        yield ctx.passed()


LICENSING = Rule(
    id="mine.licensing-recorded",
    severity="warning",
    description_zh="记录了行政许可决定",
    description_en="some licensing decision is recorded",
    formula="行政许可 本年处理决定数量 > 0",
    basis="our own practice",
    check=licensing_recorded,
)


def test_extra_rule_runs_after_the_catalogue(report: Report) -> None:
    result = gipreport.check(
        report.with_cells({"proactive.licensing.decisions": 0}), extra_rules=[LICENSING]
    )
    assert list(result.counts)[-1] == "mine.licensing-recorded"
    finding = only(result, "mine.licensing-recorded")
    assert finding.severity == "warning"
    assert finding.year == report.year
    assert finding.message_en == "no 行政许可 decision was recorded"
    blank = gipreport.check(
        report.with_cells({"proactive.licensing.decisions": None}),
        extra_rules=[LICENSING],
        select="mine",
    )
    finding = only(blank, "mine.licensing-recorded")
    assert finding.status == "not_assessable"
    assert FORM_2021.cell("proactive.licensing.decisions").label in finding.message_zh
    assert list(blank.counts) == ["mine.licensing-recorded"]


def test_extra_rule_passed_counts(report: Report) -> None:
    value = report.count("proactive.licensing.decisions")
    result = gipreport.check(
        report.with_cells({"proactive.licensing.decisions": (value or 0) + 1}),
        extra_rules=[LICENSING],
    )
    assert result.counts["mine.licensing-recorded"].passed == 1


def test_extra_rules_are_checked(report: Report) -> None:
    with pytest.raises(ValueError, match="same ID"):
        gipreport.check(report, extra_rules=[attrs.evolve(LICENSING, id="requests.balance")])
    with pytest.raises(TypeError, match="Rule objects"):
        gipreport.check(report, extra_rules=[licensing_recorded])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="lowercase dotted"):
        attrs.evolve(LICENSING, id="Mine")
    with pytest.raises(ValueError, match="severity"):
        attrs.evolve(LICENSING, severity="fatal")  # type: ignore[arg-type]


def test_a_check_must_yield_outcomes(report: Report) -> None:
    def bad(ctx: RuleContext) -> Iterator[object]:
        yield "ok"

    rule = attrs.evolve(LICENSING, check=bad)  # type: ignore[arg-type]  # the point of the test
    with pytest.raises(TypeError, match=r"yields ctx\.passed\(\)"):
        gipreport.check(report, extra_rules=[rule])

    def foreign(ctx: RuleContext) -> Iterator[Finding]:
        yield attrs.evolve(ctx.failed(message_zh="x", message_en="x"), rule="requests.balance")

    with pytest.raises(ValueError, match=r"yielded a finding of rule requests\.balance"):
        gipreport.check(report, extra_rules=[attrs.evolve(LICENSING, check=foreign)])


# --- warnings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organ", "fires"),
    [
        ("乌拉特前旗明安镇人民政府", True),
        ("某某市某某区某某街道办事处", True),
        ("某某县人民政府", True),
        ("某某县市场监督管理局", True),
        ("北京市朝阳区人民政府", True),
        ("某某市人民政府", False),
        ("某某省人民政府", False),
        ("某某省住房和城乡建设厅", False),
    ],
)
def test_regulation_maker(organ: str, fires: bool) -> None:
    report = attrs.evolve(valid_report(3), organ=organ).with_cells({"proactive.rules.issued": 1})
    result = gipreport.check(report, select="proactive.regulation-maker")
    assert bool(result.warnings) == fires
    if fires:
        assert "不能制定规章" in result.warnings[0].message_zh
        assert result.warnings[0].cells == ("proactive.rules.issued", "proactive.rules.in_force")


def test_regulation_maker_kind_can_be_given() -> None:
    report = valid_report(3).with_cells({"proactive.rules.issued": 2})
    assert gipreport.check(report, select="proactive").ok
    given = gipreport.check(report, select="proactive", organ_kind="county_government")
    assert [f.rule for f in given.warnings] == ["proactive.regulation-maker"]
    assert "县级人民政府" in given.warnings[0].message_zh


def test_regulation_maker_township_with_no_rules_passes() -> None:
    report = attrs.evolve(valid_report(3), organ="某某镇人民政府").with_cells(
        {"proactive.rules.issued": 0, "proactive.rules.in_force": 0, "proactive.rules.repealed": 0}
    )
    result = gipreport.check(report, select="proactive.regulation-maker")
    assert result.findings == ()
    assert result.counts["proactive.regulation-maker"].passed == 1
    blank = gipreport.check(
        report.with_cells({"proactive.rules.issued": None}), select="proactive.regulation-maker"
    )
    assert only(blank, "proactive.regulation-maker").status == "not_assessable"


def test_in_force(report: Report) -> None:
    broken = report.with_cells(
        {
            "proactive.normative_documents.issued": 5,
            "proactive.normative_documents.repealed": 1,
            "proactive.normative_documents.in_force": 3,
        }
    )
    finding = only(gipreport.check(broken, select="proactive.in-force"), "proactive.in-force")
    assert finding.instance == "normative_documents"
    assert (finding.left, finding.right, finding.difference) == (3, 4, -1)
    row = "".join(FORM_2021.cell("proactive.normative_documents.issued").row_labels)
    assert finding.message_zh == f"{row}: 现行有效件数 3 < 本年制发件数 5 − 本年废止件数 1 = 4"


def _other_matters(report: Report, text: str) -> Report:
    return attrs.evolve(report, other_matters=Prose(paragraphs=(text,)))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("本年度未向申请人发出收费通知，未收取信息处理费。", True),
        ("本年度没有发出收费通知。", True),
        ("本机关发出收费通知0件。", True),
        ("本年度未收取信息处理费。", False),  # says nothing about notices
        ("2件申请人未按收费通知要求缴纳费用。", False),
        ("发出收费通知2件，申请人均未缴费。", False),
    ],
)
def test_unpaid_fee_text(report: Report, text: str, said: bool) -> None:
    broken = _other_matters(report, text).with_cells(
        {"requests.results.other.unpaid_fee.natural_person": 2}
    )
    result = gipreport.check(gipreport.derive_totals(broken), select="requests.unpaid-fee-text")
    assert bool(result.warnings) == said
    if said:
        finding = result.warnings[0]
        assert finding.cells == (
            "other_matters.paragraphs[0]",
            "requests.results.other.unpaid_fee.total",
        )
        assert "六、其他需要报告的事项" in finding.message_zh


def test_unpaid_fee_text_blank_is_not_assessable(report: Report) -> None:
    blank = report.with_cells({"requests.results.other.unpaid_fee.total": None})
    finding = only(
        gipreport.check(blank, select="requests.unpaid-fee-text"), "requests.unpaid-fee-text"
    )
    assert finding.status == "not_assessable"


def _with_paragraph(report: Report, text: str, heading: str = "依申请公开情况") -> Report:
    overview = Prose(subsections=(Subsection(heading=heading, paragraphs=(text,)),))
    return attrs.evolve(report, overview=overview)


def test_text_numbers_in_the_bundled_example() -> None:
    report = gipreport.examples.mingan_2023()
    # 办理 is read as handled, as received and carried over, or as received: none is 0.
    wrong = report.with_cells({"requests.results.total.total": 2, "requests.new_received.total": 3})
    finding = only(gipreport.check(wrong, select="text.numbers"), "text.numbers")
    assert finding.message_zh == (
        "一、总体情况 · 依申请公开情况: 文中“办理依申请公开0件”与表格不符: "
        "三、本年度办理结果（七）总计 · 总计 = 2；"
        "一、本年新收政府信息公开申请数量 · 总计 + 二、上年结转政府信息公开申请数量 · 总计 = 3；"
        "一、本年新收政府信息公开申请数量 · 总计 = 3"
    )
    assert " = 2; or " in finding.message_en
    assert finding.instance == "overview.subsections[1].paragraphs[0]@6"
    assert finding.cells[0] == "overview.subsections[1].paragraphs[0]"
    assert (finding.left, finding.right) == (0, 2)


@pytest.mark.parametrize(
    ("text", "cells"),
    [
        ("全年共收到政府信息公开申请99件。", ["requests.new_received.total"]),
        ("共收到依申请公开申请９９件。", ["requests.new_received.total"]),
        ("收到申请99件。", ["requests.new_received.total"]),
        ("共办理政府信息公开申请99件。", ["requests.results.total.total"]),
        ("发生政府信息公开行政复议99件。", ["appeals.review.total"]),
        (
            "因政府信息公开被提起行政诉讼99件。",
            ["appeals.litigation_direct.total", "appeals.litigation_after_review.total"],
        ),
    ],
)
def test_text_numbers_phrases(report: Report, text: str, cells: list[str]) -> None:
    result = gipreport.check(_with_paragraph(report, text), select="text.numbers")
    finding = only(result, "text.numbers")
    assert finding.status == "failed"
    assert finding.left == 99
    assert set(cells) <= set(finding.cells)


@pytest.mark.parametrize(
    "text",
    [
        "2022年共收到政府信息公开申请99件。",  # another year
        "较上年收到政府信息公开申请99件有所增加。",
        "累计收到政府信息公开申请99件。",
        "全年共办理行政复议案件99件。",  # not about 政府信息公开
        "收到行政许可申请99件。",
        "共收到申请99件。",  # bare, and not under a heading about 依申请公开
        "收到政府信息公开申请九十九件。",  # Chinese numerals are not read
    ],
)
def test_text_numbers_unplaced_phrases_give_nothing(report: Report, text: str) -> None:
    result = gipreport.check(_with_paragraph(report, text, heading="其他"), select="text.numbers")
    assert result.findings == ()
    assert result.counts["text.numbers"].instances == 0


def test_text_numbers_handled_has_three_readings(report: Report) -> None:
    new, over = (
        report.count("requests.new_received.total"),
        report.count("requests.carried_over.total"),
    )
    assert new is not None
    assert over is not None
    for number in (new, new + over, report.count("requests.results.total.total")):
        text = f"共办理依申请公开{number}件。"
        assert gipreport.check(_with_paragraph(report, text), select="text.numbers").findings == ()


def test_text_numbers_blank_cell_is_not_assessable(report: Report) -> None:
    text = "发生政府信息公开行政复议3件。"
    blank = _with_paragraph(report, text).with_cells({"appeals.review.total": None})
    finding = only(gipreport.check(blank, select="text.numbers"), "text.numbers")
    assert finding.status == "not_assessable"


@pytest.mark.parametrize("key", ["overview", "problems", "other_matters"])
def test_sections(report: Report, key: str) -> None:
    changes: dict[str, Any] = {key: Prose()}  # a blank paragraph is no paragraph at all
    empty = attrs.evolve(report, **changes)
    finding = only(gipreport.check(empty, select="report.sections"), "report.sections")
    assert finding.instance == key
    assert finding.message_zh.endswith(": 没有内容")
    assert finding.message_zh.startswith(FORM_2021.section(key).heading)


@pytest.mark.parametrize(
    ("organ", "published", "late"),
    [
        ("某某市教育局", dt.date(2024, 1, 31), False),
        ("某某市教育局", dt.date(2024, 2, 1), True),
        ("某某县人民政府", dt.date(2024, 3, 31), False),
        ("某某县人民政府", dt.date(2024, 4, 1), True),
        ("某某县人民政府办公室", dt.date(2024, 2, 1), True),
        ("某某镇人民政府", dt.date(2024, 12, 1), False),
    ],
)
def test_deadline(organ: str, published: dt.date, late: bool) -> None:
    report = attrs.evolve(valid_report(1), organ=organ, published_on=published)
    result = gipreport.check(report, select="report.deadline")
    assert bool(result.warnings) == late
    if late:
        assert "公布期限" in result.warnings[0].message_zh


def test_deadline_kind_can_be_given() -> None:
    report = attrs.evolve(valid_report(1), organ="某某局", published_on=dt.date(2024, 3, 1))
    assert gipreport.check(report, select="report.deadline").warnings
    assert gipreport.check(report, select="report.deadline", organ_kind="government").ok
    assert not gipreport.check(report, select="report.deadline", organ_kind="government").warnings
    township = gipreport.check(report, select="report.deadline", organ_kind="township")
    assert township.counts["report.deadline"].instances == 0


def test_deadline_before_the_revised_regulations() -> None:
    report = attrs.evolve(
        valid_report(1), organ="某某局", year=2018, published_on=dt.date(2019, 3, 1)
    )
    assert not gipreport.check(report, select="report.deadline").warnings


def test_period(report: Report) -> None:
    early = attrs.evolve(report, published_on=dt.date(report.year, 12, 31))
    finding = only(gipreport.check(early, select="report.period"), "report.period")
    assert finding.status == "failed"
    assert finding.cells == ("published_on", "year")


def test_no_date_is_not_assessable(report: Report) -> None:
    undated = attrs.evolve(report, published_on=None)
    result = gipreport.check(undated, select="report")
    statuses = {(f.rule, f.status) for f in result.findings}
    assert statuses == {
        ("report.deadline", "not_assessable"),
        ("report.period", "not_assessable"),
    }


@pytest.mark.parametrize(("year", "ok"), [(2019, False), (2020, False), (2021, True), (2024, True)])
def test_format_matches_year(year: int, ok: bool) -> None:
    report = attrs.evolve(valid_report(2), year=year, published_on=dt.date(year + 1, 1, 10))
    result = gipreport.check(report, select="report.format")
    assert result.ok == ok
    if not ok:
        finding = result.errors[0]
        assert finding.cells == ("format", "year")
        assert "应使用2019格式" in finding.message_zh
        assert "should use format 2019" in finding.message_en


def test_format_before_any_national_format() -> None:
    report = attrs.evolve(valid_report(2), year=2015, published_on=dt.date(2016, 1, 10))
    finding = gipreport.check(report, select="report.format").errors[0]
    assert "没有这一全国统一格式" in finding.message_zh


# --- organ kinds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("乌拉特前旗明安镇人民政府", "township"),
        ("某某苏木人民政府", "township"),
        ("某某区某某街道办事处", "township"),
        ("东乡族自治县人民政府", "county_government"),
        ("神农架林区人民政府", "county_government"),
        ("巴彦淖尔市乌拉特前旗人民政府", "county_government"),
        ("恩施土家族苗族自治州恩施市人民政府", "county_government"),
        ("某某县住房和城乡建设局", "county_department"),
        ("某某县乡村振兴局", "county_department"),
        ("国家税务总局乌拉特前旗税务局", "county_department"),
        ("某某县人民政府办公室", "county_department"),
        ("某某省人民政府", "government"),
        ("恩施土家族苗族自治州人民政府", "government"),
        ("西藏自治区阿里地区行政公署", "government"),
        ("镇江市人民政府", "government"),
        # A unit character inside a place name: 州 of 杭州 before 市, of 通州 before 区.
        ("杭州市人民政府", "government"),
        ("广州市教育局", "department"),
        ("北京市通州区人民政府", "county_government"),
        ("苏州市吴江区市场监督管理局", "county_department"),
        ("郑州市金水区经八路街道办事处", "township"),
        ("上海市浦东新区人民政府", "county_government"),
        ("某某市经济技术开发区管理委员会", "department"),
        ("广东省住房和城乡建设厅", "department"),
        ("教育部", "department"),
        (" 某某县 人民政府 ", "county_government"),
    ],
)
def test_organ_kind(name: str, kind: str) -> None:
    assert gipreport.organ_kind(name) == kind


def test_text_numbers_in_the_preamble(report: Report) -> None:
    stated = attrs.evolve(report, preamble=("本年度共收到政府信息公开申请99件。",))
    finding = only(gipreport.check(stated, select="text.numbers"), "text.numbers")
    assert finding.cells[0] == "preamble[0]"
    assert finding.message_zh.startswith("引言: ")


def test_text_numbers_in_a_paragraph_before_any_subsection(report: Report) -> None:
    stated = attrs.evolve(report, problems=Prose(paragraphs=("共收到政府信息公开申请99件。",)))
    finding = only(gipreport.check(stated, select="text.numbers"), "text.numbers")
    assert finding.cells[0] == "problems.paragraphs[0]"
    assert finding.message_zh.startswith("五、存在的主要问题及改进情况: ")


def test_in_force_blank_is_not_assessable(report: Report) -> None:
    blank = report.with_cells({"proactive.rules.repealed": None})
    finding = only(gipreport.check(blank, select="proactive.in-force"), "proactive.in-force")
    assert (finding.status, finding.instance) == ("not_assessable", "rules")


def test_context_reads_cells_and_labels(report: Report) -> None:
    seen: list[object] = []

    def look(ctx: RuleContext) -> Iterator[Finding | Passed]:
        seen.extend((ctx.year, ctx.form.id, ctx.label("appeals.review.total")))
        seen.append(ctx.cell("appeals.review.total"))
        with pytest.raises(KeyError, match=r"no cell 'appeals\.review'"):
            ctx.cell("appeals.review")
        yield ctx.passed(3)

    rule = attrs.evolve(LICENSING, id="mine.look", check=look)
    result = gipreport.check(report, extra_rules=[rule], select="mine")
    assert seen == [2023, "2021", "行政复议 · 总计", report.appeals.review.total]
    assert result.counts["mine.look"].passed == 3


def test_decimal_sides_are_strings_in_plain_data(report: Report) -> None:
    def fee(ctx: RuleContext) -> Iterator[Finding]:
        amount = ctx.cell("proactive.fees.amount")
        assert isinstance(amount, Decimal)
        yield ctx.failed(message_zh="x", message_en="x", left=amount, right=Decimal("0.50"))

    rule = attrs.evolve(LICENSING, id="mine.fee", check=fee)
    stated = report.with_cells({"proactive.fees.amount": Decimal("1.2500")})
    (data,) = gipreport.check(stated, extra_rules=[rule], select="mine").to_dict()["findings"]
    assert (data["left"], data["right"], data["difference"]) == ("1.2500", "0.50", "0.7500")


def test_text_numbers_other_year_is_judged_per_sentence(report: Report) -> None:
    text = "2022年收到政府信息公开申请5件。2023年收到政府信息公开申请99件。"
    result = gipreport.check(_with_paragraph(report, text), select="text.numbers")
    finding = only(result, "text.numbers")
    assert finding.left == 99
    assert finding.instance.endswith(f"@{text.index('收到政府信息公开申请99件')}")


def _fresh_counts(report: Report, **options: Any) -> dict[str, tuple[int, int, int]]:
    # What the rules chosen find, run one by one: no compiled catalogue involved.
    chosen = [rule for rule in gipreport.rules(**options) if rule.scope == "report"]
    counts = {}
    for rule in chosen:
        result = gipreport.check(
            report, extra_rules=[attrs.evolve(rule, id=f"x.{rule.id}")], select=f"x.{rule.id}"
        )
        count = result.counts[f"x.{rule.id}"]
        counts[rule.id] = (count.passed, count.failed, count.not_assessable)
    return counts


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"select": "requests"},
        {"select": ["appeals", "text"]},
        {"select": ("warning",), "skip": "text.numbers"},
        {"skip": ["error"]},
    ],
)
def test_the_compiled_catalogue_is_per_choice_and_format(options: dict[str, Any]) -> None:
    # Each choice of rules is compiled once and reused; reports of both formats,
    # checked in turn, each get the rules of their own format and the same counts
    # as a check of each rule alone.
    reports = [
        gipreport.examples.mingan_2023().with_cells({"requests.results.total.commercial": 3}),
        gipreport.blank_report("某县人民政府", 2020, format_id="2019"),
        gipreport.blank_report("某县人民政府", 2020, blank=True, format_id="2019"),
        valid_report(2),
    ]
    for _ in range(2):
        for report in reports:
            counts = gipreport.check(report, **options).counts
            got = {rule: (c.passed, c.failed, c.not_assessable) for rule, c in counts.items()}
            assert got == _fresh_counts(report, **options)


def test_selectors_read_from_an_iterator_are_read_once(report: Report) -> None:
    chosen = iter(["requests.balance", "appeals"])
    result = gipreport.check(report, select=chosen)
    assert set(result.counts) == {
        rule.id for rule in gipreport.rules(select=["requests.balance", "appeals"])
    }


@given(
    st.tuples(
        st.text(max_size=5),
        st.sampled_from(["error", "warning"]),
        st.sampled_from(["failed", "not_assessable"]),
        st.integers(2008, 2100),
        st.text(max_size=5),
        st.lists(st.text(max_size=5), max_size=3).map(tuple),
        st.text(max_size=5),
        st.text(max_size=5),
        st.none() | st.integers(),
        st.none() | st.decimals(allow_nan=False, allow_infinity=False),
        st.none() | st.integers(),
    )
)
def test_make_finding_makes_what_the_class_makes(fields: tuple[Any, ...]) -> None:
    made = make_finding(*fields)
    expected = Finding(**dict(zip(_FINDING_FIELDS, fields, strict=True)))
    assert made == expected
    assert repr(made) == repr(expected)
    assert hash(made) == hash(expected)
    assert pickle.loads(pickle.dumps(made)) == expected
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.rule = "x"  # type: ignore[misc]


def test_results_made_through_their_slots_are_those_the_class_makes() -> None:
    # check makes its CheckResult through the slots (checks._result): the same
    # object as CheckResult(...) makes, equal, hashed, printed and pickled alike.
    blank = valid_report(2).with_cells({"requests.new_received.commercial": None})
    broken = valid_report(4).with_cells({"requests.new_received.total": 10**6})
    assert gipreport.check(broken).suspects
    for report in (gipreport.examples.mingan_2023(), blank, broken):
        made = gipreport.check(report)
        expected = gipreport.CheckResult(
            findings=made.findings,
            tallies=made._tallies,
            suspects=made.suspects,
            unexplained=made.unexplained,
        )
        assert made == expected
        assert repr(made) == repr(expected)
        assert hash(made) == hash(expected)
        assert made.to_dict() == expected.to_dict()
        assert pickle.loads(pickle.dumps(made)) == expected
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            made.findings = ()  # type: ignore[misc]
